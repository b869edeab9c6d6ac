/* SPDX-License-Identifier: GPL-3.0-or-later */
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
/* Checkouts upserted a transaction. */
#define NP_BENCH_BATCH 20000

/* Upserts @n checkouts (and the customers) for @account_id, in batches. */
void np_bench_fill_ledger (NpLedger *ledger,
                           gint64    account_id,
                           guint     n);

/* How many of @account_id's live checkouts a search must find: those with
 * @needle (ASCII; NULL: any) in their id, identifier, message, metadata or
 * their customer's email, ignoring case; with one of @status_list (as the API
 * spells them, comma-separated; NULL: any); created at or after @created_from
 * (0: any). A plain SQL scan of the stored columns over a read-only connection
 * of its own, to check the search against: neither the search index nor its
 * folding code counts. */
guint np_bench_count_matches (NpLedger   *ledger,
                              gint64      account_id,
                              const char *needle,
                              const char *status_list,
                              gint64      created_from);

/* Fails the bench, naming @what, when @shown is not @expected. */
void  np_bench_check_count   (const char *what,
                              guint       shown,
                              guint       expected);

G_END_DECLS
