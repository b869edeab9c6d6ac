/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-team.c — team mode (issue 20) against a real PostgreSQL cluster, each
 * figure beside its baseline in the same run.
 *
 * Two desks in this process, each with a ledger file of its own, its own
 * NpAccounts and NpTeamSync, on one team ledger of np-test-postgres:
 *
 *  - desk A's first upload of 100,000 checkouts (its join);
 *  - a new desk B's first sync of the same 100,000 (its join, until its local
 *    ledger holds every row), beside psql's \copy of the same rows to a file;
 *  - propagation: desk A shares a changed checkout, until the row is in desk B's
 *    local ledger (p95 of 50), beside a round trip to the same server.
 */
#include <string.h>

#include "np-accounts.h"
#include "np-bench-figures.h"
#include "np-bench-ledger-gen.h"
#include "np-keyring.h"
#include "np-ledger.h"
#include "np-team-sync.h"
#include "np-test-postgres.h"
#include "np-test-utils.h"

#define N_CHECKOUTS 100000
#define N_PROPAGATIONS 50
#define WAIT_MS 120000

typedef struct {
  NpLedger   *ledger;
  NpKeyring  *keyring;
  NpAccounts *accounts;
  NpTeamSync *sync;
} Desk;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_arrived (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

static void
desk_open (Desk       *desk,
           const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.sqlite", np_test_get_home (), name);
  g_autoptr(GError) error = NULL;

  desk->ledger = np_ledger_open (path, &error);
  g_assert_no_error (error);
  desk->keyring = np_keyring_new (np_ledger_get_id (desk->ledger));
  desk->accounts = np_accounts_new (desk->ledger, desk->keyring);
  desk->sync = np_team_sync_new (desk->ledger, desk->accounts);
}

static void
desk_close (Desk *desk)
{
  np_team_sync_leave (desk->sync);
  g_clear_object (&desk->sync);
  g_clear_object (&desk->accounts);
  g_clear_object (&desk->keyring);
  g_clear_object (&desk->ledger);
}

/* Joins @desk and returns the milliseconds until the join finished: shared,
 * uploaded and caught up. */
static double
desk_join (Desk           *desk,
           NpTestPostgres *pg,
           const char     *target,
           const char     *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double ms;

  np_team_sync_join_async (desk->sync, target, np_test_postgres_get_password (pg), name, NULL,
                           store_result, &result);
  np_test_wait_until (result_arrived, &result, WAIT_MS, "a desk's join");
  g_assert_true (np_team_sync_join_finish (desk->sync, result, &error));
  g_assert_no_error (error);
  ms = np_bench_ms_since (start);
  g_test_message ("%s joined in %.0f ms", name, ms);
  return ms;
}

static guint
count_checkouts (NpLedger *ledger,
                 gint64    account_id)
{
  g_autoptr(GPtrArray) rows = np_ledger_list_checkouts (ledger, account_id, NULL, 0, G_MAXUINT, NULL);

  return rows != NULL ? rows->len : 0;
}

/* psql's \copy of every shared checkout to a file: the floor of a first sync. */
static double
psql_copy_ms (NpTestPostgres *pg,
              const char     *dbname)
{
  g_autofree char *out = g_build_filename (np_test_get_home (), "copy.out", NULL);
  g_autofree char *command = g_strdup_printf ("\\copy (SELECT account_id, id, json, seen, seen_by, change "
                                              "FROM np_team.checkouts) TO '%s'", out);
  g_autofree char *conninfo = g_strdup_printf ("host=%s dbname=%s user=np_admin",
                                               np_test_postgres_get_dir (pg), dbname);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint lines = 0;
  int status = 0;
  gint64 start = g_get_monotonic_time ();
  double ms;
  const char *argv[] = { "psql", "-X", "-q", "-d", conninfo, "-c", command, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, &error));
  ms = np_bench_ms_since (start);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_get_contents (out, &contents, &length, NULL));
  for (gsize i = 0; i < length; i++)
    lines += contents[i] == '\n';
  np_bench_check_count ("psql \\copy rows", lines, N_CHECKOUTS);
  return ms;
}

typedef struct {
  NpLedger   *ledger;
  gint64      account_id;
  const char *id;
  const char *status;
} Arrival;

static gboolean
checkout_arrived (gpointer user_data)
{
  Arrival *arrival = user_data;
  g_autoptr(NpCheckout) checkout = np_ledger_get_checkout (arrival->ledger, arrival->account_id, arrival->id, NULL);

  return checkout != NULL && g_strcmp0 (np_checkout_get_status_text (checkout), arrival->status) == 0;
}

static void
bench_team (void)
{
  NpTestPostgres *pg = np_test_postgres_start ();
  g_autofree char *dbname = NULL;
  g_autofree char *target = NULL;
  g_autofree char *team_id = NULL;
  g_autoptr(NpAccount) account = np_account_new ("Shop", "https://api.neuro-admin.com", NP_ENVIRONMENT_TEST);
  g_autoptr(NpBenchFigure) upload = NULL;
  g_autoptr(NpBenchFigure) first = NULL;
  g_autoptr(NpBenchFigure) ratio = NULL;
  g_autoptr(NpBenchFigure) propagation = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) trips = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  Desk a = { 0 }, b = { 0 };
  double upload_ms, first_ms, copy_ms;
  gint64 b_account;
  PGconn *admin;

  np_test_postgres_create_role (pg, "team_owner", "");
  dbname = np_test_postgres_create_database (pg, "team_owner");
  target = np_test_postgres_dup_uri (pg, "team_owner", dbname);

  /* Desk A with 100,000 checkouts of its own, then joined: its first upload. */
  desk_open (&a, "desk-a");
  np_ledger_add_account (a.ledger, account, &error);
  g_assert_no_error (error);
  np_bench_fill_ledger (a.ledger, np_account_get_id (account), N_CHECKOUTS);
  g_object_unref (a.accounts);
  a.accounts = np_accounts_new (a.ledger, a.keyring);
  g_clear_object (&a.sync);
  a.sync = np_team_sync_new (a.ledger, a.accounts);
  upload_ms = desk_join (&a, pg, target, "FINANCE-1");
  team_id = np_ledger_dup_account_team_id (a.ledger, np_account_get_id (account));
  g_assert_nonnull (team_id);
  np_bench_check_count ("checkouts in the team ledger",
                        (guint) g_ascii_strtoull (np_test_postgres_query_value (pg, dbname,
                                                  "SELECT count(*) FROM np_team.checkouts"), NULL, 10),
                        N_CHECKOUTS);

  /* A new desk B: its first sync, until its ledger has every row. */
  desk_open (&b, "desk-b");
  first_ms = desk_join (&b, pg, target, "SUPPORT-2");
  b_account = np_ledger_find_account_by_team_id (b.ledger, team_id);
  g_assert_cmpint (b_account, >, 0);
  np_bench_check_count ("checkouts at the new desk", count_checkouts (b.ledger, b_account), N_CHECKOUTS);
  copy_ms = psql_copy_ms (pg, dbname);

  upload = np_bench_figure_new ("Team: desk's first upload of 100,000 checkouts (join)", "ms",
                                NP_BENCH_AT_MOST, 15000);
  np_bench_figure_add (upload, upload_ms);
  np_bench_figure_set_baseline (upload, "psql \\copy out %.0f ms", copy_ms);
  np_bench_figure_report (upload);

  first = np_bench_figure_new ("Team: new desk's first sync of 100,000 checkouts", "ms", NP_BENCH_AT_MOST, 15000);
  np_bench_figure_add (first, first_ms);
  np_bench_figure_set_baseline (first, "psql \\copy out %.0f ms", copy_ms);
  np_bench_figure_report (first);

  ratio = np_bench_figure_new ("Team: first sync speed vs psql \\copy", "x", NP_BENCH_AT_LEAST, 0.5);
  np_bench_figure_add (ratio, copy_ms / first_ms);
  np_bench_figure_set_baseline (ratio, "psql \\copy out %.0f ms = 1x", copy_ms);
  np_bench_figure_report (ratio);

  /* Propagation: desk A shares a checkout's new state, until desk B's ledger has it. */
  admin = np_test_postgres_connect_admin (pg, dbname);
  for (guint i = 0; i < N_PROPAGATIONS; i++)
    {
      g_autofree char *id = g_strdup_printf ("order-%u", 1000 + i);
      const char *status = i % 2 == 0 ? "expired" : "paid";
      g_autofree char *json = g_strdup_printf ("{\"checkout_id\": \"%s\", \"status\": \"%s\", \"amount\": %u, "
                                               "\"currency\": \"SEK\"}", id, status, 2000 + i);
      g_autoptr(NpCheckout) checkout = np_checkout_new_from_data (json, -1, &error);
      Arrival arrival = { b.ledger, b_account, id, status };
      gint64 start;

      g_assert_no_error (error);
      start = g_get_monotonic_time ();
      np_team_sync_publish_checkout (a.sync, np_account_get_id (account), checkout);
      np_test_wait_until (checkout_arrived, &arrival, 10000, "the checkout at desk B");
      g_array_append_val (samples, (double) { np_bench_ms_since (start) });

      start = g_get_monotonic_time ();
      PQclear (PQexec (admin, "SELECT 1"));
      g_array_append_val (trips, (double) { np_bench_ms_since (start) });
    }
  PQfinish (admin);
  propagation = np_bench_figure_new ("Team: propagation, desk A's change to desk B's ledger (p95)", "ms",
                                     NP_BENCH_AT_MOST, 1000);
  np_bench_figure_add (propagation, np_bench_percentile (samples, 0.95));
  np_bench_figure_set_baseline (propagation, "p50 %.1f ms; one SELECT 1 round trip p95 %.2f ms",
                                np_bench_percentile (samples, 0.5), np_bench_percentile (trips, 0.95));
  np_bench_figure_report (propagation);

  desk_close (&b);
  desk_close (&a);
  np_test_postgres_stop (pg);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  np_test_init (&argc, &argv);
  np_bench_drop_debug_messages ();
  g_test_add_func ("/bench/team", bench_team);
  status = g_test_run ();

  return status != 0 ? status : np_bench_figures_exit_status ();
}
