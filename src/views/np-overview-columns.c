/* np-overview-columns.c — the Overview's two columns, stacked when narrow.
 *
 * libadwaita 1.2 has no breakpoints, and a GtkFlowBox decides by natural widths,
 * which long row subtitles make huge. This container decides by the width it is
 * given: wide enough, the children share it in equal columns; otherwise they are
 * stacked. Heights are height-for-width, so wrapped text is measured right.
 * Children are added in the .ui with <child>.
 */
#include "config.h"

#include "np-overview-columns.h"

#define DEFAULT_THRESHOLD 860
#define COLUMN_SPACING    36
#define ROW_SPACING       30

struct _NpOverviewColumns
{
  GtkWidget        parent_instance;

  int              threshold;
};

G_DEFINE_FINAL_TYPE (NpOverviewColumns, np_overview_columns, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_THRESHOLD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
np_overview_columns_is_side_by_side (NpOverviewColumns *self,
                                     int                width)
{
  g_return_val_if_fail (NP_IS_OVERVIEW_COLUMNS (self), FALSE);

  return width >= self->threshold;
}

static guint
count_visible (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      n++;

  return n;
}

static int
column_width (int   width,
              guint n)
{
  return n > 0 ? MAX (0, (width - COLUMN_SPACING * ((int)n - 1)) / (int)n) : width;
}

static void
np_overview_columns_measure (GtkWidget        *widget,
                             GtkOrientation    orientation,
                             int               for_size,
                             int              *minimum,
                             int              *natural,
                             int              *minimum_baseline,
                             int              *natural_baseline)
{
  NpOverviewColumns *self = NP_OVERVIEW_COLUMNS (widget);
  guint n = count_visible (widget);
  gboolean side_by_side = orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0 &&
                          np_overview_columns_is_side_by_side (self, for_size);
  int child_for_size = side_by_side ? column_width (for_size, n) : for_size;
  int min = 0, nat = 0;
  guint i = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;

      /* Widths do not depend on the height here (height-for-width): measuring
       * them for a height made every wrapped label below search for its width. */
      gtk_widget_measure (child, orientation, orientation == GTK_ORIENTATION_HORIZONTAL ? -1 : child_for_size,
                          &child_min, &child_nat, NULL, NULL);

      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          /* Narrow enough to stack, but wide enough to want columns. */
          min = MAX (min, child_min);
          nat += child_nat + (i > 0 ? COLUMN_SPACING : 0);
        }
      else if (side_by_side)
        {
          min = MAX (min, child_min);
          nat = MAX (nat, child_nat);
        }
      else
        {
          min += child_min + (i > 0 ? ROW_SPACING : 0);
          nat += child_nat + (i > 0 ? ROW_SPACING : 0);
        }
      i++;
    }

  *minimum = min;
  *natural = MAX (min, nat);
}

static void
np_overview_columns_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  NpOverviewColumns *self = NP_OVERVIEW_COLUMNS (widget);
  guint n = count_visible (widget);
  gboolean side_by_side = np_overview_columns_is_side_by_side (self, width);
  int column = column_width (width, n);
  int x = 0, y = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      int child_height;

      if (!gtk_widget_should_layout (child))
        continue;

      if (side_by_side)
        {
          gtk_widget_size_allocate (child, &(GtkAllocation) { x, 0, column, height }, -1);
          x += column + COLUMN_SPACING;
        }
      else
        {
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, NULL, &child_height, NULL, NULL);
          gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, child_height }, -1);
          y += child_height + ROW_SPACING;
        }
    }
}

static GtkSizeRequestMode
np_overview_columns_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

GtkWidget *
np_overview_columns_new (void)
{
  return g_object_new (NP_TYPE_OVERVIEW_COLUMNS, NULL);
}

static void
np_overview_columns_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (np_overview_columns_parent_class)->dispose (object);
}

static void
np_overview_columns_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  NpOverviewColumns *self = NP_OVERVIEW_COLUMNS (object);

  switch (prop_id)
    {
    case PROP_THRESHOLD:
      g_value_set_int (value, self->threshold);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_overview_columns_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  NpOverviewColumns *self = NP_OVERVIEW_COLUMNS (object);

  switch (prop_id)
    {
    case PROP_THRESHOLD:
      if (self->threshold != g_value_get_int (value))
        {
          self->threshold = g_value_get_int (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_overview_columns_class_init (NpOverviewColumnsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_overview_columns_dispose;
  object_class->get_property = np_overview_columns_get_property;
  object_class->set_property = np_overview_columns_set_property;
  widget_class->measure = np_overview_columns_measure;
  widget_class->size_allocate = np_overview_columns_size_allocate;
  widget_class->get_request_mode = np_overview_columns_get_request_mode;

  properties[PROP_THRESHOLD] =
    g_param_spec_int ("threshold", NULL, NULL,
                      0, G_MAXINT, DEFAULT_THRESHOLD,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_overview_columns_init (NpOverviewColumns *self)
{
  self->threshold = DEFAULT_THRESHOLD;
}
