/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-row-widget.h — one row of the checkouts list, drawn whole.
 *
 * GTK 4.8's column view gives every cell two widgets of its own (17 for a row of
 * eight columns), and makes or rebinds all of them for each row scrolled or
 * searched into view: most of a frame. This widget draws every column, the status
 * pill too, from its own Pango layouts: a row is two widgets (with the list's own),
 * binding one keeps its item, and only the rows drawn lay out their text.
 */
#pragma once

#include <gtk/gtk.h>

#include "np-checkout-row.h"

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_ROW_WIDGET (np_checkout_row_widget_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutRowWidget, np_checkout_row_widget, NP, CHECKOUT_ROW_WIDGET, GtkWidget)

GtkWidget     *np_checkout_row_widget_new      (void);
NpCheckoutRow *np_checkout_row_widget_get_row  (NpCheckoutRowWidget *self);
void           np_checkout_row_widget_set_row  (NpCheckoutRowWidget *self,
                                                NpCheckoutRow       *row);
/* The text a column shows now (for tests); NULL until the row is drawn, or
 * when the column is left out. */
const char    *np_checkout_row_widget_get_text (NpCheckoutRowWidget *self,
                                                guint                column);

G_END_DECLS
