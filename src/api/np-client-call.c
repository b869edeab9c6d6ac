/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-client-call.c — one API call: a POST with a deadline, a bounded body read,
 * same-host redirects for retrieve calls only (a call that changes something
 * follows none), retries for retrieve calls, and errors mapped to
 * NP_CLIENT_ERROR.
 *
 * The rule that matters most: a call that changes money (create, capture,
 * refund, update, delete) is sent at most once. Once its request has left, a
 * timeout, a dropped connection or an unreadable answer means we do not know
 * whether the server acted: NP_CLIENT_ERROR_OUTCOME_UNKNOWN, never a retry.
 */
#include "config.h"

#include <string.h>

#include "np-api-private.h"
#include "np-client-private.h"
#include "np-json-private.h"

/* Bodies are read straight into the spare room of @received: no bounce buffer
 * and no copy. A fresh GBytes per read (g_input_stream_read_bytes_async) cost two
 * 64 KiB allocations per answer and a third of retrieve_many's time (tests/bench);
 * a 16 KiB bounce buffer per call still cost a malloc_consolidate () per answer. */
#define READ_CHUNK        (16 * 1024)
#define MAX_REDIRECTS     3
#define HTTP_TOO_MANY_REQUESTS 429   /* not in libsoup 3.2's SoupStatus */
#define MAX_RETRY_AFTER   30        /* seconds we are willing to wait before a retry */
#define BACKOFF_BASE_MS   200
#define BACKOFF_MAX_MS    5000

typedef struct {
  NpClient      *client;
  char          *call;
  char          *body;
  gboolean       retrieve;
  gboolean       paced;         /* 429/503/502/504 go back to the caller, see np_client_start_paced_call () */
  NpCallResult   result;
  char          *subject_id;

  GUri          *uri;
  guint          attempt;
  guint          redirects;

  /* One attempt's state. */
  SoupMessage   *message;
  GCancellable  *attempt_cancellable;
  gulong         cancel_handler;
  GSource       *deadline;
  GSource       *retry_source;
  GInputStream  *stream;
  GByteArray    *received;      /* the body so far; longer while a read fills it */
  guint          filled;        /* bytes of @received that hold the body */
  gint64         body_length;   /* of the stream we read when known, or -1 */
  gboolean       timed_out;
  gboolean       sent;
} Call;

static void start_attempt (GTask *task);

static void
end_attempt (Call  *call,
             GTask *task)
{
  if (call->deadline != NULL)
    {
      g_source_destroy (call->deadline);
      g_clear_pointer (&call->deadline, g_source_unref);
    }
  if (call->stream != NULL)
    {
      /* Closing an unfinished body makes libsoup drop the connection instead of
       * reusing one with unread bytes on it. */
      g_input_stream_close (call->stream, NULL, NULL);
      g_clear_object (&call->stream);
    }
  g_clear_object (&call->attempt_cancellable);
  if (call->message != NULL && !call->retrieve)
    g_signal_handlers_disconnect_by_data (call->message, call);
  g_clear_object (&call->message);
  g_clear_pointer (&call->received, g_byte_array_unref);
}

static void
call_free (Call *call)
{
  g_assert (call->message == NULL);

  if (call->retry_source != NULL)
    {
      g_source_destroy (call->retry_source);
      g_clear_pointer (&call->retry_source, g_source_unref);
    }
  g_clear_object (&call->client);
  g_free (call->call);
  g_free (call->body);
  g_free (call->subject_id);
  g_clear_pointer (&call->uri, g_uri_unref);
  g_free (call);
}

/* Error helpers ---------------------------------------------------------------- */

static GError *
new_error (guint        http_status,
           const char  *field,
           const char  *request_id,
           guint        retry_after,
           int          code,
           const char  *format,
           ...) G_GNUC_PRINTF (6, 7);

static GError *
new_error (guint        http_status,
           const char  *field,
           const char  *request_id,
           guint        retry_after,
           int          code,
           const char  *format,
           ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (NP_CLIENT_ERROR, code, format, args);
  va_end (args);

  np_client_error_set_details (error, http_status, field, request_id, retry_after);
  return error;
}

/* Ends the call: @task's reference is the one np_client_start_call () took. */
static void
complete (GTask   *task,
          GError  *error,
          GObject *object)
{
  Call *call = g_task_get_task_data (task);

  end_attempt (call, task);
  if (call->cancel_handler != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), call->cancel_handler);
      call->cancel_handler = 0;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, object, g_object_unref);
  g_object_unref (task);
}

static void
fail (GTask  *task,
      GError *error)
{
  complete (task, error, NULL);
}

/* What the caller should hear when the attempt ended without an HTTP answer. */
static int
transport_error_code (Call         *call,
                      GTask        *task,
                      const GError *error)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (!call->retrieve && call->sent)
    return NP_CLIENT_ERROR_OUTCOME_UNKNOWN;
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    return NP_CLIENT_ERROR_CANCELLED;
  if (call->timed_out)
    return NP_CLIENT_ERROR_TIMEOUT;
  if (error->domain == G_TLS_ERROR
      || (call->message != NULL && soup_message_get_tls_peer_certificate_errors (call->message) != 0))
    return NP_CLIENT_ERROR_TLS;
  if (error->domain == SOUP_SESSION_ERROR
      && (error->code == SOUP_SESSION_ERROR_PARSING || error->code == SOUP_SESSION_ERROR_ENCODING))
    return NP_CLIENT_ERROR_BAD_RESPONSE;

  return NP_CLIENT_ERROR_NETWORK;
}

static guint
parse_retry_after (SoupMessage *message)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                    "Retry-After");
  guint64 seconds;

  if (value == NULL)
    return 0;

  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &seconds, NULL))
    return (guint) seconds;

  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    GTimeSpan delta;

    if (when == NULL)
      return 0;
    delta = g_date_time_difference (when, now) / G_TIME_SPAN_SECOND;
    return delta > 0 ? (guint) MIN (delta, G_MAXUINT) : 1;
  }
}

/* Retries ---------------------------------------------------------------- */

static gboolean
retry_now (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_clear_pointer (&call->retry_source, g_source_unref);
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    fail (task, new_error (0, NULL, NULL, 0, NP_CLIENT_ERROR_CANCELLED, "The request was cancelled"));
  else
    start_attempt (task);

  return G_SOURCE_REMOVE;
}

/* Schedules another attempt of a retrieve call after Retry-After or an
 * exponential backoff with jitter; FALSE when the call may not be retried. */
static gboolean
maybe_retry (GTask *task,
             guint  retry_after)
{
  Call *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint delay_ms;

  if (!call->retrieve || call->attempt >= np_client_get_max_retries (call->client))
    return FALSE;
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    return FALSE;
  if (retry_after > MAX_RETRY_AFTER)
    return FALSE;

  if (retry_after > 0)
    delay_ms = retry_after * 1000;
  else
    {
      delay_ms = MIN (BACKOFF_BASE_MS << MIN (call->attempt, 8), BACKOFF_MAX_MS);
      delay_ms = delay_ms / 2 + g_random_int_range (0, delay_ms / 2 + 1);
    }

  end_attempt (call, task);
  call->attempt++;
  call->retry_source = g_timeout_source_new (delay_ms);
  g_task_attach_source (task, call->retry_source, retry_now);

  return TRUE;
}

/* Answers ------------------------------------------------------------------ */

/* Reads the message, field and request id from whichever error body arrived:
 * {"error": {"code", "message", "requestId", "field"}}, {"name", "message",
 * "code", "status"}, a plain JSON string, or text. HTML is not shown to people.
 * Public (privately) so that the fuzz target can reach it. */
void
np_client_parse_error_body (const char  *data,
                            gsize        len,
                            const char  *content_type,
                            char       **out_message,
                            char       **out_field,
                            char       **out_request_id)
{
  g_autoptr(JsonNode) root = NULL;

  *out_message = NULL;
  *out_field = NULL;

  if (len == 0)
    return;

  root = np_json_parse (data, len, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *obj = json_node_get_object (root);
      JsonNode *inner = np_json_find (obj, "error", NULL);
      JsonObject *err = obj;

      if (inner != NULL && JSON_NODE_HOLDS_OBJECT (inner))
        err = json_node_get_object (inner);
      else if (inner != NULL)
        *out_message = np_json_node_dup_text (inner);   /* {"error": "text"} */

      if (*out_message == NULL)
        *out_message = np_json_node_dup_text (np_json_find (err, "message", "error_description",
                                                            "detail", NULL));
      *out_field = np_json_node_dup_text (np_json_find (err, "field", "param", "parameter", NULL));
      if (*out_request_id == NULL)
        *out_request_id = np_json_node_dup_text (np_json_find (err, "requestId", "request_id", NULL));
      if (*out_request_id == NULL && err != obj)
        *out_request_id = np_json_node_dup_text (np_json_find (obj, "requestId", "request_id", NULL));
    }
  else if (root != NULL && JSON_NODE_HOLDS_VALUE (root))
    *out_message = np_json_node_dup_text (root);
  else if (content_type == NULL || g_str_has_prefix (content_type, "text/plain"))
    *out_message = g_strndup (data, len);

  /* The server's words reach a person: one line of valid UTF-8 without control
   * characters, and bounded. */
  np_json_clean_text (out_message, NP_CLIENT_MAX_MESSAGE_CHARS);
  np_json_clean_text (out_field, NP_CLIENT_MAX_FIELD_CHARS);
  np_json_clean_text (out_request_id, NP_CLIENT_MAX_FIELD_CHARS);
}

static int
status_error_code (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED: return NP_CLIENT_ERROR_UNAUTHORIZED;
    case SOUP_STATUS_FORBIDDEN: return NP_CLIENT_ERROR_FORBIDDEN;
    case SOUP_STATUS_NOT_FOUND: return NP_CLIENT_ERROR_NOT_FOUND;
    case HTTP_TOO_MANY_REQUESTS: return NP_CLIENT_ERROR_RATE_LIMITED;
    default:
      if (status >= 500)
        return NP_CLIENT_ERROR_SERVER;
      if (status >= 400)
        return NP_CLIENT_ERROR_INVALID_REQUEST;
      return NP_CLIENT_ERROR_BAD_RESPONSE;
    }
}

/* The error a non-2xx answer makes; @header_request_id is its X-Request-Id.
 * No I/O, so that the fuzz targets reach it with any bytes. */
GError *
np_client_read_error_answer (guint        status,
                             gboolean     retrieve,
                             const char  *content_type,
                             const char  *header_request_id,
                             guint        retry_after,
                             const char  *data,
                             gsize        len)
{
  g_autofree char *message = NULL;
  g_autofree char *field = NULL;
  g_autofree char *request_id = g_strdup (header_request_id);
  int code = status_error_code (status);

  np_client_parse_error_body (data, len, content_type, &message, &field, &request_id);

  /* A gateway that gave up on the server cannot tell whether it acted. */
  if (!retrieve && (status == SOUP_STATUS_BAD_GATEWAY || status == SOUP_STATUS_GATEWAY_TIMEOUT))
    code = NP_CLIENT_ERROR_OUTCOME_UNKNOWN;

  return new_error (status, field, request_id, retry_after, code, "HTTP %u %s%s%s", status,
                    soup_status_get_phrase (status), message ? ": " : "", message ? message : "");
}

static void
handle_error_status (GTask *task,
                     guint  status)
{
  Call *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->message);
  guint retry_after = parse_retry_after (call->message);

  if (!call->paced &&
      (status == HTTP_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE
       || status == SOUP_STATUS_BAD_GATEWAY || status == SOUP_STATUS_GATEWAY_TIMEOUT))
    {
      if (maybe_retry (task, retry_after))
        return;
    }

  fail (task, np_client_read_error_answer (status, call->retrieve,
                                           soup_message_headers_get_content_type (headers, NULL),
                                           soup_message_headers_get_one (headers, "X-Request-Id"),
                                           retry_after,
                                           (const char *) call->received->data, call->received->len));
}

/* A body we cannot use after a 2xx: for a retrieve, a bad response; for a call
 * that changes something, the server said yes but we do not know to what. */
static void
fail_unusable_success (GTask      *task,
                       guint       status,
                       const char *why)
{
  Call *call = g_task_get_task_data (task);

  fail (task, new_error (status, NULL, NULL, 0,
                         call->retrieve ? NP_CLIENT_ERROR_BAD_RESPONSE : NP_CLIENT_ERROR_OUTCOME_UNKNOWN,
                         "%s", why));
}

/* delete-checkout may answer with a confirmation instead of the checkout; keep
 * what it said and add what we know. */
static GObject *
checkout_from_confirmation (const char *subject_id,
                            JsonNode   *root)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (root));
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (obj, name, json_node_copy (value));
    }
  json_object_set_string_member (obj, "checkout_id", subject_id);
  json_object_set_boolean_member (obj, "deleted", TRUE);
  json_node_set_object (node, obj);

  return (GObject *) np_checkout_new_from_json (node, NULL);
}

/* What a 2xx answer's body makes: a checkout or customer, or NULL and @error.
 * No I/O, so that the fuzz targets reach it with any bytes. */
GObject *
np_client_read_answer (NpCallResult   result,
                       gboolean       is_delete,
                       const char    *subject_id,
                       const char    *data,
                       gsize          len,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  GObject *object = NULL;

  if (len > 0)
    root = np_json_parse (data, len, &local_error);

  if (result == NP_CALL_RESULT_CHECKOUT)
    {
      if (root != NULL)
        object = G_OBJECT (np_checkout_new_from_json (root, &local_error));
      if (object != NULL && is_delete)
        np_checkout_mark_deleted (NP_CHECKOUT (object));
      if (object == NULL && is_delete && (root != NULL || len == 0))
        object = checkout_from_confirmation (subject_id, root);
    }
  else
    {
      if (root != NULL)
        object = G_OBJECT (np_customer_new_from_json (root, &local_error));
      if (object != NULL && is_delete)
        np_customer_mark_deleted (NP_CUSTOMER (object));
      if (object == NULL && is_delete && (root != NULL || len == 0))
        object = G_OBJECT (np_customer_new_deleted (subject_id, root));
    }

  if (object == NULL)
    {
      g_set_error_literal (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                           local_error ? local_error->message : "The response was empty");
      return NULL;
    }

  return object;
}

static void
handle_success (GTask *task,
                guint  status)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GObject *object;

  object = np_client_read_answer (call->result, g_str_has_prefix (call->call, "delete"), call->subject_id,
                                  (const char *) call->received->data, call->received->len, &error);
  if (object == NULL)
    {
      fail_unusable_success (task, status, error->message);
      return;
    }

  complete (task, NULL, object);
}

static void
handle_answer (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  guint status = soup_message_get_status (call->message);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    handle_success (task, status);
  else
    handle_error_status (task, status);
}

/* Transport ------------------------------------------------------------------ */

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port != -1)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0
         && effective_port (a) == effective_port (b);
}

static void
fail_transport (GTask        *task,
                const GError *error,
                gboolean      in_body)
{
  Call *call = g_task_get_task_data (task);
  int code = transport_error_code (call, task, error);
  guint status = call->message ? soup_message_get_status (call->message) : 0;

  /* A retrieve that lost its connection is simply asked again. */
  if (code == NP_CLIENT_ERROR_NETWORK && maybe_retry (task, 0))
    return;

  /* Losing the connection in the middle of a body is a truncated answer. */
  if (code == NP_CLIENT_ERROR_NETWORK && in_body)
    code = NP_CLIENT_ERROR_BAD_RESPONSE;

  switch (code)
    {
    case NP_CLIENT_ERROR_CANCELLED:
      fail (task, new_error (0, NULL, NULL, 0, code, "The request was cancelled"));
      break;
    case NP_CLIENT_ERROR_TIMEOUT:
      fail (task, new_error (0, NULL, NULL, 0, code, "No answer within %u seconds",
                             np_client_get_timeout (call->client)));
      break;
    case NP_CLIENT_ERROR_OUTCOME_UNKNOWN:
      fail (task, new_error (status, NULL, NULL, 0, code, "The request was sent but %s: %s",
                             call->timed_out ? "no answer came in time" : "the answer was lost",
                             error->message));
      break;
    default:
      fail (task, new_error (status, NULL, NULL, 0, code, "%s%s", in_body ? "The answer was cut off: " : "",
                             error->message));
      break;
    }
}

static void read_more (GTask *task);

/* A body over the size cap is refused whatever its status. */
static void
fail_oversized (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  guint status = soup_message_get_status (call->message);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    fail_unusable_success (task, status, "The response is larger than the allowed size");
  else
    fail (task, new_error (status, NULL, NULL, 0, status_error_code (status),
                           "HTTP %u %s (with an oversized body)", status, soup_status_get_phrase (status)));
}

/* Takes what one read gave; FALSE when the call is over (answered or failed). */
static gboolean
take_read (GTask        *task,
           gssize        n,
           const GError *error)
{
  Call *call = g_task_get_task_data (task);

  if (n < 0)
    {
      fail_transport (task, error, TRUE);
      return FALSE;
    }

  if (n == 0)
    {
      g_byte_array_set_size (call->received, call->filled);
      handle_answer (task);
      return FALSE;
    }

  if (call->filled + (gsize) n > np_client_get_max_response_size (call->client))
    {
      fail_oversized (task);
      return FALSE;
    }

  call->filled += n;
  return TRUE;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (take_read (task, n, error))
    read_more (task);
}

/* Reads what has arrived without waiting, and waits (async) only when nothing
 * has: the body is usually there with the headers, and an async read round
 * (a GTask and a main loop dispatch) per answer was measurable, twice over
 * when the EOF after a body of known length was awaited too (tests/bench). */
static void
read_more (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  GPollableInputStream *pollable = G_IS_POLLABLE_INPUT_STREAM (call->stream)
                                   && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (call->stream))
                                   ? G_POLLABLE_INPUT_STREAM (call->stream) : NULL;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gsize room = READ_CHUNK;
      gssize n;

      /* The rest of a body of known length; after it, only its EOF is to come. */
      if (call->body_length >= 0)
        room = call->filled < (guint64) call->body_length ? call->body_length - call->filled : 1;
      g_byte_array_set_size (call->received, call->filled + room);

      if (pollable == NULL)
        n = -1;
      else
        n = g_pollable_input_stream_read_nonblocking (pollable, call->received->data + call->filled, room,
                                                      call->attempt_cancellable, &error);

      if (n < 0 && (pollable == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)))
        {
          g_input_stream_read_async (call->stream, call->received->data + call->filled, room,
                                     G_PRIORITY_DEFAULT, call->attempt_cancellable, on_read, task);
          return;
        }

      if (!take_read (task, n, error))
        return;
    }
}

#define MAX_LOCATION_CHARS 200

/* An untrusted Location header as one printable line for a journal and a
 * sentence: valid UTF-8, no control or format characters (no line breaks, no
 * bidirectional overrides), at most MAX_LOCATION_CHARS characters. */
static char *
clean_location (const char *location)
{
  g_autofree char *valid = g_utf8_make_valid (location, -1);
  GString *text = g_string_new (NULL);
  guint chars = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (chars == MAX_LOCATION_CHARS)
        {
          g_string_append (text, "…");
          break;
        }
      if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT || type == G_UNICODE_LINE_SEPARATOR
          || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        c = 0xFFFD;
      g_string_append_unichar (text, c);
      chars++;
    }

  return g_strstrip (g_string_free (text, FALSE));
}

/* A call that changes something follows no redirect at all: a 307 or 308 asks
 * for the same POST again, and a change is sent at most once. A redirect is not
 * an answer (the server says it did nothing), so the call failed; where it
 * pointed goes with the error for the journal. */
static void
refuse_redirect (GTask      *task,
                 guint       status,
                 const char *location)
{
  g_autofree char *cleaned = location != NULL ? clean_location (location) : NULL;
  GError *error;

  if (cleaned != NULL && *cleaned != '\0')
    {
      error = new_error (status, NULL, NULL, 0, NP_CLIENT_ERROR_BAD_RESPONSE,
                         "HTTP %u %s to %s, not followed: a change is sent only once",
                         status, soup_status_get_phrase (status), cleaned);
      np_client_error_set_location (error, cleaned);
    }
  else
    error = new_error (status, NULL, NULL, 0, NP_CLIENT_ERROR_BAD_RESPONSE,
                       "HTTP %u %s without a location, not followed", status, soup_status_get_phrase (status));
  fail (task, error);
}

/* A retrieve follows a redirect only to the same scheme, host and port: the key
 * must never reach another host, and POST stays POST. Any other call follows
 * none (refuse_redirect ()). */
static void
handle_redirect (GTask *task,
                 guint  status)
{
  Call *call = g_task_get_task_data (task);
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (call->message),
                                                       "Location");
  g_autoptr(GUri) target = NULL;

  if (!call->retrieve)
    {
      refuse_redirect (task, status, location);
      return;
    }

  target = location ? g_uri_parse_relative (call->uri, location, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
  if (target == NULL || status == SOUP_STATUS_SEE_OTHER || status == SOUP_STATUS_NOT_MODIFIED)
    {
      fail (task, new_error (status, NULL, NULL, 0, NP_CLIENT_ERROR_BAD_RESPONSE,
                             "HTTP %u %s without a usable redirect", status, soup_status_get_phrase (status)));
      return;
    }

  if (!same_origin (target, np_client_get_base_uri (call->client)))
    {
      fail (task, new_error (status, NULL, NULL, 0, NP_CLIENT_ERROR_BAD_RESPONSE,
                             "The server redirected to another host (%s), which was not followed",
                             g_uri_get_host (target)));
      return;
    }

  if (++call->redirects > MAX_REDIRECTS)
    {
      fail (task, new_error (status, NULL, NULL, 0, NP_CLIENT_ERROR_BAD_RESPONSE, "Too many redirects"));
      return;
    }

  /* A redirect is not an answer, and a retrieve is safe to send again. */
  end_attempt (call, task);
  g_uri_unref (call->uri);
  call->uri = g_steal_pointer (&target);
  start_attempt (task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  guint status;

  call->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (call->stream == NULL)
    {
      fail_transport (task, error, FALSE);
      return;
    }

  status = soup_message_get_status (call->message);
  np_client_note_server_date (call->client,
                              soup_message_headers_get_one (soup_message_get_response_headers (call->message),
                                                            "Date"));
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      handle_redirect (task, status);
      return;
    }

  headers = soup_message_get_response_headers (call->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > (goffset) np_client_get_max_response_size (call->client))
    {
      fail_oversized (task);
      return;
    }

  /* The stream we read has the Content-Length only when nothing decodes it. */
  call->body_length = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
                      && soup_message_headers_get_one (headers, "Content-Encoding") == NULL
                      ? soup_message_headers_get_content_length (headers) : -1;
  call->received = g_byte_array_new ();
  call->filled = 0;
  read_more (task);
}

static void
on_wrote_headers (SoupMessage *message,
                  Call        *call)
{
  call->sent = TRUE;
}

static gboolean
on_deadline (gpointer user_data)
{
  Call *call = user_data;

  call->timed_out = TRUE;
  g_cancellable_cancel (call->attempt_cancellable);
  g_clear_pointer (&call->deadline, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     Call         *call)
{
  /* Runs in the cancelling thread, which for our callers is the main thread. */
  if (call->attempt_cancellable != NULL)
    g_cancellable_cancel (call->attempt_cancellable);
  if (call->retry_source != NULL)
    g_source_set_ready_time (call->retry_source, 0);
}

static void
start_attempt (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  g_autoptr(GBytes) body = g_bytes_new (call->body, strlen (call->body));
  g_autofree char *authorization = NULL;

  call->sent = FALSE;
  call->timed_out = FALSE;
  call->message = soup_message_new_from_uri (SOUP_METHOD_POST, call->uri);
  call->attempt_cancellable = g_cancellable_new ();

  /* We decide about redirects ourselves. A retrieve may reuse a kept-alive
   * connection (and be re-sent by libsoup when that connection turns out closed);
   * a call that changes something gets a fresh connection and is sent once. */
  soup_message_set_flags (call->message, SOUP_MESSAGE_NO_REDIRECT
                                         | (call->retrieve ? SOUP_MESSAGE_IDEMPOTENT : 0));

  headers = soup_message_get_request_headers (call->message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (same_origin (call->uri, np_client_get_base_uri (call->client)))
    {
      authorization = g_strconcat ("Bearer ", np_client_get_api_key (call->client), NULL);
      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  soup_message_set_request_body_from_bytes (call->message, "application/json", body);

  /* Whether the request left matters only for a call that changes something (a
   * retrieve is never OUTCOME_UNKNOWN); a handler per retrieve is measurable work. */
  if (!call->retrieve)
    g_signal_connect (call->message, "wrote-headers", G_CALLBACK (on_wrote_headers), call);

  call->deadline = g_timeout_source_new_seconds (np_client_get_timeout (call->client));
  g_source_set_callback (call->deadline, on_deadline, call, NULL);
  g_source_attach (call->deadline, g_task_get_context (task));

  soup_session_send_async (np_client_get_session (call->client), call->message, G_PRIORITY_DEFAULT,
                           call->attempt_cancellable, on_sent, task);

  if (authorization != NULL)
    memset (authorization, 0, strlen (authorization));
}

static void
start_call (NpClient            *self,
            const char          *name,
            char                *body,
            gboolean             retrieve,
            gboolean             paced,
            NpCallResult         result,
            const char          *subject_id,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->client = g_object_ref (self);
  call->call = g_strdup (name);
  call->body = body;
  call->retrieve = retrieve;
  call->paced = paced;
  call->result = result;
  call->subject_id = g_strdup (subject_id);
  call->uri = np_client_build_uri (self, name);

  g_task_set_source_tag (task, np_client_start_call);
  g_task_set_name (task, name);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  /* We report cancellation ourselves: a sent refund that is cancelled is
   * OUTCOME_UNKNOWN, not CANCELLED. */
  g_task_set_check_cancellable (task, FALSE);

  if (cancellable != NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          fail (task, new_error (0, NULL, NULL, 0, NP_CLIENT_ERROR_CANCELLED, "The request was cancelled"));
          return;
        }
      call->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled), call, NULL);
    }

  start_attempt (task);
}

void
np_client_start_call (NpClient            *self,
                      const char          *name,
                      char                *body,
                      gboolean             retrieve,
                      NpCallResult         result,
                      const char          *subject_id,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  start_call (self, name, body, retrieve, FALSE, result, subject_id, cancellable, callback, user_data);
}

void
np_client_start_paced_call (NpClient            *self,
                            const char          *name,
                            char                *body,
                            NpCallResult         result,
                            const char          *subject_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  start_call (self, name, body, TRUE, TRUE, result, subject_id, cancellable, callback, user_data);
}
