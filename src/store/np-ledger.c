/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger.c — opening the ledger, its schema and migrations, and accounts.
 *
 * The ledger is one SQLite file per user, opened once by the application.
 * WAL keeps readers (the export worker) out of the writer's way; synchronous=FULL
 * because the journal's pending rows are an audit trail that must survive a power
 * cut, not just a crash. Statements are prepared once and cached.
 *
 * Schema versions (PRAGMA user_version), each migration in one transaction:
 *   1  accounts, checkouts, customers, journal
 *   2  search_text on checkouts, customers and the journal (the folded text the
 *      search index scans), backfilled from the stored fields
 *   3  ledger_info: the ledger's own random id, which scopes the keys in the
 *      keyring (account ids restart at 1 in every ledger file)
 *   4  checkout_totals and checkout_totals_daily: the Overview's totals pre-added
 *      per account, 15-minute bucket (or UTC day) of the created time, status,
 *      status text and currency, kept by triggers on checkouts and backfilled
 *      from them (see np-ledger-totals.c)
 *   5  team mode: accounts.team_id (the account's UUID in the team ledger),
 *      journal.team_id (the team journal row's id) and the desk and OS user of
 *      another desk's operation; ledger_info 'team-change' keeps the last team
 *      change applied (np-ledger-team.c)
 *   6  the audit chain: journal.chain_seq and journal.chain_hash (np-ledger-chain.c,
 *      format in np-journal-chain.h); rows finished before it are chained on
 *      the first open after the upgrade (recover_pending)
 *   7  journal.operation may be 'refresh' (a retrieve saw a checkout's status
 *      change): SQLite cannot alter a CHECK, so the journal is rebuilt with its
 *      ids, its AUTOINCREMENT high-water mark and its chain columns as they were
 *   8  links per team ledger: an account's UUID moves to account_team_links and
 *      journal.team_ledger names the team ledger (np_team.ledger_info's id) of a
 *      row's team_id, so leaving one team ledger and joining another (or the
 *      same one again) neither clashes nor links a row to another ledger's row;
 *      links made before it belong to '' (no recorded team ledger) until a
 *      resumed membership adopts them (np-ledger-team.c)
 *   9  where each row came from: accounts, checkouts and customers.received_from
 *      names the team ledger a row was received from (NULL: this desk's own,
 *      made, looked up or imported here), so a join of another team ledger
 *      shares none of them (np-ledger-team.c); rows of a linked account that no
 *      journal row of this desk names are taken as received from its team ledger
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "np-ledger-private.h"

G_DEFINE_QUARK (np-ledger-error-quark, np_ledger_error)

G_DEFINE_FINAL_TYPE (NpLedger, np_ledger, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (NpLedgerTable, np_ledger_table,
                    G_DEFINE_ENUM_VALUE (NP_LEDGER_TABLE_ACCOUNTS, "accounts"),
                    G_DEFINE_ENUM_VALUE (NP_LEDGER_TABLE_CHECKOUTS, "checkouts"),
                    G_DEFINE_ENUM_VALUE (NP_LEDGER_TABLE_CUSTOMERS, "customers"),
                    G_DEFINE_ENUM_VALUE (NP_LEDGER_TABLE_JOURNAL, "journal"))

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_WAL_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char schema_v1[] =
  "CREATE TABLE ledger_state ("
  "  id       INTEGER PRIMARY KEY CHECK (id = 1),"
  "  revision INTEGER NOT NULL);"
  "INSERT INTO ledger_state (id, revision) VALUES (1, 0);"
  "CREATE TABLE accounts ("
  "  id          INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name        TEXT NOT NULL UNIQUE,"
  "  base_url    TEXT NOT NULL,"
  "  environment TEXT NOT NULL CHECK (environment IN ('test', 'live')));"
  "CREATE TABLE checkouts ("
  "  row_id            INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  account_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  checkout_id       TEXT NOT NULL,"
  "  identifier        TEXT,"
  "  status            INTEGER NOT NULL DEFAULT 0,"
  "  status_text       TEXT,"
  "  amount            INTEGER,"
  "  refunded_amount   INTEGER NOT NULL DEFAULT 0,"
  "  currency          TEXT,"
  "  message           TEXT,"
  "  customer_id       TEXT,"
  "  metadata          TEXT,"
  "  created           INTEGER,"
  "  updated           INTEGER,"
  "  registered        INTEGER NOT NULL,"
  "  last_refreshed    INTEGER,"
  "  refresh_error     TEXT,"
  "  refresh_failed_at INTEGER,"
  "  deleted           INTEGER NOT NULL DEFAULT 0,"
  "  json              TEXT,"
  "  revision          INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (account_id, checkout_id));"
  "CREATE INDEX checkouts_created ON checkouts (account_id, created);"
  "CREATE INDEX checkouts_customer ON checkouts (account_id, customer_id);"
  "CREATE TABLE customers ("
  "  row_id            INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  account_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  customer_id       TEXT NOT NULL,"
  "  first_name        TEXT,"
  "  last_name         TEXT,"
  "  email             TEXT,"
  "  metadata          TEXT,"
  "  created           INTEGER,"
  "  registered        INTEGER NOT NULL,"
  "  last_refreshed    INTEGER,"
  "  refresh_error     TEXT,"
  "  refresh_failed_at INTEGER,"
  "  deleted           INTEGER NOT NULL DEFAULT 0,"
  "  json              TEXT,"
  "  revision          INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (account_id, customer_id));"
  "CREATE TABLE journal ("
  "  id             INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  object_id      TEXT,"
  "  operation      TEXT NOT NULL CHECK (operation IN ('create', 'capture', 'refund', 'update',"
  "                                      'delete', 'create-customer', 'delete-customer')),"
  "  state          TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed', 'unknown')),"
  "  summary        TEXT NOT NULL,"
  "  details        TEXT,"
  "  error_text     TEXT,"
  "  started        INTEGER NOT NULL,"
  "  finished       INTEGER,"
  "  settled        INTEGER,"
  "  settled_status TEXT,"
  "  revision       INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX journal_account ON journal (account_id, id);"
  "CREATE INDEX journal_object ON journal (account_id, object_id);"
  "CREATE INDEX journal_pending ON journal (state) WHERE state = 'pending';";

static const char schema_v2[] =
  "ALTER TABLE checkouts ADD COLUMN search_text TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE customers ADD COLUMN search_text TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE journal ADD COLUMN search_text TEXT NOT NULL DEFAULT '';"
  "UPDATE checkouts SET search_text = np_search_text (checkout_id, identifier, message, metadata,"
  "  (SELECT email FROM customers AS cu"
  "    WHERE cu.account_id = checkouts.account_id AND cu.customer_id = checkouts.customer_id));"
  "UPDATE customers SET search_text = np_search_text (customer_id, first_name, last_name, email, metadata);"
  "UPDATE journal SET search_text = np_search_text (object_id, summary, details, error_text);"
  "CREATE INDEX checkouts_status ON checkouts (account_id, status);";

static const char schema_v3[] =
  "CREATE TABLE ledger_info (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "INSERT INTO ledger_info (name, value) VALUES ('id', lower (hex (randomblob (16))));";

/* A checkout counts in the totals when it was retrieved (json), is not deleted
 * and has a created time: what the totals queries counted before v4. The sums
 * are kept twice: per 15-minute bucket (checkout_totals: a local day in any zone
 * of today is a run of whole buckets) and per UTC day (checkout_totals_daily: a
 * year is 365 rows per status and currency, not 35,040). The key's NULL texts
 * are stored as the empty blob, which equals no text (not even ''), because a
 * primary key cannot hold NULL. FLOOR_OF floors to a multiple (the modulo twice
 * keeps it right before 1970). The triggers run inside every write's
 * transaction, so the tables never disagree with checkouts. */
#define COUNTED(row) row ".deleted = 0 AND " row ".json IS NOT NULL AND " row ".created IS NOT NULL"
#define FLOOR_OF(row, width) "(" row ".created - ((" row ".created % " width ") + " width ") % " width ")"
#define TOTALS_KEY_OF(table, column, row, width) \
  row ".account_id = " table ".account_id AND " FLOOR_OF (row, width) " = " table "." column \
  " AND " row ".status = " table ".status" \
  " AND ifnull (" row ".status_text, x'') = " table ".status_text" \
  " AND ifnull (" row ".currency, x'') = " table ".currency"
#define TOTALS_ADD_TO(table, column, row, width) \
  "INSERT INTO " table " VALUES (" row ".account_id, " FLOOR_OF (row, width) ", " row ".status," \
  "  ifnull (" row ".status_text, x''), ifnull (" row ".currency, x''), 1, ifnull (" row ".amount, 0)," \
  "  " row ".refunded_amount)" \
  " ON CONFLICT (account_id, " column ", status, status_text, currency) DO UPDATE SET" \
  "  n_checkouts = n_checkouts + 1, amount = amount + excluded.amount," \
  "  refunded = refunded + excluded.refunded;"
#define TOTALS_SUBTRACT_FROM(table, column, row, width) \
  "UPDATE " table " SET n_checkouts = n_checkouts - 1," \
  "  amount = amount - ifnull (" row ".amount, 0), refunded = refunded - " row ".refunded_amount" \
  " WHERE " TOTALS_KEY_OF (table, column, row, width) ";"
#define TOTALS_ADD(row) \
  TOTALS_ADD_TO ("checkout_totals", "bucket", row, "900") \
  TOTALS_ADD_TO ("checkout_totals_daily", "day", row, "86400")
#define TOTALS_SUBTRACT(row) \
  TOTALS_SUBTRACT_FROM ("checkout_totals", "bucket", row, "900") \
  TOTALS_SUBTRACT_FROM ("checkout_totals_daily", "day", row, "86400")
/* Most updates are refreshes that change none of this: they skip the triggers. */
#define TOTALS_CHANGED \
  "(old.account_id IS NOT new.account_id OR old.created IS NOT new.created" \
  " OR old.status IS NOT new.status OR old.status_text IS NOT new.status_text" \
  " OR old.currency IS NOT new.currency OR old.amount IS NOT new.amount" \
  " OR old.refunded_amount IS NOT new.refunded_amount OR old.deleted IS NOT new.deleted" \
  " OR (old.json IS NULL) IS NOT (new.json IS NULL))"
#define TOTALS_TABLE(table, column) \
  "CREATE TABLE " table " (" \
  "  account_id  INTEGER NOT NULL," \
  "  " column "  INTEGER NOT NULL," \
  "  status      INTEGER NOT NULL," \
  "  status_text NOT NULL," \
  "  currency    NOT NULL," \
  "  n_checkouts INTEGER NOT NULL," \
  "  amount      INTEGER NOT NULL," \
  "  refunded    INTEGER NOT NULL," \
  "  PRIMARY KEY (account_id, " column ", status, status_text, currency)) WITHOUT ROWID;"
#define TOTALS_BACKFILL(table, width) \
  "INSERT INTO " table \
  "  SELECT account_id, " FLOOR_OF ("checkouts", width) " AS b, status, ifnull (status_text, x'') AS t," \
  "    ifnull (currency, x'') AS c, count(*), coalesce (sum (amount), 0), sum (refunded_amount)" \
  "  FROM checkouts WHERE " COUNTED ("checkouts") \
  "  GROUP BY account_id, b, status, t, c;"

/* Rows whose sums fell to zero stay (a later checkout often reuses the key);
 * the queries leave out groups of no checkouts. */
static const char schema_v4[] =
  TOTALS_TABLE ("checkout_totals", "bucket")
  TOTALS_TABLE ("checkout_totals_daily", "day")
  "CREATE TRIGGER checkout_totals_insert AFTER INSERT ON checkouts"
  "  WHEN " COUNTED ("new")
  " BEGIN " TOTALS_ADD ("new") " END;"
  "CREATE TRIGGER checkout_totals_delete AFTER DELETE ON checkouts"
  "  WHEN " COUNTED ("old")
  " BEGIN " TOTALS_SUBTRACT ("old") " END;"
  "CREATE TRIGGER checkout_totals_update_old AFTER UPDATE ON checkouts"
  "  WHEN " COUNTED ("old") " AND " TOTALS_CHANGED
  " BEGIN " TOTALS_SUBTRACT ("old") " END;"
  "CREATE TRIGGER checkout_totals_update_new AFTER UPDATE ON checkouts"
  "  WHEN " COUNTED ("new") " AND " TOTALS_CHANGED
  " BEGIN " TOTALS_ADD ("new") " END;"
  TOTALS_BACKFILL ("checkout_totals", "900")
  TOTALS_BACKFILL ("checkout_totals_daily", "86400");

static const char schema_v5[] =
  "ALTER TABLE accounts ADD COLUMN team_id TEXT;"
  "CREATE UNIQUE INDEX accounts_team_id ON accounts (team_id) WHERE team_id IS NOT NULL;"
  "ALTER TABLE journal ADD COLUMN team_id INTEGER;"
  "ALTER TABLE journal ADD COLUMN desk TEXT;"
  "ALTER TABLE journal ADD COLUMN os_user TEXT;"
  "CREATE UNIQUE INDEX journal_team_id ON journal (team_id) WHERE team_id IS NOT NULL;";

/* ---- schema 6: the audit chain ---- */
static const char schema_v6[] =
  "ALTER TABLE journal ADD COLUMN chain_seq INTEGER;"
  "ALTER TABLE journal ADD COLUMN chain_hash TEXT;"
  "CREATE UNIQUE INDEX journal_chain ON journal (account_id, chain_seq) WHERE chain_seq IS NOT NULL;"
  "CREATE INDEX journal_unchained ON journal (id)"
  "  WHERE chain_seq IS NULL AND state <> 'pending' AND desk IS NULL;";
/* ---- end of schema 6 ---- */

/* ---- schema 7: 'refresh' rows ---- */
/* Every column is copied as it is, so each chained row hashes as before; the
 * sequence keeps the old table's high-water mark (an id is never reused, not
 * even one of a removed account's rows). No trigger, view or foreign key names
 * the journal, so the rename rewrites nothing else. */
static const char schema_v7[] =
  "CREATE TABLE journal_v7 ("
  "  id             INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  object_id      TEXT,"
  "  operation      TEXT NOT NULL CHECK (operation IN ('create', 'capture', 'refund', 'update',"
  "                                      'delete', 'create-customer', 'delete-customer', 'refresh')),"
  "  state          TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed', 'unknown')),"
  "  summary        TEXT NOT NULL,"
  "  details        TEXT,"
  "  error_text     TEXT,"
  "  started        INTEGER NOT NULL,"
  "  finished       INTEGER,"
  "  settled        INTEGER,"
  "  settled_status TEXT,"
  "  revision       INTEGER NOT NULL DEFAULT 0,"
  "  search_text    TEXT NOT NULL DEFAULT '',"
  "  team_id        INTEGER,"
  "  desk           TEXT,"
  "  os_user        TEXT,"
  "  chain_seq      INTEGER,"
  "  chain_hash     TEXT);"
  "INSERT INTO journal_v7 (id, account_id, object_id, operation, state, summary, details, error_text,"
  "  started, finished, settled, settled_status, revision, search_text, team_id, desk, os_user,"
  "  chain_seq, chain_hash)"
  " SELECT id, account_id, object_id, operation, state, summary, details, error_text,"
  "  started, finished, settled, settled_status, revision, search_text, team_id, desk, os_user,"
  "  chain_seq, chain_hash FROM journal ORDER BY id;"
  "DELETE FROM sqlite_sequence WHERE name = 'journal_v7';"
  "UPDATE sqlite_sequence SET name = 'journal_v7' WHERE name = 'journal';"
  "DROP TABLE journal;"
  "ALTER TABLE journal_v7 RENAME TO journal;"
  "CREATE INDEX journal_account ON journal (account_id, id);"
  "CREATE INDEX journal_object ON journal (account_id, object_id);"
  "CREATE INDEX journal_pending ON journal (state) WHERE state = 'pending';"
  "CREATE UNIQUE INDEX journal_team_id ON journal (team_id) WHERE team_id IS NOT NULL;"
  "CREATE UNIQUE INDEX journal_chain ON journal (account_id, chain_seq) WHERE chain_seq IS NOT NULL;"
  "CREATE INDEX journal_unchained ON journal (id)"
  "  WHERE chain_seq IS NULL AND state <> 'pending' AND desk IS NULL;";
/* ---- end of schema 7 ---- */

/* ---- schema 8: links per team ledger ---- */
/* No column of the chain's hash changes: ids, chains and rows stay as they are. */
static const char schema_v8[] =
  "CREATE TABLE account_team_links ("
  "  team_ledger TEXT NOT NULL,"
  "  account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  team_id     TEXT NOT NULL,"
  "  PRIMARY KEY (team_ledger, account_id),"
  "  UNIQUE (team_ledger, team_id));"
  "INSERT INTO account_team_links (team_ledger, account_id, team_id)"
  "  SELECT '', id, team_id FROM accounts WHERE team_id IS NOT NULL;"
  "DROP INDEX accounts_team_id;"
  "ALTER TABLE accounts DROP COLUMN team_id;"
  "ALTER TABLE journal ADD COLUMN team_ledger TEXT;"
  "UPDATE journal SET team_ledger = '' WHERE team_id IS NOT NULL;"
  "DROP INDEX journal_team_id;"
  "CREATE UNIQUE INDEX journal_team_id ON journal (team_ledger, team_id) WHERE team_id IS NOT NULL;";
/* ---- end of schema 8 ---- */

/* ---- schema 9: where each row came from ---- */
/* The team ledger an account of a desk that was in one is linked to: the
 * current one first, then any (an account linked in several ledgers was in each). */
#define LINKED_LEDGER(account) \
  "(SELECT l.team_ledger FROM account_team_links AS l WHERE l.account_id = " account \
  "  ORDER BY l.team_ledger IS coalesce ((SELECT value FROM ledger_info WHERE name = 'team-ledger'), '') DESC," \
  "  l.team_ledger LIMIT 1)"
/* Before it, nothing said where a row came from. A row of an account linked to
 * a team ledger is taken as received from it unless a journal row of this desk's
 * own (desk IS NULL) names it: a row this desk looked up while in a team is
 * then not shared with another team ledger until it is retrieved again here,
 * but no other desk's row is. No journal row changes: the audit chain stays. */
static const char schema_v9[] =
  "ALTER TABLE accounts ADD COLUMN received_from TEXT;"
  "ALTER TABLE checkouts ADD COLUMN received_from TEXT;"
  "ALTER TABLE customers ADD COLUMN received_from TEXT;"
  "UPDATE accounts SET received_from = " LINKED_LEDGER ("accounts.id")
  "  WHERE NOT EXISTS (SELECT 1 FROM journal AS j WHERE j.account_id = accounts.id AND j.desk IS NULL);"
  "UPDATE checkouts SET received_from = " LINKED_LEDGER ("checkouts.account_id")
  "  WHERE NOT EXISTS (SELECT 1 FROM journal AS j WHERE j.account_id = checkouts.account_id"
  "    AND j.object_id = checkouts.checkout_id AND j.desk IS NULL);"
  "UPDATE customers SET received_from = " LINKED_LEDGER ("customers.account_id")
  "  WHERE NOT EXISTS (SELECT 1 FROM journal AS j WHERE j.account_id = customers.account_id"
  "    AND j.object_id = customers.customer_id AND j.desk IS NULL);";
/* ---- end of schema 9 ---- */

/* migrations[v] takes a version-v file to v + 1. */
static const char * const migrations[NP_LEDGER_SCHEMA_VERSION] = {
  schema_v1,
  schema_v2,
  schema_v3,
  schema_v4,
  schema_v5,
  schema_v6,
  schema_v7,
  schema_v8,
  schema_v9,
};

/* Helpers shared by the implementation files ---------------------------------- */

gint64
np_ledger_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
np_ledger_set_error (sqlite3  *db,
                     int       rc,
                     GError  **error)
{
  const char *message = db ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  NpLedgerError code;

  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      code = NP_LEDGER_ERROR_CONSTRAINT;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = NP_LEDGER_ERROR_CORRUPT;
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      code = NP_LEDGER_ERROR_OPEN;
      break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
      code = NP_LEDGER_ERROR_IO;
      break;
    default:
      code = NP_LEDGER_ERROR_QUERY;
    }

  g_set_error (error, NP_LEDGER_ERROR, code, _("The ledger database failed: %s"), message);
}

sqlite3_stmt *
np_ledger_statement (NpLedger    *self,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      np_ledger_set_error (self->db, rc, error);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

int
np_ledger_step (NpLedger      *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;

  np_ledger_set_error (self->db, rc, error);
  sqlite3_reset (stmt);
  return -1;
}

gboolean
np_ledger_run (NpLedger      *self,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  int rc = np_ledger_step (self, stmt, error);

  sqlite3_reset (stmt);
  return rc >= 0;
}

/* Runs a write that must change a row: none changed fails with @code and @message. */
gboolean
np_ledger_run_one (NpLedger      *self,
                   sqlite3_stmt  *stmt,
                   NpLedgerError  code,
                   const char    *message,
                   GError       **error)
{
  if (!np_ledger_run (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, NP_LEDGER_ERROR, code, message);
      return FALSE;
    }
  return TRUE;
}

void
np_ledger_bind_text (sqlite3_stmt *stmt,
                     int           column,
                     const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
}

GDateTime *
np_store_column_time (sqlite3_stmt *stmt,
                      int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  return g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, column));
}

char *
np_store_column_dup (sqlite3_stmt *stmt,
                     int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static gboolean
exec_script (NpLedger    *self,
             const char  *sql,
             GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      np_ledger_set_error (self->db, rc, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
np_ledger_begin (NpLedger  *self,
                 GError   **error)
{
  /* IMMEDIATE: take the write lock now rather than fail half-way on a busy upgrade. */
  return exec_script (self, "BEGIN IMMEDIATE", error);
}

gboolean
np_ledger_commit (NpLedger  *self,
                  GError   **error)
{
  if (!exec_script (self, "COMMIT", error))
    {
      np_ledger_rollback (self);
      return FALSE;
    }

  return TRUE;
}

void
np_ledger_rollback (NpLedger *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
np_ledger_next_revision (NpLedger  *self,
                         guint64   *out_revision,
                         GError   **error)
{
  sqlite3_stmt *stmt;

  stmt = np_ledger_statement (self, "UPDATE ledger_state SET revision = revision + 1 RETURNING revision", error);
  if (stmt == NULL || np_ledger_step (self, stmt, error) != SQLITE_ROW)
    {
      if (stmt != NULL && error != NULL && *error == NULL)
        g_set_error_literal (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CORRUPT, _("The ledger has no state row."));
      return FALSE;
    }

  self->revision = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  *out_revision = self->revision;
  return TRUE;
}

const GArray *
np_ledger_get_changed_row_ids (NpLedger *self)
{
  return self->changed_row_ids;
}

void
np_ledger_emit_changed (NpLedger      *self,
                        NpLedgerTable  table,
                        gint64         account_id,
                        gint64         row_id)
{
  g_signal_emit (self, signals[CHANGED], 0, table, account_id, row_id);
}

/* SQL: np_search_text (a, b, ...) joins its non-NULL arguments, folded, with U+001F. */
static void
search_text_function (sqlite3_context  *context,
                      int               argc,
                      sqlite3_value   **argv)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (int i = 0; i < argc; i++)
    {
      const char *value = (const char *)sqlite3_value_text (argv[i]);

      if (value == NULL || value[0] == '\0')
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\x1f');
      np_search_fold_append (text, value, sqlite3_value_bytes (argv[i]));
    }

  sqlite3_result_text (context, text->str, text->len, SQLITE_TRANSIENT);
}

/* np_checked_sum (x): the exact sum of integers, or NULL when it cannot be told
 * exactly in a gint64. SQLite's sum () fails the whole query with "integer
 * overflow", and the totals triggers' "amount + excluded.amount" turns a bucket
 * whose sum passed INT64_MAX into an inexact REAL: a REAL (or text) input makes
 * the result NULL too. 128 bits inside, so that the totals query's negative rows
 * (moved buckets) may take a partial sum out of range and back. No rows: 0. */
__extension__ typedef __int128 WideSum;

typedef struct {
  WideSum  sum;
  gboolean inexact;
} CheckedSum;

/* SQLite's aggregate context is only 8-byte aligned, and a 128-bit integer wants
 * 16: the sum is copied out and back rather than used in place. */
static void
checked_sum_step (sqlite3_context  *context,
                  int               argc,
                  sqlite3_value   **argv)
{
  void *state = sqlite3_aggregate_context (context, sizeof (CheckedSum));
  CheckedSum acc;

  if (state == NULL)
    {
      sqlite3_result_error_nomem (context);
      return;
    }

  memcpy (&acc, state, sizeof acc);
  switch (sqlite3_value_numeric_type (argv[0]))
    {
    case SQLITE_NULL:
      break;
    case SQLITE_INTEGER:
      /* 2^64 rows of INT64_MAX would be needed to overflow 128 bits. */
      acc.sum += sqlite3_value_int64 (argv[0]);
      break;
    default:
      acc.inexact = TRUE;
      break;
    }
  memcpy (state, &acc, sizeof acc);
}

static void
checked_sum_final (sqlite3_context *context)
{
  void *state = sqlite3_aggregate_context (context, 0);
  CheckedSum acc;

  if (state == NULL)
    {
      sqlite3_result_int64 (context, 0);
      return;
    }

  memcpy (&acc, state, sizeof acc);
  if (acc.inexact || acc.sum > G_MAXINT64 || acc.sum < G_MININT64)
    sqlite3_result_null (context);
  else
    sqlite3_result_int64 (context, (gint64) acc.sum);
}

void
np_ledger_register_functions (sqlite3 *db)
{
  sqlite3_create_function_v2 (db, "np_checked_sum", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                              NULL, NULL, checked_sum_step, checked_sum_final, NULL);
  sqlite3_create_function_v2 (db, "np_search_text", -1,
                              SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                              NULL, search_text_function, NULL, NULL, NULL);
}

/* Opening ---------------------------------------------------------------------- */

static void
np_ledger_finalize (GObject *object)
{
  NpLedger *self = (NpLedger *)object;

  g_clear_pointer (&self->indexes, g_hash_table_unref);
  g_clear_pointer (&self->loading, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->id, g_free);
  g_mutex_clear (&self->store_lock);

  G_OBJECT_CLASS (np_ledger_parent_class)->finalize (object);
}

static void
np_ledger_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  NpLedger *self = NP_LEDGER (object);

  switch (prop_id)
    {
    case PROP_WAL_ACTIVE:
      g_value_set_boolean (value, self->wal_active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_ledger_class_init (NpLedgerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = np_ledger_finalize;
  object_class->get_property = np_ledger_get_property;

  /* Set once, while opening: nothing to notify. */
  properties[PROP_WAL_ACTIVE] =
    g_param_spec_boolean ("wal-active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  NP_TYPE_LEDGER_TABLE, G_TYPE_INT64, G_TYPE_INT64);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
np_ledger_init (NpLedger *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->indexes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify)np_checkout_index_free);
  self->loading = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify)g_array_unref);
  g_mutex_init (&self->store_lock);
}

char *
np_ledger_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "neuropay-console", "ledger.db", NULL);
}

/* The ledger holds payment data: create it readable by its owner only. SQLite
 * gives the -wal and -shm files the same mode. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_OPEN,
                   _("Could not create the folder “%s”: %s"), folder, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_OPEN,
                   _("Could not open the ledger “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  g_close (fd, NULL);
  return TRUE;
}

static gboolean
query_int (NpLedger    *self,
           const char  *sql,
           gint64      *out_value,
           GError     **error)
{
  sqlite3_stmt *stmt = np_ledger_statement (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  switch (np_ledger_step (self, stmt, error))
    {
    case SQLITE_ROW:
      *out_value = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      return TRUE;
    case SQLITE_DONE:
      *out_value = 0;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
migrate (NpLedger  *self,
         GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 version;
  gint64 n_objects;

  if (!query_int (self, "PRAGMA user_version", &version, error) ||
      !query_int (self, "SELECT count(*) FROM sqlite_schema", &n_objects, error))
    return FALSE;

  if (version > NP_LEDGER_SCHEMA_VERSION)
    {
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_MIGRATION,
                   _("The ledger was written by a newer version of the console (schema %d, this version knows %d)."),
                   (int)version, NP_LEDGER_SCHEMA_VERSION);
      return FALSE;
    }

  if (version == 0 && n_objects > 0)
    {
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CORRUPT,
                   _("“%s” is a database, but not a ledger."), self->path);
      return FALSE;
    }

  for (; version < NP_LEDGER_SCHEMA_VERSION; version++)
    {
      /* PRAGMA takes no parameters; the value is our own integer. */
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", (int)version + 1);

      if (!np_ledger_begin (self, &local_error) ||
          !exec_script (self, migrations[version], &local_error) ||
          !exec_script (self, set_version, &local_error) ||
          !np_ledger_commit (self, &local_error))
        {
          np_ledger_rollback (self);
          g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_MIGRATION,
                       _("Could not upgrade the ledger from schema %d: %s"),
                       (int)version, local_error->message);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
read_ledger_id (NpLedger  *self,
                GError   **error)
{
  sqlite3_stmt *stmt = np_ledger_statement (self, "SELECT value FROM ledger_info WHERE name = 'id'", error);

  if (stmt == NULL)
    return FALSE;

  if (np_ledger_step (self, stmt, error) != SQLITE_ROW)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CORRUPT,
                     _("The ledger “%s” has lost its id."), self->path);
      sqlite3_reset (stmt);
      return FALSE;
    }

  self->id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return TRUE;
}

/* A pending row at open means the console stopped between sending a request and
 * hearing back: whether it took effect is unknown, and must be shown as such. */
static gboolean
recover_pending (NpLedger  *self,
                 GError   **error)
{
  sqlite3_stmt *stmt;
  guint64 revision;

  if (!np_ledger_begin (self, error))
    return FALSE;

  if (!np_ledger_next_revision (self, &revision, error) ||
      !(stmt = np_ledger_statement (self,
                                    "UPDATE journal SET state = 'unknown', finished = ?1, revision = ?2,"
                                    "  error_text = ?3,"
                                    "  search_text = np_search_text (object_id, summary, details, ?3)"
                                    /* Another desk's pending row is its lease's business. */
                                    " WHERE state = 'pending' AND desk IS NULL", error)))
    {
      np_ledger_rollback (self);
      return FALSE;
    }

  sqlite3_bind_int64 (stmt, 1, np_ledger_now ());
  sqlite3_bind_int64 (stmt, 2, revision);
  /* Stored, not shown translated: the journal is a record, read in any locale. */
  sqlite3_bind_text (stmt, 3, "The console stopped before the answer arrived.", -1, SQLITE_STATIC);
  if (!np_ledger_run (self, stmt, error))
    {
      np_ledger_rollback (self);
      return FALSE;
    }

  self->n_recovered = sqlite3_changes (self->db);
  /* The recovered rows are finished now; so are rows from before schema 6. */
  if (!np_ledger_chain_finished (self, error))
    {
      np_ledger_rollback (self);
      return FALSE;
    }
  return np_ledger_commit (self, error);
}

/* journal_mode answers with the mode it got, not the one asked for: SQLite keeps
 * the rollback journal where the file system gives no shared memory (its
 * dot-file locking, some network and FUSE mounts). The ledger still works then,
 * as safely (synchronous=FULL, one writer), only with the export, index and
 * totals workers' reads and the main thread's writes waiting for each other:
 * the file is used in the mode SQLite chose, and that is told, not hidden. */
static gboolean
set_wal_mode (NpLedger  *self,
              GError   **error)
{
  g_autofree char *mode = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    mode = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      np_ledger_set_error (self->db, rc, error);
      return FALSE;
    }

  self->wal_active = mode != NULL && g_ascii_strcasecmp (mode, "wal") == 0;
  if (!self->wal_active)
    g_warning ("The ledger “%s” is not in WAL mode: SQLite kept journal mode “%s” (no shared memory"
               " on this file system?). It works, but an export or a background read holds writes back.",
               self->path, mode != NULL ? mode : "?");

  return TRUE;
}

static gboolean
configure (NpLedger  *self,
           GError   **error)
{
  g_autoptr(GError) local_error = NULL;

  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, TRUE);
  np_ledger_register_functions (self->db);

  /* A 16 MiB page cache (SQLite's default is 2): the totals triggers touch a
   * bucket row per write, and an import of old checkouts spreads those over the
   * whole table; with the default cache, bench-ledger's upserts were a quarter
   * to a half slower, with this one as fast as before v4. */
  if (!exec_script (self, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -16384;", &local_error) ||
      !set_wal_mode (self, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

NpLedger *
np_ledger_open (const char  *path,
                GError     **error)
{
  g_autoptr(NpLedger) self = g_object_new (NP_TYPE_LEDGER, NULL);
  int rc;

  self->path = path ? g_strdup (path) : np_ledger_dup_default_path ();

  if (!create_private_file (self->path, error))
    return NULL;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_OPEN,
                   _("Could not open the ledger “%s”: %s"), self->path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  if (!configure (self, error) ||
      !migrate (self, error) ||
      !read_ledger_id (self, error) ||
      !recover_pending (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* A second connection to @path for one worker thread's writes: configured as
 * the ledger's own (functions, busy timeout, WAL), without migrating, reading
 * the id or recovering anything, which the ledger on its own thread did. Emits
 * nothing; the caller tells the ledger what it wrote. */
NpLedger *
np_ledger_open_worker (const char  *path,
                       GError     **error)
{
  g_autoptr(NpLedger) self = g_object_new (NP_TYPE_LEDGER, NULL);
  int rc;

  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_OPEN,
                   _("Could not open the ledger “%s”: %s"), self->path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  /* 2 MiB of page cache, not the ledger's 16: a worker's connection lives for
   * one batch on a pool thread, and closing it frees its cache into that
   * thread's malloc arena, whose free top malloc_trim () does not hand back (a
   * team desk's first sync kept 4 to 12 MiB of it resident). A batch larger than
   * the cache spills to the WAL before its commit, as SQLite does. */
  if (!configure (self, error) ||
      !exec_script (self, "PRAGMA cache_size = -2048", error))
    return NULL;

  return g_steal_pointer (&self);
}

NpLedger *
np_ledger_open_read_only (const char  *path,
                          GError     **error)
{
  g_autoptr(NpLedger) self = g_object_new (NP_TYPE_LEDGER, NULL);
  gint64 version;
  int rc;

  self->path = path ? g_strdup (path) : np_ledger_dup_default_path ();

  rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_OPEN,
                   _("Could not open the ledger “%s”: %s"), self->path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, TRUE);
  np_ledger_register_functions (self->db);

  if (!query_int (self, "PRAGMA user_version", &version, error))
    return NULL;
  if (version != NP_LEDGER_SCHEMA_VERSION)
    {
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_MIGRATION,
                   _("The ledger “%s” is at schema %d, this version reads %d: open it in the console once."),
                   self->path, (int)version, NP_LEDGER_SCHEMA_VERSION);
      return NULL;
    }

  if (!read_ledger_id (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
np_ledger_get_id (NpLedger *self)
{
  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  return self->id;
}

const char *
np_ledger_get_path (NpLedger *self)
{
  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  return self->path;
}

guint
np_ledger_get_n_recovered (NpLedger *self)
{
  g_return_val_if_fail (NP_IS_LEDGER (self), 0);

  return self->n_recovered;
}

gboolean
np_ledger_get_wal_active (NpLedger *self)
{
  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);

  return self->wal_active;
}

/* Accounts --------------------------------------------------------------------- */

static gboolean
check_account (NpAccount  *account,
               GError    **error)
{
  g_autofree char *name = g_strstrip (g_strdup (np_account_get_name (account) ?: ""));
  const char *base_url = np_account_get_base_url (account);

  if (name[0] == '\0')
    {
      g_set_error_literal (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT,
                           _("An account needs a name."));
      return FALSE;
    }

  if (base_url == NULL || base_url[0] == '\0')
    {
      g_set_error_literal (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT,
                           _("An account needs an API base URL."));
      return FALSE;
    }

  return TRUE;
}

/* Turns a UNIQUE failure on the name into a sentence about the name. */
static void
account_write_error (NpAccount  *account,
                     GError    **error)
{
  if (error != NULL && *error != NULL &&
      g_error_matches (*error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT))
    {
      g_clear_error (error);
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT,
                   _("There is already an account named “%s”."), np_account_get_name (account));
    }
}

gboolean
np_ledger_add_account (NpLedger   *self,
                       NpAccount  *account,
                       GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (NP_IS_ACCOUNT (account), FALSE);

  if (!check_account (account, error))
    return FALSE;

  stmt = np_ledger_statement (self,
                              "INSERT INTO accounts (name, base_url, environment) VALUES (?1, ?2, ?3)"
                              " RETURNING id", error);
  if (stmt == NULL)
    return FALSE;

  np_ledger_bind_text (stmt, 1, np_account_get_name (account));
  np_ledger_bind_text (stmt, 2, np_account_get_base_url (account));
  np_ledger_bind_text (stmt, 3, np_environment_to_string (np_account_get_environment (account)));

  if (np_ledger_step (self, stmt, error) != SQLITE_ROW)
    {
      account_write_error (account, error);
      return FALSE;
    }

  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  np_account_set_id (account, id);
  np_ledger_emit_changed (self, NP_LEDGER_TABLE_ACCOUNTS, id, id);

  return TRUE;
}

gboolean
np_ledger_update_account (NpLedger   *self,
                          NpAccount  *account,
                          GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (NP_IS_ACCOUNT (account), FALSE);

  if (!check_account (account, error))
    return FALSE;

  id = np_account_get_id (account);
  stmt = np_ledger_statement (self,
                              "UPDATE accounts SET name = ?2, base_url = ?3, environment = ?4 WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  np_ledger_bind_text (stmt, 2, np_account_get_name (account));
  np_ledger_bind_text (stmt, 3, np_account_get_base_url (account));
  np_ledger_bind_text (stmt, 4, np_environment_to_string (np_account_get_environment (account)));

  if (!np_ledger_run (self, stmt, error))
    {
      account_write_error (account, error);
      return FALSE;
    }

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND,
                   _("The account “%s” is not in the ledger."), np_account_get_name (account));
      return FALSE;
    }

  np_ledger_emit_changed (self, NP_LEDGER_TABLE_ACCOUNTS, id, id);
  return TRUE;
}

gboolean
np_ledger_remove_account (NpLedger  *self,
                          gint64     account_id,
                          GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);

  stmt = np_ledger_statement (self, "DELETE FROM accounts WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  /* ON DELETE CASCADE removes the account's checkouts, customers and journal. */
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (!np_ledger_run_one (self, stmt, NP_LEDGER_ERROR_NOT_FOUND, _("The account is not in the ledger."), error))
    return FALSE;

  np_ledger_forget_index (self, account_id);

  np_ledger_emit_changed (self, NP_LEDGER_TABLE_ACCOUNTS, account_id, account_id);
  np_ledger_emit_changed (self, NP_LEDGER_TABLE_CHECKOUTS, account_id, 0);
  np_ledger_emit_changed (self, NP_LEDGER_TABLE_CUSTOMERS, account_id, 0);
  np_ledger_emit_changed (self, NP_LEDGER_TABLE_JOURNAL, account_id, 0);

  return TRUE;
}

static NpAccount *
account_from_stmt (sqlite3_stmt *stmt)
{
  NpEnvironment environment = NP_ENVIRONMENT_TEST;
  NpAccount *account;

  np_environment_from_string ((const char *)sqlite3_column_text (stmt, 3), &environment);
  account = np_account_new ((const char *)sqlite3_column_text (stmt, 1),
                            (const char *)sqlite3_column_text (stmt, 2),
                            environment);
  np_account_set_id (account, sqlite3_column_int64 (stmt, 0));

  return account;
}

GPtrArray *
np_ledger_list_accounts (NpLedger  *self,
                         GError   **error)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  stmt = np_ledger_statement (self,
                              "SELECT id, name, base_url, environment FROM accounts"
                              " ORDER BY name COLLATE NOCASE, id", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = np_ledger_step (self, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_stmt (stmt));

  if (rc < 0)
    return NULL;

  return g_steal_pointer (&accounts);
}

NpAccount *
np_ledger_get_account (NpLedger  *self,
                       gint64     account_id,
                       GError   **error)
{
  NpAccount *account;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  stmt = np_ledger_statement (self,
                              "SELECT id, name, base_url, environment FROM accounts WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, account_id);
  switch (np_ledger_step (self, stmt, error))
    {
    case SQLITE_ROW:
      account = account_from_stmt (stmt);
      sqlite3_reset (stmt);
      return account;
    case SQLITE_DONE:
      g_set_error_literal (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND,
                           _("The account is not in the ledger."));
      return NULL;
    default:
      return NULL;
    }
}
