/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-embedded-sandbox.c — the sandbox the console runs for "Try the sandbox".
 *
 * A thin owner of NpSandboxThread: it decides where the state lives and makes
 * sure the server stops (saving its state) when the console lets go of it.
 */
#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>

#include "np-embedded-sandbox.h"
#include "np-sandbox-thread.h"

struct _NpEmbeddedSandbox
{
  GObject          parent_instance;

  char            *state_dir;
  char            *state_path;
  NpSandboxThread *thread;
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (NpEmbeddedSandbox, np_embedded_sandbox, G_TYPE_OBJECT)

static void
np_embedded_sandbox_dispose (GObject *object)
{
  NpEmbeddedSandbox *self = (NpEmbeddedSandbox *)object;

  g_cancellable_cancel (self->cancellable);
  np_embedded_sandbox_stop (self);

  G_OBJECT_CLASS (np_embedded_sandbox_parent_class)->dispose (object);
}

static void
np_embedded_sandbox_finalize (GObject *object)
{
  NpEmbeddedSandbox *self = (NpEmbeddedSandbox *)object;

  g_free (self->state_dir);
  g_free (self->state_path);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (np_embedded_sandbox_parent_class)->finalize (object);
}

static void
np_embedded_sandbox_class_init (NpEmbeddedSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = np_embedded_sandbox_dispose;
  object_class->finalize = np_embedded_sandbox_finalize;
}

static void
np_embedded_sandbox_init (NpEmbeddedSandbox *self)
{
  self->cancellable = g_cancellable_new ();
}

NpEmbeddedSandbox *
np_embedded_sandbox_new (const char *state_dir)
{
  NpEmbeddedSandbox *self = g_object_new (NP_TYPE_EMBEDDED_SANDBOX, NULL);

  if (state_dir != NULL)
    self->state_dir = g_strdup (state_dir);
  else
    self->state_dir = g_build_filename (g_get_user_data_dir (), "neuropay-console", "sandbox", NULL);
  self->state_path = g_build_filename (self->state_dir, "state.json", NULL);

  return self;
}

const char *
np_embedded_sandbox_get_state_path (NpEmbeddedSandbox *self)
{
  g_return_val_if_fail (NP_IS_EMBEDDED_SANDBOX (self), NULL);
  return self->state_path;
}

typedef struct {
  char *state_dir;
  char *state_path;
  char *test_key;
} StartData;

static void
start_data_free (StartData *data)
{
  g_free (data->state_dir);
  g_free (data->state_path);
  g_free (data->test_key);
  g_free (data);
}

static void
start_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  StartData *data = task_data;
  NpSandboxOptions options = { 0 };
  NpSandboxThread *thread;
  GError *error = NULL;

  if (g_mkdir_with_parents (data->state_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create %s: %s"), data->state_dir, g_strerror (saved_errno));
      return;
    }

  options.state_path = data->state_path;
  options.test_key = data->test_key;

  /* Loopback only, on a free port: nothing outside this computer can reach it. */
  thread = np_sandbox_thread_start (&options, "127.0.0.1", 0, &error);
  if (thread == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, thread, g_object_unref);
}

void
np_embedded_sandbox_start_async (NpEmbeddedSandbox   *self,
                                 const char          *test_key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StartData *data;

  g_return_if_fail (NP_IS_EMBEDDED_SANDBOX (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_embedded_sandbox_start_async);

  if (self->thread != NULL)
    {
      g_task_return_pointer (task, g_object_ref (self->thread), g_object_unref);
      return;
    }

  data = g_new0 (StartData, 1);
  data->state_dir = g_strdup (self->state_dir);
  data->state_path = g_strdup (self->state_path);
  data->test_key = g_strdup (test_key);
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);
  g_task_run_in_thread (task, start_in_thread);
}

gboolean
np_embedded_sandbox_start_finish (NpEmbeddedSandbox  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_autoptr(NpSandboxThread) thread = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  thread = g_task_propagate_pointer (G_TASK (result), error);
  if (thread == NULL)
    return FALSE;

  if (self->thread == NULL)
    self->thread = g_steal_pointer (&thread);
  else if (self->thread != thread)
    np_sandbox_thread_stop (thread);  /* two starts raced: keep the first */

  return TRUE;
}

gboolean
np_embedded_sandbox_is_running (NpEmbeddedSandbox *self)
{
  g_return_val_if_fail (NP_IS_EMBEDDED_SANDBOX (self), FALSE);
  return self->thread != NULL;
}

const char *
np_embedded_sandbox_get_base_url (NpEmbeddedSandbox *self)
{
  g_return_val_if_fail (NP_IS_EMBEDDED_SANDBOX (self), NULL);
  return self->thread != NULL ? np_sandbox_thread_get_base_url (self->thread) : NULL;
}

const char *
np_embedded_sandbox_get_test_key (NpEmbeddedSandbox *self)
{
  g_return_val_if_fail (NP_IS_EMBEDDED_SANDBOX (self), NULL);
  return self->thread != NULL ? np_sandbox_thread_get_test_key (self->thread) : NULL;
}

void
np_embedded_sandbox_stop (NpEmbeddedSandbox *self)
{
  g_return_if_fail (NP_IS_EMBEDDED_SANDBOX (self));

  if (self->thread == NULL)
    return;

  np_sandbox_thread_stop (self->thread);
  g_clear_object (&self->thread);
}
