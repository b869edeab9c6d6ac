/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-overview-currency-card.h — one currency's totals for the Overview's period. */
#pragma once

#include <adwaita.h>

#include "np-overview-totals.h"

G_BEGIN_DECLS

#define NP_TYPE_OVERVIEW_CURRENCY_CARD (np_overview_currency_card_get_type ())
G_DECLARE_FINAL_TYPE (NpOverviewCurrencyCard, np_overview_currency_card, NP, OVERVIEW_CURRENCY_CARD, AdwBin)

GtkWidget  *np_overview_currency_card_new          (const NpPeriodSummary  *summary);
const char *np_overview_currency_card_get_currency (NpOverviewCurrencyCard *self);

G_END_DECLS
