/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-journal.c — NpLedger's journal of every mutating call.
 *
 * The order of events is the point: begin commits a PENDING row before the
 * request leaves, finish records the outcome after. A crash in between leaves
 * PENDING, which the next open turns into UNKNOWN (np-ledger.c). An UNKNOWN row
 * is never turned into SUCCEEDED or FAILED later: what a refresh saw afterwards
 * is recorded beside it as settled-at and settled-status.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-ledger-private.h"

static void
entry_not_found (GError **error,
                 gint64   entry_id)
{
  /* xgettext cannot read G_GINT64_FORMAT inside a message: the number goes in as text. */
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, entry_id);

  g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND,
               _("Journal entry %s does not exist."), id);
}

static char *
details_to_json (JsonObject *details)
{
  g_autoptr(JsonNode) node = NULL;

  if (details == NULL)
    return NULL;

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, details);

  return json_to_string (node, FALSE);
}

gint64
np_ledger_journal_begin (NpLedger            *self,
                         gint64               account_id,
                         NpJournalOperation   operation,
                         const char          *object_id,
                         const char          *summary,
                         JsonObject          *details,
                         GError             **error)
{
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;
  guint64 revision;
  gint64 id;

  g_return_val_if_fail (NP_IS_LEDGER (self), 0);
  g_return_val_if_fail (np_journal_operation_to_string (operation) != NULL, 0);
  g_return_val_if_fail (summary != NULL, 0);

  json = details_to_json (details);

  if (!np_ledger_begin (self, error))
    return 0;

  if (!np_ledger_next_revision (self, &revision, error) ||
      !(stmt = np_ledger_statement (self,
          "INSERT INTO journal (account_id, object_id, operation, state, summary, details,"
          "  started, revision, search_text)"
          " VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?6, ?7, np_search_text (?2, ?4, ?5))"
          " RETURNING id", error)))
    goto failed;

  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, object_id);
  np_ledger_bind_text (stmt, 3, np_journal_operation_to_string (operation));
  np_ledger_bind_text (stmt, 4, summary);
  np_ledger_bind_text (stmt, 5, json);
  sqlite3_bind_int64 (stmt, 6, np_ledger_now ());
  sqlite3_bind_int64 (stmt, 7, revision);

  if (np_ledger_step (self, stmt, error) != SQLITE_ROW)
    goto failed;

  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* Durable before the caller sends anything: synchronous=FULL makes COMMIT wait
   * for the disk. */
  if (!np_ledger_commit (self, error))
    return 0;

  np_ledger_emit_changed (self, NP_LEDGER_TABLE_JOURNAL, account_id, id);
  return id;

failed:
  np_ledger_rollback (self);
  return 0;
}

typedef enum {
  UPDATE_FAILED,     /* @error is set */
  UPDATE_DONE,
  UPDATE_NO_MATCH,   /* the entry is missing or not in the state the update needs */
} UpdateResult;

/* Runs an UPDATE of one entry (?1 the id, ?2 now, ?3 the revision, ?4..?6 the
 * texts given) that returns account_id. */
static UpdateResult
update_entry (NpLedger    *self,
              gint64       entry_id,
              const char  *sql,
              const char  *text4,
              const char  *text5,
              const char  *text6,
              GError     **error)
{
  sqlite3_stmt *stmt;
  guint64 revision;
  gint64 account_id;

  if (!np_ledger_begin (self, error))
    return UPDATE_FAILED;

  if (!np_ledger_next_revision (self, &revision, error) ||
      !(stmt = np_ledger_statement (self, sql, error)))
    goto failed;

  sqlite3_bind_int64 (stmt, 1, entry_id);
  sqlite3_bind_int64 (stmt, 2, np_ledger_now ());
  sqlite3_bind_int64 (stmt, 3, revision);
  np_ledger_bind_text (stmt, 4, text4);
  np_ledger_bind_text (stmt, 5, text5);
  np_ledger_bind_text (stmt, 6, text6);

  switch (np_ledger_step (self, stmt, error))
    {
    case SQLITE_ROW:
      account_id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      break;
    case SQLITE_DONE:
      np_ledger_rollback (self);
      return UPDATE_NO_MATCH;
    default:
      goto failed;
    }

  /* A finished row takes its place in the audit chain in the same transaction. */
  if (!np_ledger_chain_finished (self, error))
    goto failed;

  if (!np_ledger_commit (self, error))
    return UPDATE_FAILED;

  np_ledger_emit_changed (self, NP_LEDGER_TABLE_JOURNAL, account_id, entry_id);
  return UPDATE_DONE;

failed:
  np_ledger_rollback (self);
  return UPDATE_FAILED;
}

/* Explains why an update matched nothing: no such entry, or the wrong state. */
static void
explain_no_match (NpLedger    *self,
                  gint64       entry_id,
                  gboolean     settling,
                  GError     **error)
{
  g_autoptr(NpJournalEntry) entry = np_ledger_journal_get (self, entry_id, error);
  const char *state;

  if (entry == NULL)
    return;

  state = np_journal_state_to_string (np_journal_entry_get_state (entry));
  if (settling && np_journal_entry_get_state (entry) == NP_JOURNAL_STATE_UNKNOWN)
    g_set_error_literal (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT,
                         _("This operation was already settled."));
  else if (settling)
    g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT,
                 /* Translators: %s is the state of the operation: succeeded, failed, pending */
                 _("Only an operation with an unknown outcome can be settled; this one is %s."), state);
  else
    g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT,
                 /* Translators: %s is the state of the operation: succeeded, failed, unknown */
                 _("This operation was already recorded as %s."), state);
}

gboolean
np_ledger_journal_finish (NpLedger        *self,
                          gint64           entry_id,
                          NpJournalState   state,
                          const char      *error_text,
                          const char      *object_id,
                          GError         **error)
{
  UpdateResult result;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);

  if (state == NP_JOURNAL_STATE_PENDING || np_journal_state_to_string (state) == NULL)
    {
      g_set_error_literal (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT,
                           _("An operation can only finish as succeeded, failed or unknown."));
      return FALSE;
    }

  if (state == NP_JOURNAL_STATE_SUCCEEDED)
    error_text = NULL;

  result = update_entry (self, entry_id,
                         "UPDATE journal SET state = ?6, finished = ?2, revision = ?3,"
                         "  error_text = ?4, object_id = coalesce(?5, object_id),"
                         "  search_text = np_search_text (coalesce(?5, object_id), summary, details, ?4)"
                         " WHERE id = ?1 AND state = 'pending'"
                         " RETURNING account_id",
                         error_text, object_id, np_journal_state_to_string (state), error);

  if (result == UPDATE_NO_MATCH)
    explain_no_match (self, entry_id, FALSE, error);

  return result == UPDATE_DONE;
}

gboolean
np_ledger_journal_settle (NpLedger    *self,
                          gint64       entry_id,
                          const char  *status_seen,
                          GError     **error)
{
  UpdateResult result;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);

  result = update_entry (self, entry_id,
                         "UPDATE journal SET settled = ?2, settled_status = ?4, revision = ?3"
                         " WHERE id = ?1 AND state = 'unknown' AND settled IS NULL"
                         " RETURNING account_id",
                         status_seen, NULL, NULL, error);

  if (result == UPDATE_NO_MATCH)
    explain_no_match (self, entry_id, TRUE, error);

  return result == UPDATE_DONE;
}

gboolean
np_ledger_journal_settle_object (NpLedger    *self,
                                 gint64       account_id,
                                 const char  *object_id,
                                 const char  *status_seen,
                                 guint       *out_count,
                                 GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  guint64 revision;
  int rc;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (object_id != NULL, FALSE);

  if (!np_ledger_begin (self, error))
    return FALSE;

  if (!np_ledger_next_revision (self, &revision, error) ||
      !(stmt = np_ledger_statement (self,
          "UPDATE journal SET settled = ?3, settled_status = ?4, revision = ?5"
          " WHERE account_id = ?1 AND object_id = ?2 AND state = 'unknown' AND settled IS NULL"
          " RETURNING id", error)))
    goto failed;

  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, object_id);
  sqlite3_bind_int64 (stmt, 3, np_ledger_now ());
  np_ledger_bind_text (stmt, 4, status_seen);
  sqlite3_bind_int64 (stmt, 5, revision);

  while ((rc = np_ledger_step (self, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc < 0)
    goto failed;

  if (!np_ledger_commit (self, error))
    return FALSE;

  if (ids->len > 0)
    np_ledger_emit_changed (self, NP_LEDGER_TABLE_JOURNAL, account_id,
                            ids->len == 1 ? g_array_index (ids, gint64, 0) : 0);
  if (out_count != NULL)
    *out_count = ids->len;

  return TRUE;

failed:
  np_ledger_rollback (self);
  return FALSE;
}

NpJournalEntry *
np_ledger_journal_get (NpLedger  *self,
                       gint64     entry_id,
                       GError   **error)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  entries = np_ledger_fetch_journal_entries (self, &entry_id, 1, error);
  if (entries == NULL)
    return NULL;

  if (g_ptr_array_index (entries, 0) == NULL)
    {
      entry_not_found (error, entry_id);
      return NULL;
    }

  return g_object_ref (g_ptr_array_index (entries, 0));
}

static gpointer
new_journal_entry (NpLedger      *self,
                   sqlite3_stmt  *stmt,
                   GError       **error)
{
  return np_journal_entry_new_from_stmt (stmt);
}

GPtrArray *
np_ledger_fetch_journal_entries (NpLedger      *self,
                                 const gint64  *row_ids,
                                 guint          n_row_ids,
                                 GError       **error)
{
  return np_ledger_fetch_rows (self,
                               NP_LEDGER_WANTED_ROWS "SELECT " NP_JOURNAL_ENTRY_COLUMNS ", wanted_position"
                               " FROM wanted JOIN journal ON id = wanted_id",
                               new_journal_entry, row_ids, n_row_ids, error);
}

gboolean
np_ledger_query_journal_row_ids (NpLedger              *self,
                                 gint64                 account_id,
                                 const NpJournalQuery  *query,
                                 GArray                *row_ids,
                                 GArray                *revisions,
                                 GError               **error)
{
  g_autofree char *needle = np_search_fold_needle (query->text);
  sqlite3_stmt *stmt;
  int rc;

  /* The masks are tested in SQL against each row's position in the enums. */
  stmt = np_ledger_statement (self,
    "SELECT id, revision FROM journal"
    " WHERE account_id = ?1"
    "   AND (?2 IS NULL OR object_id = ?2)"
    "   AND (?3 = 0 OR (?3 >> CASE operation WHEN 'create' THEN 0 WHEN 'capture' THEN 1"
    "                    WHEN 'refund' THEN 2 WHEN 'update' THEN 3 WHEN 'delete' THEN 4"
    "                    WHEN 'create-customer' THEN 5 WHEN 'delete-customer' THEN 6 ELSE 7 END) & 1)"
    "   AND (?4 = 0 OR (?4 >> CASE state WHEN 'pending' THEN 0 WHEN 'succeeded' THEN 1"
    "                    WHEN 'failed' THEN 2 ELSE 3 END) & 1)"
    "   AND (?5 = 0 OR (state = 'unknown' AND settled IS NULL AND operation <> 'refresh'))"
    "   AND (?6 IS NULL OR instr(search_text, ?6) > 0)"
    " ORDER BY id DESC", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, query->object_id);
  sqlite3_bind_int64 (stmt, 3, query->operation_mask);
  sqlite3_bind_int64 (stmt, 4, query->state_mask);
  sqlite3_bind_int (stmt, 5, query->needs_attention);
  np_ledger_bind_text (stmt, 6, needle);

  while ((rc = np_ledger_step (self, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint64 revision = sqlite3_column_int64 (stmt, 1);

      g_array_append_val (row_ids, id);
      if (revisions != NULL)
        g_array_append_val (revisions, revision);
    }

  return rc >= 0;
}

GPtrArray *
np_ledger_journal_list (NpLedger              *self,
                        gint64                 account_id,
                        const NpJournalQuery  *query,
                        guint                  offset,
                        guint                  limit,
                        GError               **error)
{
  g_autoptr(NpJournalQuery) everything = np_journal_query_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  if (!np_ledger_query_journal_row_ids (self, account_id, query ? query : everything, ids, NULL, error))
    return NULL;

  return np_ledger_fetch_slice (self, ids, offset, limit, np_ledger_fetch_journal_entries, error);
}
