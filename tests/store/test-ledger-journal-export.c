/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ledger-journal-export.c — the journal as CSV: columns, order, filters,
 * quoting, UTC times, the worker-thread form writing a real file, and another
 * account's entries staying out. The CSV is read back with NpCsvReader. */
#include <json-glib/json-glib.h>
#include <string.h>

#include "ledger-fixtures.h"
#include "np-csv.h"
#include "np-ledger-journal-export.h"
#include "np-test-utils.h"

static gint64
add_entry (NpLedger           *ledger,
           gint64              account,
           NpJournalOperation  operation,
           const char         *object_id,
           const char         *summary,
           NpJournalState      state,
           const char         *error_text)
{
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  json_object_set_int_member (details, "amount", 1250);
  json_object_set_string_member (details, "currency", "SEK");
  id = np_ledger_journal_begin (ledger, account, operation, object_id, summary, details, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  np_ledger_journal_finish (ledger, id, state, error_text, NULL, &error);
  g_assert_no_error (error);

  return id;
}

/* Parses @csv into records of fields. */
static GPtrArray *
parse_csv (const char *csv,
           gsize       length)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  NpCsvReader reader;

  np_csv_reader_init (&reader, csv, length);
  for (;;)
    {
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);

      if (!np_csv_reader_next (&reader, fields, NULL))
        break;
      g_ptr_array_add (records, g_steal_pointer (&fields));
    }

  return records;
}

#define FIELD(records, row, column) \
  ((const char *)g_ptr_array_index ((GPtrArray *)g_ptr_array_index ((records), (row)), (column)))

static void
test_stream (void)
{
  g_autofree char *path = fixture_ledger_path ("journal-export");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(NpJournalQuery) failed = np_journal_query_new ();
  g_autoptr(GError) error = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 other = fixture_add_account (ledger, "Other", NP_ENVIRONMENT_TEST);
  guint64 n_rows = 0;
  gint64 capture, refund;

  add_entry (ledger, account, NP_JOURNAL_OPERATION_CREATE, "c1", "Create 100.00 SEK", NP_JOURNAL_STATE_SUCCEEDED, NULL);
  capture = add_entry (ledger, account, NP_JOURNAL_OPERATION_CAPTURE, "c1", "Capture", NP_JOURNAL_STATE_UNKNOWN, "The connection dropped");
  refund = add_entry (ledger, account, NP_JOURNAL_OPERATION_REFUND, "c1", "Refund 12.50 SEK, \"duplicate\"", NP_JOURNAL_STATE_FAILED, "Amount too large,\nsee limits");
  add_entry (ledger, other, NP_JOURNAL_OPERATION_CREATE, "elsewhere", "Create", NP_JOURNAL_STATE_SUCCEEDED, NULL);

  g_assert_true (np_ledger_export_journal (ledger, account, NULL, stream, &n_rows, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (stream, NULL, NULL);
  g_assert_cmpuint (n_rows, ==, 3);

  records = parse_csv (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                       g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
  g_assert_cmpuint (records->len, ==, 4);
  g_assert_cmpstr (FIELD (records, 0, 0), ==, "id");
  g_assert_cmpstr (FIELD (records, 0, 5), ==, "outcome");
  g_assert_cmpuint (((GPtrArray *)g_ptr_array_index (records, 0))->len, ==, 11);

  /* Newest first; quotes, commas and line breaks survive the round trip. */
  g_assert_cmpint (g_ascii_strtoll (FIELD (records, 1, 0), NULL, 10), ==, refund);
  g_assert_cmpstr (FIELD (records, 1, 3), ==, "refund");
  g_assert_cmpstr (FIELD (records, 1, 4), ==, "c1");
  g_assert_cmpstr (FIELD (records, 1, 5), ==, "failed");
  g_assert_cmpstr (FIELD (records, 1, 6), ==, "Refund 12.50 SEK, \"duplicate\"");
  g_assert_cmpstr (FIELD (records, 1, 7), ==, "Amount too large,\nsee limits");
  g_assert_true (g_str_has_suffix (FIELD (records, 1, 1), "Z"));
  g_assert_nonnull (strstr (FIELD (records, 1, 10), "\"amount\":1250"));
  g_assert_cmpint (g_ascii_strtoll (FIELD (records, 2, 0), NULL, 10), ==, capture);
  g_assert_cmpstr (FIELD (records, 2, 5), ==, "unknown");
  g_assert_cmpstr (FIELD (records, 3, 3), ==, "create");
  g_assert_cmpstr (FIELD (records, 3, 7), ==, "");

  /* A query's filters apply. */
  g_clear_pointer (&records, g_ptr_array_unref);
  g_clear_object (&stream);
  stream = g_memory_output_stream_new_resizable ();
  failed->state_mask = NP_JOURNAL_STATE_BIT (NP_JOURNAL_STATE_FAILED) | NP_JOURNAL_STATE_BIT (NP_JOURNAL_STATE_UNKNOWN);
  g_assert_true (np_ledger_export_journal (ledger, account, failed, stream, &n_rows, NULL, &error));
  g_output_stream_close (stream, NULL, NULL);
  g_assert_cmpuint (n_rows, ==, 2);
  records = parse_csv (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                       g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpstr (FIELD (records, 1, 5), ==, "failed");
  g_assert_cmpstr (FIELD (records, 2, 5), ==, "unknown");
}

static void
test_file_async (void)
{
  g_autofree char *path = fixture_ledger_path ("journal-export-async");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autofree char *out_path = g_build_filename (np_test_get_home (), "journal.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (out_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  guint64 n_rows = 0;

  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *object_id = g_strdup_printf ("c%u", i);

      add_entry (ledger, account, NP_JOURNAL_OPERATION_CREATE, object_id, "Create", NP_JOURNAL_STATE_SUCCEEDED, NULL);
    }

  np_ledger_export_journal_async (ledger, account, NULL, file, NULL, np_test_store_result, &result);
  g_assert_true (np_ledger_export_journal_finish (ledger, np_test_wait_result (&result, 10000), &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, 500);

  g_assert_true (g_file_get_contents (out_path, &contents, &length, &error));
  records = parse_csv (contents, length);
  g_assert_cmpuint (records->len, ==, 501);
  g_assert_cmpstr (FIELD (records, 1, 4), ==, "c499");
  g_assert_cmpstr (FIELD (records, 500, 4), ==, "c0");
}

/* Text that a spreadsheet would run gets a ' in front; the id stays a number. */
static void
test_formulas (void)
{
  g_autofree char *path = fixture_ledger_path ("journal-export-formulas");
  g_autoptr(NpLedger) ledger = fixture_open_ledger (path);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *expected = NULL;
  gint64 account = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  guint64 n_rows = 0;
  const char *csv;
  gsize length;
  gint64 id;

  id = add_entry (ledger, account, NP_JOURNAL_OPERATION_REFUND, "=cmd|' /C calc'!A0", "+SUM(1,2)",
                  NP_JOURNAL_STATE_FAILED, "@mention -2");
  add_entry (ledger, account, NP_JOURNAL_OPERATION_CREATE, "-c2", "\tTabbed", NP_JOURNAL_STATE_FAILED,
             "-2 is below zero");

  g_assert_true (np_ledger_export_journal (ledger, account, NULL, stream, &n_rows, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (stream, NULL, NULL);
  g_assert_cmpuint (n_rows, ==, 2);
  csv = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream));
  length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream));

  expected = g_strdup_printf ("\r\n%" G_GINT64_FORMAT ",", id);
  g_assert_nonnull (g_strstr_len (csv, length, expected));
  g_assert_nonnull (g_strstr_len (csv, length, ",refund,'=cmd|' /C calc'!A0,failed,\"'+SUM(1,2)\",'@mention -2,"));
  g_assert_nonnull (g_strstr_len (csv, length, ",create,'-c2,failed,\"'\tTabbed\",'-2 is below zero,"));

  records = parse_csv (csv, length);
  g_assert_cmpuint (records->len, ==, 3);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_assert_cmpstr (FIELD (records, 2, 0), ==, id_text);
  g_assert_cmpstr (FIELD (records, 2, 4), ==, "'=cmd|' /C calc'!A0");
  g_assert_cmpstr (FIELD (records, 2, 6), ==, "'+SUM(1,2)");
  g_assert_cmpstr (FIELD (records, 2, 7), ==, "'@mention -2");
  g_assert_cmpstr (FIELD (records, 1, 4), ==, "'-c2");
  g_assert_cmpstr (FIELD (records, 1, 6), ==, "'\tTabbed");
  g_assert_cmpstr (FIELD (records, 1, 7), ==, "'-2 is below zero");
  /* The details are JSON, which starts with {. */
  g_assert_true (g_str_has_prefix (FIELD (records, 1, 10), "{"));
}

int
main (int argc, char **argv)
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/ledger/journal-export/stream", test_stream);
  g_test_add_func ("/ledger/journal-export/file-async", test_file_async);
  g_test_add_func ("/ledger/journal-export/formulas", test_formulas);

  return g_test_run ();
}
