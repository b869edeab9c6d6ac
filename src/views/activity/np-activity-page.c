/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-activity-page.c — the Activity page of the main window.
 *
 * The journal of the current account, newest first: when, what operation, on
 * which object, the request's summary (amounts with their currency), the outcome
 * and the error. Filters and search are a NpJournalQuery evaluated by the ledger
 * in SQL; the list is the ledger's paged NpJournalListModel, so new operations
 * appear at the top as they are sent and change in place when they finish.
 *
 * An UNKNOWN outcome (the request left, the answer never came) stands out and
 * offers "Refresh": looking the object up again lets the workspace settle the
 * entry with the status it now has. Activating a row opens its object.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "np-bin-page.h"
#include "np-activity-cell.h"
#include "np-activity-page.h"
#include "np-day-report-printer.h"
#include "np-feedback.h"
#include "np-toast.h"
#include "np-journal-list-model.h"
#include "np-ledger-journal-export.h"
#include "np-window.h"

struct _NpActivityPage
{
  AdwBin              parent_instance;

  GtkStack           *stack;
  GtkCalendar        *day_calendar;
  GtkStack           *list_stack;
  AdwStatusPage      *empty_page;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *operation_dropdown;
  GtkDropDown        *outcome_dropdown;
  GtkColumnView      *column_view;

  NpWorkspace        *workspace;
  GSignalGroup       *workspace_signals;
  GSignalGroup       *model_signals;
  NpJournalListModel *model;
  GtkNoSelection     *selection;
  GCancellable       *cancellable;
  GtkNativeDialog    *export_dialog;
  guint               n_busy;
  char               *last_message;
};

G_DEFINE_FINAL_TYPE (NpActivityPage, np_activity_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WORKSPACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_message (NpActivityPage *self,
             const char     *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_free (self->last_message);
  self->last_message = g_strdup (message);

  if (NP_IS_WINDOW (root))
    np_window_add_toast (NP_WINDOW (root), np_toast_new (message));
}

static void
set_busy (NpActivityPage *self,
          gboolean        busy)
{
  if (busy)
    self->n_busy++;
  else if (self->n_busy > 0)
    self->n_busy--;
}

/* The list ---------------------------------------------------------------------- */

/* The filters as a ledger query. The dropdowns list operations and states in
 * their enums' order after an "All" item. */
static NpJournalQuery *
build_query (NpActivityPage *self)
{
  NpJournalQuery *query = np_journal_query_new ();
  guint operation = gtk_drop_down_get_selected (self->operation_dropdown);
  guint outcome = gtk_drop_down_get_selected (self->outcome_dropdown);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (operation != GTK_INVALID_LIST_POSITION && operation > 0)
    query->operation_mask = NP_JOURNAL_OPERATION_BIT (operation - 1);

  if (outcome != GTK_INVALID_LIST_POSITION && outcome > 0)
    {
      if (outcome - 1 <= NP_JOURNAL_STATE_UNKNOWN)
        query->state_mask = NP_JOURNAL_STATE_BIT (outcome - 1);
      else
        query->needs_attention = TRUE;
    }

  np_journal_query_set_text (query, text);

  return query;
}

static gboolean
is_filtered (NpActivityPage *self)
{
  return gtk_drop_down_get_selected (self->operation_dropdown) > 0 ||
         gtk_drop_down_get_selected (self->outcome_dropdown) > 0 ||
         *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';
}

static void
update_empty (NpActivityPage *self)
{
  gboolean empty = self->model == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0;

  if (is_filtered (self))
    {
      adw_status_page_set_title (self->empty_page, _("No Matching Operations"));
      adw_status_page_set_description (self->empty_page, _("Try another search or fewer filters."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Operations Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Creating, capturing, refunding, updating and deleting are recorded here, with their outcome."));
    }

  gtk_stack_set_visible_child_name (self->list_stack, empty ? "empty" : "list");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "activity.export", !empty);
}

static void
on_filter_changed (NpActivityPage *self)
{
  g_autoptr(NpJournalQuery) query = NULL;

  if (self->model == NULL)
    return;

  query = build_query (self);
  np_journal_list_model_set_query (self->model, query);
  update_empty (self);
}

static void
on_row_activated (NpActivityPage *self,
                  guint           position)
{
  g_autoptr(NpJournalEntry) entry = NULL;
  const char *object_id;

  if (self->model == NULL)
    return;

  entry = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  if (entry == NULL || (object_id = np_journal_entry_get_object_id (entry)) == NULL)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self),
                              np_journal_operation_is_customer (np_journal_entry_get_operation (entry))
                                ? "win.open-customer" : "win.open-checkout",
                              "s", object_id);
}

GListModel *
np_activity_page_get_model (NpActivityPage *self)
{
  g_return_val_if_fail (NP_IS_ACTIVITY_PAGE (self), NULL);

  return self->model ? G_LIST_MODEL (self->model) : NULL;
}

gboolean
np_activity_page_get_busy (NpActivityPage *self)
{
  g_return_val_if_fail (NP_IS_ACTIVITY_PAGE (self), FALSE);

  return self->n_busy > 0;
}

const char *
np_activity_page_get_last_message (NpActivityPage *self)
{
  g_return_val_if_fail (NP_IS_ACTIVITY_PAGE (self), NULL);

  return self->last_message;
}

/* Settling an unknown outcome ----------------------------------------------------- */

static void
settle_checkout_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(NpActivityPage) self = user_data;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  checkout = np_workspace_checkout_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (checkout == NULL)
    message = np_workspace_describe_error (error);
  else
    /* Translators: %s is a checkout id, then its status as the API spells it */
    message = g_strdup_printf (_("Refreshed %s: it is now %s"),
                               np_checkout_get_id (checkout), np_checkout_get_status_text (checkout));
  set_message (self, message);
}

static void
settle_customer_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(NpActivityPage) self = user_data;
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  customer = np_workspace_customer_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (customer == NULL)
    message = np_workspace_describe_error (error);
  else
    /* Translators: %s is a customer id */
    message = g_strdup_printf (_("Refreshed customer %s"), np_customer_get_id (customer));
  set_message (self, message);
}

/* activity.settle (x): the workspace settles the entry when the lookup has
 * shown the object's current state. */
static void
settle_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpActivityPage *self = NP_ACTIVITY_PAGE (widget);
  g_autoptr(NpJournalEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  const char *object_id;

  if (self->workspace == NULL)
    return;

  entry = np_ledger_journal_get (np_workspace_get_ledger (self->workspace),
                                 g_variant_get_int64 (parameter), &error);
  if (entry == NULL)
    {
      g_autofree char *message = np_workspace_describe_error (error);

      set_message (self, message);
      return;
    }

  object_id = np_journal_entry_get_object_id (entry);
  if (object_id == NULL)
    return;

  set_busy (self, TRUE);
  if (np_journal_operation_is_customer (np_journal_entry_get_operation (entry)))
    np_workspace_lookup_customer_async (self->workspace, object_id, self->cancellable,
                                        settle_customer_cb, g_object_ref (self));
  else
    np_workspace_lookup_checkout_async (self->workspace, object_id, self->cancellable,
                                        settle_checkout_cb, g_object_ref (self));
}

/* Verify Audit Trail ---------------------------------------------------------------- */

static void
show_verify_message (NpActivityPage *self,
                     const char     *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  np_feedback_toast (GTK_WIDGET (self), message);
}

static void
team_chain_verified_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(NpActivityPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n_rows = 0;

  if (np_team_sync_verify_chain_finish (NP_TEAM_SYNC (source), result, &n_rows, NULL, &error))
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The team audit trail is intact: %u operation verified.",
                                            "The team audit trail is intact: %u operations verified.", n_rows),
                               n_rows);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    message = g_strdup (error->message);   /* TAMPERED names the row; the others are sentences */

  set_busy (self, FALSE);
  show_verify_message (self, message);
}

/* Walks the account's audit chain (np_ledger_verify_chain ()) and, on a team
 * desk, the team ledger's chain of the account too (np_team_sync_verify_chain_async ()):
 * the result, or the first row that does not match, goes to the feedback
 * module's toast. */
void
np_activity_page_verify_audit_trail (NpActivityPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  NpTeamSync *sync;
  guint n_rows = 0;

  g_return_if_fail (NP_IS_ACTIVITY_PAGE (self));
  g_return_if_fail (self->workspace != NULL);

  if (!np_ledger_verify_chain (np_workspace_get_ledger (self->workspace),
                               np_workspace_get_account_id (self->workspace),
                               &n_rows, NULL, NULL, &error))
    {
      if (g_error_matches (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_TAMPERED))
        message = g_strdup (error->message);
      else
        message = np_workspace_describe_error (error);
      show_verify_message (self, message);
      return;
    }

  sync = np_workspace_get_team_sync (self->workspace);
  if (sync != NULL && np_team_sync_get_state (sync) != NP_TEAM_STATE_OFF)
    {
      set_busy (self, TRUE);
      np_team_sync_verify_chain_async (sync, np_workspace_get_account_id (self->workspace), self->cancellable,
                                       team_chain_verified_cb, g_object_ref (self));
      return;
    }

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The audit trail is intact: %u operation verified.",
                                          "The audit trail is intact: %u operations verified.", n_rows),
                             n_rows);
  show_verify_message (self, message);
}

static void
verify_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  np_activity_page_verify_audit_trail (NP_ACTIVITY_PAGE (widget));
}

/* End of day ---------------------------------------------------------------------- */

/* The report of the day chosen in the End of Day popover's calendar, a local day. */
static NpDayReport *
build_day_report (NpActivityPage  *self,
                  const GDate     *day,
                  GError         **error)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  return np_day_report_build (np_workspace_get_ledger (self->workspace),
                              np_workspace_get_account_id (self->workspace), day, tz, error);
}

static void
chosen_day (NpActivityPage *self,
            GDate          *day)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->day_calendar);

  g_date_set_dmy (day, g_date_time_get_day_of_month (date), g_date_time_get_month (date),
                  g_date_time_get_year (date));
}

gboolean
np_activity_page_export_day_report (NpActivityPage  *self,
                                    const GDate     *day,
                                    GFile           *file,
                                    GError         **error)
{
  g_autoptr(NpDayReport) report = NULL;
  g_autofree char *csv = NULL;

  g_return_val_if_fail (NP_IS_ACTIVITY_PAGE (self), FALSE);

  report = build_day_report (self, day, error);
  if (report == NULL)
    return FALSE;
  csv = np_day_report_to_csv (report);
  return g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE,
                                  G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, NULL, error);
}

/* A built report on its way to the printer (@file NULL) or a CSV file: on a
 * team desk the refund requests decided that day and the head of the team audit
 * chain are read from the team ledger first, so the printout, its preview and
 * the CSV all carry them. */
typedef struct {
  NpActivityPage *self;
  NpDayReport    *report;
  GFile          *file;
} DayDelivery;

static void
day_delivery_free (DayDelivery *delivery)
{
  g_clear_object (&delivery->self);
  g_clear_pointer (&delivery->report, np_day_report_free);
  g_clear_object (&delivery->file);
  g_free (delivery);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DayDelivery, day_delivery_free)

static void
deliver_day_report (DayDelivery *delivery)
{
  GtkWidget *widget = GTK_WIDGET (delivery->self);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;

  if (delivery->file != NULL)
    {
      csv = np_day_report_to_csv (delivery->report);
      if (g_file_replace_contents (delivery->file, csv, strlen (csv), NULL, FALSE,
                                   G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
        np_feedback_toast (widget, _("Exported the end-of-day report"));
      else
        np_feedback_toast_error (widget, error);
      return;
    }

  /* GTK's own dialog: a printer, or Print to File for a PDF. */
  operation = np_day_report_print_operation_new (delivery->report, tz);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error) ==
      GTK_PRINT_OPERATION_RESULT_ERROR)
    np_feedback_toast_error (widget, error);
}

static void
day_filled_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DayDelivery) delivery = user_data;
  g_autoptr(GError) error = NULL;

  if (np_team_sync_fill_day_report_finish (NP_TEAM_SYNC (source), result, &error))
    {
      set_busy (delivery->self, FALSE);
      deliver_day_report (delivery);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (delivery->self, FALSE);

  /* An account not shared with the team has had no requests and has no team chain. */
  if (g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID))
    {
      g_autoptr(JsonArray) none = json_array_new ();

      g_clear_error (&error);
      if (np_day_report_set_approvals (delivery->report, none, &error))
        {
          deliver_day_report (delivery);
          return;
        }
    }

  {
    g_autofree char *message =
      g_strdup_printf (_("The end-of-day report needs the day’s approvals and the audit chain’s head from the team "
                         "ledger: %s"), error->message);

    set_message (delivery->self, message);
  }
}

/* Builds the chosen day's report and prints it (@file NULL) or writes its CSV. */
static void
start_day_report (NpActivityPage *self,
                  GFile          *file)
{
  g_autoptr(DayDelivery) delivery = g_new0 (DayDelivery, 1);
  g_autoptr(GError) error = NULL;
  NpTeamSync *sync = np_workspace_get_team_sync (self->workspace);
  GDate day;

  chosen_day (self, &day);
  delivery->report = build_day_report (self, &day, &error);
  if (delivery->report == NULL)
    {
      np_feedback_toast_error (GTK_WIDGET (self), error);
      return;
    }
  delivery->self = g_object_ref (self);
  delivery->file = file != NULL ? g_object_ref (file) : NULL;

  if (sync != NULL && np_team_sync_get_state (sync) != NP_TEAM_STATE_OFF)
    {
      set_busy (self, TRUE);
      /* The report lives in the delivery, which lives until the callback. */
      np_team_sync_fill_day_report_async (sync, np_workspace_get_account_id (self->workspace), delivery->report,
                                          self->cancellable, day_filled_cb, g_steal_pointer (&delivery));
      return;
    }
  deliver_day_report (delivery);
}

static void
print_day_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  start_day_report (NP_ACTIVITY_PAGE (widget), NULL);
}

static void
on_export_day_response (NpActivityPage  *self,
                        int              response,
                        GtkNativeDialog *dialog)
{
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog)) : NULL;

  g_object_unref (dialog);
  if (file != NULL)
    start_day_report (self, file);
}

static void
export_day_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  NpActivityPage *self = NP_ACTIVITY_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->day_calendar);
  g_autofree char *name = NULL;
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export End-of-Day Report"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  /* Translators: the suggested file name of the end-of-day report; %Y-%m-%d is its day */
  name = g_date_time_format (date, _("end-of-day-%Y-%m-%d.csv"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_day_response), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Export ------------------------------------------------------------------------ */

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(NpActivityPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint64 n_rows = 0;

  if (!np_ledger_export_journal_finish (NP_LEDGER (source), result, &n_rows, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = np_workspace_describe_error (error);
    }
  else
    {
      /* xgettext cannot read G_GUINT64_FORMAT inside a message: the count goes in as text. */
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n_rows);

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %s operation",
                                              "Exported %s operations", n_rows),
                                 count);
    }

  set_busy (self, FALSE);
  set_message (self, message);
}

void
np_activity_page_export_to_file (NpActivityPage *self,
                                 GFile          *file)
{
  g_return_if_fail (NP_IS_ACTIVITY_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->model != NULL);

  set_busy (self, TRUE);
  /* The list's own query: the file holds what the person sees. */
  np_ledger_export_journal_async (np_workspace_get_ledger (self->workspace),
                                  np_workspace_get_account_id (self->workspace),
                                  np_journal_list_model_get_query (self->model),
                                  file, self->cancellable, export_cb, g_object_ref (self));
}

static void
on_export_response (NpActivityPage  *self,
                    int              response,
                    GtkNativeDialog *dialog)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        np_activity_page_export_to_file (self, file);
    }

  g_clear_object (&self->export_dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpActivityPage *self = NP_ACTIVITY_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->model == NULL || self->export_dialog != NULL)
    return;

  self->export_dialog = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Export Activity"),
                                                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                        _("_Export"), _("_Cancel")));
  gtk_native_dialog_set_modal (self->export_dialog, TRUE);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->export_dialog), filter);
  /* Translators: the suggested file name of an export; %s is today's date */
  name = g_date_time_format (now, _("activity-%Y-%m-%d.csv"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_dialog), name);
  g_signal_connect_object (self->export_dialog, "response",
                           G_CALLBACK (on_export_response), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->export_dialog);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpActivityPage *self = NP_ACTIVITY_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Workspace and account ------------------------------------------------------------ */

static void
on_account_changed (NpActivityPage *self)
{
  gint64 account_id = np_workspace_get_account_id (self->workspace);

  np_ledger_list_model_set_account_id (NP_LEDGER_LIST_MODEL (self->model), account_id);
  gtk_stack_set_visible_child_name (self->stack, account_id != 0 ? "activity" : "no-account");
  update_empty (self);
}

static void
clear_model (NpActivityPage *self)
{
  g_signal_group_set_target (self->model_signals, NULL);
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
}

NpWorkspace *
np_activity_page_get_workspace (NpActivityPage *self)
{
  g_return_val_if_fail (NP_IS_ACTIVITY_PAGE (self), NULL);

  return self->workspace;
}

void
np_activity_page_set_workspace (NpActivityPage *self,
                                NpWorkspace    *workspace)
{
  g_return_if_fail (NP_IS_ACTIVITY_PAGE (self));
  g_return_if_fail (workspace == NULL || NP_IS_WORKSPACE (workspace));

  if (self->workspace == workspace)
    return;

  clear_model (self);
  g_set_object (&self->workspace, workspace);
  g_signal_group_set_target (self->workspace_signals, workspace);

  if (workspace != NULL)
    {
      g_autoptr(NpJournalQuery) query = build_query (self);

      self->model = np_journal_list_model_new (np_workspace_get_ledger (workspace),
                                               np_workspace_get_account_id (workspace), query);
      g_signal_group_set_target (self->model_signals, self->model);
      self->selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
      on_account_changed (self);
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "no-account");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
}

/* GObject ----------------------------------------------------------------------- */

static void
np_activity_page_dispose (GObject *object)
{
  NpActivityPage *self = NP_ACTIVITY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->export_dialog != NULL)
    gtk_native_dialog_destroy (self->export_dialog);
  g_clear_object (&self->export_dialog);
  np_activity_page_set_workspace (self, NULL);
  g_clear_object (&self->workspace_signals);
  g_clear_object (&self->model_signals);

  np_bin_page_dispose_template (ADW_BIN (object), NP_TYPE_ACTIVITY_PAGE);

  G_OBJECT_CLASS (np_activity_page_parent_class)->dispose (object);
}

static void
np_activity_page_finalize (GObject *object)
{
  NpActivityPage *self = NP_ACTIVITY_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->last_message);

  G_OBJECT_CLASS (np_activity_page_parent_class)->finalize (object);
}

static void
np_activity_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  NpActivityPage *self = NP_ACTIVITY_PAGE (object);

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
np_activity_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  NpActivityPage *self = NP_ACTIVITY_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      np_activity_page_set_workspace (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_activity_page_class_init (NpActivityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_activity_page_dispose;
  object_class->finalize = np_activity_page_finalize;
  object_class->get_property = np_activity_page_get_property;
  object_class->set_property = np_activity_page_set_property;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         NP_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "activity.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "activity.verify-audit-trail", NULL, verify_action);
  gtk_widget_class_install_action (widget_class, "activity.print-day-report", NULL, print_day_action);
  gtk_widget_class_install_action (widget_class, "activity.export-day-report", NULL, export_day_action);
  gtk_widget_class_install_action (widget_class, "activity.settle", "x", settle_action);
  gtk_widget_class_install_action (widget_class, "activity.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "activity.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "activity.search", NULL);

  g_type_ensure (NP_TYPE_ACTIVITY_CELL);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/activity/np-activity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NpActivityPage, stack);
  gtk_widget_class_bind_template_child (widget_class, NpActivityPage, day_calendar);
  gtk_widget_class_bind_template_child (widget_class, NpActivityPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, NpActivityPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, NpActivityPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, NpActivityPage, operation_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NpActivityPage, outcome_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NpActivityPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
np_activity_page_init (NpActivityPage *self)
{
  self->cancellable = g_cancellable_new ();
  /* What the page follows, connected once; set_workspace () only moves the targets. */
  self->workspace_signals = g_signal_group_new (NP_TYPE_WORKSPACE);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::account", G_CALLBACK (on_account_changed), self);
  self->model_signals = g_signal_group_new (NP_TYPE_JOURNAL_LIST_MODEL);
  g_signal_group_connect_swapped (self->model_signals, "items-changed", G_CALLBACK (update_empty), self);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_stack_set_visible_child_name (self->stack, "no-account");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "activity.export", FALSE);
}
