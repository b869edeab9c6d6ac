/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-money-corpus.c — every money corpus file picks the currency its name says.
 *
 * The corpus (tests/fuzz/corpus/money) seeds the fuzzer with amounts as people
 * type them in SEK, EUR, JPY and KWD; a file whose first byte picks another
 * currency still runs, and still passes, but tests something else. Each file is
 * named "<currency>-<what>" (fuzz-money.h); its first byte must pick that
 * currency through the fuzz target's own np_fuzz_money_currency ().
 *
 *   fuzz-money-corpus CORPUS_DIR
 */
#include <string.h>

#include "fuzz-money.h"
#include "np-money.h"

static const char *corpus_dir;

static void
test_corpus_currencies (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (corpus_dir, 0, &error);
  const char *name;
  guint n_files = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (corpus_dir, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *promised = NULL;
      const char *dash = strchr (name, '-');
      const char *picked;
      gsize length = 0;

      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      if (dash == NULL || length == 0)
        g_error ("money corpus file %s: not named <currency>-<what> (fuzz-money.h) or empty", name);

      promised = g_ascii_strup (name, dash - name);
      picked = np_fuzz_money_currency ((guint8) contents[0]);
      if (g_strcmp0 (picked, promised) != 0)
        g_error ("money corpus file %s starts with byte 0x%02x ('%c'), which picks \"%s\", not the %s its name "
                 "promises (selector letters: fuzz-money.h)", name, (guint8) contents[0],
                 g_ascii_isprint (contents[0]) ? contents[0] : '?', picked, promised);
      g_assert_true (np_money_currency_is_known (promised));
      n_files++;
    }

  g_test_message ("%u corpus files, each in its currency", n_files);
  g_assert_cmpuint (n_files, >, 0);
}

/* The letters keep their currencies whatever np_money_currencies () holds. */
static void
test_selector_letters (void)
{
  g_assert_cmpstr (np_fuzz_money_currency ('S'), ==, "SEK");
  g_assert_cmpstr (np_fuzz_money_currency ('E'), ==, "EUR");
  g_assert_cmpstr (np_fuzz_money_currency ('J'), ==, "JPY");
  g_assert_cmpstr (np_fuzz_money_currency ('K'), ==, "KWD");
  g_assert_cmpint (np_money_currency_exponent ("JPY"), ==, 0);
  g_assert_cmpint (np_money_currency_exponent ("KWD"), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s CORPUS_DIR", argv[0]);
  corpus_dir = argv[1];

  g_test_add_func ("/fuzz/money/corpus-currencies", test_corpus_currencies);
  g_test_add_func ("/fuzz/money/selector-letters", test_selector_letters);

  return g_test_run ();
}
