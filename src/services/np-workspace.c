/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-workspace.c — the current account, its client, and the busy guard.
 *
 * The operations are in np-workspace-operations.c, refresh/import/export in
 * np-workspace-refresh.c and the embedded sandbox in np-workspace-sandbox.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-workspace-private.h"

G_DEFINE_FINAL_TYPE (NpWorkspace, np_workspace, G_TYPE_OBJECT)

G_DEFINE_QUARK (np-workspace-error-quark, np_workspace_error)

enum {
  PROP_0,
  PROP_LEDGER,
  PROP_ACCOUNTS,
  PROP_ACCOUNT,
  PROP_LIVE,
  PROP_CLIENT,
  PROP_SANDBOX_URL,
  PROP_MUTATIONS,
  PROP_CLOCK_OFFSET,
  PROP_SAMPLE_DATA_RUNNING,
  PROP_SAMPLE_DATA_FRACTION,
  PROP_SAMPLE_DATA_MESSAGE,
  PROP_TEAM_SYNC,
  PROP_REFRESH_MAX_IN_FLIGHT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_MUTATION_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
client_clock_offset_changed (NpClient    *client,
                             GParamSpec  *pspec,
                             NpWorkspace *self)
{
  gint64 offset = np_client_get_clock_offset (client);

  /* Kept per account, so that a switch back does not judge ages by our clock
   * until the next answer. */
  if (self->account != NULL)
    g_hash_table_insert (self->clock_offsets, GSIZE_TO_POINTER (np_account_get_id (self->account)),
                         g_memdup2 (&offset, sizeof offset));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_OFFSET]);
}

static void
set_client (NpWorkspace *self,
            NpClient    *client)
{
  gint64 before = np_workspace_get_clock_offset (self);

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, client_clock_offset_changed, self);
  if (client != NULL && self->account != NULL)
    {
      gint64 *known = g_hash_table_lookup (self->clock_offsets,
                                           GSIZE_TO_POINTER (np_account_get_id (self->account)));

      if (known != NULL)
        np_client_set_clock_offset (client, *known);
      g_signal_connect (client, "notify::clock-offset", G_CALLBACK (client_clock_offset_changed), self);
    }
  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  if (before != np_workspace_get_clock_offset (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_OFFSET]);
}

gint64
np_workspace_get_clock_offset (NpWorkspace *self)
{
  gint64 *known;

  g_return_val_if_fail (NP_IS_WORKSPACE (self), 0);

  if (self->client != NULL)
    return np_client_get_clock_offset (self->client);
  /* Between the account's choice and its key: what its last answer said. */
  known = self->account != NULL
          ? g_hash_table_lookup (self->clock_offsets, GSIZE_TO_POINTER (np_account_get_id (self->account)))
          : NULL;
  return known != NULL ? *known : 0;
}

GDateTime *
np_workspace_get_server_now (NpWorkspace *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_val_if_fail (NP_IS_WORKSPACE (self), NULL);
  return g_date_time_add_seconds (now, np_workspace_get_clock_offset (self));
}

static void
account_removed_check (GListModel  *model,
                       guint        position,
                       guint        removed,
                       guint        added,
                       NpWorkspace *self)
{
  /* The current account was removed from the preferences: nothing is current. */
  if (self->account != NULL
      && np_accounts_find (self->accounts, np_account_get_id (self->account)) == NULL)
    np_workspace_set_account_async (self, NULL, NULL, NULL, NULL);
}

static void
np_workspace_dispose (GObject *object)
{
  NpWorkspace *self = (NpWorkspace *)object;

  /* Only a forced end comes here with mutations in flight (each holds a
   * reference): their answers will not be heard. */
  np_workspace_abandon_mutations (self);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->account_cancellable);
  g_cancellable_cancel (self->index_cancellable);
  if (self->sample_cancellable != NULL)
    g_cancellable_cancel (self->sample_cancellable);

  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);

  /* The sandbox stops with the workspace (and so with the application). */
  if (self->sandbox != NULL)
    np_embedded_sandbox_stop (self->sandbox);
  g_clear_object (&self->sandbox);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, client_clock_offset_changed, self);
  g_clear_object (&self->client);
  g_clear_object (&self->account);
  g_clear_object (&self->team_sync);
  if (self->watcher != NULL)
    g_object_run_dispose (G_OBJECT (self->watcher));
  g_clear_object (&self->watcher);

  G_OBJECT_CLASS (np_workspace_parent_class)->dispose (object);
}

static void
np_workspace_finalize (GObject *object)
{
  NpWorkspace *self = (NpWorkspace *)object;

  g_clear_object (&self->ledger);
  g_clear_object (&self->accounts);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->account_cancellable);
  g_clear_object (&self->index_cancellable);
  g_clear_pointer (&self->busy, g_hash_table_unref);
  g_clear_pointer (&self->mutations, g_ptr_array_unref);
  g_clear_pointer (&self->clock_offsets, g_hash_table_unref);
  g_clear_pointer (&self->sample_message, g_free);

  G_OBJECT_CLASS (np_workspace_parent_class)->finalize (object);
}

static void
np_workspace_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  NpWorkspace *self = NP_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_LEDGER:
      g_value_set_object (value, self->ledger);
      break;
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, np_workspace_get_live (self));
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SANDBOX_URL:
      g_value_set_string (value, self->sandbox != NULL
                                 ? np_embedded_sandbox_get_base_url (self->sandbox) : NULL);
      break;
    case PROP_MUTATIONS:
      g_value_set_uint (value, self->mutations->len);
      break;
    case PROP_CLOCK_OFFSET:
      g_value_set_int64 (value, np_workspace_get_clock_offset (self));
      break;
    case PROP_SAMPLE_DATA_RUNNING:
      g_value_set_boolean (value, self->sample_cancellable != NULL);
      break;
    case PROP_SAMPLE_DATA_FRACTION:
      g_value_set_double (value, self->sample_fraction);
      break;
    case PROP_SAMPLE_DATA_MESSAGE:
      g_value_set_string (value, self->sample_message);
      break;
    case PROP_TEAM_SYNC:
      g_value_set_object (value, self->team_sync);
      break;
    case PROP_REFRESH_MAX_IN_FLIGHT:
      g_value_set_uint (value, self->refresh_max_in_flight);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_workspace_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  NpWorkspace *self = NP_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_LEDGER:
      self->ledger = g_value_dup_object (value);
      break;
    case PROP_ACCOUNTS:
      self->accounts = g_value_dup_object (value);
      if (self->accounts != NULL)
        g_signal_connect (self->accounts, "items-changed", G_CALLBACK (account_removed_check), self);
      break;
    case PROP_REFRESH_MAX_IN_FLIGHT:
      if (self->refresh_max_in_flight != g_value_get_uint (value))
        {
          self->refresh_max_in_flight = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_workspace_class_init (NpWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = np_workspace_dispose;
  object_class->finalize = np_workspace_finalize;
  object_class->get_property = np_workspace_get_property;
  object_class->set_property = np_workspace_set_property;

  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL, NP_TYPE_LEDGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL, NP_TYPE_ACCOUNTS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, NP_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, NP_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SANDBOX_URL] =
    g_param_spec_string ("sandbox-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MUTATIONS] =
    g_param_spec_uint ("mutations", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOCK_OFFSET] =
    g_param_spec_int64 ("clock-offset", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SAMPLE_DATA_RUNNING] =
    g_param_spec_boolean ("sample-data-running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAMPLE_DATA_FRACTION] =
    g_param_spec_double ("sample-data-fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAMPLE_DATA_MESSAGE] =
    g_param_spec_string ("sample-data-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TEAM_SYNC] =
    g_param_spec_object ("team-sync", NULL, NULL, NP_TYPE_TEAM_SYNC,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The most retrieves a refresh keeps in flight (it starts with fewer and grows
   * while throughput grows); Preferences sets it. */
  properties[PROP_REFRESH_MAX_IN_FLIGHT] =
    g_param_spec_uint ("refresh-max-in-flight", NULL, NULL, 1, 32, 32,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MUTATION_FINISHED] =
    g_signal_new ("mutation-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, NP_TYPE_JOURNAL_ENTRY, G_TYPE_BOOLEAN);
}

static void
np_workspace_init (NpWorkspace *self)
{
  self->cancellable = g_cancellable_new ();
  self->account_cancellable = g_cancellable_new ();
  self->index_cancellable = g_cancellable_new ();
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->mutations = g_ptr_array_new ();
  self->clock_offsets = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self->refresh_max_in_flight = 32;
}

NpWorkspace *
np_workspace_new (NpLedger   *ledger,
                  NpAccounts *accounts)
{
  g_return_val_if_fail (NP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (NP_IS_ACCOUNTS (accounts), NULL);

  return g_object_new (NP_TYPE_WORKSPACE, "ledger", ledger, "accounts", accounts, NULL);
}

NpLedger *
np_workspace_get_ledger (NpWorkspace *self)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (self), NULL);
  return self->ledger;
}

NpAccounts *
np_workspace_get_accounts (NpWorkspace *self)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (self), NULL);
  return self->accounts;
}

NpAccount *
np_workspace_get_account (NpWorkspace *self)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (self), NULL);
  return self->account;
}

gint64
np_workspace_get_account_id (NpWorkspace *self)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (self), 0);
  return self->account != NULL ? np_account_get_id (self->account) : 0;
}

gboolean
np_workspace_get_live (NpWorkspace *self)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (self), FALSE);
  return self->account != NULL && np_account_is_live (self->account);
}

NpCheckoutWatcher *
np_workspace_get_watcher (NpWorkspace *self)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (self), NULL);

  if (self->watcher == NULL)
    self->watcher = np_checkout_watcher_new (self);
  return self->watcher;
}

NpClient *
np_workspace_get_client (NpWorkspace *self)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (self), NULL);
  return self->client;
}

void
np_workspace_notify_sample_data (NpWorkspace *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_DATA_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_DATA_FRACTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_DATA_MESSAGE]);
}

void
np_workspace_set_sandbox_url (NpWorkspace *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SANDBOX_URL]);
}

/* The current account */

typedef struct {
  NpAccount *account;
} SetAccountData;

static void
set_account_data_free (SetAccountData *data)
{
  g_clear_object (&data->account);
  g_free (data);
}

static void
account_prepared (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Lists work without the index (only slower), so a failure is only logged. */
  if (!np_ledger_prepare_account_finish (NP_LEDGER (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not load the search index: %s", error->message);
}

static void
key_found (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpWorkspace *self = g_task_get_source_object (task);
  SetAccountData *data = g_task_get_task_data (task);
  g_autoptr(NpClient) client = NULL;
  GError *error = NULL;
  char *key;

  key = np_accounts_lookup_key_finish (NP_ACCOUNTS (source), result, &error);

  /* Another account became current meanwhile: this answer is stale. */
  if (self->account != data->account)
    {
      if (key != NULL)
        secret_password_free (key);
      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("Another account was chosen meanwhile."));
      return;
    }

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (key == NULL)
    {
      g_task_return_new_error (task, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_NO_KEY,
                               _("No API key is stored for “%s”. Enter it in Preferences."),
                               np_account_get_name (data->account));
      return;
    }

  client = np_client_new (np_account_get_base_url (data->account), key, &error);
  secret_password_free (key);
  if (client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  set_client (self, client);
  g_task_return_boolean (task, TRUE);
}

static void
current_account_base_url_changed (NpAccount   *account,
                                  GParamSpec  *pspec,
                                  NpWorkspace *self)
{
  /* A new base URL needs a new client; the key is looked up again for it. */
  np_workspace_set_account_async (self, account, NULL, NULL, NULL);
}

static void
current_account_environment_changed (NpAccount   *account,
                                     GParamSpec  *pspec,
                                     NpWorkspace *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

void
np_workspace_show_account (NpWorkspace *self,
                           NpAccount   *account)
{
  gboolean was_live;

  g_cancellable_cancel (self->account_cancellable);
  g_clear_object (&self->account_cancellable);
  self->account_cancellable = g_cancellable_new ();

  /* Another account's index is not needed any more; this account's is, through
   * the calls for it that follow (a new base URL, the sandbox's start). */
  if (account != self->account)
    {
      g_cancellable_cancel (self->index_cancellable);
      g_clear_object (&self->index_cancellable);
      self->index_cancellable = g_cancellable_new ();
    }

  /* Before anyone hears of the account: lists made for it then wait for this
   * load (showing what SQL gives at once) instead of loading the index
   * themselves on the main thread, before the first frame. */
  if (account != NULL)
    np_ledger_prepare_account_async (self->ledger, np_account_get_id (account),
                                     self->index_cancellable, account_prepared, NULL);

  was_live = np_workspace_get_live (self);
  if (account != self->account)
    {
      if (self->account != NULL)
        g_signal_handlers_disconnect_by_data (self->account, self);
      g_set_object (&self->account, account);
      if (account != NULL)
        {
          g_signal_connect (account, "notify::base-url",
                            G_CALLBACK (current_account_base_url_changed), self);
          g_signal_connect (account, "notify::environment",
                            G_CALLBACK (current_account_environment_changed), self);
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
    }
  if (was_live != np_workspace_get_live (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);

  set_client (self, NULL);
}

void
np_workspace_set_account_async (NpWorkspace         *self,
                                NpAccount           *account,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SetAccountData *data;

  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (account == NULL || NP_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_workspace_set_account_async);

  np_workspace_show_account (self, account);
  if (account == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  data = g_new0 (SetAccountData, 1);
  data->account = g_object_ref (account);
  g_task_set_task_data (task, data, (GDestroyNotify) set_account_data_free);
  np_accounts_lookup_key_async (self->accounts, account, self->account_cancellable,
                                key_found, g_steal_pointer (&task));
}

gboolean
np_workspace_set_account_finish (NpWorkspace   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The busy guard */

gboolean
np_workspace_is_busy (NpWorkspace *self,
                      const char  *object_id)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (self), FALSE);

  return object_id != NULL && g_hash_table_contains (self->busy, object_id);
}

void
np_operation_free (NpOperation *operation)
{
  g_assert (operation->caller == NULL);

  if (operation->caller_handler != 0)
    g_cancellable_disconnect (operation->caller_cancellable, operation->caller_handler);
  g_clear_object (&operation->caller_cancellable);
  g_clear_object (&operation->cancellable);
  if (operation->busy_held)
    np_workspace_release_busy (operation->workspace, operation);
  g_clear_object (&operation->workspace);
  g_clear_object (&operation->client);
  g_free (operation->object_id);
  g_free (operation);
}

NpOperation *
np_workspace_begin_operation (NpWorkspace  *self,
                              const char   *object_id,
                              GError      **error)
{
  NpOperation *operation;

  if (self->account == NULL)
    {
      g_set_error_literal (error, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_NO_ACCOUNT,
                           _("No account is chosen. Connect an account or try the sandbox."));
      return NULL;
    }

  if (self->client == NULL)
    {
      g_set_error (error, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_NO_KEY,
                   _("No API key is available for “%s”."), np_account_get_name (self->account));
      return NULL;
    }

  if (np_workspace_is_busy (self, object_id))
    {
      g_set_error (error, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_BUSY,
                   _("Another change to %s is still in progress. Wait for it to finish."), object_id);
      return NULL;
    }

  operation = g_new0 (NpOperation, 1);
  operation->workspace = g_object_ref (self);
  operation->account_id = np_account_get_id (self->account);
  operation->client = g_object_ref (self->client);
  operation->object_id = g_strdup (object_id);

  if (object_id != NULL)
    {
      g_hash_table_add (self->busy, g_strdup (object_id));
      operation->busy_held = TRUE;
    }

  return operation;
}

void
np_workspace_release_busy (NpWorkspace *self,
                           NpOperation *operation)
{
  if (!operation->busy_held)
    return;

  g_hash_table_remove (self->busy, operation->object_id);
  operation->busy_held = FALSE;
}

/* Mutations in flight: the workspace's, not the caller's */

/* The caller's cancellable fired: the caller hears CANCELLED now (from an idle,
 * as this may run inside its dispose), the call goes on. */
static gboolean
return_detached (gpointer data)
{
  GTask *caller = data;

  g_task_return_new_error (caller, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                           _("The change goes on without this window."));
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled (GCancellable *cancellable,
                  NpOperation  *operation)
{
  GTask *caller = g_steal_pointer (&operation->caller);

  operation->detached = TRUE;
  if (caller != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT, return_detached, caller, g_object_unref);
}

void
np_workspace_add_mutation (NpWorkspace *self,
                           NpOperation *operation)
{
  operation->cancellable = g_cancellable_new ();
  operation->deadline = g_get_monotonic_time ()
                        + (gint64) np_client_get_timeout (operation->client) * G_USEC_PER_SEC;
  if (operation->caller != NULL && g_task_get_cancellable (operation->caller) != NULL)
    {
      operation->caller_cancellable = g_object_ref (g_task_get_cancellable (operation->caller));
      operation->caller_handler = g_cancellable_connect (operation->caller_cancellable,
                                                         G_CALLBACK (caller_cancelled), operation, NULL);
    }
  g_ptr_array_add (self->mutations, operation);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTATIONS]);
}

void
np_workspace_end_mutation (NpWorkspace *self,
                           NpOperation *operation,
                           GObject     *object,
                           GError      *error)
{
  g_autoptr(GObject) owned = object;
  g_autoptr(GError) owned_error = error;
  g_autoptr(GTask) caller = g_steal_pointer (&operation->caller);
  g_autoptr(NpJournalEntry) entry = NULL;

  np_workspace_release_busy (self, operation);
  if (g_ptr_array_remove (self->mutations, operation))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTATIONS]);

  if (!operation->abandoned && operation->journal_id != 0)
    entry = np_ledger_journal_get (self->ledger, operation->journal_id, NULL);
  if (entry != NULL)
    g_signal_emit (self, signals[SIGNAL_MUTATION_FINISHED], 0, entry, operation->detached);

  if (caller != NULL)
    {
      if (owned_error != NULL)
        g_task_return_error (caller, g_steal_pointer (&owned_error));
      else
        g_task_return_pointer (caller, g_steal_pointer (&owned), g_object_unref);
    }
  np_operation_free (operation);
}

guint
np_workspace_get_mutations (NpWorkspace *self)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (self), 0);
  return self->mutations->len;
}

gint64
np_workspace_get_mutations_deadline (NpWorkspace *self)
{
  gint64 deadline = 0;

  g_return_val_if_fail (NP_IS_WORKSPACE (self), 0);

  for (guint i = 0; i < self->mutations->len; i++)
    deadline = MAX (deadline, ((NpOperation *) g_ptr_array_index (self->mutations, i))->deadline);
  return deadline;
}

char *
np_workspace_describe_mutations (NpWorkspace *self)
{
  NpOperation *operation;

  g_return_val_if_fail (NP_IS_WORKSPACE (self), NULL);

  if (self->mutations->len == 0)
    return NULL;
  if (self->mutations->len > 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Waiting for %u change to finish…",
                                         "Waiting for %u changes to finish…", self->mutations->len),
                            self->mutations->len);

  operation = g_ptr_array_index (self->mutations, 0);
  switch (operation->kind)
    {
    case NP_JOURNAL_OPERATION_CREATE:
      return g_strdup (_("Waiting for a new checkout to finish…"));
    case NP_JOURNAL_OPERATION_CAPTURE:
      return g_strdup (_("Waiting for a capture to finish…"));
    case NP_JOURNAL_OPERATION_REFUND:
      return g_strdup (_("Waiting for a refund to finish…"));
    case NP_JOURNAL_OPERATION_UPDATE:
      return g_strdup (_("Waiting for a metadata change to finish…"));
    case NP_JOURNAL_OPERATION_DELETE:
      return g_strdup (_("Waiting for a checkout to be deleted…"));
    case NP_JOURNAL_OPERATION_CREATE_CUSTOMER:
      return g_strdup (_("Waiting for a new customer to finish…"));
    case NP_JOURNAL_OPERATION_DELETE_CUSTOMER:
      return g_strdup (_("Waiting for a customer to be deleted…"));
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Waiting for %u change to finish…",
                                           "Waiting for %u changes to finish…", 1), 1);
    }
}

void
np_workspace_abandon_mutations (NpWorkspace *self)
{
  g_autoptr(GPtrArray) mutations = NULL;

  g_return_if_fail (NP_IS_WORKSPACE (self));

  if (self->mutations == NULL || self->mutations->len == 0)
    return;

  mutations = g_ptr_array_copy (self->mutations, NULL, NULL);
  g_ptr_array_set_size (self->mutations, 0);
  for (guint i = 0; i < mutations->len; i++)
    {
      NpOperation *operation = g_ptr_array_index (mutations, i);
      g_autoptr(GError) error = NULL;

      /* Sent and unanswered: whether the server acted is not known, and will not
       * be heard here; a refresh at the next start settles it. */
      operation->abandoned = TRUE;
      if (operation->team_journal_id != 0 && self->team_sync != NULL)
        np_team_sync_finish_operation (self->team_sync, operation->team_journal_id, NP_JOURNAL_STATE_UNKNOWN,
                                       "The console was quit before the answer came.", NULL);
      if (!np_ledger_journal_finish (self->ledger, operation->journal_id, NP_JOURNAL_STATE_UNKNOWN,
                                     _("The console was quit before the answer came, so it is not known "
                                       "whether Neuro-Pay carried it out. Refresh to see."),
                                     NULL, &error))
        g_warning ("Could not finish journal entry %" G_GINT64_FORMAT ": %s",
                   operation->journal_id, error->message);
      np_workspace_release_busy (self, operation);
      g_cancellable_cancel (operation->cancellable);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTATIONS]);
}

char *
np_workspace_describe_outcome (NpJournalEntry *entry)
{
  const char *summary;

  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (entry), NULL);

  summary = np_journal_entry_get_summary (entry);
  switch (np_journal_entry_get_state (entry))
    {
    case NP_JOURNAL_STATE_SUCCEEDED:
      /* Translators: %s is what was done, e.g. "Refund 12.50 SEK (duplicate)" */
      return g_strdup_printf (_("%s: done."), summary);
    case NP_JOURNAL_STATE_FAILED:
      /* Translators: what was asked, then why it failed */
      return g_strdup_printf (_("%s: failed. %s"), summary,
                              np_journal_entry_get_error_text (entry) ? np_journal_entry_get_error_text (entry) : "");
    default:
      return g_strdup_printf (_("%s: no answer came, so it is not known whether it was done. "
                                "Refresh to see."), summary);
    }
}

/* Errors and summaries */

char *
np_workspace_describe_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == NP_CLIENT_ERROR)
    return np_client_error_describe (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup (_("Cancelled."));

  if (error->domain == NP_WORKSPACE_ERROR)
    {
      switch ((NpWorkspaceError) error->code)
        {
        case NP_WORKSPACE_ERROR_NO_ACCOUNT:
          return g_strdup (_("No account is chosen. Connect an account or try the sandbox."));
        case NP_WORKSPACE_ERROR_NO_KEY:
        case NP_WORKSPACE_ERROR_BUSY:
        case NP_WORKSPACE_ERROR_TEAM_OFFLINE:
          return g_strdup (error->message);
        case NP_WORKSPACE_ERROR_SANDBOX:
          return g_strdup_printf (_("The sandbox could not start: %s"), error->message);
        default:
          break;
        }
    }

  /* The team ledger's messages are sentences already (LOCKED names the holder). */
  if (error->domain == NP_TEAM_LEDGER_ERROR)
    return g_strdup (error->message);

  if (error->domain == NP_KEYRING_ERROR)
    {
      if (error->code == NP_KEYRING_ERROR_UNAVAILABLE)
        return g_strdup (_("No keyring is available, so the API key is kept in memory for this "
                           "session only. You will need to enter it again next time."));
      return g_strdup_printf (_("The keyring could not be used: %s"), error->message);
    }

  if (error->domain == NP_LEDGER_ERROR)
    {
      switch ((NpLedgerError) error->code)
        {
        case NP_LEDGER_ERROR_CONSTRAINT:
        case NP_LEDGER_ERROR_NOT_FOUND:
        case NP_LEDGER_ERROR_IMPORT:
          return g_strdup (error->message);
        case NP_LEDGER_ERROR_IO:
          return g_strdup_printf (_("The file could not be written: %s"), error->message);
        default:
          return g_strdup_printf (_("The local ledger could not be updated (%s). "
                                    "Check that the disk is not full."), error->message);
        }
    }

  return g_strdup (error->message);
}

void
np_refresh_summary_free (NpRefreshSummary *summary)
{
  if (summary == NULL)
    return;

  g_clear_pointer (&summary->failures, g_ptr_array_unref);
  g_free (summary);
}

char *
np_refresh_summary_describe (const NpRefreshSummary *summary)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (summary != NULL, NULL);

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u updated", "%u updated",
                                             summary->updated), summary->updated);
  if (summary->changed_status > 0)
    {
      g_string_append (text, _(", "));
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u changed status",
                                                 "%u changed status", summary->changed_status),
                              summary->changed_status);
    }
  if (summary->not_found > 0)
    {
      g_string_append (text, _(", "));
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u not found", "%u not found",
                                                 summary->not_found), summary->not_found);
    }
  if (summary->failed > 0)
    {
      g_string_append (text, _(", "));
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed",
                                                 summary->failed), summary->failed);
    }
  if (summary->cancelled)
    {
      g_string_append (text, _(", "));
      g_string_append (text, _("stopped"));
    }

  return g_string_free (text, FALSE);
}

/**
 * np_workspace_set_team_sync:
 * @sync: (nullable): the team mode, or %NULL for the local ledger only
 *
 * From now on every mutation asks @sync for the cross-desk lock (when team mode
 * is on) and tells it its outcome.
 */
void
np_workspace_set_team_sync (NpWorkspace *self,
                            NpTeamSync  *sync)
{
  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (sync == NULL || NP_IS_TEAM_SYNC (sync));

  if (g_set_object (&self->team_sync, sync))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEAM_SYNC]);
}

NpTeamSync *
np_workspace_get_team_sync (NpWorkspace *self)
{
  g_return_val_if_fail (NP_IS_WORKSPACE (self), NULL);
  return self->team_sync;
}

void
np_workspace_share_checkouts (NpWorkspace *self,
                              gint64       account_id,
                              GPtrArray   *checkouts)
{
  /* Offline too: the team sync keeps what it cannot share yet. */
  if (self->team_sync == NULL)
    return;
  for (guint i = 0; i < checkouts->len; i++)
    np_team_sync_publish_checkout (self->team_sync, account_id, g_ptr_array_index (checkouts, i));
}

void
np_workspace_share_customers (NpWorkspace *self,
                              gint64       account_id,
                              GPtrArray   *customers)
{
  /* Offline too: the team sync keeps what it cannot share yet. */
  if (self->team_sync == NULL)
    return;
  for (guint i = 0; i < customers->len; i++)
    np_team_sync_publish_customer (self->team_sync, account_id, g_ptr_array_index (customers, i));
}

void
np_workspace_share_settled (NpWorkspace *self,
                            gint64       account_id,
                            const char  *object_id,
                            const char  *status_seen)
{
  if (self->team_sync != NULL)
    np_team_sync_publish_settled (self->team_sync, account_id, object_id, status_seen);
}

/* A refresh row on its way into the team journal. Holds the ledger and the team
 * mode, not the workspace: it may finish after the window is gone. */
typedef struct {
  NpLedger   *ledger;
  NpTeamSync *team_sync;
  gint64      entry_id;
  char       *object_id;
} SharedRefresh;

static void
shared_refresh_free (SharedRefresh *shared)
{
  g_clear_object (&shared->ledger);
  g_clear_object (&shared->team_sync);
  g_free (shared->object_id);
  g_free (shared);
}

static void
refresh_begun_in_team (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  SharedRefresh *shared = user_data;
  g_autoptr(GError) error = NULL;
  gint64 team_id = np_team_sync_begin_operation_finish (NP_TEAM_SYNC (source), result, &error);

  if (team_id == 0)
    g_message ("Team ledger: refresh %" G_GINT64_FORMAT " not shared: %s", shared->entry_id, error->message);
  else
    {
      /* Linked before the row comes back in a pull, so it is not taken for another desk's. */
      if (!np_ledger_journal_set_team_id (shared->ledger, shared->entry_id, team_id, &error))
        g_warning ("Could not link journal entry %" G_GINT64_FORMAT " to the team ledger: %s",
                   shared->entry_id, error->message);
      /* Nothing was sent: the observation succeeded the moment it was made. */
      np_team_sync_finish_operation (shared->team_sync, team_id, NP_JOURNAL_STATE_SUCCEEDED, NULL,
                                     shared->object_id);
    }
  shared_refresh_free (shared);
}

void
np_workspace_share_refreshes (NpWorkspace *self,
                              gint64       account_id,
                              GArray      *entry_ids)
{
  if (entry_ids == NULL || entry_ids->len == 0 ||
      self->team_sync == NULL || np_team_sync_get_state (self->team_sync) != NP_TEAM_STATE_ONLINE)
    return;

  for (guint i = 0; i < entry_ids->len; i++)
    {
      gint64 entry_id = g_array_index (entry_ids, gint64, i);
      g_autoptr(NpJournalEntry) entry = np_ledger_journal_get (self->ledger, entry_id, NULL);
      g_autoptr(JsonNode) details = NULL;
      JsonObject *object = NULL;
      const char *currency = NULL;
      gint64 amount = -1;
      SharedRefresh *shared;

      if (entry == NULL || np_journal_entry_get_operation (entry) != NP_JOURNAL_OPERATION_REFRESH)
        continue;
      if (np_journal_entry_get_details (entry) != NULL)
        details = json_from_string (np_journal_entry_get_details (entry), NULL);
      if (details != NULL && JSON_NODE_HOLDS_OBJECT (details))
        {
          object = json_node_get_object (details);
          currency = json_object_get_string_member_with_default (object, "currency", NULL);
          amount = json_object_get_int_member_with_default (object, "amount", -1);
        }
      if (amount < 0)
        currency = NULL;

      shared = g_new0 (SharedRefresh, 1);
      shared->ledger = g_object_ref (self->ledger);
      shared->team_sync = g_object_ref (self->team_sync);
      shared->entry_id = entry_id;
      shared->object_id = g_strdup (np_journal_entry_get_object_id (entry));
      np_team_sync_begin_operation_async (self->team_sync, account_id, NP_JOURNAL_OPERATION_REFRESH,
                                          shared->object_id, amount, currency,
                                          np_journal_entry_get_summary (entry), object,
                                          NULL, refresh_begun_in_team, shared);
    }
}
