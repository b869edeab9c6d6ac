/* np-bench.c — the first-frame hook: see np-bench.h.
 *
 * GdkFrameClock::after-paint is the end of the first frame the compositor was
 * given; CLOCK_MONOTONIC is shared between processes, so the bench that spawned us
 * can subtract its own spawn time.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "np-bench.h"

static long
resident_kib (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;
  fields = g_strsplit (statm, " ", 3);
  if (g_strv_length (fields) < 2)
    return 0;

  return (long) (g_ascii_strtoll (fields[1], NULL, 10) * sysconf (_SC_PAGESIZE) / 1024);
}

static void
on_after_paint (GdkFrameClock *clock,
                GtkWindow     *window)
{
  GtkApplication *application = gtk_window_get_application (window);

  /* Once only: the handler goes before anything else can paint again. */
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, window);

  printf ("NP_BENCH_FIRST_FRAME %" G_GINT64_FORMAT " %ld\n", g_get_monotonic_time (), resident_kib ());
  fflush (stdout);

  if (application != NULL)
    g_application_quit (G_APPLICATION (application));
}

static void
on_realize (GtkWidget *widget,
            gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_handlers_disconnect_by_func (widget, on_realize, user_data);
  if (clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_after_paint), widget, 0);
}

void
np_bench_watch_first_frame (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  if (g_strcmp0 (g_getenv ("NP_BENCH_FIRST_FRAME"), "1") != 0)
    return;

  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
}
