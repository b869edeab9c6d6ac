/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-app-common.c — the real application and window for whole-window ui tests. */
#include "config.h"

#include <string.h>

#include "np-checkout.h"
#include "np-workspace.h"
#include "test-app-common.h"

static gboolean
has_account (gpointer user_data)
{
  return np_workspace_get_account (np_application_get_workspace (user_data)) != NULL;
}

static gboolean
has_client (gpointer user_data)
{
  return np_workspace_get_client (np_application_get_workspace (user_data)) != NULL;
}

gboolean
app_widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

gboolean
app_widget_unmapped (gpointer widget)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (widget));
}

NpApplication *
app_start (void)
{
  g_autoptr(GError) error = NULL;
  NpApplication *app = np_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  /* Pages and leaflets change at once, so what is mapped and drawn is the end state. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* The first run's "Try the Sandbox" is app.start-sandbox. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "start-sandbox", NULL);
  np_test_wait_until (has_account, app, APP_TIMEOUT_MS, "the Sandbox account");
  np_test_wait_until (has_client, app, APP_TIMEOUT_MS, "the Sandbox account's client");
  np_test_wait_until (app_widget_mapped, app_get_window (app), APP_TIMEOUT_MS, "the main window");
  return app;
}

void
app_quit (NpApplication *app)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_object_unref (app);
}

NpWindow *
app_get_window (NpApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (NP_IS_WINDOW (window));
  return NP_WINDOW (window);
}

char *
app_create_checkout (NpApplication *app,
                     gint64         amount,
                     const char    *currency)
{
  g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(GError) error = NULL;
  NpWorkspace *workspace = np_application_get_workspace (app);

  draft->amount = amount;
  draft->currency = g_strdup (currency);
  draft->message = g_strdup ("Layout test");
  np_workspace_create_checkout_async (workspace, draft, NULL, np_test_store_result, &result);
  checkout = np_workspace_checkout_finish (workspace, np_test_wait_result (&result, APP_TIMEOUT_MS), &error);
  g_assert_no_error (error);
  return g_strdup (np_checkout_get_id (checkout));
}

void
app_collect_widgets (GtkWidget      *root,
                     AppWidgetMatch  match,
                     gconstpointer   data,
                     GPtrArray      *found)
{
  if (match (root, data))
    g_ptr_array_add (found, root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    app_collect_widgets (child, match, data, found);
}

GtkWidget *
app_find_widget (GtkWidget      *root,
                 AppWidgetMatch  match,
                 gconstpointer   data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = app_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

gboolean
app_match_type (GtkWidget     *widget,
                gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

gboolean
app_match_mapped_label (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

GtkWidget *
app_find_descendant (GtkWidget *root,
                     GType      type)
{
  return app_find_widget (root, app_match_type, GSIZE_TO_POINTER (type));
}

GtkWidget *
app_find_sidebar (GtkWidget *root)
{
  if (GTK_IS_LIST_BOX (root) && gtk_widget_has_css_class (root, "navigation-sidebar"))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = app_find_sidebar (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
app_find_label (GtkWidget  *root,
                const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return root;
  /* A list's count is an inscription: text shown all the same. */
  if (GTK_IS_INSCRIPTION (root) && gtk_widget_get_mapped (root) &&
      gtk_inscription_get_text (GTK_INSCRIPTION (root)) != NULL &&
      strstr (gtk_inscription_get_text (GTK_INSCRIPTION (root)), text) != NULL)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = app_find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWindow *
app_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
toplevel_mapped (gpointer user_data)
{
  return app_find_toplevel (GPOINTER_TO_SIZE (user_data)) != NULL;
}

GtkWindow *
app_wait_toplevel (GType type)
{
  np_test_wait_until (toplevel_mapped, GSIZE_TO_POINTER (type), APP_TIMEOUT_MS, g_type_name (type));
  return app_find_toplevel (type);
}

static gboolean
toplevel_gone (gpointer user_data)
{
  return app_find_toplevel (GPOINTER_TO_SIZE (user_data)) == NULL;
}

void
app_wait_toplevel_gone (GType type)
{
  np_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (type), APP_TIMEOUT_MS, g_type_name (type));
}

GtkWindow *
app_present_in_window (GtkWidget          *child,
                       GtkWidget          *page,
                       int                 width,
                       int                 height,
                       const GActionEntry *actions,
                       guint               n_actions,
                       gpointer            user_data)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, child);
  if (actions != NULL)
    {
      g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

      g_action_map_add_action_entries (G_ACTION_MAP (group), actions, n_actions, user_data);
      gtk_widget_insert_action_group (GTK_WIDGET (window), "win", G_ACTION_GROUP (group));
    }

  gtk_window_present (window);
  np_test_wait_until (app_widget_mapped, page, APP_TIMEOUT_MS, "the page to map");
  return window;
}

void
app_settle (void)
{
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

typedef struct
{
  GtkWidget *widget;
  int        width;
  int        height;
  gboolean   toggle;
} SizeWait;

static gboolean
has_size (gpointer user_data)
{
  SizeWait *wait = user_data;

  /* A window as large as the screen is kept inside it, frame included (the
   * headless screen is 1280x800): a few pixels less is that size. */
  if (ABS (gtk_widget_get_width (wait->widget) - wait->width) <= 12 &&
      ABS (gtk_widget_get_height (wait->widget) - wait->height) <= 12)
    return TRUE;

  /* A page may need less room only once it has folded (the Checkouts filters move
   * after the fold), and GTK applies a default size once: ask again, by a pixel
   * more or less so it is a change. */
  wait->toggle = !wait->toggle;
  gtk_window_set_default_size (GTK_WINDOW (wait->widget), wait->width, wait->height - wait->toggle);
  return FALSE;
}

void
app_resize (GtkWindow *window,
            int        width,
            int        height)
{
  SizeWait wait = { GTK_WIDGET (window), width, height, FALSE };

  gtk_window_unmaximize (window);
  gtk_window_set_default_size (window, width, height);
  np_test_wait_until (has_size, &wait, APP_TIMEOUT_MS, "the window size");
  app_settle ();
}

static void
on_after_paint (GdkFrameClock *clock,
                guint         *n_paints)
{
  (*n_paints)++;
}

static gboolean
painted (gpointer data)
{
  return *(guint *) data >= 1;
}

void
app_wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint n_paints = 0;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &n_paints);

  for (guint i = 0; i < 2; i++)
    {
      n_paints = 0;
      gtk_widget_queue_draw (widget);
      np_test_wait_until (painted, &n_paints, APP_TIMEOUT_MS, "the window to paint");
    }
  g_signal_handler_disconnect (clock, handler);
}

void
app_save_screenshot (GtkWindow  *window,
                     const char *name)
{
  const char *dir = g_getenv ("NP_SCREENSHOT_DIR");
  GtkNative *native = GTK_NATIVE (window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  graphene_rect_t bounds;

  if (dir == NULL || *dir == '\0')
    return;

  /* Drawn at its new size and style first. */
  app_wait_for_paint (GTK_WIDGET (window));
  app_settle ();
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot,
                          gtk_widget_get_width (GTK_WIDGET (window)),
                          gtk_widget_get_height (GTK_WIDGET (window)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  gsk_render_node_get_bounds (node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (native), node, &bounds);
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

void
app_save_widget_screenshot (GtkWidget  *widget,
                            const char *name)
{
  app_save_screenshot (GTK_WINDOW (gtk_widget_get_native (widget)), name);
}
