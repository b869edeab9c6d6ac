/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-money.c — parsing and formatting amounts per ISO 4217 exponent. */
#include <locale.h>

#include "np-money.h"
#include "np-test-utils.h"

typedef struct {
  const char *text;
  const char *currency;
  gint64      minor;   /* expected when error < 0 */
  int         error;   /* NpMoneyError, or -1 for success */
} ParseCase;

static const ParseCase parse_cases[] = {
  /* SEK, exponent 2 */
  { "30", "SEK", 3000, -1 },
  { "30.5", "SEK", 3050, -1 },
  { "30,50", "SEK", 3050, -1 },
  { "1 234,56", "SEK", 123456, -1 },
  { "1\u00a0234,56", "SEK", 123456, -1 },
  { "1\u202f234,56", "SEK", 123456, -1 },
  { "1,234.56", "SEK", 123456, -1 },
  { "1.234,56", "SEK", 123456, -1 },
  { "1,234,567.89", "SEK", 123456789, -1 },
  { "  42  ", "SEK", 4200, -1 },
  { "0.01", "SEK", 1, -1 },
  { "0", "SEK", 0, -1 },
  { "30.500", "SEK", 3050, -1 },           /* trailing zeros change nothing */
  { "30.505", "SEK", 0, NP_MONEY_ERROR_TOO_MANY_DECIMALS },
  { "0.001", "SEK", 0, NP_MONEY_ERROR_TOO_MANY_DECIMALS },
  { "", "SEK", 0, NP_MONEY_ERROR_EMPTY },
  { "   ", "SEK", 0, NP_MONEY_ERROR_EMPTY },
  { "-5", "SEK", 0, NP_MONEY_ERROR_NEGATIVE },
  { "abc", "SEK", 0, NP_MONEY_ERROR_INVALID },
  { "12a", "SEK", 0, NP_MONEY_ERROR_INVALID },
  { "1e5", "SEK", 0, NP_MONEY_ERROR_INVALID },
  { ".5", "SEK", 0, NP_MONEY_ERROR_INVALID },
  { "5.", "SEK", 0, NP_MONEY_ERROR_INVALID },
  { "1,23,4.00", "SEK", 0, NP_MONEY_ERROR_INVALID },
  { "1..2", "SEK", 0, NP_MONEY_ERROR_INVALID },
  { "92233720368547758.07", "SEK", G_MAXINT64, -1 },
  { "92233720368547758.08", "SEK", 0, NP_MONEY_ERROR_OVERFLOW },
  { "99999999999999999999999", "SEK", 0, NP_MONEY_ERROR_OVERFLOW },
  /* JPY, exponent 0 */
  { "500", "JPY", 500, -1 },
  { "1,000", "JPY", 1000, -1 },
  { "100.00", "JPY", 100, -1 },
  { "100.5", "JPY", 0, NP_MONEY_ERROR_TOO_MANY_DECIMALS },
  { "9223372036854775807", "JPY", G_MAXINT64, -1 },
  { "9223372036854775808", "JPY", 0, NP_MONEY_ERROR_OVERFLOW },
  /* KWD, exponent 3 */
  { "1.5", "KWD", 1500, -1 },
  { "1.234", "KWD", 1234, -1 },
  { "0,001", "KWD", 1, -1 },
  { "1.2345", "KWD", 0, NP_MONEY_ERROR_TOO_MANY_DECIMALS },
  { "12", "KWD", 12000, -1 },
  /* Unknown currencies */
  { "10", "XYZ", 0, NP_MONEY_ERROR_UNKNOWN_CURRENCY },
  { "10", "", 0, NP_MONEY_ERROR_UNKNOWN_CURRENCY },
  { "10", NULL, 0, NP_MONEY_ERROR_UNKNOWN_CURRENCY },
};

static void
test_money_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *c = &parse_cases[i];
      g_autoptr(GError) error = NULL;
      gint64 minor = -1;
      gboolean ok;

      ok = np_money_parse (c->text, c->currency, &minor, &error);
      g_test_message ("parse %s %s", c->text, c->currency);

      if (c->error < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (minor, ==, c->minor);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, NP_MONEY_ERROR, c->error);
          g_assert_cmpint (minor, ==, -1);   /* untouched on failure */
          g_assert_cmpstr (error->message, !=, "");
        }
    }
}

static void
test_money_exponents (void)
{
  g_assert_cmpint (np_money_currency_exponent ("SEK"), ==, 2);
  g_assert_cmpint (np_money_currency_exponent ("JPY"), ==, 0);
  g_assert_cmpint (np_money_currency_exponent ("KWD"), ==, 3);
  g_assert_cmpint (np_money_currency_exponent ("CLF"), ==, 4);
  g_assert_cmpint (np_money_currency_exponent ("sek"), ==, -1);
  g_assert_cmpint (np_money_currency_exponent (NULL), ==, -1);
  g_assert_true (np_money_currency_is_known ("EUR"));
  g_assert_false (np_money_currency_is_known ("EURO"));

  /* Forms list the common ones first. */
  g_assert_cmpstr (np_money_currencies ()[0], ==, "SEK");
  g_assert_cmpstr (np_money_currencies ()[1], ==, "EUR");
  g_assert_cmpstr (np_money_currencies ()[2], ==, "USD");
  g_assert_cmpuint (g_strv_length ((char **) np_money_currencies ()), >, 150);
}

static void
test_money_format_plain (void)
{
  static const struct { gint64 minor; const char *currency; const char *text; } cases[] = {
    { 123456, "SEK", "1234.56" },
    { 5, "SEK", "0.05" },
    { 0, "SEK", "0.00" },
    { -250, "EUR", "-2.50" },
    { 1500, "JPY", "1500" },
    { 1, "KWD", "0.001" },
    { 1234567, "KWD", "1234.567" },
    { G_MAXINT64, "SEK", "92233720368547758.07" },
    { G_MININT64, "JPY", "-9223372036854775808" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = np_money_format_plain (cases[i].minor, cases[i].currency);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_money_format_locale (void)
{
  g_autofree char *sek = NULL;
  g_autofree char *jpy = NULL;
  g_autofree char *kwd = NULL;

  /* The suite runs in C.UTF-8: '.' decimals, ',' grouping, no-break space before the code. */
  sek = np_money_format (123456789, "SEK");
  jpy = np_money_format (1500, "JPY");
  kwd = np_money_format (-1234, "KWD");

  g_assert_cmpstr (sek, ==, "1,234,567.89\u00a0SEK");
  g_assert_cmpstr (jpy, ==, "1,500\u00a0JPY");
  g_assert_cmpstr (kwd, ==, "-1.234\u00a0KWD");
}

static void
test_money_round_trip (void)
{
  static const char * const codes[] = { "SEK", "JPY", "KWD", "CLF" };
  GRand *rand = g_rand_new_with_seed (4217);

  for (guint i = 0; i < 2000; i++)
    {
      const char *currency = codes[i % G_N_ELEMENTS (codes)];
      gint64 minor = ((gint64) g_rand_int (rand) << 20) | g_rand_int_range (rand, 0, 1 << 20);
      g_autofree char *plain = np_money_format_plain (minor, currency);
      g_autofree char *shown = np_money_format (minor, currency);
      g_autofree char *shown_number = NULL;
      gint64 back = -1;

      g_assert_true (np_money_parse (plain, currency, &back, NULL));
      g_assert_cmpint (back, ==, minor);

      /* What we show can be pasted back into a form. */
      shown_number = g_strndup (shown, strlen (shown) - strlen (currency) - strlen ("\u00a0"));
      back = -1;
      g_assert_true (np_money_parse (shown_number, currency, &back, NULL));
      g_assert_cmpint (back, ==, minor);
    }

  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  np_test_init (&argc, &argv);

  g_test_add_func ("/money/parse", test_money_parse);
  g_test_add_func ("/money/exponents", test_money_exponents);
  g_test_add_func ("/money/format-plain", test_money_format_plain);
  g_test_add_func ("/money/format-locale", test_money_format_locale);
  g_test_add_func ("/money/round-trip", test_money_round_trip);

  return g_test_run ();
}
