/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer-lookup-dialog.h — look one customer up by id, or register many ids at once.
 *
 * In LOOKUP mode the dialog retrieves one id through the workspace and emits
 * "found" (const char *customer_id); a refusal is shown in the dialog. In IMPORT
 * mode it registers the pasted ids in the ledger and refreshes them, then emits
 * "imported" (const char *summary_text).
 */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

typedef enum {
  NP_CUSTOMER_LOOKUP_MODE_LOOKUP,
  NP_CUSTOMER_LOOKUP_MODE_IMPORT,
} NpCustomerLookupMode;

#define NP_TYPE_CUSTOMER_LOOKUP_DIALOG (np_customer_lookup_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NpCustomerLookupDialog, np_customer_lookup_dialog, NP, CUSTOMER_LOOKUP_DIALOG, AdwWindow)

NpCustomerLookupDialog *np_customer_lookup_dialog_new (GtkWindow            *parent,
                                                       NpWorkspace          *workspace,
                                                       NpCustomerLookupMode  mode);

G_END_DECLS
