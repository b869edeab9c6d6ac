/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer-row.h — one customer as the ledger lists it.
 *
 * The item type of NpCustomerListModel: an immutable snapshot of the listed
 * columns plus how many known checkouts name the customer and their totals per
 * currency, read with the page. np_ledger_get_customer () gives the full NpCustomer.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What the ledger knows a customer (or a day, see np_ledger_get_daily_totals ())
 * has in one currency. */
typedef struct {
  char   *currency;
  guint   count;     /* checkouts */
  gint64  amount;    /* sum of their amounts, minor units */
  gint64  paid;      /* sum over paid, partialRefund and refunded checkouts, minor units */
  gint64  refunded;  /* sum of refunded amounts, minor units */
  gboolean overflow; /* a sum does not fit a gint64: the sums are not to be shown */
} NpCurrencyTotal;

void np_currency_total_free (NpCurrencyTotal *total);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpCurrencyTotal, np_currency_total_free)

#define NP_TYPE_CUSTOMER_ROW (np_customer_row_get_type ())
G_DECLARE_FINAL_TYPE (NpCustomerRow, np_customer_row, NP, CUSTOMER_ROW, GObject)

gint64       np_customer_row_get_row_id         (NpCustomerRow *self);
gint64       np_customer_row_get_account_id     (NpCustomerRow *self);
const char  *np_customer_row_get_customer_id    (NpCustomerRow *self);
const char  *np_customer_row_get_first_name     (NpCustomerRow *self);
const char  *np_customer_row_get_last_name      (NpCustomerRow *self);
const char  *np_customer_row_get_display_name   (NpCustomerRow *self);  /* "Ada Lovelace", or the email, or the id */
const char  *np_customer_row_get_email          (NpCustomerRow *self);
GDateTime   *np_customer_row_get_created        (NpCustomerRow *self);  /* UTC, may be NULL */
GDateTime   *np_customer_row_get_last_refreshed (NpCustomerRow *self);
const char  *np_customer_row_get_refresh_error  (NpCustomerRow *self);
gboolean     np_customer_row_get_retrieved      (NpCustomerRow *self);
gboolean     np_customer_row_get_deleted        (NpCustomerRow *self);
guint        np_customer_row_get_checkout_count (NpCustomerRow *self);
/* Of NpCurrencyTotal, one per currency, most checkouts first; never NULL. */
GPtrArray   *np_customer_row_get_totals         (NpCustomerRow *self);

G_END_DECLS
