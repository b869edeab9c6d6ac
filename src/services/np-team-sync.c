/* np-team-sync.c — team mode: mirrors the local ledger to the team ledger. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-team-sync.h"

struct _NpTeamSync
{
  GObject       parent_instance;

  NpLedger     *ledger;
  NpAccounts   *accounts;
  NpTeamState   state;
  char         *target;
  char         *desk_name;
  char         *status_text;
};

G_DEFINE_TYPE (NpTeamSync, np_team_sync, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (NpTeamState, np_team_state,
                    G_DEFINE_ENUM_VALUE (NP_TEAM_STATE_OFF, "off"),
                    G_DEFINE_ENUM_VALUE (NP_TEAM_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (NP_TEAM_STATE_ONLINE, "online"),
                    G_DEFINE_ENUM_VALUE (NP_TEAM_STATE_OFFLINE, "offline"))

enum {
  PROP_0,
  PROP_LEDGER,
  PROP_ACCOUNTS,
  PROP_STATE,
  PROP_TARGET,
  PROP_DESK_NAME,
  PROP_STATUS_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
np_team_sync_finalize (GObject *object)
{
  NpTeamSync *self = NP_TEAM_SYNC (object);

  g_clear_object (&self->ledger);
  g_clear_object (&self->accounts);
  g_clear_pointer (&self->target, g_free);
  g_clear_pointer (&self->desk_name, g_free);
  g_clear_pointer (&self->status_text, g_free);
  G_OBJECT_CLASS (np_team_sync_parent_class)->finalize (object);
}

static void
np_team_sync_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  NpTeamSync *self = NP_TEAM_SYNC (object);

  switch (prop_id)
    {
    case PROP_LEDGER:
      g_value_set_object (value, self->ledger);
      break;
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_TARGET:
      g_value_set_string (value, self->target);
      break;
    case PROP_DESK_NAME:
      g_value_set_string (value, self->desk_name);
      break;
    case PROP_STATUS_TEXT:
      g_value_set_string (value, self->status_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_team_sync_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  NpTeamSync *self = NP_TEAM_SYNC (object);

  switch (prop_id)
    {
    case PROP_LEDGER:
      self->ledger = g_value_dup_object (value);
      break;
    case PROP_ACCOUNTS:
      self->accounts = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_team_sync_class_init (NpTeamSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = np_team_sync_finalize;
  object_class->get_property = np_team_sync_get_property;
  object_class->set_property = np_team_sync_set_property;

  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL, NP_TYPE_LEDGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL, NP_TYPE_ACCOUNTS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, NP_TYPE_TEAM_STATE, NP_TEAM_STATE_OFF,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET] =
    g_param_spec_string ("target", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESK_NAME] =
    g_param_spec_string ("desk-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_team_sync_init (NpTeamSync *self)
{
  self->state = NP_TEAM_STATE_OFF;
}

NpTeamSync *
np_team_sync_new (NpLedger   *ledger,
                  NpAccounts *accounts)
{
  return g_object_new (NP_TYPE_TEAM_SYNC, "ledger", ledger, "accounts", accounts, NULL);
}

NpTeamState
np_team_sync_get_state (NpTeamSync *self)
{
  g_return_val_if_fail (NP_IS_TEAM_SYNC (self), NP_TEAM_STATE_OFF);
  return self->state;
}

const char *
np_team_sync_get_target (NpTeamSync *self)
{
  g_return_val_if_fail (NP_IS_TEAM_SYNC (self), NULL);
  return self->target;
}

const char *
np_team_sync_get_desk_name (NpTeamSync *self)
{
  g_return_val_if_fail (NP_IS_TEAM_SYNC (self), NULL);
  return self->desk_name;
}

const char *
np_team_sync_get_status_text (NpTeamSync *self)
{
  g_return_val_if_fail (NP_IS_TEAM_SYNC (self), NULL);
  return self->status_text;
}

void
np_team_sync_test_async (NpTeamSync          *self,
                         const char          *target,
                         const char          *password,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NOT_CONNECTED,
                           "not implemented yet");
}

gboolean
np_team_sync_test_finish (NpTeamSync   *self,
                          GAsyncResult *result,
                          GError      **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
np_team_sync_join_async (NpTeamSync          *self,
                         const char          *target,
                         const char          *password,
                         const char          *desk_name,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NOT_CONNECTED,
                           "not implemented yet");
}

gboolean
np_team_sync_join_finish (NpTeamSync   *self,
                          GAsyncResult *result,
                          GError      **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
np_team_sync_leave (NpTeamSync *self)
{
}

void
np_team_sync_resume (NpTeamSync *self)
{
}

gboolean
np_team_sync_account_lacks_key (NpTeamSync *self,
                                gint64      account_id)
{
  return FALSE;
}
