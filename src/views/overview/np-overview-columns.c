/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-overview-columns.c — the Overview's two columns, stacked when narrow.
 *
 * libadwaita 1.2 has no breakpoints, and a GtkFlowBox decides by natural widths,
 * which long row subtitles make huge. This container decides by the width it is
 * given: wide enough, the children share it in equal columns; otherwise they are
 * stacked. Heights are height-for-width, so wrapped text is measured right.
 * Children are added in the .ui with <child>.
 *
 * Each child is also kept to a readable width ("column-maximum", eased in from
 * "column-tightening" on, as AdwClamp does) and centred in its column. An
 * AdwClamp around each child did that before, but libadwaita 1.2's clamp asks
 * its child for its width at its allocated height when it allocates, and every
 * wrapped label below then searched for the width that fits that height, a
 * Pango layout a step.
 */
#include "config.h"

#include <math.h>

#include "np-overview-columns.h"

#define DEFAULT_THRESHOLD 860
#define COLUMN_SPACING    36
#define ROW_SPACING       30
/* AdwClamp's easing: a cubic ease-out, whose slope at the start is 3. */
#define EASE_OUT_SLOPE    3.0

struct _NpOverviewColumns
{
  GtkWidget        parent_instance;

  int              threshold;
  int              column_maximum;    /* -1: a child takes its whole column */
  int              column_tightening;
};

G_DEFINE_FINAL_TYPE (NpOverviewColumns, np_overview_columns, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_THRESHOLD,
  PROP_COLUMN_MAXIMUM,
  PROP_COLUMN_TIGHTENING,
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

/* The clamp's range for @child: up to @lower it gets all it is given, from
 * @lower to @upper a growing share of it, eased towards @maximum, and from
 * @upper on just @maximum. FALSE when nothing is clamped. */
static gboolean
clamp_range (NpOverviewColumns *self,
             GtkWidget         *child,
             double            *lower,
             double            *upper,
             double            *maximum)
{
  int child_min = 0;

  if (self->column_maximum < 0)
    return FALSE;

  /* A width without a height: cached, and no wrapped label searches. */
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, NULL, NULL, NULL);
  *lower = MAX (MIN (self->column_tightening, self->column_maximum), child_min);
  *maximum = MAX (*lower, self->column_maximum);
  *upper = *lower + EASE_OUT_SLOPE * (*maximum - *lower);

  return TRUE;
}

/* The width @child gets of a column @width wide. */
static int
child_width_in_column (NpOverviewColumns *self,
                       GtkWidget         *child,
                       int                width)
{
  double lower, upper, maximum, progress;

  if (!clamp_range (self, child, &lower, &upper, &maximum) || width <= lower)
    return width;
  if (width >= upper)
    return (int) ceil (maximum);

  progress = (width - lower) / (upper - lower);
  return (int) floor (lower + (maximum - lower) * (1 - pow (1 - progress, 3)));
}

/* The column width at which @child gets @child_width: the inverse of the above,
 * for the widths the columns report. */
static int
column_width_for_child (NpOverviewColumns *self,
                        GtkWidget         *child,
                        int                child_width)
{
  double lower, upper, maximum, progress;

  if (!clamp_range (self, child, &lower, &upper, &maximum) || child_width <= lower)
    return child_width;
  if (child_width >= maximum)
    return (int) ceil (upper);

  progress = 1 + cbrt ((child_width - lower) / (maximum - lower) - 1);
  return (int) ceil (lower + (upper - lower) * progress);
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
  int column = side_by_side ? column_width (for_size, n) : for_size;
  int min = 0, nat = 0;
  guint i = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;

      /* Widths do not depend on the height here (height-for-width): measuring
       * them for a height made every wrapped label below search for its width. */
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          child_min = column_width_for_child (self, child, child_min);
          child_nat = column_width_for_child (self, child, child_nat);
        }
      else
        gtk_widget_measure (child, orientation, column < 0 ? -1 : child_width_in_column (self, child, column),
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
      int child_width, child_height;

      if (!gtk_widget_should_layout (child))
        continue;

      if (side_by_side)
        {
          child_width = child_width_in_column (self, child, column);
          gtk_widget_size_allocate (child, &(GtkAllocation) { x + (column - child_width) / 2, 0, child_width, height }, -1);
          x += column + COLUMN_SPACING;
        }
      else
        {
          child_width = child_width_in_column (self, child, width);
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, child_width, NULL, &child_height, NULL, NULL);
          gtk_widget_size_allocate (child, &(GtkAllocation) { (width - child_width) / 2, y, child_width, child_height }, -1);
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
    case PROP_COLUMN_MAXIMUM:
      g_value_set_int (value, self->column_maximum);
      break;
    case PROP_COLUMN_TIGHTENING:
      g_value_set_int (value, self->column_tightening);
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
  int *field;

  switch (prop_id)
    {
    case PROP_THRESHOLD:
      field = &self->threshold;
      break;
    case PROP_COLUMN_MAXIMUM:
      field = &self->column_maximum;
      break;
    case PROP_COLUMN_TIGHTENING:
      field = &self->column_tightening;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (*field != g_value_get_int (value))
    {
      *field = g_value_get_int (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      g_object_notify_by_pspec (object, pspec);
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
  properties[PROP_COLUMN_MAXIMUM] =
    g_param_spec_int ("column-maximum", NULL, NULL,
                      -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLUMN_TIGHTENING] =
    g_param_spec_int ("column-tightening", NULL, NULL,
                      0, G_MAXINT, 400,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_overview_columns_init (NpOverviewColumns *self)
{
  self->threshold = DEFAULT_THRESHOLD;
  self->column_maximum = -1;
  self->column_tightening = 400;
}
