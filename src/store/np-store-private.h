/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-store-private.h — what the store's own files share and nobody else sees.
 *
 * The row objects are built straight from a SELECT of the columns named here,
 * in this order, so the SQL and the constructors cannot drift apart.
 */
#pragma once

#include <sqlite3.h>

#include "np-checkout-row.h"
#include "np-customer-row.h"
#include "np-journal-entry.h"

G_BEGIN_DECLS

/* typeof (json) reads whether a row was retrieved from the record header, never the
 * stored JSON itself. */
#define NP_CHECKOUT_ROW_COLUMNS \
  "row_id, account_id, checkout_id, identifier, status, status_text, amount, " \
  "refunded_amount, currency, message, customer_id, created, updated, last_refreshed, " \
  "refresh_error, refresh_failed_at, typeof (json) <> 'null', deleted"

#define NP_CUSTOMER_ROW_COLUMNS \
  "row_id, account_id, customer_id, first_name, last_name, email, created, " \
  "last_refreshed, refresh_error, typeof (json) <> 'null', deleted"

#define NP_JOURNAL_ENTRY_COLUMNS \
  "id, account_id, object_id, operation, state, summary, details, error_text, " \
  "started, finished, settled, settled_status, desk, os_user"

NpCheckoutRow  *np_checkout_row_new_from_stmt  (sqlite3_stmt *stmt);
NpCustomerRow  *np_customer_row_new_from_stmt  (sqlite3_stmt *stmt,
                                                GPtrArray    *totals);
NpJournalEntry *np_journal_entry_new_from_stmt (sqlite3_stmt *stmt);

/* A GDateTime (UTC) for Unix seconds, or NULL for a NULL column. */
GDateTime      *np_store_column_time           (sqlite3_stmt *stmt,
                                                int           column);
char           *np_store_column_dup            (sqlite3_stmt *stmt,
                                                int           column);

G_END_DECLS
