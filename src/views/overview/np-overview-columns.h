/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-overview-columns.h — the Overview's two columns, stacked when narrow. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NP_TYPE_OVERVIEW_COLUMNS (np_overview_columns_get_type ())
G_DECLARE_FINAL_TYPE (NpOverviewColumns, np_overview_columns, NP, OVERVIEW_COLUMNS, GtkWidget)

/* Lays its visible children out side by side in equal columns when it is at
 * least "threshold" pixels wide (default 860), else one above the other. With
 * "column-maximum" set, a child is at most that wide, centred in its column, and
 * gets less than all of a column wider than "column-tightening" (default 400),
 * eased as AdwClamp does. */
GtkWidget        *np_overview_columns_new           (void);
gboolean          np_overview_columns_is_side_by_side (NpOverviewColumns *self,
                                                       int                width);

G_END_DECLS
