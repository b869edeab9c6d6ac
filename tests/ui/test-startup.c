/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-startup.c — the console's start with the account of the last run, as a
 * person starts it: the real application, ledger, keyring and a sandbox.
 *
 * The account is current before the window is built, so its pages are built
 * for it (the Overview never makes its "No Account" page), and its key is
 * looked up only once the window has drawn its first frame (the Secret
 * Service's session costs the main thread a Diffie-Hellman exchange); its
 * client follows.
 */
#include "config.h"

#include <adwaita.h>

#include "np-application.h"
#include "np-overview-page.h"
#include "np-test-workspace.h"
#include "np-window.h"
#include "test-app-common.h"

typedef struct
{
  gboolean painted;
  gboolean client_before_paint;
} StartLog;

static void
on_after_paint (GdkFrameClock *clock,
                StartLog      *log)
{
  log->painted = TRUE;
}

static void
on_client_changed (NpWorkspace *workspace,
                   GParamSpec  *pspec,
                   StartLog    *log)
{
  if (np_workspace_get_client (workspace) != NULL && !log->painted)
    log->client_before_paint = TRUE;
}

static gboolean
has_client (gpointer workspace)
{
  return np_workspace_get_client (workspace) != NULL;
}

static void
test_startup_last_account (void)
{
  g_autoptr(NpTestWorkspace) tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(GError) error = NULL;
  NpApplication *app = np_application_new ();
  NpWorkspace *workspace;
  GtkWidget *window;
  StartLog log = { FALSE, FALSE };

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  workspace = np_application_get_workspace (app);
  g_signal_connect (workspace, "notify::client", G_CALLBACK (on_client_changed), &log);

  g_application_activate (G_APPLICATION (app));
  window = GTK_WIDGET (app_get_window (app));
  g_signal_connect (gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window))), "after-paint",
                    G_CALLBACK (on_after_paint), &log);

  /* Current at once, with no client yet; the Overview built for it. */
  g_assert_cmpint (np_workspace_get_account_id (workspace), ==, np_account_get_id (tw->account));
  g_assert_null (np_workspace_get_client (workspace));
  g_assert_nonnull (app_find_descendant (window, NP_TYPE_OVERVIEW_PAGE));
  g_assert_null (app_find_descendant (window, ADW_TYPE_STATUS_PAGE));

  /* Its key is found after the first frame, and its client made. */
  np_test_wait_until (has_client, workspace, APP_TIMEOUT_MS, "the account's client");
  g_assert_true (log.painted);
  g_assert_false (log.client_before_paint);
  g_assert_cmpint (np_workspace_get_account_id (workspace), ==, np_account_get_id (tw->account));

  g_signal_handlers_disconnect_by_data (workspace, &log);
  app_quit (app);
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/ui/startup/last-account", test_startup_last_account);

  return g_test_run ();
}
