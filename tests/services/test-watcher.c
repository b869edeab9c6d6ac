/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-watcher.c — NpCheckoutWatcher against the real sandbox over loopback: a
 * watched checkout paid by the sandbox (POST /sandbox/pay, no console action) is
 * stored paid within 3 s; declined and cancelled are seen; 50 watches for 60 s
 * send at most 60 retrieves (counted at the sandbox); a 429 with Retry-After: 5
 * holds the next request back at least 5 s; watching stops at the limit and when
 * the account changes; an unchanged answer leaves the list and the journal alone,
 * and the change to paid is journalled once, as a refresh. */
#include "np-checkout-list-model.h"
#include "np-test-workspace.h"

typedef struct {
  NpTestWorkspace *t;
  const char      *checkout_id;
  const char      *status;
  GPtrArray       *changes;   /* "id status" of every status-changed */
  gint64           until;
  guint            count;
} Wait;

static void
on_status_changed (NpCheckoutWatcher *watcher,
                   const char        *checkout_id,
                   NpCheckout        *checkout,
                   GPtrArray         *changes)
{
  g_ptr_array_add (changes, g_strdup_printf ("%s %s", checkout_id, np_checkout_get_status_text (checkout)));
}

static gboolean
ledger_says (gpointer user_data)
{
  Wait *w = user_data;
  g_autoptr(NpCheckout) stored = np_ledger_get_checkout (w->t->ledger, np_workspace_get_account_id (w->t->workspace),
                                                         w->checkout_id, NULL);

  return stored != NULL && g_strcmp0 (np_checkout_get_status_text (stored), w->status) == 0;
}

static gboolean
not_watching (gpointer user_data)
{
  Wait *w = user_data;

  return !np_checkout_watcher_is_watching (np_workspace_get_watcher (w->t->workspace), w->checkout_id);
}

static gboolean
time_is_up (gpointer user_data)
{
  Wait *w = user_data;

  return g_get_monotonic_time () >= w->until;
}

static gboolean
retrieves_reach (gpointer user_data)
{
  Wait *w = user_data;

  return np_test_sandbox_count_requests (w->t->sandbox, "/checkout/retrieve") >= w->count;
}

static gboolean
wake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
sandbox_pays (NpTestWorkspace *t,
              const char      *checkout_id,
              const char      *outcome)
{
  g_autofree char *body = g_strdup_printf ("{\"checkout_id\": \"%s\", \"outcome\": \"%s\"}", checkout_id, outcome);

  g_assert_cmpuint (np_test_sandbox_call (t->sandbox, "/sandbox/pay", body, NULL), ==, 200);
}

static void
test_paid_by_the_sandbox (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (t, 12550, "SEK", TRUE);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);
  Wait w = { t, np_checkout_get_id (created), "paid", changes, 0, 0 };
  g_autofree char *expected = g_strdup_printf ("%s paid", np_checkout_get_id (created));
  gint64 paid_at;

  g_signal_connect (watcher, "status-changed", G_CALLBACK (on_status_changed), changes);
  np_checkout_watcher_watch (watcher, w.checkout_id);
  g_assert_true (np_checkout_watcher_is_watching (watcher, w.checkout_id));
  w.count = 1;
  np_test_wait_until (retrieves_reach, &w, 5000, "the first retrieve");

  sandbox_pays (t, w.checkout_id, "success");
  paid_at = g_get_monotonic_time ();
  np_test_wait_until (ledger_says, &w, 3000, "the ledger to say paid");
  g_test_message ("paid seen after %.2f s", (g_get_monotonic_time () - paid_at) / 1e6);
  np_test_wait_until (not_watching, &w, 1000, "the watch to stop at paid");
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (changes, 0), ==, expected);
  /* Only retrieves: nothing else reached the sandbox from the watch. */
  g_assert_cmpuint (np_test_sandbox_count_requests (t->sandbox, "/checkout/capture"), ==, 0);
}

static void
test_declined_and_cancelled (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) declined = np_test_workspace_create_checkout (t, 1000, "SEK", TRUE);
  g_autoptr(NpCheckout) canceled = np_test_workspace_create_checkout (t, 2000, "EUR", TRUE);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);
  Wait a = { t, np_checkout_get_id (declined), "failed", changes, 0, 0 };
  Wait b = { t, np_checkout_get_id (canceled), "canceled", changes, 0, 0 };

  g_signal_connect (watcher, "status-changed", G_CALLBACK (on_status_changed), changes);
  np_checkout_watcher_watch (watcher, a.checkout_id);
  np_checkout_watcher_watch (watcher, b.checkout_id);
  sandbox_pays (t, a.checkout_id, "decline");
  sandbox_pays (t, b.checkout_id, "cancel");
  np_test_wait_until (ledger_says, &a, 5000, "declined in the ledger");
  np_test_wait_until (ledger_says, &b, 5000, "cancelled in the ledger");
  np_test_wait_until (not_watching, &a, 1000, "the declined watch to stop");
  np_test_wait_until (not_watching, &b, 1000, "the cancelled watch to stop");
  g_assert_cmpuint (changes->len, ==, 2);
}

typedef struct {
  guint items_changed;
  guint checkouts_changed;
  guint journal_changed;
} Noise;

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Noise      *noise)
{
  noise->items_changed++;
}

static void
count_ledger_changed (NpLedger      *ledger,
                      NpLedgerTable  table,
                      gint64         account_id,
                      gint64         row_id,
                      Noise         *noise)
{
  if (table == NP_LEDGER_TABLE_CHECKOUTS)
    noise->checkouts_changed++;
  else if (table == NP_LEDGER_TABLE_JOURNAL)
    noise->journal_changed++;
}

static gboolean
list_has_one (gpointer user_data)
{
  return g_list_model_get_n_items (user_data) == 1;
}

static GPtrArray *
journal_of (NpTestWorkspace *t,
            const char      *checkout_id)
{
  g_autoptr(NpJournalQuery) query = np_journal_query_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *entries;

  np_journal_query_set_object_id (query, checkout_id);
  entries = np_ledger_journal_list (t->ledger, np_workspace_get_account_id (t->workspace), query,
                                    0, G_MAXUINT, &error);
  g_assert_no_error (error);
  return entries;
}

/* Exactly one 'refresh' row in @entries: succeeded, finished when it started,
 * saying @summary, holding no lock (no attention, no retry), and the account's
 * audit chain verifies with it. */
static void
assert_one_refresh (NpTestWorkspace *t,
                    GPtrArray       *entries,
                    const char      *summary)
{
  g_autoptr(GError) error = NULL;
  NpJournalEntry *refresh = NULL;
  guint n_refreshes = 0;
  guint n_rows = 0;

  for (guint i = 0; i < entries->len; i++)
    if (np_journal_entry_get_operation (g_ptr_array_index (entries, i)) == NP_JOURNAL_OPERATION_REFRESH)
      {
        refresh = g_ptr_array_index (entries, i);
        n_refreshes++;
      }
  g_assert_cmpuint (n_refreshes, ==, 1);
  g_assert_cmpint (np_journal_entry_get_state (refresh), ==, NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_cmpstr (np_journal_entry_get_summary (refresh), ==, summary);
  g_assert_nonnull (np_journal_entry_get_finished (refresh));
  g_assert_true (g_date_time_equal (np_journal_entry_get_started (refresh), np_journal_entry_get_finished (refresh)));
  g_assert_false (np_journal_entry_needs_attention (refresh));
  g_assert_true (np_ledger_verify_chain (t->ledger, np_workspace_get_account_id (t->workspace),
                                         &n_rows, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, >=, 2);
}

/* A watch retrieves every 2 s: an answer equal to the stored one must leave the
 * list alone (no items-changed, the same row object, so a selection and the
 * keyboard focus on it stay) and write nothing to the ledger or the journal; the
 * change to paid then reaches the list at once. */
static void
test_unchanged_retrieve_changes_nothing (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (t, 4200, "SEK", TRUE);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);
  gint64 account_id = np_workspace_get_account_id (t->workspace);
  Wait w = { t, np_checkout_get_id (created), "paid", NULL, 0, 0 };
  g_autoptr(NpCheckoutListModel) model = NULL;
  g_autoptr(NpCheckoutRow) row_before = NULL;
  g_autoptr(NpCheckoutRow) row_after = NULL;
  g_autoptr(NpCheckoutRow) row_paid = NULL;
  g_autoptr(GPtrArray) journal_before = NULL;
  g_autoptr(GPtrArray) journal_after = NULL;
  g_autoptr(GPtrArray) journal_paid = NULL;
  Noise noise = { 0, };
  gulong ledger_handler;
  guint retrieves;

  model = np_checkout_list_model_new (t->ledger, account_id, NULL);
  np_test_wait_until (list_has_one, model, 10000, "the list to show the checkout");
  row_before = g_list_model_get_item (G_LIST_MODEL (model), 0);
  journal_before = journal_of (t, w.checkout_id);
  g_signal_connect (model, "items-changed", G_CALLBACK (count_items_changed), &noise);
  ledger_handler = g_signal_connect (t->ledger, "changed", G_CALLBACK (count_ledger_changed), &noise);

  retrieves = np_test_sandbox_count_requests (t->sandbox, "/checkout/retrieve");
  np_checkout_watcher_watch (watcher, w.checkout_id);
  /* When the fourth request arrives, the third answer has been stored. */
  w.count = retrieves + 4;
  np_test_wait_until (retrieves_reach, &w, 20000, "four retrieves of an unchanged checkout");
  g_assert_true (np_checkout_watcher_is_watching (watcher, w.checkout_id));

  g_assert_cmpuint (noise.items_changed, ==, 0);
  g_assert_cmpuint (noise.checkouts_changed, ==, 0);
  g_assert_cmpuint (noise.journal_changed, ==, 0);
  row_after = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (row_after == row_before);
  journal_after = journal_of (t, w.checkout_id);
  g_assert_cmpuint (journal_after->len, ==, journal_before->len);

  sandbox_pays (t, w.checkout_id, "success");
  np_test_wait_until (ledger_says, &w, 3000, "the ledger to say paid");
  np_test_wait_until (not_watching, &w, 1000, "the watch to stop at paid");
  g_assert_cmpuint (noise.items_changed, >=, 1);
  g_assert_cmpuint (noise.checkouts_changed, ==, 1);
  row_paid = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpint (np_checkout_row_get_status (row_paid), ==, NP_CHECKOUT_STATUS_PAID);
  /* The change is journalled once, as a refresh (no operation was sent), and
   * chained like every finished row. */
  g_assert_cmpuint (noise.journal_changed, ==, 1);
  journal_paid = journal_of (t, w.checkout_id);
  g_assert_cmpuint (journal_paid->len, ==, journal_before->len + 1);
  assert_one_refresh (t, journal_paid, "Status created → paid, 42.00\u00a0SEK");
  g_signal_handler_disconnect (t->ledger, ledger_handler);
}

/* A watched change is journalled as a refresh is: an operation on the checkout
 * whose outcome was unknown is settled with the status the watch saw, once. */
static void
test_watched_change_settles_journal (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (t, 4300, "SEK", TRUE);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);
  gint64 account_id = np_workspace_get_account_id (t->workspace);
  Wait w = { t, np_checkout_get_id (created), "paid", NULL, 0, 0 };
  g_autoptr(GPtrArray) journal_before = NULL;
  g_autoptr(GPtrArray) journal_after = NULL;
  g_autoptr(GError) error = NULL;
  Noise noise = { 0, };
  gboolean seen = FALSE;
  gint64 unknown_id;
  gulong ledger_handler;

  /* An edit whose answer was lost. */
  unknown_id = np_ledger_journal_begin (t->ledger, account_id, NP_JOURNAL_OPERATION_UPDATE,
                                        w.checkout_id, "metadata", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (np_ledger_journal_finish (t->ledger, unknown_id, NP_JOURNAL_STATE_UNKNOWN,
                                           "The answer was lost.", NULL, &error));
  g_assert_no_error (error);
  journal_before = journal_of (t, w.checkout_id);

  /* Paid at the counter before the first retrieve: that one sees the change. */
  sandbox_pays (t, w.checkout_id, "success");
  ledger_handler = g_signal_connect (t->ledger, "changed", G_CALLBACK (count_ledger_changed), &noise);
  g_signal_connect (watcher, "status-changed", G_CALLBACK (on_status_changed), changes);
  np_checkout_watcher_watch (watcher, w.checkout_id);
  np_test_wait_until (ledger_says, &w, 5000, "the ledger to say paid");
  np_test_wait_until (not_watching, &w, 1000, "the watch to stop at paid");
  g_assert_cmpuint (changes->len, ==, 1);

  /* The settling, and the refresh row of the change. */
  journal_after = journal_of (t, w.checkout_id);
  g_assert_cmpuint (journal_after->len, ==, journal_before->len + 1);
  g_assert_cmpuint (noise.journal_changed, ==, 2);
  assert_one_refresh (t, journal_after, "Status created → paid, 43.00\u00a0SEK");
  for (guint i = 0; i < journal_after->len; i++)
    {
      NpJournalEntry *entry = g_ptr_array_index (journal_after, i);

      if (np_journal_entry_get_id (entry) != unknown_id)
        continue;
      seen = TRUE;
      g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_UNKNOWN);
      g_assert_nonnull (np_journal_entry_get_settled (entry));
      g_assert_cmpstr (np_journal_entry_get_settled_status (entry), ==, "paid");
    }
  g_assert_true (seen);
  g_signal_handler_disconnect (t->ledger, ledger_handler);
}

/* The product rule, run for real: 50 waiting checkouts watched for 60 s. */
static void
test_request_budget (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);
  Wait w = { t, NULL, NULL, NULL, 0, 0 };
  guint before, sent, source;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (t, 100 + i, "SEK", TRUE);

      np_checkout_watcher_watch (watcher, np_checkout_get_id (created));
    }
  g_assert_cmpuint (np_checkout_watcher_get_n_watching (watcher), ==, 50);
  before = np_test_sandbox_count_requests (t->sandbox, "/checkout/retrieve");
  w.until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  source = g_timeout_add (250, wake, NULL);
  np_test_wait_until (time_is_up, &w, 65000, "60 s of watching");
  g_source_remove (source);
  sent = np_test_sandbox_count_requests (t->sandbox, "/checkout/retrieve") - before;
  g_test_message ("50 watches, 60 s: %u retrieves", sent);
  g_assert_cmpuint (sent, <=, 60);
  /* And it did watch: about one a second. */
  g_assert_cmpuint (sent, >=, 50);
  g_assert_cmpuint (np_checkout_watcher_get_n_watching (watcher), ==, 50);
}

static void
test_retry_after_slows (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (t, 500, "SEK", TRUE);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);
  Wait w = { t, np_checkout_get_id (created), NULL, NULL, 0, 0 };
  guint before = np_test_sandbox_count_requests (t->sandbox, "/checkout/retrieve");
  gint64 limited_at, waited;

  np_test_sandbox_add_fault_rule (t->sandbox,
                                  "{\"path\": \"/checkout/retrieve\", \"fault\": \"status:429\", "
                                  "\"retry_after\": 5, \"count\": 1}");
  np_checkout_watcher_watch (watcher, w.checkout_id);
  w.count = before + 1;
  np_test_wait_until (retrieves_reach, &w, 5000, "the rate-limited retrieve");
  limited_at = g_get_monotonic_time ();
  w.count = before + 2;
  np_test_wait_until (retrieves_reach, &w, 15000, "the next retrieve");
  waited = g_get_monotonic_time () - limited_at;
  g_test_message ("next retrieve %.2f s after the 429", waited / 1e6);
  g_assert_cmpint (waited, >=, 5 * G_USEC_PER_SEC - 100000);
  g_assert_cmpint (np_checkout_watcher_get_n_watching (watcher), ==, 1);
}

static void
test_stops_at_limit (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (t, 500, "SEK", TRUE);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);
  Wait w = { t, np_checkout_get_id (created), NULL, NULL, 0, 0 };
  guint after;

  g_object_set (watcher, "limit-seconds", 2, NULL);
  np_checkout_watcher_watch (watcher, w.checkout_id);
  g_assert_true (np_checkout_watcher_is_watching (watcher, w.checkout_id));
  np_test_wait_until (not_watching, &w, 4000, "the watch to stop at its limit");
  /* And nothing more is asked for it. */
  after = np_checkout_watcher_get_n_requests (watcher);
  w.until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  {
    guint source = g_timeout_add (250, wake, NULL);

    np_test_wait_until (time_is_up, &w, 5000, "3 s after the limit");
    g_source_remove (source);
  }
  g_assert_cmpuint (np_checkout_watcher_get_n_requests (watcher), ==, after);
}

static void
test_stops_when_account_changes (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (t, 500, "SEK", TRUE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);

  np_checkout_watcher_watch (watcher, np_checkout_get_id (created));
  g_assert_cmpuint (np_checkout_watcher_get_n_watching (watcher), ==, 1);
  np_workspace_set_account_async (t->workspace, NULL, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, 5000);
  g_assert_true (np_workspace_set_account_finish (t->workspace, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (np_checkout_watcher_get_n_watching (watcher), ==, 0);
}

/* The Overview's waiting checkouts younger than a day (by the sandbox's clock). */
static void
test_watch_recent (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) old = np_test_workspace_create_checkout (t, 100, "SEK", TRUE);
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(NpCheckout) recent = NULL;
  g_autoptr(NpCheckout) recent_paid = NULL;
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);

  g_assert_cmpuint (np_test_sandbox_clock (t->sandbox, "{\"advance\": \"2d\"}", NULL), ==, 200);
  recent = np_test_workspace_create_checkout (t, 200, "SEK", TRUE);
  recent_paid = np_test_workspace_create_checkout (t, 300, "SEK", TRUE);
  paid = np_test_workspace_pay (t, np_checkout_get_id (recent_paid));

  g_assert_cmpuint (np_checkout_watcher_watch_recent (watcher), ==, 1);
  g_assert_true (np_checkout_watcher_is_watching (watcher, np_checkout_get_id (recent)));
  g_assert_false (np_checkout_watcher_is_watching (watcher, np_checkout_get_id (old)));
  g_assert_false (np_checkout_watcher_is_watching (watcher, np_checkout_get_id (recent_paid)));
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/watcher/paid-by-the-sandbox", test_paid_by_the_sandbox);
  g_test_add_func ("/watcher/declined-and-cancelled", test_declined_and_cancelled);
  g_test_add_func ("/watcher/unchanged-retrieve-changes-nothing", test_unchanged_retrieve_changes_nothing);
  g_test_add_func ("/watcher/watched-change-settles-journal", test_watched_change_settles_journal);
  g_test_add_func ("/watcher/retry-after-slows", test_retry_after_slows);
  g_test_add_func ("/watcher/stops-at-limit", test_stops_at_limit);
  g_test_add_func ("/watcher/stops-when-account-changes", test_stops_when_account_changes);
  g_test_add_func ("/watcher/watch-recent", test_watch_recent);
  g_test_add_func ("/watcher/request-budget", test_request_budget);

  return g_test_run ();
}
