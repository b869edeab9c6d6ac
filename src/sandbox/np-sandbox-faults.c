/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sandbox-faults.c — injected faults and the request counters.
 *
 * A rule {"path": "/checkout/refund", "fault": "drop", "count": 1} makes the next
 * matching call misbehave. "drop", "truncated" and "malformed" happen AFTER the call
 * changed the state, which is what makes an outcome unknown to the client (did my
 * refund go through?); "drop-before", "status:NNN" and "html" leave the state alone.
 * GET /sandbox/stats tells tests how many calls arrived and how many were applied.
 *
 * A rule may also carry "set" (an object merged into the JSON answer) and
 * "request_id" (the X-Request-Id header): {"path": "/checkout/create", "fault":
 * "rewrite", "set": {"url": "javascript:alert(1)"}} answers as usual but with a
 * hostile payment link, which is how tests play a hostile server.
 */
#include "np-json-private.h"
#include "np-sandbox-private.h"
#include "np-sandbox-connections.h"

void
np_sandbox_fault_free (NpSandboxFault *fault)
{
  if (fault == NULL)
    return;
  g_free (fault->path);
  g_clear_pointer (&fault->set, json_object_unref);
  g_free (fault->request_id);
  g_free (fault);
}

static NpSandboxFault *
fault_copy (const NpSandboxFault *fault)
{
  NpSandboxFault *copy = g_memdup2 (fault, sizeof *fault);

  copy->path = g_strdup (fault->path);
  copy->set = fault->set != NULL ? json_object_ref (fault->set) : NULL;
  copy->request_id = g_strdup (fault->request_id);
  return copy;
}

static gboolean
parse_number (const char *text,
              guint       min,
              guint       max,
              guint      *out)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    return FALSE;
  *out = value;
  return TRUE;
}

static gboolean
parse_kind (const char         *text,
            NpSandboxFaultKind *kind,
            guint              *value)
{
  static const struct { const char *name; NpSandboxFaultKind kind; } plain[] = {
    { "malformed", NP_SANDBOX_FAULT_MALFORMED },
    { "truncated", NP_SANDBOX_FAULT_TRUNCATED },
    { "drop", NP_SANDBOX_FAULT_DROP },
    { "drop-before", NP_SANDBOX_FAULT_DROP_BEFORE },
    { "html", NP_SANDBOX_FAULT_HTML },
    { "framework-errors", NP_SANDBOX_FAULT_FRAMEWORK },
    { "rewrite", NP_SANDBOX_FAULT_REWRITE },
  };

  *value = 0;
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    if (g_str_equal (text, plain[i].name))
      {
        *kind = plain[i].kind;
        return TRUE;
      }
  if (g_str_has_prefix (text, "status:"))
    {
      *kind = NP_SANDBOX_FAULT_STATUS;
      return parse_number (text + 7, 400, 599, value);
    }
  if (g_str_has_prefix (text, "latency:"))
    {
      *kind = NP_SANDBOX_FAULT_LATENCY;
      return parse_number (text + 8, 0, 600000, value);
    }
  return FALSE;
}

static const char *
kind_name (NpSandboxFaultKind kind)
{
  switch (kind)
    {
    case NP_SANDBOX_FAULT_STATUS: return "status";
    case NP_SANDBOX_FAULT_LATENCY: return "latency";
    case NP_SANDBOX_FAULT_MALFORMED: return "malformed";
    case NP_SANDBOX_FAULT_TRUNCATED: return "truncated";
    case NP_SANDBOX_FAULT_DROP: return "drop";
    case NP_SANDBOX_FAULT_DROP_BEFORE: return "drop-before";
    case NP_SANDBOX_FAULT_HTML: return "html";
    case NP_SANDBOX_FAULT_FRAMEWORK: return "framework-errors";
    case NP_SANDBOX_FAULT_REWRITE: return "rewrite";
    default: return "unknown";
    }
}

static void
reply_faults (NpSandboxServer   *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *list = json_array_new ();

  for (guint i = 0; i < self->faults->len; i++)
    {
      NpSandboxFault *fault = g_ptr_array_index (self->faults, i);
      JsonObject *rule = json_object_new ();
      g_autofree char *text = NULL;

      if (fault->kind == NP_SANDBOX_FAULT_STATUS || fault->kind == NP_SANDBOX_FAULT_LATENCY)
        text = g_strdup_printf ("%s:%u", kind_name (fault->kind), fault->value);
      else
        text = g_strdup (kind_name (fault->kind));
      json_object_set_string_member (rule, "path", fault->path);
      json_object_set_string_member (rule, "fault", text);
      json_object_set_int_member (rule, "count", fault->count);
      if (fault->set != NULL)
        json_object_set_object_member (rule, "set", json_object_ref (fault->set));
      if (fault->request_id != NULL)
        json_object_set_string_member (rule, "request_id", fault->request_id);
      if (fault->retry_after > 0)
        json_object_set_int_member (rule, "retry_after", fault->retry_after);
      json_array_add_object_element (list, rule);
    }
  json_object_set_array_member (root, "faults", list);
  np_sandbox_reply_object (msg, SOUP_STATUS_OK, root);
}

static void
add_fault (NpSandboxServer   *self,
           SoupServerMessage *msg,
           const char        *request_id)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonNode) root = NULL;
  NpSandboxFault fault = { 0 };
  JsonObject *rule;
  JsonNode *count, *set, *request_id_node, *retry_after;
  const char *path, *text;

  root = np_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      np_sandbox_reply_error (msg, 400, "invalid_request", request_id, "The body must be a JSON object");
      return;
    }
  rule = json_node_get_object (root);
  path = json_object_get_string_member_with_default (rule, "path", NULL);
  text = json_object_get_string_member_with_default (rule, "fault", NULL);
  count = json_object_get_member (rule, "count");
  set = json_object_get_member (rule, "set");
  request_id_node = json_object_get_member (rule, "request_id");
  retry_after = json_object_get_member (rule, "retry_after");

  if (path == NULL || (!g_str_has_prefix (path, "/checkout/") && !g_str_equal (path, "*")))
    {
      np_sandbox_reply_error (msg, 400, "invalid_request", request_id,
                              "path must be an API path such as /checkout/refund, or *");
      return;
    }
  if (text == NULL || !parse_kind (text, &fault.kind, &fault.value))
    {
      np_sandbox_reply_error (msg, 400, "invalid_request", request_id,
                              "fault must be status:NNN, latency:MS, malformed, truncated, drop, "
                              "drop-before, html, framework-errors or rewrite");
      return;
    }
  if ((set != NULL && !JSON_NODE_HOLDS_OBJECT (set)) ||
      (request_id_node != NULL && json_node_get_value_type (request_id_node) != G_TYPE_STRING))
    {
      np_sandbox_reply_error (msg, 400, "invalid_request", request_id,
                              "set must be an object and request_id a string");
      return;
    }
  if (fault.kind == NP_SANDBOX_FAULT_REWRITE && set == NULL && request_id_node == NULL)
    {
      np_sandbox_reply_error (msg, 400, "invalid_request", request_id,
                              "rewrite needs set or request_id");
      return;
    }
  fault.count = 1;
  if (count != NULL && json_node_get_value_type (count) == G_TYPE_INT64)
    fault.count = json_node_get_int (count);
  else if (count != NULL && !JSON_NODE_HOLDS_NULL (count))
    {
      np_sandbox_reply_error (msg, 400, "invalid_request", request_id,
                              "count must be a whole number (negative: forever)");
      return;
    }
  if (fault.count == 0)
    {
      np_sandbox_reply_error (msg, 400, "invalid_request", request_id, "count 0 would never fire");
      return;
    }

  if (retry_after != NULL &&
      (json_node_get_value_type (retry_after) != G_TYPE_INT64 ||
       json_node_get_int (retry_after) < 1 || json_node_get_int (retry_after) > 3600))
    {
      np_sandbox_reply_error (msg, 400, "invalid_request", request_id,
                              "retry_after must be a whole number of seconds from 1 to 3600");
      return;
    }
  fault.retry_after = retry_after != NULL ? (guint) json_node_get_int (retry_after) : 0;

  fault.path = (char *) path;
  fault.set = set != NULL ? json_node_get_object (set) : NULL;
  fault.request_id = request_id_node != NULL ? (char *) json_node_get_string (request_id_node) : NULL;
  g_ptr_array_add (self->faults, fault_copy (&fault));
  reply_faults (self, msg);
}

void
np_sandbox_faults_handle (NpSandboxServer   *self,
                          SoupServerMessage *msg,
                          const char        *request_id)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (method, "POST"))
    add_fault (self, msg, request_id);
  else if (g_str_equal (method, "DELETE"))
    {
      g_ptr_array_set_size (self->faults, 0);
      reply_faults (self, msg);
    }
  else if (g_str_equal (method, "GET"))
    reply_faults (self, msg);
  else
    np_sandbox_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", request_id,
                            "/sandbox/faults takes GET, POST or DELETE");
}

void
np_sandbox_stats_handle (NpSandboxServer   *self,
                         SoupServerMessage *msg)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *paths = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->stats);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      NpSandboxStats *stats = value;
      JsonObject *entry = json_object_new ();

      json_object_set_int_member (entry, "requests", stats->requests);
      json_object_set_int_member (entry, "applied", stats->applied);
      json_object_set_int_member (entry, "rate_limited", stats->rate_limited);
      json_object_set_object_member (paths, key, entry);
    }
  json_object_set_object_member (root, "paths", paths);
  json_object_set_int_member (root, "refused_connections", self->refused_connections);
  np_sandbox_reply_object (msg, SOUP_STATUS_OK, root);
}

void
np_sandbox_requests_handle (NpSandboxServer   *self,
                            SoupServerMessage *msg)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *list = json_array_new ();
  guint len = self->timeline->len;
  /* Oldest first: once the ring is full, the oldest is the next to be replaced. */
  guint first = len < NP_SANDBOX_TIMELINE_MAX ? 0 : self->timeline_next;

  for (guint i = 0; i < len; i++)
    {
      const NpSandboxTimelineEntry *entry = &g_array_index (self->timeline, NpSandboxTimelineEntry,
                                                            (first + i) % len);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "path", entry->path);
      json_object_set_int_member (item, "status", entry->status);
      json_object_set_int_member (item, "arrived_us", entry->arrived_us);
      json_object_set_int_member (item, "answered_us", entry->answered_us);
      if (entry->retry_after > 0)
        json_object_set_int_member (item, "retry_after", entry->retry_after);
      json_array_add_object_element (list, item);
    }
  json_object_set_array_member (root, "requests", list);
  np_sandbox_reply_object (msg, SOUP_STATUS_OK, root);
}

NpSandboxFault *
np_sandbox_faults_take (NpSandboxServer *self,
                        const char      *path)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      NpSandboxFault *fault = g_ptr_array_index (self->faults, i);
      NpSandboxFault *taken;

      if (!g_str_equal (fault->path, "*") && !g_str_equal (fault->path, path))
        continue;
      taken = fault_copy (fault);
      if (fault->count > 0 && --fault->count == 0)
        g_ptr_array_remove_index (self->faults, i);
      return taken;
    }
  return NULL;
}

/* Takes the connection away from libsoup: writes @raw (may be NULL) and closes it,
 * so the client sees a dropped or cut-off answer, not an HTTP error. */
static void
take_over (NpSandboxServer   *self,
           SoupServerMessage *msg,
           const char        *raw,
           gsize              length,
           const char        *request_id)
{
  const gint64 *started = g_object_get_data (G_OBJECT (msg), "np-started");
  g_autoptr(GIOStream) stream = NULL;

  np_sandbox_server_log (self, soup_server_message_get_method (msg),
                         g_uri_get_path (soup_server_message_get_uri (msg)),
                         0, started != NULL ? *started : g_get_monotonic_time (), request_id);
  g_object_set_data (G_OBJECT (msg), "np-logged", GINT_TO_POINTER (1));

  np_sandbox_connections_forget (self->connections, msg);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  if (raw != NULL)
    g_output_stream_write_all (g_io_stream_get_output_stream (stream), raw, length, NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

gboolean
np_sandbox_fault_apply_before (NpSandboxServer   *self,
                               SoupServerMessage *msg,
                               NpSandboxFault    *fault,
                               const char        *request_id)
{
  static const char html[] =
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>502 Bad Gateway</h1><hr><p>nginx</p></body></html>\n";

  switch (fault->kind)
    {
    case NP_SANDBOX_FAULT_STATUS:
      if (fault->value == 429 || fault->value == 503)
        {
          g_autofree char *seconds = g_strdup_printf ("%u", MAX (fault->retry_after, 1));

          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
        }
      np_sandbox_reply_error (msg, fault->value, "injected_fault", request_id,
                              "Injected fault: status %u", fault->value);
      return TRUE;
    case NP_SANDBOX_FAULT_HTML:
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_GATEWAY, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, html, strlen (html));
      return TRUE;
    case NP_SANDBOX_FAULT_DROP_BEFORE:
      take_over (self, msg, NULL, 0, request_id);
      return TRUE;
    case NP_SANDBOX_FAULT_LATENCY:
    case NP_SANDBOX_FAULT_MALFORMED:
    case NP_SANDBOX_FAULT_TRUNCATED:
    case NP_SANDBOX_FAULT_DROP:
    case NP_SANDBOX_FAULT_FRAMEWORK:
    case NP_SANDBOX_FAULT_REWRITE:
    default:
      return FALSE;
    }
}

/* {"error": {"code": "not_found", "message": "..."}} becomes
 * {"name": "NotFoundError", "message": "...", "code": 404, "status": 404}: what the
 * platform's web framework answers when the application does not shape its errors. */
static void
reword_as_framework_error (SoupServerMessage *msg)
{
  static const struct { guint status; const char *name; } names[] = {
    { 400, "BadRequestError" }, { 401, "UnauthorizedError" }, { 404, "NotFoundError" },
    { 405, "MethodNotAllowedError" }, { 409, "ConflictError" }, { 422, "UnprocessableEntityError" },
  };
  guint status = soup_server_message_get_status (msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) framework = NULL;
  JsonObject *error = NULL;
  JsonNode *root;
  const char *name = "HttpError";

  if (status < 400)
    return;
  body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  if (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), "error"))
    error = json_object_get_object_member (json_node_get_object (root), "error");
  if (error == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i].status == status)
      name = names[i].name;
  framework = json_object_new ();
  json_object_set_string_member (framework, "name", name);
  json_object_set_string_member (framework, "message",
                                 json_object_get_string_member_with_default (error, "message", ""));
  json_object_set_int_member (framework, "code", status);
  json_object_set_int_member (framework, "status", status);
  np_sandbox_reply_object (msg, status, framework);
}

gboolean
np_sandbox_fault_apply_after (NpSandboxServer   *self,
                              SoupServerMessage *msg,
                              NpSandboxFault    *fault,
                              const char        *request_id)
{
  static const char malformed[] = "{\"checkout_id\": \"c0ffee\", \"status\": \"pa";

  switch (fault->kind)
    {
    case NP_SANDBOX_FAULT_MALFORMED:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_body_truncate (soup_server_message_get_response_body (msg));
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        malformed, strlen (malformed));
      return FALSE;
    case NP_SANDBOX_FAULT_TRUNCATED:
      {
        g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
        gsize length = g_bytes_get_size (body);
        /* The length promises the whole body; only half of it ever comes. */
        g_autofree char *raw = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: application/json\r\n"
                                                "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                                "X-Request-Id: %s\r\n\r\n%.*s",
                                                soup_server_message_get_status (msg),
                                                soup_status_get_phrase (soup_server_message_get_status (msg)),
                                                length, request_id,
                                                (int) (length / 2), (const char *) g_bytes_get_data (body, NULL));
        take_over (self, msg, raw, strlen (raw), request_id);
        return TRUE;
      }
    case NP_SANDBOX_FAULT_DROP:
      take_over (self, msg, NULL, 0, request_id);
      return TRUE;
    case NP_SANDBOX_FAULT_FRAMEWORK:
      reword_as_framework_error (msg);
      return FALSE;
    case NP_SANDBOX_FAULT_STATUS:
    case NP_SANDBOX_FAULT_LATENCY:
    case NP_SANDBOX_FAULT_DROP_BEFORE:
    case NP_SANDBOX_FAULT_HTML:
    case NP_SANDBOX_FAULT_REWRITE:
    default:
      return FALSE;
    }
}

static void
merge_object (JsonObject *into,
              JsonObject *from)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, from);
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonNode *there = json_object_get_member (into, name);

      if (there != NULL && JSON_NODE_HOLDS_OBJECT (there) && JSON_NODE_HOLDS_OBJECT (node))
        merge_object (json_node_get_object (there), json_node_get_object (node));
      else
        json_object_set_member (into, name, json_node_copy (node));
    }
}

void
np_sandbox_fault_rewrite (SoupServerMessage *msg,
                          NpSandboxFault    *fault)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (fault->request_id != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "X-Request-Id", fault->request_id);
  if (fault->set == NULL)
    return;

  body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;   /* HTML or broken JSON: nothing to set members in */

  merge_object (json_node_get_object (root), fault->set);
  np_sandbox_reply_json (msg, soup_server_message_get_status (msg), root);
}
