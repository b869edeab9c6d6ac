/* np-bench-ledger-gen.c — the seeded checkout generator of the benches. */
#include "np-bench-ledger-gen.h"

#define BATCH 20000
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

  for (guint done = 0; done < n; done += BATCH)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = done; i < MIN (done + BATCH, n); i++)
        {
          g_autofree char *json = checkout_json (rand, i);

          g_ptr_array_add (batch, np_checkout_new_from_data (json, -1, &error));
          g_assert_no_error (error);
        }

      np_ledger_upsert_checkouts (ledger, account_id, batch, &error);
      g_assert_no_error (error);
    }
}
