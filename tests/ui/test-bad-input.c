/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-bad-input.c — what a person may type into the forms, through the real forms on
 * a real workspace (sandbox over loopback, ledger, keyring).
 *
 * Every field of New Checkout, Refund, Metadata, New Customer and the account editor
 * gets empty text, 10,000 characters, control characters, negative and huge amounts,
 * too many decimals, hostile URLs and oversized metadata. Each is refused: the form's
 * Create/Save stays insensitive, or pressing it shows a message and leaves the form
 * open; and the sandbox counts no request at all (what the server would have been
 * asked is the point: a refusal by the server is too late).
 *
 * A refusal proves nothing about a form that refuses everything, so each form is
 * also given good input: its submit is then sensitive and pressing it performs the
 * operation, as the sandbox, the ledger or the keyring then show.
 */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "np-account-editor.h"
#include "np-checkout-metadata-dialog.h"
#include "np-checkout-new-dialog.h"
#include "np-checkout-refund-dialog.h"
#include "np-customer-dialog.h"
#include "np-test-sandbox.h"
#include "np-test-utils.h"
#include "np-test-workspace.h"

#define TIMEOUT_MS 15000

/* Every call the forms could make. */
static const char *const api_paths[] = {
  "/checkout/create", "/checkout/retrieve", "/checkout/capture", "/checkout/refund", "/checkout/update",
  "/checkout/delete", "/checkout/create-customer", "/checkout/retrieve-customer", "/checkout/delete-customer",
};

static guint
count_api_requests (NpTestSandbox *sandbox)
{
  guint total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (api_paths); i++)
    total += np_test_sandbox_count_requests (sandbox, api_paths[i]);
  return total;
}

/* Widget tree ------------------------------------------------------------------ */

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

/* A row by the start of its title ("Amount" finds "Amount (SEK)"), mnemonics ignored. */
static gboolean
match_row_title (GtkWidget *widget, gconstpointer data)
{
  g_autoptr(GString) title = NULL;

  if (!ADW_IS_PREFERENCES_ROW (widget))
    return FALSE;
  title = g_string_new (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  g_string_replace (title, "_", "", 0);
  return g_str_has_prefix (title->str, data);
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

static gboolean
match_action (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_ACTIONABLE (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
match_type (GtkWidget *widget, gconstpointer data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

/* A message a person can read: a shown label styled as an error, with text. */
static gboolean
match_error_label (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) && gtk_widget_has_css_class (widget, "error") &&
         *gtk_label_get_text (GTK_LABEL (widget)) != '\0';
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
set_row (GtkWidget  *form,
         const char *title,
         const char *text)
{
  GtkWidget *row = find_widget (form, match_row_title, title);

  if (row == NULL)
    g_error ("no row titled %s", title);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

typedef struct {
  GtkWidget *form;
  gboolean   closed;
} Refusal;

static gboolean
refused_or_closed (gpointer data)
{
  Refusal *r = data;

  return r->closed || find_widget (r->form, match_error_label, NULL) != NULL;
}

static void
on_form_destroyed (gpointer  data,
                   GObject  *where_the_object_was)
{
  ((Refusal *) data)->closed = TRUE;
}

/* The form's @submit button is insensitive, or pressing it shows a message and
 * leaves the form open; in either case the sandbox heard nothing. Destroys @form. */
static void
assert_refused (NpTestSandbox *sandbox,
                GtkWidget     *form,
                WidgetMatch    submit_match,
                gconstpointer  submit,
                const char    *what)
{
  guint before = count_api_requests (sandbox);
  GtkWidget *button;
  Refusal r = { form, FALSE };

  drain ();
  button = find_widget (form, submit_match, submit);
  if (button == NULL)
    g_error ("%s: no submit button", what);
  g_object_weak_ref (G_OBJECT (form), on_form_destroyed, &r);

  if (gtk_widget_is_sensitive (button))
    {
      g_signal_emit_by_name (button, "clicked");
      np_test_wait_until (refused_or_closed, &r, TIMEOUT_MS, what);
      if (r.closed)
        g_error ("%s: accepted, the form closed", what);
    }

  drain ();
  if (count_api_requests (sandbox) != before)
    g_error ("%s: %u request(s) reached the sandbox", what, count_api_requests (sandbox) - before);
  g_test_message ("refused: %s", what);

  if (!r.closed)
    {
      g_object_weak_unref (G_OBJECT (form), on_form_destroyed, &r);
      /* GTK 4.8 warns when a window goes with its text entry still focused. */
      gtk_window_set_focus (GTK_WINDOW (form), NULL);
      gtk_window_destroy (GTK_WINDOW (form));
    }
}

static void
on_form_destroy (GtkWidget *form,
                 Refusal   *r)
{
  r->closed = TRUE;
  g_signal_handlers_disconnect_by_data (form, r);
}

static GtkWidget *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (window))
        return window;
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

/* Good input: the form's @submit button is sensitive and no error is shown;
 * pressing it (and answering @confirm to the confirmation, when not NULL) closes
 * the form, which the forms do only once the server confirmed the operation.
 * The caller then checks that the operation happened. */
static void
assert_accepted (GtkWidget     *form,
                 WidgetMatch    submit_match,
                 gconstpointer  submit,
                 const char    *confirm,
                 const char    *what)
{
  GtkWidget *button;
  GtkWidget *error_label;
  Refusal r = { form, FALSE };

  drain ();
  button = find_widget (form, submit_match, submit);
  if (button == NULL)
    g_error ("%s: no submit button", what);
  error_label = find_widget (form, match_error_label, NULL);
  if (error_label != NULL)
    g_error ("%s: good input shows an error: %s", what, gtk_label_get_text (GTK_LABEL (error_label)));
  if (!gtk_widget_is_sensitive (button))
    g_error ("%s: good input refused: the submit button is insensitive", what);

  g_signal_connect (form, "destroy", G_CALLBACK (on_form_destroy), &r);
  g_signal_emit_by_name (button, "clicked");
  if (confirm != NULL)
    {
      AdwMessageDialog *dialog;

      np_test_wait_until (message_dialog_shown, NULL, TIMEOUT_MS, "the confirmation");
      dialog = ADW_MESSAGE_DIALOG (find_message_dialog ());
      g_assert_true (adw_message_dialog_has_response (dialog, confirm));
      adw_message_dialog_response (dialog, confirm);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  np_test_wait_until (refused_or_closed, &r, TIMEOUT_MS, what);
  if (!r.closed)
    {
      error_label = find_widget (form, match_error_label, NULL);
      g_error ("%s: good input failed: %s", what, gtk_label_get_text (GTK_LABEL (error_label)));
    }
  g_test_message ("accepted: %s", what);
}

/* The checkout as the sandbox has it now (its test world, as the workspace's account). */
static JsonObject *
sandbox_checkout (NpTestSandbox *sandbox,
                  const char    *checkout_id)
{
  g_autofree char *body = g_strdup_printf ("{\"checkout_id\": \"%s\"}", checkout_id);
  g_autoptr(JsonNode) answer = NULL;

  g_assert_cmpuint (np_test_sandbox_call (sandbox, "/checkout/retrieve", body, &answer), ==, 200);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
  return json_object_ref (json_node_get_object (answer));
}

static GtkWidget *
present (GtkWidget *form)
{
  gtk_window_present (GTK_WINDOW (form));
  np_test_wait_until (widget_mapped, form, TIMEOUT_MS, "the form to map");
  return form;
}

/* Inputs ---------------------------------------------------------------------- */

static char *long_text;      /* 10,000 letters */
static char *long_digits;    /* 10,000 digits */
static char *long_url;       /* https://example.com/ and 10,000 letters */

typedef struct {
  const char *field;
  const char *text;          /* NULL: one of the long texts, by @which */
  int         which;         /* 0 letters, 1 digits, 2 URL */
} BadInput;

static const char *
input_text (const BadInput *input)
{
  if (input->text != NULL)
    return input->text;
  return input->which == 0 ? long_text : input->which == 1 ? long_digits : long_url;
}

static char *
describe (const char     *form,
          const BadInput *input)
{
  g_autofree char *shown = g_strescape (input_text (input), NULL);

  if (strlen (shown) > 40)
    strcpy (shown + 30, "… (long)");
  return g_strdup_printf ("%s: %s = \"%s\"", form, input->field, shown);
}

/* New Checkout ------------------------------------------------------------------ */

static const BadInput new_checkout_inputs[] = {
  { "Amount", "", 0 }, { "Amount", "-5", 0 }, { "Amount", "-0.01", 0 }, { "Amount", "0", 0 },
  { "Amount", "1.234", 0 }, { "Amount", "12.5.0", 0 }, { "Amount", "abc", 0 },
  { "Amount", "99999999999999999999999", 0 }, { "Amount", NULL, 1 }, { "Amount", "1\x07", 0 },
  { "Amount", "1e9", 0 },
  { "Message", "", 0 }, { "Message", "   ", 0 }, { "Message", NULL, 0 }, { "Message", "bell\x07", 0 },
  { "Message", "escape\x1b[31m", 0 },
  { "Your reference", NULL, 0 }, { "Your reference", "ref\x01", 0 },
  { "Return URL", "javascript:alert(1)", 0 }, { "Return URL", "JavaScript:alert(1)", 0 },
  { "Return URL", "data:text/html,<b>x</b>", 0 }, { "Return URL", "ftp://example.com/", 0 },
  { "Return URL", "not a url", 0 }, { "Return URL", "https://", 0 }, { "Return URL", NULL, 2 },
  { "Return URL", "https://example.com/\x01", 0 },
  { "Cancel URL", "javascript:alert(1)", 0 }, { "Cancel URL", "file:///etc/passwd", 0 },
  { "Cancel URL", NULL, 2 },
  { "Saved card id", NULL, 0 },
};

static GtkWidget *
new_checkout_form (NpTestWorkspace *tw)
{
  GtkWidget *form = present (GTK_WIDGET (np_checkout_new_dialog_new (tw->workspace)));

  set_row (form, "Amount", "12.50");
  set_row (form, "Message", "Order 1");
  return form;
}

static void
test_new_checkout (void)
{
  g_autoptr(NpTestWorkspace) tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);

  for (guint i = 0; i < G_N_ELEMENTS (new_checkout_inputs); i++)
    {
      const BadInput *input = &new_checkout_inputs[i];
      g_autofree char *what = describe ("New Checkout", input);
      GtkWidget *form = new_checkout_form (tw);

      set_row (form, input->field, input_text (input));
      assert_refused (tw->sandbox, form, match_action, "new-checkout.create", what);
    }

  /* The same form as it comes, with good input: created. */
  assert_accepted (new_checkout_form (tw), match_action, "new-checkout.create", NULL,
                   "New Checkout: 12.50 SEK, \"Order 1\"");
  g_assert_cmpuint (np_test_sandbox_count_applied (tw->sandbox, "/checkout/create"), ==, 1);
  {
    g_autoptr(GPtrArray) rows = np_ledger_list_checkouts (tw->ledger, np_account_get_id (tw->account),
                                                          NULL, 0, 10, NULL);

    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_cmpint (np_checkout_row_get_amount (g_ptr_array_index (rows, 0)), ==, 1250);
    g_assert_cmpstr (np_checkout_row_get_message (g_ptr_array_index (rows, 0)), ==, "Order 1");
  }
}

/* A currency whose amounts have no decimals (JPY), or more than two: the same text
 * is then too precise. */
static void
test_new_checkout_currency (void)
{
  g_autoptr(NpTestWorkspace) tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  GtkWidget *form = new_checkout_form (tw);
  GtkDropDown *currency = GTK_DROP_DOWN (find_widget (form, match_type, GSIZE_TO_POINTER (GTK_TYPE_DROP_DOWN)));
  GListModel *codes = gtk_drop_down_get_model (currency);
  guint jpy = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < g_list_model_get_n_items (codes); i++)
    {
      g_autoptr(GtkStringObject) code = g_list_model_get_item (codes, i);

      if (g_strcmp0 (gtk_string_object_get_string (code), "JPY") == 0)
        jpy = i;
    }
  if (jpy == GTK_INVALID_LIST_POSITION)
    {
      gtk_window_destroy (GTK_WINDOW (form));
      g_test_skip ("no JPY in the currency list");
      return;
    }
  gtk_drop_down_set_selected (currency, jpy);
  set_row (form, "Amount", "12.50");
  assert_refused (tw->sandbox, form, match_action, "new-checkout.create", "New Checkout: 12.50 JPY");
}

/* Metadata the API would refuse by size: refused here, at the form. */
static void
test_new_checkout_metadata (void)
{
  g_autoptr(NpTestWorkspace) tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  struct { const char *what; guint rows; gboolean long_value; const char *key; } cases[] = {
    { "a key of 10,000 characters", 1, FALSE, NULL },
    { "a value of 10,000 characters", 1, TRUE, "k" },
    { "500 keys", 500, FALSE, "" },
    { "a key with a control character", 1, FALSE, "k\x01" },
    { "a value without a key", 1, FALSE, "" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      GtkWidget *form = new_checkout_form (tw);
      NpCheckoutMetadataEditor *editor =
        NP_CHECKOUT_METADATA_EDITOR (find_widget (form, match_type, GSIZE_TO_POINTER (NP_TYPE_CHECKOUT_METADATA_EDITOR)));
      g_autofree char *what = g_strdup_printf ("New Checkout: metadata with %s", cases[c].what);

      for (guint i = 0; i < cases[c].rows; i++)
        {
          g_autofree char *key = cases[c].key == NULL ? g_strdup (long_text)
                                 : *cases[c].key == '\0' && cases[c].rows > 1 ? g_strdup_printf ("key%u", i)
                                 : g_strdup (cases[c].key);

          np_checkout_metadata_editor_add_row (editor, key, cases[c].long_value ? long_text : "value");
        }
      assert_refused (tw->sandbox, form, match_action, "new-checkout.create", what);
    }
}

/* Refund --------------------------------------------------------------------------- */

static const BadInput refund_inputs[] = {
  { "Amount", "", 0 }, { "Amount", "0", 0 }, { "Amount", "-1", 0 }, { "Amount", "20.01", 0 },
  { "Amount", "1.234", 0 }, { "Amount", "abc", 0 }, { "Amount", "99999999999999999999999", 0 },
  { "Amount", NULL, 1 }, { "Amount", "5\x07", 0 },
  { "Details", NULL, 0 }, { "Details", "bell\x07", 0 },
};

/* Part of the paid 20.00 SEK: 5.00. */
static GtkWidget *
refund_form (NpTestWorkspace *tw,
             NpCheckout      *paid)
{
  GtkWidget *form = present (GTK_WIDGET (np_checkout_refund_dialog_new (tw->workspace, paid)));
  GtkWidget *partial = find_widget (form, match_button_label, "_Part of it");

  /* As a click, or an assistive technology's "click" action, does. */
  g_signal_emit_by_name (partial, "clicked");
  set_row (form, "Amount", "5.00");
  return form;
}

static void
test_refund (void)
{
  g_autoptr(NpTestWorkspace) tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (tw, 2000, "SEK", TRUE);
  g_autoptr(NpCheckout) paid = np_test_workspace_pay (tw, np_checkout_get_id (created));

  g_autoptr(JsonObject) record = NULL;
  g_autoptr(NpCheckoutRow) row = NULL;
  GtkWidget *form;

  for (guint i = 0; i < G_N_ELEMENTS (refund_inputs); i++)
    {
      const BadInput *input = &refund_inputs[i];
      g_autofree char *what = describe ("Refund", input);

      form = refund_form (tw, paid);
      set_row (form, input->field, input_text (input));
      /* The submit button's label names the amount: found by its action. */
      assert_refused (tw->sandbox, form, match_action, "refund.submit", what);
    }

  /* The same form with good input: 5.00 of the 20.00 goes back. */
  form = refund_form (tw, paid);
  set_row (form, "Details", "The customer changed their mind");
  assert_accepted (form, match_action, "refund.submit", "confirm", "Refund: 5.00 of 20.00 SEK");
  g_assert_cmpuint (np_test_sandbox_count_applied (tw->sandbox, "/checkout/refund"), ==, 1);
  record = sandbox_checkout (tw->sandbox, np_checkout_get_id (paid));
  g_assert_cmpint (json_object_get_int_member (record, "refunded_amount"), ==, 500);
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "partialRefund");
  row = np_ledger_get_checkout_row (tw->ledger, np_account_get_id (tw->account), np_checkout_get_id (paid), NULL);
  g_assert_nonnull (row);
  g_assert_cmpint (np_checkout_row_get_refunded_amount (row), ==, 500);
}

/* Metadata dialog --------------------------------------------------------------- */

static void
test_metadata_dialog (void)
{
  g_autoptr(NpTestWorkspace) tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) checkout = np_test_workspace_create_checkout (tw, 2000, "SEK", TRUE);
  struct { const char *what; const char *key; const char *value; guint rows; } cases[] = {
    { "an empty key with a value", "", "value", 1 },
    { "a key of 10,000 characters", NULL, "value", 1 },
    { "a value of 10,000 characters", "k", NULL, 1 },
    { "a key with a control character", "k\x07", "value", 1 },
    { "a key with a space at its end", "k ", "value", 1 },
    { "the same key twice", "dup", "value", 2 },
    { "500 keys", "many", "value", 500 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      NpCheckoutMetadataDialog *dialog = np_checkout_metadata_dialog_new (tw->workspace, checkout);
      NpCheckoutMetadataEditor *editor = np_checkout_metadata_dialog_get_editor (dialog);
      g_autofree char *what = g_strdup_printf ("Metadata: %s", cases[c].what);

      present (GTK_WIDGET (dialog));
      for (guint i = 0; i < cases[c].rows; i++)
        {
          g_autofree char *key = cases[c].key == NULL ? g_strdup (long_text)
                                 : cases[c].rows > 2 ? g_strdup_printf ("%s%u", cases[c].key, i)
                                 : g_strdup (cases[c].key);

          np_checkout_metadata_editor_add_row (editor, key, cases[c].value ? cases[c].value : long_text);
        }
      assert_refused (tw->sandbox, GTK_WIDGET (dialog), match_action, "metadata.save", what);
    }

  /* The same dialog with a good key and value: saved on the server. */
  {
    NpCheckoutMetadataDialog *dialog = np_checkout_metadata_dialog_new (tw->workspace, checkout);
    g_autoptr(JsonObject) record = NULL;
    JsonObject *metadata;

    present (GTK_WIDGET (dialog));
    np_checkout_metadata_editor_add_row (np_checkout_metadata_dialog_get_editor (dialog), "orderId", "1001");
    assert_accepted (GTK_WIDGET (dialog), match_action, "metadata.save", NULL, "Metadata: orderId = 1001");
    g_assert_cmpuint (np_test_sandbox_count_applied (tw->sandbox, "/checkout/update"), ==, 1);
    record = sandbox_checkout (tw->sandbox, np_checkout_get_id (checkout));
    metadata = json_object_get_object_member (record, "metaData");
    g_assert_nonnull (metadata);
    g_assert_cmpstr (json_object_get_string_member_with_default (metadata, "orderId", NULL), ==, "1001");
  }
}

/* New Customer ------------------------------------------------------------------ */

static const BadInput customer_inputs[] = {
  { "First Name", "", 0 }, { "First Name", "   ", 0 }, { "First Name", NULL, 0 }, { "First Name", "Ada\x07", 0 },
  { "Last Name", "", 0 }, { "Last Name", NULL, 0 }, { "Last Name", "Love\x1b[31mlace", 0 },
  { "Email", "", 0 }, { "Email", "not an address", 0 }, { "Email", "a@b", 0 }, { "Email", "javascript:alert(1)", 0 },
  { "Email", "ada@example.com\x01", 0 }, { "Email", NULL, 0 },
};

static GtkWidget *
customer_form (NpTestWorkspace *tw)
{
  GtkWidget *form = present (GTK_WIDGET (np_customer_dialog_new (NULL, tw->workspace)));

  set_row (form, "First Name", "Ada");
  set_row (form, "Last Name", "Lovelace");
  set_row (form, "Email", "ada@example.com");
  return form;
}

static void
test_new_customer (void)
{
  g_autoptr(NpTestWorkspace) tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);

  g_autoptr(GPtrArray) rows = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (customer_inputs); i++)
    {
      const BadInput *input = &customer_inputs[i];
      g_autofree char *what = describe ("New Customer", input);
      GtkWidget *form = customer_form (tw);

      set_row (form, input->field, input_text (input));
      assert_refused (tw->sandbox, form, match_action, "customer-dialog.create", what);
    }

  /* The same form with its good input: created. */
  assert_accepted (customer_form (tw), match_action, "customer-dialog.create", NULL,
                   "New Customer: Ada Lovelace <ada@example.com>");
  g_assert_cmpuint (np_test_sandbox_count_applied (tw->sandbox, "/checkout/create-customer"), ==, 1);
  rows = np_ledger_list_customers (tw->ledger, np_account_get_id (tw->account), NULL, 0, 10, NULL);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (np_customer_row_get_email (g_ptr_array_index (rows, 0)), ==, "ada@example.com");
}

/* Account editor ---------------------------------------------------------------- */

static const BadInput account_inputs[] = {
  { "Name", "", 0 }, { "Name", "   ", 0 }, { "Name", NULL, 0 }, { "Name", "Shop\x07", 0 },
  { "Base URL", "", 0 }, { "Base URL", "javascript:alert(1)", 0 }, { "Base URL", "ftp://127.0.0.1/", 0 },
  { "Base URL", "http://example.com", 0 }, { "Base URL", "not a url", 0 }, { "Base URL", NULL, 2 },
  { "Base URL", "https://exa mple.com", 0 }, { "Base URL", "https://example.com/\x01", 0 },
  { "API Key", "", 0 }, { "API Key", NULL, 0 }, { "API Key", "key\x07", 0 },
};

/* A new account "Second Shop" on the sandbox, with its test key. */
static GtkWidget *
account_form (NpTestWorkspace *tw)
{
  GtkWidget *form = present (GTK_WIDGET (np_account_editor_new (NULL, tw->workspace, NULL)));

  set_row (form, "Name", "Second Shop");
  set_row (form, "Base URL", np_test_sandbox_get_base_url (tw->sandbox));
  set_row (form, "API Key", np_test_sandbox_get_test_key (tw->sandbox));
  return form;
}

static gboolean
match_css_class (GtkWidget *widget, gconstpointer data)
{
  return gtk_widget_has_css_class (widget, data);
}

static gboolean
connection_tested (gpointer data)
{
  GtkWidget *form = data;

  return find_widget (form, match_css_class, "success") != NULL || find_widget (form, match_css_class, "error") != NULL;
}

static void
test_account_editor (void)
{
  g_autoptr(NpTestWorkspace) tw = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key = NULL;
  GtkWidget *form;
  GtkWidget *test_button;
  NpAccount *added;

  for (guint i = 0; i < G_N_ELEMENTS (account_inputs); i++)
    {
      const BadInput *input = &account_inputs[i];
      g_autofree char *what = describe ("Account editor", input);

      form = account_form (tw);
      set_row (form, input->field, input_text (input));
      /* Test Connection does not need the name, but must not send a URL or key
       * that Save refuses. */
      if (g_strcmp0 (input->field, "Name") != 0)
        {
          g_autofree char *test_what = g_strconcat (what, " (Test)", NULL);

          assert_refused (tw->sandbox, form, match_button_label, "_Test", test_what);
        }
      else
        {
          gtk_window_set_focus (GTK_WINDOW (form), NULL);
          gtk_window_destroy (GTK_WINDOW (form));
        }
      form = account_form (tw);
      set_row (form, input->field, input_text (input));
      assert_refused (tw->sandbox, form, match_button_label, "_Save", what);
    }

  /* The same form with good input: Test reaches the sandbox and succeeds, and Save
   * adds the account with its key in the keyring. */
  g_assert_null (np_accounts_find_by_name (tw->accounts, "Second Shop"));
  form = account_form (tw);
  drain ();
  test_button = find_widget (form, match_button_label, "_Test");
  if (!gtk_widget_is_sensitive (test_button))
    g_error ("Account editor: good input refused: Test is insensitive");
  g_signal_emit_by_name (test_button, "clicked");
  np_test_wait_until (connection_tested, form, TIMEOUT_MS, "the connection test");
  if (find_widget (form, match_css_class, "success") == NULL)
    g_error ("Account editor: the connection test of good input failed");
  /* The probe and its check with a key that cannot be valid. */
  g_assert_cmpuint (np_test_sandbox_count_requests (tw->sandbox, "/checkout/retrieve"), ==, 2);

  assert_accepted (form, match_button_label, "_Save", NULL, "Account editor: Second Shop");
  added = np_accounts_find_by_name (tw->accounts, "Second Shop");
  g_assert_nonnull (added);
  g_assert_cmpstr (np_account_get_base_url (added), ==, np_test_sandbox_get_base_url (tw->sandbox));
  {
    g_autoptr(NpAccount) stored = np_ledger_get_account (tw->ledger, np_account_get_id (added), NULL);

    g_assert_nonnull (stored);
    g_assert_cmpstr (np_account_get_name (stored), ==, "Second Shop");
  }
  np_accounts_lookup_key_async (tw->accounts, added, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, TIMEOUT_MS);
  key = np_accounts_lookup_key_finish (tw->accounts, result, NULL);
  g_assert_cmpstr (key, ==, np_test_sandbox_get_test_key (tw->sandbox));
  g_clear_object (&result);

  /* Leave no second key in the harness's keyring. */
  np_accounts_remove_async (tw->accounts, added, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, TIMEOUT_MS);
  g_assert_true (np_accounts_remove_finish (tw->accounts, result, NULL));
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();
  /* Without a window manager focus moves between windows without focus-out events,
   * and a blinking cursor in a window that lost it warns (fatally, in a test):
   * GTK 4.8's "GtkText - did not receive a focus-out event". */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-cursor-blink", FALSE,
                NULL);

  long_text = g_strnfill (10000, 'x');
  long_digits = g_strnfill (10000, '9');
  long_url = g_strconcat ("https://example.com/", long_text, NULL);

  g_test_add_func ("/bad-input/new-checkout", test_new_checkout);
  g_test_add_func ("/bad-input/new-checkout-currency", test_new_checkout_currency);
  g_test_add_func ("/bad-input/new-checkout-metadata", test_new_checkout_metadata);
  g_test_add_func ("/bad-input/refund", test_refund);
  g_test_add_func ("/bad-input/metadata-dialog", test_metadata_dialog);
  g_test_add_func ("/bad-input/new-customer", test_new_customer);
  g_test_add_func ("/bad-input/account-editor", test_account_editor);
  return g_test_run ();
}
