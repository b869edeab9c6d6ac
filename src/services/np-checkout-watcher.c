/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-watcher.c — see np-checkout-watcher.h. */
#include "config.h"

#include "np-checkout-watcher.h"
#include "np-workspace.h"
#include "np-workspace-private.h"

#define DEFAULT_LIMIT_SECONDS (15 * 60)
#define DEFAULT_BUDGET_MS     1000

typedef struct {
  char  *checkout_id;
  gint64 started;       /* monotonic µs */
  gint64 next_due;      /* monotonic µs */
  gint64 last_checked;  /* monotonic µs, 0: not yet */
  char  *status;        /* last known status text, NULL: unknown */
} Watch;

struct _NpCheckoutWatcher
{
  GObject       parent_instance;

  NpWorkspace  *workspace;     /* not owned: it owns us */
  gint64        account_id;
  GHashTable   *watches;       /* id -> Watch */
  GCancellable *cancellable;   /* the request in flight */
  gboolean      in_flight;
  gint64        next_allowed;  /* monotonic µs: the budget */
  guint         timeout_id;
  guint         n_requests;
  guint         limit_seconds;
  guint         budget_ms;
  gulong        account_handler;
};

enum { PROP_0, PROP_LIMIT_SECONDS, PROP_BUDGET_MS, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { WATCH_CHANGED, STATUS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NpCheckoutWatcher, np_checkout_watcher, G_TYPE_OBJECT)

static void schedule (NpCheckoutWatcher *self);

static void
watch_free (Watch *watch)
{
  g_free (watch->checkout_id);
  g_free (watch->status);
  g_free (watch);
}

guint
np_checkout_watcher_interval_for_age (gint64 age_us)
{
  gint64 age_s = age_us / G_USEC_PER_SEC;

  if (age_s < 60)
    return 2000;
  if (age_s < 3 * 60)
    return 5000;
  if (age_s < 5 * 60)
    return 10000;
  return 30000;
}

static void
emit_watch_changed (NpCheckoutWatcher *self,
                    const char        *checkout_id)
{
  g_autofree char *id = g_strdup (checkout_id);

  g_signal_emit (self, signals[WATCH_CHANGED], 0, id);
}

static void
remove_watch (NpCheckoutWatcher *self,
              const char        *checkout_id)
{
  g_autofree char *id = g_strdup (checkout_id);

  if (g_hash_table_remove (self->watches, id))
    emit_watch_changed (self, id);
}

static void
looked_up (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree char *checkout_id = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = np_workspace_checkout_finish (NP_WORKSPACE (source), result, &error);
  NpCheckoutWatcher *self;
  Watch *watch;
  gint64 now;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED))
    return;

  self = np_workspace_get_watcher (NP_WORKSPACE (source));
  now = g_get_monotonic_time ();
  self->in_flight = FALSE;
  self->next_allowed = now + (gint64) self->budget_ms * 1000;
  /* Retries exhausted on 429: the server's word holds for every watch. */
  if (g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_RATE_LIMITED))
    self->next_allowed = MAX (self->next_allowed,
                              now + (gint64) MAX (np_client_error_get_retry_after (error), 1) * G_USEC_PER_SEC);

  watch = g_hash_table_lookup (self->watches, checkout_id);
  if (watch != NULL)
    {
      watch->last_checked = now;
      watch->next_due = now + (gint64) np_checkout_watcher_interval_for_age (now - watch->started) * 1000;
      if (checkout != NULL)
        {
          const char *status = np_checkout_get_status_text (checkout);
          gboolean changed = watch->status != NULL && g_strcmp0 (watch->status, status) != 0;

          g_free (watch->status);
          watch->status = g_strdup (status);
          if (changed)
            g_signal_emit (self, signals[STATUS_CHANGED], 0, checkout_id, checkout);
          if (np_checkout_get_status (checkout) != NP_CHECKOUT_STATUS_CREATED)
            remove_watch (self, checkout_id);
          else
            emit_watch_changed (self, checkout_id);
        }
      else if (g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NOT_FOUND))
        remove_watch (self, checkout_id);
      else
        emit_watch_changed (self, checkout_id);
    }
  schedule (self);
}

/* The watch most overdue, dropping those past the limit. */
static Watch *
next_watch (NpCheckoutWatcher *self,
            gint64             now)
{
  g_autoptr(GPtrArray) expired = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  Watch *watch, *best = NULL;

  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &watch))
    {
      if (now - watch->started >= (gint64) self->limit_seconds * G_USEC_PER_SEC)
        g_ptr_array_add (expired, g_strdup (watch->checkout_id));
      else if (best == NULL || watch->next_due < best->next_due)
        best = watch;
    }
  for (guint i = 0; i < expired->len; i++)
    remove_watch (self, g_ptr_array_index (expired, i));
  return best;
}

static gboolean
tick (gpointer user_data)
{
  NpCheckoutWatcher *self = user_data;
  gint64 now = g_get_monotonic_time ();
  Watch *watch;

  self->timeout_id = 0;
  if (self->in_flight)
    return G_SOURCE_REMOVE;
  watch = next_watch (self, now);
  if (watch == NULL)
    return G_SOURCE_REMOVE;
  if (watch->next_due > now || self->next_allowed > now)
    {
      schedule (self);
      return G_SOURCE_REMOVE;
    }

  self->in_flight = TRUE;
  self->n_requests++;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  np_workspace_lookup_checkout_async (self->workspace, watch->checkout_id, self->cancellable,
                                      looked_up, g_strdup (watch->checkout_id));
  return G_SOURCE_REMOVE;
}

/* One timer for every watch: at the earliest due time the budget allows, or at
 * the earliest limit. */
static void
schedule (NpCheckoutWatcher *self)
{
  GHashTableIter iter;
  Watch *watch;
  gint64 now = g_get_monotonic_time ();
  gint64 when = G_MAXINT64;
  gint64 delay_ms;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->in_flight || g_hash_table_size (self->watches) == 0)
    return;

  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &watch))
    {
      when = MIN (when, MAX (watch->next_due, self->next_allowed));
      when = MIN (when, watch->started + (gint64) self->limit_seconds * G_USEC_PER_SEC);
    }
  delay_ms = MAX (when - now, 0) / 1000;
  self->timeout_id = g_timeout_add ((guint) MIN (delay_ms, G_MAXUINT), tick, self);
}

void
np_checkout_watcher_watch (NpCheckoutWatcher *self,
                           const char        *checkout_id)
{
  g_autoptr(NpCheckout) known = NULL;
  gint64 now = g_get_monotonic_time ();
  Watch *watch;

  g_return_if_fail (NP_IS_CHECKOUT_WATCHER (self));
  g_return_if_fail (checkout_id != NULL);

  if (np_workspace_get_account_id (self->workspace) == 0)
    return;
  known = np_ledger_get_checkout (np_workspace_get_ledger (self->workspace),
                                  np_workspace_get_account_id (self->workspace), checkout_id, NULL);
  if (known != NULL && np_checkout_get_status (known) != NP_CHECKOUT_STATUS_CREATED)
    return;

  watch = g_hash_table_lookup (self->watches, checkout_id);
  if (watch == NULL)
    {
      watch = g_new0 (Watch, 1);
      watch->checkout_id = g_strdup (checkout_id);
      /* What was just created or shown is fresh: the first check is one interval on. */
      watch->next_due = now + (gint64) np_checkout_watcher_interval_for_age (0) * 1000;
      g_hash_table_insert (self->watches, watch->checkout_id, watch);
    }
  watch->started = now;
  if (watch->status == NULL && known != NULL)
    watch->status = g_strdup (np_checkout_get_status_text (known));
  self->account_id = np_workspace_get_account_id (self->workspace);
  emit_watch_changed (self, checkout_id);
  schedule (self);
}

#define RECENT_MAX 200

guint
np_checkout_watcher_watch_recent (NpCheckoutWatcher *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_auto(GStrv) ids = NULL;
  gint64 account_id;
  guint n = 0;

  g_return_val_if_fail (NP_IS_CHECKOUT_WATCHER (self), 0);

  account_id = np_workspace_get_account_id (self->workspace);
  if (account_id == 0)
    return 0;
  now = np_workspace_get_server_now (self->workspace);
  /* Straight from SQL: at start-up the search index is still loading on a
   * worker, and asking it here would load it again on the main thread. */
  ids = np_ledger_dup_waiting_checkout_ids (np_workspace_get_ledger (self->workspace), account_id,
                                            g_date_time_to_unix (now) - 24 * 3600, RECENT_MAX, NULL);
  if (ids == NULL)
    return 0;
  for (; ids[n] != NULL; n++)
    np_checkout_watcher_watch (self, ids[n]);
  return n;
}

void
np_checkout_watcher_stop (NpCheckoutWatcher *self,
                          const char        *checkout_id)
{
  g_return_if_fail (NP_IS_CHECKOUT_WATCHER (self));

  remove_watch (self, checkout_id);
  schedule (self);
}

void
np_checkout_watcher_stop_all (NpCheckoutWatcher *self)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  const char *id;

  g_return_if_fail (NP_IS_CHECKOUT_WATCHER (self));

  g_cancellable_cancel (self->cancellable);
  self->in_flight = FALSE;
  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    g_ptr_array_add (ids, g_strdup (id));
  for (guint i = 0; i < ids->len; i++)
    remove_watch (self, g_ptr_array_index (ids, i));
  schedule (self);
}

gboolean
np_checkout_watcher_is_watching (NpCheckoutWatcher *self,
                                 const char        *checkout_id)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_WATCHER (self), FALSE);

  return checkout_id != NULL && g_hash_table_contains (self->watches, checkout_id);
}

guint
np_checkout_watcher_get_n_watching (NpCheckoutWatcher *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_WATCHER (self), 0);

  return g_hash_table_size (self->watches);
}

gint64
np_checkout_watcher_get_last_checked (NpCheckoutWatcher *self,
                                      const char        *checkout_id)
{
  Watch *watch;

  g_return_val_if_fail (NP_IS_CHECKOUT_WATCHER (self), 0);

  watch = checkout_id != NULL ? g_hash_table_lookup (self->watches, checkout_id) : NULL;
  return watch != NULL ? watch->last_checked : 0;
}

guint
np_checkout_watcher_get_n_requests (NpCheckoutWatcher *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_WATCHER (self), 0);

  return self->n_requests;
}

/* Another account: nothing of the old one is watched any more. */
static void
on_account_changed (NpCheckoutWatcher *self)
{
  if (np_workspace_get_account_id (self->workspace) != self->account_id)
    {
      np_checkout_watcher_stop_all (self);
      self->next_allowed = 0;
      self->account_id = np_workspace_get_account_id (self->workspace);
    }
}

NpCheckoutWatcher *
np_checkout_watcher_new (struct _NpWorkspace *workspace)
{
  NpCheckoutWatcher *self = g_object_new (NP_TYPE_CHECKOUT_WATCHER, NULL);

  self->workspace = workspace;
  self->account_id = np_workspace_get_account_id (workspace);
  self->account_handler = g_signal_connect_swapped (workspace, "notify::account",
                                                    G_CALLBACK (on_account_changed), self);
  return self;
}

static void
np_checkout_watcher_dispose (GObject *object)
{
  NpCheckoutWatcher *self = NP_CHECKOUT_WATCHER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->workspace != NULL)
    g_clear_signal_handler (&self->account_handler, self->workspace);
  self->workspace = NULL;
  g_hash_table_remove_all (self->watches);

  G_OBJECT_CLASS (np_checkout_watcher_parent_class)->dispose (object);
}

static void
np_checkout_watcher_finalize (GObject *object)
{
  NpCheckoutWatcher *self = NP_CHECKOUT_WATCHER (object);

  g_hash_table_unref (self->watches);

  G_OBJECT_CLASS (np_checkout_watcher_parent_class)->finalize (object);
}

static void
np_checkout_watcher_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  NpCheckoutWatcher *self = NP_CHECKOUT_WATCHER (object);

  switch (prop_id)
    {
    case PROP_LIMIT_SECONDS:
      g_value_set_uint (value, self->limit_seconds);
      break;
    case PROP_BUDGET_MS:
      g_value_set_uint (value, self->budget_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_checkout_watcher_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  NpCheckoutWatcher *self = NP_CHECKOUT_WATCHER (object);
  guint v = g_value_get_uint (value);

  switch (prop_id)
    {
    case PROP_LIMIT_SECONDS:
      if (self->limit_seconds == v)
        return;
      self->limit_seconds = v;
      break;
    case PROP_BUDGET_MS:
      if (self->budget_ms == v)
        return;
      self->budget_ms = v;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
  schedule (self);
}

static void
np_checkout_watcher_class_init (NpCheckoutWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = np_checkout_watcher_dispose;
  object_class->finalize = np_checkout_watcher_finalize;
  object_class->get_property = np_checkout_watcher_get_property;
  object_class->set_property = np_checkout_watcher_set_property;

  properties[PROP_LIMIT_SECONDS] =
    g_param_spec_uint ("limit-seconds", NULL, NULL, 1, 24 * 3600, DEFAULT_LIMIT_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUDGET_MS] =
    g_param_spec_uint ("budget-ms", NULL, NULL, 100, 60000, DEFAULT_BUDGET_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[WATCH_CHANGED] =
    g_signal_new ("watch-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[STATUS_CHANGED] =
    g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, NP_TYPE_CHECKOUT);
}

static void
np_checkout_watcher_init (NpCheckoutWatcher *self)
{
  self->watches = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) watch_free);
  self->limit_seconds = DEFAULT_LIMIT_SECONDS;
  self->budget_ms = DEFAULT_BUDGET_MS;
}
