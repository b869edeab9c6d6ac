/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-client.c — NpClient: the base URL, the key and one keep-alive SoupSession.
 *
 * The request machinery (timeouts, retries, error mapping) is in np-client-call.c,
 * the nine API calls in np-client-calls.c and the bounded batch refresh in
 * np-client-many.c; this file holds the object and its settings.
 */
#include "config.h"

#include <string.h>

#include "np-client-private.h"

struct _NpClient
{
  GObject      parent_instance;

  GUri        *base_uri;
  char        *base_url;
  char        *api_key;
  SoupSession *session;
  guint        timeout;
  gsize        max_response_size;
  guint        max_retries;
  gint64       clock_offset;  /* seconds the server's clock is ahead of ours */
};

G_DEFINE_FINAL_TYPE (NpClient, np_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TIMEOUT,
  PROP_MAX_RETRIES,
  PROP_CLOCK_OFFSET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
np_client_dispose (GObject *object)
{
  NpClient *self = NP_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (np_client_parent_class)->dispose (object);
}

static void
np_client_finalize (GObject *object)
{
  NpClient *self = NP_CLIENT (object);

  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->base_url, g_free);
  if (self->api_key != NULL)
    {
      /* Do not leave the key lying in freed memory. */
      memset (self->api_key, 0, strlen (self->api_key));
      g_clear_pointer (&self->api_key, g_free);
    }

  G_OBJECT_CLASS (np_client_parent_class)->finalize (object);
}

static void
np_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  NpClient *self = NP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL: g_value_set_string (value, self->base_url); break;
    case PROP_TIMEOUT: g_value_set_uint (value, self->timeout); break;
    case PROP_MAX_RETRIES: g_value_set_uint (value, self->max_retries); break;
    case PROP_CLOCK_OFFSET: g_value_set_int64 (value, self->clock_offset); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  NpClient *self = NP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT: np_client_set_timeout (self, g_value_get_uint (value)); break;
    case PROP_MAX_RETRIES: np_client_set_max_retries (self, g_value_get_uint (value)); break;
    case PROP_CLOCK_OFFSET: np_client_set_clock_offset (self, g_value_get_int64 (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_client_class_init (NpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = np_client_dispose;
  object_class->finalize = np_client_finalize;
  object_class->get_property = np_client_get_property;
  object_class->set_property = np_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 3600, 30,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL, 0, 10, 3,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CLOCK_OFFSET] =
    g_param_spec_int64 ("clock-offset", NULL, NULL,
                        -NP_CLIENT_CLOCK_OFFSET_MAX, NP_CLIENT_CLOCK_OFFSET_MAX, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_client_init (NpClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("neuropay-console/%s", PACKAGE_VERSION);

  self->timeout = 30;
  self->max_response_size = 4 * 1024 * 1024;
  self->max_retries = 3;

  /* libsoup allows 2 connections per host by default; a batch refresh keeps 8
   * requests in flight, so allow a few more. The session's own I/O timeout stays
   * off: each request has its own deadline (np-client-call.c). */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "max-conns", 64,
                                                 "max-conns-per-host", 32,
                                                 "timeout", 0,
                                                 "idle-timeout", 60,
                                                 NULL);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* The URL as a message may quote it: valid UTF-8, no control characters. */
static char *
quoted_url (const char *base_url)
{
  g_autofree char *valid = g_utf8_make_valid (base_url, -1);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0' && n < 200; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, g_unichar_iscntrl (c) ? 0xFFFD : c);
    }
  if (n == 200)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

/* A host name of letters, digits, dots and dashes (after IDN), or an IP literal:
 * GUri accepts spaces and newlines in hosts, which no server has. */
static gboolean
host_is_plausible (const char *host)
{
  g_autofree char *ascii = NULL;

  if (g_hostname_is_ip_address (host))
    return TRUE;
  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL || *ascii == '\0')
    return FALSE;
  for (const char *p = ascii; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

static GUri *
parse_base_url (const char  *base_url,
                GError     **error)
{
  g_autofree char *quoted = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (base_url == NULL || *base_url == '\0')
    {
      g_set_error_literal (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_URL,
                           "No API address was given");
      return NULL;
    }

  quoted = quoted_url (base_url);
  if (!g_utf8_validate (base_url, -1, NULL) || strpbrk (base_url, " \t\r\n\v\f") != NULL
      || !g_str_equal (quoted, base_url))
    {
      g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_URL,
                   "“%s” is not a web address (it has spaces, control characters or broken text)", quoted);
      return NULL;
    }

  uri = g_uri_parse (base_url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || !host_is_plausible (g_uri_get_host (uri)))
    {
      g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_URL,
                   "“%s” is not a web address", quoted);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") != 0
      && !(g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (host)))
    {
      g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_URL,
                   "“%s” is not an https:// address (plain http is allowed only on this computer)",
                   quoted);
      return NULL;
    }

  /* Credentials, queries and fragments in the base URL would be sent (or
   * dropped) in surprising ways; the key goes in the Authorization header only. */
  if (g_uri_get_user (uri) != NULL || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_URL,
                   "“%s” must not contain a user name, a query or a fragment", quoted);
      return NULL;
    }

  return g_steal_pointer (&uri);
}

gboolean
np_client_check_base_url (const char  *base_url,
                          GError     **error)
{
  g_autoptr(GUri) uri = parse_base_url (base_url, error);

  return uri != NULL;
}

NpClient *
np_client_new (const char  *base_url,
               const char  *api_key,
               GError     **error)
{
  g_autoptr(GUri) uri = parse_base_url (base_url, error);
  g_autofree char *path = NULL;
  NpClient *self;
  gsize len;
  int port;

  if (uri == NULL)
    return NULL;

  /* Keep the base path without its trailing slashes: calls append "/checkout/...". */
  path = g_strdup (g_uri_get_path (uri));
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  /* The scheme's default port is left out, so URLs shown to people (copy as
   * cURL) look as they typed them. */
  port = g_uri_get_port (uri);
  if ((port == 443 && g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
      || (port == 80 && g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0))
    port = -1;

  self = g_object_new (NP_TYPE_CLIENT, NULL);
  self->base_uri = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                                port, path, NULL, NULL);
  self->base_url = g_uri_to_string (self->base_uri);
  self->api_key = g_strdup (api_key ? api_key : "");

  return self;
}

const char *
np_client_get_base_url (NpClient *self)
{
  g_return_val_if_fail (NP_IS_CLIENT (self), NULL);

  return self->base_url;
}

void
np_client_set_timeout (NpClient *self,
                       guint     seconds)
{
  g_return_if_fail (NP_IS_CLIENT (self));

  seconds = CLAMP (seconds, 1, 3600);
  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

void
np_client_set_max_response_size (NpClient *self,
                                 gsize     bytes)
{
  g_return_if_fail (NP_IS_CLIENT (self));

  self->max_response_size = MAX (bytes, 1024);
}

void
np_client_set_max_retries (NpClient *self,
                           guint     retries)
{
  g_return_if_fail (NP_IS_CLIENT (self));

  retries = MIN (retries, 10);
  if (self->max_retries == retries)
    return;

  self->max_retries = retries;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RETRIES]);
}

SoupSession *np_client_get_session (NpClient *self) { return self->session; }
GUri *np_client_get_base_uri (NpClient *self) { return self->base_uri; }
const char *np_client_get_api_key (NpClient *self) { return self->api_key; }
guint np_client_get_timeout (NpClient *self) { return self->timeout; }
gsize np_client_get_max_response_size (NpClient *self) { return self->max_response_size; }
guint np_client_get_max_retries (NpClient *self) { return self->max_retries; }

GUri *
np_client_build_uri (NpClient   *self,
                     const char *call)
{
  g_autofree char *path = g_strconcat (g_uri_get_path (self->base_uri), "/checkout/", call, NULL);

  return g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (self->base_uri), NULL,
                      g_uri_get_host (self->base_uri), g_uri_get_port (self->base_uri),
                      path, NULL, NULL);
}

char *
np_client_render_curl (NpClient   *self,
                       const char *call,
                       const char *json_body)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  g_autofree char *quoted_url = NULL;
  g_autofree char *quoted_body = NULL;

  g_return_val_if_fail (NP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (call != NULL, NULL);

  /* Accept "refund" as well as "checkout/refund". */
  if (g_str_has_prefix (call, "checkout/"))
    call += strlen ("checkout/");

  uri = np_client_build_uri (self, call);
  url = g_uri_to_string (uri);
  quoted_url = g_shell_quote (url);
  quoted_body = g_shell_quote (json_body ? json_body : "{}");

  /* The key stays in the environment, so the command can be shared or logged. */
  return g_strdup_printf ("curl --silent --show-error -X POST %s \\\n"
                          "  -H \"Authorization: Bearer $NEURO_PAY_API_KEY\" \\\n"
                          "  -H 'Content-Type: application/json' \\\n"
                          "  --data-raw %s",
                          quoted_url, quoted_body);
}

/* Drafts ------------------------------------------------------------------- */

NpCheckoutDraft *
np_checkout_draft_new (void)
{
  NpCheckoutDraft *draft = g_new0 (NpCheckoutDraft, 1);

  draft->capture = TRUE;
  draft->allow_save_card = TRUE;

  return draft;
}

void
np_checkout_draft_free (NpCheckoutDraft *draft)
{
  if (draft == NULL)
    return;

  g_free (draft->currency);
  g_free (draft->message);
  g_free (draft->identifier);
  g_free (draft->return_url);
  g_free (draft->return_url_cancel);
  g_free (draft->customer_id);
  g_free (draft->card_id);
  g_free (draft->template_name);
  g_clear_pointer (&draft->metadata, g_hash_table_unref);
  g_free (draft);
}

void
np_retrieve_result_free (NpRetrieveResult *result)
{
  if (result == NULL)
    return;

  g_free (result->checkout_id);
  g_clear_object (&result->checkout);
  g_clear_error (&result->error);
  g_free (result);
}

gint64
np_client_get_clock_offset (NpClient *self)
{
  g_return_val_if_fail (NP_IS_CLIENT (self), 0);
  return self->clock_offset;
}

void
np_client_set_clock_offset (NpClient *self,
                            gint64    seconds)
{
  g_return_if_fail (NP_IS_CLIENT (self));

  if (ABS (seconds) > NP_CLIENT_CLOCK_OFFSET_MAX)
    return;
  if (ABS (seconds) <= NP_CLIENT_CLOCK_TOLERANCE)
    seconds = 0;
  if (self->clock_offset == seconds)
    return;
  self->clock_offset = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_OFFSET]);
}

void
np_client_note_server_date (NpClient   *self,
                            const char *date_header)
{
  g_autoptr(GDateTime) date = NULL;

  /* Untrusted like the rest of the answer: a missing or unreadable date, or one
   * absurdly far from ours, leaves the offset as it was. */
  if (date_header == NULL || (date = soup_date_time_new_from_http_string (date_header)) == NULL)
    return;
  np_client_set_clock_offset (self, g_date_time_to_unix (date) - g_get_real_time () / G_USEC_PER_SEC);
}
