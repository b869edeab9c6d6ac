/* test-app-common.h — what the whole-window ui tests (shortcuts, layout, Swedish)
 * share: the real NpApplication and its window on the embedded sandbox, lookups,
 * waits and screenshots. */
#pragma once

#include <adwaita.h>

#include "np-application.h"
#include "np-test-utils.h"
#include "np-window.h"

G_BEGIN_DECLS

#define APP_TIMEOUT_MS 30000

/* Starts the application (non-unique), activates it, and goes through the first run
 * with "Try the Sandbox" so the window has the Sandbox account. */
NpApplication *app_start              (void);
void           app_quit               (NpApplication *app);
NpWindow      *app_get_window         (NpApplication *app);
/* Creates a checkout of @amount minor units of @currency through the workspace
 * (real sandbox, real ledger) and returns its id. */
char          *app_create_checkout    (NpApplication *app,
                                       gint64         amount,
                                       const char    *currency);

GtkWidget     *app_find_descendant    (GtkWidget     *root,
                                       GType          type);
/* The window's sidebar of pages. */
GtkWidget     *app_find_sidebar       (GtkWidget     *root);
/* A mapped GtkLabel under @root whose text contains @text, or NULL. */
GtkWidget     *app_find_label         (GtkWidget     *root,
                                       const char    *text);
/* The mapped toplevel of @type, or NULL; and a wait for one. */
GtkWindow     *app_find_toplevel      (GType          type);
GtkWindow     *app_wait_toplevel      (GType          type);
/* Lets layout and drawing settle (bounded main-loop iteration, not a sleep). */
void           app_settle             (void);
/* Resizes the window and waits until it has that size. */
void           app_resize             (GtkWindow     *window,
                                       int            width,
                                       int            height);
/* Saves a PNG of @window under $NP_SCREENSHOT_DIR/@name when that is set. */
void           app_save_screenshot    (GtkWindow     *window,
                                       const char    *name);

G_END_DECLS
