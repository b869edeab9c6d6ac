/* np-preferences-window.c — accounts and their keys. */
#include "config.h"

#include "np-preferences-window.h"

struct _NpPreferencesWindow
{
  AdwPreferencesWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (NpPreferencesWindow, np_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

NpPreferencesWindow *
np_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (NP_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
}

static void
np_preferences_window_class_init (NpPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/np-preferences-window.ui");
}

static void
np_preferences_window_init (NpPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
