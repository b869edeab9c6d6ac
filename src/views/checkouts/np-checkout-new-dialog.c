/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-new-dialog.c — the form that creates a checkout.
 *
 * Every field is checked as it is typed and its problem is said under its group;
 * Create is enabled only when the whole form is valid. The amount is typed in
 * major units of the chosen currency and parsed exactly by NpMoney. A refusal
 * from the server that names a field is shown at that field.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-feedback.h"
#include "np-checkout-metadata-editor.h"
#include "np-checkout-new-dialog.h"
#include "np-money.h"

struct _NpCheckoutNewDialog
{
  AdwWindow                 parent_instance;

  NpWorkspace              *workspace;
  GCancellable             *cancellable;
  GPtrArray                *customer_ids;   /* parallel to the customer list; [0] is NULL: none */
  gboolean                  in_flight;

  AdwEntryRow              *amount_row;
  GtkDropDown              *currency_dropdown;
  AdwEntryRow              *message_row;
  AdwEntryRow              *identifier_row;
  AdwEntryRow              *return_url_row;
  AdwEntryRow              *cancel_url_row;
  GtkSwitch                *capture_switch;
  GtkSwitch                *save_card_switch;
  GtkDropDown              *customer_dropdown;
  AdwEntryRow              *card_row;
  GtkSwitch                *iframe_switch;
  NpCheckoutMetadataEditor *metadata_editor;
  GtkLabel                 *amount_error;
  GtkLabel                 *message_error;
  GtkLabel                 *url_error;
  GtkLabel                 *customer_error;
  GtkSpinner               *spinner;
  GtkLabel                 *message_label;
};

G_DEFINE_FINAL_TYPE (NpCheckoutNewDialog, np_checkout_new_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static const char *
selected_currency (NpCheckoutNewDialog *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->currency_dropdown);

  return item ? gtk_string_object_get_string (item) : NULL;
}

static const char *
selected_customer (NpCheckoutNewDialog *self)
{
  guint selected = gtk_drop_down_get_selected (self->customer_dropdown);

  if (self->customer_ids == NULL || selected >= self->customer_ids->len)
    return NULL;
  return g_ptr_array_index (self->customer_ids, selected);
}

/* Shows @text (NULL: nothing) under a group and marks @row. */
static void
show_problem (GtkLabel    *label,
              AdwEntryRow *row,
              const char  *text)
{
  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
  if (row == NULL)
    return;
  if (text != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static gboolean
url_is_valid (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (*text == '\0')
    return TRUE;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  return g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0;
}

#define NP_CHECKOUT_TEXT_MAX 2000

static const struct { gsize row; gsize label; } long_rows[] = {
  { G_STRUCT_OFFSET (NpCheckoutNewDialog, message_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, message_error) },
  { G_STRUCT_OFFSET (NpCheckoutNewDialog, identifier_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, message_error) },
  { G_STRUCT_OFFSET (NpCheckoutNewDialog, return_url_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, url_error) },
  { G_STRUCT_OFFSET (NpCheckoutNewDialog, cancel_url_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, url_error) },
  { G_STRUCT_OFFSET (NpCheckoutNewDialog, card_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, customer_error) },
};

/* Checks every field; shows only problems of fields that have text (or all, with @all). */
static gboolean
validate (NpCheckoutNewDialog *self,
          gboolean             all,
          gint64              *out_amount)
{
  g_autoptr(GError) error = NULL;
  const char *amount_text = row_text (self->amount_row);
  g_autofree char *message = g_strstrip (g_strdup (row_text (self->message_row)));
  gboolean valid = TRUE;
  gint64 amount = 0;

  if (!np_money_parse (amount_text, selected_currency (self), &amount, &error))
    {
      valid = FALSE;
      show_problem (self->amount_error, self->amount_row, all || *amount_text ? error->message : NULL);
    }
  else if (amount <= 0)
    {
      valid = FALSE;
      show_problem (self->amount_error, self->amount_row, _("The amount must be more than zero."));
    }
  else
    {
      show_problem (self->amount_error, self->amount_row, NULL);
    }

  if (*message == '\0')
    {
      valid = FALSE;
      show_problem (self->message_error, self->message_row, all ? _("A message for the customer is required.") : NULL);
    }
  else
    {
      show_problem (self->message_error, self->message_row, NULL);
    }

  /* No length is documented; 10,000 characters pasted by mistake are refused here
   * rather than sent. */
  for (guint i = 0; i < G_N_ELEMENTS (long_rows); i++)
    {
      AdwEntryRow *row = G_STRUCT_MEMBER (AdwEntryRow *, self, long_rows[i].row);

      if (g_utf8_strlen (row_text (row), -1) > NP_CHECKOUT_TEXT_MAX)
        {
          valid = FALSE;
          show_problem (G_STRUCT_MEMBER (GtkLabel *, self, long_rows[i].label), row,
                        _("Too long: at most 2000 characters."));
          return valid;
        }
    }

  show_problem (self->url_error, self->return_url_row, NULL);
  show_problem (self->url_error, self->cancel_url_row, NULL);
  if (!url_is_valid (row_text (self->return_url_row)))
    {
      valid = FALSE;
      show_problem (self->url_error, self->return_url_row, _("The return URL must be a web address (https://…)."));
    }
  if (!url_is_valid (row_text (self->cancel_url_row)))
    {
      valid = FALSE;
      show_problem (self->url_error, self->cancel_url_row, _("The cancel URL must be a web address (https://…)."));
    }

  if (*row_text (self->card_row) != '\0' && selected_customer (self) == NULL)
    {
      valid = FALSE;
      show_problem (self->customer_error, self->card_row, _("A saved card needs its customer."));
    }
  else
    {
      show_problem (self->customer_error, self->card_row, NULL);
    }

  if (!np_checkout_metadata_editor_get_valid (self->metadata_editor))
    valid = FALSE;

  if (out_amount != NULL)
    *out_amount = amount;
  return valid;
}

static void
on_form_changed (NpCheckoutNewDialog *self)
{
  gboolean valid = validate (self, FALSE, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-checkout.create", valid && !self->in_flight);
}

static void
on_entry_activated (NpCheckoutNewDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "new-checkout.create", NULL);
}

/* The row a server refusal names, by the API's field name. */
static AdwEntryRow *
row_for_field (NpCheckoutNewDialog *self,
               const char          *field,
               GtkLabel           **out_label)
{
  static const struct { const char *field; gsize row; gsize label; } fields[] = {
    { "amount", G_STRUCT_OFFSET (NpCheckoutNewDialog, amount_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, amount_error) },
    { "currency", G_STRUCT_OFFSET (NpCheckoutNewDialog, amount_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, amount_error) },
    { "message", G_STRUCT_OFFSET (NpCheckoutNewDialog, message_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, message_error) },
    { "identifier", G_STRUCT_OFFSET (NpCheckoutNewDialog, identifier_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, message_error) },
    { "returnUrl", G_STRUCT_OFFSET (NpCheckoutNewDialog, return_url_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, url_error) },
    { "returnUrlCancel", G_STRUCT_OFFSET (NpCheckoutNewDialog, cancel_url_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, url_error) },
    { "customer_id", G_STRUCT_OFFSET (NpCheckoutNewDialog, card_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, customer_error) },
    { "card_id", G_STRUCT_OFFSET (NpCheckoutNewDialog, card_row), G_STRUCT_OFFSET (NpCheckoutNewDialog, customer_error) },
  };

  for (guint i = 0; field != NULL && i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].field, field) == 0)
      {
        *out_label = G_STRUCT_MEMBER (GtkLabel *, self, fields[i].label);
        return G_STRUCT_MEMBER (AdwEntryRow *, self, fields[i].row);
      }

  return NULL;
}

static void
on_create_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NpCheckoutNewDialog) self = user_data;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkLabel *label = NULL;
  AdwEntryRow *row;

  checkout = np_workspace_checkout_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->in_flight = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  on_form_changed (self);

  if (checkout != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_CREATED], 0, checkout);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  text = np_workspace_describe_error (error);
  row = row_for_field (self, np_client_error_get_field (error), &label);
  if (row != NULL)
    {
      show_problem (label, row, text);
      np_feedback_form_message (self->message_label, NP_FORM_IDLE, NULL);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
  else
    {
      /* A refusal without a field (metadata too large, say) is still an error. */
      np_feedback_form_message (self->message_label, NP_FORM_ERROR, text);
    }
}

static char *
dup_nonempty (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  return *stripped != '\0' ? g_steal_pointer (&stripped) : NULL;
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpCheckoutNewDialog *self = NP_CHECKOUT_NEW_DIALOG (widget);
  g_autoptr(NpCheckoutDraft) draft = NULL;
  g_autoptr(GHashTable) metadata = NULL;
  gint64 amount;

  if (self->in_flight || !validate (self, TRUE, &amount))
    return;

  draft = np_checkout_draft_new ();
  draft->amount = amount;
  draft->currency = g_strdup (selected_currency (self));
  draft->message = dup_nonempty (row_text (self->message_row));
  draft->identifier = dup_nonempty (row_text (self->identifier_row));
  draft->return_url = dup_nonempty (row_text (self->return_url_row));
  draft->return_url_cancel = dup_nonempty (row_text (self->cancel_url_row));
  draft->capture = gtk_switch_get_active (self->capture_switch);
  draft->allow_save_card = gtk_switch_get_active (self->save_card_switch);
  draft->customer_id = g_strdup (selected_customer (self));
  draft->card_id = dup_nonempty (row_text (self->card_row));
  draft->template_name = gtk_switch_get_active (self->iframe_switch) ? g_strdup ("iframe") : NULL;
  metadata = np_checkout_metadata_editor_dup_metadata (self->metadata_editor);
  if (g_hash_table_size (metadata) > 0)
    draft->metadata = g_steal_pointer (&metadata);

  self->in_flight = TRUE;
  on_form_changed (self);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  np_feedback_form_message (self->message_label, NP_FORM_WORKING, _("Creating…"));
  np_workspace_create_checkout_async (self->workspace, draft, self->cancellable,
                                      on_create_done, g_object_ref (self));
}

static void
load_customers (NpCheckoutNewDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GtkExpression) expression = NULL;

  g_clear_pointer (&self->customer_ids, g_ptr_array_unref);
  self->customer_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (names, _("No customer"));
  g_ptr_array_add (self->customer_ids, NULL);

  /* Enough to pick from; a customer further down is found by the page's search. */
  rows = np_ledger_list_customers (np_workspace_get_ledger (self->workspace),
                                   np_workspace_get_account_id (self->workspace), NULL, 0, 1000, NULL);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      NpCustomerRow *row = g_ptr_array_index (rows, i);
      g_autofree char *name = NULL;

      if (np_customer_row_get_email (row) != NULL &&
          g_strcmp0 (np_customer_row_get_display_name (row), np_customer_row_get_email (row)) != 0)
        name = g_strdup_printf ("%s <%s>", np_customer_row_get_display_name (row), np_customer_row_get_email (row));
      else
        name = g_strdup (np_customer_row_get_display_name (row));

      gtk_string_list_append (names, name);
      g_ptr_array_add (self->customer_ids, g_strdup (np_customer_row_get_customer_id (row)));
    }

  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->customer_dropdown, expression);
  gtk_drop_down_set_model (self->customer_dropdown, G_LIST_MODEL (names));
}

static gboolean
str_equal0 (gconstpointer a,
            gconstpointer b)
{
  return g_strcmp0 (a, b) == 0;
}

void
np_checkout_new_dialog_set_customer (NpCheckoutNewDialog *self,
                                     const char          *customer_id,
                                     const char          *card_id)
{
  g_return_if_fail (NP_IS_CHECKOUT_NEW_DIALOG (self));

  if (customer_id != NULL)
    {
      guint index;

      /* customer_ids[0] is NULL ("No customer"): compare NULL-safely. */
      if (!g_ptr_array_find_with_equal_func (self->customer_ids, customer_id, str_equal0, &index))
        {
          /* Not among the first customers listed: add it, so it can be chosen. */
          GtkStringList *names = GTK_STRING_LIST (gtk_drop_down_get_model (self->customer_dropdown));

          gtk_string_list_append (names, customer_id);
          g_ptr_array_add (self->customer_ids, g_strdup (customer_id));
          index = self->customer_ids->len - 1;
        }
      gtk_drop_down_set_selected (self->customer_dropdown, index);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->card_row), card_id ? card_id : "");
  on_form_changed (self);
}

void
np_checkout_new_dialog_set_currency (NpCheckoutNewDialog *self,
                                     const char          *currency)
{
  GListModel *currencies;

  g_return_if_fail (NP_IS_CHECKOUT_NEW_DIALOG (self));

  if (currency == NULL)
    return;
  currencies = gtk_drop_down_get_model (self->currency_dropdown);
  for (guint i = 0; i < g_list_model_get_n_items (currencies); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (currencies, i);

      if (g_str_equal (gtk_string_object_get_string (item), currency))
        {
          gtk_drop_down_set_selected (self->currency_dropdown, i);
          on_form_changed (self);
          return;
        }
    }
}

NpCheckoutNewDialog *
np_checkout_new_dialog_new (NpWorkspace *workspace)
{
  NpCheckoutNewDialog *self;

  g_return_val_if_fail (NP_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (NP_TYPE_CHECKOUT_NEW_DIALOG, NULL);
  self->workspace = g_object_ref (workspace);
  load_customers (self);
  on_form_changed (self);
  return self;
}

static void
np_checkout_new_dialog_dispose (GObject *object)
{
  NpCheckoutNewDialog *self = NP_CHECKOUT_NEW_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), NP_TYPE_CHECKOUT_NEW_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->customer_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (np_checkout_new_dialog_parent_class)->dispose (object);
}

/* Closed while its change is in flight: the change goes on (it is the
 * workspace's, which says how it ended); this window only stops listening. */
static gboolean
np_checkout_new_dialog_close_request (GtkWindow *window)
{
  g_cancellable_cancel (NP_CHECKOUT_NEW_DIALOG (window)->cancellable);

  return GTK_WINDOW_CLASS (np_checkout_new_dialog_parent_class)->close_request (window);
}

static void
np_checkout_new_dialog_class_init (NpCheckoutNewDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_checkout_new_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = np_checkout_new_dialog_close_request;

  signals[SIGNAL_CREATED] =
    g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, NP_TYPE_CHECKOUT);

  g_type_ensure (NP_TYPE_CHECKOUT_METADATA_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/checkouts/np-checkout-new-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, NpCheckoutNewDialog, name)
  BIND (amount_row);
  BIND (currency_dropdown);
  BIND (message_row);
  BIND (identifier_row);
  BIND (return_url_row);
  BIND (cancel_url_row);
  BIND (capture_switch);
  BIND (save_card_switch);
  BIND (customer_dropdown);
  BIND (card_row);
  BIND (iframe_switch);
  BIND (metadata_editor);
  BIND (amount_error);
  BIND (message_error);
  BIND (url_error);
  BIND (customer_error);
  BIND (spinner);
  BIND (message_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "new-checkout.create", NULL, create_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
np_checkout_new_dialog_init (NpCheckoutNewDialog *self)
{
  g_autoptr(GtkStringList) currencies = gtk_string_list_new ((const char * const *) np_money_currencies ());
  g_autoptr(GtkExpression) expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The first group has no title, and libadwaita 1.2 leaves the list of an untitled
   * group unnamed: a screen reader would announce only "list". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self->amount_row))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Checkout"), -1);

  self->cancellable = g_cancellable_new ();
  /* SEK, EUR, USD... first, as np_money_currencies () orders them. */
  gtk_drop_down_set_expression (self->currency_dropdown, expression);
  gtk_drop_down_set_model (self->currency_dropdown, G_LIST_MODEL (currencies));
}
