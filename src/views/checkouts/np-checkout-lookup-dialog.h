/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-lookup-dialog.h — look a checkout up by id, or import many ids at once. */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_LOOKUP_DIALOG (np_checkout_lookup_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutLookupDialog, np_checkout_lookup_dialog, NP, CHECKOUT_LOOKUP_DIALOG, AdwWindow)

/* Signals: found (const char *checkout_id) once one id was retrieved and stored;
 * import (const char *text) when several ids were pasted, for the page to import
 * with its progress bar. The dialog closes after either. */
NpCheckoutLookupDialog *np_checkout_lookup_dialog_new (NpWorkspace *workspace);

G_END_DECLS
