/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-embedded-sandbox.h — the sandbox the console runs for "Try the sandbox".
 *
 * Wraps NpSandboxThread: the server runs in a thread of this process on a free
 * loopback port, with its state in $XDG_DATA_HOME/neuropay-console/sandbox/state.json
 * so a demo survives restarts. It stops when this object is disposed.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NP_TYPE_EMBEDDED_SANDBOX (np_embedded_sandbox_get_type ())
G_DECLARE_FINAL_TYPE (NpEmbeddedSandbox, np_embedded_sandbox, NP, EMBEDDED_SANDBOX, GObject)

/* @state_dir NULL: $XDG_DATA_HOME/neuropay-console/sandbox. */
NpEmbeddedSandbox *np_embedded_sandbox_new            (const char         *state_dir);
const char        *np_embedded_sandbox_get_state_path (NpEmbeddedSandbox  *self);

/* Starts the server in its thread with @test_key (NULL: the server makes one up);
 * loading a large state file happens off the caller's thread. */
void               np_embedded_sandbox_start_async    (NpEmbeddedSandbox  *self,
                                                       const char         *test_key,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean           np_embedded_sandbox_start_finish   (NpEmbeddedSandbox  *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);
gboolean           np_embedded_sandbox_is_running     (NpEmbeddedSandbox  *self);
/* NULL while stopped. */
const char        *np_embedded_sandbox_get_base_url   (NpEmbeddedSandbox  *self);
const char        *np_embedded_sandbox_get_test_key   (NpEmbeddedSandbox  *self);
/* Saves the state and joins the thread; idempotent, also done on dispose. */
void               np_embedded_sandbox_stop           (NpEmbeddedSandbox  *self);

G_END_DECLS
