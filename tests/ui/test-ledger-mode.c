/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ledger-mode.c — a ledger SQLite cannot keep in WAL mode (no shared memory,
 * as on a network filesystem) is said so in the window, and one in WAL is not.
 *
 * SQLite's "unix-dotfile" VFS has no shared memory, so journal_mode=WAL answers
 * "delete" there: registered as the default, it stands for such a folder. One
 * application per process (its D-Bus path is fixed), so each case runs in a
 * subprocess of its own. */
#include "config.h"

#include <sqlite3.h>

#include "test-app-common.h"

#define NOTICE "cannot keep a write-ahead log"

static gboolean
notice_shown (gpointer app)
{
  return app_find_label (GTK_WIDGET (app_get_window (app)), NOTICE) != NULL;
}

static void
test_without_wal (void)
{
  NpApplication *app;

  g_assert_cmpint (sqlite3_vfs_register (sqlite3_vfs_find ("unix-dotfile"), 1), ==, SQLITE_OK);
  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, "*is not in WAL mode*");
  app = app_start ();
  g_test_assert_expected_messages ();

  g_assert_false (np_ledger_get_wal_active (np_workspace_get_ledger (np_application_get_workspace (app))));
  np_test_wait_until (notice_shown, app, APP_TIMEOUT_MS, "the ledger's notice");
  app_quit (app);
}

static void
test_with_wal (void)
{
  NpApplication *app = app_start ();

  g_assert_true (np_ledger_get_wal_active (np_workspace_get_ledger (np_application_get_workspace (app))));
  app_settle ();
  g_assert_null (app_find_label (GTK_WIDGET (app_get_window (app)), NOTICE));
  app_quit (app);
}

static void
in_subprocess (gconstpointer data)
{
  if (g_test_subprocess ())
    {
      ((GTestFunc) data) ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_data_func ("/ui/ledger-mode/without-wal", test_without_wal, in_subprocess);
  g_test_add_data_func ("/ui/ledger-mode/with-wal", test_with_wal, in_subprocess);

  return g_test_run ();
}
