/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-journal-entry.c — one operation the console sent, as the journal records it.
 *
 * Immutable: built from one SELECT row (NP_JOURNAL_ENTRY_COLUMNS). Operation and
 * state are stored as text so the file reads plainly in any SQLite tool.
 */
#include "np-store-private.h"

struct _NpJournalEntry
{
  GObject             parent_instance;

  gint64              id;
  gint64              account_id;
  char               *object_id;
  NpJournalOperation  operation;
  NpJournalState      state;
  char               *summary;
  char               *details;
  char               *error_text;
  GDateTime          *started;
  GDateTime          *finished;
  GDateTime          *settled;
  char               *settled_status;
  char               *desk;
  char               *os_user;
};

G_DEFINE_FINAL_TYPE (NpJournalEntry, np_journal_entry, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (NpJournalOperation, np_journal_operation,
                    G_DEFINE_ENUM_VALUE (NP_JOURNAL_OPERATION_CREATE, "create"),
                    G_DEFINE_ENUM_VALUE (NP_JOURNAL_OPERATION_CAPTURE, "capture"),
                    G_DEFINE_ENUM_VALUE (NP_JOURNAL_OPERATION_REFUND, "refund"),
                    G_DEFINE_ENUM_VALUE (NP_JOURNAL_OPERATION_UPDATE, "update"),
                    G_DEFINE_ENUM_VALUE (NP_JOURNAL_OPERATION_DELETE, "delete"),
                    G_DEFINE_ENUM_VALUE (NP_JOURNAL_OPERATION_CREATE_CUSTOMER, "create-customer"),
                    G_DEFINE_ENUM_VALUE (NP_JOURNAL_OPERATION_DELETE_CUSTOMER, "delete-customer"),
                    G_DEFINE_ENUM_VALUE (NP_JOURNAL_OPERATION_REFRESH, "refresh"))

G_DEFINE_ENUM_TYPE (NpJournalState, np_journal_state,
                    G_DEFINE_ENUM_VALUE (NP_JOURNAL_STATE_PENDING, "pending"),
                    G_DEFINE_ENUM_VALUE (NP_JOURNAL_STATE_SUCCEEDED, "succeeded"),
                    G_DEFINE_ENUM_VALUE (NP_JOURNAL_STATE_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (NP_JOURNAL_STATE_UNKNOWN, "unknown"))

enum {
  PROP_0,
  PROP_ID,
  PROP_ACCOUNT_ID,
  PROP_OBJECT_ID,
  PROP_OPERATION,
  PROP_STATE,
  PROP_SUMMARY,
  PROP_DETAILS,
  PROP_ERROR_TEXT,
  PROP_STARTED,
  PROP_FINISHED,
  PROP_SETTLED,
  PROP_SETTLED_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The GEnumValue nicks are the stored spellings. */
static const char *
enum_to_nick (GType type,
              int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return enum_value ? enum_value->value_nick : NULL;
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *out_value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *enum_value;

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_ref (type);
  enum_value = g_enum_get_value_by_nick (klass, nick);
  if (enum_value == NULL)
    return FALSE;

  *out_value = enum_value->value;
  return TRUE;
}

const char *
np_journal_operation_to_string (NpJournalOperation operation)
{
  return enum_to_nick (NP_TYPE_JOURNAL_OPERATION, operation);
}

gboolean
np_journal_operation_from_string (const char         *text,
                                  NpJournalOperation *out_operation)
{
  int value;

  if (!enum_from_nick (NP_TYPE_JOURNAL_OPERATION, text, &value))
    return FALSE;

  *out_operation = value;
  return TRUE;
}

gboolean
np_journal_operation_is_customer (NpJournalOperation operation)
{
  return operation == NP_JOURNAL_OPERATION_CREATE_CUSTOMER ||
         operation == NP_JOURNAL_OPERATION_DELETE_CUSTOMER;
}

const char *
np_journal_state_to_string (NpJournalState state)
{
  return enum_to_nick (NP_TYPE_JOURNAL_STATE, state);
}

gboolean
np_journal_state_from_string (const char     *text,
                              NpJournalState *out_state)
{
  int value;

  if (!enum_from_nick (NP_TYPE_JOURNAL_STATE, text, &value))
    return FALSE;

  *out_state = value;
  return TRUE;
}

static void
np_journal_entry_finalize (GObject *object)
{
  NpJournalEntry *self = (NpJournalEntry *)object;

  g_clear_pointer (&self->object_id, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->details, g_free);
  g_clear_pointer (&self->error_text, g_free);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->finished, g_date_time_unref);
  g_clear_pointer (&self->settled, g_date_time_unref);
  g_clear_pointer (&self->settled_status, g_free);
  g_clear_pointer (&self->desk, g_free);
  g_clear_pointer (&self->os_user, g_free);

  G_OBJECT_CLASS (np_journal_entry_parent_class)->finalize (object);
}

static void
np_journal_entry_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  NpJournalEntry *self = NP_JOURNAL_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_int64 (value, self->account_id);
      break;
    case PROP_OBJECT_ID:
      g_value_set_string (value, self->object_id);
      break;
    case PROP_OPERATION:
      g_value_set_enum (value, self->operation);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_DETAILS:
      g_value_set_string (value, self->details);
      break;
    case PROP_ERROR_TEXT:
      g_value_set_string (value, self->error_text);
      break;
    case PROP_STARTED:
      g_value_set_boxed (value, self->started);
      break;
    case PROP_FINISHED:
      g_value_set_boxed (value, self->finished);
      break;
    case PROP_SETTLED:
      g_value_set_boxed (value, self->settled);
      break;
    case PROP_SETTLED_STATUS:
      g_value_set_string (value, self->settled_status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define READABLE (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
np_journal_entry_class_init (NpJournalEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = np_journal_entry_finalize;
  object_class->get_property = np_journal_entry_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, READABLE);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_int64 ("account-id", NULL, NULL, 0, G_MAXINT64, 0, READABLE);
  properties[PROP_OBJECT_ID] =
    g_param_spec_string ("object-id", NULL, NULL, NULL, READABLE);
  properties[PROP_OPERATION] =
    g_param_spec_enum ("operation", NULL, NULL,
                       NP_TYPE_JOURNAL_OPERATION, NP_JOURNAL_OPERATION_CREATE, READABLE);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       NP_TYPE_JOURNAL_STATE, NP_JOURNAL_STATE_PENDING, READABLE);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL, READABLE);
  properties[PROP_DETAILS] =
    g_param_spec_string ("details", NULL, NULL, NULL, READABLE);
  properties[PROP_ERROR_TEXT] =
    g_param_spec_string ("error-text", NULL, NULL, NULL, READABLE);
  properties[PROP_STARTED] =
    g_param_spec_boxed ("started", NULL, NULL, G_TYPE_DATE_TIME, READABLE);
  properties[PROP_FINISHED] =
    g_param_spec_boxed ("finished", NULL, NULL, G_TYPE_DATE_TIME, READABLE);
  properties[PROP_SETTLED] =
    g_param_spec_boxed ("settled", NULL, NULL, G_TYPE_DATE_TIME, READABLE);
  properties[PROP_SETTLED_STATUS] =
    g_param_spec_string ("settled-status", NULL, NULL, NULL, READABLE);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_journal_entry_init (NpJournalEntry *self)
{
}

NpJournalEntry *
np_journal_entry_new_from_stmt (sqlite3_stmt *stmt)
{
  NpJournalEntry *self = g_object_new (NP_TYPE_JOURNAL_ENTRY, NULL);
  int operation = NP_JOURNAL_OPERATION_CREATE;
  int state = NP_JOURNAL_STATE_UNKNOWN;

  self->id = sqlite3_column_int64 (stmt, 0);
  self->account_id = sqlite3_column_int64 (stmt, 1);
  self->object_id = np_store_column_dup (stmt, 2);
  /* The schema's CHECK constraints keep both valid. */
  enum_from_nick (NP_TYPE_JOURNAL_OPERATION, (const char *)sqlite3_column_text (stmt, 3), &operation);
  enum_from_nick (NP_TYPE_JOURNAL_STATE, (const char *)sqlite3_column_text (stmt, 4), &state);
  self->operation = operation;
  self->state = state;
  self->summary = np_store_column_dup (stmt, 5);
  self->details = np_store_column_dup (stmt, 6);
  self->error_text = np_store_column_dup (stmt, 7);
  self->started = np_store_column_time (stmt, 8);
  self->finished = np_store_column_time (stmt, 9);
  self->settled = np_store_column_time (stmt, 10);
  self->settled_status = np_store_column_dup (stmt, 11);
  self->desk = np_store_column_dup (stmt, 12);
  self->os_user = np_store_column_dup (stmt, 13);

  return self;
}

gint64
np_journal_entry_get_id (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), 0);
  return self->id;
}

gint64
np_journal_entry_get_account_id (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), 0);
  return self->account_id;
}

const char *
np_journal_entry_get_object_id (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), NULL);
  return self->object_id;
}

NpJournalOperation
np_journal_entry_get_operation (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), NP_JOURNAL_OPERATION_CREATE);
  return self->operation;
}

NpJournalState
np_journal_entry_get_state (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), NP_JOURNAL_STATE_UNKNOWN);
  return self->state;
}

const char *
np_journal_entry_get_summary (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), NULL);
  return self->summary;
}

const char *
np_journal_entry_get_details (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), NULL);
  return self->details;
}

const char *
np_journal_entry_get_error_text (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), NULL);
  return self->error_text;
}

GDateTime *
np_journal_entry_get_started (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), NULL);
  return self->started;
}

GDateTime *
np_journal_entry_get_finished (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), NULL);
  return self->finished;
}

GDateTime *
np_journal_entry_get_settled (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), NULL);
  return self->settled;
}

const char *
np_journal_entry_get_settled_status (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), NULL);
  return self->settled_status;
}

const char *
np_journal_entry_get_desk (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), NULL);
  return self->desk;
}

const char *
np_journal_entry_get_os_user (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), NULL);
  return self->os_user;
}

gboolean
np_journal_entry_needs_attention (NpJournalEntry *self)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (self), FALSE);
  /* A refresh sent nothing: even one a gone desk left unfinished has nothing to retry. */
  return self->state == NP_JOURNAL_STATE_UNKNOWN && self->settled == NULL &&
         self->operation != NP_JOURNAL_OPERATION_REFRESH;
}
