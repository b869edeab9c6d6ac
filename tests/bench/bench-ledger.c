/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-ledger.c — how NpLedger and its checkout list model hold up at 100,000
 * and 1,000,000 checkouts: building the ledger, opening it and loading the
 * search index, search-as-you-type ("order-42" typed letter by letter: count and
 * first page per keystroke) and sorting. Times are figures (np-bench-figures.h);
 * every count the model gives is checked against a plain SQL count of the
 * ledger (np_bench_count_matches ()), so a search that finds too little, and so
 * is fast, fails.
 *
 * The first keystroke after start is measured in fresh processes: this program
 * run again with --first-keystroke LEDGER ACCOUNT opens the ledger as the console
 * does at start (open, the index loaded by a worker, the first list and its first
 * page), then times the first search keystroke ("o": count and first page); p95
 * over FRESH_STARTS processes. The OS's page cache stays as it is (it holds the
 * file after the generation, as it would on a desk that used the console today);
 * nothing of the process is warm.
 *
 *   meson test -C _build --suite bench bench-ledger --verbose
 *   NP_BENCH_SIZES=100000 ./tests/bench/bench-ledger      (one size only)
 */
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <stdio.h>
#include <string.h>

#include "np-checkout-list-model.h"
#include "np-bench-figures.h"
#include "np-bench-ledger-gen.h"
#include "np-ledger.h"
#include "np-test-utils.h"

#define TYPING_RUNS 5
#define FIRST_PAGE 50
#define FRESH_STARTS 10

static const char *self_path;

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

static double
percentile (GArray *sorted,
            double  p)
{
  guint index = MIN (sorted->len - 1, (guint)(p * sorted->len));

  return g_array_index (sorted, double, index);
}

/* The seeded ledger of the benches (np-bench-ledger-gen.h) for a new account. */
static gint64
generate (NpLedger *ledger,
          guint     n)
{
  g_autoptr(NpAccount) account = np_account_new ("Bench", "https://api.neuro-admin.com", NP_ENVIRONMENT_TEST);
  g_autoptr(GError) error = NULL;

  np_ledger_add_account (ledger, account, &error);
  g_assert_no_error (error);
  np_bench_fill_ledger (ledger, np_account_get_id (account), n);

  return np_account_get_id (account);
}

/* Sets @query and reads the first page: what one keystroke costs a view. */
static double
apply_query (NpCheckoutListModel   *model,
             const NpCheckoutQuery *query,
             guint                 *out_count)
{
  gint64 start = g_get_monotonic_time ();
  guint n;

  np_checkout_list_model_set_query (model, query);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint i = 0; i < MIN (n, FIRST_PAGE); i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));

  if (out_count != NULL)
    *out_count = n;
  return ms_since (start);
}

/* In a fresh process (--first-keystroke): start as the console does, then the
 * first keystroke. Prints "first-keystroke MS set-query MS first-page MS rows N". */
static int
first_keystroke_child (const char *path,
                       gint64      account)
{
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(NpCheckoutListModel) model = NULL;
  g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
  g_autoptr(GAsyncResult) prepared = NULL;
  g_autoptr(GError) error = NULL;
  struct rusage before, after;
  gint64 start;
  double set_ms, total_ms, again_ms;
  guint n;

  ledger = np_ledger_open (path, &error);
  g_assert_no_error (error);
  np_ledger_prepare_account_async (ledger, account, NULL, np_test_store_result, &prepared);
  np_test_wait_result (&prepared, 600000);
  np_ledger_prepare_account_finish (ledger, prepared, &error);
  g_assert_no_error (error);
  model = np_checkout_list_model_new (ledger, account, NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint i = 0; i < MIN (n, FIRST_PAGE); i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
  /* What the console does once the list is up, before anyone types. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  np_checkout_query_set_text (query, "o");
  getrusage (RUSAGE_SELF, &before);
  start = g_get_monotonic_time ();
  np_checkout_list_model_set_query (model, query);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  set_ms = ms_since (start);
  for (guint i = 0; i < MIN (n, FIRST_PAGE); i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
  total_ms = ms_since (start);
  getrusage (RUSAGE_SELF, &after);

  /* The same keystroke again, once the search has run (another needle between,
   * so that it is searched again, not the last search's answer). */
  np_checkout_query_set_text (query, "p");
  np_checkout_list_model_set_query (model, query);
  np_checkout_query_set_text (query, "o");
  start = g_get_monotonic_time ();
  np_checkout_list_model_set_query (model, query);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint i = 0; i < MIN (n, FIRST_PAGE); i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
  again_ms = ms_since (start);

  printf ("first-keystroke %.3f set-query %.3f first-page %.3f rows %u faults %ld again %.3f\n",
          total_ms, set_ms, total_ms - set_ms, n, after.ru_minflt - before.ru_minflt, again_ms);
  return 0;
}

static void
bench_first_keystroke (const char *path,
                       gint64      account,
                       guint       n)
{
  g_autofree char *figure_name = g_strdup_printf ("first search keystroke after start, %u checkouts, "
                                                  "p95 of %d fresh processes", n, FRESH_STARTS);
  g_autoptr(NpBenchFigure) figure = np_bench_figure_new (figure_name, "ms", NP_BENCH_AT_MOST,
                                                         n >= 1000000 ? 50.0 : 16.0);
  g_autoptr(GArray) firsts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *account_text = g_strdup_printf ("%" G_GINT64_FORMAT, account);
  guint expected;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(NpLedger) ledger = np_ledger_open (path, &error);

    g_assert_no_error (error);
    expected = np_bench_count_matches (ledger, account, "o", NULL, 0);
  }

  for (guint run = 0; run < FRESH_STARTS; run++)
    {
      const char *argv[] = { self_path, "--first-keystroke", path, account_text, NULL };
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      double total = 0, set = 0, page = 0;
      guint rows = 0;
      long faults = 0;
      double again = 0;
      int status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                   &out, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, &error));
      if (sscanf (out, "first-keystroke %lf set-query %lf first-page %lf rows %u faults %ld again %lf",
                  &total, &set, &page, &rows, &faults, &again) != 6)
        g_error ("the fresh process said: %s", out);
      np_bench_check_count ("the first keystroke \"o\" in a fresh process", rows, expected);
      printf ("# first keystroke run %u: %.2f ms (query and count %.2f ms, first page %.2f ms), "
              "%ld page faults; the same keystroke again %.2f ms\n", run + 1, total, set, page, faults, again);
      g_array_append_val (firsts, total);
    }
  np_bench_figure_add (figure, np_bench_percentile (firsts, 0.95));
  np_bench_figure_set_baseline (figure, "median of the %d: %.2f ms", FRESH_STARTS,
                                np_bench_percentile (firsts, 0.5));
  np_bench_figure_report (figure);
}

static void
bench_size (guint n)
{
  g_autofree char *dir = g_dir_make_tmp ("np-bench-ledger-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ledger.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(NpCheckoutListModel) model = NULL;
  g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
  g_autoptr(GArray) keystrokes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GAsyncResult) prepared = NULL;
  g_autoptr(GError) error = NULL;
  const char *typed = "order-4242";
  guint expected[16];
  g_autofree char *figure_name = g_strdup_printf ("search keystroke p95, %u checkouts (model)", n);
  g_autoptr(NpBenchFigure) figure = np_bench_figure_new (figure_name, "ms", NP_BENCH_AT_MOST,
                                                         n >= 1000000 ? 50.0 : 8.0);
  double rss_before, generate_ms, open_ms, load_ms;
  guint count = 0;
  gint64 account;
  gint64 start;
  GStatBuf info;

  printf ("\n== %u checkouts ==\n", n);

  start = g_get_monotonic_time ();
  ledger = np_ledger_open (path, &error);
  g_assert_no_error (error);
  account = generate (ledger, n);
  generate_ms = ms_since (start);
  g_clear_object (&ledger);
  g_stat (path, &info);
  printf ("generate (JSON -> NpCheckout -> upsert, %u a transaction): %.1f s, file %.1f MiB\n",
          NP_BENCH_BATCH, generate_ms / 1000.0, info.st_size / (1024.0 * 1024.0));

  /* The first keystroke of fresh processes, before this one warms anything. */
  bench_first_keystroke (path, account, n);

  /* Cold start: open, load the search index in a worker, then the first list. */
  rss_before = np_bench_rss_mib (0);
  start = g_get_monotonic_time ();
  ledger = np_ledger_open (path, &error);
  g_assert_no_error (error);
  open_ms = ms_since (start);
  start = g_get_monotonic_time ();
  np_ledger_prepare_account_async (ledger, account, NULL, np_test_store_result, &prepared);
  np_test_wait_result (&prepared, 600000);
  np_ledger_prepare_account_finish (ledger, prepared, &error);
  g_assert_no_error (error);
  load_ms = ms_since (start);
  start = g_get_monotonic_time ();
  model = np_checkout_list_model_new (ledger, account, NULL);
  printf ("open: %.1f ms; search index load (worker thread): %.0f ms, index memory ~%.0f MiB; "
          "first list: %.1f ms, %u rows\n",
          open_ms, load_ms, np_bench_rss_mib (0) - rss_before, ms_since (start),
          g_list_model_get_n_items (G_LIST_MODEL (model)));
  expected[0] = np_bench_count_matches (ledger, account, NULL, NULL, 0);
  np_bench_check_count ("the first list", g_list_model_get_n_items (G_LIST_MODEL (model)), expected[0]);
  g_assert_cmpuint (strlen (typed), <, G_N_ELEMENTS (expected));
  for (guint length = 1; length <= strlen (typed); length++)
    {
      g_autofree char *prefix = g_strndup (typed, length);

      expected[length] = np_bench_count_matches (ledger, account, prefix, NULL, 0);
    }

  /* Search as you type. */
  for (guint run = 0; run < TYPING_RUNS; run++)
    {
      g_autoptr(GArray) this_run = g_array_new (FALSE, FALSE, sizeof (double));

      np_checkout_query_set_text (query, NULL);
      apply_query (model, query, &count);
      np_bench_check_count ("the search emptied", count, expected[0]);

      for (guint length = 1; length <= strlen (typed); length++)
        {
          g_autofree char *prefix = g_strndup (typed, length);
          g_autofree char *what = g_strdup_printf ("search \"%s\", %u checkouts, run %u", prefix, n, run + 1);
          double ms;

          np_checkout_query_set_text (query, prefix);
          ms = apply_query (model, query, &count);
          g_array_append_val (keystrokes, ms);
          g_array_append_val (this_run, ms);
          if (run == 0)
            printf ("  \"%s\": %u matches (the ledger holds %u), %.2f ms\n", prefix, count, expected[length], ms);
          np_bench_check_count (what, count, expected[length]);
        }
      np_bench_figure_add (figure, np_bench_percentile (this_run, 0.95));
    }
  np_bench_figure_set_baseline (figure, "-");
  np_bench_figure_report (figure);
  g_array_sort (keystrokes, compare_doubles);
  printf ("search-as-you-type, count + first %d rows per keystroke (%u keystrokes): "
          "p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
          FIRST_PAGE, keystrokes->len, percentile (keystrokes, 0.5), percentile (keystrokes, 0.95),
          g_array_index (keystrokes, double, keystrokes->len - 1));

  /* Sorting the whole list: the first time builds the order, later ones reuse it. */
  np_checkout_query_set_text (query, NULL);
  for (NpCheckoutSort sort = NP_CHECKOUT_SORT_CREATED; sort <= NP_CHECKOUT_SORT_UPDATED; sort++)
    {
      g_autoptr(GEnumClass) sorts = g_type_class_ref (NP_TYPE_CHECKOUT_SORT);
      g_autoptr(GArray) repeats = g_array_new (FALSE, FALSE, sizeof (double));
      double first;

      query->sort = sort;
      query->descending = FALSE;
      first = apply_query (model, query, &count);
      np_bench_check_count ("the sorted list", count, expected[0]);
      for (guint i = 0; i < 5; i++)
        {
          double ms;

          query->descending = !query->descending;
          ms = apply_query (model, query, &count);
          np_bench_check_count ("the sorted list", count, expected[0]);
          g_array_append_val (repeats, ms);
        }
      g_array_sort (repeats, compare_doubles);
      printf ("sort by %-8s: first %.1f ms, then median %.1f ms, worst %.1f ms\n",
              g_enum_get_value (sorts, sort)->value_nick, first,
              percentile (repeats, 0.5), g_array_index (repeats, double, repeats->len - 1));
    }

  /* A filtered, sorted search: status set, a year's second half, by amount. */
  query->status_mask = NP_CHECKOUT_STATUS_BIT (NP_CHECKOUT_STATUS_PAID) |
                       NP_CHECKOUT_STATUS_BIT (NP_CHECKOUT_STATUS_REFUNDED);
  query->created_from = 1735689600 + 182 * 86400;
  query->sort = NP_CHECKOUT_SORT_AMOUNT;
  query->descending = TRUE;
  np_checkout_query_set_text (query, "coffee");
  {
    double ms = apply_query (model, query, &count);
    guint holds = np_bench_count_matches (ledger, account, "coffee", "paid,refunded", query->created_from);

    printf ("\"coffee\", paid or refunded, second half-year, by amount: %u matches (the ledger holds %u), %.2f ms\n",
            count, holds, ms);
    np_bench_check_count ("\"coffee\", paid or refunded, second half-year", count, holds);
  }

  g_clear_object (&model);
  g_clear_object (&ledger);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  const char *sizes = g_getenv ("NP_BENCH_SIZES");
  g_auto(GStrv) list = g_strsplit (sizes ? sizes : "100000,1000000", ",", -1);

  self_path = argv[0];
  if (argc == 4 && g_str_equal (argv[1], "--first-keystroke"))
    {
      setvbuf (stdout, NULL, _IOLBF, 0);
      return first_keystroke_child (argv[2], g_ascii_strtoll (argv[3], NULL, 10));
    }

  np_test_init (&argc, &argv);
  np_bench_drop_debug_messages ();

  for (guint i = 0; list[i] != NULL; i++)
    bench_size ((guint)g_ascii_strtoull (list[i], NULL, 10));

  return np_bench_figures_exit_status ();
}
