/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-libpq-loader.c — libpq is loaded when the team ledger first calls it
 * (src/store/np-libpq-loader.c): a ledger opened without a team leaves it (and
 * OpenSSL, GnuTLS, OpenLDAP that come with it) out of the process; the first call
 * loads it and the calls reach the real library. */
#include <string.h>

#include <libpq-fe.h>

#include "ledger-fixtures.h"
#include "np-libpq-loader.h"
#include "np-test-utils.h"

static void
test_loaded_on_first_call (void)
{
  g_autofree char *path = fixture_ledger_path ("libpq-loader");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autofree char *socket_dir = g_build_filename (g_get_tmp_dir (), "np-no-postgres-here", NULL);
  const char *const keywords[] = { "host", "dbname", "connect_timeout", NULL };
  const char *const values[] = { socket_dir, "none", "1", NULL };
  PQconninfoOption *options;
  char *message = NULL;
  PGconn *conn;
  gboolean dbname_seen = FALSE;

  fixture_add_account (ledger, "libpq", NP_ENVIRONMENT_TEST);
  g_assert_false (np_libpq_is_loaded ());
  g_assert_false (np_test_file_contains ("/proc/self/maps", "libpq.so"));
  g_assert_false (np_test_file_contains ("/proc/self/maps", "libcrypto.so"));

  /* The first call loads it, and it answers as libpq: a conninfo parsed, an error for a bad one. */
  options = PQconninfoParse ("host=/nowhere dbname=team port=5433", &message);
  g_assert_null (message);
  g_assert_nonnull (options);
  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    if (g_str_equal (option->keyword, "dbname"))
      {
        g_assert_cmpstr (option->val, ==, "team");
        dbname_seen = TRUE;
      }
  g_assert_true (dbname_seen);
  PQconninfoFree (options);
  g_assert_true (np_libpq_is_loaded ());
  g_assert_true (np_test_file_contains ("/proc/self/maps", "libpq.so"));

  g_assert_null (PQconninfoParse ("host", &message));
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "host"));
  PQfreemem (message);

  /* A connection to a socket directory with no server fails as libpq says. */
  conn = PQconnectStartParams (keywords, values, 0);
  g_assert_nonnull (conn);
  /* A missing socket fails at connect (), at once: no wait for a socket to get ready. */
  for (guint i = 0; i < 100 && PQstatus (conn) != CONNECTION_BAD; i++)
    PQconnectPoll (conn);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_BAD);
  g_assert_nonnull (strstr (PQerrorMessage (conn), socket_dir));
  PQfinish (conn);
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  g_test_add_func ("/store/libpq-loader/loaded-on-first-call", test_loaded_on_first_call);

  return g_test_run ();
}
