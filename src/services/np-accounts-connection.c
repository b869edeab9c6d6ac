/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-accounts-connection.c — "Test connection": is there a Neuro-Pay API at this
 * URL, and does it take this key?
 *
 * The API has no "who am I" call, so the probe retrieves a checkout id that cannot
 * exist. A 404 for it means the key was accepted, but a 404 is also what any web
 * server says for a path it does not have. To tell the two apart, a 404 is followed
 * by the same call with a key that cannot be valid: a server that speaks the API
 * refuses that with 401 (authorization comes before the lookup), a server that
 * does not have the path answers 404 again.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-accounts.h"
#include "np-client.h"

#define PROBE_TIMEOUT_S 15

typedef struct {
  char       *base_url;
  char       *probe_id;
  NpClient   *client;
  NpClient   *bad_key_client;
  char       *message;
} ProbeData;

static void
probe_data_free (ProbeData *data)
{
  g_free (data->base_url);
  g_free (data->probe_id);
  g_clear_object (&data->client);
  g_clear_object (&data->bad_key_client);
  g_free (data->message);
  g_free (data);
}

static void
probe_return (GTask              *task,
              NpConnectionResult  result,
              char               *message)
{
  ProbeData *data = g_task_get_task_data (task);

  g_free (data->message);
  data->message = message;
  g_task_return_int (task, result);
}

/* Phrases every answer but the ones that need the second probe. */
static NpConnectionResult
classify_error (const GError  *error,
                const char    *base_url,
                char         **out_message)
{
  g_autofree char *detail = np_client_error_describe (error);

  if (error->domain != NP_CLIENT_ERROR)
    {
      *out_message = g_strdup_printf (_("No Neuro-Pay API answered at %s. %s"), base_url, detail);
      return NP_CONNECTION_WRONG_URL;
    }

  switch ((NpClientError) error->code)
    {
    case NP_CLIENT_ERROR_UNAUTHORIZED:
    case NP_CLIENT_ERROR_FORBIDDEN:
      *out_message = g_strdup (_("The server refused the API key. Check that it is complete, "
                                 "not blocked or expired, and meant for this environment."));
      return NP_CONNECTION_UNAUTHORIZED;

    case NP_CLIENT_ERROR_TLS:
      *out_message = g_strdup_printf (_("A secure connection to %s could not be made: "
                                        "its certificate was not accepted. %s"), base_url, detail);
      return NP_CONNECTION_TLS;

    case NP_CLIENT_ERROR_INVALID_URL:
      *out_message = g_strdup (_("The base URL must start with https:// (http:// only for this computer)."));
      return NP_CONNECTION_INVALID_URL;

    case NP_CLIENT_ERROR_SERVER:
    case NP_CLIENT_ERROR_RATE_LIMITED:
    case NP_CLIENT_ERROR_TIMEOUT:
      *out_message = g_strdup_printf (_("The server at %s is not answering properly right now. "
                                        "Try again later. %s"), base_url, detail);
      return NP_CONNECTION_SERVER;

    case NP_CLIENT_ERROR_NOT_FOUND:
    case NP_CLIENT_ERROR_NETWORK:
    case NP_CLIENT_ERROR_BAD_RESPONSE:
    case NP_CLIENT_ERROR_INVALID_REQUEST:
    case NP_CLIENT_ERROR_OUTCOME_UNKNOWN:
    case NP_CLIENT_ERROR_CANCELLED:
    default:
      *out_message = g_strdup_printf (_("No Neuro-Pay API answered at %s. Check the base URL. %s"),
                                      base_url, detail);
      return NP_CONNECTION_WRONG_URL;
    }
}

static void
probe_return_error (GTask        *task,
                    const GError *error,
                    const char   *base_url)
{
  char *message = NULL;
  NpConnectionResult result = classify_error (error, base_url, &message);

  probe_return (task, result, message);
}

static void
bad_key_probed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProbeData *data = g_task_get_task_data (task);
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;

  checkout = np_client_checkout_finish (NP_CLIENT (source), result, &error);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_UNAUTHORIZED)
      || g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_FORBIDDEN))
    {
      probe_return (task, NP_CONNECTION_OK,
                    g_strdup_printf (_("Connected to %s: the API key was accepted."), data->base_url));
      return;
    }

  if (error == NULL || g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NOT_FOUND))
    {
      /* It answers the same whatever the key: not the API's "no such checkout". */
      probe_return (task, NP_CONNECTION_WRONG_URL,
                    g_strdup_printf (_("The server at %s does not have the Neuro-Pay API at this "
                                       "address. Check the base URL, including its path."),
                                     data->base_url));
      return;
    }

  probe_return_error (task, error, data->base_url);
}

static void
key_probed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProbeData *data = g_task_get_task_data (task);
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;

  checkout = np_client_checkout_finish (NP_CLIENT (source), result, &error);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (checkout != NULL)
    {
      /* Found a checkout with an id we made up: odd, but the key works. */
      probe_return (task, NP_CONNECTION_OK,
                    g_strdup_printf (_("Connected to %s: the API key was accepted."), data->base_url));
      return;
    }

  if (g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_NOT_FOUND))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      data->bad_key_client = np_client_new (data->base_url, "np-connection-test-not-a-key", NULL);
      np_client_set_timeout (data->bad_key_client, PROBE_TIMEOUT_S);
      np_client_set_max_retries (data->bad_key_client, 0);
      np_client_retrieve_checkout_async (data->bad_key_client, data->probe_id, cancellable,
                                         bad_key_probed, g_steal_pointer (&task));
      return;
    }

  probe_return_error (task, error, data->base_url);
}

void
np_accounts_test_connection_async (NpAccounts          *self,
                                   const char          *base_url,
                                   const char          *api_key,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *random = NULL;
  ProbeData *data;

  g_return_if_fail (NP_IS_ACCOUNTS (self));
  g_return_if_fail (base_url != NULL);
  g_return_if_fail (api_key != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_accounts_test_connection_async);
  data = g_new0 (ProbeData, 1);
  data->base_url = g_strdup (base_url);
  random = g_uuid_string_random ();
  /* 19 + 8 characters: well inside the 45 an id may have. */
  data->probe_id = g_strdup_printf ("np-connection-test-%.8s", random);
  g_task_set_task_data (task, data, (GDestroyNotify) probe_data_free);

  data->client = np_client_new (base_url, api_key, &error);
  if (data->client == NULL)
    {
      probe_return_error (task, error, base_url);
      return;
    }

  /* One quick try: the person is waiting for the answer. */
  np_client_set_timeout (data->client, PROBE_TIMEOUT_S);
  np_client_set_max_retries (data->client, 0);
  np_client_retrieve_checkout_async (data->client, data->probe_id, cancellable,
                                     key_probed, g_steal_pointer (&task));
}

NpConnectionResult
np_accounts_test_connection_finish (NpAccounts    *self,
                                    GAsyncResult  *result,
                                    char         **out_message)
{
  ProbeData *data;
  g_autoptr(GError) error = NULL;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, self), NP_CONNECTION_WRONG_URL);

  data = g_task_get_task_data (G_TASK (result));
  value = g_task_propagate_int (G_TASK (result), &error);

  if (error != NULL)
    {
      /* Only a cancelled probe ends here. */
      if (out_message != NULL)
        *out_message = g_strdup (_("The connection test was cancelled."));
      return NP_CONNECTION_WRONG_URL;
    }

  if (out_message != NULL)
    *out_message = g_strdup (data->message);

  return (NpConnectionResult) value;
}
