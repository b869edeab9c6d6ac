/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-fault-matrix.c — every workspace operation against every fault the sandbox
 * can inject, through the console's own code paths (NpWorkspace → NpClient → HTTP).
 *
 * For each cell: no crash; a specific message; the ledger row of the object as it
 * was where the call failed; the journal row FAILED or UNKNOWN as it should be;
 * a capture/refund/delete sent exactly once; and an UNKNOWN settled by a look-up.
 * The table of operations × faults is printed; the test fails when any cell does.
 *
 * Two faults need more than a rule, and a sandbox and an account of their own:
 * "refused" makes the objects it needs in that sandbox and ledger, then stops the
 * sandbox so that its port is closed before the call; "killed" stops it (state on
 * disk) while a latency rule holds the request, then starts it again on the same
 * port to settle. Either way the ledger's stored JSON of the objects and its
 * journal rows are compared before and after the call: real objects, not ids that
 * exist nowhere, so "unchanged" compares something.
 */
#include <string.h>

#include "np-sandbox-thread.h"
#include "np-test-workspace.h"

#define WAIT_MS 60000
#define CLIENT_TIMEOUT_S 2

typedef enum {
  OP_CREATE, OP_LOOKUP, OP_CAPTURE, OP_REFUND, OP_UPDATE, OP_DELETE,
  OP_CREATE_CUSTOMER, OP_LOOKUP_CUSTOMER, OP_DELETE_CUSTOMER, N_OPS
} Op;

static const struct {
  const char *name;
  const char *path;
  gboolean    mutating;
  gboolean    customer;
  NpJournalOperation journal;
} ops[N_OPS] = {
  { "create", "/checkout/create", TRUE, FALSE, NP_JOURNAL_OPERATION_CREATE },
  { "lookup", "/checkout/retrieve", FALSE, FALSE, 0 },
  { "capture", "/checkout/capture", TRUE, FALSE, NP_JOURNAL_OPERATION_CAPTURE },
  { "refund", "/checkout/refund", TRUE, FALSE, NP_JOURNAL_OPERATION_REFUND },
  { "update", "/checkout/update", TRUE, FALSE, NP_JOURNAL_OPERATION_UPDATE },
  { "delete", "/checkout/delete", TRUE, FALSE, NP_JOURNAL_OPERATION_DELETE },
  { "create-cust", "/checkout/create-customer", TRUE, TRUE, NP_JOURNAL_OPERATION_CREATE_CUSTOMER },
  { "lookup-cust", "/checkout/retrieve-customer", FALSE, TRUE, 0 },
  { "delete-cust", "/checkout/delete-customer", TRUE, TRUE, NP_JOURNAL_OPERATION_DELETE_CUSTOMER },
};

static const char *faults[] = {
  "status:400", "status:401", "status:403", "status:404", "status:409", "status:422",
  "status:429", "status:500", "status:503", "malformed", "truncated", "html", "drop",
  "timeout", "refused", "killed",
};
#define N_FAULTS G_N_ELEMENTS (faults)

/* Where an operation runs: a sandbox (NULL once stopped) and an account. */
typedef struct {
  NpTestWorkspace *t;         /* the workspace, ledger, accounts */
  NpTestSandbox   *sandbox;   /* current account's sandbox; NULL once stopped: a closed port */
  NpAccount       *account;
} Target;

static void
use_account (NpTestWorkspace *t,
             NpAccount       *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  np_workspace_set_account_async (t->workspace, account, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  np_workspace_set_account_finish (t->workspace, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (np_workspace_get_client (t->workspace));
  /* Short, so that "latency past the timeout" is quick; loopback answers in ms. */
  np_client_set_timeout (np_workspace_get_client (t->workspace), CLIENT_TIMEOUT_S);
}

static NpAccount *
add_account (NpTestWorkspace *t,
             const char      *name,
             const char      *base_url,
             const char      *key)
{
  g_autoptr(NpAccount) account = np_account_new (name, base_url, NP_ENVIRONMENT_TEST);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  np_accounts_add_async (t->accounts, account, key, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  np_accounts_add_finish (t->accounts, result, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&account);
}

static void
remove_account (NpTestWorkspace *t,
                NpAccount       *account)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_accounts_remove_async (t->accounts, account, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  np_accounts_remove_finish (t->accounts, result, NULL);
}

/* Operations, started and finished ----------------------------------------- */

static void
start_op (Target        *target,
          Op             op,
          const char    *id,
          GAsyncResult **result)
{
  NpWorkspace *ws = target->t->workspace;

  switch (op)
    {
    case OP_CREATE:
      {
        g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();

        draft->amount = 2500;
        draft->currency = g_strdup ("SEK");
        draft->message = g_strdup ("Fault matrix");
        np_workspace_create_checkout_async (ws, draft, NULL, np_test_store_result, result);
      }
      break;
    case OP_LOOKUP:
      np_workspace_lookup_checkout_async (ws, id, NULL, np_test_store_result, result);
      break;
    case OP_CAPTURE:
      np_workspace_capture_checkout_async (ws, id, NULL, np_test_store_result, result);
      break;
    case OP_REFUND:
      np_workspace_refund_checkout_async (ws, id, 500, "duplicate", NULL, NULL, np_test_store_result, result);
      break;
    case OP_UPDATE:
      {
        g_autoptr(GHashTable) changes = g_hash_table_new (g_str_hash, g_str_equal);

        g_hash_table_insert (changes, "orderId", "matrix-1");
        np_workspace_update_metadata_async (ws, id, changes, NULL, np_test_store_result, result);
      }
      break;
    case OP_DELETE:
      np_workspace_delete_checkout_async (ws, id, NULL, np_test_store_result, result);
      break;
    case OP_CREATE_CUSTOMER:
      np_workspace_create_customer_async (ws, "Ada", "Lovelace", "ada@example.com", NULL, NULL,
                                          np_test_store_result, result);
      break;
    case OP_LOOKUP_CUSTOMER:
      np_workspace_lookup_customer_async (ws, id, NULL, np_test_store_result, result);
      break;
    case OP_DELETE_CUSTOMER:
      np_workspace_delete_customer_async (ws, id, NULL, np_test_store_result, result);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The id of what the operation made or touched (NULL on error). */
static char *
finish_op (Target        *target,
           Op             op,
           GAsyncResult **result,
           GError       **error)
{
  NpWorkspace *ws = target->t->workspace;
  char *id = NULL;

  np_test_wait_result (result, WAIT_MS);
  if (ops[op].customer)
    {
      g_autoptr(NpCustomer) customer = np_workspace_customer_finish (ws, *result, error);

      if (customer != NULL)
        id = g_strdup (np_customer_get_id (customer));
    }
  else
    {
      g_autoptr(NpCheckout) checkout = np_workspace_checkout_finish (ws, *result, error);

      if (checkout != NULL)
        id = g_strdup (np_checkout_get_id (checkout));
    }
  g_clear_object (result);
  return id;
}

static char *
run_op (Target      *target,
        Op           op,
        const char  *id,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  start_op (target, op, id, &result);
  return finish_op (target, op, &result, error);
}

/* Preparing the object an operation needs, with no fault in place ----------- */

static char *
must (Target     *target,
      Op          op,
      const char *id)
{
  g_autoptr(GError) error = NULL;
  char *made = run_op (target, op, id, &error);

  g_assert_no_error (error);
  return made;
}

static char *
new_checkout (Target   *target,
              gboolean  capture,
              gboolean  paid)
{
  g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = NULL;
  char *id;

  draft->amount = 2000;
  draft->currency = g_strdup ("SEK");
  draft->message = g_strdup ("Fault matrix");
  draft->capture = capture;
  np_workspace_create_checkout_async (target->t->workspace, draft, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  checkout = np_workspace_checkout_finish (target->t->workspace, result, &error);
  g_assert_no_error (error);
  id = g_strdup (np_checkout_get_id (checkout));
  if (paid)
    {
      g_assert_true (np_test_sandbox_pay (target->sandbox, id, "success"));
      g_free (must (target, OP_LOOKUP, id));
    }
  return id;
}

/* The object @op works on, made through the workspace in the target's sandbox
 * (NULL for a create). */
static char *
prepare (Target *target,
         Op      op)
{
  switch (op)
    {
    case OP_CREATE:
    case OP_CREATE_CUSTOMER:
      return NULL;
    case OP_CAPTURE:
      return new_checkout (target, FALSE, TRUE);   /* reserved */
    case OP_REFUND:
      return new_checkout (target, TRUE, TRUE);    /* paid */
    case OP_LOOKUP:
    case OP_UPDATE:
    case OP_DELETE:
      return new_checkout (target, TRUE, FALSE);   /* created */
    case OP_LOOKUP_CUSTOMER:
    case OP_DELETE_CUSTOMER:
      return must (target, OP_CREATE_CUSTOMER, NULL);
    default:
      g_assert_not_reached ();
    }
}

/* The ledger's stored JSON of one object and its deleted mark; "absent" when the
 * ledger does not know it. The refresh error is left out on purpose: a failed
 * look-up records why it failed, and that is not a change of the object. */
static char *
object_fingerprint (Target     *target,
                    gboolean    customer,
                    const char *id)
{
  NpLedger *ledger = target->t->ledger;
  gint64 account_id = np_account_get_id (target->account);

  if (customer)
    {
      g_autoptr(NpCustomerRow) row = np_ledger_get_customer_row (ledger, account_id, id, NULL);
      g_autoptr(NpCustomer) stored = np_ledger_get_customer (ledger, account_id, id, NULL);
      g_autofree char *json = stored ? np_customer_to_json (stored, FALSE) : NULL;

      if (row == NULL)
        return g_strdup ("absent");
      return g_strdup_printf ("%s deleted=%d %s", id, np_customer_row_get_deleted (row), json ? json : "no JSON");
    }
  else
    {
      g_autoptr(NpCheckoutRow) row = np_ledger_get_checkout_row (ledger, account_id, id, NULL);
      g_autoptr(NpCheckout) stored = np_ledger_get_checkout (ledger, account_id, id, NULL);
      g_autofree char *json = stored ? np_checkout_to_json (stored, FALSE) : NULL;

      if (row == NULL)
        return g_strdup ("absent");
      return g_strdup_printf ("%s deleted=%d %s", id, np_checkout_row_get_deleted (row), json ? json : "no JSON");
    }
}

/* What the ledger holds of the object @op works on, or, for a create (no @id),
 * of every checkout and customer of the account, to compare before and after a
 * failed call. */
static char *
fingerprint (Target     *target,
             Op          op,
             const char *id)
{
  NpLedger *ledger = target->t->ledger;
  gint64 account_id = np_account_get_id (target->account);
  g_autoptr(GPtrArray) checkouts = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  GString *all;

  if (id != NULL)
    {
      g_autofree char *stored = object_fingerprint (target, ops[op].customer, id);

      /* Prepared through the workspace: the ledger knows the object. */
      g_assert_cmpstr (stored, !=, "absent");
      return g_steal_pointer (&stored);
    }

  checkouts = np_ledger_list_checkouts (ledger, account_id, NULL, 0, G_MAXUINT, NULL);
  customers = np_ledger_list_customers (ledger, account_id, NULL, 0, G_MAXUINT, NULL);
  g_assert_nonnull (checkouts);
  g_assert_nonnull (customers);
  all = g_string_new (NULL);
  g_string_append_printf (all, "checkouts=%u customers=%u\n", checkouts->len, customers->len);
  for (guint i = 0; i < checkouts->len; i++)
    {
      g_autofree char *one = object_fingerprint (target, FALSE,
                                                 np_checkout_row_get_checkout_id (g_ptr_array_index (checkouts, i)));
      g_string_append_printf (all, "%s\n", one);
    }
  for (guint i = 0; i < customers->len; i++)
    {
      g_autofree char *one = object_fingerprint (target, TRUE,
                                                 np_customer_row_get_customer_id (g_ptr_array_index (customers, i)));
      g_string_append_printf (all, "%s\n", one);
    }
  return g_string_free (all, FALSE);
}

/* The account's journal rows up to @last_id: a call adds its own row and may
 * change no other. In @max_id, the newest row's id (0 when there is none). */
static char *
journal_fingerprint (Target *target,
                     gint64  last_id,
                     gint64 *max_id)
{
  g_autoptr(GPtrArray) entries = np_ledger_journal_list (target->t->ledger, np_account_get_id (target->account),
                                                        NULL, 0, G_MAXUINT, NULL);
  GString *all = g_string_new (NULL);

  g_assert_nonnull (entries);
  if (max_id != NULL)
    *max_id = 0;
  for (guint i = 0; i < entries->len; i++)
    {
      NpJournalEntry *entry = g_ptr_array_index (entries, i);
      gint64 id = np_journal_entry_get_id (entry);
      const char *object_id = np_journal_entry_get_object_id (entry);
      const char *settled = np_journal_entry_get_settled_status (entry);
      const char *error_text = np_journal_entry_get_error_text (entry);

      if (max_id != NULL)
        *max_id = MAX (*max_id, id);
      if (id > last_id)
        continue;
      g_string_append_printf (all, "%" G_GINT64_FORMAT " %s %s %s %s %s\n", id,
                              np_journal_operation_to_string (np_journal_entry_get_operation (entry)),
                              np_journal_state_to_string (np_journal_entry_get_state (entry)),
                              object_id ? object_id : "-", settled ? settled : "-", error_text ? error_text : "-");
    }
  return g_string_free (all, FALSE);
}

static NpJournalEntry *
latest_entry (Target *target)
{
  g_autoptr(GPtrArray) entries = np_ledger_journal_list (target->t->ledger, np_account_get_id (target->account),
                                                        NULL, 0, 1, NULL);

  return entries != NULL && entries->len > 0 ? g_object_ref (g_ptr_array_index (entries, 0)) : NULL;
}

static guint
count_journal (Target *target)
{
  g_autoptr(GPtrArray) entries = np_ledger_journal_list (target->t->ledger, np_account_get_id (target->account),
                                                        NULL, 0, G_MAXUINT, NULL);

  return entries != NULL ? entries->len : 0;
}

/* What should happen ---------------------------------------------------------- */

typedef struct {
  int            codes[3];   /* acceptable NP_CLIENT_ERROR codes, -1 terminated */
  NpJournalState state;      /* for mutating operations */
  const char    *words;      /* a phrase the message must contain */
} Expected;

static Expected
expected (Op          op,
          const char *fault)
{
  gboolean mutating = ops[op].mutating;
  Expected e = { { -1, -1, -1 }, NP_JOURNAL_STATE_FAILED, NULL };
  const struct { const char *fault; int code; const char *words; } plain[] = {
    { "status:400", NP_CLIENT_ERROR_INVALID_REQUEST, "refused the request" },
    { "status:401", NP_CLIENT_ERROR_UNAUTHORIZED, "API key was refused" },
    { "status:403", NP_CLIENT_ERROR_FORBIDDEN, "not allowed" },
    { "status:404", NP_CLIENT_ERROR_NOT_FOUND, "does not know" },
    { "status:409", NP_CLIENT_ERROR_INVALID_REQUEST, "refused the request" },
    { "status:422", NP_CLIENT_ERROR_INVALID_REQUEST, "refused the request" },
    { "status:429", NP_CLIENT_ERROR_RATE_LIMITED, "Too many requests" },
    { "status:500", NP_CLIENT_ERROR_SERVER, "problem on its side" },
    { "status:503", NP_CLIENT_ERROR_SERVER, "problem on its side" },
    { "refused", NP_CLIENT_ERROR_NETWORK, "Could not reach" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    if (g_str_equal (fault, plain[i].fault))
      {
        e.codes[0] = plain[i].code;
        e.words = plain[i].words;
        return e;
      }

  /* The rest reach the server (or may have): a mutating call's outcome is unknown. */
  if (mutating)
    {
      e.codes[0] = NP_CLIENT_ERROR_OUTCOME_UNKNOWN;
      e.state = NP_JOURNAL_STATE_UNKNOWN;
      e.words = "not known whether";
      return e;
    }

  if (g_str_equal (fault, "timeout"))
    {
      e.codes[0] = NP_CLIENT_ERROR_TIMEOUT;
      e.words = "did not answer in time";
    }
  else if (g_str_equal (fault, "html"))
    {
      e.codes[0] = NP_CLIENT_ERROR_SERVER;   /* 502 from a gateway, retried, then given up */
      e.words = "problem on its side";
    }
  else if (g_str_equal (fault, "killed"))
    {
      e.codes[0] = NP_CLIENT_ERROR_NETWORK;
      e.words = "Could not reach";
    }
  else
    {
      /* malformed, truncated, drop: unreadable or lost after the retries. */
      e.codes[0] = NP_CLIENT_ERROR_BAD_RESPONSE;
      e.codes[1] = NP_CLIENT_ERROR_NETWORK;
      e.words = NULL;
    }
  return e;
}

/* One cell ---------------------------------------------------------------------- */

typedef struct {
  NpTestWorkspace *t;
  NpAccount       *current;
  guint            serial;
} Matrix;

typedef struct {
  NpTestSandbox *sandbox;
  guint          path_requests;
} CountWatch;

static const char *watch_path;

static gboolean
request_arrived (gpointer user_data)
{
  CountWatch *watch = user_data;

  return np_test_sandbox_count_requests (watch->sandbox, watch_path) > watch->path_requests;
}

#define CHECK(cond, ...) G_STMT_START { \
    if (!(cond) && why->len == 0) g_string_printf (why, __VA_ARGS__); \
  } G_STMT_END

static gboolean
code_expected (const Expected *e,
               const GError   *error)
{
  if (error == NULL || error->domain != NP_CLIENT_ERROR)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (e->codes) && e->codes[i] >= 0; i++)
    if (error->code == e->codes[i])
      return TRUE;
  return FALSE;
}

static guint
port_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return g_uri_get_port (uri);
}

/* Runs @op under @fault; returns NULL when the cell passes, else why not. In
 * @note, anything worth a footnote (a create's UNKNOWN has no id to look up). */
static char *
run_cell (Matrix      *m,
          Op           op,
          const char  *fault,
          char       **note)
{
  g_autoptr(GString) why = g_string_new (NULL);
  g_autoptr(NpTestSandbox) own_sandbox = NULL;     /* "refused" and "killed" */
  g_autoptr(NpSandboxThread) revived = NULL;
  g_autoptr(NpAccount) own_account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NpJournalEntry) entry = NULL;
  g_autofree char *id = NULL;
  g_autofree char *made = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *journal_before = NULL;
  g_autofree char *journal_after = NULL;
  g_autofree char *message = NULL;
  g_autofree char *state_path = NULL;
  g_autofree char *test_key = NULL;
  g_autofree char *live_key = NULL;
  gboolean refused = g_str_equal (fault, "refused");
  gboolean killed = g_str_equal (fault, "killed");
  Expected e = expected (op, fault);
  Target target = { m->t, m->t->sandbox, m->t->account };
  guint n_journal, n_requests = 0, n_sent = 0, port = 0;
  gint64 last_journal_id = 0;

  *note = NULL;
  if (refused)
    {
      g_autofree char *name = g_strdup_printf ("Refused %u", ++m->serial);

      /* A sandbox that is stopped once the objects exist: its port is then closed. */
      own_sandbox = np_test_sandbox_new ();
      own_account = add_account (m->t, name, np_test_sandbox_get_base_url (own_sandbox),
                                 np_test_sandbox_get_test_key (own_sandbox));
      target.sandbox = own_sandbox;
      target.account = own_account;
    }
  else if (killed)
    {
      g_autofree char *name = g_strdup_printf ("Killed %u", ++m->serial);

      state_path = g_strdup_printf ("%s/killed-sandbox-%u.json", np_test_get_home (), m->serial);
      own_sandbox = np_test_sandbox_new_full (state_path, NULL, NULL, 0);
      test_key = g_strdup (np_test_sandbox_get_test_key (own_sandbox));
      live_key = g_strdup (np_test_sandbox_get_live_key (own_sandbox));
      port = port_of (np_test_sandbox_get_base_url (own_sandbox));
      own_account = add_account (m->t, name, np_test_sandbox_get_base_url (own_sandbox), test_key);
      target.sandbox = own_sandbox;
      target.account = own_account;
      /* A lookup against a stopped server either hears the close or waits it out. */
      e.codes[1] = ops[op].mutating ? -1 : NP_CLIENT_ERROR_TIMEOUT;
    }
  if (m->current != target.account)
    {
      use_account (m->t, target.account);
      m->current = target.account;
    }

  id = prepare (&target, op);
  if (refused && id == NULL)
    {
      /* A create changes no object it does not make: give it some it could. */
      g_free (new_checkout (&target, TRUE, TRUE));
      g_free (must (&target, OP_CREATE_CUSTOMER, NULL));
    }
  before = fingerprint (&target, op, id);
  journal_before = journal_fingerprint (&target, G_MAXINT64, &last_journal_id);
  n_journal = count_journal (&target);
  if (target.sandbox != NULL)
    n_requests = np_test_sandbox_count_requests (target.sandbox, ops[op].path);

  if (refused)
    {
      g_clear_pointer (&own_sandbox, np_test_sandbox_free);
      target.sandbox = NULL;
    }

  if (killed)
    {
      np_client_set_timeout (np_workspace_get_client (m->t->workspace), 20);
      np_test_sandbox_add_fault (target.sandbox, ops[op].path, "latency:30000", 1);
    }
  else if (g_str_equal (fault, "timeout"))
    {
      g_autofree char *latency = g_strdup_printf ("latency:%u", CLIENT_TIMEOUT_S * 1000 + 2000);

      np_test_sandbox_add_fault (target.sandbox, ops[op].path, latency, -1);
    }
  else if (!refused)
    np_test_sandbox_add_fault (target.sandbox, ops[op].path, fault, -1);

  start_op (&target, op, id, &result);
  if (killed)
    {
      CountWatch watch = { own_sandbox, n_requests };

      /* The request is in the server, held by the latency rule: stop the server. */
      watch_path = ops[op].path;
      np_test_wait_until (request_arrived, &watch, WAIT_MS, "the request to reach the sandbox");
      n_sent = np_test_sandbox_count_requests (own_sandbox, ops[op].path) - n_requests;
      g_clear_pointer (&own_sandbox, np_test_sandbox_free);
      target.sandbox = NULL;
    }
  made = finish_op (&target, op, &result, &error);

  CHECK (made == NULL && error != NULL, "succeeded");
  CHECK (code_expected (&e, error), "%s %d: %s", error ? g_quark_to_string (error->domain) : "no error",
         error ? error->code : 0, error ? error->message : "");
  if (error != NULL)
    {
      message = np_workspace_describe_error (error);
      CHECK (message != NULL && *message != '\0', "empty message");
      CHECK (g_strcmp0 (message, error->message) != 0, "raw message: %s", message);
      CHECK (e.words == NULL || strstr (message, e.words) != NULL, "message without “%s”: %s", e.words, message);
    }

  after = fingerprint (&target, op, id);
  CHECK (g_str_equal (before, after), "ledger changed: %s → %s", before, after);
  journal_after = journal_fingerprint (&target, last_journal_id, NULL);
  CHECK (g_str_equal (journal_before, journal_after), "journal rows changed: %s → %s",
         journal_before, journal_after);

  if (ops[op].mutating)
    {
      entry = latest_entry (&target);
      CHECK (count_journal (&target) == n_journal + 1, "journal rows %u → %u", n_journal, count_journal (&target));
      CHECK (entry != NULL && np_journal_entry_get_operation (entry) == ops[op].journal, "wrong journal row");
      CHECK (entry != NULL && np_journal_entry_get_state (entry) == e.state, "journal %s, expected %s",
             entry ? np_journal_state_to_string (np_journal_entry_get_state (entry)) : "none",
             np_journal_state_to_string (e.state));
      CHECK (entry != NULL && np_journal_entry_get_error_text (entry) != NULL, "journal row without a reason");
    }
  else
    CHECK (count_journal (&target) == n_journal, "a look-up wrote to the journal");

  /* Sent once (mutating), at least once (look-ups may retry). */
  if (target.sandbox != NULL)
    {
      np_test_sandbox_clear_faults (target.sandbox);
      n_sent = np_test_sandbox_count_requests (target.sandbox, ops[op].path) - n_requests;
    }
  if (!refused)
    {
      if (ops[op].mutating)
        CHECK (n_sent == 1, "sent %u times", n_sent);
      else
        CHECK (n_sent >= 1, "never sent");
    }

  if (killed)
    {
      NpSandboxOptions options = { .state_path = state_path, .test_key = test_key, .live_key = live_key };
      g_autoptr(GError) start_error = NULL;

      /* Back on the same port with the state it saved, so the look-up can settle. */
      revived = np_sandbox_thread_start (&options, "127.0.0.1", port, &start_error);
      g_assert_no_error (start_error);
      np_client_set_timeout (np_workspace_get_client (m->t->workspace), CLIENT_TIMEOUT_S);
    }

  if (ops[op].mutating && e.state == NP_JOURNAL_STATE_UNKNOWN && entry != NULL && why->len == 0)
    {
      if (id != NULL)
        {
          g_autoptr(GError) lookup_error = NULL;
          g_autoptr(NpJournalEntry) settled = NULL;
          g_autofree char *seen = run_op (&target, ops[op].customer ? OP_LOOKUP_CUSTOMER : OP_LOOKUP, id,
                                          &lookup_error);

          settled = np_ledger_journal_get (m->t->ledger, np_journal_entry_get_id (entry), NULL);
          CHECK (settled != NULL && !np_journal_entry_needs_attention (settled),
                 "a look-up did not settle it (%s)", lookup_error ? lookup_error->message : "look-up succeeded");
        }
      else
        {
          CHECK (np_journal_entry_needs_attention (entry), "an unknown create does not ask for attention");
          *note = g_strdup ("create: no id, stays needs-attention");
        }
    }

  if (revived != NULL)
    np_sandbox_thread_stop (revived);
  if (own_account != NULL)
    {
      use_account (m->t, m->t->account);
      m->current = m->t->account;
      remove_account (m->t, own_account);
    }

  return why->len > 0 ? g_strdup (why->str) : NULL;
}

/* The table ----------------------------------------------------------------------- */

static void
test_fault_matrix (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(GString) table = g_string_new (NULL);
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  const char *only = g_getenv ("NP_MATRIX_ONLY");   /* "refund" or "refund:drop", to debug one */
  Matrix m = { t, t->account, 0 };
  guint n_pass = 0, n_cells = 0;

  use_account (t, t->account);

  g_string_append_printf (table, "%-12s", "");
  for (guint f = 0; f < N_FAULTS; f++)
    g_string_append_printf (table, " %-10s", g_str_has_prefix (faults[f], "status:") ? faults[f] + 7 : faults[f]);
  g_string_append_c (table, '\n');

  for (Op op = 0; op < N_OPS; op++)
    {
      g_string_append_printf (table, "%-12s", ops[op].name);
      for (guint f = 0; f < N_FAULTS; f++)
        {
          g_autofree char *cell = g_strdup_printf ("%s:%s", ops[op].name, faults[f]);
          g_autofree char *why = NULL;
          g_autofree char *note = NULL;

          if (only != NULL && !g_str_equal (only, ops[op].name) && !g_str_equal (only, cell))
            {
              g_string_append_printf (table, " %-10s", "-");
              continue;
            }
          why = run_cell (&m, op, faults[f], &note);
          n_cells++;
          if (why == NULL)
            n_pass++;
          else
            g_ptr_array_add (failures, g_strdup_printf ("%s: %s", cell, why));
          if (note != NULL)
            g_ptr_array_add (notes, g_strdup_printf ("%s: %s", cell, note));
          g_string_append_printf (table, " %-10s", why == NULL ? (note ? "pass*" : "pass") : "FAIL");
        }
      g_string_append_c (table, '\n');
    }

  {
    g_auto(GStrv) lines = g_strsplit (table->str, "\n", -1);

    g_test_message ("Fault matrix: %u of %u cells pass", n_pass, n_cells);
    for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
      g_test_message ("%s", lines[i]);
    for (guint i = 0; i < notes->len; i++)
      g_test_message ("* %s", (const char *) g_ptr_array_index (notes, i));
    for (guint i = 0; i < failures->len; i++)
      g_test_message ("FAIL %s", (const char *) g_ptr_array_index (failures, i));
  }

  g_assert_cmpuint (failures->len, ==, 0);
  g_assert_cmpuint (n_pass, ==, n_cells);
}

int
main (int argc, char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/reliability/fault-matrix", test_fault_matrix);

  return g_test_run ();
}
