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
