/* test-customers.c — the Customers page against the real sandbox, ledger and keyring.
 *
 * The page sits in a real window and is driven through its widgets and actions:
 * create a customer through the form (a bad address refused inline), find it in
 * the list and by search, open it, have a card saved by paying on the sandbox's
 * payment page, see the card after a refresh, charge the card from the detail,
 * and delete the customer.
 */
#include "config.h"

#include <adwaita.h>

#include "np-customer-detail.h"
#include "np-customer-dialog.h"
#include "np-customers-page.h"
#include "np-status-badge.h"
#include "np-test-sandbox.h"
#include "np-test-utils.h"
#include "np-test-workspace.h"

#define TIMEOUT_MS 15000

typedef struct {
  NpTestWorkspace *tw;
  GtkWindow       *window;
  NpCustomersPage *page;
  char            *requested_customer;   /* what win.new-checkout-for-customer was given */
  char            *requested_card;
  NpCheckout      *created_checkout;
} Fixture;

/* Widget tree helpers ---------------------------------------------------------- */

typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget     *root,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
match_type (GtkWidget *widget, gconstpointer data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

static gboolean
match_row_title (GtkWidget *widget, gconstpointer data)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
match_row_title_contains (GtkWidget *widget, gconstpointer data)
{
  return ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_get_mapped (widget) &&
         strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) != NULL;
}

static gboolean
match_action (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
match_inscription_text (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_INSCRIPTION (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), data) == 0;
}

static gboolean
match_plain_list_row (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_LIST_BOX_ROW (widget) && !ADW_IS_PREFERENCES_ROW (widget);
}

static gboolean
match_named (GtkWidget *widget, gconstpointer data)
{
  return g_strcmp0 (gtk_widget_get_name (widget), data) == 0;
}

static gboolean
match_label_class (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, data) &&
         gtk_widget_get_mapped (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0';
}

static GtkWindow *
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

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

typedef struct {
  GtkWidget     *widget;
  GskRenderNode *node;
} Shot;

static gboolean
snapshot_taken (gpointer data)
{
  Shot *shot = data;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  int width = gtk_widget_get_width (shot->widget);
  int height = gtk_widget_get_height (shot->widget);

  if (width <= 0 || height <= 0)
    return FALSE;

  paintable = gtk_widget_paintable_new (shot->widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  shot->node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  return shot->node != NULL;
}

/* When NP_SCREENSHOT_DIR is set, @widget's window as it looks now, for the README. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("NP_SCREENSHOT_DIR");
  GtkWidget *native = GTK_WIDGET (gtk_widget_get_native (widget));
  Shot shot = { native, NULL };
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  graphene_rect_t bounds;

  if (dir == NULL || *dir == '\0')
    return;

  /* Until the window has been laid out and drawn with its latest state. */
  np_test_wait_until (snapshot_taken, &shot, TIMEOUT_MS, "a frame to snapshot");
  gsk_render_node_get_bounds (shot.node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (native)), shot.node, &bounds);
  gsk_render_node_unref (shot.node);
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  *(guint *) data += 1;
  return G_SOURCE_CONTINUE;
}

static gboolean
two_frames_drawn (gpointer data)
{
  return *(guint *) data >= 2;
}

/* Scrolls @widget's scrolled window to its end and waits until that has been drawn. */
static void
scroll_to_end (GtkWidget *widget)
{
  GtkWidget *scroller = find_widget (widget, match_type, GSIZE_TO_POINTER (GTK_TYPE_SCROLLED_WINDOW));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  guint frames = 0;
  guint tick;

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  tick = gtk_widget_add_tick_callback (scroller, on_tick, &frames, NULL);
  gtk_widget_queue_draw (scroller);
  np_test_wait_until (two_frames_drawn, &frames, TIMEOUT_MS, "the scrolled page to be drawn");
  gtk_widget_remove_tick_callback (scroller, tick);
}

/* The window's action, as NpWindow has it: the Checkouts page opens its form from it. */
static void
on_checkout_created (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  f->created_checkout = np_workspace_checkout_finish (NP_WORKSPACE (source), result, &error);
  g_assert_no_error (error);
}

static void
new_checkout_for_customer (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  Fixture *f = user_data;
  g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();
  const char *customer_id, *card_id;

  g_variant_get (parameter, "(&s&s)", &customer_id, &card_id);
  g_free (f->requested_customer);
  g_free (f->requested_card);
  f->requested_customer = g_strdup (customer_id);
  f->requested_card = g_strdup (card_id);

  /* What the Checkouts page's form sends for these arguments. */
  draft->amount = *card_id != '\0' ? 4200 : 12500;
  draft->currency = g_strdup ("SEK");
  draft->message = g_strdup (*card_id != '\0' ? "Monthly box" : "First order");
  draft->customer_id = g_strdup (customer_id);
  draft->card_id = *card_id != '\0' ? g_strdup (card_id) : NULL;
  draft->allow_save_card = TRUE;
  draft->capture = TRUE;
  g_clear_object (&f->created_checkout);
  np_workspace_create_checkout_async (f->tw->workspace, draft, NULL, on_checkout_created, f);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const GActionEntry win_actions[] = {
    { "new-checkout-for-customer", new_checkout_for_customer, "(ss)", NULL, NULL, { 0 } },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

  f->tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 760);
  f->page = g_object_new (NP_TYPE_CUSTOMERS_PAGE, "workspace", f->tw->workspace, NULL);
  /* No toast overlay: toasts are not asserted, and would cover the screenshots. */
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));

  g_action_map_add_action_entries (G_ACTION_MAP (group), win_actions, G_N_ELEMENTS (win_actions), f);
  gtk_widget_insert_action_group (GTK_WIDGET (f->window), "win", G_ACTION_GROUP (group));

  gtk_window_present (f->window);
  np_test_wait_until (widget_mapped, f->page, TIMEOUT_MS, "the customers page to map");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->created_checkout);
  g_clear_pointer (&f->requested_customer, g_free);
  g_clear_pointer (&f->requested_card, g_free);
  g_clear_pointer (&f->tw, np_test_workspace_free);
}

/* Form ------------------------------------------------------------------------ */

static NpCustomerDialog *
open_new_customer_form (Fixture *f)
{
  GtkWidget *button = find_widget (GTK_WIDGET (f->page), match_action, "customers.new");

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  np_test_wait_until (toplevel_mapped, GSIZE_TO_POINTER (NP_TYPE_CUSTOMER_DIALOG), TIMEOUT_MS, "the form to open");
  return NP_CUSTOMER_DIALOG (find_toplevel (NP_TYPE_CUSTOMER_DIALOG));
}

static void
set_row_text (GtkWidget  *form,
              const char *title,
              const char *text)
{
  GtkWidget *row = find_widget (form, match_row_title, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static gboolean
page_lists_n (gpointer data)
{
  Fixture *f = data;
  GtkWidget *view = find_widget (GTK_WIDGET (f->page), match_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)));
  guint expected = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->page), "expected-n"));

  return g_list_model_get_n_items (model) == expected;
}

static void
wait_for_list_of (Fixture *f,
                  guint    n)
{
  g_object_set_data (G_OBJECT (f->page), "expected-n", GUINT_TO_POINTER (n));
  np_test_wait_until (page_lists_n, f, TIMEOUT_MS, "the list to show the expected customers");
}

static char *
create_customer_through_form (Fixture    *f,
                              const char *first,
                              const char *last,
                              const char *email,
                              const char *crm_id)
{
  NpCustomerDialog *form = open_new_customer_form (f);
  GtkWidget *create = find_widget (GTK_WIDGET (form), match_action, "customer-dialog.create");
  NpCustomerDetail *detail;

  set_row_text (GTK_WIDGET (form), "First Name", first);
  set_row_text (GTK_WIDGET (form), "Last Name", last);
  set_row_text (GTK_WIDGET (form), "Email", email);
  if (crm_id != NULL)
    {
      GtkWidget *key, *value, *row;

      gtk_widget_activate_action (GTK_WIDGET (form), "customer-dialog.add-metadata", NULL);
      row = find_widget (GTK_WIDGET (form), match_plain_list_row, NULL);
      key = find_widget (row, match_type, GSIZE_TO_POINTER (GTK_TYPE_ENTRY));
      value = gtk_widget_get_next_sibling (key);
      gtk_editable_set_text (GTK_EDITABLE (key), "crmId");
      gtk_editable_set_text (GTK_EDITABLE (value), crm_id);
    }

  g_assert_true (gtk_widget_is_sensitive (create));
  g_signal_emit_by_name (create, "clicked");
  np_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (NP_TYPE_CUSTOMER_DIALOG), TIMEOUT_MS, "the form to close");

  /* A created customer opens in the detail. */
  detail = NP_CUSTOMER_DETAIL (find_widget (GTK_WIDGET (f->page), match_type, GSIZE_TO_POINTER (NP_TYPE_CUSTOMER_DETAIL)));
  g_assert_nonnull (np_customer_detail_get_customer_id (detail));
  return g_strdup (np_customer_detail_get_customer_id (detail));
}

static void
test_form_rejects_bad_email (Fixture       *f,
                             gconstpointer  data)
{
  NpCustomerDialog *form = open_new_customer_form (f);
  GtkWidget *create = find_widget (GTK_WIDGET (form), match_action, "customer-dialog.create");
  GtkWidget *email_row = find_widget (GTK_WIDGET (form), match_row_title, "Email");
  GtkWidget *message;

  g_assert_nonnull (create);
  g_assert_false (gtk_widget_is_sensitive (create));   /* nothing typed yet */

  set_row_text (GTK_WIDGET (form), "First Name", "Grace");
  set_row_text (GTK_WIDGET (form), "Last Name", "Hopper");
  set_row_text (GTK_WIDGET (form), "Email", "grace.example.com");

  /* Refused at the field, before anything is sent. */
  g_assert_true (gtk_widget_has_css_class (email_row, "error"));
  message = find_widget (GTK_WIDGET (form), match_label_class, "error");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "email address"));
  g_assert_false (gtk_widget_is_sensitive (create));
  gtk_widget_activate_action (GTK_WIDGET (form), "customer-dialog.create", NULL);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/create-customer"), ==, 0);

  set_row_text (GTK_WIDGET (form), "Email", "grace@navy.example");
  g_assert_false (gtk_widget_has_css_class (email_row, "error"));
  g_assert_true (gtk_widget_is_sensitive (create));

  g_assert_true (np_customer_email_is_valid ("a.b+c@d.example"));
  g_assert_false (np_customer_email_is_valid ("a@b"));
  g_assert_false (np_customer_email_is_valid ("a b@c.example"));
  g_assert_false (np_customer_email_is_valid ("@c.example"));
  g_assert_false (np_customer_email_is_valid ("a@@c.example"));

  gtk_window_close (GTK_WINDOW (form));
  np_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (NP_TYPE_CUSTOMER_DIALOG), TIMEOUT_MS, "the form to close");
}

/* The whole life of a customer --------------------------------------------------- */

typedef struct {
  GtkWidget  *root;
  WidgetMatch match;
  const char *data;
} Lookup;

static gboolean
lookup_found (gpointer data)
{
  Lookup *lookup = data;

  return find_widget (lookup->root, lookup->match, lookup->data) != NULL;
}

static GtkWidget *
wait_for_widget (GtkWidget  *root,
                 WidgetMatch match,
                 const char *data,
                 const char *what)
{
  Lookup lookup = { root, match, data };

  np_test_wait_until (lookup_found, &lookup, TIMEOUT_MS, what);
  return find_widget (root, match, data);
}

static gboolean
checkout_created (gpointer data)
{
  return ((Fixture *) data)->created_checkout != NULL;
}

static gboolean
badge_says (gpointer data)
{
  GtkWidget *row = data;
  GtkWidget *badge = find_widget (row, match_type, GSIZE_TO_POINTER (NP_TYPE_STATUS_BADGE));

  return badge != NULL && g_strcmp0 (np_status_badge_get_status (NP_STATUS_BADGE (badge)),
                                     g_object_get_data (G_OBJECT (row), "expected-status")) == 0;
}

static GtkWidget *
wait_for_checkout_status (GtkWidget  *detail,
                          const char *checkout_id,
                          const char *status)
{
  GtkWidget *row = wait_for_widget (detail, match_named, checkout_id, "the checkout in the customer's list");

  /* Rows are replaced when the ledger changes: look again until the badge says it. */
  for (guint i = 0; i < 100; i++)
    {
      row = wait_for_widget (detail, match_named, checkout_id, "the checkout in the customer's list");
      g_object_set_data (G_OBJECT (row), "expected-status", (gpointer) status);
      if (badge_says (row))
        return row;
      g_main_context_iteration (NULL, TRUE);
    }

  g_assert_true (badge_says (row));
  return row;
}

static gboolean
label_visible (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

typedef struct {
  NpLedger   *ledger;
  gint64      account_id;
  const char *customer_id;
} DeletedCheck;

static gboolean
ledger_marks_deleted (gpointer data)
{
  DeletedCheck *check = data;
  g_autoptr(NpCustomerRow) row = np_ledger_get_customer_row (check->ledger, check->account_id, check->customer_id, NULL);

  return row != NULL && np_customer_row_get_deleted (row);
}

static void
test_customer_life (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *ada = NULL;
  g_autofree char *alan = NULL;
  g_autofree char *paid_id = NULL;
  GtkWidget *detail, *search, *view, *card_row, *charge, *error_label;
  NpLedger *ledger = f->tw->ledger;
  gint64 account_id = np_workspace_get_account_id (f->tw->workspace);
  g_autoptr(NpJournalQuery) journal_query = np_journal_query_new ();
  g_autoptr(GPtrArray) journal = NULL;
  g_autoptr(NpCustomer) stored = NULL;
  DeletedCheck deleted_check;
  AdwMessageDialog *confirm;

  /* Two customers through the form; each opens in the detail, then back to the list. */
  ada = create_customer_through_form (f, "Ada", "Lovelace", "ada@example.com", "crm-1815");
  g_assert_cmpuint (np_test_sandbox_count_applied (f->tw->sandbox, "/checkout/create-customer"), ==, 1);
  stored = np_ledger_get_customer (ledger, account_id, ada, NULL);
  g_assert_nonnull (stored);
  g_assert_cmpstr (g_hash_table_lookup (np_customer_get_metadata (stored), "crmId"), ==, "crm-1815");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "customers.back", NULL);
  alan = create_customer_through_form (f, "Alan", "Turing", "alan@example.org", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "customers.back", NULL);

  /* Both in the list, as cells a person sees. */
  wait_for_list_of (f, 2);
  wait_for_widget (GTK_WIDGET (f->page), match_inscription_text, "Ada Lovelace", "Ada's row");
  wait_for_widget (GTK_WIDGET (f->page), match_inscription_text, "alan@example.org", "Alan's email cell");

  /* Search by metadata, then by id. */
  search = find_widget (GTK_WIDGET (f->page), match_type, GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY));
  gtk_editable_set_text (GTK_EDITABLE (search), "crm-1815");
  wait_for_list_of (f, 1);
  gtk_editable_set_text (GTK_EDITABLE (search), alan);
  wait_for_list_of (f, 1);
  wait_for_widget (GTK_WIDGET (f->page), match_inscription_text, "Alan Turing", "Alan found by id");
  gtk_editable_set_text (GTK_EDITABLE (search), "lovelace");
  wait_for_list_of (f, 1);

  /* Open Ada from the list. */
  view = find_widget (GTK_WIDGET (f->page), match_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
  g_signal_emit_by_name (view, "activate", 0);
  detail = find_widget (GTK_WIDGET (f->page), match_type, GSIZE_TO_POINTER (NP_TYPE_CUSTOMER_DETAIL));
  np_test_wait_until (widget_mapped, detail, TIMEOUT_MS, "the detail to show");
  g_assert_cmpstr (np_customer_detail_get_customer_id (NP_CUSTOMER_DETAIL (detail)), ==, ada);
  wait_for_widget (detail, match_row_title_contains, "No saved cards", "the empty card list");

  /* A checkout for Ada from the detail, paid on the sandbox page with saving allowed. */
  gtk_widget_activate_action (detail, "customer.new-checkout", "s", "");
  np_test_wait_until (checkout_created, f, TIMEOUT_MS, "the checkout for the customer");
  g_assert_cmpstr (f->requested_customer, ==, ada);
  g_assert_cmpstr (f->requested_card, ==, "");
  paid_id = g_strdup (np_checkout_get_id (f->created_checkout));
  wait_for_checkout_status (detail, paid_id, "created");
  g_assert_true (np_test_sandbox_pay (f->tw->sandbox, paid_id, "success"));

  /* Saved cards change out of our sight: a refresh of the customer shows the card. */
  gtk_widget_activate_action (detail, "customer.refresh", NULL);
  card_row = wait_for_widget (detail, match_row_title_contains, "••••", "the saved card after a refresh");
  /* The same refresh retrieves the customer's open checkouts. */
  wait_for_checkout_status (detail, paid_id, "paid");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (card_row)), "Default"));

  /* Charge the saved card: the window's action gets the customer and the card. */
  charge = find_widget (card_row, match_action, "customer.new-checkout");
  g_assert_nonnull (charge);
  g_assert_true (gtk_widget_is_sensitive (charge));
  g_clear_object (&f->created_checkout);
  g_signal_emit_by_name (charge, "clicked");
  np_test_wait_until (checkout_created, f, TIMEOUT_MS, "the card checkout");
  g_assert_cmpstr (f->requested_customer, ==, ada);
  g_assert_cmpstr (f->requested_card, ==, gtk_widget_get_name (card_row));
  g_assert_cmpstr (np_checkout_get_card_id (f->created_checkout), ==, f->requested_card);
  g_assert_cmpstr (np_checkout_get_status_text (f->created_checkout), ==, "paid");
  wait_for_checkout_status (detail, np_checkout_get_id (f->created_checkout), "paid");

  save_screenshot (detail, "customer-detail.png");
  scroll_to_end (detail);
  save_screenshot (detail, "customer-detail-checkouts.png");

  /* Delete, confirmed in a dialog that names the customer. */
  gtk_widget_activate_action (detail, "customer.delete", NULL);
  np_test_wait_until (toplevel_mapped, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), TIMEOUT_MS, "the confirmation");
  confirm = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (confirm), "Ada Lovelace"));
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/delete-customer"), ==, 0);
  adw_message_dialog_response (confirm, "delete");

  deleted_check = (DeletedCheck) { ledger, account_id, ada };
  np_test_wait_until (ledger_marks_deleted, &deleted_check, TIMEOUT_MS, "the ledger to mark the customer deleted");
  g_assert_cmpuint (np_test_sandbox_count_applied (f->tw->sandbox, "/checkout/delete-customer"), ==, 1);
  wait_for_widget (detail, match_row_title_contains, "elete", "the delete in the customer's journal");
  np_journal_query_set_object_id (journal_query, ada);
  journal = np_ledger_journal_list (ledger, account_id, journal_query, 0, 10, NULL);
  g_assert_cmpuint (journal->len, >=, 2);
  g_assert_cmpint (np_journal_entry_get_operation (g_ptr_array_index (journal, 0)), ==, NP_JOURNAL_OPERATION_DELETE_CUSTOMER);
  g_assert_cmpint (np_journal_entry_get_state (g_ptr_array_index (journal, 0)), ==, NP_JOURNAL_STATE_SUCCEEDED);

  /* Retrieving it again shows what the server now says. */
  gtk_widget_activate_action (detail, "customer.refresh", NULL);
  error_label = wait_for_widget (detail, match_label_class, "error", "the server's answer after the delete");
  np_test_wait_until (label_visible, error_label, TIMEOUT_MS, "the answer to show");
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/retrieve-customer"), >=, 2);
  g_assert_false (gtk_widget_is_sensitive (find_widget (detail, match_action, "customer.delete")));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;

  np_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();
  /* Screenshots and widget lookups see the page a transition leads to, not a frame of it. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* The application's style sheet, as AdwApplication would load it. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add ("/customers/form-rejects-bad-email", Fixture, NULL, fixture_set_up, test_form_rejects_bad_email, fixture_tear_down);
  g_test_add ("/customers/life", Fixture, NULL, fixture_set_up, test_customer_life, fixture_tear_down);

  return g_test_run ();
}
