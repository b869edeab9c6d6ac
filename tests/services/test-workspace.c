/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-workspace.c — NpWorkspace against the real sandbox, ledger and keyring.
 *
 * Runs under the headless harness (a session bus with an unlocked gnome-keyring).
 */
#include <string.h>

#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "np-money.h"
#include "np-test-workspace.h"

#define WAIT_MS 15000

static NpJournalEntry *
latest_journal_entry (NpTestWorkspace *t)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = np_ledger_journal_list (t->ledger, np_account_get_id (t->account), NULL, 0, 1, &error);
  g_assert_no_error (error);
  if (entries->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (entries, 0));
}

typedef struct {
  NpTestWorkspace *t;
  guint            n_before;
} PendingWatch;

static guint
count_journal (NpTestWorkspace *t)
{
  g_autoptr(GPtrArray) entries = np_ledger_journal_list (t->ledger, np_account_get_id (t->account),
                                                        NULL, 0, G_MAXUINT, NULL);
  return entries->len;
}

static NpCheckout *
refund (NpTestWorkspace *t,
        const char      *checkout_id,
        gint64           amount,
        const char      *reason,
        GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_workspace_refund_checkout_async (t->workspace, checkout_id, amount, reason, NULL, NULL,
                                      np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  return np_workspace_checkout_finish (t->workspace, result, error);
}

/* Create, pay, refund, update and delete each leave a finished journal row, and
 * the ledger has the new state. */
static void
test_operations_journalled (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = NULL;
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(NpCheckout) refunded = NULL;
  g_autoptr(NpCheckout) updated = NULL;
  g_autoptr(NpCheckout) second = NULL;
  g_autoptr(NpCheckout) deleted = NULL;
  g_autoptr(NpJournalEntry) entry = NULL;
  g_autoptr(NpCheckoutRow) row = NULL;
  g_autoptr(GHashTable) changes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;

  created = np_test_workspace_create_checkout (t, 2000, "SEK", TRUE);
  id = np_checkout_get_id (created);
  entry = latest_journal_entry (t);
  g_assert_cmpint (np_journal_entry_get_operation (entry), ==, NP_JOURNAL_OPERATION_CREATE);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_cmpstr (np_journal_entry_get_object_id (entry), ==, id);
  g_assert_nonnull (strstr (np_journal_entry_get_details (entry), "\"amount\":2000"));
  g_assert_nonnull (strstr (np_journal_entry_get_details (entry), "\"currency\":\"SEK\""));
  g_clear_object (&entry);

  paid = np_test_workspace_pay (t, id);
  g_assert_cmpint (np_checkout_get_status (paid), ==, NP_CHECKOUT_STATUS_PAID);
  row = np_ledger_get_checkout_row (t->ledger, np_account_get_id (t->account), id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_checkout_row_get_status_text (row), ==, "paid");
  g_clear_object (&row);

  refunded = refund (t, id, 1250, "duplicate", &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_refunded_amount (refunded), ==, 1250);
  entry = latest_journal_entry (t);
  g_assert_cmpint (np_journal_entry_get_operation (entry), ==, NP_JOURNAL_OPERATION_REFUND);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_SUCCEEDED);
  {
    /* np_money_format joins amount and code with a no-break space. */
    g_autofree char *money = np_money_format (1250, "SEK");
    g_autofree char *expected = g_strdup_printf ("Refund %s (duplicate)", money);

    g_assert_cmpstr (money, ==, "12.50\u00a0SEK");
    g_assert_cmpstr (np_journal_entry_get_summary (entry), ==, expected);
  }
  g_assert_nonnull (strstr (np_journal_entry_get_details (entry), "\"refund_amount\":1250"));
  g_assert_null (strstr (np_journal_entry_get_details (entry), np_test_sandbox_get_test_key (t->sandbox)));
  g_clear_object (&entry);
  row = np_ledger_get_checkout_row (t->ledger, np_account_get_id (t->account), id, &error);
  g_assert_cmpint (np_checkout_row_get_refunded_amount (row), ==, 1250);
  g_clear_object (&row);

  g_hash_table_insert (changes, "orderId", "1001");
  np_workspace_update_metadata_async (t->workspace, id, changes, NULL, np_test_store_result, &result);
  updated = np_test_workspace_wait_checkout (t, &result);
  g_assert_cmpstr (g_hash_table_lookup (np_checkout_get_metadata (updated), "orderId"), ==, "1001");
  entry = latest_journal_entry (t);
  g_assert_cmpint (np_journal_entry_get_operation (entry), ==, NP_JOURNAL_OPERATION_UPDATE);
  g_assert_nonnull (strstr (np_journal_entry_get_details (entry), "\"orderId\":\"1001\""));
  g_clear_object (&entry);

  /* A refund the server refuses (more than remains) is FAILED, nothing changes. */
  g_clear_object (&refunded);
  refunded = refund (t, id, 999999, NULL, &error);
  g_assert_null (refunded);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_REQUEST);
  g_clear_error (&error);
  entry = latest_journal_entry (t);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_FAILED);
  g_assert_nonnull (np_journal_entry_get_error_text (entry));
  g_clear_object (&entry);

  /* Delete (only while created) marks the row deleted. */
  second = np_test_workspace_create_checkout (t, 500, "EUR", TRUE);
  np_workspace_delete_checkout_async (t->workspace, np_checkout_get_id (second), NULL,
                                      np_test_store_result, &result);
  deleted = np_test_workspace_wait_checkout (t, &result);
  row = np_ledger_get_checkout_row (t->ledger, np_account_get_id (t->account),
                                    np_checkout_get_id (second), &error);
  g_assert_no_error (error);
  g_assert_true (np_checkout_row_get_deleted (row));
  entry = latest_journal_entry (t);
  g_assert_cmpint (np_journal_entry_get_operation (entry), ==, NP_JOURNAL_OPERATION_DELETE);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_SUCCEEDED);
}

static gboolean
journal_has_pending (gpointer user_data)
{
  PendingWatch *watch = user_data;
  g_autoptr(NpJournalEntry) entry = latest_journal_entry (watch->t);

  return count_journal (watch->t) > watch->n_before && entry != NULL
         && np_journal_entry_get_state (entry) == NP_JOURNAL_STATE_PENDING;
}

/* With a slow server, the PENDING row exists while the request is in flight, and a
 * second refund of the same checkout is refused at once with BUSY. */
static void
test_pending_before_send_and_busy (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = NULL;
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(NpCheckout) refunded = NULL;
  g_autoptr(NpCheckout) second = NULL;
  g_autoptr(NpJournalEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PendingWatch watch = { t, 0 };
  const char *id;

  created = np_test_workspace_create_checkout (t, 3000, "SEK", TRUE);
  id = np_checkout_get_id (created);
  paid = np_test_workspace_pay (t, id);

  np_test_sandbox_add_fault (t->sandbox, "/checkout/refund", "latency:1500", 1);
  watch.n_before = count_journal (t);
  np_workspace_refund_checkout_async (t->workspace, id, 1000, "requested_by_customer", "Asked by phone",
                                      NULL, np_test_store_result, &result);
  /* Committed before the request went out: visible at once, without any iteration. */
  g_assert_true (journal_has_pending (&watch));
  g_assert_true (np_workspace_is_busy (t->workspace, id));
  g_assert_cmpuint (np_test_sandbox_count_applied (t->sandbox, "/checkout/refund"), ==, 0);

  second = refund (t, id, 1000, NULL, &error);
  g_assert_null (second);
  g_assert_error (error, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_BUSY);
  g_clear_error (&error);

  refunded = np_test_workspace_wait_checkout (t, &result);
  g_assert_false (np_workspace_is_busy (t->workspace, id));
  g_assert_cmpint (np_checkout_get_refunded_amount (refunded), ==, 1000);
  g_assert_cmpuint (np_test_sandbox_count_applied (t->sandbox, "/checkout/refund"), ==, 1);
  entry = latest_journal_entry (t);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_cmpuint (count_journal (t), ==, watch.n_before + 1);
}

/* A dropped answer to a refund: UNKNOWN, exactly one refund on the server, and a
 * look-up settles the journal row. */
static void
test_dropped_refund_is_unknown (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = NULL;
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(NpCheckout) refunded = NULL;
  g_autoptr(NpCheckout) looked_up = NULL;
  g_autoptr(NpJournalEntry) entry = NULL;
  g_autoptr(NpJournalEntry) settled = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;
  gint64 entry_id;

  created = np_test_workspace_create_checkout (t, 4000, "SEK", TRUE);
  id = np_checkout_get_id (created);
  paid = np_test_workspace_pay (t, id);

  np_test_sandbox_add_fault (t->sandbox, "/checkout/refund", "drop", 1);
  refunded = refund (t, id, -1, "fraudulent", &error);
  g_assert_null (refunded);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_OUTCOME_UNKNOWN);
  g_clear_error (&error);

  entry = latest_journal_entry (t);
  entry_id = np_journal_entry_get_id (entry);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_UNKNOWN);
  g_assert_true (np_journal_entry_needs_attention (entry));
  g_assert_cmpuint (np_test_sandbox_count_applied (t->sandbox, "/checkout/refund"), ==, 1);
  g_assert_cmpuint (np_test_sandbox_count_requests (t->sandbox, "/checkout/refund"), ==, 1);

  np_workspace_lookup_checkout_async (t->workspace, id, NULL, np_test_store_result, &result);
  looked_up = np_test_workspace_wait_checkout (t, &result);
  g_assert_cmpstr (np_checkout_get_status_text (looked_up), ==, "refunded");

  settled = np_ledger_journal_get (t->ledger, entry_id, &error);
  g_assert_no_error (error);
  g_assert_false (np_journal_entry_needs_attention (settled));
  g_assert_cmpstr (np_journal_entry_get_settled_status (settled), ==, "refunded");
}

static NpRefreshSummary *
wait_refresh (NpTestWorkspace  *t,
              GAsyncResult    **result)
{
  g_autoptr(GError) error = NULL;
  NpRefreshSummary *summary;

  np_test_wait_result (result, WAIT_MS);
  summary = np_workspace_refresh_finish (t->workspace, *result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  g_clear_object (result);
  return summary;
}

static gboolean
strv_has (GPtrArray  *failures,
          const char *id)
{
  for (guint i = 0; i < failures->len; i++)
    if (g_strcmp0 (((NpRetrieveResult *) g_ptr_array_index (failures, i))->checkout_id, id) == 0)
      return TRUE;
  return FALSE;
}

static void
count_progress (guint    done,
                guint    total,
                gpointer user_data)
{
  guint *calls = user_data;

  g_assert_cmpuint (total, ==, 4);
  (*calls)++;
}

/* A bulk refresh journals each status change it stores as a 'refresh' row, and
 * nothing for the checkouts it finds unchanged; a second refresh adds none. */
static void
test_refresh_journals_changes (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) paid = np_test_workspace_create_checkout (t, 1000, "SEK", TRUE);
  g_autoptr(NpCheckout) declined = np_test_workspace_create_checkout (t, 2000, "EUR", TRUE);
  g_autoptr(NpCheckout) steady = np_test_workspace_create_checkout (t, 3000, "SEK", TRUE);
  g_autoptr(NpJournalQuery) query = np_journal_query_new ();
  g_autoptr(GPtrArray) refreshes = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(NpRefreshSummary) first = NULL;
  g_autoptr(NpRefreshSummary) second = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows = 0;

  g_assert_true (np_test_sandbox_pay (t->sandbox, np_checkout_get_id (paid), "success"));
  g_assert_true (np_test_sandbox_pay (t->sandbox, np_checkout_get_id (declined), "decline"));
  query->operation_mask = NP_JOURNAL_OPERATION_BIT (NP_JOURNAL_OPERATION_REFRESH);

  np_workspace_refresh_checkouts_async (t->workspace, NULL, NULL, NULL, NULL, np_test_store_result, &result);
  first = wait_refresh (t, &result);
  g_assert_cmpuint (first->changed_status, ==, 2);
  refreshes = np_ledger_journal_list (t->ledger, np_account_get_id (t->account), query, 0, G_MAXUINT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refreshes->len, ==, 2);
  for (guint i = 0; i < refreshes->len; i++)
    {
      NpJournalEntry *entry = g_ptr_array_index (refreshes, i);

      g_assert_cmpstr (np_journal_entry_get_object_id (entry), !=, np_checkout_get_id (steady));
      g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_SUCCEEDED);
      g_assert_true (g_str_has_prefix (np_journal_entry_get_summary (entry), "Status created → "));
    }
  g_assert_true (np_ledger_verify_chain (t->ledger, np_account_get_id (t->account), &n_rows, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 3 + 2);

  g_clear_object (&result);
  np_workspace_refresh_checkouts_async (t->workspace,
                                        (const char * const[]) { np_checkout_get_id (paid), np_checkout_get_id (steady), NULL },
                                        NULL, NULL, NULL, np_test_store_result, &result);
  second = wait_refresh (t, &result);
  g_assert_cmpuint (second->changed_status, ==, 0);
  again = np_ledger_journal_list (t->ledger, np_account_get_id (t->account), query, 0, G_MAXUINT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 2);
}

/* Refresh of a paid-meanwhile checkout, an unchanged one, one the server does not
 * know and one answered with 500: counted apart, the failure recorded on its row.
 * (A 503 is asked again by the refresh: test-client-many.c.) */
static void
test_refresh_summary (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) changing = np_test_workspace_create_checkout (t, 1000, "SEK", TRUE);
  g_autoptr(NpCheckout) steady = np_test_workspace_create_checkout (t, 2000, "SEK", TRUE);
  g_autoptr(NpCheckout) victim = np_test_workspace_create_checkout (t, 3000, "SEK", TRUE);
  g_autoptr(NpRefreshSummary) summary = NULL;
  g_autoptr(NpImportResult) imported = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *unknown_id = "np-test-no-such-checkout";
  gboolean changing_failed, unknown_failed;
  guint progress_calls = 0;

  imported = np_ledger_import_ids (t->ledger, np_account_get_id (t->account), NP_LEDGER_OBJECT_CHECKOUT,
                                   NP_IMPORT_FORMAT_LIST, NULL, unknown_id, strlen (unknown_id), &error);
  g_assert_no_error (error);
  g_assert_true (np_test_sandbox_pay (t->sandbox, np_checkout_get_id (changing), "success"));

  /* One 500 (never asked again): exactly one id fails, whichever the server meets first. */
  np_client_set_max_retries (np_workspace_get_client (t->workspace), 0);
  np_test_sandbox_add_fault (t->sandbox, "/checkout/retrieve", "status:500", 1);

  np_workspace_refresh_checkouts_async (t->workspace, NULL, count_progress, &progress_calls,
                                        NULL, np_test_store_result, &result);
  summary = wait_refresh (t, &result);
  g_assert_cmpuint (progress_calls, ==, 4);

  g_assert_cmpuint (summary->total, ==, 4);
  g_assert_cmpuint (summary->failed, ==, 1);
  g_assert_cmpuint (summary->failures->len, ==, 1 + summary->not_found);
  changing_failed = strv_has (summary->failures, np_checkout_get_id (changing));
  unknown_failed = summary->not_found == 0;
  g_assert_cmpuint (summary->not_found, ==, unknown_failed ? 0 : 1);
  g_assert_cmpuint (summary->updated, ==, 4 - 1 - summary->not_found);
  g_assert_cmpuint (summary->changed_status, ==, changing_failed ? 0 : 1);
  g_assert_false (strv_has (summary->failures, np_checkout_get_id (steady)) && unknown_failed);

  /* The 500's row keeps its last state and says why the refresh failed. */
  for (guint i = 0; i < summary->failures->len; i++)
    {
      NpRetrieveResult *failure = g_ptr_array_index (summary->failures, i);
      g_autoptr(NpCheckoutRow) row = np_ledger_get_checkout_row (t->ledger, np_account_get_id (t->account),
                                                                 failure->checkout_id, &error);

      g_assert_no_error (error);
      g_assert_nonnull (np_checkout_row_get_refresh_error (row));
    }

  text = np_refresh_summary_describe (summary);
  g_assert_nonnull (strstr (text, "updated"));
  g_assert_nonnull (strstr (text, "1 failed"));
  g_test_message ("refresh: %s", text);
  (void) victim;
}

/* A checkout made outside the console (by the sandbox helper), returned as its id. */
static char *
create_elsewhere (NpTestWorkspace *t,
                  gint64           amount)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *json = g_strdup_printf ("{\"amount\":%" G_GINT64_FORMAT ",\"currency\":\"SEK\","
                                           "\"message\":\"Elsewhere\",\"returnUrl\":\"https://m.example/ok\","
                                           "\"returnUrlCancel\":\"https://m.example/no\"}", amount);

  g_assert_cmpuint (np_test_sandbox_call (t->sandbox, "/checkout/create", json, &body), ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (body), "checkout_id"));
}

/* A refresh of many checkouts stores them in slices with the main loop running
 * in between: the ledger changes more than once, and another idle source runs
 * between every two changes. */
typedef struct {
  guint  ticks;           /* of the other idle source */
  guint  changes;
  guint  last_change_tick;
  gboolean loop_ran_between;
} SliceWatch;

static gboolean
slice_tick (gpointer user_data)
{
  SliceWatch *watch = user_data;

  watch->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
slice_changed (NpLedger      *ledger,
               NpLedgerTable  table,
               gint64         account_id,
               gint64         row_id,
               SliceWatch    *watch)
{
  if (table != NP_LEDGER_TABLE_CHECKOUTS)
    return;
  if (watch->changes > 0 && watch->ticks == watch->last_change_tick)
    watch->loop_ran_between = FALSE;
  watch->changes++;
  watch->last_change_tick = watch->ticks;
}

static void
test_refresh_in_slices (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(NpRefreshSummary) summary = NULL;
  g_autoptr(NpImportResult) imported = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GString) pasted = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  SliceWatch watch = { 0, 0, 0, TRUE };
  guint tick_source;
  gulong handler;
  const guint n = 600;

  for (guint i = 0; i < n; i++)
    {
      char *id = create_elsewhere (t, 100 + i);

      g_string_append_printf (pasted, "%s\n", id);
      g_ptr_array_add (ids, id);
    }
  imported = np_ledger_import_ids (t->ledger, np_account_get_id (t->account), NP_LEDGER_OBJECT_CHECKOUT,
                                   NP_IMPORT_FORMAT_LIST, NULL, pasted->str, pasted->len, &error);
  g_assert_no_error (error);
  g_ptr_array_add (ids, NULL);

  tick_source = g_idle_add (slice_tick, &watch);
  handler = g_signal_connect (t->ledger, "changed", G_CALLBACK (slice_changed), &watch);
  np_workspace_refresh_checkouts_async (t->workspace, (const char * const *) ids->pdata, NULL, NULL,
                                        NULL, np_test_store_result, &result);
  summary = wait_refresh (t, &result);
  g_signal_handler_disconnect (t->ledger, handler);
  g_source_remove (tick_source);

  g_assert_cmpuint (summary->total, ==, n);
  g_assert_cmpuint (summary->updated, ==, n);
  g_assert_cmpuint (summary->failed + summary->not_found, ==, 0);
  g_assert_cmpuint (watch.changes, >, 1);
  g_assert_true (watch.loop_ran_between);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NpCheckoutRow) row = np_ledger_get_checkout_row (t->ledger, np_account_get_id (t->account),
                                                                 g_ptr_array_index (ids, i), &error);

      g_assert_no_error (error);
      g_assert_true (np_checkout_row_get_retrieved (row));
      g_assert_cmpint (np_checkout_row_get_amount (row), ==, 100 + i);
    }
}

static void
test_import_pasted_list (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autofree char *first = create_elsewhere (t, 1500);
  g_autofree char *second = create_elsewhere (t, 2500);
  g_autofree char *pasted = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(NpRefreshSummary) summary = NULL;
  g_autoptr(NpCheckoutRow) row = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pasted = g_strdup_printf ("  %s\n%s\n\nnp-test-missing-1\n%s\n", first, second, first);
  np_workspace_import_checkouts_async (t->workspace, pasted, NULL, NULL, NULL, np_test_store_result, &result);
  summary = wait_refresh (t, &result);
  g_assert_cmpuint (summary->total, ==, 3);
  g_assert_cmpuint (summary->updated, ==, 2);
  g_assert_cmpuint (summary->not_found, ==, 1);
  g_assert_cmpuint (summary->failed, ==, 0);

  row = np_ledger_get_checkout_row (t->ledger, np_account_get_id (t->account), second, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_row_get_amount (row), ==, 2500);
  g_assert_cmpstr (np_checkout_row_get_status_text (row), ==, "created");
  g_clear_pointer (&summary, np_refresh_summary_free);

  /* A CSV export from elsewhere: only the new id is retrieved. */
  g_free (second);
  second = create_elsewhere (t, 700);
  csv = g_strdup_printf ("checkout_id,amount\r\n%s,15.00\r\n%s,7.00\r\n", first, second);
  np_workspace_import_checkouts_async (t->workspace, csv, NULL, NULL, NULL, np_test_store_result, &result);
  summary = wait_refresh (t, &result);
  g_assert_cmpuint (summary->total, ==, 1);
  g_assert_cmpuint (summary->updated, ==, 1);
}

static char *
keyring_has (NpAccount *account)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, np_account_get_id (account));
  g_autoptr(GError) error = NULL;
  char *key;

  key = secret_password_lookup_sync (np_keyring_get_schema (), NULL, &error, "account-id", id, NULL);
  g_assert_no_error (error);
  return key;
}

/* Adding stores the key in the keyring (not the ledger); removing removes both. */
static void
test_accounts_add_remove (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpAccount) other = np_account_new ("Second shop", "https://api.neuro-admin.com", NP_ENVIRONMENT_LIVE);
  g_autoptr(NpAccount) duplicate = np_account_new ("Second shop", "https://api.paiwise.com", NP_ENVIRONMENT_TEST);
  g_autoptr(NpAccount) plain = np_account_new ("Plain", "http://api.example.com", NP_ENVIRONMENT_TEST);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *leak = NULL;
  const char *key = "sk_live_second_shop_0123456789abcdef";
  guint n_before = g_list_model_get_n_items (G_LIST_MODEL (t->accounts));

  np_accounts_add_async (t->accounts, other, key, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_true (np_accounts_add_finish (t->accounts, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (t->accounts)), ==, n_before + 1);
  stored = keyring_has (other);
  g_assert_cmpstr (stored, ==, key);
  g_clear_pointer (&stored, g_free);

  /* Nothing on disk (the ledger included) holds the key. */
  leak = np_test_find_in_tree (np_test_get_home (), key);
  g_assert_null (leak);

  /* A duplicate name and a plain-http URL are refused without a trace. */
  np_accounts_add_async (t->accounts, duplicate, "x", NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_false (np_accounts_add_finish (t->accounts, result, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_clear_object (&result);
  np_accounts_add_async (t->accounts, plain, "x", NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_false (np_accounts_add_finish (t->accounts, result, &error));
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_URL);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (t->accounts)), ==, n_before + 1);

  np_accounts_remove_async (t->accounts, other, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_true (np_accounts_remove_finish (t->accounts, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  stored = keyring_has (other);
  g_assert_null (stored);
  g_assert_null (np_accounts_find_by_name (t->accounts, "Second shop"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (t->accounts)), ==, n_before);
}

/* A second call for the account already current (its base URL changed, the
 * sandbox it runs on started) keeps the index load the first call began: the
 * lists waiting for that load are not told "cancelled", which would have them
 * load the index themselves, on the main thread. */
static void
test_index_load_kept_for_same_account (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpAccount) other = np_account_new ("Other shop", "https://api.neuro-admin.com", NP_ENVIRONMENT_TEST);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  np_accounts_add_async (t->accounts, other, "sk_test_other_shop_0123456789abcdef", NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_true (np_accounts_add_finish (t->accounts, result, &error));
  g_clear_object (&result);

  /* Both before the load's answer can come back to this thread. */
  np_workspace_set_account_async (t->workspace, other, NULL, NULL, NULL);
  np_workspace_set_account_async (t->workspace, other, NULL, NULL, NULL);
  np_ledger_prepare_account_async (t->ledger, np_account_get_id (other), NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_true (np_ledger_prepare_account_finish (t->ledger, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  np_accounts_remove_async (t->accounts, other, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_true (np_accounts_remove_finish (t->accounts, result, &error));
}

static NpConnectionResult
test_connection (NpTestWorkspace  *t,
                 const char       *base_url,
                 const char       *key,
                 char            **message)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_accounts_test_connection_async (t->accounts, base_url, key, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, 20000);
  return np_accounts_test_connection_finish (t->accounts, result, message);
}

static void
test_connection_results (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  const char *url = np_test_sandbox_get_base_url (t->sandbox);
  g_autofree char *wrong_path = g_strdup_printf ("%s/v9", url);
  g_autofree char *message = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *closed_url = NULL;
  guint16 port;

  g_assert_cmpint (test_connection (t, url, np_test_sandbox_get_test_key (t->sandbox), &message),
                   ==, NP_CONNECTION_OK);
  g_test_message ("ok: %s", message);
  g_clear_pointer (&message, g_free);

  g_assert_cmpint (test_connection (t, url, "wrong-key-0000", &message), ==, NP_CONNECTION_UNAUTHORIZED);
  g_assert_nonnull (message);
  g_clear_pointer (&message, g_free);

  g_assert_cmpint (test_connection (t, wrong_path, np_test_sandbox_get_test_key (t->sandbox), &message),
                   ==, NP_CONNECTION_WRONG_URL);
  g_test_message ("wrong path: %s", message);
  g_clear_pointer (&message, g_free);

  /* A loopback port nobody listens on (taken, then released). */
  port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_socket_listener_close (listener);
  closed_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_assert_cmpint (test_connection (t, closed_url, "k", &message), ==, NP_CONNECTION_WRONG_URL);
  g_clear_pointer (&message, g_free);

  g_assert_cmpint (test_connection (t, "http://api.example.com", "k", &message), ==, NP_CONNECTION_INVALID_URL);
  g_clear_pointer (&message, g_free);

  np_test_sandbox_add_fault (t->sandbox, "/checkout/retrieve", "status:503", 1);
  g_assert_cmpint (test_connection (t, url, np_test_sandbox_get_test_key (t->sandbox), &message),
                   ==, NP_CONNECTION_SERVER);
}

static void
test_no_account (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpLedger) ledger = np_ledger_open (NULL, &error);
  g_autoptr(NpKeyring) keyring = np_keyring_new (np_ledger_get_id (ledger));
  g_autoptr(NpAccounts) accounts = np_accounts_new (ledger, keyring);
  g_autoptr(NpWorkspace) workspace = np_workspace_new (ledger, accounts);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autofree char *text = NULL;

  np_workspace_capture_checkout_async (workspace, "abc", NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  checkout = np_workspace_checkout_finish (workspace, result, &error);
  g_assert_null (checkout);
  g_assert_error (error, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_NO_ACCOUNT);
  text = np_workspace_describe_error (error);
  g_assert_nonnull (strstr (text, "account"));
}

static NpAccount *
start_sandbox (NpWorkspace *workspace)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  NpAccount *account;

  np_workspace_start_sandbox_async (workspace, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, 30000);
  account = np_workspace_start_sandbox_finish (workspace, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  return account;
}

/* "Try the sandbox" twice, with a restart of the workspace in between: the same
 * account and key, and the sandbox still knows the checkout made the first time. */
static void
test_embedded_sandbox_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpLedger) ledger = np_ledger_open (NULL, &error);
  g_autoptr(NpKeyring) keyring = np_keyring_new (np_ledger_get_id (ledger));
  g_autoptr(NpAccounts) accounts = np_accounts_new (ledger, keyring);
  g_autoptr(NpWorkspace) workspace = np_workspace_new (ledger, accounts);
  g_autoptr(NpAccount) first = NULL;
  g_autoptr(NpAccount) second = NULL;
  g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();
  g_autoptr(NpCheckout) created = NULL;
  g_autoptr(NpCheckout) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *state = g_build_filename (g_get_user_data_dir (), "neuropay-console", "sandbox",
                                             "state.json", NULL);
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  gint64 account_id;

  first = start_sandbox (workspace);
  account_id = np_account_get_id (first);
  g_assert_cmpstr (np_account_get_name (first), ==, "Sandbox");
  g_assert_false (np_account_is_live (first));
  g_assert_true (np_workspace_get_account (workspace) == first);
  g_assert_nonnull (np_workspace_get_client (workspace));
  g_object_get (workspace, "sandbox-url", &url, NULL);
  g_assert_cmpstr (url, ==, np_account_get_base_url (first));

  draft->amount = 4200;
  draft->currency = g_strdup ("EUR");
  draft->message = g_strdup ("Demo");
  draft->return_url = g_strdup ("https://m.example/ok");
  draft->return_url_cancel = g_strdup ("https://m.example/no");
  draft->capture = TRUE;
  np_workspace_create_checkout_async (workspace, draft, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  created = np_workspace_checkout_finish (workspace, result, &error);
  g_assert_no_error (error);
  id = g_strdup (np_checkout_get_id (created));
  g_clear_object (&result);

  /* Restart: the workspace goes (and the sandbox with it), a new one starts it again. */
  g_object_run_dispose (G_OBJECT (workspace));
  g_clear_object (&workspace);
  g_assert_true (g_file_test (state, G_FILE_TEST_EXISTS));

  /* A start of the console: the stored account is current at once (its ledger
   * shows while the sandbox starts), with no client until the sandbox runs. */
  workspace = np_workspace_new (ledger, accounts);
  np_workspace_start_sandbox_async (workspace, NULL, np_test_store_result, &result);
  g_assert_nonnull (np_workspace_get_account (workspace));
  g_assert_cmpint (np_account_get_id (np_workspace_get_account (workspace)), ==, account_id);
  g_assert_null (np_workspace_get_client (workspace));
  np_test_wait_result (&result, 30000);
  second = np_workspace_start_sandbox_finish (workspace, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_nonnull (np_workspace_get_client (workspace));
  g_assert_cmpint (np_account_get_id (second), ==, account_id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts)), ==, 1);

  np_workspace_lookup_checkout_async (workspace, id, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  again = np_workspace_checkout_finish (workspace, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_amount (again), ==, 4200);
  g_clear_object (&result);

  /* Leave the keyring as it was. */
  np_accounts_remove_async (accounts, second, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  g_assert_true (np_accounts_remove_finish (accounts, result, &error));
  g_object_run_dispose (G_OBJECT (workspace));
}

typedef struct {
  guint           count;
  gboolean        detached;
  NpJournalState  state;
} FinishedWatch;

static void
on_mutation_finished (NpWorkspace    *workspace,
                      NpJournalEntry *entry,
                      gboolean        detached,
                      FinishedWatch  *watch)
{
  watch->count++;
  watch->detached = detached;
  watch->state = np_journal_entry_get_state (entry);
}

static gboolean
mutation_finished (gpointer data)
{
  return ((FinishedWatch *) data)->count > 0;
}

/* A caller that goes away (its cancellable cancelled) while its refund is in
 * flight hears CANCELLED at once, but the refund is the workspace's: it goes on,
 * the journal says SUCCEEDED and "mutation-finished" says so, detached. */
static void
test_detached_refund_finishes (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = NULL;
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(NpCheckout) refunded = NULL;
  g_autoptr(NpJournalEntry) entry = NULL;
  g_autoptr(NpCheckoutRow) row = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  FinishedWatch watch = { 0, };
  const char *id;

  created = np_test_workspace_create_checkout (t, 3000, "SEK", TRUE);
  id = np_checkout_get_id (created);
  paid = np_test_workspace_pay (t, id);
  g_signal_connect (t->workspace, "mutation-finished", G_CALLBACK (on_mutation_finished), &watch);

  np_test_sandbox_add_fault (t->sandbox, "/checkout/refund", "latency:1500", 1);
  np_workspace_refund_checkout_async (t->workspace, id, 1000, "duplicate", NULL, cancellable,
                                      np_test_store_result, &result);
  g_assert_cmpuint (np_workspace_get_mutations (t->workspace), ==, 1);
  g_assert_cmpint (np_workspace_get_mutations_deadline (t->workspace), >, g_get_monotonic_time ());
  {
    g_autofree char *waiting = np_workspace_describe_mutations (t->workspace);
    g_assert_cmpstr (waiting, ==, "Waiting for a refund to finish…");
  }
  g_cancellable_cancel (cancellable);

  /* The caller is let go before the answer comes. */
  refunded = np_workspace_checkout_finish (t->workspace, np_test_wait_result (&result, WAIT_MS), &error);
  g_assert_null (refunded);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  entry = latest_journal_entry (t);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_PENDING);
  g_assert_cmpuint (watch.count, ==, 0);
  g_clear_object (&entry);

  np_test_wait_until (mutation_finished, &watch, WAIT_MS, "the refund's end");
  g_assert_true (watch.detached);
  g_assert_cmpint (watch.state, ==, NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_cmpuint (np_workspace_get_mutations (t->workspace), ==, 0);
  entry = latest_journal_entry (t);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_cmpuint (np_test_sandbox_count_applied (t->sandbox, "/checkout/refund"), ==, 1);
  row = np_ledger_get_checkout_row (t->ledger, np_account_get_id (t->account), id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_row_get_refunded_amount (row), ==, 1000);
  {
    g_autofree char *toast = np_workspace_describe_outcome (entry);
    g_assert_true (g_str_has_suffix (toast, ": done."));
  }
  g_signal_handlers_disconnect_by_data (t->workspace, &watch);
}

/* Cancelled before it is asked: nothing is journalled and nothing is sent. */
static void
test_cancelled_before_send (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = NULL;
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(NpCheckout) refunded = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_before;

  created = np_test_workspace_create_checkout (t, 3000, "SEK", TRUE);
  paid = np_test_workspace_pay (t, np_checkout_get_id (created));
  n_before = count_journal (t);

  g_cancellable_cancel (cancellable);
  np_workspace_refund_checkout_async (t->workspace, np_checkout_get_id (created), 1000, NULL, NULL,
                                      cancellable, np_test_store_result, &result);
  g_assert_cmpuint (np_workspace_get_mutations (t->workspace), ==, 0);
  refunded = np_workspace_checkout_finish (t->workspace, np_test_wait_result (&result, WAIT_MS), &error);
  g_assert_null (refunded);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_journal (t), ==, n_before);
  g_assert_cmpuint (np_test_sandbox_count_requests (t->sandbox, "/checkout/refund"), ==, 0);
}

static gboolean
refund_arrived (gpointer data)
{
  NpTestWorkspace *t = data;

  return np_test_sandbox_count_requests (t->sandbox, "/checkout/refund") > 0;
}

/* A quit that does not wait: the refund in flight is journalled UNKNOWN at once. */
static void
test_abandoned_refund_unknown (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = NULL;
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(NpCheckout) refunded = NULL;
  g_autoptr(NpJournalEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;

  created = np_test_workspace_create_checkout (t, 3000, "SEK", TRUE);
  id = np_checkout_get_id (created);
  paid = np_test_workspace_pay (t, id);

  np_test_sandbox_add_fault (t->sandbox, "/checkout/refund", "latency:3000", 1);
  np_workspace_refund_checkout_async (t->workspace, id, 1000, NULL, NULL, NULL, np_test_store_result, &result);
  np_test_wait_until (refund_arrived, t, WAIT_MS, "the refund at the sandbox");
  np_workspace_abandon_mutations (t->workspace);
  g_assert_cmpuint (np_workspace_get_mutations (t->workspace), ==, 0);
  g_assert_false (np_workspace_is_busy (t->workspace, id));
  entry = latest_journal_entry (t);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_UNKNOWN);
  g_assert_true (np_journal_entry_needs_attention (entry));

  refunded = np_workspace_checkout_finish (t->workspace, np_test_wait_result (&result, WAIT_MS), &error);
  g_assert_null (refunded);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_OUTCOME_UNKNOWN);
}

/* A same-host server that moved the API: every call gets a 307 to /moved/...,
 * which counts what reaches it. */
typedef struct {
  guint redirected;
  guint moved;
} MovedApi;

static void
moved_api_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           data)
{
  MovedApi *m = data;
  g_autofree char *location = g_strconcat ("/moved", path, NULL);

  if (g_str_has_prefix (path, "/moved/"))
    {
      m->moved++;
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
  m->redirected++;
  soup_server_message_set_redirect (msg, SOUP_STATUS_TEMPORARY_REDIRECT, location);
}

typedef struct {
  NpWorkspace *workspace;
  NpClient    *old;
} ClientWatch;

static gboolean
has_new_client (gpointer data)
{
  ClientWatch *watch = data;
  NpClient *client = np_workspace_get_client (watch->workspace);

  return client != NULL && client != watch->old;
}

/* A refund answered with a same-host 307 is not sent again: the journal says
 * FAILED with where the redirect pointed, and nothing reached it. */
static void
test_redirected_refund_failed (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(NpCheckout) created = NULL;
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(NpCheckout) refunded = NULL;
  g_autoptr(NpJournalEntry) entry = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  ClientWatch watch = { t->workspace, NULL };
  MovedApi m = { 0, };

  created = np_test_workspace_create_checkout (t, 2500, "SEK", TRUE);
  paid = np_test_workspace_pay (t, np_checkout_get_id (created));

  soup_server_add_handler (server, NULL, moved_api_handler, &m, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  watch.old = g_object_ref (np_workspace_get_client (t->workspace));
  np_account_set_base_url (t->account, base);
  np_test_wait_until (has_new_client, &watch, WAIT_MS, "the client for the moved API");
  g_clear_object (&watch.old);

  refunded = refund (t, np_checkout_get_id (created), 1000, NULL, &error);
  g_assert_null (refunded);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);

  entry = latest_journal_entry (t);
  g_assert_cmpint (np_journal_entry_get_operation (entry), ==, NP_JOURNAL_OPERATION_REFUND);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_FAILED);
  g_assert_nonnull (strstr (np_journal_entry_get_error_text (entry), "/moved/checkout/refund"));
  g_assert_cmpuint (m.redirected, ==, 1);
  g_assert_cmpuint (m.moved, ==, 0);
  g_assert_cmpuint (np_test_sandbox_count_requests (t->sandbox, "/checkout/refund"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/workspace/no-account", test_no_account);
  g_test_add_func ("/workspace/operations-journalled", test_operations_journalled);
  g_test_add_func ("/workspace/pending-before-send-and-busy", test_pending_before_send_and_busy);
  g_test_add_func ("/workspace/dropped-refund-is-unknown", test_dropped_refund_is_unknown);
  g_test_add_func ("/workspace/refresh-summary", test_refresh_summary);
  g_test_add_func ("/workspace/refresh-journals-changes", test_refresh_journals_changes);
  g_test_add_func ("/workspace/import-pasted-list", test_import_pasted_list);
  g_test_add_func ("/workspace/refresh-in-slices", test_refresh_in_slices);
  g_test_add_func ("/workspace/accounts-add-remove", test_accounts_add_remove);
  g_test_add_func ("/workspace/index-load-kept-for-same-account", test_index_load_kept_for_same_account);
  g_test_add_func ("/workspace/test-connection", test_connection_results);
  g_test_add_func ("/workspace/embedded-sandbox-restart", test_embedded_sandbox_restart);
  g_test_add_func ("/workspace/redirected-refund-failed", test_redirected_refund_failed);
  g_test_add_func ("/workspace/detached-refund-finishes", test_detached_refund_finishes);
  g_test_add_func ("/workspace/cancelled-before-send", test_cancelled_before_send);
  g_test_add_func ("/workspace/abandoned-refund-unknown", test_abandoned_refund_unknown);

  return g_test_run ();
}
