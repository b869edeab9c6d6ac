/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer-display.h — "Show to Customer": a full-screen view of one checkout
 * for the customer's eyes (account name, amount, message, a large QR code of the
 * payment link), which turns into "Paid", "Declined" or "Cancelled" when the
 * watched checkout changes. Escape returns to the console. */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_CUSTOMER_DISPLAY (np_customer_display_get_type ())
G_DECLARE_FINAL_TYPE (NpCustomerDisplay, np_customer_display, NP, CUSTOMER_DISPLAY, AdwWindow)

NpCustomerDisplay *np_customer_display_new        (NpWorkspace       *workspace,
                                                   const char        *checkout_id);
/* Opens the display full screen over the window @owner is in: "Show to Customer"
 * in the detail and in the toast after New Checkout. */
NpCustomerDisplay *np_customer_display_present    (NpWorkspace       *workspace,
                                                   const char        *checkout_id,
                                                   GtkWidget         *owner);
/* "waiting", "paid", "declined", "cancelled" or "other": the state shown. */
const char        *np_customer_display_get_state  (NpCustomerDisplay *self);

G_END_DECLS
