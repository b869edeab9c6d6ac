/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-window.c — the main window: a sidebar of pages beside their content, and toasts.
 *
 * The window only arranges pages; each page asks the workspace for its data. The
 * header always says which account is in use and whether it is live (a pill and a
 * coloured header: a live account must be impossible to miss). Without any account
 * the first-run page covers the whole content. In team mode, the header says the
 * team ledger's state as it changes (online, connecting, offline) and the
 * content's subtitle says why while it is not online.
 * Size, maximized state and the last page are kept in GSettings.
 *
 * Pages are built when first shown, not with the window: building all four
 * before the first frame was most of the start-up (their templates, rows made
 * for the hidden pages' lists, and the stack measuring every page it holds).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-account-editor.h"
#include "np-application.h"
#include "np-toast.h"
#include "np-account-first-run-page.h"
#include "np-account-switcher.h"
#include "np-activity-page.h"
#include "np-checkout-detail.h"
#include "np-checkouts-page.h"
#include "np-customer-detail.h"
#include "np-feedback.h"
#include "np-customers-page.h"
#include "np-overview-page.h"
#include "np-checkout-icon.h"
#include "np-window.h"

struct _NpWindow
{
  AdwApplicationWindow  parent_instance;

  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar;
  GtkMenuButton        *primary_menu_button;
  GMenuModel           *primary_menu;
  GtkStack             *stack;
  AdwWindowTitle       *content_title;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  NpAccountFirstRunPage *first_run_page;  /* in main_stack once needed */
  NpAccountSwitcher    *account_switcher;
  AdwWindowTitle       *sidebar_title;
  GtkWidget            *sidebar_live_label;
  GtkWidget            *content_live_label;
  GtkWidget            *team_indicator;
  GtkLabel             *team_indicator_label;

  GtkWindow            *shortcuts_window;  /* once shown */

  GSettings            *settings;
  NpWorkspace          *workspace;
  GSignalGroup         *workspace_signals;
  GSignalGroup         *accounts_signals;
  GSignalGroup         *team_signals;  /* the workspace's team sync, when it has one */
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (NpWindow, np_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_WORKSPACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The sidebar's rows, in order. */
static const struct
{
  const char *name;
  const char *title;
  GType     (*get_type) (void);
} pages[] = {
  { "overview", N_("Overview"), np_overview_page_get_type },
  { "checkouts", N_("Checkouts"), np_checkouts_page_get_type },
  { "customers", N_("Customers"), np_customers_page_get_type },
  { "activity", N_("Activity"), np_activity_page_get_type },
};

NpWindow *
np_window_new (NpApplication *application)
{
  return g_object_new (NP_TYPE_WINDOW,
                       "application", application,
                       "workspace", np_application_get_workspace (application),
                       NULL);
}

NpWorkspace *
np_window_get_workspace (NpWindow *self)
{
  g_return_val_if_fail (NP_IS_WINDOW (self), NULL);

  return self->workspace;
}

/* The header: account name and environment, and the live pill and colours. */
static void
np_window_update_account (NpWindow *self)
{
  NpAccount *account = self->workspace ? np_workspace_get_account (self->workspace) : NULL;
  gboolean live = self->workspace != NULL && np_workspace_get_live (self->workspace);
  g_autofree char *subtitle = NULL;

  if (account != NULL)
    /* Translators: account name · environment, under the app name in the sidebar */
    subtitle = g_strdup_printf (_("%s · %s"), np_account_get_name (account),
                                live ? _("Live") : _("Test"));
  adw_window_title_set_subtitle (self->sidebar_title, subtitle ? subtitle : "");

  gtk_widget_set_visible (self->content_live_label, live);
  gtk_widget_set_visible (self->sidebar_live_label, live && adw_leaflet_get_folded (self->leaflet));
  if (live)
    gtk_widget_add_css_class (GTK_WIDGET (self), "np-live");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "np-live");
}

/* The team ledger's state: hidden on the local ledger; a quiet "Team ledger"
 * while online; otherwise a warning, and the sync's sentence (offline, and when
 * it tries again) as the content's subtitle, so it is read without a click. */
static void
np_window_update_team (NpWindow *self)
{
  g_autoptr(NpTeamSync) team_sync = g_signal_group_dup_target (self->team_signals);
  NpTeamState state = team_sync != NULL ? np_team_sync_get_state (team_sync) : NP_TEAM_STATE_OFF;
  const char *status = team_sync != NULL ? np_team_sync_get_status_text (team_sync) : NULL;
  const char *label = NULL;

  switch (state)
    {
    case NP_TEAM_STATE_ONLINE:
      label = _("Team ledger");
      break;
    case NP_TEAM_STATE_CONNECTING:
      label = _("Team ledger connecting…");
      break;
    case NP_TEAM_STATE_OFFLINE:
      label = _("Team ledger offline");
      break;
    case NP_TEAM_STATE_OFF:
    default:
      break;
    }

  gtk_widget_set_visible (self->team_indicator, label != NULL);
  gtk_label_set_text (self->team_indicator_label, label != NULL ? label : "");
  /* In a narrow window the header gives up the quiet "Team ledger" last: it is
   * never cut to "…". The longer warnings may be, since their sentence is the
   * subtitle under the title then. */
  gtk_label_set_ellipsize (self->team_indicator_label,
                           state == NP_TEAM_STATE_ONLINE ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (self->team_indicator, status);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->team_indicator),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label != NULL ? label : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status != NULL ? status : "",
                                  -1);
  if (state == NP_TEAM_STATE_OFFLINE)
    gtk_widget_add_css_class (self->team_indicator, "np-team-offline");
  else
    gtk_widget_remove_css_class (self->team_indicator, "np-team-offline");
  if (state == NP_TEAM_STATE_CONNECTING)
    gtk_widget_add_css_class (self->team_indicator, "np-team-connecting");
  else
    gtk_widget_remove_css_class (self->team_indicator, "np-team-connecting");

  adw_window_title_set_subtitle (self->content_title,
                                 state == NP_TEAM_STATE_OFFLINE || state == NP_TEAM_STATE_CONNECTING
                                 ? (status != NULL ? status : label) : "");
}

/* No account at all: the first run page, over the whole content. It is built
 * only then: most starts have an account. */
static void
np_window_update_first_run (NpWindow *self)
{
  gboolean first_run = TRUE;

  if (self->workspace != NULL)
    first_run = np_workspace_get_account (self->workspace) == NULL &&
                g_list_model_get_n_items (G_LIST_MODEL (np_workspace_get_accounts (self->workspace))) == 0;

  if (first_run && self->first_run_page == NULL)
    {
      np_application_add_icons ();
      self->first_run_page = g_object_new (NP_TYPE_ACCOUNT_FIRST_RUN_PAGE, NULL);
      np_account_first_run_page_set_workspace (self->first_run_page, self->workspace);
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->first_run_page), "first-run");
    }

  gtk_stack_set_visible_child_name (self->main_stack, first_run ? "first-run" : "console");
}

static void
on_workspace_account_changed (NpWindow *self)
{
  np_window_update_account (self);
  np_window_update_first_run (self);
}

/* Pages take the workspace through their "workspace" property; a page that does not
 * have one yet is left alone. */
static void
set_workspace_on (GObject     *page,
                  NpWorkspace *workspace)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (page), "workspace") != NULL)
    g_object_set (page, "workspace", workspace, NULL);
}

/* Where SQLite cannot share memory (a ledger on a network filesystem), it keeps
 * the rollback journal: the ledger is still correct, but a list waits while a
 * write commits. The person should know why, so it is said once per window. */
static void
np_window_tell_ledger_mode (NpWindow *self)
{
  AdwToast *toast;

  if (np_ledger_get_wal_active (np_workspace_get_ledger (self->workspace)))
    return;

  toast = np_toast_new (_("The ledger’s folder cannot keep a write-ahead log, as on a network drive: "
                          "the ledger works, but lists may wait while it saves"));
  adw_toast_set_timeout (toast, 0);
  np_window_add_toast (self, toast);
}

void
np_window_set_workspace (NpWindow    *self,
                         NpWorkspace *workspace)
{
  g_return_if_fail (NP_IS_WINDOW (self));
  g_return_if_fail (workspace == NULL || NP_IS_WORKSPACE (workspace));

  if (self->workspace == workspace)
    return;

  g_set_object (&self->workspace, workspace);
  g_signal_group_set_target (self->workspace_signals, workspace);
  g_signal_group_set_target (self->accounts_signals, workspace ? np_workspace_get_accounts (workspace) : NULL);

  for (GtkWidget *page = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       page != NULL;
       page = gtk_widget_get_next_sibling (page))
    set_workspace_on (G_OBJECT (page), workspace);
  np_account_switcher_set_workspace (self->account_switcher, workspace);
  if (self->first_run_page != NULL)
    np_account_first_run_page_set_workspace (self->first_run_page, workspace);

  g_signal_group_set_target (self->team_signals, workspace != NULL ? np_workspace_get_team_sync (workspace) : NULL);
  np_window_update_team (self);
  np_window_update_account (self);
  np_window_update_first_run (self);
  if (workspace != NULL)
    np_window_tell_ledger_mode (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
}

static int
page_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (g_strcmp0 (pages[i].name, name) == 0)
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

/* The page at @index of the sidebar, built the first time it is asked for. */
static GtkWidget *
np_window_ensure_page (NpWindow *self,
                       guint     index)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, pages[index].name);

  if (page != NULL)
    return page;

  page = g_object_new (pages[index].get_type (), NULL);
  set_workspace_on (G_OBJECT (page), self->workspace);
  gtk_stack_add_titled (self->stack, page, pages[index].name, _(pages[index].title));

  return page;
}

static void
on_sidebar_row_selected (NpWindow      *self,
                         GtkListBoxRow *row,
                         GtkListBox    *list_box)
{
  int index;

  if (row == NULL)
    return;

  index = gtk_list_box_row_get_index (row);
  gtk_stack_set_visible_child (self->stack, np_window_ensure_page (self, index));
  adw_window_title_set_title (self->content_title, _(pages[index].title));
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
  int index = page_index (name);

  g_return_val_if_fail (index >= 0, NULL);

  return np_window_ensure_page (self, index);
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

/* The customer display's "new sale" key: New Checkout here, in the last sale's currency. */
static void
new_sale_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  NpWindow *self = NP_WINDOW (widget);
  const char *currency = g_variant_get_string (parameter, NULL);

  np_window_show_page (self, "checkouts");
  gtk_window_present (GTK_WINDOW (self));
  np_checkouts_page_new_sale (get_page (self, "checkouts"), *currency ? currency : NULL);
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
on_switch_account_done (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!np_workspace_set_account_finish (NP_WORKSPACE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      NpWindow *self = user_data;  /* alive: the window's cancellable was not cancelled */
      g_autofree char *message = np_workspace_describe_error (error);
      AdwToast *toast = np_toast_new (message);

      adw_toast_set_timeout (toast, 0);
      np_window_add_toast (self, toast);
    }
}

static void
switch_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  NpWindow *self = NP_WINDOW (widget);
  NpAccount *account;

  if (self->workspace == NULL)
    return;

  account = np_accounts_find (np_workspace_get_accounts (self->workspace), g_variant_get_int64 (parameter));
  if (account == NULL || account == np_workspace_get_account (self->workspace))
    return;

  if (np_application_is_stopped_sandbox (NP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))),
                                         account))
    {
      np_application_start_sandbox (NP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
      return;
    }

  np_workspace_set_account_async (self->workspace, account, self->cancellable,
                                  on_switch_account_done, self);
}

static void
connect_account_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  NpWindow *self = NP_WINDOW (widget);
  NpAccountEditor *editor;

  if (self->workspace == NULL)
    return;

  editor = np_account_editor_new (NULL, self->workspace, NULL);
  np_feedback_present_dialog (GTK_WIDGET (self), GTK_WINDOW (editor));
}

/* The Shortcuts window, built the first time it is asked for: GtkApplication
 * would build it with every window (a few hundred widgets before the first frame). */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  NpWindow *self = NP_WINDOW (widget);

  if (self->shortcuts_window == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/np-shortcuts-window.ui");

      self->shortcuts_window = g_object_ref_sink (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
      gtk_window_set_transient_for (self->shortcuts_window, GTK_WINDOW (self));
      gtk_window_set_hide_on_close (self->shortcuts_window, TRUE);
      /* Its search toggle is an icon GTK 4.8 would have read as "GtkImage". */
      np_feedback_name_buttons (GTK_WIDGET (self->shortcuts_window));
    }

  gtk_window_present (self->shortcuts_window);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
customer_detail_shown (NpWindow *self)
{
  GtkWidget *detail = find_descendant (get_page (self, "customers"), NP_TYPE_CUSTOMER_DETAIL);

  return detail != NULL && gtk_widget_get_mapped (detail);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NpWindow *self = NP_WINDOW (widget);
  const char *page = np_window_get_page (self);

  /* Back within the page first (a customer's detail, a checkout's folded detail),
   * then from the page to the sidebar. */
  if (g_strcmp0 (page, "customers") == 0 && customer_detail_shown (self))
    {
      gtk_widget_activate_action (get_page (self, "customers"), "customers.back", NULL);
      return;
    }
  if (g_strcmp0 (page, "checkouts") == 0 &&
      np_checkouts_page_go_back (get_page (self, "checkouts")))
    return;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* The window-wide shortcuts: the application's accelerators name these window
 * actions, so they work wherever the focus is. Each hands the request to an action
 * the visible page (or its detail) already has; where the page has no such action,
 * or it is not available now, the window rings the bell. */
typedef struct
{
  const char *action;     /* win.<action> */
  const char *page;       /* the visible page it applies to, NULL for any */
  const char *target;     /* the page's action */
  gboolean    on_detail;  /* the action lives on the page's detail widget */
} NpShortcutRoute;

static const NpShortcutRoute shortcut_routes[] = {
  { "win.new", "customers", "customers.new", FALSE },
  { "win.new", NULL, "checkouts.new", FALSE },
  { "win.lookup", "customers", "customers.lookup", FALSE },
  { "win.lookup", NULL, "checkouts.lookup", FALSE },
  { "win.search", "checkouts", "checkouts.search", FALSE },
  { "win.search", "customers", "customers.focus-search", FALSE },
  { "win.search", "activity", "activity.search", FALSE },
  { "win.refresh", "checkouts", "checkouts.refresh", FALSE },
  { "win.refresh", "customers", "customers.refresh", FALSE },
  { "win.refund", "checkouts", "checkout.refund", TRUE },
  { "win.copy-id", "checkouts", "checkout.copy-id", TRUE },
  { "win.copy-id", "customers", "customer.copy-id", TRUE },
  { "win.copy-link", "checkouts", "checkout.copy-link", TRUE },
  { "win.copy-link", "customers", "customer.copy-link", TRUE },
  { "win.export", "checkouts", "checkouts.export", FALSE },
  { "win.export", "activity", "activity.export", FALSE },
};

static gboolean
route_shortcut (NpWindow              *self,
                const NpShortcutRoute *route)
{
  const char *page_name = route->page ? route->page : "checkouts";
  GtkWidget *page = get_page (self, page_name);
  GtkWidget *target = page;

  if (route->on_detail)
    {
      GType detail_type = g_str_equal (page_name, "checkouts") ? NP_TYPE_CHECKOUT_DETAIL
                                                                : NP_TYPE_CUSTOMER_DETAIL;

      target = find_descendant (page, detail_type);
      if (target == NULL || !gtk_widget_get_mapped (target))
        return FALSE;
    }

  /* "New" and "Look up" from another page go to the Checkouts page first. */
  if (route->page == NULL)
    np_window_show_page (self, page_name);

  return gtk_widget_activate_action (target, route->target, NULL);
}

static void
shortcut_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  NpWindow *self = NP_WINDOW (widget);
  const char *page = np_window_get_page (self);

  for (guint i = 0; i < G_N_ELEMENTS (shortcut_routes); i++)
    {
      const NpShortcutRoute *route = &shortcut_routes[i];

      if (!g_str_equal (route->action, action_name) ||
          (route->page != NULL && g_strcmp0 (route->page, page) != 0))
        continue;

      if (route_shortcut (self, route))
        return;
      break;
    }

  gtk_widget_error_bell (widget);
}

/* Accelerators are the application's, so the Shortcuts window and
 * gtk_application_get_actions_for_accel() know them; the window sets its own. */
static const struct
{
  const char *action;
  const char *accels[3];
} window_accels[] = {
  { "win.new", { "<Control>n", NULL } },
  { "win.lookup", { "<Control>l", NULL } },
  { "win.search", { "<Control>f", NULL } },
  { "win.refresh", { "F5", "<Control>r", NULL } },
  { "win.refund", { "<Control><Shift>r", NULL } },
  { "win.copy-id", { "<Control><Shift>c", NULL } },
  { "win.copy-link", { "<Control><Shift>l", NULL } },
  { "win.export", { "<Control><Shift>e", NULL } },
  { "win.back", { "<Alt>Left", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
  { "win.show-page('overview')", { "<Alt>1", NULL } },
  { "win.show-page('checkouts')", { "<Alt>2", NULL } },
  { "win.show-page('customers')", { "<Alt>3", NULL } },
  { "win.show-page('activity')", { "<Alt>4", NULL } },
};

static void
np_window_set_accels (NpWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (application == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (window_accels); i++)
    gtk_application_set_accels_for_action (application, window_accels[i].action, window_accels[i].accels);
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

  /* After the workspace (a construct property): whether the first-run page is
   * needed depends on it. */
  np_window_update_first_run (self);
  np_window_restore_state (self);
}

static void
np_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  NpWindow *self = NP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  NpWindow *self = NP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      np_window_set_workspace (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_window_dispose (GObject *object)
{
  NpWindow *self = NP_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->workspace_signals);
  g_clear_object (&self->accounts_signals);
  g_clear_object (&self->team_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), NP_TYPE_WINDOW);
  self->first_run_page = NULL;  /* was main_stack's */
  if (self->shortcuts_window != NULL)
    gtk_window_destroy (self->shortcuts_window);
  g_clear_object (&self->shortcuts_window);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);
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
  object_class->get_property = np_window_get_property;
  object_class->set_property = np_window_set_property;
  window_class->close_request = np_window_close_request;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL,
                         NP_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NP_TYPE_ACCOUNT_SWITCHER);
  g_type_ensure (NP_TYPE_CHECKOUT_ICON);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/np-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NpWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, account_switcher);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, sidebar_live_label);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, content_live_label);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, team_indicator);
  gtk_widget_class_bind_template_child (widget_class, NpWindow, team_indicator_label);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
  gtk_widget_class_install_action (widget_class, "win.switch-account", "x", switch_account_action);
  gtk_widget_class_install_action (widget_class, "win.connect-account", NULL, connect_account_action);
  gtk_widget_class_install_action (widget_class, "win.open-checkout", "s", open_checkout_action);
  gtk_widget_class_install_action (widget_class, "win.open-customer", "s", open_customer_action);
  gtk_widget_class_install_action (widget_class, "win.new-checkout-for-customer", "(ss)",
                                   new_checkout_for_customer_action);
  gtk_widget_class_install_action (widget_class, "win.new-sale", "s", new_sale_action);

  for (guint i = 0; i < G_N_ELEMENTS (shortcut_routes); i++)
    if (i == 0 || !g_str_equal (shortcut_routes[i].action, shortcut_routes[i - 1].action))
      gtk_widget_class_install_action (widget_class, shortcut_routes[i].action, NULL, shortcut_action);

  /* Also as bindings, for a window without an application (Alt+1..4, Alt+Left). */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-page", "s", pages[i].name);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
}

/* GtkMenuButton builds the whole GtkPopoverMenu when it is given its model (4.5 M
 * instructions, a tenth of the window's template): given on the first opening
 * instead, by a click, F10 or the accessible "activate". */
static void
create_primary_menu (GtkMenuButton *button,
                     gpointer       user_data)
{
  NpWindow *self = user_data;

  gtk_menu_button_set_menu_model (button, self->primary_menu);
}

static void
np_window_init (NpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->primary_menu_button, create_primary_menu, self, NULL);

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();

  /* What the window follows, connected once; set_workspace () only moves the targets. */
  self->workspace_signals = g_signal_group_new (NP_TYPE_WORKSPACE);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::account",
                                  G_CALLBACK (on_workspace_account_changed), self);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::live", G_CALLBACK (np_window_update_account), self);
  self->accounts_signals = g_signal_group_new (NP_TYPE_ACCOUNTS);
  g_signal_group_connect_swapped (self->accounts_signals, "items-changed", G_CALLBACK (np_window_update_first_run), self);
  self->team_signals = g_signal_group_new (NP_TYPE_TEAM_SYNC);
  g_signal_group_connect_swapped (self->team_signals, "notify::state", G_CALLBACK (np_window_update_team), self);
  g_signal_group_connect_swapped (self->team_signals, "notify::status-text", G_CALLBACK (np_window_update_team), self);

  /* "application" is not a construct property: it is set after constructed(). */
  g_signal_connect (self, "notify::application", G_CALLBACK (np_window_set_accels), NULL);
  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (np_window_update_account), self, G_CONNECT_SWAPPED);
}
