/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer-detail.c — one customer: contact, client page, saved cards, checkouts, journal.
 *
 * Everything shown comes from the ledger (the customer as last retrieved, the
 * checkouts naming it, the journal rows about it) and follows NpLedger::changed,
 * so a refresh, a new checkout or a delete appears without asking. The
 * operations go through the workspace with this widget's cancellable.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-checkout-list-model.h"
#include "np-feedback.h"
#include "np-customer-detail.h"
#include "np-journal-list-model.h"
#include "np-journal-words.h"
#include "np-link.h"
#include "np-money.h"
#include "np-qr-code.h"
#include "np-status-badge.h"

struct _NpCustomerDetail
{
  AdwBin               parent_instance;

  NpWorkspace         *workspace;
  GSignalGroup        *ledger_signals;
  NpLedger            *ledger;
  char                *customer_id;
  NpCustomer          *customer;     /* NULL until retrieved */
  NpCustomerRow       *row;          /* NULL when the ledger does not know the id */
  NpCheckoutListModel *checkouts;
  NpJournalListModel  *journal;
  GCancellable        *cancellable;
  gboolean             busy;

  GtkLabel            *title_label;
  GtkLabel            *deleted_label;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  AdwActionRow        *email_row;
  AdwActionRow        *id_row;
  AdwActionRow        *created_row;
  AdwActionRow        *refreshed_row;
  AdwPreferencesGroup *client_page_group;
  AdwActionRow        *client_page_row;
  NpQrCode            *qr_code;
  GtkWidget           *qr_button;
  GtkWidget           *copy_link_button;
  GtkWidget           *open_link_button;
  GtkListBox          *cards_list;
  GtkListBox          *metadata_list;
  GtkLabel            *totals_label;
  GtkListBox          *checkouts_list;
  GtkListBox          *journal_list;
};

G_DEFINE_FINAL_TYPE (NpCustomerDetail, np_customer_detail, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_CUSTOMER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gint64
np_customer_detail_account_id (NpCustomerDetail *self)
{
  return self->workspace != NULL ? np_workspace_get_account_id (self->workspace) : 0;
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *utc = NULL;

  if (time == NULL)
    return g_strdup (_("Unknown"));

  local = g_date_time_to_local (time);
  shown = g_date_time_format (local, "%x %X");
  utc = g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
  /* Translators: a local time, then the same time in UTC. */
  return g_strdup_printf (_("%s (%s UTC)"), shown, utc);
}

static void
np_customer_detail_show_error (NpCustomerDetail *self,
                               const char       *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_revealer_set_reveal_child (self->error_revealer, text != NULL);
}

/* Titles and subtitles here are data (emails, names, server text), never markup. */
static GtkWidget *
np_plain_action_row_new (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  return row;
}

static void
clear_list_box (GtkListBox *list_box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list_box))) != NULL)
    gtk_list_box_remove (list_box, child);
}

static void
add_placeholder_row (GtkListBox *list_box,
                     const char *text)
{
  GtkWidget *row = np_plain_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list_box, row);
}

static void
np_customer_detail_fill_cards (NpCustomerDetail *self)
{
  GPtrArray *cards;
  gboolean deleted;

  clear_list_box (self->cards_list);
  if (self->customer == NULL)
    return;

  cards = np_customer_get_saved_cards (self->customer);
  deleted = self->row != NULL && np_customer_row_get_deleted (self->row);
  if (cards->len == 0)
    {
      add_placeholder_row (self->cards_list, _("No saved cards. A paid checkout for this customer that allows saving, or the client page, adds one."));
      return;
    }

  for (guint i = 0; i < cards->len; i++)
    {
      NpSavedCard *card = g_ptr_array_index (cards, i);
      GtkWidget *row = np_plain_action_row_new ();
      GtkWidget *button;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      /* Translators: a card brand and its last four digits, "visa •••• 4242". */
      title = g_strdup_printf (_("%s •••• %s"), card->brand != NULL ? card->brand : _("Card"),
                               card->last4 != NULL ? card->last4 : "????");
      if (card->is_default)
        subtitle = g_strdup_printf (_("Expires %s · Default card"), card->expiry != NULL ? card->expiry : "?");
      else
        subtitle = g_strdup_printf (_("Expires %s"), card->expiry != NULL ? card->expiry : "?");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_name (row, card->card_id);

      button = gtk_button_new_with_label (_("Charge This Card…"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("New checkout paid automatically with this saved card"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "customer.new-checkout");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", card->card_id != NULL ? card->card_id : "");
      gtk_widget_set_sensitive (button, !deleted && card->card_id != NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->cards_list, row);
    }
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
np_customer_detail_fill_metadata (NpCustomerDetail *self)
{
  GHashTable *metadata;
  g_autofree gpointer *keys = NULL;
  guint n_keys = 0;

  clear_list_box (self->metadata_list);
  if (self->customer == NULL)
    return;

  metadata = np_customer_get_metadata (self->customer);
  keys = g_hash_table_get_keys_as_array (metadata, &n_keys);
  if (n_keys == 0)
    {
      add_placeholder_row (self->metadata_list, _("No metadata"));
      return;
    }

  qsort (keys, n_keys, sizeof (gpointer), compare_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      GtkWidget *row = np_plain_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), keys[i]);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), g_hash_table_lookup (metadata, keys[i]));
      gtk_list_box_append (self->metadata_list, row);
    }
}

static void
np_customer_detail_update_totals (NpCustomerDetail *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(NpCustomerRow) row = NULL;
  GPtrArray *totals;

  if (self->customer_id == NULL || self->ledger == NULL)
    {
      gtk_label_set_text (self->totals_label, "");
      return;
    }

  /* The ledger sums the customer's checkouts per currency in SQL. */
  row = np_ledger_get_customer_row (self->ledger, np_customer_detail_account_id (self), self->customer_id, NULL);
  totals = row != NULL ? np_customer_row_get_totals (row) : NULL;
  if (totals == NULL || totals->len == 0)
    {
      gtk_label_set_text (self->totals_label, _("No checkouts for this customer yet."));
      return;
    }

  for (guint i = 0; i < totals->len; i++)
    {
      NpCurrencyTotal *total = g_ptr_array_index (totals, i);
      g_autofree char *amount = np_money_format (total->amount, total->currency);
      g_autofree char *paid = np_money_format (total->paid, total->currency);
      g_autofree char *refunded = np_money_format (total->refunded, total->currency);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (total->overflow)
        {
          g_string_append_printf (text,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u checkout in %s: too large to add up",
                                               "%u checkouts in %s: too large to add up",
                                               total->count),
                                  total->count, total->currency);
          continue;
        }
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u checkout for %s: %s paid, %s refunded",
                                           "%u checkouts for %s: %s paid, %s refunded",
                                           total->count),
                              total->count, amount, paid, refunded);
    }
  gtk_label_set_text (self->totals_label, text->str);
}

static void
np_customer_detail_update_actions (NpCustomerDetail *self)
{
  gboolean known = self->customer_id != NULL && np_customer_detail_account_id (self) != 0;
  gboolean deleted = self->row != NULL && np_customer_row_get_deleted (self->row);
  gboolean has_email = self->customer != NULL && np_customer_get_email (self->customer) != NULL;
  const char *link = self->customer != NULL ? np_customer_get_client_page (self->customer) : NULL;
  /* Checked where it entered (NpCustomer); checked again before a browser sees it. */
  gboolean web_link = np_link_is_openable (link);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.refresh", known && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.delete", known && !deleted && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.new-checkout", known && !deleted && self->customer != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.copy-email", has_email);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.mail", has_email);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.copy-id", known);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.copy-link", link != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.open-link", web_link);
}

static void
np_customer_detail_reload (NpCustomerDetail *self)
{
  gint64 account_id = np_customer_detail_account_id (self);
  const char *link = NULL;
  g_autofree char *name = NULL;
  g_autofree char *created = NULL;
  g_autofree char *refreshed = NULL;

  g_clear_object (&self->customer);
  g_clear_object (&self->row);

  if (self->customer_id != NULL && self->ledger != NULL && account_id != 0)
    {
      self->row = np_ledger_get_customer_row (self->ledger, account_id, self->customer_id, NULL);
      self->customer = np_ledger_get_customer (self->ledger, account_id, self->customer_id, NULL);
    }

  if (self->customer != NULL)
    name = np_customer_dup_display_name (self->customer);
  else
    name = g_strdup (self->customer_id != NULL ? self->customer_id : "");
  gtk_label_set_text (self->title_label, name);
  gtk_widget_set_visible (GTK_WIDGET (self->deleted_label), self->row != NULL && np_customer_row_get_deleted (self->row));

  adw_action_row_set_subtitle (self->email_row, self->customer != NULL && np_customer_get_email (self->customer) != NULL
                                                ? np_customer_get_email (self->customer) : _("Unknown"));
  adw_action_row_set_subtitle (self->id_row, self->customer_id != NULL ? self->customer_id : "");
  created = format_time (self->customer != NULL ? np_customer_get_created (self->customer) : NULL);
  adw_action_row_set_subtitle (self->created_row, created);
  refreshed = format_time (self->row != NULL ? np_customer_row_get_last_refreshed (self->row) : NULL);
  adw_action_row_set_subtitle (self->refreshed_row, refreshed);

  if (self->customer != NULL)
    link = np_customer_get_client_page (self->customer);
  /* A link np_link_is_openable () refused never reaches here: it is not shown as a
   * link, a QR code or a button, only said to exist (and kept in the raw JSON). */
  if (link != NULL)
    adw_action_row_set_subtitle (self->client_page_row, link);
  else if (self->customer != NULL && np_customer_get_client_page_refused (self->customer))
    adw_action_row_set_subtitle (self->client_page_row, _("The server sent a link the console will not open"));
  else
    adw_action_row_set_subtitle (self->client_page_row, _("The server sent no client page link."));
  gtk_widget_set_visible (self->qr_button, link != NULL);
  gtk_widget_set_visible (self->copy_link_button, link != NULL);
  gtk_widget_set_visible (self->open_link_button, link != NULL);
  np_qr_code_set_text (self->qr_code, link);

  if (self->row != NULL && np_customer_row_get_refresh_error (self->row) != NULL)
    np_customer_detail_show_error (self, np_customer_row_get_refresh_error (self->row));

  np_customer_detail_fill_cards (self);
  np_customer_detail_fill_metadata (self);
  np_customer_detail_update_totals (self);
  np_customer_detail_update_actions (self);
}

static GtkWidget *
create_checkout_row (gpointer item,
                     gpointer user_data)
{
  NpCheckoutRow *checkout = item;
  GtkWidget *row = np_plain_action_row_new ();
  GtkWidget *badge = np_status_badge_new ();
  g_autofree char *title = NULL;
  g_autofree char *created = NULL;
  g_autofree char *subtitle = NULL;
  const char *message = np_checkout_row_get_message (checkout);

  if (np_checkout_row_get_retrieved (checkout))
    {
      g_autofree char *amount = np_money_format (np_checkout_row_get_amount (checkout),
                                                 np_checkout_row_get_currency (checkout));

      title = message != NULL && *message != '\0' ? g_strdup_printf ("%s · %s", amount, message)
                                                  : g_steal_pointer (&amount);
    }
  else
    title = g_strdup (_("Not retrieved yet"));

  created = format_time (np_checkout_row_get_created (checkout));
  subtitle = g_strdup_printf ("%s · %s", np_checkout_row_get_checkout_id (checkout), created);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_name (row, np_checkout_row_get_checkout_id (checkout));

  np_status_badge_set_status (NP_STATUS_BADGE (badge), np_checkout_row_get_status_text (checkout));
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  return row;
}

static GtkWidget *
create_journal_row (gpointer item,
                    gpointer user_data)
{
  NpJournalEntry *entry = item;
  GtkWidget *row = np_plain_action_row_new ();
  g_autofree char *started = format_time (np_journal_entry_get_started (entry));
  g_autofree char *subtitle = NULL;
  const char *error_text = np_journal_entry_get_error_text (entry);

  if (error_text != NULL)
    subtitle = g_strdup_printf ("%s · %s · %s", np_journal_state_label (entry), started, error_text);
  else
    subtitle = g_strdup_printf ("%s · %s", np_journal_state_label (entry), started);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), np_journal_entry_get_summary (entry));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  if (np_journal_entry_needs_attention (entry))
    gtk_widget_add_css_class (row, "warning");

  return row;
}

static void
on_checkout_row_activated (NpCustomerDetail *self,
                           GtkListBoxRow    *row)
{
  const char *checkout_id = gtk_widget_get_name (GTK_WIDGET (row));

  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-checkout", "s", checkout_id);
}

static void
on_ledger_changed (NpCustomerDetail *self,
                   NpLedgerTable     table,
                   gint64            account_id,
                   gint64            row_id)
{
  if (account_id != np_customer_detail_account_id (self) || self->customer_id == NULL)
    return;

  if (table == NP_LEDGER_TABLE_CUSTOMERS)
    np_customer_detail_reload (self);
  else if (table == NP_LEDGER_TABLE_CHECKOUTS)
    np_customer_detail_update_totals (self);
}

/* Binds the two list boxes to ledger models for the current customer and account. */
static void
np_customer_detail_rebind_models (NpCustomerDetail *self)
{
  g_autoptr(NpCheckoutQuery) checkout_query = np_checkout_query_new ();
  g_autoptr(NpJournalQuery) journal_query = np_journal_query_new ();
  gint64 account_id = np_customer_detail_account_id (self);

  gtk_list_box_bind_model (self->checkouts_list, NULL, NULL, NULL, NULL);
  gtk_list_box_bind_model (self->journal_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->checkouts);
  g_clear_object (&self->journal);

  if (self->ledger == NULL || self->customer_id == NULL || account_id == 0)
    return;

  np_checkout_query_set_customer_id (checkout_query, self->customer_id);
  checkout_query->include_deleted = TRUE;
  self->checkouts = np_checkout_list_model_new (self->ledger, account_id, checkout_query);
  gtk_list_box_bind_model (self->checkouts_list, G_LIST_MODEL (self->checkouts),
                           create_checkout_row, NULL, NULL);

  np_journal_query_set_object_id (journal_query, self->customer_id);
  self->journal = np_journal_list_model_new (self->ledger, account_id, journal_query);
  gtk_list_box_bind_model (self->journal_list, G_LIST_MODEL (self->journal),
                           create_journal_row, NULL, NULL);
}

const char *
np_customer_detail_get_customer_id (NpCustomerDetail *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_DETAIL (self), NULL);

  return self->customer_id;
}

void
np_customer_detail_set_customer_id (NpCustomerDetail *self,
                                    const char       *customer_id)
{
  g_return_if_fail (NP_IS_CUSTOMER_DETAIL (self));

  if (g_strcmp0 (self->customer_id, customer_id) == 0)
    {
      np_customer_detail_reload (self);
      return;
    }

  /* An operation for the previous customer may still finish; its result is not ours to show. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = FALSE;

  g_free (self->customer_id);
  self->customer_id = g_strdup (customer_id);
  np_customer_detail_show_error (self, NULL);
  np_customer_detail_rebind_models (self);
  np_customer_detail_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
}

NpWorkspace *
np_customer_detail_get_workspace (NpCustomerDetail *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_DETAIL (self), NULL);

  return self->workspace;
}

void
np_customer_detail_set_workspace (NpCustomerDetail *self,
                                  NpWorkspace      *workspace)
{
  g_return_if_fail (NP_IS_CUSTOMER_DETAIL (self));

  if (self->workspace == workspace)
    return;

  g_clear_object (&self->ledger);
  g_set_object (&self->workspace, workspace);
  if (workspace != NULL)
    self->ledger = g_object_ref (np_workspace_get_ledger (workspace));
  g_signal_group_set_target (self->ledger_signals, self->ledger);

  np_customer_detail_rebind_models (self);
  np_customer_detail_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
}

static void
on_checkouts_refreshed (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(NpCustomerDetail) self = user_data;
  g_autoptr(NpRefreshSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = np_workspace_refresh_finish (NP_WORKSPACE (source), result, &error);
  if (summary == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = np_workspace_describe_error (error);

      np_feedback_toast (GTK_WIDGET (self), text);
    }
}

/* Whoever asks about a customer wants to know whether their payments went through. */
static void
np_customer_detail_refresh_open_checkouts (NpCustomerDetail *self)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint n_items;

  if (self->checkouts == NULL)
    return;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->checkouts));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(NpCheckoutRow) row = g_list_model_get_item (G_LIST_MODEL (self->checkouts), i);

      if (!np_checkout_row_is_final (row) && !np_checkout_row_get_deleted (row))
        g_ptr_array_add (ids, g_strdup (np_checkout_row_get_checkout_id (row)));
    }

  if (ids->len == 0)
    return;

  g_ptr_array_add (ids, NULL);
  np_workspace_refresh_checkouts_async (self->workspace, (const char * const *) ids->pdata, NULL, NULL,
                                        self->cancellable, on_checkouts_refreshed, g_object_ref (self));
}

/* Ends a look-up or delete of the customer: its error shown, or @done as a toast.
 * FALSE when the call failed or was cancelled. */
static gboolean
customer_call_finished (NpCustomerDetail *self,
                        GObject          *source,
                        GAsyncResult     *result,
                        const char       *done)
{
  g_autoptr(NpCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;

  customer = np_workspace_customer_finish (NP_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_CANCELLED))
    return FALSE;

  self->busy = FALSE;
  np_customer_detail_reload (self);

  if (customer == NULL)
    {
      g_autofree char *text = np_workspace_describe_error (error);

      /* After a delete this is how the server answers for the id: show it as it is. */
      np_customer_detail_show_error (self, text);
      return FALSE;
    }

  np_customer_detail_show_error (self, NULL);
  np_feedback_toast (GTK_WIDGET (self), done);
  return TRUE;
}

static void
on_retrieve_finished (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(NpCustomerDetail) self = user_data;

  if (customer_call_finished (self, source, result, _("Customer retrieved")))
    np_customer_detail_refresh_open_checkouts (self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  NpCustomerDetail *self = NP_CUSTOMER_DETAIL (widget);

  if (self->busy || self->customer_id == NULL)
    return;

  self->busy = TRUE;
  np_customer_detail_update_actions (self);
  np_workspace_lookup_customer_async (self->workspace, self->customer_id, self->cancellable,
                                      on_retrieve_finished, g_object_ref (self));
}

static void
on_delete_finished (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(NpCustomerDetail) self = user_data;

  customer_call_finished (self, source, result, _("Customer deleted"));
}

static void
do_delete (GtkWidget *owner)
{
  NpCustomerDetail *self = NP_CUSTOMER_DETAIL (owner);

  if (self->customer_id == NULL || self->busy)
    return;

  self->busy = TRUE;
  np_customer_detail_update_actions (self);
  np_workspace_delete_customer_async (self->workspace, self->customer_id, self->cancellable,
                                      on_delete_finished, g_object_ref (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NpCustomerDetail *self = NP_CUSTOMER_DETAIL (widget);
  g_autofree char *name = NULL;
  g_autofree char *what = NULL;

  if (self->customer_id == NULL)
    return;

  name = self->customer != NULL ? np_customer_dup_display_name (self->customer) : g_strdup (self->customer_id);
  what = g_strdup_printf (_("Delete %s"), name);
  np_feedback_confirm (widget, what,
                       _("The customer's saved cards can no longer be charged. The console keeps the record, marked deleted, with its journal."),
                       _("_Delete Customer"), np_workspace_get_live (self->workspace), do_delete, NULL);
}

static void
new_checkout_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NpCustomerDetail *self = NP_CUSTOMER_DETAIL (widget);
  const char *card_id = g_variant_get_string (parameter, NULL);

  if (self->customer_id == NULL)
    return;

  /* The Checkouts page owns the form; it says plainly when a saved card will be charged. */
  gtk_widget_activate_action (widget, "win.new-checkout-for-customer", "(ss)", self->customer_id, card_id);
}

static void
copy_text (NpCustomerDetail *self,
           const char       *text,
           const char       *toast)
{
  if (text == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  np_feedback_toast (GTK_WIDGET (self), toast);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NpCustomerDetail *self = NP_CUSTOMER_DETAIL (widget);

  if (g_str_equal (action_name, "customer.copy-email") && self->customer != NULL)
    copy_text (self, np_customer_get_email (self->customer), _("Email copied"));
  else if (g_str_equal (action_name, "customer.copy-id"))
    copy_text (self, self->customer_id, _("Customer id copied"));
  else if (g_str_equal (action_name, "customer.copy-link") && self->customer != NULL)
    copy_text (self, np_customer_get_client_page (self->customer), _("Client page link copied"));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NpCustomerDetail *self = NP_CUSTOMER_DETAIL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *uri = NULL;

  if (self->customer == NULL)
    return;

  if (g_str_equal (action_name, "customer.mail"))
    {
      g_autofree char *escaped = g_uri_escape_string (np_customer_get_email (self->customer), "@", FALSE);

      uri = g_strconcat ("mailto:", escaped, NULL);
    }
  else
    {
      const char *link = np_customer_get_client_page (self->customer);

      /* A link from a server is only opened when it is a web page. */
      if (!np_link_is_openable (link))
        return;
      uri = g_strdup (link);
    }

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
np_customer_detail_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  NpCustomerDetail *self = NP_CUSTOMER_DETAIL (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_customer_detail_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  NpCustomerDetail *self = NP_CUSTOMER_DETAIL (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      np_customer_detail_set_workspace (self, g_value_get_object (value));
      break;
    case PROP_CUSTOMER_ID:
      np_customer_detail_set_customer_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_customer_detail_dispose (GObject *object)
{
  NpCustomerDetail *self = NP_CUSTOMER_DETAIL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->ledger_signals);
  if (self->checkouts_list != NULL)
    gtk_list_box_bind_model (self->checkouts_list, NULL, NULL, NULL, NULL);
  if (self->journal_list != NULL)
    gtk_list_box_bind_model (self->journal_list, NULL, NULL, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (object), NP_TYPE_CUSTOMER_DETAIL);

  g_clear_object (&self->checkouts);
  g_clear_object (&self->journal);
  g_clear_object (&self->customer);
  g_clear_object (&self->row);
  g_clear_object (&self->ledger);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->customer_id, g_free);

  G_OBJECT_CLASS (np_customer_detail_parent_class)->dispose (object);
}

static void
np_customer_detail_class_init (NpCustomerDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_customer_detail_dispose;
  object_class->get_property = np_customer_detail_get_property;
  object_class->set_property = np_customer_detail_set_property;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, NP_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CUSTOMER_ID] =
    g_param_spec_string ("customer-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NP_TYPE_QR_CODE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/customers/np-customer-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, deleted_label);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, error_label);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, email_row);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, id_row);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, created_row);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, refreshed_row);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, client_page_group);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, client_page_row);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, qr_code);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, qr_button);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, copy_link_button);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, open_link_button);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, cards_list);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, metadata_list);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, totals_label);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, checkouts_list);
  gtk_widget_class_bind_template_child (widget_class, NpCustomerDetail, journal_list);
  gtk_widget_class_bind_template_callback (widget_class, on_checkout_row_activated);

  gtk_widget_class_install_action (widget_class, "customer.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "customer.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "customer.new-checkout", "s", new_checkout_action);
  gtk_widget_class_install_action (widget_class, "customer.copy-email", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "customer.copy-id", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "customer.copy-link", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "customer.mail", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "customer.open-link", NULL, open_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "customer.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "customer.refresh", NULL);
}

static void
np_customer_detail_init (NpCustomerDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  /* The ledger the detail follows, connected once; set_workspace () moves the target. */
  self->ledger_signals = g_signal_group_new (NP_TYPE_LEDGER);
  g_signal_group_connect_swapped (self->ledger_signals, "changed", G_CALLBACK (on_ledger_changed), self);
  np_customer_detail_update_actions (self);
}
