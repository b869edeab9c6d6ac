/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-index.h — the in-memory search index of one account's checkouts.
 *
 * Why not SQL: at 1,000,000 checkouts a substring search that matches most rows
 * ("o", "or", "order-") is dominated by counting the matches. Measured on the
 * target machine, FTS5 with the trigram tokenizer takes 78 ms to count one
 * trigram and 1.3 s for LIKE '%order-%' (it re-checks every row), cannot index
 * one or two characters at all, and a scan with instr() takes 300 ms. Scanning a
 * compact, case-folded copy of the searched text in memory takes 10-25 ms, so
 * the ledger keeps one (about 180 MiB for a million checkouts): per row the sort keys, the filter fields and the folded
 * text (id, identifier, message, metadata, the customer's email), plus one
 * permutation per sort order. SQLite stays the only source of truth: the ledger
 * fills the index from SQL and re-reads every row it commits.
 *
 * Rows live in slots, in ledger row-id order (row ids only grow), so ties in
 * every sort order are broken by row id. A forgotten row's slot stays, dead.
 */
#pragma once

#include <glib.h>

#include "np-ledger-query.h"

G_BEGIN_DECLS

typedef struct _NpCheckoutIndex NpCheckoutIndex;

/* What the index keeps of one row. @text is already folded (np_search_fold ()). */
typedef struct {
  gint64            row_id;
  NpCheckoutStatus  status;
  gint64            created;      /* or when it was imported, for rows never retrieved */
  gint64            updated;
  gint64            amount;
  gboolean          deleted;
  gboolean          refresh_failed;
  const char       *customer_id; /* may be NULL */
  const char       *text;
} NpCheckoutIndexRow;

NpCheckoutIndex *np_checkout_index_new            (void);
void             np_checkout_index_free           (NpCheckoutIndex          *index);
guint            np_checkout_index_get_n_slots    (NpCheckoutIndex          *index);
/* Room for @n_rows rows in an empty index, made at once: grown by doubling
 * while loading, each array left its smaller copies behind in the loading
 * thread's malloc arena, and the larger copies then took those pages, their
 * unused ends resident. */
void             np_checkout_index_reserve        (NpCheckoutIndex          *index,
                                                   guint                     n_rows);
/* The bytes the index keeps for its rows (their fields, text and packed ids;
 * not the sort orders nor a query's scratch memory): what a row costs. */
gsize            np_checkout_index_get_row_bytes  (NpCheckoutIndex          *index);
/* Unique per index ever made: slots of one index mean nothing to another. */
guint            np_checkout_index_get_serial     (NpCheckoutIndex          *index);
/* Drops the text of replaced rows now, whatever its share of the buffer (it is
 * otherwise kept until it is most of it): after a burst of writes, such as a
 * first sync that indexes each checkout again once its customer arrives. */
void             np_checkout_index_compact        (NpCheckoutIndex          *index);
/* The search text's bytes, and in @out_stale (may be NULL) those of replaced rows. */
gsize            np_checkout_index_get_text_bytes (NpCheckoutIndex          *index,
                                                   gsize                    *out_stale);
/* Inserts or replaces the row with @row->row_id. */
void             np_checkout_index_set_row        (NpCheckoutIndex          *index,
                                                   const NpCheckoutIndexRow *row);
void             np_checkout_index_remove_row     (NpCheckoutIndex          *index,
                                                   gint64                    row_id);
gboolean         np_checkout_index_lookup         (NpCheckoutIndex          *index,
                                                   gint64                    row_id,
                                                   guint                    *out_slot);
gint64           np_checkout_index_get_row_id     (NpCheckoutIndex          *index,
                                                   guint                     slot);
/* The memory each query needs (hit buffers, a bitmap and, for a large index, a
 * list's keys), allocated at the index's size and written once, so that queries
 * find it resident: call it where the index is built (a worker), not on the
 * main thread at the first keystroke. Called again, it only grows what is short.
 * A list's query writes its slots into its keys (np_checkout_index_take_keys ()). */
void             np_checkout_index_prepare_scratch (NpCheckoutIndex         *index);
/* An empty GArray of gint64 for a list's keys, with room made earlier when there
 * is one (take), and one given back when the list is done with it (give). */
GArray          *np_checkout_index_take_keys      (NpCheckoutIndex          *index);
void             np_checkout_index_give_keys      (NpCheckoutIndex          *index,
                                                   GArray                   *keys);
/* Writes the slots matching @query to @slots, in the query's order, and returns
 * how many. @slots must have room for np_checkout_index_get_n_slots (). */
guint            np_checkout_index_query          (NpCheckoutIndex          *index,
                                                   const NpCheckoutQuery    *query,
                                                   guint32                  *slots);
/* How many slots match @query: a query without the order. */
guint            np_checkout_index_count          (NpCheckoutIndex          *index,
                                                   const NpCheckoutQuery    *query);
gboolean         np_checkout_index_matches        (NpCheckoutIndex          *index,
                                                   const NpCheckoutQuery    *query,
                                                   guint                     slot);
/* <0, 0, >0 as @a sorts before, with or after @b in @query's order. */
int              np_checkout_index_compare        (NpCheckoutIndex          *index,
                                                   const NpCheckoutQuery    *query,
                                                   guint                     a,
                                                   guint                     b);

/* What a typed search looks for: trimmed and folded; NULL when nothing is left. */
char            *np_search_fold_needle            (const char               *text);
/* Case-folds @text for searching (ASCII fast path, g_utf8_casefold () otherwise),
 * appending to @out. */
void             np_search_fold_append            (GString                  *out,
                                                   const char               *text,
                                                   gssize                    length);

G_END_DECLS
