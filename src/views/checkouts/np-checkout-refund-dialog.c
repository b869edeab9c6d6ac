/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-refund-dialog.c — refund a checkout, fully or in part.
 *
 * The amount is typed in major units of the checkout's currency and may not exceed
 * what remains refundable. Refund is confirmed with the amount spelled out (twice
 * on a live account), then disabled until the answer comes: pressing Enter twice
 * sends one refund. A dropped answer is explained rather than retried. Once
 * sent, the refund is the workspace's: closing the dialog does not stop it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-feedback.h"
#include "np-checkout-refund-dialog.h"
#include "np-money.h"
#include "np-team-sync.h"
#include "np-workspace.h"

struct _NpCheckoutRefundDialog
{
  AdwWindow       parent_instance;

  NpWorkspace    *workspace;
  NpCheckout     *checkout;
  GCancellable   *cancellable;
  gboolean        confirming;
  gboolean        in_flight;
  gboolean        finished;     /* sent, with an unknown outcome: never again from here */

  GtkLabel       *summary_label;
  GtkLabel       *limit_label;
  GtkToggleButton *full_button;
  AdwEntryRow    *amount_row;
  GtkDropDown    *reason_dropdown;
  AdwEntryRow    *details_row;
  GtkSpinner     *spinner;
  GtkLabel       *message_label;
  GtkButton      *refund_button;
  GtkLabel       *refund_label;
  GtkButton      *cancel_button;
  GtkLabel       *cancel_label;
};

G_DEFINE_FINAL_TYPE (NpCheckoutRefundDialog, np_checkout_refund_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_REFUNDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The reason row's entries after "Not given", as the API spells them. */
static const char * const reasons[] = { "requested_by_customer", "duplicate", "fraudulent" };

static void
set_message (NpCheckoutRefundDialog *self,
             const char             *text,
             gboolean                is_error)
{
  np_feedback_form_message (self->message_label, is_error ? NP_FORM_ERROR : NP_FORM_WORKING, text);
}

/* What is wrong with the free-text details, or NULL: no length is documented, so
 * text pasted by mistake and control characters are refused here, not sent. */
static const char *
details_problem (NpCheckoutRefundDialog *self)
{
  const char *details = gtk_editable_get_text (GTK_EDITABLE (self->details_row));

  if (g_utf8_strlen (details, -1) > 2000)
    return _("Too long: at most 2000 characters.");
  for (const char *p = details; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return _("The details cannot contain control characters.");
  return NULL;
}

/* The amount to refund in minor units, or FALSE with a reason in @error_text. */
static gboolean
read_amount (NpCheckoutRefundDialog  *self,
             gint64                  *out_amount,
             char                   **error_text)
{
  const char *currency = np_checkout_get_currency (self->checkout);
  gint64 refundable = np_checkout_get_refundable_amount (self->checkout);
  g_autoptr(GError) error = NULL;
  gint64 amount;

  if (details_problem (self) != NULL)
    {
      *error_text = g_strdup (details_problem (self));
      return FALSE;
    }

  if (gtk_toggle_button_get_active (self->full_button))
    {
      *out_amount = refundable;
      return refundable > 0;
    }

  if (!np_money_parse (gtk_editable_get_text (GTK_EDITABLE (self->amount_row)), currency, &amount, &error))
    {
      *error_text = g_strdup (error->message);
      return FALSE;
    }
  if (amount <= 0)
    {
      *error_text = g_strdup (_("The amount must be more than zero."));
      return FALSE;
    }
  if (amount > refundable)
    {
      g_autofree char *max = np_money_format (refundable, currency);
      *error_text = g_strdup_printf (_("At most %s can be refunded."), max);
      return FALSE;
    }

  *out_amount = amount;
  return TRUE;
}

static void
update_form (NpCheckoutRefundDialog *self)
{
  g_autofree char *error_text = NULL;
  gint64 amount = 0;
  gboolean valid = read_amount (self, &amount, &error_text);
  gboolean partial = !gtk_toggle_button_get_active (self->full_button);
  gboolean idle = !self->in_flight && !self->finished;

  gtk_widget_set_sensitive (GTK_WIDGET (self->amount_row), partial && idle);
  if (details_problem (self) != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->details_row), "error");
      set_message (self, error_text, TRUE);
    }
  else if (partial && !valid && *gtk_editable_get_text (GTK_EDITABLE (self->amount_row)) != '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->amount_row), "error");
      set_message (self, error_text, TRUE);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->amount_row), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->details_row), "error");
      if (idle)
        set_message (self, NULL, FALSE);
    }

  if (valid)
    {
      g_autofree char *text = np_money_format (amount, np_checkout_get_currency (self->checkout));
      g_autofree char *label = g_strdup_printf (_("_Refund %s…"), text);
      gtk_label_set_label (self->refund_label, label);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "refund.submit", valid && idle && !self->confirming);
}

static void
on_form_changed (NpCheckoutRefundDialog *self)
{
  update_form (self);
}

static void
on_refund_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NpCheckoutRefundDialog) self = user_data;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  checkout = np_workspace_checkout_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->in_flight = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);

  if (checkout != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_REFUNDED], 0, checkout);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REQUIRED))
    {
      /* Above the team's limit: a request waits for a second person, nothing was sent. */
      self->finished = TRUE;
      gtk_label_set_label (self->cancel_label, _("_Close"));
      np_feedback_form_message (self->message_label, NP_FORM_DONE, error->message);
      update_form (self);
      return;
    }

  if (g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_OUTCOME_UNKNOWN))
    {
      /* Sending again could refund twice: only a refresh can tell what happened. */
      self->finished = TRUE;
      gtk_label_set_label (self->cancel_label, _("_Close"));
      set_message (self, _("The refund was sent, but no answer came back, so it may or may not have been made. "
                           "It will not be sent again. Refresh the checkout to see whether it was refunded."), TRUE);
      update_form (self);
      return;
    }

  text = np_workspace_describe_error (error);
  gtk_label_set_label (self->cancel_label, _("_Cancel"));
  if (g_strcmp0 (np_client_error_get_field (error), "amount") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->amount_row), "error");
  update_form (self);
  set_message (self, text, TRUE);
}

static void
do_refund (GtkWidget *owner)
{
  NpCheckoutRefundDialog *self = NP_CHECKOUT_REFUND_DIALOG (owner);
  g_autofree char *error_text = NULL;
  guint reason = gtk_drop_down_get_selected (self->reason_dropdown);
  const char *details = gtk_editable_get_text (GTK_EDITABLE (self->details_row));
  gint64 amount;

  self->confirming = FALSE;
  if (self->in_flight || self->finished || !read_amount (self, &amount, &error_text))
    {
      update_form (self);
      return;
    }

  self->in_flight = TRUE;
  update_form (self);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  /* Sent, it cannot be called back: closing only stops this window listening. */
  set_message (self, _("Refunding… Closing this window does not stop the refund."), FALSE);
  gtk_label_set_label (self->cancel_label, _("_Close"));

  np_workspace_refund_checkout_async (self->workspace, np_checkout_get_id (self->checkout),
                                      gtk_toggle_button_get_active (self->full_button) ? -1 : amount,
                                      reason > 0 && reason <= G_N_ELEMENTS (reasons) ? reasons[reason - 1] : NULL,
                                      *details != '\0' ? details : NULL,
                                      self->cancellable, on_refund_done, g_object_ref (self));
}

static void
on_confirm_cancelled (GtkWidget *owner)
{
  NpCheckoutRefundDialog *self = NP_CHECKOUT_REFUND_DIALOG (owner);

  self->confirming = FALSE;
  update_form (self);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpCheckoutRefundDialog *self = NP_CHECKOUT_REFUND_DIALOG (widget);
  g_autofree char *error_text = NULL;
  g_autofree char *text = NULL;
  g_autofree char *what = NULL;
  gint64 amount;

  if (self->confirming || self->in_flight || self->finished || !read_amount (self, &amount, &error_text))
    return;

  text = np_money_format (amount, np_checkout_get_currency (self->checkout));
  what = g_strdup_printf (_("Refund %s"), text);

  self->confirming = TRUE;
  update_form (self);
  np_feedback_confirm (widget, what, _("The money goes back to the customer's card. This cannot be undone."),
                       _("_Refund"), np_workspace_get_live (self->workspace), do_refund, on_confirm_cancelled);
}

static void
on_entry_activated (NpCheckoutRefundDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "refund.submit", NULL);
}

static void
on_limits_listed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(NpCheckoutRefundDialog) self = user_data;
  g_autoptr(JsonArray) limits = np_team_sync_list_approval_limits_finish (NP_TEAM_SYNC (source), result, NULL);
  const char *currency = np_checkout_get_currency (self->checkout);

  /* No limit, or no answer: the dialog says nothing, and the team ledger still decides at Refund. */
  if (limits == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (limits); i++)
    {
      JsonObject *limit = json_array_get_object_element (limits, i);
      g_autofree char *money = NULL;
      g_autofree char *text = NULL;

      if (limit == NULL || g_strcmp0 (json_object_get_string_member_with_default (limit, "currency", NULL),
                                      currency) != 0)
        continue;
      money = np_money_format (json_object_get_int_member_with_default (limit, "amount", 0), currency);
      /* Translators: the team's approval limit, "1,000.00 SEK". */
      text = g_strdup_printf (_("Refunds above %s need a second person's approval: a larger refund becomes a "
                                "request that waits at every desk."), money);
      gtk_label_set_text (self->limit_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->limit_label), TRUE);
    }
}

/* In team mode, the account's approval limit in this currency, if it has one. */
static void
show_approval_limit (NpCheckoutRefundDialog *self)
{
  NpTeamSync *sync = np_workspace_get_team_sync (self->workspace);

  if (sync == NULL || np_team_sync_get_state (sync) != NP_TEAM_STATE_ONLINE)
    return;
  np_team_sync_list_approval_limits_async (sync, np_workspace_get_account_id (self->workspace), self->cancellable,
                                           on_limits_listed, g_object_ref (self));
}

/* The approval limit the dialog shows, NULL when none (for tests and a11y checks). */
const char *
np_checkout_refund_dialog_get_limit_text (NpCheckoutRefundDialog *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_REFUND_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->limit_label)) ? gtk_label_get_text (self->limit_label) : NULL;
}

NpCheckoutRefundDialog *
np_checkout_refund_dialog_new (NpWorkspace *workspace,
                               NpCheckout  *checkout)
{
  NpCheckoutRefundDialog *self;
  const char *currency;
  g_autofree char *amount = NULL;
  g_autofree char *refundable = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (NP_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (NP_IS_CHECKOUT (checkout), NULL);

  self = g_object_new (NP_TYPE_CHECKOUT_REFUND_DIALOG, NULL);
  self->workspace = g_object_ref (workspace);
  self->checkout = g_object_ref (checkout);

  currency = np_checkout_get_currency (checkout);
  amount = np_money_format (np_checkout_get_amount (checkout), currency);
  refundable = np_money_format (np_checkout_get_refundable_amount (checkout), currency);
  /* Translators: the checkout's amount, then what can still be refunded. */
  summary = g_strdup_printf (_("The checkout is for %s. Up to %s can be refunded."), amount, refundable);
  gtk_label_set_text (self->summary_label, summary);

  /* Prefilled with everything that remains: the common case is one edit away. */
  plain = np_money_format_plain (np_checkout_get_refundable_amount (checkout), currency);
  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), plain);
  title = g_strdup_printf (_("Amount (%s)"), currency);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->amount_row), title);

  update_form (self);
  show_approval_limit (self);
  return self;
}

static void
np_checkout_refund_dialog_dispose (GObject *object)
{
  NpCheckoutRefundDialog *self = NP_CHECKOUT_REFUND_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), NP_TYPE_CHECKOUT_REFUND_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->checkout);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (np_checkout_refund_dialog_parent_class)->dispose (object);
}

/* Closed while its change is in flight: the change goes on (it is the
 * workspace's, which says how it ended); this window only stops listening. */
static gboolean
np_checkout_refund_dialog_close_request (GtkWindow *window)
{
  g_cancellable_cancel (NP_CHECKOUT_REFUND_DIALOG (window)->cancellable);

  return GTK_WINDOW_CLASS (np_checkout_refund_dialog_parent_class)->close_request (window);
}

static void
np_checkout_refund_dialog_class_init (NpCheckoutRefundDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_checkout_refund_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = np_checkout_refund_dialog_close_request;

  signals[SIGNAL_REFUNDED] =
    g_signal_new ("refunded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, NP_TYPE_CHECKOUT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/checkouts/np-checkout-refund-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutRefundDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutRefundDialog, limit_label);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutRefundDialog, full_button);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutRefundDialog, amount_row);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutRefundDialog, reason_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutRefundDialog, details_row);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutRefundDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutRefundDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutRefundDialog, refund_button);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutRefundDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutRefundDialog, refund_label);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutRefundDialog, cancel_label);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "refund.submit", NULL, submit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
np_checkout_refund_dialog_init (NpCheckoutRefundDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Untitled groups leave their lists unnamed in libadwaita 1.2: a screen reader
   * would announce only "list". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self->amount_row))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Amount to refund"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_ancestor (GTK_WIDGET (self->reason_dropdown), GTK_TYPE_LIST_BOX)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);

  self->cancellable = g_cancellable_new ();
}
