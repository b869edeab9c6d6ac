/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-client.c — NpClient against the real sandbox over loopback HTTP.
 *
 * Every call, every error code produced for real (a wrong key, an unknown id and
 * the sandbox's injected faults), the never-retry rule for refunds, cancellation
 * in flight, and a 2,000-id batch refresh with its concurrency measured.
 */
#include <libsoup/soup.h>
#include <string.h>

#include "np-client-private.h"
#include "np-test-sandbox.h"
#include "np-test-utils.h"

#define WAIT_MS 20000

typedef struct {
  NpTestSandbox *sandbox;
  NpClient      *client;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = np_test_sandbox_new ();
  f->client = np_client_new (np_test_sandbox_get_base_url (f->sandbox),
                             np_test_sandbox_get_test_key (f->sandbox), &error);
  g_assert_no_error (error);
  np_client_set_timeout (f->client, 10);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->client);
  g_clear_pointer (&f->sandbox, np_test_sandbox_free);
}

/* Synchronous wrappers: start the call, iterate the main context until it settles. */

static NpCheckout *
checkout_wait (NpClient      *client,
               GAsyncResult **result,
               GError       **error)
{
  NpCheckout *checkout = np_client_checkout_finish (client, np_test_wait_result (result, WAIT_MS), error);

  g_clear_object (result);
  return checkout;
}

static NpCustomer *
customer_wait (NpClient      *client,
               GAsyncResult **result,
               GError       **error)
{
  NpCustomer *customer = np_client_customer_finish (client, np_test_wait_result (result, WAIT_MS), error);

  g_clear_object (result);
  return customer;
}

static NpCheckout *
create_checkout (NpClient   *client,
                 gint64      amount,
                 gboolean    capture,
                 const char *customer_id,
                 const char *card_id,
                 GError    **error)
{
  g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();
  GAsyncResult *result = NULL;

  draft->amount = amount;
  draft->currency = g_strdup ("SEK");
  draft->message = g_strdup ("Order #1001");
  draft->identifier = g_strdup ("order-1001");
  draft->return_url = g_strdup ("https://merchant.example/success");
  draft->return_url_cancel = g_strdup ("https://merchant.example/cancel");
  draft->capture = capture;
  draft->customer_id = g_strdup (customer_id);
  draft->card_id = g_strdup (card_id);
  draft->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (draft->metadata, g_strdup ("orderId"), g_strdup ("1001"));
  g_hash_table_insert (draft->metadata, g_strdup ("table"), g_strdup ("7"));

  np_client_create_checkout_async (client, draft, NULL, np_test_store_result, &result);
  return checkout_wait (client, &result, error);
}

static NpCheckout *
retrieve (NpClient    *client,
          const char  *id,
          GError     **error)
{
  GAsyncResult *result = NULL;

  np_client_retrieve_checkout_async (client, id, NULL, np_test_store_result, &result);
  return checkout_wait (client, &result, error);
}

static NpCheckout *
refund (NpClient    *client,
        const char  *id,
        gint64       amount,
        GError     **error)
{
  GAsyncResult *result = NULL;

  np_client_refund_checkout_async (client, id, amount, "requested_by_customer", "test", NULL,
                                   np_test_store_result, &result);
  return checkout_wait (client, &result, error);
}

/* Every call ----------------------------------------------------------------- */

static void
test_checkout_calls (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) created = create_checkout (f->client, 2000, TRUE, NULL, NULL, &error);
  g_autoptr(NpCheckout) got = NULL;
  g_autoptr(NpCheckout) updated = NULL;
  g_autoptr(NpCheckout) part = NULL;
  g_autoptr(NpCheckout) rest = NULL;
  g_autoptr(GHashTable) changes = g_hash_table_new (g_str_hash, g_str_equal);
  GAsyncResult *result = NULL;
  const char *id;

  g_assert_no_error (error);
  id = np_checkout_get_id (created);
  g_assert_cmpuint (strlen (id), >, 0);
  g_assert_cmpuint (strlen (id), <=, 45);
  g_assert_cmpint (np_checkout_get_status (created), ==, NP_CHECKOUT_STATUS_CREATED);
  g_assert_cmpint (np_checkout_get_amount (created), ==, 2000);
  g_assert_cmpstr (np_checkout_get_currency (created), ==, "SEK");
  g_assert_cmpstr (np_checkout_get_identifier (created), ==, "order-1001");
  g_assert_nonnull (np_checkout_get_url (created));
  g_assert_cmpstr (g_hash_table_lookup (np_checkout_get_metadata (created), "orderId"), ==, "1001");
  g_assert_true (np_checkout_can_delete (created));

  got = retrieve (f->client, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_checkout_get_id (got), ==, id);

  /* An empty value deletes a key. */
  g_hash_table_insert (changes, "table", "");
  g_hash_table_insert (changes, "note", "window seat");
  np_client_update_checkout_async (f->client, id, changes, NULL, np_test_store_result, &result);
  updated = checkout_wait (f->client, &result, &error);
  g_assert_no_error (error);
  g_assert_null (g_hash_table_lookup (np_checkout_get_metadata (updated), "table"));
  g_assert_cmpstr (g_hash_table_lookup (np_checkout_get_metadata (updated), "note"), ==, "window seat");
  g_assert_cmpstr (g_hash_table_lookup (np_checkout_get_metadata (updated), "orderId"), ==, "1001");

  g_assert_true (np_test_sandbox_pay (f->sandbox, id, "success"));

  part = refund (f->client, id, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_status (part), ==, NP_CHECKOUT_STATUS_PARTIAL_REFUND);
  g_assert_cmpint (np_checkout_get_refunded_amount (part), ==, 500);
  g_assert_cmpint (np_checkout_get_refundable_amount (part), ==, 1500);
  g_assert_cmpuint (np_checkout_get_refunds (part)->len, ==, 1);

  rest = refund (f->client, id, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_status (rest), ==, NP_CHECKOUT_STATUS_REFUNDED);
  g_assert_cmpint (np_checkout_get_refunded_amount (rest), ==, 2000);
  g_assert_false (np_checkout_can_refund (rest));
}

static void
test_capture_and_delete (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) reservation = create_checkout (f->client, 1500, FALSE, NULL, NULL, &error);
  g_autoptr(NpCheckout) reserved = NULL;
  g_autoptr(NpCheckout) captured = NULL;
  g_autoptr(NpCheckout) doomed = NULL;
  g_autoptr(NpCheckout) deleted = NULL;
  GAsyncResult *result = NULL;

  g_assert_no_error (error);
  g_assert_true (np_test_sandbox_pay (f->sandbox, np_checkout_get_id (reservation), "success"));
  reserved = retrieve (f->client, np_checkout_get_id (reservation), &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_status (reserved), ==, NP_CHECKOUT_STATUS_RESERVED);
  g_assert_true (np_checkout_can_capture (reserved));

  np_client_capture_checkout_async (f->client, np_checkout_get_id (reserved), NULL, np_test_store_result, &result);
  captured = checkout_wait (f->client, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_status (captured), ==, NP_CHECKOUT_STATUS_PAID);

  doomed = create_checkout (f->client, 100, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  np_client_delete_checkout_async (f->client, np_checkout_get_id (doomed), NULL, np_test_store_result, &result);
  deleted = checkout_wait (f->client, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_checkout_get_id (deleted), ==, np_checkout_get_id (doomed));
  g_test_message ("deleted checkout status: %s", np_checkout_get_status_text (deleted));
  g_assert_true (np_checkout_get_deleted (deleted));
  g_assert_false (np_checkout_can_delete (deleted));
}

static void
test_customer_calls (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) metadata = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(NpCustomer) ada = NULL;
  g_autoptr(NpCustomer) again = NULL;
  g_autoptr(NpCustomer) deleted = NULL;
  g_autoptr(NpCheckout) first = NULL;
  g_autoptr(NpCheckout) repeat = NULL;
  g_autoptr(NpCheckout) repeat_now = NULL;
  GAsyncResult *result = NULL;
  NpSavedCard *card;

  g_hash_table_insert (metadata, "crmId", "cust_123");
  np_client_create_customer_async (f->client, "Ada", "Lovelace", "ada@example.com", metadata, NULL,
                                   np_test_store_result, &result);
  ada = customer_wait (f->client, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_customer_get_first_name (ada), ==, "Ada");
  g_assert_cmpstr (np_customer_get_email (ada), ==, "ada@example.com");
  g_assert_nonnull (np_customer_get_client_page (ada));
  g_assert_cmpstr (g_hash_table_lookup (np_customer_get_metadata (ada), "crmId"), ==, "cust_123");

  /* Paying a checkout for the customer saves the card; a card_id checkout is paid at once. */
  first = create_checkout (f->client, 1000, TRUE, np_customer_get_id (ada), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (np_test_sandbox_pay (f->sandbox, np_checkout_get_id (first), "success"));

  np_client_retrieve_customer_async (f->client, np_customer_get_id (ada), NULL, np_test_store_result, &result);
  again = customer_wait (f->client, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (np_customer_get_saved_cards (again)->len, ==, 1);
  card = g_ptr_array_index (np_customer_get_saved_cards (again), 0);
  g_assert_nonnull (card->card_id);
  g_assert_cmpuint (strlen (card->last4), ==, 4);

  repeat = create_checkout (f->client, 700, TRUE, np_customer_get_id (ada), card->card_id, &error);
  g_assert_no_error (error);
  repeat_now = retrieve (f->client, np_checkout_get_id (repeat), &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_status (repeat_now), ==, NP_CHECKOUT_STATUS_PAID);

  np_client_delete_customer_async (f->client, np_customer_get_id (ada), NULL, np_test_store_result, &result);
  deleted = customer_wait (f->client, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_customer_get_id (deleted), ==, np_customer_get_id (ada));
  g_assert_true (np_customer_get_deleted (deleted));
}

/* Errors, produced for real ---------------------------------------------------- */

static void
assert_described (const GError *error)
{
  g_autofree char *sentence = np_client_error_describe (error);

  g_assert_nonnull (sentence);
  g_assert_cmpuint (strlen (sentence), >, 20);
  g_test_message ("%s → %s", error->message, sentence);
}

static void
test_error_unauthorized (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpClient) wrong = np_client_new (np_test_sandbox_get_base_url (f->sandbox),
                                             "0123456789abcdef0123456789abcdef", &error);
  g_autoptr(NpCheckout) checkout = NULL;
  g_autofree char *sentence = NULL;

  g_assert_no_error (error);
  checkout = retrieve (wrong, "c0ffee", &error);
  g_assert_null (checkout);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (np_client_error_get_http_status (error), ==, 401);
  g_assert_nonnull (np_client_error_get_request_id (error));
  sentence = np_client_error_describe (error);
  g_assert_nonnull (strstr (sentence, np_client_error_get_request_id (error)));
  g_assert_null (strstr (error->message, "0123456789abcdef"));
  assert_described (error);
  /* A refused key is not worth retrying. */
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/retrieve"), ==, 1);
}

static void
test_error_not_found_and_invalid (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) missing = retrieve (f->client, "no-such-checkout", &error);
  g_autoptr(NpCheckout) created = NULL;
  g_autoptr(NpCheckout) refused = NULL;
  g_autoptr(NpCheckout) bad_currency = NULL;

  g_assert_null (missing);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NOT_FOUND);
  g_assert_cmpuint (np_client_error_get_http_status (error), ==, 404);
  assert_described (error);
  g_clear_error (&error);

  /* Refunding a checkout nobody paid: the server's 409 and its message. */
  created = create_checkout (f->client, 1000, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);
  refused = refund (f->client, np_checkout_get_id (created), -1, &error);
  g_assert_null (refused);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (np_client_error_get_http_status (error), ==, 409);
  assert_described (error);
  g_clear_error (&error);

  {
    g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();
    GAsyncResult *result = NULL;

    draft->amount = 100;
    draft->currency = g_strdup ("XXQ");
    draft->message = g_strdup ("x");
    np_client_create_checkout_async (f->client, draft, NULL, np_test_store_result, &result);
    bad_currency = checkout_wait (f->client, &result, &error);
    g_assert_null (bad_currency);
    g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_REQUEST);
    g_assert_cmpuint (np_client_error_get_http_status (error), ==, 422);
    assert_described (error);
  }
}

static void
test_error_rate_limited (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) created = create_checkout (f->client, 1000, TRUE, NULL, NULL, &error);
  g_autoptr(NpCheckout) after_retry = NULL;
  g_autoptr(NpCheckout) limited = NULL;
  const char *id;
  gint64 started;

  g_assert_no_error (error);
  id = np_checkout_get_id (created);

  /* One 429 with Retry-After: 1 — the retrieve waits a second and succeeds. */
  np_test_sandbox_add_fault (f->sandbox, "/checkout/retrieve", "status:429", 1);
  started = g_get_monotonic_time ();
  after_retry = retrieve (f->client, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 900 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/retrieve"), ==, 2);

  /* More 429s than retries: RATE_LIMITED, with the server's Retry-After. */
  np_client_set_max_retries (f->client, 1);
  np_test_sandbox_add_fault (f->sandbox, "/checkout/retrieve", "status:429", 5);
  limited = retrieve (f->client, id, &error);
  g_assert_null (limited);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_RATE_LIMITED);
  g_assert_cmpuint (np_client_error_get_retry_after (error), ==, 1);
  g_assert_cmpuint (np_client_error_get_http_status (error), ==, 429);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/retrieve"), ==, 4);
  assert_described (error);
}

static void
test_error_server (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) created = create_checkout (f->client, 1000, TRUE, NULL, NULL, &error);
  g_autoptr(NpCheckout) after_retry = NULL;
  g_autoptr(NpCheckout) failed = NULL;
  g_autoptr(NpCheckout) capture = NULL;
  GAsyncResult *result = NULL;

  g_assert_no_error (error);
  np_test_sandbox_add_fault (f->sandbox, "/checkout/retrieve", "status:503", 1);
  after_retry = retrieve (f->client, np_checkout_get_id (created), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/retrieve"), ==, 2);

  np_client_set_max_retries (f->client, 0);
  np_test_sandbox_add_fault (f->sandbox, "/checkout/retrieve", "status:503", 1);
  failed = retrieve (f->client, np_checkout_get_id (created), &error);
  g_assert_null (failed);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_SERVER);
  g_assert_cmpuint (np_client_error_get_http_status (error), ==, 503);
  assert_described (error);
  g_clear_error (&error);

  /* A call that changes something is never retried, even on 503. */
  np_client_set_max_retries (f->client, 3);
  np_test_sandbox_add_fault (f->sandbox, "/checkout/capture", "status:503", 1);
  np_client_capture_checkout_async (f->client, np_checkout_get_id (created), NULL, np_test_store_result, &result);
  capture = checkout_wait (f->client, &result, &error);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_SERVER);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/capture"), ==, 1);
}

static void
test_error_bad_response (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const faults[] = { "malformed", "truncated" };
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) created = create_checkout (f->client, 1000, TRUE, NULL, NULL, &error);

  g_assert_no_error (error);
  np_client_set_max_retries (f->client, 0);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(GError) fault_error = NULL;
      g_autoptr(NpCheckout) checkout = NULL;

      np_test_sandbox_add_fault (f->sandbox, "/checkout/retrieve", faults[i], 1);
      checkout = retrieve (f->client, np_checkout_get_id (created), &fault_error);
      g_assert_null (checkout);
      g_test_message ("%s: %s", faults[i], fault_error->message);
      g_assert_error (fault_error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);
      assert_described (fault_error);
    }
}

static void
test_error_network_and_drop (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) created = create_checkout (f->client, 2000, TRUE, NULL, NULL, &error);
  g_autoptr(NpCheckout) after_retry = NULL;
  g_autoptr(NpCheckout) dropped = NULL;
  g_autoptr(NpCheckout) refunded = NULL;
  g_autoptr(NpCheckout) lost = NULL;
  g_autoptr(NpClient) nowhere = NULL;
  g_autoptr(NpCheckout) unreachable = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) listen_error = NULL;
  g_autofree char *dead_url = NULL;
  guint16 port;
  const char *id;

  g_assert_no_error (error);
  id = np_checkout_get_id (created);
  g_assert_true (np_test_sandbox_pay (f->sandbox, id, "success"));

  /* A retrieve whose connection drops is asked again. */
  np_test_sandbox_add_fault (f->sandbox, "/checkout/retrieve", "drop", 1);
  after_retry = retrieve (f->client, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/retrieve"), >=, 2);

  np_client_set_max_retries (f->client, 0);
  np_test_sandbox_add_fault (f->sandbox, "/checkout/retrieve", "drop-before", 1);
  lost = retrieve (f->client, id, &error);
  g_assert_null (lost);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NETWORK);
  assert_described (error);
  g_clear_error (&error);

  /* The rule that matters: a refund whose answer is lost is not sent again.
   * The sandbox applied it exactly once, and the caller hears OUTCOME_UNKNOWN. */
  np_client_set_max_retries (f->client, 3);
  np_test_sandbox_add_fault (f->sandbox, "/checkout/refund", "drop", 1);
  dropped = refund (f->client, id, 500, &error);
  g_assert_null (dropped);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/refund"), ==, 1);
  g_assert_cmpuint (np_test_sandbox_count_applied (f->sandbox, "/checkout/refund"), ==, 1);
  assert_described (error);
  g_clear_error (&error);

  refunded = retrieve (f->client, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_refunded_amount (refunded), ==, 500);

  /* A port that was free a moment ago and nothing listens on: NETWORK, for a mutation too, since nothing was sent. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &listen_error);
  g_assert_no_error (listen_error);
  g_socket_listener_close (listener);
  dead_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  nowhere = np_client_new (dead_url, "k", &error);
  g_assert_no_error (error);
  np_client_set_max_retries (nowhere, 1);
  unreachable = refund (nowhere, id, 100, &error);
  g_assert_null (unreachable);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NETWORK);
}

static void
test_error_timeout (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) created = create_checkout (f->client, 2000, TRUE, NULL, NULL, &error);
  g_autoptr(NpCheckout) slow = NULL;
  g_autoptr(NpCheckout) slow_refund = NULL;
  gint64 started;
  const char *id;

  g_assert_no_error (error);
  id = np_checkout_get_id (created);
  g_assert_true (np_test_sandbox_pay (f->sandbox, id, "success"));
  np_client_set_timeout (f->client, 1);

  np_test_sandbox_add_fault (f->sandbox, "/checkout/retrieve", "latency:3000", 1);
  started = g_get_monotonic_time ();
  slow = retrieve (f->client, id, &error);
  g_assert_null (slow);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2500 * G_TIME_SPAN_MILLISECOND);
  assert_described (error);
  g_clear_error (&error);

  np_test_sandbox_add_fault (f->sandbox, "/checkout/refund", "latency:3000", 1);
  slow_refund = refund (f->client, id, 300, &error);
  g_assert_null (slow_refund);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/refund"), ==, 1);
}

static gboolean
request_arrived (gpointer data)
{
  Fixture *f = data;

  return np_test_sandbox_count_requests (f->sandbox, "/checkout/retrieve") >= 1;
}

static void
test_cancel_in_flight (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(NpCheckout) checkout = NULL;
  GAsyncResult *result = NULL;
  gint64 started;

  np_test_sandbox_add_fault (f->sandbox, "/checkout/retrieve", "latency:5000", 1);
  np_client_retrieve_checkout_async (f->client, "whatever", cancellable, np_test_store_result, &result);
  np_test_wait_until (request_arrived, f, WAIT_MS, "the retrieve reaches the sandbox");

  started = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  checkout = checkout_wait (f->client, &result, &error);
  g_assert_null (checkout);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 1000 * G_TIME_SPAN_MILLISECOND);
}

/* retrieve_many ------------------------------------------------------------------- */

typedef struct {
  guint queued;
  guint max_queued;
  guint progress_calls;
  guint last_done;
  guint connections;
} Concurrency;

static void
on_wrote_headers (SoupMessage *message,
                  Concurrency *c)
{
  c->queued++;
  c->max_queued = MAX (c->max_queued, c->queued);
}

static void
on_got_body (SoupMessage *message,
             Concurrency *c)
{
  c->queued--;
}

/* Only a message that opens a connection sees it connect. */
static void
on_network_event (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  Concurrency        *c)
{
  if (event == G_SOCKET_CLIENT_CONNECTED)
    c->connections++;
}

/* In flight: from the request leaving to its answer's body arriving. (The
 * session's queue is not the measure: libsoup unqueues a message from an idle,
 * after our callback has already started the next one.) */
static void
on_request_queued (SoupSession *session,
                   SoupMessage *message,
                   Concurrency *c)
{
  g_signal_connect (message, "wrote-headers", G_CALLBACK (on_wrote_headers), c);
  g_signal_connect (message, "got-body", G_CALLBACK (on_got_body), c);
  g_signal_connect (message, "network-event", G_CALLBACK (on_network_event), c);
}

static void
on_progress (guint    done,
             guint    total,
             gpointer data)
{
  Concurrency *c = data;

  g_assert_cmpuint (done, ==, c->last_done + 1);
  g_assert_cmpuint (done, <=, total);
  c->last_done = done;
  c->progress_calls++;
}

static void
test_retrieve_many (Fixture       *f,
                    gconstpointer  data)
{
  const guint n = 2000;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  Concurrency c = { 0, };
  SoupSession *session = np_client_get_session (f->client);
  GAsyncResult *result = NULL;
  gint64 started;
  double seconds;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) body = NULL;
      g_autofree char *request = g_strdup_printf ("{\"amount\": %u, \"currency\": \"SEK\", \"message\": \"m%u\"}",
                                                  100 + i, i);

      /* Two ids the server does not know, among the rest. */
      if (i == 10 || i == 1500)
        {
          g_ptr_array_add (ids, g_strdup_printf ("unknown-%u", i));
          continue;
        }
      g_assert_cmpuint (np_test_sandbox_call (f->sandbox, "/checkout/create", request, &body), ==, 200);
      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (json_node_get_object (body), "checkout_id")));
    }
  g_ptr_array_add (ids, NULL);

  g_signal_connect (session, "request-queued", G_CALLBACK (on_request_queued), &c);

  started = g_get_monotonic_time ();
  /* The fixed refresh (the bench's baseline): always 8 at once. The adaptive one
   * has tests of its own in test-client-many.c. */
  np_client_retrieve_many_fixed_async (f->client, (const char * const *) ids->pdata, 8, on_progress, &c, NULL,
                                       np_test_store_result, &result);
  results = np_client_retrieve_many_finish (f->client, np_test_wait_result (&result, 120000), &error);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_clear_object (&result);
  g_signal_handlers_disconnect_by_data (session, &c);

  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, n);
  g_assert_cmpuint (c.progress_calls, ==, n);
  g_assert_cmpuint (c.max_queued, ==, 8);
  /* Kept alive: a connection per request in flight, each reused for the rest
   * (a body not read to its end would make libsoup drop its connection). */
  g_assert_cmpuint (c.connections, >, 0);
  g_assert_cmpuint (c.connections, <=, 8);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/retrieve"), ==, n);

  for (guint i = 0; i < n; i++)
    {
      NpRetrieveResult *r = g_ptr_array_index (results, i);

      g_assert_cmpstr (r->checkout_id, ==, g_ptr_array_index (ids, i));
      if (i == 10 || i == 1500)
        {
          g_assert_null (r->checkout);
          g_assert_error (r->error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NOT_FOUND);
        }
      else
        {
          g_assert_no_error (r->error);
          g_assert_cmpstr (np_checkout_get_id (r->checkout), ==, r->checkout_id);
          g_assert_cmpint (np_checkout_get_amount (r->checkout), ==, 100 + i);
        }
    }

  g_test_message ("retrieve_many: %u ids in %.2f s (%.0f/s), at most %u in flight",
                  n, seconds, n / seconds, c.max_queued);
  g_print ("# retrieve_many: %u ids in %.2f s = %.0f ids/s, max in flight %u\n",
           n, seconds, n / seconds, c.max_queued);
}

static gboolean
some_done (gpointer data)
{
  return *(guint *) data >= 20;
}

static void
on_count (guint done, guint total, gpointer data)
{
  *(guint *) data = done;
}

static void
test_retrieve_many_cancel (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  guint done = 0;
  guint done_at_cancel;

  for (guint i = 0; i < 500; i++)
    g_ptr_array_add (ids, g_strdup_printf ("id-%u", i));
  g_ptr_array_add (ids, NULL);

  np_client_retrieve_many_async (f->client, (const char * const *) ids->pdata, 0, on_count, &done,
                                 cancellable, np_test_store_result, &result);
  np_test_wait_until (some_done, &done, WAIT_MS, "some ids settle");
  done_at_cancel = done;
  g_cancellable_cancel (cancellable);
  results = np_client_retrieve_many_finish (f->client, np_test_wait_result (&result, WAIT_MS), &error);
  g_clear_object (&result);
  g_assert_null (results);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED);
  /* No new requests after the cancel: only those in flight then (at most the
   * default cap of 32) settled after it. */
  g_assert_cmpuint (done, <=, done_at_cancel + 32);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/retrieve"), <=, done_at_cancel + 32);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/retrieve"), <, 500);
}

/* Safety ---------------------------------------------------------------------- */

static void
test_base_url_check (void)
{
  static const char * const good[] = {
    "https://api.neuro-admin.com", "https://api.paiwise.com/", "https://example.com:8443/v1",
    "http://127.0.0.1:8080", "http://localhost:1234", "http://[::1]:9000", "http://127.1.2.3",
  };
  static const char * const bad[] = {
    "http://api.neuro-admin.com", "http://10.0.0.1", "http://192.168.1.5:8080", "ftp://example.com",
    "https://", "api.neuro-admin.com", "", "https://user:pass@example.com", "https://example.com/?a=b",
    "https://example.com/#x", "javascript:alert(1)", "http://localhost.evil.example",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NpClient) client = np_client_new (good[i], "key", &error);

      g_assert_no_error (error);
      g_assert_true (np_client_check_base_url (good[i], NULL));
      g_assert_false (g_str_has_suffix (np_client_get_base_url (client), "/"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NpClient) client = np_client_new (bad[i], "key", &error);

      g_assert_null (client);
      g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_URL);
      g_assert_false (np_client_check_base_url (bad[i], NULL));
      assert_described (error);
    }
}

/* A server on 127.0.0.1 that answers every call with a redirect to the sandbox
 * under the name "localhost" (another host), and notes the Authorization headers
 * it saw. It stands in for a hijacked or misconfigured API host; the sandbox
 * itself never redirects an API call. */
typedef struct {
  char *target;
  guint requests;
  guint with_authorization;
} Redirector;

static void
redirect_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           data)
{
  Redirector *r = data;
  g_autofree char *location = g_strconcat (r->target, path, NULL);

  r->requests++;
  if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization"))
    r->with_authorization++;
  soup_server_message_set_redirect (msg, SOUP_STATUS_TEMPORARY_REDIRECT, location);
}

static void
test_no_cross_host_redirect (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GUri) sandbox_uri = g_uri_parse (np_test_sandbox_get_base_url (f->sandbox), G_URI_FLAGS_NONE, NULL);
  g_autofree char *base = NULL;
  g_autoptr(NpClient) client = NULL;
  g_autoptr(NpCheckout) created = create_checkout (f->client, 1000, TRUE, NULL, NULL, &error);
  g_autoptr(NpCheckout) redirected = NULL;
  Redirector r = { 0, };

  g_assert_no_error (error);
  r.target = g_strdup_printf ("http://localhost:%d", g_uri_get_port (sandbox_uri));
  soup_server_add_handler (server, NULL, redirect_handler, &r, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  client = np_client_new (base, np_test_sandbox_get_test_key (f->sandbox), &error);
  g_assert_no_error (error);
  redirected = retrieve (client, np_checkout_get_id (created), &error);
  g_assert_null (redirected);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "localhost"));

  /* The configured host got the key; the other host got nothing at all. */
  g_assert_cmpuint (r.requests, ==, 1);
  g_assert_cmpuint (r.with_authorization, ==, 1);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/retrieve"), ==, 0);
  g_free (r.target);
}

/* A server on 127.0.0.1 that moved the API under /moved on the same host: every
 * /checkout/ call gets a 307 or a 308 (in turn) to /moved/..., which answers the
 * retrieve with what the real sandbox said and counts what reaches it. */
typedef struct {
  char  *checkout_json;    /* the sandbox's answer to a retrieve */
  char  *location_suffix;  /* appended to every Location (hostile bytes) */
  guint  redirected;
  guint  moved;            /* requests that reached /moved/ */
  guint  moved_mutations;  /* of those, anything but a retrieve */
} MovedApi;

static void
moved_api_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           data)
{
  MovedApi *m = data;

  if (g_str_has_prefix (path, "/moved/"))
    {
      m->moved++;
      if (!g_str_equal (path, "/moved/checkout/retrieve"))
        m->moved_mutations++;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        m->checkout_json, strlen (m->checkout_json));
      return;
    }

  {
    g_autofree char *location = g_strconcat ("/moved", path, m->location_suffix, NULL);
    guint status = m->redirected++ % 2 == 0 ? SOUP_STATUS_TEMPORARY_REDIRECT : SOUP_STATUS_PERMANENT_REDIRECT;

    soup_server_message_set_status (msg, status, NULL);
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
  }
}

static NpClient *
moved_api_client (Fixture     *f,
                  SoupServer  *server,
                  MovedApi    *m)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *base = NULL;
  NpClient *client;

  soup_server_add_handler (server, NULL, moved_api_handler, m, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  client = np_client_new (base, np_test_sandbox_get_test_key (f->sandbox), &error);
  g_assert_no_error (error);
  return client;
}

/* A redirect refused: BAD_RESPONSE naming where it pointed, described as such. */
static void
assert_redirect_refused (const GError *error,
                         const char   *path)
{
  g_autofree char *sentence = NULL;

  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);
  g_assert_true (np_client_error_get_http_status (error) == 307 || np_client_error_get_http_status (error) == 308);
  g_assert_nonnull (np_client_error_get_location (error));
  g_assert_true (g_str_has_prefix (np_client_error_get_location (error), path));
  sentence = np_client_error_describe (error);
  g_assert_nonnull (strstr (sentence, path));
}

/* A same-host 307/308 is followed by a retrieve, and by nothing that changes
 * anything: create, capture, refund, update, delete and the customer calls each
 * fail with BAD_RESPONSE and the location, and none reaches the target. */
static void
test_mutation_follows_no_redirect (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) created = create_checkout (f->client, 1000, TRUE, NULL, NULL, &error);
  g_autoptr(NpCheckout) got = NULL;
  g_autoptr(NpCheckout) changed = NULL;
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();
  g_autoptr(GHashTable) changes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(NpClient) client = NULL;
  g_autofree char *request = NULL;
  GAsyncResult *result = NULL;
  MovedApi m = { 0, };
  const char *id;

  g_assert_no_error (error);
  id = np_checkout_get_id (created);
  request = g_strdup_printf ("{\"checkout_id\": \"%s\"}", id);
  g_assert_cmpuint (np_test_sandbox_call (f->sandbox, "/checkout/retrieve", request, &body), ==, 200);
  m.checkout_json = json_to_string (body, FALSE);
  m.location_suffix = g_strdup ("");
  client = moved_api_client (f, server, &m);

  /* A retrieve follows the same-host redirect, as before. */
  got = retrieve (client, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_checkout_get_id (got), ==, id);
  g_assert_cmpuint (m.redirected, ==, 1);
  g_assert_cmpuint (m.moved, ==, 1);

  draft->amount = 500;
  draft->currency = g_strdup ("SEK");
  np_client_create_checkout_async (client, draft, NULL, np_test_store_result, &result);
  changed = checkout_wait (client, &result, &error);
  g_assert_null (changed);
  assert_redirect_refused (error, "/moved/checkout/create");
  g_clear_error (&error);

  np_client_capture_checkout_async (client, id, NULL, np_test_store_result, &result);
  changed = checkout_wait (client, &result, &error);
  g_assert_null (changed);
  assert_redirect_refused (error, "/moved/checkout/capture");
  g_clear_error (&error);

  changed = refund (client, id, 100, &error);
  g_assert_null (changed);
  assert_redirect_refused (error, "/moved/checkout/refund");
  g_clear_error (&error);

  g_hash_table_insert (changes, "orderId", "1");
  np_client_update_checkout_async (client, id, changes, NULL, np_test_store_result, &result);
  changed = checkout_wait (client, &result, &error);
  g_assert_null (changed);
  assert_redirect_refused (error, "/moved/checkout/update");
  g_clear_error (&error);

  np_client_delete_checkout_async (client, id, NULL, np_test_store_result, &result);
  changed = checkout_wait (client, &result, &error);
  g_assert_null (changed);
  assert_redirect_refused (error, "/moved/checkout/delete");
  g_clear_error (&error);

  np_client_create_customer_async (client, "Ada", "Lovelace", "ada@example.com", NULL, NULL,
                                   np_test_store_result, &result);
  customer = customer_wait (client, &result, &error);
  g_assert_null (customer);
  assert_redirect_refused (error, "/moved/checkout/create-customer");
  g_clear_error (&error);

  np_client_delete_customer_async (client, "cus_1", NULL, np_test_store_result, &result);
  customer = customer_wait (client, &result, &error);
  g_assert_null (customer);
  assert_redirect_refused (error, "/moved/checkout/delete-customer");
  g_clear_error (&error);

  /* Each mutation was asked once, redirected, and never sent to the target. */
  g_assert_cmpuint (m.redirected, ==, 1 + 7);
  g_assert_cmpuint (m.moved_mutations, ==, 0);
  g_assert_cmpuint (m.moved, ==, 1);

  /* A hostile Location is one printable line, capped. */
  g_free (m.location_suffix);
  {
    GString *suffix = g_string_new ("?a=\x1b[31m\t\xe2\x80\xae");
    for (guint i = 0; i < 400; i++)
      g_string_append_c (suffix, 'x');
    g_string_append (suffix, "\xff");
    m.location_suffix = g_string_free (suffix, FALSE);
  }
  changed = refund (client, id, 100, &error);
  g_assert_null (changed);
  assert_redirect_refused (error, "/moved/checkout/refund");
  {
    const char *location = np_client_error_get_location (error);

    g_assert_true (g_utf8_validate (location, -1, NULL));
    g_assert_cmpuint (g_utf8_strlen (location, -1), <=, 201);
    g_assert_null (strchr (location, '\x1b'));
    g_assert_null (strchr (location, '\t'));
    g_assert_null (strstr (location, "\xe2\x80\xae"));
    g_assert_null (strchr (error->message, '\n'));
  }
  g_assert_cmpuint (m.moved_mutations, ==, 0);

  g_free (m.checkout_json);
  g_free (m.location_suffix);
}

static void
test_render_curl (void)
{
  g_autoptr(NpClient) client = np_client_new ("https://api.neuro-admin.com/", "s3cr3t-key-value", NULL);
  g_autofree char *curl = np_client_render_curl (client, "checkout/refund",
                                                 "{\"checkout_id\":\"abc\",\"refundDetails\":\"it's\"}");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *script = NULL;
  int status = 0;

  g_assert_null (strstr (curl, "s3cr3t"));
  g_assert_nonnull (strstr (curl, "$NEURO_PAY_API_KEY"));
  g_assert_nonnull (strstr (curl, "'https://api.neuro-admin.com/checkout/refund'"));

  /* The quoting survives a real shell: echo the arguments curl would get. */
  script = g_strdup_printf ("curl () { printf '%%s\\n' \"$@\"; }; NEURO_PAY_API_KEY=K; %s", curl);
  {
    const char *argv[] = { "sh", "-c", script, NULL };
    g_autoptr(GError) error = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_no_error (error);
  }
  g_assert_nonnull (strstr (out, "Authorization: Bearer K\n"));
  g_assert_nonnull (strstr (out, "{\"checkout_id\":\"abc\",\"refundDetails\":\"it's\"}\n"));
}

static char *
http_date (gint64 seconds_from_now)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, seconds_from_now);

  return soup_date_time_to_string (then, SOUP_DATE_HTTP);
}

static void
notify_count (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* The Date header as a server's clock: noise counts as none, a moved sandbox clock
 * is believed, nonsense and absurd distances are not. */
static void
test_clock_offset (void)
{
  g_autoptr(NpClient) client = np_client_new ("http://127.0.0.1:9", "k", NULL);
  g_autofree char *near = http_date (90);
  g_autofree char *ahead = http_date (26 * 3600);
  g_autofree char *behind = http_date (-3 * 3600);
  g_autofree char *absurd = http_date (NP_CLIENT_CLOCK_OFFSET_MAX + 86400);
  guint notified = 0;

  g_signal_connect (client, "notify::clock-offset", G_CALLBACK (notify_count), &notified);
  g_assert_cmpint (np_client_get_clock_offset (client), ==, 0);

  np_client_note_server_date (client, near);
  g_assert_cmpint (np_client_get_clock_offset (client), ==, 0);
  g_assert_cmpuint (notified, ==, 0);

  np_client_note_server_date (client, ahead);
  g_assert_cmpint (ABS (np_client_get_clock_offset (client) - 26 * 3600), <=, 2);
  g_assert_cmpuint (notified, ==, 1);

  np_client_note_server_date (client, "yesterday-ish");
  np_client_note_server_date (client, NULL);
  np_client_note_server_date (client, absurd);
  g_assert_cmpint (ABS (np_client_get_clock_offset (client) - 26 * 3600), <=, 2);
  g_assert_cmpuint (notified, ==, 1);

  np_client_note_server_date (client, behind);
  g_assert_cmpint (ABS (np_client_get_clock_offset (client) + 3 * 3600), <=, 2);
  np_client_note_server_date (client, near);
  g_assert_cmpint (np_client_get_clock_offset (client), ==, 0);
  g_assert_cmpuint (notified, ==, 3);
}

int
main (int    argc,
      char **argv)
{
  np_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/api/client/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("checkout-calls", test_checkout_calls);
  ADD ("capture-and-delete", test_capture_and_delete);
  ADD ("customer-calls", test_customer_calls);
  ADD ("error/unauthorized", test_error_unauthorized);
  ADD ("error/not-found-and-invalid", test_error_not_found_and_invalid);
  ADD ("error/rate-limited", test_error_rate_limited);
  ADD ("error/server", test_error_server);
  ADD ("error/bad-response", test_error_bad_response);
  ADD ("error/network-and-drop", test_error_network_and_drop);
  ADD ("error/timeout", test_error_timeout);
  ADD ("cancel-in-flight", test_cancel_in_flight);
  ADD ("retrieve-many", test_retrieve_many);
  ADD ("retrieve-many-cancel", test_retrieve_many_cancel);
  ADD ("no-cross-host-redirect", test_no_cross_host_redirect);
  ADD ("mutation-follows-no-redirect", test_mutation_follows_no_redirect);
#undef ADD
  g_test_add_func ("/api/client/base-url-check", test_base_url_check);
  g_test_add_func ("/api/client/clock-offset", test_clock_offset);
  g_test_add_func ("/api/client/render-curl", test_render_curl);

  return g_test_run ();
}
