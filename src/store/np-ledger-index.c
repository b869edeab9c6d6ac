/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-index.c — NpLedger's side of the checkout search index: loading it
 * from SQL (on first use, or ahead of time in a worker thread) and re-reading
 * the rows each write commits.
 *
 * Loading reads every checkout row of the account, which at a million rows
 * takes seconds; np_ledger_prepare_account_async () does it on a worker's own
 * read-only connection, and a second call while it runs waits for the same load. Writes committed meanwhile are noted and re-read into
 * the new index before it is installed, so it never misses one.
 */
#include "np-ledger-private.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#define COUNT_SQL "SELECT count(*) FROM checkouts WHERE account_id = ?1"
#define LOAD_SQL \
  "SELECT " NP_CHECKOUT_INDEX_COLUMNS " FROM checkouts WHERE account_id = ?1 ORDER BY row_id"

static void
index_row_from_stmt (sqlite3_stmt       *stmt,
                     NpCheckoutIndexRow *row)
{
  row->row_id = sqlite3_column_int64 (stmt, 0);
  row->status = sqlite3_column_int (stmt, 1);
  row->created = sqlite3_column_int64 (stmt, 2);
  row->updated = sqlite3_column_int64 (stmt, 3);
  row->amount = sqlite3_column_int64 (stmt, 4);
  row->deleted = sqlite3_column_int (stmt, 5) != 0;
  row->refresh_failed = sqlite3_column_int (stmt, 6) != 0;
  row->customer_id = (const char *)sqlite3_column_text (stmt, 7);
  row->text = (const char *)sqlite3_column_text (stmt, 8);
}

/* Loading grows the index's arrays by doubling, leaving the old copies free
 * inside the loading thread's malloc arena: megabytes that stay resident
 * until handed back. */
static void
release_free_memory (void)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

void
np_ledger_release_memory (NpLedger *self)
{
  GHashTableIter iter;
  gpointer index;

  g_return_if_fail (NP_IS_LEDGER (self));

  /* A first sync stores checkouts, then customers: every checkout of a known
   * customer is indexed again with its email, and the first text stays behind
   * as stale bytes (2.5 MiB at 100,000 checkouts) in a buffer grown by doubling. */
  g_hash_table_iter_init (&iter, self->indexes);
  while (g_hash_table_iter_next (&iter, NULL, &index))
    np_checkout_index_compact (index);
  sqlite3_db_release_memory (self->db);
  release_free_memory ();
}

static gboolean
release_memory_idle (gpointer data)
{
  np_ledger_release_memory (data);
  return G_SOURCE_REMOVE;
}

/* Once the lists waiting for an index have taken it: they read their first
 * rows on the ledger's connection and let go of the keys they had from SQL,
 * after the load's own trim. Measured with the 100,000-row list shown: 2 MiB
 * of free heap and 1.2 MiB of SQLite's page cache that stayed resident. */
static void
schedule_release_memory (NpLedger *self)
{
  g_idle_add_full (G_PRIORITY_LOW, release_memory_idle, g_object_ref (self), g_object_unref);
}

/* Runs LOAD_SQL (@stmt, on any connection) into a new index. */
static NpCheckoutIndex *
load_index (sqlite3       *db,
            sqlite3_stmt  *stmt,
            gint64         account_id,
            GCancellable  *cancellable,
            GError       **error)
{
  NpCheckoutIndex *index = np_checkout_index_new ();
  sqlite3_stmt *count = NULL;
  guint n = 0;
  int rc;

  /* The arrays made once at their size (np_checkout_index_reserve ()). */
  if (sqlite3_prepare_v2 (db, COUNT_SQL, -1, &count, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (count, 1, account_id);
      if (sqlite3_step (count) == SQLITE_ROW)
        np_checkout_index_reserve (index, CLAMP (sqlite3_column_int64 (count, 0), 0, G_MAXUINT32 / 64));
    }
  sqlite3_finalize (count);

  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      NpCheckoutIndexRow row;

      index_row_from_stmt (stmt, &row);
      np_checkout_index_set_row (index, &row);

      if (++n % 16384 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
    }

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    np_ledger_set_error (db, rc, error);
  sqlite3_reset (stmt);

  if (error != NULL && *error != NULL)
    {
      np_checkout_index_free (index);
      return NULL;
    }

  /* What every query needs, made resident here in the worker rather than at the
   * first keystroke on the main thread. */
  np_checkout_index_prepare_scratch (index);
  return index;
}

NpCheckoutIndex *
np_ledger_ensure_index (NpLedger  *self,
                        gint64     account_id,
                        GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  NpCheckoutIndex *index = g_hash_table_lookup (self->indexes, &account_id);
  sqlite3_stmt *stmt;

  if (index != NULL)
    return index;

  stmt = np_ledger_statement (self, LOAD_SQL, error);
  if (stmt == NULL)
    return NULL;

  index = load_index (self->db, stmt, account_id, NULL, &local_error);
  if (index == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_hash_table_insert (self->indexes, g_memdup2 (&account_id, sizeof account_id), index);
  /* The load read every row of the account through the ledger's own
   * connection, whose page cache (up to its 16 MiB cache_size) then held the
   * table: 15 MiB resident at 100,000 checkouts for pages no list needs again. */
  sqlite3_db_release_memory (self->db);
  release_free_memory ();
  return index;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *)a;
  gint64 y = *(const gint64 *)b;

  return x < y ? -1 : (x > y ? 1 : 0);
}

/* Re-reads @row_ids of @account_id into @index. */
static gboolean
refresh_rows (NpLedger         *self,
              NpCheckoutIndex  *index,
              GArray           *row_ids,
              GError          **error)
{
  sqlite3_stmt *stmt;

  /* New rows must reach the index in row-id order: slots follow row ids. */
  g_array_sort (row_ids, compare_int64);

  stmt = np_ledger_statement (self,
                              "SELECT " NP_CHECKOUT_INDEX_COLUMNS " FROM checkouts WHERE row_id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < row_ids->len; i++)
    {
      gint64 row_id = g_array_index (row_ids, gint64, i);
      NpCheckoutIndexRow row;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, row_id);
      switch (np_ledger_step (self, stmt, error))
        {
        case SQLITE_ROW:
          index_row_from_stmt (stmt, &row);
          np_checkout_index_set_row (index, &row);
          break;
        case SQLITE_DONE:
          np_checkout_index_remove_row (index, row_id);
          break;
        default:
          return FALSE;
        }
    }

  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
np_ledger_refresh_index (NpLedger  *self,
                         gint64     account_id,
                         GArray    *row_ids,
                         GError   **error)
{
  NpCheckoutIndex *index = g_hash_table_lookup (self->indexes, &account_id);
  GArray *noted = g_hash_table_lookup (self->loading, &account_id);

  /* An index being loaded in a worker catches up with these when it arrives. */
  if (noted != NULL)
    g_array_append_vals (noted, row_ids->data, row_ids->len);

  if (index == NULL || row_ids->len == 0)
    return TRUE;

  if (!refresh_rows (self, index, row_ids, error))
    {
      /* The index no longer matches the file: drop it, the next query reloads it. */
      g_hash_table_remove (self->indexes, &account_id);
      return FALSE;
    }

  return TRUE;
}

void
np_ledger_forget_index (NpLedger *self,
                        gint64    account_id)
{
  g_hash_table_remove (self->indexes, &account_id);
  g_hash_table_remove (self->loading, &account_id);
}

/* Loading ahead of time ---------------------------------------------------------- */

typedef struct {
  char            *path;
  gint64           account_id;
  NpCheckoutIndex *index;   /* the worker's result */
} PrepareJob;

static void
prepare_job_free (PrepareJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->index, np_checkout_index_free);
  g_free (job);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareJob *job = task_data;
  GError *error = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (job->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 5000);
      /* One pass in row-id order reads each page once. The default page
       * cache, freed at the close, stayed resident in this thread's arena,
       * after the index's arrays made at their size: 115.1 against 109 MiB
       * with the 100,000-row list shown. */
      sqlite3_exec (db, "PRAGMA cache_size = -128", NULL, NULL, NULL);
      rc = sqlite3_prepare_v2 (db, LOAD_SQL, -1, &stmt, NULL);
    }

  if (rc == SQLITE_OK)
    job->index = load_index (db, stmt, job->account_id, cancellable, &error);
  else
    np_ledger_set_error (db, rc, &error);

  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The load runs on a thread of its own at a lower CPU priority: at start-up it
 * runs beside the window's first frames, and on a busy machine it took their
 * CPU. A pool thread is not lowered: its priority could not be raised back. */
static gpointer
prepare_thread_main (gpointer data)
{
  g_autoptr(GTask) worker = data;

#ifdef SYS_gettid
  /* Linux: a thread's nice value is its own. */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
#endif
  prepare_thread (worker, g_task_get_source_object (worker), g_task_get_task_data (worker),
                  g_task_get_cancellable (worker));
  return NULL;
}

static gboolean
start_prepare_thread (gpointer data)
{
  g_thread_unref (g_thread_new ("np-index-load", prepare_thread_main, data));
  return G_SOURCE_REMOVE;
}

/* Those who asked for an account while its index was on its way wait for the
 * same load: account id (gint64*) -> GPtrArray of GTask, on the ledger. */
static GHashTable *
get_waiters (NpLedger *self)
{
  GHashTable *waiters = g_object_get_data (G_OBJECT (self), "np-index-waiters");

  if (waiters == NULL)
    {
      waiters = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify)g_ptr_array_unref);
      g_object_set_data_full (G_OBJECT (self), "np-index-waiters", waiters,
                              (GDestroyNotify)g_hash_table_unref);
    }

  return waiters;
}

static void
return_to_waiters (NpLedger     *self,
                   gint64        account_id,
                   const GError *error)
{
  g_autoptr(GPtrArray) tasks = NULL;
  gpointer key;

  if (!g_hash_table_steal_extended (get_waiters (self), &account_id, &key, (gpointer *)&tasks))
    return;
  g_free (key);

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* Catches up with the writes made during the load, then installs the index,
 * unless one appeared meanwhile. */
static gboolean
install_loaded (NpLedger    *self,
                PrepareJob  *job,
                GTask       *result,
                GError     **error)
{
  g_autoptr(GArray) noted = NULL;
  gpointer key;

  if (g_hash_table_steal_extended (self->loading, &job->account_id, &key, (gpointer *)&noted))
    g_free (key);

  if (!g_task_propagate_boolean (result, error))
    return FALSE;

  /* The account went away, or a list loaded the index itself meanwhile (at
   * start, the watcher's list of recent checkouts): this copy is not needed,
   * and its arrays, freed in the loading thread's arena, stayed resident. */
  if (noted == NULL || g_hash_table_contains (self->indexes, &job->account_id))
    {
      g_clear_pointer (&job->index, np_checkout_index_free);
      release_free_memory ();
      return TRUE;
    }

  if (!refresh_rows (self, job->index, noted, error))
    return FALSE;

  g_hash_table_insert (self->indexes, g_memdup2 (&job->account_id, sizeof job->account_id),
                       g_steal_pointer (&job->index));
  release_free_memory ();
  return TRUE;
}

/* Back on the ledger's thread. */
static void
prepare_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  NpLedger *self = NP_LEDGER (object);
  g_autoptr(GTask) task = user_data;
  PrepareJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  gboolean installed;

  installed = install_loaded (self, job, G_TASK (result), &error);
  return_to_waiters (self, job->account_id, error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);

  /* The lists that waited have taken the index by now (their callbacks ran
   * above): what they read and let go of is handed back before their first
   * frame with it, and again once the loop is idle for what follows. */
  if (installed)
    {
      np_ledger_release_memory (self);
      schedule_release_memory (self);
    }
}

void
np_ledger_prepare_account_async (NpLedger            *self,
                                 gint64               account_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GSource) source = NULL;
  PrepareJob *job;

  g_return_if_fail (NP_IS_LEDGER (self));
  g_return_if_fail (account_id > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_ledger_prepare_account_async);

  if (g_hash_table_contains (self->indexes, &account_id))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Already on its way: answered when it arrives. */
  if (g_hash_table_contains (self->loading, &account_id))
    {
      GHashTable *waiters = get_waiters (self);
      GPtrArray *tasks = g_hash_table_lookup (waiters, &account_id);

      if (tasks == NULL)
        {
          tasks = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (waiters, g_memdup2 (&account_id, sizeof account_id), tasks);
        }
      g_ptr_array_add (tasks, g_steal_pointer (&task));
      return;
    }

  g_hash_table_insert (self->loading, g_memdup2 (&account_id, sizeof account_id),
                       g_array_new (FALSE, FALSE, sizeof (gint64)));

  job = g_new0 (PrepareJob, 1);
  job->path = g_strdup (self->path);
  job->account_id = account_id;

  worker = g_task_new (self, cancellable, prepare_loaded, g_steal_pointer (&task));
  g_task_set_task_data (worker, job, (GDestroyNotify)prepare_job_free);

  /* The thread starts once the main loop has nothing else to do: at start-up the
   * account is set before the window is shown, and the load (a core's worth of
   * SQLite for a few hundred ms) then ran beside the window's first frame on a
   * 2-core machine, with the X server and GTK's icon theme thread. Lists made
   * meanwhile wait for it all the same (it is in self->loading). */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_LOW);
  g_source_set_static_name (source, "[np] start the index load");
  g_source_attach (source, g_task_get_context (worker));
  g_source_set_callback (source, start_prepare_thread, g_steal_pointer (&worker), NULL);
}

gboolean
np_ledger_prepare_account_finish (NpLedger      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == np_ledger_prepare_account_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gsize
np_ledger_get_index_text_bytes (NpLedger *self,
                                gint64    account_id,
                                gsize    *out_stale)
{
  NpCheckoutIndex *index;

  g_return_val_if_fail (NP_IS_LEDGER (self), 0);

  if (out_stale != NULL)
    *out_stale = 0;
  index = g_hash_table_lookup (self->indexes, &account_id);
  return index != NULL ? np_checkout_index_get_text_bytes (index, out_stale) : 0;
}
