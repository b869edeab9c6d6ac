/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-startup.c — the console's own process with a ledger of 100,000 checkouts,
 * beside an empty AdwApplicationWindow app (the GTK floor, np-empty-app):
 *
 *   - cold start to first frame: both are spawned alternately (and, as
 *     information, np-first-frame-replica: the same first frame from stock
 *     widgets, no code of ours) with
 *     NP_BENCH_FIRST_FRAME=1; they print the CLOCK_MONOTONIC time of their first
 *     GdkFrameClock::after-paint and their resident set then, and quit
 *     (src/np-instrument.c, which watches the app from outside). The time from our spawn call to that paint is the figure;
 *   - resident memory with the list shown: the console starts on the Checkouts
 *     page (its last page, kept in GSettings, as a person who left it there sees
 *     it) with NP_BENCH_LIST_SHOWN=100000, and prints its resident set and its
 *     list's row count once the list model is done loading, holds the 100,000
 *     rows, and a frame has painted them; the bench checks the count; the empty
 *     app's resident set at its first frame is the floor.
 *
 * The console runs on the ledger of this test's private home with an account
 * current (its key in the keyring of the harness) whose sandbox is alive.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "np-bench-figures.h"
#include "np-bench-ledger-gen.h"
#include "np-test-workspace.h"

#define N_CHECKOUTS 100000
#define RUNS 5
#define MEMORY_RUNS 3

/* Seeded once, for both figures. */
static NpTestWorkspace *seeded;

static NpTestWorkspace *
seeded_workspace (void)
{
  gint64 start = g_get_monotonic_time ();

  if (seeded != NULL)
    return seeded;

  seeded = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  np_bench_fill_ledger (seeded->ledger, np_account_get_id (seeded->account), N_CHECKOUTS);
  printf ("# seeded ledger of %u checkouts in %.1f s\n", N_CHECKOUTS, np_bench_ms_since (start) / 1000);

  return seeded;
}

static char *
build_path (const char *program)
{
  if (g_str_equal (program, "console"))
    return g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src", "neuropay-console", NULL);
  if (g_str_equal (program, "replica"))
    return g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "bench", "np-first-frame-replica", NULL);

  return g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "bench", "np-empty-app", NULL);
}

/* Spawns @program ("console" or "empty") with @hook=1 (NP_BENCH_LIST_SHOWN: the
 * N_CHECKOUTS rows the list must hold; and GSettings in a key file when
 * @keyfile_settings), waits for its "@hook <time> <RSS>" line; returns the ms
 * from our spawn call to that time, and its resident set then (MiB; NAN when the
 * program could not read it, which fails the figure). The list's line must say
 * it held all N_CHECKOUTS rows. */
static double
spawn_until (const char *program,
             const char *hook,
             gboolean    keyfile_settings,
             double     *out_rss_mib)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *path = build_path (program);
  g_autofree char *marker = g_strconcat (hook, " ", NULL);
  g_auto(GStrv) argv = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *line;
  gint64 spawned, painted = 0;
  long rss_kib = 0;
  guint rows = 0;

  g_subprocess_launcher_unsetenv (launcher, "NP_BENCH_FIRST_FRAME");
  g_subprocess_launcher_unsetenv (launcher, "NP_BENCH_LIST_SHOWN");
  if (g_str_equal (hook, "NP_BENCH_LIST_SHOWN"))
    g_subprocess_launcher_setenv (launcher, hook, G_STRINGIFY (N_CHECKOUTS), TRUE);
  else
    g_subprocess_launcher_setenv (launcher, hook, "1", TRUE);
  if (keyfile_settings)
    g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);

  /* NP_BENCH_WRAPPER="perf record -g -o console.data" profiles the console's starts. */
  if (g_str_equal (program, "console") && g_getenv ("NP_BENCH_WRAPPER") != NULL)
    {
      g_auto(GStrv) wrapper = g_strsplit (g_getenv ("NP_BENCH_WRAPPER"), " ", -1);

      g_strv_builder_addv (builder, (const char **) wrapper);
    }
  g_strv_builder_add (builder, path);
  argv = g_strv_builder_end (builder);

  spawned = g_get_monotonic_time ();
  child = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (child, NULL, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, 120000);
  g_subprocess_communicate_utf8_finish (child, result, &out, NULL, &error);
  g_assert_no_error (error);

  line = out != NULL ? strstr (out, marker) : NULL;
  if (line == NULL)
    g_error ("%s printed no %s line: %s", path, hook, out != NULL ? out : "");
  if (g_str_equal (hook, "NP_BENCH_LIST_SHOWN"))
    {
      g_assert_cmpint (sscanf (line + strlen (marker), "%" G_GINT64_FORMAT " %ld %u", &painted, &rss_kib, &rows), ==, 3);
      if (rows != N_CHECKOUTS)
        g_error ("%s: the list shown held %u rows, not the %u of the ledger", path, rows, N_CHECKOUTS);
    }
  else
    {
      g_assert_cmpint (sscanf (line + strlen (marker), "%" G_GINT64_FORMAT " %ld", &painted, &rss_kib), ==, 2);
    }
  g_assert_cmpint (painted, >, spawned);

  *out_rss_mib = rss_kib > 0 ? rss_kib / 1024.0 : NAN;
  return (painted - spawned) / 1000.0;
}

static void
bench_first_frame (void)
{
  g_autoptr(NpBenchFigure) ratio = np_bench_figure_new ("cold start to first frame, 100,000 checkouts", "x",
                                                        NP_BENCH_AT_MOST, 1.10);
  /* The same first frame from stock widgets, no code or library of ours
   * (np-first-frame-replica.c): what showing that content costs at all. */
  g_autoptr(NpBenchFigure) replica = np_bench_figure_new ("cold start, the first frame's stock widgets alone", "x",
                                                          NP_BENCH_INFORMATION, 0);
  g_autoptr(GArray) console_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) empty_ms = g_array_new (FALSE, FALSE, sizeof (double));
  double rss_console = 0, rss_empty = 0, rss_replica = 0;

  seeded_workspace ();

  /* One unmeasured start of each to load the libraries into the page cache. */
  spawn_until ("empty", "NP_BENCH_FIRST_FRAME", FALSE, &rss_empty);
  spawn_until ("console", "NP_BENCH_FIRST_FRAME", FALSE, &rss_console);
  spawn_until ("replica", "NP_BENCH_FIRST_FRAME", FALSE, &rss_replica);

  for (guint run = 0; run < RUNS; run++)
    {
      double e = spawn_until ("empty", "NP_BENCH_FIRST_FRAME", FALSE, &rss_empty);
      double c = spawn_until ("console", "NP_BENCH_FIRST_FRAME", FALSE, &rss_console);
      double r = spawn_until ("replica", "NP_BENCH_FIRST_FRAME", FALSE, &rss_replica);

      g_array_append_val (empty_ms, e);
      g_array_append_val (console_ms, c);
      printf ("# run %u: console %.1f ms (RSS %.1f MiB), empty app %.1f ms (RSS %.1f MiB), "
              "stock-widget replica %.1f ms\n", run + 1, c, rss_console, e, rss_empty, r);
      np_bench_figure_add (ratio, c / e);
      np_bench_figure_add (replica, r / e);
    }

  np_bench_figure_set_baseline (ratio, "empty app %.0f ms (console %.0f ms, medians)",
                                np_bench_percentile (empty_ms, 0.5), np_bench_percentile (console_ms, 0.5));
  np_bench_figure_report (ratio);
  np_bench_figure_set_baseline (replica, "empty app %.0f ms (median)", np_bench_percentile (empty_ms, 0.5));
  np_bench_figure_report (replica);
  printf ("# RSS at first frame: console %.1f MiB, empty app %.1f MiB\n", rss_console, rss_empty);
  if (!isfinite (rss_console) || !isfinite (rss_empty))
    g_error ("figure \"%s\": the resident set at the first frame could not be read", ratio->name);
}

/* The window shows its last page (GSettings "last-page"): the console of the next
 * start, which reads the key file backend's file in our private config home,
 * opens on the Checkouts page. */
static void
leave_checkouts_page_shown (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "glib-2.0", "settings", "keyfile", NULL);
  g_autoptr(GSettingsBackend) backend = g_keyfile_settings_backend_new (path, "/", NULL);
  g_autoptr(GSettings) settings = g_settings_new_with_backend ("tech.paiwise.NeuroPayConsole", backend);

  g_assert_true (g_settings_set_string (settings, "last-page", "checkouts"));
  g_settings_sync ();
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
bench_list_shown_memory (void)
{
  g_autoptr(NpBenchFigure) rss = np_bench_figure_new ("resident memory, 100,000 checkouts, list shown", "MiB",
                                                      NP_BENCH_AT_MOST, 110.0);
  double rss_empty = 0;

  seeded_workspace ();
  leave_checkouts_page_shown ();

  for (guint run = 0; run < MEMORY_RUNS; run++)
    {
      double rss_console = 0;
      double ms = spawn_until ("console", "NP_BENCH_LIST_SHOWN", TRUE, &rss_console);

      spawn_until ("empty", "NP_BENCH_FIRST_FRAME", FALSE, &rss_empty);
      printf ("# list shown run %u: console RSS %.1f MiB (list of %u rows painted %.0f ms after the spawn), "
              "empty app RSS %.1f MiB\n", run + 1, rss_console, N_CHECKOUTS, ms, rss_empty);
      np_bench_figure_add (rss, rss_console);
    }

  if (!isfinite (rss_empty))
    g_error ("figure \"%s\": the empty app could not read its resident set", rss->name);
  np_bench_figure_set_baseline (rss, "empty app %.0f MiB at its first frame", rss_empty);
  np_bench_figure_report (rss);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  np_test_init (&argc, &argv);
  np_bench_drop_debug_messages ();
  g_test_add_func ("/bench/startup/first-frame", bench_first_frame);
  g_test_add_func ("/bench/startup/list-shown-memory", bench_list_shown_memory);
  status = g_test_run ();
  g_clear_pointer (&seeded, np_test_workspace_free);

  return status != 0 ? status : np_bench_figures_exit_status ();
}
