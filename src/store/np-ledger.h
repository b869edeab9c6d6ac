/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger.h — the console's local memory of an API that cannot list anything.
 *
 * One SQLite file per user (WAL, foreign keys on, prepared statements only) holds
 * the accounts, the last known state of every checkout and customer the console
 * created, looked up or imported, and the journal of every mutating call it sent.
 * Every row belongs to one account and every query takes an account id, so test
 * and live data never mix. The API key is never stored here.
 *
 * NpLedger is used from the thread that opened it (the main thread); the export
 * runs in a worker with its own read-only connection. After each committed write
 * it emits NpLedger::changed, which the list models follow.
 */
#pragma once

#include <gio/gio.h>

#include "np-account.h"
#include "np-checkout.h"
#include "np-checkout-row.h"
#include "np-customer.h"
#include "np-customer-row.h"
#include "np-journal-entry.h"
#include "np-ledger-query.h"

G_BEGIN_DECLS

#define NP_LEDGER_ERROR (np_ledger_error_quark ())

typedef enum {
  NP_LEDGER_ERROR_OPEN,        /* the file or its folder cannot be opened or created */
  NP_LEDGER_ERROR_CORRUPT,     /* not a ledger database, or damaged */
  NP_LEDGER_ERROR_MIGRATION,   /* written by a newer version, or a migration failed (nothing changed) */
  NP_LEDGER_ERROR_QUERY,       /* a statement failed (disk full, locked, ...) */
  NP_LEDGER_ERROR_CONSTRAINT,  /* duplicate account name, unknown account, invalid value */
  NP_LEDGER_ERROR_NOT_FOUND,   /* no such account, checkout, customer or journal entry */
  NP_LEDGER_ERROR_IMPORT,      /* nothing importable: empty input, no id column */
  NP_LEDGER_ERROR_IO,          /* reading or writing a file or stream failed */
  NP_LEDGER_ERROR_TAMPERED,    /* the audit chain does not match: the message names the row */
} NpLedgerError;

GQuark       np_ledger_error_quark            (void);

/* The schema this build writes (PRAGMA user_version). */
#define NP_LEDGER_SCHEMA_VERSION 9

/* What NpLedger::changed is about. */
typedef enum {
  NP_LEDGER_TABLE_ACCOUNTS,
  NP_LEDGER_TABLE_CHECKOUTS,
  NP_LEDGER_TABLE_CUSTOMERS,
  NP_LEDGER_TABLE_JOURNAL,
} NpLedgerTable;

GType        np_ledger_table_get_type         (void);
#define NP_TYPE_LEDGER_TABLE (np_ledger_table_get_type ())

typedef enum {
  NP_LEDGER_OBJECT_CHECKOUT,
  NP_LEDGER_OBJECT_CUSTOMER,
} NpLedgerObject;

#define NP_TYPE_LEDGER (np_ledger_get_type ())
G_DECLARE_FINAL_TYPE (NpLedger, np_ledger, NP, LEDGER, GObject)

/* Signals:
 *   changed (NpLedger *ledger, NpLedgerTable table, gint64 account_id, gint64 row_id)
 *     after a committed write. @row_id is the one changed row (np_checkout_row_get_row_id (),
 *     np_journal_entry_get_id (), an account id) or 0 when several rows changed.
 */

/* $XDG_DATA_HOME/neuropay-console/ledger.db */
char        *np_ledger_dup_default_path       (void);
/* Opens (creating it and its folder when needed) and migrates the ledger at @path,
 * or at the default path when @path is NULL. Journal rows left pending by a
 * previous run become UNKNOWN. */
NpLedger    *np_ledger_open                   (const char       *path,
                                               GError          **error);
/* Opens the ledger for reading only, as it is: no migration, no recovery of
 * pending rows (which may be a running console's). For verifying the audit
 * trail from the command line. */
NpLedger    *np_ledger_open_read_only         (const char       *path,
                                               GError          **error);
const char  *np_ledger_get_path               (NpLedger         *self);
/* A random id made when the file was created: keys in the keyring belong to one
 * ledger, since account ids restart at 1 in every ledger file. */
const char  *np_ledger_get_id                 (NpLedger         *self);
/* How many pending journal rows this open turned into UNKNOWN. */
guint        np_ledger_get_n_recovered        (NpLedger         *self);
/* TRUE when SQLite runs the file in WAL mode, as asked. FALSE where it cannot
 * (a file system without shared memory, some network and FUSE mounts): the
 * ledger then works in the rollback journal SQLite kept, as safely but with
 * readers and the writer waiting for each other (an export holds writes back,
 * a write waits for an export). Also the read-only property "wal-active". */
gboolean     np_ledger_get_wal_active         (NpLedger         *self);
/* Hands back what the ledger's own connection caches, the search indexes' text
 * of replaced rows, and what malloc holds free, after a bulk read or write (a
 * team desk's first sync). */
void         np_ledger_release_memory         (NpLedger         *self);
/* The loaded search index's text bytes of @account_id (0 when none is loaded),
 * and in @out_stale (may be NULL) those of replaced rows: for tests. */
gsize        np_ledger_get_index_text_bytes   (NpLedger         *self,
                                               gint64            account_id,
                                               gsize            *out_stale);

/* Accounts. add sets the account's id; remove deletes every row of the account. */
gboolean     np_ledger_add_account            (NpLedger         *self,
                                               NpAccount        *account,
                                               GError          **error);
gboolean     np_ledger_update_account         (NpLedger         *self,
                                               NpAccount        *account,
                                               GError          **error);
gboolean     np_ledger_remove_account         (NpLedger         *self,
                                               gint64            account_id,
                                               GError          **error);
/* Of NpAccount, by name. */
GPtrArray   *np_ledger_list_accounts          (NpLedger         *self,
                                               GError          **error);
NpAccount   *np_ledger_get_account            (NpLedger         *self,
                                               gint64            account_id,
                                               GError          **error);

/* Loads the account's checkout search index in a worker thread: at a million
 * checkouts that takes seconds, which a list would otherwise spend blocking on
 * first use. Call it when an account becomes current; lists work without it. */
void         np_ledger_prepare_account_async  (NpLedger         *self,
                                               gint64            account_id,
                                               GCancellable     *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer          user_data);
gboolean     np_ledger_prepare_account_finish (NpLedger         *self,
                                               GAsyncResult     *result,
                                               GError          **error);

/* Checkouts. Upserting stores the JSON and the listed fields, stamps last-refreshed
 * and clears a refresh error; the same checkout twice is a no-op apart from the stamp.
 * The batch form commits all or nothing in one transaction. What is upserted
 * here came from this desk's own API call: the row is this desk's own from then
 * on, even one a team ledger sent before (np_ledger_store_objects_async ()). */
gboolean     np_ledger_upsert_checkout        (NpLedger         *self,
                                               gint64            account_id,
                                               NpCheckout       *checkout,
                                               GError          **error);
gboolean     np_ledger_upsert_checkouts       (NpLedger         *self,
                                               gint64            account_id,
                                               GPtrArray        *checkouts,
                                               GError          **error);
/* Many objects at once, from their JSON text (@jsons: char*, as the API
 * writes them), e.g. a team ledger's first sync: parsed and upserted on a
 * worker thread over a connection of its own, in one transaction, so the
 * caller's thread is not held. A text that does not parse is left out.
 * @received_from names the team ledger that sent them (NULL: this desk's own):
 * a row this desk had as its own stays its own, any other is that ledger's
 * (and left out of np_ledger_read_objects_async ()). Then,
 * on the ledger's thread, a loaded search index takes the rows and one
 * NpLedger::changed tells of the batch (row 0): keep batches to a few thousand
 * rows when an index may be loaded. Gives the number stored. */
void         np_ledger_store_objects_async    (NpLedger         *self,
                                               NpLedgerObject    object,
                                               gint64            account_id,
                                               GPtrArray        *jsons,
                                               const char       *received_from,
                                               GCancellable     *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer          user_data);
gboolean     np_ledger_store_objects_finish   (NpLedger         *self,
                                               GAsyncResult     *result,
                                               guint            *out_stored,
                                               GError          **error);
/* Reads, on a worker thread over a read-only connection of its own, the stored
 * JSON of @account_id's objects (not deleted, and this desk's own: none a team
 * ledger sent, which only that ledger shares) with a row id above
 * @after_row_id, at most @limit, in row order: e.g. a desk's first upload to a
 * team ledger, in batches, so the caller's thread is not held. Gives the
 * objects' ids, their JSON text and the last row id read (@after_row_id when
 * none): the next batch starts there. */
void         np_ledger_read_objects_async     (NpLedger         *self,
                                               NpLedgerObject    object,
                                               gint64            account_id,
                                               gint64            after_row_id,
                                               guint             limit,
                                               GCancellable     *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer          user_data);
gboolean     np_ledger_read_objects_finish    (NpLedger         *self,
                                               GAsyncResult     *result,
                                               GPtrArray       **out_ids,
                                               GPtrArray       **out_jsons,
                                               gint64           *out_last_row_id,
                                               GError          **error);
/* The same, for what a retrieve brought back: each checkout whose stored status
 * it changes also gets a 'refresh' journal row (succeeded, chained), written in
 * the same transaction; their ids are appended to @entry_ids (nullable). A
 * checkout never retrieved before, or retrieved unchanged, writes no row. */
gboolean     np_ledger_refresh_checkouts      (NpLedger         *self,
                                               gint64            account_id,
                                               GPtrArray        *checkouts,
                                               GArray           *entry_ids,
                                               GError          **error);
/* Keeps the last known state and records why the refresh failed, and when. */
gboolean     np_ledger_record_checkout_failure (NpLedger        *self,
                                               gint64            account_id,
                                               const char       *checkout_id,
                                               const char       *error_text,
                                               GError          **error);
/* Deleted through the API: kept (hidden from lists by default) for the audit trail. */
gboolean     np_ledger_mark_checkout_deleted  (NpLedger         *self,
                                               gint64            account_id,
                                               const char       *checkout_id,
                                               GError          **error);
/* Removes the row from the ledger only; the journal keeps its history. */
gboolean     np_ledger_forget_checkout        (NpLedger         *self,
                                               gint64            account_id,
                                               const char       *checkout_id,
                                               GError          **error);
/* The stored JSON as a checkout. NP_LEDGER_ERROR_NOT_FOUND when the id is unknown or
 * was imported but never retrieved (see np_ledger_get_checkout_row ()). */
NpCheckout  *np_ledger_get_checkout           (NpLedger         *self,
                                               gint64            account_id,
                                               const char       *checkout_id,
                                               GError          **error);
NpCheckoutRow *np_ledger_get_checkout_row     (NpLedger         *self,
                                               gint64            account_id,
                                               const char       *checkout_id,
                                               GError          **error);
/* Rows matching @query (NULL: all, newest first) from @offset, at most @limit. */
GPtrArray   *np_ledger_list_checkouts         (NpLedger         *self,
                                               gint64            account_id,
                                               const NpCheckoutQuery *query,
                                               guint             offset,
                                               guint             limit,
                                               GError          **error);
gboolean     np_ledger_count_checkouts        (NpLedger         *self,
                                               gint64            account_id,
                                               const NpCheckoutQuery *query,
                                               guint            *out_count,
                                               GError          **error);
/* Ids of checkouts whose status may still change (not final, or never retrieved),
 * oldest first: what "Refresh all" retrieves. */
GStrv        np_ledger_dup_open_checkout_ids  (NpLedger         *self,
                                               gint64            account_id,
                                               GError          **error);
/* Ids of checkouts still `created` (waiting for the payer) created at or after
 * @created_from (Unix time), newest first, at most @limit: a read of the
 * created-time index, so it never loads the search index. */
GStrv        np_ledger_dup_waiting_checkout_ids (NpLedger       *self,
                                                 gint64          account_id,
                                                 gint64          created_from,
                                                 guint           limit,
                                                 GError        **error);

/* Customers, as for checkouts. */
gboolean     np_ledger_upsert_customer        (NpLedger         *self,
                                               gint64            account_id,
                                               NpCustomer       *customer,
                                               GError          **error);
gboolean     np_ledger_upsert_customers       (NpLedger         *self,
                                               gint64            account_id,
                                               GPtrArray        *customers,
                                               GError          **error);
gboolean     np_ledger_record_customer_failure (NpLedger        *self,
                                               gint64            account_id,
                                               const char       *customer_id,
                                               const char       *error_text,
                                               GError          **error);
gboolean     np_ledger_mark_customer_deleted  (NpLedger         *self,
                                               gint64            account_id,
                                               const char       *customer_id,
                                               GError          **error);
gboolean     np_ledger_forget_customer        (NpLedger         *self,
                                               gint64            account_id,
                                               const char       *customer_id,
                                               GError          **error);
NpCustomer  *np_ledger_get_customer           (NpLedger         *self,
                                               gint64            account_id,
                                               const char       *customer_id,
                                               GError          **error);
NpCustomerRow *np_ledger_get_customer_row     (NpLedger         *self,
                                               gint64            account_id,
                                               const char       *customer_id,
                                               GError          **error);
/* Of NpCustomerRow, matching @query (NULL: all, by name), from @offset, at most @limit. */
GPtrArray   *np_ledger_list_customers         (NpLedger         *self,
                                               gint64            account_id,
                                               const NpCustomerQuery *query,
                                               guint             offset,
                                               guint             limit,
                                               GError          **error);

/* Totals for the Overview: per status and currency over [@from, @until) of the
 * created time (0: unbounded), and the same per day. Days are UTC days, or local
 * days when @utc_offset is the local offset from UTC in seconds (east positive). */
typedef struct {
  gint64            day;          /* start of the day as UTC Unix seconds; 0 in np_ledger_get_totals () */
  NpCheckoutStatus  status;
  char             *status_text;  /* as stored; NULL for rows never retrieved */
  char             *currency;     /* NULL for rows never retrieved */
  guint             count;
  gint64            amount;       /* minor units */
  gint64            refunded;     /* minor units: net = amount - refunded */
  gboolean          overflow;     /* amount or refunded does not fit a gint64: both 0, not to be shown */
} NpStatusTotal;

void         np_status_total_free             (NpStatusTotal    *total);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpStatusTotal, np_status_total_free)

/* Of NpStatusTotal, by status then currency (and by day first for the daily forms). */
GPtrArray   *np_ledger_get_totals             (NpLedger         *self,
                                               gint64            account_id,
                                               gint64            from,
                                               gint64            until,
                                               GError          **error);
GPtrArray   *np_ledger_get_daily_totals       (NpLedger         *self,
                                               gint64            account_id,
                                               gint64            from,
                                               gint64            until,
                                               GError          **error);
GPtrArray   *np_ledger_get_local_daily_totals (NpLedger         *self,
                                               gint64            account_id,
                                               gint64            from,
                                               gint64            until,
                                               int               utc_offset,
                                               GError          **error);

/* The audit trail (np-ledger-chain.c, format in np-journal-chain.h). verify walks
 * every account's chain (or @account_id's, when not 0): TRUE with the number of
 * rows and the last head hash, or NP_LEDGER_ERROR_TAMPERED naming the first row
 * that does not match (its id in @out_bad_entry). */
gboolean     np_ledger_verify_chain           (NpLedger         *self,
                                               gint64            account_id,
                                               guint            *out_n_rows,
                                               char            **out_head,
                                               gint64           *out_bad_entry,
                                               GError          **error);
/* The account's head hash, "" when its chain is empty. */
char        *np_ledger_chain_head             (NpLedger         *self,
                                               gint64            account_id,
                                               GError          **error);

/* The journal. begin commits a PENDING row before the request is sent and returns
 * its id (> 0; 0 on error). @details is the request as JSON without the key:
 * amounts in minor units with their currency, reason, metadata changes. */
gint64       np_ledger_journal_begin          (NpLedger         *self,
                                               gint64            account_id,
                                               NpJournalOperation operation,
                                               const char       *object_id,
                                               const char       *summary,
                                               JsonObject       *details,
                                               GError          **error);
/* @state is SUCCEEDED, FAILED or UNKNOWN; @error_text for the last two; @object_id
 * fills in the id of what a create made (NULL keeps the one given to begin). */
gboolean     np_ledger_journal_finish         (NpLedger         *self,
                                               gint64            entry_id,
                                               NpJournalState    state,
                                               const char       *error_text,
                                               const char       *object_id,
                                               GError          **error);
/* Records that a refresh saw @status_seen for an UNKNOWN entry's object. */
gboolean     np_ledger_journal_settle         (NpLedger         *self,
                                               gint64            entry_id,
                                               const char       *status_seen,
                                               GError          **error);
/* Settles every unsettled UNKNOWN entry of @object_id; returns how many in @out_count. */
gboolean     np_ledger_journal_settle_object  (NpLedger         *self,
                                               gint64            account_id,
                                               const char       *object_id,
                                               const char       *status_seen,
                                               guint            *out_count,
                                               GError          **error);
NpJournalEntry *np_ledger_journal_get         (NpLedger         *self,
                                               gint64            entry_id,
                                               GError          **error);
/* Of NpJournalEntry, newest first. */
GPtrArray   *np_ledger_journal_list           (NpLedger         *self,
                                               gint64            account_id,
                                               const NpJournalQuery *query,
                                               guint             offset,
                                               guint             limit,
                                               GError          **error);

/* Team mode (np-ledger-team.c): the team ledger's UUID of a shared account
 * (NULL when not shared), the team id of journal rows, another desk's rows, and
 * the number of the last team change applied (0: none). Every link is read and
 * written for the current team ledger only (np_ledger_set_team_ledger ()): none
 * is found, and none can be set, while the desk is in none. */

/* Makes @team_ledger (np_team.ledger_info's id; NULL: none, the desk left) the
 * current one. Moving to another team ledger than the recorded one (or to none)
 * sets the last team change applied back to 0 (change numbers are a ledger's
 * own), and @out_switched (may be NULL) says so. With @adopt_unrecorded, and no
 * team ledger recorded yet, the links made before schema 8 (of no recorded team
 * ledger) become @team_ledger's, and so do the rows schema 9 took as received
 * from that unrecorded one, and the change applied stays: a desk that was a
 * member when it was upgraded resumes. */
gboolean     np_ledger_set_team_ledger        (NpLedger         *self,
                                               const char       *team_ledger,
                                               gboolean          adopt_unrecorded,
                                               gboolean         *out_switched,
                                               GError          **error);
/* The current team ledger's id, NULL when none. */
char        *np_ledger_dup_team_ledger        (NpLedger         *self);
char        *np_ledger_dup_account_team_id    (NpLedger         *self,
                                               gint64            account_id);
gint64       np_ledger_find_account_by_team_id (NpLedger        *self,
                                               const char       *team_id);
gboolean     np_ledger_set_account_team_id    (NpLedger         *self,
                                               gint64            account_id,
                                               const char       *team_id,
                                               GError          **error);
/* An account the current team ledger sent (np_accounts_add_shared ()): marked
 * as received from it, so another team ledger is not given it unless this desk
 * has a key of its own for it. NP_LEDGER_ERROR_CONSTRAINT when in none. */
gboolean     np_ledger_mark_account_received  (NpLedger         *self,
                                               gint64            account_id,
                                               GError          **error);
/* The team ledger @account_id was received from; NULL for this desk's own. */
char        *np_ledger_dup_account_received_from (NpLedger      *self,
                                               gint64            account_id);
gint64       np_ledger_get_team_change        (NpLedger         *self);
gboolean     np_ledger_set_team_change        (NpLedger         *self,
                                               gint64            change,
                                               GError          **error);
gboolean     np_ledger_journal_set_team_id    (NpLedger         *self,
                                               gint64            entry_id,
                                               gint64            team_id,
                                               GError          **error);
/* The local entry of team journal row @team_id, 0 when none. */
gint64       np_ledger_journal_find_team      (NpLedger         *self,
                                               gint64            team_id);
/* Inserts (or moves on to @state) the row another desk journalled; @started and
 * @finished are Unix seconds (0: not finished). Returns the local entry id. */
gint64       np_ledger_journal_apply_team     (NpLedger         *self,
                                               gint64            account_id,
                                               gint64            team_id,
                                               NpJournalOperation operation,
                                               NpJournalState    state,
                                               const char       *object_id,
                                               const char       *summary,
                                               const char       *details,
                                               const char       *error_text,
                                               gint64            started,
                                               gint64            finished,
                                               const char       *desk,
                                               const char       *os_user,
                                               GError          **error);

/* Import: registers ids (rows with no JSON yet, "not yet retrieved") for the caller
 * to retrieve. LIST reads ids separated by newlines, commas or whitespace; CSV reads
 * one column (RFC 4180 quoting, BOM, CRLF), named by @column, or else the column whose
 * header looks like an id ("checkout_id", "customer_id", "id", ...), or else the first;
 * a first row that is a header is skipped. An id is valid when it is 1..45 of
 * [A-Za-z0-9_-.:]. Duplicates in the input count once. */
typedef enum {
  NP_IMPORT_FORMAT_LIST,
  NP_IMPORT_FORMAT_CSV,
} NpImportFormat;

typedef struct {
  guint  line;     /* 1-based line where the value starts */
  char  *value;    /* as read (cut to 64 bytes) */
} NpImportProblem;

typedef struct {
  GPtrArray *new_ids;       /* of char*: registered by this import, in input order */
  GPtrArray *known_ids;     /* of char*: already in the ledger */
  GPtrArray *invalid;       /* of NpImportProblem, in input order */
  guint      n_duplicates;  /* values repeated in the input */
} NpImportResult;

void         np_import_result_free            (NpImportResult   *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpImportResult, np_import_result_free)

NpImportResult *np_ledger_import_ids          (NpLedger         *self,
                                               gint64            account_id,
                                               NpLedgerObject    object,
                                               NpImportFormat    format,
                                               const char       *column,
                                               const char       *data,
                                               gsize             length,
                                               GError          **error);

/* Export: the checkouts matching @query (NULL: all), in its order, as CSV (RFC 4180,
 * CRLF, UTF-8): checkout_id, identifier, status, amount_minor, amount, currency,
 * refunded_minor, refunded, message, customer_id, created, updated, last_refreshed,
 * refresh_error, metadata (JSON) — times as UTC ISO 8601, amounts in major units via
 * np_money_format_plain (). Streams row by row. Returns the row count in @out_rows. */
gboolean     np_ledger_export_checkouts       (NpLedger         *self,
                                               gint64            account_id,
                                               const NpCheckoutQuery *query,
                                               GOutputStream    *stream,
                                               guint64          *out_rows,
                                               GCancellable     *cancellable,
                                               GError          **error);
gboolean     np_ledger_export_checkouts_to_path (NpLedger       *self,
                                               gint64            account_id,
                                               const NpCheckoutQuery *query,
                                               const char       *path,
                                               guint64          *out_rows,
                                               GCancellable     *cancellable,
                                               GError          **error);
/* The same to @file, written (atomically replaced) by a worker thread. */
void         np_ledger_export_checkouts_async (NpLedger         *self,
                                               gint64            account_id,
                                               const NpCheckoutQuery *query,
                                               GFile            *file,
                                               GCancellable     *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer          user_data);
gboolean     np_ledger_export_checkouts_finish (NpLedger        *self,
                                               GAsyncResult     *result,
                                               guint64          *out_rows,
                                               GError          **error);

G_END_DECLS
