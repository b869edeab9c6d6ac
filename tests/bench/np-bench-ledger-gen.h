/* np-bench-ledger-gen.h — a seeded ledger of many checkouts for the benches.
 *
 * Checkouts "order-<1000+i>" with a seeded mix of statuses, amounts, currencies,
 * products and dates in 2025; 30 % have one of 5,000 customers. The same seed
 * gives the same ledger on every run.
 */
#pragma once

#include "np-ledger.h"

G_BEGIN_DECLS

#define NP_BENCH_SEED 4242

/* Upserts @n checkouts (and the customers) for @account_id, in batches. */
void np_bench_fill_ledger (NpLedger *ledger,
                           gint64    account_id,
                           guint     n);

G_END_DECLS
