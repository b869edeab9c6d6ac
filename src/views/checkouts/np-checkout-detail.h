/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-detail.h — everything about one checkout, and what can be done to it. */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_DETAIL (np_checkout_detail_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutDetail, np_checkout_detail, NP, CHECKOUT_DETAIL, AdwBin)

/* Properties: "workspace", "checkout-id" (NULL: nothing selected), "checkout"
 * (read-only: the ledger's NpCheckout, NULL before it was retrieved). Actions in
 * the "checkout." group: capture, refund, edit-metadata, delete, refresh, copy-curl,
 * copy-id, copy-link, open-link, open-customer. */
NpWorkspace *np_checkout_detail_get_workspace   (NpCheckoutDetail *self);
void         np_checkout_detail_set_workspace   (NpCheckoutDetail *self,
                                                 NpWorkspace      *workspace);
const char  *np_checkout_detail_get_checkout_id (NpCheckoutDetail *self);
void         np_checkout_detail_set_checkout_id (NpCheckoutDetail *self,
                                                 const char       *checkout_id);
NpCheckout  *np_checkout_detail_get_checkout    (NpCheckoutDetail *self);

const char       *np_checkout_detail_get_request_text (NpCheckoutDetail *self);

G_END_DECLS
