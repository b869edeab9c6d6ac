/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-client-sandbox.c — requests to the sandbox's own addresses.
 *
 * The sandbox speaks more than the API: its clock and faults (/sandbox/...) and the
 * pages a buyer or a customer uses (/pay/<id>, /client/<id>). The sample-data
 * generator needs them to play the buyer and move time; they go over the client's
 * session with its key, to its own origin only, and are never retried.
 */
#include "config.h"

#include "np-client-private.h"

typedef struct {
  SoupMessage *message;
} SandboxRequest;

static void
sandbox_request_free (SandboxRequest *request)
{
  g_clear_object (&request->message);
  g_free (request);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpClient *self = g_task_get_source_object (task);
  SandboxRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessageHeaders *headers;
  guint status;
  gsize length = 0;
  const char *data;

  if (body == NULL)
    {
      g_task_return_new_error (task, NP_CLIENT_ERROR,
                               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                               ? NP_CLIENT_ERROR_CANCELLED : NP_CLIENT_ERROR_NETWORK,
                               "%s", error->message);
      return;
    }

  headers = soup_message_get_response_headers (request->message);
  np_client_note_server_date (self, soup_message_headers_get_one (headers, "Date"));
  status = soup_message_get_status (request->message);
  data = g_bytes_get_data (body, &length);
  /* A page answers 303 to its return address after a payment: that is success. */
  if (status >= 400)
    {
      g_task_return_error (task, np_client_read_error_answer (status, FALSE,
                                                              soup_message_headers_get_content_type (headers, NULL),
                                                              soup_message_headers_get_one (headers, "X-Request-Id"),
                                                              0, data, length));
      return;
    }
  g_task_return_pointer (task, g_strndup (data, MIN (length, np_client_get_max_response_size (self))), g_free);
}

void
np_client_sandbox_request_async (NpClient            *self,
                                 const char          *method,
                                 const char          *path,
                                 const char          *content_type,
                                 const char          *body,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *authorization = NULL;
  SandboxRequest *request;
  SoupMessageHeaders *headers;

  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_client_sandbox_request_async);
  if (!g_str_has_prefix (path, "/sandbox/") && !g_str_has_prefix (path, "/pay/") &&
      !g_str_has_prefix (path, "/client/"))
    {
      g_task_return_new_error (task, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_REQUEST,
                               "Not a sandbox address: %s", path);
      return;
    }

  uri = g_uri_parse_relative (np_client_get_base_uri (self), path, G_URI_FLAGS_ENCODED, NULL);
  request = g_new0 (SandboxRequest, 1);
  request->message = soup_message_new_from_uri (method, uri);
  g_task_set_task_data (task, request, (GDestroyNotify) sandbox_request_free);

  /* A page's 303 goes to the checkout's return address, which is not ours to open. */
  soup_message_set_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (request->message);
  authorization = g_strconcat ("Bearer ", np_client_get_api_key (self), NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  memset (authorization, 0, strlen (authorization));
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (request->message, content_type, bytes);
    }

  soup_session_send_and_read_async (np_client_get_session (self), request->message, G_PRIORITY_DEFAULT,
                                    cancellable, on_read, g_steal_pointer (&task));
}

char *
np_client_sandbox_request_finish (NpClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
