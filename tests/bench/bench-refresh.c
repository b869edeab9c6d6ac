/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-refresh.c — a refresh of 2,000 checkouts as a user meets it: over a round
 * trip of 100 ms, and under the server's rate limit (issue 24).
 *
 * The checkouts are made once on a sandbox without latency and kept in a state
 * file; every measured sandbox starts from that file with the same keys.
 *
 * 1. Latency 100 ms, no limit: the adaptive np_client_retrieve_many_async () (cap
 *    32), the old fixed 8 (np_client_retrieve_many_fixed_async ()) and
 *    `curl --parallel --parallel-max 8`, on the same ids and the same server, one
 *    after the other in each run. Figures: adaptive speed-up over each.
 * 2. Latency 100 ms, --rate-limit 100 (bucket of 100): the adaptive refresh on a
 *    fresh sandbox per run. Figures: time against the ideal 2,000 / 100 = 20 s, and
 *    the 429s the sandbox counted as a share of the requests it received.
 *
 * Every id must come back with its own checkout, every time; the bench fails
 * otherwise. NP_BENCH_RUNS overrides the number of runs (3).
 */

#include "np-client.h"
#include "np-test-sandbox.h"
#include "np-bench-figures.h"
#include "np-bench-retrieve.h"
#include "np-test-utils.h"

#define N_IDS       2000
#define LATENCY_MS  100
#define RATE_LIMIT  100
#define OLD_FIXED   8
#define TEST_KEY    "bench-test-key-0123456789abcdefgh"
#define LIVE_KEY    "bench-live-key-0123456789abcdefgh"

static guint
n_runs (void)
{
  const char *env = g_getenv ("NP_BENCH_RUNS");
  guint64 runs = 3;

  if (env != NULL)
    g_ascii_string_to_unsigned (env, 10, 1, 20, &runs, NULL);
  return runs;
}

static GPtrArray *
create_checkouts (const char *state_path)
{
  NpSandboxOptions options = { .state_path = state_path, .test_key = TEST_KEY, .live_key = LIVE_KEY };
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_with_options (&options);

  return np_bench_create_checkouts (sandbox, N_IDS);
}

static NpTestSandbox *
start_sandbox (const char *state_path,
               guint       rate_limit)
{
  NpSandboxOptions options = { .state_path = state_path, .test_key = TEST_KEY, .live_key = LIVE_KEY,
                               .latency_ms = LATENCY_MS, .rate_limit = rate_limit };

  return np_test_sandbox_new_with_options (&options);
}

/* Seconds for one refresh of every id; asserts each came back right. */
static double
run_client (NpTestSandbox *sandbox,
            GPtrArray     *ids,
            gboolean       adaptive)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpClient) client = np_client_new (np_test_sandbox_get_base_url (sandbox), TEST_KEY, &error);
  g_autoptr(GPtrArray) results = NULL;
  GAsyncResult *result = NULL;
  gint64 started;
  double seconds;

  g_assert_no_error (error);
  started = g_get_monotonic_time ();
  if (adaptive)
    np_client_retrieve_many_async (client, (const char * const *) ids->pdata, 0, NULL, NULL, NULL,
                                   np_test_store_result, &result);
  else
    np_client_retrieve_many_fixed_async (client, (const char * const *) ids->pdata, OLD_FIXED, NULL, NULL, NULL,
                                         np_test_store_result, &result);
  results = np_client_retrieve_many_finish (client, np_test_wait_result (&result, 600000), &error);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_clear_object (&result);

  g_assert_no_error (error);
  np_bench_assert_retrieved (results, N_IDS);
  return seconds;
}

static void
bench_latency (void)
{
  g_autofree char *state = g_build_filename (np_test_get_home (), "refresh-latency.json", NULL);
  g_autoptr(GPtrArray) ids = create_checkouts (state);
  g_autoptr(NpTestSandbox) sandbox = start_sandbox (state, 0);
  g_autoptr(NpBenchFigure) vs_fixed = np_bench_figure_new ("refresh 2,000 ids at 100 ms latency: adaptive vs old fixed 8",
                                                           "x", NP_BENCH_AT_LEAST, 3.0);
  g_autoptr(NpBenchFigure) vs_curl = np_bench_figure_new ("refresh 2,000 ids at 100 ms latency: adaptive vs curl --parallel-max 8",
                                                          "x", NP_BENCH_AT_LEAST, 3.0);
  g_autoptr(GArray) adaptive_s = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) fixed_s = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) curl_s = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *curl = g_find_program_in_path ("curl");
  guint runs = n_runs ();

  if (curl == NULL)
    {
      g_test_skip ("curl is not installed");
      return;
    }

  for (guint run = 0; run < runs; run++)
    {
      guint before = np_test_sandbox_count_requests (sandbox, "/checkout/retrieve");
      double adaptive = run_client (sandbox, ids, TRUE);
      double fixed, by_curl;

      g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/retrieve") - before, ==, N_IDS);
      fixed = run_client (sandbox, ids, FALSE);
      by_curl = np_bench_run_curl (sandbox, TEST_KEY, ids, N_IDS, OLD_FIXED);
      g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/retrieve") - before, ==, 3 * N_IDS);

      g_array_append_val (adaptive_s, adaptive);
      g_array_append_val (fixed_s, fixed);
      g_array_append_val (curl_s, by_curl);
      g_print ("# refresh run %u at %d ms: adaptive %.2f s, fixed 8 %.2f s, curl --parallel-max 8 %.2f s\n",
               run + 1, LATENCY_MS, adaptive, fixed, by_curl);
      np_bench_figure_add (vs_fixed, fixed / adaptive);
      np_bench_figure_add (vs_curl, by_curl / adaptive);
    }

  np_bench_figure_set_baseline (vs_fixed, "fixed 8: %.2f s (adaptive %.2f s, medians)",
                                np_bench_percentile (fixed_s, 0.5), np_bench_percentile (adaptive_s, 0.5));
  np_bench_figure_set_baseline (vs_curl, "curl: %.2f s (adaptive %.2f s, medians)",
                                np_bench_percentile (curl_s, 0.5), np_bench_percentile (adaptive_s, 0.5));
  np_bench_figure_report (vs_fixed);
  np_bench_figure_report (vs_curl);
}

static void
bench_rate_limited (void)
{
  g_autofree char *state = g_build_filename (np_test_get_home (), "refresh-limited.json", NULL);
  g_autoptr(GPtrArray) ids = create_checkouts (state);
  double ideal = N_IDS / (double) RATE_LIMIT;
  g_autoptr(NpBenchFigure) time = np_bench_figure_new ("refresh 2,000 ids at 100 ms, --rate-limit 100: time / ideal 20 s",
                                                       "x", NP_BENCH_AT_MOST, 1.15);
  g_autoptr(NpBenchFigure) limited = np_bench_figure_new ("refresh 2,000 ids at 100 ms, --rate-limit 100: 429s at the sandbox",
                                                          "% of requests", NP_BENCH_AT_MOST, 2.0);
  g_autoptr(GArray) seconds_s = g_array_new (FALSE, FALSE, sizeof (double));
  guint runs = n_runs ();

  for (guint run = 0; run < runs; run++)
    {
      /* A fresh server per run: a full bucket, as after a quiet minute. */
      g_autoptr(NpTestSandbox) sandbox = start_sandbox (state, RATE_LIMIT);
      double seconds = run_client (sandbox, ids, TRUE);
      guint requests = np_test_sandbox_count_requests (sandbox, "/checkout/retrieve");
      guint n_limited = np_test_sandbox_count_rate_limited (sandbox, "/checkout/retrieve");

      g_assert_cmpuint (requests - n_limited, ==, N_IDS);
      g_array_append_val (seconds_s, seconds);
      g_print ("# refresh run %u at %d ms, limit %d/s: %.2f s (ideal %.0f s), %u requests, %u answered 429\n",
               run + 1, LATENCY_MS, RATE_LIMIT, seconds, ideal, requests, n_limited);
      np_bench_figure_add (time, seconds / ideal);
      np_bench_figure_add (limited, 100.0 * n_limited / requests);
    }

  np_bench_figure_set_baseline (time, "ideal %.0f s (2,000 / 100 per s); median %.2f s",
                                ideal, np_bench_percentile (seconds_s, 0.5));
  np_bench_figure_set_baseline (limited, "-");
  np_bench_figure_report (time);
  np_bench_figure_report (limited);
}

int
main (int    argc,
      char **argv)
{
  int status;

  np_test_init (&argc, &argv);
  np_bench_drop_debug_messages ();

  g_test_add_func ("/bench/refresh/latency", bench_latency);
  g_test_add_func ("/bench/refresh/rate-limited", bench_rate_limited);

  status = g_test_run ();

  return status != 0 ? status : np_bench_figures_exit_status ();
}
