/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-journal-chain.c — the canonical serialization and hash of a journal row
 * (see np-journal-chain.h for the format). Shared by the local ledger and the
 * team ledger, so both chains are computed by one definition. */
#include "config.h"

#include <string.h>

#include "np-journal-chain.h"

static void
add_text (GString    *out,
          const char *name,
          const char *value)
{
  g_string_append (out, name);
  if (value == NULL)
    g_string_append (out, " -\n");
  else
    g_string_append_printf (out, " s%" G_GSIZE_FORMAT ":%s\n", strlen (value), value);
}

static void
add_int (GString    *out,
         const char *name,
         gint64      value)
{
  g_string_append_printf (out, "%s i%" G_GINT64_FORMAT "\n", name, value);
}

static void
add_time (GString    *out,
          const char *name,
          gint64      unix_seconds,
          gboolean    present)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *text = NULL;

  if (!present || !(time = g_date_time_new_from_unix_utc (unix_seconds)))
    {
      g_string_append_printf (out, "%s -\n", name);
      return;
    }

  text = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
  g_string_append_printf (out, "%s t%s\n", name, text);
}

void
np_journal_chain_serialize (GString          *out,
                            const char       *prev_hash,
                            const NpChainRow *row)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (row != NULL);

  g_string_append (out, "np-journal-chain/1\n");
  /* The hash is hex: fixed length, no length prefix needed, but the same
   * text rule keeps the format uniform. */
  add_text (out, "prev", prev_hash);
  add_text (out, "account", row->account);
  add_int (out, "seq", row->seq);
  add_int (out, "id", row->id);
  add_text (out, "operation", row->operation);
  add_text (out, "state", row->state);
  add_text (out, "object", row->object_id);
  add_text (out, "summary", row->summary);
  add_text (out, "details", row->details);
  add_text (out, "error", row->error_text);
  add_time (out, "started", row->started, TRUE);
  add_time (out, "finished", row->finished, row->finished != 0);
  add_text (out, "desk", row->desk);
  add_text (out, "os-user", row->os_user);
  if (row->team)
    {
      if (row->has_amount)
        add_int (out, "amount", row->amount);
      else
        g_string_append (out, "amount -\n");
      add_text (out, "currency", row->currency);
      add_text (out, "host", row->host);
    }
}

char *
np_journal_chain_hash (const char       *prev_hash,
                       const NpChainRow *row)
{
  g_autoptr(GString) text = g_string_sized_new (512);

  np_journal_chain_serialize (text, prev_hash, row);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)text->str, text->len);
}
