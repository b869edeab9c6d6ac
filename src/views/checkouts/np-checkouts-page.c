/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkouts-page.c — the Checkouts page: the list, its search and filters, the
 * detail, and the page's longer work (refresh, import, look up, export).
 *
 * The list is an NpRowList of NpCheckoutRowWidget under an NpCheckoutListHeader,
 * over NpCheckoutListModel, which filters and sorts in the ledger; every keystroke,
 * filter or header click becomes a new NpCheckoutQuery. The detail is made for the
 * first checkout shown.
 *
 * One piece of work runs at a time, with a progress bar and a Cancel button; the
 * page stays usable meanwhile (the workspace keeps at most 8 requests in flight and
 * stores results in batches). A summary toast (in the page's own overlay, so a
 * test window or the main window both show it) says what happened, with "Show"
 * listing the failures.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-bin-page.h"
#include "np-checkout-columns.h"
#include "np-checkout-detail.h"
#include "np-checkout-icon.h"
#include "np-checkout-list-header.h"
#include "np-checkout-list-model.h"
#include "np-checkout-lookup-dialog.h"
#include "np-checkout-new-dialog.h"
#include "np-checkout-row-widget.h"
#include "np-checkout-row.h"
#include "np-checkouts-page.h"
#include "np-customer-display.h"
#include "np-feedback.h"
#include "np-row-list.h"
#include "np-status-badge.h"

struct _NpCheckoutsPage
{
  AdwBin               parent_instance;

  NpWorkspace         *workspace;
  GSignalGroup        *workspace_signals;
  GSignalGroup        *ledger_signals;
  NpCheckoutListModel *model;
  GtkMultiSelection   *selection;
  GCancellable        *cancellable;       /* the page's life */
  GCancellable        *work_cancellable;  /* the running refresh, import or export */
  guint                update_source;
  guint                total;             /* every checkout of the account */
  gboolean             total_stale;       /* the ledger changed since total was counted */

  AdwToastOverlay     *toast_overlay;
  GtkStack            *page_stack;
  GtkStack            *list_stack;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *status_dropdown;
  GtkDropDown         *date_dropdown;
  GtkRevealer         *progress_revealer;
  GtkProgressBar      *progress_bar;
  NpCheckoutListHeader *list_header;
  NpRowList           *list_view;
  GtkInscription      *count_label;
  AdwStatusPage       *error_status;
  AdwStatusPage       *no_results_status;
  GtkStack            *detail_stack;
  NpCheckoutDetail    *detail;            /* in detail_stack once a checkout is shown */
  AdwLeaflet          *leaflet;           /* list and detail, one column when narrow */
  GtkWidget           *list_box;
  GtkWidget           *detail_box;
  GtkBox              *toolbar;
  GtkWidget           *filters_box;
  GtkBox              *filters_row;
  guint                filters_source;    /* moving the filters after a fold */
};

G_DEFINE_FINAL_TYPE (NpCheckoutsPage, np_checkouts_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WORKSPACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_state (NpCheckoutsPage *self);
static void cancel_work (NpCheckoutsPage *self);

/* The status filter's entries after "All statuses", in lifecycle order. */
static const NpCheckoutStatus filter_statuses[] = {
  NP_CHECKOUT_STATUS_CREATED,
  NP_CHECKOUT_STATUS_RESERVED,
  NP_CHECKOUT_STATUS_PAID,
  NP_CHECKOUT_STATUS_PARTIAL_REFUND,
  NP_CHECKOUT_STATUS_REFUNDED,
  NP_CHECKOUT_STATUS_RESERVE_RELEASED,
  NP_CHECKOUT_STATUS_FAILED,
  NP_CHECKOUT_STATUS_CANCELED,
  NP_CHECKOUT_STATUS_REVOKED,
  NP_CHECKOUT_STATUS_UNKNOWN,
};

/* Days back for the date filter's entries; 0: any time, -1: since local midnight. */
static const int filter_days[] = { 0, -1, 7, 30, 365 };

static gint64
query_created_from (guint selected)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = NULL;

  if (selected >= G_N_ELEMENTS (filter_days) || filter_days[selected] == 0)
    return 0;

  midnight = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                    g_date_time_get_day_of_month (now), 0, 0, 0);
  if (filter_days[selected] < 0)
    return g_date_time_to_unix (midnight);

  return g_date_time_to_unix (midnight) - (gint64) (filter_days[selected] - 1) * 24 * 60 * 60;
}

static NpCheckoutQuery *
build_query (NpCheckoutsPage *self)
{
  NpCheckoutQuery *query = np_checkout_query_new ();
  guint status = gtk_drop_down_get_selected (self->status_dropdown);
  NpCheckoutSort sort;
  gboolean descending;

  np_checkout_query_set_text (query, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  if (status > 0 && status <= G_N_ELEMENTS (filter_statuses))
    query->status_mask = NP_CHECKOUT_STATUS_BIT (filter_statuses[status - 1]);
  query->created_from = query_created_from (gtk_drop_down_get_selected (self->date_dropdown));
  sort = np_checkout_list_header_get_sort (self->list_header, &descending);
  query->sort = sort;
  query->descending = descending;

  return query;
}

static void
apply_query (NpCheckoutsPage *self)
{
  g_autoptr(NpCheckoutQuery) query = NULL;

  if (self->model == NULL)
    return;

  query = build_query (self);
  np_checkout_list_model_set_query (self->model, query);
  /* A new query shows its first rows. */
  np_row_list_scroll_to (self->list_view, 0);
  update_state (self);
}

static void
on_search_changed (NpCheckoutsPage *self)
{
  apply_query (self);
}

static void
on_filter_changed (NpCheckoutsPage *self)
{
  apply_query (self);
}

static void
on_sort_changed (NpCheckoutsPage *self)
{
  apply_query (self);
}

static GStrv
dup_selected_ids (NpCheckoutsPage *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  GtkBitsetIter iter;
  guint position;

  if (self->selection == NULL)
    return NULL;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_is_empty (selected))
    return NULL;

  builder = g_strv_builder_new ();
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(NpCheckoutRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      if (row != NULL)
        g_strv_builder_add (builder, np_checkout_row_get_checkout_id (row));
    }

  return g_strv_builder_end (builder);
}

/* The detail is built for the first checkout shown, not with the page: a few
 * hundred widgets that a list opened only to search or refresh never needs. */
static void
show_checkout (NpCheckoutsPage *self,
               const char      *checkout_id)
{
  if (checkout_id == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      if (self->detail != NULL)
        np_checkout_detail_set_checkout_id (self->detail, NULL);
      return;
    }

  if (self->detail == NULL)
    {
      self->detail = g_object_new (NP_TYPE_CHECKOUT_DETAIL, NULL);
      g_object_bind_property (self, "workspace", self->detail, "workspace", G_BINDING_SYNC_CREATE);
      gtk_stack_add_named (self->detail_stack, GTK_WIDGET (self->detail), "checkout");
    }
  np_checkout_detail_set_checkout_id (self->detail, checkout_id);
  gtk_stack_set_visible_child (self->detail_stack, GTK_WIDGET (self->detail));
}

static const char *
shown_checkout_id (NpCheckoutsPage *self)
{
  return self->detail != NULL ? np_checkout_detail_get_checkout_id (self->detail) : NULL;
}

static void
on_selection_changed (NpCheckoutsPage *self)
{
  g_auto(GStrv) ids = dup_selected_ids (self);

  /* The detail follows a single selection; several rows are for "Refresh". */
  show_checkout (self, ids != NULL && g_strv_length (ids) == 1 ? ids[0] : NULL);
  /* In one column, choosing a checkout opens its detail. */
  if (ids != NULL && g_strv_length (ids) == 1)
    adw_leaflet_set_visible_child (self->leaflet, self->detail_box);
}

gboolean
np_checkouts_page_get_folded (NpCheckoutsPage *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUTS_PAGE (self), FALSE);

  return adw_leaflet_get_folded (self->leaflet);
}

gboolean
np_checkouts_page_go_back (NpCheckoutsPage *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUTS_PAGE (self), FALSE);

  if (!adw_leaflet_get_folded (self->leaflet) ||
      adw_leaflet_get_visible_child (self->leaflet) != self->detail_box)
    return FALSE;

  adw_leaflet_set_visible_child (self->leaflet, self->list_box);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
  return TRUE;
}

/* Narrow, the filters go on a row of their own so the page fits 360 px. Moved after
 * the layout that folded the leaflet, never during it. */
static gboolean
place_filters (gpointer user_data)
{
  NpCheckoutsPage *self = user_data;
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  GtkWidget *filters_parent = gtk_widget_get_parent (self->filters_box);

  self->filters_source = 0;
  if (self->leaflet == NULL)
    return G_SOURCE_REMOVE;
  g_object_ref (self->filters_box);
  if (folded && filters_parent == GTK_WIDGET (self->toolbar))
    {
      gtk_box_remove (self->toolbar, self->filters_box);
      gtk_box_append (self->filters_row, self->filters_box);
    }
  else if (!folded && filters_parent == GTK_WIDGET (self->filters_row))
    {
      gtk_box_remove (self->filters_row, self->filters_box);
      gtk_box_insert_child_after (self->toolbar, self->filters_box, GTK_WIDGET (self->search_entry));
    }
  g_object_unref (self->filters_box);
  gtk_widget_set_visible (GTK_WIDGET (self->filters_row), folded);

  return G_SOURCE_REMOVE;
}

static void
on_leaflet_folded (NpCheckoutsPage *self)
{
  /* Unfolded both are shown; folded, start from the list unless a checkout is open. */
  if (adw_leaflet_get_folded (self->leaflet) &&
      shown_checkout_id (self) == NULL)
    adw_leaflet_set_visible_child (self->leaflet, self->list_box);

  if (self->filters_source == 0 && self->leaflet != NULL)
    self->filters_source = g_idle_add (place_filters, self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  np_checkouts_page_go_back (NP_CHECKOUTS_PAGE (widget));
}

static gboolean
select_checkout (NpCheckoutsPage *self,
                 const char      *checkout_id)
{
  int position;

  if (self->model == NULL || checkout_id == NULL)
    return FALSE;

  position = np_checkout_list_model_find (self->model, checkout_id);
  if (position < 0)
    return FALSE;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  np_row_list_scroll_to (self->list_view, position);
  show_checkout (self, checkout_id);
  adw_leaflet_set_visible_child (self->leaflet, self->detail_box);
  return TRUE;
}

static gboolean
is_working (NpCheckoutsPage *self)
{
  return self->work_cancellable != NULL;
}

static void
update_actions (NpCheckoutsPage *self)
{
  gboolean ready = self->workspace != NULL && np_workspace_get_client (self->workspace) != NULL;
  gboolean working = is_working (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkouts.new", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkouts.lookup", ready && !working);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkouts.refresh", ready && !working && self->total > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkouts.export", self->model != NULL && !working && self->total > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkouts.cancel", working);
}

/* The theme has the icons of these pages only as SVG at their size, and GTK 4.8
 * looks up the icons of hidden pages too: set when first shown, a session that
 * never shows them never loads the SVG renderer (librsvg, some 9 MiB). */
static void
show_list_state (NpCheckoutsPage *self,
                 const char      *name)
{
  if (g_str_equal (name, "no-results"))
    adw_status_page_set_icon_name (self->no_results_status, "edit-find-symbolic");
  else if (g_str_equal (name, "error"))
    adw_status_page_set_icon_name (self->error_status, "dialog-error-symbolic");

  gtk_stack_set_visible_child_name (self->list_stack, name);
}

static void
update_state (NpCheckoutsPage *self)
{
  g_autoptr(GError) error = NULL;
  gint64 account_id;
  guint shown;

  g_clear_handle_id (&self->update_source, g_source_remove);

  account_id = self->workspace ? np_workspace_get_account_id (self->workspace) : 0;
  if (account_id == 0 || self->model == NULL)
    {
      gtk_stack_set_visible_child_name (self->page_stack, "no-account");
      self->total = 0;
      update_actions (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->page_stack, "content");
  shown = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  /* Every checkout of the account, counted again only when the ledger changed
   * (not at each keystroke of a search). */
  if (self->total_stale &&
      !np_ledger_count_checkouts (np_workspace_get_ledger (self->workspace), account_id, NULL, &self->total, &error))
    {
      g_autofree char *text = np_workspace_describe_error (error);
      /* AdwStatusPage reads its description as markup; an error may quote a path or a server. */
      g_autofree char *escaped = g_markup_escape_text (text, -1);

      adw_status_page_set_description (self->error_status, escaped);
      show_list_state (self, "error");
      gtk_inscription_set_text (self->count_label, "");
      update_actions (self);
      return;
    }
  self->total_stale = FALSE;

  if (shown > 0)
    show_list_state (self, "list");
  else if (self->total == 0 && is_working (self))
    show_list_state (self, "loading");
  else if (self->total == 0)
    show_list_state (self, "empty");
  else
    show_list_state (self, "no-results");

  if (shown == self->total)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u checkout", "%u checkouts", shown), shown);
      gtk_inscription_set_text (self->count_label, text);
    }
  else
    {
      /* Translators: shown and total numbers of checkouts. */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u checkout", "%u of %u checkouts", self->total),
                                               shown, self->total);
      gtk_inscription_set_text (self->count_label, text);
    }

  update_actions (self);
}

static gboolean
update_state_idle (gpointer user_data)
{
  NpCheckoutsPage *self = user_data;

  self->update_source = 0;
  update_state (self);
  return G_SOURCE_REMOVE;
}

/* Changes come in bursts (a refresh, an import): count once when one is over. */
static void
queue_update_state (NpCheckoutsPage *self)
{
  if (self->update_source == 0)
    self->update_source = g_idle_add_full (G_PRIORITY_LOW, update_state_idle, self, NULL);
}

static void
on_items_changed (NpCheckoutsPage *self)
{
  queue_update_state (self);
}

/* Checkouts added, imported or deleted anywhere in the ledger: count them again,
 * even when the rows on show stay the same (a search hides the new ones). */
static void
on_ledger_changed (NpCheckoutsPage *self,
                   NpLedgerTable    table)
{
  if (table != NP_LEDGER_TABLE_CHECKOUTS)
    return;

  self->total_stale = TRUE;
  queue_update_state (self);
}

static void
on_account_changed (NpCheckoutsPage *self)
{
  gint64 account_id = np_workspace_get_account_id (self->workspace);

  cancel_work (self);
  self->total_stale = TRUE;
  if (self->model == NULL)
    {
      g_autoptr(NpCheckoutQuery) query = build_query (self);

      self->model = np_checkout_list_model_new (np_workspace_get_ledger (self->workspace), account_id, query);
      g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
      self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
      g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
      np_row_list_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
    }
  else
    {
      np_ledger_list_model_set_account_id (NP_LEDGER_LIST_MODEL (self->model), account_id);
    }

  show_checkout (self, NULL);
  update_state (self);
}

NpWorkspace *
np_checkouts_page_get_workspace (NpCheckoutsPage *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUTS_PAGE (self), NULL);

  return self->workspace;
}

void
np_checkouts_page_set_workspace (NpCheckoutsPage *self,
                                 NpWorkspace     *workspace)
{
  g_return_if_fail (NP_IS_CHECKOUTS_PAGE (self));
  g_return_if_fail (!workspace || NP_IS_WORKSPACE (workspace));

  if (self->workspace == workspace)
    return;

  cancel_work (self);
  np_row_list_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_set_object (&self->workspace, workspace);

  g_signal_group_set_target (self->workspace_signals, workspace);
  g_signal_group_set_target (self->ledger_signals, workspace ? np_workspace_get_ledger (workspace) : NULL);
  if (workspace != NULL)
    {
      on_account_changed (self);
    }
  else
    {
      update_state (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
}

static void
clear_filters (NpCheckoutsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->date_dropdown, 0);
  apply_query (self);
}

/* What a progress callback may touch: the page only while it lives. */
typedef struct {
  GWeakRef page;
} Work;

static Work *
work_new (NpCheckoutsPage *self)
{
  Work *work = g_new0 (Work, 1);

  g_weak_ref_init (&work->page, self);
  return work;
}

static void
work_free (Work *work)
{
  g_weak_ref_clear (&work->page);
  g_free (work);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Work, work_free)

static void
begin_work (NpCheckoutsPage *self,
            const char      *text)
{
  g_assert (self->work_cancellable == NULL);

  self->work_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  update_state (self);
}

static void
end_work (NpCheckoutsPage *self)
{
  g_clear_object (&self->work_cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  update_state (self);
}

static void
cancel_work (NpCheckoutsPage *self)
{
  if (self->work_cancellable == NULL)
    return;

  /* The callback still comes, with what was done so far; it ends the work. */
  g_cancellable_cancel (self->work_cancellable);
}

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  Work *work = user_data;
  g_autoptr(NpCheckoutsPage) self = g_weak_ref_get (&work->page);
  g_autofree char *text = NULL;

  if (self == NULL || total == 0)
    return;

  /* Translators: progress of a refresh, "12 of 340". */
  text = g_strdup_printf (_("%u of %u"), done, total);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
show_failures_dialog (NpCheckoutsPage        *self,
                      const NpRefreshSummary *summary)
{
  g_autoptr(GString) body = g_string_new (NULL);

  for (guint i = 0; summary->failures != NULL && i < summary->failures->len; i++)
    {
      NpRetrieveResult *result = g_ptr_array_index (summary->failures, i);
      g_autofree char *text = np_workspace_describe_error (result->error);

      if (i == 50)
        {
          g_string_append_printf (body, _("… and %u more"), summary->failures->len - i);
          break;
        }
      g_string_append_printf (body, "%s: %s\n", result->checkout_id, text);
    }

  np_feedback_message (GTK_WIDGET (self), _("Checkouts Not Refreshed"), body->str);
}

static void
on_show_failures (AdwToast         *toast,
                  NpRefreshSummary *summary)
{
  GtkWidget *overlay = g_object_get_data (G_OBJECT (toast), "np-page");

  if (overlay != NULL)
    show_failures_dialog (NP_CHECKOUTS_PAGE (overlay), summary);
}

static void
free_summary_closure (gpointer  data,
                      GClosure *closure)
{
  np_refresh_summary_free (data);
}

static void
toast_summary (NpCheckoutsPage  *self,
               NpRefreshSummary *summary)
{
  g_autofree char *text = np_refresh_summary_describe (summary);
  AdwToast *toast = np_feedback_toast (GTK_WIDGET (self->page_stack), text);

  if (toast == NULL || summary->failures == NULL || summary->failures->len == 0)
    {
      np_refresh_summary_free (summary);
      return;
    }

  adw_toast_set_button_label (toast, _("_Show"));
  g_object_set_data (G_OBJECT (toast), "np-page", self);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_show_failures), summary,
                         free_summary_closure, 0);
}

static void
on_refresh_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Work) work = user_data;
  g_autoptr(NpCheckoutsPage) self = g_weak_ref_get (&work->page);
  g_autoptr(GError) error = NULL;
  NpRefreshSummary *summary;

  summary = np_workspace_refresh_finish (NP_WORKSPACE (source), result, &error);
  if (self == NULL)
    {
      g_clear_pointer (&summary, np_refresh_summary_free);
      return;
    }

  end_work (self);
  if (summary != NULL)
    toast_summary (self, summary);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    np_feedback_toast (GTK_WIDGET (self->page_stack), _("Stopped"));
  else
    np_feedback_toast_error (GTK_WIDGET (self->page_stack), error);
}

static void
refresh (NpCheckoutsPage *self)
{
  g_auto(GStrv) ids = NULL;
  Work *work;

  if (self->workspace == NULL || is_working (self))
    return;

  /* The selection, or (NULL) every checkout whose status may still change. */
  ids = dup_selected_ids (self);
  begin_work (self, _("Refreshing…"));
  work = work_new (self);
  np_workspace_refresh_checkouts_async (self->workspace, (const char * const *) ids,
                                        on_progress, work,
                                        self->work_cancellable,
                                        on_refresh_done, work);
}

static void
import_checkouts (NpCheckoutsPage *self,
                  const char      *text)
{
  Work *work;

  if (self->workspace == NULL || is_working (self))
    return;

  begin_work (self, _("Importing…"));
  work = work_new (self);
  np_workspace_import_checkouts_async (self->workspace, text,
                                       on_progress, work,
                                       self->work_cancellable,
                                       on_refresh_done, work);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Work) work = user_data;
  g_autoptr(NpCheckoutsPage) self = g_weak_ref_get (&work->page);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  guint64 rows = 0;

  if (!np_workspace_export_checkouts_finish (NP_WORKSPACE (source), result, &rows, &error))
    {
      if (self == NULL)
        return;
      end_work (self);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        np_feedback_toast (GTK_WIDGET (self->page_stack), _("Export stopped"));
      else
        np_feedback_toast_error (GTK_WIDGET (self->page_stack), error);
      return;
    }

  if (self == NULL)
    return;

  end_work (self);
  /* xgettext cannot read G_GUINT64_FORMAT inside a message: the count goes in as text. */
  count = g_strdup_printf ("%" G_GUINT64_FORMAT, rows);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %s checkout",
                                       "Exported %s checkouts", rows), count);
  np_feedback_toast (GTK_WIDGET (self->page_stack), text);
}

static void
on_export_file_chosen (GtkNativeDialog *chooser,
                       int              response,
                       NpCheckoutsPage *self)
{
  g_autoptr(GFile) file = NULL;
  Work *work;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);

  if (file == NULL || self->model == NULL || is_working (self))
    return;

  begin_work (self, _("Exporting…"));
  gtk_progress_bar_pulse (self->progress_bar);
  work = work_new (self);
  np_workspace_export_checkouts_async (self->workspace,
                                       np_checkout_list_model_get_query (self->model),
                                       file, self->work_cancellable,
                                       on_export_done, work);
}

static void
export_checkouts (NpCheckoutsPage *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->model == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Checkouts"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("checkouts.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_file_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_show_to_customer (AdwToast        *toast,
                     NpCheckoutsPage *self)
{
  const char *checkout_id = g_object_get_data (G_OBJECT (toast), "np-checkout-id");

  if (self->workspace != NULL && checkout_id != NULL)
    np_customer_display_present (self->workspace, checkout_id, GTK_WIDGET (self));
}

/* The new checkout is shown; one waiting for the payer can go straight to the
 * customer's screen from the toast. */
static void
on_checkout_created (NpCheckoutsPage *self,
                     NpCheckout      *checkout)
{
  AdwToast *toast;

  np_checkouts_page_show_checkout (self, np_checkout_get_id (checkout));
  toast = np_feedback_toast (GTK_WIDGET (self->page_stack), _("Checkout created"));
  if (toast == NULL || np_checkout_get_status (checkout) != NP_CHECKOUT_STATUS_CREATED ||
      np_checkout_get_url (checkout) == NULL)
    return;
  adw_toast_set_button_label (toast, _("Show to Customer"));
  g_object_set_data_full (G_OBJECT (toast), "np-checkout-id", g_strdup (np_checkout_get_id (checkout)), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_show_to_customer), self, 0);
}

static void
open_new_dialog (NpCheckoutsPage *self,
                 const char      *customer_id,
                 const char      *card_id,
                 const char      *currency)
{
  NpCheckoutNewDialog *dialog;

  if (self->workspace == NULL)
    return;

  dialog = np_checkout_new_dialog_new (self->workspace);
  np_checkout_new_dialog_set_currency (dialog, currency);
  np_checkout_new_dialog_set_customer (dialog, customer_id, card_id);
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_checkout_created), self, G_CONNECT_SWAPPED);
  np_feedback_present_dialog (GTK_WIDGET (self), GTK_WINDOW (dialog));
}

void
np_checkouts_page_new_checkout (NpCheckoutsPage *self,
                                const char      *customer_id,
                                const char      *card_id)
{
  g_return_if_fail (NP_IS_CHECKOUTS_PAGE (self));

  open_new_dialog (self, customer_id, card_id, NULL);
}

void
np_checkouts_page_new_sale (NpCheckoutsPage *self,
                            const char      *currency)
{
  g_return_if_fail (NP_IS_CHECKOUTS_PAGE (self));

  open_new_dialog (self, NULL, NULL, currency);
}

static void
on_show_lookup_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(NpCheckoutsPage) self = user_data;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;

  checkout = np_workspace_checkout_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (checkout == NULL)
    {
      np_feedback_toast_error (GTK_WIDGET (self->page_stack), error);
      return;
    }

  update_state (self);
  select_checkout (self, np_checkout_get_id (checkout));
}

void
np_checkouts_page_show_checkout (NpCheckoutsPage *self,
                                 const char      *checkout_id)
{
  g_return_if_fail (NP_IS_CHECKOUTS_PAGE (self));

  if (self->workspace == NULL || checkout_id == NULL)
    return;

  if (select_checkout (self, checkout_id))
    return;

  /* Hidden by the search or a filter? Show everything, then try again. */
  clear_filters (self);
  if (select_checkout (self, checkout_id))
    return;

  /* Not in the ledger yet: ask the server. */
  np_workspace_lookup_checkout_async (self->workspace, checkout_id, self->cancellable,
                                      on_show_lookup_done, g_object_ref (self));
}

static void
on_lookup_found (NpCheckoutsPage *self,
                 const char      *checkout_id)
{
  np_checkouts_page_show_checkout (self, checkout_id);
}

static void
on_lookup_import (NpCheckoutsPage *self,
                  const char      *text)
{
  import_checkouts (self, text);
}

static void
lookup (NpCheckoutsPage *self)
{
  NpCheckoutLookupDialog *dialog;

  if (self->workspace == NULL)
    return;

  dialog = np_checkout_lookup_dialog_new (self->workspace);
  g_signal_connect_object (dialog, "found", G_CALLBACK (on_lookup_found), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "import", G_CALLBACK (on_lookup_import), self, G_CONNECT_SWAPPED);
  np_feedback_present_dialog (GTK_WIDGET (self), GTK_WINDOW (dialog));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  np_checkouts_page_new_checkout (NP_CHECKOUTS_PAGE (widget), NULL, NULL);
}

static void
lookup_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  lookup (NP_CHECKOUTS_PAGE (widget));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  refresh (NP_CHECKOUTS_PAGE (widget));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  export_checkouts (NP_CHECKOUTS_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  cancel_work (NP_CHECKOUTS_PAGE (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (NP_CHECKOUTS_PAGE (widget)->search_entry));
}

static void
install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "checkouts.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "checkouts.lookup", NULL, lookup_action);
  gtk_widget_class_install_action (widget_class, "checkouts.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "checkouts.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "checkouts.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "checkouts.search", NULL, search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "checkouts.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "checkouts.lookup", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "checkouts.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "checkouts.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "checkouts.refresh", NULL);
}

static void
np_checkouts_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  NpCheckoutsPage *self = NP_CHECKOUTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_checkouts_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  NpCheckoutsPage *self = NP_CHECKOUTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      np_checkouts_page_set_workspace (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_checkouts_page_dispose (GObject *object)
{
  NpCheckoutsPage *self = NP_CHECKOUTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  cancel_work (self);
  g_clear_handle_id (&self->update_source, g_source_remove);
  g_clear_object (&self->workspace_signals);
  g_clear_object (&self->ledger_signals);
  if (self->list_view != NULL)
    np_row_list_set_model (self->list_view, NULL);
  /* Before the template goes: its entries and drop-downs notify as they are
   * destroyed, and without a model those notifications do nothing. */
  g_clear_object (&self->selection);
  g_clear_object (&self->model);

  np_bin_page_dispose_template (ADW_BIN (object), NP_TYPE_CHECKOUTS_PAGE);
  self->detail = NULL;  /* went with detail_stack */
  g_clear_handle_id (&self->filters_source, g_source_remove);

  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (np_checkouts_page_parent_class)->dispose (object);
}

static GtkWidget *
make_row (gpointer user_data)
{
  return np_checkout_row_widget_new ();
}

static void
bind_row (GtkWidget *row,
          gpointer   item,
          gpointer   user_data)
{
  np_checkout_row_widget_set_row (NP_CHECKOUT_ROW_WIDGET (row), item);
}

static void
np_checkouts_page_class_init (NpCheckoutsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_checkouts_page_dispose;
  object_class->get_property = np_checkouts_page_get_property;
  object_class->set_property = np_checkouts_page_set_property;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         NP_TYPE_WORKSPACE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NP_TYPE_CHECKOUT_LIST_HEADER);
  g_type_ensure (NP_TYPE_CHECKOUT_ICON);
  g_type_ensure (NP_TYPE_ROW_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/checkouts/np-checkouts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, page_stack);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, no_results_status);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, date_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, list_header);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, detail_box);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, filters_box);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutsPage, filters_row);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_sort_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded);

  install_actions (widget_class);
  gtk_widget_class_install_action (widget_class, "checkouts.back", NULL, back_action);
}

static GListModel *
create_status_model (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("All statuses"));
  for (guint i = 0; i < G_N_ELEMENTS (filter_statuses); i++)
    gtk_string_list_append (list, np_checkout_status_get_label (filter_statuses[i], NULL));

  return G_LIST_MODEL (list);
}

static void
np_checkouts_page_init (NpCheckoutsPage *self)
{
  g_autoptr(GListModel) statuses = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  /* What the page follows, connected once; set_workspace () only moves the targets. */
  self->workspace_signals = g_signal_group_new (NP_TYPE_WORKSPACE);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::account", G_CALLBACK (on_account_changed), self);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::client", G_CALLBACK (update_actions), self);
  self->ledger_signals = g_signal_group_new (NP_TYPE_LEDGER);
  g_signal_group_connect_swapped (self->ledger_signals, "changed", G_CALLBACK (on_ledger_changed), self);

  statuses = create_status_model ();
  gtk_drop_down_set_model (self->status_dropdown, statuses);

  np_row_list_set_row_functions (self->list_view, make_row, bind_row, NULL);

  /* Typing anywhere on the page searches. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  update_state (self);
}
