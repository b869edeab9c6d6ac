/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-postgres-fixture.c — the test cluster itself: it starts, asks for passwords,
 * listens on its socket only, and leaves no server behind after a test that
 * passes, fails (g_assert aborts) or is killed. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "np-test-postgres.h"
#include "np-test-utils.h"

/* The postmaster's pid (from postmaster.pid) and the pids of its children. */
static GArray *
server_pids (NpTestPostgres *pg)
{
  g_autofree char *pid_path = g_build_filename (np_test_postgres_get_dir (pg), "data", "postmaster.pid", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));
  const char *name;
  int postmaster;

  g_assert_true (g_file_get_contents (pid_path, &contents, NULL, NULL));
  postmaster = atoi (contents);
  g_assert_cmpint (postmaster, >, 0);
  g_array_append_val (pids, postmaster);

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *stat_path = g_build_filename ("/proc", name, "stat", NULL);
      g_autofree char *stat = NULL;
      const char *after_comm;
      int pid = atoi (name), ppid = 0;

      if (pid <= 0 || !g_file_get_contents (stat_path, &stat, NULL, NULL))
        continue;
      after_comm = strrchr (stat, ')');
      if (after_comm != NULL && sscanf (after_comm, ") %*c %d", &ppid) == 1 && ppid == postmaster)
        g_array_append_val (pids, pid);
    }

  return pids;
}

/* The child modes: start a cluster, print "DIR PID PID...", then end as asked. */
static int
run_child (const char *mode)
{
  NpTestPostgres *pg = np_test_postgres_get_shared ();
  g_autoptr(GArray) pids = server_pids (pg);
  g_autoptr(GString) line = g_string_new (np_test_postgres_get_dir (pg));

  for (guint i = 0; i < pids->len; i++)
    g_string_append_printf (line, " %d", g_array_index (pids, int, i));
  printf ("%s\n", line->str);
  fflush (stdout);

  if (g_str_equal (mode, "fail"))
    g_assert_not_reached ();   /* aborts: no atexit handler runs */
  if (g_str_equal (mode, "hang"))
    for (;;)
      pause ();
  return 0;                    /* "pass": the atexit handler stops the cluster */
}

static void
test_connects_with_password (void)
{
  NpTestPostgres *pg = np_test_postgres_get_shared ();
  g_autofree char *uri = NULL;
  g_autofree char *dbname = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *socket = g_build_filename (np_test_postgres_get_dir (pg), ".s.PGSQL.5432", NULL);
  const char *keywords[] = { "dbname", "password", NULL };
  const char *values[] = { NULL, NULL, NULL };
  PGconn *conn;

  np_test_postgres_create_role (pg, "fixture_desk", "");
  dbname = np_test_postgres_create_database (pg, "fixture_desk");
  uri = np_test_postgres_dup_uri (pg, "fixture_desk", dbname);
  values[0] = uri;

  /* The right password gets in, over scram-sha-256. */
  values[1] = np_test_postgres_get_password (pg);
  conn = PQconnectdbParams (keywords, values, TRUE);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  PQfinish (conn);

  /* A wrong one, or none, does not. */
  values[1] = "not-the-password";
  conn = PQconnectdbParams (keywords, values, TRUE);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_BAD);
  g_assert_nonnull (strstr (PQerrorMessage (conn), "password authentication failed"));
  PQfinish (conn);

  /* The socket in the cluster's own directory, and no TCP listener. */
  g_assert_true (g_file_test (socket, G_FILE_TEST_EXISTS));
  listen = np_test_postgres_query_value (pg, "postgres", "SHOW listen_addresses");
  g_assert_cmpstr (listen, ==, "");

  np_test_postgres_drop_database (pg, dbname);
}

/* Running, that is: a zombie waiting for whoever inherited it to reap it is gone. */
static gboolean
process_running (int pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *after_comm;

  if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
    return FALSE;
  after_comm = strrchr (stat, ')');
  return after_comm == NULL || (after_comm[2] != 'Z' && after_comm[2] != 'X');
}

static gboolean
all_gone (gpointer user_data)
{
  char **fields = user_data;

  if (g_file_test (fields[0], G_FILE_TEST_EXISTS))
    return FALSE;
  for (guint i = 1; fields[i] != NULL; i++)
    if (process_running (atoi (fields[i])))
      return FALSE;
  return TRUE;
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
check_cleanup (gconstpointer data)
{
  const char *mode = data;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                            self, "--child", mode, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  /* Skip the child's own "# ..." test messages. */
  do
    {
      g_free (line);
      line = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
    }
  while (line[0] == '#');
  fields = g_strsplit (line, " ", -1);
  g_assert_cmpuint (g_strv_length (fields), >=, 3);   /* dir, postmaster, at least one child */
  g_assert_true (g_str_has_prefix (fields[0], g_get_tmp_dir ()));
  g_assert_false (all_gone (fields));
  g_test_message ("%s: cluster %s with %u server processes", mode, fields[0], g_strv_length (fields) - 1);

  if (g_str_equal (mode, "hang"))
    g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_equal (mode, "pass") == g_subprocess_get_successful (child));

  if (g_str_equal (mode, "pass"))
    g_assert_true (all_gone (fields));   /* the atexit stop waited for the server */
  else
    {
      /* Nothing in this process hears of the server's end: look again every 10 ms. */
      guint poll_id = g_timeout_add (10, wake_up, NULL);
      gint64 start = g_get_monotonic_time ();

      np_test_wait_until (all_gone, fields, 20000, "the dead test's server to stop");
      g_source_remove (poll_id);
      g_test_message ("%s: server stopped and directory removed %.0f ms after the test process ended",
                      mode, (g_get_monotonic_time () - start) / 1000.0);
    }
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2]);

  np_test_init (&argc, &argv);

  g_test_add_func ("/postgres-fixture/connects-with-password", test_connects_with_password);
  g_test_add_data_func ("/postgres-fixture/cleanup/pass", "pass", check_cleanup);
  g_test_add_data_func ("/postgres-fixture/cleanup/fail", "fail", check_cleanup);
  g_test_add_data_func ("/postgres-fixture/cleanup/killed", "hang", check_cleanup);

  return g_test_run ();
}
