/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-day-report-print.c — the end-of-day report through GtkPrintOperation to a
 * PDF (ACTION_EXPORT with an export-filename), read back with pdftotext: the
 * totals in each currency's format against the ledger's own sums, the UTC range
 * of Stockholm's 25-hour DST day, who did what, page numbers and the chain's
 * head hash in the footer. NP_KEEP_REPORT_PDF=path keeps the PDF (for the
 * README's screenshot). */
#include <gtk/gtk.h>
#include <string.h>

#include "day-report-fixture.h"
#include "np-day-report-printer.h"
#include "np-money.h"
#include "np-test-utils.h"

static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* @text with no-break spaces (which np_money_format () may put between the
 * digits and the code) as plain ones: pdftotext gives either. */
static char *
plain_spaces (const char *text)
{
  g_autoptr(GString) out = g_string_new (text);

  g_string_replace (out, "\u00a0", " ", 0);
  g_string_replace (out, "\u202f", " ", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_has (const char *text,
            const char *needle)
{
  g_autofree char *haystack = plain_spaces (text);
  g_autofree char *plain = plain_spaces (needle);

  if (strstr (haystack, plain) == NULL)
    g_error ("the PDF's text lacks “%s”:\n%s", needle, text);
}

static void
test_print_pdf (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Stockholm");
  g_autofree char *pdf = g_build_filename (np_test_get_home (), "day.pdf", NULL);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(NpDayReport) report = NULL;
  g_autoptr(NpLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *range = NULL;
  g_autofree char *head = NULL;
  GtkPrintOperationResult result;
  GDate day;
  gint64 shop;

  ledger = day_report_fixture (&shop);
  g_date_set_dmy (&day, 25, G_DATE_OCTOBER, 2026);
  report = np_day_report_build (ledger, shop, &day, tz, &error);
  g_assert_no_error (error);

  operation = np_day_report_print_operation_new (report, tz);
  gtk_print_operation_set_export_filename (operation, pdf);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, GTK_PRINT_OPERATION_RESULT_APPLY);

  text = pdf_text (pdf);
  g_test_message ("%s", text);
  range = np_day_report_format_range (report);
  assert_has (text, "2026-10-24T22:00:00Z – 2026-10-25T23:00:00Z");
  assert_has (text, "End of Day 2026-10-25");

  /* Every total, as the ledger's sums in the currency's own format. */
  for (guint i = 0; i < report->totals->len; i++)
    {
      NpDayTotals *t = g_ptr_array_index (report->totals, i);
      gint64 sums[] = { t->created, t->paid, t->refunded, t->net };

      for (guint s = 0; s < G_N_ELEMENTS (sums); s++)
        {
          g_autofree char *amount = np_money_format (sums[s], t->currency);
          assert_has (text, amount);
        }
    }
  {
    g_autofree char *sek_net = np_money_format (75000, "SEK");
    g_autofree char *kwd_refund = np_money_format (2345, "KWD");
    g_autofree char *jpy_net = np_money_format (2000, "JPY");

    assert_has (text, sek_net);
    assert_has (text, kwd_refund);
    assert_has (text, jpy_net);
  }

  assert_has (text, "desk-b (anna)");
  assert_has (text, "=Damaged, KWD");
  assert_has (text, "Unknown Outcomes Still Open");
  assert_has (text, "Page 1 of 1");
  g_assert_cmpuint (strlen (report->head_hash), ==, 64);
  head = g_strdup_printf ("Audit chain head: %s", report->head_hash);
  assert_has (text, head);

  if (g_getenv ("NP_KEEP_REPORT_PDF") != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (g_getenv ("NP_KEEP_REPORT_PDF"), contents, length, NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "Europe/Stockholm", TRUE);
  np_test_init (&argc, &argv);
  gtk_init ();

  g_test_add_func ("/day-report/print-pdf", test_print_pdf);

  return g_test_run ();
}
