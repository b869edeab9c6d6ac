/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-money.h — amounts in minor units, parsed and formatted per ISO 4217.
 *
 * Money is always a gint64 count of the currency's minor unit (öre, cent, fils).
 * Nothing here rounds: text with more decimals than the currency has is an error.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NP_MONEY_ERROR (np_money_error_quark ())

typedef enum {
  NP_MONEY_ERROR_EMPTY,             /* nothing typed */
  NP_MONEY_ERROR_INVALID,           /* not a number */
  NP_MONEY_ERROR_NEGATIVE,          /* below zero */
  NP_MONEY_ERROR_TOO_MANY_DECIMALS, /* more decimals than the currency's exponent */
  NP_MONEY_ERROR_OVERFLOW,          /* does not fit in gint64 minor units */
  NP_MONEY_ERROR_UNKNOWN_CURRENCY,  /* not an ISO 4217 code we know */
} NpMoneyError;

GQuark       np_money_error_quark          (void);

/* Exponent (number of decimals) of an ISO 4217 code, or -1 when unknown. */
int          np_money_currency_exponent    (const char  *currency);
gboolean     np_money_currency_is_known    (const char  *currency);
/* NULL-terminated list of known codes, the common ones (SEK, EUR, USD, ...) first. */
const char * const *np_money_currencies    (void);

/* Parse what a person typed ("30", "30.5", "30,50", "1 234,56", "1,234.56") for
 * @currency into minor units. Returns FALSE and sets @error (NP_MONEY_ERROR) otherwise. */
gboolean     np_money_parse                (const char  *text,
                                            const char  *currency,
                                            gint64      *out_minor,
                                            GError     **error);

/* "1 234,56 kr"-like text in the current locale: digits grouped and the
 * locale's decimal mark, followed by the currency code ("1,234.56 SEK"). */
char        *np_money_format               (gint64       minor,
                                            const char  *currency);
/* Locale-independent major units with '.' and no grouping ("1234.56"), for CSV and forms. */
char        *np_money_format_plain         (gint64       minor,
                                            const char  *currency);

G_END_DECLS
