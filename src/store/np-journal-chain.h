/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-journal-chain.h — the audit trail's hash chain over finished journal rows.
 *
 * Every finished journal row carries chain_seq (1, 2, 3 … per account, assigned
 * when the row finishes) and chain_hash = SHA-256 (GChecksum) over the canonical
 * serialization of its content followed by the previous row's hash. Editing,
 * deleting or reordering any row breaks the chain at that row; the head hash (the
 * last row's) printed on a report lets a filed copy be checked later.
 *
 * Canonical serialization, version 1 (UTF-8 bytes, no trailing NUL):
 *
 *   "np-journal-chain/1\n"
 *   then one line per field, in this fixed order:
 *     prev  account  seq  id  operation  state  object  summary  details  error
 *     started  finished  desk  os-user
 *   each line is the field's name, one space, its value, "\n", where the value is
 *     "-"                      for NULL (absent),
 *     "i" DECIMAL              for an integer (amounts live in details in minor
 *                              units, as integers; ids and sequence numbers),
 *     "t" YYYY-MM-DDTHH:MM:SSZ for a time (UTC, whole seconds),
 *     "s" LENGTH ":" BYTES     for a text (LENGTH is its byte count in decimal,
 *                              so no escaping is needed and no text can forge
 *                              the next field).
 *   a team ledger's row (NpChainRow.team) adds three lines after os-user:
 *     amount  currency  host
 *   (its amount in minor units is a column there, not only in details).
 *   prev is the previous row's hash as 64 lower-case hex digits ("-" for seq 1);
 *   account is the account as text (a local ledger: its account id in decimal; the
 *   team ledger: the account's UUID); id is the row's id in that ledger.
 *
 * The hash is the 64 lower-case hex digits of SHA-256 over those bytes.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NP_JOURNAL_CHAIN_HASH_LENGTH 64

typedef struct {
  const char *account;
  gint64      seq;
  gint64      id;
  const char *operation;
  const char *state;
  const char *object_id;
  const char *summary;
  const char *details;
  const char *error_text;
  gint64      started;     /* Unix seconds */
  gint64      finished;    /* Unix seconds, 0 when absent */
  const char *desk;
  const char *os_user;
  /* The team ledger's rows only. */
  gboolean    team;
  gboolean    has_amount;
  gint64      amount;      /* minor units, when has_amount */
  const char *currency;
  const char *host;
} NpChainRow;

/* Appends the canonical serialization of @row after @prev_hash (NULL for the
 * first row) to @out. */
void   np_journal_chain_serialize (GString          *out,
                                   const char       *prev_hash,
                                   const NpChainRow *row);
/* The row's hash: 64 lower-case hex digits, newly allocated. */
char  *np_journal_chain_hash      (const char       *prev_hash,
                                   const NpChainRow *row);

G_END_DECLS
