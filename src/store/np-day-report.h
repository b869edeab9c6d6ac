/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-day-report.h — the end-of-day report's data: for one account and one local
 * day, per currency the checkouts created, paid, refunded and net; every
 * operation with who, when, amount, reason and outcome; the unknown outcomes
 * still open; and the audit chain's head hash. No GTK: the drawing is
 * np-day-report-printer.c, the CSV np_day_report_to_csv ().
 *
 * The day is the local day in @tz (a DST day has 23 or 25 hours), as the UTC
 * range [start, end). Definitions, all from the ledger:
 *   created   checkouts whose created time is in the day (count and amount)
 *   paid      of those, the ones now paid, refunded or partly refunded
 *   refunded  refunds journalled in the day that succeeded (what each asked)
 *   net       paid - refunded
 */
#pragma once

#include <json-glib/json-glib.h>

#include "np-ledger.h"

G_BEGIN_DECLS

typedef struct {
  char   *currency;
  guint   n_created;
  gint64  created;
  guint   n_paid;
  gint64  paid;
  guint   n_refunds;
  gint64  refunded;
  gint64  net;
} NpDayTotals;

typedef struct {
  gint64  entry_id;
  gint64  started;      /* Unix seconds */
  char   *who;          /* "desk (user)" for another desk, NULL for this desk */
  char   *operation;    /* journal operation: create, capture, refund … */
  char   *object_id;
  gint64  amount;       /* minor units, -1 when the operation names none */
  char   *currency;
  char   *reason;
  char   *outcome;      /* succeeded, failed, unknown, pending */
} NpDayOperation;

/* A refund request decided in the day (team mode): approved, rejected or
 * withdrawn then, or left open until it expired then. */
typedef struct {
  gint64  request_id;
  gint64  decided;      /* Unix seconds: the decision, or the expiry */
  char   *decision;     /* approved, rejected, withdrawn, expired */
  char   *object_id;    /* the checkout the refund was asked for */
  gint64  amount;       /* minor units */
  char   *currency;
  char   *requester;    /* the login role that asked */
  char   *approver;     /* the login role that decided; NULL for expired */
  char   *comment;      /* the decision's comment, NULL for none */
} NpDayApproval;

typedef struct {
  gint64     account_id;
  char      *account_name;
  GDate      day;
  gint64     start;        /* UTC, Unix seconds, inclusive */
  gint64     end;          /* exclusive */
  GPtrArray *totals;       /* of NpDayTotals, by currency */
  GPtrArray *operations;   /* of NpDayOperation, by time */
  GPtrArray *open_unknown; /* of NpDayOperation: unknown, not settled, started before the day's end */
  GPtrArray *approvals;    /* of NpDayApproval, by time: NULL when not in team mode */
  char      *head_hash;    /* the account's audit chain head, "" when empty */
  gint64     team_head_seq;  /* team mode: the team chain's head, its place (0 for empty) */
  char      *team_head_hash; /* and its hash ("" for empty); NULL when not in team mode */
} NpDayReport;

NpDayReport *np_day_report_build (NpLedger    *ledger,
                                  gint64       account_id,
                                  const GDate *day,
                                  GTimeZone   *tz,
                                  GError     **error);
void         np_day_report_free  (NpDayReport *report);
/* Takes the refund requests decided in the day from the team ledger's answer
 * (np_team_ledger_list_day_approvals_async ()): each element checked, those
 * outside [start, end) left out. A malformed element refuses the whole answer
 * (NP_LEDGER_ERROR_CONSTRAINT) and leaves the report as it was. */
gboolean     np_day_report_set_approvals (NpDayReport  *report,
                                          JsonArray    *approvals,
                                          GError      **error);
/* Takes the head of the account's chain in the team ledger
 * (np_team_ledger_get_chain_head_async ()), for the footer and the CSV: @seq
 * 0 with @hash "" for an empty chain, else @seq > 0 with a SHA-256 in lower-case
 * hex. Anything else refuses (NP_LEDGER_ERROR_CONSTRAINT) and changes nothing. */
gboolean     np_day_report_set_team_head (NpDayReport  *report,
                                          gint64        seq,
                                          const char   *hash,
                                          GError      **error);
/* "2026-10-24T22:00:00Z – 2026-10-25T23:00:00Z" */
char        *np_day_report_format_range (const NpDayReport *report);
/* The same rows as the printout, as CSV (np-csv.h, formulas guarded): a
 * section per table, each with its header line. */
char        *np_day_report_to_csv (const NpDayReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpDayReport, np_day_report_free)

G_END_DECLS
