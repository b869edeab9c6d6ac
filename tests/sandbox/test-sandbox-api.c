/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sandbox-api.c — create and retrieve, keys and worlds, and every validation
 * refusal of create, over real HTTP to an in-process sandbox. */
#include "np-test-utils.h"
#include "np-sandbox-thread.h"
#include "test-sandbox-client.h"

#define ORDER "\"amount\": 2000, \"currency\": \"SEK\", \"message\": \"Order #1001\""

static void
test_create_retrieve (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(JsonObject) created = test_ok (sandbox, "/checkout/create",
    "{" ORDER ", \"identifier\": \"order-1001\", \"returnUrl\": \"https://merchant.example/ok\","
    " \"returnUrlCancel\": \"https://merchant.example/cancel\", \"metaData\": {\"orderId\": \"1001\"}}");
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *url = NULL;
  const char *id = json_object_get_string_member (created, "checkout_id");

  g_assert_cmpuint (strlen (id), ==, 32);
  g_assert_cmpstr (json_object_get_string_member (created, "status"), ==, "created");
  g_assert_cmpint (json_object_get_int_member (created, "amount"), ==, 2000);
  g_assert_cmpstr (json_object_get_string_member (created, "currency"), ==, "SEK");
  g_assert_cmpstr (json_object_get_string_member (created, "message"), ==, "Order #1001");
  g_assert_cmpstr (json_object_get_string_member (created, "identifier"), ==, "order-1001");
  g_assert_true (json_object_get_boolean_member (created, "capture"));
  g_assert_true (json_object_get_boolean_member (created, "allowSaveCard"));
  g_assert_cmpstr (json_object_get_string_member (created, "returnUrl"), ==, "https://merchant.example/ok");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (created, "metaData"), "orderId"),
                   ==, "1001");
  g_assert_cmpint (json_object_get_int_member (created, "refunded_amount"), ==, 0);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (created, "created"), "Z"));
  url = g_strdup_printf ("%s/pay/%s", np_test_sandbox_get_base_url (sandbox), id);
  g_assert_cmpstr (json_object_get_string_member (created, "url"), ==, url);

  again = test_on (sandbox, "/checkout/retrieve", id, NULL);
  g_assert_cmpstr (json_object_get_string_member (again, "checkout_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (again, "status"), ==, "created");
  g_assert_cmpint (json_object_get_int_member (again, "amount"), ==, 2000);
}

static void
test_identifier_defaults_to_id (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(JsonObject) created = test_ok (sandbox, "/checkout/create",
                                           "{" ORDER ", \"currency\": \"eur\", \"capture\": false}");

  g_assert_cmpstr (json_object_get_string_member (created, "identifier"), ==,
                   json_object_get_string_member (created, "checkout_id"));
  g_assert_cmpstr (json_object_get_string_member (created, "currency"), ==, "EUR");
  g_assert_false (json_object_get_boolean_member (created, "capture"));
}

static void
test_keys (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) no_key = NULL;
  g_autofree char *id = test_create (sandbox, "{" ORDER "}");
  g_autofree char *body = g_strdup_printf ("{\"checkout_id\": \"%s\"}", id);
  const char *live = np_test_sandbox_get_live_key (sandbox);

  g_assert_cmpuint (strlen (np_test_sandbox_get_test_key (sandbox)), ==, 32);
  g_assert_cmpstr (live, !=, np_test_sandbox_get_test_key (sandbox));

  g_assert_cmpuint (test_call (sandbox, NULL, "/checkout/retrieve", body, &no_key), ==, 401);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (no_key, "error"), "code"),
                   ==, "unauthorized");
  g_assert_cmpuint (test_call (sandbox, "not-a-key", "/checkout/retrieve", body, NULL), ==, 401);
  g_assert_cmpuint (test_call (sandbox, "not-a-key", "/sandbox/faults", "{}", NULL), ==, 401);

  /* Test and live are separate worlds: the live key does not see test data. */
  g_assert_cmpuint (test_call (sandbox, live, "/checkout/retrieve", body, &answer), ==, 404);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (test_call (sandbox, live, "/checkout/create", "{" ORDER "}", &answer), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "created");
}

static void
test_create_refusals (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  static const struct { const char *body; guint status; const char *code; } cases[] = {
    { "", 400, "invalid_request" },
    { "not json", 400, "invalid_request" },
    { "[1, 2]", 400, "invalid_request" },
    { "{\"currency\": \"SEK\", \"message\": \"m\"}", 400, "invalid_request" },
    { "{\"amount\": 100, \"message\": \"m\"}", 400, "invalid_request" },
    { "{\"amount\": 100, \"currency\": \"SEK\"}", 400, "invalid_request" },
    { "{\"amount\": 100, \"currency\": \"SEK\", \"message\": \"\"}", 400, "invalid_request" },
    { "{\"amount\": 12.5, \"currency\": \"SEK\", \"message\": \"m\"}", 400, "invalid_request" },
    { "{\"amount\": \"100\", \"currency\": \"SEK\", \"message\": \"m\"}", 400, "invalid_request" },
    { "{\"amount\": 100, \"currency\": 752, \"message\": \"m\"}", 400, "invalid_request" },
    { "{\"amount\": 100, \"currency\": \"XYZ\", \"message\": \"m\"}", 422, "invalid_value" },
    { "{\"amount\": 100, \"currency\": \"SEKK\", \"message\": \"m\"}", 422, "invalid_value" },
    { "{\"amount\": 0, \"currency\": \"SEK\", \"message\": \"m\"}", 422, "invalid_value" },
    { "{\"amount\": -5, \"currency\": \"SEK\", \"message\": \"m\"}", 422, "invalid_value" },
    { "{\"amount\": 10000000001, \"currency\": \"SEK\", \"message\": \"m\"}", 422, "invalid_value" },
    { "{\"amount\": 100000001, \"currency\": \"JPY\", \"message\": \"m\"}", 422, "invalid_value" },
    { "{" ORDER ", \"capture\": \"no\"}", 400, "invalid_request" },
    { "{" ORDER ", \"allowSaveCard\": 1}", 400, "invalid_request" },
    { "{" ORDER ", \"returnUrl\": \"not a url\"}", 422, "invalid_value" },
    { "{" ORDER ", \"returnUrlCancel\": \"ftp://x.example/\"}", 422, "invalid_value" },
    { "{" ORDER ", \"template\": \"popup\"}", 422, "invalid_value" },
    { "{" ORDER ", \"identifier\": \"0123456789012345678901234567890123456789012345\"}", 422, "invalid_value" },
    { "{" ORDER ", \"customer_id\": \"nobody\"}", 422, "invalid_value" },
    { "{" ORDER ", \"card_id\": \"card_1\"}", 422, "invalid_value" },
    { "{" ORDER ", \"metaData\": 5}", 400, "invalid_request" },
    { "{" ORDER ", \"metaData\": {\"a\": {\"b\": 1}}}", 400, "invalid_request" },
    { "{" ORDER ", \"paymentMethods\": [{\"method\": \"cash\"}]}", 422, "invalid_value" },
    { "{" ORDER ", \"paymentMethods\": {}}", 400, "invalid_request" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    test_refused (sandbox, "/checkout/create", cases[i].body, cases[i].status, cases[i].code);

  /* The largest SEK amount (100 000 000 kr) and a JPY one at its own limit pass. */
  g_free (test_create (sandbox, "{\"amount\": 10000000000, \"currency\": \"SEK\", \"message\": \"m\"}"));
  g_free (test_create (sandbox, "{\"amount\": 100000000, \"currency\": \"JPY\", \"message\": \"m\"}"));
  g_free (test_create (sandbox, "{" ORDER ", \"template\": \"iframe\", \"paymentMethods\": "
                       "[{\"method\": \"card\", \"brands\": [\"visa\"]}, {\"method\": \"swish\"}]}"));
}

static void
test_retrieve_refusals (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();

  test_refused (sandbox, "/checkout/retrieve", "{}", 400, "invalid_request");
  test_refused (sandbox, "/checkout/retrieve", "{\"checkout_id\": 5}", 400, "invalid_request");
  test_refused (sandbox, "/checkout/retrieve", "{\"checkout_id\": \"0000\"}", 404, "not_found");
  test_refused (sandbox, "/checkout/nonsense", "{}", 404, "not_found");
}

static void
test_metadata_array_form (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(JsonObject) created = test_ok (sandbox, "/checkout/create",
    "{" ORDER ", \"metaData\": [{\"key\": \"k\", \"value\": \"v\"}, {\"key\": \"gone\", \"value\": \"\"}]}");
  JsonObject *metadata = json_object_get_object_member (created, "metaData");

  g_assert_cmpstr (json_object_get_string_member (metadata, "k"), ==, "v");
  g_assert_false (json_object_has_member (metadata, "gone"));
}

typedef struct
{
  GMutex     mutex;
  GPtrArray *lines;
} LogLines;

/* Called on the sandbox's thread. */
static void
collect_line (const char *line,
              gpointer    user_data)
{
  LogLines *log = user_data;

  g_mutex_lock (&log->mutex);
  g_ptr_array_add (log->lines, g_strdup (line));
  g_mutex_unlock (&log->mutex);
}

static gboolean
has_a_line (gpointer user_data)
{
  LogLines *log = user_data;
  gboolean has;

  g_mutex_lock (&log->mutex);
  has = log->lines->len > 0;
  g_mutex_unlock (&log->mutex);
  return has;
}

/* The line is written on the sandbox's thread, possibly just after the client has
 * its answer; nothing wakes this thread then, so a tick makes the wait look again. */
static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_log_func (void)
{
  LogLines log = { .lines = g_ptr_array_new_with_free_func (g_free) };
  NpSandboxOptions options = { .test_key = "log-test-key-0123456789abcdefghijk",
                               .log_func = collect_line, .log_data = &log };
  g_autoptr(GError) error = NULL;
  g_autoptr(NpSandboxThread) thread = np_sandbox_thread_start (&options, NULL, 0, &error);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  const char *line;
  guint tick_id;

  g_assert_no_error (error);
  url = g_strconcat (np_sandbox_thread_get_base_url (thread), "/checkout/retrieve", NULL);
  msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer log-test-key-0123456789abcdefghijk");
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 400);
  tick_id = g_timeout_add (10, tick, NULL);
  np_test_wait_until (has_a_line, &log, 5000, "the request's log line");
  g_source_remove (tick_id);
  np_sandbox_thread_stop (thread);

  g_assert_cmpuint (log.lines->len, ==, 1);
  line = g_ptr_array_index (log.lines, 0);
  g_assert_true (g_str_has_prefix (line, "POST /checkout/retrieve 400 "));
  g_assert_nonnull (strstr (line, soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                                "X-Request-Id")));
  g_assert_null (strstr (line, "log-test-key"));
  g_ptr_array_unref (log.lines);
  g_mutex_clear (&log.mutex);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  np_test_init (&argc, &argv);
  g_test_add_func ("/sandbox/api/create-retrieve", test_create_retrieve);
  g_test_add_func ("/sandbox/api/identifier-default", test_identifier_defaults_to_id);
  g_test_add_func ("/sandbox/api/keys", test_keys);
  g_test_add_func ("/sandbox/api/create-refusals", test_create_refusals);
  g_test_add_func ("/sandbox/api/retrieve-refusals", test_retrieve_refusals);
  g_test_add_func ("/sandbox/api/metadata-array", test_metadata_array_form);
  g_test_add_func ("/sandbox/api/log-func", test_log_func);
  result = g_test_run ();
  test_client_cleanup ();
  return result;
}
