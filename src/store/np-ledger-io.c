/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-io.c — NpLedger's import of id lists and export of checkouts to CSV.
 *
 * Import only registers ids (rows without JSON, "not yet retrieved"); the caller
 * retrieves them through the API afterwards. Export streams: it holds the ordered
 * row ids of the query (8 bytes a row), never the rows, and writes as it reads.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "np-csv.h"
#include "np-ledger-export-private.h"
#include "np-money.h"

#define MAX_ID_LENGTH 45

/* Import ----------------------------------------------------------------------- */

void
np_import_result_free (NpImportResult *result)
{
  if (result == NULL)
    return;

  g_ptr_array_unref (result->new_ids);
  g_ptr_array_unref (result->known_ids);
  g_ptr_array_unref (result->invalid);
  g_free (result);
}

static void
np_import_problem_free (NpImportProblem *problem)
{
  g_free (problem->value);
  g_free (problem);
}

static NpImportResult *
np_import_result_new (void)
{
  NpImportResult *result = g_new0 (NpImportResult, 1);

  result->new_ids = g_ptr_array_new_with_free_func (g_free);
  result->known_ids = g_ptr_array_new_with_free_func (g_free);
  result->invalid = g_ptr_array_new_with_free_func ((GDestroyNotify)np_import_problem_free);

  return result;
}

static gboolean
id_is_valid (const char *id)
{
  gsize length = strlen (id);

  if (length == 0 || length > MAX_ID_LENGTH)
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_-.:", *p) == NULL)
      return FALSE;

  return TRUE;
}

/* What the parsers produce: the valid ids once each, in order, and the problems. */
typedef struct {
  NpImportResult *result;
  GPtrArray      *ids;
  GHashTable     *seen;
} Collector;

static void
collect (Collector  *collector,
         const char *raw,
         gsize       length,
         guint       line)
{
  g_autofree char *value = g_strstrip (g_strndup (raw, length));

  if (!id_is_valid (value))
    {
      NpImportProblem *problem = g_new0 (NpImportProblem, 1);
      const char *end = value;

      /* Cut to 64 bytes without splitting a character. */
      g_utf8_validate (value, MIN (strlen (value), 64), &end);
      problem->line = line;
      problem->value = g_strndup (value, end - value);
      g_ptr_array_add (collector->result->invalid, problem);
      return;
    }

  if (g_hash_table_contains (collector->seen, value))
    {
      collector->result->n_duplicates++;
      return;
    }

  g_hash_table_add (collector->seen, g_strdup (value));
  g_ptr_array_add (collector->ids, g_steal_pointer (&value));
}

/* Ids separated by line breaks, commas, semicolons or white space. A pasted
 * value may come with the quotes a spreadsheet put around it. */
static void
parse_list (Collector  *collector,
            const char *data,
            gsize       length)
{
  gsize position = 0;
  guint line = 1;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    position = 3;

  while (position < length)
    {
      gsize start;
      gsize end;

      while (position < length &&
             (g_ascii_isspace (data[position]) || data[position] == ',' || data[position] == ';'))
        {
          if (data[position] == '\n' ||
              (data[position] == '\r' && (position + 1 >= length || data[position + 1] != '\n')))
            line++;
          position++;
        }
      if (position >= length)
        break;

      start = position;
      while (position < length &&
             !g_ascii_isspace (data[position]) && data[position] != ',' && data[position] != ';')
        position++;
      end = position;

      if (end - start >= 2 && data[start] == '"' && data[end - 1] == '"')
        {
          start++;
          end--;
        }

      collect (collector, data + start, end - start, line);
    }
}

static gboolean
is_id_header (const char     *field,
              NpLedgerObject  object)
{
  static const char * const checkout_names[] = { "checkout_id", "checkout id", "checkoutid", "checkout", "id", NULL };
  static const char * const customer_names[] = { "customer_id", "customer id", "customerid", "customer", "id", NULL };
  const char * const *names = object == NP_LEDGER_OBJECT_CHECKOUT ? checkout_names : customer_names;
  g_autofree char *name = g_strstrip (g_ascii_strdown (field, -1));

  return g_strv_contains (names, name);
}

static gboolean
parse_csv (Collector       *collector,
           NpLedgerObject   object,
           const char      *column,
           const char      *data,
           gsize            length,
           GError         **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  NpCsvReader reader;
  guint index = 0;
  guint line;

  np_csv_reader_init (&reader, data, length);
  if (!np_csv_reader_next (&reader, fields, &line))
    return TRUE;

  /* Find the id column in the first record, which is then a header. */
  if (column != NULL)
    {
      for (index = 0; index < fields->len; index++)
        {
          g_autofree char *name = g_strstrip (g_strdup (g_ptr_array_index (fields, index)));

          if (g_ascii_strcasecmp (name, column) == 0)
            break;
        }

      if (index == fields->len)
        {
          g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_IMPORT,
                       _("The file has no column named “%s”."), column);
          return FALSE;
        }
    }
  else
    {
      for (index = 0; index < fields->len; index++)
        if (is_id_header (g_ptr_array_index (fields, index), object))
          break;

      if (index == fields->len)
        {
          g_autofree char *first = g_strstrip (g_strdup (g_ptr_array_index (fields, 0)));

          /* No id-like header: the first column, and the first row is data unless
           * it cannot be an id (a header we do not recognise). */
          index = 0;
          if (first[0] == '\0' || id_is_valid (first))
            collect (collector, first, strlen (first), line);
        }
    }

  while (np_csv_reader_next (&reader, fields, &line))
    {
      const char *value;

      /* A blank line is not a bad row. */
      if (fields->len == 1 && ((const char *)g_ptr_array_index (fields, 0))[0] == '\0')
        continue;

      /* Our own export guards an id that starts like a formula ("-abc"). */
      value = index < fields->len ? np_csv_unguard (g_ptr_array_index (fields, index)) : "";
      collect (collector, value, strlen (value), line);
    }

  return TRUE;
}

/* Registers @ids as placeholder rows, sorting them into new and known. */
static gboolean
register_ids (NpLedger        *self,
              gint64           account_id,
              NpLedgerObject   object,
              GPtrArray       *ids,
              NpImportResult  *result,
              GError         **error)
{
  g_autoptr(GArray) row_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  gint64 now = np_ledger_now ();
  guint64 revision;

  if (!np_ledger_begin (self, error))
    return FALSE;

  if (!np_ledger_next_revision (self, &revision, error))
    goto failed;

  if (object == NP_LEDGER_OBJECT_CHECKOUT)
    stmt = np_ledger_statement (self,
                                "INSERT INTO checkouts (account_id, checkout_id, registered, revision, search_text)"
                                " VALUES (?1, ?2, ?3, ?4, np_search_text (?2))"
                                " ON CONFLICT (account_id, checkout_id) DO NOTHING RETURNING row_id", error);
  else
    stmt = np_ledger_statement (self,
                                "INSERT INTO customers (account_id, customer_id, registered, revision, search_text)"
                                " VALUES (?1, ?2, ?3, ?4, np_search_text (?2))"
                                " ON CONFLICT (account_id, customer_id) DO NOTHING RETURNING row_id", error);
  if (stmt == NULL)
    goto failed;

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      gint64 row_id;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, account_id);
      np_ledger_bind_text (stmt, 2, id);
      sqlite3_bind_int64 (stmt, 3, now);
      sqlite3_bind_int64 (stmt, 4, revision);

      switch (np_ledger_step (self, stmt, error))
        {
        case SQLITE_ROW:
          row_id = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (row_ids, row_id);
          g_ptr_array_add (result->new_ids, g_strdup (id));
          break;
        case SQLITE_DONE:
          g_ptr_array_add (result->known_ids, g_strdup (id));
          break;
        default:
          goto failed;
        }
    }
  sqlite3_reset (stmt);

  if (row_ids->len == 0)
    {
      np_ledger_rollback (self);
      return TRUE;
    }

  return np_ledger_finish_write (self, account_id,
                                 object == NP_LEDGER_OBJECT_CHECKOUT ? NP_LEDGER_TABLE_CHECKOUTS
                                                                     : NP_LEDGER_TABLE_CUSTOMERS,
                                 row_ids, error);

failed:
  np_ledger_rollback (self);
  return FALSE;
}

NpImportResult *
np_ledger_import_ids (NpLedger        *self,
                      gint64           account_id,
                      NpLedgerObject   object,
                      NpImportFormat   format,
                      const char      *column,
                      const char      *data,
                      gsize            length,
                      GError         **error)
{
  g_autoptr(NpImportResult) result = np_import_result_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Collector collector = { result, ids, seen };

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (format == NP_IMPORT_FORMAT_CSV)
    {
      if (!parse_csv (&collector, object, column, data, length, error))
        return NULL;
    }
  else
    {
      parse_list (&collector, data, length);
    }

  if (ids->len == 0 && result->invalid->len == 0)
    {
      g_set_error_literal (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_IMPORT,
                           _("There are no ids to import."));
      return NULL;
    }

  if (ids->len > 0 && !register_ids (self, account_id, object, ids, result, error))
    return NULL;

  return g_steal_pointer (&result);
}

/* Export ----------------------------------------------------------------------- */

#define EXPORT_SQL \
  "SELECT checkout_id, identifier, status_text, amount, currency, refunded_amount, message," \
  "  customer_id, created, updated, last_refreshed, refresh_error, metadata, json IS NOT NULL" \
  " FROM checkouts WHERE row_id = ?1"

static const char * const export_header[] = {
  "checkout_id", "identifier", "status", "amount_minor", "amount", "currency",
  "refunded_minor", "refunded", "message", "customer_id", "created", "updated",
  "last_refreshed", "refresh_error", "metadata",
};

static void
append_time (GString      *line,
             sqlite3_stmt *stmt,
             int           column)
{
  g_autoptr(GDateTime) time = np_store_column_time (stmt, column);
  g_autofree char *text = time ? g_date_time_format_iso8601 (time) : NULL;

  np_csv_append_field (line, text);
}

static void
append_amount (GString      *line,
               sqlite3_stmt *stmt,
               int           column,
               const char   *currency,
               gboolean      retrieved)
{
  gint64 minor = sqlite3_column_int64 (stmt, column);
  g_autofree char *minor_text = NULL;
  g_autofree char *major_text = NULL;

  if (retrieved)
    {
      minor_text = g_strdup_printf ("%" G_GINT64_FORMAT, minor);
      /* Major units only where the exponent is known: never a guess. */
      if (np_money_currency_is_known (currency))
        major_text = np_money_format_plain (minor, currency);
    }

  np_csv_append_number (line, minor_text);
  g_string_append_c (line, ',');
  np_csv_append_number (line, major_text);
}

static void
append_record (GString      *out,
               sqlite3_stmt *stmt)
{
  const char *currency = (const char *)sqlite3_column_text (stmt, 4);
  gboolean retrieved = sqlite3_column_int (stmt, 13) != 0;

  np_csv_append_field (out, (const char *)sqlite3_column_text (stmt, 0));
  g_string_append_c (out, ',');
  np_csv_append_field (out, (const char *)sqlite3_column_text (stmt, 1));
  g_string_append_c (out, ',');
  np_csv_append_field (out, (const char *)sqlite3_column_text (stmt, 2));
  g_string_append_c (out, ',');
  append_amount (out, stmt, 3, currency, retrieved);
  g_string_append_c (out, ',');
  np_csv_append_field (out, currency);
  g_string_append_c (out, ',');
  append_amount (out, stmt, 5, currency, retrieved);
  for (int column = 6; column <= 7; column++)
    {
      g_string_append_c (out, ',');
      np_csv_append_field (out, (const char *)sqlite3_column_text (stmt, column));
    }
  for (int column = 8; column <= 10; column++)
    {
      g_string_append_c (out, ',');
      append_time (out, stmt, column);
    }
  for (int column = 11; column <= 12; column++)
    {
      g_string_append_c (out, ',');
      np_csv_append_field (out, (const char *)sqlite3_column_text (stmt, column));
    }
  g_string_append (out, "\r\n");
}

static const NpLedgerExport checkout_export = {
  EXPORT_SQL, export_header, G_N_ELEMENTS (export_header), append_record,
};

static GArray *
export_row_ids (NpLedger               *self,
                gint64                  account_id,
                const NpCheckoutQuery  *query,
                GError                **error)
{
  g_autoptr(NpCheckoutQuery) everything = np_checkout_query_new ();
  g_autoptr(GArray) row_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!np_ledger_query_checkout_row_ids (self, account_id, query ? query : everything,
                                         row_ids, error))
    return NULL;

  return g_steal_pointer (&row_ids);
}

gboolean
np_ledger_export_checkouts (NpLedger               *self,
                            gint64                  account_id,
                            const NpCheckoutQuery  *query,
                            GOutputStream          *stream,
                            guint64                *out_rows,
                            GCancellable           *cancellable,
                            GError                **error)
{
  g_autoptr(GArray) row_ids = NULL;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  row_ids = export_row_ids (self, account_id, query, error);
  if (row_ids == NULL)
    return FALSE;

  return np_ledger_export_to_stream (self, &checkout_export, row_ids, stream, out_rows, cancellable, error);
}

gboolean
np_ledger_export_checkouts_to_path (NpLedger               *self,
                                    gint64                  account_id,
                                    const NpCheckoutQuery  *query,
                                    const char             *path,
                                    guint64                *out_rows,
                                    GCancellable           *cancellable,
                                    GError                **error)
{
  g_autoptr(GArray) row_ids = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  row_ids = export_row_ids (self, account_id, query, error);
  if (row_ids == NULL)
    return FALSE;

  file = g_file_new_for_path (path);
  return np_ledger_export_to_file (self, &checkout_export, row_ids, file, out_rows, cancellable, error);
}

void
np_ledger_export_checkouts_async (NpLedger               *self,
                                  gint64                  account_id,
                                  const NpCheckoutQuery  *query,
                                  GFile                  *file,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GArray) row_ids = NULL;
  GError *error = NULL;

  g_return_if_fail (NP_IS_LEDGER (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_ledger_export_checkouts_async);

  /* The order comes from the search index, which lives on this thread. */
  row_ids = export_row_ids (self, account_id, query, &error);
  if (row_ids == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  np_ledger_export_in_thread (self, &checkout_export, g_steal_pointer (&row_ids), file, task);
}

gboolean
np_ledger_export_checkouts_finish (NpLedger      *self,
                                   GAsyncResult  *result,
                                   guint64       *out_rows,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == np_ledger_export_checkouts_async, FALSE);

  return np_ledger_export_task_finish (G_TASK (result), out_rows, error);
}
