/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-instrument.c — the benches' view of a running application: see np-instrument.h.
 *
 * GdkFrameClock::after-paint is the end of a frame the compositor was given;
 * CLOCK_MONOTONIC is shared between processes, so the bench that spawned us can
 * subtract its own spawn time.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "np-instrument.h"

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

/* Prints @what's line (with @rows when not negative) and quits @window's application. */
static void
report_and_quit (GtkWindow  *window,
                 const char *what,
                 gint64      rows)
{
  GtkApplication *application = gtk_window_get_application (window);

  printf ("%s %" G_GINT64_FORMAT " %ld", what, g_get_monotonic_time (), resident_kib ());
  if (rows >= 0)
    printf (" %" G_GINT64_FORMAT, rows);
  printf ("\n");
  fflush (stdout);

  if (application != NULL)
    g_application_quit (G_APPLICATION (application));
}

/* What is watched in one window. */
typedef struct {
  GtkWindow  *window;       /* not owned: the watch goes with it */
  gboolean    first_frame;  /* NP_BENCH_FIRST_FRAME */
  guint       rows;         /* NP_BENCH_LIST_SHOWN; 0: not asked */
  GListModel *model;        /* the list's model, once found */
  gboolean    full;         /* the model held all the rows: report after the next frame */
  gboolean    done;
} Watch;

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  if (watch->model != NULL)
    g_signal_handlers_disconnect_by_data (watch->model, watch);
  g_clear_object (&watch->model);
  g_free (watch);
}

/* The model under the selection model of @widget's "model", when it says
 * whether it is loading; NULL otherwise. */
static GListModel *
loading_model_of (GtkWidget *widget)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "model");
  g_autoptr(GObject) selection = NULL;
  g_autoptr(GObject) model = NULL;

  if (pspec == NULL || !g_type_is_a (pspec->value_type, GTK_TYPE_SELECTION_MODEL))
    return NULL;
  g_object_get (widget, "model", &selection, NULL);
  if (selection == NULL || g_object_class_find_property (G_OBJECT_GET_CLASS (selection), "model") == NULL)
    return NULL;
  g_object_get (selection, "model", &model, NULL);
  if (model == NULL || !G_IS_LIST_MODEL (model) ||
      g_object_class_find_property (G_OBJECT_GET_CLASS (model), "loading") == NULL)
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&model));
}

/* The first mapped list in @widget's tree, depth first. */
static GListModel *
find_shown_list (GtkWidget *widget)
{
  GListModel *model;

  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if ((model = loading_model_of (widget)) != NULL)
    return model;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if ((model = find_shown_list (child)) != NULL)
      return model;

  return NULL;
}

/* Done loading and holding all the rows asked for. Neither alone will do: the
 * first rows come straight from SQL before the model says it loads (not the
 * whole list), and a model can be done loading before its rows are all there
 * (or never say it loads, when the index was ready first). */
static void
check_list_full (Watch *watch)
{
  gboolean loading = TRUE;

  g_object_get (watch->model, "loading", &loading, NULL);
  if (loading || g_list_model_get_n_items (watch->model) < watch->rows)
    return;

  watch->full = TRUE;
  /* A frame is asked for, in case nothing else would draw one. */
  gtk_widget_queue_draw (GTK_WIDGET (watch->window));
}

#define WATCH_KEY "np-instrument-watch"

static void
on_after_paint (GdkFrameClock *clock,
                GtkWindow     *window)
{
  Watch *watch = g_object_get_data (G_OBJECT (window), WATCH_KEY);

  if (watch == NULL || watch->done)
    return;

  if (watch->first_frame)
    {
      watch->done = TRUE;
      report_and_quit (watch->window, "NP_BENCH_FIRST_FRAME", -1);
      return;
    }

  if (watch->full)
    {
      /* The rows the painted list holds: the bench checks they are all there. */
      watch->done = TRUE;
      report_and_quit (watch->window, "NP_BENCH_LIST_SHOWN", g_list_model_get_n_items (watch->model));
      return;
    }

  if (watch->model == NULL && (watch->model = find_shown_list (GTK_WIDGET (watch->window))) != NULL)
    {
      g_signal_connect_swapped (watch->model, "notify::loading", G_CALLBACK (check_list_full), watch);
      g_signal_connect_swapped (watch->model, "items-changed", G_CALLBACK (check_list_full), watch);
      check_list_full (watch);
    }
}

static void
on_realize (GtkWidget *widget,
            Watch     *watch)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_handlers_disconnect_by_func (widget, on_realize, watch);
  if (clock != NULL)
    /* Through the window, which the clock may outlive. */
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_after_paint), widget, 0);
}

static void
on_window_added (GtkApplication *application,
                 GtkWindow      *window,
                 Watch          *template)
{
  Watch *watch;

  /* The first window only: the one a person sees at start. */
  g_signal_handlers_disconnect_by_func (application, on_window_added, template);

  watch = g_new0 (Watch, 1);
  *watch = *template;
  watch->window = window;
  g_free (template);
  g_object_set_data_full (G_OBJECT (window), WATCH_KEY, watch, watch_free);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), watch);
}

void
np_instrument_watch (GtkApplication *application)
{
  Watch *template;
  guint64 rows = 0;

  g_return_if_fail (GTK_IS_APPLICATION (application));

  template = g_new0 (Watch, 1);
  template->first_frame = g_strcmp0 (g_getenv ("NP_BENCH_FIRST_FRAME"), "1") == 0;
  if (g_getenv ("NP_BENCH_LIST_SHOWN") != NULL &&
      g_ascii_string_to_unsigned (g_getenv ("NP_BENCH_LIST_SHOWN"), 10, 1, G_MAXUINT, &rows, NULL))
    template->rows = (guint) rows;

  if (!template->first_frame && template->rows == 0)
    {
      g_free (template);
      return;
    }

  g_signal_connect (application, "window-added", G_CALLBACK (on_window_added), template);
}
