/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-workspace-refresh.c — "Refresh all", import of pasted ids, and export.
 *
 * The API cannot list anything, so a refresh retrieves every id the ledger knows
 * may still change. Results are stored in batches from an idle source, one
 * transaction each, so that ten thousand ids make some dozens of
 * NpLedger::changed signals rather than ten thousand list updates, and no write
 * holds the main loop for longer than a slice.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "np-workspace-private.h"

#define REFRESH_BATCH 500

static NpRefreshSummary *
refresh_summary_new (guint total)
{
  NpRefreshSummary *summary = g_new0 (NpRefreshSummary, 1);

  summary->total = total;
  summary->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) np_retrieve_result_free);
  return summary;
}

NpRefreshSummary *
np_workspace_refresh_finish (NpWorkspace   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Object ids with UNKNOWN journal rows not yet settled: the only ones worth a
 * settle statement. */
static GHashTable *
unsettled_object_ids (NpLedger *ledger,
                      gint64    account_id)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  NpJournalQuery query = { 0 };
  g_autoptr(GPtrArray) entries = NULL;

  query.needs_attention = TRUE;
  entries = np_ledger_journal_list (ledger, account_id, &query, 0, G_MAXUINT, NULL);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const char *object_id = np_journal_entry_get_object_id (g_ptr_array_index (entries, i));

      if (object_id != NULL)
        g_hash_table_add (ids, g_strdup (object_id));
    }

  return ids;
}

/* Storing the results: a slice per idle, so that the list and the frame clock
 * keep running. A slice gathers rows until its batch size or STORE_BUDGET_US,
 * then writes them as one transaction (one NpLedger::changed). The batch size
 * follows what a row cost in the last slice, aiming at a third of a frame, but never
 * below MIN_BATCH: each commit has a fixed cost (a sync to disk, the lists'
 * update, a frame), which with one row a slice would make ten thousand rows
 * take minutes. */
#define STORE_BUDGET_US 5000
#define FIRST_BATCH 64
#define MIN_BATCH 32

typedef struct {
  GTask            *task;
  NpLedger         *ledger;
  gint64            account_id;
  GPtrArray        *results;     /* of NpRetrieveResult, taken over */
  guint             next;
  guint             batch_size;
  GPtrArray        *batch;       /* of NpCheckout, for the next write */
  GHashTable       *unsettled;
  NpRefreshSummary *summary;
} StoreJob;

static void
store_job_free (StoreJob *job)
{
  g_clear_object (&job->task);
  g_clear_object (&job->ledger);
  g_clear_pointer (&job->results, g_ptr_array_unref);
  g_clear_pointer (&job->batch, g_ptr_array_unref);
  g_clear_pointer (&job->unsettled, g_hash_table_unref);
  g_clear_pointer (&job->summary, np_refresh_summary_free);
  g_free (job);
}

/* Counts result @i and puts it in the batch, or records its failure. */
static gboolean
take_result (StoreJob  *job,
             guint      i,
             GError   **error)
{
  NpRetrieveResult *result = g_ptr_array_index (job->results, i);
  NpRefreshSummary *summary = job->summary;

  if (result->checkout != NULL)
    {
      g_autoptr(NpCheckoutRow) row = np_ledger_get_checkout_row (job->ledger, job->account_id,
                                                                 result->checkout_id, NULL);
      const char *status = np_checkout_get_status_text (result->checkout);

      summary->updated++;
      if (row != NULL && np_checkout_row_get_retrieved (row)
          && g_strcmp0 (np_checkout_row_get_status_text (row), status) != 0)
        summary->changed_status++;

      if (g_hash_table_contains (job->unsettled, np_checkout_get_id (result->checkout)))
        {
          guint n = 0;

          if (!np_ledger_journal_settle_object (job->ledger, job->account_id,
                                                np_checkout_get_id (result->checkout),
                                                status, &n, error))
            return FALSE;
          summary->settled += n;
          np_workspace_share_settled (g_task_get_source_object (job->task), job->account_id,
                                      np_checkout_get_id (result->checkout), status);
        }

      g_ptr_array_add (job->batch, g_object_ref (result->checkout));
      /* Freed as it is stored: ten thousand answers freed at the end were one
       * tenth of a second without a frame. */
      g_clear_pointer (&job->results->pdata[i], np_retrieve_result_free);
    }
  else
    {
      g_autofree char *text = np_workspace_describe_error (result->error);

      if (g_error_matches (result->error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NOT_FOUND))
        summary->not_found++;
      else
        summary->failed++;

      np_ledger_record_checkout_failure (job->ledger, job->account_id, result->checkout_id, text, NULL);

      /* Handed over to the summary; the array's free function skips NULL. */
      g_ptr_array_add (summary->failures, result);
      job->results->pdata[i] = NULL;
    }

  return TRUE;
}

static gboolean
store_slice (gpointer user_data)
{
  StoreJob *job = user_data;
  g_autoptr(GArray) refreshes = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 start = g_get_monotonic_time ();
  gint64 spent;
  guint n_stored;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (job->task))
    return G_SOURCE_REMOVE;

  while (job->next < job->results->len && job->batch->len < job->batch_size &&
         g_get_monotonic_time () - start < STORE_BUDGET_US)
    if (!take_result (job, job->next++, &error))
      {
        g_task_return_error (job->task, error);
        return G_SOURCE_REMOVE;
      }

  /* The status changes the batch shows are journalled as refreshes in the same
   * transaction as the checkouts. */
  if (job->batch->len > 0 &&
      !np_ledger_refresh_checkouts (job->ledger, job->account_id, job->batch, refreshes, &error))
    {
      g_task_return_error (job->task, error);
      return G_SOURCE_REMOVE;
    }
  if (job->batch->len > 0)
    np_workspace_share_checkouts (g_task_get_source_object (job->task), job->account_id, job->batch);
  np_workspace_share_refreshes (g_task_get_source_object (job->task), job->account_id, refreshes);

  /* Freeing the stored checkouts is part of what a row costs. */
  n_stored = job->batch->len;
  g_ptr_array_set_size (job->batch, 0);
  spent = MAX (g_get_monotonic_time () - start, 1);
  if (n_stored > 0)
    job->batch_size = CLAMP ((gint64) n_stored * STORE_BUDGET_US / spent, MIN_BATCH, REFRESH_BATCH);

  if (job->next < job->results->len)
    return G_SOURCE_CONTINUE;

  g_task_return_pointer (job->task, g_steal_pointer (&job->summary), (GDestroyNotify) np_refresh_summary_free);
  return G_SOURCE_REMOVE;
}

static void
many_retrieved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpOperation *operation = g_task_get_task_data (task);
  g_autoptr(GSource) idle = NULL;
  GPtrArray *results;
  StoreJob *job;
  GError *error = NULL;

  results = np_client_retrieve_many_finish (NP_CLIENT (source), result, &error);
  if (results == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  job = g_new0 (StoreJob, 1);
  job->task = g_steal_pointer (&task);
  job->ledger = g_object_ref (operation->workspace->ledger);
  job->account_id = operation->account_id;
  job->results = results;
  job->batch_size = FIRST_BATCH;
  job->batch = g_ptr_array_new_with_free_func (g_object_unref);
  job->unsettled = unsettled_object_ids (job->ledger, job->account_id);
  job->summary = refresh_summary_new (results->len);

  idle = g_idle_source_new ();
  g_source_set_priority (idle, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (idle, store_slice, job, (GDestroyNotify) store_job_free);
  g_source_set_static_name (idle, "[neuropay] store refreshed checkouts");
  g_source_attach (idle, g_task_get_context (job->task));
}

/* Starts refreshing @ids (NULL: the account's open checkouts) on @task. */
static void
refresh_on_task (NpWorkspace             *self,
                 GTask                   *task,
                 const char * const      *ids,
                 NpWorkspaceProgressFunc  progress,
                 gpointer                 progress_data)
{
  g_auto(GStrv) open_ids = NULL;
  NpOperation *operation;
  GError *error = NULL;

  operation = np_workspace_begin_operation (self, NULL, &error);
  if (operation == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, operation, (GDestroyNotify) np_operation_free);

  if (ids == NULL)
    {
      open_ids = np_ledger_dup_open_checkout_ids (self->ledger, operation->account_id, &error);
      if (open_ids == NULL)
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      ids = (const char * const *) open_ids;
    }

  if (ids[0] == NULL)
    {
      g_task_return_pointer (task, refresh_summary_new (0), (GDestroyNotify) np_refresh_summary_free);
      g_object_unref (task);
      return;
    }

  /* Same signature: the client reports on the caller's main context. */
  np_client_retrieve_many_async (operation->client, ids, self->refresh_max_in_flight,
                                 (NpClientProgressFunc) progress, progress_data,
                                 g_task_get_cancellable (task), many_retrieved, task);
}

void
np_workspace_refresh_checkouts_async (NpWorkspace             *self,
                                      const char * const      *checkout_ids,
                                      NpWorkspaceProgressFunc  progress,
                                      gpointer                 progress_data,
                                      GCancellable            *cancellable,
                                      GAsyncReadyCallback      callback,
                                      gpointer                 user_data)
{
  GTask *task;

  g_return_if_fail (NP_IS_WORKSPACE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_workspace_refresh_checkouts_async);
  refresh_on_task (self, task, checkout_ids, progress, progress_data);
}

/* CSV when the first line has a separator and the next line has as many: a list
 * of ids split by commas has one line, or lines without commas. */
static NpImportFormat
guess_format (const char *text)
{
  const char *first_end = strchr (text, '\n');
  guint first = 0, second = 0;
  const char *p;

  if (first_end == NULL)
    return NP_IMPORT_FORMAT_LIST;

  for (p = text; p < first_end; p++)
    first += (*p == ',' || *p == ';' || *p == '\t');
  for (p = first_end + 1; *p != '\0' && *p != '\n'; p++)
    second += (*p == ',' || *p == ';' || *p == '\t');

  return first > 0 && first == second ? NP_IMPORT_FORMAT_CSV : NP_IMPORT_FORMAT_LIST;
}

void
np_workspace_import_checkouts_async (NpWorkspace             *self,
                                     const char              *text,
                                     NpWorkspaceProgressFunc  progress,
                                     gpointer                 progress_data,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      callback,
                                     gpointer                 user_data)
{
  g_autoptr(NpImportResult) imported = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  GTask *task;
  GError *error = NULL;

  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_workspace_import_checkouts_async);

  if (self->account == NULL)
    {
      g_task_return_new_error (task, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_NO_ACCOUNT, "%s",
                               _("No account is chosen. Connect an account or try the sandbox."));
      g_object_unref (task);
      return;
    }

  imported = np_ledger_import_ids (self->ledger, np_account_get_id (self->account),
                                   NP_LEDGER_OBJECT_CHECKOUT, guess_format (text), NULL,
                                   text, strlen (text), &error);
  if (imported == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  ids = g_ptr_array_new ();
  for (guint i = 0; i < imported->new_ids->len; i++)
    g_ptr_array_add (ids, g_ptr_array_index (imported->new_ids, i));
  g_ptr_array_add (ids, NULL);

  refresh_on_task (self, task, (const char * const *) ids->pdata, progress, progress_data);
}

/* Customers: few enough to retrieve a handful at a time without a batch call. */

typedef struct {
  NpOperation      *operation;
  GStrv             ids;
  guint             next;
  guint             in_flight;
  GPtrArray        *customers;   /* retrieved, stored together at the end */
  NpRefreshSummary *summary;
} CustomerRefresh;

static void
customer_refresh_free (CustomerRefresh *refresh)
{
  g_clear_pointer (&refresh->operation, np_operation_free);
  g_strfreev (refresh->ids);
  g_clear_pointer (&refresh->customers, g_ptr_array_unref);
  g_clear_pointer (&refresh->summary, np_refresh_summary_free);
  g_free (refresh);
}

static void customer_refresh_next (GTask *task);

typedef struct {
  GTask *task;
  char  *customer_id;
} CustomerCall;

static void
customer_retrieved (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CustomerCall *call = user_data;
  g_autoptr(GTask) task = call->task;
  g_autofree char *customer_id = call->customer_id;
  CustomerRefresh *refresh = g_task_get_task_data (task);
  NpLedger *ledger = refresh->operation->workspace->ledger;
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;

  g_free (call);
  refresh->in_flight--;
  customer = np_client_customer_finish (NP_CLIENT (source), result, &error);

  if (customer != NULL)
    {
      refresh->summary->updated++;
      g_ptr_array_add (refresh->customers, g_steal_pointer (&customer));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
           && !g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED))
    {
      g_autofree char *text = np_workspace_describe_error (error);

      if (g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NOT_FOUND))
        refresh->summary->not_found++;
      else
        refresh->summary->failed++;
      /* The ids are in the ledger already: this only records why the refresh failed. */
      np_ledger_record_customer_failure (ledger, refresh->operation->account_id,
                                         customer_id, text, NULL);
    }

  customer_refresh_next (g_steal_pointer (&task));
}

static void
customer_refresh_next (GTask *task)
{
  CustomerRefresh *refresh = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (cancellable))
    refresh->next = g_strv_length (refresh->ids);

  while (refresh->in_flight < 4 && refresh->ids[refresh->next] != NULL)
    {
      CustomerCall *call = g_new0 (CustomerCall, 1);

      call->task = g_object_ref (task);
      call->customer_id = g_strdup (refresh->ids[refresh->next++]);
      refresh->in_flight++;
      np_client_retrieve_customer_async (refresh->operation->client, call->customer_id,
                                         cancellable, customer_retrieved, call);
    }

  if (refresh->in_flight > 0)
    {
      g_object_unref (task);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (refresh->customers->len > 0
      && !np_ledger_upsert_customers (refresh->operation->workspace->ledger,
                                      refresh->operation->account_id, refresh->customers, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      np_workspace_share_customers (refresh->operation->workspace, refresh->operation->account_id,
                                    refresh->customers);
      g_task_return_pointer (task, g_steal_pointer (&refresh->summary),
                           (GDestroyNotify) np_refresh_summary_free);
    }
  g_object_unref (task);
}

void
np_workspace_refresh_customers_async (NpWorkspace         *self,
                                      const char * const  *customer_ids,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  CustomerRefresh *refresh;
  GTask *task;
  GError *error = NULL;

  g_return_if_fail (NP_IS_WORKSPACE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_workspace_refresh_customers_async);

  refresh = g_new0 (CustomerRefresh, 1);
  g_task_set_task_data (task, refresh, (GDestroyNotify) customer_refresh_free);
  refresh->operation = np_workspace_begin_operation (self, NULL, &error);
  if (refresh->operation == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (customer_ids != NULL)
    refresh->ids = g_strdupv ((GStrv) customer_ids);
  else
    {
      g_autoptr(GPtrArray) rows = np_ledger_list_customers (self->ledger, refresh->operation->account_id,
                                                            NULL, 0, G_MAXUINT, &error);
      GStrvBuilder *builder = g_strv_builder_new ();

      if (rows == NULL)
        {
          g_strv_builder_unref (builder);
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      for (guint i = 0; i < rows->len; i++)
        g_strv_builder_add (builder, np_customer_row_get_customer_id (g_ptr_array_index (rows, i)));
      refresh->ids = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
    }

  refresh->customers = g_ptr_array_new_with_free_func (g_object_unref);
  refresh->summary = refresh_summary_new (g_strv_length (refresh->ids));
  customer_refresh_next (task);
}

/* Export */

static void
exported (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  guint64 rows = 0;
  GError *error = NULL;

  if (!np_ledger_export_checkouts_finish (NP_LEDGER (source), result, &rows, &error))
    g_task_return_error (task, error);
  else
    {
      guint64 *out = g_new (guint64, 1);

      *out = rows;
      g_task_return_pointer (task, out, g_free);
    }
}

void
np_workspace_export_checkouts_async (NpWorkspace           *self,
                                     const NpCheckoutQuery *query,
                                     GFile                 *file,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  GTask *task;

  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_workspace_export_checkouts_async);

  if (self->account == NULL)
    {
      g_task_return_new_error (task, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_NO_ACCOUNT, "%s",
                               _("No account is chosen. Connect an account or try the sandbox."));
      g_object_unref (task);
      return;
    }

  np_ledger_export_checkouts_async (self->ledger, np_account_get_id (self->account), query, file,
                                    cancellable, exported, task);
}

gboolean
np_workspace_export_checkouts_finish (NpWorkspace   *self,
                                      GAsyncResult  *result,
                                      guint64       *out_rows,
                                      GError       **error)
{
  g_autofree guint64 *rows = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  rows = g_task_propagate_pointer (G_TASK (result), error);
  if (rows == NULL)
    return FALSE;
  if (out_rows != NULL)
    *out_rows = *rows;
  return TRUE;
}
