/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer-dialog.h — the form that creates a customer, refusals shown at their field.
 *
 * Emits "created" (NpCustomer *customer) once the workspace has created and stored
 * the customer, then closes.
 */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_CUSTOMER_DIALOG (np_customer_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NpCustomerDialog, np_customer_dialog, NP, CUSTOMER_DIALOG, AdwWindow)

NpCustomerDialog *np_customer_dialog_new (GtkWindow   *parent,
                                          NpWorkspace *workspace);

/* An address a person could have meant: something@domain.tld, no spaces. */
gboolean          np_customer_email_is_valid (const char *email);

G_END_DECLS
