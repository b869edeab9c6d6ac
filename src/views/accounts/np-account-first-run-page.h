/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-account-first-run-page.h — what a first run shows: try the sandbox, or connect an account. */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_ACCOUNT_FIRST_RUN_PAGE (np_account_first_run_page_get_type ())
G_DECLARE_FINAL_TYPE (NpAccountFirstRunPage, np_account_first_run_page, NP, ACCOUNT_FIRST_RUN_PAGE, AdwBin)

NpWorkspace *np_account_first_run_page_get_workspace (NpAccountFirstRunPage *self);
void         np_account_first_run_page_set_workspace (NpAccountFirstRunPage *self,
                                                      NpWorkspace           *workspace);

G_END_DECLS
