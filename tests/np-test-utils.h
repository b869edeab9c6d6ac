/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-test-utils.h — what every test shares: a private home, and bounded waits.
 *
 * Waits iterate the main context until a condition holds; they never sleep for a
 * guessed time. A condition that never comes true fails the test at the deadline.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* g_test_init () plus a fresh temporary XDG data, config, cache and state dir,
 * removed at exit. */
void         np_test_init              (int          *argc,
                                        char       ***argv);
const char  *np_test_get_home          (void);

typedef gboolean (*NpTestCondition) (gpointer user_data);

/* Iterates the default main context until @condition returns TRUE; fails the test
 * after @timeout_ms. */
void         np_test_wait_until        (NpTestCondition  condition,
                                        gpointer         user_data,
                                        guint            timeout_ms,
                                        const char      *what);

/* Waits for an async call: iterates until *@result is set, then returns it. */
GAsyncResult *np_test_wait_result      (GAsyncResult   **result,
                                        guint            timeout_ms);
/* A GAsyncReadyCallback storing a ref of the result into user_data (a GAsyncResult **). */
void         np_test_store_result      (GObject         *source,
                                        GAsyncResult    *result,
                                        gpointer         user_data);

/* Reads a whole file (NULL when absent) and tells whether @needle occurs in it. */
gboolean     np_test_file_contains     (const char      *path,
                                        const char      *needle);
/* Walks @dir recursively; returns the first file containing @needle, or NULL. */
char        *np_test_find_in_tree      (const char      *dir,
                                        const char      *needle);

G_END_DECLS
