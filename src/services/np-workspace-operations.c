/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-workspace-operations.c — every mutating call, journalled before it is sent.
 *
 * The order is the point: a PENDING journal row is committed, then the request
 * goes out, then the row becomes SUCCEEDED, FAILED or UNKNOWN and the new state is
 * stored. A crash between the first two steps leaves a PENDING row that the next
 * start turns into UNKNOWN, so no request is ever sent without a trace. Nothing
 * here retries a capture, refund or delete.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-money.h"
#include "np-workspace-private.h"

static void checkout_call_done (GObject *source, GAsyncResult *result, gpointer user_data);
static void customer_call_done (GObject *source, GAsyncResult *result, gpointer user_data);
static void customer_looked_up (GObject *source, GAsyncResult *result, gpointer user_data);
static gboolean settle_unknown_delete (NpLedger *ledger, gint64 account_id, const char *object_id, gboolean customer);

/* The specifics of one journalled operation: what its journal row says, and the
 * arguments of the call it makes (each kind reads the ones it needs). */
typedef struct
{
  NpJournalOperation     kind;
  const char            *object_id;   /* NULL when the server assigns it */
  char                  *summary;
  JsonObject            *details;

  const NpCheckoutDraft *draft;
  gint64                 amount;
  const char            *reason;
  const char            *details_text;
  GHashTable            *fields;      /* metadata changes, or a new customer's metadata */
  const char            *first_name;
  const char            *last_name;
  const char            *email;
} JournalledCall;

static void
journalled_call_clear (JournalledCall *call)
{
  g_clear_pointer (&call->summary, g_free);
  g_clear_pointer (&call->details, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JournalledCall, journalled_call_clear)

static void
send_call (NpOperation          *operation,
           const JournalledCall *call)
{
  NpClient *client = operation->client;
  GCancellable *cancellable = operation->cancellable;
  NpOperation *task = operation;  /* what the callbacks get */

  switch (call->kind)
    {
    case NP_JOURNAL_OPERATION_CREATE:
      np_client_create_checkout_async (client, call->draft, cancellable, checkout_call_done, task);
      break;
    case NP_JOURNAL_OPERATION_CAPTURE:
      np_client_capture_checkout_async (client, call->object_id, cancellable, checkout_call_done, task);
      break;
    case NP_JOURNAL_OPERATION_REFUND:
      np_client_refund_checkout_async (client, call->object_id, call->amount, call->reason,
                                       call->details_text, cancellable, checkout_call_done, task);
      break;
    case NP_JOURNAL_OPERATION_UPDATE:
      np_client_update_checkout_async (client, call->object_id, call->fields, cancellable,
                                       checkout_call_done, task);
      break;
    case NP_JOURNAL_OPERATION_DELETE:
      np_client_delete_checkout_async (client, call->object_id, cancellable, checkout_call_done, task);
      break;
    case NP_JOURNAL_OPERATION_CREATE_CUSTOMER:
      np_client_create_customer_async (client, call->first_name, call->last_name, call->email,
                                       call->fields, cancellable, customer_call_done, task);
      break;
    case NP_JOURNAL_OPERATION_DELETE_CUSTOMER:
      np_client_delete_customer_async (client, call->object_id, cancellable, customer_call_done, task);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The local journal row, then the request: from here on the call is the
 * workspace's. */
static void
begin_and_send (NpWorkspace          *self,
                NpOperation          *operation,
                const JournalledCall *call,
                GTask                *task)  /* (transfer full) */
{
  GError *error = NULL;

  operation->journal_id = np_ledger_journal_begin (self->ledger, operation->account_id, call->kind,
                                                   call->object_id, call->summary, call->details, &error);
  if (operation->journal_id == 0)
    {
      /* Nothing was sent: without a journal row, nothing may be. */
      if (operation->team_journal_id != 0)
        np_team_sync_finish_operation (self->team_sync, operation->team_journal_id, NP_JOURNAL_STATE_FAILED,
                                       error->message, NULL);
      np_operation_free (operation);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (operation->team_journal_id != 0 &&
      !np_ledger_journal_set_team_id (self->ledger, operation->journal_id, operation->team_journal_id, &error))
    {
      g_warning ("Could not link journal entry %" G_GINT64_FORMAT " to the team ledger: %s",
                 operation->journal_id, error->message);
      g_clear_error (&error);
    }

  operation->caller = task;
  np_workspace_add_mutation (self, operation);
  send_call (operation, call);
}

/* A JournalledCall kept while the team ledger commits its row: the caller's
 * arguments copied, as they only live for the call. */
typedef struct
{
  NpWorkspace     *workspace;
  NpOperation     *operation;
  GTask           *task;
  JournalledCall   call;
  NpCheckoutDraft  draft;
  char            *object_id;
  char            *reason;
  char            *details_text;
  char            *first_name;
  char            *last_name;
  char            *email;
} TeamCall;

static void
team_call_free (TeamCall *team)
{
  g_clear_object (&team->workspace);
  g_clear_object (&team->task);
  g_clear_pointer (&team->operation, np_operation_free);
  journalled_call_clear (&team->call);
  g_clear_pointer (&team->call.fields, g_hash_table_unref);
  g_free (team->draft.currency);
  g_free (team->draft.message);
  g_free (team->draft.identifier);
  g_free (team->draft.return_url);
  g_free (team->draft.return_url_cancel);
  g_free (team->draft.customer_id);
  g_free (team->draft.card_id);
  g_free (team->draft.template_name);
  g_clear_pointer (&team->draft.metadata, g_hash_table_unref);
  g_free (team->object_id);
  g_free (team->reason);
  g_free (team->details_text);
  g_free (team->first_name);
  g_free (team->last_name);
  g_free (team->email);
  g_free (team);
}

static TeamCall *
team_call_new (NpWorkspace          *self,
               NpOperation          *operation,
               const JournalledCall *call,
               GTask                *task)
{
  TeamCall *team = g_new0 (TeamCall, 1);

  team->workspace = g_object_ref (self);
  team->operation = operation;
  team->task = task;
  team->call = *call;
  team->call.summary = g_strdup (call->summary);
  team->call.details = call->details != NULL ? json_object_ref (call->details) : NULL;
  team->call.fields = call->fields != NULL ? g_hash_table_ref (call->fields) : NULL;
  team->call.object_id = team->object_id = g_strdup (call->object_id);
  team->call.reason = team->reason = g_strdup (call->reason);
  team->call.details_text = team->details_text = g_strdup (call->details_text);
  team->call.first_name = team->first_name = g_strdup (call->first_name);
  team->call.last_name = team->last_name = g_strdup (call->last_name);
  team->call.email = team->email = g_strdup (call->email);
  if (call->draft != NULL)
    {
      team->draft = *call->draft;
      team->draft.currency = g_strdup (call->draft->currency);
      team->draft.message = g_strdup (call->draft->message);
      team->draft.identifier = g_strdup (call->draft->identifier);
      team->draft.return_url = g_strdup (call->draft->return_url);
      team->draft.return_url_cancel = g_strdup (call->draft->return_url_cancel);
      team->draft.customer_id = g_strdup (call->draft->customer_id);
      team->draft.card_id = g_strdup (call->draft->card_id);
      team->draft.template_name = g_strdup (call->draft->template_name);
      team->draft.metadata = call->draft->metadata != NULL ? g_hash_table_ref (call->draft->metadata) : NULL;
      team->call.draft = &team->draft;
    }
  return team;
}

static void
team_begun (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  TeamCall *team = user_data;
  GError *error = NULL;
  gint64 id = np_team_sync_begin_operation_finish (NP_TEAM_SYNC (source), result, &error);

  if (id == 0)
    {
      /* Refused (LOCKED names the desk that holds it) or offline: nothing was sent. */
      g_task_return_error (team->task, error);
      team_call_free (team);
      return;
    }

  team->operation->team_journal_id = id;
  begin_and_send (team->workspace, g_steal_pointer (&team->operation), &team->call,
                  g_steal_pointer (&team->task));
  team_call_free (team);
}

/* The amount and currency the lock's message names: what a refund asks, or
 * what the checkout is for. */
static gint64
call_amount (const JournalledCall  *call,
             const char           **out_currency)
{
  JsonObject *details = call->details;
  const char *currency;
  JsonNode *node;

  *out_currency = NULL;
  if (details == NULL || (currency = json_object_get_string_member_with_default (details, "currency", NULL)) == NULL)
    return -1;

  node = json_object_get_member (details, "refund_amount");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out_currency = currency;
      return json_node_get_int (node);
    }
  if (node != NULL)
    {
      /* "remaining" */
      gint64 amount = json_object_get_int_member_with_default (details, "amount", -1);
      gint64 before = json_object_get_int_member_with_default (details, "refunded_before", 0);

      if (amount < 0 || before < 0 || before > amount)
        return -1;
      *out_currency = currency;
      return amount - before;
    }
  node = json_object_get_member (details, "amount");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
      json_node_get_int (node) >= 0)
    {
      *out_currency = currency;
      return json_node_get_int (node);
    }
  return -1;
}

static void
begin_in_team (NpWorkspace          *self,
               NpOperation          *operation,
               const JournalledCall *call,
               GTask                *task)  /* (transfer full) */
{
  TeamCall *team = team_call_new (self, operation, call, task);
  const char *currency = NULL;
  gint64 amount = call_amount (call, &currency);

  np_team_sync_begin_operation_async (self->team_sync, operation->account_id, call->kind, call->object_id,
                                      amount, currency, call->summary, call->details,
                                      g_task_get_cancellable (task), team_begun, team);
}

/* The one path of every mutating operation: the journal row is committed, then
 * the call goes out; an error before that finishes the task and sends nothing.
 * From then on the call is the workspace's (see np_workspace_add_mutation ()):
 * @cancellable can stop it only before that, and after it only detaches the
 * caller. */
static void
run_journalled (NpWorkspace          *self,
                gpointer              source_tag,
                const JournalledCall *call,
                GCancellable         *cancellable,
                GAsyncReadyCallback   callback,
                gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  NpOperation *operation;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  /* Cancelled before anything was written or sent: nothing happens. */
  if (g_task_return_error_if_cancelled (task))
    return;

  operation = np_workspace_begin_operation (self, call->object_id, &error);
  if (operation == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  operation->kind = call->kind;

  /* Team mode: the team ledger's pending row first (the cross-desk lock), then
   * the local one, then the request. */
  if (self->team_sync != NULL && np_team_sync_get_state (self->team_sync) != NP_TEAM_STATE_OFF)
    {
      g_autofree char *refusal = np_team_sync_dup_refusal (self->team_sync);

      if (refusal != NULL)
        {
          np_operation_free (operation);
          g_task_return_new_error (task, NP_WORKSPACE_ERROR, NP_WORKSPACE_ERROR_TEAM_OFFLINE, "%s", refusal);
          return;
        }
      begin_in_team (self, operation, call, g_steal_pointer (&task));
      return;
    }

  begin_and_send (self, operation, call, g_steal_pointer (&task));
}

/* Team mode: a checkout or customer just stored is shared, and so is what a
 * look-up saw of @settled_id's operations whose outcome was unknown. */
static void
share_one (NpOperation *operation,
           GObject     *object,
           const char  *settled_id,
           const char  *status_seen)
{
  g_autoptr(GPtrArray) shared = g_ptr_array_new ();

  g_ptr_array_add (shared, object);
  if (NP_IS_CHECKOUT (object))
    np_workspace_share_checkouts (operation->workspace, operation->account_id, shared);
  else
    np_workspace_share_customers (operation->workspace, operation->account_id, shared);
  if (settled_id != NULL)
    np_workspace_share_settled (operation->workspace, operation->account_id, settled_id, status_seen);
}

static NpJournalState
state_for_error (const GError *error)
{
  /* A request that may have reached the server is UNKNOWN, never FAILED: a person
   * must not be led to refund twice. */
  if (g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_OUTCOME_UNKNOWN)
      || g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_TIMEOUT)
      || g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NP_JOURNAL_STATE_UNKNOWN;

  return NP_JOURNAL_STATE_FAILED;
}

/* Records the outcome of @operation in its journal row. */
static void
finish_journal (NpOperation  *operation,
                const char   *object_id,
                const GError *call_error)
{
  NpLedger *ledger = operation->workspace->ledger;
  g_autoptr(GError) error = NULL;
  g_autofree char *error_text = NULL;
  NpJournalState state = NP_JOURNAL_STATE_SUCCEEDED;

  if (operation->journal_id == 0)
    return;

  if (call_error != NULL)
    {
      state = state_for_error (call_error);
      error_text = np_workspace_describe_error (call_error);
    }

  if (operation->team_journal_id != 0 && operation->workspace->team_sync != NULL)
    np_team_sync_finish_operation (operation->workspace->team_sync, operation->team_journal_id, state,
                                   error_text, object_id);

  if (!np_ledger_journal_finish (ledger, operation->journal_id, state, error_text, object_id, &error))
    g_warning ("Could not finish journal entry %" G_GINT64_FORMAT ": %s",
               operation->journal_id, error->message);
}

static void
checkout_call_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  NpOperation *operation = user_data;
  NpWorkspace *workspace = operation->workspace;
  NpLedger *ledger = workspace->ledger;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  gboolean stored = TRUE;

  checkout = np_client_checkout_finish (NP_CLIENT (source), result, &error);
  if (operation->abandoned)
    {
      /* The journal already says UNKNOWN; the console is going away. */
      np_workspace_end_mutation (workspace, operation, NULL, g_steal_pointer (&error));
      return;
    }

  finish_journal (operation, checkout != NULL ? np_checkout_get_id (checkout) : NULL, error);

  if (checkout != NULL && operation->kind == NP_JOURNAL_OPERATION_DELETE)
    stored = np_ledger_mark_checkout_deleted (ledger, operation->account_id,
                                              operation->object_id, &store_error);
  else if (checkout != NULL)
    stored = np_ledger_upsert_checkout (ledger, operation->account_id, checkout, &store_error);
  if (checkout != NULL && stored)
    {
      g_autoptr(GPtrArray) shared = g_ptr_array_new ();

      g_ptr_array_add (shared, checkout);
      np_workspace_share_checkouts (workspace, operation->account_id, shared);
    }

  /* The server did it; failing here would invite a person to do it again. */
  if (!stored)
    g_warning ("Could not store checkout %s: %s", np_checkout_get_id (checkout), store_error->message);

  if (checkout != NULL)
    np_workspace_end_mutation (workspace, operation, G_OBJECT (g_steal_pointer (&checkout)), NULL);
  else
    np_workspace_end_mutation (workspace, operation, NULL, g_steal_pointer (&error));
}

NpCheckout *
np_workspace_checkout_finish (NpWorkspace   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The last known row of @checkout_id, for summaries; NULL when never seen. */
static NpCheckoutRow *
known_checkout (NpWorkspace *self,
                const char  *checkout_id)
{
  if (self->account == NULL)
    return NULL;

  return np_ledger_get_checkout_row (self->ledger, np_account_get_id (self->account),
                                     checkout_id, NULL);
}

/* @row's amount, formatted, for a summary; NULL when it is not known. */
static char *
known_amount (NpCheckoutRow *row)
{
  if (row == NULL || np_checkout_row_get_currency (row) == NULL)
    return NULL;

  return np_money_format (np_checkout_row_get_amount (row), np_checkout_row_get_currency (row));
}

static JsonObject *
details_for_checkout (const char    *checkout_id,
                      NpCheckoutRow *row)
{
  JsonObject *details = json_object_new ();

  json_object_set_string_member (details, "checkout_id", checkout_id);
  if (row != NULL && np_checkout_row_get_currency (row) != NULL)
    {
      json_object_set_int_member (details, "amount", np_checkout_row_get_amount (row));
      json_object_set_string_member (details, "currency", np_checkout_row_get_currency (row));
      if (np_checkout_row_get_status_text (row) != NULL)
        json_object_set_string_member (details, "status_before", np_checkout_row_get_status_text (row));
    }

  return details;
}

static JsonObject *
metadata_object (GHashTable *metadata)
{
  JsonObject *object = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;

  if (metadata != NULL)
    {
      g_hash_table_iter_init (&iter, metadata);
      while (g_hash_table_iter_next (&iter, &key, &value))
        json_object_set_string_member (object, key, value);
    }

  return object;
}

void
np_workspace_create_checkout_async (NpWorkspace           *self,
                                    const NpCheckoutDraft *draft,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_auto(JournalledCall) call = { NP_JOURNAL_OPERATION_CREATE, .draft = draft };
  g_autofree char *amount = NULL;

  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (draft != NULL);

  amount = np_money_format (draft->amount, draft->currency);
  call.summary = g_strdup_printf (_("Create checkout %s"), amount);
  call.details = json_object_new ();
  json_object_set_int_member (call.details, "amount", draft->amount);
  json_object_set_string_member (call.details, "currency", draft->currency);
  if (draft->message != NULL)
    json_object_set_string_member (call.details, "message", draft->message);
  if (draft->identifier != NULL)
    json_object_set_string_member (call.details, "identifier", draft->identifier);
  json_object_set_boolean_member (call.details, "capture", draft->capture);
  if (draft->customer_id != NULL)
    json_object_set_string_member (call.details, "customer_id", draft->customer_id);
  if (draft->card_id != NULL)
    json_object_set_string_member (call.details, "card_id", draft->card_id);
  if (draft->metadata != NULL)
    json_object_set_object_member (call.details, "metadata", metadata_object (draft->metadata));

  run_journalled (self, np_workspace_create_checkout_async, &call, cancellable, callback, user_data);
}

/* A capture or a delete: the checkout, and its amount when known, are all they record. */
static void
run_checkout_call (NpWorkspace         *self,
                   gpointer             source_tag,
                   NpJournalOperation   kind,
                   const char          *checkout_id,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_auto(JournalledCall) call = { kind, checkout_id };
  g_autoptr(NpCheckoutRow) row = known_checkout (self, checkout_id);
  g_autofree char *amount = known_amount (row);

  call.details = details_for_checkout (checkout_id, row);
  if (kind == NP_JOURNAL_OPERATION_CAPTURE)
    call.summary = amount != NULL ? g_strdup_printf (_("Capture %s"), amount) : g_strdup (_("Capture"));
  else
    call.summary = amount != NULL ? g_strdup_printf (_("Delete checkout of %s"), amount)
                                  : g_strdup (_("Delete checkout"));

  run_journalled (self, source_tag, &call, cancellable, callback, user_data);
}

void
np_workspace_capture_checkout_async (NpWorkspace         *self,
                                     const char          *checkout_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (checkout_id != NULL);

  run_checkout_call (self, np_workspace_capture_checkout_async, NP_JOURNAL_OPERATION_CAPTURE,
                     checkout_id, cancellable, callback, user_data);
}

static const char *
describe_reason (const char *reason)
{
  if (g_strcmp0 (reason, "duplicate") == 0)
    return _("duplicate");
  if (g_strcmp0 (reason, "fraudulent") == 0 || g_strcmp0 (reason, "fraudolent") == 0)
    return _("fraudulent");
  if (g_strcmp0 (reason, "requested_by_customer") == 0)
    return _("requested by customer");
  return reason;
}

static char *
refund_summary (NpCheckoutRow *row,
                gint64         amount,
                const char    *reason)
{
  g_autofree char *what = NULL;
  const char *currency = row != NULL ? np_checkout_row_get_currency (row) : NULL;

  if (amount >= 0 && currency != NULL)
    {
      g_autofree char *money = np_money_format (amount, currency);
      what = g_strdup_printf (_("Refund %s"), money);
    }
  else if (currency != NULL)
    {
      g_autofree char *money = np_money_format (np_checkout_row_get_amount (row)
                                                - np_checkout_row_get_refunded_amount (row),
                                                currency);
      what = g_strdup_printf (_("Refund the remaining %s"), money);
    }
  else if (amount >= 0)
    {
      /* xgettext cannot read G_GINT64_FORMAT inside a message: the number goes in as text. */
      g_autofree char *units = g_strdup_printf ("%" G_GINT64_FORMAT, amount);

      what = g_strdup_printf (_("Refund %s minor units"), units);
    }
  else
    what = g_strdup (_("Refund the remaining amount"));

  if (reason == NULL)
    return g_steal_pointer (&what);

  /* TRANSLATORS: "Refund 12.50 SEK (duplicate)" */
  return g_strdup_printf (_("%s (%s)"), what, describe_reason (reason));
}

static void
refund_checkout (NpWorkspace         *self,
                 gpointer             source_tag,
                 gint64               request_id,
                 const char          *comment,
                 const char          *checkout_id,
                 gint64               amount,
                 const char          *reason,
                 const char          *details_text,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_auto(JournalledCall) call = { NP_JOURNAL_OPERATION_REFUND, checkout_id, .amount = amount,
                                  .reason = reason, .details_text = details_text };
  g_autoptr(NpCheckoutRow) row = NULL;

  row = known_checkout (self, checkout_id);
  call.details = details_for_checkout (checkout_id, row);
  /* "amount" is what the checkout was for; what this refund asks is "refund_amount". */
  if (amount >= 0)
    json_object_set_int_member (call.details, "refund_amount", amount);
  else
    json_object_set_string_member (call.details, "refund_amount", "remaining");
  if (row != NULL)
    json_object_set_int_member (call.details, "refunded_before", np_checkout_row_get_refunded_amount (row));
  if (reason != NULL)
    json_object_set_string_member (call.details, "reason", reason);
  if (details_text != NULL)
    json_object_set_string_member (call.details, "refundDetails", details_text);
  /* The team ledger's journal reads these: the row is the approval. */
  if (request_id > 0)
    {
      json_object_set_int_member (call.details, "approves_request", request_id);
      if (comment != NULL && *comment != '\0')
        json_object_set_string_member (call.details, "approval_comment", comment);
    }
  call.summary = refund_summary (row, amount, reason);

  run_journalled (self, source_tag, &call, cancellable, callback, user_data);
}

void
np_workspace_refund_checkout_async (NpWorkspace         *self,
                                    const char          *checkout_id,
                                    gint64               amount,
                                    const char          *reason,
                                    const char          *details_text,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (checkout_id != NULL);

  refund_checkout (self, np_workspace_refund_checkout_async, 0, NULL, checkout_id, amount, reason, details_text,
                   cancellable, callback, user_data);
}

void
np_workspace_approve_refund_async (NpWorkspace         *self,
                                   gint64               request_id,
                                   const char          *comment,
                                   const char          *checkout_id,
                                   gint64               amount,
                                   const char          *reason,
                                   const char          *details_text,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (checkout_id != NULL);
  g_return_if_fail (request_id > 0 && amount > 0);

  refund_checkout (self, np_workspace_approve_refund_async, request_id, comment, checkout_id, amount, reason,
                   details_text, cancellable, callback, user_data);
}

void
np_workspace_update_metadata_async (NpWorkspace         *self,
                                    const char          *checkout_id,
                                    GHashTable          *changes,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_auto(JournalledCall) call = { NP_JOURNAL_OPERATION_UPDATE, checkout_id, .fields = changes };
  g_autoptr(NpCheckout) before = NULL;
  JsonObject *set;
  JsonArray *removed;
  JsonObject *previous;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (checkout_id != NULL);
  g_return_if_fail (changes != NULL);

  if (self->account != NULL)
    before = np_ledger_get_checkout (self->ledger, np_account_get_id (self->account), checkout_id, NULL);

  /* The diff, with the values it replaces, so the journal can show what changed. */
  set = json_object_new ();
  removed = json_array_new ();
  previous = json_object_new ();
  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *old = before != NULL ? g_hash_table_lookup (np_checkout_get_metadata (before), key) : NULL;

      if (value == NULL || *(const char *) value == '\0')
        json_array_add_string_element (removed, key);
      else
        json_object_set_string_member (set, key, value);
      if (old != NULL)
        json_object_set_string_member (previous, key, old);
    }

  call.details = json_object_new ();
  json_object_set_string_member (call.details, "checkout_id", checkout_id);
  json_object_set_object_member (call.details, "set", set);
  json_object_set_array_member (call.details, "removed", removed);
  json_object_set_object_member (call.details, "previous", previous);
  call.summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Update metadata (%u change)",
                                               "Update metadata (%u changes)", g_hash_table_size (changes)),
                                  g_hash_table_size (changes));

  run_journalled (self, np_workspace_update_metadata_async, &call, cancellable, callback, user_data);
}

void
np_workspace_delete_checkout_async (NpWorkspace         *self,
                                    const char          *checkout_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (checkout_id != NULL);

  run_checkout_call (self, np_workspace_delete_checkout_async, NP_JOURNAL_OPERATION_DELETE,
                     checkout_id, cancellable, callback, user_data);
}

/* Look-ups: not journalled (they change nothing), but they settle UNKNOWN rows. */

/* A look-up that finds nothing after a delete whose outcome was unknown has its
 * answer: the delete went through. Marks the object deleted and settles the rows;
 * FALSE when there was no such delete (a 404 then means what it says). */
static gboolean
settle_unknown_delete (NpLedger   *ledger,
                       gint64      account_id,
                       const char *object_id,
                       gboolean    customer)
{
  g_autoptr(NpJournalQuery) query = np_journal_query_new ();
  g_autoptr(GPtrArray) entries = NULL;

  np_journal_query_set_object_id (query, object_id);
  query->operation_mask = NP_JOURNAL_OPERATION_BIT (customer ? NP_JOURNAL_OPERATION_DELETE_CUSTOMER
                                                             : NP_JOURNAL_OPERATION_DELETE);
  query->needs_attention = TRUE;
  entries = np_ledger_journal_list (ledger, account_id, query, 0, 1, NULL);
  if (entries == NULL || entries->len == 0)
    return FALSE;

  if (customer)
    np_ledger_mark_customer_deleted (ledger, account_id, object_id, NULL);
  else
    np_ledger_mark_checkout_deleted (ledger, account_id, object_id, NULL);
  return np_ledger_journal_settle_object (ledger, account_id, object_id, "deleted", NULL, NULL);
}

static void
checkout_looked_up (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpOperation *operation = g_task_get_task_data (task);
  NpLedger *ledger = operation->workspace->ledger;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GArray) refreshes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;

  checkout = np_client_checkout_finish (NP_CLIENT (source), result, &error);
  if (checkout == NULL)
    {
      g_autofree char *text = np_workspace_describe_error (error);

      /* Kept as the row's refresh error when the ledger knows the checkout. */
      if (g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NOT_FOUND)
          && settle_unknown_delete (ledger, operation->account_id, operation->object_id, FALSE))
        ;
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
               && !g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED))
        np_ledger_record_checkout_failure (ledger, operation->account_id, operation->object_id, text, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A retrieve: a status it sees change is journalled as a refresh. */
  one = g_ptr_array_new ();
  g_ptr_array_add (one, checkout);
  if (!np_ledger_refresh_checkouts (ledger, operation->account_id, one, refreshes, &store_error)
      || !np_ledger_journal_settle_object (ledger, operation->account_id, np_checkout_get_id (checkout),
                                           np_checkout_get_status_text (checkout), NULL, &store_error))
    {
      g_task_return_error (task, g_steal_pointer (&store_error));
      return;
    }
  share_one (operation, G_OBJECT (checkout), np_checkout_get_id (checkout), np_checkout_get_status_text (checkout));
  np_workspace_share_refreshes (operation->workspace, operation->account_id, refreshes);

  g_task_return_pointer (task, g_steal_pointer (&checkout), g_object_unref);
}

/* Look-ups take no busy mark: reading while a refund is in flight is harmless. */
static void
run_lookup (NpWorkspace         *self,
            gpointer             source_tag,
            const char          *object_id,
            gboolean             customer,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  NpOperation *operation;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  operation = np_workspace_begin_operation (self, NULL, &error);
  if (operation == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  operation->object_id = g_strdup (object_id);
  g_task_set_task_data (task, operation, (GDestroyNotify) np_operation_free);

  if (customer)
    {
      np_client_retrieve_customer_async (operation->client, object_id, cancellable,
                                         customer_looked_up, g_steal_pointer (&task));
    }
  else
    np_client_retrieve_checkout_async (operation->client, object_id, cancellable,
                                       checkout_looked_up, g_steal_pointer (&task));
}

void
np_workspace_lookup_checkout_async (NpWorkspace         *self,
                                    const char          *checkout_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (checkout_id != NULL);

  run_lookup (self, np_workspace_lookup_checkout_async, checkout_id, FALSE, cancellable, callback, user_data);
}

/* Customers */

static void
customer_call_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  NpOperation *operation = user_data;
  NpWorkspace *workspace = operation->workspace;
  NpLedger *ledger = workspace->ledger;
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  const char *customer_id;
  gboolean stored = TRUE;

  customer = np_client_customer_finish (NP_CLIENT (source), result, &error);
  if (operation->abandoned)
    {
      np_workspace_end_mutation (workspace, operation, NULL, g_steal_pointer (&error));
      return;
    }

  customer_id = customer != NULL && np_customer_get_id (customer) != NULL
                ? np_customer_get_id (customer) : operation->object_id;
  finish_journal (operation, customer != NULL ? customer_id : NULL, error);

  if (customer == NULL)
    {
      np_workspace_end_mutation (workspace, operation, NULL, g_steal_pointer (&error));
      return;
    }

  if (operation->kind == NP_JOURNAL_OPERATION_DELETE_CUSTOMER)
    stored = np_ledger_mark_customer_deleted (ledger, operation->account_id, customer_id, &store_error);
  else
    stored = np_ledger_upsert_customer (ledger, operation->account_id, customer, &store_error);
  if (!stored)
    g_warning ("Could not store customer %s: %s", customer_id, store_error->message);
  else if (operation->kind != NP_JOURNAL_OPERATION_DELETE_CUSTOMER)
    share_one (operation, G_OBJECT (customer), NULL, NULL);

  np_workspace_end_mutation (workspace, operation, G_OBJECT (g_steal_pointer (&customer)), NULL);
}

/* A customer look-up: not journalled, and it settles UNKNOWN rows of the customer. */
static void
customer_looked_up (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NpOperation *operation = g_task_get_task_data (task);
  NpLedger *ledger = operation->workspace->ledger;
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  const char *customer_id;

  customer = np_client_customer_finish (NP_CLIENT (source), result, &error);
  if (customer == NULL)
    {
      if (g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NOT_FOUND)
          && settle_unknown_delete (ledger, operation->account_id, operation->object_id, TRUE))
        ;
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
               && !g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED))
        {
          g_autofree char *text = np_workspace_describe_error (error);

          np_ledger_record_customer_failure (ledger, operation->account_id, operation->object_id, text, NULL);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  customer_id = np_customer_get_id (customer) != NULL ? np_customer_get_id (customer) : operation->object_id;
  if (!np_ledger_upsert_customer (ledger, operation->account_id, customer, &store_error)
      || !np_ledger_journal_settle_object (ledger, operation->account_id, customer_id, NULL, NULL, &store_error))
    g_warning ("Could not store customer %s: %s", customer_id, store_error->message);
  else
    share_one (operation, G_OBJECT (customer), customer_id, NULL);

  g_task_return_pointer (task, g_steal_pointer (&customer), g_object_unref);
}

NpCustomer *
np_workspace_customer_finish (NpWorkspace   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
np_workspace_create_customer_async (NpWorkspace         *self,
                                    const char          *first_name,
                                    const char          *last_name,
                                    const char          *email,
                                    GHashTable          *metadata,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_auto(JournalledCall) call = { NP_JOURNAL_OPERATION_CREATE_CUSTOMER, .fields = metadata,
                                  .first_name = first_name, .last_name = last_name, .email = email };

  g_return_if_fail (NP_IS_WORKSPACE (self));

  call.details = json_object_new ();
  json_object_set_string_member (call.details, "first_name", first_name);
  json_object_set_string_member (call.details, "last_name", last_name);
  json_object_set_string_member (call.details, "email", email);
  if (metadata != NULL)
    json_object_set_object_member (call.details, "metadata", metadata_object (metadata));
  call.summary = g_strdup_printf (_("Create customer %s %s <%s>"),
                                  first_name ? first_name : "", last_name ? last_name : "", email ? email : "");

  run_journalled (self, np_workspace_create_customer_async, &call, cancellable, callback, user_data);
}

void
np_workspace_delete_customer_async (NpWorkspace         *self,
                                    const char          *customer_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_auto(JournalledCall) call = { NP_JOURNAL_OPERATION_DELETE_CUSTOMER, customer_id };
  g_autoptr(NpCustomerRow) row = NULL;

  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (customer_id != NULL);

  if (self->account != NULL)
    row = np_ledger_get_customer_row (self->ledger, np_account_get_id (self->account), customer_id, NULL);
  call.details = json_object_new ();
  json_object_set_string_member (call.details, "customer_id", customer_id);
  if (row != NULL && np_customer_row_get_email (row) != NULL)
    json_object_set_string_member (call.details, "email", np_customer_row_get_email (row));
  call.summary = row != NULL ? g_strdup_printf (_("Delete customer %s"), np_customer_row_get_display_name (row))
                             : g_strdup (_("Delete customer"));

  run_journalled (self, np_workspace_delete_customer_async, &call, cancellable, callback, user_data);
}

void
np_workspace_lookup_customer_async (NpWorkspace         *self,
                                    const char          *customer_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (NP_IS_WORKSPACE (self));
  g_return_if_fail (customer_id != NULL);

  run_lookup (self, np_workspace_lookup_customer_async, customer_id, TRUE, cancellable, callback, user_data);
}
