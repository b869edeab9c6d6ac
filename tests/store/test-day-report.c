/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-day-report.c — the end-of-day report's data and CSV for a day with
 * refunds in SEK, JPY and KWD across the autumn DST change in Stockholm
 * (2026-10-25 has 25 hours): the sums against the ledger's own, by plain SQL
 * over the UTC range, and the rows just outside the day left out. */
#include <string.h>

#include "ledger-fixtures.h"
#include "day-report-fixture.h"
#include "np-day-report.h"
#include "np-test-utils.h"

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
  ledger = day_report_fixture (&shop);
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
