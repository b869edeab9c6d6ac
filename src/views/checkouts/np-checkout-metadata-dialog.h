/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-metadata-dialog.h — add, change and remove a checkout's metadata. */
#pragma once

#include <adwaita.h>

#include "np-checkout-metadata-editor.h"
#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_METADATA_DIALOG (np_checkout_metadata_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutMetadataDialog, np_checkout_metadata_dialog, NP, CHECKOUT_METADATA_DIALOG, AdwWindow)

/* Signals: saved (NpCheckout *checkout) after the server stored the changes (only
 * the difference is sent; the journal records it); the dialog then closes. */
NpCheckoutMetadataDialog *np_checkout_metadata_dialog_new        (NpWorkspace *workspace,
                                                                  NpCheckout  *checkout);
NpCheckoutMetadataEditor *np_checkout_metadata_dialog_get_editor (NpCheckoutMetadataDialog *self);

G_END_DECLS
