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

/* -1 when it cannot be read: the bench fails on it rather than measuring 0. */
static long
resident_kib (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;
  guint64 pages = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return -1;
  fields = g_strsplit (statm, " ", 3);
  if (g_strv_length (fields) < 2 ||
      !g_ascii_string_to_unsigned (fields[1], 10, 1, G_MAXUINT64, &pages, NULL))
    return -1;

  return (long) (pages * sysconf (_SC_PAGESIZE) / 1024);
}

/* Prints @what's line (with @rows when not negative) and quits the application
 * of @widget's window. */
static void
report_and_quit (GtkWidget  *widget,
                 const char *what,
                 gint64      rows)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkApplication *application = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  printf ("%s %" G_GINT64_FORMAT " %ld", what, g_get_monotonic_time (), resident_kib ());
  if (rows >= 0)
    printf (" %" G_GINT64_FORMAT, rows);
  printf ("\n");
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
  report_and_quit (GTK_WIDGET (window), "NP_BENCH_FIRST_FRAME", -1);
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

#define LIST_MODEL_KEY "np-bench-list-model"
#define LIST_ROWS_KEY "np-bench-list-rows"

static void
on_list_painted (GdkFrameClock *clock,
                 GtkWidget     *widget)
{
  GListModel *model = g_object_get_data (G_OBJECT (widget), LIST_MODEL_KEY);

  g_signal_handlers_disconnect_by_func (clock, on_list_painted, widget);
  /* The rows the painted list holds: the bench checks they are all there. */
  report_and_quit (widget, "NP_BENCH_LIST_SHOWN", g_list_model_get_n_items (model));
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

/* Once the model is done loading and holds all the rows asked for. Neither
 * alone will do: the first rows come straight from SQL before the model says
 * it loads (not the whole list), and a model can be done loading before its
 * rows are all there (or never say it loads, when the index was ready first). */
static void
check_list_full (GtkWidget *widget)
{
  GListModel *model = g_object_get_data (G_OBJECT (widget), LIST_MODEL_KEY);
  guint rows = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), LIST_ROWS_KEY));
  gboolean loading = TRUE;

  g_object_get (model, "loading", &loading, NULL);
  if (loading || g_list_model_get_n_items (model) < rows)
    return;

  g_signal_handlers_disconnect_by_func (model, check_list_full, widget);
  report_after_next_frame (widget);
}

void
np_bench_watch_list_shown (GtkWidget  *widget,
                           GListModel *model)
{
  guint64 rows = 0;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_LIST_MODEL (model));

  if (g_getenv ("NP_BENCH_LIST_SHOWN") == NULL ||
      !g_ascii_string_to_unsigned (g_getenv ("NP_BENCH_LIST_SHOWN"), 10, 1, G_MAXUINT, &rows, NULL))
    return;

  g_object_set_data_full (G_OBJECT (widget), LIST_MODEL_KEY, g_object_ref (model), g_object_unref);
  g_object_set_data (G_OBJECT (widget), LIST_ROWS_KEY, GUINT_TO_POINTER ((guint) rows));
  g_signal_connect_object (model, "notify::loading", G_CALLBACK (check_list_full), widget,
                           G_CONNECT_AFTER | G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (check_list_full), widget,
                           G_CONNECT_AFTER | G_CONNECT_SWAPPED);
  check_list_full (widget);
}
