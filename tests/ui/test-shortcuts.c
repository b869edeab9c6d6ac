/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-shortcuts.c — the window-wide keyboard shortcuts on the real window: every
 * accelerator the Shortcuts window lists is registered, and pressing one (through
 * the window's own shortcut controller, wherever the focus is) reaches the visible
 * page: new checkout or customer, look up, search, copy id and link, back, pages. */
#include "config.h"

#include <string.h>

#include "test-app-common.h"

static NpApplication *app;

/* The GtkShortcut the window's controllers have for @accel, or NULL. */
static gboolean
trigger_has (GtkShortcutTrigger *trigger,
             GtkShortcutTrigger *wanted)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_has (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted) ||
           trigger_has (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted);

  return gtk_shortcut_trigger_equal (trigger, wanted);
}

static GtkShortcut *
find_window_shortcut (GtkWidget  *window,
                      const char *accel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accel);

  g_assert_nonnull (wanted);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (trigger_has (gtk_shortcut_get_trigger (shortcut), wanted))
            return shortcut;  /* the controller keeps it alive */
        }
    }

  return NULL;
}

/* Presses @accel on the window: the shortcut the window's controllers hold for it
 * is activated on the window, as GTK does for a key press. */
static void
press (const char *accel)
{
  GtkWidget *window = GTK_WIDGET (app_get_window (app));
  GtkShortcut *shortcut = find_window_shortcut (window, accel);

  if (shortcut == NULL)
    g_error ("no shortcut for %s on the window", accel);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                               GTK_SHORTCUT_ACTION_EXCLUSIVE, window,
                                               gtk_shortcut_get_arguments (shortcut)));
  app_settle ();
}

static void
focus_sidebar (void)
{
  GtkWidget *window = GTK_WIDGET (app_get_window (app));
  GtkWidget *sidebar = app_find_sidebar (window);

  /* Focus outside every page: the shortcuts must not need it inside. */
  g_assert_true (gtk_widget_grab_focus (sidebar));
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                          gtk_widget_get_parent (app_find_descendant (window, g_type_from_name ("NpOverviewPage")))));
}

static void
close_toplevel (GType type)
{
  GtkWindow *dialog = app_wait_toplevel (type);

  gtk_window_destroy (dialog);
  app_settle ();
}

static void
test_shortcuts_registered (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/np-shortcuts-window.ui");
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
  GtkWidget *window = GTK_WIDGET (app_get_window (app));
  guint checked = 0;

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *title = NULL;
      g_auto(GStrv) accels = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;

      g_object_get (l->data, "accelerator", &accelerator, "title", &title, NULL);
      g_assert_nonnull (accelerator);
      accels = g_strsplit (accelerator, " ", -1);
      for (guint i = 0; accels[i] != NULL; i++)
        {
          g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), accels[i]);

          if (actions == NULL || actions[0] == NULL)
            g_error ("\"%s\" lists %s, which no action has", title, accels[i]);
          /* and the window's controllers have it, whatever has the focus */
          if (find_window_shortcut (window, accels[i]) == NULL)
            g_error ("\"%s\": the window has no shortcut for %s", title, accels[i]);
          checked++;
        }
    }

  /* General 3, pages 5, lists 6, open item 3 */
  g_assert_cmpuint (checked, ==, 17);
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

static gboolean
focus_in (gpointer user_data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (app_get_window (app)));

  return focus != NULL && (focus == user_data || gtk_widget_is_ancestor (focus, user_data));
}

/* The mapped search entry of the page @page_type. */
static GtkWidget *
page_search_entry (const char *page_type)
{
  GtkWidget *page = app_find_descendant (GTK_WIDGET (app_get_window (app)), g_type_from_name (page_type));

  g_assert_nonnull (page);
  return app_find_descendant (page, GTK_TYPE_SEARCH_ENTRY);
}

static void
test_shortcuts_pages_and_search (void)
{
  NpWindow *window = app_get_window (app);
  static const struct { const char *accel, *page, *type; } pages[] = {
    { "<Alt>2", "checkouts", "NpCheckoutsPage" },
    { "<Alt>3", "customers", "NpCustomersPage" },
    { "<Alt>4", "activity", "NpActivityPage" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *entry;

      focus_sidebar ();
      press (pages[i].accel);
      g_assert_cmpstr (np_window_get_page (window), ==, pages[i].page);

      /* Ctrl+F from the sidebar focuses the visible page's search. */
      focus_sidebar ();
      entry = page_search_entry (pages[i].type);
      g_assert_false (focus_in (entry));
      press ("<Control>f");
      np_test_wait_until (focus_in, entry, APP_TIMEOUT_MS, "the search entry's focus");
    }

  press ("<Alt>1");
  g_assert_cmpstr (np_window_get_page (window), ==, "overview");
}

static void
test_shortcuts_new_and_lookup (void)
{
  NpWindow *window = app_get_window (app);

  /* From the Overview, Ctrl+N is a new checkout, on the Checkouts page. */
  press ("<Alt>1");
  focus_sidebar ();
  press ("<Control>n");
  g_assert_cmpstr (np_window_get_page (window), ==, "checkouts");
  close_toplevel (g_type_from_name ("NpCheckoutNewDialog"));

  focus_sidebar ();
  press ("<Control>l");
  close_toplevel (g_type_from_name ("NpCheckoutLookupDialog"));

  /* On the Customers page, the same keys mean a customer. */
  press ("<Alt>3");
  focus_sidebar ();
  press ("<Control>n");
  close_toplevel (g_type_from_name ("NpCustomerDialog"));
  focus_sidebar ();
  press ("<Control>l");
  close_toplevel (g_type_from_name ("NpCustomerLookupDialog"));
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
on_clipboard_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_read_done (gpointer user_data)
{
  return ((ClipboardRead *) user_data)->done;
}

static char *
read_clipboard (void)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (app_get_window (app)));
  ClipboardRead read = { NULL, FALSE };

  gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_read, &read);
  np_test_wait_until (clipboard_read_done, &read, APP_TIMEOUT_MS, "the clipboard");
  return read.text;
}

static void
test_shortcuts_copy (void)
{
  NpWindow *window = app_get_window (app);
  g_autofree char *id = app_create_checkout (app, 12345, "SEK");
  g_autofree char *copied_id = NULL;
  g_autofree char *copied_link = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-checkout", "s", id));
  app_settle ();

  focus_sidebar ();
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (window)), "");
  press ("<Control><Shift>c");
  copied_id = read_clipboard ();
  g_assert_cmpstr (copied_id, ==, id);

  focus_sidebar ();
  press ("<Control><Shift>l");
  copied_link = read_clipboard ();
  g_assert_true (g_str_has_prefix (copied_link, "http"));
  g_assert_nonnull (strstr (copied_link, id));
}

static void
test_shortcuts_help_overlay (void)
{
  focus_sidebar ();
  press ("<Control>question");
  close_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  np_test_init (&argc, &argv);
  app = app_start ();

  g_test_add_func ("/ui/shortcuts/registered", test_shortcuts_registered);
  g_test_add_func ("/ui/shortcuts/pages-and-search", test_shortcuts_pages_and_search);
  g_test_add_func ("/ui/shortcuts/new-and-lookup", test_shortcuts_new_and_lookup);
  g_test_add_func ("/ui/shortcuts/copy", test_shortcuts_copy);
  g_test_add_func ("/ui/shortcuts/help-overlay", test_shortcuts_help_overlay);
  status = g_test_run ();

  app_quit (app);
  return status;
}
