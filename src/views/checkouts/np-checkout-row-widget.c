/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-row-widget.c — one row of the checkouts list, drawn whole.
 *
 * An NpRowList rebinds its rows as it scrolls, a screenful per frame: binding
 * only keeps the row, and a row makes its Pango layouts, and lays out its text,
 * when first drawn. Its CSS node is the theme's list row, so it looks and
 * highlights as the rows of any GNOME list.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-checkout-columns.h"
#include "np-checkout-row-widget.h"
#include "np-status-badge.h"

#define VERTICAL_PADDING 6
/* The status pill, as .np-status in style.css draws the badge elsewhere. */
#define BADGE_PADDING_X 8
#define BADGE_PADDING_Y 2

struct _NpCheckoutRowWidget
{
  GtkWidget             parent_instance;

  NpCheckoutRow        *row;
  gboolean              laid_out;       /* the layouts show row */
  PangoLayout          *layouts[NP_CHECKOUT_N_COLUMNS];  /* NULL until drawn */
  gboolean              status_italic;  /* the status layout's style */
  NpCheckoutColumnArea  areas[NP_CHECKOUT_N_COLUMNS];
};

G_DEFINE_FINAL_TYPE (NpCheckoutRowWidget, np_checkout_row_widget, GTK_TYPE_WIDGET)

typedef struct {
  const char *background;  /* a named colour of the theme, with its alpha */
  double      alpha;
  const char *foreground;  /* NULL: the row's text colour */
  gboolean    italic;
} BadgeStyle;

static const BadgeStyle *
badge_style (NpCheckoutStatus status)
{
  static const BadgeStyle created = { "accent_bg_color", 0.15, "accent_color", FALSE };
  static const BadgeStyle reserved = { "warning_bg_color", 0.2, "warning_color", FALSE };
  static const BadgeStyle paid = { "success_bg_color", 0.2, "success_color", FALSE };
  static const BadgeStyle settled = { "view_fg_color", 0.1, NULL, FALSE };
  static const BadgeStyle failed = { "error_bg_color", 0.2, "error_color", FALSE };
  static const BadgeStyle unknown = { "view_fg_color", 0.1, NULL, TRUE };

  switch (status)
    {
    case NP_CHECKOUT_STATUS_CREATED:
      return &created;
    case NP_CHECKOUT_STATUS_RESERVED:
      return &reserved;
    case NP_CHECKOUT_STATUS_PAID:
      return &paid;
    case NP_CHECKOUT_STATUS_PARTIAL_REFUND:
    case NP_CHECKOUT_STATUS_REFUNDED:
    case NP_CHECKOUT_STATUS_RESERVE_RELEASED:
      return &settled;
    case NP_CHECKOUT_STATUS_FAILED:
    case NP_CHECKOUT_STATUS_CANCELED:
    case NP_CHECKOUT_STATUS_REVOKED:
      return &failed;
    case NP_CHECKOUT_STATUS_UNKNOWN:
    default:
      return &unknown;
    }
}

static PangoLayout *
create_layout (NpCheckoutRowWidget *self,
               guint                column)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);

  switch (column)
    {
    case NP_CHECKOUT_COLUMN_ID:
    case NP_CHECKOUT_COLUMN_CUSTOMER:
      pango_attr_list_insert (attrs, pango_attr_family_new ("monospace"));
      break;
    case NP_CHECKOUT_COLUMN_AMOUNT:
      /* Figures of one width, so amounts line up at their right edge. */
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      break;
    case NP_CHECKOUT_COLUMN_STATUS:
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      break;
    default:
      break;
    }
  pango_layout_set_attributes (layout, attrs);

  return layout;
}

/* The status pill's layout of a status, shared by every row that shows it: a
 * handful of statuses, each shaped and measured once for the list rather than
 * in every row a search binds to a new checkout. Made with the list's context
 * (the rows' fonts, as get_row_height () reads them), forgotten when its fonts
 * change; one per text, style and width. */
static PangoLayout *
shared_status_layout (NpCheckoutRowWidget *self)
{
  static GHashTable *layouts;  /* "width/italic/text" -> PangoLayout */
  static PangoContext *cached_context;
  static guint cached_serial;
  PangoLayout *own = self->layouts[NP_CHECKOUT_COLUMN_STATUS];
  GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (self));
  PangoContext *context = gtk_widget_get_pango_context (list != NULL ? list : GTK_WIDGET (self));
  g_autofree char *key = NULL;
  PangoLayout *layout;

  if (layouts == NULL)
    layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  if (context != cached_context || pango_context_get_serial (context) != cached_serial ||
      g_hash_table_size (layouts) > 64)
    {
      g_hash_table_remove_all (layouts);
      g_set_weak_pointer (&cached_context, context);
      cached_serial = pango_context_get_serial (context);
    }

  key = g_strdup_printf ("%d/%d/%s", pango_layout_get_width (own), self->status_italic,
                         pango_layout_get_text (own));
  layout = g_hash_table_lookup (layouts, key);
  if (layout == NULL)
    {
      layout = pango_layout_new (context);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (layout, TRUE);
      pango_layout_set_attributes (layout, pango_layout_get_attributes (own));
      pango_layout_set_width (layout, pango_layout_get_width (own));
      pango_layout_set_text (layout, pango_layout_get_text (own), -1);
      g_hash_table_insert (layouts, g_steal_pointer (&key), layout);
    }

  return layout;
}

static void
set_layout_width (NpCheckoutRowWidget *self,
                  guint                column)
{
  int width = self->areas[column].width;

  /* The pill's padding comes out of its column. */
  if (column == NP_CHECKOUT_COLUMN_STATUS)
    width -= 2 * BADGE_PADDING_X;
  pango_layout_set_width (self->layouts[column], MAX (width, 0) * PANGO_SCALE);
}

/* Puts the row's text in the layouts, and tells assistive technologies the row
 * as it reads across. A layout whose text the new row shares with the last
 * (a status, a currency, a day) keeps its shaped text: setting it again would
 * shape it again. */
static void
lay_out_row (NpCheckoutRowWidget *self)
{
  g_autoptr(GString) label = g_string_new (NULL);

  if (self->layouts[0] == NULL)
    for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
      {
        self->layouts[i] = create_layout (self, i);
        set_layout_width (self, i);
      }

  for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
    {
      g_autofree char *text = self->row != NULL ? np_checkout_column_dup_text (i, self->row) : NULL;
      const char *shown = text != NULL ? text : "";

      if (strcmp (pango_layout_get_text (self->layouts[i]), shown) != 0)
        pango_layout_set_text (self->layouts[i], shown, -1);
      if (*shown != '\0')
        {
          if (label->len > 0)
            g_string_append (label, ", ");
          g_string_append (label, shown);
        }
    }

  if (self->row != NULL &&
      badge_style (np_checkout_row_get_status (self->row))->italic != self->status_italic)
    {
      PangoLayout *status = self->layouts[NP_CHECKOUT_COLUMN_STATUS];
      g_autoptr(PangoAttrList) attrs = pango_attr_list_copy (pango_layout_get_attributes (status));

      self->status_italic = !self->status_italic;
      pango_attr_list_change (attrs, pango_attr_style_new (self->status_italic ? PANGO_STYLE_ITALIC
                                                                                : PANGO_STYLE_NORMAL));
      pango_layout_set_attributes (status, attrs);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label->str, -1);
  self->laid_out = TRUE;
}

/* Every row is one line high whatever it shows, so binding new text never
 * needs a new measurement of the list: the height follows the fonts only. */
static int
get_row_height (NpCheckoutRowWidget *self)
{
  /* The list's fonts are the rows': asking the list keeps each row from making
   * a Pango context and reading font metrics just to be measured. One list's
   * answer serves every row until its fonts change. */
  static PangoContext *measured_context;
  static guint measured_serial;
  static int height;
  GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (self));
  PangoContext *context = gtk_widget_get_pango_context (list != NULL ? list : GTK_WIDGET (self));

  if (context != measured_context || pango_context_get_serial (context) != measured_serial)
    {
      PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);

      height = PANGO_PIXELS_CEIL (pango_font_metrics_get_height (metrics)) + 2 * VERTICAL_PADDING;
      pango_font_metrics_unref (metrics);
      g_set_weak_pointer (&measured_context, context);
      measured_serial = pango_context_get_serial (context);
    }

  return height;
}

static void
np_checkout_row_widget_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  NpCheckoutRowWidget *self = NP_CHECKOUT_ROW_WIDGET (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = np_checkout_columns_get_min_width ();
  else
    *minimum = *natural = get_row_height (self);
}

static void
np_checkout_row_widget_size_allocate (GtkWidget *widget,
                                      int        width,
                                      int        height,
                                      int        baseline)
{
  NpCheckoutRowWidget *self = NP_CHECKOUT_ROW_WIDGET (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;

  np_checkout_columns_layout (width, rtl, self->areas);

  if (self->layouts[0] != NULL)
    for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
      set_layout_width (self, i);
}

static void
snapshot_badge (NpCheckoutRowWidget *self,
                GtkSnapshot         *snapshot,
                const GdkRGBA       *text_color)
{
  const NpCheckoutColumnArea *area = &self->areas[NP_CHECKOUT_COLUMN_STATUS];
  PangoLayout *layout = shared_status_layout (self);
  const BadgeStyle *style = badge_style (np_checkout_row_get_status (self->row));
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  GdkRGBA background, foreground = *text_color;
  PangoRectangle ink, logical;
  GskRoundedRect pill;
  float width, height, x, y;

  pango_layout_get_pixel_extents (layout, &ink, &logical);
  width = logical.width + 2 * BADGE_PADDING_X;
  height = logical.height + 2 * BADGE_PADDING_Y;
  x = rtl ? area->x + area->width - width : area->x;
  y = (gtk_widget_get_height (GTK_WIDGET (self)) - height) / 2;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (context, style->background, &background))
    background = *text_color;
  if (style->foreground != NULL && !gtk_style_context_lookup_color (context, style->foreground, &foreground))
    foreground = *text_color;
  G_GNUC_END_IGNORE_DEPRECATIONS
  background.alpha *= style->alpha;

  gsk_rounded_rect_init_from_rect (&pill, &GRAPHENE_RECT_INIT (x, y, width, height), height / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &pill);
  gtk_snapshot_append_color (snapshot, &background, &pill.bounds);
  gtk_snapshot_pop (snapshot);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + BADGE_PADDING_X - logical.x, y + BADGE_PADDING_Y));
  gtk_snapshot_append_layout (snapshot, layout, &foreground);
  gtk_snapshot_restore (snapshot);
}

static void
np_checkout_row_widget_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  NpCheckoutRowWidget *self = NP_CHECKOUT_ROW_WIDGET (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA color;

  if (self->row == NULL)
    return;
  if (!self->laid_out)
    lay_out_row (self);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
    {
      const NpCheckoutColumnArea *area = &self->areas[i];
      int text_height;

      if (area->width <= 0)
        continue;

      if (i == NP_CHECKOUT_COLUMN_STATUS)
        {
          snapshot_badge (self, snapshot, &color);
          continue;
        }

      pango_layout_get_pixel_size (self->layouts[i], NULL, &text_height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (area->x, (height - text_height) / 2));
      gtk_snapshot_append_layout (snapshot, self->layouts[i], &color);
      gtk_snapshot_restore (snapshot);
    }
}

static gboolean
np_checkout_row_widget_query_tooltip (GtkWidget  *widget,
                                      int         x,
                                      int         y,
                                      gboolean    keyboard_mode,
                                      GtkTooltip *tooltip)
{
  NpCheckoutRowWidget *self = NP_CHECKOUT_ROW_WIDGET (widget);
  g_autofree char *text = NULL;
  NpCheckoutColumn column;

  if (self->row == NULL)
    return FALSE;

  column = np_checkout_columns_at (self->areas, x);
  if (column == NP_CHECKOUT_N_COLUMNS)
    return FALSE;

  text = np_checkout_column_dup_tooltip (column, self->row);
  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
np_checkout_row_widget_dispose (GObject *object)
{
  NpCheckoutRowWidget *self = NP_CHECKOUT_ROW_WIDGET (object);

  g_clear_object (&self->row);
  for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
    g_clear_object (&self->layouts[i]);

  G_OBJECT_CLASS (np_checkout_row_widget_parent_class)->dispose (object);
}

static void
np_checkout_row_widget_class_init (NpCheckoutRowWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_checkout_row_widget_dispose;

  widget_class->measure = np_checkout_row_widget_measure;
  widget_class->size_allocate = np_checkout_row_widget_size_allocate;
  widget_class->snapshot = np_checkout_row_widget_snapshot;
  widget_class->query_tooltip = np_checkout_row_widget_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
}

static void
np_checkout_row_widget_init (NpCheckoutRowWidget *self)
{
  /* The tooltip text is made when it is shown, never while binding: in GTK 4.8
   * setting a tooltip asks the X server where the pointer is. */
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
np_checkout_row_widget_new (void)
{
  return g_object_new (NP_TYPE_CHECKOUT_ROW_WIDGET, NULL);
}

NpCheckoutRow *
np_checkout_row_widget_get_row (NpCheckoutRowWidget *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW_WIDGET (self), NULL);

  return self->row;
}

void
np_checkout_row_widget_set_row (NpCheckoutRowWidget *self,
                                NpCheckoutRow       *row)
{
  g_return_if_fail (NP_IS_CHECKOUT_ROW_WIDGET (self));
  g_return_if_fail (row == NULL || NP_IS_CHECKOUT_ROW (row));

  if (!g_set_object (&self->row, row))
    return;

  /* New text in the same columns: laid out when drawn, a redraw and not a new
   * layout of the list. */
  self->laid_out = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
np_checkout_row_widget_get_text (NpCheckoutRowWidget *self,
                                 guint                column)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW_WIDGET (self), NULL);
  g_return_val_if_fail (column < NP_CHECKOUT_N_COLUMNS, NULL);

  if (!self->laid_out || self->layouts[column] == NULL || self->areas[column].width <= 0)
    return NULL;

  return pango_layout_get_text (self->layouts[column]);
}
