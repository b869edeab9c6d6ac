/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-sandbox.c — retrieve requests per second against the sandbox over keep-alive.
 *
 * A bounded loop: 20,000 retrieves of one checkout, 8 in flight on 8 kept-alive
 * connections, from one libsoup client in this thread to the in-process sandbox in
 * its own thread (both share the machine's cores, as in the tests).
 */
#include <libsoup/soup.h>
#include <string.h>

#include "np-bench-figures.h"
#include "np-test-utils.h"
#include "np-test-sandbox.h"

#define N_REQUESTS 20000
#define IN_FLIGHT 8

typedef struct
{
  SoupSession *session;
  char        *url;
  char        *auth;
  GBytes      *body;
  guint        sent;
  guint        done;
  guint        failed;
} Bench;

static void send_one (Bench *bench);

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Bench *bench = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  bench->done++;
  if (bytes == NULL || soup_message_get_status (msg) != 200)
    {
      if (bench->failed++ < 5)
        g_printerr ("request %u failed: %u %s\n", bench->done, soup_message_get_status (msg),
                    error != NULL ? error->message : "");
    }
  if (bench->sent < N_REQUESTS)
    send_one (bench);
}

static void
send_one (Bench *bench)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", bench->url);

  /* libsoup sends a POST on a fresh connection unless told that repeating it is
   * harmless; retrieve is, and that is what lets it ride a kept-alive connection. */
  soup_message_set_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bench->auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bench->body);
  bench->sent++;
  soup_session_send_and_read_async (bench->session, msg, G_PRIORITY_DEFAULT, NULL, on_answer, bench);
}

static gboolean
all_done (gpointer user_data)
{
  Bench *bench = user_data;

  return bench->done == N_REQUESTS;
}

/* @path at 8 in flight until N_REQUESTS answered; requests per second. */
static double
run_requests (NpTestSandbox *sandbox,
              const char    *path,
              GBytes        *body)
{
  Bench bench = { 0 };
  guint before = np_test_sandbox_count_requests (sandbox, path);
  gint64 start;
  double seconds;

  bench.session = soup_session_new_with_options ("max-conns", IN_FLIGHT, "max-conns-per-host", IN_FLIGHT, NULL);
  bench.url = g_strconcat (np_test_sandbox_get_base_url (sandbox), path, NULL);
  bench.auth = g_strdup_printf ("Bearer %s", np_test_sandbox_get_test_key (sandbox));
  bench.body = g_bytes_ref (body);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < IN_FLIGHT; i++)
    send_one (&bench);
  np_test_wait_until (all_done, &bench, 300000, "20,000 requests");
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_assert_cmpuint (bench.failed, ==, 0);
  g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, path) - before, ==, N_REQUESTS);

  g_object_unref (bench.session);
  g_free (bench.url);
  g_free (bench.auth);
  g_bytes_unref (bench.body);

  return N_REQUESTS / seconds;
}

#define RUNS 3

/* Retrieve beside the same server answering /sandbox/fixed (routing, key check and
 * log, no store): how close the API's work keeps the server to its own floor. */
static void
bench_retrieve (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(NpBenchFigure) ratio = np_bench_figure_new ("sandbox retrieve over keep-alive vs fixed body", "x",
                                                        NP_BENCH_AT_LEAST, 0.8);
  g_autoptr(GArray) retrieve_rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) fixed_rates = g_array_new (FALSE, FALSE, sizeof (double));

  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/checkout/create",
                                          "{\"amount\": 2000, \"currency\": \"SEK\", \"message\": \"bench\"}",
                                          &created), ==, 200);
  {
    char *text = g_strdup_printf ("{\"checkout_id\": \"%s\"}",
                                  json_object_get_string_member (json_node_get_object (created), "checkout_id"));
    body = g_bytes_new_take (text, strlen (text));
  }

  for (guint run = 0; run < RUNS; run++)
    {
      double retrieve = run_requests (sandbox, "/checkout/retrieve", body);
      double fixed = run_requests (sandbox, "/sandbox/fixed", body);

      g_array_append_val (retrieve_rates, retrieve);
      g_array_append_val (fixed_rates, fixed);
      g_print ("# run %u: retrieve %.0f requests/s, fixed body %.0f requests/s (%u requests, %u in flight)\n",
               run + 1, retrieve, fixed, N_REQUESTS, IN_FLIGHT);
      np_bench_figure_add (ratio, retrieve / fixed);
    }

  np_bench_figure_set_baseline (ratio, "fixed body %.0f req/s (retrieve %.0f req/s, medians)",
                                np_bench_percentile (fixed_rates, 0.5), np_bench_percentile (retrieve_rates, 0.5));
  np_bench_figure_report (ratio);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  np_test_init (&argc, &argv);
  np_bench_drop_debug_messages ();
  g_test_add_func ("/bench/sandbox/retrieve", bench_retrieve);
  status = g_test_run ();

  return status != 0 ? status : np_bench_figures_exit_status ();
}
