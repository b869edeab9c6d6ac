/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-client-calls.c — the nine API calls: their JSON bodies and results. */
#include "config.h"

#include "np-client-private.h"
#include "np-json-private.h"

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static char *
id_body (const char *member,
         const char *id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, id);
  json_builder_end_object (builder);

  return builder_to_string (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

/* metaData is sent as an object (the newer reference and public clients do). */
static void
add_metadata (JsonBuilder *builder,
              GHashTable  *metadata)
{
  g_autoptr(GList) keys = NULL;

  if (metadata == NULL)
    return;

  /* Sorted, so that the same draft always gives the same body. */
  keys = g_list_sort (g_hash_table_get_keys (metadata), (GCompareFunc) g_strcmp0);

  json_builder_set_member_name (builder, "metaData");
  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *value = g_hash_table_lookup (metadata, l->data);

      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, value ? value : "");
    }
  json_builder_end_object (builder);
}

/* Finishes a call that is refused before anything is sent, as the call would. */
static void
refuse (NpClient            *self,
        GError              *error,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, np_client_start_call);
  g_task_return_error (task, error);
}

void
np_client_create_checkout_async (NpClient              *self,
                                 const NpCheckoutDraft *draft,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GError *error = NULL;

  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (draft != NULL);

  if (!np_client_check_draft (draft, &error))
    {
      refuse (self, g_steal_pointer (&error), callback, user_data);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, draft->amount);
  add_string (builder, "currency", draft->currency);
  add_string (builder, "message", draft->message);
  add_string (builder, "identifier", draft->identifier);
  add_string (builder, "returnUrl", draft->return_url);
  add_string (builder, "returnUrlCancel", draft->return_url_cancel);
  /* Defaults are TRUE on the server; send only what differs from them. */
  if (!draft->capture)
    {
      json_builder_set_member_name (builder, "capture");
      json_builder_add_boolean_value (builder, FALSE);
    }
  if (!draft->allow_save_card)
    {
      json_builder_set_member_name (builder, "allowSaveCard");
      json_builder_add_boolean_value (builder, FALSE);
    }
  add_string (builder, "customer_id", draft->customer_id);
  add_string (builder, "card_id", draft->card_id);
  add_string (builder, "template", draft->template_name);
  add_metadata (builder, draft->metadata);
  json_builder_end_object (builder);

  np_client_start_call (self, "create", builder_to_string (builder), FALSE, NP_CALL_RESULT_CHECKOUT,
                        NULL, cancellable, callback, user_data);
}

void
np_client_retrieve_checkout_async (NpClient            *self,
                                   const char          *checkout_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (checkout_id != NULL);

  np_client_start_call (self, "retrieve", id_body ("checkout_id", checkout_id), TRUE,
                        NP_CALL_RESULT_CHECKOUT, checkout_id, cancellable, callback, user_data);
}

void
np_client_retrieve_checkout_paced_async (NpClient            *self,
                                         const char          *checkout_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (checkout_id != NULL);

  np_client_start_paced_call (self, "retrieve", id_body ("checkout_id", checkout_id),
                              NP_CALL_RESULT_CHECKOUT, checkout_id, cancellable, callback, user_data);
}

void
np_client_capture_checkout_async (NpClient            *self,
                                  const char          *checkout_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (checkout_id != NULL);

  np_client_start_call (self, "capture", id_body ("checkout_id", checkout_id), FALSE,
                        NP_CALL_RESULT_CHECKOUT, checkout_id, cancellable, callback, user_data);
}

void
np_client_refund_checkout_async (NpClient            *self,
                                 const char          *checkout_id,
                                 gint64               amount,
                                 const char          *reason,
                                 const char          *details,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (checkout_id != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "checkout_id", checkout_id);
  if (amount >= 0)
    {
      json_builder_set_member_name (builder, "amount");
      json_builder_add_int_value (builder, amount);
    }
  /* The old text spells it "fraudolent"; the newer one, and the sandbox, "fraudulent". */
  if (g_strcmp0 (reason, "fraudolent") == 0)
    reason = "fraudulent";
  add_string (builder, "reason", reason);
  add_string (builder, "refundDetails", details);
  json_builder_end_object (builder);

  np_client_start_call (self, "refund", builder_to_string (builder), FALSE, NP_CALL_RESULT_CHECKOUT,
                        checkout_id, cancellable, callback, user_data);
}

void
np_client_update_checkout_async (NpClient            *self,
                                 const char          *checkout_id,
                                 GHashTable          *changes,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GHashTable) empty = NULL;
  GError *error = NULL;

  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (checkout_id != NULL);

  if (changes == NULL)
    changes = empty = g_hash_table_new (g_str_hash, g_str_equal);
  if (!np_client_check_metadata (changes, &error))
    {
      refuse (self, error, callback, user_data);
      return;
    }

  json_builder_begin_object (builder);
  add_string (builder, "checkout_id", checkout_id);
  add_metadata (builder, changes);
  json_builder_end_object (builder);

  np_client_start_call (self, "update", builder_to_string (builder), FALSE, NP_CALL_RESULT_CHECKOUT,
                        checkout_id, cancellable, callback, user_data);
}

void
np_client_delete_checkout_async (NpClient            *self,
                                 const char          *checkout_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (checkout_id != NULL);

  np_client_start_call (self, "delete", id_body ("checkout_id", checkout_id), FALSE,
                        NP_CALL_RESULT_CHECKOUT, checkout_id, cancellable, callback, user_data);
}

static gpointer
call_finish (NpClient      *self,
             GAsyncResult  *result,
             GType          type,
             GError       **error)
{
  GObject *object;

  g_return_val_if_fail (NP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == np_client_start_call, NULL);

  object = g_task_propagate_pointer (G_TASK (result), error);
  if (object != NULL && !G_TYPE_CHECK_INSTANCE_TYPE (object, type))
    {
      g_critical ("%s finished with a %s", g_type_name (type), G_OBJECT_TYPE_NAME (object));
      g_clear_object (&object);
      g_set_error_literal (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE, "Wrong result type");
    }

  return object;
}

NpCheckout *
np_client_checkout_finish (NpClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return call_finish (self, result, NP_TYPE_CHECKOUT, error);
}

void
np_client_create_customer_async (NpClient            *self,
                                 const char          *first_name,
                                 const char          *last_name,
                                 const char          *email,
                                 GHashTable          *metadata,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GError *error = NULL;

  g_return_if_fail (NP_IS_CLIENT (self));

  if ((first_name != NULL && !g_utf8_validate (first_name, -1, NULL))
      || (last_name != NULL && !g_utf8_validate (last_name, -1, NULL))
      || (email != NULL && !g_utf8_validate (email, -1, NULL)))
    {
      error = g_error_new_literal (NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_INPUT,
                                   "The name or e-mail is not valid UTF-8");
      refuse (self, error, callback, user_data);
      return;
    }
  if (!np_client_check_metadata (metadata, &error))
    {
      refuse (self, error, callback, user_data);
      return;
    }

  json_builder_begin_object (builder);
  add_string (builder, "first_name", first_name);
  add_string (builder, "last_name", last_name);
  add_string (builder, "email", email);
  add_metadata (builder, metadata);
  json_builder_end_object (builder);

  np_client_start_call (self, "create-customer", builder_to_string (builder), FALSE,
                        NP_CALL_RESULT_CUSTOMER, NULL, cancellable, callback, user_data);
}

void
np_client_retrieve_customer_async (NpClient            *self,
                                   const char          *customer_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (customer_id != NULL);

  np_client_start_call (self, "retrieve-customer", id_body ("customer_id", customer_id), TRUE,
                        NP_CALL_RESULT_CUSTOMER, customer_id, cancellable, callback, user_data);
}

void
np_client_delete_customer_async (NpClient            *self,
                                 const char          *customer_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (NP_IS_CLIENT (self));
  g_return_if_fail (customer_id != NULL);

  np_client_start_call (self, "delete-customer", id_body ("customer_id", customer_id), FALSE,
                        NP_CALL_RESULT_CUSTOMER, customer_id, cancellable, callback, user_data);
}

NpCustomer *
np_client_customer_finish (NpClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return call_finish (self, result, NP_TYPE_CUSTOMER, error);
}
