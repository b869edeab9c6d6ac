/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-test-sandbox.c — see np-test-sandbox.h. */
#include "np-test-sandbox.h"

#include <libsoup/soup.h>

#include "np-sandbox-thread.h"

struct _NpTestSandbox
{
  NpSandboxThread *thread;
  SoupSession     *session;
};

NpTestSandbox *
np_test_sandbox_new_full (const char *state_path,
                          const char *test_key,
                          const char *live_key,
                          guint       latency_ms)
{
  NpSandboxOptions options = {
    .state_path = state_path,
    .test_key = test_key,
    .live_key = live_key,
    .latency_ms = latency_ms,
  };

  return np_test_sandbox_new_with_options (&options);
}

NpTestSandbox *
np_test_sandbox_new_with_options (const NpSandboxOptions *options)
{
  g_autoptr(GError) error = NULL;
  NpTestSandbox *self = g_new0 (NpTestSandbox, 1);

  self->thread = np_sandbox_thread_start (options, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (self->thread);
  /* Its own session: the helpers must not share connections (or faults that drop
   * them) with the client under test. */
  self->session = soup_session_new_with_options ("timeout", 30, NULL);
  return self;
}

NpTestSandbox *
np_test_sandbox_new (void)
{
  return np_test_sandbox_new_full (NULL, NULL, NULL, 0);
}

const char *
np_test_sandbox_get_base_url (NpTestSandbox *self)
{
  return np_sandbox_thread_get_base_url (self->thread);
}

const char *
np_test_sandbox_get_test_key (NpTestSandbox *self)
{
  return np_sandbox_thread_get_test_key (self->thread);
}

const char *
np_test_sandbox_get_live_key (NpTestSandbox *self)
{
  return np_sandbox_thread_get_live_key (self->thread);
}

static guint
send (NpTestSandbox  *self,
      const char     *method,
      const char     *path,
      const char     *content_type,
      const char     *body,
      JsonNode      **out_json)
{
  g_autofree char *url = g_strconcat (np_test_sandbox_get_base_url (self), path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", np_test_sandbox_get_test_key (self));
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  soup_message_set_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  answer = soup_session_send_and_read (self->session, msg, NULL, &error);
  g_assert_no_error (error);

  if (out_json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      *out_json = NULL;
      if (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL) &&
          json_parser_get_root (parser) != NULL)
        *out_json = json_node_copy (json_parser_get_root (parser));
    }
  return soup_message_get_status (msg);
}

guint
np_test_sandbox_call (NpTestSandbox  *self,
                      const char     *path,
                      const char     *json_body,
                      JsonNode      **out_body)
{
  return send (self, "POST", path, "application/json", json_body, out_body);
}

void
np_test_sandbox_add_fault (NpTestSandbox *self,
                           const char    *path,
                           const char    *fault,
                           int            count)
{
  g_autofree char *body = g_strdup_printf ("{\"path\": \"%s\", \"fault\": \"%s\", \"count\": %d}",
                                           path, fault, count);

  g_assert_cmpuint (send (self, "POST", "/sandbox/faults", "application/json", body, NULL), ==, 200);
}

void
np_test_sandbox_add_fault_rule (NpTestSandbox *self,
                                const char    *rule_json)
{
  g_assert_cmpuint (send (self, "POST", "/sandbox/faults", "application/json", rule_json, NULL), ==, 200);
}

void
np_test_sandbox_clear_faults (NpTestSandbox *self)
{
  g_assert_cmpuint (send (self, "DELETE", "/sandbox/faults", NULL, NULL, NULL), ==, 200);
}

gboolean
np_test_sandbox_pay (NpTestSandbox *self,
                     const char    *checkout_id,
                     const char    *outcome)
{
  g_autofree char *path = g_strdup_printf ("/pay/%s", checkout_id);
  g_autofree char *form = g_strdup_printf ("outcome=%s", outcome);
  guint status = send (self, "POST", path, "application/x-www-form-urlencoded", form, NULL);

  /* 303 to the return URL, or 200 with a result page when there is none. */
  return status == SOUP_STATUS_SEE_OTHER || status == SOUP_STATUS_OK;
}

static guint
read_stat (NpTestSandbox *self,
           const char    *path,
           const char    *what)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *paths, *entry;

  g_assert_cmpuint (send (self, "GET", "/sandbox/stats", NULL, NULL, &root), ==, 200);
  g_assert_nonnull (root);
  paths = json_object_get_object_member (json_node_get_object (root), "paths");
  entry = paths != NULL && json_object_has_member (paths, path) ? json_object_get_object_member (paths, path) : NULL;
  return entry != NULL ? json_object_get_int_member (entry, what) : 0;
}

guint
np_test_sandbox_count_requests (NpTestSandbox *self,
                                const char    *path)
{
  return read_stat (self, path, "requests");
}

guint
np_test_sandbox_count_applied (NpTestSandbox *self,
                               const char    *path)
{
  return read_stat (self, path, "applied");
}

guint
np_test_sandbox_count_rate_limited (NpTestSandbox *self,
                                    const char    *path)
{
  return read_stat (self, path, "rate_limited");
}

guint
np_test_sandbox_count_refused_connections (NpTestSandbox *self)
{
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (send (self, "GET", "/sandbox/stats", NULL, NULL, &root), ==, 200);
  return json_object_get_int_member (json_node_get_object (root), "refused_connections");
}

JsonArray *
np_test_sandbox_get_requests (NpTestSandbox *self)
{
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (send (self, "GET", "/sandbox/requests", NULL, NULL, &root), ==, 200);
  g_assert_nonnull (root);
  return json_array_ref (json_object_get_array_member (json_node_get_object (root), "requests"));
}

guint
np_test_sandbox_clock (NpTestSandbox  *self,
                       const char     *json_body,
                       JsonNode      **out_body)
{
  if (json_body == NULL)
    return send (self, "GET", "/sandbox/clock", NULL, NULL, out_body);
  return send (self, "POST", "/sandbox/clock", "application/json", json_body, out_body);
}

gint64
np_test_sandbox_get_now (NpTestSandbox *self)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = NULL;

  g_assert_cmpuint (np_test_sandbox_clock (self, NULL, &root), ==, 200);
  now = g_date_time_new_from_iso8601 (json_object_get_string_member (json_node_get_object (root), "now"), NULL);
  g_assert_nonnull (now);
  return g_date_time_to_unix (now);
}

void
np_test_sandbox_free (NpTestSandbox *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->session);
  if (self->thread != NULL)
    np_sandbox_thread_stop (self->thread);
  g_clear_object (&self->thread);
  g_free (self);
}
