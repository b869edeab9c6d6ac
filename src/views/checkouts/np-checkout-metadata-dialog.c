/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-metadata-dialog.c — add, change and remove a checkout's metadata.
 *
 * The API's update takes only changes (an empty value deletes a key), so the
 * dialog diffs the form against the checkout as it was opened and sends just that.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-feedback.h"
#include "np-checkout-metadata-dialog.h"

struct _NpCheckoutMetadataDialog
{
  AdwWindow                 parent_instance;

  NpWorkspace              *workspace;
  NpCheckout               *checkout;
  GCancellable             *cancellable;
  gboolean                  in_flight;

  NpCheckoutMetadataEditor *editor;
  GtkSpinner               *spinner;
  GtkLabel                 *message_label;
};

G_DEFINE_FINAL_TYPE (NpCheckoutMetadataDialog, np_checkout_metadata_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_changed (NpCheckoutMetadataDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "metadata.save",
                                 !self->in_flight && np_checkout_metadata_editor_get_valid (self->editor));
}

static void
on_update_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NpCheckoutMetadataDialog) self = user_data;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  checkout = np_workspace_checkout_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->in_flight = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  on_changed (self);

  if (checkout != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_SAVED], 0, checkout);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  text = np_workspace_describe_error (error);
  np_feedback_form_message (self->message_label, NP_FORM_ERROR, text);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NpCheckoutMetadataDialog *self = NP_CHECKOUT_METADATA_DIALOG (widget);
  g_autoptr(GHashTable) metadata = NULL;
  g_autoptr(GHashTable) changes = NULL;

  if (self->in_flight || !np_checkout_metadata_editor_get_valid (self->editor))
    return;

  metadata = np_checkout_metadata_editor_dup_metadata (self->editor);
  changes = np_checkout_metadata_diff (np_checkout_get_metadata (self->checkout), metadata);
  if (g_hash_table_size (changes) == 0)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  self->in_flight = TRUE;
  on_changed (self);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  np_feedback_form_message (self->message_label, NP_FORM_WORKING, _("Saving…"));
  np_workspace_update_metadata_async (self->workspace, np_checkout_get_id (self->checkout), changes,
                                      self->cancellable, on_update_done, g_object_ref (self));
}

NpCheckoutMetadataDialog *
np_checkout_metadata_dialog_new (NpWorkspace *workspace,
                                 NpCheckout  *checkout)
{
  NpCheckoutMetadataDialog *self;

  g_return_val_if_fail (NP_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (NP_IS_CHECKOUT (checkout), NULL);

  self = g_object_new (NP_TYPE_CHECKOUT_METADATA_DIALOG, NULL);
  self->workspace = g_object_ref (workspace);
  self->checkout = g_object_ref (checkout);
  np_checkout_metadata_editor_set_metadata (self->editor, np_checkout_get_metadata (checkout));
  on_changed (self);
  return self;
}

NpCheckoutMetadataEditor *
np_checkout_metadata_dialog_get_editor (NpCheckoutMetadataDialog *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_METADATA_DIALOG (self), NULL);

  return self->editor;
}

static void
np_checkout_metadata_dialog_dispose (GObject *object)
{
  NpCheckoutMetadataDialog *self = NP_CHECKOUT_METADATA_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), NP_TYPE_CHECKOUT_METADATA_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->checkout);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (np_checkout_metadata_dialog_parent_class)->dispose (object);
}

/* Closed while its change is in flight: the change goes on (it is the
 * workspace's, which says how it ended); this window only stops listening. */
static gboolean
np_checkout_metadata_dialog_close_request (GtkWindow *window)
{
  g_cancellable_cancel (NP_CHECKOUT_METADATA_DIALOG (window)->cancellable);

  return GTK_WINDOW_CLASS (np_checkout_metadata_dialog_parent_class)->close_request (window);
}

static void
np_checkout_metadata_dialog_class_init (NpCheckoutMetadataDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_checkout_metadata_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = np_checkout_metadata_dialog_close_request;

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, NP_TYPE_CHECKOUT);

  g_type_ensure (NP_TYPE_CHECKOUT_METADATA_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/checkouts/np-checkout-metadata-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutMetadataDialog, editor);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutMetadataDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutMetadataDialog, message_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);

  gtk_widget_class_install_action (widget_class, "metadata.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
np_checkout_metadata_dialog_init (NpCheckoutMetadataDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}
