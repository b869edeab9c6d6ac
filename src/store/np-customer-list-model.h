/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer-list-model.h — a GListModel of one account's customers for a query.
 *
 * Items are NpCustomerRow (with their checkout count and totals). Like
 * NpCheckoutListModel it keeps the ordered row ids of the matches (found in SQL)
 * and reads rows in pages on demand, following NpLedger::changed with minimal
 * items-changed.
 */
#pragma once

#include <gio/gio.h>

#include "np-ledger-list-model.h"

G_BEGIN_DECLS

#define NP_TYPE_CUSTOMER_LIST_MODEL (np_customer_list_model_get_type ())
/* The ledger and the account: np_ledger_list_model_get_ledger (), _get/_set_account_id (). */
G_DECLARE_FINAL_TYPE (NpCustomerListModel, np_customer_list_model, NP, CUSTOMER_LIST_MODEL, NpLedgerListModel)

NpCustomerListModel   *np_customer_list_model_new            (NpLedger              *ledger,
                                                              gint64                 account_id,
                                                              const NpCustomerQuery *query);
const NpCustomerQuery *np_customer_list_model_get_query      (NpCustomerListModel   *self);
void                   np_customer_list_model_set_query      (NpCustomerListModel   *self,
                                                              const NpCustomerQuery *query);

G_END_DECLS
