/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sandbox-thread.h — a sandbox server running in a thread of its own.
 *
 * The console's embedded sandbox and the tests use this: the server gets its own
 * GMainContext, so it answers even while the caller's loop is blocked in a
 * synchronous call, and a test's waits never run server code by accident.
 */
#pragma once

#include "np-sandbox-server.h"

G_BEGIN_DECLS

#define NP_TYPE_SANDBOX_THREAD (np_sandbox_thread_get_type ())
G_DECLARE_FINAL_TYPE (NpSandboxThread, np_sandbox_thread, NP, SANDBOX_THREAD, GObject)

/* Returns once the server listens (or failed to). @host NULL means 127.0.0.1;
 * @port 0 picks a free port. A log_func in @options is called on the server's
 * thread. */
NpSandboxThread *np_sandbox_thread_start          (const NpSandboxOptions  *options,
                                                   const char              *host,
                                                   guint                    port,
                                                   GError                 **error);
const char      *np_sandbox_thread_get_base_url   (NpSandboxThread         *self);
const char      *np_sandbox_thread_get_test_key   (NpSandboxThread         *self);
const char      *np_sandbox_thread_get_live_key   (NpSandboxThread         *self);
/* Stops the server (its state is already saved) and joins the thread. Idempotent;
 * also done on dispose. */
void             np_sandbox_thread_stop           (NpSandboxThread         *self);

G_END_DECLS
