/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-overview-page.c — the Overview page of the main window.
 *
 * Two questions at a glance. "What needs my attention?": four short lists, each
 * a ledger query behind a list model (reserved checkouts awaiting a capture,
 * operations whose outcome is unknown, checkouts whose last refresh failed,
 * created checkouts older than a day), oldest first, a few rows each; a row
 * opens its object. "How are we doing?": per currency, what was paid and
 * refunded in the chosen period, and a chart of both per day.
 *
 * All of it is computed by the ledger in SQL (indexed on account and created
 * time), so it stays instant at a million checkouts. The list models follow
 * the ledger by themselves; the totals are recomputed in an idle after
 * NpLedger::changed, so a refresh of 500 checkouts costs one recomputation.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-bin-page.h"
#include "np-checkout-list-model.h"
#include "np-journal-list-model.h"
#include "np-ledger-totals-async.h"
#include "np-overview-columns.h"
#include "np-overview-currency-card.h"
#include "np-overview-page.h"
#include "np-overview-totals.h"
#include "np-money.h"
#include "np-team-sync.h"

/* Rows per "Needs attention" list: the oldest, which matter most. */
#define ATTENTION_LIMIT 5
/* A created checkout nobody paid for in this many hours is worth a look. */
#define STALE_HOURS 24
/* The longest custom period: a year of bars is already unreadable. */
#define MAX_DAYS 366

#define N_LISTS (NP_OVERVIEW_LIST_STALE_CREATED + 1)

struct _NpOverviewPage
{
  AdwBin               parent_instance;

  GtkStack            *stack;
  AdwStatusPage       *no_account_status;
  GtkWidget           *all_clear_label;
  GtkWidget           *sample_box;
  GtkLabel            *sample_label;
  GtkProgressBar      *sample_progress;
  GtkWidget           *sample_button;
  GtkWidget           *awaiting_section;
  GtkWidget           *approval_section;
  GtkLabel            *approval_title;
  GtkLabel            *approval_label;
  GSignalGroup        *team_signals;
  GCancellable        *approval_cancellable;
  GtkWidget           *unknown_section;
  GtkWidget           *failed_section;
  GtkWidget           *stale_section;
  GtkLabel            *awaiting_title;
  GtkLabel            *unknown_title;
  GtkLabel            *failed_title;
  GtkLabel            *stale_title;
  GtkListBox          *awaiting_list;
  GtkListBox          *unknown_list;
  GtkListBox          *failed_list;
  GtkListBox          *stale_list;
  GtkMenuButton       *period_button;
  GMenuModel          *period_menu;
  NpOverviewPeriod     period;
  GSimpleAction       *period_action;  /* "overview.period", the nick of period */
  GtkRevealer         *custom_revealer;
  GtkMenuButton       *from_button;
  GtkMenuButton       *to_button;
  GDate                custom_first;  /* the custom range; its calendars are */
  GDate                custom_last;   /* built when first opened */
  GtkWidget           *no_totals_label;
  GtkFlowBox          *cards_box;
  AdwBin              *currency_bin;
  GtkDropDown         *currency_dropdown;  /* once the period has several currencies */
  GtkStringList       *currencies;
  NpChart             *chart;
  GtkLabel            *chart_summary_label;

  NpWorkspace         *workspace;
  NpLedger            *ledger;
  GSignalGroup        *workspace_signals;
  GSignalGroup        *ledger_signals;
  GCancellable        *cancellable;
  guint                refresh_idle_id;
  guint                n_refreshes;
  gint64               quiet_until;  /* monotonic µs: no recomputation before this */
  GCancellable        *totals_cancellable;  /* the totals query in flight, if any */
  gboolean             totals_again;        /* the ledger changed while it ran */

  /* The full query results, and the first few rows of each for the lists. */
  GListModel          *models[N_LISTS];
  GtkSliceListModel   *slices[N_LISTS];
  GDateTime           *now;          /* ages in the rows are relative to this */

  GPtrArray           *summaries;    /* of NpPeriodSummary */
  GPtrArray           *daily_totals; /* of NpStatusTotal */
  GDate                first_date;   /* the period, in local days */
  guint                n_days;
  gint64               first_day;    /* its start, UTC Unix seconds */
  char                *chart_currency;
  gboolean             updating_currencies;
};

G_DEFINE_FINAL_TYPE (NpOverviewPage, np_overview_page, ADW_TYPE_BIN)

/* The nicks are the targets of the period menu's "overview.period" items. */
G_DEFINE_ENUM_TYPE (NpOverviewPeriod, np_overview_period,
                    G_DEFINE_ENUM_VALUE (NP_OVERVIEW_PERIOD_TODAY, "today"),
                    G_DEFINE_ENUM_VALUE (NP_OVERVIEW_PERIOD_WEEK, "week"),
                    G_DEFINE_ENUM_VALUE (NP_OVERVIEW_PERIOD_MONTH, "month"),
                    G_DEFINE_ENUM_VALUE (NP_OVERVIEW_PERIOD_CUSTOM, "custom"))

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_PERIOD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_refresh (NpOverviewPage *self);

/* Period ------------------------------------------------------------------------ */

static void
date_from_date_time (GDate     *date,
                     GDateTime *time)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date,
                  g_date_time_get_day_of_month (time),
                  g_date_time_get_month (time),
                  g_date_time_get_year (time));
}

static void
date_from_calendar (GDate       *date,
                    GtkCalendar *calendar)
{
  g_autoptr(GDateTime) selected = gtk_calendar_get_date (calendar);

  date_from_date_time (date, selected);
}

/* UTC midnight of @date as Unix seconds. */
static gint64
date_to_unix_utc (const GDate *date)
{
  GDate epoch;

  g_date_clear (&epoch, 1);
  g_date_set_dmy (&epoch, 1, G_DATE_JANUARY, 1970);

  return (gint64)g_date_days_between (&epoch, date) * 86400;
}

static void
set_date_button_label (GtkMenuButton *button,
                       const GDate   *date)
{
  char text[64];

  g_date_strftime (text, sizeof text, "%x", date);
  gtk_menu_button_set_label (button, text);
}

/* Works out the period's local days and the UTC seconds they span. One offset
 * (today's) is used for the whole period: across a daylight-saving change the
 * older days are off by an hour, which a daily chart can bear, while the SQL
 * stays a single indexed range scan. */
static int
compute_period (NpOverviewPage *self,
                GDate          *first_date,
                guint          *n_days,
                gint64         *first_day)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  NpOverviewPeriod period = self->period;
  GDate today, last;
  int utc_offset = (int)(g_date_time_get_utc_offset (now) / G_TIME_SPAN_SECOND);

  date_from_date_time (&today, now);
  *first_date = today;
  last = today;

  switch (period)
    {
    case NP_OVERVIEW_PERIOD_TODAY:
      break;
    case NP_OVERVIEW_PERIOD_WEEK:
      g_date_subtract_days (first_date, 6);
      break;
    case NP_OVERVIEW_PERIOD_MONTH:
      g_date_subtract_days (first_date, 29);
      break;
    case NP_OVERVIEW_PERIOD_CUSTOM:
    default:
      *first_date = self->custom_first;
      last = self->custom_last;
      if (g_date_compare (first_date, &last) > 0)
        {
          GDate swap = *first_date;

          *first_date = last;
          last = swap;
        }
      set_date_button_label (self->from_button, first_date);
      set_date_button_label (self->to_button, &last);
      break;
    }

  *n_days = MIN (g_date_days_between (first_date, &last) + 1, MAX_DAYS);
  *first_day = date_to_unix_utc (first_date) - utc_offset;

  return utc_offset;
}

/* Totals and chart -------------------------------------------------------------- */

static void
update_chart (NpOverviewPage *self)
{
  g_autoptr(GArray) days = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, TRUE, sizeof (NpChartPoint));
  g_autofree char *summary = NULL;

  if (self->chart_currency != NULL && self->daily_totals != NULL)
    days = np_overview_day_amounts (self->daily_totals, self->chart_currency,
                                    self->first_day, self->n_days);

  for (guint i = 0; days != NULL && i < days->len; i++)
    {
      const NpDayAmounts *amounts = &g_array_index (days, NpDayAmounts, i);
      NpChartPoint point = { .paid = amounts->paid, .refunded = amounts->refunded };

      point.day = self->first_date;
      g_date_add_days (&point.day, i);
      g_array_append_val (points, point);
    }

  np_chart_set_points (self->chart, self->chart_currency,
                       (const NpChartPoint *)(gpointer)points->data, points->len);

  /* The chart speaks its summary to screen readers; everyone else reads it here. */
  summary = np_chart_dup_summary (self->chart);
  gtk_label_set_text (self->chart_summary_label, summary);
}

static void on_currency_changed (NpOverviewPage *self);

/* Most periods have one currency: the drop-down (with its popover, list view and
 * search entry) is made when a period has several, not with the page. */
static void
ensure_currency_dropdown (NpOverviewPage *self)
{
  if (self->currency_dropdown != NULL)
    return;

  self->currency_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->currencies)), NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->currency_dropdown), _("Currency"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->currency_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Currency of the chart"), -1);
  g_signal_connect_object (self->currency_dropdown, "notify::selected",
                           G_CALLBACK (on_currency_changed), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->currency_bin, GTK_WIDGET (self->currency_dropdown));
}

/* Offers the period's currencies for the chart, keeping the one chosen if it is
 * still there, else the most used. */
static void
update_currencies (NpOverviewPage *self)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  guint selected = 0;

  for (guint i = 0; i < self->summaries->len; i++)
    {
      NpPeriodSummary *summary = g_ptr_array_index (self->summaries, i);

      if (g_strcmp0 (summary->currency, self->chart_currency) == 0)
        selected = i;
      g_ptr_array_add (codes, summary->currency);
    }
  g_ptr_array_add (codes, NULL);

  self->updating_currencies = TRUE;
  gtk_string_list_splice (self->currencies, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->currencies)),
                          (const char * const *)codes->pdata);
  if (self->summaries->len > 1)
    ensure_currency_dropdown (self);
  if (self->currency_dropdown != NULL)
    gtk_drop_down_set_selected (self->currency_dropdown, selected);
  self->updating_currencies = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->currency_bin), self->summaries->len > 1);

  g_free (self->chart_currency);
  self->chart_currency = self->summaries->len > 0
    ? g_strdup (((NpPeriodSummary *)g_ptr_array_index (self->summaries, selected))->currency)
    : NULL;
}

static void
update_cards (NpOverviewPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cards_box))) != NULL)
    gtk_flow_box_remove (self->cards_box, child);

  for (guint i = 0; i < self->summaries->len; i++)
    gtk_flow_box_append (self->cards_box,
                         np_overview_currency_card_new (g_ptr_array_index (self->summaries, i)));

  gtk_widget_set_visible (self->no_totals_label, self->summaries->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->cards_box), self->summaries->len > 0);
}

/* One totals query: the period it was asked for travels with it, so an answer
 * is drawn with the days it was computed for. */
typedef struct {
  NpOverviewPage *self;
  GCancellable   *cancellable;
  GDate           first_date;
  guint           n_days;
  gint64          first_day;
  gint64          started;
} TotalsRequest;

static void
totals_request_free (TotalsRequest *request)
{
  g_object_unref (request->self);
  g_object_unref (request->cancellable);
  g_free (request);
}

static void
show_totals (NpOverviewPage *self,
             GPtrArray      *daily_totals)
{
  g_clear_pointer (&self->summaries, g_ptr_array_unref);
  g_clear_pointer (&self->daily_totals, g_ptr_array_unref);
  self->n_refreshes++;

  /* The daily rows hold everything the period totals need: one query, not two. */
  self->daily_totals = daily_totals ? g_ptr_array_ref (daily_totals) : NULL;
  self->summaries = daily_totals ? np_overview_summarize (daily_totals)
                                 : g_ptr_array_new_with_free_func ((GDestroyNotify)np_period_summary_free);

  update_cards (self);
  update_currencies (self);
  update_chart (self);
}

static void
totals_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TotalsRequest *request = user_data;
  NpOverviewPage *self = request->self;
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GError) error = NULL;

  totals = np_ledger_get_local_daily_totals_finish (NP_LEDGER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      totals_request_free (request);
      return;
    }

  g_clear_object (&self->totals_cancellable);
  if (totals == NULL)
    g_warning ("Could not read the totals: %s", error->message);

  self->first_date = request->first_date;
  self->n_days = request->n_days;
  self->first_day = request->first_day;
  show_totals (self, totals);

  /* A long period over a big ledger can take a good part of a second; while
   * the ledger keeps changing (a refresh of thousands of checkouts), ask at most
   * a fifth of the time. */
  self->quiet_until = g_get_monotonic_time () + 4 * (g_get_monotonic_time () - request->started);
  if (self->totals_again)
    {
      self->totals_again = FALSE;
      schedule_refresh (self);
    }

  totals_request_free (request);
}

/* Asks the ledger for the period's daily totals on a worker thread: the window
 * keeps drawing while a month of a busy shop is added up. */
static void
refresh_totals (NpOverviewPage *self)
{
  gint64 account_id = self->workspace ? np_workspace_get_account_id (self->workspace) : 0;
  TotalsRequest *request;
  int utc_offset;

  if (self->totals_cancellable != NULL)
    {
      /* The answer in flight will be out of date: ask again when it comes. */
      self->totals_again = TRUE;
      return;
    }

  request = g_new0 (TotalsRequest, 1);
  utc_offset = compute_period (self, &request->first_date, &request->n_days, &request->first_day);
  if (self->ledger == NULL || account_id == 0)
    {
      self->first_date = request->first_date;
      self->n_days = request->n_days;
      self->first_day = request->first_day;
      g_free (request);
      show_totals (self, NULL);
      return;
    }

  request->self = g_object_ref (self);
  request->cancellable = g_cancellable_new ();
  request->started = g_get_monotonic_time ();
  self->totals_cancellable = g_object_ref (request->cancellable);

  np_ledger_get_local_daily_totals_async (self->ledger, account_id,
                                          request->first_day,
                                          request->first_day + (gint64)request->n_days * 86400,
                                          utc_offset, request->cancellable,
                                          totals_ready_cb, request);
}

/* Drops the answer in flight: the period or the account changed. */
static void
cancel_totals (NpOverviewPage *self)
{
  if (self->totals_cancellable != NULL)
    g_cancellable_cancel (self->totals_cancellable);
  g_clear_object (&self->totals_cancellable);
  self->totals_again = FALSE;
}

/* Needs attention --------------------------------------------------------------- */

static GtkWidget *
create_awaiting_row (gpointer item,
                     gpointer user_data)
{
  NpOverviewPage *self = user_data;

  return np_overview_attention_row_new_for_checkout (item, NP_OVERVIEW_ATTENTION_AWAITING_CAPTURE, self->now);
}

static GtkWidget *
create_failed_row (gpointer item,
                   gpointer user_data)
{
  NpOverviewPage *self = user_data;

  return np_overview_attention_row_new_for_checkout (item, NP_OVERVIEW_ATTENTION_REFRESH_FAILED, self->now);
}

static GtkWidget *
create_stale_row (gpointer item,
                  gpointer user_data)
{
  NpOverviewPage *self = user_data;

  return np_overview_attention_row_new_for_checkout (item, NP_OVERVIEW_ATTENTION_STALE_CREATED, self->now);
}

static GtkWidget *
create_unknown_row (gpointer item,
                    gpointer user_data)
{
  return np_overview_attention_row_new_for_entry (item);
}

/* "Awaiting capture (12, oldest 5 shown)" */
static void
set_section_title (GtkLabel   *title,
                   GtkWidget  *section,
                   const char *name,
                   guint       n_items)
{
  g_autofree char *text = NULL;

  if (n_items > ATTENTION_LIMIT)
    /* Translators: a list's name, how many items it has, how many are shown */
    text = g_strdup_printf (_("%s (%u, the oldest %u shown)"), name, n_items, ATTENTION_LIMIT);
  else
    /* Translators: a list's name and how many items it has */
    text = g_strdup_printf (_("%s (%u)"), name, n_items);

  gtk_label_set_text (title, text);
  gtk_widget_set_visible (section, n_items > 0);
}

static void
update_attention (NpOverviewPage *self)
{
  guint n[N_LISTS] = { 0 };
  guint total = 0;
  gboolean loading = FALSE;

  for (guint i = 0; i < N_LISTS; i++)
    {
      n[i] = self->models[i] ? g_list_model_get_n_items (self->models[i]) : 0;
      total += n[i];
      /* Not "all clear" before the lists know. */
      if (NP_IS_CHECKOUT_LIST_MODEL (self->models[i]) &&
          np_checkout_list_model_get_loading (NP_CHECKOUT_LIST_MODEL (self->models[i])))
        loading = TRUE;
    }

  set_section_title (self->awaiting_title, self->awaiting_section,
                     _("Reserved, awaiting capture"), n[NP_OVERVIEW_LIST_AWAITING_CAPTURE]);
  set_section_title (self->unknown_title, self->unknown_section,
                     _("Operations with an unknown outcome"), n[NP_OVERVIEW_LIST_UNKNOWN_OUTCOME]);
  set_section_title (self->failed_title, self->failed_section,
                     _("Last refresh failed"), n[NP_OVERVIEW_LIST_REFRESH_FAILED]);
  set_section_title (self->stale_title, self->stale_section,
                     _("Created more than a day ago, not paid"), n[NP_OVERVIEW_LIST_STALE_CREATED]);
  gtk_widget_set_visible (self->all_clear_label, total == 0 && !loading);
}

/* "Older than a day" moves with the clock: the query is renewed on each refresh. */
static void
renew_stale_query (NpOverviewPage *self)
{
  g_autoptr(NpCheckoutQuery) stale = NULL;

  if (self->models[NP_OVERVIEW_LIST_STALE_CREATED] == NULL)
    return;

  stale = np_checkout_query_new_stale_created (g_date_time_to_unix (self->now), STALE_HOURS);
  np_checkout_list_model_set_query (NP_CHECKOUT_LIST_MODEL (self->models[NP_OVERVIEW_LIST_STALE_CREATED]), stale);
}

static void
on_model_items_changed (NpOverviewPage *self)
{
  schedule_refresh (self);
}

static GtkListBox *
list_box_for (NpOverviewPage *self,
              NpOverviewList  list)
{
  switch (list)
    {
    case NP_OVERVIEW_LIST_AWAITING_CAPTURE:
      return self->awaiting_list;
    case NP_OVERVIEW_LIST_UNKNOWN_OUTCOME:
      return self->unknown_list;
    case NP_OVERVIEW_LIST_REFRESH_FAILED:
      return self->failed_list;
    case NP_OVERVIEW_LIST_STALE_CREATED:
    default:
      return self->stale_list;
    }
}

static void
create_models (NpOverviewPage *self,
               gint64          account_id)
{
  static const GtkListBoxCreateWidgetFunc create[N_LISTS] = {
    create_awaiting_row, create_unknown_row, create_failed_row, create_stale_row,
  };
  g_autoptr(NpCheckoutQuery) awaiting = np_checkout_query_new_awaiting_capture ();
  g_autoptr(NpCheckoutQuery) failed = np_checkout_query_new_refresh_failed ();
  g_autoptr(NpCheckoutQuery) stale = np_checkout_query_new_stale_created (g_date_time_to_unix (self->now), STALE_HOURS);
  g_autoptr(NpJournalQuery) unknown = np_journal_query_new ();

  unknown->needs_attention = TRUE;
  self->models[NP_OVERVIEW_LIST_AWAITING_CAPTURE] =
    G_LIST_MODEL (np_checkout_list_model_new (self->ledger, account_id, awaiting));
  self->models[NP_OVERVIEW_LIST_UNKNOWN_OUTCOME] =
    G_LIST_MODEL (np_journal_list_model_new (self->ledger, account_id, unknown));
  self->models[NP_OVERVIEW_LIST_REFRESH_FAILED] =
    G_LIST_MODEL (np_checkout_list_model_new (self->ledger, account_id, failed));
  self->models[NP_OVERVIEW_LIST_STALE_CREATED] =
    G_LIST_MODEL (np_checkout_list_model_new (self->ledger, account_id, stale));

  for (guint i = 0; i < N_LISTS; i++)
    {
      g_signal_connect_object (self->models[i], "items-changed",
                               G_CALLBACK (on_model_items_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->models[i], "notify::loading",
                               G_CALLBACK (on_model_items_changed), self, G_CONNECT_SWAPPED);
      self->slices[i] = gtk_slice_list_model_new (g_object_ref (self->models[i]), 0, ATTENTION_LIMIT);
      gtk_list_box_bind_model (list_box_for (self, i), G_LIST_MODEL (self->slices[i]),
                               create[i], self, NULL);
    }
}

static void
clear_models (NpOverviewPage *self)
{
  for (guint i = 0; i < N_LISTS; i++)
    {
      if (self->models[i] != NULL)
        {
          gtk_list_box_bind_model (list_box_for (self, i), NULL, NULL, NULL, NULL);
          g_signal_handlers_disconnect_by_data (self->models[i], self);
        }
      g_clear_object (&self->slices[i]);
      g_clear_object (&self->models[i]);
    }
}

/* Following the ledger and the account ------------------------------------------ */

/* "No Account" is built the first time it is shown: most starts have an account,
 * and the page would be built, styled and kept for nothing. The theme has its
 * icon at the status page's size only as SVG, and GTK 4.8 looks up the icons
 * of hidden pages too: set only once the page is needed, a start with an
 * account does not load the SVG renderer (librsvg). */
static void
show_account_state (NpOverviewPage *self,
                    gboolean        has_account)
{
  if (!has_account && self->no_account_status == NULL)
    {
      self->no_account_status = ADW_STATUS_PAGE (adw_status_page_new ());
      adw_status_page_set_icon_name (self->no_account_status, "view-grid-symbolic");
      adw_status_page_set_title (self->no_account_status, _("No Account"));
      adw_status_page_set_description (self->no_account_status,
                                       _("Add an account or start the sandbox to see what needs attention "
                                         "and how sales are going."));
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->no_account_status), "no-account");
    }

  gtk_stack_set_visible_child_name (self->stack, has_account ? "overview" : "no-account");
}

/* An empty embedded sandbox offers sample data; while it is added, its progress. */
static void
update_sample_box (NpOverviewPage *self)
{
  g_autofree char *message = NULL;
  gboolean running = FALSE, can_add;
  double fraction = 0;

  if (self->workspace == NULL)
    {
      gtk_widget_set_visible (self->sample_box, FALSE);
      return;
    }
  g_object_get (self->workspace, "sample-data-running", &running, "sample-data-fraction", &fraction,
                "sample-data-message", &message, NULL);
  can_add = np_workspace_can_add_sample_data (self->workspace);

  gtk_widget_set_visible (self->sample_box, running || can_add || message != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sample_progress), running);
  gtk_progress_bar_set_fraction (self->sample_progress, fraction);
  gtk_widget_set_visible (self->sample_button, can_add);
  if (running)
    gtk_label_set_text (self->sample_label, _("Adding sample data…"));
  else if (message != NULL)
    gtk_label_set_text (self->sample_label, message);
  else
    gtk_label_set_text (self->sample_label, _("This sandbox is empty. Sample data shows the console at work: "
                                              "30 days of checkouts, refunds and customers."));
}

static void
on_sample_clicked (NpOverviewPage *self)
{
  if (self->workspace != NULL && np_workspace_can_add_sample_data (self->workspace))
    np_workspace_add_sample_data_async (self->workspace, NULL, NULL, NULL);
}

/* Waiting for approval ------------------------------------------------------------ */

static void
on_requests_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  NpOverviewPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) requests = np_team_sync_list_refund_requests_finish (NP_TEAM_SYNC (source), result, &error);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  n = requests != NULL ? json_array_get_length (requests) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);
      g_autofree char *money = np_money_format (json_object_get_int_member_with_default (r, "amount", 0),
                                                json_object_get_string_member_with_default (r, "currency", ""));

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: "Refund 1,500.00 SEK of chk_123, asked by FINANCE-1 (anna)". */
      g_string_append_printf (text, _("Refund %s of %s, asked by %s (%s)"), money,
                              json_object_get_string_member_with_default (r, "object_id", ""),
                              json_object_get_string_member_with_default (r, "desk", ""),
                              json_object_get_string_member_with_default (r, "os_user", ""));
    }
  set_section_title (self->approval_title, self->approval_section, _("Waiting for approval"), n);
  gtk_label_set_text (self->approval_label, text->str);
}

/* In team mode, the account's open refund requests, read from the team ledger. */
static void
refresh_approvals (NpOverviewPage *self)
{
  NpTeamSync *sync = self->workspace != NULL ? np_workspace_get_team_sync (self->workspace) : NULL;

  g_cancellable_cancel (self->approval_cancellable);
  g_clear_object (&self->approval_cancellable);
  g_signal_group_set_target (self->team_signals, sync);
  if (sync == NULL || np_team_sync_get_state (sync) != NP_TEAM_STATE_ONLINE ||
      np_workspace_get_account_id (self->workspace) == 0)
    {
      gtk_widget_set_visible (self->approval_section, FALSE);
      return;
    }
  self->approval_cancellable = g_cancellable_new ();
  np_team_sync_list_refund_requests_async (sync, np_workspace_get_account_id (self->workspace), TRUE,
                                           self->approval_cancellable, on_requests_listed, self);
}

/* The open refund requests as the Overview lists them, NULL when none. */
const char *
np_overview_page_get_approvals_text (NpOverviewPage *self)
{
  g_return_val_if_fail (NP_IS_OVERVIEW_PAGE (self), NULL);

  return gtk_widget_get_visible (self->approval_section) ? gtk_label_get_text (self->approval_label) : NULL;
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  NpOverviewPage *self = user_data;

  self->refresh_idle_id = 0;

  g_clear_pointer (&self->now, g_date_time_unref);
  /* Ages are measured from times the server stamped, so by its clock (a sandbox's
   * may be moved; a real server's is about ours). */
  self->now = self->workspace != NULL ? np_workspace_get_server_now (self->workspace)
                                      : g_date_time_new_now_utc ();
  renew_stale_query (self);
  update_attention (self);
  update_sample_box (self);
  refresh_totals (self);
  refresh_approvals (self);

  return G_SOURCE_REMOVE;
}

/* Many writes (a refresh of hundreds of checkouts) make one recomputation. */
static void
schedule_refresh (NpOverviewPage *self)
{
  gint64 wait = self->quiet_until - g_get_monotonic_time ();

  if (self->refresh_idle_id != 0)
    return;

  if (wait > 10 * G_TIME_SPAN_MILLISECOND)
    self->refresh_idle_id = g_timeout_add_full (G_PRIORITY_LOW, wait / G_TIME_SPAN_MILLISECOND,
                                                refresh_idle_cb, self, NULL);
  else
    self->refresh_idle_id = g_idle_add_full (G_PRIORITY_LOW, refresh_idle_cb, self, NULL);
}

/* What a person asked for (another period, another account) comes at once. */
static void
refresh_soon (NpOverviewPage *self)
{
  cancel_totals (self);
  g_clear_handle_id (&self->refresh_idle_id, g_source_remove);
  self->quiet_until = 0;
  schedule_refresh (self);
}

static void
on_ledger_changed (NpOverviewPage *self,
                   NpLedgerTable   table,
                   gint64          account_id,
                   gint64          row_id,
                   NpLedger       *ledger)
{
  if (table == NP_LEDGER_TABLE_ACCOUNTS || self->workspace == NULL)
    return;

  if (account_id == np_workspace_get_account_id (self->workspace))
    schedule_refresh (self);
}

static void
on_account_changed (NpOverviewPage *self)
{
  gint64 account_id = np_workspace_get_account_id (self->workspace);

  for (guint i = 0; i < N_LISTS; i++)
    if (self->models[i] != NULL)
      np_ledger_list_model_set_account_id (NP_LEDGER_LIST_MODEL (self->models[i]), account_id);

  show_account_state (self, account_id != 0);
  /* Now, not in the refresh's idle: that runs after the next frame, which would
   * show the previous account's lists, or "Nothing needs attention" while the
   * lists are still loading. */
  update_attention (self);
  refresh_soon (self);
}

NpWorkspace *
np_overview_page_get_workspace (NpOverviewPage *self)
{
  g_return_val_if_fail (NP_IS_OVERVIEW_PAGE (self), NULL);

  return self->workspace;
}

void
np_overview_page_set_workspace (NpOverviewPage *self,
                                NpWorkspace    *workspace)
{
  g_return_if_fail (NP_IS_OVERVIEW_PAGE (self));
  g_return_if_fail (workspace == NULL || NP_IS_WORKSPACE (workspace));

  if (self->workspace == workspace)
    return;

  clear_models (self);
  g_clear_object (&self->ledger);
  g_set_object (&self->workspace, workspace);
  if (workspace != NULL)
    self->ledger = g_object_ref (np_workspace_get_ledger (workspace));
  g_signal_group_set_target (self->workspace_signals, workspace);
  g_signal_group_set_target (self->ledger_signals, self->ledger);

  if (workspace != NULL)
    {
      create_models (self, np_workspace_get_account_id (workspace));
      on_account_changed (self);
    }
  else
    show_account_state (self, FALSE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
}

GtkListBox *
np_overview_page_get_list (NpOverviewPage *self,
                           NpOverviewList  list)
{
  g_return_val_if_fail (NP_IS_OVERVIEW_PAGE (self), NULL);
  g_return_val_if_fail (list < N_LISTS, NULL);

  return list_box_for (self, list);
}

NpChart *
np_overview_page_get_chart (NpOverviewPage *self)
{
  g_return_val_if_fail (NP_IS_OVERVIEW_PAGE (self), NULL);

  return self->chart;
}

GPtrArray *
np_overview_page_get_summaries (NpOverviewPage *self)
{
  g_return_val_if_fail (NP_IS_OVERVIEW_PAGE (self), NULL);

  return self->summaries;
}

guint
np_overview_page_get_n_refreshes (NpOverviewPage *self)
{
  g_return_val_if_fail (NP_IS_OVERVIEW_PAGE (self), 0);

  return self->n_refreshes;
}

/* The period: property, its action and menu, the custom range's days ----------- */

/* The period button's text: the menu's item for the period. */
static const char *
period_label (NpOverviewPeriod period)
{
  switch (period)
    {
    case NP_OVERVIEW_PERIOD_TODAY:
      return _("Today");
    case NP_OVERVIEW_PERIOD_WEEK:
      return _("Last 7 days");
    case NP_OVERVIEW_PERIOD_MONTH:
      return _("Last 30 days");
    case NP_OVERVIEW_PERIOD_CUSTOM:
    default:
      return _("Custom range");
    }
}

static const char *
period_nick (NpOverviewPeriod period)
{
  g_autoptr(GEnumClass) periods = g_type_class_ref (NP_TYPE_OVERVIEW_PERIOD);

  return g_enum_get_value (periods, period)->value_nick;
}

NpOverviewPeriod
np_overview_page_get_period (NpOverviewPage *self)
{
  g_return_val_if_fail (NP_IS_OVERVIEW_PAGE (self), NP_OVERVIEW_PERIOD_WEEK);

  return self->period;
}

void
np_overview_page_set_period (NpOverviewPage   *self,
                             NpOverviewPeriod  period)
{
  g_return_if_fail (NP_IS_OVERVIEW_PAGE (self));
  g_return_if_fail (period <= NP_OVERVIEW_PERIOD_CUSTOM);

  if (self->period == period)
    return;

  self->period = period;
  g_simple_action_set_state (self->period_action, g_variant_new_string (period_nick (period)));
  gtk_menu_button_set_label (self->period_button, period_label (period));
  gtk_revealer_set_reveal_child (self->custom_revealer, period == NP_OVERVIEW_PERIOD_CUSTOM);
  refresh_soon (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERIOD]);
}

static void
on_period_action_change_state (GSimpleAction *action,
                               GVariant      *state,
                               gpointer       user_data)
{
  NpOverviewPage *self = user_data;
  g_autoptr(GEnumClass) periods = g_type_class_ref (NP_TYPE_OVERVIEW_PERIOD);
  GEnumValue *period = g_enum_get_value_by_nick (periods, g_variant_get_string (state, NULL));

  if (period != NULL)
    np_overview_page_set_period (self, period->value);
}

/* "overview.period", a period's nick: the menu's radio items show and set the
 * property. (A GPropertyAction would hold the page: a cycle through its own
 * action group.) */
static void
install_period_action (NpOverviewPage *self)
{
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();

  self->period_action = g_simple_action_new_stateful ("period", G_VARIANT_TYPE_STRING,
                                                      g_variant_new_string ("week"));
  g_signal_connect (self->period_action, "change-state", G_CALLBACK (on_period_action_change_state), self);
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (self->period_action));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "overview", G_ACTION_GROUP (actions));
}

/* The period menu is a popover of its own, made the first time it opens: a
 * drop-down (its popover, list view and search entry) cost the page's first
 * frame 7 M instructions. */
static void
create_period_menu (GtkMenuButton *button,
                    gpointer       user_data)
{
  NpOverviewPage *self = user_data;

  gtk_menu_button_set_menu_model (button, self->period_menu);
}

static void
on_custom_day_selected (GtkCalendar    *calendar,
                        NpOverviewPage *self)
{
  GDate *date = g_object_get_data (G_OBJECT (calendar), "np-custom-date");

  date_from_calendar (date, calendar);
  refresh_soon (self);
}

/* A custom range's day button opens a calendar on its day, made the first time:
 * two calendars are a few hundred widgets the Overview rarely needs. */
static void
create_day_popover (GtkMenuButton *button,
                    gpointer       user_data)
{
  NpOverviewPage *self = user_data;
  GDate *date = button == self->from_button ? &self->custom_first : &self->custom_last;
  g_autoptr(GDateTime) day = NULL;
  GtkWidget *calendar, *popover;

  /* Called on every opening: the first one makes the calendar. */
  if (gtk_menu_button_get_popover (button) != NULL)
    return;

  day = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date), g_date_get_day (date), 0, 0, 0);
  calendar = gtk_calendar_new ();
  popover = gtk_popover_new ();
  gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
  g_object_set_data (G_OBJECT (calendar), "np-custom-date", date);
  g_signal_connect_object (calendar, "day-selected", G_CALLBACK (on_custom_day_selected), self, 0);
  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  gtk_menu_button_set_popover (button, popover);
}

static void
on_currency_changed (NpOverviewPage *self)
{
  GtkStringObject *item;

  if (self->updating_currencies)
    return;

  item = gtk_drop_down_get_selected_item (self->currency_dropdown);
  g_free (self->chart_currency);
  self->chart_currency = item ? g_strdup (gtk_string_object_get_string (item)) : NULL;
  update_chart (self);
}

/* GObject ----------------------------------------------------------------------- */

static void
np_overview_page_dispose (GObject *object)
{
  NpOverviewPage *self = NP_OVERVIEW_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  cancel_totals (self);
  g_clear_handle_id (&self->refresh_idle_id, g_source_remove);
  np_overview_page_set_workspace (self, NULL);
  g_cancellable_cancel (self->approval_cancellable);
  g_clear_object (&self->approval_cancellable);
  g_clear_object (&self->team_signals);
  g_clear_object (&self->workspace_signals);
  g_clear_object (&self->ledger_signals);

  np_bin_page_dispose_template (ADW_BIN (object), NP_TYPE_OVERVIEW_PAGE);

  G_OBJECT_CLASS (np_overview_page_parent_class)->dispose (object);
}

static void
np_overview_page_finalize (GObject *object)
{
  NpOverviewPage *self = NP_OVERVIEW_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->period_action);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->summaries, g_ptr_array_unref);
  g_clear_pointer (&self->daily_totals, g_ptr_array_unref);
  g_clear_object (&self->currencies);
  g_free (self->chart_currency);

  G_OBJECT_CLASS (np_overview_page_parent_class)->finalize (object);
}

static void
np_overview_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  NpOverviewPage *self = NP_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    case PROP_PERIOD:
      g_value_set_enum (value, self->period);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_overview_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  NpOverviewPage *self = NP_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      np_overview_page_set_workspace (self, g_value_get_object (value));
      break;
    case PROP_PERIOD:
      np_overview_page_set_period (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A page that was never given a workspace says so once it is in a window. */
static void
np_overview_page_root (GtkWidget *widget)
{
  NpOverviewPage *self = NP_OVERVIEW_PAGE (widget);

  GTK_WIDGET_CLASS (np_overview_page_parent_class)->root (widget);

  if (self->workspace == NULL)
    show_account_state (self, FALSE);
}

static void
np_overview_page_class_init (NpOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_overview_page_dispose;
  object_class->finalize = np_overview_page_finalize;
  object_class->get_property = np_overview_page_get_property;
  object_class->set_property = np_overview_page_set_property;
  widget_class->root = np_overview_page_root;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         NP_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERIOD] =
    g_param_spec_enum ("period", NULL, NULL,
                       NP_TYPE_OVERVIEW_PERIOD, NP_OVERVIEW_PERIOD_WEEK,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NP_TYPE_CHART);
  g_type_ensure (NP_TYPE_OVERVIEW_COLUMNS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/overview/np-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, all_clear_label);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, awaiting_section);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, approval_section);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, approval_title);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, approval_label);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, unknown_section);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, failed_section);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, stale_section);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, awaiting_title);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, unknown_title);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, failed_title);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, stale_title);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, awaiting_list);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, unknown_list);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, failed_list);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, stale_list);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, period_button);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, period_menu);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, custom_revealer);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, from_button);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, to_button);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, no_totals_label);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, cards_box);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, currency_bin);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, chart);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, chart_summary_label);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, sample_box);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, sample_label);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, sample_progress);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewPage, sample_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sample_clicked);
}

static void
np_overview_page_init (NpOverviewPage *self)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autoptr(GDateTime) week_ago = NULL;

  self->cancellable = g_cancellable_new ();
  self->now = g_date_time_new_now_utc ();
  self->currencies = gtk_string_list_new (NULL);

  /* What the page follows, connected once; set_workspace () only moves the targets. */
  self->workspace_signals = g_signal_group_new (NP_TYPE_WORKSPACE);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::account", G_CALLBACK (on_account_changed), self);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::clock-offset", G_CALLBACK (refresh_soon), self);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::sample-data-fraction",
                                  G_CALLBACK (update_sample_box), self);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::client", G_CALLBACK (update_sample_box), self);
  self->team_signals = g_signal_group_new (NP_TYPE_TEAM_SYNC);
  g_signal_group_connect_swapped (self->team_signals, "team-changed", G_CALLBACK (refresh_approvals), self);
  g_signal_group_connect_swapped (self->team_signals, "notify::state", G_CALLBACK (refresh_approvals), self);
  self->ledger_signals = g_signal_group_new (NP_TYPE_LEDGER);
  g_signal_group_connect_swapped (self->ledger_signals, "changed", G_CALLBACK (on_ledger_changed), self);

  self->period = NP_OVERVIEW_PERIOD_WEEK;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_label (self->period_button, period_label (self->period));
  gtk_menu_button_set_create_popup_func (self->period_button, create_period_menu, self, NULL);
  install_period_action (self);

  /* A custom range starts as the last week. */
  week_ago = g_date_time_add_days (self->now, -6);
  date_from_date_time (&self->custom_first, week_ago);
  date_from_date_time (&self->custom_last, today);
  gtk_menu_button_set_create_popup_func (self->from_button, create_day_popover, self, NULL);
  gtk_menu_button_set_create_popup_func (self->to_button, create_day_popover, self, NULL);
}
