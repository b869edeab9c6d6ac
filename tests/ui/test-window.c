/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c — the real window under the headless display: the first run, the
 * workspace handed to every page, pages, About, Shortcuts, the last page kept. */
#include "config.h"

#include <adwaita.h>

#include <string.h>
#include <sys/resource.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "np-account-first-run-page.h"
#include "np-activity-page.h"
#include "np-application.h"
#include "np-checkouts-page.h"
#include "np-customers-page.h"
#include "np-test-utils.h"
#include "np-window.h"
#include "test-app-common.h"

static NpApplication *app;
/* The icon theme's resource paths when startup was done, before the first window. */
static char **startup_icon_paths;

static NpWindow *
get_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (NP_IS_WINDOW (window));
  return NP_WINDOW (window);
}

static gboolean
app_icon_in_theme (void)
{
  return gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()), APP_ID);
}

/* Startup adds nothing to the icon theme after GTK began loading it (each
 * addition made GTK 4.8 load it again): no resource base path, and our icon
 * comes with what shows it. Our style sheet is loaded all the same. */
static void
test_window_startup_resources (void)
{
  g_autoptr(GtkWidget) badge = g_object_ref_sink (gtk_label_new ("Paid"));
  GtkBorder padding;

  g_assert_null (g_application_get_resource_base_path (G_APPLICATION (app)));
  g_assert_nonnull (startup_icon_paths);
  g_assert_false (g_strv_contains ((const char * const *) startup_icon_paths, RESOURCE_PREFIX "/icons"));

  gtk_widget_add_css_class (badge, "np-status");
  gtk_style_context_get_padding (gtk_widget_get_style_context (badge), &padding);
  g_assert_cmpint (padding.left, ==, 8);
  g_assert_cmpint (padding.top, ==, 2);
}

static void
test_window_title (void)
{
  NpWindow *window = get_window ();

  np_test_wait_until (app_widget_mapped, window, 10000, "the main window to map");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Neuro-Pay Console");
}

static gboolean
has_account (gpointer user_data)
{
  return np_workspace_get_account (np_application_get_workspace (app)) != NULL;
}

/* The mnemonic text a button shows, whether set as its label or as its child label
 * (the views give mnemonic buttons a child label so screen readers hear it once). */
static const char *
button_mnemonic (GtkWidget *button)
{
  GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));

  return GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child)) : gtk_button_get_label (GTK_BUTTON (button));
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (button_mnemonic (widget), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_window_workspace (void)
{
  NpWindow *window = get_window ();
  NpWorkspace *workspace = np_application_get_workspace (app);

  g_assert_nonnull (workspace);
  g_assert_true (np_window_get_workspace (window) == workspace);

  /* Every page that has a workspace property got the application's. */
  for (GtkWidget *page = gtk_widget_get_first_child (gtk_widget_get_parent (
         app_find_descendant (GTK_WIDGET (window), g_type_from_name ("NpOverviewPage"))));
       page != NULL;
       page = gtk_widget_get_next_sibling (page))
    if (g_object_class_find_property (G_OBJECT_GET_CLASS (page), "workspace") != NULL)
      {
        g_autoptr(NpWorkspace) page_workspace = NULL;

        g_object_get (page, "workspace", &page_workspace, NULL);
        g_assert_true (page_workspace == workspace);
      }
}

static void
test_window_first_run (void)
{
  NpWindow *window = get_window ();
  GtkWidget *first_run = app_find_descendant (GTK_WIDGET (window), NP_TYPE_ACCOUNT_FIRST_RUN_PAGE);
  GtkWidget *console;

  /* A private home has no account: the first-run page covers the whole content. */
  np_test_wait_until (app_widget_mapped, first_run, 10000, "the first-run page");
  console = app_find_descendant (GTK_WIDGET (window), ADW_TYPE_LEAFLET);
  g_assert_false (gtk_widget_get_mapped (console));
  /* It shows the application's icon. */
  g_assert_true (app_icon_in_theme ());

  g_signal_emit_by_name (find_button_labelled (first_run, "_Try the Sandbox"), "clicked");
  np_test_wait_until (has_account, NULL, 30000, "the Sandbox account");
  np_test_wait_until (app_widget_mapped, console, 10000, "the console");
  np_test_wait_until (app_widget_unmapped, first_run, 10000, "the first-run page to go");
}

static void
test_window_pages (void)
{
  static const char * const pages[][2] = {
    { "checkouts", "NpCheckoutsPage" },
    { "customers", "NpCustomersPage" },
    { "activity", "NpActivityPage" },
    { "overview", "NpOverviewPage" },
  };
  NpWindow *window = get_window ();

  /* Pages are built when first shown: none of these has been yet. */
  g_assert_null (app_find_descendant (GTK_WIDGET (window), NP_TYPE_CHECKOUTS_PAGE));
  g_assert_null (app_find_descendant (GTK_WIDGET (window), NP_TYPE_CUSTOMERS_PAGE));
  g_assert_null (app_find_descendant (GTK_WIDGET (window), NP_TYPE_ACTIVITY_PAGE));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *page;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", pages[i][0]));
      g_assert_cmpstr (np_window_get_page (window), ==, pages[i][0]);

      page = app_find_descendant (GTK_WIDGET (window), g_type_from_name (pages[i][1]));
      g_assert_nonnull (page);
      np_test_wait_until (app_widget_mapped, page, 10000, pages[i][1]);
    }
}

static void
test_window_about (void)
{
  GtkWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = app_wait_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Neuro-Pay Console");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_true (app_icon_in_theme ());
  gtk_window_destroy (about);
}

static void
test_window_shortcuts (void)
{
  NpWindow *window = get_window ();
  GtkWindow *shortcuts;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  shortcuts = app_wait_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  gtk_widget_set_visible (GTK_WIDGET (shortcuts), FALSE);
}

/* The window opens on the page it was closed on (GSettings "last-page"), and
 * builds that page only. */
static void
test_window_last_page (void)
{
  GSettings *settings = np_application_get_settings (app);
  NpWindow *window;
  g_autofree char *saved = NULL;

  g_settings_set_string (settings, "last-page", "customers");
  window = np_window_new (app);
  g_assert_cmpstr (np_window_get_page (window), ==, "customers");
  g_assert_nonnull (app_find_descendant (GTK_WIDGET (window), NP_TYPE_CUSTOMERS_PAGE));
  g_assert_null (app_find_descendant (GTK_WIDGET (window), NP_TYPE_CHECKOUTS_PAGE));
  gtk_window_present (GTK_WINDOW (window));
  np_test_wait_until (app_widget_mapped, window, 10000, "the second window to map");

  np_window_show_page (window, "activity");
  gtk_window_close (GTK_WINDOW (window));
  saved = g_settings_get_string (settings, "last-page");
  g_assert_cmpstr (saved, ==, "activity");
}

static long
minor_faults (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_minflt;
}

/* The policy of np_application_set_malloc_policy (), in the application's
 * process: a large block freed does not move the mmap threshold (the next
 * block above it is still a mapping of its own, not a piece of the heap that
 * stays resident), and a frame-sized block freed and made again reuses its
 * pages rather than faulting them in anew. */
static void
test_window_malloc_policy (void)
{
#ifdef __GLIBC__
  const gsize frame_size = 3 * 1024 * 1024;
  size_t mapped_before;
  gpointer block;
  long faults;

  /* g_malloc (), not malloc (): the compiler may drop a malloc () freed unused. */
  g_free (g_malloc (4 * NP_MALLOC_MMAP_THRESHOLD));
  mapped_before = mallinfo2 ().hblks;
  block = g_malloc (NP_MALLOC_MMAP_THRESHOLD + 1024 * 1024);
  g_assert_cmpuint (mallinfo2 ().hblks, ==, mapped_before + 1);
  g_free (block);
  g_assert_cmpuint (mallinfo2 ().hblks, ==, mapped_before);

  block = g_malloc (frame_size);
  g_assert_cmpuint (mallinfo2 ().hblks, ==, mapped_before);
  memset (block, 1, frame_size);
  g_free (block);
  faults = minor_faults ();
  block = g_malloc (frame_size);
  memset (block, 2, frame_size);
  faults = minor_faults () - faults;
  g_free (block);
  /* 768 pages: all of them would fault again had the heap given them back. */
  g_assert_cmpint (faults, <, 64);
#else
  g_test_skip ("glibc's malloc only");
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  np_test_init (&argc, &argv);

  app = np_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  startup_icon_paths = gtk_icon_theme_get_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()));
  g_application_activate (G_APPLICATION (app));

  g_test_add_func ("/ui/window/startup-resources", test_window_startup_resources);
  g_test_add_func ("/ui/window/title", test_window_title);
  g_test_add_func ("/ui/window/workspace", test_window_workspace);
  g_test_add_func ("/ui/window/first-run", test_window_first_run);
  g_test_add_func ("/ui/window/pages", test_window_pages);
  g_test_add_func ("/ui/window/about", test_window_about);
  g_test_add_func ("/ui/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/ui/window/last-page", test_window_last_page);
  g_test_add_func ("/ui/window/malloc-policy", test_window_malloc_policy);

  status = g_test_run ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_clear_object (&app);
  g_strfreev (startup_icon_paths);
  return status;
}
