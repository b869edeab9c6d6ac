/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-keyring.c — NpKeyring against the real gnome-keyring of the headless harness,
 * and against a session bus that has no Secret Service at all.
 *
 * Runs under build-aux/run-tests (dbus-run-session + an unlocked gnome-keyring).
 */
#include <libsecret/secret.h>

#include "np-keyring.h"
#include "np-test-utils.h"

#define WAIT_MS 10000

static NpAccount *
make_account (const char    *name,
              gint64         id,
              NpEnvironment  environment)
{
  NpAccount *account = np_account_new (name, "https://api.example.test", environment);

  /* Ids as a ledger hands them out; unique per run so reruns do not meet old items. */
  np_account_set_id (account, id);
  return account;
}

static gboolean
store_key (NpKeyring   *keyring,
           NpAccount   *account,
           const char  *key,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_keyring_store_async (keyring, account, key, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  return np_keyring_store_finish (keyring, result, error);
}

static char *
lookup_key (NpKeyring  *keyring,
            NpAccount  *account,
            GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_keyring_lookup_async (keyring, account, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  return np_keyring_lookup_finish (keyring, result, error);
}

static gboolean
clear_key (NpKeyring  *keyring,
           NpAccount  *account,
           GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_keyring_clear_async (keyring, account, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  return np_keyring_clear_finish (keyring, result, error);
}

/* The object paths of the items the Secret Service holds for @account_id, found by
 * the schema's attributes over plain D-Bus (SearchItems): what Seahorse sees, and
 * without libsecret's search, which leaks a little per item in 0.20. */
static GStrv
search_items (gint64 account_id)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, account_id);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **unlocked = NULL;
  g_autofree const char **locked = NULL;
  GVariantBuilder attributes;
  GStrvBuilder *paths = g_strv_builder_new ();
  GStrv result;

  g_variant_builder_init (&attributes, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&attributes, "{ss}", "xdg:schema", np_keyring_get_schema ()->name);
  g_variant_builder_add (&attributes, "{ss}", "account-id", id);
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

static char *
item_label (const char *path)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", path,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.Secret.Item", "Label"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return g_variant_dup_string (value, NULL);
}

/* This run's ledger: keys are scoped to one ledger's accounts. */
static char *ledger_id;

static gint64
unique_id (void)
{
  /* Large ids also prove a gint64 survives the attribute (libsecret INTEGER is a gint). */
  return G_GINT64_CONSTANT (5000000000) + g_get_real_time () % 1000000000;
}

static void
test_store_lookup_replace_delete (void)
{
  g_autoptr(NpKeyring) keyring = np_keyring_new (ledger_id);
  gint64 base = unique_id ();
  g_autoptr(NpAccount) shop = make_account ("Shop", base, NP_ENVIRONMENT_TEST);
  g_autoptr(NpAccount) cafe = make_account ("Café", base + 1, NP_ENVIRONMENT_LIVE);
  g_autofree char *shop_key = g_strdup_printf ("sk_test_shop_%" G_GINT64_FORMAT "_a1b2", base);
  g_autofree char *shop_key2 = g_strdup_printf ("sk_test_shop2_%" G_GINT64_FORMAT "_c3d4", base);
  g_autofree char *cafe_key = g_strdup_printf ("sk_live_cafe_%" G_GINT64_FORMAT "_e5f6", base);
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *by_attributes = NULL;
  g_autofree char *leak = NULL;
  g_autofree char *id_text = NULL;
  g_auto(GStrv) items = NULL;

  g_assert_true (store_key (keyring, shop, shop_key, &error));
  g_assert_no_error (error);
  g_assert_true (store_key (keyring, cafe, cafe_key, &error));
  g_assert_no_error (error);
  g_assert_false (np_keyring_is_session_only (keyring));

  found = lookup_key (keyring, shop, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, shop_key);
  g_clear_pointer (&found, g_free);
  found = lookup_key (keyring, cafe, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, cafe_key);
  g_clear_pointer (&found, g_free);

  /* Found by attributes, without NpKeyring: what Seahorse and other tools see. */
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, base + 1);
  by_attributes = secret_password_lookup_sync (np_keyring_get_schema (), NULL, &error,
                                               "ledger-id", ledger_id,
                                               "account-id", id_text,
                                               "environment", "live",
                                               NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (by_attributes, ==, cafe_key);

  items = search_items (base + 1);
  g_assert_cmpuint (g_strv_length (items), ==, 1);
  {
    g_autofree char *label = item_label (items[0]);

    g_assert_cmpstr (label, ==, "Neuro-Pay API key for “Café” (live)");
  }
  g_clear_pointer (&items, g_strfreev);

  /* Replace: still one item, with the new key. */
  g_assert_true (store_key (keyring, shop, shop_key2, &error));
  g_assert_no_error (error);
  found = lookup_key (keyring, shop, &error);
  g_assert_cmpstr (found, ==, shop_key2);
  g_clear_pointer (&found, g_free);
  items = search_items (base);
  g_assert_cmpuint (g_strv_length (items), ==, 1);
  g_clear_pointer (&items, g_strfreev);

  /* An account that becomes live: its key moves, no stale test item stays. */
  np_account_set_environment (shop, NP_ENVIRONMENT_LIVE);
  g_assert_true (store_key (keyring, shop, shop_key2, &error));
  g_assert_no_error (error);
  items = search_items (base);
  g_assert_cmpuint (g_strv_length (items), ==, 1);
  g_clear_pointer (&items, g_strfreev);

  /* Nothing on disk in the test's home holds a key. */
  leak = np_test_find_in_tree (np_test_get_home (), shop_key2);
  g_assert_null (leak);
  leak = np_test_find_in_tree (np_test_get_home (), cafe_key);
  g_assert_null (leak);

  /* Delete one; the other stays. */
  g_assert_true (clear_key (keyring, shop, &error));
  g_assert_no_error (error);
  found = lookup_key (keyring, shop, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  items = search_items (base);
  g_assert_cmpuint (g_strv_length (items), ==, 0);
  g_clear_pointer (&items, g_strfreev);
  found = lookup_key (keyring, cafe, &error);
  g_assert_cmpstr (found, ==, cafe_key);
  g_clear_pointer (&found, g_free);

  g_assert_true (clear_key (keyring, cafe, &error));
  g_assert_no_error (error);
  items = search_items (base + 1);
  g_assert_cmpuint (g_strv_length (items), ==, 0);
}

static void
test_mask (void)
{
  g_autofree char *masked = np_keyring_mask_key ("sk_test_0123456789abcdef1a2b");
  g_autofree char *shortkey = np_keyring_mask_key ("abc");
  g_autofree char *empty = np_keyring_mask_key (NULL);

  g_assert_cmpstr (masked, ==, "••••••••1a2b");
  g_assert_cmpstr (shortkey, ==, "••••••••");
  g_assert_cmpstr (empty, ==, "");
}

/* Runs in a child process whose session bus has no Secret Service: the call fails
 * with UNAVAILABLE within 5 s and the key still works for the session. */
static void
check_unavailable (void)
{
  g_autoptr(NpKeyring) keyring = np_keyring_new (ledger_id);
  g_autoptr(NpAccount) account = make_account ("Offline", 7, NP_ENVIRONMENT_TEST);
  g_autoptr(NpAccount) other = make_account ("Other", 8, NP_ENVIRONMENT_TEST);
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  g_assert_false (store_key (keyring, account, "sk_test_session_only_9z9z", &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, NP_KEYRING_ERROR, NP_KEYRING_ERROR_UNAVAILABLE);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  g_assert_true (np_keyring_is_session_only (keyring));
  g_test_message ("UNAVAILABLE after %.2f s", elapsed / (double) G_USEC_PER_SEC);
  g_clear_error (&error);

  /* The session key is found without an error (and quickly: no second wait). */
  start = g_get_monotonic_time ();
  found = lookup_key (keyring, account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "sk_test_session_only_9z9z");
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  /* An account without a session key: the caller learns there is no keyring. */
  g_clear_pointer (&found, g_free);
  found = lookup_key (keyring, other, &error);
  g_assert_error (error, NP_KEYRING_ERROR, NP_KEYRING_ERROR_UNAVAILABLE);
  g_assert_null (found);
  g_clear_error (&error);

  g_assert_true (clear_key (keyring, account, &error));
  g_assert_no_error (error);
  found = lookup_key (keyring, account, &error);
  g_assert_error (error, NP_KEYRING_ERROR, NP_KEYRING_ERROR_UNAVAILABLE);
  g_assert_null (found);

  g_assert_null (np_test_find_in_tree (np_test_get_home (), "sk_test_session_only_9z9z"));
}

static void
test_no_service_on_bus (void)
{
  if (g_test_subprocess ())
    {
      /* A fresh dbus-daemon with no service files: nothing can be activated. */
      g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);

      g_test_dbus_up (bus);
      check_unavailable ();
      g_test_dbus_down (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_no_bus_at_all (void)
{
  if (g_test_subprocess ())
    {
      check_unavailable ();
      return;
    }

  {
    g_autofree char *saved = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/np-test-bus", TRUE);
    g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
    if (saved != NULL)
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved, TRUE);
    else
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  }
  g_test_trap_assert_passed ();
}

/* Account ids restart at 1 in every ledger: another ledger's account 1 must not
 * find this ledger's account 1's key. */
static void
test_scoped_to_ledger (void)
{
  g_autofree char *other_ledger_id = g_uuid_string_random ();
  g_autoptr(NpKeyring) keyring = np_keyring_new (ledger_id);
  g_autoptr(NpKeyring) other = np_keyring_new (other_ledger_id);
  gint64 id = unique_id ();
  g_autoptr(NpAccount) mine = make_account ("Mine", id, NP_ENVIRONMENT_TEST);
  g_autoptr(NpAccount) theirs = make_account ("Theirs", id, NP_ENVIRONMENT_TEST);
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  g_assert_true (store_key (keyring, mine, "sk_test_mine_0001", &error));
  g_assert_no_error (error);

  found = lookup_key (other, theirs, &error);
  g_assert_no_error (error);
  g_assert_null (found);

  g_assert_true (store_key (other, theirs, "sk_test_theirs_0002", &error));
  g_assert_no_error (error);
  found = lookup_key (keyring, mine, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "sk_test_mine_0001");

  g_assert_true (clear_key (keyring, mine, &error));
  g_assert_true (clear_key (other, theirs, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  np_test_init (&argc, &argv);
  ledger_id = g_uuid_string_random ();

  g_test_add_func ("/keyring/mask", test_mask);
  g_test_add_func ("/keyring/unavailable/no-service", test_no_service_on_bus);
  g_test_add_func ("/keyring/unavailable/no-bus", test_no_bus_at_all);
  g_test_add_func ("/keyring/store-lookup-replace-delete", test_store_lookup_replace_delete);
  g_test_add_func ("/keyring/scoped-to-ledger", test_scoped_to_ledger);

  status = g_test_run ();
  g_clear_pointer (&ledger_id, g_free);

  /* Let go of libsecret's process-wide service proxy, so the leak checker of the
   * sanitizer run sees only what the code under test keeps. */
  secret_service_disconnect ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return status;
}
