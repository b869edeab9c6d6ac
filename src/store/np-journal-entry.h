/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-journal-entry.h — one operation the console sent, as the journal records it.
 *
 * Every mutating call gets a journal row committed *before* the request leaves,
 * in state PENDING; np_ledger_journal_finish () moves it to SUCCEEDED, FAILED or
 * UNKNOWN. A row still PENDING when the ledger is next opened (the app or machine
 * died mid-call) becomes UNKNOWN.
 *
 * Settling: an UNKNOWN row stays UNKNOWN for good — we never learn whether *our*
 * request was the one that took effect — but once a refresh has shown the object's
 * status, np_ledger_journal_settle () records settled-at and that status, and the
 * row no longer needs attention.
 *
 * Entries are immutable snapshots; NpJournalListModel replaces them when they change.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  NP_JOURNAL_OPERATION_CREATE,
  NP_JOURNAL_OPERATION_CAPTURE,
  NP_JOURNAL_OPERATION_REFUND,
  NP_JOURNAL_OPERATION_UPDATE,
  NP_JOURNAL_OPERATION_DELETE,
  NP_JOURNAL_OPERATION_CREATE_CUSTOMER,
  NP_JOURNAL_OPERATION_DELETE_CUSTOMER,
  /* Not sent: a retrieve saw the checkout's status change. Written finished
   * (SUCCEEDED), never pending, so it holds no lock and needs no retry. */
  NP_JOURNAL_OPERATION_REFRESH,
} NpJournalOperation;

GType        np_journal_operation_get_type    (void);
#define NP_TYPE_JOURNAL_OPERATION (np_journal_operation_get_type ())
/* "create", "capture", "refund", "update", "delete", "create-customer", "delete-customer", "refresh" */
const char  *np_journal_operation_to_string   (NpJournalOperation   operation);
gboolean     np_journal_operation_from_string (const char          *text,
                                               NpJournalOperation  *out_operation);
/* TRUE for the customer operations: object-id is then a customer id. */
gboolean     np_journal_operation_is_customer (NpJournalOperation   operation);

typedef enum {
  NP_JOURNAL_STATE_PENDING,
  NP_JOURNAL_STATE_SUCCEEDED,
  NP_JOURNAL_STATE_FAILED,
  NP_JOURNAL_STATE_UNKNOWN,
} NpJournalState;

GType        np_journal_state_get_type        (void);
#define NP_TYPE_JOURNAL_STATE (np_journal_state_get_type ())
/* "pending", "succeeded", "failed", "unknown" */
const char  *np_journal_state_to_string       (NpJournalState       state);
gboolean     np_journal_state_from_string     (const char          *text,
                                               NpJournalState      *out_state);

#define NP_TYPE_JOURNAL_ENTRY (np_journal_entry_get_type ())
G_DECLARE_FINAL_TYPE (NpJournalEntry, np_journal_entry, NP, JOURNAL_ENTRY, GObject)

gint64              np_journal_entry_get_id             (NpJournalEntry *self);
gint64              np_journal_entry_get_account_id     (NpJournalEntry *self);
const char         *np_journal_entry_get_object_id      (NpJournalEntry *self);  /* NULL for a create that did not succeed */
NpJournalOperation  np_journal_entry_get_operation      (NpJournalEntry *self);
NpJournalState      np_journal_entry_get_state          (NpJournalEntry *self);
const char         *np_journal_entry_get_summary        (NpJournalEntry *self);  /* "Refund 12.50 SEK (duplicate)" */
const char         *np_journal_entry_get_details        (NpJournalEntry *self);  /* request JSON, never the key */
const char         *np_journal_entry_get_error_text     (NpJournalEntry *self);  /* FAILED / UNKNOWN only */
GDateTime          *np_journal_entry_get_started        (NpJournalEntry *self);  /* UTC */
GDateTime          *np_journal_entry_get_finished       (NpJournalEntry *self);  /* UTC, NULL while pending */
GDateTime          *np_journal_entry_get_settled        (NpJournalEntry *self);  /* UTC, UNKNOWN rows only */
const char         *np_journal_entry_get_settled_status (NpJournalEntry *self);  /* the status the settling refresh saw */
/* Team mode: the desk and OS user of another desk's operation; NULL for this desk's own. */
const char         *np_journal_entry_get_desk           (NpJournalEntry *self);
const char         *np_journal_entry_get_os_user        (NpJournalEntry *self);
/* UNKNOWN and not yet settled. */
gboolean            np_journal_entry_needs_attention    (NpJournalEntry *self);

G_END_DECLS
