/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-list-model-private.h — what NpLedgerListModel offers its subclasses. */
#pragma once

#include "np-ledger-list-model.h"
#include "np-row-pager.h"

G_BEGIN_DECLS

NpRowPager *np_ledger_list_model_get_pager (NpLedgerListModel *self);
/* Runs the subclass's reload and notifies n-items; a no-op before construction ends. */
void        np_ledger_list_model_reload    (NpLedgerListModel *self);

G_END_DECLS
