/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-chart.c — daily paid and refunded amounts as paired bars, for the Overview.
 *
 * Drawn as render nodes (coloured rectangles and text): a y axis with round ticks in the
 * currency's major units, a date under every few bars, a legend, and the
 * values of the hovered day in a tooltip. Colours follow the light or dark style.
 * The chart is an image to a screen reader, described by a text summary.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <math.h>

#include "np-chart.h"
#include "np-money.h"

#define MARGIN_TOP     28.0
#define MARGIN_RIGHT   12.0
#define MARGIN_BOTTOM  24.0
#define MARGIN_LEFT    64.0

struct _NpChart
{
  GtkWidget  parent_instance;

  GArray    *points;     /* of NpChartPoint */
  char      *currency;
  int        hovered;
};

G_DEFINE_FINAL_TYPE (NpChart, np_chart, GTK_TYPE_WIDGET)

GtkWidget *
np_chart_new (void)
{
  return g_object_new (NP_TYPE_CHART, NULL);
}

guint
np_chart_get_n_points (NpChart *self)
{
  g_return_val_if_fail (NP_IS_CHART (self), 0);

  return self->points->len;
}

const NpChartPoint *
np_chart_get_point (NpChart *self,
                    guint    index)
{
  g_return_val_if_fail (NP_IS_CHART (self), NULL);
  g_return_val_if_fail (index < self->points->len, NULL);

  return &g_array_index (self->points, NpChartPoint, index);
}

const char *
np_chart_get_currency (NpChart *self)
{
  g_return_val_if_fail (NP_IS_CHART (self), NULL);

  return self->currency;
}

int
np_chart_get_hovered (NpChart *self)
{
  g_return_val_if_fail (NP_IS_CHART (self), -1);

  return self->hovered;
}

static gint64
max_value (NpChart *self)
{
  gint64 max = 0;

  for (guint i = 0; i < self->points->len; i++)
    {
      const NpChartPoint *p = &g_array_index (self->points, NpChartPoint, i);

      max = MAX (max, MAX (p->paid, p->refunded));
    }

  return max;
}

char *
np_chart_dup_summary (NpChart *self)
{
  g_autofree char *paid_text = NULL;
  g_autofree char *refunded_text = NULL;
  gint64 paid = 0, refunded = 0, best = -1;
  gboolean paid_overflow = FALSE;
  gboolean refunded_overflow = FALSE;
  guint best_index = 0;

  g_return_val_if_fail (NP_IS_CHART (self), NULL);

  if (self->points->len == 0 || self->currency == NULL)
    return g_strdup (_("No payments in this period."));

  for (guint i = 0; i < self->points->len; i++)
    {
      const NpChartPoint *p = &g_array_index (self->points, NpChartPoint, i);

      paid_overflow |= __builtin_add_overflow (paid, p->paid, &paid);
      refunded_overflow |= __builtin_add_overflow (refunded, p->refunded, &refunded);
      if (p->paid > best)
        {
          best = p->paid;
          best_index = i;
        }
    }

  /* Sums that do not fit are said to be so, never shown wrapped. */
  paid_text = paid_overflow || paid == G_MAXINT64 ? g_strdup (_("too large to add up"))
                                                  : np_money_format (paid, self->currency);
  refunded_text = refunded_overflow || refunded == G_MAXINT64 ? g_strdup (_("too large to add up"))
                                                              : np_money_format (refunded, self->currency);

  if (best > 0)
    {
      const NpChartPoint *p = &g_array_index (self->points, NpChartPoint, best_index);
      g_autofree char *best_text = best == G_MAXINT64 ? g_strdup (_("too large to add up"))
                                                      : np_money_format (best, self->currency);
      char day[64];

      g_date_strftime (day, sizeof day, "%x", &p->day);
      /* Translators: a chart summary for screen readers */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Daily amounts over %u day: %s paid, %s refunded. Best day %s with %s.",
                                           "Daily amounts over %u days: %s paid, %s refunded. Best day %s with %s.",
                                           self->points->len),
                              self->points->len, paid_text, refunded_text, day, best_text);
    }

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Daily amounts over %u day: %s paid, %s refunded.",
                                       "Daily amounts over %u days: %s paid, %s refunded.",
                                       self->points->len),
                          self->points->len, paid_text, refunded_text);
}

static void
update_accessible (NpChart *self)
{
  g_autofree char *summary = np_chart_dup_summary (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary,
                                  -1);
}

void
np_chart_set_points (NpChart            *self,
                     const char         *currency,
                     const NpChartPoint *points,
                     guint               n_points)
{
  g_return_if_fail (NP_IS_CHART (self));
  g_return_if_fail (points != NULL || n_points == 0);

  g_array_set_size (self->points, 0);
  g_array_append_vals (self->points, points, n_points);
  g_free (self->currency);
  self->currency = g_strdup (currency);
  self->hovered = -1;

  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A round step for about four ticks: 1, 2 or 5 times a power of ten, in minor units. */
static gint64
tick_step (gint64 max,
           int    exponent)
{
  double unit = pow (10, exponent);
  double raw = MAX ((double) max / unit / 4.0, 1.0 / unit);
  double magnitude = pow (10, floor (log10 (raw)));
  double normalized = raw / magnitude;
  double step = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;

  return MAX ((gint64) llround (step * magnitude * unit), 1);
}

static void
get_colors (NpChart *self,
            GdkRGBA *paid,
            GdkRGBA *refunded,
            GdkRGBA *text,
            GdkRGBA *grid)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  /* GNOME palette: blue 3 and orange 3 on light, blue 2 and orange 2 on dark. */
  gdk_rgba_parse (paid, dark ? "#62a0ea" : "#3584e4");
  gdk_rgba_parse (refunded, dark ? "#ffa348" : "#e66100");
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), text);
  *grid = *text;
  grid->alpha = 0.15f;
}

static PangoLayout *
create_layout (NpChart    *self,
               const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  return layout;
}

/* Text as the rest of the window draws it: a text node of the widget's own
 * fonts, whose glyphs the labels around it have already rendered. */
static void
append_text (NpChart       *self,
             GtkSnapshot   *snapshot,
             const char    *text,
             double         x,
             double         y,
             double         xalign,
             const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = create_layout (self, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x - width * xalign), round (y - height / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
append_legend (NpChart       *self,
               GtkSnapshot   *snapshot,
               const GdkRGBA *paid,
               const GdkRGBA *refunded,
               const GdkRGBA *text)
{
  const struct { const char *label; const GdkRGBA *color; } entries[] = {
    { _("Paid"), paid },
    { _("Refunded"), refunded },
  };
  double x = MARGIN_LEFT;

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autoptr(PangoLayout) layout = create_layout (self, entries[i].label);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      gtk_snapshot_append_color (snapshot, entries[i].color, &GRAPHENE_RECT_INIT (x, MARGIN_TOP / 2 - 5, 10, 10));
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 14, round (MARGIN_TOP / 2 - h / 2.0)));
      gtk_snapshot_append_layout (snapshot, layout, text);
      gtk_snapshot_restore (snapshot);
      x += 14 + w + 16;
    }
}

static gboolean
plot_area (NpChart         *self,
           graphene_rect_t *area)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  graphene_rect_init (area, MARGIN_LEFT, MARGIN_TOP,
                      width - MARGIN_LEFT - MARGIN_RIGHT,
                      height - MARGIN_TOP - MARGIN_BOTTOM);

  return area->size.width > 10 && area->size.height > 10 && self->points->len > 0;
}

static void
append_bars (NpChart               *self,
             GtkSnapshot           *snapshot,
             const graphene_rect_t *plot,
             const GdkRGBA         *paid,
             const GdkRGBA         *refunded,
             const GdkRGBA         *text,
             const GdkRGBA         *grid)
{
  graphene_rect_t area = *plot;
  gint64 max, step, top;
  int exponent;
  double slot, bar;
  guint label_every;

  exponent = MAX (np_money_currency_exponent (self->currency), 0);
  /* A day too large to add up comes as G_MAXINT64: the axis stops well short of
   * it, so that the tick arithmetic cannot overflow, and its bar is full height. */
  max = CLAMP (max_value (self), 1, G_MAXINT64 / 16);
  step = tick_step (max, exponent);
  top = ((max + step - 1) / step) * step;

  for (gint64 value = 0; value <= top; value += step)
    {
      double y = area.origin.y + area.size.height * (1.0 - (double) value / top);
      g_autofree char *label = np_money_format_plain (value, self->currency);

      gtk_snapshot_append_color (snapshot, grid, &GRAPHENE_RECT_INIT (area.origin.x, floor (y), area.size.width, 1));
      append_text (self, snapshot, label, area.origin.x - 6, y, 1.0, text);
    }

  slot = area.size.width / self->points->len;
  bar = MAX (slot * 0.35, 1);
  label_every = MAX (1, (guint) ceil (56.0 / slot));

  for (guint i = 0; i < self->points->len; i++)
    {
      const NpChartPoint *p = &g_array_index (self->points, NpChartPoint, i);
      double x = area.origin.x + slot * i + (slot - 2 * bar) / 2;
      double paid_h = area.size.height * MIN ((double) p->paid / top, 1.0);
      double refunded_h = area.size.height * MIN ((double) p->refunded / top, 1.0);

      if ((int) i == self->hovered)
        gtk_snapshot_append_color (snapshot, grid,
                                   &GRAPHENE_RECT_INIT (area.origin.x + slot * i, area.origin.y, slot, area.size.height));

      gtk_snapshot_append_color (snapshot, paid,
                                 &GRAPHENE_RECT_INIT (x, area.origin.y + area.size.height - paid_h, bar, paid_h));
      gtk_snapshot_append_color (snapshot, refunded,
                                 &GRAPHENE_RECT_INIT (x + bar, area.origin.y + area.size.height - refunded_h,
                                                      bar, refunded_h));

      if (i % label_every == 0)
        {
          char day[32];

          g_date_strftime (day, sizeof day, "%d %b", &p->day);
          append_text (self, snapshot, day, area.origin.x + slot * (i + 0.5),
                       area.origin.y + area.size.height + MARGIN_BOTTOM / 2, 0.5, text);
        }
    }
}

static void
np_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  NpChart *self = NP_CHART (widget);
  graphene_rect_t area;
  GdkRGBA paid, refunded, text, grid;

  get_colors (self, &paid, &refunded, &text, &grid);
  append_legend (self, snapshot, &paid, &refunded, &text);

  if (plot_area (self, &area))
    append_bars (self, snapshot, &area, &paid, &refunded, &text, &grid);
}

static int
point_at (NpChart *self,
          double   x,
          double   y)
{
  graphene_rect_t area;
  int index;

  if (!plot_area (self, &area) || !graphene_rect_contains_point (&area, &GRAPHENE_POINT_INIT (x, y)))
    return -1;

  index = (int) ((x - area.origin.x) / (area.size.width / self->points->len));
  return CLAMP (index, 0, (int) self->points->len - 1);
}

static void
set_hovered (NpChart *self,
             int      hovered)
{
  if (self->hovered == hovered)
    return;

  self->hovered = hovered;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           NpChart                  *self)
{
  set_hovered (self, point_at (self, x, y));
}

static void
on_leave (GtkEventControllerMotion *controller,
          NpChart                  *self)
{
  set_hovered (self, -1);
}

static gboolean
np_chart_query_tooltip (GtkWidget  *widget,
                        int         x,
                        int         y,
                        gboolean    keyboard_mode,
                        GtkTooltip *tooltip)
{
  NpChart *self = NP_CHART (widget);
  const NpChartPoint *p;
  g_autofree char *paid = NULL;
  g_autofree char *refunded = NULL;
  g_autofree char *text = NULL;
  char day[64];
  int index = point_at (self, x, y);

  if (index < 0)
    return FALSE;

  p = &g_array_index (self->points, NpChartPoint, index);
  g_date_strftime (day, sizeof day, "%x", &p->day);
  paid = np_money_format (p->paid, self->currency);
  refunded = np_money_format (p->refunded, self->currency);
  /* Translators: a day in the chart: date, then paid and refunded amounts */
  text = g_strdup_printf (_("%s\nPaid: %s\nRefunded: %s"), day, paid, refunded);
  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static void
np_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 140;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 240;
}

static void
np_chart_finalize (GObject *object)
{
  NpChart *self = NP_CHART (object);

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (np_chart_parent_class)->finalize (object);
}

static void
np_chart_class_init (NpChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = np_chart_finalize;

  widget_class->snapshot = np_chart_snapshot;
  widget_class->measure = np_chart_measure;
  widget_class->query_tooltip = np_chart_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
np_chart_init (NpChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->points = g_array_new (FALSE, TRUE, sizeof (NpChartPoint));
  self->hovered = -1;

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  /* Redraw in the other palette when the style changes. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Daily paid and refunded amounts"),
                                  -1);
  update_accessible (self);
}
