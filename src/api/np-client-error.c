/* np-client-error.c — the NP_CLIENT_ERROR domain, its extended data and the
 * sentences the UI shows for it. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-api-private.h"
#include "np-client.h"

typedef struct {
  guint  http_status;
  char  *field;
  char  *request_id;
  guint  retry_after;
} NpClientErrorPrivate;

static void
np_client_error_private_init (NpClientErrorPrivate *priv)
{
}

static void
np_client_error_private_copy (const NpClientErrorPrivate *src,
                              NpClientErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->field = g_strdup (src->field);
  dest->request_id = g_strdup (src->request_id);
  dest->retry_after = src->retry_after;
}

static void
np_client_error_private_clear (NpClientErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
  g_clear_pointer (&priv->request_id, g_free);
}

G_DEFINE_EXTENDED_ERROR (NpClientError, np_client_error)

void
np_client_error_set_details (GError     *error,
                             guint       http_status,
                             const char *field,
                             const char *request_id,
                             guint       retry_after)
{
  NpClientErrorPrivate *priv = np_client_error_get_private (error);

  g_return_if_fail (priv != NULL);

  priv->http_status = http_status;
  g_free (priv->field);
  priv->field = g_strdup (field);
  g_free (priv->request_id);
  priv->request_id = g_strdup (request_id);
  priv->retry_after = retry_after;
}

const char *
np_client_error_get_field (const GError *error)
{
  NpClientErrorPrivate *priv = error ? np_client_error_get_private (error) : NULL;

  return priv ? priv->field : NULL;
}

guint
np_client_error_get_retry_after (const GError *error)
{
  NpClientErrorPrivate *priv = error ? np_client_error_get_private (error) : NULL;

  return priv ? priv->retry_after : 0;
}

guint
np_client_error_get_http_status (const GError *error)
{
  NpClientErrorPrivate *priv = error ? np_client_error_get_private (error) : NULL;

  return priv ? priv->http_status : 0;
}

const char *
np_client_error_get_request_id (const GError *error)
{
  NpClientErrorPrivate *priv = error ? np_client_error_get_private (error) : NULL;

  return priv ? priv->request_id : NULL;
}
