/* np-window.c — the main window: a sidebar of pages beside their content, and toasts.
 *
 * The window only arranges pages; each page asks the services for its data.
 * Size, maximized state and the last page are kept in GSettings.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-activity-page.h"
#include "np-checkouts-page.h"
#include "np-customers-page.h"
#include "np-overview-page.h"
#include "np-window.h"

struct _NpWindow
{
  AdwApplicationWindow  parent_instance;

  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar;
  GtkStack             *stack;
  AdwWindowTitle       *content_title;
  AdwToastOverlay      *toast_overlay;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (NpWindow, np_window, ADW_TYPE_APPLICATION_WINDOW)

static const char * const page_names[] = { "overview", "checkouts", "customers", "activity" };

NpWindow *
np_window_new (NpApplication *application)
{
  return g_object_new (NP_TYPE_WINDOW, "application", application, NULL);
}

static int
page_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    if (g_strcmp0 (page_names[i], name) == 0)
      return i;

  return -1;
}

const char *
np_window_get_page (NpWindow *self)
{
  g_return_val_if_fail (NP_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
np_window_show_page (NpWindow   *self,
                     const char *name)
{
  int index;

  g_return_if_fail (NP_IS_WINDOW (self));

  index = page_index (name);
  if (index < 0)
    return;

  /* Selecting the row shows the page (see on_sidebar_row_selected) */
  gtk_list_box_select_row (self->sidebar, gtk_list_box_get_row_at_index (self->sidebar, index));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

void
np_window_add_toast (NpWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (NP_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_sidebar_row_selected (NpWindow      *self,
                         GtkListBoxRow *row,
                         GtkListBox    *list_box)
{
  GtkStackPage *page;
  int index;

  if (row == NULL)
    return;

  index = gtk_list_box_row_get_index (row);
  gtk_stack_set_visible_child_name (self->stack, page_names[index]);

  page = gtk_stack_get_page (self->stack, gtk_stack_get_visible_child (self->stack));
  adw_window_title_set_title (self->content_title, gtk_stack_page_get_title (page));
}

static void
on_sidebar_row_activated (NpWindow      *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list_box)
{
  /* In the folded layout, choosing a page also shows it. */
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  np_window_show_page (NP_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static gpointer
get_page (NpWindow   *self,
          const char *name)
{
  return gtk_stack_get_child_by_name (self->stack, name);
}

static void
open_checkout_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NpWindow *self = NP_WINDOW (widget);

  np_window_show_page (self, "checkouts");
  np_checkouts_page_show_checkout (get_page (self, "checkouts"), g_variant_get_string (parameter, NULL));
}

static void
open_customer_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NpWindow *self = NP_WINDOW (widget);

  np_window_show_page (self, "customers");
  np_customers_page_show_customer (get_page (self, "customers"), g_variant_get_string (parameter, NULL));
}

static void
new_checkout_for_customer_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  NpWindow *self = NP_WINDOW (widget);
  const char *customer_id, *card_id;

  g_variant_get (parameter, "(&s&s)", &customer_id, &card_id);
  np_window_show_page (self, "checkouts");
  np_checkouts_page_new_checkout (get_page (self, "checkouts"), customer_id, *card_id ? card_id : NULL);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NpWindow *self = NP_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
np_window_save_state (NpWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set (self->settings, "window-size", "(ii)", width, height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_set_string (self->settings, "last-page", np_window_get_page (self));
  g_settings_apply (self->settings);
}

static gboolean
np_window_close_request (GtkWindow *window)
{
  np_window_save_state (NP_WINDOW (window));

  return GTK_WINDOW_CLASS (np_window_parent_class)->close_request (window);
}

static void
np_window_restore_state (NpWindow *self)
{
  g_autofree char *last_page = NULL;
  int width, height;

  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  last_page = g_settings_get_string (self->settings, "last-page");
  np_window_show_page (self, page_index (last_page) < 0 ? "overview" : last_page);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
np_window_constructed (GObject *object)
{
  NpWindow *self = NP_WINDOW (object);

  G_OBJECT_CLASS (np_window_parent_class)->constructed (object);

  np_window_restore_state (self);
}

static void
np_window_dispose (GObject *object)
{
  NpWindow *self = NP_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), NP_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (np_window_parent_class)->dispose (object);
}

static void
np_window_class_init (NpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = np_window_constructed;
  object_class->dispose = np_window_dispose;
  window_class->close_request = np_window_close_request;

  g_type_ensure (NP_TYPE_OVERVIEW_PAGE);
  g_type_ensure (NP_TYPE_CHECKOUTS_PAGE);
  g_type_ensure (NP_TYPE_CUSTOMERS_PAGE);
  g_type_ensure (NP_TYPE_ACTIVITY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/np-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NpWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.open-checkout", "s", open_checkout_action);
  gtk_widget_class_install_action (widget_class, "win.open-customer", "s", open_customer_action);
  gtk_widget_class_install_action (widget_class, "win.new-checkout-for-customer", "(ss)",
                                   new_checkout_for_customer_action);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-page", "s", page_names[i]);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
}

static void
np_window_init (NpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
}
