/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-team-keyring.h — the team ledger's password in the Secret Service, and nowhere else.
 *
 * Schema tech.paiwise.NeuroPayConsole.TeamLedger, attributes "ledger-id" (the
 * local ledger the desk's team mode belongs to) and "target" (the connection URI
 * without a password, or the service name), labelled for Seahorse ("Neuro-Pay team
 * ledger password for “…”"). Never written to settings, a log or a ledger.
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

const SecretSchema *np_team_keyring_get_schema    (void);

void         np_team_keyring_store_async         (const char          *ledger_id,
                                                  const char          *target,
                                                  const char          *password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean     np_team_keyring_store_finish        (GAsyncResult        *result,
                                                  GError             **error);
/* The password (free with secret_password_free ()), or NULL without an error when none is stored. */
void         np_team_keyring_lookup_async        (const char          *ledger_id,
                                                  const char          *target,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char        *np_team_keyring_lookup_finish       (GAsyncResult        *result,
                                                  GError             **error);
/* Removes every team ledger password of @ledger_id. */
void         np_team_keyring_clear_async         (const char          *ledger_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean     np_team_keyring_clear_finish        (GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
