/* test-kill-loop.c — SIGKILL the console's work at random points, 50 times.
 *
 * A helper process (kill-loop-helper) refunds or refreshes through NpWorkspace on
 * the real ledger file against the sandbox; it is killed after a random delay
 * (seeded, so a failure reproduces). After each kill: PRAGMA integrity_check is
 * ok, every journal row the helper reported finished is still there with its
 * state, no checkout row is lost, and reopening the ledger leaves no row PENDING
 * (every in-flight refund is UNKNOWN). Figures are printed.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "np-ledger-check.h"
#include "np-test-workspace.h"

#define RUNS 50
#define SEED 20261124

static const char *helper_path;

typedef struct {
  guint n_checkouts;
  guint n_journal;
} Counts;

static Counts
count_rows (NpLedger *ledger,
            gint64    account_id)
{
  g_autoptr(GPtrArray) journal = np_ledger_journal_list (ledger, account_id, NULL, 0, G_MAXUINT, NULL);
  Counts counts = { 0, journal ? journal->len : 0 };

  np_ledger_count_checkouts (ledger, account_id, NULL, &counts.n_checkouts, NULL);
  return counts;
}

static guint
count_pending (NpLedger *ledger,
               gint64    account_id)
{
  g_autoptr(GPtrArray) journal = np_ledger_journal_list (ledger, account_id, NULL, 0, G_MAXUINT, NULL);
  guint n = 0;

  for (guint i = 0; i < journal->len; i++)
    if (np_journal_entry_get_state (g_ptr_array_index (journal, i)) == NP_JOURNAL_STATE_PENDING)
      n++;
  return n;
}

static void
test_kill_loop (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autofree char *path = g_strdup (np_ledger_get_path (t->ledger));
  gint64 account_id = np_account_get_id (t->account);
  guint losses = 0, unknowns = 0, reported = 0, killed_working = 0;

  /* 12 paid checkouts to refund (1.00 at a time, 1,000 each), 12 open ones to refresh. */
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(NpCheckout) paid = np_test_workspace_create_checkout (t, 100000, "SEK", TRUE);
      g_autoptr(NpCheckout) after = np_test_workspace_pay (t, np_checkout_get_id (paid));
      g_autoptr(NpCheckout) open = np_test_workspace_create_checkout (t, 1500, "EUR", TRUE);
    }

  for (guint run = 0; run < RUNS; run++)
    {
      const char *mode = run % 2 == 0 ? "refund" : "refresh";
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(NpLedger) reopened = NULL;
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;
      Counts before = count_rows (t->ledger, account_id), after;
      guint delay_ms = g_rand_int_range (rand, 50, 1500);

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                helper_path, mode, np_account_get_name (t->account), NULL);
      g_assert_no_error (error);
      /* The random point: what the helper is doing then is what the kill interrupts. */
      g_usleep (delay_ms * 1000);
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));

      /* As the kill left it, before anything recovers it. */
      np_ledger_check_integrity (path, &error);
      g_assert_no_error (error);

      lines = g_strsplit (out ? out : "", "\n", -1);
      if (strstr (out ? out : "", "ready") != NULL)
        killed_working++;
      for (guint i = 0; lines[i] != NULL; i++)
        {
          gint64 id;
          char state[16];
          g_autoptr(NpJournalEntry) entry = NULL;

          if (sscanf (lines[i], "journal %" G_GINT64_FORMAT " %15s", &id, state) != 2)
            continue;
          reported++;
          entry = np_ledger_journal_get (t->ledger, id, NULL);
          if (entry == NULL || !g_str_equal (np_journal_state_to_string (np_journal_entry_get_state (entry)), state))
            losses++;
        }

      reopened = np_ledger_open (path, &error);
      g_assert_no_error (error);
      unknowns += np_ledger_get_n_recovered (reopened);
      g_assert_cmpuint (count_pending (reopened, account_id), ==, 0);

      after = count_rows (reopened, account_id);
      if (after.n_checkouts < before.n_checkouts || after.n_journal < before.n_journal)
        losses++;
      g_test_message ("run %u (%s, killed after %u ms): journal %u → %u, checkouts %u → %u, recovered %u",
                      run + 1, mode, delay_ms, before.n_journal, after.n_journal,
                      before.n_checkouts, after.n_checkouts, np_ledger_get_n_recovered (reopened));
    }

  np_ledger_check_integrity (path, NULL);
  g_test_message ("Kill loop: %u runs (%u while working), %u finished refunds reported and checked, "
                  "%u losses, %u in-flight calls found UNKNOWN on reopen",
                  RUNS, killed_working, reported, losses, unknowns);
  g_assert_cmpuint (losses, ==, 0);
  g_assert_cmpuint (reported, >, 0);
}

int
main (int argc, char *argv[])
{
  np_test_init (&argc, &argv);
  if (argc < 2)
    {
      g_printerr ("Usage: %s HELPER\n", argv[0]);
      return 2;
    }
  helper_path = argv[1];

  g_test_add_func ("/reliability/kill-loop", test_kill_loop);

  return g_test_run ();
}
