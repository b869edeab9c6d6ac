/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kill-loop-helper.c — the console's work, to be killed at a random moment.
 *
 * Usage: np-kill-loop-helper refund|refresh ACCOUNT-NAME
 * Opens the ledger at its default path (the driver's private XDG_DATA_HOME), makes
 * ACCOUNT-NAME current (its key from the keyring), prints "working" and then, until
 * killed, refunds 1.00 of every paid checkout one after the other, or refreshes
 * every open checkout. Every line is flushed as it is written:
 *   "refund CHECKOUT-ID" before a refund is started, "journal ID STATE" when it
 *   finished (the driver checks that every row reported is still in the ledger);
 *   "refresh" before a refresh is started, "refreshed N" when it finished.
 * A start line with no finish line after it is the call the kill interrupted.
 */
#include <stdio.h>

#include "np-workspace.h"

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
refund_round (NpWorkspace *ws,
              NpLedger    *ledger,
              gint64       account_id)
{
  g_autoptr(GPtrArray) rows = np_ledger_list_checkouts (ledger, account_id, NULL, 0, G_MAXUINT, NULL);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      NpCheckoutRow *row = g_ptr_array_index (rows, i);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(NpCheckout) checkout = NULL;
      g_autoptr(GPtrArray) latest = NULL;
      NpJournalEntry *entry;

      if (np_checkout_row_get_amount (row) - np_checkout_row_get_refunded_amount (row) < 100
          || (np_checkout_row_get_status (row) != NP_CHECKOUT_STATUS_PAID
              && np_checkout_row_get_status (row) != NP_CHECKOUT_STATUS_PARTIAL_REFUND))
        continue;

      printf ("refund %s\n", np_checkout_row_get_checkout_id (row));
      fflush (stdout);
      np_workspace_refund_checkout_async (ws, np_checkout_row_get_checkout_id (row), 100, "duplicate", NULL,
                                          NULL, store_result, &result);
      checkout = np_workspace_checkout_finish (ws, wait_for (&result), NULL);
      latest = np_ledger_journal_list (ledger, account_id, NULL, 0, 1, NULL);
      entry = g_ptr_array_index (latest, 0);
      printf ("journal %" G_GINT64_FORMAT " %s\n", np_journal_entry_get_id (entry),
              np_journal_state_to_string (np_journal_entry_get_state (entry)));
      fflush (stdout);
    }
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(NpKeyring) keyring = NULL;
  g_autoptr(NpAccounts) accounts = NULL;
  g_autoptr(NpWorkspace) ws = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  NpAccount *account;
  gboolean refund;

  if (argc != 3)
    {
      fprintf (stderr, "Usage: %s refund|refresh ACCOUNT-NAME\n", argv[0]);
      return 2;
    }
  refund = g_str_equal (argv[1], "refund");

  ledger = np_ledger_open (NULL, &error);
  if (ledger == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  keyring = np_keyring_new (np_ledger_get_id (ledger));
  accounts = np_accounts_new (ledger, keyring);
  ws = np_workspace_new (ledger, accounts);
  account = np_accounts_find_by_name (accounts, argv[2]);
  if (account == NULL)
    {
      fprintf (stderr, "No account %s\n", argv[2]);
      return 1;
    }

  np_workspace_set_account_async (ws, account, NULL, store_result, &result);
  if (!np_workspace_set_account_finish (ws, wait_for (&result), &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  g_clear_object (&result);
  printf ("working\n");
  fflush (stdout);

  for (;;)
    {
      if (refund)
        refund_round (ws, ledger, np_account_get_id (account));
      else
        {
          g_autoptr(NpRefreshSummary) summary = NULL;

          printf ("refresh\n");
          fflush (stdout);
          np_workspace_refresh_checkouts_async (ws, NULL, NULL, NULL, NULL, store_result, &result);
          summary = np_workspace_refresh_finish (ws, wait_for (&result), NULL);
          g_clear_object (&result);
          printf ("refreshed %u\n", summary ? summary->updated : 0);
          fflush (stdout);
        }
    }
}
