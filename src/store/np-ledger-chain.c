/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-chain.c — the local ledger's audit chain (np-journal-chain.h).
 *
 * This desk's own journal rows (desk IS NULL: another desk's rows are chained
 * in the team ledger, by the desk that finished them) are chained in the
 * transaction that finishes them: np_ledger_chain_finished () gives every
 * finished, unchained row the account's next chain_seq and its hash, under
 * SQLite's write lock, so the order is the order of finishing. Rows finished
 * before schema 6 are chained on the first open after the upgrade.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-journal-chain.h"
#include "np-ledger-private.h"

#define CHAIN_ROW_COLUMNS \
  "id, account_id, operation, state, object_id, summary, details, error_text," \
  " started, finished, desk, os_user"

/* Fills @row from a statement that selects CHAIN_ROW_COLUMNS first; @account
 * holds the account id's text. */
static void
read_chain_row (sqlite3_stmt *stmt,
                NpChainRow   *row,
                char          account[32])
{
  g_snprintf (account, 32, "%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 1));
  row->account = account;
  row->id = sqlite3_column_int64 (stmt, 0);
  row->operation = (const char *)sqlite3_column_text (stmt, 2);
  row->state = (const char *)sqlite3_column_text (stmt, 3);
  row->object_id = (const char *)sqlite3_column_text (stmt, 4);
  row->summary = (const char *)sqlite3_column_text (stmt, 5);
  row->details = (const char *)sqlite3_column_text (stmt, 6);
  row->error_text = (const char *)sqlite3_column_text (stmt, 7);
  row->started = sqlite3_column_int64 (stmt, 8);
  row->finished = sqlite3_column_int64 (stmt, 9);
  row->desk = (const char *)sqlite3_column_text (stmt, 10);
  row->os_user = (const char *)sqlite3_column_text (stmt, 11);
}

/* The account's last link: its seq (0 when none) and hash. */
static gboolean
chain_head (NpLedger  *self,
            gint64     account_id,
            gint64    *out_seq,
            char     **out_hash,
            GError   **error)
{
  sqlite3_stmt *stmt;

  stmt = np_ledger_statement (self,
                              "SELECT chain_seq, chain_hash FROM journal"
                              " WHERE account_id = ?1 AND chain_seq IS NOT NULL"
                              " ORDER BY chain_seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  switch (np_ledger_step (self, stmt, error))
    {
    case SQLITE_ROW:
      *out_seq = sqlite3_column_int64 (stmt, 0);
      *out_hash = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      sqlite3_reset (stmt);
      return TRUE;
    case SQLITE_DONE:
      *out_seq = 0;
      *out_hash = NULL;
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
np_ledger_chain_finished (NpLedger  *self,
                          GError   **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = np_ledger_statement (self,
                              "SELECT id FROM journal"
                              " WHERE chain_seq IS NULL AND state <> 'pending' AND desk IS NULL"
                              " ORDER BY finished, id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = np_ledger_step (self, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc < 0)
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *prev = NULL;
      g_autofree char *hash = NULL;
      char account[32];
      NpChainRow row = { 0 };
      gint64 account_id;
      gint64 seq;

      stmt = np_ledger_statement (self, "SELECT " CHAIN_ROW_COLUMNS " FROM journal WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      if (np_ledger_step (self, stmt, error) != SQLITE_ROW)
        return FALSE;
      account_id = sqlite3_column_int64 (stmt, 1);
      read_chain_row (stmt, &row, account);

      /* The statement stays on its row while the head is read by another one. */
      if (!chain_head (self, account_id, &seq, &prev, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      row.seq = seq + 1;
      hash = np_journal_chain_hash (prev, &row);
      sqlite3_reset (stmt);

      stmt = np_ledger_statement (self, "UPDATE journal SET chain_seq = ?2, chain_hash = ?3 WHERE id = ?1",
                                  error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      sqlite3_bind_int64 (stmt, 2, seq + 1);
      np_ledger_bind_text (stmt, 3, hash);
      if (!np_ledger_run (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static void
set_tampered (GError    **error,
              gint64      entry_id,
              const char *why)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, entry_id);

  g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_TAMPERED,
               /* Translators: %s is a journal row's number, then why it does not match */
               _("The audit trail does not match at journal row %s: %s"), id, why);
}

gboolean
np_ledger_verify_chain (NpLedger   *self,
                        gint64      account_id,
                        guint      *out_n_rows,
                        char      **out_head,
                        gint64     *out_bad_entry,
                        GError    **error)
{
  g_autofree char *prev = NULL;
  g_autoptr(GString) text = g_string_sized_new (1024);
  gint64 current_account = -1;
  gint64 expected = 0;
  guint n_rows = 0;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);

  if (out_bad_entry != NULL)
    *out_bad_entry = 0;

  /* A finished row of this desk's that is not in the chain was taken out of it. */
  stmt = np_ledger_statement (self,
                              "SELECT id FROM journal WHERE chain_seq IS NULL AND state <> 'pending'"
                              " AND desk IS NULL AND (?1 = 0 OR account_id = ?1) ORDER BY id LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = np_ledger_step (self, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      sqlite3_reset (stmt);
      if (out_bad_entry != NULL)
        *out_bad_entry = id;
      set_tampered (error, id, _("it is finished but has no place in the chain."));
      return FALSE;
    }

  stmt = np_ledger_statement (self,
                              "SELECT " CHAIN_ROW_COLUMNS ", chain_seq, chain_hash FROM journal"
                              " WHERE chain_seq IS NOT NULL AND (?1 = 0 OR account_id = ?1)"
                              " ORDER BY account_id, chain_seq", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);

  while ((rc = np_ledger_step (self, stmt, error)) == SQLITE_ROW)
    {
      char account[32];
      NpChainRow row = { 0 };
      const char *stored = (const char *)sqlite3_column_text (stmt, 13);
      g_autofree char *computed = NULL;
      const char *why = NULL;

      read_chain_row (stmt, &row, account);
      row.seq = sqlite3_column_int64 (stmt, 12);

      if (sqlite3_column_int64 (stmt, 1) != current_account)
        {
          current_account = sqlite3_column_int64 (stmt, 1);
          expected = 1;
          g_clear_pointer (&prev, g_free);
        }

      g_string_truncate (text, 0);
      np_journal_chain_serialize (text, prev, &row);
      computed = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)text->str, text->len);

      if (row.seq != expected)
        why = row.seq > expected ? _("the row before it in the chain is missing.")
                                 : _("it is out of its place in the chain.");
      else if (g_strcmp0 (stored, computed) != 0)
        why = _("its content or its place in the chain was changed.");

      if (why != NULL)
        {
          sqlite3_reset (stmt);
          if (out_bad_entry != NULL)
            *out_bad_entry = row.id;
          set_tampered (error, row.id, why);
          return FALSE;
        }

      g_free (prev);
      prev = g_steal_pointer (&computed);
      expected++;
      n_rows++;
    }
  if (rc < 0)
    return FALSE;

  if (out_n_rows != NULL)
    *out_n_rows = n_rows;
  if (out_head != NULL)
    *out_head = g_steal_pointer (&prev);
  return TRUE;
}

char *
np_ledger_chain_head (NpLedger  *self,
                      gint64     account_id,
                      GError   **error)
{
  g_autofree char *hash = NULL;
  gint64 seq;

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  if (!chain_head (self, account_id, &seq, &hash, error))
    return NULL;
  return hash != NULL ? g_steal_pointer (&hash) : g_strdup ("");
}
