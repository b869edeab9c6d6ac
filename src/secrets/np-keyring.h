/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-keyring.h — API keys in the Secret Service, and nowhere else.
 *
 * Keys are stored with libsecret under the schema tech.paiwise.NeuroPayConsole.ApiKey
 * (attributes "ledger-id", "account-id" and "environment": account ids restart at 1
 * in every ledger file, so a key belongs to one ledger's account) with a label a person recognises in
 * Seahorse ("Neuro-Pay API key for “Shop” (live)"). When there is no Secret Service
 * on the bus, or the user cancels unlocking it, the key is kept in this process's
 * memory for the session only and the caller is told so: never a plain-text fallback.
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "np-account.h"

G_BEGIN_DECLS

#define NP_KEYRING_ERROR (np_keyring_error_quark ())

typedef enum {
  NP_KEYRING_ERROR_UNAVAILABLE,  /* no Secret Service, or it stayed locked: key kept for this session only */
  NP_KEYRING_ERROR_FAILED,       /* the service answered with an error */
} NpKeyringError;

GQuark              np_keyring_error_quark      (void);
const SecretSchema *np_keyring_get_schema       (void);

#define NP_TYPE_KEYRING (np_keyring_get_type ())
G_DECLARE_FINAL_TYPE (NpKeyring, np_keyring, NP, KEYRING, GObject)

/* @ledger_id: np_ledger_get_id () of the ledger whose accounts the keys belong to.
 * The first keyring also makes the process non-dumpable (PR_SET_DUMPABLE): no core
 * file of a crash holds a key. */
NpKeyring  *np_keyring_new                (const char    *ledger_id);
/* TRUE once a call found the Secret Service unavailable: keys then live in memory only. */
gboolean    np_keyring_is_session_only    (NpKeyring     *self);

/* Stores (or replaces) @account's key. On NP_KEYRING_ERROR_UNAVAILABLE the key is
 * still kept in memory, so lookups in this session find it. */
void        np_keyring_store_async        (NpKeyring     *self,
                                           NpAccount     *account,
                                           const char    *api_key,
                                           GCancellable  *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer       user_data);
gboolean    np_keyring_store_finish       (NpKeyring     *self,
                                           GAsyncResult  *result,
                                           GError       **error);
/* The key, or NULL without an error when none is stored. */
void        np_keyring_lookup_async       (NpKeyring     *self,
                                           NpAccount     *account,
                                           GCancellable  *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer       user_data);
char       *np_keyring_lookup_finish      (NpKeyring     *self,
                                           GAsyncResult  *result,
                                           GError       **error);
void        np_keyring_clear_async        (NpKeyring     *self,
                                           NpAccount     *account,
                                           GCancellable  *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer       user_data);
gboolean    np_keyring_clear_finish       (NpKeyring     *self,
                                           GAsyncResult  *result,
                                           GError       **error);

/* "••••••••1a2b": what the UI shows of a key. */
char       *np_keyring_mask_key           (const char    *api_key);

G_END_DECLS
