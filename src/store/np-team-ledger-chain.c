/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-team-ledger-chain.c — the team ledger's audit chain (migration 4).
 *
 * A desk finishes a journal row in a transaction of its own: the account's chain
 * lock (np_team.lock_chain), the row and the account's last link read under it,
 * the row's hash computed here by np-journal-chain (the local ledger's
 * definition, with the team's amount, currency and host), then one UPDATE that
 * records the outcome and the link. The database's trigger takes the same lock
 * and refuses a link that does not follow the last one, so two desks finishing
 * rows of one account at once still make one chain.
 *
 * Verifying reads the whole chain in one repeatable-read snapshot and
 * recomputes every link; the first row that does not match is named.
 */
#include "config.h"

#include <stdlib.h>

#include <glib/gi18n-lib.h>

#include "np-journal-chain.h"
#include "np-team-ledger-private.h"

/* The columns a link hashes, in NpChainRow's order; times in whole Unix seconds. */
#define CHAIN_COLUMNS \
  "j.id, j.account_id::text, j.operation, j.state, j.object_id, j.summary, j.details::text, j.error_text," \
  " floor (extract (epoch FROM j.started))::bigint, floor (extract (epoch FROM j.finished))::bigint," \
  " j.desk, j.os_user, j.amount, j.currency, j.host"

static const char *
value_or_null (const PGresult *result,
               int             row,
               int             column)
{
  return PQgetisnull (result, row, column) ? NULL : PQgetvalue (result, row, column);
}

/* Fills @chain from a result whose first columns are CHAIN_COLUMNS. */
static void
read_chain_row (const PGresult *result,
                int             row,
                NpChainRow     *chain)
{
  chain->id = g_ascii_strtoll (PQgetvalue (result, row, 0), NULL, 10);
  chain->account = PQgetvalue (result, row, 1);
  chain->operation = PQgetvalue (result, row, 2);
  chain->state = PQgetvalue (result, row, 3);
  chain->object_id = value_or_null (result, row, 4);
  chain->summary = PQgetvalue (result, row, 5);
  chain->details = value_or_null (result, row, 6);
  chain->error_text = value_or_null (result, row, 7);
  chain->started = g_ascii_strtoll (PQgetvalue (result, row, 8), NULL, 10);
  chain->finished = PQgetisnull (result, row, 9) ? 0 : g_ascii_strtoll (PQgetvalue (result, row, 9), NULL, 10);
  chain->desk = PQgetvalue (result, row, 10);
  chain->os_user = PQgetvalue (result, row, 11);
  chain->team = TRUE;
  chain->has_amount = !PQgetisnull (result, row, 12);
  chain->amount = chain->has_amount ? g_ascii_strtoll (PQgetvalue (result, row, 12), NULL, 10) : 0;
  chain->currency = value_or_null (result, row, 13);
  chain->host = PQgetvalue (result, row, 14);
}

static void
rollback (NpTeamConnection *connection)
{
  if (connection->conn != NULL)
    np_team_connection_run (connection, NULL, "ROLLBACK", 0, NULL, NULL);
}

/* The row as it will be once finished (its outcome and this transaction's now ()
 * as finished), locked; with @only_expired, only while its desk's lease has
 * expired. NULL with @error unset when it is not (or no longer) pending. */
static const char *finishing_sql =
  "SELECT j.id, j.account_id::text, j.operation, $2::text, coalesce (j.object_id, $4), j.summary,"
  " j.details::text, $3::text, floor (extract (epoch FROM j.started))::bigint,"
  " floor (extract (epoch FROM now ()))::bigint, j.desk, j.os_user, j.amount, j.currency, j.host"
  " FROM np_team.journal j WHERE j.id = $1 AND j.state = 'pending'"
  " AND (NOT $5::boolean OR EXISTS (SELECT FROM np_team.desk_leases l"
  "                                  WHERE l.id = j.lease_id AND l.expires < now ()))"
  " FOR UPDATE OF j";

int
np_team_chain_finish (NpTeamConnection  *connection,
                      gint64             entry_id,
                      const char        *state,
                      const char        *error_text,
                      const char        *object_id,
                      gboolean           only_expired,
                      GCancellable      *cancellable,
                      GError           **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, entry_id);
  g_autofree char *account = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *seq_text = NULL;
  const char *row_params[] = { id, state, error_text, object_id, only_expired ? "true" : "false" };
  NpChainRow row = { 0 };
  PGresult *result;
  gint64 seq = 0;

  if (!np_team_connection_run (connection, cancellable, "BEGIN", 0, NULL, error))
    return -1;

  /* The account's chain lock first, before reading anything else. */
  {
    const char *params[] = { id };

    result = np_team_connection_exec (connection, cancellable,
        "SELECT account_id::text, np_team.lock_chain (account_id) FROM np_team.journal WHERE id = $1",
        1, params, error);
    if (result == NULL)
      goto failed;
    if (PQntuples (result) == 1)
      account = g_strdup (PQgetvalue (result, 0, 0));
    PQclear (result);
    if (account == NULL)
      {
        rollback (connection);
        return 0;
      }
  }
  {
    const char *params[] = { account };

    result = np_team_connection_exec (connection, cancellable,
        "SELECT chain_seq, row_hash FROM np_team.journal WHERE account_id = $1 AND chain_seq IS NOT NULL"
        " ORDER BY chain_seq DESC LIMIT 1", 1, params, error);
    if (result == NULL)
      goto failed;
    if (PQntuples (result) == 1)
      {
        seq = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
        prev = g_strdup (PQgetvalue (result, 0, 1));
      }
    PQclear (result);
  }

  result = np_team_connection_exec (connection, cancellable, finishing_sql,
                                    G_N_ELEMENTS (row_params), row_params, error);
  if (result == NULL)
    goto failed;
  if (PQntuples (result) == 0)
    {
      PQclear (result);
      rollback (connection);
      return 0;
    }
  read_chain_row (result, 0, &row);
  row.seq = seq + 1;
  hash = np_journal_chain_hash (prev, &row);
  PQclear (result);

  seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq + 1);
  {
    const char *params[] = { id, state, error_text, object_id, seq_text, prev, hash };

    result = np_team_connection_exec (connection, cancellable,
        "UPDATE np_team.journal SET state = $2, error_text = $3, object_id = coalesce (object_id, $4),"
        " chain_seq = $5, prev_hash = $6, row_hash = $7 WHERE id = $1 AND state = 'pending' RETURNING id",
        G_N_ELEMENTS (params), params, error);
    if (result == NULL)
      goto failed;
    PQclear (result);
  }

  if (!np_team_connection_run (connection, cancellable, "COMMIT", 0, NULL, error))
    goto failed;
  return 1;

failed:
  rollback (connection);
  return -1;
}

void
np_team_chain_report_clear (NpTeamChainReport *report)
{
  g_clear_pointer (&report->head, g_free);
}

static void
set_tampered (GError     **error,
              gint64       entry_id,
              const char  *why)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, entry_id);

  g_set_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_TAMPERED,
               /* Translators: %s is a team journal row's number, then why it does not match */
               _("The team audit trail does not match at journal row %s: %s"), id, why);
}

/* Walks every link of @account_id (NULL: every account) in one snapshot. */
static gboolean
verify_snapshot (NpTeamConnection   *connection,
                 const char         *account_id,
                 NpTeamChainReport  *report,
                 GCancellable       *cancellable,
                 GError            **error)
{
  const char *params[] = { account_id };
  g_autoptr(GString) text = g_string_sized_new (1024);
  g_autofree char *prev = NULL;
  const char *current_account = NULL;
  gint64 expected = 0;
  PGresult *result;
  int n;

  /* A row finished since the chain began that has no link was taken out of it. */
  result = np_team_connection_exec (connection, cancellable,
      "SELECT j.id FROM np_team.journal j WHERE j.chain_seq IS NULL AND j.state <> 'pending'"
      " AND j.finished >= (SELECT applied FROM np_team.schema_version WHERE version = 4)"
      " AND ($1::uuid IS NULL OR j.account_id = $1::uuid) ORDER BY j.id LIMIT 1", 1, params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 1)
    {
      report->bad_entry = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
      PQclear (result);
      set_tampered (error, report->bad_entry, _("it is finished but has no place in the chain."));
      return FALSE;
    }
  PQclear (result);

  result = np_team_connection_exec (connection, cancellable,
      "SELECT " CHAIN_COLUMNS ", j.chain_seq, j.prev_hash, j.row_hash FROM np_team.journal j"
      " WHERE j.chain_seq IS NOT NULL AND ($1::uuid IS NULL OR j.account_id = $1::uuid)"
      " ORDER BY j.account_id, j.chain_seq", 1, params, error);
  if (result == NULL)
    return FALSE;

  n = PQntuples (result);
  for (int i = 0; i < n; i++)
    {
      NpChainRow row = { 0 };
      const char *stored_prev = value_or_null (result, i, 16);
      const char *stored = PQgetvalue (result, i, 17);
      g_autofree char *computed = NULL;
      const char *why = NULL;

      read_chain_row (result, i, &row);
      row.seq = g_ascii_strtoll (PQgetvalue (result, i, 15), NULL, 10);

      if (g_strcmp0 (row.account, current_account) != 0)
        {
          current_account = row.account;
          expected = 1;
          g_clear_pointer (&prev, g_free);
        }

      g_string_truncate (text, 0);
      np_journal_chain_serialize (text, prev, &row);
      computed = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text->str, text->len);

      if (row.seq != expected)
        why = row.seq > expected ? _("the row before it in the chain is missing.")
                                 : _("it is out of its place in the chain.");
      else if (g_strcmp0 (stored_prev, prev) != 0 || g_strcmp0 (stored, computed) != 0)
        why = _("its content or its place in the chain was changed.");

      if (why != NULL)
        {
          report->bad_entry = row.id;
          set_tampered (error, row.id, why);
          PQclear (result);
          return FALSE;
        }

      g_free (prev);
      prev = g_steal_pointer (&computed);
      expected++;
      report->n_rows++;
      report->head_seq = row.seq;
    }
  PQclear (result);

  report->head = g_steal_pointer (&prev);
  return TRUE;
}

gboolean
np_team_chain_head (NpTeamConnection   *connection,
                    const char         *account_id,
                    NpTeamChainReport  *report,
                    GCancellable       *cancellable,
                    GError            **error)
{
  const char *params[] = { account_id };
  PGresult *result;

  /* The journal_chain index answers this from its last entry. */
  result = np_team_connection_exec (connection, cancellable,
      "SELECT chain_seq, row_hash FROM np_team.journal WHERE account_id = $1::uuid AND chain_seq IS NOT NULL"
      " ORDER BY chain_seq DESC LIMIT 1", 1, params, error);
  if (result == NULL)
    return FALSE;
  g_clear_pointer (&report->head, g_free);
  report->head_seq = 0;
  if (PQntuples (result) == 1)
    {
      report->head_seq = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
      report->head = g_strdup (PQgetvalue (result, 0, 1));
    }
  PQclear (result);
  return TRUE;
}

gboolean
np_team_chain_verify (NpTeamConnection   *connection,
                      const char         *account_id,
                      NpTeamChainReport  *report,
                      GCancellable       *cancellable,
                      GError            **error)
{
  if (!np_team_connection_run (connection, cancellable,
                               "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, error))
    return FALSE;
  if (!verify_snapshot (connection, account_id, report, cancellable, error))
    {
      rollback (connection);
      return FALSE;
    }
  if (!np_team_connection_run (connection, cancellable, "COMMIT", 0, NULL, error))
    {
      rollback (connection);
      return FALSE;
    }
  return TRUE;
}
