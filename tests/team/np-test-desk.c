/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-test-desk.c — a team desk process driven by lines (see np-test-desk.h). */
#include <string.h>

#include "np-test-desk.h"
#include "np-test-utils.h"

static void read_next (NpTestDesk *desk);

static void
line_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  NpTestDesk *desk = user_data;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);

  if (line == NULL)
    {
      desk->ended = TRUE;
      return;
    }
  g_queue_push_tail (&desk->lines, line);
  read_next (desk);
}

static void
read_next (NpTestDesk *desk)
{
  g_data_input_stream_read_line_async (desk->out, G_PRIORITY_DEFAULT, NULL, line_read, desk);
}

typedef struct {
  NpTestDesk *desk;
  const char *prefix;
  char       *line;
} LineWait;

static gboolean
line_arrived (gpointer user_data)
{
  LineWait *wait = user_data;

  for (GList *l = wait->desk->lines.head; l != NULL; l = l->next)
    if (strstr (l->data, "error") != NULL && !g_str_has_prefix (wait->prefix, "refund") &&
        !g_str_has_prefix (wait->prefix, "tested"))
      g_error ("%s said: %s", wait->desk->name, (char *) l->data);

  for (GList *l = wait->desk->lines.head; l != NULL; l = l->next)
    if (g_str_has_prefix (l->data, wait->prefix))
      {
        wait->line = l->data;
        g_queue_delete_link (&wait->desk->lines, l);
        return TRUE;
      }
  if (wait->desk->ended)
    {
      g_autofree char *log_path = g_build_filename (wait->desk->home, "desk.log", NULL);
      g_autofree char *log = NULL;

      g_file_get_contents (log_path, &log, NULL, NULL);
      g_error ("%s ended before saying “%s”; its log:\n%s", wait->desk->name, wait->prefix, log != NULL ? log : "");
    }
  return FALSE;
}

char *
np_test_desk_wait_line (NpTestDesk *desk,
                        const char *prefix,
                        guint       timeout_ms)
{
  LineWait wait = { desk, prefix, NULL };
  g_autofree char *what = g_strdup_printf ("%s to say “%s”", desk->name, prefix);

  np_test_wait_until (line_arrived, &wait, timeout_ms, what);
  return wait.line;
}

void
np_test_desk_send (NpTestDesk *desk,
                   const char *format,
                   ...)
{
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_output_stream_printf (desk->in, NULL, NULL, &error, "%s\n", line);
  g_assert_no_error (error);
  g_output_stream_flush (desk->in, NULL, &error);
  g_assert_no_error (error);
}

NpTestDesk *
np_test_desk_spawn (const char  *helper_path,
                    const char  *name,
                    const char  *home,
                    const char  *target,
                    const char  *base_url,
                    guint        lease_seconds,
                    const char  *password,
                    const char  *api_key,
                    char       **out_resume)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *lease = g_strdup_printf ("%u", lease_seconds);
  g_autofree char *log = g_build_filename (home, "desk.log", NULL);
  g_autofree char *online = NULL;
  g_autofree char *resume = NULL;
  g_autoptr(GError) error = NULL;
  NpTestDesk *desk = g_new0 (NpTestDesk, 1);

  desk->name = g_strdup (name);
  desk->home = g_strdup (home);
  for (const char *const *dir = (const char *const[]) { "data", "config", "cache", "state", NULL }; *dir; dir++)
    {
      g_autofree char *path = g_build_filename (home, *dir, NULL);
      g_autofree char *lower = g_strdup_printf ("XDG_%s_HOME", *dir);
      g_autofree char *variable = g_ascii_strup (lower, -1);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_subprocess_launcher_setenv (launcher, variable, path, TRUE);
    }
  /* What the desk logs stays in its home, where the password must not be. */
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  desk->process = g_subprocess_launcher_spawn (launcher, &error, helper_path, name, target, base_url, lease, NULL);
  g_assert_no_error (error);
  desk->in = g_subprocess_get_stdin_pipe (desk->process);
  desk->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (desk->process));
  g_queue_init (&desk->lines);
  /* The secrets go on stdin, never in argv. */
  np_test_desk_send (desk, "%s", password);
  np_test_desk_send (desk, "%s", api_key);
  read_next (desk);
  resume = np_test_desk_wait_line (desk, "resume-from ", 30000);
  online = np_test_desk_wait_line (desk, "online", 120000);
  if (out_resume != NULL)
    *out_resume = g_steal_pointer (&resume);
  return desk;
}

gboolean
np_test_desk_ended (gpointer desk)
{
  return ((NpTestDesk *) desk)->ended;
}

void
np_test_desk_free (NpTestDesk *desk)
{
  if (desk == NULL)
    return;
  if (!desk->ended)
    {
      g_subprocess_force_exit (desk->process);
      np_test_wait_until (np_test_desk_ended, desk, 10000, "a desk to end");
    }
  g_queue_clear_full (&desk->lines, g_free);
  g_clear_object (&desk->out);
  g_clear_object (&desk->process);
  g_free (desk->name);
  g_free (desk->home);
  g_free (desk);
}
