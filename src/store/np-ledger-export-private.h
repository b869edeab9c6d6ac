/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-export-private.h — the one CSV export worker behind the checkout
 * export (np-ledger-io.c) and the journal export (np-ledger-journal-export.c).
 *
 * An export holds the ordered ids of what it writes (8 bytes each), never the
 * rows, and writes as it reads: one statement fetches one row by id (?1), and
 * the export's own function turns it into a CSV record.
 */
#pragma once

#include <gio/gio.h>

#include "np-ledger-private.h"

G_BEGIN_DECLS

/* What differs between exports: the rows, the header and the records. */
typedef struct
{
  const char         *sql;        /* fetches the row whose id is ?1 */
  const char * const *header;
  guint               n_header;
  void              (*append_record) (GString      *out,
                                      sqlite3_stmt *stmt);
} NpLedgerExport;

/* Writes @ids through the ledger's own connection to @stream. */
gboolean  np_ledger_export_to_stream  (NpLedger              *self,
                                       const NpLedgerExport  *export,
                                       GArray                *ids,
                                       GOutputStream         *stream,
                                       guint64               *out_rows,
                                       GCancellable          *cancellable,
                                       GError               **error);
/* The same to @file, replaced only when complete. */
gboolean  np_ledger_export_to_file    (NpLedger              *self,
                                       const NpLedgerExport  *export,
                                       GArray                *ids,
                                       GFile                 *file,
                                       guint64               *out_rows,
                                       GCancellable          *cancellable,
                                       GError               **error);
/* Runs the export of @ids (taken) to @file on a worker thread with its own
 * read-only connection, and finishes @task; np_ledger_export_task_finish ()
 * reads the outcome. */
void      np_ledger_export_in_thread  (NpLedger              *self,
                                       const NpLedgerExport  *export,
                                       GArray                *ids,
                                       GFile                 *file,
                                       GTask                 *task);
gboolean  np_ledger_export_task_finish (GTask                *task,
                                        guint64              *out_rows,
                                        GError              **error);

G_END_DECLS
