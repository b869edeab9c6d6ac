/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-app-common.h — what the ui tests share: the real NpApplication and its
 * window on the embedded sandbox (shortcuts, layout, Swedish), and for every ui
 * test the widget lookups, waits and screenshots. */
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

/* A test of one widget, for the walks of a widget tree below. */
typedef gboolean (*AppWidgetMatch) (GtkWidget     *widget,
                                    gconstpointer  data);
/* Every widget under @root, itself included, that @match accepts, in tree order. */
void           app_collect_widgets    (GtkWidget      *root,
                                       AppWidgetMatch  match,
                                       gconstpointer   data,
                                       GPtrArray      *found);
/* The first of them, or NULL. */
GtkWidget     *app_find_widget        (GtkWidget      *root,
                                       AppWidgetMatch  match,
                                       gconstpointer   data);
/* Matches a widget of the GType @data holds (GSIZE_TO_POINTER), mapped or not. */
gboolean       app_match_type         (GtkWidget      *widget,
                                       gconstpointer   data);
/* Matches a mapped GtkLabel whose text is @data. */
gboolean       app_match_mapped_label (GtkWidget      *widget,
                                       gconstpointer   data);

GtkWidget     *app_find_descendant    (GtkWidget     *root,
                                       GType          type);
/* The window's sidebar of pages. */
GtkWidget     *app_find_sidebar       (GtkWidget     *root);
/* A mapped GtkLabel (or GtkInscription) under @root whose text contains @text, or NULL. */
GtkWidget     *app_find_label         (GtkWidget     *root,
                                       const char    *text);
/* The mapped toplevel of @type, or NULL; and a wait for one. */
GtkWindow     *app_find_toplevel      (GType          type);
GtkWindow     *app_wait_toplevel      (GType          type);
void           app_wait_toplevel_gone (GType          type);
/* np_test_wait_until () conditions on a GtkWidget. */
gboolean       app_widget_mapped      (gpointer       widget);
gboolean       app_widget_unmapped    (gpointer       widget);
/* A window of @width x @height showing @child, with @actions (NULL: none) as its
 * "win" actions on @user_data; presented, and returned once @page is mapped. */
GtkWindow     *app_present_in_window  (GtkWidget          *child,
                                       GtkWidget          *page,
                                       int                 width,
                                       int                 height,
                                       const GActionEntry *actions,
                                       guint               n_actions,
                                       gpointer            user_data);
/* Lets layout and drawing settle (bounded main-loop iteration, not a sleep). */
void           app_settle             (void);
/* Resizes the window and waits until it has that size. */
void           app_resize             (GtkWindow     *window,
                                       int            width,
                                       int            height);
/* Waits until @widget's window has painted twice after a change (a style switch,
 * new rows), so what follows sees what a person would. */
void           app_wait_for_paint     (GtkWidget     *widget);
/* Saves a PNG of @window under $NP_SCREENSHOT_DIR/@name when that is set. */
void           app_save_screenshot    (GtkWindow     *window,
                                       const char    *name);
/* The same for the window @widget is in. */
void           app_save_widget_screenshot (GtkWidget *widget,
                                           const char *name);

G_END_DECLS
