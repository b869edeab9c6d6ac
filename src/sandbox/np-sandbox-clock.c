/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sandbox-clock.c — /sandbox/clock: the sandbox's time, moved by tests and demos.
 *
 *   GET  /sandbox/clock                            {"now": "…Z", "offset_seconds": N}
 *   POST /sandbox/clock {"advance": "26h"}         moves it on (s, m, h, d; "1d2h")
 *   POST /sandbox/clock {"now": "2026-12-01T09:00:00Z"}   sets it
 *   POST /sandbox/clock {"reset": true}            back to the real time
 *
 * One clock per sandbox (both worlds), kept in the state file. It never goes back
 * before the latest time it has stamped on an object: that is refused with 409
 * "clock_backwards" and changes nothing (on an empty sandbox any time is allowed,
 * which is how sample data starts 30 days ago). Every answer's Date header is the
 * sandbox's now, so a client can judge ages by the server's time.
 */
#include "np-json-private.h"
#include "np-sandbox-private.h"

static void
reply_clock (NpSandboxServer   *self,
             SoupServerMessage *msg)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autofree char *now = np_sandbox_store_now (self->store);

  json_object_set_string_member (root, "now", now);
  json_object_set_int_member (root, "offset_seconds", np_sandbox_store_get_clock_offset (self->store));
  np_sandbox_reply_object (msg, SOUP_STATUS_OK, root);
}

gboolean
np_sandbox_parse_duration (const char *text,
                           gint64     *out_seconds)
{
  const char *p = text;
  gint64 total = 0;
  gboolean negative = FALSE;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  if (*p == '\0')
    return FALSE;

  while (*p != '\0')
    {
      gint64 value = 0, unit;
      const char *start = p;

      while (g_ascii_isdigit (*p))
        {
          value = value * 10 + (*p++ - '0');
          if (value > NP_SANDBOX_MAX_CLOCK_OFFSET)
            return FALSE;
        }
      if (p == start)
        return FALSE;
      switch (*p++)
        {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: return FALSE;
        }
      total += value * unit;
      if (total > NP_SANDBOX_MAX_CLOCK_OFFSET)
        return FALSE;
    }
  *out_seconds = negative ? -total : total;
  return TRUE;
}

static void
set_clock (NpSandboxServer   *self,
           SoupServerMessage *msg,
           const char        *request_id)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonNode) root = np_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  JsonNode *advance, *now, *reset;
  guint given;
  gint64 target;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      np_sandbox_reply_error (msg, 400, "invalid_request", request_id, "The body must be a JSON object");
      return;
    }
  body = json_node_get_object (root);
  advance = json_object_get_member (body, "advance");
  now = json_object_get_member (body, "now");
  reset = json_object_get_member (body, "reset");
  given = (advance != NULL) + (now != NULL) + (reset != NULL);
  if (given != 1)
    {
      np_sandbox_reply_error (msg, 400, "invalid_request", request_id,
                              "Give exactly one of advance (\"26h\"), now (\"2026-12-01T09:00:00Z\") or reset (true)");
      return;
    }

  if (advance != NULL)
    {
      gint64 seconds;

      if (json_node_get_value_type (advance) != G_TYPE_STRING ||
          !np_sandbox_parse_duration (json_node_get_string (advance), &seconds))
        {
          np_sandbox_reply_error (msg, 400, "invalid_request", request_id,
                                  "advance must be a duration such as \"26h\", \"30d\" or \"1d2h\" (s, m, h, d)");
          return;
        }
      target = np_sandbox_store_get_now_unix (self->store) + seconds;
    }
  else if (now != NULL)
    {
      g_autoptr(GDateTime) time = NULL;

      if (json_node_get_value_type (now) == G_TYPE_STRING)
        time = g_date_time_new_from_iso8601 (json_node_get_string (now), NULL);
      if (time == NULL)
        {
          np_sandbox_reply_error (msg, 400, "invalid_request", request_id,
                                  "now must be an ISO 8601 time with its zone, such as \"2026-12-01T09:00:00Z\"");
          return;
        }
      target = g_date_time_to_unix (time);
    }
  else
    {
      if (json_node_get_value_type (reset) != G_TYPE_BOOLEAN || !json_node_get_boolean (reset))
        {
          np_sandbox_reply_error (msg, 400, "invalid_request", request_id, "reset must be true");
          return;
        }
      target = g_get_real_time () / G_USEC_PER_SEC;
    }

  if (!np_sandbox_store_set_clock (self->store, target, &error))
    {
      np_sandbox_reply_error (msg, SOUP_STATUS_CONFLICT, "clock_backwards", request_id, "%s", error->message);
      return;
    }
  np_sandbox_store_clock_changed (self->store);
  reply_clock (self, msg);
}

void
np_sandbox_clock_handle (NpSandboxServer   *self,
                         SoupServerMessage *msg,
                         const char        *request_id)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (method, "POST"))
    set_clock (self, msg, request_id);
  else if (g_str_equal (method, "GET"))
    reply_clock (self, msg);
  else
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, POST");
      np_sandbox_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", request_id,
                              "/sandbox/clock takes GET or POST");
    }
}

void
np_sandbox_clock_set_date_header (NpSandboxServer   *self,
                                  SoupServerMessage *msg)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (np_sandbox_store_get_now_unix (self->store));
  g_autofree char *text = now != NULL ? soup_date_time_to_string (now, SOUP_DATE_HTTP) : NULL;

  if (text != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Date", text);
}
