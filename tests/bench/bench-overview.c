/* bench-overview.c — what the Overview asks the ledger, at 1,000,000 checkouts:
 * the period totals (today, 7, 30 and 365 local days, here and in other zones:
 * UTC+2, UTC-5, UTC+5:30, UTC+12) and the four "Needs
 * attention" lists (count and first rows, as the page's sliced list models do).
 * Figures are printed (median and worst of several runs), not asserted.
 *
 *   meson test -C _build --suite bench bench-overview --verbose
 *   NP_BENCH_SIZES=100000 ./tests/bench/bench-overview
 */
#include <stdio.h>

#include "np-checkout-list-model.h"
#include "np-journal-list-model.h"
#include "np-ledger.h"
#include "np-test-utils.h"

#define BATCH 20000
#define RUNS 7
#define SHOWN 5

static const char * const statuses[] = {
  "paid", "paid", "paid", "paid", "created", "reserved", "refunded", "partialRefund", "failed", "canceled",
};

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return x < y ? -1 : (x > y ? 1 : 0);
}

/* Checkouts created over the last year up to now, so every period has data. */
static gint64
generate (NpLedger *ledger,
          guint     n)
{
  g_autoptr(NpAccount) account = np_account_new ("Bench", "https://api.neuro-admin.com", NP_ENVIRONMENT_TEST);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  np_ledger_add_account (ledger, account, &error);
  g_assert_no_error (error);

  for (guint done = 0; done < n; done += BATCH)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = done; i < MIN (done + BATCH, n); i++)
        {
          g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (now - g_rand_int_range (rand, 0, 365 * 86400));
          g_autofree char *created_text = g_date_time_format_iso8601 (created);
          const char *status = statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))];
          gint32 amount = g_rand_int_range (rand, 100, 500000);
          g_autofree char *json = NULL;

          json = g_strdup_printf ("{\"checkout_id\":\"%08x%08x%08x\",\"status\":\"%s\",\"amount\":%d,"
                                  "\"refunded_amount\":%d,\"currency\":\"%s\",\"created\":\"%s\",\"updated\":\"%s\"}",
                                  g_rand_int (rand), g_rand_int (rand), i, status, amount,
                                  g_str_equal (status, "refunded") ? amount : (g_str_equal (status, "partialRefund") ? amount / 4 : 0),
                                  g_rand_int_range (rand, 0, 5) ? "SEK" : "EUR", created_text, created_text);
          g_ptr_array_add (batch, np_checkout_new_from_data (json, -1, &error));
          g_assert_no_error (error);
        }

      np_ledger_upsert_checkouts (ledger, np_account_get_id (account), batch, &error);
      g_assert_no_error (error);
    }

  return np_account_get_id (account);
}

static void
report (const char *what,
        GArray     *times)
{
  g_array_sort (times, compare_doubles);
  printf ("  %-44s median %8.2f ms   worst %8.2f ms\n", what,
          g_array_index (times, double, times->len / 2), g_array_index (times, double, times->len - 1));
}

/* The local days ending with today's, in the zone @zone_offset seconds east of
 * UTC (G_MININT: this machine's zone), as the Overview asks for them. */
static void
bench_totals (NpLedger *ledger,
              gint64    account,
              guint     days,
              int       zone_offset)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GTimeZone) zone = zone_offset == G_MININT ? g_time_zone_new_local () : g_time_zone_new_offset (zone_offset);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) midnight = g_date_time_new (zone, g_date_time_get_year (now), g_date_time_get_month (now),
                                                   g_date_time_get_day_of_month (now), 0, 0, 0);
  int offset = (int)(g_date_time_get_utc_offset (now) / G_TIME_SPAN_SECOND);
  gint64 until = g_date_time_to_unix (midnight) + 86400;
  gint64 from = until - (gint64)days * 86400;
  g_autofree char *what = g_strdup_printf ("totals per local day, %u days, UTC%+.2g", days, offset / 3600.0);
  guint rows = 0;

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GPtrArray) totals = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      totals = np_ledger_get_local_daily_totals (ledger, account, from, until, offset, &error);
      ms = ms_since (start);
      g_assert_no_error (error);
      rows = totals->len;
      g_array_append_val (times, ms);
    }

  report (what, times);
  printf ("  %-44s %u rows\n", "", rows);
}

/* A list model for the query, its count, and the first rows, as the page shows them. */
static void
bench_list (NpLedger              *ledger,
            gint64                 account,
            const char            *what,
            const NpCheckoutQuery *query)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint n = 0;

  for (guint run = 0; run < RUNS; run++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(NpCheckoutListModel) model = np_checkout_list_model_new (ledger, account, query);
      double ms;

      n = g_list_model_get_n_items (G_LIST_MODEL (model));
      for (guint i = 0; i < MIN (n, SHOWN); i++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
      ms = ms_since (start);
      g_array_append_val (times, ms);
    }

  report (what, times);
  printf ("  %-44s %u matches\n", "", n);
}

static void
bench_size (guint n)
{
  g_autofree char *path = g_strdup_printf ("%s/bench-overview-%u.db", np_test_get_home (), n);
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(NpCheckoutQuery) awaiting = np_checkout_query_new_awaiting_capture ();
  g_autoptr(NpCheckoutQuery) stale = np_checkout_query_new_stale_created (g_get_real_time () / G_USEC_PER_SEC, 24);
  g_autoptr(NpCheckoutQuery) failed = np_checkout_query_new_refresh_failed ();
  g_autoptr(GError) error = NULL;
  gint64 account;
  gint64 start;

  ledger = np_ledger_open (path, &error);
  g_assert_no_error (error);
  printf ("%u checkouts\n", n);
  start = g_get_monotonic_time ();
  account = generate (ledger, n);
  {
    double ms = ms_since (start);

    /* The triggers that keep the totals run in every upsert: this is their cost too. */
    printf ("  %-44s %8.0f ms (%.0f checkouts/s)\n", "building the ledger", ms, n / (ms / 1000.0));
  }

  /* The first list loads the account's search index; the page pays that once,
   * usually in the worker np_ledger_prepare_account_async () starts. */
  start = g_get_monotonic_time ();
  {
    g_autoptr(NpCheckoutListModel) first = np_checkout_list_model_new (ledger, account, awaiting);

    g_list_model_get_n_items (G_LIST_MODEL (first));
  }
  printf ("  %-44s %8.0f ms\n", "loading the search index (once)", ms_since (start));

  bench_totals (ledger, account, 1, G_MININT);
  bench_totals (ledger, account, 7, G_MININT);
  bench_totals (ledger, account, 30, G_MININT);
  bench_totals (ledger, account, 365, G_MININT);
  /* The day rows are split between local days by moving buckets: the cost
   * grows with the offset's distance from a whole day (worst at 12 hours). */
  bench_totals (ledger, account, 365, 2 * 3600);
  bench_totals (ledger, account, 365, -5 * 3600);
  bench_totals (ledger, account, 365, 5 * 3600 + 1800);
  bench_totals (ledger, account, 365, 12 * 3600);
  bench_totals (ledger, account, 30, 12 * 3600);
  bench_list (ledger, account, "reserved, awaiting capture", awaiting);
  bench_list (ledger, account, "created more than a day ago", stale);
  bench_list (ledger, account, "last refresh failed", failed);
}

int
main (int   argc,
      char *argv[])
{
  const char *sizes = g_getenv ("NP_BENCH_SIZES");
  g_auto(GStrv) list = g_strsplit (sizes ? sizes : "1000000", ",", -1);

  np_test_init (&argc, &argv);

  for (guint i = 0; list[i] != NULL; i++)
    bench_size ((guint)g_ascii_strtoull (list[i], NULL, 10));

  return 0;
}
