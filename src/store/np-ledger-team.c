/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-team.c — what the local ledger keeps for team mode.
 *
 * The local ledger stays the cache the lists read. For team mode it also knows
 * each shared account's UUID in the team ledger, the team id of each journal
 * row (this desk's and other desks'), the desk and OS user of other desks' rows,
 * and the number of the last team change applied, so a desk that was away
 * catches up from there.
 *
 * A desk may leave one team ledger and join another, or the same one again:
 * each link is kept with the id of the team ledger it belongs to (schema 8) and
 * read for the current one only (ledger_info 'team-ledger'), so team ledger B's
 * journal row 5 is never taken for A's, and A's links wait, unused, for a
 * rejoin of A.
 *
 * What a desk received from a team ledger stays on the desk when it leaves, but
 * is not the desk's to share with another one: accounts, checkouts and
 * customers keep the id of the team ledger that sent them (received_from,
 * schema 9; NULL for the desk's own), and a join uploads only the desk's own.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-ledger-private.h"

#define CURRENT_TEAM_LEDGER "(SELECT value FROM ledger_info WHERE name = 'team-ledger')"

char *
np_ledger_dup_team_ledger (NpLedger *self)
{
  sqlite3_stmt *stmt;
  char *team_ledger = NULL;

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  stmt = np_ledger_statement (self, "SELECT " CURRENT_TEAM_LEDGER, NULL);
  if (stmt == NULL)
    return NULL;
  if (np_ledger_step (self, stmt, NULL) == SQLITE_ROW)
    team_ledger = np_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return team_ledger;
}

static gboolean
run_bound (NpLedger    *self,
           const char  *sql,
           const char  *text,
           GError     **error)
{
  sqlite3_stmt *stmt = np_ledger_statement (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    np_ledger_bind_text (stmt, 1, text);
  if (np_ledger_step (self, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
np_ledger_set_team_ledger (NpLedger    *self,
                           const char  *team_ledger,
                           gboolean     adopt_unrecorded,
                           gboolean    *out_switched,
                           GError     **error)
{
  g_autofree char *recorded = NULL;
  gboolean adopt, switched;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (team_ledger == NULL || *team_ledger != '\0', FALSE);

  if (!np_ledger_begin (self, error))
    return FALSE;
  recorded = np_ledger_dup_team_ledger (self);
  adopt = adopt_unrecorded && recorded == NULL && team_ledger != NULL;
  switched = !adopt && g_strcmp0 (recorded, team_ledger) != 0;

  if (adopt &&
      (!run_bound (self, "UPDATE OR IGNORE account_team_links SET team_ledger = ?1 WHERE team_ledger = ''",
                   team_ledger, error) ||
       !run_bound (self, "UPDATE OR IGNORE journal SET team_ledger = ?1 WHERE team_ledger = ''",
                   team_ledger, error) ||
       /* What schema 9 took as received from the team ledger of those links. */
       !run_bound (self, "UPDATE accounts SET received_from = ?1 WHERE received_from = ''", team_ledger, error) ||
       !run_bound (self, "UPDATE checkouts SET received_from = ?1 WHERE received_from = ''", team_ledger, error) ||
       !run_bound (self, "UPDATE customers SET received_from = ?1 WHERE received_from = ''", team_ledger, error)))
    goto failed;
  if (team_ledger == NULL
      ? !run_bound (self, "DELETE FROM ledger_info WHERE name = 'team-ledger'", NULL, error)
      : !run_bound (self, "INSERT INTO ledger_info (name, value) VALUES ('team-ledger', ?1)"
                          " ON CONFLICT (name) DO UPDATE SET value = excluded.value", team_ledger, error))
    goto failed;
  if (switched && !np_ledger_set_team_change (self, 0, error))
    goto failed;
  if (!np_ledger_commit (self, error))
    return FALSE;
  if (out_switched != NULL)
    *out_switched = switched;
  return TRUE;

failed:
  np_ledger_rollback (self);
  return FALSE;
}

char *
np_ledger_dup_account_team_id (NpLedger *self,
                               gint64    account_id)
{
  sqlite3_stmt *stmt;
  char *team_id = NULL;

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  stmt = np_ledger_statement (self, "SELECT team_id FROM account_team_links"
                                    " WHERE account_id = ?1 AND team_ledger = " CURRENT_TEAM_LEDGER, NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (np_ledger_step (self, stmt, NULL) == SQLITE_ROW)
    team_id = np_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return team_id;
}

gint64
np_ledger_find_account_by_team_id (NpLedger   *self,
                                   const char *team_id)
{
  sqlite3_stmt *stmt;
  gint64 account_id = 0;

  g_return_val_if_fail (NP_IS_LEDGER (self), 0);

  stmt = np_ledger_statement (self, "SELECT account_id FROM account_team_links"
                                    " WHERE team_id = ?1 AND team_ledger = " CURRENT_TEAM_LEDGER, NULL);
  if (stmt == NULL)
    return 0;
  np_ledger_bind_text (stmt, 1, team_id);
  if (np_ledger_step (self, stmt, NULL) == SQLITE_ROW)
    account_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return account_id;
}

gboolean
np_ledger_set_account_team_id (NpLedger    *self,
                               gint64       account_id,
                               const char  *team_id,
                               GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);

  stmt = np_ledger_statement (self,
      "INSERT INTO account_team_links (team_ledger, account_id, team_id)"
      " SELECT value, ?1, ?2 FROM ledger_info WHERE name = 'team-ledger'"
      " ON CONFLICT (team_ledger, account_id) DO UPDATE SET team_id = excluded.team_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, team_id);
  return np_ledger_run_one (self, stmt, NP_LEDGER_ERROR_CONSTRAINT,
                            _("This desk is in no team ledger: an account cannot be linked to one."), error);
}

gboolean
np_ledger_mark_account_received (NpLedger  *self,
                                 gint64     account_id,
                                 GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);

  stmt = np_ledger_statement (self, "UPDATE accounts SET received_from = " CURRENT_TEAM_LEDGER
                                    " WHERE id = ?1 AND " CURRENT_TEAM_LEDGER " IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  return np_ledger_run_one (self, stmt, NP_LEDGER_ERROR_CONSTRAINT,
                            _("This desk is in no team ledger (or the account is gone): the account cannot be marked as received."), error);
}

char *
np_ledger_dup_account_received_from (NpLedger *self,
                                     gint64    account_id)
{
  sqlite3_stmt *stmt;
  char *received_from = NULL;

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  stmt = np_ledger_statement (self, "SELECT received_from FROM accounts WHERE id = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (np_ledger_step (self, stmt, NULL) == SQLITE_ROW)
    received_from = np_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return received_from;
}

gint64
np_ledger_get_team_change (NpLedger *self)
{
  sqlite3_stmt *stmt;
  gint64 change = 0;

  g_return_val_if_fail (NP_IS_LEDGER (self), 0);

  stmt = np_ledger_statement (self, "SELECT value FROM ledger_info WHERE name = 'team-change'", NULL);
  if (stmt == NULL)
    return 0;
  if (np_ledger_step (self, stmt, NULL) == SQLITE_ROW)
    change = g_ascii_strtoll ((const char *) sqlite3_column_text (stmt, 0), NULL, 10);
  sqlite3_reset (stmt);
  return change;
}

gboolean
np_ledger_set_team_change (NpLedger  *self,
                           gint64     change,
                           GError   **error)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, change);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);

  stmt = np_ledger_statement (self,
      "INSERT INTO ledger_info (name, value) VALUES ('team-change', ?1)"
      " ON CONFLICT (name) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  np_ledger_bind_text (stmt, 1, value);
  if (np_ledger_step (self, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
np_ledger_journal_set_team_id (NpLedger  *self,
                               gint64     entry_id,
                               gint64     team_id,
                               GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);

  stmt = np_ledger_statement (self, "UPDATE journal SET team_ledger = " CURRENT_TEAM_LEDGER ", team_id = ?2"
                                    " WHERE id = ?1 AND " CURRENT_TEAM_LEDGER " IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry_id);
  sqlite3_bind_int64 (stmt, 2, team_id);
  return np_ledger_run_one (self, stmt, NP_LEDGER_ERROR_CONSTRAINT,
                            _("This desk is in no team ledger (or the journal entry is gone): the row cannot be linked."), error);
}

gint64
np_ledger_journal_find_team (NpLedger *self,
                             gint64    team_id)
{
  sqlite3_stmt *stmt;
  gint64 entry_id = 0;

  g_return_val_if_fail (NP_IS_LEDGER (self), 0);

  stmt = np_ledger_statement (self, "SELECT id FROM journal WHERE team_ledger = " CURRENT_TEAM_LEDGER
                                    " AND team_id = ?1", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, team_id);
  if (np_ledger_step (self, stmt, NULL) == SQLITE_ROW)
    entry_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return entry_id;
}

/* Inserts another desk's journal row, or brings a known one (by @team_id) to
 * @state. A row that already has an outcome keeps it: the team ledger's journal
 * is append-only too, so a later state can only be the same one. */
gint64
np_ledger_journal_apply_team (NpLedger            *self,
                              gint64               account_id,
                              gint64               team_id,
                              NpJournalOperation   operation,
                              NpJournalState       state,
                              const char          *object_id,
                              const char          *summary,
                              const char          *details,
                              const char          *error_text,
                              gint64               started,
                              gint64               finished,
                              const char          *desk,
                              const char          *os_user,
                              GError             **error)
{
  sqlite3_stmt *stmt;
  guint64 revision;
  gint64 entry_id;
  gboolean changed = TRUE;

  g_return_val_if_fail (NP_IS_LEDGER (self), 0);
  g_return_val_if_fail (summary != NULL, 0);

  if (!np_ledger_begin (self, error))
    return 0;
  if (!np_ledger_next_revision (self, &revision, error))
    goto failed;

  entry_id = np_ledger_journal_find_team (self, team_id);
  if (entry_id == 0)
    {
      stmt = np_ledger_statement (self,
          "INSERT INTO journal (account_id, object_id, operation, state, summary, details, error_text,"
          "  started, finished, revision, search_text, team_ledger, team_id, desk, os_user)"
          " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, np_search_text (?2, ?5, ?6, ?7), value, ?11, ?12, ?13"
          " FROM ledger_info WHERE name = 'team-ledger'"
          " RETURNING id", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, account_id);
      np_ledger_bind_text (stmt, 2, object_id);
      np_ledger_bind_text (stmt, 3, np_journal_operation_to_string (operation));
      np_ledger_bind_text (stmt, 4, np_journal_state_to_string (state));
      np_ledger_bind_text (stmt, 5, summary);
      np_ledger_bind_text (stmt, 6, details);
      np_ledger_bind_text (stmt, 7, error_text);
      sqlite3_bind_int64 (stmt, 8, started);
      if (finished > 0)
        sqlite3_bind_int64 (stmt, 9, finished);
      else
        sqlite3_bind_null (stmt, 9);
      sqlite3_bind_int64 (stmt, 10, revision);
      sqlite3_bind_int64 (stmt, 11, team_id);
      np_ledger_bind_text (stmt, 12, desk);
      np_ledger_bind_text (stmt, 13, os_user);
      switch (np_ledger_step (self, stmt, error))
        {
        case SQLITE_ROW:
          break;
        case SQLITE_DONE:
          sqlite3_reset (stmt);
          g_set_error_literal (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT,
                               _("This desk is in no team ledger: another desk's row cannot be kept."));
          goto failed;
        default:
          goto failed;
        }
      entry_id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  else
    {
      stmt = np_ledger_statement (self,
          "UPDATE journal SET state = ?2, error_text = ?3, object_id = coalesce (object_id, ?4),"
          "  finished = ?5, revision = ?6,"
          "  search_text = np_search_text (coalesce (object_id, ?4), summary, details, ?3)"
          " WHERE id = ?1 AND state IN ('pending', 'unknown') AND state <> ?2", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, entry_id);
      np_ledger_bind_text (stmt, 2, np_journal_state_to_string (state));
      np_ledger_bind_text (stmt, 3, error_text);
      np_ledger_bind_text (stmt, 4, object_id);
      if (finished > 0)
        sqlite3_bind_int64 (stmt, 5, finished);
      else
        sqlite3_bind_null (stmt, 5);
      sqlite3_bind_int64 (stmt, 6, revision);
      if (np_ledger_step (self, stmt, error) != SQLITE_DONE)
        goto failed;
      sqlite3_reset (stmt);
      changed = sqlite3_changes (self->db) > 0;
    }

  if (!np_ledger_commit (self, error))
    return 0;
  if (changed)
    np_ledger_emit_changed (self, NP_LEDGER_TABLE_JOURNAL, account_id, entry_id);
  return entry_id;

failed:
  np_ledger_rollback (self);
  return 0;
}
