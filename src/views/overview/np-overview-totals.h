/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-overview-totals.h — what the Overview makes of the ledger's status totals.
 *
 * The ledger sums in SQL (np_ledger_get_totals (), np_ledger_get_local_daily_totals ())
 * per status, currency and day; this folds those few rows into what a person reads:
 * per currency, what was paid, what was refunded, the net, and how many checkouts
 * are in each status; per day, the paid and refunded amounts the chart draws.
 * Plain GLib, no GTK: the store unit tests exercise it against a real ledger.
 *
 * "Paid" counts checkouts whose money was taken: paid, partially refunded and
 * refunded ones (a refund does not un-pay a checkout; it shows as refunded).
 * Everything is bucketed by the checkout's created time.
 *
 * Sums never wrap: each amount is at most 10^15 minor units, but a million of
 * them pass INT64_MAX. The ledger reports a sum that does not fit as overflow
 * (np_checked_sum ()), and the folding here adds with checked addition; either
 * sets @overflow, and the Overview then says the total is too large to show.
 */
#pragma once

#include "np-ledger.h"

G_BEGIN_DECLS

#define NP_OVERVIEW_N_STATUSES (NP_CHECKOUT_STATUS_CANCELED + 1)

typedef struct {
  char   *currency;
  gint64  paid;                            /* minor units */
  gint64  refunded;                        /* minor units */
  guint   count;                           /* checkouts of this currency, any status */
  guint   n_status[NP_OVERVIEW_N_STATUSES];
  gboolean overflow;                       /* paid or refunded does not fit a gint64: not to be shown */
} NpPeriodSummary;

void             np_period_summary_free        (NpPeriodSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpPeriodSummary, np_period_summary_free)
gint64           np_period_summary_get_net     (const NpPeriodSummary *summary);

/* TRUE when checkouts in @status have been paid for. */
gboolean         np_overview_status_is_paid    (NpCheckoutStatus status);

/* Of NpPeriodSummary, one per currency, the currency with most checkouts first
 * (ties by code). @totals is of NpStatusTotal, daily or not. */
GPtrArray       *np_overview_summarize         (GPtrArray       *totals);

typedef struct {
  gint64 day;       /* start of the day as UTC Unix seconds */
  gint64 paid;
  gint64 refunded;
  gboolean overflow; /* paid or refunded does not fit a gint64: both G_MAXINT64 */
} NpDayAmounts;

/* @n_days consecutive days from @first_day (the start of a day as UTC seconds):
 * the paid and refunded amounts of @currency on each, zero for days without
 * checkouts. @daily_totals is of NpStatusTotal from a daily query with the same
 * day boundaries. */
GArray          *np_overview_day_amounts       (GPtrArray       *daily_totals,
                                                const char      *currency,
                                                gint64           first_day,
                                                guint            n_days);

G_END_DECLS
