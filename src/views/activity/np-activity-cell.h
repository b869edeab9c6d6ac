/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-activity-cell.h — one cell of the Activity page's table: a journal entry's
 * time, operation, object, summary, amount, outcome or error, as words.
 *
 * The page's template declares its columns, each a GtkBuilderListItemFactory
 * whose cell binds "entry" to the list item's item; the cell turns the entry
 * into text. */
#pragma once

#include <adwaita.h>

#include "np-journal-entry.h"

G_BEGIN_DECLS

typedef enum {
  NP_ACTIVITY_COLUMN_TIME,
  NP_ACTIVITY_COLUMN_OPERATION,
  NP_ACTIVITY_COLUMN_OBJECT,
  NP_ACTIVITY_COLUMN_SUMMARY,
  NP_ACTIVITY_COLUMN_AMOUNT,
  NP_ACTIVITY_COLUMN_OUTCOME,
  NP_ACTIVITY_COLUMN_ERROR,
} NpActivityColumn;

#define NP_TYPE_ACTIVITY_COLUMN (np_activity_column_get_type ())
GType np_activity_column_get_type (void) G_GNUC_CONST;

#define NP_TYPE_ACTIVITY_CELL (np_activity_cell_get_type ())

G_DECLARE_FINAL_TYPE (NpActivityCell, np_activity_cell, NP, ACTIVITY_CELL, AdwBin)

NpJournalEntry *np_activity_cell_get_entry (NpActivityCell *self);
void            np_activity_cell_set_entry (NpActivityCell *self,
                                            NpJournalEntry *entry);

G_END_DECLS
