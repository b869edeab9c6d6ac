/* np-checkout-columns.h — the columns of the checkouts list, and their order.
 *
 * The ledger sorts in SQL, so the column view's sorter never sorts anything: each
 * sortable column carries a GtkCustomSorter that only marks which NpCheckoutSort
 * it stands for, and np_checkout_columns_get_sort () reads the view's primary
 * column and direction from it (GTK 4.8 has no public GtkColumnViewSorter API).
 */
#pragma once

#include <gtk/gtk.h>

#include "np-ledger-query.h"

G_BEGIN_DECLS

/* Appends identifier, id, amount, status, customer, created, updated and message. */
void     np_checkout_columns_add         (GtkColumnView   *view);
/* Shows @sort/@descending as the view's sort indicator. */
void     np_checkout_columns_set_sort    (GtkColumnView   *view,
                                          NpCheckoutSort   sort,
                                          gboolean         descending);
/* The order the view's headers ask for; FALSE when no sortable column is sorted. */
gboolean np_checkout_columns_get_sort    (GtkColumnView   *view,
                                          NpCheckoutSort  *out_sort,
                                          gboolean        *out_descending);

/* "2024-05-01 14:03" in local time, for lists; NULL for NULL. */
char    *np_checkout_format_local_time   (GDateTime       *utc);
/* "local (UTC ...)" for details; NULL for NULL. */
char    *np_checkout_format_time_with_utc (GDateTime      *utc);
/* "7d3f…a91c": the first and last characters of a long id. */
char    *np_checkout_shorten_id          (const char      *checkout_id);

G_END_DECLS
