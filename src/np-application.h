/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-application.h — the console's GApplication: app-wide actions, options, startup.
 *
 * It owns the one NpLedger, NpKeyring, NpAccounts and NpWorkspace of the process;
 * windows and views reach them through np_application_get_workspace ().
 */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_APPLICATION (np_application_get_type ())
G_DECLARE_FINAL_TYPE (NpApplication, np_application, NP, APPLICATION, AdwApplication)

NpApplication *np_application_new            (void);
GSettings     *np_application_get_settings   (NpApplication *self);
/* NULL only when the ledger could not be opened (the app then says so and quits). */
NpWorkspace   *np_application_get_workspace  (NpApplication *self);
/* Starts the embedded sandbox and makes its account current, as --sandbox does. */
void           np_application_start_sandbox  (NpApplication *self);
/* TRUE for the embedded sandbox's account while the sandbox is not running. */
gboolean       np_application_is_stopped_sandbox (NpApplication *self,
                                                  NpAccount     *account);
/* Non-zero when startup failed (e.g. the ledger could not be opened); main () returns it. */
int            np_application_get_exit_status (NpApplication *self);

/* glibc's: blocks from this size are mappings of their own; free memory at
 * the heap's top is given back past the other. */
#define NP_MALLOC_MMAP_THRESHOLD (4 * 1024 * 1024)
#define NP_MALLOC_TRIM_THRESHOLD (8 * 1024 * 1024)
void           np_application_set_malloc_policy (void);
/* Adds the application's icons to the icon theme, once: before showing its icon. */
void           np_application_add_icons      (void);

G_END_DECLS
