/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-overview-attention-row.h — one row of the Overview's "Needs attention" lists. */
#pragma once

#include <adwaita.h>

#include "np-checkout-row.h"
#include "np-journal-entry.h"

G_BEGIN_DECLS

/* Why a checkout needs attention: decides the row's words. */
typedef enum {
  NP_OVERVIEW_ATTENTION_AWAITING_CAPTURE,
  NP_OVERVIEW_ATTENTION_REFRESH_FAILED,
  NP_OVERVIEW_ATTENTION_STALE_CREATED,
} NpOverviewAttention;

#define NP_TYPE_OVERVIEW_ATTENTION_ROW (np_overview_attention_row_get_type ())
G_DECLARE_FINAL_TYPE (NpOverviewAttentionRow, np_overview_attention_row, NP, OVERVIEW_ATTENTION_ROW, AdwActionRow)

/* Activating the row opens the checkout (win.open-checkout). @now dates the age. */
GtkWidget  *np_overview_attention_row_new_for_checkout (NpCheckoutRow       *row,
                                                        NpOverviewAttention  attention,
                                                        GDateTime           *now);
/* An operation whose outcome is unknown; opens its checkout or customer. */
GtkWidget  *np_overview_attention_row_new_for_entry    (NpJournalEntry      *entry);
const char *np_overview_attention_row_get_object_id    (NpOverviewAttentionRow *self);

/* "just now", "5 minutes", "3 hours", "2 days": how long ago @then was. */
char       *np_overview_format_age                     (GDateTime           *then,
                                                        GDateTime           *now);

G_END_DECLS
