/* test-day-report.c — the end-of-day report's data and CSV for a day with
 * refunds in SEK, JPY and KWD across the autumn DST change in Stockholm
 * (2026-10-25 has 25 hours): the sums against the ledger's own, by plain SQL
 * over the UTC range, and the rows just outside the day left out. */
#include <string.h>

#include "ledger-fixtures.h"
#include "np-day-report.h"
#include "np-test-utils.h"

#define START_UTC 1792879200  /* 2026-10-24T22:00:00Z: local midnight, CEST */
#define END_UTC   1792969200  /* 2026-10-25T23:00:00Z: the next local midnight, CET */

static void
add_refund (NpLedger       *ledger,
            gint64          account,
            gint64          team_id,
            const char     *checkout_id,
            gint64          amount,
            const char     *currency,
            NpJournalState  state,
            gint64          started)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = g_strdup_printf ("{\"checkout_id\":\"%s\",\"currency\":\"%s\","
                                              "\"refund_amount\":%" G_GINT64_FORMAT ",\"reason\":\"=Damaged, %s\"}",
                                              checkout_id, currency, amount, currency);

  /* Another desk's rows carry their own times (and their desk and user). */
  np_ledger_journal_apply_team (ledger, account, team_id, NP_JOURNAL_OPERATION_REFUND, state, checkout_id,
                                "Refund", details, state == NP_JOURNAL_STATE_FAILED ? "declined" : NULL,
                                started, state == NP_JOURNAL_STATE_UNKNOWN ? 0 : started + 2,
                                "desk-b", "anna", &error);
  g_assert_no_error (error);
}

static NpLedger *
report_fixture (gint64 *out_account)
{
  g_autofree char *path = fixture_ledger_path ("report");
  NpLedger *ledger = fixture_open_ledger (path);
  gint64 shop = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 other = fixture_add_account (ledger, "Other", NP_ENVIRONMENT_TEST);

  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "sek_in", .status = "paid", .amount = 100000,
                                                      .currency = "SEK", .created = START_UTC + 1800 });
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "sek_before", .status = "paid", .amount = 5000,
                                                      .currency = "SEK", .created = START_UTC - 1 });
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "sek_open", .status = "created", .amount = 700,
                                                      .currency = "SEK", .created = START_UTC + 7200 });
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "jpy_late", .status = "partialRefund", .amount = 3000,
                                                      .currency = "JPY", .created = END_UTC - 1800 });
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "kwd_noon", .status = "paid", .amount = 12345,
                                                      .currency = "KWD", .created = START_UTC + 50400 });
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "kwd_after", .status = "paid", .amount = 999,
                                                      .currency = "KWD", .created = END_UTC });
  fixture_upsert (ledger, other, &(FixtureCheckout) { .id = "other", .status = "paid", .amount = 1,
                                                       .currency = "SEK", .created = START_UTC + 60 });

  /* 01:30Z is 02:30 CET, in the hour that happens twice. */
  add_refund (ledger, shop, 1, "sek_in", 25000, "SEK", NP_JOURNAL_STATE_SUCCEEDED, START_UTC + 12600);
  add_refund (ledger, shop, 2, "jpy_late", 1000, "JPY", NP_JOURNAL_STATE_SUCCEEDED, END_UTC - 900);
  add_refund (ledger, shop, 3, "kwd_noon", 2345, "KWD", NP_JOURNAL_STATE_SUCCEEDED, START_UTC + 43200);
  add_refund (ledger, shop, 4, "kwd_noon", 500, "KWD", NP_JOURNAL_STATE_FAILED, START_UTC + 43300);
  add_refund (ledger, shop, 5, "sek_in", 999, "SEK", NP_JOURNAL_STATE_SUCCEEDED, END_UTC + 600);
  add_refund (ledger, shop, 6, "sek_in", 1500, "SEK", NP_JOURNAL_STATE_UNKNOWN, START_UTC + 20000);
  add_refund (ledger, other, 7, "other", 1, "SEK", NP_JOURNAL_STATE_SUCCEEDED, START_UTC + 100);

  *out_account = shop;
  return ledger;
}

/* The ledger's own sum, by SQL over the UTC range. */
static gint64
sql_sum (NpLedger   *ledger,
         const char *sql)
{
  g_autofree char *value = fixture_sql_column (np_ledger_get_path (ledger), sql);

  return g_ascii_strtoll (value, NULL, 10);
}

static void
test_day_report_dst (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Stockholm");
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(NpDayReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *range = NULL;
  g_autofree char *csv = NULL;
  GDate day;
  gint64 shop;
  const char *currencies[] = { "JPY", "KWD", "SEK" };

  g_assert_nonnull (tz);
  ledger = report_fixture (&shop);
  g_date_set_dmy (&day, 25, G_DATE_OCTOBER, 2026);
  report = np_day_report_build (ledger, shop, &day, tz, &error);
  g_assert_no_error (error);

  g_assert_cmpint (report->start, ==, START_UTC);
  g_assert_cmpint (report->end, ==, END_UTC);
  g_assert_cmpint (report->end - report->start, ==, 25 * 3600);
  range = np_day_report_format_range (report);
  g_assert_cmpstr (range, ==, "2026-10-24T22:00:00Z – 2026-10-25T23:00:00Z");

  g_assert_cmpuint (report->totals->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      NpDayTotals *t = g_ptr_array_index (report->totals, i);
      g_autofree char *created = g_strdup_printf ("SELECT total (amount) FROM checkouts WHERE account_id = %"
                                                  G_GINT64_FORMAT " AND currency = '%s' AND created >= %d"
                                                  " AND created < %d", shop, currencies[i], START_UTC, END_UTC);
      g_autofree char *paid = g_strdup_printf ("SELECT total (amount) FROM checkouts WHERE account_id = %"
                                               G_GINT64_FORMAT " AND currency = '%s' AND created >= %d"
                                               " AND created < %d AND status_text IN ('paid', 'partialRefund',"
                                               " 'refunded')", shop, currencies[i], START_UTC, END_UTC);
      g_autofree char *refunded = g_strdup_printf ("SELECT total (json_extract (details, '$.refund_amount'))"
                                                   " FROM journal WHERE account_id = %" G_GINT64_FORMAT
                                                   " AND operation = 'refund' AND state = 'succeeded'"
                                                   " AND json_extract (details, '$.currency') = '%s'"
                                                   " AND started >= %d AND started < %d",
                                                   shop, currencies[i], START_UTC, END_UTC);

      g_assert_cmpstr (t->currency, ==, currencies[i]);
      g_assert_cmpint (t->created, ==, sql_sum (ledger, created));
      g_assert_cmpint (t->paid, ==, sql_sum (ledger, paid));
      g_assert_cmpint (t->refunded, ==, sql_sum (ledger, refunded));
      g_assert_cmpint (t->net, ==, t->paid - t->refunded);
    }
  /* And by hand, so the SQL above cannot agree with a wrong report by accident. */
  g_assert_cmpint (((NpDayTotals *)g_ptr_array_index (report->totals, 2))->created, ==, 100700);
  g_assert_cmpint (((NpDayTotals *)g_ptr_array_index (report->totals, 2))->paid, ==, 100000);
  g_assert_cmpint (((NpDayTotals *)g_ptr_array_index (report->totals, 2))->refunded, ==, 25000);
  g_assert_cmpint (((NpDayTotals *)g_ptr_array_index (report->totals, 0))->net, ==, 2000);
  g_assert_cmpint (((NpDayTotals *)g_ptr_array_index (report->totals, 1))->net, ==, 10000);

  g_assert_cmpuint (report->operations->len, ==, 5);  /* not the next day's, not the other account's */
  g_assert_cmpuint (report->open_unknown->len, ==, 1);
  g_assert_cmpstr (((NpDayOperation *)g_ptr_array_index (report->operations, 0))->who, ==, "desk-b (anna)");

  csv = np_day_report_to_csv (report);
  g_test_message ("%s", csv);
  g_assert_nonnull (strstr (csv, "totals,JPY,1,3000,1,3000,1,1000,2000\r\n"));
  g_assert_nonnull (strstr (csv, "totals,KWD,1,12.345,1,12.345,1,2.345,10.000\r\n"));
  g_assert_nonnull (strstr (csv, "totals,SEK,2,1007.00,1,1000.00,1,250.00,750.00\r\n"));
  /* The reason starts with '=': guarded, quoted for its comma. */
  g_assert_nonnull (strstr (csv, ",refund,sek_in,250.00,SEK,\"'=Damaged, SEK\",succeeded\r\n"));
  g_assert_nonnull (strstr (csv, "unknown-open,"));
  g_assert_nonnull (strstr (csv, "utc-range,2026-10-24T22:00:00Z – 2026-10-25T23:00:00Z\r\n"));
  g_assert_nonnull (strstr (csv, report->head_hash));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "Europe/Stockholm", TRUE);
  np_test_init (&argc, &argv);

  g_test_add_func ("/store/day-report/dst", test_day_report_dst);

  return g_test_run ();
}
