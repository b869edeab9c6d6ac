/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-api-private.h — what the client knows about the models beyond their public API. */
#pragma once

#include "np-checkout.h"
#include "np-customer.h"

G_BEGIN_DECLS

/* A delete-customer answer that is only a confirmation ({"deleted": true}) still
 * names the customer: the client builds a customer from the id it asked about. */
NpCustomer *np_customer_new_deleted (const char *customer_id,
                                     JsonNode   *confirmation);
/* A customer object that came back from delete-customer: the server confirmed it. */
void        np_customer_mark_deleted (NpCustomer *self);

/* A checkout object that came back from delete: the server confirmed it. */
void        np_checkout_mark_deleted (NpCheckout *self);

/* Extended NP_CLIENT_ERROR data, filled in by the client. */
void        np_client_error_set_details (GError     *error,
                                         guint       http_status,
                                         const char *field,
                                         const char *request_id,
                                         guint       retry_after);
/* The Location of a redirect a mutating call did not follow (already cleaned). */
void        np_client_error_set_location (GError     *error,
                                          const char *location);

/* What an error answer may put in front of a person, in characters. */
#define NP_CLIENT_MAX_MESSAGE_CHARS 1000
#define NP_CLIENT_MAX_FIELD_CHARS   200

/* The message, field and request id of an error answer's body (see np-client-call.c),
 * each cleaned with np_json_clean_text () and capped at the lengths above.
 * *@out_request_id must be NULL or an id already known (from a header). */
void        np_client_parse_error_body (const char  *data,
                                        gsize        len,
                                        const char  *content_type,
                                        char       **out_message,
                                        char       **out_field,
                                        char       **out_request_id);

G_END_DECLS
