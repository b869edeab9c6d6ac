/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-client-many.c — the adaptive np_client_retrieve_many_async () against the real
 * sandbox with a round trip, a rate limit and injected 429/503s, judged by what the
 * server saw (GET /sandbox/stats and /sandbox/requests):
 *
 * - with latency and no limit it grows past the old fixed 8 and never past its cap;
 * - under --rate-limit every id is refreshed, none given up for a 429 (the client
 *   makes no retries of its own here), and after each 429 nothing new reaches the
 *   server before its Retry-After has passed;
 * - a 503 is asked again; Cancel ends a batch even while it waits out a Retry-After.
 *
 * The checkouts are made on a sandbox without limits and kept in a state file; the
 * sandbox under test starts from that file with the same keys.
 */
#include <libsoup/soup.h>
#include <string.h>

#include "np-client-private.h"
#include "np-test-sandbox.h"
#include "np-test-utils.h"

#define WAIT_MS   60000
#define TEST_KEY  "many-test-key-0123456789abcdefghi"
#define LIVE_KEY  "many-live-key-0123456789abcdefghi"

/* @n checkouts in a state file of their own; returns their ids, NULL-terminated. */
static GPtrArray *
make_checkouts (guint        n,
                const char  *state_path)
{
  NpSandboxOptions options = { .state_path = state_path, .test_key = TEST_KEY, .live_key = LIVE_KEY };
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_with_options (&options);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) body = NULL;
      g_autofree char *request = g_strdup_printf ("{\"amount\": %u, \"currency\": \"SEK\", \"message\": \"m%u\"}",
                                                  100 + i, i);

      g_assert_cmpuint (np_test_sandbox_call (sandbox, "/checkout/create", request, &body), ==, 200);
      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (json_node_get_object (body), "checkout_id")));
    }
  g_ptr_array_add (ids, NULL);
  return ids;
}

static NpClient *
client_for (NpTestSandbox *sandbox)
{
  g_autoptr(GError) error = NULL;
  NpClient *client = np_client_new (np_test_sandbox_get_base_url (sandbox), TEST_KEY, &error);

  g_assert_no_error (error);
  np_client_set_timeout (client, 20);
  /* No retries inside a call: whatever is asked again, the batch asked. */
  np_client_set_max_retries (client, 0);
  return client;
}

static GPtrArray *
refresh (NpClient   *client,
         GPtrArray  *ids,
         guint       cap,
         GError    **error)
{
  GAsyncResult *result = NULL;
  GPtrArray *results;

  np_client_retrieve_many_async (client, (const char * const *) ids->pdata, cap, NULL, NULL, NULL,
                                 np_test_store_result, &result);
  results = np_client_retrieve_many_finish (client, np_test_wait_result (&result, WAIT_MS), error);
  g_clear_object (&result);
  return results;
}

/* Every id answered with its own checkout. */
static void
assert_all_refreshed (GPtrArray *results,
                      GPtrArray *ids)
{
  g_assert_cmpuint (results->len, ==, ids->len - 1);
  for (guint i = 0; i < results->len; i++)
    {
      NpRetrieveResult *r = g_ptr_array_index (results, i);

      g_assert_no_error (r->error);
      g_assert_nonnull (r->checkout);
      g_assert_cmpstr (np_checkout_get_id (r->checkout), ==, g_ptr_array_index (ids, i));
    }
}

/* The most retrieves the server was working on at the same time. */
static guint
max_concurrent (JsonArray *requests)
{
  guint len = json_array_get_length (requests);
  guint best = 0;

  for (guint i = 0; i < len; i++)
    {
      gint64 at = json_object_get_int_member (json_array_get_object_element (requests, i), "arrived_us");
      guint n = 0;

      for (guint j = 0; j < len; j++)
        {
          JsonObject *other = json_array_get_object_element (requests, j);

          if (json_object_get_int_member (other, "arrived_us") <= at &&
              json_object_get_int_member (other, "answered_us") > at)
            n++;
        }
      best = MAX (best, n);
    }
  return best;
}

static void
test_grows_with_latency (void)
{
  g_autofree char *state = g_build_filename (np_test_get_home (), "many-grow.json", NULL);
  g_autoptr(GPtrArray) ids = make_checkouts (400, state);
  NpSandboxOptions options = { .state_path = state, .test_key = TEST_KEY, .live_key = LIVE_KEY, .latency_ms = 50 };
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_with_options (&options);
  g_autoptr(NpClient) client = client_for (sandbox);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  guint most;

  results = refresh (client, ids, 16, &error);
  g_assert_no_error (error);
  assert_all_refreshed (results, ids);

  requests = np_test_sandbox_get_requests (sandbox);
  g_assert_cmpuint (json_array_get_length (requests), ==, 400);
  most = max_concurrent (requests);
  g_test_message ("at most %u at once at the server", most);
  /* Grew past the old fixed 8 while throughput grew; never past the cap. */
  g_assert_cmpuint (most, >, 8);
  g_assert_cmpuint (most, <=, 16);
}

static void
test_rate_limited (void)
{
  g_autofree char *state = g_build_filename (np_test_get_home (), "many-limited.json", NULL);
  g_autoptr(GPtrArray) ids = make_checkouts (120, state);
  NpSandboxOptions options = { .state_path = state, .test_key = TEST_KEY, .live_key = LIVE_KEY,
                               .latency_ms = 20, .rate_limit = 25, .rate_burst = 10 };
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_with_options (&options);
  g_autoptr(NpClient) client = client_for (sandbox);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  guint limited, len, n_limited = 0, n_ok = 0;

  results = refresh (client, ids, 32, &error);
  g_assert_no_error (error);
  /* Not one id given up for a 429. */
  assert_all_refreshed (results, ids);

  limited = np_test_sandbox_count_rate_limited (sandbox, "/checkout/retrieve");
  g_test_message ("%u answered 429", limited);
  /* The limit was met (the test would prove nothing otherwise)... */
  g_assert_cmpuint (limited, >, 0);
  g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/retrieve"), ==, 120 + limited);

  /* ...and each Retry-After honoured: after the server wrote a 429 that said R
   * seconds, no request arrived before R seconds had passed. The first half second
   * is left out: the client may start requests (for other answers) before it has
   * read the 429, and a loaded machine, or a sanitizer build, delays that reading
   * (154 ms seen under ASan). A client that ignored Retry-After would go on sending
   * through the rest of the second, which is still judged. */
  requests = np_test_sandbox_get_requests (sandbox);
  len = json_array_get_length (requests);
  for (guint i = 0; i < len; i++)
    {
      JsonObject *entry = json_array_get_object_element (requests, i);
      gint64 answered, resume;

      if (json_object_get_int_member (entry, "status") != 429)
        {
          n_ok++;
          continue;
        }
      n_limited++;
      g_assert_cmpint (json_object_get_int_member (entry, "retry_after"), >=, 1);
      answered = json_object_get_int_member (entry, "answered_us");
      resume = answered + json_object_get_int_member (entry, "retry_after") * G_USEC_PER_SEC;
      for (guint j = 0; j < len; j++)
        {
          gint64 arrived = json_object_get_int_member (json_array_get_object_element (requests, j), "arrived_us");

          if (arrived > answered + G_USEC_PER_SEC / 2 && arrived < resume)
            g_error ("a request arrived %.3f s after a 429 that said Retry-After: %" G_GINT64_FORMAT,
                     (arrived - answered) / 1e6, json_object_get_int_member (entry, "retry_after"));
        }
    }
  g_assert_cmpuint (n_limited, ==, limited);
  g_assert_cmpuint (n_ok, ==, 120);
}

/* Injected 503s: the batch asks again, after a wait, and every id is refreshed. */
static void
test_unavailable_asked_again (void)
{
  g_autofree char *state = g_build_filename (np_test_get_home (), "many-503.json", NULL);
  g_autoptr(GPtrArray) ids = make_checkouts (20, state);
  NpSandboxOptions options = { .state_path = state, .test_key = TEST_KEY, .live_key = LIVE_KEY };
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_with_options (&options);
  g_autoptr(NpClient) client = client_for (sandbox);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  np_test_sandbox_add_fault (sandbox, "/checkout/retrieve", "status:503", 3);
  results = refresh (client, ids, 0, &error);
  g_assert_no_error (error);
  assert_all_refreshed (results, ids);
  g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/retrieve"), ==, 23);
}

/* A front end that keeps 4 connections per address: the connections beyond are
 * closed as they come; the batch falls back to fewer at once and refreshes all. */
static void
test_connection_limit (void)
{
  g_autofree char *state = g_build_filename (np_test_get_home (), "many-connections.json", NULL);
  g_autoptr(GPtrArray) ids = make_checkouts (200, state);
  NpSandboxOptions options = { .state_path = state, .test_key = TEST_KEY, .live_key = LIVE_KEY,
                               .latency_ms = 20, .max_connections = 4 };
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_with_options (&options);
  g_autoptr(NpClient) client = client_for (sandbox);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  g_autofree char *stats = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 refused;

  results = refresh (client, ids, 32, &error);
  g_assert_no_error (error);
  assert_all_refreshed (results, ids);

  /* Asked on one of the client's own connections: a new one from this address
   * could be refused while the client's are open. */
  np_client_sandbox_request_async (client, "GET", "/sandbox/stats", NULL, NULL, NULL, np_test_store_result, &result);
  stats = np_client_sandbox_request_finish (client, np_test_wait_result (&result, WAIT_MS), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  root = json_from_string (stats, &error);
  g_assert_no_error (error);
  refused = json_object_get_int_member (json_node_get_object (root), "refused_connections");
  g_test_message ("%" G_GINT64_FORMAT " connections closed by the sandbox", refused);
  /* The limit was met (the test would prove nothing otherwise). */
  g_assert_cmpint (refused, >, 0);
}

static gboolean
limited_once (gpointer data)
{
  return np_test_sandbox_count_requests (data, "/checkout/retrieve") >= 1;
}

/* Cancel while the batch waits out a Retry-After of 30 s: it ends at once,
 * cancelled, and sends nothing more. */
static void
test_cancel_while_waiting (void)
{
  g_autoptr(NpTestSandbox) sandbox = NULL;
  NpSandboxOptions options = { .test_key = TEST_KEY, .live_key = LIVE_KEY };
  g_autoptr(NpClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  gint64 cancelled_at;
  guint sent;

  sandbox = np_test_sandbox_new_with_options (&options);
  client = client_for (sandbox);
  np_test_sandbox_add_fault_rule (sandbox, "{\"path\": \"/checkout/retrieve\", \"fault\": \"status:429\", "
                                           "\"count\": -1, \"retry_after\": 30}");
  for (guint i = 0; i < 50; i++)
    g_ptr_array_add (ids, g_strdup_printf ("id-%u", i));
  g_ptr_array_add (ids, NULL);

  np_client_retrieve_many_async (client, (const char * const *) ids->pdata, 0, NULL, NULL, cancellable,
                                 np_test_store_result, &result);
  np_test_wait_until (limited_once, sandbox, WAIT_MS, "a 429");
  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  results = np_client_retrieve_many_finish (client, np_test_wait_result (&result, WAIT_MS), &error);
  g_clear_object (&result);

  g_assert_null (results);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, 5 * G_USEC_PER_SEC);
  /* It started its first few, and waited rather than trying the rest. */
  sent = np_test_sandbox_count_requests (sandbox, "/checkout/retrieve");
  g_assert_cmpuint (sent, >=, 1);
  g_assert_cmpuint (sent, <=, 4);
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  g_test_add_func ("/client/many/grows-with-latency", test_grows_with_latency);
  g_test_add_func ("/client/many/rate-limited", test_rate_limited);
  g_test_add_func ("/client/many/unavailable-asked-again", test_unavailable_asked_again);
  g_test_add_func ("/client/many/cancel-while-waiting", test_cancel_while_waiting);
  g_test_add_func ("/client/many/connection-limit", test_connection_limit);
  return g_test_run ();
}
