/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-answer.c — the client's whole answer path on any bytes (issue 21).
 *
 * What np-client-call.c does with an answer once it has been read, without the
 * socket: a 2xx body made into a checkout or customer (retrieve, or a delete and
 * its confirmation), a non-2xx body made into the error a person reads, and a
 * retrieve-many batch of such answers. The first byte picks the path, the rest
 * is the body. Beyond not crashing, what comes back must keep the promises the
 * views rely on: amounts within [0, NP_JSON_MAX_AMOUNT], refunds within the
 * amount, error texts of bounded, valid, control-free UTF-8.
 */
#include <stdint.h>
#include <string.h>

#include "np-api-private.h"
#include "np-client-private.h"
#include "np-json-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define CHECK(cond) G_STMT_START { if (!(cond)) __builtin_trap (); } G_STMT_END

static void
check_text (const char *text,
            guint       max_chars)
{
  if (text == NULL)
    return;
  CHECK (g_utf8_validate (text, -1, NULL));
  CHECK (g_utf8_strlen (text, -1) <= max_chars + 1);   /* + the ellipsis */
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      CHECK (!g_unichar_iscntrl (c) && c != 0x2028 && c != 0x2029);
    }
}

static void
check_checkout (NpCheckout *checkout)
{
  GPtrArray *refunds = np_checkout_get_refunds (checkout);
  gint64 amount = np_checkout_get_amount (checkout);
  gint64 refunded = np_checkout_get_refunded_amount (checkout);
  gint64 refundable = np_checkout_get_refundable_amount (checkout);

  CHECK (np_json_id_is_usable (np_checkout_get_id (checkout)));
  CHECK (amount >= 0 && amount <= NP_JSON_MAX_AMOUNT);
  CHECK (refunded >= 0 && refunded <= amount);
  CHECK (refundable >= 0 && refundable <= amount);
  for (guint i = 0; i < refunds->len; i++)
    {
      const NpRefund *refund = g_ptr_array_index (refunds, i);

      CHECK (refund->amount >= 0 && refund->amount <= amount);
    }
  (void) np_checkout_get_status_text (checkout);
  (void) np_checkout_get_currency (checkout);
  (void) np_checkout_get_metadata (checkout);
  (void) np_checkout_can_refund (checkout);
  (void) np_checkout_can_capture (checkout);
  (void) np_checkout_can_delete (checkout);
}

static void
check_error (const GError *error)
{
  g_autofree char *sentence = np_client_error_describe (error);

  CHECK (error != NULL && error->domain == NP_CLIENT_ERROR);
  CHECK (g_utf8_validate (error->message, -1, NULL));
  CHECK (strlen (error->message) < 64 + NP_CLIENT_MAX_MESSAGE_CHARS * 4);
  check_text (np_client_error_get_field (error), NP_CLIENT_MAX_FIELD_CHARS);
  check_text (np_client_error_get_request_id (error), NP_CLIENT_MAX_FIELD_CHARS);
  CHECK (sentence != NULL && g_utf8_validate (sentence, -1, NULL));
}

static const guint statuses[] = { 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504, 302, 418 };

/* One answer: @selector picks success or error, kind, status and headers. */
static NpRetrieveResult *
read_one (guint8      selector,
          const char *body,
          gsize       len,
          gboolean    retrieve)
{
  NpRetrieveResult *entry = g_new0 (NpRetrieveResult, 1);

  entry->checkout_id = g_strdup ("c0ffee");
  if (selector & 1)
    {
      g_autoptr(GObject) object = NULL;
      NpCallResult result = (selector & 2) ? NP_CALL_RESULT_CUSTOMER : NP_CALL_RESULT_CHECKOUT;
      gboolean is_delete = !retrieve && (selector & 4);

      object = np_client_read_answer (result, is_delete, "c0ffee", body, len, &entry->error);
      CHECK ((object == NULL) == (entry->error != NULL));
      if (entry->error != NULL)
        check_error (entry->error);
      else if (NP_IS_CHECKOUT (object))
        {
          check_checkout (NP_CHECKOUT (object));
          if (result == NP_CALL_RESULT_CHECKOUT)
            entry->checkout = NP_CHECKOUT (g_steal_pointer (&object));
        }
      else
        CHECK (NP_IS_CUSTOMER (object) && np_json_id_is_usable (np_customer_get_id (NP_CUSTOMER (object))));
    }
  else
    {
      guint status = statuses[(selector >> 1) % G_N_ELEMENTS (statuses)];
      const char *content_type = (selector & 0x40) ? "text/plain" : (selector & 0x80) ? NULL : "application/json";
      /* An X-Request-Id header of hostile text (the body's first bytes), sometimes. */
      g_autofree char *header_id = (selector & 0x20) ? g_strndup (body, MIN (len, 300)) : NULL;

      entry->error = np_client_read_error_answer (status, retrieve, content_type, header_id, selector, body, len);
      check_error (entry->error);
    }

  return entry;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (size < 2)
    return 0;

  if (data[0] % 4 != 3)
    {
      NpRetrieveResult *entry = read_one (data[1], (const char *) data + 2, size - 2, data[0] % 4 != 2);

      np_retrieve_result_free (entry);
      return 0;
    }

  /* A retrieve-many batch: answers separated by "\n\x1e", each with its selector
   * byte, gathered into the batch's results as np-client-many.c does. */
  {
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) np_retrieve_result_free);
    const char *p = (const char *) data + 1;
    const char *end = (const char *) data + size;

    while (p < end && results->len < 64)
      {
        const char *next = NULL;
        const char *stop;

        for (const char *q = p; q + 1 < end && next == NULL; q++)
          if (q[0] == '\n' && q[1] == '\x1e')
            next = q;
        stop = next ? next : end;

        if (stop > p)
          g_ptr_array_add (results, read_one ((guint8) *p, p + 1, stop - p - 1, TRUE));
        p = next ? next + 2 : end;
      }
    for (guint i = 0; i < results->len; i++)
      {
        NpRetrieveResult *entry = g_ptr_array_index (results, i);

        CHECK ((entry->checkout == NULL) || (entry->error == NULL));
      }
  }

  return 0;
}
