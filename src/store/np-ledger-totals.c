/* np-ledger-totals.c — the Overview's totals: per status and currency over a
 * period, and the same per UTC or local day.
 *
 * Adding up a year of a busy shop row by row takes seconds. Schema v4 keeps the
 * sums per 15-minute bucket of the created time in checkout_totals (triggers on
 * checkouts maintain it, see np-ledger.c), so a period reads the whole buckets it
 * covers and only the checkouts of its partial first and last bucket. Every zone
 * in use today is offset from UTC by a multiple of 15 minutes, so a local day is
 * a run of whole buckets; for any other offset the daily forms add up the
 * checkouts themselves, as before v4.
 */
#include "config.h"

#include "np-ledger-private.h"

/* The day a time falls in: shift by the offset, floor to a multiple of 86400
 * (the modulo twice keeps the floor right before 1970), shift back. A bucket's
 * start gives the day of everything in it when the offset is whole buckets. */
#define DAY_OF(time) \
  "CASE WHEN ?6 THEN (" time " + ?7) - (((" time " + ?7) % 86400) + 86400) % 86400 - ?7 ELSE 0 END"

#define EDGE_SQL(from, until) \
  "  SELECT " DAY_OF ("created") ", status, status_text, currency, 1, amount, refunded_amount" \
  "   FROM checkouts" \
  "   WHERE account_id = ?1 AND deleted = 0 AND json IS NOT NULL" \
  "     AND created >= " from " AND created < " until

/* ?1 account, ?2 from, ?3 first whole bucket, ?4 end of the whole buckets,
 * ?5 until, ?6 daily, ?7 UTC offset; ?2 <= ?3 <= ?4 <= ?5. Groups that lost all
 * their checkouts (rows whose sums fell to zero) are left out. */
const char np_ledger_totals_sql[] =
  "SELECT day, status, status_text, currency, sum (n), coalesce (sum (amount), 0), sum (refunded)"
  " FROM ("
  "  SELECT " DAY_OF ("bucket") " AS day, status, nullif (status_text, x'') AS status_text,"
  "    nullif (currency, x'') AS currency, n_checkouts AS n, amount, refunded"
  "   FROM checkout_totals"
  "   WHERE account_id = ?1 AND bucket >= ?3 AND bucket < ?4"
  "  UNION ALL"
  EDGE_SQL ("?2", "?3")
  "  UNION ALL"
  EDGE_SQL ("?4", "?5")
  " )"
  " GROUP BY day, status, status_text, currency"
  " HAVING sum (n) > 0"
  " ORDER BY day, status, status_text, currency";

/* Far enough from the ends of gint64 that the bucket arithmetic cannot overflow. */
#define TIME_LIMIT (G_GINT64_CONSTANT (1) << 62)

static gint64
floor_to_bucket (gint64 time)
{
  return time - ((time % NP_LEDGER_TOTALS_BUCKET) + NP_LEDGER_TOTALS_BUCKET) % NP_LEDGER_TOTALS_BUCKET;
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
  gint64 first = G_MININT64;
  gint64 last = G_MAXINT64;

  if (from != 0)
    {
      first = floor_to_bucket (from);
      if (first < from)
        first += NP_LEDGER_TOTALS_BUCKET;
    }
  if (until != 0)
    last = floor_to_bucket (until);

  /* No whole bucket inside, days that are not whole buckets, or absurd times:
   * everything from the checkouts themselves. */
  if (first >= last ||
      (daily && utc_offset % NP_LEDGER_TOTALS_BUCKET != 0) ||
      (from != 0 && (from < -TIME_LIMIT || from > TIME_LIMIT)) ||
      (until != 0 && (until < -TIME_LIMIT || until > TIME_LIMIT)))
    first = last = end;

  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int64 (stmt, 3, first);
  sqlite3_bind_int64 (stmt, 4, last);
  sqlite3_bind_int64 (stmt, 5, end);
  sqlite3_bind_int (stmt, 6, daily);
  sqlite3_bind_int (stmt, 7, daily ? utc_offset : 0);
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
