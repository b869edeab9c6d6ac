/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-team-audit.c — the team ledger's audit chain verified at 10,000 finished
 * journal rows (issue 25: ≤ 1 s), on a real PostgreSQL cluster (np-test-postgres).
 *
 * The rows go through the team ledger's own begin and finish, as a desk journals
 * an operation, so each link is computed and checked (the database's trigger)
 * the product's way; the calls are queued in batches so the worker is never idle
 * waiting on the main loop. Every run must verify all 10,000 rows (a walk that
 * stops early, and so is fast, fails), and a run after a superuser edits one row
 * must name that row.
 *
 *   build-aux/bench bench-team-audit
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "np-bench-figures.h"
#include "np-team-ledger.h"
#include "np-test-postgres.h"
#include "np-test-utils.h"

#define N_OPERATIONS 10000
#define BATCH 500
#define RUNS 5
#define TARGET_MS 1000.0
#define WAIT_MS 120000
#define ACCOUNT_ID "5f0e1c7a-3b2d-4c1e-9a8f-0123456789ab"

/* A batch of queued calls and their answers. */
typedef struct
{
  NpTeamLedger *ledger;
  gint64        ids[BATCH];
  guint         n_queued;
  guint         n_answered;
} Batch;

typedef struct
{
  Batch *batch;
  guint  index;
} Call;

static gboolean
batch_answered (gpointer user_data)
{
  Batch *batch = user_data;

  return batch->n_answered == batch->n_queued;
}

static void
begun (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autofree Call *call = user_data;
  g_autoptr(GError) error = NULL;

  call->batch->ids[call->index] = np_team_ledger_begin_operation_finish (NP_TEAM_LEDGER (source), result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (call->batch->ids[call->index], >, 0);
  call->batch->n_answered++;
}

static void
finished (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree Call *call = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (np_team_ledger_finish_operation_finish (NP_TEAM_LEDGER (source), result, &error));
  g_assert_no_error (error);
  call->batch->n_answered++;
}

static Call *
call_new (Batch *batch,
          guint  index)
{
  Call *call = g_new0 (Call, 1);

  call->batch = batch;
  call->index = index;
  batch->n_queued++;
  return call;
}

/* Journals and finishes N_OPERATIONS rows: creates, and refunds in three
 * currencies, some failed. Returns the id of the row in the middle. */
static gint64
fill (NpTeamLedger *ledger)
{
  static const char * const currencies[] = { "SEK", "JPY", "KWD" };
  gint64 middle = 0;

  for (guint first = 0; first < N_OPERATIONS; first += BATCH)
    {
      Batch batch = { ledger, { 0 }, 0, 0 };

      for (guint k = 0; k < BATCH; k++)
        {
          guint i = first + k;
          gboolean create = i % 3 == 0;
          g_autoptr(JsonObject) details = json_object_new ();
          g_autofree char *object_id = g_strdup_printf ("chk_%06u", i);

          json_object_set_string_member (details, "reason", "Customer asked for it back");
          np_team_ledger_begin_operation_async (ledger, ACCOUNT_ID,
                                                create ? NP_JOURNAL_OPERATION_CREATE : NP_JOURNAL_OPERATION_REFUND,
                                                create ? NULL : object_id, 100 + i, currencies[i % 3],
                                                "Bench operation", details, NULL, begun, call_new (&batch, k));
        }
      np_test_wait_until (batch_answered, &batch, WAIT_MS, "a batch of begun operations");

      batch.n_queued = batch.n_answered = 0;
      for (guint k = 0; k < BATCH; k++)
        {
          guint i = first + k;
          gboolean failed = i % 7 == 0;
          g_autofree char *object_id = g_strdup_printf ("chk_%06u", i);

          np_team_ledger_finish_operation_async (ledger, batch.ids[k],
                                                 failed ? NP_JOURNAL_STATE_FAILED : NP_JOURNAL_STATE_SUCCEEDED,
                                                 failed ? "declined" : NULL, i % 3 == 0 ? object_id : NULL,
                                                 NULL, finished, call_new (&batch, k));
          if (i == N_OPERATIONS / 2)
            middle = batch.ids[k];
        }
      np_test_wait_until (batch_answered, &batch, WAIT_MS, "a batch of finished operations");
    }

  return middle;
}

static NpTeamLedger *
open_desk (NpTestPostgres *pg,
           const char     *dbname,
           const char     *desk_name,
           const char     *role,
           gboolean        may_create)
{
  g_autoptr(NpTeamLedger) ledger = np_team_ledger_new (desk_name);
  g_autofree char *uri = np_test_postgres_dup_uri (pg, role, dbname);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  np_team_ledger_connect_async (ledger, uri, np_test_postgres_get_password (pg), NULL, np_test_store_result,
                                &result);
  g_assert_true (np_team_ledger_connect_finish (ledger, np_test_wait_result (&result, WAIT_MS), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  np_team_ledger_ensure_schema_async (ledger, may_create, NULL, np_test_store_result, &result);
  g_assert_cmpint (np_team_ledger_ensure_schema_finish (ledger, np_test_wait_result (&result, WAIT_MS), &error), ==,
                   NP_TEAM_LEDGER_SCHEMA_VERSION);
  g_assert_no_error (error);
  return g_steal_pointer (&ledger);
}

static gboolean
verify (NpTeamLedger  *ledger,
        guint         *out_n_rows,
        char         **out_head,
        gint64        *out_bad_entry,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_team_ledger_verify_chain_async (ledger, ACCOUNT_ID, NULL, np_test_store_result, &result);
  return np_team_ledger_verify_chain_finish (ledger, np_test_wait_result (&result, WAIT_MS), out_n_rows, out_head,
                                             out_bad_entry, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(NpBenchFigure) figure = NULL;
  g_autoptr(NpTeamLedger) owner = NULL;
  g_autoptr(NpTeamLedger) desk = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dbname = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *head_seq = NULL;
  NpTestPostgres *pg;
  gint64 start;
  gint64 middle;
  gint64 bad = 0;

  np_test_init (&argc, &argv);
  np_bench_drop_debug_messages ();

  pg = np_test_postgres_start ();
  np_test_postgres_create_role (pg, "team_owner", "");
  np_test_postgres_create_group_role (pg, "np_desk");
  np_test_postgres_create_role (pg, "team_desk", "IN ROLE np_desk");
  dbname = np_test_postgres_create_database (pg, "team_owner");
  owner = open_desk (pg, dbname, "ADMIN-DESK", "team_owner", TRUE);
  desk = open_desk (pg, dbname, "DESK-A", "team_desk", FALSE);

  np_team_ledger_upsert_account_async (owner, ACCOUNT_ID, "Bench", "https://api.neuro-admin.com", "test",
                                       NULL, np_test_store_result, &result);
  g_assert_true (np_team_ledger_upsert_account_finish (owner, np_test_wait_result (&result, WAIT_MS), &error));
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  middle = fill (desk);
  g_print ("# %d team operations journalled and chained in %.0f ms\n", N_OPERATIONS, np_bench_ms_since (start));
  head_seq = np_test_postgres_query_value (pg, dbname, "SELECT max (chain_seq) FROM np_team.journal");
  g_assert_cmpstr (head_seq, ==, G_STRINGIFY (N_OPERATIONS));

  figure = np_bench_figure_new ("team audit trail verify, 10,000 operations", "ms", NP_BENCH_AT_MOST, TARGET_MS);
  for (guint run = 0; run < RUNS; run++)
    {
      g_autofree char *head = NULL;
      guint n_rows = 0;

      start = g_get_monotonic_time ();
      g_assert_true (verify (desk, &n_rows, &head, NULL, &error));
      np_bench_figure_add (figure, np_bench_ms_since (start));
      g_assert_no_error (error);
      g_assert_cmpuint (n_rows, ==, N_OPERATIONS);
      g_assert_cmpuint (strlen (head), ==, 64);
    }
  np_bench_figure_report (figure);

  /* The same walk finds a superuser's edit in the middle. */
  sql = g_strdup_printf ("ALTER TABLE np_team.journal DISABLE TRIGGER a_guard;"
                         " UPDATE np_team.journal SET summary = 'edited' WHERE id = %" G_GINT64_FORMAT ";"
                         " ALTER TABLE np_team.journal ENABLE TRIGGER a_guard", middle);
  np_test_postgres_exec (pg, dbname, sql);
  g_assert_false (verify (desk, NULL, NULL, &bad, &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_TAMPERED);
  g_assert_cmpint (bad, ==, middle);

  g_clear_object (&desk);
  g_clear_object (&owner);
  np_test_postgres_drop_database (pg, dbname);
  np_test_postgres_stop (pg);
  return np_bench_figures_exit_status ();
}
