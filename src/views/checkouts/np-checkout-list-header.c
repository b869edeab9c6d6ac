/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-list-header.c — the column titles above the checkouts list. */
#include "config.h"

#include <glib/gi18n.h>

#include "np-checkout-columns.h"
#include "np-checkout-list-header.h"

struct _NpCheckoutListHeader
{
  GtkWidget       parent_instance;

  GtkWidget      *titles[NP_CHECKOUT_N_COLUMNS];  /* a button where the column sorts */
  GtkWidget      *arrows[NP_CHECKOUT_N_COLUMNS];
  NpCheckoutSort  sort;
  gboolean        descending;
};

G_DEFINE_FINAL_TYPE (NpCheckoutListHeader, np_checkout_list_header, GTK_TYPE_WIDGET)

enum {
  SORT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_sort (NpCheckoutListHeader *self)
{
  for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
    {
      gboolean sorted = np_checkout_column_get_sort (i) == (int) self->sort;
      GtkAccessibleSort state = GTK_ACCESSIBLE_SORT_NONE;

      if (self->arrows[i] == NULL)
        continue;

      gtk_widget_set_opacity (self->arrows[i], sorted ? 1.0 : 0.0);
      gtk_image_set_from_icon_name (GTK_IMAGE (self->arrows[i]),
                                    self->descending ? "pan-down-symbolic" : "pan-up-symbolic");
      if (sorted)
        state = self->descending ? GTK_ACCESSIBLE_SORT_DESCENDING : GTK_ACCESSIBLE_SORT_ASCENDING;
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->titles[i]), GTK_ACCESSIBLE_PROPERTY_SORT, state, -1);
    }
}

static void
on_title_clicked (GtkButton            *button,
                  NpCheckoutListHeader *self)
{
  NpCheckoutColumn column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "np-column"));
  NpCheckoutSort sort = np_checkout_column_get_sort (column);

  /* Like GTK's column view: a new column sorts up, the same column turns round. */
  np_checkout_list_header_set_sort (self, sort, sort == self->sort ? !self->descending : FALSE);
}

static GtkWidget *
create_title (NpCheckoutListHeader *self,
              NpCheckoutColumn      column)
{
  GtkWidget *label = gtk_label_new (np_checkout_column_get_title (column));
  GtkWidget *box, *button;

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), column == NP_CHECKOUT_COLUMN_AMOUNT ? 1.0 : 0.0);
  gtk_widget_set_hexpand (label, TRUE);

  if (np_checkout_column_get_sort (column) < 0)
    {
      gtk_widget_add_css_class (label, "np-column-title");
      return label;
    }

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  self->arrows[column] = gtk_image_new ();
  /* The amount's title ends where the amounts end, its arrow before it. */
  if (column == NP_CHECKOUT_COLUMN_AMOUNT)
    {
      gtk_widget_set_hexpand (label, FALSE);
      gtk_widget_set_halign (box, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (box), self->arrows[column]);
    }
  gtk_box_append (GTK_BOX (box), label);
  if (column != NP_CHECKOUT_COLUMN_AMOUNT)
    gtk_box_append (GTK_BOX (box), self->arrows[column]);

  button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "np-column-title");
  gtk_widget_set_tooltip_text (button, _("Sort by this column"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  np_checkout_column_get_title (column), -1);
  g_object_set_data (G_OBJECT (button), "np-column", GUINT_TO_POINTER (column));
  g_signal_connect (button, "clicked", G_CALLBACK (on_title_clicked), self);

  return button;
}

static void
np_checkout_list_header_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  NpCheckoutListHeader *self = NP_CHECKOUT_LIST_HEADER (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = *natural = np_checkout_columns_get_min_width ();
      return;
    }

  *minimum = *natural = 0;
  for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
    {
      int child_min, child_nat;

      gtk_widget_measure (self->titles[i], orientation, -1, &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
}

static void
np_checkout_list_header_size_allocate (GtkWidget *widget,
                                       int        width,
                                       int        height,
                                       int        baseline)
{
  NpCheckoutListHeader *self = NP_CHECKOUT_LIST_HEADER (widget);
  NpCheckoutColumnArea areas[NP_CHECKOUT_N_COLUMNS];

  np_checkout_columns_layout (width, gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL, areas);

  for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
    {
      int child_min;

      gtk_widget_set_child_visible (self->titles[i], areas[i].width > 0);
      if (areas[i].width <= 0)
        continue;

      /* A button's padding lies outside the column, so its text lines up with the rows'. */
      gtk_widget_measure (self->titles[i], GTK_ORIENTATION_HORIZONTAL, -1, &child_min, NULL, NULL, NULL);
      gtk_widget_size_allocate (self->titles[i],
                                &(GtkAllocation) { areas[i].x, 0, MAX (areas[i].width, child_min), height },
                                -1);
    }
}

static void
np_checkout_list_header_dispose (GObject *object)
{
  NpCheckoutListHeader *self = NP_CHECKOUT_LIST_HEADER (object);

  for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
    {
      g_clear_pointer (&self->titles[i], gtk_widget_unparent);
      self->arrows[i] = NULL;
    }

  G_OBJECT_CLASS (np_checkout_list_header_parent_class)->dispose (object);
}

static void
np_checkout_list_header_class_init (NpCheckoutListHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_checkout_list_header_dispose;

  widget_class->measure = np_checkout_list_header_measure;
  widget_class->size_allocate = np_checkout_list_header_size_allocate;

  /**
   * NpCheckoutListHeader::sort-changed:
   *
   * The order asked for changed, by a click or np_checkout_list_header_set_sort ().
   */
  signals[SORT_CHANGED] =
    g_signal_new ("sort-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "np-checkout-list-header");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
np_checkout_list_header_init (NpCheckoutListHeader *self)
{
  self->sort = NP_CHECKOUT_SORT_CREATED;
  self->descending = TRUE;

  for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
    {
      self->titles[i] = create_title (self, i);
      gtk_widget_set_parent (self->titles[i], GTK_WIDGET (self));
    }
  show_sort (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Columns"), -1);
}

GtkWidget *
np_checkout_list_header_new (void)
{
  return g_object_new (NP_TYPE_CHECKOUT_LIST_HEADER, NULL);
}

void
np_checkout_list_header_set_sort (NpCheckoutListHeader *self,
                                  NpCheckoutSort        sort,
                                  gboolean              descending)
{
  g_return_if_fail (NP_IS_CHECKOUT_LIST_HEADER (self));
  g_return_if_fail (np_checkout_column_for_sort (sort) < NP_CHECKOUT_N_COLUMNS);

  descending = !!descending;
  if (self->sort == sort && self->descending == descending)
    return;

  self->sort = sort;
  self->descending = descending;
  show_sort (self);
  g_signal_emit (self, signals[SORT_CHANGED], 0);
}

NpCheckoutSort
np_checkout_list_header_get_sort (NpCheckoutListHeader *self,
                                  gboolean             *out_descending)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_LIST_HEADER (self), NP_CHECKOUT_SORT_CREATED);

  if (out_descending != NULL)
    *out_descending = self->descending;
  return self->sort;
}
