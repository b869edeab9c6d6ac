/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-icon.c — the app's checkout icon, drawn in the colour of the text. */
#include "config.h"

#include "np-checkout-icon.h"

/* The icon's own grid, as data/icons/hicolor/symbolic/apps/…-checkout-symbolic.svg. */
#define GRID 16.0

struct _NpCheckoutIcon
{
  GObject parent_instance;
};

static void np_checkout_icon_paintable_init (GdkPaintableInterface *iface);
static void np_checkout_icon_symbolic_init  (GtkSymbolicPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NpCheckoutIcon, np_checkout_icon, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, np_checkout_icon_paintable_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SYMBOLIC_PAINTABLE, np_checkout_icon_symbolic_init))

/* A card with a rounded outline; its magnetic stripe and two lines of text are
 * holes in it (even-odd), as in the SVG. */
static void
append_card (cairo_t *cr)
{
  const double x = 1, y = 3, w = 14, h = 10, r = 1;

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);

  cairo_rectangle (cr, 2, 5, 12, 1.5);
  cairo_rectangle (cr, 3, 9, 4, 1);
  cairo_rectangle (cr, 3, 11, 2.5, 1);
}

static void
np_checkout_icon_snapshot_symbolic (GtkSymbolicPaintable *paintable,
                                    GdkSnapshot          *snapshot,
                                    double                width,
                                    double                height,
                                    const GdkRGBA        *colors,
                                    gsize                 n_colors)
{
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (GTK_SNAPSHOT (snapshot), &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_scale (cr, width / GRID, height / GRID);
  append_card (cr);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  gdk_cairo_set_source_rgba (cr, n_colors > 0 ? &colors[0] : &(GdkRGBA) { 0.18, 0.2, 0.21, 1.0 });
  cairo_fill (cr);
  cairo_destroy (cr);
}

static void
np_checkout_icon_snapshot (GdkPaintable *paintable,
                           GdkSnapshot  *snapshot,
                           double        width,
                           double        height)
{
  /* Outside a widget: the SVG's own grey. */
  np_checkout_icon_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (paintable), snapshot, width, height, NULL, 0);
}

static int
np_checkout_icon_get_intrinsic_size (GdkPaintable *paintable)
{
  return (int) GRID;
}

static GdkPaintableFlags
np_checkout_icon_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_SIZE | GDK_PAINTABLE_STATIC_CONTENTS;
}

static void
np_checkout_icon_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = np_checkout_icon_snapshot;
  iface->get_intrinsic_width = np_checkout_icon_get_intrinsic_size;
  iface->get_intrinsic_height = np_checkout_icon_get_intrinsic_size;
  iface->get_flags = np_checkout_icon_get_flags;
}

static void
np_checkout_icon_symbolic_init (GtkSymbolicPaintableInterface *iface)
{
  iface->snapshot_symbolic = np_checkout_icon_snapshot_symbolic;
}

static void
np_checkout_icon_class_init (NpCheckoutIconClass *klass)
{
}

static void
np_checkout_icon_init (NpCheckoutIcon *self)
{
}

GdkPaintable *
np_checkout_icon_new (void)
{
  return g_object_new (NP_TYPE_CHECKOUT_ICON, NULL);
}
