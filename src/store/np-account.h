/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-account.h — one Neuro-Pay account the console knows about.
 *
 * An account is a name, the API base URL and whether the user says it is a test
 * or a live account. Its id is the ledger's row id, 0 until the account has been
 * added to a ledger; every checkout, customer and journal row belongs to one id.
 * The API key is deliberately not a property: it lives in the keyring only.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  NP_ENVIRONMENT_TEST,
  NP_ENVIRONMENT_LIVE,
} NpEnvironment;

GType          np_environment_get_type        (void);
#define NP_TYPE_ENVIRONMENT (np_environment_get_type ())

/* "test" or "live": the spelling stored in the ledger. */
const char    *np_environment_to_string       (NpEnvironment   environment);
gboolean       np_environment_from_string     (const char     *text,
                                               NpEnvironment  *out_environment);

#define NP_TYPE_ACCOUNT (np_account_get_type ())
G_DECLARE_FINAL_TYPE (NpAccount, np_account, NP, ACCOUNT, GObject)

NpAccount     *np_account_new                 (const char     *name,
                                               const char     *base_url,
                                               NpEnvironment   environment);

/* 0 until np_ledger_add_account () has stored it. */
gint64         np_account_get_id              (NpAccount      *self);
void           np_account_set_id              (NpAccount      *self,
                                               gint64          id);
const char    *np_account_get_name            (NpAccount      *self);
void           np_account_set_name            (NpAccount      *self,
                                               const char     *name);
const char    *np_account_get_base_url        (NpAccount      *self);
void           np_account_set_base_url        (NpAccount      *self,
                                               const char     *base_url);
NpEnvironment  np_account_get_environment     (NpAccount      *self);
void           np_account_set_environment     (NpAccount      *self,
                                               NpEnvironment   environment);
gboolean       np_account_is_live             (NpAccount      *self);

G_END_DECLS
