/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sandbox-thread.c — see np-sandbox-thread.h.
 *
 * Only strings cross the thread boundary: the caller gets copies of the URL and
 * keys, and stopping goes through g_main_context_invoke on the server's context.
 */
#include "np-sandbox-thread.h"

#include <gio/gio.h>

struct _NpSandboxThread
{
  GObject       parent_instance;

  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;

  /* Given to the thread. */
  char         *state_path;
  char         *test_key;
  char         *live_key;
  char         *host;
  guint         port;
  guint         latency_ms;
  guint         rate_limit;
  guint         rate_burst;
  guint         max_connections;
  gboolean      log_to_stdout;
  NpSandboxLogFunc log_func;
  gpointer      log_data;

  /* Set by the thread before it signals. */
  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
  GError       *error;
  char         *base_url;
};

G_DEFINE_FINAL_TYPE (NpSandboxThread, np_sandbox_thread, G_TYPE_OBJECT)

static void
np_sandbox_thread_dispose (GObject *object)
{
  np_sandbox_thread_stop (NP_SANDBOX_THREAD (object));
  G_OBJECT_CLASS (np_sandbox_thread_parent_class)->dispose (object);
}

static void
np_sandbox_thread_finalize (GObject *object)
{
  NpSandboxThread *self = NP_SANDBOX_THREAD (object);

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->state_path, g_free);
  g_clear_pointer (&self->test_key, g_free);
  g_clear_pointer (&self->live_key, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_error (&self->error);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (np_sandbox_thread_parent_class)->finalize (object);
}

static void
np_sandbox_thread_class_init (NpSandboxThreadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = np_sandbox_thread_dispose;
  object_class->finalize = np_sandbox_thread_finalize;
}

static void
np_sandbox_thread_init (NpSandboxThread *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
}

static void
signal_ready (NpSandboxThread *self)
{
  g_mutex_lock (&self->mutex);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static gpointer
thread_main (gpointer data)
{
  NpSandboxThread *self = data;
  NpSandboxOptions options = {
    .state_path = self->state_path,
    .test_key = self->test_key,
    .live_key = self->live_key,
    .latency_ms = self->latency_ms,
    .rate_limit = self->rate_limit,
    .rate_burst = self->rate_burst,
    .max_connections = self->max_connections,
    .log_to_stdout = self->log_to_stdout,
    .log_func = self->log_func,
    .log_data = self->log_data,
  };
  g_autoptr(NpSandboxServer) server = NULL;
  GError *error = NULL;

  g_main_context_push_thread_default (self->context);

  server = np_sandbox_server_new (&options, &error);
  if (server != NULL && !np_sandbox_server_listen (server, self->host, self->port, &error))
    g_clear_object (&server);

  if (server == NULL)
    {
      self->error = error;
      g_main_context_pop_thread_default (self->context);
      signal_ready (self);
      return NULL;
    }

  /* Generated keys are only known now; the caller reads them after the signal. */
  g_free (self->test_key);
  g_free (self->live_key);
  self->test_key = g_strdup (np_sandbox_server_get_test_key (server));
  self->live_key = g_strdup (np_sandbox_server_get_live_key (server));
  self->base_url = g_strdup (np_sandbox_server_get_base_url (server));
  signal_ready (self);

  g_main_loop_run (self->loop);

  np_sandbox_server_disconnect (server);
  g_clear_object (&server);
  /* Let libsoup finish closing its connections on this context. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

NpSandboxThread *
np_sandbox_thread_start (const NpSandboxOptions  *options,
                         const char              *host,
                         guint                    port,
                         GError                 **error)
{
  g_autoptr(NpSandboxThread) self = g_object_new (NP_TYPE_SANDBOX_THREAD, NULL);

  g_return_val_if_fail (options != NULL, NULL);

  self->state_path = g_strdup (options->state_path);
  self->test_key = g_strdup (options->test_key);
  self->live_key = g_strdup (options->live_key);
  self->latency_ms = options->latency_ms;
  self->rate_limit = options->rate_limit;
  self->rate_burst = options->rate_burst;
  self->max_connections = options->max_connections;
  self->log_to_stdout = options->log_to_stdout;
  self->log_func = options->log_func;
  self->log_data = options->log_data;
  self->host = g_strdup (host != NULL ? host : "127.0.0.1");
  self->port = port;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  self->thread = g_thread_new ("np-sandbox", thread_main, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      g_thread_join (g_steal_pointer (&self->thread));
      return NULL;
    }
  return g_steal_pointer (&self);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
np_sandbox_thread_stop (NpSandboxThread *self)
{
  g_return_if_fail (NP_IS_SANDBOX_THREAD (self));

  if (self->thread == NULL)
    return;
  g_main_context_invoke (self->context, quit_cb, self->loop);
  g_thread_join (g_steal_pointer (&self->thread));
}

const char *
np_sandbox_thread_get_base_url (NpSandboxThread *self)
{
  g_return_val_if_fail (NP_IS_SANDBOX_THREAD (self), NULL);
  return self->base_url;
}

const char *
np_sandbox_thread_get_test_key (NpSandboxThread *self)
{
  g_return_val_if_fail (NP_IS_SANDBOX_THREAD (self), NULL);
  return self->test_key;
}

const char *
np_sandbox_thread_get_live_key (NpSandboxThread *self)
{
  g_return_val_if_fail (NP_IS_SANDBOX_THREAD (self), NULL);
  return self->live_key;
}
