/* test-checkouts-common.c — what the Checkouts page's ui tests share. */
#include "config.h"

#include "test-checkouts-common.h"

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  /* What NpApplication sets up: the app's icons and style (badge colours). */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_PREFIX "/icons");
  gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  /* Screenshots catch rows as they settle, not mid-animation. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  f->tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1280, 800);
  gtk_window_set_title (f->window, "Neuro-Pay Console");
  f->page = g_object_new (NP_TYPE_CHECKOUTS_PAGE, "workspace", f->tw->workspace, NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  np_test_wait_until (widget_mapped, f->page, TIMEOUT_MS, "the checkouts page to map");
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Dialogs a failed test left open go with the window. */
  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
  g_clear_pointer (&f->tw, np_test_workspace_free);
}

GtkWindow *
find_toplevel (GType type)
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
toplevel_mapped (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
toplevel_gone (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) == NULL;
}

GtkWindow *
wait_toplevel (GType type)
{
  np_test_wait_until (toplevel_mapped, GSIZE_TO_POINTER (type), TIMEOUT_MS, g_type_name (type));
  return find_toplevel (type);
}

void
wait_toplevel_gone (GType type)
{
  np_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (type), TIMEOUT_MS, g_type_name (type));
}

char *
answer_message_dialog (const char *response)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (wait_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  char *heading = g_strdup (adw_message_dialog_get_heading (dialog));

  g_assert_true (adw_message_dialog_has_response (dialog, response));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  return heading;
}

GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
find_label_containing (GtkWidget  *root,
                       const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_containing (child, text);
      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct {
  Fixture    *f;
  const char *checkout_id;
  const char *status;
} Wait;

static gboolean
detail_shows (gpointer data)
{
  Wait *wait = data;
  NpCheckoutDetail *detail = wait->f->page->detail;

  /* The page counts rows in a low-priority idle; its actions follow the count. */
  return wait->f->page->update_source == 0 && detail->reload_source == 0 &&
         g_strcmp0 (np_checkout_detail_get_checkout_id (detail), wait->checkout_id) == 0 &&
         np_checkout_detail_get_checkout (detail) != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (detail->stack), "checkout") == 0;
}

void
select_checkout (Fixture    *f,
                 const char *checkout_id)
{
  Wait wait = { f, checkout_id, NULL };

  g_assert_true (np_checkouts_page_select (f->page, checkout_id));
  np_test_wait_until (detail_shows, &wait, TIMEOUT_MS, "the detail to show the checkout");
}

static gboolean
ledger_has_status (gpointer data)
{
  Wait *wait = data;
  g_autoptr(NpCheckoutRow) row = np_ledger_get_checkout_row (wait->f->tw->ledger,
                                                             np_workspace_get_account_id (wait->f->tw->workspace),
                                                             wait->checkout_id, NULL);

  return row != NULL && g_strcmp0 (np_checkout_row_get_status_text (row), wait->status) == 0;
}

void
wait_ledger_status (Fixture    *f,
                    const char *checkout_id,
                    const char *status)
{
  Wait wait = { f, checkout_id, status };

  np_test_wait_until (ledger_has_status, &wait, TIMEOUT_MS, status);
}

const char *
detail_status (Fixture *f)
{
  return np_status_badge_get_status (f->page->detail->status_badge);
}

gboolean
action_enabled (GtkWidget  *widget,
                const char *action)
{
  /* Ask the widget's own action muxer, as a button bound to the action would. */
  GtkWidget *probe = gtk_button_new ();
  gboolean enabled;

  gtk_widget_set_parent (probe, widget);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), action);
  enabled = gtk_widget_get_sensitive (probe);
  gtk_widget_unparent (probe);
  return enabled;
}

void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("NP_SCREENSHOT_DIR");
  GtkNative *native = gtk_widget_get_native (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  graphene_rect_t bounds;

  if (dir == NULL || *dir == '\0')
    return;

  /* Let pending layout and rendering settle first. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  paintable = gtk_widget_paintable_new (GTK_WIDGET (native));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot,
                          gtk_widget_get_width (GTK_WIDGET (native)), gtk_widget_get_height (GTK_WIDGET (native)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  gsk_render_node_get_bounds (node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (native), node, &bounds);
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}
