/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-account-row.c — one account in Preferences.
 *
 * The key is shown masked (last 4 characters) so a person can tell keys apart; the
 * full key is only held for the moment it takes to mask it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-account-row.h"

struct _NpAccountRow
{
  AdwActionRow  parent_instance;

  GtkLabel     *environment_label;
  GtkWidget    *edit_button;
  GtkWidget    *remove_button;

  NpAccounts   *accounts;
  NpAccount    *account;
  char         *masked_key;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (NpAccountRow, np_account_row, ADW_TYPE_ACTION_ROW)

NpAccount *
np_account_row_get_account (NpAccountRow *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

const char *
np_account_row_get_masked_key (NpAccountRow *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNT_ROW (self), NULL);

  return self->masked_key;
}

static void
np_account_row_update (NpAccountRow *self)
{
  g_autofree char *subtitle = NULL;
  gboolean live = np_account_is_live (self->account);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), np_account_get_name (self->account));
  if (self->masked_key != NULL)
    /* Translators: an account's base URL and its masked API key */
    subtitle = g_strdup_printf (_("%s\nKey %s"), np_account_get_base_url (self->account), self->masked_key);
  else
    subtitle = g_strdup_printf (_("%s\nNo key stored"), np_account_get_base_url (self->account));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  gtk_label_set_label (self->environment_label, live ? _("Live") : _("Test"));
  if (live)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->environment_label), "np-live-indicator");
      gtk_widget_remove_css_class (GTK_WIDGET (self->environment_label), "np-test-indicator");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->environment_label), "np-test-indicator");
      gtk_widget_remove_css_class (GTK_WIDGET (self->environment_label), "np-live-indicator");
    }
}

static void
on_key_looked_up (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  NpAccountRow *self;

  key = np_accounts_lookup_key_finish (NP_ACCOUNTS (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;  /* not cancelled, so not disposed */
  g_clear_pointer (&self->masked_key, g_free);
  if (key != NULL)
    self->masked_key = np_keyring_mask_key (key);
  np_account_row_update (self);
}

void
np_account_row_refresh (NpAccountRow *self)
{
  g_return_if_fail (NP_IS_ACCOUNT_ROW (self));

  np_account_row_update (self);
  np_accounts_lookup_key_async (self->accounts, self->account, self->cancellable, on_key_looked_up, self);
}

NpAccountRow *
np_account_row_new (NpAccounts *accounts,
                    NpAccount  *account)
{
  NpAccountRow *self;
  GVariant *target;

  g_return_val_if_fail (NP_IS_ACCOUNTS (accounts), NULL);
  g_return_val_if_fail (NP_IS_ACCOUNT (account), NULL);

  self = g_object_new (NP_TYPE_ACCOUNT_ROW, NULL);
  self->accounts = g_object_ref (accounts);
  self->account = g_object_ref (account);

  target = g_variant_ref_sink (g_variant_new_int64 (np_account_get_id (account)));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->edit_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->remove_button), target);
  g_variant_unref (target);

  np_account_row_refresh (self);

  return self;
}

static void
np_account_row_dispose (GObject *object)
{
  NpAccountRow *self = NP_ACCOUNT_ROW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NP_TYPE_ACCOUNT_ROW);
  g_clear_object (&self->accounts);
  g_clear_object (&self->account);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->masked_key, g_free);

  G_OBJECT_CLASS (np_account_row_parent_class)->dispose (object);
}

static void
np_account_row_class_init (NpAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_account_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/accounts/np-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, NpAccountRow, environment_label);
  gtk_widget_class_bind_template_child (widget_class, NpAccountRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, NpAccountRow, remove_button);
}

static void
np_account_row_init (NpAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
