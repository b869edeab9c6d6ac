/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-bench-ledger-gen.c — the seeded checkout generator of the benches, and the
 * plain SQL count their search results are checked against. */
#include <sqlite3.h>

#include "np-bench-ledger-gen.h"

#define N_CUSTOMERS 5000

static const char * const statuses[] = {
  "paid", "paid", "paid", "paid", "created", "reserved", "refunded", "partialRefund", "failed", "canceled",
};
static const char * const products[] = { "coffee", "tea", "books", "shoes", "lamp", "bike service" };

static char *
checkout_json (GRand *rand,
               guint  i)
{
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (1735689600 + g_rand_int_range (rand, 0, 365 * 86400));
  g_autofree char *created_text = g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *customer = NULL;
  const char *status = statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))];

  if (g_rand_int_range (rand, 0, 10) < 3)
    customer = g_strdup_printf (",\"customer_id\":\"cus%05d\"", g_rand_int_range (rand, 0, N_CUSTOMERS));

  return g_strdup_printf ("{\"checkout_id\":\"%08x%08x%08x%08x\",\"identifier\":\"order-%u\","
                          "\"status\":\"%s\",\"amount\":%d,\"currency\":\"%s\","
                          "\"message\":\"Order #%u: %s\",\"metaData\":{\"orderId\":\"%u\"},"
                          "\"created\":\"%s\",\"updated\":\"%s\"%s}",
                          g_rand_int (rand), g_rand_int (rand), g_rand_int (rand), g_rand_int (rand),
                          1000 + i, status, g_rand_int_range (rand, 100, 500000),
                          g_rand_int_range (rand, 0, 5) ? "SEK" : "EUR",
                          1000 + i, products[g_rand_int_range (rand, 0, G_N_ELEMENTS (products))],
                          1000 + i, created_text, created_text, customer ? customer : "");
}

void
np_bench_fill_ledger (NpLedger *ledger,
                      gint64    account_id,
                      guint     n)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (NP_BENCH_SEED);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_CUSTOMERS; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"customer_id\":\"cus%05u\",\"first_name\":\"Buyer\","
                                               "\"last_name\":\"Number %u\",\"email\":\"buyer%u@example.com\"}",
                                               i, i, i);
      g_ptr_array_add (customers, np_customer_new_from_data (json, -1, &error));
      g_assert_no_error (error);
    }
  np_ledger_upsert_customers (ledger, account_id, customers, &error);
  g_assert_no_error (error);

  for (guint done = 0; done < n; done += NP_BENCH_BATCH)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = done; i < MIN (done + NP_BENCH_BATCH, n); i++)
        {
          g_autofree char *json = checkout_json (rand, i);

          g_ptr_array_add (batch, np_checkout_new_from_data (json, -1, &error));
          g_assert_no_error (error);
        }

      np_ledger_upsert_checkouts (ledger, account_id, batch, &error);
      g_assert_no_error (error);
    }
}

guint
np_bench_count_matches (NpLedger   *ledger,
                        gint64      account_id,
                        const char *needle,
                        const char *status_list,
                        gint64      created_from)
{
  g_autofree char *lower = needle != NULL ? g_ascii_strdown (needle, -1) : NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint count;

  g_assert_true (needle == NULL || g_str_is_ascii (needle));
  if (sqlite3_open_v2 (np_ledger_get_path (ledger), &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db,
        "SELECT count (*) FROM checkouts AS c"
        " LEFT JOIN customers AS u ON u.account_id = c.account_id AND u.customer_id = c.customer_id"
        " WHERE c.account_id = ?1 AND c.deleted = 0"
        "   AND (?2 IS NULL OR instr (lower (c.checkout_id), ?2) > 0 OR instr (lower (c.identifier), ?2) > 0"
        "        OR instr (lower (c.message), ?2) > 0 OR instr (lower (c.metadata), ?2) > 0"
        "        OR instr (lower (u.email), ?2) > 0)"
        "   AND (?3 IS NULL OR instr (',' || ?3 || ',', ',' || c.status_text || ',') > 0)"
        "   AND (?4 = 0 OR c.created >= ?4)",
        -1, &stmt, NULL) != SQLITE_OK)
    g_error ("counting the ledger's checkouts: %s", sqlite3_errmsg (db));

  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, lower, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, status_list, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, created_from);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("counting the ledger's checkouts: %s", sqlite3_errmsg (db));
  count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

void
np_bench_check_count (const char *what,
                      guint       shown,
                      guint       expected)
{
  if (shown != expected)
    g_error ("%s: %u matches shown, but the ledger holds %u (plain SQL count)", what, shown, expected);
}
