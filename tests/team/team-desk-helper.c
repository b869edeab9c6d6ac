/* SPDX-License-Identifier: GPL-3.0-or-later */
/* team-desk-helper.c — one desk of a team, as its own process, driven by lines.
 *
 * Usage: np-team-desk-helper DESK TARGET|- BASE-URL LEASE-SECONDS   ("-": a local-only desk, no join)
 * The team ledger's password and the API key come on the first two lines of
 * stdin (never in argv, which other users can read). The ledger is at the
 * default path of this process's XDG_DATA_HOME (the driver gives each desk its
 * own). The desk adds the account "Shop" (BASE-URL, the key) unless it has it,
 * prints "resume-from N" (the last team change its ledger applied), joins TARGET
 * as DESK and prints "online". Then, one command a line, each answered on stdout:
 *   create AMOUNT          -> "created ID REALTIME-US" (journalled, shared)
 *   watch-next             -> "watching", then "seen ID REALTIME-US" when a new checkout arrives
 *   refund ID              -> "refund ID ok" | "refund ID locked MESSAGE" | "refund ID error MESSAGE"
 *   wait-journal ID STATE  -> "journal ID STATE SETTLED" when a local journal row of ID is in STATE
 *   lookup ID              -> "looked-up ID STATUS"
 *   has ID                 -> "has ID yes|no"          whether the local ledger (the lists' cache) has it
 *   add-account NAME KEY   -> "added NAME"             a test account on the sandbox, with its key
 *   wait-account NAME      -> "account NAME lacks-key=yes|no" once the desk knows the account
 *   set-key NAME KEY       -> "key-set NAME"           as the account editor stores a key
 *   wait-lacks-key NAME yes|no -> "lacks-key NAME yes|no"
 *   test-connection TARGET PASSWORD -> "tested ok" | "tested error CODE MESSAGE" (NP_TEAM_LEDGER_ERROR code)
 *   team-password TARGET   -> "team-password present|absent" in the keyring
 *   leave                  -> "left"
 *   join TARGET PASSWORD   -> "joined" | "join-error MESSAGE"  (as the join form does, after a leave)
 *   journal-count ID       -> "journal-count ID N"    the local journal's 'create' rows of ID (this desk's and others')
 *   verify-local           -> "verified-local N" | "verify-local-failed MESSAGE"  the local audit chain of "Shop"
 *   settings               -> "settings target=… desk=…"
 * wait-journal's answer ends with "desk=NAME" for another desk's row, "desk=(this)" for its own.
 *   wait-state STATE       -> "state STATE TEXT"       when the team state is STATE (off, offline, online...)
 *   refund-amount ID AMOUNT -> as refund, or "refund ID approval-required MESSAGE" (a request was made instead)
 *   set-limit CURRENCY AMOUNT LIFETIME-SECONDS -> "limit-set" | "limit-failed MESSAGE"
 *   requests               -> "requests N" then one "request ID OBJECT AMOUNT STATE DESK" a line, newest first
 *   approve REQUEST ID AMOUNT -> "approve REQUEST ok" | "approve REQUEST refused MESSAGE"
 *   reject REQUEST | withdraw REQUEST -> "decided REQUEST ok" | "decided REQUEST refused MESSAGE"
 *   wait-status ID STATUS  -> "status ID STATUS JSON" when the local ledger has ID in STATUS
 *   wait-customer ID       -> "customer ID"            when the local ledger has customer ID (of "Shop")
 *   wait-checkout-in NAME ID -> "checkout-in NAME ID"  when the local ledger has checkout ID of account NAME
 *   count                  -> "count N"                the checkouts in the local ledger
 *   sqlite-memory          -> "sqlite-memory BYTES"    what SQLite holds in this process now
 *   json ID                -> "json ID JSON|none"      the local ledger's JSON of ID
 *   wait-refresh ID        -> "refresh ID STATE desk=NAME|(this)" once a local 'refresh' journal row of ID is finished
 *   verify-team            -> "verified N" | "verify-failed MESSAGE"  the team ledger's audit chain of "Shop"
 *   hold-online            -> "holding"; then, the next time the desk becomes ONLINE, "held online", and the
 *                             desk waits right there (in the state's notification) until the line "release"
 *   quit
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <sqlite3.h>

#include "np-team-keyring.h"
#include "np-workspace.h"

static NpWorkspace *ws;
static NpAccounts *accounts;
static const char *base_url;
static NpLedger *ledger;
static NpTeamSync *team_sync;
static gint64 account_id;
static const char *desk_name;
static gboolean hold_online;   /* hold-online: held at the next ONLINE */

static void
say (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* Conditions the driver waits on are checked at every ledger change. */
typedef struct {
  char *kind;      /* "watch", "journal", "state" */
  char *id;
  char *state;
} Watch;

static GPtrArray *watches;

static void
watch_free (Watch *watch)
{
  g_free (watch->kind);
  g_free (watch->id);
  g_free (watch->state);
  g_free (watch);
}

static gboolean
watch_done (Watch *watch)
{
  if (g_str_equal (watch->kind, "next"))
    {
      guint count = 0;
      g_autoptr(GPtrArray) newest = NULL;

      np_ledger_count_checkouts (ledger, account_id, NULL, &count, NULL);
      if (count <= (guint) g_ascii_strtoull (watch->state, NULL, 10))
        return FALSE;
      newest = np_ledger_list_checkouts (ledger, account_id, NULL, 0, 1, NULL);
      say ("seen %s %" G_GINT64_FORMAT, np_checkout_row_get_checkout_id (g_ptr_array_index (newest, 0)),
           g_get_real_time ());
      return TRUE;
    }
  if (g_str_equal (watch->kind, "journal"))
    {
      g_autoptr(GPtrArray) entries = np_ledger_journal_list (ledger, account_id, NULL, 0, G_MAXUINT, NULL);

      for (guint i = 0; entries != NULL && i < entries->len; i++)
        {
          NpJournalEntry *entry = g_ptr_array_index (entries, i);

          if (g_strcmp0 (np_journal_entry_get_object_id (entry), watch->id) == 0 &&
              g_str_equal (np_journal_state_to_string (np_journal_entry_get_state (entry)), watch->state))
            {
              say ("journal %s %s %s desk=%s", watch->id, watch->state,
                   np_journal_entry_get_settled (entry) != NULL ? "settled" : "unsettled",
                   np_journal_entry_get_desk (entry) != NULL ? np_journal_entry_get_desk (entry) : "(this)");
              return TRUE;
            }
        }
      return FALSE;
    }
  if (g_str_equal (watch->kind, "refresh"))
    {
      g_autoptr(GPtrArray) entries = np_ledger_journal_list (ledger, account_id, NULL, 0, G_MAXUINT, NULL);

      for (guint i = 0; entries != NULL && i < entries->len; i++)
        {
          NpJournalEntry *entry = g_ptr_array_index (entries, i);

          /* In team mode the row is pending until the team journal has it. */
          if (g_strcmp0 (np_journal_entry_get_object_id (entry), watch->id) == 0 &&
              np_journal_entry_get_operation (entry) == NP_JOURNAL_OPERATION_REFRESH &&
              np_journal_entry_get_state (entry) != NP_JOURNAL_STATE_PENDING)
            {
              say ("refresh %s %s desk=%s", watch->id, np_journal_state_to_string (np_journal_entry_get_state (entry)),
                   np_journal_entry_get_desk (entry) != NULL ? np_journal_entry_get_desk (entry) : "(this)");
              return TRUE;
            }
        }
      return FALSE;
    }
  if (g_str_equal (watch->kind, "account"))
    {
      NpAccount *account = np_accounts_find_by_name (accounts, watch->id);

      if (account == NULL)
        return FALSE;
      say ("account %s lacks-key=%s", watch->id,
           np_team_sync_account_lacks_key (team_sync, np_account_get_id (account)) ? "yes" : "no");
      return TRUE;
    }
  if (g_str_equal (watch->kind, "key"))
    {
      NpAccount *account = np_accounts_find_by_name (accounts, watch->id);

      if (account == NULL ||
          np_team_sync_account_lacks_key (team_sync, np_account_get_id (account)) != g_str_equal (watch->state, "yes"))
        return FALSE;
      say ("lacks-key %s %s", watch->id, watch->state);
      return TRUE;
    }
  if (g_str_equal (watch->kind, "customer"))
    {
      g_autoptr(NpCustomer) customer = np_ledger_get_customer (ledger, account_id, watch->id, NULL);

      if (customer == NULL)
        return FALSE;
      say ("customer %s", watch->id);
      return TRUE;
    }
  if (g_str_equal (watch->kind, "checkout-in"))
    {
      NpAccount *account = np_accounts_find_by_name (accounts, watch->id);
      g_autoptr(NpCheckout) checkout = account != NULL ? np_ledger_get_checkout (ledger, np_account_get_id (account),
                                                                                 watch->state, NULL)
                                                        : NULL;

      if (checkout == NULL)
        return FALSE;
      say ("checkout-in %s %s", watch->id, watch->state);
      return TRUE;
    }
  if (g_str_equal (watch->kind, "status"))
    {
      g_autoptr(NpCheckout) checkout = np_ledger_get_checkout (ledger, account_id, watch->id, NULL);
      g_autofree char *json = NULL;

      if (checkout == NULL || g_strcmp0 (np_checkout_get_status_text (checkout), watch->state) != 0)
        return FALSE;
      json = np_checkout_to_json (checkout, FALSE);
      say ("status %s %s %s", watch->id, watch->state, json);
      return TRUE;
    }
  if (g_str_equal (watch->kind, "state"))
    {
      g_autoptr(GEnumClass) states = g_type_class_ref (NP_TYPE_TEAM_STATE);
      GEnumValue *value = g_enum_get_value (states, np_team_sync_get_state (team_sync));

      if (!g_str_equal (value->value_nick, watch->state))
        return FALSE;
      say ("state %s %s", watch->state, np_team_sync_get_status_text (team_sync) ?: "");
      return TRUE;
    }
  return TRUE;
}

static void
check_watches (void)
{
  for (guint i = 0; i < watches->len; i++)
    if (watch_done (g_ptr_array_index (watches, i)))
      g_ptr_array_remove_index (watches, i--);
}

static void
add_watch (const char *kind,
           const char *id,
           const char *state)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->kind = g_strdup (kind);
  watch->id = g_strdup (id);
  watch->state = g_strdup (state);
  g_ptr_array_add (watches, watch);
  check_watches ();
}

static void
refunded (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree char *id = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = np_workspace_checkout_finish (ws, result, &error);

  if (checkout != NULL)
    say ("refund %s ok", id);
  else if (g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_LOCKED))
    say ("refund %s locked %s", id, error->message);
  else
    say ("refund %s error %s", id, error->message);
}

static void
refunded_or_requested (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autofree char *id = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = np_workspace_checkout_finish (ws, result, &error);

  if (checkout != NULL)
    say ("refund %s ok", id);
  else if (g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REQUIRED))
    say ("refund %s approval-required %s", id, error->message);
  else
    say ("refund %s failed %s", id, error->message);
}

static void
approved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree char *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = np_workspace_checkout_finish (ws, result, &error);

  if (checkout != NULL)
    say ("approve %s ok", request);
  else
    say ("approve %s refused %s", request, error->message);
}

static void
decided (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autofree char *request = user_data;
  g_autoptr(GError) error = NULL;

  if (np_team_sync_decide_request_finish (team_sync, result, &error) > 0)
    say ("decided %s ok", request);
  else
    say ("decided %s refused %s", request, error->message);
}

static void
limit_set (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (np_team_sync_set_approval_limit_finish (team_sync, result, &error))
    say ("limit-set");
  else
    say ("limit-failed %s", error->message);
}

static void
requests_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) requests = np_team_sync_list_refund_requests_finish (team_sync, result, &error);

  if (requests == NULL)
    {
      say ("requests-failed %s", error->message);
      return;
    }
  say ("requests %u", json_array_get_length (requests));
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);

      say ("request %" G_GINT64_FORMAT " %s %" G_GINT64_FORMAT " %s %s", json_object_get_int_member (r, "id"),
           json_object_get_string_member (r, "object_id"), json_object_get_int_member (r, "amount"),
           json_object_get_string_member (r, "state"), json_object_get_string_member (r, "desk"));
    }
}

/* The approval commands take more words than run_command splits into. */
static gboolean
run_approval_command (const char *line)
{
  g_auto(GStrv) w = g_strsplit (line, " ", -1);
  guint n = g_strv_length (w);

  if (g_str_equal (w[0], "refund-amount") && n == 3)
    np_workspace_refund_checkout_async (ws, w[1], g_ascii_strtoll (w[2], NULL, 10), "duplicate", NULL, NULL,
                                        refunded_or_requested, g_strdup (w[1]));
  else if (g_str_equal (w[0], "set-limit") && n == 4)
    np_team_sync_set_approval_limit_async (team_sync, account_id, w[1], g_ascii_strtoll (w[2], NULL, 10),
                                           g_ascii_strtoll (w[3], NULL, 10), NULL, limit_set, NULL);
  else if (g_str_equal (w[0], "requests") && n == 1)
    np_team_sync_list_refund_requests_async (team_sync, account_id, FALSE, NULL, requests_listed, NULL);
  else if (g_str_equal (w[0], "approve") && n == 4)
    np_workspace_approve_refund_async (ws, g_ascii_strtoll (w[1], NULL, 10), "checked", w[2],
                                       g_ascii_strtoll (w[3], NULL, 10), "duplicate", NULL, NULL,
                                       approved, g_strdup (w[1]));
  else if ((g_str_equal (w[0], "reject") || g_str_equal (w[0], "withdraw")) && n == 2)
    np_team_sync_decide_request_async (team_sync, g_ascii_strtoll (w[1], NULL, 10),
                                       g_str_equal (w[0], "reject") ? NP_TEAM_DECISION_REJECT
                                                                    : NP_TEAM_DECISION_WITHDRAW,
                                       "no", NULL, decided, g_strdup (w[1]));
  else
    return FALSE;
  return TRUE;
}

static void
created (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = np_workspace_checkout_finish (ws, result, &error);

  if (checkout != NULL)
    say ("created %s %" G_GINT64_FORMAT, np_checkout_get_id (checkout), g_get_real_time ());
  else
    say ("create-error %s", error->message);
}

static void
looked_up (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree char *id = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = np_workspace_checkout_finish (ws, result, &error);

  say ("looked-up %s %s", id, checkout != NULL ? np_checkout_get_status_text (checkout) : error->message);
}

static void
account_added (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *name = user_data;
  g_autoptr(GError) error = NULL;

  if (np_accounts_add_finish (accounts, result, &error))
    say ("added %s", name);
  else
    say ("add-error %s", error->message);
}

static void
key_set (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autofree char *name = user_data;
  g_autoptr(GError) error = NULL;

  if (np_accounts_update_finish (accounts, result, &error))
    say ("key-set %s", name);
  else
    say ("key-error %s", error->message);
}

static void
tested (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (np_team_sync_test_finish (team_sync, result, &error))
    say ("tested ok");
  else
    {
      say ("tested error %d %s", error->domain == NP_TEAM_LEDGER_ERROR ? error->code : -1, error->message);
    }
}

static void
password_looked_up (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  char *password = np_team_keyring_lookup_finish (result, &error);

  say ("team-password %s", password != NULL ? "present" : error != NULL ? error->message : "absent");
  if (password != NULL)
    secret_password_free (password);
}

static void
team_verified (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint n_rows = 0;

  if (np_team_sync_verify_chain_finish (NP_TEAM_SYNC (source), result, &n_rows, NULL, &error))
    say ("verified %u", n_rows);
  else
    say ("verify-failed %s", error->message);
}

static void
joined (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (np_team_sync_join_finish (NP_TEAM_SYNC (source), result, &error))
    say ("joined");
  else
    say ("join-error %s", error->message);
}

/* The end-of-day report's team parts, as the Activity page fills them:
 * "day-report <approvals> <team chain place> <team chain hash>". */
static void
day_report_filled (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(NpDayReport) report = user_data;
  g_autoptr(GError) error = NULL;

  if (np_team_sync_fill_day_report_finish (NP_TEAM_SYNC (source), result, &error))
    say ("day-report %u %" G_GINT64_FORMAT " %s", report->approvals->len, report->team_head_seq,
         report->team_head_hash);
  else
    say ("day-report-failed %s", error->message);
}

static void
fill_day_report (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GError) error = NULL;
  NpDayReport *report;
  GDate day;

  g_date_set_dmy (&day, g_date_time_get_day_of_month (now), g_date_time_get_month (now), g_date_time_get_year (now));
  report = np_day_report_build (ledger, account_id, &day, tz, &error);
  if (report == NULL)
    {
      say ("day-report-failed %s", error->message);
      return;
    }
  np_team_sync_fill_day_report_async (team_sync, account_id, report, NULL, day_report_filled, report);
}

static void
run_command (char *line)
{
  g_auto(GStrv) words = g_strsplit (g_strstrip (line), " ", 3);
  guint n = g_strv_length (words);

  if (n == 0)
    return;
  if (run_approval_command (line))
    return;
  if (g_str_equal (words[0], "quit"))
    exit (0);
  if (g_str_equal (words[0], "create") && n == 2)
    {
      NpCheckoutDraft draft = { .amount = g_ascii_strtoll (words[1], NULL, 10), .currency = (char *) "SEK", .message = (char *) "Team test",
                                .capture = TRUE, .allow_save_card = TRUE };

      np_workspace_create_checkout_async (ws, &draft, NULL, created, NULL);
    }
  else if (g_str_equal (words[0], "watch-next"))
    {
      guint count = 0;
      g_autofree char *known = NULL;

      np_ledger_count_checkouts (ledger, account_id, NULL, &count, NULL);
      known = g_strdup_printf ("%u", count);
      say ("watching");
      add_watch ("next", NULL, known);
    }
  else if (g_str_equal (words[0], "refund") && n == 2)
    np_workspace_refund_checkout_async (ws, words[1], 100, NULL, NULL, NULL, refunded, g_strdup (words[1]));
  else if (g_str_equal (words[0], "wait-journal") && n == 3)
    add_watch ("journal", words[1], words[2]);
  else if (g_str_equal (words[0], "wait-state") && n == 2)
    add_watch ("state", NULL, words[1]);
  else if (g_str_equal (words[0], "hold-online"))
    {
      hold_online = TRUE;
      say ("holding");
    }
  else if (g_str_equal (words[0], "add-account") && n == 3)
    {
      g_autoptr(NpAccount) account = np_account_new (words[1], base_url, NP_ENVIRONMENT_TEST);

      np_accounts_add_async (accounts, account, words[2], NULL, account_added, g_strdup (words[1]));
    }
  else if (g_str_equal (words[0], "set-key") && n == 3)
    np_accounts_update_async (accounts, np_accounts_find_by_name (accounts, words[1]), words[2], NULL,
                              key_set, g_strdup (words[1]));
  else if (g_str_equal (words[0], "wait-account") && n == 2)
    add_watch ("account", words[1], NULL);
  else if (g_str_equal (words[0], "wait-lacks-key") && n == 3)
    add_watch ("key", words[1], words[2]);
  else if (g_str_equal (words[0], "test-connection") && n == 3)
    np_team_sync_test_async (team_sync, words[1], words[2], NULL, tested, NULL);
  else if (g_str_equal (words[0], "team-password") && n == 2)
    np_team_keyring_lookup_async (np_ledger_get_id (ledger), words[1], NULL, password_looked_up, NULL);
  else if (g_str_equal (words[0], "leave"))
    {
      np_team_sync_leave (team_sync);
      say ("left");
    }
  else if (g_str_equal (words[0], "join") && n == 3)
    {
      np_team_sync_join_async (team_sync, words[1], words[2], np_team_sync_get_desk_name (team_sync) ?: desk_name,
                               NULL, joined, NULL);
      explicit_bzero (words[2], strlen (words[2]));
    }
  else if (g_str_equal (words[0], "journal-count") && n == 2)
    {
      g_autoptr(GPtrArray) entries = np_ledger_journal_list (ledger, account_id, NULL, 0, G_MAXUINT, NULL);
      guint count = 0;

      for (guint i = 0; entries != NULL && i < entries->len; i++)
        {
          NpJournalEntry *entry = g_ptr_array_index (entries, i);

          if (g_strcmp0 (np_journal_entry_get_object_id (entry), words[1]) == 0 &&
              np_journal_entry_get_operation (entry) == NP_JOURNAL_OPERATION_CREATE)
            count++;
        }
      say ("journal-count %s %u", words[1], count);
    }
  else if (g_str_equal (words[0], "verify-local"))
    {
      g_autoptr(GError) error = NULL;
      guint n_rows = 0;

      if (np_ledger_verify_chain (ledger, account_id, &n_rows, NULL, NULL, &error))
        say ("verified-local %u", n_rows);
      else
        say ("verify-local-failed %s", error->message);
    }
  else if (g_str_equal (words[0], "settings"))
    {
      g_autoptr(GSettings) settings = g_settings_new ("tech.paiwise.NeuroPayConsole");
      g_autofree char *target = g_settings_get_string (settings, "team-ledger-target");
      g_autofree char *desk = g_settings_get_string (settings, "team-desk-name");

      say ("settings target=%s desk=%s", target, desk);
    }
  else if (g_str_equal (words[0], "has") && n == 2)
    {
      g_autoptr(NpCheckoutRow) row = np_ledger_get_checkout_row (ledger, account_id, words[1], NULL);

      say ("has %s %s", words[1], row != NULL ? "yes" : "no");
    }
  else if (g_str_equal (words[0], "wait-status") && n == 3)
    add_watch ("status", words[1], words[2]);
  else if (g_str_equal (words[0], "wait-customer") && n == 2)
    add_watch ("customer", words[1], NULL);
  else if (g_str_equal (words[0], "wait-checkout-in") && n == 3)
    add_watch ("checkout-in", words[1], words[2]);
  else if (g_str_equal (words[0], "fill") && n == 2)
    {
      /* N checkouts of this desk's own, "local-1" … "local-N", in one write. */
      guint64 n_rows = g_ascii_strtoull (words[1], NULL, 10);
      g_autoptr(GPtrArray) checkouts = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;

      for (guint64 i = 1; i <= n_rows; i++)
        {
          g_autofree char *json = g_strdup_printf ("{\"checkout_id\": \"local-%" G_GUINT64_FORMAT "\", "
                                                   "\"identifier\": \"order-%" G_GUINT64_FORMAT "\", "
                                                   "\"status\": \"%s\", \"amount\": %" G_GUINT64_FORMAT ", "
                                                   "\"currency\": \"SEK\", \"message\": \"Local order\", "
                                                   "\"created\": \"2026-01-02T03:04:05Z\"}",
                                                   i, i, i % 3 == 0 ? "paid" : "expired", 100 + i);
          NpCheckout *checkout = np_checkout_new_from_data (json, -1, &error);

          if (checkout == NULL)
            g_error ("%s", error->message);
          g_ptr_array_add (checkouts, checkout);
        }
      if (!np_ledger_upsert_checkouts (ledger, account_id, checkouts, &error))
        g_error ("%s", error->message);
      say ("filled %u", checkouts->len);
    }
  else if (g_str_equal (words[0], "count"))
    {
      guint count = 0;

      np_ledger_count_checkouts (ledger, account_id, NULL, &count, NULL);
      say ("count %u", count);
    }
  else if (g_str_equal (words[0], "sqlite-memory"))
    {
      sqlite3_int64 used = 0, highwater = 0;

      sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &used, &highwater, FALSE);
      say ("sqlite-memory %" G_GINT64_FORMAT, (gint64) used);
    }
  else if (g_str_equal (words[0], "json") && n == 2)
    {
      g_autoptr(NpCheckout) checkout = np_ledger_get_checkout (ledger, account_id, words[1], NULL);
      g_autofree char *json = checkout != NULL ? np_checkout_to_json (checkout, FALSE) : NULL;

      say ("json %s %s", words[1], json != NULL ? json : "none");
    }
  else if (g_str_equal (words[0], "wait-refresh") && n == 2)
    add_watch ("refresh", words[1], NULL);
  else if (g_str_equal (words[0], "verify-team"))
    np_team_sync_verify_chain_async (team_sync, account_id, NULL, team_verified, NULL);
  else if (g_str_equal (words[0], "day-report"))
    fill_day_report ();
  else if (g_str_equal (words[0], "lookup") && n == 2)
    np_workspace_lookup_checkout_async (ws, words[1], NULL, looked_up, g_strdup (words[1]));
  else
    say ("unknown-command %s", words[0]);
}

static void
line_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);

  if (line == NULL)
    exit (0);
  run_command (line);
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL, line_read, NULL);
}

static void
ledger_changed (void)
{
  check_watches ();
}

/* hold-online: the desk stops where it says ONLINE (its catch-up done) until
 * the test, meanwhile free to commit at the team ledger, says "release". Read
 * off fd 0 byte by byte: the line reader's buffer holds nothing (the test sends
 * no line between "hold-online" and "release"), and its read waits in the main
 * loop, which this blocks. */
static void
state_changed (void)
{
  char line[16];
  gsize length = 0;

  if (!hold_online || np_team_sync_get_state (team_sync) != NP_TEAM_STATE_ONLINE)
    return;
  hold_online = FALSE;
  say ("held online");
  while (length < sizeof line - 1)
    {
      struct pollfd fd = { .fd = 0, .events = POLLIN };
      ssize_t n;

      if (poll (&fd, 1, -1) < 0)
        continue;
      n = read (0, line + length, 1);
      if (n == 0)
        exit (0);
      if (n < 0)
        continue;
      if (line[length] == '\n')
        break;
      length++;
    }
  line[length] = '\0';
  if (!g_str_equal (line, "release"))
    g_error ("held online: expected “release”, got “%s”", line);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpKeyring) keyring = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpAccount) account = NULL;
  g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GDataInputStream) input = g_data_input_stream_new (stdin_stream);
  g_autofree char *password = NULL;
  g_autofree char *api_key = NULL;

  if (argc != 5)
    {
      fprintf (stderr, "Usage: %s DESK TARGET|- BASE-URL LEASE-SECONDS\n", argv[0]);
      return 2;
    }
  password = g_data_input_stream_read_line_utf8 (input, NULL, NULL, NULL);
  api_key = g_data_input_stream_read_line_utf8 (input, NULL, NULL, NULL);
  if (password == NULL || api_key == NULL)
    return 2;

  /* Stdout is the line protocol: GLib's messages (G_MESSAGES_DEBUG too) go to
   * the desk's log with its other words. */
  g_log_writer_default_set_use_stderr (TRUE);
  watches = g_ptr_array_new_with_free_func ((GDestroyNotify) watch_free);
  ledger = np_ledger_open (NULL, &error);
  if (ledger == NULL)
    g_error ("%s", error->message);
  keyring = np_keyring_new (np_ledger_get_id (ledger));
  accounts = np_accounts_new (ledger, keyring);
  ws = np_workspace_new (ledger, accounts);
  team_sync = np_team_sync_new (ledger, accounts);
  np_team_sync_set_lease_seconds (team_sync, (guint) g_ascii_strtoull (argv[4], NULL, 10));
  np_workspace_set_team_sync (ws, team_sync);
  g_signal_connect (ledger, "changed", G_CALLBACK (ledger_changed), NULL);
  g_signal_connect (team_sync, "notify::state", G_CALLBACK (ledger_changed), NULL);
  g_signal_connect (team_sync, "notify::state", G_CALLBACK (state_changed), NULL);
  g_signal_connect (team_sync, "account-keys-changed", G_CALLBACK (ledger_changed), NULL);
  g_signal_connect (accounts, "items-changed", G_CALLBACK (ledger_changed), NULL);
  base_url = argv[3];
  desk_name = argv[1];

  /* Started again on the same home: the account is there already. A local-only
   * desk on a copied ledger has no key for it in this keyring: stored now. */
  if (np_accounts_find_by_name (accounts, "Shop") != NULL)
    {
      account = g_object_ref (np_accounts_find_by_name (accounts, "Shop"));
      if (g_str_equal (argv[2], "-"))
        {
          np_accounts_update_async (accounts, account, api_key, NULL, store_result, &result);
          if (!np_accounts_update_finish (accounts, wait_for (&result), &error))
            g_error ("%s", error->message);
          g_clear_object (&result);
        }
    }
  else
    {
      account = np_account_new ("Shop", argv[3], NP_ENVIRONMENT_TEST);
      np_accounts_add_async (accounts, account, api_key, NULL, store_result, &result);
      if (!np_accounts_add_finish (accounts, wait_for (&result), &error))
        g_error ("%s", error->message);
      g_clear_object (&result);
    }
  account_id = np_account_get_id (account);

  np_workspace_set_account_async (ws, account, NULL, store_result, &result);
  if (!np_workspace_set_account_finish (ws, wait_for (&result), &error))
    g_error ("%s", error->message);
  g_clear_object (&result);

  say ("resume-from %" G_GINT64_FORMAT, np_ledger_get_team_change (ledger));
  /* TARGET "-": a local-only desk (the benches' baseline). */
  if (g_str_equal (argv[2], "-"))
    goto joined;
  np_team_sync_join_async (team_sync, argv[2], password, argv[1], NULL, store_result, &result);
  if (!np_team_sync_join_finish (team_sync, wait_for (&result), &error))
    {
      say ("join-error %s", error->message);
      return 1;
    }
  g_clear_object (&result);
joined:
  memset (password, 0, strlen (password));
  say ("online");

  g_data_input_stream_read_line_async (input, G_PRIORITY_DEFAULT, NULL, line_read, NULL);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
}
