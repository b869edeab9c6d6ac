/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-team-day-report.c — the end-of-day report's "Approvals Decided" on a team
 * desk: two desks (two login roles) on a real PostgreSQL team ledger request,
 * approve, reject, withdraw and let expire refund requests; the day's decisions
 * come back through np_team_ledger_list_day_approvals_async () into the report,
 * which is printed to PDF (read back with pdftotext) and written as CSV. The
 * footer and the CSV carry the head of the account's team audit chain
 * (np_team_ledger_get_chain_head_async ()), checked against where another
 * desk's walk of the chain ends (np_team_ledger_verify_chain_async ()).
 */
#include <string.h>

#include <gtk/gtk.h>

#include "ledger-fixtures.h"
#include "np-day-report.h"
#include "np-day-report-printer.h"
#include "np-money.h"
#include "np-team-ledger.h"
#include "np-test-postgres.h"
#include "np-test-utils.h"

#define WAIT_MS 20000
#define ACCOUNT_ID "5f0e1c7a-3b2d-4c1e-9a8f-0123456789ab"

typedef struct
{
  NpTestPostgres *pg;
  char           *dbname;
} Fixture;

static NpTeamLedger *
open_desk (Fixture    *f,
           const char *desk_name,
           const char *role,
           gboolean    may_create)
{
  g_autoptr(NpTeamLedger) ledger = np_team_ledger_new (desk_name);
  g_autofree char *uri = np_test_postgres_dup_uri (f->pg, role, f->dbname);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  np_team_ledger_connect_async (ledger, uri, np_test_postgres_get_password (f->pg), NULL, np_test_store_result,
                                &result);
  g_assert_true (np_team_ledger_connect_finish (ledger, np_test_wait_result (&result, WAIT_MS), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  np_team_ledger_ensure_schema_async (ledger, may_create, NULL, np_test_store_result, &result);
  g_assert_cmpint (np_team_ledger_ensure_schema_finish (ledger, np_test_wait_result (&result, WAIT_MS), &error), ==,
                   NP_TEAM_LEDGER_SCHEMA_VERSION);
  g_assert_no_error (error);
  return g_steal_pointer (&ledger);
}

static void
add_account_and_limit (NpTeamLedger *ledger,
                       gint64        lifetime)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  np_team_ledger_upsert_account_async (ledger, ACCOUNT_ID, "Shop", "https://api.example.test", "test",
                                       NULL, np_test_store_result, &result);
  g_assert_true (np_team_ledger_upsert_account_finish (ledger, np_test_wait_result (&result, WAIT_MS), &error));
  g_clear_object (&result);
  np_team_ledger_set_approval_limit_async (ledger, ACCOUNT_ID, "SEK", 100000, lifetime, NULL,
                                           np_test_store_result, &result);
  g_assert_true (np_team_ledger_set_approval_limit_finish (ledger, np_test_wait_result (&result, WAIT_MS), &error));
  g_assert_no_error (error);
}

/* A refund of @amount öre of @object; @approves > 0 approves that request. */
static gint64
refund (NpTeamLedger *ledger,
        const char   *object,
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
      json_object_set_string_member (details, "approval_comment", "checked the order, \"ok\"");
    }
  np_team_ledger_begin_operation_async (ledger, ACCOUNT_ID, NP_JOURNAL_OPERATION_REFUND, object, amount, "SEK",
                                        "Refund", details, NULL, np_test_store_result, &result);
  return np_team_ledger_begin_operation_finish (ledger, np_test_wait_result (&result, WAIT_MS), error);
}

/* Over the limit: a request instead; returns its id. */
static gint64
request (Fixture      *f,
         NpTeamLedger *ledger,
         const char   *object,
         gint64        amount)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_cmpint (refund (ledger, object, amount, 0, &error), ==, 0);
  g_assert_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REQUIRED);
  id = np_test_postgres_query_value (f->pg, f->dbname, "SELECT max (id) FROM np_team.refund_requests");
  return g_ascii_strtoll (id, NULL, 10);
}

static void
decide (NpTeamLedger   *ledger,
        gint64          request_id,
        NpTeamDecision  decision,
        const char     *comment)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  np_team_ledger_decide_request_async (ledger, request_id, decision, comment, NULL, np_test_store_result, &result);
  g_assert_cmpint (np_team_ledger_decide_request_finish (ledger, np_test_wait_result (&result, WAIT_MS), &error), >, 0);
  g_assert_no_error (error);
}

static void
finish (NpTeamLedger *ledger,
        gint64        entry_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  np_team_ledger_finish_operation_async (ledger, entry_id, NP_JOURNAL_STATE_SUCCEEDED, NULL, NULL, NULL,
                                         np_test_store_result, &result);
  g_assert_true (np_team_ledger_finish_operation_finish (ledger, np_test_wait_result (&result, WAIT_MS), &error));
  g_assert_no_error (error);
}

static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
assert_has (const char *what,
            const char *text,
            const char *needle)
{
  g_autoptr(GString) haystack = g_string_new (text);
  g_autoptr(GString) plain = g_string_new (needle);

  /* np_money_format () may put a no-break space between the digits and the code. */
  g_string_replace (haystack, "\u00a0", " ", 0);
  g_string_replace (haystack, "\u202f", " ", 0);
  g_string_replace (plain, "\u00a0", " ", 0);
  g_string_replace (plain, "\u202f", " ", 0);
  if (strstr (haystack->str, plain->str) == NULL)
    g_error ("the %s lacks “%s”:\n%s", what, needle, text);
}

static void
test_day_report_approvals (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(NpTeamLedger) owner = open_desk (f, "ADMIN-DESK", "team_owner", TRUE);
  g_autoptr(NpTeamLedger) a = open_desk (f, "DESK-A", "team_desk", FALSE);
  g_autoptr(NpTeamLedger) b = open_desk (f, "DESK-B", "team_desk_b", FALSE);
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autofree char *path = fixture_ledger_path ("day");
  g_autofree char *pdf = g_build_filename (np_test_get_home (), "day.pdf", NULL);
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(NpDayReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(JsonArray) approvals = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *text = NULL;
  g_autofree char *approved_line = NULL;
  g_autofree char *expired_line = NULL;
  g_autofree char *amount = np_money_format (150000, "SEK");
  g_autofree char *team_head = NULL;
  g_autofree char *team_footer = NULL;
  g_autofree char *team_csv_seq = NULL;
  g_autofree char *team_csv_head = NULL;
  gint64 approved, rejected, withdrawn, expired, journal, shop, team_seq = 0;
  GDate day;

  add_account_and_limit (a, NP_TEAM_LEDGER_DEFAULT_REQUEST_LIFETIME);
  /* Two refunds under the limit, finished: the team chain's first links. */
  finish (a, refund (a, "chk_small", 5000, 0, &error));
  g_assert_no_error (error);
  finish (b, refund (b, "chk_other", 7000, 0, &error));
  g_assert_no_error (error);

  /* A asks, B approves with the refund itself. */
  approved = request (f, a, "chk_big", 150000);
  journal = refund (b, "chk_big", 150000, approved, &error);
  g_assert_no_error (error);
  g_assert_cmpint (journal, >, 0);
  finish (b, journal);
  /* B rejects the second; A withdraws the third. */
  rejected = request (f, a, "chk_two", 120000);
  decide (b, rejected, NP_TEAM_DECISION_REJECT, "not this one");
  withdrawn = request (f, a, "chk_three", 110000);
  decide (a, withdrawn, NP_TEAM_DECISION_WITHDRAW, NULL);
  /* The fourth is left open with a lifetime of nothing: expired. */
  add_account_and_limit (b, 0);
  expired = request (f, a, "chk_four", 130000);

  ledger = fixture_open_ledger (path);
  shop = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (now), g_date_time_get_month (now), g_date_time_get_year (now));
  report = np_day_report_build (ledger, shop, &day, tz, &error);
  g_assert_no_error (error);
  g_assert_null (report->approvals);

  np_team_ledger_list_day_approvals_async (b, ACCOUNT_ID, report->start, report->end, NULL,
                                           np_test_store_result, &result);
  approvals = np_team_ledger_list_day_approvals_finish (b, np_test_wait_result (&result, WAIT_MS), &error);
  g_assert_no_error (error);
  g_assert_true (np_day_report_set_approvals (report, approvals, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->approvals->len, ==, 4);

  /* The team chain's head as the report takes it (np_team_ledger_get_chain_head_async ()),
   * against what a walk of the whole chain by another desk ends on. */
  {
    g_autoptr(GAsyncResult) head_result = NULL;
    g_autoptr(GAsyncResult) verified = NULL;
    g_autofree char *verified_head = NULL;
    guint n_rows = 0;

    np_team_ledger_get_chain_head_async (b, ACCOUNT_ID, NULL, np_test_store_result, &head_result);
    g_assert_true (np_team_ledger_get_chain_head_finish (b, np_test_wait_result (&head_result, WAIT_MS),
                                                         &team_seq, &team_head, &error));
    g_assert_no_error (error);
    np_team_ledger_verify_chain_async (owner, ACCOUNT_ID, NULL, np_test_store_result, &verified);
    g_assert_true (np_team_ledger_verify_chain_finish (owner, np_test_wait_result (&verified, WAIT_MS), &n_rows,
                                                       &verified_head, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (team_seq, ==, 3);
    g_assert_cmpint (team_seq, ==, n_rows);
    g_assert_cmpstr (team_head, ==, verified_head);
    g_assert_cmpuint (strlen (team_head), ==, 64);
    g_assert_true (np_day_report_set_team_head (report, team_seq, team_head, &error));
    g_assert_no_error (error);
    team_footer = g_strdup_printf ("Team audit chain head: #%" G_GINT64_FORMAT " %s", team_seq, team_head);
    team_csv_seq = g_strdup_printf ("team-audit-head-seq,%" G_GINT64_FORMAT "\r\n", team_seq);
    team_csv_head = g_strdup_printf ("team-audit-head,%s\r\n", team_head);
  }

  /* A day before has none of them. */
  {
    g_autoptr(GAsyncResult) before = NULL;
    g_autoptr(JsonArray) none = NULL;

    np_team_ledger_list_day_approvals_async (b, ACCOUNT_ID, report->start - 86400, report->start, NULL,
                                             np_test_store_result, &before);
    none = np_team_ledger_list_day_approvals_finish (b, np_test_wait_result (&before, WAIT_MS), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (none), ==, 0);
  }

  /* CSV: one line per decision, amounts in plain major units, the comment quoted. */
  csv = np_day_report_to_csv (report);
  g_test_message ("%s", csv);
  assert_has ("CSV", csv, "section,request_id,decided_utc,decision,object_id,amount,currency,requester,approver,comment");
  approved_line = g_strdup_printf ("approval,%" G_GINT64_FORMAT ",", approved);
  assert_has ("CSV", csv, approved_line);
  assert_has ("CSV", csv, ",approved,chk_big,1500.00,SEK,team_desk,team_desk_b,\"checked the order, \"\"ok\"\"\"");
  assert_has ("CSV", csv, ",rejected,chk_two,1200.00,SEK,team_desk,team_desk_b,not this one");
  assert_has ("CSV", csv, ",withdrawn,chk_three,1100.00,SEK,team_desk,team_desk,\r\n");
  expired_line = g_strdup_printf ("approval,%" G_GINT64_FORMAT ",", expired);
  assert_has ("CSV", csv, expired_line);
  assert_has ("CSV", csv, ",expired,chk_four,1300.00,SEK,team_desk,,\r\n");
  assert_has ("CSV", csv, team_csv_seq);
  assert_has ("CSV", csv, team_csv_head);

  /* The printout (the same lines as the print dialog's preview), as PDF. */
  operation = np_day_report_print_operation_new (report, tz);
  gtk_print_operation_set_export_filename (operation, pdf);
  g_assert_cmpint (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error), ==,
                   GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);
  text = pdf_text (pdf);
  g_test_message ("%s", text);
  assert_has ("PDF", text, "Approvals Decided");
  assert_has ("PDF", text, "Decided By");
  assert_has ("PDF", text, "Approved");
  assert_has ("PDF", text, "Rejected");
  assert_has ("PDF", text, "Withdrawn");
  assert_has ("PDF", text, "Expired");
  assert_has ("PDF", text, "chk_big");
  assert_has ("PDF", text, amount);
  assert_has ("PDF", text, "team_desk_b");
  assert_has ("PDF", text, "checked the order, \"ok\"");
  assert_has ("PDF", text, "not this one");
  /* The footer: the local chain's head and, beside it, the team chain's. */
  assert_has ("PDF", text, "Audit chain head: ");
  assert_has ("PDF", text, team_footer);
  (void) rejected;
  (void) withdrawn;
}

/* Untrusted input: a malformed element refuses the whole answer, changing nothing. */
static void
test_day_report_approvals_refused (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autofree char *path = fixture_ledger_path ("refused");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpDayReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 shop = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  const char *bad[] = {
    "[{\"request_id\": 1, \"decided\": %s, \"decision\": \"approved\", \"object_id\": \"c\", \"amount\": -5,"
    " \"currency\": \"SEK\", \"requester\": \"x\", \"approver\": \"y\", \"comment\": null}]",
    "[{\"request_id\": 1, \"decided\": %s, \"decision\": \"approved\", \"object_id\": \"c\", \"amount\": 5,"
    " \"currency\": \"SEK\", \"requester\": \"x\", \"approver\": null, \"comment\": null}]",
    "[{\"request_id\": 1, \"decided\": %s, \"decision\": \"forgotten\", \"object_id\": \"c\", \"amount\": 5,"
    " \"currency\": \"SEK\", \"requester\": \"x\", \"approver\": \"y\", \"comment\": null}]",
    "[{\"request_id\": 1, \"decided\": %s, \"decision\": \"rejected\", \"object_id\": \"c\", \"amount\": \"5\","
    " \"currency\": \"SEK\", \"requester\": \"x\", \"approver\": \"y\", \"comment\": null}]",
  };
  GDate day;

  g_date_set_dmy (&day, 25, G_DATE_OCTOBER, 2026);
  report = np_day_report_build (ledger, shop, &day, tz, &error);
  g_assert_no_error (error);

  /* A team chain head whose place and hash do not agree, or whose hash is not a
   * SHA-256 in lower-case hex, is refused and the report keeps none. */
  {
    const char *good = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const struct { gint64 seq; const char *hash; } heads[] = {
      { 0, good },
      { 3, "" },
      { -1, "" },
      { 3, NULL },
      { 3, "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef" },
      { 3, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde" },
      { 3, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0" },
      { 3, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
      {
        g_assert_false (np_day_report_set_team_head (report, heads[i].seq, heads[i].hash, &error));
        g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
        g_clear_error (&error);
        g_assert_null (report->team_head_hash);
      }
    g_assert_true (np_day_report_set_team_head (report, 3, good, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (report->team_head_hash, ==, good);
    g_assert_true (np_day_report_set_team_head (report, 0, "", &error));
    g_assert_cmpint (report->team_head_seq, ==, 0);
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *when = g_strdup_printf ("%" G_GINT64_FORMAT, report->start + 60);
      g_autofree char *json = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GString) text = g_string_new (bad[i]);

      g_string_replace (text, "%s", when, 1);
      json = g_strdup (text->str);
      node = json_from_string (json, &error);
      g_assert_no_error (error);
      g_assert_false (np_day_report_set_approvals (report, json_node_get_array (node), &error));
      g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT);
      g_clear_error (&error);
      g_assert_null (report->approvals);
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->pg = np_test_postgres_get_shared ();
  np_test_postgres_create_role (f->pg, "team_owner", "");
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

int
main (int    argc,
      char **argv)
{
  np_test_init (&argc, &argv);
  gtk_init ();

  g_test_add ("/team-day-report/approvals", Fixture, NULL, fixture_setup, test_day_report_approvals,
              fixture_teardown);
  g_test_add_func ("/team-day-report/approvals-refused", test_day_report_approvals_refused);

  return g_test_run ();
}
