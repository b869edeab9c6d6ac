/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-accounts.c — NpAccounts against the real keyring, a real ledger file and the
 * real sandbox over loopback.
 *
 * What the keyring holds is read back without NpAccounts or NpKeyring: the items
 * the Secret Service finds by the schema's attributes over plain D-Bus (what
 * Seahorse sees) and the secret libsecret finds by them. Runs under the headless
 * harness (build-aux/run-tests: a session bus with an unlocked gnome-keyring).
 */
#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "np-test-workspace.h"

#define WAIT_MS 15000

/* Services on a ledger file of the test's own ------------------------------- */

typedef struct {
  char          *path;
  NpLedger      *ledger;
  NpKeyring     *keyring;
  NpAccounts    *accounts;
  /* items-changed, as a view would see it */
  guint          n_changes;
  guint          last_position;
  guint          last_removed;
  guint          last_added;
} Services;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Services   *s)
{
  s->n_changes++;
  s->last_position = position;
  s->last_removed = removed;
  s->last_added = added;
}

static Services *
services_open (const char *file_name)
{
  Services *s = g_new0 (Services, 1);
  g_autoptr(GError) error = NULL;

  s->path = g_build_filename (np_test_get_home (), file_name, NULL);
  s->ledger = np_ledger_open (s->path, &error);
  g_assert_no_error (error);
  s->keyring = np_keyring_new (np_ledger_get_id (s->ledger));
  s->accounts = np_accounts_new (s->ledger, s->keyring);
  g_signal_connect (s->accounts, "items-changed", G_CALLBACK (on_items_changed), s);
  return s;
}

static void
services_close (Services *s)
{
  g_signal_handlers_disconnect_by_data (s->accounts, s);
  g_clear_object (&s->accounts);
  g_clear_object (&s->keyring);
  g_clear_object (&s->ledger);
  g_free (s->path);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Services, services_close)

static NpAccount *
add_account (Services       *s,
             const char     *name,
             const char     *base_url,
             NpEnvironment   environment,
             const char     *key,
             GError        **error)
{
  g_autoptr(NpAccount) account = np_account_new (name, base_url, environment);
  g_autoptr(GAsyncResult) result = NULL;

  np_accounts_add_async (s->accounts, account, key, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  if (!np_accounts_add_finish (s->accounts, result, error))
    return NULL;
  return g_steal_pointer (&account);
}

static gboolean
update_account (Services    *s,
                NpAccount   *account,
                const char  *key,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_accounts_update_async (s->accounts, account, key, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  return np_accounts_update_finish (s->accounts, result, error);
}

static gboolean
remove_account (Services   *s,
                NpAccount  *account,
                GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_accounts_remove_async (s->accounts, account, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  return np_accounts_remove_finish (s->accounts, result, error);
}

static char *
lookup_key (Services  *s,
            NpAccount *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  np_accounts_lookup_key_async (s->accounts, account, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  key = np_accounts_lookup_key_finish (s->accounts, result, &error);
  g_assert_no_error (error);
  return key;
}

static char *
model_name (Services *s,
            guint     position)
{
  g_autoptr(NpAccount) account = g_list_model_get_item (G_LIST_MODEL (s->accounts), position);

  g_assert_nonnull (account);
  return g_strdup (np_account_get_name (account));
}

/* The names in the model, in its order, joined by "|". */
static char *
model_names (Services *s)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (s->accounts)); i++)
    {
      g_autofree char *name = model_name (s, i);

      g_string_append_printf (names, "%s%s", i > 0 ? "|" : "", name);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* The same from the ledger file, without NpAccounts. */
static char *
ledger_names (NpLedger *ledger)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = np_ledger_list_accounts (ledger, &error);
  g_autoptr(GString) names = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < stored->len; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? "|" : "",
                            np_account_get_name (g_ptr_array_index (stored, i)));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* The keyring, read without NpKeyring ---------------------------------------- */

/* Object paths of the items holding a key of @ledger_id's account @account_id
 * (every account of the ledger when @account_id is 0), found by SearchItems. */
static GStrv
keyring_items (const char *ledger_id,
               gint64      account_id)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **unlocked = NULL;
  g_autofree const char **locked = NULL;
  GVariantBuilder attributes;
  GStrvBuilder *paths = g_strv_builder_new ();
  GStrv result;

  g_variant_builder_init (&attributes, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&attributes, "{ss}", "xdg:schema", np_keyring_get_schema ()->name);
  g_variant_builder_add (&attributes, "{ss}", "ledger-id", ledger_id);
  if (account_id != 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, account_id);

      g_variant_builder_add (&attributes, "{ss}", "account-id", id);
    }
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "SearchItems",
                                       g_variant_new ("(a{ss})", &attributes), G_VARIANT_TYPE ("(aoao)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(^a&o^a&o)", &unlocked, &locked);
  g_strv_builder_addv (paths, unlocked);
  g_strv_builder_addv (paths, locked);
  result = g_strv_builder_end (paths);
  g_strv_builder_unref (paths);
  return result;
}

static GVariant *
item_property (const char *path,
               const char *property)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *value;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", path,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.Secret.Item", property),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return value;
}

/* The one item of @account: asserts there is exactly one, and gives its label
 * and "environment" attribute. */
static void
the_keyring_item (Services    *s,
                  NpAccount   *account,
                  char       **out_label,
                  char       **out_environment)
{
  g_auto(GStrv) items = keyring_items (np_ledger_get_id (s->ledger), np_account_get_id (account));
  g_autoptr(GVariant) label = NULL;
  g_autoptr(GVariant) attributes = NULL;
  const char *environment = NULL;

  if (g_strv_length (items) != 1)
    g_error ("“%s” has %u keyring items, not one", np_account_get_name (account), g_strv_length (items));
  label = item_property (items[0], "Label");
  attributes = item_property (items[0], "Attributes");
  g_assert_true (g_variant_lookup (attributes, "environment", "&s", &environment));
  *out_label = g_variant_dup_string (label, NULL);
  *out_environment = g_strdup (environment);
}

/* The secret stored under all three attributes, found by libsecret alone. */
static char *
keyring_secret (Services      *s,
                gint64         account_id,
                NpEnvironment  environment)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, account_id);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_sync (np_keyring_get_schema (), NULL, &error,
                                        "ledger-id", np_ledger_get_id (s->ledger),
                                        "account-id", id,
                                        "environment", np_environment_to_string (environment),
                                        NULL);
  g_assert_no_error (error);
  return secret;
}

/* Nowhere but the keyring: no file of the test's home (the ledger, its journal
 * and WAL, the sandbox, the keyring of this harness lives elsewhere) and no key
 * of the application's settings holds @key. */
static void
assert_key_only_in_keyring (const char *key)
{
  g_autofree char *file = np_test_find_in_tree (np_test_get_home (), key);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  if (file != NULL)
    g_error ("the API key was written to %s", file);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      if (strstr (text, key) != NULL)
        g_error ("the API key is in the setting %s", keys[i]);
    }
}

/* Tests ------------------------------------------------------------------------ */

/* Adding stores the account in the ledger and its key in the keyring, under the
 * ledger's id, the account's id and its environment, and nowhere else. */
static void
test_add (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(Services) s = services_open ("add.sqlite");
  const char *url = np_test_sandbox_get_base_url (sandbox);
  const char *key = np_test_sandbox_get_test_key (sandbox);
  g_autoptr(NpAccount) shop = NULL;
  g_autoptr(NpAccount) bakery = NULL;
  g_autoptr(NpAccount) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *environment = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *found = NULL;
  g_autofree char *names = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (s->accounts)), ==, 0);

  shop = add_account (s, "Shop", url, NP_ENVIRONMENT_TEST, key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_account_get_id (shop), >, 0);
  g_assert_cmpuint (s->n_changes, ==, 1);
  g_assert_cmpuint (s->last_added, ==, 1);
  g_assert_true (np_accounts_find (s->accounts, np_account_get_id (shop)) == shop);
  g_assert_true (np_accounts_find_by_name (s->accounts, "Shop") == shop);
  g_assert_true (np_accounts_find_by_base_url (s->accounts, url) == shop);

  /* The ledger row, read back from the file's own accessor. */
  stored = np_ledger_get_account (s->ledger, np_account_get_id (shop), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_account_get_name (stored), ==, "Shop");
  g_assert_cmpstr (np_account_get_base_url (stored), ==, url);
  g_assert_cmpint (np_account_get_environment (stored), ==, NP_ENVIRONMENT_TEST);

  /* One keyring item, labelled for a person, with the key as its secret. */
  the_keyring_item (s, shop, &label, &environment);
  g_assert_cmpstr (label, ==, "Neuro-Pay API key for “Shop” (test)");
  g_assert_cmpstr (environment, ==, "test");
  secret = keyring_secret (s, np_account_get_id (shop), NP_ENVIRONMENT_TEST);
  g_assert_cmpstr (secret, ==, key);
  found = lookup_key (s, shop);
  g_assert_cmpstr (found, ==, key);
  g_assert_false (np_keyring_is_session_only (s->keyring));
  assert_key_only_in_keyring (key);

  /* The model stays in name order: "Bakery" goes first. */
  bakery = add_account (s, "Bakery", url, NP_ENVIRONMENT_LIVE, np_test_sandbox_get_live_key (sandbox), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->n_changes, ==, 2);
  g_assert_cmpuint (s->last_position, ==, 0);
  names = model_names (s);
  g_assert_cmpstr (names, ==, "Bakery|Shop");
  g_clear_pointer (&names, g_free);
  names = ledger_names (s->ledger);
  g_assert_cmpstr (names, ==, "Bakery|Shop");
  g_assert_cmpint (np_account_get_id (bakery), !=, np_account_get_id (shop));
  assert_key_only_in_keyring (np_test_sandbox_get_live_key (sandbox));

  g_assert_true (remove_account (s, bakery, NULL));
  g_assert_true (remove_account (s, shop, NULL));
}

/* A duplicate name or a refused URL changes nothing: not the model, not the
 * ledger, not the keyring. */
static void
test_add_refused (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(Services) s = services_open ("add-refused.sqlite");
  const char *url = np_test_sandbox_get_base_url (sandbox);
  g_autoptr(NpAccount) shop = NULL;
  g_autoptr(NpAccount) refused = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const bad_urls[] = {
    "http://example.com", "javascript:alert(1)", "ftp://127.0.0.1/", "not a url", "",
  };

  shop = add_account (s, "Shop", url, NP_ENVIRONMENT_TEST, np_test_sandbox_get_test_key (sandbox), &error);
  g_assert_no_error (error);
  s->n_changes = 0;

  refused = add_account (s, "Shop", url, NP_ENVIRONMENT_LIVE, "np-duplicate-name-key", &error);
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
  g_assert_null (refused);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad_urls); i++)
    {
      refused = add_account (s, "Other shop", bad_urls[i], NP_ENVIRONMENT_TEST, "np-bad-url-key", &error);
      if (error == NULL)
        g_error ("the base URL “%s” was accepted", bad_urls[i]);
      g_assert_null (refused);
      g_clear_error (&error);
    }

  g_assert_cmpuint (s->n_changes, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (s->accounts)), ==, 1);
  {
    g_autofree char *names = ledger_names (s->ledger);
    g_auto(GStrv) items = keyring_items (np_ledger_get_id (s->ledger), 0);

    g_assert_cmpstr (names, ==, "Shop");
    /* Only Shop's key: none of the refused ones was stored under any id. */
    g_assert_cmpuint (g_strv_length (items), ==, 1);
  }

  g_assert_true (remove_account (s, shop, NULL));
}

/* Renaming moves the account in the model and the ledger, and the keyring item's
 * label follows; the key stays. Edits may come on a copy (as the editor makes). */
static void
test_rename (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(Services) s = services_open ("rename.sqlite");
  const char *url = np_test_sandbox_get_base_url (sandbox);
  const char *key = np_test_sandbox_get_test_key (sandbox);
  g_autoptr(NpAccount) bakery = NULL;
  g_autoptr(NpAccount) market = NULL;
  g_autoptr(NpAccount) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *environment = NULL;
  g_autofree char *found = NULL;
  g_autofree char *names = NULL;

  bakery = add_account (s, "Bakery", url, NP_ENVIRONMENT_TEST, key, &error);
  g_assert_no_error (error);
  market = add_account (s, "Market", url, NP_ENVIRONMENT_TEST, "np-market-key-0001", &error);
  g_assert_no_error (error);

  copy = np_account_new ("Toy store", url, NP_ENVIRONMENT_TEST);
  np_account_set_id (copy, np_account_get_id (bakery));
  g_assert_true (update_account (s, copy, NULL, &error));
  g_assert_no_error (error);

  /* The model's own instance took the edit. */
  g_assert_cmpstr (np_account_get_name (bakery), ==, "Toy store");
  g_assert_null (np_accounts_find_by_name (s->accounts, "Bakery"));
  g_assert_true (np_accounts_find_by_name (s->accounts, "Toy store") == bakery);
  names = model_names (s);
  g_assert_cmpstr (names, ==, "Market|Toy store");
  g_clear_pointer (&names, g_free);
  names = ledger_names (s->ledger);
  g_assert_cmpstr (names, ==, "Market|Toy store");

  the_keyring_item (s, bakery, &label, &environment);
  g_assert_cmpstr (label, ==, "Neuro-Pay API key for “Toy store” (test)");
  g_assert_cmpstr (environment, ==, "test");
  found = lookup_key (s, bakery);
  g_assert_cmpstr (found, ==, key);

  /* A name another account has is refused and changes nothing. */
  np_account_set_name (copy, "Market");
  g_assert_false (update_account (s, copy, NULL, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpstr (np_account_get_name (bakery), ==, "Toy store");
  g_clear_pointer (&names, g_free);
  names = ledger_names (s->ledger);
  g_assert_cmpstr (names, ==, "Market|Toy store");

  /* A new key replaces the old one: still one item. */
  g_assert_true (update_account (s, bakery, "np-replaced-key-0002", &error));
  g_assert_no_error (error);
  g_clear_pointer (&found, g_free);
  found = lookup_key (s, bakery);
  g_assert_cmpstr (found, ==, "np-replaced-key-0002");
  g_clear_pointer (&label, g_free);
  g_clear_pointer (&environment, g_free);
  the_keyring_item (s, bakery, &label, &environment);

  g_assert_true (remove_account (s, bakery, NULL));
  g_assert_true (remove_account (s, market, NULL));
}

/* Test and live: the keyring item says which, and moves when the account does. */
static void
test_environment (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(Services) s = services_open ("environment.sqlite");
  const char *url = np_test_sandbox_get_base_url (sandbox);
  const char *test_key = np_test_sandbox_get_test_key (sandbox);
  const char *live_key = np_test_sandbox_get_live_key (sandbox);
  g_autoptr(NpAccount) test = NULL;
  g_autoptr(NpAccount) live = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *environment = NULL;
  g_autofree char *secret = NULL;

  test = add_account (s, "Shop", url, NP_ENVIRONMENT_TEST, test_key, &error);
  g_assert_no_error (error);
  live = add_account (s, "Shop (live)", url, NP_ENVIRONMENT_LIVE, live_key, &error);
  g_assert_no_error (error);
  g_assert_false (np_account_is_live (test));
  g_assert_true (np_account_is_live (live));

  the_keyring_item (s, live, &label, &environment);
  g_assert_cmpstr (label, ==, "Neuro-Pay API key for “Shop (live)” (live)");
  g_assert_cmpstr (environment, ==, "live");
  secret = keyring_secret (s, np_account_get_id (live), NP_ENVIRONMENT_LIVE);
  g_assert_cmpstr (secret, ==, live_key);
  g_clear_pointer (&secret, g_free);
  g_clear_pointer (&label, g_free);
  g_clear_pointer (&environment, g_free);

  /* The test account becomes live: its one item moves with it, same key. */
  np_account_set_environment (test, NP_ENVIRONMENT_LIVE);
  g_assert_true (update_account (s, test, NULL, &error));
  g_assert_no_error (error);
  the_keyring_item (s, test, &label, &environment);
  g_assert_cmpstr (label, ==, "Neuro-Pay API key for “Shop” (live)");
  g_assert_cmpstr (environment, ==, "live");
  secret = keyring_secret (s, np_account_get_id (test), NP_ENVIRONMENT_TEST);
  g_assert_null (secret);
  secret = keyring_secret (s, np_account_get_id (test), NP_ENVIRONMENT_LIVE);
  g_assert_cmpstr (secret, ==, test_key);
  {
    g_autoptr(NpAccount) stored = np_ledger_get_account (s->ledger, np_account_get_id (test), &error);

    g_assert_no_error (error);
    g_assert_cmpint (np_account_get_environment (stored), ==, NP_ENVIRONMENT_LIVE);
  }

  g_assert_true (remove_account (s, test, NULL));
  g_assert_true (remove_account (s, live, NULL));
}

/* Removing deletes the key from the keyring and the account from the model and
 * the ledger; the other account keeps its key. */
static void
test_remove (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(Services) s = services_open ("remove.sqlite");
  const char *url = np_test_sandbox_get_base_url (sandbox);
  const char *key = np_test_sandbox_get_test_key (sandbox);
  g_autoptr(NpAccount) gone = NULL;
  g_autoptr(NpAccount) kept = NULL;
  g_autoptr(NpAccount) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *found = NULL;
  g_autofree char *names = NULL;
  g_auto(GStrv) items = NULL;
  gint64 gone_id;

  gone = add_account (s, "Closed shop", url, NP_ENVIRONMENT_TEST, key, &error);
  g_assert_no_error (error);
  kept = add_account (s, "Open shop", url, NP_ENVIRONMENT_LIVE, np_test_sandbox_get_live_key (sandbox), &error);
  g_assert_no_error (error);
  gone_id = np_account_get_id (gone);
  items = keyring_items (np_ledger_get_id (s->ledger), gone_id);
  g_assert_cmpuint (g_strv_length (items), ==, 1);
  g_clear_pointer (&items, g_strfreev);
  s->n_changes = 0;

  g_assert_true (remove_account (s, gone, &error));
  g_assert_no_error (error);

  /* Gone from the keyring, by its attributes and through the service. */
  items = keyring_items (np_ledger_get_id (s->ledger), gone_id);
  if (g_strv_length (items) != 0)
    g_error ("the removed account still has %u keyring item(s)", g_strv_length (items));
  secret = keyring_secret (s, gone_id, NP_ENVIRONMENT_TEST);
  g_assert_null (secret);
  found = lookup_key (s, gone);
  g_assert_null (found);

  /* Gone from the model and the ledger. */
  g_assert_cmpuint (s->n_changes, ==, 1);
  g_assert_cmpuint (s->last_position, ==, 0);
  g_assert_cmpuint (s->last_removed, ==, 1);
  g_assert_null (np_accounts_find (s->accounts, gone_id));
  names = model_names (s);
  g_assert_cmpstr (names, ==, "Open shop");
  g_clear_pointer (&names, g_free);
  names = ledger_names (s->ledger);
  g_assert_cmpstr (names, ==, "Open shop");
  stored = np_ledger_get_account (s->ledger, gone_id, &error);
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND);
  g_assert_null (stored);
  g_clear_error (&error);

  /* The other one keeps its key. */
  g_clear_pointer (&secret, g_free);
  secret = keyring_secret (s, np_account_get_id (kept), NP_ENVIRONMENT_LIVE);
  g_assert_cmpstr (secret, ==, np_test_sandbox_get_live_key (sandbox));

  /* Removing it again: it no longer exists, and nothing else goes. */
  g_assert_false (remove_account (s, gone, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (s->accounts)), ==, 1);

  g_assert_true (remove_account (s, kept, NULL));
  g_clear_pointer (&items, g_strfreev);
  items = keyring_items (np_ledger_get_id (s->ledger), 0);
  g_assert_cmpuint (g_strv_length (items), ==, 0);
}

/* A new set of service objects on the same ledger file (the next start of the
 * app) finds the same accounts in the same order, and their keys. */
static void
test_persistence (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  Services *s = services_open ("persist.sqlite");
  const char *url = np_test_sandbox_get_base_url (sandbox);
  g_autoptr(NpAccount) zed = NULL;
  g_autoptr(NpAccount) alpha = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ledger_id = g_strdup (np_ledger_get_id (s->ledger));
  g_autofree char *names = NULL;
  gint64 zed_id;
  gint64 alpha_id;

  zed = add_account (s, "Zed shop", url, NP_ENVIRONMENT_TEST, np_test_sandbox_get_test_key (sandbox), &error);
  g_assert_no_error (error);
  alpha = add_account (s, "Alpha shop", url, NP_ENVIRONMENT_LIVE, np_test_sandbox_get_live_key (sandbox), &error);
  g_assert_no_error (error);
  zed_id = np_account_get_id (zed);
  alpha_id = np_account_get_id (alpha);
  g_clear_object (&zed);
  g_clear_object (&alpha);
  g_clear_pointer (&s, services_close);

  s = services_open ("persist.sqlite");
  g_assert_cmpstr (np_ledger_get_id (s->ledger), ==, ledger_id);
  names = model_names (s);
  g_assert_cmpstr (names, ==, "Alpha shop|Zed shop");
  alpha = g_list_model_get_item (G_LIST_MODEL (s->accounts), 0);
  zed = g_list_model_get_item (G_LIST_MODEL (s->accounts), 1);
  g_assert_cmpint (np_account_get_id (alpha), ==, alpha_id);
  g_assert_cmpint (np_account_get_id (zed), ==, zed_id);
  g_assert_cmpstr (np_account_get_base_url (zed), ==, url);
  g_assert_true (np_account_is_live (alpha));
  g_assert_false (np_account_is_live (zed));
  {
    g_autofree char *zed_key = lookup_key (s, zed);
    g_autofree char *alpha_key = lookup_key (s, alpha);

    g_assert_cmpstr (zed_key, ==, np_test_sandbox_get_test_key (sandbox));
    g_assert_cmpstr (alpha_key, ==, np_test_sandbox_get_live_key (sandbox));
  }

  /* A removal is as lasting. */
  g_assert_true (remove_account (s, zed, &error));
  g_assert_no_error (error);
  g_clear_object (&zed);
  g_clear_object (&alpha);
  g_clear_pointer (&s, services_close);

  s = services_open ("persist.sqlite");
  g_clear_pointer (&names, g_free);
  names = model_names (s);
  g_assert_cmpstr (names, ==, "Alpha shop");
  alpha = g_list_model_get_item (G_LIST_MODEL (s->accounts), 0);
  {
    g_autofree char *secret = keyring_secret (s, zed_id, NP_ENVIRONMENT_TEST);

    g_assert_null (secret);
  }
  g_assert_true (remove_account (s, alpha, NULL));
  services_close (s);
}

/* Switching the current account: each one's client carries its own key, so the
 * sandbox answers from that account's world (the test key sees test data, the
 * live key live data); an account without a key cannot become usable. */
static void
test_switch_current (void)
{
  g_autoptr(NpTestWorkspace) tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpAccount) live = np_account_new ("Live shop", np_test_sandbox_get_base_url (tw->sandbox),
                                              NP_ENVIRONMENT_LIVE);
  g_autoptr(NpAccount) keyless = np_account_new ("Keyless shop", np_test_sandbox_get_base_url (tw->sandbox),
                                                 NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = NULL;
  g_autoptr(NpCheckout) found = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;

  np_accounts_add_async (tw->accounts, live, np_test_sandbox_get_live_key (tw->sandbox), NULL,
                         np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_true (np_accounts_add_finish (tw->accounts, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* Made while the test account is current: the test world. */
  g_assert_true (np_workspace_get_account (tw->workspace) == tw->account);
  g_assert_false (np_workspace_get_live (tw->workspace));
  created = np_test_workspace_create_checkout (tw, 1500, "SEK", TRUE);
  id = np_checkout_get_id (created);

  np_workspace_set_account_async (tw->workspace, live, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_true (np_workspace_set_account_finish (tw->workspace, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (np_workspace_get_account (tw->workspace) == live);
  g_assert_cmpint (np_workspace_get_account_id (tw->workspace), ==, np_account_get_id (live));
  g_assert_true (np_workspace_get_live (tw->workspace));
  g_assert_nonnull (np_workspace_get_client (tw->workspace));

  /* The live key does not see the test world's checkout. */
  np_workspace_lookup_checkout_async (tw->workspace, id, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  found = np_workspace_checkout_finish (tw->workspace, result, &error);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NOT_FOUND);
  g_assert_null (found);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Back to the test account: its key sees it again. */
  np_workspace_set_account_async (tw->workspace, tw->account, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_true (np_workspace_set_account_finish (tw->workspace, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_false (np_workspace_get_live (tw->workspace));
  np_workspace_lookup_checkout_async (tw->workspace, id, NULL, np_test_store_result, &result);
  found = np_test_workspace_wait_checkout (tw, &result);
  g_assert_cmpstr (np_checkout_get_id (found), ==, id);
  g_assert_cmpint (np_checkout_get_amount (found), ==, 1500);

  /* An account whose key is not in the keyring: no client, a sentence saying so. */
  g_assert_true (np_ledger_add_account (tw->ledger, keyless, &error));
  g_assert_no_error (error);
  np_workspace_set_account_async (tw->workspace, keyless, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_false (np_workspace_set_account_finish (tw->workspace, result, &error));
  g_assert_error (error, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "Keyless shop"));
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_null (np_workspace_get_client (tw->workspace));
  np_ledger_remove_account (tw->ledger, np_account_get_id (keyless), NULL);

  np_accounts_remove_async (tw->accounts, live, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_true (np_accounts_remove_finish (tw->accounts, result, NULL));
}

static NpConnectionResult
test_connection (NpAccounts  *accounts,
                 const char  *base_url,
                 const char  *key,
                 char       **out_message)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_accounts_test_connection_async (accounts, base_url, key, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  return np_accounts_test_connection_finish (accounts, result, out_message);
}

/* "Test connection" against the sandbox: both keys are accepted, a wrong key is
 * refused, a wrong path, a closed port, a refused URL and a failing server are
 * each told apart. */
static void
test_connection_check (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(Services) s = services_open ("connection.sqlite");
  const char *url = np_test_sandbox_get_base_url (sandbox);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *closed_url = NULL;
  g_autofree char *wrong_path = g_strconcat (url, "/v2", NULL);
  char *message = NULL;
  guint probes;

  g_assert_cmpint (test_connection (s->accounts, url, np_test_sandbox_get_test_key (sandbox), &message),
                   ==, NP_CONNECTION_OK);
  g_assert_nonnull (strstr (message, "the API key was accepted"));
  g_clear_pointer (&message, g_free);
  /* It asked the server: the made-up id, then the same with a key that cannot be valid. */
  probes = np_test_sandbox_count_requests (sandbox, "/checkout/retrieve");
  g_assert_cmpuint (probes, ==, 2);

  g_assert_cmpint (test_connection (s->accounts, url, np_test_sandbox_get_live_key (sandbox), &message),
                   ==, NP_CONNECTION_OK);
  g_clear_pointer (&message, g_free);

  g_assert_cmpint (test_connection (s->accounts, url, "np-not-the-sandbox-key", &message),
                   ==, NP_CONNECTION_UNAUTHORIZED);
  g_assert_nonnull (strstr (message, "refused the API key"));
  g_clear_pointer (&message, g_free);

  /* The server is there, but the API is not at this path: 404 whatever the key. */
  g_assert_cmpint (test_connection (s->accounts, wrong_path, np_test_sandbox_get_test_key (sandbox), &message),
                   ==, NP_CONNECTION_WRONG_URL);
  g_assert_nonnull (strstr (message, "does not have the Neuro-Pay API"));
  g_clear_pointer (&message, g_free);

  /* A port bound but not listening: the connection is refused. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any_port, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  closed_url = g_strdup_printf ("http://127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_assert_cmpint (test_connection (s->accounts, closed_url, np_test_sandbox_get_test_key (sandbox), &message),
                   ==, NP_CONNECTION_WRONG_URL);
  g_assert_nonnull (strstr (message, "No Neuro-Pay API answered"));
  g_clear_pointer (&message, g_free);

  /* Plain HTTP off this computer: refused before anything is sent. */
  g_assert_cmpint (test_connection (s->accounts, "http://example.com", np_test_sandbox_get_test_key (sandbox),
                                    &message),
                   ==, NP_CONNECTION_INVALID_URL);
  g_clear_pointer (&message, g_free);

  np_test_sandbox_add_fault (sandbox, "/checkout/retrieve", "status:500", 1);
  g_assert_cmpint (test_connection (s->accounts, url, np_test_sandbox_get_test_key (sandbox), &message),
                   ==, NP_CONNECTION_SERVER);
  g_assert_nonnull (strstr (message, "not answering properly"));
  g_clear_pointer (&message, g_free);

  /* A probe stores nothing. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (s->accounts)), ==, 0);
  {
    g_auto(GStrv) items = keyring_items (np_ledger_get_id (s->ledger), 0);

    g_assert_cmpuint (g_strv_length (items), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/services/accounts/add", test_add);
  g_test_add_func ("/services/accounts/add-refused", test_add_refused);
  g_test_add_func ("/services/accounts/rename", test_rename);
  g_test_add_func ("/services/accounts/environment", test_environment);
  g_test_add_func ("/services/accounts/remove", test_remove);
  g_test_add_func ("/services/accounts/persistence", test_persistence);
  g_test_add_func ("/services/accounts/switch-current", test_switch_current);
  g_test_add_func ("/services/accounts/connection", test_connection_check);
  return g_test_run ();
}
