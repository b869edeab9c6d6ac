/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer-lookup-dialog.c — look one customer up by id, or register many ids at once.
 *
 * The API cannot list customers: support staff paste the id a customer gives them,
 * and merchants moving to the console paste the ids they already have.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-feedback.h"
#include "np-customer-lookup-dialog.h"

struct _NpCustomerLookupDialog
{
  AdwWindow             parent_instance;

  NpWorkspace          *workspace;
  NpCustomerLookupMode  mode;
  GCancellable         *cancellable;
  gboolean              busy;

  GtkButton            *go_button;
  GtkLabel             *go_label;
  GtkSpinner           *spinner;
  GtkLabel             *intro_label;
  GtkWidget            *id_group;
  AdwEntryRow          *id_row;
  GtkWidget            *ids_scroller;
  GtkTextView          *ids_view;
  GtkLabel             *error_label;
};

G_DEFINE_FINAL_TYPE (NpCustomerLookupDialog, np_customer_lookup_dialog, ADW_TYPE_WINDOW)

enum {
  FOUND,
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
np_customer_lookup_dialog_dup_input (NpCustomerLookupDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (self->mode == NP_CUSTOMER_LOOKUP_MODE_LOOKUP)
    return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->id_row))));

  buffer = gtk_text_view_get_buffer (self->ids_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
np_customer_lookup_dialog_update (NpCustomerLookupDialog *self)
{
  g_autofree char *input = np_customer_lookup_dialog_dup_input (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lookup-dialog.go", *input != '\0' && !self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

static void
on_changed (NpCustomerLookupDialog *self)
{
  np_feedback_form_message (self->error_label, NP_FORM_IDLE, NULL);
  np_customer_lookup_dialog_update (self);
}

static void
on_entry_activated (NpCustomerLookupDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "lookup-dialog.go", NULL);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED);
}

static void
np_customer_lookup_dialog_fail (NpCustomerLookupDialog *self,
                                const char             *text)
{
  self->busy = FALSE;
  np_feedback_form_message (self->error_label, NP_FORM_ERROR, text);
  np_customer_lookup_dialog_update (self);
}

static void
on_lookup_finished (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(NpCustomerLookupDialog) self = user_data;
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;

  customer = np_workspace_customer_finish (NP_WORKSPACE (source), result, &error);
  if (is_cancelled (error))
    return;

  if (customer == NULL)
    {
      g_autofree char *text = np_workspace_describe_error (error);

      np_customer_lookup_dialog_fail (self, text);
      return;
    }

  self->busy = FALSE;
  g_signal_emit (self, signals[FOUND], 0, np_customer_get_id (customer));
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_import_refreshed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(NpCustomerLookupDialog) self = user_data;
  g_autoptr(NpRefreshSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  summary = np_workspace_refresh_finish (NP_WORKSPACE (source), result, &error);
  if (is_cancelled (error))
    return;

  if (summary == NULL)
    {
      text = np_workspace_describe_error (error);
      np_customer_lookup_dialog_fail (self, text);
      return;
    }

  self->busy = FALSE;
  text = np_refresh_summary_describe (summary);
  g_signal_emit (self, signals[IMPORTED], 0, text);
  gtk_window_close (GTK_WINDOW (self));
}

static void
np_customer_lookup_dialog_import (NpCustomerLookupDialog *self,
                                  const char             *text)
{
  g_autoptr(NpImportResult) import = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  /* Registering ids is the ledger's job; retrieving them is the workspace's. */
  import = np_ledger_import_ids (np_workspace_get_ledger (self->workspace),
                                 np_workspace_get_account_id (self->workspace),
                                 NP_LEDGER_OBJECT_CUSTOMER, NP_IMPORT_FORMAT_LIST, NULL,
                                 text, strlen (text), &error);
  if (import == NULL)
    {
      g_autofree char *message = np_workspace_describe_error (error);

      np_customer_lookup_dialog_fail (self, message);
      return;
    }

  if (import->invalid->len > 0)
    {
      NpImportProblem *problem = g_ptr_array_index (import->invalid, 0);
      g_autofree char *message = NULL;

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u value is not a customer id, such as “%s” on line %u.",
                                              "%u values are not customer ids, such as “%s” on line %u.",
                                              import->invalid->len),
                                 import->invalid->len, problem->value, problem->line);
      np_customer_lookup_dialog_fail (self, message);
      return;
    }

  for (guint i = 0; i < import->new_ids->len; i++)
    g_ptr_array_add (ids, g_ptr_array_index (import->new_ids, i));
  for (guint i = 0; i < import->known_ids->len; i++)
    g_ptr_array_add (ids, g_ptr_array_index (import->known_ids, i));
  g_ptr_array_add (ids, NULL);

  np_workspace_refresh_customers_async (self->workspace, (const char * const *) ids->pdata,
                                        self->cancellable, on_import_refreshed, g_object_ref (self));
}

static void
go_action (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  NpCustomerLookupDialog *self = NP_CUSTOMER_LOOKUP_DIALOG (widget);
  g_autofree char *input = np_customer_lookup_dialog_dup_input (self);

  if (self->busy || *input == '\0')
    return;

  self->busy = TRUE;
  np_feedback_form_message (self->error_label, NP_FORM_IDLE, NULL);
  np_customer_lookup_dialog_update (self);

  if (self->mode == NP_CUSTOMER_LOOKUP_MODE_LOOKUP)
    np_workspace_lookup_customer_async (self->workspace, input, self->cancellable,
                                        on_lookup_finished, g_object_ref (self));
  else
    np_customer_lookup_dialog_import (self, input);
}

NpCustomerLookupDialog *
np_customer_lookup_dialog_new (GtkWindow            *parent,
                               NpWorkspace          *workspace,
                               NpCustomerLookupMode  mode)
{
  NpCustomerLookupDialog *self;
  gboolean lookup = mode == NP_CUSTOMER_LOOKUP_MODE_LOOKUP;

  g_return_val_if_fail (NP_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (NP_TYPE_CUSTOMER_LOOKUP_DIALOG, "transient-for", parent, NULL);
  self->workspace = g_object_ref (workspace);
  self->mode = mode;

  gtk_window_set_title (GTK_WINDOW (self), lookup ? _("Look Up Customer") : _("Import Customers"));
  gtk_label_set_label (self->go_label, lookup ? _("_Look Up") : _("_Import"));
  gtk_label_set_text (self->intro_label,
                      lookup ? _("The id the customer or your system gave you. It is retrieved from the server and remembered here.")
                             : _("Paste customer ids, one per line or separated by commas. Each is retrieved and remembered here."));
  gtk_widget_set_visible (self->id_group, lookup);
  gtk_widget_set_visible (self->ids_scroller, !lookup);
  np_customer_lookup_dialog_update (self);

  return self;
}

static void
np_customer_lookup_dialog_dispose (GObject *object)
{
  NpCustomerLookupDialog *self = NP_CUSTOMER_LOOKUP_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NP_TYPE_CUSTOMER_LOOKUP_DIALOG);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (np_customer_lookup_dialog_parent_class)->dispose (object);
}

static void
np_customer_lookup_dialog_class_init (NpCustomerLookupDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_customer_lookup_dialog_dispose;

  signals[FOUND] = g_signal_new ("found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/customers/np-customer-lookup-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NpCustomerLookupDialog, go_button);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerLookupDialog, go_label);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerLookupDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerLookupDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerLookupDialog, id_group);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerLookupDialog, id_row);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerLookupDialog, ids_scroller);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerLookupDialog, ids_view);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerLookupDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "lookup-dialog.go", NULL, go_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
np_customer_lookup_dialog_init (NpCustomerLookupDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The group has no title, and libadwaita 1.2 leaves the list of an untitled group
   * unnamed: a screen reader would announce "GtkListBox". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self->id_row))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Customer Id"), -1);

  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (gtk_text_view_get_buffer (self->ids_view), "changed",
                           G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
}
