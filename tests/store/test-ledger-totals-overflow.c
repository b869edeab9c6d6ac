/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ledger-totals-overflow.c — totals that cannot be held in a gint64 (issue 21).
 *
 * An amount is at most 10^15 minor units (checked where it enters, np-json.c),
 * but 1,000,000 of them add up to 10^21, past INT64_MAX (about 9.22 * 10^18).
 * SQLite's sum () fails the whole query with "integer overflow" there, and the
 * totals triggers' bucket sums silently turn into inexact REALs. The ledger's
 * totals report such a sum as overflow, the Overview's folding adds with checked
 * addition, and what is shown is "too large", never a wrapped or clipped number.
 * A real ledger file; the million rows go in with one INSERT so that the real
 * triggers maintain the real bucket tables.
 */
#include <sqlite3.h>

#include "ledger-fixtures.h"
#include "np-ledger-totals-async.h"
#include "np-overview-totals.h"
#include "np-test-utils.h"

#define DAY 86400
/* 2025-11-24 00:00:00 UTC */
#define D0 (G_GINT64_CONSTANT (20416) * DAY)
#define MAX_AMOUNT G_GINT64_CONSTANT (1000000000000000)

/* @n paid checkouts of @amount in @currency for customer "big", created over the
 * first hours of day D0 + @day_offset. */
static void
insert_many (const char *path,
             gint64      account_id,
             const char *currency,
             guint       n,
             gint64      amount,
             gint64      refunded,
             gint64      day_offset)
{
  g_autofree char *sql = g_strdup_printf (
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
    " INSERT INTO checkouts (account_id, checkout_id, status, status_text, amount, refunded_amount,"
    "   currency, customer_id, created, registered, json)"
    " SELECT %" G_GINT64_FORMAT ", '%s-' || i, %d, 'paid', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ","
    "   '%s', 'big', %" G_GINT64_FORMAT " + i %% 36000, %" G_GINT64_FORMAT ", '{}' FROM n;",
    n, account_id, currency, NP_CHECKOUT_STATUS_PAID, amount, refunded, currency,
    D0 + day_offset * DAY, D0 + day_offset * DAY);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s", message);
  sqlite3_close (db);
}

static const NpStatusTotal *
find_total (GPtrArray  *totals,
            const char *currency)
{
  for (guint i = 0; i < totals->len; i++)
    {
      const NpStatusTotal *total = g_ptr_array_index (totals, i);

      if (total->status == NP_CHECKOUT_STATUS_PAID && g_strcmp0 (total->currency, currency) == 0)
        return total;
    }
  g_assert_not_reached ();
}

static const NpPeriodSummary *
find_summary (GPtrArray  *summaries,
              const char *currency)
{
  for (guint i = 0; i < summaries->len; i++)
    {
      const NpPeriodSummary *summary = g_ptr_array_index (summaries, i);

      if (g_strcmp0 (summary->currency, currency) == 0)
        return summary;
    }
  g_assert_not_reached ();
}

static void
test_million_largest (void)
{
  g_autofree char *path = fixture_ledger_path ("overflow");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GPtrArray) daily = NULL;
  g_autoptr(GPtrArray) local_daily = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GArray) days = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpCustomerRow) customer = NULL;
  g_autoptr(NpCustomer) big = NULL;
  const NpStatusTotal *sek, *nok, *dkk;
  const NpPeriodSummary *summary;
  GPtrArray *customer_totals;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  /* SEK: a million of the largest amount, 10^21 in all. NOK: 9,223 of them
   * (9.223 * 10^18, just under INT64_MAX) and DKK: 9,224 (just over), on one day.
   * Each checkout went through the API's checks: the largest amount is accepted. */
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "first", .status = "paid", .amount = MAX_AMOUNT,
                                                        .created = D0 + 7 * DAY });
  insert_many (path, account, "SEK", 1000000, MAX_AMOUNT, MAX_AMOUNT / 2, 0);
  insert_many (path, account, "NOK", 9223, MAX_AMOUNT, 0, 1);
  insert_many (path, account, "DKK", 9224, MAX_AMOUNT, 0, 2);

  totals = np_ledger_get_totals (ledger, account, 0, 0, &error);
  g_assert_no_error (error);
  sek = find_total (totals, "SEK");
  g_assert_cmpuint (sek->count, ==, 1000001);
  g_assert_true (sek->overflow);
  g_assert_cmpint (sek->amount, >=, 0);
  nok = find_total (totals, "NOK");
  g_assert_false (nok->overflow);
  g_assert_cmpint (nok->amount, ==, 9223 * MAX_AMOUNT);
  dkk = find_total (totals, "DKK");
  g_assert_true (dkk->overflow);

  /* The Overview: per currency, "too large" for SEK and DKK, exact for NOK. */
  summaries = np_overview_summarize (totals);
  summary = find_summary (summaries, "SEK");
  g_assert_true (summary->overflow);
  g_assert_cmpint (summary->paid, ==, 0);
  g_assert_cmpint (summary->refunded, ==, 0);
  g_assert_cmpint (np_period_summary_get_net (summary), ==, 0);
  g_assert_cmpuint (summary->count, ==, 1000001);
  summary = find_summary (summaries, "NOK");
  g_assert_false (summary->overflow);
  g_assert_cmpint (summary->paid, ==, 9223 * MAX_AMOUNT);
  g_assert_true (find_summary (summaries, "DKK")->overflow);

  /* Per day (buckets and UTC days, and local days through the async reader). */
  daily = np_ledger_get_daily_totals (ledger, account, D0, D0 + 3 * DAY, &error);
  g_assert_no_error (error);
  days = np_overview_day_amounts (daily, "SEK", D0, 3);
  g_assert_true (g_array_index (days, NpDayAmounts, 0).overflow);
  g_assert_cmpint (g_array_index (days, NpDayAmounts, 0).paid, ==, G_MAXINT64);
  g_clear_pointer (&days, g_array_unref);
  days = np_overview_day_amounts (daily, "NOK", D0, 3);
  g_assert_false (g_array_index (days, NpDayAmounts, 1).overflow);
  g_assert_cmpint (g_array_index (days, NpDayAmounts, 1).paid, ==, 9223 * MAX_AMOUNT);

  np_ledger_get_local_daily_totals_async (ledger, account, D0 - 3600, D0 + 3 * DAY - 3600, 3600, NULL,
                                          np_test_store_result, &result);
  local_daily = np_ledger_get_local_daily_totals_finish (ledger, np_test_wait_result (&result, 60000), &error);
  g_assert_no_error (error);
  g_assert_true (find_total (local_daily, "SEK")->overflow);
  g_assert_false (find_total (local_daily, "NOK")->overflow);
  g_assert_cmpint (find_total (local_daily, "NOK")->amount, ==, 9223 * MAX_AMOUNT);

  /* A customer's totals over the same rows. */
  big = np_customer_new_from_data ("{\"customer_id\": \"big\", \"firstName\": \"Big\"}", -1, &error);
  g_assert_no_error (error);
  np_ledger_upsert_customer (ledger, account, big, &error);
  g_assert_no_error (error);
  customer = np_ledger_get_customer_row (ledger, account, "big", &error);
  g_assert_no_error (error);
  customer_totals = np_customer_row_get_totals (customer);
  for (guint i = 0; i < customer_totals->len; i++)
    {
      NpCurrencyTotal *total = g_ptr_array_index (customer_totals, i);

      g_test_message ("%s: %u, overflow %d", total->currency, total->count, total->overflow);
      g_assert_true (total->overflow == (g_strcmp0 (total->currency, "NOK") != 0));
      if (!total->overflow)
        g_assert_cmpint (total->paid, ==, 9223 * MAX_AMOUNT);
    }
}

int
main (int argc, char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/ledger/totals/million-largest-amounts", test_million_largest);

  return g_test_run ();
}
