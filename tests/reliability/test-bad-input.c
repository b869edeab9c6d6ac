/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-bad-input.c — what a form may be handed: empty, 10,000 characters, not
 * UTF-8, control characters, negative and huge amounts, too many decimals, wrong
 * currencies, hostile URLs and oversized metadata. Each is refused with a message,
 * and a client refuses to send what a form let through.
 */
#include <string.h>

#include "np-client.h"
#include "np-money.h"
#include "np-test-utils.h"

/* Refused with @code and a message that says something. */
static void
assert_money_refused (const char *text,
                      const char *currency,
                      int         code)
{
  g_autoptr(GError) error = NULL;
  gint64 minor = -12345;

  g_assert_false (np_money_parse (text, currency, &minor, &error));
  if (code >= 0)
    g_assert_error (error, NP_MONEY_ERROR, code);
  else
    g_assert_true (error != NULL && error->domain == NP_MONEY_ERROR);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 5);
  /* Quoted back safely: valid UTF-8, no control characters, one short line. */
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 200);
  for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
}

static void
test_money_bad_input (void)
{
  g_autofree char *long_digits = g_strnfill (10000, '9');
  g_autofree char *long_letters = g_strnfill (10000, 'x');
  g_autofree char *long_decimals = g_strconcat ("1.", long_digits, NULL);
  g_autofree char *long_zeros = g_strnfill (10000, '0');

  assert_money_refused ("", "SEK", NP_MONEY_ERROR_EMPTY);
  assert_money_refused (NULL, "SEK", -1);
  assert_money_refused ("\t \n", "SEK", NP_MONEY_ERROR_EMPTY);
  assert_money_refused (long_digits, "SEK", NP_MONEY_ERROR_OVERFLOW);
  assert_money_refused (long_letters, "SEK", NP_MONEY_ERROR_INVALID);
  assert_money_refused (long_decimals, "SEK", NP_MONEY_ERROR_TOO_MANY_DECIMALS);
  assert_money_refused ("12\xff" "34", "SEK", -1);          /* not UTF-8 */
  assert_money_refused ("\xc3\x28", "SEK", -1);             /* broken sequence */
  assert_money_refused ("12\x01", "SEK", -1);               /* control characters */
  assert_money_refused ("1\x1b[31m2", "SEK", -1);
  assert_money_refused ("1\u200b2", "SEK", -1);             /* zero-width space */
  assert_money_refused ("-1", "SEK", NP_MONEY_ERROR_NEGATIVE);
  assert_money_refused ("-0.01", "SEK", NP_MONEY_ERROR_NEGATIVE);
  assert_money_refused ("\u22121", "SEK", -1);              /* a typographic minus */
  assert_money_refused ("99999999999999999999", "SEK", NP_MONEY_ERROR_OVERFLOW);
  assert_money_refused ("1e400", "SEK", NP_MONEY_ERROR_INVALID);
  assert_money_refused ("inf", "SEK", NP_MONEY_ERROR_INVALID);
  assert_money_refused ("NaN", "SEK", NP_MONEY_ERROR_INVALID);
  assert_money_refused ("0x10", "SEK", NP_MONEY_ERROR_INVALID);
  assert_money_refused ("1.001", "SEK", NP_MONEY_ERROR_TOO_MANY_DECIMALS);
  /* Found by fuzz-money: a stray mark in the integer part read as digit -2. */
  assert_money_refused ("0.0,234.56", "IQD", NP_MONEY_ERROR_INVALID);
  assert_money_refused ("1.2,345.67", "SEK", NP_MONEY_ERROR_INVALID);
  assert_money_refused ("1,2.345,67", "EUR", NP_MONEY_ERROR_INVALID);
  assert_money_refused ("1.5", "JPY", NP_MONEY_ERROR_TOO_MANY_DECIMALS);
  assert_money_refused ("1.0001", "KWD", NP_MONEY_ERROR_TOO_MANY_DECIMALS);
  assert_money_refused ("10", "sek", -1);                   /* codes are upper case */
  assert_money_refused ("10", "SEKK", NP_MONEY_ERROR_UNKNOWN_CURRENCY);
  assert_money_refused ("10", "S\xffK", NP_MONEY_ERROR_UNKNOWN_CURRENCY);
  assert_money_refused ("10", long_letters, NP_MONEY_ERROR_UNKNOWN_CURRENCY);
  assert_money_refused ("10", "", NP_MONEY_ERROR_UNKNOWN_CURRENCY);

  /* Leading zeros are not an overflow: 10,000 of them are zero. */
  {
    g_autoptr(GError) error = NULL;
    gint64 minor = -1;

    g_assert_true (np_money_parse (long_zeros, "SEK", &minor, &error));
    g_assert_no_error (error);
    g_assert_cmpint (minor, ==, 0);
  }
}

static void
assert_url_refused (const char *url,
                    const char *why_word)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpClient) client = NULL;
  g_autofree char *sentence = NULL;

  g_assert_false (np_client_check_base_url (url, &error));
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_URL);
  if (why_word != NULL)
    g_assert_nonnull (strstr (error->message, why_word));
  sentence = np_client_error_describe (error);
  g_assert_nonnull (strstr (sentence, "https://"));
  g_clear_error (&error);

  /* The client itself refuses it too, whatever a form did. */
  client = np_client_new (url, "sk_test_never_sent", &error);
  g_assert_null (client);
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_URL);
}

static void
test_base_urls (void)
{
  g_autofree char *long_url = NULL;
  g_autofree char *filler = g_strnfill (10000, 'a');

  assert_url_refused (NULL, NULL);
  assert_url_refused ("", NULL);
  assert_url_refused ("javascript:alert(1)", NULL);
  assert_url_refused ("JavaScript://api.neuropay.example/%0aalert(1)", "https://");
  assert_url_refused ("file:///etc/passwd", NULL);
  assert_url_refused ("ftp://api.neuropay.example", "https://");
  assert_url_refused ("data:text/html,<script>alert(1)</script>", NULL);
  /* Plain http is refused unless the server is on this computer, with a reason. */
  assert_url_refused ("http://example.com", "only on this computer");
  assert_url_refused ("http://10.0.0.1:8080", "only on this computer");
  assert_url_refused ("http://localhost.example.com", "only on this computer");
  assert_url_refused ("http://127.0.0.1.nip.io", "only on this computer");
  assert_url_refused ("api.neuropay.example", NULL);
  assert_url_refused ("https://", NULL);
  assert_url_refused ("https:///path", NULL);
  assert_url_refused ("https://user:pw@api.neuropay.example", "user name");
  assert_url_refused ("https://api.neuropay.example/?key=1", "query");
  assert_url_refused ("https://api.neuropay.example/#x", "fragment");
  assert_url_refused ("https://api.neu\xffropay.example", NULL);
  assert_url_refused ("https://api.neuropay.example\n.evil", NULL);
  assert_url_refused ("https://exa mple.com", NULL);
  long_url = g_strconcat ("gopher://", filler, ".example", NULL);
  assert_url_refused (long_url, NULL);

  /* What is accepted. */
  g_assert_true (np_client_check_base_url ("https://api.paiwise.com", NULL));
  g_assert_true (np_client_check_base_url ("http://127.0.0.1:8080", NULL));
  g_assert_true (np_client_check_base_url ("http://[::1]:8080", NULL));
  g_assert_true (np_client_check_base_url ("http://localhost:8080", NULL));
}

static GHashTable *
metadata_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
assert_metadata_refused (GHashTable *metadata)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;

  g_assert_false (np_client_check_metadata (metadata, &error));
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_INPUT);
  g_assert_cmpstr (np_client_error_get_field (error), ==, "metaData");
  sentence = np_client_error_describe (error);
  g_assert_nonnull (strstr (sentence, "nothing was sent"));
}

static void
test_metadata_limits (void)
{
  g_autoptr(GHashTable) ok = metadata_new ();
  g_autoptr(GHashTable) many = metadata_new ();
  g_autoptr(GHashTable) long_value = metadata_new ();
  g_autoptr(GHashTable) long_key = metadata_new ();
  g_autoptr(GHashTable) empty_key = metadata_new ();
  g_autoptr(GHashTable) bad_utf8 = metadata_new ();
  g_autoptr(GHashTable) control_key = metadata_new ();

  for (guint i = 0; i < NP_CLIENT_METADATA_MAX_ENTRIES; i++)
    g_hash_table_insert (ok, g_strdup_printf ("k%u", i), g_strnfill (NP_CLIENT_METADATA_MAX_VALUE, 'v'));
  g_hash_table_insert (ok, g_strdup ("k0"), g_strdup ("multi\nline\tvalue"));
  g_assert_true (np_client_check_metadata (ok, NULL));
  g_assert_true (np_client_check_metadata (NULL, NULL));

  for (guint i = 0; i < NP_CLIENT_METADATA_MAX_ENTRIES + 1; i++)
    g_hash_table_insert (many, g_strdup_printf ("k%u", i), g_strdup ("v"));
  assert_metadata_refused (many);

  g_hash_table_insert (long_value, g_strdup ("note"), g_strnfill (10000, 'v'));
  assert_metadata_refused (long_value);
  g_hash_table_insert (long_key, g_strnfill (NP_CLIENT_METADATA_MAX_KEY + 1, 'k'), g_strdup ("v"));
  assert_metadata_refused (long_key);
  g_hash_table_insert (empty_key, g_strdup (""), g_strdup ("v"));
  assert_metadata_refused (empty_key);
  g_hash_table_insert (bad_utf8, g_strdup ("k"), g_strdup ("\xfe\xff"));
  assert_metadata_refused (bad_utf8);
  g_hash_table_insert (control_key, g_strdup ("a\x07" "b"), g_strdup ("v"));
  assert_metadata_refused (control_key);
}

static void
test_draft_checks (void)
{
  g_autoptr(NpCheckoutDraft) draft = np_checkout_draft_new ();
  g_autoptr(GError) error = NULL;

  draft->amount = 1000;
  draft->currency = g_strdup ("SEK");
  draft->message = g_strdup ("Two lines\nof message");
  g_assert_true (np_client_check_draft (draft, &error));
  g_assert_no_error (error);

  draft->amount = 0;
  g_assert_false (np_client_check_draft (draft, &error));
  g_assert_error (error, NP_CLIENT_ERROR, NP_CLIENT_ERROR_INVALID_INPUT);
  g_assert_cmpstr (np_client_error_get_field (error), ==, "amount");
  g_clear_error (&error);
  draft->amount = -500;
  g_assert_false (np_client_check_draft (draft, &error));
  g_clear_error (&error);
  draft->amount = 1000;

  g_free (draft->currency);
  draft->currency = g_strdup ("S\x01K");
  g_assert_false (np_client_check_draft (draft, &error));
  g_assert_cmpstr (np_client_error_get_field (error), ==, "currency");
  g_clear_error (&error);
  g_free (draft->currency);
  draft->currency = g_strdup ("SEK");

  draft->identifier = g_strdup ("order\x1b[2J");
  g_assert_false (np_client_check_draft (draft, &error));
  g_assert_cmpstr (np_client_error_get_field (error), ==, "identifier");
  g_clear_error (&error);
  g_clear_pointer (&draft->identifier, g_free);

  g_free (draft->message);
  draft->message = g_strdup ("caf\xe9");   /* Latin-1, not UTF-8 */
  g_assert_false (np_client_check_draft (draft, &error));
  g_assert_cmpstr (np_client_error_get_field (error), ==, "message");
  g_clear_error (&error);
}

int
main (int argc, char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/reliability/bad-input/money", test_money_bad_input);
  g_test_add_func ("/reliability/bad-input/base-urls", test_base_urls);
  g_test_add_func ("/reliability/bad-input/metadata-limits", test_metadata_limits);
  g_test_add_func ("/reliability/bad-input/draft", test_draft_checks);

  return g_test_run ();
}
