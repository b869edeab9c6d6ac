/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer.h — one customer and its saved cards, as the API last described it. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  char     *card_id;
  char     *brand;
  char     *last4;
  char     *expiry;      /* "MM/YY" as sent */
  gboolean  is_default;
} NpSavedCard;

void np_saved_card_free (NpSavedCard *card);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpSavedCard, np_saved_card_free)

#define NP_TYPE_CUSTOMER (np_customer_get_type ())
G_DECLARE_FINAL_TYPE (NpCustomer, np_customer, NP, CUSTOMER, GObject)

NpCustomer  *np_customer_new_from_json    (JsonNode    *node,
                                           GError     **error);
NpCustomer  *np_customer_new_from_data    (const char  *json,
                                           gssize       length,
                                           GError     **error);

const char  *np_customer_get_id           (NpCustomer *self);
const char  *np_customer_get_first_name   (NpCustomer *self);
const char  *np_customer_get_last_name    (NpCustomer *self);
char        *np_customer_dup_display_name (NpCustomer *self);   /* "Ada Lovelace", or the email, or the id */
const char  *np_customer_get_email        (NpCustomer *self);
/* client_page or Client_page; NULL when none was sent or when it was refused
 * (np_link_is_openable): then client-page-refused is TRUE. */
const char  *np_customer_get_client_page  (NpCustomer *self);
gboolean     np_customer_get_client_page_refused (NpCustomer *self);
GHashTable  *np_customer_get_metadata     (NpCustomer *self);   /* never NULL */
GPtrArray   *np_customer_get_saved_cards  (NpCustomer *self);   /* of NpSavedCard, never NULL */
GDateTime   *np_customer_get_created      (NpCustomer *self);   /* may be NULL */
gboolean     np_customer_get_deleted      (NpCustomer *self);   /* a delete confirmation */
JsonObject  *np_customer_get_raw          (NpCustomer *self);
char        *np_customer_to_json          (NpCustomer *self, gboolean pretty);

G_END_DECLS
