/* SPDX-License-Identifier: GPL-3.0-or-later */
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
  char  *location;     /* a redirect's target, cleaned, for a call that did not follow it */
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
  dest->location = g_strdup (src->location);
}

static void
np_client_error_private_clear (NpClientErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
  g_clear_pointer (&priv->request_id, g_free);
  g_clear_pointer (&priv->location, g_free);
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

void
np_client_error_set_location (GError     *error,
                              const char *location)
{
  NpClientErrorPrivate *priv = np_client_error_get_private (error);

  g_return_if_fail (priv != NULL);

  g_free (priv->location);
  priv->location = g_strdup (location);
}

/* The getters take any error (a form shows a team ledger's or the ledger's too):
 * only NP_CLIENT_ERROR has the details, and asking another domain for them is a
 * critical warning. */
static NpClientErrorPrivate *
details_of (const GError *error)
{
  if (error == NULL || error->domain != NP_CLIENT_ERROR)
    return NULL;
  return np_client_error_get_private (error);
}

const char *
np_client_error_get_location (const GError *error)
{
  NpClientErrorPrivate *priv = details_of (error);

  return priv ? priv->location : NULL;
}

const char *
np_client_error_get_field (const GError *error)
{
  NpClientErrorPrivate *priv = details_of (error);

  return priv ? priv->field : NULL;
}

guint
np_client_error_get_retry_after (const GError *error)
{
  NpClientErrorPrivate *priv = details_of (error);

  return priv ? priv->retry_after : 0;
}

guint
np_client_error_get_http_status (const GError *error)
{
  NpClientErrorPrivate *priv = details_of (error);

  return priv ? priv->http_status : 0;
}

const char *
np_client_error_get_request_id (const GError *error)
{
  NpClientErrorPrivate *priv = details_of (error);

  return priv ? priv->request_id : NULL;
}

/* A sentence a person can act on. The server's own words (the GError message)
 * are added where they help, since the API documents no error format. */
char *
np_client_error_describe (const GError *error)
{
  const char *field;
  guint retry_after;
  const char *request_id;
  g_autofree char *sentence = NULL;

  if (error == NULL)
    return g_strdup ("");

  if (error->domain != NP_CLIENT_ERROR)
    return g_strdup (error->message);

  field = np_client_error_get_field (error);
  retry_after = np_client_error_get_retry_after (error);
  request_id = np_client_error_get_request_id (error);

  switch ((NpClientError) error->code)
    {
    case NP_CLIENT_ERROR_UNAUTHORIZED:
      sentence = g_strdup (_("The API key was refused. It may be mistyped, blocked or expired: check it in "
                             "the account settings, or create a new key in Neuro-Admin."));
      break;
    case NP_CLIENT_ERROR_FORBIDDEN:
      sentence = g_strdup (_("This API key is not allowed to do that. Check the key’s permissions in Neuro-Admin."));
      break;
    case NP_CLIENT_ERROR_NOT_FOUND:
      sentence = g_strdup (_("Neuro-Pay does not know this checkout or customer. It may belong to another "
                             "account, or the API address may be wrong."));
      break;
    case NP_CLIENT_ERROR_INVALID_REQUEST:
      if (field != NULL)
        /* Translators: %s is the name of a request field, e.g. "amount"; then the server's message */
        sentence = g_strdup_printf (_("Neuro-Pay refused the value of “%s”: %s"), field, error->message);
      else
        sentence = g_strdup_printf (_("Neuro-Pay refused the request: %s"), error->message);
      break;
    case NP_CLIENT_ERROR_RATE_LIMITED:
      if (retry_after > 0)
        sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Too many requests. Neuro-Pay asks to wait %u second before trying again.",
                                                 "Too many requests. Neuro-Pay asks to wait %u seconds before trying again.",
                                                 retry_after), retry_after);
      else
        sentence = g_strdup (_("Too many requests. Wait a moment before trying again."));
      break;
    case NP_CLIENT_ERROR_SERVER:
      sentence = g_strdup (_("Neuro-Pay had a problem on its side. Try again in a few minutes."));
      break;
    case NP_CLIENT_ERROR_NETWORK:
      sentence = g_strdup (_("Could not reach Neuro-Pay. Check the internet connection and the API address."));
      break;
    case NP_CLIENT_ERROR_TIMEOUT:
      sentence = g_strdup (_("Neuro-Pay did not answer in time. Try again."));
      break;
    case NP_CLIENT_ERROR_TLS:
      sentence = g_strdup (_("The secure connection to Neuro-Pay could not be verified, so nothing was sent. "
                             "Check the API address and the computer’s date and time."));
      break;
    case NP_CLIENT_ERROR_BAD_RESPONSE:
      if (np_client_error_get_location (error) != NULL)
        /* Translators: %s is the address the server redirected to */
        sentence = g_strdup_printf (_("Neuro-Pay answered with a redirect to “%s” instead of carrying out the "
                                      "change. A change is never sent twice, so the redirect was not followed. "
                                      "Check the API address."), np_client_error_get_location (error));
      else
        sentence = g_strdup (_("Neuro-Pay sent an answer the console cannot read. Try again; if it persists, "
                             "check the API address."));
      break;
    case NP_CLIENT_ERROR_CANCELLED:
      sentence = g_strdup (_("The request was cancelled."));
      break;
    case NP_CLIENT_ERROR_OUTCOME_UNKNOWN:
      sentence = g_strdup (_("The request was sent but no answer came back, so it is not known whether "
                             "Neuro-Pay carried it out. Refresh the checkout to see its current state "
                             "before trying again."));
      break;
    case NP_CLIENT_ERROR_INVALID_URL:
      sentence = g_strdup (_("The API address must start with https:// (plain http:// is allowed only for "
                             "a server on this computer)."));
      break;
    case NP_CLIENT_ERROR_INVALID_INPUT:
      if (field != NULL)
        /* Translators: %s is the name of a request field, e.g. "metaData"; then why */
        sentence = g_strdup_printf (_("“%s” cannot be sent as it is, so nothing was sent: %s"), field, error->message);
      else
        sentence = g_strdup_printf (_("This cannot be sent as it is, so nothing was sent: %s"), error->message);
      break;
    default:
      return g_strdup (error->message);
    }

  if (request_id != NULL)
    /* Translators: the first %s is a sentence, the second an id to quote to support */
    return g_strdup_printf (_("%s (Request ID: %s)"), sentence, request_id);

  return g_steal_pointer (&sentence);
}
