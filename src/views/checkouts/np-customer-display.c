/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer-display.c — see np-customer-display.h. It reads the checkout from
 * the ledger and follows the ledger's changes: the watcher stores what it
 * retrieves there, so the view needs no request of its own. */
#include "config.h"

#include <glib/gi18n.h>

#include "np-customer-display.h"
#include "np-money.h"
#include "np-qr-code.h"
#include "np-status-badge.h"

struct _NpCustomerDisplay
{
  AdwWindow     parent_instance;

  NpWorkspace  *workspace;
  char         *checkout_id;
  const char   *state;

  GtkStack     *stack;
  GtkLabel     *account_label;
  GtkLabel     *amount_label;
  GtkLabel     *message_label;
  NpQrCode     *qr_code;
  GtkLabel     *result_title;
  GtkLabel     *result_amount;
  GtkLabel     *status_label;
  GtkWidget    *new_sale_hint;
  char         *currency;      /* of the sale shown: the next one's, preselected */
};

G_DEFINE_FINAL_TYPE (NpCustomerDisplay, np_customer_display, ADW_TYPE_WINDOW)

static void
set_status (NpCustomerDisplay *self,
            const char        *state,
            const char        *spoken)
{
  gboolean ended = g_strcmp0 (state, "waiting") != 0;

  if (g_strcmp0 (self->state, state) == 0)
    return;
  self->state = state;
  /* Once the sale has ended, the next is one key away. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "display.new-sale", ended);
  gtk_widget_set_visible (self->new_sale_hint, ended);
  /* A live region: a screen reader hears the new status. */
  gtk_label_set_text (self->status_label, spoken);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}

static void
show (NpCustomerDisplay *self)
{
  g_autoptr(NpCheckout) checkout = NULL;
  g_autofree char *amount = NULL;
  NpAccount *account = np_workspace_get_account (self->workspace);
  const char *url;

  checkout = np_ledger_get_checkout (np_workspace_get_ledger (self->workspace),
                                     np_workspace_get_account_id (self->workspace), self->checkout_id, NULL);
  if (checkout == NULL)
    return;

  amount = np_money_format (np_checkout_get_amount (checkout), np_checkout_get_currency (checkout));
  g_free (self->currency);
  self->currency = g_strdup (np_checkout_get_currency (checkout));
  url = np_checkout_get_url (checkout);
  gtk_label_set_text (self->account_label, account != NULL ? np_account_get_name (account) : "");
  gtk_label_set_text (self->amount_label, amount);
  gtk_label_set_text (self->result_amount, amount);
  gtk_label_set_text (self->message_label, np_checkout_get_message (checkout) ? np_checkout_get_message (checkout) : "");
  np_qr_code_set_text (self->qr_code, url);
  gtk_widget_set_visible (GTK_WIDGET (self->qr_code), url != NULL);

  switch (np_checkout_get_status (checkout))
    {
    case NP_CHECKOUT_STATUS_CREATED:
      gtk_stack_set_visible_child_name (self->stack, "waiting");
      set_status (self, "waiting", _("Waiting for payment"));
      break;
    case NP_CHECKOUT_STATUS_PAID:
    case NP_CHECKOUT_STATUS_RESERVED:
      gtk_label_set_text (self->result_title, _("Paid"));
      gtk_stack_set_visible_child_name (self->stack, "paid");
      set_status (self, "paid", _("Paid"));
      break;
    case NP_CHECKOUT_STATUS_FAILED:
      gtk_label_set_text (self->result_title, _("Declined"));
      gtk_stack_set_visible_child_name (self->stack, "ended");
      set_status (self, "declined", _("Declined"));
      break;
    case NP_CHECKOUT_STATUS_CANCELED:
      gtk_label_set_text (self->result_title, _("Cancelled"));
      gtk_stack_set_visible_child_name (self->stack, "ended");
      set_status (self, "cancelled", _("Cancelled"));
      break;
    default:
      gtk_label_set_text (self->result_title, np_checkout_status_get_label (np_checkout_get_status (checkout),
                                                                            np_checkout_get_status_text (checkout)));
      gtk_stack_set_visible_child_name (self->stack, "ended");
      set_status (self, "other", gtk_label_get_text (self->result_title));
      break;
    }
}

static void
on_ledger_changed (NpCustomerDisplay *self,
                   NpLedgerTable      table,
                   gint64             account_id,
                   gint64             row_id)
{
  if (table == NP_LEDGER_TABLE_CHECKOUTS && account_id == np_workspace_get_account_id (self->workspace))
    show (self);
}

const char *
np_customer_display_get_state (NpCustomerDisplay *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_DISPLAY (self), NULL);

  return self->state;
}

NpCustomerDisplay *
np_customer_display_new (NpWorkspace *workspace,
                         const char  *checkout_id)
{
  NpCustomerDisplay *self = g_object_new (NP_TYPE_CUSTOMER_DISPLAY, NULL);

  self->workspace = g_object_ref (workspace);
  self->checkout_id = g_strdup (checkout_id);
  g_signal_connect_object (np_workspace_get_ledger (workspace), "changed",
                           G_CALLBACK (on_ledger_changed), self, G_CONNECT_SWAPPED);
  /* Shown at the counter: watched for as long as the limit allows. */
  np_checkout_watcher_watch (np_workspace_get_watcher (workspace), checkout_id);
  show (self);
  return self;
}

NpCustomerDisplay *
np_customer_display_present (NpWorkspace *workspace,
                             const char  *checkout_id,
                             GtkWidget   *owner)
{
  NpCustomerDisplay *self;
  GtkRoot *root = owner != NULL ? gtk_widget_get_root (owner) : NULL;

  g_return_val_if_fail (NP_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (checkout_id != NULL, NULL);

  self = np_customer_display_new (workspace, checkout_id);
  if (GTK_IS_WINDOW (root))
    {
      /* One of the application's windows, so it knows when the display has the focus. */
      gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (GTK_WINDOW (root)));
      gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
    }
  gtk_window_fullscreen (GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* Enter once the sale has ended: the display closes and New Checkout opens in the
 * console's window (the workspace, so the account, is the same), in this sale's
 * currency. */
static void
new_sale_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  NpCustomerDisplay *self = NP_CUSTOMER_DISPLAY (widget);
  GtkWindow *console = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autofree char *currency = g_strdup (self->currency ? self->currency : "");

  if (console != NULL)
    g_object_ref (console);
  gtk_window_close (GTK_WINDOW (self));
  if (console != NULL)
    {
      if (!gtk_widget_activate_action (GTK_WIDGET (console), "win.new-sale", "s", currency))
        g_debug ("The customer display's window has no win.new-sale");
      g_object_unref (console);
    }
}

/* Enter, caught before GtkWindow's own Enter binding (activate-default) could
 * take it: a new sale once this one has ended, nothing while it is on. */
static gboolean
on_key_pressed (NpCustomerDisplay *self,
                guint              keyval,
                guint              keycode,
                GdkModifierType    state)
{
  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter) ||
      (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return FALSE;

  if (!gtk_widget_get_visible (self->new_sale_hint))
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (self), "display.new-sale", NULL);
}

static void
np_customer_display_dispose (GObject *object)
{
  NpCustomerDisplay *self = NP_CUSTOMER_DISPLAY (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), NP_TYPE_CUSTOMER_DISPLAY);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->checkout_id, g_free);
  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (np_customer_display_parent_class)->dispose (object);
}

static void
np_customer_display_class_init (NpCustomerDisplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_customer_display_dispose;

  g_type_ensure (NP_TYPE_QR_CODE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/checkouts/np-customer-display.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, NpCustomerDisplay, name)
  BIND (stack);
  BIND (account_label);
  BIND (amount_label);
  BIND (message_label);
  BIND (qr_code);
  BIND (result_title);
  BIND (result_amount);
  BIND (status_label);
  BIND (new_sale_hint);
#undef BIND

  gtk_widget_class_install_action (widget_class, "display.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "display.close", NULL);
  gtk_widget_class_install_action (widget_class, "display.new-sale", NULL, new_sale_action);
}

static void
np_customer_display_init (NpCustomerDisplay *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "display.new-sale", FALSE);

  gtk_event_controller_set_name (keys, "np-customer-display-keys");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
