/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-row-list.c — a scrolled list of rows of one height that has widgets only for
 * the rows on show.
 *
 * The checkouts list holds hundreds of thousands of rows, and a search replaces
 * them at each keystroke. A GtkListView of GTK 4.8 keeps 200 row widgets bound
 * around what it shows, binds them all again after each change, and destroys
 * widgets whenever the rows fall under 200 (a narrowing search) and makes them
 * again when they grow back: most of a keystroke's time. Rows of one height need
 * none of that, since the row at a given height is a division. This list keeps
 * one widget per row that fits in its height, plus two for the rows cut at the
 * edges, rebinds a widget only when the position it shows changes, and keeps
 * its widgets for as long as it lives.
 *
 * It behaves as a GtkListView with a GtkMultiSelection: a click or an arrow key
 * selects one row, Ctrl with a click toggles a row and with an arrow key moves
 * the focus alone, Shift extends the selection from the last row chosen, Ctrl+A
 * selects every row. Rows are focusable list items that say whether they are
 * selected; when the focused row scrolls away, the list itself keeps the focus
 * and the next arrow key goes on from that row.
 */
#include "config.h"

#include "np-row-list.h"

#define UNBOUND G_MAXUINT

typedef struct {
  GtkWidget *widget;
  guint      position;  /* UNBOUND while it shows nothing */
} Row;

struct _NpRowList
{
  GtkWidget          parent_instance;

  GtkSelectionModel *model;
  GtkAdjustment     *hadjustment;
  GtkAdjustment     *vadjustment;
  guint              hscroll_policy : 1;
  guint              vscroll_policy : 1;

  NpRowListMakeRow   make_row;
  NpRowListBindRow   bind_row;
  gpointer           row_data;

  GArray            *rows;          /* of Row, made as the list grows taller */
  guint              n_items;
  int                row_height;    /* with the row's CSS box; 0 until measured */
  int                view_height;   /* as last allocated */
  guint              cursor;        /* the row that has or last had the focus */
  guint              anchor;        /* where Shift extends the selection from */
  guint              pending_scroll; /* asked for before the first allocation */
};

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS,
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE_WITH_CODE (NpRowList, np_row_list, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

/* Rows ------------------------------------------------------------------------ */

/* A row says whether it is selected even when it is not: it can be. */
static void
update_row_selected (NpRowList *self,
                     Row       *row,
                     gboolean   rebound)
{
  gboolean selected = gtk_selection_model_is_selected (self->model, row->position);
  gboolean shown = (gtk_widget_get_state_flags (row->widget) & GTK_STATE_FLAG_SELECTED) != 0;

  if (selected == shown && !rebound)
    return;

  if (selected)
    gtk_widget_set_state_flags (row->widget, GTK_STATE_FLAG_SELECTED, FALSE);
  else
    gtk_widget_unset_state_flags (row->widget, GTK_STATE_FLAG_SELECTED);
  gtk_accessible_update_state (GTK_ACCESSIBLE (row->widget), GTK_ACCESSIBLE_STATE_SELECTED, selected, -1);
}

static void
bind_position (NpRowList *self,
               Row       *row,
               guint      position)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  row->position = position;
  self->bind_row (row->widget, item, self->row_data);
  update_row_selected (self, row, TRUE);
  gtk_widget_set_child_visible (row->widget, TRUE);
}

static void
release_row (NpRowList *self,
             Row       *row)
{
  if (row->position == UNBOUND && !gtk_widget_get_child_visible (row->widget))
    return;

  row->position = UNBOUND;
  self->bind_row (row->widget, NULL, self->row_data);
  gtk_widget_set_child_visible (row->widget, FALSE);
}

static void
add_row (NpRowList *self)
{
  Row row = { self->make_row (self->row_data), UNBOUND };

  gtk_widget_set_focusable (row.widget, TRUE);
  gtk_widget_add_css_class (row.widget, "activatable");
  gtk_widget_set_child_visible (row.widget, FALSE);
  gtk_widget_set_parent (row.widget, GTK_WIDGET (self));
  g_array_append_val (self->rows, row);
}

static Row *
find_row (NpRowList *self,
          guint      position)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (row->position == position)
        return row;
    }

  return NULL;
}

static Row *
focused_row (NpRowList *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (gtk_widget_get_state_flags (row->widget) & GTK_STATE_FLAG_FOCUS_WITHIN)
        return row;
    }

  return NULL;
}

/* The positions on show: from the row cut at the top to the one cut at the bottom. */
static void
get_shown_range (NpRowList *self,
                 guint     *first,
                 guint     *n_shown)
{
  double value = gtk_adjustment_get_value (self->vadjustment);

  *first = 0;
  *n_shown = 0;
  if (self->model == NULL || self->row_height <= 0 || self->view_height <= 0)
    return;

  *first = MIN ((guint) (MAX (value, 0) / self->row_height), self->n_items);
  *n_shown = MIN (self->n_items - *first, (guint) (self->view_height / self->row_height + 2));
}

/* Gives each position on show a row: rows keep the position they show, and
 * only the rows left over are bound to the positions left. */
static void
assign_rows (NpRowList *self)
{
  g_autofree Row **slots = NULL;
  g_autoptr(GPtrArray) spare = g_ptr_array_new ();
  Row *focused = focused_row (self);
  guint focused_position = focused != NULL ? focused->position : UNBOUND;
  guint first, n_shown;

  get_shown_range (self, &first, &n_shown);
  while (self->rows->len < n_shown)
    add_row (self);

  slots = g_new0 (Row *, n_shown + 1);
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (row->position != UNBOUND && row->position >= first && row->position - first < n_shown &&
          slots[row->position - first] == NULL)
        slots[row->position - first] = row;
      else
        g_ptr_array_add (spare, row);
    }

  for (guint i = 0; i < n_shown; i++)
    if (slots[i] == NULL)
      bind_position (self, g_ptr_array_steal_index_fast (spare, spare->len - 1), first + i);

  for (guint i = 0; i < spare->len; i++)
    release_row (self, spare->pdata[i]);

  /* The focused row now shows another position, or nothing: the list holds the
   * focus, and the cursor stays where it was. */
  if (focused != NULL && focused->position != focused_position)
    gtk_root_set_focus (gtk_widget_get_root (GTK_WIDGET (self)), GTK_WIDGET (self));
}

/* Scrolling -------------------------------------------------------------------- */

static void
configure_vadjustment (NpRowList *self,
                       double     value)
{
  double page = MAX (self->view_height, 0);
  /* Never under the page: a scrolled window draws the rest as an overshoot. */
  double upper = MAX ((double) self->n_items * self->row_height, page);

  gtk_adjustment_configure (self->vadjustment, CLAMP (value, 0, upper - page), 0, upper,
                            self->row_height, page * 0.9, page);
}

static void
on_value_changed (NpRowList *self)
{
  assign_rows (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* Sets the value without the list hearing of it: the caller assigns the rows. */
static void
set_vadjustment_quietly (NpRowList *self,
                         double     value)
{
  g_signal_handlers_block_by_func (self->vadjustment, on_value_changed, self);
  configure_vadjustment (self, value);
  g_signal_handlers_unblock_by_func (self->vadjustment, on_value_changed, self);
}

static void
set_adjustment (NpRowList      *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment,
                gboolean        vertical)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*slot == adjustment)
    return;

  if (*slot != NULL)
    g_signal_handlers_disconnect_by_data (*slot, self);
  g_clear_object (slot);
  *slot = g_object_ref_sink (adjustment);
  if (vertical)
    g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (on_value_changed), self);
}

void
np_row_list_scroll_to (NpRowList *self,
                       guint      position)
{
  double value, top, bottom;

  g_return_if_fail (NP_IS_ROW_LIST (self));

  if (self->row_height <= 0 || self->view_height <= 0)
    {
      self->pending_scroll = position;
      return;
    }

  value = gtk_adjustment_get_value (self->vadjustment);
  top = (double) position * self->row_height;
  bottom = top + self->row_height - self->view_height;
  if (top < value)
    gtk_adjustment_set_value (self->vadjustment, top);
  else if (bottom > value)
    gtk_adjustment_set_value (self->vadjustment, bottom);
}

/* Selection and focus ------------------------------------------------------------ */

static gboolean
focus_position (NpRowList *self,
                guint      position)
{
  Row *row = find_row (self, position);

  self->cursor = position;
  if (row == NULL)
    return FALSE;

  return gtk_widget_grab_focus (row->widget);
}

/* Selects as GtkListView does: @modify toggles @position, @extend selects from
 * the anchor to it; with both, the range is added to the selection. */
static void
select_position (NpRowList *self,
                 guint      position,
                 gboolean   modify,
                 gboolean   extend)
{
  if (extend && self->anchor < self->n_items)
    {
      guint from = MIN (self->anchor, position);

      gtk_selection_model_select_range (self->model, from, MAX (self->anchor, position) - from + 1, !modify);
      return;
    }

  if (modify && gtk_selection_model_is_selected (self->model, position))
    gtk_selection_model_unselect_item (self->model, position);
  else
    gtk_selection_model_select_item (self->model, position, !modify);
  self->anchor = position;
}

/* Moves the focus by @amount rows (G_MININT, G_MAXINT: to the ends), selecting
 * the row it lands on unless only the focus moves (Ctrl). */
static void
move_cursor (NpRowList *self,
             int        amount,
             gboolean   modify,
             gboolean   extend)
{
  gint64 position;

  if (self->model == NULL || self->n_items == 0)
    return;

  if (amount == G_MININT)
    position = 0;
  else if (amount == G_MAXINT)
    position = self->n_items - 1;
  else if (self->cursor >= self->n_items)
    position = 0;
  else
    position = CLAMP ((gint64) self->cursor + amount, 0, (gint64) self->n_items - 1);

  np_row_list_scroll_to (self, position);
  if (!modify || extend)
    select_position (self, position, modify, extend);
  focus_position (self, position);
}

static void
move_cursor_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  NpRowList *self = NP_ROW_LIST (widget);
  int amount;
  gboolean modify, extend;

  g_variant_get (parameter, "(ibb)", &amount, &modify, &extend);
  if (g_str_equal (action_name, "list.move-page") && amount != G_MININT && amount != G_MAXINT)
    amount *= self->row_height > 0 ? MAX (self->view_height / self->row_height - 1, 1) : 1;
  move_cursor (self, amount, modify, extend);
}

static void
select_item_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  NpRowList *self = NP_ROW_LIST (widget);
  guint position;
  gboolean modify, extend;

  g_variant_get (parameter, "(ubb)", &position, &modify, &extend);
  if (self->model == NULL || position >= self->n_items)
    return;

  select_position (self, position, modify, extend);
  focus_position (self, position);
}

static void
select_cursor_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NpRowList *self = NP_ROW_LIST (widget);
  gboolean modify, extend;

  g_variant_get (parameter, "(bb)", &modify, &extend);
  if (self->model != NULL && self->cursor < self->n_items)
    select_position (self, self->cursor, modify, extend);
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  NpRowList *self = NP_ROW_LIST (widget);

  if (self->model == NULL)
    return;

  if (g_str_equal (action_name, "list.select-all"))
    gtk_selection_model_select_all (self->model);
  else
    gtk_selection_model_unselect_all (self->model);
}

static void
scroll_to_item_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  np_row_list_scroll_to (NP_ROW_LIST (widget), g_variant_get_uint32 (parameter));
}

static guint
position_at_y (NpRowList *self,
               double     y)
{
  double offset = y + gtk_adjustment_get_value (self->vadjustment);
  guint position;

  if (self->row_height <= 0 || offset < 0)
    return UNBOUND;

  position = offset / self->row_height;
  return position < self->n_items ? position : UNBOUND;
}

static void
on_click_pressed (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  NpRowList       *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  guint position = position_at_y (self, y);

  if (self->model == NULL || position == UNBOUND)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "list.select-item", "(ubb)", position,
                              (state & GDK_CONTROL_MASK) != 0, (state & GDK_SHIFT_MASK) != 0);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Tab enters the list at the row with the cursor, or the first on show, and
 * leaves it at once: moving within is for the arrow keys. */
static gboolean
np_row_list_focus (GtkWidget        *widget,
                   GtkDirectionType  direction)
{
  NpRowList *self = NP_ROW_LIST (widget);
  guint first, n_shown;

  if (gtk_widget_get_focus_child (widget) != NULL || gtk_widget_has_focus (widget))
    return FALSE;

  get_shown_range (self, &first, &n_shown);
  if (n_shown == 0)
    return FALSE;
  if (self->cursor >= first && self->cursor - first < n_shown)
    return focus_position (self, self->cursor);

  return focus_position (self, first);
}

static gboolean
np_row_list_grab_focus (GtkWidget *widget)
{
  if (np_row_list_focus (widget, GTK_DIR_TAB_FORWARD))
    return TRUE;

  return GTK_WIDGET_CLASS (np_row_list_parent_class)->grab_focus (widget);
}

/* The model ------------------------------------------------------------------------ */

/* Keeps a position after @position + @removed pointing at the same item. */
static guint
shift_position (guint position,
                guint changed,
                guint removed,
                guint added)
{
  if (position == UNBOUND || position < changed)
    return position;
  if (position < changed + removed)
    return UNBOUND;

  return position - removed + added;
}

static void
on_items_changed (NpRowList *self,
                  guint      position,
                  guint      removed,
                  guint      added)
{
  double value = gtk_adjustment_get_value (self->vadjustment);

  self->n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  /* Rows inserted or removed above the first on show leave the view on the
   * same rows. */
  if (self->row_height > 0 && added != removed &&
      (double) (position + removed) * self->row_height <= value)
    value += ((double) added - removed) * self->row_height;

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      row->position = shift_position (row->position, position, removed, added);
    }
  self->cursor = shift_position (self->cursor, position, removed, added);
  self->anchor = shift_position (self->anchor, position, removed, added);

  set_vadjustment_quietly (self, value);
  assign_rows (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
on_selection_changed (NpRowList *self,
                      guint      position,
                      guint      n_items)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (row->position != UNBOUND && row->position >= position && row->position - position < n_items)
        update_row_selected (self, row, FALSE);
    }
}

GtkSelectionModel *
np_row_list_get_model (NpRowList *self)
{
  g_return_val_if_fail (NP_IS_ROW_LIST (self), NULL);

  return self->model;
}

void
np_row_list_set_model (NpRowList         *self,
                       GtkSelectionModel *model)
{
  g_return_if_fail (NP_IS_ROW_LIST (self));
  g_return_if_fail (model == NULL || GTK_IS_SELECTION_MODEL (model));
  g_return_if_fail (model == NULL || self->make_row != NULL);

  if (self->model == model)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    release_row (self, &g_array_index (self->rows, Row, i));
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);

  g_set_object (&self->model, model);
  self->n_items = model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
  self->cursor = UNBOUND;
  self->anchor = UNBOUND;
  if (model != NULL)
    {
      g_signal_connect_swapped (model, "items-changed", G_CALLBACK (on_items_changed), self);
      g_signal_connect_swapped (model, "selection-changed", G_CALLBACK (on_selection_changed), self);
    }

  set_vadjustment_quietly (self, 0);
  assign_rows (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

GtkWidget *
np_row_list_get_row_widget (NpRowList *self,
                            guint      position)
{
  Row *row;

  g_return_val_if_fail (NP_IS_ROW_LIST (self), NULL);

  row = find_row (self, position);
  return row != NULL ? row->widget : NULL;
}

void
np_row_list_set_row_functions (NpRowList        *self,
                               NpRowListMakeRow  make_row,
                               NpRowListBindRow  bind_row,
                               gpointer          user_data)
{
  g_return_if_fail (NP_IS_ROW_LIST (self));
  g_return_if_fail (make_row != NULL && bind_row != NULL);
  g_return_if_fail (self->make_row == NULL);

  self->make_row = make_row;
  self->bind_row = bind_row;
  self->row_data = user_data;

  /* One row to measure the others by, before the first allocation. */
  add_row (self);
}

/* GtkWidget ---------------------------------------------------------------------- */

/* Its natural height is one row's, whatever the rows: the list fills the scrolled
 * window it is given, and a height that followed the model would measure the
 * whole window again at each keystroke. */
static void
np_row_list_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  NpRowList *self = NP_ROW_LIST (widget);

  *minimum = *natural = 0;
  if (self->rows->len > 0)
    gtk_widget_measure (g_array_index (self->rows, Row, 0).widget, orientation, -1, minimum, natural, NULL, NULL);
}

static void
np_row_list_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  NpRowList *self = NP_ROW_LIST (widget);
  gint64 top;

  self->view_height = height;
  if (self->rows->len > 0)
    gtk_widget_measure (g_array_index (self->rows, Row, 0).widget, GTK_ORIENTATION_VERTICAL, width,
                        NULL, &self->row_height, NULL, NULL);

  gtk_adjustment_configure (self->hadjustment, 0, 0, width, width * 0.1, width * 0.9, width);
  set_vadjustment_quietly (self, gtk_adjustment_get_value (self->vadjustment));
  if (self->pending_scroll != UNBOUND)
    {
      guint position = self->pending_scroll;

      self->pending_scroll = UNBOUND;
      g_signal_handlers_block_by_func (self->vadjustment, on_value_changed, self);
      np_row_list_scroll_to (self, position);
      g_signal_handlers_unblock_by_func (self->vadjustment, on_value_changed, self);
    }
  assign_rows (self);

  top = (gint64) gtk_adjustment_get_value (self->vadjustment);
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);
      GtkAllocation allocation = { 0, 0, width, self->row_height };

      if (row->position == UNBOUND)
        continue;

      allocation.y = (gint64) row->position * self->row_height - top;
      gtk_widget_size_allocate (row->widget, &allocation, -1);
    }
}

static void
np_row_list_dispose (GObject *object)
{
  NpRowList *self = NP_ROW_LIST (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  for (guint i = 0; i < self->rows->len; i++)
    gtk_widget_unparent (g_array_index (self->rows, Row, i).widget);
  g_array_set_size (self->rows, 0);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->hadjustment, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (np_row_list_parent_class)->dispose (object);
}

static void
np_row_list_finalize (GObject *object)
{
  NpRowList *self = NP_ROW_LIST (object);

  g_array_unref (self->rows);

  G_OBJECT_CLASS (np_row_list_parent_class)->finalize (object);
}

static void
np_row_list_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NpRowList *self = NP_ROW_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_row_list_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  NpRowList *self = NP_ROW_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      np_row_list_set_model (self, g_value_get_object (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value), FALSE);
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value), TRUE);
      set_vadjustment_quietly (self, 0);
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* @keyval with and without Shift (extend the selection) and Ctrl (move the focus alone). */
static void
add_move_bindings (GtkWidgetClass *widget_class,
                   guint           keyval,
                   guint           keypad_keyval,
                   const char     *action_name,
                   int             amount)
{
  for (guint modify = 0; modify <= 1; modify++)
    for (guint extend = 0; extend <= 1; extend++)
      {
        GdkModifierType modifiers = (modify ? GDK_CONTROL_MASK : 0) | (extend ? GDK_SHIFT_MASK : 0);

        gtk_widget_class_add_binding_action (widget_class, keyval, modifiers, action_name, "(ibb)",
                                             amount, modify, extend);
        gtk_widget_class_add_binding_action (widget_class, keypad_keyval, modifiers, action_name, "(ibb)",
                                             amount, modify, extend);
      }
}

static void
np_row_list_class_init (NpRowListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_row_list_dispose;
  object_class->finalize = np_row_list_finalize;
  object_class->get_property = np_row_list_get_property;
  object_class->set_property = np_row_list_set_property;

  widget_class->measure = np_row_list_measure;
  widget_class->size_allocate = np_row_list_size_allocate;
  widget_class->focus = np_row_list_focus;
  widget_class->grab_focus = np_row_list_grab_focus;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         GTK_TYPE_SELECTION_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /* The actions of GtkListView, with the same names. */
  gtk_widget_class_install_action (widget_class, "list.move-cursor", "(ibb)", move_cursor_action);
  gtk_widget_class_install_action (widget_class, "list.move-page", "(ibb)", move_cursor_action);
  gtk_widget_class_install_action (widget_class, "list.select-item", "(ubb)", select_item_action);
  gtk_widget_class_install_action (widget_class, "list.select-cursor", "(bb)", select_cursor_action);
  gtk_widget_class_install_action (widget_class, "list.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "list.unselect-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "list.scroll-to-item", "u", scroll_to_item_action);

  add_move_bindings (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, "list.move-cursor", -1);
  add_move_bindings (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, "list.move-cursor", 1);
  add_move_bindings (widget_class, GDK_KEY_Page_Up, GDK_KEY_KP_Page_Up, "list.move-page", -1);
  add_move_bindings (widget_class, GDK_KEY_Page_Down, GDK_KEY_KP_Page_Down, "list.move-page", 1);
  add_move_bindings (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, "list.move-cursor", G_MININT);
  add_move_bindings (widget_class, GDK_KEY_End, GDK_KEY_KP_End, "list.move-cursor", G_MAXINT);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "list.select-cursor", "(bb)", FALSE, FALSE);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, GDK_CONTROL_MASK, "list.select-cursor", "(bb)",
                                       TRUE, FALSE);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, GDK_SHIFT_MASK, "list.select-cursor", "(bb)",
                                       FALSE, TRUE);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "list.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_A, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "list.unselect-all", NULL);

  gtk_widget_class_set_css_name (widget_class, "listview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST);
}

static void
np_row_list_init (NpRowList *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  self->cursor = UNBOUND;
  self->anchor = UNBOUND;
  self->pending_scroll = UNBOUND;
  set_adjustment (self, &self->hadjustment, NULL, FALSE);
  set_adjustment (self, &self->vadjustment, NULL, TRUE);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
np_row_list_new (void)
{
  return g_object_new (NP_TYPE_ROW_LIST, NULL);
}
