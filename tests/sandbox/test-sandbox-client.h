/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sandbox-client.h — a plain libsoup client for the sandbox's own tests.
 *
 * Synchronous calls with any key (or none), and assertions on the error body
 * shape {"error": {"code", "message", "requestId"}}.
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "np-test-sandbox.h"

static SoupSession *test_session;

static inline SoupSession *
test_client_session (void)
{
  if (test_session == NULL)
    test_session = soup_session_new_with_options ("timeout", 30, NULL);
  return test_session;
}

/* POST @path with @body under @key (NULL: no Authorization header). Returns the
 * status; @out gets the answer's object (NULL when not a JSON object). */
static inline guint
test_call (NpTestSandbox  *sandbox,
           const char     *key,
           const char     *path,
           const char     *body,
           JsonObject    **out)
{
  g_autofree char *url = g_strconcat (np_test_sandbox_get_base_url (sandbox), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (key != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", key);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (test_client_session (), msg, NULL, &error);
  g_assert_no_error (error);

  if (out != NULL)
    {
      *out = NULL;
      if (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        *out = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  return soup_message_get_status (msg);
}

/* With the test key; asserts 200 and returns the object. */
static inline JsonObject *
test_ok (NpTestSandbox *sandbox,
         const char    *path,
         const char    *body)
{
  JsonObject *object = NULL;
  guint status = test_call (sandbox, np_test_sandbox_get_test_key (sandbox), path, body, &object);

  if (status != 200)
    g_error ("%s %s: expected 200, got %u", path, body, status);
  g_assert_nonnull (object);
  return object;
}

/* With the test key; asserts @status and an error body with @code. */
static inline void
test_refused (NpTestSandbox *sandbox,
              const char    *path,
              const char    *body,
              guint          status,
              const char    *code)
{
  g_autoptr(JsonObject) object = NULL;
  guint got = test_call (sandbox, np_test_sandbox_get_test_key (sandbox), path, body, &object);
  JsonObject *error;

  if (got != status)
    g_error ("%s %s: expected %u, got %u", path, body, status, got);
  g_assert_nonnull (object);
  error = json_object_get_object_member (object, "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (error, "message"), !=, "");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (error, "requestId"), "req_"));
}

/* Creates a checkout from @body and returns its id. */
static inline char *
test_create (NpTestSandbox *sandbox,
             const char    *body)
{
  g_autoptr(JsonObject) checkout = test_ok (sandbox, "/checkout/create", body);

  g_assert_cmpstr (json_object_get_string_member (checkout, "status"), ==, "created");
  return g_strdup (json_object_get_string_member (checkout, "checkout_id"));
}

/* POST @path {"checkout_id": @id} with the test key, asserting 200. */
static inline JsonObject *
test_on (NpTestSandbox *sandbox,
         const char    *path,
         const char    *id,
         const char    *extra)
{
  g_autofree char *body = g_strdup_printf ("{\"checkout_id\": \"%s\"%s%s}", id,
                                           extra != NULL ? ", " : "", extra != NULL ? extra : "");

  return test_ok (sandbox, path, body);
}

static inline void
test_client_cleanup (void)
{
  g_clear_object (&test_session);
}
