/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-preferences-window.h — accounts and their keys. */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_PREFERENCES_WINDOW (np_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (NpPreferencesWindow, np_preferences_window, NP, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Property "workspace" (construct-only): its accounts are listed and edited. */
NpPreferencesWindow *np_preferences_window_new (GtkWindow   *parent,
                                                NpWorkspace *workspace);

G_END_DECLS
