/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ledger-io.c — importing id lists and exporting checkouts to CSV. */
#include <string.h>

#include "ledger-fixtures.h"
#include "np-csv.h"
#include "np-test-utils.h"

#define D0 (G_GINT64_CONSTANT (20416) * 86400)

static char *
ids_of (GPtrArray *ids)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%s%s", i ? "," : "", (const char *)g_ptr_array_index (ids, i));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
problems_of (GPtrArray *invalid)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < invalid->len; i++)
    {
      NpImportProblem *problem = g_ptr_array_index (invalid, i);
      g_string_append_printf (out, "%s%u:%s", i ? "," : "", problem->line, problem->value);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static NpImportResult *
import (NpLedger       *ledger,
        gint64          account,
        NpLedgerObject  object,
        NpImportFormat  format,
        const char     *column,
        const char     *text)
{
  g_autoptr(GError) error = NULL;
  NpImportResult *result;

  result = np_ledger_import_ids (ledger, account, object, format, column, text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  return result;
}

static void
assert_result (NpImportResult *result,
               const char     *new_ids,
               const char     *known_ids,
               const char     *invalid,
               guint           n_duplicates)
{
  g_autofree char *got_new = ids_of (result->new_ids);
  g_autofree char *got_known = ids_of (result->known_ids);
  g_autofree char *got_invalid = problems_of (result->invalid);

  g_assert_cmpstr (got_new, ==, new_ids);
  g_assert_cmpstr (got_known, ==, known_ids);
  g_assert_cmpstr (got_invalid, ==, invalid);
  g_assert_cmpuint (result->n_duplicates, ==, n_duplicates);
}

static void
test_import_list (void)
{
  g_autofree char *path = fixture_ledger_path ("import-list");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpImportResult) first = NULL;
  g_autoptr(NpImportResult) second = NULL;
  g_autoptr(NpImportResult) customers = NULL;
  g_autoptr(NpCheckoutRow) row = NULL;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(NpCustomerRow) customer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  first = import (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_LIST, NULL,
                  "\xef\xbb\xbf" "c0ffee01\r\n"
                  " c0ffee02, c0ffee03\tc0ffee04\r\n"
                  "\r\n"
                  "c0ffee01\n"
                  "bad/id\n"
                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
                  "\"quoted05\";order.06:b\n");
  assert_result (first, "c0ffee01,c0ffee02,c0ffee03,c0ffee04,quoted05,order.06:b", "",
                 "5:bad/id,6:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 1);

  second = import (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_LIST, NULL, "c0ffee02\nnew07");
  assert_result (second, "new07", "c0ffee02", "", 0);

  /* A registered id is a row that was never retrieved. */
  row = np_ledger_get_checkout_row (ledger, account, "c0ffee03", &error);
  g_assert_no_error (error);
  g_assert_false (np_checkout_row_get_retrieved (row));
  g_assert_cmpint (np_checkout_row_get_status (row), ==, NP_CHECKOUT_STATUS_UNKNOWN);
  g_assert_null (np_checkout_row_get_status_text (row));
  checkout = np_ledger_get_checkout (ledger, account, "c0ffee03", &error);
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND);
  g_assert_null (checkout);
  g_clear_error (&error);

  customers = import (ledger, account, NP_LEDGER_OBJECT_CUSTOMER, NP_IMPORT_FORMAT_LIST, NULL, "cus1 cus2");
  assert_result (customers, "cus1,cus2", "", "", 0);
  customer = np_ledger_get_customer_row (ledger, account, "cus2", &error);
  g_assert_no_error (error);
  g_assert_false (np_customer_row_get_retrieved (customer));
}

static void
test_import_csv (void)
{
  g_autofree char *path = fixture_ledger_path ("import-csv");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 other = fixture_add_account (ledger, "Other", NP_ENVIRONMENT_TEST);
  const char *csv =
    "\xef\xbb\xbf\"Order ref\",Checkout ID,Amount\r\n"
    "\"order, one\",c0ffee01,10\r\n"
    "\"multi\r\nline note\",c0ffee02,20\r\n"
    "x,,30\r\n"
    "y,bad id,40\r\n"
    "\r\n"
    "\"say \"\"hi\"\"\",\"c0ffee03\",50";

  result = import (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_CSV, NULL, csv);
  assert_result (result, "c0ffee01,c0ffee02,c0ffee03", "", "5:,6:bad id", 0);
  g_clear_pointer (&result, np_import_result_free);

  /* The same column by name, in another account. */
  result = import (ledger, other, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_CSV, "checkout id", csv);
  assert_result (result, "c0ffee01,c0ffee02,c0ffee03", "", "5:,6:bad id", 0);
  g_clear_pointer (&result, np_import_result_free);

  g_assert_null (np_ledger_import_ids (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_CSV,
                                       "nope", csv, strlen (csv), &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_IMPORT);
  g_clear_error (&error);

  /* No header at all: the first column, first row included. */
  result = import (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_CSV, NULL,
                   "c0ffee01,10\nc0ffee09,20\n");
  assert_result (result, "c0ffee09", "c0ffee01", "", 0);
  g_clear_pointer (&result, np_import_result_free);

  /* A header we do not know, recognised because it cannot be an id. */
  result = import (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_CSV, NULL,
                   "Checkout reference\nc0ffee10\nc0ffee10\n");
  assert_result (result, "c0ffee10", "", "", 1);
  g_clear_pointer (&result, np_import_result_free);

  /* A customer column among others. */
  result = import (ledger, account, NP_LEDGER_OBJECT_CUSTOMER, NP_IMPORT_FORMAT_CSV, NULL,
                   "email,customer_id\nada@example.com,cus1\n");
  assert_result (result, "cus1", "", "", 0);
}

static void
test_import_nothing (void)
{
  g_autofree char *path = fixture_ledger_path ("import-nothing");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  g_assert_null (np_ledger_import_ids (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_LIST,
                                       NULL, " \n , \r\n", 7, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_IMPORT);
  g_clear_error (&error);
  g_assert_null (np_ledger_import_ids (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_CSV,
                                       NULL, "", 0, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_IMPORT);

  count = fixture_sql_column (path, "SELECT count(*) FROM checkouts");
  g_assert_cmpstr (count, ==, "0");
}

static gint64
add_export_fixtures (NpLedger *ledger)
{
  g_autoptr(NpImportResult) placeholder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  fixture_upsert (ledger, account, &(FixtureCheckout) {
    .id = "e1", .identifier = "order,1", .status = "paid", .amount = 12345,
    .message = "He said \"hi\"\nthen left", .metadata_key = "note", .metadata_value = "a,b",
    .customer_id = "cus1", .created = D0 + 5 });
  fixture_upsert (ledger, account, &(FixtureCheckout) {
    .id = "e2", .identifier = "order-2", .status = "partialRefund", .amount = 500, .refunded = 100,
    .currency = "JPY", .message = "  padded  ", .created = D0 + 86400 });
  fixture_upsert (ledger, account, &(FixtureCheckout) {
    .id = "e3", .status = "created", .amount = 1234, .currency = "KWD", .message = "Käse für 3",
    .created = D0 + 3600 });
  np_ledger_record_checkout_failure (ledger, account, "e1", "Timeout, again", &error);
  g_assert_no_error (error);
  placeholder = np_ledger_import_ids (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_LIST,
                                      NULL, "p1", 2, &error);
  g_assert_no_error (error);

  return account;
}

/* Parses @csv back: one GPtrArray of fields per record. */
static GPtrArray *
parse_csv (const char *csv,
           gsize       length)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  NpCsvReader reader;

  np_csv_reader_init (&reader, csv, length);
  for (;;)
    {
      GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);

      if (!np_csv_reader_next (&reader, fields, NULL))
        {
          g_ptr_array_unref (fields);
          break;
        }
      g_ptr_array_add (records, fields);
    }

  return records;
}

static const char *
field (GPtrArray *records,
       guint      record,
       guint      column)
{
  GPtrArray *fields = g_ptr_array_index (records, record);

  g_assert_cmpuint (fields->len, ==, 15);
  return g_ptr_array_index (fields, column);
}

static void
test_export_roundtrip (void)
{
  g_autofree char *path = fixture_ledger_path ("export");
  g_autofree char *csv_path = g_build_filename (g_get_user_data_dir (), "export.csv", NULL);
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
  g_autoptr(NpImportResult) again = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  gsize length = 0;
  guint64 n_rows = 0;
  gint64 account = add_export_fixtures (ledger);

  query->sort = NP_CHECKOUT_SORT_AMOUNT;
  query->descending = FALSE;
  np_ledger_export_checkouts_to_path (ledger, account, query, csv_path, &n_rows, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 4);

  g_file_get_contents (csv_path, &csv, &length, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (csv, "checkout_id,identifier,status,amount_minor,amount,currency,"
                                        "refunded_minor,refunded,message,customer_id,created,updated,"
                                        "last_refreshed,refresh_error,metadata\r\n"));
  g_assert_true (g_str_has_suffix (csv, "\r\n"));

  records = parse_csv (csv, length);
  g_assert_cmpuint (records->len, ==, 5);

  /* In the query's order: the never-retrieved row (amount 0) first, then 500, 1234, 12345. */
  g_assert_cmpstr (field (records, 1, 0), ==, "p1");
  g_assert_cmpstr (field (records, 1, 3), ==, "");
  g_assert_cmpstr (field (records, 1, 2), ==, "");

  g_assert_cmpstr (field (records, 2, 0), ==, "e2");
  g_assert_cmpstr (field (records, 2, 2), ==, "partialRefund");
  g_assert_cmpstr (field (records, 2, 3), ==, "500");
  g_assert_cmpstr (field (records, 2, 4), ==, "500");
  g_assert_cmpstr (field (records, 2, 5), ==, "JPY");
  g_assert_cmpstr (field (records, 2, 6), ==, "100");
  g_assert_cmpstr (field (records, 2, 7), ==, "100");
  g_assert_cmpstr (field (records, 2, 8), ==, "  padded  ");
  g_assert_cmpstr (field (records, 2, 10), ==, "2025-11-25T00:00:00Z");

  g_assert_cmpstr (field (records, 3, 0), ==, "e3");
  g_assert_cmpstr (field (records, 3, 4), ==, "1.234");
  g_assert_cmpstr (field (records, 3, 8), ==, "Käse für 3");

  g_assert_cmpstr (field (records, 4, 0), ==, "e1");
  g_assert_cmpstr (field (records, 4, 1), ==, "order,1");
  g_assert_cmpstr (field (records, 4, 3), ==, "12345");
  g_assert_cmpstr (field (records, 4, 4), ==, "123.45");
  g_assert_cmpstr (field (records, 4, 8), ==, "He said \"hi\"\nthen left");
  g_assert_cmpstr (field (records, 4, 9), ==, "cus1");
  g_assert_cmpstr (field (records, 4, 10), ==, "2025-11-24T00:00:05Z");
  g_assert_cmpstr (field (records, 4, 13), ==, "Timeout, again");
  g_assert_cmpstr (field (records, 4, 14), ==, "{\"note\":\"a,b\"}");
  g_assert_true (g_str_has_suffix (field (records, 4, 12), "Z"));

  /* What the console exports, it can import again. */
  again = np_ledger_import_ids (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_CSV,
                                NULL, csv, length, &error);
  g_assert_no_error (error);
  assert_result (again, "", "p1,e2,e3,e1", "", 0);
}

static void
test_export_async (void)
{
  g_autofree char *path = fixture_ledger_path ("export-async");
  g_autofree char *csv_path = g_build_filename (g_get_user_data_dir (), "async.csv", NULL);
  g_autofree char *cancelled_path = g_build_filename (g_get_user_data_dir (), "cancelled.csv", NULL);
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GFile) file = g_file_new_for_path (csv_path);
  g_autoptr(GFile) cancelled_file = g_file_new_for_path (cancelled_path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  gsize length = 0;
  guint64 n_rows = 0;
  gint64 account = add_export_fixtures (ledger);

  np_ledger_export_checkouts (ledger, account, NULL, memory, &n_rows, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (memory, NULL, NULL);

  np_ledger_export_checkouts_async (ledger, account, NULL, file, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, 10000);
  np_ledger_export_checkouts_finish (ledger, result, &n_rows, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 4);

  /* The worker's own connection reads the same rows as the main one. */
  g_file_get_contents (csv_path, &written, &length, &error);
  g_assert_cmpuint (length, ==, g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
  g_assert_true (memcmp (written, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)), length) == 0);

  /* A cancelled export leaves no file behind. */
  g_cancellable_cancel (cancellable);
  np_ledger_export_checkouts_async (ledger, account, NULL, cancelled_file, cancellable,
                                    np_test_store_result, &cancelled_result);
  np_test_wait_result (&cancelled_result, 10000);
  g_assert_false (np_ledger_export_checkouts_finish (ledger, cancelled_result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_test (cancelled_path, G_FILE_TEST_EXISTS));

  /* A folder that does not exist is an IO error, with nothing half-written. */
  g_assert_false (np_ledger_export_checkouts_to_path (ledger, account, NULL, "/nonexistent-np-dir/x.csv",
                                                      NULL, NULL, &error));
  g_assert_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_IO);
}

/* Sets a stored amount the way no parser would: the export must write whatever
 * the file holds, and a negative number is still a number. */
static void
set_amounts (const char *path,
             const char *checkout_id,
             gint64      amount,
             gint64      refunded)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE checkouts SET amount = %" G_GINT64_FORMAT ","
                                          " refunded_amount = %" G_GINT64_FORMAT
                                          " WHERE checkout_id = '%s'", amount, refunded, checkout_id);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

static void
test_export_formulas (void)
{
  g_autofree char *path = fixture_ledger_path ("export-formulas");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
  g_autoptr(NpImportResult) placeholder = NULL;
  g_autoptr(NpImportResult) again = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  const char *csv;
  gsize length;
  guint64 n_rows = 0;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);

  /* Text from the API that a spreadsheet would run. */
  fixture_upsert (ledger, account, &(FixtureCheckout) {
    .id = "f1", .identifier = "=HYPERLINK(\"http://evil.example\",\"x\")", .status = "paid",
    .amount = 700, .message = "+46 70 123", .customer_id = "@cus", .created = D0 + 1 });
  fixture_upsert (ledger, account, &(FixtureCheckout) {
    .id = "f2", .identifier = "\tcmd", .status = "paid", .amount = 800, .message = "\r=1+1",
    .created = D0 + 2 });
  np_ledger_record_checkout_failure (ledger, account, "f1", "-1 is not an amount", &error);
  g_assert_no_error (error);
  /* An id that starts like a formula, as a placeholder. */
  placeholder = np_ledger_import_ids (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_LIST,
                                      NULL, "-p1", 3, &error);
  g_assert_no_error (error);
  set_amounts (path, "f2", -500, -20);

  query->sort = NP_CHECKOUT_SORT_AMOUNT;
  query->descending = FALSE;
  np_ledger_export_checkouts (ledger, account, query, memory, &n_rows, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (memory, NULL, NULL);
  g_assert_cmpuint (n_rows, ==, 3);
  csv = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory));
  length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory));

  /* The written cells, as a spreadsheet reads them. */
  g_assert_nonnull (g_strstr_len (csv, length, "\r\nf2,\"'\tcmd\",paid,-500,-5.00,SEK,-20,-0.20,\"'\r=1+1\","));
  g_assert_nonnull (g_strstr_len (csv, length, "\r\nf1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",paid,700,7.00,"
                                               "SEK,0,0.00,'+46 70 123,'@cus,"));
  g_assert_nonnull (g_strstr_len (csv, length, ",'-1 is not an amount,"));
  g_assert_nonnull (g_strstr_len (csv, length, "\r\n'-p1,"));

  records = parse_csv (csv, length);
  g_assert_cmpuint (records->len, ==, 4);
  /* Amount order: -500, 0 (the placeholder), 700. */
  g_assert_cmpstr (field (records, 1, 0), ==, "f2");
  g_assert_cmpstr (field (records, 1, 1), ==, "'\tcmd");
  g_assert_cmpstr (field (records, 1, 3), ==, "-500");
  g_assert_cmpstr (field (records, 1, 4), ==, "-5.00");
  g_assert_cmpstr (field (records, 1, 6), ==, "-20");
  g_assert_cmpstr (field (records, 1, 7), ==, "-0.20");
  g_assert_cmpstr (field (records, 1, 8), ==, "'\r=1+1");
  g_assert_cmpstr (field (records, 2, 0), ==, "'-p1");
  g_assert_cmpstr (field (records, 3, 1), ==, "'=HYPERLINK(\"http://evil.example\",\"x\")");
  g_assert_cmpstr (field (records, 3, 3), ==, "700");
  g_assert_cmpstr (field (records, 3, 8), ==, "'+46 70 123");
  g_assert_cmpstr (field (records, 3, 9), ==, "'@cus");
  g_assert_cmpstr (field (records, 3, 13), ==, "'-1 is not an amount");

  /* The guard is ours: importing the export gives back the ids as they are. */
  again = np_ledger_import_ids (ledger, account, NP_LEDGER_OBJECT_CHECKOUT, NP_IMPORT_FORMAT_CSV,
                                NULL, csv, length, &error);
  g_assert_no_error (error);
  assert_result (again, "", "f2,-p1,f1", "", 0);
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/store/io/import-list", test_import_list);
  g_test_add_func ("/store/io/import-csv", test_import_csv);
  g_test_add_func ("/store/io/import-nothing", test_import_nothing);
  g_test_add_func ("/store/io/export-roundtrip", test_export_roundtrip);
  g_test_add_func ("/store/io/export-async", test_export_async);
  g_test_add_func ("/store/io/export-formulas", test_export_formulas);

  return g_test_run ();
}
