/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-accounts.h — the accounts the console knows, as a GListModel of NpAccount.
 *
 * Joins the ledger (name, base URL, environment) and the keyring (the key). Adding
 * an account stores both; removing it removes its secret and its ledger rows.
 */
#pragma once

#include <gio/gio.h>

#include "np-account.h"
#include "np-keyring.h"
#include "np-ledger.h"

G_BEGIN_DECLS

typedef enum {
  NP_CONNECTION_OK,            /* the key was accepted (the made-up id was not found) */
  NP_CONNECTION_UNAUTHORIZED,  /* 401/403: wrong, blocked or expired key */
  NP_CONNECTION_WRONG_URL,     /* nothing that speaks the API there (network error, 404 on the path, not JSON) */
  NP_CONNECTION_TLS,           /* certificate or TLS failure */
  NP_CONNECTION_INVALID_URL,   /* not https:// (or http:// on loopback) */
  NP_CONNECTION_SERVER,        /* the server answered 5xx, 429 or timed out */
} NpConnectionResult;

#define NP_TYPE_ACCOUNTS (np_accounts_get_type ())
G_DECLARE_FINAL_TYPE (NpAccounts, np_accounts, NP, ACCOUNTS, GObject)

/* Loads the accounts from @ledger; the model is kept in name order. */
NpAccounts  *np_accounts_new                   (NpLedger      *ledger,
                                                NpKeyring     *keyring);
NpKeyring   *np_accounts_get_keyring           (NpAccounts    *self);
NpAccount   *np_accounts_find                  (NpAccounts    *self,
                                                gint64         account_id);
NpAccount   *np_accounts_find_by_name          (NpAccounts    *self,
                                                const char    *name);
/* The first account (in name order) connected to @base_url, or NULL. */
NpAccount   *np_accounts_find_by_base_url      (NpAccounts    *self,
                                                const char    *base_url);

/* Adds @account to the ledger (setting its id) and stores @api_key. Fails without
 * changing anything on a duplicate name or a refused URL. A keyring that is
 * unavailable still adds the account (the key kept for this session) and
 * finishes with NP_KEYRING_ERROR_UNAVAILABLE so the UI can say so. */
void         np_accounts_add_async             (NpAccounts    *self,
                                                NpAccount     *account,
                                                const char    *api_key,
                                                GCancellable  *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer       user_data);
gboolean     np_accounts_add_finish            (NpAccounts    *self,
                                                GAsyncResult  *result,
                                                GError       **error);
/* Team mode: an account another desk shared, added without a key; and its
 * changes applied to the model's instance (@account). */
gboolean     np_accounts_add_shared            (NpAccounts    *self,
                                                NpAccount     *account,
                                                GError       **error);
gboolean     np_accounts_apply_shared          (NpAccounts    *self,
                                                NpAccount     *account,
                                                const char    *name,
                                                const char    *base_url,
                                                NpEnvironment  environment,
                                                GError       **error);
/* Saves @account's fields; replaces the key when @api_key is not NULL. */
void         np_accounts_update_async          (NpAccounts    *self,
                                                NpAccount     *account,
                                                const char    *api_key,
                                                GCancellable  *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer       user_data);
gboolean     np_accounts_update_finish         (NpAccounts    *self,
                                                GAsyncResult  *result,
                                                GError       **error);
void         np_accounts_remove_async          (NpAccounts    *self,
                                                NpAccount     *account,
                                                GCancellable  *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer       user_data);
gboolean     np_accounts_remove_finish         (NpAccounts    *self,
                                                GAsyncResult  *result,
                                                GError       **error);
/* The account's key (NULL, no error, when none is stored). */
void         np_accounts_lookup_key_async      (NpAccounts    *self,
                                                NpAccount     *account,
                                                GCancellable  *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer       user_data);
char        *np_accounts_lookup_key_finish     (NpAccounts    *self,
                                                GAsyncResult  *result,
                                                GError       **error);

/* A harmless call (retrieve of an id that cannot exist) telling apart a wrong key,
 * a wrong URL, TLS trouble and success. @out_message: a translated sentence. */
void         np_accounts_test_connection_async (NpAccounts    *self,
                                                const char    *base_url,
                                                const char    *api_key,
                                                GCancellable  *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer       user_data);
NpConnectionResult np_accounts_test_connection_finish (NpAccounts   *self,
                                                GAsyncResult  *result,
                                                char         **out_message);

G_END_DECLS
