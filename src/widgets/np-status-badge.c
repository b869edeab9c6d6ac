/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-status-badge.c — a checkout status as a coloured badge that always carries its text.
 *
 * Colour alone says nothing to a screen reader or a colour-blind reader, so the
 * badge is a label first; the colour is a CSS class per status (see style.css).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "np-status-badge.h"

struct _NpStatusBadge
{
  GtkWidget  parent_instance;

  GtkWidget *label;
  char      *status;
  char      *css_class;
};

G_DEFINE_FINAL_TYPE (NpStatusBadge, np_status_badge, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const css_classes[] = {
  [NP_CHECKOUT_STATUS_UNKNOWN] = "unknown",
  [NP_CHECKOUT_STATUS_CREATED] = "created",
  [NP_CHECKOUT_STATUS_RESERVED] = "reserved",
  [NP_CHECKOUT_STATUS_RESERVE_RELEASED] = "reserve-released",
  [NP_CHECKOUT_STATUS_PAID] = "paid",
  [NP_CHECKOUT_STATUS_REFUNDED] = "refunded",
  [NP_CHECKOUT_STATUS_PARTIAL_REFUND] = "partial-refund",
  [NP_CHECKOUT_STATUS_REVOKED] = "revoked",
  [NP_CHECKOUT_STATUS_FAILED] = "failed",
  [NP_CHECKOUT_STATUS_CANCELED] = "canceled",
};

const char *
np_checkout_status_get_label (NpCheckoutStatus  status,
                              const char       *status_text)
{
  switch (status)
    {
    case NP_CHECKOUT_STATUS_CREATED:
      return C_("checkout status", "Created");
    case NP_CHECKOUT_STATUS_RESERVED:
      return C_("checkout status", "Reserved");
    case NP_CHECKOUT_STATUS_RESERVE_RELEASED:
      return C_("checkout status", "Reserve released");
    case NP_CHECKOUT_STATUS_PAID:
      return C_("checkout status", "Paid");
    case NP_CHECKOUT_STATUS_REFUNDED:
      return C_("checkout status", "Refunded");
    case NP_CHECKOUT_STATUS_PARTIAL_REFUND:
      return C_("checkout status", "Partially refunded");
    case NP_CHECKOUT_STATUS_REVOKED:
      return C_("checkout status", "Revoked");
    case NP_CHECKOUT_STATUS_FAILED:
      return C_("checkout status", "Failed");
    case NP_CHECKOUT_STATUS_CANCELED:
      return C_("checkout status", "Canceled");
    case NP_CHECKOUT_STATUS_UNKNOWN:
    default:
      /* A status we do not know is shown as the server sent it. */
      return status_text != NULL && *status_text != '\0' ? status_text : C_("checkout status", "Not retrieved");
    }
}

GtkWidget *
np_status_badge_new (void)
{
  return g_object_new (NP_TYPE_STATUS_BADGE, NULL);
}

const char *
np_status_badge_get_status (NpStatusBadge *self)
{
  g_return_val_if_fail (NP_IS_STATUS_BADGE (self), NULL);

  return self->status;
}

void
np_status_badge_set_status (NpStatusBadge *self,
                            const char    *status)
{
  NpCheckoutStatus value;
  const char *label;

  g_return_if_fail (NP_IS_STATUS_BADGE (self));

  if (g_strcmp0 (self->status, status) == 0)
    return;

  g_free (self->status);
  self->status = g_strdup (status);

  value = np_checkout_status_from_string (status);
  label = np_checkout_status_get_label (value, status);

  if (self->css_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->css_class);
  self->css_class = (char *) css_classes[value];
  gtk_widget_add_css_class (GTK_WIDGET (self), self->css_class);

  gtk_label_set_text (GTK_LABEL (self->label), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
np_status_badge_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  NpStatusBadge *self = NP_STATUS_BADGE (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_status_badge_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  NpStatusBadge *self = NP_STATUS_BADGE (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      np_status_badge_set_status (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_status_badge_dispose (GObject *object)
{
  NpStatusBadge *self = NP_STATUS_BADGE (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (np_status_badge_parent_class)->dispose (object);
}

static void
np_status_badge_finalize (GObject *object)
{
  NpStatusBadge *self = NP_STATUS_BADGE (object);

  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (np_status_badge_parent_class)->finalize (object);
}

static void
np_status_badge_class_init (NpStatusBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = np_status_badge_dispose;
  object_class->finalize = np_status_badge_finalize;
  object_class->get_property = np_status_badge_get_property;
  object_class->set_property = np_status_badge_set_property;

  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statusbadge");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
np_status_badge_init (NpStatusBadge *self)
{
  self->label = gtk_label_new (NULL);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "np-status");
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  np_status_badge_set_status (self, NULL);
}
