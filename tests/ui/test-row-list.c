/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-row-list.c — NpRowList in a real window: widgets for the rows on show only,
 * kept through scrolling and through models that shrink and grow, and selection,
 * cursor and focus as in a GtkListView. */
#include "config.h"

#include <adwaita.h>

#include "np-row-list.h"
#include "test-app-common.h"
#include "np-test-utils.h"

#define N_ITEMS     100000
#define VIEW_HEIGHT 300
#define WAIT_MS     10000

typedef struct {
  GtkWindow         *window;
  GtkScrolledWindow *scrolled;
  NpRowList         *list;
  GtkStringList     *strings;
  GtkMultiSelection *selection;
  guint              n_made;
  guint              n_bound;  /* bindings to an item, not to nothing */
} Fixture;

static GtkWidget *
make_row (gpointer user_data)
{
  Fixture *f = user_data;

  f->n_made++;
  /* Text that changes the drawing, not the size: what a bind may do. */
  return gtk_inscription_new (NULL);
}

static void
bind_row (GtkWidget *row,
          gpointer   item,
          gpointer   user_data)
{
  Fixture *f = user_data;

  if (item != NULL)
    f->n_bound++;
  gtk_inscription_set_text (GTK_INSCRIPTION (row), item != NULL ? gtk_string_object_get_string (item) : NULL);
}

static char *
item_text (guint position)
{
  return g_strdup_printf ("item %u", position);
}

static GtkAdjustment *
vadjustment (Fixture *f)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (f->list));
}

static gboolean
list_allocated (gpointer user_data)
{
  Fixture *f = user_data;

  return gtk_widget_get_mapped (GTK_WIDGET (f->list)) && gtk_adjustment_get_page_size (vadjustment (f)) > 0;
}

/* Until the window has painted: allocation and drawing have caught up. */
static void
wait_frame (Fixture *f)
{
  app_wait_for_paint (GTK_WIDGET (f->window));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  guint n_items = GPOINTER_TO_UINT (data);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (texts, item_text (i));
  g_ptr_array_add (texts, NULL);

  f->strings = gtk_string_list_new ((const char * const *) texts->pdata);
  f->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (f->strings)));
  f->list = NP_ROW_LIST (np_row_list_new ());
  np_row_list_set_row_functions (f->list, make_row, bind_row, f);
  np_row_list_set_model (f->list, GTK_SELECTION_MODEL (f->selection));

  f->scrolled = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_policy (f->scrolled, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (f->scrolled, GTK_WIDGET (f->list));
  gtk_widget_set_size_request (GTK_WIDGET (f->scrolled), 400, VIEW_HEIGHT);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->scrolled));
  gtk_window_present (f->window);
  np_test_wait_until (list_allocated, f, WAIT_MS, "the list to be allocated");
  wait_frame (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->selection);
  g_clear_object (&f->strings);
}

static int
row_height (Fixture *f)
{
  return (int) gtk_adjustment_get_step_increment (vadjustment (f));
}

static guint
first_shown (Fixture *f)
{
  return (guint) (gtk_adjustment_get_value (vadjustment (f)) / row_height (f));
}

static void
collect_rows (Fixture   *f,
              GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_ptr_array_add (rows, child);
}

/* Every position from the first on show to the bottom of the view has a row
 * showing its item, drawn where the position is. */
static void
assert_rows_show (Fixture *f,
                  guint    first)
{
  double value = gtk_adjustment_get_value (vadjustment (f));
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (f->strings));
  guint last = MIN (n_items, first + VIEW_HEIGHT / row_height (f) + 1);

  for (guint position = first; position < last; position++)
    {
      GtkWidget *row = np_row_list_get_row_widget (f->list, position);
      g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (f->strings), position);
      graphene_point_t origin;

      g_assert_nonnull (row);
      g_assert_true (gtk_widget_get_child_visible (row));
      g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (row)), ==, gtk_string_object_get_string (item));
      g_assert_true (gtk_widget_compute_point (row, GTK_WIDGET (f->list), &GRAPHENE_POINT_INIT (0, 0), &origin));
      g_assert_cmpfloat_with_epsilon (origin.y, (double) position * row_height (f) - value, 1.0);
    }
}

static void
test_rows_on_show (Fixture       *f,
                   gconstpointer  data)
{
  guint n_fit = VIEW_HEIGHT / row_height (f) + 2;

  g_assert_cmpint (row_height (f), >, 0);
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment (f)), ==, (double) N_ITEMS * row_height (f));
  g_assert_cmpuint (f->n_made, <=, n_fit);
  g_assert_cmpuint (f->n_bound, <=, n_fit);
  assert_rows_show (f, 0);
  g_assert_null (np_row_list_get_row_widget (f->list, n_fit + 1));
}

static void
test_scroll_binds_new_rows_only (Fixture       *f,
                                 gconstpointer  data)
{
  guint made = f->n_made;
  guint bound = f->n_bound;

  gtk_adjustment_set_value (vadjustment (f), row_height (f));
  wait_frame (f);
  g_assert_cmpuint (f->n_bound - bound, ==, 1);
  assert_rows_show (f, 1);

  gtk_adjustment_set_value (vadjustment (f), 50000.0 * row_height (f));
  wait_frame (f);
  g_assert_cmpuint (first_shown (f), ==, 50000);
  assert_rows_show (f, 50000);

  gtk_adjustment_set_value (vadjustment (f), gtk_adjustment_get_upper (vadjustment (f)));
  wait_frame (f);
  assert_rows_show (f, first_shown (f));
  g_assert_nonnull (np_row_list_get_row_widget (f->list, N_ITEMS - 1));
  g_assert_cmpuint (f->n_made, ==, made);
}

/* A search that narrows to a few rows and is then cleared: the same widgets
 * throughout, none destroyed and none made. */
static void
test_model_changes_keep_widgets (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) before = g_ptr_array_new ();
  g_autoptr(GPtrArray) narrowed = g_ptr_array_new ();
  g_autoptr(GPtrArray) widened = g_ptr_array_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  guint n_visible = 0;

  collect_rows (f, before);
  gtk_string_list_splice (f->strings, 5, N_ITEMS - 5, NULL);
  wait_frame (f);
  collect_rows (f, narrowed);
  g_assert_cmpuint (narrowed->len, ==, before->len);
  for (guint i = 0; i < narrowed->len; i++)
    {
      g_assert_true (g_ptr_array_find (before, narrowed->pdata[i], NULL));
      n_visible += gtk_widget_get_child_visible (narrowed->pdata[i]);
    }
  g_assert_cmpuint (n_visible, ==, 5);
  assert_rows_show (f, 0);
  /* Fewer rows than the view: nothing to scroll, nothing drawn past them. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment (f)), ==, gtk_adjustment_get_page_size (vadjustment (f)));

  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (texts, g_strdup_printf ("new %u", i));
  g_ptr_array_add (texts, NULL);
  gtk_string_list_splice (f->strings, 0, 5, (const char * const *) texts->pdata);
  wait_frame (f);
  collect_rows (f, widened);
  g_assert_cmpuint (widened->len, ==, before->len);
  for (guint i = 0; i < widened->len; i++)
    g_assert_true (g_ptr_array_find (before, widened->pdata[i], NULL));
  assert_rows_show (f, 0);
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (np_row_list_get_row_widget (f->list, 0))), ==, "new 0");
}

/* Rows inserted or removed above the view leave it on the same rows; a change
 * below them moves nothing. */
static void
test_changes_above_keep_the_view (Fixture       *f,
                                  gconstpointer  data)
{
  const char * const added[] = { "a", "b", "c", NULL };
  GtkWidget *row;

  gtk_adjustment_set_value (vadjustment (f), 100.0 * row_height (f));
  wait_frame (f);
  row = np_row_list_get_row_widget (f->list, 100);

  gtk_string_list_splice (f->strings, 0, 0, added);
  wait_frame (f);
  g_assert_cmpuint (first_shown (f), ==, 103);
  g_assert_true (np_row_list_get_row_widget (f->list, 103) == row);
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (row)), ==, "item 100");

  gtk_string_list_splice (f->strings, 10, 2, NULL);
  wait_frame (f);
  g_assert_cmpuint (first_shown (f), ==, 101);
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (np_row_list_get_row_widget (f->list, 101))), ==,
                   "item 100");

  gtk_string_list_splice (f->strings, 5000, 1, NULL);
  wait_frame (f);
  g_assert_cmpuint (first_shown (f), ==, 101);
  assert_rows_show (f, 101);
}

static void
assert_selected (Fixture    *f,
                 const char *expected)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (f->selection));
  g_autoptr(GString) shown = g_string_new (NULL);
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_string_append_printf (shown, "%s%u", shown->len > 0 ? " " : "", position);
  g_assert_cmpstr (shown->str, ==, expected);

  /* The rows say so, to the eye and to a screen reader. */
  for (guint i = 0; i < 8; i++)
    {
      GtkWidget *row = np_row_list_get_row_widget (f->list, i);
      gboolean is_selected = gtk_bitset_contains (selected, i);

      if (row == NULL)
        continue;

      g_assert_cmpint (!!(gtk_widget_get_state_flags (row) & GTK_STATE_FLAG_SELECTED), ==, is_selected);
      gtk_test_accessible_assert_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_SELECTED, is_selected);
    }
}

static void
select_item (Fixture  *f,
             guint     position,
             gboolean  modify,
             gboolean  extend)
{
  gtk_widget_activate_action (GTK_WIDGET (f->list), "list.select-item", "(ubb)", position, modify, extend);
}

static void
move_cursor (Fixture  *f,
             int       amount,
             gboolean  modify,
             gboolean  extend)
{
  gtk_widget_activate_action (GTK_WIDGET (f->list), "list.move-cursor", "(ibb)", amount, modify, extend);
}

/* A click (list.select-item), Ctrl+click, Shift+click and the arrow keys with
 * and without Shift and Ctrl, as in a GtkListView with a multiple selection. */
static void
test_selection (Fixture       *f,
                gconstpointer  data)
{
  select_item (f, 2, FALSE, FALSE);
  assert_selected (f, "2");
  select_item (f, 4, FALSE, TRUE);
  assert_selected (f, "2 3 4");
  select_item (f, 3, TRUE, FALSE);
  assert_selected (f, "2 4");
  select_item (f, 6, TRUE, FALSE);
  assert_selected (f, "2 4 6");

  move_cursor (f, 1, FALSE, FALSE);
  assert_selected (f, "7");
  move_cursor (f, -2, FALSE, TRUE);
  assert_selected (f, "5 6 7");
  move_cursor (f, -1, TRUE, FALSE);
  assert_selected (f, "5 6 7");
  gtk_widget_activate_action (GTK_WIDGET (f->list), "list.select-cursor", "(bb)", TRUE, FALSE);
  assert_selected (f, "4 5 6 7");

  gtk_widget_activate_action (GTK_WIDGET (f->list), "list.unselect-all", NULL);
  assert_selected (f, "");
  gtk_widget_activate_action (GTK_WIDGET (f->list), "list.select-all", NULL);
  g_assert_cmpuint (gtk_bitset_get_size (gtk_selection_model_get_selection (GTK_SELECTION_MODEL (f->selection))),
                    ==, N_ITEMS);

  move_cursor (f, G_MAXINT, FALSE, FALSE);
  wait_frame (f);
  g_assert_nonnull (np_row_list_get_row_widget (f->list, N_ITEMS - 1));
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (f->selection), N_ITEMS - 1));
  g_assert_false (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (f->selection), 0));
}

/* The focus is on the row with the cursor; scrolled away, the list keeps it
 * and the next arrow key brings it back to the row after the cursor. */
static void
test_focus_follows_cursor (Fixture       *f,
                           gconstpointer  data)
{
  gtk_widget_grab_focus (GTK_WIDGET (f->list));
  g_assert_true (gtk_window_get_focus (f->window) == np_row_list_get_row_widget (f->list, 0));

  move_cursor (f, 1, TRUE, FALSE);
  g_assert_true (gtk_window_get_focus (f->window) == np_row_list_get_row_widget (f->list, 1));

  gtk_adjustment_set_value (vadjustment (f), 50000.0 * row_height (f));
  wait_frame (f);
  g_assert_true (gtk_window_get_focus (f->window) == GTK_WIDGET (f->list));

  move_cursor (f, 1, TRUE, FALSE);
  wait_frame (f);
  g_assert_cmpuint (first_shown (f), <=, 2);
  g_assert_true (gtk_window_get_focus (f->window) == np_row_list_get_row_widget (f->list, 2));
  assert_selected (f, "");
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  /* GTK's test backend keeps the accessible states a screen reader would read. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_init ();
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (N_ITEMS), fixture_set_up, func, fixture_tear_down)
  ADD ("/row-list/rows-on-show", test_rows_on_show);
  ADD ("/row-list/scroll-binds-new-rows-only", test_scroll_binds_new_rows_only);
  ADD ("/row-list/model-changes-keep-widgets", test_model_changes_keep_widgets);
  ADD ("/row-list/changes-above-keep-the-view", test_changes_above_keep_the_view);
  ADD ("/row-list/selection", test_selection);
  ADD ("/row-list/focus-follows-cursor", test_focus_follows_cursor);
#undef ADD

  return g_test_run ();
}
