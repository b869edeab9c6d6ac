/* fuzz-money.c — np_money_parse on any text, in a currency picked by the first byte.
 *
 * A parse that succeeds must give a non-negative amount that formats and parses
 * back to the same number: whatever a person types, the console never stores an
 * amount it would show differently.
 */
#include <stdint.h>

#include "np-money.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *extra[] = { "JPY", "KWD", "XYZ", "", "sek" };
  const char * const *known = np_money_currencies ();
  guint n_known = g_strv_length ((char **) known);
  g_autofree char *text = NULL;
  g_autofree char *plain = NULL;
  const char *currency;
  gint64 minor = 0, again = 0;
  guint pick;

  if (size < 1)
    return 0;

  pick = data[0] % (n_known + G_N_ELEMENTS (extra));
  currency = pick < n_known ? known[pick] : extra[pick - n_known];
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
