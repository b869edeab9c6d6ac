/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-instrument.h — the one instrumentation interface: how the performance
 * benches (tests/bench) watch a running application from outside.
 *
 * np_instrument_watch () is called once, on the application; nothing in the
 * views knows of it. It reads the environment and, without the variables below,
 * does nothing at all. It observes only what any client could: the windows the
 * application adds, their frame clocks, their widget trees and the list models
 * those show.
 *
 * With NP_BENCH_FIRST_FRAME=1, the first time a window's frame clock finishes
 * painting, the process prints
 *
 *   NP_BENCH_FIRST_FRAME <g_get_monotonic_time () in µs> <resident set in KiB>
 *
 * on stdout and quits the application.
 *
 * With NP_BENCH_LIST_SHOWN=<rows> (a number > 0), it looks after each painted
 * frame for the first mapped list in the window's widget tree (a widget whose
 * "model" is a GtkSelectionModel over a model with a boolean "loading"
 * property), follows that model's items-changed and notify::loading, and once
 * the model is not loading and holds at least <rows> items prints, after the
 * next frame,
 *
 *   NP_BENCH_LIST_SHOWN <g_get_monotonic_time () in µs> <resident set in KiB> <rows held>
 *
 * and quits: the memory of the whole list loaded and on screen. <rows held> is
 * the model's count at that frame. The resident set is -1 when /proc could not
 * be read.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void np_instrument_watch (GtkApplication *application);

G_END_DECLS
