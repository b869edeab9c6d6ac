/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-team-sync.c — two desks, two processes, one team ledger, one sandbox.
 *
 * The PostgreSQL cluster (np-test-postgres) and the sandbox (in-process, loopback)
 * are this process's; each desk is np-team-desk-helper with a home of its own
 * (its own ledger file) and the harness's real keyring. Nothing is mocked and
 * nothing sleeps: every wait is for a line from a desk, under a deadline.
 */
#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "np-team-ledger.h"
#include "np-test-desk.h"
#include "np-test-postgres.h"
#include "np-test-sandbox.h"
#include "np-test-utils.h"

#define LEASE_SECONDS 2

static const char *helper_path;

typedef NpTestDesk Desk;

typedef struct {
  NpTestPostgres *pg;
  char           *dbname;
  char           *target;
  char           *target_b;       /* desk B's own login role, when the test needs two people */
  NpTestSandbox  *sandbox;
  Desk           *a;
  Desk           *b;
} Fixture;

static Desk *desk_spawn (Fixture *f, const char *name, const char *home, char **out_resume);

static Desk *
desk_start (Fixture    *f,
            const char *name)
{
  static guint serial;
  g_autofree char *dir_name = g_strdup_printf ("%s-%u", name, ++serial);
  g_autofree char *home = g_build_filename (np_test_get_home (), dir_name, NULL);

  return desk_spawn (f, name, home, NULL);
}

static Desk *
desk_restart (Fixture     *f,
              const char  *name,
              const char  *home,
              char       **out_resume)
{
  return desk_spawn (f, name, home, out_resume);
}

static Desk *
desk_spawn (Fixture     *f,
            const char  *name,
            const char  *home,
            char       **out_resume)
{
  return np_test_desk_spawn (helper_path, name, home,
                             f->target_b != NULL && g_str_equal (name, "SUPPORT-2") ? f->target_b : f->target,
                             np_test_sandbox_get_base_url (f->sandbox), LEASE_SECONDS,
                             np_test_postgres_get_password (f->pg), np_test_sandbox_get_test_key (f->sandbox),
                             out_resume);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->pg = np_test_postgres_get_shared ();
  np_test_postgres_create_role (f->pg, "team_owner", "");
  f->dbname = np_test_postgres_create_database (f->pg, "team_owner");
  f->target = np_test_postgres_dup_uri (f->pg, "team_owner", f->dbname);
  f->sandbox = np_test_sandbox_new ();
  f->a = desk_start (f, "FINANCE-1");
  f->b = desk_start (f, "SUPPORT-2");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->a, np_test_desk_free);
  g_clear_pointer (&f->b, np_test_desk_free);
  g_clear_pointer (&f->sandbox, np_test_sandbox_free);
  g_free (f->target);
  g_free (f->target_b);
  g_free (f->dbname);
}

/* Two people: desk A joins as the database's owner (team_owner), desk B as
 * team_desk_b, a login role of its own in np_desk. */
static void
fixture_set_up_two_people (Fixture       *f,
                           gconstpointer  data)
{
  f->pg = np_test_postgres_get_shared ();
  np_test_postgres_create_role (f->pg, "team_owner", "");
  np_test_postgres_create_group_role (f->pg, "np_desk");
  np_test_postgres_create_role (f->pg, "team_desk_b", "IN ROLE np_desk");
  f->dbname = np_test_postgres_create_database (f->pg, "team_owner");
  f->target = np_test_postgres_dup_uri (f->pg, "team_owner", f->dbname);
  f->target_b = np_test_postgres_dup_uri (f->pg, "team_desk_b", f->dbname);
  f->sandbox = np_test_sandbox_new ();
  f->a = desk_start (f, "FINANCE-1");
  f->b = desk_start (f, "SUPPORT-2");
}

/* Desk A creates a checkout (both desks then know it: the lock's message can
 * name its amount), and a buyer pays it at the sandbox. */
static char *
paid_checkout (Fixture *f)
{
  g_autofree char *watching = NULL;
  g_autofree char *created = NULL;
  g_autofree char *seen = NULL;
  g_auto(GStrv) words = NULL;
  char *id;

  np_test_desk_send (f->b, "watch-next");
  watching = np_test_desk_wait_line (f->b, "watching", 5000);
  np_test_desk_send (f->a, "create 10000");
  created = np_test_desk_wait_line (f->a, "created ", 10000);
  seen = np_test_desk_wait_line (f->b, "seen ", 5000);
  words = g_strsplit (created, " ", 3);
  id = g_strdup (words[1]);
  g_assert_true (np_test_sandbox_pay (f->sandbox, id, "success"));
  return id;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Desk A creates a checkout; desk B's ledger (what its list reads) has it
 * within a second, without anyone asking. */
static void
test_propagation (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *watching = NULL;
      g_autofree char *created = NULL;
      g_autofree char *seen = NULL;
      g_auto(GStrv) c = NULL;
      g_auto(GStrv) s = NULL;
      gint64 elapsed;

      np_test_desk_send (f->b, "watch-next");
      watching = np_test_desk_wait_line (f->b, "watching", 5000);
      np_test_desk_send (f->a, "create %u", 1000 + i);
      created = np_test_desk_wait_line (f->a, "created ", 10000);
      seen = np_test_desk_wait_line (f->b, "seen ", 1000);
      c = g_strsplit (created, " ", 3);
      s = g_strsplit (seen, " ", 3);
      g_assert_cmpstr (c[1], ==, s[1]);
      elapsed = g_ascii_strtoll (s[2], NULL, 10) - g_ascii_strtoll (c[2], NULL, 10);
      g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
      g_array_append_val (times, elapsed);
    }
  g_array_sort (times, compare_gint64);
  g_test_message ("propagation from desk A's commit to desk B's ledger, %u checkouts: p50 %.1f ms, p95 %.1f ms, max %.1f ms",
                  times->len, g_array_index (times, gint64, times->len / 2) / 1000.0,
                  g_array_index (times, gint64, (times->len * 95) / 100) / 1000.0,
                  g_array_index (times, gint64, times->len - 1) / 1000.0);
}

/* Both desks refund one checkout at the same moment, 100 times: the sandbox
 * hears one refund each time, and the other desk is told who holds the lock. */
static void
test_lock_race (Fixture       *f,
                gconstpointer  data)
{
  guint a_won = 0, b_won = 0;

  /* The winner's refund stays in flight while the other desk asks. */
  np_test_sandbox_add_fault (f->sandbox, "/checkout/refund", "latency:100", -1);
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *id = paid_checkout (f);
      g_autofree char *prefix = g_strdup_printf ("refund %s ", id);
      g_autofree char *answer_a = NULL;
      g_autofree char *answer_b = NULL;
      guint before = np_test_sandbox_count_requests (f->sandbox, "/checkout/refund");
      const char *winner, *loser;

      np_test_desk_send (f->a, "refund %s", id);
      np_test_desk_send (f->b, "refund %s", id);
      answer_a = np_test_desk_wait_line (f->a, prefix, 10000);
      answer_b = np_test_desk_wait_line (f->b, prefix, 10000);
      g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/refund") - before, ==, 1);

      if (g_str_has_suffix (answer_a, " ok"))
        winner = answer_a, loser = answer_b, a_won++;
      else
        winner = answer_b, loser = answer_a, b_won++;
      g_assert_true (g_str_has_suffix (winner, " ok"));
      g_assert_true (g_str_has_prefix (loser + strlen (prefix), "locked "));
      /* np_money_format () puts a no-break space before the currency. */
      if (strstr (loser, "A refund of 1.00\u00a0SEK is in flight from ") == NULL)
        g_error ("not the lock message: %s", loser);
      g_assert_nonnull (strstr (loser, winner == answer_a ? "FINANCE-1" : "SUPPORT-2"));
    }
  g_test_message ("100 simultaneous refund pairs: one refund request each at the sandbox; "
                  "FINANCE-1 won %u, SUPPORT-2 won %u, the other got the lock message", a_won, b_won);
}

/* Desk A dies mid-refund: desk B sees the row unknown once A's lease has
 * expired, and a look-up settles it. */
static void
test_killed_desk (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = paid_checkout (f);
  g_autofree char *pending = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *looked_up = NULL;
  g_autofree char *settled = NULL;
  gint64 killed;

  np_test_sandbox_add_fault (f->sandbox, "/checkout/refund", "latency:60000", 1);
  np_test_desk_send (f->a, "refund %s", id);
  np_test_desk_send (f->b, "wait-journal %s pending", id);
  pending = np_test_desk_wait_line (f->b, "journal ", 5000);

  killed = g_get_monotonic_time ();
  g_subprocess_send_signal (f->a->process, SIGKILL);
  np_test_wait_until (np_test_desk_ended, f->a, 10000, "desk A to die");

  np_test_desk_send (f->b, "wait-journal %s unknown", id);
  unknown = np_test_desk_wait_line (f->b, "journal ", (LEASE_SECONDS + 3) * 1000);
  /* The row is desk A's, as Activity at desk B shows it. */
  g_assert_cmpstr (unknown + strlen ("journal ") + strlen (id), ==, " unknown unsettled desk=FINANCE-1");
  g_test_message ("desk A killed mid-refund: its row unknown at desk B after %.1f s (lease %d s)",
                  (g_get_monotonic_time () - killed) / (double) G_USEC_PER_SEC, LEASE_SECONDS);

  np_test_desk_send (f->b, "lookup %s", id);
  looked_up = np_test_desk_wait_line (f->b, "looked-up ", 10000);
  np_test_desk_send (f->b, "wait-journal %s unknown", id);
  settled = np_test_desk_wait_line (f->b, "journal ", 5000);
  g_assert_nonnull (strstr (settled, " unknown settled desk=FINANCE-1"));
}

/* Takes the next "created ID TIME" of @desk and returns ID. */
static char *
created_id (Desk *desk)
{
  g_autofree char *created = np_test_desk_wait_line (desk, "created ", 10000);
  g_auto(GStrv) words = g_strsplit (created, " ", 3);

  return g_strdup (words[1]);
}

static gboolean
desk_has (Desk       *desk,
          const char *id)
{
  g_autofree char *prefix = g_strdup_printf ("has %s ", id);
  g_autofree char *answer = NULL;

  np_test_desk_send (desk, "has %s", id);
  answer = np_test_desk_wait_line (desk, prefix, 5000);
  return g_str_has_suffix (answer, " yes");
}

/* PostgreSQL stops under running desks: reads go on, a refund is refused with
 * the reason and reaches no server; PostgreSQL comes back, the desks reconnect
 * by themselves and changes flow again. */
static void
test_server_restart (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = paid_checkout (f);
  g_autofree char *offline = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *online_a = NULL;
  g_autofree char *online_b = NULL;
  g_autofree char *prefix = g_strdup_printf ("refund %s ", id);
  g_autofree char *after = NULL;
  g_autofree char *watching = NULL;
  g_autofree char *seen = NULL;
  guint refunds = np_test_sandbox_count_requests (f->sandbox, "/checkout/refund");
  gint64 restarted;

  np_test_postgres_pause (f->pg);
  np_test_desk_send (f->b, "wait-state offline");
  offline = np_test_desk_wait_line (f->b, "state offline", 10000);
  g_test_message ("desk B: %s", offline + strlen ("state offline "));
  g_assert_nonnull (strstr (offline, "Team ledger offline: "));
  g_assert_nonnull (strstr (offline, ". Trying again in 1 s."));

  /* Reads go on from the local ledger. */
  g_assert_true (desk_has (f->b, id));
  /* A change is refused, with the reason, and nothing is sent. */
  np_test_desk_send (f->b, "refund %s", id);
  refused = np_test_desk_wait_line (f->b, prefix, 5000);
  g_assert_nonnull (strstr (refused, " error The team ledger is offline: "));
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/refund"), ==, refunds);

  restarted = g_get_monotonic_time ();
  np_test_postgres_resume (f->pg);
  np_test_desk_send (f->a, "wait-state online");
  np_test_desk_send (f->b, "wait-state online");
  /* The backoff is at most 2 s here (1 s, then 2 s). */
  online_a = np_test_desk_wait_line (f->a, "state online", 15000);
  online_b = np_test_desk_wait_line (f->b, "state online", 15000);
  g_test_message ("both desks online again %.1f s after the server came back",
                  (g_get_monotonic_time () - restarted) / (double) G_USEC_PER_SEC);

  np_test_desk_send (f->b, "watch-next");
  watching = np_test_desk_wait_line (f->b, "watching", 5000);
  np_test_desk_send (f->a, "create 700");
  after = created_id (f->a);
  seen = np_test_desk_wait_line (f->b, "seen ", 1000);
  g_assert_nonnull (strstr (seen, after));
}

/* A desk that was away catches up from the last change it applied, not from
 * the start, and has what the other desk did meanwhile. */
static void
test_catch_up (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *watching = NULL;
  g_autofree char *resume = NULL;
  g_autofree char *online = NULL;
  g_autofree char *home = NULL;
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_free);

  np_test_desk_send (f->b, "watch-next");
  watching = np_test_desk_wait_line (f->b, "watching", 5000);
  np_test_desk_send (f->a, "create 500");
  first = created_id (f->a);
  seen = np_test_desk_wait_line (f->b, "seen ", 1000);

  /* Desk B goes away; desk A carries on. */
  np_test_desk_send (f->b, "quit");
  np_test_wait_until (np_test_desk_ended, f->b, 10000, "desk B to quit");
  for (guint i = 0; i < 3; i++)
    {
      np_test_desk_send (f->a, "create %u", 600 + i);
      g_ptr_array_add (made, created_id (f->a));
    }

  /* Desk B comes back on its own ledger. */
  home = g_strdup (f->b->home);
  g_clear_pointer (&f->b, np_test_desk_free);
  f->b = desk_restart (f, "SUPPORT-2", home, &resume);
  g_assert_cmpint (g_ascii_strtoll (resume + strlen ("resume-from "), NULL, 10), >, 0);
  for (guint i = 0; i < made->len; i++)
    g_assert_true (desk_has (f->b, made->pdata[i]));
  g_assert_true (desk_has (f->b, first));
}

/* The JSON object at the end of a desk's line, after @n_words words. */
static JsonNode *
line_json (const char *line,
           guint       n_words)
{
  const char *start = line;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  for (guint i = 0; i < n_words; i++)
    start = strchr (start, ' ') + 1;
  node = json_from_string (start, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return node;
}

static char *team_query (Fixture *f, const char *sql);

#define N_FIRST_SYNC 12345
#define N_FIRST_UPLOAD 25000

/* A new desk's first sync brings every shared checkout, through more than one
 * read of changes (10,000) and many local transactions (2,500): as many rows
 * as the team has, and a sample's JSON as the team holds it. */
static void
test_first_sync (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *account = team_query (f, "SELECT id FROM np_team.accounts WHERE name = 'Shop'");
  g_autofree char *sql = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *count = NULL;
  g_autofree char *team_json = NULL;
  g_autofree char *local = NULL;
  g_autoptr(JsonNode) team_node = NULL;
  g_autoptr(JsonNode) local_node = NULL;
  g_autoptr(GError) error = NULL;
  Desk *c;
  gint64 start;

  g_assert_nonnull (account);
  sql = g_strdup_printf ("INSERT INTO np_team.checkouts (account_id, id, json, seen_by)"
                         " SELECT '%s', 'bulk-' || g, jsonb_build_object ('checkout_id', 'bulk-' || g,"
                         "  'identifier', 'order-' || g, 'status', CASE WHEN g %% 3 = 0 THEN 'paid' ELSE 'expired' END,"
                         "  'amount', 100 + g, 'currency', 'SEK', 'message', 'Bulk order ' || g,"
                         "  'metaData', jsonb_build_object ('n', g::text), 'created', '2026-01-02T03:04:05Z',"
                         "  'updated', '2026-01-02T03:04:05Z'), 'FINANCE-9'"
                         " FROM generate_series (1, %d) AS g", account, N_FIRST_SYNC);
  np_test_postgres_exec (f->pg, f->dbname, sql);
  expected = team_query (f, "SELECT count(*) FROM np_team.checkouts");
  g_assert_cmpuint (g_ascii_strtoull (expected, NULL, 10), >=, N_FIRST_SYNC);

  start = g_get_monotonic_time ();
  c = desk_start (f, "AUDIT-3");
  g_test_message ("a new desk joined with %s checkouts in %.1f s", expected,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  np_test_desk_send (c, "count");
  count = np_test_desk_wait_line (c, "count ", 5000);
  g_assert_cmpstr (count + strlen ("count "), ==, expected);

  team_json = team_query (f, "SELECT json::text FROM np_team.checkouts WHERE id = 'bulk-7777'");
  team_node = json_from_string (team_json, &error);
  g_assert_no_error (error);
  np_test_desk_send (c, "json bulk-7777");
  local = np_test_desk_wait_line (c, "json bulk-7777 ", 5000);
  local_node = line_json (local, 2);
  g_assert_true (json_node_equal (team_node, local_node));

  /* Once the sync is over, the desk hands back what the ledger's connection
   * cached while the rows went into its search index (1.2 MB here without the
   * hand-back, 16 MiB at 100,000 checkouts, which stayed resident): what SQLite
   * holds falls to its schema, statements and a few pages (0.24 MB). Asked until it does, for the hand-back runs when the desk is idle. */
  for (gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;;)
    {
      g_autofree char *memory = NULL;
      guint64 bytes;

      np_test_desk_send (c, "sqlite-memory");
      memory = np_test_desk_wait_line (c, "sqlite-memory ", 5000);
      bytes = g_ascii_strtoull (memory + strlen ("sqlite-memory "), NULL, 10);
      if (bytes < 512 * 1024)
        {
          g_test_message ("SQLite holds %" G_GUINT64_FORMAT " bytes in the desk after its first sync", bytes);
          break;
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("SQLite still holds %" G_GUINT64_FORMAT " bytes in the desk 5 s after its first sync", bytes);
      np_test_desk_send (c, "wait-state online");
      g_free (np_test_desk_wait_line (c, "state online", 5000));
    }
  np_test_desk_free (c);
}

/* A desk that joins with checkouts of its own uploads them all (read in
 * batches of 10,000 off the main thread, so more than one): the team holds as
 * many, and a sample's JSON as the desk has it. */
static void
test_first_upload (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *home = g_build_filename (np_test_get_home (), "AUDIT-5-upload", NULL);
  g_autofree char *filled = NULL;
  g_autofree char *count = NULL;
  g_autofree char *team_json = NULL;
  g_autofree char *local = NULL;
  g_autoptr(JsonNode) team_node = NULL;
  g_autoptr(JsonNode) local_node = NULL;
  g_autoptr(GError) error = NULL;
  Desk *c;
  gint64 start;

  /* A local-only desk first, with rows of its own; then joined on the same home. */
  c = np_test_desk_spawn (helper_path, "AUDIT-5", home, "-", np_test_sandbox_get_base_url (f->sandbox),
                          LEASE_SECONDS, np_test_postgres_get_password (f->pg),
                          np_test_sandbox_get_test_key (f->sandbox), NULL);
  np_test_desk_send (c, "fill %d", N_FIRST_UPLOAD);
  filled = np_test_desk_wait_line (c, "filled ", 60000);
  g_assert_cmpint (g_ascii_strtoll (filled + strlen ("filled "), NULL, 10), ==, N_FIRST_UPLOAD);
  np_test_desk_free (c);

  start = g_get_monotonic_time ();
  c = desk_restart (f, "AUDIT-5", home, NULL);
  g_test_message ("a desk joined with %d checkouts of its own in %.1f s", N_FIRST_UPLOAD,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  count = team_query (f, "SELECT count(*) FROM np_team.checkouts WHERE id LIKE 'local-%' AND seen_by = 'AUDIT-5'");
  g_assert_cmpint (g_ascii_strtoll (count, NULL, 10), ==, N_FIRST_UPLOAD);

  team_json = team_query (f, "SELECT json::text FROM np_team.checkouts WHERE id = 'local-17777'");
  team_node = json_from_string (team_json, &error);
  g_assert_no_error (error);
  np_test_desk_send (c, "json local-17777");
  local = np_test_desk_wait_line (c, "json local-17777 ", 5000);
  local_node = line_json (local, 2);
  g_assert_true (json_node_equal (team_node, local_node));
  np_test_desk_free (c);
}

/* A refresh made while the team ledger is away is kept in the desk's local
 * ledger and, once the desk is back, reaches the team: another desk sees the
 * refreshed JSON without refreshing itself. */
static void
test_offline_refresh (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = paid_checkout (f);
  g_autofree char *offline = NULL;
  g_autofree char *looked = NULL;
  g_autofree char *prefix = g_strdup_printf ("looked-up %s ", id);
  g_autofree char *status_prefix = NULL;
  g_autofree char *seen_a = NULL;
  g_autofree char *json_prefix = g_strdup_printf ("json %s ", id);
  g_autofree char *json_b = NULL;
  g_autofree char *online = NULL;
  g_autoptr(JsonNode) node_a = NULL;
  g_autoptr(JsonNode) node_b = NULL;
  const char *status;

  np_test_postgres_pause (f->pg);
  np_test_desk_send (f->b, "wait-state offline");
  offline = np_test_desk_wait_line (f->b, "state offline", 10000);
  /* The refresh itself needs only the API: the buyer paid, desk B sees it. */
  np_test_desk_send (f->b, "lookup %s", id);
  looked = np_test_desk_wait_line (f->b, prefix, 10000);
  status = looked + strlen (prefix);
  g_assert_cmpstr (status, ==, "paid");

  np_test_postgres_resume (f->pg);
  np_test_desk_send (f->b, "wait-state online");
  online = np_test_desk_wait_line (f->b, "state online", 15000);
  /* Desk A lost the team ledger too, and comes back on its own backoff (up to
   * 8 s after a pause this short, more on a loaded machine). */
  g_free (online);
  np_test_desk_send (f->a, "wait-state online");
  online = np_test_desk_wait_line (f->a, "state online", 30000);
  /* Desk A never asked the API: what it has came from desk B, through the team. */
  status_prefix = g_strdup_printf ("status %s %s ", id, status);
  np_test_desk_send (f->a, "wait-status %s %s", id, status);
  seen_a = np_test_desk_wait_line (f->a, status_prefix, 15000);
  np_test_desk_send (f->b, "json %s", id);
  json_b = np_test_desk_wait_line (f->b, json_prefix, 5000);
  node_a = line_json (seen_a, 3);
  node_b = line_json (json_b, 2);
  g_assert_true (json_node_equal (node_a, node_b));
}

/* An account shared by one desk arrives at the other without a key (the
 * account editor says so), until that desk stores its own. */
static void
test_shared_account_key (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *added = NULL;
  g_autofree char *arrived = NULL;
  g_autofree char *key_set = NULL;
  g_autofree char *has_key = NULL;
  g_autofree char *own = NULL;

  np_test_desk_send (f->a, "add-account Outlet %s", np_test_sandbox_get_test_key (f->sandbox));
  added = np_test_desk_wait_line (f->a, "added Outlet", 10000);
  np_test_desk_send (f->b, "wait-account Outlet");
  arrived = np_test_desk_wait_line (f->b, "account Outlet", 2000);
  g_assert_cmpstr (arrived, ==, "account Outlet lacks-key=yes");

  /* Desk A has its key; "Shop" was added with a key at both desks. */
  np_test_desk_send (f->a, "wait-lacks-key Outlet no");
  own = np_test_desk_wait_line (f->a, "lacks-key Outlet", 5000);
  np_test_desk_send (f->b, "wait-lacks-key Shop no");
  g_free (own);
  own = np_test_desk_wait_line (f->b, "lacks-key Shop", 5000);

  np_test_desk_send (f->b, "set-key Outlet %s", np_test_sandbox_get_test_key (f->sandbox));
  key_set = np_test_desk_wait_line (f->b, "key-set Outlet", 10000);
  np_test_desk_send (f->b, "wait-lacks-key Outlet no");
  has_key = np_test_desk_wait_line (f->b, "lacks-key Outlet", 5000);
}

static void
expect_tested (Desk       *desk,
               const char *target,
               const char *password,
               int         code)
{
  g_autofree char *tested = NULL;
  g_autofree char *expected = code < 0 ? g_strdup ("tested ok") : g_strdup_printf ("tested error %d ", code);

  np_test_desk_send (desk, "test-connection %s %s", target, password);
  tested = np_test_desk_wait_line (desk, "tested ", 20000);
  if (!g_str_has_prefix (tested, expected))
    g_error ("Test Connection: expected “%s”, got “%s”", expected, tested);
}

/* Test Connection tells a refused password and a missing schema apart and
 * creates nothing; leaving forgets the target and the password (keyring item
 * removed), keeps the local ledger, and the desk works locally again. */
static void
test_test_and_leave (Fixture       *f,
                     gconstpointer  data)
{
  const char *password = np_test_postgres_get_password (f->pg);
  g_autofree char *empty = np_test_postgres_create_database (f->pg, "team_owner");
  g_autofree char *empty_target = np_test_postgres_dup_uri (f->pg, "team_owner", empty);
  g_autofree char *schemas = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *left = NULL;
  g_autofree char *off = NULL;
  g_autofree char *gone = NULL;
  g_autofree char *refunded = NULL;
  g_autofree char *id = paid_checkout (f);
  g_autofree char *prefix = g_strdup_printf ("refund %s ", id);

  expect_tested (f->b, f->target, "not-the-password", NP_TEAM_LEDGER_ERROR_AUTHENTICATION);
  expect_tested (f->b, empty_target, password, NP_TEAM_LEDGER_ERROR_NO_SCHEMA);
  schemas = np_test_postgres_query_value (f->pg, empty, "SELECT count(*) FROM pg_namespace WHERE nspname = 'np_team'");
  g_assert_cmpstr (schemas, ==, "0");
  expect_tested (f->b, f->target, password, -1);

  /* Joined: the target (no password in it) and desk name in GSettings, the password in the keyring. */
  np_test_desk_send (f->b, "settings");
  settings = np_test_desk_wait_line (f->b, "settings ", 5000);
  expected = g_strdup_printf ("settings target=%s desk=SUPPORT-2", f->target);
  g_assert_cmpstr (settings, ==, expected);
  g_assert_null (strstr (settings, password));
  np_test_desk_send (f->b, "team-password %s", f->target);
  stored = np_test_desk_wait_line (f->b, "team-password ", 10000);
  g_assert_cmpstr (stored, ==, "team-password present");

  np_test_desk_send (f->b, "leave");
  left = np_test_desk_wait_line (f->b, "left", 5000);
  np_test_desk_send (f->b, "wait-state off");
  off = np_test_desk_wait_line (f->b, "state off", 5000);
  np_test_desk_send (f->b, "team-password %s", f->target);
  gone = np_test_desk_wait_line (f->b, "team-password ", 10000);
  g_assert_cmpstr (gone, ==, "team-password absent");
  g_clear_pointer (&settings, g_free);
  np_test_desk_send (f->b, "settings");
  settings = np_test_desk_wait_line (f->b, "settings ", 5000);
  g_assert_cmpstr (settings, ==, "settings target= desk=");

  /* What it synced stays, and the desk works on its own again. */
  g_assert_true (desk_has (f->b, id));
  np_test_desk_send (f->b, "refund %s", id);
  refunded = np_test_desk_wait_line (f->b, prefix, 10000);
  g_assert_true (g_str_has_suffix (refunded, " ok"));
}

/* Desk A creates a checkout; @other sees its row. Returns its id. */
static char *
create_seen_by (Desk       *desk,
                Desk       *other,
                const char *other_desk_name)
{
  g_autofree char *created = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) words = NULL;

  np_test_desk_send (desk, "create 10000");
  created = np_test_desk_wait_line (desk, "created ", 10000);
  words = g_strsplit (created, " ", 3);
  np_test_desk_send (other, "wait-journal %s succeeded", words[1]);
  seen = np_test_desk_wait_line (other, "journal ", 10000);
  expected = g_strdup_printf ("journal %s succeeded unsettled desk=%s", words[1], other_desk_name);
  g_assert_cmpstr (seen, ==, expected);
  return g_strdup (words[1]);
}

static void
expect_journal_count (Desk       *desk,
                      const char *id,
                      guint       count)
{
  g_autofree char *answer = NULL;
  g_autofree char *expected = g_strdup_printf ("journal-count %s %u", id, count);

  np_test_desk_send (desk, "journal-count %s", id);
  answer = np_test_desk_wait_line (desk, "journal-count ", 5000);
  g_assert_cmpstr (answer, ==, expected);
}

static void
leave_and_join (Desk       *desk,
                const char *target,
                const char *password)
{
  g_autofree char *left = NULL;
  g_autofree char *joined = NULL;

  np_test_desk_send (desk, "leave");
  left = np_test_desk_wait_line (desk, "left", 5000);
  if (target == NULL)
    return;
  np_test_desk_send (desk, "join %s %s", target, password);
  joined = np_test_desk_wait_line (desk, "joined", 30000);
}

/* The rows of @desk_name in team database @dbname, as "object:operation,…" of its creates. */
static char *
team_creates (Fixture    *f,
              const char *dbname,
              const char *desk_name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce (string_agg (object_id, ',' ORDER BY id), '')"
                                          " FROM np_team.journal WHERE desk = '%s' AND operation = 'create'",
                                          desk_name);

  return np_test_postgres_query_value (f->pg, dbname, sql);
}

/* Desk A leaves team ledger A, joins team ledger B (another database, whose
 * journal row ids start at 1 again and whose account "Shop" has another UUID),
 * works there, leaves, and rejoins A, where desk B went on meanwhile. Each team
 * journal holds exactly the rows made in it, each local row is there once, and
 * the local audit chain verifies. */
static void
test_switch_team_ledger (Fixture       *f,
                         gconstpointer  data)
{
  const char *password = np_test_postgres_get_password (f->pg);
  g_autofree char *db_b = np_test_postgres_create_database (f->pg, "team_owner");
  g_autofree char *target_b = np_test_postgres_dup_uri (f->pg, "team_owner", db_b);
  g_autofree char *home_c = g_build_filename (np_test_get_home (), "AUDIT-3", NULL);
  g_autofree char *a_in_a = NULL, *b_in_a = NULL, *c_in_b = NULL, *a_in_b = NULL;
  g_autofree char *b_while_away = NULL, *a_again = NULL;
  g_autofree char *creates = NULL, *expected = NULL, *seen = NULL, *verified = NULL;
  g_autofree char *seen_c = NULL, *seen_b = NULL;
  Desk *c;

  /* Team ledger A: one row of each desk. */
  a_in_a = create_seen_by (f->a, f->b, "FINANCE-1");
  b_in_a = create_seen_by (f->b, f->a, "SUPPORT-2");

  /* Team ledger B: desk C's row takes B's first journal ids. */
  leave_and_join (f->a, NULL, NULL);
  c = np_test_desk_spawn (helper_path, "AUDIT-3", home_c, target_b, np_test_sandbox_get_base_url (f->sandbox),
                          LEASE_SECONDS, password, np_test_sandbox_get_test_key (f->sandbox), NULL);
  c_in_b = create_seen_by (c, c, "(this)");
  np_test_desk_send (f->a, "join %s %s", target_b, password);
  g_free (np_test_desk_wait_line (f->a, "joined", 30000));
  np_test_desk_send (f->a, "wait-journal %s succeeded", c_in_b);
  seen = np_test_desk_wait_line (f->a, "journal ", 10000);
  seen_c = g_strdup_printf ("journal %s succeeded unsettled desk=AUDIT-3", c_in_b);
  g_assert_cmpstr (seen, ==, seen_c);
  a_in_b = create_seen_by (f->a, c, "FINANCE-1");

  /* Back to A, where desk B went on meanwhile. */
  leave_and_join (f->a, NULL, NULL);
  b_while_away = create_seen_by (f->b, f->b, "(this)");
  np_test_desk_send (f->a, "join %s %s", f->target, password);
  g_free (np_test_desk_wait_line (f->a, "joined", 30000));
  g_clear_pointer (&seen, g_free);
  np_test_desk_send (f->a, "wait-journal %s succeeded", b_while_away);
  seen = np_test_desk_wait_line (f->a, "journal ", 10000);
  seen_b = g_strdup_printf ("journal %s succeeded unsettled desk=SUPPORT-2", b_while_away);
  g_assert_cmpstr (seen, ==, seen_b);
  a_again = create_seen_by (f->a, f->b, "FINANCE-1");

  /* Each team ledger holds the rows made in it, none of the other's. */
  creates = team_creates (f, f->dbname, "FINANCE-1");
  expected = g_strdup_printf ("%s,%s", a_in_a, a_again);
  g_assert_cmpstr (creates, ==, expected);
  g_clear_pointer (&creates, g_free);
  creates = team_creates (f, db_b, "FINANCE-1");
  g_assert_cmpstr (creates, ==, a_in_b);
  g_clear_pointer (&creates, g_free);
  creates = team_creates (f, db_b, "SUPPORT-2");
  g_assert_cmpstr (creates, ==, "");
  g_clear_pointer (&creates, g_free);
  creates = team_creates (f, f->dbname, "AUDIT-3");
  g_assert_cmpstr (creates, ==, "");

  /* Desk A has every row once, its own and the others', and its chain holds. */
  expect_journal_count (f->a, a_in_a, 1);
  expect_journal_count (f->a, b_in_a, 1);
  expect_journal_count (f->a, c_in_b, 1);
  expect_journal_count (f->a, a_in_b, 1);
  expect_journal_count (f->a, b_while_away, 1);
  expect_journal_count (f->a, a_again, 1);
  np_test_desk_send (f->a, "verify-local");
  verified = np_test_desk_wait_line (f->a, "verified-local ", 5000);
  g_test_message ("desk A: %s", verified);
  g_clear_pointer (&verified, g_free);
  np_test_desk_send (f->a, "verify-team");
  verified = np_test_desk_wait_line (f->a, "verified ", 10000);

  np_test_desk_free (c);
}

/* Desk A receives from team ledger A desk B's checkout, a customer, and the
 * accounts "Elsewhere" and "Outlet" with a checkout each (written there as
 * another desk would; no key for them here), leaves, creates a checkout of its
 * own and adds a key for Outlet while alone, and joins team ledger B: B gets
 * desk A's own checkouts (the one it made in A too) and the account it has a
 * key for, and nothing desk A received from A, which it keeps. */
static void
test_join_other_shares_own_only (Fixture       *f,
                                 gconstpointer  data)
{
  const char *password = np_test_postgres_get_password (f->pg);
  g_autofree char *db_b = np_test_postgres_create_database (f->pg, "team_owner");
  g_autofree char *target_b = np_test_postgres_dup_uri (f->pg, "team_owner", db_b);
  g_autofree char *a_in_a = NULL, *b_in_a = NULL, *a_alone = NULL;
  g_autofree char *sql = NULL, *line = NULL, *created = NULL, *expected = NULL, *found = NULL;
  g_auto(GStrv) words = NULL;

  a_in_a = create_seen_by (f->a, f->b, "FINANCE-1");
  b_in_a = create_seen_by (f->b, f->a, "SUPPORT-2");
  np_test_desk_send (f->a, "wait-status %s created", b_in_a);
  g_free (np_test_desk_wait_line (f->a, "status ", 10000));
  sql = g_strdup_printf (
    "INSERT INTO np_team.customers (account_id, id, json, seen_by)"
    "  SELECT id, 'cus_from_a', '{\"customer_id\": \"cus_from_a\", \"first_name\": \"Ada\","
    "    \"last_name\": \"Lovelace\", \"email\": \"ada@example.com\"}', 'SUPPORT-2'"
    "  FROM np_team.accounts WHERE name = 'Shop';"
    "INSERT INTO np_team.accounts (id, name, base_url, environment, updated_by)"
    "  VALUES (gen_random_uuid (), 'Elsewhere', '%1$s', 'test', 'SUPPORT-2'),"
    "    (gen_random_uuid (), 'Outlet', '%1$s', 'test', 'SUPPORT-2');"
    "INSERT INTO np_team.checkouts (account_id, id, json, seen_by)"
    "  SELECT id, 'chk_' || lower (name), jsonb_build_object ('checkout_id', 'chk_' || lower (name),"
    "    'status', 'paid', 'amount', 4200, 'currency', 'SEK'), 'SUPPORT-2'"
    "  FROM np_team.accounts WHERE name IN ('Elsewhere', 'Outlet')",
    np_test_sandbox_get_base_url (f->sandbox));
  np_test_postgres_exec (f->pg, f->dbname, sql);
  np_test_desk_send (f->a, "wait-customer cus_from_a");
  g_free (np_test_desk_wait_line (f->a, "customer ", 10000));
  np_test_desk_send (f->a, "wait-checkout-in Elsewhere chk_elsewhere");
  g_free (np_test_desk_wait_line (f->a, "checkout-in ", 10000));
  np_test_desk_send (f->a, "wait-checkout-in Outlet chk_outlet");
  g_free (np_test_desk_wait_line (f->a, "checkout-in ", 10000));
  np_test_desk_send (f->a, "wait-account Elsewhere");
  line = np_test_desk_wait_line (f->a, "account ", 5000);
  g_assert_cmpstr (line, ==, "account Elsewhere lacks-key=yes");

  /* Alone: a checkout of its own. */
  leave_and_join (f->a, NULL, NULL);
  np_test_desk_send (f->a, "create 5000");
  created = np_test_desk_wait_line (f->a, "created ", 10000);
  words = g_strsplit (created, " ", 3);
  a_alone = g_strdup (words[1]);
  np_test_desk_send (f->a, "set-key Outlet %s", np_test_sandbox_get_test_key (f->sandbox));
  g_free (np_test_desk_wait_line (f->a, "key-set Outlet", 10000));

  np_test_desk_send (f->a, "join %s %s", target_b, password);
  g_clear_pointer (&line, g_free);
  line = np_test_desk_wait_line (f->a, "joined", 30000);
  g_assert_cmpstr (line, ==, "joined");

  /* B has desk A's own, none of what it received from A. */
  found = np_test_postgres_query_value (f->pg, db_b, "SELECT string_agg (id, ',' ORDER BY id) FROM np_team.checkouts");
  expected = g_strcmp0 (a_in_a, a_alone) < 0 ? g_strdup_printf ("%s,%s", a_in_a, a_alone)
                                              : g_strdup_printf ("%s,%s", a_alone, a_in_a);
  g_assert_cmpstr (found, ==, expected);
  g_clear_pointer (&found, g_free);
  found = np_test_postgres_query_value (f->pg, db_b, "SELECT count(*) FROM np_team.customers");
  g_assert_cmpstr (found, ==, "0");
  g_clear_pointer (&found, g_free);
  found = np_test_postgres_query_value (f->pg, db_b, "SELECT string_agg (name, ',' ORDER BY name) FROM np_team.accounts");
  g_assert_cmpstr (found, ==, "Outlet,Shop");

  /* Desk A keeps everything it synced. */
  np_test_desk_send (f->a, "has %s", b_in_a);
  g_clear_pointer (&line, g_free);
  line = np_test_desk_wait_line (f->a, "has ", 5000);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("has %s yes", b_in_a);
  g_assert_cmpstr (line, ==, expected);
  np_test_desk_send (f->a, "wait-customer cus_from_a");
  g_free (np_test_desk_wait_line (f->a, "customer ", 5000));
  np_test_desk_send (f->a, "wait-checkout-in Elsewhere chk_elsewhere");
  g_free (np_test_desk_wait_line (f->a, "checkout-in ", 5000));
}

/* The password is in the keyring only: not in either desk's files (ledger,
 * caches, its log). GSettings is the memory backend here; test-and-leave reads
 * the keys back. */
static void
test_password_nowhere (Fixture       *f,
                       gconstpointer  data)
{
  const char *password = np_test_postgres_get_password (f->pg);
  g_autofree char *found_a = np_test_find_in_tree (f->a->home, password);
  g_autofree char *found_b = np_test_find_in_tree (f->b->home, password);

  g_assert_null (found_a);
  g_assert_null (found_b);
}

/* An open request of desk A over the limit, for checkout @id: its number. */
static gint64
request_refund (Fixture    *f,
                const char *id,
                const char *state)
{
  g_autofree char *prefix = g_strdup_printf ("refund %s ", id);
  g_autofree char *answer = NULL;
  g_autofree char *count = NULL;
  g_autofree char *line = NULL;
  guint before = np_test_sandbox_count_requests (f->sandbox, "/checkout/refund");
  g_auto(GStrv) words = NULL;

  np_test_desk_send (f->a, "refund-amount %s 6000", id);
  answer = np_test_desk_wait_line (f->a, prefix, 10000);
  g_test_message ("desk A: %s", answer);
  g_assert_true (g_str_has_prefix (answer + strlen (prefix), "approval-required "));
  g_assert_nonnull (strstr (answer, "50.00"));
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/refund"), ==, before);

  /* Every desk sees it waiting. */
  np_test_desk_send (f->b, "requests");
  count = np_test_desk_wait_line (f->b, "requests ", 5000);
  line = np_test_desk_wait_line (f->b, "request ", 5000);
  for (guint i = 1; i < g_ascii_strtoull (count + strlen ("requests "), NULL, 10); i++)
    g_free (np_test_desk_wait_line (f->b, "request ", 5000));
  words = g_strsplit (line, " ", -1);
  g_assert_cmpstr (words[2], ==, id);
  g_assert_cmpstr (words[3], ==, "6000");
  g_assert_cmpstr (words[4], ==, state);
  g_assert_cmpstr (words[5], ==, "FINANCE-1");
  return g_ascii_strtoll (words[1], NULL, 10);
}

static char *
team_query (Fixture    *f,
            const char *sql)
{
  return np_test_postgres_query_value (f->pg, f->dbname, sql);
}

/* The team database answers @sql (a count) with 1; polled on a tick. */
static gboolean
team_has_one (gpointer user_data)
{
  Fixture *f = ((gpointer *) user_data)[0];
  const char *sql = ((gpointer *) user_data)[1];
  g_autofree char *count = team_query (f, sql);

  return g_str_equal (count, "1");
}

static gboolean
poll_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* A change committed right after a returning desk's catch-up read reaches it:
 * the desk LISTENs before it reads, so the commit is announced to it. Here desk
 * A is held where it says ONLINE (its catch-up done) while the team ledger takes
 * a colleague's refresh. With the LISTEN issued after the read (once ONLINE), a
 * commit between the two was announced to nobody and the desk kept the old row
 * until some later change: offline-refresh's desk A, 1 run in 4 on a loaded
 * machine, when desk B's upload fell in that gap. */
static void
test_change_at_reconnect (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *id = paid_checkout (f);
  g_autofree char *json_prefix = g_strdup_printf ("json %s ", id);
  g_autofree char *status_prefix = g_strdup_printf ("status %s paid ", id);
  g_autofree char *before = NULL;
  g_autofree char *holding = NULL;
  g_autofree char *offline = NULL;
  g_autofree char *held = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *change = NULL;
  g_autofree char *seen = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* Desk A has the checkout as it created it, not paid; desk B leaves, so
   * that no later change of its own makes A read again. */
  np_test_desk_send (f->a, "json %s", id);
  before = np_test_desk_wait_line (f->a, json_prefix, 5000);
  node = line_json (before, 2);
  g_assert_cmpstr (json_object_get_string_member_with_default (json_node_get_object (node), "status", ""), !=, "paid");
  g_clear_pointer (&f->b, np_test_desk_free);

  np_test_desk_send (f->a, "hold-online");
  holding = np_test_desk_wait_line (f->a, "holding", 5000);
  np_test_postgres_pause (f->pg);
  np_test_desk_send (f->a, "wait-state offline");
  offline = np_test_desk_wait_line (f->a, "state offline", 10000);
  np_test_postgres_resume (f->pg);
  held = np_test_desk_wait_line (f->a, "held online", 30000);

  /* Committed after A's catch-up read, before A goes on from ONLINE. */
  sql = g_strdup_printf ("UPDATE np_team.checkouts SET json = jsonb_set (json, '{status}', '\"paid\"'),"
                         " seen = now (), seen_by = 'SUPPORT-2' WHERE id = '%s' RETURNING change", id);
  change = team_query (f, sql);
  g_test_message ("change %s committed while desk A was held at ONLINE", change);
  np_test_desk_send (f->a, "release");
  np_test_desk_send (f->a, "wait-status %s paid", id);
  seen = np_test_desk_wait_line (f->a, status_prefix, 10000);
}

/* Four eyes: A's refund above the limit sends nothing; A cannot approve it;
 * B approves and exactly one refund reaches the sandbox, sent by B, its
 * journal row linked to the request and the decision. */
static void
test_approval (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *link = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *sql = NULL;
  guint before, poll_id;
  gint64 request;

  np_test_desk_send (f->a, "set-limit SEK 5000 604800");
  g_free (np_test_desk_wait_line (f->a, "limit-set", 10000));
  id = paid_checkout (f);
  before = np_test_sandbox_count_requests (f->sandbox, "/checkout/refund");
  request = request_refund (f, id, "open");

  /* The requester cannot approve: the database refuses, nothing is sent. */
  prefix = g_strdup_printf ("approve %" G_GINT64_FORMAT " ", request);
  np_test_desk_send (f->a, "approve %" G_GINT64_FORMAT " %s 6000", request, id);
  answer = np_test_desk_wait_line (f->a, prefix, 10000);
  g_test_message ("desk A approving its own: %s", answer);
  g_assert_nonnull (strstr (answer, " refused "));
  g_assert_nonnull (strstr (answer, "cannot decide it"));
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/refund"), ==, before);

  /* B approves: one refund at the sandbox. */
  g_free (answer);
  np_test_desk_send (f->b, "approve %" G_GINT64_FORMAT " %s 6000", request, id);
  answer = np_test_desk_wait_line (f->b, prefix, 10000);
  g_assert_cmpstr (answer + strlen (prefix), ==, "ok");
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/refund"), ==, before + 1);

  /* B finishes its row in the team journal after the answer: wait for that. */
  sql = g_strdup_printf ("SELECT count(*) FROM np_team.journal WHERE operation = 'refund' AND object_id = '%s'"
                         " AND state <> 'pending'", id);
  poll_id = g_timeout_add (20, poll_tick, NULL);
  np_test_wait_until (team_has_one, (gpointer[]) { f, sql }, 10000, "B's refund finished in the team journal");
  g_source_remove (poll_id);
  g_free (sql);

  /* The journal links request → decision → operation, the operation B's. */
  sql = g_strdup_printf ("SELECT r.desk || ',' || r.state || ',' || d.desk || ',' || d.decider || ',' || j.desk"
                         " || ',' || j.state || ',' || j.amount || ',' || (j.details ->> 'approves_request')"
                         " FROM np_team.refund_requests r JOIN np_team.refund_decisions d ON d.request_id = r.id"
                         " JOIN np_team.journal j ON j.id = d.journal_id WHERE r.id = %" G_GINT64_FORMAT, request);
  link = team_query (f, sql);
  expected = g_strdup_printf ("FINANCE-1,approved,SUPPORT-2,team_desk_b,SUPPORT-2,succeeded,6000,%" G_GINT64_FORMAT,
                              request);
  g_assert_cmpstr (link, ==, expected);
  g_free (link);
  link = team_query (f, "SELECT count(*) FROM np_team.journal WHERE operation = 'refund'");
  g_assert_cmpstr (link, ==, "1");

  /* Approving again sends nothing. */
  g_free (answer);
  np_test_desk_send (f->b, "approve %" G_GINT64_FORMAT " %s 6000", request, id);
  answer = np_test_desk_wait_line (f->b, prefix, 10000);
  g_assert_nonnull (strstr (answer, "already approved"));
  g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/refund"), ==, before + 1);
}

/* Desk A's look-up sees a checkout paid: the status change is journalled as a
 * refresh, which reaches the team journal as every row does (pending, then
 * finished as the next link of the chain), and desk B's Activity as A's. It
 * takes no lock: B refunds the checkout at once. */
static void
test_refresh_shared (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = paid_checkout (f);
  g_autofree char *looked_up = NULL;
  g_autofree char *at_a = NULL;
  g_autofree char *at_b = NULL;
  g_autofree char *verified = NULL;
  g_autofree char *refund = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *row = NULL;
  g_autofree char *day_report = NULL;
  g_autofree char *head = NULL;
  guint poll_id;

  np_test_desk_send (f->a, "lookup %s", id);
  looked_up = np_test_desk_wait_line (f->a, "looked-up ", 10000);
  g_assert_true (g_str_has_suffix (looked_up, " paid"));
  np_test_desk_send (f->a, "wait-refresh %s", id);
  at_a = np_test_desk_wait_line (f->a, "refresh ", 5000);
  g_assert_true (g_str_has_suffix (at_a, " succeeded desk=(this)"));

  sql = g_strdup_printf ("SELECT count(*) FROM np_team.journal WHERE operation = 'refresh' AND object_id = '%s'"
                         " AND state = 'succeeded' AND chain_seq IS NOT NULL", id);
  poll_id = g_timeout_add (20, poll_tick, NULL);
  np_test_wait_until (team_has_one, (gpointer[]) { f, sql }, 10000, "the refresh row finished in the team journal");
  g_source_remove (poll_id);
  g_free (sql);
  sql = g_strdup_printf ("SELECT desk || ',' || amount || ',' || currency || ',' || summary"
                         " FROM np_team.journal WHERE operation = 'refresh' AND object_id = '%s'", id);
  row = team_query (f, sql);
  g_assert_cmpstr (row, ==, "FINANCE-1,10000,SEK,Status created → paid, 100.00\u00a0SEK");

  np_test_desk_send (f->b, "wait-refresh %s", id);
  at_b = np_test_desk_wait_line (f->b, "refresh ", 5000);
  g_assert_true (g_str_has_suffix (at_b, " succeeded desk=FINANCE-1"));
  np_test_desk_send (f->b, "verify-team");
  verified = np_test_desk_wait_line (f->b, "verif", 10000);
  /* The create and the refresh. */
  g_assert_cmpstr (verified, ==, "verified 2");

  /* The end-of-day report's footer takes the team chain's head: the last link
   * the walk above went through, as the team journal holds it. */
  np_test_desk_send (f->b, "day-report");
  day_report = np_test_desk_wait_line (f->b, "day-report", 10000);
  g_free (sql);
  sql = g_strdup ("SELECT 'day-report 0 2 ' || row_hash FROM np_team.journal WHERE chain_seq = 2");
  head = team_query (f, sql);
  g_assert_cmpstr (day_report, ==, head);

  np_test_desk_send (f->b, "refund %s", id);
  refund = np_test_desk_wait_line (f->b, "refund ", 10000);
  g_assert_true (g_str_has_suffix (refund, " ok"));
}

/* Rejected by B, withdrawn by A, or expired: nothing reaches the sandbox. */
static void
test_approval_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = NULL;
  guint before;

  np_test_desk_send (f->b, "set-limit SEK 5000 604800");
  g_free (np_test_desk_wait_line (f->b, "limit-set", 10000));
  id = paid_checkout (f);
  before = np_test_sandbox_count_requests (f->sandbox, "/checkout/refund");

  for (guint round = 0; round < 3; round++)
    {
      g_autofree char *decided = NULL;
      g_autofree char *approve = NULL;
      g_autofree char *prefix = NULL;
      g_autofree char *approve_prefix = NULL;
      gint64 request;

      if (round == 2)
        {
          /* Requests made from now on are past their time when B looks. */
          np_test_desk_send (f->b, "set-limit SEK 5000 0");
          g_free (np_test_desk_wait_line (f->b, "limit-set", 10000));
        }
      request = request_refund (f, id, round == 2 ? "expired" : "open");
      prefix = g_strdup_printf ("decided %" G_GINT64_FORMAT " ", request);
      if (round == 0)
        {
          np_test_desk_send (f->b, "reject %" G_GINT64_FORMAT, request);
          decided = np_test_desk_wait_line (f->b, prefix, 10000);
          g_assert_cmpstr (decided + strlen (prefix), ==, "ok");
        }
      else if (round == 1)
        {
          np_test_desk_send (f->a, "withdraw %" G_GINT64_FORMAT, request);
          decided = np_test_desk_wait_line (f->a, prefix, 10000);
          g_assert_cmpstr (decided + strlen (prefix), ==, "ok");
        }
      approve_prefix = g_strdup_printf ("approve %" G_GINT64_FORMAT " ", request);
      np_test_desk_send (f->b, "approve %" G_GINT64_FORMAT " %s 6000", request, id);
      approve = np_test_desk_wait_line (f->b, approve_prefix, 10000);
      g_test_message ("round %u: %s", round, approve);
      g_assert_nonnull (strstr (approve, round == 0 ? "already rejected" : round == 1 ? "already withdrawn" : "expired"));
      g_assert_cmpuint (np_test_sandbox_count_requests (f->sandbox, "/checkout/refund"), ==, before);
    }
}

int
main (int argc, char *argv[])
{
  np_test_init (&argc, &argv);
  g_assert_cmpint (argc, ==, 2);
  helper_path = argv[1];

  g_test_add ("/team-sync/approval", Fixture, NULL, fixture_set_up_two_people, test_approval, fixture_tear_down);
  g_test_add ("/team-sync/approval-refused", Fixture, NULL, fixture_set_up_two_people, test_approval_refused,
              fixture_tear_down);
  g_test_add ("/team-sync/refresh-shared", Fixture, NULL, fixture_set_up, test_refresh_shared, fixture_tear_down);
  g_test_add ("/team-sync/propagation", Fixture, NULL, fixture_set_up, test_propagation, fixture_tear_down);
  g_test_add ("/team-sync/lock-race", Fixture, NULL, fixture_set_up, test_lock_race, fixture_tear_down);
  g_test_add ("/team-sync/killed-desk", Fixture, NULL, fixture_set_up, test_killed_desk, fixture_tear_down);
  g_test_add ("/team-sync/server-restart", Fixture, NULL, fixture_set_up, test_server_restart, fixture_tear_down);
  g_test_add ("/team-sync/catch-up", Fixture, NULL, fixture_set_up, test_catch_up, fixture_tear_down);
  g_test_add ("/team-sync/first-sync", Fixture, NULL, fixture_set_up, test_first_sync, fixture_tear_down);
  g_test_add ("/team-sync/first-upload", Fixture, NULL, fixture_set_up, test_first_upload, fixture_tear_down);
  g_test_add ("/team-sync/offline-refresh", Fixture, NULL, fixture_set_up, test_offline_refresh, fixture_tear_down);
  g_test_add ("/team-sync/change-at-reconnect", Fixture, NULL, fixture_set_up, test_change_at_reconnect,
              fixture_tear_down);
  g_test_add ("/team-sync/shared-account-key", Fixture, NULL, fixture_set_up, test_shared_account_key, fixture_tear_down);
  g_test_add ("/team-sync/test-and-leave", Fixture, NULL, fixture_set_up, test_test_and_leave, fixture_tear_down);
  g_test_add ("/team-sync/switch-team-ledger", Fixture, NULL, fixture_set_up, test_switch_team_ledger,
              fixture_tear_down);
  g_test_add ("/team-sync/join-other-shares-own-only", Fixture, NULL, fixture_set_up, test_join_other_shares_own_only,
              fixture_tear_down);
  g_test_add ("/team-sync/password-nowhere", Fixture, NULL, fixture_set_up, test_password_nowhere, fixture_tear_down);
  return g_test_run ();
}
