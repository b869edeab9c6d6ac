/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-overview-totals.c — folding the ledger's status totals for the Overview. */
#include "config.h"

#include "np-overview-totals.h"

void
np_period_summary_free (NpPeriodSummary *summary)
{
  if (summary == NULL)
    return;

  g_free (summary->currency);
  g_free (summary);
}

gint64
np_period_summary_get_net (const NpPeriodSummary *summary)
{
  /* Both are >= 0, so the difference fits; it means nothing after an overflow. */
  return summary->overflow ? 0 : summary->paid - summary->refunded;
}

gboolean
np_overview_status_is_paid (NpCheckoutStatus status)
{
  return status == NP_CHECKOUT_STATUS_PAID ||
         status == NP_CHECKOUT_STATUS_PARTIAL_REFUND ||
         status == NP_CHECKOUT_STATUS_REFUNDED;
}

static int
compare_summaries (gconstpointer a,
                   gconstpointer b)
{
  const NpPeriodSummary *sa = *(const NpPeriodSummary * const *)a;
  const NpPeriodSummary *sb = *(const NpPeriodSummary * const *)b;

  if (sa->count != sb->count)
    return sa->count > sb->count ? -1 : 1;

  return g_strcmp0 (sa->currency, sb->currency);
}

GPtrArray *
np_overview_summarize (GPtrArray *totals)
{
  g_autoptr(GPtrArray) summaries = g_ptr_array_new_with_free_func ((GDestroyNotify)np_period_summary_free);
  g_autoptr(GHashTable) by_currency = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (totals != NULL, NULL);

  for (guint i = 0; i < totals->len; i++)
    {
      const NpStatusTotal *total = g_ptr_array_index (totals, i);
      NpPeriodSummary *summary;

      /* Rows never retrieved have no currency and no amount to add up. */
      if (total->currency == NULL)
        continue;

      summary = g_hash_table_lookup (by_currency, total->currency);
      if (summary == NULL)
        {
          summary = g_new0 (NpPeriodSummary, 1);
          summary->currency = g_strdup (total->currency);
          g_hash_table_insert (by_currency, summary->currency, summary);
          g_ptr_array_add (summaries, summary);
        }

      summary->count += total->count;
      if ((guint)total->status < NP_OVERVIEW_N_STATUSES)
        summary->n_status[total->status] += total->count;
      if (total->overflow
          || (np_overview_status_is_paid (total->status)
              && __builtin_add_overflow (summary->paid, total->amount, &summary->paid))
          || __builtin_add_overflow (summary->refunded, total->refunded, &summary->refunded))
        summary->overflow = TRUE;
    }

  /* A wrapped partial sum is never left where it could be shown. */
  for (guint i = 0; i < summaries->len; i++)
    {
      NpPeriodSummary *summary = g_ptr_array_index (summaries, i);

      if (summary->overflow)
        summary->paid = summary->refunded = 0;
    }

  g_ptr_array_sort (summaries, compare_summaries);

  return g_steal_pointer (&summaries);
}

GArray *
np_overview_day_amounts (GPtrArray  *daily_totals,
                         const char *currency,
                         gint64      first_day,
                         guint       n_days)
{
  GArray *days = g_array_sized_new (FALSE, TRUE, sizeof (NpDayAmounts), n_days);

  g_return_val_if_fail (daily_totals != NULL, days);

  for (guint i = 0; i < n_days; i++)
    {
      NpDayAmounts amounts = { first_day + (gint64)i * 86400, 0, 0 };

      g_array_append_val (days, amounts);
    }

  for (guint i = 0; i < daily_totals->len; i++)
    {
      const NpStatusTotal *total = g_ptr_array_index (daily_totals, i);
      NpDayAmounts *amounts;
      gint64 index;

      if (g_strcmp0 (total->currency, currency) != 0 || total->day < first_day)
        continue;

      index = (total->day - first_day) / 86400;
      if (index >= n_days)
        continue;

      amounts = &g_array_index (days, NpDayAmounts, index);
      if (total->overflow
          || (np_overview_status_is_paid (total->status)
              && __builtin_add_overflow (amounts->paid, total->amount, &amounts->paid))
          || __builtin_add_overflow (amounts->refunded, total->refunded, &amounts->refunded))
        amounts->overflow = TRUE;
      if (amounts->overflow)
        amounts->paid = amounts->refunded = G_MAXINT64;
    }

  return days;
}
