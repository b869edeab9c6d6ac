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
/* The migrations of team-ledger.sql: index i holds the text of version i + 1. */
GPtrArray   *np_team_schema_dup_migrations  (void);

/* Test hook: the lowest server version accepted (PQserverVersion form, 130000). */
void         np_team_ledger_set_minimum_server_version (NpTeamLedger *self,
                                                        int           version);

G_END_DECLS
