/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-day-report-printer.h — the end-of-day report (np-day-report.h) on paper or
 * as PDF: a GtkPrintOperation that lays the report out with Pango and cairo,
 * amounts right-aligned in each currency's format, page numbers, and the audit
 * chain's head hash in every page's footer. */
#pragma once

#include <gtk/gtk.h>

#include "np-day-report.h"

G_BEGIN_DECLS

/* A print operation drawing @report (which it copies what it needs from): run it
 * with GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG to print or save as PDF through
 * GTK's dialog, or with an export-filename and ACTION_EXPORT. */
GtkPrintOperation *np_day_report_print_operation_new (const NpDayReport *report,
                                                      GTimeZone         *tz);

G_END_DECLS
