/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-test-postgres.c — a private PostgreSQL cluster per test binary (see the header). */
#define _GNU_SOURCE
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <glib/gstdio.h>

#include "np-test-postgres.h"

#define ADMIN_ROLE "np_admin"
#define START_TIMEOUT_US (60 * G_USEC_PER_SEC)

struct _NpTestPostgres
{
  char        *dir;
  char        *data_dir;
  char        *log_path;
  char        *password;
  GSubprocess *watchdog;
  GOutputStream *watchdog_stdin;
  guint        n_databases;
  guint        port;               /* TLS on 127.0.0.1 at this port; 0: the socket only */
  char        *certificate;        /* the server's self-signed certificate (TLS only) */
  char        *other_certificate;  /* a self-signed certificate of nobody's */
};

static NpTestPostgres *shared;

static const char *
bin_dir (void)
{
  const char *dir = g_getenv ("NP_PG_BINDIR");

  return dir != NULL ? dir : "/usr/lib/postgresql/15/bin";
}

/* initdb and postgres refuse to run as root: as root, they run as `postgres`. */
static gboolean
running_as_root (void)
{
  return geteuid () == 0;
}

static void
give_to_server_user (const char *path)
{
  struct passwd *pw;

  if (!running_as_root ())
    return;

  pw = getpwnam ("postgres");
  if (pw == NULL)
    g_error ("Running as root needs a `postgres` user to run the test cluster (apt install postgresql)");
  if (chown (path, pw->pw_uid, pw->pw_gid) != 0)
    g_error ("chown %s: %s", path, g_strerror (errno));
}

/* @argv with `runuser -u postgres --` in front when running as root. */
static GPtrArray *
server_user_argv (const char *program)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  if (running_as_root ())
    {
      g_ptr_array_add (argv, g_strdup ("runuser"));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup ("postgres"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_build_filename (bin_dir (), program, NULL));
  return argv;
}

static void
run_initdb (NpTestPostgres *pg)
{
  g_autoptr(GPtrArray) argv = server_user_argv ("initdb");
  g_autoptr(GSubprocess) initdb = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  g_ptr_array_add (argv, g_strdup ("-D"));
  g_ptr_array_add (argv, g_strdup (pg->data_dir));
  g_ptr_array_add (argv, g_strdup ("-U"));
  g_ptr_array_add (argv, g_strdup (ADMIN_ROLE));
  g_ptr_array_add (argv, g_strdup ("--auth=trust"));
  g_ptr_array_add (argv, g_strdup ("--encoding=UTF8"));
  g_ptr_array_add (argv, g_strdup ("--locale=C.UTF-8"));
  g_ptr_array_add (argv, g_strdup ("--no-sync"));
  g_ptr_array_add (argv, NULL);

  initdb = g_subprocess_newv ((const char * const *) argv->pdata,
                              G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                              &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (initdb, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (initdb))
    g_error ("initdb failed:\n%s", output);
}

/* The superuser comes in over the socket without a password (the directory is
 * private to the server's user); every other role must give its password. */
static void
write_config (NpTestPostgres *pg)
{
  g_autofree char *hba = g_build_filename (pg->dir, "pg_hba.conf", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (hba,
                       pg->port != 0 ?
                       "local all " ADMIN_ROLE " trust\n"
                       "local all all scram-sha-256\n"
                       "hostssl all all 127.0.0.1/32 scram-sha-256\n" :
                       "local all " ADMIN_ROLE " trust\n"
                       "local all all scram-sha-256\n",
                       -1, &error);
  g_assert_no_error (error);
  give_to_server_user (hba);
}

static char *
admin_conninfo (NpTestPostgres *pg,
                const char     *dbname)
{
  /* The socket's name has the port in it. */
  return g_strdup_printf ("host='%s' port=%u dbname='%s' user=" ADMIN_ROLE " connect_timeout=5",
                          pg->dir, pg->port != 0 ? pg->port : 5432, dbname);
}

static void
start_server (NpTestPostgres *pg)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) server = server_user_argv ("postgres");
  g_autoptr(GError) error = NULL;
  const char * const settings[] = {
    "fsync=off",
    "full_page_writes=off",
    "max_connections=60",
    "shared_buffers=16MB",
    "log_min_messages=warning",
  };

  g_ptr_array_add (argv, g_strdup (NP_PG_WATCHDOG));
  g_ptr_array_add (argv, g_strdup (pg->dir));
  g_ptr_array_add (argv, g_strdup (pg->log_path));
  g_ptr_array_add (argv, g_strdup ("--"));
  for (guint i = 0; i < server->len; i++)
    g_ptr_array_add (argv, g_strdup (server->pdata[i]));
  g_ptr_array_add (argv, g_strdup ("-D"));
  g_ptr_array_add (argv, g_strdup (pg->data_dir));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup_printf ("unix_socket_directories=%s", pg->dir));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup_printf ("hba_file=%s/pg_hba.conf", pg->dir));
  g_ptr_array_add (argv, g_strdup ("-c"));
  if (pg->port == 0)
    g_ptr_array_add (argv, g_strdup ("listen_addresses="));
  else
    {
      /* Loopback only, at the free port; TLS with the certificate made for it. */
      g_ptr_array_add (argv, g_strdup ("listen_addresses=127.0.0.1"));
      g_ptr_array_add (argv, g_strdup ("-c"));
      g_ptr_array_add (argv, g_strdup_printf ("port=%u", pg->port));
      g_ptr_array_add (argv, g_strdup ("-c"));
      g_ptr_array_add (argv, g_strdup ("ssl=on"));
      g_ptr_array_add (argv, g_strdup ("-c"));
      g_ptr_array_add (argv, g_strdup_printf ("ssl_cert_file=%s", pg->certificate));
      g_ptr_array_add (argv, g_strdup ("-c"));
      g_ptr_array_add (argv, g_strdup_printf ("ssl_key_file=%s/server.key", pg->dir));
    }
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_ptr_array_add (argv, g_strdup ("-c"));
      g_ptr_array_add (argv, g_strdup (settings[i]));
    }
  g_ptr_array_add (argv, NULL);

  pg->watchdog = g_subprocess_newv ((const char * const *) argv->pdata,
                                    G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
  g_assert_no_error (error);
  pg->watchdog_stdin = g_object_ref (g_subprocess_get_stdin_pipe (pg->watchdog));
}

static void
print_log (NpTestPostgres *pg)
{
  g_autofree char *log = NULL;

  if (g_file_get_contents (pg->log_path, &log, NULL, NULL))
    g_printerr ("PostgreSQL log (%s):\n%s\n", pg->log_path, log);
}

/* Polls a connection until the server accepts one: a condition with a deadline. */
static void
wait_until_ready (NpTestPostgres *pg)
{
  g_autofree char *conninfo = admin_conninfo (pg, "postgres");
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_US;

  while (PQping (conninfo) != PQPING_OK)
    {
      /* The watchdog exits when the server does: no point waiting for it then. */
      if (g_subprocess_get_identifier (pg->watchdog) == NULL)
        {
          print_log (pg);
          g_error ("The test PostgreSQL server exited while starting");
        }
      if (g_get_monotonic_time () > deadline)
        {
          print_log (pg);
          g_error ("The test PostgreSQL server was not ready after %d s", (int) (START_TIMEOUT_US / G_USEC_PER_SEC));
        }
      g_usleep (10 * 1000);
    }
}

static void
tell_watchdog (NpTestPostgres *pg,
               const char     *line)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_printf (pg->watchdog_stdin, NULL, NULL, &error, "%s\n", line);
  g_assert_no_error (error);
  g_output_stream_flush (pg->watchdog_stdin, NULL, &error);
  g_assert_no_error (error);
}

void
np_test_postgres_pause (NpTestPostgres *pg)
{
  g_autofree char *conninfo = admin_conninfo (pg, "postgres");
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_US;

  tell_watchdog (pg, "stop");
  /* Stopped when nothing answers on the socket any more. */
  while (PQping (conninfo) != PQPING_NO_RESPONSE)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The test PostgreSQL server did not stop within %d s", (int) (START_TIMEOUT_US / G_USEC_PER_SEC));
      g_usleep (10 * 1000);
    }
}

void
np_test_postgres_resume (NpTestPostgres *pg)
{
  tell_watchdog (pg, "start");
  wait_until_ready (pg);
}

/* A port nothing listens on now, on 127.0.0.1: the kernel's pick for port 0. */
static guint
free_loopback_port (void)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = 0 };
  socklen_t length = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  g_assert_cmpint (fd, >=, 0);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &length), ==, 0);
  close (fd);
  return ntohs (address.sin_port);
}

/* A self-signed certificate and its key (mode 0600) by `openssl req -x509`. */
static void
make_certificate (const char *certificate,
                  const char *key,
                  const char *name)
{
  g_autofree char *subject = g_strdup_printf ("/CN=%s", name);
  g_autofree char *alt_name = g_strdup_printf ("subjectAltName=DNS:%s", name);
  g_autoptr(GSubprocess) openssl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                              "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                              "-subj", subject, "-addext", alt_name,
                              "-keyout", key, "-out", certificate, NULL);
  if (openssl == NULL)
    g_error ("openssl: %s (apt install openssl)", error->message);
  g_subprocess_communicate_utf8 (openssl, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (openssl))
    g_error ("openssl req -x509 failed:\n%s", output);
  g_assert_cmpint (g_chmod (key, 0600), ==, 0);
  g_assert_cmpint (g_chmod (certificate, 0644), ==, 0);
}

static NpTestPostgres *
start_cluster (gboolean tls)
{
  NpTestPostgres *pg = g_new0 (NpTestPostgres, 1);
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  pg->dir = g_dir_make_tmp ("np-pg-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (pg->dir, 0700);
  give_to_server_user (pg->dir);
  pg->data_dir = g_build_filename (pg->dir, "data", NULL);
  pg->log_path = g_build_filename (pg->dir, "server.log", NULL);
  pg->password = g_strdup_printf ("pw-%08x%08x%08x", g_random_int (), g_random_int (), g_random_int ());

  if (tls)
    {
      g_autofree char *key = g_build_filename (pg->dir, "server.key", NULL);
      g_autofree char *other_key = g_build_filename (pg->dir, "other.key", NULL);

      pg->port = free_loopback_port ();
      pg->certificate = g_build_filename (pg->dir, "server.crt", NULL);
      pg->other_certificate = g_build_filename (pg->dir, "other.crt", NULL);
      make_certificate (pg->certificate, key, "localhost");
      make_certificate (pg->other_certificate, other_key, "localhost");
      /* The server refuses a key that others may read, or that is not its user's. */
      give_to_server_user (key);
      give_to_server_user (pg->certificate);
    }

  run_initdb (pg);
  write_config (pg);
  start_server (pg);
  wait_until_ready (pg);
  /* From now on the watchdog takes "stop" and "start" lines. */
  tell_watchdog (pg, "hello");

  g_test_message ("PostgreSQL test cluster in %s ready after %.0f ms%s", pg->dir,
                  (g_get_monotonic_time () - started) / 1000.0, tls ? " (TLS on 127.0.0.1)" : "");
  return pg;
}

NpTestPostgres *
np_test_postgres_start (void)
{
  return start_cluster (FALSE);
}

NpTestPostgres *
np_test_postgres_start_tls (void)
{
  return start_cluster (TRUE);
}

void
np_test_postgres_stop (NpTestPostgres *pg)
{
  g_autoptr(GError) error = NULL;

  if (pg == NULL)
    return;

  /* EOF on the watchdog's stdin: it shuts the server down and removes the dir. */
  g_output_stream_close (pg->watchdog_stdin, NULL, NULL);
  g_subprocess_wait (pg->watchdog, NULL, &error);
  g_assert_no_error (error);

  g_clear_object (&pg->watchdog_stdin);
  g_clear_object (&pg->watchdog);
  g_free (pg->dir);
  g_free (pg->data_dir);
  g_free (pg->log_path);
  g_free (pg->password);
  g_free (pg->certificate);
  g_free (pg->other_certificate);
  g_free (pg);
}

static void
stop_shared (void)
{
  g_clear_pointer (&shared, np_test_postgres_stop);
}

NpTestPostgres *
np_test_postgres_get_shared (void)
{
  if (shared == NULL)
    {
      shared = np_test_postgres_start ();
      atexit (stop_shared);
    }
  return shared;
}

const char *
np_test_postgres_get_dir (NpTestPostgres *pg)
{
  return pg->dir;
}

const char *
np_test_postgres_get_log_path (NpTestPostgres *pg)
{
  return pg->log_path;
}

guint
np_test_postgres_get_port (NpTestPostgres *pg)
{
  return pg->port;
}

const char *
np_test_postgres_get_certificate_path (NpTestPostgres *pg)
{
  return pg->certificate;
}

const char *
np_test_postgres_get_other_certificate_path (NpTestPostgres *pg)
{
  return pg->other_certificate;
}

const char *
np_test_postgres_get_password (NpTestPostgres *pg)
{
  return pg->password;
}

char *
np_test_postgres_dup_uri (NpTestPostgres *pg,
                          const char     *user,
                          const char     *dbname)
{
  g_autofree char *host = g_uri_escape_string (pg->dir, NULL, FALSE);

  if (pg->port != 0)
    return g_strdup_printf ("postgresql:///%s?host=%s&port=%u&user=%s", dbname, host, pg->port, user);
  return g_strdup_printf ("postgresql:///%s?host=%s&user=%s", dbname, host, user);
}

PGconn *
np_test_postgres_connect_admin (NpTestPostgres *pg,
                                const char     *dbname)
{
  g_autofree char *conninfo = admin_conninfo (pg, dbname);
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("Admin connection to %s failed: %s", dbname, PQerrorMessage (conn));
  return conn;
}

static PGresult *
admin_query (NpTestPostgres *pg,
             const char     *dbname,
             const char     *sql)
{
  PGconn *conn = np_test_postgres_connect_admin (pg, dbname);
  PGresult *result = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    g_error ("Admin SQL failed in %s: %s\n%s", dbname, PQerrorMessage (conn), sql);
  PQfinish (conn);
  return result;
}

void
np_test_postgres_exec (NpTestPostgres *pg,
                       const char     *dbname,
                       const char     *sql)
{
  PQclear (admin_query (pg, dbname, sql));
}

char *
np_test_postgres_query_value (NpTestPostgres *pg,
                              const char     *dbname,
                              const char     *sql)
{
  PGresult *result = admin_query (pg, dbname, sql);
  char *value = NULL;

  g_assert_cmpint (PQntuples (result), ==, 1);
  g_assert_cmpint (PQnfields (result), ==, 1);
  if (!PQgetisnull (result, 0, 0))
    value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return value;
}

static void
assert_identifier (const char *name)
{
  g_assert_nonnull (name);
  for (const char *p = name; *p != '\0'; p++)
    g_assert_true (g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_');
}

void
np_test_postgres_create_role (NpTestPostgres *pg,
                              const char     *role,
                              const char     *attributes)
{
  g_autofree char *exists_sql = NULL;
  g_autofree char *exists = NULL;
  g_autofree char *sql = NULL;

  assert_identifier (role);
  exists_sql = g_strdup_printf ("SELECT count(*) FROM pg_roles WHERE rolname = '%s'", role);
  exists = np_test_postgres_query_value (pg, "postgres", exists_sql);
  if (g_strcmp0 (exists, "0") != 0)
    return;

  sql = g_strdup_printf ("CREATE ROLE %s LOGIN PASSWORD '%s' %s", role, pg->password,
                         attributes != NULL ? attributes : "");
  np_test_postgres_exec (pg, "postgres", sql);
}

void
np_test_postgres_create_group_role (NpTestPostgres *pg,
                                    const char     *role)
{
  g_autofree char *exists_sql = NULL;
  g_autofree char *exists = NULL;
  g_autofree char *sql = NULL;

  assert_identifier (role);
  exists_sql = g_strdup_printf ("SELECT count(*) FROM pg_roles WHERE rolname = '%s'", role);
  exists = np_test_postgres_query_value (pg, "postgres", exists_sql);
  if (g_strcmp0 (exists, "0") != 0)
    return;

  sql = g_strdup_printf ("CREATE ROLE %s NOLOGIN", role);
  np_test_postgres_exec (pg, "postgres", sql);
}

char *
np_test_postgres_create_database (NpTestPostgres *pg,
                                  const char     *owner)
{
  char *name = g_strdup_printf ("team_%u_%u", (guint) getpid (), ++pg->n_databases);
  g_autofree char *sql = NULL;

  if (owner != NULL)
    assert_identifier (owner);
  sql = g_strdup_printf ("CREATE DATABASE %s OWNER %s", name, owner != NULL ? owner : ADMIN_ROLE);
  np_test_postgres_exec (pg, "postgres", sql);
  return name;
}

void
np_test_postgres_drop_database (NpTestPostgres *pg,
                                const char     *dbname)
{
  g_autofree char *sql = NULL;

  assert_identifier (dbname);
  sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", dbname);
  np_test_postgres_exec (pg, "postgres", sql);
}
