/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sandbox-limits.c — the sandbox's request-body limit, over real HTTP to an
 * in-process sandbox: a body one byte over NP_SANDBOX_MAX_BODY_SIZE is answered
 * 413 in the API's error shape and changes nothing, whether it says its length,
 * comes in chunks or waits for "100 Continue"; a body of exactly the limit is
 * processed; the server keeps serving afterwards. */
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

int
main (int   argc,
      char *argv[])
{
  int result;

  np_test_init (&argc, &argv);
  g_test_add_func ("/sandbox/limits/content-length", test_content_length);
  g_test_add_func ("/sandbox/limits/chunked", test_chunked);
  g_test_add_func ("/sandbox/limits/expect-continue", test_expect_continue);
  result = g_test_run ();
  test_client_cleanup ();
  return result;
}
