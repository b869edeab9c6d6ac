/* np-json.c — tolerant readers of JSON members (see np-json-private.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "np-client.h"
#include "np-json-private.h"

/* Scans @data for the deepest nesting of arrays and objects, skipping strings,
 * so that hostile input cannot exhaust the stack of json-glib's recursive parser. */
static gboolean
nesting_is_shallow (const char *data,
                    gsize       length)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > NP_JSON_MAX_DEPTH)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

JsonNode *
np_json_parse (const char  *data,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL)
    length = 0;
  else if (length < 0)
    length = strlen (data);

  if (length == 0)
    {
      g_set_error_literal (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                           "The response was empty");
      return NULL;
    }

  if (!nesting_is_shallow (data, length))
    {
      g_set_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_BAD_RESPONSE,
                   "The response nests deeper than %d levels", NP_JSON_MAX_DEPTH);
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
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
