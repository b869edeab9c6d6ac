/* np-checkout-actions.c — what can be done to the checkout the detail shows.
 *
 * Actions follow the status (no Capture unless reserved with capture off, no
 * Delete unless created) and are off while an operation on the checkout is in
 * flight, so a double click cannot send a second capture or delete. Capture and
 * delete are confirmed here; refunds and metadata have their own dialogs.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-checkout-columns.h"
#include "np-checkout-detail-private.h"
#include "np-feedback.h"
#include "np-checkout-metadata-dialog.h"
#include "np-checkout-refund-dialog.h"
#include "np-link.h"
#include "np-money.h"

void
np_checkout_detail_update_unknown (NpCheckoutDetail *self)
{
  g_autoptr(NpJournalQuery) query = np_journal_query_new ();
  g_autoptr(GPtrArray) entries = NULL;

  np_journal_query_set_object_id (query, self->checkout_id);
  query->needs_attention = TRUE;
  entries = np_ledger_journal_list (self->ledger, np_workspace_get_account_id (self->workspace),
                                    query, 0, 1, NULL);
  gtk_widget_set_visible (self->unknown_box, entries != NULL && entries->len > 0);
}

static const char *
journal_state_label (NpJournalEntry *entry)
{
  switch (np_journal_entry_get_state (entry))
    {
    case NP_JOURNAL_STATE_PENDING:
      return _("Sending…");
    case NP_JOURNAL_STATE_SUCCEEDED:
      return _("Succeeded");
    case NP_JOURNAL_STATE_FAILED:
      return _("Failed");
    case NP_JOURNAL_STATE_UNKNOWN:
    default:
      return np_journal_entry_needs_attention (entry) ? _("Outcome unknown") : _("Outcome unknown, since refreshed");
    }
}

GtkWidget *
np_checkout_detail_create_journal_row (gpointer item,
                    gpointer user_data)
{
  NpJournalEntry *entry = item;
  g_autofree char *started = np_checkout_format_time_with_utc (np_journal_entry_get_started (entry));
  g_autoptr(GString) subtitle = g_string_new (journal_state_label (entry));
  GtkWidget *row;

  g_string_append_printf (subtitle, " · %s", started ? started : "");
  if (np_journal_entry_get_error_text (entry) != NULL)
    g_string_append_printf (subtitle, "\n%s", np_journal_entry_get_error_text (entry));
  if (np_journal_entry_get_settled_status (entry) != NULL)
    g_string_append_printf (subtitle, "\n%s", np_journal_entry_get_settled_status (entry));

  row = np_checkout_detail_new_value_row (np_journal_entry_get_summary (entry), subtitle->str);
  if (np_journal_entry_needs_attention (entry))
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *label = gtk_label_new_with_mnemonic (_("Refresh to _Settle"));

      /* The label as the child that names the button: a mnemonic button's own label
       * is spoken raw and twice by GTK 4.8 ("Refresh to _Settle Refresh to Settle"). */
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), button);
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_add_css_class (button, "text-button");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "checkout.refresh");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_widget_add_css_class (row, "np-unknown-outcome");
    }

  return row;
}

void
np_checkout_detail_update_actions (NpCheckoutDetail *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  NpCheckout *checkout = self->checkout;
  gboolean connected = self->workspace != NULL && np_workspace_get_client (self->workspace) != NULL;
  gboolean idle = connected && self->checkout_id != NULL && !np_workspace_is_busy (self->workspace, self->checkout_id);
  const char *url = checkout ? np_checkout_get_url (checkout) : NULL;

  gtk_widget_action_set_enabled (widget, "checkout.capture", idle && checkout && np_checkout_can_capture (checkout));
  /* Most checkouts are never captured by hand: show the button only when it applies. */
  gtk_widget_set_visible (self->capture_button, checkout && np_checkout_can_capture (checkout));
  gtk_widget_action_set_enabled (widget, "checkout.refund", idle && checkout && np_checkout_can_refund (checkout));
  gtk_widget_action_set_enabled (widget, "checkout.edit-metadata", idle && checkout);
  gtk_widget_action_set_enabled (widget, "checkout.delete", idle && checkout && np_checkout_can_delete (checkout));
  gtk_widget_action_set_enabled (widget, "checkout.refresh", connected && self->checkout_id && !self->refreshing);
  gtk_widget_action_set_enabled (widget, "checkout.copy-curl", connected && self->checkout_id);
  gtk_widget_action_set_enabled (widget, "checkout.copy-id", self->checkout_id != NULL);
  gtk_widget_action_set_enabled (widget, "checkout.copy-link", url != NULL);
  /* Checked where it entered (NpCheckout); checked again before a browser sees it. */
  gtk_widget_action_set_enabled (widget, "checkout.open-link", np_link_is_openable (url));
  gtk_widget_action_set_enabled (widget, "checkout.open-customer",
                                 checkout && np_checkout_get_customer_id (checkout));
}

static char *
format_amount (NpCheckout *checkout,
               gint64      amount)
{
  return np_money_format (amount, np_checkout_get_currency (checkout));
}

/* The detail and the toast to show when the operation succeeds (NULL: none). */
typedef struct {
  NpCheckoutDetail *self;
  char             *done_text;
} Operation;

static void
operation_free (Operation *operation)
{
  g_object_unref (operation->self);
  g_free (operation->done_text);
  g_free (operation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Operation, operation_free)

static void
on_operation_finished (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Operation) operation = user_data;
  NpCheckoutDetail *self = operation->self;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;

  checkout = np_workspace_checkout_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->refreshing = FALSE;
  np_checkout_detail_reload (self);
  if (checkout == NULL)
    np_feedback_toast_error (GTK_WIDGET (self), error);
  else if (operation->done_text != NULL)
    np_feedback_toast (GTK_WIDGET (self), operation->done_text);
}

static gpointer
operation_new (NpCheckoutDetail *self,
               char             *done_text)
{
  Operation *operation = g_new0 (Operation, 1);

  operation->self = g_object_ref (self);
  operation->done_text = done_text;
  return operation;
}

static void
do_capture (GtkWidget *owner)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (owner);
  g_autofree char *amount = NULL;

  if (self->checkout == NULL || !np_checkout_can_capture (self->checkout))
    return;

  amount = format_amount (self->checkout, np_checkout_get_amount (self->checkout));
  np_workspace_capture_checkout_async (self->workspace, np_checkout_get_id (self->checkout), self->cancellable,
                                       on_operation_finished,
                                       operation_new (self, g_strdup_printf (_("Captured %s"), amount)));
  np_checkout_detail_update_actions (self);
}

static void
capture_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);
  g_autofree char *amount = format_amount (self->checkout, np_checkout_get_amount (self->checkout));
  g_autofree char *heading = g_strdup_printf (_("Capture %s?"), amount);
  g_autofree char *live = g_strdup_printf (_("%s will be charged to the customer's card for real."), amount);

  np_feedback_confirm (widget, heading,
                       _("The reserved amount is charged to the customer's card. This cannot be undone."),
                       _("_Capture"), np_workspace_get_live (self->workspace), live, do_capture);
}

static void
do_delete (GtkWidget *owner)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (owner);

  if (self->checkout == NULL || !np_checkout_can_delete (self->checkout))
    return;

  np_workspace_delete_checkout_async (self->workspace, np_checkout_get_id (self->checkout), self->cancellable,
                                      on_operation_finished,
                                      operation_new (self, g_strdup (_("Checkout deleted"))));
  np_checkout_detail_update_actions (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);
  g_autofree char *amount = format_amount (self->checkout, np_checkout_get_amount (self->checkout));
  g_autofree char *body = g_strdup_printf (_("The checkout for %s is deleted and its payment link stops working. "
                                             "The journal keeps its history."), amount);

  np_feedback_confirm (widget, _("Delete Checkout?"), body, _("_Delete"),
                       np_workspace_get_live (self->workspace), body, do_delete);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);

  if (self->checkout_id == NULL || self->refreshing)
    return;

  self->refreshing = TRUE;
  np_workspace_lookup_checkout_async (self->workspace, self->checkout_id, self->cancellable,
                                      on_operation_finished, operation_new (self, NULL));
  np_checkout_detail_update_actions (self);
}

static void
on_dialog_done (NpCheckoutDetail *self,
                NpCheckout       *checkout,
                const char       *text)
{
  np_checkout_detail_reload (self);
  np_feedback_toast (GTK_WIDGET (self), text);
}

static void
on_refunded (NpCheckoutDetail *self,
             NpCheckout       *checkout)
{
  g_autofree char *refunded = format_amount (checkout, np_checkout_get_refunded_amount (checkout));
  g_autofree char *text = g_strdup_printf (_("Refunded, %s in all"), refunded);

  on_dialog_done (self, checkout, text);
}

static void
on_metadata_saved (NpCheckoutDetail *self,
                   NpCheckout       *checkout)
{
  on_dialog_done (self, checkout, _("Metadata saved"));
}

static void
present_dialog (NpCheckoutDetail *self,
                GtkWindow        *dialog)
{
  gtk_window_set_transient_for (dialog, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (dialog);
}

static void
refund_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);
  NpCheckoutRefundDialog *dialog = np_checkout_refund_dialog_new (self->workspace, self->checkout);

  g_signal_connect_object (dialog, "refunded", G_CALLBACK (on_refunded), self, G_CONNECT_SWAPPED);
  present_dialog (self, GTK_WINDOW (dialog));
}

static void
edit_metadata_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);
  NpCheckoutMetadataDialog *dialog = np_checkout_metadata_dialog_new (self->workspace, self->checkout);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_metadata_saved), self, G_CONNECT_SWAPPED);
  present_dialog (self, GTK_WINDOW (dialog));
}

static void
copy_text (NpCheckoutDetail *self,
           const char       *text,
           const char       *toast)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  np_feedback_toast (GTK_WIDGET (self), toast);
}

static void
copy_curl_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *curl = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "checkout_id");
  json_builder_add_string_value (builder, self->checkout_id);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  /* The key is written as $NEURO_PAY_API_KEY, never as itself. */
  curl = np_client_render_curl (np_workspace_get_client (self->workspace), "checkout/retrieve", body);
  copy_text (self, curl, _("cURL command copied (the key is not included)"));
}

static void
copy_id_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);

  copy_text (self, self->checkout_id, _("Checkout id copied"));
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);

  copy_text (self, np_checkout_get_url (self->checkout), _("Payment link copied"));
}

static void
open_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);
  const char *url = np_checkout_get_url (self->checkout);

  /* A link from a server is only ever handed to a web browser. */
  if (!np_link_is_openable (url))
    {
      np_feedback_toast (widget, _("The payment link is not a web address, so it was not opened"));
      return;
    }

  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (widget)), url, GDK_CURRENT_TIME);
}

static void
open_customer_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);

  gtk_widget_activate_action (widget, "win.open-customer", "s", np_checkout_get_customer_id (self->checkout));
}

void
np_checkout_detail_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "checkout.capture", NULL, capture_action);
  gtk_widget_class_install_action (widget_class, "checkout.refund", NULL, refund_action);
  gtk_widget_class_install_action (widget_class, "checkout.edit-metadata", NULL, edit_metadata_action);
  gtk_widget_class_install_action (widget_class, "checkout.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "checkout.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "checkout.copy-curl", NULL, copy_curl_action);
  gtk_widget_class_install_action (widget_class, "checkout.copy-id", NULL, copy_id_action);
  gtk_widget_class_install_action (widget_class, "checkout.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "checkout.open-link", NULL, open_link_action);
  gtk_widget_class_install_action (widget_class, "checkout.open-customer", NULL, open_customer_action);
}
