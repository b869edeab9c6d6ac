/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-swedish.c — the real window in Swedish: LANGUAGE=sv and LC_ALL=sv_SE.UTF-8,
 * with the catalogue the build compiled from po/sv.po. Labels, menus and statuses
 * are Swedish, and amounts follow the locale ("1 234,56 SEK" with no-break spaces). */
#include "config.h"

#include <glib/gi18n.h>
#include <langinfo.h>
#include <locale.h>
#include <string.h>

#include "np-money.h"
#include "test-app-common.h"

static NpApplication *app;

static GtkWidget *
window_widget (void)
{
  return GTK_WIDGET (app_get_window (app));
}

static void
assert_label (GtkWidget  *root,
              const char *text)
{
  if (app_find_label (root, text) == NULL)
    g_error ("no label shows “%s”", text);
}

static void
test_swedish_catalogue (void)
{
  /* The catalogue itself, before any widget. */
  g_assert_cmpstr (_("Checkouts"), ==, "Betalningar");
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "checkout status", "Partially refunded"), ==, "Delvis återbetald");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u checkout", "%u checkouts", 3), ==, "%u betalningar");
}

/* "1 234,56 SEK" as sv_SE writes it: glibc groups thousands with a narrow no-break
 * space (U+202F), older ones with a no-break space (U+00A0). */
static char *
swedish_amount (void)
{
  const char *group = nl_langinfo (THOUSEP);

  g_assert_true (g_str_equal (group, "\u202f") || g_str_equal (group, "\u00a0"));
  return g_strdup_printf ("1%s234,56\u00a0SEK", group);
}

static void
test_swedish_amounts (void)
{
  g_autofree char *amount = np_money_format (123456, "SEK");
  g_autofree char *expected = swedish_amount ();
  g_autofree char *negative = np_money_format (-5050, "EUR");
  gint64 minor = 0;
  g_autoptr(GError) error = NULL;

  /* Comma as the decimal mark; a no-break space between thousands and before the code. */
  g_assert_cmpstr (amount, ==, expected);
  g_assert_nonnull (strstr (negative, "50,50"));
  /* What a Swedish person types is read back. */
  g_assert_true (np_money_parse ("1 234,56", "SEK", &minor, &error));
  g_assert_no_error (error);
  g_assert_cmpint (minor, ==, 123456);
}

static void
test_swedish_window (void)
{
  GtkWidget *window = window_widget ();
  GtkWidget *sidebar = app_find_sidebar (window);

  /* The sidebar, the page title and the account pill. */
  assert_label (sidebar, "Översikt");
  assert_label (sidebar, "Betalningar");
  assert_label (sidebar, "Kunder");
  assert_label (sidebar, "Aktivitet");
  g_assert_true (gtk_widget_activate_action (window, "win.show-page", "s", "activity"));
  app_settle ();
  assert_label (window, "Inga åtgärder ännu");
}

static void
test_swedish_checkout (void)
{
  GtkWidget *window = window_widget ();
  g_autofree char *id = app_create_checkout (app, 123456, "SEK");
  g_autofree char *amount = swedish_amount ();
  GtkWidget *page;

  g_assert_true (gtk_widget_activate_action (window, "win.open-checkout", "s", id));
  app_settle ();
  page = app_find_descendant (window, g_type_from_name ("NpCheckoutsPage"));

  /* The amount as the locale writes it, the status and the detail's headings. */
  assert_label (page, amount);
  assert_label (page, "Skapad");
  assert_label (page, "Betallänk");
  assert_label (page, "Detaljer");
  assert_label (page, "1 betalning");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Before GTK reads the environment: Swedish messages and a Swedish locale. */
  g_setenv ("LANGUAGE", "sv", TRUE);
  g_setenv ("LC_ALL", "sv_SE.UTF-8", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    g_error ("the sv_SE.UTF-8 locale is not available (build-aux/install-deps generates it)");
  bindtextdomain (GETTEXT_PACKAGE, NP_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  np_test_init (&argc, &argv);
  app = app_start ();

  g_test_add_func ("/ui/swedish/catalogue", test_swedish_catalogue);
  g_test_add_func ("/ui/swedish/amounts", test_swedish_amounts);
  g_test_add_func ("/ui/swedish/window", test_swedish_window);
  g_test_add_func ("/ui/swedish/checkout", test_swedish_checkout);
  status = g_test_run ();

  app_quit (app);
  return status;
}
