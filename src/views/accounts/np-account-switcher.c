/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-account-switcher.c — the header's account menu.
 *
 * The button always names the current account and its environment, so nobody
 * wonders which account an operation goes to. Switching itself is the window's
 * "win.switch-account" action, which reports failures as toasts.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-account-switcher.h"

struct _NpAccountSwitcher
{
  GtkWidget      parent_instance;

  GtkMenuButton *button;
  GtkPopover    *popover;
  GtkListBox    *list;
  GtkLabel      *live_label;
  GtkLabel      *name_label;
  GtkLabel      *environment_label;

  NpWorkspace   *workspace;
  GSignalGroup  *workspace_signals;
  GSignalGroup  *accounts_signals;
  GBindingGroup *workspace_bindings;
};

G_DEFINE_FINAL_TYPE (NpAccountSwitcher, np_account_switcher, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WORKSPACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

NpWorkspace *
np_account_switcher_get_workspace (NpAccountSwitcher *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNT_SWITCHER (self), NULL);

  return self->workspace;
}

GtkListBox *
np_account_switcher_get_list (NpAccountSwitcher *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNT_SWITCHER (self), NULL);

  return self->list;
}

GtkMenuButton *
np_account_switcher_get_button (NpAccountSwitcher *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNT_SWITCHER (self), NULL);

  return self->button;
}

static const char *
environment_label (NpAccount *account)
{
  return np_account_is_live (account) ? _("Live") : _("Test");
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  NpAccount *account = item;
  g_autofree char *accessible = NULL;
  GtkWidget *row, *box, *check, *labels, *name, *environment;

  check = gtk_image_new_from_icon_name ("object-select-symbolic");
  name = gtk_label_new (np_account_get_name (account));
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  environment = gtk_label_new (environment_label (account));
  gtk_label_set_xalign (GTK_LABEL (environment), 0);
  gtk_widget_add_css_class (environment, np_account_is_live (account) ? "error" : "dim-label");
  gtk_widget_add_css_class (environment, "caption");

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (labels), name);
  gtk_box_append (GTK_BOX (labels), environment);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), check);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* Translators: an account in the switcher, e.g. "Shop, Live" */
  accessible = g_strdup_printf (_("%s, %s"), np_account_get_name (account), environment_label (account));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (row), "account", g_object_ref (account), g_object_unref);
  g_object_set_data (G_OBJECT (row), "check", check);

  return row;
}

static void
np_account_switcher_update (NpAccountSwitcher *self)
{
  NpAccount *current = self->workspace ? np_workspace_get_account (self->workspace) : NULL;
  g_autofree char *accessible = NULL;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      NpAccount *account = g_object_get_data (G_OBJECT (row), "account");
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "check");
      gboolean is_current;

      if (account == NULL || check == NULL)
        continue;

      is_current = current != NULL && np_account_get_id (account) == np_account_get_id (current);
      gtk_widget_set_opacity (check, is_current ? 1.0 : 0.0);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_SELECTED, is_current, -1);
    }

  if (current == NULL)
    {
      gtk_label_set_label (self->name_label, _("No Account"));
      gtk_label_set_label (self->environment_label, "");
      accessible = g_strdup (_("No account in use; choose an account"));
    }
  else
    {
      gtk_label_set_label (self->name_label, np_account_get_name (current));
      gtk_label_set_label (self->environment_label, environment_label (current));
      /* Translators: the header's account button, e.g. "Account: Shop, Live" */
      accessible = g_strdup_printf (_("Account: %s, %s"), np_account_get_name (current),
                                    environment_label (current));
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
on_accounts_changed (NpAccountSwitcher *self)
{
  np_account_switcher_update (self);
}

void
np_account_switcher_set_workspace (NpAccountSwitcher *self,
                                   NpWorkspace       *workspace)
{
  g_return_if_fail (NP_IS_ACCOUNT_SWITCHER (self));
  g_return_if_fail (workspace == NULL || NP_IS_WORKSPACE (workspace));

  if (self->workspace == workspace)
    return;

  g_set_object (&self->workspace, workspace);
  g_signal_group_set_target (self->workspace_signals, workspace);
  g_binding_group_set_source (self->workspace_bindings, workspace);
  g_signal_group_set_target (self->accounts_signals, workspace ? np_workspace_get_accounts (workspace) : NULL);

  if (workspace != NULL)
    gtk_list_box_bind_model (self->list, G_LIST_MODEL (np_workspace_get_accounts (workspace)), create_row, NULL, NULL);
  else
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);

  np_account_switcher_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
}

static void
on_row_activated (NpAccountSwitcher *self,
                  GtkListBoxRow     *row,
                  GtkListBox        *list)
{
  NpAccount *account = g_object_get_data (G_OBJECT (row), "account");

  gtk_popover_popdown (self->popover);
  if (account != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.switch-account", "x", np_account_get_id (account));
}

static void
on_manage_clicked (NpAccountSwitcher *self)
{
  gtk_popover_popdown (self->popover);
}

static void
np_account_switcher_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  NpAccountSwitcher *self = NP_ACCOUNT_SWITCHER (object);

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
np_account_switcher_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  NpAccountSwitcher *self = NP_ACCOUNT_SWITCHER (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      np_account_switcher_set_workspace (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_account_switcher_dispose (GObject *object)
{
  NpAccountSwitcher *self = NP_ACCOUNT_SWITCHER (object);

  g_clear_object (&self->workspace_signals);
  g_clear_object (&self->accounts_signals);
  g_clear_object (&self->workspace_bindings);
  gtk_widget_dispose_template (GTK_WIDGET (self), NP_TYPE_ACCOUNT_SWITCHER);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (np_account_switcher_parent_class)->dispose (object);
}

static void
np_account_switcher_class_init (NpAccountSwitcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = np_account_switcher_get_property;
  object_class->set_property = np_account_switcher_set_property;
  object_class->dispose = np_account_switcher_dispose;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         NP_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/accounts/np-account-switcher.ui");
  gtk_widget_class_bind_template_child (widget_class, NpAccountSwitcher, button);
  gtk_widget_class_bind_template_child (widget_class, NpAccountSwitcher, popover);
  gtk_widget_class_bind_template_child (widget_class, NpAccountSwitcher, list);
  gtk_widget_class_bind_template_child (widget_class, NpAccountSwitcher, live_label);
  gtk_widget_class_bind_template_child (widget_class, NpAccountSwitcher, name_label);
  gtk_widget_class_bind_template_child (widget_class, NpAccountSwitcher, environment_label);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_manage_clicked);
}

static void
np_account_switcher_init (NpAccountSwitcher *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* What the switcher follows, connected once; set_workspace () only moves the targets. */
  self->workspace_signals = g_signal_group_new (NP_TYPE_WORKSPACE);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::account",
                                  G_CALLBACK (np_account_switcher_update), self);
  self->accounts_signals = g_signal_group_new (NP_TYPE_ACCOUNTS);
  /* After the list box's own handler (connected by bind_model) made the rows. */
  g_signal_group_connect_data (self->accounts_signals, "items-changed", G_CALLBACK (on_accounts_changed), self,
                               NULL, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  /* The "LIVE" pill is shown exactly while the workspace is live. */
  self->workspace_bindings = g_binding_group_new ();
  g_binding_group_bind (self->workspace_bindings, "live", self->live_label, "visible", G_BINDING_SYNC_CREATE);
  np_account_switcher_update (self);
}
