/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-link.c — the check every link from a server goes through before the console
 * shows it as a link, draws it as a QR code or hands it to a browser.
 *
 * GUri parses; the rest is what a browser would read differently from us: a
 * backslash that browsers take for a slash, userinfo that makes
 * "https://bank.example@evil.example" go to evil.example, hosts GUri accepts
 * but no server has.
 */
#include "config.h"

#include <gio/gio.h>

#include "np-link.h"

/* Printable ASCII without the backslash: what a link a server builds is made of. */
static gboolean
text_is_plain (const char *text)
{
  gsize length = 0;

  for (const char *p = text; *p != '\0'; p++, length++)
    if (*p <= 0x20 || *p >= 0x7f || *p == '\\' || length >= NP_LINK_MAX_LENGTH)
      return FALSE;
  return length > 0;
}

/* A DNS name (letters, digits, hyphens and dots, no empty label) or an IP address. */
static gboolean
host_is_plausible (const char *host)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);
  gboolean label_start = TRUE;

  if (address != NULL)
    return TRUE;
  if (*host == '\0' || *host == '-' || *host == '.')
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (label_start)
            return FALSE;
          label_start = TRUE;
          continue;
        }
      if (!g_ascii_isalnum (*p) && *p != '-')
        return FALSE;
      label_start = FALSE;
    }
  return TRUE;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
np_link_is_openable (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (text == NULL || !text_is_plain (text))
    return FALSE;

  /* Strict parsing; the host is decoded, so a "%40" (@) in it is refused below. */
  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED_PATH | G_URI_FLAGS_ENCODED_QUERY |
                           G_URI_FLAGS_ENCODED_FRAGMENT, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || !host_is_plausible (host))
    return FALSE;
  if (g_uri_get_userinfo (uri) != NULL)
    return FALSE;

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    return host_is_loopback (host);
  return FALSE;
}

char *
np_link_take_openable (char     *text,
                       gboolean *refused)
{
  *refused = text != NULL && !np_link_is_openable (text);
  if (*refused)
    g_clear_pointer (&text, g_free);
  return text;
}
