/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ledger-crash.c — the ledger survives being killed mid-write.
 *
 * The test binary re-executes itself as a child (--crash-child) that upserts
 * 10,000 checkouts in transactions of 1 to 20, with a journal entry open around
 * each, printing every id once its transaction has committed. The parent kills
 * it with SIGKILL after a random (seeded) number of reported ids, 20 times over
 * the same file, and each time checks PRAGMA integrity_check and that every
 * reported id is in the file. */
#include <signal.h>
#include <stdio.h>

#include "ledger-fixtures.h"
#include "np-test-utils.h"

#define N_UPSERTS 10000
#define N_KILLS 20
#define SEED 20251124

/* This binary, re-run as the child. */
static char *self_binary;

static int
run_child (const char *path,
           guint       run)
{
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + run);
  g_autoptr(GError) error = NULL;
  gint64 account;
  guint done = 0;

  ledger = np_ledger_open (path, &error);
  if (ledger == NULL)
    g_error ("child: %s", error->message);

  accounts = np_ledger_list_accounts (ledger, &error);
  account = accounts->len > 0 ? np_account_get_id (g_ptr_array_index (accounts, 0))
                              : fixture_add_account (ledger, "Crash", NP_ENVIRONMENT_TEST);

  while (done < N_UPSERTS)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
      guint size = MIN ((guint)g_rand_int_range (rand, 1, 21), N_UPSERTS - done);
      gint64 entry;

      for (guint i = 0; i < size; i++)
        {
          g_autofree char *id = g_strdup_printf ("k%02u-%05u", run, done + i);

          g_ptr_array_add (batch, fixture_checkout (&(FixtureCheckout) {
            .id = id, .identifier = id, .status = "paid", .amount = done + i,
            .created = 1764000000 + done + i, .message = "Crash test" }));
        }

      entry = np_ledger_journal_begin (ledger, account, NP_JOURNAL_OPERATION_UPDATE, NULL,
                                       "Batch", NULL, &error);
      if (entry == 0 || !np_ledger_upsert_checkouts (ledger, account, batch, &error) ||
          !np_ledger_journal_finish (ledger, entry, NP_JOURNAL_STATE_SUCCEEDED, NULL, NULL, &error))
        g_error ("child: %s", error->message);

      /* Only now is it on disk: say so. */
      for (guint i = 0; i < size; i++)
        printf ("%s\n", np_checkout_get_id (g_ptr_array_index (batch, i)));
      fflush (stdout);
      done += size;
    }

  return 0;
}

static GHashTable *
ids_in_file (const char *path)
{
  g_autofree char *column = fixture_sql_column (path, "SELECT checkout_id FROM checkouts");
  g_auto(GStrv) ids = g_strsplit (column, ",", -1);
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (set, g_strdup (ids[i]));

  return set;
}

static void
test_sigkill (void)
{
  g_autofree char *path = fixture_ledger_path ("crash");
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr(GPtrArray) reported = g_ptr_array_new_with_free_func (g_free);
  g_mkdir_with_parents (folder, 0700);

  for (guint run = 0; run < N_KILLS; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      g_autoptr(GHashTable) present = NULL;
      g_autoptr(NpLedger) ledger = NULL;
      g_autofree char *run_text = g_strdup_printf ("%u", run);
      g_autofree char *integrity = NULL;
      g_autofree char *pending = NULL;
      guint kill_after = g_rand_int_range (rand, 1, N_UPSERTS);
      guint n_read = 0;
      char *line;

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                self_binary, "--crash-child", path, run_text, NULL);
      g_assert_no_error (error);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

      while (n_read < kill_after &&
             (line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
        {
          g_ptr_array_add (reported, line);
          n_read++;
        }
      g_assert_no_error (error);

      g_subprocess_force_exit (child);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      if (n_read < N_UPSERTS)
        {
          g_assert_true (g_subprocess_get_if_signaled (child));
          g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
        }

      /* What it reported before dying is still in the pipe: committed too. */
      while ((line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
        g_ptr_array_add (reported, line);

      integrity = fixture_sql_column (path, "PRAGMA integrity_check");
      g_assert_cmpstr (integrity, ==, "ok");

      present = ids_in_file (path);
      for (guint i = 0; i < reported->len; i++)
        if (!g_hash_table_contains (present, g_ptr_array_index (reported, i)))
          g_error ("run %u: %s was reported committed but is missing", run,
                   (const char *)g_ptr_array_index (reported, i));

      /* Opening recovers: no journal entry is left pending. */
      ledger = fixture_open_ledger (path);
      g_assert_cmpuint (np_ledger_get_n_recovered (ledger), <=, 1);
      pending = fixture_sql_column (path, "SELECT count(*) FROM journal WHERE state = 'pending'");
      g_assert_cmpstr (pending, ==, "0");
    }

  g_test_message ("%u ids reported committed over %d kills, all present", reported->len, N_KILLS);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--crash-child"))
    return run_child (argv[2], (guint)g_ascii_strtoull (argv[3], NULL, 10));

  self_binary = g_canonicalize_filename (argv[0], NULL);
  np_test_init (&argc, &argv);

  g_test_add_func ("/store/crash/sigkill", test_sigkill);

  return g_test_run ();
}
