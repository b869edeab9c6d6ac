/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout.h — one checkout as the API last described it.
 *
 * Built tolerantly from whatever JSON a server sends: unknown fields are kept in
 * the raw object, missing optional fields are fine, unknown statuses are kept as text.
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  NP_CHECKOUT_STATUS_UNKNOWN,          /* a status string we do not know: see status-text */
  NP_CHECKOUT_STATUS_CREATED,
  NP_CHECKOUT_STATUS_RESERVED,
  NP_CHECKOUT_STATUS_RESERVE_RELEASED, /* "reserve released" */
  NP_CHECKOUT_STATUS_PAID,
  NP_CHECKOUT_STATUS_REFUNDED,
  NP_CHECKOUT_STATUS_PARTIAL_REFUND,   /* "partialRefund" */
  NP_CHECKOUT_STATUS_REVOKED,
  NP_CHECKOUT_STATUS_FAILED,
  NP_CHECKOUT_STATUS_CANCELED,
} NpCheckoutStatus;

GType            np_checkout_status_get_type   (void);
#define NP_TYPE_CHECKOUT_STATUS (np_checkout_status_get_type ())
NpCheckoutStatus np_checkout_status_from_string (const char       *text);
/* The API's spelling ("reserve released", "partialRefund"); NULL for UNKNOWN. */
const char      *np_checkout_status_to_string   (NpCheckoutStatus  status);
gboolean         np_checkout_status_is_final    (NpCheckoutStatus  status);

typedef struct {
  gint64  amount;        /* minor units */
  char   *reason;        /* may be NULL */
  char   *details;       /* refundDetails, may be NULL */
  char   *created;       /* UTC ISO 8601, may be NULL */
} NpRefund;

void             np_refund_free (NpRefund *refund);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpRefund, np_refund_free)

#define NP_TYPE_CHECKOUT (np_checkout_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckout, np_checkout, NP, CHECKOUT, GObject)

/* Returns NULL and sets @error (NP_CLIENT_ERROR_BAD_RESPONSE) when @node is not
 * an object with a usable checkout_id. */
NpCheckout      *np_checkout_new_from_json      (JsonNode    *node,
                                                 GError     **error);
NpCheckout      *np_checkout_new_from_data      (const char  *json,
                                                 gssize       length,
                                                 GError     **error);

const char      *np_checkout_get_id             (NpCheckout *self);
const char      *np_checkout_get_identifier     (NpCheckout *self);
NpCheckoutStatus np_checkout_get_status         (NpCheckout *self);
const char      *np_checkout_get_status_text    (NpCheckout *self);   /* as the server sent it */
gint64           np_checkout_get_amount         (NpCheckout *self);
const char      *np_checkout_get_currency       (NpCheckout *self);
const char      *np_checkout_get_message        (NpCheckout *self);
gboolean         np_checkout_get_capture        (NpCheckout *self);   /* default TRUE */
gboolean         np_checkout_get_allow_save_card (NpCheckout *self);  /* default TRUE */
const char      *np_checkout_get_template       (NpCheckout *self);
const char      *np_checkout_get_return_url     (NpCheckout *self);
const char      *np_checkout_get_return_url_cancel (NpCheckout *self);
const char      *np_checkout_get_customer_id    (NpCheckout *self);
const char      *np_checkout_get_card_id        (NpCheckout *self);
/* The hosted payment page; NULL when none was sent or when it was refused
 * (np_link_is_openable): then url-refused is TRUE and the link is only in the raw JSON. */
const char      *np_checkout_get_url            (NpCheckout *self);
gboolean         np_checkout_get_url_refused    (NpCheckout *self);
GHashTable      *np_checkout_get_metadata       (NpCheckout *self);   /* char* -> char*, never NULL */
gint64           np_checkout_get_refunded_amount (NpCheckout *self);
GPtrArray       *np_checkout_get_refunds        (NpCheckout *self);   /* of NpRefund, never NULL */
GDateTime       *np_checkout_get_created        (NpCheckout *self);   /* UTC, may be NULL */
GDateTime       *np_checkout_get_updated        (NpCheckout *self);   /* UTC, may be NULL */
JsonObject      *np_checkout_get_raw            (NpCheckout *self);   /* everything the server sent */
/* TRUE when the server said so ("deleted": true) or the object is the answer to
 * delete: nothing more can be done with the checkout. */
gboolean         np_checkout_get_deleted        (NpCheckout *self);
char            *np_checkout_to_json            (NpCheckout *self, gboolean pretty);

gboolean         np_checkout_can_capture        (NpCheckout *self);
gboolean         np_checkout_can_refund         (NpCheckout *self);
gboolean         np_checkout_can_delete         (NpCheckout *self);
gint64           np_checkout_get_refundable_amount (NpCheckout *self);

/* Shared by NpCheckout and NpCustomer: "YYYY-MM-DD HH:MM:SS" (UTC) or ISO 8601. */
GDateTime       *np_parse_api_time              (const char *text);
/* metaData as an object or as [{"key","value"}]; values that are not strings are
 * kept as their JSON text. Returns a new char*->char* table, never NULL. */
GHashTable      *np_parse_metadata              (JsonNode   *node);

G_END_DECLS
