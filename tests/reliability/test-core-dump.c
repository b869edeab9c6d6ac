/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-core-dump.c — a crash of a process holding an API key leaves no key on disk.
 *
 * The kill-loop helper (NpWorkspace, the keyring, the real sandbox: the console's
 * own code) is made to abort in the middle of its refunds, with core dumps allowed
 * and written to a folder of its own. Nothing in that folder may contain the key.
 * A shell aborted the same way shows that this machine writes core files at all;
 * where it does not, the test is skipped rather than passing for nothing.
 */
#include <signal.h>
#include <sys/resource.h>

#include "np-test-workspace.h"

static const char *helper_path;
static gboolean skipped;

static void
allow_core_dumps (gpointer user_data)
{
  struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

  setrlimit (RLIMIT_CORE, &unlimited);
}

static GSubprocess *
spawn_in (const char          *folder,
          GSubprocessFlags     flags,
          const char * const  *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  g_subprocess_launcher_set_cwd (launcher, folder);
  g_subprocess_launcher_set_child_setup (launcher, allow_core_dumps, NULL, NULL);
  child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return child;
}

static guint
count_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_no_key_in_core (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (t, 500000, "SEK", TRUE);
  g_autoptr(NpCheckout) paid = np_test_workspace_pay (t, np_checkout_get_id (checkout));
  g_autofree char *control = g_build_filename (np_test_get_home (), "core-control", NULL);
  g_autofree char *crash = g_build_filename (np_test_get_home (), "core-crash", NULL);
  const char *shell_argv[] = { "/bin/sh", "-c", "kill -ABRT $$", NULL };
  const char *helper_argv[] = { helper_path, "refund", np_account_get_name (t->account), NULL };
  const char *key = np_test_sandbox_get_test_key (t->sandbox);
  g_autoptr(GSubprocess) shell = NULL;
  g_autoptr(GSubprocess) helper = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *pattern = NULL;
  char *line;

  g_mkdir_with_parents (control, 0700);
  g_mkdir_with_parents (crash, 0700);

  /* A pattern starting with "|" hands the core to a program (systemd-coredump,
   * apport): nothing lands in the folder, and the skip says where it went. */
  if (!g_file_get_contents ("/proc/sys/kernel/core_pattern", &pattern, NULL, NULL))
    pattern = g_strdup ("");
  g_strstrip (pattern);
  if (pattern[0] == '|')
    {
      g_test_skip_printf ("core dumps are piped to %s (kernel.core_pattern), not written to a file",
                          pattern + 1);
      skipped = TRUE;
      return;
    }

  shell = spawn_in (control, G_SUBPROCESS_FLAGS_NONE, shell_argv);
  g_subprocess_wait (shell, NULL, &error);
  g_assert_no_error (error);
  if (count_files (control) == 0)
    {
      g_test_skip_printf ("an aborted shell wrote no core file (kernel.core_pattern is “%s”)", pattern);
      skipped = TRUE;
      return;
    }

  helper = spawn_in (crash, G_SUBPROCESS_FLAGS_STDOUT_PIPE, helper_argv);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (helper));
  /* "working": the key is in the helper's client; a first "journal" line: it was used. */
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL &&
         !g_str_has_prefix (line, "journal "))
    g_free (line);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_free (line);

  g_subprocess_send_signal (helper, SIGABRT);
  g_subprocess_wait (helper, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (helper));
  g_assert_cmpint (g_subprocess_get_term_sig (helper), ==, SIGABRT);

  found = np_test_find_in_tree (crash, key);
  g_assert_null (found);
  g_test_message ("core files of the shell: %u; files the aborted helper left: %u; key found in none",
                  count_files (control), count_files (crash));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  np_test_init (&argc, &argv);
  helper_path = argv[1];

  g_test_add_func ("/reliability/secrets/no-key-in-core", test_no_key_in_core);

  status = g_test_run ();
  /* GLib's TAP output exits 0 on a skip, which meson shows as OK; 77 is its SKIP,
   * so the summary says the test did not run. The reason is on the TAP line. */
  return status == 0 && skipped ? 77 : status;
}
