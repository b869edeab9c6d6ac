/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ledger-totals.c — the Overview's aggregates against a real ledger file:
 * np_ledger_get_totals (), _daily_totals () and _local_daily_totals () with
 * partial refunds, ranges and days around midnight UTC in many time zones, and
 * the Overview's folding of them (np-overview-totals.c) into paid, refunded, net
 * and the chart's days. */
#include "ledger-fixtures.h"
#include "np-ledger-totals-async.h"
#include "np-overview-totals.h"
#include "np-test-utils.h"

#define DAY 86400
/* 2025-11-24 00:00:00 UTC */
#define D0 (G_GINT64_CONSTANT (20416) * DAY)

static const NpStatusTotal *
find_total (GPtrArray        *totals,
            gint64            day,
            NpCheckoutStatus  status,
            const char       *currency)
{
  for (guint i = 0; i < totals->len; i++)
    {
      const NpStatusTotal *total = g_ptr_array_index (totals, i);

      if (total->day == day && total->status == status && g_strcmp0 (total->currency, currency) == 0)
        return total;
    }

  return NULL;
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

  return NULL;
}

/* The start of the local day holding @time in a fixed-offset zone, worked out
 * with GDateTime rather than the ledger's arithmetic. */
static gint64
local_day_start (gint64 time,
                 int    utc_offset)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (utc_offset);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
  g_autoptr(GDateTime) midnight = g_date_time_new (zone,
                                                   g_date_time_get_year (local),
                                                   g_date_time_get_month (local),
                                                   g_date_time_get_day_of_month (local),
                                                   0, 0, 0);

  return g_date_time_to_unix (midnight);
}

/* A checkout refunded in two steps: each refresh stores the running refunded
 * amount, so the totals never count the first refund twice. */
static void
test_partial_refunds (void)
{
  g_autofree char *path = fixture_ledger_path ("partial");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;
  const NpPeriodSummary *sek;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 other = fixture_add_account (ledger, "Other", NP_ENVIRONMENT_TEST);

  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "a", .status = "paid", .amount = 10000, .created = D0 + 3600 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "b", .status = "paid", .amount = 2550, .created = D0 + 7200 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "r", .status = "reserved", .amount = 999, .created = D0 + 7300 });
  /* Another account's money never shows. */
  fixture_upsert (ledger, other, &(FixtureCheckout) { .id = "x", .status = "paid", .amount = 77777, .created = D0 + 3600 });

  /* First refund of 12.50, then another 30.00, then the rest. */
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "a", .status = "partialRefund", .amount = 10000, .refunded = 1250, .created = D0 + 3600 });
  totals = np_ledger_get_totals (ledger, account, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (totals->len, ==, 3);
  g_assert_cmpint (find_total (totals, 0, NP_CHECKOUT_STATUS_PARTIAL_REFUND, "SEK")->refunded, ==, 1250);
  g_assert_cmpint (find_total (totals, 0, NP_CHECKOUT_STATUS_PAID, "SEK")->amount, ==, 2550);
  summaries = np_overview_summarize (totals);
  g_assert_cmpuint (summaries->len, ==, 1);
  sek = find_summary (summaries, "SEK");
  g_assert_cmpint (sek->paid, ==, 12550);
  g_assert_cmpint (sek->refunded, ==, 1250);
  g_assert_cmpint (np_period_summary_get_net (sek), ==, 11300);
  g_assert_cmpuint (sek->count, ==, 3);
  g_assert_cmpuint (sek->n_status[NP_CHECKOUT_STATUS_RESERVED], ==, 1);
  g_clear_pointer (&totals, g_ptr_array_unref);
  g_clear_pointer (&summaries, g_ptr_array_unref);

  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "a", .status = "partialRefund", .amount = 10000, .refunded = 4250, .created = D0 + 3600 });
  totals = np_ledger_get_totals (ledger, account, 0, 0, &error);
  g_assert_no_error (error);
  summaries = np_overview_summarize (totals);
  sek = find_summary (summaries, "SEK");
  g_assert_cmpint (sek->paid, ==, 12550);
  g_assert_cmpint (sek->refunded, ==, 4250);
  g_assert_cmpint (np_period_summary_get_net (sek), ==, 8300);
  g_clear_pointer (&totals, g_ptr_array_unref);
  g_clear_pointer (&summaries, g_ptr_array_unref);

  /* Fully refunded: the checkout moves to "refunded" and is still counted as paid. */
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "a", .status = "refunded", .amount = 10000, .refunded = 10000, .created = D0 + 3600 });
  totals = np_ledger_get_totals (ledger, account, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_null (find_total (totals, 0, NP_CHECKOUT_STATUS_PARTIAL_REFUND, "SEK"));
  g_assert_cmpint (find_total (totals, 0, NP_CHECKOUT_STATUS_REFUNDED, "SEK")->refunded, ==, 10000);
  summaries = np_overview_summarize (totals);
  sek = find_summary (summaries, "SEK");
  g_assert_cmpint (sek->paid, ==, 12550);
  g_assert_cmpint (sek->refunded, ==, 10000);
  g_assert_cmpint (np_period_summary_get_net (sek), ==, 2550);
  g_assert_cmpuint (sek->n_status[NP_CHECKOUT_STATUS_REFUNDED], ==, 1);
  g_assert_cmpuint (sek->n_status[NP_CHECKOUT_STATUS_PAID], ==, 1);
  g_assert_cmpuint (sek->n_status[NP_CHECKOUT_STATUS_PARTIAL_REFUND], ==, 0);
}

/* Several currencies stay apart, most used first, and an imported id that was
 * never retrieved (no currency, no amount) adds nothing. */
static void
test_currencies (void)
{
  g_autofree char *path = fixture_ledger_path ("currencies");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpImportResult) imported = NULL;
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;
  const NpPeriodSummary *eur;
  const NpPeriodSummary *sek;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "e1", .status = "paid", .amount = 500, .currency = "EUR", .created = D0 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "e2", .status = "partialRefund", .amount = 900, .refunded = 100, .currency = "EUR", .created = D0 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "e3", .status = "created", .amount = 50, .currency = "EUR", .created = D0 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "s1", .status = "paid", .amount = 100000, .currency = "SEK", .created = D0 });
  imported = np_ledger_import_ids (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_LIST, NULL, "never-seen", 10, &error);
  g_assert_no_error (error);

  totals = np_ledger_get_totals (ledger, account, 0, 0, &error);
  g_assert_no_error (error);
  summaries = np_overview_summarize (totals);
  g_assert_cmpuint (summaries->len, ==, 2);
  eur = g_ptr_array_index (summaries, 0);
  sek = g_ptr_array_index (summaries, 1);
  g_assert_cmpstr (eur->currency, ==, "EUR");
  g_assert_cmpuint (eur->count, ==, 3);
  g_assert_cmpint (eur->paid, ==, 1400);
  g_assert_cmpint (eur->refunded, ==, 100);
  g_assert_cmpuint (eur->n_status[NP_CHECKOUT_STATUS_CREATED], ==, 1);
  g_assert_cmpstr (sek->currency, ==, "SEK");
  g_assert_cmpint (sek->paid, ==, 100000);
  g_assert_cmpint (np_period_summary_get_net (sek), ==, 100000);
}

/* [from, until): a checkout created exactly at from counts, one exactly at until does not. */
static void
test_range_bounds (void)
{
  g_autofree char *path = fixture_ledger_path ("bounds");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "before", .status = "paid", .amount = 1, .created = D0 - 1 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "at-from", .status = "paid", .amount = 10, .created = D0 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "inside", .status = "paid", .amount = 100, .created = D0 + DAY - 1 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "at-until", .status = "paid", .amount = 1000, .created = D0 + DAY });

  totals = np_ledger_get_totals (ledger, account, D0, D0 + DAY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (totals->len, ==, 1);
  g_assert_cmpuint (find_total (totals, 0, NP_CHECKOUT_STATUS_PAID, "SEK")->count, ==, 2);
  g_assert_cmpint (find_total (totals, 0, NP_CHECKOUT_STATUS_PAID, "SEK")->amount, ==, 110);
  g_clear_pointer (&totals, g_ptr_array_unref);

  /* An open start or end. */
  totals = np_ledger_get_totals (ledger, account, 0, D0, &error);
  g_assert_cmpint (find_total (totals, 0, NP_CHECKOUT_STATUS_PAID, "SEK")->amount, ==, 1);
  g_clear_pointer (&totals, g_ptr_array_unref);
  totals = np_ledger_get_totals (ledger, account, D0 + 1, 0, &error);
  g_assert_cmpint (find_total (totals, 0, NP_CHECKOUT_STATUS_PAID, "SEK")->amount, ==, 1100);
  g_clear_pointer (&totals, g_ptr_array_unref);

  /* The daily form keeps the same range and splits it at midnight UTC. */
  totals = np_ledger_get_daily_totals (ledger, account, D0 - DAY, D0 + 2 * DAY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (totals->len, ==, 3);
  g_assert_cmpint (find_total (totals, D0 - DAY, NP_CHECKOUT_STATUS_PAID, "SEK")->amount, ==, 1);
  g_assert_cmpint (find_total (totals, D0, NP_CHECKOUT_STATUS_PAID, "SEK")->amount, ==, 110);
  g_assert_cmpint (find_total (totals, D0 + DAY, NP_CHECKOUT_STATUS_PAID, "SEK")->amount, ==, 1000);
}

/* Checkouts a second either side of midnight UTC (and one before 1970), bucketed
 * in zones from UTC-12 to UTC+14, including half-hour offsets: each must land in
 * the local day GDateTime says it belongs to, and nothing may be lost. */
static void
test_time_zones (void)
{
  static const int offsets[] = { 0, 3600, -3600, 5 * 3600 + 1800, -(9 * 3600 + 1800), 14 * 3600, -12 * 3600, 1 };
  static const gint64 times[] = { D0 - 1, D0, D0 + 1, D0 + DAY - 1800, D0 + DAY + 1800, -1800, 1800 };
  g_autofree char *path = fixture_ledger_path ("zones");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 expected_sum = 0;

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *id = g_strdup_printf ("t%u", i);

      /* One bit per checkout: a bucket's amount says which checkouts it holds. */
      fixture_upsert (ledger, account, &(FixtureCheckout) { .id = id, .status = "paid", .amount = (gint64)1 << (2 * i), .created = times[i] });
      expected_sum += (gint64)1 << (2 * i);
    }

  for (guint o = 0; o < G_N_ELEMENTS (offsets); o++)
    {
      g_autoptr(GPtrArray) totals = np_ledger_get_local_daily_totals (ledger, account, 0, 0, offsets[o], &error);
      g_autoptr(GHashTable) expected = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      gint64 sum = 0;

      g_assert_no_error (error);
      for (guint i = 0; i < G_N_ELEMENTS (times); i++)
        {
          gint64 day = local_day_start (times[i], offsets[o]);
          gint64 *amount = g_hash_table_lookup (expected, &day);

          if (amount == NULL)
            {
              amount = g_new0 (gint64, 1);
              g_hash_table_insert (expected, g_memdup2 (&day, sizeof day), amount);
            }
          *amount += (gint64)1 << (2 * i);
        }

      g_test_message ("offset %d: %u days", offsets[o], totals->len);
      g_assert_cmpuint (totals->len, ==, g_hash_table_size (expected));
      for (guint i = 0; i < totals->len; i++)
        {
          const NpStatusTotal *total = g_ptr_array_index (totals, i);
          gint64 *amount = g_hash_table_lookup (expected, &total->day);

          g_assert_nonnull (amount);
          g_assert_cmpint (total->amount, ==, *amount);
          g_assert_cmpint (total->status, ==, NP_CHECKOUT_STATUS_PAID);
          sum += total->amount;
        }
      g_assert_cmpint (sum, ==, expected_sum);
    }

  /* The UTC form is the zero offset. */
  {
    g_autoptr(GPtrArray) utc = np_ledger_get_daily_totals (ledger, account, 0, 0, &error);
    g_autoptr(GPtrArray) zero = np_ledger_get_local_daily_totals (ledger, account, 0, 0, 0, &error);

    g_assert_cmpuint (utc->len, ==, zero->len);
    for (guint i = 0; i < utc->len; i++)
      {
        const NpStatusTotal *a = g_ptr_array_index (utc, i);
        const NpStatusTotal *b = g_ptr_array_index (zero, i);

        g_assert_cmpint (a->day, ==, b->day);
        g_assert_cmpint (a->amount, ==, b->amount);
      }
  }
}

/* The chart's days: a local week in UTC+2 with gaps filled with zeros, refunds
 * on the day the checkout was created, other currencies left out. */
static void
test_day_amounts (void)
{
  const int offset = 2 * 3600;
  const gint64 first_day = D0 - offset;  /* local midnight of D0's date in UTC+2 */
  g_autofree char *path = fixture_ledger_path ("days");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GArray) days = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  NpDayAmounts *day;

  /* 22:30 UTC on D0 is 00:30 on the next local day. */
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "late", .status = "paid", .amount = 300, .created = D0 + 22 * 3600 + 1800 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "early", .status = "partialRefund", .amount = 1000, .refunded = 250, .created = D0 + 3600 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "open", .status = "reserved", .amount = 5000, .created = D0 + 3600 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "euro", .status = "paid", .amount = 4000, .currency = "EUR", .created = D0 + 3600 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "last", .status = "refunded", .amount = 700, .refunded = 700, .created = D0 + 6 * DAY });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "outside", .status = "paid", .amount = 9, .created = D0 + 7 * DAY });

  totals = np_ledger_get_local_daily_totals (ledger, account, first_day, first_day + 7 * DAY, offset, &error);
  g_assert_no_error (error);
  days = np_overview_day_amounts (totals, "SEK", first_day, 7);
  g_assert_cmpuint (days->len, ==, 7);

  day = &g_array_index (days, NpDayAmounts, 0);
  g_assert_cmpint (day->day, ==, first_day);
  g_assert_cmpint (day->paid, ==, 1000);
  g_assert_cmpint (day->refunded, ==, 250);
  day = &g_array_index (days, NpDayAmounts, 1);
  g_assert_cmpint (day->day, ==, first_day + DAY);
  g_assert_cmpint (day->paid, ==, 300);
  g_assert_cmpint (day->refunded, ==, 0);
  for (guint i = 2; i < 6; i++)
    {
      day = &g_array_index (days, NpDayAmounts, i);
      g_assert_cmpint (day->paid, ==, 0);
      g_assert_cmpint (day->refunded, ==, 0);
    }
  day = &g_array_index (days, NpDayAmounts, 6);
  g_assert_cmpint (day->paid, ==, 700);
  g_assert_cmpint (day->refunded, ==, 700);
}

/* The Overview reads its period totals from the daily rows (one query, not
 * two): summing them must give what the plain totals give, in any zone. */
static void
test_daily_sum_matches (void)
{
  static const int offsets[] = { 0, 3600, -7 * 3600, 5 * 3600 + 1800 };
  static const char * const statuses[] = { "paid", "partialRefund", "refunded", "created", "reserved", "canceled" };
  g_autofree char *path = fixture_ledger_path ("daily-sum");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%u", i);
      const char *status = statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))];
      gint64 amount = g_rand_int_range (rand, 100, 100000);
      gint64 refunded = g_str_equal (status, "refunded") ? amount : (g_str_equal (status, "partialRefund") ? amount / 3 : 0);

      fixture_upsert (ledger, account, &(FixtureCheckout) {
        .id = id, .status = status, .amount = amount, .refunded = refunded,
        .currency = g_rand_boolean (rand) ? "SEK" : "EUR",
        .created = D0 + g_rand_int_range (rand, -3 * DAY, 10 * DAY) });
    }

  for (guint o = 0; o < G_N_ELEMENTS (offsets); o++)
    {
      gint64 from = D0 - offsets[o];
      gint64 until = from + 7 * DAY;
      g_autoptr(GPtrArray) totals = np_ledger_get_totals (ledger, account, from, until, &error);
      g_autoptr(GPtrArray) daily = np_ledger_get_local_daily_totals (ledger, account, from, until, offsets[o], &error);
      g_autoptr(GPtrArray) a = NULL;
      g_autoptr(GPtrArray) b = NULL;

      g_assert_no_error (error);
      a = np_overview_summarize (totals);
      b = np_overview_summarize (daily);
      g_assert_cmpuint (a->len, ==, 2);
      g_assert_cmpuint (a->len, ==, b->len);
      for (guint i = 0; i < a->len; i++)
        {
          const NpPeriodSummary *x = g_ptr_array_index (a, i);
          const NpPeriodSummary *y = g_ptr_array_index (b, i);

          g_assert_cmpstr (x->currency, ==, y->currency);
          g_assert_cmpuint (x->count, ==, y->count);
          g_assert_cmpint (x->paid, ==, y->paid);
          g_assert_cmpint (x->refunded, ==, y->refunded);
          g_assert_cmpmem (x->n_status, sizeof x->n_status, y->n_status, sizeof y->n_status);
        }
    }
}

/* The worker-thread form runs the same statement on its own connection: same
 * rows, same order, and it sees what the main thread has committed. */
static void
test_async_matches (void)
{
  static const int offsets[] = { 0, 3600, -5 * 3600, 14 * 3600 };
  g_autofree char *path = fixture_ledger_path ("async");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 other = fixture_add_account (ledger, "Other", NP_ENVIRONMENT_TEST);

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *id = g_strdup_printf ("a%u", i);

      fixture_upsert (ledger, i % 5 == 0 ? other : account, &(FixtureCheckout) {
        .id = id, .status = g_rand_boolean (rand) ? "paid" : "partialRefund",
        .amount = g_rand_int_range (rand, 100, 9000), .refunded = g_rand_int_range (rand, 0, 100),
        .currency = g_rand_boolean (rand) ? "SEK" : "NOK",
        .created = D0 + g_rand_int_range (rand, -2 * DAY, 5 * DAY) });
    }

  for (guint o = 0; o < G_N_ELEMENTS (offsets); o++)
    {
      g_autoptr(GPtrArray) sync = np_ledger_get_local_daily_totals (ledger, account, D0 - DAY, D0 + 3 * DAY, offsets[o], &error);
      g_autoptr(GPtrArray) async = NULL;
      g_autoptr(GAsyncResult) result = NULL;

      g_assert_no_error (error);
      np_ledger_get_local_daily_totals_async (ledger, account, D0 - DAY, D0 + 3 * DAY, offsets[o], NULL,
                                              np_test_store_result, &result);
      async = np_ledger_get_local_daily_totals_finish (ledger, np_test_wait_result (&result, 10000), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sync->len, >, 4);
      g_assert_cmpuint (async->len, ==, sync->len);
      for (guint i = 0; i < sync->len; i++)
        {
          const NpStatusTotal *a = g_ptr_array_index (sync, i);
          const NpStatusTotal *b = g_ptr_array_index (async, i);

          g_assert_cmpint (a->day, ==, b->day);
          g_assert_cmpint (a->status, ==, b->status);
          g_assert_cmpstr (a->status_text, ==, b->status_text);
          g_assert_cmpstr (a->currency, ==, b->currency);
          g_assert_cmpuint (a->count, ==, b->count);
          g_assert_cmpint (a->amount, ==, b->amount);
          g_assert_cmpint (a->refunded, ==, b->refunded);
        }
    }

  /* A cancelled request ends with G_IO_ERROR_CANCELLED. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) none = NULL;

    g_cancellable_cancel (cancellable);
    np_ledger_get_local_daily_totals_async (ledger, account, 0, 0, 0, cancellable, np_test_store_result, &result);
    none = np_ledger_get_local_daily_totals_finish (ledger, np_test_wait_result (&result, 10000), &error);
    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

int
main (int argc, char **argv)
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/ledger/totals/partial-refunds", test_partial_refunds);
  g_test_add_func ("/ledger/totals/currencies", test_currencies);
  g_test_add_func ("/ledger/totals/range-bounds", test_range_bounds);
  g_test_add_func ("/ledger/totals/time-zones", test_time_zones);
  g_test_add_func ("/ledger/totals/day-amounts", test_day_amounts);
  g_test_add_func ("/ledger/totals/daily-sum-matches", test_daily_sum_matches);
  g_test_add_func ("/ledger/totals/async-matches", test_async_matches);

  return g_test_run ();
}
