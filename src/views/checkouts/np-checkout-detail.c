/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-detail.c — everything about one checkout, laid out for reading, and
 * what can be done to it.
 *
 * The detail shows the ledger's copy (what the server last said) and follows
 * NpLedger::changed, so a refresh, a refund or another window's change appears
 * without asking.
 *
 * Actions follow the status (no Capture unless reserved with capture off, no
 * Delete unless created) and are off while an operation on the checkout is in
 * flight, so a double click cannot send a second capture or delete. Capture and
 * delete are confirmed here; refunds and metadata have their own dialogs.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-bin-page.h"
#include "np-checkout-columns.h"
#include "np-checkout-detail.h"
#include "np-customer-display.h"
#include "np-checkout-metadata-dialog.h"
#include "np-checkout-refund-dialog.h"
#include "np-feedback.h"
#include "np-journal-words.h"
#include "np-journal-list-model.h"
#include "np-link.h"
#include "np-money.h"
#include "np-qr-code.h"
#include "np-status-badge.h"
#include "np-team-sync.h"

struct _NpCheckoutDetail
{
  AdwBin              parent_instance;

  NpWorkspace        *workspace;
  NpLedger           *ledger;          /* followed for changes of the shown checkout */
  GSignalGroup       *workspace_signals;
  GSignalGroup       *ledger_signals;
  char               *checkout_id;
  NpCheckout         *checkout;        /* NULL before it was retrieved */
  NpJournalListModel *journal;
  GCancellable       *cancellable;
  guint               reload_source;
  gboolean            refreshing;

  GtkStack           *stack;
  AdwStatusPage      *not_retrieved_status;
  GtkLabel           *amount_label;
  NpStatusBadge      *status_badge;
  GtkLabel           *refunded_label;
  GtkWidget          *watch_box;
  GtkLabel           *watch_label;
  GSignalGroup       *watcher_signals;
  guint               watch_tick;
  GtkWidget          *capture_button;
  GtkWidget          *unknown_box;
  GtkWidget          *approval_box;
  GtkLabel           *approval_label;
  GtkEntry           *approval_comment;
  GtkWidget          *approve_button;
  GtkWidget          *reject_button;
  GtkWidget          *withdraw_button;
  JsonObject         *request;         /* the open refund request shown, if any */
  AdwPreferencesGroup *link_group;
  AdwActionRow       *link_row;
  AdwActionRow       *refused_link_row;
  NpQrCode           *qr_code;
  AdwActionRow       *identifier_row;
  AdwActionRow       *id_row;
  AdwActionRow       *message_row;
  AdwActionRow       *customer_row;
  AdwActionRow       *capture_row;
  AdwActionRow       *save_card_row;
  AdwActionRow       *return_url_row;
  AdwActionRow       *cancel_url_row;
  AdwActionRow       *template_row;
  AdwActionRow       *created_row;
  AdwActionRow       *updated_row;
  AdwPreferencesGroup *refunds_group;
  GtkListBox         *refunds_list;
  AdwPreferencesGroup *metadata_group;
  GtkListBox         *metadata_list;
  GtkListBox         *journal_list;
  GtkTextView        *json_view;
};

G_DEFINE_FINAL_TYPE (NpCheckoutDetail, np_checkout_detail, ADW_TYPE_BIN)

static void refresh_request (NpCheckoutDetail *self);

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_CHECKOUT_ID,
  PROP_CHECKOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_actions (NpCheckoutDetail *self);
static void update_watch (NpCheckoutDetail *self);

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  adw_action_row_set_subtitle (row, value != NULL && *value != '\0' ? value : "—");
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
new_value_row (const char *title,
               const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Titles and subtitles come from the server (metadata, refund details): never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  gtk_widget_add_css_class (row, "property");
  return row;
}

/* The reason as the refund dialog names it; a reason this version does not know
 * is shown as the server sent it. */
static const char *
refund_reason_label (const char *reason)
{
  if (g_strcmp0 (reason, "duplicate") == 0)
    return _("Duplicate");
  if (g_strcmp0 (reason, "fraudulent") == 0)
    return _("Fraudulent");
  if (g_strcmp0 (reason, "requested_by_customer") == 0)
    return _("Requested by the customer");
  return reason;
}

static void
show_refunds (NpCheckoutDetail *self)
{
  GPtrArray *refunds = np_checkout_get_refunds (self->checkout);
  const char *currency = np_checkout_get_currency (self->checkout);
  g_autofree char *remaining = np_money_format (np_checkout_get_refundable_amount (self->checkout), currency);
  g_autofree char *description = g_strdup_printf (_("Remaining refundable: %s"), remaining);
  /* A group's description is markup, and the currency is the server's. */
  g_autofree char *escaped = g_markup_escape_text (description, -1);

  clear_list (self->refunds_list);
  adw_preferences_group_set_description (self->refunds_group, escaped);
  gtk_widget_set_visible (GTK_WIDGET (self->refunds_list), refunds->len > 0);

  for (guint i = 0; i < refunds->len; i++)
    {
      NpRefund *refund = g_ptr_array_index (refunds, i);
      g_autofree char *amount = np_money_format (refund->amount, currency);
      g_autoptr(GDateTime) when = np_parse_api_time (refund->created);
      g_autofree char *time = np_checkout_format_local_time (when);
      g_autoptr(GString) subtitle = g_string_new (NULL);

      if (refund->reason != NULL)
        g_string_append (subtitle, refund_reason_label (refund->reason));
      if (refund->details != NULL)
        g_string_append_printf (subtitle, "%s%s", subtitle->len ? " — " : "", refund->details);
      if (time != NULL)
        g_string_append_printf (subtitle, "%s%s", subtitle->len ? "\n" : "", time);

      gtk_list_box_append (self->refunds_list, new_value_row (amount, subtitle->str));
    }
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
show_metadata (NpCheckoutDetail *self)
{
  GHashTable *metadata = np_checkout_get_metadata (self->checkout);
  g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (metadata, NULL);
  guint n = g_hash_table_size (metadata);

  clear_list (self->metadata_list);
  adw_preferences_group_set_description (self->metadata_group, n == 0 ? _("No metadata") : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->metadata_list), n > 0);

  /* Sorted, so the same metadata always reads the same way. */
  g_qsort_with_data (keys, n, sizeof (char *), compare_keys, NULL);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->metadata_list, new_value_row (keys[i], g_hash_table_lookup (metadata, keys[i])));
}

static void
show_checkout (NpCheckoutDetail *self)
{
  NpCheckout *checkout = self->checkout;
  const char *currency = np_checkout_get_currency (checkout);
  const char *url = np_checkout_get_url (checkout);
  g_autofree char *amount = np_money_format (np_checkout_get_amount (checkout), currency);
  g_autofree char *created = np_checkout_format_time_with_utc (np_checkout_get_created (checkout));
  g_autofree char *updated = np_checkout_format_time_with_utc (np_checkout_get_updated (checkout));
  g_autofree char *json = np_checkout_to_json (checkout, TRUE);
  const char *status = np_checkout_get_status_text (checkout);

  gtk_label_set_text (self->amount_label, amount);
  np_status_badge_set_status (self->status_badge, status ? status : "");

  if (np_checkout_get_refunded_amount (checkout) > 0)
    {
      g_autofree char *refunded = np_money_format (np_checkout_get_refunded_amount (checkout), currency);
      g_autofree char *text = g_strdup_printf (_("%s refunded"), refunded);

      gtk_label_set_text (self->refunded_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->refunded_label), TRUE);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->refunded_label), FALSE);
    }

  /* A link np_link_is_openable () refused never reaches here: it is not shown as a
   * link, a QR code or a button, only said to exist (and kept in the raw JSON). */
  gtk_widget_set_visible (GTK_WIDGET (self->link_group), url != NULL || np_checkout_get_url_refused (checkout));
  gtk_widget_set_visible (GTK_WIDGET (self->link_row), url != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->qr_code), url != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->refused_link_row), np_checkout_get_url_refused (checkout));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->link_row), url ? url : "");
  np_qr_code_set_text (self->qr_code, url);

  set_row (self->identifier_row, np_checkout_get_identifier (checkout));
  set_row (self->id_row, np_checkout_get_id (checkout));
  set_row (self->message_row, np_checkout_get_message (checkout));
  set_row (self->customer_row, np_checkout_get_customer_id (checkout));
  gtk_widget_set_sensitive (GTK_WIDGET (self->customer_row), np_checkout_get_customer_id (checkout) != NULL);
  set_row (self->capture_row, np_checkout_get_capture (checkout)
           ? _("Automatic: paid at once")
           : _("Manual: reserved until captured"));
  if (np_checkout_get_card_id (checkout) != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Paid with saved card %s"), np_checkout_get_card_id (checkout));
      set_row (self->save_card_row, text);
    }
  else
    {
      set_row (self->save_card_row, np_checkout_get_allow_save_card (checkout)
               ? _("The customer may save the card")
               : _("Saving the card is not offered"));
    }
  set_row (self->return_url_row, np_checkout_get_return_url (checkout));
  set_row (self->cancel_url_row, np_checkout_get_return_url_cancel (checkout));
  set_row (self->template_row, np_checkout_get_template (checkout));
  set_row (self->created_row, created);
  set_row (self->updated_row, updated);

  show_refunds (self);
  show_metadata (self);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->json_view), json ? json : "", -1);
}

static void
update_unknown (NpCheckoutDetail *self)
{
  g_autoptr(NpJournalQuery) query = np_journal_query_new ();
  g_autoptr(GPtrArray) entries = NULL;

  np_journal_query_set_object_id (query, self->checkout_id);
  query->needs_attention = TRUE;
  entries = np_ledger_journal_list (self->ledger, np_workspace_get_account_id (self->workspace),
                                    query, 0, 1, NULL);
  gtk_widget_set_visible (self->unknown_box, entries != NULL && entries->len > 0);
}

static GtkWidget *
create_journal_row (gpointer item,
                    gpointer user_data)
{
  NpJournalEntry *entry = item;
  g_autofree char *started = np_checkout_format_time_with_utc (np_journal_entry_get_started (entry));
  g_autoptr(GString) subtitle = g_string_new (np_journal_state_label (entry));
  GtkWidget *row;

  g_string_append_printf (subtitle, " · %s", started ? started : "");
  if (np_journal_entry_get_error_text (entry) != NULL)
    g_string_append_printf (subtitle, "\n%s", np_journal_entry_get_error_text (entry));
  if (np_journal_entry_get_settled_status (entry) != NULL)
    g_string_append_printf (subtitle, "\n%s", np_journal_entry_get_settled_status (entry));

  row = new_value_row (np_journal_entry_get_summary (entry), subtitle->str);
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

static void
reload (NpCheckoutDetail *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckoutRow) row = NULL;
  gint64 account_id;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_object (&self->checkout);

  if (self->workspace == NULL || self->checkout_id == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKOUT]);
      return;
    }

  account_id = np_workspace_get_account_id (self->workspace);
  self->checkout = np_ledger_get_checkout (self->ledger, account_id, self->checkout_id, &error);
  if (self->checkout == NULL)
    {
      const char *refresh_error = NULL;
      g_autofree char *escaped = NULL;

      row = np_ledger_get_checkout_row (self->ledger, account_id, self->checkout_id, NULL);
      if (row != NULL)
        refresh_error = np_checkout_row_get_refresh_error (row);
      /* AdwStatusPage reads its description as markup; the error is the server's text. */
      escaped = g_markup_escape_text (refresh_error ? refresh_error
                                                    : _("This id was imported; refresh to retrieve the checkout."), -1);
      adw_status_page_set_description (self->not_retrieved_status, escaped);
      gtk_stack_set_visible_child_name (self->stack, "not-retrieved");
    }
  else
    {
      show_checkout (self);
      update_unknown (self);
      refresh_request (self);
      gtk_stack_set_visible_child_name (self->stack, "checkout");
    }

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKOUT]);
}

static gboolean
reload_idle (gpointer user_data)
{
  NpCheckoutDetail *self = user_data;

  self->reload_source = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_ledger_changed (NpCheckoutDetail *self,
                   NpLedgerTable     table,
                   gint64            account_id,
                   gint64            row_id)
{
  if (self->checkout_id == NULL || account_id != np_workspace_get_account_id (self->workspace))
    return;
  if (table != NP_LEDGER_TABLE_CHECKOUTS && table != NP_LEDGER_TABLE_JOURNAL)
    return;

  /* Several changes in one turn of the loop show once. */
  if (self->reload_source == 0)
    self->reload_source = g_idle_add (reload_idle, self);
}

/* The once-a-second tick belongs to the label it rewrites: it is not work the
 * detail has queued (tests wait for the detail's own idles to run out). */
static gboolean
watch_tick_cb (gpointer user_data)
{
  GtkWidget *detail = gtk_widget_get_ancestor (user_data, NP_TYPE_CHECKOUT_DETAIL);

  if (detail != NULL)
    update_watch (NP_CHECKOUT_DETAIL (detail));
  return G_SOURCE_CONTINUE;
}

/* "Waiting for payment · checked 3 s ago" while the watcher has the checkout. */
static void
update_watch (NpCheckoutDetail *self)
{
  NpCheckoutWatcher *watcher = self->workspace != NULL ? np_workspace_get_watcher (self->workspace) : NULL;
  gboolean watching = watcher != NULL && np_checkout_watcher_is_watching (watcher, self->checkout_id);

  gtk_widget_set_visible (self->watch_box, watching);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkout.stop-watching", watching);
  if (watching)
    {
      gint64 checked = np_checkout_watcher_get_last_checked (watcher, self->checkout_id);
      g_autofree char *text = NULL;

      if (checked == 0)
        text = g_strdup (_("Waiting for payment"));
      else
        {
          guint seconds = (guint) ((g_get_monotonic_time () - checked) / G_USEC_PER_SEC);

          /* Translators: "Waiting for payment · checked 3 s ago". */
          text = g_strdup_printf (_("Waiting for payment · checked %u s ago"), seconds);
        }
      if (g_strcmp0 (gtk_label_get_text (self->watch_label), text) != 0)
        gtk_label_set_text (self->watch_label, text);
      if (self->watch_tick == 0)
        self->watch_tick = g_timeout_add_seconds (1, watch_tick_cb, self->watch_label);
    }
  else
    g_clear_handle_id (&self->watch_tick, g_source_remove);
}

static void
on_watch_changed (NpCheckoutDetail *self,
                  const char       *checkout_id)
{
  if (g_strcmp0 (checkout_id, self->checkout_id) == 0)
    update_watch (self);
}

static void
stop_watching_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);

  if (self->workspace != NULL && self->checkout_id != NULL)
    np_checkout_watcher_stop (np_workspace_get_watcher (self->workspace), self->checkout_id);
}

/* checkout.show-to-customer: the full-screen view for the customer's eyes. */
static void
show_to_customer_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);

  if (self->workspace == NULL || self->checkout_id == NULL)
    return;
  np_customer_display_present (self->workspace, self->checkout_id, widget);
  update_watch (self);
}

static void
update_actions (NpCheckoutDetail *self)
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
  gtk_widget_action_set_enabled (widget, "checkout.show-to-customer",
                                 checkout != NULL && url != NULL &&
                                 np_checkout_get_status (checkout) == NP_CHECKOUT_STATUS_CREATED);
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
  reload (self);
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
  update_actions (self);
}

static void
capture_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);
  g_autofree char *amount = format_amount (self->checkout, np_checkout_get_amount (self->checkout));
  g_autofree char *what = g_strdup_printf (_("Capture %s"), amount);

  np_feedback_confirm (widget, what,
                       _("The reserved amount is charged to the customer's card. This cannot be undone."),
                       _("_Capture"), np_workspace_get_live (self->workspace), do_capture, NULL);
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
  update_actions (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);
  g_autofree char *amount = format_amount (self->checkout, np_checkout_get_amount (self->checkout));
  g_autofree char *what = g_strdup_printf (_("Delete the checkout for %s"), amount);

  np_feedback_confirm (widget, what,
                       _("Its payment link stops working. The journal keeps its history."),
                       _("_Delete"), np_workspace_get_live (self->workspace), do_delete, NULL);
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
  update_actions (self);
}

static void
on_dialog_done (NpCheckoutDetail *self,
                NpCheckout       *checkout,
                const char       *text)
{
  reload (self);
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
refund_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);
  NpCheckoutRefundDialog *dialog = np_checkout_refund_dialog_new (self->workspace, self->checkout);

  g_signal_connect_object (dialog, "refunded", G_CALLBACK (on_refunded), self, G_CONNECT_SWAPPED);
  np_feedback_present_dialog (GTK_WIDGET (self), GTK_WINDOW (dialog));
}

static void
edit_metadata_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);
  NpCheckoutMetadataDialog *dialog = np_checkout_metadata_dialog_new (self->workspace, self->checkout);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_metadata_saved), self, G_CONNECT_SWAPPED);
  np_feedback_present_dialog (GTK_WIDGET (self), GTK_WINDOW (dialog));
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

/* Waiting for approval (team mode) ------------------------------------------------- */

static void
show_request (NpCheckoutDetail *self,
              JsonObject       *request)
{
  NpTeamSync *sync = np_workspace_get_team_sync (self->workspace);
  g_autofree char *desk = NULL;
  g_autofree char *money = NULL;
  g_autofree char *text = NULL;
  gboolean own;

  g_clear_pointer (&self->request, json_object_unref);
  gtk_widget_set_visible (self->approval_box, request != NULL);
  if (request == NULL)
    return;
  self->request = json_object_ref (request);
  g_object_get (sync, "desk-name", &desk, NULL);
  /* The database decides who may approve; the buttons only offer what it would allow. */
  own = g_strcmp0 (json_object_get_string_member_with_default (request, "desk", NULL), desk) == 0 &&
        g_strcmp0 (json_object_get_string_member_with_default (request, "os_user", NULL), g_get_user_name ()) == 0;
  money = np_money_format (json_object_get_int_member_with_default (request, "amount", 0),
                           json_object_get_string_member_with_default (request, "currency", ""));
  /* Translators: "Refund 1,500.00 SEK, asked by FINANCE-1 (anna): duplicate". */
  text = g_strdup_printf (_("Refund %s, asked by %s (%s): %s"), money,
                          json_object_get_string_member_with_default (request, "desk", ""),
                          json_object_get_string_member_with_default (request, "os_user", ""),
                          json_object_get_string_member_with_default (request, "reason", NULL) ?: _("no reason given"));
  gtk_label_set_text (self->approval_label, text);
  gtk_widget_set_visible (self->approve_button, !own);
  gtk_widget_set_visible (self->reject_button, !own);
  gtk_widget_set_visible (self->withdraw_button, own);
}

static void
on_requests_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(NpCheckoutDetail) self = user_data;
  g_autoptr(JsonArray) requests = np_team_sync_list_refund_requests_finish (NP_TEAM_SYNC (source), result, NULL);
  JsonObject *found = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  for (guint i = 0; requests != NULL && i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);

      if (request != NULL && g_strcmp0 (json_object_get_string_member_with_default (request, "object_id", NULL),
                                        self->checkout_id) == 0)
        found = request;   /* the oldest: listed newest first */
    }
  show_request (self, found);
}

static void
refresh_request (NpCheckoutDetail *self)
{
  NpTeamSync *sync = self->workspace != NULL ? np_workspace_get_team_sync (self->workspace) : NULL;

  if (sync == NULL || self->checkout_id == NULL || np_team_sync_get_state (sync) != NP_TEAM_STATE_ONLINE)
    {
      show_request (self, NULL);
      return;
    }
  np_team_sync_list_refund_requests_async (sync, np_workspace_get_account_id (self->workspace), TRUE,
                                           self->cancellable, on_requests_listed, g_object_ref (self));
}

static void
on_decided (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(NpCheckoutDetail) self = user_data;
  g_autoptr(GError) error = NULL;

  if (np_team_sync_decide_request_finish (NP_TEAM_SYNC (source), result, &error) == 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        np_feedback_toast_error (GTK_WIDGET (self), error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->approval_comment), "");
  refresh_request (self);
}

static void
decide (NpCheckoutDetail *self,
        NpTeamDecision    decision)
{
  if (self->request == NULL)
    return;
  np_team_sync_decide_request_async (np_workspace_get_team_sync (self->workspace),
                                     json_object_get_int_member (self->request, "id"), decision,
                                     gtk_editable_get_text (GTK_EDITABLE (self->approval_comment)),
                                     self->cancellable, on_decided, g_object_ref (self));
}

static void
reject_request_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  decide (NP_CHECKOUT_DETAIL (widget), NP_TEAM_DECISION_REJECT);
}

static void
withdraw_request_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  decide (NP_CHECKOUT_DETAIL (widget), NP_TEAM_DECISION_WITHDRAW);
}

static void
on_approved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  on_operation_finished (source, result, user_data);
}

/* Sends the request's refund from this desk: the same journalled path as any refund. */
static void
approve_request_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (widget);
  JsonObject *request = self->request;

  if (request == NULL)
    return;
  np_workspace_approve_refund_async (self->workspace, json_object_get_int_member (request, "id"),
                                     gtk_editable_get_text (GTK_EDITABLE (self->approval_comment)),
                                     self->checkout_id, json_object_get_int_member (request, "amount"),
                                     json_object_get_string_member_with_default (request, "reason", NULL), NULL,
                                     self->cancellable, on_approved,
                                     operation_new (self, g_strdup (_("Approved: the refund was sent from this desk."))));
  show_request (self, NULL);
}

/* The request shown, as its label reads (NULL: none), for tests. */
const char *
np_checkout_detail_get_request_text (NpCheckoutDetail *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_DETAIL (self), NULL);

  return gtk_widget_get_visible (self->approval_box) ? gtk_label_get_text (self->approval_label) : NULL;
}

static void
install_actions (GtkWidgetClass *widget_class)
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
  gtk_widget_class_install_action (widget_class, "checkout.approve-request", NULL, approve_request_action);
  gtk_widget_class_install_action (widget_class, "checkout.reject-request", NULL, reject_request_action);
  gtk_widget_class_install_action (widget_class, "checkout.withdraw-request", NULL, withdraw_request_action);
  gtk_widget_class_install_action (widget_class, "checkout.stop-watching", NULL, stop_watching_action);
  gtk_widget_class_install_action (widget_class, "checkout.show-to-customer", NULL, show_to_customer_action);
}

NpWorkspace *
np_checkout_detail_get_workspace (NpCheckoutDetail *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_DETAIL (self), NULL);

  return self->workspace;
}

void
np_checkout_detail_set_workspace (NpCheckoutDetail *self,
                                  NpWorkspace      *workspace)
{
  g_return_if_fail (NP_IS_CHECKOUT_DETAIL (self));
  g_return_if_fail (!workspace || NP_IS_WORKSPACE (workspace));

  if (self->workspace == workspace)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->request, json_object_unref);
  self->cancellable = g_cancellable_new ();
  self->refreshing = FALSE;

  gtk_list_box_bind_model (self->journal_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->journal);
  g_clear_object (&self->ledger);
  g_set_object (&self->workspace, workspace);
  g_clear_pointer (&self->checkout_id, g_free);

  if (workspace != NULL)
    self->ledger = g_object_ref (np_workspace_get_ledger (workspace));
  g_signal_group_set_target (self->workspace_signals, workspace);
  g_signal_group_set_target (self->ledger_signals, self->ledger);
  g_signal_group_set_target (self->watcher_signals, workspace != NULL ? np_workspace_get_watcher (workspace) : NULL);

  reload (self);
  update_watch (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
}

const char *
np_checkout_detail_get_checkout_id (NpCheckoutDetail *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_DETAIL (self), NULL);

  return self->checkout_id;
}

void
np_checkout_detail_set_checkout_id (NpCheckoutDetail *self,
                                    const char       *checkout_id)
{
  g_autoptr(NpJournalQuery) query = NULL;
  gint64 account_id;

  g_return_if_fail (NP_IS_CHECKOUT_DETAIL (self));

  if (g_strcmp0 (self->checkout_id, checkout_id) == 0)
    return;

  g_free (self->checkout_id);
  self->checkout_id = g_strdup (checkout_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKOUT_ID]);
  if (self->workspace == NULL)
    return;

  account_id = np_workspace_get_account_id (self->workspace);
  if (checkout_id != NULL)
    {
      query = np_journal_query_new ();
      np_journal_query_set_object_id (query, checkout_id);
    }

  if (checkout_id == NULL || account_id == 0)
    {
      gtk_list_box_bind_model (self->journal_list, NULL, NULL, NULL, NULL);
      g_clear_object (&self->journal);
    }
  else if (self->journal == NULL)
    {
      self->journal = np_journal_list_model_new (self->ledger, account_id, query);
      gtk_list_box_bind_model (self->journal_list, G_LIST_MODEL (self->journal),
                               create_journal_row, NULL, NULL);
    }
  else
    {
      np_ledger_list_model_set_account_id (NP_LEDGER_LIST_MODEL (self->journal), account_id);
      np_journal_list_model_set_query (self->journal, query);
    }

  reload (self);
  /* Shown and waiting for the payer: watched until paid (or the limit). */
  if (self->checkout != NULL && np_checkout_get_status (self->checkout) == NP_CHECKOUT_STATUS_CREATED)
    np_checkout_watcher_watch (np_workspace_get_watcher (self->workspace), self->checkout_id);
  update_watch (self);
}

NpCheckout *
np_checkout_detail_get_checkout (NpCheckoutDetail *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_DETAIL (self), NULL);

  return self->checkout;
}

static void
np_checkout_detail_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;

    case PROP_CHECKOUT_ID:
      g_value_set_string (value, self->checkout_id);
      break;

    case PROP_CHECKOUT:
      g_value_set_object (value, self->checkout);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_checkout_detail_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      np_checkout_detail_set_workspace (self, g_value_get_object (value));
      break;

    case PROP_CHECKOUT_ID:
      np_checkout_detail_set_checkout_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_checkout_detail_dispose (GObject *object)
{
  NpCheckoutDetail *self = NP_CHECKOUT_DETAIL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_handle_id (&self->watch_tick, g_source_remove);
  g_clear_object (&self->watcher_signals);
  g_clear_object (&self->workspace_signals);
  g_clear_object (&self->ledger_signals);
  if (self->journal_list != NULL)
    gtk_list_box_bind_model (self->journal_list, NULL, NULL, NULL, NULL);

  np_bin_page_dispose_template (ADW_BIN (object), NP_TYPE_CHECKOUT_DETAIL);

  g_clear_object (&self->journal);
  g_clear_object (&self->checkout);
  g_clear_object (&self->ledger);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->checkout_id, g_free);

  G_OBJECT_CLASS (np_checkout_detail_parent_class)->dispose (object);
}

static void
np_checkout_detail_class_init (NpCheckoutDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_checkout_detail_dispose;
  object_class->get_property = np_checkout_detail_get_property;
  object_class->set_property = np_checkout_detail_set_property;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, NP_TYPE_WORKSPACE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CHECKOUT_ID] =
    g_param_spec_string ("checkout-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CHECKOUT] =
    g_param_spec_object ("checkout", NULL, NULL, NP_TYPE_CHECKOUT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NP_TYPE_STATUS_BADGE);
  g_type_ensure (NP_TYPE_QR_CODE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/checkouts/np-checkout-detail.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, NpCheckoutDetail, name)
  BIND (stack);
  BIND (not_retrieved_status);
  BIND (amount_label);
  BIND (status_badge);
  BIND (refunded_label);
  BIND (watch_box);
  BIND (watch_label);
  BIND (capture_button);
  BIND (unknown_box);
  BIND (approval_box);
  BIND (approval_label);
  BIND (approval_comment);
  BIND (approve_button);
  BIND (reject_button);
  BIND (withdraw_button);
  BIND (link_group);
  BIND (link_row);
  BIND (refused_link_row);
  BIND (qr_code);
  BIND (identifier_row);
  BIND (id_row);
  BIND (message_row);
  BIND (customer_row);
  BIND (capture_row);
  BIND (save_card_row);
  BIND (return_url_row);
  BIND (cancel_url_row);
  BIND (template_row);
  BIND (created_row);
  BIND (updated_row);
  BIND (refunds_group);
  BIND (refunds_list);
  BIND (metadata_group);
  BIND (metadata_list);
  BIND (journal_list);
  BIND (json_view);
#undef BIND

  install_actions (widget_class);
}

static void
np_checkout_detail_init (NpCheckoutDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  /* What the detail follows, connected once; set_workspace () only moves the targets. */
  self->workspace_signals = g_signal_group_new (NP_TYPE_WORKSPACE);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::client", G_CALLBACK (update_actions), self);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::live", G_CALLBACK (update_actions), self);
  self->ledger_signals = g_signal_group_new (NP_TYPE_LEDGER);
  g_signal_group_connect_swapped (self->ledger_signals, "changed", G_CALLBACK (on_ledger_changed), self);
  self->watcher_signals = g_signal_group_new (NP_TYPE_CHECKOUT_WATCHER);
  g_signal_group_connect_swapped (self->watcher_signals, "watch-changed", G_CALLBACK (on_watch_changed), self);
  reload (self);
  update_watch (self);
}
