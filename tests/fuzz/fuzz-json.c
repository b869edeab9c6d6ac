/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-json.c — checkout, customer and error-body parsing on any bytes
 * (the whole answer path, with the client's own code: fuzz-answer.c).
 *
 * The first byte picks the parser, the rest is the body, as a server (or
 * anything pretending to be one) could send it. Whatever comes back must be
 * usable: getters on a parsed object must not crash either.
 */
#include <stdint.h>
#include <string.h>

#include "np-api-private.h"
#include "np-checkout.h"
#include "np-customer.h"
#include "np-json-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_text (const char *text,
            guint       max_chars)
{
  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > max_chars + 1)
    __builtin_trap ();
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      __builtin_trap ();
}

static void
use_checkout (NpCheckout *checkout)
{
  /* Amounts were checked where they entered. */
  if (np_checkout_get_amount (checkout) < 0 || np_checkout_get_amount (checkout) > NP_JSON_MAX_AMOUNT
      || np_checkout_get_refunded_amount (checkout) < 0
      || np_checkout_get_refunded_amount (checkout) > np_checkout_get_amount (checkout))
    __builtin_trap ();
  (void) np_checkout_get_id (checkout);
  (void) np_checkout_get_identifier (checkout);
  (void) np_checkout_get_status (checkout);
  (void) np_checkout_get_status_text (checkout);
  (void) np_checkout_get_amount (checkout);
  (void) np_checkout_get_refunded_amount (checkout);
  (void) np_checkout_get_currency (checkout);
  (void) np_checkout_get_metadata (checkout);
}

static void
use_customer (NpCustomer *customer)
{
  (void) np_customer_get_id (customer);
  (void) np_customer_get_first_name (customer);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *body;
  gsize len;

  if (size < 1)
    return 0;
  body = (const char *) data + 1;
  len = size - 1;

  switch (data[0] % 3)
    {
    case 0:
      {
        g_autoptr(NpCheckout) checkout = np_checkout_new_from_data (body, len, NULL);

        if (checkout != NULL)
          use_checkout (checkout);
      }
      break;
    case 1:
      {
        g_autoptr(NpCustomer) customer = np_customer_new_from_data (body, len, NULL);

        if (customer != NULL)
          use_customer (customer);
      }
      break;
    default:
      {
        g_autofree char *message = NULL;
        g_autofree char *field = NULL;
        g_autofree char *request_id = NULL;

        np_client_parse_error_body (body, len, (data[0] & 4) ? "text/plain" : "application/json",
                                    &message, &field, &request_id);
        /* What reaches a person is one bounded line of valid UTF-8 without
         * control characters. */
        check_text (message, NP_CLIENT_MAX_MESSAGE_CHARS);
        check_text (field, NP_CLIENT_MAX_FIELD_CHARS);
        check_text (request_id, NP_CLIENT_MAX_FIELD_CHARS);
      }
      break;
    }

  return 0;
}
