/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-test-workspace.c — a ready workspace for tests: real sandbox, ledger, keyring. */
#include "np-test-workspace.h"

#define WAIT_MS 15000

NpTestWorkspace *
np_test_workspace_new (NpEnvironment environment)
{
  NpTestWorkspace *t = g_new0 (NpTestWorkspace, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean live = environment == NP_ENVIRONMENT_LIVE;

  t->sandbox = np_test_sandbox_new ();
  t->ledger = np_ledger_open (NULL, &error);
  g_assert_no_error (error);
  t->keyring = np_keyring_new (np_ledger_get_id (t->ledger));
  t->accounts = np_accounts_new (t->ledger, t->keyring);
  t->workspace = np_workspace_new (t->ledger, t->accounts);

  /* Unique within the process: several workspaces may share one test home. */
  {
    const char *base = live ? "Live shop" : "Test shop";
    g_autofree char *name = g_strdup (base);

    for (guint i = 2; np_accounts_find_by_name (t->accounts, name) != NULL; i++)
      {
        g_free (name);
        name = g_strdup_printf ("%s %u", base, i);
      }
    t->account = np_account_new (name, np_test_sandbox_get_base_url (t->sandbox), environment);
  }
  np_accounts_add_async (t->accounts, t->account,
                         live ? np_test_sandbox_get_live_key (t->sandbox)
                              : np_test_sandbox_get_test_key (t->sandbox),
                         NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  np_accounts_add_finish (t->accounts, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  np_workspace_set_account_async (t->workspace, t->account, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, WAIT_MS);
  np_workspace_set_account_finish (t->workspace, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (np_workspace_get_client (t->workspace));

  return t;
}

void
np_test_workspace_free (NpTestWorkspace *t)
{
  if (t == NULL)
    return;

  /* Leave no key behind in the keyring of the harness (removing clears it). */
  if (t->accounts != NULL && t->account != NULL && np_account_get_id (t->account) > 0
      && np_accounts_find (t->accounts, np_account_get_id (t->account)) != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;

      np_accounts_remove_async (t->accounts, t->account, NULL, np_test_store_result, &result);
      np_test_wait_result (&result, WAIT_MS);
      np_accounts_remove_finish (t->accounts, result, NULL);
    }

  g_clear_object (&t->account);
  if (t->workspace != NULL)
    g_object_run_dispose (G_OBJECT (t->workspace));
  g_clear_object (&t->workspace);
  g_clear_object (&t->accounts);
  g_clear_object (&t->keyring);
  g_clear_object (&t->ledger);
  g_clear_pointer (&t->sandbox, np_test_sandbox_free);
  g_free (t);
}

NpCheckout *
np_test_workspace_wait_checkout (NpTestWorkspace  *t,
                                 GAsyncResult    **result)
{
  g_autoptr(GError) error = NULL;
  NpCheckout *checkout;

  np_test_wait_result (result, WAIT_MS);
  checkout = np_workspace_checkout_finish (t->workspace, *result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (checkout);
  g_clear_object (result);

  return checkout;
}

NpCheckout *
np_test_workspace_create_checkout (NpTestWorkspace *t,
                                   gint64           amount,
                                   const char      *currency,
                                   gboolean         capture)
{
  g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();
  g_autoptr(GAsyncResult) result = NULL;

  draft->amount = amount;
  draft->currency = g_strdup (currency);
  draft->message = g_strdup ("Test order");
  draft->return_url = g_strdup ("https://merchant.example/success");
  draft->return_url_cancel = g_strdup ("https://merchant.example/cancel");
  draft->capture = capture;

  np_workspace_create_checkout_async (t->workspace, draft, NULL, np_test_store_result, &result);
  return np_test_workspace_wait_checkout (t, &result);
}

NpCheckout *
np_test_workspace_pay (NpTestWorkspace *t,
                       const char      *checkout_id)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_true (np_test_sandbox_pay (t->sandbox, checkout_id, "success"));

  np_workspace_lookup_checkout_async (t->workspace, checkout_id, NULL, np_test_store_result, &result);
  return np_test_workspace_wait_checkout (t, &result);
}
