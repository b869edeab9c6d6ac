/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-new-dialog.h — the form that creates a checkout. */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_NEW_DIALOG (np_checkout_new_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutNewDialog, np_checkout_new_dialog, NP, CHECKOUT_NEW_DIALOG, AdwWindow)

/* Signals: created (NpCheckout *checkout), after the server made it and the ledger
 * stored it; the dialog then closes. */
NpCheckoutNewDialog *np_checkout_new_dialog_new          (NpWorkspace         *workspace);
/* Prefills the customer and its saved card (both may be NULL). */
/* Preselects @currency (a known ISO code; anything else leaves the choice alone). */
void                 np_checkout_new_dialog_set_currency (NpCheckoutNewDialog *self,
                                                          const char          *currency);
void                 np_checkout_new_dialog_set_customer (NpCheckoutNewDialog *self,
                                                          const char          *customer_id,
                                                          const char          *card_id);

G_END_DECLS
