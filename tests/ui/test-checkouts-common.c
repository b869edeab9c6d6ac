/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-checkouts-common.c — what the Checkouts page's ui tests share. */
#include "config.h"

#include "test-checkouts-common.h"

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  /* What NpApplication sets up: the app's style (badge colours). */
  gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  /* Screenshots catch rows as they settle, not mid-animation. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* @data: the account's NpEnvironment (NULL: test). */
  f->tw = np_test_workspace_new (GPOINTER_TO_INT (data));
  f->page = g_object_new (NP_TYPE_CHECKOUTS_PAGE, "workspace", f->tw->workspace, NULL);
  f->window = app_present_in_window (GTK_WIDGET (f->page), GTK_WIDGET (f->page), 1280, 800, NULL, 0, NULL);
  gtk_window_set_title (f->window, "Neuro-Pay Console");
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

NpCheckoutDetail *
page_detail (Fixture *f)
{
  GtkStack *detail_stack = PAGE_CHILD (f, GtkStack, "detail_stack");
  GtkWidget *detail = gtk_stack_get_child_by_name (detail_stack, "checkout");

  return detail != NULL ? NP_CHECKOUT_DETAIL (detail) : NULL;
}

GtkSelectionModel *
page_selection (Fixture *f)
{
  return np_row_list_get_model (PAGE_CHILD (f, NpRowList, "list_view"));
}

NpCheckoutListModel *
page_model (Fixture *f)
{
  GtkSelectionModel *selection = page_selection (f);

  if (selection == NULL)
    return NULL;
  return NP_CHECKOUT_LIST_MODEL (gtk_multi_selection_get_model (GTK_MULTI_SELECTION (selection)));
}

gboolean
page_select (Fixture    *f,
             const char *checkout_id)
{
  int position = np_checkout_list_model_find (page_model (f), checkout_id);

  if (position < 0)
    return FALSE;
  return gtk_selection_model_select_item (page_selection (f), position, TRUE);
}

void
page_clear_filters (Fixture *f)
{
  gtk_editable_set_text (PAGE_CHILD (f, GtkEditable, "search_entry"), "");
  g_signal_emit_by_name (PAGE_CHILD (f, GtkSearchEntry, "search_entry"), "search-changed");
  gtk_drop_down_set_selected (PAGE_CHILD (f, GtkDropDown, "status_dropdown"), 0);
  gtk_drop_down_set_selected (PAGE_CHILD (f, GtkDropDown, "date_dropdown"), 0);
}

gboolean
page_is_working (Fixture *f)
{
  return gtk_revealer_get_reveal_child (PAGE_CHILD (f, GtkRevealer, "progress_revealer"));
}

gboolean
idle_pending (gpointer object)
{
  return g_main_context_find_source_by_user_data (NULL, object) != NULL;
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
  NpCheckoutDetail *detail = page_detail (wait->f);

  /* The page counts rows in a low-priority idle; its actions follow the count. */
  return detail != NULL && !idle_pending (wait->f->page) && !idle_pending (detail) &&
         g_strcmp0 (np_checkout_detail_get_checkout_id (detail), wait->checkout_id) == 0 &&
         np_checkout_detail_get_checkout (detail) != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (DETAIL_CHILD (detail, GtkStack, "stack")), "checkout") == 0;
}

void
select_checkout (Fixture    *f,
                 const char *checkout_id)
{
  Wait wait = { f, checkout_id, NULL };

  g_assert_true (page_select (f, checkout_id));
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
  return np_status_badge_get_status (DETAIL_CHILD (page_detail (f), NpStatusBadge, "status_badge"));
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

