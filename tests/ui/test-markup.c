/* test-markup.c — what the server sends is shown as written, never read as markup.
 *
 * A checkout whose message, metadata and refund details hold Pango markup and an
 * ampersand is created through the real workspace and shown in the real detail
 * pane: some label must carry the raw text exactly. Read as markup, the text
 * would lose its tags (or vanish on the lone "&"), and this test would fail.
 * (Links the console will not open: test-links.c.)
 */
#include "config.h"

#include "np-checkout-detail.h"
#include "np-test-workspace.h"
#include "np-toast.h"

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

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/markup/detail", test_detail_shows_server_text_as_written);
  g_test_add_func ("/markup/toast", test_toast_shows_text_as_written);

  return g_test_run ();
}
