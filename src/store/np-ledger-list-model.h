/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-list-model.h — what the ledger's list models share.
 *
 * NpCheckoutListModel, NpCustomerListModel and NpJournalListModel derive from it:
 * it is the GListModel over one account of one ledger, keeps the paging
 * (NpRowPager), follows NpLedger::changed and notifies n-items. Subclasses say
 * what to query and how to read rows.
 */
#pragma once

#include <gio/gio.h>

#include "np-ledger.h"

G_BEGIN_DECLS

#define NP_TYPE_LEDGER_LIST_MODEL (np_ledger_list_model_get_type ())
G_DECLARE_DERIVABLE_TYPE (NpLedgerListModel, np_ledger_list_model, NP, LEDGER_LIST_MODEL, GObject)

struct _NpLedgerListModelClass
{
  GObjectClass parent_class;

  /* The type of the items. */
  GType        item_type;

  /* Runs the query and hands the result to the pager (np-ledger-list-model-private.h). */
  void       (*reload)         (NpLedgerListModel  *self);
  /* A committed write of the model's account; reloads by default. */
  void       (*ledger_changed) (NpLedgerListModel  *self,
                                NpLedgerTable       table,
                                gint64              row_id);
  /* The rows for @keys, NULL where one no longer exists. */
  GPtrArray *(*fetch)          (NpLedgerListModel  *self,
                                const gint64       *keys,
                                guint               n_keys,
                                GError            **error);
  /* For subclasses whose results carry no revisions: whether @key's row changed. */
  gboolean   (*key_changed)    (NpLedgerListModel  *self,
                                gint64              key);

  gpointer     padding[8];
};

NpLedger    *np_ledger_list_model_get_ledger     (NpLedgerListModel *self);
gint64       np_ledger_list_model_get_account_id (NpLedgerListModel *self);
void         np_ledger_list_model_set_account_id (NpLedgerListModel *self,
                                                  gint64             account_id);

G_END_DECLS
