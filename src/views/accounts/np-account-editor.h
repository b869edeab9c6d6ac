/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-account-editor.h — the form that adds or edits an account and tests its connection.
 *
 * Name, base URL (checked as it is typed), environment and API key; Save is
 * enabled only when the form is valid. The key is only ever handed to NpAccounts
 * (which keeps it in the keyring) and to the connection test.
 */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_ACCOUNT_EDITOR (np_account_editor_get_type ())
G_DECLARE_FINAL_TYPE (NpAccountEditor, np_account_editor, NP, ACCOUNT_EDITOR, AdwWindow)

/* @account NULL: a new account. Signal "saved" (NpAccount *account) after a save. */
NpAccountEditor *np_account_editor_new (GtkWindow   *parent,
                                        NpWorkspace *workspace,
                                        NpAccount   *account);
/* Prefills the base URL of a new account (as given by --base-url). */
void             np_account_editor_set_base_url          (NpAccountEditor    *self,
                                                          const char         *base_url);
/* The last connection test's result; FALSE while none has finished. */
gboolean         np_account_editor_get_connection_result (NpAccountEditor    *self,
                                                          NpConnectionResult *out_result);
/* TRUE while a connection test or a save is running. */
gboolean         np_account_editor_get_busy              (NpAccountEditor    *self);

G_END_DECLS
