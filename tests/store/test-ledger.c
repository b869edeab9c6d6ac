/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ledger.c — NpLedger against a real SQLite file: schema and migrations,
 * accounts, checkouts, customers, the journal, queries and totals. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ledger-fixtures.h"
#include "np-test-utils.h"

#define DAY 86400
/* 2025-11-24 00:00:00 UTC */
#define D0 (G_GINT64_CONSTANT (20416) * DAY)

/* Schema 1 exactly as the first release wrote it: the migration test starts from
 * a file made with this, not with today's code. */
static const char v1_schema[] =
  "CREATE TABLE ledger_state (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL);"
  "INSERT INTO ledger_state (id, revision) VALUES (1, 0);"
  "CREATE TABLE accounts (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE,"
  "  base_url TEXT NOT NULL, environment TEXT NOT NULL CHECK (environment IN ('test', 'live')));"
  "CREATE TABLE checkouts (row_id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  checkout_id TEXT NOT NULL, identifier TEXT, status INTEGER NOT NULL DEFAULT 0, status_text TEXT,"
  "  amount INTEGER, refunded_amount INTEGER NOT NULL DEFAULT 0, currency TEXT, message TEXT,"
  "  customer_id TEXT, metadata TEXT, created INTEGER, updated INTEGER, registered INTEGER NOT NULL,"
  "  last_refreshed INTEGER, refresh_error TEXT, refresh_failed_at INTEGER,"
  "  deleted INTEGER NOT NULL DEFAULT 0, json TEXT, revision INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (account_id, checkout_id));"
  "CREATE INDEX checkouts_created ON checkouts (account_id, created);"
  "CREATE INDEX checkouts_customer ON checkouts (account_id, customer_id);"
  "CREATE TABLE customers (row_id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  customer_id TEXT NOT NULL, first_name TEXT, last_name TEXT, email TEXT, metadata TEXT,"
  "  created INTEGER, registered INTEGER NOT NULL, last_refreshed INTEGER, refresh_error TEXT,"
  "  refresh_failed_at INTEGER, deleted INTEGER NOT NULL DEFAULT 0, json TEXT,"
  "  revision INTEGER NOT NULL DEFAULT 0, UNIQUE (account_id, customer_id));"
  "CREATE TABLE journal (id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE, object_id TEXT,"
  "  operation TEXT NOT NULL CHECK (operation IN ('create', 'capture', 'refund', 'update',"
  "    'delete', 'create-customer', 'delete-customer')),"
  "  state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed', 'unknown')),"
  "  summary TEXT NOT NULL, details TEXT, error_text TEXT, started INTEGER NOT NULL,"
  "  finished INTEGER, settled INTEGER, settled_status TEXT, revision INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX journal_account ON journal (account_id, id);"
  "CREATE INDEX journal_object ON journal (account_id, object_id);"
  "CREATE INDEX journal_pending ON journal (state) WHERE state = 'pending';";

static const char v1_data[] =
  "INSERT INTO accounts VALUES (1, 'Shop', 'https://api.neuro-admin.com', 'test');"
  "INSERT INTO customers (account_id, customer_id, first_name, last_name, email, registered, json)"
  "  VALUES (1, 'cus1', 'Ada', 'Lovelace', 'ada@example.com', 1700000000,"
  "  '{\"customer_id\":\"cus1\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"ada@example.com\"}');"
  "INSERT INTO checkouts (account_id, checkout_id, identifier, status, status_text, amount, currency,"
  "  message, customer_id, metadata, created, updated, registered, last_refreshed, json, revision)"
  "  VALUES (1, 'c0ffee01', 'order-4242', 4, 'paid', 2500, 'SEK', 'Order #4242', 'cus1',"
  "  '{\"orderId\":\"4242\"}', 1700000000, 1700000000, 1700000000, 1700000000,"
  "  '{\"checkout_id\":\"c0ffee01\",\"identifier\":\"order-4242\",\"status\":\"paid\",\"amount\":2500,"
  "\"currency\":\"SEK\",\"message\":\"Order #4242\",\"customer_id\":\"cus1\",\"metaData\":{\"orderId\":\"4242\"}}', 1);"
  "INSERT INTO journal (account_id, object_id, operation, state, summary, started)"
  "  VALUES (1, 'c0ffee01', 'refund', 'pending', 'Refund 5.00 SEK', 1700000100);"
  "PRAGMA user_version = 1;";

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

static NpCheckoutQuery *
text_query (const char *text)
{
  NpCheckoutQuery *query = np_checkout_query_new ();

  np_checkout_query_set_text (query, text);
  return query;
}

static char *
search (NpLedger   *ledger,
        gint64      account_id,
        const char *text)
{
  g_autoptr(NpCheckoutQuery) query = text_query (text);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  query->sort = NP_CHECKOUT_SORT_CREATED;
  query->descending = FALSE;
  rows = np_ledger_list_checkouts (ledger, account_id, query, 0, G_MAXUINT, &error);
  g_assert_no_error (error);

  return fixture_row_ids (rows);
}

static void
test_open_default_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpLedger) ledger = np_ledger_open (NULL, &error);
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "neuropay-console", "ledger.db", NULL);
  g_autofree char *version = NULL;
  g_autofree char *mode = NULL;
  GStatBuf info;

  g_assert_no_error (error);
  g_assert_cmpstr (np_ledger_get_path (ledger), ==, expected);
  g_assert_cmpint (g_stat (expected, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);

  version = fixture_sql_column (expected, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, G_STRINGIFY (NP_LEDGER_SCHEMA_VERSION));
  mode = fixture_sql_column (expected, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
}

/* The ledger's id is made once per file and kept: keys in the keyring hang on it. */
static void
test_ledger_id (void)
{
  g_autofree char *path = fixture_ledger_path ("id");
  g_autofree char *other_path = fixture_ledger_path ("id-other");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpLedger) other = fixture_open_ledger (other_path);
  g_autofree char *id = g_strdup (np_ledger_get_id (ledger));
  g_autoptr(NpLedger) reopened = NULL;

  g_assert_cmpuint (strlen (id), ==, 32);
  g_assert_cmpstr (np_ledger_get_id (other), !=, id);

  g_clear_object (&ledger);
  reopened = fixture_open_ledger (path);
  g_assert_cmpstr (np_ledger_get_id (reopened), ==, id);
}

static void
test_migrate_v1 (void)
{
  g_autofree char *path = fixture_ledger_path ("v1");
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(NpCheckoutRow) row = NULL;
  g_autoptr(NpCustomerQuery) customer_query = np_customer_query_new ();
  g_autoptr(NpJournalQuery) journal_query = np_journal_query_new ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *version = NULL;

  g_mkdir_with_parents (folder, 0700);
  exec_sql (path, v1_schema);
  exec_sql (path, v1_data);

  ledger = fixture_open_ledger (path);
  version = fixture_sql_column (path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, G_STRINGIFY (NP_LEDGER_SCHEMA_VERSION));

  /* v3 gave the file an id of its own, which scopes its keys in the keyring. */
  g_assert_nonnull (np_ledger_get_id (ledger));
  g_assert_cmpuint (strlen (np_ledger_get_id (ledger)), ==, 32);

  /* The data is kept... */
  row = np_ledger_get_checkout_row (ledger, 1, "c0ffee01", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_checkout_row_get_identifier (row), ==, "order-4242");
  g_assert_cmpint (np_checkout_row_get_amount (row), ==, 2500);
  checkout = np_ledger_get_checkout (ledger, 1, "c0ffee01", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_checkout_get_message (checkout), ==, "Order #4242");

  /* ...and the new search text was built from it, the customer's email included. */
  found = search (ledger, 1, "order-42");
  g_assert_cmpstr (found, ==, "c0ffee01");
  g_clear_pointer (&found, g_free);
  found = search (ledger, 1, "ADA@EXAMPLE");
  g_assert_cmpstr (found, ==, "c0ffee01");

  np_customer_query_set_text (customer_query, "lovelace");
  customers = np_ledger_list_customers (ledger, 1, customer_query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (customers->len, ==, 1);

  /* The v1 file's pending refund is now of unknown outcome. */
  g_assert_cmpuint (np_ledger_get_n_recovered (ledger), ==, 1);
  np_journal_query_set_text (journal_query, "refund 5.00");
  entries = np_ledger_journal_list (ledger, 1, journal_query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (np_journal_entry_get_state (g_ptr_array_index (entries, 0)), ==, NP_JOURNAL_STATE_UNKNOWN);
}

static void
test_refuses_newer_schema (void)
{
  g_autofree char *path = fixture_ledger_path ("newer");
  g_autofree char *newer = NULL;
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;

  g_object_unref (fixture_open_ledger (path));
  newer = g_strdup_printf ("PRAGMA user_version = %d", NP_LEDGER_SCHEMA_VERSION + 1);
  exec_sql (path, newer);

  ledger = np_ledger_open (path, &error);
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_MIGRATION);
  g_assert_null (ledger);

  version = fixture_sql_column (path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, NP_LEDGER_SCHEMA_VERSION + 1);
}

static void
test_not_a_ledger (void)
{
  g_autofree char *garbage = fixture_ledger_path ("garbage");
  g_autofree char *other = fixture_ledger_path ("other");
  g_autofree char *folder = g_path_get_dirname (garbage);
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (folder, 0700);
  g_file_set_contents (garbage, "This is not a database, it is a shopping list. Milk. Eggs. Tea.\n"
                                "Padding so SQLite reads a whole header..............................\n",
                       -1, &error);
  g_assert_no_error (error);
  ledger = np_ledger_open (garbage, &error);
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CORRUPT);
  g_assert_null (ledger);
  g_clear_error (&error);

  exec_sql (other, "CREATE TABLE recipes (name TEXT)");
  ledger = np_ledger_open (other, &error);
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CORRUPT);
  g_assert_null (ledger);
}

static void
test_accounts (void)
{
  g_autofree char *path = fixture_ledger_path ("accounts");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpAccount) duplicate = np_account_new ("Shop", "https://example.com", NP_ENVIRONMENT_TEST);
  g_autoptr(NpAccount) unnamed = np_account_new ("  ", "https://example.com", NP_ENVIRONMENT_TEST);
  g_autoptr(NpAccount) account = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;
  gint64 shop, live;

  shop = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  live = fixture_add_account (ledger, "Café live", NP_ENVIRONMENT_LIVE);

  g_assert_false (np_ledger_add_account (ledger, duplicate, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_false (np_ledger_add_account (ledger, unnamed, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
  g_clear_error (&error);

  accounts = np_ledger_list_accounts (ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  g_assert_cmpstr (np_account_get_name (g_ptr_array_index (accounts, 0)), ==, "Café live");
  g_assert_true (np_account_is_live (g_ptr_array_index (accounts, 0)));

  account = np_ledger_get_account (ledger, shop, &error);
  g_assert_no_error (error);
  np_account_set_name (account, "Shop (test)");
  np_account_set_base_url (account, "https://api.paiwise.com");
  np_ledger_update_account (ledger, account, &error);
  g_assert_no_error (error);
  g_clear_object (&account);
  account = np_ledger_get_account (ledger, shop, &error);
  g_assert_cmpstr (np_account_get_name (account), ==, "Shop (test)");
  g_assert_cmpstr (np_account_get_base_url (account), ==, "https://api.paiwise.com");
  g_assert_cmpint (np_account_get_environment (account), ==, NP_ENVIRONMENT_TEST);

  /* Removing an account removes everything it owned. */
  fixture_upsert (ledger, live, &(FixtureCheckout) { .id = "live1", .amount = 100, .created = D0 });
  g_assert_cmpint (np_ledger_journal_begin (ledger, live, NP_JOURNAL_OPERATION_CAPTURE, "live1",
                                            "Capture", NULL, &error), >, 0);
  np_ledger_remove_account (ledger, live, &error);
  g_assert_no_error (error);
  left = fixture_sql_column (path, "SELECT (SELECT count(*) FROM checkouts) + (SELECT count(*) FROM journal)");
  g_assert_cmpstr (left, ==, "0");

  g_assert_false (np_ledger_remove_account (ledger, live, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND);
}

static void
test_account_separation (void)
{
  g_autofree char *path = fixture_ledger_path ("separation");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCheckout) stranger = NULL;
  g_autoptr(NpCheckoutRow) row = NULL;
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *in_test = NULL;
  g_autofree char *in_live = NULL;
  gint64 test = fixture_add_account (ledger, "Test", NP_ENVIRONMENT_TEST);
  gint64 live = fixture_add_account (ledger, "Live", NP_ENVIRONMENT_LIVE);

  fixture_upsert (ledger, test, &(FixtureCheckout) { .id = "same", .identifier = "order-1", .amount = 100, .status = "paid", .created = D0 });
  fixture_upsert (ledger, live, &(FixtureCheckout) { .id = "same", .identifier = "order-1", .amount = 900, .status = "paid", .created = D0 });
  fixture_upsert (ledger, live, &(FixtureCheckout) { .id = "live-only", .identifier = "order-2", .amount = 5, .created = D0 });
  np_ledger_journal_begin (ledger, live, NP_JOURNAL_OPERATION_REFUND, "same", "Refund", NULL, &error);
  g_assert_no_error (error);

  row = np_ledger_get_checkout_row (ledger, test, "same", &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_row_get_amount (row), ==, 100);

  in_test = search (ledger, test, "order");
  in_live = search (ledger, live, "order");
  g_assert_cmpstr (in_test, ==, "same");
  g_assert_cmpstr (in_live, ==, "same,live-only");

  totals = np_ledger_get_totals (ledger, test, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (totals->len, ==, 1);
  g_assert_cmpint (((NpStatusTotal *)g_ptr_array_index (totals, 0))->amount, ==, 100);

  entries = np_ledger_journal_list (ledger, test, NULL, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);

  /* No rows for an account that does not exist. */
  stranger = fixture_checkout (&(FixtureCheckout) { .id = "x", .amount = 1 });
  g_assert_false (np_ledger_upsert_checkout (ledger, 999, stranger, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
}

typedef struct {
  guint  n_emissions;
  guint  table;
  gint64 account_id;
  gint64 row_id;
} ChangedLog;

static void
on_changed (NpLedger      *ledger,
            NpLedgerTable  table,
            gint64         account_id,
            gint64         row_id,
            ChangedLog    *log)
{
  log->n_emissions++;
  log->table = table;
  log->account_id = account_id;
  log->row_id = row_id;
}

/* Schema 6's journal, rebuilt from a current file: the same columns, the CHECK
 * without 'refresh'. */
/* Schema 8: nothing says where a row came from. */
#define ORIGINS_TO_V8 \
  "ALTER TABLE accounts DROP COLUMN received_from;" \
  "ALTER TABLE checkouts DROP COLUMN received_from;" \
  "ALTER TABLE customers DROP COLUMN received_from;"

static const char to_v8[] = ORIGINS_TO_V8 "PRAGMA user_version = 8;";

/* Schema 7's team links, made from a current file's: one team id per account
 * and journal row, of no recorded team ledger. */
#define TEAM_LINKS_TO_V7 \
  ORIGINS_TO_V8 \
  "ALTER TABLE accounts ADD COLUMN team_id TEXT;" \
  "UPDATE accounts SET team_id = (SELECT team_id FROM account_team_links AS l WHERE l.account_id = accounts.id);" \
  "DROP TABLE account_team_links;" \
  "CREATE UNIQUE INDEX accounts_team_id ON accounts (team_id) WHERE team_id IS NOT NULL;" \
  "DROP INDEX journal_team_id; ALTER TABLE journal DROP COLUMN team_ledger;" \
  "CREATE UNIQUE INDEX journal_team_id ON journal (team_id) WHERE team_id IS NOT NULL;" \
  "DELETE FROM ledger_info WHERE name = 'team-ledger';"

static const char to_v7[] = TEAM_LINKS_TO_V7 "PRAGMA user_version = 7;";

static const char to_v6[] =
  TEAM_LINKS_TO_V7
  "CREATE TABLE journal_v6 ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE, object_id TEXT,"
  "  operation TEXT NOT NULL CHECK (operation IN ('create', 'capture', 'refund', 'update',"
  "    'delete', 'create-customer', 'delete-customer')),"
  "  state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed', 'unknown')),"
  "  summary TEXT NOT NULL, details TEXT, error_text TEXT, started INTEGER NOT NULL,"
  "  finished INTEGER, settled INTEGER, settled_status TEXT, revision INTEGER NOT NULL DEFAULT 0,"
  "  search_text TEXT NOT NULL DEFAULT '', team_id INTEGER, desk TEXT, os_user TEXT,"
  "  chain_seq INTEGER, chain_hash TEXT);"
  "INSERT INTO journal_v6 SELECT id, account_id, object_id, operation, state, summary, details, error_text,"
  "  started, finished, settled, settled_status, revision, search_text, team_id, desk, os_user,"
  "  chain_seq, chain_hash FROM journal;"
  "DROP TABLE journal;"
  "ALTER TABLE journal_v6 RENAME TO journal;"
  /* As if later rows had gone with a removed account: ids up to 40 were used. */
  "UPDATE sqlite_sequence SET seq = 40 WHERE name = 'journal';"
  "CREATE INDEX journal_account ON journal (account_id, id);"
  "CREATE INDEX journal_object ON journal (account_id, object_id);"
  "CREATE INDEX journal_pending ON journal (state) WHERE state = 'pending';"
  "CREATE UNIQUE INDEX journal_team_id ON journal (team_id) WHERE team_id IS NOT NULL;"
  "CREATE UNIQUE INDEX journal_chain ON journal (account_id, chain_seq) WHERE chain_seq IS NOT NULL;"
  "CREATE INDEX journal_unchained ON journal (id)"
  "  WHERE chain_seq IS NULL AND state <> 'pending' AND desk IS NULL;"
  "PRAGMA user_version = 6;";

static gboolean
sql_refused (const char *path,
             const char *sql)
{
  sqlite3 *db = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  sqlite3_close (db);
  return rc != SQLITE_OK;
}

static gint64
finished_entry (NpLedger           *ledger,
                gint64              account,
                NpJournalOperation  operation,
                const char         *summary,
                NpJournalState      state)
{
  g_autoptr(GError) error = NULL;
  gint64 id = np_ledger_journal_begin (ledger, account, operation, "c1", summary, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (np_ledger_journal_finish (ledger, id, state, state == NP_JOURNAL_STATE_FAILED ? "declined" : NULL,
                                           NULL, &error));
  g_assert_no_error (error);
  return id;
}

#define JOURNAL_ROWS_SQL \
  "SELECT id || ' ' || operation || ' ' || state || ' ' || summary || ' ' || chain_seq || ' ' || chain_hash" \
  " FROM journal ORDER BY id"

/* Schema 7 rebuilds the journal to let it hold 'refresh' rows: every row keeps
 * its id and content, the audit chain verifies across the upgrade and goes on
 * from its head, and no id is ever handed out twice. */
static void
test_migrate_v6_journal (void)
{
  g_autofree char *path = fixture_ledger_path ("v6-journal");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpLedger) reopened = NULL;
  g_autoptr(NpCheckout) paid = fixture_checkout (&(FixtureCheckout) { .id = "c1", .status = "paid", .amount = 12550 });
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GArray) refreshes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(NpJournalEntry) refresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows_before = NULL;
  g_autofree char *rows_after = NULL;
  g_autofree char *head_before = NULL;
  g_autofree char *head_after = NULL;
  g_autofree char *version = NULL;
  g_autofree char *check = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  guint n_rows = 0;

  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "c1", .status = "created", .amount = 12550 });
  finished_entry (ledger, account, NP_JOURNAL_OPERATION_CREATE, "Create checkout 125.50 SEK", NP_JOURNAL_STATE_SUCCEEDED);
  finished_entry (ledger, account, NP_JOURNAL_OPERATION_CAPTURE, "Capture 125.50 SEK", NP_JOURNAL_STATE_FAILED);
  finished_entry (ledger, account, NP_JOURNAL_OPERATION_UPDATE, "Update metadata", NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_true (np_ledger_verify_chain (ledger, account, &n_rows, &head_before, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 3);
  g_clear_object (&ledger);

  exec_sql (path, to_v6);
  rows_before = fixture_sql_column (path, JOURNAL_ROWS_SQL);
  /* The file really is schema 6: its journal refuses a refresh row. */
  g_assert_true (sql_refused (path, "INSERT INTO journal (account_id, operation, state, summary, started)"
                                    " VALUES (1, 'refresh', 'succeeded', 'x', 0)"));

  reopened = fixture_open_ledger (path);
  version = fixture_sql_column (path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, G_STRINGIFY (NP_LEDGER_SCHEMA_VERSION));
  check = fixture_sql_column (path, "SELECT instr (sql, 'refresh') > 0 FROM sqlite_schema WHERE name = 'journal'");
  g_assert_cmpstr (check, ==, "1");
  rows_after = fixture_sql_column (path, JOURNAL_ROWS_SQL);
  g_assert_cmpstr (rows_after, ==, rows_before);
  g_assert_true (np_ledger_verify_chain (reopened, account, &n_rows, &head_after, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 3);
  g_assert_cmpstr (head_after, ==, head_before);

  /* A refresh row now fits, takes an id past the old high-water mark, and
   * becomes the chain's next link. */
  g_ptr_array_add (batch, paid);
  g_assert_true (np_ledger_refresh_checkouts (reopened, account, batch, refreshes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (refreshes->len, ==, 1);
  g_assert_cmpint (g_array_index (refreshes, gint64, 0), ==, 41);
  refresh = np_ledger_journal_get (reopened, 41, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_journal_entry_get_operation (refresh), ==, NP_JOURNAL_OPERATION_REFRESH);
  g_assert_true (np_ledger_verify_chain (reopened, account, &n_rows, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 4);
}

#define TEAM_A "0e6f3c1a-5b4d-4e0a-9a51-7d2a4c1b8e01"
#define TEAM_B "7f0d2b9c-3a6e-4f18-8c27-1e5b9d4a6c02"
#define SHOP_IN_A "5a1c7e2b-9d3f-4c60-8b14-6e2f0a9d3b11"
#define SHOP_IN_B "c3b8e1d4-2f7a-4d95-a06e-9b4c1f8e2d22"

static gint64
other_desk_row (NpLedger   *ledger,
                gint64      account,
                gint64      team_id,
                const char *desk)
{
  g_autoptr(GError) error = NULL;
  gint64 id = np_ledger_journal_apply_team (ledger, account, team_id, NP_JOURNAL_OPERATION_REFUND,
                                            NP_JOURNAL_STATE_SUCCEEDED, "c1", "Refund 1.00 SEK", NULL, NULL,
                                            1000, 1001, desk, "someone", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
use_team_ledger (NpLedger   *ledger,
                 const char *team_ledger,
                 gboolean    adopt,
                 gboolean    expect_switched)
{
  g_autoptr(GError) error = NULL;
  gboolean switched = !expect_switched;

  g_assert_true (np_ledger_set_team_ledger (ledger, team_ledger, adopt, &switched, &error));
  g_assert_no_error (error);
  g_assert_cmpint (switched, ==, expect_switched);
}

/* Where each row came from (schema 9), as "id:team ledger" ("own": this desk's). */
#define ORIGINS_OF(table, id) \
  "SELECT " id " || ':' || ifnull (received_from, 'own') FROM " table " ORDER BY " id

static void
assert_account_team_id (NpLedger   *ledger,
                        gint64      account,
                        const char *expected)
{
  g_autofree char *team_id = np_ledger_dup_account_team_id (ledger, account);

  g_assert_cmpstr (team_id, ==, expected);
}

/* Schema 8 keeps each team link with its team ledger. A desk upgraded while a
 * member of A resumes A with its links; it then leaves, joins B (whose journal
 * row ids and account UUID are B's own: row 5 there is not A's row 5), leaves,
 * and rejoins A, which finds its links again. Journal ids and the audit chain
 * are untouched throughout. */
static void
test_migrate_v7_team_links (void)
{
  g_autofree char *path = fixture_ledger_path ("v7-team-links");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpLedger) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows_before = NULL;
  g_autofree char *rows_after = NULL;
  g_autofree char *head_before = NULL;
  g_autofree char *head_after = NULL;
  g_autofree char *version = NULL;
  g_autofree char *linked = NULL;
  g_autofree char *origins = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 own_in_a, other_in_a, own_in_b, other_in_b;
  guint n_rows = 0;

  /* What a schema 7 desk in team ledger A had: the account's UUID, its own
   * row 5 and another desk's row 6, and the change applied. */
  use_team_ledger (ledger, TEAM_A, FALSE, TRUE);
  g_assert_true (np_ledger_set_account_team_id (ledger, account, SHOP_IN_A, &error));
  g_assert_no_error (error);
  own_in_a = finished_entry (ledger, account, NP_JOURNAL_OPERATION_CAPTURE, "Capture 1.00 SEK", NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_true (np_ledger_journal_set_team_id (ledger, own_in_a, 5, &error));
  g_assert_no_error (error);
  other_in_a = other_desk_row (ledger, account, 6, "FINANCE-1");
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "c1", .status = "paid", .amount = 100 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "from-a", .status = "paid", .amount = 200 });
  g_assert_true (np_ledger_set_team_change (ledger, 42, &error));
  g_assert_true (np_ledger_verify_chain (ledger, account, &n_rows, &head_before, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 1);
  g_clear_object (&ledger);
  exec_sql (path, to_v7);
  rows_before = fixture_sql_column (path, JOURNAL_ROWS_SQL);
  linked = fixture_sql_column (path, "SELECT team_id FROM accounts");
  g_assert_cmpstr (linked, ==, SHOP_IN_A);

  reopened = fixture_open_ledger (path);
  version = fixture_sql_column (path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, G_STRINGIFY (NP_LEDGER_SCHEMA_VERSION));
  rows_after = fixture_sql_column (path, JOURNAL_ROWS_SQL);
  g_assert_cmpstr (rows_after, ==, rows_before);
  g_assert_true (np_ledger_verify_chain (reopened, account, &n_rows, &head_after, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (head_after, ==, head_before);
  /* Of no recorded team ledger: found by none until one adopts them. */
  g_assert_null (np_ledger_dup_team_ledger (reopened));
  g_assert_null (np_ledger_dup_account_team_id (reopened, account));
  g_assert_cmpint (np_ledger_journal_find_team (reopened, 5), ==, 0);

  /* Schema 9: a checkout no journal row of this desk names came from that
   * unrecorded team ledger too. */
  origins = fixture_sql_column (path, ORIGINS_OF ("checkouts", "checkout_id"));
  g_assert_cmpstr (origins, ==, "c1:own,from-a:");
  g_clear_pointer (&origins, g_free);

  /* Resumed: A adopts them, and the desk catches up from where it was. */
  use_team_ledger (reopened, TEAM_A, TRUE, FALSE);
  origins = fixture_sql_column (path, ORIGINS_OF ("checkouts", "checkout_id"));
  g_assert_cmpstr (origins, ==, "c1:own,from-a:" TEAM_A);
  assert_account_team_id (reopened, account, SHOP_IN_A);
  g_assert_cmpint (np_ledger_find_account_by_team_id (reopened, SHOP_IN_A), ==, account);
  g_assert_cmpint (np_ledger_journal_find_team (reopened, 5), ==, own_in_a);
  g_assert_cmpint (np_ledger_journal_find_team (reopened, 6), ==, other_in_a);
  g_assert_cmpint (np_ledger_get_team_change (reopened), ==, 42);

  /* Left: nothing is linked, and nothing can be. */
  g_assert_true (np_ledger_set_team_ledger (reopened, NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (np_ledger_get_team_change (reopened), ==, 0);
  g_assert_null (np_ledger_dup_account_team_id (reopened, account));
  g_assert_false (np_ledger_set_account_team_id (reopened, account, SHOP_IN_B, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Joined B (a join adopts nothing): B's row 5 and 6 are new rows. */
  use_team_ledger (reopened, TEAM_B, FALSE, TRUE);
  g_assert_null (np_ledger_dup_account_team_id (reopened, account));
  g_assert_cmpint (np_ledger_find_account_by_team_id (reopened, SHOP_IN_A), ==, 0);
  g_assert_cmpint (np_ledger_journal_find_team (reopened, 5), ==, 0);
  g_assert_true (np_ledger_set_account_team_id (reopened, account, SHOP_IN_B, &error));
  g_assert_no_error (error);
  own_in_b = finished_entry (reopened, account, NP_JOURNAL_OPERATION_REFUND, "Refund 1.00 SEK", NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_true (np_ledger_journal_set_team_id (reopened, own_in_b, 5, &error));
  g_assert_no_error (error);
  other_in_b = other_desk_row (reopened, account, 6, "SUPPORT-9");
  g_assert_cmpint (other_in_b, !=, other_in_a);
  g_assert_cmpint (np_ledger_journal_find_team (reopened, 5), ==, own_in_b);
  g_assert_cmpint (np_ledger_journal_find_team (reopened, 6), ==, other_in_b);

  /* Rejoined A: its links are there again, B's wait. */
  use_team_ledger (reopened, NULL, FALSE, TRUE);
  use_team_ledger (reopened, TEAM_A, FALSE, TRUE);
  assert_account_team_id (reopened, account, SHOP_IN_A);
  g_assert_cmpint (np_ledger_journal_find_team (reopened, 5), ==, own_in_a);
  g_assert_cmpint (np_ledger_journal_find_team (reopened, 6), ==, other_in_a);
  g_assert_cmpint (np_ledger_find_account_by_team_id (reopened, SHOP_IN_B), ==, 0);
  g_assert_true (np_ledger_verify_chain (reopened, account, &n_rows, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 2);
}

#define ELSEWHERE_IN_A "9e4d2c1b-7a3f-4b68-9c05-2d8e6f1a4b33"

/* The ids np_ledger_read_objects_async () gives for @account: what a join uploads. */
static char *
read_own (NpLedger       *ledger,
          NpLedgerObject  object,
          gint64          account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) jsons = NULL;
  g_autoptr(GError) error = NULL;

  np_ledger_read_objects_async (ledger, object, account, 0, 100, NULL, np_test_store_result, &result);
  g_assert_true (np_ledger_read_objects_finish (ledger, np_test_wait_result (&result, 10000), &ids, &jsons,
                                                NULL, &error));
  g_assert_no_error (error);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

/* What a pull from team ledger @from writes. */
static void
store_received (NpLedger       *ledger,
                gint64          account,
                NpCheckout     *checkout,
                const char     *from)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) jsons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint n_stored = 0;

  g_ptr_array_add (jsons, np_checkout_to_json (checkout, FALSE));
  np_ledger_store_objects_async (ledger, NP_LEDGER_OBJECT_CHECKOUT, account, jsons, from, NULL,
                                 np_test_store_result, &result);
  g_assert_true (np_ledger_store_objects_finish (ledger, np_test_wait_result (&result, 10000), &n_stored, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_stored, ==, 1);
}

/* Schema 9 says where each account, checkout and customer came from. A desk
 * upgraded while in team ledger A takes the rows of its accounts linked there
 * that no journal row of its own names as received from A (another desk's
 * checkout, a customer, an account it only got from A), keeps its own as its
 * own, and a desk's local-only account stays all its own. A join uploads only
 * its own; its own retrieve makes a row its own, and another team ledger's
 * copy of an own row leaves it its own. Journal and audit chain are untouched. */
static void
test_migrate_v8_origins (void)
{
  g_autofree char *path = fixture_ledger_path ("v8-origins");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpLedger) reopened = NULL;
  g_autoptr(NpCustomer) customer = fixture_customer ("cus-a", "Ada", "Lovelace", "ada@example.com", NULL);
  g_autoptr(NpCheckout) c1_paid = fixture_checkout (&(FixtureCheckout) { .id = "c1", .status = "paid", .amount = 100 });
  g_autoptr(NpCheckout) from_b = fixture_checkout (&(FixtureCheckout) { .id = "b2", .status = "paid", .amount = 7 });
  g_autoptr(GError) error = NULL;
  g_autofree char *rows_before = NULL, *rows_after = NULL, *head_before = NULL, *head_after = NULL;
  g_autofree char *version = NULL, *origins = NULL, *own = NULL, *received = NULL;
  gint64 shop = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 elsewhere = fixture_add_account (ledger, "Elsewhere", NP_ENVIRONMENT_TEST);
  gint64 solo = fixture_add_account (ledger, "Solo", NP_ENVIRONMENT_TEST);
  guint n_rows = 0;

  /* A schema 8 desk in team ledger A: its own checkout c1 (journalled here),
   * another desk's b1 (journalled there), from-a and a customer it only
   * received, and the account Elsewhere that only A gave it. */
  use_team_ledger (ledger, TEAM_A, FALSE, TRUE);
  g_assert_true (np_ledger_set_account_team_id (ledger, shop, SHOP_IN_A, &error));
  g_assert_true (np_ledger_set_account_team_id (ledger, elsewhere, ELSEWHERE_IN_A, &error));
  g_assert_no_error (error);
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "c1", .status = "created", .amount = 100 });
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "b1", .status = "paid", .amount = 200 });
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "from-a", .status = "paid", .amount = 300 });
  fixture_upsert (ledger, elsewhere, &(FixtureCheckout) { .id = "e1", .status = "paid", .amount = 400 });
  fixture_upsert (ledger, solo, &(FixtureCheckout) { .id = "s1", .status = "paid", .amount = 500 });
  g_assert_true (np_ledger_upsert_customer (ledger, shop, customer, &error));
  g_assert_no_error (error);
  finished_entry (ledger, shop, NP_JOURNAL_OPERATION_CREATE, "Create checkout 1.00 SEK", NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_cmpint (np_ledger_journal_apply_team (ledger, shop, 6, NP_JOURNAL_OPERATION_CREATE,
                                                 NP_JOURNAL_STATE_SUCCEEDED, "b1", "Create checkout 2.00 SEK",
                                                 NULL, NULL, 1000, 1001, "SUPPORT-2", "someone", &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (np_ledger_verify_chain (ledger, shop, &n_rows, &head_before, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 1);
  g_clear_object (&ledger);
  exec_sql (path, to_v8);
  rows_before = fixture_sql_column (path, JOURNAL_ROWS_SQL);
  g_assert_true (sql_refused (path, "SELECT received_from FROM checkouts"));

  reopened = fixture_open_ledger (path);
  version = fixture_sql_column (path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, G_STRINGIFY (NP_LEDGER_SCHEMA_VERSION));
  rows_after = fixture_sql_column (path, JOURNAL_ROWS_SQL);
  g_assert_cmpstr (rows_after, ==, rows_before);
  g_assert_true (np_ledger_verify_chain (reopened, shop, &n_rows, &head_after, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 1);
  g_assert_cmpstr (head_after, ==, head_before);

  origins = fixture_sql_column (path, ORIGINS_OF ("accounts", "name"));
  g_assert_cmpstr (origins, ==, "Elsewhere:" TEAM_A ",Shop:own,Solo:own");
  g_clear_pointer (&origins, g_free);
  origins = fixture_sql_column (path, ORIGINS_OF ("checkouts", "checkout_id"));
  g_assert_cmpstr (origins, ==, "b1:" TEAM_A ",c1:own,e1:" TEAM_A ",from-a:" TEAM_A ",s1:own");
  g_clear_pointer (&origins, g_free);
  origins = fixture_sql_column (path, ORIGINS_OF ("customers", "customer_id"));
  g_assert_cmpstr (origins, ==, "cus-a:" TEAM_A);
  received = np_ledger_dup_account_received_from (reopened, elsewhere);
  g_assert_cmpstr (received, ==, TEAM_A);
  g_assert_null (np_ledger_dup_account_received_from (reopened, shop));

  /* A join uploads this desk's own only. */
  own = read_own (reopened, NP_LEDGER_OBJECT_CHECKOUT, shop);
  g_assert_cmpstr (own, ==, "c1");
  g_clear_pointer (&own, g_free);
  own = read_own (reopened, NP_LEDGER_OBJECT_CUSTOMER, shop);
  g_assert_cmpstr (own, ==, "");
  g_clear_pointer (&own, g_free);
  own = read_own (reopened, NP_LEDGER_OBJECT_CHECKOUT, elsewhere);
  g_assert_cmpstr (own, ==, "");
  g_clear_pointer (&own, g_free);
  own = read_own (reopened, NP_LEDGER_OBJECT_CHECKOUT, solo);
  g_assert_cmpstr (own, ==, "s1");
  g_clear_pointer (&own, g_free);

  /* Its own retrieve (the same answer A gave) makes from-a its own, and the
   * customer too; what team ledger B then sends is B's, except c1, which was
   * this desk's own before B said more of it. */
  fixture_upsert (reopened, shop, &(FixtureCheckout) { .id = "from-a", .status = "paid", .amount = 300 });
  g_assert_true (np_ledger_upsert_customer (reopened, shop, customer, &error));
  g_assert_no_error (error);
  use_team_ledger (reopened, NULL, FALSE, TRUE);
  use_team_ledger (reopened, TEAM_B, FALSE, TRUE);
  store_received (reopened, shop, from_b, TEAM_B);
  store_received (reopened, shop, c1_paid, TEAM_B);
  g_clear_pointer (&origins, g_free);
  origins = fixture_sql_column (path, ORIGINS_OF ("checkouts", "checkout_id"));
  g_assert_cmpstr (origins, ==, "b1:" TEAM_A ",b2:" TEAM_B ",c1:own,e1:" TEAM_A ",from-a:own,s1:own");
  g_clear_pointer (&origins, g_free);
  own = read_own (reopened, NP_LEDGER_OBJECT_CHECKOUT, shop);
  g_assert_cmpstr (own, ==, "c1,from-a");
  g_clear_pointer (&own, g_free);
  own = read_own (reopened, NP_LEDGER_OBJECT_CUSTOMER, shop);
  g_assert_cmpstr (own, ==, "cus-a");

  /* An account B gives is B's; in no team ledger, none can be marked. */
  g_assert_true (np_ledger_mark_account_received (reopened, solo, &error));
  g_assert_no_error (error);
  g_clear_pointer (&received, g_free);
  received = np_ledger_dup_account_received_from (reopened, solo);
  g_assert_cmpstr (received, ==, TEAM_B);
  use_team_ledger (reopened, NULL, FALSE, TRUE);
  g_assert_false (np_ledger_mark_account_received (reopened, shop, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
  g_assert_null (np_ledger_dup_account_received_from (reopened, shop));
}

/* What a retrieve brings back: a changed status writes one 'refresh' row, in
 * the write's transaction; an unchanged answer, a first sight, or a plain
 * upsert (an operation's own answer, journalled by it) write none. */
static void
test_refresh_journals_status_change (void)
{
  g_autofree char *path = fixture_ledger_path ("refresh-journal");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) refreshes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(NpJournalEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  g_autofree char *details = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  ChangedLog log = { 0 };
  guint n_rows = 0;

  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "same", .status = "created", .amount = 100 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "paid", .status = "created", .amount = 12550 });
  /* A plain upsert of a new status (a capture's own answer): no refresh row. */
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "same", .status = "reserved", .amount = 100 });
  count = fixture_sql_column (path, "SELECT count(*) FROM journal");
  g_assert_cmpstr (count, ==, "0");
  g_clear_pointer (&count, g_free);

  g_ptr_array_add (batch, fixture_checkout (&(FixtureCheckout) { .id = "same", .status = "reserved", .amount = 100 }));
  g_ptr_array_add (batch, fixture_checkout (&(FixtureCheckout) { .id = "paid", .status = "paid", .amount = 12550 }));
  g_ptr_array_add (batch, fixture_checkout (&(FixtureCheckout) { .id = "new", .status = "paid", .amount = 5 }));
  g_signal_connect (ledger, "changed", G_CALLBACK (on_changed), &log);
  g_assert_true (np_ledger_refresh_checkouts (ledger, account, batch, refreshes, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (refreshes->len, ==, 1);
  entry = np_ledger_journal_get (ledger, g_array_index (refreshes, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_journal_entry_get_operation (entry), ==, NP_JOURNAL_OPERATION_REFRESH);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_cmpstr (np_journal_entry_get_object_id (entry), ==, "paid");
  g_assert_cmpstr (np_journal_entry_get_summary (entry), ==, "Status created → paid, 125.50\u00a0SEK");
  g_assert_nonnull (np_journal_entry_get_finished (entry));
  g_assert_false (np_journal_entry_needs_attention (entry));
  details = g_strdup (np_journal_entry_get_details (entry));
  g_assert_nonnull (strstr (details, "\"status_before\":\"created\""));
  g_assert_nonnull (strstr (details, "\"amount\":12550"));
  g_assert_nonnull (strstr (details, "\"currency\":\"SEK\""));
  /* Checkouts, then the journal. */
  g_assert_cmpuint (log.n_emissions, ==, 2);
  g_assert_cmpuint (log.table, ==, NP_LEDGER_TABLE_JOURNAL);
  /* Stored with the checkout, in one transaction: the same revision. */
  count = fixture_sql_column (path, "SELECT count(*) FROM journal j JOIN checkouts c"
                                    " ON c.checkout_id = j.object_id AND c.revision = j.revision"
                                    " WHERE j.operation = 'refresh'");
  g_assert_cmpstr (count, ==, "1");
  g_assert_true (np_ledger_verify_chain (ledger, account, &n_rows, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 1);

  /* The same answers again: nothing. */
  g_array_set_size (refreshes, 0);
  g_assert_true (np_ledger_refresh_checkouts (ledger, account, batch, refreshes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (refreshes->len, ==, 0);
  g_assert_cmpuint (log.n_emissions, ==, 2);
}

/* A customer retrieved again unchanged is no change either: no revision, no
 * NpLedger::changed (the customers list keeps its rows); a changed one is. */
static void
test_customer_upsert_unchanged (void)
{
  g_autofree char *path = fixture_ledger_path ("customer-unchanged");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCustomer) ada = fixture_customer ("cus1", "Ada", "Lovelace", "ada@example.com", NULL);
  g_autoptr(NpCustomer) ada_again = fixture_customer ("cus1", "Ada", "Lovelace", "ada@example.com", NULL);
  g_autoptr(NpCustomer) ada_moved = fixture_customer ("cus1", "Ada", "Lovelace", "ada@engine.example", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *revision_before = NULL;
  g_autofree char *revision_after = NULL;
  g_autofree char *refreshed = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  ChangedLog log = { 0 };

  g_assert_true (np_ledger_upsert_customer (ledger, account, ada, &error));
  g_assert_no_error (error);
  revision_before = fixture_sql_column (path, "SELECT revision FROM customers WHERE customer_id = 'cus1'");
  exec_sql (path, "UPDATE customers SET last_refreshed = 1");
  g_signal_connect (ledger, "changed", G_CALLBACK (on_changed), &log);

  g_assert_true (np_ledger_upsert_customer (ledger, account, ada_again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log.n_emissions, ==, 0);
  revision_after = fixture_sql_column (path, "SELECT revision FROM customers WHERE customer_id = 'cus1'");
  g_assert_cmpstr (revision_after, ==, revision_before);
  /* Only when it was seen is written. */
  refreshed = fixture_sql_column (path, "SELECT last_refreshed > 1 FROM customers WHERE customer_id = 'cus1'");
  g_assert_cmpstr (refreshed, ==, "1");

  g_assert_true (np_ledger_upsert_customer (ledger, account, ada_moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log.n_emissions, ==, 1);
  g_assert_cmpuint (log.table, ==, NP_LEDGER_TABLE_CUSTOMERS);
}

static void
test_upsert_idempotent (void)
{
  g_autofree char *path = fixture_ledger_path ("idempotent");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  FixtureCheckout spec = { .id = "c1", .identifier = "order-1", .status = "reserved", .amount = 1250,
                           .currency = "EUR", .message = "Two coffees", .created = D0 + 3600,
                           .metadata_key = "table", .metadata_value = "7" };
  g_autoptr(NpCheckoutRow) first = NULL;
  g_autoptr(NpCheckoutRow) second = NULL;
  g_autoptr(NpCheckout) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  g_autofree char *metadata = NULL;
  ChangedLog log = { 0 };
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  g_signal_connect (ledger, "changed", G_CALLBACK (on_changed), &log);

  fixture_upsert (ledger, account, &spec);
  first = np_ledger_get_checkout_row (ledger, account, "c1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log.n_emissions, ==, 1);
  g_assert_cmpuint (log.table, ==, NP_LEDGER_TABLE_CHECKOUTS);
  g_assert_cmpint (log.account_id, ==, account);
  g_assert_cmpint (log.row_id, ==, np_checkout_row_get_row_id (first));

  /* The same answer again is no change: nothing is emitted, so no list row is
   * replaced (a watch retrieves every 2 s). */
  fixture_upsert (ledger, account, &spec);
  second = np_ledger_get_checkout_row (ledger, account, "c1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log.n_emissions, ==, 1);

  count = fixture_sql_column (path, "SELECT count(*) FROM checkouts");
  g_assert_cmpstr (count, ==, "1");
  g_assert_cmpint (np_checkout_row_get_row_id (first), ==, np_checkout_row_get_row_id (second));
  g_assert_cmpstr (np_checkout_row_get_status_text (second), ==, "reserved");
  g_assert_cmpint (np_checkout_row_get_status (second), ==, NP_CHECKOUT_STATUS_RESERVED);
  g_assert_cmpint (np_checkout_row_get_amount (second), ==, 1250);
  g_assert_cmpstr (np_checkout_row_get_currency (second), ==, "EUR");
  g_assert_cmpstr (np_checkout_row_get_message (second), ==, "Two coffees");
  g_assert_cmpint (g_date_time_to_unix (np_checkout_row_get_created (second)), ==, D0 + 3600);
  g_assert_true (np_checkout_row_get_retrieved (second));
  g_assert_nonnull (np_checkout_row_get_last_refreshed (second));
  metadata = fixture_sql_column (path, "SELECT metadata FROM checkouts");
  g_assert_cmpstr (metadata, ==, "{\"table\":\"7\"}");

  stored = np_ledger_get_checkout (ledger, account, "c1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_checkout_get_amount (stored), ==, 1250);
  g_assert_cmpstr (g_hash_table_lookup (np_checkout_get_metadata (stored), "table"), ==, "7");

  /* A new state replaces the old one. */
  spec.status = "paid";
  fixture_upsert (ledger, account, &spec);
  g_clear_object (&second);
  second = np_ledger_get_checkout_row (ledger, account, "c1", &error);
  g_assert_cmpint (np_checkout_row_get_status (second), ==, NP_CHECKOUT_STATUS_PAID);
  g_assert_cmpuint (log.n_emissions, ==, 2);

  /* The same answer after a failed refresh is a change: the error goes. */
  g_assert_true (np_ledger_record_checkout_failure (ledger, account, "c1", "Timed out", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log.n_emissions, ==, 3);
  fixture_upsert (ledger, account, &spec);
  g_assert_cmpuint (log.n_emissions, ==, 4);
  g_clear_object (&second);
  second = np_ledger_get_checkout_row (ledger, account, "c1", &error);
  g_assert_null (np_checkout_row_get_refresh_error (second));
}

static void
test_batch_upsert (void)
{
  g_autofree char *path = fixture_ledger_path ("batch");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GPtrArray) checkouts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  ChangedLog log = { 0 };
  guint count = 0;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *id = g_strdup_printf ("batch%02u", i);
      g_ptr_array_add (checkouts, fixture_checkout (&(FixtureCheckout) { .id = id, .amount = i + 1, .created = D0 + i }));
    }

  g_signal_connect (ledger, "changed", G_CALLBACK (on_changed), &log);
  np_ledger_upsert_checkouts (ledger, account, checkouts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log.n_emissions, ==, 1);
  g_assert_cmpint (log.row_id, ==, 0);

  np_ledger_count_checkouts (ledger, account, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 50);
}

static void
test_refresh_failure (void)
{
  g_autofree char *path = fixture_ledger_path ("failure");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCheckoutQuery) failed = np_checkout_query_new_refresh_failed ();
  g_autoptr(NpCheckoutRow) row = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  FixtureCheckout spec = { .id = "c1", .status = "created", .amount = 10, .created = D0 };

  fixture_upsert (ledger, account, &spec);
  np_ledger_record_checkout_failure (ledger, account, "c1", "The server did not answer.", &error);
  g_assert_no_error (error);

  row = np_ledger_get_checkout_row (ledger, account, "c1", &error);
  g_assert_cmpstr (np_checkout_row_get_refresh_error (row), ==, "The server did not answer.");
  g_assert_nonnull (np_checkout_row_get_refresh_failed_at (row));
  /* The last known state is kept. */
  g_assert_cmpint (np_checkout_row_get_amount (row), ==, 10);
  np_ledger_count_checkouts (ledger, account, failed, &count, &error);
  g_assert_cmpuint (count, ==, 1);

  fixture_upsert (ledger, account, &spec);
  g_clear_object (&row);
  row = np_ledger_get_checkout_row (ledger, account, "c1", &error);
  g_assert_null (np_checkout_row_get_refresh_error (row));
  np_ledger_count_checkouts (ledger, account, failed, &count, &error);
  g_assert_cmpuint (count, ==, 0);

  g_assert_false (np_ledger_record_checkout_failure (ledger, account, "nope", "x", &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND);
}

static void
test_deleted_and_forgotten (void)
{
  g_autofree char *path = fixture_ledger_path ("deleted");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCheckoutQuery) with_deleted = np_checkout_query_new ();
  g_autoptr(NpCheckout) gone = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "keep", .amount = 1, .created = D0 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "del", .amount = 2, .created = D0 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "forget", .amount = 3, .created = D0 });
  np_ledger_journal_begin (ledger, account, NP_JOURNAL_OPERATION_UPDATE, "forget", "Update", NULL, &error);

  np_ledger_mark_checkout_deleted (ledger, account, "del", &error);
  g_assert_no_error (error);
  np_ledger_count_checkouts (ledger, account, NULL, &count, &error);
  g_assert_cmpuint (count, ==, 2);
  with_deleted->include_deleted = TRUE;
  np_ledger_count_checkouts (ledger, account, with_deleted, &count, &error);
  g_assert_cmpuint (count, ==, 3);

  np_ledger_forget_checkout (ledger, account, "forget", &error);
  g_assert_no_error (error);
  np_ledger_count_checkouts (ledger, account, with_deleted, &count, &error);
  g_assert_cmpuint (count, ==, 2);
  gone = np_ledger_get_checkout (ledger, account, "forget", &error);
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND);
  g_assert_null (gone);
  g_clear_error (&error);

  /* The journal keeps the history of what was forgotten. */
  entries = np_ledger_journal_list (ledger, account, NULL, 0, 10, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (np_journal_entry_get_object_id (g_ptr_array_index (entries, 0)), ==, "forget");

  g_assert_false (np_ledger_forget_checkout (ledger, account, "forget", &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND);
}

static JsonObject *
refund_details (void)
{
  JsonObject *details = json_object_new ();

  json_object_set_int_member (details, "amount", 500);
  json_object_set_string_member (details, "currency", "SEK");
  json_object_set_string_member (details, "reason", "duplicate");
  return details;
}

static void
test_journal_states (void)
{
  g_autofree char *path = fixture_ledger_path ("journal");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(JsonObject) details = refund_details ();
  g_autoptr(NpJournalEntry) entry = NULL;
  g_autoptr(NpJournalQuery) query = np_journal_query_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *seen_before_finish = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 create, refund, capture;
  guint settled = 0;

  create = np_ledger_journal_begin (ledger, account, NP_JOURNAL_OPERATION_CREATE, NULL,
                                    "Create 20.00 SEK", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (create, >, 0);

  /* Committed before anything is sent: another connection sees it. */
  seen_before_finish = fixture_sql_column (path, "SELECT state FROM journal");
  g_assert_cmpstr (seen_before_finish, ==, "pending");

  np_ledger_journal_finish (ledger, create, NP_JOURNAL_STATE_SUCCEEDED, NULL, "new1", &error);
  g_assert_no_error (error);
  entry = np_ledger_journal_get (ledger, create, &error);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_cmpstr (np_journal_entry_get_object_id (entry), ==, "new1");
  g_assert_nonnull (np_journal_entry_get_finished (entry));
  g_assert_null (np_journal_entry_get_error_text (entry));
  g_clear_object (&entry);

  /* A finished operation stays finished. */
  g_assert_false (np_ledger_journal_finish (ledger, create, NP_JOURNAL_STATE_FAILED, "late", NULL, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
  g_clear_error (&error);

  refund = np_ledger_journal_begin (ledger, account, NP_JOURNAL_OPERATION_REFUND, "new1",
                                    "Refund 5.00 SEK", details, &error);
  g_assert_false (np_ledger_journal_finish (ledger, refund, NP_JOURNAL_STATE_PENDING, NULL, NULL, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
  g_clear_error (&error);
  np_ledger_journal_finish (ledger, refund, NP_JOURNAL_STATE_FAILED, "Refund exceeds the paid amount", NULL, &error);
  g_assert_no_error (error);
  entry = np_ledger_journal_get (ledger, refund, &error);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_FAILED);
  g_assert_cmpstr (np_journal_entry_get_error_text (entry), ==, "Refund exceeds the paid amount");
  g_assert_cmpstr (np_journal_entry_get_details (entry), ==,
                   "{\"amount\":500,\"currency\":\"SEK\",\"reason\":\"duplicate\"}");
  g_clear_object (&entry);

  capture = np_ledger_journal_begin (ledger, account, NP_JOURNAL_OPERATION_CAPTURE, "new1", "Capture", NULL, &error);
  np_ledger_journal_finish (ledger, capture, NP_JOURNAL_STATE_UNKNOWN, "No answer within 30 s", NULL, &error);
  g_assert_no_error (error);
  entry = np_ledger_journal_get (ledger, capture, &error);
  g_assert_true (np_journal_entry_needs_attention (entry));
  g_clear_object (&entry);

  /* Only an unknown outcome can be settled, and once. */
  g_assert_false (np_ledger_journal_settle (ledger, refund, "paid", &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
  g_clear_error (&error);
  np_ledger_journal_settle (ledger, capture, "paid", &error);
  g_assert_no_error (error);
  entry = np_ledger_journal_get (ledger, capture, &error);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_UNKNOWN);
  g_assert_cmpstr (np_journal_entry_get_settled_status (entry), ==, "paid");
  g_assert_nonnull (np_journal_entry_get_settled (entry));
  g_assert_false (np_journal_entry_needs_attention (entry));
  g_assert_false (np_ledger_journal_settle (ledger, capture, "paid", &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_null (np_ledger_journal_get (ledger, 9999, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Queries: newest first, by operation, state, object and text. */
  list = np_ledger_journal_list (ledger, account, query, 0, 10, &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpint (np_journal_entry_get_id (g_ptr_array_index (list, 0)), ==, capture);
  g_clear_pointer (&list, g_ptr_array_unref);

  query->operation_mask = NP_JOURNAL_OPERATION_BIT (NP_JOURNAL_OPERATION_REFUND);
  list = np_ledger_journal_list (ledger, account, query, 0, 10, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (np_journal_entry_get_id (g_ptr_array_index (list, 0)), ==, refund);
  g_clear_pointer (&list, g_ptr_array_unref);

  query->operation_mask = 0;
  query->state_mask = NP_JOURNAL_STATE_BIT (NP_JOURNAL_STATE_SUCCEEDED) | NP_JOURNAL_STATE_BIT (NP_JOURNAL_STATE_FAILED);
  list = np_ledger_journal_list (ledger, account, query, 0, 10, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  query->state_mask = 0;
  np_journal_query_set_text (query, "EXCEEDS");
  list = np_ledger_journal_list (ledger, account, query, 0, 10, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  np_journal_query_set_text (query, NULL);
  np_journal_query_set_object_id (query, "new1");
  list = np_ledger_journal_list (ledger, account, query, 0, 10, &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Settling by object after a refresh. */
  capture = np_ledger_journal_begin (ledger, account, NP_JOURNAL_OPERATION_REFUND, "new1", "Refund", NULL, &error);
  np_ledger_journal_finish (ledger, capture, NP_JOURNAL_STATE_UNKNOWN, "Connection lost", NULL, &error);
  np_journal_query_set_object_id (query, NULL);
  query->needs_attention = TRUE;
  list = np_ledger_journal_list (ledger, account, query, 0, 10, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  np_ledger_journal_settle_object (ledger, account, "new1", "refunded", &settled, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (settled, ==, 1);
  list = np_ledger_journal_list (ledger, account, query, 0, 10, &error);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_pending_becomes_unknown (void)
{
  g_autofree char *path = fixture_ledger_path ("pending");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpJournalEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 id;

  id = np_ledger_journal_begin (ledger, account, NP_JOURNAL_OPERATION_REFUND, "c1", "Refund", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (np_ledger_get_n_recovered (ledger), ==, 0);

  /* The app goes away between sending and hearing back. */
  g_clear_object (&ledger);
  ledger = fixture_open_ledger (path);
  g_assert_cmpuint (np_ledger_get_n_recovered (ledger), ==, 1);

  entry = np_ledger_journal_get (ledger, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_UNKNOWN);
  g_assert_nonnull (np_journal_entry_get_error_text (entry));
  g_assert_true (np_journal_entry_needs_attention (entry));

  g_clear_object (&ledger);
  ledger = fixture_open_ledger (path);
  g_assert_cmpuint (np_ledger_get_n_recovered (ledger), ==, 0);
}

/* A query that loads the search index on the ledger's own connection (no worker
 * had loaded it) reads every row of the account: the pages it read must not stay
 * in that connection's page cache (16 MiB at most), where they stayed resident
 * in the console with nothing to read them again. */
static void
test_index_load_releases_page_cache (void)
{
  g_autofree char *path = fixture_ledger_path ("index-page-cache");
  g_autofree char *message = g_strnfill (600, 'm');
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpLedger) reopened = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  sqlite3_int64 before = 0, after = 0, highwater = 0;

  /* 8,000 checkouts of about 1 KiB each in the file (their JSON, the message, the search text). */
  for (guint i = 0; i < 8000; i++)
    {
      g_autofree char *id = g_strdup_printf ("chk%05u", i);

      g_ptr_array_add (batch, fixture_checkout (&(FixtureCheckout) { .id = id, .message = message,
                                                                     .amount = 100 + i, .created = D0 + i }));
    }
  np_ledger_upsert_checkouts (ledger, account, batch, &error);
  g_assert_no_error (error);
  g_clear_object (&ledger);

  reopened = fixture_open_ledger (path);
  /* The high water from here: the load's own. */
  g_assert_cmpint (sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &before, &highwater, TRUE), ==, SQLITE_OK);
  rows = np_ledger_list_checkouts (reopened, account, NULL, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 10);
  g_assert_cmpint (sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &after, &highwater, FALSE), ==, SQLITE_OK);
  /* The table is over 8 MiB; what SQLite still holds after the query is its
   * statements and the few pages of the rows listed. */
  g_test_message ("SQLite's memory: %" G_GINT64_FORMAT " bytes more after the load (high water %" G_GINT64_FORMAT ")",
                  (gint64) (after - before), (gint64) highwater);
  g_assert_cmpint (highwater - before, >, 4 * 1024 * 1024);
  g_assert_cmpint (after - before, <, 1024 * 1024);
}

/* A first sync stores checkouts and then their customers, which indexes every
 * checkout of a customer again (its email is in its search text): the first
 * texts stay in the index's buffer until np_ledger_release_memory (), called at
 * the end of a first sync, compacts it. Searches find the same rows after. */
static void
test_release_memory_compacts_index (void)
{
  g_autofree char *path = fixture_ledger_path ("index-compact");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GPtrArray) checkouts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  NpCheckoutQuery query = { 0 };
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gsize bytes_before, bytes_after, stale = 0;
  guint count = 0;

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *id = g_strdup_printf ("chk%05u", i);
      g_autofree char *customer = g_strdup_printf ("cus%03u", i % 100);

      g_ptr_array_add (checkouts, fixture_checkout (&(FixtureCheckout) { .id = id, .customer_id = customer,
                                                                         .message = "Order", .amount = 100 + i,
                                                                         .created = D0 + i }));
    }
  g_assert_true (np_ledger_upsert_checkouts (ledger, account, checkouts, &error));
  g_assert_no_error (error);
  g_assert_true (np_ledger_count_checkouts (ledger, account, NULL, &count, &error));
  g_assert_cmpuint (count, ==, 2000);
  g_assert_cmpuint (np_ledger_get_index_text_bytes (ledger, account, &stale), >, 0);
  g_assert_cmpuint (stale, ==, 0);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *id = g_strdup_printf ("cus%03u", i);
      g_autofree char *email = g_strdup_printf ("buyer%03u@example.com", i);

      g_ptr_array_add (customers, fixture_customer (id, "Buyer", "Example", email, NULL));
    }
  g_assert_true (np_ledger_upsert_customers (ledger, account, customers, &error));
  g_assert_no_error (error);
  bytes_before = np_ledger_get_index_text_bytes (ledger, account, &stale);
  g_test_message ("index text %" G_GSIZE_FORMAT " bytes, %" G_GSIZE_FORMAT " of them stale", bytes_before, stale);
  g_assert_cmpuint (stale, >, 0);

  np_ledger_release_memory (ledger);
  bytes_after = np_ledger_get_index_text_bytes (ledger, account, &stale);
  g_assert_cmpuint (stale, ==, 0);
  g_assert_cmpuint (bytes_after, <, bytes_before);

  query.text = (char *) "buyer007@example";
  g_assert_true (np_ledger_count_checkouts (ledger, account, &query, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 20);
  query.text = (char *) "chk01234";
  g_assert_true (np_ledger_count_checkouts (ledger, account, &query, &count, &error));
  g_assert_cmpuint (count, ==, 1);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A first sync's batch is written on a connection of its own, on a pool thread
 * (np_ledger_store_objects_async ()): that connection's page cache is freed into
 * the thread's malloc arena when it closes, and a thread arena's free top is
 * not handed back by malloc_trim (): 4 to 12 MiB of a team desk's resident
 * memory stayed there after a first sync. The connection's cache is kept small:
 * a batch of 2,500 checkouts of 3 KiB (15 MiB of pages with their search text)
 * costs SQLite a few MiB at most, not the ledger connection's 16. */
static void
test_store_objects_bounded_cache (void)
{
  g_autofree char *path = fixture_ledger_path ("store-objects-cache");
  g_autofree char *message = g_strnfill (3000, 'm');
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GPtrArray) jsons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  sqlite3_int64 before = 0, highwater = 0;
  gint64 start;
  guint n_stored = 0;

  for (guint i = 0; i < 2500; i++)
    {
      g_autofree char *id = g_strdup_printf ("chk%05u", i);
      g_autoptr(NpCheckout) checkout = fixture_checkout (&(FixtureCheckout) { .id = id, .message = message,
                                                                              .amount = 100 + i, .created = D0 + i });

      g_ptr_array_add (jsons, np_checkout_to_json (checkout, FALSE));
    }

  g_assert_cmpint (sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &before, &highwater, TRUE), ==, SQLITE_OK);
  start = g_get_monotonic_time ();
  np_ledger_store_objects_async (ledger, NP_LEDGER_OBJECT_CHECKOUT, account, jsons, NULL, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("stored in %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (np_ledger_store_objects_finish (ledger, result, &n_stored, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_stored, ==, 2500);
  g_assert_cmpint (sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &before, &highwater, FALSE), ==, SQLITE_OK);
  g_test_message ("SQLite's high water while storing: %" G_GINT64_FORMAT " bytes", (gint64) highwater);
  g_assert_cmpint (highwater, <, 6 * 1024 * 1024);
}

/* A load in the worker: the lists that waited for it read their rows on the
 * ledger's own connection meanwhile. Once the index is installed and the main
 * loop is idle, those pages are handed back too (np_ledger_release_memory ()),
 * as after a load on the ledger's connection. */
static void
test_prepared_index_releases_page_cache (void)
{
  g_autofree char *path = fixture_ledger_path ("prepared-page-cache");
  g_autofree char *message = g_strnfill (600, 'm');
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpLedger) reopened = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  sqlite3_int64 before = 0, read = 0, after = 0, highwater = 0;

  for (guint i = 0; i < 8000; i++)
    {
      g_autofree char *id = g_strdup_printf ("chk%05u", i);

      g_ptr_array_add (batch, fixture_checkout (&(FixtureCheckout) { .id = id, .message = message,
                                                                     .amount = 100 + i, .created = D0 + i }));
    }
  np_ledger_upsert_checkouts (ledger, account, batch, &error);
  g_assert_no_error (error);
  g_clear_object (&ledger);

  reopened = fixture_open_ledger (path);
  g_assert_cmpint (sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &before, &highwater, TRUE), ==, SQLITE_OK);
  np_ledger_prepare_account_async (reopened, account, NULL, np_test_store_result, &result);
  /* Every row read on the ledger's connection while the worker loads. */
  for (guint i = 0; i < 8000; i += 3)
    {
      g_autofree char *id = g_strdup_printf ("chk%05u", i);
      g_autoptr(NpCheckout) checkout = np_ledger_get_checkout (reopened, account, id, &error);

      g_assert_no_error (error);
      g_assert_nonnull (checkout);
    }
  g_assert_cmpint (sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &read, &highwater, FALSE), ==, SQLITE_OK);
  g_assert_cmpint (read - before, >, 4 * 1024 * 1024);

  np_test_wait_result (&result, 30000);
  g_assert_true (np_ledger_prepare_account_finish (reopened, result, &error));
  g_assert_no_error (error);

  /* The release is an idle at low priority: it has run once nothing is left
   * to dispatch. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &after, &highwater, FALSE), ==, SQLITE_OK);
  g_test_message ("SQLite's memory: %" G_GINT64_FORMAT " bytes more after reading the rows, "
                  "%" G_GINT64_FORMAT " once the index is installed and the loop idle",
                  (gint64) (read - before), (gint64) (after - before));
  g_assert_cmpint (after - before, <, 1024 * 1024);
}

static void
test_search (void)
{
  g_autofree char *path = fixture_ledger_path ("search");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  struct {
    const char *text;
    const char *expected;
  } cases[] = {
    { "order-42", "a4242,b42" },
    { "ORDER-42", "a4242,b42" },
    { "  order-4242 ", "a4242" },
    { "order-4", "a4242,b42,c4" },
    { "ärende", "d-msg" },
    { "ÅSA", "d-msg" },
    { "inv-77", "e-meta" },
    { "4242", "a4242" },
    { "-meta", "e-meta" },
    { "zed@", "f-cust" },
    { "nothing like this", "" },
  };

  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "a4242", .identifier = "order-4242", .created = D0 + 1 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "b42", .identifier = "order-42", .created = D0 + 2 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "c4", .identifier = "order-4", .created = D0 + 3 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "d-msg", .message = "Ärende för Åsa", .created = D0 + 4 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "e-meta", .metadata_key = "invoice", .metadata_value = "INV-77", .created = D0 + 5 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "f-cust", .customer_id = "cus-x", .created = D0 + 6 });

  customer = fixture_customer ("cus-x", "Zed", "Shaw", "zed@example.org", NULL);
  np_ledger_upsert_customer (ledger, account, customer, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *found = search (ledger, account, cases[i].text);
      g_assert_cmpstr (found, ==, cases[i].expected);
    }

  /* A customer's new email is what their checkouts are found by. */
  g_clear_object (&customer);
  customer = fixture_customer ("cus-x", "Zed", "Shaw", "yan@example.org", NULL);
  np_ledger_upsert_customer (ledger, account, customer, &error);
  g_assert_no_error (error);
  {
    g_autofree char *old_email = search (ledger, account, "zed@");
    g_autofree char *new_email = search (ledger, account, "yan@");

    g_assert_cmpstr (old_email, ==, "");
    g_assert_cmpstr (new_email, ==, "f-cust");
  }
}

/* 24 checkouts with every sort key varied and some ties. */
static void
add_sort_fixtures (NpLedger *ledger,
                   gint64    account)
{
  static const char * const statuses[] = { "created", "reserved", "paid", "refunded", "partialRefund", "failed" };

  for (guint i = 0; i < 24; i++)
    {
      g_autofree char *id = g_strdup_printf ("s%02u", i);

      fixture_upsert (ledger, account, &(FixtureCheckout) {
        .id = id,
        .status = statuses[(i * 7) % G_N_ELEMENTS (statuses)],
        .amount = 100 * ((i * 5) % 7),
        .created = D0 + DAY * ((i * 11) % 5) + (i % 3),
        .updated = D0 + 10 * DAY - (i % 4) * 60,
      });
    }
}

/* Every order the list offers, both ways, against the same order from SQL. */
static void
assert_sorts_match_sql (NpLedger   *ledger,
                        const char *path,
                        gint64      account)
{
  struct {
    NpCheckoutSort sort;
    const char    *order_by[2];
  } sorts[] = {
    { NP_CHECKOUT_SORT_CREATED, { "created, row_id", "created DESC, row_id DESC" } },
    { NP_CHECKOUT_SORT_AMOUNT, { "amount, row_id", "amount DESC, row_id DESC" } },
    { NP_CHECKOUT_SORT_STATUS, { "status, created, row_id", "status DESC, created DESC, row_id DESC" } },
    { NP_CHECKOUT_SORT_UPDATED, { "updated, row_id", "updated DESC, row_id DESC" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    for (guint descending = 0; descending <= 1; descending++)
      {
        g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
        g_autoptr(GPtrArray) rows = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *sql = g_strdup_printf ("SELECT checkout_id FROM checkouts ORDER BY %s",
                                                sorts[i].order_by[descending]);
        g_autofree char *expected = fixture_sql_column (path, sql);
        g_autofree char *got = NULL;

        query->sort = sorts[i].sort;
        query->descending = descending;
        rows = np_ledger_list_checkouts (ledger, account, query, 0, 100, &error);
        g_assert_no_error (error);
        got = fixture_row_ids (rows);
        g_assert_cmpstr (got, ==, expected);
      }
}

static void
test_filters_and_sorts (void)
{
  g_autofree char *path = fixture_ledger_path ("sorts");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  add_sort_fixtures (ledger, account);
  assert_sorts_match_sql (ledger, path, account);

  /* Refreshed rows with new statuses, amounts and update times move in the sorted
   * orders the index keeps between queries; their created times stay. */
  for (guint i = 0; i < 24; i += 5)
    {
      g_autofree char *id = g_strdup_printf ("s%02u", i);

      fixture_upsert (ledger, account, &(FixtureCheckout) {
        .id = id,
        .status = i % 2 ? "paid" : "refunded",
        .amount = 100 * ((i * 3) % 7),
        .created = D0 + DAY * ((i * 11) % 5) + (i % 3),
        .updated = D0 + 11 * DAY + i * 60,
      });
    }
  assert_sorts_match_sql (ledger, path, account);

  /* Status set and created range together, and paging through the result. */
  {
    g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
    g_autoptr(GPtrArray) page1 = NULL;
    g_autoptr(GPtrArray) page2 = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *sql = NULL;
    g_autofree char *expected = NULL;
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;
    g_autofree char *got = NULL;
    guint count = 0;

    query->status_mask = NP_CHECKOUT_STATUS_BIT (NP_CHECKOUT_STATUS_PAID) |
                         NP_CHECKOUT_STATUS_BIT (NP_CHECKOUT_STATUS_CREATED);
    query->created_from = D0 + DAY;
    query->created_until = D0 + 4 * DAY;
    sql = g_strdup_printf ("SELECT checkout_id FROM checkouts WHERE status IN (%d, %d)"
                           " AND created >= %" G_GINT64_FORMAT " AND created < %" G_GINT64_FORMAT
                           " ORDER BY created DESC, row_id DESC",
                           NP_CHECKOUT_STATUS_PAID, NP_CHECKOUT_STATUS_CREATED,
                           query->created_from, query->created_until);
    expected = fixture_sql_column (path, sql);

    np_ledger_count_checkouts (ledger, account, query, &count, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (count, >, 2);
    page1 = np_ledger_list_checkouts (ledger, account, query, 0, 2, &error);
    page2 = np_ledger_list_checkouts (ledger, account, query, 2, 100, &error);
    g_assert_cmpuint (page1->len + page2->len, ==, count);
    first = fixture_row_ids (page1);
    second = fixture_row_ids (page2);
    got = g_strconcat (first, ",", second, NULL);
    g_assert_cmpstr (got, ==, expected);
  }
}

static const NpStatusTotal *
find_total (GPtrArray        *totals,
            gint64            day,
            NpCheckoutStatus  status,
            const char       *currency)
{
  for (guint i = 0; i < totals->len; i++)
    {
      const NpStatusTotal *total = g_ptr_array_index (totals, i);

      if (total->day == day && total->status == status && g_strcmp0 (total->currency, currency) == 0)
        return total;
    }

  return NULL;
}

static void
assert_total (GPtrArray        *totals,
              gint64            day,
              NpCheckoutStatus  status,
              const char       *currency,
              guint             count,
              gint64            amount,
              gint64            refunded)
{
  const NpStatusTotal *total = find_total (totals, day, status, currency);

  g_assert_nonnull (total);
  g_assert_cmpuint (total->count, ==, count);
  g_assert_cmpint (total->amount, ==, amount);
  g_assert_cmpint (total->refunded, ==, refunded);
}

static void
test_totals (void)
{
  g_autofree char *path = fixture_ledger_path ("totals");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(NpImportResult) imported = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "p1", .status = "paid", .amount = 1000, .created = D0 + 10 * 3600 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "p2", .status = "paid", .amount = 500, .created = D0 + 23 * 3600 + 1800 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "pr", .status = "partialRefund", .amount = 2000, .refunded = 300, .created = D0 + DAY + 1800 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "r1", .status = "refunded", .amount = 700, .refunded = 700, .currency = "EUR", .created = D0 + 12 * 3600 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "c1", .status = "created", .amount = 100, .created = D0 + 11 * 3600 });
  /* Neither an imported id nor a deleted checkout counts. */
  imported = np_ledger_import_ids (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_LIST, NULL, "imported1", 9, &error);
  g_assert_no_error (error);
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "gone", .status = "paid", .amount = 99999, .created = D0 });
  np_ledger_mark_checkout_deleted (ledger, account, "gone", &error);

  totals = np_ledger_get_totals (ledger, account, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (totals->len, ==, 4);
  assert_total (totals, 0, NP_CHECKOUT_STATUS_PAID, "SEK", 2, 1500, 0);
  assert_total (totals, 0, NP_CHECKOUT_STATUS_PARTIAL_REFUND, "SEK", 1, 2000, 300);
  assert_total (totals, 0, NP_CHECKOUT_STATUS_REFUNDED, "EUR", 1, 700, 700);
  assert_total (totals, 0, NP_CHECKOUT_STATUS_CREATED, "SEK", 1, 100, 0);
  g_clear_pointer (&totals, g_ptr_array_unref);

  /* A range on created. */
  totals = np_ledger_get_totals (ledger, account, D0 + DAY, 0, &error);
  g_assert_cmpuint (totals->len, ==, 1);
  assert_total (totals, 0, NP_CHECKOUT_STATUS_PARTIAL_REFUND, "SEK", 1, 2000, 300);
  g_clear_pointer (&totals, g_ptr_array_unref);

  /* UTC days: 23:30 belongs to the first day, 00:30 to the next. */
  totals = np_ledger_get_daily_totals (ledger, account, 0, 0, &error);
  g_assert_cmpuint (totals->len, ==, 4);
  assert_total (totals, D0, NP_CHECKOUT_STATUS_PAID, "SEK", 2, 1500, 0);
  assert_total (totals, D0 + DAY, NP_CHECKOUT_STATUS_PARTIAL_REFUND, "SEK", 1, 2000, 300);
  g_clear_pointer (&totals, g_ptr_array_unref);

  /* UTC+1: 23:30 UTC is 00:30 the next local day, which starts at 23:00 UTC. */
  totals = np_ledger_get_local_daily_totals (ledger, account, 0, 0, 3600, &error);
  assert_total (totals, D0 - 3600, NP_CHECKOUT_STATUS_PAID, "SEK", 1, 1000, 0);
  assert_total (totals, D0 + DAY - 3600, NP_CHECKOUT_STATUS_PAID, "SEK", 1, 500, 0);
  assert_total (totals, D0 + DAY - 3600, NP_CHECKOUT_STATUS_PARTIAL_REFUND, "SEK", 1, 2000, 300);
  g_clear_pointer (&totals, g_ptr_array_unref);

  /* UTC-5: 00:30 UTC is 19:30 the previous local day, which starts at 05:00 UTC. */
  totals = np_ledger_get_local_daily_totals (ledger, account, 0, 0, -5 * 3600, &error);
  assert_total (totals, D0 + 5 * 3600, NP_CHECKOUT_STATUS_PAID, "SEK", 2, 1500, 0);
  assert_total (totals, D0 + 5 * 3600, NP_CHECKOUT_STATUS_PARTIAL_REFUND, "SEK", 1, 2000, 300);
}

static void
test_needs_attention (void)
{
  g_autofree char *path = fixture_ledger_path ("attention");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCheckoutQuery) awaiting = np_checkout_query_new_awaiting_capture ();
  g_autoptr(NpCheckoutQuery) stale = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 now = D0 + 30 * DAY;

  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "res-new", .status = "reserved", .amount = 1, .created = now - 3600 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "res-old", .status = "reserved", .amount = 1, .created = now - 5 * DAY });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "paid", .status = "paid", .amount = 1, .created = now - 6 * DAY });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "unpaid-old", .status = "created", .amount = 1, .created = now - 10 * 3600 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "unpaid-new", .status = "created", .amount = 1, .created = now - 3600 });

  /* Reserved and waiting for a capture, oldest first. */
  rows = np_ledger_list_checkouts (ledger, account, awaiting, 0, 10, &error);
  g_assert_no_error (error);
  ids = fixture_row_ids (rows);
  g_assert_cmpstr (ids, ==, "res-old,res-new");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&ids, g_free);

  /* Still unpaid six hours after creation. */
  stale = np_checkout_query_new_stale_created (now, 6);
  rows = np_ledger_list_checkouts (ledger, account, stale, 0, 10, &error);
  g_assert_no_error (error);
  ids = fixture_row_ids (rows);
  g_assert_cmpstr (ids, ==, "unpaid-old");
}

static void
test_open_checkout_ids (void)
{
  g_autofree char *path = fixture_ledger_path ("open-ids");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpImportResult) imported = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *got = NULL;
  static const char * const statuses[] = {
    "created", "reserved", "reserve released", "paid", "refunded", "partialRefund",
    "revoked", "failed", "canceled", "something new",
  };
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *id = g_strdup_printf ("o%u", i);

      fixture_upsert (ledger, account, &(FixtureCheckout) { .id = id, .status = statuses[i], .amount = 1, .created = D0 + i });
      if (!np_checkout_status_is_final (np_checkout_status_from_string (statuses[i])))
        g_string_append_printf (expected, "%s%s", expected->len ? "," : "", id);
    }
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "deleted", .amount = 1, .created = D0 });
  np_ledger_mark_checkout_deleted (ledger, account, "deleted", &error);
  imported = np_ledger_import_ids (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_LIST, NULL, "placeholder", 11, &error);
  g_assert_no_error (error);
  g_string_append (expected, ",placeholder");

  ids = np_ledger_dup_open_checkout_ids (ledger, account, &error);
  g_assert_no_error (error);
  got = g_strjoinv (",", ids);
  g_assert_cmpstr (got, ==, expected->str);
  g_assert_true (g_strv_contains ((const char * const *)ids, "o0"));
  g_assert_false (g_strv_contains ((const char * const *)ids, "o4"));
}

/* The watcher's recent waiting checkouts: still created, from the given time on,
 * not deleted, newest first, at most the limit. */
static void
test_waiting_checkout_ids (void)
{
  g_autofree char *path = fixture_ledger_path ("waiting-ids");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) two = NULL;
  g_autofree char *got = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 other = fixture_add_account (ledger, "Other", NP_ENVIRONMENT_TEST);

  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "too-old", .status = "created", .amount = 1, .created = D0 - 1 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "first", .status = "created", .amount = 1, .created = D0 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "paid", .status = "paid", .amount = 1, .created = D0 + 1 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "second", .status = "created", .amount = 1, .created = D0 + 2 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "gone", .status = "created", .amount = 1, .created = D0 + 3 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "third", .status = "created", .amount = 1, .created = D0 + 4 });
  fixture_upsert (ledger, other, &(FixtureCheckout) { .id = "elsewhere", .status = "created", .amount = 1, .created = D0 + 5 });
  g_assert_true (np_ledger_mark_checkout_deleted (ledger, account, "gone", &error));
  g_assert_no_error (error);

  ids = np_ledger_dup_waiting_checkout_ids (ledger, account, D0, 10, &error);
  g_assert_no_error (error);
  got = g_strjoinv (",", ids);
  g_assert_cmpstr (got, ==, "third,second,first");

  two = np_ledger_dup_waiting_checkout_ids (ledger, account, D0, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (two), ==, 2);
  g_assert_cmpstr (two[0], ==, "third");
}

static void
assert_customers (NpLedger        *ledger,
                  gint64           account,
                  NpCustomerQuery *query,
                  const char      *text,
                  const char      *expected)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  np_customer_query_set_text (query, text);
  rows = np_ledger_list_customers (ledger, account, query, 0, 100, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (ids, "%s%s", i ? "," : "",
                            np_customer_row_get_customer_id (g_ptr_array_index (rows, i)));
  g_assert_cmpstr (ids->str, ==, expected);
}

static void
test_customers (void)
{
  g_autofree char *path = fixture_ledger_path ("customers");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCustomerRow) row = NULL;
  g_autoptr(NpCustomer) stored = NULL;
  g_autoptr(NpCustomerQuery) query = np_customer_query_new ();
  g_autoptr(GError) error = NULL;
  NpCurrencyTotal *sek, *eur;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  const char *names[][4] = {
    { "cus1", "Ada", "Lovelace", "ada@example.com" },
    { "cus2", "Grace", "Hopper", "grace@navy.example" },
    { "cus3", "Alan", "Turing", "alan@bletchley.example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(NpCustomer) customer = fixture_customer (names[i][0], names[i][1], names[i][2], names[i][3],
                                                         i == 2 ? "crm-991" : NULL);
      np_ledger_upsert_customer (ledger, account, customer, &error);
      g_assert_no_error (error);
    }

  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "k1", .status = "paid", .amount = 1000, .customer_id = "cus1", .created = D0 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "k2", .status = "partialRefund", .amount = 500, .refunded = 200, .customer_id = "cus1", .created = D0 });
  fixture_upsert (ledger, account, &(FixtureCheckout) { .id = "k3", .status = "created", .amount = 40, .currency = "EUR", .customer_id = "cus1", .created = D0 });

  row = np_ledger_get_customer_row (ledger, account, "cus1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_customer_row_get_display_name (row), ==, "Ada Lovelace");
  g_assert_cmpuint (np_customer_row_get_checkout_count (row), ==, 3);
  g_assert_cmpuint (np_customer_row_get_totals (row)->len, ==, 2);
  sek = g_ptr_array_index (np_customer_row_get_totals (row), 0);
  eur = g_ptr_array_index (np_customer_row_get_totals (row), 1);
  g_assert_cmpstr (sek->currency, ==, "SEK");
  g_assert_cmpuint (sek->count, ==, 2);
  g_assert_cmpint (sek->paid, ==, 1500);
  g_assert_cmpint (sek->refunded, ==, 200);
  g_assert_cmpstr (eur->currency, ==, "EUR");
  g_assert_cmpint (eur->paid, ==, 0);

  stored = np_ledger_get_customer (ledger, account, "cus2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_customer_get_email (stored), ==, "grace@navy.example");

  /* By name, email, id and metadata. */
  assert_customers (ledger, account, query, "HOPPER", "cus2");
  assert_customers (ledger, account, query, "crm-99", "cus3");
  assert_customers (ledger, account, query, "example", "cus2,cus1,cus3");
  query->sort = NP_CUSTOMER_SORT_EMAIL;
  assert_customers (ledger, account, query, "example", "cus1,cus3,cus2");
  query->descending = TRUE;
  assert_customers (ledger, account, query, "example", "cus2,cus3,cus1");

  /* Deleted customers are hidden unless asked for. */
  np_ledger_mark_customer_deleted (ledger, account, "cus2", &error);
  g_assert_no_error (error);
  assert_customers (ledger, account, query, "example", "cus3,cus1");
  query->include_deleted = TRUE;
  assert_customers (ledger, account, query, "example", "cus2,cus3,cus1");

  np_ledger_forget_customer (ledger, account, "cus3", &error);
  g_assert_no_error (error);
  g_assert_null (np_ledger_get_customer_row (ledger, account, "cus3", &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND);
}

/* The file's own word on its journal: header bytes 18 and 19 are 2 in WAL mode
 * and 1 with a rollback journal. Read without SQLite. */
static int
file_format_version (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >=, 100);
  g_assert_cmpint (contents[18], ==, contents[19]);

  return contents[18];
}

static gboolean
get_wal_active_property (NpLedger *ledger)
{
  gboolean wal_active = -1;

  g_object_get (ledger, "wal-active", &wal_active, NULL);
  return wal_active;
}

/* Where SQLite cannot use WAL it keeps the rollback journal: the ledger says
 * so (a warning, np_ledger_get_wal_active ()) and works in that mode. SQLite's
 * dot-file locking VFS has no shared memory, as some network and FUSE file
 * systems: made the default here, it is such a file system, deterministically. */
static void
test_without_wal (void)
{
  g_autofree char *wal_path = fixture_ledger_path ("wal");
  g_autofree char *path = fixture_ledger_path ("no-wal");
  g_autofree char *wal_file = g_strconcat (path, "-wal", NULL);
  g_autofree char *csv_path = g_build_filename (g_get_user_data_dir (), "no-wal.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  sqlite3_vfs *unix_vfs = sqlite3_vfs_find ("unix");
  sqlite3_vfs *dotfile_vfs = sqlite3_vfs_find ("unix-dotfile");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *states = NULL;
  guint64 n_rows = 0;
  gint64 account;
  gint64 entry;

  g_assert_nonnull (unix_vfs);
  g_assert_nonnull (dotfile_vfs);
  g_assert_true (sqlite3_vfs_find (NULL) == unix_vfs);

  /* Where it can, SQLite runs the ledger in WAL. */
  ledger = fixture_open_ledger (wal_path);
  g_assert_true (np_ledger_get_wal_active (ledger));
  g_assert_true (get_wal_active_property (ledger));
  g_clear_object (&ledger);
  g_assert_cmpint (file_format_version (wal_path), ==, 2);

  g_assert_cmpint (sqlite3_vfs_register (dotfile_vfs, 1), ==, SQLITE_OK);
  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, "*is not in WAL mode*delete*");
  ledger = fixture_open_ledger (path);
  g_test_assert_expected_messages ();
  g_assert_false (np_ledger_get_wal_active (ledger));
  g_assert_false (get_wal_active_property (ledger));

  /* Writes, reads and a worker's export, in the mode SQLite chose. */
  account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  fixture_upsert (ledger, account, &(FixtureCheckout) {
    .id = "n1", .status = "paid", .amount = 1250, .created = D0 });
  entry = np_ledger_journal_begin (ledger, account, NP_JOURNAL_OPERATION_CAPTURE, "n1", "Capture",
                                   NULL, &error);
  g_assert_no_error (error);
  np_ledger_journal_finish (ledger, entry, NP_JOURNAL_STATE_SUCCEEDED, NULL, NULL, &error);
  g_assert_no_error (error);

  np_ledger_export_checkouts_async (ledger, account, NULL, csv, NULL, np_test_store_result, &result);
  g_assert_true (np_ledger_export_checkouts_finish (ledger, np_test_wait_result (&result, 10000),
                                                    &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 1);

  /* The file was never WAL: no -wal file, a rollback-journal header. */
  g_assert_false (g_file_test (wal_file, G_FILE_TEST_EXISTS));
  g_clear_object (&ledger);
  g_assert_cmpint (file_format_version (path), ==, 1);
  ids = fixture_sql_column (path, "SELECT checkout_id FROM checkouts");
  g_assert_cmpstr (ids, ==, "n1");
  states = fixture_sql_column (path, "SELECT state FROM journal");
  g_assert_cmpstr (states, ==, "succeeded");

  /* With shared memory back, the same file goes to WAL. */
  g_assert_cmpint (sqlite3_vfs_register (unix_vfs, 1), ==, SQLITE_OK);
  ledger = fixture_open_ledger (path);
  g_assert_true (np_ledger_get_wal_active (ledger));
  g_clear_object (&ledger);
  g_assert_cmpint (file_format_version (path), ==, 2);
}

/* A first upload's reader: the stored JSON of one account's live rows, in row
 * order, a batch at a time from where the last ended; deleted rows, imported ids
 * without JSON and another account's rows are left out. */
static void
test_read_objects (void)
{
  g_autofree char *path = fixture_ledger_path ("read-objects");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpImportResult) imported = NULL;
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 other = fixture_add_account (ledger, "Other", NP_ENVIRONMENT_TEST);
  gint64 after = 0;
  guint n_batches = 0;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *id = g_strdup_printf ("r%u", i);

      fixture_upsert (ledger, account, &(FixtureCheckout) { .id = id, .status = "paid", .amount = 100 + i, .created = D0 + i });
    }
  fixture_upsert (ledger, other, &(FixtureCheckout) { .id = "elsewhere", .amount = 1, .created = D0 });
  np_ledger_mark_checkout_deleted (ledger, account, "r3", &error);
  g_assert_no_error (error);
  imported = np_ledger_import_ids (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_LIST, NULL,
                                   "placeholder", 11, &error);
  g_assert_no_error (error);

  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) ids = NULL;
      g_autoptr(GPtrArray) jsons = NULL;

      np_ledger_read_objects_async (ledger, NP_LEDGER_OBJECT_CHECKOUT, account, after, 4, NULL,
                                    np_test_store_result, &result);
      g_assert_true (np_ledger_read_objects_finish (ledger, np_test_wait_result (&result, 10000), &ids, &jsons,
                                                    &after, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (ids->len, ==, jsons->len);
      for (guint i = 0; i < ids->len; i++)
        {
          g_autoptr(NpCheckout) stored = np_ledger_get_checkout (ledger, account, g_ptr_array_index (ids, i), &error);
          g_autofree char *json = NULL;

          g_assert_no_error (error);
          json = np_checkout_to_json (stored, FALSE);
          g_assert_cmpstr (g_ptr_array_index (jsons, i), ==, json);
          g_string_append_printf (got, "%s%s", got->len ? "," : "", (char *) g_ptr_array_index (ids, i));
        }
      n_batches++;
      if (ids->len < 4)
        break;
    }
  g_assert_cmpstr (got->str, ==, "r0,r1,r2,r4,r5,r6");
  g_assert_cmpuint (n_batches, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/store/ledger/open-default-path", test_open_default_path);
  g_test_add_func ("/store/ledger/id", test_ledger_id);
  g_test_add_func ("/store/ledger/migrate-v1", test_migrate_v1);
  g_test_add_func ("/store/ledger/refuses-newer-schema", test_refuses_newer_schema);
  g_test_add_func ("/store/ledger/not-a-ledger", test_not_a_ledger);
  g_test_add_func ("/store/ledger/accounts", test_accounts);
  g_test_add_func ("/store/ledger/account-separation", test_account_separation);
  g_test_add_func ("/store/ledger/migrate-v6-journal", test_migrate_v6_journal);
  g_test_add_func ("/store/ledger/migrate-v7-team-links", test_migrate_v7_team_links);
  g_test_add_func ("/store/ledger/migrate-v8-origins", test_migrate_v8_origins);
  g_test_add_func ("/store/ledger/refresh-journals-status-change", test_refresh_journals_status_change);
  g_test_add_func ("/store/ledger/customer-upsert-unchanged", test_customer_upsert_unchanged);
  g_test_add_func ("/store/ledger/upsert-idempotent", test_upsert_idempotent);
  g_test_add_func ("/store/ledger/batch-upsert", test_batch_upsert);
  g_test_add_func ("/store/ledger/refresh-failure", test_refresh_failure);
  g_test_add_func ("/store/ledger/deleted-and-forgotten", test_deleted_and_forgotten);
  g_test_add_func ("/store/ledger/journal-states", test_journal_states);
  g_test_add_func ("/store/ledger/pending-becomes-unknown", test_pending_becomes_unknown);
  g_test_add_func ("/store/ledger/search", test_search);
  g_test_add_func ("/store/ledger/index-load-releases-page-cache", test_index_load_releases_page_cache);
  g_test_add_func ("/store/ledger/release-memory-compacts-index", test_release_memory_compacts_index);
  g_test_add_func ("/store/ledger/store-objects-bounded-cache", test_store_objects_bounded_cache);
  g_test_add_func ("/store/ledger/prepared-index-releases-page-cache", test_prepared_index_releases_page_cache);
  g_test_add_func ("/store/ledger/filters-and-sorts", test_filters_and_sorts);
  g_test_add_func ("/store/ledger/totals", test_totals);
  g_test_add_func ("/store/ledger/needs-attention", test_needs_attention);
  g_test_add_func ("/store/ledger/open-checkout-ids", test_open_checkout_ids);
  g_test_add_func ("/store/ledger/read-objects", test_read_objects);
  g_test_add_func ("/store/ledger/waiting-checkout-ids", test_waiting_checkout_ids);
  g_test_add_func ("/store/ledger/customers", test_customers);
  g_test_add_func ("/store/ledger/without-wal", test_without_wal);

  return g_test_run ();
}
