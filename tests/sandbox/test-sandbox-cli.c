/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sandbox-cli.c — the neuropay-sandbox executable: its three first lines, its
 * request log (without keys), a clean exit on SIGTERM and SIGINT, and state kept
 * across a restart with --state. */
#include <signal.h>

#include "np-test-utils.h"
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#define TEST_KEY "cli-test-key-0123456789abcdefghij"
#define LIVE_KEY "cli-live-key-0123456789abcdefghij"

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *base_url;
} Running;

static void
running_free (Running *running)
{
  g_clear_object (&running->out);
  g_clear_object (&running->process);
  g_free (running->base_url);
  g_free (running);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Running, running_free)

static char *
read_line (Running *running)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (running->out, NULL, NULL, &error);

  g_assert_no_error (error);
  return line;
}

static Running *
start (const char *state_path,
       ...)
{
  const char *exe = g_getenv ("NP_SANDBOX_EXE");
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  Running *running = g_new0 (Running, 1);
  const char *arg;
  va_list ap;

  g_assert_nonnull (exe);
  g_ptr_array_add (args, (char *) exe);
  g_ptr_array_add (args, "--port");
  g_ptr_array_add (args, "0");
  if (state_path != NULL)
    {
      g_ptr_array_add (args, "--state");
      g_ptr_array_add (args, (char *) state_path);
    }
  va_start (ap, state_path);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  running->process = g_subprocess_newv ((const char * const *) args->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  running->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (running->process));

  first = read_line (running);
  second = read_line (running);
  third = read_line (running);
  g_assert_nonnull (first);
  g_assert_true (g_str_has_prefix (first, "listening on http://127.0.0.1:") ||
                 g_str_has_prefix (first, "listening on http://localhost:"));
  g_assert_true (g_str_has_prefix (second, "test key: "));
  g_assert_true (g_str_has_prefix (third, "live key: "));
  g_assert_cmpuint (strlen (second + strlen ("test key: ")), >=, 32);
  running->base_url = g_strdup (first + strlen ("listening on "));
  return running;
}

static guint
post (Running     *running,
      const char  *path,
      const char  *body,
      JsonObject **out)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (running->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " TEST_KEY);
  soup_message_set_request_body_from_bytes (msg, g_str_has_prefix (path, "/pay/") ?
                                            "application/x-www-form-urlencoded" : "application/json", bytes);
  soup_message_set_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out != NULL)
    {
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                                 g_bytes_get_size (answer), NULL));
      *out = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  return soup_message_get_status (msg);
}

static JsonObject *
get_json (SoupSession *session,
          const char  *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " TEST_KEY);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             g_bytes_get_size (answer), NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Stops with @signum, asserts exit status 0, returns the rest of stdout. */
static char *
stop (Running *running,
      int      signum)
{
  g_autoptr(GString) rest = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *line;

  g_subprocess_send_signal (running->process, signum);
  while ((line = read_line (running)) != NULL)
    {
      g_string_append_printf (rest, "%s\n", line);
      g_free (line);
    }
  g_subprocess_wait (running->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (running->process));
  g_assert_cmpint (g_subprocess_get_exit_status (running->process), ==, 0);
  return g_string_free (g_steal_pointer (&rest), FALSE);
}

static void
test_lines_and_sigint (void)
{
  g_autoptr(Running) running = start (NULL, NULL);
  g_autofree char *log = NULL;
  g_autoptr(JsonObject) refused = NULL;

  /* Keys were generated; an unknown one is refused. */
  g_assert_cmpuint (post (running, "/checkout/retrieve", "{\"checkout_id\": \"x\"}", &refused), ==, 401);
  log = stop (running, SIGINT);
  g_assert_nonnull (strstr (log, "POST /checkout/retrieve 401 "));
  g_assert_nonnull (strstr (log, "req_"));
}

static void
test_state_survives_restart (void)
{
  g_autofree char *state = g_build_filename (np_test_get_home (), "sandbox-state.json", NULL);
  g_autoptr(Running) first = start (state, "--test-key", TEST_KEY, "--live-key", LIVE_KEY, NULL);
  g_autoptr(Running) second = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) customer = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) customer_after = NULL;
  g_autofree char *pay_path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *customer_body = NULL;
  g_autofree char *log = NULL;
  g_autofree char *url = NULL;

  g_assert_cmpuint (post (first, "/checkout/create",
                          "{\"amount\": 4200, \"currency\": \"EUR\", \"message\": \"Kept\"}", &created), ==, 200);
  g_assert_cmpuint (post (first, "/checkout/create-customer",
                          "{\"first_name\": \"A\", \"last_name\": \"B\", \"email\": \"a@b.c\"}", &customer), ==, 200);
  pay_path = g_strdup_printf ("/pay/%s", json_object_get_string_member (created, "checkout_id"));
  g_assert_cmpuint (post (first, pay_path, "outcome=success", NULL), ==, 200);
  log = stop (first, SIGTERM);
  /* One line per request, never a key. */
  g_assert_nonnull (strstr (log, "POST /checkout/create 200 "));
  g_assert_null (strstr (log, TEST_KEY));
  g_assert_false (np_test_file_contains (state, TEST_KEY));
  g_assert_false (np_test_file_contains (state, LIVE_KEY));

  second = start (state, "--test-key", TEST_KEY, "--live-key", LIVE_KEY, NULL);
  body = g_strdup_printf ("{\"checkout_id\": \"%s\"}", json_object_get_string_member (created, "checkout_id"));
  g_assert_cmpuint (post (second, "/checkout/retrieve", body, &after), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (after, "status"), ==, "paid");
  g_assert_cmpint (json_object_get_int_member (after, "amount"), ==, 4200);
  /* Links follow the new port. */
  url = g_strdup_printf ("%s%s", second->base_url, pay_path);
  g_assert_cmpstr (json_object_get_string_member (after, "url"), ==, url);
  customer_body = g_strdup_printf ("{\"customer_id\": \"%s\"}", json_object_get_string_member (customer, "customer_id"));
  g_assert_cmpuint (post (second, "/checkout/retrieve-customer", customer_body, &customer_after), ==, 200);
  g_free (stop (second, SIGTERM));
}

static void
test_localhost (void)
{
  g_autoptr(Running) running = start (NULL, "--host", "localhost", NULL);

  g_assert_true (g_str_has_prefix (running->base_url, "http://localhost:"));
  g_free (stop (running, SIGTERM));
}

static void
test_bad_options (void)
{
  const char *exe = g_getenv ("NP_SANDBOX_EXE");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                                     exe, "--port", "99999", NULL);

  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
}

/* --rate-limit, --rate-burst, --max-connections and --latency-ms from the command
 * line: the third quick call is answered 429 with Retry-After, counted at the
 * server, each answer came at least 40 ms after its call arrived. */
static void
test_remote_api_options (void)
{
  g_autoptr(Running) running = start (NULL, "--test-key", TEST_KEY, "--live-key", LIVE_KEY,
                                      "--latency-ms", "40", "--rate-limit", "1", "--rate-burst", "2",
                                      "--max-connections", "4", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(JsonObject) requests = NULL;
  g_autofree char *stats_url = g_strconcat (running->base_url, "/sandbox/stats", NULL);
  g_autofree char *requests_url = g_strconcat (running->base_url, "/sandbox/requests", NULL);
  JsonArray *list;

  g_assert_cmpuint (post (running, "/checkout/retrieve", "{\"checkout_id\": \"a\"}", NULL), ==, 404);
  g_assert_cmpuint (post (running, "/checkout/retrieve", "{\"checkout_id\": \"b\"}", NULL), ==, 404);
  g_assert_cmpuint (post (running, "/checkout/retrieve", "{\"checkout_id\": \"c\"}", &refused), ==, 429);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (refused, "error"), "code"),
                   ==, "rate_limited");

  stats = get_json (session, stats_url);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
    json_object_get_object_member (stats, "paths"), "/checkout/retrieve"), "rate_limited"), ==, 1);
  requests = get_json (session, requests_url);
  list = json_object_get_array_member (requests, "requests");
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *entry = json_array_get_object_element (list, i);

      g_assert_cmpint (json_object_get_int_member (entry, "answered_us") -
                       json_object_get_int_member (entry, "arrived_us"), >=, 40 * 1000);
    }
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (list, 2), "retry_after"), ==, 1);
  g_free (stop (running, SIGTERM));
}

/* The new options are in --help, and nonsense is refused with status 2. */
static void
test_remote_api_options_help (void)
{
  const char *exe = g_getenv ("NP_SANDBOX_EXE");
  const char *bad[][2] = { { "--rate-limit", "-1" }, { "--max-connections", "-3" }, { "--rate-burst", "5" } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) help = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe, "--help", NULL);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (help, NULL, NULL, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "--rate-limit=N"));
  g_assert_nonnull (strstr (text, "--rate-burst=N"));
  g_assert_nonnull (strstr (text, "--max-connections=N"));
  g_assert_nonnull (strstr (text, "--latency-ms=N"));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GSubprocess) process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                         G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                                         exe, "--port", "0", bad[i][0], bad[i][1], NULL);

      g_assert_no_error (error);
      g_subprocess_wait (process, NULL, &error);
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
    }
}

/* A state file that is not ours stops the start rather than being overwritten. */
static void
test_unreadable_state (void)
{
  const char *exe = g_getenv ("NP_SANDBOX_EXE");
  g_autofree char *state = g_build_filename (np_test_get_home (), "not-a-state.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *after = NULL;

  g_assert_true (g_file_set_contents (state, "{ this is not json", -1, NULL));
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              exe, "--port", "0", "--state", state, NULL);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_true (g_file_get_contents (state, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, "{ this is not json");
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  g_test_add_func ("/sandbox/cli/lines-sigint", test_lines_and_sigint);
  g_test_add_func ("/sandbox/cli/state-restart", test_state_survives_restart);
  g_test_add_func ("/sandbox/cli/localhost", test_localhost);
  g_test_add_func ("/sandbox/cli/bad-options", test_bad_options);
  g_test_add_func ("/sandbox/cli/unreadable-state", test_unreadable_state);
  g_test_add_func ("/sandbox/cli/remote-api-options", test_remote_api_options);
  g_test_add_func ("/sandbox/cli/remote-api-options-help", test_remote_api_options_help);
  return g_test_run ();
}
