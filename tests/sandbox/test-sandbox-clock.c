/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sandbox-clock.c — /sandbox/clock: advancing and setting it, what objects
 * made meanwhile carry, the Date header, the refusal to go back before the latest
 * stamped time (and nothing changed by it), bad bodies, and the clock kept across
 * a restart with a state file. */
#include <libsoup/soup.h>

#include "np-test-sandbox.h"
#include "np-test-utils.h"

#define ORDER "{\"amount\": 2000, \"currency\": \"SEK\", \"message\": \"Order\"}"

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time);
}

static const char *
member (JsonNode   *root,
        const char *name)
{
  return json_object_get_string_member (json_node_get_object (root), name);
}

static void
test_advance_stamps_objects (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(JsonNode) clock = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) refunded = NULL;
  gint64 real = g_get_real_time () / G_USEC_PER_SEC;
  gint64 now;
  g_autofree char *refund_body = NULL;

  g_assert_cmpint (ABS (np_test_sandbox_get_now (sandbox) - real), <=, 2);

  g_assert_cmpuint (np_test_sandbox_clock (sandbox, "{\"advance\": \"26h\"}", &clock), ==, 200);
  now = parse_time (member (clock, "now"));
  g_assert_cmpint (now - real, >=, 26 * 3600);
  g_assert_cmpint (now - real, <=, 26 * 3600 + 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (clock), "offset_seconds"), ==, 26 * 3600);

  /* A checkout made now carries the moved time, created and updated. */
  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/checkout/create", ORDER, &created), ==, 200);
  g_assert_cmpint (parse_time (member (created, "created")) - now, >=, 0);
  g_assert_cmpint (parse_time (member (created, "created")) - now, <=, 2);
  g_assert_true (np_test_sandbox_pay (sandbox, member (created, "checkout_id"), "success"));

  /* A refund a day later carries that day. */
  g_assert_cmpuint (np_test_sandbox_clock (sandbox, "{\"advance\": \"1d\"}", NULL), ==, 200);
  refund_body = g_strdup_printf ("{\"checkout_id\": \"%s\", \"amount\": 500}", member (created, "checkout_id"));
  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/checkout/refund", refund_body, &refunded), ==, 200);
  {
    JsonArray *refunds = json_object_get_array_member (json_node_get_object (refunded), "refunds");
    gint64 refund_time = parse_time (json_object_get_string_member (json_array_get_object_element (refunds, 0), "created"));

    g_assert_cmpint (refund_time - now, >=, 86400);
    g_assert_cmpint (refund_time - now, <=, 86400 + 2);
    g_assert_cmpint (parse_time (member (refunded, "updated")), ==, refund_time);
  }
}

static void
test_date_header (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) date = NULL;
  gint64 now;

  g_assert_cmpuint (np_test_sandbox_clock (sandbox, "{\"now\": \"2031-03-04T05:06:07Z\"}", NULL), ==, 200);
  now = np_test_sandbox_get_now (sandbox);

  /* Any answer, even a refusal without a key, says the sandbox's time. */
  url = g_strconcat (np_test_sandbox_get_base_url (sandbox), "/checkout/retrieve", NULL);
  msg = soup_message_new ("POST", url);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  date = soup_date_time_new_from_http_string (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date"));
  g_assert_nonnull (date);
  g_assert_cmpint (ABS (g_date_time_to_unix (date) - now), <=, 2);
}

static void
test_back_refused (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) created = NULL;
  JsonObject *error;
  gint64 before;

  /* Empty: any time, even in the past (how sample data starts 30 days ago). */
  g_assert_cmpuint (np_test_sandbox_clock (sandbox, "{\"advance\": \"-30d\"}", NULL), ==, 200);
  g_assert_cmpint (np_test_sandbox_get_now (sandbox) - g_get_real_time () / G_USEC_PER_SEC, <=, -30 * 86400 + 2);
  g_assert_cmpuint (np_test_sandbox_clock (sandbox, "{\"reset\": true}", NULL), ==, 200);

  g_assert_cmpuint (np_test_sandbox_clock (sandbox, "{\"advance\": \"2h\"}", NULL), ==, 200);
  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/checkout/create", ORDER, &created), ==, 200);
  before = np_test_sandbox_get_now (sandbox);

  /* Back before the checkout's time: refused, named, nothing changed. */
  g_assert_cmpuint (np_test_sandbox_clock (sandbox, "{\"now\": \"2026-12-01T09:00:00Z\"}", &refused), ==, 409);
  error = json_object_get_object_member (json_node_get_object (refused), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "clock_backwards");
  g_assert_nonnull (strstr (json_object_get_string_member (error, "message"), "does not go back to 2026-12-01T09:00:00Z"));
  g_assert_nonnull (strstr (json_object_get_string_member (error, "message"), member (created, "created")));
  g_assert_cmpint (np_test_sandbox_get_now (sandbox) - before, >=, 0);
  g_assert_cmpint (np_test_sandbox_get_now (sandbox) - before, <=, 2);

  g_assert_cmpuint (np_test_sandbox_clock (sandbox, "{\"advance\": \"-3h\"}", NULL), ==, 409);
  g_assert_cmpuint (np_test_sandbox_clock (sandbox, "{\"reset\": true}", NULL), ==, 409);

  /* Forward is always allowed. */
  g_assert_cmpuint (np_test_sandbox_clock (sandbox, "{\"advance\": \"1m\"}", NULL), ==, 200);
}

static void
test_bad_bodies (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  const char *bodies[] = {
    "{}", "[]", "{\"advance\": 26}", "{\"advance\": \"26\"}", "{\"advance\": \"h\"}", "{\"advance\": \"26y\"}",
    "{\"advance\": \"\"}", "{\"now\": \"yesterday\"}", "{\"now\": \"2026-12-01T09:00:00\"}",
    "{\"advance\": \"1h\", \"now\": \"2030-01-01T00:00:00Z\"}", "{\"reset\": false}",
    "{\"advance\": \"99999999999d\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) answer = NULL;

      g_test_message ("%s", bodies[i]);
      g_assert_cmpuint (np_test_sandbox_clock (sandbox, bodies[i], &answer), ==, 400);
      g_assert_nonnull (answer);
    }
  /* More than 100 years away: refused with its reason. */
  g_assert_cmpuint (np_test_sandbox_clock (sandbox, "{\"now\": \"2999-01-01T00:00:00Z\"}", NULL), ==, 409);
  g_assert_cmpint (ABS (np_test_sandbox_get_now (sandbox) - g_get_real_time () / G_USEC_PER_SEC), <=, 2);
}

static void
test_kept_by_state (void)
{
  g_autofree char *dir = g_build_filename (np_test_get_home (), "clock-state", NULL);
  g_autofree char *state = g_build_filename (dir, "state.json", NULL);
  gint64 offset;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  {
    g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_full (state, "test-key-0123456789abcdef01234567", NULL, 0);
    g_assert_cmpuint (np_test_sandbox_clock (sandbox, "{\"advance\": \"26h\"}", NULL), ==, 200);
    offset = np_test_sandbox_get_now (sandbox) - g_get_real_time () / G_USEC_PER_SEC;
  }
  {
    g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new_full (state, "test-key-0123456789abcdef01234567", NULL, 0);
    gint64 again = np_test_sandbox_get_now (sandbox) - g_get_real_time () / G_USEC_PER_SEC;

    g_assert_cmpint (ABS (again - offset), <=, 2);
    g_assert_cmpint (again, >=, 26 * 3600 - 2);
  }
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/sandbox/clock/advance-stamps-objects", test_advance_stamps_objects);
  g_test_add_func ("/sandbox/clock/date-header", test_date_header);
  g_test_add_func ("/sandbox/clock/back-refused", test_back_refused);
  g_test_add_func ("/sandbox/clock/bad-bodies", test_bad_bodies);
  g_test_add_func ("/sandbox/clock/kept-by-state", test_kept_by_state);

  return g_test_run ();
}
