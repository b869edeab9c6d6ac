/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-checkouts-operations.c — what the Checkouts detail does to a checkout, against
 * the real sandbox, ledger and keyring in a real window.
 *
 * Pay on the sandbox's page, refresh, refund part through the dialog, then the
 * rest; capture a reserved checkout; add and remove metadata; delete a created
 * checkout; a doubled Refund sends one request; a refund whose answer is dropped
 * shows the unknown outcome until a refresh settles it.
 */
#include "config.h"

#include "np-checkout-metadata-dialog.h"
#include "np-checkout-refund-dialog.h"
#include "test-checkouts-common.h"

static GtkWidget *
detail (Fixture *f)
{
  return GTK_WIDGET (page_detail (f));
}

/* Opens the refund dialog from the detail; @amount NULL keeps "everything that remains". */
static NpCheckoutRefundDialog *
open_refund (Fixture    *f,
             const char *amount)
{
  NpCheckoutRefundDialog *dialog;

  g_assert_true (action_enabled (detail (f), "checkout.refund"));
  g_assert_true (gtk_widget_activate_action (detail (f), "checkout.refund", NULL));
  dialog = NP_CHECKOUT_REFUND_DIALOG (wait_toplevel (NP_TYPE_CHECKOUT_REFUND_DIALOG));

  if (amount != NULL)
    {
      GtkWidget *full = find_descendant (GTK_WIDGET (dialog), GTK_TYPE_TOGGLE_BUTTON);
      GtkWidget *partial = gtk_widget_get_next_sibling (full);
      GtkWidget *amount_row = find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);

      /* As a click on "Part of it" (or its AT-SPI "click" action) does. */
      g_assert_true (GTK_IS_TOGGLE_BUTTON (partial));
      g_signal_emit_by_name (partial, "clicked");
      g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (full)));
      g_assert_true (gtk_widget_get_sensitive (amount_row));
      gtk_editable_set_text (GTK_EDITABLE (amount_row), amount);
    }

  return dialog;
}

static void
test_pay_refresh_refund (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 10000, "SEK", TRUE);
  const char *id = np_checkout_get_id (checkout);
  NpCheckoutRefundDialog *dialog;
  GtkWidget *amount_row;
  g_autofree char *heading = NULL;

  select_checkout (f, id);
  g_assert_cmpstr (detail_status (f), ==, "created");
  g_assert_false (action_enabled (detail (f), "checkout.refund"));

  /* The buyer pays on the hosted page; the console learns it by refreshing. */
  g_assert_true (np_test_sandbox_pay (f->tw->sandbox, id, "success"));
  g_assert_true (action_enabled (GTK_WIDGET (f->page), "checkouts.refresh"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "checkouts.refresh", NULL));
  g_assert_true (page_is_working (f));
  wait_ledger_status (f, id, "paid");
  select_checkout (f, id);
  g_assert_cmpstr (detail_status (f), ==, "paid");

  /* Part: more than remains is refused inline, 30.00 goes through. */
  dialog = open_refund (f, "150");
  amount_row = find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  g_assert_true (gtk_widget_has_css_class (amount_row, "error"));
  g_assert_false (action_enabled (GTK_WIDGET (dialog), "refund.submit"));
  gtk_editable_set_text (GTK_EDITABLE (amount_row), "30");
  g_assert_true (action_enabled (GTK_WIDGET (dialog), "refund.submit"));
  save_screenshot (GTK_WIDGET (dialog), "checkouts-refund-dialog.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "refund.submit", NULL));
  heading = answer_message_dialog ("confirm");
  g_assert_nonnull (strstr (heading, "30.00\u00a0SEK"));
  wait_toplevel_gone (NP_TYPE_CHECKOUT_REFUND_DIALOG);
  wait_ledger_status (f, id, "partialRefund");
  select_checkout (f, id);
  g_assert_cmpint (np_checkout_get_refunded_amount (np_checkout_detail_get_checkout (page_detail (f))), ==, 3000);
  g_assert_cmpint (np_checkout_get_refundable_amount (np_checkout_detail_get_checkout (page_detail (f))), ==, 7000);

  /* The rest: prefilled with what remains. */
  dialog = open_refund (f, NULL);
  amount_row = find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (amount_row)), ==, "70.00");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "refund.submit", NULL));
  g_clear_pointer (&heading, g_free);
  heading = answer_message_dialog ("confirm");
  g_assert_nonnull (strstr (heading, "70.00\u00a0SEK"));
  wait_toplevel_gone (NP_TYPE_CHECKOUT_REFUND_DIALOG);
  wait_ledger_status (f, id, "refunded");
  select_checkout (f, id);
  g_assert_cmpstr (detail_status (f), ==, "refunded");
  g_assert_false (action_enabled (detail (f), "checkout.refund"));
  g_assert_cmpuint (np_test_sandbox_count_applied (f->tw->sandbox, "/checkout/refund"), ==, 2);
}

static void
test_double_refund_sends_one (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 5000, "SEK", TRUE);
  g_autoptr(NpCheckout) paid = np_test_workspace_pay (f->tw, np_checkout_get_id (checkout));
  const char *id = np_checkout_get_id (checkout);
  NpCheckoutRefundDialog *dialog;
  g_autofree char *heading = NULL;

  /* A slow answer keeps the first refund in flight while the second press comes. */
  np_test_sandbox_add_fault (f->tw->sandbox, "/checkout/refund", "latency:500", 1);
  select_checkout (f, id);
  dialog = open_refund (f, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "refund.submit", NULL));
  /* Enter again while the confirmation is up: no second confirmation. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "refund.submit", NULL);
  heading = answer_message_dialog ("confirm");
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  /* And again while the refund is in flight: refused by the form and the detail. */
  g_assert_false (action_enabled (GTK_WIDGET (dialog), "refund.submit"));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "refund.submit", NULL);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (np_workspace_is_busy (f->tw->workspace, id));

  wait_toplevel_gone (NP_TYPE_CHECKOUT_REFUND_DIALOG);
  wait_ledger_status (f, id, "refunded");
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/refund"), ==, 1);
}

typedef struct {
  Fixture *f;
  gint64   account_id;
  guint    n_before;
} JournalWait;

static NpJournalEntry *
latest_entry (NpLedger *ledger,
              gint64    account_id)
{
  g_autoptr(GPtrArray) entries = np_ledger_journal_list (ledger, account_id, NULL, 0, 1, NULL);

  return entries != NULL && entries->len > 0 ? g_object_ref (g_ptr_array_index (entries, 0)) : NULL;
}

static gboolean
refund_journal_finished (gpointer data)
{
  JournalWait *wait = data;
  g_autoptr(NpJournalEntry) entry = latest_entry (wait->f->tw->ledger, wait->account_id);

  return entry != NULL && np_journal_entry_get_operation (entry) == NP_JOURNAL_OPERATION_REFUND
         && np_journal_entry_get_state (entry) != NP_JOURNAL_STATE_PENDING;
}

/* Opens the refund dialog for everything that remains of a paid checkout, with the
 * sandbox answering the refund slowly, and confirms: the refund is in flight. */
static NpCheckoutRefundDialog *
start_slow_refund (Fixture    *f,
                   const char *id)
{
  NpCheckoutRefundDialog *dialog;
  g_autofree char *heading = NULL;

  np_test_sandbox_add_fault (f->tw->sandbox, "/checkout/refund", "latency:1500", 1);
  select_checkout (f, id);
  dialog = open_refund (f, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "refund.submit", NULL));
  heading = answer_message_dialog ("confirm");
  g_assert_true (np_workspace_is_busy (f->tw->workspace, id));
  g_assert_cmpuint (np_workspace_get_mutations (f->tw->workspace), ==, 1);
  return dialog;
}

static void
assert_refund_succeeded (Fixture    *f,
                         gint64      account_id,
                         const char *id)
{
  g_autoptr(NpJournalEntry) entry = NULL;
  g_autoptr(NpCheckoutRow) row = NULL;
  JournalWait wait = { f, account_id, 0 };

  np_test_wait_until (refund_journal_finished, &wait, TIMEOUT_MS, "the refund's journal row");
  entry = latest_entry (f->tw->ledger, account_id);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/refund"), ==, 1);
  g_assert_cmpuint (np_test_sandbox_count_applied (f->tw->sandbox, "/checkout/refund"), ==, 1);
  row = np_ledger_get_checkout_row (f->tw->ledger, account_id, id, NULL);
  g_assert_cmpstr (np_checkout_row_get_status_text (row), ==, "refunded");
  g_assert_cmpuint (np_workspace_get_mutations (f->tw->workspace), ==, 0);
}

/* Escape on the refund dialog while the refund is in flight closes the dialog;
 * the refund finishes all the same and the journal says SUCCEEDED. */
static void
test_escape_during_refund (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 4000, "SEK", TRUE);
  g_autoptr(NpCheckout) paid = np_test_workspace_pay (f->tw, np_checkout_get_id (checkout));
  const char *id = np_checkout_get_id (checkout);
  NpCheckoutRefundDialog *dialog = start_slow_refund (f, id);

  /* The close button says it closes, not cancels: the refund has left. */
  g_assert_nonnull (find_label_containing (GTK_WIDGET (dialog), "does not stop the refund"));
  /* Escape is bound to window.close, as a key press would activate it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  wait_toplevel_gone (NP_TYPE_CHECKOUT_REFUND_DIALOG);
  g_assert_cmpuint (np_test_sandbox_count_applied (f->tw->sandbox, "/checkout/refund"), ==, 0);

  assert_refund_succeeded (f, np_account_get_id (f->tw->account), id);
}

/* Switching account while the refund is in flight: it finishes in the account it
 * was made in, journalled SUCCEEDED there, and the sandbox made it. */
static void
test_account_switch_during_refund (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 4000, "SEK", TRUE);
  g_autoptr(NpCheckout) paid = np_test_workspace_pay (f->tw, np_checkout_get_id (checkout));
  g_autoptr(NpAccount) other = np_account_new ("Other shop", np_test_sandbox_get_base_url (f->tw->sandbox),
                                               NP_ENVIRONMENT_TEST);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = np_checkout_get_id (checkout);
  gint64 account_id = np_account_get_id (f->tw->account);

  np_accounts_add_async (f->tw->accounts, other, np_test_sandbox_get_test_key (f->tw->sandbox), NULL,
                         np_test_store_result, &result);
  np_accounts_add_finish (f->tw->accounts, np_test_wait_result (&result, TIMEOUT_MS), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  start_slow_refund (f, id);
  np_workspace_set_account_async (f->tw->workspace, other, NULL, np_test_store_result, &result);
  np_workspace_set_account_finish (f->tw->workspace, np_test_wait_result (&result, TIMEOUT_MS), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (np_workspace_get_account_id (f->tw->workspace), !=, account_id);

  assert_refund_succeeded (f, account_id, id);

  np_accounts_remove_async (f->tw->accounts, other, NULL, np_test_store_result, &result);
  np_accounts_remove_finish (f->tw->accounts, np_test_wait_result (&result, TIMEOUT_MS), NULL);
}

static gboolean
unknown_shown (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_visible (DETAIL_CHILD (page_detail (f), GtkWidget, "unknown_box"));
}

static gboolean
unknown_hidden (gpointer data)
{
  return !unknown_shown (data);
}

static gboolean
label_shown (gpointer data)
{
  void **pair = data;

  return find_label_containing (pair[0], pair[1]) != NULL;
}

static void
test_dropped_refund_is_unknown (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 2000, "SEK", TRUE);
  g_autoptr(NpCheckout) paid = np_test_workspace_pay (f->tw, np_checkout_get_id (checkout));
  const char *id = np_checkout_get_id (checkout);
  NpCheckoutRefundDialog *dialog;
  g_autofree char *heading = NULL;
  void *pair[2];

  np_test_sandbox_add_fault (f->tw->sandbox, "/checkout/refund", "drop", 1);
  select_checkout (f, id);
  dialog = open_refund (f, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "refund.submit", NULL));
  heading = answer_message_dialog ("confirm");

  /* Said in the dialog, which will not send it again. */
  pair[0] = dialog;
  pair[1] = "no answer came back";
  np_test_wait_until (label_shown, pair, TIMEOUT_MS, "the unknown-outcome explanation");
  g_assert_false (action_enabled (GTK_WIDGET (dialog), "refund.submit"));
  gtk_window_close (GTK_WINDOW (dialog));
  wait_toplevel_gone (NP_TYPE_CHECKOUT_REFUND_DIALOG);

  /* The detail asks for a refresh, which settles it (the sandbox did refund). */
  np_test_wait_until (unknown_shown, f, TIMEOUT_MS, "the unknown outcome in the detail");
  g_assert_true (gtk_widget_activate_action (detail (f), "checkout.refresh", NULL));
  np_test_wait_until (unknown_hidden, f, TIMEOUT_MS, "the refresh to settle the outcome");
  wait_ledger_status (f, id, "refunded");
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/refund"), ==, 1);
}

static void
test_capture (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 4200, "EUR", FALSE);
  g_autoptr(NpCheckout) reserved = np_test_workspace_pay (f->tw, np_checkout_get_id (checkout));
  const char *id = np_checkout_get_id (checkout);
  g_autofree char *heading = NULL;

  g_assert_cmpstr (np_checkout_get_status_text (reserved), ==, "reserved");
  select_checkout (f, id);
  g_assert_true (action_enabled (detail (f), "checkout.capture"));
  g_assert_false (action_enabled (detail (f), "checkout.delete"));

  /* Cancelling the confirmation sends nothing. */
  g_assert_true (gtk_widget_activate_action (detail (f), "checkout.capture", NULL));
  g_clear_pointer (&heading, g_free);
  heading = answer_message_dialog ("cancel");
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/capture"), ==, 0);

  g_assert_true (gtk_widget_activate_action (detail (f), "checkout.capture", NULL));
  g_clear_pointer (&heading, g_free);
  heading = answer_message_dialog ("confirm");
  g_assert_nonnull (strstr (heading, "42.00\u00a0EUR"));
  wait_ledger_status (f, id, "paid");
  select_checkout (f, id);
  g_assert_false (action_enabled (detail (f), "checkout.capture"));
  g_assert_cmpuint (np_test_sandbox_count_applied (f->tw->sandbox, "/checkout/capture"), ==, 1);
}

/* On a live account the one confirmation says so and its Capture stays off until
 * the person ticks that they mean the live account. */
static void
test_live_capture_needs_tick (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 2550, "SEK", FALSE);
  g_autoptr(NpCheckout) reserved = np_test_workspace_pay (f->tw, np_checkout_get_id (checkout));
  const char *id = np_checkout_get_id (checkout);
  AdwMessageDialog *confirm;
  GtkWidget *check;

  g_assert_true (np_workspace_get_live (f->tw->workspace));
  select_checkout (f, id);
  g_assert_true (gtk_widget_activate_action (detail (f), "checkout.capture", NULL));
  confirm = ADW_MESSAGE_DIALOG (wait_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (confirm), ==, "Capture 25.50\u00a0SEK on the live account?");
  g_assert_false (adw_message_dialog_get_response_enabled (confirm, "confirm"));
  check = find_descendant (GTK_WIDGET (confirm), GTK_TYPE_CHECK_BUTTON);
  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (adw_message_dialog_get_response_enabled (confirm, "confirm"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  g_assert_false (adw_message_dialog_get_response_enabled (confirm, "confirm"));

  /* Only one dialog, and cancelling it sends nothing. */
  g_free (answer_message_dialog ("cancel"));
  g_assert_cmpuint (np_test_sandbox_count_requests (f->tw->sandbox, "/checkout/capture"), ==, 0);

  g_assert_true (gtk_widget_activate_action (detail (f), "checkout.capture", NULL));
  confirm = ADW_MESSAGE_DIALOG (wait_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  check = find_descendant (GTK_WIDGET (confirm), GTK_TYPE_CHECK_BUTTON);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_free (answer_message_dialog ("confirm"));
  wait_ledger_status (f, id, "paid");
  g_assert_cmpuint (np_test_sandbox_count_applied (f->tw->sandbox, "/checkout/capture"), ==, 1);
}

typedef struct {
  Fixture    *f;
  const char *id;
  const char *key;
  const char *value;   /* NULL: the key is absent */
} MetadataWait;

static gboolean
ledger_metadata_is (gpointer data)
{
  MetadataWait *wait = data;
  g_autoptr(NpCheckout) checkout = np_ledger_get_checkout (wait->f->tw->ledger,
                                                           np_workspace_get_account_id (wait->f->tw->workspace),
                                                           wait->id, NULL);

  return checkout != NULL &&
         g_strcmp0 (g_hash_table_lookup (np_checkout_get_metadata (checkout), wait->key), wait->value) == 0;
}

static void
test_metadata_round_trip (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 1200, "SEK", TRUE);
  const char *id = np_checkout_get_id (checkout);
  NpCheckoutMetadataDialog *dialog;
  NpCheckoutMetadataEditor *editor;
  GtkEditable *key;
  MetadataWait wait = { f, id, "orderId", "1001" };

  select_checkout (f, id);
  g_assert_true (gtk_widget_activate_action (detail (f), "checkout.edit-metadata", NULL));
  dialog = NP_CHECKOUT_METADATA_DIALOG (wait_toplevel (NP_TYPE_CHECKOUT_METADATA_DIALOG));
  editor = np_checkout_metadata_dialog_get_editor (dialog);

  /* A key with a space at its end is refused before anything is sent. */
  key = np_checkout_metadata_editor_add_row (editor, "orderId ", "1001");
  g_assert_false (np_checkout_metadata_editor_get_valid (editor));
  g_assert_false (action_enabled (GTK_WIDGET (dialog), "metadata.save"));
  gtk_editable_set_text (key, "orderId");
  g_assert_true (np_checkout_metadata_editor_get_valid (editor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "metadata.save", NULL));
  wait_toplevel_gone (NP_TYPE_CHECKOUT_METADATA_DIALOG);
  np_test_wait_until (ledger_metadata_is, &wait, TIMEOUT_MS, "orderId to be stored");

  /* Removing the row sends the key with an empty value, which deletes it. */
  select_checkout (f, id);
  g_assert_true (gtk_widget_activate_action (detail (f), "checkout.edit-metadata", NULL));
  dialog = NP_CHECKOUT_METADATA_DIALOG (wait_toplevel (NP_TYPE_CHECKOUT_METADATA_DIALOG));
  editor = np_checkout_metadata_dialog_get_editor (dialog);
  key = GTK_EDITABLE (find_descendant (GTK_WIDGET (editor), GTK_TYPE_ENTRY));
  g_assert_cmpstr (gtk_editable_get_text (key), ==, "orderId");
  np_checkout_metadata_editor_remove_row (editor, key);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "metadata.save", NULL));
  wait_toplevel_gone (NP_TYPE_CHECKOUT_METADATA_DIALOG);
  wait.value = NULL;
  np_test_wait_until (ledger_metadata_is, &wait, TIMEOUT_MS, "orderId to be removed");
  g_assert_cmpuint (np_test_sandbox_count_applied (f->tw->sandbox, "/checkout/update"), ==, 2);
}

static gboolean
list_is_empty (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (G_LIST_MODEL (page_model (f))) == 0;
}

static void
test_delete_created (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (f->tw, 900, "SEK", TRUE);
  const char *id = np_checkout_get_id (checkout);
  g_autofree char *heading = NULL;
  g_autofree char *body = g_strdup_printf ("{\"checkout_id\": \"%s\"}", id);

  select_checkout (f, id);
  g_assert_true (action_enabled (detail (f), "checkout.delete"));
  g_assert_false (action_enabled (detail (f), "checkout.capture"));
  g_assert_true (gtk_widget_activate_action (detail (f), "checkout.delete", NULL));
  heading = answer_message_dialog ("confirm");

  /* Gone from the list (the ledger keeps it, hidden) and from the server. */
  np_test_wait_until (list_is_empty, f, TIMEOUT_MS, "the deleted checkout to leave the list");
  g_assert_cmpuint (np_test_sandbox_count_applied (f->tw->sandbox, "/checkout/delete"), ==, 1);
  g_assert_cmpuint (np_test_sandbox_call (f->tw->sandbox, "/checkout/retrieve", body, NULL), !=, 200);
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add ("/checkouts/pay-refresh-refund", Fixture, NULL, fixture_set_up, test_pay_refresh_refund, fixture_tear_down);
  g_test_add ("/checkouts/double-refund-sends-one", Fixture, NULL, fixture_set_up, test_double_refund_sends_one, fixture_tear_down);
  g_test_add ("/checkouts/dropped-refund-is-unknown", Fixture, NULL, fixture_set_up, test_dropped_refund_is_unknown, fixture_tear_down);
  g_test_add ("/checkouts/capture", Fixture, NULL, fixture_set_up, test_capture, fixture_tear_down);
  g_test_add ("/checkouts/live-capture-needs-tick", Fixture, GINT_TO_POINTER (NP_ENVIRONMENT_LIVE),
              fixture_set_up, test_live_capture_needs_tick, fixture_tear_down);
  g_test_add ("/checkouts/metadata-round-trip", Fixture, NULL, fixture_set_up, test_metadata_round_trip, fixture_tear_down);
  g_test_add ("/checkouts/delete-created", Fixture, NULL, fixture_set_up, test_delete_created, fixture_tear_down);
  g_test_add ("/checkouts/escape-during-refund", Fixture, NULL, fixture_set_up, test_escape_during_refund, fixture_tear_down);
  g_test_add ("/checkouts/account-switch-during-refund", Fixture, NULL, fixture_set_up,
              test_account_switch_during_refund, fixture_tear_down);

  return g_test_run ();
}
