/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-workspace-sandbox.c — "Try the sandbox": start the embedded sandbox and make
 * its account current, with no typing.
 *
 * The sandbox's test key is made once and kept in the keyring as the "Sandbox"
 * account's key; every later start passes it to the sandbox again, so the account,
 * the ledger and the sandbox's saved state keep matching across restarts. Only the
 * port changes, and with it the account's base URL.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-sandbox-server.h"
#include "np-workspace-private.h"

#define SANDBOX_ACCOUNT_NAME "Sandbox"

typedef struct {
  NpAccount *account;   /* the "Sandbox" account, once known */
  char      *key;
  gboolean   new_key;   /* made up now: store it */
} SandboxStart;

static void
sandbox_start_free (SandboxStart *start)
{
  g_clear_object (&start->account);
  if (start->key != NULL)
    secret_password_free (start->key);
  g_free (start);
}

static void
sandbox_account_current (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SandboxStart *start = g_task_get_task_data (task);
  GError *error = NULL;

  if (!np_workspace_set_account_finish (NP_WORKSPACE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (start->account), g_object_unref);
}

static void
make_current (GTask *task)
{
  NpWorkspace *self = g_task_get_source_object (task);
  SandboxStart *start = g_task_get_task_data (task);

  np_workspace_set_account_async (self, start->account, g_task_get_cancellable (task),
                                  sandbox_account_current, task);
}

static void
sandbox_account_saved (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  ok = g_object_get_data (G_OBJECT (task), "np-added") != NULL
       ? np_accounts_add_finish (NP_ACCOUNTS (source), result, &error)
       : np_accounts_update_finish (NP_ACCOUNTS (source), result, &error);

  /* Without a keyring the key is kept for this session: the sandbox still works. */
  if (!ok && !g_error_matches (error, NP_KEYRING_ERROR, NP_KEYRING_ERROR_UNAVAILABLE))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);

  make_current (g_steal_pointer (&task));
}

static void
sandbox_started (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpWorkspace *self = g_task_get_source_object (task);
  SandboxStart *start = g_task_get_task_data (task);
  NpEmbeddedSandbox *sandbox = NP_EMBEDDED_SANDBOX (source);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  const char *url;

  if (!np_embedded_sandbox_start_finish (sandbox, result, &error))
    {
      g_task_return_new_error (task, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_SANDBOX, "%s", error->message);
      return;
    }

  np_workspace_set_sandbox_url (self);
  url = np_embedded_sandbox_get_base_url (sandbox);

  if (start->account == NULL)
    {
      start->account = np_account_new (SANDBOX_ACCOUNT_NAME, url, NP_ENVIRONMENT_TEST);
      g_object_set_data (G_OBJECT (task), "np-added", GINT_TO_POINTER (TRUE));
      np_accounts_add_async (self->accounts, start->account, np_embedded_sandbox_get_test_key (sandbox),
                             cancellable, sandbox_account_saved, g_steal_pointer (&task));
      return;
    }

  if (g_strcmp0 (np_account_get_base_url (start->account), url) == 0 && !start->new_key)
    {
      make_current (g_steal_pointer (&task));
      return;
    }

  np_account_set_base_url (start->account, url);
  np_accounts_update_async (self->accounts, start->account,
                            start->new_key ? np_embedded_sandbox_get_test_key (sandbox) : NULL,
                            cancellable, sandbox_account_saved, g_steal_pointer (&task));
}

static void
start_sandbox_with_key (GTask *task)
{
  NpWorkspace *self = g_task_get_source_object (task);
  SandboxStart *start = g_task_get_task_data (task);

  if (start->key == NULL)
    {
      start->key = np_sandbox_generate_key ();
      start->new_key = TRUE;
    }

  if (self->sandbox == NULL)
    self->sandbox = np_embedded_sandbox_new (NULL);

  np_embedded_sandbox_start_async (self->sandbox, start->key, g_task_get_cancellable (task),
                                   sandbox_started, task);
}

static void
sandbox_key_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  SandboxStart *start = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* No key (or no keyring): a new key; the sandbox then has a fresh world for it. */
  start->key = np_accounts_lookup_key_finish (NP_ACCOUNTS (source), result, &error);
  start_sandbox_with_key (task);
}

void
np_workspace_start_sandbox_async (NpWorkspace         *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  SandboxStart *start;
  NpAccount *account;

  g_return_if_fail (NP_IS_WORKSPACE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_workspace_start_sandbox_async);
  start = g_new0 (SandboxStart, 1);
  g_task_set_task_data (task, start, (GDestroyNotify) sandbox_start_free);

  account = np_accounts_find_by_name (self->accounts, SANDBOX_ACCOUNT_NAME);
  if (account == NULL)
    {
      start_sandbox_with_key (task);
      return;
    }

  start->account = g_object_ref (account);
  /* With nothing current (a start of the console), its ledger shows while the
   * sandbox starts, not "No Account" over the first frames. */
  if (self->account == NULL)
    np_workspace_show_account (self, account);
  np_accounts_lookup_key_async (self->accounts, account, cancellable, sandbox_key_found, task);
}

NpAccount *
np_workspace_start_sandbox_finish (NpWorkspace   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
