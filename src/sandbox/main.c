/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c — neuropay-sandbox: the command line around NpSandboxServer.
 *
 * Prints "listening on http://HOST:PORT", "test key: ..." and "live key: ...", then
 * one line per request. SIGINT and SIGTERM stop it cleanly; with --state every
 * change is already on disk by then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <glib-unix.h>

#include "np-sample-plan.h"
#include "np-sandbox-server.h"

typedef struct {
  NpClient *client;
  gint64    started;
} SampleRun;

static void
sample_progress (guint    done,
                 guint    total,
                 gpointer user_data)
{
  if (done % 25 == 0 || done == total)
    printf ("sample data: %u of %u steps\n", done, total);
}

static void
sample_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SampleRun *run = user_data;
  g_autoptr(GError) error = NULL;
  guint operations = 0;

  if (np_sample_run_finish (NP_CLIENT (source), result, &operations, &error))
    printf ("sample data: added, %u operations in %.1f s\n", operations,
            (g_get_monotonic_time () - run->started) / (double) G_USEC_PER_SEC);
  else if (g_error_matches (error, NP_SAMPLE_ERROR, NP_SAMPLE_ERROR_NOT_EMPTY))
    printf ("sample data: none added: %s\n", error->message);
  else
    g_printerr ("neuropay-sandbox: sample data stopped: %s\n", error->message);
  g_clear_object (&run->client);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *host = NULL;
  g_autofree char *state_path = NULL;
  g_autofree char *test_key = NULL;
  g_autofree char *live_key = NULL;
  int port = 8080;
  int latency_ms = 0;
  int rate_limit = 0;
  int rate_burst = 0;
  int max_connections = 0;
  gboolean sample_data = FALSE;
  SampleRun sample_run = { 0 };
  GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "Address to listen on (default 127.0.0.1)", "ADDRESS" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on, 0 for any free one (default 8080)", "PORT" },
    { "state", 0, 0, G_OPTION_ARG_FILENAME, &state_path, "Keep the state in FILE across restarts", "FILE" },
    { "test-key", 0, 0, G_OPTION_ARG_STRING, &test_key, "The test API key (default: generated)", "KEY" },
    { "live-key", 0, 0, G_OPTION_ARG_STRING, &live_key, "The live API key (default: generated)", "KEY" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms, "Delay every answer by N milliseconds", "N" },
    { "rate-limit", 0, 0, G_OPTION_ARG_INT, &rate_limit,
      "Allow N API calls per second per key; above it answer 429 with Retry-After (default: no limit)", "N" },
    { "rate-burst", 0, 0, G_OPTION_ARG_INT, &rate_burst,
      "With --rate-limit, let a key make N calls at once (default: the rate limit)", "N" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections,
      "Keep at most N connections open per client address; close any more at once (default: no limit)", "N" },
    { "sample-data", 0, 0, G_OPTION_ARG_NONE, &sample_data,
      "Fill an empty sandbox with 30 days of sample checkouts and customers, made through its API", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the Neuro-Pay sandbox server");
  g_autoptr(GError) error = NULL;
  g_autoptr(NpSandboxServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  NpSandboxOptions options = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "A stateful local server that speaks the Neuro-Pay Checkout API, with a payment page,\n"
    "client pages and fault injection (POST /sandbox/faults).");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || latency_ms < 0)
    {
      g_printerr ("--port must be 0–65535 and --latency-ms not negative\n");
      return 2;
    }
  if (rate_limit < 0 || rate_limit > 1000000 || rate_burst < 0 || rate_burst > 1000000 ||
      (rate_burst > 0 && rate_limit == 0))
    {
      g_printerr ("--rate-limit and --rate-burst must be 0–1000000, and --rate-burst needs --rate-limit\n");
      return 2;
    }
  if (max_connections < 0 || max_connections > 100000)
    {
      g_printerr ("--max-connections must be 0–100000 (0: no limit)\n");
      return 2;
    }

  /* The first line is read by scripts and tests: it must leave at once. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  options.state_path = state_path;
  options.test_key = test_key;
  options.live_key = live_key;
  options.latency_ms = latency_ms;
  options.rate_limit = rate_limit;
  options.rate_burst = rate_burst;
  options.max_connections = max_connections;
  options.log_to_stdout = TRUE;
  server = np_sandbox_server_new (&options, &error);
  if (server == NULL || !np_sandbox_server_listen (server, host != NULL ? host : "127.0.0.1", port, &error))
    {
      g_printerr ("neuropay-sandbox: %s\n", error->message);
      return 1;
    }

  /* Before the first line: whoever reads it may signal us at once. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);

  /* The sandbox's own development keys, printed so a developer can use them; real
   * keys never pass through here. */
  printf ("listening on %s\n", np_sandbox_server_get_base_url (server));
  printf ("test key: %s\n", np_sandbox_server_get_test_key (server));
  printf ("live key: %s\n", np_sandbox_server_get_live_key (server));
  fflush (stdout);

  if (sample_data)
    {
      /* Through our own API, over HTTP, as any client would make them. */
      sample_run.client = np_client_new (np_sandbox_server_get_base_url (server),
                                         np_sandbox_server_get_test_key (server), &error);
      if (sample_run.client == NULL)
        {
          g_printerr ("neuropay-sandbox: %s\n", error->message);
          return 1;
        }
      sample_run.started = g_get_monotonic_time ();
      np_sample_run_async (sample_run.client, np_sample_client_ops (), NULL, sample_progress, NULL,
                           NULL, sample_done, &sample_run);
    }

  g_main_loop_run (loop);
  g_clear_object (&sample_run.client);

  np_sandbox_server_disconnect (server);
  return EXIT_SUCCESS;
}
