/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-export.c — the CSV export worker (see np-ledger-export-private.h). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-ledger-export-private.h"

#define EXPORT_FLUSH_SIZE (64 * 1024)

static void
io_error (GError **error,
          GError  *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, cause);
  else
    {
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_IO,
                   _("Could not write the export: %s"), cause->message);
      g_error_free (cause);
    }
}

static gboolean
flush (GOutputStream  *stream,
       GString        *buffer,
       GCancellable   *cancellable,
       GError        **error)
{
  GError *write_error = NULL;

  if (buffer->len > 0 &&
      !g_output_stream_write_all (stream, buffer->str, buffer->len, NULL, cancellable, &write_error))
    {
      io_error (error, write_error);
      return FALSE;
    }

  g_string_truncate (buffer, 0);
  return TRUE;
}

/* Writes the rows @ids reads through @stmt (@export's SQL on any connection). */
static gboolean
export_rows (sqlite3               *db,
             sqlite3_stmt          *stmt,
             const NpLedgerExport  *export,
             GArray                *ids,
             GOutputStream         *stream,
             guint64               *out_rows,
             GCancellable          *cancellable,
             GError               **error)
{
  g_autoptr(GString) buffer = g_string_sized_new (EXPORT_FLUSH_SIZE + 4096);
  guint64 n_rows = 0;

  for (guint i = 0; i < export->n_header; i++)
    {
      if (i > 0)
        g_string_append_c (buffer, ',');
      g_string_append (buffer, export->header[i]);
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
          export->append_record (buffer, stmt);
          n_rows++;
        }
      else if (rc != SQLITE_DONE)
        {
          np_ledger_set_error (db, rc, error);
          sqlite3_reset (stmt);
          return FALSE;
        }

      if (buffer->len >= EXPORT_FLUSH_SIZE &&
          !flush (stream, buffer, cancellable, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);

  if (!flush (stream, buffer, cancellable, error))
    return FALSE;

  if (out_rows != NULL)
    *out_rows = n_rows;
  return TRUE;
}

/* Writes through g_file_replace (): the old file stays until the new one is
 * complete, and a failed export leaves nothing behind. */
static gboolean
export_rows_to_file (sqlite3               *db,
                     sqlite3_stmt          *stmt,
                     const NpLedgerExport  *export,
                     GArray                *ids,
                     GFile                 *file,
                     guint64               *out_rows,
                     GCancellable          *cancellable,
                     GError               **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abandon = NULL;
  GError *local_error = NULL;

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, &local_error);
  if (stream == NULL)
    {
      io_error (error, local_error);
      return FALSE;
    }

  if (!export_rows (db, stmt, export, ids, G_OUTPUT_STREAM (stream), out_rows, cancellable, error))
    {
      /* Closing with a cancelled cancellable drops the temporary file. */
      abandon = g_cancellable_new ();
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      return FALSE;
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &local_error))
    {
      io_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

gboolean
np_ledger_export_to_stream (NpLedger              *self,
                            const NpLedgerExport  *export,
                            GArray                *ids,
                            GOutputStream         *stream,
                            guint64               *out_rows,
                            GCancellable          *cancellable,
                            GError               **error)
{
  sqlite3_stmt *stmt = np_ledger_statement (self, export->sql, error);

  if (stmt == NULL)
    return FALSE;

  return export_rows (self->db, stmt, export, ids, stream, out_rows, cancellable, error);
}

gboolean
np_ledger_export_to_file (NpLedger              *self,
                          const NpLedgerExport  *export,
                          GArray                *ids,
                          GFile                 *file,
                          guint64               *out_rows,
                          GCancellable          *cancellable,
                          GError               **error)
{
  sqlite3_stmt *stmt = np_ledger_statement (self, export->sql, error);

  if (stmt == NULL)
    return FALSE;

  return export_rows_to_file (self->db, stmt, export, ids, file, out_rows, cancellable, error);
}

typedef struct {
  const NpLedgerExport *export;
  char                 *path;     /* the ledger file */
  GArray               *ids;
  GFile                *file;
  guint64               n_rows;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->path);
  g_array_unref (job->ids);
  g_object_unref (job->file);
  g_free (job);
}

/* The worker reads through its own read-only connection: WAL gives it a
 * consistent snapshot while the main thread keeps writing. Where SQLite could
 * not use WAL (np_ledger_get_wal_active ()), the same read transaction holds
 * the main thread's writes back until it ends (up to the busy timeout). */
static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gboolean ok;
  int rc;

  rc = sqlite3_open_v2 (job->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 5000);
      rc = sqlite3_prepare_v2 (db, job->export->sql, -1, &stmt, NULL);
    }

  if (rc != SQLITE_OK)
    {
      np_ledger_set_error (db, rc, &error);
      ok = FALSE;
    }
  else
    {
      /* One read transaction: every row from the same snapshot. */
      sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
      ok = export_rows_to_file (db, stmt, job->export, job->ids, job->file, &job->n_rows,
                                cancellable, &error);
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
np_ledger_export_in_thread (NpLedger              *self,
                            const NpLedgerExport  *export,
                            GArray                *ids,
                            GFile                 *file,
                            GTask                 *task)
{
  ExportJob *job = g_new0 (ExportJob, 1);

  job->export = export;
  job->path = g_strdup (self->path);
  job->ids = ids;
  job->file = g_object_ref (file);
  g_task_set_task_data (task, job, (GDestroyNotify)export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
np_ledger_export_task_finish (GTask    *task,
                              guint64  *out_rows,
                              GError  **error)
{
  ExportJob *job;

  if (!g_task_propagate_boolean (task, error))
    return FALSE;

  job = g_task_get_task_data (task);
  if (out_rows != NULL)
    *out_rows = job->n_rows;

  return TRUE;
}
