/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-team-sync.c — team mode: mirrors the local ledger to the team ledger.
 *
 * Two connections per desk: @team runs every statement (its worker keeps them
 * in order), @listener only waits for NOTIFY np_team_change, so a wait never
 * holds a refund's lock statement back. A notification, the expiry sweep and a
 * reconnect all end in pull (): the changes after the last one applied, read in
 * batches and written to the local ledger, whose "changed" signal the lists,
 * the detail and Activity follow.
 *
 * Losing either connection makes the desk OFFLINE: reads go on from the local
 * ledger, mutations are refused (without the lock a desk must not risk a double
 * refund), and the connection is tried again after 1, 2, 4 ... 60 s. The
 * password is looked up in the keyring for each attempt and wiped after it.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "np-team-keyring.h"
#include "np-team-sync.h"

#define LISTEN_TIMEOUT_MS 30000
#define BACKOFF_MIN 1
#define BACKOFF_MAX 60

/* An outcome the team ledger has not heard yet (the connection was lost). */
typedef struct {
  gint64          team_id;
  NpJournalState  state;
  char           *error_text;
  char           *object_id;
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_free (outcome->error_text);
  g_free (outcome->object_id);
  g_free (outcome);
}

/* An object this desk refreshed while the team ledger was away: its JSON is
 * read from the local ledger when the desk is back, and replaces the team's
 * only where the team saw it earlier (nothing is lost, nothing newer undone). */
typedef struct {
  NpTeamObject  kind;
  gint64        account_id;
  char         *object_id;
  gint64        seen;        /* real time, µs */
} Unshared;

static void
unshared_free (Unshared *unshared)
{
  g_free (unshared->object_id);
  g_free (unshared);
}

/* What such a refresh saw of an UNKNOWN operation's object. */
typedef struct {
  gint64  account_id;
  char   *object_id;
  char   *status_seen;
} Settled;

static void
settled_free (Settled *settled)
{
  g_free (settled->object_id);
  g_free (settled->status_seen);
  g_free (settled);
}

struct _NpTeamSync
{
  GObject       parent_instance;

  NpLedger     *ledger;
  NpAccounts   *accounts;
  GSettings    *settings;
  NpTeamState   state;
  char         *target;
  char         *desk_name;
  char         *status_text;
  char         *offline_reason;
  guint         lease_seconds;

  NpTeamLedger *team;
  NpTeamLedger *listener;
  GCancellable *cancellable;     /* this connection's life */
  guint         retry_id;
  guint         backoff;         /* seconds before the next attempt */
  guint         expire_id;
  gboolean      pulling;
  gboolean      pull_again;
  GTask        *pull_task;       /* the pull under way (not a reference) */
  GHashTable   *lacking_keys;    /* local account ids (gint64*) shared without a key here */
  gboolean      applying;        /* writing the team's changes: the accounts' changes are not this desk's */
  GPtrArray    *unsent;          /* of Outcome */
  GHashTable   *unshared;        /* refreshes made while away: key -> Unshared, uploaded on reconnect */
  GArray       *own_changes;     /* sorted gint64: what a join's first upload wrote, left out of its catch-up */
  GPtrArray    *unsettled;       /* of Settled: the same for what they settled */
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

enum {
  SIGNAL_ACCOUNT_KEYS_CHANGED,
  SIGNAL_TEAM_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void disconnect (NpTeamSync *self);
static void accounts_changed (NpTeamSync *self, guint position, guint removed, guint added);

static void
np_team_sync_dispose (GObject *object)
{
  NpTeamSync *self = NP_TEAM_SYNC (object);

  disconnect (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  G_OBJECT_CLASS (np_team_sync_parent_class)->dispose (object);
}

static void
np_team_sync_finalize (GObject *object)
{
  NpTeamSync *self = NP_TEAM_SYNC (object);

  g_clear_object (&self->ledger);
  g_clear_object (&self->accounts);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->offline_reason, g_free);
  g_clear_pointer (&self->lacking_keys, g_hash_table_unref);
  g_clear_pointer (&self->unsent, g_ptr_array_unref);
  g_clear_pointer (&self->unshared, g_hash_table_unref);
  g_clear_pointer (&self->own_changes, g_array_unref);
  g_clear_pointer (&self->unsettled, g_ptr_array_unref);
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
      g_signal_connect_object (self->accounts, "items-changed", G_CALLBACK (accounts_changed), self,
                               G_CONNECT_SWAPPED);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_team_sync_class_init (NpTeamSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = np_team_sync_dispose;
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

  /* np_team_sync_account_lacks_key () may answer differently now. */
  signals[SIGNAL_ACCOUNT_KEYS_CHANGED] =
    g_signal_new ("account-keys-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Something changed in the team ledger (any desk's commit): what this desk
   * reads from it directly, such as the refund requests, may have changed. */
  signals[SIGNAL_TEAM_CHANGED] =
    g_signal_new ("team-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
np_team_sync_init (NpTeamSync *self)
{
  self->state = NP_TEAM_STATE_OFF;
  self->lease_seconds = NP_TEAM_LEDGER_DEFAULT_LEASE_SECONDS;
  self->backoff = BACKOFF_MIN;
  self->settings = g_settings_new (APP_ID);
  self->lacking_keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->unsent = g_ptr_array_new_with_free_func ((GDestroyNotify) outcome_free);
  self->unshared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) unshared_free);
  self->unsettled = g_ptr_array_new_with_free_func ((GDestroyNotify) settled_free);
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

/* State */

static void
set_status (NpTeamSync  *self,
            NpTeamState  state,
            char        *status_text)  /* (transfer full) */
{
  gboolean state_changed = self->state != state;

  self->state = state;
  if (g_strcmp0 (self->status_text, status_text) != 0)
    {
      g_free (self->status_text);
      self->status_text = status_text;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
    }
  else
    g_free (status_text);
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_target (NpTeamSync *self,
            const char *target,
            const char *desk_name)
{
  if (g_strcmp0 (self->target, target) != 0)
    {
      g_free (self->target);
      self->target = g_strdup (target);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
    }
  if (g_strcmp0 (self->desk_name, desk_name) != 0)
    {
      g_free (self->desk_name);
      self->desk_name = g_strdup (desk_name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESK_NAME]);
    }
}

/* Connection */

static void connect_chain (NpTeamSync *self, char *password, GTask *join_task);
static void listen_next (NpTeamSync *self);
static void pull (NpTeamSync *self);

static void
disconnect (NpTeamSync *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->expire_id, g_source_remove);
  g_clear_object (&self->team);
  g_clear_object (&self->listener);
  self->pulling = FALSE;
  self->pull_again = FALSE;
  self->pull_task = NULL;
}

static gboolean
retry_timeout (gpointer user_data)
{
  NpTeamSync *self = user_data;

  self->retry_id = 0;
  set_status (self, NP_TEAM_STATE_CONNECTING,
              g_strdup_printf (_("Team ledger offline: %s. Connecting again…"), self->offline_reason));
  connect_chain (self, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* The team ledger went away (or never answered): OFFLINE, and try again later. */
static void
go_offline (NpTeamSync   *self,
            const GError *error)
{
  guint delay = self->backoff;

  disconnect (self);
  g_free (self->offline_reason);
  self->offline_reason = g_strdup (error != NULL ? error->message : _("the server does not answer"));
  /* libpq's messages go on over lines ("\n\tThis probably means..."): the first says it. */
  if (strchr (self->offline_reason, '\n') != NULL)
    *strchr (self->offline_reason, '\n') = '\0';
  g_strchomp (self->offline_reason);
  /* The sentences end with their own full stop; the status adds one of its own. */
  if (g_str_has_suffix (self->offline_reason, "."))
    self->offline_reason[strlen (self->offline_reason) - 1] = '\0';

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add_seconds (delay, retry_timeout, self);
  self->backoff = MIN (self->backoff * 2, BACKOFF_MAX);

  set_status (self, NP_TEAM_STATE_OFFLINE,
              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Team ledger offline: %s. Trying again in %u s.",
                                            "Team ledger offline: %s. Trying again in %u s.", delay),
                               self->offline_reason, delay));
}

/* A call on the team ledger failed: a lost connection makes the desk OFFLINE;
 * anything else is only logged. Returns TRUE when it was a loss. */
static gboolean
handle_error (NpTeamSync   *self,
              const GError *error,
              const char   *what)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return TRUE;
  if (g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_CONNECTION_LOST) ||
      g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NOT_CONNECTED) ||
      g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_UNREACHABLE))
    {
      if (self->state == NP_TEAM_STATE_ONLINE || self->state == NP_TEAM_STATE_CONNECTING)
        go_offline (self, error);
      return TRUE;
    }
  g_message ("Team ledger: %s: %s", what, error->message);
  return FALSE;
}

static void
go_online (NpTeamSync *self)
{
  self->backoff = BACKOFF_MIN;
  g_clear_pointer (&self->offline_reason, g_free);
  set_status (self, NP_TEAM_STATE_ONLINE,
              g_strdup_printf (_("Team ledger online as %s."), self->desk_name));
}

/* Applying changes */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
member_time (JsonObject *object,
             const char *name)
{
  const char *text = member_string (object, name);
  g_autoptr(GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return time != NULL ? g_date_time_to_unix (time) : 0;
}

typedef struct {
  NpTeamSync *self;
  gint64      account_id;
} KeyCheck;

static void
key_looked_up (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  KeyCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = np_accounts_lookup_key_finish (NP_ACCOUNTS (source), result, &error);

  if (key != NULL ? g_hash_table_remove (check->self->lacking_keys, &check->account_id)
                  : (error == NULL && g_hash_table_add (check->self->lacking_keys,
                                                       g_memdup2 (&check->account_id, sizeof check->account_id))))
    g_signal_emit (check->self, signals[SIGNAL_ACCOUNT_KEYS_CHANGED], 0);
  g_object_unref (check->self);
  g_free (check);
}

static void
check_key (NpTeamSync *self,
           NpAccount  *account)
{
  KeyCheck *check = g_new0 (KeyCheck, 1);

  check->self = g_object_ref (self);
  check->account_id = np_account_get_id (account);
  np_accounts_lookup_key_async (self->accounts, account, NULL, key_looked_up, check);
}

static void
apply_account (NpTeamSync *self,
               const char *team_id,
               JsonObject *row)
{
  const char *name = member_string (row, "name");
  const char *base_url = member_string (row, "base_url");
  NpEnvironment environment = NP_ENVIRONMENT_TEST;
  g_autoptr(GError) error = NULL;
  NpAccount *account = NULL;
  gint64 local_id;

  if (name == NULL || base_url == NULL || !np_environment_from_string (member_string (row, "environment"), &environment))
    return;

  local_id = np_ledger_find_account_by_team_id (self->ledger, team_id);
  if (local_id != 0)
    account = np_accounts_find (self->accounts, local_id);
  if (account == NULL)
    {
      /* The same account added at two desks before they joined is one account. */
      account = np_accounts_find_by_name (self->accounts, name);
      if (account != NULL)
        {
          g_autofree char *other = np_ledger_dup_account_team_id (self->ledger, np_account_get_id (account));

          if (other != NULL && g_strcmp0 (other, team_id) != 0)
            {
              g_message ("Team ledger: a local account named “%s” belongs to another shared account", name);
              return;
            }
        }
      else
        {
          g_autoptr(NpAccount) added = np_account_new (name, base_url, environment);

          if (!np_accounts_add_shared (self->accounts, added, &error))
            {
              g_message ("Team ledger: could not add shared account “%s”: %s", name, error->message);
              return;
            }
          account = added;
          /* The team's, not this desk's: another team ledger is not given it. */
          if (!np_ledger_mark_account_received (self->ledger, np_account_get_id (account), &error))
            {
              g_message ("Team ledger: %s", error->message);
              g_clear_error (&error);
            }
          /* Just added from the team: no key here until the person adds one. */
          g_hash_table_add (self->lacking_keys, g_memdup2 (&(gint64) { np_account_get_id (account) }, sizeof (gint64)));
          g_signal_emit (self, signals[SIGNAL_ACCOUNT_KEYS_CHANGED], 0);
        }
      if (!np_ledger_set_account_team_id (self->ledger, np_account_get_id (account), team_id, &error))
        {
          g_message ("Team ledger: %s", error->message);
          return;
        }
    }
  else if (!np_accounts_apply_shared (self->accounts, account, name, base_url, environment, &error))
    g_message ("Team ledger: could not update account “%s”: %s", name, error->message);

  check_key (self, account);
}

static void
apply_journal (NpTeamSync *self,
               gint64      account_id,
               JsonObject *row)
{
  NpJournalOperation operation;
  NpJournalState state;
  g_autofree char *details = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *details_node = json_object_get_member (row, "details");
  gint64 team_id = json_object_get_int_member_with_default (row, "id", 0);
  const char *summary = member_string (row, "summary");

  if (team_id <= 0 || summary == NULL ||
      !np_journal_operation_from_string (member_string (row, "operation"), &operation) ||
      !np_journal_state_from_string (member_string (row, "state"), &state))
    return;
  if (details_node != NULL && JSON_NODE_HOLDS_OBJECT (details_node))
    details = json_to_string (details_node, FALSE);

  if (np_ledger_journal_apply_team (self->ledger, account_id, team_id, operation, state,
                                    member_string (row, "object_id"), summary, details,
                                    member_string (row, "error_text"),
                                    member_time (row, "started"), member_time (row, "finished"),
                                    member_string (row, "desk"), member_string (row, "os_user"),
                                    &error) == 0)
    g_message ("Team ledger: journal row not applied: %s", error->message);
}

static void
apply_settlement (NpTeamSync *self,
                  JsonObject *row)
{
  gint64 entry_id = np_ledger_journal_find_team (self->ledger,
                                                 json_object_get_int_member_with_default (row, "journal_id", 0));
  g_autoptr(NpJournalEntry) entry = entry_id != 0 ? np_ledger_journal_get (self->ledger, entry_id, NULL) : NULL;

  if (entry != NULL && np_journal_entry_needs_attention (entry))
    np_ledger_journal_settle (self->ledger, entry_id, member_string (row, "status_seen"), NULL);
}

/* Applies the ACCOUNT rows of @changes (there, the desk's own account list
 * changes: not this desk's edits, so not shared back). */
static void
apply_accounts (NpTeamSync *self,
                GPtrArray  *changes)
{
  self->applying = TRUE;
  for (guint i = 0; i < changes->len; i++)
    {
      NpTeamChange *change = g_ptr_array_index (changes, i);
      g_autoptr(JsonNode) node = NULL;

      if (change->kind != NP_TEAM_CHANGE_ACCOUNT)
        continue;
      node = json_from_string (change->row, NULL);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        apply_account (self, change->key, json_node_get_object (node));
    }
  self->applying = FALSE;
}

/* Pulling: batches of up to PULL_BATCH changes are read on the team ledger's
 * worker while the one before is written to the local ledger by another
 * (np_ledger_store_objects_async: parsed and upserted there, one transaction
 * and one NpLedger::changed per account and kind). The main thread only sorts
 * a batch's rows and applies its journal rows, after its objects, so a row's
 * object is known when Activity shows it. The change number applied moves on
 * once a whole batch is stored. */

/* A batch's PGresult is made on the libpq worker, in that thread's malloc
 * arena, whose top glibc's malloc_trim () never gives back: 10,000 changes
 * (about 12 MB of JSON) left 1.5-9 MiB resident there after a first sync, at
 * random. 2,000 keep the same speed (more round trips of a few ms each). */
#define PULL_BATCH 2000
#define PULL_AHEAD 2   /* batches read and not yet stored */
/* Rows per local transaction: a loaded search index takes them on the main
 * thread afterwards (a few milliseconds a thousand), and the lists reload once. */
#define STORE_CHUNK 2500

static int
compare_changes (gconstpointer a,
                 gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

typedef struct {
  NpLedgerObject  object;
  gint64          account_id;
  GPtrArray      *jsons;     /* of char* */
} StoreArgs;

static void
store_args_free (StoreArgs *args)
{
  g_ptr_array_unref (args->jsons);
  g_free (args);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoreArgs, store_args_free)

typedef struct {
  GQueue     batches;       /* of GPtrArray of NpTeamChange: read, not yet stored */
  gint64     read_since;    /* the last change read */
  gboolean   reading;
  gboolean   read_all;      /* the last read came back short */
  GPtrArray *storing;       /* the batch being stored, or NULL */
  GPtrArray *stores;        /* of StoreArgs, its objects still to store */
  guint      n_storing;     /* its stores in flight */
  guint      n_read;        /* changes read in all */
  GError    *error;         /* a failed read, given when the batch being stored is done */
  char      *team_ledger;   /* the one read from: what it sends is received from it */
} Pull;

static void
pull_free (Pull *pull)
{
  g_queue_clear_full (&pull->batches, (GDestroyNotify) g_ptr_array_unref);
  g_clear_pointer (&pull->storing, g_ptr_array_unref);
  g_clear_pointer (&pull->stores, g_ptr_array_unref);
  g_clear_error (&pull->error);
  g_free (pull->team_ledger);
  g_free (pull);
}

static void pull_step (GTask *task);

static gboolean
release_memory (gpointer data)
{
  np_ledger_release_memory (data);
  return G_SOURCE_REMOVE;
}

/* The pull @task ended, with @error (transfer full) or not. */
static void
pull_end (GTask  *task,
          GError *error)
{
  NpTeamSync *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);

  /* A first sync read every row it stored into the search index through the
   * ledger's own connection, whose page cache then held 16 MiB of the table,
   * and freed its batches in the worker threads' malloc arenas. Both handed
   * back once the last batch's text is freed too, with the store job that
   * called us, after we return: a team desk's memory after its first sync of
   * 100,000 checkouts went from 23 to 7 MiB above a local-only desk's. */
  if (pull->n_read >= PULL_BATCH)
    g_idle_add_full (G_PRIORITY_LOW, release_memory, g_object_ref (self->ledger), g_object_unref);

  /* A pull that a disconnect left behind is not the current one. */
  if (self->pull_task == task)
    {
      self->pull_task = NULL;
      self->pulling = FALSE;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
apply_later (NpTeamSync *self,
             GPtrArray  *changes)
{
  g_autoptr(GHashTable) accounts = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < changes->len; i++)
    {
      NpTeamChange *change = g_ptr_array_index (changes, i);
      g_autoptr(JsonNode) node = NULL;
      JsonObject *row;

      if (change->kind != NP_TEAM_CHANGE_JOURNAL && change->kind != NP_TEAM_CHANGE_SETTLEMENT)
        continue;
      node = json_from_string (change->row, NULL);
      row = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      if (row == NULL)
        continue;
      if (change->kind == NP_TEAM_CHANGE_JOURNAL)
        apply_journal (self, np_ledger_find_account_by_team_id (self->ledger, change->account_id), row);
      else
        apply_settlement (self, row);
    }
}

static void
batch_stored (GTask *task)
{
  NpTeamSync *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  NpTeamChange *last;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      pull_end (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled.")));
      return;
    }
  apply_later (self, pull->storing);
  last = g_ptr_array_index (pull->storing, pull->storing->len - 1);
  if (!np_ledger_set_team_change (self->ledger, last->change, &error))
    g_message ("Team ledger: %s", error->message);
  g_clear_pointer (&pull->storing, g_ptr_array_unref);
  pull_step (task);
}

static void
objects_stored (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!np_ledger_store_objects_finish (NP_LEDGER (source), result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Team ledger: objects not stored: %s", error->message);
  if (--pull->n_storing == 0)
    batch_stored (task);
}

/* Stores the current batch's objects, all chunks queued at once (the ledger
 * writes them one at a time, in any order: within a batch each object comes
 * once), then its journal rows, then notes its last change as applied. */
static void
store_all (GTask *task)
{
  NpTeamSync *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);

  pull->n_storing = 1;   /* a guard until all are queued */
  for (guint i = 0; i < pull->stores->len; i++)
    {
      StoreArgs *args = g_ptr_array_index (pull->stores, i);

      pull->n_storing++;
      np_ledger_store_objects_async (self->ledger, args->object, args->account_id, args->jsons,
                                     pull->team_ledger, g_task_get_cancellable (task), objects_stored, task);
    }
  g_ptr_array_set_size (pull->stores, 0);
  if (--pull->n_storing == 0)
    batch_stored (task);
}

/* Sorts a batch's objects by account and kind (the account ids looked up once
 * per batch), with their JSON text as it came. */
static void
store_batch (GTask     *task,
             GPtrArray *changes)  /* (transfer full) */
{
  NpTeamSync *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GHashTable) local_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  apply_accounts (self, changes);
  pull->storing = changes;
  pull->stores = g_ptr_array_new_with_free_func ((GDestroyNotify) store_args_free);
  for (guint i = 0; i < changes->len; i++)
    {
      NpTeamChange *change = g_ptr_array_index (changes, i);
      gboolean checkout = change->kind == NP_TEAM_CHANGE_CHECKOUT;
      g_autofree char *group_key = NULL;
      gpointer local_id;
      StoreArgs *args;

      /* No team ledger recorded (left meanwhile): nothing to say where a row came from. */
      if ((!checkout && change->kind != NP_TEAM_CHANGE_CUSTOMER) || change->json == NULL ||
          pull->team_ledger == NULL)
        continue;
      /* This desk's own first upload, unchanged since: the local row is the same. */
      if (self->own_changes != NULL &&
          bsearch (&change->change, self->own_changes->data, self->own_changes->len, sizeof (gint64),
                   (int (*) (const void *, const void *)) compare_changes) != NULL)
        continue;
      if (!g_hash_table_lookup_extended (local_ids, change->account_id, NULL, &local_id))
        {
          local_id = GSIZE_TO_POINTER ((gsize) np_ledger_find_account_by_team_id (self->ledger, change->account_id));
          g_hash_table_insert (local_ids, change->account_id, local_id);
        }
      if (local_id == NULL)
        continue;
      group_key = g_strdup_printf ("%c%s", checkout ? 'c' : 'u', change->account_id);
      args = g_hash_table_lookup (groups, group_key);
      if (args == NULL)
        {
          args = g_new0 (StoreArgs, 1);
          args->object = checkout ? NP_LEDGER_OBJECT_CHECKOUT : NP_LEDGER_OBJECT_CUSTOMER;
          args->account_id = (gint64) GPOINTER_TO_SIZE (local_id);
          args->jsons = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (pull->stores, args);
          g_hash_table_insert (groups, g_strdup (group_key), args);
        }
      g_ptr_array_add (args->jsons, g_steal_pointer (&change->json));
      if (args->jsons->len == STORE_CHUNK)
        g_hash_table_remove (groups, group_key);
    }
  store_all (task);
}

static void
pulled (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  NpTeamSync *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GPtrArray) changes = NULL;
  GError *error = NULL;

  pull->reading = FALSE;
  changes = np_team_ledger_read_changes_finish (NP_TEAM_LEDGER (source), result, &error);
  if (changes == NULL)
    {
      /* Only the current connection's failure says the team ledger is away. */
      if (NP_TEAM_LEDGER (source) == self->team)
        handle_error (self, error, "reading changes");
      if (pull->storing == NULL)
        pull_end (task, error);
      else
        {
          /* The batch being stored ends the pull when it is done. */
          pull->read_all = TRUE;
          g_queue_clear_full (&pull->batches, (GDestroyNotify) g_ptr_array_unref);
          pull->error = error;
        }
      return;
    }

  g_debug ("Team ledger: %u changes read", changes->len);
  pull->n_read += changes->len;
  if (changes->len < PULL_BATCH)
    pull->read_all = TRUE;
  if (changes->len > 0)
    {
      pull->read_since = ((NpTeamChange *) g_ptr_array_index (changes, changes->len - 1))->change;
      g_queue_push_tail (&pull->batches, g_steal_pointer (&changes));
    }
  pull_step (task);
}

static void
pull_step (GTask *task)
{
  NpTeamSync *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);

  if (pull->read_all && self->pull_again && self->pull_task == task)
    {
      self->pull_again = FALSE;
      pull->read_all = FALSE;
    }
  if (!pull->reading && !pull->read_all && self->team != NULL &&
      g_queue_get_length (&pull->batches) < PULL_AHEAD)
    {
      pull->reading = TRUE;
      np_team_ledger_read_changes_async (self->team, pull->read_since, PULL_BATCH,
                                         g_task_get_cancellable (task), pulled, task);
    }
  if (pull->storing == NULL && !g_queue_is_empty (&pull->batches))
    {
      store_batch (task, g_queue_pop_head (&pull->batches));
      return;
    }
  if (!pull->reading && pull->storing == NULL && g_queue_is_empty (&pull->batches))
    pull_end (task, pull->error != NULL ? g_steal_pointer (&pull->error)
                    : pull->read_all ? NULL
                    : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled.")));
}

static void
pull_full (NpTeamSync          *self,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);
  Pull *pull;

  if (self->pulling)
    {
      self->pull_again = TRUE;
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_task_set_check_cancellable (task, FALSE);
  pull = g_new0 (Pull, 1);
  g_queue_init (&pull->batches);
  pull->read_since = np_ledger_get_team_change (self->ledger);
  pull->team_ledger = np_ledger_dup_team_ledger (self->ledger);
  g_task_set_task_data (task, pull, (GDestroyNotify) pull_free);
  self->pulling = TRUE;
  self->pull_again = FALSE;
  self->pull_task = task;
  pull_step (task);
}

static void
pull (NpTeamSync *self)
{
  if (self->team != NULL)
    pull_full (self, NULL, NULL);
}

static void
change_announced (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  NpTeamSync *self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 highest = np_team_ledger_wait_change_finish (NP_TEAM_LEDGER (source), result, &error);

  /* A connection left (or lost) since: its NOTIFY answered before the cancel.
   * Acting on it would pull on, and listen on, the next join's connections
   * before they are ready, and that join's NOT_CONNECTED would then take it
   * OFFLINE (ui-team's offline-header after two-desks). */
  if (NP_TEAM_LEDGER (source) != self->listener)
    {
      g_object_unref (self);
      return;
    }
  if (highest < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        handle_error (self, error, "waiting for changes");
      g_object_unref (self);
      return;
    }
  g_debug ("Team ledger: change %" G_GINT64_FORMAT " announced, %" G_GINT64_FORMAT " applied",
           highest, np_ledger_get_team_change (self->ledger));
  if (highest > np_ledger_get_team_change (self->ledger))
    pull (self);
  if (highest > 0)
    g_signal_emit (self, signals[SIGNAL_TEAM_CHANGED], 0);
  listen_next (self);
  g_object_unref (self);
}

static void
listen_next (NpTeamSync *self)
{
  if (self->listener != NULL)
    np_team_ledger_wait_change_async (self->listener, LISTEN_TIMEOUT_MS, self->cancellable,
                                      change_announced, g_object_ref (self));
}

/* Expired leases */

static void
expired (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(NpTeamSync) self = user_data;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  if (!np_team_ledger_expire_leases_finish (NP_TEAM_LEDGER (source), result, &count, &error))
    handle_error (self, error, "expiring leases");
  /* The rows that became unknown arrive as changes (NOTIFY). */
}

static gboolean
expire_timeout (gpointer user_data)
{
  NpTeamSync *self = user_data;

  if (self->team != NULL && self->state == NP_TEAM_STATE_ONLINE)
    np_team_ledger_expire_leases_async (self->team, self->cancellable, expired, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

/* Outcomes the team ledger did not hear (lost connection) are sent on reconnect. */
typedef struct {
  NpTeamSync *self;
  Outcome    *outcome;
} OutcomeCall;

static void send_outcome (NpTeamSync *self, Outcome *outcome);

static void
outcome_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OutcomeCall *call = user_data;
  g_autoptr(GError) error = NULL;

  if (!np_team_ledger_finish_operation_finish (NP_TEAM_LEDGER (source), result, &error) &&
      !g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NOT_PENDING) &&
      handle_error (call->self, error, "recording an outcome"))
    {
      /* Lost on the way: sent again when the desk is back. */
      g_ptr_array_add (call->self->unsent, g_steal_pointer (&call->outcome));
    }
  g_clear_pointer (&call->outcome, outcome_free);
  g_object_unref (call->self);
  g_free (call);
}

static void
send_outcome (NpTeamSync *self,
              Outcome    *outcome)  /* (transfer full) */
{
  OutcomeCall *call;

  if (self->state != NP_TEAM_STATE_ONLINE || self->team == NULL)
    {
      g_ptr_array_add (self->unsent, outcome);
      return;
    }
  call = g_new0 (OutcomeCall, 1);
  call->self = g_object_ref (self);
  call->outcome = outcome;
  /* Not the connection's cancellable: an outcome is recorded even while the
   * desk is going away, as long as the connection lives. */
  np_team_ledger_finish_operation_async (self->team, outcome->team_id, outcome->state, outcome->error_text,
                                         outcome->object_id, NULL, outcome_sent, call);
}

static void publish_settled_entry (NpTeamSync *self, Settled *settled);

/* What refreshes settled while the desk was away, shared now it is back. */
static void
send_unsettled (NpTeamSync *self)
{
  g_autoptr(GPtrArray) unsettled = g_steal_pointer (&self->unsettled);

  self->unsettled = g_ptr_array_new_with_free_func ((GDestroyNotify) settled_free);
  for (guint i = 0; i < unsettled->len; i++)
    publish_settled_entry (self, g_ptr_array_index (unsettled, i));
}

static void
send_unsent (NpTeamSync *self)
{
  g_autoptr(GPtrArray) unsent = g_steal_pointer (&self->unsent);

  self->unsent = g_ptr_array_new_with_free_func ((GDestroyNotify) outcome_free);
  while (unsent->len > 0)
    send_outcome (self, g_ptr_array_steal_index (unsent, 0));
}

/* Connecting: password (keyring) → team → listener (LISTEN) → schema → accounts →
 * (join: this desk's accounts and objects up) → catch-up → ONLINE. */

typedef struct {
  char       *password;
  gboolean    joining;
  guint       outstanding;   /* uploads in flight */
  GError     *upload_error;
  GCancellable *cancellable; /* the sync's at the start: another once a leave or newer join replaced it */
  GHashTable *unshared;      /* the refreshes made while away, on their way up */
  GArray     *own_changes;   /* gint64: the change numbers the first upload wrote */
} Connect;

static void
connect_free (Connect *connect)
{
  if (connect->password != NULL)
    {
      explicit_bzero (connect->password, strlen (connect->password));
      g_free (connect->password);
    }
  g_clear_error (&connect->upload_error);
  g_clear_object (&connect->cancellable);
  g_clear_pointer (&connect->unshared, g_hash_table_unref);
  g_clear_pointer (&connect->own_changes, g_array_unref);
  g_free (connect);
}

static void
wipe_password (Connect *connect)
{
  if (connect->password != NULL)
    {
      explicit_bzero (connect->password, strlen (connect->password));
      g_clear_pointer (&connect->password, g_free);
    }
}

static void
chain_failed (GTask  *task,
              GError *error)  /* (transfer full) */
{
  NpTeamSync *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);

  /* Not uploaded: tried again at the next connection (a newer refresh of the
   * same object, made meanwhile, stays). */
  if (connect->unshared != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, connect->unshared);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_hash_table_contains (self->unshared, key))
          {
            g_hash_table_insert (self->unshared, key, value);
            g_hash_table_iter_steal (&iter);
          }
    }

  /* A chain that a leave or a newer join cancelled leaves the state to them:
   * clearing the target here cleared the newer join's, and its keyring item
   * was then stored under no target. */
  if (connect->cancellable != self->cancellable)
    ;
  else if (connect->joining)
    {
      disconnect (self);
      set_target (self, NULL, self->desk_name);
      set_status (self, NP_TEAM_STATE_OFF, NULL);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    go_offline (self, error);
  g_task_return_error (task, error);
}

static void
chain_online (GTask *task)
{
  NpTeamSync *self = g_task_get_source_object (task);
  guint period = MAX (1, self->lease_seconds / 3);

  go_online (self);
  listen_next (self);
  g_clear_handle_id (&self->expire_id, g_source_remove);
  self->expire_id = g_timeout_add_seconds (period, expire_timeout, self);
  send_unsent (self);
  send_unsettled (self);
  g_task_return_boolean (task, TRUE);
}

static void
caught_up (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpTeamSync *self = g_task_get_source_object (task);
  GError *error = NULL;

  g_clear_pointer (&self->own_changes, g_array_unref);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    chain_failed (task, error);
  else
    chain_online (task);
}

static void
uploads_done (GTask *task)
{
  NpTeamSync *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);

  if (connect->upload_error != NULL)
    {
      chain_failed (task, g_steal_pointer (&connect->upload_error));
      g_object_unref (task);
      return;
    }
  /* The team's copy of what this desk just uploaded is what the desk has. */
  if (connect->own_changes != NULL && connect->cancellable == self->cancellable)
    {
      g_array_sort (connect->own_changes, compare_changes);
      g_clear_pointer (&self->own_changes, g_array_unref);
      self->own_changes = g_steal_pointer (&connect->own_changes);
    }
  pull_full (self, caught_up, task);
}

static void
uploaded (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  Connect *connect = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (g_async_result_is_tagged (result, np_team_ledger_upsert_account_async))
    done = np_team_ledger_upsert_account_finish (NP_TEAM_LEDGER (source), result, &error);
  else
    done = np_team_ledger_upsert_objects_finish (NP_TEAM_LEDGER (source), result, &error);
  if (!done)
    {
      g_message ("Team ledger: upload: %s", error->message);
      if (connect->upload_error == NULL)
        connect->upload_error = g_steal_pointer (&error);
    }
  if (--connect->outstanding == 0)
    uploads_done (task);
}

/* The JSON of an object as the local ledger has it now, NULL when it has none. */
static char *
dup_local_json (NpTeamSync   *self,
                NpTeamObject  kind,
                gint64        account_id,
                const char   *object_id)
{
  if (kind == NP_TEAM_OBJECT_CHECKOUT)
    {
      g_autoptr(NpCheckout) checkout = np_ledger_get_checkout (self->ledger, account_id, object_id, NULL);
      return checkout != NULL ? np_checkout_to_json (checkout, FALSE) : NULL;
    }
  else
    {
      g_autoptr(NpCustomer) customer = np_ledger_get_customer (self->ledger, account_id, object_id, NULL);
      return customer != NULL ? np_customer_to_json (customer, FALSE) : NULL;
    }
}

/* A first upload reads the desk's own rows in batches on a worker (a
 * connection of its own), never on this thread, and sends each batch as one
 * bulk upsert on the team ledger's worker while the next is read: at most two
 * batches in memory, checkouts then customers of one account. */
#define UPLOAD_BATCH 10000

typedef struct {
  NpTeamSync     *self;
  GTask          *task;        /* the join's: alive while this counts in its outstanding */
  NpLedgerObject  object;
  gint64          account_id;
  char           *team_id;
  gint64          after_row_id;
  guint           in_flight;   /* batches being upserted */
  gboolean        reading;
  gboolean        read_all;
  guint           n_uploaded;
} UploadReader;

static void upload_read_next (UploadReader *reader);

static void
upload_reader_step (UploadReader *reader)
{
  Connect *connect = g_task_get_task_data (reader->task);
  GTask *task = reader->task;

  if (reader->reading)
    return;
  if (connect->upload_error != NULL)
    reader->read_all = TRUE;
  if (!reader->read_all)
    {
      if (reader->in_flight < 2)
        upload_read_next (reader);
      return;
    }
  if (reader->in_flight > 0)
    return;
  /* Checkouts done: the customers of the same account. */
  if (reader->object == NP_LEDGER_OBJECT_CHECKOUT && connect->upload_error == NULL)
    {
      reader->object = NP_LEDGER_OBJECT_CUSTOMER;
      reader->after_row_id = 0;
      reader->read_all = FALSE;
      upload_read_next (reader);
      return;
    }
  g_debug ("Team ledger: first upload of an account: %u objects", reader->n_uploaded);
  g_free (reader->team_id);
  g_free (reader);
  if (--connect->outstanding == 0)
    uploads_done (task);
}

static void
upload_batch_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  UploadReader *reader = user_data;
  Connect *connect = g_task_get_task_data (reader->task);
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GError) error = NULL;

  if (np_team_ledger_upsert_objects_finish_changes (NP_TEAM_LEDGER (source), result, &changes, &error))
    {
      if (connect->own_changes == NULL)
        connect->own_changes = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_vals (connect->own_changes, changes->data, changes->len);
    }
  else
    {
      g_message ("Team ledger: upload: %s", error->message);
      if (connect->upload_error == NULL)
        connect->upload_error = g_steal_pointer (&error);
    }
  reader->in_flight--;
  upload_reader_step (reader);
}

static void
upload_batch_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  UploadReader *reader = user_data;
  NpTeamSync *self = reader->self;
  Connect *connect = g_task_get_task_data (reader->task);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) jsons = NULL;
  g_autoptr(GError) error = NULL;

  reader->reading = FALSE;
  if (!np_ledger_read_objects_finish (NP_LEDGER (source), result, &ids, &jsons, &reader->after_row_id, &error))
    {
      if (connect->upload_error == NULL)
        connect->upload_error = g_steal_pointer (&error);
      reader->read_all = TRUE;
    }
  else if (self->team == NULL || g_cancellable_is_cancelled (connect->cancellable))
    {
      /* Left, or replaced by a newer join, while the batch was read. */
      if (connect->upload_error == NULL)
        connect->upload_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled."));
      reader->read_all = TRUE;
    }
  else
    {
      if (ids->len < UPLOAD_BATCH)
        reader->read_all = TRUE;
      if (ids->len > 0 && connect->upload_error == NULL)
        {
          reader->in_flight++;
          reader->n_uploaded += ids->len;
          g_debug ("Team ledger: first upload: %u objects read", reader->n_uploaded);
          np_team_ledger_upsert_objects_async (self->team, reader->object == NP_LEDGER_OBJECT_CHECKOUT
                                                           ? NP_TEAM_OBJECT_CHECKOUT : NP_TEAM_OBJECT_CUSTOMER,
                                               reader->team_id, ids, jsons, connect->cancellable,
                                               upload_batch_done, reader);
        }
    }
  upload_reader_step (reader);
}

static void
upload_read_next (UploadReader *reader)
{
  Connect *connect = g_task_get_task_data (reader->task);

  reader->reading = TRUE;
  np_ledger_read_objects_async (reader->self->ledger, reader->object, reader->account_id, reader->after_row_id,
                                UPLOAD_BATCH, connect->cancellable, upload_batch_read, reader);
}

/* Adds the objects of @account_id to a first upload: ids from the local
 * ledger's rows (not from the stored JSON, which the API may name otherwise). */
static void
upload_objects (NpTeamSync *self,
                GTask      *task,
                gint64      account_id,
                const char *team_id)
{
  Connect *connect = g_task_get_task_data (task);
  UploadReader *reader = g_new0 (UploadReader, 1);

  reader->self = self;
  reader->task = task;
  reader->object = NP_LEDGER_OBJECT_CHECKOUT;
  reader->account_id = account_id;
  reader->team_id = g_strdup (team_id);
  connect->outstanding++;
  upload_read_next (reader);
}

/* One upload of refreshes made while away: one account, one kind. */
typedef struct {
  NpTeamObject  kind;
  gint64        account_id;
  GPtrArray    *ids;
  GPtrArray    *jsons;
  GArray       *seen;
} UnsharedGroup;

static void
unshared_group_free (UnsharedGroup *group)
{
  g_ptr_array_unref (group->ids);
  g_ptr_array_unref (group->jsons);
  g_array_unref (group->seen);
  g_free (group);
}


/* The refreshes made while away, from the local ledger as they are now, one
 * upload per account and kind. */
static void
upload_unshared (NpTeamSync *self,
                 GTask      *task)
{
  Connect *connect = g_task_get_task_data (task);
  g_autoptr(GHashTable) groups = NULL;
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (self->unshared) == 0)
    return;
  connect->unshared = g_steal_pointer (&self->unshared);
  self->unshared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) unshared_free);
  groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) unshared_group_free);

  g_hash_table_iter_init (&iter, connect->unshared);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Unshared *unshared = value;
      g_autofree char *group_key = g_strdup_printf ("%d %" G_GINT64_FORMAT, unshared->kind, unshared->account_id);
      UnsharedGroup *group = g_hash_table_lookup (groups, group_key);
      char *json = dup_local_json (self, unshared->kind, unshared->account_id, unshared->object_id);

      if (json == NULL)
        continue;
      if (group == NULL)
        {
          group = g_new0 (UnsharedGroup, 1);
          group->kind = unshared->kind;
          group->account_id = unshared->account_id;
          group->ids = g_ptr_array_new_with_free_func (g_free);
          group->jsons = g_ptr_array_new_with_free_func (g_free);
          group->seen = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (groups, g_steal_pointer (&group_key), group);
        }
      g_ptr_array_add (group->ids, g_strdup (unshared->object_id));
      g_ptr_array_add (group->jsons, json);
      g_array_append_val (group->seen, unshared->seen);
    }

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      UnsharedGroup *group = value;
      g_autofree char *team_id = np_ledger_dup_account_team_id (self->ledger, group->account_id);

      if (team_id == NULL)
        continue;
      connect->outstanding++;
      np_team_ledger_upsert_seen_objects_async (self->team, group->kind, team_id, group->ids, group->jsons,
                                                group->seen, self->cancellable, uploaded, task);
    }
}

/* Shares @account (giving it a UUID when it has none); returns its team id. */
static char *
share_account (NpTeamSync *self,
               NpAccount  *account,
               GCancellable *cancellable,
               GAsyncReadyCallback callback,
               gpointer    user_data)
{
  gint64 id = np_account_get_id (account);
  g_autofree char *team_id = np_ledger_dup_account_team_id (self->ledger, id);

  if (team_id == NULL)
    {
      g_autoptr(GError) error = NULL;

      team_id = g_uuid_string_random ();
      if (!np_ledger_set_account_team_id (self->ledger, id, team_id, &error))
        g_message ("Team ledger: %s", error->message);
    }
  np_team_ledger_upsert_account_async (self->team, team_id, np_account_get_name (account),
                                       np_account_get_base_url (account),
                                       np_environment_to_string (np_account_get_environment (account)),
                                       cancellable, callback, user_data);
  return g_steal_pointer (&team_id);
}

static void
account_shared (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NpTeamSync) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!np_team_ledger_upsert_account_finish (NP_TEAM_LEDGER (source), result, &error))
    handle_error (self, error, "sharing an account");
}

/* An account another team ledger sent (not the current one): this desk's to
 * share only once it has a key of its own for it, looked up first. Its rows
 * received from there are not shared either way (np_ledger_read_objects_async). */
static gboolean
received_elsewhere (NpTeamSync *self,
                    NpAccount  *account)
{
  g_autofree char *received_from = np_ledger_dup_account_received_from (self->ledger, np_account_get_id (account));
  g_autofree char *current = NULL;

  if (received_from == NULL)
    return FALSE;
  current = np_ledger_dup_team_ledger (self->ledger);
  return g_strcmp0 (received_from, current) != 0;
}

typedef struct {
  NpTeamSync *self;
  GTask      *task;      /* a connection's (counted in its outstanding), or NULL: an edit while ONLINE */
  NpAccount  *account;
} KeyedShare;

static void share_account_objects (NpTeamSync *self, GTask *task, NpAccount *account);

static void
keyed_share_looked_up (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  KeyedShare *share = user_data;
  NpTeamSync *self = share->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = np_accounts_lookup_key_finish (NP_ACCOUNTS (source), result, &error);
  gboolean keyed = key != NULL;

  if (key != NULL)
    explicit_bzero (key, strlen (key));
  if (share->task != NULL)
    {
      Connect *connect = g_task_get_task_data (share->task);

      if (keyed && connect->upload_error == NULL && !g_cancellable_is_cancelled (connect->cancellable) &&
          self->team != NULL)
        share_account_objects (self, share->task, share->account);
      else if (!keyed)
        g_debug ("Team ledger: account “%s” received from another team ledger, no key here: not shared",
                 np_account_get_name (share->account));
      if (--connect->outstanding == 0)
        uploads_done (share->task);
      g_object_unref (share->task);
    }
  else if (keyed && self->state == NP_TEAM_STATE_ONLINE && self->team != NULL)
    g_free (share_account (self, share->account, self->cancellable, account_shared, g_object_ref (self)));
  g_object_unref (share->account);
  g_object_unref (share->self);
  g_free (share);
}

/* Looks up @account's key, then shares it (with @task: as a connection's
 * upload does, its objects too on a join) only if there is one. */
static void
share_if_keyed (NpTeamSync *self,
                GTask      *task,
                NpAccount  *account)
{
  KeyedShare *share = g_new0 (KeyedShare, 1);

  share->self = g_object_ref (self);
  share->task = task != NULL ? g_object_ref (task) : NULL;
  share->account = g_object_ref (account);
  if (task != NULL)
    ((Connect *) g_task_get_task_data (task))->outstanding++;
  np_accounts_lookup_key_async (self->accounts, account, NULL, keyed_share_looked_up, share);
}

/* This desk added or edited an account (a key too): shared at once when
 * ONLINE (otherwise at the next connection), and its key looked at again. */
static void
accounts_changed (NpTeamSync *self,
                  guint       position,
                  guint       removed,
                  guint       added)
{
  /* An account the team's changes just added has no key here: say so before
   * anyone else hears of the account (this handler runs first), not only once
   * the keyring has been asked. */
  if (self->applying && removed == 0)
    for (guint i = position; i < position + added; i++)
      {
        g_autoptr(NpAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

        g_hash_table_add (self->lacking_keys, g_memdup2 (&(gint64) { np_account_get_id (account) }, sizeof (gint64)));
      }
  if (self->applying || self->state != NP_TEAM_STATE_ONLINE || self->team == NULL)
    return;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(NpAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (received_elsewhere (self, account))
        share_if_keyed (self, NULL, account);
      else
        g_free (share_account (self, account, self->cancellable, account_shared, g_object_ref (self)));
      check_key (self, account);
    }
}

/* A connection's upload of @account, and on a join of its objects. */
static void
share_account_objects (NpTeamSync *self,
                       GTask      *task,
                       NpAccount  *account)
{
  Connect *connect = g_task_get_task_data (task);
  g_autofree char *team_id = NULL;

  connect->outstanding++;
  team_id = share_account (self, account, self->cancellable, uploaded, task);
  if (connect->joining)
    upload_objects (self, task, np_account_get_id (account), team_id);
}

static void
upload (GTask *task)
{
  NpTeamSync *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  /* A guard, so the count cannot reach 0 before everything is queued. */
  connect->outstanding = 1;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NpAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      g_autofree char *known = np_ledger_dup_account_team_id (self->ledger, np_account_get_id (account));

      /* Accounts are shared on joining; on a reconnect, only those added since. */
      if (known != NULL && !connect->joining)
        continue;
      if (received_elsewhere (self, account))
        share_if_keyed (self, task, account);
      else
        share_account_objects (self, task, account);
    }
  /* Before catching up: what the team has is newer only where it says so. */
  if (!connect->joining)
    upload_unshared (self, task);
  else
    /* A join uploads everything the desk has. */
    g_hash_table_remove_all (self->unshared);
  if (--connect->outstanding == 0)
    uploads_done (task);
}

static void
accounts_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  NpTeamSync *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) accounts = NULL;
  GError *error = NULL;

  accounts = np_team_ledger_list_accounts_finish (NP_TEAM_LEDGER (source), result, &error);
  if (accounts == NULL)
    {
      chain_failed (task, error);
      g_object_unref (task);
      return;
    }
  apply_accounts (self, accounts);
  upload (task);
}

/* Only with the password in the keyring (or none to keep) is the desk a member. */
static void
become_member (GTask *task)
{
  NpTeamSync *self = g_task_get_source_object (task);

  g_settings_set_string (self->settings, "team-ledger-target", self->target);
  g_settings_set_string (self->settings, "team-desk-name", self->desk_name);
  np_team_ledger_list_accounts_async (self->team, self->cancellable, accounts_listed, task);
}

static void
password_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!np_team_keyring_store_finish (result, &error))
    {
      chain_failed (task, error);
      g_object_unref (task);
      return;
    }
  become_member (task);
}

/* Every link the desk reads and writes from now on is this team ledger's. A
 * resumed membership adopts the links made before they were kept per team
 * ledger; a join never does (they may be a team ledger's the desk left). Another
 * team ledger behind the same target (the database made again) starts afresh:
 * outcomes kept for the old one name its rows, not this one's. */
static gboolean
use_team_ledger (NpTeamSync  *self,
                 Connect     *connect,
                 GError     **error)
{
  gboolean switched = FALSE;

  if (!np_ledger_set_team_ledger (self->ledger, np_team_ledger_get_ledger_id (self->team), !connect->joining,
                                  &switched, error))
    return FALSE;
  if (switched)
    {
      g_ptr_array_set_size (self->unsent, 0);
      g_ptr_array_set_size (self->unsettled, 0);
    }
  return TRUE;
}

static void
schema_ensured (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  NpTeamSync *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);
  GError *error = NULL;

  if (np_team_ledger_ensure_schema_finish (NP_TEAM_LEDGER (source), result, &error) == 0 ||
      !use_team_ledger (self, connect, &error))
    {
      chain_failed (task, error);
      g_object_unref (task);
      return;
    }
  /* Joined without a password (--team: libpq's PGPASSFILE or peer
   * authentication gave it): nothing to keep in the keyring. */
  if (connect->joining && connect->password == NULL)
    {
      become_member (task);
      return;
    }
  if (connect->joining)
    {
      np_team_keyring_store_async (np_ledger_get_id (self->ledger), self->target, connect->password,
                                   self->cancellable, password_stored, task);
      wipe_password (connect);
      return;
    }
  np_team_ledger_list_accounts_async (self->team, self->cancellable, accounts_listed, task);
}

static void
listening (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  NpTeamSync *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!np_team_ledger_listen_finish (NP_TEAM_LEDGER (source), result, &error))
    {
      chain_failed (task, error);
      g_object_unref (task);
      return;
    }
  np_team_ledger_ensure_schema_async (self->team, TRUE, self->cancellable, schema_ensured, task);
}

static void
listener_connected (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  NpTeamSync *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);
  GError *error = NULL;

  if (!np_team_ledger_connect_finish (NP_TEAM_LEDGER (source), result, &error))
    {
      chain_failed (task, error);
      g_object_unref (task);
      return;
    }
  if (!connect->joining)
    wipe_password (connect);
  /* LISTENing before the catch-up read: a change committed after that read
   * is announced to this desk. LISTENed once ONLINE (the first wait), a commit
   * in between reached it only with some later change. */
  np_team_ledger_listen_async (self->listener, self->cancellable, listening, task);
}

static void
team_connected (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  NpTeamSync *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);
  GError *error = NULL;

  if (!np_team_ledger_connect_finish (NP_TEAM_LEDGER (source), result, &error))
    {
      chain_failed (task, error);
      g_object_unref (task);
      return;
    }
  np_team_ledger_connect_async (self->listener, self->target, connect->password, self->cancellable,
                                listener_connected, task);
}

static void
start_connecting (GTask *task)
{
  NpTeamSync *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);

  self->team = np_team_ledger_new (self->desk_name);
  np_team_ledger_set_lease_seconds (self->team, self->lease_seconds);
  self->listener = np_team_ledger_new (self->desk_name);
  np_team_ledger_connect_async (self->team, self->target, connect->password, self->cancellable,
                                team_connected, task);
}

static void
password_found (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Connect *connect = g_task_get_task_data (task);
  GError *error = NULL;

  connect->password = np_team_keyring_lookup_finish (result, &error);
  if (error != NULL)
    {
      chain_failed (task, error);
      g_object_unref (task);
      return;
    }
  start_connecting (task);
}

/* Takes @password (may be NULL: looked up in the keyring). */
static void
connect_chain_full (NpTeamSync         *self,
                    char               *password,
                    gboolean            joining,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Connect *connect = g_new0 (Connect, 1);

  connect->password = password;
  connect->joining = joining;
  g_task_set_task_data (task, connect, (GDestroyNotify) connect_free);
  g_task_set_check_cancellable (task, FALSE);

  disconnect (self);
  self->cancellable = g_cancellable_new ();
  connect->cancellable = g_object_ref (self->cancellable);

  if (password == NULL)
    np_team_keyring_lookup_async (np_ledger_get_id (self->ledger), self->target, self->cancellable,
                                  password_found, task);
  else
    start_connecting (task);
}

static void
reconnected (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Failures already made the desk OFFLINE with a retry. */
  g_task_propagate_boolean (G_TASK (result), &error);
}

static void
connect_chain (NpTeamSync *self,
               char       *password,
               GTask      *join_task)
{
  g_assert (join_task == NULL);
  connect_chain_full (self, password, FALSE, NULL, reconnected, NULL);
}

/* Public API */

static void
tested_disconnect (NpTeamLedger *team)
{
  g_object_unref (team);
}

static void
test_schema_checked (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (np_team_ledger_ensure_schema_finish (NP_TEAM_LEDGER (source), result, &error) == 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
test_connected (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!np_team_ledger_connect_finish (NP_TEAM_LEDGER (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Without creating anything: a missing schema is NO_SCHEMA, missing rights PERMISSION. */
  np_team_ledger_ensure_schema_async (NP_TEAM_LEDGER (source), FALSE, g_task_get_cancellable (task),
                                      test_schema_checked, g_object_ref (task));
}

void
np_team_sync_test_async (NpTeamSync          *self,
                         const char          *target,
                         const char          *password,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  NpTeamLedger *team;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_team_sync_test_async);
  team = np_team_ledger_new (self->desk_name != NULL ? self->desk_name : g_get_host_name ());
  /* The throwaway connection ends with the task. */
  g_task_set_task_data (task, team, (GDestroyNotify) tested_disconnect);
  np_team_ledger_connect_async (team, target, password, cancellable, test_connected, g_object_ref (task));
}

gboolean
np_team_sync_test_finish (NpTeamSync   *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
joined (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
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
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_team_sync_join_async);

  if (!np_team_ledger_check_target (target, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (desk_name == NULL || *desk_name == '\0' || g_utf8_strlen (desk_name, -1) > 100)
    {
      g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID, "%s",
                               _("A desk name has 1 to 100 characters."));
      return;
    }
  /* NULL: --team, whose password libpq finds (PGPASSFILE, peer authentication);
   * the form always gives one. */
  if (password != NULL && *password == '\0')
    {
      g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID, "%s",
                               _("Enter the password of the team ledger's role."));
      return;
    }

  g_clear_handle_id (&self->retry_id, g_source_remove);
  set_target (self, target, desk_name);
  set_status (self, NP_TEAM_STATE_CONNECTING, g_strdup (_("Joining the team ledger…")));
  connect_chain_full (self, g_strdup (password), TRUE, cancellable, joined, g_steal_pointer (&task));
}

gboolean
np_team_sync_join_finish (NpTeamSync   *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
password_cleared (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!np_team_keyring_clear_finish (result, &error))
    g_warning ("The team ledger's password could not be removed from the keyring: %s", error->message);
}

void
np_team_sync_leave (NpTeamSync *self)
{
  g_return_if_fail (NP_IS_TEAM_SYNC (self));

  disconnect (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_settings_set_string (self->settings, "team-ledger-target", "");
  g_settings_reset (self->settings, "team-desk-name");
  np_team_keyring_clear_async (np_ledger_get_id (self->ledger), NULL, password_cleared, NULL);
  /* The rows and their links stay (a rejoin finds them); a later join reads the
   * changes again from the start, and links nothing to this team ledger. */
  np_ledger_set_team_ledger (self->ledger, NULL, FALSE, NULL, NULL);
  g_hash_table_remove_all (self->lacking_keys);
  g_ptr_array_set_size (self->unsent, 0);
  g_hash_table_remove_all (self->unshared);
  g_ptr_array_set_size (self->unsettled, 0);
  self->backoff = BACKOFF_MIN;
  set_target (self, NULL, NULL);
  set_status (self, NP_TEAM_STATE_OFF, NULL);
}

void
np_team_sync_resume (NpTeamSync *self)
{
  g_autofree char *target = NULL;
  g_autofree char *desk_name = NULL;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));

  target = g_settings_get_string (self->settings, "team-ledger-target");
  desk_name = g_settings_get_string (self->settings, "team-desk-name");
  if (*target == '\0' || *desk_name == '\0' || self->state != NP_TEAM_STATE_OFF)
    return;

  set_target (self, target, desk_name);
  set_status (self, NP_TEAM_STATE_CONNECTING, g_strdup (_("Connecting to the team ledger…")));
  connect_chain (self, NULL, NULL);
}

gboolean
np_team_sync_account_lacks_key (NpTeamSync *self,
                                gint64      account_id)
{
  g_return_val_if_fail (NP_IS_TEAM_SYNC (self), FALSE);

  return self->state != NP_TEAM_STATE_OFF && g_hash_table_contains (self->lacking_keys, &account_id);
}

void
np_team_sync_set_lease_seconds (NpTeamSync *self,
                                guint       seconds)
{
  g_return_if_fail (NP_IS_TEAM_SYNC (self));
  g_return_if_fail (seconds > 0);

  self->lease_seconds = seconds;
}

/* For NpWorkspace */

char *
np_team_sync_dup_refusal (NpTeamSync *self)
{
  g_return_val_if_fail (NP_IS_TEAM_SYNC (self), NULL);

  switch (self->state)
    {
    case NP_TEAM_STATE_OFF:
    case NP_TEAM_STATE_ONLINE:
      return NULL;
    case NP_TEAM_STATE_CONNECTING:
      if (self->offline_reason != NULL)
        return g_strdup_printf (_("The team ledger is offline: %s. Changes are refused until it is back, so that no refund can be sent twice."),
                                self->offline_reason);
      return g_strdup (_("The team ledger is still connecting. Changes are refused until it is online, so that no refund can be sent twice."));
    case NP_TEAM_STATE_OFFLINE:
    default:
      return g_strdup_printf (_("The team ledger is offline: %s. Changes are refused until it is back, so that no refund can be sent twice."),
                              self->offline_reason != NULL ? self->offline_reason : "");
    }
}

typedef struct {
  gint64              account_id;
  NpJournalOperation  operation;
  char               *object_id;
  gint64              amount;
  char               *currency;
  char               *summary;
  JsonObject         *details;
  char               *team_account_id;
} Begin;

static void
begin_free (Begin *begin)
{
  g_free (begin->object_id);
  g_free (begin->currency);
  g_free (begin->summary);
  g_clear_pointer (&begin->details, json_object_unref);
  g_free (begin->team_account_id);
  g_free (begin);
}

static void
begun (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpTeamSync *self = g_task_get_source_object (task);
  GError *error = NULL;
  gint64 id = np_team_ledger_begin_operation_finish (NP_TEAM_LEDGER (source), result, &error);

  if (id == 0)
    {
      /* LOCKED is the lock doing its work: the caller says whose it is. */
      /* So are a request made instead (above the approval limit) and a refused approval. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_LOCKED) &&
          !g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REQUIRED) &&
          !g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REFUSED))
        handle_error (self, error, "beginning an operation");
      g_task_return_error (task, error);
    }
  else
    g_task_return_int (task, id);
}

static void
begin_account_shared (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpTeamSync *self = g_task_get_source_object (task);
  Begin *begin = g_task_get_task_data (task);
  GError *error = NULL;

  if (!np_team_ledger_upsert_account_finish (NP_TEAM_LEDGER (source), result, &error))
    {
      handle_error (self, error, "sharing an account");
      g_task_return_error (task, error);
      return;
    }
  np_team_ledger_begin_operation_async (self->team, begin->team_account_id, begin->operation, begin->object_id,
                                        begin->amount, begin->currency, begin->summary, begin->details,
                                        g_task_get_cancellable (task), begun, g_object_ref (task));
}

void
np_team_sync_begin_operation_async (NpTeamSync          *self,
                                    gint64               account_id,
                                    NpJournalOperation   operation,
                                    const char          *object_id,
                                    gint64               amount,
                                    const char          *currency,
                                    const char          *summary,
                                    JsonObject          *details,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *refusal = NULL;
  Begin *begin;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_team_sync_begin_operation_async);
  g_task_set_check_cancellable (task, FALSE);

  refusal = np_team_sync_dup_refusal (self);
  if (refusal != NULL || self->team == NULL)
    {
      g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NOT_CONNECTED, "%s",
                               refusal != NULL ? refusal : _("Not connected to the team ledger."));
      return;
    }

  begin = g_new0 (Begin, 1);
  begin->account_id = account_id;
  begin->operation = operation;
  begin->object_id = g_strdup (object_id);
  begin->amount = currency != NULL ? amount : -1;
  begin->currency = g_strdup (currency);
  begin->summary = g_strdup (summary);
  begin->details = details != NULL ? json_object_ref (details) : NULL;
  begin->team_account_id = np_ledger_dup_account_team_id (self->ledger, account_id);
  g_task_set_task_data (task, begin, (GDestroyNotify) begin_free);

  if (begin->team_account_id == NULL)
    {
      /* An account added since the desk joined: shared now, before its first operation. */
      NpAccount *account = np_accounts_find (self->accounts, account_id);

      if (account == NULL)
        {
          g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID, "%s",
                                   _("The account is not known to this desk."));
          return;
        }
      begin->team_account_id = share_account (self, account, cancellable, begin_account_shared,
                                              g_steal_pointer (&task));
      return;
    }
  np_team_ledger_begin_operation_async (self->team, begin->team_account_id, operation, object_id,
                                        begin->amount, currency, summary, details,
                                        cancellable, begun, g_steal_pointer (&task));
}

gint64
np_team_sync_begin_operation_finish (NpTeamSync   *self,
                                     GAsyncResult *result,
                                     GError      **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? id : 0;
}

void
np_team_sync_finish_operation (NpTeamSync     *self,
                               gint64          team_id,
                               NpJournalState  state,
                               const char     *error_text,
                               const char     *object_id)
{
  Outcome *outcome;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));
  g_return_if_fail (team_id > 0);

  outcome = g_new0 (Outcome, 1);
  outcome->team_id = team_id;
  outcome->state = state;
  outcome->error_text = g_strdup (error_text);
  outcome->object_id = g_strdup (object_id);
  send_outcome (self, outcome);
}

static void
published (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(NpTeamSync) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (g_async_result_is_tagged (result, np_team_ledger_settle_object_async))
    done = np_team_ledger_settle_object_finish (NP_TEAM_LEDGER (source), result, &error);
  else
    done = np_team_ledger_upsert_object_finish (NP_TEAM_LEDGER (source), result, &error);
  if (!done)
    handle_error (self, error, "sharing an object");
}

/* A refresh while the team ledger is away (OFFLINE or CONNECTING again):
 * kept for the reconnection's upload. */
static gboolean
keep_unshared (NpTeamSync   *self,
               NpTeamObject  kind,
               gint64        account_id,
               const char   *object_id)
{
  Unshared *unshared;

  if (self->state == NP_TEAM_STATE_ONLINE || self->state == NP_TEAM_STATE_OFF || object_id == NULL)
    return FALSE;
  unshared = g_new0 (Unshared, 1);
  unshared->kind = kind;
  unshared->account_id = account_id;
  unshared->object_id = g_strdup (object_id);
  unshared->seen = g_get_real_time ();
  g_hash_table_replace (self->unshared,
                        g_strdup_printf ("%d %" G_GINT64_FORMAT " %s", kind, account_id, object_id), unshared);
  return TRUE;
}

/* A checkout's or customer's last JSON seen, to the team when ONLINE, kept
 * for the reconnection when away. */
static void
publish_object (NpTeamSync   *self,
                NpTeamObject  kind,
                gint64        account_id,
                gpointer      object)
{
  gboolean checkout = kind == NP_TEAM_OBJECT_CHECKOUT;
  g_autofree char *team_id = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (keep_unshared (self, kind, account_id, checkout ? np_checkout_get_id (object) : np_customer_get_id (object)) ||
      self->state != NP_TEAM_STATE_ONLINE || self->team == NULL)
    return;
  text = checkout ? np_checkout_to_json (object, FALSE) : np_customer_to_json (object, FALSE);
  team_id = np_ledger_dup_account_team_id (self->ledger, account_id);
  node = text != NULL ? json_from_string (text, NULL) : NULL;
  if (team_id == NULL || node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  np_team_ledger_upsert_object_async (self->team, kind, team_id, json_node_get_object (node),
                                      self->cancellable, published, g_object_ref (self));
}

void
np_team_sync_publish_checkout (NpTeamSync *self,
                               gint64      account_id,
                               NpCheckout *checkout)
{
  g_return_if_fail (NP_IS_TEAM_SYNC (self));
  g_return_if_fail (NP_IS_CHECKOUT (checkout));

  publish_object (self, NP_TEAM_OBJECT_CHECKOUT, account_id, checkout);
}

void
np_team_sync_publish_customer (NpTeamSync *self,
                               gint64      account_id,
                               NpCustomer *customer)
{
  g_return_if_fail (NP_IS_TEAM_SYNC (self));
  g_return_if_fail (NP_IS_CUSTOMER (customer));

  publish_object (self, NP_TEAM_OBJECT_CUSTOMER, account_id, customer);
}

void
np_team_sync_publish_settled (NpTeamSync *self,
                              gint64      account_id,
                              const char *object_id,
                              const char *status_seen)
{
  g_autofree char *team_id = NULL;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));

  if (object_id != NULL && (self->state == NP_TEAM_STATE_OFFLINE || self->state == NP_TEAM_STATE_CONNECTING))
    {
      Settled *settled = g_new0 (Settled, 1);

      settled->account_id = account_id;
      settled->object_id = g_strdup (object_id);
      settled->status_seen = g_strdup (status_seen);
      g_ptr_array_add (self->unsettled, settled);
      return;
    }
  if (self->state != NP_TEAM_STATE_ONLINE || self->team == NULL || object_id == NULL)
    return;
  team_id = np_ledger_dup_account_team_id (self->ledger, account_id);
  if (team_id == NULL)
    return;
  np_team_ledger_settle_object_async (self->team, team_id, object_id, status_seen,
                                      self->cancellable, published, g_object_ref (self));
}

static void
publish_settled_entry (NpTeamSync *self,
                                  Settled    *settled)
{
  np_team_sync_publish_settled (self, settled->account_id, settled->object_id, settled->status_seen);
}

/* Approvals: each call checks the desk is online, names the account as the
 * team does, and hands the team ledger's answer back as it is. */

static GTask *
approval_task (NpTeamSync          *self,
               gint64               account_id,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               char               **out_team_account_id)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *refusal = np_team_sync_dup_refusal (self);

  g_task_set_source_tag (task, source_tag);
  if (refusal != NULL || self->team == NULL || self->state != NP_TEAM_STATE_ONLINE)
    {
      g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NOT_CONNECTED, "%s",
                               refusal != NULL ? refusal : _("Not connected to the team ledger."));
      return NULL;
    }
  if (out_team_account_id != NULL)
    {
      *out_team_account_id = np_ledger_dup_account_team_id (self->ledger, account_id);
      if (*out_team_account_id == NULL)
        {
          g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID, "%s",
                                   _("This account is not shared with the team yet."));
          return NULL;
        }
    }
  return g_steal_pointer (&task);
}

/* The team ledger's answer, handed on as it is: each _finish below reads it
 * with the team ledger's own _finish, so its checks and errors are the ones
 * the caller gets. */
static void
forward_answer (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  g_task_return_pointer (task, g_object_ref (result), g_object_unref);
}

/* The answer forward_answer () kept, and the team ledger that gave it; or
 * NULL with @error set (the refusal of approval_task ()). */
static GAsyncResult *
take_answer (NpTeamSync    *self,
             GAsyncResult  *result,
             NpTeamLedger **out_team,
             GError       **error)
{
  GAsyncResult *answer;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer != NULL)
    *out_team = NP_TEAM_LEDGER (g_async_result_get_source_object (answer));
  return answer;
}

void
np_team_sync_set_approval_limit_async (NpTeamSync          *self,
                                       gint64               account_id,
                                       const char          *currency,
                                       gint64               amount,
                                       gint64               lifetime_seconds,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *team_account_id = NULL;
  GTask *task;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));

  task = approval_task (self, account_id, np_team_sync_set_approval_limit_async, cancellable, callback, user_data,
                        &team_account_id);
  if (task != NULL)
    np_team_ledger_set_approval_limit_async (self->team, team_account_id, currency, amount, lifetime_seconds,
                                             cancellable, forward_answer, task);
}

gboolean
np_team_sync_set_approval_limit_finish (NpTeamSync    *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_autoptr(NpTeamLedger) team = NULL;
  g_autoptr(GAsyncResult) answer = take_answer (self, result, &team, error);

  return answer != NULL && np_team_ledger_set_approval_limit_finish (team, answer, error);
}

void
np_team_sync_list_approval_limits_async (NpTeamSync          *self,
                                         gint64               account_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *team_account_id = NULL;
  GTask *task;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));

  task = approval_task (self, account_id, np_team_sync_list_approval_limits_async, cancellable, callback, user_data,
                        &team_account_id);
  if (task != NULL)
    np_team_ledger_list_approval_limits_async (self->team, team_account_id, cancellable, forward_answer, task);
}

JsonArray *
np_team_sync_list_approval_limits_finish (NpTeamSync    *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_autoptr(NpTeamLedger) team = NULL;
  g_autoptr(GAsyncResult) answer = take_answer (self, result, &team, error);

  return answer != NULL ? np_team_ledger_list_approval_limits_finish (team, answer, error) : NULL;
}

void
np_team_sync_list_refund_requests_async (NpTeamSync          *self,
                                         gint64               account_id,
                                         gboolean             open_only,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *team_account_id = NULL;
  GTask *task;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));

  task = approval_task (self, account_id, np_team_sync_list_refund_requests_async, cancellable, callback, user_data,
                        &team_account_id);
  if (task != NULL)
    np_team_ledger_list_refund_requests_async (self->team, team_account_id, open_only, cancellable,
                                               forward_answer, task);
}

JsonArray *
np_team_sync_list_refund_requests_finish (NpTeamSync    *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_autoptr(NpTeamLedger) team = NULL;
  g_autoptr(GAsyncResult) answer = take_answer (self, result, &team, error);

  return answer != NULL ? np_team_ledger_list_refund_requests_finish (team, answer, error) : NULL;
}

void
np_team_sync_decide_request_async (NpTeamSync          *self,
                                   gint64               request_id,
                                   NpTeamDecision       decision,
                                   const char          *comment,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));

  task = approval_task (self, 0, np_team_sync_decide_request_async, cancellable, callback, user_data, NULL);
  if (task != NULL)
    np_team_ledger_decide_request_async (self->team, request_id, decision, comment, cancellable, forward_answer, task);
}

gint64
np_team_sync_decide_request_finish (NpTeamSync    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_autoptr(NpTeamLedger) team = NULL;
  g_autoptr(GAsyncResult) answer = take_answer (self, result, &team, error);

  return answer != NULL ? np_team_ledger_decide_request_finish (team, answer, error) : 0;
}

/* The end-of-day report's approvals */

static void
day_approvals_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  JsonArray *array = np_team_ledger_list_day_approvals_finish (NP_TEAM_LEDGER (source), result, &error);

  if (array != NULL)
    g_task_return_pointer (task, array, (GDestroyNotify) json_array_unref);
  else
    g_task_return_error (task, error);
}

void
np_team_sync_list_day_approvals_async (NpTeamSync          *self,
                                       gint64               account_id,
                                       gint64               start,
                                       gint64               end,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *team_account_id = NULL;
  GTask *task;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));

  task = approval_task (self, account_id, np_team_sync_list_day_approvals_async, cancellable, callback, user_data,
                        &team_account_id);
  if (task != NULL)
    np_team_ledger_list_day_approvals_async (self->team, team_account_id, start, end, cancellable,
                                             day_approvals_done, task);
}

JsonArray *
np_team_sync_list_day_approvals_finish (NpTeamSync    *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The audit chain */

typedef struct
{
  guint  n_rows;
  gint64 bad_entry;
} ChainResult;

static void
chain_verified (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ChainResult *chain = g_task_get_task_data (task);
  GError *error = NULL;

  if (np_team_ledger_verify_chain_finish (NP_TEAM_LEDGER (source), result, &chain->n_rows, NULL,
                                          &chain->bad_entry, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
np_team_sync_verify_chain_async (NpTeamSync          *self,
                                 gint64               account_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *team_account_id = NULL;
  GTask *task;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));

  task = approval_task (self, account_id, np_team_sync_verify_chain_async, cancellable, callback, user_data,
                        &team_account_id);
  if (task == NULL)
    return;
  g_task_set_task_data (task, g_new0 (ChainResult, 1), g_free);
  np_team_ledger_verify_chain_async (self->team, team_account_id, cancellable, chain_verified, task);
}

gboolean
np_team_sync_verify_chain_finish (NpTeamSync    *self,
                                  GAsyncResult  *result,
                                  guint         *out_n_rows,
                                  gint64        *out_bad_entry,
                                  GError       **error)
{
  ChainResult *chain;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  chain = g_task_get_task_data (G_TASK (result));
  if (out_bad_entry != NULL)
    *out_bad_entry = chain != NULL ? chain->bad_entry : 0;
  if (out_n_rows != NULL)
    *out_n_rows = chain != NULL ? chain->n_rows : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The end-of-day report's team parts */

typedef struct
{
  NpDayReport *report;           /* the caller's, alive until the callback */
  char        *team_account_id;
} DayReportFill;

static void
day_report_fill_free (DayReportFill *fill)
{
  g_free (fill->team_account_id);
  g_free (fill);
}

static void
fill_head_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DayReportFill *fill = g_task_get_task_data (task);
  g_autofree char *hash = NULL;
  GError *error = NULL;
  gint64 seq = 0;

  if (np_team_ledger_get_chain_head_finish (NP_TEAM_LEDGER (source), result, &seq, &hash, &error) &&
      np_day_report_set_team_head (fill->report, seq, hash, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
fill_approvals_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DayReportFill *fill = g_task_get_task_data (task);
  g_autoptr(JsonArray) approvals = NULL;
  GError *error = NULL;

  approvals = np_team_ledger_list_day_approvals_finish (NP_TEAM_LEDGER (source), result, &error);
  if (approvals == NULL || !np_day_report_set_approvals (fill->report, approvals, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Then the chain's head, read after the approvals: it covers every row they name. */
  np_team_ledger_get_chain_head_async (NP_TEAM_LEDGER (source), fill->team_account_id,
                                       g_task_get_cancellable (task), fill_head_done, g_object_ref (task));
}

void
np_team_sync_fill_day_report_async (NpTeamSync          *self,
                                    gint64               account_id,
                                    NpDayReport         *report,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  DayReportFill *fill;
  GTask *task;

  g_return_if_fail (NP_IS_TEAM_SYNC (self));
  g_return_if_fail (report != NULL);

  fill = g_new0 (DayReportFill, 1);
  fill->report = report;
  task = approval_task (self, account_id, np_team_sync_fill_day_report_async, cancellable, callback, user_data,
                        &fill->team_account_id);
  if (task == NULL)
    {
      day_report_fill_free (fill);
      return;
    }
  g_task_set_task_data (task, fill, (GDestroyNotify) day_report_fill_free);
  np_team_ledger_list_day_approvals_async (self->team, fill->team_account_id, report->start, report->end,
                                           cancellable, fill_approvals_done, task);
}

gboolean
np_team_sync_fill_day_report_finish (NpTeamSync    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
