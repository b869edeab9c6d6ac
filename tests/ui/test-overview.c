/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-overview.c — the Overview page against the real sandbox, ledger and keyring.
 *
 * A scripted set of operations goes through the workspace to the sandbox: paid,
 * partially and fully refunded checkouts in two currencies, a reservation waiting
 * for its capture, a capture whose answer is dropped (outcome unknown), a refresh
 * that fails, and one created checkout from two days ago. The page, in a real
 * window, must then show the right totals per currency, the right rows in each
 * "Needs attention" list, and a chart with the right daily points; a row opens
 * its checkout through win.open-checkout; settling the unknown capture updates
 * the lists and totals by itself, in few recomputations.
 */
#include "config.h"

#include <adwaita.h>

#include "np-chart.h"
#include "np-money.h"
#include "np-overview-currency-card.h"
#include "np-overview-attention-row.h"
#include "np-overview-columns.h"
#include "np-overview-page.h"
#include "np-overview-totals.h"
#include "np-test-sandbox.h"
#include "np-test-utils.h"
#include "np-test-workspace.h"
#include "np-sample-plan.h"
#include <libsoup/soup.h>
#include "test-app-common.h"

#define TIMEOUT_MS 20000

typedef struct {
  NpTestWorkspace *tw;
  GtkWindow       *window;
  NpOverviewPage  *page;
  GPtrArray       *opened;     /* ids given to win.open-checkout */
} Fixture;

/* Widget tree ------------------------------------------------------------------- */

static gboolean
label_shown (Fixture    *f,
             const char *text)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  app_collect_widgets (GTK_WIDGET (f->page), app_match_mapped_label, text, found);
  return found->len > 0;
}

/* The object ids of the rows of one "Needs attention" list, in order. */
static char *
list_ids (Fixture        *f,
          NpOverviewList  list)
{
  GtkListBox *box = np_overview_page_get_list (f->page, list);
  g_autoptr(GString) ids = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (box)); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      if (!NP_IS_OVERVIEW_ATTENTION_ROW (row))
        continue;
      if (ids->len > 0)
        g_string_append_c (ids, ',');
      g_string_append (ids, np_overview_attention_row_get_object_id (NP_OVERVIEW_ATTENTION_ROW (row)));
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

typedef struct {
  Fixture        *f;
  NpOverviewList  list;
  const char     *expected;
} ListWait;

static gboolean
list_is (gpointer data)
{
  ListWait *wait = data;
  g_autofree char *ids = list_ids (wait->f, wait->list);

  return g_strcmp0 (ids, wait->expected) == 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (np_overview_page_get_list (wait->f->page, wait->list))) ==
           (*wait->expected != '\0');
}

static void
wait_list (Fixture        *f,
           NpOverviewList  list,
           const char     *expected)
{
  ListWait wait = { f, list, expected };
  g_autofree char *what = g_strdup_printf ("list %d to be \"%s\"", list, expected);

  np_test_wait_until (list_is, &wait, TIMEOUT_MS, what);
}

static gboolean
list_not_empty (GtkWidget *box)
{
  return gtk_widget_get_first_child (box) != NULL && gtk_widget_get_mapped (box);
}

/* Operations through the workspace ----------------------------------------------- */

/* Created through the workspace, paid (or reserved) on the sandbox's payment page,
 * and looked up so the ledger knows. */
static NpCheckout *
create_and_pay (Fixture    *f,
                gint64      amount,
                const char *currency,
                gboolean    capture)
{
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (f->tw, amount, currency, capture);

  return np_test_workspace_pay (f->tw, np_checkout_get_id (created));
}

static NpCheckout *
refund (Fixture    *f,
        const char *checkout_id,
        gint64      amount)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_workspace_refund_checkout_async (f->tw->workspace, checkout_id, amount, "requested_by_customer",
                                      NULL, NULL, np_test_store_result, &result);
  return np_test_workspace_wait_checkout (f->tw, &result);
}

/* A capture whose answer the sandbox drops after capturing: the journal says UNKNOWN. */
static void
capture_answer_lost (Fixture    *f,
                     const char *checkout_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;

  np_test_sandbox_add_fault (f->tw->sandbox, "/checkout/capture", "drop", 1);
  np_workspace_capture_checkout_async (f->tw->workspace, checkout_id, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, TIMEOUT_MS);
  checkout = np_workspace_checkout_finish (f->tw->workspace, result, &error);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpuint (np_test_sandbox_count_applied (f->tw->sandbox, "/checkout/capture"), ==, 1);
}

/* A refresh the sandbox answers with errors: the ledger keeps why it failed. */
static void
refresh_fails (Fixture    *f,
               const char *checkout_id)
{
  const char *ids[] = { checkout_id, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpRefreshSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  np_test_sandbox_add_fault (f->tw->sandbox, "/checkout/retrieve", "status:500", -1);
  np_workspace_refresh_checkouts_async (f->tw->workspace, ids, NULL, NULL, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, TIMEOUT_MS);
  summary = np_workspace_refresh_finish (f->tw->workspace, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->failed, ==, 1);
  np_test_sandbox_clear_faults (f->tw->sandbox);
}

/* The sandbox stamps checkouts with the current time, so a checkout from two days
 * ago can only come from an earlier session: it is stored as the ledger stores
 * any retrieved checkout. */
static void
store_old_checkout (Fixture    *f,
                    const char *checkout_id,
                    gint64      amount)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -2);
  g_autofree char *created = g_date_time_format_iso8601 (then);
  g_autofree char *json = g_strdup_printf ("{\"checkout_id\": \"%s\", \"status\": \"created\", \"amount\": %" G_GINT64_FORMAT ","
                                           " \"currency\": \"SEK\", \"refunded_amount\": 0,"
                                           " \"created\": \"%s\", \"updated\": \"%s\"}",
                                           checkout_id, amount, created, created);
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;

  checkout = np_checkout_new_from_data (json, -1, &error);
  g_assert_no_error (error);
  np_ledger_upsert_checkout (f->tw->ledger, np_account_get_id (f->tw->account), checkout, &error);
  g_assert_no_error (error);
}

/* Fixture ------------------------------------------------------------------------ */

static void
open_checkout (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->opened, g_variant_dup_string (parameter, NULL));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const GActionEntry win_actions[] = {
    { "open-checkout", open_checkout, "s", NULL, NULL, { 0 } },
    { "open-customer", open_checkout, "s", NULL, NULL, { 0 } },
  };

  f->opened = g_ptr_array_new_with_free_func (g_free);
  f->tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  f->page = g_object_new (NP_TYPE_OVERVIEW_PAGE, "workspace", f->tw->workspace, NULL);
  f->window = app_present_in_window (GTK_WIDGET (f->page), GTK_WIDGET (f->page), 1240, 780,
                                     win_actions, G_N_ELEMENTS (win_actions), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (f->window);
  g_clear_pointer (&f->tw, np_test_workspace_free);
  g_clear_pointer (&f->opened, g_ptr_array_unref);
}

/* The test ----------------------------------------------------------------------- */

typedef struct {
  Fixture    *f;
  const char *currency;
  guint       count;
  gint64      paid;
  gint64      refunded;
} SummaryWait;

static const NpPeriodSummary *
find_summary (Fixture    *f,
              const char *currency)
{
  GPtrArray *summaries = np_overview_page_get_summaries (f->page);

  for (guint i = 0; summaries != NULL && i < summaries->len; i++)
    {
      const NpPeriodSummary *summary = g_ptr_array_index (summaries, i);

      if (g_strcmp0 (summary->currency, currency) == 0)
        return summary;
    }

  return NULL;
}

static gboolean
summary_is (gpointer data)
{
  SummaryWait *wait = data;
  const NpPeriodSummary *summary = find_summary (wait->f, wait->currency);

  return summary != NULL && summary->count == wait->count &&
         summary->paid == wait->paid && summary->refunded == wait->refunded;
}

/* Waits for the page's totals, then checks what the card shows. */
static void
assert_totals (Fixture    *f,
               const char *currency,
               guint       count,
               gint64      paid,
               gint64      refunded)
{
  SummaryWait wait = { f, currency, count, paid, refunded };
  g_autofree char *what = g_strdup_printf ("%u %s checkouts, %" G_GINT64_FORMAT " paid", count, currency, paid);
  g_autofree char *paid_text = np_money_format (paid, currency);
  g_autofree char *refunded_text = np_money_format (refunded, currency);
  g_autofree char *net_text = np_money_format (paid - refunded, currency);

  np_test_wait_until (summary_is, &wait, TIMEOUT_MS, what);
  np_test_wait_until (app_widget_mapped, f->page, TIMEOUT_MS, "the page");
  g_assert_true (label_shown (f, paid_text));
  g_assert_true (label_shown (f, refunded_text));
  g_assert_true (label_shown (f, net_text));
  g_assert_true (label_shown (f, "Checkouts created in the period, by currency. "
                                 "Refunds count on the day their checkout was created."));
}

typedef struct {
  Fixture *f;
  guint    n_points;
} ChartWait;

static gboolean
chart_has_points (gpointer data)
{
  ChartWait *wait = data;

  return np_chart_get_n_points (np_overview_page_get_chart (wait->f->page)) == wait->n_points;
}

/* What the chart drew: its text nodes' fonts and its coloured rectangles. */
typedef struct {
  guint      n_texts;
  guint      n_colors;
  PangoFont *font;       /* every text node's, or NULL */
  gboolean   one_font;
} ChartNodes;

static void
walk_chart_nodes (GskRenderNode *node,
                  ChartNodes    *out)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        walk_chart_nodes (gsk_container_node_get_child (node, i), out);
      break;
    case GSK_TRANSFORM_NODE:
      walk_chart_nodes (gsk_transform_node_get_child (node), out);
      break;
    case GSK_TEXT_NODE:
      if (out->font == NULL)
        out->font = gsk_text_node_get_font (node);
      else if (!pango_font_description_equal (pango_font_describe (out->font),
                                              pango_font_describe (gsk_text_node_get_font (node))))
        out->one_font = FALSE;
      out->n_texts++;
      break;
    case GSK_COLOR_NODE:
      out->n_colors++;
      break;
    case GSK_CAIRO_NODE:
      g_error ("the chart drew with cairo: its text is not the window's");
    default:
      break;
    }
}

static ChartNodes
chart_nodes (NpChart *chart)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  ChartNodes out = { 0, 0, NULL, TRUE };

  /* Its own drawing, whether or not the window shows it now. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (chart)), >, 0);
  GTK_WIDGET_GET_CLASS (chart)->snapshot (GTK_WIDGET (chart), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  walk_chart_nodes (node, &out);

  return out;
}

static GtkMenuButton *
period_button (Fixture *f)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  app_collect_widgets (GTK_WIDGET (f->page), app_match_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON), found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (found->pdata[i]), "Period") == 0)
      return found->pdata[i];
  g_assert_not_reached ();
}

/* Picks @period as a person does: opens the period menu and takes its item,
 * whose label the button then shows. */
static void
select_period (Fixture          *f,
               NpOverviewPeriod  period,
               guint             n_days)
{
  GtkMenuButton *button = period_button (f);
  g_autoptr(GMenuModel) section = NULL;
  g_autofree char *label = NULL;
  g_autofree char *target = NULL;
  GMenuModel *menu;
  ChartWait wait = { f, n_days };

  gtk_menu_button_popup (button);
  g_assert_true (GTK_IS_POPOVER_MENU (gtk_menu_button_get_popover (button)));
  menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (gtk_menu_button_get_popover (button)));
  section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_assert_nonnull (section);
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, 4);
  g_assert_true (g_menu_model_get_item_attribute (section, period, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_true (g_menu_model_get_item_attribute (section, period, G_MENU_ATTRIBUTE_TARGET, "s", &target));
  gtk_menu_button_popdown (button);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (button), "overview.period", "s", target));
  g_assert_cmpint (np_overview_page_get_period (f->page), ==, period);
  g_assert_cmpstr (gtk_menu_button_get_label (button), ==, label);
  np_test_wait_until (chart_has_points, &wait, TIMEOUT_MS, "the chart to cover the period");
}

/* The chart's currency drop-down: made only once a period has several currencies. */
static GtkDropDown *
find_currency_dropdown (Fixture *f)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  app_collect_widgets (GTK_WIDGET (f->page), app_match_type, GSIZE_TO_POINTER (GTK_TYPE_DROP_DOWN), found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (found->pdata[i]), "Currency") == 0)
      return found->pdata[i];

  return NULL;
}

/* The custom range's first day: its calendar is made when the button first opens. */
static void
pick_custom_first_day (Fixture   *f,
                       GDateTime *day,
                       guint      n_days)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  GtkMenuButton *button = NULL;
  GtkPopover *popover;
  ChartWait wait = { f, n_days };

  app_collect_widgets (GTK_WIDGET (f->page), app_match_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON), found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (found->pdata[i]), "First day") == 0)
      button = found->pdata[i];
  g_assert_nonnull (button);
  g_assert_null (gtk_menu_button_get_popover (button));

  gtk_menu_button_popup (button);
  popover = gtk_menu_button_get_popover (button);
  g_assert_nonnull (popover);
  g_assert_true (GTK_IS_CALENDAR (gtk_popover_get_child (popover)));
  gtk_calendar_select_day (GTK_CALENDAR (gtk_popover_get_child (popover)), day);
  gtk_menu_button_popdown (button);
  np_test_wait_until (chart_has_points, &wait, TIMEOUT_MS, "the chart to cover the custom range");
}

/* Whether the chart sits in the left half of the page: the columns are stacked. */
static gboolean
chart_stacked (gpointer data)
{
  Fixture *f = data;
  graphene_rect_t bounds;

  return gtk_widget_compute_bounds (GTK_WIDGET (np_overview_page_get_chart (f->page)), GTK_WIDGET (f->page), &bounds) &&
         bounds.origin.x < gtk_widget_get_width (GTK_WIDGET (f->page)) / 4.0;
}

static gboolean
chart_beside (gpointer data)
{
  return !chart_stacked (data);
}

static void
test_overview (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(NpCheckout) a = NULL, b = NULL, e = NULL, r = NULL, u = NULL, x = NULL;
  g_autoptr(NpCheckout) refunded = NULL, settled = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *awaiting = NULL;
  NpChart *chart = np_overview_page_get_chart (f->page);
  const NpChartPoint *today;
  guint n_refreshes;
  gint64 paid_sum = 0;

  /* Nothing yet: all clear, no totals. */
  wait_list (f, NP_OVERVIEW_LIST_AWAITING_CAPTURE, "");
  g_assert_null (find_summary (f, "SEK"));

  a = create_and_pay (f, 10000, "SEK", TRUE);
  b = create_and_pay (f, 25000, "SEK", TRUE);
  refunded = refund (f, np_checkout_get_id (b), 5000);
  g_assert_cmpstr (np_checkout_get_status_text (refunded), ==, "partialRefund");
  g_clear_object (&refunded);
  /* Totals in one currency: no currency drop-down is made for the chart. */
  assert_totals (f, "SEK", 2, 10000 + 25000, 5000);
  g_assert_cmpuint (np_overview_page_get_summaries (f->page)->len, ==, 1);
  g_assert_null (find_currency_dropdown (f));
  e = create_and_pay (f, 3000, "EUR", TRUE);
  refunded = refund (f, np_checkout_get_id (e), -1);
  g_assert_cmpstr (np_checkout_get_status_text (refunded), ==, "refunded");
  r = create_and_pay (f, 7500, "SEK", FALSE);
  g_assert_cmpstr (np_checkout_get_status_text (r), ==, "reserved");
  u = create_and_pay (f, 4000, "SEK", FALSE);
  capture_answer_lost (f, np_checkout_get_id (u));
  x = np_test_workspace_create_checkout (f->tw, 2000, "SEK", TRUE);
  refresh_fails (f, np_checkout_get_id (x));
  store_old_checkout (f, "old-unpaid-1", 500);

  /* Needs attention, oldest first; each list is a real ledger query. */
  awaiting = g_strdup_printf ("%s,%s", np_checkout_get_id (r), np_checkout_get_id (u));
  wait_list (f, NP_OVERVIEW_LIST_AWAITING_CAPTURE, awaiting);
  wait_list (f, NP_OVERVIEW_LIST_UNKNOWN_OUTCOME, np_checkout_get_id (u));
  wait_list (f, NP_OVERVIEW_LIST_REFRESH_FAILED, np_checkout_get_id (x));
  wait_list (f, NP_OVERVIEW_LIST_STALE_CREATED, "old-unpaid-1");

  /* Totals for the last 7 days (the default): six SEK checkouts of which two
   * were paid (one partially refunded), and the fully refunded EUR one. */
  assert_totals (f, "SEK", 6, 10000 + 25000, 5000);
  assert_totals (f, "EUR", 1, 3000, 3000);
  g_assert_cmpstr (((NpPeriodSummary *)g_ptr_array_index (np_overview_page_get_summaries (f->page), 0))->currency, ==, "SEK");

  /* The chart: seven local days of SEK, everything today, nothing two days ago. */
  g_assert_cmpstr (np_chart_get_currency (chart), ==, "SEK");
  /* Two: now it is, offering both, the chart's currency chosen. */
  g_assert_nonnull (find_currency_dropdown (f));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (find_currency_dropdown (f))));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (find_currency_dropdown (f))), ==, 2);
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (find_currency_dropdown (f))), ==, "SEK");
  g_assert_cmpuint (np_chart_get_n_points (chart), ==, 7);
  today = np_chart_get_point (chart, 6);
  g_assert_cmpint (today->paid, ==, 35000);
  g_assert_cmpint (today->refunded, ==, 5000);
  for (guint i = 0; i < 7; i++)
    paid_sum += np_chart_get_point (chart, i)->paid;
  g_assert_cmpint (paid_sum, ==, 35000);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    GDate expected;

    g_date_clear (&expected, 1);
    g_date_set_dmy (&expected, g_date_time_get_day_of_month (now), g_date_time_get_month (now), g_date_time_get_year (now));
    g_assert_cmpint (g_date_compare (&today->day, &expected), ==, 0);
  }

  app_wait_for_paint (GTK_WIDGET (f->window));
  app_save_widget_screenshot (GTK_WIDGET (f->page), "overview.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  app_wait_for_paint (GTK_WIDGET (f->window));
  app_save_widget_screenshot (GTK_WIDGET (f->page), "overview-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* A row opens its checkout through the window's action. */
  gtk_widget_activate (gtk_widget_get_first_child (GTK_WIDGET (np_overview_page_get_list (f->page, NP_OVERVIEW_LIST_AWAITING_CAPTURE))));
  g_assert_cmpuint (f->opened->len, ==, 1);
  g_assert_cmpstr (f->opened->pdata[0], ==, np_checkout_get_id (r));

  /* Periods: today only, the last 30 days, and a custom day two days ago. The
   * period menu is made when first opened, not with the page. */
  g_assert_null (gtk_menu_button_get_popover (period_button (f)));
  g_assert_cmpstr (gtk_menu_button_get_label (period_button (f)), ==, "Last 7 days");
  select_period (f, NP_OVERVIEW_PERIOD_TODAY, 1);
  assert_totals (f, "SEK", 5, 35000, 5000);
  select_period (f, NP_OVERVIEW_PERIOD_MONTH, 30);
  g_assert_cmpint (np_chart_get_point (chart, 29)->paid, ==, 35000);
  {
    /* Drawn as render nodes: a legend, ticks and days in one small font, a
     * rectangle per bar, legend key and grid line. */
    ChartNodes nodes = chart_nodes (chart);
    g_autoptr(PangoFontDescription) body = NULL;

    g_assert_cmpuint (nodes.n_texts, >=, 2 + 2 + 5);
    g_assert_true (nodes.one_font);
    g_assert_cmpuint (nodes.n_colors, >=, 2 * 30 + 2 + 2);
    body = pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (f->page))) != NULL
             ? pango_font_description_copy (pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (f->page))))
             : NULL;
    g_assert_nonnull (body);
    g_assert_cmpint (pango_font_description_get_size (pango_font_describe (nodes.font)), <,
                     pango_font_description_get_size (body));
  }
  /* A custom range is the last week until a day is picked: then from that day. */
  select_period (f, NP_OVERVIEW_PERIOD_CUSTOM, 7);
  g_assert_cmpint (np_chart_get_point (chart, 6)->paid, ==, 35000);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);

    pick_custom_first_day (f, yesterday, 2);
    g_assert_cmpint (np_chart_get_point (chart, 1)->paid, ==, 35000);
  }
  select_period (f, NP_OVERVIEW_PERIOD_WEEK, 7);

  /* Settling the lost capture: a look-up shows it captured. The lists and the
   * totals follow the ledger by themselves, in a few coalesced recomputations. */
  n_refreshes = np_overview_page_get_n_refreshes (f->page);
  np_workspace_lookup_checkout_async (f->tw->workspace, np_checkout_get_id (u), NULL, np_test_store_result, &result);
  settled = np_test_workspace_wait_checkout (f->tw, &result);
  g_assert_cmpstr (np_checkout_get_status_text (settled), ==, "paid");
  wait_list (f, NP_OVERVIEW_LIST_UNKNOWN_OUTCOME, "");
  wait_list (f, NP_OVERVIEW_LIST_AWAITING_CAPTURE, np_checkout_get_id (r));
  assert_totals (f, "SEK", 6, 39000, 5000);
  g_test_message ("recomputations for one settling look-up: %u",
                  np_overview_page_get_n_refreshes (f->page) - n_refreshes);
  g_assert_cmpuint (np_overview_page_get_n_refreshes (f->page) - n_refreshes, <=, 3);

  /* Two columns when wide, one above the other when narrow. */
  np_test_wait_until (chart_beside, f, TIMEOUT_MS, "the chart beside the lists");
  gtk_window_set_default_size (f->window, 480, 780);
  np_test_wait_until (chart_stacked, f, TIMEOUT_MS, "the chart below the lists");
  app_wait_for_paint (GTK_WIDGET (f->window));
  app_save_widget_screenshot (GTK_WIDGET (f->page), "overview-narrow.png");

  /* Nothing an account's Overview draws is an SVG (the "No Account" page, whose
   * icon is one, is built only when shown): the SVG renderer, some 9 MiB and a
   * library load before the first frame, stays out. The first test. */
  g_assert_false (np_test_file_contains ("/proc/self/maps", "librsvg"));
  g_assert_null (app_find_descendant (GTK_WIDGET (f->page), ADW_TYPE_STATUS_PAGE));

}

/* The page of an account whose lists are still loading must not say that nothing
 * needs attention: not even in its first frame, before any idle has run. */
static gboolean
match_all_clear_label (GtkWidget     *widget,
                       gconstpointer  data)
{
  return GTK_IS_LABEL (widget) &&
         g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), "Nothing needs attention");
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
test_all_clear_waits_for_the_lists (void)
{
  g_autoptr(NpTestWorkspace) tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpAccount) other = np_account_new ("Other shop", np_test_sandbox_get_base_url (tw->sandbox),
                                               NP_ENVIRONMENT_TEST);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  NpOverviewPage *page;
  GtkWidget *all_clear;

  /* Choosing the account starts loading its index; the page made before the
   * main loop runs again sees its lists loading. */
  g_assert_true (np_ledger_add_account (tw->ledger, other, &error));
  g_assert_no_error (error);
  np_workspace_set_account_async (tw->workspace, other, NULL, np_test_store_result, &result);
  page = g_object_ref_sink (g_object_new (NP_TYPE_OVERVIEW_PAGE, "workspace", tw->workspace, NULL));
  all_clear = app_find_widget (GTK_WIDGET (page), match_all_clear_label, NULL);
  g_assert_nonnull (all_clear);
  g_assert_false (gtk_widget_get_visible (all_clear));

  /* Once the lists know (the new account has nothing), it says so. */
  np_test_wait_result (&result, TIMEOUT_MS);
  /* It has no key in the keyring, which the workspace reports; its lists load all the same. */
  np_workspace_set_account_finish (tw->workspace, result, &error);
  g_test_message ("account set: %s", error != NULL ? error->message : "no error");
  np_test_wait_until (widget_visible, all_clear, TIMEOUT_MS, "the all-clear sentence");

  g_object_run_dispose (G_OBJECT (page));
  g_object_unref (page);
}

/* Without an account the page says so (its stack is sized by the page shown, so
 * the hidden one is not measured at each start). */
static void
test_no_account (void)
{
  g_autoptr(NpOverviewPage) page = g_object_ref_sink (g_object_new (NP_TYPE_OVERVIEW_PAGE, NULL));
  GtkWindow *window = app_present_in_window (GTK_WIDGET (page), GTK_WIDGET (page), 800, 600, NULL, 0, NULL);

  g_assert_nonnull (app_find_label (GTK_WIDGET (page), "No Account"));
  g_assert_null (app_find_label (GTK_WIDGET (page), "Needs Attention"));
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (app_find_descendant (GTK_WIDGET (page), ADW_TYPE_STATUS_PAGE))), ==,
                   "view-grid-symbolic");
  gtk_window_destroy (window);
}

static double
child_x (GtkWidget *child,
         GtkWidget *parent)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (child, parent, &bounds));
  return bounds.origin.x;
}

/* Each column's child is kept to a readable width and centred in its column. */
static void
test_columns_clamped (void)
{
  g_autoptr(GtkWidget) columns = g_object_ref_sink (g_object_new (NP_TYPE_OVERVIEW_COLUMNS,
                                                                  "column-maximum", 600,
                                                                  "column-tightening", 400, NULL));
  GtkWidget *left = gtk_label_new ("Left");
  GtkWidget *right = gtk_label_new ("Right");
  int width;

  gtk_widget_set_parent (left, columns);
  gtk_widget_set_parent (right, columns);

  /* Side by side, columns of 982: each child close to 600 and centred in its own. */
  gtk_widget_size_allocate (columns, &(GtkAllocation) { 0, 0, 2000, 400 }, -1);
  width = gtk_widget_get_width (left);
  g_assert_cmpint (width, >, 590);
  g_assert_cmpint (width, <=, 600);
  g_assert_cmpint (gtk_widget_get_width (right), ==, width);
  g_assert_cmpfloat (child_x (left, columns), ==, (982 - width) / 2);
  g_assert_cmpfloat (child_x (right, columns), ==, 982 + 36 + (982 - width) / 2);

  /* Stacked and narrower than the tightening threshold: all of it. */
  gtk_widget_size_allocate (columns, &(GtkAllocation) { 0, 0, 380, 400 }, -1);
  g_assert_cmpint (gtk_widget_get_width (left), ==, 380);
  g_assert_cmpfloat (child_x (left, columns), ==, 0);

  /* Stacked, wider than that: a growing share of it, centred. */
  gtk_widget_size_allocate (columns, &(GtkAllocation) { 0, 0, 800, 400 }, -1);
  width = gtk_widget_get_width (left);
  g_assert_cmpint (width, >, 400);
  g_assert_cmpint (width, <, 600);
  g_assert_cmpfloat (child_x (left, columns), ==, (800 - width) / 2);

  gtk_widget_unparent (left);
  gtk_widget_unparent (right);
}

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* A period whose sums do not fit a gint64 (a million checkouts of the largest
 * amount, see test-ledger-totals-overflow.c): the card and the chart say the
 * total is too large, and no number, wrapped or clipped, stands in for it. */
static void
test_total_too_large (void)
{
  NpPeriodSummary summary = { .currency = (char *) "SEK", .paid = -8, .refunded = 3, .count = 1000000,
                              .overflow = TRUE };
  NpChartPoint points[2] = { { .paid = G_MAXINT64, .refunded = 0 }, { .paid = 500, .refunded = 0 } };
  GtkWidget *card = np_overview_currency_card_new (&summary);
  GtkWidget *chart = g_object_ref_sink (np_chart_new ());
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  g_autofree char *chart_text = NULL;
  g_autofree char *wrapped = np_money_format (-8, "SEK");

  gtk_window_set_child (window, card);
  gtk_window_present (window);
  np_test_wait_until (widget_is_mapped, card, TIMEOUT_MS, "the card on screen");
  g_assert_nonnull (app_find_label (card, "Too large to add up"));
  g_assert_null (app_find_label (card, wrapped));

  g_date_clear (&points[0].day, 1);
  g_date_clear (&points[1].day, 1);
  g_date_set_dmy (&points[0].day, 24, 11, 2025);
  g_date_set_dmy (&points[1].day, 25, 11, 2025);
  np_chart_set_points (NP_CHART (chart), "SEK", points, 2);
  chart_text = np_chart_dup_summary (NP_CHART (chart));
  g_test_message ("%s", chart_text);
  g_assert_nonnull (strstr (chart_text, "too large to add up paid"));
  g_assert_null (strstr (chart_text, "too large to add up refunded"));

  g_object_unref (chart);
  gtk_window_destroy (window);
}

/* The sandbox's clock moved 26 hours on: the console learns the server's time
 * from its next answer (a look-up), and a checkout created a moment ago by the
 * desk's clock is then "Created more than a day ago, not paid" by the server's. */
static void
test_sandbox_clock (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (f->tw, 1200, "SEK", TRUE);
  g_autoptr(NpCheckout) looked_up = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 offset;

  wait_list (f, NP_OVERVIEW_LIST_STALE_CREATED, "");
  g_assert_cmpint (np_workspace_get_clock_offset (f->tw->workspace), ==, 0);

  g_assert_cmpuint (np_test_sandbox_clock (f->tw->sandbox, "{\"advance\": \"26h\"}", NULL), ==, 200);
  np_workspace_lookup_checkout_async (f->tw->workspace, np_checkout_get_id (created), NULL,
                                      np_test_store_result, &result);
  looked_up = np_test_workspace_wait_checkout (f->tw, &result);

  offset = np_workspace_get_clock_offset (f->tw->workspace);
  g_assert_cmpint (offset, >=, 26 * 3600 - 2);
  g_assert_cmpint (offset, <=, 26 * 3600 + 2);
  wait_list (f, NP_OVERVIEW_LIST_STALE_CREATED, np_checkout_get_id (created));
}

/* The sandbox's own objects, read through its address (not the console's ledger). */
static JsonObject *
sandbox_objects (const char *base_url,
                 const char *key)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (base_url, "/sandbox/objects", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", key, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static guint
journal_rows (NpLedger *ledger,
              gint64    account_id)
{
  g_autoptr(GPtrArray) rows = np_ledger_journal_list (ledger, account_id, NULL, 0, 10000, NULL);
  guint n = 0;

  g_assert_nonnull (rows);
  /* One row per operation sent; the payments the look-ups saw are 'refresh' rows beside them. */
  for (guint i = 0; i < rows->len; i++)
    if (np_journal_entry_get_operation (g_ptr_array_index (rows, i)) != NP_JOURNAL_OPERATION_REFRESH)
      n++;
  return n;
}

/* Sample data on the embedded sandbox, through the workspace: under 5 seconds;
 * every status in the ledger; the Overview's totals per currency equal what the
 * sandbox itself holds; one journal row per operation of the plan; something in
 * each "Needs attention" list it means to fill; and a second run adds nothing. */
static void
test_sample_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpLedger) ledger = np_ledger_open (NULL, &error);
  g_autoptr(NpKeyring) keyring = np_keyring_new (np_ledger_get_id (ledger));
  g_autoptr(NpAccounts) accounts = np_accounts_new (ledger, keyring);
  g_autoptr(NpWorkspace) workspace = np_workspace_new (ledger, accounts);
  g_autoptr(NpAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpSamplePlan) plan = np_sample_plan_new (g_get_real_time () / G_USEC_PER_SEC);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonObject) objects = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) currencies = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *key = NULL;
  g_autofree char *url = NULL;
  JsonArray *checkouts;
  Fixture fixture = { 0 }, *f = &fixture;
  GtkDropDown *currency;
  guint operations = 0, other;
  gint64 started, elapsed;
  GHashTableIter iter;
  gpointer name;

  np_workspace_start_sandbox_async (workspace, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, TIMEOUT_MS);
  account = np_workspace_start_sandbox_finish (workspace, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  f->page = g_object_new (NP_TYPE_OVERVIEW_PAGE, "workspace", workspace, NULL);
  f->window = app_present_in_window (GTK_WIDGET (f->page), GTK_WIDGET (f->page), 1240, 780, NULL, 0, f);
  g_assert_true (np_workspace_can_add_sample_data (workspace));
  started = g_get_monotonic_time ();
  np_workspace_add_sample_data_async (workspace, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, 60000);
  elapsed = g_get_monotonic_time () - started;
  g_assert_true (np_workspace_add_sample_data_finish (workspace, result, &operations, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  /* A figure, not a check: speed is the benches' business, and this machine is shared. */
  g_test_message ("sample data: %u operations in %.2f s", operations, elapsed / (double) G_USEC_PER_SEC);
  g_assert_false (np_workspace_can_add_sample_data (workspace));
  select_period (f, NP_OVERVIEW_PERIOD_MONTH, 30);

  /* One journal row per operation of the plan. */
  g_assert_cmpuint (operations, ==, np_sample_plan_count_operations (plan));
  g_assert_cmpuint (journal_rows (ledger, np_account_get_id (account)), ==, operations);

  /* Every status, in the ledger. */
  rows = np_ledger_list_checkouts (ledger, np_account_get_id (account), NULL, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, plan->n_checkouts);
  for (guint i = 0; i < rows->len; i++)
    g_hash_table_add (statuses, GINT_TO_POINTER (np_checkout_row_get_status (g_ptr_array_index (rows, i))));
  for (NpCheckoutStatus s = NP_CHECKOUT_STATUS_CREATED; s <= NP_CHECKOUT_STATUS_CANCELED; s++)
    if (s != NP_CHECKOUT_STATUS_REVOKED)
      g_assert_true (g_hash_table_contains (statuses, GINT_TO_POINTER (s)));

  /* The Overview's totals are the sandbox's own sums, currency by currency. */
  g_object_get (workspace, "sandbox-url", &url, NULL);
  np_accounts_lookup_key_async (accounts, account, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, TIMEOUT_MS);
  key = np_accounts_lookup_key_finish (accounts, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  objects = sandbox_objects (url, key);
  checkouts = json_object_get_array_member (objects, "checkouts");
  g_assert_cmpuint (json_array_get_length (checkouts), ==, plan->n_checkouts);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (objects, "customers")), ==, plan->n_customers);
  for (guint i = 0; i < json_array_get_length (checkouts); i++)
    g_hash_table_add (currencies, (gpointer) json_object_get_string_member (json_array_get_object_element (checkouts, i), "currency"));
  g_assert_cmpuint (g_hash_table_size (currencies), ==, 4);
  g_hash_table_iter_init (&iter, currencies);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    {
      guint count = 0;
      gint64 paid = 0, refunded = 0;

      for (guint i = 0; i < json_array_get_length (checkouts); i++)
        {
          JsonObject *c = json_array_get_object_element (checkouts, i);
          const char *status = json_object_get_string_member (c, "status");

          if (!g_str_equal (json_object_get_string_member (c, "currency"), name))
            continue;
          count++;
          if (g_str_equal (status, "paid") || g_str_equal (status, "partialRefund") || g_str_equal (status, "refunded"))
            paid += json_object_get_int_member (c, "amount");
          refunded += json_object_get_int_member (c, "refunded_amount");
        }
      assert_totals (f, name, count, paid, refunded);
    }

  /* Four currencies: the chart's drop-down, made now, offers them, and the one
   * chosen is the chart's. */
  currency = find_currency_dropdown (f);
  g_assert_nonnull (currency);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (currency)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (currency)), ==, 4);
  other = (gtk_drop_down_get_selected (currency) + 1) % 4;
  gtk_drop_down_set_selected (currency, other);
  g_assert_cmpstr (np_chart_get_currency (np_overview_page_get_chart (f->page)), ==,
                   gtk_string_object_get_string (gtk_drop_down_get_selected_item (currency)));

  /* What "Needs attention" shows a newcomer. */
  np_test_wait_until ((NpTestCondition) list_not_empty, np_overview_page_get_list (f->page, NP_OVERVIEW_LIST_AWAITING_CAPTURE), TIMEOUT_MS, "awaiting capture");
  np_test_wait_until ((NpTestCondition) list_not_empty, np_overview_page_get_list (f->page, NP_OVERVIEW_LIST_UNKNOWN_OUTCOME), TIMEOUT_MS, "unknown outcome");
  np_test_wait_until ((NpTestCondition) list_not_empty, np_overview_page_get_list (f->page, NP_OVERVIEW_LIST_STALE_CREATED), TIMEOUT_MS, "unpaid for more than a day");

  /* Twice: refused, nothing added anywhere. */
  np_workspace_add_sample_data_async (workspace, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, TIMEOUT_MS);
  g_assert_false (np_workspace_add_sample_data_finish (workspace, result, NULL, &error));
  g_assert_error (error, NP_SAMPLE_ERROR, NP_SAMPLE_ERROR_NOT_EMPTY);
  g_assert_cmpuint (journal_rows (ledger, np_account_get_id (account)), ==, operations);
  again = sandbox_objects (url, key);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (again, "checkouts")), ==, plan->n_checkouts);

  gtk_window_destroy (f->window);
  g_object_run_dispose (G_OBJECT (workspace));
}

/* What the Overview showed at each step of a sample data run. */
typedef struct {
  NpWorkspace *workspace;
  GtkWidget   *bar;
  GtkWidget   *button;
  GArray      *fractions;        /* of double: the bar's, at each step while running */
  guint        bar_not_shown;    /* steps the bar was not on screen */
  guint        button_usable;    /* steps "Add Sample Data" could be pressed again */
  gboolean     ended;
  gboolean     bar_shown_at_end;
  double       fraction_at_end;
} ProgressLog;

static gboolean
match_sample_button (GtkWidget     *widget,
                     gconstpointer  data)
{
  GtkWidget *child = GTK_IS_BUTTON (widget) ? gtk_button_get_child (GTK_BUTTON (widget)) : NULL;

  return GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), "Add Sample Data") == 0;
}

/* Connected after the page's own handler, so the page has already updated. */
static void
on_sample_progress (NpWorkspace *workspace,
                    GParamSpec  *pspec,
                    ProgressLog *log)
{
  gboolean running = FALSE;
  double fraction = gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (log->bar));

  g_object_get (workspace, "sample-data-running", &running, NULL);
  if (!running)
    {
      log->ended = TRUE;
      log->bar_shown_at_end = gtk_widget_get_mapped (log->bar);
      log->fraction_at_end = fraction;
      return;
    }

  g_array_append_val (log->fractions, fraction);
  if (!gtk_widget_get_mapped (log->bar))
    log->bar_not_shown++;
  if (gtk_widget_get_visible (log->button) && gtk_widget_is_sensitive (log->button))
    log->button_usable++;
}

static gboolean
progress_ended (gpointer data)
{
  return ((ProgressLog *) data)->ended;
}

static void
run_sample_data_progress (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpLedger) ledger = np_ledger_open (NULL, &error);
  g_autoptr(NpKeyring) keyring = np_keyring_new (np_ledger_get_id (ledger));
  g_autoptr(NpAccounts) accounts = np_accounts_new (ledger, keyring);
  g_autoptr(NpWorkspace) workspace = np_workspace_new (ledger, accounts);
  g_autoptr(NpAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(NpSamplePlan) plan = np_sample_plan_new (g_get_real_time () / G_USEC_PER_SEC);
  ProgressLog log = { workspace, NULL, NULL, fractions };
  NpOverviewPage *page;
  GtkWindow *window;
  guint checkouts = 0;

  np_workspace_start_sandbox_async (workspace, NULL, np_test_store_result, &result);
  account = np_workspace_start_sandbox_finish (workspace, np_test_wait_result (&result, TIMEOUT_MS), &error);
  g_assert_no_error (error);
  page = g_object_new (NP_TYPE_OVERVIEW_PAGE, "workspace", workspace, NULL);
  window = app_present_in_window (GTK_WIDGET (page), GTK_WIDGET (page), 1240, 780, NULL, 0, NULL);

  /* An empty embedded sandbox: the offer, no bar yet. */
  log.button = app_find_widget (GTK_WIDGET (page), match_sample_button, NULL);
  g_assert_nonnull (log.button);
  np_test_wait_until (app_widget_mapped, log.button, TIMEOUT_MS, "Add Sample Data");
  log.bar = app_find_descendant (GTK_WIDGET (page), GTK_TYPE_PROGRESS_BAR);
  g_assert_nonnull (log.bar);
  g_assert_false (gtk_widget_get_mapped (log.bar));

  g_signal_connect (workspace, "notify::sample-data-fraction", G_CALLBACK (on_sample_progress), &log);
  g_signal_emit_by_name (log.button, "clicked");
  np_test_wait_until (progress_ended, &log, 60000, "the sample data");

  /* At every step the bar showed and the button could not start a second run. */
  g_test_message ("%u progress steps for %u steps of the plan", fractions->len, plan->steps->len);
  g_assert_cmpuint (fractions->len, >=, 10);
  g_assert_cmpuint (log.bar_not_shown, ==, 0);
  g_assert_cmpuint (log.button_usable, ==, 0);

  /* The fraction rose at every step, from nothing to all of it. */
  g_assert_cmpfloat (g_array_index (fractions, double, 0), <, 0.1);
  for (guint i = 1; i < fractions->len; i++)
    if (!(g_array_index (fractions, double, i) > g_array_index (fractions, double, i - 1)))
      g_error ("the progress went from %.3f to %.3f at step %u of %u", g_array_index (fractions, double, i - 1),
               g_array_index (fractions, double, i), i, fractions->len);
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), >, 0.9);

  /* Done: full, or gone, and nothing more to offer on a sandbox that has data. */
  g_assert_true (!log.bar_shown_at_end || log.fraction_at_end == 1.0);
  g_assert_true (np_ledger_count_checkouts (ledger, np_account_get_id (account), NULL, &checkouts, NULL));
  g_assert_cmpuint (checkouts, ==, plan->n_checkouts);
  g_assert_false (gtk_widget_get_visible (log.button));

  g_signal_handlers_disconnect_by_data (workspace, &log);
  gtk_window_destroy (window);
  g_object_run_dispose (G_OBJECT (workspace));
}

/* Sample data shows its progress on the real Overview: "Add Sample Data" starts
 * it and cannot start another; the bar shows and its fraction rises at every
 * step, then it goes. In a child process: its own data home, so its own empty
 * embedded sandbox. */
static void
test_sample_data_progress (void)
{
  if (g_test_subprocess ())
    {
      run_sample_data_progress ();
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  /* The pages are driven through their widgets, not the accessibility bus; a
   * bus another process left half set up must not fail these tests. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  gtk_init ();
  adw_init ();

  g_test_add ("/overview/totals-attention-chart", Fixture, NULL, fixture_set_up, test_overview, fixture_tear_down);
  g_test_add ("/overview/sandbox-clock", Fixture, NULL, fixture_set_up, test_sandbox_clock, fixture_tear_down);
  g_test_add_func ("/overview/sample-data", test_sample_data);
  g_test_add_func ("/overview/sample-data-progress", test_sample_data_progress);
  g_test_add_func ("/overview/all-clear-waits-for-the-lists", test_all_clear_waits_for_the_lists);
  g_test_add_func ("/overview/no-account", test_no_account);
  g_test_add_func ("/overview/columns-clamped", test_columns_clamped);
  g_test_add_func ("/overview/total-too-large", test_total_too_large);

  return g_test_run ();
}
