/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sandbox-api.c — the nine /checkout/ calls, with the validation of neuropay-api.md.
 *
 * Every refusal is a 4xx with {"error": {"code", "message", "requestId"}}:
 *   400 invalid_request  the body is not a JSON object, a field is missing or of the wrong type
 *   404 not_found        no such checkout or customer in this key's world
 *   409 invalid_state    the call is not allowed in the checkout's status
 *   422 invalid_value    a well-typed value the rules refuse (currency, amount, reason, card)
 */
#include "np-json-private.h"
#include "np-sandbox-private.h"

#include "np-money.h"

/* The largest amount accepted, in major units of any currency. */
#define NP_SANDBOX_MAX_MAJOR G_GINT64_CONSTANT (100000000)

typedef struct
{
  NpSandboxServer   *self;
  SoupServerMessage *msg;
  NpSandboxWorld     world;
  const char        *request_id;
  JsonObject        *body;
} Call;

static const char * const world_labels[NP_SANDBOX_N_WORLDS] = { "test", "live" };

static gboolean refuse (Call *call, guint status, const char *code, const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
refuse (Call       *call,
        guint       status,
        const char *code,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  np_sandbox_reply_error (call->msg, status, code, call->request_id, "%s", message);
  return FALSE;
}

/* Fields ------------------------------------------------------------------- */

static JsonNode *
member (Call       *call,
        const char *name)
{
  JsonNode *node = json_object_get_member (call->body, name);

  /* An explicit null means "not given", as most clients send it. */
  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
get_string (Call        *call,
            const char  *name,
            gboolean     required,
            const char **out)
{
  JsonNode *node = member (call, name);

  *out = NULL;
  if (node == NULL)
    return !required || refuse (call, 400, "invalid_request", "%s is required", name);
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return refuse (call, 400, "invalid_request", "%s must be a string", name);
  *out = json_node_get_string (node);
  if (required && **out == '\0')
    return refuse (call, 400, "invalid_request", "%s must not be empty", name);
  return TRUE;
}

static gboolean
get_boolean (Call       *call,
             const char *name,
             gboolean    fallback,
             gboolean   *out)
{
  JsonNode *node = member (call, name);

  *out = fallback;
  if (node == NULL)
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return refuse (call, 400, "invalid_request", "%s must be true or false", name);
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Amounts are whole minor units: 12.5 or "1250" are refused, not rounded. */
static gboolean
get_amount (Call       *call,
            const char *name,
            gboolean    required,
            const char *currency,
            gint64     *out)
{
  JsonNode *node = member (call, name);
  int exponent = np_money_currency_exponent (currency);
  gint64 max = NP_SANDBOX_MAX_MAJOR;

  *out = -1;
  if (node == NULL)
    return !required || refuse (call, 400, "invalid_request", "%s is required", name);
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return refuse (call, 400, "invalid_request", "%s must be a whole number of minor units", name);
  *out = json_node_get_int (node);
  for (int i = 0; i < exponent; i++)
    max *= 10;
  if (*out <= 0)
    return refuse (call, 422, "invalid_value", "%s must be positive", name);
  if (*out > max)
    return refuse (call, 422, "invalid_value", "%s is above the largest amount for %s", name, currency);
  return TRUE;
}

static gboolean
get_id (Call        *call,
        const char  *name,
        const char **out)
{
  if (!get_string (call, name, TRUE, out))
    return FALSE;
  if (strlen (*out) > 45)
    return refuse (call, 400, "invalid_request", "%s is longer than 45 characters", name);
  return TRUE;
}

static gboolean
get_url (Call        *call,
         const char  *name,
         const char **out)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (!get_string (call, name, FALSE, out))
    return FALSE;
  if (*out == NULL)
    return TRUE;
  uri = g_uri_parse (*out, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (scheme == NULL || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    return refuse (call, 422, "invalid_value", "%s must be an http or https URL", name);
  return TRUE;
}

/* metaData as an object or as [{"key", "value"}]; values are kept as strings and an
 * empty value means "remove this key". */
static gboolean
get_metadata (Call        *call,
              JsonObject **out)
{
  JsonNode *node = member (call, "metaData");
  g_autoptr(JsonObject) result = json_object_new ();

  *out = NULL;
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &key, &value))
        {
          if (JSON_NODE_HOLDS_NULL (value))
            json_object_set_string_member (result, key, "");
          else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            json_object_set_string_member (result, key, json_node_get_string (value));
          else if (JSON_NODE_HOLDS_VALUE (value))
            {
              g_autofree char *text = json_to_string (value, FALSE);
              json_object_set_string_member (result, key, text);
            }
          else
            return refuse (call, 400, "invalid_request", "metaData.%s must be a string", key);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *pair = json_array_get_element (array, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (pair) ? json_node_get_object (pair) : NULL;
          JsonNode *key = object ? json_object_get_member (object, "key") : NULL;
          JsonNode *value = object ? json_object_get_member (object, "value") : NULL;

          if (key == NULL || json_node_get_value_type (key) != G_TYPE_STRING ||
              (value != NULL && !JSON_NODE_HOLDS_NULL (value) &&
               json_node_get_value_type (value) != G_TYPE_STRING))
            return refuse (call, 400, "invalid_request",
                           "metaData must be an object or a list of {\"key\", \"value\"} strings");
          json_object_set_string_member (result, json_node_get_string (key),
                                         value && !JSON_NODE_HOLDS_NULL (value) ? json_node_get_string (value) : "");
        }
    }
  else
    return refuse (call, 400, "invalid_request", "metaData must be an object");

  *out = g_steal_pointer (&result);
  return TRUE;
}

/* Applies @changes to @target: an empty value removes the key. */
static void
merge_metadata (JsonObject *target,
                JsonObject *changes)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, changes);
  while (json_object_iter_next (&iter, &key, &value))
    {
      const char *text = json_node_get_string (value);

      if (text == NULL || *text == '\0')
        {
          if (json_object_has_member (target, key))
            json_object_remove_member (target, key);
        }
      else
        json_object_set_string_member (target, key, text);
    }
}

static gboolean
get_payment_methods (Call       *call,
                     JsonArray **out)
{
  static const char * const methods[] = { "card", "swish", "trustly", "paypal", NULL };
  JsonNode *node = member (call, "paymentMethods");
  JsonArray *array;

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return refuse (call, 400, "invalid_request", "paymentMethods must be a list");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *method = object ? json_object_get_string_member_with_default (object, "method", NULL) : NULL;
      JsonNode *brands = object ? json_object_get_member (object, "brands") : NULL;

      if (method == NULL)
        return refuse (call, 400, "invalid_request", "paymentMethods[%u] needs a method", i);
      if (!g_strv_contains (methods, method))
        return refuse (call, 422, "invalid_value", "paymentMethods[%u]: unknown method %s", i, method);
      if (brands != NULL && !JSON_NODE_HOLDS_ARRAY (brands) && !JSON_NODE_HOLDS_NULL (brands))
        return refuse (call, 400, "invalid_request", "paymentMethods[%u].brands must be a list", i);
    }
  *out = json_array_ref (array);
  return TRUE;
}

/* Records ------------------------------------------------------------------ */

static gboolean
find_checkout (Call        *call,
               JsonObject **out)
{
  const char *id;

  *out = NULL;
  if (!get_id (call, "checkout_id", &id))
    return FALSE;
  *out = np_sandbox_store_get_checkout (call->self->store, call->world, id);
  if (*out == NULL)
    return refuse (call, 404, "not_found", "No checkout %s in the %s world", id, world_labels[call->world]);
  return TRUE;
}

static gboolean
find_customer (Call        *call,
               JsonObject **out)
{
  const char *id;

  *out = NULL;
  if (!get_id (call, "customer_id", &id))
    return FALSE;
  *out = np_sandbox_store_get_customer (call->self->store, call->world, id);
  if (*out == NULL)
    return refuse (call, 404, "not_found", "No customer %s in the %s world", id, world_labels[call->world]);
  return TRUE;
}

static void
reply_checkout (Call       *call,
                JsonObject *record)
{
  g_autoptr(JsonObject) reply = np_sandbox_checkout_for_reply (call->self, record);

  np_sandbox_reply_object (call->msg, 200, reply);
}

static void
reply_customer (Call       *call,
                JsonObject *record,
                gboolean    deleted)
{
  g_autoptr(JsonObject) reply = np_sandbox_customer_for_reply (call->self, record);

  if (deleted)
    json_object_set_boolean_member (reply, "deleted", TRUE);
  np_sandbox_reply_object (call->msg, 200, reply);
}

static void
touch (Call       *call,
       JsonObject *record)
{
  g_autofree char *now = np_sandbox_store_now (call->self->store);

  json_object_set_string_member (record, "updated", now);
}

static gboolean
customer_owns_card (JsonObject *customer,
                    const char *card_id)
{
  JsonArray *cards = json_object_get_array_member (customer, "savedCards");

  for (guint i = 0; cards != NULL && i < json_array_get_length (cards); i++)
    {
      JsonObject *card = json_array_get_object_element (cards, i);

      if (card != NULL && g_strcmp0 (json_object_get_string_member_with_default (card, "card_id", NULL),
                                     card_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
set_optional_string (JsonObject *record,
                     const char *name,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (record, name, value);
  else
    json_object_set_null_member (record, name);
}

/* Checkout calls ----------------------------------------------------------- */

static gboolean
checkout_create (Call *call)
{
  const char *currency_in, *message, *identifier, *return_url, *return_url_cancel;
  const char *customer_id, *card_id, *template;
  g_autofree char *currency = NULL;
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  g_autoptr(JsonObject) metadata = NULL;
  g_autoptr(JsonObject) clean_metadata = NULL;
  g_autoptr(JsonArray) payment_methods = NULL;
  g_autoptr(JsonObject) record = NULL;
  JsonObject *customer = NULL;
  gboolean capture, allow_save_card;
  gint64 amount;

  if (!get_string (call, "currency", TRUE, &currency_in))
    return FALSE;
  currency = g_ascii_strup (currency_in, -1);
  if (!np_money_currency_is_known (currency))
    return refuse (call, 422, "invalid_value", "currency %s is not an ISO 4217 code", currency_in);

  if (!get_amount (call, "amount", TRUE, currency, &amount) ||
      !get_string (call, "message", TRUE, &message) ||
      !get_string (call, "identifier", FALSE, &identifier) ||
      !get_url (call, "returnUrl", &return_url) ||
      !get_url (call, "returnUrlCancel", &return_url_cancel) ||
      !get_boolean (call, "capture", TRUE, &capture) ||
      !get_boolean (call, "allowSaveCard", TRUE, &allow_save_card) ||
      !get_string (call, "customer_id", FALSE, &customer_id) ||
      !get_string (call, "card_id", FALSE, &card_id) ||
      !get_string (call, "template", FALSE, &template) ||
      !get_metadata (call, &metadata) ||
      !get_payment_methods (call, &payment_methods))
    return FALSE;

  if (identifier != NULL && strlen (identifier) > 45)
    return refuse (call, 422, "invalid_value", "identifier is longer than 45 characters");
  if (template != NULL && !g_str_equal (template, "iframe"))
    return refuse (call, 422, "invalid_value", "template can only be \"iframe\"");
  if (customer_id != NULL)
    {
      customer = np_sandbox_store_get_customer (call->self->store, call->world, customer_id);
      if (customer == NULL)
        return refuse (call, 422, "invalid_value", "No customer %s in the %s world",
                       customer_id, world_labels[call->world]);
    }
  if (card_id != NULL && customer == NULL)
    return refuse (call, 422, "invalid_value", "card_id needs the customer_id that owns the card");
  if (card_id != NULL && !customer_owns_card (customer, card_id))
    return refuse (call, 422, "invalid_value", "Card %s is not a saved card of customer %s",
                   card_id, customer_id);

  id = np_sandbox_store_new_id (call->self->store);
  now = np_sandbox_store_now (call->self->store);
  record = json_object_new ();
  json_object_set_string_member (record, "checkout_id", id);
  json_object_set_string_member (record, "identifier", identifier != NULL ? identifier : id);
  json_object_set_string_member (record, "status", "created");
  json_object_set_int_member (record, "amount", amount);
  json_object_set_string_member (record, "currency", currency);
  json_object_set_string_member (record, "message", message);
  json_object_set_boolean_member (record, "capture", capture);
  json_object_set_boolean_member (record, "allowSaveCard", allow_save_card);
  set_optional_string (record, "template", template);
  set_optional_string (record, "returnUrl", return_url);
  set_optional_string (record, "returnUrlCancel", return_url_cancel);
  set_optional_string (record, "customer_id", customer_id);
  set_optional_string (record, "card_id", card_id);
  /* An empty value at creation means nothing: dropped rather than stored as "". */
  clean_metadata = json_object_new ();
  if (metadata != NULL)
    merge_metadata (clean_metadata, metadata);
  json_object_set_object_member (record, "metaData", g_steal_pointer (&clean_metadata));
  if (payment_methods != NULL)
    json_object_set_array_member (record, "paymentMethods", g_steal_pointer (&payment_methods));
  json_object_set_int_member (record, "refunded_amount", 0);
  json_object_set_array_member (record, "refunds", json_array_new ());
  json_object_set_string_member (record, "created", now);
  json_object_set_string_member (record, "updated", now);

  /* A saved card pays at once, as the real platform charges it without a page. */
  if (card_id != NULL)
    np_sandbox_pay_checkout (call->self, call->world, record, "success", FALSE, NULL);

  np_sandbox_store_put_checkout (call->self->store, call->world, record);
  np_sandbox_store_changed (call->self->store);
  reply_checkout (call, record);
  return TRUE;
}

static gboolean
checkout_retrieve (Call *call)
{
  JsonObject *record;

  if (!find_checkout (call, &record))
    return FALSE;
  reply_checkout (call, record);
  return FALSE;
}

static gboolean
checkout_capture (Call *call)
{
  JsonObject *record;
  const char *status;

  if (!find_checkout (call, &record))
    return FALSE;
  status = json_object_get_string_member (record, "status");
  if (json_object_get_boolean_member_with_default (record, "capture", TRUE))
    return refuse (call, 409, "invalid_state",
                   "Only checkouts created with capture: false are captured; this one was paid at once");
  if (!g_str_equal (status, "reserved"))
    return refuse (call, 409, "invalid_state", "Only a reserved checkout can be captured; this one is %s", status);

  json_object_set_string_member (record, "status", "paid");
  touch (call, record);
  np_sandbox_store_changed (call->self->store);
  reply_checkout (call, record);
  return TRUE;
}

static gboolean
checkout_refund (Call *call)
{
  static const char * const reasons[] = { "duplicate", "requested_by_customer", "fraudulent", NULL };
  JsonObject *record, *refund;
  const char *status, *currency, *reason, *details;
  g_autofree char *now = NULL;
  gint64 total, refunded, remaining, amount;

  if (!find_checkout (call, &record))
    return FALSE;
  status = json_object_get_string_member (record, "status");
  currency = json_object_get_string_member (record, "currency");
  total = json_object_get_int_member (record, "amount");
  refunded = json_object_get_int_member_with_default (record, "refunded_amount", 0);
  remaining = total - refunded;

  /* The status first: on a final checkout the amount does not matter. */
  if (!g_str_equal (status, "reserved") && !g_str_equal (status, "paid") &&
      !g_str_equal (status, "partialRefund"))
    return refuse (call, 409, "invalid_state", "A %s checkout cannot be refunded", status);

  if (!get_amount (call, "amount", FALSE, currency, &amount) ||
      !get_string (call, "reason", FALSE, &reason) ||
      !get_string (call, "refundDetails", FALSE, &details))
    return FALSE;
  /* The old text spells it "fraudolent"; both mean the same. */
  if (g_strcmp0 (reason, "fraudolent") == 0)
    reason = "fraudulent";
  if (reason != NULL && !g_strv_contains (reasons, reason))
    return refuse (call, 422, "invalid_value",
                   "reason must be duplicate, requested_by_customer or fraudulent");

  if (g_str_equal (status, "reserved"))
    {
      if (amount > 0 && amount != total)
        return refuse (call, 422, "invalid_value", "A reserve is released whole (%" G_GINT64_FORMAT ")", total);
      amount = total;
      json_object_set_string_member (record, "status", "reserve released");
    }
  else if (g_str_equal (status, "paid") || g_str_equal (status, "partialRefund"))
    {
      if (amount < 0)
        amount = remaining;
      if (amount > remaining)
        return refuse (call, 422, "invalid_value",
                       "amount %" G_GINT64_FORMAT " is more than the %" G_GINT64_FORMAT " left to refund",
                       amount, remaining);
      json_object_set_string_member (record, "status", amount == remaining ? "refunded" : "partialRefund");
    }
  else
    g_assert_not_reached ();

  now = np_sandbox_store_now (call->self->store);
  refund = json_object_new ();
  json_object_set_int_member (refund, "amount", amount);
  set_optional_string (refund, "reason", reason);
  set_optional_string (refund, "refundDetails", details);
  json_object_set_string_member (refund, "created", now);
  if (!json_object_has_member (record, "refunds"))
    json_object_set_array_member (record, "refunds", json_array_new ());
  json_array_add_object_element (json_object_get_array_member (record, "refunds"), refund);
  json_object_set_int_member (record, "refunded_amount", refunded + amount);
  touch (call, record);
  np_sandbox_store_changed (call->self->store);
  reply_checkout (call, record);
  return TRUE;
}

static gboolean
checkout_update (Call *call)
{
  g_autoptr(JsonObject) changes = NULL;
  JsonObject *record, *metadata;

  if (!find_checkout (call, &record) || !get_metadata (call, &changes))
    return FALSE;
  if (changes == NULL)
    return refuse (call, 400, "invalid_request", "metaData is required");

  metadata = json_object_get_object_member (record, "metaData");
  if (metadata == NULL)
    {
      metadata = json_object_new ();
      json_object_set_object_member (record, "metaData", metadata);
    }
  merge_metadata (metadata, changes);
  touch (call, record);
  np_sandbox_store_changed (call->self->store);
  reply_checkout (call, record);
  return TRUE;
}

static gboolean
checkout_delete (Call *call)
{
  g_autoptr(JsonObject) reply = NULL;
  JsonObject *record;
  const char *status;

  if (!find_checkout (call, &record))
    return FALSE;
  status = json_object_get_string_member (record, "status");
  if (!g_str_equal (status, "created"))
    return refuse (call, 409, "invalid_state", "Only a created checkout can be deleted; this one is %s", status);

  reply = np_sandbox_checkout_for_reply (call->self, record);
  json_object_set_boolean_member (reply, "deleted", TRUE);
  np_sandbox_store_remove_checkout (call->self->store, call->world,
                                    json_object_get_string_member (record, "checkout_id"));
  np_sandbox_store_changed (call->self->store);
  np_sandbox_reply_object (call->msg, 200, reply);
  return TRUE;
}

/* Customer calls ----------------------------------------------------------- */

static gboolean
customer_create (Call *call)
{
  const char *first_name, *last_name, *email;
  g_autoptr(JsonObject) metadata = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  JsonObject *clean;

  if (!get_string (call, "first_name", TRUE, &first_name) ||
      !get_string (call, "last_name", TRUE, &last_name) ||
      !get_string (call, "email", TRUE, &email) ||
      !get_metadata (call, &metadata))
    return FALSE;
  if (strchr (email, '@') == NULL || strchr (email, '@') == email || strchr (email, '@')[1] == '\0')
    return refuse (call, 422, "invalid_value", "email %s is not an email address", email);

  id = np_sandbox_store_new_id (call->self->store);
  now = np_sandbox_store_now (call->self->store);
  record = json_object_new ();
  clean = json_object_new ();
  if (metadata != NULL)
    merge_metadata (clean, metadata);
  json_object_set_string_member (record, "customer_id", id);
  json_object_set_string_member (record, "first_name", first_name);
  json_object_set_string_member (record, "last_name", last_name);
  json_object_set_string_member (record, "email", email);
  json_object_set_object_member (record, "metaData", clean);
  json_object_set_array_member (record, "savedCards", json_array_new ());
  json_object_set_string_member (record, "created", now);

  np_sandbox_store_put_customer (call->self->store, call->world, record);
  np_sandbox_store_changed (call->self->store);
  reply_customer (call, record, FALSE);
  return TRUE;
}

static gboolean
customer_retrieve (Call *call)
{
  JsonObject *record;

  if (!find_customer (call, &record))
    return FALSE;
  reply_customer (call, record, FALSE);
  return FALSE;
}

static gboolean
customer_delete (Call *call)
{
  JsonObject *record;

  if (!find_customer (call, &record))
    return FALSE;
  json_object_ref (record);
  np_sandbox_store_remove_customer (call->self->store, call->world,
                                    json_object_get_string_member (record, "customer_id"));
  np_sandbox_store_changed (call->self->store);
  reply_customer (call, record, TRUE);
  json_object_unref (record);
  return TRUE;
}

/* Dispatch ----------------------------------------------------------------- */

typedef gboolean (*CallFunc) (Call *call);

static const struct {
  const char *name;
  CallFunc    func;
} calls[] = {
  { "create", checkout_create },
  { "retrieve", checkout_retrieve },
  { "capture", checkout_capture },
  { "refund", checkout_refund },
  { "update", checkout_update },
  { "delete", checkout_delete },
  { "create-customer", customer_create },
  { "retrieve-customer", customer_retrieve },
  { "delete-customer", customer_delete },
};

static JsonObject *
parse_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autoptr(JsonNode) root = NULL;

  /* A request body is as untrusted as an answer is to the console: the same
   * strict entry point, so no client can make json-glib recurse without bound. */
  if (length == 0 || (root = np_json_parse (data, length, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

gboolean
np_sandbox_api_handle (NpSandboxServer   *self,
                       SoupServerMessage *msg,
                       const char        *path,
                       NpSandboxWorld     world,
                       const char        *request_id)
{
  const char *name = path + strlen ("/checkout/");
  g_autoptr(JsonObject) body = NULL;
  Call call = { self, msg, world, request_id, NULL };

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      if (!g_str_equal (name, calls[i].name))
        continue;

      body = parse_body (msg);
      if (body == NULL)
        return refuse (&call, 400, "invalid_request", "The body must be a JSON object");
      call.body = body;
      return calls[i].func (&call);
    }

  return refuse (&call, 404, "not_found", "There is no call %s", path);
}
