/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sandbox-load.c — 200 requests in flight at once from one client, none lost:
 * every create answers 200 with its own checkout, and the sandbox counted 200. */
#include <stdio.h>

#include "np-test-utils.h"
#include "test-sandbox-client.h"

#define N_REQUESTS 200

typedef struct
{
  guint       done;
  guint       ok;
  GHashTable *ids;
} Load;

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Load *load = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  load->done++;
  if (error != NULL)
    {
      g_test_message ("request failed: %s", error->message);
      return;
    }
  if (soup_message_get_status (msg) == 200 &&
      json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    {
      JsonObject *checkout = json_node_get_object (json_parser_get_root (parser));

      g_hash_table_add (load->ids, g_strdup (json_object_get_string_member (checkout, "checkout_id")));
      load->ok++;
    }
}

static gboolean
all_done (gpointer user_data)
{
  Load *load = user_data;

  return load->done == N_REQUESTS;
}

/* This process's open sockets to or from the sandbox's port: /proc/net/tcp gives
 * the inodes of the connections on that port, /proc/self/fd which of them are
 * still open here. Counting these, not all open files, keeps what GIO opens for
 * itself (network monitor, D-Bus, proxy resolver) out of the count. */
static guint
count_sandbox_sockets (guint port)
{
  g_autoptr(GHashTable) inodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  const char *name;
  guint n = 0;

  g_assert_true (g_file_get_contents ("/proc/self/net/tcp", &table, NULL, NULL));
  lines = g_strsplit (table, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      unsigned int local_port, remote_port;
      unsigned long inode;

      if (sscanf (lines[i], " %*u: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%x %*x %*x:%*x %*x:%*x %*x %*u %*u %lu",
                  &local_port, &remote_port, &inode) == 3 &&
          inode != 0 && (local_port == port || remote_port == port))
        g_hash_table_add (inodes, g_strdup_printf ("socket:[%lu]", inode));
    }

  dir = g_dir_open ("/proc/self/fd", 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_hash_table_contains (inodes, target))
        n++;
    }
  return n;
}

typedef struct
{
  guint port;
} SandboxPort;

static gboolean
connections_closed (gpointer user_data)
{
  SandboxPort *sandbox_port = user_data;

  /* What stays: the listening socket, and both ends of the one kept-alive
   * connection of the test sandbox's own session (np_test_sandbox_count_applied). */
  return count_sandbox_sockets (sandbox_port->port) <= 3;
}

/* The closing happens in the sandbox's thread: nothing wakes this thread's loop, so
 * a tick makes the wait look again. */
static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_concurrent (void)
{
  g_autoptr(NpTestSandbox) sandbox = np_test_sandbox_new ();
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64,
                                                                  "timeout", 60, NULL);
  g_autofree char *url = g_strconcat (np_test_sandbox_get_base_url (sandbox), "/checkout/create", NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", np_test_sandbox_get_test_key (sandbox));
  Load load = { 0, 0, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  g_autoptr(GUri) base_uri = g_uri_parse (np_test_sandbox_get_base_url (sandbox), G_URI_FLAGS_NONE, NULL);
  SandboxPort sandbox_port = { g_uri_get_port (base_uri) };
  guint tick_id;

  for (guint i = 0; i < N_REQUESTS; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autofree char *body = g_strdup_printf ("{\"amount\": %u, \"currency\": \"SEK\", \"message\": \"n%u\"}",
                                               100 + i, i);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&body), strlen (body));

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_answer, &load);
    }

  np_test_wait_until (all_done, &load, 60000, "200 concurrent creates");
  g_assert_cmpuint (load.ok, ==, N_REQUESTS);
  g_assert_cmpuint (g_hash_table_size (load.ids), ==, N_REQUESTS);
  g_assert_cmpuint (np_test_sandbox_count_applied (sandbox, "/checkout/create"), ==, N_REQUESTS);
  g_hash_table_unref (load.ids);

  /* libsoup sends each POST on a fresh connection; once the client lets them go,
   * the sandbox must close its ends too (a SoupServer of libsoup 3.2 listening by
   * itself would keep every one of them open). */
  g_clear_object (&session);
  tick_id = g_timeout_add (10, tick, NULL);
  np_test_wait_until (connections_closed, &sandbox_port, 10000, "the sandbox closing the 200 connections");
  g_source_remove (tick_id);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  np_test_init (&argc, &argv);
  g_test_add_func ("/sandbox/load/concurrent-200", test_concurrent);
  result = g_test_run ();
  test_client_cleanup ();
  return result;
}
