/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sandbox-pages.c — the pages a person sees: the hosted payment page of a
 * checkout (/pay/<id>) and the customer's client page (/client/<id>).
 *
 * They are reached without a key, as a buyer's browser would, so the checkout or
 * customer is looked up in both worlds (ids are random and never shared).
 * Forms POST back to the same address; the page then redirects (303) so that a
 * reload never pays twice.
 */
#include "np-sandbox-private.h"

#include "np-json-private.h"
#include "np-money.h"

static const char * const test_cards[][3] = {
  /* brand, last4, expiry */
  { "visa", "4242", "12/29" },
  { "mastercard", "4444", "10/28" },
  { "amex", "0005", "07/30" },
};

static JsonObject *
new_saved_card (NpSandboxServer *self,
                guint            which)
{
  JsonObject *card = json_object_new ();
  g_autofree char *id = np_sandbox_store_new_id (self->store);
  g_autofree char *card_id = g_strdup_printf ("card_%.24s", id);

  which %= G_N_ELEMENTS (test_cards);
  json_object_set_string_member (card, "card_id", card_id);
  json_object_set_string_member (card, "brand", test_cards[which][0]);
  json_object_set_string_member (card, "last4", test_cards[which][1]);
  json_object_set_string_member (card, "expiry", test_cards[which][2]);
  json_object_set_boolean_member (card, "default", FALSE);
  return card;
}

/* Adds a card; the first one becomes the default. Returns the new card (borrowed). */
static JsonObject *
add_saved_card (NpSandboxServer *self,
                JsonObject      *customer)
{
  JsonArray *cards = json_object_get_array_member (customer, "savedCards");
  JsonObject *card;

  if (cards == NULL)
    {
      cards = json_array_new ();
      json_object_set_array_member (customer, "savedCards", cards);
    }
  card = new_saved_card (self, json_array_get_length (cards));
  json_object_set_boolean_member (card, "default", json_array_get_length (cards) == 0);
  json_array_add_object_element (cards, card);
  return card;
}

gboolean
np_sandbox_pay_checkout (NpSandboxServer  *self,
                         NpSandboxWorld    world,
                         JsonObject       *checkout,
                         const char       *outcome,
                         gboolean          save_card,
                         char            **out_message)
{
  const char *status = json_object_get_string_member (checkout, "status");
  g_autofree char *now = NULL;
  const char *next;

  if (!g_str_equal (status, "created"))
    {
      if (out_message != NULL)
        *out_message = g_strdup_printf ("This checkout is already %s.", status);
      return FALSE;
    }

  if (g_strcmp0 (outcome, "success") == 0)
    next = json_object_get_boolean_member_with_default (checkout, "capture", TRUE) ? "paid" : "reserved";
  else if (g_strcmp0 (outcome, "decline") == 0)
    next = "failed";
  else if (g_strcmp0 (outcome, "cancel") == 0)
    next = "canceled";
  else
    {
      if (out_message != NULL)
        *out_message = g_strdup ("The outcome must be success, decline or cancel.");
      return FALSE;
    }

  json_object_set_string_member (checkout, "status", next);
  now = np_sandbox_store_now (self->store);
  json_object_set_string_member (checkout, "updated", now);

  if (save_card && g_strcmp0 (outcome, "success") == 0 &&
      json_object_get_boolean_member_with_default (checkout, "allowSaveCard", TRUE))
    {
      const char *customer_id = json_object_get_string_member_with_default (checkout, "customer_id", NULL);
      JsonObject *customer = np_sandbox_store_get_customer (self->store, world, customer_id);

      if (customer != NULL)
        {
          JsonObject *card = add_saved_card (self, customer);
          json_object_set_string_member (checkout, "card_id",
                                         json_object_get_string_member (card, "card_id"));
        }
    }
  return TRUE;
}

static GHashTable *
read_form (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return soup_form_decode (text);
}

static void
reply_result (SoupServerMessage *msg,
              guint              status,
              const char        *title,
              const char        *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autofree char *body = g_strdup_printf ("<p>%s</p>", escaped);

  np_sandbox_reply_html (msg, status, title, body);
}

static void
pay_page_get (NpSandboxServer   *self,
              SoupServerMessage *msg,
              JsonObject        *checkout,
              NpSandboxWorld     world)
{
  const char *id = json_object_get_string_member (checkout, "checkout_id");
  const char *currency = json_object_get_string_member (checkout, "currency");
  const char *status = json_object_get_string_member (checkout, "status");
  g_autofree char *amount = np_money_format_plain (json_object_get_int_member (checkout, "amount"), currency);
  g_autofree char *message = g_markup_escape_text (json_object_get_string_member (checkout, "message"), -1);
  const char *customer_id = json_object_get_string_member_with_default (checkout, "customer_id", NULL);
  gboolean can_save = customer_id != NULL &&
                      json_object_get_boolean_member_with_default (checkout, "allowSaveCard", TRUE);
  g_autoptr(GString) body = g_string_new (NULL);

  g_string_append_printf (body, "<p class=\"amount\">%s %s</p><p>%s</p>", amount, currency, message);
  g_string_append_printf (body, "<p>Checkout <code>%s</code> (%s) is <strong>%s</strong>.</p>",
                          id, world == NP_SANDBOX_WORLD_LIVE ? "live" : "test", status);
  if (g_str_equal (status, "created"))
    {
      g_string_append_printf (body, "<form method=\"post\" action=\"/pay/%s\">", id);
      if (can_save)
        g_string_append (body,
                         "<input type=\"hidden\" name=\"save_card_shown\" value=\"1\">"
                         "<p><label><input type=\"checkbox\" name=\"save_card\" value=\"on\" checked> "
                         "Save the card for future payments</label></p>");
      g_string_append (body,
                       "<button name=\"outcome\" value=\"success\">Pay with test card</button>"
                       "<button name=\"outcome\" value=\"decline\">Decline</button>"
                       "<button name=\"outcome\" value=\"cancel\">Cancel</button></form>");
    }
  np_sandbox_reply_html (msg, SOUP_STATUS_OK, "Pay", body->str);
}

static void
pay_page_post (NpSandboxServer   *self,
               SoupServerMessage *msg,
               JsonObject        *checkout,
               NpSandboxWorld     world)
{
  g_autoptr(GHashTable) form = read_form (msg);
  const char *outcome = g_hash_table_lookup (form, "outcome");
  g_autofree char *problem = NULL;
  const char *target;
  /* A browser leaves an unticked box out; a script that posts only the outcome saves. */
  gboolean save_card = !g_hash_table_contains (form, "save_card_shown") ||
                       g_hash_table_contains (form, "save_card");

  if (!np_sandbox_pay_checkout (self, world, checkout, outcome, save_card, &problem))
    {
      reply_result (msg, outcome == NULL || !g_strv_contains ((const char *[]) { "success", "decline", "cancel", NULL }, outcome)
                    ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_CONFLICT,
                    "Not paid", problem);
      return;
    }
  np_sandbox_server_stats (self, "/pay")->applied++;
  np_sandbox_store_changed (self->store);

  target = json_object_get_string_member_with_default (checkout,
                                                       g_str_equal (outcome, "cancel") ? "returnUrlCancel" : "returnUrl",
                                                       NULL);
  if (target != NULL)
    soup_server_message_set_redirect (msg, SOUP_STATUS_SEE_OTHER, target);
  else
    {
      g_autofree char *text = g_strdup_printf ("The checkout is now %s. You can close this page.",
                                               json_object_get_string_member (checkout, "status"));
      reply_result (msg, SOUP_STATUS_OK, "Done", text);
    }
}

static const char *
string_member (JsonObject *body,
               const char *name)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* POST /sandbox/pay {"checkout_id", "outcome": "success" | "decline" | "cancel"}:
 * what the payment page's buttons do, for tests and demos without HTML. Unlike the
 * page it needs the key, and finds the checkout only in the key's world. The card
 * is not saved unless "save_card" is true. Answers the checkout as retrieve does. */
void
np_sandbox_pay_handle (NpSandboxServer   *self,
                       SoupServerMessage *msg,
                       NpSandboxWorld     world,
                       const char        *request_id)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *problem = NULL;
  JsonObject *body, *checkout;
  JsonNode *node;
  const char *checkout_id, *outcome;
  gboolean save_card;

  if (!g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      np_sandbox_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", request_id,
                              "/sandbox/pay takes POST");
      return;
    }

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  root = np_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      np_sandbox_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", request_id,
                              "The body must be a JSON object with checkout_id and outcome");
      return;
    }
  body = json_node_get_object (root);
  checkout_id = string_member (body, "checkout_id");
  outcome = string_member (body, "outcome");
  node = json_object_get_member (body, "save_card");
  save_card = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
  if (checkout_id == NULL)
    {
      np_sandbox_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", request_id,
                              "checkout_id is required");
      return;
    }
  if (outcome == NULL || !g_strv_contains ((const char *[]) { "success", "decline", "cancel", NULL }, outcome))
    {
      np_sandbox_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", request_id,
                              "outcome must be success, decline or cancel");
      return;
    }
  checkout = np_sandbox_store_get_checkout (self->store, world, checkout_id);
  if (checkout == NULL)
    {
      np_sandbox_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", request_id,
                              "No checkout %s", checkout_id);
      return;
    }
  if (!np_sandbox_pay_checkout (self, world, checkout, outcome, save_card, &problem))
    {
      np_sandbox_reply_error (msg, SOUP_STATUS_CONFLICT, "not_payable", request_id, "%s", problem);
      return;
    }
  np_sandbox_server_stats (self, "/sandbox/pay")->applied++;
  np_sandbox_store_changed (self->store);
  reply = np_sandbox_checkout_for_reply (self, checkout);
  np_sandbox_reply_object (msg, SOUP_STATUS_OK, reply);
}

static void
client_page_get (NpSandboxServer   *self,
                 SoupServerMessage *msg,
                 JsonObject        *customer)
{
  const char *id = json_object_get_string_member (customer, "customer_id");
  JsonArray *cards = json_object_get_array_member (customer, "savedCards");
  g_autofree char *name = g_markup_printf_escaped ("%s %s",
                                                   json_object_get_string_member (customer, "first_name"),
                                                   json_object_get_string_member (customer, "last_name"));
  g_autoptr(GString) body = g_string_new (NULL);
  guint n_cards = cards != NULL ? json_array_get_length (cards) : 0;

  g_string_append_printf (body, "<p>Saved cards of %s.</p>", name);
  if (n_cards == 0)
    g_string_append (body, "<p>No saved cards.</p>");
  g_string_append (body, "<ul>");
  for (guint i = 0; i < n_cards; i++)
    {
      JsonObject *card = json_array_get_object_element (cards, i);
      g_autofree char *line = g_markup_printf_escaped ("%s •••• %s, expires %s",
                                                       json_object_get_string_member (card, "brand"),
                                                       json_object_get_string_member (card, "last4"),
                                                       json_object_get_string_member (card, "expiry"));
      g_autofree char *card_id = g_markup_escape_text (json_object_get_string_member (card, "card_id"), -1);
      gboolean is_default = json_object_get_boolean_member_with_default (card, "default", FALSE);

      g_string_append_printf (body, "<li>%s%s <form method=\"post\" style=\"display:inline\" action=\"/client/%s\">"
                              "<input type=\"hidden\" name=\"card_id\" value=\"%s\">",
                              line, is_default ? " (default)" : "", id, card_id);
      if (!is_default)
        g_string_append (body, "<button name=\"action\" value=\"default\">Make default</button>");
      g_string_append (body, "<button name=\"action\" value=\"delete\">Delete</button></form></li>");
    }
  g_string_append_printf (body, "</ul><form method=\"post\" action=\"/client/%s\">"
                          "<button name=\"action\" value=\"add\">Add a test card</button></form>", id);
  np_sandbox_reply_html (msg, SOUP_STATUS_OK, "Your cards", body->str);
}

static gboolean
client_change_cards (NpSandboxServer *self,
                     JsonObject      *customer,
                     const char      *action,
                     const char      *card_id)
{
  JsonArray *cards = json_object_get_array_member (customer, "savedCards");
  guint n_cards = cards != NULL ? json_array_get_length (cards) : 0;
  gint found = -1;

  if (g_strcmp0 (action, "add") == 0)
    {
      add_saved_card (self, customer);
      return TRUE;
    }

  for (guint i = 0; i < n_cards; i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (cards, i), "card_id"),
                   card_id) == 0)
      found = i;
  if (found < 0)
    return FALSE;

  if (g_strcmp0 (action, "default") == 0)
    {
      for (guint i = 0; i < n_cards; i++)
        json_object_set_boolean_member (json_array_get_object_element (cards, i), "default", (gint) i == found);
      return TRUE;
    }
  if (g_strcmp0 (action, "delete") == 0)
    {
      gboolean was_default = json_object_get_boolean_member_with_default (
        json_array_get_object_element (cards, found), "default", FALSE);

      json_array_remove_element (cards, found);
      /* Someone must be the default while any card is left. */
      if (was_default && json_array_get_length (cards) > 0)
        json_object_set_boolean_member (json_array_get_object_element (cards, 0), "default", TRUE);
      return TRUE;
    }
  return FALSE;
}

static void
client_page_post (NpSandboxServer   *self,
                  SoupServerMessage *msg,
                  JsonObject        *customer)
{
  g_autoptr(GHashTable) form = read_form (msg);
  g_autofree char *back = NULL;

  if (!client_change_cards (self, customer, g_hash_table_lookup (form, "action"),
                            g_hash_table_lookup (form, "card_id")))
    {
      reply_result (msg, SOUP_STATUS_BAD_REQUEST, "Not changed",
                    "The action must be add, default or delete, with a card of this customer.");
      return;
    }
  np_sandbox_server_stats (self, "/client")->applied++;
  np_sandbox_store_changed (self->store);
  back = g_strdup_printf ("/client/%s", json_object_get_string_member (customer, "customer_id"));
  soup_server_message_set_redirect (msg, SOUP_STATUS_SEE_OTHER, back);
}

void
np_sandbox_pages_handle (NpSandboxServer   *self,
                         SoupServerMessage *msg,
                         const char        *path,
                         const char        *request_id)
{
  const char *method = soup_server_message_get_method (msg);
  gboolean is_post = g_str_equal (method, "POST");
  NpSandboxWorld world;

  if (!is_post && !g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, POST");
      reply_result (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Not allowed", "Use GET or POST.");
      return;
    }

  if (g_str_has_prefix (path, "/pay/"))
    {
      JsonObject *checkout = np_sandbox_store_find_checkout (self->store, path + strlen ("/pay/"), &world);

      if (checkout == NULL)
        reply_result (msg, SOUP_STATUS_NOT_FOUND, "Unknown checkout", "There is no such checkout.");
      else if (is_post)
        pay_page_post (self, msg, checkout, world);
      else
        pay_page_get (self, msg, checkout, world);
    }
  else
    {
      JsonObject *customer = np_sandbox_store_find_customer (self->store, path + strlen ("/client/"), &world);

      if (customer == NULL)
        reply_result (msg, SOUP_STATUS_NOT_FOUND, "Unknown customer", "There is no such customer.");
      else if (is_post)
        client_page_post (self, msg, customer);
      else
        client_page_get (self, msg, customer);
    }
}
