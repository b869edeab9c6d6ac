/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-kill-loop.c — SIGKILL the console's work at random points, 50 times.
 *
 * A helper process (kill-loop-helper) refunds or refreshes through NpWorkspace on
 * the real ledger file against the sandbox. Once it says "working", it is killed
 * after a random delay (seeded, so a failure reproduces): that delay is the kill
 * point, not a wait. After each kill: PRAGMA integrity_check is ok, every journal
 * row the helper reported finished is still there with its state, no checkout row
 * is lost, the only PENDING row is the one of the refund the helper had started
 * and not finished, and reopening the ledger turns exactly that row UNKNOWN.
 * Most kills must land in the middle of a call (a start line with no finish line
 * after it), and some of those in a refund with its PENDING row written: a loop
 * whose kills all land between calls, or before any, tests nothing.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "np-ledger-check.h"
#include "np-test-workspace.h"

#define RUNS 50
#define SEED 20261124
#define WAIT_MS 30000
/* After "working": a refund takes some 40 ms (see the latency below) and a
 * refresh a few, so a kill anywhere in this range interrupts one call of many. */
#define MIN_DELAY_MS 5
#define MAX_DELAY_MS 300

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

/* The journal rows still PENDING, as the kill left them. */
static GPtrArray *
list_pending (NpLedger *ledger,
              gint64    account_id)
{
  g_autoptr(GPtrArray) journal = np_ledger_journal_list (ledger, account_id, NULL, 0, G_MAXUINT, NULL);
  GPtrArray *pending = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_nonnull (journal);
  for (guint i = 0; i < journal->len; i++)
    if (np_journal_entry_get_state (g_ptr_array_index (journal, i)) == NP_JOURNAL_STATE_PENDING)
      g_ptr_array_add (pending, g_object_ref (g_ptr_array_index (journal, i)));
  return pending;
}

/* The helper's output, read line by line as it comes. */
typedef struct {
  GDataInputStream *in;
  GPtrArray        *lines;
  gboolean          working;
  gboolean          eof;
  gboolean          delay_over;
} Reader;

static void
read_next (Reader *reader);

static void
line_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);

  g_assert_no_error (error);
  if (line == NULL)
    {
      reader->eof = TRUE;
      return;
    }
  if (g_str_equal (line, "working"))
    reader->working = TRUE;
  g_ptr_array_add (reader->lines, line);
  read_next (reader);
}

static void
read_next (Reader *reader)
{
  g_data_input_stream_read_line_async (reader->in, G_PRIORITY_DEFAULT, NULL, line_read, reader);
}

static gboolean
working_or_gone (gpointer user_data)
{
  Reader *reader = user_data;

  return reader->working || reader->eof;
}

static gboolean
at_eof (gpointer user_data)
{
  return ((Reader *) user_data)->eof;
}

static gboolean
delay_over (gpointer user_data)
{
  return ((Reader *) user_data)->delay_over;
}

static gboolean
end_delay (gpointer user_data)
{
  ((Reader *) user_data)->delay_over = TRUE;
  return G_SOURCE_REMOVE;
}

/* The call in flight at the kill: the last start line ("refund ID", "refresh")
 * with no finish line after it. NULL when the kill fell between two calls. In
 * @checkout_id, the checkout of an interrupted refund. */
static const char *
call_in_flight (GPtrArray   *lines,
                const char **checkout_id)
{
  *checkout_id = NULL;
  for (guint i = lines->len; i > 0; i--)
    {
      const char *line = g_ptr_array_index (lines, i - 1);

      if (g_str_has_prefix (line, "refund "))
        {
          *checkout_id = line + strlen ("refund ");
          return "refund";
        }
      if (g_str_equal (line, "refresh"))
        return "refresh";
      if (g_str_has_prefix (line, "journal ") || g_str_has_prefix (line, "refreshed ") || g_str_equal (line, "working"))
        return NULL;
    }
  return NULL;
}

static void
test_kill_loop (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autofree char *path = g_strdup (np_ledger_get_path (t->ledger));
  g_autoptr(GError) final_error = NULL;
  gint64 account_id = np_account_get_id (t->account);
  guint losses = 0, unknowns = 0, reported = 0, mid_call = 0, refund_runs = 0;

  /* 12 paid checkouts to refund (1.00 at a time, 1,000 each), 12 open ones to refresh. */
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(NpCheckout) paid = np_test_workspace_create_checkout (t, 100000, "SEK", TRUE);
      g_autoptr(NpCheckout) after = np_test_workspace_pay (t, np_checkout_get_id (paid));
      g_autoptr(NpCheckout) open = np_test_workspace_create_checkout (t, 1500, "EUR", TRUE);
    }
  /* A refund's answer takes 20 ms, as over a real network: most of a refund is
   * then the wait for it, with the PENDING row written, where a crash hurts; the
   * rest is ledger writes, where a kill tests the transactions. */
  np_test_sandbox_add_fault (t->sandbox, "/checkout/refund", "latency:20", -1);

  for (guint run = 0; run < RUNS; run++)
    {
      const char *mode = run % 2 == 0 ? "refund" : "refresh";
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(NpLedger) reopened = NULL;
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GDataInputStream) in = NULL;
      g_autoptr(GPtrArray) pending = NULL;
      const char *in_flight, *in_flight_checkout;
      Counts before = count_rows (t->ledger, account_id), after;
      guint delay_ms = g_rand_int_range (rand, MIN_DELAY_MS, MAX_DELAY_MS + 1);
      Reader reader = { NULL, lines, FALSE, FALSE, FALSE };

      if (g_str_equal (mode, "refund"))
        refund_runs++;
      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                helper_path, mode, np_account_get_name (t->account), NULL);
      g_assert_no_error (error);
      in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
      reader.in = in;
      read_next (&reader);

      np_test_wait_until (working_or_gone, &reader, WAIT_MS, "the helper to say \"working\"");
      g_assert_true (reader.working);
      /* The random point: what the helper is doing then is what the kill interrupts. */
      g_timeout_add (delay_ms, end_delay, &reader);
      np_test_wait_until (delay_over, &reader, WAIT_MS, "the kill point");
      g_assert_false (reader.eof);   /* still at work, not exited or crashed */
      g_subprocess_send_signal (child, SIGKILL);
      np_test_wait_until (at_eof, &reader, WAIT_MS, "the killed helper's output to end");
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

      /* As the kill left it, before anything recovers it. */
      np_ledger_check_integrity (path, &error);
      g_assert_no_error (error);

      for (guint i = 0; i < lines->len; i++)
        {
          gint64 id;
          char state[16];
          g_autoptr(NpJournalEntry) entry = NULL;

          if (sscanf (g_ptr_array_index (lines, i), "journal %" G_GINT64_FORMAT " %15s", &id, state) != 2)
            continue;
          reported++;
          entry = np_ledger_journal_get (t->ledger, id, NULL);
          if (entry == NULL || !g_str_equal (np_journal_state_to_string (np_journal_entry_get_state (entry)), state))
            losses++;
        }

      /* A PENDING row is a refund started and not finished: the one in flight. */
      in_flight = call_in_flight (lines, &in_flight_checkout);
      if (in_flight != NULL)
        mid_call++;
      pending = list_pending (t->ledger, account_id);
      g_assert_cmpuint (pending->len, <=, 1);
      if (pending->len == 1)
        {
          g_assert_cmpstr (in_flight, ==, "refund");
          g_assert_cmpstr (np_journal_entry_get_object_id (g_ptr_array_index (pending, 0)), ==, in_flight_checkout);
        }

      reopened = np_ledger_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (np_ledger_get_n_recovered (reopened), ==, pending->len);
      for (guint i = 0; i < pending->len; i++)
        {
          gint64 id = np_journal_entry_get_id (g_ptr_array_index (pending, i));
          g_autoptr(NpJournalEntry) entry = np_ledger_journal_get (reopened, id, &error);

          g_assert_no_error (error);
          g_assert_cmpstr (np_journal_state_to_string (np_journal_entry_get_state (entry)), ==, "unknown");
          g_assert_true (np_journal_entry_needs_attention (entry));
          unknowns++;
        }
      {
        g_autoptr(GPtrArray) still_pending = list_pending (reopened, account_id);

        g_assert_cmpuint (still_pending->len, ==, 0);
      }

      after = count_rows (reopened, account_id);
      if (after.n_checkouts < before.n_checkouts || after.n_journal < before.n_journal)
        losses++;
      g_test_message ("run %u (%s, killed %u ms after \"working\", %s): journal %u → %u, checkouts %u → %u, "
                      "recovered %u", run + 1, mode, delay_ms,
                      in_flight ? "mid-call" : "between calls", before.n_journal, after.n_journal,
                      before.n_checkouts, after.n_checkouts, np_ledger_get_n_recovered (reopened));
    }

  g_assert_true (np_ledger_check_integrity (path, &final_error));
  g_assert_no_error (final_error);
  g_test_message ("Kill loop: %u kills, %u mid-call, %u finished refunds reported and checked, %u losses, "
                  "%u in-flight refunds (of %u refund runs) found UNKNOWN on reopen",
                  RUNS, mid_call, reported, losses, unknowns, refund_runs);
  g_assert_cmpuint (losses, ==, 0);
  /* Most kills interrupted a call, and many refund runs (some 3 in 4 on this
   * machine) were killed with the refund's PENDING row written: the recovery was
   * tested, not only the kills between calls. */
  g_assert_cmpuint (mid_call, >=, RUNS * 3 / 4);
  g_assert_cmpuint (unknowns, >=, refund_runs / 3);
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
