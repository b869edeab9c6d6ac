/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-preferences-window.c — accounts and their keys, and the team ledger.
 *
 * Lists the workspace's accounts (name, base URL, environment, masked key) and
 * adds, edits and removes them. Removing asks first and says that the key goes
 * from the keyring too. Below them, the Team Ledger group (NpTeamLedgerGroup).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-account-editor.h"
#include "np-feedback.h"
#include "np-toast.h"
#include "np-account-row.h"
#include "np-keyring.h"
#include "np-preferences-window.h"
#include "np-approval-limit-group.h"
#include "np-team-ledger-group.h"

struct _NpPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwPreferencesPage  *accounts_page;
  GtkListBox          *accounts_list;
  GtkWidget           *keyring_label;
  GtkSpinButton       *watch_limit_spin;
  GtkSpinButton       *refresh_in_flight_spin;

  NpWorkspace         *workspace;
  GSettings           *settings;
  GCancellable        *cancellable;
  NpAccount           *removing;  /* the account the open confirmation asks about */
};

G_DEFINE_FINAL_TYPE (NpPreferencesWindow, np_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_WORKSPACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

NpPreferencesWindow *
np_preferences_window_new (GtkWindow   *parent,
                           NpWorkspace *workspace)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (workspace), NULL);

  return g_object_new (NP_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "workspace", workspace,
                       NULL);
}

static NpAccounts *
get_accounts (NpPreferencesWindow *self)
{
  return np_workspace_get_accounts (self->workspace);
}

static GtkWidget *
create_account_row (gpointer item,
                    gpointer user_data)
{
  NpPreferencesWindow *self = user_data;

  return GTK_WIDGET (np_account_row_new (get_accounts (self), NP_ACCOUNT (item)));
}

static void
update_keyring_notice (NpPreferencesWindow *self)
{
  NpKeyring *keyring = np_accounts_get_keyring (get_accounts (self));

  gtk_widget_set_visible (self->keyring_label, keyring != NULL && np_keyring_is_session_only (keyring));
}

static void
on_accounts_changed (NpPreferencesWindow *self)
{
  update_keyring_notice (self);
}

/* A new or changed key is only known once the editor saved it. */
static void
on_account_saved (NpPreferencesWindow *self,
                  NpAccount           *account)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (NP_IS_ACCOUNT_ROW (row) &&
        np_account_get_id (np_account_row_get_account (NP_ACCOUNT_ROW (row))) == np_account_get_id (account))
      np_account_row_refresh (NP_ACCOUNT_ROW (row));

  update_keyring_notice (self);
}

static void
add_account_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  NpPreferencesWindow *self = NP_PREFERENCES_WINDOW (widget);
  NpAccountEditor *editor = np_account_editor_new (NULL, self->workspace, NULL);

  g_signal_connect_object (editor, "saved", G_CALLBACK (on_account_saved), self, G_CONNECT_SWAPPED);
  np_feedback_present_dialog (GTK_WIDGET (self), GTK_WINDOW (editor));
}

static void
edit_account_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NpPreferencesWindow *self = NP_PREFERENCES_WINDOW (widget);
  NpAccount *account = np_accounts_find (get_accounts (self), g_variant_get_int64 (parameter));
  NpAccountEditor *editor;

  if (account == NULL)
    return;

  editor = np_account_editor_new (NULL, self->workspace, account);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_account_saved), self, G_CONNECT_SWAPPED);
  np_feedback_present_dialog (GTK_WIDGET (self), GTK_WINDOW (editor));
}

static void
on_account_removed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!np_accounts_remove_finish (NP_ACCOUNTS (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      NpPreferencesWindow *self = user_data;  /* not cancelled, so not disposed */
      g_autofree char *message = np_workspace_describe_error (error);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), np_toast_new (message));
    }
}

static void
on_remove_confirmed (GtkWidget *owner)
{
  NpPreferencesWindow *self = NP_PREFERENCES_WINDOW (owner);
  g_autoptr(NpAccount) account = g_steal_pointer (&self->removing);

  if (account != NULL)
    np_accounts_remove_async (get_accounts (self), account, self->cancellable, on_account_removed, self);
}

static void
on_remove_cancelled (GtkWidget *owner)
{
  g_clear_object (&NP_PREFERENCES_WINDOW (owner)->removing);
}

static void
remove_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  NpPreferencesWindow *self = NP_PREFERENCES_WINDOW (widget);
  NpAccount *account = np_accounts_find (get_accounts (self), g_variant_get_int64 (parameter));
  g_autofree char *what = NULL;
  g_autofree char *body = NULL;

  if (account == NULL)
    return;

  /* Translators: %s is an account name; the confirmation adds the "?" */
  what = g_strdup_printf (_("Remove “%s”"), np_account_get_name (account));
  body = g_strdup_printf ("%s%s",
                          np_account_is_live (account) ? _("This is a live account. ") : "",
                          _("Its API key is deleted from the keyring too, and the checkouts, "
                            "customers and activity this console keeps for it are removed from "
                            "this computer. Nothing changes at Neuro-Pay."));
  g_set_object (&self->removing, account);
  np_feedback_confirm (GTK_WIDGET (self), what, body, _("_Remove"), np_account_is_live (account),
                       on_remove_confirmed, on_remove_cancelled);
}

static void
np_preferences_window_constructed (GObject *object)
{
  NpPreferencesWindow *self = NP_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (np_preferences_window_parent_class)->constructed (object);

  g_assert (self->workspace != NULL);

  gtk_list_box_bind_model (self->accounts_list, G_LIST_MODEL (get_accounts (self)),
                           create_account_row, self, NULL);
  g_signal_connect_object (get_accounts (self), "items-changed",
                           G_CALLBACK (on_accounts_changed), self, G_CONNECT_SWAPPED);
  update_keyring_notice (self);

  /* A workspace made without a team sync (one embedded in another program)
   * has no team mode to offer. */
  if (np_workspace_get_team_sync (self->workspace) != NULL)
    {
      adw_preferences_page_add (self->accounts_page,
                                ADW_PREFERENCES_GROUP (np_team_ledger_group_new (self->workspace)));
      adw_preferences_page_add (self->accounts_page,
                                ADW_PREFERENCES_GROUP (np_approval_limit_group_new (self->workspace)));
    }
}

static void
np_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  NpPreferencesWindow *self = NP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  NpPreferencesWindow *self = NP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      self->workspace = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_preferences_window_dispose (GObject *object)
{
  NpPreferencesWindow *self = NP_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->accounts_list != NULL)
    gtk_list_box_bind_model (self->accounts_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), NP_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->removing);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (np_preferences_window_parent_class)->dispose (object);
}

static void
np_preferences_window_class_init (NpPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = np_preferences_window_constructed;
  object_class->get_property = np_preferences_window_get_property;
  object_class->set_property = np_preferences_window_set_property;
  object_class->dispose = np_preferences_window_dispose;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         NP_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/accounts/np-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NpPreferencesWindow, accounts_page);
  gtk_widget_class_bind_template_child (widget_class, NpPreferencesWindow, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, NpPreferencesWindow, keyring_label);
  gtk_widget_class_bind_template_child (widget_class, NpPreferencesWindow, watch_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, NpPreferencesWindow, refresh_in_flight_spin);

  gtk_widget_class_install_action (widget_class, "account.add", NULL, add_account_action);
  gtk_widget_class_install_action (widget_class, "account.edit", "x", edit_account_action);
  gtk_widget_class_install_action (widget_class, "account.remove", "x", remove_account_action);

  g_type_ensure (NP_TYPE_ACCOUNT_ROW);
}

static void
np_preferences_window_init (NpPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The watcher follows the key (np-application.c). */
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "watch-limit-minutes", self->watch_limit_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "refresh-max-in-flight", self->refresh_in_flight_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
}
