/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer-row.c — one customer as the ledger lists it.
 *
 * Immutable: built from one SELECT row (NP_CUSTOMER_ROW_COLUMNS) plus the totals
 * of the customer's checkouts, read with the same page.
 */
#include "np-store-private.h"

struct _NpCustomerRow
{
  GObject     parent_instance;

  gint64      row_id;
  gint64      account_id;
  char       *customer_id;
  char       *first_name;
  char       *last_name;
  char       *display_name;
  char       *email;
  GDateTime  *created;
  GDateTime  *last_refreshed;
  char       *refresh_error;
  GPtrArray  *totals;
  guint       checkout_count;
  guint       retrieved : 1;
  guint       deleted : 1;
};

G_DEFINE_FINAL_TYPE (NpCustomerRow, np_customer_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROW_ID,
  PROP_ACCOUNT_ID,
  PROP_CUSTOMER_ID,
  PROP_FIRST_NAME,
  PROP_LAST_NAME,
  PROP_DISPLAY_NAME,
  PROP_EMAIL,
  PROP_CREATED,
  PROP_LAST_REFRESHED,
  PROP_REFRESH_ERROR,
  PROP_RETRIEVED,
  PROP_DELETED,
  PROP_CHECKOUT_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
np_currency_total_free (NpCurrencyTotal *total)
{
  if (total == NULL)
    return;

  g_free (total->currency);
  g_free (total);
}

static void
np_customer_row_finalize (GObject *object)
{
  NpCustomerRow *self = (NpCustomerRow *)object;

  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->first_name, g_free);
  g_clear_pointer (&self->last_name, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->last_refreshed, g_date_time_unref);
  g_clear_pointer (&self->refresh_error, g_free);
  g_clear_pointer (&self->totals, g_ptr_array_unref);

  G_OBJECT_CLASS (np_customer_row_parent_class)->finalize (object);
}

static void
np_customer_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  NpCustomerRow *self = NP_CUSTOMER_ROW (object);

  switch (prop_id)
    {
    case PROP_ROW_ID:
      g_value_set_int64 (value, self->row_id);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_int64 (value, self->account_id);
      break;
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;
    case PROP_FIRST_NAME:
      g_value_set_string (value, self->first_name);
      break;
    case PROP_LAST_NAME:
      g_value_set_string (value, self->last_name);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_LAST_REFRESHED:
      g_value_set_boxed (value, self->last_refreshed);
      break;
    case PROP_REFRESH_ERROR:
      g_value_set_string (value, self->refresh_error);
      break;
    case PROP_RETRIEVED:
      g_value_set_boolean (value, self->retrieved);
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted);
      break;
    case PROP_CHECKOUT_COUNT:
      g_value_set_uint (value, self->checkout_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define READABLE (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
np_customer_row_class_init (NpCustomerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = np_customer_row_finalize;
  object_class->get_property = np_customer_row_get_property;

  properties[PROP_ROW_ID] =
    g_param_spec_int64 ("row-id", NULL, NULL, 0, G_MAXINT64, 0, READABLE);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_int64 ("account-id", NULL, NULL, 0, G_MAXINT64, 0, READABLE);
  properties[PROP_CUSTOMER_ID] =
    g_param_spec_string ("customer-id", NULL, NULL, NULL, READABLE);
  properties[PROP_FIRST_NAME] =
    g_param_spec_string ("first-name", NULL, NULL, NULL, READABLE);
  properties[PROP_LAST_NAME] =
    g_param_spec_string ("last-name", NULL, NULL, NULL, READABLE);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL, READABLE);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, READABLE);
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, READABLE);
  properties[PROP_LAST_REFRESHED] =
    g_param_spec_boxed ("last-refreshed", NULL, NULL, G_TYPE_DATE_TIME, READABLE);
  properties[PROP_REFRESH_ERROR] =
    g_param_spec_string ("refresh-error", NULL, NULL, NULL, READABLE);
  properties[PROP_RETRIEVED] =
    g_param_spec_boolean ("retrieved", NULL, NULL, FALSE, READABLE);
  properties[PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL, FALSE, READABLE);
  properties[PROP_CHECKOUT_COUNT] =
    g_param_spec_uint ("checkout-count", NULL, NULL, 0, G_MAXUINT, 0, READABLE);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_customer_row_init (NpCustomerRow *self)
{
}

static char *
dup_display_name (NpCustomerRow *self)
{
  g_autofree char *name = NULL;

  name = g_strstrip (g_strdup_printf ("%s %s",
                                      self->first_name ? self->first_name : "",
                                      self->last_name ? self->last_name : ""));
  if (name[0] != '\0')
    return g_steal_pointer (&name);
  if (self->email != NULL && self->email[0] != '\0')
    return g_strdup (self->email);
  return g_strdup (self->customer_id);
}

/* Takes @totals (of NpCurrencyTotal). */
NpCustomerRow *
np_customer_row_new_from_stmt (sqlite3_stmt *stmt,
                               GPtrArray    *totals)
{
  NpCustomerRow *self = g_object_new (NP_TYPE_CUSTOMER_ROW, NULL);

  self->row_id = sqlite3_column_int64 (stmt, 0);
  self->account_id = sqlite3_column_int64 (stmt, 1);
  self->customer_id = np_store_column_dup (stmt, 2);
  self->first_name = np_store_column_dup (stmt, 3);
  self->last_name = np_store_column_dup (stmt, 4);
  self->email = np_store_column_dup (stmt, 5);
  self->created = np_store_column_time (stmt, 6);
  self->last_refreshed = np_store_column_time (stmt, 7);
  self->refresh_error = np_store_column_dup (stmt, 8);
  self->retrieved = sqlite3_column_int (stmt, 9) != 0;
  self->deleted = sqlite3_column_int (stmt, 10) != 0;
  self->display_name = dup_display_name (self);
  self->totals = totals;

  for (guint i = 0; i < totals->len; i++)
    {
      NpCurrencyTotal *total = g_ptr_array_index (totals, i);
      self->checkout_count += total->count;
    }

  return self;
}

gint64
np_customer_row_get_row_id (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), 0);
  return self->row_id;
}

gint64
np_customer_row_get_account_id (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), 0);
  return self->account_id;
}

const char *
np_customer_row_get_customer_id (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), NULL);
  return self->customer_id;
}

const char *
np_customer_row_get_first_name (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), NULL);
  return self->first_name;
}

const char *
np_customer_row_get_last_name (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), NULL);
  return self->last_name;
}

const char *
np_customer_row_get_display_name (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), NULL);
  return self->display_name;
}

const char *
np_customer_row_get_email (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), NULL);
  return self->email;
}

GDateTime *
np_customer_row_get_created (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), NULL);
  return self->created;
}

GDateTime *
np_customer_row_get_last_refreshed (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), NULL);
  return self->last_refreshed;
}

const char *
np_customer_row_get_refresh_error (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), NULL);
  return self->refresh_error;
}

gboolean
np_customer_row_get_retrieved (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), FALSE);
  return self->retrieved;
}

gboolean
np_customer_row_get_deleted (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), FALSE);
  return self->deleted;
}

guint
np_customer_row_get_checkout_count (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), 0);
  return self->checkout_count;
}

GPtrArray *
np_customer_row_get_totals (NpCustomerRow *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_ROW (self), NULL);
  return self->totals;
}
