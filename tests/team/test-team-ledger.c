/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-team-ledger.c — NpTeamLedger against a real PostgreSQL 15 (np-test-postgres).
 *
 * One cluster for the binary, a fresh database per test. Roles: team_owner owns
 * the database (may create the schema), team_desk is a member of np_desk (the
 * least-privilege desk role team-ledger.sql grants to), team_stranger has no
 * grant at all. A second desk is either a second NpTeamLedger in this process or
 * this binary run again with --desk (a desk process reading commands on stdin).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>

#include "np-ledger.h"
#include "np-money.h"
#include "np-team-ledger.h"
#include "np-team-ledger-private.h"
#include "np-test-postgres.h"
#include "np-test-utils.h"

#define WAIT_MS 20000
#define ACCOUNT_ID "5f0e1c7a-3b2d-4c1e-9a8f-0123456789ab"
#define RACE_ROUNDS 100

typedef struct
{
  NpTestPostgres *pg;
  char           *dbname;
} Fixture;

/* Sync wrappers: each waits for its callback on the main context. */

static gboolean
connect_sync (NpTeamLedger *ledger,
              const char   *uri,
              const char   *password,
              GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_team_ledger_connect_async (ledger, uri, password, NULL, np_test_store_result, &result);
  return np_team_ledger_connect_finish (ledger, np_test_wait_result (&result, WAIT_MS), error);
}

static int
ensure_sync (NpTeamLedger *ledger,
             gboolean      may_create,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_team_ledger_ensure_schema_async (ledger, may_create, NULL, np_test_store_result, &result);
  return np_team_ledger_ensure_schema_finish (ledger, np_test_wait_result (&result, WAIT_MS), error);
}

static gint64
begin_refund_sync (NpTeamLedger *ledger,
                   const char   *object_id,
                   GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_team_ledger_begin_operation_async (ledger, ACCOUNT_ID, NP_JOURNAL_OPERATION_REFUND, object_id,
                                        2550, "SEK", "Refund 25.50 SEK", NULL, NULL,
                                        np_test_store_result, &result);
  return np_team_ledger_begin_operation_finish (ledger, np_test_wait_result (&result, WAIT_MS), error);
}

static gboolean
finish_sync (NpTeamLedger  *ledger,
             gint64         id,
             NpJournalState state,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_team_ledger_finish_operation_async (ledger, id, state, state == NP_JOURNAL_STATE_SUCCEEDED ? NULL : "failed",
                                         NULL, NULL, np_test_store_result, &result);
  return np_team_ledger_finish_operation_finish (ledger, np_test_wait_result (&result, WAIT_MS), error);
}

static guint
expire_sync (NpTeamLedger *ledger)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  np_team_ledger_expire_leases_async (ledger, NULL, np_test_store_result, &result);
  g_assert_true (np_team_ledger_expire_leases_finish (ledger, np_test_wait_result (&result, WAIT_MS), &count, &error));
  g_assert_no_error (error);
  return count;
}

static void
add_account (NpTeamLedger *ledger)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  np_team_ledger_upsert_account_async (ledger, ACCOUNT_ID, "Shop", "https://api.example.test", "test",
                                       NULL, np_test_store_result, &result);
  g_assert_true (np_team_ledger_upsert_account_finish (ledger, np_test_wait_result (&result, WAIT_MS), &error));
  g_assert_no_error (error);
}

static char *
uri_for (Fixture    *f,
         const char *role)
{
  return np_test_postgres_dup_uri (f->pg, role, f->dbname);
}

/* A desk connected as @role with its schema ensured (created when @may_create). */
static NpTeamLedger *
open_desk (Fixture    *f,
           const char *desk_name,
           const char *role,
           gboolean    may_create)
{
  g_autoptr(NpTeamLedger) ledger = np_team_ledger_new (desk_name);
  g_autofree char *uri = uri_for (f, role);
  g_autoptr(GError) error = NULL;
  int version;

  g_assert_true (connect_sync (ledger, uri, np_test_postgres_get_password (f->pg), &error));
  g_assert_no_error (error);
  version = ensure_sync (ledger, may_create, &error);
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, NP_TEAM_LEDGER_SCHEMA_VERSION);
  return g_steal_pointer (&ledger);
}

static char *
query (Fixture    *f,
       const char *sql)
{
  return np_test_postgres_query_value (f->pg, f->dbname, sql);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->pg = np_test_postgres_get_shared ();
  np_test_postgres_create_role (f->pg, "team_owner", "");
  np_test_postgres_create_role (f->pg, "team_stranger", "");
  np_test_postgres_create_group_role (f->pg, "np_desk");
  np_test_postgres_create_role (f->pg, "team_desk", "IN ROLE np_desk");
  np_test_postgres_create_role (f->pg, "team_desk_b", "IN ROLE np_desk");
  f->dbname = np_test_postgres_create_database (f->pg, "team_owner");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  np_test_postgres_drop_database (f->pg, f->dbname);
  g_free (f->dbname);
}

/* Schema */

static void
test_schema_create (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) desk = NULL;
  g_autoptr(GPtrArray) migrations = np_team_schema_dup_migrations ();
  g_autofree char *path = g_build_filename (g_getenv ("NP_SOURCE_ROOT"), "data", "team-ledger.sql", NULL);
  g_autofree char *file = NULL;
  g_autofree char *versions = NULL;
  g_autofree char *tables = NULL;
  g_autoptr(GError) error = NULL;

  /* The compiled-in migrations are the sections of the installed file. */
  g_assert_cmpuint (migrations->len, ==, NP_TEAM_LEDGER_SCHEMA_VERSION);
  g_assert_true (g_file_get_contents (path, &file, NULL, NULL));
  g_assert_nonnull (strstr (file, migrations->pdata[0]));

  versions = query (f, "SELECT string_agg (version::text, ',') FROM np_team.schema_version");
  g_assert_cmpstr (versions, ==, "1,2,3,4,5,6");
  tables = query (f, "SELECT string_agg (tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'np_team'");
  g_assert_cmpstr (tables, ==, "accounts,approval_limits,checkouts,customers,desk_leases,journal,ledger_info,refund_decisions,"
                   "refund_requests,schema_version,settlements");

  /* Ensuring again changes nothing; a least-privilege desk finds it ready. */
  g_assert_cmpint (ensure_sync (owner, TRUE, &error), ==, NP_TEAM_LEDGER_SCHEMA_VERSION);
  g_assert_no_error (error);
  g_free (versions);
  versions = query (f, "SELECT count(*) FROM np_team.schema_version");
  g_assert_cmpstr (versions, ==, G_STRINGIFY (NP_TEAM_LEDGER_SCHEMA_VERSION));

  desk = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  add_account (desk);
  g_assert_cmpint (begin_refund_sync (desk, "chk_schema", &error), >, 0);
  g_assert_no_error (error);
}

/* The file as a database administrator runs it, then a desk with np_desk only. */
static void
test_schema_by_hand (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("NP_SOURCE_ROOT"), "data", "team-ledger.sql", NULL);
  g_autofree char *psql = g_build_filename ("/usr/lib/postgresql/15/bin", "psql", NULL);
  g_autofree char *conninfo = g_strdup_printf ("host=%s dbname=%s user=np_admin",
                                               np_test_postgres_get_dir (f->pg), f->dbname);
  g_autoptr(GSubprocess) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NpTeamLedger) desk = NULL;
  g_autofree char *output = NULL;

  run = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                          psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
                          "-d", conninfo, "-f", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (run, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (run))
    g_error ("psql -f team-ledger.sql failed:\n%s", output);

  desk = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  add_account (desk);
  g_assert_cmpint (begin_refund_sync (desk, "chk_by_hand", &error), >, 0);
  g_assert_no_error (error);
}

static void
test_schema_too_new (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) desk = np_team_ledger_new ("FINANCE-1");
  g_autofree char *uri = uri_for (f, "team_desk");
  g_autoptr(GError) error = NULL;

  np_test_postgres_exec (f->pg, f->dbname, "INSERT INTO np_team.schema_version (version) VALUES (99)");

  g_assert_true (connect_sync (desk, uri, np_test_postgres_get_password (f->pg), &error));
  g_assert_cmpint (ensure_sync (desk, FALSE, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_SCHEMA_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "version 99"));
  g_assert_nonnull (strstr (error->message, "up to " G_STRINGIFY (NP_TEAM_LEDGER_SCHEMA_VERSION)));
  g_clear_error (&error);

  /* Even a role that may migrate leaves a newer schema alone. */
  g_assert_cmpint (ensure_sync (owner, TRUE, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_SCHEMA_TOO_NEW);
  g_clear_error (&error);

  /* And no call goes on without an ensured schema. */
  g_assert_cmpint (begin_refund_sync (desk, "chk_new", &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NOT_CONNECTED);
}

static void
test_schema_missing_and_rights (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(NpTeamLedger) desk = np_team_ledger_new ("FINANCE-1");
  g_autoptr(NpTeamLedger) stranger = np_team_ledger_new ("NOBODY");
  g_autoptr(NpTeamLedger) owner = NULL;
  g_autofree char *desk_uri = uri_for (f, "team_desk");
  g_autofree char *stranger_uri = uri_for (f, "team_stranger");
  g_autofree char *exists = NULL;
  g_autoptr(GError) error = NULL;

  /* No schema, and not allowed to create one: said so, nothing made. */
  g_assert_true (connect_sync (desk, desk_uri, np_test_postgres_get_password (f->pg), &error));
  g_assert_cmpint (ensure_sync (desk, FALSE, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NO_SCHEMA);
  g_clear_error (&error);

  /* Allowed to try, but the role may not create a schema in this database. */
  g_assert_true (connect_sync (stranger, stranger_uri, np_test_postgres_get_password (f->pg), &error));
  g_assert_cmpint (ensure_sync (stranger, TRUE, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_PERMISSION);
  g_test_message ("create refused: %s", error->message);
  g_clear_error (&error);
  exists = query (f, "SELECT to_regnamespace ('np_team') IS NOT NULL");
  g_assert_cmpstr (exists, ==, "f");

  /* Once it exists, a role without np_desk is told it lacks the rights. */
  owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_assert_cmpint (ensure_sync (stranger, FALSE, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_PERMISSION);
  g_test_message ("no rights: %s", error->message);
  g_clear_error (&error);

  /* A right taken away is named. */
  np_test_postgres_exec (f->pg, f->dbname, "GRANT USAGE ON SCHEMA np_team TO team_stranger");
  np_test_postgres_exec (f->pg, f->dbname, "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA np_team TO team_stranger");
  g_assert_cmpint (ensure_sync (stranger, FALSE, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "UPDATE (state, error_text, object_id) on np_team.journal"));
}

/* Connecting */

static void
test_connect_errors (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NpTeamLedger) desk = np_team_ledger_new ("FINANCE-1");
  g_autofree char *uri = uri_for (f, "team_desk");
  g_autofree char *unknown = np_test_postgres_dup_uri (f->pg, "team_desk", "no_such_database");
  g_autofree char *nowhere_dir = g_dir_make_tmp ("np-no-server-XXXXXX", NULL);
  g_autofree char *nowhere = g_strdup_printf ("postgresql:///%s?host=%s&user=team_desk", f->dbname, nowhere_dir);
  g_autofree char *revoke = g_strdup_printf ("REVOKE CONNECT ON DATABASE %s FROM PUBLIC", f->dbname);
  const char *password = np_test_postgres_get_password (f->pg);
  g_autoptr(GError) error = NULL;

  g_assert_false (connect_sync (desk, uri, "wrong-password", &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_AUTHENTICATION);
  g_test_message ("wrong password: %s", error->message);
  g_clear_error (&error);

  g_assert_false (connect_sync (desk, unknown, password, &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_UNKNOWN_DATABASE);
  g_test_message ("unknown database: %s", error->message);
  g_clear_error (&error);

  g_assert_false (connect_sync (desk, nowhere, password, &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_UNREACHABLE);
  g_clear_error (&error);
  g_rmdir (nowhere_dir);

  /* The role may not connect to this database. */
  np_test_postgres_exec (f->pg, "postgres", revoke);
  g_assert_false (connect_sync (desk, uri, password, &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_PERMISSION);
  g_test_message ("no CONNECT: %s", error->message);
  g_clear_error (&error);
  g_free (revoke);
  revoke = g_strdup_printf ("GRANT CONNECT ON DATABASE %s TO PUBLIC", f->dbname);
  np_test_postgres_exec (f->pg, "postgres", revoke);

  /* A server older than the minimum: the real 15 against a minimum raised to 16. */
  np_team_ledger_set_minimum_server_version (desk, 160000);
  g_assert_false (connect_sync (desk, uri, password, &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_SERVER_TOO_OLD);
  g_assert_nonnull (strstr (error->message, "PostgreSQL 15."));
  g_clear_error (&error);
  np_team_ledger_set_minimum_server_version (desk, 130000);
  g_assert_true (connect_sync (desk, uri, password, &error));
  g_assert_no_error (error);

  /* Targets refused before any connection. */
  g_assert_false (np_team_ledger_check_target ("postgresql://maria@db.example.com/team", &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INSECURE);
  g_clear_error (&error);
  g_assert_false (np_team_ledger_check_target ("postgresql://maria@db.example.com/team?sslmode=prefer", &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INSECURE);
  g_clear_error (&error);
  g_assert_true (np_team_ledger_check_target ("postgresql://maria@db.example.com/team?sslmode=verify-full", NULL));
  g_assert_true (np_team_ledger_check_target ("postgresql://maria@localhost/team", NULL));
  g_assert_true (np_team_ledger_check_target ("team-ledger", NULL));
  g_assert_false (np_team_ledger_check_target ("postgresql://maria:secret@localhost/team", &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (np_team_ledger_check_target ("team ledger; drop", &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID);
}

/* TLS trouble, provoked for real: a cluster with ssl=on and a self-signed
 * certificate for "localhost" on 127.0.0.1, and desks asking for verify-full. */
static char *
tls_uri (NpTestPostgres *pg,
         const char     *host,
         const char     *dbname,
         const char     *root_certificate)
{
  g_autofree char *root = g_uri_escape_string (root_certificate, "/", FALSE);

  return g_strdup_printf ("postgresql://team_desk@%s:%u/%s?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert=%s",
                          host, np_test_postgres_get_port (pg), dbname, root);
}

static void
assert_tls_refused (NpTeamLedger *desk,
                    const char   *target,
                    const char   *password,
                    const char   *what)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (np_team_ledger_check_target (target, NULL));   /* loopback: the form lets it through */
  g_assert_false (connect_sync (desk, target, password, &error));
  g_test_message ("%s: %s", what, error->message);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "The encrypted connection (TLS) could not be set up."));
}

static void
test_connect_tls (void)
{
  NpTestPostgres *pg = np_test_postgres_start_tls ();
  g_autoptr(NpTeamLedger) desk = np_team_ledger_new ("FINANCE-1");
  g_autofree char *dbname = NULL;
  g_autofree char *missing = g_build_filename (np_test_postgres_get_dir (pg), "no-such-root.crt", NULL);
  g_autofree char *good = NULL;
  g_autofree char *wrong_root = NULL;
  g_autofree char *no_root = NULL;
  g_autofree char *wrong_host = NULL;
  const char *password = np_test_postgres_get_password (pg);
  g_autoptr(GError) error = NULL;

  np_test_postgres_create_role (pg, "team_desk", "");
  dbname = np_test_postgres_create_database (pg, NULL);
  good = tls_uri (pg, "localhost", dbname, np_test_postgres_get_certificate_path (pg));
  wrong_root = tls_uri (pg, "localhost", dbname, np_test_postgres_get_other_certificate_path (pg));
  no_root = tls_uri (pg, "localhost", dbname, missing);
  /* The certificate names localhost, the desk asks for 127.0.0.1. */
  wrong_host = tls_uri (pg, "127.0.0.1", dbname, np_test_postgres_get_certificate_path (pg));

  /* TLS, on loopback only. */
  {
    g_autofree char *ssl = np_test_postgres_query_value (pg, "postgres", "SHOW ssl");
    g_autofree char *addresses = np_test_postgres_query_value (pg, "postgres", "SHOW listen_addresses");

    g_assert_cmpstr (ssl, ==, "on");
    g_assert_cmpstr (addresses, ==, "127.0.0.1");
  }

  /* The server's own certificate as the root, the name it bears: TLS works. */
  g_assert_true (connect_sync (desk, good, password, &error));
  g_assert_no_error (error);

  assert_tls_refused (desk, wrong_root, password, "a root certificate that did not sign the server's");
  assert_tls_refused (desk, no_root, password, "no root certificate");
  assert_tls_refused (desk, wrong_host, password, "a host name the certificate does not bear");

  /* Over TLS, a refused password is still a refused password. */
  g_assert_false (connect_sync (desk, good, "wrong-password", &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_AUTHENTICATION);
  g_clear_error (&error);

  np_test_postgres_stop (pg);
}

static void
test_password_not_stored (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) desk = NULL;
  const char *password = np_test_postgres_get_password (f->pg);
  g_autofree char *in_home = NULL;
  g_autofree char *in_cluster = NULL;
  g_autofree char *in_activity = NULL;
  g_autofree char *activity_sql = NULL;

  desk = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  add_account (desk);
  g_assert_cmpint (begin_refund_sync (desk, "chk_pw", NULL), >, 0);

  /* Not in the test's data, config, cache or state dirs (settings, logs, ledgers)... */
  in_home = np_test_find_in_tree (np_test_get_home (), password);
  g_assert_null (in_home);
  /* ...nor anywhere in the database: tables, WAL, the server log. */
  in_cluster = np_test_find_in_tree (np_test_postgres_get_dir (f->pg), password);
  g_assert_null (in_cluster);
  /* ...nor in what the server shows of the session. */
  activity_sql = g_strdup_printf ("SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid ()"
                                  " AND (strpos (application_name, '%s') > 0 OR strpos (query, '%s') > 0)",
                                  password, password);
  in_activity = query (f, activity_sql);
  g_assert_cmpstr (in_activity, ==, "0");
}

/* The journal */

static void
test_journal_append_only (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) desk = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autofree char *sql = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GError) error = NULL;
  const char *attempts[] = {
    "UPDATE np_team.journal SET state = 'failed' WHERE id = ",
    "UPDATE np_team.journal SET error_text = 'rewritten' WHERE id = ",
    "DELETE FROM np_team.journal WHERE id = ",
  };
  gint64 finished, pending;
  PGconn *admin;
  PGconn *as_desk;

  add_account (desk);
  finished = begin_refund_sync (desk, "chk_done", &error);
  g_assert_no_error (error);
  g_assert_true (finish_sync (desk, finished, NP_JOURNAL_STATE_SUCCEEDED, &error));
  pending = begin_refund_sync (desk, "chk_pending", &error);
  g_assert_no_error (error);

  /* Finishing twice is refused by the API... */
  g_assert_false (finish_sync (desk, finished, NP_JOURNAL_STATE_FAILED, &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NOT_PENDING);
  g_clear_error (&error);

  /* ...and direct SQL is refused by the database, even to a superuser. */
  admin = np_test_postgres_connect_admin (f->pg, f->dbname);
  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      PGresult *result;

      g_free (sql);
      sql = g_strdup_printf ("%s%" G_GINT64_FORMAT, attempts[i], finished);
      result = PQexec (admin, sql);
      g_assert_cmpint (PQresultStatus (result), ==, PGRES_FATAL_ERROR);
      g_assert_cmpstr (PQresultErrorField (result, PG_DIAG_SQLSTATE), ==, "NP001");
      g_test_message ("%s: %s", sql, PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY));
      PQclear (result);
    }
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM np_team.journal WHERE id = %" G_GINT64_FORMAT, pending);
  PQclear (PQexec (admin, sql));
  PQclear (PQexec (admin, "TRUNCATE np_team.journal CASCADE"));
  g_free (state);
  state = query (f, "SELECT string_agg (state, ',' ORDER BY id) FROM np_team.journal");
  g_assert_cmpstr (state, ==, "succeeded,pending");
  g_free (sql);
  /* A pending row's request details cannot be rewritten either. */
  sql = g_strdup_printf ("UPDATE np_team.journal SET amount = 1 WHERE id = %" G_GINT64_FORMAT, pending);
  {
    PGresult *result = PQexec (admin, sql);

    g_assert_cmpstr (PQresultErrorField (result, PG_DIAG_SQLSTATE), ==, "NP001");
    PQclear (result);
  }
  PQfinish (admin);

  /* The desk role, over its own password connection: no DELETE right, and the
   * trigger stops the UPDATE its column rights would allow. */
  {
    g_autofree char *uri = uri_for (f, "team_desk");
    const char *keywords[] = { "dbname", "password", NULL };
    const char *values[] = { uri, np_test_postgres_get_password (f->pg), NULL };
    PGresult *result;

    as_desk = PQconnectdbParams (keywords, values, TRUE);
    g_assert_cmpint (PQstatus (as_desk), ==, CONNECTION_OK);
    g_free (sql);
    sql = g_strdup_printf ("UPDATE np_team.journal SET state = 'failed' WHERE id = %" G_GINT64_FORMAT, finished);
    result = PQexec (as_desk, sql);
    g_assert_cmpstr (PQresultErrorField (result, PG_DIAG_SQLSTATE), ==, "NP001");
    PQclear (result);
    g_free (sql);
    sql = g_strdup_printf ("DELETE FROM np_team.journal WHERE id = %" G_GINT64_FORMAT, finished);
    result = PQexec (as_desk, sql);
    g_assert_cmpstr (PQresultErrorField (result, PG_DIAG_SQLSTATE), ==, "42501");
    PQclear (result);
    PQfinish (as_desk);
  }

  g_free (state);
  state = query (f, "SELECT string_agg (state || coalesce (error_text, ''), ',' ORDER BY id) FROM np_team.journal");
  g_assert_cmpstr (state, ==, "succeeded,pending");
}

/* The cross-desk lock */

typedef struct
{
  PGconn *admin;
  PGconn *watcher;
} Gate;

/* Holds a lock on the journal that every begin waits behind, so that two desks'
 * begins are both at the server when it opens: a real race on the index. */
static void
gate_close (Fixture *f,
            Gate    *gate)
{
  gate->admin = np_test_postgres_connect_admin (f->pg, f->dbname);
  gate->watcher = np_test_postgres_connect_admin (f->pg, f->dbname);
  PQclear (PQexec (gate->admin, "BEGIN"));
  PQclear (PQexec (gate->admin, "LOCK TABLE np_team.journal IN SHARE ROW EXCLUSIVE MODE"));
}

static gboolean
two_waiting (gpointer user_data)
{
  Gate *gate = user_data;
  PGresult *result = PQexec (gate->watcher,
      "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'np_team.journal'::regclass");
  gboolean both = g_str_equal (PQgetvalue (result, 0, 0), "2");

  PQclear (result);
  return both;
}

static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
gate_open_when_both_wait (Gate *gate)
{
  guint poll_id = g_timeout_add (2, tick, NULL);

  np_test_wait_until (two_waiting, gate, WAIT_MS, "both desks waiting at the gate");
  g_source_remove (poll_id);
  PQclear (PQexec (gate->admin, "COMMIT"));
  PQfinish (gate->admin);
  PQfinish (gate->watcher);
}

static void
assert_lock_message (const GError *error,
                     const char   *holder_desk)
{
  /* The amount as the project formats money: 25.50, a no-break space, SEK. */
  g_autofree char *amount = np_money_format (2550, "SEK");
  g_autofree char *expected = g_strdup_printf ("A refund of %s is in flight from %s (%s) since ",
                                               amount, holder_desk, g_get_user_name ());

  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_LOCKED);
  if (!g_str_has_prefix (error->message, expected))
    g_error ("Lock message \"%s\" does not start with \"%s\"", error->message, expected);
}

static void
test_lock_race_in_process (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "FINANCE-2", "team_desk", FALSE);
  guint a_won = 0, b_won = 0;
  g_autofree char *pending = NULL;
  gint64 started = g_get_monotonic_time ();

  add_account (a);

  for (guint round = 0; round < RACE_ROUNDS; round++)
    {
      g_autoptr(GAsyncResult) result_a = NULL;
      g_autoptr(GAsyncResult) result_b = NULL;
      g_autoptr(GError) error_a = NULL;
      g_autoptr(GError) error_b = NULL;
      /* Half the rounds on one checkout, freed after each round; half on new ones. */
      g_autofree char *object = round % 2 == 0 ? g_strdup ("chk_shared") : g_strdup_printf ("chk_%u", round);
      Gate gate;
      gint64 id_a, id_b;

      gate_close (f, &gate);
      np_team_ledger_begin_operation_async (a, ACCOUNT_ID, NP_JOURNAL_OPERATION_REFUND, object, 2550, "SEK",
                                            "Refund 25.50 SEK", NULL, NULL, np_test_store_result, &result_a);
      np_team_ledger_begin_operation_async (b, ACCOUNT_ID, NP_JOURNAL_OPERATION_REFUND, object, 2550, "SEK",
                                            "Refund 25.50 SEK", NULL, NULL, np_test_store_result, &result_b);
      gate_open_when_both_wait (&gate);

      id_a = np_team_ledger_begin_operation_finish (a, np_test_wait_result (&result_a, WAIT_MS), &error_a);
      id_b = np_team_ledger_begin_operation_finish (b, np_test_wait_result (&result_b, WAIT_MS), &error_b);

      /* Exactly one wins; the other is told who holds the lock. */
      g_assert_true ((id_a > 0) != (id_b > 0));
      if (id_a > 0)
        {
          assert_lock_message (error_b, "FINANCE-1");
          a_won++;
          g_assert_true (finish_sync (a, id_a, NP_JOURNAL_STATE_SUCCEEDED, NULL));
        }
      else
        {
          assert_lock_message (error_a, "FINANCE-2");
          b_won++;
          g_assert_true (finish_sync (b, id_b, NP_JOURNAL_STATE_SUCCEEDED, NULL));
        }
    }

  pending = query (f, "SELECT count(*) FILTER (WHERE state = 'pending') || '/' || count(*) FROM np_team.journal");
  g_assert_cmpstr (pending, ==, "0/100");
  g_test_message ("in-process race, %u rounds: FINANCE-1 won %u, FINANCE-2 won %u, %.1f ms a round",
                  RACE_ROUNDS, a_won, b_won, (g_get_monotonic_time () - started) / 1000.0 / RACE_ROUNDS);
}

/* A desk in another process: this binary with --desk NAME LEASE-SECONDS, reading
 * "begin OBJECT" (answers "won ID" or "locked MESSAGE") and "finish ID"
 * (answers "finished") on stdin. The URI and password come in its environment. */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GOutputStream    *in;
  char             *line;
  gboolean          line_read;
} DeskProcess;

static void
line_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  DeskProcess *desk = user_data;

  desk->line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  desk->line_read = TRUE;
}

static gboolean
line_is_read (gpointer user_data)
{
  return ((DeskProcess *) user_data)->line_read;
}

static char *
desk_read_line (DeskProcess *desk)
{
  desk->line_read = FALSE;
  g_data_input_stream_read_line_async (desk->out, G_PRIORITY_DEFAULT, NULL, line_read, desk);
  np_test_wait_until (line_is_read, desk, WAIT_MS, "a line from the desk process");
  g_assert_nonnull (desk->line);
  return g_steal_pointer (&desk->line);
}

static void
desk_send (DeskProcess *desk,
           const char  *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
desk_send (DeskProcess *desk,
           const char  *format,
           ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_assert_true (g_output_stream_write_all (desk->in, line, strlen (line), NULL, NULL, NULL));
  g_assert_true (g_output_stream_flush (desk->in, NULL, NULL));
}

static DeskProcess *
desk_spawn (Fixture    *f,
            const char *name,
            guint       lease_seconds)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *uri = uri_for (f, "team_desk");
  g_autofree char *lease = g_strdup_printf ("%u", lease_seconds);
  g_autofree char *ready = NULL;
  g_autoptr(GError) error = NULL;
  DeskProcess *desk = g_new0 (DeskProcess, 1);

  g_subprocess_launcher_setenv (launcher, "NP_TEST_TEAM_URI", uri, TRUE);
  g_subprocess_launcher_setenv (launcher, "NP_TEST_TEAM_PASSWORD", np_test_postgres_get_password (f->pg), TRUE);
  desk->process = g_subprocess_launcher_spawn (launcher, &error, self, "--desk", name, lease, NULL);
  g_assert_no_error (error);
  desk->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (desk->process));
  desk->in = g_subprocess_get_stdin_pipe (desk->process);
  ready = desk_read_line (desk);
  g_assert_cmpstr (ready, ==, "ready");
  return desk;
}

static void
desk_free (DeskProcess *desk)
{
  g_output_stream_close (desk->in, NULL, NULL);
  g_subprocess_wait (desk->process, NULL, NULL);
  g_clear_object (&desk->out);
  g_clear_object (&desk->process);
  g_free (desk);
}

static void
test_lock_race_processes (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  DeskProcess *b;
  guint a_won = 0, b_won = 0;
  g_autofree char *pending = NULL;
  gint64 started;

  add_account (a);
  b = desk_spawn (f, "FINANCE-2", 60);
  started = g_get_monotonic_time ();

  for (guint round = 0; round < RACE_ROUNDS; round++)
    {
      g_autoptr(GAsyncResult) result_a = NULL;
      g_autoptr(GError) error_a = NULL;
      g_autofree char *answer = NULL;
      Gate gate;
      gint64 id_a;

      gate_close (f, &gate);
      desk_send (b, "begin chk_contested\n");
      np_team_ledger_begin_operation_async (a, ACCOUNT_ID, NP_JOURNAL_OPERATION_REFUND, "chk_contested", 2550, "SEK",
                                            "Refund 25.50 SEK", NULL, NULL, np_test_store_result, &result_a);
      gate_open_when_both_wait (&gate);

      id_a = np_team_ledger_begin_operation_finish (a, np_test_wait_result (&result_a, WAIT_MS), &error_a);
      answer = desk_read_line (b);

      if (id_a > 0)
        {
          g_autofree char *amount = np_money_format (2550, "SEK");
          g_autofree char *expected = g_strdup_printf ("locked A refund of %s is in flight from FINANCE-1 (%s) since ",
                                                       amount, g_get_user_name ());

          if (!g_str_has_prefix (answer, expected))
            g_error ("Round %u: FINANCE-1 won, FINANCE-2 answered \"%s\"", round, answer);
          a_won++;
          g_assert_true (finish_sync (a, id_a, NP_JOURNAL_STATE_SUCCEEDED, NULL));
        }
      else
        {
          g_autofree char *finished = NULL;

          if (!g_str_has_prefix (answer, "won "))
            g_error ("Round %u: neither desk won (FINANCE-2: \"%s\"; FINANCE-1: %s)", round, answer, error_a->message);
          assert_lock_message (error_a, "FINANCE-2");
          b_won++;
          desk_send (b, "finish %s\n", answer + 4);
          finished = desk_read_line (b);
          g_assert_cmpstr (finished, ==, "finished");
        }
    }

  pending = query (f, "SELECT count(*) FILTER (WHERE state = 'pending') || '/' || count(*) FROM np_team.journal");
  g_assert_cmpstr (pending, ==, "0/100");
  g_test_message ("two-process race, %u rounds on one checkout: FINANCE-1 (this process) won %u,"
                  " FINANCE-2 (desk process) won %u, %.1f ms a round",
                  RACE_ROUNDS, a_won, b_won, (g_get_monotonic_time () - started) / 1000.0 / RACE_ROUNDS);
  desk_free (b);
}

/* Leases */

static gboolean
expired_one (gpointer user_data)
{
  return expire_sync (user_data) == 1;
}

static void assert_chain_intact (NpTeamLedger *ledger,
                                 guint         n_rows);

static void
test_lease_expiry (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *row = NULL;
  g_autofree char *sql = NULL;
  DeskProcess *b;
  gint64 killed, id;
  guint poll_id;

  add_account (a);
  g_assert_cmpuint (np_team_ledger_get_lease_seconds (a), ==, 60);

  /* FINANCE-2 holds a 2 s lease, renewed every second while it runs... */
  b = desk_spawn (f, "FINANCE-2", 2);
  desk_send (b, "begin chk_abandoned\n");
  answer = desk_read_line (b);
  g_assert_true (g_str_has_prefix (answer, "won "));

  /* ...and is killed mid-refund. Until its lease runs out, the lock holds. */
  g_subprocess_force_exit (b->process);
  g_subprocess_wait (b->process, NULL, NULL);
  killed = g_get_monotonic_time ();
  g_assert_cmpuint (expire_sync (a), ==, 0);
  g_assert_cmpint (begin_refund_sync (a, "chk_abandoned", &error), ==, 0);
  assert_lock_message (error, "FINANCE-2");
  g_clear_error (&error);

  /* Then the first desk to look finds the lease expired: the row becomes UNKNOWN. */
  poll_id = g_timeout_add (50, tick, NULL);
  np_test_wait_until (expired_one, a, WAIT_MS, "the abandoned lease to expire");
  g_source_remove (poll_id);
  g_test_message ("lease of 2 s: the abandoned pending row became unknown %.0f ms after its desk was killed",
                  (g_get_monotonic_time () - killed) / 1000.0);

  sql = g_strdup_printf ("SELECT state || ' ' || desk || ' ' || (finished IS NOT NULL) || ' ' || (error_text LIKE '%%lease%%')"
                         " FROM np_team.journal WHERE id = %s", answer + 4);
  row = query (f, sql);
  g_assert_cmpstr (row, ==, "unknown FINANCE-2 true true");

  /* The desk that found it finished it into the audit chain. */
  g_free (row);
  g_free (sql);
  sql = g_strdup_printf ("SELECT chain_seq FROM np_team.journal WHERE id = %s", answer + 4);
  row = query (f, sql);
  g_assert_cmpstr (row, ==, "1");
  assert_chain_intact (a, 1);

  /* The lock is free again, and the dead desk's row can no longer change. */
  id = begin_refund_sync (a, "chk_abandoned", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_clear_pointer (&b->line, g_free);
  g_output_stream_close (b->in, NULL, NULL);
  g_clear_object (&b->out);
  g_clear_object (&b->process);
  g_free (b);
}

static gboolean
seconds_passed (gpointer user_data)
{
  return g_get_monotonic_time () >= *(gint64 *) user_data;
}

static void
test_lease_renewed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = np_team_ledger_new ("FINANCE-1");
  g_autoptr(NpTeamLedger) b = open_desk (f, "FINANCE-2", "team_desk", FALSE);
  g_autofree char *uri = uri_for (f, "team_desk");
  g_autoptr(GError) error = NULL;
  gint64 until;
  gint64 id;
  guint poll_id;

  /* A live desk with a 2 s lease keeps its pending row for 3.5 s and more:
   * its main loop renews the lease every second. */
  np_team_ledger_set_lease_seconds (a, 2);
  g_assert_true (connect_sync (a, uri, np_test_postgres_get_password (f->pg), &error));
  g_assert_cmpint (ensure_sync (a, FALSE, &error), ==, NP_TEAM_LEDGER_SCHEMA_VERSION);
  add_account (a);
  id = begin_refund_sync (a, "chk_alive", &error);
  g_assert_cmpint (id, >, 0);

  until = g_get_monotonic_time () + 3500 * 1000;
  poll_id = g_timeout_add (100, tick, NULL);
  np_test_wait_until (seconds_passed, &until, WAIT_MS, "3.5 s of renewals");
  g_source_remove (poll_id);

  g_assert_cmpuint (expire_sync (b), ==, 0);
  g_assert_true (finish_sync (a, id, NP_JOURNAL_STATE_SUCCEEDED, &error));
  g_assert_no_error (error);
}

/* The main loop */

typedef struct
{
  gint64 last;
  gint64 longest_gap;
  guint  ticks;
} Ticker;

static gboolean
measure_tick (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();

  ticker->longest_gap = MAX (ticker->longest_gap, now - ticker->last);
  ticker->last = now;
  ticker->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
release_gate (gpointer user_data)
{
  PGconn *admin = user_data;

  PQclear (PQexec (admin, "COMMIT"));
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_main_loop_responsive (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) desk = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  Ticker ticker = { g_get_monotonic_time (), 0, 0 };
  PGconn *admin;
  gint64 started, elapsed;
  guint tick_id;
  gint64 id;

  add_account (desk);

  /* A begin that waits 1 s on the server (a lock another session holds), while
   * a 10 ms timer runs on this thread's main loop. */
  admin = np_test_postgres_connect_admin (f->pg, f->dbname);
  PQclear (PQexec (admin, "BEGIN"));
  PQclear (PQexec (admin, "LOCK TABLE np_team.journal IN SHARE ROW EXCLUSIVE MODE"));
  tick_id = g_timeout_add (10, measure_tick, &ticker);
  g_timeout_add (1000, release_gate, admin);
  started = g_get_monotonic_time ();
  ticker.last = started;
  np_team_ledger_begin_operation_async (desk, ACCOUNT_ID, NP_JOURNAL_OPERATION_REFUND, "chk_slow", 2550, "SEK",
                                        "Refund 25.50 SEK", NULL, NULL, np_test_store_result, &result);
  id = np_team_ledger_begin_operation_finish (desk, np_test_wait_result (&result, WAIT_MS), &error);
  elapsed = g_get_monotonic_time () - started;
  g_source_remove (tick_id);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_test_message ("a begin that waited %.0f ms on the server: %u ticks of 10 ms, longest gap %.1f ms",
                  elapsed / 1000.0, ticker.ticks, ticker.longest_gap / 1000.0);
  g_assert_cmpint (elapsed, >=, 1000 * 1000);
  g_assert_cmpint (ticker.longest_gap, <, 60 * 1000);
  g_assert_cmpuint (ticker.ticks, >=, 50);

  /* Cancelling a call stuck on the server ends it at once, with nothing written. */
  g_clear_object (&result);
  PQclear (PQexec (admin, "BEGIN"));
  PQclear (PQexec (admin, "LOCK TABLE np_team.journal IN SHARE ROW EXCLUSIVE MODE"));
  np_team_ledger_begin_operation_async (desk, ACCOUNT_ID, NP_JOURNAL_OPERATION_REFUND, "chk_cancelled", 2550, "SEK",
                                        "Refund 25.50 SEK", NULL, cancellable, np_test_store_result, &result);
  g_timeout_add (100, cancel_soon, cancellable);
  started = g_get_monotonic_time ();
  id = np_team_ledger_begin_operation_finish (desk, np_test_wait_result (&result, WAIT_MS), &error);
  elapsed = g_get_monotonic_time () - started;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (id, ==, 0);
  g_assert_cmpint (elapsed, <, 1000 * 1000);
  g_test_message ("a cancelled begin ended %.0f ms after the call (cancelled at 100 ms)", elapsed / 1000.0);
  PQclear (PQexec (admin, "COMMIT"));
  PQfinish (admin);
  rows = query (f, "SELECT count(*) FROM np_team.journal WHERE object_id = 'chk_cancelled'");
  g_assert_cmpstr (rows, ==, "0");
}

/* Changes and objects */

static GPtrArray *
read_changes_sync (NpTeamLedger *ledger,
                   gint64        since)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *changes;

  np_team_ledger_read_changes_async (ledger, since, 1000, NULL, np_test_store_result, &result);
  changes = np_team_ledger_read_changes_finish (ledger, np_test_wait_result (&result, WAIT_MS), &error);
  g_assert_no_error (error);
  return changes;
}

static void
upsert_sync (NpTeamLedger *ledger,
             NpTeamObject  kind,
             const char   *json_text,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = json_from_string (json_text, NULL);

  np_team_ledger_upsert_object_async (ledger, kind, ACCOUNT_ID, json_node_get_object (node), NULL,
                                      np_test_store_result, &result);
  np_team_ledger_upsert_object_finish (ledger, np_test_wait_result (&result, WAIT_MS), error);
}

static void
test_changes (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "SUPPORT-1", "team_desk", FALSE);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  NpTeamChange *last;
  gint64 id, seen;

  add_account (a);
  upsert_sync (a, NP_TEAM_OBJECT_CHECKOUT, "{\"id\": \"chk_1\", \"status\": \"created\", \"amount\": 2550}", &error);
  g_assert_no_error (error);
  upsert_sync (a, NP_TEAM_OBJECT_CUSTOMER, "{\"id\": \"cus_1\", \"name\": \"Ada\"}", &error);
  g_assert_no_error (error);
  upsert_sync (a, NP_TEAM_OBJECT_CHECKOUT, "{\"id\": \"chk_1\", \"status\": \"paid\", \"amount\": 2550}", &error);
  g_assert_no_error (error);
  id = begin_refund_sync (a, "chk_1", &error);
  g_assert_true (finish_sync (a, id, NP_JOURNAL_STATE_SUCCEEDED, &error));

  /* Another desk catching up from 0 sees each row once, at its last change, in order. */
  changes = read_changes_sync (b, 0);
  g_assert_cmpuint (changes->len, ==, 4);
  g_assert_cmpint (((NpTeamChange *) changes->pdata[0])->kind, ==, NP_TEAM_CHANGE_ACCOUNT);
  g_assert_cmpint (((NpTeamChange *) changes->pdata[1])->kind, ==, NP_TEAM_CHANGE_CUSTOMER);
  g_assert_cmpint (((NpTeamChange *) changes->pdata[2])->kind, ==, NP_TEAM_CHANGE_CHECKOUT);
  g_assert_nonnull (strstr (((NpTeamChange *) changes->pdata[2])->json, "\"paid\""));
  g_assert_null (strstr (((NpTeamChange *) changes->pdata[2])->row, "\"paid\""));
  g_assert_nonnull (strstr (((NpTeamChange *) changes->pdata[2])->row, "\"seen_by\": \"FINANCE-1\""));
  g_assert_null (((NpTeamChange *) changes->pdata[3])->json);
  last = changes->pdata[3];
  g_assert_cmpint (last->kind, ==, NP_TEAM_CHANGE_JOURNAL);
  g_assert_nonnull (strstr (last->row, "\"state\": \"succeeded\""));
  for (guint i = 1; i < changes->len; i++)
    g_assert_cmpint (((NpTeamChange *) changes->pdata[i - 1])->change, <, ((NpTeamChange *) changes->pdata[i])->change);

  /* From the last one seen: nothing, then only what changed since. */
  seen = last->change;
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = read_changes_sync (b, seen);
  g_assert_cmpuint (changes->len, ==, 0);
  upsert_sync (a, NP_TEAM_OBJECT_CUSTOMER, "{\"id\": \"cus_1\", \"name\": \"Ada L.\"}", &error);
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = read_changes_sync (b, seen);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (((NpTeamChange *) changes->pdata[0])->key, ==, "cus_1");

  /* Bad input is refused before anything is sent. */
  upsert_sync (a, NP_TEAM_OBJECT_CHECKOUT, "{\"id\": \"no spaces allowed\"}", &error);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(GAsyncResult) result = NULL;

    np_team_ledger_begin_operation_async (a, ACCOUNT_ID, NP_JOURNAL_OPERATION_REFUND, "chk_1", 2550, NULL,
                                          "Refund", NULL, NULL, np_test_store_result, &result);
    g_assert_cmpint (np_team_ledger_begin_operation_finish (a, np_test_wait_result (&result, WAIT_MS), &error), ==, 0);
    g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID);
  }
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = read_changes_sync (b, seen);
  g_assert_cmpuint (changes->len, ==, 1);
}

static gboolean
upsert_many_sync (NpTeamLedger *ledger,
                  GPtrArray    *ids,
                  GPtrArray    *jsons,
                  GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_team_ledger_upsert_objects_async (ledger, NP_TEAM_OBJECT_CHECKOUT, ACCOUNT_ID, ids, jsons, NULL,
                                       np_test_store_result, &result);
  return np_team_ledger_upsert_objects_finish (ledger, np_test_wait_result (&result, WAIT_MS), error);
}

static guint
count_checkout_changes (NpTeamLedger *ledger)
{
  gint64 since = 0;
  guint count = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) changes = read_changes_sync (ledger, since);

      if (changes->len == 0)
        return count;
      for (guint i = 0; i < changes->len; i++)
        count += ((NpTeamChange *) changes->pdata[i])->kind == NP_TEAM_CHANGE_CHECKOUT;
      since = ((NpTeamChange *) changes->pdata[changes->len - 1])->change;
    }
}

static void
test_bulk_upsert (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "SUPPORT-1", "team_desk", FALSE);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) jsons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const guint n = 1201;   /* three batches, the last of one row */

  add_account (a);
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (ids, g_strdup_printf ("chk_%u", i));
      g_ptr_array_add (jsons, g_strdup_printf ("{\"checkout_id\": \"chk_%u\", \"amount\": %u}", i, 100 + i));
    }

  /* A row the server refuses in the last batch: nothing of the upload stays. */
  g_free (jsons->pdata[n - 1]);
  jsons->pdata[n - 1] = g_strdup ("[1, 2]");
  g_assert_false (upsert_many_sync (a, ids, jsons, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (count_checkout_changes (b), ==, 0);

  /* A bad id is refused before anything is sent. */
  g_free (jsons->pdata[n - 1]);
  jsons->pdata[n - 1] = g_strdup ("{\"checkout_id\": \"chk_1200\"}");
  g_free (ids->pdata[7]);
  ids->pdata[7] = g_strdup ("no spaces allowed");
  g_assert_false (upsert_many_sync (a, ids, jsons, &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (count_checkout_changes (b), ==, 0);

  /* All of them, once; again is an update, not a second row. */
  g_free (ids->pdata[7]);
  ids->pdata[7] = g_strdup ("chk_7");
  g_assert_true (upsert_many_sync (a, ids, jsons, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_checkout_changes (b), ==, n);
  g_assert_true (upsert_many_sync (a, ids, jsons, &error));
  g_assert_cmpuint (count_checkout_changes (b), ==, n);
}

/* The desk process (see DeskProcess). */

static gint64
desk_begin (NpTeamLedger *ledger,
            const char   *object,
            char        **out_message)
{
  g_autoptr(GError) error = NULL;
  gint64 id = begin_refund_sync (ledger, object, &error);

  if (error != NULL)
    *out_message = g_strdup (error->message);
  return id;
}

static int
run_desk (const char *name,
          const char *lease)
{
  g_autoptr(NpTeamLedger) ledger = np_team_ledger_new (name);
  g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GDataInputStream) input = g_data_input_stream_new (stdin_stream);
  g_autoptr(GError) error = NULL;
  char *line;

  np_team_ledger_set_lease_seconds (ledger, (guint) g_ascii_strtoull (lease, NULL, 10));
  if (!connect_sync (ledger, g_getenv ("NP_TEST_TEAM_URI"), g_getenv ("NP_TEST_TEAM_PASSWORD"), &error) ||
      ensure_sync (ledger, FALSE, &error) == 0)
    g_error ("desk %s: %s", name, error->message);
  printf ("ready\n");
  fflush (stdout);

  /* Blocking reads of stdin: the ledger's lease renewals wait for the next
   * command, which is all this process needs to keep (or, killed, lose) its lease. */
  while ((line = g_data_input_stream_read_line (input, NULL, NULL, NULL)) != NULL)
    {
      if (g_str_has_prefix (line, "begin "))
        {
          g_autofree char *message = NULL;
          gint64 id = desk_begin (ledger, line + 6, &message);

          if (id > 0)
            printf ("won %" G_GINT64_FORMAT "\n", id);
          else
            printf ("locked %s\n", message);
        }
      else if (g_str_has_prefix (line, "finish "))
        {
          gboolean done = finish_sync (ledger, g_ascii_strtoll (line + 7, NULL, 10), NP_JOURNAL_STATE_SUCCEEDED, NULL);

          printf ("%s\n", done ? "finished" : "not finished");
        }
      fflush (stdout);
      g_free (line);
    }
  return 0;
}

/* Four-eyes refunds: desk A is the login role team_desk, desk B team_desk_b. */

static void
set_limit (NpTeamLedger *ledger,
           gint64        amount,
           gint64        lifetime)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  np_team_ledger_set_approval_limit_async (ledger, ACCOUNT_ID, "SEK", amount, lifetime, NULL,
                                           np_test_store_result, &result);
  g_assert_true (np_team_ledger_set_approval_limit_finish (ledger, np_test_wait_result (&result, WAIT_MS), &error));
  g_assert_no_error (error);
}

/* A refund of @amount öre of chk_big; @approves > 0 approves that request. */
static gint64
refund_sync (NpTeamLedger *ledger,
             gint64        amount,
             gint64        approves,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) details = json_object_new ();

  json_object_set_string_member (details, "reason", "duplicate");
  if (approves > 0)
    {
      json_object_set_int_member (details, "approves_request", approves);
      json_object_set_string_member (details, "approval_comment", "checked the order");
    }
  np_team_ledger_begin_operation_async (ledger, ACCOUNT_ID, NP_JOURNAL_OPERATION_REFUND, "chk_big",
                                        amount, "SEK", "Refund", details, NULL, np_test_store_result, &result);
  return np_team_ledger_begin_operation_finish (ledger, np_test_wait_result (&result, WAIT_MS), error);
}

static gint64
decide_sync (NpTeamLedger   *ledger,
             gint64          request,
             NpTeamDecision  decision,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  np_team_ledger_decide_request_async (ledger, request, decision, "no", NULL, np_test_store_result, &result);
  return np_team_ledger_decide_request_finish (ledger, np_test_wait_result (&result, WAIT_MS), error);
}

static JsonArray *
requests_sync (NpTeamLedger *ledger)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  np_team_ledger_list_refund_requests_async (ledger, ACCOUNT_ID, FALSE, NULL, np_test_store_result, &result);
  array = np_team_ledger_list_refund_requests_finish (ledger, np_test_wait_result (&result, WAIT_MS), &error);
  g_assert_no_error (error);
  return array;
}

/* Over the limit: a request instead, nothing in the journal; returns its id. */
static gint64
request_over_limit (Fixture      *f,
                    NpTeamLedger *ledger)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = query (f, "SELECT count(*) FROM np_team.journal");
  g_autofree char *after = NULL;
  g_autofree char *id = NULL;

  g_assert_cmpint (refund_sync (ledger, 150000, 0, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REQUIRED);
  g_assert_nonnull (strstr (error->message, "1,000.00"));
  g_assert_nonnull (strstr (error->message, "waiting for approval"));
  after = query (f, "SELECT count(*) FROM np_team.journal");
  g_assert_cmpstr (after, ==, journal);
  id = query (f, "SELECT max (id) FROM np_team.refund_requests WHERE state = 'open'");
  g_assert_nonnull (id);
  return g_ascii_strtoll (id, NULL, 10);
}

static PGresult *
exec_as (Fixture    *f,
         const char *role,
         const char *sql)
{
  g_autofree char *uri = uri_for (f, role);
  const char *keywords[] = { "dbname", "password", NULL };
  const char *values[] = { uri, np_test_postgres_get_password (f->pg), NULL };
  PGconn *conn = PQconnectdbParams (keywords, values, TRUE);
  PGresult *result;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  PQfinish (conn);
  return result;
}

static void
assert_sql_refused (Fixture    *f,
                    const char *role,
                    const char *sql,
                    const char *sqlstate)
{
  PGresult *result = exec_as (f, role, sql);

  g_test_message ("as %s: %s → %s", role, sql, PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY));
  g_assert_cmpstr (PQresultErrorField (result, PG_DIAG_SQLSTATE), ==, sqlstate);
  PQclear (result);
}

static void
test_approval_four_eyes (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "DESK-A", "team_desk", FALSE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "DESK-B", "team_desk_b", FALSE);
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *link = NULL;
  g_autofree char *expected = NULL;
  JsonObject *request;
  gint64 id, journal;

  add_account (a);
  set_limit (a, 100000, NP_TEAM_LEDGER_DEFAULT_REQUEST_LIFETIME);

  /* At or under the limit a refund goes as before. */
  journal = refund_sync (a, 100000, 0, &error);
  g_assert_no_error (error);
  g_assert_true (finish_sync (a, journal, NP_JOURNAL_STATE_SUCCEEDED, &error));

  id = request_over_limit (f, a);
  requests = requests_sync (b);
  g_assert_cmpuint (json_array_get_length (requests), ==, 1);
  request = json_array_get_object_element (requests, 0);
  g_assert_cmpint (json_object_get_int_member (request, "amount"), ==, 150000);
  g_assert_cmpstr (json_object_get_string_member (request, "state"), ==, "open");
  g_assert_cmpstr (json_object_get_string_member (request, "desk"), ==, "DESK-A");
  g_assert_cmpstr (json_object_get_string_member (request, "requester"), ==, "team_desk");
  g_assert_cmpstr (json_object_get_string_member (request, "reason"), ==, "duplicate");

  /* A cannot approve its own request: not through the console... */
  g_assert_cmpint (refund_sync (a, 150000, id, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REFUSED);
  g_assert_nonnull (strstr (error->message, "cannot decide it"));
  g_clear_error (&error);
  /* ...nor by SQL as its own role: the journal's trigger, the function and the tables all refuse. */
  sql = g_strdup_printf ("INSERT INTO np_team.journal (account_id, object_id, operation, state, amount, currency,"
                         " summary, details, lease_id, desk, os_user, host)"
                         " SELECT '" ACCOUNT_ID "', 'chk_big', 'refund', 'pending', 150000, 'SEK', 'x',"
                         " '{\"approves_request\": %" G_GINT64_FORMAT "}', id, 'DESK-B', 'someone', 'h'"
                         " FROM np_team.desk_leases LIMIT 1", id);
  assert_sql_refused (f, "team_desk", sql, "NP002");
  g_free (sql);
  sql = g_strdup_printf ("SELECT np_team.decide_request (%" G_GINT64_FORMAT ", 'approved', '', 1, 'B', 'b', 'h')", id);
  assert_sql_refused (f, "team_desk", sql, "42501");
  g_free (sql);
  sql = g_strdup_printf ("UPDATE np_team.refund_requests SET state = 'approved', requester = 'x' WHERE id = %"
                         G_GINT64_FORMAT, id);
  assert_sql_refused (f, "team_desk", sql, "42501");
  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO np_team.refund_decisions (request_id, decision, journal_id, decider, desk,"
                         " os_user, host) VALUES (%" G_GINT64_FORMAT ", 'approved', 1, 'team_desk_b', 'B', 'b', 'h')", id);
  assert_sql_refused (f, "team_desk", sql, "42501");
  /* Nor can A make a request in another's name. */
  assert_sql_refused (f, "team_desk",
                      "INSERT INTO np_team.refund_requests (account_id, object_id, amount, currency, summary, desk,"
                      " os_user, host, requester) VALUES ('" ACCOUNT_ID "', 'c', 1, 'SEK', 's', 'd', 'o', 'h', 'x')",
                      "42501");
  g_free (link);
  link = query (f, "SELECT count(*) FROM np_team.journal");
  g_assert_cmpstr (link, ==, "1");

  /* B may not withdraw A's request; B approves it with the refund's own pending row. */
  g_assert_cmpint (decide_sync (b, id, NP_TEAM_DECISION_WITHDRAW, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REFUSED);
  g_clear_error (&error);
  /* A refund that does not match the request is no approval of it. */
  g_assert_cmpint (refund_sync (b, 150001, id, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REFUSED);
  g_clear_error (&error);
  journal = refund_sync (b, 150000, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (journal, >, 0);
  g_assert_true (finish_sync (b, journal, NP_JOURNAL_STATE_SUCCEEDED, &error));

  /* The three rows link: request → decision → operation. */
  g_free (link);
  link = query (f, "SELECT r.state || ',' || r.desk || ',' || d.decision || ',' || d.desk || ',' || d.decider"
                   " || ',' || d.comment || ',' || j.desk || ',' || j.state || ',' || (j.details ->> 'approves_request')"
                   " || ',' || (d.journal_id = j.id)"
                   " FROM np_team.refund_requests r JOIN np_team.refund_decisions d ON d.request_id = r.id"
                   " JOIN np_team.journal j ON j.id = d.journal_id");
  expected = g_strdup_printf ("approved,DESK-A,approved,DESK-B,team_desk_b,checked the order,DESK-B,succeeded,%"
                              G_GINT64_FORMAT ",true", id);
  g_assert_cmpstr (link, ==, expected);

  /* Decided once: a second approval is refused. */
  g_assert_cmpint (refund_sync (b, 150000, id, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REFUSED);
  g_assert_nonnull (strstr (error->message, "already approved"));
  g_clear_error (&error);
  (void) owner;
}

static void
test_approval_reject_withdraw_expire (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "DESK-A", "team_desk", FALSE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "DESK-B", "team_desk_b", FALSE);
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *states = NULL;
  gint64 rejected, withdrawn, expired;

  add_account (a);
  set_limit (b, 100000, NP_TEAM_LEDGER_DEFAULT_REQUEST_LIFETIME);

  /* Rejected by B (A cannot reject its own): no journal row, and no approval after. */
  rejected = request_over_limit (f, a);
  g_assert_cmpint (decide_sync (a, rejected, NP_TEAM_DECISION_REJECT, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REFUSED);
  g_clear_error (&error);
  g_assert_cmpint (decide_sync (b, rejected, NP_TEAM_DECISION_REJECT, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (refund_sync (b, 150000, rejected, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REFUSED);
  g_clear_error (&error);

  /* Withdrawn by A while open: nothing to approve. */
  withdrawn = request_over_limit (f, a);
  g_assert_cmpint (decide_sync (a, withdrawn, NP_TEAM_DECISION_WITHDRAW, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (refund_sync (b, 150000, withdrawn, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REFUSED);
  g_clear_error (&error);

  /* Expired: a lifetime of nothing, so the request is past its time when B looks. */
  set_limit (b, 100000, 0);
  expired = request_over_limit (f, a);
  g_assert_cmpint (refund_sync (b, 150000, expired, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REFUSED);
  g_assert_nonnull (strstr (error->message, "expired"));
  g_clear_error (&error);

  requests = requests_sync (a);
  g_assert_cmpuint (json_array_get_length (requests), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 0), "state"), ==, "expired");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 1), "state"), ==, "withdrawn");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 2), "state"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (requests, 2), "decided_desk"), ==, "DESK-B");
  states = query (f, "SELECT count(*) FROM np_team.journal");
  g_assert_cmpstr (states, ==, "0");
  (void) owner;
}

/* The audit chain (migration 4) */

static gboolean
verify_sync (NpTeamLedger *ledger,
             guint        *out_n_rows,
             gint64       *out_bad_entry,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *head = NULL;
  gboolean ok;

  np_team_ledger_verify_chain_async (ledger, ACCOUNT_ID, NULL, np_test_store_result, &result);
  ok = np_team_ledger_verify_chain_finish (ledger, np_test_wait_result (&result, WAIT_MS), out_n_rows, &head,
                                           out_bad_entry, error);
  if (ok)
    g_assert_cmpuint (strlen (head), ==, *out_n_rows > 0 ? 64 : 0);
  return ok;
}

static void
assert_chain_intact (NpTeamLedger *ledger,
                     guint         n_rows)
{
  g_autoptr(GError) error = NULL;
  gint64 bad = -1;
  guint n = 0;

  g_assert_true (verify_sync (ledger, &n, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, n_rows);
  g_assert_cmpint (bad, ==, 0);
}

/* Holds the account's chain lock so that both desks' finishes wait behind it. */
static void
chain_gate_close (Fixture *f,
                  Gate    *gate)
{
  gate->admin = np_test_postgres_connect_admin (f->pg, f->dbname);
  gate->watcher = np_test_postgres_connect_admin (f->pg, f->dbname);
  PQclear (PQexec (gate->admin, "BEGIN"));
  PQclear (PQexec (gate->admin, "SELECT np_team.lock_chain ('" ACCOUNT_ID "')"));
}

static gboolean
two_waiting_for_chain (gpointer user_data)
{
  Gate *gate = user_data;
  PGresult *result = PQexec (gate->watcher,
      "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'advisory' AND classid = 7310514");
  gboolean both = g_str_equal (PQgetvalue (result, 0, 0), "2");

  PQclear (result);
  return both;
}

static void
chain_gate_open_when_both_wait (Gate *gate)
{
  guint poll_id = g_timeout_add (2, tick, NULL);

  np_test_wait_until (two_waiting_for_chain, gate, WAIT_MS, "both desks waiting for the chain lock");
  g_source_remove (poll_id);
  PQclear (PQexec (gate->admin, "COMMIT"));
  PQfinish (gate->admin);
  PQfinish (gate->watcher);
}

#define CHAIN_ROUNDS 30

static void
test_chain_concurrent (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "FINANCE-2", "team_desk_b", FALSE);
  g_autofree char *links = NULL;
  gint64 started = g_get_monotonic_time ();

  add_account (a);

  for (guint round = 0; round < CHAIN_ROUNDS; round++)
    {
      g_autoptr(GAsyncResult) result_a = NULL;
      g_autoptr(GAsyncResult) result_b = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *object_a = g_strdup_printf ("chk_a_%u", round);
      g_autofree char *object_b = g_strdup_printf ("chk_b_%u", round);
      gint64 id_a, id_b;
      Gate gate;

      id_a = begin_refund_sync (a, object_a, &error);
      g_assert_no_error (error);
      id_b = begin_refund_sync (b, object_b, &error);
      g_assert_no_error (error);

      /* Both finishes reach the server and wait on the account's chain lock. */
      chain_gate_close (f, &gate);
      np_team_ledger_finish_operation_async (a, id_a, NP_JOURNAL_STATE_SUCCEEDED, NULL, NULL, NULL,
                                             np_test_store_result, &result_a);
      np_team_ledger_finish_operation_async (b, id_b, round % 2 ? NP_JOURNAL_STATE_FAILED : NP_JOURNAL_STATE_UNKNOWN,
                                             "declined", NULL, NULL, np_test_store_result, &result_b);
      chain_gate_open_when_both_wait (&gate);

      g_assert_true (np_team_ledger_finish_operation_finish (a, np_test_wait_result (&result_a, WAIT_MS), &error));
      g_assert_no_error (error);
      g_assert_true (np_team_ledger_finish_operation_finish (b, np_test_wait_result (&result_b, WAIT_MS), &error));
      g_assert_no_error (error);
    }

  /* One chain: positions 1..60 once each, each row linked to the one before. */
  links = query (f, "SELECT count(DISTINCT chain_seq) || '/' || max (chain_seq) || '/' || count(*)"
                    " || '/' || count(*) FILTER (WHERE chain_seq > 1 AND prev_hash = (SELECT p.row_hash"
                    "   FROM np_team.journal p WHERE p.account_id = j.account_id AND p.chain_seq = j.chain_seq - 1))"
                    " FROM np_team.journal j");
  g_assert_cmpstr (links, ==, "60/60/60/59");
  assert_chain_intact (a, 2 * CHAIN_ROUNDS);
  assert_chain_intact (b, 2 * CHAIN_ROUNDS);
  g_test_message ("two desks, %u rounds of simultaneous finishes: one chain of %u links, %.1f ms a round",
                  CHAIN_ROUNDS, 2 * CHAIN_ROUNDS, (g_get_monotonic_time () - started) / 1000.0 / CHAIN_ROUNDS);
  (void) owner;
}

/* The same with the second desk in another process (this binary with --desk). */
static void
test_chain_concurrent_processes (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autofree char *links = NULL;
  DeskProcess *b;

  add_account (a);
  b = desk_spawn (f, "FINANCE-2", 60);

  for (guint round = 0; round < CHAIN_ROUNDS; round++)
    {
      g_autoptr(GAsyncResult) result_a = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *object_a = g_strdup_printf ("chk_a_%u", round);
      g_autofree char *won = NULL;
      g_autofree char *finished = NULL;
      gint64 id_a;
      Gate gate;

      id_a = begin_refund_sync (a, object_a, &error);
      g_assert_no_error (error);
      desk_send (b, "begin chk_b_%u\n", round);
      won = desk_read_line (b);
      g_assert_true (g_str_has_prefix (won, "won "));

      chain_gate_close (f, &gate);
      desk_send (b, "finish %s\n", won + 4);
      np_team_ledger_finish_operation_async (a, id_a, NP_JOURNAL_STATE_SUCCEEDED, NULL, NULL, NULL,
                                             np_test_store_result, &result_a);
      chain_gate_open_when_both_wait (&gate);

      g_assert_true (np_team_ledger_finish_operation_finish (a, np_test_wait_result (&result_a, WAIT_MS), &error));
      g_assert_no_error (error);
      finished = desk_read_line (b);
      g_assert_cmpstr (finished, ==, "finished");
    }

  links = query (f, "SELECT count(DISTINCT chain_seq) || '/' || max (chain_seq) || '/' || count(DISTINCT desk)"
                    " FROM np_team.journal");
  g_assert_cmpstr (links, ==, "60/60/2");
  assert_chain_intact (a, 2 * CHAIN_ROUNDS);
  desk_free (b);
  (void) owner;
}

/* Five finished rows of two desks; returns their ids in chain order. */
static void
make_chain (Fixture      *f,
            NpTeamLedger *a,
            NpTeamLedger *b,
            gint64        ids[5])
{
  g_autoptr(GError) error = NULL;

  add_account (a);
  for (guint i = 0; i < 5; i++)
    {
      NpTeamLedger *desk = i % 2 == 0 ? a : b;
      g_autofree char *object = g_strdup_printf ("chk_%u", i);

      ids[i] = begin_refund_sync (desk, object, &error);
      g_assert_no_error (error);
      g_assert_true (finish_sync (desk, ids[i], i == 3 ? NP_JOURNAL_STATE_FAILED : NP_JOURNAL_STATE_SUCCEEDED,
                                  &error));
      g_assert_no_error (error);
    }
  assert_chain_intact (a, 5);
}

/* Verifying fails at @expected_bad, and the message names it. */
static void
assert_chain_broken_at (NpTeamLedger *ledger,
                        gint64        expected_bad,
                        const char   *why)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *named = g_strdup_printf ("journal row %" G_GINT64_FORMAT ":", expected_bad);
  gint64 bad = 0;
  guint n = 0;

  g_assert_false (verify_sync (ledger, &n, &bad, &error));
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_TAMPERED);
  g_test_message ("%s", error->message);
  g_assert_cmpint (bad, ==, expected_bad);
  if (strstr (error->message, named) == NULL || strstr (error->message, why) == NULL)
    g_error ("\"%s\" does not name %s with \"%s\"", error->message, named, why);
}

/* A superuser's edit with the trigger disabled: the amount of the third row. */
static void
test_chain_tamper_edit (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "FINANCE-2", "team_desk_b", FALSE);
  g_autofree char *sql = NULL;
  gint64 ids[5];

  make_chain (f, a, b, ids);
  sql = g_strdup_printf ("ALTER TABLE np_team.journal DISABLE TRIGGER a_guard;"
                         " UPDATE np_team.journal SET amount = 255 WHERE id = %" G_GINT64_FORMAT ";"
                         " ALTER TABLE np_team.journal ENABLE TRIGGER a_guard", ids[2]);
  np_test_postgres_exec (f->pg, f->dbname, sql);
  assert_chain_broken_at (b, ids[2], "its content or its place in the chain was changed");
  (void) owner;
}

/* A deleted row (every trigger off: session_replication_role): the next one is named. */
static void
test_chain_tamper_delete (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "FINANCE-2", "team_desk_b", FALSE);
  g_autofree char *sql = NULL;
  gint64 ids[5];

  make_chain (f, a, b, ids);
  sql = g_strdup_printf ("SET session_replication_role = replica;"
                         " DELETE FROM np_team.journal WHERE id = %" G_GINT64_FORMAT, ids[2]);
  np_test_postgres_exec (f->pg, f->dbname, sql);
  assert_chain_broken_at (a, ids[3], "the row before it in the chain is missing");
  (void) owner;
}

/* Two rows swapped in the chain (positions 2 and 3): the one moved up is named. */
static void
test_chain_tamper_reorder (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "FINANCE-2", "team_desk_b", FALSE);
  g_autofree char *sql = NULL;
  gint64 ids[5];

  make_chain (f, a, b, ids);
  sql = g_strdup_printf ("SET session_replication_role = replica;"
                         " UPDATE np_team.journal SET chain_seq = 1000 WHERE id = %1$" G_GINT64_FORMAT ";"
                         " UPDATE np_team.journal SET chain_seq = 2 WHERE id = %2$" G_GINT64_FORMAT ";"
                         " UPDATE np_team.journal SET chain_seq = 3 WHERE id = %1$" G_GINT64_FORMAT,
                         ids[1], ids[2]);
  np_test_postgres_exec (f->pg, f->dbname, sql);
  assert_chain_broken_at (a, ids[2], "its content or its place in the chain was changed");
  (void) owner;
}

/* The trigger: no chain on an insert or a pending row, only the next link at
 * finishing, and a finished row's link never changes, even for the desk role. */
static void
test_chain_guarded (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "FINANCE-2", "team_desk_b", FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *hash = NULL;
  gint64 ids[5], pending;

  make_chain (f, a, b, ids);
  pending = begin_refund_sync (a, "chk_open", &error);
  g_assert_no_error (error);
  hash = query (f, "SELECT row_hash FROM np_team.journal WHERE chain_seq = 5");

  sql = g_strdup_printf ("UPDATE np_team.journal SET row_hash = repeat ('0', 64) WHERE id = %" G_GINT64_FORMAT, ids[4]);
  assert_sql_refused (f, "team_desk", sql, "NP001");
  g_free (sql);
  /* Finishing out of turn (a fork at position 5, or a wrong previous hash) is refused. */
  sql = g_strdup_printf ("UPDATE np_team.journal SET state = 'succeeded', chain_seq = 5, prev_hash = '%s',"
                         " row_hash = repeat ('1', 64) WHERE id = %" G_GINT64_FORMAT, hash, pending);
  assert_sql_refused (f, "team_desk", sql, "NP004");
  g_free (sql);
  sql = g_strdup_printf ("UPDATE np_team.journal SET state = 'succeeded', chain_seq = 6, prev_hash = repeat ('2', 64),"
                         " row_hash = repeat ('1', 64) WHERE id = %" G_GINT64_FORMAT, pending);
  assert_sql_refused (f, "team_desk", sql, "NP004");
  g_free (sql);
  sql = g_strdup_printf ("UPDATE np_team.journal SET state = 'succeeded' WHERE id = %" G_GINT64_FORMAT, pending);
  assert_sql_refused (f, "team_desk", sql, "NP004");
  g_free (sql);
  sql = g_strdup_printf ("UPDATE np_team.journal SET chain_seq = 6 WHERE id = %" G_GINT64_FORMAT, pending);
  assert_sql_refused (f, "team_desk", sql, "NP001");
  assert_sql_refused (f, "team_desk",
                      "INSERT INTO np_team.journal (account_id, object_id, operation, state, summary, lease_id, desk,"
                      " os_user, host, finished) SELECT '" ACCOUNT_ID "', 'chk_x', 'capture', 'succeeded', 'x', id, 'D',"
                      " 'o', 'h', now () FROM np_team.desk_leases LIMIT 1", "NP001");

  g_assert_true (finish_sync (a, pending, NP_JOURNAL_STATE_SUCCEEDED, &error));
  g_assert_no_error (error);
  assert_chain_intact (b, 6);
  (void) owner;
}

/* neuropay-console --verify-audit-trail --team URI (the password from PGPASSFILE):
 * the local chain, then the team's; a tampered team row is named, exit 1. */
static int
run_verify_command (Fixture    *f,
                    const char *home,
                    char      **out_text)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *uri = uri_for (f, "team_desk");
  g_autofree char *pgpass = g_build_filename (home, "pgpass", NULL);
  g_autofree char *data_home = g_build_filename (home, "data", NULL);
  g_autofree char *line = g_strdup_printf ("*:*:*:*:%s\n", np_test_postgres_get_password (f->pg));
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (pgpass, line, -1, &error));
  g_assert_cmpint (g_chmod (pgpass, 0600), ==, 0);
  g_subprocess_launcher_setenv (launcher, "PGPASSFILE", pgpass, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, NP_CONSOLE_PATH, "--verify-audit-trail", "--team", uri,
                                         NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out_text, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s", *out_text);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_chain_command_line (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_desk", FALSE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "FINANCE-2", "team_desk_b", FALSE);
  g_autofree char *home = g_build_filename (np_test_get_home (), "verify", NULL);   /* removed at exit */
  g_autofree char *path = g_build_filename (home, "data", "neuropay-console", "ledger.db", NULL);
  g_autofree char *text = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *named = NULL;
  g_autofree char *leases = NULL;
  g_autoptr(NpLedger) local = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ids[5];

  /* This desk's own (empty) local ledger, which the command checks first. */
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  local = np_ledger_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&local);

  make_chain (f, a, b, ids);
  leases = query (f, "SELECT count(*) FROM np_team.desk_leases");
  g_assert_cmpint (run_verify_command (f, home, &text), ==, 0);
  g_assert_nonnull (strstr (text, "The team audit trail is intact: 5 rows verified."));
  g_clear_pointer (&text, g_free);
  /* Verifying takes no lease. */
  g_free (sql);
  sql = query (f, "SELECT count(*) FROM np_team.desk_leases");
  g_assert_cmpstr (sql, ==, leases);
  g_clear_pointer (&sql, g_free);

  sql = g_strdup_printf ("SET session_replication_role = replica;"
                         " UPDATE np_team.journal SET error_text = 'looked fine' WHERE id = %" G_GINT64_FORMAT, ids[3]);
  np_test_postgres_exec (f->pg, f->dbname, sql);
  g_assert_cmpint (run_verify_command (f, home, &text), ==, 1);
  named = g_strdup_printf ("The team audit trail does not match at journal row %" G_GINT64_FORMAT ":", ids[3]);
  g_assert_nonnull (strstr (text, named));
  (void) owner;
}

/* A 'refresh' row (migration 5): inserted pending like every row, finished as
 * the next link of the chain, and outside the cross-desk lock: it is taken
 * while another desk's refund holds the object, and holds nothing itself. */
static void
test_refresh_row (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(NpTeamLedger) a = open_desk (f, "FINANCE-1", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "SUPPORT-2", "team_desk", FALSE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;
  gint64 refund, refresh;

  add_account (a);
  refund = begin_refund_sync (a, "c1", &error);
  g_assert_no_error (error);

  np_team_ledger_begin_operation_async (b, ACCOUNT_ID, NP_JOURNAL_OPERATION_REFRESH, "c1", 2550, "SEK",
                                        "Status created → paid, 25.50 SEK", NULL, NULL,
                                        np_test_store_result, &result);
  refresh = np_team_ledger_begin_operation_finish (b, np_test_wait_result (&result, WAIT_MS), &error);
  g_assert_no_error (error);
  g_assert_cmpint (refresh, >, refund);
  row = query (f, "SELECT state || ',' || (chain_seq IS NULL) FROM np_team.journal WHERE operation = 'refresh'");
  g_assert_cmpstr (row, ==, "pending,true");
  g_assert_true (finish_sync (b, refresh, NP_JOURNAL_STATE_SUCCEEDED, &error));
  g_assert_no_error (error);
  g_assert_true (finish_sync (a, refund, NP_JOURNAL_STATE_SUCCEEDED, &error));
  g_assert_no_error (error);

  g_free (row);
  row = query (f, "SELECT string_agg (operation || ':' || state || ':' || chain_seq, ',' ORDER BY chain_seq)"
                  " FROM np_team.journal");
  g_assert_cmpstr (row, ==, "refresh:succeeded:1,refund:succeeded:2");
  assert_chain_intact (a, 2);
  assert_chain_intact (b, 2);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "--desk"))
    return run_desk (argv[2], argv[3]);

  np_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/team-ledger/schema/create", test_schema_create);
  ADD ("/team-ledger/schema/by-hand", test_schema_by_hand);
  ADD ("/team-ledger/schema/too-new", test_schema_too_new);
  ADD ("/team-ledger/schema/missing-and-rights", test_schema_missing_and_rights);
  ADD ("/team-ledger/connect/errors", test_connect_errors);
  ADD ("/team-ledger/connect/password-not-stored", test_password_not_stored);
  g_test_add_func ("/team-ledger/connect/tls", test_connect_tls);
  ADD ("/team-ledger/journal/append-only", test_journal_append_only);
  ADD ("/team-ledger/journal/refresh-row", test_refresh_row);
  ADD ("/team-ledger/lock/race-in-process", test_lock_race_in_process);
  ADD ("/team-ledger/lock/race-processes", test_lock_race_processes);
  ADD ("/team-ledger/lease/expiry", test_lease_expiry);
  ADD ("/team-ledger/lease/renewed", test_lease_renewed);
  ADD ("/team-ledger/main-loop/responsive", test_main_loop_responsive);
  ADD ("/team-ledger/changes", test_changes);
  ADD ("/team-ledger/approval/four-eyes", test_approval_four_eyes);
  ADD ("/team-ledger/approval/reject-withdraw-expire", test_approval_reject_withdraw_expire);
  ADD ("/team-ledger/bulk-upsert", test_bulk_upsert);
  ADD ("/team-ledger/chain/concurrent", test_chain_concurrent);
  ADD ("/team-ledger/chain/concurrent-processes", test_chain_concurrent_processes);
  ADD ("/team-ledger/chain/guarded", test_chain_guarded);
  ADD ("/team-ledger/chain/tamper-edit", test_chain_tamper_edit);
  ADD ("/team-ledger/chain/tamper-delete", test_chain_tamper_delete);
  ADD ("/team-ledger/chain/tamper-reorder", test_chain_tamper_reorder);
  ADD ("/team-ledger/chain/command-line", test_chain_command_line);
#undef ADD

  return g_test_run ();
}
