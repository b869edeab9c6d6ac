/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-totals.c — the Overview's totals: per status and currency over a
 * period, and the same per UTC or local day.
 *
 * Adding up a year of a busy shop row by row takes seconds. Schema v4 keeps the
 * sums per UTC day and per 15-minute bucket of the created time (triggers on
 * checkouts maintain them, see np-ledger.c), so a period reads the whole UTC
 * days it covers, the buckets of its partial first and last day, and only the
 * checkouts of its partial first and last bucket. Every zone in use today is
 * offset from UTC by a multiple of 15 minutes, so a local day is a run of whole
 * buckets, and a UTC day's row is split between two local days by moving the
 * buckets of its shorter part; for any other offset the daily forms add up the
 * checkouts themselves, as before v4.
 */
#include "config.h"

#include "np-ledger-private.h"

/* The day a time falls in: shift by the offset, floor to a multiple of 86400
 * (the modulo twice keeps the floor right before 1970), shift back. A bucket's
 * start gives the day of everything in it when the offset is whole buckets. */
#define DAY_OF(time) \
  "CASE WHEN ?8 THEN (" time " + ?9) - (((" time " + ?9) % 86400) + 86400) % 86400 - ?9 ELSE 0 END"

#define KEY_COLUMNS "status, nullif (status_text, x'') AS status_text, nullif (currency, x'') AS currency"

#define BUCKETS_SQL(from, until) \
  "  SELECT " DAY_OF ("bucket") " AS day, " KEY_COLUMNS ", n_checkouts AS n, amount, refunded" \
  "   FROM checkout_totals" \
  "   WHERE account_id = ?1 AND bucket >= " from " AND bucket < " until

#define EDGE_SQL(from, until) \
  "  SELECT " DAY_OF ("created") ", status, status_text, currency, 1, amount, refunded_amount" \
  "   FROM checkouts" \
  "   WHERE account_id = ?1 AND deleted = 0 AND json IS NOT NULL" \
  "     AND created >= " from " AND created < " until

/* ?1 account. The range [?2, ?7) in pieces, ?2 <= ?3 <= ?4 <= ?5 <= ?6 <= ?7:
 * the checkouts of [?2, ?3) and [?6, ?7), the buckets of [?3, ?4) and [?5, ?6),
 * the UTC days of [?4, ?5). ?8 daily, ?9 the UTC offset. A UTC day is one local
 * day's tail and the next one's head: its row counts in the local day of its
 * second ?10, and its buckets of [day + ?11, day + ?12), which belong to the
 * other local day, are moved there (added to theirs, taken from the row's).
 * Groups that lost all their checkouts (sums fallen to zero) are left out. */
const char np_ledger_totals_sql[] =
  "SELECT day, status, status_text, currency, sum (n), np_checked_sum (amount), np_checked_sum (refunded)"
  " FROM ("
  BUCKETS_SQL ("?3", "?4")
  "  UNION ALL"
  BUCKETS_SQL ("?5", "?6")
  "  UNION ALL"
  "  SELECT " DAY_OF ("day + ?10") ", " KEY_COLUMNS ", n_checkouts, amount, refunded"
  "   FROM checkout_totals_daily"
  "   WHERE account_id = ?1 AND day >= ?4 AND day < ?5"
  "  UNION ALL"
  "  SELECT CASE WHEN sign > 0 THEN " DAY_OF ("bucket") " ELSE " DAY_OF ("m + ?10") " END, " KEY_COLUMNS ","
  "    sign * n_checkouts, sign * amount, sign * refunded"
  "   FROM (SELECT DISTINCT day AS m FROM checkout_totals_daily"
  "         WHERE account_id = ?1 AND day >= ?4 AND day < ?5) AS days"
  "   JOIN checkout_totals ON account_id = ?1 AND bucket >= m + ?11 AND bucket < m + ?12"
  "   JOIN (SELECT 1 AS sign UNION ALL SELECT -1) AS signs"
  "  UNION ALL"
  EDGE_SQL ("?2", "?3")
  "  UNION ALL"
  EDGE_SQL ("?6", "?7")
  " )"
  " GROUP BY day, status, status_text, currency"
  " HAVING sum (n) > 0"
  " ORDER BY day, status, status_text, currency";

/* Far enough from the ends of gint64 that the bucket arithmetic cannot overflow. */
#define TIME_LIMIT (G_GINT64_CONSTANT (1) << 62)

static gint64
floor_to (gint64 time,
          gint64 width)
{
  return time - ((time % width) + width) % width;
}

static gint64
ceil_to (gint64 time,
         gint64 width)
{
  gint64 floor = floor_to (time, width);

  return floor < time ? floor + width : floor;
}

void
np_ledger_bind_totals (sqlite3_stmt *stmt,
                       gint64        account_id,
                       gint64        from,
                       gint64        until,
                       gboolean      daily,
                       int           utc_offset)
{
  gint64 start = from != 0 ? from : G_MININT64;
  gint64 end = until != 0 ? until : G_MAXINT64;
  gint64 first_bucket = from != 0 ? ceil_to (from, NP_LEDGER_TOTALS_BUCKET) : G_MININT64;
  gint64 last_bucket = until != 0 ? floor_to (until, NP_LEDGER_TOTALS_BUCKET) : G_MAXINT64;
  gint64 first_day = from != 0 ? ceil_to (from, 86400) : G_MININT64;
  gint64 last_day = until != 0 ? floor_to (until, 86400) : G_MAXINT64;
  /* Where local days start within a UTC day. */
  int shift = daily ? ((-utc_offset % 86400) + 86400) % 86400 : 0;
  int label = 0;
  int moved_from = 0;
  int moved_until = 0;

  /* Absurd times, or days that are not whole buckets: everything from the
   * checkouts themselves. */
  if ((from != 0 && (from < -TIME_LIMIT || from > TIME_LIMIT)) ||
      (until != 0 && (until < -TIME_LIMIT || until > TIME_LIMIT)) ||
      shift % NP_LEDGER_TOTALS_BUCKET != 0)
    first_bucket = last_bucket = end;

  if (first_bucket >= last_bucket)
    first_bucket = last_bucket = end;
  if (first_day >= last_day || first_day < first_bucket || last_day > last_bucket)
    first_day = last_day = last_bucket;

  /* Move whichever part of each UTC day is shorter. */
  if (shift != 0 && shift <= 86400 / 2)
    {
      label = shift;
      moved_until = shift;
    }
  else if (shift != 0)
    {
      moved_from = shift;
      moved_until = 86400;
    }

  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int64 (stmt, 3, first_bucket);
  sqlite3_bind_int64 (stmt, 4, first_day);
  sqlite3_bind_int64 (stmt, 5, last_day);
  sqlite3_bind_int64 (stmt, 6, last_bucket);
  sqlite3_bind_int64 (stmt, 7, end);
  sqlite3_bind_int (stmt, 8, daily);
  sqlite3_bind_int (stmt, 9, daily ? utc_offset : 0);
  sqlite3_bind_int (stmt, 10, label);
  sqlite3_bind_int (stmt, 11, moved_from);
  sqlite3_bind_int (stmt, 12, moved_until);
}

NpStatusTotal *
np_status_total_from_stmt (sqlite3_stmt *stmt)
{
  NpStatusTotal *total = g_new0 (NpStatusTotal, 1);

  total->day = sqlite3_column_int64 (stmt, 0);
  total->status = sqlite3_column_int (stmt, 1);
  total->status_text = np_store_column_dup (stmt, 2);
  total->currency = np_store_column_dup (stmt, 3);
  total->count = sqlite3_column_int (stmt, 4);
  /* NULL from np_checked_sum (): a sum that does not fit, never a wrapped one. */
  total->overflow = sqlite3_column_type (stmt, 5) == SQLITE_NULL || sqlite3_column_type (stmt, 6) == SQLITE_NULL;
  total->amount = sqlite3_column_int64 (stmt, 5);
  total->refunded = sqlite3_column_int64 (stmt, 6);

  return total;
}

void
np_status_total_free (NpStatusTotal *total)
{
  if (total == NULL)
    return;

  g_free (total->status_text);
  g_free (total->currency);
  g_free (total);
}

static GPtrArray *
query_totals (NpLedger  *self,
              gint64     account_id,
              gint64     from,
              gint64     until,
              gboolean   daily,
              int        utc_offset,
              GError   **error)
{
  g_autoptr(GPtrArray) totals = g_ptr_array_new_with_free_func ((GDestroyNotify)np_status_total_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);
  g_return_val_if_fail (utc_offset > -86400 && utc_offset < 86400, NULL);

  stmt = np_ledger_statement (self, np_ledger_totals_sql, error);
  if (stmt == NULL)
    return NULL;

  np_ledger_bind_totals (stmt, account_id, from, until, daily, utc_offset);
  while ((rc = np_ledger_step (self, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (totals, np_status_total_from_stmt (stmt));

  if (rc < 0)
    return NULL;

  return g_steal_pointer (&totals);
}

GPtrArray *
np_ledger_get_totals (NpLedger  *self,
                      gint64     account_id,
                      gint64     from,
                      gint64     until,
                      GError   **error)
{
  return query_totals (self, account_id, from, until, FALSE, 0, error);
}

GPtrArray *
np_ledger_get_daily_totals (NpLedger  *self,
                            gint64     account_id,
                            gint64     from,
                            gint64     until,
                            GError   **error)
{
  return query_totals (self, account_id, from, until, TRUE, 0, error);
}

GPtrArray *
np_ledger_get_local_daily_totals (NpLedger  *self,
                                  gint64     account_id,
                                  gint64     from,
                                  gint64     until,
                                  int        utc_offset,
                                  GError   **error)
{
  return query_totals (self, account_id, from, until, TRUE, utc_offset, error);
}
