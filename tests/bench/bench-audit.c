/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-audit.c — the audit trail's verification at 10,000 journal operations
 * (issue 25: ≤ 1 s). The operations go through the journal's own begin and
 * finish, so each is chained as the console chains it; every run must verify
 * all 10,000 rows (a walk that stops early, and so is fast, fails), and a run
 * after one row is edited must name that row.
 *
 *   meson test -C _build --suite bench bench-audit --verbose
 */
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "np-bench-figures.h"
#include "np-ledger.h"
#include "np-test-utils.h"

#define N_OPERATIONS 10000
#define RUNS 5
#define TARGET_MS 1000.0

static gint64
fill (NpLedger *ledger)
{
  g_autoptr(NpAccount) account = np_account_new ("Bench", "https://api.neuro-admin.com", NP_ENVIRONMENT_TEST);
  g_autoptr(GError) error = NULL;
  static const char * const currencies[] = { "SEK", "JPY", "KWD" };
  gint64 middle = 0;

  np_ledger_add_account (ledger, account, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_OPERATIONS; i++)
    {
      g_autoptr(JsonObject) details = json_object_new ();
      g_autofree char *object_id = g_strdup_printf ("chk_%06u", i / 3);
      gint64 id;

      json_object_set_int_member (details, "amount", 100 + i);
      json_object_set_string_member (details, "currency", currencies[i % 3]);
      json_object_set_string_member (details, "reason", "Customer asked for it back");
      id = np_ledger_journal_begin (ledger, np_account_get_id (account),
                                    i % 3 == 0 ? NP_JOURNAL_OPERATION_CREATE : NP_JOURNAL_OPERATION_REFUND,
                                    object_id, "Bench operation", details, &error);
      g_assert_no_error (error);
      np_ledger_journal_finish (ledger, id, i % 7 == 0 ? NP_JOURNAL_STATE_FAILED : NP_JOURNAL_STATE_SUCCEEDED,
                                i % 7 == 0 ? "declined" : NULL, NULL, &error);
      g_assert_no_error (error);
      if (i == N_OPERATIONS / 2)
        middle = id;
    }

  return middle;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(NpBenchFigure) figure = NULL;
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 start;
  gint64 middle;
  gint64 bad = 0;

  np_test_init (&argc, &argv);
  np_bench_drop_debug_messages ();

  path = g_build_filename (g_get_user_data_dir (), "bench-audit.db", NULL);
  ledger = np_ledger_open (path, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  middle = fill (ledger);
  g_print ("# %d operations journalled and chained in %.0f ms\n", N_OPERATIONS, np_bench_ms_since (start));

  figure = np_bench_figure_new ("audit trail verify, 10,000 operations", "ms", NP_BENCH_AT_MOST, TARGET_MS);
  for (guint run = 0; run < RUNS; run++)
    {
      guint n_rows = 0;

      start = g_get_monotonic_time ();
      g_assert_true (np_ledger_verify_chain (ledger, 0, &n_rows, NULL, NULL, &error));
      np_bench_figure_add (figure, np_bench_ms_since (start));
      g_assert_no_error (error);
      g_assert_cmpuint (n_rows, ==, N_OPERATIONS);
    }
  np_bench_figure_report (figure);

  /* The same walk finds an edit in the middle. */
  g_clear_object (&ledger);
  {
    sqlite3 *db = NULL;
    g_autofree char *sql = g_strdup_printf ("UPDATE journal SET summary = 'edited' WHERE id = %" G_GINT64_FORMAT,
                                            middle);

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  ledger = np_ledger_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (np_ledger_verify_chain (ledger, 0, NULL, NULL, &bad, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_TAMPERED);
  g_assert_cmpint (bad, ==, middle);

  return np_bench_figures_exit_status ();
}
