/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-client-hostile.c — NpClient against a server that answers with hostile
 * bodies (issue 21): a real SoupServer on loopback whose every answer is set by
 * the test. Crafted nesting that crashed json-glib, impossible amounts, and error
 * texts without bounds or with control characters. */
#include <libsoup/soup.h>
#include <string.h>

#include "np-client.h"
#include "np-test-utils.h"

#define WAIT_MS 20000

typedef struct {
  SoupServer *server;
  NpClient   *client;
  guint       status;
  GBytes     *body;
  const char *content_type;
  char       *request_id;   /* X-Request-Id header, or NULL */
  guint       hits;
} Fixture;

static void
serve (SoupServer        *server,
       SoupServerMessage *msg,
       const char        *path,
       GHashTable        *query,
       gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  f->hits++;
  soup_server_message_set_status (msg, f->status, NULL);
  if (f->request_id != NULL)
    soup_message_headers_append (headers, "X-Request-Id", f->request_id);
  soup_server_message_set_response (msg, f->content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (f->body, NULL), g_bytes_get_size (f->body));
}

static void
hostile_server_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *base = NULL;

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, serve, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  f->client = np_client_new (base, "test-key", &error);
  g_assert_no_error (error);
  np_client_set_timeout (f->client, 10);
  np_client_set_max_retries (f->client, 0);
  f->content_type = "application/json";
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  g_clear_object (&f->server);
  g_clear_pointer (&f->body, g_bytes_unref);
  g_clear_pointer (&f->request_id, g_free);
}

static void
answer_with (Fixture    *f,
             guint       status,
             const char *body,
             gsize       len)
{
  g_clear_pointer (&f->body, g_bytes_unref);
  f->body = g_bytes_new (body, len);
  f->status = status;
}

static NpCheckout *
retrieve (Fixture  *f,
          GError  **error)
{
  GAsyncResult *result = NULL;
  NpCheckout *checkout;

  np_client_retrieve_checkout_async (f->client, "c0ffee", NULL, np_test_store_result, &result);
  checkout = np_client_checkout_finish (f->client, np_test_wait_result (&result, WAIT_MS), error);
  g_clear_object (&result);
  return checkout;
}

/* 200 KB whose '[' a quote-counting pre-check did not see: the client crashed. */
static void
test_comment_hidden_nesting (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GString) body = g_string_new ("{\"checkout_id\": \"c0ffee\", \"amount\": 1, \"a\": /*\"*/ ");
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, ']');
  g_string_append (body, " /*\"*/}");
  answer_with (f, 200, body->str, body->len);

  checkout = retrieve (f, &error);
  g_assert_null (checkout);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "comment"));
  g_assert_cmpuint (f->hits, ==, 1);
}

static void
test_impossible_amounts (Fixture       *f,
                         gconstpointer  data)
{
  static const struct { const char *body; const char *field; } cases[] = {
    { "{\"checkout_id\": \"c0ffee\", \"status\": \"paid\", \"amount\": 9223372036854775808}", "\"amount\"" },
    { "{\"checkout_id\": \"c0ffee\", \"status\": \"paid\", \"amount\": 1e400}", "\"amount\"" },
    { "{\"checkout_id\": \"c0ffee\", \"status\": \"paid\", \"amount\": -2000}", "\"amount\"" },
    { "{\"checkout_id\": \"c0ffee\", \"status\": \"paid\", \"amount\": 2000, \"refunded_amount\": 2001}",
      "\"refunded_amount\"" },
    { "{\"checkout_id\": \"c0ffee\", \"status\": \"paid\", \"amount\": 2000, \"refunds\": [{\"amount\": -1}]}",
      "\"refunds[0].amount\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NpCheckout) checkout = NULL;

      answer_with (f, 200, cases[i].body, strlen (cases[i].body));
      checkout = retrieve (f, &error);
      g_test_message ("%s: %s", cases[i].body, error ? error->message : "(accepted)");
      g_assert_null (checkout);
      g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);
      g_assert_nonnull (strstr (error->message, cases[i].field));
    }
}

/* A refund whose 2xx answer holds an impossible amount: it was sent, so the
 * outcome is unknown (never retried), and the message names the field. */
static void
test_refund_answer_amount (Fixture       *f,
                           gconstpointer  data)
{
  static const char body[] = "{\"checkout_id\": \"c0ffee\", \"status\": \"refunded\", \"amount\": 2000,"
                             " \"refunded_amount\": -18446744073709551615}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = NULL;
  GAsyncResult *result = NULL;

  answer_with (f, 200, body, strlen (body));
  np_client_refund_checkout_async (f->client, "c0ffee", 500, NULL, NULL, NULL, np_test_store_result, &result);
  checkout = np_client_checkout_finish (f->client, np_test_wait_result (&result, WAIT_MS), &error);
  g_clear_object (&result);
  g_assert_null (checkout);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_OUTCOME_UNKNOWN);
  g_assert_nonnull (strstr (error->message, "\"refunded_amount\""));
  g_assert_cmpuint (f->hits, ==, 1);
}

static void
assert_clean (const char *text,
              guint       max_chars)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (text, -1), <=, max_chars + 1);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x202e)
        g_error ("U+%04X left in “%s”", c, text);
    }
}

/* The server's message, field and request id are capped (1,000, 200, 200
 * characters on a character boundary) and cleaned of control characters;
 * invalid UTF-8 is made valid rather than dropped. */
static void
test_error_fields (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GString) body = g_string_new ("{\"error\": {\"message\": \"start\\u001b[31m\\u0085\\u2028\\u202e");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) text_error = NULL;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autofree char *sentence = NULL;
  const char *field;
  const char *request_id;

  for (guint i = 0; i < 3000; i++)
    g_string_append (body, "\xc3\xa9");           /* é: two bytes, one character */
  g_string_append (body, "\", \"field\": \"amo\\nunt");
  for (guint i = 0; i < 500; i++)
    g_string_append (body, "\xe2\x82\xac");       /* €: three bytes */
  g_string_append (body, "\", \"requestId\": \"req\\t");
  for (guint i = 0; i < 500; i++)
    g_string_append_c (body, 'r');
  g_string_append (body, "\"}}");
  answer_with (f, 422, body->str, body->len);

  checkout = retrieve (f, &error);
  g_assert_null (checkout);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_REQUEST);
  g_test_message ("%.200s", error->message);
  field = np_client_error_get_field (error);
  request_id = np_client_error_get_request_id (error);
  assert_clean (error->message, 1000 + strlen ("HTTP 422 Unprocessable Entity: "));
  assert_clean (field, 200);
  assert_clean (request_id, 200);
  g_assert_true (g_str_has_prefix (field, "amo unt"));
  g_assert_true (g_str_has_prefix (request_id, "req r"));
  g_assert_cmpuint (g_utf8_strlen (field, -1), ==, 201);
  g_assert_true (g_str_has_suffix (field, "€…"));
  g_assert_cmpuint (g_utf8_strlen (request_id, -1), ==, 201);
  g_assert_nonnull (strstr (error->message, "start [31m"));
  g_assert_true (g_str_has_suffix (error->message, "é…"));
  sentence = np_client_error_describe (error);
  assert_clean (sentence, 2000);

  /* Plain text with invalid UTF-8 and escape sequences, and a long header id. */
  g_free (f->request_id);
  f->request_id = g_strnfill (5000, 'h');
  f->content_type = "text/plain";
  answer_with (f, 400, "bad \xff\xfe value \x1b[31m red\r\nsecond line", 35);
  g_clear_object (&checkout);
  checkout = retrieve (f, &text_error);
  g_assert_error (text_error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_REQUEST);
  g_test_message ("%s", text_error->message);
  assert_clean (text_error->message, 1100);
  g_assert_nonnull (strstr (text_error->message, "bad \xef\xbf\xbd\xef\xbf\xbd value  [31m red  second line"));
  assert_clean (np_client_error_get_request_id (text_error), 200);
  g_assert_cmpuint (g_utf8_strlen (np_client_error_get_request_id (text_error), -1), ==, 201);
}

int
main (int argc, char *argv[])
{
  np_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/api/client-hostile/" path, Fixture, NULL, hostile_server_setup, func, fixture_teardown)
  ADD ("comment-hidden-nesting", test_comment_hidden_nesting);
  ADD ("impossible-amounts", test_impossible_amounts);
  ADD ("refund-answer-amount", test_refund_answer_amount);
  ADD ("error-fields", test_error_fields);
#undef ADD

  return g_test_run ();
}
