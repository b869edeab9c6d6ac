/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-team-ledger-private.h — what the team ledger's files share: the worker that
 * owns the connection, its statement helpers, and test hooks. */
#pragma once

#include <libpq-fe.h>

#include "np-team-ledger.h"

G_BEGIN_DECLS

/* Owned by the worker thread: only jobs (which run there) touch it. */
typedef struct
{
  PGconn  *conn;
  char    *lease_id;
  char    *desk_name;
  char    *os_user;
  char    *host;
  int      minimum_server_version;
  gboolean schema_ready;
  gboolean listening;       /* LISTEN np_team_change sent on this connection */
} NpTeamConnection;

/* Runs one parameterised statement (or, with @n_params < 0, a simple query of
 * several statements) to its end, waiting on the socket and on @cancellable;
 * cancelling sends the server a cancel request. Returns the last result, or NULL
 * with @error set (G_IO_ERROR_CANCELLED, or NP_TEAM_LEDGER_ERROR by SQLSTATE). */
PGresult    *np_team_connection_exec        (NpTeamConnection   *connection,
                                             GCancellable       *cancellable,
                                             const char         *sql,
                                             int                 n_params,
                                             const char * const *params,
                                             GError            **error);
/* The same, for statements whose result is not read. */
gboolean     np_team_connection_run         (NpTeamConnection   *connection,
                                             GCancellable       *cancellable,
                                             const char         *sql,
                                             int                 n_params,
                                             const char * const *params,
                                             GError            **error);

/* np-team-ledger-schema.c: runs in the worker. */
int          np_team_schema_ensure          (NpTeamConnection   *connection,
                                             gboolean            may_create,
                                             GCancellable       *cancellable,
                                             GError            **error);
/* The team ledger's own id (np_team.ledger_info, schema 6): a UUID string. */
char        *np_team_schema_dup_ledger_id   (NpTeamConnection   *connection,
                                             GCancellable       *cancellable,
                                             GError            **error);
/* The migrations of team-ledger.sql: index i holds the text of version i + 1. */
GPtrArray   *np_team_schema_dup_migrations  (void);

/* np-team-ledger-chain.c: runs in the worker. Finishes pending row @entry_id
 * as @state with its link in the account's audit chain, in a transaction of its
 * own (none may be open). Returns 1 when finished, 0 when the row is not pending
 * (or, with @only_expired, its desk's lease has not expired), -1 on error. */
int          np_team_chain_finish           (NpTeamConnection   *connection,
                                             gint64              entry_id,
                                             const char         *state,
                                             const char         *error_text,
                                             const char         *object_id,
                                             gboolean            only_expired,
                                             GCancellable       *cancellable,
                                             GError            **error);

typedef struct
{
  guint   n_rows;       /* links verified */
  char   *head;         /* the last link's hash (of the last account walked) */
  gint64  head_seq;     /* its place in its account's chain, 0 for none */
  gint64  bad_entry;    /* the first row that does not match, 0 when none */
} NpTeamChainReport;

void         np_team_chain_report_clear     (NpTeamChainReport  *report);
/* The last link of @account_id's chain, without walking it: @report->head_seq
 * and @report->head (0 and "" for an empty chain). */
gboolean     np_team_chain_head             (NpTeamConnection   *connection,
                                             const char         *account_id,
                                             NpTeamChainReport  *report,
                                             GCancellable       *cancellable,
                                             GError            **error);
/* Walks the chain of @account_id (NULL: every account): TAMPERED names the first
 * row that does not match (also in @report->bad_entry). */
gboolean     np_team_chain_verify           (NpTeamConnection   *connection,
                                             const char         *account_id,
                                             NpTeamChainReport  *report,
                                             GCancellable       *cancellable,
                                             GError            **error);

/* Test hook: the lowest server version accepted (PQserverVersion form, 130000). */
void         np_team_ledger_set_minimum_server_version (NpTeamLedger *self,
                                                        int           version);

G_END_DECLS
