/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-status-badge.h — a checkout status as a coloured badge that always carries its text. */
#pragma once

#include <gtk/gtk.h>

#include "np-checkout.h"

G_BEGIN_DECLS

#define NP_TYPE_STATUS_BADGE (np_status_badge_get_type ())
G_DECLARE_FINAL_TYPE (NpStatusBadge, np_status_badge, NP, STATUS_BADGE, GtkWidget)

GtkWidget  *np_status_badge_new         (void);
/* The status as the server spelled it; unknown ones are shown as they are. */
void        np_status_badge_set_status  (NpStatusBadge *self,
                                         const char    *status);
const char *np_status_badge_get_status  (NpStatusBadge *self);

/* The translated name of a status for people ("Partially refunded"). */
const char *np_checkout_status_get_label (NpCheckoutStatus  status,
                                          const char       *status_text);

G_END_DECLS
