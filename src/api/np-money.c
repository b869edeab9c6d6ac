/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-money.c — amounts in minor units, parsed and formatted per ISO 4217.
 *
 * A person types major units in whatever way their keyboard and habits suggest
 * ("30,50", "1 234.5", "1,234.56"); we turn that into an exact count of minor
 * units or refuse it with a reason. Nothing is ever rounded.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <langinfo.h>
#include <string.h>

#include "np-money.h"

G_DEFINE_QUARK (np-money-error-quark, np_money_error)

typedef struct {
  const char *code;
  int         exponent;
} CurrencyInfo;

/* Active ISO 4217 codes. The ones our users pick most come first: the order of
 * np_money_currencies () is the order of the currency list in forms. */
static const CurrencyInfo currencies[] = {
  { "SEK", 2 }, { "EUR", 2 }, { "USD", 2 }, { "NOK", 2 }, { "DKK", 2 }, { "GBP", 2 },
  { "CHF", 2 }, { "PLN", 2 }, { "ISK", 0 }, { "JPY", 0 }, { "KWD", 3 },
  { "AED", 2 }, { "AFN", 2 }, { "ALL", 2 }, { "AMD", 2 }, { "ANG", 2 }, { "AOA", 2 }, { "ARS", 2 },
  { "AUD", 2 }, { "AWG", 2 }, { "AZN", 2 }, { "BAM", 2 }, { "BBD", 2 }, { "BDT", 2 }, { "BGN", 2 },
  { "BHD", 3 }, { "BIF", 0 }, { "BMD", 2 }, { "BND", 2 }, { "BOB", 2 }, { "BRL", 2 }, { "BSD", 2 },
  { "BTN", 2 }, { "BWP", 2 }, { "BYN", 2 }, { "BZD", 2 }, { "CAD", 2 }, { "CDF", 2 }, { "CLF", 4 },
  { "CLP", 0 }, { "CNY", 2 }, { "COP", 2 }, { "CRC", 2 }, { "CUP", 2 }, { "CVE", 2 }, { "CZK", 2 },
  { "DJF", 0 }, { "DOP", 2 }, { "DZD", 2 }, { "EGP", 2 }, { "ERN", 2 }, { "ETB", 2 }, { "FJD", 2 },
  { "FKP", 2 }, { "GEL", 2 }, { "GHS", 2 }, { "GIP", 2 }, { "GMD", 2 }, { "GNF", 0 }, { "GTQ", 2 },
  { "GYD", 2 }, { "HKD", 2 }, { "HNL", 2 }, { "HTG", 2 }, { "HUF", 2 }, { "IDR", 2 }, { "ILS", 2 },
  { "INR", 2 }, { "IQD", 3 }, { "IRR", 2 }, { "JMD", 2 }, { "JOD", 3 }, { "KES", 2 }, { "KGS", 2 },
  { "KHR", 2 }, { "KMF", 0 }, { "KPW", 2 }, { "KRW", 0 }, { "KYD", 2 }, { "KZT", 2 }, { "LAK", 2 },
  { "LBP", 2 }, { "LKR", 2 }, { "LRD", 2 }, { "LSL", 2 }, { "LYD", 3 }, { "MAD", 2 }, { "MDL", 2 },
  { "MGA", 2 }, { "MKD", 2 }, { "MMK", 2 }, { "MNT", 2 }, { "MOP", 2 }, { "MRU", 2 }, { "MUR", 2 },
  { "MVR", 2 }, { "MWK", 2 }, { "MXN", 2 }, { "MYR", 2 }, { "MZN", 2 }, { "NAD", 2 }, { "NGN", 2 },
  { "NIO", 2 }, { "NPR", 2 }, { "NZD", 2 }, { "OMR", 3 }, { "PAB", 2 }, { "PEN", 2 }, { "PGK", 2 },
  { "PHP", 2 }, { "PKR", 2 }, { "PYG", 0 }, { "QAR", 2 }, { "RON", 2 }, { "RSD", 2 }, { "RUB", 2 },
  { "RWF", 0 }, { "SAR", 2 }, { "SBD", 2 }, { "SCR", 2 }, { "SDG", 2 }, { "SGD", 2 }, { "SHP", 2 },
  { "SLE", 2 }, { "SOS", 2 }, { "SRD", 2 }, { "SSP", 2 }, { "STN", 2 }, { "SVC", 2 }, { "SYP", 2 },
  { "SZL", 2 }, { "THB", 2 }, { "TJS", 2 }, { "TMT", 2 }, { "TND", 3 }, { "TOP", 2 }, { "TRY", 2 },
  { "TTD", 2 }, { "TWD", 2 }, { "TZS", 2 }, { "UAH", 2 }, { "UGX", 0 }, { "UYI", 0 }, { "UYU", 2 },
  { "UYW", 4 }, { "UZS", 2 }, { "VES", 2 }, { "VND", 0 }, { "VUV", 0 }, { "WST", 2 }, { "XAF", 0 },
  { "XCD", 2 }, { "XOF", 0 }, { "XPF", 0 }, { "YER", 2 }, { "ZAR", 2 }, { "ZMW", 2 }, { "ZWL", 2 },
};

static const CurrencyInfo *
find_currency (const char *code)
{
  if (code == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    if (strcmp (currencies[i].code, code) == 0)
      return &currencies[i];

  return NULL;
}

int
np_money_currency_exponent (const char *currency)
{
  const CurrencyInfo *info = find_currency (currency);

  return info != NULL ? info->exponent : -1;
}

gboolean
np_money_currency_is_known (const char *currency)
{
  return find_currency (currency) != NULL;
}

const char * const *
np_money_currencies (void)
{
  static const char **codes;

  if (g_once_init_enter (&codes))
    {
      const char **list = g_new0 (const char *, G_N_ELEMENTS (currencies) + 1);

      for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
        list[i] = currencies[i].code;

      g_once_init_leave (&codes, list);
    }

  return codes;
}

/* Spaces people and locales use to group digits: space, no-break space,
 * narrow no-break space, thin space, and the apostrophe of de_CH. */
static gboolean
is_group_space (gunichar c)
{
  return c == ' ' || c == 0x00A0 || c == 0x202F || c == 0x2009 || c == '\'' || c == 0x2019;
}

/* Keeps digits and the separators ',' and '.', dropping grouping spaces.
 * Returns NULL when anything else is in the text. */
static char *
normalize_digits (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_group_space (c))
        continue;
      if (g_ascii_isdigit (c) || c == ',' || c == '.')
        g_string_append_c (out, (char) c);
      else
        return (g_string_free (out, TRUE), NULL);
    }

  return g_string_free (out, FALSE);
}

static const char *
locale_decimal_point (void)
{
  const char *radix = nl_langinfo (RADIXCHAR);

  return radix != NULL && *radix != '\0' ? radix : ".";
}

/* Which of ',' and '.' separates the decimals, or '\0' for none.
 * When both appear, the last one does. When one appears once, it is the
 * decimal mark unless it is followed by exactly three digits and the locale
 * uses the other mark — "1,234" is a thousand in en_US, 1.234 in sv_SE. */
static char
find_decimal_mark (const char *digits)
{
  const char *last_comma = strrchr (digits, ',');
  const char *last_dot = strrchr (digits, '.');
  const char *first_comma = strchr (digits, ',');
  const char *first_dot = strchr (digits, '.');
  const char *mark;
  char c;

  if (last_comma == NULL && last_dot == NULL)
    return '\0';
  if (last_comma != NULL && last_dot != NULL)
    return last_comma > last_dot ? ',' : '.';

  mark = last_comma != NULL ? last_comma : last_dot;
  c = *mark;

  /* Repeated: it can only be grouping. */
  if ((c == ',' && first_comma != last_comma) || (c == '.' && first_dot != last_dot))
    return '\0';

  /* "0,001" can only be a decimal: no one groups a leading zero. */
  if (strlen (mark + 1) == 3 && *locale_decimal_point () != c && digits[0] != '0')
    return '\0';

  return c;
}

static gboolean
check_grouping (const char *integer_part,
                char        group_mark)
{
  /* Groups after the first must have exactly three digits. */
  g_auto(GStrv) groups = NULL;

  /* Only digits and the group mark: "0.0,234.56" must not read '.' as a digit. */
  for (const char *p = integer_part; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != group_mark)
      return FALSE;

  if (group_mark == '\0' || strchr (integer_part, group_mark) == NULL)
    return TRUE;

  groups = g_strsplit (integer_part, (char[]) { group_mark, '\0' }, -1);
  if (groups[0][0] == '\0' || strlen (groups[0]) > 3)
    return FALSE;
  for (guint i = 1; groups[i] != NULL; i++)
    if (strlen (groups[i]) != 3)
      return FALSE;

  return TRUE;
}

/* What a person typed, safe to quote back in a message: valid UTF-8 (GTK labels
 * and logs need it), no control characters (an escape sequence in a log is an
 * attack), and short (10,000 characters do not belong in an error line). */
static char *
shown_input (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0' && n < 24; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, g_unichar_iscntrl (c) ? 0xFFFD : c);
    }
  if (g_utf8_strlen (valid, -1) > 24)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

gboolean
np_money_parse (const char  *text,
                const char  *currency,
                gint64      *out_minor,
                GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *integer_part = NULL;
  const char *fraction = "";
  const char *mark_position;
  char decimal_mark, group_mark;
  gint64 minor = 0;
  int exponent;
  gsize fraction_len;

  g_return_val_if_fail (out_minor != NULL, FALSE);

  exponent = np_money_currency_exponent (currency);
  if (exponent < 0)
    {
      g_autofree char *quoted = shown_input (currency);

      g_set_error (error, NP_MONEY_ERROR, NP_MONEY_ERROR_UNKNOWN_CURRENCY,
                   _("“%s” is not a currency code this console knows."), quoted);
      return FALSE;
    }

  trimmed = g_strstrip (g_strdup (text ? text : ""));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, NP_MONEY_ERROR, NP_MONEY_ERROR_EMPTY, _("Enter an amount."));
      return FALSE;
    }
  if (*trimmed == '-' || g_str_has_prefix (trimmed, "−"))
    {
      g_set_error_literal (error, NP_MONEY_ERROR, NP_MONEY_ERROR_NEGATIVE,
                           _("The amount cannot be negative."));
      return FALSE;
    }

  digits = normalize_digits (trimmed);
  if (digits == NULL || *digits == '\0' || !g_ascii_isdigit (digits[strlen (digits) - 1]) ||
      !g_ascii_isdigit (digits[0]))
    {
      g_autofree char *quoted = shown_input (trimmed);

      g_set_error (error, NP_MONEY_ERROR, NP_MONEY_ERROR_INVALID,
                   _("“%s” is not an amount. Type it like 1234.50."), quoted);
      return FALSE;
    }

  decimal_mark = find_decimal_mark (digits);
  if (decimal_mark != '\0')
    {
      mark_position = strrchr (digits, decimal_mark);
      integer_part = g_strndup (digits, mark_position - digits);
      fraction = mark_position + 1;
      group_mark = decimal_mark == ',' ? '.' : ',';
    }
  else
    {
      integer_part = g_strdup (digits);
      group_mark = strchr (digits, ',') != NULL ? ',' : '.';
    }

  if (!check_grouping (integer_part, group_mark) || strchr (fraction, ',') || strchr (fraction, '.'))
    {
      g_autofree char *quoted = shown_input (trimmed);

      g_set_error (error, NP_MONEY_ERROR, NP_MONEY_ERROR_INVALID,
                   _("“%s” is not an amount. Type it like 1234.50."), quoted);
      return FALSE;
    }

  /* Trailing zeros beyond the exponent change nothing ("100.00" yen is 100 yen). */
  fraction_len = strlen (fraction);
  while (fraction_len > (gsize) exponent && fraction[fraction_len - 1] == '0')
    fraction_len--;
  if (fraction_len > (gsize) exponent)
    {
      if (exponent == 0)
        g_set_error (error, NP_MONEY_ERROR, NP_MONEY_ERROR_TOO_MANY_DECIMALS,
                     _("%s has no decimals: enter a whole amount."), currency);
      else
        g_set_error (error, NP_MONEY_ERROR, NP_MONEY_ERROR_TOO_MANY_DECIMALS,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%s has %d decimal: enter at most %d digit after the decimal mark.",
                                  "%s has %d decimals: enter at most %d digits after the decimal mark.",
                                  exponent),
                     currency, exponent, exponent);
      return FALSE;
    }

  for (const char *p = integer_part; *p != '\0'; p++)
    {
      if (*p == group_mark)
        continue;
      if (minor > (G_MAXINT64 - (*p - '0')) / 10)
        goto overflow;
      minor = minor * 10 + (*p - '0');
    }

  for (int i = 0; i < exponent; i++)
    {
      int digit = (gsize) i < fraction_len ? fraction[i] - '0' : 0;

      if (minor > (G_MAXINT64 - digit) / 10)
        goto overflow;
      minor = minor * 10 + digit;
    }

  *out_minor = minor;
  return TRUE;

overflow:
  g_set_error_literal (error, NP_MONEY_ERROR, NP_MONEY_ERROR_OVERFLOW,
                       _("The amount is too large."));
  return FALSE;
}

static char *
format_major (gint64      minor,
              const char *currency,
              const char *decimal_point,
              const char *group_separator)
{
  GString *out = g_string_new (NULL);
  g_autofree char *digits = NULL;
  guint64 magnitude;
  int exponent = MAX (np_money_currency_exponent (currency), 0);
  gsize integer_len, len;

  /* Via guint64 so that G_MININT64 has a magnitude too. */
  magnitude = minor < 0 ? (guint64) 0 - (guint64) minor : (guint64) minor;
  digits = g_strdup_printf ("%0*" G_GUINT64_FORMAT, exponent + 1, magnitude);
  len = strlen (digits);
  integer_len = len - exponent;

  if (minor < 0)
    g_string_append_c (out, '-');

  for (gsize i = 0; i < integer_len; i++)
    {
      if (i > 0 && (integer_len - i) % 3 == 0)
        g_string_append (out, group_separator);
      g_string_append_c (out, digits[i]);
    }

  if (exponent > 0)
    {
      g_string_append (out, decimal_point);
      g_string_append (out, digits + integer_len);
    }

  return g_string_free (out, FALSE);
}

char *
np_money_format (gint64      minor,
                 const char *currency)
{
  g_autofree char *number = NULL;
  const char *group = nl_langinfo (THOUSEP);

  /* Locales with no grouping (C) still get readable thousands. */
  if (group == NULL || *group == '\0')
    group = *locale_decimal_point () == ',' ? " " : ",";
  /* A no-break space keeps "1 234,56" on one line. */
  if (strcmp (group, " ") == 0)
    group = "\u00a0";

  number = format_major (minor, currency, locale_decimal_point (), group);

  return g_strdup_printf ("%s\u00a0%s", number, currency ? currency : "");
}

char *
np_money_format_plain (gint64      minor,
                       const char *currency)
{
  return format_major (minor, currency, ".", "");
}
