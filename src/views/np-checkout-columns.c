/* np-checkout-columns.c — the columns of the checkouts list, and their order.
 *
 * One signal factory per column: setup makes the cell widget once, bind only
 * writes text into it, so scrolling through 100,000 rows allocates nothing but
 * the strings it shows. Rows that were imported but never retrieved have no
 * amount or status yet and show a dash.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-checkout-columns.h"
#include "np-checkout-row.h"
#include "np-money.h"
#include "np-status-badge.h"

typedef enum {
  COLUMN_IDENTIFIER,
  COLUMN_ID,
  COLUMN_AMOUNT,
  COLUMN_STATUS,
  COLUMN_CUSTOMER,
  COLUMN_CREATED,
  COLUMN_UPDATED,
  COLUMN_MESSAGE,
} ColumnKind;

typedef struct {
  ColumnKind  kind;
  const char *id;
  const char *title;
  int         sort;        /* NpCheckoutSort, or -1 */
  int         width;       /* fixed width, or -1 to follow the content */
  gboolean    expand;
} ColumnInfo;

static const ColumnInfo columns[] = {
  { COLUMN_IDENTIFIER, "identifier", N_("Identifier"), -1, 120, FALSE },
  { COLUMN_ID, "checkout-id", N_("Checkout"), -1, 100, FALSE },
  { COLUMN_AMOUNT, "amount", N_("Amount"), NP_CHECKOUT_SORT_AMOUNT, 110, FALSE },
  { COLUMN_STATUS, "status", N_("Status"), NP_CHECKOUT_SORT_STATUS, 120, FALSE },
  { COLUMN_CUSTOMER, "customer", N_("Customer"), -1, 90, FALSE },
  { COLUMN_CREATED, "created", N_("Created"), NP_CHECKOUT_SORT_CREATED, 130, FALSE },
  { COLUMN_UPDATED, "updated", N_("Updated"), NP_CHECKOUT_SORT_UPDATED, 130, FALSE },
  { COLUMN_MESSAGE, "message", N_("Message"), -1, -1, TRUE },
};

/* The sort a probe comparison ran into; see np_checkout_columns_get_sort (). */
static int probed_sort = -1;

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

/* The tooltip of the row @item shows now: the whole id, the refresh error, the UTC time. */
static gboolean
query_cell_tooltip (GtkWidget  *cell,
                    int         x,
                    int         y,
                    gboolean    keyboard_mode,
                    GtkTooltip *tooltip,
                    gpointer    user_data)
{
  const ColumnInfo *info = g_object_get_data (G_OBJECT (cell), "np-column-info");
  NpCheckoutRow *row = gtk_list_item_get_item (GTK_LIST_ITEM (user_data));
  g_autofree char *text = NULL;
  g_autofree char *iso = NULL;
  GDateTime *utc = NULL;

  if (row == NULL || info == NULL)
    return FALSE;

  switch (info->kind)
    {
    case COLUMN_ID:
      text = g_strdup (np_checkout_row_get_checkout_id (row));
      break;
    case COLUMN_STATUS:
      text = g_strdup (np_checkout_row_get_refresh_error (row));
      break;
    case COLUMN_CUSTOMER:
      text = g_strdup (np_checkout_row_get_customer_id (row));
      break;
    case COLUMN_CREATED:
    case COLUMN_UPDATED:
      utc = info->kind == COLUMN_CREATED ? np_checkout_row_get_created (row) : np_checkout_row_get_updated (row);
      iso = utc ? g_date_time_format_iso8601 (utc) : NULL;
      /* Translators: a time in ISO 8601, in UTC */
      text = iso ? g_strdup_printf (_("%s (UTC)"), iso) : NULL;
      break;
    default:
      break;
    }

  if (text == NULL || *text == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  const ColumnInfo *info = user_data;
  GtkWidget *cell;

  if (info->kind == COLUMN_STATUS)
    {
      cell = np_status_badge_new ();
      gtk_widget_set_halign (cell, GTK_ALIGN_START);
      gtk_widget_set_valign (cell, GTK_ALIGN_CENTER);
    }
  else
    {
      cell = gtk_inscription_new (NULL);
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      if (info->kind == COLUMN_AMOUNT)
        {
          gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 1.0);
          gtk_widget_add_css_class (cell, "numeric");
        }
      if (info->kind == COLUMN_ID || info->kind == COLUMN_CUSTOMER)
        gtk_widget_add_css_class (cell, "monospace");
    }

  /* In GTK 4.8 every gtk_widget_set_tooltip_text () asks the X server where the
   * pointer is, synchronously: in bind that was most of a scrolled frame. The
   * cell asks for its tooltip once, and the text is made only when shown. */
  if (info->kind != COLUMN_IDENTIFIER && info->kind != COLUMN_AMOUNT && info->kind != COLUMN_MESSAGE)
    {
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect_object (cell, "query-tooltip", G_CALLBACK (query_cell_tooltip), item, 0);
      g_object_set_data (G_OBJECT (cell), "np-column-info", (gpointer) info);
    }

  gtk_list_item_set_child (item, cell);
}

static void
bind_time (GtkWidget *cell,
           GDateTime *utc)
{
  g_autofree char *local = np_checkout_format_local_time (utc);

  gtk_inscription_set_text (GTK_INSCRIPTION (cell), local ? local : "—");
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  const ColumnInfo *info = user_data;
  NpCheckoutRow *row = gtk_list_item_get_item (item);
  GtkWidget *cell = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;
  const char *currency;

  switch (info->kind)
    {
    case COLUMN_IDENTIFIER:
      gtk_inscription_set_text (GTK_INSCRIPTION (cell), np_checkout_row_get_identifier (row));
      break;

    case COLUMN_ID:
      text = np_checkout_shorten_id (np_checkout_row_get_checkout_id (row));
      gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
      break;

    case COLUMN_AMOUNT:
      currency = np_checkout_row_get_currency (row);
      if (np_checkout_row_get_retrieved (row) && currency != NULL)
        text = np_money_format (np_checkout_row_get_amount (row), currency);
      gtk_inscription_set_text (GTK_INSCRIPTION (cell), text ? text : "—");
      break;

    case COLUMN_STATUS:
      np_status_badge_set_status (NP_STATUS_BADGE (cell), np_checkout_row_get_status_text (row));
      break;

    case COLUMN_CUSTOMER:
      text = np_checkout_shorten_id (np_checkout_row_get_customer_id (row));
      gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
      break;

    case COLUMN_CREATED:
      bind_time (cell, np_checkout_row_get_created (row));
      break;

    case COLUMN_UPDATED:
      bind_time (cell, np_checkout_row_get_updated (row));
      break;

    case COLUMN_MESSAGE:
      gtk_inscription_set_text (GTK_INSCRIPTION (cell), np_checkout_row_get_message (row));
      break;

    default:
      g_assert_not_reached ();
    }
}

static int
probe_sort (gconstpointer a,
            gconstpointer b,
            gpointer      user_data)
{
  probed_sort = GPOINTER_TO_INT (user_data);

  /* Any order but equal, so the view's sorter stops at the primary column and
   * its inversion tells the direction. */
  return GTK_ORDERING_LARGER;
}

void
np_checkout_columns_add (GtkColumnView *view)
{
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const ColumnInfo *info = &columns[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) info);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) info);

      column = gtk_column_view_column_new (_(info->title), factory);
      /* Column ids arrive in GTK 4.10: the info rides along as data. */
      g_object_set_data (G_OBJECT (column), "np-column-info", (gpointer) info);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, info->expand);
      if (info->width > 0)
        gtk_column_view_column_set_fixed_width (column, info->width);
      if (info->sort >= 0)
        {
          g_autoptr(GtkCustomSorter) sorter = gtk_custom_sorter_new (probe_sort, GINT_TO_POINTER (info->sort), NULL);
          gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
        }

      gtk_column_view_append_column (view, column);
    }
}

static GtkColumnViewColumn *
find_sort_column (GtkColumnView  *view,
                  NpCheckoutSort  sort)
{
  GListModel *model = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (model, i);
      const ColumnInfo *info = g_object_get_data (G_OBJECT (column), "np-column-info");

      if (info != NULL && info->sort == (int) sort)
        return column;
    }

  return NULL;
}

void
np_checkout_columns_set_sort (GtkColumnView  *view,
                              NpCheckoutSort  sort,
                              gboolean        descending)
{
  GtkColumnViewColumn *column = find_sort_column (view, sort);

  /* Only the primary order counts (the ledger sorts on one key), so drop the
   * others instead of showing their indicators too. */
  gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);
  gtk_column_view_sort_by_column (view, column, descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

gboolean
np_checkout_columns_get_sort (GtkColumnView  *view,
                              NpCheckoutSort *out_sort,
                              gboolean       *out_descending)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (view);
  GtkOrdering order;

  /* The markers ignore the items; any two distinct objects will do (the same
   * one twice would be equal without asking the columns). */
  probed_sort = -1;
  order = gtk_sorter_compare (sorter, view, sorter);
  if (probed_sort < 0 || order == GTK_ORDERING_EQUAL)
    return FALSE;

  *out_sort = probed_sort;
  *out_descending = (order == GTK_ORDERING_SMALLER);
  return TRUE;
}
