/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sandbox-limits.c — the sandbox's limits, over real HTTP to an in-process
 * sandbox.
 *
 * The request-body limit: a body one byte over NP_SANDBOX_MAX_BODY_SIZE is answered
 * 413 in the API's error shape and changes nothing, whether it says its length,
 * comes in chunks or waits for "100 Continue"; a body of exactly the limit is
 * processed; the server keeps serving afterwards.
 *
 * What makes it behave like a remote API, judged by what the server itself saw
 * (GET /sandbox/stats and /sandbox/requests): latency_ms holds every answer back;
 * rate_limit answers 429 with Retry-After above N calls per second per key and
 * lets exactly the bucket's worth through; max_connections closes a client
 * address's connection beyond N. */
#include <string.h>

#include "np-test-utils.h"
#include "np-sandbox-server.h"
#include "test-sandbox-client.h"

#define CREATE_START "{\"amount\": 2000, \"currency\": \"SEK\", \"message\": \"Big order\""

/* A valid create body of exactly @size bytes: JSON allows any run of spaces. */
static GBytes *
create_body (gsize size)
{
  gsize start = strlen (CREATE_START);
  char *data = g_malloc (size);

  g_assert_cmpuint (size, >, start + 1);
  memcpy (data, CREATE_START, start);
  memset (data + start, ' ', size - start - 1);
  data[size - 1] = '}';

  return g_bytes_new_take (data, size);
}

typedef enum {
  SEND_LENGTH,    /* Content-Length */
  SEND_CHUNKED,   /* Transfer-Encoding: chunked */
  SEND_EXPECT,    /* Content-Length and Expect: 100-continue */
} SendMode;

/* POSTs @body to /checkout/create with the test key; returns the status, the
 * answer's object in @out, and in @out_sent how much of @body the client read. */
static guint
send_create (NpTestSandbox  *sandbox,
             GBytes         *body,
             SendMode        mode,
             JsonObject    **out,
             gsize          *out_sent)
{
  g_autofree char *url = g_strconcat (np_test_sandbox_get_base_url (sandbox), "/checkout/create", NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", np_test_sandbox_get_test_key (sandbox));
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (body);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (headers, "Authorization", auth);
  soup_message_set_request_body (msg, "application/json", stream,
                                 mode == SEND_CHUNKED ? -1 : (gssize) g_bytes_get_size (body));
  if (mode == SEND_CHUNKED)
    g_assert_cmpint (soup_message_headers_get_encoding (headers), ==, SOUP_ENCODING_CHUNKED);
  if (mode == SEND_EXPECT)
    soup_message_headers_set_expectations (headers, SOUP_EXPECTATION_CONTINUE);

  answer = soup_session_send_and_read (test_client_session (), msg, NULL, &error);
  g_assert_no_error (error);

  *out = NULL;
  if (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    *out = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  if (out_sent != NULL)
    *out_sent = g_seekable_tell (G_SEEKABLE (stream));

  /* The client that held its body back may still send it: the server closes. */
  if (mode == SEND_EXPECT && soup_message_get_status (msg) == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    g_assert_true (soup_message_headers_header_contains (soup_message_get_response_headers (msg),
                                                         "Connection", "close"));
  if (soup_message_get_status (msg) == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "X-Request-Id"),
                     ==, json_object_get_string_member (json_object_get_object_member (*out, "error"),
                                                        "requestId"));
  return soup_message_get_status (msg);
}

static void
assert_too_large (JsonObject *answer)
{
  JsonObject *error;

  g_assert_nonnull (answer);
  g_assert_true (json_object_has_member (answer, "error"));
  error = json_object_get_object_member (answer, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "payload_too_large");
  g_assert_nonnull (strstr (json_object_get_string_member (error, "message"), "1048576 bytes"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (error, "requestId"), "req_"));
}

/* After a refusal the same session (and connection) is served as before. */
static void
assert_still_serving (NpTestSandbox *sandbox,
                      guint          applied_before)
{
  g_autoptr(JsonObject) created = test_ok (sandbox, "/checkout/create",
                                           "{\"amount\": 100, \"currency\": \"SEK\", \"message\": \"Small\"}");

  g_assert_cmpstr (json_object_get_string_member (created, "status"), ==, "created");
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/create"), ==, applied_before + 1);
}

static void
run_limit (SendMode mode)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(GBytes) at_limit = create_body (NP_SANDBOX_MAX_BODY_SIZE);
  g_autoptr(GBytes) over_limit = create_body (NP_SANDBOX_MAX_BODY_SIZE + 1);
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) refused = NULL;

  g_assert_cmpuint (NP_SANDBOX_MAX_BODY_SIZE, ==, 1024 * 1024);

  /* Exactly the limit: processed as any create. */
  g_assert_cmpuint (send_create (sandbox, at_limit, mode, &created, NULL), ==, SOUP_STATUS_OK);
  g_assert_nonnull (created);
  g_assert_cmpstr (json_object_get_string_member (created, "message"), ==, "Big order");
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/create"), ==, 1);

  /* One byte more: refused, and nothing is created. */
  g_assert_cmpuint (send_create (sandbox, over_limit, mode, &refused, NULL), ==,
                    SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  assert_too_large (refused);
  g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/create"), ==, 2);
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/create"), ==, 1);

  assert_still_serving (sandbox, 1);
}

static void
test_content_length (void)
{
  run_limit (SEND_LENGTH);
}

static void
test_chunked (void)
{
  run_limit (SEND_CHUNKED);
}

/* A client that asks first is refused on its headers: it never sends the body. */
static void
test_expect_continue (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(GBytes) over_limit = create_body (NP_SANDBOX_MAX_BODY_SIZE + 1);
  g_autoptr(GBytes) small = create_body (200);
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) created = NULL;
  gsize sent = G_MAXSIZE;

  g_assert_cmpuint (send_create (sandbox, over_limit, SEND_EXPECT, &refused, &sent), ==,
                    SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  assert_too_large (refused);
  g_assert_cmpuint (sent, ==, 0);
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/create"), ==, 0);

  /* Under the limit, the same client is told to go on and sends it all. */
  g_assert_cmpuint (send_create (sandbox, small, SEND_EXPECT, &created, &sent), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (sent, ==, 200);
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/create"), ==, 1);

  assert_still_serving (sandbox, 1);
}

/* Latency ------------------------------------------------------------------ */

static void
test_latency (void)
{
  NpSandboxOptions options = { .latency_ms = 150 };
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_with_options (&options);
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonArray) requests = NULL;
  gint64 before = g_get_monotonic_time ();
  JsonObject *entry;

  created = test_ok (sandbox, "/checkout/create", "{\"amount\": 100, \"currency\": \"SEK\", \"message\": \"Slow\"}");
  g_assert_cmpint (g_get_monotonic_time () - before, >=, 150 * 1000);

  /* At the server: written no sooner than 150 ms after it arrived. */
  requests = np_test_sandbox_get_requests (sandbox);
  g_assert_cmpuint (json_array_get_length (requests), ==, 1);
  entry = json_array_get_object_element (requests, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "path"), ==, "/checkout/create");
  g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (entry, "answered_us") -
                   json_object_get_int_member (entry, "arrived_us"), >=, 150 * 1000);
}

/* Rate limit --------------------------------------------------------------- */

/* POST /checkout/retrieve of an unknown id under @key: the status, and the
 * Retry-After header in @out_retry_after (NULL when none). */
static guint
retrieve_unknown (NpTestSandbox  *sandbox,
                  const char     *key,
                  char          **out_retry_after,
                  char          **out_code)
{
  g_autofree char *url = g_strconcat (np_test_sandbox_get_base_url (sandbox), "/checkout/retrieve", NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", key);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"checkout_id\": \"nope\"}", 23);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = soup_session_send_and_read (test_client_session (), msg, NULL, &error);
  g_assert_no_error (error);
  if (out_retry_after != NULL)
    *out_retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                               "Retry-After"));
  if (out_code != NULL)
    {
      *out_code = NULL;
      if (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL))
        *out_code = g_strdup (json_object_get_string_member (
          json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "error"), "code"));
    }
  return soup_message_get_status (msg);
}

static void
test_rate_limit (void)
{
  NpSandboxOptions options = { .rate_limit = 5, .rate_burst = 5 };
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_with_options (&options);
  const char *test_key = np_test_sandbox_get_test_key (sandbox);
  g_autoptr(JsonArray) requests = NULL;
  g_autofree char *retry_after = NULL;
  g_autofree char *code = NULL;
  guint n_through = 0, n_limited = 0, i;
  gint64 first_us, last_us, started = g_get_monotonic_time ();
  double span_s;

  /* The bucket's five at once, then 429 "rate_limited" with Retry-After 1 (a
   * token comes back in 0.2 s: whole seconds, rounded up). */
  for (i = 0; i < 5; i++)
    g_assert_cmpuint (retrieve_unknown (sandbox, test_key, NULL, NULL), ==, 404);
  g_assert_cmpuint (retrieve_unknown (sandbox, test_key, &retry_after, &code), ==, 429);
  g_assert_cmpstr (retry_after, ==, "1");
  g_assert_cmpstr (code, ==, "rate_limited");

  /* Per key: the live key has a bucket of its own; the sandbox's own calls have none. */
  g_assert_cmpuint (retrieve_unknown (sandbox, np_test_sandbox_get_live_key (sandbox), NULL, NULL), ==, 404);
  g_assert_cmpuint (np_test_sandbox_count_rate_limited (sandbox, "/checkout/retrieve"), ==, 1);

  /* Calls as fast as one client can make them for 1.2 s of the server's time:
   * what gets through is the bucket plus 5 per second, no more, and not much less. */
  while (g_get_monotonic_time () - started < 1200 * 1000)
    {
      guint status = retrieve_unknown (sandbox, test_key, NULL, NULL);

      g_assert_true (status == 404 || status == 429);
    }
  requests = np_test_sandbox_get_requests (sandbox);
  first_us = json_object_get_int_member (json_array_get_object_element (requests, 0), "arrived_us");
  last_us = json_object_get_int_member (json_array_get_object_element (requests,
                                          json_array_get_length (requests) - 1), "arrived_us");
  for (i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *entry = json_array_get_object_element (requests, i);
      gint64 status = json_object_get_int_member (entry, "status");

      if (json_object_get_int_member_with_default (entry, "retry_after", 0) == 0 && status == 404)
        n_through++;
      else if (status == 429)
        {
          g_assert_cmpint (json_object_get_int_member (entry, "retry_after"), ==, 1);
          n_limited++;
        }
    }
  span_s = (last_us - first_us) / (double) G_USEC_PER_SEC;
  /* Minus the live key's one. */
  n_through--;
  g_assert_cmpfloat (n_through, <=, 5 + 5 * span_s + 1);
  g_assert_cmpfloat (n_through, >=, 5 + 5 * span_s - 2);
  g_assert_cmpuint (n_limited, >, 0);
  /* Counted at the server, and a 429 is all it did. */
  g_assert_cmpuint (np_test_sandbox_count_rate_limited (sandbox, "/checkout/retrieve"), ==, n_limited);
  g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/retrieve"), ==, n_through + n_limited + 1);
}

/* A create refused by the limit creates nothing. */
static void
test_rate_limit_changes_nothing (void)
{
  NpSandboxOptions options = { .rate_limit = 1, .rate_burst = 1 };
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_with_options (&options);
  g_autoptr(JsonObject) created = NULL;

  created = test_ok (sandbox, "/checkout/create", "{\"amount\": 100, \"currency\": \"SEK\", \"message\": \"One\"}");
  test_refused (sandbox, "/checkout/create", "{\"amount\": 100, \"currency\": \"SEK\", \"message\": \"Two\"}",
                429, "rate_limited");
  g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/create"), ==, 2);
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/create"), ==, 1);
  g_assert_cmpuint (np_test_sandbox_count_rate_limited (sandbox, "/checkout/create"), ==, 1);
}

/* Connections ---------------------------------------------------------------- */

static GSocketConnection *
connect_raw (NpTestSandbox *sandbox)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_uri (client, np_test_sandbox_get_base_url (sandbox), 0, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

/* GET /sandbox/stats on @connection, kept alive; returns refused_connections. */
static gint64
raw_stats (NpTestSandbox     *sandbox,
           GSocketConnection *connection)
{
  g_autofree char *request = g_strdup_printf ("GET /sandbox/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n\r\n",
                                              np_test_sandbox_get_test_key (sandbox));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *body = NULL;
  guint64 length = 0;
  char buffer[4096];

  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                            request, strlen (request), NULL, NULL, &error));
  g_assert_no_error (error);
  /* Headers, then as much body as Content-Length says. */
  for (;;)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error);
      const char *length_header;

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (answer, buffer, n);
      body = strstr (answer->str, "\r\n\r\n");
      length_header = g_strstr_len (answer->str, -1, "Content-Length: ");
      if (body == NULL || length_header == NULL)
        continue;
      length = g_ascii_strtoull (length_header + 16, NULL, 10);
      if ((gsize) (answer->str + answer->len - (body + 4)) >= length)
        break;
    }
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 200"));
  g_assert_true (json_parser_load_from_data (parser, body + 4, length, NULL));
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "refused_connections");
}

static void
test_max_connections (void)
{
  NpSandboxOptions options = { .max_connections = 2 };
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_with_options (&options);
  g_autoptr(GSocketConnection) first = connect_raw (sandbox);
  g_autoptr(GSocketConnection) second = connect_raw (sandbox);
  g_autoptr(GSocketConnection) third = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket;
  char byte;
  gssize n;

  /* Two are served, one after the other and kept alive. */
  g_assert_cmpint (raw_stats (sandbox, first), ==, 0);
  g_assert_cmpint (raw_stats (sandbox, second), ==, 0);

  /* The third from the same address is closed before anything is read: end of
   * stream (or a reset) where the answer would be. */
  third = connect_raw (sandbox);
  socket = g_socket_connection_get_socket (third);
  g_socket_set_timeout (socket, 10);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (third)),
                             "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27, NULL, NULL, NULL);
  n = g_socket_receive (socket, &byte, 1, NULL, &error);
  if (n < 0)
    g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
                   g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
                   g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED));
  else
    g_assert_cmpint (n, ==, 0);

  /* Counted at the server; the first two still served. */
  g_assert_cmpint (raw_stats (sandbox, first), ==, 1);
  g_assert_cmpint (raw_stats (sandbox, second), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  np_test_init (&argc, &argv);
  g_test_add_func ("/sandbox/limits/content-length", test_content_length);
  g_test_add_func ("/sandbox/limits/chunked", test_chunked);
  g_test_add_func ("/sandbox/limits/expect-continue", test_expect_continue);
  g_test_add_func ("/sandbox/limits/latency", test_latency);
  g_test_add_func ("/sandbox/limits/rate-limit", test_rate_limit);
  g_test_add_func ("/sandbox/limits/rate-limit-changes-nothing", test_rate_limit_changes_nothing);
  g_test_add_func ("/sandbox/limits/max-connections", test_max_connections);
  result = g_test_run ();
  test_client_cleanup ();
  return result;
}
