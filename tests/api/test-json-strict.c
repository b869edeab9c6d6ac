/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-json-strict.c — the one entry point for bytes from the network
 * (np_json_parse ()): strict RFC 8259 JSON or BAD_RESPONSE, never a crash; and
 * amounts checked where they enter (issue 21). */
#include <string.h>

#include "np-client.h"
#include "np-json-private.h"
#include "np-test-utils.h"

static void
assert_refused (const char *data,
                gssize      length,
                const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = np_json_parse (data, length, &error);

  g_test_message ("refusing %.60s", data);
  g_assert_null (node);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);
  if (why != NULL && strstr (error->message, why) == NULL)
    g_error ("“%s” does not say “%s”", error->message, why);
}

static JsonNode *
parse_ok (const char *data)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = np_json_parse (data, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static GString *
repeat (GString    *s,
        const char *piece,
        guint       n)
{
  for (guint i = 0; i < n; i++)
    g_string_append (s, piece);
  return s;
}

/* A '"' inside a comment hid 100,000 levels of '[' from the old quote-counting
 * pre-check; json-glib (which skips comments) then recursed until the stack ran
 * out. 200 KB, well under the size cap. */
static void
test_comment_hidden_nesting (void)
{
  g_autoptr(GString) body = g_string_new ("{\"checkout_id\": \"x\", \"a\": /*\"*/ ");
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = NULL;

  repeat (body, "[", 100000);
  repeat (body, "]", 100000);
  g_string_append (body, " /*\"*/}");
  g_assert_cmpuint (body->len, >, 200000);

  checkout = np_checkout_new_from_data (body->str, body->len, &error);
  g_assert_null (checkout);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);

  /* A single-quoted string hides brackets from a double-quote counter too. */
  g_string_assign (body, "['\"', ");
  repeat (body, "[", 100000);
  repeat (body, "]", 100000);
  g_string_append (body, ", '\"']");
  assert_refused (body->str, body->len, NULL);

  /* Depth is bounded whatever hides it: exactly the limit passes, one more does not. */
  g_string_truncate (body, 0);
  repeat (body, "[", NP_JSON_MAX_DEPTH);
  repeat (body, "]", NP_JSON_MAX_DEPTH);
  json_node_unref (parse_ok (body->str));
  g_string_truncate (body, 0);
  repeat (body, "{\"a\":", NP_JSON_MAX_DEPTH + 1);
  g_string_append (body, "1");
  repeat (body, "}", NP_JSON_MAX_DEPTH + 1);
  assert_refused (body->str, body->len, "deeper");
}

/* What json-glib 1.6 accepts beyond RFC 8259 is refused before it sees it. */
static void
test_not_rfc8259 (void)
{
  assert_refused ("{\"a\": 1 /* comment */}", -1, "comment");
  assert_refused ("// comment\n{\"a\": 1}", -1, "comment");
  assert_refused ("{\"a\": 'single'}", -1, NULL);
  assert_refused ("{'a': 1}", -1, NULL);
  assert_refused ("[NaN]", -1, NULL);
  assert_refused ("[Infinity]", -1, NULL);
  assert_refused ("[-Infinity]", -1, NULL);
  assert_refused ("[0x10]", -1, NULL);
  assert_refused ("[01]", -1, NULL);
  assert_refused ("[.5]", -1, NULL);
  assert_refused ("[1.]", -1, NULL);
  assert_refused ("[+1]", -1, NULL);
  assert_refused ("[1e]", -1, NULL);
  assert_refused ("[1,]", -1, NULL);
  assert_refused ("{\"a\": 1,}", -1, NULL);
  assert_refused ("{a: 1}", -1, NULL);
  assert_refused ("[True]", -1, NULL);
  assert_refused ("[nul]", -1, NULL);
  assert_refused ("[\"tab\tinside\"]", -1, "control character");
  assert_refused ("[\"\\x41\"]", -1, "escape");
  assert_refused ("[\"\\u12\"]", -1, "escape");
  assert_refused ("[\"\\ud800\"]", -1, "surrogate");
  assert_refused ("[\"\\udc00\\ud800\"]", -1, "surrogate");
  assert_refused ("[\"nul \\u0000 inside\"]", -1, "NUL");
  assert_refused ("[1] [2]", -1, "after");
  assert_refused ("   ", -1, NULL);
  assert_refused ("[\"\xc3\x28\"]", -1, "UTF-8");
  assert_refused ("[\"\xed\xa0\x80\"]", -1, "UTF-8");            /* an encoded surrogate */
  assert_refused ("[\"overlong \xc0\xaf\"]", -1, "UTF-8");
  assert_refused ("[1]\0[2]", 7, NULL);
  assert_refused ("\xef\xbb\xbf\xef\xbb\xbf[1]", -1, NULL);      /* one BOM is skipped, not two */
  assert_refused ("\xff\xfe[\0001\0]\0", 8, NULL);                /* UTF-16 */
  assert_refused ("[\v1]", -1, NULL);                             /* not JSON whitespace */
}

static void
test_accepted (void)
{
  g_autoptr(JsonNode) bom = parse_ok ("\xef\xbb\xbf{\"checkout_id\": \"b\"}");
  g_autoptr(JsonNode) escapes = parse_ok ("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"\xc3\xa9\xf0\x9f\x98\x80\"]");
  g_autoptr(JsonNode) numbers = parse_ok (" [0, -0, 1.5e-3, -2E+2, 9223372036854775807, -9223372036854775808, 1e400] ");
  g_autoptr(JsonNode) huge = parse_ok ("[9223372036854775808, 99999999999999999999, -18446744073709551615]");
  JsonArray *array;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (bom));
  array = json_node_get_array (escapes);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "\xc3\xa9\xf0\x9f\x98\x80");

  array = json_node_get_array (numbers);
  g_assert_cmpint (json_array_get_int_element (array, 4), ==, G_MAXINT64);
  g_assert_cmpint (json_array_get_int_element (array, 5), ==, G_MININT64);

  /* json-glib wraps integers beyond 64 bits (2^63 became INT64_MIN, 10^20 - 1
   * became -1, -(2^64 - 1) became 1): they are handed over as floating point. */
  array = json_node_get_array (huge);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (json_node_get_value_type (json_array_get_element (array, i)), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_array_get_double_element (array, 0), ==, 9223372036854775808.0);
  g_assert_cmpfloat (json_array_get_double_element (array, 1), >, 9.9e19);
  g_assert_cmpfloat (json_array_get_double_element (array, 2), <, -1.8e19);
}

static void
assert_bad_amount (const char *json,
                   const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = np_checkout_new_from_data (json, -1, &error);

  g_test_message ("refusing %s", json);
  g_assert_null (checkout);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);
  if (strstr (error->message, field) == NULL)
    g_error ("“%s” does not name “%s”", error->message, field);
}

/* Impossible amounts make the answer unusable: never clamped, wrapped or zeroed. */
static void
test_amounts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) max = NULL;
  g_autoptr(NpCheckout) text = NULL;

  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 9223372036854775808}", "amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 99999999999999999999}", "amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": -18446744073709551615}", "amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 1e400}", "amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": -2000}", "amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 10.5}", "amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": \"12abc\"}", "amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": \"-5\"}", "amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": true}", "amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": [1]}", "amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 1000000000000001}", "amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 1e16}", "amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 100, \"refunded_amount\": -3}", "refunded_amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 100, \"refundedAmount\": 1.5}", "refundedAmount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 100, \"refunded_amount\": 101}", "refunded_amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 100, \"refunded_amount\": 9223372036854775807}",
                     "refunded_amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 100, \"refunds\": [{\"amount\": 5}, {\"amount\": -5}]}",
                     "refunds[1].amount");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 100, \"refunds\": [{\"amount\": 1e300}]}",
                     "refunds[0].amount");
  /* Without the server's total, the listed refunds may not add up beyond the amount. */
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 100, \"refunds\": [{\"amount\": 60}, {\"amount\": 60}]}",
                     "refunds");
  assert_bad_amount ("{\"checkout_id\": \"a\", \"amount\": 1000000000000000, \"refunds\": ["
                     "{\"amount\": 1000000000000000}, {\"amount\": 1000000000000000},"
                     " {\"amount\": 1000000000000000}, {\"amount\": 1000000000000000}]}", "refunds");

  /* The largest amount, and amounts sent as decimal text or integral doubles, are fine. */
  max = np_checkout_new_from_data ("{\"checkout_id\": \"m\", \"amount\": 1000000000000000,"
                                   " \"refunded_amount\": 1000000000000000,"
                                   " \"refunds\": [{\"amount\": 1000000000000000}]}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_amount (max), ==, NP_JSON_MAX_AMOUNT);
  g_assert_cmpint (np_checkout_get_refunded_amount (max), ==, NP_JSON_MAX_AMOUNT);
  text = np_checkout_new_from_data ("{\"checkout_id\": \"t\", \"amount\": \"3000\", \"refunds\": [{\"amount\": 1e3}]}",
                                    -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_amount (text), ==, 3000);
  g_assert_cmpint (np_checkout_get_refunded_amount (text), ==, 1000);
}

int
main (int argc, char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/api/json/comment-hidden-nesting", test_comment_hidden_nesting);
  g_test_add_func ("/api/json/not-rfc8259", test_not_rfc8259);
  g_test_add_func ("/api/json/accepted", test_accepted);
  g_test_add_func ("/api/json/amounts", test_amounts);

  return g_test_run ();
}
