/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-journal-export.c — the journal of one account as CSV.
 *
 * Like the checkout export it streams: it holds the ordered ids of the query's
 * entries (8 bytes each), never the entries, and writes as it reads, so the
 * whole audit trail of a busy account exports without growing the process.
 */
#include "config.h"

#include "np-csv.h"
#include "np-ledger-journal-export.h"
#include "np-ledger-export-private.h"

#define JOURNAL_EXPORT_SQL \
  "SELECT id, started, finished, operation, object_id, state, summary, error_text," \
  "  settled, settled_status, details" \
  " FROM journal WHERE id = ?1"

static const char * const journal_header[] = {
  "id", "started", "finished", "operation", "object_id", "outcome", "summary",
  "error", "settled", "settled_status", "details",
};

/* Columns of JOURNAL_EXPORT_SQL that hold Unix seconds. */
static gboolean
is_time_column (int column)
{
  return column == 1 || column == 2 || column == 8;
}

static void
append_journal_record (GString      *out,
                       sqlite3_stmt *stmt)
{
  for (int column = 0; column < (int)G_N_ELEMENTS (journal_header); column++)
    {
      if (column > 0)
        g_string_append_c (out, ',');

      if (is_time_column (column))
        {
          g_autoptr(GDateTime) time = np_store_column_time (stmt, column);
          g_autofree char *text = time ? g_date_time_format_iso8601 (time) : NULL;

          np_csv_append_field (out, text);
        }
      else if (column == 0)
        np_csv_append_number (out, (const char *)sqlite3_column_text (stmt, column));
      else
        np_csv_append_field (out, (const char *)sqlite3_column_text (stmt, column));
    }
  g_string_append (out, "\r\n");
}

static const NpLedgerExport journal_export = {
  JOURNAL_EXPORT_SQL, journal_header, G_N_ELEMENTS (journal_header), append_journal_record,
};

static GArray *
journal_ids (NpLedger              *self,
             gint64                 account_id,
             const NpJournalQuery  *query,
             GError               **error)
{
  g_autoptr(NpJournalQuery) everything = np_journal_query_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!np_ledger_query_journal_row_ids (self, account_id, query ? query : everything,
                                        ids, NULL, error))
    return NULL;

  return g_steal_pointer (&ids);
}

gboolean
np_ledger_export_journal (NpLedger              *self,
                          gint64                 account_id,
                          const NpJournalQuery  *query,
                          GOutputStream         *stream,
                          guint64               *out_rows,
                          GCancellable          *cancellable,
                          GError               **error)
{
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  ids = journal_ids (self, account_id, query, error);
  if (ids == NULL)
    return FALSE;

  return np_ledger_export_to_stream (self, &journal_export, ids, stream, out_rows, cancellable, error);
}

void
np_ledger_export_journal_async (NpLedger              *self,
                                gint64                 account_id,
                                const NpJournalQuery  *query,
                                GFile                 *file,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GArray) ids = NULL;
  GError *error = NULL;

  g_return_if_fail (NP_IS_LEDGER (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_ledger_export_journal_async);

  /* The ids are chosen here, on the ledger's thread, so the file holds exactly
   * what the list showed when Export was pressed. */
  ids = journal_ids (self, account_id, query, &error);
  if (ids == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  np_ledger_export_in_thread (self, &journal_export, g_steal_pointer (&ids), file, task);
}

gboolean
np_ledger_export_journal_finish (NpLedger      *self,
                                 GAsyncResult  *result,
                                 guint64       *out_rows,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == np_ledger_export_journal_async, FALSE);

  return np_ledger_export_task_finish (G_TASK (result), out_rows, error);
}
