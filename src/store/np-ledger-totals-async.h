/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-totals-async.h — the Overview's daily totals, read off the main thread.
 *
 * np_ledger_get_local_daily_totals () reads the period's pre-added buckets (schema
 * v4); a year of a busy shop is still tens of thousands of them, more than the
 * thread that draws the window should wait for. This is the same query on a
 * worker thread with its own read-only connection (WAL gives it a consistent
 * snapshot while the main thread writes).
 */
#pragma once

#include <gio/gio.h>

#include "np-ledger.h"

G_BEGIN_DECLS

/* As np_ledger_get_local_daily_totals (): of NpStatusTotal, by day, status, currency. */
void         np_ledger_get_local_daily_totals_async  (NpLedger            *self,
                                                      gint64               account_id,
                                                      gint64               from,
                                                      gint64               until,
                                                      int                  utc_offset,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray   *np_ledger_get_local_daily_totals_finish (NpLedger            *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
