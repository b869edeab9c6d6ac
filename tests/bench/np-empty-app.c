/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-empty-app.c — the GTK floor for the cold-start and memory figures: an
 * AdwApplication with one empty AdwApplicationWindow the size of the console's,
 * built with the project's flags, and the console's first-frame hook (np-instrument.h).
 */
#include <adwaita.h>

#include "np-instrument.h"

static void
on_activate (GApplication *application)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (application));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) application = adw_application_new ("com.neuropay.Console.BenchEmpty",
                                                                G_APPLICATION_NON_UNIQUE);

  g_signal_connect (application, "activate", G_CALLBACK (on_activate), NULL);
  np_instrument_watch (GTK_APPLICATION (application));

  return g_application_run (G_APPLICATION (application), argc, argv);
}
