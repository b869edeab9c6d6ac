/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-client.c — np_client_retrieve_many_async () throughput beside curl, on loopback.
 *
 * 10,000 checkouts in a fresh in-process sandbox, refreshed once by NpClient with
 * 8 requests in flight and once by `curl --parallel --parallel-max 8` doing the
 * same POSTs, in the same run against the same server; both rates and their ratio
 * are printed. The bench fails if either side gets a wrong answer.
 *
 * Information only since issue 24: without a round trip this measures libsoup's
 * CPU cost per request, not what a user meets. bench-refresh.c has the figures
 * over a network's latency and a rate limit.
 */

#include "np-client.h"
#include "np-test-sandbox.h"
#include "np-bench-figures.h"
#include "np-bench-retrieve.h"
#include "np-test-utils.h"

#define N_IDS     10000
#define IN_FLIGHT 8

static double
run_client (NpTestSandbox *sandbox,
            GPtrArray     *ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpClient) client = np_client_new (np_test_sandbox_get_base_url (sandbox),
                                              np_test_sandbox_get_test_key (sandbox), &error);
  g_autoptr(GPtrArray) results = NULL;
  GAsyncResult *result = NULL;
  gint64 started;
  double seconds;

  g_assert_no_error (error);
  started = g_get_monotonic_time ();
  np_client_retrieve_many_fixed_async (client, (const char * const *) ids->pdata, IN_FLIGHT, NULL, NULL, NULL,
                                       np_test_store_result, &result);
  results = np_client_retrieve_many_finish (client, np_test_wait_result (&result, 600000), &error);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_clear_object (&result);

  g_assert_no_error (error);
  np_bench_assert_retrieved (results, N_IDS);
  return seconds;
}

/* Runs alternate (client, curl) so a busy machine slows both sides of a ratio. */
#define RUNS 3

static void
bench_retrieve_many (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(NpBenchFigure) ratio = np_bench_figure_new ("retrieve_many 10,000 ids on loopback, 8 in flight, vs curl",
                                                        "x", NP_BENCH_INFORMATION, 0);
  g_autoptr(GArray) client_rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) curl_rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *curl = g_find_program_in_path ("curl");

  if (curl == NULL)
    {
      g_test_skip ("curl is not installed");
      return;
    }

  ids = np_bench_create_checkouts (sandbox, N_IDS);

  for (guint run = 0; run < RUNS; run++)
    {
      guint before = np_test_sandbox_count_requests (sandbox, "/checkout/retrieve");
      double client_rate = N_IDS / run_client (sandbox, ids);
      double curl_rate;

      g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/retrieve") - before, ==, N_IDS);
      before = np_test_sandbox_count_requests (sandbox, "/checkout/retrieve");
      curl_rate = N_IDS / np_bench_run_curl (sandbox, np_test_sandbox_get_test_key (sandbox), ids, N_IDS, IN_FLIGHT);
      g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/retrieve") - before, ==, N_IDS);

      g_array_append_val (client_rates, client_rate);
      g_array_append_val (curl_rates, curl_rate);
      g_print ("# run %u: NpClient retrieve_many %.0f requests/s, curl --parallel-max %u %.0f requests/s\n",
               run + 1, client_rate, IN_FLIGHT, curl_rate);
      np_bench_figure_add (ratio, client_rate / curl_rate);
    }

  np_bench_figure_set_baseline (ratio, "curl %.0f req/s (NpClient %.0f req/s, medians)",
                                np_bench_percentile (curl_rates, 0.5), np_bench_percentile (client_rates, 0.5));
  np_bench_figure_report (ratio);
}

int
main (int    argc,
      char **argv)
{
  int status;

  np_test_init (&argc, &argv);
  np_bench_drop_debug_messages ();

  g_test_add_func ("/bench/client/retrieve-many-vs-curl", bench_retrieve_many);

  status = g_test_run ();

  return status != 0 ? status : np_bench_figures_exit_status ();
}
