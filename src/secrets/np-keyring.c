/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-keyring.c — API keys in the Secret Service, and nowhere else.
 *
 * Every call goes through libsecret's asynchronous password API with an internal
 * cancellable that a 4 second timer trips: a session bus without a Secret Service
 * can otherwise make libsecret wait for D-Bus activation (25 s). A call that finds
 * no service (or a locked keyring the user would not unlock) switches the object
 * to session-only: keys then live in a GHashTable of this process and are wiped
 * when it goes away. There is deliberately no file fallback.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-keyring.h"

#include <errno.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define NP_KEYRING_TIMEOUT_MS 4000

#define ATTRIBUTE_LEDGER_ID   "ledger-id"
#define ATTRIBUTE_ACCOUNT_ID  "account-id"
#define ATTRIBUTE_ENVIRONMENT "environment"

struct _NpKeyring
{
  GObject       parent_instance;

  GCancellable *cancellable;
  char         *ledger_id;     /* account ids are only unique within one ledger */
  /* account id (as a string) -> key, once the service is unavailable or for keys stored then. */
  GHashTable   *session_keys;
  gboolean      session_only;
};

G_DEFINE_FINAL_TYPE (NpKeyring, np_keyring, G_TYPE_OBJECT)

G_DEFINE_QUARK (np-keyring-error-quark, np_keyring_error)

typedef enum {
  OPERATION_STORE,
  OPERATION_LOOKUP,
  OPERATION_CLEAR,
} Operation;

typedef struct {
  Operation     operation;
  char         *ledger_id;
  char         *account_id;
  NpEnvironment environment;
  char         *label;
  char         *api_key;
  GCancellable *internal;     /* cancelled by the caller's cancellable, the timer or dispose */
  GCancellable *caller;
  gulong        caller_handler;
  guint         timeout_id;
  gboolean      timed_out;
} KeyringCall;

static void
keyring_call_free (KeyringCall *call)
{
  if (call->caller_handler != 0)
    g_cancellable_disconnect (call->caller, call->caller_handler);
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  g_clear_object (&call->caller);
  g_clear_object (&call->internal);
  g_free (call->ledger_id);
  g_free (call->account_id);
  g_free (call->label);
  if (call->api_key != NULL)
    secret_password_free (call->api_key);
  g_free (call);
}

const SecretSchema *
np_keyring_get_schema (void)
{
  /* account-id is a STRING attribute: gint64 ids do not fit libsecret's INTEGER (gint). */
  static const SecretSchema schema = {
    "tech.paiwise.NeuroPayConsole.ApiKey",
    SECRET_SCHEMA_NONE,
    {
      { ATTRIBUTE_LEDGER_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTRIBUTE_ACCOUNT_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTRIBUTE_ENVIRONMENT, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
wipe_key (gpointer data)
{
  secret_password_free (data);
}

static void
np_keyring_dispose (GObject *object)
{
  NpKeyring *self = (NpKeyring *)object;

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (np_keyring_parent_class)->dispose (object);
}

static void
np_keyring_finalize (GObject *object)
{
  NpKeyring *self = (NpKeyring *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->session_keys, g_hash_table_unref);
  g_clear_pointer (&self->ledger_id, g_free);

  G_OBJECT_CLASS (np_keyring_parent_class)->finalize (object);
}

static void
np_keyring_class_init (NpKeyringClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = np_keyring_dispose;
  object_class->finalize = np_keyring_finalize;
}

static void
np_keyring_init (NpKeyring *self)
{
  self->cancellable = g_cancellable_new ();
  self->session_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_key);
}

/* A process that holds API keys leaves no core file and cannot be attached to by
 * other processes of the user, as gnome-keyring and ssh-agent do: a crash must not
 * write a live payment key to disk. */
static void
keep_keys_out_of_core_dumps (void)
{
#ifdef __linux__
  static gsize done;

  if (g_once_init_enter (&done))
    {
      if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        g_warning ("Could not keep API keys out of core dumps: %s", g_strerror (errno));
      g_once_init_leave (&done, 1);
    }
#endif
}

NpKeyring *
np_keyring_new (const char *ledger_id)
{
  NpKeyring *self;

  g_return_val_if_fail (ledger_id != NULL && *ledger_id != '\0', NULL);

  keep_keys_out_of_core_dumps ();

  self = g_object_new (NP_TYPE_KEYRING, NULL);
  self->ledger_id = g_strdup (ledger_id);
  return self;
}

gboolean
np_keyring_is_session_only (NpKeyring *self)
{
  g_return_val_if_fail (NP_IS_KEYRING (self), FALSE);

  return self->session_only;
}

char *
np_keyring_mask_key (const char *api_key)
{
  GString *masked;
  glong n_chars;
  const char *tail;

  if (api_key == NULL || *api_key == '\0')
    return g_strdup ("");

  n_chars = g_utf8_strlen (api_key, -1);
  masked = g_string_new (NULL);

  /* Short keys show only dots: four visible characters of a five-character key
   * would give most of it away. */
  if (n_chars <= 8)
    {
      for (glong i = 0; i < MAX (n_chars, 8); i++)
        g_string_append (masked, "•");
      return g_string_free (masked, FALSE);
    }

  for (guint i = 0; i < 8; i++)
    g_string_append (masked, "•");
  tail = g_utf8_offset_to_pointer (api_key, n_chars - 4);
  g_string_append (masked, tail);

  return g_string_free (masked, FALSE);
}

/* Whether @error means "there is no usable Secret Service" rather than "it refused". */
static gboolean
error_means_unavailable (const GError *error)
{
  if (error == NULL)
    return TRUE;  /* a dismissed unlock prompt finishes without an error */

  return error->domain == G_DBUS_ERROR
         || error->domain == G_IO_ERROR    /* no bus, or our timer cancelled the call */
         || error->domain == G_SPAWN_ERROR
         || g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED)
         || g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT);
}

static gboolean
keyring_call_timed_out (gpointer user_data)
{
  KeyringCall *call = user_data;

  call->timeout_id = 0;
  call->timed_out = TRUE;
  g_cancellable_cancel (call->internal);

  return G_SOURCE_REMOVE;
}

static void
caller_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static GHashTable *
keyring_call_attributes (KeyringCall *call,
                         gboolean     with_environment,
                         NpEnvironment environment)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) ATTRIBUTE_LEDGER_ID, call->ledger_id);
  g_hash_table_insert (attributes, (gpointer) ATTRIBUTE_ACCOUNT_ID, call->account_id);
  if (with_environment)
    g_hash_table_insert (attributes, (gpointer) ATTRIBUTE_ENVIRONMENT,
                         (gpointer) np_environment_to_string (environment));

  return attributes;
}

/* Finishes @task from a libsecret failure (or a dismissed prompt when @error is NULL). */
static void
keyring_call_fail (GTask  *task,
                   GError *error)
{
  NpKeyring *self = g_task_get_source_object (task);
  KeyringCall *call = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (call->caller))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Cancelled"));
      return;
    }

  if (!call->timed_out && !error_means_unavailable (error))
    {
      g_task_return_new_error (task, NP_KEYRING_ERROR, NP_KEYRING_ERROR_FAILED,
                               _("The keyring refused the request: %s"), error->message);
      return;
    }

  /* From now on, this session keeps keys in memory: asking a missing service again
   * would make every lookup wait for the timer. */
  if (error != NULL)
    g_debug ("Secret Service unavailable: %s", error->message);
  self->session_only = TRUE;

  switch (call->operation)
    {
    case OPERATION_STORE:
      g_hash_table_replace (self->session_keys, g_strdup (call->account_id),
                            g_steal_pointer (&call->api_key));
      break;

    case OPERATION_LOOKUP:
      {
        const char *key = g_hash_table_lookup (self->session_keys, call->account_id);

        /* Nothing to say about the service when the key is here anyway. */
        if (key != NULL)
          {
            g_task_return_pointer (task, g_strdup (key), wipe_key);
            return;
          }
      }
      break;

    case OPERATION_CLEAR:
      g_hash_table_remove (self->session_keys, call->account_id);
      break;

    default:
      g_assert_not_reached ();
    }

  g_task_return_new_error (task, NP_KEYRING_ERROR, NP_KEYRING_ERROR_UNAVAILABLE, "%s",
                           _("No keyring is available: the API key is kept in memory "
                             "for this session only."));
}

static void
stale_environment_cleared (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The key is stored; a copy left under the old environment is only untidy. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("Could not clear a stale key: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

static void
password_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpKeyring *self = g_task_get_source_object (task);
  KeyringCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) stale = NULL;
  NpEnvironment other;

  if (!secret_password_store_finish (result, &error))
    {
      keyring_call_fail (task, error);
      return;
    }

  g_hash_table_remove (self->session_keys, call->account_id);

  /* The item is found by both attributes; an account whose environment changed
   * would otherwise keep a second item under the old one. */
  other = call->environment == NP_ENVIRONMENT_LIVE ? NP_ENVIRONMENT_TEST : NP_ENVIRONMENT_LIVE;
  stale = keyring_call_attributes (call, TRUE, other);
  secret_password_clearv (np_keyring_get_schema (), stale, call->internal,
                          stale_environment_cleared, g_steal_pointer (&task));
}

static void
password_looked_up (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpKeyring *self = g_task_get_source_object (task);
  KeyringCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *key;

  key = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      keyring_call_fail (task, error);
      return;
    }

  if (key == NULL)
    {
      /* A key stored while the service was away is still good for this session. */
      const char *session_key = g_hash_table_lookup (self->session_keys, call->account_id);

      if (session_key != NULL)
        key = g_strdup (session_key);
    }

  g_task_return_pointer (task, key, wipe_key);
}

static void
password_cleared (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpKeyring *self = g_task_get_source_object (task);
  KeyringCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to clear. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      keyring_call_fail (task, error);
      return;
    }

  g_hash_table_remove (self->session_keys, call->account_id);
  g_task_return_boolean (task, TRUE);
}

static GTask *
keyring_call_start (NpKeyring           *self,
                    Operation            operation,
                    NpAccount           *account,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag)
{
  GTask *task;
  KeyringCall *call;

  call = g_new0 (KeyringCall, 1);
  call->operation = operation;
  call->ledger_id = g_strdup (self->ledger_id);
  call->account_id = g_strdup_printf ("%" G_GINT64_FORMAT, np_account_get_id (account));
  call->environment = np_account_get_environment (account);
  call->internal = g_cancellable_new ();
  call->caller = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  call->caller_handler = g_cancellable_connect (call->caller, G_CALLBACK (caller_cancelled),
                                                g_object_ref (call->internal), g_object_unref);
  /* Dispose cancels the keyring's own cancellable; chain it too so no late callback
   * reaches a finalized keyring's caller. */
  g_signal_connect_object (self->cancellable, "cancelled",
                           G_CALLBACK (g_cancellable_cancel), call->internal, G_CONNECT_SWAPPED);
  call->timeout_id = g_timeout_add (NP_KEYRING_TIMEOUT_MS, keyring_call_timed_out, call);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) keyring_call_free);

  return task;
}

void
np_keyring_store_async (NpKeyring           *self,
                        NpAccount           *account,
                        const char          *api_key,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  KeyringCall *call;

  g_return_if_fail (NP_IS_KEYRING (self));
  g_return_if_fail (NP_IS_ACCOUNT (account));
  g_return_if_fail (np_account_get_id (account) > 0);
  g_return_if_fail (api_key != NULL);

  task = keyring_call_start (self, OPERATION_STORE, account, cancellable, callback, user_data,
                             np_keyring_store_async);
  call = g_task_get_task_data (task);
  call->api_key = g_strdup (api_key);
  /* The label is what a person sees in Seahorse. */
  call->label = g_strdup_printf (_("Neuro-Pay API key for “%s” (%s)"),
                                 np_account_get_name (account),
                                 np_environment_to_string (call->environment));

  if (self->session_only)
    {
      keyring_call_fail (task, NULL);
      return;
    }

  attributes = keyring_call_attributes (call, TRUE, call->environment);
  secret_password_storev (np_keyring_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          call->label, call->api_key, call->internal,
                          password_stored, g_steal_pointer (&task));
}

gboolean
np_keyring_store_finish (NpKeyring     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Look-up and clear find the item by account id alone: the environment is an
 * attribute for people browsing the keyring, not part of the identity. */
static void
keyring_call_by_account (NpKeyring           *self,
                         Operation            operation,
                         NpAccount           *account,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data,
                         gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  KeyringCall *call;

  task = keyring_call_start (self, operation, account, cancellable, callback, user_data, source_tag);
  call = g_task_get_task_data (task);

  if (self->session_only && operation == OPERATION_CLEAR)
    {
      /* Forgetting a session key is all there is to do: not an error. */
      g_hash_table_remove (self->session_keys, call->account_id);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->session_only)
    {
      keyring_call_fail (task, NULL);
      return;
    }

  attributes = keyring_call_attributes (call, FALSE, 0);
  if (operation == OPERATION_CLEAR)
    secret_password_clearv (np_keyring_get_schema (), attributes, call->internal,
                            password_cleared, g_steal_pointer (&task));
  else
    secret_password_lookupv (np_keyring_get_schema (), attributes, call->internal,
                             password_looked_up, g_steal_pointer (&task));
}

void
np_keyring_lookup_async (NpKeyring           *self,
                         NpAccount           *account,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (NP_IS_KEYRING (self));
  g_return_if_fail (NP_IS_ACCOUNT (account));

  keyring_call_by_account (self, OPERATION_LOOKUP, account, cancellable, callback, user_data,
                           np_keyring_lookup_async);
}

char *
np_keyring_lookup_finish (NpKeyring     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
np_keyring_clear_async (NpKeyring           *self,
                        NpAccount           *account,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (NP_IS_KEYRING (self));
  g_return_if_fail (NP_IS_ACCOUNT (account));

  keyring_call_by_account (self, OPERATION_CLEAR, account, cancellable, callback, user_data,
                           np_keyring_clear_async);
}

gboolean
np_keyring_clear_finish (NpKeyring     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
