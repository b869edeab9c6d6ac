/* np-checkouts-page-work.c — the Checkouts page's longer work: refresh, import, look
 * up, export, and opening the forms.
 *
 * One piece of work runs at a time, with a progress bar and a Cancel button; the
 * page stays usable meanwhile (the workspace keeps at most 8 requests in flight and
 * stores results in batches). A summary toast (in the page's own overlay, so a
 * test window or the main window both show it) says what happened, with "Show"
 * listing the failures.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-feedback.h"
#include "np-checkout-lookup-dialog.h"
#include "np-checkout-new-dialog.h"
#include "np-checkouts-page-private.h"

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
  np_checkouts_page_update_state (self);
}

static void
end_work (NpCheckoutsPage *self)
{
  g_clear_object (&self->work_cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  np_checkouts_page_update_state (self);
}

void
np_checkouts_page_cancel_work (NpCheckoutsPage *self)
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
  GtkWidget *dialog;

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

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Checkouts Not Refreshed"), body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
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

void
np_checkouts_page_refresh (NpCheckoutsPage *self)
{
  g_auto(GStrv) ids = NULL;
  Work *work;

  if (self->workspace == NULL || np_checkouts_page_is_working (self))
    return;

  /* The selection, or (NULL) every checkout whose status may still change. */
  ids = np_checkouts_page_dup_selected_ids (self);
  begin_work (self, _("Refreshing…"));
  work = work_new (self);
  np_workspace_refresh_checkouts_async (self->workspace, (const char * const *) ids,
                                        on_progress, work,
                                        self->work_cancellable,
                                        on_refresh_done, work);
}

void
np_checkouts_page_import (NpCheckoutsPage *self,
                          const char      *text)
{
  Work *work;

  if (self->workspace == NULL || np_checkouts_page_is_working (self))
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

  if (file == NULL || self->model == NULL || np_checkouts_page_is_working (self))
    return;

  begin_work (self, _("Exporting…"));
  gtk_progress_bar_pulse (self->progress_bar);
  work = work_new (self);
  np_workspace_export_checkouts_async (self->workspace,
                                       np_checkout_list_model_get_query (self->model),
                                       file, self->work_cancellable,
                                       on_export_done, work);
}

void
np_checkouts_page_export (NpCheckoutsPage *self)
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
on_checkout_created (NpCheckoutsPage *self,
                     NpCheckout      *checkout)
{
  np_checkouts_page_show_checkout (self, np_checkout_get_id (checkout));
}

void
np_checkouts_page_new_checkout (NpCheckoutsPage *self,
                                const char      *customer_id,
                                const char      *card_id)
{
  NpCheckoutNewDialog *dialog;

  g_return_if_fail (NP_IS_CHECKOUTS_PAGE (self));

  if (self->workspace == NULL)
    return;

  dialog = np_checkout_new_dialog_new (self->workspace);
  np_checkout_new_dialog_set_customer (dialog, customer_id, card_id);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_checkout_created), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
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

  np_checkouts_page_update_state (self);
  np_checkouts_page_select (self, np_checkout_get_id (checkout));
}

void
np_checkouts_page_show_checkout (NpCheckoutsPage *self,
                                 const char      *checkout_id)
{
  g_return_if_fail (NP_IS_CHECKOUTS_PAGE (self));

  if (self->workspace == NULL || checkout_id == NULL)
    return;

  if (np_checkouts_page_select (self, checkout_id))
    return;

  /* Hidden by the search or a filter? Show everything, then try again. */
  np_checkouts_page_clear_filters (self);
  if (np_checkouts_page_select (self, checkout_id))
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
  np_checkouts_page_import (self, text);
}

void
np_checkouts_page_lookup (NpCheckoutsPage *self)
{
  NpCheckoutLookupDialog *dialog;

  if (self->workspace == NULL)
    return;

  dialog = np_checkout_lookup_dialog_new (self->workspace);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  g_signal_connect_object (dialog, "found", G_CALLBACK (on_lookup_found), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "import", G_CALLBACK (on_lookup_import), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
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
  np_checkouts_page_lookup (NP_CHECKOUTS_PAGE (widget));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  np_checkouts_page_refresh (NP_CHECKOUTS_PAGE (widget));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  np_checkouts_page_export (NP_CHECKOUTS_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  np_checkouts_page_cancel_work (NP_CHECKOUTS_PAGE (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (NP_CHECKOUTS_PAGE (widget)->search_entry));
}

void
np_checkouts_page_install_actions (GtkWidgetClass *widget_class)
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
