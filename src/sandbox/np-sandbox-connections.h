/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sandbox-connections.h — the sandbox's own bookkeeping of client connections.
 *
 * libsoup 3.2 (Debian 12) never notices when a client closes a kept-alive
 * connection while it waits for the next request: the descriptor and libsoup's
 * objects for it stay until the process runs out of descriptors. The sandbox
 * therefore accepts connections itself, hands them to libsoup, and watches each
 * one between requests; when the client hangs up there, it takes the connection
 * back from libsoup (which then lets go of it) and closes it.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _NpSandboxConnections NpSandboxConnections;

NpSandboxConnections *np_sandbox_connections_new              (void);
/* Closes nothing (libsoup closes its connections); stops watching. */
void                  np_sandbox_connections_free             (NpSandboxConnections *self);

/* A connection just handed to libsoup. */
void                  np_sandbox_connections_add              (NpSandboxConnections *self,
                                                               GSocket              *socket,
                                                               GSocketAddress       *remote);
/* From SoupServer's request-started, request-read and request-finished. */
void                  np_sandbox_connections_request_started  (NpSandboxConnections *self,
                                                               SoupServerMessage    *msg);
void                  np_sandbox_connections_request_read     (NpSandboxConnections *self,
                                                               SoupServerMessage    *msg);
void                  np_sandbox_connections_request_finished (NpSandboxConnections *self,
                                                               SoupServerMessage    *msg);
/* How many connections from @remote's address (any port) are open. */
guint                 np_sandbox_connections_count_address    (NpSandboxConnections *self,
                                                               GSocketAddress       *remote);
/* Before taking @msg's connection away from libsoup (an injected fault). */
void                  np_sandbox_connections_forget           (NpSandboxConnections *self,
                                                               SoupServerMessage    *msg);

G_END_DECLS
