/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-row.c — one checkout as the ledger lists it.
 *
 * Immutable: built from one SELECT row (NP_CHECKOUT_ROW_COLUMNS) and replaced,
 * not mutated, when the ledger changes, so the properties never notify.
 */
#include "np-store-private.h"

struct _NpCheckoutRow
{
  GObject           parent_instance;

  gint64            row_id;
  gint64            account_id;
  char             *checkout_id;
  char             *identifier;
  NpCheckoutStatus  status;
  char             *status_text;
  gint64            amount;
  gint64            refunded_amount;
  char             *currency;
  char             *message;
  char             *customer_id;
  GDateTime        *created;
  GDateTime        *updated;
  GDateTime        *last_refreshed;
  char             *refresh_error;
  GDateTime        *refresh_failed_at;
  guint             retrieved : 1;
  guint             deleted : 1;
};

G_DEFINE_FINAL_TYPE (NpCheckoutRow, np_checkout_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROW_ID,
  PROP_ACCOUNT_ID,
  PROP_CHECKOUT_ID,
  PROP_IDENTIFIER,
  PROP_STATUS,
  PROP_STATUS_TEXT,
  PROP_AMOUNT,
  PROP_REFUNDED_AMOUNT,
  PROP_CURRENCY,
  PROP_MESSAGE,
  PROP_CUSTOMER_ID,
  PROP_CREATED,
  PROP_UPDATED,
  PROP_LAST_REFRESHED,
  PROP_REFRESH_ERROR,
  PROP_REFRESH_FAILED_AT,
  PROP_RETRIEVED,
  PROP_DELETED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
np_checkout_row_finalize (GObject *object)
{
  NpCheckoutRow *self = (NpCheckoutRow *)object;

  g_clear_pointer (&self->checkout_id, g_free);
  g_clear_pointer (&self->identifier, g_free);
  g_clear_pointer (&self->status_text, g_free);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);
  g_clear_pointer (&self->last_refreshed, g_date_time_unref);
  g_clear_pointer (&self->refresh_error, g_free);
  g_clear_pointer (&self->refresh_failed_at, g_date_time_unref);

  G_OBJECT_CLASS (np_checkout_row_parent_class)->finalize (object);
}

static void
np_checkout_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  NpCheckoutRow *self = NP_CHECKOUT_ROW (object);

  switch (prop_id)
    {
    case PROP_ROW_ID:
      g_value_set_int64 (value, self->row_id);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_int64 (value, self->account_id);
      break;
    case PROP_CHECKOUT_ID:
      g_value_set_string (value, self->checkout_id);
      break;
    case PROP_IDENTIFIER:
      g_value_set_string (value, self->identifier);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_STATUS_TEXT:
      g_value_set_string (value, self->status_text);
      break;
    case PROP_AMOUNT:
      g_value_set_int64 (value, self->amount);
      break;
    case PROP_REFUNDED_AMOUNT:
      g_value_set_int64 (value, self->refunded_amount);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_UPDATED:
      g_value_set_boxed (value, self->updated);
      break;
    case PROP_LAST_REFRESHED:
      g_value_set_boxed (value, self->last_refreshed);
      break;
    case PROP_REFRESH_ERROR:
      g_value_set_string (value, self->refresh_error);
      break;
    case PROP_REFRESH_FAILED_AT:
      g_value_set_boxed (value, self->refresh_failed_at);
      break;
    case PROP_RETRIEVED:
      g_value_set_boolean (value, self->retrieved);
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define READABLE (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
np_checkout_row_class_init (NpCheckoutRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = np_checkout_row_finalize;
  object_class->get_property = np_checkout_row_get_property;

  properties[PROP_ROW_ID] =
    g_param_spec_int64 ("row-id", NULL, NULL, 0, G_MAXINT64, 0, READABLE);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_int64 ("account-id", NULL, NULL, 0, G_MAXINT64, 0, READABLE);
  properties[PROP_CHECKOUT_ID] =
    g_param_spec_string ("checkout-id", NULL, NULL, NULL, READABLE);
  properties[PROP_IDENTIFIER] =
    g_param_spec_string ("identifier", NULL, NULL, NULL, READABLE);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       NP_TYPE_CHECKOUT_STATUS, NP_CHECKOUT_STATUS_UNKNOWN, READABLE);
  properties[PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL, READABLE);
  properties[PROP_AMOUNT] =
    g_param_spec_int64 ("amount", NULL, NULL, G_MININT64, G_MAXINT64, 0, READABLE);
  properties[PROP_REFUNDED_AMOUNT] =
    g_param_spec_int64 ("refunded-amount", NULL, NULL, G_MININT64, G_MAXINT64, 0, READABLE);
  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL, NULL, READABLE);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, READABLE);
  properties[PROP_CUSTOMER_ID] =
    g_param_spec_string ("customer-id", NULL, NULL, NULL, READABLE);
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, READABLE);
  properties[PROP_UPDATED] =
    g_param_spec_boxed ("updated", NULL, NULL, G_TYPE_DATE_TIME, READABLE);
  properties[PROP_LAST_REFRESHED] =
    g_param_spec_boxed ("last-refreshed", NULL, NULL, G_TYPE_DATE_TIME, READABLE);
  properties[PROP_REFRESH_ERROR] =
    g_param_spec_string ("refresh-error", NULL, NULL, NULL, READABLE);
  properties[PROP_REFRESH_FAILED_AT] =
    g_param_spec_boxed ("refresh-failed-at", NULL, NULL, G_TYPE_DATE_TIME, READABLE);
  properties[PROP_RETRIEVED] =
    g_param_spec_boolean ("retrieved", NULL, NULL, FALSE, READABLE);
  properties[PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL, FALSE, READABLE);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_checkout_row_init (NpCheckoutRow *self)
{
}

NpCheckoutRow *
np_checkout_row_new_from_stmt (sqlite3_stmt *stmt)
{
  NpCheckoutRow *self = g_object_new (NP_TYPE_CHECKOUT_ROW, NULL);

  self->row_id = sqlite3_column_int64 (stmt, 0);
  self->account_id = sqlite3_column_int64 (stmt, 1);
  self->checkout_id = np_store_column_dup (stmt, 2);
  self->identifier = np_store_column_dup (stmt, 3);
  self->status = sqlite3_column_int (stmt, 4);
  self->status_text = np_store_column_dup (stmt, 5);
  self->amount = sqlite3_column_int64 (stmt, 6);
  self->refunded_amount = sqlite3_column_int64 (stmt, 7);
  self->currency = np_store_column_dup (stmt, 8);
  self->message = np_store_column_dup (stmt, 9);
  self->customer_id = np_store_column_dup (stmt, 10);
  self->created = np_store_column_time (stmt, 11);
  self->updated = np_store_column_time (stmt, 12);
  self->last_refreshed = np_store_column_time (stmt, 13);
  self->refresh_error = np_store_column_dup (stmt, 14);
  self->refresh_failed_at = np_store_column_time (stmt, 15);
  self->retrieved = sqlite3_column_int (stmt, 16) != 0;
  self->deleted = sqlite3_column_int (stmt, 17) != 0;

  return self;
}

gint64
np_checkout_row_get_row_id (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), 0);
  return self->row_id;
}

gint64
np_checkout_row_get_account_id (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), 0);
  return self->account_id;
}

const char *
np_checkout_row_get_checkout_id (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), NULL);
  return self->checkout_id;
}

const char *
np_checkout_row_get_identifier (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), NULL);
  return self->identifier;
}

NpCheckoutStatus
np_checkout_row_get_status (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), NP_CHECKOUT_STATUS_UNKNOWN);
  return self->status;
}

const char *
np_checkout_row_get_status_text (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), NULL);
  return self->status_text;
}

gint64
np_checkout_row_get_amount (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), 0);
  return self->amount;
}

gint64
np_checkout_row_get_refunded_amount (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), 0);
  return self->refunded_amount;
}

const char *
np_checkout_row_get_currency (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), NULL);
  return self->currency;
}

const char *
np_checkout_row_get_message (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), NULL);
  return self->message;
}

const char *
np_checkout_row_get_customer_id (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), NULL);
  return self->customer_id;
}

GDateTime *
np_checkout_row_get_created (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), NULL);
  return self->created;
}

GDateTime *
np_checkout_row_get_updated (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), NULL);
  return self->updated;
}

GDateTime *
np_checkout_row_get_last_refreshed (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), NULL);
  return self->last_refreshed;
}

const char *
np_checkout_row_get_refresh_error (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), NULL);
  return self->refresh_error;
}

GDateTime *
np_checkout_row_get_refresh_failed_at (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), NULL);
  return self->refresh_failed_at;
}

gboolean
np_checkout_row_get_retrieved (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), FALSE);
  return self->retrieved;
}

gboolean
np_checkout_row_get_deleted (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), FALSE);
  return self->deleted;
}

gboolean
np_checkout_row_is_final (NpCheckoutRow *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (self), FALSE);
  return self->retrieved && np_checkout_status_is_final (self->status);
}
