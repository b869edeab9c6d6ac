/* np-bench.h — the first-frame hook of the performance benches (tests/bench).
 *
 * With NP_BENCH_FIRST_FRAME=1 in the environment, the first time @window's frame
 * clock finishes painting, the process prints
 *
 *   NP_BENCH_FIRST_FRAME <g_get_monotonic_time () in µs> <resident set in KiB>
 *
 * on stdout and quits its application. Without the variable nothing happens.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void np_bench_watch_first_frame (GtkWindow *window);

G_END_DECLS
