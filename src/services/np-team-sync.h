/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-team-sync.h — team mode: the local ledger mirrored to a team ledger on PostgreSQL.
 *
 * The local SQLite ledger stays what the lists read. When the desk has joined a
 * team ledger (NpTeamLedger) and is ONLINE, NpTeamSync writes this desk's
 * operations and refreshes there, applies other desks' changes (LISTEN/NOTIFY,
 * then the change sequence from the last change applied) to the local ledger,
 * and gives NpWorkspace the cross-desk lock: a mutation first commits its pending
 * row in the team ledger. OFFLINE or CONNECTING, mutations are refused with the
 * reason, reads go on from the local ledger, and the connection is tried again
 * with backoff (1 s doubling to 60 s).
 *
 * The target and the desk name are in GSettings; the password only in the
 * keyring, under its own schema (np_team_keyring_get_schema ()).
 */
#pragma once

#include <gio/gio.h>

#include "np-accounts.h"
#include "np-ledger.h"
#include "np-day-report.h"
#include "np-team-ledger.h"

G_BEGIN_DECLS

typedef enum {
  NP_TEAM_STATE_OFF,         /* local ledger only (the default) */
  NP_TEAM_STATE_CONNECTING,  /* joining, or reconnecting after a loss (with backoff) */
  NP_TEAM_STATE_ONLINE,      /* connected, schema ensured, lease held, live updates on */
  NP_TEAM_STATE_OFFLINE,     /* configured but unreachable: reads from the local cache, mutations refused */
} NpTeamState;

GType        np_team_state_get_type       (void);
#define NP_TYPE_TEAM_STATE (np_team_state_get_type ())

#define NP_TYPE_TEAM_SYNC (np_team_sync_get_type ())
G_DECLARE_FINAL_TYPE (NpTeamSync, np_team_sync, NP, TEAM_SYNC, GObject)

NpTeamSync  *np_team_sync_new             (NpLedger     *ledger,
                                           NpAccounts   *accounts);
NpTeamState  np_team_sync_get_state       (NpTeamSync   *self);          /* property "state", notified */
const char  *np_team_sync_get_target      (NpTeamSync   *self);          /* property "target": URI or service name, NULL when OFF */
const char  *np_team_sync_get_desk_name   (NpTeamSync   *self);          /* property "desk-name" */
/* Property "status-text": a sentence for the header/Preferences, e.g. "Team
 * ledger offline: the server does not answer. Trying again in 8 s." NULL when OFF. */
const char  *np_team_sync_get_status_text (NpTeamSync   *self);

/* Test Connection: connects a throwaway NpTeamLedger, checks the schema (without
 * creating it) and the role's rights, disconnects; errors are
 * NP_TEAM_LEDGER_ERROR_* so the UI can tell them apart. Changes nothing. */
void         np_team_sync_test_async      (NpTeamSync   *self,
                                           const char   *target,
                                           const char   *password,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer      user_data);
gboolean     np_team_sync_test_finish     (NpTeamSync   *self,
                                           GAsyncResult *result,
                                           GError      **error);
/* Join: connects, ensures the schema (creating it when the role may), stores the
 * target and desk name in GSettings and the password in the keyring (its own
 * libsecret schema, never elsewhere), uploads this desk's accounts (never keys)
 * and what the local ledger holds, pulls the rest, and goes ONLINE. @password
 * NULL (--team): libpq finds it (PGPASSFILE, peer authentication), and the
 * keyring keeps none; "" is refused. */
void         np_team_sync_join_async      (NpTeamSync   *self,
                                           const char   *target,
                                           const char   *password,
                                           const char   *desk_name,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer      user_data);
gboolean     np_team_sync_join_finish     (NpTeamSync   *self,
                                           GAsyncResult *result,
                                           GError      **error);
/* Leave: disconnects, forgets the target and the password (keyring item
 * removed); the local ledger keeps everything it synced. State OFF. */
void         np_team_sync_leave           (NpTeamSync   *self);
/* At start: reconnects to a stored target with the stored password (no-op when none). */
void         np_team_sync_resume          (NpTeamSync   *self);
/* TRUE when this account (local id) is shared and this desk has no key for it
 * in its keyring. Signal "account-keys-changed" (no arguments): the answer may
 * have changed for some account (one arrived from the team, or a key was added). */
gboolean     np_team_sync_account_lacks_key (NpTeamSync *self,
                                           gint64        account_id);

/* Seconds a lease lasts without renewal (default 60; tests use less). Takes
 * effect at the next connection. */
void         np_team_sync_set_lease_seconds (NpTeamSync *self,
                                           guint         seconds);

/* For NpWorkspace's journalled path. */

/* NULL when mutations may go ahead (OFF or ONLINE); else why not, a sentence
 * ("The team ledger is offline: …"). */
char        *np_team_sync_dup_refusal     (NpTeamSync   *self);
/* Commits the pending row in the team ledger (sharing the account first when it
 * is not yet): the cross-desk lock. Returns the team journal id; LOCKED names
 * the holder. @account_id is the local id. */
void         np_team_sync_begin_operation_async (NpTeamSync   *self,
                                           gint64              account_id,
                                           NpJournalOperation  operation,
                                           const char         *object_id,
                                           gint64              amount,
                                           const char         *currency,
                                           const char         *summary,
                                           JsonObject         *details,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gint64       np_team_sync_begin_operation_finish (NpTeamSync  *self,
                                           GAsyncResult       *result,
                                           GError            **error);
/* Records the outcome (kept and sent on reconnect when the connection is lost). */
void         np_team_sync_finish_operation (NpTeamSync   *self,
                                           gint64              team_id,
                                           NpJournalState      state,
                                           const char         *error_text,
                                           const char         *object_id);
/* The last JSON seen of an object, and what a refresh saw of an UNKNOWN
 * operation's object, shared with the team (ONLINE only). */
void         np_team_sync_publish_checkout (NpTeamSync   *self,
                                           gint64        account_id,
                                           NpCheckout   *checkout);
void         np_team_sync_publish_customer (NpTeamSync   *self,
                                           gint64        account_id,
                                           NpCustomer   *customer);
void         np_team_sync_publish_settled  (NpTeamSync   *self,
                                           gint64        account_id,
                                           const char   *object_id,
                                           const char   *status_seen);

/* Four-eyes refunds (see np-team-ledger.h): the team's approval limits and
 * refund requests of a local account. Errors: NOT_CONNECTED with the refusal
 * while the ledger is not online, or the team ledger's. */
void         np_team_sync_set_approval_limit_async     (NpTeamSync   *self,
                                                        gint64        account_id,
                                                        const char   *currency,
                                                        gint64        amount,
                                                        gint64        lifetime_seconds,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer      user_data);
gboolean     np_team_sync_set_approval_limit_finish    (NpTeamSync   *self,
                                                        GAsyncResult *result,
                                                        GError      **error);
void         np_team_sync_list_approval_limits_async   (NpTeamSync   *self,
                                                        gint64        account_id,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer      user_data);
JsonArray   *np_team_sync_list_approval_limits_finish  (NpTeamSync   *self,
                                                        GAsyncResult *result,
                                                        GError      **error);
void         np_team_sync_list_refund_requests_async   (NpTeamSync   *self,
                                                        gint64        account_id,
                                                        gboolean      open_only,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer      user_data);
JsonArray   *np_team_sync_list_refund_requests_finish  (NpTeamSync   *self,
                                                        GAsyncResult *result,
                                                        GError      **error);
void         np_team_sync_decide_request_async         (NpTeamSync    *self,
                                                        gint64         request_id,
                                                        NpTeamDecision decision,
                                                        const char    *comment,
                                                        GCancellable  *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer       user_data);
gint64       np_team_sync_decide_request_finish        (NpTeamSync   *self,
                                                        GAsyncResult *result,
                                                        GError      **error);

/* The refund requests of @account_id decided in [@start, @end): see
 * np_team_ledger_list_day_approvals_async (). */
void         np_team_sync_list_day_approvals_async     (NpTeamSync   *self,
                                                        gint64        account_id,
                                                        gint64        start,
                                                        gint64        end,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer      user_data);
JsonArray   *np_team_sync_list_day_approvals_finish    (NpTeamSync   *self,
                                                        GAsyncResult *result,
                                                        GError      **error);

/* Walks the team ledger's audit chain of @account_id (np_team_ledger_verify_chain_async ());
 * TAMPERED names the first row that does not match, @out_bad_entry its team journal id. */
void         np_team_sync_verify_chain_async           (NpTeamSync   *self,
                                                        gint64        account_id,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer      user_data);
gboolean     np_team_sync_verify_chain_finish          (NpTeamSync   *self,
                                                        GAsyncResult *result,
                                                        guint        *out_n_rows,
                                                        gint64       *out_bad_entry,
                                                        GError      **error);
/* The end-of-day report's team parts, in one call: the refund requests of
 * @account_id decided in the report's day (np_day_report_set_approvals ()),
 * then the head of the account's team audit chain (np_day_report_set_team_head ()).
 * @report is the caller's and must live until the callback. INVALID when the
 * account is not shared with the team; CONSTRAINT (NP_LEDGER_ERROR) when the
 * team ledger's answer is refused. */
void         np_team_sync_fill_day_report_async        (NpTeamSync   *self,
                                                        gint64        account_id,
                                                        NpDayReport  *report,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer      user_data);
gboolean     np_team_sync_fill_day_report_finish       (NpTeamSync   *self,
                                                        GAsyncResult *result,
                                                        GError      **error);

G_END_DECLS
