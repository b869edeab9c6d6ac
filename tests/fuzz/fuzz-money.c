/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-money.c — np_money_parse on any text, in a currency picked by the first
 * byte (fuzz-money.h).
 *
 * A parse that succeeds must give a non-negative amount that formats and parses
 * back to the same number: whatever a person types, the console never stores an
 * amount it would show differently.
 */
#include <stdint.h>

#include "fuzz-money.h"
#include "np-money.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Picked by a letter, not by a place in np_money_currencies (): that list is
 * the order of the forms' menu and grows, which moved every corpus file to
 * another currency (SEK's 'A' came to pick IDR). */
static const struct {
  guint8      selector;
  const char *currency;
} named[] = {
  { 'S', "SEK" }, { 'E', "EUR" }, { 'J', "JPY" }, { 'K', "KWD" },
  { 'X', "XYZ" },   /* unknown */
  { '0', "" },      /* none */
  { 's', "sek" },   /* not upper case */
};

const char *
np_fuzz_money_currency (guint8 selector)
{
  const char * const *known = np_money_currencies ();

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (named[i].selector == selector)
      return named[i].currency;

  return known[selector % g_strv_length ((char **) known)];
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autofree char *plain = NULL;
  const char *currency;
  gint64 minor = 0, again = 0;

  if (size < 1)
    return 0;

  currency = np_fuzz_money_currency (data[0]);
  text = g_strndup ((const char *) data + 1, size - 1);   /* stops at a NUL, as a form would */

  if (!np_money_parse (text, currency, &minor, NULL))
    return 0;

  if (minor < 0 || np_money_currency_exponent (currency) < 0)
    __builtin_trap ();
  plain = np_money_format_plain (minor, currency);
  if (!np_money_parse (plain, currency, &again, NULL) || again != minor)
    __builtin_trap ();
  g_free (np_money_format (minor, currency));

  return 0;
}
