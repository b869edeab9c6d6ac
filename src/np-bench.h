/* np-bench.h — the first-frame hook of the performance benches (tests/bench).
 *
 * With NP_BENCH_FIRST_FRAME=1 in the environment, the first time @window's frame
 * clock finishes painting, the process prints
 *
 *   NP_BENCH_FIRST_FRAME <g_get_monotonic_time () in µs> <resident set in KiB>
 *
 * on stdout and quits its application. Without the variable nothing happens.
 *
 * With NP_BENCH_LIST_SHOWN=<rows> (a number > 0), np_bench_watch_list_shown ()
 * does the same, as
 *
 *   NP_BENCH_LIST_SHOWN <g_get_monotonic_time () in µs> <resident set in KiB> <rows held>
 *
 * after the first frame painted once @model (a list model with a boolean
 * "loading" property) is not loading and holds at least <rows> items: the
 * memory of the whole list loaded and on screen. <rows held> is the model's
 * count at that frame. The resident set is -1 when /proc could not be read.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void np_bench_watch_first_frame (GtkWindow  *window);
void np_bench_watch_list_shown  (GtkWidget  *widget,
                                 GListModel *model);

G_END_DECLS
