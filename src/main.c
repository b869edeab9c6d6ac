/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c — sets up translations and hands over to NpApplication. */
#include "config.h"

#include <glib/gi18n.h>

#include "np-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(NpApplication) app = NULL;
  int status;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = np_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);

  /* A startup failure (no ledger) is shown in a dialog; the exit status says it too. */
  return status != 0 ? status : np_application_get_exit_status (app);
}
