/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-checkouts.c — the Checkouts page's list, look-up and new-checkout form,
 * against the real sandbox, ledger and keyring in a real window.
 *
 * Seeded checkouts are listed, found by text and by status, sorted by a header;
 * a checkout made elsewhere is looked up by id, an unknown id is refused plainly,
 * pasted ids are imported; a checkout is created through the form after an
 * invalid amount was refused inline.
 */
#include "config.h"

#include <string.h>

#include "np-checkout-lookup-dialog.h"
#include "np-checkout-new-dialog.h"
#include "np-checkout-columns.h"
#include "np-checkout-row-widget.h"
#include "np-customer-display.h"
#include "np-money.h"
#include "test-checkouts-common.h"

typedef struct {
  Fixture *f;
  guint    n_items;
} CountWait;

static gboolean
list_has_n_items (gpointer data)
{
  CountWait *wait = data;

  /* And the page has counted them (it does so in an idle after a burst). */
  return g_list_model_get_n_items (G_LIST_MODEL (page_model (wait->f))) == wait->n_items &&
         !idle_pending (wait->f->page);
}

static void
wait_n_items (Fixture *f,
              guint    n_items)
{
  CountWait wait = { f, n_items };

  np_test_wait_until (list_has_n_items, &wait, TIMEOUT_MS, "the list to have the expected rows");
}

static NpCheckoutRow *
list_item (Fixture *f,
           guint    position)
{
  return g_list_model_get_item (G_LIST_MODEL (page_model (f)), position);
}

typedef struct {
  Fixture    *f;
  const char *text;
} CountWant;

static gboolean
count_reads (gpointer user_data)
{
  CountWant *want = user_data;

  return g_strcmp0 (gtk_inscription_get_text (PAGE_CHILD (want->f, GtkInscription, "count_label")), want->text) == 0;
}

/* The header's title button of @title. */
static GtkWidget *
header_title (Fixture    *f,
              const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (PAGE_CHILD (f, NpCheckoutListHeader, "list_header")));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child) && app_find_label (child, title) != NULL)
      return child;

  g_error ("no sortable column titled %s", title);
}

typedef struct {
  Fixture          *f;
  const char       *checkout_id;
  NpCheckoutColumn  column;
  const char       *text;
} RowText;

static gboolean
find_row_text (GtkWidget *widget,
               RowText   *want)
{
  if (NP_IS_CHECKOUT_ROW_WIDGET (widget))
    {
      NpCheckoutRow *row = np_checkout_row_widget_get_row (NP_CHECKOUT_ROW_WIDGET (widget));

      return row != NULL && g_strcmp0 (np_checkout_row_get_checkout_id (row), want->checkout_id) == 0 &&
             g_strcmp0 (np_checkout_row_widget_get_text (NP_CHECKOUT_ROW_WIDGET (widget), want->column),
                        want->text) == 0;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (find_row_text (child, want))
      return TRUE;

  return FALSE;
}

static gboolean
row_shows_text (gpointer user_data)
{
  RowText *want = user_data;

  return find_row_text (GTK_WIDGET (PAGE_CHILD (want->f, NpRowList, "list_view")), want);
}

/* Waits until the drawn row of @checkout_id shows @text in @column. */
static void
wait_row_text (Fixture          *f,
               const char       *checkout_id,
               NpCheckoutColumn  column,
               const char       *text)
{
  RowText want = { f, checkout_id, column, text };

  np_test_wait_until (row_shows_text, &want, 10000, "the row to show its text");
}

/* A checkout the console has never seen, made straight on the sandbox. */
static char *
create_on_sandbox (Fixture *f,
                   gint64   amount)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *json = g_strdup_printf ("{\"amount\": %" G_GINT64_FORMAT ", \"currency\": \"SEK\", "
                                           "\"message\": \"Made elsewhere\"}", amount);

  g_assert_cmpuint (np_test_sandbox_call (f->tw->sandbox, "/checkout/create", json, &body), ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (body), "checkout_id"));
}

static void
test_list_search_filter_sort (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(NpCheckout) small = np_test_workspace_create_checkout (f->tw, 1000, "SEK", TRUE);
  g_autoptr(NpCheckout) euro = np_test_workspace_create_checkout (f->tw, 2500, "EUR", TRUE);
  g_autoptr(NpCheckout) large = np_test_workspace_create_checkout (f->tw, 420000, "SEK", FALSE);
  g_autoptr(NpCheckout) paid = np_test_workspace_pay (f->tw, np_checkout_get_id (small));
  g_autoptr(NpCheckoutRow) first = NULL;
  g_autofree char *expected_amount = NULL;
  NpCheckoutSort sort;
  gboolean descending;

  wait_n_items (f, 3);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (PAGE_CHILD (f, GtkStack, "list_stack")), ==, "list");
  g_assert_cmpstr (gtk_inscription_get_text (PAGE_CHILD (f, GtkInscription, "count_label")), ==, "3 checkouts");

  /* Newest first by default, shown by the Created header's indicator. */
  sort = np_checkout_list_header_get_sort (PAGE_CHILD (f, NpCheckoutListHeader, "list_header"), &descending);
  g_assert_cmpint (sort, ==, NP_CHECKOUT_SORT_CREATED);
  g_assert_true (descending);

  /* The rows draw what the columns say, the amount as money. */
  expected_amount = np_money_format (420000, "SEK");
  wait_row_text (f, np_checkout_get_id (large), NP_CHECKOUT_COLUMN_AMOUNT, expected_amount);

  /* Text: the id of one checkout finds only it. */
  gtk_editable_set_text (GTK_EDITABLE (PAGE_CHILD (f, GtkSearchEntry, "search_entry")), np_checkout_get_id (euro));
  wait_n_items (f, 1);
  first = list_item (f, 0);
  g_assert_cmpstr (np_checkout_row_get_checkout_id (first), ==, np_checkout_get_id (euro));
  g_assert_cmpstr (gtk_inscription_get_text (PAGE_CHILD (f, GtkInscription, "count_label")), ==, "1 of 3 checkouts");
  /* The count is an inscription (its text changes at every keystroke without
   * measuring the window again) and reads the same to a screen reader as it shows. */
  {
    g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (PAGE_CHILD (f, GtkWidget, "count_label")),
                                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, "1 of 3 checkouts");

    g_assert_null (wrong);
  }
  g_clear_object (&first);

  /* A checkout the search hides still counts among all of them. */
  g_object_unref (np_test_workspace_create_checkout (f->tw, 5000, "SEK", TRUE));
  np_test_wait_until (count_reads, &(CountWant) { f, "1 of 4 checkouts" }, 10000, "the count of all checkouts");

  /* The no-results page gets its icon only when it shows (its SVG would load
   * librsvg in every session otherwise). */
  g_assert_null (adw_status_page_get_icon_name (PAGE_CHILD (f, AdwStatusPage, "no_results_status")));
  gtk_editable_set_text (GTK_EDITABLE (PAGE_CHILD (f, GtkSearchEntry, "search_entry")), "nothing-matches-this");
  wait_n_items (f, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (PAGE_CHILD (f, GtkStack, "list_stack")), ==, "no-results");
  g_assert_cmpstr (adw_status_page_get_icon_name (PAGE_CHILD (f, AdwStatusPage, "no_results_status")), ==, "edit-find-symbolic");

  gtk_editable_set_text (GTK_EDITABLE (PAGE_CHILD (f, GtkSearchEntry, "search_entry")), "");
  wait_n_items (f, 4);

  /* Status: "Paid" is the third entry (after All and Created). */
  gtk_drop_down_set_selected (PAGE_CHILD (f, GtkDropDown, "status_dropdown"), 3);
  wait_n_items (f, 1);
  first = list_item (f, 0);
  g_assert_cmpstr (np_checkout_row_get_checkout_id (first), ==, np_checkout_get_id (small));
  g_assert_cmpstr (np_checkout_row_get_status_text (first), ==, "paid");
  g_clear_object (&first);
  gtk_drop_down_set_selected (PAGE_CHILD (f, GtkDropDown, "status_dropdown"), 0);
  wait_n_items (f, 4);

  /* A header click sorts in the ledger: by amount, smallest first; a second
   * click turns the order round. */
  g_signal_emit_by_name (header_title (f, "Amount"), "clicked");
  g_assert_cmpint (np_checkout_list_model_get_query (page_model (f))->sort, ==, NP_CHECKOUT_SORT_AMOUNT);
  g_assert_false (np_checkout_list_model_get_query (page_model (f))->descending);
  first = list_item (f, 0);
  g_assert_cmpint (np_checkout_row_get_amount (first), ==, 1000);
  g_clear_object (&first);
  g_signal_emit_by_name (header_title (f, "Amount"), "clicked");
  g_assert_true (np_checkout_list_model_get_query (page_model (f))->descending);
  first = list_item (f, 0);
  g_assert_cmpint (np_checkout_row_get_amount (first), ==, 420000);
  g_clear_object (&first);

  save_screenshot (GTK_WIDGET (f->page), "checkouts-list.png");
  select_checkout (f, np_checkout_get_id (small));
  g_assert_cmpstr (detail_status (f), ==, "paid");
  save_screenshot (GTK_WIDGET (f->page), "checkout-detail.png");
}

static void
collect_row_widgets (GtkWidget  *widget,
                     GPtrArray  *out)
{
  if (NP_IS_CHECKOUT_ROW_WIDGET (widget))
    {
      g_ptr_array_add (out, widget);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_row_widgets (child, out);
}

static gboolean
first_row_shows_first_item (gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(NpCheckoutRow) first = list_item (f, 0);

  collect_row_widgets (GTK_WIDGET (PAGE_CHILD (f, NpRowList, "list_view")), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      NpCheckoutRow *shown = np_checkout_row_widget_get_row (rows->pdata[i]);

      if (shown != NULL && first != NULL && np_checkout_row_get_row_id (shown) == np_checkout_row_get_row_id (first))
        return TRUE;
    }

  return FALSE;
}

/* A new query over many rows rebinds the row widgets on show: none is made or
 * destroyed. */
static void
test_search_reuses_rows (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) before = g_ptr_array_new ();
  g_autoptr(GPtrArray) after = g_ptr_array_new ();
  g_autoptr(NpCheckoutRow) first = NULL;

  /* More rows than the view shows. */
  for (guint i = 0; i < 300; i++)
    g_object_unref (np_test_workspace_create_checkout (f->tw, 100 + i, "SEK", TRUE));
  wait_n_items (f, 300);
  /* Rows inserted above keep the view where it was: back to the top. */
  gtk_widget_activate_action (GTK_WIDGET (PAGE_CHILD (f, NpRowList, "list_view")), "list.scroll-to-item", "u", 0);
  np_test_wait_until (first_row_shows_first_item, f, 10000, "the first row on show");
  collect_row_widgets (GTK_WIDGET (PAGE_CHILD (f, NpRowList, "list_view")), before);
  g_assert_cmpuint (before->len, >=, 10);

  /* Every row in a new order. */
  np_checkout_list_header_set_sort (PAGE_CHILD (f, NpCheckoutListHeader, "list_header"), NP_CHECKOUT_SORT_AMOUNT, FALSE);
  np_test_wait_until (first_row_shows_first_item, f, 10000, "the new first row on show");
  first = list_item (f, 0);
  g_assert_cmpint (np_checkout_row_get_amount (first), ==, 100);

  collect_row_widgets (GTK_WIDGET (PAGE_CHILD (f, NpRowList, "list_view")), after);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    g_assert_true (g_ptr_array_find (before, after->pdata[i], NULL));

  /* A search down to one row hides the others' widgets and keeps them. */
  gtk_editable_set_text (GTK_EDITABLE (PAGE_CHILD (f, GtkSearchEntry, "search_entry")), np_checkout_row_get_checkout_id (first));
  g_signal_emit_by_name (PAGE_CHILD (f, GtkSearchEntry, "search_entry"), "search-changed");
  wait_n_items (f, 1);
  g_ptr_array_set_size (after, 0);
  collect_row_widgets (GTK_WIDGET (PAGE_CHILD (f, NpRowList, "list_view")), after);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    g_assert_true (g_ptr_array_find (before, after->pdata[i], NULL));
}

/* The page with its list and empty detail draws no SVG icon: the SVG renderer
 * (librsvg) would be some 9 MiB of every session's memory. Runs first, before
 * any test shows a page that needs one. */
static void
test_no_svg_renderer (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 1000, "SEK", TRUE);

  wait_n_items (f, 1);
  np_test_wait_until (first_row_shows_first_item, f, 10000, "the row on show");
  save_screenshot (GTK_WIDGET (f->page), "checkouts-no-svg.png");
  g_assert_false (np_test_file_contains ("/proc/self/maps", "librsvg"));
}

/* Whether a text node under @node draws @glyphs: what the widget painted, read
 * from its render nodes. */
static gboolean
node_draws_glyphs (GskRenderNode *node,
                   GArray        *glyphs)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        if (node_draws_glyphs (gsk_container_node_get_child (node, i), glyphs))
          return TRUE;
      return FALSE;
    case GSK_TRANSFORM_NODE:
      return node_draws_glyphs (gsk_transform_node_get_child (node), glyphs);
    case GSK_CLIP_NODE:
      return node_draws_glyphs (gsk_clip_node_get_child (node), glyphs);
    case GSK_ROUNDED_CLIP_NODE:
      return node_draws_glyphs (gsk_rounded_clip_node_get_child (node), glyphs);
    case GSK_OPACITY_NODE:
      return node_draws_glyphs (gsk_opacity_node_get_child (node), glyphs);
    case GSK_DEBUG_NODE:
      return node_draws_glyphs (gsk_debug_node_get_child (node), glyphs);
    case GSK_TEXT_NODE:
      {
        guint n = gsk_text_node_get_num_glyphs (node);
        const PangoGlyphInfo *drawn = gsk_text_node_get_glyphs (node, NULL);

        if (n != glyphs->len)
          return FALSE;
        for (guint i = 0; i < n; i++)
          if (drawn[i].glyph != g_array_index (glyphs, PangoGlyph, i))
            return FALSE;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

/* Whether @widget paints a status pill reading @text: its glyphs, shaped here
 * as the pill shapes them (bold, small), among the text the widget draws. The
 * rows share the pills' layouts: a row must draw its own status, not another's. */
static gboolean
widget_draws_status (GtkWidget  *widget,
                     const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  g_autoptr(GArray) glyphs = g_array_new (FALSE, FALSE, sizeof (PangoGlyph));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  for (GSList *run = pango_layout_get_line_readonly (layout, 0)->runs; run != NULL; run = run->next)
    {
      PangoGlyphString *string = ((PangoGlyphItem *) run->data)->glyphs;

      for (int i = 0; i < string->num_glyphs; i++)
        g_array_append_val (glyphs, string->glyphs[i].glyph);
    }

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (snapshot);
  return node != NULL && node_draws_glyphs (node, glyphs);
}

/* Bound to one row, then another, a row widget shows every column of the
 * last: text the two share stays laid out, the rest is set anew. */
static void
test_row_widget_rebinds (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(NpCheckout) reserved = np_test_workspace_create_checkout (f->tw, 1000, "SEK", FALSE);
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (f->tw, 2500, "SEK", TRUE);
  /* Two statuses, so that a pill showing the other row's would read wrong. */
  g_autoptr(NpCheckout) paid = np_test_workspace_pay (f->tw, np_checkout_get_id (created));
  g_autoptr(NpCheckoutRow) first = NULL;
  g_autoptr(NpCheckoutRow) second = NULL;
  GtkWidget *widget = np_checkout_row_widget_new ();
  GtkWindow *window = app_present_in_window (widget, widget, 1200, 40, NULL, 0, NULL);
  NpCheckoutRow *rows[3];

  wait_n_items (f, 2);
  first = list_item (f, 0);
  second = list_item (f, 1);
  g_assert_cmpint (np_checkout_row_get_status (first), !=, np_checkout_row_get_status (second));
  rows[0] = first;
  rows[1] = second;
  rows[2] = first;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      np_checkout_row_widget_set_row (NP_CHECKOUT_ROW_WIDGET (widget), rows[i]);
      app_wait_for_paint (widget);
      for (guint column = 0; column < NP_CHECKOUT_N_COLUMNS; column++)
        {
          g_autofree char *expected = np_checkout_column_dup_text (column, rows[i]);

          g_assert_cmpstr (np_checkout_row_widget_get_text (NP_CHECKOUT_ROW_WIDGET (widget), column), ==,
                           expected != NULL ? expected : "");
        }
      /* The status is drawn from a layout the rows share: this row's. */
      {
        g_autofree char *status = np_checkout_column_dup_text (NP_CHECKOUT_COLUMN_STATUS, rows[i]);

        g_assert_true (widget_draws_status (widget, status));
      }
    }
  gtk_window_destroy (window);
}

/* The detail is made for the first checkout shown, and stays for the next. */
static void
test_detail_built_when_shown (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 1000, "SEK", TRUE);
  NpCheckoutDetail *detail;

  wait_n_items (f, 1);
  np_test_wait_until (first_row_shows_first_item, f, 10000, "the row on show");
  g_assert_null (page_detail (f));
  g_assert_null (find_descendant (GTK_WIDGET (f->page), NP_TYPE_CHECKOUT_DETAIL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (PAGE_CHILD (f, GtkStack, "detail_stack")), ==, "none");

  select_checkout (f, np_checkout_get_id (checkout));
  detail = page_detail (f);
  g_assert_true (gtk_stack_get_visible_child (PAGE_CHILD (f, GtkStack, "detail_stack")) == GTK_WIDGET (detail));
  g_assert_true (find_descendant (GTK_WIDGET (f->page), NP_TYPE_CHECKOUT_DETAIL) == GTK_WIDGET (detail));

  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (page_selection (f)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (PAGE_CHILD (f, GtkStack, "detail_stack")), ==, "none");
  g_assert_null (np_checkout_detail_get_checkout_id (detail));

  select_checkout (f, np_checkout_get_id (checkout));
  g_assert_true (page_detail (f) == detail);
}

static GtkTextView *
lookup_text_view (NpCheckoutLookupDialog *dialog)
{
  return GTK_TEXT_VIEW (find_descendant (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW));
}

static gboolean
detail_is (gpointer data)
{
  void **pair = data;
  Fixture *f = pair[0];

  return page_detail (f) != NULL &&
         g_strcmp0 (np_checkout_detail_get_checkout_id (page_detail (f)), pair[1]) == 0 &&
         np_checkout_detail_get_checkout (page_detail (f)) != NULL;
}

static gboolean
label_shown (gpointer data)
{
  void **pair = data;

  return find_label_containing (pair[0], pair[1]) != NULL;
}

static void
test_lookup_and_import (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = create_on_sandbox (f, 1500);
  g_autofree char *a = create_on_sandbox (f, 100);
  g_autofree char *b = create_on_sandbox (f, 200);
  g_autofree char *pasted = g_strdup_printf ("%s\n%s\n", a, b);
  NpCheckoutLookupDialog *dialog;
  void *pair[2];

  wait_n_items (f, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (PAGE_CHILD (f, GtkStack, "list_stack")), ==, "empty");

  /* One id: retrieved, stored and shown. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "checkouts.lookup", NULL));
  dialog = NP_CHECKOUT_LOOKUP_DIALOG (wait_toplevel (NP_TYPE_CHECKOUT_LOOKUP_DIALOG));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (lookup_text_view (dialog)), id, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "lookup.submit", NULL));
  wait_toplevel_gone (NP_TYPE_CHECKOUT_LOOKUP_DIALOG);
  pair[0] = f;
  pair[1] = id;
  np_test_wait_until (detail_is, pair, TIMEOUT_MS, "the looked-up checkout to be shown");
  wait_n_items (f, 1);
  g_assert_cmpint (np_checkout_get_amount (np_checkout_detail_get_checkout (page_detail (f))), ==, 1500);

  /* An id this account does not have: said plainly, the dialog stays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "checkouts.lookup", NULL));
  dialog = NP_CHECKOUT_LOOKUP_DIALOG (wait_toplevel (NP_TYPE_CHECKOUT_LOOKUP_DIALOG));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (lookup_text_view (dialog)), "no-such-checkout-42", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "lookup.submit", NULL));
  pair[0] = dialog;
  pair[1] = "no such checkout in this account";
  np_test_wait_until (label_shown, pair, TIMEOUT_MS, "the not-found message");
  g_assert_nonnull (find_toplevel (NP_TYPE_CHECKOUT_LOOKUP_DIALOG));

  /* Several ids: imported with the page's progress, all of them retrieved. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (lookup_text_view (dialog)), pasted, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "lookup.submit", NULL));
  wait_toplevel_gone (NP_TYPE_CHECKOUT_LOOKUP_DIALOG);
  wait_ledger_status (f, a, "created");
  wait_ledger_status (f, b, "created");
  wait_n_items (f, 3);
  pair[0] = f->page;
  pair[1] = "2 updated";
  np_test_wait_until (label_shown, pair, TIMEOUT_MS, "the import summary toast");
  g_assert_false (page_is_working (f));
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The toast's button, not the detail's: a toast is a child of the overlay beside
 * the overlay's own child. */
static GtkWidget *
toast_button (Fixture    *f,
              const char *label)
{
  GtkWidget *overlay = find_descendant (GTK_WIDGET (f->page), ADW_TYPE_TOAST_OVERLAY);

  g_assert_nonnull (overlay);
  for (GtkWidget *child = gtk_widget_get_first_child (overlay);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (child == adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (overlay)))
        continue;
      found = find_button_labelled (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
toast_offers_display (gpointer data)
{
  return toast_button (data, "Show to Customer") != NULL;
}

static void
test_create_through_form (Fixture       *f,
                          gconstpointer  data)
{
  NpCheckoutNewDialog *dialog;
  NpCustomerDisplay *display;
  AdwEntryRow *amount_row, *message_row;
  g_autoptr(NpCheckoutRow) row = NULL;
  g_autoptr(NpCheckout) stored = NULL;
  GtkWidget *problem, *qr;
  guint creates_before = np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/create");
  void *pair[2];

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "checkouts.new", NULL));
  dialog = NP_CHECKOUT_NEW_DIALOG (wait_toplevel (NP_TYPE_CHECKOUT_NEW_DIALOG));
  amount_row = ADW_ENTRY_ROW (find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (amount_row)), ==, "Amount");

  /* SEK has two decimals: three are refused inline and Create stays off. */
  gtk_editable_set_text (GTK_EDITABLE (amount_row), "12.345");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (amount_row), "error"));
  g_assert_false (action_enabled (GTK_WIDGET (dialog), "new-checkout.create"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "new-checkout.create", NULL) &&
                  np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/create") != creates_before);
  problem = find_label_containing (GTK_WIDGET (dialog), "decimal");
  g_assert_nonnull (problem);

  gtk_editable_set_text (GTK_EDITABLE (amount_row), "123.45");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (amount_row), "error"));
  /* The message is required: Create waits for it. */
  g_assert_false (action_enabled (GTK_WIDGET (dialog), "new-checkout.create"));
  message_row = ADW_ENTRY_ROW (gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (GTK_WIDGET (amount_row))));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (message_row)), ==, "Message to the customer");
  gtk_editable_set_text (GTK_EDITABLE (message_row), "Two coffees");
  g_assert_true (action_enabled (GTK_WIDGET (dialog), "new-checkout.create"));
  save_screenshot (GTK_WIDGET (dialog), "checkouts-new-checkout.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "new-checkout.create", NULL));
  wait_toplevel_gone (NP_TYPE_CHECKOUT_NEW_DIALOG);
  wait_n_items (f, 1);
  row = list_item (f, 0);
  g_assert_cmpint (np_checkout_row_get_amount (row), ==, 12345);
  g_assert_cmpstr (np_checkout_row_get_currency (row), ==, "SEK");
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/create"), ==, creates_before + 1);

  /* The new checkout is selected, its link ready to copy. */
  pair[0] = f;
  pair[1] = (gpointer) np_checkout_row_get_checkout_id (row);
  np_test_wait_until (detail_is, pair, TIMEOUT_MS, "the new checkout to be shown");
  g_assert_true (action_enabled (GTK_WIDGET (page_detail (f)), "checkout.copy-link"));
  g_assert_cmpstr (detail_status (f), ==, "created");

  /* Right after New Checkout, the toast offers Show to Customer: the display of
   * this checkout, waiting, with its payment link's QR code, watched. */
  np_test_wait_until (toast_offers_display, f, TIMEOUT_MS, "the toast's Show to Customer");
  g_signal_emit_by_name (toast_button (f, "Show to Customer"), "clicked");
  display = NP_CUSTOMER_DISPLAY (wait_toplevel (NP_TYPE_CUSTOMER_DISPLAY));
  g_assert_cmpstr (np_customer_display_get_state (display), ==, "waiting");
  g_assert_nonnull (find_label_containing (GTK_WIDGET (display), "123.45"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (display), "Two coffees"));
  qr = find_descendant (GTK_WIDGET (display), NP_TYPE_QR_CODE);
  g_assert_nonnull (qr);
  stored = np_ledger_get_checkout (f->tw->ledger, np_workspace_get_account_id (f->tw->workspace),
                                   np_checkout_row_get_checkout_id (row), NULL);
  g_assert_nonnull (np_checkout_get_url (stored));
  g_assert_cmpstr (np_qr_code_get_text (NP_QR_CODE (qr)), ==, np_checkout_get_url (stored));
  g_assert_true (np_checkout_watcher_is_watching (np_workspace_get_watcher (f->tw->workspace),
                                                  np_checkout_row_get_checkout_id (row)));
  gtk_widget_activate_action (GTK_WIDGET (display), "display.close", NULL);
  wait_toplevel_gone (NP_TYPE_CUSTOMER_DISPLAY);
}

static gboolean
page_idle (gpointer data)
{
  Fixture *f = data;

  return !page_is_working (f);
}

static gboolean
progress_moved (gpointer data)
{
  Fixture *f = data;

  return gtk_progress_bar_get_fraction (PAGE_CHILD (f, GtkProgressBar, "progress_bar")) > 0.0;
}

static void
test_refresh_progress_cancel (Fixture       *f,
                              gconstpointer  data)
{
  void *pair[2];

  for (guint i = 0; i < 24; i++)
    {
      g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 100 + i, "SEK", TRUE);
    }
  wait_n_items (f, 24);

  /* Slow answers: the refresh of every open checkout is still running when we look. */
  np_test_sandbox_add_fault (f->tw->sandbox, "/checkout/retrieve", "latency:200", -1);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (page_selection (f)));
  g_assert_true (action_enabled (GTK_WIDGET (f->page), "checkouts.refresh"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "checkouts.refresh", NULL));
  g_assert_true (page_is_working (f));
  g_assert_true (gtk_revealer_get_reveal_child (PAGE_CHILD (f, GtkRevealer, "progress_revealer")));
  g_assert_false (action_enabled (GTK_WIDGET (f->page), "checkouts.refresh"));
  g_assert_true (action_enabled (GTK_WIDGET (f->page), "checkouts.cancel"));
  np_test_wait_until (progress_moved, f, TIMEOUT_MS, "the progress bar to move");

  /* The page stays usable meanwhile: searching still works. */
  gtk_editable_set_text (GTK_EDITABLE (PAGE_CHILD (f, GtkSearchEntry, "search_entry")), "no-such-thing");
  wait_n_items (f, 0);
  gtk_editable_set_text (GTK_EDITABLE (PAGE_CHILD (f, GtkSearchEntry, "search_entry")), "");
  wait_n_items (f, 24);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "checkouts.cancel", NULL));
  np_test_wait_until (page_idle, f, TIMEOUT_MS, "the refresh to stop");
  g_assert_false (gtk_revealer_get_reveal_child (PAGE_CHILD (f, GtkRevealer, "progress_revealer")));
  pair[0] = f->page;
  pair[1] = "topped";
  np_test_wait_until (label_shown, pair, TIMEOUT_MS, "the stopped toast");
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/retrieve"), <, 24);

  /* Again without the delay: all of them, and a summary. */
  np_test_sandbox_clear_faults (f->tw->sandbox);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "checkouts.refresh", NULL));
  np_test_wait_until (page_idle, f, TIMEOUT_MS, "the refresh to finish");
  pair[1] = "24 updated";
  np_test_wait_until (label_shown, pair, TIMEOUT_MS, "the summary toast");
}

/* Watching: the detail of a created checkout watches it; the sandbox pays it over
 * HTTP (POST /sandbox/pay) with no console action, and the detail and the list
 * show Paid within 3 s; Stop Watching stops it. */
static gboolean
detail_says_paid (gpointer user_data)
{
  return g_strcmp0 (detail_status (user_data), "paid") == 0;
}

static gboolean
watch_label_checked (gpointer user_data)
{
  Fixture *f = user_data;
  GtkLabel *label = DETAIL_CHILD (page_detail (f), GtkLabel, "watch_label");

  return strstr (gtk_label_get_text (label), "checked") != NULL;
}

static gboolean
display_says_paid (gpointer user_data)
{
  return g_strcmp0 (np_customer_display_get_state (user_data), "paid") == 0;
}

static void
test_watch_until_paid (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 12550, "SEK", TRUE);
  g_autoptr(NpCheckout) other = np_test_workspace_create_checkout (f->tw, 100, "SEK", TRUE);
  const char *id = np_checkout_get_id (checkout);
  g_autofree char *body = g_strdup_printf ("{\"checkout_id\": \"%s\", \"outcome\": \"success\"}", id);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (f->tw->workspace);
  RowText want = { f, id, NP_CHECKOUT_COLUMN_STATUS, NULL };
  NpCheckoutDetail *detail;
  NpCustomerDisplay *display;
  GtkLabel *live;
  GtkWidget *qr;
  gint64 paid_at;

  wait_n_items (f, 2);
  select_checkout (f, id);
  detail = page_detail (f);
  g_assert_true (np_checkout_watcher_is_watching (watcher, id));
  g_assert_true (gtk_widget_get_visible (DETAIL_CHILD (detail, GtkWidget, "watch_box")));
  g_assert_true (action_enabled (GTK_WIDGET (detail), "checkout.stop-watching"));
  np_test_wait_until (watch_label_checked, f, 5000, "'checked … ago' in the detail");

  /* Show to Customer: the full-screen view, waiting, with the payment link's QR code. */
  g_assert_true (action_enabled (GTK_WIDGET (detail), "checkout.show-to-customer"));
  gtk_widget_activate_action (GTK_WIDGET (detail), "checkout.show-to-customer", NULL);
  display = NP_CUSTOMER_DISPLAY (wait_toplevel (NP_TYPE_CUSTOMER_DISPLAY));
  g_assert_cmpstr (np_customer_display_get_state (display), ==, "waiting");
  qr = find_descendant (GTK_WIDGET (display), NP_TYPE_QR_CODE);
  g_assert_nonnull (qr);
  g_assert_true (gtk_widget_get_visible (qr));
  g_assert_cmpstr (np_qr_code_get_text (NP_QR_CODE (qr)), ==, np_checkout_get_url (checkout));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (display), "125.50"));
  live = (GtkLabel *) gtk_widget_get_template_child (GTK_WIDGET (display), NP_TYPE_CUSTOMER_DISPLAY, "status_label");
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (live)), ==, GTK_ACCESSIBLE_ROLE_STATUS);

  g_assert_cmpuint (np_test_sandbox_call (f->tw->sandbox, "/sandbox/pay", body, NULL), ==, 200);
  paid_at = g_get_monotonic_time ();
  np_test_wait_until (detail_says_paid, f, 3000, "the detail to show Paid");
  want.text = np_checkout_status_get_label (NP_CHECKOUT_STATUS_PAID, "paid");
  np_test_wait_until (row_shows_text, &want, 3000 - (g_get_monotonic_time () - paid_at) / 1000,
                      "the list to show Paid");
  np_test_wait_until (display_says_paid, display, 3000 - (g_get_monotonic_time () - paid_at) / 1000,
                      "the customer display to show Paid");
  g_assert_cmpstr (gtk_label_get_text (live), ==, "Paid");
  g_test_message ("detail, list and customer display show Paid %.2f s after the sandbox was paid",
                  (g_get_monotonic_time () - paid_at) / 1e6);
  g_assert_false (np_checkout_watcher_is_watching (watcher, id));
  g_assert_false (gtk_widget_get_visible (DETAIL_CHILD (detail, GtkWidget, "watch_box")));
  /* Escape returns to the console. */
  gtk_widget_activate_action (GTK_WIDGET (display), "display.close", NULL);
  wait_toplevel_gone (NP_TYPE_CUSTOMER_DISPLAY);

  /* Another waiting checkout: Stop Watching ends its watch. */
  select_checkout (f, np_checkout_get_id (other));
  g_assert_true (np_checkout_watcher_is_watching (watcher, np_checkout_get_id (other)));
  gtk_widget_activate_action (GTK_WIDGET (detail), "checkout.stop-watching", NULL);
  g_assert_false (np_checkout_watcher_is_watching (watcher, np_checkout_get_id (other)));
  g_assert_false (gtk_widget_get_visible (DETAIL_CHILD (detail, GtkWidget, "watch_box")));
}

/* The customer display's declined and cancelled states, reached by watching. */
static gboolean
display_in_state (gpointer user_data)
{
  void **pair = user_data;

  return g_strcmp0 (np_customer_display_get_state (pair[0]), pair[1]) == 0;
}

static void
test_display_declined_cancelled (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(NpCheckout) declined = np_test_workspace_create_checkout (f->tw, 1000, "SEK", TRUE);
  g_autoptr(NpCheckout) canceled = np_test_workspace_create_checkout (f->tw, 2000, "SEK", TRUE);
  g_autofree char *decline = g_strdup_printf ("{\"checkout_id\": \"%s\", \"outcome\": \"decline\"}",
                                              np_checkout_get_id (declined));
  g_autofree char *cancel = g_strdup_printf ("{\"checkout_id\": \"%s\", \"outcome\": \"cancel\"}",
                                             np_checkout_get_id (canceled));
  NpCustomerDisplay *a = np_customer_display_new (f->tw->workspace, np_checkout_get_id (declined));
  NpCustomerDisplay *b = np_customer_display_new (f->tw->workspace, np_checkout_get_id (canceled));
  void *want_a[] = { a, "declined" };
  void *want_b[] = { b, "cancelled" };

  gtk_window_present (GTK_WINDOW (a));
  gtk_window_present (GTK_WINDOW (b));
  g_assert_cmpstr (np_customer_display_get_state (a), ==, "waiting");
  g_assert_cmpstr (np_customer_display_get_state (b), ==, "waiting");
  g_assert_cmpuint (np_test_sandbox_call (f->tw->sandbox, "/sandbox/pay", decline, NULL), ==, 200);
  g_assert_cmpuint (np_test_sandbox_call (f->tw->sandbox, "/sandbox/pay", cancel, NULL), ==, 200);
  np_test_wait_until (display_in_state, want_a, 6000, "the display to show Declined");
  np_test_wait_until (display_in_state, want_b, 6000, "the display to show Cancelled");
  g_assert_nonnull (find_label_containing (GTK_WIDGET (a), "Declined"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (b), "Cancelled"));
  gtk_window_destroy (GTK_WINDOW (a));
  gtk_window_destroy (GTK_WINDOW (b));
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  /* GTK's test backend keeps what a screen reader would read (the count's label). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_init ();
  adw_init ();

  g_test_add ("/checkouts/no-svg-renderer", Fixture, NULL, fixture_set_up, test_no_svg_renderer, fixture_tear_down);
  g_test_add ("/checkouts/watch-until-paid", Fixture, NULL, fixture_set_up, test_watch_until_paid, fixture_tear_down);
  g_test_add ("/checkouts/display-declined-cancelled", Fixture, NULL, fixture_set_up,
              test_display_declined_cancelled, fixture_tear_down);
  g_test_add ("/checkouts/row-widget-rebinds", Fixture, NULL, fixture_set_up, test_row_widget_rebinds, fixture_tear_down);
  g_test_add ("/checkouts/detail-built-when-shown", Fixture, NULL, fixture_set_up, test_detail_built_when_shown, fixture_tear_down);
  g_test_add ("/checkouts/list-search-filter-sort", Fixture, NULL, fixture_set_up, test_list_search_filter_sort, fixture_tear_down);
  g_test_add ("/checkouts/search-reuses-rows", Fixture, NULL, fixture_set_up, test_search_reuses_rows, fixture_tear_down);
  g_test_add ("/checkouts/lookup-and-import", Fixture, NULL, fixture_set_up, test_lookup_and_import, fixture_tear_down);
  g_test_add ("/checkouts/refresh-progress-cancel", Fixture, NULL, fixture_set_up, test_refresh_progress_cancel, fixture_tear_down);
  g_test_add ("/checkouts/create-through-form", Fixture, NULL, fixture_set_up, test_create_through_form, fixture_tear_down);

  return g_test_run ();
}
