/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-links.c — a payment link or client page that is not a web page is never
 * offered: the real Checkouts page and customer detail, on the real sandbox told
 * (by a "rewrite" fault) to answer with a hostile link.
 *
 * A javascript: payment link shows "The server sent a link the console will not
 * open" and no link, no QR code, no Copy or Open button, while the raw JSON keeps
 * it; an https one shows the link, the QR code and the buttons. The same for a
 * customer's file: client page.
 */
#include "config.h"

#include <string.h>

#include "np-customer-detail.h"
#include "test-checkouts-common.h"

#define REFUSED "The server sent a link the console will not open"

static GtkWidget *
find_action_widget (GtkWidget  *root,
                    const char *action_name)
{
  GtkWidget *found = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_ACTIONABLE (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0)
        return child;
      found = find_action_widget (child, action_name);
    }
  return found;
}

static char *
create_with_link (Fixture    *f,
                  const char *url)
{
  g_autofree char *rule = g_strdup_printf ("{\"path\": \"/checkout/create\", \"fault\": \"rewrite\","
                                           " \"set\": {\"url\": \"%s\"}}", url);
  g_autoptr(NpCheckout) checkout = NULL;

  np_test_sandbox_add_fault_rule (f->tw->sandbox, rule);
  checkout = np_test_workspace_create_checkout (f->tw, 1500, "SEK", TRUE);
  return g_strdup (np_checkout_get_id (checkout));
}

static char *
raw_json (NpCheckoutDetail *detail)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (DETAIL_CHILD (detail, GtkTextView, "json_view"));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
test_checkout_links (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *hostile = create_with_link (f, "javascript:alert(1)");
  g_autofree char *web = create_with_link (f, "https://pay.example/c/1");
  g_autofree char *json = NULL;
  NpCheckoutDetail *detail;
  GtkWidget *open_button, *copy_button;

  /* The hostile one: the sentence, and nothing to scan, copy or open. */
  select_checkout (f, hostile);
  detail = page_detail (f);   /* made when a checkout is first shown */
  open_button = find_action_widget (GTK_WIDGET (detail), "checkout.open-link");
  copy_button = find_action_widget (GTK_WIDGET (detail), "checkout.copy-link");
  g_assert_nonnull (open_button);
  g_assert_nonnull (copy_button);
  app_wait_for_paint (GTK_WIDGET (detail));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (detail), REFUSED));
  g_assert_null (find_label_containing (GTK_WIDGET (detail), "javascript:"));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (DETAIL_CHILD (detail, NpQrCode, "qr_code"))));
  g_assert_false (gtk_widget_get_mapped (open_button));
  g_assert_false (gtk_widget_get_mapped (copy_button));
  g_assert_false (action_enabled (GTK_WIDGET (detail), "checkout.open-link"));
  g_assert_false (action_enabled (GTK_WIDGET (detail), "checkout.copy-link"));
  /* Kept as sent in the raw JSON. */
  json = raw_json (detail);
  g_assert_nonnull (strstr (json, "javascript:alert(1)"));
  save_screenshot (GTK_WIDGET (detail), "links-javascript.png");

  /* The https one: the link, its QR code and both buttons. */
  select_checkout (f, web);
  app_wait_for_paint (GTK_WIDGET (detail));
  g_assert_null (find_label_containing (GTK_WIDGET (detail), REFUSED));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (detail), "https://pay.example/c/1"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (DETAIL_CHILD (detail, NpQrCode, "qr_code"))));
  g_assert_true (gtk_widget_get_mapped (open_button));
  g_assert_true (gtk_widget_get_mapped (copy_button));
  g_assert_true (action_enabled (GTK_WIDGET (detail), "checkout.open-link"));
  g_assert_true (action_enabled (GTK_WIDGET (detail), "checkout.copy-link"));
}

/* The sandbox's own payment pages are http on loopback: offered too. */
static void
test_checkout_sandbox_link (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 1500, "SEK", TRUE);
  NpCheckoutDetail *detail;

  g_assert_true (g_str_has_prefix (np_checkout_get_url (checkout), "http://127.0.0.1:"));
  select_checkout (f, np_checkout_get_id (checkout));
  detail = page_detail (f);
  app_wait_for_paint (GTK_WIDGET (detail));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (detail), np_checkout_get_url (checkout)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (DETAIL_CHILD (detail, NpQrCode, "qr_code"))));
  g_assert_true (action_enabled (GTK_WIDGET (detail), "checkout.open-link"));
}

static NpCustomer *
create_customer_with_page (Fixture    *f,
                           const char *email,
                           const char *client_page)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  NpCustomer *customer;

  if (client_page != NULL)
    {
      g_autofree char *rule = g_strdup_printf ("{\"path\": \"/checkout/create-customer\", \"fault\": \"rewrite\","
                                               " \"set\": {\"client_page\": \"%s\"}}", client_page);
      np_test_sandbox_add_fault_rule (f->tw->sandbox, rule);
    }
  np_workspace_create_customer_async (f->tw->workspace, "Ada", "Lovelace", email, NULL, NULL,
                                      np_test_store_result, &result);
  customer = np_workspace_customer_finish (f->tw->workspace, np_test_wait_result (&result, TIMEOUT_MS), &error);
  g_assert_no_error (error);
  return customer;
}

typedef struct {
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;

  return find_label_containing (wait->root, wait->text) != NULL;
}

static void
test_customer_client_page (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(NpCustomer) hostile = create_customer_with_page (f, "ada@example.com", "file:///etc/passwd");
  g_autoptr(NpCustomer) sandbox = create_customer_with_page (f, "grace@example.com", NULL);
  NpCustomerDetail *detail = g_object_new (NP_TYPE_CUSTOMER_DETAIL, "workspace", f->tw->workspace, NULL);
  GtkWindow *window = app_present_in_window (GTK_WIDGET (detail), GTK_WIDGET (detail), 900, 1400, NULL, 0, NULL);
  GtkWidget *open_button = find_action_widget (GTK_WIDGET (detail), "customer.open-link");
  GtkWidget *copy_button = find_action_widget (GTK_WIDGET (detail), "customer.copy-link");
  GtkWidget *qr_button = NULL;
  LabelWait wait = { GTK_WIDGET (detail), NULL };

  g_assert_nonnull (open_button);
  g_assert_nonnull (copy_button);
  /* The QR code's menu button is the open button's next sibling. */
  qr_button = app_find_widget (gtk_widget_get_parent (open_button), app_match_type,
                               GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));
  g_assert_nonnull (qr_button);

  np_customer_detail_set_customer_id (detail, np_customer_get_id (hostile));
  wait.text = REFUSED;
  np_test_wait_until (label_shown, &wait, TIMEOUT_MS, "the refused client page");
  app_wait_for_paint (GTK_WIDGET (detail));
  g_assert_null (find_label_containing (GTK_WIDGET (detail), "file:"));
  g_assert_false (gtk_widget_get_mapped (open_button));
  g_assert_false (gtk_widget_get_mapped (copy_button));
  g_assert_false (gtk_widget_get_mapped (qr_button));
  g_assert_false (action_enabled (GTK_WIDGET (detail), "customer.open-link"));

  np_customer_detail_set_customer_id (detail, np_customer_get_id (sandbox));
  wait.text = np_customer_get_client_page (sandbox);
  g_assert_true (g_str_has_prefix (wait.text, "http://127.0.0.1:"));
  np_test_wait_until (label_shown, &wait, TIMEOUT_MS, "the sandbox's client page");
  app_wait_for_paint (GTK_WIDGET (detail));
  g_assert_null (find_label_containing (GTK_WIDGET (detail), REFUSED));
  g_assert_true (gtk_widget_get_mapped (open_button));
  g_assert_true (gtk_widget_get_mapped (copy_button));
  g_assert_true (gtk_widget_get_mapped (qr_button));
  g_assert_true (action_enabled (GTK_WIDGET (detail), "customer.open-link"));

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add ("/links/checkout", Fixture, NULL, fixture_set_up, test_checkout_links, fixture_tear_down);
  g_test_add ("/links/checkout-sandbox", Fixture, NULL, fixture_set_up, test_checkout_sandbox_link, fixture_tear_down);
  g_test_add ("/links/customer", Fixture, NULL, fixture_set_up, test_customer_client_page, fixture_tear_down);

  return g_test_run ();
}
