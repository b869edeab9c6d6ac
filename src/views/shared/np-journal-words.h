/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-journal-words.h — the words a detail page shows for an operation in the
 * journal, so the checkout and the customer say "Sending…" or "Outcome unknown"
 * alike. (The Activity page's outcome column keeps its filter's words.) */
#pragma once

#include "np-journal-entry.h"

G_BEGIN_DECLS

/* "Sending…", "Succeeded", "Failed", "Outcome unknown", or "Outcome unknown,
 * since refreshed" once a refresh has seen the object after it. */
const char *np_journal_state_label (NpJournalEntry *entry);

G_END_DECLS
