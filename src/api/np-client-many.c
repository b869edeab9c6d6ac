/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-client-many.c — refresh many checkouts with a bounded number in flight.
 *
 * Each id is an ordinary retrieve (with its own retries); a failure is recorded
 * for its id and the batch goes on. Cancelling stops starting new requests,
 * cancels the ones in flight and fails the batch with CANCELLED once they settle.
 */
#include "config.h"

#include "np-client-private.h"

#define DEFAULT_IN_FLIGHT 8

typedef struct {
  GTask                *task;
  GStrv                 ids;
  guint                 total;
  guint                 next;
  guint                 in_flight;
  guint                 done;
  guint                 max_in_flight;
  GPtrArray            *results;      /* of NpRetrieveResult, by index */
  NpClientProgressFunc  progress;
  gpointer              progress_data;
} Batch;

typedef struct {
  Batch *batch;
  guint  index;
} Item;

static void
batch_free (Batch *batch)
{
  g_strfreev (batch->ids);
  g_clear_pointer (&batch->results, g_ptr_array_unref);
  g_free (batch);
}

static void start_more (Batch *batch);

static void
on_retrieved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Item *item = user_data;
  Batch *batch = item->batch;
  NpRetrieveResult *entry = g_ptr_array_index (batch->results, item->index);

  entry->checkout = np_client_checkout_finish (NP_CLIENT (source), result, &entry->error);
  g_free (item);

  batch->in_flight--;
  batch->done++;
  if (batch->progress != NULL)
    batch->progress (batch->done, batch->total, batch->progress_data);

  start_more (batch);
}

static void
finish_batch (Batch *batch)
{
  GTask *task = batch->task;
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    g_task_return_new_error (task, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED, "The refresh was cancelled");
  else
    g_task_return_pointer (task, g_ptr_array_ref (batch->results), (GDestroyNotify) g_ptr_array_unref);

  g_object_unref (task);
}

static void
start_more (Batch *batch)
{
  GCancellable *cancellable = g_task_get_cancellable (batch->task);
  NpClient *client = g_task_get_source_object (batch->task);
  gboolean cancelled = cancellable != NULL && g_cancellable_is_cancelled (cancellable);

  while (!cancelled && batch->in_flight < batch->max_in_flight && batch->next < batch->total)
    {
      Item *item = g_new0 (Item, 1);

      item->batch = batch;
      item->index = batch->next++;
      batch->in_flight++;
      np_client_retrieve_checkout_async (client, batch->ids[item->index], cancellable, on_retrieved, item);
    }

  if (batch->in_flight == 0 && (cancelled || batch->next == batch->total))
    finish_batch (batch);
}

void
np_client_retrieve_many_async (NpClient             *self,
                               const char * const   *checkout_ids,
                               guint                 max_in_flight,
                               NpClientProgressFunc  progress,
                               gpointer              progress_data,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  Batch *batch;

  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (checkout_ids != NULL);

  batch = g_new0 (Batch, 1);
  batch->task = g_task_new (self, cancellable, callback, user_data);
  batch->ids = g_strdupv ((char **) checkout_ids);
  batch->total = g_strv_length (batch->ids);
  batch->max_in_flight = max_in_flight > 0 ? max_in_flight : DEFAULT_IN_FLIGHT;
  batch->results = g_ptr_array_new_full (batch->total, (GDestroyNotify) np_retrieve_result_free);
  batch->progress = progress;
  batch->progress_data = progress_data;

  for (guint i = 0; i < batch->total; i++)
    {
      NpRetrieveResult *entry = g_new0 (NpRetrieveResult, 1);

      entry->checkout_id = g_strdup (batch->ids[i]);
      g_ptr_array_add (batch->results, entry);
    }

  g_task_set_source_tag (batch->task, np_client_retrieve_many_async);
  g_task_set_task_data (batch->task, batch, (GDestroyNotify) batch_free);
  g_task_set_check_cancellable (batch->task, FALSE);

  start_more (batch);
}

GPtrArray *
np_client_retrieve_many_finish (NpClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (NP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == np_client_retrieve_many_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
