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
#include <glib/gstdio.h>
#include <string.h>

#include "np-client.h"
#include "np-test-sandbox.h"
#include "np-bench-figures.h"
#include "np-test-utils.h"

#define N_IDS     10000
#define IN_FLIGHT 8

static GPtrArray *
create_checkouts (NpTestSandbox *sandbox)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < N_IDS; i++)
    {
      g_autoptr(JsonNode) body = NULL;
      g_autofree char *request = g_strdup_printf ("{\"amount\": %u, \"currency\": \"SEK\", \"message\": \"bench %u\"}",
                                                  100 + i, i);

      g_assert_cmpuint (np_test_sandbox_call (sandbox, "/checkout/create", request, &body), ==, 200);
      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (json_node_get_object (body), "checkout_id")));
    }
  g_ptr_array_add (ids, NULL);

  return ids;
}

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
  g_assert_cmpuint (results->len, ==, N_IDS);
  for (guint i = 0; i < results->len; i++)
    {
      NpRetrieveResult *r = g_ptr_array_index (results, i);

      g_assert_no_error (r->error);
      g_assert_cmpint (np_checkout_get_amount (r->checkout), ==, 100 + i);
    }

  return seconds;
}

/* The same POSTs through curl: one config file with a block per id. The key is
 * written only into that file, in the test's private directory. */
static double
run_curl (NpTestSandbox *sandbox,
          GPtrArray     *ids)
{
  g_autoptr(GString) config = g_string_new (NULL);
  g_autofree char *path = g_build_filename (np_test_get_home (), "curl-bench.conf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *parallel_max = g_strdup_printf ("%d", IN_FLIGHT);
  const char *argv[] = { "curl", "--silent", "--show-error", "--parallel", "--parallel-max", parallel_max,
                         "--config", path, NULL };
  g_auto(GStrv) lines = NULL;
  guint ok = 0;
  int status = 0;
  gint64 started;
  double seconds;

  for (guint i = 0; i < N_IDS; i++)
    g_string_append_printf (config,
                            "url = \"%s/checkout/retrieve\"\n"
                            "header = \"Content-Type: application/json\"\n"
                            "header = \"Authorization: Bearer %s\"\n"
                            "data = \"{\\\"checkout_id\\\": \\\"%s\\\"}\"\n"
                            "output = \"/dev/null\"\n"
                            "write-out = \"%%{http_code}\\n\"\n"
                            "%s",
                            np_test_sandbox_get_base_url (sandbox), np_test_sandbox_get_test_key (sandbox),
                            (const char *) g_ptr_array_index (ids, i),
                            i + 1 < N_IDS ? "next\n" : "");
  g_assert_true (g_file_set_contents_full (path, config->str, config->len, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_no_error (error);

  started = g_get_monotonic_time ();
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_assert_no_error (error);
  g_unlink (path);
  if (!g_spawn_check_wait_status (status, &error))
    g_printerr ("curl: %s\n", err);
  g_assert_no_error (error);
  g_assert_no_error (error);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strcmp (lines[i], "200") == 0)
      ok++;
  g_assert_cmpuint (ok, ==, N_IDS);

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

  ids = create_checkouts (sandbox);

  for (guint run = 0; run < RUNS; run++)
    {
      guint before = np_test_sandbox_count_requests (sandbox, "/checkout/retrieve");
      double client_rate = N_IDS / run_client (sandbox, ids);
      double curl_rate;

      g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/retrieve") - before, ==, N_IDS);
      before = np_test_sandbox_count_requests (sandbox, "/checkout/retrieve");
      curl_rate = N_IDS / run_curl (sandbox, ids);
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
