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

void
np_csv_append_field (GString    *line,
                     const char *value)
{
  gsize length;

  if (value == NULL || value[0] == '\0')
    return;

  length = strlen (value);
  if (strpbrk (value, ",\"\r\n") == NULL &&
      !g_ascii_isspace (value[0]) && !g_ascii_isspace (value[length - 1]))
    {
      g_string_append_len (line, value, length);
      return;
    }

  g_string_append_c (line, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}
