/* main.c — sets up translations and hands over to NpApplication. */
#include "config.h"

#include <glib/gi18n.h>

#include "np-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(NpApplication) app = NULL;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = np_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
