/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-account-first-run-page.c — the first minute without any account.
 *
 * "Try the Sandbox" starts the embedded sandbox, which adds a Sandbox test account
 * with its key and makes it current (exactly what --sandbox does); the window then
 * replaces this page with the console. With "Add Sample Data" on (the default), an
 * empty sandbox then gets the sample data (np_workspace_add_sample_data_async ()),
 * whose progress the Overview shows. "Connect an Account" is the window's
 * win.connect-account action (the account editor).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-account-first-run-page.h"

struct _NpAccountFirstRunPage
{
  AdwBin        parent_instance;

  GtkWidget    *sandbox_button;
  GtkWidget    *connect_button;
  GtkSwitch    *sample_switch;
  GtkSpinner   *spinner;
  GtkLabel     *message_label;

  NpWorkspace  *workspace;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (NpAccountFirstRunPage, np_account_first_run_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WORKSPACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

NpWorkspace *
np_account_first_run_page_get_workspace (NpAccountFirstRunPage *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNT_FIRST_RUN_PAGE (self), NULL);

  return self->workspace;
}

void
np_account_first_run_page_set_workspace (NpAccountFirstRunPage *self,
                                         NpWorkspace           *workspace)
{
  g_return_if_fail (NP_IS_ACCOUNT_FIRST_RUN_PAGE (self));
  g_return_if_fail (workspace == NULL || NP_IS_WORKSPACE (workspace));

  if (g_set_object (&self->workspace, workspace))
    {
      gtk_widget_set_sensitive (self->sandbox_button, workspace != NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
    }
}

static void
set_busy (NpAccountFirstRunPage *self,
          gboolean               busy)
{
  gtk_widget_set_sensitive (self->sandbox_button, !busy && self->workspace != NULL);
  gtk_widget_set_sensitive (self->connect_button, !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

static void
show_message (NpAccountFirstRunPage *self,
              const char            *message,
              gboolean               is_error)
{
  gtk_label_set_label (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

static void
on_sandbox_started (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(NpAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  NpAccountFirstRunPage *self;

  account = np_workspace_start_sandbox_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;  /* not cancelled, so not disposed */
  set_busy (self, FALSE);

  if (account == NULL)
    {
      g_autofree char *message = np_workspace_describe_error (error);

      show_message (self, message, TRUE);
    }
  else
    {
      show_message (self, NULL, FALSE);
      /* The run belongs to the workspace: it goes on after this page is replaced. */
      if (gtk_switch_get_active (self->sample_switch) &&
          np_workspace_can_add_sample_data (NP_WORKSPACE (source)))
        np_workspace_add_sample_data_async (NP_WORKSPACE (source), NULL, NULL, NULL);
    }
}

static void
on_sandbox_clicked (NpAccountFirstRunPage *self)
{
  if (self->workspace == NULL)
    return;

  set_busy (self, TRUE);
  show_message (self, _("Starting the sandbox…"), FALSE);
  np_workspace_start_sandbox_async (self->workspace, self->cancellable, on_sandbox_started, self);
}

static void
np_account_first_run_page_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  NpAccountFirstRunPage *self = NP_ACCOUNT_FIRST_RUN_PAGE (object);

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
np_account_first_run_page_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  NpAccountFirstRunPage *self = NP_ACCOUNT_FIRST_RUN_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      np_account_first_run_page_set_workspace (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_account_first_run_page_dispose (GObject *object)
{
  NpAccountFirstRunPage *self = NP_ACCOUNT_FIRST_RUN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NP_TYPE_ACCOUNT_FIRST_RUN_PAGE);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (np_account_first_run_page_parent_class)->dispose (object);
}

static void
np_account_first_run_page_class_init (NpAccountFirstRunPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = np_account_first_run_page_get_property;
  object_class->set_property = np_account_first_run_page_set_property;
  object_class->dispose = np_account_first_run_page_dispose;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         NP_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/views/accounts/np-account-first-run-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NpAccountFirstRunPage, sandbox_button);
  gtk_widget_class_bind_template_child (widget_class, NpAccountFirstRunPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, NpAccountFirstRunPage, sample_switch);
  gtk_widget_class_bind_template_child (widget_class, NpAccountFirstRunPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, NpAccountFirstRunPage, message_label);
  gtk_widget_class_bind_template_callback (widget_class, on_sandbox_clicked);
}

static void
np_account_first_run_page_init (NpAccountFirstRunPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (self->sandbox_button, FALSE);
}
