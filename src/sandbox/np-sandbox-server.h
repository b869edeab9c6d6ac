/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sandbox-server.h — the Neuro-Pay sandbox: a stateful local server for the API.
 *
 * Speaks the nine /checkout/ calls of neuropay-api.md, serves the hosted payment
 * page (/pay/<id>) and the customer's client page (/client/<id>), and injects faults
 * on request (/sandbox/faults). Runs on the thread-default main context of the
 * thread that creates it; see NpSandboxThread to run one beside a GUI or a test.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Receives the log line of each request ("POST /checkout/refund 200 1.2ms req_…",
 * status 0 for a dropped connection), on the server's thread. */
typedef void (*NpSandboxLogFunc) (const char *line,
                                  gpointer    user_data);

typedef struct
{
  const char       *state_path;     /* NULL: state lives in memory only */
  const char       *test_key;       /* NULL: a random key is generated */
  const char       *live_key;       /* NULL: a random key is generated */
  guint             latency_ms;     /* added to every answer */
  guint             rate_limit;     /* API calls per second per key; 0: no limit. Above it:
                                     * 429 "rate_limited" with Retry-After in whole seconds */
  guint             rate_burst;     /* calls a key may make at once (the bucket's size);
                                     * 0: as many as rate_limit */
  guint             max_connections; /* open connections per client address; 0: no limit.
                                      * One more is closed as soon as it is accepted */
  gboolean          log_to_stdout;  /* one line per request on stdout */
  NpSandboxLogFunc  log_func;       /* and/or to this; neither: no request log */
  gpointer          log_data;
} NpSandboxOptions;

/* The largest request body the sandbox reads: a larger one is answered 413
 * ("payload_too_large") and not kept, whether it says its length or comes in
 * chunks. */
#define NP_SANDBOX_MAX_BODY_SIZE (1024 * 1024)

#define NP_TYPE_SANDBOX_SERVER (np_sandbox_server_get_type ())
G_DECLARE_FINAL_TYPE (NpSandboxServer, np_sandbox_server, NP, SANDBOX_SERVER, GObject)

/* Loads the state file when one is given; fails when it cannot be read. */
NpSandboxServer *np_sandbox_server_new            (const NpSandboxOptions  *options,
                                                   GError                 **error);
/* @port 0 picks a free port. */
gboolean         np_sandbox_server_listen         (NpSandboxServer         *self,
                                                   const char              *host,
                                                   guint                    port,
                                                   GError                 **error);
/* Stops accepting and closes every connection. */
void             np_sandbox_server_disconnect     (NpSandboxServer         *self);
/* "http://127.0.0.1:PORT", NULL before listening. */
const char      *np_sandbox_server_get_base_url   (NpSandboxServer         *self);
guint            np_sandbox_server_get_port       (NpSandboxServer         *self);
const char      *np_sandbox_server_get_test_key   (NpSandboxServer         *self);
const char      *np_sandbox_server_get_live_key   (NpSandboxServer         *self);

/* 32 random letters and digits, like the platform's keys. */
char            *np_sandbox_generate_key          (void);

G_END_DECLS
