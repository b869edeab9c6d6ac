/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-account-switcher.h — the header's account menu: every account, the current one checked.
 *
 * Shows the current account's name and environment (a "LIVE" pill for a live one);
 * choosing another account activates "win.switch-account" (x: the account id) and
 * "Manage Accounts…" activates "app.preferences".
 */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_ACCOUNT_SWITCHER (np_account_switcher_get_type ())
G_DECLARE_FINAL_TYPE (NpAccountSwitcher, np_account_switcher, NP, ACCOUNT_SWITCHER, GtkWidget)

NpWorkspace *np_account_switcher_get_workspace (NpAccountSwitcher *self);
void         np_account_switcher_set_workspace (NpAccountSwitcher *self,
                                                NpWorkspace       *workspace);
/* The list in the popover (rows carry their NpAccount as data "account"). */
GtkListBox  *np_account_switcher_get_list      (NpAccountSwitcher *self);
GtkMenuButton *np_account_switcher_get_button  (NpAccountSwitcher *self);

G_END_DECLS
