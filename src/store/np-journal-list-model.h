/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-journal-list-model.h — a GListModel of one account's journal, newest first.
 *
 * Items are NpJournalEntry. Paged on demand like the other ledger models; a new
 * operation appears as one insertion at the top, a finished one as one change.
 */
#pragma once

#include <gio/gio.h>

#include "np-ledger-list-model.h"

G_BEGIN_DECLS

#define NP_TYPE_JOURNAL_LIST_MODEL (np_journal_list_model_get_type ())
/* The ledger and the account: np_ledger_list_model_get_ledger (), _get/_set_account_id (). */
G_DECLARE_FINAL_TYPE (NpJournalListModel, np_journal_list_model, NP, JOURNAL_LIST_MODEL, NpLedgerListModel)

NpJournalListModel   *np_journal_list_model_new            (NpLedger             *ledger,
                                                            gint64                account_id,
                                                            const NpJournalQuery *query);
const NpJournalQuery *np_journal_list_model_get_query      (NpJournalListModel   *self);
void                  np_journal_list_model_set_query      (NpJournalListModel   *self,
                                                            const NpJournalQuery *query);

G_END_DECLS
