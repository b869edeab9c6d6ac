/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-secrets.c — the API key is nowhere it should not be.
 *
 * A workspace session (create, pay, refund, a failed refund) with key K, every log
 * line of the process (ours and the sandbox's, debug included) captured; then the
 * private test home (data dir with the ledger and its WAL, config, cache, state),
 * GSettings and the log are searched for K: 0 hits. A redirect to another host is
 * not followed with the key, and a plain-http address off this computer is refused.
 */
#include <string.h>

#include <libsoup/soup.h>

#include "np-test-workspace.h"

static GString *log_buffer;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  /* Installed once per process; keeps capturing for the other tests, which is harmless. */
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0)
      g_string_append_printf (log_buffer, "%s=%s ", fields[i].key, (const char *) fields[i].value);
    else
      {
        g_string_append_printf (log_buffer, "%s=", fields[i].key);
        g_string_append_len (log_buffer, fields[i].value, fields[i].length);
        g_string_append_c (log_buffer, ' ');
      }
  g_string_append_c (log_buffer, '\n');
  return G_LOG_WRITER_HANDLED;
}

static void
test_key_nowhere (void)
{
  g_autoptr(NpTestWorkspace) t = NULL;
  g_autoptr(NpCheckout) created = NULL;
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(NpCheckout) refunded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *found = NULL;
  g_autofree char *key = NULL;

  log_buffer = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  key = g_strdup (np_test_sandbox_get_test_key (t->sandbox));
  g_assert_cmpuint (strlen (key), >=, 16);

  created = np_test_workspace_create_checkout (t, 5000, "SEK", TRUE);
  paid = np_test_workspace_pay (t, np_checkout_get_id (created));
  np_workspace_refund_checkout_async (t->workspace, np_checkout_get_id (created), 1000, "duplicate", NULL,
                                      NULL, np_test_store_result, &result);
  refunded = np_test_workspace_wait_checkout (t, &result);
  /* A refused refund: error paths write to the journal and maybe the log. */
  np_workspace_refund_checkout_async (t->workspace, np_checkout_get_id (created), 999999, NULL, NULL,
                                      NULL, np_test_store_result, &result);
  np_test_wait_result (&result, 15000);
  g_assert_null (np_workspace_checkout_finish (t->workspace, result, &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, key));
  g_clear_object (&result);

  /* The files: ledger (and its WAL), settings, caches, anything in the test home. */
  found = np_test_find_in_tree (np_test_get_home (), key);
  g_assert_null (found);

  /* GSettings (the memory backend of the test environment), every key. The schema
   * is always there: tests/meson.build points GSETTINGS_SCHEMA_DIR at the built one. */
  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            "tech.paiwise.NeuroPayConsole", TRUE);
  g_assert_nonnull (schema);
  {
    g_autoptr(GSettings) settings = g_settings_new ("tech.paiwise.NeuroPayConsole");
    g_auto(GStrv) keys = g_settings_schema_list_keys (schema);

    g_assert_cmpuint (g_strv_length (keys), >, 0);
    for (guint i = 0; keys[i] != NULL; i++)
      {
        g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
        g_autofree char *text = g_variant_print (value, FALSE);

        g_assert_null (strstr (text, key));
      }
  }

  /* The log: it must have seen something of the session (GIO's connection
   * debug lines at least; the in-process sandbox logs only through a log_func)... */
  g_assert_cmpuint (log_buffer->len, >, 0);
  /* ...and never the key. */
  g_assert_null (strstr (log_buffer->str, key));
  g_test_message ("searched %" G_GSIZE_FORMAT " bytes of log and the test home: 0 hits", log_buffer->len);
}

/* Another host, on loopback: records any request that reaches it. */
static void
on_other_host (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  GString *seen = user_data;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  g_string_append_printf (seen, "%s auth=%s\n", path, auth ? auth : "(none)");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"checkout_id\":\"x\"}", 19);
}

static void
on_api_host (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  g_autofree char *target = g_strconcat ((const char *) user_data, path, NULL);

  soup_server_message_set_redirect (msg, 307, target);
}

static SoupServer *
listen_loopback (SoupServerCallback callback,
                 gpointer           data,
                 const char        *host,
                 char             **out_url)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, 0);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, callback, data, NULL);
  soup_server_listen (server, socket_address, 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *out_url = g_strdup_printf ("http://%s:%d", host, g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return server;
}

static void
test_redirect_not_followed (void)
{
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autofree char *other_url = NULL;
  g_autofree char *api_url = NULL;
  g_autoptr(SoupServer) other = NULL;
  g_autoptr(SoupServer) api = NULL;
  g_autoptr(NpClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) checkout = NULL;
  const char *key = "sk_test_redirect_never_follows_0123456789";

  /* "localhost" and "127.0.0.1" are different hosts to the client, as they are to a browser. */
  other = listen_loopback (on_other_host, seen, "localhost", &other_url);
  api = listen_loopback (on_api_host, other_url, "127.0.0.1", &api_url);

  client = np_client_new (api_url, key, &error);
  g_assert_no_error (error);
  np_client_retrieve_checkout_async (client, "x", NULL, np_test_store_result, &result);
  np_test_wait_result (&result, 15000);
  checkout = np_client_checkout_finish (client, result, &error);
  g_assert_null (checkout);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "another host"));
  g_assert_null (strstr (error->message, key));
  g_assert_cmpstr (seen->str, ==, "");
}

static void
test_plain_http_refused (void)
{
  const char *key = "sk_test_plain_http_never_0123456789";
  g_autoptr(GError) error = NULL;
  g_autoptr(NpClient) client = np_client_new ("http://api.neuropay.example", key, &error);
  g_autofree char *sentence = NULL;

  g_assert_null (client);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_URL);
  g_assert_nonnull (strstr (error->message, "only on this computer"));
  sentence = np_client_error_describe (error);
  g_assert_nonnull (strstr (sentence, "https://"));
  g_assert_null (strstr (sentence, key));
}

int
main (int argc, char *argv[])
{
  np_test_init (&argc, &argv);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);

  g_test_add_func ("/reliability/secrets/key-nowhere", test_key_nowhere);
  g_test_add_func ("/reliability/secrets/redirect-not-followed", test_redirect_not_followed);
  g_test_add_func ("/reliability/secrets/plain-http-refused", test_plain_http_refused);

  return g_test_run ();
}
