/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-accounts.c — accounts through the real UI: first run, the account editor, the
 * header switcher and the live indicator.
 *
 * Everything is real: the application's own ledger in a private data dir, the
 * gnome-keyring of the test harness, the embedded sandbox the first run starts, and
 * a second sandbox (np_test_sandbox) standing in for a live account's server.
 */
#include "config.h"

#include <adwaita.h>

#include "np-account-editor.h"
#include "np-account-first-run-page.h"
#include "np-account-row.h"
#include "np-account-switcher.h"
#include "np-application.h"
#include "np-keyring.h"
#include "np-preferences-window.h"
#include "np-test-sandbox.h"
#include "np-test-utils.h"
#include "np-window.h"
#include "test-app-common.h"

#define TIMEOUT 20000
#define LIVE_NAME "Shop Live"

static NpApplication *app;
static NpTestSandbox *live_server;  /* the "live" account's server */

/* Finding the real widgets */

/* The mnemonic text a button shows, whether set as its label or as its child label
 * (the views give mnemonic buttons a child label so screen readers hear it once). */
static const char *
button_mnemonic (GtkWidget *button)
{
  GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));

  return GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child)) : gtk_button_get_label (GTK_BUTTON (button));
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (button_mnemonic (widget), data) == 0;
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
is_mapped_label (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static gpointer
find_of_type (gpointer root,
              GType    type)
{
  return app_find_descendant (GTK_WIDGET (root), type);
}

static NpWindow *
get_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (NP_IS_WINDOW (window));
  return NP_WINDOW (window);
}

static NpWorkspace *
get_workspace (void)
{
  return np_application_get_workspace (app);
}

static NpAccounts *
get_accounts (void)
{
  return np_workspace_get_accounts (get_workspace ());
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* First run */

static gboolean
sandbox_is_current (gpointer data)
{
  NpWorkspace *workspace = get_workspace ();
  NpAccount *account = np_workspace_get_account (workspace);

  return account != NULL && g_strcmp0 (np_account_get_name (account), "Sandbox") == 0 &&
         np_workspace_get_client (workspace) != NULL;
}

static void
test_first_run_sandbox (void)
{
  NpWindow *window = get_window ();
  NpAccountFirstRunPage *first_run;
  NpAccountSwitcher *switcher;

  np_test_wait_until (app_widget_mapped, window, TIMEOUT, "the main window");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (get_accounts ())), ==, 0);

  first_run = find_of_type (window, NP_TYPE_ACCOUNT_FIRST_RUN_PAGE);
  g_assert_nonnull (first_run);
  np_test_wait_until (app_widget_mapped, first_run, TIMEOUT, "the first-run page");
  app_save_widget_screenshot (GTK_WIDGET (window), "first-run.png");

  click (app_find_widget (GTK_WIDGET (first_run), is_button_labelled, "_Try the Sandbox"));
  np_test_wait_until (sandbox_is_current, NULL, TIMEOUT, "the Sandbox account to be current");

  /* The console replaces the first-run page, and the header names the account. */
  np_test_wait_until (app_widget_unmapped, first_run, TIMEOUT, "the first-run page to go");
  switcher = find_of_type (window, NP_TYPE_ACCOUNT_SWITCHER);
  np_test_wait_until (app_widget_mapped, switcher, TIMEOUT, "the account switcher");
  g_assert_nonnull (app_find_widget (GTK_WIDGET (switcher), is_mapped_label, "Sandbox"));
  g_assert_nonnull (app_find_widget (GTK_WIDGET (switcher), is_mapped_label, "Test"));
  g_assert_null (app_find_widget (GTK_WIDGET (window), is_mapped_label, "LIVE"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "np-live"));
  /* The choice is remembered for the next start (its id only). */
  g_assert_cmpint (g_settings_get_int64 (np_application_get_settings (app), "current-account"), ==,
                   np_workspace_get_account_id (get_workspace ()));
}

/* The account editor */

static NpPreferencesWindow *
open_preferences (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  return NP_PREFERENCES_WINDOW (app_wait_toplevel (NP_TYPE_PREFERENCES_WINDOW));
}

static gboolean
editor_has_result (gpointer data)
{
  return !np_account_editor_get_busy (data) && np_account_editor_get_connection_result (data, NULL);
}

static NpConnectionResult
run_connection_test (NpAccountEditor *editor)
{
  GtkWidget *test_button = app_find_widget (GTK_WIDGET (editor), is_button_labelled, "_Test");
  GtkSpinner *spinner = find_of_type (editor, GTK_TYPE_SPINNER);
  NpConnectionResult result = -1;

  click (test_button);
  /* The spinner turns while the request is out. */
  g_assert_true (np_account_editor_get_busy (editor));
  g_assert_true (gtk_spinner_get_spinning (spinner));
  np_test_wait_until (editor_has_result, editor, TIMEOUT, "the connection test");
  g_assert_false (gtk_spinner_get_spinning (spinner));
  g_assert_true (np_account_editor_get_connection_result (editor, &result));
  return result;
}

static const char *
test_row_subtitle (NpAccountEditor *editor)
{
  GtkWidget *row = app_find_widget (GTK_WIDGET (editor), is_row_titled, "Test Connection");

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static gboolean
live_account_listed (gpointer data)
{
  return np_accounts_find_by_name (get_accounts (), LIVE_NAME) != NULL;
}

static gboolean
is_account_row_named (GtkWidget     *widget,
                      gconstpointer  data)
{
  return NP_IS_ACCOUNT_ROW (widget) &&
         g_strcmp0 (np_account_get_name (np_account_row_get_account (NP_ACCOUNT_ROW (widget))), data) == 0;
}

static NpAccountRow *
find_account_row (NpPreferencesWindow *preferences,
                  const char          *name)
{
  return (NpAccountRow *) app_find_widget (GTK_WIDGET (preferences), is_account_row_named, name);
}

typedef struct {
  NpPreferencesWindow *preferences;
  const char          *name;
  const char          *masked;
} RowMasked;

static gboolean
row_shows_masked_key (gpointer data)
{
  RowMasked *wanted = data;
  NpAccountRow *row = find_account_row (wanted->preferences, wanted->name);

  return row != NULL && g_strcmp0 (np_account_row_get_masked_key (row), wanted->masked) == 0 &&
         strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), wanted->masked) != NULL;
}

static gboolean
is_button_with_tooltip (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

static void
test_add_live_account (void)
{
  const char *key = np_test_sandbox_get_live_key (live_server);
  NpPreferencesWindow *preferences = open_preferences ();
  guint retrieves_before = np_test_sandbox_count_requests (live_server, "/checkout/retrieve");
  g_autofree char *masked = np_keyring_mask_key (key);
  RowMasked wanted = { preferences, LIVE_NAME, masked };
  NpAccountEditor *editor;
  GtkWidget *save, *name_row, *url_row, *key_row;
  GtkDropDown *environment;
  NpAccount *account;

  /* The sandbox account of the first run is listed with its key masked. */
  g_assert_nonnull (find_account_row (preferences, "Sandbox"));

  click (app_find_widget (GTK_WIDGET (preferences), is_button_with_tooltip, "Add Account"));
  editor = NP_ACCOUNT_EDITOR (app_wait_toplevel (NP_TYPE_ACCOUNT_EDITOR));

  save = app_find_widget (GTK_WIDGET (editor), is_button_labelled, "_Save");
  name_row = app_find_widget (GTK_WIDGET (editor), is_row_titled, "Name");
  url_row = app_find_widget (GTK_WIDGET (editor), is_row_titled, "Base URL");
  key_row = app_find_widget (GTK_WIDGET (editor), is_row_titled, "API Key");
  environment = GTK_DROP_DOWN (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (app_find_widget (GTK_WIDGET (editor), is_row_titled, "Environment"))));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (key_row));
  g_assert_false (gtk_widget_get_sensitive (save));

  /* A base URL that is neither https nor loopback http is refused as it is typed. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), LIVE_NAME);
  gtk_editable_set_text (GTK_EDITABLE (key_row), key);
  gtk_editable_set_text (GTK_EDITABLE (url_row), "http://payments.example.com");
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  g_assert_false (gtk_widget_get_sensitive (save));

  gtk_editable_set_text (GTK_EDITABLE (url_row), np_test_sandbox_get_base_url (live_server));
  g_assert_false (gtk_widget_has_css_class (url_row, "error"));
  gtk_drop_down_set_selected (environment, 1);  /* Live */
  g_assert_true (gtk_widget_get_sensitive (save));

  /* A wrong key is told apart from a working one, by real requests. */
  gtk_editable_set_text (GTK_EDITABLE (key_row), "not-the-key-0000000000000000000");
  g_assert_cmpint (run_connection_test (editor), ==, NP_CONNECTION_UNAUTHORIZED);
  g_assert_cmpstr (test_row_subtitle (editor), !=, "");
  g_assert_true (gtk_widget_has_css_class (app_find_widget (GTK_WIDGET (editor), is_row_titled, "Test Connection"),
                                           "error"));

  gtk_editable_set_text (GTK_EDITABLE (key_row), key);
  g_assert_cmpint (run_connection_test (editor), ==, NP_CONNECTION_OK);
  g_assert_null (strstr (test_row_subtitle (editor), key));
  g_assert_cmpuint (np_test_sandbox_count_requests (live_server, "/checkout/retrieve"), >=, retrieves_before + 2);
  app_save_widget_screenshot (GTK_WIDGET (editor), "account-editor.png");

  click (save);
  np_test_wait_until (live_account_listed, NULL, TIMEOUT, "the new account in the list");
  app_wait_toplevel_gone (NP_TYPE_ACCOUNT_EDITOR);

  account = np_accounts_find_by_name (get_accounts (), LIVE_NAME);
  g_assert_true (np_account_is_live (account));
  g_assert_cmpstr (np_account_get_base_url (account), ==, np_test_sandbox_get_base_url (live_server));
  /* The list shows the key masked, as it came back from the keyring. */
  np_test_wait_until (row_shows_masked_key, &wanted, TIMEOUT, "the masked key in the accounts list");
  g_assert_true (g_str_has_suffix (masked, key + strlen (key) - 4));
  app_save_widget_screenshot (GTK_WIDGET (preferences), "preferences-accounts.png");

  /* Adding does not switch away from the account in use. */
  g_assert_cmpstr (np_account_get_name (np_workspace_get_account (get_workspace ())), ==, "Sandbox");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* The header switcher and the live indicator */

static gboolean
account_is_current (gpointer data)
{
  NpWorkspace *workspace = get_workspace ();
  NpAccount *account = np_workspace_get_account (workspace);

  return account != NULL && g_strcmp0 (np_account_get_name (account), data) == 0 &&
         np_workspace_get_client (workspace) != NULL;
}

static void
switch_from_header (const char *name)
{
  NpAccountSwitcher *switcher = find_of_type (get_window (), NP_TYPE_ACCOUNT_SWITCHER);
  GtkMenuButton *button = np_account_switcher_get_button (switcher);
  GtkListBox *list = np_account_switcher_get_list (switcher);
  GtkWidget *row;

  gtk_menu_button_popup (button);
  np_test_wait_until (app_widget_mapped, list, TIMEOUT, "the account list to pop up");

  for (row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      NpAccount *account = g_object_get_data (G_OBJECT (row), "account");

      if (account != NULL && g_strcmp0 (np_account_get_name (account), name) == 0)
        break;
    }
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate (row));
  np_test_wait_until (account_is_current, (gpointer) name, TIMEOUT, name);
}

static gboolean
live_shown (gpointer data)
{
  GtkWidget *window = GTK_WIDGET (get_window ());

  return gtk_widget_has_css_class (window, "np-live") &&
         app_find_widget (window, is_mapped_label, "LIVE") != NULL;
}

static void
test_switch_to_live (void)
{
  NpWindow *window = get_window ();
  NpAccountSwitcher *switcher = find_of_type (window, NP_TYPE_ACCOUNT_SWITCHER);
  GtkWidget *pill;

  switch_from_header (LIVE_NAME);
  g_assert_true (np_workspace_get_live (get_workspace ()));

  /* A pill, a coloured header and the environment by name, on every page. */
  np_test_wait_until (live_shown, NULL, TIMEOUT, "the live indicator");
  pill = app_find_widget (GTK_WIDGET (window), is_mapped_label, "LIVE");
  g_assert_true (gtk_widget_has_css_class (pill, "np-live-indicator"));
  g_assert_nonnull (app_find_widget (GTK_WIDGET (switcher), is_mapped_label, LIVE_NAME));
  g_assert_nonnull (app_find_widget (GTK_WIDGET (switcher), is_mapped_label, "Live"));
  for (guint i = 0; i < 4; i++)
    {
      static const char * const pages[] = { "checkouts", "customers", "activity", "overview" };

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", pages[i]));
      g_assert_nonnull (app_find_widget (GTK_WIDGET (window), is_mapped_label, "LIVE"));
    }
  app_save_widget_screenshot (GTK_WIDGET (window), "live-account.png");
  g_assert_cmpint (g_settings_get_int64 (np_application_get_settings (app), "current-account"), ==,
                   np_workspace_get_account_id (get_workspace ()));

  /* Back on a test account the indicator goes. */
  switch_from_header ("Sandbox");
  g_assert_false (np_workspace_get_live (get_workspace ()));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "np-live"));
  g_assert_null (app_find_widget (GTK_WIDGET (window), is_mapped_label, "LIVE"));
}

/* The key lives in the keyring only */

static void
assert_settings_free_of (const char *key)
{
  GSettings *settings = np_application_get_settings (app);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) names = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  names = g_settings_schema_list_keys (schema);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, names[i]);
      g_autofree char *text = g_variant_print (value, TRUE);

      g_assert_null (strstr (text, key));
    }
}

static void
test_key_nowhere_on_disk (void)
{
  const char *key = np_test_sandbox_get_live_key (live_server);
  NpLedger *ledger = np_workspace_get_ledger (get_workspace ());
  g_autofree char *wal = g_strconcat (np_ledger_get_path (ledger), "-wal", NULL);
  g_autofree char *in_data = NULL;
  g_autofree char *in_config = NULL;
  g_autofree char *in_cache = NULL;

  assert_settings_free_of (key);
  g_assert_false (np_test_file_contains (np_ledger_get_path (ledger), key));
  g_assert_false (np_test_file_contains (wal, key));
  in_data = np_test_find_in_tree (g_get_user_data_dir (), key);
  in_config = np_test_find_in_tree (g_get_user_config_dir (), key);
  in_cache = np_test_find_in_tree (g_get_user_cache_dir (), key);
  g_assert_null (in_data);
  g_assert_null (in_config);
  g_assert_null (in_cache);
}

/* Removing an account, and its key with it */

static gboolean
live_account_gone (gpointer data)
{
  return np_accounts_find_by_name (get_accounts (), LIVE_NAME) == NULL;
}

static void
test_remove_account (void)
{
  NpAccount *account = np_accounts_find_by_name (get_accounts (), LIVE_NAME);
  g_autoptr(NpAccount) removed = g_object_ref (account);
  NpPreferencesWindow *preferences = open_preferences ();
  NpKeyring *keyring = np_accounts_get_keyring (get_accounts ());
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key_after = NULL;
  NpAccountRow *row = find_account_row (preferences, LIVE_NAME);
  AdwMessageDialog *dialog;
  GtkWidget *check;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (row);
  click (app_find_widget (GTK_WIDGET (row), is_button_with_tooltip, "Remove Account"));
  dialog = ADW_MESSAGE_DIALOG (app_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  /* The feedback module's one confirmation: on a live account it says so and
   * Remove stays off until the person ticks that they mean it. */
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), LIVE_NAME));
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "on the live account?"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "keyring"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "live account"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "confirm"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "confirm"));
  check = app_find_widget (GTK_WIDGET (dialog), app_match_type, GSIZE_TO_POINTER (GTK_TYPE_CHECK_BUTTON));
  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "confirm"));

  adw_message_dialog_response (dialog, "confirm");
  np_test_wait_until (live_account_gone, NULL, TIMEOUT, "the account to be removed");
  g_assert_null (find_account_row (preferences, LIVE_NAME));

  /* Straight from the keyring, not through the accounts: the secret is gone. */
  np_keyring_lookup_async (keyring, removed, NULL, np_test_store_result, &result);
  key_after = np_keyring_lookup_finish (keyring, np_test_wait_result (&result, TIMEOUT), &error);
  g_assert_no_error (error);
  g_assert_null (key_after);

  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* Preferences' "Requests at Once": the spin button writes the GSettings key, and
 * the workspace's refreshes take their cap from it. */
static void
test_refresh_in_flight_preference (void)
{
  NpPreferencesWindow *preferences = open_preferences ();
  GtkWidget *row = app_find_widget (GTK_WIDGET (preferences), is_row_titled, "Requests at Once");
  GtkWidget *spin;
  guint cap = 0;

  g_assert_nonnull (row);
  spin = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 32);
  g_object_get (get_workspace (), "refresh-max-in-flight", &cap, NULL);
  g_assert_cmpuint (cap, ==, 32);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 12);
  g_assert_cmpuint (g_settings_get_uint (np_application_get_settings (app), "refresh-max-in-flight"), ==, 12);
  g_object_get (get_workspace (), "refresh-max-in-flight", &cap, NULL);
  g_assert_cmpuint (cap, ==, 12);
  /* The key's range is the spin button's: 1 to 32. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 100);
  g_assert_cmpuint (g_settings_get_uint (np_application_get_settings (app), "refresh-max-in-flight"), ==, 32);

  g_settings_reset (np_application_get_settings (app), "refresh-max-in-flight");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  np_test_init (&argc, &argv);
  live_server = np_test_sandbox_new ();

  app = np_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  /* Without a window manager focus moves between windows without focus-out events;
   * a blinking cursor would then warn (fatally, in a test). */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add_func ("/ui/accounts/first-run-sandbox", test_first_run_sandbox);
  g_test_add_func ("/ui/accounts/add-live-account", test_add_live_account);
  g_test_add_func ("/ui/accounts/switch-to-live", test_switch_to_live);
  g_test_add_func ("/ui/accounts/key-nowhere-on-disk", test_key_nowhere_on_disk);
  g_test_add_func ("/ui/accounts/remove-account", test_remove_account);
  g_test_add_func ("/ui/accounts/refresh-in-flight-preference", test_refresh_in_flight_preference);

  status = g_test_run ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_clear_object (&app);
  np_test_sandbox_free (live_server);
  return status;
}
