/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-day-report-printer.c — drawing the end-of-day report.
 *
 * The report becomes a list of lines first (each a few cells at fixed columns,
 * text left-aligned or an amount right-aligned); begin-print counts the pages
 * from the page's height, draw-page draws its share and the footer. */
#include "config.h"

#include <glib/gi18n.h>

#include "np-day-report-printer.h"
#include "np-money.h"

#define FONT "Sans 8"
#define HEADING_FONT "Sans Bold 13"
#define FOOTER_FONT "Monospace 6.5"
#define LINE_HEIGHT 13.0
#define FOOTER_HEIGHT 30.0

typedef struct {
  double      x;       /* fraction of the page's width: the left edge, or the right edge when right */
  gboolean    right;
  char       *text;
} Cell;

typedef struct {
  gboolean  heading;
  gboolean  bold;
  GArray   *cells;     /* of Cell */
} Line;

typedef struct {
  GPtrArray *lines;    /* of Line */
  char      *head_hash;
  char      *team_head;   /* "#123 abcd…" in team mode, else NULL */
  guint      lines_per_page;
} Printout;

static void
cell_clear (Cell *cell)
{
  g_free (cell->text);
}

static void
line_free (Line *line)
{
  g_array_unref (line->cells);
  g_free (line);
}

static void
printout_free (Printout *printout)
{
  g_ptr_array_unref (printout->lines);
  g_free (printout->head_hash);
  g_free (printout->team_head);
  g_free (printout);
}

static Line *
add_line (Printout *printout)
{
  Line *line = g_new0 (Line, 1);

  line->cells = g_array_new (FALSE, TRUE, sizeof (Cell));
  g_array_set_clear_func (line->cells, (GDestroyNotify)cell_clear);
  g_ptr_array_add (printout->lines, line);
  return line;
}

static void
add_cell (Line       *line,
          double      x,
          gboolean    right,
          const char *text)
{
  Cell cell = { x, right, g_strdup (text ? text : "") };

  g_array_append_val (line->cells, cell);
}

static void
add_text_line (Printout   *printout,
               gboolean    heading,
               const char *text)
{
  Line *line = add_line (printout);

  line->heading = heading;
  add_cell (line, 0, FALSE, text);
}

static char *
format_amount (gint64      amount,
               const char *currency)
{
  if (amount < 0 || currency == NULL)
    return g_strdup ("");
  return np_money_format (amount, currency);
}

static char *
format_count (guint n)
{
  return g_strdup_printf ("%u", n);
}

/* A time of the day in the report's zone, with the zone's abbreviation. */
static char *
format_local_time (gint64     unix_time,
                   GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%H:%M:%S %Z");
}

static void
add_operation_lines (Printout  *printout,
                     GPtrArray *operations,
                     GTimeZone *tz)
{
  Line *line = add_line (printout);

  line->bold = TRUE;
  add_cell (line, 0.00, FALSE, _("Time"));
  add_cell (line, 0.12, FALSE, _("Who"));
  add_cell (line, 0.30, FALSE, _("Operation"));
  add_cell (line, 0.62, TRUE, _("Amount"));
  add_cell (line, 0.64, FALSE, _("Reason"));
  add_cell (line, 0.87, FALSE, _("Outcome"));

  for (guint i = 0; i < operations->len; i++)
    {
      NpDayOperation *op = g_ptr_array_index (operations, i);
      g_autofree char *time = format_local_time (op->started, tz);
      g_autofree char *amount = format_amount (op->amount, op->currency);
      g_autofree char *what = g_strdup_printf ("%s %s", op->operation, op->object_id ? op->object_id : "");

      line = add_line (printout);
      add_cell (line, 0.00, FALSE, time);
      /* Translators: who did an operation when it was this desk */
      add_cell (line, 0.12, FALSE, op->who != NULL ? op->who : _("This desk"));
      add_cell (line, 0.30, FALSE, what);
      add_cell (line, 0.62, TRUE, amount);
      add_cell (line, 0.64, FALSE, op->reason);
      add_cell (line, 0.87, FALSE, op->outcome);
    }
  if (operations->len == 0)
    add_text_line (printout, FALSE, _("None."));
}

/* The decision as the report shows it. */
static const char *
describe_decision (const char *decision)
{
  if (g_strcmp0 (decision, "approved") == 0)
    return C_("refund request", "Approved");
  if (g_strcmp0 (decision, "rejected") == 0)
    return C_("refund request", "Rejected");
  if (g_strcmp0 (decision, "withdrawn") == 0)
    return C_("refund request", "Withdrawn");
  return C_("refund request", "Expired");
}

static void
add_approval_lines (Printout  *printout,
                    GPtrArray *approvals,
                    GTimeZone *tz)
{
  Line *line = add_line (printout);

  line->bold = TRUE;
  add_cell (line, 0.00, FALSE, _("Time"));
  add_cell (line, 0.12, FALSE, _("Decision"));
  add_cell (line, 0.23, FALSE, _("Refund Of"));
  add_cell (line, 0.50, TRUE, _("Amount"));
  add_cell (line, 0.52, FALSE, _("Requester"));
  add_cell (line, 0.65, FALSE, _("Decided By"));
  add_cell (line, 0.78, FALSE, _("Comment"));

  for (guint i = 0; i < approvals->len; i++)
    {
      NpDayApproval *a = g_ptr_array_index (approvals, i);
      g_autofree char *time = format_local_time (a->decided, tz);
      g_autofree char *amount = format_amount (a->amount, a->currency);

      line = add_line (printout);
      add_cell (line, 0.00, FALSE, time);
      add_cell (line, 0.12, FALSE, describe_decision (a->decision));
      add_cell (line, 0.23, FALSE, a->object_id);
      add_cell (line, 0.50, TRUE, amount);
      add_cell (line, 0.52, FALSE, a->requester);
      add_cell (line, 0.65, FALSE, a->approver);
      add_cell (line, 0.78, FALSE, a->comment);
    }
  if (approvals->len == 0)
    add_text_line (printout, FALSE, _("None."));
}

static Printout *
printout_new (const NpDayReport *report,
              GTimeZone         *tz)
{
  Printout *printout = g_new0 (Printout, 1);
  g_autofree char *range = np_day_report_format_range (report);
  g_autofree char *title = NULL;
  g_autofree char *day = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&report->day),
                                          g_date_get_month (&report->day), g_date_get_day (&report->day));
  g_autofree char *utc = NULL;
  Line *line;

  printout->lines = g_ptr_array_new_with_free_func ((GDestroyNotify)line_free);
  printout->head_hash = g_strdup (report->head_hash);
  if (report->team_head_hash != NULL && report->team_head_seq > 0)
    printout->team_head = g_strdup_printf ("#%" G_GINT64_FORMAT " %s", report->team_head_seq, report->team_head_hash);
  else if (report->team_head_hash != NULL)
    printout->team_head = g_strdup (_("(empty)"));

  /* Translators: the report's title: %s is the day (2026-10-25), then the account's name */
  title = g_strdup_printf (_("End of Day %s — %s"), day, report->account_name);
  add_text_line (printout, TRUE, title);
  /* Translators: %s is a range of UTC times */
  utc = g_strdup_printf (_("The local day in %s, in UTC: %s"), g_time_zone_get_identifier (tz), range);
  add_text_line (printout, FALSE, utc);
  add_text_line (printout, FALSE, "");

  add_text_line (printout, TRUE, _("Totals"));
  line = add_line (printout);
  line->bold = TRUE;
  add_cell (line, 0.00, FALSE, _("Currency"));
  add_cell (line, 0.20, TRUE, _("Created"));
  add_cell (line, 0.36, TRUE, _("Amount"));
  add_cell (line, 0.48, TRUE, _("Paid"));
  add_cell (line, 0.64, TRUE, _("Amount"));
  add_cell (line, 0.82, TRUE, _("Refunded"));
  add_cell (line, 1.00, TRUE, _("Net"));
  for (guint i = 0; i < report->totals->len; i++)
    {
      NpDayTotals *t = g_ptr_array_index (report->totals, i);
      g_autofree char *n_created = format_count (t->n_created);
      g_autofree char *created = np_money_format (t->created, t->currency);
      g_autofree char *n_paid = format_count (t->n_paid);
      g_autofree char *paid = np_money_format (t->paid, t->currency);
      g_autofree char *refunded = np_money_format (t->refunded, t->currency);
      g_autofree char *net = np_money_format (t->net, t->currency);

      line = add_line (printout);
      add_cell (line, 0.00, FALSE, t->currency);
      add_cell (line, 0.20, TRUE, n_created);
      add_cell (line, 0.36, TRUE, created);
      add_cell (line, 0.48, TRUE, n_paid);
      add_cell (line, 0.64, TRUE, paid);
      add_cell (line, 0.82, TRUE, refunded);
      add_cell (line, 1.00, TRUE, net);
    }
  add_text_line (printout, FALSE, "");

  add_text_line (printout, TRUE, _("Operations"));
  add_operation_lines (printout, report->operations, tz);
  add_text_line (printout, FALSE, "");
  add_text_line (printout, TRUE, _("Unknown Outcomes Still Open"));
  add_operation_lines (printout, report->open_unknown, tz);

  /* Team mode: the refund requests decided in the day (np_day_report_set_approvals ()). */
  if (report->approvals != NULL)
    {
      add_text_line (printout, FALSE, "");
      add_text_line (printout, TRUE, _("Approvals Decided"));
      add_approval_lines (printout, report->approvals, tz);
    }

  return printout;
}

static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                Printout          *printout)
{
  double height = gtk_print_context_get_height (context) - FOOTER_HEIGHT;
  guint per_page = MAX (1, (guint)(height / LINE_HEIGHT));

  printout->lines_per_page = per_page;
  gtk_print_operation_set_n_pages (operation, MAX (1, (printout->lines->len + per_page - 1) / per_page));
}

static void
show_text (cairo_t     *cr,
           PangoLayout *layout,
           double       x,
           double       y,
           gboolean     right,
           const char  *text)
{
  int width;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);
  cairo_move_to (cr, right ? x - width : x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              Printout          *printout)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT);
  g_autoptr(PangoFontDescription) bold = pango_font_description_from_string (FONT);
  g_autoptr(PangoFontDescription) heading = pango_font_description_from_string (HEADING_FONT);
  g_autoptr(PangoFontDescription) footer = pango_font_description_from_string (FOOTER_FONT);
  g_autofree char *page = NULL;
  g_autofree char *chain = NULL;
  int n_pages;
  guint first = page_nr * printout->lines_per_page;
  guint last = MIN (printout->lines->len, first + printout->lines_per_page);

  g_object_get (operation, "n-pages", &n_pages, NULL);
  pango_font_description_set_weight (bold, PANGO_WEIGHT_BOLD);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  cairo_set_source_rgb (cr, 0, 0, 0);

  for (guint i = first; i < last; i++)
    {
      Line *line = g_ptr_array_index (printout->lines, i);
      double y = (i - first) * LINE_HEIGHT;

      pango_layout_set_font_description (layout, line->heading ? heading : line->bold ? bold : font);
      for (guint c = 0; c < line->cells->len; c++)
        {
          Cell *cell = &g_array_index (line->cells, Cell, c);

          show_text (cr, layout, cell->x * width, y, cell->right, cell->text);
        }
    }

  /* The footer: the page number, and the chain's head so that a filed copy can
   * be checked against the ledger later. */
  cairo_move_to (cr, 0, height - FOOTER_HEIGHT + 4);
  cairo_line_to (cr, width, height - FOOTER_HEIGHT + 4);
  cairo_set_line_width (cr, 0.5);
  cairo_stroke (cr);
  pango_layout_set_font_description (layout, footer);
  /* Translators: the audit chain's head hash in a report's footer */
  chain = g_strdup_printf (_("Audit chain head: %s"),
                           printout->head_hash[0] != '\0' ? printout->head_hash : _("(empty)"));
  show_text (cr, layout, 0, height - FOOTER_HEIGHT + 8, FALSE, chain);
  /* On a team desk, the team ledger's chain of the account too: its place and
   * hash, so the copy can be checked against the team ledger. */
  if (printout->team_head != NULL)
    {
      g_autofree char *team = NULL;

      /* Translators: the team ledger's audit chain head in a report's footer: %s is "#123 <hash>" */
      team = g_strdup_printf (_("Team audit chain head: %s"), printout->team_head);
      show_text (cr, layout, 0, height - FOOTER_HEIGHT + 17, FALSE, team);
    }
  pango_layout_set_font_description (layout, font);
  /* Translators: page numbers in a printed report */
  page = g_strdup_printf (_("Page %d of %d"), page_nr + 1, n_pages);
  show_text (cr, layout, width, height - FOOTER_HEIGHT + 18, TRUE, page);
}

GtkPrintOperation *
np_day_report_print_operation_new (const NpDayReport *report,
                                   GTimeZone         *tz)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  Printout *printout = printout_new (report, tz);

  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), printout);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), printout);
  g_object_set_data_full (G_OBJECT (operation), "np-printout", printout, (GDestroyNotify)printout_free);

  return operation;
}
