/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sandbox-server.c — routing, keys, answers and the request log of the sandbox.
 *
 * Every request gets a request id (X-Request-Id, and in error bodies). The key
 * decides the world: the test key sees test data, the live key live data. Faults
 * are looked up here so that every API call honours them the same way.
 */
#include "np-sandbox-private.h"
#include "np-sandbox-connections.h"

#include <stdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

G_DEFINE_FINAL_TYPE (NpSandboxServer, np_sandbox_server, G_TYPE_OBJECT)

static void stop_accepting (NpSandboxServer *self);

static void
np_sandbox_server_dispose (GObject *object)
{
  NpSandboxServer *self = NP_SANDBOX_SERVER (object);

  stop_accepting (self);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_pointer (&self->connections, np_sandbox_connections_free);
  g_clear_object (&self->soup);
  if (self->store != NULL)
    np_sandbox_store_flush (self->store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (np_sandbox_server_parent_class)->dispose (object);
}

static void
np_sandbox_server_finalize (GObject *object)
{
  NpSandboxServer *self = NP_SANDBOX_SERVER (object);

  g_clear_pointer (&self->test_key, g_free);
  g_clear_pointer (&self->live_key, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->stats, g_hash_table_unref);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_clear_pointer (&self->timeline, g_array_unref);

  G_OBJECT_CLASS (np_sandbox_server_parent_class)->finalize (object);
}

static void
np_sandbox_server_class_init (NpSandboxServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = np_sandbox_server_dispose;
  object_class->finalize = np_sandbox_server_finalize;
}

static void
np_sandbox_server_init (NpSandboxServer *self)
{
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) np_sandbox_fault_free);
  self->stats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->connections = np_sandbox_connections_new ();
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->timeline = g_array_new (FALSE, FALSE, sizeof (NpSandboxTimelineEntry));
  self->started_us = g_get_monotonic_time ();
}

char *
np_sandbox_generate_key (void)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  char *key = g_malloc (33);

  for (guint i = 0; i < 32; i++)
    key[i] = alphabet[g_random_int_range (0, sizeof alphabet - 1)];
  key[32] = '\0';
  return key;
}

/* Answers ------------------------------------------------------------------ */

void
np_sandbox_reply_json (SoupServerMessage *msg,
                       guint              status,
                       JsonNode          *node)
{
  gsize length = 0;
  char *text = json_to_string (node, FALSE);

  length = strlen (text);
  /* set_response appends to a body already there (a fault may answer twice). */
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

void
np_sandbox_reply_object (SoupServerMessage *msg,
                         guint              status,
                         JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  np_sandbox_reply_json (msg, status, node);
}

void
np_sandbox_reply_error (SoupServerMessage *msg,
                        guint              status,
                        const char        *code,
                        const char        *request_id,
                        const char        *format,
                        ...)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *error = json_object_new ();
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  json_object_set_string_member (error, "requestId", request_id);
  json_object_set_object_member (root, "error", error);
  np_sandbox_reply_object (msg, status, root);
}

void
np_sandbox_reply_html (SoupServerMessage *msg,
                       guint              status,
                       const char        *title,
                       const char        *body_html)
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  char *page = g_strdup_printf (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width\">"
    "<title>%s</title><style>"
    "body{font-family:sans-serif;max-width:32em;margin:3em auto;padding:0 1em;color:#222}"
    ".amount{font-size:2em;font-weight:bold}.sandbox{color:#a51d2d}"
    "button{font-size:1em;margin:.3em .3em .3em 0;padding:.5em 1em}"
    "li{margin:.4em 0}</style></head><body>"
    "<p class=\"sandbox\">Neuro-Pay sandbox — no real money moves here.</p>"
    "<h1>%s</h1>\n%s\n</body></html>\n",
    escaped, escaped, body_html);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    page, strlen (page));
}

static JsonObject *
copy_object (JsonObject *record)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, record);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy, name, json_node_copy (node));
  return copy;
}

JsonObject *
np_sandbox_checkout_for_reply (NpSandboxServer *self,
                               JsonObject      *record)
{
  JsonObject *reply = copy_object (record);
  g_autofree char *url = g_strdup_printf ("%s/pay/%s", self->base_url,
                                          json_object_get_string_member (record, "checkout_id"));

  json_object_set_string_member (reply, "url", url);
  return reply;
}

JsonObject *
np_sandbox_customer_for_reply (NpSandboxServer *self,
                               JsonObject      *record)
{
  JsonObject *reply = copy_object (record);
  g_autofree char *url = g_strdup_printf ("%s/client/%s", self->base_url,
                                          json_object_get_string_member (record, "customer_id"));

  json_object_set_string_member (reply, "client_page", url);
  return reply;
}

NpSandboxStats *
np_sandbox_server_stats (NpSandboxServer *self,
                         const char      *path)
{
  NpSandboxStats *stats = g_hash_table_lookup (self->stats, path);

  if (stats == NULL)
    {
      stats = g_new0 (NpSandboxStats, 1);
      g_hash_table_insert (self->stats, g_strdup (path), stats);
    }
  return stats;
}

/* The log ------------------------------------------------------------------ */

void
np_sandbox_server_log (NpSandboxServer *self,
                       const char      *method,
                       const char      *path,
                       guint            status,
                       gint64           started_us,
                       const char      *request_id)
{
  double ms = (g_get_monotonic_time () - started_us) / 1000.0;
  g_autofree char *line = NULL;

  if (!self->log_to_stdout && self->log_func == NULL)
    return;

  /* Never the key, the body or the query: only what identifies the request. */
  line = g_strdup_printf ("%s %s %u %.1fms %s", method, path, status, ms, request_id);
  if (self->log_to_stdout)
    {
      printf ("%s\n", line);
      fflush (stdout);
    }
  if (self->log_func != NULL)
    self->log_func (line, self->log_data);
}

static char *new_request_id (void);

/* Request bodies ------------------------------------------------------------- */

/* Answers 413 before the handler runs (libsoup calls no handler for a message
 * that has a status when its body is in). What is still coming is read and
 * dropped, not kept, so that the connection stays usable for the next request;
 * a client that sent "Expect: 100-continue" gets the answer without sending it. */
static void
refuse_body (NpSandboxServer   *self,
             SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *request_id = new_request_id ();
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  /* A client that waited for "100 Continue" has not sent the body and may still
   * do so: what comes next on this connection is not a request. */
  if (soup_message_headers_get_expectations (soup_server_message_get_request_headers (msg)) &
      SOUP_EXPECTATION_CONTINUE)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");

  g_object_set_data_full (G_OBJECT (msg), "np-request-id", g_strdup (request_id), g_free);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "X-Request-Id", request_id);
  np_sandbox_server_stats (self, path)->requests++;
  np_sandbox_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large", request_id,
                          "The request body is larger than %u bytes", (guint) NP_SANDBOX_MAX_BODY_SIZE);
}

/* A body that says its length is judged by it, before any of it is read. */
static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_server_message_get_status (msg) != 0)
    return;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > NP_SANDBOX_MAX_BODY_SIZE)
    refuse_body (user_data, msg);
}

/* A chunked body is counted as it comes. */
static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  guint64 *received = g_object_get_data (G_OBJECT (msg), "np-body-received");

  if (soup_server_message_get_status (msg) != 0 || received == NULL)
    return;

  *received += g_bytes_get_size (chunk);
  if (*received > NP_SANDBOX_MAX_BODY_SIZE)
    refuse_body (user_data, msg);
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  NpSandboxServer *self = user_data;
  gint64 *started = g_new (gint64, 1);

  *started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "np-started", started, g_free);
  g_object_set_data_full (G_OBJECT (msg), "np-body-received", g_new0 (guint64, 1), g_free);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), self);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), self);
  np_sandbox_connections_request_started (self->connections, msg);
}

static void
on_request_read (SoupServer        *soup,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  NpSandboxServer *self = user_data;

  np_sandbox_connections_request_read (self->connections, msg);
}

static void
log_message (NpSandboxServer   *self,
             SoupServerMessage *msg)
{
  const gint64 *started = g_object_get_data (G_OBJECT (msg), "np-started");
  const char *request_id = g_object_get_data (G_OBJECT (msg), "np-request-id");

  /* Dropped connections were logged by the fault itself. */
  if (g_object_get_data (G_OBJECT (msg), "np-logged") != NULL)
    return;
  np_sandbox_server_log (self, soup_server_message_get_method (msg),
                         g_uri_get_path (soup_server_message_get_uri (msg)),
                         soup_server_message_get_status (msg),
                         started != NULL ? *started : g_get_monotonic_time (),
                         request_id != NULL ? request_id : "-");
}

/* API calls only: what a client's pacing is judged by. */
static void
record_timeline (NpSandboxServer   *self,
                 SoupServerMessage *msg)
{
  const gint64 *started = g_object_get_data (G_OBJECT (msg), "np-started");
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *retry_after = soup_message_headers_get_one (soup_server_message_get_response_headers (msg),
                                                          "Retry-After");
  NpSandboxTimelineEntry entry = { 0 };
  guint64 seconds = 0;

  if (started == NULL || !g_str_has_prefix (path, "/checkout/"))
    return;
  entry.path = g_intern_string (path);
  entry.arrived_us = *started - self->started_us;
  entry.answered_us = g_get_monotonic_time () - self->started_us;
  entry.status = g_object_get_data (G_OBJECT (msg), "np-logged") != NULL ? 0 : soup_server_message_get_status (msg);
  if (retry_after != NULL && g_ascii_string_to_unsigned (retry_after, 10, 0, G_MAXUINT, &seconds, NULL))
    entry.retry_after = seconds;

  if (self->timeline->len < NP_SANDBOX_TIMELINE_MAX)
    g_array_append_val (self->timeline, entry);
  else
    g_array_index (self->timeline, NpSandboxTimelineEntry, self->timeline_next) = entry;
  self->timeline_next = (self->timeline_next + 1) % NP_SANDBOX_TIMELINE_MAX;
}

static void
on_request_finished (SoupServer        *soup,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  NpSandboxServer *self = user_data;

  record_timeline (self, msg);
  log_message (self, msg);
  np_sandbox_connections_request_finished (self->connections, msg);
}

/* Routing ------------------------------------------------------------------ */

static gboolean
authorize (NpSandboxServer   *self,
           SoupServerMessage *msg,
           NpSandboxWorld    *out_world)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  const char *key;

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return FALSE;
  key = header + 7;
  while (*key == ' ')
    key++;

  if (g_str_equal (key, self->test_key))
    *out_world = NP_SANDBOX_WORLD_TEST;
  else if (g_str_equal (key, self->live_key))
    *out_world = NP_SANDBOX_WORLD_LIVE;
  else
    return FALSE;
  return TRUE;
}

/* --rate-limit ------------------------------------------------------------ */

typedef struct
{
  double tokens;
  gint64 filled_us;
} NpSandboxBucket;

/* Takes a token from @key's bucket; FALSE with the whole seconds until one is
 * there when it is empty. */
static gboolean
take_token (NpSandboxServer *self,
            const char      *key,
            guint           *out_retry_after)
{
  NpSandboxBucket *bucket = g_hash_table_lookup (self->buckets, key);
  gint64 now = g_get_monotonic_time ();
  gint64 wait_us;

  if (bucket == NULL)
    {
      bucket = g_new0 (NpSandboxBucket, 1);
      bucket->tokens = self->rate_burst;
      bucket->filled_us = now;
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }
  bucket->tokens = MIN ((double) self->rate_burst,
                        bucket->tokens + (now - bucket->filled_us) * (double) self->rate_limit / G_USEC_PER_SEC);
  bucket->filled_us = now;
  if (bucket->tokens >= 1.0)
    {
      bucket->tokens -= 1.0;
      return TRUE;
    }
  /* Whole seconds, rounded up, as Retry-After says them; never 0. */
  wait_us = (gint64) ((1.0 - bucket->tokens) * G_USEC_PER_SEC / self->rate_limit) + 1;
  *out_retry_after = MAX (1, (guint) ((wait_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
  return FALSE;
}

static gboolean
rate_limited (NpSandboxServer   *self,
              SoupServerMessage *msg,
              NpSandboxWorld     world,
              const char        *path,
              const char        *request_id)
{
  g_autofree char *seconds = NULL;
  guint retry_after = 0;

  if (self->rate_limit == 0 ||
      take_token (self, world == NP_SANDBOX_WORLD_LIVE ? self->live_key : self->test_key, &retry_after))
    return FALSE;

  np_sandbox_server_stats (self, path)->rate_limited++;
  seconds = g_strdup_printf ("%u", retry_after);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
  np_sandbox_reply_error (msg, 429, "rate_limited", request_id,
                          "More than %u requests per second with this key: retry after %u s",
                          self->rate_limit, retry_after);
  return TRUE;
}

static char *
new_request_id (void)
{
  return g_strdup_printf ("req_%08x%08x", g_random_int (), g_random_int ());
}

static gboolean
unpause_cb (gpointer user_data)
{
  soup_server_message_unpause (user_data);
  return G_SOURCE_REMOVE;
}

/* Latency without blocking the loop: the answer is ready, only held back. */
static void
delay_answer (SoupServerMessage *msg,
              guint              ms)
{
  g_autoptr(GSource) source = g_timeout_source_new (ms);

  soup_server_message_pause (msg);
  g_source_set_callback (source, unpause_cb, g_object_ref (msg), g_object_unref);
  g_source_attach (source, g_main_context_get_thread_default ());
}

static void
reply_index (NpSandboxServer   *self,
             SoupServerMessage *msg)
{
  np_sandbox_reply_html (msg, SOUP_STATUS_OK, "Neuro-Pay sandbox",
    "<p>This server speaks the Neuro-Pay Checkout API: <code>POST /checkout/create</code>, "
    "<code>retrieve</code>, <code>capture</code>, <code>refund</code>, <code>update</code>, "
    "<code>delete</code>, <code>create-customer</code>, <code>retrieve-customer</code>, "
    "<code>delete-customer</code>, with <code>Authorization: Bearer &lt;key&gt;</code> "
    "(the test and live keys were printed at start).</p>"
    "<p>Checkouts are paid at their <code>url</code>; customers manage cards at their "
    "<code>client_page</code>.</p>");
}

/* POST /sandbox/fixed: the same server's floor for the throughput bench
 * (tests/bench/bench-sandbox.c): routing, key check, request id, stats and log as
 * for any call, then a constant body the size of a checkout, without the store. */
static const char fixed_body[] =
  "{\"checkout_id\":\"0d9f0a3c6b1e4e2f8a7b5c4d3e2f1a0b\",\"identifier\":\"order-1000\","
  "\"status\":\"paid\",\"amount\":2000,\"currency\":\"SEK\",\"message\":\"bench\","
  "\"metaData\":{},\"capture\":true,\"refunded_amount\":0,"
  "\"url\":\"http://127.0.0.1/pay/0d9f0a3c6b1e4e2f8a7b5c4d3e2f1a0b\","
  "\"created\":\"2025-01-01T00:00:00Z\",\"updated\":\"2025-01-01T00:00:00Z\"}";

static void
reply_fixed (SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    fixed_body, sizeof fixed_body - 1);
}

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  NpSandboxServer *self = user_data;
  g_autofree char *request_id = new_request_id ();
  g_autoptr(NpSandboxFault) fault = NULL;
  const char *method = soup_server_message_get_method (msg);
  NpSandboxWorld world = NP_SANDBOX_WORLD_TEST;
  guint latency;

  g_object_set_data_full (G_OBJECT (msg), "np-request-id", g_strdup (request_id), g_free);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "X-Request-Id", request_id);
  /* Pages are counted together: "/pay", "/client", not one entry per id. */
  if (g_str_has_prefix (path, "/pay/"))
    np_sandbox_server_stats (self, "/pay")->requests++;
  else if (g_str_has_prefix (path, "/client/"))
    np_sandbox_server_stats (self, "/client")->requests++;
  else
    np_sandbox_server_stats (self, path)->requests++;

  if (g_str_has_prefix (path, "/pay/") || g_str_has_prefix (path, "/client/"))
    np_sandbox_pages_handle (self, msg, path, request_id);
  else if (g_str_equal (path, "/"))
    reply_index (self, msg);
  else if (!g_str_has_prefix (path, "/checkout/") && !g_str_has_prefix (path, "/sandbox/"))
    np_sandbox_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", request_id,
                            "There is nothing at %s", path);
  else if (!authorize (self, msg, &world))
    np_sandbox_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", request_id,
                            "A valid API key is required (Authorization: Bearer <key>)");
  else if (g_str_equal (path, "/sandbox/faults"))
    np_sandbox_faults_handle (self, msg, request_id);
  else if (g_str_equal (path, "/sandbox/objects"))
    {
      /* Everything of the key's world, for tests that check a client's view
       * against the sandbox's own (the API itself has no list call). */
      g_autoptr(JsonObject) root = json_object_new ();

      json_object_set_array_member (root, "checkouts", np_sandbox_store_list (self->store, world, FALSE));
      json_object_set_array_member (root, "customers", np_sandbox_store_list (self->store, world, TRUE));
      np_sandbox_reply_object (msg, SOUP_STATUS_OK, root);
    }
  else if (g_str_equal (path, "/sandbox/clock"))
    np_sandbox_clock_handle (self, msg, request_id);
  else if (g_str_equal (path, "/sandbox/stats"))
    np_sandbox_stats_handle (self, msg);
  else if (g_str_equal (path, "/sandbox/requests"))
    np_sandbox_requests_handle (self, msg);
  else if (g_str_equal (path, "/sandbox/pay"))
    np_sandbox_pay_handle (self, msg, world, request_id);
  else if (g_str_equal (path, "/sandbox/fixed"))
    reply_fixed (msg);
  else if (g_str_has_prefix (path, "/sandbox/"))
    np_sandbox_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", request_id,
                            "There is nothing at %s", path);
  else if (!g_str_equal (method, "POST"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      np_sandbox_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                              request_id, "%s takes POST, not %s", path, method);
    }
  else if (rate_limited (self, msg, world, path, request_id))
    ;
  else
    {
      fault = np_sandbox_faults_take (self, path);
      if (fault == NULL || !np_sandbox_fault_apply_before (self, msg, fault, request_id))
        {
          if (np_sandbox_api_handle (self, msg, path, world, request_id))
            np_sandbox_server_stats (self, path)->applied++;
          if (fault != NULL && np_sandbox_fault_apply_after (self, msg, fault, request_id))
            return;
        }
      else if (fault->kind == NP_SANDBOX_FAULT_DROP_BEFORE)
        return;
    }
  if (fault != NULL)
    np_sandbox_fault_rewrite (msg, fault);
  /* libsoup stamped the real time when the request arrived; ours may be moved. */
  np_sandbox_clock_set_date_header (self, msg);

  latency = self->latency_ms;
  if (fault != NULL && fault->kind == NP_SANDBOX_FAULT_LATENCY)
    latency += fault->value;
  if (latency > 0)
    delay_answer (msg, latency);
}

/* Accepting ---------------------------------------------------------------- */

/* We accept connections and hand them to libsoup as streams instead of letting
 * SoupServer listen: libsoup 3.2 (Debian 12) keeps an extra reference on every
 * socket it accepts itself, and we need to know our connections anyway (see
 * np-sandbox-connections.h). */
static gboolean
on_incoming (GSocket      *listener,
             GIOCondition  condition,
             gpointer      user_data)
{
  NpSandboxServer *self = user_data;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, &error);
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GSocketAddress) local = NULL;
      g_autoptr(GSocketAddress) remote = NULL;

      if (socket == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            g_warning ("Could not accept a connection: %s", error->message);
          return G_SOURCE_CONTINUE;
        }

      /* libsoup writes headers and body separately: without TCP_NODELAY, Nagle holds
       * the body back until the client's delayed ACK, 40 ms per kept-alive answer. */
      g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
      local = g_socket_get_local_address (socket, NULL);
      remote = g_socket_get_remote_address (socket, NULL);
      /* --max-connections: like a front end's per-address limit, one more is
       * closed before a byte of it is read. */
      if (self->max_connections > 0 && remote != NULL &&
          np_sandbox_connections_count_address (self->connections, remote) >= self->max_connections)
        {
          self->refused_connections++;
          g_socket_close (socket, NULL);
          continue;
        }
      connection = g_socket_connection_factory_create_connection (socket);
      if (local == NULL || remote == NULL ||
          !soup_server_accept_iostream (self->soup, G_IO_STREAM (connection), local, remote, &error))
        g_warning ("Could not serve a connection: %s", error != NULL ? error->message : "no address");
      else
        np_sandbox_connections_add (self->connections, socket, remote);
    }
}

/* libsoup 3.2 keeps a connection alive only while the SoupServer has a listener of
 * its own, so it gets one on a loopback port nobody is told about (a socket of
 * ours: soup_server_listen_local () leaks its address). */
static gboolean
listen_nowhere (NpSandboxServer  *self,
                GError          **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);

  return socket != NULL &&
         g_socket_bind (socket, address, TRUE, error) &&
         g_socket_listen (socket, error) &&
         soup_server_listen_socket (self->soup, socket, 0, error);
}

static void
stop_accepting (NpSandboxServer *self)
{
  if (self->accept_source != NULL)
    g_source_destroy (self->accept_source);
  g_clear_pointer (&self->accept_source, g_source_unref);
  if (self->listener != NULL)
    g_socket_close (self->listener, NULL);
  g_clear_object (&self->listener);
}

/* Public ------------------------------------------------------------------- */

NpSandboxServer *
np_sandbox_server_new (const NpSandboxOptions  *options,
                       GError                 **error)
{
  g_autoptr(NpSandboxServer) self = g_object_new (NP_TYPE_SANDBOX_SERVER, NULL);

  g_return_val_if_fail (options != NULL, NULL);

  self->store = np_sandbox_store_new (options->state_path);
  if (!np_sandbox_store_load (self->store, error))
    return NULL;

  self->test_key = options->test_key != NULL ? g_strdup (options->test_key) : np_sandbox_generate_key ();
  self->live_key = options->live_key != NULL ? g_strdup (options->live_key) : np_sandbox_generate_key ();
  if (g_str_equal (self->test_key, self->live_key))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The test and live keys must differ");
      return NULL;
    }
  self->latency_ms = options->latency_ms;
  self->rate_limit = options->rate_limit;
  self->rate_burst = options->rate_burst > 0 ? options->rate_burst : options->rate_limit;
  self->max_connections = options->max_connections;
  self->log_to_stdout = options->log_to_stdout;
  self->log_func = options->log_func;
  self->log_data = options->log_data;

  self->soup = soup_server_new ("server-header", "neuropay-sandbox ", NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->soup, "request-read", G_CALLBACK (on_request_read), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_finished), self);

  return g_steal_pointer (&self);
}

gboolean
np_sandbox_server_listen (NpSandboxServer  *self,
                          const char       *host,
                          guint             port,
                          GError          **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSList) listeners = NULL;

  g_return_val_if_fail (NP_IS_SANDBOX_SERVER (self), FALSE);

  if (host == NULL)
    host = "127.0.0.1";
  /* The one name worth knowing without a resolver; the URL keeps it as given. */
  address = g_inet_address_new_from_string (g_ascii_strcasecmp (host, "localhost") == 0 ? "127.0.0.1" : host);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Not an IP address: %s", host);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (address, port);
  /* Our own listening socket, for a long accept queue (GSocket's default backlog of
   * 10 makes the kernel reset connections when a client opens dozens at once) and
   * so that we accept connections ourselves, see on_incoming (). */
  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, 1024);
  if (!g_socket_bind (socket, socket_address, TRUE, error) ||
      !g_socket_listen (socket, error))
    return FALSE;
  g_socket_set_blocking (socket, FALSE);

  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  listeners = soup_server_get_listeners (self->soup);
  if (listeners == NULL && !listen_nowhere (self, error))
    return FALSE;

  stop_accepting (self);
  self->listener = g_steal_pointer (&socket);
  self->accept_source = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, (GSourceFunc) (GCallback) on_incoming, self, NULL);
  g_source_attach (self->accept_source, g_main_context_get_thread_default ());

  g_free (self->base_url);
  if (strchr (host, ':') != NULL)
    self->base_url = g_strdup_printf ("http://[%s]:%u", host, self->port);
  else
    self->base_url = g_strdup_printf ("http://%s:%u", host, self->port);
  return TRUE;
}

void
np_sandbox_server_disconnect (NpSandboxServer *self)
{
  g_return_if_fail (NP_IS_SANDBOX_SERVER (self));
  stop_accepting (self);
  soup_server_disconnect (self->soup);
  np_sandbox_store_flush (self->store);
}

const char *
np_sandbox_server_get_base_url (NpSandboxServer *self)
{
  g_return_val_if_fail (NP_IS_SANDBOX_SERVER (self), NULL);
  return self->base_url;
}

guint
np_sandbox_server_get_port (NpSandboxServer *self)
{
  g_return_val_if_fail (NP_IS_SANDBOX_SERVER (self), 0);
  return self->port;
}

const char *
np_sandbox_server_get_test_key (NpSandboxServer *self)
{
  g_return_val_if_fail (NP_IS_SANDBOX_SERVER (self), NULL);
  return self->test_key;
}

const char *
np_sandbox_server_get_live_key (NpSandboxServer *self)
{
  g_return_val_if_fail (NP_IS_SANDBOX_SERVER (self), NULL);
  return self->live_key;
}
