/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-day-report.c — assembling the end-of-day report from the ledger (see
 * np-day-report.h for what each figure means). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "np-csv.h"
#include "np-day-report.h"
#include "np-ledger-private.h"
#include "np-money.h"

static void
totals_free (NpDayTotals *totals)
{
  g_free (totals->currency);
  g_free (totals);
}

static void
operation_free (NpDayOperation *op)
{
  g_free (op->who);
  g_free (op->operation);
  g_free (op->object_id);
  g_free (op->currency);
  g_free (op->reason);
  g_free (op->outcome);
  g_free (op);
}

static void
approval_free (NpDayApproval *approval)
{
  g_free (approval->decision);
  g_free (approval->object_id);
  g_free (approval->currency);
  g_free (approval->requester);
  g_free (approval->approver);
  g_free (approval->comment);
  g_free (approval);
}

void
np_day_report_free (NpDayReport *report)
{
  g_free (report->account_name);
  g_clear_pointer (&report->totals, g_ptr_array_unref);
  g_clear_pointer (&report->operations, g_ptr_array_unref);
  g_clear_pointer (&report->open_unknown, g_ptr_array_unref);
  g_clear_pointer (&report->approvals, g_ptr_array_unref);
  g_free (report->head_hash);
  g_free (report->team_head_hash);
  g_free (report);
}

static NpDayTotals *
totals_for (NpDayReport *report,
            const char  *currency)
{
  NpDayTotals *totals;

  for (guint i = 0; i < report->totals->len; i++)
    {
      totals = g_ptr_array_index (report->totals, i);
      if (g_strcmp0 (totals->currency, currency) == 0)
        return totals;
    }

  totals = g_new0 (NpDayTotals, 1);
  totals->currency = g_strdup (currency);
  g_ptr_array_add (report->totals, totals);
  return totals;
}

/* What the operation's details name: a refund what it asked, else the amount. */
static gint64
details_amount (JsonObject  *details,
                const char **out_currency)
{
  JsonNode *node;

  *out_currency = json_object_get_string_member_with_default (details, "currency", NULL);
  if (*out_currency == NULL)
    return -1;

  node = json_object_get_member (details, "refund_amount");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (node != NULL)
    {
      /* "remaining" */
      gint64 amount = json_object_get_int_member_with_default (details, "amount", -1);
      gint64 before = json_object_get_int_member_with_default (details, "refunded_before", 0);

      return amount >= 0 && before >= 0 && before <= amount ? amount - before : -1;
    }
  node = json_object_get_member (details, "amount");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  return -1;
}

static NpDayOperation *
read_operation (sqlite3_stmt *stmt)
{
  NpDayOperation *op = g_new0 (NpDayOperation, 1);
  const char *details = (const char *)sqlite3_column_text (stmt, 5);
  const char *desk = (const char *)sqlite3_column_text (stmt, 6);
  const char *os_user = (const char *)sqlite3_column_text (stmt, 7);
  g_autoptr(JsonNode) node = details ? json_from_string (details, NULL) : NULL;

  op->entry_id = sqlite3_column_int64 (stmt, 0);
  op->started = sqlite3_column_int64 (stmt, 1);
  op->operation = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
  op->object_id = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
  op->outcome = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
  op->amount = -1;
  if (desk != NULL)
    op->who = os_user != NULL ? g_strdup_printf ("%s (%s)", desk, os_user) : g_strdup (desk);

  /* Details are ours, but a ledger file is anyone's: only well-typed members count. */
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      const char *currency = NULL;

      op->amount = details_amount (object, &currency);
      op->currency = g_strdup (currency);
      op->reason = g_strdup (json_object_get_string_member_with_default (object, "reason", NULL));
    }

  return op;
}

static gboolean
read_operations (NpLedger     *ledger,
                 const char   *sql,
                 NpDayReport  *report,
                 GPtrArray    *into,
                 GError      **error)
{
  sqlite3_stmt *stmt = np_ledger_statement (ledger, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->account_id);
  sqlite3_bind_int64 (stmt, 2, report->start);
  sqlite3_bind_int64 (stmt, 3, report->end);
  while ((rc = np_ledger_step (ledger, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (into, read_operation (stmt));
  return rc >= 0;
}

#define OPERATION_COLUMNS "id, started, operation, object_id, state, details, desk, os_user"

static gboolean
read_checkout_totals (NpLedger     *ledger,
                      NpDayReport  *report,
                      GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = np_ledger_statement (ledger,
                              "SELECT currency, count(*), total (amount),"
                              "  count(*) FILTER (WHERE status IN (?4, ?5, ?6)),"
                              "  total (amount) FILTER (WHERE status IN (?4, ?5, ?6))"
                              " FROM checkouts"
                              " WHERE account_id = ?1 AND created >= ?2 AND created < ?3 AND deleted = 0"
                              "   AND currency IS NOT NULL"
                              " GROUP BY currency ORDER BY currency", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->account_id);
  sqlite3_bind_int64 (stmt, 2, report->start);
  sqlite3_bind_int64 (stmt, 3, report->end);
  sqlite3_bind_int (stmt, 4, NP_CHECKOUT_STATUS_PAID);
  sqlite3_bind_int (stmt, 5, NP_CHECKOUT_STATUS_REFUNDED);
  sqlite3_bind_int (stmt, 6, NP_CHECKOUT_STATUS_PARTIAL_REFUND);
  while ((rc = np_ledger_step (ledger, stmt, error)) == SQLITE_ROW)
    {
      NpDayTotals *totals = totals_for (report, (const char *)sqlite3_column_text (stmt, 0));

      totals->n_created = sqlite3_column_int (stmt, 1);
      totals->created = sqlite3_column_int64 (stmt, 2);
      totals->n_paid = sqlite3_column_int (stmt, 3);
      totals->paid = sqlite3_column_int64 (stmt, 4);
    }
  return rc >= 0;
}

static int
compare_totals (gconstpointer a,
                gconstpointer b)
{
  const NpDayTotals *x = *(NpDayTotals * const *)a;
  const NpDayTotals *y = *(NpDayTotals * const *)b;

  return g_strcmp0 (x->currency, y->currency);
}

NpDayReport *
np_day_report_build (NpLedger    *ledger,
                     gint64       account_id,
                     const GDate *day,
                     GTimeZone   *tz,
                     GError     **error)
{
  g_autoptr(NpDayReport) report = g_new0 (NpDayReport, 1);
  g_autoptr(NpAccount) account = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  g_return_val_if_fail (NP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (g_date_valid (day), NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  account = np_ledger_get_account (ledger, account_id, error);
  if (account == NULL)
    return NULL;

  report->account_id = account_id;
  report->account_name = g_strdup (np_account_get_name (account));
  report->day = *day;
  /* Local midnight to the next local midnight: 23, 24 or 25 hours. */
  start = g_date_time_new (tz, g_date_get_year (day), g_date_get_month (day), g_date_get_day (day), 0, 0, 0);
  end = g_date_time_add_days (start, 1);
  report->start = g_date_time_to_unix (start);
  report->end = g_date_time_to_unix (end);
  report->totals = g_ptr_array_new_with_free_func ((GDestroyNotify)totals_free);
  report->operations = g_ptr_array_new_with_free_func ((GDestroyNotify)operation_free);
  report->open_unknown = g_ptr_array_new_with_free_func ((GDestroyNotify)operation_free);

  if (!read_checkout_totals (ledger, report, error) ||
      !read_operations (ledger,
                        "SELECT " OPERATION_COLUMNS " FROM journal"
                        /* Money operations only: a refresh moved none (it is in Activity's export). */
                        " WHERE account_id = ?1 AND started >= ?2 AND started < ?3 AND operation <> 'refresh'"
                        " ORDER BY started, id",
                        report, report->operations, error) ||
      !read_operations (ledger,
                        "SELECT " OPERATION_COLUMNS " FROM journal"
                        " WHERE account_id = ?1 AND state = 'unknown' AND settled IS NULL AND started < ?3"
                        "   AND operation <> 'refresh'"
                        "   AND ?2 = ?2 ORDER BY started, id",
                        report, report->open_unknown, error))
    return NULL;

  for (guint i = 0; i < report->operations->len; i++)
    {
      NpDayOperation *op = g_ptr_array_index (report->operations, i);
      NpDayTotals *totals;

      if (g_strcmp0 (op->operation, "refund") != 0 || g_strcmp0 (op->outcome, "succeeded") != 0 ||
          op->currency == NULL || op->amount < 0)
        continue;
      totals = totals_for (report, op->currency);
      totals->n_refunds++;
      totals->refunded += op->amount;
    }
  for (guint i = 0; i < report->totals->len; i++)
    {
      NpDayTotals *totals = g_ptr_array_index (report->totals, i);

      totals->net = totals->paid - totals->refunded;
    }
  g_ptr_array_sort (report->totals, compare_totals);

  /* The approvals live in the team ledger: np_day_report_set_approvals (). */

  report->head_hash = np_ledger_chain_head (ledger, account_id, error);
  if (report->head_hash == NULL)
    return NULL;

  return g_steal_pointer (&report);
}

/* A member that is a string, or NULL (absent or null) when @optional. */
static gboolean
member_string (JsonObject  *object,
               const char  *name,
               gboolean     optional,
               const char **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return optional;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
member_int (JsonObject *object,
            const char *name,
            gint64      minimum,
            gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return *out >= minimum;
}

/* One element of the team ledger's answer, checked: it came over the network. */
static NpDayApproval *
approval_from_json (JsonNode *node)
{
  g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func ((GDestroyNotify) approval_free);
  NpDayApproval *approval = g_new0 (NpDayApproval, 1);
  const char *decision, *object_id, *currency, *requester, *approver, *comment;
  JsonObject *object;

  g_ptr_array_add (holder, approval);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  if (!member_int (object, "request_id", 1, &approval->request_id) ||
      !member_int (object, "decided", 0, &approval->decided) ||
      !member_int (object, "amount", 1, &approval->amount) ||
      !member_string (object, "decision", FALSE, &decision) ||
      !member_string (object, "object_id", FALSE, &object_id) ||
      !member_string (object, "currency", FALSE, &currency) ||
      !member_string (object, "requester", FALSE, &requester) ||
      !member_string (object, "approver", TRUE, &approver) ||
      !member_string (object, "comment", TRUE, &comment))
    return NULL;
  if (!g_strv_contains ((const char *[]) { "approved", "rejected", "withdrawn", "expired", NULL }, decision) ||
      !np_money_currency_is_known (currency) ||
      (approver == NULL) != g_str_equal (decision, "expired"))
    return NULL;

  approval->decision = g_strdup (decision);
  approval->object_id = g_strdup (object_id);
  approval->currency = g_strdup (currency);
  approval->requester = g_strdup (requester);
  approval->approver = g_strdup (approver);
  approval->comment = g_strdup (comment);
  return g_ptr_array_steal_index (holder, 0);
}

static int
compare_approvals (gconstpointer a,
                   gconstpointer b)
{
  const NpDayApproval *x = *(NpDayApproval * const *) a;
  const NpDayApproval *y = *(NpDayApproval * const *) b;

  if (x->decided != y->decided)
    return x->decided < y->decided ? -1 : 1;
  return x->request_id < y->request_id ? -1 : x->request_id > y->request_id;
}

gboolean
np_day_report_set_approvals (NpDayReport  *report,
                             JsonArray    *approvals,
                             GError      **error)
{
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func ((GDestroyNotify) approval_free);

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (approvals != NULL, FALSE);

  for (guint i = 0; i < json_array_get_length (approvals); i++)
    {
      NpDayApproval *approval = approval_from_json (json_array_get_element (approvals, i));

      if (approval == NULL)
        {
          g_set_error_literal (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT,
                               _("The team ledger sent an approval the report cannot use: nothing was added."));
          return FALSE;
        }
      if (approval->decided < report->start || approval->decided >= report->end)
        approval_free (approval);
      else
        g_ptr_array_add (taken, approval);
    }

  g_ptr_array_sort (taken, compare_approvals);
  g_clear_pointer (&report->approvals, g_ptr_array_unref);
  report->approvals = g_steal_pointer (&taken);
  return TRUE;
}

static gboolean
is_sha256_hex (const char *hash)
{
  gsize n = 0;

  for (; hash[n] != '\0'; n++)
    if (!g_ascii_isdigit (hash[n]) && (hash[n] < 'a' || hash[n] > 'f'))
      return FALSE;
  return n == 64;
}

gboolean
np_day_report_set_team_head (NpDayReport  *report,
                             gint64        seq,
                             const char   *hash,
                             GError      **error)
{
  g_return_val_if_fail (report != NULL, FALSE);

  /* From the network: a place and a hash that agree, or nothing is taken. */
  if (hash == NULL || seq < 0 || (seq == 0) != (hash[0] == '\0') || (seq > 0 && !is_sha256_hex (hash)))
    {
      g_set_error_literal (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CONSTRAINT,
                           _("The team ledger sent an audit chain head the report cannot use: nothing was added."));
      return FALSE;
    }
  report->team_head_seq = seq;
  g_free (report->team_head_hash);
  report->team_head_hash = g_strdup (hash);
  return TRUE;
}

char *
np_day_report_format_range (const NpDayReport *report)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (report->start);
  g_autoptr(GDateTime) end = g_date_time_new_from_unix_utc (report->end);
  g_autofree char *a = g_date_time_format (start, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *b = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");

  return g_strdup_printf ("%s – %s", a, b);
}

/* np-csv appends a field's text; the commas between fields are ours. */
static void
separate (GString *csv)
{
  if (csv->len > 0 && csv->str[csv->len - 1] != '\n')
    g_string_append_c (csv, ',');
}

static void
field (GString    *csv,
       const char *value)
{
  separate (csv);
  np_csv_append_field (csv, value);
}

static void
number (GString    *csv,
        const char *value)
{
  separate (csv);
  np_csv_append_number (csv, value);
}

static void
append_amount (GString    *line,
               gint64      amount,
               const char *currency)
{
  g_autofree char *plain = NULL;

  if (amount < 0 || currency == NULL)
    {
      field (line, NULL);
      return;
    }
  plain = np_money_format_plain (amount, currency);
  number (line, plain);
}

static void
append_operation (GString              *csv,
                  const char           *section,
                  const NpDayOperation *op)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (op->started);
  g_autofree char *when = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, op->entry_id);

  field (csv, section);
  number (csv, id);
  field (csv, when);
  field (csv, op->who);
  field (csv, op->operation);
  field (csv, op->object_id);
  append_amount (csv, op->amount, op->currency);
  field (csv, op->currency);
  field (csv, op->reason);
  field (csv, op->outcome);
  g_string_append (csv, "\r\n");
}

char *
np_day_report_to_csv (const NpDayReport *report)
{
  GString *csv = g_string_new (NULL);
  g_autofree char *range = np_day_report_format_range (report);

  /* Column names are a file format, not shown text: not translated. */
  g_string_append (csv, "section,currency,created_count,created,paid_count,paid,refund_count,refunded,net\r\n");
  for (guint i = 0; i < report->totals->len; i++)
    {
      NpDayTotals *t = g_ptr_array_index (report->totals, i);
      g_autofree char *n_created = g_strdup_printf ("%u", t->n_created);
      g_autofree char *n_paid = g_strdup_printf ("%u", t->n_paid);
      g_autofree char *n_refunds = g_strdup_printf ("%u", t->n_refunds);

      field (csv, "totals");
      field (csv, t->currency);
      number (csv, n_created);
      append_amount (csv, t->created, t->currency);
      number (csv, n_paid);
      append_amount (csv, t->paid, t->currency);
      number (csv, n_refunds);
      append_amount (csv, t->refunded, t->currency);
      /* net may be negative: np_money_format_plain () keeps the sign. */
      {
        g_autofree char *net = np_money_format_plain (t->net, t->currency);
        number (csv, net);
      }
      g_string_append (csv, "\r\n");
    }

  g_string_append (csv, "section,id,started_utc,who,operation,object_id,amount,currency,reason,outcome\r\n");
  for (guint i = 0; i < report->operations->len; i++)
    append_operation (csv, "operation", g_ptr_array_index (report->operations, i));
  for (guint i = 0; i < report->open_unknown->len; i++)
    append_operation (csv, "unknown-open", g_ptr_array_index (report->open_unknown, i));

  if (report->approvals != NULL)
    {
      g_string_append (csv, "section,request_id,decided_utc,decision,object_id,amount,currency,requester,approver,"
                            "comment\r\n");
      for (guint i = 0; i < report->approvals->len; i++)
        {
          NpDayApproval *a = g_ptr_array_index (report->approvals, i);
          g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (a->decided);
          g_autofree char *when = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, a->request_id);

          field (csv, "approval");
          number (csv, id);
          field (csv, when);
          field (csv, a->decision);
          field (csv, a->object_id);
          append_amount (csv, a->amount, a->currency);
          field (csv, a->currency);
          field (csv, a->requester);
          field (csv, a->approver);
          field (csv, a->comment);
          g_string_append (csv, "\r\n");
        }
    }

  g_string_append (csv, "section,value\r\n");
  field (csv, "utc-range");
  field (csv, range);
  g_string_append (csv, "\r\n");
  field (csv, "audit-head");
  field (csv, report->head_hash);
  g_string_append (csv, "\r\n");
  if (report->team_head_hash != NULL)
    {
      g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, report->team_head_seq);

      /* Team mode: the team chain's head, its place and its hash, as in the footer. */
      field (csv, "team-audit-head-seq");
      number (csv, seq);
      g_string_append (csv, "\r\n");
      field (csv, "team-audit-head");
      field (csv, report->team_head_hash);
      g_string_append (csv, "\r\n");
    }

  return g_string_free (csv, FALSE);
}
