/* fuzz-json.c — checkout, customer and error-body parsing on any bytes.
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

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
use_checkout (NpCheckout *checkout)
{
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
        /* What reaches a person is one line of valid UTF-8. */
        if (message != NULL && (!g_utf8_validate (message, -1, NULL) || strchr (message, '\n') != NULL))
          __builtin_trap ();
      }
      break;
    }

  return 0;
}
