/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-team-ledger.h — one PostgreSQL database shared by every desk of a team.
 *
 * The team ledger holds what the local NpLedger holds for one desk, for all of
 * them: the accounts (never a key), the last JSON seen of each checkout and
 * customer, and the journal of every operation from every desk, with the desk's
 * name, OS user and host. Its pending rows are the cross-desk lock: the database
 * refuses a second pending operation on an object (a partial unique index), so
 * two desks cannot refund one checkout at the same moment.
 *
 * libpq runs on a worker thread that owns the connection; the caller's thread
 * never waits on the network. Every call is an async/finish pair taking a
 * GCancellable: cancelling sends the server a cancel request and the call ends
 * with G_IO_ERROR_CANCELLED. Calls run one after another, in the order made.
 *
 * The password is given to connect and used for that connection only; it is
 * never kept, written or logged. Schema: data/team-ledger.sql, compiled in.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "np-journal-entry.h"

G_BEGIN_DECLS

#define NP_TEAM_LEDGER_ERROR (np_team_ledger_error_quark ())

typedef enum {
  NP_TEAM_LEDGER_ERROR_INVALID,          /* bad input (target, id, amount...): nothing was sent */
  NP_TEAM_LEDGER_ERROR_INSECURE,         /* neither TLS nor a Unix socket or loopback */
  NP_TEAM_LEDGER_ERROR_UNREACHABLE,      /* no server answered (refused, unknown host, timeout) */
  NP_TEAM_LEDGER_ERROR_AUTHENTICATION,   /* the password, or the role, was refused */
  NP_TEAM_LEDGER_ERROR_UNKNOWN_DATABASE, /* the server has no such database */
  NP_TEAM_LEDGER_ERROR_SERVER_TOO_OLD,   /* below PostgreSQL 13 */
  NP_TEAM_LEDGER_ERROR_TLS,              /* TLS required but unavailable, or a certificate problem */
  NP_TEAM_LEDGER_ERROR_PERMISSION,       /* the role lacks a right it needs (connect, schema, table) */
  NP_TEAM_LEDGER_ERROR_NO_SCHEMA,        /* no (or an older) team ledger, and creating it was not allowed */
  NP_TEAM_LEDGER_ERROR_SCHEMA_TOO_NEW,   /* made by a newer console than this one */
  NP_TEAM_LEDGER_ERROR_MIGRATION,        /* creating or migrating the schema failed (nothing changed) */
  NP_TEAM_LEDGER_ERROR_NOT_CONNECTED,    /* no connection, or no ensured schema yet */
  NP_TEAM_LEDGER_ERROR_CONNECTION_LOST,  /* the connection broke during the call */
  NP_TEAM_LEDGER_ERROR_LOCKED,           /* another operation on the object is in flight: the message says whose */
  NP_TEAM_LEDGER_ERROR_NOT_PENDING,      /* no such journal entry, or it already has an outcome */
  NP_TEAM_LEDGER_ERROR_QUERY,            /* any other statement failure, with the server's words */
  NP_TEAM_LEDGER_ERROR_APPROVAL_REQUIRED, /* a refund above the account's limit: a refund request was made instead, nothing sent */
  NP_TEAM_LEDGER_ERROR_APPROVAL_REFUSED,  /* the database refused a decision (own request, not open, expired, mismatch) */
  NP_TEAM_LEDGER_ERROR_TAMPERED,          /* the audit chain does not match: the message names the first row */
} NpTeamLedgerError;

GQuark       np_team_ledger_error_quark             (void);

/* The newest schema this console knows: the last "-- @migration N" of team-ledger.sql. */
#define NP_TEAM_LEDGER_SCHEMA_VERSION 6
/* How long a desk's pending rows stay pending without a renewed lease. */
#define NP_TEAM_LEDGER_DEFAULT_LEASE_SECONDS 60

typedef enum {
  NP_TEAM_OBJECT_CHECKOUT,
  NP_TEAM_OBJECT_CUSTOMER,
} NpTeamObject;

typedef enum {
  NP_TEAM_CHANGE_ACCOUNT,
  NP_TEAM_CHANGE_CHECKOUT,
  NP_TEAM_CHANGE_CUSTOMER,
  NP_TEAM_CHANGE_JOURNAL,
  NP_TEAM_CHANGE_SETTLEMENT,
} NpTeamChangeKind;

/* One changed row, as read by np_team_ledger_read_changes_async (). */
typedef struct {
  gint64            change;      /* its number in the change sequence */
  NpTeamChangeKind  kind;
  char             *account_id;
  char             *key;         /* account id, object id, or journal id as text */
  char             *row;         /* the whole row as a JSON object; a checkout's or a
                                  * customer's without its "json" member, which is: */
  char             *json;        /* the object's JSON text (checkouts, customers), else NULL */
} NpTeamChange;

void         np_team_change_free                    (NpTeamChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpTeamChange, np_team_change_free)

#define NP_TYPE_TEAM_LEDGER (np_team_ledger_get_type ())
G_DECLARE_FINAL_TYPE (NpTeamLedger, np_team_ledger, NP, TEAM_LEDGER, GObject)

/* @desk_name is how other desks see this one ("FINANCE-2"); the OS user and
 * host are this process's. */
NpTeamLedger *np_team_ledger_new                    (const char   *desk_name);
const char  *np_team_ledger_get_desk_name           (NpTeamLedger *self);
const char  *np_team_ledger_get_os_user             (NpTeamLedger *self);
const char  *np_team_ledger_get_host                (NpTeamLedger *self);
/* The team ledger's own id (a UUID, np_team.ledger_info), NULL until the schema
 * was ensured: which team ledger a desk's links belong to. */
const char  *np_team_ledger_get_ledger_id           (NpTeamLedger *self);
/* This connection's lease id (a UUID), NULL before the first connect. */
const char  *np_team_ledger_get_lease_id            (NpTeamLedger *self);
/* Seconds a lease lasts without renewal (default 60); renewed at a third of it. */
void         np_team_ledger_set_lease_seconds       (NpTeamLedger *self,
                                                     guint         seconds);
guint        np_team_ledger_get_lease_seconds       (NpTeamLedger *self);

/* Validates a connection target without connecting: a libpq URI
 * (postgresql://user@host:5432/db?sslmode=verify-full) without a password in it,
 * or a pg_service.conf service name. When the URI names its hosts, a host that is
 * neither a Unix socket nor loopback must ask for TLS (sslmode require or
 * verify-*): NP_TEAM_LEDGER_ERROR_INSECURE otherwise. */
gboolean     np_team_ledger_check_target            (const char   *target,
                                                     GError      **error);

/* Connects (closing an earlier connection). @password may be NULL (peer or
 * certificate authentication). After connecting, a connection that is not TLS
 * must be over a Unix socket or to loopback, and the server must be 13 or newer.
 * Errors: INVALID, INSECURE, UNREACHABLE, AUTHENTICATION, UNKNOWN_DATABASE,
 * SERVER_TOO_OLD, TLS, PERMISSION. */
void         np_team_ledger_connect_async           (NpTeamLedger *self,
                                                     const char   *target,
                                                     const char   *password,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);
gboolean     np_team_ledger_connect_finish          (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     GError      **error);

/* Reads the schema version; creates or migrates the schema when @may_create
 * (each migration in one transaction, one desk at a time); checks this role has
 * the rights a desk needs; then takes this desk's lease and keeps renewing it on
 * the calling thread's main context. Errors: SCHEMA_TOO_NEW, NO_SCHEMA,
 * PERMISSION, MIGRATION. */
void         np_team_ledger_ensure_schema_async     (NpTeamLedger *self,
                                                     gboolean      may_create,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);
/* Returns the schema version in use (NP_TEAM_LEDGER_SCHEMA_VERSION), 0 on error. */
int          np_team_ledger_ensure_schema_finish    (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     GError      **error);

/* Adds or updates a shared account. @account_id is its stable UUID;
 * @environment is "test" or "live". No key is ever given here. */
void         np_team_ledger_upsert_account_async    (NpTeamLedger *self,
                                                     const char   *account_id,
                                                     const char   *name,
                                                     const char   *base_url,
                                                     const char   *environment,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);
gboolean     np_team_ledger_upsert_account_finish   (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     GError      **error);

/* Commits a PENDING journal row before the request goes out, and returns its id
 * (> 0; 0 on error). Pending rows of expired leases become UNKNOWN first. A
 * pending operation on @object_id from any desk refuses this one at once with
 * NP_TEAM_LEDGER_ERROR_LOCKED and a sentence naming that desk, its OS user, the
 * operation and since when. @object_id is NULL only for the creates. @amount is
 * in minor units of @currency, or -1 (and @currency NULL) for none. */
void         np_team_ledger_begin_operation_async   (NpTeamLedger       *self,
                                                     const char         *account_id,
                                                     NpJournalOperation  operation,
                                                     const char         *object_id,
                                                     gint64              amount,
                                                     const char         *currency,
                                                     const char         *summary,
                                                     JsonObject         *details,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gint64       np_team_ledger_begin_operation_finish  (NpTeamLedger       *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);

/* Records the outcome: @state SUCCEEDED, FAILED or UNKNOWN; @error_text for the
 * last two; @object_id fills in what a create made (NULL keeps it). A row that
 * is no longer pending (another desk found this desk's lease expired) gives
 * NP_TEAM_LEDGER_ERROR_NOT_PENDING. */
void         np_team_ledger_finish_operation_async  (NpTeamLedger       *self,
                                                     gint64              entry_id,
                                                     NpJournalState      state,
                                                     const char         *error_text,
                                                     const char         *object_id,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean     np_team_ledger_finish_operation_finish (NpTeamLedger       *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);

/* Renews this desk's lease now (ensure_schema starts renewing it by itself). */
void         np_team_ledger_renew_lease_async       (NpTeamLedger *self,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);
gboolean     np_team_ledger_renew_lease_finish      (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     GError      **error);

/* Turns the pending rows of every desk whose lease has expired (by the server's
 * clock) into UNKNOWN; returns how many in @out_count. */
void         np_team_ledger_expire_leases_async     (NpTeamLedger *self,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);
gboolean     np_team_ledger_expire_leases_finish    (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     guint        *out_count,
                                                     GError      **error);

/* Stores the last JSON seen of a checkout or customer (its "id", or else its
 * "checkout_id" or "customer_id" member names it),
 * stamped with now and this desk. */
void         np_team_ledger_upsert_object_async     (NpTeamLedger *self,
                                                     NpTeamObject  kind,
                                                     const char   *account_id,
                                                     JsonObject   *json,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);
gboolean     np_team_ledger_upsert_object_finish    (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     GError      **error);

/* Adds or updates many checkouts or customers of @account_id in one
 * transaction (multi-row INSERT … ON CONFLICT in batches): @ids and @jsons
 * (JSON object texts) run in parallel. Either all are stored or none. Every id
 * is checked before anything is sent. */
void         np_team_ledger_upsert_objects_async    (NpTeamLedger *self,
                                                     NpTeamObject  kind,
                                                     const char   *account_id,
                                                     GPtrArray    *ids,
                                                     GPtrArray    *jsons,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);
gboolean     np_team_ledger_upsert_objects_finish   (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     GError      **error);
/* The same, giving the numbers in the change sequence that the upload's rows
 * now have (gint64, in the order written). */
gboolean     np_team_ledger_upsert_objects_finish_changes (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     GArray      **out_changes,
                                                     GError      **error);

/* The same, for objects this desk saw while the team ledger was away: @seen
 * (gint64, Unix µs) says when each was seen, and a row replaces the team's only
 * when the team's was seen earlier, so a newer refresh at another desk stays.
 * Finished with np_team_ledger_upsert_objects_finish (). */
void         np_team_ledger_upsert_seen_objects_async (NpTeamLedger *self,
                                                     NpTeamObject  kind,
                                                     const char   *account_id,
                                                     GPtrArray    *ids,
                                                     GPtrArray    *jsons,
                                                     GArray       *seen,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);

/* The rows changed after change number @since, oldest first, at most @limit
 * (of NpTeamChange). A row changed twice appears once, at its last change. */
void         np_team_ledger_read_changes_async      (NpTeamLedger *self,
                                                     gint64        since,
                                                     guint         limit,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);
GPtrArray   *np_team_ledger_read_changes_finish     (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     GError      **error);

/* LISTENs on np_team_change now (once per connection): every commit from here
 * on is announced to the next wait_change, even one made before that wait
 * starts. A desk LISTENs before its catch-up read, or a commit between the read
 * and the LISTEN reaches it with no later change. Needs connect only. */
void         np_team_ledger_listen_async            (NpTeamLedger *self,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);
gboolean     np_team_ledger_listen_finish           (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     GError      **error);

/* Live updates, on a connection of its own (it waits on the socket): LISTENs
 * on np_team_change (once per connection) and waits until another desk's (or
 * this desk's) commit announces a change, @cancellable fires or @timeout_ms
 * pass. Returns the highest change number announced, 0 when the wait timed out,
 * -1 on error (CONNECTION_LOST when the server went away). Needs connect only. */
void         np_team_ledger_wait_change_async       (NpTeamLedger *self,
                                                     guint         timeout_ms,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);
gint64       np_team_ledger_wait_change_finish      (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     GError      **error);

/* Records that a refresh saw @status_seen for every unsettled UNKNOWN journal
 * row of @object_id (a settlement beside each, the rows never change). */
void         np_team_ledger_settle_object_async     (NpTeamLedger *self,
                                                     const char   *account_id,
                                                     const char   *object_id,
                                                     const char   *status_seen,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);
gboolean     np_team_ledger_settle_object_finish    (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     GError      **error);

/* Every shared account, as NpTeamChange rows of kind ACCOUNT (a desk reads them
 * before the change sequence, which names accounts by id). */
void         np_team_ledger_list_accounts_async     (NpTeamLedger *self,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer      user_data);
GPtrArray   *np_team_ledger_list_accounts_finish    (NpTeamLedger *self,
                                                     GAsyncResult *result,
                                                     GError      **error);

/* Four-eyes refunds (migration 3). A person is a database login role: the
 * database refuses a decision on a request by the role that made it. */

/* Refunds of @account_id in @currency above @amount (minor units) need a second
 * person's approval; their requests expire after @lifetime_seconds (0 when
 * made; the default is 7 days: NP_TEAM_LEDGER_DEFAULT_REQUEST_LIFETIME). */
#define NP_TEAM_LEDGER_DEFAULT_REQUEST_LIFETIME (7 * 24 * 3600)
void         np_team_ledger_set_approval_limit_async  (NpTeamLedger *self,
                                                       const char   *account_id,
                                                       const char   *currency,
                                                       gint64        amount,
                                                       gint64        lifetime_seconds,
                                                       GCancellable *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer      user_data);
gboolean     np_team_ledger_set_approval_limit_finish (NpTeamLedger *self,
                                                       GAsyncResult *result,
                                                       GError      **error);

/* The account's limits as a JSON array of {currency, amount, request_lifetime_seconds}. */
void         np_team_ledger_list_approval_limits_async  (NpTeamLedger *self,
                                                         const char   *account_id,
                                                         GCancellable *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer      user_data);
JsonArray   *np_team_ledger_list_approval_limits_finish (NpTeamLedger *self,
                                                         GAsyncResult *result,
                                                         GError      **error);

typedef enum {
  NP_TEAM_DECISION_REJECT,     /* by someone other than the requester */
  NP_TEAM_DECISION_WITHDRAW,   /* by the requester, while open */
} NpTeamDecision;

/* Rejects or withdraws an open refund request with @comment; returns the
 * decision's id (> 0). Approving is a refund whose details hold
 * "approves_request" (the request's id) and "approval_comment": its pending
 * journal row and the decision are committed together, so the refund goes
 * through the same journalled path and lock as any other.
 * Errors: APPROVAL_REFUSED with the database's reason. */
void         np_team_ledger_decide_request_async      (NpTeamLedger   *self,
                                                       gint64          request_id,
                                                       NpTeamDecision  decision,
                                                       const char     *comment,
                                                       GCancellable   *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer        user_data);
gint64       np_team_ledger_decide_request_finish     (NpTeamLedger   *self,
                                                       GAsyncResult   *result,
                                                       GError        **error);

/* The refund requests of @account_id (every one when @open_only is FALSE), newest
 * first, as a JSON array of objects: id, object_id, amount, currency, reason,
 * summary, requester, desk, os_user, requested, expires, state ("open",
 * "approved", "rejected", "withdrawn" or "expired"), and for a decided one
 * decision_id, decider, decided_desk, decided_os_user, comment, journal_id. */
void         np_team_ledger_list_refund_requests_async  (NpTeamLedger *self,
                                                         const char   *account_id,
                                                         gboolean      open_only,
                                                         GCancellable *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer      user_data);
JsonArray   *np_team_ledger_list_refund_requests_finish (NpTeamLedger *self,
                                                         GAsyncResult *result,
                                                         GError      **error);

/* The refund requests of @account_id decided in [@start, @end) (Unix seconds),
 * for the end-of-day report (np_day_report_set_approvals ()): a JSON array of
 * objects request_id, decided (Unix seconds), decision ("approved", "rejected",
 * "withdrawn", or "expired" for a request left open past its expiry in the
 * range), object_id, amount, currency, requester, approver (NULL when expired),
 * comment; oldest first. */
void         np_team_ledger_list_day_approvals_async  (NpTeamLedger *self,
                                                       const char   *account_id,
                                                       gint64        start,
                                                       gint64        end,
                                                       GCancellable *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer      user_data);
JsonArray   *np_team_ledger_list_day_approvals_finish (NpTeamLedger *self,
                                                       GAsyncResult *result,
                                                       GError      **error);

/* The audit chain (migration 4): every journal row finished since carries a
 * SHA-256 link over its content and the previous link of its account (see
 * np-journal-chain.h), computed by the desk that finished it. Verifying walks
 * the chain of @account_id (NULL: every account) in one snapshot and recomputes
 * each link; TAMPERED names the first row that does not match (an edit, a
 * deleted or reordered row, a finished row taken out of the chain), and
 * @out_bad_entry gives its id. @out_head is the last link's hash ("" for none).
 * Needs connect only (the schema's version and rights are checked; no lease). */
void         np_team_ledger_verify_chain_async        (NpTeamLedger   *self,
                                                       const char     *account_id,
                                                       GCancellable   *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer        user_data);
gboolean     np_team_ledger_verify_chain_finish       (NpTeamLedger   *self,
                                                       GAsyncResult   *result,
                                                       guint          *out_n_rows,
                                                       char          **out_head,
                                                       gint64         *out_bad_entry,
                                                       GError        **error);
/* The head of @account_id's audit chain as it stands, without walking it (for
 * the end-of-day report's footer, so a filed copy can be checked against the
 * team ledger later): @out_seq the last link's place in the chain (1, 2, …; 0
 * for an empty chain), @out_hash its hash ("" for none). Needs the schema. */
void         np_team_ledger_get_chain_head_async      (NpTeamLedger   *self,
                                                       const char     *account_id,
                                                       GCancellable   *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer        user_data);
gboolean     np_team_ledger_get_chain_head_finish     (NpTeamLedger   *self,
                                                       GAsyncResult   *result,
                                                       gint64         *out_seq,
                                                       char          **out_hash,
                                                       GError        **error);

G_END_DECLS
