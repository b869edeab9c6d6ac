/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-approval-limit-group.h — the "Refund Approval" group of Preferences (team mode). */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_APPROVAL_LIMIT_GROUP (np_approval_limit_group_get_type ())
G_DECLARE_FINAL_TYPE (NpApprovalLimitGroup, np_approval_limit_group, NP, APPROVAL_LIMIT_GROUP, AdwPreferencesGroup)

NpApprovalLimitGroup *np_approval_limit_group_new (NpWorkspace *workspace);

G_END_DECLS
