/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkouts-page.h — the Checkouts page of the main window. */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUTS_PAGE (np_checkouts_page_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutsPage, np_checkouts_page, NP, CHECKOUTS_PAGE, AdwBin)

NpWorkspace *np_checkouts_page_get_workspace (NpCheckoutsPage *self);
void         np_checkouts_page_set_workspace (NpCheckoutsPage *self,
                                              NpWorkspace     *workspace);

/* Selects @checkout_id in the list (clearing filters that hide it) and shows it. */
void np_checkouts_page_show_checkout (NpCheckoutsPage *self,
                                      const char      *checkout_id);
/* Opens the new-checkout form, prefilled with a customer and a saved card (both may be NULL). */
void np_checkouts_page_new_checkout (NpCheckoutsPage *self,
                                     const char      *customer_id,
                                     const char      *card_id);
/* The next sale at the counter: New Checkout in @currency (the last sale's). */
void np_checkouts_page_new_sale     (NpCheckoutsPage *self,
                                     const char      *currency);

/* In the narrow, one-column layout: from the detail back to the list. FALSE when
 * there is nothing to go back from (the list is shown, or both are side by side). */
gboolean np_checkouts_page_go_back (NpCheckoutsPage *self);
/* TRUE when list and detail are one column (the page is narrow). */
gboolean np_checkouts_page_get_folded (NpCheckoutsPage *self);

G_END_DECLS
