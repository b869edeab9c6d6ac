/* np-preferences-window.h — accounts and their keys. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NP_TYPE_PREFERENCES_WINDOW (np_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (NpPreferencesWindow, np_preferences_window, NP, PREFERENCES_WINDOW, AdwPreferencesWindow)

NpPreferencesWindow *np_preferences_window_new (GtkWindow *parent);

G_END_DECLS
