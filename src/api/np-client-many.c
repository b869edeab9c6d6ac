/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-client-many.c — refresh many checkouts, as fast as the server lets us.
 *
 * Against a real API each retrieve waits a round trip, so what decides the time is
 * how many are in flight and how close we come to the server's rate limit. The
 * batch therefore adapts:
 *
 * - It starts with START_IN_FLIGHT requests and adds one per answer (doubling per
 *   round trip) while the answers per epoch keep growing, up to the cap
 *   (Preferences, 32 by default); after that one more per epoch while throughput
 *   still grows.
 * - A 429 stops every new start until its Retry-After has passed, puts the id
 *   back in the queue (a retrieve is safe to repeat: an id is never given up for a
 *   429), and from then on the starts are paced: from the answers to the requests
 *   that reached the empty bucket (those started between the first 429'd one and
 *   the pause) the batch learns the server's rate, paces at 95% of it and probes
 *   2% a second upwards.
 * - A 503/502/504, a timeout or a lost connection halves the number in flight and
 *   waits (Retry-After, or a backoff); such an id is asked again up to
 *   MAX_OTHER_RETRIES times.
 *
 * Any other failure is recorded for its id and the batch goes on. Cancelling stops
 * starting new requests (also during a wait), cancels the ones in flight and fails
 * the batch with CANCELLED once they settle.
 *
 * np_client_retrieve_many_fixed_async () is the refresh as it was before: a fixed
 * number in flight, each retrieve with its own retries. The bench measures the
 * adaptive one against it.
 */
#include "config.h"

#include "np-client-private.h"

#define DEFAULT_CAP         32
#define DEFAULT_FIXED       8
#define START_IN_FLIGHT     4
#define EPOCH_US            (250 * 1000)
#define GROWTH_GAIN         1.10    /* an epoch must beat the one before by this to go on growing */
#define PACE_MARGIN         0.95    /* of the rate learnt from a 429 */
#define PACE_PROBE_PER_S    0.02    /* paced: this much faster per second without a 429 */
#define PACE_MAX_CREDIT     2.0     /* starts a paced batch may save up */
#define BACKOFF_FIRST_US    (500 * 1000)
#define BACKOFF_MAX_US      (8 * G_USEC_PER_SEC)
#define MAX_OTHER_RETRIES   3       /* for 503/502/504 and timeouts; a 429 is waited out, always */
#define HTTP_TOO_MANY_REQUESTS 429

typedef struct {
  GTask                *task;
  GStrv                 ids;
  guint                 total;
  GQueue                pending;      /* GUINT_TO_POINTER (index + 1): to ask, or to ask again */
  guint                 in_flight;
  guint                 done;
  gboolean              adaptive;
  guint                 cap;
  double                window;       /* how many may be in flight */
  gboolean              slow_start;
  guint8               *attempts;     /* per id: 5xx and timeouts so far */
  GPtrArray            *results;      /* of NpRetrieveResult, by index */
  NpClientProgressFunc  progress;
  gpointer              progress_data;

  /* Throughput per epoch. */
  gint64                epoch_start_us;
  guint                 epoch_done;
  double                last_epoch_rate;
  gboolean              limited_in_epoch;

  /* Waiting and pacing. */
  gint64                last_start_us;
  gint64                paused_until_us;
  guint                 backoff_level;
  double                pace_rate;    /* starts per second; 0: not paced */
  double                pace_credit;
  gint64                credit_at_us;

  /* The 429s of one episode: from the first to the end of the pause. */
  gboolean              in_episode;
  gint64                episode_first_us;  /* start of the earliest 429'd request */
  gint64                episode_last_us;   /* the last start before the pause */
  guint                 episode_ok;
  guint                 episode_seen;

  GSource              *timer;
  GSource              *cancel_source;
} Batch;

typedef struct {
  Batch  *batch;
  guint   index;
  gint64  started_us;
} Item;

static void
batch_free (Batch *batch)
{
  g_strfreev (batch->ids);
  g_queue_clear (&batch->pending);
  g_free (batch->attempts);
  g_clear_pointer (&batch->results, g_ptr_array_unref);
  g_free (batch);
}

static void start_more (Batch *batch);

static void
clear_sources (Batch *batch)
{
  if (batch->timer != NULL)
    g_source_destroy (batch->timer);
  g_clear_pointer (&batch->timer, g_source_unref);
  if (batch->cancel_source != NULL)
    g_source_destroy (batch->cancel_source);
  g_clear_pointer (&batch->cancel_source, g_source_unref);
}

static void
finish_batch (Batch *batch)
{
  GTask *task = batch->task;
  GCancellable *cancellable = g_task_get_cancellable (task);

  clear_sources (batch);
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    g_task_return_new_error (task, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED, "The refresh was cancelled");
  else
    g_task_return_pointer (task, g_ptr_array_ref (batch->results), (GDestroyNotify) g_ptr_array_unref);

  g_object_unref (task);
}

/* Timers ----------------------------------------------------------------------- */

static gboolean
on_timer (gpointer user_data)
{
  Batch *batch = user_data;

  g_clear_pointer (&batch->timer, g_source_unref);
  start_more (batch);
  return G_SOURCE_REMOVE;
}

static void
wake_at (Batch  *batch,
         gint64  when_us)
{
  gint64 delay_us = MAX (when_us - g_get_monotonic_time (), 0);

  if (batch->timer != NULL)
    {
      if (g_source_get_ready_time (batch->timer) != -1 && g_source_get_ready_time (batch->timer) <= when_us)
        return;
      g_source_destroy (batch->timer);
      g_clear_pointer (&batch->timer, g_source_unref);
    }
  /* Whole milliseconds, rounded up: never early. */
  batch->timer = g_timeout_source_new ((guint) ((delay_us + 999) / 1000));
  g_source_set_callback (batch->timer, on_timer, batch, NULL);
  g_source_set_static_name (batch->timer, "[neuropay] retrieve_many pacing");
  g_source_attach (batch->timer, g_task_get_context (batch->task));
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  Batch *batch = user_data;

  /* A batch that only waits (a Retry-After, a pace) has nothing in flight to end it. */
  g_clear_pointer (&batch->cancel_source, g_source_unref);
  start_more (batch);
  return G_SOURCE_REMOVE;
}

/* Adapting --------------------------------------------------------------------- */

/* Once per epoch: grow while throughput grows; paced, probe upwards. */
static void
end_epoch_if_due (Batch  *batch,
                  gint64  now)
{
  double seconds = (now - batch->epoch_start_us) / (double) G_USEC_PER_SEC;
  double rate;

  if (now - batch->epoch_start_us < EPOCH_US)
    return;
  rate = batch->epoch_done / seconds;

  if (batch->slow_start && batch->last_epoch_rate > 0 && rate < batch->last_epoch_rate * GROWTH_GAIN)
    batch->slow_start = FALSE;
  else if (!batch->slow_start && !batch->limited_in_epoch && rate > batch->last_epoch_rate * GROWTH_GAIN)
    batch->window = MIN (batch->window + 1, batch->cap);

  if (batch->pace_rate > 0 && !batch->limited_in_epoch && !batch->in_episode)
    batch->pace_rate *= 1.0 + PACE_PROBE_PER_S * seconds;

  batch->last_epoch_rate = rate;
  batch->epoch_start_us = now;
  batch->epoch_done = 0;
  batch->limited_in_epoch = FALSE;
}

static void
wait_until (Batch  *batch,
            gint64  until_us)
{
  batch->paused_until_us = MAX (batch->paused_until_us, until_us);
}

static gint64
backoff_us (Batch *batch)
{
  gint64 delay = MIN (BACKOFF_FIRST_US << MIN (batch->backoff_level, 8), BACKOFF_MAX_US);

  batch->backoff_level++;
  return delay / 2 + g_random_int_range (0, (gint32) (delay / 2) + 1);
}

/* The server said 429 to a request started at @item->started_us. */
static void
on_rate_limited (Batch        *batch,
                 Item         *item,
                 const GError *error,
                 gint64        now)
{
  guint retry_after = np_client_error_get_retry_after (error);

  if (!batch->in_episode)
    {
      batch->in_episode = TRUE;
      batch->episode_first_us = item->started_us;
      /* Nothing starts from here until the pause is over. */
      batch->episode_last_us = batch->last_start_us;
      batch->episode_ok = 0;
      batch->episode_seen = 0;
    }
  else
    batch->episode_first_us = MIN (batch->episode_first_us, item->started_us);
  batch->episode_seen++;

  batch->slow_start = FALSE;
  batch->limited_in_epoch = TRUE;
  wait_until (batch, now + (retry_after > 0 ? retry_after * G_USEC_PER_SEC : backoff_us (batch)));
}

/* Every request of the episode has come back: the successes among those that
 * reached the empty bucket tell the server's rate. */
static void
end_episode (Batch *batch)
{
  double span_s = (batch->episode_last_us - batch->episode_first_us) / (double) G_USEC_PER_SEC;
  double rate;

  batch->in_episode = FALSE;
  if (batch->episode_seen >= 4 && span_s > 0.005)
    rate = batch->episode_ok / (span_s * batch->episode_seen / (batch->episode_seen - 1));
  else
    rate = batch->pace_rate > 0 ? batch->pace_rate * 0.7 : batch->last_epoch_rate * 0.5;

  batch->pace_rate = MAX (1.0, rate * PACE_MARGIN);
  batch->pace_credit = 0;
  batch->credit_at_us = batch->paused_until_us;
}

/* A 503/502/504 or a timeout: fewer at once, and a wait. */
static void
on_overloaded (Batch        *batch,
               const GError *error,
               gint64        now)
{
  guint retry_after = np_client_error_get_retry_after (error);

  batch->slow_start = FALSE;
  batch->limited_in_epoch = TRUE;
  batch->window = MAX (1.0, batch->window / 2);
  wait_until (batch, now + (retry_after > 0 ? retry_after * G_USEC_PER_SEC : backoff_us (batch)));
}

static gboolean
is_overloaded (const GError *error)
{
  guint status = np_client_error_get_http_status (error);

  /* A lost or refused connection too: a front end's connection limit closes
   * the ones beyond it (the sandbox's --max-connections). */
  if (g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_TIMEOUT) ||
      g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NETWORK))
    return TRUE;
  return g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_SERVER) &&
         (status == SOUP_STATUS_SERVICE_UNAVAILABLE || status == SOUP_STATUS_BAD_GATEWAY ||
          status == SOUP_STATUS_GATEWAY_TIMEOUT);
}

/* Answers ------------------------------------------------------------------------ */

static void
settle (Batch *batch)
{
  batch->done++;
  batch->epoch_done++;
  if (batch->progress != NULL)
    batch->progress (batch->done, batch->total, batch->progress_data);
}

static void
on_retrieved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Item *item = user_data;
  Batch *batch = item->batch;
  NpRetrieveResult *entry = g_ptr_array_index (batch->results, item->index);
  GCancellable *cancellable = g_task_get_cancellable (batch->task);
  gboolean cancelled = cancellable != NULL && g_cancellable_is_cancelled (cancellable);
  g_autoptr(GError) error = NULL;
  NpCheckout *checkout;
  gint64 now = g_get_monotonic_time ();

  checkout = np_client_checkout_finish (NP_CLIENT (source), result, &error);
  batch->in_flight--;

  if (batch->adaptive && batch->in_episode && item->started_us >= batch->episode_first_us &&
      item->started_us <= batch->episode_last_us && checkout != NULL)
    {
      batch->episode_ok++;
      batch->episode_seen++;
    }

  if (batch->adaptive && !cancelled && g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_RATE_LIMITED))
    {
      on_rate_limited (batch, item, error, now);
      g_queue_push_head (&batch->pending, GUINT_TO_POINTER (item->index + 1));
    }
  else if (batch->adaptive && !cancelled && error != NULL && is_overloaded (error) &&
           batch->attempts[item->index] < MAX_OTHER_RETRIES)
    {
      batch->attempts[item->index]++;
      on_overloaded (batch, error, now);
      g_queue_push_head (&batch->pending, GUINT_TO_POINTER (item->index + 1));
    }
  else
    {
      entry->checkout = checkout;
      entry->error = g_steal_pointer (&error);
      if (entry->checkout != NULL)
        {
          batch->backoff_level = 0;
          if (batch->slow_start)
            batch->window = MIN (batch->window + 1, batch->cap);
        }
      settle (batch);
    }
  g_free (item);

  if (batch->adaptive && batch->in_episode && batch->in_flight == 0)
    end_episode (batch);
  if (batch->adaptive)
    end_epoch_if_due (batch, now);
  start_more (batch);
}

/* Starting ------------------------------------------------------------------------ */

/* Paced: how many may start now; otherwise as many as the window allows. */
static gboolean
may_start (Batch  *batch,
           gint64  now)
{
  if (batch->in_flight >= (guint) batch->window)
    return FALSE;
  if (!batch->adaptive || batch->pace_rate <= 0)
    return TRUE;

  if (now > batch->credit_at_us)
    {
      batch->pace_credit = MIN (batch->pace_credit + (now - batch->credit_at_us) * batch->pace_rate / G_USEC_PER_SEC,
                                PACE_MAX_CREDIT);
      batch->credit_at_us = now;
    }
  return batch->pace_credit >= 1.0;
}

static void
start_more (Batch *batch)
{
  GCancellable *cancellable = g_task_get_cancellable (batch->task);
  NpClient *client = g_task_get_source_object (batch->task);
  gboolean cancelled = cancellable != NULL && g_cancellable_is_cancelled (cancellable);
  gint64 now = g_get_monotonic_time ();

  if (cancelled)
    {
      if (batch->in_flight == 0)
        finish_batch (batch);
      return;
    }

  if (batch->paused_until_us > now)
    {
      wake_at (batch, batch->paused_until_us);
      return;
    }

  while (!g_queue_is_empty (&batch->pending) && may_start (batch, now))
    {
      Item *item = g_new0 (Item, 1);

      item->batch = batch;
      item->index = GPOINTER_TO_UINT (g_queue_pop_head (&batch->pending)) - 1;
      item->started_us = now;
      batch->last_start_us = now;
      batch->in_flight++;
      if (batch->adaptive && batch->pace_rate > 0)
        batch->pace_credit -= 1.0;
      if (batch->adaptive)
        np_client_retrieve_checkout_paced_async (client, batch->ids[item->index], cancellable, on_retrieved, item);
      else
        np_client_retrieve_checkout_async (client, batch->ids[item->index], cancellable, on_retrieved, item);
    }

  /* Paced and held back only by the pace: come back when the next start is due. */
  if (!g_queue_is_empty (&batch->pending) && batch->adaptive && batch->pace_rate > 0 &&
      batch->in_flight < (guint) batch->window)
    wake_at (batch, now + (gint64) ((1.0 - batch->pace_credit) * G_USEC_PER_SEC / batch->pace_rate) + 1);

  if (batch->in_flight == 0 && g_queue_is_empty (&batch->pending))
    finish_batch (batch);
}

static void
retrieve_many (NpClient             *self,
               const char * const   *checkout_ids,
               gboolean              adaptive,
               guint                 max_in_flight,
               NpClientProgressFunc  progress,
               gpointer              progress_data,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data)
{
  Batch *batch;

  batch = g_new0 (Batch, 1);
  batch->task = g_task_new (self, cancellable, callback, user_data);
  batch->ids = g_strdupv ((char **) checkout_ids);
  batch->total = g_strv_length (batch->ids);
  batch->adaptive = adaptive;
  batch->cap = max_in_flight > 0 ? max_in_flight : adaptive ? DEFAULT_CAP : DEFAULT_FIXED;
  batch->window = adaptive ? MIN (START_IN_FLIGHT, batch->cap) : batch->cap;
  batch->slow_start = adaptive;
  batch->attempts = g_new0 (guint8, MAX (batch->total, 1));
  batch->results = g_ptr_array_new_full (batch->total, (GDestroyNotify) np_retrieve_result_free);
  batch->progress = progress;
  batch->progress_data = progress_data;
  batch->epoch_start_us = g_get_monotonic_time ();
  g_queue_init (&batch->pending);

  for (guint i = 0; i < batch->total; i++)
    {
      NpRetrieveResult *entry = g_new0 (NpRetrieveResult, 1);

      entry->checkout_id = g_strdup (batch->ids[i]);
      g_ptr_array_add (batch->results, entry);
      g_queue_push_tail (&batch->pending, GUINT_TO_POINTER (i + 1));
    }

  g_task_set_source_tag (batch->task, np_client_retrieve_many_async);
  g_task_set_task_data (batch->task, batch, (GDestroyNotify) batch_free);
  g_task_set_check_cancellable (batch->task, FALSE);

  if (cancellable != NULL)
    {
      batch->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (batch->cancel_source, (GSourceFunc) (GCallback) on_cancelled, batch, NULL);
      g_source_set_static_name (batch->cancel_source, "[neuropay] retrieve_many cancel");
      g_source_attach (batch->cancel_source, g_task_get_context (batch->task));
    }

  start_more (batch);
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
  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (checkout_ids != NULL);

  retrieve_many (self, checkout_ids, TRUE, max_in_flight, progress, progress_data,
                 cancellable, callback, user_data);
}

void
np_client_retrieve_many_fixed_async (NpClient             *self,
                                     const char * const   *checkout_ids,
                                     guint                 in_flight,
                                     NpClientProgressFunc  progress,
                                     gpointer              progress_data,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (checkout_ids != NULL);

  retrieve_many (self, checkout_ids, FALSE, in_flight, progress, progress_data,
                 cancellable, callback, user_data);
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
