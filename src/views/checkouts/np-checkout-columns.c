/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-columns.c — the columns of the checkouts list: titles, widths, order,
 * and the text each shows of a row.
 *
 * Rows that were imported but never retrieved have no amount or status yet and
 * show a dash.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-checkout-columns.h"
#include "np-money.h"
#include "np-status-badge.h"

typedef struct {
  const char *title;
  int         sort;        /* NpCheckoutSort, or -1 */
  int         width;       /* the message column: its narrowest */
  int         drop_order;  /* left out first when narrow: 1, then 2...; 0 never */
} ColumnInfo;

static const ColumnInfo columns[NP_CHECKOUT_N_COLUMNS] = {
  [NP_CHECKOUT_COLUMN_IDENTIFIER] = { N_("Identifier"), -1, 120, 0 },
  [NP_CHECKOUT_COLUMN_ID] = { N_("Checkout"), -1, 100, 3 },
  [NP_CHECKOUT_COLUMN_AMOUNT] = { N_("Amount"), NP_CHECKOUT_SORT_AMOUNT, 110, 0 },
  [NP_CHECKOUT_COLUMN_STATUS] = { N_("Status"), NP_CHECKOUT_SORT_STATUS, 130, 0 },
  [NP_CHECKOUT_COLUMN_CUSTOMER] = { N_("Customer"), -1, 90, 2 },
  [NP_CHECKOUT_COLUMN_CREATED] = { N_("Created"), NP_CHECKOUT_SORT_CREATED, 130, 5 },
  [NP_CHECKOUT_COLUMN_UPDATED] = { N_("Updated"), NP_CHECKOUT_SORT_UPDATED, 130, 1 },
  [NP_CHECKOUT_COLUMN_MESSAGE] = { N_("Message"), -1, 160, 4 },
};

#define MAX_DROP_ORDER 5
/* When even the kept columns do not fit, the identifier gives up to this much. */
#define IDENTIFIER_SHRINK 60

const char *
np_checkout_column_get_title (NpCheckoutColumn column)
{
  g_return_val_if_fail (column < NP_CHECKOUT_N_COLUMNS, NULL);

  return _(columns[column].title);
}

int
np_checkout_column_get_sort (NpCheckoutColumn column)
{
  g_return_val_if_fail (column < NP_CHECKOUT_N_COLUMNS, -1);

  return columns[column].sort;
}

NpCheckoutColumn
np_checkout_column_for_sort (NpCheckoutSort sort)
{
  for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
    if (columns[i].sort == (int) sort)
      return i;

  return NP_CHECKOUT_N_COLUMNS;
}

/* The width the shown columns need, the message column at its narrowest. */
static int
needed_width (int dropped)
{
  int width = 2 * NP_CHECKOUT_COLUMN_PADDING;
  int shown = 0;

  for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
    if (columns[i].drop_order == 0 || columns[i].drop_order > dropped)
      {
        width += columns[i].width;
        shown++;
      }

  return width + MAX (shown - 1, 0) * NP_CHECKOUT_COLUMN_SPACING;
}

int
np_checkout_columns_get_min_width (void)
{
  return needed_width (MAX_DROP_ORDER) - IDENTIFIER_SHRINK;
}

void
np_checkout_columns_layout (int                  width,
                            gboolean             rtl,
                            NpCheckoutColumnArea areas[NP_CHECKOUT_N_COLUMNS])
{
  int dropped = 0;
  int x = NP_CHECKOUT_COLUMN_PADDING;

  while (dropped < MAX_DROP_ORDER && needed_width (dropped) > width)
    dropped++;

  for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
    {
      if (columns[i].drop_order != 0 && columns[i].drop_order <= dropped)
        {
          areas[i] = (NpCheckoutColumnArea) { 0, 0 };
          continue;
        }

      areas[i].x = x;
      areas[i].width = columns[i].width;
      /* The message takes what the others leave; the identifier gives what is missing. */
      if (i == NP_CHECKOUT_COLUMN_MESSAGE)
        areas[i].width += MAX (0, width - needed_width (dropped));
      else if (i == NP_CHECKOUT_COLUMN_IDENTIFIER)
        areas[i].width -= CLAMP (needed_width (dropped) - width, 0, IDENTIFIER_SHRINK);
      x += areas[i].width + NP_CHECKOUT_COLUMN_SPACING;
    }

  if (rtl)
    for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
      if (areas[i].width > 0)
        areas[i].x = width - areas[i].x - areas[i].width;
}

NpCheckoutColumn
np_checkout_columns_at (const NpCheckoutColumnArea areas[NP_CHECKOUT_N_COLUMNS],
                        int                        x)
{
  for (guint i = 0; i < NP_CHECKOUT_N_COLUMNS; i++)
    if (areas[i].width > 0 && x >= areas[i].x && x < areas[i].x + areas[i].width)
      return i;

  return NP_CHECKOUT_N_COLUMNS;
}

/* g_date_time_to_local () looks the zone up again each time (a stat and a
 * readlink of /etc/localtime): a fifth of the work of binding a scrolled
 * row. The zone is read once per process, as the rest of the list reads it. */
static GTimeZone *
local_zone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    g_once_init_leave (&zone, g_time_zone_new_local ());

  return zone;
}

char *
np_checkout_format_local_time (GDateTime *utc)
{
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return NULL;

  local = g_date_time_to_timezone (utc, local_zone ());
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

char *
np_checkout_format_time_with_utc (GDateTime *utc)
{
  g_autofree char *local = np_checkout_format_local_time (utc);
  g_autofree char *iso = NULL;

  if (utc == NULL)
    return NULL;

  iso = g_date_time_format (utc, "%Y-%m-%d %H:%M:%S");
  /* Translators: a local time, then the same time in UTC. */
  return g_strdup_printf (_("%s (UTC %s)"), local, iso);
}

char *
np_checkout_shorten_id (const char *checkout_id)
{
  glong length;

  if (checkout_id == NULL)
    return NULL;

  length = g_utf8_strlen (checkout_id, -1);
  if (length <= 12)
    return g_strdup (checkout_id);

  /* Ids are ASCII ([A-Za-z0-9_-.:]), so byte offsets are characters. */
  return g_strdup_printf ("%.5s…%s", checkout_id, checkout_id + strlen (checkout_id) - 4);
}

char *
np_checkout_column_dup_text (NpCheckoutColumn  column,
                             NpCheckoutRow    *row)
{
  g_autofree char *text = NULL;
  const char *currency;

  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (row), NULL);

  switch (column)
    {
    case NP_CHECKOUT_COLUMN_IDENTIFIER:
      return g_strdup (np_checkout_row_get_identifier (row));

    case NP_CHECKOUT_COLUMN_ID:
      return np_checkout_shorten_id (np_checkout_row_get_checkout_id (row));

    case NP_CHECKOUT_COLUMN_AMOUNT:
      currency = np_checkout_row_get_currency (row);
      if (np_checkout_row_get_retrieved (row) && currency != NULL)
        text = np_money_format (np_checkout_row_get_amount (row), currency);
      break;

    case NP_CHECKOUT_COLUMN_STATUS:
      return g_strdup (np_checkout_status_get_label (np_checkout_row_get_status (row),
                                                     np_checkout_row_get_status_text (row)));

    case NP_CHECKOUT_COLUMN_CUSTOMER:
      return np_checkout_shorten_id (np_checkout_row_get_customer_id (row));

    case NP_CHECKOUT_COLUMN_CREATED:
      text = np_checkout_format_local_time (np_checkout_row_get_created (row));
      break;

    case NP_CHECKOUT_COLUMN_UPDATED:
      text = np_checkout_format_local_time (np_checkout_row_get_updated (row));
      break;

    case NP_CHECKOUT_COLUMN_MESSAGE:
      return g_strdup (np_checkout_row_get_message (row));

    case NP_CHECKOUT_N_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }

  return text != NULL ? g_steal_pointer (&text) : g_strdup ("—");
}

char *
np_checkout_column_dup_tooltip (NpCheckoutColumn  column,
                                NpCheckoutRow    *row)
{
  g_autofree char *iso = NULL;
  GDateTime *utc;
  const char *text = NULL;

  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (row), NULL);

  switch (column)
    {
    case NP_CHECKOUT_COLUMN_ID:
      text = np_checkout_row_get_checkout_id (row);
      break;
    case NP_CHECKOUT_COLUMN_STATUS:
      text = np_checkout_row_get_refresh_error (row);
      break;
    case NP_CHECKOUT_COLUMN_CUSTOMER:
      text = np_checkout_row_get_customer_id (row);
      break;
    case NP_CHECKOUT_COLUMN_CREATED:
    case NP_CHECKOUT_COLUMN_UPDATED:
      utc = column == NP_CHECKOUT_COLUMN_CREATED ? np_checkout_row_get_created (row)
                                                 : np_checkout_row_get_updated (row);
      iso = utc != NULL ? g_date_time_format_iso8601 (utc) : NULL;
      /* Translators: a time in ISO 8601, in UTC */
      return iso != NULL ? g_strdup_printf (_("%s (UTC)"), iso) : NULL;
    case NP_CHECKOUT_COLUMN_MESSAGE:
      /* The whole message, where the column ellipsizes it. */
      text = np_checkout_row_get_message (row);
      break;
    default:
      break;
    }

  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}
