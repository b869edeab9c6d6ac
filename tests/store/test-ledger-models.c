/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ledger-models.c — the paged list models against a real ledger: contents
 * match a direct query at every position, and changes are minimal. */
#include <string.h>

#include "ledger-fixtures.h"
#include "np-checkout-index.h"
#include "np-checkout-list-model.h"
#include "np-customer-list-model.h"
#include "np-journal-list-model.h"
#include "np-test-utils.h"

#define D0 (G_GINT64_CONSTANT (20416) * 86400)
#define N_PAGED 2500

static const char * const statuses[] = { "created", "reserved", "paid", "refunded", "partialRefund", "canceled" };

static gint64
add_many (NpLedger *ledger,
          guint     n)
{
  g_autoptr(GPtrArray) checkouts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%04u", i);
      g_autofree char *identifier = g_strdup_printf ("order-%u", i);

      g_ptr_array_add (checkouts, fixture_checkout (&(FixtureCheckout) {
        .id = id, .identifier = identifier, .status = statuses[i % G_N_ELEMENTS (statuses)],
        .amount = (i * 7919) % 1000, .created = D0 + (i * 104729) % 5000, .message = "Order" }));
    }

  np_ledger_upsert_checkouts (ledger, account, checkouts, &error);
  g_assert_no_error (error);

  return account;
}

/* Every item of @model, as comma-separated checkout ids. */
static char *
model_ids (GListModel *model)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NpCheckoutRow) row = g_list_model_get_item (model, i);

      g_assert_nonnull (row);
      g_string_append_printf (out, "%s%s", i ? "," : "", np_checkout_row_get_checkout_id (row));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
direct_ids (NpLedger              *ledger,
            gint64                 account,
            const NpCheckoutQuery *query)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = np_ledger_list_checkouts (ledger, account, query, 0, G_MAXUINT, &error);
  g_assert_no_error (error);

  return fixture_row_ids (rows);
}

static void
test_paging_matches_direct_query (void)
{
  g_autofree char *path = fixture_ledger_path ("paging");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 account = add_many (ledger, N_PAGED);
  struct {
    const char    *text;
    NpCheckoutSort sort;
    gboolean       descending;
    guint          status_mask;
    const char    *sql;     /* the same question, asked of SQLite directly */
  } cases[] = {
    { NULL, NP_CHECKOUT_SORT_CREATED, TRUE, 0,
      "SELECT checkout_id FROM checkouts ORDER BY created DESC, row_id DESC" },
    { NULL, NP_CHECKOUT_SORT_AMOUNT, FALSE, 0,
      "SELECT checkout_id FROM checkouts ORDER BY amount, row_id" },
    { NULL, NP_CHECKOUT_SORT_STATUS, TRUE, 0,
      "SELECT checkout_id FROM checkouts ORDER BY status DESC, created DESC, row_id DESC" },
    { "order-1", NP_CHECKOUT_SORT_CREATED, FALSE, 0,
      "SELECT checkout_id FROM checkouts WHERE identifier LIKE '%order-1%' ORDER BY created, row_id" },
    { "ORDER-24", NP_CHECKOUT_SORT_AMOUNT, TRUE, NP_CHECKOUT_STATUS_BIT (NP_CHECKOUT_STATUS_PAID),
      "SELECT checkout_id FROM checkouts WHERE identifier LIKE '%order-24%' AND status_text = 'paid'"
      " ORDER BY amount DESC, row_id DESC" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
      g_autoptr(NpCheckoutListModel) model = NULL;
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_autofree char *expected = fixture_sql_column (path, cases[c].sql);
      g_autofree char *got = NULL;
      g_auto(GStrv) expected_ids = NULL;
      guint n;

      np_checkout_query_set_text (query, cases[c].text);
      query->sort = cases[c].sort;
      query->descending = cases[c].descending;
      query->status_mask = cases[c].status_mask;
      model = np_checkout_list_model_new (ledger, account, query);

      /* In order, across more pages than the model keeps... */
      got = model_ids (G_LIST_MODEL (model));
      g_assert_cmpstr (got, ==, expected);

      /* ...and jumping around, as a scrolled view does. */
      expected_ids = g_strsplit (expected, ",", -1);
      n = g_list_model_get_n_items (G_LIST_MODEL (model));
      g_assert_cmpuint (n, ==, expected[0] ? g_strv_length (expected_ids) : 0);
      for (guint i = 0; i < 300 && n > 0; i++)
        {
          guint position = g_rand_int_range (rand, 0, n);
          g_autoptr(NpCheckoutRow) row = g_list_model_get_item (G_LIST_MODEL (model), position);

          g_assert_cmpstr (np_checkout_row_get_checkout_id (row), ==, expected_ids[position]);
        }
      g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));
      g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == NP_TYPE_CHECKOUT_ROW);
    }
}

static guint
position_of (GListModel *model,
             const char *checkout_id)
{
  return np_checkout_list_model_find (NP_CHECKOUT_LIST_MODEL (model), checkout_id);
}

static void
assert_consistent (NpLedger            *ledger,
                   gint64               account,
                   NpCheckoutListModel *model)
{
  g_autofree char *got = model_ids (G_LIST_MODEL (model));
  g_autofree char *expected = direct_ids (ledger, account, np_checkout_list_model_get_query (model));

  g_assert_cmpstr (got, ==, expected);
}

static void
test_items_changed_is_minimal (void)
{
  g_autofree char *path = fixture_ledger_path ("minimal");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCheckoutListModel) model = NULL;
  g_autoptr(NpCheckoutListModel) created_only = NULL;
  g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
  g_autoptr(NpCheckoutRow) row = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  FixtureRecorder recorder, filtered;
  g_autofree char *changes = NULL;
  g_autofree char *expected = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  guint position, other, before;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *id = g_strdup_printf ("r%02u", i);
      fixture_upsert (ledger, account, &(FixtureCheckout) { .id = id, .status = "created", .amount = i, .created = D0 + i * 60 });
    }

  model = np_checkout_list_model_new (ledger, account, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 30);
  /* Bind everything, as a view with all rows on screen would. */
  g_free (model_ids (G_LIST_MODEL (model)));
  fixture_recorder_start (&recorder, G_LIST_MODEL (model));

  /* Same place, new content: one changed item, and the new item shows it. */
  position = position_of (G_LIST_MODEL (model), "r10");
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "r10", .status = "paid", .amount = 10, .created = D0 + 600 });
  changes = fixture_recorder_take (&recorder);
  expected = g_strdup_printf ("%u,1,1", position);
  g_assert_cmpstr (changes, ==, expected);
  row = g_list_model_get_item (G_LIST_MODEL (model), position);
  g_assert_cmpint (np_checkout_row_get_status (row), ==, NP_CHECKOUT_STATUS_PAID);
  assert_consistent (ledger, account, model);
  g_clear_pointer (&changes, g_free);
  g_clear_pointer (&expected, g_free);

  /* A move: out of its place, into the new one. */
  position = position_of (G_LIST_MODEL (model), "r05");
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "r05", .amount = 5, .created = D0 + 100000 });
  changes = fixture_recorder_take (&recorder);
  expected = g_strdup_printf ("%u,1,0;0,0,1", position);
  g_assert_cmpstr (changes, ==, expected);
  assert_consistent (ledger, account, model);
  g_clear_pointer (&changes, g_free);
  g_clear_pointer (&expected, g_free);

  /* A new checkout joins at its place. */
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "new", .amount = 1, .created = D0 + 15 * 60 + 30 });
  position = position_of (G_LIST_MODEL (model), "new");
  changes = fixture_recorder_take (&recorder);
  expected = g_strdup_printf ("%u,0,1", position);
  g_assert_cmpstr (changes, ==, expected);
  assert_consistent (ledger, account, model);
  g_clear_pointer (&changes, g_free);
  g_clear_pointer (&expected, g_free);

  /* A batch refresh that changes two rows' content but nobody's place. */
  position = position_of (G_LIST_MODEL (model), "r20");
  other = position_of (G_LIST_MODEL (model), "r22");
  g_ptr_array_add (batch, fixture_checkout (&(FixtureCheckout) { .id = "r20", .status = "reserved", .amount = 20, .created = D0 + 1200 }));
  g_ptr_array_add (batch, fixture_checkout (&(FixtureCheckout) { .id = "r22", .status = "reserved", .amount = 22, .created = D0 + 1320 }));
  np_ledger_upsert_checkouts (ledger, account, batch, &error);
  g_assert_no_error (error);
  changes = fixture_recorder_take (&recorder);
  expected = g_strdup_printf ("%u,1,1;%u,1,1", MIN (position, other), MAX (position, other));
  g_assert_cmpstr (changes, ==, expected);
  assert_consistent (ledger, account, model);
  g_clear_pointer (&changes, g_free);
  g_clear_pointer (&expected, g_free);

  /* Forgetting removes one item. */
  position = position_of (G_LIST_MODEL (model), "r01");
  np_ledger_forget_checkout (ledger, account, "r01", &error);
  g_assert_no_error (error);
  changes = fixture_recorder_take (&recorder);
  expected = g_strdup_printf ("%u,1,0", position);
  g_assert_cmpstr (changes, ==, expected);
  g_clear_pointer (&changes, g_free);
  g_clear_pointer (&expected, g_free);

  /* An equal query changes nothing; a narrower one is one change. */
  np_checkout_list_model_set_query (model, query);
  changes = fixture_recorder_take (&recorder);
  g_assert_cmpstr (changes, ==, "");
  g_clear_pointer (&changes, g_free);
  before = g_list_model_get_n_items (G_LIST_MODEL (model));
  np_checkout_query_set_text (query, "r2");
  np_checkout_list_model_set_query (model, query);
  changes = fixture_recorder_take (&recorder);
  expected = g_strdup_printf ("0,%u,10", before);
  g_assert_cmpstr (changes, ==, expected);
  assert_consistent (ledger, account, model);
  g_clear_pointer (&changes, g_free);
  g_clear_pointer (&expected, g_free);

  /* Leaving a filter: a created checkout that gets paid. */
  query->status_mask = NP_CHECKOUT_STATUS_BIT (NP_CHECKOUT_STATUS_CREATED);
  np_checkout_query_set_text (query, NULL);
  created_only = np_checkout_list_model_new (ledger, account, query);
  fixture_recorder_start (&filtered, G_LIST_MODEL (created_only));
  position = position_of (G_LIST_MODEL (created_only), "r03");
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "r03", .status = "paid", .amount = 3, .created = D0 + 180 });
  changes = fixture_recorder_take (&filtered);
  expected = g_strdup_printf ("%u,1,0", position);
  g_assert_cmpstr (changes, ==, expected);
  assert_consistent (ledger, account, created_only);

  fixture_recorder_stop (&filtered);
  fixture_recorder_stop (&recorder);
}

static void
test_account_switch (void)
{
  g_autofree char *path = fixture_ledger_path ("switch");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCheckoutListModel) model = NULL;
  g_autofree char *changes = NULL;
  FixtureRecorder recorder;
  gint64 test = fixture_add_account (ledger, "Test", NP_ENVIRONMENT_TEST);
  gint64 live = fixture_add_account (ledger, "Live", NP_ENVIRONMENT_LIVE);

  fixture_upsert (ledger, test, &(FixtureCheckout) { .id = "t1", .amount = 1, .created = D0 });
  fixture_upsert (ledger, live, &(FixtureCheckout) { .id = "l1", .amount = 1, .created = D0 });
  fixture_upsert (ledger, live, &(FixtureCheckout) { .id = "l2", .amount = 1, .created = D0 + 1 });

  model = np_checkout_list_model_new (ledger, test, NULL);
  fixture_recorder_start (&recorder, G_LIST_MODEL (model));

  /* The other account's writes are not this model's business. */
  fixture_upsert (ledger, live, &(FixtureCheckout) { .id = "l3", .amount = 1, .created = D0 + 2 });
  changes = fixture_recorder_take (&recorder);
  g_assert_cmpstr (changes, ==, "");
  g_clear_pointer (&changes, g_free);

  np_ledger_list_model_set_account_id (NP_LEDGER_LIST_MODEL (model), live);
  changes = fixture_recorder_take (&recorder);
  g_assert_cmpstr (changes, ==, "0,1,3");
  assert_consistent (ledger, live, model);

  fixture_recorder_stop (&recorder);
}

static void
test_journal_model (void)
{
  g_autofree char *path = fixture_ledger_path ("journal-model");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpJournalListModel) model = NULL;
  g_autoptr(NpJournalEntry) top = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *changes = NULL;
  FixtureRecorder recorder;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 first, second;

  first = np_ledger_journal_begin (ledger, account, NP_JOURNAL_OPERATION_CREATE, NULL, "Create", NULL, &error);
  model = np_journal_list_model_new (ledger, account, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  fixture_recorder_start (&recorder, G_LIST_MODEL (model));

  second = np_ledger_journal_begin (ledger, account, NP_JOURNAL_OPERATION_REFUND, "c1", "Refund", NULL, &error);
  changes = fixture_recorder_take (&recorder);
  g_assert_cmpstr (changes, ==, "0,0,1");
  g_clear_pointer (&changes, g_free);

  np_ledger_journal_finish (ledger, first, NP_JOURNAL_STATE_SUCCEEDED, NULL, "c1", &error);
  g_assert_no_error (error);
  changes = fixture_recorder_take (&recorder);
  g_assert_cmpstr (changes, ==, "1,1,1");
  g_clear_pointer (&changes, g_free);

  np_ledger_journal_finish (ledger, second, NP_JOURNAL_STATE_UNKNOWN, "Connection lost", NULL, &error);
  changes = fixture_recorder_take (&recorder);
  g_assert_cmpstr (changes, ==, "0,1,1");
  top = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpint (np_journal_entry_get_state (top), ==, NP_JOURNAL_STATE_UNKNOWN);

  fixture_recorder_stop (&recorder);
}

static void
test_customer_model (void)
{
  g_autofree char *path = fixture_ledger_path ("customer-model");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCustomerListModel) model = NULL;
  g_autoptr(NpCustomerRow) row = NULL;
  g_autoptr(NpCustomer) hopper = fixture_customer ("cus2", "Grace", "Hopper", "grace@example.com", NULL);
  g_autoptr(NpCustomer) turing = fixture_customer ("cus3", "Alan", "Turing", "alan@example.com", NULL);
  g_autoptr(NpCustomer) lovelace = fixture_customer ("cus1", "Ada", "Lovelace", "ada@example.com", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *changes = NULL;
  FixtureRecorder recorder;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  np_ledger_upsert_customer (ledger, account, hopper, &error);
  np_ledger_upsert_customer (ledger, account, turing, &error);
  model = np_customer_list_model_new (ledger, account, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  row = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (np_customer_row_get_last_name (row), ==, "Hopper");
  g_clear_object (&row);
  fixture_recorder_start (&recorder, G_LIST_MODEL (model));

  /* Lovelace sorts between Hopper and Turing. */
  np_ledger_upsert_customer (ledger, account, lovelace, &error);
  g_assert_no_error (error);
  changes = fixture_recorder_take (&recorder);
  g_assert_cmpstr (changes, ==, "1,0,1");
  g_clear_pointer (&changes, g_free);

  /* A checkout of a listed customer changes the row's totals, not the list. */
  row = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpuint (np_customer_row_get_checkout_count (row), ==, 0);
  g_clear_object (&row);
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "k1", .status = "paid", .amount = 700, .customer_id = "cus1", .created = D0 });
  changes = fixture_recorder_take (&recorder);
  g_assert_cmpstr (changes, ==, "0,3,3");
  row = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpuint (np_customer_row_get_checkout_count (row), ==, 1);

  fixture_recorder_stop (&recorder);
}

static gboolean
object_gone (gpointer user_data)
{
  return *(gpointer *)user_data == NULL;
}

/* A search that narrows the list lets go of the cached pages, but their rows are
 * finalized once the main loop is idle, not in the keystroke before its frame. */
static void
test_dropped_pages_freed_when_idle (void)
{
  g_autofree char *path = fixture_ledger_path ("dropped-pages");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
  g_autoptr(NpCheckoutListModel) model = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account = add_many (ledger, N_PAGED);
  gpointer cached = NULL;
  GObject *item;

  np_ledger_prepare_account_async (ledger, account, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, 30000);
  g_assert_true (np_ledger_prepare_account_finish (ledger, result, &error));
  model = np_checkout_list_model_new (ledger, account, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_PAGED);

  /* A row held only by the model's cache of its page. */
  item = g_list_model_get_item (G_LIST_MODEL (model), 5 * 64 + 3);
  g_assert_nonnull (item);
  g_set_weak_pointer (&cached, item);
  g_object_unref (item);
  g_assert_nonnull (cached);

  np_checkout_query_set_text (query, "order-12");
  np_checkout_list_model_set_query (model, query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), <, 5 * 64);
  assert_consistent (ledger, account, model);
  g_assert_nonnull (cached);

  np_test_wait_until (object_gone, &cached, 5000, "the dropped page's rows to be freed");
  g_clear_weak_pointer (&cached);
}

/* Whether a thread of this process has the index loader's name. */
static gboolean
index_thread_running (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *task;

  g_assert_nonnull (dir);
  while ((task = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", task, "comm", NULL);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL) && g_str_has_prefix (comm, "np-index-load"))
        return TRUE;
    }
  return FALSE;
}

/* The load's thread starts once the main loop is idle, not in the call: at
 * start-up the call comes before the window's first frame, which it slowed. */
static void
test_prepare_account_when_idle (void)
{
  g_autofree char *path = fixture_ledger_path ("prepare-idle");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  /* Enough rows that a load started in the call is still running when looked for. */
  gint64 account = add_many (ledger, 20000);
  gint64 deadline;

  g_clear_object (&ledger);
  ledger = fixture_open_ledger (path);

  /* Without the main loop, no loader thread for half a second (one started in the
   * call shows at once: a thread's name is set as it starts, and 20,000 rows take
   * tens of milliseconds to load). */
  np_ledger_prepare_account_async (ledger, account, NULL, np_test_store_result, &result);
  deadline = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < deadline)
    {
      g_assert_false (index_thread_running ());
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }

  np_test_wait_result (&result, 30000);
  g_assert_true (np_ledger_prepare_account_finish (ledger, result, &error));
  g_assert_no_error (error);
}

/* Writes made while a worker loads the index are in the index it installs. */
static void
test_prepare_account (void)
{
  g_autofree char *path = fixture_ledger_path ("prepare");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCheckoutListModel) model = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  g_autofree char *expected = NULL;
  gint64 account = add_many (ledger, N_PAGED);

  /* A fresh connection: no index loaded yet. */
  g_clear_object (&ledger);
  ledger = fixture_open_ledger (path);

  np_ledger_prepare_account_async (ledger, account, NULL, np_test_store_result, &result);
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "late", .identifier = "order-late", .amount = 1, .created = D0 + 99999 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "m0007", .identifier = "order-7", .status = "refunded", .amount = 5, .created = D0 + 7 });
  np_ledger_forget_checkout (ledger, account, "m0003", &error);
  g_assert_no_error (error);
  np_test_wait_result (&result, 30000);
  np_ledger_prepare_account_finish (ledger, result, &error);
  g_assert_no_error (error);

  /* Once there, preparing again is immediate. */
  np_ledger_prepare_account_async (ledger, account, NULL, np_test_store_result, &again);
  np_test_wait_result (&again, 1000);
  g_assert_true (np_ledger_prepare_account_finish (ledger, again, &error));

  model = np_checkout_list_model_new (ledger, account, NULL);
  got = model_ids (G_LIST_MODEL (model));
  expected = fixture_sql_column (path, "SELECT checkout_id FROM checkouts"
                                       " ORDER BY coalesce(created, registered) DESC, row_id DESC");
  g_assert_cmpstr (got, ==, expected);
  g_assert_true (g_str_has_prefix (got, "late,"));
  g_assert_null (strstr (got, "m0003"));
}

static void
record_items_changed (GListModel *model,
                      guint       position,
                      guint       removed,
                      guint       added,
                      GString    *log)
{
  g_string_append_printf (log, "%s%u-%u+%u", log->len ? "," : "", position, removed, added);
}

static gboolean
model_has_n_items (gpointer user_data)
{
  GListModel *model = user_data;

  return g_list_model_get_n_items (model) == GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (model), "expected"));
}

/* While a worker loads the index, a new plain list shows its first rows from
 * SQL in the index's order (imported, never retrieved rows merged in by their
 * import time), a searching list waits; both are whole once the index is in. */
static void
test_list_while_index_loads (void)
{
  g_autofree char *path = fixture_ledger_path ("while-loading");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCheckoutListModel) plain = NULL;
  g_autoptr(NpCheckoutListModel) searching = NULL;
  g_autoptr(NpCheckoutQuery) search = np_checkout_query_new ();
  g_autoptr(NpImportResult) imported = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) expected = NULL;
  g_autofree char *expected_first = NULL;
  g_autofree char *got = NULL;
  g_autofree char *all = NULL;
  const char *pasted = "imported-1\nimported-2\nimported-3\n";
  gint64 account = add_many (ledger, N_PAGED);
  guint n_first;
  guint count = 0;
  g_autoptr(GString) changes = g_string_new (NULL);

  imported = np_ledger_import_ids (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_LIST, NULL,
                                   pasted, strlen (pasted), &error);
  g_assert_no_error (error);

  /* Deleted, retrieved and imported: none of them listed or counted. */
  np_ledger_mark_checkout_deleted (ledger, account, "m0005", &error);
  g_assert_no_error (error);
  np_ledger_mark_checkout_deleted (ledger, account, "imported-2", &error);
  g_assert_no_error (error);

  g_clear_object (&ledger);
  ledger = fixture_open_ledger (path);
  all = fixture_sql_column (path, "SELECT checkout_id FROM checkouts WHERE deleted = 0"
                                  " ORDER BY coalesce(created, registered) DESC, row_id DESC");
  expected = g_strsplit (all, ",", -1);
  g_assert_cmpuint (g_strv_length (expected), ==, N_PAGED + 1);

  np_ledger_prepare_account_async (ledger, account, NULL, np_test_store_result, &result);
  np_ledger_count_checkouts (ledger, account, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, N_PAGED + 1);
  plain = np_checkout_list_model_new (ledger, account, NULL);
  np_checkout_query_set_text (search, "order-12");
  searching = np_checkout_list_model_new (ledger, account, search);

  /* Not the whole list, and not loaded here: the first rows only. */
  n_first = g_list_model_get_n_items (G_LIST_MODEL (plain));
  g_assert_cmpuint (n_first, >, 20);
  g_assert_cmpuint (n_first, <, N_PAGED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (searching)), ==, 0);
  g_assert_true (np_checkout_list_model_get_loading (plain));
  g_assert_true (np_checkout_list_model_get_loading (searching));
  got = model_ids (G_LIST_MODEL (plain));
  {
    g_autoptr(GString) first = g_string_new (NULL);

    for (guint i = 0; i < n_first; i++)
      g_string_append_printf (first, "%s%s", i ? "," : "", expected[i]);
    expected_first = g_string_free (g_steal_pointer (&first), FALSE);
  }
  g_assert_cmpstr (got, ==, expected_first);
  g_assert_true (g_str_has_prefix (got, "imported-3,imported-1,"));

  g_signal_connect (plain, "items-changed", G_CALLBACK (record_items_changed), changes);
  np_test_wait_result (&result, 30000);
  g_assert_true (np_ledger_prepare_account_finish (ledger, result, &error));
  g_assert_no_error (error);

  g_object_set_data (G_OBJECT (plain), "expected", GUINT_TO_POINTER (N_PAGED + 1));
  np_test_wait_until (model_has_n_items, plain, 10000, "the whole list");
  g_clear_pointer (&got, g_free);
  got = model_ids (G_LIST_MODEL (plain));
  g_assert_cmpstr (got, ==, all);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (searching)), >, 0);
  g_assert_false (np_checkout_list_model_get_loading (plain));
  g_assert_false (np_checkout_list_model_get_loading (searching));

  /* The rows on show stayed; the rest were appended. */
  {
    g_autofree char *appended = g_strdup_printf ("%u-0+%u", n_first, N_PAGED + 1 - n_first);

    g_assert_cmpstr (changes->str, ==, appended);
  }
  np_ledger_count_checkouts (ledger, account, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, N_PAGED + 1);
}

/* Search memory is reused from one query to the next (np_checkout_index_prepare_scratch ()):
 * typing, widening again, rows added so the index outgrows it, and two lists on
 * one index each get the rows they asked for. */
static guint
count_with_text (NpCheckoutListModel *model,
                 NpCheckoutQuery     *query,
                 const char          *text)
{
  np_checkout_query_set_text (query, text);
  np_checkout_list_model_set_query (model, query);
  return g_list_model_get_n_items (G_LIST_MODEL (model));
}

static void
test_search_memory_reused (void)
{
  g_autofree char *path = fixture_ledger_path ("reused");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCheckoutListModel) model = NULL;
  g_autoptr(NpCheckoutListModel) other = NULL;
  g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
  g_autoptr(NpCheckoutQuery) other_query = np_checkout_query_new ();
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *id = g_strdup_printf ("s%03u", i);
      g_autofree char *identifier = g_strdup_printf ("order-%u", i);

      fixture_upsert (ledger, account, &(FixtureCheckout) { .id = id, .identifier = identifier, .amount = 1 + i,
                                                           .created = D0 + i });
    }
  model = np_checkout_list_model_new (ledger, account, NULL);
  other = np_checkout_list_model_new (ledger, account, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 300);

  /* Typing narrows, widening goes back, the same text twice is the same. */
  g_assert_cmpuint (count_with_text (model, query, "order-1"), ==, 111);   /* 1, 10-19, 100-199 */
  g_assert_cmpuint (count_with_text (model, query, "order-12"), ==, 11);   /* 12, 120-129 */
  g_assert_cmpuint (count_with_text (model, query, "order-1"), ==, 111);
  g_assert_cmpuint (count_with_text (model, query, "order-1"), ==, 111);
  g_assert_cmpuint (count_with_text (other, other_query, "order-2"), ==, 111);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 111);

  /* The index outgrows what it prepared: rows 300-1299. */
  for (guint i = 300; i < 1300; i++)
    {
      g_autofree char *id = g_strdup_printf ("s%04u", i);
      g_autofree char *identifier = g_strdup_printf ("order-%u", i);

      fixture_upsert (ledger, account, &(FixtureCheckout) { .id = id, .identifier = identifier, .amount = 1 + i,
                                                           .created = D0 + i });
    }
  /* 1, 10-19, 100-199, 1000-1299 */
  g_assert_cmpuint (count_with_text (model, query, "order-1"), ==, 411);
  g_assert_cmpuint (count_with_text (model, query, "order-12"), ==, 111); /* 12, 120-129, 1200-1299 */
  g_assert_cmpuint (count_with_text (other, other_query, "order-2"), ==, 111);
  g_assert_cmpuint (count_with_text (model, query, NULL), ==, 1300);
  g_assert_cmpuint (count_with_text (other, other_query, "order-129"), ==, 11);
  {
    g_autoptr(NpCheckoutRow) row = g_list_model_get_item (G_LIST_MODEL (other), 0);

    g_assert_true (g_str_has_prefix (np_checkout_row_get_identifier (row), "order-129"));
  }
}

/* The packed checkout ids (np-checkout-index.c): every search answers as a
 * plain substring search of each row's whole text would, for needles of every
 * length at every digit of the ids, needles that only look like ids, rows whose
 * first field is not an id, rows changed and removed, and typing (the search
 * narrowed to the last one's hits). */
#define N_INDEXED 3000

static char *
indexed_text (GRand *rand,
              guint  i)
{
  g_autoptr(GString) id = g_string_new (NULL);

  for (guint k = 0; k < 32; k++)
    g_string_append_c (id, "0123456789abcdef"[g_rand_int_range (rand, 0, 16)]);

  switch (i % 10)
    {
    case 0: /* the id alone (an imported row never retrieved) */
      return g_string_free (g_steal_pointer (&id), FALSE);
    case 1: /* not 32 digits: kept in the text */
      return g_strdup_printf ("chk_%s\x1forder-%u", id->str, i);
    case 2:
      return g_strdup_printf ("%sf\x1forder-%u", id->str, i);
    case 3:
      return g_strdup_printf ("%.31s\x1forder-%u", id->str, i);
    case 4: /* a newline in a text: a field separator, as no needle holds one */
      return g_strdup_printf ("%s\x1forder-%u\nline two", id->str, i);
    default:
      return g_strdup_printf ("%s\x1forder-%u\x1forder #%u: beef %x\x1f{\"orderid\":\"%u\"}", id->str, i, i,
                              g_rand_int (rand), i);
    }
}

static guint
expected_count (GPtrArray  *texts,
                const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < texts->len; i++)
    if (g_ptr_array_index (texts, i) != NULL && strstr (g_ptr_array_index (texts, i), needle) != NULL)
      n++;

  return n;
}

static void
check_needle (NpCheckoutIndex *index,
              GPtrArray       *texts,
              const char      *needle)
{
  g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
  guint expected = expected_count (texts, needle);
  guint32 *slots = g_new (guint32, np_checkout_index_get_n_slots (index) + 1);
  guint n;

  np_checkout_query_set_text (query, needle);
  n = np_checkout_index_query (index, query, slots);
  if (n != expected)
    g_error ("needle \"%s\": the index found %u rows, the texts hold it %u times", needle, n, expected);
  for (guint i = 0; i < n; i++)
    g_assert_true (np_checkout_index_matches (index, query, slots[i]));
  g_free (slots);
}

static void
set_indexed_row (NpCheckoutIndex *index,
                 gint64           row_id,
                 const char      *text)
{
  NpCheckoutIndexRow row = { .row_id = row_id, .status = NP_CHECKOUT_STATUS_PAID,
                             .created = D0 + row_id, .updated = D0 + row_id, .amount = row_id,
                             .text = text };

  np_checkout_index_set_row (index, &row);
}

/* The @k-th row still there whose text starts with a packed id and goes on. */
static const char *
full_text (GPtrArray *texts,
           guint      k)
{
  for (guint i = 5; i < texts->len; i += 10)
    if (g_ptr_array_index (texts, i) != NULL && strlen (g_ptr_array_index (texts, i)) > 33 &&
        ((const char *)g_ptr_array_index (texts, i))[32] == '\x1f' && k-- == 0)
      return g_ptr_array_index (texts, i);

  g_assert_not_reached ();
}

/* Each prefix of @typed, as typed letter by letter. */
static void
type_needle (NpCheckoutIndex *index,
             GPtrArray       *texts,
             const char      *typed)
{
  for (guint length = 1; length <= strlen (typed); length++)
    {
      g_autofree char *prefix = g_strndup (typed, length);

      /* A needle's spaces at either end are folded away: "item " searches as "item". */
      if (prefix[length - 1] != ' ')
        check_needle (index, texts, prefix);
    }
}

static void
check_all_needles (NpCheckoutIndex *index,
                   GPtrArray       *texts,
                   GRand           *rand)
{
  /* Every length at every digit of a few ids, and of a digit run cut short. */
  for (guint k = 0; k < 6; k++)
    {
      const char *text = full_text (texts, k);

      for (guint start = 0; start < 32; start++)
        for (guint length = 1; start + length <= 32; length++)
          {
            g_autofree char *needle = g_strndup (text + start, length);

            check_needle (index, texts, needle);
          }
    }

  /* Random digit runs (1 to 6 digits match some ids and not others), one past an
   * id's end, an id and the next field (the separator folds to a space), other
   * words, and typing one character at a time (narrowing). */
  for (guint k = 0; k < 200; k++)
    {
      char needle[8] = { 0 };
      guint length = 1 + k % 6;

      for (guint i = 0; i < length; i++)
        needle[i] = "0123456789abcdef"[g_rand_int_range (rand, 0, 16)];
      check_needle (index, texts, needle);
    }
  {
    const char *text = full_text (texts, 1);
    g_autofree char *long_needle = g_strdup_printf ("%sf", text);
    g_autofree char *spanning = g_strdup_printf ("%s order", text + 28);
    g_autofree char *typed = g_strndup (text + 3, 12);

    check_needle (index, texts, long_needle);
    check_needle (index, texts, spanning);
    check_needle (index, texts, "chk_");
    check_needle (index, texts, "order-1");
    check_needle (index, texts, "beef");
    check_needle (index, texts, "line two");
    type_needle (index, texts, typed);
  }
}

static void
test_index_packed_ids (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (24);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  NpCheckoutIndex *index = np_checkout_index_new ();

  for (guint i = 0; i < N_INDEXED; i++)
    {
      g_ptr_array_add (texts, indexed_text (rand, i));
      set_indexed_row (index, i + 1, g_ptr_array_index (texts, i));
    }
  check_all_needles (index, texts, rand);

  /* Rows changed (a new id, an id that stops being one), and removed. */
  for (guint i = 0; i < N_INDEXED; i += 7)
    {
      g_free (texts->pdata[i]);
      texts->pdata[i] = indexed_text (rand, i + (i % 2 ? 1 : 0));
      set_indexed_row (index, i + 1, g_ptr_array_index (texts, i));
    }
  for (guint i = 3; i < N_INDEXED; i += 11)
    {
      g_clear_pointer (&texts->pdata[i], g_free);
      np_checkout_index_remove_row (index, i + 1);
    }
  check_all_needles (index, texts, rand);

  np_checkout_index_free (index);
}

/* Typing a needle whose rarest byte shows about once a row ("order-" then
 * "order-4"): the index keeps where each row held the last needle and tests the
 * next one there. Rows that hold the needle twice with only the second going on
 * ("order-1 … order-4"), a needle typed at its front ("-4", "r-4"), rows found
 * by their id only (a hex needle, "f…", where half the texts have no 'f'), a
 * match past 65,535 bytes into a row, and rows changed between two keystrokes
 * all answer as a plain strstr () over the texts. */
static char *
typing_text (GRand *rand,
             guint  i)
{
  g_autoptr(GString) id = g_string_new (NULL);

  for (guint k = 0; k < 32; k++)
    g_string_append_c (id, "0123456789abcdef"[g_rand_int_range (rand, 0, 16)]);

  if (i % 29 == 3) /* twice: only the second goes on to "order-4…" */
    return g_strdup_printf ("%s\x1forder-1%u\x1fsee order-4%u", id->str, i, i % 97);
  if (i % 31 == 5) /* twice, overlapping ("-4-4") */
    return g_strdup_printf ("%s\x1forder-4-4%u", id->str, i);
  if (i % 37 == 7) /* another word before the '-': "-4" without "r-4" */
    return g_strdup_printf ("%s\x1fitem-4%u", id->str, i);
  return g_strdup_printf ("%s\x1forder-%u\x1forder #%u: item %c%u", id->str, i, i, i % 2 ? 'g' : 'f', i % 1000);
}

static void
test_index_typing_positions (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (10);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  NpCheckoutIndex *index = np_checkout_index_new ();
  static const char * const typed[] = {
    "order-4242", "order-1", "order-44", "see order-42", "item f12", "f12", "f1a", "1f", "ab",
  };

  for (guint i = 0; i < N_INDEXED; i++)
    {
      g_ptr_array_add (texts, typing_text (rand, i));
      set_indexed_row (index, i + 1, g_ptr_array_index (texts, i));
    }
  /* A match further into its row than a kept position reaches. */
  {
    g_autofree char *far = g_strnfill (70000, 'x');

    g_ptr_array_add (texts, g_strdup_printf ("%s order-4242 order-1", far));
    set_indexed_row (index, texts->len, g_ptr_array_index (texts, texts->len - 1));
  }

  for (guint k = 0; k < G_N_ELEMENTS (typed); k++)
    type_needle (index, texts, typed[k]);

  /* Typed at the front: "-4" is in "r-4", "er-4", … and in "m-4". */
  check_needle (index, texts, "-");
  check_needle (index, texts, "-4");
  check_needle (index, texts, "r-4");
  check_needle (index, texts, "-4");
  check_needle (index, texts, "m-4");
  check_needle (index, texts, "er-4");
  check_needle (index, texts, "rder-42");
  check_needle (index, texts, "order-424");

  /* More than one byte added at once (pasted): "order-14" holds the last byte of "order-44". */
  check_needle (index, texts, "order-");
  check_needle (index, texts, "order-44");
  check_needle (index, texts, "order-");
  check_needle (index, texts, "order-4242");
  check_needle (index, texts, "-");
  check_needle (index, texts, "em-4");

  /* A row changed between two keystrokes. */
  check_needle (index, texts, "order-");
  g_free (texts->pdata[10]);
  texts->pdata[10] = g_strdup ("order-4 order-4242");
  set_indexed_row (index, 11, g_ptr_array_index (texts, 10));
  check_needle (index, texts, "order-4");
  check_needle (index, texts, "order-42");

  np_checkout_index_free (index);
}

/* What a row costs the index: at most its fields (52 bytes: status, flags and
 * customer 8, created, row id, amount and updated 4 each while they fit, text
 * offset 4, the packed id 16, the segment 8) and its text without a 32-digit id
 * and the separator after it. Before: 56 bytes and the whole text. */
static void
test_index_row_bytes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (24);
  NpCheckoutIndex *index = np_checkout_index_new ();
  gsize text_bytes = 0;

  for (guint i = 0; i < N_INDEXED; i++)
    {
      g_autofree char *text = indexed_text (rand, 5);

      text_bytes += strlen (text) + 1;
      set_indexed_row (index, i + 1, text);
    }

  g_test_message ("%" G_GSIZE_FORMAT " bytes a row, of which %" G_GSIZE_FORMAT " of text as given",
                  np_checkout_index_get_row_bytes (index) / N_INDEXED, text_bytes / N_INDEXED);
  g_assert_cmpuint (np_checkout_index_get_row_bytes (index), <=, N_INDEXED * 52 + text_bytes - N_INDEXED * 33);
  np_checkout_index_free (index);
}

/* Row ids, amounts, created and update times past 32 bits, or below 0, are kept exactly:
 * sorted, looked up and given back as they came. */
static void
check_order (NpCheckoutIndex *index,
             NpCheckoutSort   sort,
             const char      *expected)
{
  g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
  g_autoptr(GString) order = g_string_new (NULL);
  guint32 slots[8];
  guint n;

  query->sort = sort;
  query->descending = FALSE;
  n = np_checkout_index_query (index, query, slots);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (order, "%s%u", i ? "," : "", slots[i]);
  g_assert_cmpstr (order->str, ==, expected);
}

static void
test_index_wide_values (void)
{
  NpCheckoutIndex *index = np_checkout_index_new ();
  const gint64 big = G_GINT64_CONSTANT (1) << 33;
  struct {
    gint64 row_id, amount, updated, created;
  } rows[] = {
    { 1, 7, 3, D0 },
    { 2, -5, G_MAXUINT32, G_MAXUINT32 },
    { 3, G_MAXUINT32, -1, big },
    { big, big, big, -D0 },
    { big + 1, G_MAXUINT32 + G_GINT64_CONSTANT (1), G_MAXUINT32 + G_GINT64_CONSTANT (1), D0 + 1 },
  };
  guint slot;

  /* In turns: the columns widen part-way through. */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      NpCheckoutIndexRow row = { .row_id = rows[i].row_id, .status = NP_CHECKOUT_STATUS_PAID,
                                 .created = rows[i].created, .updated = rows[i].updated, .amount = rows[i].amount,
                                 .text = "x" };

      np_checkout_index_set_row (index, &row);
    }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_assert_true (np_checkout_index_lookup (index, rows[i].row_id, &slot));
      g_assert_cmpuint (slot, ==, i);
      g_assert_cmpint (np_checkout_index_get_row_id (index, i), ==, rows[i].row_id);
    }
  g_assert_false (np_checkout_index_lookup (index, big - 1, &slot));
  g_assert_false (np_checkout_index_lookup (index, big & G_MAXUINT32, &slot));
  check_order (index, NP_CHECKOUT_SORT_AMOUNT, "1,0,2,4,3");
  check_order (index, NP_CHECKOUT_SORT_UPDATED, "2,0,1,4,3");
  check_order (index, NP_CHECKOUT_SORT_CREATED, "3,0,4,1,2");
  {
    g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
    guint32 slots[8];

    /* A date range over the widened column: D0 and D0 + 1, not the others. */
    query->created_from = D0;
    query->created_until = D0 + 2;
    g_assert_cmpuint (np_checkout_index_query (index, query, slots), ==, 2);
  }
  np_checkout_index_free (index);
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  g_test_add_func ("/store/models/search-memory-reused", test_search_memory_reused);
  g_test_add_func ("/store/models/index-packed-ids", test_index_packed_ids);
  g_test_add_func ("/store/models/index-typing-positions", test_index_typing_positions);
  g_test_add_func ("/store/models/index-row-bytes", test_index_row_bytes);
  g_test_add_func ("/store/models/index-wide-values", test_index_wide_values);

  g_test_add_func ("/store/models/paging-matches-direct-query", test_paging_matches_direct_query);
  g_test_add_func ("/store/models/items-changed-is-minimal", test_items_changed_is_minimal);
  g_test_add_func ("/store/models/account-switch", test_account_switch);
  g_test_add_func ("/store/models/journal", test_journal_model);
  g_test_add_func ("/store/models/customers", test_customer_model);
  g_test_add_func ("/store/models/prepare-account", test_prepare_account);
  g_test_add_func ("/store/models/prepare-account-when-idle", test_prepare_account_when_idle);
  g_test_add_func ("/store/models/dropped-pages-freed-when-idle", test_dropped_pages_freed_when_idle);
  g_test_add_func ("/store/models/list-while-index-loads", test_list_while_index_loads);

  return g_test_run ();
}
