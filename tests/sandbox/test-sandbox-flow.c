/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sandbox-flow.c — the checkout state machine through the API and the payment
 * page: pay, refund in parts, capture, release a reserve, decline, cancel, delete,
 * update, and every refusal of those calls. */
#include <libsoup/soup.h>
#include <string.h>

#include "np-test-utils.h"
#include "test-sandbox-client.h"

#define ORDER "\"amount\": 2000, \"currency\": \"SEK\", \"message\": \"Order #1001\""

static const char *
status_of (JsonObject *checkout)
{
  return json_object_get_string_member (checkout, "status");
}

static char *
body_for (const char *id,
          const char *extra)
{
  return g_strdup_printf ("{\"checkout_id\": \"%s\"%s%s}", id,
                          extra != NULL ? ", " : "", extra != NULL ? extra : "");
}

static char *
status_now (NpTestSandbox *sandbox,
            const char    *id)
{
  g_autoptr(JsonObject) checkout = test_on (sandbox, "/checkout/retrieve", id, NULL);

  return g_strdup (status_of (checkout));
}

static void
test_pay_then_refund_in_parts (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autofree char *id = test_create (sandbox, "{" ORDER "}");
  g_autofree char *too_much = body_for (id, "\"amount\": 1501");
  g_autofree char *bad_reason = body_for (id, "\"amount\": 100, \"reason\": \"bored\"");
  g_autofree char *fractional = body_for (id, "\"amount\": 1.5");
  g_autofree char *zero = body_for (id, "\"amount\": 0");
  g_autofree char *status = NULL;
  g_autoptr(JsonObject) part = NULL;
  g_autoptr(JsonObject) rest = NULL;
  JsonArray *refunds;
  JsonObject *first;

  /* Nothing to refund before the payment. */
  test_refused (sandbox, "/checkout/refund", too_much, 409, "invalid_state");

  g_assert_true (np_test_sandbox_pay (sandbox, id, "success"));
  status = status_now (sandbox, id);
  g_assert_cmpstr (status, ==, "paid");

  part = test_on (sandbox, "/checkout/refund", id,
                  "\"amount\": 500, \"reason\": \"fraudolent\", \"refundDetails\": \"broken\"");
  g_assert_cmpstr (status_of (part), ==, "partialRefund");
  g_assert_cmpint (json_object_get_int_member (part, "refunded_amount"), ==, 500);
  refunds = json_object_get_array_member (part, "refunds");
  g_assert_cmpuint (json_array_get_length (refunds), ==, 1);
  first = json_array_get_object_element (refunds, 0);
  g_assert_cmpint (json_object_get_int_member (first, "amount"), ==, 500);
  g_assert_cmpstr (json_object_get_string_member (first, "reason"), ==, "fraudulent");
  g_assert_cmpstr (json_object_get_string_member (first, "refundDetails"), ==, "broken");

  /* More than what is left, a made-up reason, fractions and zero are refused. */
  test_refused (sandbox, "/checkout/refund", too_much, 422, "invalid_value");
  test_refused (sandbox, "/checkout/refund", bad_reason, 422, "invalid_value");
  test_refused (sandbox, "/checkout/refund", fractional, 400, "invalid_request");
  test_refused (sandbox, "/checkout/refund", zero, 422, "invalid_value");
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/refund"), ==, 1);

  /* Without an amount, the rest. */
  rest = test_on (sandbox, "/checkout/refund", id, "\"reason\": \"requested_by_customer\"");
  g_assert_cmpstr (status_of (rest), ==, "refunded");
  g_assert_cmpint (json_object_get_int_member (rest, "refunded_amount"), ==, 2000);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (rest, "refunds")), ==, 2);
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/refund"), ==, 2);

  /* Refunded is final. */
  test_refused (sandbox, "/checkout/refund", zero, 409, "invalid_state");
}

static void
test_capture (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autofree char *id = test_create (sandbox, "{" ORDER ", \"capture\": false}");
  g_autofree char *body = body_for (id, NULL);
  g_autofree char *auto_id = test_create (sandbox, "{" ORDER "}");
  g_autofree char *auto_body = body_for (auto_id, NULL);
  g_autoptr(JsonObject) captured = NULL;
  g_autofree char *status = NULL;

  /* Not yet reserved. */
  test_refused (sandbox, "/checkout/capture", body, 409, "invalid_state");

  g_assert_true (np_test_sandbox_pay (sandbox, id, "success"));
  status = status_now (sandbox, id);
  g_assert_cmpstr (status, ==, "reserved");

  captured = test_on (sandbox, "/checkout/capture", id, NULL);
  g_assert_cmpstr (status_of (captured), ==, "paid");
  /* Twice is refused. */
  test_refused (sandbox, "/checkout/capture", body, 409, "invalid_state");

  /* A checkout created with capture: true is never captured, even when paid. */
  g_assert_true (np_test_sandbox_pay (sandbox, auto_id, "success"));
  test_refused (sandbox, "/checkout/capture", auto_body, 409, "invalid_state");
  test_refused (sandbox, "/checkout/capture", "{\"checkout_id\": \"missing\"}", 404, "not_found");
}

static void
test_release_reserve (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autofree char *id = test_create (sandbox, "{" ORDER ", \"capture\": false}");
  g_autofree char *partial = body_for (id, "\"amount\": 100");
  g_autoptr(JsonObject) released = NULL;

  g_assert_true (np_test_sandbox_pay (sandbox, id, "success"));
  /* A reserve is released whole. */
  test_refused (sandbox, "/checkout/refund", partial, 422, "invalid_value");
  released = test_on (sandbox, "/checkout/refund", id, NULL);
  g_assert_cmpstr (status_of (released), ==, "reserve released");
  g_assert_cmpint (json_object_get_int_member (released, "refunded_amount"), ==, 2000);
  test_refused (sandbox, "/checkout/capture", partial, 409, "invalid_state");
}

static void
test_decline_and_cancel (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autofree char *declined = test_create (sandbox, "{" ORDER "}");
  g_autofree char *canceled = test_create (sandbox, "{" ORDER "}");
  g_autofree char *declined_status = NULL;
  g_autofree char *canceled_status = NULL;
  g_autofree char *body = body_for (declined, NULL);

  g_assert_true (np_test_sandbox_pay (sandbox, declined, "decline"));
  g_assert_true (np_test_sandbox_pay (sandbox, canceled, "cancel"));
  declined_status = status_now (sandbox, declined);
  canceled_status = status_now (sandbox, canceled);
  g_assert_cmpstr (declined_status, ==, "failed");
  g_assert_cmpstr (canceled_status, ==, "canceled");

  /* Final: no second payment, no refund, no delete. */
  g_assert_false (np_test_sandbox_pay (sandbox, declined, "success"));
  g_assert_false (np_test_sandbox_pay (sandbox, "nonexistent", "success"));
  test_refused (sandbox, "/checkout/refund", body, 409, "invalid_state");
  test_refused (sandbox, "/checkout/delete", body, 409, "invalid_state");
}

static void
test_delete (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autofree char *id = test_create (sandbox, "{" ORDER "}");
  g_autofree char *body = body_for (id, NULL);
  g_autofree char *paid = test_create (sandbox, "{" ORDER "}");
  g_autofree char *paid_body = body_for (paid, NULL);
  g_autoptr(JsonObject) deleted = test_on (sandbox, "/checkout/delete", id, NULL);

  g_assert_cmpstr (json_object_get_string_member (deleted, "checkout_id"), ==, id);
  g_assert_true (json_object_get_boolean_member (deleted, "deleted"));
  test_refused (sandbox, "/checkout/retrieve", body, 404, "not_found");
  test_refused (sandbox, "/checkout/delete", body, 404, "not_found");

  g_assert_true (np_test_sandbox_pay (sandbox, paid, "success"));
  test_refused (sandbox, "/checkout/delete", paid_body, 409, "invalid_state");
}

static void
test_update (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autofree char *id = test_create (sandbox, "{" ORDER ", \"metaData\": {\"a\": \"1\", \"b\": \"2\"}}");
  g_autofree char *no_metadata = body_for (id, NULL);
  g_autofree char *bad_metadata = body_for (id, "\"metaData\": \"x\"");
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(JsonObject) after_refund = NULL;
  JsonObject *metadata;

  updated = test_on (sandbox, "/checkout/update", id, "\"metaData\": {\"a\": \"\", \"c\": \"3\"}");
  metadata = json_object_get_object_member (updated, "metaData");
  g_assert_false (json_object_has_member (metadata, "a"));
  g_assert_cmpstr (json_object_get_string_member (metadata, "b"), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (metadata, "c"), ==, "3");

  test_refused (sandbox, "/checkout/update", no_metadata, 400, "invalid_request");
  test_refused (sandbox, "/checkout/update", bad_metadata, 400, "invalid_request");

  /* Allowed in every status, final ones too. */
  g_assert_true (np_test_sandbox_pay (sandbox, id, "success"));
  g_clear_pointer (&after_refund, json_object_unref);
  after_refund = test_on (sandbox, "/checkout/refund", id, NULL);
  g_clear_pointer (&updated, json_object_unref);
  updated = test_on (sandbox, "/checkout/update", id, "\"metaData\": [{\"key\": \"d\", \"value\": \"4\"}]");
  g_assert_cmpstr (status_of (updated), ==, "refunded");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (updated, "metaData"), "d"),
                   ==, "4");
}

static void
test_payment_page (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(JsonObject) created = test_ok (sandbox, "/checkout/create",
    "{\"amount\": 123456, \"currency\": \"SEK\", \"message\": \"Blue <bike>\","
    " \"returnUrl\": \"https://m.example/ok\", \"returnUrlCancel\": \"https://m.example/cancel\"}");
  const char *url = json_object_get_string_member (created, "url");
  g_autoptr(SoupMessage) get = soup_message_new ("GET", url);
  g_autoptr(SoupMessage) cancel = soup_message_new ("POST", url);
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GBytes) form = g_bytes_new_static ("outcome=cancel", 14);
  g_autofree char *text = NULL;

  page = soup_session_send_and_read (test_client_session (), get, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (get), ==, 200);
  text = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
  g_assert_nonnull (strstr (text, "1234.56 SEK"));
  g_assert_nonnull (strstr (text, "Blue &lt;bike&gt;"));
  g_assert_nonnull (strstr (text, "Pay with test card"));
  g_assert_nonnull (strstr (text, "value=\"decline\""));
  g_assert_nonnull (strstr (text, "value=\"cancel\""));

  soup_message_set_flags (cancel, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_set_request_body_from_bytes (cancel, "application/x-www-form-urlencoded", form);
  none = soup_session_send_and_read (test_client_session (), cancel, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (cancel), ==, 303);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (cancel), "Location"),
                   ==, "https://m.example/cancel");
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/pay"), ==, 1);
}

/* POST /sandbox/pay: the page's outcomes by JSON with the key, what the watching
 * tests pay with; refusals change nothing. */
static void
test_pay_by_api (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autofree char *paid = test_create (sandbox, "{" ORDER "}");
  g_autofree char *declined = test_create (sandbox, "{" ORDER "}");
  g_autofree char *canceled = test_create (sandbox, "{" ORDER "}");
  g_autofree char *pay = g_strdup_printf ("{\"checkout_id\": \"%s\", \"outcome\": \"success\"}", paid);
  g_autofree char *decline = g_strdup_printf ("{\"checkout_id\": \"%s\", \"outcome\": \"decline\"}", declined);
  g_autofree char *cancel = g_strdup_printf ("{\"checkout_id\": \"%s\", \"outcome\": \"cancel\"}", canceled);
  g_autofree char *bad_outcome = g_strdup_printf ("{\"checkout_id\": \"%s\", \"outcome\": \"maybe\"}", declined);
  g_autofree char *url = g_strdup_printf ("%s/sandbox/pay", np_test_sandbox_get_base_url (sandbox));
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) unkeyed = soup_message_new ("POST", url);
  g_autoptr(GBytes) unkeyed_body = g_bytes_new (pay, strlen (pay));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *status = NULL;

  /* Without the key: 401, and the checkout stays created. */
  soup_message_set_request_body_from_bytes (unkeyed, "application/json", unkeyed_body);
  answer = soup_session_send_and_read (session, unkeyed, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (unkeyed), ==, 401);
  status = status_now (sandbox, paid);
  g_assert_cmpstr (status, ==, "created");
  g_clear_pointer (&status, g_free);

  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/sandbox/pay", bad_outcome, NULL), ==, 400);
  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/sandbox/pay", "{\"outcome\": \"success\"}", NULL), ==, 400);
  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/sandbox/pay", "[1]", NULL), ==, 400);
  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/sandbox/pay",
                                          "{\"checkout_id\": \"nope\", \"outcome\": \"success\"}", NULL), ==, 404);
  status = status_now (sandbox, declined);
  g_assert_cmpstr (status, ==, "created");
  g_clear_pointer (&status, g_free);

  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/sandbox/pay", pay, &reply), ==, 200);
  g_assert_cmpstr (status_of (json_node_get_object (reply)), ==, "paid");
  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/sandbox/pay", decline, NULL), ==, 200);
  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/sandbox/pay", cancel, NULL), ==, 200);
  status = status_now (sandbox, paid);
  g_assert_cmpstr (status, ==, "paid");
  g_clear_pointer (&status, g_free);
  status = status_now (sandbox, declined);
  g_assert_cmpstr (status, ==, "failed");
  g_clear_pointer (&status, g_free);
  status = status_now (sandbox, canceled);
  g_assert_cmpstr (status, ==, "canceled");
  g_clear_pointer (&status, g_free);

  /* Paying twice is refused (409), as on the page. */
  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/sandbox/pay", pay, NULL), ==, 409);
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/sandbox/pay"), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  np_test_init (&argc, &argv);
  g_test_add_func ("/sandbox/flow/pay-refund-parts", test_pay_then_refund_in_parts);
  g_test_add_func ("/sandbox/flow/capture", test_capture);
  g_test_add_func ("/sandbox/flow/release-reserve", test_release_reserve);
  g_test_add_func ("/sandbox/flow/decline-cancel", test_decline_and_cancel);
  g_test_add_func ("/sandbox/flow/delete", test_delete);
  g_test_add_func ("/sandbox/flow/update", test_update);
  g_test_add_func ("/sandbox/flow/payment-page", test_payment_page);
  g_test_add_func ("/sandbox/flow/pay-by-api", test_pay_by_api);
  result = g_test_run ();
  test_client_cleanup ();
  return result;
}
