/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-overview-attention-row.c — one row of the Overview's "Needs attention" lists.
 *
 * Rows are built per item by gtk_list_box_bind_model (): items are immutable
 * snapshots, so a row never needs rebinding; a changed item gets a new row.
 * The row is GtkActionable: activating it runs win.open-checkout or
 * win.open-customer with the object's id, which the window routes to its page.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-money.h"
#include "np-overview-attention-row.h"

struct _NpOverviewAttentionRow
{
  AdwActionRow  parent_instance;

  GtkLabel     *amount_label;

  char         *object_id;
};

G_DEFINE_FINAL_TYPE (NpOverviewAttentionRow, np_overview_attention_row, ADW_TYPE_ACTION_ROW)

char *
np_overview_format_age (GDateTime *then,
                        GDateTime *now)
{
  GTimeSpan span;
  gint64 n;

  g_return_val_if_fail (then != NULL && now != NULL, NULL);

  span = g_date_time_difference (now, then);
  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("just now"));

  if (span < G_TIME_SPAN_HOUR)
    {
      n = span / G_TIME_SPAN_MINUTE;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute ago",
                                           "%u minutes ago", n), (guint) n);
    }

  if (span < G_TIME_SPAN_DAY)
    {
      n = span / G_TIME_SPAN_HOUR;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour ago",
                                           "%u hours ago", n), (guint) n);
    }

  n = span / G_TIME_SPAN_DAY;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day ago",
                                       "%u days ago", n), (guint) n);
}

const char *
np_overview_attention_row_get_object_id (NpOverviewAttentionRow *self)
{
  g_return_val_if_fail (NP_IS_OVERVIEW_ATTENTION_ROW (self), NULL);

  return self->object_id;
}

static void
set_target (NpOverviewAttentionRow *self,
            const char             *action,
            const char             *object_id)
{
  self->object_id = g_strdup (object_id);
  if (object_id != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self), "s", object_id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self), object_id != NULL ? action : NULL);
}

/* The identifier a merchant knows the checkout by, else its id. */
static const char *
checkout_title (NpCheckoutRow *row)
{
  const char *identifier = np_checkout_row_get_identifier (row);

  return identifier != NULL && *identifier != '\0' ? identifier : np_checkout_row_get_checkout_id (row);
}

GtkWidget *
np_overview_attention_row_new_for_checkout (NpCheckoutRow       *row,
                                            NpOverviewAttention  attention,
                                            GDateTime           *now)
{
  NpOverviewAttentionRow *self;
  g_autofree char *age = NULL;
  g_autofree char *subtitle = NULL;
  GDateTime *since = NULL;

  g_return_val_if_fail (NP_IS_CHECKOUT_ROW (row), NULL);

  self = g_object_new (NP_TYPE_OVERVIEW_ATTENTION_ROW, NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), checkout_title (row));
  set_target (self, "win.open-checkout", np_checkout_row_get_checkout_id (row));

  switch (attention)
    {
    case NP_OVERVIEW_ATTENTION_AWAITING_CAPTURE:
      /* The reservation is the checkout's last change. */
      since = np_checkout_row_get_updated (row);
      if (since == NULL)
        since = np_checkout_row_get_created (row);
      age = since ? np_overview_format_age (since, now) : NULL;
      /* Translators: %s is an age such as "3 days ago" */
      subtitle = age ? g_strdup_printf (_("Reserved %s, waiting for a capture"), age)
                     : g_strdup (_("Reserved, waiting for a capture"));
      break;

    case NP_OVERVIEW_ATTENTION_REFRESH_FAILED:
      since = np_checkout_row_get_refresh_failed_at (row);
      age = since ? np_overview_format_age (since, now) : NULL;
      /* Translators: first %s is an age such as "5 minutes ago", second the error */
      subtitle = g_strdup_printf (_("Refresh failed %s: %s"), age ? age : "",
                                  np_checkout_row_get_refresh_error (row) ? np_checkout_row_get_refresh_error (row) : "");
      break;

    case NP_OVERVIEW_ATTENTION_STALE_CREATED:
    default:
      since = np_checkout_row_get_created (row);
      age = since ? np_overview_format_age (since, now) : NULL;
      /* Translators: %s is an age such as "2 days ago" */
      subtitle = g_strdup_printf (_("Created %s and still not paid"), age ? age : "");
      break;
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  if (np_checkout_row_get_currency (row) != NULL)
    {
      g_autofree char *amount = np_money_format (np_checkout_row_get_amount (row),
                                                 np_checkout_row_get_currency (row));

      gtk_label_set_text (self->amount_label, amount);
      gtk_widget_set_visible (GTK_WIDGET (self->amount_label), TRUE);
    }

  return GTK_WIDGET (self);
}

GtkWidget *
np_overview_attention_row_new_for_entry (NpJournalEntry *entry)
{
  NpOverviewAttentionRow *self;
  g_autofree char *subtitle = NULL;
  g_autofree char *started = NULL;
  g_autoptr(GDateTime) local = NULL;
  const char *object_id;

  g_return_val_if_fail (NP_IS_JOURNAL_ENTRY (entry), NULL);

  self = g_object_new (NP_TYPE_OVERVIEW_ATTENTION_ROW, NULL);
  object_id = np_journal_entry_get_object_id (entry);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), np_journal_entry_get_summary (entry));
  set_target (self,
              np_journal_operation_is_customer (np_journal_entry_get_operation (entry))
                ? "win.open-customer" : "win.open-checkout",
              object_id);

  local = g_date_time_to_local (np_journal_entry_get_started (entry));
  started = g_date_time_format (local, "%x %X");
  /* Translators: first %s is a date and time, second the object's id */
  subtitle = g_strdup_printf (_("Outcome unknown since %s · %s · refresh the object to settle it"),
                              started, object_id ? object_id : _("no id yet"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  return GTK_WIDGET (self);
}

static void
np_overview_attention_row_finalize (GObject *object)
{
  NpOverviewAttentionRow *self = NP_OVERVIEW_ATTENTION_ROW (object);

  g_free (self->object_id);

  G_OBJECT_CLASS (np_overview_attention_row_parent_class)->finalize (object);
}

static void
np_overview_attention_row_class_init (NpOverviewAttentionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = np_overview_attention_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/overview/np-overview-attention-row.ui");
  gtk_widget_class_bind_template_child (widget_class, NpOverviewAttentionRow, amount_label);
}

static void
np_overview_attention_row_init (NpOverviewAttentionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
