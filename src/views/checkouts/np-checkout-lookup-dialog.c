/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-lookup-dialog.c — look a checkout up by id, or import many ids at once.
 *
 * The API cannot list checkouts, so an id someone has (from an email, a CSV of
 * orders) is how a checkout gets into the ledger. One id is retrieved here and
 * a 404 is said plainly; several ids go to the page, which imports them with its
 * progress bar.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-feedback.h"
#include "np-checkout-lookup-dialog.h"

struct _NpCheckoutLookupDialog
{
  AdwWindow     parent_instance;

  NpWorkspace  *workspace;
  GCancellable *cancellable;

  GtkTextView  *ids_view;
  GtkButton    *lookup_button;
  GtkLabel     *lookup_label;
  GtkSpinner   *spinner;
  GtkLabel     *message_label;
};

G_DEFINE_FINAL_TYPE (NpCheckoutLookupDialog, np_checkout_lookup_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_FOUND,
  SIGNAL_IMPORT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_text (NpCheckoutLookupDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->ids_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strstrip (g_steal_pointer (&text));
}

/* One id: no separators at all. Anything else is a list or a CSV. */
static gboolean
is_single_id (const char *text)
{
  return *text != '\0' && strpbrk (text, " \t\r\n,;\"") == NULL;
}

static void
set_message (NpCheckoutLookupDialog *self,
             const char             *text,
             gboolean                is_error)
{
  np_feedback_form_message (self->message_label, is_error ? NP_FORM_ERROR : NP_FORM_WORKING, text);
}

static void
on_text_changed (NpCheckoutLookupDialog *self)
{
  g_autofree char *text = dup_text (self);
  gboolean busy = gtk_spinner_get_spinning (self->spinner);

  gtk_label_set_label (self->lookup_label, *text == '\0' || is_single_id (text) ? _("_Look Up") : _("_Import"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lookup.submit", *text != '\0' && !busy);
  set_message (self, "", FALSE);
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NpCheckoutLookupDialog) self = user_data;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;

  checkout = np_workspace_checkout_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_text_view_set_editable (self->ids_view, TRUE);
  on_text_changed (self);

  if (checkout == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NOT_FOUND))
        text = g_strdup (_("There is no such checkout in this account. Check the id, and that the right account is selected."));
      else
        text = np_workspace_describe_error (error);
      set_message (self, text, TRUE);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_FOUND], 0, np_checkout_get_id (checkout));
  gtk_window_close (GTK_WINDOW (self));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpCheckoutLookupDialog *self = NP_CHECKOUT_LOOKUP_DIALOG (widget);
  g_autofree char *text = dup_text (self);

  if (*text == '\0' || gtk_spinner_get_spinning (self->spinner))
    return;

  if (!is_single_id (text))
    {
      g_signal_emit (self, signals[SIGNAL_IMPORT], 0, text);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_text_view_set_editable (self->ids_view, FALSE);
  gtk_widget_action_set_enabled (widget, "lookup.submit", FALSE);
  set_message (self, _("Looking up…"), FALSE);
  np_workspace_lookup_checkout_async (self->workspace, text, self->cancellable,
                                      on_lookup_done, g_object_ref (self));
}

NpCheckoutLookupDialog *
np_checkout_lookup_dialog_new (NpWorkspace *workspace)
{
  NpCheckoutLookupDialog *self;

  g_return_val_if_fail (NP_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (NP_TYPE_CHECKOUT_LOOKUP_DIALOG, NULL);
  self->workspace = g_object_ref (workspace);
  return self;
}

static void
np_checkout_lookup_dialog_dispose (GObject *object)
{
  NpCheckoutLookupDialog *self = NP_CHECKOUT_LOOKUP_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), NP_TYPE_CHECKOUT_LOOKUP_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (np_checkout_lookup_dialog_parent_class)->dispose (object);
}

static void
np_checkout_lookup_dialog_class_init (NpCheckoutLookupDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_checkout_lookup_dialog_dispose;

  signals[SIGNAL_FOUND] =
    g_signal_new ("found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_IMPORT] =
    g_signal_new ("import", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/checkouts/np-checkout-lookup-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutLookupDialog, ids_view);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutLookupDialog, lookup_button);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutLookupDialog, lookup_label);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutLookupDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutLookupDialog, message_label);

  gtk_widget_class_install_action (widget_class, "lookup.submit", NULL, submit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "lookup.submit", NULL);
}

static void
np_checkout_lookup_dialog_init (NpCheckoutLookupDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (gtk_text_view_get_buffer (self->ids_view), "changed",
                           G_CALLBACK (on_text_changed), self, G_CONNECT_SWAPPED);
  on_text_changed (self);
}
