/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-client-check.c — what the client refuses to send.
 *
 * A form should catch bad input at its field; these checks are the last line,
 * so that nothing malformed (invalid UTF-8 makes json-glib write invalid JSON)
 * or oversized ever reaches the server with the key attached.
 */
#include "config.h"

#include "np-api-private.h"
#include "np-client.h"

static GError *
input_error (const char *field,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static GError *
input_error (const char *field,
             const char *format,
             ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_INPUT, format, args);
  va_end (args);
  np_client_error_set_details (error, 0, field, NULL, 0);
  return error;
}

/* Valid UTF-8 without C0/C1 control characters (tab and newlines allowed in
 * free text when @multiline). */
static gboolean
text_is_clean (const char *text,
               gboolean    multiline)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (multiline && (c == '\t' || c == '\n' || c == '\r'))
        continue;
      if (g_unichar_iscntrl (c))
        return FALSE;
    }
  return TRUE;
}

gboolean
np_client_check_metadata (GHashTable  *metadata,
                          GError     **error)
{
  GHashTableIter iter;
  gpointer key, value;

  if (metadata == NULL)
    return TRUE;

  if (g_hash_table_size (metadata) > NP_CLIENT_METADATA_MAX_ENTRIES)
    {
      g_propagate_error (error, input_error ("metaData", "at most %d entries are allowed, not %u",
                                             NP_CLIENT_METADATA_MAX_ENTRIES,
                                             g_hash_table_size (metadata)));
      return FALSE;
    }

  g_hash_table_iter_init (&iter, metadata);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (key == NULL || *(const char *) key == '\0' || !text_is_clean (key, FALSE))
        {
          g_propagate_error (error, input_error ("metaData", "a key is empty, not UTF-8 or has control characters"));
          return FALSE;
        }
      if (g_utf8_strlen (key, -1) > NP_CLIENT_METADATA_MAX_KEY)
        {
          g_propagate_error (error, input_error ("metaData", "keys are at most %d characters",
                                                 NP_CLIENT_METADATA_MAX_KEY));
          return FALSE;
        }
      if (value != NULL && !text_is_clean (value, TRUE))
        {
          g_propagate_error (error, input_error ("metaData", "the value of “%s” is not UTF-8 or has control characters",
                                                 (const char *) key));
          return FALSE;
        }
      if (value != NULL && g_utf8_strlen (value, -1) > NP_CLIENT_METADATA_MAX_VALUE)
        {
          g_propagate_error (error, input_error ("metaData", "the value of “%s” is longer than %d characters",
                                                 (const char *) key, NP_CLIENT_METADATA_MAX_VALUE));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
np_client_check_draft (const NpCheckoutDraft  *draft,
                       GError                **error)
{
  const struct { const char *field; const char *value; gboolean multiline; } texts[] = {
    { "message", draft->message, TRUE },
    { "identifier", draft->identifier, FALSE },
    { "returnUrl", draft->return_url, FALSE },
    { "returnUrlCancel", draft->return_url_cancel, FALSE },
    { "customer_id", draft->customer_id, FALSE },
    { "card_id", draft->card_id, FALSE },
    { "template", draft->template_name, FALSE },
  };

  g_return_val_if_fail (draft != NULL, FALSE);

  if (draft->amount <= 0)
    {
      g_propagate_error (error, input_error ("amount", "the amount must be above zero"));
      return FALSE;
    }
  /* The currency is the server's to judge (it may know codes NpMoney does not);
   * it only has to be text that can be sent. */
  if (draft->currency == NULL || *draft->currency == '\0' || !text_is_clean (draft->currency, FALSE))
    {
      g_propagate_error (error, input_error ("currency", "no currency code, or not one that can be sent"));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (texts[i].value != NULL && !text_is_clean (texts[i].value, texts[i].multiline))
      {
        g_propagate_error (error, input_error (texts[i].field, "not UTF-8, or has control characters"));
        return FALSE;
      }

  return np_client_check_metadata (draft->metadata, error);
}
