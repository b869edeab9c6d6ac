/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer-dialog.c — the form that creates a customer.
 *
 * The address is checked as it is typed so an obvious typo never reaches the
 * server; whatever the server still refuses is shown at the field it names.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-feedback.h"
#include "np-customer-dialog.h"

struct _NpCustomerDialog
{
  AdwWindow     parent_instance;

  NpWorkspace  *workspace;
  GCancellable *cancellable;
  gboolean      busy;

  GtkWidget    *create_button;
  GtkSpinner   *spinner;
  GtkLabel     *error_label;
  GtkLabel     *field_error_label;
  AdwEntryRow  *first_name_row;
  AdwEntryRow  *last_name_row;
  AdwEntryRow  *email_row;
  GtkListBox   *metadata_list;
};

G_DEFINE_FINAL_TYPE (NpCustomerDialog, np_customer_dialog, ADW_TYPE_WINDOW)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
np_customer_email_is_valid (const char *email)
{
  const char *at, *dot;

  if (email == NULL || *email == '\0' || strpbrk (email, " \t\r\n,;<>()[]\"") != NULL)
    return FALSE;

  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;

  /* A domain with a dot that neither starts nor ends it. */
  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
text_is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

static void
set_field_error (NpCustomerDialog *self,
                 AdwEntryRow      *row,
                 const char       *message)
{
  AdwEntryRow *rows[] = { self->first_name_row, self->last_name_row, self->email_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gboolean invalid = rows[i] == row && message != NULL;

      if (invalid)
        gtk_widget_add_css_class (GTK_WIDGET (rows[i]), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
      /* Valid again for a screen reader too, once the message goes. */
      gtk_accessible_update_state (GTK_ACCESSIBLE (rows[i]), GTK_ACCESSIBLE_STATE_INVALID,
                                   invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
    }

  np_feedback_form_message (self->field_error_label, message != NULL ? NP_FORM_ERROR : NP_FORM_IDLE, message);
}

/* No length is documented: text pasted by mistake and control characters are
 * refused here rather than sent. */
static const char *
text_problem (const char *text)
{
  if (g_utf8_strlen (text, -1) > 2000)
    return _("Too long: at most 2000 characters.");
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return _("Control characters cannot be sent.");
  return NULL;
}

static gboolean
np_customer_dialog_validate (NpCustomerDialog *self)
{
  AdwEntryRow *rows[] = { self->first_name_row, self->last_name_row, self->email_row };
  const char *email = row_text (self->email_row);
  gboolean email_ok = np_customer_email_is_valid (email);
  gboolean complete = !text_is_blank (row_text (self->first_name_row)) &&
                      !text_is_blank (row_text (self->last_name_row)) && email_ok;
  AdwEntryRow *bad_row = NULL;
  const char *problem = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows) && problem == NULL; i++)
    if ((problem = text_problem (row_text (rows[i]))) != NULL)
      bad_row = rows[i];
  complete = complete && problem == NULL;

  /* Say so while typing only once something was typed: an empty form is not an error. */
  if (problem != NULL)
    set_field_error (self, bad_row, problem);
  else if (!email_ok && *email != '\0')
    set_field_error (self, self->email_row, _("Enter an email address like name@example.com."));
  else
    set_field_error (self, NULL, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer-dialog.create", complete && !self->busy);
  return complete;
}

static void
on_field_changed (NpCustomerDialog *self)
{
  np_customer_dialog_validate (self);
}

static void
on_entry_activated (NpCustomerDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "customer-dialog.create", NULL);
}

static void
remove_metadata_row (GtkButton *button,
                     GtkWidget *row)
{
  GtkWidget *list_box = gtk_widget_get_parent (row);

  gtk_list_box_remove (GTK_LIST_BOX (list_box), row);
}

static void
add_metadata_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NpCustomerDialog *self = NP_CUSTOMER_DIALOG (widget);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *key = gtk_entry_new ();
  GtkWidget *value = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

  gtk_entry_set_placeholder_text (GTK_ENTRY (key), _("Key"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (value), _("Value"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Metadata key"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Metadata value"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Metadata"), -1);
  gtk_widget_set_tooltip_text (remove, _("Remove Metadata"));
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), key);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_metadata_row), row);
  gtk_list_box_append (self->metadata_list, row);
  gtk_widget_grab_focus (key);
}

static GHashTable *
np_customer_dialog_collect_metadata (NpCustomerDialog *self)
{
  GHashTable *metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->metadata_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
      GtkWidget *key = gtk_widget_get_first_child (box);
      GtkWidget *value = gtk_widget_get_next_sibling (key);
      g_autofree char *key_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (key))));

      if (*key_text != '\0')
        g_hash_table_replace (metadata, g_steal_pointer (&key_text),
                              g_strdup (gtk_editable_get_text (GTK_EDITABLE (value))));
    }

  return metadata;
}

static void
np_customer_dialog_set_busy (NpCustomerDialog *self,
                             gboolean          busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->first_name_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->last_name_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->metadata_list), !busy);
  np_customer_dialog_validate (self);
}

static AdwEntryRow *
row_for_field (NpCustomerDialog *self,
               const char       *field)
{
  if (field == NULL)
    return NULL;
  if (g_str_equal (field, "email"))
    return self->email_row;
  if (g_str_equal (field, "first_name") || g_str_equal (field, "firstName"))
    return self->first_name_row;
  if (g_str_equal (field, "last_name") || g_str_equal (field, "lastName"))
    return self->last_name_row;
  return NULL;
}

/* The field a refusal is about: named by the server, or else mentioned in its message
 * (no error format is documented, and many servers only say "email ... is not valid"). */
static AdwEntryRow *
row_for_refusal (NpCustomerDialog *self,
                 const GError     *error)
{
  static const char * const fields[] = { "email", "first_name", "last_name" };
  AdwEntryRow *row = row_for_field (self, np_client_error_get_field (error));
  g_autofree char *message = NULL;

  if (row != NULL)
    return row;

  message = g_ascii_strdown (error->message, -1);
  g_strdelimit (message, " -", '_');
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (strstr (message, fields[i]) != NULL)
      return row_for_field (self, fields[i]);

  return NULL;
}

static void
on_create_finished (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(NpCustomerDialog) self = user_data;
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  AdwEntryRow *row;

  customer = np_workspace_customer_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED))
    return;

  np_customer_dialog_set_busy (self, FALSE);

  if (customer != NULL)
    {
      g_signal_emit (self, signals[CREATED], 0, customer);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  text = np_workspace_describe_error (error);
  row = g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_REQUEST)
        ? row_for_refusal (self, error) : NULL;
  if (row != NULL)
    {
      /* The server named the field: say it there, and put the cursor in it. */
      set_field_error (self, row, text);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
  else
    {
      np_feedback_form_message (self->error_label, NP_FORM_ERROR, text);
    }
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpCustomerDialog *self = NP_CUSTOMER_DIALOG (widget);
  g_autoptr(GHashTable) metadata = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *last_name = NULL;
  g_autofree char *email = NULL;

  if (self->busy || !np_customer_dialog_validate (self))
    return;

  first_name = g_strstrip (g_strdup (row_text (self->first_name_row)));
  last_name = g_strstrip (g_strdup (row_text (self->last_name_row)));
  email = g_strstrip (g_strdup (row_text (self->email_row)));
  metadata = np_customer_dialog_collect_metadata (self);

  np_feedback_form_message (self->error_label, NP_FORM_IDLE, NULL);
  np_customer_dialog_set_busy (self, TRUE);
  np_workspace_create_customer_async (self->workspace, first_name, last_name, email,
                                      g_hash_table_size (metadata) > 0 ? metadata : NULL,
                                      self->cancellable, on_create_finished, g_object_ref (self));
}

NpCustomerDialog *
np_customer_dialog_new (GtkWindow   *parent,
                        NpWorkspace *workspace)
{
  NpCustomerDialog *self;

  g_return_val_if_fail (NP_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (NP_TYPE_CUSTOMER_DIALOG, "transient-for", parent, NULL);
  self->workspace = g_object_ref (workspace);

  return self;
}

static void
np_customer_dialog_dispose (GObject *object)
{
  NpCustomerDialog *self = NP_CUSTOMER_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NP_TYPE_CUSTOMER_DIALOG);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (np_customer_dialog_parent_class)->dispose (object);
}

/* Closed while its change is in flight: the change goes on (it is the
 * workspace's, which says how it ended); this window only stops listening. */
static gboolean
np_customer_dialog_close_request (GtkWindow *window)
{
  g_cancellable_cancel (NP_CUSTOMER_DIALOG (window)->cancellable);

  return GTK_WINDOW_CLASS (np_customer_dialog_parent_class)->close_request (window);
}

static void
np_customer_dialog_class_init (NpCustomerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_customer_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = np_customer_dialog_close_request;

  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, NP_TYPE_CUSTOMER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/customers/np-customer-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDialog, field_error_label);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDialog, first_name_row);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDialog, last_name_row);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDialog, metadata_list);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "customer-dialog.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "customer-dialog.add-metadata", NULL, add_metadata_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
np_customer_dialog_init (NpCustomerDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  np_customer_dialog_validate (self);
}
