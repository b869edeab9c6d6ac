/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-overview-page.h — the Overview page: what needs attention, and how sales are going. */
#pragma once

#include <adwaita.h>

#include "np-chart.h"
#include "np-overview-attention-row.h"
#include "np-workspace.h"

G_BEGIN_DECLS

/* The four "Needs attention" lists, plus operations whose outcome is unknown. */
typedef enum {
  NP_OVERVIEW_LIST_AWAITING_CAPTURE,
  NP_OVERVIEW_LIST_UNKNOWN_OUTCOME,
  NP_OVERVIEW_LIST_REFRESH_FAILED,
  NP_OVERVIEW_LIST_STALE_CREATED,
} NpOverviewList;

/* The period the totals and the chart cover; days are local days. */
typedef enum {
  NP_OVERVIEW_PERIOD_TODAY,
  NP_OVERVIEW_PERIOD_WEEK,      /* the last 7 days, today included */
  NP_OVERVIEW_PERIOD_MONTH,     /* the last 30 days */
  NP_OVERVIEW_PERIOD_CUSTOM,
} NpOverviewPeriod;

#define NP_TYPE_OVERVIEW_PERIOD (np_overview_period_get_type ())
GType np_overview_period_get_type (void);

#define NP_TYPE_OVERVIEW_PAGE (np_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (NpOverviewPage, np_overview_page, NP, OVERVIEW_PAGE, AdwBin)

/* Property "workspace" (NpWorkspace*), set by the window. */
NpWorkspace *np_overview_page_get_workspace    (NpOverviewPage *self);
void         np_overview_page_set_workspace    (NpOverviewPage *self,
                                                NpWorkspace    *workspace);

/* Property "period" (NpOverviewPeriod), also the action "overview.period"
 * whose target is the period's nick ("today", "week", "month", "custom"). */
NpOverviewPeriod np_overview_page_get_period   (NpOverviewPage   *self);
void             np_overview_page_set_period   (NpOverviewPage   *self,
                                                NpOverviewPeriod  period);

/* What the page shows, for tests and the window. */
GtkListBox  *np_overview_page_get_list         (NpOverviewPage *self,
                                                NpOverviewList  list);
NpChart     *np_overview_page_get_chart        (NpOverviewPage *self);
/* Of NpPeriodSummary: the totals on screen, most used currency first. */
GPtrArray   *np_overview_page_get_summaries    (NpOverviewPage *self);
/* How many times the totals were recomputed: coalescing is observable. */
guint        np_overview_page_get_n_refreshes  (NpOverviewPage *self);

const char     *np_overview_page_get_approvals_text (NpOverviewPage *self);

G_END_DECLS
