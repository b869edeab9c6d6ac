/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-csv.h — reading and writing RFC 4180 CSV, for import and export.
 *
 * The reader is lenient the way spreadsheets are: a UTF-8 BOM is skipped, records
 * end with CRLF, LF or CR, quoted fields may hold separators, quotes ("") and line
 * breaks, and an unterminated quote runs to the end of the input.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *data;
  gsize       length;
  gsize       position;
  guint       line;      /* of the next record, 1-based */
} NpCsvReader;

void     np_csv_reader_init   (NpCsvReader *reader,
                               const char  *data,
                               gsize        length);
/* Reads the next record into @fields (emptied first, of char*); FALSE at the end.
 * @out_line gets the line the record starts on. */
gboolean np_csv_reader_next   (NpCsvReader *reader,
                               GPtrArray   *fields,
                               guint       *out_line);

/* Appends the text @value to @line as one field, quoted when it holds a comma,
 * a quote, a line break or leading or trailing space; NULL is an empty field.
 * Text a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or
 * a CR) gets a leading ' so that it is shown, not run. */
void     np_csv_append_field  (GString     *line,
                               const char  *value);
/* Appends the number @value ("-12", "123.45") as it is, so that it stays a
 * number; anything else in a numeric column is text (np_csv_append_field ()). */
void     np_csv_append_number (GString     *line,
                               const char  *value);
/* @value without the ' np_csv_append_field () put before a formula-like start,
 * for reading our own exports back; any other value as it is. */
const char *np_csv_unguard    (const char  *value);

G_END_DECLS
