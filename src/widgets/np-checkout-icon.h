/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-icon.h — the app's checkout icon, drawn in the colour of the text.
 *
 * A GtkSymbolicPaintable rather than a symbolic SVG: GTK 4.8 draws an SVG icon
 * through librsvg (some 9 MiB resident once loaded), and finds GTK's encoded
 * symbolic PNGs only in an icon theme with a cache, which an application's
 * resources are not. The card is four shapes: drawn here, in any size and the
 * theme's colours, it needs neither.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_ICON (np_checkout_icon_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutIcon, np_checkout_icon, NP, CHECKOUT_ICON, GObject)

GdkPaintable *np_checkout_icon_new (void);

G_END_DECLS
