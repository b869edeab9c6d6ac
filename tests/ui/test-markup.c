/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-markup.c — what the server sends is shown as written, never read as markup.
 *
 * A checkout whose message, metadata and refund details hold Pango markup and an
 * ampersand is created through the real workspace and shown in the real detail
 * pane: some label must carry the raw text exactly. Read as markup, the text
 * would lose its tags (or vanish on the lone "&"), and this test would fail.
 * (Links the console will not open: test-links.c.)
 */
#include "config.h"

#include <string.h>

#include "np-activity-page.h"
#include "np-checkout-detail.h"
#include "np-checkout-refund-dialog.h"
#include "np-customer-detail.h"
#include "np-customers-page.h"
#include "np-overview-page.h"
#include "np-preferences-window.h"
#include "np-team-sync.h"
#include "np-toast.h"
#include "test-checkouts-common.h"

#define MARKUP "<b>bold</b> & <span foreground='red'>x</span>"

static gboolean
has_label_with_text (GtkWidget  *widget,
                     const char *text)
{
  /* A prefix: a row may add a second line (a refund's time) after the server's text. */
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), text))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_with_text (child, text))
      return TRUE;

  return FALSE;
}

typedef struct {
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer user_data)
{
  LabelWait *wait = user_data;

  return has_label_with_text (wait->root, wait->text);
}

static void
test_detail_shows_server_text_as_written (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(NpCheckout) refunded = NULL;
  NpCheckoutDetail *detail;
  GtkWindow *window;
  LabelWait wait;

  draft->amount = 5000;
  draft->currency = g_strdup ("SEK");
  draft->message = g_strdup (MARKUP);
  draft->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (draft->metadata, g_strdup ("note"), g_strdup ("a & b <i>c</i>"));
  np_workspace_create_checkout_async (t->workspace, draft, NULL, np_test_store_result, &result);
  checkout = np_test_workspace_wait_checkout (t, &result);
  paid = np_test_workspace_pay (t, np_checkout_get_id (checkout));
  np_workspace_refund_checkout_async (t->workspace, np_checkout_get_id (checkout), 1000,
                                      "requested_by_customer", "<u>late</u> & sorry",
                                      NULL, np_test_store_result, &result);
  refunded = np_test_workspace_wait_checkout (t, &result);

  window = GTK_WINDOW (gtk_window_new ());
  detail = g_object_new (NP_TYPE_CHECKOUT_DETAIL, "workspace", t->workspace, NULL);
  gtk_window_set_child (window, GTK_WIDGET (detail));
  gtk_window_set_default_size (window, 700, 2400);
  gtk_window_present (window);
  np_checkout_detail_set_checkout_id (detail, np_checkout_get_id (checkout));

  wait.root = GTK_WIDGET (detail);
  wait.text = MARKUP;
  np_test_wait_until (label_shown, &wait, 10000, "the message shown as written");
  wait.text = "a & b <i>c</i>";
  np_test_wait_until (label_shown, &wait, 10000, "a metadata value shown as written");
  wait.text = "Requested by the customer — <u>late</u> & sorry";
  np_test_wait_until (label_shown, &wait, 10000, "the refund details shown as written");

  gtk_window_destroy (window);
}

static void
test_toast_shows_text_as_written (void)
{
  g_autoptr(AdwToast) toast = np_toast_new ("No such checkout <x> & more");
  g_autoptr(GtkWidget) label = g_object_ref_sink (gtk_label_new (NULL));

  /* AdwToast 1.2 reads its title as markup: np_toast_new escapes it, so markup
   * parsing gives the text back unchanged. */
  gtk_label_set_markup (GTK_LABEL (label), adw_toast_get_title (toast));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "No such checkout <x> & more");
}

/* Every page and dialog ---------------------------------------------------------
 *
 * HOSTILE goes through every field a server (or a person) fills: a checkout's
 * message, identifier, metadata keys and values, refund reasons and details; a
 * customer's names, email and metadata; an error's message, field and request id
 * (stored as a refresh error); an account's name. Each page and dialog is then
 * read back: every label whose source holds any of it must show it literally, and
 * some must show it at all. A markup widget given it raw shows nothing (GTK
 * refuses the markup for the lone "&"), or "<b>x</b>" as a bold x and "&amp;" as "&".
 */
#define HOSTILE "R&D <b>x</b> &amp;"

static const char *
shown_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return NULL;
}

/* Walks @widget: each label whose source carries a piece of HOSTILE ("R&" in it
 * raw or escaped, or the "<b>x" tag) must show HOSTILE as written; counts the
 * mapped labels and cells that do. */
static void
check_labels (GtkWidget  *widget,
              GString    *wrong,
              guint      *literal)
{
  const char *text = shown_text (widget);

  if (GTK_IS_LABEL (widget))
    {
      const char *source = gtk_label_get_label (GTK_LABEL (widget));

      GtkWidget *owner = gtk_widget_get_parent (widget);

      /* Named after the nearest widget of ours or of libadwaita (AdwStatusPage...). */
      while (owner != NULL && !g_str_has_prefix (G_OBJECT_TYPE_NAME (owner), "Adw") &&
             !g_str_has_prefix (G_OBJECT_TYPE_NAME (owner), "Np"))
        owner = gtk_widget_get_parent (owner);
      if ((strstr (source, "R&") != NULL || strstr (source, "<b>x") != NULL) &&
          strstr (text, HOSTILE) == NULL)
        g_string_append_printf (wrong, "\n  %s %s shows “%s” for “%s”",
                                owner != NULL ? G_OBJECT_TYPE_NAME (owner) : "?",
                                gtk_label_get_use_markup (GTK_LABEL (widget)) ? "(markup)" : "",
                                text, source);
    }
  if (text != NULL && strstr (text, HOSTILE) != NULL && gtk_widget_get_mapped (widget))
    (*literal)++;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_labels (child, wrong, literal);
}

typedef struct {
  GtkWidget *root;
  guint      at_least;
} LiteralWait;

static gboolean
enough_literal (gpointer data)
{
  LiteralWait *wait = data;
  g_autoptr(GString) wrong = g_string_new (NULL);
  guint literal = 0;

  /* Something shown wrongly ends the wait at once: the check below names it. */
  check_labels (wait->root, wrong, &literal);
  return literal >= wait->at_least || wrong->len > 0;
}

/* Waits until @at_least labels under @root show HOSTILE, then fails on any label
 * that shows a piece of it otherwise. */
static void
assert_shown_as_written (GtkWidget  *root,
                         guint       at_least,
                         const char *where)
{
  LiteralWait wait = { root, at_least };
  g_autoptr(GString) wrong = g_string_new (NULL);
  guint literal = 0;

  np_test_wait_until (enough_literal, &wait, TIMEOUT_MS, where);
  app_wait_for_paint (root);
  check_labels (root, wrong, &literal);
  if (wrong->len > 0)
    g_error ("%s: server or user text read as markup:%s", where, wrong->str);
  g_assert_cmpuint (literal, >=, at_least);
  g_test_message ("%s: %u labels show it as written", where, literal);
}

static void
add_rewrite (Fixture    *f,
             const char *path,
             const char *fault,
             const char *set_json,
             const char *request_id)
{
  g_autoptr(GString) rule = g_string_new (NULL);

  g_string_printf (rule, "{\"path\": \"%s\", \"fault\": \"%s\", \"set\": %s", path, fault, set_json);
  if (request_id != NULL)
    g_string_append_printf (rule, ", \"request_id\": \"%s\"", request_id);
  g_string_append (rule, "}");
  np_test_sandbox_add_fault_rule (f->tw->sandbox, rule->str);
}

/* A checkout with HOSTILE everywhere it can be, paid and partly refunded. */
static char *
make_hostile_checkout (Fixture *f)
{
  g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpCheckout) checkout = NULL;
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(NpCheckout) refunded = NULL;
  g_autoptr(NpCheckout) looked_up = NULL;
  g_autoptr(GError) error = NULL;

  draft->amount = 5000;
  draft->currency = g_strdup ("SEK");
  draft->message = g_strdup (HOSTILE);
  draft->identifier = g_strdup (HOSTILE);
  draft->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (draft->metadata, g_strdup (HOSTILE), g_strdup (HOSTILE));
  np_workspace_create_checkout_async (f->tw->workspace, draft, NULL, np_test_store_result, &result);
  checkout = np_test_workspace_wait_checkout (f->tw, &result);
  paid = np_test_workspace_pay (f->tw, np_checkout_get_id (checkout));
  np_workspace_refund_checkout_async (f->tw->workspace, np_checkout_get_id (checkout), 1000,
                                      "requested_by_customer", HOSTILE, NULL, np_test_store_result, &result);
  refunded = np_test_workspace_wait_checkout (f->tw, &result);

  /* A reason the console does not know is shown as the server sent it. */
  add_rewrite (f, "/checkout/retrieve", "rewrite",
               "{\"refunds\": [{\"amount\": 1000, \"reason\": \"" HOSTILE "\", \"refundDetails\": \"" HOSTILE "\","
               " \"created\": \"2026-11-24T10:00:00Z\"}]}", NULL);
  np_workspace_lookup_checkout_async (f->tw->workspace, np_checkout_get_id (checkout), NULL,
                                      np_test_store_result, &result);
  looked_up = np_workspace_checkout_finish (f->tw->workspace, np_test_wait_result (&result, TIMEOUT_MS), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  /* A refund refused with HOSTILE as the message: the journal keeps the error. */
  add_rewrite (f, "/checkout/refund", "status:422",
               "{\"error\": {\"message\": \"" HOSTILE "\"}}", HOSTILE);
  np_workspace_refund_checkout_async (f->tw->workspace, np_checkout_get_id (checkout), 500,
                                      "duplicate", NULL, NULL, np_test_store_result, &result);
  g_assert_null (np_workspace_checkout_finish (f->tw->workspace, np_test_wait_result (&result, TIMEOUT_MS), &error));
  g_assert_nonnull (error);
  return g_strdup (np_checkout_get_id (checkout));
}

/* An id imported while the server refuses it with HOSTILE as its message, field
 * and request id: the ledger keeps the refresh error, the checkout unretrieved. */
static char *
make_refused_checkout (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpRefreshSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  add_rewrite (f, "/checkout/retrieve", "status:422",
               "{\"error\": {\"message\": \"" HOSTILE "\", \"field\": \"" HOSTILE "\"}}", HOSTILE);
  np_workspace_import_checkouts_async (f->tw->workspace, "c0ffee0000refused", NULL, NULL, NULL,
                                       np_test_store_result, &result);
  summary = np_workspace_refresh_finish (f->tw->workspace, np_test_wait_result (&result, TIMEOUT_MS), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->failed, ==, 1);
  return g_strdup ("c0ffee0000refused");
}

/* A customer whose names, email and metadata are HOSTILE, whose last refresh
 * failed with HOSTILE as the message and request id. */
static char *
make_hostile_customer (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(NpRefreshSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[2] = { NULL, NULL };

  add_rewrite (f, "/checkout/create-customer", "rewrite",
               "{\"first_name\": \"" HOSTILE "\", \"last_name\": \"" HOSTILE "\", \"email\": \"" HOSTILE "\","
               " \"metaData\": {\"" HOSTILE "\": \"" HOSTILE "\"}}", NULL);
  np_workspace_create_customer_async (f->tw->workspace, "Ada", "Lovelace", "ada@example.com", NULL, NULL,
                                      np_test_store_result, &result);
  customer = np_workspace_customer_finish (f->tw->workspace, np_test_wait_result (&result, TIMEOUT_MS), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  add_rewrite (f, "/checkout/retrieve-customer", "status:500",
               "{\"error\": {\"message\": \"" HOSTILE "\", \"field\": \"" HOSTILE "\"}}", HOSTILE);
  ids[0] = np_customer_get_id (customer);
  np_workspace_refresh_customers_async (f->tw->workspace, ids, NULL, np_test_store_result, &result);
  summary = np_workspace_refresh_finish (f->tw->workspace, np_test_wait_result (&result, TIMEOUT_MS), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->failed, ==, 1);
  return g_strdup (np_customer_get_id (customer));
}

static GtkWindow *
present_page (Fixture *f,
              GType    type)
{
  GtkWidget *page = g_object_new (type, "workspace", f->tw->workspace, NULL);

  return app_present_in_window (page, page, 1280, 1000, NULL, 0, NULL);
}

static gboolean
detail_shows_not_retrieved (gpointer data)
{
  Fixture *f = data;

  return page_detail (f) != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (DETAIL_CHILD (page_detail (f), GtkStack, "stack")), "not-retrieved") == 0;
}

static void
test_every_page (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *checkout_id = NULL;
  g_autofree char *refused_id = NULL;
  g_autofree char *customer_id = NULL;
  GtkWindow *window;
  GtkWidget *detail;
  GtkWindow *dialog;
  GLogLevelFlags fatal;
  g_autoptr(NpTeamSync) team_sync = NULL;

  /* GTK only warns when markup does not parse (and shows nothing, or what was
   * there before): not fatal here, so the check below names every such label. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  /* What a person typed: the account's name. */
  np_account_set_name (f->tw->account, HOSTILE);
  checkout_id = make_hostile_checkout (f);
  refused_id = make_refused_checkout (f);
  customer_id = make_hostile_customer (f);

  /* Checkouts: the list and the detail (message, identifier, metadata key and
   * value, refund reason and details), then the unretrieved one's stored error. */
  select_checkout (f, checkout_id);
  assert_shown_as_written (GTK_WIDGET (f->window), 6, "the checkouts page and detail");
  g_assert_true (page_select (f, refused_id));
  np_test_wait_until (detail_shows_not_retrieved, f, TIMEOUT_MS, "the unretrieved checkout");
  assert_shown_as_written (GTK_WIDGET (page_detail (f)), 1, "the refresh error of an unretrieved checkout");

  /* The refund dialog of the hostile checkout. */
  select_checkout (f, checkout_id);
  gtk_widget_activate_action (GTK_WIDGET (page_detail (f)), "checkout.refund", NULL);
  dialog = app_wait_toplevel (NP_TYPE_CHECKOUT_REFUND_DIALOG);
  assert_shown_as_written (GTK_WIDGET (dialog), 0, "the refund dialog");
  gtk_window_destroy (dialog);

  /* Customers: the list and the detail (names, email, metadata, refresh error),
   * and the delete dialog that names the customer. */
  window = present_page (f, NP_TYPE_CUSTOMERS_PAGE);
  np_customers_page_show_customer (NP_CUSTOMERS_PAGE (gtk_window_get_child (window)), customer_id);
  detail = app_find_descendant (GTK_WIDGET (window), NP_TYPE_CUSTOMER_DETAIL);
  np_test_wait_until (app_widget_mapped, detail, TIMEOUT_MS, "the customer detail");
  assert_shown_as_written (GTK_WIDGET (window), 5, "the customers page and detail");
  gtk_widget_activate_action (detail, "customer.delete", NULL);
  dialog = app_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  assert_shown_as_written (GTK_WIDGET (dialog), 1, "the delete customer dialog");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (dialog);
  gtk_window_destroy (window);

  /* The Overview (the failed refresh needs attention) and the Activity (journal
   * summaries and errors). */
  window = present_page (f, NP_TYPE_OVERVIEW_PAGE);
  assert_shown_as_written (GTK_WIDGET (window), 1, "the overview page");
  gtk_window_destroy (window);
  window = present_page (f, NP_TYPE_ACTIVITY_PAGE);
  assert_shown_as_written (GTK_WIDGET (window), 1, "the activity page");
  gtk_window_destroy (window);

  /* Preferences: the account's row, and the dialog that removes it. Its Team
   * Ledger group follows the workspace's team sync, which the application
   * gives every workspace (off until a desk joins). */
  team_sync = np_team_sync_new (f->tw->ledger, f->tw->accounts);
  np_workspace_set_team_sync (f->tw->workspace, team_sync);
  window = GTK_WINDOW (np_preferences_window_new (f->window, f->tw->workspace));
  gtk_window_present (window);
  assert_shown_as_written (GTK_WIDGET (window), 1, "the preferences window");
  gtk_window_destroy (window);

  g_log_set_always_fatal (fatal);
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/markup/detail", test_detail_shows_server_text_as_written);
  g_test_add_func ("/markup/toast", test_toast_shows_text_as_written);
  g_test_add ("/markup/every-page", Fixture, NULL, fixture_set_up, test_every_page, fixture_tear_down);

  return g_test_run ();
}
