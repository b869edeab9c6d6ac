/* np-checkout-row-widget.h — one row of the checkouts list, drawn whole.
 *
 * GTK 4.8's column view gives every cell two widgets of its own (17 for a row of
 * eight columns), and makes or rebinds all of them for each row scrolled or
 * searched into view: most of a frame. This widget draws the text columns from
 * its own Pango layouts and holds one child, the status badge, so a row is three
 * widgets and binding it is setting seven strings.
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
/* The text a column shows now (for tests and accessibility); NULL when the
 * column is not drawn. */
const char    *np_checkout_row_widget_get_text (NpCheckoutRowWidget *self,
                                                guint                column);

G_END_DECLS
