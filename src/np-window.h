/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-window.h — the main window: sidebar, pages, the account in the header, toasts. */
#pragma once

#include <adwaita.h>

#include "np-application.h"
#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_WINDOW (np_window_get_type ())
G_DECLARE_FINAL_TYPE (NpWindow, np_window, NP, WINDOW, AdwApplicationWindow)

/* The window takes the application's workspace (property "workspace") and hands it
 * to every page. */
NpWindow    *np_window_new           (NpApplication *application);
NpWorkspace *np_window_get_workspace (NpWindow      *self);
void         np_window_set_workspace (NpWindow      *self,
                                      NpWorkspace   *workspace);
/* "overview", "checkouts", "customers" or "activity". */
void         np_window_show_page     (NpWindow      *self,
                                      const char    *name);
const char  *np_window_get_page      (NpWindow      *self);
void         np_window_add_toast     (NpWindow      *self,
                                      AdwToast      *toast);

G_END_DECLS
