/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-account-row.h — one account in Preferences: name, base URL, environment, masked key.
 *
 * Its Edit and Remove buttons activate "account.edit" and "account.remove" with the
 * account id (x), which the preferences window installs.
 */
#pragma once

#include <adwaita.h>

#include "np-accounts.h"

G_BEGIN_DECLS

#define NP_TYPE_ACCOUNT_ROW (np_account_row_get_type ())
G_DECLARE_FINAL_TYPE (NpAccountRow, np_account_row, NP, ACCOUNT_ROW, AdwActionRow)

NpAccountRow *np_account_row_new         (NpAccounts   *accounts,
                                          NpAccount    *account);
NpAccount    *np_account_row_get_account (NpAccountRow *self);
/* "••••1a2b", or NULL until the key has been looked up (or when there is none). */
const char   *np_account_row_get_masked_key (NpAccountRow *self);
/* Reads the account again, and its key from the keyring (after an edit). */
void          np_account_row_refresh     (NpAccountRow *self);

G_END_DECLS
