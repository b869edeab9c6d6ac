/* bench-startup.c — cold start to first frame: the console with a ledger of
 * 100,000 checkouts beside an empty AdwApplicationWindow app (the GTK floor).
 *
 * Both are spawned alternately with NP_BENCH_FIRST_FRAME=1: they print the
 * CLOCK_MONOTONIC time of their first GdkFrameClock::after-paint and their
 * resident set then, and quit (src/np-bench.c). The time from our spawn call to
 * that paint is the figure. The console runs on the ledger of this test's private
 * home with an account current (its key in the keyring of the harness) whose
 * sandbox is alive.
 */
#include <stdio.h>
#include <string.h>

#include "np-bench-figures.h"
#include "np-bench-ledger-gen.h"
#include "np-test-workspace.h"

#define N_CHECKOUTS 100000
#define RUNS 5

/* Spawns @path, returns ms to its first frame and its resident set then (MiB). */
static double
first_frame_ms (const char *path,
                gboolean    wrap,
                double     *out_rss_mib)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *line;
  gint64 spawned, painted = 0;
  long rss_kib = 0;

  /* NP_BENCH_WRAPPER="perf record -g -o console.data" profiles the console's starts. */
  if (wrap && g_getenv ("NP_BENCH_WRAPPER") != NULL)
    {
      g_auto(GStrv) wrapper = g_strsplit (g_getenv ("NP_BENCH_WRAPPER"), " ", -1);

      g_strv_builder_addv (builder, (const char **) wrapper);
    }
  g_strv_builder_add (builder, path);
  argv = g_strv_builder_end (builder);

  spawned = g_get_monotonic_time ();
  child = g_subprocess_newv ((const char * const *) argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (child, NULL, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, 120000);
  g_subprocess_communicate_utf8_finish (child, result, &out, NULL, &error);
  g_assert_no_error (error);

  line = out != NULL ? strstr (out, "NP_BENCH_FIRST_FRAME ") : NULL;
  if (line == NULL)
    g_error ("%s printed no first frame: %s", path, out != NULL ? out : "");
  g_assert_cmpint (sscanf (line, "NP_BENCH_FIRST_FRAME %" G_GINT64_FORMAT " %ld", &painted, &rss_kib), ==, 2);
  g_assert_cmpint (painted, >, spawned);

  *out_rss_mib = rss_kib / 1024.0;
  return (painted - spawned) / 1000.0;
}

static void
bench_first_frame (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autofree char *console = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src", "neuropay-console", NULL);
  g_autofree char *empty = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "bench", "np-empty-app", NULL);
  g_autoptr(NpBenchFigure) ratio = np_bench_figure_new ("cold start to first frame, 100,000 checkouts", "x",
                                                        NP_BENCH_AT_MOST, 1.3);
  g_autoptr(GArray) console_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) empty_ms = g_array_new (FALSE, FALSE, sizeof (double));
  double rss_console = 0, rss_empty = 0;
  gint64 start = g_get_monotonic_time ();

  np_bench_fill_ledger (t->ledger, np_account_get_id (t->account), N_CHECKOUTS);
  printf ("# seeded ledger of %u checkouts in %.1f s\n", N_CHECKOUTS, np_bench_ms_since (start) / 1000);

  g_setenv ("NP_BENCH_FIRST_FRAME", "1", TRUE);
  /* One unmeasured start of each to load the libraries into the page cache. */
  first_frame_ms (empty, FALSE, &rss_empty);
  first_frame_ms (console, TRUE, &rss_console);

  for (guint run = 0; run < RUNS; run++)
    {
      double e = first_frame_ms (empty, FALSE, &rss_empty);
      double c = first_frame_ms (console, TRUE, &rss_console);

      g_array_append_val (empty_ms, e);
      g_array_append_val (console_ms, c);
      printf ("# run %u: console %.1f ms (RSS %.1f MiB), empty app %.1f ms (RSS %.1f MiB)\n",
              run + 1, c, rss_console, e, rss_empty);
      np_bench_figure_add (ratio, c / e);
    }
  g_unsetenv ("NP_BENCH_FIRST_FRAME");

  np_bench_figure_set_baseline (ratio, "empty app %.0f ms (console %.0f ms, medians)",
                                np_bench_percentile (empty_ms, 0.5), np_bench_percentile (console_ms, 0.5));
  np_bench_figure_report (ratio);
  printf ("# RSS at first frame: console %.1f MiB, empty app %.1f MiB\n", rss_console, rss_empty);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  np_test_init (&argc, &argv);
  np_bench_drop_debug_messages ();
  g_test_add_func ("/bench/startup/first-frame", bench_first_frame);
  status = g_test_run ();

  return status != 0 ? status : np_bench_figures_exit_status ();
}
