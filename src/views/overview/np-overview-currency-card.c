/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-overview-currency-card.c — one currency's totals for the Overview's period:
 * paid, refunded and net, and how many checkouts are in each status. */
#include "config.h"

#include <glib/gi18n.h>

#include "np-money.h"
#include "np-overview-currency-card.h"

struct _NpOverviewCurrencyCard
{
  AdwBin    parent_instance;

  GtkLabel *currency_label;
  GtkLabel *paid_label;
  GtkLabel *refunded_label;
  GtkLabel *net_label;
  GtkLabel *counts_label;

  char     *currency;
};

G_DEFINE_FINAL_TYPE (NpOverviewCurrencyCard, np_overview_currency_card, ADW_TYPE_BIN)

/* "3 paid": a count with its status, in the order a checkout lives through them. */
static char *
format_status_count (NpCheckoutStatus status,
                     guint            n)
{
  switch (status)
    {
    case NP_CHECKOUT_STATUS_CREATED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u created", "%u created", n), n);
    case NP_CHECKOUT_STATUS_RESERVED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u reserved", "%u reserved", n), n);
    case NP_CHECKOUT_STATUS_RESERVE_RELEASED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u released", "%u released", n), n);
    case NP_CHECKOUT_STATUS_PAID:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u paid", "%u paid", n), n);
    case NP_CHECKOUT_STATUS_REFUNDED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u refunded", "%u refunded", n), n);
    case NP_CHECKOUT_STATUS_PARTIAL_REFUND:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u partially refunded", "%u partially refunded", n), n);
    case NP_CHECKOUT_STATUS_REVOKED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u revoked", "%u revoked", n), n);
    case NP_CHECKOUT_STATUS_FAILED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed", n), n);
    case NP_CHECKOUT_STATUS_CANCELED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u canceled", "%u canceled", n), n);
    case NP_CHECKOUT_STATUS_UNKNOWN:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u in another status", "%u in other statuses", n), n);
    }
}

static char *
format_counts (const NpPeriodSummary *summary)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u checkout", "%u checkouts", summary->count),
                          summary->count);
  for (guint status = NP_CHECKOUT_STATUS_CREATED; status < NP_OVERVIEW_N_STATUSES; status++)
    {
      g_autofree char *part = NULL;

      if (summary->n_status[status] == 0)
        continue;

      part = format_status_count (status, summary->n_status[status]);
      g_string_append (text, " · ");
      g_string_append (text, part);
    }

  if (summary->n_status[NP_CHECKOUT_STATUS_UNKNOWN] > 0)
    {
      g_autofree char *part = format_status_count (NP_CHECKOUT_STATUS_UNKNOWN,
                                                   summary->n_status[NP_CHECKOUT_STATUS_UNKNOWN]);

      g_string_append (text, " · ");
      g_string_append (text, part);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

GtkWidget *
np_overview_currency_card_new (const NpPeriodSummary *summary)
{
  NpOverviewCurrencyCard *self;
  g_autofree char *paid = NULL;
  g_autofree char *refunded = NULL;
  g_autofree char *net = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *description = NULL;

  g_return_val_if_fail (summary != NULL, NULL);

  self = g_object_new (NP_TYPE_OVERVIEW_CURRENCY_CARD, NULL);
  self->currency = g_strdup (summary->currency);

  if (summary->overflow)
    {
      /* A million checkouts of the largest amount add up beyond what a number here
       * holds: say so rather than show a wrapped or clipped sum. */
      paid = g_strdup (_("Too large to add up"));
      refunded = g_strdup (_("Too large to add up"));
      net = g_strdup (_("Too large to add up"));
    }
  else
    {
      paid = np_money_format (summary->paid, summary->currency);
      refunded = np_money_format (summary->refunded, summary->currency);
      net = np_money_format (np_period_summary_get_net (summary), summary->currency);
    }
  counts = format_counts (summary);

  gtk_label_set_text (self->currency_label, summary->currency);
  gtk_label_set_text (self->paid_label, paid);
  gtk_label_set_text (self->refunded_label, refunded);
  gtk_label_set_text (self->net_label, net);
  gtk_label_set_text (self->counts_label, counts);

  /* Translators: a screen reader's reading of a totals card: currency, paid, refunded, net, counts */
  description = g_strdup_printf (_("%s: %s paid, %s refunded, %s net. %s"),
                                 summary->currency, paid, refunded, net, counts);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);

  return GTK_WIDGET (self);
}

const char *
np_overview_currency_card_get_currency (NpOverviewCurrencyCard *self)
{
  g_return_val_if_fail (NP_IS_OVERVIEW_CURRENCY_CARD (self), NULL);

  return self->currency;
}

static void
np_overview_currency_card_finalize (GObject *object)
{
  NpOverviewCurrencyCard *self = NP_OVERVIEW_CURRENCY_CARD (object);

  g_free (self->currency);

  G_OBJECT_CLASS (np_overview_currency_card_parent_class)->finalize (object);
}

static void
np_overview_currency_card_class_init (NpOverviewCurrencyCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = np_overview_currency_card_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/views/overview/np-overview-currency-card.ui");
  gtk_widget_class_bind_template_child (widget_class, NpOverviewCurrencyCard, currency_label);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewCurrencyCard, paid_label);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewCurrencyCard, refunded_label);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewCurrencyCard, net_label);
  gtk_widget_class_bind_template_child (widget_class, NpOverviewCurrencyCard, counts_label);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
np_overview_currency_card_init (NpOverviewCurrencyCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
