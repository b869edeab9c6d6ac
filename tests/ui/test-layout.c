/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-layout.c — the real window from 1280 px down to 360 px, on the embedded
 * sandbox with its sample data (as a newcomer's first run makes it): the sidebar and
 * the Checkouts list and detail fold into one column, the detail stays reachable and
 * back goes back; no page asks for more than 360 px. The pages at work at 1280x800
 * (the Overview's chart and attention rows, the list beside a checkout's refunds, a
 * customer's saved cards, Activity), 400x800, dark and high contrast, and the
 * customer display at 1024x600 (waiting, dark, paid, high contrast), as screenshots
 * under $NP_SCREENSHOT_DIR, which build-aux/screenshots sets to refresh
 * data/screenshots/ (unset, none are taken). */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "np-checkout-detail.h"
#include "np-checkout-new-dialog.h"
#include "np-checkout-refund-dialog.h"
#include "np-client-private.h"
#include "np-checkouts-page.h"
#include "np-row-list.h"
#include "np-customer-detail.h"
#include "np-customer-display.h"
#include "np-qr-code.h"
#include "np-overview-page.h"
#include "np-workspace.h"
#include "test-app-common.h"

static NpApplication *app;
static char *checkout_id;   /* the sample data's: partly refunded, a customer's */
static char *customer_id;   /* the sample data's: with saved cards */
static guint n_operations;  /* what the sample data sent, one journal row each */

static const char * const page_names[] = { "overview", "checkouts", "customers", "activity" };

static GtkWidget *
window_widget (void)
{
  return GTK_WIDGET (app_get_window (app));
}

static AdwLeaflet *
main_leaflet (void)
{
  return ADW_LEAFLET (app_find_descendant (window_widget (), ADW_TYPE_LEAFLET));
}

static NpCheckoutsPage *
checkouts_page (void)
{
  return NP_CHECKOUTS_PAGE (app_find_descendant (window_widget (), NP_TYPE_CHECKOUTS_PAGE));
}

static GtkWidget *
checkout_detail (void)
{
  return app_find_descendant (GTK_WIDGET (checkouts_page ()), g_type_from_name ("NpCheckoutDetail"));
}

static GtkWidget *
checkouts_list (void)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (checkouts_page ()), NP_TYPE_CHECKOUTS_PAGE,
                                                   "list_view"));
}

static gboolean
widget_is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

static gboolean
widget_is_unmapped (gpointer user_data)
{
  return !gtk_widget_get_mapped (user_data);
}

static gboolean
widget_is_allocated (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data) && gtk_widget_get_width (user_data) > 0;
}

static void
show_page (const char *name)
{
  g_assert_true (gtk_widget_activate_action (window_widget (), "win.show-page", "s", name));
  app_settle ();
}

/* A mapped label under @root containing @data, as an np_test_wait_until () condition. */
typedef struct {
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;

  return app_find_label (wait->root, wait->text) != NULL;
}

static void
wait_label (GtkWidget  *root,
            const char *text)
{
  LabelWait wait = { root, text };

  np_test_wait_until (label_shown, &wait, APP_TIMEOUT_MS, text);
}

/* Scrolls the checkout's detail so its refunds show, a third of the way down,
 * under the end of its details. */
static void
scroll_to_refunds (void)
{
  NpCheckoutDetail *detail = NP_CHECKOUT_DETAIL (checkout_detail ());
  GtkWidget *refunds = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (detail), NP_TYPE_CHECKOUT_DETAIL, "refunds_group"));
  GtkWidget *scrolled = gtk_widget_get_ancestor (refunds, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t top;

  np_test_wait_until (widget_is_allocated, refunds, APP_TIMEOUT_MS, "the refunds' allocation");
  g_assert_true (gtk_widget_compute_point (refunds, scrolled, &GRAPHENE_POINT_INIT (0, 0), &top));
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_value (vadjustment) + top.y -
                                         gtk_widget_get_height (scrolled) / 3);
  app_wait_for_paint (scrolled);
  g_assert_true (gtk_widget_compute_point (refunds, scrolled, &GRAPHENE_POINT_INIT (0, 0), &top));
  g_assert_cmpfloat (top.y, >=, 0);
  g_assert_cmpfloat (top.y, <, gtk_widget_get_height (scrolled) / 2);
}

static void
test_layout_wide (void)
{
  GtkWidget *detail;

  app_resize (GTK_WINDOW (window_widget ()), 1280, 800);
  g_assert_false (adw_leaflet_get_folded (main_leaflet ()));

  g_assert_true (gtk_widget_activate_action (window_widget (), "win.open-checkout", "s", checkout_id));
  app_settle ();
  g_assert_false (np_checkouts_page_get_folded (checkouts_page ()));

  /* Side by side: the list and the detail at once, the sidebar beside them. */
  detail = checkout_detail ();
  np_test_wait_until (widget_is_mapped, detail, APP_TIMEOUT_MS, "the detail");
  g_assert_true (gtk_widget_get_mapped (checkouts_list ()));
  g_assert_true (gtk_widget_get_mapped (app_find_sidebar (window_widget ())));
  np_test_wait_until (widget_is_allocated, detail, APP_TIMEOUT_MS, "the detail's allocation");
  g_assert_cmpint (gtk_widget_get_width (detail), >=, 360);

  /* At work: many checkouts in the list, the detail's refund with its reason. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (np_row_list_get_model (NP_ROW_LIST (checkouts_list ())))), >=, 50);
  wait_label (detail, "One item of the order was returned");
  scroll_to_refunds ();
  app_save_screenshot (GTK_WINDOW (window_widget ()), "window-1280.png");
}

static gboolean
list_filled (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_first_child (data) != NULL;
}

static gboolean
chart_covers_month (gpointer data)
{
  return np_chart_get_n_points (data) == 30;
}

/* The Overview over the last 30 days: a bar a day, and the attention rows the
 * sample data leaves (a reservation to capture, an unknown outcome, an unpaid
 * checkout older than a day). */
static void
test_layout_overview (void)
{
  GtkWidget *window = window_widget ();
  NpOverviewPage *page;
  graphene_point_t bottom;

  app_resize (GTK_WINDOW (window), 1280, 800);
  show_page ("overview");
  page = NP_OVERVIEW_PAGE (app_find_descendant (window, NP_TYPE_OVERVIEW_PAGE));
  /* As the period menu's "Last 30 days" does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "overview.period", "s", "month"));
  np_test_wait_until (chart_covers_month, np_overview_page_get_chart (page), APP_TIMEOUT_MS, "a month's chart");
  np_test_wait_until (list_filled, np_overview_page_get_list (page, NP_OVERVIEW_LIST_AWAITING_CAPTURE),
                      APP_TIMEOUT_MS, "awaiting capture");
  np_test_wait_until (list_filled, np_overview_page_get_list (page, NP_OVERVIEW_LIST_UNKNOWN_OUTCOME),
                      APP_TIMEOUT_MS, "unknown outcome");
  np_test_wait_until (list_filled, np_overview_page_get_list (page, NP_OVERVIEW_LIST_STALE_CREATED),
                      APP_TIMEOUT_MS, "unpaid for more than a day");
  np_test_wait_until (widget_is_mapped, np_overview_page_get_chart (page), APP_TIMEOUT_MS, "the chart");

  /* The chart shows without scrolling, above the four currencies' totals. */
  app_wait_for_paint (window);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (np_overview_page_get_chart (page)), window,
                                           &GRAPHENE_POINT_INIT (0, gtk_widget_get_height (GTK_WIDGET (np_overview_page_get_chart (page)))),
                                           &bottom));
  g_assert_cmpfloat (bottom.y, <=, gtk_widget_get_height (window));
  app_save_screenshot (GTK_WINDOW (window), "window-overview.png");
}

/* A customer's detail beside the list: contact, saved cards, checkouts. */
static void
test_layout_customer (void)
{
  GtkWidget *window = window_widget ();
  GtkWidget *detail;

  app_resize (GTK_WINDOW (window), 1280, 800);
  g_assert_true (gtk_widget_activate_action (window, "win.open-customer", "s", customer_id));
  app_settle ();
  detail = app_find_descendant (window, NP_TYPE_CUSTOMER_DETAIL);
  np_test_wait_until (widget_is_mapped, detail, APP_TIMEOUT_MS, "the customer's detail");
  g_assert_cmpstr (np_customer_detail_get_customer_id (NP_CUSTOMER_DETAIL (detail)), ==, customer_id);
  wait_label (detail, "\u2022\u2022\u2022\u2022");
  app_save_screenshot (GTK_WINDOW (window), "window-customer.png");
}

/* Activity: the journal of every operation the sample data sent, and of every
 * payment its look-ups saw (a 'refresh' row each). */
static void
test_layout_activity (void)
{
  GtkWidget *window = window_widget ();
  NpWorkspace *workspace = np_application_get_workspace (app);
  g_autoptr(NpJournalQuery) refreshes = np_journal_query_new ();
  g_autoptr(GPtrArray) seen = NULL;
  GtkWidget *view;

  app_resize (GTK_WINDOW (window), 1280, 800);
  show_page ("activity");
  view = app_find_descendant (app_find_descendant (window, g_type_from_name ("NpActivityPage")), GTK_TYPE_COLUMN_VIEW);
  np_test_wait_until (widget_is_mapped, view, APP_TIMEOUT_MS, "the journal");
  refreshes->operation_mask = NP_JOURNAL_OPERATION_BIT (NP_JOURNAL_OPERATION_REFRESH);
  seen = np_ledger_journal_list (np_workspace_get_ledger (workspace), np_workspace_get_account_id (workspace),
                                 refreshes, 0, G_MAXUINT, NULL);
  g_assert_nonnull (seen);
  g_assert_cmpuint (seen->len, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)))), ==,
                    n_operations + seen->len);
  app_save_screenshot (GTK_WINDOW (window), "window-activity.png");
}

static void
test_layout_narrow (void)
{
  GtkWidget *window = window_widget ();
  GtkWidget *detail = checkout_detail ();
  GtkWidget *sidebar = app_find_sidebar (window_widget ());
  int minimum;


  app_resize (GTK_WINDOW (window), 360, 700);
  g_assert_true (adw_leaflet_get_folded (main_leaflet ()));

  /* No page asks for more than 360 px. */
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      show_page (page_names[i]);
      /* the window's content: the window itself counts its frame too */
      gtk_widget_measure (GTK_WIDGET (main_leaflet ()), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      if (minimum > 360)
        g_error ("the %s page needs %d px", page_names[i], minimum);
      g_assert_cmpint (gtk_widget_get_width (window), <=, 362);
    }

  /* Opening a checkout shows its detail, alone, the list and sidebar folded away. */
  g_assert_true (gtk_widget_activate_action (window, "win.open-checkout", "s", checkout_id));
  app_settle ();
  g_assert_true (np_checkouts_page_get_folded (checkouts_page ()));
  np_test_wait_until (widget_is_mapped, detail, APP_TIMEOUT_MS, "the folded detail");
  np_test_wait_until (widget_is_unmapped, checkouts_list (), APP_TIMEOUT_MS, "the list to fold away");
  np_test_wait_until (widget_is_unmapped, sidebar, APP_TIMEOUT_MS, "the sidebar to fold away");
  np_test_wait_until (widget_is_allocated, detail, APP_TIMEOUT_MS, "the detail's allocation");
  g_assert_cmpint (gtk_widget_get_width (detail), <=, 360);
  g_assert_nonnull (app_find_label (detail, checkout_id));

  /* Back (Alt+Left) goes to the list, then to the sidebar. */
  g_assert_true (gtk_widget_activate_action (window, "win.back", NULL));
  np_test_wait_until (widget_is_mapped, checkouts_list (), APP_TIMEOUT_MS, "the list");
  np_test_wait_until (widget_is_unmapped, detail, APP_TIMEOUT_MS, "the detail to go");
  g_assert_true (gtk_widget_activate_action (window, "win.back", NULL));
  np_test_wait_until (widget_is_mapped, sidebar, APP_TIMEOUT_MS, "the sidebar");

  /* Choosing the checkout again in the list opens its detail. */
  show_page ("checkouts");
  g_assert_true (gtk_widget_activate_action (window, "win.open-checkout", "s", checkout_id));
  np_test_wait_until (widget_is_mapped, detail, APP_TIMEOUT_MS, "the detail again");
}

/* A saved card's "Charge This Card…": customer.new-checkout with the card's id
 * (the header's New Checkout has none). */
static gboolean
match_charge_button (GtkWidget     *widget,
                     gconstpointer  data)
{
  GVariant *target;

  if (!GTK_IS_BUTTON (widget) || !gtk_widget_get_mapped (widget) ||
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "customer.new-checkout") != 0)
    return FALSE;
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
  return target != NULL && *g_variant_get_string (target, NULL) != '\0';
}

static gboolean
match_action_button (GtkWidget     *widget,
                     gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

/* The button bound to @action in @dialog is sensitive. */
static void
wait_action_enabled (GtkWindow  *dialog,
                     const char *action)
{
  GtkWidget *button = app_find_widget (GTK_WIDGET (dialog), match_action_button, action);

  g_assert_nonnull (button);
  np_test_wait_until ((NpTestCondition) gtk_widget_is_sensitive, button, APP_TIMEOUT_MS, action);
}

/* The two forms over the sample data, as a person fills them in, and closed
 * without sending: a refund of part of what remains of the partly refunded
 * checkout, with a reason; a checkout charged to a customer's saved card. */
static void
test_layout_dialogs (void)
{
  GtkWidget *window = window_widget ();
  GtkWindow *dialog;
  GtkWidget *partial, *amount_row, *message_row, *reason;
  GtkWidget *detail, *charge;

  app_resize (GTK_WINDOW (window), 1280, 800);
  g_assert_true (gtk_widget_activate_action (window, "win.open-checkout", "s", checkout_id));
  np_test_wait_until (widget_is_mapped, checkout_detail (), APP_TIMEOUT_MS, "the detail");
  g_assert_true (gtk_widget_activate_action (checkout_detail (), "checkout.refund", NULL));
  dialog = app_wait_toplevel (NP_TYPE_CHECKOUT_REFUND_DIALOG);
  /* "Everything that remains", then "Part of it". */
  partial = gtk_widget_get_next_sibling (app_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_TOGGLE_BUTTON));
  g_assert_true (GTK_IS_TOGGLE_BUTTON (partial));
  g_signal_emit_by_name (partial, "clicked");
  amount_row = app_find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (amount_row), "200");
  reason = app_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (reason), 1);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_next_sibling (gtk_widget_get_ancestor (reason, ADW_TYPE_ACTION_ROW))),
                         "A second item was returned");
  wait_action_enabled (dialog, "refund.submit");
  wait_label (GTK_WIDGET (dialog), "1,238.25");
  app_save_widget_screenshot (GTK_WIDGET (dialog), "refund-dialog.png");
  gtk_window_destroy (dialog);
  app_wait_toplevel_gone (NP_TYPE_CHECKOUT_REFUND_DIALOG);

  g_assert_true (gtk_widget_activate_action (window, "win.open-customer", "s", customer_id));
  detail = app_find_descendant (window, NP_TYPE_CUSTOMER_DETAIL);
  np_test_wait_until (widget_is_mapped, detail, APP_TIMEOUT_MS, "the customer's detail");
  charge = app_find_widget (detail, match_charge_button, NULL);
  g_assert_nonnull (charge);
  g_signal_emit_by_name (charge, "clicked");
  dialog = app_wait_toplevel (NP_TYPE_CHECKOUT_NEW_DIALOG);
  amount_row = app_find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (amount_row), "245.00");
  message_row = gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (amount_row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (message_row)), ==, "Message to the customer");
  gtk_editable_set_text (GTK_EDITABLE (message_row), "Coffee beans, monthly subscription");
  wait_action_enabled (dialog, "new-checkout.create");
  app_save_widget_screenshot (GTK_WIDGET (dialog), "new-checkout.png");
  gtk_window_destroy (dialog);
  app_wait_toplevel_gone (NP_TYPE_CHECKOUT_NEW_DIALOG);
}

static gboolean
checkouts_folded (gpointer data)
{
  return np_checkouts_page_get_folded (checkouts_page ());
}

static void
test_layout_screenshots (void)
{
  GtkWindow *window = GTK_WINDOW (window_widget ());
  AdwStyleManager *style = adw_style_manager_get_default ();

  /* Another page narrows the window though the hidden Checkouts page was last
   * laid out side by side, which needs 498 px: the page stack is not homogeneous. */
  app_resize (window, 1280, 800);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-checkout", "s", checkout_id));
  np_test_wait_until (widget_is_mapped, checkout_detail (), APP_TIMEOUT_MS, "the detail");
  g_assert_false (np_checkouts_page_get_folded (checkouts_page ()));
  show_page ("activity");
  app_resize (window, 400, 800);
  g_assert_true (adw_leaflet_get_folded (main_leaflet ()));

  /* Checkouts, shown again, asks for those 498 px until it has folded: asked
   * again for 400 px, it gets them. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-checkout", "s", checkout_id));
  np_test_wait_until (widget_is_mapped, checkout_detail (), APP_TIMEOUT_MS, "the detail");
  np_test_wait_until (checkouts_folded, NULL, APP_TIMEOUT_MS, "the Checkouts page to fold");
  app_resize (window, 400, 800);
  app_save_screenshot (window, "window-400.png");

  /* The dark style: the Overview, dark. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  app_settle ();
  g_assert_true (adw_style_manager_get_dark (style));
  app_resize (window, 1280, 800);
  show_page ("overview");
  np_test_wait_until (widget_is_mapped, app_find_descendant (GTK_WIDGET (window), NP_TYPE_CHART), APP_TIMEOUT_MS,
                      "the chart");
  app_save_screenshot (window, "window-1280-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* The customer display ------------------------------------------------------- */

/* Pays @id at the embedded sandbox over HTTP, as a customer's phone would:
 * POST /sandbox/pay with the account's key. */
static void
sandbox_pays (const char *id)
{
  NpWorkspace *workspace = np_application_get_workspace (app);
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *body = g_strdup_printf ("{\"checkout_id\": \"%s\", \"outcome\": \"success\"}", id);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_object_get (workspace, "sandbox-url", &base, NULL);
  url = g_strconcat (base, "/sandbox/pay", NULL);
  auth = g_strdup_printf ("Bearer %s", np_client_get_api_key (np_workspace_get_client (workspace)));
  msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static gboolean
display_in_state (gpointer user_data)
{
  void **pair = user_data;

  return g_strcmp0 (np_customer_display_get_state (pair[0]), pair[1]) == 0;
}

static gboolean
label_in (gpointer user_data)
{
  void **pair = user_data;

  return app_find_label (pair[0], pair[1]) != NULL;
}

static gboolean
match_mapped_leaf (GtkWidget     *widget,
                   gconstpointer  data)
{
  return gtk_widget_get_mapped (widget) &&
         (GTK_IS_LABEL (widget) || GTK_IS_IMAGE (widget) || NP_IS_QR_CODE (widget));
}

/* Nothing of the display is clipped at the window's size: it asks for no more
 * than it has, every label, image and the QR code lies inside the window at its
 * full natural height, and the QR code (while waiting) is on show at its 320 px. */
static void
assert_display_fits (NpCustomerDisplay *display,
                     int                width,
                     int                height,
                     gboolean           waiting)
{
  GtkWidget *window = GTK_WIDGET (display);
  GtkWidget *content = adw_window_get_content (ADW_WINDOW (display));
  g_autoptr(GPtrArray) leaves = g_ptr_array_new ();
  GtkWidget *qr = app_find_descendant (window, NP_TYPE_QR_CODE);
  int minimum, natural;

  /* What the window got (a frame may take a few pixels): no more than asked. */
  g_assert_cmpint (gtk_widget_get_width (window), <=, width);
  g_assert_cmpint (gtk_widget_get_height (window), <=, height);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  gtk_widget_measure (content, GTK_ORIENTATION_VERTICAL, width, &minimum, &natural, NULL, NULL);
  g_test_message ("customer display at %dx%d (%s): content needs %d px (natural %d)", width, height,
                  np_customer_display_get_state (display), minimum, natural);
  g_assert_cmpint (minimum, <=, height);

  app_collect_widgets (content, match_mapped_leaf, NULL, leaves);
  g_assert_cmpuint (leaves->len, >=, 4);
  for (guint i = 0; i < leaves->len; i++)
    {
      GtkWidget *leaf = g_ptr_array_index (leaves, i);
      graphene_rect_t bounds;
      int leaf_min, leaf_nat;   /* margins included */

      g_assert_true (gtk_widget_compute_bounds (leaf, window, &bounds));
      gtk_widget_measure (leaf, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (leaf), &leaf_min, &leaf_nat,
                          NULL, NULL);
      if (bounds.origin.x < 0 || bounds.origin.y < 0 ||
          bounds.origin.x + bounds.size.width > width || bounds.origin.y + bounds.size.height > height ||
          gtk_widget_get_height (leaf) + gtk_widget_get_margin_top (leaf) + gtk_widget_get_margin_bottom (leaf)
          < leaf_min)
        g_error ("%s '%s' at %.0f,%.0f %.0fx%.0f (needs %d px high) is clipped in %dx%d",
                 G_OBJECT_TYPE_NAME (leaf), GTK_IS_LABEL (leaf) ? gtk_label_get_text (GTK_LABEL (leaf)) : "",
                 bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height, leaf_min, width, height);
    }

  g_assert_nonnull (qr);
  g_assert_cmpint (gtk_widget_get_mapped (qr), ==, waiting);
  if (waiting)
    {
      g_assert_cmpint (gtk_widget_get_width (qr), >=, 320);
      g_assert_cmpint (gtk_widget_get_height (qr), >=, 320);
      g_assert_nonnull (np_qr_code_get_text (NP_QR_CODE (qr)));
    }
}

static NpCustomerDisplay *
open_display (const char *id)
{
  NpCustomerDisplay *display = np_customer_display_new (np_application_get_workspace (app), id);
  int minimum;

  /* As Show to Customer opens it, but in a window of its own size, not full screen. */
  gtk_window_set_transient_for (GTK_WINDOW (display), GTK_WINDOW (app_get_window (app)));
  gtk_window_set_application (GTK_WINDOW (display), GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (display));
  np_test_wait_until (app_widget_mapped, display, APP_TIMEOUT_MS, "the customer display");
  /* A display asking for more than 600 px could not be made that small at all. */
  gtk_widget_measure (adw_window_get_content (ADW_WINDOW (display)), GTK_ORIENTATION_VERTICAL, 1024,
                      &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 600);
  app_resize (GTK_WINDOW (display), 1024, 600);
  return display;
}

/* Show to Customer at 1024x600, waiting (light and dark) and paid: nothing
 * clipped, the QR code whole; the pictures the README shows. */
static void
test_layout_customer_display (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *main_window = window_widget ();
  g_autofree char *id = app_create_checkout (app, 12550, "SEK");
  NpCustomerDisplay *display = open_display (id);
  void *paid[] = { display, "paid" };
  void *told[] = { main_window, "paid: 125.50" };

  g_assert_cmpstr (np_customer_display_get_state (display), ==, "waiting");
  g_assert_nonnull (app_find_label (GTK_WIDGET (display), "125.50"));
  assert_display_fits (display, 1024, 600, TRUE);
  app_save_screenshot (GTK_WINDOW (display), "customer-display-waiting.png");

  /* A larger screen gets a larger code: it takes the height the text leaves
   * (the headless screen stops at 1280x800; a 4K screen at scale 2 is 1920x1080). */
  {
    GtkWidget *qr = app_find_descendant (GTK_WIDGET (display), NP_TYPE_QR_CODE);
    int small = MIN (gtk_widget_get_width (qr), gtk_widget_get_height (qr));
    int large;

    app_resize (GTK_WINDOW (display), 1280, 800);
    assert_display_fits (display, 1280, 800, TRUE);
    large = MIN (gtk_widget_get_width (qr), gtk_widget_get_height (qr));
    g_test_message ("customer display: QR code %d px at 1024x600, %d px at 1280x800", small, large);
    g_assert_cmpint (large, >=, small + 150);
    app_resize (GTK_WINDOW (display), 1024, 600);
  }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  app_wait_for_paint (GTK_WIDGET (display));
  g_assert_true (adw_style_manager_get_dark (style));
  assert_display_fits (display, 1024, 600, TRUE);
  app_save_screenshot (GTK_WINDOW (display), "customer-display-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  app_wait_for_paint (GTK_WIDGET (display));

  sandbox_pays (id);
  np_test_wait_until (display_in_state, paid, APP_TIMEOUT_MS, "the display to say Paid");
  /* The focused display said it: the toast waits in the console's window, and no
   * desktop notification covers the customer's screen (this test has no
   * notification server, so sending one would fail it). */
  g_assert_true (gtk_window_is_active (GTK_WINDOW (display)));
  np_test_wait_until (label_in, told, APP_TIMEOUT_MS, "the toast in the console's window");
  app_wait_for_paint (GTK_WIDGET (display));
  g_assert_nonnull (app_find_label (GTK_WIDGET (display), "125.50"));
  assert_display_fits (display, 1024, 600, FALSE);
  app_save_screenshot (GTK_WINDOW (display), "customer-display-paid.png");

  gtk_window_destroy (GTK_WINDOW (display));
}

/* A key pressed on the display, as GTK delivers it to the display's own key
 * controller (capture phase, before any widget's bindings); TRUE when taken. */
static gboolean
press_on (GtkWidget *widget,
          guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "np-customer-display-keys") != 0)
        continue;
      g_assert_cmpint (gtk_event_controller_get_propagation_phase (controller), ==, GTK_PHASE_CAPTURE);
      g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
      return handled;
    }
  g_error ("the display has no key controller");
}

/* "Then a new sale is one key away": once the display says Paid it says so, and
 * Enter closes it and opens New Checkout in the console's window, in the last
 * sale's currency; while the customer is still paying, Enter does nothing. */
static void
test_layout_display_new_sale (void)
{
  GtkWidget *main_window = window_widget ();
  g_autofree char *id = app_create_checkout (app, 4900, "EUR");
  NpCustomerDisplay *display = open_display (id);
  void *paid[] = { display, "paid" };
  GtkWidget *hint = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (display), NP_TYPE_CUSTOMER_DISPLAY, "new_sale_hint");
  GtkWindow *dialog;
  GtkDropDown *currency;

  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (hint)), ==, "Press Enter for a new sale");
  g_assert_false (gtk_widget_get_mapped (hint));
  g_assert_false (press_on (GTK_WIDGET (display), GDK_KEY_Return));
  g_assert_nonnull (app_find_toplevel (NP_TYPE_CUSTOMER_DISPLAY));
  g_assert_null (app_find_toplevel (NP_TYPE_CHECKOUT_NEW_DIALOG));

  sandbox_pays (id);
  np_test_wait_until (display_in_state, paid, APP_TIMEOUT_MS, "the display to say Paid");
  app_wait_for_paint (GTK_WIDGET (display));
  g_assert_true (gtk_widget_get_mapped (hint));
  assert_display_fits (display, 1024, 600, FALSE);

  g_assert_true (press_on (GTK_WIDGET (display), GDK_KEY_Return));
  app_wait_toplevel_gone (NP_TYPE_CUSTOMER_DISPLAY);
  dialog = app_wait_toplevel (NP_TYPE_CHECKOUT_NEW_DIALOG);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (main_window));
  currency = (GtkDropDown *) gtk_widget_get_template_child (GTK_WIDGET (dialog), NP_TYPE_CHECKOUT_NEW_DIALOG,
                                                            "currency_dropdown");
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (currency)), ==, "EUR");
  gtk_window_destroy (dialog);
  app_wait_toplevel_gone (NP_TYPE_CHECKOUT_NEW_DIALOG);
}

/* High contrast is read from the system when libadwaita starts: the child process
 * of this test starts with it on (libadwaita's ADW_DEBUG_HIGH_CONTRAST) and shows
 * the Checkouts page with a checkout's detail. */
static void
test_layout_high_contrast (void)
{
  if (g_test_subprocess ())
    {
      GtkWindow *window = GTK_WINDOW (window_widget ());

      g_assert_true (adw_style_manager_get_high_contrast (adw_style_manager_get_default ()));
      app_resize (window, 1280, 800);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-checkout", "s", checkout_id));
      np_test_wait_until (widget_is_mapped, checkout_detail (), APP_TIMEOUT_MS, "the detail");
      g_assert_nonnull (app_find_label (checkout_detail (), checkout_id));
      app_save_screenshot (window, "window-1280-high-contrast.png");

      /* The customer display in high contrast at 1024x600: nothing clipped. */
      {
        g_autofree char *id = app_create_checkout (app, 4200, "SEK");
        NpCustomerDisplay *display = open_display (id);

        assert_display_fits (display, 1024, 600, TRUE);
        app_save_screenshot (GTK_WINDOW (display), "customer-display-high-contrast.png");
        gtk_window_destroy (GTK_WINDOW (display));
      }
      return;
    }

  g_setenv ("ADW_DEBUG_HIGH_CONTRAST", "1", TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("ADW_DEBUG_HIGH_CONTRAST");
  g_test_trap_assert_passed ();
}

/* The sample data, as the first run's "Add Sample Data" makes it. */
static void
add_sample_data (void)
{
  NpWorkspace *workspace = np_application_get_workspace (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  g_assert_true (np_workspace_can_add_sample_data (workspace));
  np_workspace_add_sample_data_async (workspace, NULL, np_test_store_result, &result);
  g_assert_true (np_workspace_add_sample_data_finish (workspace, np_test_wait_result (&result, 60000),
                                                      &n_operations, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_operations, >, 60);
  g_test_message ("sample data: %u operations in %.2f s", n_operations,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
}

/* A partly refunded checkout, a customer's if one is, newest first. */
static char *
find_refunded_checkout (void)
{
  NpWorkspace *workspace = np_application_get_workspace (app);
  NpCheckoutQuery query = {
    .status_mask = NP_CHECKOUT_STATUS_BIT (NP_CHECKOUT_STATUS_PARTIAL_REFUND),
    .sort = NP_CHECKOUT_SORT_CREATED,
    .descending = TRUE,
  };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = np_ledger_list_checkouts (np_workspace_get_ledger (workspace), np_workspace_get_account_id (workspace),
                                   &query, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    if (np_checkout_row_get_customer_id (g_ptr_array_index (rows, i)) != NULL)
      return g_strdup (np_checkout_row_get_checkout_id (g_ptr_array_index (rows, i)));
  return g_strdup (np_checkout_row_get_checkout_id (g_ptr_array_index (rows, 0)));
}

/* The customer with the most saved cards. */
static char *
find_customer_with_cards (void)
{
  NpWorkspace *workspace = np_application_get_workspace (app);
  NpLedger *ledger = np_workspace_get_ledger (workspace);
  gint64 account_id = np_workspace_get_account_id (workspace);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const char *best = NULL;
  guint best_cards = 0;

  rows = np_ledger_list_customers (ledger, account_id, NULL, 0, 100, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *id = np_customer_row_get_customer_id (g_ptr_array_index (rows, i));
      g_autoptr(NpCustomer) customer = np_ledger_get_customer (ledger, account_id, id, &error);

      g_assert_no_error (error);
      if (np_customer_get_saved_cards (customer)->len > best_cards)
        {
          best = id;
          best_cards = np_customer_get_saved_cards (customer)->len;
        }
    }
  g_assert_nonnull (best);
  return g_strdup (best);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  np_test_init (&argc, &argv);
  app = app_start ();
  add_sample_data ();
  checkout_id = find_refunded_checkout ();
  customer_id = find_customer_with_cards ();

  g_test_add_func ("/ui/layout/wide", test_layout_wide);
  g_test_add_func ("/ui/layout/narrow", test_layout_narrow);
  g_test_add_func ("/ui/layout/overview", test_layout_overview);
  g_test_add_func ("/ui/layout/customer", test_layout_customer);
  g_test_add_func ("/ui/layout/activity", test_layout_activity);
  g_test_add_func ("/ui/layout/dialogs", test_layout_dialogs);
  g_test_add_func ("/ui/layout/screenshots", test_layout_screenshots);
  g_test_add_func ("/ui/layout/customer-display", test_layout_customer_display);
  g_test_add_func ("/ui/layout/display-new-sale", test_layout_display_new_sale);
  g_test_add_func ("/ui/layout/high-contrast", test_layout_high_contrast);
  status = g_test_run ();

  g_free (checkout_id);
  g_free (customer_id);
  app_quit (app);
  return status;
}
