/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sandbox-faults.c — every injected fault as a client sees it, and whether the
 * call behind it changed the state (drop and truncated do; drop-before, status and
 * html do not). Also counts, "*" rules, refused rules and the global latency. */
#include "np-test-utils.h"
#include "test-sandbox-client.h"

#define ORDER "{\"amount\": 2000, \"currency\": \"SEK\", \"message\": \"Order\"}"

typedef struct
{
  guint   status;
  GError *error;
  char   *body;
  char   *content_type;
  char   *retry_after;
  double  ms;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_error (&answer->error);
  g_clear_pointer (&answer->body, g_free);
  g_clear_pointer (&answer->content_type, g_free);
  g_clear_pointer (&answer->retry_after, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

/* A raw call that keeps transport errors instead of asserting on them. */
static void
raw_call (NpTestSandbox *sandbox,
          SoupSession   *session,
          const char    *path,
          const char    *body,
          Answer        *answer)
{
  g_autofree char *url = g_strconcat (np_test_sandbox_get_base_url (sandbox), path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", np_test_sandbox_get_test_key (sandbox));
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) data = NULL;
  gint64 start = g_get_monotonic_time ();
  SoupMessageHeaders *headers;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  data = soup_session_send_and_read (session, msg, NULL, &answer->error);
  answer->ms = (g_get_monotonic_time () - start) / 1000.0;
  answer->status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  answer->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  answer->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  if (data != NULL)
    answer->body = g_strndup (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
}

static gboolean
is_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  return text != NULL && json_parser_load_from_data (parser, text, -1, NULL);
}

static void
test_status (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_auto(Answer) unavailable = { 0 };
  g_auto(Answer) limited = { 0 };
  g_auto(Answer) normal = { 0 };

  np_test_sandbox_add_fault (sandbox, "/checkout/create", "status:503", 1);
  np_test_sandbox_add_fault (sandbox, "/checkout/create", "status:429", 1);
  raw_call (sandbox, test_client_session (), "/checkout/create", ORDER, &unavailable);
  raw_call (sandbox, test_client_session (), "/checkout/create", ORDER, &limited);
  raw_call (sandbox, test_client_session (), "/checkout/create", ORDER, &normal);

  g_assert_no_error (unavailable.error);
  g_assert_cmpuint (unavailable.status, ==, 503);
  g_assert_true (is_json (unavailable.body));
  g_assert_nonnull (strstr (unavailable.body, "\"requestId\""));
  g_assert_cmpuint (limited.status, ==, 429);
  g_assert_cmpstr (limited.retry_after, ==, "1");
  g_assert_cmpuint (normal.status, ==, 200);
  /* The faulty calls changed nothing. */
  g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/create"), ==, 3);
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/create"), ==, 1);
}

static void
test_latency (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_auto(Answer) slow = { 0 };

  np_test_sandbox_add_fault (sandbox, "/checkout/create", "latency:400", 1);
  raw_call (sandbox, test_client_session (), "/checkout/create", ORDER, &slow);
  g_assert_no_error (slow.error);
  g_assert_cmpuint (slow.status, ==, 200);
  g_assert_cmpfloat (slow.ms, >=, 400);
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/create"), ==, 1);
}

static void
test_global_latency (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_full (NULL, NULL, NULL, 250);
  g_auto(Answer) slow = { 0 };

  raw_call (sandbox, test_client_session (), "/checkout/create", ORDER, &slow);
  g_assert_cmpuint (slow.status, ==, 200);
  g_assert_cmpfloat (slow.ms, >=, 250);
}

static void
test_malformed_and_html (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_auto(Answer) malformed = { 0 };
  g_auto(Answer) html = { 0 };

  np_test_sandbox_add_fault (sandbox, "/checkout/create", "malformed", 1);
  np_test_sandbox_add_fault (sandbox, "/checkout/create", "html", 1);
  raw_call (sandbox, test_client_session (), "/checkout/create", ORDER, &malformed);
  raw_call (sandbox, test_client_session (), "/checkout/create", ORDER, &html);

  g_assert_no_error (malformed.error);
  g_assert_cmpuint (malformed.status, ==, 200);
  g_assert_cmpstr (malformed.content_type, ==, "application/json");
  g_assert_false (is_json (malformed.body));
  /* Broken from the start, not a whole answer with junk after it. */
  g_assert_true (g_str_has_prefix (malformed.body, "{\"checkout_id\": \"c0ffee\""));
  g_assert_cmpuint (html.status, ==, 502);
  g_assert_cmpstr (html.content_type, ==, "text/html");
  g_assert_nonnull (strstr (html.body, "<html>"));
  /* Malformed came after the checkout was made; html (a proxy's page) before. */
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/create"), ==, 1);
}

static void
test_drop_after_processing (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *id = test_create (sandbox, ORDER);
  g_autofree char *body = g_strdup_printf ("{\"checkout_id\": \"%s\", \"amount\": 500}", id);
  g_autoptr(JsonObject) after = NULL;
  g_auto(Answer) warm = { 0 };
  g_auto(Answer) dropped = { 0 };

  g_assert_true (np_test_sandbox_pay (sandbox, id, "success"));
  /* A kept-alive connection first, as a real client has one. */
  raw_call (sandbox, session, "/checkout/retrieve", body, &warm);
  g_assert_cmpuint (warm.status, ==, 200);

  np_test_sandbox_add_fault (sandbox, "/checkout/refund", "drop", 1);
  raw_call (sandbox, session, "/checkout/refund", body, &dropped);
  g_assert_nonnull (dropped.error);
  g_assert_null (dropped.body);

  /* The client never heard, but exactly one refund was applied. */
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/refund"), ==, 1);
  g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/refund"), ==, 1);
  after = test_on (sandbox, "/checkout/retrieve", id, NULL);
  g_assert_cmpstr (json_object_get_string_member (after, "status"), ==, "partialRefund");
  g_assert_cmpint (json_object_get_int_member (after, "refunded_amount"), ==, 500);
}

static void
test_drop_before_and_truncated (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_auto(Answer) dropped = { 0 };
  g_auto(Answer) truncated = { 0 };
  g_auto(Answer) normal = { 0 };

  np_test_sandbox_add_fault (sandbox, "/checkout/create", "drop-before", 1);
  raw_call (sandbox, session, "/checkout/create", ORDER, &dropped);
  g_assert_nonnull (dropped.error);
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/create"), ==, 0);

  np_test_sandbox_add_fault (sandbox, "/checkout/create", "truncated", 1);
  raw_call (sandbox, session, "/checkout/create", ORDER, &truncated);
  g_assert_nonnull (truncated.error);
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/create"), ==, 1);

  /* The session recovers on a new connection. */
  raw_call (sandbox, session, "/checkout/create", ORDER, &normal);
  g_assert_no_error (normal.error);
  g_assert_cmpuint (normal.status, ==, 200);
  g_assert_cmpuint (np_test_sandbox_count_requests (sandbox, "/checkout/create"), ==, 3);
}

static void
test_counts_and_wildcard (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  guint statuses[5];

  np_test_sandbox_add_fault (sandbox, "/checkout/create", "status:500", 2);
  for (guint i = 0; i < 3; i++)
    {
      g_auto(Answer) answer = { 0 };
      raw_call (sandbox, test_client_session (), "/checkout/create", ORDER, &answer);
      statuses[i] = answer.status;
    }
  g_assert_cmpuint (statuses[0], ==, 500);
  g_assert_cmpuint (statuses[1], ==, 500);
  g_assert_cmpuint (statuses[2], ==, 200);

  np_test_sandbox_add_fault (sandbox, "*", "status:503", -1);
  for (guint i = 3; i < 5; i++)
    {
      g_auto(Answer) answer = { 0 };
      raw_call (sandbox, test_client_session (), i == 3 ? "/checkout/create" : "/checkout/retrieve",
                i == 3 ? ORDER : "{\"checkout_id\": \"x\"}", &answer);
      statuses[i] = answer.status;
    }
  g_assert_cmpuint (statuses[3], ==, 503);
  g_assert_cmpuint (statuses[4], ==, 503);
  np_test_sandbox_clear_faults (sandbox);
  g_free (test_create (sandbox, ORDER));
}

static void
test_framework_errors (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(JsonObject) framework = NULL;
  g_autoptr(JsonObject) normal = NULL;
  const char *key = np_test_sandbox_get_test_key (sandbox);

  np_test_sandbox_add_fault (sandbox, "*", "framework-errors", 1);
  g_assert_cmpuint (test_call (sandbox, key, "/checkout/retrieve", "{\"checkout_id\": \"nope\"}", &framework),
                    ==, 404);
  g_assert_cmpstr (json_object_get_string_member (framework, "name"), ==, "NotFoundError");
  g_assert_cmpint (json_object_get_int_member (framework, "status"), ==, 404);
  g_assert_cmpint (json_object_get_int_member (framework, "code"), ==, 404);
  g_assert_cmpstr (json_object_get_string_member (framework, "message"), !=, "");
  g_assert_false (json_object_has_member (framework, "error"));

  /* Used up: the next refusal has the usual form. */
  g_assert_cmpuint (test_call (sandbox, key, "/checkout/retrieve", "{\"checkout_id\": \"nope\"}", &normal),
                    ==, 404);
  g_assert_true (json_object_has_member (normal, "error"));
}

/* "rewrite" answers as usual with members set (objects merged), so a test can play
 * a hostile server; "set" and "request_id" also go with a refusal. */
static void
test_rewrite (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) retrieved = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autofree char *body = NULL;
  const char *key = np_test_sandbox_get_test_key (sandbox);
  const char *id;
  JsonObject *error;

  np_test_sandbox_add_fault_rule (sandbox, "{\"path\": \"/checkout/create\", \"fault\": \"rewrite\","
                                           " \"set\": {\"url\": \"javascript:alert(1)\","
                                           " \"metaData\": {\"extra\": \"x\"}}}");
  g_assert_cmpuint (test_call (sandbox, key, "/checkout/create",
                               "{\"amount\": 2000, \"currency\": \"SEK\", \"message\": \"Order\","
                               " \"metaData\": {\"orderId\": \"7\"}}", &created), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (created, "url"), ==, "javascript:alert(1)");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (created, "metaData"), "orderId"),
                   ==, "7");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (created, "metaData"), "extra"),
                   ==, "x");
  g_assert_cmpstr (json_object_get_string_member (created, "status"), ==, "created");

  /* Only the answer was changed, and only once: the stored checkout has its real link. */
  id = json_object_get_string_member (created, "checkout_id");
  body = g_strdup_printf ("{\"checkout_id\": \"%s\"}", id);
  g_assert_cmpuint (test_call (sandbox, key, "/checkout/retrieve", body, &retrieved), ==, 200);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (retrieved, "url"), "http://127.0.0.1:"));

  np_test_sandbox_add_fault_rule (sandbox, "{\"path\": \"/checkout/retrieve\", \"fault\": \"status:422\","
                                           " \"set\": {\"error\": {\"message\": \"R&D <b>\", \"field\": \"f\"}},"
                                           " \"request_id\": \"req-<i>\"}");
  g_assert_cmpuint (test_call (sandbox, key, "/checkout/retrieve", body, &refused), ==, 422);
  error = json_object_get_object_member (refused, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "message"), ==, "R&D <b>");
  g_assert_cmpstr (json_object_get_string_member (error, "field"), ==, "f");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "injected_fault");
}

static void
test_refused_rules (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  static const char * const rules[] = {
    "{\"path\": \"/checkout/create\", \"fault\": \"explode\"}",
    "{\"path\": \"/checkout/create\", \"fault\": \"status:200\"}",
    "{\"path\": \"/checkout/create\", \"fault\": \"latency:x\"}",
    "{\"path\": \"/pay/x\", \"fault\": \"drop\"}",
    "{\"fault\": \"drop\"}",
    "{\"path\": \"/checkout/create\", \"fault\": \"drop\", \"count\": 0}",
    "{\"path\": \"/checkout/create\", \"fault\": \"drop\", \"count\": \"1\"}",
    "{\"path\": \"/checkout/create\", \"fault\": \"rewrite\"}",
    "{\"path\": \"/checkout/create\", \"fault\": \"rewrite\", \"set\": \"url\"}",
    "{\"path\": \"/checkout/create\", \"fault\": \"rewrite\", \"request_id\": 7}",
    "nonsense",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    test_refused (sandbox, "/sandbox/faults", rules[i], 400, "invalid_request");
}

int
main (int   argc,
      char *argv[])
{
  int result;

  np_test_init (&argc, &argv);
  g_test_add_func ("/sandbox/faults/status", test_status);
  g_test_add_func ("/sandbox/faults/latency", test_latency);
  g_test_add_func ("/sandbox/faults/global-latency", test_global_latency);
  g_test_add_func ("/sandbox/faults/malformed-html", test_malformed_and_html);
  g_test_add_func ("/sandbox/faults/drop", test_drop_after_processing);
  g_test_add_func ("/sandbox/faults/drop-before-truncated", test_drop_before_and_truncated);
  g_test_add_func ("/sandbox/faults/counts-wildcard", test_counts_and_wildcard);
  g_test_add_func ("/sandbox/faults/framework-errors", test_framework_errors);
  g_test_add_func ("/sandbox/faults/rewrite", test_rewrite);
  g_test_add_func ("/sandbox/faults/refused-rules", test_refused_rules);
  result = g_test_run ();
  test_client_cleanup ();
  return result;
}
