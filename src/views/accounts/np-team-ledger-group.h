/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-team-ledger-group.h — the "Team Ledger" group of Preferences. */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_TEAM_LEDGER_GROUP (np_team_ledger_group_get_type ())
G_DECLARE_FINAL_TYPE (NpTeamLedgerGroup, np_team_ledger_group, NP, TEAM_LEDGER_GROUP, AdwPreferencesGroup)

NpTeamLedgerGroup *np_team_ledger_group_new      (NpWorkspace       *workspace);
/* TRUE while a test, join or leave is under way. */
gboolean           np_team_ledger_group_get_busy (NpTeamLedgerGroup *self);

G_END_DECLS
