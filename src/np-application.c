/* np-application.c — app-wide actions, command-line options and startup.
 *
 * The application owns what outlives a window: settings and, through the
 * services layer, the accounts, the ledger and the embedded sandbox.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-application.h"
#include "np-preferences-window.h"
#include "np-window.h"

struct _NpApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *base_url;     /* --base-url, for this run only */
  gboolean        use_sandbox;  /* --sandbox */
};

G_DEFINE_FINAL_TYPE (NpApplication, np_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { "sandbox", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start the embedded sandbox and connect to it"), NULL },
  { "base-url", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Use this API base URL for this run"), N_("URL") },
  { NULL }
};

NpApplication *
np_application_new (void)
{
  return g_object_new (NP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

GSettings *
np_application_get_settings (NpApplication *self)
{
  g_return_val_if_fail (NP_IS_APPLICATION (self), NULL);

  return self->settings;
}

static int
np_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  NpApplication *self = NP_APPLICATION (application);
  const char *base_url = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("neuropay-console %s\n", PACKAGE_VERSION);
      return 0;
    }

  self->use_sandbox = g_variant_dict_contains (options, "sandbox");

  if (g_variant_dict_lookup (options, "base-url", "&s", &base_url))
    {
      g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL ||
          (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
           g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
        {
          g_printerr (_("“%s” is not an http(s) URL.\n"), base_url);
          return 2;
        }

      g_free (self->base_url);
      self->base_url = g_strdup (base_url);
    }

  return -1;
}

static void
np_application_activate (GApplication *application)
{
  NpApplication *self = NP_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (np_window_new (self));

  gtk_window_present (window);
}

static void
np_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  NpApplication *self = user_data;
  static const char *developers[] = { "Neuro-Pay Console developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "title", _("About Neuro-Pay Console"),
                        "application-name", _("Neuro-Pay Console"),
                        "application-icon", APP_ID,
                        "developer-name", _("Neuro-Pay Console developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Manage checkouts, refunds and customers of the Neuro-Pay Checkout API"),
                        "website", "https://paiwise.tech",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
np_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  NpApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  NpPreferencesWindow *preferences;

  preferences = np_preferences_window_new (parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
np_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  NpApplication *self = user_data;
  GList *windows;

  /* Closing each window lets it save its state before the app goes away. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);
}

static const GActionEntry app_actions[] = {
  { "about", np_application_about_action },
  { "preferences", np_application_preferences_action },
  { "quit", np_application_quit_action },
};

static void
np_application_startup (GApplication *application)
{
  NpApplication *self = NP_APPLICATION (application);

  G_APPLICATION_CLASS (np_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
}

static void
np_application_finalize (GObject *object)
{
  NpApplication *self = NP_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (np_application_parent_class)->finalize (object);
}

static void
np_application_class_init (NpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = np_application_finalize;

  app_class->handle_local_options = np_application_handle_local_options;
  app_class->startup = np_application_startup;
  app_class->activate = np_application_activate;
}

static void
np_application_init (NpApplication *self)
{
  self->settings = g_settings_new (APP_ID);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("A desktop console for the Neuro-Pay Checkout API."));
}
