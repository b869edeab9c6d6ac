/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-checkout-json.c — NpCheckout and NpCustomer from both documented shapes
 * and from hostile input. */
#include <string.h>

#include "np-client.h"
#include "np-test-utils.h"

/* The sandbox's (newer) shape, as in neuropay-api.md. */
static const char *new_shape =
  "{ \"checkout_id\": \"c0ffee00c0ffee00c0ffee00c0ffee00\", \"identifier\": \"order-1001\","
  "  \"status\": \"partialRefund\", \"amount\": 2000, \"currency\": \"SEK\", \"message\": \"Order #1001\","
  "  \"capture\": true, \"allowSaveCard\": false, \"template\": null,"
  "  \"returnUrl\": \"https://merchant.example/success\","
  "  \"returnUrlCancel\": \"https://merchant.example/cancel\","
  "  \"customer_id\": \"9a79\", \"card_id\": null, \"url\": \"https://pay.example/c0ffee\","
  "  \"metaData\": {\"orderId\": \"1001\", \"n\": 7, \"gone\": null},"
  "  \"refunded_amount\": 500,"
  "  \"refunds\": [ {\"amount\": 500, \"reason\": \"requested_by_customer\", \"refundDetails\": \"dup\","
  "                 \"created\": \"2026-11-24 10:05:00\"} ],"
  "  \"created\": \"2026-11-24T10:00:00Z\", \"updated\": \"2026-11-24 11:00:00\","
  "  \"futureField\": {\"x\": [1, 2, 3]} }";

/* The old text's shape: metaData as key/value pairs, no dates, few fields. */
static const char *old_shape =
  "{ \"checkout_id\": \"abc\", \"status\": \"reserve released\", \"amount\": \"3000\","
  "  \"currency\": \"sek\", \"capture\": false,"
  "  \"metaData\": [ {\"key\": \"orderId\", \"value\": \"77\"}, {\"key\": \"x\", \"value\": {\"a\": 1}},"
  "                  17, {\"nokey\": 1} ] }";

static void
test_new_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = np_checkout_new_from_data (new_shape, -1, &error);
  g_autoptr(NpCheckout) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *created = NULL;
  GHashTable *metadata;
  GPtrArray *refunds;
  NpRefund *refund;

  g_assert_no_error (error);
  g_assert_cmpstr (np_checkout_get_id (checkout), ==, "c0ffee00c0ffee00c0ffee00c0ffee00");
  g_assert_cmpstr (np_checkout_get_identifier (checkout), ==, "order-1001");
  g_assert_cmpint (np_checkout_get_status (checkout), ==, NP_CHECKOUT_STATUS_PARTIAL_REFUND);
  g_assert_cmpstr (np_checkout_get_status_text (checkout), ==, "partialRefund");
  g_assert_cmpint (np_checkout_get_amount (checkout), ==, 2000);
  g_assert_cmpstr (np_checkout_get_currency (checkout), ==, "SEK");
  g_assert_cmpstr (np_checkout_get_message (checkout), ==, "Order #1001");
  g_assert_true (np_checkout_get_capture (checkout));
  g_assert_false (np_checkout_get_allow_save_card (checkout));
  g_assert_null (np_checkout_get_template (checkout));
  g_assert_cmpstr (np_checkout_get_return_url (checkout), ==, "https://merchant.example/success");
  g_assert_cmpstr (np_checkout_get_return_url_cancel (checkout), ==, "https://merchant.example/cancel");
  g_assert_cmpstr (np_checkout_get_customer_id (checkout), ==, "9a79");
  g_assert_null (np_checkout_get_card_id (checkout));
  g_assert_cmpstr (np_checkout_get_url (checkout), ==, "https://pay.example/c0ffee");

  metadata = np_checkout_get_metadata (checkout);
  g_assert_cmpuint (g_hash_table_size (metadata), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (metadata, "orderId"), ==, "1001");
  g_assert_cmpstr (g_hash_table_lookup (metadata, "n"), ==, "7");

  g_assert_cmpint (np_checkout_get_refunded_amount (checkout), ==, 500);
  refunds = np_checkout_get_refunds (checkout);
  g_assert_cmpuint (refunds->len, ==, 1);
  refund = g_ptr_array_index (refunds, 0);
  g_assert_cmpint (refund->amount, ==, 500);
  g_assert_cmpstr (refund->reason, ==, "requested_by_customer");
  g_assert_cmpstr (refund->details, ==, "dup");
  g_assert_cmpstr (refund->created, ==, "2026-11-24T10:05:00Z");

  created = g_date_time_format_iso8601 (np_checkout_get_created (checkout));
  g_assert_cmpstr (created, ==, "2026-11-24T10:00:00Z");
  g_assert_cmpint (g_date_time_to_unix (np_checkout_get_updated (checkout)), ==,
                   g_date_time_to_unix (np_checkout_get_created (checkout)) + 3600);

  /* Unknown fields are kept for the raw view and survive a round trip. */
  g_assert_true (json_object_has_member (np_checkout_get_raw (checkout), "futureField"));
  json = np_checkout_to_json (checkout, FALSE);
  again = np_checkout_new_from_data (json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (np_checkout_get_raw (again), "futureField"));
  g_assert_cmpint (np_checkout_get_refunded_amount (again), ==, 500);

  /* partialRefund: 1500 left to refund, nothing to capture or delete. */
  g_assert_cmpint (np_checkout_get_refundable_amount (checkout), ==, 1500);
  g_assert_true (np_checkout_can_refund (checkout));
  g_assert_false (np_checkout_can_capture (checkout));
  g_assert_false (np_checkout_can_delete (checkout));
  g_assert_false (np_checkout_status_is_final (np_checkout_get_status (checkout)));
}

static void
test_old_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = np_checkout_new_from_data (old_shape, -1, &error);
  GHashTable *metadata;

  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_status (checkout), ==, NP_CHECKOUT_STATUS_RESERVE_RELEASED);
  g_assert_true (np_checkout_status_is_final (np_checkout_get_status (checkout)));
  g_assert_cmpint (np_checkout_get_amount (checkout), ==, 3000);
  g_assert_cmpstr (np_checkout_get_currency (checkout), ==, "SEK");
  g_assert_false (np_checkout_get_capture (checkout));
  g_assert_true (np_checkout_get_allow_save_card (checkout));   /* documented default */
  g_assert_null (np_checkout_get_identifier (checkout));
  g_assert_null (np_checkout_get_created (checkout));
  g_assert_cmpuint (np_checkout_get_refunds (checkout)->len, ==, 0);
  g_assert_cmpint (np_checkout_get_refunded_amount (checkout), ==, 0);

  metadata = np_checkout_get_metadata (checkout);
  g_assert_cmpuint (g_hash_table_size (metadata), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (metadata, "orderId"), ==, "77");
  g_assert_cmpstr (g_hash_table_lookup (metadata, "x"), ==, "{\"a\":1}");
  g_assert_cmpint (np_checkout_get_refundable_amount (checkout), ==, 0);
  g_assert_false (np_checkout_can_refund (checkout));
}

static void
test_statuses (void)
{
  static const struct { const char *text; NpCheckoutStatus status; gboolean final; } cases[] = {
    { "created", NP_CHECKOUT_STATUS_CREATED, FALSE },
    { "reserved", NP_CHECKOUT_STATUS_RESERVED, FALSE },
    { "reserve released", NP_CHECKOUT_STATUS_RESERVE_RELEASED, TRUE },
    { "reserve_released", NP_CHECKOUT_STATUS_RESERVE_RELEASED, TRUE },
    { "paid", NP_CHECKOUT_STATUS_PAID, FALSE },
    { "PAID", NP_CHECKOUT_STATUS_PAID, FALSE },
    { "refunded", NP_CHECKOUT_STATUS_REFUNDED, TRUE },
    { "partialRefund", NP_CHECKOUT_STATUS_PARTIAL_REFUND, FALSE },
    { "revoked", NP_CHECKOUT_STATUS_REVOKED, TRUE },
    { "failed", NP_CHECKOUT_STATUS_FAILED, TRUE },
    { "canceled", NP_CHECKOUT_STATUS_CANCELED, TRUE },
    { "cancelled", NP_CHECKOUT_STATUS_CANCELED, TRUE },
    { "disputed", NP_CHECKOUT_STATUS_UNKNOWN, FALSE },
    { "", NP_CHECKOUT_STATUS_UNKNOWN, FALSE },
    { "a-very-long-status-that-is-nothing-we-know-of-at-all", NP_CHECKOUT_STATUS_UNKNOWN, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NpCheckoutStatus status = np_checkout_status_from_string (cases[i].text);

      g_assert_cmpint (status, ==, cases[i].status);
      g_assert_cmpint (np_checkout_status_is_final (status), ==, cases[i].final);
    }

  g_assert_cmpstr (np_checkout_status_to_string (NP_CHECKOUT_STATUS_RESERVE_RELEASED), ==, "reserve released");
  g_assert_cmpstr (np_checkout_status_to_string (NP_CHECKOUT_STATUS_PARTIAL_REFUND), ==, "partialRefund");
  g_assert_null (np_checkout_status_to_string (NP_CHECKOUT_STATUS_UNKNOWN));
  g_assert_null (np_checkout_status_to_string (99));
  g_assert_true (G_TYPE_IS_ENUM (NP_TYPE_CHECKOUT_STATUS));
}

static NpCheckout *
checkout_with (const char *status,
               const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"checkout_id\": \"x1\", \"status\": \"%s\", \"amount\": 1000%s}",
                                           status, extra);
  NpCheckout *checkout = np_checkout_new_from_data (json, -1, &error);

  g_assert_no_error (error);
  return checkout;
}

static void
test_helpers (void)
{
  g_autoptr(NpCheckout) created = checkout_with ("created", "");
  g_autoptr(NpCheckout) reserved = checkout_with ("reserved", ", \"capture\": false");
  g_autoptr(NpCheckout) reserved_capture = checkout_with ("reserved", ", \"capture\": true");
  g_autoptr(NpCheckout) paid = checkout_with ("paid", "");
  g_autoptr(NpCheckout) summed = checkout_with ("partialRefund", ", \"refunds\": [{\"amount\": 300}, {\"amount\": 200}, 5]");
  g_autoptr(NpCheckout) full = checkout_with ("partialRefund", ", \"refunded_amount\": 1000");
  g_autoptr(NpCheckout) unknown = checkout_with ("chargeback", "");
  g_autoptr(NpCheckout) refunded = checkout_with ("refunded", ", \"refunded_amount\": 1000");
  g_autoptr(NpCheckout) deleted = checkout_with ("created", ", \"deleted\": true");

  g_assert_true (np_checkout_can_delete (created));
  g_assert_false (np_checkout_can_refund (created));
  g_assert_false (np_checkout_can_capture (created));

  g_assert_true (np_checkout_can_capture (reserved));
  g_assert_true (np_checkout_can_refund (reserved));   /* releases the reservation */
  g_assert_false (np_checkout_can_capture (reserved_capture));
  g_assert_false (np_checkout_can_delete (reserved));

  g_assert_cmpint (np_checkout_get_refundable_amount (paid), ==, 1000);
  g_assert_cmpint (np_checkout_get_refunded_amount (summed), ==, 500);
  g_assert_cmpint (np_checkout_get_refundable_amount (summed), ==, 500);
  g_assert_cmpint (np_checkout_get_refundable_amount (full), ==, 0);

  /* Unknown statuses are kept as text and allow nothing. */
  g_assert_cmpint (np_checkout_get_status (unknown), ==, NP_CHECKOUT_STATUS_UNKNOWN);
  g_assert_cmpstr (np_checkout_get_status_text (unknown), ==, "chargeback");
  g_assert_false (np_checkout_can_refund (unknown) || np_checkout_can_capture (unknown)
                  || np_checkout_can_delete (unknown));
  g_assert_false (np_checkout_can_refund (refunded));
  g_assert_true (np_checkout_get_deleted (deleted));
  g_assert_false (np_checkout_can_delete (deleted));
  g_assert_false (np_checkout_get_deleted (created));
}

static void
test_times (void)
{
  static const struct { const char *text; gint64 unix_time; } good[] = {
    { "2026-11-24 10:00:00", 1795514400 },
    { "2026-11-24T10:00:00", 1795514400 },
    { "2026-11-24T10:00:00Z", 1795514400 },
    { "2026-11-24T12:00:00+02:00", 1795514400 },
    { "2026-11-24T10:00:00.250Z", 1795514400 },
    { "2026-11-24", 1795478400 },
  };
  static const char *bad[] = { "", "yesterday", "2026-13-45 10:00:00", "2026-11-24 25:00:00",
                               "10:00:00", "2026-11-24T10:00:00Zjunk" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GDateTime) t = np_parse_api_time (good[i].text);

      g_assert_nonnull (t);
      g_assert_cmpint (g_date_time_to_unix (t), ==, good[i].unix_time);
      g_assert_cmpint (g_date_time_get_utc_offset (t), ==, 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_null (np_parse_api_time (bad[i]));
  g_assert_null (np_parse_api_time (NULL));
}

static void
assert_bad_response (const char *json,
                     gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = np_checkout_new_from_data (json, length, &error);
  g_autoptr(GError) customer_error = NULL;
  g_autoptr(NpCustomer) customer = np_customer_new_from_data (json, length, &customer_error);

  g_test_message ("refusing %.60s", json ? json : "(null)");
  g_assert_null (checkout);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);
  g_assert_null (customer);
  g_assert_error (customer_error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);
}

static void
test_hostile_refused (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"checkout_id\": \"x\", \"customer_id\": \"y\", \"a\": ");

  assert_bad_response ("", 0);
  assert_bad_response (NULL, -1);
  assert_bad_response ("null", -1);
  assert_bad_response ("\"checkout\"", -1);
  assert_bad_response ("[{\"checkout_id\": \"x\"}]", -1);
  assert_bad_response ("{}", -1);
  assert_bad_response ("{\"checkout_id\": \"\", \"customer_id\": \"\"}", -1);
  assert_bad_response ("{\"checkout_id\": {\"a\": 1}, \"customer_id\": [1]}", -1);
  assert_bad_response ("{\"checkout_id\": \"a\\nb\", \"customer_id\": \"a\\u0007b\"}", -1);
  assert_bad_response ("{\"checkout_id\": \"abc\", \"status\": \"paid\"", -1);     /* truncated */
  assert_bad_response ("<html><body>502 Bad Gateway</body></html>", -1);
  assert_bad_response ("{\"checkout_id\": \"abc\"} trailing", -1);
  assert_bad_response ("\xff\xfe{\"checkout_id\": \"abc\"}", -1);

  /* Nesting deep enough to exhaust a recursive parser's stack is refused
   * before parsing. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  assert_bad_response (deep->str, deep->len);
}

static void
test_hostile_tolerated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) wrong_types = NULL;
  g_autoptr(NpCheckout) huge = NULL;
  g_autoptr(NpCheckout) numeric_id = NULL;
  g_autoptr(NpCheckout) wrapped = NULL;

  /* Every field of the wrong type: the checkout is still usable, fields absent. */
  wrong_types = np_checkout_new_from_data (
    "{\"checkout_id\": \"w1\", \"status\": [\"paid\"], \"currency\": {},"
    " \"message\": [1,2], \"capture\": \"maybe\", \"allowSaveCard\": 7, \"metaData\": \"k=v\","
    " \"refunds\": {\"amount\": 5}, \"created\": 12.5e400,"
    " \"updated\": \"not a date\", \"url\": null}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_status (wrong_types), ==, NP_CHECKOUT_STATUS_UNKNOWN);
  g_assert_null (np_checkout_get_status_text (wrong_types));
  g_assert_cmpint (np_checkout_get_amount (wrong_types), ==, 0);
  g_assert_null (np_checkout_get_currency (wrong_types));
  g_assert_null (np_checkout_get_message (wrong_types));
  g_assert_true (np_checkout_get_capture (wrong_types));
  g_assert_true (np_checkout_get_allow_save_card (wrong_types));
  g_assert_cmpuint (g_hash_table_size (np_checkout_get_metadata (wrong_types)), ==, 0);
  g_assert_cmpuint (np_checkout_get_refunds (wrong_types)->len, ==, 0);
  g_assert_cmpint (np_checkout_get_refunded_amount (wrong_types), ==, 0);
  g_assert_null (np_checkout_get_updated (wrong_types));
  g_assert_null (np_checkout_get_url (wrong_types));

  /* Numbers beyond gint64 are not times we can hold: absent, never wrapped.
   * (Amounts beyond the maximum make the answer unusable: test-json-strict.) */
  huge = np_checkout_new_from_data (
    "{\"checkout_id\": \"h1\", \"status\": \"paid\", \"amount\": 1000000000000000,"
    " \"refunded_amount\": 1000000000000000, \"refunds\": [{\"amount\": 500000000000000},"
    " {\"amount\": 500000000000000}], \"created\": 99999999999999999999}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_amount (huge), ==, 1000000000000000);
  g_assert_cmpint (np_checkout_get_refunded_amount (huge), ==, 1000000000000000);
  g_assert_cmpint (np_checkout_get_refundable_amount (huge), ==, 0);
  g_assert_cmpuint (np_checkout_get_refunds (huge)->len, ==, 2);
  g_assert_null (np_checkout_get_created (huge));

  numeric_id = np_checkout_new_from_data ("{\"checkout_id\": 12345, \"amount\": 10.0}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_checkout_get_id (numeric_id), ==, "12345");
  g_assert_cmpint (np_checkout_get_amount (numeric_id), ==, 10);

  wrapped = np_checkout_new_from_data ("{\"data\": {\"checkout_id\": \"in\", \"status\": \"paid\"}}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_checkout_get_id (wrapped), ==, "in");
  g_assert_cmpint (np_checkout_get_status (wrapped), ==, NP_CHECKOUT_STATUS_PAID);
}

static void
test_hostile_large (void)
{
  g_autoptr(GString) body = g_string_sized_new (11 * 1024 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = NULL;
  guint i;

  /* A 10 MB body: many metadata keys, a long string and a long array of garbage. */
  g_string_append (body, "{\"checkout_id\": \"big\", \"status\": \"paid\", \"amount\": 1000000, \"metaData\": {");
  for (i = 0; i < 50000; i++)
    g_string_append_printf (body, "%s\"k%u\": \"%u\"", i ? "," : "", i, i);
  g_string_append (body, "}, \"refunds\": [");
  for (i = 0; body->len < 9 * 1024 * 1024; i++)
    g_string_append_printf (body, "%s{\"amount\": 1, \"junk\": [[{\"x\": null}], \"\\u00e9\\\"\", -0.5e-3]}",
                            i ? "," : "");
  g_string_append (body, "], \"message\": \"");
  while (body->len < 10 * 1024 * 1024)
    g_string_append (body, "0123456789abcdef");
  g_string_append (body, "\"}");

  checkout = np_checkout_new_from_data (body->str, body->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (np_checkout_get_metadata (checkout)), ==, 50000);
  g_assert_cmpstr (g_hash_table_lookup (np_checkout_get_metadata (checkout), "k49999"), ==, "49999");
  g_assert_cmpint (np_checkout_get_refunded_amount (checkout), ==, np_checkout_get_refunds (checkout)->len);
  g_assert_cmpint (np_checkout_get_refundable_amount (checkout), ==, 1000000 - np_checkout_get_refunds (checkout)->len);
  g_assert_cmpuint (strlen (np_checkout_get_message (checkout)), >=, 512 * 1024);
}

/* Random bytes and random mutations of a valid body: only BAD_RESPONSE or a
 * checkout may come back. */
static void
test_hostile_mutations (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  gsize len = strlen (new_shape);

  for (guint round = 0; round < 3000; round++)
    {
      g_autofree char *copy = g_strdup (new_shape);
      g_autoptr(GError) error = NULL;
      g_autoptr(NpCheckout) checkout = NULL;
      guint flips = g_rand_int_range (rand, 1, 8);

      for (guint f = 0; f < flips; f++)
        copy[g_rand_int_range (rand, 0, len)] = (char) g_rand_int_range (rand, 1, 256);

      checkout = np_checkout_new_from_data (copy, g_rand_int_range (rand, 0, len + 1), &error);
      g_assert_true ((checkout != NULL) != (error != NULL));
      if (error != NULL)
        g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);
      else
        g_assert_nonnull (np_checkout_get_id (checkout));
    }
}

static void
test_customer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCustomer) ada = np_customer_new_from_data (
    "{ \"customer_id\": \"9a7991cb1e8e9f30911970e913ad4841\", \"first_name\": \"Ada\","
    "  \"last_name\": \"Lovelace\", \"email\": \"ada@example.com\", \"client_page\": \"https://p/9a\","
    "  \"metaData\": {\"crmId\": \"cust_123\"}, \"created\": \"2026-01-02 03:04:05\","
    "  \"savedCards\": [ {\"card_id\": \"card1\", \"brand\": \"visa\", \"last4\": \"4242\","
    "                     \"expiry\": \"12/29\", \"default\": true},"
    "                    {\"card_id\": \"card2\", \"brand\": \"mastercard\", \"last4\": 4444,"
    "                     \"exp_month\": 3, \"exp_year\": 2031}, \"junk\" ], \"extra\": 1 }", -1, &error);
  g_autoptr(NpCustomer) old = NULL;
  g_autoptr(NpCustomer) email_only = NULL;
  g_autoptr(NpCustomer) confirmation = NULL;
  g_autofree char *name = NULL;
  g_autofree char *json = NULL;
  NpSavedCard *card;

  g_assert_no_error (error);
  g_assert_cmpstr (np_customer_get_id (ada), ==, "9a7991cb1e8e9f30911970e913ad4841");
  g_assert_cmpstr (np_customer_get_first_name (ada), ==, "Ada");
  g_assert_cmpstr (np_customer_get_last_name (ada), ==, "Lovelace");
  name = np_customer_dup_display_name (ada);
  g_assert_cmpstr (name, ==, "Ada Lovelace");
  g_assert_cmpstr (np_customer_get_email (ada), ==, "ada@example.com");
  g_assert_cmpstr (np_customer_get_client_page (ada), ==, "https://p/9a");
  g_assert_cmpstr (g_hash_table_lookup (np_customer_get_metadata (ada), "crmId"), ==, "cust_123");
  g_assert_cmpint (g_date_time_to_unix (np_customer_get_created (ada)), ==, 1767323045);
  g_assert_false (np_customer_get_deleted (ada));
  g_assert_cmpuint (np_customer_get_saved_cards (ada)->len, ==, 2);
  card = g_ptr_array_index (np_customer_get_saved_cards (ada), 0);
  g_assert_cmpstr (card->card_id, ==, "card1");
  g_assert_cmpstr (card->brand, ==, "visa");
  g_assert_cmpstr (card->last4, ==, "4242");
  g_assert_cmpstr (card->expiry, ==, "12/29");
  g_assert_true (card->is_default);
  card = g_ptr_array_index (np_customer_get_saved_cards (ada), 1);
  g_assert_cmpstr (card->last4, ==, "4444");
  g_assert_cmpstr (card->expiry, ==, "03/31");
  g_assert_false (card->is_default);
  json = np_customer_to_json (ada, FALSE);
  g_assert_nonnull (strstr (json, "\"extra\":1"));

  /* The old spelling, metaData as pairs, no names. */
  old = np_customer_new_from_data (
    "{\"customer_id\": \"c2\", \"Client_page\": \"https://p/c2\", \"email\": \"x@example.com\","
    " \"metaData\": [{\"key\": \"a\", \"value\": \"b\"}]}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_customer_get_client_page (old), ==, "https://p/c2");
  g_assert_cmpstr (g_hash_table_lookup (np_customer_get_metadata (old), "a"), ==, "b");
  g_clear_pointer (&name, g_free);
  name = np_customer_dup_display_name (old);
  g_assert_cmpstr (name, ==, "x@example.com");
  g_assert_cmpuint (np_customer_get_saved_cards (old)->len, ==, 0);

  email_only = np_customer_new_from_data ("{\"customer_id\": \"c3\", \"first_name\": [1], \"savedCards\": 5}",
                                          -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&name, g_free);
  name = np_customer_dup_display_name (email_only);
  g_assert_cmpstr (name, ==, "c3");

  confirmation = np_customer_new_from_data ("{\"customer_id\": \"c4\", \"deleted\": true}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (np_customer_get_deleted (confirmation));
}

int
main (int    argc,
      char **argv)
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/api/checkout/new-shape", test_new_shape);
  g_test_add_func ("/api/checkout/old-shape", test_old_shape);
  g_test_add_func ("/api/checkout/statuses", test_statuses);
  g_test_add_func ("/api/checkout/helpers", test_helpers);
  g_test_add_func ("/api/checkout/times", test_times);
  g_test_add_func ("/api/checkout/hostile/refused", test_hostile_refused);
  g_test_add_func ("/api/checkout/hostile/tolerated", test_hostile_tolerated);
  g_test_add_func ("/api/checkout/hostile/large", test_hostile_large);
  g_test_add_func ("/api/checkout/hostile/mutations", test_hostile_mutations);
  g_test_add_func ("/api/customer/shapes", test_customer);

  return g_test_run ();
}
