/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-private.h — NpLedger's internals, shared by its implementation files
 * (np-ledger.c: open, schema, accounts; np-ledger-objects.c: checkouts, customers,
 * totals; np-ledger-index.c: the search index; np-ledger-journal.c; np-ledger-io.c:
 * import and export) and the list models, which read through the same connection.
 */
#pragma once

#include <sqlite3.h>

#include "np-checkout-index.h"
#include "np-ledger.h"
#include "np-store-private.h"

G_BEGIN_DECLS

struct _NpLedger
{
  GObject     parent_instance;

  char       *path;
  char       *id;          /* ledger_info 'id': random, for this file only */
  sqlite3    *db;
  GHashTable *statements;  /* SQL text -> sqlite3_stmt*, prepared once */
  GHashTable *indexes;     /* account id (gint64*) -> NpCheckoutIndex*, built on first use */
  GHashTable *loading;     /* account id -> GArray of row ids written while a worker loads its index */
  guint64     revision;    /* stamped on every row a transaction writes */
  GArray     *changed_row_ids;  /* during NpLedger::changed: the rows it is about */
  guint       n_recovered;
  gboolean    wal_active;  /* journal_mode answered "wal" */
  GMutex      store_lock;  /* held by a worker's write (np_ledger_store_objects_async) */
};

/* The columns np_ledger_index_row_from_stmt () reads. */
#define NP_CHECKOUT_INDEX_COLUMNS \
  "row_id, status, coalesce(created, registered), " \
  "coalesce(updated, created, registered), coalesce(amount, 0), deleted, " \
  "refresh_error IS NOT NULL, customer_id, search_text"

/* A connection of a worker thread to the same file (np-ledger.c). */
NpLedger        *np_ledger_open_worker        (const char      *path,
                                               GError         **error);
/* Returns a reset, unbound statement for @sql, owned by the ledger. */
sqlite3_stmt    *np_ledger_statement          (NpLedger        *self,
                                               const char      *sql,
                                               GError         **error);
/* Steps once: SQLITE_ROW or SQLITE_DONE, or -1 with @error set (and the statement reset). */
int              np_ledger_step               (NpLedger        *self,
                                               sqlite3_stmt    *stmt,
                                               GError         **error);
/* Runs a statement expected to return no rows, then resets it. */
gboolean         np_ledger_run                (NpLedger        *self,
                                               sqlite3_stmt    *stmt,
                                               GError         **error);
gboolean         np_ledger_run_one            (NpLedger        *self,
                                               sqlite3_stmt    *stmt,
                                               NpLedgerError    code,
                                               const char      *message,
                                               GError         **error);
void             np_ledger_set_error          (sqlite3         *db,
                                               int              rc,
                                               GError         **error);
gboolean         np_ledger_begin              (NpLedger        *self,
                                               GError         **error);
gboolean         np_ledger_commit             (NpLedger        *self,
                                               GError         **error);
void             np_ledger_rollback           (NpLedger        *self);
/* A new revision, persisted with the current transaction. */
gboolean         np_ledger_next_revision      (NpLedger        *self,
                                               guint64         *out_revision,
                                               GError         **error);
/* Ends a write of @row_ids: commit, bring the search index up to date, emit
 * NpLedger::changed (for the row, or 0 for several). */
/* During NpLedger::changed, the row ids it is about (NULL when unknown, e.g. a
 * removed account). */
const GArray    *np_ledger_get_changed_row_ids (NpLedger       *self);
gboolean         np_ledger_finish_write       (NpLedger        *self,
                                               gint64           account_id,
                                               NpLedgerTable    table,
                                               GArray          *row_ids,
                                               GError         **error);
void             np_ledger_emit_changed       (NpLedger        *self,
                                               NpLedgerTable    table,
                                               gint64           account_id,
                                               gint64           row_id);
gint64           np_ledger_now                (void);
/* Inside a write transaction: chains every finished, unchained row of this desk
 * (np-ledger-chain.c). */
gboolean         np_ledger_chain_finished     (NpLedger        *self,
                                               GError         **error);

void             np_ledger_bind_text          (sqlite3_stmt    *stmt,
                                               int              column,
                                               const char      *text);

/* The search index of @account_id, loading it on first use. */
NpCheckoutIndex *np_ledger_ensure_index       (NpLedger        *self,
                                               gint64           account_id,
                                               GError         **error);
/* Drops the account's index, loaded or loading. */
void             np_ledger_forget_index       (NpLedger        *self,
                                               gint64           account_id);
/* Re-reads committed rows into a loaded index (a no-op when none is loaded). */
gboolean         np_ledger_refresh_index      (NpLedger        *self,
                                               gint64           account_id,
                                               GArray          *row_ids,
                                               GError         **error);
/* Arrays of row objects whose free function accepts the NULL of a missing row. */
GPtrArray       *np_ledger_new_row_array      (guint            reserved);

/* Builds one row from the current result row of a statement. */
typedef gpointer (*NpLedgerRowReader) (NpLedger      *self,
                                       sqlite3_stmt  *stmt,
                                       GError       **error);

/* The rows np_ledger_fetch_rows () asks for, as a table to join: wanted_id
 * (from ?1, a JSON array of row ids) and wanted_position, its index there.
 * Joined row by row in the array's order: no temporary table of the ids, and
 * the position places each row without a lookup. */
#define NP_LEDGER_WANTED_ROWS \
  "WITH wanted (wanted_position, wanted_id) AS (SELECT key, value FROM json_each (?1)) "

GPtrArray       *np_ledger_fetch_rows         (NpLedger          *self,
                                               const char        *sql,
                                               NpLedgerRowReader  new_row,
                                               const gint64      *row_ids,
                                               guint              n_row_ids,
                                               GError           **error);

typedef GPtrArray *(*NpLedgerFetchFunc) (NpLedger      *self,
                                         const gint64  *row_ids,
                                         guint          n_row_ids,
                                         GError       **error);

/* Reads the rows of @row_ids from @offset, at most @limit, skipping missing ones. */
GPtrArray       *np_ledger_fetch_slice        (NpLedger        *self,
                                               GArray          *row_ids,
                                               guint            offset,
                                               guint            limit,
                                               NpLedgerFetchFunc fetch,
                                               GError         **error);
/* Reads rows by row id, in the order given, NULL where one no longer exists. */
GPtrArray       *np_ledger_fetch_checkout_rows (NpLedger       *self,
                                               const gint64    *row_ids,
                                               guint            n_row_ids,
                                               GError         **error);
GPtrArray       *np_ledger_fetch_customer_rows (NpLedger       *self,
                                               const gint64    *row_ids,
                                               guint            n_row_ids,
                                               GError         **error);
GPtrArray       *np_ledger_fetch_journal_entries (NpLedger     *self,
                                               const gint64    *row_ids,
                                               guint            n_row_ids,
                                               GError         **error);
/* The row ids of the matches, in order (and for customers and the journal the
 * revision of each, which tells their models which rows changed). */
gboolean         np_ledger_query_checkout_row_ids (NpLedger    *self,
                                               gint64           account_id,
                                               const NpCheckoutQuery *query,
                                               GArray          *row_ids,
                                               GError         **error);
gboolean         np_ledger_query_customer_row_ids (NpLedger    *self,
                                               gint64           account_id,
                                               const NpCustomerQuery *query,
                                               GArray          *row_ids,
                                               GArray          *revisions,
                                               GError         **error);
gboolean         np_ledger_query_journal_row_ids (NpLedger     *self,
                                               gint64           account_id,
                                               const NpJournalQuery *query,
                                               GArray          *row_ids,
                                               GArray          *revisions,
                                               GError         **error);

/* The totals (np-ledger-totals.c): checkout_totals holds them per bucket of this
 * many seconds of the created time (schema v4, np-ledger.c). */
#define NP_LEDGER_TOTALS_BUCKET 900
/* The totals statement, for the ledger's connection and the async worker's own;
 * bind it with np_ledger_bind_totals (), read each row with np_status_total_from_stmt (). */
extern const char np_ledger_totals_sql[];
void             np_ledger_bind_totals        (sqlite3_stmt    *stmt,
                                               gint64           account_id,
                                               gint64           from,
                                               gint64           until,
                                               gboolean         daily,
                                               int              utc_offset);
NpStatusTotal   *np_status_total_from_stmt    (sqlite3_stmt    *stmt);

/* The SQL function np_search_text (...) that builds search_text columns, and the
 * aggregate np_checked_sum (x): an exact gint64 sum, or NULL when it does not fit
 * (or an input was not an integer). */
void             np_ledger_register_functions (sqlite3         *db);

G_END_DECLS
