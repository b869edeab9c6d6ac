/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-csv.c — reading and writing RFC 4180 CSV, for import and export. */
#include <string.h>

#include "np-csv.h"

void
np_csv_reader_init (NpCsvReader *reader,
                    const char  *data,
                    gsize        length)
{
  reader->data = data;
  reader->length = length;
  reader->position = 0;
  reader->line = 1;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    reader->position = 3;
}

/* Consumes one line break at the reader's position, if any. */
static gboolean
take_line_break (NpCsvReader *reader)
{
  const char *p = reader->data + reader->position;
  gsize left = reader->length - reader->position;

  if (left >= 2 && p[0] == '\r' && p[1] == '\n')
    reader->position += 2;
  else if (left >= 1 && (p[0] == '\n' || p[0] == '\r'))
    reader->position += 1;
  else
    return FALSE;

  reader->line++;
  return TRUE;
}

gboolean
np_csv_reader_next (NpCsvReader *reader,
                    GPtrArray   *fields,
                    guint       *out_line)
{
  GString *field;

  g_ptr_array_set_size (fields, 0);
  if (reader->position >= reader->length)
    return FALSE;

  if (out_line != NULL)
    *out_line = reader->line;

  field = g_string_new (NULL);
  for (;;)
    {
      gboolean end_of_record = FALSE;

      if (reader->position < reader->length && reader->data[reader->position] == '"')
        {
          reader->position++;
          while (reader->position < reader->length)
            {
              char c = reader->data[reader->position];

              if (c == '"' && reader->position + 1 < reader->length &&
                  reader->data[reader->position + 1] == '"')
                {
                  g_string_append_c (field, '"');
                  reader->position += 2;
                }
              else if (c == '"')
                {
                  reader->position++;
                  break;
                }
              else
                {
                  if (c == '\n' || (c == '\r' && !(reader->position + 1 < reader->length &&
                                                   reader->data[reader->position + 1] == '\n')))
                    reader->line++;
                  g_string_append_c (field, c);
                  reader->position++;
                }
            }
        }

      /* Unquoted text, or whatever follows a closing quote up to the separator. */
      while (reader->position < reader->length)
        {
          char c = reader->data[reader->position];

          if (c == ',' || c == '\r' || c == '\n')
            break;
          g_string_append_c (field, c);
          reader->position++;
        }

      g_ptr_array_add (fields, g_string_free (field, FALSE));

      if (reader->position >= reader->length)
        end_of_record = TRUE;
      else if (reader->data[reader->position] == ',')
        reader->position++;
      else
        end_of_record = take_line_break (reader);

      if (end_of_record)
        break;

      field = g_string_new (NULL);
    }

  return TRUE;
}

/* What a spreadsheet takes for the start of a formula: =, +, - and @, and tab
 * and CR, which some strip before looking. */
static gboolean
starts_formula (const char *value)
{
  return value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL;
}

static void
append_quoted (GString    *line,
               const char *guard,
               const char *value)
{
  g_string_append_c (line, '"');
  g_string_append (line, guard);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

void
np_csv_append_field (GString    *line,
                     const char *value)
{
  const char *guard;
  gsize length;

  if (value == NULL || value[0] == '\0')
    return;

  /* Text comes from the API and from people: a cell that would run as a
   * formula (=HYPERLINK (...), =cmd|...) is shown as the text it is. */
  guard = starts_formula (value) ? "'" : "";
  length = strlen (value);
  if (strpbrk (value, ",\"\r\n") == NULL &&
      !g_ascii_isspace (value[0]) && !g_ascii_isspace (value[length - 1]))
    {
      g_string_append (line, guard);
      g_string_append_len (line, value, length);
      return;
    }

  append_quoted (line, guard, value);
}

static gboolean
is_plain_number (const char *value)
{
  const char *p = value;

  if (*p == '-')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }

  return *p == '\0';
}

void
np_csv_append_number (GString    *line,
                      const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;

  if (is_plain_number (value))
    g_string_append (line, value);
  else
    np_csv_append_field (line, value);
}

const char *
np_csv_unguard (const char *value)
{
  if (value[0] == '\'' && starts_formula (value + 1))
    return value + 1;

  return value;
}
