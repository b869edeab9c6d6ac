/* np-window.h — the main window: sidebar, pages and toasts. */
#pragma once

#include <adwaita.h>

#include "np-application.h"

G_BEGIN_DECLS

#define NP_TYPE_WINDOW (np_window_get_type ())
G_DECLARE_FINAL_TYPE (NpWindow, np_window, NP, WINDOW, AdwApplicationWindow)

NpWindow   *np_window_new          (NpApplication *application);
/* "overview", "checkouts", "customers" or "activity". */
void        np_window_show_page    (NpWindow      *self,
                                    const char    *name);
const char *np_window_get_page     (NpWindow      *self);
void        np_window_add_toast    (NpWindow      *self,
                                    AdwToast      *toast);

G_END_DECLS
