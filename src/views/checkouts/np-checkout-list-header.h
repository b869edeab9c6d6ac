/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-list-header.h — the column titles above the checkouts list.
 *
 * Placed by np_checkout_columns_layout () like the rows below it. The titles of
 * sortable columns are buttons: a click sorts by that column, a second click turns
 * the order round. The ledger does the sorting; the header only says which.
 */
#pragma once

#include <gtk/gtk.h>

#include "np-ledger-query.h"

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_LIST_HEADER (np_checkout_list_header_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutListHeader, np_checkout_list_header, NP, CHECKOUT_LIST_HEADER, GtkWidget)

GtkWidget *np_checkout_list_header_new      (void);
/* Shows @sort/@descending and emits ::sort-changed if they are new. */
void       np_checkout_list_header_set_sort (NpCheckoutListHeader *self,
                                             NpCheckoutSort        sort,
                                             gboolean              descending);
NpCheckoutSort np_checkout_list_header_get_sort (NpCheckoutListHeader *self,
                                                 gboolean             *out_descending);

G_END_DECLS
