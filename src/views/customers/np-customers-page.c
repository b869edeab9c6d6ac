/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customers-page.c — the Customers page of the main window.
 *
 * The API cannot list customers, so the list is the ledger's memory of the ones
 * this console created, looked up or imported. A search narrows it on every
 * keystroke (the query runs in the ledger); activating a row opens the detail.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-bin-page.h"
#include "np-customer-detail.h"
#include "np-feedback.h"
#include "np-customer-dialog.h"
#include "np-customer-list-model.h"
#include "np-customer-lookup-dialog.h"
#include "np-customers-page.h"

struct _NpCustomersPage
{
  AdwBin               parent_instance;

  NpWorkspace         *workspace;
  GSignalGroup        *workspace_signals;
  GSignalGroup        *model_signals;
  NpCustomerListModel *model;
  GtkSingleSelection  *selection;
  GCancellable        *cancellable;
  gboolean             refreshing;

  GtkStack            *stack;
  GtkStack            *list_stack;
  GtkSearchEntry      *search_entry;
  GtkColumnView       *column_view;
  GtkProgressBar      *progress_bar;
  NpCustomerDetail    *detail;
};

G_DEFINE_FINAL_TYPE (NpCustomersPage, np_customers_page, ADW_TYPE_BIN)

static void bind_list_when_shown (NpCustomersPage *self);

enum {
  PROP_0,
  PROP_WORKSPACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
np_customers_page_update_stacks (NpCustomersPage *self)
{
  gboolean has_account = self->workspace != NULL && np_workspace_get_account_id (self->workspace) != 0;
  const char *text;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customers.new", has_account);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customers.lookup", has_account);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customers.import", has_account);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customers.refresh", has_account && !self->refreshing);

  if (!has_account)
    {
      gtk_stack_set_visible_child_name (self->stack, "no-account");
      return;
    }

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "no-account") == 0)
    gtk_stack_set_visible_child_name (self->stack, "list");

  text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "columns");
  else if (text != NULL && *text != '\0')
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

static void
on_account_changed (NpCustomersPage *self)
{
  gint64 account_id = np_workspace_get_account_id (self->workspace);

  np_ledger_list_model_set_account_id (NP_LEDGER_LIST_MODEL (self->model), account_id);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "detail") == 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  np_customer_detail_set_customer_id (self->detail, NULL);
  np_customers_page_update_stacks (self);
}

static void
on_search_changed (NpCustomersPage *self)
{
  g_autoptr(NpCustomerQuery) query = NULL;

  if (self->model == NULL)
    return;

  query = np_customer_query_copy (np_customer_list_model_get_query (self->model));
  np_customer_query_set_text (query, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  np_customer_list_model_set_query (self->model, query);
  np_customers_page_update_stacks (self);
}

static void
np_customers_page_open_detail (NpCustomersPage *self,
                               const char      *customer_id)
{
  np_customer_detail_set_customer_id (self->detail, customer_id);
  gtk_stack_set_visible_child_name (self->stack, "detail");
}

static void
on_column_view_activate (NpCustomersPage *self,
                         guint            position)
{
  g_autoptr(NpCustomerRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (row != NULL)
    np_customers_page_open_detail (self, np_customer_row_get_customer_id (row));
}

static void
on_lookup_finished (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(NpCustomersPage) self = user_data;
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;

  customer = np_workspace_customer_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED))
    return;

  if (customer == NULL)
    {
      g_autofree char *text = np_workspace_describe_error (error);

      np_feedback_toast (GTK_WIDGET (self), text);
      return;
    }

  np_customers_page_open_detail (self, np_customer_get_id (customer));
}

void
np_customers_page_show_customer (NpCustomersPage *self,
                                 const char      *customer_id)
{
  g_autoptr(NpCustomerRow) row = NULL;
  gint64 account_id;

  g_return_if_fail (NP_IS_CUSTOMERS_PAGE (self));
  g_return_if_fail (customer_id != NULL);

  if (self->workspace == NULL || (account_id = np_workspace_get_account_id (self->workspace)) == 0)
    return;

  row = np_ledger_get_customer_row (np_workspace_get_ledger (self->workspace), account_id, customer_id, NULL);
  if (row != NULL && np_customer_row_get_retrieved (row))
    {
      np_customers_page_open_detail (self, customer_id);
      return;
    }

  /* Never seen (or only imported): ask the server before showing anything. */
  np_workspace_lookup_customer_async (self->workspace, customer_id, self->cancellable,
                                      on_lookup_finished, g_object_ref (self));
}

NpWorkspace *
np_customers_page_get_workspace (NpCustomersPage *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMERS_PAGE (self), NULL);

  return self->workspace;
}

static void
on_items_changed (NpCustomersPage *self)
{
  np_customers_page_update_stacks (self);
}

void
np_customers_page_set_workspace (NpCustomersPage *self,
                                 NpWorkspace     *workspace)
{
  g_return_if_fail (NP_IS_CUSTOMERS_PAGE (self));
  g_return_if_fail (workspace == NULL || NP_IS_WORKSPACE (workspace));

  if (self->workspace == workspace)
    return;

  g_signal_group_set_target (self->model_signals, NULL);
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);

  g_set_object (&self->workspace, workspace);

  if (workspace != NULL)
    {
      g_autoptr(NpCustomerQuery) query = np_customer_query_new ();

      np_customer_query_set_text (query, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      self->model = np_customer_list_model_new (np_workspace_get_ledger (workspace),
                                                np_workspace_get_account_id (workspace),
                                                query);
      self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
      gtk_single_selection_set_autoselect (self->selection, FALSE);
      gtk_single_selection_set_can_unselect (self->selection, TRUE);
      bind_list_when_shown (self);
    }
  g_signal_group_set_target (self->model_signals, self->model);
  g_signal_group_set_target (self->workspace_signals, workspace);

  np_customers_page_update_stacks (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
}

static void
on_customer_created (NpCustomersPage *self,
                     NpCustomer      *customer)
{
  g_autofree char *name = np_customer_dup_display_name (customer);
  g_autofree char *text = g_strdup_printf (_("Created %s"), name);

  np_feedback_toast (GTK_WIDGET (self), text);
  np_customers_page_open_detail (self, np_customer_get_id (customer));
}

static void
new_customer_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NpCustomersPage *self = NP_CUSTOMERS_PAGE (widget);
  NpCustomerDialog *dialog;

  dialog = np_customer_dialog_new (NULL, self->workspace);
  g_signal_connect_object (dialog, "created", G_CALLBACK (on_customer_created), self, G_CONNECT_SWAPPED);
  np_feedback_present_dialog (GTK_WIDGET (self), GTK_WINDOW (dialog));
}

static void
on_customer_found (NpCustomersPage *self,
                   const char      *customer_id)
{
  np_customers_page_open_detail (self, customer_id);
}

static void
on_customers_imported (NpCustomersPage *self,
                       const char      *summary)
{
  np_feedback_toast (GTK_WIDGET (self), summary);
}

static void
lookup_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpCustomersPage *self = NP_CUSTOMERS_PAGE (widget);
  NpCustomerLookupMode mode;
  NpCustomerLookupDialog *dialog;

  mode = g_str_equal (action_name, "customers.import") ? NP_CUSTOMER_LOOKUP_MODE_IMPORT
                                                         : NP_CUSTOMER_LOOKUP_MODE_LOOKUP;
  dialog = np_customer_lookup_dialog_new (NULL, self->workspace, mode);
  g_signal_connect_object (dialog, "found", G_CALLBACK (on_customer_found), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (on_customers_imported), self, G_CONNECT_SWAPPED);
  np_feedback_present_dialog (GTK_WIDGET (self), GTK_WINDOW (dialog));
}

static void
on_refresh_finished (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(NpCustomersPage) self = user_data;
  g_autoptr(NpRefreshSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  summary = np_workspace_refresh_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->refreshing = FALSE;
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  np_customers_page_update_stacks (self);

  text = summary != NULL ? np_refresh_summary_describe (summary) : np_workspace_describe_error (error);
  np_feedback_toast (GTK_WIDGET (self), text);
}

static gboolean
pulse_progress (gpointer user_data)
{
  NpCustomersPage *self = user_data;

  if (!self->refreshing)
    return G_SOURCE_REMOVE;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  NpCustomersPage *self = NP_CUSTOMERS_PAGE (widget);

  if (self->refreshing || self->workspace == NULL)
    return;

  /* Saved cards change on the client page, out of our sight: only a refresh sees them. */
  self->refreshing = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 150, pulse_progress, g_object_ref (self), g_object_unref);
  np_customers_page_update_stacks (self);
  np_workspace_refresh_customers_async (self->workspace, NULL, self->cancellable,
                                        on_refresh_finished, g_object_ref (self));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NpCustomersPage *self = NP_CUSTOMERS_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, "list");
  np_customers_page_update_stacks (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NpCustomersPage *self = NP_CUSTOMERS_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Cells: one GtkInscription per cell, filled in bind only. */
typedef enum {
  COLUMN_NAME,
  COLUMN_EMAIL,
  COLUMN_ID,
  COLUMN_CARDS,
  COLUMN_CHECKOUTS,
  COLUMN_CREATED,
} CustomerColumn;

/* The created time in UTC, for the row @user_data (a GtkListItem) shows. */
static gboolean
query_created_tooltip (GtkWidget  *cell,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  NpCustomerRow *row = gtk_list_item_get_item (GTK_LIST_ITEM (user_data));
  g_autofree char *utc = NULL;

  if (row == NULL || np_customer_row_get_created (row) == NULL)
    return FALSE;

  utc = g_date_time_format_iso8601 (np_customer_row_get_created (row));
  gtk_tooltip_set_text (tooltip, utc);
  return TRUE;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkInscription *inscription = GTK_INSCRIPTION (gtk_inscription_new (NULL));

  switch ((CustomerColumn) GPOINTER_TO_INT (user_data))
    {
    case COLUMN_ID:
      /* Ids are read out over the phone: never cut them. */
      gtk_inscription_set_min_chars (inscription, 34);
      gtk_inscription_set_nat_chars (inscription, 36);
      break;
    case COLUMN_CARDS:
    case COLUMN_CHECKOUTS:
      gtk_inscription_set_min_chars (inscription, 4);
      gtk_inscription_set_nat_chars (inscription, 8);
      gtk_inscription_set_xalign (inscription, 1.0);
      break;
    default:
      gtk_inscription_set_min_chars (inscription, 8);
      gtk_inscription_set_nat_chars (inscription, 20);
      break;
    }

  /* Asked for once here and answered when shown: in GTK 4.8 setting a tooltip
   * text in bind costs a synchronous X round trip per cell. */
  if ((CustomerColumn) GPOINTER_TO_INT (user_data) == COLUMN_CREATED)
    {
      gtk_widget_set_has_tooltip (GTK_WIDGET (inscription), TRUE);
      g_signal_connect_object (inscription, "query-tooltip", G_CALLBACK (query_created_tooltip), item, 0);
    }
  gtk_list_item_set_child (item, GTK_WIDGET (inscription));
}

static char *
format_local_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;

  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%x %X");
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  NpCustomersPage *self = g_object_get_data (G_OBJECT (factory), "page");
  NpCustomerRow *row = gtk_list_item_get_item (item);
  GtkInscription *cell = GTK_INSCRIPTION (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  switch ((CustomerColumn) GPOINTER_TO_INT (user_data))
    {
    case COLUMN_NAME:
      if (np_customer_row_get_deleted (row))
        text = g_strdup_printf (_("%s (deleted)"), np_customer_row_get_display_name (row));
      else if (!np_customer_row_get_retrieved (row))
        text = g_strdup (_("Not retrieved yet"));
      else
        text = g_strdup (np_customer_row_get_display_name (row));
      break;
    case COLUMN_EMAIL:
      text = g_strdup (np_customer_row_get_email (row));
      break;
    case COLUMN_ID:
      text = g_strdup (np_customer_row_get_customer_id (row));
      break;
    case COLUMN_CARDS:
      {
        /* The row carries no card count; the stored customer does. Only visible rows bind. */
        g_autoptr(NpCustomer) customer = NULL;

        if (self->workspace != NULL)
          customer = np_ledger_get_customer (np_workspace_get_ledger (self->workspace),
                                             np_customer_row_get_account_id (row),
                                             np_customer_row_get_customer_id (row), NULL);
        if (customer != NULL)
          text = g_strdup_printf ("%u", np_customer_get_saved_cards (customer)->len);
      }
      break;
    case COLUMN_CHECKOUTS:
      text = g_strdup_printf ("%u", np_customer_row_get_checkout_count (row));
      break;
    case COLUMN_CREATED:
      text = format_local_time (np_customer_row_get_created (row));
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_inscription_set_text (cell, text);
}

static void
np_customers_page_add_column (NpCustomersPage *self,
                              const char      *title,
                              CustomerColumn   column,
                              gboolean         expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_object_set_data (G_OBJECT (factory), "page", self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (column));

  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
}

static void
np_customers_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  NpCustomersPage *self = NP_CUSTOMERS_PAGE (object);

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
np_customers_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  NpCustomersPage *self = NP_CUSTOMERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      np_customers_page_set_workspace (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The list gets its rows when it is first shown: at start-up, with another
 * page in front, making row widgets for it only delays the first frame. Until
 * then the view has an empty model of the same item type. */
static void
bind_list_when_shown (NpCustomersPage *self)
{
  GtkSelectionModel *shown = gtk_column_view_get_model (self->column_view);

  if (self->selection == NULL || shown == GTK_SELECTION_MODEL (self->selection))
    return;

  if (gtk_widget_get_mapped (GTK_WIDGET (self->column_view)))
    gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  else if (shown == NULL)
    {
      g_autoptr(GtkNoSelection) none = gtk_no_selection_new (G_LIST_MODEL (g_list_store_new (NP_TYPE_CUSTOMER_ROW)));

      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (none));
    }
}

static void
np_customers_page_dispose (GObject *object)
{
  NpCustomersPage *self = NP_CUSTOMERS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  self->refreshing = FALSE;
  g_clear_object (&self->workspace_signals);
  g_clear_object (&self->model_signals);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);

  np_bin_page_dispose_template (ADW_BIN (object), NP_TYPE_CUSTOMERS_PAGE);

  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (np_customers_page_parent_class)->dispose (object);
}

static void
np_customers_page_class_init (NpCustomersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_customers_page_dispose;
  object_class->get_property = np_customers_page_get_property;
  object_class->set_property = np_customers_page_set_property;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, NP_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NP_TYPE_CUSTOMER_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/customers/np-customers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NpCustomersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, NpCustomersPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, NpCustomersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, NpCustomersPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, NpCustomersPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, NpCustomersPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate);

  gtk_widget_class_install_action (widget_class, "customers.new", NULL, new_customer_action);
  gtk_widget_class_install_action (widget_class, "customers.lookup", NULL, lookup_action);
  gtk_widget_class_install_action (widget_class, "customers.import", NULL, lookup_action);
  gtk_widget_class_install_action (widget_class, "customers.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "customers.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "customers.focus-search", NULL, focus_search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "customers.lookup", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "customers.focus-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "customers.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "customers.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "customers.back", NULL);
}

static void
np_customers_page_init (NpCustomersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  /* What the page follows, connected once; set_workspace () only moves the targets. */
  self->workspace_signals = g_signal_group_new (NP_TYPE_WORKSPACE);
  g_signal_group_connect_swapped (self->workspace_signals, "notify::account", G_CALLBACK (on_account_changed), self);
  self->model_signals = g_signal_group_new (NP_TYPE_CUSTOMER_LIST_MODEL);
  g_signal_group_connect_swapped (self->model_signals, "items-changed", G_CALLBACK (on_items_changed), self);

  np_customers_page_add_column (self, _("Name"), COLUMN_NAME, TRUE);
  np_customers_page_add_column (self, _("Email"), COLUMN_EMAIL, TRUE);
  np_customers_page_add_column (self, _("Id"), COLUMN_ID, FALSE);
  np_customers_page_add_column (self, _("Saved Cards"), COLUMN_CARDS, FALSE);
  np_customers_page_add_column (self, _("Checkouts"), COLUMN_CHECKOUTS, FALSE);
  np_customers_page_add_column (self, _("Created"), COLUMN_CREATED, FALSE);
  g_signal_connect_object (self->column_view, "map", G_CALLBACK (bind_list_when_shown), self, G_CONNECT_SWAPPED);

  np_customers_page_update_stacks (self);
}
