/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-journal-words.c — the words for a journal entry's state on a detail page. */
#include "config.h"

#include <glib/gi18n.h>

#include "np-journal-words.h"

const char *
np_journal_state_label (NpJournalEntry *entry)
{
  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (entry), "");

  switch (np_journal_entry_get_state (entry))
    {
    case NP_JOURNAL_STATE_PENDING:
      return _("Sending…");
    case NP_JOURNAL_STATE_SUCCEEDED:
      return _("Succeeded");
    case NP_JOURNAL_STATE_FAILED:
      return _("Failed");
    case NP_JOURNAL_STATE_UNKNOWN:
    default:
      return np_journal_entry_needs_attention (entry) ? _("Outcome unknown") : _("Outcome unknown, since refreshed");
    }
}
