/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-activity-page.h — the Activity page: the journal, the audit trail an accountant sees. */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_ACTIVITY_PAGE (np_activity_page_get_type ())
G_DECLARE_FINAL_TYPE (NpActivityPage, np_activity_page, NP, ACTIVITY_PAGE, AdwBin)

/* Property "workspace" (NpWorkspace*), set by the window. */
NpWorkspace *np_activity_page_get_workspace (NpActivityPage *self);
void         np_activity_page_set_workspace (NpActivityPage *self,
                                             NpWorkspace    *workspace);

/* The entries listed (NpJournalEntry, newest first, filtered), as the column view shows them. */
GListModel  *np_activity_page_get_model     (NpActivityPage *self);

/* Writes the listed entries to @file as CSV, as the Export dialog does once a file
 * is chosen; a toast tells how many. */
/* Verify Audit Trail: the result (or the first row that does not match) as a toast and the last message. */
void         np_activity_page_verify_audit_trail (NpActivityPage *self);
/* Writes the end-of-day report of @day (a local day) as CSV to @file, from the
 * local ledger only (the Export action adds a team desk's approvals first). */
gboolean     np_activity_page_export_day_report (NpActivityPage  *self,
                                                 const GDate     *day,
                                                 GFile           *file,
                                                 GError         **error);
void         np_activity_page_export_to_file (NpActivityPage *self,
                                              GFile          *file);
/* TRUE while an export or a settling refresh is in flight. */
gboolean     np_activity_page_get_busy      (NpActivityPage *self);
/* What the last export or settling said (for the toast, and for tests). */
const char  *np_activity_page_get_last_message (NpActivityPage *self);

/* Actions: activity.search (Ctrl+F), activity.export (Ctrl+Shift+E; opens a file chooser), activity.settle (x: a journal
 * entry id; refreshes its object so an unknown outcome can be settled). */

G_END_DECLS
