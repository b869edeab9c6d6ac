/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-refund-dialog.h — refund a checkout, fully or in part. */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_REFUND_DIALOG (np_checkout_refund_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutRefundDialog, np_checkout_refund_dialog, NP, CHECKOUT_REFUND_DIALOG, AdwWindow)

/* Signals: refunded (NpCheckout *checkout) when the server confirmed the refund;
 * the dialog then closes. An unknown outcome keeps it open with an explanation. */
NpCheckoutRefundDialog *np_checkout_refund_dialog_new (NpWorkspace *workspace,
                                                       NpCheckout  *checkout);

const char             *np_checkout_refund_dialog_get_limit_text (NpCheckoutRefundDialog *self);

G_END_DECLS
