/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-journal-export.h — the journal as CSV, for the accountant.
 *
 * The Activity page's "Export" writes what the journal shows (one account, a
 * query's filters, newest first) through these functions: RFC 4180, CRLF, UTF-8,
 * with the columns
 *   id, started, finished, operation, object_id, outcome, summary, error,
 *   settled, settled_status, details
 * — times as UTC ISO 8601, details as the request JSON (never the key).
 */
#pragma once

#include <gio/gio.h>

#include "np-ledger.h"

G_BEGIN_DECLS

/* Writes the entries matching @query (NULL: all) to @stream; the row count in @out_rows. */
gboolean     np_ledger_export_journal         (NpLedger             *self,
                                               gint64                account_id,
                                               const NpJournalQuery *query,
                                               GOutputStream        *stream,
                                               guint64              *out_rows,
                                               GCancellable         *cancellable,
                                               GError              **error);
/* The same to @file, replaced atomically by a worker thread with its own
 * read-only connection, so a long journal never blocks the window. */
void         np_ledger_export_journal_async   (NpLedger             *self,
                                               gint64                account_id,
                                               const NpJournalQuery *query,
                                               GFile                *file,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean     np_ledger_export_journal_finish  (NpLedger             *self,
                                               GAsyncResult         *result,
                                               guint64              *out_rows,
                                               GError              **error);

G_END_DECLS
