/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-overview.c — what the Overview asks the ledger, at 1,000,000 checkouts:
 * the period totals (today, 7, 30 and 365 local days, here and in other zones:
 * UTC+2, UTC-5, UTC+5:30, UTC+12) and the three "Needs attention" lists (count
 * and first rows, as the page's sliced list models do).
 *
 * Each is a figure (np-bench-figures.h, median and worst of RUNS runs) with the
 * target of RESULTS.md's "Overview totals ... instant": 100 ms, what a person
 * takes as instant, for the totals (read in a worker, np-ledger-totals-async.h);
 * a frame, 16 ms, for the lists, which the page builds on the main thread. And
 * each answer is checked: the totals against sums of the generated checkouts
 * kept aside while generating (by local day, status and currency), the lists'
 * counts against the generated checkouts that must be on them. A query that
 * answers wrong, or nothing, fails the bench however fast it was.
 *
 *   meson test -C _build --suite bench bench-overview --verbose
 *   NP_BENCH_SIZES=100000 ./tests/bench/bench-overview
 */
#include <stdio.h>

#include "np-bench-figures.h"
#include "np-checkout-list-model.h"
#include "np-journal-list-model.h"
#include "np-ledger.h"
#include "np-test-utils.h"

#define BATCH 20000
#define RUNS 7
#define SHOWN 5
#define TOTALS_TARGET_MS 100.0
#define LIST_TARGET_MS 16.0
/* One checkout in this many had its last refresh fail. */
#define FAILED_EVERY 1000

static const char * const statuses[] = {
  "paid", "paid", "paid", "paid", "created", "reserved", "refunded", "partialRefund", "failed", "canceled",
};
static const char * const currencies[] = { "SEK", "EUR" };

/* What the generator made, kept aside to check the ledger's answers with. */
typedef struct {
  gint64  created;
  gint32  amount;
  gint32  refunded;
  guint8  status;    /* in statuses */
  guint8  currency;  /* in currencies */
} Generated;

typedef struct {
  GArray *checkouts;  /* of Generated */
  guint   n_failed;   /* checkouts whose last refresh failed */
} Ledger;

/* Checkouts created over the last year up to now, so every period has data;
 * every FAILED_EVERY-th one's last refresh failed. */
static gint64
generate (NpLedger *ledger,
          guint     n,
          Ledger   *out)
{
  g_autoptr(NpAccount) account = np_account_new ("Bench", "https://api.neuro-admin.com", NP_ENVIRONMENT_TEST);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  np_ledger_add_account (ledger, account, &error);
  g_assert_no_error (error);
  out->checkouts = g_array_sized_new (FALSE, FALSE, sizeof (Generated), n);
  out->n_failed = 0;

  for (guint done = 0; done < n; done += BATCH)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) failed = g_ptr_array_new_with_free_func (g_free);

      for (guint i = done; i < MIN (done + BATCH, n); i++)
        {
          Generated g;
          g_autoptr(GDateTime) created = NULL;
          g_autofree char *created_text = NULL;
          g_autofree char *id = NULL;
          g_autofree char *json = NULL;

          g.created = now - g_rand_int_range (rand, 0, 365 * 86400);
          created = g_date_time_new_from_unix_utc (g.created);
          created_text = g_date_time_format_iso8601 (created);
          g.status = g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses));
          g.amount = g_rand_int_range (rand, 100, 500000);
          g.refunded = g_str_equal (statuses[g.status], "refunded")
                         ? g.amount : (g_str_equal (statuses[g.status], "partialRefund") ? g.amount / 4 : 0);
          id = g_strdup_printf ("%08x%08x%08x", g_rand_int (rand), g_rand_int (rand), i);
          g.currency = g_rand_int_range (rand, 0, 5) ? 0 : 1;
          json = g_strdup_printf ("{\"checkout_id\":\"%s\",\"status\":\"%s\",\"amount\":%d,"
                                  "\"refunded_amount\":%d,\"currency\":\"%s\",\"created\":\"%s\",\"updated\":\"%s\"}",
                                  id, statuses[g.status], g.amount, g.refunded, currencies[g.currency],
                                  created_text, created_text);
          g_ptr_array_add (batch, np_checkout_new_from_data (json, -1, &error));
          g_assert_no_error (error);
          g_array_append_val (out->checkouts, g);
          if (i % FAILED_EVERY == FAILED_EVERY / 2)
            g_ptr_array_add (failed, g_steal_pointer (&id));
        }

      np_ledger_upsert_checkouts (ledger, np_account_get_id (account), batch, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < failed->len; i++)
        {
          np_ledger_record_checkout_failure (ledger, np_account_get_id (account), failed->pdata[i],
                                             "bench: HTTP 503", &error);
          g_assert_no_error (error);
        }
      out->n_failed += failed->len;
    }

  return np_account_get_id (account);
}

typedef struct {
  guint  count;
  gint64 amount;
  gint64 refunded;
} Sum;

static char *
group_key (gint64      day,
           const char *status,
           const char *currency)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT " %s %s", day, status ? status : "(none)", currency ? currency : "(none)");
}

/* The totals the ledger must give for [@from, @until) by local day (@offset
 * seconds east of UTC), status and currency: the generated checkouts added up
 * one by one, with no bucket, trigger or SQL. */
static GHashTable *
expected_totals (const Ledger *ledger,
                 gint64        from,
                 gint64        until,
                 int           offset)
{
  GHashTable *sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < ledger->checkouts->len; i++)
    {
      const Generated *g = &g_array_index (ledger->checkouts, Generated, i);
      gint64 local = g->created + offset;
      gint64 day = local - ((local % 86400) + 86400) % 86400 - offset;
      char *key;
      Sum *sum;

      if (g->created < from || g->created >= until)
        continue;
      key = group_key (day, statuses[g->status], currencies[g->currency]);
      sum = g_hash_table_lookup (sums, key);
      if (sum == NULL)
        g_hash_table_insert (sums, key, (sum = g_new0 (Sum, 1)));
      else
        g_free (key);
      sum->count++;
      sum->amount += g->amount;
      sum->refunded += g->refunded;
    }

  return sums;
}

/* Fails the bench, naming @figure, unless @totals (of NpStatusTotal) are @expected. */
static void
check_totals (NpBenchFigure *figure,
              GPtrArray     *totals,
              GHashTable    *expected)
{
  if (totals->len != g_hash_table_size (expected))
    g_error ("figure \"%s\": %u groups of day, status and currency, but the generated checkouts make %u",
             figure->name, totals->len, g_hash_table_size (expected));

  for (guint i = 0; i < totals->len; i++)
    {
      const NpStatusTotal *total = totals->pdata[i];
      g_autofree char *key = group_key (total->day, total->status_text, total->currency);
      const Sum *sum = g_hash_table_lookup (expected, key);

      if (sum == NULL)
        g_error ("figure \"%s\": a group %s that no generated checkout is in", figure->name, key);
      if (total->count != sum->count || total->amount != sum->amount || total->refunded != sum->refunded)
        g_error ("figure \"%s\": %s: %u checkouts, %" G_GINT64_FORMAT " minor units (%" G_GINT64_FORMAT
                 " refunded), but the generated ones add up to %u, %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT ")",
                 figure->name, key, total->count, total->amount, total->refunded,
                 sum->count, sum->amount, sum->refunded);
    }
}

/* The local days ending with today's, in the zone @zone_offset seconds east of
 * UTC (G_MININT: this machine's zone), as the Overview asks for them. */
static void
bench_totals (NpLedger     *ledger,
              gint64        account,
              const Ledger *generated,
              guint         days,
              int           zone_offset)
{
  g_autoptr(GTimeZone) zone = zone_offset == G_MININT ? g_time_zone_new_local () : g_time_zone_new_offset (zone_offset);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) midnight = g_date_time_new (zone, g_date_time_get_year (now), g_date_time_get_month (now),
                                                   g_date_time_get_day_of_month (now), 0, 0, 0);
  int offset = (int)(g_date_time_get_utc_offset (now) / G_TIME_SPAN_SECOND);
  gint64 until = g_date_time_to_unix (midnight) + 86400;
  gint64 from = until - (gint64)days * 86400;
  g_autofree char *name = g_strdup_printf ("Overview totals per local day, %u days, UTC%+.2g%s, %u checkouts",
                                           days, offset / 3600.0, zone_offset == G_MININT ? " (here)" : "",
                                           generated->checkouts->len);
  g_autoptr(NpBenchFigure) figure = np_bench_figure_new (name, "ms", NP_BENCH_AT_MOST, TOTALS_TARGET_MS);
  g_autoptr(GHashTable) expected = expected_totals (generated, from, until, offset);
  guint rows = 0;

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GPtrArray) totals = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      totals = np_ledger_get_local_daily_totals (ledger, account, from, until, offset, &error);
      ms = np_bench_ms_since (start);
      g_assert_no_error (error);
      check_totals (figure, totals, expected);
      rows = totals->len;
      np_bench_figure_add (figure, ms);
    }

  printf ("# %s: %u rows, as the generated checkouts add up\n", name, rows);
  np_bench_figure_report (figure);
}

/* A list model for the query, its count, and the first rows, as the page shows
 * them; the count must be @expected. */
static void
bench_list (NpLedger              *ledger,
            gint64                 account,
            const char            *what,
            const NpCheckoutQuery *query,
            guint                  n_checkouts,
            guint                  expected)
{
  g_autofree char *name = g_strdup_printf ("Overview list: %s, %u checkouts", what, n_checkouts);
  g_autoptr(NpBenchFigure) figure = np_bench_figure_new (name, "ms", NP_BENCH_AT_MOST, LIST_TARGET_MS);

  for (guint run = 0; run < RUNS; run++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(NpCheckoutListModel) model = np_checkout_list_model_new (ledger, account, query);
      guint n;
      double ms;

      n = g_list_model_get_n_items (G_LIST_MODEL (model));
      for (guint i = 0; i < MIN (n, SHOWN); i++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
      ms = np_bench_ms_since (start);
      if (n != expected)
        g_error ("figure \"%s\": %u checkouts listed, but %u of the generated ones belong there",
                 name, n, expected);
      np_bench_figure_add (figure, ms);
    }

  printf ("# %s: %u matches, as generated\n", name, expected);
  np_bench_figure_report (figure);
}

/* How many generated checkouts have @status and were created before @before
 * (0: any time). */
static guint
count_generated (const Ledger *generated,
                 const char   *status,
                 gint64        before)
{
  guint n = 0;

  for (guint i = 0; i < generated->checkouts->len; i++)
    {
      const Generated *g = &g_array_index (generated->checkouts, Generated, i);

      if (g_str_equal (statuses[g->status], status) && (before == 0 || g->created < before))
        n++;
    }

  return n;
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
  Ledger generated = { NULL, 0 };
  gint64 account;
  gint64 start;

  ledger = np_ledger_open (path, &error);
  g_assert_no_error (error);
  printf ("%u checkouts\n", n);
  start = g_get_monotonic_time ();
  account = generate (ledger, n, &generated);
  {
    double ms = np_bench_ms_since (start);

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
  printf ("  %-44s %8.0f ms\n", "loading the search index (once)", np_bench_ms_since (start));

  bench_totals (ledger, account, &generated, 1, G_MININT);
  bench_totals (ledger, account, &generated, 7, G_MININT);
  bench_totals (ledger, account, &generated, 30, G_MININT);
  bench_totals (ledger, account, &generated, 365, G_MININT);
  /* The day rows are split between local days by moving buckets: the cost
   * grows with the offset's distance from a whole day (worst at 12 hours). */
  bench_totals (ledger, account, &generated, 365, 2 * 3600);
  bench_totals (ledger, account, &generated, 365, -5 * 3600);
  bench_totals (ledger, account, &generated, 365, 5 * 3600 + 1800);
  bench_totals (ledger, account, &generated, 365, 12 * 3600);
  bench_totals (ledger, account, &generated, 30, 12 * 3600);
  bench_list (ledger, account, "reserved, awaiting capture", awaiting, n,
              count_generated (&generated, "reserved", 0));
  bench_list (ledger, account, "created more than a day ago", stale, n,
              count_generated (&generated, "created", stale->created_until));
  bench_list (ledger, account, "last refresh failed", failed, n, generated.n_failed);

  g_array_unref (generated.checkouts);
}

int
main (int   argc,
      char *argv[])
{
  const char *sizes = g_getenv ("NP_BENCH_SIZES");
  g_auto(GStrv) list = g_strsplit (sizes ? sizes : "1000000", ",", -1);

  np_test_init (&argc, &argv);
  np_bench_drop_debug_messages ();

  for (guint i = 0; list[i] != NULL; i++)
    bench_size ((guint)g_ascii_strtoull (list[i], NULL, 10));

  return np_bench_figures_exit_status ();
}
