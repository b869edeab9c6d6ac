/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-row.h — one checkout as the ledger lists it.
 *
 * The item type of NpCheckoutListModel and of the ledger's list queries: an
 * immutable snapshot of the columns the lists show, sort and search on, read in
 * one SELECT without parsing the stored JSON. When the row changes in the ledger
 * the model replaces the item with a new one, so views simply rebind. Ask the
 * ledger (np_ledger_get_checkout ()) for the full NpCheckout.
 *
 * A row that was imported but never retrieved has retrieved = FALSE, status
 * NP_CHECKOUT_STATUS_UNKNOWN, status-text NULL and no amount or currency.
 */
#pragma once

#include <glib-object.h>

#include "np-checkout.h"

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_ROW (np_checkout_row_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutRow, np_checkout_row, NP, CHECKOUT_ROW, GObject)

gint64            np_checkout_row_get_row_id          (NpCheckoutRow *self);
gint64            np_checkout_row_get_account_id      (NpCheckoutRow *self);
const char       *np_checkout_row_get_checkout_id     (NpCheckoutRow *self);
const char       *np_checkout_row_get_identifier      (NpCheckoutRow *self);
NpCheckoutStatus  np_checkout_row_get_status          (NpCheckoutRow *self);
const char       *np_checkout_row_get_status_text     (NpCheckoutRow *self);  /* as the server sent it; NULL before retrieval */
gint64            np_checkout_row_get_amount          (NpCheckoutRow *self);  /* minor units */
gint64            np_checkout_row_get_refunded_amount (NpCheckoutRow *self);  /* minor units */
const char       *np_checkout_row_get_currency        (NpCheckoutRow *self);
const char       *np_checkout_row_get_message         (NpCheckoutRow *self);
const char       *np_checkout_row_get_customer_id     (NpCheckoutRow *self);
GDateTime        *np_checkout_row_get_created         (NpCheckoutRow *self);  /* UTC, may be NULL */
GDateTime        *np_checkout_row_get_updated         (NpCheckoutRow *self);  /* UTC, may be NULL */
GDateTime        *np_checkout_row_get_last_refreshed  (NpCheckoutRow *self);  /* UTC, NULL before retrieval */
const char       *np_checkout_row_get_refresh_error   (NpCheckoutRow *self);  /* the last refresh's failure, NULL after a success */
GDateTime        *np_checkout_row_get_refresh_failed_at (NpCheckoutRow *self);
gboolean          np_checkout_row_get_retrieved       (NpCheckoutRow *self);
gboolean          np_checkout_row_get_deleted         (NpCheckoutRow *self);
gboolean          np_checkout_row_is_final            (NpCheckoutRow *self);

G_END_DECLS
