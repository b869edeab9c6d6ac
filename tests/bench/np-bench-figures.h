/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-bench-figures.h — how every bench reports a figure of issue 11.
 *
 * A figure is several runs of one measurement; it is printed as one line that
 * build-aux/bench gathers into the table:
 *
 *   FIGURE|name|target|baseline|median|worst|pass
 *
 * A figure passes when its median run meets the target. Benches print figures;
 * they are not timed tests, except that a figure whose median is worse than three
 * times its target fails (np_bench_figures_exit_status ()): the median, not the
 * worst run, as one run on the shared machine can be slowed by anything else
 * running, and a bench that fails on that is a bench nobody reads. The worst is
 * printed beside so a noisy machine shows.
 *
 * A figure that measured nothing fails too, whatever its target: a figure with
 * no runs, or a run that is not a number (np_bench_percentile () of no samples,
 * np_bench_rss_mib () that could not read the resident set) or is negative
 * stops the bench with a message naming the figure.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  NP_BENCH_AT_MOST,    /* the figure must be <= target: times, memory, ratios to a floor */
  NP_BENCH_AT_LEAST,   /* the figure must be >= target: throughput ratios */
  NP_BENCH_INFORMATION, /* no target: shown for comparison only, never fails (unless
                         * nothing was measured); worst is the smallest */
} NpBenchGoal;

/* Samples of one figure, in its unit (ms, MiB, x). */
typedef struct {
  const char  *name;
  const char  *unit;
  NpBenchGoal  goal;
  double       target;
  char        *baseline;   /* what the same run measured as the floor, or NULL */
  GArray      *samples;    /* of double */
} NpBenchFigure;

NpBenchFigure *np_bench_figure_new      (const char    *name,
                                         const char    *unit,
                                         NpBenchGoal    goal,
                                         double         target);
void           np_bench_figure_add      (NpBenchFigure *figure,
                                         double         sample);
void           np_bench_figure_set_baseline (NpBenchFigure *figure,
                                         const char    *format,
                                         ...) G_GNUC_PRINTF (2, 3);
/* Median and worst (the largest for AT_MOST, the smallest for AT_LEAST). */
double         np_bench_figure_median   (NpBenchFigure *figure);
double         np_bench_figure_worst    (NpBenchFigure *figure);
/* Prints the FIGURE line; a median worse than 3x the target, or no runs at all,
 * marks the process failed. */
void           np_bench_figure_report   (NpBenchFigure *figure);
void           np_bench_figure_free     (NpBenchFigure *figure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpBenchFigure, np_bench_figure_free)

/* Percentile @p (0..1) of @samples (of double), which are sorted in place;
 * NAN when there are none (a figure fails on it). */
double         np_bench_percentile      (GArray        *samples,
                                         double         p);
double         np_bench_ms_since        (gint64         start_us);
/* This process's resident set, from /proc/self/statm, in MiB; of @pid when > 0.
 * NAN (with a warning saying why) when it cannot be read: a figure fails on it. */
double         np_bench_rss_mib         (GPid           pid);

/* GLib's test mode prints every g_debug () as a TAP comment (G_MESSAGES_DEBUG
 * or not): 50,000 lines of request log would be measured instead of the code.
 * Call after np_test_init (). */
void           np_bench_drop_debug_messages (void);

/* 0, or 1 when any reported figure's median was worse than 3x its target or
 * the figure had no runs. */
int            np_bench_figures_exit_status (void);

G_END_DECLS
