/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-list-model.h — a GListModel of one account's checkouts for a query.
 *
 * Items are NpCheckoutRow. The model never holds a million objects: it keeps only
 * the ordered positions of the matches (filtered and sorted by the ledger's search
 * index, see np-checkout-index.c) and materialises rows in pages of 200 as the view
 * asks for them, keeping a few pages. It follows NpLedger::changed: a changed row
 * that keeps its place emits items-changed for that one position, a row that moves
 * is removed and inserted, and a bulk change is diffed to the smallest changed range.
 * Setting a query is synchronous and meant to be done on every keystroke.
 */
#pragma once

#include <gio/gio.h>

#include "np-ledger-list-model.h"

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_LIST_MODEL (np_checkout_list_model_get_type ())
/* The ledger and the account: np_ledger_list_model_get_ledger (), _get/_set_account_id (). */
G_DECLARE_FINAL_TYPE (NpCheckoutListModel, np_checkout_list_model, NP, CHECKOUT_LIST_MODEL, NpLedgerListModel)

/* @query NULL: every checkout, newest first. */
NpCheckoutListModel   *np_checkout_list_model_new            (NpLedger              *ledger,
                                                              gint64                 account_id,
                                                              const NpCheckoutQuery *query);
const NpCheckoutQuery *np_checkout_list_model_get_query      (NpCheckoutListModel   *self);
/* Copies @query; an equal query changes nothing. */
void                   np_checkout_list_model_set_query      (NpCheckoutListModel   *self,
                                                              const NpCheckoutQuery *query);
/* TRUE while the account's search index loads in a worker: until then the model
 * holds only the first rows (plain query) or none ("loading" is notified). */
gboolean               np_checkout_list_model_get_loading    (NpCheckoutListModel   *self);
/* The position of @checkout_id in the model, or -1. */
int                    np_checkout_list_model_find           (NpCheckoutListModel   *self,
                                                              const char            *checkout_id);

G_END_DECLS
