/* np-ledger-journal-export.c — the journal of one account as CSV.
 *
 * Like the checkout export it streams: it holds the ordered ids of the query's
 * entries (8 bytes each), never the entries, and writes as it reads, so the
 * whole audit trail of a busy account exports without growing the process.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-csv.h"
#include "np-ledger-journal-export.h"
#include "np-ledger-private.h"

#define JOURNAL_FLUSH_SIZE (64 * 1024)

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
      else
        np_csv_append_field (out, (const char *)sqlite3_column_text (stmt, column));
    }
  g_string_append (out, "\r\n");
}

static gboolean
flush_buffer (GOutputStream  *stream,
              GString        *buffer,
              GCancellable   *cancellable,
              GError        **error)
{
  GError *local_error = NULL;

  if (buffer->len > 0 &&
      !g_output_stream_write_all (stream, buffer->str, buffer->len, NULL, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, local_error);
      else
        {
          g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_IO,
                       _("Could not write the export: %s"), local_error->message);
          g_error_free (local_error);
        }
      return FALSE;
    }

  g_string_truncate (buffer, 0);
  return TRUE;
}

/* Writes the entries @ids reads through @stmt (JOURNAL_EXPORT_SQL on any connection). */
static gboolean
export_entries (sqlite3        *db,
                sqlite3_stmt   *stmt,
                GArray         *ids,
                GOutputStream  *stream,
                guint64        *out_rows,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr(GString) buffer = g_string_sized_new (JOURNAL_FLUSH_SIZE + 4096);
  guint64 n_rows = 0;

  for (guint i = 0; i < G_N_ELEMENTS (journal_header); i++)
    {
      if (i > 0)
        g_string_append_c (buffer, ',');
      g_string_append (buffer, journal_header[i]);
    }
  g_string_append (buffer, "\r\n");

  for (guint i = 0; i < ids->len; i++)
    {
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          append_journal_record (buffer, stmt);
          n_rows++;
        }
      else if (rc != SQLITE_DONE)
        {
          np_ledger_set_error (db, rc, error);
          sqlite3_reset (stmt);
          return FALSE;
        }

      if (buffer->len >= JOURNAL_FLUSH_SIZE &&
          !flush_buffer (stream, buffer, cancellable, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);

  if (!flush_buffer (stream, buffer, cancellable, error))
    return FALSE;

  if (out_rows != NULL)
    *out_rows = n_rows;
  return TRUE;
}

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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (!(ids = journal_ids (self, account_id, query, error)) ||
      !(stmt = np_ledger_statement (self, JOURNAL_EXPORT_SQL, error)))
    return FALSE;

  return export_entries (self->db, stmt, ids, stream, out_rows, cancellable, error);
}

typedef struct {
  char    *path;     /* the ledger file */
  GArray  *ids;
  GFile   *file;
  guint64  n_rows;
} JournalExportJob;

static void
journal_export_job_free (JournalExportJob *job)
{
  g_free (job->path);
  g_array_unref (job->ids);
  g_object_unref (job->file);
  g_free (job);
}

/* g_file_replace () keeps the old file until the new one is complete; a failed
 * export closes with a cancelled cancellable, which drops the temporary file. */
static gboolean
export_entries_to_file (sqlite3        *db,
                        sqlite3_stmt   *stmt,
                        JournalExportJob *job,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  GError *local_error = NULL;

  stream = g_file_replace (job->file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_IO,
                   _("Could not write the export: %s"), local_error->message);
      g_error_free (local_error);
      return FALSE;
    }

  if (!export_entries (db, stmt, job->ids, G_OUTPUT_STREAM (stream), &job->n_rows, cancellable, error))
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      return FALSE;
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &local_error))
    {
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_IO,
                   _("Could not write the export: %s"), local_error->message);
      g_error_free (local_error);
      return FALSE;
    }

  return TRUE;
}

static void
journal_export_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  JournalExportJob *job = task_data;
  GError *error = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gboolean ok;
  int rc;

  rc = sqlite3_open_v2 (job->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 5000);
      rc = sqlite3_prepare_v2 (db, JOURNAL_EXPORT_SQL, -1, &stmt, NULL);
    }

  if (rc != SQLITE_OK)
    {
      np_ledger_set_error (db, rc, &error);
      ok = FALSE;
    }
  else
    {
      /* One read transaction: every entry from the same snapshot. */
      sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
      ok = export_entries_to_file (db, stmt, job, cancellable, &error);
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    }

  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
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
  JournalExportJob *job;

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

  job = g_new0 (JournalExportJob, 1);
  job->path = g_strdup (self->path);
  job->ids = g_steal_pointer (&ids);
  job->file = g_object_ref (file);
  g_task_set_task_data (task, job, (GDestroyNotify)journal_export_job_free);
  g_task_run_in_thread (task, journal_export_thread);
}

gboolean
np_ledger_export_journal_finish (NpLedger      *self,
                                 GAsyncResult  *result,
                                 guint64       *out_rows,
                                 GError       **error)
{
  JournalExportJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == np_ledger_export_journal_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  job = g_task_get_task_data (G_TASK (result));
  if (out_rows != NULL)
    *out_rows = job->n_rows;

  return TRUE;
}
