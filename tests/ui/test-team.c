/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-team.c — team mode through the real UI: the Preferences "Team Ledger"
 * group, the header's team state, and another desk's operation in Activity.
 *
 * Everything is real: the application on its embedded sandbox, its own ledger
 * and the harness's gnome-keyring, and PostgreSQL 15 clusters started by the
 * test (tests/team/np-test-postgres: a Unix socket in a temporary directory,
 * passwords checked by scram-sha-256). The other desks are real too: an
 * NpTeamLedger connection under another desk's name, and a second console
 * process joined with --team, whose window is put beside this one for the
 * screenshot (NP_SCREENSHOT_DIR).
 */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <unistd.h>

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "np-account-editor.h"
#include "np-account-row.h"
#include "np-activity-page.h"
#include "np-approval-limit-group.h"
#include "np-checkout-detail.h"
#include "np-checkout-new-dialog.h"
#include "np-checkouts-page.h"
#include "np-checkout-row-widget.h"
#include "np-checkout-refund-dialog.h"
#include "np-money.h"
#include "np-overview-page.h"
#include "np-feedback.h"
#include "np-preferences-window.h"
#include "np-team-ledger.h"
#include "np-team-ledger-group.h"
#include "np-team-sync.h"
#include "np-test-postgres.h"
#include "test-app-common.h"

#define TIMEOUT_MS 30000
#define OWNER "team_owner"         /* owns the team database, and has np_desk's rights */
#define STRANGER "team_stranger"   /* may log in, has no right in the team ledger */
#define DESK_B "team_desk_b"       /* the second console's role: np_desk's rights only */

static NpApplication *app;
static NpTestPostgres *pg;
static char *dbname;

/* Widgets ---------------------------------------------------------------------- */

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
is_window_title (GtkWidget     *widget,
                 gconstpointer  data)
{
  return ADW_IS_WINDOW_TITLE (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (widget)), data) == 0;
}

static NpTeamSync *
get_sync (void)
{
  NpTeamSync *sync = np_workspace_get_team_sync (np_application_get_workspace (app));

  g_assert_nonnull (sync);
  return sync;
}

static NpTeamLedgerGroup *
open_group (void)
{
  GtkWindow *preferences = app_find_toplevel (NP_TYPE_PREFERENCES_WINDOW);
  NpTeamLedgerGroup *group;

  if (preferences == NULL)
    {
      g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
      preferences = app_wait_toplevel (NP_TYPE_PREFERENCES_WINDOW);
    }
  group = NP_TEAM_LEDGER_GROUP (app_find_descendant (GTK_WIDGET (preferences), NP_TYPE_TEAM_LEDGER_GROUP));
  g_assert_nonnull (group);
  np_test_wait_until (app_widget_mapped, group, TIMEOUT_MS, "the Team Ledger group");
  return group;
}

static void
close_preferences (void)
{
  GtkWindow *preferences = app_find_toplevel (NP_TYPE_PREFERENCES_WINDOW);

  if (preferences != NULL)
    {
      gtk_window_destroy (preferences);
      app_wait_toplevel_gone (NP_TYPE_PREFERENCES_WINDOW);
    }
}

static GtkWidget *
row (NpTeamLedgerGroup *group,
     const char        *title)
{
  GtkWidget *widget = app_find_widget (GTK_WIDGET (group), is_row_titled, title);

  g_assert_nonnull (widget);
  return widget;
}

static GtkWidget *
button (NpTeamLedgerGroup *group,
        const char        *mnemonic)
{
  GtkWidget *widget = app_find_widget (GTK_WIDGET (group), is_button_labelled, mnemonic);

  g_assert_nonnull (widget);
  return widget;
}

static void
type (NpTeamLedgerGroup *group,
      const char        *title,
      const char        *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row (group, title)), text);
}

static void
fill_form (NpTeamLedgerGroup *group,
           const char        *target,
           const char        *password,
           const char        *desk)
{
  type (group, "Connection URI or Service Name", target);
  type (group, "Password", password);
  type (group, "Desk Name", desk);
}

static void
click (GtkWidget *widget)
{
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_is_sensitive (widget));
  g_signal_emit_by_name (widget, "clicked");
}

/* The group's message: the form's last word, or NULL when it says nothing. */
static const char *
group_message (NpTeamLedgerGroup *group)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  app_collect_widgets (GTK_WIDGET (group), app_match_type, GSIZE_TO_POINTER (GTK_TYPE_LABEL), labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) && gtk_label_get_selectable (labels->pdata[i]) &&
        gtk_widget_get_parent (labels->pdata[i]) != NULL &&
        !ADW_IS_PREFERENCES_ROW (gtk_widget_get_ancestor (labels->pdata[i], ADW_TYPE_PREFERENCES_ROW)))
      return gtk_label_get_text (labels->pdata[i]);
  return NULL;
}

static gboolean
message_is_error (NpTeamLedgerGroup *group)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  app_collect_widgets (GTK_WIDGET (group), app_match_type, GSIZE_TO_POINTER (GTK_TYPE_LABEL), labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i]) && gtk_label_get_selectable (labels->pdata[i]) &&
        gtk_widget_get_ancestor (labels->pdata[i], ADW_TYPE_PREFERENCES_ROW) == NULL)
      return gtk_widget_has_css_class (labels->pdata[i], "error");
  return FALSE;
}

static gboolean
group_idle (gpointer data)
{
  return !np_team_ledger_group_get_busy (data);
}

/* Test Connection through its button; returns what the form then says. */
static const char *
test_connection (NpTeamLedgerGroup *group)
{
  click (button (group, "_Test Connection"));
  g_assert_true (np_team_ledger_group_get_busy (group));
  /* Nothing else can be started meanwhile. */
  g_assert_false (gtk_widget_is_sensitive (button (group, "_Join")));
  np_test_wait_until (group_idle, group, TIMEOUT_MS, "Test Connection to finish");
  g_assert_nonnull (group_message (group));
  return group_message (group);
}

static char *
uri (const char *role,
     const char *database)
{
  return np_test_postgres_dup_uri (pg, role, database);
}

/* A team database, made by hand as a DBA would: the schema from team-ledger.sql,
 * np_desk's rights for the owner, and DESK_B with those rights only. */
static char *
make_team_database (NpTestPostgres *cluster)
{
  g_autofree char *path = g_build_filename (g_getenv ("NP_SOURCE_ROOT"), "data", "team-ledger.sql", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  char *database;

  np_test_postgres_create_role (cluster, OWNER, "");
  np_test_postgres_create_role (cluster, STRANGER, "");
  database = np_test_postgres_create_database (cluster, OWNER);
  g_file_get_contents (path, &sql, NULL, &error);
  g_assert_no_error (error);
  np_test_postgres_exec (cluster, database, sql);
  np_test_postgres_create_role (cluster, DESK_B, "IN ROLE np_desk");
  np_test_postgres_exec (cluster, database, "GRANT np_desk TO " OWNER);
  return database;
}

/* The Team Ledger group ---------------------------------------------------------- */

static void
test_validation (void)
{
  NpTeamLedgerGroup *group = open_group ();
  GtkWidget *target_row = row (group, "Connection URI or Service Name");
  g_autofree char *good = uri (OWNER, dbname);

  /* The desk's name defaults to the host's. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (group, "Desk Name"))), ==, g_get_host_name ());
  /* Before a join, the form says what it shares: not what came from another team ledger. */
  g_assert_true (gtk_widget_get_visible (row (group, "Connect")));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (group, "Connect"))),
                            "What it received from another team ledger stays on this desk and is not shared."));
  /* Empty: nothing to say yet, nothing to send. */
  g_assert_null (group_message (group));
  g_assert_false (gtk_widget_is_sensitive (button (group, "_Test Connection")));

  /* A remote host without TLS: refused at the field, with the reason. */
  type (group, "Connection URI or Service Name", "postgresql://desk@db.example.com:5432/team");
  g_assert_nonnull (group_message (group));
  g_assert_nonnull (strstr (group_message (group), "would not be encrypted"));
  g_assert_nonnull (strstr (group_message (group), "sslmode=verify-full"));
  g_assert_true (message_is_error (group));
  g_assert_true (gtk_widget_has_css_class (target_row, "error"));
  g_assert_false (gtk_widget_is_sensitive (button (group, "_Test Connection")));
  g_assert_false (gtk_widget_is_sensitive (button (group, "_Join")));
  app_save_widget_screenshot (GTK_WIDGET (group), "team-ledger-insecure.png");

  /* With TLS asked for, the same host is accepted. */
  type (group, "Connection URI or Service Name", "postgresql://desk@db.example.com:5432/team?sslmode=verify-full");
  g_assert_null (group_message (group));
  g_assert_false (gtk_widget_has_css_class (target_row, "error"));
  g_assert_true (gtk_widget_is_sensitive (button (group, "_Test Connection")));

  /* A password in the URI is refused too: it belongs in the keyring. */
  type (group, "Connection URI or Service Name", "postgresql://desk:secret@localhost/team");
  g_assert_nonnull (strstr (group_message (group), "Remove the password"));
  g_assert_false (gtk_widget_is_sensitive (button (group, "_Join")));

  /* A Unix socket needs no TLS; an empty desk name is said. */
  type (group, "Connection URI or Service Name", good);
  g_assert_null (group_message (group));
  type (group, "Desk Name", "  ");
  g_assert_nonnull (strstr (group_message (group), "Enter a name for this desk"));
  g_assert_false (gtk_widget_is_sensitive (button (group, "_Join")));
  type (group, "Desk Name", "FINANCE-1");
  g_assert_null (group_message (group));
  g_assert_true (gtk_widget_is_sensitive (button (group, "_Join")));
  /* Nothing was joined by typing. */
  g_assert_cmpint (np_team_sync_get_state (get_sync ()), ==, NP_TEAM_STATE_OFF);
}

static void
test_connection_errors (void)
{
  NpTeamLedgerGroup *group = open_group ();
  g_autofree char *owner = uri (OWNER, dbname);
  g_autofree char *unknown = uri (OWNER, "no_such_database");
  g_autofree char *stranger = uri (STRANGER, dbname);
  g_autofree char *nowhere = g_strdup ("postgresql:///team?host=/nonexistent-np-socket-dir&user=" OWNER);
  const char *said;

  fill_form (group, owner, "not-the-password", "FINANCE-1");
  said = test_connection (group);
  g_assert_true (message_is_error (group));
  g_assert_nonnull (strstr (said, "The server refused the password for this user"));

  fill_form (group, unknown, np_test_postgres_get_password (pg), "FINANCE-1");
  said = test_connection (group);
  g_assert_nonnull (strstr (said, "The server has no database of that name"));

  fill_form (group, stranger, np_test_postgres_get_password (pg), "FINANCE-1");
  said = test_connection (group);
  g_assert_nonnull (strstr (said, "This database role lacks rights a desk needs"));
  g_assert_nonnull (strstr (said, "np_desk"));

  fill_form (group, nowhere, np_test_postgres_get_password (pg), "FINANCE-1");
  said = test_connection (group);
  g_assert_nonnull (strstr (said, "No PostgreSQL server answered there"));

  /* The right password: the test passes, and still changes nothing. */
  fill_form (group, owner, np_test_postgres_get_password (pg), "FINANCE-1");
  said = test_connection (group);
  g_test_message ("Test Connection said: %s", said);
  g_assert_false (message_is_error (group));
  g_assert_nonnull (strstr (said, "this desk may use it"));
  g_assert_cmpint (np_team_sync_get_state (get_sync ()), ==, NP_TEAM_STATE_OFF);
}

/* TLS trouble, for real: a cluster with ssl=on and a self-signed certificate for
 * "localhost" on 127.0.0.1, and a desk asking for verify-full against a root
 * certificate that did not sign it, then against the right one. */
static char *
tls_target (NpTestPostgres *cluster,
            const char     *database,
            const char     *root_certificate)
{
  g_autofree char *root = g_uri_escape_string (root_certificate, "/", FALSE);

  return g_strdup_printf ("postgresql://" OWNER "@localhost:%u/%s?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert=%s",
                          np_test_postgres_get_port (cluster), database, root);
}

static void
test_connection_tls (void)
{
  NpTestPostgres *tls = np_test_postgres_start_tls ();
  g_autofree char *database = make_team_database (tls);
  g_autofree char *wrong_root = tls_target (tls, database, np_test_postgres_get_other_certificate_path (tls));
  g_autofree char *right_root = tls_target (tls, database, np_test_postgres_get_certificate_path (tls));
  NpTeamLedgerGroup *group = open_group ();
  const char *said;

  fill_form (group, wrong_root, np_test_postgres_get_password (tls), "FINANCE-1");
  said = test_connection (group);
  g_test_message ("Test Connection with a root certificate that did not sign the server's said: %s", said);
  g_assert_true (message_is_error (group));
  g_assert_nonnull (strstr (said, "The encrypted connection could not be set up. Check the sslmode in the URI and the server’s certificate."));
  g_assert_nonnull (strstr (said, "certificate verify failed"));

  fill_form (group, right_root, np_test_postgres_get_password (tls), "FINANCE-1");
  said = test_connection (group);
  g_assert_false (message_is_error (group));
  g_assert_nonnull (strstr (said, "this desk may use it"));
  g_assert_cmpint (np_team_sync_get_state (get_sync ()), ==, NP_TEAM_STATE_OFF);

  type (group, "Connection URI or Service Name", "");
  close_preferences ();
  np_test_postgres_stop (tls);
}

static gboolean
sync_online (gpointer data)
{
  return np_team_sync_get_state (get_sync ()) == NP_TEAM_STATE_ONLINE;
}

static gboolean
sync_offline (gpointer data)
{
  return np_team_sync_get_state (get_sync ()) == NP_TEAM_STATE_OFFLINE;
}

static gboolean
label_shown (gpointer data)
{
  return app_find_label (GTK_WIDGET (app_get_window (app)), data) != NULL;
}

static gboolean
label_in_editor (gpointer data)
{
  GtkWindow *editor = app_find_toplevel (NP_TYPE_ACCOUNT_EDITOR);

  return editor != NULL && app_find_label (GTK_WIDGET (editor), data) != NULL;
}

static gboolean
label_not_in_editor (gpointer data)
{
  GtkWindow *editor = app_find_toplevel (NP_TYPE_ACCOUNT_EDITOR);

  return editor != NULL && app_find_label (GTK_WIDGET (editor), data) == NULL;
}

static gboolean
label_gone (gpointer data)
{
  return app_find_label (GTK_WIDGET (app_get_window (app)), data) == NULL;
}

static void
join_through_form (const char *target,
                   const char *desk)
{
  NpTeamLedgerGroup *group = open_group ();

  fill_form (group, target, np_test_postgres_get_password (pg), desk);
  click (button (group, "_Join"));
  np_test_wait_until (group_idle, group, TIMEOUT_MS, "Join to finish");
  g_assert_false (message_is_error (group));
  np_test_wait_until (sync_online, NULL, TIMEOUT_MS, "the desk to be online");
}

static void
respond_to_confirmation (const char *response,
                         const char *expected_body)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (app_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), expected_body));
  g_assert_true (adw_message_dialog_has_response (dialog, response));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));   /* as its button would */
  app_wait_toplevel_gone (ADW_TYPE_MESSAGE_DIALOG);
}

static void
test_join_and_leave (void)
{
  g_autofree char *owner = uri (OWNER, dbname);
  NpTeamLedgerGroup *group;
  GtkWidget *state_row;

  join_through_form (owner, "FINANCE-1");
  group = open_group ();

  /* Joined: the form gives way to what the desk is joined to. */
  g_assert_false (gtk_widget_get_mapped (row (group, "Connection URI or Service Name")));
  g_assert_false (gtk_widget_get_mapped (row (group, "Password")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (group, "Team Ledger"))), ==, owner);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (group, "This Desk"))), ==, "FINANCE-1");
  state_row = row (group, "State");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (state_row)), ==,
                   np_team_sync_get_status_text (get_sync ()));
  /* The password field keeps nothing once it is in the keyring. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (group, "Password"))), ==, "");
  app_save_widget_screenshot (GTK_WIDGET (group), "team-ledger-joined.png");

  /* The header says the desk is on the team ledger. */
  np_test_wait_until (label_shown, (gpointer) "Team ledger", TIMEOUT_MS, "the header's team indicator");

  /* Leave asks first, and Cancel changes nothing. */
  click (button (group, "_Leave Team Ledger"));
  respond_to_confirmation ("cancel", "keeps every checkout, customer and activity entry");
  g_assert_cmpint (np_team_sync_get_state (get_sync ()), ==, NP_TEAM_STATE_ONLINE);

  click (button (group, "_Leave Team Ledger"));
  respond_to_confirmation ("confirm", "keeps every checkout, customer and activity entry");
  g_assert_cmpint (np_team_sync_get_state (get_sync ()), ==, NP_TEAM_STATE_OFF);
  g_assert_true (gtk_widget_get_mapped (row (group, "Connection URI or Service Name")));
  g_assert_false (gtk_widget_get_mapped (state_row));
  g_assert_nonnull (strstr (group_message (group), "back on its own ledger"));
  np_test_wait_until (label_gone, (gpointer) "Team ledger", TIMEOUT_MS, "the team indicator to go");
  close_preferences ();
}

/* Another desk's operation in Activity -------------------------------------------- */

static char *
team_account_id (void)
{
  return np_test_postgres_query_value (pg, dbname, "SELECT id FROM np_team.accounts WHERE name = 'Sandbox'");
}

static gboolean
account_shared (gpointer data)
{
  g_autofree char *id = team_account_id ();

  return id != NULL;
}

static NpActivityPage *
show_activity (void)
{
  NpWindow *window = app_get_window (app);
  GtkListBox *sidebar = GTK_LIST_BOX (app_find_sidebar (GTK_WIDGET (window)));
  NpActivityPage *page;

  gtk_list_box_select_row (sidebar, gtk_list_box_get_row_at_index (sidebar, 3));
  page = NP_ACTIVITY_PAGE (app_find_descendant (GTK_WIDGET (window), NP_TYPE_ACTIVITY_PAGE));
  g_assert_nonnull (page);
  np_test_wait_until (app_widget_mapped, page, TIMEOUT_MS, "the Activity page");
  return page;
}

typedef struct {
  NpActivityPage *page;
  const char     *summary;
} Listed;

static gboolean
summary_listed (gpointer data)
{
  Listed *listed = data;
  GListModel *model = np_activity_page_get_model (listed->page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(NpJournalEntry) entry = g_list_model_get_item (model, i);

      if (g_strcmp0 (np_journal_entry_get_summary (entry), listed->summary) == 0 &&
          np_journal_entry_get_state (entry) == NP_JOURNAL_STATE_SUCCEEDED)
        return TRUE;
    }
  return FALSE;
}

/* Desk SUPPORT-2, as a real team ledger connection of its own. */
static NpTeamLedger *
connect_other_desk (void)
{
  g_autoptr(NpTeamLedger) other = np_team_ledger_new ("SUPPORT-2");
  g_autofree char *target = uri (DESK_B, dbname);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  np_team_ledger_connect_async (other, target, np_test_postgres_get_password (pg), NULL,
                                np_test_store_result, &result);
  g_assert_true (np_team_ledger_connect_finish (other, np_test_wait_result (&result, TIMEOUT_MS), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  np_team_ledger_ensure_schema_async (other, FALSE, NULL, np_test_store_result, &result);
  g_assert_cmpint (np_team_ledger_ensure_schema_finish (other, np_test_wait_result (&result, TIMEOUT_MS), &error), ==,
                   NP_TEAM_LEDGER_SCHEMA_VERSION);
  g_assert_no_error (error);
  return g_steal_pointer (&other);
}

/* SUPPORT-2 refunds a checkout desk FINANCE-1 made. */
static void
refund_from_other_desk (const char *account_id,
                        const char *checkout_id,
                        const char *summary)
{
  g_autoptr(NpTeamLedger) other = connect_other_desk ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 entry;

  np_team_ledger_begin_operation_async (other, account_id, NP_JOURNAL_OPERATION_REFUND, checkout_id,
                                        1250, "SEK", summary, NULL, NULL, np_test_store_result, &result);
  entry = np_team_ledger_begin_operation_finish (other, np_test_wait_result (&result, TIMEOUT_MS), &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry, >, 0);
  g_clear_object (&result);
  np_team_ledger_finish_operation_async (other, entry, NP_JOURNAL_STATE_SUCCEEDED, NULL, NULL, NULL,
                                         np_test_store_result, &result);
  g_assert_true (np_team_ledger_finish_operation_finish (other, np_test_wait_result (&result, TIMEOUT_MS), &error));
  g_assert_no_error (error);
}

typedef struct {
  NpActivityPage *page;
  const char     *prefix;
} Verified;

static gboolean
verify_said (gpointer data)
{
  Verified *verified = data;
  const char *message = np_activity_page_get_last_message (verified->page);

  return message != NULL && g_str_has_prefix (message, verified->prefix);
}

/* Verify Audit Trail on a team desk walks the team ledger's chain: intact, then
 * after a superuser's edit of SUPPORT-2's row (every trigger off), that row named. */
static void
verify_team_chain (NpActivityPage *page,
                   const char     *summary)
{
  g_autofree char *sql = NULL;
  g_autofree char *row = NULL;
  g_autofree char *named = NULL;
  Verified verified = { page, "The team audit trail is intact: " };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "activity.verify-audit-trail", NULL));
  np_test_wait_until (verify_said, &verified, TIMEOUT_MS, "the team chain verified");
  g_test_message ("%s", np_activity_page_get_last_message (page));

  sql = g_strdup_printf ("SELECT id FROM np_team.journal WHERE summary = '%s'", summary);
  row = np_test_postgres_query_value (pg, dbname, sql);
  g_free (sql);
  sql = g_strdup_printf ("SET session_replication_role = replica;"
                         " UPDATE np_team.journal SET amount = 125 WHERE id = %s", row);
  np_test_postgres_exec (pg, dbname, sql);
  named = g_strdup_printf ("The team audit trail does not match at journal row %s:", row);
  verified.prefix = named;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "activity.verify-audit-trail", NULL));
  np_test_wait_until (verify_said, &verified, TIMEOUT_MS, "the edited row named");
  g_test_message ("%s", np_activity_page_get_last_message (page));

  /* Put back, for the tests after this one. */
  g_free (sql);
  sql = g_strdup_printf ("SET session_replication_role = replica;"
                         " UPDATE np_team.journal SET amount = 1250 WHERE id = %s", row);
  np_test_postgres_exec (pg, dbname, sql);
}

static void
test_other_desk_in_activity (void)
{
  g_autofree char *owner = uri (OWNER, dbname);
  g_autofree char *checkout_id = NULL;
  g_autofree char *account_id = NULL;
  NpActivityPage *page;
  Listed listed;
  gint64 start;

  join_through_form (owner, "FINANCE-1");
  close_preferences ();
  checkout_id = app_create_checkout (app, 2500, "SEK");
  np_test_wait_until (account_shared, NULL, TIMEOUT_MS, "the Sandbox account in the team ledger");
  account_id = team_account_id ();
  page = show_activity ();

  listed = (Listed) { page, "Refund 12.50 SEK from SUPPORT-2" };
  g_assert_false (summary_listed (&listed));
  start = g_get_monotonic_time ();
  refund_from_other_desk (account_id, checkout_id, listed.summary);
  /* Live: no click, no refresh. */
  np_test_wait_until (summary_listed, &listed, TIMEOUT_MS, "SUPPORT-2's refund in Activity");
  g_test_message ("SUPPORT-2's refund listed at FINANCE-1 %.0f ms after it began",
                  (g_get_monotonic_time () - start) / 1000.0);
  np_test_wait_until (label_shown, (gpointer) listed.summary, TIMEOUT_MS, "the refund's row in Activity");

  verify_team_chain (page, listed.summary);
}

/* A shared account without a key on this desk ------------------------------------ */

#define SHARED_NAME "Shop B"
#define SHARED_ID "8d3c2b1a-4e5f-4a6b-9c7d-0123456789cd"
#define SHARED_KEY "sk_test_shopb_4f1a9c2e7d"

static NpAccount *
find_shared_account (void)
{
  return np_accounts_find_by_name (np_workspace_get_accounts (np_application_get_workspace (app)), SHARED_NAME);
}

static gboolean
shared_account_lacks_key (gpointer data)
{
  NpAccount *account = find_shared_account ();

  return account != NULL && np_team_sync_account_lacks_key (get_sync (), np_account_get_id (account));
}

static gboolean
shared_account_has_key (gpointer data)
{
  NpAccount *account = find_shared_account ();

  return account != NULL && !np_team_sync_account_lacks_key (get_sync (), np_account_get_id (account));
}

static gboolean
is_account_row (GtkWidget     *widget,
                gconstpointer  data)
{
  return NP_IS_ACCOUNT_ROW (widget) &&
         np_account_get_id (np_account_row_get_account (NP_ACCOUNT_ROW (widget))) == *(const gint64 *) data;
}

static gboolean
is_edit_button (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "account.edit") == 0;
}

/* The editor of the shared account, opened by its row's edit button in Preferences. */
static NpAccountEditor *
edit_shared_account (void)
{
  gint64 id = np_account_get_id (find_shared_account ());
  GtkWindow *preferences;
  GtkWidget *account_row;

  close_preferences ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = app_wait_toplevel (NP_TYPE_PREFERENCES_WINDOW);
  account_row = app_find_widget (GTK_WIDGET (preferences), is_account_row, &id);
  g_assert_nonnull (account_row);
  np_test_wait_until (app_widget_mapped, account_row, TIMEOUT_MS, "the shared account's row");
  click (app_find_widget (account_row, is_edit_button, NULL));
  return NP_ACCOUNT_EDITOR (app_wait_toplevel (NP_TYPE_ACCOUNT_EDITOR));
}

#define NO_KEY_HERE "this desk has no key for it"

static void
test_shared_account_without_key (void)
{
  g_autoptr(NpTeamLedger) other = connect_other_desk ();
  NpAccount *sandbox = np_workspace_get_account (np_application_get_workspace (app));
  g_autofree char *owner = uri (OWNER, dbname);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  NpAccountEditor *editor;
  NpAccount *shared;
  g_autofree char *key = NULL;

  /* SUPPORT-2 shares an account (never its key) before this desk joins. */
  if (np_team_sync_get_state (get_sync ()) != NP_TEAM_STATE_OFF)
    np_team_sync_leave (get_sync ());
  g_assert_cmpint (np_team_sync_get_state (get_sync ()), ==, NP_TEAM_STATE_OFF);
  g_assert_null (find_shared_account ());
  np_team_ledger_upsert_account_async (other, SHARED_ID, SHARED_NAME, np_account_get_base_url (sandbox), "test",
                                       NULL, np_test_store_result, &result);
  g_assert_true (np_team_ledger_upsert_account_finish (other, np_test_wait_result (&result, TIMEOUT_MS), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  join_through_form (owner, "FINANCE-1");
  close_preferences ();
  np_test_wait_until (shared_account_lacks_key, NULL, TIMEOUT_MS, "the shared account, without a key here");
  shared = find_shared_account ();

  /* Its editor says there is no key for it on this desk. */
  editor = edit_shared_account ();
  np_test_wait_until (label_in_editor, (gpointer) NO_KEY_HERE, TIMEOUT_MS, "the editor to say there is no key here");
  app_save_widget_screenshot (GTK_WIDGET (editor), "team-account-no-key.png");

  /* The open editor follows the desk: off the team ledger nothing is shared, and
   * joined again the account still has no key here. */
  np_team_sync_leave (get_sync ());
  np_test_wait_until (label_not_in_editor, (gpointer) NO_KEY_HERE, TIMEOUT_MS, "the editor to stop saying so");
  join_through_form (owner, "FINANCE-1");
  close_preferences ();
  np_test_wait_until (label_in_editor, (gpointer) NO_KEY_HERE, TIMEOUT_MS, "the open editor to say it again");

  /* The person enters the account's key and saves. */
  gtk_editable_set_text (GTK_EDITABLE (app_find_widget (GTK_WIDGET (editor), is_row_titled, "API Key")), SHARED_KEY);
  click (app_find_widget (GTK_WIDGET (editor), is_button_labelled, "_Save"));
  app_wait_toplevel_gone (NP_TYPE_ACCOUNT_EDITOR);
  np_test_wait_until (shared_account_has_key, NULL, TIMEOUT_MS, "the shared account to have a key here");

  /* The key is in this desk's keyring, and the editor says nothing of a missing one. */
  np_accounts_lookup_key_async (np_workspace_get_accounts (np_application_get_workspace (app)), shared, NULL,
                                np_test_store_result, &result);
  key = np_accounts_lookup_key_finish (np_workspace_get_accounts (np_application_get_workspace (app)),
                                       np_test_wait_result (&result, TIMEOUT_MS), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, SHARED_KEY);
  editor = edit_shared_account ();
  np_test_wait_until (app_widget_mapped, app_find_widget (GTK_WIDGET (editor), is_row_titled, "Name"), TIMEOUT_MS,
                      "the editor's fields");
  g_assert_null (app_find_label (GTK_WIDGET (editor), NO_KEY_HERE));
  gtk_window_destroy (GTK_WINDOW (editor));
  app_wait_toplevel_gone (NP_TYPE_ACCOUNT_EDITOR);
  close_preferences ();
  np_team_sync_leave (get_sync ());
}

/* Two desks side by side: a second console process on the same team ledger ------- */

/* The second desk goes when this test process does, even by a failed assertion. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
start_second_desk (void)
{
  g_autofree char *home = g_build_filename (np_test_get_home (), "desk-b", NULL);
  g_autofree char *pgpass = g_build_filename (home, "pgpass", NULL);
  g_autofree char *line = g_strdup_printf ("*:*:%s:%s:%s\n", dbname, DESK_B, np_test_postgres_get_password (pg));
  g_autofree char *target = uri (DESK_B, dbname);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  GSubprocess *desk;
  const char *dirs[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };

  g_mkdir_with_parents (home, 0700);
  g_file_set_contents (pgpass, line, -1, &error);
  g_assert_no_error (error);
  g_chmod (pgpass, 0600);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (home, dirs[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_subprocess_launcher_setenv (launcher, dirs[i], dir, TRUE);
    }
  g_subprocess_launcher_setenv (launcher, "PGPASSFILE", pgpass, TRUE);
  /* On the accessibility bus, so desk-shows-checkout.py can read its window. */
  g_subprocess_launcher_unsetenv (launcher, "NO_AT_BRIDGE");
  g_subprocess_launcher_unsetenv (launcher, "GTK_A11Y");
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  desk = g_subprocess_launcher_spawn (launcher, &error, NP_CONSOLE_PATH,
                                      "--gapplication-app-id=tech.paiwise.NeuroPayConsole.Test.DeskB",
                                      "--team", target, "--desk", "SUPPORT-2", NULL);
  g_assert_no_error (error);
  return desk;
}

static gboolean
run_quietly (const char * const *argv)
{
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                            G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);

  return process != NULL && g_subprocess_wait_check (process, NULL, NULL);
}

typedef struct {
  const char *pid;
} DeskWindow;

static gboolean
desk_window_mapped (gpointer data)
{
  DeskWindow *desk = data;
  const char *argv[] = { "xdotool", "search", "--onlyvisible", "--pid", desk->pid, NULL };

  return run_quietly (argv);
}

/* Both desks' windows side by side on the 1280x800 screen, this one on the left. */
static void
place_desk_windows (GSubprocess *desk_b)
{
  /* This desk's window by its X id: xdotool's search by this process's pid found none to move. */
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (app_get_window (app)));
  g_autofree char *self_xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  DeskWindow other = { g_subprocess_get_identifier (desk_b) };
  const char *move_a[] = { "xdotool", "windowmove", self_xid, "0", "0", "windowsize", self_xid, "640", "800", NULL };
  const char *search_b[] = { "xdotool", "search", "--onlyvisible", "--pid", other.pid, NULL };
  g_autoptr(GSubprocess) search = NULL;
  g_autofree char *found = NULL;
  g_auto(GStrv) ids = NULL;
  guint moved = 0;

  np_test_wait_until (desk_window_mapped, &other, TIMEOUT_MS, "the second desk's window");
  g_assert_true (run_quietly (move_a));
  /* The other desk's windows one by one: a chained search-and-move failed on
   * one of them and so on all. */
  search = g_subprocess_newv (search_b, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);
  g_assert_nonnull (search);
  g_assert_true (g_subprocess_communicate_utf8 (search, NULL, NULL, &found, NULL, NULL));
  ids = g_strsplit (g_strstrip (found), "\n", -1);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      const char *move_b[] = { "xdotool", "windowmove", ids[i], "640", "0", "windowsize", ids[i], "640", "800", NULL };

      moved += run_quietly (move_b);
    }
  g_test_message ("the second desk's windows: %u of %u moved", moved, g_strv_length (ids));
  g_assert_cmpuint (moved, >, 0);
}

/* The screen, both windows on it, as one picture (NP_SCREENSHOT_DIR). */
static void
save_desks_screenshot (void)
{
  const char *dir = g_getenv ("NP_SCREENSHOT_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;

  app_wait_for_paint (GTK_WIDGET (app_get_window (app)));
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, "team-two-desks.png", NULL);
  {
    const char *import[] = { "import", "-window", "root", path, NULL };

    g_assert_true (run_quietly (import));
  }
}

/* Desk SUPPORT-2's window, read through AT-SPI by desk-shows-checkout.py: its
 * Checkouts page shows a row of @amount and its header "Team ledger". */
static void
assert_desk_shows_checkout (GSubprocess *desk,
                            const char  *amount)
{
  g_autofree char *script = g_build_filename (g_getenv ("NP_SOURCE_ROOT"), "tests", "ui", "desk-shows-checkout.py", NULL);
  g_autoptr(GSubprocess) driver = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  driver = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             "/usr/bin/python3", script, g_subprocess_get_identifier (desk), amount, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (driver, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("SUPPORT-2's window: %s%s", out, err);
  g_assert_true (g_subprocess_get_successful (driver));
  g_assert_true (g_str_has_prefix (out, "ready: "));
}

static gboolean
is_checkout_row_of (GtkWidget     *widget,
                    gconstpointer  data)
{
  NpCheckoutRow *row = NP_IS_CHECKOUT_ROW_WIDGET (widget) ? np_checkout_row_widget_get_row (NP_CHECKOUT_ROW_WIDGET (widget)) : NULL;

  return row != NULL && gtk_widget_get_mapped (widget) && g_strcmp0 (np_checkout_row_get_checkout_id (row), data) == 0;
}

/* The checkout's row drawn in this desk's Checkouts list. */
static gboolean
checkout_row_shown (gpointer data)
{
  GtkWidget *page = app_find_descendant (GTK_WIDGET (app_get_window (app)), NP_TYPE_CHECKOUTS_PAGE);

  return page != NULL && gtk_widget_get_mapped (page) && app_find_widget (page, is_checkout_row_of, data) != NULL;
}

/* Two consoles, two desks on one team ledger, side by side: a checkout made at
 * FINANCE-1 (this process) is in SUPPORT-2's list (another process, joined with
 * --team alone), and both headers say "Team ledger". */
static void
test_two_desks (void)
{
  g_autofree char *owner = uri (OWNER, dbname);
  g_autoptr(GSubprocess) desk_b = NULL;
  g_autofree char *checkout_id = NULL;

  if (np_team_sync_get_state (get_sync ()) != NP_TEAM_STATE_ONLINE)
    {
      if (np_team_sync_get_state (get_sync ()) != NP_TEAM_STATE_OFF)
        np_team_sync_leave (get_sync ());
      join_through_form (owner, "FINANCE-1");
    }
  close_preferences ();
  checkout_id = app_create_checkout (app, 43210, "SEK");
  gtk_widget_activate_action (GTK_WIDGET (app_get_window (app)), "win.show-page", "s", "checkouts");
  np_test_wait_until (checkout_row_shown, checkout_id, TIMEOUT_MS, "FINANCE-1's checkout in its list");
  np_test_wait_until (label_shown, (gpointer) "Team ledger", TIMEOUT_MS, "the header's team indicator");

  desk_b = start_second_desk ();
  place_desk_windows (desk_b);
  assert_desk_shows_checkout (desk_b, "432.10");
  save_desks_screenshot ();

  g_subprocess_send_signal (desk_b, SIGTERM);
  g_subprocess_wait (desk_b, NULL, NULL);
  np_team_sync_leave (get_sync ());
}

/* The header while the team ledger is away ---------------------------------------- */

static gboolean
subtitle_is_status (gpointer data)
{
  const char *status = np_team_sync_get_status_text (get_sync ());

  return status != NULL && *status != '\0' &&
         app_find_widget (GTK_WIDGET (app_get_window (app)), is_window_title, status) != NULL;
}

static void
test_offline_header (void)
{
  NpTestPostgres *lost = np_test_postgres_start ();   /* a cluster of its own, to stop */
  g_autofree char *lost_db = NULL;
  g_autofree char *target = NULL;
  NpTeamLedgerGroup *group;

  /* Leave the shared cluster, join one that will go away. */
  group = open_group ();
  if (np_team_sync_get_state (get_sync ()) != NP_TEAM_STATE_OFF)
    {
      click (button (group, "_Leave Team Ledger"));
      respond_to_confirmation ("confirm", "keeps every checkout");
    }
  lost_db = make_team_database (lost);
  target = np_test_postgres_dup_uri (lost, OWNER, lost_db);
  fill_form (group, target, np_test_postgres_get_password (lost), "FINANCE-1");
  click (button (group, "_Join"));
  np_test_wait_until (group_idle, group, TIMEOUT_MS, "Join to finish");
  g_test_message ("Join said: %s (state %d: %s)", group_message (group), np_team_sync_get_state (get_sync ()),
                  np_team_sync_get_status_text (get_sync ()));
  g_assert_false (message_is_error (group));
  np_test_wait_until (sync_online, NULL, TIMEOUT_MS, "the desk to be online");
  close_preferences ();
  np_test_wait_until (label_shown, (gpointer) "Team ledger", TIMEOUT_MS, "the header's team indicator");
  g_assert_null (app_find_label (GTK_WIDGET (app_get_window (app)), "Team ledger offline"));

  /* The server stops under the joined desk: the header says so, without a click. */
  np_test_postgres_stop (lost);
  np_test_wait_until (sync_offline, NULL, TIMEOUT_MS, "the desk to notice the team ledger is gone");
  np_test_wait_until (label_shown, (gpointer) "Team ledger offline", TIMEOUT_MS, "“Team ledger offline” in the header");
  np_test_wait_until (subtitle_is_status, NULL, TIMEOUT_MS, "the sync's sentence under the page title");
  app_save_screenshot (GTK_WINDOW (app_get_window (app)), "team-offline.png");

  np_team_sync_leave (get_sync ());
  np_test_wait_until (label_gone, (gpointer) "Team ledger offline", TIMEOUT_MS, "the offline indicator to go");
}

/* The header while PostgreSQL goes away and comes back under a running window ------ */

static guint sandbox_count (const char *path);

/* Every text the header's team indicator showed, in order: the states it passed
 * through are seen even when one lasted less than a main-loop iteration. */
static void
on_indicator_label (GtkLabel   *label,
                    GParamSpec *pspec,
                    GPtrArray  *shown)
{
  const char *text = gtk_label_get_text (label);

  if (shown->len == 0 || g_strcmp0 (g_ptr_array_index (shown, shown->len - 1), text) != 0)
    g_ptr_array_add (shown, g_strdup (text));
}

static gboolean
shown_since (GPtrArray  *shown,
             guint       from,
             const char *text)
{
  for (guint i = from; i < shown->len; i++)
    if (g_str_equal (g_ptr_array_index (shown, i), text))
      return TRUE;
  return FALSE;
}

static gboolean
header_back_to_normal (gpointer data)
{
  const char *subtitle = adw_window_title_get_subtitle (ADW_WINDOW_TITLE (data));

  return np_team_sync_get_state (get_sync ()) == NP_TEAM_STATE_ONLINE &&
         app_find_widget (GTK_WIDGET (app_get_window (app)), app_match_mapped_label, "Team ledger") != NULL &&
         (subtitle == NULL || *subtitle == '\0');
}

static gboolean
is_mapped_window_title (GtkWidget     *widget,
                        gconstpointer  data)
{
  return ADW_IS_WINDOW_TITLE (widget) && gtk_widget_get_mapped (widget);
}

/* A New Checkout through its form; returns the form, left open when refused. */
static GtkWidget *
create_checkout_in_form (const char *message)
{
  NpWorkspace *workspace = np_application_get_workspace (app);
  GtkWidget *form = GTK_WIDGET (np_checkout_new_dialog_new (workspace));

  gtk_window_set_transient_for (GTK_WINDOW (form), GTK_WINDOW (app_get_window (app)));
  gtk_window_present (GTK_WINDOW (form));
  np_test_wait_until (app_widget_mapped, form, TIMEOUT_MS, "the New Checkout form");
  gtk_editable_set_text (GTK_EDITABLE (app_find_widget (form, is_row_titled, "Amount")), "12.50");
  gtk_editable_set_text (GTK_EDITABLE (app_find_widget (form, is_row_titled, "Message to the customer")), message);
  g_assert_true (gtk_widget_activate_action (form, "new-checkout.create", NULL));
  return form;
}

static gboolean
form_says_offline (gpointer data)
{
  return app_find_label (data, "The team ledger is offline: ") != NULL;
}

static gboolean
checkout_created (gpointer data)
{
  return sandbox_count ("/checkout/create") > GPOINTER_TO_UINT (data);
}

static void
test_reconnect_header (void)
{
  g_autofree char *target = uri (OWNER, dbname);
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *indicator_label;
  GtkWidget *title;
  GtkWidget *form;
  guint creates;
  guint resumed_at;
  gulong handler;

  if (np_team_sync_get_state (get_sync ()) != NP_TEAM_STATE_OFF)
    np_team_sync_leave (get_sync ());
  /* The shared team ledger this desk has been on: a desk that joins another team
   * ledger's database keeps the local journal's links to the first one's ids, and
   * a new operation's link there can collide with them (UNIQUE journal.team_id). */
  join_through_form (target, "FINANCE-1");
  close_preferences ();
  np_test_wait_until (label_shown, (gpointer) "Team ledger", TIMEOUT_MS, "the header's team indicator");
  indicator_label = app_find_label (GTK_WIDGET (app_get_window (app)), "Team ledger");
  title = app_find_widget (GTK_WIDGET (app_get_window (app)), is_mapped_window_title, NULL);
  g_assert_nonnull (title);
  handler = g_signal_connect (indicator_label, "notify::label", G_CALLBACK (on_indicator_label), shown);

  /* PostgreSQL goes away under the running window: the header says so, no click. */
  np_test_postgres_pause (pg);
  np_test_wait_until (label_shown, (gpointer) "Team ledger offline", TIMEOUT_MS, "“Team ledger offline” in the header");
  np_test_wait_until (subtitle_is_status, NULL, TIMEOUT_MS, "the sync's sentence under the page title");
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), "Team ledger offline: "));

  /* A mutation is refused in the form, with that reason, and nothing is sent. */
  creates = sandbox_count ("/checkout/create");
  form = create_checkout_in_form ("Order while offline");
  np_test_wait_until (form_says_offline, form, TIMEOUT_MS, "the New Checkout form to refuse while offline");
  g_test_message ("New Checkout while offline said: %s",
                  gtk_label_get_text (GTK_LABEL (app_find_label (form, "The team ledger is offline: "))));
  g_assert_nonnull (app_find_label (form, "so that no refund can be sent twice"));
  g_assert_cmpuint (sandbox_count ("/checkout/create"), ==, creates);
  gtk_window_destroy (GTK_WINDOW (form));

  /* The server comes back: the header shows the desk connecting again, then
   * the quiet "Team ledger" and no sentence under the title, without a click. */
  resumed_at = shown->len;
  np_test_postgres_resume (pg);
  np_test_wait_until (header_back_to_normal, title, TIMEOUT_MS, "the header back to “Team ledger”");
  for (guint i = 0; i < shown->len; i++)
    g_test_message ("header: %s", (const char *) g_ptr_array_index (shown, i));
  g_assert_true (shown_since (shown, 0, "Team ledger offline"));
  g_assert_true (shown_since (shown, resumed_at, "Team ledger connecting…"));
  g_assert_cmpstr (g_ptr_array_index (shown, shown->len - 1), ==, "Team ledger");
  g_assert_false (gtk_widget_has_css_class (gtk_widget_get_ancestor (indicator_label, GTK_TYPE_BUTTON), "np-team-offline"));

  /* And mutations go through again. */
  form = create_checkout_in_form ("Order after the reconnection");
  np_test_wait_until (checkout_created, GUINT_TO_POINTER (creates), TIMEOUT_MS, "the checkout created once back online");
  app_wait_toplevel_gone (NP_TYPE_CHECKOUT_NEW_DIALOG);

  g_signal_handler_disconnect (indicator_label, handler);
  np_team_sync_leave (get_sync ());
  np_test_wait_until (label_gone, (gpointer) "Team ledger", TIMEOUT_MS, "the team indicator to go");
}

/* Four-eyes refunds in the UI ------------------------------------------------------ */

/* What the app's embedded sandbox has answered on @path (GET /sandbox/stats). */
static guint
sandbox_count (const char *path)
{
  NpAccount *account = np_workspace_get_account (np_application_get_workspace (app));
  g_autofree char *url = g_strconcat (np_account_get_base_url (account), "/sandbox/stats", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  NpAccounts *accounts = np_workspace_get_accounts (np_application_get_workspace (app));
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key = NULL;
  g_autofree char *auth = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *paths, *entry;

  /* The sandbox's stats answer the account's own key. */
  np_accounts_lookup_key_async (accounts, account, NULL, np_test_store_result, &result);
  key = np_accounts_lookup_key_finish (accounts, np_test_wait_result (&result, TIMEOUT_MS), NULL);
  g_assert_nonnull (key);
  auth = g_strdup_printf ("Bearer %s", key);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", auth);
  body = soup_session_send_and_read (session, message, NULL, NULL);

  g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);
  root = json_from_string (g_bytes_get_data (body, NULL), NULL);
  g_assert_nonnull (root);
  paths = json_object_get_object_member (json_node_get_object (root), "paths");
  entry = paths != NULL && json_object_has_member (paths, path) ? json_object_get_object_member (paths, path) : NULL;
  return entry != NULL ? json_object_get_int_member (entry, "requests") : 0;
}

/* The buyer pays @id on the embedded sandbox's page; the workspace looks it up. */
static NpCheckout *
pay_checkout (const char *id)
{
  NpWorkspace *workspace = np_application_get_workspace (app);
  NpAccount *account = np_workspace_get_account (workspace);
  g_autofree char *url = g_strdup_printf ("%s/pay/%s", np_account_get_base_url (account), id);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) form = g_bytes_new_static ("outcome=success", strlen ("outcome=success"));
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  NpCheckout *checkout;

  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", form);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (soup_message_get_status (message) == SOUP_STATUS_SEE_OTHER ||
                 soup_message_get_status (message) == SOUP_STATUS_OK);
  np_workspace_lookup_checkout_async (workspace, id, NULL, np_test_store_result, &result);
  checkout = np_workspace_checkout_finish (workspace, np_test_wait_result (&result, TIMEOUT_MS), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_checkout_get_status_text (checkout), ==, "paid");
  return checkout;
}

static gboolean
limit_shown (gpointer data)
{
  return np_checkout_refund_dialog_get_limit_text (data) != NULL;
}

static gboolean
dialog_says_waiting (gpointer data)
{
  return app_find_label (GTK_WIDGET (data), "is waiting for approval") != NULL;
}

static gboolean
approval_listed (gpointer data)
{
  NpOverviewPage *page = NP_OVERVIEW_PAGE (app_find_descendant (GTK_WIDGET (app_get_window (app)),
                                                                NP_TYPE_OVERVIEW_PAGE));
  const char *text = np_overview_page_get_approvals_text (page);

  return text != NULL && strstr (text, data) != NULL;
}

static gboolean
limit_group_says (gpointer data)
{
  GtkWindow *preferences = app_find_toplevel (NP_TYPE_PREFERENCES_WINDOW);

  return preferences != NULL && app_find_label (GTK_WIDGET (preferences), data) != NULL;
}

/* Preferences' Refund Approval group: bad input is refused with a reason and
 * changes nothing; "1000.00 SEK" is stored in the team ledger for every desk. */
static void
set_limit_in_preferences (void)
{
  GtkWindow *preferences;
  GtkWidget *group, *limit_row;
  g_autofree char *stored = NULL;

  open_group ();
  preferences = app_find_toplevel (NP_TYPE_PREFERENCES_WINDOW);
  group = app_find_descendant (GTK_WIDGET (preferences), NP_TYPE_APPROVAL_LIMIT_GROUP);
  g_assert_nonnull (group);
  np_test_wait_until (app_widget_mapped, group, TIMEOUT_MS, "the Refund Approval group");
  limit_row = app_find_widget (group, is_row_titled, "Approval Limit (amount and currency)");
  g_assert_nonnull (limit_row);

  gtk_editable_set_text (GTK_EDITABLE (limit_row), "1000.00 XYZ");
  g_signal_emit_by_name (limit_row, "apply");
  np_test_wait_until (limit_group_says, (gpointer) "XYZ is not a currency", TIMEOUT_MS, "the currency refused");
  gtk_editable_set_text (GTK_EDITABLE (limit_row), "lots");
  g_signal_emit_by_name (limit_row, "apply");
  np_test_wait_until (limit_group_says, (gpointer) "for example 1000.00 SEK", TIMEOUT_MS, "the form refused");
  stored = np_test_postgres_query_value (pg, dbname, "SELECT count(*) FROM np_team.approval_limits");
  g_assert_cmpstr (stored, ==, "0");

  gtk_editable_set_text (GTK_EDITABLE (limit_row), "1000.00 SEK");
  g_signal_emit_by_name (limit_row, "apply");
  np_test_wait_until (limit_group_says, (gpointer) "set for every desk", TIMEOUT_MS, "the limit saved");
  g_free (stored);
  stored = np_test_postgres_query_value (pg, dbname, "SELECT amount || ' ' || currency || ' ' || request_lifetime"
                                                     " FROM np_team.approval_limits");
  g_assert_cmpstr (stored, ==, "100000 SEK 168:00:00");
  close_preferences ();
}

typedef struct {
  NpCheckoutDetail *detail;
  const char       *text;
} Shown;

static gboolean
request_shown_cb (gpointer data)
{
  Shown *shown = data;
  const char *text = np_checkout_detail_get_request_text (shown->detail);

  return text != NULL && strstr (text, shown->text) != NULL;
}

static gboolean
request_gone (gpointer data)
{
  return np_checkout_detail_get_request_text (data) == NULL;
}

static gboolean
refund_counted (gpointer data)
{
  return sandbox_count ("/checkout/refund") >= GPOINTER_TO_UINT (data);
}

/* Over the team's limit, the refund dialog says so before anyone types, and
 * Refund makes a request instead (nothing reaches the sandbox), which the
 * Overview lists under "Waiting for approval". */
static void
test_approval_request (void)
{
  g_autofree char *owner = uri (OWNER, dbname);
  NpWorkspace *workspace = np_application_get_workspace (app);
  g_autofree char *checkout_id = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *money = NULL;
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckoutRefundDialog) dialog = NULL;
  GtkListBox *sidebar;
  guint before;

  join_through_form (owner, "FINANCE-1");
  close_preferences ();
  checkout_id = app_create_checkout (app, 200000, "SEK");
  np_test_wait_until (account_shared, NULL, TIMEOUT_MS, "the Sandbox account in the team ledger");
  set_limit_in_preferences ();
  paid = pay_checkout (checkout_id);

  /* Held: a refund that went out after all would close it under the test. */
  dialog = g_object_ref (np_checkout_refund_dialog_new (workspace, paid));
  gtk_window_present (GTK_WINDOW (dialog));
  np_test_wait_until (limit_shown, dialog, TIMEOUT_MS, "the approval limit in the refund dialog");
  g_assert_nonnull (strstr (np_checkout_refund_dialog_get_limit_text (dialog), "1,000.00"));

  before = sandbox_count ("/checkout/refund");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "refund.submit", NULL));
  respond_to_confirmation ("confirm", "cannot be undone");
  np_test_wait_until (dialog_says_waiting, dialog, TIMEOUT_MS, "the request in the dialog");
  g_assert_cmpuint (sandbox_count ("/checkout/refund"), ==, before);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The Overview lists it, live. */
  sidebar = GTK_LIST_BOX (app_find_sidebar (GTK_WIDGET (app_get_window (app))));
  gtk_list_box_select_row (sidebar, gtk_list_box_get_row_at_index (sidebar, 0));
  money = np_money_format (200000, "SEK");
  listed = g_strdup_printf ("Refund %s of %s, asked by FINANCE-1", money, checkout_id);
  np_test_wait_until (approval_listed, listed, TIMEOUT_MS, "the request under Waiting for approval");
  g_assert_nonnull (app_find_label (GTK_WIDGET (app_get_window (app)), "Waiting for approval"));

  /* Another desk's request appears without a click: only the team ledger knows of it. */
  {
    g_autoptr(NpTeamLedger) other = np_team_ledger_new ("SUPPORT-2");
    g_autofree char *target = uri (DESK_B, dbname);
    g_autofree char *account_id = team_account_id ();
    g_autofree char *other_listed = g_strdup_printf ("Refund %s of %s, asked by SUPPORT-2", money, checkout_id);

    np_team_ledger_connect_async (other, target, np_test_postgres_get_password (pg), NULL,
                                  np_test_store_result, &result);
    g_assert_true (np_team_ledger_connect_finish (other, np_test_wait_result (&result, TIMEOUT_MS), &error));
    g_clear_object (&result);
    np_team_ledger_ensure_schema_async (other, FALSE, NULL, np_test_store_result, &result);
    g_assert_cmpint (np_team_ledger_ensure_schema_finish (other, np_test_wait_result (&result, TIMEOUT_MS), &error),
                     ==, NP_TEAM_LEDGER_SCHEMA_VERSION);
    g_clear_object (&result);
    g_assert_false (approval_listed (other_listed));
    np_team_ledger_begin_operation_async (other, account_id, NP_JOURNAL_OPERATION_REFUND, checkout_id,
                                          200000, "SEK", "Refund", NULL, NULL, np_test_store_result, &result);
    g_assert_cmpint (np_team_ledger_begin_operation_finish (other, np_test_wait_result (&result, TIMEOUT_MS),
                                                            &error), ==, 0);
    g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REQUIRED);
    g_clear_error (&error);
    np_test_wait_until (approval_listed, other_listed, TIMEOUT_MS, "SUPPORT-2's request on the Overview");
  }
  g_assert_cmpuint (sandbox_count ("/checkout/refund"), ==, before);

  /* The checkout's detail: this desk withdraws its own request, then approves SUPPORT-2's. */
  {
    g_autoptr(NpCheckoutDetail) detail = g_object_ref_sink (g_object_new (NP_TYPE_CHECKOUT_DETAIL, "workspace",
                                                                          workspace, "checkout-id", checkout_id,
                                                                          NULL));
    GtkWidget *window = gtk_window_new ();
    g_autofree char *link = NULL;
    Shown own = { detail, "asked by FINANCE-1" };
    Shown theirs = { detail, "asked by SUPPORT-2" };

    gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (detail));
    gtk_window_present (GTK_WINDOW (window));
    np_test_wait_until (request_shown_cb, &own, TIMEOUT_MS, "this desk's request");
    g_assert_false (gtk_widget_get_visible (app_find_widget (GTK_WIDGET (detail), is_button_labelled,
                                                             "_Approve and Refund")));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "checkout.withdraw-request", NULL));
    np_test_wait_until (request_shown_cb, &theirs, TIMEOUT_MS, "SUPPORT-2's request");
    g_assert_true (gtk_widget_get_visible (app_find_widget (GTK_WIDGET (detail), is_button_labelled,
                                                            "_Approve and Refund")));
    g_assert_cmpuint (sandbox_count ("/checkout/refund"), ==, before);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "checkout.approve-request", NULL));
    np_test_wait_until (refund_counted, GUINT_TO_POINTER (before + 1), TIMEOUT_MS, "the approved refund");
    np_test_wait_until (request_gone, detail, TIMEOUT_MS, "the request to leave the detail");
    g_assert_cmpuint (sandbox_count ("/checkout/refund"), ==, before + 1);
    link = np_test_postgres_query_value (pg, dbname,
        "SELECT string_agg (r.desk || ':' || r.state || ':' || coalesce (d.desk, '') || ':'"
        " || coalesce (j.desk || '/' || j.state, '-'), ',' ORDER BY r.id)"
        " FROM np_team.refund_requests r LEFT JOIN np_team.refund_decisions d ON d.request_id = r.id"
        " LEFT JOIN np_team.journal j ON j.id = d.journal_id");
    g_assert_cmpstr (link, ==, "FINANCE-1:withdrawn:FINANCE-1:-,SUPPORT-2:approved:FINANCE-1:FINANCE-1/succeeded");
    gtk_window_destroy (GTK_WINDOW (window));
  }
  np_team_sync_leave (get_sync ());
}

int
main (int   argc,
      char *argv[])
{
  int status;

  np_test_init (&argc, &argv);
  pg = np_test_postgres_get_shared ();
  dbname = make_team_database (pg);
  app = app_start ();
  /* Without a window manager focus moves between windows (the account editor's
   * entries) without focus-out events; a blinking cursor would then warn, fatally. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add_func ("/ui/team/validation", test_validation);
  g_test_add_func ("/ui/team/connection-errors", test_connection_errors);
  g_test_add_func ("/ui/team/connection-tls", test_connection_tls);
  g_test_add_func ("/ui/team/join-and-leave", test_join_and_leave);
  g_test_add_func ("/ui/team/other-desk-in-activity", test_other_desk_in_activity);
  g_test_add_func ("/ui/team/shared-account-without-key", test_shared_account_without_key);
  g_test_add_func ("/ui/team/two-desks", test_two_desks);
  g_test_add_func ("/ui/team/offline-header", test_offline_header);
  g_test_add_func ("/ui/team/reconnect-header", test_reconnect_header);
  g_test_add_func ("/ui/team/approval-request", test_approval_request);

  status = g_test_run ();
  app_quit (app);
  g_free (dbname);
  return status;
}
