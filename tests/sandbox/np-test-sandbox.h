/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-test-sandbox.h — a fresh sandbox for one test, in-process, on a loopback port.
 *
 * The server runs in its own thread (NpSandboxThread); the helpers here talk to it
 * over HTTP with a private synchronous session, exactly as a client would, so the
 * test's own main loop never runs server code.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "np-sandbox-server.h"

G_BEGIN_DECLS

typedef struct _NpTestSandbox NpTestSandbox;

/* 127.0.0.1, a free port, empty state, random keys. Aborts the test on failure. */
NpTestSandbox *np_test_sandbox_new                 (void);
/* The same with a state file (may be NULL) and fixed keys (NULL: random). */
NpTestSandbox *np_test_sandbox_new_full            (const char    *state_path,
                                                    const char    *test_key,
                                                    const char    *live_key,
                                                    guint          latency_ms);
/* Any options (latency, --rate-limit, --max-connections ...); the host is 127.0.0.1
 * and the port a free one. */
NpTestSandbox *np_test_sandbox_new_with_options    (const NpSandboxOptions *options);
const char    *np_test_sandbox_get_base_url        (NpTestSandbox *self);
const char    *np_test_sandbox_get_test_key        (NpTestSandbox *self);
const char    *np_test_sandbox_get_live_key        (NpTestSandbox *self);

/* POST /sandbox/faults {"path", "fault", "count"}; count < 0 means forever.
 * Faults: "status:NNN", "latency:MS", "malformed", "truncated", "drop" (after the
 * state changed), "drop-before" (before), "html". Asserts the rule was accepted. */
void           np_test_sandbox_add_fault           (NpTestSandbox *self,
                                                    const char    *path,
                                                    const char    *fault,
                                                    int            count);
/* POST /sandbox/faults with a whole rule as JSON, for what add_fault cannot say:
 * {"path", "fault": "rewrite", "set": {...}, "request_id": "..."}. Asserts it was accepted. */
void           np_test_sandbox_add_fault_rule      (NpTestSandbox *self,
                                                    const char    *rule_json);
void           np_test_sandbox_clear_faults        (NpTestSandbox *self);

/* POST /pay/<id> outcome=success|decline|cancel, as the payment page's buttons do
 * (the card is saved when the checkout allows it). TRUE when the sandbox accepted it. */
gboolean       np_test_sandbox_pay                 (NpTestSandbox *self,
                                                    const char    *checkout_id,
                                                    const char    *outcome);

/* From GET /sandbox/stats: requests that reached @path ("/checkout/refund"; pages
 * are "/pay" and "/client"), and how many of them changed the state. */
guint          np_test_sandbox_count_requests      (NpTestSandbox *self,
                                                    const char    *path);
guint          np_test_sandbox_count_applied       (NpTestSandbox *self,
                                                    const char    *path);

/* Calls of @path answered 429 by the rate limit, and connections closed by
 * --max-connections, from GET /sandbox/stats. */
guint          np_test_sandbox_count_rate_limited  (NpTestSandbox *self,
                                                    const char    *path);
guint          np_test_sandbox_count_refused_connections (NpTestSandbox *self);
/* GET /sandbox/requests: every API call the server answered, oldest first, as
 * {"path", "status", "arrived_us", "answered_us", "retry_after"?}; times in µs
 * since the server started. */
JsonArray     *np_test_sandbox_get_requests        (NpTestSandbox *self);

/* A synchronous API call with the test key: POST @path with @json_body; returns the
 * HTTP status and, in @out_body, the parsed answer (NULL when not JSON). */
guint          np_test_sandbox_call                (NpTestSandbox *self,
                                                    const char    *path,
                                                    const char    *json_body,
                                                    JsonNode     **out_body);

/* GET /sandbox/clock (@json_body NULL) or POST it; returns the HTTP status and the
 * answer in @out_body (may be NULL). */
guint          np_test_sandbox_clock               (NpTestSandbox *self,
                                                    const char    *json_body,
                                                    JsonNode     **out_body);
/* The sandbox's now from GET /sandbox/clock, Unix seconds. */
gint64         np_test_sandbox_get_now             (NpTestSandbox *self);

void           np_test_sandbox_free                (NpTestSandbox *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpTestSandbox, np_test_sandbox_free)

G_END_DECLS
