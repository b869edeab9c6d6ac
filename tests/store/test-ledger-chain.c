/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ledger-chain.c — the local ledger's audit chain: an intact ledger
 * verifies, and any single row edited, deleted or moved with plain sqlite3 on
 * the closed file is found and named. */
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "ledger-fixtures.h"
#include "np-journal-chain.h"
#include "np-test-utils.h"

typedef struct {
  char   *path;
  gint64  account;
  gint64  other;
  gint64  ids[12];   /* the first account's rows, in order */
} Fixture;

static gint64
add_entry (NpLedger       *ledger,
           gint64          account,
           gint64          amount,
           NpJournalState  state)
{
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  json_object_set_int_member (details, "amount", amount);
  json_object_set_string_member (details, "currency", "SEK");
  id = np_ledger_journal_begin (ledger, account, NP_JOURNAL_OPERATION_REFUND, "chk_1",
                                "Refund", details, &error);
  g_assert_no_error (error);
  np_ledger_journal_finish (ledger, id, state, state == NP_JOURNAL_STATE_FAILED ? "declined" : NULL,
                            NULL, &error);
  g_assert_no_error (error);
  return id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint n_files;
  g_autoptr(NpLedger) ledger = NULL;
  g_autofree char *name = g_strdup_printf ("chain-%u.db", n_files++);

  fixture->path = fixture_ledger_path (name);
  ledger = fixture_open_ledger (fixture->path);
  fixture->account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  fixture->other = fixture_add_account (ledger, "Other", NP_ENVIRONMENT_TEST);

  /* Interleaved with another account's rows: each account is its own chain. */
  for (guint i = 0; i < G_N_ELEMENTS (fixture->ids); i++)
    {
      fixture->ids[i] = add_entry (ledger, fixture->account, 100 * (i + 1),
                                   i % 3 == 2 ? NP_JOURNAL_STATE_FAILED : NP_JOURNAL_STATE_SUCCEEDED);
      add_entry (ledger, fixture->other, 7, NP_JOURNAL_STATE_SUCCEEDED);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->path);
}

/* Edits the closed file as anyone with the file could: the sqlite3 shell. */
static void
tamper (const char *path,
        const char *sql)
{
  const char *argv[] = { "sqlite3", path, sql, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("sqlite3 failed on “%s”: %s", sql, err);
}

/* Opens the file again and verifies: the bad row's id, or 0 when intact. */
static gint64
verify (const char  *path,
        gint64       account,
        char       **out_message)
{
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  gint64 bad = -1;
  guint n_rows = 0;

  if (np_ledger_verify_chain (ledger, account, &n_rows, &head, &bad, &error))
    {
      g_assert_no_error (error);
      g_assert_cmpint (bad, ==, 0);
      return 0;
    }

  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_TAMPERED);
  g_assert_cmpint (bad, >, 0);
  if (out_message != NULL)
    *out_message = g_strdup (error->message);
  return bad;
}

static void
assert_names (const char *message,
              gint64      id)
{
  g_autofree char *needle = g_strdup_printf ("row %" G_GINT64_FORMAT ":", id);

  if (strstr (message, needle) == NULL)
    g_error ("“%s” does not name %s", message, needle);
}

static void
test_chain_intact (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(NpLedger) ledger = fixture_open_ledger (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *stored_head = NULL;
  g_autofree char *seqs = NULL;
  guint n_rows = 0;

  g_assert_true (np_ledger_verify_chain (ledger, 0, &n_rows, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 2 * G_N_ELEMENTS (fixture->ids));

  g_assert_true (np_ledger_verify_chain (ledger, fixture->account, &n_rows, &head, NULL, &error));
  g_assert_cmpuint (n_rows, ==, G_N_ELEMENTS (fixture->ids));
  g_assert_cmpuint (strlen (head), ==, NP_JOURNAL_CHAIN_HASH_LENGTH);
  stored_head = np_ledger_chain_head (ledger, fixture->account, &error);
  g_assert_cmpstr (head, ==, stored_head);

  /* Each account counts from 1 in the order its rows finished. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT chain_seq FROM journal WHERE account_id = %" G_GINT64_FORMAT
                                            " ORDER BY id", fixture->account);
    seqs = fixture_sql_column (fixture->path, sql);
  }
  g_assert_cmpstr (seqs, ==, "1,2,3,4,5,6,7,8,9,10,11,12");

  /* A pending row is not in the chain until it finishes; a settlement leaves it intact. */
  {
    gint64 id = np_ledger_journal_begin (ledger, fixture->account, NP_JOURNAL_OPERATION_CAPTURE, "chk_2",
                                         "Capture", NULL, &error);
    g_assert_no_error (error);
    g_assert_true (np_ledger_verify_chain (ledger, fixture->account, &n_rows, NULL, NULL, &error));
    g_assert_cmpuint (n_rows, ==, G_N_ELEMENTS (fixture->ids));
    np_ledger_journal_finish (ledger, id, NP_JOURNAL_STATE_UNKNOWN, "timeout", NULL, &error);
    g_assert_no_error (error);
    np_ledger_journal_settle (ledger, id, "paid", &error);
    g_assert_no_error (error);
    g_assert_true (np_ledger_verify_chain (ledger, fixture->account, &n_rows, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n_rows, ==, G_N_ELEMENTS (fixture->ids) + 1);
  }
}

/* The canonical form is fixed: a known row gives a known hash (format v1). */
static void
test_chain_canonical (void)
{
  NpChainRow row = {
    .account = "2", .seq = 1, .id = 3, .operation = "refund", .state = "succeeded",
    .object_id = "chk_1", .summary = "Refund", .details = "{\"amount\":100}",
    .error_text = NULL, .started = 1792886400, .finished = 1792886401, .desk = NULL, .os_user = NULL,
  };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *hash = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *forged = NULL;

  np_journal_chain_serialize (text, NULL, &row);
  g_assert_cmpstr (text->str, ==,
                   "np-journal-chain/1\n"
                   "prev -\n"
                   "account s1:2\n"
                   "seq i1\n"
                   "id i3\n"
                   "operation s6:refund\n"
                   "state s9:succeeded\n"
                   "object s5:chk_1\n"
                   "summary s6:Refund\n"
                   "details s14:{\"amount\":100}\n"
                   "error -\n"
                   "started t2026-10-25T00:00:00Z\n"
                   "finished t2026-10-25T00:00:01Z\n"
                   "desk -\n"
                   "os-user -\n");
  hash = np_journal_chain_hash (NULL, &row);
  expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, -1);
  g_assert_cmpstr (hash, ==, expected);

  /* A text that looks like the next field cannot stand in for it. */
  row.summary = "Refund\nerror s1:x";
  forged = np_journal_chain_hash (NULL, &row);
  g_assert_cmpstr (forged, !=, hash);
}

static void
test_chain_edited (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *sql = NULL;
  g_autofree char *message = NULL;

  g_assert_cmpint (verify (fixture->path, 0, NULL), ==, 0);
  /* 500 → 900 minor units in the sixth refund's details. */
  sql = g_strdup_printf ("UPDATE journal SET details = replace (details, '600', '900') WHERE id = %"
                         G_GINT64_FORMAT, fixture->ids[5]);
  tamper (fixture->path, sql);
  g_assert_cmpint (verify (fixture->path, 0, &message), ==, fixture->ids[5]);
  assert_names (message, fixture->ids[5]);
  g_test_message ("%s", message);
}

static void
test_chain_edited_state (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *sql = NULL;

  /* A failed refund turned into a successful one. */
  sql = g_strdup_printf ("UPDATE journal SET state = 'succeeded', error_text = NULL WHERE id = %"
                         G_GINT64_FORMAT, fixture->ids[8]);
  tamper (fixture->path, sql);
  g_assert_cmpint (verify (fixture->path, fixture->account, NULL), ==, fixture->ids[8]);
}

static void
test_chain_deleted (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *sql = NULL;
  g_autofree char *message = NULL;

  sql = g_strdup_printf ("DELETE FROM journal WHERE id = %" G_GINT64_FORMAT, fixture->ids[4]);
  tamper (fixture->path, sql);
  /* The row after the gap is named: the one before it is gone. */
  g_assert_cmpint (verify (fixture->path, 0, &message), ==, fixture->ids[5]);
  assert_names (message, fixture->ids[5]);
  g_assert_nonnull (strstr (message, "missing"));
}

static void
test_chain_deleted_first (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("DELETE FROM journal WHERE id = %" G_GINT64_FORMAT, fixture->ids[0]);
  tamper (fixture->path, sql);
  g_assert_cmpint (verify (fixture->path, 0, NULL), ==, fixture->ids[1]);
}

static void
test_chain_reordered (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *sql = NULL;

  /* Two rows swap places in the chain (through a free number: the index is unique). */
  sql = g_strdup_printf ("UPDATE journal SET chain_seq = -1 WHERE id = %" G_GINT64_FORMAT ";"
                         "UPDATE journal SET chain_seq = 3 WHERE id = %" G_GINT64_FORMAT ";"
                         "UPDATE journal SET chain_seq = 4 WHERE chain_seq = -1;",
                         fixture->ids[2], fixture->ids[3]);
  tamper (fixture->path, sql);
  g_assert_cmpint (verify (fixture->path, 0, NULL), ==, fixture->ids[3]);
}

static void
test_chain_reordered_content (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *sql = NULL;

  /* Two rows swap their contents, hashes and all. */
  sql = g_strdup_printf ("UPDATE journal SET details = (SELECT details FROM journal WHERE id = %" G_GINT64_FORMAT "),"
                         "  chain_hash = (SELECT chain_hash FROM journal WHERE id = %" G_GINT64_FORMAT ")"
                         " WHERE id = %" G_GINT64_FORMAT,
                         fixture->ids[7], fixture->ids[7], fixture->ids[6]);
  tamper (fixture->path, sql);
  g_assert_cmpint (verify (fixture->path, 0, NULL), ==, fixture->ids[6]);
}

static void
test_chain_unchained (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *sql = NULL;

  /* A row taken out of the chain is re-chained at the end on the next open,
   * which leaves a gap where it was. */
  sql = g_strdup_printf ("UPDATE journal SET chain_seq = NULL, chain_hash = NULL WHERE id = %" G_GINT64_FORMAT,
                         fixture->ids[9]);
  tamper (fixture->path, sql);
  g_assert_cmpint (verify (fixture->path, 0, NULL), ==, fixture->ids[10]);
}

/* Runs neuropay-console --verify-audit-trail on the ledger at @data_home's
 * default path; its exit status, with @out_text its stdout and stderr. */
static int
run_verify_command (const char  *data_home,
                    char       **out_text)
{
  const char *argv[] = { NP_CONSOLE_PATH, "--verify-audit-trail", NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "XDG_DATA_HOME", data_home, TRUE);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **)argv, envp, 0, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  *out_text = g_strconcat (out, err, NULL);
  g_test_message ("%s", *out_text);
  return g_spawn_check_wait_status (status, NULL) ? 0 : WEXITSTATUS (status);
}

static void
test_chain_command_line (void)
{
  g_autofree char *pending = NULL;
  g_autofree char *data_home = g_build_filename (g_get_user_data_dir (), "cli", NULL);
  g_autofree char *path = g_build_filename (data_home, "neuropay-console", "ledger.db", NULL);
  g_autofree char *text = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(NpLedger) ledger = NULL;
  gint64 account;
  gint64 ids[5];

  g_assert_cmpint (g_mkdir_with_parents (data_home, 0700), ==, 0);
  ledger = fixture_open_ledger (path);
  account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = add_entry (ledger, account, 250, NP_JOURNAL_STATE_SUCCEEDED);
  /* A pending row of a console still running: the check neither recovers nor chains it. */
  np_ledger_journal_begin (ledger, account, NP_JOURNAL_OPERATION_CAPTURE, "chk_9", "Capture", NULL, NULL);

  g_assert_cmpint (run_verify_command (data_home, &text), ==, 0);
  g_assert_nonnull (strstr (text, "intact: 5 rows"));
  g_clear_pointer (&text, g_free);
  g_clear_object (&ledger);
  pending = fixture_sql_column (path, "SELECT count(*) FROM journal WHERE state = 'pending'");
  g_assert_cmpstr (pending, ==, "1");

  sql = g_strdup_printf ("UPDATE journal SET summary = 'Refund (edited)' WHERE id = %" G_GINT64_FORMAT, ids[2]);
  tamper (path, sql);
  g_assert_cmpint (run_verify_command (data_home, &text), ==, 1);
  assert_names (text, ids[2]);
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/store/chain/canonical", test_chain_canonical);
  g_test_add_func ("/store/chain/command-line", test_chain_command_line);
#define ADD(name, func) g_test_add ("/store/chain/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("intact", test_chain_intact);
  ADD ("edited", test_chain_edited);
  ADD ("edited-state", test_chain_edited_state);
  ADD ("deleted", test_chain_deleted);
  ADD ("deleted-first", test_chain_deleted_first);
  ADD ("reordered", test_chain_reordered);
  ADD ("reordered-content", test_chain_reordered_content);
  ADD ("unchained", test_chain_unchained);
#undef ADD

  return g_test_run ();
}
