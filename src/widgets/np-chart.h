/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-chart.h — daily paid and refunded amounts as paired bars, for the Overview. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  GDate   day;        /* the local day the amounts belong to */
  gint64  paid;       /* minor units */
  gint64  refunded;   /* minor units */
} NpChartPoint;

#define NP_TYPE_CHART (np_chart_get_type ())
G_DECLARE_FINAL_TYPE (NpChart, np_chart, NP, CHART, GtkWidget)

GtkWidget          *np_chart_new          (void);
/* Replaces the points (copied) for one currency. */
void                np_chart_set_points   (NpChart            *self,
                                           const char         *currency,
                                           const NpChartPoint *points,
                                           guint               n_points);
guint               np_chart_get_n_points (NpChart            *self);
const NpChartPoint *np_chart_get_point    (NpChart            *self,
                                           guint               index);
const char         *np_chart_get_currency (NpChart            *self);
/* The point under the pointer, or -1. */
int                 np_chart_get_hovered  (NpChart            *self);
/* What a screen reader says about the chart: totals, the best day. */
char               *np_chart_dup_summary  (NpChart            *self);

G_END_DECLS
