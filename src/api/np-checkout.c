/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout.c — one checkout as the API last described it.
 *
 * The response shape is not documented beyond checkout_id and status, so the
 * object is built tolerantly: each known field is read in the spellings servers
 * plausibly use, a value of the wrong type counts as absent, and the whole object
 * is kept as sent so a raw view (and the ledger) lose nothing.
 */
#include "config.h"

#include <string.h>

#include "np-api-private.h"
#include "np-checkout.h"
#include "np-client.h"
#include "np-json-private.h"
#include "np-link.h"

/* Longer than any id the API documents (45), short enough that a garbage
 * value cannot become a key in the ledger. */
struct _NpCheckout
{
  GObject           parent_instance;

  JsonObject       *raw;
  char             *id;
  char             *identifier;
  NpCheckoutStatus  status;
  char             *status_text;
  gint64            amount;
  char             *currency;
  char             *message;
  gboolean          capture;
  gboolean          capture_known;
  gboolean          allow_save_card;
  char             *template_name;
  char             *return_url;
  char             *return_url_cancel;
  char             *customer_id;
  char             *card_id;
  char             *url;         /* NULL when refused: see np-link.h */
  gboolean          url_refused;
  GHashTable       *metadata;
  gint64            refunded_amount;
  GPtrArray        *refunds;
  GDateTime        *created;
  GDateTime        *updated;
  gboolean          deleted;
};

G_DEFINE_FINAL_TYPE (NpCheckout, np_checkout, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_IDENTIFIER,
  PROP_STATUS,
  PROP_STATUS_TEXT,
  PROP_AMOUNT,
  PROP_CURRENCY,
  PROP_MESSAGE,
  PROP_CAPTURE,
  PROP_ALLOW_SAVE_CARD,
  PROP_TEMPLATE,
  PROP_RETURN_URL,
  PROP_RETURN_URL_CANCEL,
  PROP_CUSTOMER_ID,
  PROP_CARD_ID,
  PROP_URL,
  PROP_REFUNDED_AMOUNT,
  PROP_REFUNDABLE_AMOUNT,
  PROP_CREATED,
  PROP_UPDATED,
  PROP_DELETED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Status ------------------------------------------------------------------ */

static const GEnumValue status_values[] = {
  { NP_CHECKOUT_STATUS_UNKNOWN, "NP_CHECKOUT_STATUS_UNKNOWN", "unknown" },
  { NP_CHECKOUT_STATUS_CREATED, "NP_CHECKOUT_STATUS_CREATED", "created" },
  { NP_CHECKOUT_STATUS_RESERVED, "NP_CHECKOUT_STATUS_RESERVED", "reserved" },
  { NP_CHECKOUT_STATUS_RESERVE_RELEASED, "NP_CHECKOUT_STATUS_RESERVE_RELEASED", "reserve-released" },
  { NP_CHECKOUT_STATUS_PAID, "NP_CHECKOUT_STATUS_PAID", "paid" },
  { NP_CHECKOUT_STATUS_REFUNDED, "NP_CHECKOUT_STATUS_REFUNDED", "refunded" },
  { NP_CHECKOUT_STATUS_PARTIAL_REFUND, "NP_CHECKOUT_STATUS_PARTIAL_REFUND", "partial-refund" },
  { NP_CHECKOUT_STATUS_REVOKED, "NP_CHECKOUT_STATUS_REVOKED", "revoked" },
  { NP_CHECKOUT_STATUS_FAILED, "NP_CHECKOUT_STATUS_FAILED", "failed" },
  { NP_CHECKOUT_STATUS_CANCELED, "NP_CHECKOUT_STATUS_CANCELED", "canceled" },
  { 0, NULL, NULL }
};

GType
np_checkout_status_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      GType type = g_enum_register_static (g_intern_static_string ("NpCheckoutStatus"),
                                           status_values);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

/* The API's own spellings, indexed by status. */
static const char * const status_names[] = {
  [NP_CHECKOUT_STATUS_UNKNOWN] = NULL,
  [NP_CHECKOUT_STATUS_CREATED] = "created",
  [NP_CHECKOUT_STATUS_RESERVED] = "reserved",
  [NP_CHECKOUT_STATUS_RESERVE_RELEASED] = "reserve released",
  [NP_CHECKOUT_STATUS_PAID] = "paid",
  [NP_CHECKOUT_STATUS_REFUNDED] = "refunded",
  [NP_CHECKOUT_STATUS_PARTIAL_REFUND] = "partialRefund",
  [NP_CHECKOUT_STATUS_REVOKED] = "revoked",
  [NP_CHECKOUT_STATUS_FAILED] = "failed",
  [NP_CHECKOUT_STATUS_CANCELED] = "canceled",
};

NpCheckoutStatus
np_checkout_status_from_string (const char *text)
{
  char folded[32];
  gsize n = 0;

  if (text == NULL)
    return NP_CHECKOUT_STATUS_UNKNOWN;

  /* Fold case and drop separators, so "reserve released", "reserve_released",
   * "reserveReleased" and "PARTIAL_REFUND" all match their status. */
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '_' || *p == '-')
        continue;
      if (n + 1 >= sizeof folded)
        return NP_CHECKOUT_STATUS_UNKNOWN;
      folded[n++] = g_ascii_tolower (*p);
    }
  folded[n] = '\0';

  if (strcmp (folded, "created") == 0)
    return NP_CHECKOUT_STATUS_CREATED;
  if (strcmp (folded, "reserved") == 0)
    return NP_CHECKOUT_STATUS_RESERVED;
  if (strcmp (folded, "reservereleased") == 0)
    return NP_CHECKOUT_STATUS_RESERVE_RELEASED;
  if (strcmp (folded, "paid") == 0)
    return NP_CHECKOUT_STATUS_PAID;
  if (strcmp (folded, "refunded") == 0)
    return NP_CHECKOUT_STATUS_REFUNDED;
  if (strcmp (folded, "partialrefund") == 0 || strcmp (folded, "partiallyrefunded") == 0)
    return NP_CHECKOUT_STATUS_PARTIAL_REFUND;
  if (strcmp (folded, "revoked") == 0)
    return NP_CHECKOUT_STATUS_REVOKED;
  if (strcmp (folded, "failed") == 0)
    return NP_CHECKOUT_STATUS_FAILED;
  if (strcmp (folded, "canceled") == 0 || strcmp (folded, "cancelled") == 0)
    return NP_CHECKOUT_STATUS_CANCELED;

  return NP_CHECKOUT_STATUS_UNKNOWN;
}

const char *
np_checkout_status_to_string (NpCheckoutStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (status_names))
    return NULL;

  return status_names[status];
}

gboolean
np_checkout_status_is_final (NpCheckoutStatus status)
{
  /* paid and partialRefund can still be refunded; an unknown status is not
   * final, so it keeps being refreshed until it becomes something we know. */
  switch (status)
    {
    case NP_CHECKOUT_STATUS_RESERVE_RELEASED:
    case NP_CHECKOUT_STATUS_REFUNDED:
    case NP_CHECKOUT_STATUS_REVOKED:
    case NP_CHECKOUT_STATUS_FAILED:
    case NP_CHECKOUT_STATUS_CANCELED:
      return TRUE;
    case NP_CHECKOUT_STATUS_UNKNOWN:
    case NP_CHECKOUT_STATUS_CREATED:
    case NP_CHECKOUT_STATUS_RESERVED:
    case NP_CHECKOUT_STATUS_PAID:
    case NP_CHECKOUT_STATUS_PARTIAL_REFUND:
    default:
      return FALSE;
    }
}

/* Shared parsing ---------------------------------------------------------- */

GDateTime *
np_parse_api_time (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) parsed = NULL;
  gsize len;

  if (text == NULL)
    return NULL;

  len = strlen (text);
  if (len < 10 || len > 64)
    return NULL;

  utc = g_time_zone_new_utc ();

  /* GLib accepts 'T', 't' and ' ' between date and time, with or without an
   * offset; text without one is UTC, as the API's dates are. */
  parsed = g_date_time_new_from_iso8601 (text, utc);
  if (parsed == NULL && len == 10)
    {
      /* A bare date. */
      g_autofree char *midnight = g_strconcat (text, "T00:00:00Z", NULL);
      parsed = g_date_time_new_from_iso8601 (midnight, utc);
    }

  if (parsed == NULL)
    return NULL;

  return g_date_time_to_utc (parsed);
}

static void
metadata_insert (GHashTable *table,
                 const char *key,
                 JsonNode   *value)
{
  char *text;

  if (key == NULL || *key == '\0' || value == NULL || JSON_NODE_HOLDS_NULL (value))
    return;

  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (value));
  else
    text = json_to_string (value, FALSE);

  g_hash_table_replace (table, g_strdup (key), text);
}

GHashTable *
np_parse_metadata (JsonNode *node)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (node == NULL)
    return table;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &key, &value))
        metadata_insert (table, key, value);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      /* The old text's shape: [{"key": "k", "value": "v"}, ...]. */
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *pair;
          g_autofree char *key = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          pair = json_node_get_object (element);
          key = np_json_node_dup_text (np_json_find (pair, "key", "Key", "name", NULL));
          metadata_insert (table, key, np_json_find (pair, "value", "Value", NULL));
        }
    }

  return table;
}

/* Refunds ----------------------------------------------------------------- */

void
np_refund_free (NpRefund *refund)
{
  if (refund == NULL)
    return;

  g_free (refund->reason);
  g_free (refund->details);
  g_free (refund->created);
  g_free (refund);
}

/* NULL when @node is no refund (skipped) or, with @error set, when its amount is
 * impossible (the whole answer is then unusable). */
static NpRefund *
refund_new_from_json (JsonNode  *node,
                      guint      index,
                      GError   **error)
{
  JsonObject *obj;
  NpRefund *refund;
  JsonNode *created;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *field = NULL;
  gint64 amount;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  obj = json_node_get_object (node);
  field = g_strdup_printf ("refunds[%u].amount", index);
  if (!np_json_node_get_amount (np_json_find (obj, "amount", NULL), field, &amount, error))
    return NULL;
  refund = g_new0 (NpRefund, 1);
  refund->amount = amount;
  refund->reason = np_json_node_dup_text (np_json_find (obj, "reason", NULL));
  refund->details = np_json_node_dup_text (np_json_find (obj, "refundDetails", "refund_details",
                                                         "details", NULL));

  /* Normalised to UTC ISO 8601 when we can read it; kept as sent otherwise. */
  created = np_json_find (obj, "created", "created_at", "createdAt", "date", NULL);
  when = np_json_node_get_time (created);
  if (when != NULL)
    refund->created = g_date_time_format_iso8601 (when);
  else
    refund->created = np_json_node_dup_text (created);

  return refund;
}

/* The object ---------------------------------------------------------------- */

static void
np_checkout_finalize (GObject *object)
{
  NpCheckout *self = NP_CHECKOUT (object);

  g_clear_pointer (&self->raw, json_object_unref);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->identifier, g_free);
  g_clear_pointer (&self->status_text, g_free);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->template_name, g_free);
  g_clear_pointer (&self->return_url, g_free);
  g_clear_pointer (&self->return_url_cancel, g_free);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->card_id, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_clear_pointer (&self->refunds, g_ptr_array_unref);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);

  G_OBJECT_CLASS (np_checkout_parent_class)->finalize (object);
}

static void
np_checkout_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NpCheckout *self = NP_CHECKOUT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_IDENTIFIER: g_value_set_string (value, self->identifier); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_STATUS_TEXT: g_value_set_string (value, self->status_text); break;
    case PROP_AMOUNT: g_value_set_int64 (value, self->amount); break;
    case PROP_CURRENCY: g_value_set_string (value, self->currency); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_CAPTURE: g_value_set_boolean (value, self->capture); break;
    case PROP_ALLOW_SAVE_CARD: g_value_set_boolean (value, self->allow_save_card); break;
    case PROP_TEMPLATE: g_value_set_string (value, self->template_name); break;
    case PROP_RETURN_URL: g_value_set_string (value, self->return_url); break;
    case PROP_RETURN_URL_CANCEL: g_value_set_string (value, self->return_url_cancel); break;
    case PROP_CUSTOMER_ID: g_value_set_string (value, self->customer_id); break;
    case PROP_CARD_ID: g_value_set_string (value, self->card_id); break;
    case PROP_URL: g_value_set_string (value, self->url); break;
    case PROP_REFUNDED_AMOUNT: g_value_set_int64 (value, self->refunded_amount); break;
    case PROP_REFUNDABLE_AMOUNT: g_value_set_int64 (value, np_checkout_get_refundable_amount (self)); break;
    case PROP_CREATED: g_value_set_boxed (value, self->created); break;
    case PROP_UPDATED: g_value_set_boxed (value, self->updated); break;
    case PROP_DELETED: g_value_set_boolean (value, self->deleted); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
int64_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
np_checkout_class_init (NpCheckoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = np_checkout_finalize;
  object_class->get_property = np_checkout_get_property;

  /* Read-only: a checkout changes only by being rebuilt from a new answer. */
  properties[PROP_ID] = string_property ("id");
  properties[PROP_IDENTIFIER] = string_property ("identifier");
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, NP_TYPE_CHECKOUT_STATUS, NP_CHECKOUT_STATUS_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_TEXT] = string_property ("status-text");
  properties[PROP_AMOUNT] = int64_property ("amount");
  properties[PROP_CURRENCY] = string_property ("currency");
  properties[PROP_MESSAGE] = string_property ("message");
  properties[PROP_CAPTURE] =
    g_param_spec_boolean ("capture", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOW_SAVE_CARD] =
    g_param_spec_boolean ("allow-save-card", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEMPLATE] = string_property ("template");
  properties[PROP_RETURN_URL] = string_property ("return-url");
  properties[PROP_RETURN_URL_CANCEL] = string_property ("return-url-cancel");
  properties[PROP_CUSTOMER_ID] = string_property ("customer-id");
  properties[PROP_CARD_ID] = string_property ("card-id");
  properties[PROP_URL] = string_property ("url");
  properties[PROP_REFUNDED_AMOUNT] = int64_property ("refunded-amount");
  properties[PROP_REFUNDABLE_AMOUNT] = int64_property ("refundable-amount");
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED] =
    g_param_spec_boxed ("updated", NULL, NULL, G_TYPE_DATE_TIME, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_checkout_init (NpCheckout *self)
{
  self->capture = TRUE;
  self->allow_save_card = TRUE;
}

/* Building ------------------------------------------------------------------- */

static char *
find_id (JsonObject *obj)
{
  return np_json_node_dup_id (np_json_find (obj, "checkout_id", "checkoutId", "id", "cid", NULL));
}

/* The first of @names present (and not null) in @obj, and which one it was. */
static JsonNode *
find_named (JsonObject         *obj,
            const char * const *names,
            const char        **found_name)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      JsonNode *node = np_json_find (obj, names[i], NULL);

      if (node != NULL)
        {
          *found_name = names[i];
          return node;
        }
    }
  return NULL;
}

static gboolean
read_refunds (NpCheckout  *self,
              JsonObject  *obj,
              GError     **error)
{
  static const char * const total_names[] = { "refunded_amount", "refundedAmount", "amount_refunded", NULL };
  JsonNode *node = np_json_find (obj, "refunds", NULL);
  const char *total_name = NULL;
  JsonNode *total_node;
  gint64 total = 0;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          NpRefund *refund = refund_new_from_json (json_array_get_element (array, i), i, error);

          if (refund == NULL && error != NULL && *error != NULL)
            return FALSE;
          if (refund == NULL)
            continue;
          g_ptr_array_add (self->refunds, refund);
          /* Each is at most NP_JSON_MAX_AMOUNT and the sum so far at most the amount
           * (itself at most NP_JSON_MAX_AMOUNT), so this cannot overflow. */
          total += refund->amount;
          if (total > self->amount)
            {
              g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                           "The response's \"refunds\" add up to more than its \"amount\"");
              return FALSE;
            }
        }
    }

  /* The server's own total wins; the sum of the listed refunds otherwise. */
  total_node = find_named (obj, total_names, &total_name);
  if (total_node == NULL)
    {
      self->refunded_amount = total;
      return TRUE;
    }
  if (!np_json_node_get_amount (total_node, total_name, &self->refunded_amount, error))
    return FALSE;
  if (self->refunded_amount > self->amount)
    {
      g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                   "The response's \"%s\" is more than its \"amount\"", total_name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
checkout_fill (NpCheckout  *self,
               JsonObject  *top,
               GError     **error)
{
  JsonObject *obj = np_json_unwrap (top, "checkout", find_id);
  JsonNode *node;

  self->id = find_id (obj);
  if (self->id == NULL)
    {
      g_set_error_literal (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                           "The response has no usable checkout_id");
      return FALSE;
    }

  self->raw = json_object_ref (obj);
  self->identifier = np_json_node_dup_text (np_json_find (obj, "identifier", NULL));
  self->status_text = np_json_node_dup_text (np_json_find (obj, "status", NULL));
  self->status = np_checkout_status_from_string (self->status_text);

  /* Money is checked where it enters: an impossible amount makes the answer unusable. */
  if (!np_json_node_get_amount (np_json_find (obj, "amount", NULL), "amount", &self->amount, error))
    return FALSE;

  self->currency = np_json_node_dup_text (np_json_find (obj, "currency", NULL));
  if (self->currency != NULL)
    {
      /* ISO 4217 codes are upper case; "sek" is still SEK. */
      char *upper = g_ascii_strup (self->currency, -1);
      g_free (self->currency);
      self->currency = upper;
    }
  self->message = np_json_node_dup_text (np_json_find (obj, "message", NULL));

  node = np_json_find (obj, "capture", NULL);
  self->capture_known = np_json_node_get_bool (node, &self->capture);
  np_json_node_get_bool (np_json_find (obj, "allowSaveCard", "allow_save_card", NULL),
                         &self->allow_save_card);

  self->template_name = np_json_node_dup_text (np_json_find (obj, "template", NULL));
  self->return_url = np_json_node_dup_text (np_json_find (obj, "returnUrl", "return_url", NULL));
  self->return_url_cancel = np_json_node_dup_text (np_json_find (obj, "returnUrlCancel",
                                                                 "return_url_cancel", NULL));
  self->customer_id = np_json_node_dup_text (np_json_find (obj, "customer_id", "customerId", NULL));
  self->card_id = np_json_node_dup_text (np_json_find (obj, "card_id", "cardId", NULL));
  /* Links are checked where they enter; a refused one stays in the raw JSON only. */
  self->url = np_link_take_openable (np_json_node_dup_text (np_json_find (obj, "url", "checkout_url", "checkoutUrl",
                                                                          "payment_url", NULL)),
                                     &self->url_refused);

  g_clear_pointer (&self->metadata, g_hash_table_unref);
  self->metadata = np_parse_metadata (np_json_find (obj, "metaData", "metadata", "meta_data", NULL));

  if (!read_refunds (self, obj, error))
    return FALSE;

  self->created = np_json_node_get_time (np_json_find (obj, "created", "created_at", "createdAt", NULL));
  self->updated = np_json_node_get_time (np_json_find (obj, "updated", "updated_at", "updatedAt", NULL));
  if (!np_json_node_get_bool (np_json_find (obj, "deleted", "isDeleted", NULL), &self->deleted))
    self->deleted = FALSE;

  return TRUE;
}

NpCheckout *
np_checkout_new_from_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(NpCheckout) self = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                           "The response is not a JSON object");
      return NULL;
    }

  self = g_object_new (NP_TYPE_CHECKOUT, NULL);
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->refunds = g_ptr_array_new_with_free_func ((GDestroyNotify) np_refund_free);

  if (!checkout_fill (self, json_node_get_object (node), error))
    return NULL;

  return g_steal_pointer (&self);
}

NpCheckout *
np_checkout_new_from_data (const char  *json,
                           gssize       length,
                           GError     **error)
{
  g_autoptr(JsonNode) node = np_json_parse (json, length, error);

  if (node == NULL)
    return NULL;

  return np_checkout_new_from_json (node, error);
}

/* Accessors ---------------------------------------------------------------- */

#define GETTER(type, name, field)                    \
  type                                               \
  np_checkout_get_##name (NpCheckout *self)          \
  {                                                  \
    g_return_val_if_fail (NP_IS_CHECKOUT (self), 0); \
    return self->field;                              \
  }

GETTER (const char *, id, id)
GETTER (const char *, identifier, identifier)
GETTER (NpCheckoutStatus, status, status)
GETTER (const char *, status_text, status_text)
GETTER (gint64, amount, amount)
GETTER (const char *, currency, currency)
GETTER (const char *, message, message)
GETTER (gboolean, capture, capture)
GETTER (gboolean, allow_save_card, allow_save_card)
GETTER (const char *, template, template_name)
GETTER (const char *, return_url, return_url)
GETTER (const char *, return_url_cancel, return_url_cancel)
GETTER (const char *, customer_id, customer_id)
GETTER (const char *, card_id, card_id)
GETTER (const char *, url, url)
GETTER (gboolean, url_refused, url_refused)
GETTER (GHashTable *, metadata, metadata)
GETTER (gint64, refunded_amount, refunded_amount)
GETTER (GPtrArray *, refunds, refunds)
GETTER (GDateTime *, created, created)
GETTER (GDateTime *, updated, updated)
GETTER (JsonObject *, raw, raw)
GETTER (gboolean, deleted, deleted)

#undef GETTER

char *
np_checkout_to_json (NpCheckout *self,
                     gboolean    pretty)
{
  g_return_val_if_fail (NP_IS_CHECKOUT (self), NULL);

  return np_json_object_to_string (self->raw, pretty);
}

void
np_checkout_mark_deleted (NpCheckout *self)
{
  g_return_if_fail (NP_IS_CHECKOUT (self));

  if (self->deleted)
    return;
  self->deleted = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
}

gboolean
np_checkout_can_capture (NpCheckout *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT (self), FALSE);

  if (self->deleted)
    return FALSE;

  /* Only a reservation can be captured; one that says it was created with
   * capture on cannot be waiting for a manual capture. */
  return self->status == NP_CHECKOUT_STATUS_RESERVED && !(self->capture_known && self->capture);
}

gint64
np_checkout_get_refundable_amount (NpCheckout *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT (self), 0);

  if (self->deleted)
    return 0;

  switch (self->status)
    {
    case NP_CHECKOUT_STATUS_PAID:
    case NP_CHECKOUT_STATUS_PARTIAL_REFUND:
    case NP_CHECKOUT_STATUS_RESERVED:
      if (self->amount <= 0 || self->refunded_amount >= self->amount)
        return 0;
      return self->amount - MAX (self->refunded_amount, 0);
    default:
      return 0;
    }
}

gboolean
np_checkout_can_refund (NpCheckout *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT (self), FALSE);

  return np_checkout_get_refundable_amount (self) > 0;
}

gboolean
np_checkout_can_delete (NpCheckout *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT (self), FALSE);

  return self->status == NP_CHECKOUT_STATUS_CREATED && !self->deleted;
}
