/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-client.h — the asynchronous Neuro-Pay API client (libsoup 3 + json-glib, no GTK).
 *
 * One NpClient per account: it holds the base URL and the key (given by the caller,
 * never logged) and one keep-alive SoupSession. Every call is an _async/_finish pair
 * that takes a GCancellable. Retrieve calls are retried on 429/503/network errors;
 * create, capture, refund, update and delete never are: a timeout or a dropped
 * connection on them is NP_CLIENT_ERROR_OUTCOME_UNKNOWN.
 */
#pragma once

#include <gio/gio.h>

#include "np-checkout.h"
#include "np-customer.h"

G_BEGIN_DECLS

#define NP_CLIENT_ERROR (np_client_error_quark ())

typedef enum {
  NP_CLIENT_ERROR_UNAUTHORIZED,     /* 401: bad, blocked or expired key */
  NP_CLIENT_ERROR_FORBIDDEN,        /* 403 */
  NP_CLIENT_ERROR_NOT_FOUND,        /* 404: unknown id (or wrong base URL path) */
  NP_CLIENT_ERROR_INVALID_REQUEST,  /* 400/409/422: see np_client_error_get_field () */
  NP_CLIENT_ERROR_RATE_LIMITED,     /* 429: see np_client_error_get_retry_after () */
  NP_CLIENT_ERROR_SERVER,           /* 5xx */
  NP_CLIENT_ERROR_NETWORK,          /* could not connect / connection lost before sending */
  NP_CLIENT_ERROR_TIMEOUT,          /* no answer in time (for a call that is safe to repeat) */
  NP_CLIENT_ERROR_TLS,              /* certificate or TLS failure */
  NP_CLIENT_ERROR_BAD_RESPONSE,     /* malformed, truncated, oversized or unexpected body */
  NP_CLIENT_ERROR_CANCELLED,        /* the caller cancelled */
  NP_CLIENT_ERROR_OUTCOME_UNKNOWN,  /* a mutating call was sent but no answer came back */
  NP_CLIENT_ERROR_INVALID_URL,      /* base URL refused: not https (or http on loopback) */
  NP_CLIENT_ERROR_INVALID_INPUT,    /* refused before sending: see np_client_check_draft () */
} NpClientError;

GQuark      np_client_error_quark            (void);
/* Extended error data (G_DEFINE_EXTENDED_ERROR); NULL / 0 when absent. */
const char *np_client_error_get_field        (const GError *error);  /* the field a 4xx names */
guint       np_client_error_get_retry_after  (const GError *error);  /* seconds, from Retry-After */
guint       np_client_error_get_http_status  (const GError *error);
const char *np_client_error_get_request_id   (const GError *error);
/* BAD_RESPONSE to a 3xx on a call that changes something (never followed): where it
 * pointed, as one printable line of at most 200 characters. */
const char *np_client_error_get_location     (const GError *error);
/* A translated sentence a person can act on ("The API key was refused. ..."). */
char       *np_client_error_describe         (const GError *error);

/* What a new checkout asks for. Strings may be NULL (not sent). */
typedef struct {
  gint64      amount;             /* minor units, > 0 */
  char       *currency;
  char       *message;
  char       *identifier;
  char       *return_url;
  char       *return_url_cancel;
  gboolean    capture;            /* default TRUE */
  gboolean    allow_save_card;    /* default TRUE */
  char       *customer_id;
  char       *card_id;
  char       *template_name;      /* only "iframe" */
  GHashTable *metadata;           /* char* -> char*, may be NULL */
} NpCheckoutDraft;

NpCheckoutDraft *np_checkout_draft_new  (void);
void             np_checkout_draft_free (NpCheckoutDraft *draft);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpCheckoutDraft, np_checkout_draft_free)

/* Metadata the client sends: at most this many entries, keys of 1..40 characters
 * without control characters, values of at most 500 characters, all valid UTF-8.
 * Larger metadata is refused before anything is sent (NP_CLIENT_ERROR_INVALID_REQUEST,
 * field "metaData"), so a form can say so at the field instead of the server. */
#define NP_CLIENT_METADATA_MAX_ENTRIES 50
#define NP_CLIENT_METADATA_MAX_KEY     40
#define NP_CLIENT_METADATA_MAX_VALUE   500

/* Checks @metadata (char* -> char*, may be NULL) against the limits above. */
gboolean np_client_check_metadata (GHashTable  *metadata,
                                   GError     **error);
/* Checks a draft before it is sent: amount > 0, a currency code, valid UTF-8
 * text without control characters, metadata within the limits. */
gboolean np_client_check_draft    (const NpCheckoutDraft *draft,
                                   GError               **error);

/* One id's result from np_client_retrieve_many_async (): exactly one of checkout/error is set. */
typedef struct {
  char       *checkout_id;
  NpCheckout *checkout;
  GError     *error;
} NpRetrieveResult;

void np_retrieve_result_free (NpRetrieveResult *result);

/* Called on the caller's main context after each id settles. */
typedef void (*NpClientProgressFunc) (guint     done,
                                      guint     total,
                                      gpointer  user_data);

#define NP_TYPE_CLIENT (np_client_get_type ())
G_DECLARE_FINAL_TYPE (NpClient, np_client, NP, CLIENT, GObject)

/* Fails with NP_CLIENT_ERROR_INVALID_URL unless @base_url is https://, or http:// on loopback. */
NpClient   *np_client_new                  (const char   *base_url,
                                            const char   *api_key,
                                            GError      **error);
/* Refuses a URL as np_client_new () would; used by forms before any key is involved. */
gboolean    np_client_check_base_url       (const char   *base_url,
                                            GError      **error);
const char *np_client_get_base_url         (NpClient     *self);
void        np_client_set_timeout          (NpClient     *self,
                                            guint         seconds);     /* default 30 */
/* How long a call waits for its answer: a sent mutation has it or gives up by then. */
guint       np_client_get_timeout          (NpClient     *self);
void        np_client_set_max_response_size (NpClient    *self,
                                            gsize         bytes);       /* default 4 MiB */
void        np_client_set_max_retries      (NpClient     *self,
                                            guint         retries);     /* retrieve only; default 3 */

/* The server's clock against ours, learnt from the Date header of each answer, in
 * seconds (positive: the server is ahead), so that ages ("unpaid for more than a
 * day") are judged by the time the server stamps on its objects. A real server's
 * Date is about right and a desk's clock too: a difference within
 * NP_CLIENT_CLOCK_TOLERANCE (the header's one-second steps, the answer's travel,
 * ordinary drift) counts as none. A difference past NP_CLIENT_CLOCK_OFFSET_MAX is
 * not believed and leaves the offset as it was. The sandbox's clock can be moved
 * (POST /sandbox/clock), and its Date header follows it. "clock-offset" is
 * notified when it changes. */
#define NP_CLIENT_CLOCK_TOLERANCE  120
#define NP_CLIENT_CLOCK_OFFSET_MAX (G_GINT64_CONSTANT (10) * 366 * 86400)
gint64      np_client_get_clock_offset     (NpClient     *self);
/* Seeds it (for a new client of an account whose offset is known). */
void        np_client_set_clock_offset     (NpClient     *self,
                                            gint64        seconds);
/* Takes the offset from an answer's Date header (RFC 9110 format). */
void        np_client_note_server_date     (NpClient     *self,
                                            const char   *date_header);

/* The sandbox's own addresses (/sandbox/clock, /sandbox/faults, a checkout's
 * payment page /pay/<id>, a customer's /client/<id>), for the sample-data generator
 * and tests: sent once with the key, to this client's origin only, redirects not
 * followed. Finishes with the answer's body, or an NP_CLIENT_ERROR for a 4xx/5xx
 * or a network failure. */
void        np_client_sandbox_request_async   (NpClient              *self,
                                               const char            *method,
                                               const char            *path,
                                               const char            *content_type,
                                               const char            *body,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
char       *np_client_sandbox_request_finish  (NpClient              *self,
                                               GAsyncResult          *result,
                                               GError               **error);

void        np_client_create_checkout_async   (NpClient              *self,
                                               const NpCheckoutDraft *draft,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
void        np_client_retrieve_checkout_async (NpClient              *self,
                                               const char            *checkout_id,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
void        np_client_capture_checkout_async  (NpClient              *self,
                                               const char            *checkout_id,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
/* @amount < 0 refunds everything that remains. @reason and @details may be NULL. */
void        np_client_refund_checkout_async   (NpClient              *self,
                                               const char            *checkout_id,
                                               gint64                 amount,
                                               const char            *reason,
                                               const char            *details,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
/* @changes: char* -> char*; an empty value deletes the key. */
void        np_client_update_checkout_async   (NpClient              *self,
                                               const char            *checkout_id,
                                               GHashTable            *changes,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
void        np_client_delete_checkout_async   (NpClient              *self,
                                               const char            *checkout_id,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
/* All six checkout calls finish with the checkout in its new state. */
NpCheckout *np_client_checkout_finish         (NpClient              *self,
                                               GAsyncResult          *result,
                                               GError               **error);

void        np_client_create_customer_async   (NpClient              *self,
                                               const char            *first_name,
                                               const char            *last_name,
                                               const char            *email,
                                               GHashTable            *metadata,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
void        np_client_retrieve_customer_async (NpClient              *self,
                                               const char            *customer_id,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
void        np_client_delete_customer_async   (NpClient              *self,
                                               const char            *customer_id,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
/* The three customer calls finish with the customer (for delete: as the server confirmed it). */
NpCustomer *np_client_customer_finish         (NpClient              *self,
                                               GAsyncResult          *result,
                                               GError               **error);

/* Refresh many checkouts, adapting to the server (see np-client-many.c): from a
 * few in flight up to @max_in_flight (0 = 32) while throughput grows; a 429 is
 * waited out (Retry-After) and paces the rest, the id is asked again, never given
 * up; a 503/502/504 or a timeout halves the number in flight. One id's failure
 * does not stop the others. Only retrieves: nothing that changes state is here. */
void        np_client_retrieve_many_async     (NpClient              *self,
                                               const char * const    *checkout_ids,
                                               guint                  max_in_flight,
                                               NpClientProgressFunc   progress,
                                               gpointer               progress_data,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
/* The refresh before it adapted: always @in_flight at once (0 = 8), each retrieve
 * with its own retries (a 429 beyond them fails its id). The bench's baseline.
 * Finishes with np_client_retrieve_many_finish (). */
void        np_client_retrieve_many_fixed_async (NpClient            *self,
                                               const char * const    *checkout_ids,
                                               guint                  in_flight,
                                               NpClientProgressFunc   progress,
                                               gpointer               progress_data,
                                               GCancellable          *cancellable,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
/* A GPtrArray of NpRetrieveResult, in the order of the ids. Fails only when cancelled. */
GPtrArray  *np_client_retrieve_many_finish    (NpClient              *self,
                                               GAsyncResult          *result,
                                               GError               **error);

/* A `curl` command line for a call ("checkout/refund") and its JSON body, with the
 * key replaced by $NEURO_PAY_API_KEY. */
char       *np_client_render_curl             (NpClient              *self,
                                               const char            *call,
                                               const char            *json_body);

G_END_DECLS
