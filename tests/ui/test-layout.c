/* test-layout.c — the real window from 1280 px down to 360 px: the sidebar and the
 * Checkouts list and detail fold into one column, the detail stays reachable and
 * back goes back; no page asks for more than 360 px. Screenshots at 1280x800 and
 * 400x800 (and a dark and a high-contrast one) under $NP_SCREENSHOT_DIR, which
 * build-aux/screenshots sets to refresh data/screenshots/ (unset, none are taken). */
#include "config.h"

#include "np-checkouts-page.h"
#include "test-app-common.h"

static NpApplication *app;
static char *checkout_id;

static const char * const page_names[] = { "overview", "checkouts", "customers", "activity" };

static GtkWidget *
window_widget (void)
{
  return GTK_WIDGET (app_get_window (app));
}

static AdwLeaflet *
main_leaflet (void)
{
  return ADW_LEAFLET (app_find_descendant (window_widget (), ADW_TYPE_LEAFLET));
}

static NpCheckoutsPage *
checkouts_page (void)
{
  return NP_CHECKOUTS_PAGE (app_find_descendant (window_widget (), NP_TYPE_CHECKOUTS_PAGE));
}

static GtkWidget *
checkout_detail (void)
{
  return app_find_descendant (GTK_WIDGET (checkouts_page ()), g_type_from_name ("NpCheckoutDetail"));
}

static GtkWidget *
checkouts_list (void)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (checkouts_page ()), NP_TYPE_CHECKOUTS_PAGE,
                                                   "list_view"));
}

static gboolean
widget_is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

static gboolean
widget_is_unmapped (gpointer user_data)
{
  return !gtk_widget_get_mapped (user_data);
}

static gboolean
widget_is_allocated (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data) && gtk_widget_get_width (user_data) > 0;
}

static void
show_page (const char *name)
{
  g_assert_true (gtk_widget_activate_action (window_widget (), "win.show-page", "s", name));
  app_settle ();
}

static void
test_layout_wide (void)
{
  GtkWidget *detail;

  app_resize (GTK_WINDOW (window_widget ()), 1280, 800);
  g_assert_false (adw_leaflet_get_folded (main_leaflet ()));

  g_assert_true (gtk_widget_activate_action (window_widget (), "win.open-checkout", "s", checkout_id));
  app_settle ();
  g_assert_false (np_checkouts_page_get_folded (checkouts_page ()));

  /* Side by side: the list and the detail at once, the sidebar beside them. */
  detail = checkout_detail ();
  np_test_wait_until (widget_is_mapped, detail, APP_TIMEOUT_MS, "the detail");
  g_assert_true (gtk_widget_get_mapped (checkouts_list ()));
  g_assert_true (gtk_widget_get_mapped (app_find_sidebar (window_widget ())));
  np_test_wait_until (widget_is_allocated, detail, APP_TIMEOUT_MS, "the detail's allocation");
  g_assert_cmpint (gtk_widget_get_width (detail), >=, 360);

  app_save_screenshot (GTK_WINDOW (window_widget ()), "window-1280.png");
}

static void
test_layout_narrow (void)
{
  GtkWidget *window = window_widget ();
  GtkWidget *detail = checkout_detail ();
  GtkWidget *sidebar = app_find_sidebar (window_widget ());
  int minimum;


  app_resize (GTK_WINDOW (window), 360, 700);
  g_assert_true (adw_leaflet_get_folded (main_leaflet ()));

  /* No page asks for more than 360 px. */
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      show_page (page_names[i]);
      /* the window's content: the window itself counts its frame too */
      gtk_widget_measure (GTK_WIDGET (main_leaflet ()), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      if (minimum > 360)
        g_error ("the %s page needs %d px", page_names[i], minimum);
      g_assert_cmpint (gtk_widget_get_width (window), <=, 362);
    }

  /* Opening a checkout shows its detail, alone, the list and sidebar folded away. */
  g_assert_true (gtk_widget_activate_action (window, "win.open-checkout", "s", checkout_id));
  app_settle ();
  g_assert_true (np_checkouts_page_get_folded (checkouts_page ()));
  np_test_wait_until (widget_is_mapped, detail, APP_TIMEOUT_MS, "the folded detail");
  np_test_wait_until (widget_is_unmapped, checkouts_list (), APP_TIMEOUT_MS, "the list to fold away");
  np_test_wait_until (widget_is_unmapped, sidebar, APP_TIMEOUT_MS, "the sidebar to fold away");
  np_test_wait_until (widget_is_allocated, detail, APP_TIMEOUT_MS, "the detail's allocation");
  g_assert_cmpint (gtk_widget_get_width (detail), <=, 360);
  g_assert_nonnull (app_find_label (detail, checkout_id));

  /* Back (Alt+Left) goes to the list, then to the sidebar. */
  g_assert_true (gtk_widget_activate_action (window, "win.back", NULL));
  np_test_wait_until (widget_is_mapped, checkouts_list (), APP_TIMEOUT_MS, "the list");
  np_test_wait_until (widget_is_unmapped, detail, APP_TIMEOUT_MS, "the detail to go");
  g_assert_true (gtk_widget_activate_action (window, "win.back", NULL));
  np_test_wait_until (widget_is_mapped, sidebar, APP_TIMEOUT_MS, "the sidebar");

  /* Choosing the checkout again in the list opens its detail. */
  show_page ("checkouts");
  g_assert_true (gtk_widget_activate_action (window, "win.open-checkout", "s", checkout_id));
  np_test_wait_until (widget_is_mapped, detail, APP_TIMEOUT_MS, "the detail again");
}

static void
test_layout_screenshots (void)
{
  GtkWindow *window = GTK_WINDOW (window_widget ());
  AdwStyleManager *style = adw_style_manager_get_default ();

  app_resize (window, 400, 800);
  g_assert_true (adw_leaflet_get_folded (main_leaflet ()));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-checkout", "s", checkout_id));
  np_test_wait_until (widget_is_mapped, checkout_detail (), APP_TIMEOUT_MS, "the detail");
  app_save_screenshot (window, "window-400.png");

  /* The dark style: the same window, dark. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  app_settle ();
  g_assert_true (adw_style_manager_get_dark (style));
  app_resize (window, 1280, 800);
  app_save_screenshot (window, "window-1280-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* High contrast is read from the system when libadwaita starts: the child process
 * of this test starts with it on (libadwaita's ADW_DEBUG_HIGH_CONTRAST) and shows
 * the Checkouts page with a checkout's detail. */
static void
test_layout_high_contrast (void)
{
  if (g_test_subprocess ())
    {
      GtkWindow *window = GTK_WINDOW (window_widget ());

      g_assert_true (adw_style_manager_get_high_contrast (adw_style_manager_get_default ()));
      app_resize (window, 1280, 800);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-checkout", "s", checkout_id));
      np_test_wait_until (widget_is_mapped, checkout_detail (), APP_TIMEOUT_MS, "the detail");
      g_assert_nonnull (app_find_label (checkout_detail (), checkout_id));
      app_save_screenshot (window, "window-1280-high-contrast.png");
      return;
    }

  g_setenv ("ADW_DEBUG_HIGH_CONTRAST", "1", TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("ADW_DEBUG_HIGH_CONTRAST");
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  int status;

  np_test_init (&argc, &argv);
  app = app_start ();
  checkout_id = app_create_checkout (app, 123456, "SEK");

  g_test_add_func ("/ui/layout/wide", test_layout_wide);
  g_test_add_func ("/ui/layout/narrow", test_layout_narrow);
  g_test_add_func ("/ui/layout/screenshots", test_layout_screenshots);
  g_test_add_func ("/ui/layout/high-contrast", test_layout_high_contrast);
  status = g_test_run ();

  g_free (checkout_id);
  app_quit (app);
  return status;
}
