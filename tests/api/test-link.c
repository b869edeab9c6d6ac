/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-link.c — np_link_is_openable (), and links refused where they enter:
 * NpCheckout's payment link and NpCustomer's client page. */
#include "config.h"

#include <string.h>

#include "np-client.h"
#include "np-link.h"
#include "np-test-utils.h"

static void
test_web_links_pass (void)
{
  static const char *good[] = {
    "https://pay.example/c/c0ffee",
    "HTTPS://Pay.Example:8443/c?x=1&y=%20#top",
    "https://p/9a",
    "https://192.0.2.7/pay",
    "https://[2001:db8::1]/pay",
    "https://xn--bcher-kva.example/",
    "http://127.0.0.1:8080/pay/c0ffee",
    "http://127.9.9.9/pay",
    "http://localhost:4000/client/9a",
    "http://LOCALHOST/",
    "http://[::1]:8080/pay",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_test_message ("%s", good[i]);
      g_assert_true (np_link_is_openable (good[i]));
    }
}

static void
test_other_links_refused (void)
{
  g_autoptr(GString) too_long = g_string_new ("https://pay.example/");
  static const char *bad[] = {
    "",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "javascript://pay.example/%0aalert(1)",
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox",
    "ftp://pay.example/",
    "smb://server/share",
    "mailto:a@example.com",
    "/pay/c0ffee",                              /* relative: no scheme, no host */
    "//pay.example/c0ffee",
    "pay.example/c0ffee",
    "https:pay.example",                        /* no authority */
    "https:///pay",                             /* empty host */
    "https://",
    "https://:443/pay",
    "https://bank.example@evil.example/",       /* userinfo: goes to evil.example */
    "https://user:pass@pay.example/",
    "https://@pay.example/",
    "https://pay.example%40evil.example/",      /* an encoded @ in the host */
    "https://evil.example\\@pay.example/",      /* browsers read \ as / */
    "https://pay.example /x",
    "https://pay.exa mple/",
    " https://pay.example/",
    "https://pay.example/\n",
    "https://pay.example/\t",
    "https://pay.example/\x7f",
    "https://pay.ex\xc3\xa4mple/",              /* non-ASCII: no IDN lookalikes */
    "https://pay..example/",
    "https://-pay.example/",
    "https://pay_example/",
    "https://[::1/",
    "http://pay.example/",                      /* plain http is only for the sandbox */
    "http://192.0.2.7/",
    "http://[::ffff:127.0.0.1]/",
    "http://localhost.evil.example/",
    "http://127.0.0.1.evil.example/",
    "http://2130706433/",                       /* 127.0.0.1 as a number: browsers differ */
    "http://0x7f.1/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("%s", bad[i]);
      g_assert_false (np_link_is_openable (bad[i]));
    }
  g_assert_false (np_link_is_openable (NULL));

  /* A link up to the limit passes; one past it does not. */
  while (too_long->len < NP_LINK_MAX_LENGTH + 1)
    g_string_append_c (too_long, 'a');
  g_assert_false (np_link_is_openable (too_long->str));
  g_string_truncate (too_long, NP_LINK_MAX_LENGTH);
  g_assert_true (np_link_is_openable (too_long->str));
}

static void
test_checkout_refuses_link (void)
{
  static const char *links[] = { "javascript:alert(1)", "file:///etc/passwd", "data:text/html,x",
                                 "https://bank.example@evil.example/" };

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autoptr(JsonObject) raw = json_object_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(NpCheckout) checkout = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;

      json_object_set_string_member (raw, "checkout_id", "c0ffee");
      json_object_set_string_member (raw, "status", "created");
      json_object_set_string_member (raw, "url", links[i]);
      node = json_node_init_object (json_node_alloc (), raw);
      checkout = np_checkout_new_from_json (node, &error);
      g_assert_no_error (error);

      /* Never offered, but kept in the raw JSON and known to have been refused. */
      g_assert_null (np_checkout_get_url (checkout));
      g_assert_true (np_checkout_get_url_refused (checkout));
      g_assert_cmpstr (json_object_get_string_member (np_checkout_get_raw (checkout), "url"), ==, links[i]);
      json = np_checkout_to_json (checkout, FALSE);
      g_assert_nonnull (strstr (json, "\"url\""));
    }
}

static void
test_checkout_keeps_web_link (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCheckout) https = np_checkout_new_from_data (
    "{\"checkout_id\": \"a\", \"checkout_url\": \"https://pay.example/a\"}", -1, &error);
  g_autoptr(NpCheckout) none = np_checkout_new_from_data ("{\"checkout_id\": \"b\"}", -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (np_checkout_get_url (https), ==, "https://pay.example/a");
  g_assert_false (np_checkout_get_url_refused (https));
  /* No link at all is not a refused one. */
  g_assert_null (np_checkout_get_url (none));
  g_assert_false (np_checkout_get_url_refused (none));
}

static void
test_customer_refuses_client_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NpCustomer) hostile = np_customer_new_from_data (
    "{\"customer_id\": \"9a\", \"email\": \"a@example.com\", \"Client_page\": \"file:///home\"}", -1, &error);
  g_autoptr(NpCustomer) good = np_customer_new_from_data (
    "{\"customer_id\": \"9b\", \"email\": \"b@example.com\", \"client_page\": \"http://127.0.0.1:9/client/9b\"}",
    -1, &error);

  g_assert_no_error (error);
  g_assert_null (np_customer_get_client_page (hostile));
  g_assert_true (np_customer_get_client_page_refused (hostile));
  g_assert_cmpstr (json_object_get_string_member (np_customer_get_raw (hostile), "Client_page"), ==, "file:///home");
  g_assert_cmpstr (np_customer_get_client_page (good), ==, "http://127.0.0.1:9/client/9b");
  g_assert_false (np_customer_get_client_page_refused (good));
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/link/web-links-pass", test_web_links_pass);
  g_test_add_func ("/link/other-links-refused", test_other_links_refused);
  g_test_add_func ("/link/checkout-refuses", test_checkout_refuses_link);
  g_test_add_func ("/link/checkout-keeps-web-link", test_checkout_keeps_web_link);
  g_test_add_func ("/link/customer-refuses", test_customer_refuses_client_page);

  return g_test_run ();
}
