/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-totals-async.c — the Overview's daily totals, read off the main thread.
 *
 * The statement and its binding are np-ledger-totals.c's, in the daily form; the
 * store tests compare both on the same ledger (test-ledger-totals.c).
 */
#include "config.h"

#include "np-ledger-private.h"
#include "np-ledger-totals-async.h"

typedef struct {
  char   *path;        /* the ledger file */
  gint64  account_id;
  gint64  from;
  gint64  until;
  int     utc_offset;
} TotalsJob;

static void
totals_job_free (TotalsJob *job)
{
  g_free (job->path);
  g_free (job);
}

static GPtrArray *
read_totals (sqlite3       *db,
             TotalsJob     *job,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GPtrArray) totals = g_ptr_array_new_with_free_func ((GDestroyNotify)np_status_total_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, np_ledger_totals_sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      np_ledger_set_error (db, rc, error);
      return NULL;
    }

  np_ledger_bind_totals (stmt, job->account_id, job->from, job->until, TRUE, job->utc_offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (totals, np_status_total_from_stmt (stmt));

  if (rc != SQLITE_DONE)
    np_ledger_set_error (db, rc, error);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return g_steal_pointer (&totals);
}

static void
totals_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TotalsJob *job = task_data;
  GPtrArray *totals = NULL;
  GError *error = NULL;
  sqlite3 *db = NULL;
  int rc;

  /* A period nobody looks at any more is not added up. */
  if (g_task_return_error_if_cancelled (task))
    return;

  rc = sqlite3_open_v2 (job->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 5000);
      np_ledger_register_functions (db);
      totals = read_totals (db, job, cancellable, &error);
    }
  else
    np_ledger_set_error (db, rc, &error);

  sqlite3_close_v2 (db);

  if (totals != NULL)
    g_task_return_pointer (task, totals, (GDestroyNotify)g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
np_ledger_get_local_daily_totals_async (NpLedger            *self,
                                        gint64               account_id,
                                        gint64               from,
                                        gint64               until,
                                        int                  utc_offset,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TotalsJob *job;

  g_return_if_fail (NP_IS_LEDGER (self));
  g_return_if_fail (utc_offset > -86400 && utc_offset < 86400);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_ledger_get_local_daily_totals_async);
  /* No return-on-cancel: the worker's cancelled answer is the only one, so
   * nothing is returned twice (GLib 2.74 leaks an error then). */

  job = g_new0 (TotalsJob, 1);
  job->path = g_strdup (self->path);
  job->account_id = account_id;
  job->from = from;
  job->until = until;
  job->utc_offset = utc_offset;
  g_task_set_task_data (task, job, (GDestroyNotify)totals_job_free);
  g_task_run_in_thread (task, totals_thread);
}

GPtrArray *
np_ledger_get_local_daily_totals_finish (NpLedger      *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == np_ledger_get_local_daily_totals_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
