/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-query.h — what a list asks the ledger for: filters and order.
 *
 * Plain boxed structs with public fields; set them directly and hand the struct
 * to a list model or a ledger query, which copy it. Every query is evaluated in
 * SQL against one account's rows.
 *
 * Text search is a case-insensitive substring match ("order-42" finds
 * "order-4242") over the fields listed for each query. Times are UTC Unix seconds.
 */
#pragma once

#include <glib-object.h>

#include "np-checkout.h"
#include "np-journal-entry.h"

G_BEGIN_DECLS

/* One bit per NpCheckoutStatus (UNKNOWN includes rows not retrieved yet). */
#define NP_CHECKOUT_STATUS_BIT(status) (1u << (status))

typedef enum {
  NP_CHECKOUT_SORT_CREATED,    /* rows never retrieved sort by when they were imported */
  NP_CHECKOUT_SORT_AMOUNT,
  NP_CHECKOUT_SORT_STATUS,     /* lifecycle order (NpCheckoutStatus), then created */
  NP_CHECKOUT_SORT_UPDATED,
} NpCheckoutSort;

GType np_checkout_sort_get_type (void);
#define NP_TYPE_CHECKOUT_SORT (np_checkout_sort_get_type ())

typedef struct {
  char           *text;             /* NULL or "": everything. Searches id, identifier,
                                     * message, metadata keys and values, customer email */
  guint           status_mask;      /* NP_CHECKOUT_STATUS_BIT()s; 0: any status */
  gint64          created_from;     /* inclusive; 0: unbounded */
  gint64          created_until;    /* exclusive; 0: unbounded */
  char           *customer_id;      /* only this customer's checkouts; NULL: all */
  gboolean        refresh_failed;   /* only rows whose last refresh failed */
  gboolean        include_deleted;  /* deleted checkouts are hidden unless set */
  NpCheckoutSort  sort;             /* ties are broken by ledger row id */
  gboolean        descending;
} NpCheckoutQuery;

GType            np_checkout_query_get_type (void);
#define NP_TYPE_CHECKOUT_QUERY (np_checkout_query_get_type ())
/* Everything, newest first. */
NpCheckoutQuery *np_checkout_query_new                   (void);
NpCheckoutQuery *np_checkout_query_copy                  (const NpCheckoutQuery *query);
void             np_checkout_query_free                  (NpCheckoutQuery       *query);
gboolean         np_checkout_query_equal                 (const NpCheckoutQuery *a,
                                                          const NpCheckoutQuery *b);
void             np_checkout_query_set_text              (NpCheckoutQuery       *query,
                                                          const char            *text);
void             np_checkout_query_set_customer_id       (NpCheckoutQuery       *query,
                                                          const char            *customer_id);

/* The Overview's "needs attention" lists, as queries (so a list model and a count
 * come for free): reserved and waiting for a capture, oldest first; still created
 * (unpaid) and created before @now minus @hours, oldest first; last refresh failed,
 * most recent failure first. */
NpCheckoutQuery *np_checkout_query_new_awaiting_capture  (void);
NpCheckoutQuery *np_checkout_query_new_stale_created     (gint64                 now,
                                                          guint                  hours);
NpCheckoutQuery *np_checkout_query_new_refresh_failed    (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpCheckoutQuery, np_checkout_query_free)

typedef enum {
  NP_CUSTOMER_SORT_NAME,       /* last name, first name, email */
  NP_CUSTOMER_SORT_EMAIL,
  NP_CUSTOMER_SORT_CREATED,
} NpCustomerSort;

GType np_customer_sort_get_type (void);
#define NP_TYPE_CUSTOMER_SORT (np_customer_sort_get_type ())

typedef struct {
  char           *text;             /* searches id, names, email, metadata */
  gboolean        include_deleted;
  NpCustomerSort  sort;
  gboolean        descending;
} NpCustomerQuery;

GType            np_customer_query_get_type (void);
#define NP_TYPE_CUSTOMER_QUERY (np_customer_query_get_type ())
/* Everything, by name. */
NpCustomerQuery *np_customer_query_new                   (void);
NpCustomerQuery *np_customer_query_copy                  (const NpCustomerQuery *query);
void             np_customer_query_free                  (NpCustomerQuery       *query);
gboolean         np_customer_query_equal                 (const NpCustomerQuery *a,
                                                          const NpCustomerQuery *b);
void             np_customer_query_set_text              (NpCustomerQuery       *query,
                                                          const char            *text);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpCustomerQuery, np_customer_query_free)

/* One bit per NpJournalOperation / NpJournalState. */
#define NP_JOURNAL_OPERATION_BIT(operation) (1u << (operation))
#define NP_JOURNAL_STATE_BIT(state) (1u << (state))

/* The journal is always newest first. */
typedef struct {
  char      *text;             /* searches object id, summary, details, error text */
  char      *object_id;        /* one checkout's or customer's history; NULL: all */
  guint      operation_mask;   /* 0: any */
  guint      state_mask;       /* 0: any */
  gboolean   needs_attention;  /* only UNKNOWN rows not settled yet */
} NpJournalQuery;

GType            np_journal_query_get_type (void);
#define NP_TYPE_JOURNAL_QUERY (np_journal_query_get_type ())
NpJournalQuery  *np_journal_query_new                    (void);
NpJournalQuery  *np_journal_query_copy                   (const NpJournalQuery  *query);
void             np_journal_query_free                   (NpJournalQuery        *query);
gboolean         np_journal_query_equal                  (const NpJournalQuery  *a,
                                                          const NpJournalQuery  *b);
void             np_journal_query_set_text               (NpJournalQuery        *query,
                                                          const char            *text);
void             np_journal_query_set_object_id          (NpJournalQuery        *query,
                                                          const char            *object_id);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpJournalQuery, np_journal_query_free)

G_END_DECLS
