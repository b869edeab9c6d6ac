/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer.c — one customer and its saved cards, as the API last described it.
 *
 * Like NpCheckout, built tolerantly: the old text spells the card page
 * "Client_page", a real server may send more or other fields, and everything
 * sent is kept for the raw view.
 */
#include "config.h"

#include "np-api-private.h"
#include "np-client.h"
#include "np-customer.h"
#include "np-json-private.h"
#include "np-link.h"

struct _NpCustomer
{
  GObject     parent_instance;

  JsonObject *raw;
  char       *id;
  char       *first_name;
  char       *last_name;
  char       *email;
  char       *client_page;          /* NULL when refused: see np-link.h */
  gboolean    client_page_refused;
  GHashTable *metadata;
  GPtrArray  *saved_cards;
  GDateTime  *created;
  gboolean    deleted;
};

G_DEFINE_FINAL_TYPE (NpCustomer, np_customer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_FIRST_NAME,
  PROP_LAST_NAME,
  PROP_DISPLAY_NAME,
  PROP_EMAIL,
  PROP_CLIENT_PAGE,
  PROP_CREATED,
  PROP_DELETED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
np_saved_card_free (NpSavedCard *card)
{
  if (card == NULL)
    return;

  g_free (card->card_id);
  g_free (card->brand);
  g_free (card->last4);
  g_free (card->expiry);
  g_free (card);
}

static NpSavedCard *
saved_card_new_from_json (JsonNode *node)
{
  JsonObject *obj;
  NpSavedCard *card;
  gint64 month, year;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  obj = json_node_get_object (node);
  card = g_new0 (NpSavedCard, 1);
  card->card_id = np_json_node_dup_text (np_json_find (obj, "card_id", "cardId", "id", NULL));
  card->brand = np_json_node_dup_text (np_json_find (obj, "brand", "scheme", NULL));
  card->last4 = np_json_node_dup_text (np_json_find (obj, "last4", "last_4", "lastFour", NULL));
  card->expiry = np_json_node_dup_text (np_json_find (obj, "expiry", "expires", NULL));

  /* Some card APIs send the expiry as two numbers. */
  if (card->expiry == NULL
      && np_json_node_get_int (np_json_find (obj, "exp_month", "expMonth", NULL), &month)
      && np_json_node_get_int (np_json_find (obj, "exp_year", "expYear", NULL), &year)
      && month >= 1 && month <= 12 && year >= 0 && year <= 9999)
    card->expiry = g_strdup_printf ("%02d/%02d", (int) month, (int) (year % 100));

  if (!np_json_node_get_bool (np_json_find (obj, "default", "is_default", "isDefault", NULL),
                              &card->is_default))
    card->is_default = FALSE;

  return card;
}

static void
np_customer_finalize (GObject *object)
{
  NpCustomer *self = NP_CUSTOMER (object);

  g_clear_pointer (&self->raw, json_object_unref);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->first_name, g_free);
  g_clear_pointer (&self->last_name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->client_page, g_free);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_clear_pointer (&self->saved_cards, g_ptr_array_unref);
  g_clear_pointer (&self->created, g_date_time_unref);

  G_OBJECT_CLASS (np_customer_parent_class)->finalize (object);
}

static void
np_customer_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NpCustomer *self = NP_CUSTOMER (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_FIRST_NAME: g_value_set_string (value, self->first_name); break;
    case PROP_LAST_NAME: g_value_set_string (value, self->last_name); break;
    case PROP_DISPLAY_NAME: g_value_take_string (value, np_customer_dup_display_name (self)); break;
    case PROP_EMAIL: g_value_set_string (value, self->email); break;
    case PROP_CLIENT_PAGE: g_value_set_string (value, self->client_page); break;
    case PROP_CREATED: g_value_set_boxed (value, self->created); break;
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

static void
np_customer_class_init (NpCustomerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = np_customer_finalize;
  object_class->get_property = np_customer_get_property;

  properties[PROP_ID] = string_property ("id");
  properties[PROP_FIRST_NAME] = string_property ("first-name");
  properties[PROP_LAST_NAME] = string_property ("last-name");
  properties[PROP_DISPLAY_NAME] = string_property ("display-name");
  properties[PROP_EMAIL] = string_property ("email");
  properties[PROP_CLIENT_PAGE] = string_property ("client-page");
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_customer_init (NpCustomer *self)
{
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->saved_cards = g_ptr_array_new_with_free_func ((GDestroyNotify) np_saved_card_free);
}

static char *
find_id (JsonObject *obj)
{
  return np_json_node_dup_id (np_json_find (obj, "customer_id", "customerId", "id", NULL));
}

static gboolean
says_deleted (JsonObject *obj)
{
  gboolean deleted = FALSE;
  g_autofree char *status = NULL;

  if (np_json_node_get_bool (np_json_find (obj, "deleted", "isDeleted", NULL), &deleted) && deleted)
    return TRUE;

  status = np_json_node_dup_text (np_json_find (obj, "status", NULL));
  return status != NULL && g_ascii_strcasecmp (status, "deleted") == 0;
}

static void
customer_fill (NpCustomer *self,
               JsonObject *obj)
{
  JsonNode *cards;

  self->raw = json_object_ref (obj);
  self->first_name = np_json_node_dup_text (np_json_find (obj, "first_name", "firstName", NULL));
  self->last_name = np_json_node_dup_text (np_json_find (obj, "last_name", "lastName", NULL));
  self->email = np_json_node_dup_text (np_json_find (obj, "email", NULL));
  /* Links are checked where they enter; a refused one stays in the raw JSON only. */
  self->client_page = np_link_take_openable (np_json_node_dup_text (np_json_find (obj, "client_page", "Client_page",
                                                                                  "clientPage", NULL)),
                                             &self->client_page_refused);

  g_hash_table_unref (self->metadata);
  self->metadata = np_parse_metadata (np_json_find (obj, "metaData", "metadata", "meta_data", NULL));

  cards = np_json_find (obj, "savedCards", "saved_cards", "cards", NULL);
  if (cards != NULL && JSON_NODE_HOLDS_ARRAY (cards))
    {
      JsonArray *array = json_node_get_array (cards);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          NpSavedCard *card = saved_card_new_from_json (json_array_get_element (array, i));

          if (card != NULL)
            g_ptr_array_add (self->saved_cards, card);
        }
    }

  self->created = np_json_node_get_time (np_json_find (obj, "created", "created_at", "createdAt", NULL));
  self->deleted = says_deleted (obj);
}

NpCustomer *
np_customer_new_from_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(NpCustomer) self = NULL;
  JsonObject *obj;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                           "The response is not a JSON object");
      return NULL;
    }

  obj = np_json_unwrap (json_node_get_object (node), "customer", find_id);
  self = g_object_new (NP_TYPE_CUSTOMER, NULL);
  self->id = find_id (obj);
  if (self->id == NULL)
    {
      g_set_error_literal (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                           "The response has no usable customer_id");
      return NULL;
    }

  customer_fill (self, obj);

  return g_steal_pointer (&self);
}

NpCustomer *
np_customer_new_from_data (const char  *json,
                           gssize       length,
                           GError     **error)
{
  g_autoptr(JsonNode) node = np_json_parse (json, length, error);

  if (node == NULL)
    return NULL;

  return np_customer_new_from_json (node, error);
}

NpCustomer *
np_customer_new_deleted (const char *customer_id,
                         JsonNode   *confirmation)
{
  NpCustomer *self;
  g_autoptr(JsonObject) empty = NULL;
  JsonObject *obj;

  g_return_val_if_fail (np_json_id_is_usable (customer_id), NULL);

  if (confirmation != NULL && JSON_NODE_HOLDS_OBJECT (confirmation))
    obj = json_node_get_object (confirmation);
  else
    obj = empty = json_object_new ();

  self = g_object_new (NP_TYPE_CUSTOMER, NULL);
  self->id = g_strdup (customer_id);
  customer_fill (self, obj);
  self->deleted = TRUE;

  return self;
}

void
np_customer_mark_deleted (NpCustomer *self)
{
  g_return_if_fail (NP_IS_CUSTOMER (self));

  if (self->deleted)
    return;
  self->deleted = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
}

#define GETTER(type, name, field)                    \
  type                                               \
  np_customer_get_##name (NpCustomer *self)          \
  {                                                  \
    g_return_val_if_fail (NP_IS_CUSTOMER (self), 0); \
    return self->field;                              \
  }

GETTER (const char *, id, id)
GETTER (const char *, first_name, first_name)
GETTER (const char *, last_name, last_name)
GETTER (const char *, email, email)
GETTER (const char *, client_page, client_page)
GETTER (gboolean, client_page_refused, client_page_refused)
GETTER (GHashTable *, metadata, metadata)
GETTER (GPtrArray *, saved_cards, saved_cards)
GETTER (GDateTime *, created, created)
GETTER (gboolean, deleted, deleted)
GETTER (JsonObject *, raw, raw)

#undef GETTER

char *
np_customer_dup_display_name (NpCustomer *self)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  g_return_val_if_fail (NP_IS_CUSTOMER (self), NULL);

  first = g_strstrip (g_strdup (self->first_name ? self->first_name : ""));
  last = g_strstrip (g_strdup (self->last_name ? self->last_name : ""));

  if (*first != '\0' && *last != '\0')
    return g_strconcat (first, " ", last, NULL);
  if (*first != '\0' || *last != '\0')
    return g_strdup (*first != '\0' ? first : last);
  if (self->email != NULL && *self->email != '\0')
    return g_strdup (self->email);

  return g_strdup (self->id);
}

char *
np_customer_to_json (NpCustomer *self,
                     gboolean    pretty)
{
  g_return_val_if_fail (NP_IS_CUSTOMER (self), NULL);

  return np_json_object_to_string (self->raw, pretty);
}
