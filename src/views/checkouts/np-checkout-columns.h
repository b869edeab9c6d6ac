/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-columns.h — the columns of the checkouts list: their titles, order,
 * widths and what each shows of a row.
 *
 * The list draws a whole row in one widget (NpCheckoutRowWidget) under a header of
 * its own (NpCheckoutListHeader), both placed by np_checkout_columns_layout (), so
 * header and rows always agree. When the list is narrow the least needed columns
 * are left out instead of scrolling sideways.
 */
#pragma once

#include <gtk/gtk.h>

#include "np-checkout-row.h"
#include "np-ledger-query.h"

G_BEGIN_DECLS

typedef enum {
  NP_CHECKOUT_COLUMN_IDENTIFIER,
  NP_CHECKOUT_COLUMN_ID,
  NP_CHECKOUT_COLUMN_AMOUNT,
  NP_CHECKOUT_COLUMN_STATUS,
  NP_CHECKOUT_COLUMN_CUSTOMER,
  NP_CHECKOUT_COLUMN_CREATED,
  NP_CHECKOUT_COLUMN_UPDATED,
  NP_CHECKOUT_COLUMN_MESSAGE,
  NP_CHECKOUT_N_COLUMNS
} NpCheckoutColumn;

/* Where a column goes in a row: x from the row's start edge, width 0 when the
 * column is left out. */
typedef struct {
  int x;
  int width;
} NpCheckoutColumnArea;

/* Space at the row's start and end, and between columns. */
#define NP_CHECKOUT_COLUMN_PADDING 12
#define NP_CHECKOUT_COLUMN_SPACING 12

const char *np_checkout_column_get_title   (NpCheckoutColumn      column);
/* The NpCheckoutSort the column's header sorts by, or -1. */
int         np_checkout_column_get_sort    (NpCheckoutColumn      column);
/* The column showing @sort; NP_CHECKOUT_N_COLUMNS if none. */
NpCheckoutColumn np_checkout_column_for_sort (NpCheckoutSort      sort);

/* Places the columns in a row @width pixels wide, mirrored when @rtl. */
void        np_checkout_columns_layout     (int                   width,
                                            gboolean              rtl,
                                            NpCheckoutColumnArea  areas[NP_CHECKOUT_N_COLUMNS]);
/* The narrowest row: the columns that are never left out. */
int         np_checkout_columns_get_min_width (void);
/* The column under @x, or NP_CHECKOUT_N_COLUMNS. */
NpCheckoutColumn np_checkout_columns_at    (const NpCheckoutColumnArea areas[NP_CHECKOUT_N_COLUMNS],
                                            int                   x);

/* What @column shows of @row (the status column: its label); "—" where the row
 * has nothing yet. */
char       *np_checkout_column_dup_text    (NpCheckoutColumn      column,
                                            NpCheckoutRow        *row);
/* The tooltip of @column for @row (the whole id, the refresh error, the UTC
 * time), or NULL. */
char       *np_checkout_column_dup_tooltip (NpCheckoutColumn      column,
                                            NpCheckoutRow        *row);

/* "2024-05-01 14:03" in local time, for lists; NULL for NULL. */
char    *np_checkout_format_local_time   (GDateTime       *utc);
/* "local (UTC ...)" for details; NULL for NULL. */
char    *np_checkout_format_time_with_utc (GDateTime      *utc);
/* "7d3f…a91c": the first and last characters of a long id. */
char    *np_checkout_shorten_id          (const char      *checkout_id);

G_END_DECLS
