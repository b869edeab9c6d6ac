/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-team-keyring.c — the team ledger's password under its own libsecret schema. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-team-keyring.h"

const SecretSchema *
np_team_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    "tech.paiwise.NeuroPayConsole.TeamLedger",
    SECRET_SCHEMA_NONE,
    {
      { "ledger-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "target", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
stored (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
np_team_keyring_store_async (const char          *ledger_id,
                             const char          *target,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = g_strdup_printf (_("Neuro-Pay team ledger password for “%s”"), target);

  g_return_if_fail (ledger_id != NULL && target != NULL && password != NULL);

  secret_password_store (np_team_keyring_get_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, stored, task,
                         "ledger-id", ledger_id, "target", target, NULL);
}

gboolean
np_team_keyring_store_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
looked_up (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
np_team_keyring_lookup_async (const char          *ledger_id,
                              const char          *target,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  secret_password_lookup (np_team_keyring_get_schema (), cancellable, looked_up, task,
                          "ledger-id", ledger_id, "target", target, NULL);
}

char *
np_team_keyring_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cleared (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to remove. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
np_team_keyring_clear_async (const char          *ledger_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  secret_password_clear (np_team_keyring_get_schema (), cancellable, cleared, task,
                         "ledger-id", ledger_id, NULL);
}

gboolean
np_team_keyring_clear_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
