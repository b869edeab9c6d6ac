/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-bench-figures.c — median, worst and the FIGURE line of a bench figure.
 *
 * A figure passes when its median meets the target; the bench process fails when
 * the median is worse than three times the target (for AT_LEAST: below a third),
 * or when the figure measured nothing. The worst run is printed beside so a noisy
 * machine shows. Why the median and not the worst: see np-bench-figures.h.
 */
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "np-bench-figures.h"

static gboolean any_failed;

NpBenchFigure *
np_bench_figure_new (const char  *name,
                     const char  *unit,
                     NpBenchGoal  goal,
                     double       target)
{
  NpBenchFigure *figure = g_new0 (NpBenchFigure, 1);

  figure->name = name;
  figure->unit = unit;
  figure->goal = goal;
  figure->target = target;
  figure->samples = g_array_new (FALSE, FALSE, sizeof (double));

  return figure;
}

void
np_bench_figure_add (NpBenchFigure *figure,
                     double         sample)
{
  /* A NAN is a percentile of no samples or a resident set that could not be
   * read; a negative time or size is a broken measurement. Either would be
   * printed as a figure and could pass. */
  if (!isfinite (sample) || sample < 0)
    g_error ("figure \"%s\": run %u measured nothing (%f %s): no samples, or a failed read",
             figure->name, figure->samples->len + 1, sample, figure->unit);

  g_array_append_val (figure->samples, sample);
  printf ("# %s: run %u: %.2f %s\n", figure->name, figure->samples->len, sample, figure->unit);
  fflush (stdout);
}

void
np_bench_figure_set_baseline (NpBenchFigure *figure,
                              const char    *format,
                              ...)
{
  va_list args;

  va_start (args, format);
  g_free (figure->baseline);
  figure->baseline = g_strdup_vprintf (format, args);
  va_end (args);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : (x > y ? 1 : 0);
}

double
np_bench_percentile (GArray *samples,
                     double  p)
{
  guint index;

  if (samples->len == 0)
    return NAN;
  g_array_sort (samples, compare_doubles);
  /* Nearest rank: the smallest sample with at least p of them at or below it. */
  index = (guint) MAX (0.0, p * samples->len + 0.999999 - 1);

  return g_array_index (samples, double, MIN (index, samples->len - 1));
}

double
np_bench_figure_median (NpBenchFigure *figure)
{
  return np_bench_percentile (figure->samples, 0.5);
}

double
np_bench_figure_worst (NpBenchFigure *figure)
{
  return np_bench_percentile (figure->samples, figure->goal == NP_BENCH_AT_MOST ? 1.0 : 0.0);
}

void
np_bench_figure_report (NpBenchFigure *figure)
{
  double median, worst;
  gboolean pass, far_off;

  if (figure->samples->len == 0)
    {
      printf ("# figure \"%s\" has no runs: nothing was measured, it fails\n", figure->name);
      printf ("FIGURE|%s|%s %.2f %s|%s|-|-|NO (no runs: fails)\n",
              figure->name, figure->goal == NP_BENCH_AT_MOST ? "<=" : ">=", figure->target, figure->unit,
              figure->baseline != NULL ? figure->baseline : "-");
      fflush (stdout);
      any_failed = TRUE;
      return;
    }

  median = np_bench_figure_median (figure);
  worst = np_bench_figure_worst (figure);
  if (figure->goal == NP_BENCH_INFORMATION)
    {
      printf ("FIGURE|%s|information, no target|%s|%.2f %s|%.2f %s|-\n",
              figure->name, figure->baseline != NULL ? figure->baseline : "-",
              median, figure->unit, worst, figure->unit);
      fflush (stdout);
      return;
    }
  if (figure->goal == NP_BENCH_AT_MOST)
    {
      pass = median <= figure->target;
      far_off = median > 3 * figure->target;
    }
  else
    {
      pass = median >= figure->target;
      far_off = median < figure->target / 3;
    }
  any_failed |= far_off;

  printf ("FIGURE|%s|%s %.2f %s|%s|%.2f %s|%.2f %s|%s\n",
          figure->name, figure->goal == NP_BENCH_AT_MOST ? "<=" : ">=", figure->target, figure->unit,
          figure->baseline != NULL ? figure->baseline : "-",
          median, figure->unit, worst, figure->unit,
          pass ? "yes" : (far_off ? "NO (>3x off: fails)" : "no"));
  fflush (stdout);
}

void
np_bench_figure_free (NpBenchFigure *figure)
{
  g_array_unref (figure->samples);
  g_free (figure->baseline);
  g_free (figure);
}

double
np_bench_ms_since (gint64 start_us)
{
  return (g_get_monotonic_time () - start_us) / 1000.0;
}

double
np_bench_rss_mib (GPid pid)
{
  g_autofree char *path = pid > 0 ? g_strdup_printf ("/proc/%d/statm", pid) : g_strdup ("/proc/self/statm");
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;
  guint64 pages = 0;

  /* statm: size resident shared ... in pages. */
  if (!g_file_get_contents (path, &statm, NULL, &error))
    {
      printf ("# resident set: %s\n", error->message);
      return NAN;
    }
  fields = g_strsplit (statm, " ", 3);
  if (g_strv_length (fields) < 2 ||
      !g_ascii_string_to_unsigned (fields[1], 10, 1, G_MAXUINT64, &pages, &error))
    {
      printf ("# resident set: no page count in %s (\"%s\")\n", path, g_strstrip (statm));
      return NAN;
    }

  return pages * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

int
np_bench_figures_exit_status (void)
{
  return any_failed ? 1 : 0;
}

static void
drop_debug (const char     *domain,
            GLogLevelFlags  level,
            const char     *message,
            gpointer        user_data)
{
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return;
  g_log_default_handler (domain, level, message, user_data);
}

void
np_bench_drop_debug_messages (void)
{
  g_log_set_default_handler (drop_debug, NULL);
}
