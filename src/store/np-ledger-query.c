/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-query.c — what a list asks the ledger for: filters and order. */
#include "np-ledger-query.h"

G_DEFINE_ENUM_TYPE (NpCheckoutSort, np_checkout_sort,
                    G_DEFINE_ENUM_VALUE (NP_CHECKOUT_SORT_CREATED, "created"),
                    G_DEFINE_ENUM_VALUE (NP_CHECKOUT_SORT_AMOUNT, "amount"),
                    G_DEFINE_ENUM_VALUE (NP_CHECKOUT_SORT_STATUS, "status"),
                    G_DEFINE_ENUM_VALUE (NP_CHECKOUT_SORT_UPDATED, "updated"))

G_DEFINE_ENUM_TYPE (NpCustomerSort, np_customer_sort,
                    G_DEFINE_ENUM_VALUE (NP_CUSTOMER_SORT_NAME, "name"),
                    G_DEFINE_ENUM_VALUE (NP_CUSTOMER_SORT_EMAIL, "email"),
                    G_DEFINE_ENUM_VALUE (NP_CUSTOMER_SORT_CREATED, "created"))

G_DEFINE_BOXED_TYPE (NpCheckoutQuery, np_checkout_query, np_checkout_query_copy, np_checkout_query_free)
G_DEFINE_BOXED_TYPE (NpCustomerQuery, np_customer_query, np_customer_query_copy, np_customer_query_free)
G_DEFINE_BOXED_TYPE (NpJournalQuery, np_journal_query, np_journal_query_copy, np_journal_query_free)

/* Empty text means "no text filter": store it as NULL so equal queries compare equal. */
static void
replace_text (char       **field,
              const char  *text)
{
  g_free (*field);
  *field = (text != NULL && text[0] != '\0') ? g_strdup (text) : NULL;
}

NpCheckoutQuery *
np_checkout_query_new (void)
{
  NpCheckoutQuery *query = g_new0 (NpCheckoutQuery, 1);

  query->sort = NP_CHECKOUT_SORT_CREATED;
  query->descending = TRUE;

  return query;
}

NpCheckoutQuery *
np_checkout_query_copy (const NpCheckoutQuery *query)
{
  NpCheckoutQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = g_memdup2 (query, sizeof *query);
  copy->text = g_strdup (query->text);
  copy->customer_id = g_strdup (query->customer_id);

  return copy;
}

void
np_checkout_query_free (NpCheckoutQuery *query)
{
  if (query == NULL)
    return;

  g_free (query->text);
  g_free (query->customer_id);
  g_free (query);
}

gboolean
np_checkout_query_equal (const NpCheckoutQuery *a,
                         const NpCheckoutQuery *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->text, b->text) == 0 &&
         a->status_mask == b->status_mask &&
         a->created_from == b->created_from &&
         a->created_until == b->created_until &&
         g_strcmp0 (a->customer_id, b->customer_id) == 0 &&
         !a->refresh_failed == !b->refresh_failed &&
         !a->include_deleted == !b->include_deleted &&
         a->sort == b->sort &&
         !a->descending == !b->descending;
}

void
np_checkout_query_set_text (NpCheckoutQuery *query,
                            const char      *text)
{
  g_return_if_fail (query != NULL);
  replace_text (&query->text, text);
}

void
np_checkout_query_set_customer_id (NpCheckoutQuery *query,
                                   const char      *customer_id)
{
  g_return_if_fail (query != NULL);
  replace_text (&query->customer_id, customer_id);
}

NpCheckoutQuery *
np_checkout_query_new_awaiting_capture (void)
{
  NpCheckoutQuery *query = np_checkout_query_new ();

  query->status_mask = NP_CHECKOUT_STATUS_BIT (NP_CHECKOUT_STATUS_RESERVED);
  query->descending = FALSE;

  return query;
}

NpCheckoutQuery *
np_checkout_query_new_stale_created (gint64 now,
                                     guint  hours)
{
  NpCheckoutQuery *query = np_checkout_query_new ();

  query->status_mask = NP_CHECKOUT_STATUS_BIT (NP_CHECKOUT_STATUS_CREATED);
  query->created_until = now - (gint64)hours * 3600;
  query->descending = FALSE;

  return query;
}

NpCheckoutQuery *
np_checkout_query_new_refresh_failed (void)
{
  NpCheckoutQuery *query = np_checkout_query_new ();

  query->refresh_failed = TRUE;
  query->sort = NP_CHECKOUT_SORT_UPDATED;

  return query;
}

NpCustomerQuery *
np_customer_query_new (void)
{
  NpCustomerQuery *query = g_new0 (NpCustomerQuery, 1);

  query->sort = NP_CUSTOMER_SORT_NAME;

  return query;
}

NpCustomerQuery *
np_customer_query_copy (const NpCustomerQuery *query)
{
  NpCustomerQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = g_memdup2 (query, sizeof *query);
  copy->text = g_strdup (query->text);

  return copy;
}

void
np_customer_query_free (NpCustomerQuery *query)
{
  if (query == NULL)
    return;

  g_free (query->text);
  g_free (query);
}

gboolean
np_customer_query_equal (const NpCustomerQuery *a,
                         const NpCustomerQuery *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->text, b->text) == 0 &&
         !a->include_deleted == !b->include_deleted &&
         a->sort == b->sort &&
         !a->descending == !b->descending;
}

void
np_customer_query_set_text (NpCustomerQuery *query,
                            const char      *text)
{
  g_return_if_fail (query != NULL);
  replace_text (&query->text, text);
}

NpJournalQuery *
np_journal_query_new (void)
{
  return g_new0 (NpJournalQuery, 1);
}

NpJournalQuery *
np_journal_query_copy (const NpJournalQuery *query)
{
  NpJournalQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = g_memdup2 (query, sizeof *query);
  copy->text = g_strdup (query->text);
  copy->object_id = g_strdup (query->object_id);

  return copy;
}

void
np_journal_query_free (NpJournalQuery *query)
{
  if (query == NULL)
    return;

  g_free (query->text);
  g_free (query->object_id);
  g_free (query);
}

gboolean
np_journal_query_equal (const NpJournalQuery *a,
                        const NpJournalQuery *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->text, b->text) == 0 &&
         g_strcmp0 (a->object_id, b->object_id) == 0 &&
         a->operation_mask == b->operation_mask &&
         a->state_mask == b->state_mask &&
         !a->needs_attention == !b->needs_attention;
}

void
np_journal_query_set_text (NpJournalQuery *query,
                           const char     *text)
{
  g_return_if_fail (query != NULL);
  replace_text (&query->text, text);
}

void
np_journal_query_set_object_id (NpJournalQuery *query,
                                const char     *object_id)
{
  g_return_if_fail (query != NULL);
  replace_text (&query->object_id, object_id);
}
