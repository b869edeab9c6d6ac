/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "np-bench-retrieve.h"
#include "np-test-utils.h"

GPtrArray *
np_bench_create_checkouts (NpTestSandbox *sandbox,
                           guint          n)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) body = NULL;
      g_autofree char *request = g_strdup_printf ("{\"amount\": %u, \"currency\": \"SEK\", \"message\": \"bench %u\"}",
                                                  100 + i, i);

      g_assert_cmpuint (np_test_sandbox_call (sandbox, "/checkout/create", request, &body), ==, 200);
      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (json_node_get_object (body), "checkout_id")));
    }
  g_ptr_array_add (ids, NULL);
  return ids;
}

void
np_bench_assert_retrieved (GPtrArray *results,
                           guint      n)
{
  g_assert_cmpuint (results->len, ==, n);
  for (guint i = 0; i < results->len; i++)
    {
      NpRetrieveResult *r = g_ptr_array_index (results, i);

      g_assert_no_error (r->error);
      g_assert_cmpint (np_checkout_get_amount (r->checkout), ==, 100 + i);
    }
}

double
np_bench_run_curl (NpTestSandbox *sandbox,
                   const char    *key,
                   GPtrArray     *ids,
                   guint          n,
                   guint          parallel_max)
{
  g_autoptr(GString) config = g_string_new (NULL);
  g_autofree char *path = g_build_filename (np_test_get_home (), "curl-retrieve.conf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *max = g_strdup_printf ("%u", parallel_max);
  const char *argv[] = { "curl", "--silent", "--show-error", "--parallel", "--parallel-max", max,
                         "--config", path, NULL };
  g_auto(GStrv) lines = NULL;
  guint ok = 0;
  int status = 0;
  gint64 started;
  double seconds;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (config,
                            "url = \"%s/checkout/retrieve\"\n"
                            "header = \"Content-Type: application/json\"\n"
                            "header = \"Authorization: Bearer %s\"\n"
                            "data = \"{\\\"checkout_id\\\": \\\"%s\\\"}\"\n"
                            "output = \"/dev/null\"\n"
                            "write-out = \"%%{http_code}\\n\"\n"
                            "%s",
                            np_test_sandbox_get_base_url (sandbox), key,
                            (const char *) g_ptr_array_index (ids, i),
                            i + 1 < n ? "next\n" : "");
  g_assert_true (g_file_set_contents_full (path, config->str, config->len, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_no_error (error);

  started = g_get_monotonic_time ();
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_assert_no_error (error);
  g_unlink (path);
  if (!g_spawn_check_wait_status (status, &error))
    g_printerr ("curl: %s\n", err);
  g_assert_no_error (error);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strcmp (lines[i], "200") == 0)
      ok++;
  g_assert_cmpuint (ok, ==, n);
  return seconds;
}
