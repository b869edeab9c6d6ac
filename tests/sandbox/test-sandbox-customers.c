/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sandbox-customers.c — customers, saved cards from a payment, the client page
 * (list, make default, delete, add) and checkouts charged to a saved card. */
#include "np-test-utils.h"
#include "test-sandbox-client.h"

#define ADA "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\", \"email\": \"ada@example.com\""

static JsonObject *
retrieve_customer (NpTestSandbox *sandbox,
                   const char    *id)
{
  g_autofree char *body = g_strdup_printf ("{\"customer_id\": \"%s\"}", id);

  return test_ok (sandbox, "/checkout/retrieve-customer", body);
}

static JsonArray *
cards_of (JsonObject *customer)
{
  return json_object_get_array_member (customer, "savedCards");
}

static guint
client_post (NpTestSandbox *sandbox,
             const char    *customer_id,
             const char    *form)
{
  g_autofree char *url = g_strdup_printf ("%s/client/%s", np_test_sandbox_get_base_url (sandbox), customer_id);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));
  g_autoptr(GBytes) answer = NULL;

  soup_message_set_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  answer = soup_session_send_and_read (test_client_session (), msg, NULL, NULL);
  return soup_message_get_status (msg);
}

static char *
client_get (NpTestSandbox *sandbox,
            const char    *customer_id,
            guint         *out_status)
{
  g_autofree char *url = g_strdup_printf ("%s/client/%s", np_test_sandbox_get_base_url (sandbox), customer_id);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) answer = soup_session_send_and_read (test_client_session (), msg, NULL, NULL);

  *out_status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

static void
test_customer_calls (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(JsonObject) created = test_ok (sandbox, "/checkout/create-customer",
                                           ADA ", \"metaData\": {\"crmId\": \"cust_123\"}}");
  const char *id = json_object_get_string_member (created, "customer_id");
  g_autofree char *page = g_strdup_printf ("%s/client/%s", np_test_sandbox_get_base_url (sandbox), id);
  g_autofree char *body = g_strdup_printf ("{\"customer_id\": \"%s\"}", id);
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) deleted = NULL;
  g_autoptr(JsonObject) live = NULL;

  g_assert_cmpuint (strlen (id), ==, 32);
  g_assert_cmpstr (json_object_get_string_member (created, "first_name"), ==, "Ada");
  g_assert_cmpstr (json_object_get_string_member (created, "last_name"), ==, "Lovelace");
  g_assert_cmpstr (json_object_get_string_member (created, "email"), ==, "ada@example.com");
  g_assert_cmpstr (json_object_get_string_member (created, "client_page"), ==, page);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (created, "metaData"), "crmId"),
                   ==, "cust_123");
  g_assert_cmpuint (json_array_get_length (cards_of (created)), ==, 0);

  again = retrieve_customer (sandbox, id);
  g_assert_cmpstr (json_object_get_string_member (again, "email"), ==, "ada@example.com");

  /* The live world has no such customer. */
  g_assert_cmpuint (test_call (sandbox, np_test_sandbox_get_live_key (sandbox), "/checkout/retrieve-customer",
                               body, &live), ==, 404);

  deleted = test_ok (sandbox, "/checkout/delete-customer", body);
  g_assert_true (json_object_get_boolean_member (deleted, "deleted"));
  test_refused (sandbox, "/checkout/retrieve-customer", body, 404, "not_found");
  test_refused (sandbox, "/checkout/delete-customer", body, 404, "not_found");
}

static void
test_customer_refusals (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();

  test_refused (sandbox, "/checkout/create-customer", "{\"first_name\": \"Ada\", \"last_name\": \"L\"}",
                400, "invalid_request");
  test_refused (sandbox, "/checkout/create-customer", "{\"first_name\": \"Ada\", \"email\": \"a@b.c\"}",
                400, "invalid_request");
  test_refused (sandbox, "/checkout/create-customer", "{\"last_name\": \"L\", \"email\": \"a@b.c\"}",
                400, "invalid_request");
  test_refused (sandbox, "/checkout/create-customer",
                "{\"first_name\": 1, \"last_name\": \"L\", \"email\": \"a@b.c\"}", 400, "invalid_request");
  test_refused (sandbox, "/checkout/create-customer",
                "{\"first_name\": \"A\", \"last_name\": \"L\", \"email\": \"nope\"}", 422, "invalid_value");
  test_refused (sandbox, "/checkout/create-customer", ADA ", \"metaData\": true}", 400, "invalid_request");
  test_refused (sandbox, "/checkout/retrieve-customer", "{}", 400, "invalid_request");
  test_refused (sandbox, "/checkout/delete-customer", "{\"customer_id\": []}", 400, "invalid_request");
}

static void
test_saved_cards (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(JsonObject) customer = test_ok (sandbox, "/checkout/create-customer", ADA "}");
  g_autoptr(JsonObject) other = test_ok (sandbox, "/checkout/create-customer", ADA "}");
  const char *id = json_object_get_string_member (customer, "customer_id");
  const char *other_id = json_object_get_string_member (other, "customer_id");
  g_autofree char *with_customer = g_strdup_printf ("{\"amount\": 900, \"currency\": \"EUR\", \"message\": \"m\","
                                                    " \"customer_id\": \"%s\"}", id);
  g_autofree char *no_save = g_strdup_printf ("{\"amount\": 900, \"currency\": \"EUR\", \"message\": \"m\","
                                              " \"customer_id\": \"%s\", \"allowSaveCard\": false}", id);
  g_autofree char *first = test_create (sandbox, with_customer);
  g_autofree char *second = test_create (sandbox, with_customer);
  g_autofree char *unsaved = test_create (sandbox, no_save);
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) charged = NULL;
  g_autoptr(JsonObject) final = NULL;
  g_autofree char *card1 = NULL;
  g_autofree char *card2 = NULL;
  g_autofree char *form = NULL;
  g_autofree char *by_card = NULL;
  g_autofree char *wrong_owner = NULL;
  g_autofree char *no_owner = NULL;
  g_autofree char *html = NULL;
  JsonArray *cards;
  guint status;

  g_assert_true (np_test_sandbox_pay (sandbox, first, "success"));
  g_assert_true (np_test_sandbox_pay (sandbox, second, "success"));
  g_assert_true (np_test_sandbox_pay (sandbox, unsaved, "success"));
  after = retrieve_customer (sandbox, id);
  cards = cards_of (after);
  g_assert_cmpuint (json_array_get_length (cards), ==, 2);
  card1 = g_strdup (json_object_get_string_member (json_array_get_object_element (cards, 0), "card_id"));
  card2 = g_strdup (json_object_get_string_member (json_array_get_object_element (cards, 1), "card_id"));
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (cards, 0), "default"));
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (cards, 1), "default"));
  g_assert_cmpuint (strlen (json_object_get_string_member (json_array_get_object_element (cards, 0), "last4")),
                    ==, 4);

  /* The client page lists them and makes the second the default. */
  html = client_get (sandbox, id, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (html, card1));
  g_assert_nonnull (strstr (html, card2));
  g_assert_nonnull (strstr (html, "Make default"));
  form = g_strdup_printf ("action=default&card_id=%s", card2);
  g_assert_cmpuint (client_post (sandbox, id, form), ==, 303);
  g_clear_pointer (&after, json_object_unref);
  after = retrieve_customer (sandbox, id);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (cards_of (after), 0), "default"));
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (cards_of (after), 1), "default"));

  /* A card_id checkout is paid at once; only with the customer that owns the card. */
  by_card = g_strdup_printf ("{\"amount\": 500, \"currency\": \"EUR\", \"message\": \"again\","
                             " \"customer_id\": \"%s\", \"card_id\": \"%s\"}", id, card2);
  charged = test_ok (sandbox, "/checkout/create", by_card);
  g_assert_cmpstr (json_object_get_string_member (charged, "status"), ==, "paid");
  wrong_owner = g_strdup_printf ("{\"amount\": 500, \"currency\": \"EUR\", \"message\": \"m\","
                                 " \"customer_id\": \"%s\", \"card_id\": \"%s\"}", other_id, card2);
  test_refused (sandbox, "/checkout/create", wrong_owner, 422, "invalid_value");
  no_owner = g_strdup_printf ("{\"amount\": 500, \"currency\": \"EUR\", \"message\": \"m\", \"card_id\": \"%s\"}",
                              card2);
  test_refused (sandbox, "/checkout/create", no_owner, 422, "invalid_value");

  /* Delete the default: the other becomes the default. Then add a test card. */
  g_free (form);
  form = g_strdup_printf ("action=delete&card_id=%s", card2);
  g_assert_cmpuint (client_post (sandbox, id, form), ==, 303);
  g_assert_cmpuint (client_post (sandbox, id, form), ==, 400);
  g_assert_cmpuint (client_post (sandbox, id, "action=add"), ==, 303);
  g_assert_cmpuint (client_post (sandbox, id, "action=explode"), ==, 400);
  final = retrieve_customer (sandbox, id);
  cards = cards_of (final);
  g_assert_cmpuint (json_array_get_length (cards), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (cards, 0), "card_id"), ==, card1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (cards, 0), "default"));
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (cards, 1), "default"));

  g_free (html);
  html = client_get (sandbox, "nobody", &status);
  g_assert_cmpuint (status, ==, 404);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  np_test_init (&argc, &argv);
  g_test_add_func ("/sandbox/customers/calls", test_customer_calls);
  g_test_add_func ("/sandbox/customers/refusals", test_customer_refusals);
  g_test_add_func ("/sandbox/customers/saved-cards", test_saved_cards);
  result = g_test_run ();
  test_client_cleanup ();
  return result;
}
