/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-accounts.c — the accounts the console knows, as a GListModel of NpAccount.
 *
 * The ledger holds an account's name, base URL and environment; the keyring holds
 * its key. This object keeps the two in step and keeps one NpAccount instance per
 * account, so views can bind to it and see edits. Test connection lives in
 * np-accounts-connection.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-accounts.h"
#include "np-client.h"

struct _NpAccounts
{
  GObject       parent_instance;

  NpLedger     *ledger;
  NpKeyring    *keyring;
  GPtrArray    *accounts;   /* of NpAccount, by name */
  GCancellable *cancellable;
};

static void np_accounts_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NpAccounts, np_accounts, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, np_accounts_list_model_init))

static GType
np_accounts_get_item_type (GListModel *model)
{
  return NP_TYPE_ACCOUNT;
}

static guint
np_accounts_get_n_items (GListModel *model)
{
  return NP_ACCOUNTS (model)->accounts->len;
}

static gpointer
np_accounts_get_item (GListModel *model,
                      guint       position)
{
  NpAccounts *self = NP_ACCOUNTS (model);

  if (position >= self->accounts->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
np_accounts_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = np_accounts_get_item_type;
  iface->get_n_items = np_accounts_get_n_items;
  iface->get_item = np_accounts_get_item;
}

static void
np_accounts_dispose (GObject *object)
{
  NpAccounts *self = (NpAccounts *)object;

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (np_accounts_parent_class)->dispose (object);
}

static void
np_accounts_finalize (GObject *object)
{
  NpAccounts *self = (NpAccounts *)object;

  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_object (&self->ledger);
  g_clear_object (&self->keyring);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (np_accounts_parent_class)->finalize (object);
}

static void
np_accounts_class_init (NpAccountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = np_accounts_dispose;
  object_class->finalize = np_accounts_finalize;
}

static void
np_accounts_init (NpAccounts *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

NpAccounts *
np_accounts_new (NpLedger  *ledger,
                 NpKeyring *keyring)
{
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  NpAccounts *self;

  g_return_val_if_fail (NP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (NP_IS_KEYRING (keyring), NULL);

  self = g_object_new (NP_TYPE_ACCOUNTS, NULL);
  self->ledger = g_object_ref (ledger);
  self->keyring = g_object_ref (keyring);

  stored = np_ledger_list_accounts (ledger, &error);
  if (stored == NULL)
    g_warning ("Could not read the accounts: %s", error->message);
  else
    for (guint i = 0; i < stored->len; i++)
      g_ptr_array_add (self->accounts, g_object_ref (g_ptr_array_index (stored, i)));

  return self;
}

NpKeyring *
np_accounts_get_keyring (NpAccounts *self)
{
  g_return_val_if_fail (NP_IS_ACCOUNTS (self), NULL);

  return self->keyring;
}

NpAccount *
np_accounts_find (NpAccounts *self,
                  gint64      account_id)
{
  g_return_val_if_fail (NP_IS_ACCOUNTS (self), NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      NpAccount *account = g_ptr_array_index (self->accounts, i);

      if (np_account_get_id (account) == account_id)
        return account;
    }

  return NULL;
}

NpAccount *
np_accounts_find_by_name (NpAccounts *self,
                          const char *name)
{
  g_return_val_if_fail (NP_IS_ACCOUNTS (self), NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      NpAccount *account = g_ptr_array_index (self->accounts, i);

      if (g_strcmp0 (np_account_get_name (account), name) == 0)
        return account;
    }

  return NULL;
}

NpAccount *
np_accounts_find_by_base_url (NpAccounts *self,
                              const char *base_url)
{
  g_return_val_if_fail (NP_IS_ACCOUNTS (self), NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      NpAccount *account = g_ptr_array_index (self->accounts, i);

      if (g_strcmp0 (np_account_get_base_url (account), base_url) == 0)
        return account;
    }

  return NULL;
}

/* Where @account belongs in name order (the ledger's order: SQLite's BINARY collation). */
static guint
sorted_position (NpAccounts *self,
                 NpAccount  *account)
{
  guint position = 0;

  while (position < self->accounts->len
         && g_strcmp0 (np_account_get_name (g_ptr_array_index (self->accounts, position)),
                       np_account_get_name (account)) <= 0)
    position++;

  return position;
}

static void
insert_sorted (NpAccounts *self,
               NpAccount  *account)
{
  guint position = sorted_position (self, account);

  g_ptr_array_insert (self->accounts, position, g_object_ref (account));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static void
remove_from_model (NpAccounts *self,
                   NpAccount  *account)
{
  guint position;

  if (g_ptr_array_find (self->accounts, account, &position))
    {
      g_ptr_array_remove_index (self->accounts, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
    }
}

/* Keeps the model in name order after @account's name changed, and makes views
 * rebind its row either way. */
static void
reposition (NpAccounts *self,
            NpAccount  *account)
{
  guint old_position;
  guint new_position;

  if (!g_ptr_array_find (self->accounts, account, &old_position))
    return;

  g_ptr_array_steal_index (self->accounts, old_position);
  new_position = sorted_position (self, account);
  g_ptr_array_insert (self->accounts, new_position, account);

  if (old_position == new_position)
    g_list_model_items_changed (G_LIST_MODEL (self), old_position, 1, 1);
  else
    {
      guint first = MIN (old_position, new_position);
      guint n = MAX (old_position, new_position) - first + 1;

      g_list_model_items_changed (G_LIST_MODEL (self), first, n, n);
    }
}

/* Add */

static void
add_key_stored (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpAccounts *self = g_task_get_source_object (task);
  NpAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (np_keyring_store_finish (NP_KEYRING (source), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* No keyring: the account stays, its key lives for this session; the UI says so. */
  if (g_error_matches (error, NP_KEYRING_ERROR, NP_KEYRING_ERROR_UNAVAILABLE))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The keyring refused: an account without its key would only fail later. */
  np_ledger_remove_account (self->ledger, np_account_get_id (account), NULL);
  remove_from_model (self, account);
  np_account_set_id (account, 0);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
np_accounts_add_async (NpAccounts          *self,
                       NpAccount           *account,
                       const char          *api_key,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (NP_IS_ACCOUNTS (self));
  g_return_if_fail (NP_IS_ACCOUNT (account));
  g_return_if_fail (api_key != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_accounts_add_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  if (!np_client_check_base_url (np_account_get_base_url (account), &error)
      || !np_ledger_add_account (self->ledger, account, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  insert_sorted (self, account);
  np_keyring_store_async (self->keyring, account, api_key, cancellable,
                          add_key_stored, g_steal_pointer (&task));
}

gboolean
np_accounts_add_finish (NpAccounts    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* An account another desk shared: in the ledger and the model, without a key
 * (this desk adds its own in the account editor). */
gboolean
np_accounts_add_shared (NpAccounts  *self,
                        NpAccount   *account,
                        GError     **error)
{
  g_return_val_if_fail (NP_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (NP_IS_ACCOUNT (account), FALSE);

  if (!np_ledger_add_account (self->ledger, account, error))
    return FALSE;
  insert_sorted (self, account);
  return TRUE;
}

/* Another desk changed a shared account: its fields here follow. */
gboolean
np_accounts_apply_shared (NpAccounts    *self,
                          NpAccount     *account,
                          const char    *name,
                          const char    *base_url,
                          NpEnvironment  environment,
                          GError       **error)
{
  g_return_val_if_fail (NP_IS_ACCOUNTS (self), FALSE);

  if (g_strcmp0 (np_account_get_name (account), name) == 0 &&
      g_strcmp0 (np_account_get_base_url (account), base_url) == 0 &&
      np_account_get_environment (account) == environment)
    return TRUE;

  np_account_set_name (account, name);
  np_account_set_base_url (account, base_url);
  np_account_set_environment (account, environment);
  if (!np_ledger_update_account (self->ledger, account, error))
    return FALSE;
  reposition (self, account);
  return TRUE;
}

/* Update */

typedef struct {
  NpAccount *account;   /* the model's instance */
  char      *api_key;   /* the new key, or the old one to store under the new label */
} UpdateData;

static void
update_data_free (UpdateData *data)
{
  g_clear_object (&data->account);
  if (data->api_key != NULL)
    secret_password_free (data->api_key);
  g_free (data);
}

static void
update_key_stored (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!np_keyring_store_finish (NP_KEYRING (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
update_old_key_found (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpAccounts *self = g_task_get_source_object (task);
  UpdateData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  data->api_key = np_keyring_lookup_finish (NP_KEYRING (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* No key to carry over: nothing else to do. */
  if (data->api_key == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  np_keyring_store_async (self->keyring, data->account, data->api_key,
                          cancellable, update_key_stored, g_steal_pointer (&task));
}

/* The model's own instance of @account; NULL, with @task finished, once it is removed. */
static NpAccount *
own_account (NpAccounts *self,
             GTask      *task,
             NpAccount  *account)
{
  NpAccount *mine = np_accounts_find (self, np_account_get_id (account));

  if (mine == NULL)
    g_task_return_new_error (task, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND, "%s",
                             _("This account no longer exists."));
  return mine;
}

static void
copy_account_fields (NpAccount *to,
                     NpAccount *from)
{
  if (to == from)
    return;

  np_account_set_name (to, np_account_get_name (from));
  np_account_set_base_url (to, np_account_get_base_url (from));
  np_account_set_environment (to, np_account_get_environment (from));
}

void
np_accounts_update_async (NpAccounts          *self,
                          NpAccount           *account,
                          const char          *api_key,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(NpAccount) before = NULL;
  NpAccount *mine;
  UpdateData *data;
  GError *error = NULL;
  gboolean relabel;

  g_return_if_fail (NP_IS_ACCOUNTS (self));
  g_return_if_fail (NP_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_accounts_update_async);

  mine = own_account (self, task, account);
  if (mine == NULL)
    return;

  before = np_ledger_get_account (self->ledger, np_account_get_id (account), NULL);
  if (!np_client_check_base_url (np_account_get_base_url (account), &error)
      || !np_ledger_update_account (self->ledger, account, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  copy_account_fields (mine, account);

  reposition (self, mine);

  /* The keyring item's label and environment attribute follow the account. */
  relabel = before == NULL
            || g_strcmp0 (np_account_get_name (before), np_account_get_name (mine)) != 0
            || np_account_get_environment (before) != np_account_get_environment (mine);

  data = g_new0 (UpdateData, 1);
  data->account = g_object_ref (mine);
  data->api_key = g_strdup (api_key);
  g_task_set_task_data (task, data, (GDestroyNotify) update_data_free);

  if (api_key != NULL)
    np_keyring_store_async (self->keyring, mine, api_key, cancellable,
                            update_key_stored, g_steal_pointer (&task));
  else if (relabel)
    np_keyring_lookup_async (self->keyring, mine, cancellable,
                             update_old_key_found, g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
}

gboolean
np_accounts_update_finish (NpAccounts    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Remove */

static void
remove_key_cleared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpAccounts *self = g_task_get_source_object (task);
  NpAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Without a keyring the session key is already forgotten; any other failure
   * keeps the account, so its secret is never orphaned in the keyring. */
  if (!np_keyring_clear_finish (NP_KEYRING (source), result, &error)
      && !g_error_matches (error, NP_KEYRING_ERROR, NP_KEYRING_ERROR_UNAVAILABLE))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_error (&error);
  if (!np_ledger_remove_account (self->ledger, np_account_get_id (account), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  remove_from_model (self, account);
  g_task_return_boolean (task, TRUE);
}

void
np_accounts_remove_async (NpAccounts          *self,
                          NpAccount           *account,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  NpAccount *mine;

  g_return_if_fail (NP_IS_ACCOUNTS (self));
  g_return_if_fail (NP_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_accounts_remove_async);

  mine = own_account (self, task, account);
  if (mine == NULL)
    return;

  g_task_set_task_data (task, g_object_ref (mine), g_object_unref);
  np_keyring_clear_async (self->keyring, mine, cancellable,
                          remove_key_cleared, g_steal_pointer (&task));
}

gboolean
np_accounts_remove_finish (NpAccounts    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup */

static void
key_looked_up (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *key;

  key = np_keyring_lookup_finish (NP_KEYRING (source), result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) secret_password_free);
}

void
np_accounts_lookup_key_async (NpAccounts          *self,
                              NpAccount           *account,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (NP_IS_ACCOUNTS (self));
  g_return_if_fail (NP_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_accounts_lookup_key_async);
  np_keyring_lookup_async (self->keyring, account, cancellable, key_looked_up, task);
}

char *
np_accounts_lookup_key_finish (NpAccounts    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
