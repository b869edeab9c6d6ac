/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-client-private.h — the request machinery shared by np-client.c and np-client-calls.c. */
#pragma once

#include <libsoup/soup.h>

#include "np-client.h"

G_BEGIN_DECLS

typedef enum {
  NP_CALL_RESULT_CHECKOUT,
  NP_CALL_RESULT_CUSTOMER,
} NpCallResult;

/* Starts one POST to {base}/checkout/@call with @body (taken). @retrieve says the
 * call is safe to repeat: it is then retried on 429/503/network errors, while any
 * other call fails with OUTCOME_UNKNOWN once sent and unanswered. @subject_id is the
 * checkout or customer the call is about (for delete confirmations without an object). */
void         np_client_start_call   (NpClient            *self,
                                     const char          *call,
                                     char                *body,
                                     gboolean             retrieve,
                                     NpCallResult         result,
                                     const char          *subject_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);

/* A retrieve (safe to repeat) whose 429, 503, 502 and 504 answers are not retried
 * here but returned at once (with Retry-After in the error), for a caller that paces
 * many calls by them (np-client-many.c). A lost connection is still retried. */
void         np_client_start_paced_call (NpClient            *self,
                                         const char          *call,
                                         char                *body,
                                         NpCallResult         result,
                                         const char          *subject_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);

/* np_client_retrieve_checkout_async () through np_client_start_paced_call (). */
void         np_client_retrieve_checkout_paced_async (NpClient            *self,
                                                      const char          *checkout_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);

/* What a 2xx answer's body makes (a checkout or customer; for a delete, a
 * confirmation naming @subject_id), or NULL and NP_CLIENT_ERROR_BAD_RESPONSE. */
GObject     *np_client_read_answer  (NpCallResult   result,
                                     gboolean       is_delete,
                                     const char    *subject_id,
                                     const char    *data,
                                     gsize          len,
                                     GError       **error);
/* The NP_CLIENT_ERROR a non-2xx answer makes, with its details (status, field,
 * request id from the body or @header_request_id, @retry_after). */
GError      *np_client_read_error_answer (guint        status,
                                          gboolean     retrieve,
                                          const char  *content_type,
                                          const char  *header_request_id,
                                          guint        retry_after,
                                          const char  *data,
                                          gsize        len);

SoupSession *np_client_get_session  (NpClient *self);
GUri        *np_client_get_base_uri (NpClient *self);
const char  *np_client_get_api_key  (NpClient *self);
guint        np_client_get_timeout  (NpClient *self);
gsize        np_client_get_max_response_size (NpClient *self);
guint        np_client_get_max_retries (NpClient *self);

/* Builds "{base}/checkout/@call". */
GUri        *np_client_build_uri    (NpClient   *self,
                                     const char *call);

G_END_DECLS
