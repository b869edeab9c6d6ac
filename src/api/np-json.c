/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-json.c — tolerant readers of JSON members (see np-json-private.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "np-client.h"
#include "np-json-private.h"

/* The strict scan -------------------------------------------------------------
 *
 * json-glib 1.6 reads more than JSON: comments, single-quoted strings, hex and
 * leading-zero numbers; it recurses once per level of nesting; and it wraps
 * integers beyond 64 bits (2^63 becomes INT64_MIN, -(2^64 - 1) becomes 1). So
 * every byte from the network is first checked here, without recursion, to be
 * RFC 8259 JSON: UTF-8 (one leading byte order mark is skipped), no comments,
 * double-quoted strings without raw control characters, lone surrogates or
 * \u0000 (which would cut a C string short), numbers in the RFC's grammar only
 * (no NaN or Infinity), nesting at most NP_JSON_MAX_DEPTH deep and nothing after
 * the value. Only what passes reaches json-glib, whose recursion it bounds. */

typedef struct {
  const char *data;
  gsize       length;
  gsize       pos;
  const char *why;          /* static text: why the input was refused */
  guint       n_wide;       /* integer literals beyond gint64 */
  gsize      *wide_ends;    /* where they end, for the copy that widens them */
  gsize       n_wide_ends;
} Scan;

static gboolean
scan_fail (Scan       *scan,
           const char *why)
{
  if (scan->why == NULL)
    scan->why = why;
  return FALSE;
}

static void
skip_space (Scan *scan)
{
  while (scan->pos < scan->length)
    {
      char c = scan->data[scan->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      scan->pos++;
    }
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
scan_hex4 (Scan    *scan,
           gunichar *out)
{
  gunichar value = 0;

  if (scan->length - scan->pos < 4)
    return scan_fail (scan, "a string has a malformed \\u escape");
  for (guint i = 0; i < 4; i++)
    {
      int digit = hex_value (scan->data[scan->pos + i]);

      if (digit < 0)
        return scan_fail (scan, "a string has a malformed \\u escape");
      value = value * 16 + digit;
    }
  scan->pos += 4;
  *out = value;
  return TRUE;
}

/* At the opening quote. The bytes are known to be valid UTF-8 already. */
static gboolean
scan_string (Scan *scan)
{
  scan->pos++;
  while (scan->pos < scan->length)
    {
      guchar c = scan->data[scan->pos++];

      if (c == '"')
        return TRUE;
      if (c < 0x20)
        return scan_fail (scan, "a string holds a raw control character");
      if (c != '\\')
        continue;

      if (scan->pos >= scan->length)
        break;
      c = scan->data[scan->pos++];
      switch (c)
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          break;
        case 'u':
          {
            gunichar u, low;

            if (!scan_hex4 (scan, &u))
              return FALSE;
            if (u == 0)
              return scan_fail (scan, "a string holds a NUL character (\\u0000)");
            if (u >= 0xdc00 && u <= 0xdfff)
              return scan_fail (scan, "a string holds a lone surrogate escape");
            if (u >= 0xd800 && u <= 0xdbff)
              {
                if (scan->length - scan->pos < 2 || scan->data[scan->pos] != '\\'
                    || scan->data[scan->pos + 1] != 'u')
                  return scan_fail (scan, "a string holds a lone surrogate escape");
                scan->pos += 2;
                if (!scan_hex4 (scan, &low))
                  return FALSE;
                if (low < 0xdc00 || low > 0xdfff)
                  return scan_fail (scan, "a string holds a lone surrogate escape");
              }
          }
          break;
        default:
          return scan_fail (scan, "a string has an unknown escape");
        }
    }

  return scan_fail (scan, "a string is not closed");
}

static gsize
scan_digits (Scan *scan)
{
  gsize start = scan->pos;

  while (scan->pos < scan->length && g_ascii_isdigit (scan->data[scan->pos]))
    scan->pos++;
  return scan->pos - start;
}

/* Whether the integer literal [@start, @end) (an optional '-', then digits
 * without a leading zero) fits in a gint64. */
static gboolean
integer_fits (const char *start,
              const char *end)
{
  gboolean negative = *start == '-';
  const char *digits = negative ? start + 1 : start;
  const char *limit = negative ? "9223372036854775808" : "9223372036854775807";
  gsize n = end - digits;

  if (n != 19)
    return n < 19;
  return memcmp (digits, limit, 19) <= 0;
}

static gboolean
scan_number (Scan *scan)
{
  gsize start = scan->pos;
  gboolean integer = TRUE;

  if (scan->data[scan->pos] == '-')
    scan->pos++;
  if (scan->pos < scan->length && scan->data[scan->pos] == '0')
    scan->pos++;
  else if (scan_digits (scan) == 0)
    return scan_fail (scan, "a value is not JSON (a number must start with a digit)");

  if (scan->pos < scan->length && scan->data[scan->pos] == '.')
    {
      scan->pos++;
      integer = FALSE;
      if (scan_digits (scan) == 0)
        return scan_fail (scan, "a number has no digits after its decimal point");
    }
  if (scan->pos < scan->length && (scan->data[scan->pos] == 'e' || scan->data[scan->pos] == 'E'))
    {
      scan->pos++;
      integer = FALSE;
      if (scan->pos < scan->length && (scan->data[scan->pos] == '+' || scan->data[scan->pos] == '-'))
        scan->pos++;
      if (scan_digits (scan) == 0)
        return scan_fail (scan, "a number has no digits in its exponent");
    }

  if (integer && !integer_fits (scan->data + start, scan->data + scan->pos))
    {
      if (scan->wide_ends != NULL && scan->n_wide_ends < scan->n_wide)
        scan->wide_ends[scan->n_wide_ends++] = scan->pos;
      else if (scan->wide_ends == NULL)
        scan->n_wide++;
    }

  return TRUE;
}

static gboolean
scan_word (Scan       *scan,
           const char *word)
{
  gsize n = strlen (word);

  if (scan->length - scan->pos < n || memcmp (scan->data + scan->pos, word, n) != 0)
    return scan_fail (scan, "a value is not JSON (only true, false, null, numbers, strings, arrays and "
                            "objects are)");
  scan->pos += n;
  return TRUE;
}

static gboolean
scan_scalar (Scan *scan)
{
  switch (scan->data[scan->pos])
    {
    case '"':
      return scan_string (scan);
    case 't':
      return scan_word (scan, "true");
    case 'f':
      return scan_word (scan, "false");
    case 'n':
      return scan_word (scan, "null");
    case '/':
      return scan_fail (scan, "it holds a comment");
    case '\'':
      return scan_fail (scan, "it holds a single-quoted string");
    default:
      if (scan->data[scan->pos] == '-' || g_ascii_isdigit (scan->data[scan->pos]))
        return scan_number (scan);
      return scan_fail (scan, "a value is not JSON (only true, false, null, numbers, strings, arrays and "
                              "objects are)");
    }
}

/* The whole document, with an explicit stack of the open containers. */
static gboolean
scan_document (Scan *scan)
{
  char stack[NP_JSON_MAX_DEPTH];
  guint depth = 0;

  for (;;)
    {
      /* A value is expected. */
      skip_space (scan);
      if (scan->pos >= scan->length)
        return scan_fail (scan, "it ends where a value was expected");

      if (scan->data[scan->pos] == '[' || scan->data[scan->pos] == '{')
        {
          char open = scan->data[scan->pos++];

          if (depth == NP_JSON_MAX_DEPTH)
            return scan_fail (scan, "it nests deeper than " G_STRINGIFY (NP_JSON_MAX_DEPTH) " levels");
          stack[depth++] = open;
          skip_space (scan);
          if (scan->pos < scan->length && scan->data[scan->pos] == (open == '[' ? ']' : '}'))
            {
              scan->pos++;
              depth--;
            }
          else if (open == '{')
            {
              if (scan->pos >= scan->length || scan->data[scan->pos] != '"')
                return scan_fail (scan, scan->pos < scan->length && scan->data[scan->pos] == '/'
                                        ? "it holds a comment" : "an object member's name is not a "
                                                                 "double-quoted string");
              if (!scan_string (scan))
                return FALSE;
              skip_space (scan);
              if (scan->pos >= scan->length || scan->data[scan->pos++] != ':')
                return scan_fail (scan, "an object member's name is not followed by ':'");
              continue;
            }
          else
            continue;
        }
      else if (!scan_scalar (scan))
        return FALSE;

      /* A value ended: close containers, or go on to the next member or element. */
      for (;;)
        {
          char c;

          skip_space (scan);
          if (depth == 0)
            {
              if (scan->pos < scan->length)
                return scan_fail (scan, scan->data[scan->pos] == '/' ? "it holds a comment"
                                                                     : "there is more after the value");
              return TRUE;
            }
          if (scan->pos >= scan->length)
            return scan_fail (scan, "it ends before every array and object is closed");

          c = scan->data[scan->pos++];
          if (c == (stack[depth - 1] == '[' ? ']' : '}'))
            {
              depth--;
              continue;
            }
          if (c != ',')
            return scan_fail (scan, c == '/' ? "it holds a comment"
                                             : "a ',' or the end of an array or object was expected");

          skip_space (scan);
          if (stack[depth - 1] == '{')
            {
              if (scan->pos >= scan->length || scan->data[scan->pos] != '"')
                return scan_fail (scan, "an object member's name is not a double-quoted string");
              if (!scan_string (scan))
                return FALSE;
              skip_space (scan);
              if (scan->pos >= scan->length || scan->data[scan->pos++] != ':')
                return scan_fail (scan, "an object member's name is not followed by ':'");
            }
          else if (scan->pos < scan->length && scan->data[scan->pos] == ']')
            return scan_fail (scan, "an array has a ',' before its end");
          break;
        }
    }
}

/* A copy of @data with ".0" after each integer literal that does not fit a
 * gint64, so that json-glib reads it as the (large) floating-point number it
 * is instead of wrapping it. Rare: only hostile or broken servers send them. */
static char *
widen_integers (const char *data,
                gsize       length,
                guint       n_wide,
                gsize      *out_length)
{
  g_autofree gsize *ends = g_new (gsize, n_wide);
  Scan scan = { data, length, 0, NULL, n_wide, ends, 0 };
  GString *copy;
  gsize from = 0;

  if (!scan_document (&scan))
    g_assert_not_reached ();
  copy = g_string_sized_new (length + 2 * n_wide + 1);
  for (gsize i = 0; i < scan.n_wide_ends; i++)
    {
      g_string_append_len (copy, data + from, ends[i] - from);
      g_string_append (copy, ".0");
      from = ends[i];
    }
  g_string_append_len (copy, data + from, length - from);
  *out_length = copy->len;
  return g_string_free (copy, FALSE);
}

JsonNode *
np_json_parse (const char  *data,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *widened = NULL;
  Scan scan = { 0 };
  JsonNode *root;
  gsize len;

  if (data == NULL)
    length = 0;
  else if (length < 0)
    length = strlen (data);
  len = length;

  /* One UTF-8 byte order mark is tolerated (RFC 8259 §8.1 allows ignoring it). */
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      len -= 3;
    }

  scan.data = data;
  scan.length = len;
  skip_space (&scan);
  if (scan.pos == len)
    {
      g_set_error_literal (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                           "The response was empty");
      return NULL;
    }

  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                           "The response is not valid JSON: it is not valid UTF-8");
      return NULL;
    }

  scan.pos = 0;
  if (!scan_document (&scan))
    {
      g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                   "The response is not valid JSON: %s (at byte %" G_GSIZE_FORMAT ")",
                   scan.why, MIN (scan.pos, len));
      return NULL;
    }

  if (scan.n_wide > 0)
    {
      widened = widen_integers (data, len, scan.n_wide, &len);
      data = widened;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                   "The response is not valid JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                           "The response was empty");
      return NULL;
    }

  return json_node_copy (root);
}

JsonNode *
np_json_find (JsonObject *obj,
              const char *name,
              ...)
{
  va_list args;
  JsonNode *found = NULL;

  if (obj == NULL)
    return NULL;

  va_start (args, name);
  for (const char *n = name; n != NULL; n = va_arg (args, const char *))
    {
      JsonNode *node = json_object_get_member (obj, n);

      if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
        {
          found = node;
          break;
        }
    }
  va_end (args);

  return found;
}

char *
np_json_node_dup_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    default:
      return NULL;
    }
}

gboolean
np_json_node_get_int (JsonNode *node,
                      gint64   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = json_node_get_int (node);
      return TRUE;

    case G_TYPE_DOUBLE:
      {
        double d = json_node_get_double (node);

        /* 2^63 is exactly representable; anything at or beyond it does not fit. */
        if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || d != (double) (gint64) d)
          return FALSE;
        *out = (gint64) d;
        return TRUE;
      }

    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (node);
        char *end = NULL;
        gint64 v;

        if (s == NULL || *s == '\0' || g_ascii_isspace (*s))
          return FALSE;
        errno = 0;
        v = g_ascii_strtoll (s, &end, 10);
        if (errno != 0 || end == s || *end != '\0')
          return FALSE;
        *out = v;
        return TRUE;
      }

    default:
      return FALSE;
    }
}

gboolean
np_json_node_get_amount (JsonNode    *node,
                         const char  *field,
                         gint64      *out,
                         GError     **error)
{
  gint64 value;

  *out = 0;
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE
      && json_node_get_double (node) > (double) NP_JSON_MAX_AMOUNT)
    {
      g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                   "The response's \"%s\" is above the largest possible amount", field);
      return FALSE;
    }
  if (!np_json_node_get_int (node, &value))
    {
      g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                   "The response's \"%s\" is not a whole number of minor units", field);
      return FALSE;
    }
  if (value < 0)
    {
      g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                   "The response's \"%s\" is negative", field);
      return FALSE;
    }
  if (value > NP_JSON_MAX_AMOUNT)
    {
      g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                   "The response's \"%s\" is above the largest possible amount", field);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
np_json_node_get_bool (JsonNode *node,
                       gboolean *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      *out = json_node_get_boolean (node);
      return TRUE;
    case G_TYPE_INT64:
      if (json_node_get_int (node) != 0 && json_node_get_int (node) != 1)
        return FALSE;
      *out = json_node_get_int (node) == 1;
      return TRUE;
    case G_TYPE_STRING:
      if (g_ascii_strcasecmp (json_node_get_string (node), "true") == 0)
        *out = TRUE;
      else if (g_ascii_strcasecmp (json_node_get_string (node), "false") == 0)
        *out = FALSE;
      else
        return FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

GDateTime *
np_json_node_get_time (JsonNode *node)
{
  gint64 seconds;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return np_parse_api_time (json_node_get_string (node));

  if (!np_json_node_get_int (node, &seconds) || seconds < 0)
    return NULL;

  /* Later than the year 5138 in seconds means the server sent milliseconds. */
  if (seconds > G_GINT64_CONSTANT (100000000000))
    seconds /= 1000;

  return g_date_time_new_from_unix_utc (seconds);
}

char *
np_json_object_to_string (JsonObject *obj,
                          gboolean    pretty)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_node_set_object (node, obj);
  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, pretty);

  return json_generator_to_data (gen, NULL);
}

static gboolean
is_unshowable (gunichar c)
{
  return g_unichar_iscntrl (c)                      /* C0, DEL, C1 */
         || c == 0x2028 || c == 0x2029               /* line and paragraph separators */
         || (c >= 0x202a && c <= 0x202e)             /* bidirectional embeddings and overrides */
         || (c >= 0x2066 && c <= 0x2069);            /* bidirectional isolates */
}

void
np_json_clean_text (char  **text,
                    guint   max_chars)
{
  g_autofree char *valid = NULL;
  GString *clean;
  guint n = 0;

  if (*text == NULL)
    return;

  valid = g_utf8_make_valid (*text, -1);
  clean = g_string_sized_new (MIN (strlen (valid), (gsize) max_chars * 4) + 4);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n == max_chars)
        {
          g_string_append (clean, "…");
          break;
        }
      if (is_unshowable (c))
        g_string_append_c (clean, ' ');
      else
        g_string_append_len (clean, p, g_utf8_next_char (p) - p);
      n++;
    }

  g_free (*text);
  *text = g_strstrip (g_string_free (clean, FALSE));
  if (**text == '\0')
    g_clear_pointer (text, g_free);
}

gboolean
np_json_id_is_usable (const char *id)
{
  gsize len;

  if (id == NULL)
    return FALSE;

  len = strlen (id);
  if (len == 0 || len > NP_JSON_MAX_ID_LENGTH || !g_utf8_validate (id, len, NULL))
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      return FALSE;

  return TRUE;
}

char *
np_json_node_dup_id (JsonNode *node)
{
  g_autofree char *id = np_json_node_dup_text (node);

  return np_json_id_is_usable (id) ? g_steal_pointer (&id) : NULL;
}

JsonObject *
np_json_unwrap (JsonObject     *obj,
                const char     *wrapper,
                NpJsonIdFinder  find_id)
{
  const char * const wrappers[] = { wrapper, "data", "result" };
  g_autofree char *id = find_id (obj);

  if (id != NULL)
    return obj;

  for (guint i = 0; i < G_N_ELEMENTS (wrappers); i++)
    {
      JsonNode *inner = json_object_get_member (obj, wrappers[i]);
      g_autofree char *inner_id = NULL;

      if (inner == NULL || !JSON_NODE_HOLDS_OBJECT (inner))
        continue;
      inner_id = find_id (json_node_get_object (inner));
      if (inner_id != NULL)
        return json_node_get_object (inner);
    }

  return obj;
}
