/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ledger-totals-buckets.c — the totals read from checkout_totals (schema v4)
 * against the totals added up from the checkouts themselves, the way the ledger
 * did before v4 (the oracle below, on its own connection to the file):
 * after random upserts, refunds, moves in time, deletions and forgets; over
 * ranges on and off the 15-minute buckets; per day in zones with whole-hour,
 * half-hour and 45-minute offsets (and a 1-second one, which takes the slow
 * path); and after a v3 file with data is migrated. */
#include <string.h>

#include "ledger-fixtures.h"
#include "np-ledger-totals-async.h"
#include "np-test-utils.h"

#define DAY 86400
/* 2025-11-24 00:00:00 UTC */
#define D0 (G_GINT64_CONSTANT (20416) * DAY)

static const int offsets[] = { 0, 3600, -5 * 3600, 5 * 3600 + 1800, 5 * 3600 + 2700, 12 * 3600 + 2700,
                               -(9 * 3600 + 1800), 14 * 3600, -12 * 3600, 1 };

/* The pre-v4 statement, verbatim. */
static const char oracle_sql[] =
  "SELECT CASE WHEN ?4 THEN (created + ?5) - (((created + ?5) % 86400) + 86400) % 86400 - ?5"
  "            ELSE 0 END AS day,"
  "  status, status_text, currency, count(*), coalesce(sum(amount), 0),"
  "  coalesce(sum(refunded_amount), 0)"
  " FROM checkouts"
  " WHERE account_id = ?1 AND deleted = 0 AND json IS NOT NULL"
  "   AND created >= ?2 AND created < ?3"
  " GROUP BY day, status, status_text, currency"
  " ORDER BY day, status, status_text, currency";

static void
append_row (GString    *out,
            gint64      day,
            int         status,
            const char *status_text,
            const char *currency,
            gint64      count,
            gint64      amount,
            gint64      refunded)
{
  g_string_append_printf (out, "%" G_GINT64_FORMAT "|%d|%s|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                          "|%" G_GINT64_FORMAT "\n",
                          day, status, status_text ? status_text : "NULL", currency ? currency : "NULL",
                          count, amount, refunded);
}

static char *
oracle (const char *path,
        gint64      account_id,
        gint64      from,
        gint64      until,
        gboolean    daily,
        int         utc_offset)
{
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, oracle_sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, from != 0 ? from : G_MININT64);
  sqlite3_bind_int64 (stmt, 3, until != 0 ? until : G_MAXINT64);
  sqlite3_bind_int (stmt, 4, daily);
  sqlite3_bind_int (stmt, 5, utc_offset);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    append_row (out, sqlite3_column_int64 (stmt, 0), sqlite3_column_int (stmt, 1),
                (const char *)sqlite3_column_text (stmt, 2), (const char *)sqlite3_column_text (stmt, 3),
                sqlite3_column_int64 (stmt, 4), sqlite3_column_int64 (stmt, 5), sqlite3_column_int64 (stmt, 6));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
format_totals (GPtrArray *totals)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < totals->len; i++)
    {
      const NpStatusTotal *total = g_ptr_array_index (totals, i);

      append_row (out, total->day, total->status, total->status_text, total->currency,
                  total->count, total->amount, total->refunded);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Every form of the totals over [@from, @until) equals the oracle's, row for row. */
static guint
check_range (NpLedger *ledger,
             gint64    account_id,
             gint64    from,
             gint64    until)
{
  const char *path = np_ledger_get_path (ledger);
  g_autoptr(GError) error = NULL;
  guint n_rows = 0;

  {
    g_autoptr(GPtrArray) totals = np_ledger_get_totals (ledger, account_id, from, until, &error);
    g_autofree char *got = NULL;
    g_autofree char *expected = oracle (path, account_id, from, until, FALSE, 0);

    g_assert_no_error (error);
    got = format_totals (totals);
    g_assert_cmpstr (got, ==, expected);
    n_rows += totals->len;
  }

  {
    g_autoptr(GPtrArray) totals = np_ledger_get_daily_totals (ledger, account_id, from, until, &error);
    g_autofree char *got = NULL;
    g_autofree char *expected = oracle (path, account_id, from, until, TRUE, 0);

    g_assert_no_error (error);
    got = format_totals (totals);
    g_assert_cmpstr (got, ==, expected);
  }

  for (guint o = 0; o < G_N_ELEMENTS (offsets); o++)
    {
      g_autoptr(GPtrArray) totals = np_ledger_get_local_daily_totals (ledger, account_id, from, until,
                                                                      offsets[o], &error);
      g_autofree char *got = NULL;
      g_autofree char *expected = oracle (path, account_id, from, until, TRUE, offsets[o]);

      g_assert_no_error (error);
      got = format_totals (totals);
      if (g_strcmp0 (got, expected) != 0)
        g_test_message ("from %" G_GINT64_FORMAT " until %" G_GINT64_FORMAT " offset %d",
                        from, until, offsets[o]);
      g_assert_cmpstr (got, ==, expected);
    }

  return n_rows;
}

/* Whole days in a zone, days cut anywhere, one bucket, less than one, open ends. */
static void
check_ranges (NpLedger *ledger,
              gint64    account_id,
              GRand    *rand)
{
  guint n_rows = 0;

  n_rows += check_range (ledger, account_id, 0, 0);
  n_rows += check_range (ledger, account_id, D0, 0);
  n_rows += check_range (ledger, account_id, 0, D0 + 1);
  n_rows += check_range (ledger, account_id, D0 - 2 * 3600, D0 + 5 * DAY - 2 * 3600);
  n_rows += check_range (ledger, account_id, D0 + 900, D0 + 1800);
  n_rows += check_range (ledger, account_id, D0 + 901, D0 + 1799);
  n_rows += check_range (ledger, account_id, D0 + 100, D0 + 200);
  n_rows += check_range (ledger, account_id, -1800, 1801);
  for (guint i = 0; i < 40; i++)
    {
      gint64 from = D0 + g_rand_int_range (rand, -3 * DAY, 6 * DAY);
      gint64 until = from + g_rand_int_range (rand, 1, 4 * DAY);

      n_rows += check_range (ledger, account_id, from, until);
    }

  /* Not a comparison of two empty answers. */
  g_assert_cmpuint (n_rows, >, 100);
}

/* The tables themselves: the sums of their non-empty rows are the checkouts' own. */
static void
check_table (const char *path,
             const char *table,
             const char *column,
             int         width)
{
  g_autofree char *kept_sql = g_strdup_printf (
    "SELECT group_concat (x, ';') FROM (SELECT account_id || ',' || %s || ',' || status || ','"
    "  || quote (nullif (status_text, x'')) || ',' || quote (nullif (currency, x'')) || ',' || n_checkouts"
    "  || ',' || amount || ',' || refunded AS x"
    "  FROM %s WHERE n_checkouts != 0 ORDER BY account_id, %s, status, status_text, currency)",
    column, table, column);
  g_autofree char *added_sql = g_strdup_printf (
    "SELECT group_concat (x, ';') FROM (SELECT account_id || ',' || b || ',' || status || ','"
    "  || quote (status_text) || ',' || quote (currency) || ',' || count(*) || ',' || coalesce (sum (amount), 0)"
    "  || ',' || sum (refunded_amount) AS x, account_id AS a, b, status AS s,"
    "  ifnull (status_text, x'') AS t, ifnull (currency, x'') AS c"
    "  FROM (SELECT *, created - ((created %% %d) + %d) %% %d AS b FROM checkouts"
    "        WHERE deleted = 0 AND json IS NOT NULL AND created IS NOT NULL)"
    "  GROUP BY a, b, s, t, c ORDER BY a, b, s, t, c)", width, width, width);
  g_autofree char *negative_sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE n_checkouts < 0", table);
  g_autofree char *kept = fixture_sql_column (path, kept_sql);
  g_autofree char *added = fixture_sql_column (path, added_sql);
  g_autofree char *negative = fixture_sql_column (path, negative_sql);

  g_assert_cmpstr (kept, ==, added);
  g_assert_cmpstr (negative, ==, "0");
}

static void
check_tables (const char *path)
{
  check_table (path, "checkout_totals", "bucket", 900);
  check_table (path, "checkout_totals_daily", "day", 86400);
}

static const char * const statuses[] = { "paid", "partialRefund", "refunded", "created", "reserved", "canceled", "failed" };
static const char * const currencies[] = { "SEK", "EUR", "NOK" };

/* A created time near D0: often a bucket's first or last second, sometimes
 * before 1970, sometimes none at all (0: left out of the JSON). */
static gint64
random_time (GRand *rand)
{
  switch (g_rand_int_range (rand, 0, 10))
    {
    case 0:
      return D0 + 900 * g_rand_int_range (rand, -200, 500);
    case 1:
      return D0 + 900 * g_rand_int_range (rand, -200, 500) - 1;
    case 2:
      return 2 * g_rand_int_range (rand, -3600, 3600) + 1;
    case 3:
      return g_rand_int_range (rand, 0, 30) == 0 ? 0 : D0 - 7;
    default:
      return D0 + g_rand_int_range (rand, -2 * DAY, 5 * DAY);
    }
}

static void
random_upsert (NpLedger   *ledger,
               gint64      account_id,
               const char *id,
               GRand      *rand)
{
  const char *status = statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))];
  gint64 amount = g_rand_int_range (rand, 100, 100000);
  gint64 refunded = g_str_equal (status, "refunded") ? amount
                    : (g_str_equal (status, "partialRefund") ? g_rand_int_range (rand, 1, (gint32)amount) : 0);

  fixture_upsert (ledger, account_id, &(FixtureCheckout) {
    .id = id, .status = status, .amount = amount, .refunded = refunded,
    .currency = currencies[g_rand_int_range (rand, 0, G_N_ELEMENTS (currencies))],
    .created = random_time (rand) });
}

/* Random writes of every kind the ledger makes, through its API. */
static void
random_writes (NpLedger *ledger,
               gint64    account_id,
               guint     n,
               GRand    *rand)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf (g_rand_boolean (rand) ? "c%d" : "r%d", g_rand_int_range (rand, 0, n / 2));
      int what = g_rand_int_range (rand, 0, 20);

      if (what < 11)
        random_upsert (ledger, account_id, id, rand);
      else if (what < 14)
        {
          /* Refunds of a few checkouts, the refunded amount all that changes. */
          g_autofree char *refunded_id = g_strdup_printf ("r%d", g_rand_int_range (rand, 0, 10));
          guint hash = g_str_hash (refunded_id);

          fixture_upsert (ledger, account_id, &(FixtureCheckout) {
            .id = refunded_id, .status = "partialRefund", .amount = 50000 + hash % 1000,
            .refunded = g_rand_int_range (rand, 1, 50000), .created = D0 + hash % (3 * DAY) });
        }
      else if (what < 16)
        np_ledger_mark_checkout_deleted (ledger, account_id, id, NULL);
      else if (what < 18)
        np_ledger_forget_checkout (ledger, account_id, id, NULL);
      else if (what < 19)
        np_ledger_record_checkout_failure (ledger, account_id, id, "HTTP 503", NULL);
      else
        {
          g_autoptr(NpImportResult) imported = np_ledger_import_ids (ledger, account_id, NP_LEDGER_OBJECT_CHECKOUT,
                                                                     NP_IMPORT_FORMAT_LIST, NULL, id, strlen (id), &error);
          g_assert_no_error (error);
        }
    }

  /* A batch of several in one transaction, some of them twice. */
  {
    g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < 50; i++)
      {
        g_autofree char *id = g_strdup_printf ("c%d", g_rand_int_range (rand, 0, 60));

        g_ptr_array_add (batch, fixture_checkout (&(FixtureCheckout) {
          .id = id, .status = "paid", .amount = 1000 + i, .currency = "EUR", .created = D0 + 450 * i }));
      }
    np_ledger_upsert_checkouts (ledger, account_id, batch, &error);
    g_assert_no_error (error);
  }
}

static void
test_random_writes (void)
{
  g_autofree char *path = fixture_ledger_path ("buckets");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2025);
  g_autoptr(GError) error = NULL;
  gint64 shop = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 other = fixture_add_account (ledger, "Other", NP_ENVIRONMENT_TEST);

  random_writes (ledger, shop, 800, rand);
  random_writes (ledger, other, 200, rand);
  check_tables (path);
  check_ranges (ledger, shop, rand);
  check_ranges (ledger, other, rand);

  /* Removing an account takes its checkouts' sums along, and nothing else. */
  np_ledger_remove_account (ledger, other, &error);
  g_assert_no_error (error);
  check_tables (path);
  check_ranges (ledger, shop, rand);
  {
    g_autoptr(GPtrArray) none = np_ledger_get_totals (ledger, other, 0, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
  }
}

/* The worker's own connection reads the same buckets the same way. */
static void
test_async_matches (void)
{
  g_autofree char *path = fixture_ledger_path ("buckets-async");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gint64 shop = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  random_writes (ledger, shop, 300, rand);
  for (guint o = 0; o < G_N_ELEMENTS (offsets); o++)
    {
      gint64 from = D0 - offsets[o] + 1234;
      gint64 until = from + 3 * DAY + 77;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) async = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;
      g_autofree char *expected = oracle (path, shop, from, until, TRUE, offsets[o]);

      np_ledger_get_local_daily_totals_async (ledger, shop, from, until, offsets[o], NULL,
                                              np_test_store_result, &result);
      async = np_ledger_get_local_daily_totals_finish (ledger, np_test_wait_result (&result, 10000), &error);
      g_assert_no_error (error);
      got = format_totals (async);
      g_assert_cmpuint (async->len, >, 4);
      g_assert_cmpstr (got, ==, expected);
    }
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s", message);
  sqlite3_close (db);
}

/* A v3 file with data (v4 taken off a file the ledger wrote, then its
 * checkouts changed behind the triggers' back, as a v3 console would): opening
 * it backfills checkout_totals in the migration, and the totals are the same. */
static void
test_migrate_v3 (void)
{
  g_autofree char *path = fixture_ledger_path ("buckets-v3");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (33);
  gint64 shop = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 other = fixture_add_account (ledger, "Other", NP_ENVIRONMENT_TEST);
  g_autofree char *version = NULL;
  g_autofree char *objects = NULL;
  g_autofree char *rows = NULL;

  random_writes (ledger, shop, 400, rand);
  random_writes (ledger, other, 100, rand);
  g_clear_object (&ledger);

  exec_sql (path,
            "DROP TRIGGER checkout_totals_insert; DROP TRIGGER checkout_totals_delete;"
            "DROP TRIGGER checkout_totals_update_old; DROP TRIGGER checkout_totals_update_new;"
            "DROP TABLE checkout_totals; DROP TABLE checkout_totals_daily;"
            /* What schema 9 (where rows came from), 8 (links per team ledger), 6 (the audit
             * chain) and 5 (team mode) added, so the file is a real version 3. */
            "ALTER TABLE accounts DROP COLUMN received_from; ALTER TABLE checkouts DROP COLUMN received_from;"
            "ALTER TABLE customers DROP COLUMN received_from;"
            "DROP TABLE account_team_links; ALTER TABLE accounts ADD COLUMN team_id TEXT;"
            "CREATE UNIQUE INDEX accounts_team_id ON accounts (team_id) WHERE team_id IS NOT NULL;"
            "DROP INDEX journal_team_id; ALTER TABLE journal DROP COLUMN team_ledger;"
            "CREATE UNIQUE INDEX journal_team_id ON journal (team_id) WHERE team_id IS NOT NULL;"
            "DROP INDEX journal_chain; DROP INDEX journal_unchained;"
            "ALTER TABLE journal DROP COLUMN chain_seq; ALTER TABLE journal DROP COLUMN chain_hash;"
            "DROP INDEX accounts_team_id; ALTER TABLE accounts DROP COLUMN team_id;"
            "DROP INDEX journal_team_id; ALTER TABLE journal DROP COLUMN team_id;"
            "ALTER TABLE journal DROP COLUMN desk; ALTER TABLE journal DROP COLUMN os_user;"
            "UPDATE checkouts SET status = 6, status_text = 'refunded', refunded_amount = ifnull (amount, 0) WHERE row_id % 3 = 0;"
            "UPDATE checkouts SET deleted = 1 WHERE row_id % 7 = 0;"
            "UPDATE checkouts SET status_text = NULL WHERE row_id % 11 = 0;"
            "PRAGMA user_version = 3;");
  objects = fixture_sql_column (path, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'checkout_totals%'");
  g_assert_cmpstr (objects, ==, "0");

  ledger = fixture_open_ledger (path);
  version = fixture_sql_column (path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, G_STRINGIFY (NP_LEDGER_SCHEMA_VERSION));
  g_clear_pointer (&objects, g_free);
  objects = fixture_sql_column (path, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'checkout_totals%'");
  g_assert_cmpstr (objects, ==, "6");
  rows = fixture_sql_column (path, "SELECT count(*) > 100 FROM checkout_totals");
  g_assert_cmpstr (rows, ==, "1");

  check_tables (path);
  check_ranges (ledger, shop, rand);
  check_ranges (ledger, other, rand);

  /* ...and the triggers keep it from there. */
  random_writes (ledger, shop, 200, rand);
  check_tables (path);
  check_ranges (ledger, shop, rand);
}

int
main (int argc, char **argv)
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/ledger/totals-buckets/random-writes", test_random_writes);
  g_test_add_func ("/ledger/totals-buckets/async-matches", test_async_matches);
  g_test_add_func ("/ledger/totals-buckets/migrate-v3", test_migrate_v3);

  return g_test_run ();
}
