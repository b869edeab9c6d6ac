/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-activity.c — the Activity page against the real sandbox, ledger and keyring.
 *
 * A scripted set of operations goes through the workspace to the sandbox: a
 * create, a capture, a partial refund, a refund the sandbox refuses, a new
 * customer, and a capture whose answer is dropped. The page, in a real window,
 * must list each with its outcome, newest first; filter by operation and outcome
 * and search through its own widgets; open objects through the window's actions;
 * settle the unknown capture with its Refresh button (one retrieve reaching the
 * sandbox); and export exactly what it lists as CSV.
 */
#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>
#include <string.h>

#include "np-activity-page.h"
#include "np-money.h"
#include "np-test-sandbox.h"
#include "np-test-utils.h"
#include "np-test-workspace.h"
#include "test-app-common.h"

#define TIMEOUT_MS 20000

typedef struct {
  NpTestWorkspace *tw;
  GtkWindow       *window;
  NpActivityPage  *page;
  GPtrArray       *opened;     /* "checkout:<id>" or "customer:<id>" per win.open-* */
} Fixture;

/* Widget tree ------------------------------------------------------------------- */

static gboolean
match_settle_button (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "activity.settle") == 0;
}

static GtkWidget *
find_one (Fixture       *f,
          AppWidgetMatch match,
          gconstpointer  data)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  app_collect_widgets (GTK_WIDGET (f->page), match, data, found);
  return found->len > 0 ? found->pdata[0] : NULL;
}

/* The label showing @text, mapped, if any. */
static GtkWidget *
shown_label (Fixture    *f,
             const char *text)
{
  return find_one (f, app_match_mapped_label, text);
}

static guint
n_listed (Fixture *f)
{
  return g_list_model_get_n_items (np_activity_page_get_model (f->page));
}

typedef struct {
  Fixture *f;
  guint    n;
} CountWait;

static gboolean
listed_is (gpointer data)
{
  CountWait *wait = data;

  return n_listed (wait->f) == wait->n;
}

static void
wait_listed (Fixture *f,
             guint    n)
{
  CountWait wait = { f, n };
  g_autofree char *what = g_strdup_printf ("%u operations listed", n);

  np_test_wait_until (listed_is, &wait, TIMEOUT_MS, what);
}

/* The page's filter dropdowns, told apart by their number of items. */
static GtkDropDown *
find_dropdown (Fixture *f,
               guint    n_items)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  app_collect_widgets (GTK_WIDGET (f->page), app_match_type, GSIZE_TO_POINTER (GTK_TYPE_DROP_DOWN), found);
  for (guint i = 0; i < found->len; i++)
    if (g_list_model_get_n_items (gtk_drop_down_get_model (found->pdata[i])) == n_items)
      return found->pdata[i];

  g_assert_not_reached ();
}

static NpJournalEntry *
listed_entry (Fixture *f,
              guint    position)
{
  return g_list_model_get_item (np_activity_page_get_model (f->page), position);
}

/* Operations through the workspace ----------------------------------------------- */

static NpCheckout *
create_and_reserve (Fixture *f,
                    gint64   amount)
{
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (f->tw, amount, "SEK", FALSE);

  return np_test_workspace_pay (f->tw, np_checkout_get_id (created));
}

static NpCheckout *
capture (Fixture    *f,
         const char *checkout_id,
         GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_workspace_capture_checkout_async (f->tw->workspace, checkout_id, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, TIMEOUT_MS);
  return np_workspace_checkout_finish (f->tw->workspace, result, error);
}

static NpCheckout *
refund (Fixture    *f,
        const char *checkout_id,
        gint64      amount,
        GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_workspace_refund_checkout_async (f->tw->workspace, checkout_id, amount, "duplicate", NULL,
                                      NULL, np_test_store_result, &result);
  np_test_wait_result (&result, TIMEOUT_MS);
  return np_workspace_checkout_finish (f->tw->workspace, result, error);
}

static NpCustomer *
create_customer (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  NpCustomer *customer;

  np_workspace_create_customer_async (f->tw->workspace, "Ada", "Lovelace", "ada@example.com", NULL,
                                      NULL, np_test_store_result, &result);
  np_test_wait_result (&result, TIMEOUT_MS);
  customer = np_workspace_customer_finish (f->tw->workspace, result, &error);
  g_assert_no_error (error);

  return customer;
}

/* Fixture ------------------------------------------------------------------------ */

static void
open_checkout (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->opened, g_strconcat ("checkout:", g_variant_get_string (parameter, NULL), NULL));
}

static void
open_customer (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->opened, g_strconcat ("customer:", g_variant_get_string (parameter, NULL), NULL));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const GActionEntry win_actions[] = {
    { "open-checkout", open_checkout, "s", NULL, NULL, { 0 } },
    { "open-customer", open_customer, "s", NULL, NULL, { 0 } },
  };

  f->opened = g_ptr_array_new_with_free_func (g_free);
  f->tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  f->page = g_object_new (NP_TYPE_ACTIVITY_PAGE, "workspace", f->tw->workspace, NULL);
  f->window = app_present_in_window (GTK_WIDGET (f->page), GTK_WIDGET (f->page), 1240, 600,
                                     win_actions, G_N_ELEMENTS (win_actions), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (f->window);
  g_clear_pointer (&f->tw, np_test_workspace_free);
  g_clear_pointer (&f->opened, g_ptr_array_unref);
}

/* The test ----------------------------------------------------------------------- */

typedef struct {
  Fixture *f;
  gint64   entry_id;
} SettleWait;

static gboolean
settled (gpointer data)
{
  SettleWait *wait = data;
  g_autoptr(NpJournalEntry) entry = np_ledger_journal_get (wait->f->tw->ledger, wait->entry_id, NULL);

  return entry != NULL && np_journal_entry_get_settled (entry) != NULL &&
         !np_activity_page_get_busy (wait->f->page) &&
         find_one (wait->f, match_settle_button, NULL) == NULL;
}

static gboolean
not_busy (gpointer data)
{
  return !np_activity_page_get_busy (data);
}

static gboolean
label_is_mapped (gpointer data)
{
  Fixture *f = ((gpointer *)data)[0];

  return shown_label (f, ((gpointer *)data)[1]) != NULL;
}

static void
wait_label (Fixture    *f,
            const char *text)
{
  gpointer data[2] = { f, (gpointer)text };
  g_autofree char *what = g_strdup_printf ("a label \"%s\"", text);

  np_test_wait_until (label_is_mapped, data, TIMEOUT_MS, what);
}

static void
search (Fixture    *f,
        const char *text,
        guint       expected)
{
  GtkWidget *entry = find_one (f, app_match_type, GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY));

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  wait_listed (f, expected);
}

static void
test_activity (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(NpCheckout) c1 = NULL, c2 = NULL, captured = NULL, partly = NULL, refused = NULL, lost = NULL;
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  /* Each checkout's payment, seen by a look-up, is journalled as a refresh. */
  static const NpJournalOperation operations[] = {
    NP_JOURNAL_OPERATION_CAPTURE, NP_JOURNAL_OPERATION_REFRESH, NP_JOURNAL_OPERATION_CREATE,
    NP_JOURNAL_OPERATION_CREATE_CUSTOMER, NP_JOURNAL_OPERATION_REFUND, NP_JOURNAL_OPERATION_REFUND,
    NP_JOURNAL_OPERATION_CAPTURE, NP_JOURNAL_OPERATION_REFRESH, NP_JOURNAL_OPERATION_CREATE,
  };
  static const NpJournalState states[] = {
    NP_JOURNAL_STATE_UNKNOWN, NP_JOURNAL_STATE_SUCCEEDED, NP_JOURNAL_STATE_SUCCEEDED,
    NP_JOURNAL_STATE_SUCCEEDED, NP_JOURNAL_STATE_FAILED, NP_JOURNAL_STATE_SUCCEEDED,
    NP_JOURNAL_STATE_SUCCEEDED, NP_JOURNAL_STATE_SUCCEEDED, NP_JOURNAL_STATE_SUCCEEDED,
  };
  GtkDropDown *operation_dropdown, *outcome_dropdown;
  GtkWidget *settle_button, *outcome_label;
  g_autoptr(NpJournalEntry) unknown = NULL;
  SettleWait settle_wait = { f, 0 };
  guint retrieves;

  /* Nothing sent yet. */
  wait_label (f, "No Operations Yet");

  c1 = create_and_reserve (f, 30000);
  captured = capture (f, np_checkout_get_id (c1), &error);
  g_assert_no_error (error);
  partly = refund (f, np_checkout_get_id (c1), 2000, &error);
  g_assert_no_error (error);
  refused = refund (f, np_checkout_get_id (c1), 10000000, &error);
  g_assert_null (refused);
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_OUTCOME_UNKNOWN));
  g_clear_error (&error);
  customer = create_customer (f);
  c2 = create_and_reserve (f, 4500);
  np_test_sandbox_add_fault (f->tw->sandbox, "/checkout/capture", "drop", 1);
  lost = capture (f, np_checkout_get_id (c2), &error);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_OUTCOME_UNKNOWN);
  g_clear_error (&error);

  /* Every operation, newest first, with its outcome. */
  wait_listed (f, G_N_ELEMENTS (operations));
  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    {
      g_autoptr(NpJournalEntry) entry = listed_entry (f, i);

      g_assert_cmpint (np_journal_entry_get_operation (entry), ==, operations[i]);
      g_assert_cmpint (np_journal_entry_get_state (entry), ==, states[i]);
    }
  unknown = listed_entry (f, 0);
  g_assert_cmpstr (np_journal_entry_get_object_id (unknown), ==, np_checkout_get_id (c2));
  settle_wait.entry_id = np_journal_entry_get_id (unknown);

  /* The rows say so, and the unknown one stands out. */
  wait_label (f, "Failed");
  wait_label (f, "Create customer");
  wait_label (f, np_customer_get_id (customer));
  {
    /* The money each operation moved, in its own column. */
    g_autofree char *refunded = np_money_format (2000, "SEK");
    g_autofree char *refused_amount = np_money_format (10000000, "SEK");
    g_autofree char *created = np_money_format (30000, "SEK");

    wait_label (f, refunded);
    wait_label (f, refused_amount);
    wait_label (f, created);
  }
  outcome_label = shown_label (f, "Unknown");
  g_assert_nonnull (outcome_label);
  g_assert_true (gtk_widget_has_css_class (outcome_label, "warning"));
  g_assert_true (gtk_widget_has_css_class (shown_label (f, "Failed"), "error"));
  settle_button = find_one (f, match_settle_button, NULL);
  g_assert_nonnull (settle_button);
  /* A refresh says what it is and what was seen; it offers no Settle (one
   * button only, the unknown capture's). */
  wait_label (f, "Status refresh");
  wait_label (f, "Seen");
  {
    g_autoptr(NpJournalEntry) seen = listed_entry (f, 1);
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    g_autofree char *amount = np_money_format (4500, "SEK");
    g_autofree char *summary = g_strdup_printf ("Status created → reserved, %s", amount);

    g_assert_cmpstr (np_journal_entry_get_summary (seen), ==, summary);
    g_assert_false (np_journal_entry_needs_attention (seen));
    app_collect_widgets (GTK_WIDGET (f->page), match_settle_button, NULL, buttons);
    g_assert_cmpuint (buttons->len, ==, 1);
  }

  app_wait_for_paint (GTK_WIDGET (f->window));
  app_save_widget_screenshot (GTK_WIDGET (f->page), "activity.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  app_wait_for_paint (GTK_WIDGET (f->window));
  app_save_widget_screenshot (GTK_WIDGET (f->page), "activity-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Filters, through the dropdowns: refunds (both), failed outcomes, unsettled unknowns. */
  operation_dropdown = find_dropdown (f, 9);
  outcome_dropdown = find_dropdown (f, 6);
  gtk_drop_down_set_selected (operation_dropdown, 1 + NP_JOURNAL_OPERATION_REFRESH);
  wait_listed (f, 2);
  gtk_drop_down_set_selected (operation_dropdown, 1 + NP_JOURNAL_OPERATION_REFUND);
  wait_listed (f, 2);
  gtk_drop_down_set_selected (outcome_dropdown, 1 + NP_JOURNAL_STATE_FAILED);
  wait_listed (f, 1);
  gtk_drop_down_set_selected (operation_dropdown, 0);
  wait_listed (f, 1);
  gtk_drop_down_set_selected (outcome_dropdown, 5);
  wait_listed (f, 1);
  gtk_drop_down_set_selected (outcome_dropdown, 0);
  wait_listed (f, G_N_ELEMENTS (operations));

  /* Search: Ctrl+F's action focuses the entry; one checkout's history, then nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "activity.search", NULL));
  g_assert_true (gtk_widget_has_focus (gtk_root_get_focus (GTK_ROOT (f->window))) &&
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         find_one (f, app_match_type, GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY))));
  search (f, np_checkout_get_id (c2), 3);
  search (f, "no-such-operation", 0);
  wait_label (f, "No Matching Operations");
  search (f, "", G_N_ELEMENTS (operations));

  /* Activating a row opens its object: a checkout, and a customer. */
  {
    GtkWidget *view = find_one (f, app_match_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));

    g_signal_emit_by_name (view, "activate", 0);
    g_signal_emit_by_name (view, "activate", 3);
  }
  g_assert_cmpuint (f->opened->len, ==, 2);
  {
    g_autofree char *checkout = g_strconcat ("checkout:", np_checkout_get_id (c2), NULL);
    g_autofree char *customer_target = g_strconcat ("customer:", np_customer_get_id (customer), NULL);

    g_assert_cmpstr (f->opened->pdata[0], ==, checkout);
    g_assert_cmpstr (f->opened->pdata[1], ==, customer_target);
  }

  /* Refresh settles the unknown capture: one retrieve reaches the sandbox, the
   * entry records what it saw and the button goes away. */
  retrieves = np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/retrieve");
  settle_button = find_one (f, match_settle_button, NULL);
  g_assert_nonnull (settle_button);
  g_signal_emit_by_name (settle_button, "clicked");
  np_test_wait_until (settled, &settle_wait, TIMEOUT_MS, "the unknown capture to be settled");
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/retrieve"), ==, retrieves + 1);
  g_assert_nonnull (strstr (np_activity_page_get_last_message (f->page), "paid"));
  wait_label (f, "Unknown · now paid");
}

/* Export writes what the list shows: the filtered entries, newest first, as CSV. */
/* Runs @sql on the ledger file through a connection of its own (not the
 * sqlite3 shell: its closing would checkpoint and delete the WAL under the
 * workspace's open connection) and returns column 0 of the first row. */
static char *
sql_on_file (Fixture    *f,
             const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open (np_ledger_get_path (np_workspace_get_ledger (f->tw->workspace)), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);
  sqlite3_close (db);
  return value;
}

static void
test_verify_audit_trail (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(NpCheckout) c1 = NULL, refunded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *edit = NULL;
  g_autofree char *none = NULL;

  c1 = create_and_reserve (f, 12000);
  refunded = refund (f, np_checkout_get_id (c1), 12000, &error);
  g_assert_no_error (error);
  /* The create, the refresh that saw it reserved, the refund: all chained. */
  wait_listed (f, 3);

  /* The button's action, as a person would press it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "activity.verify-audit-trail", NULL));
  g_assert_cmpstr (np_activity_page_get_last_message (f->page), ==,
                   "The audit trail is intact: 3 operations verified.");

  /* The first operation's summary edited in the file. */
  first = sql_on_file (f, "SELECT min(id) FROM journal");
  edit = g_strdup_printf ("UPDATE journal SET summary = summary || ' (edited)' WHERE id = %s", first);
  none = sql_on_file (f, edit);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "activity.verify-audit-trail", NULL);
  needle = g_strdup_printf ("does not match at journal row %s:", first);
  g_assert_nonnull (strstr (np_activity_page_get_last_message (f->page), needle));
}

static void
test_day_report_csv (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NpCheckout) c1 = NULL, refunded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (np_test_get_home (), "day.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *contents = NULL;
  g_autofree char *head = NULL;
  g_autofree char *line = NULL;
  GDate day;

  c1 = create_and_reserve (f, 12000);
  refunded = refund (f, np_checkout_get_id (c1), 12000, &error);
  g_assert_no_error (error);
  wait_listed (f, 3);

  g_date_set_dmy (&day, g_date_time_get_day_of_month (now), g_date_time_get_month (now), g_date_time_get_year (now));
  g_assert_true (np_activity_page_export_day_report (f->page, &day, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_test_message ("%s", contents);

  g_assert_true (g_str_has_prefix (contents, "section,currency,created_count,created,paid_count,paid,"));
  g_assert_nonnull (strstr (contents, "totals,SEK,1,120.00,"));
  line = g_strdup_printf (",refund,%s,120.00,SEK,", np_checkout_get_id (c1));
  g_assert_nonnull (strstr (contents, line));
  g_assert_nonnull (strstr (contents, ",create,"));
  /* The report lists money operations: the refresh is in Activity, not here. */
  g_assert_null (strstr (contents, ",refresh,"));
  head = np_ledger_chain_head (np_workspace_get_ledger (f->tw->workspace),
                               np_workspace_get_account_id (f->tw->workspace), &error);
  g_assert_cmpuint (strlen (head), ==, 64);
  g_assert_nonnull (strstr (contents, head));

  /* Yesterday holds none of it. */
  g_date_subtract_days (&day, 1);
  g_assert_true (np_activity_page_export_day_report (f->page, &day, file, &error));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_null (strstr (contents, "totals,SEK"));
  g_assert_null (strstr (contents, ",refund,"));
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(NpCheckout) c1 = NULL, refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (np_test_get_home (), "activity.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  c1 = create_and_reserve (f, 12000);
  refused = refund (f, np_checkout_get_id (c1), 10000000, &error);
  g_assert_null (refused);
  g_clear_error (&error);
  wait_listed (f, 3);

  /* Everything. */
  np_activity_page_export_to_file (f->page, file);
  g_assert_true (np_activity_page_get_busy (f->page));
  np_test_wait_until (not_busy, f->page, TIMEOUT_MS, "the export");
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);  /* header, three entries, the empty end */
  g_assert_true (g_str_has_prefix (lines[0], "id,started,finished,operation,object_id,outcome"));
  g_assert_nonnull (strstr (lines[1], ",refund,"));
  g_assert_nonnull (strstr (lines[1], ",failed,"));
  /* The export is the journal: the refresh is in it. */
  g_assert_nonnull (strstr (lines[2], ",refresh,"));
  g_assert_nonnull (strstr (lines[2], ",succeeded,"));
  g_assert_nonnull (strstr (lines[3], ",create,"));
  g_assert_nonnull (strstr (lines[3], np_checkout_get_id (c1)));
  g_assert_nonnull (strstr (np_activity_page_get_last_message (f->page), "3"));
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&contents, g_free);

  /* Only what the filter shows. */
  gtk_drop_down_set_selected (find_dropdown (f, 6), 1 + NP_JOURNAL_STATE_FAILED);
  wait_listed (f, 1);
  np_activity_page_export_to_file (f->page, file);
  np_test_wait_until (not_busy, f->page, TIMEOUT_MS, "the filtered export");
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_nonnull (strstr (lines[1], ",failed,"));
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  /* The pages are driven through their widgets, not the accessibility bus; a
   * bus another process left half set up must not fail these tests. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  gtk_init ();
  adw_init ();

  g_test_add ("/activity/journal-filters-open-settle", Fixture, NULL, fixture_set_up, test_activity, fixture_tear_down);
  g_test_add ("/activity/export", Fixture, NULL, fixture_set_up, test_export, fixture_tear_down);
  g_test_add ("/activity/day-report-csv", Fixture, NULL, fixture_set_up, test_day_report_csv, fixture_tear_down);
  g_test_add ("/activity/verify-audit-trail", Fixture, NULL, fixture_set_up, test_verify_audit_trail,
              fixture_tear_down);

  return g_test_run ();
}
