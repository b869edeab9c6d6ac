/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-metadata-editor.c — rows of metadata keys and values to edit.
 *
 * Used by the new-checkout form and the metadata dialog. Each row is a key entry,
 * a value entry and a remove button; keys are checked as they are typed (empty
 * key with a value, a bad key, the same key twice) and the first problem is said
 * under the rows.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-checkout-metadata-editor.h"
#include "np-feedback.h"

struct _NpCheckoutMetadataEditor
{
  GtkBox      parent_instance;

  GtkListBox *rows;
  GtkLabel   *error_label;
  gboolean    valid;
};

G_DEFINE_FINAL_TYPE (NpCheckoutMetadataEditor, np_checkout_metadata_editor, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
np_checkout_metadata_key_is_valid (const char *key)
{
  glong length;

  if (key == NULL || !g_utf8_validate (key, -1, NULL))
    return FALSE;

  length = g_utf8_strlen (key, -1);
  if (length < 1 || length > 64 || g_ascii_isspace (key[0]) || g_ascii_isspace (key[strlen (key) - 1]))
    return FALSE;

  for (const char *p = key; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

GHashTable *
np_checkout_metadata_diff (GHashTable *old_metadata,
                           GHashTable *new_metadata)
{
  GHashTable *diff = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (new_metadata != NULL)
    {
      g_hash_table_iter_init (&iter, new_metadata);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          const char *old_value = old_metadata ? g_hash_table_lookup (old_metadata, key) : NULL;

          if (g_strcmp0 (old_value, value) != 0)
            g_hash_table_insert (diff, g_strdup (key), g_strdup (value ? value : ""));
        }
    }

  if (old_metadata != NULL)
    {
      g_hash_table_iter_init (&iter, old_metadata);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (new_metadata == NULL || !g_hash_table_contains (new_metadata, key))
          g_hash_table_insert (diff, g_strdup (key), g_strdup (""));
    }

  return diff;
}

static GtkEditable *
row_entry (GtkWidget  *row,
           const char *name)
{
  return g_object_get_data (G_OBJECT (row), name);
}

static void
validate (NpCheckoutMetadataEditor *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *problem = NULL;
  GtkWidget *row;

  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->rows)); row; row = gtk_widget_get_next_sibling (row))
    {
      GtkEditable *key_entry = row_entry (row, "np-key");
      const char *key = gtk_editable_get_text (key_entry);
      const char *value = gtk_editable_get_text (row_entry (row, "np-value"));
      const char *row_problem = NULL;

      if (*key == '\0' && *value == '\0')
        row_problem = NULL;
      else if (*key == '\0')
        row_problem = _("A value needs a key.");
      else if (!np_checkout_metadata_key_is_valid (key))
        row_problem = _("Keys are 1 to 64 characters, without spaces at either end.");
      else if (g_hash_table_contains (seen, key))
        row_problem = _("Each key may appear only once.");
      else
        g_hash_table_add (seen, (gpointer) key);

      if (row_problem != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (key_entry), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (key_entry), "error");
      if (row_problem != NULL && problem == NULL)
        problem = g_strdup_printf ("%s: %s", *key ? key : _("(no key)"), row_problem);
    }

  np_feedback_form_message (self->error_label, problem ? NP_FORM_ERROR : NP_FORM_IDLE, problem);
  if (self->valid != (problem == NULL))
    {
      self->valid = (problem == NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
}

static void
on_remove_clicked (GtkButton                *button,
                   NpCheckoutMetadataEditor *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);

  gtk_list_box_remove (self->rows, row);
  validate (self);
}

GtkEditable *
np_checkout_metadata_editor_add_row (NpCheckoutMetadataEditor *self,
                                     const char               *key,
                                     const char               *value)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *key_entry = gtk_entry_new ();
  GtkWidget *value_entry = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  g_return_val_if_fail (NP_IS_CHECKOUT_METADATA_EDITOR (self), NULL);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  gtk_entry_set_placeholder_text (GTK_ENTRY (key_entry), _("Key"));
  gtk_editable_set_text (GTK_EDITABLE (key_entry), key ? key : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (key_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Key"), -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (value_entry), _("Value"));
  gtk_editable_set_text (GTK_EDITABLE (value_entry), value ? value : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (value_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Value"), -1);
  gtk_widget_set_hexpand (value_entry, TRUE);
  gtk_widget_set_tooltip_text (remove, _("Remove Key"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Key"), -1);
  gtk_widget_add_css_class (remove, "flat");

  gtk_box_append (GTK_BOX (box), key_entry);
  gtk_box_append (GTK_BOX (box), value_entry);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "np-key", key_entry);
  g_object_set_data (G_OBJECT (row), "np-value", value_entry);
  g_object_set_data (G_OBJECT (key_entry), "np-row", row);

  g_signal_connect_object (key_entry, "changed", G_CALLBACK (validate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (value_entry, "changed", G_CALLBACK (validate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked), self, 0);

  gtk_list_box_append (self->rows, row);
  validate (self);
  return GTK_EDITABLE (key_entry);
}

void
np_checkout_metadata_editor_remove_row (NpCheckoutMetadataEditor *self,
                                        GtkEditable              *key_entry)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (key_entry), "np-row");

  g_return_if_fail (row != NULL);

  gtk_list_box_remove (self->rows, row);
  validate (self);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

void
np_checkout_metadata_editor_set_metadata (NpCheckoutMetadataEditor *self,
                                          GHashTable               *metadata)
{
  g_autofree const char **keys = NULL;
  guint n = 0;
  GtkWidget *child;

  g_return_if_fail (NP_IS_CHECKOUT_METADATA_EDITOR (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows))) != NULL)
    gtk_list_box_remove (self->rows, child);

  if (metadata != NULL)
    keys = (const char **) g_hash_table_get_keys_as_array (metadata, &n);
  if (keys != NULL)
    g_qsort_with_data (keys, n, sizeof (char *), compare_keys, NULL);
  for (guint i = 0; i < n; i++)
    np_checkout_metadata_editor_add_row (self, keys[i], g_hash_table_lookup (metadata, keys[i]));

  validate (self);
}

gboolean
np_checkout_metadata_editor_get_valid (NpCheckoutMetadataEditor *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_METADATA_EDITOR (self), FALSE);

  return self->valid;
}

GHashTable *
np_checkout_metadata_editor_dup_metadata (NpCheckoutMetadataEditor *self)
{
  GHashTable *metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GtkWidget *row;

  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->rows)); row; row = gtk_widget_get_next_sibling (row))
    {
      const char *key = gtk_editable_get_text (row_entry (row, "np-key"));
      const char *value = gtk_editable_get_text (row_entry (row, "np-value"));

      if (*key != '\0')
        g_hash_table_insert (metadata, g_strdup (key), g_strdup (value));
    }

  return metadata;
}

static void
add_row_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GtkEditable *key = np_checkout_metadata_editor_add_row (NP_CHECKOUT_METADATA_EDITOR (widget), NULL, NULL);

  gtk_widget_grab_focus (GTK_WIDGET (key));
}

GtkWidget *
np_checkout_metadata_editor_new (void)
{
  return g_object_new (NP_TYPE_CHECKOUT_METADATA_EDITOR, NULL);
}

static void
np_checkout_metadata_editor_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  NpCheckoutMetadataEditor *self = NP_CHECKOUT_METADATA_EDITOR (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_checkout_metadata_editor_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), NP_TYPE_CHECKOUT_METADATA_EDITOR);

  G_OBJECT_CLASS (np_checkout_metadata_editor_parent_class)->dispose (object);
}

static void
np_checkout_metadata_editor_class_init (NpCheckoutMetadataEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_checkout_metadata_editor_dispose;
  object_class->get_property = np_checkout_metadata_editor_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/checkouts/np-checkout-metadata-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutMetadataEditor, rows);
  gtk_widget_class_bind_template_child (widget_class, NpCheckoutMetadataEditor, error_label);

  gtk_widget_class_install_action (widget_class, "metadata.add-row", NULL, add_row_action);
}

static void
np_checkout_metadata_editor_init (NpCheckoutMetadataEditor *self)
{
  self->valid = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
}
