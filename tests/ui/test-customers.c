/* SPDX-License-Identifier: GPL-3.0-or-later */
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
#include "np-customer-lookup-dialog.h"
#include "np-checkout-new-dialog.h"
#include "np-checkouts-page.h"
#include "np-customers-page.h"
#include "np-qr-code.h"
#include "np-status-badge.h"
#include "np-test-sandbox.h"
#include "np-test-utils.h"
#include "np-test-workspace.h"
#include "test-app-common.h"

#define TIMEOUT_MS 15000

typedef struct {
  NpTestWorkspace *tw;
  GtkWindow       *window;
  NpCustomersPage *page;
  char            *requested_customer;   /* what win.new-checkout-for-customer was given */
  char            *requested_card;
  GtkStack        *stack;            /* the window's pages: customers and checkouts */
  NpCheckoutsPage *checkouts_page;
} Fixture;

/* Widget tree helpers ---------------------------------------------------------- */

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

static gboolean
match_status_title (GtkWidget *widget, gconstpointer data)
{
  return ADW_IS_STATUS_PAGE (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), data) == 0;
}

/* The mnemonic text a button shows, whether set as its label or as its child label
 * (the views give mnemonic buttons a child label so screen readers hear it once). */
static const char *
button_mnemonic (GtkWidget *button)
{
  GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));

  return GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child)) : gtk_button_get_label (GTK_BUTTON (button));
}

static gboolean
match_button_label (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (button_mnemonic (widget), data) == 0;
}

/* Clicks a response button of a message dialog, as a person would. */
static void
click_response (AdwMessageDialog *dialog,
                const char       *label)
{
  GtkWidget *button = app_find_widget (GTK_WIDGET (dialog), match_button_label, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Scrolls @widget's scrolled window to its end and waits until that has been drawn. */
static void
scroll_to_end (GtkWidget *widget)
{
  GtkWidget *scroller = app_find_widget (widget, app_match_type, GSIZE_TO_POINTER (GTK_TYPE_SCROLLED_WINDOW));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  app_wait_for_paint (scroller);
}

/* The window's action, as NpWindow has it: show the Checkouts page and open its form. */
static void
new_checkout_for_customer (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  Fixture *f = user_data;
  const char *customer_id, *card_id;

  g_variant_get (parameter, "(&s&s)", &customer_id, &card_id);
  g_free (f->requested_customer);
  g_free (f->requested_card);
  f->requested_customer = g_strdup (customer_id);
  f->requested_card = g_strdup (card_id);

  gtk_stack_set_visible_child_name (f->stack, "checkouts");
  np_checkouts_page_new_checkout (f->checkouts_page, customer_id, *card_id != '\0' ? card_id : NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const GActionEntry win_actions[] = {
    { "new-checkout-for-customer", new_checkout_for_customer, "(ss)", NULL, NULL, { 0 } },
  };

  f->tw = np_test_workspace_new (GPOINTER_TO_INT (data));
  f->page = g_object_new (NP_TYPE_CUSTOMERS_PAGE, "workspace", f->tw->workspace, NULL);
  f->checkouts_page = g_object_new (NP_TYPE_CHECKOUTS_PAGE, "workspace", f->tw->workspace, NULL);
  f->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (f->stack, GTK_WIDGET (f->page), "customers");
  gtk_stack_add_named (f->stack, GTK_WIDGET (f->checkouts_page), "checkouts");
  /* No toast overlay: toasts are not asserted, and would cover the screenshots. */
  f->window = app_present_in_window (GTK_WIDGET (f->stack), GTK_WIDGET (f->page), 1000, 760,
                                     win_actions, G_N_ELEMENTS (win_actions), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_pointer (&f->requested_customer, g_free);
  g_clear_pointer (&f->requested_card, g_free);
  g_clear_pointer (&f->tw, np_test_workspace_free);
}

/* Form ------------------------------------------------------------------------ */

static NpCustomerDialog *
open_new_customer_form (Fixture *f)
{
  GtkWidget *button = app_find_widget (GTK_WIDGET (f->page), match_action, "customers.new");

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  return NP_CUSTOMER_DIALOG (app_wait_toplevel (NP_TYPE_CUSTOMER_DIALOG));
}

static void
set_row_text (GtkWidget  *form,
              const char *title,
              const char *text)
{
  GtkWidget *row = app_find_widget (form, match_row_title, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static gboolean
page_lists_n (gpointer data)
{
  Fixture *f = data;
  GtkWidget *view = app_find_widget (GTK_WIDGET (f->page), app_match_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
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
  GtkWidget *create = app_find_widget (GTK_WIDGET (form), match_action, "customer-dialog.create");
  NpCustomerDetail *detail;

  set_row_text (GTK_WIDGET (form), "First Name", first);
  set_row_text (GTK_WIDGET (form), "Last Name", last);
  set_row_text (GTK_WIDGET (form), "Email", email);
  if (crm_id != NULL)
    {
      GtkWidget *key, *value, *row;

      gtk_widget_activate_action (GTK_WIDGET (form), "customer-dialog.add-metadata", NULL);
      row = app_find_widget (GTK_WIDGET (form), match_plain_list_row, NULL);
      key = app_find_widget (row, app_match_type, GSIZE_TO_POINTER (GTK_TYPE_ENTRY));
      value = gtk_widget_get_next_sibling (key);
      gtk_editable_set_text (GTK_EDITABLE (key), "crmId");
      gtk_editable_set_text (GTK_EDITABLE (value), crm_id);
    }

  g_assert_true (gtk_widget_is_sensitive (create));
  g_signal_emit_by_name (create, "clicked");
  app_wait_toplevel_gone (NP_TYPE_CUSTOMER_DIALOG);

  /* A created customer opens in the detail. */
  detail = NP_CUSTOMER_DETAIL (app_find_widget (GTK_WIDGET (f->page), app_match_type, GSIZE_TO_POINTER (NP_TYPE_CUSTOMER_DETAIL)));
  g_assert_nonnull (np_customer_detail_get_customer_id (detail));
  return g_strdup (np_customer_detail_get_customer_id (detail));
}

static void
test_form_rejects_bad_email (Fixture       *f,
                             gconstpointer  data)
{
  NpCustomerDialog *form = open_new_customer_form (f);
  GtkWidget *create = app_find_widget (GTK_WIDGET (form), match_action, "customer-dialog.create");
  GtkWidget *email_row = app_find_widget (GTK_WIDGET (form), match_row_title, "Email");
  GtkWidget *message;

  g_assert_nonnull (create);
  g_assert_false (gtk_widget_is_sensitive (create));   /* nothing typed yet */

  set_row_text (GTK_WIDGET (form), "First Name", "Grace");
  set_row_text (GTK_WIDGET (form), "Last Name", "Hopper");
  set_row_text (GTK_WIDGET (form), "Email", "grace.example.com");

  /* Refused at the field, before anything is sent. */
  g_assert_true (gtk_widget_has_css_class (email_row, "error"));
  message = app_find_widget (GTK_WIDGET (form), match_label_class, "error");
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
  app_wait_toplevel_gone (NP_TYPE_CUSTOMER_DIALOG);
}

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
text_arrived (gpointer data)
{
  return *(char **) data != NULL;
}

/* Activates a copy action of @widget and returns what the clipboard then holds. */
static char *
copy_with_action (GtkWidget  *widget,
                  const char *action)
{
  char *text = NULL;

  gtk_widget_activate_action (widget, action, NULL);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, on_clipboard_text, &text);
  np_test_wait_until (text_arrived, &text, TIMEOUT_MS, "the clipboard text");
  return text;
}

/* The whole life of a customer --------------------------------------------------- */

typedef struct {
  GtkWidget  *root;
  AppWidgetMatch match;
  const char *data;
} Lookup;

static gboolean
lookup_found (gpointer data)
{
  Lookup *lookup = data;

  return app_find_widget (lookup->root, lookup->match, lookup->data) != NULL;
}

static GtkWidget *
wait_for_widget (GtkWidget  *root,
                 AppWidgetMatch match,
                 const char *data,
                 const char *what)
{
  Lookup lookup = { root, match, data };

  np_test_wait_until (lookup_found, &lookup, TIMEOUT_MS, what);
  return app_find_widget (root, match, data);
}

static gboolean
form_is_idle (gpointer data)
{
  GtkWidget *create = app_find_widget (data, match_action, "customer-dialog.create");

  return gtk_widget_is_sensitive (create);
}

static void
test_form_shows_refusal (Fixture       *f,
                         gconstpointer  data)
{
  NpCustomerDialog *form;
  GtkWidget *create, *message;
  g_autoptr(NpJournalQuery) query = np_journal_query_new ();
  g_autoptr(GPtrArray) journal = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  gint64 account_id = np_workspace_get_account_id (f->tw->workspace);

  /* The server refuses the first attempt: the form says why and keeps what was typed. */
  np_test_sandbox_add_fault (f->tw->sandbox, "/checkout/create-customer", "status:422", 1);
  form = open_new_customer_form (f);
  set_row_text (GTK_WIDGET (form), "First Name", "Katherine");
  set_row_text (GTK_WIDGET (form), "Last Name", "Johnson");
  set_row_text (GTK_WIDGET (form), "Email", "katherine@nasa.example");
  create = app_find_widget (GTK_WIDGET (form), match_action, "customer-dialog.create");
  g_signal_emit_by_name (create, "clicked");
  message = wait_for_widget (GTK_WIDGET (form), match_label_class, "error", "the refusal in the form");
  np_test_wait_until (form_is_idle, form, TIMEOUT_MS, "the form to be usable again");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (form)));
  g_test_message ("refusal shown: %s", gtk_label_get_text (GTK_LABEL (message)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), !=, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (app_find_widget (GTK_WIDGET (form), match_row_title, "Email"))),
                   ==, "katherine@nasa.example");

  customers = np_ledger_list_customers (f->tw->ledger, account_id, NULL, 0, 10, NULL);
  g_assert_cmpuint (customers->len, ==, 0);
  journal = np_ledger_journal_list (f->tw->ledger, account_id, query, 0, 10, NULL);
  g_assert_cmpuint (journal->len, ==, 1);
  g_assert_cmpint (np_journal_entry_get_operation (g_ptr_array_index (journal, 0)), ==, NP_JOURNAL_OPERATION_CREATE_CUSTOMER);
  g_assert_cmpint (np_journal_entry_get_state (g_ptr_array_index (journal, 0)), ==, NP_JOURNAL_STATE_FAILED);

  /* The second attempt goes through. */
  g_signal_emit_by_name (create, "clicked");
  app_wait_toplevel_gone (NP_TYPE_CUSTOMER_DIALOG);
  wait_for_list_of (f, 1);
  g_assert_cmpuint (np_test_sandbox_count_applied (f->tw->sandbox, "/checkout/create-customer"), ==, 1);
}

static GHashTable *
customer_checkout_ids (Fixture    *f,
                       const char *customer_id)
{
  g_autoptr(NpCheckoutQuery) query = np_checkout_query_new ();
  g_autoptr(GPtrArray) rows = NULL;
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  np_checkout_query_set_customer_id (query, customer_id);
  rows = np_ledger_list_checkouts (f->tw->ledger, np_workspace_get_account_id (f->tw->workspace), query, 0, 100, NULL);
  g_assert_nonnull (rows);
  for (guint i = 0; i < rows->len; i++)
    g_hash_table_add (ids, g_strdup (np_checkout_row_get_checkout_id (g_ptr_array_index (rows, i))));
  return ids;
}

/* Fills the Checkouts page's real form, opened by win.new-checkout-for-customer, and
 * returns the checkout it made (from the ledger); then back to the Customers page. */
static NpCheckout *
complete_checkout_form (Fixture    *f,
                        const char *amount,
                        const char *message)
{
  g_autoptr(GHashTable) before = customer_checkout_ids (f, f->requested_customer);
  g_autoptr(GHashTable) after = NULL;
  GtkWidget *form, *create, *card_row;
  GHashTableIter iter;
  const char *id;

  form = GTK_WIDGET (app_wait_toplevel (NP_TYPE_CHECKOUT_NEW_DIALOG));
  card_row = app_find_widget (form, match_row_title, "Saved card id (optional)");
  g_assert_nonnull (card_row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (card_row)), ==, f->requested_card);
  set_row_text (form, "Amount", amount);
  set_row_text (form, "Message to the customer", message);
  create = app_find_widget (form, match_action, "new-checkout.create");
  g_assert_nonnull (create);
  g_assert_true (gtk_widget_is_sensitive (create));
  g_signal_emit_by_name (create, "clicked");
  app_wait_toplevel_gone (NP_TYPE_CHECKOUT_NEW_DIALOG);

  gtk_stack_set_visible_child_name (f->stack, "customers");
  after = customer_checkout_ids (f, f->requested_customer);
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before) + 1);
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    if (!g_hash_table_contains (before, id))
      return np_ledger_get_checkout (f->tw->ledger, np_workspace_get_account_id (f->tw->workspace), id, NULL);

  g_assert_not_reached ();
  return NULL;
}

static gboolean
badge_says (gpointer data)
{
  GtkWidget *row = data;
  GtkWidget *badge = app_find_widget (row, app_match_type, GSIZE_TO_POINTER (NP_TYPE_STATUS_BADGE));

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
  g_autoptr(NpCheckout) first = NULL;
  g_autoptr(NpCustomer) stored_now = NULL;
  g_autofree char *copied = NULL;
  GtkWidget *qr;
  g_autoptr(NpCheckout) by_card = NULL;
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
  search = app_find_widget (GTK_WIDGET (f->page), app_match_type, GSIZE_TO_POINTER (GTK_TYPE_SEARCH_ENTRY));
  gtk_editable_set_text (GTK_EDITABLE (search), "crm-1815");
  wait_for_list_of (f, 1);
  gtk_editable_set_text (GTK_EDITABLE (search), alan);
  wait_for_list_of (f, 1);
  wait_for_widget (GTK_WIDGET (f->page), match_inscription_text, "Alan Turing", "Alan found by id");
  gtk_editable_set_text (GTK_EDITABLE (search), "lovelace");
  wait_for_list_of (f, 1);

  /* Open Ada from the list. */
  view = app_find_widget (GTK_WIDGET (f->page), app_match_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
  g_signal_emit_by_name (view, "activate", 0);
  detail = app_find_widget (GTK_WIDGET (f->page), app_match_type, GSIZE_TO_POINTER (NP_TYPE_CUSTOMER_DETAIL));
  np_test_wait_until (app_widget_mapped, detail, TIMEOUT_MS, "the detail to show");
  g_assert_cmpstr (np_customer_detail_get_customer_id (NP_CUSTOMER_DETAIL (detail)), ==, ada);
  wait_for_widget (detail, match_row_title_contains, "No saved cards", "the empty card list");

  /* A checkout for Ada from the detail, paid on the sandbox page with saving allowed. */
  gtk_widget_activate_action (detail, "customer.new-checkout", "s", "");
  g_assert_cmpstr (f->requested_customer, ==, ada);
  g_assert_cmpstr (f->requested_card, ==, "");
  first = complete_checkout_form (f, "125", "First order");
  g_assert_cmpstr (np_checkout_get_customer_id (first), ==, ada);
  g_assert_true (np_checkout_get_allow_save_card (first));
  paid_id = g_strdup (np_checkout_get_id (first));
  wait_for_checkout_status (detail, paid_id, "created");
  g_assert_true (np_test_sandbox_pay (f->tw->sandbox, paid_id, "success"));

  /* Saved cards change out of our sight: a refresh of the customer shows the card. */
  gtk_widget_activate_action (detail, "customer.refresh", NULL);
  card_row = wait_for_widget (detail, match_row_title_contains, "••••", "the saved card after a refresh");
  /* The same refresh retrieves the customer's open checkouts. */
  wait_for_checkout_status (detail, paid_id, "paid");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (card_row)), "Default"));

  /* Charge the saved card: the window's action gets the customer and the card. */
  charge = app_find_widget (card_row, match_action, "customer.new-checkout");
  g_assert_nonnull (charge);
  g_assert_true (gtk_widget_is_sensitive (charge));
  g_signal_emit_by_name (charge, "clicked");
  g_assert_cmpstr (f->requested_customer, ==, ada);
  g_assert_cmpstr (f->requested_card, ==, gtk_widget_get_name (card_row));
  by_card = complete_checkout_form (f, "42", "Monthly box");
  g_assert_cmpstr (np_checkout_get_card_id (by_card), ==, f->requested_card);
  g_assert_cmpstr (np_checkout_get_status_text (by_card), ==, "paid");
  wait_for_checkout_status (detail, np_checkout_get_id (by_card), "paid");

  /* The client page link: copied, encoded in the QR code, and opened only as a web page. */
  copied = copy_with_action (detail, "customer.copy-link");
  stored_now = np_ledger_get_customer (ledger, account_id, ada, NULL);
  g_assert_nonnull (np_customer_get_client_page (stored_now));
  g_assert_cmpstr (copied, ==, np_customer_get_client_page (stored_now));
  g_assert_true (g_str_has_prefix (copied, np_test_sandbox_get_base_url (f->tw->sandbox)));
  qr = app_find_widget (detail, app_match_type, GSIZE_TO_POINTER (NP_TYPE_QR_CODE));
  g_assert_cmpstr (np_qr_code_get_text (NP_QR_CODE (qr)), ==, copied);
  g_assert_true (gtk_widget_is_sensitive (app_find_widget (detail, match_action, "customer.open-link")));
  g_free (copied);
  copied = copy_with_action (detail, "customer.copy-email");
  g_assert_cmpstr (copied, ==, "ada@example.com");
  g_assert_true (gtk_widget_is_sensitive (app_find_widget (detail, match_action, "customer.mail")));

  app_save_widget_screenshot (detail, "customer-detail.png");
  scroll_to_end (detail);
  app_save_widget_screenshot (detail, "customer-detail-checkouts.png");

  /* Delete, confirmed in a dialog that names the customer. */
  gtk_widget_activate_action (detail, "customer.delete", NULL);
  confirm = ADW_MESSAGE_DIALOG (app_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (confirm), "Ada Lovelace"));
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/delete-customer"), ==, 0);
  click_response (confirm, "_Delete Customer");
  app_wait_toplevel_gone (ADW_TYPE_MESSAGE_DIALOG);

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
  g_assert_false (gtk_widget_is_sensitive (app_find_widget (detail, match_action, "customer.delete")));
}

/* Look up and import --------------------------------------------------------------- */

/* A customer made elsewhere (another system, the merchant's web shop): only its id is known. */
static char *
create_customer_elsewhere (Fixture    *f,
                           const char *body)
{
  g_autoptr(JsonNode) answer = NULL;

  g_assert_cmpuint (np_test_sandbox_call (f->tw->sandbox, "/checkout/create-customer", body, &answer), ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (answer), "customer_id"));
}

static GtkWidget *
open_lookup_dialog (Fixture    *f,
                    const char *action)
{
  gtk_widget_activate_action (GTK_WIDGET (f->page), action, NULL);
  return GTK_WIDGET (app_wait_toplevel (NP_TYPE_CUSTOMER_LOOKUP_DIALOG));
}

static void
test_lookup_and_import (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *grace = create_customer_elsewhere (f, "{\"first_name\":\"Grace\",\"last_name\":\"Hopper\","
                                                          "\"email\":\"grace@navy.example\"}");
  g_autofree char *edsger = create_customer_elsewhere (f, "{\"first_name\":\"Edsger\",\"last_name\":\"Dijkstra\","
                                                           "\"email\":\"ewd@example.nl\"}");
  g_autofree char *barbara = create_customer_elsewhere (f, "{\"first_name\":\"Barbara\",\"last_name\":\"Liskov\","
                                                            "\"email\":\"liskov@example.edu\"}");
  g_autofree char *pasted = NULL;
  GtkWidget *dialog, *go, *error, *detail, *view;
  GtkTextBuffer *buffer;
  guint retrievals;

  wait_for_list_of (f, 0);
  wait_for_widget (GTK_WIDGET (f->page), match_status_title, "No Customers Yet", "the empty state");

  /* An id the server does not know: the dialog says so and stays open. */
  dialog = open_lookup_dialog (f, "customers.lookup");
  go = app_find_widget (dialog, match_action, "lookup-dialog.go");
  g_assert_false (gtk_widget_is_sensitive (go));
  set_row_text (dialog, "Customer Id", "no-such-customer");
  retrievals = np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/retrieve-customer");
  g_signal_emit_by_name (go, "clicked");
  error = wait_for_widget (dialog, match_label_class, "error", "the refusal in the dialog");
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/retrieve-customer"), ==, retrievals + 1);
  g_assert_true (gtk_widget_get_mapped (error));

  /* Grace's id: retrieved, remembered and opened. */
  set_row_text (dialog, "Customer Id", grace);
  g_signal_emit_by_name (go, "clicked");
  app_wait_toplevel_gone (NP_TYPE_CUSTOMER_LOOKUP_DIALOG);
  detail = app_find_widget (GTK_WIDGET (f->page), app_match_type, GSIZE_TO_POINTER (NP_TYPE_CUSTOMER_DETAIL));
  np_test_wait_until (app_widget_mapped, detail, TIMEOUT_MS, "Grace's detail");
  g_assert_cmpstr (np_customer_detail_get_customer_id (NP_CUSTOMER_DETAIL (detail)), ==, grace);
  wait_for_widget (detail, match_row_title, "Email", "the contact rows");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (app_find_widget (detail, match_row_title, "Email"))),
                   ==, "grace@navy.example");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "customers.back", NULL);

  /* Import two more (and Grace again) pasted as a list. */
  dialog = open_lookup_dialog (f, "customers.import");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (app_find_widget (dialog, app_match_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW))));
  pasted = g_strdup_printf ("%s\n%s, %s\n", edsger, barbara, grace);
  gtk_text_buffer_set_text (buffer, pasted, -1);
  g_signal_emit_by_name (app_find_widget (dialog, match_action, "lookup-dialog.go"), "clicked");
  app_wait_toplevel_gone (NP_TYPE_CUSTOMER_LOOKUP_DIALOG);
  wait_for_list_of (f, 3);
  view = app_find_widget (GTK_WIDGET (f->page), app_match_type, GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
  np_test_wait_until (app_widget_mapped, view, TIMEOUT_MS, "the list");
  wait_for_widget (GTK_WIDGET (f->page), match_inscription_text, "Barbara Liskov", "an imported customer's name");
  wait_for_widget (GTK_WIDGET (f->page), match_inscription_text, "ewd@example.nl", "an imported customer's email");
  app_save_widget_screenshot (GTK_WIDGET (f->page), "customers-list.png");
}

/* Live accounts ------------------------------------------------------------------- */

static void
on_customer_made (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  np_test_store_result (source, result, user_data);
}

static void
test_live_delete_needs_extra_step (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *confirm;
  GtkWidget *detail, *check;

  np_workspace_create_customer_async (f->tw->workspace, "Live", "Person", "live@example.com", NULL, NULL,
                                      on_customer_made, &result);
  customer = np_workspace_customer_finish (f->tw->workspace, np_test_wait_result (&result, TIMEOUT_MS), &error);
  g_assert_no_error (error);
  g_assert_true (np_workspace_get_live (f->tw->workspace));

  np_customers_page_show_customer (f->page, np_customer_get_id (customer));
  detail = app_find_widget (GTK_WIDGET (f->page), app_match_type, GSIZE_TO_POINTER (NP_TYPE_CUSTOMER_DETAIL));
  np_test_wait_until (app_widget_mapped, detail, TIMEOUT_MS, "the detail");

  gtk_widget_activate_action (detail, "customer.delete", NULL);
  confirm = ADW_MESSAGE_DIALOG (app_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (confirm), ==, "Delete Live Person on the live account?");
  g_assert_false (adw_message_dialog_get_response_enabled (confirm, "confirm"));
  g_assert_false (gtk_widget_is_sensitive (app_find_widget (GTK_WIDGET (confirm), match_button_label, "_Delete Customer")));
  check = app_find_widget (GTK_WIDGET (confirm), app_match_type, GSIZE_TO_POINTER (GTK_TYPE_CHECK_BUTTON));
  g_assert_nonnull (check);
  g_assert_nonnull (strstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), "live account"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (adw_message_dialog_get_response_enabled (confirm, "confirm"));

  /* Cancelling sends nothing. */
  click_response (confirm, "_Cancel");
  app_wait_toplevel_gone (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/delete-customer"), ==, 0);
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
  g_test_add ("/customers/form-shows-refusal", Fixture, NULL, fixture_set_up, test_form_shows_refusal, fixture_tear_down);
  g_test_add ("/customers/life", Fixture, NULL, fixture_set_up, test_customer_life, fixture_tear_down);
  g_test_add ("/customers/lookup-and-import", Fixture, NULL, fixture_set_up, test_lookup_and_import, fixture_tear_down);
  g_test_add ("/customers/live-delete-needs-extra-step", Fixture, GINT_TO_POINTER (NP_ENVIRONMENT_LIVE),
              fixture_set_up, test_live_delete_needs_extra_step, fixture_tear_down);

  return g_test_run ();
}
