/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-bench-retrieve.h — what the refresh benches share: checkouts made on a
 * sandbox, a check of what a bulk retrieve brought back, and the same POSTs
 * through curl as the baseline. */
#pragma once

#include "np-client.h"
#include "np-test-sandbox.h"

G_BEGIN_DECLS

/* @n checkouts of 100, 101, … minor units; their ids, NULL-terminated. */
GPtrArray *np_bench_create_checkouts (NpTestSandbox *sandbox,
                                      guint          n);
/* Asserts each of @results (NpRetrieveResult) is the checkout made i-th. */
void       np_bench_assert_retrieved (GPtrArray     *results,
                                      guint          n);
/* Seconds for `curl --parallel --parallel-max @parallel_max` to retrieve the first
 * @n of @ids with @key (written only into a config file in the test's private
 * directory); asserts every answer was 200. */
double     np_bench_run_curl         (NpTestSandbox *sandbox,
                                      const char    *key,
                                      GPtrArray     *ids,
                                      guint          n,
                                      guint          parallel_max);

G_END_DECLS
