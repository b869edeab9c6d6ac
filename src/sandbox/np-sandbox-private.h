/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sandbox-private.h — what the sandbox's handler files share with the server.
 *
 * The server object owns the SoupServer, the store, the keys, the fault rules and
 * the counters; the handlers (np-sandbox-api.c, -pages.c, -faults.c) read and change
 * them on the server's own thread only.
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "np-sandbox-server.h"
#include "np-sandbox-store.h"

G_BEGIN_DECLS

typedef enum {
  NP_SANDBOX_FAULT_STATUS,       /* answer with an HTTP status, unprocessed */
  NP_SANDBOX_FAULT_LATENCY,      /* process, answer late */
  NP_SANDBOX_FAULT_MALFORMED,    /* process, answer 200 with broken JSON */
  NP_SANDBOX_FAULT_TRUNCATED,    /* process, answer with half the body and close */
  NP_SANDBOX_FAULT_DROP,         /* process, close without answering */
  NP_SANDBOX_FAULT_DROP_BEFORE,  /* close without answering or processing */
  NP_SANDBOX_FAULT_HTML,         /* answer a proxy's HTML error page, unprocessed */
  NP_SANDBOX_FAULT_FRAMEWORK,    /* refusals in the web framework's stock form:
                                  * {"name", "message", "code", "status"} */
  NP_SANDBOX_FAULT_REWRITE,      /* process, answer normally: only "set" and "request_id" apply */
} NpSandboxFaultKind;

typedef struct
{
  char               *path;    /* "/checkout/refund", or "*" for every API call */
  NpSandboxFaultKind  kind;
  guint               value;   /* the status or the milliseconds */
  int                 count;   /* answers left; negative: forever */
  JsonObject         *set;     /* for tests of hostile answers: members merged into the
                                * JSON answer, objects into objects; NULL: none */
  char               *request_id; /* replaces the X-Request-Id header; NULL: kept */
  guint               retry_after; /* Retry-After of a status:429/503, seconds; 0: 1 */
} NpSandboxFault;

typedef struct
{
  guint64 requests;      /* received, whatever became of them */
  guint64 applied;       /* changed the state (a create, a refund, ...) */
  guint64 rate_limited;  /* answered 429 by --rate-limit */
} NpSandboxStats;

/* One API call as the server saw it, for GET /sandbox/requests: when it arrived
 * and when its answer was written, in microseconds since the server started. */
typedef struct
{
  const char *path;          /* interned */
  gint64      arrived_us;
  gint64      answered_us;
  guint       status;
  guint       retry_after;   /* seconds, of a 429 or 503; 0: none */
} NpSandboxTimelineEntry;

/* The last this many API calls are kept. */
#define NP_SANDBOX_TIMELINE_MAX 100000

struct _NpSandboxServer
{
  GObject          parent_instance;

  SoupServer      *soup;
  NpSandboxStore  *store;
  char            *test_key;
  char            *live_key;
  char            *base_url;
  guint            port;
  guint            latency_ms;
  gboolean         log_to_stdout;
  NpSandboxLogFunc log_func;
  gpointer         log_data;
  GSocket         *listener; /* accepted by us, see np_sandbox_server_listen () */
  GSource         *accept_source;
  struct _NpSandboxConnections *connections;
  GPtrArray       *faults;   /* NpSandboxFault */
  GHashTable      *stats;    /* path → NpSandboxStats */

  /* --rate-limit: a token bucket per key. */
  guint            rate_limit;
  guint            rate_burst;
  GHashTable      *buckets;  /* key → NpSandboxBucket */
  /* --max-connections */
  guint            max_connections;
  guint64          refused_connections;

  gint64           started_us;
  GArray          *timeline; /* NpSandboxTimelineEntry, a ring of NP_SANDBOX_TIMELINE_MAX */
  guint            timeline_next;
};

/* Answers. @node / @object are not taken. */
void        np_sandbox_reply_json          (SoupServerMessage *msg,
                                            guint              status,
                                            JsonNode          *node);
void        np_sandbox_reply_object        (SoupServerMessage *msg,
                                            guint              status,
                                            JsonObject        *object);
void        np_sandbox_reply_error         (SoupServerMessage *msg,
                                            guint              status,
                                            const char        *code,
                                            const char        *request_id,
                                            const char        *format,
                                            ...) G_GNUC_PRINTF (5, 6);
void        np_sandbox_reply_html          (SoupServerMessage *msg,
                                            guint              status,
                                            const char        *title,
                                            const char        *body_html);

/* A response copy of a stored record, with the links that depend on our address. */
JsonObject *np_sandbox_checkout_for_reply  (NpSandboxServer   *self,
                                            JsonObject        *record);
JsonObject *np_sandbox_customer_for_reply  (NpSandboxServer   *self,
                                            JsonObject        *record);

NpSandboxStats *np_sandbox_server_stats    (NpSandboxServer   *self,
                                            const char        *path);

/* np-sandbox-api.c: a POST to /checkout/<name>. Returns TRUE when it changed the state. */
gboolean    np_sandbox_api_handle          (NpSandboxServer   *self,
                                            SoupServerMessage *msg,
                                            const char        *path,
                                            NpSandboxWorld     world,
                                            const char        *request_id);

/* np-sandbox-pages.c: /pay/<id> and /client/<id>. */
void        np_sandbox_pages_handle        (NpSandboxServer   *self,
                                            SoupServerMessage *msg,
                                            const char        *path,
                                            const char        *request_id);
/* Pays, declines or cancels; what both the page and a card_id create use. Returns
 * FALSE with a message when the checkout is not payable. */
gboolean    np_sandbox_pay_checkout        (NpSandboxServer   *self,
                                            NpSandboxWorld     world,
                                            JsonObject        *checkout,
                                            const char        *outcome,
                                            gboolean           save_card,
                                            char             **out_message);

/* POST /sandbox/pay: the page's outcome by JSON, with the key. */
void        np_sandbox_pay_handle          (NpSandboxServer   *self,
                                            SoupServerMessage *msg,
                                            NpSandboxWorld     world,
                                            const char        *request_id);

/* np-sandbox-faults.c */
void        np_sandbox_fault_free          (NpSandboxFault    *fault);
void        np_sandbox_faults_handle       (NpSandboxServer   *self,
                                            SoupServerMessage *msg,
                                            const char        *request_id);
void        np_sandbox_stats_handle        (NpSandboxServer   *self,
                                            SoupServerMessage *msg);
/* GET /sandbox/requests: the timeline of API calls. */
void        np_sandbox_requests_handle     (NpSandboxServer   *self,
                                            SoupServerMessage *msg);
/* The first rule matching @path, its count used up by one; NULL when none. Owned
 * by the caller. */
NpSandboxFault *np_sandbox_faults_take     (NpSandboxServer   *self,
                                            const char        *path);
/* Answers @msg as the fault says, or closes its connection. Returns TRUE when the
 * fault replaced the normal processing (status, html, drop-before). */
gboolean    np_sandbox_fault_apply_before  (NpSandboxServer   *self,
                                            SoupServerMessage *msg,
                                            NpSandboxFault    *fault,
                                            const char        *request_id);
/* For faults that come after processing: malformed, truncated, drop. Returns TRUE
 * when the connection was taken over (no further answer). */
gboolean    np_sandbox_fault_apply_after   (NpSandboxServer   *self,
                                            SoupServerMessage *msg,
                                            NpSandboxFault    *fault,
                                            const char        *request_id);

/* Applies the fault's "set" and "request_id" to the answer in @msg (any fault that
 * lets an answer through: rewrite, status:NNN, framework-errors...). */
void        np_sandbox_fault_rewrite       (SoupServerMessage *msg,
                                            NpSandboxFault    *fault);

/* np-sandbox-clock.c: GET and POST /sandbox/clock, and the Date header of every
 * answer (the sandbox's now). */
void        np_sandbox_clock_handle        (NpSandboxServer   *self,
                                            SoupServerMessage *msg,
                                            const char        *request_id);
void        np_sandbox_clock_set_date_header (NpSandboxServer *self,
                                            SoupServerMessage *msg);
/* "26h", "30d", "1d2h", "-90m" as seconds; FALSE when not one. */
gboolean    np_sandbox_parse_duration      (const char        *text,
                                            gint64            *out_seconds);

void        np_sandbox_server_log          (NpSandboxServer   *self,
                                            const char        *method,
                                            const char        *path,
                                            guint              status,
                                            gint64             started_us,
                                            const char        *request_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpSandboxFault, np_sandbox_fault_free)

G_END_DECLS
