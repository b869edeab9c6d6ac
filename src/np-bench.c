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

/* Prints @what's line and quits the application of @widget's window. */
static void
report_and_quit (GtkWidget  *widget,
                 const char *what)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkApplication *application = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  printf ("%s %" G_GINT64_FORMAT " %ld\n", what, g_get_monotonic_time (), resident_kib ());
  fflush (stdout);

  if (application != NULL)
    g_application_quit (G_APPLICATION (application));
}

static void
on_after_paint (GdkFrameClock *clock,
                GtkWindow     *window)
{
  /* Once only: the handler goes before anything else can paint again. */
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, window);
  report_and_quit (GTK_WIDGET (window), "NP_BENCH_FIRST_FRAME");
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

/* The list shown ------------------------------------------------------------ */

static void
on_list_painted (GdkFrameClock *clock,
                 GtkWidget     *widget)
{
  g_signal_handlers_disconnect_by_func (clock, on_list_painted, widget);
  report_and_quit (widget, "NP_BENCH_LIST_SHOWN");
}

/* The next frame of a mapped @widget; a frame is asked for, in case nothing
 * else would draw one. */
static void
report_after_next_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_handlers_disconnect_by_func (widget, report_after_next_frame, NULL);
  if (clock == NULL || !gtk_widget_get_mapped (widget))
    {
      g_signal_connect (widget, "map", G_CALLBACK (report_after_next_frame), NULL);
      return;
    }

  g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_list_painted), widget, 0);
  gtk_widget_queue_draw (widget);
}

/* Only at the end of a load: rows can arrive before the model says it loads
 * (the first ones, straight from SQL), and those are not the whole list. */
static void
on_loading_changed (GListModel *model,
                    GParamSpec *pspec,
                    GtkWidget  *widget)
{
  gboolean loading = TRUE;

  g_object_get (model, "loading", &loading, NULL);
  if (loading || g_list_model_get_n_items (model) == 0)
    return;

  g_signal_handlers_disconnect_by_func (model, on_loading_changed, widget);
  report_after_next_frame (widget);
}

void
np_bench_watch_list_shown (GtkWidget  *widget,
                           GListModel *model)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_LIST_MODEL (model));

  if (g_strcmp0 (g_getenv ("NP_BENCH_LIST_SHOWN"), "1") != 0)
    return;

  g_signal_connect_object (model, "notify::loading", G_CALLBACK (on_loading_changed), widget, G_CONNECT_AFTER);
}
