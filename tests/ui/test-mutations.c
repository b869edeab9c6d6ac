/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mutations.c — a change sent to Neuro-Pay outlives the window that asked for
 * it: the real NpApplication on its embedded sandbox, the real journal, and a
 * notification server on the test's private session bus.
 *
 * The sandbox answers the refund late ("latency" fault). Closing the window: the
 * refund finishes, journalled succeeded, and notifications say so. Quitting: the
 * window stays with a dialog saying what is awaited, then goes when the answer
 * came. A second quit leaves at once, and the journal says unknown.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "np-checkout-detail.h"
#include "np-client-private.h"
#include "test-app-common.h"

#define WAIT_MS 20000

/* The embedded sandbox, through its HTTP interface. */
static guint
sandbox_send (NpApplication  *app,
              const char     *method,
              const char     *path,
              const char     *content_type,
              const char     *body,
              JsonNode      **out_json)
{
  NpWorkspace *workspace = np_application_get_workspace (app);
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  g_autofree char *auth = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_object_get (workspace, "sandbox-url", &base, NULL);
  url = g_strconcat (base, path, NULL);
  auth = g_strdup_printf ("Bearer %s", np_client_get_api_key (np_workspace_get_client (workspace)));
  msg = soup_message_new (method, url);
  soup_message_set_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                                 g_bytes_get_size (answer), NULL));
      *out_json = json_node_copy (json_parser_get_root (parser));
    }
  return soup_message_get_status (msg);
}

static guint
sandbox_count (NpApplication *app,
               const char    *what)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *paths, *entry;

  g_assert_cmpuint (sandbox_send (app, "GET", "/sandbox/stats", NULL, NULL, &root), ==, 200);
  paths = json_object_get_object_member (json_node_get_object (root), "paths");
  entry = paths != NULL && json_object_has_member (paths, "/checkout/refund")
          ? json_object_get_object_member (paths, "/checkout/refund") : NULL;
  return entry != NULL ? json_object_get_int_member (entry, what) : 0;
}

/* A paid checkout, and a refund of part of it sent with the sandbox answering
 * after @latency_ms; returns the checkout's id. */
static char *
start_slow_refund (NpApplication  *app,
                   guint           latency_ms,
                   GAsyncResult  **result)
{
  NpWorkspace *workspace = np_application_get_workspace (app);
  g_autofree char *id = app_create_checkout (app, 5000, "SEK");
  g_autofree char *pay = g_strdup_printf ("/pay/%s", id);
  g_autofree char *fault = g_strdup_printf ("{\"path\": \"/checkout/refund\", \"fault\": \"latency:%u\", "
                                            "\"count\": 1}", latency_ms);
  g_autoptr(GAsyncResult) looked_up = NULL;
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  status = sandbox_send (app, "POST", pay, "application/x-www-form-urlencoded", "outcome=success", NULL);
  g_assert_true (status == SOUP_STATUS_SEE_OTHER || status == SOUP_STATUS_OK);
  np_workspace_lookup_checkout_async (workspace, id, NULL, np_test_store_result, &looked_up);
  paid = np_workspace_checkout_finish (workspace, np_test_wait_result (&looked_up, WAIT_MS), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (np_checkout_get_status_text (paid), ==, "paid");

  g_assert_cmpuint (sandbox_send (app, "POST", "/sandbox/faults", "application/json", fault, NULL), ==, 200);
  np_workspace_refund_checkout_async (workspace, id, 1000, "duplicate", NULL, NULL, np_test_store_result, result);
  g_assert_cmpuint (np_workspace_get_mutations (workspace), ==, 1);
  return g_steal_pointer (&id);
}

static NpJournalEntry *
refund_entry (NpApplication *app)
{
  NpWorkspace *workspace = np_application_get_workspace (app);
  NpLedger *ledger = np_workspace_get_ledger (workspace);
  g_autoptr(NpJournalQuery) query = np_journal_query_new ();
  g_autoptr(GPtrArray) entries = NULL;

  query->operation_mask = NP_JOURNAL_OPERATION_BIT (NP_JOURNAL_OPERATION_REFUND);
  entries = np_ledger_journal_list (ledger, np_workspace_get_account_id (workspace), query, 0, 1, NULL);
  g_assert_nonnull (entries);
  g_assert_cmpuint (entries->len, ==, 1);
  return g_object_ref (g_ptr_array_index (entries, 0));
}

static NpJournalState
refund_state (NpApplication *app)
{
  g_autoptr(NpJournalEntry) entry = refund_entry (app);

  return np_journal_entry_get_state (entry);
}

static gboolean
no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (data)) == NULL;
}

static gboolean
refund_arrived (gpointer data)
{
  return sandbox_count (data, "requests") > 0;
}

/* org.freedesktop.Notifications on the private session bus: where GNotification
 * goes outside a sandbox when no GTK notification server runs. */
static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "  <method name='Notify'>"
  "    <arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "    <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "    <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/><arg type='u' direction='out'/>"
  "  </method>"
  "  <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "  <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "  <method name='GetServerInformation'>"
  "    <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "  </method>"
  "</interface></node>";

static GPtrArray *notified;   /* summaries, in order; a summary's id is its index + 1 */
static GDBusConnection *notifications_bus;

static void
notifications_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_ptr_array_add (notified, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notified->len));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@as [],)"));
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "test", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_call, NULL, NULL, { 0 } };

static gboolean name_owned;

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  name_owned = TRUE;
}

static gboolean
is_name_owned (gpointer data)
{
  return name_owned;
}

static void
start_notification_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  notified = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &notifications_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  notifications_bus = g_object_ref (bus);
  g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                on_name_acquired, NULL, NULL, NULL);
  np_test_wait_until (is_name_owned, NULL, WAIT_MS, "the notification server's name");
}

typedef struct {
  guint       index;
  const char *text;
} NotifiedWait;

static gboolean
was_notified (gpointer data)
{
  NotifiedWait *wait = data;

  return notified->len > wait->index && strstr (g_ptr_array_index (notified, wait->index), wait->text) != NULL;
}

/* The window closed while the refund is in flight: the process is told to stay
 * (the application is held), a notification says what is awaited, and when the
 * answer comes the journal says SUCCEEDED and another notification says so. */
static void
test_window_closed_during_refund (void)
{
  NpApplication *app = app_start ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *id = start_slow_refund (app, 1500, &result);
  guint first = notified->len;

  NotifiedWait waiting = { first, "Waiting for a refund to finish" };
  NotifiedWait done = { first + 1, ": done." };

  gtk_window_close (GTK_WINDOW (app_get_window (app)));
  np_test_wait_until (no_windows, app, WAIT_MS, "the window to close");
  np_test_wait_until (was_notified, &waiting, WAIT_MS, "a notification of the refund awaited");
  g_assert_cmpint (refund_state (app), ==, NP_JOURNAL_STATE_PENDING);

  np_test_wait_until (was_notified, &done, WAIT_MS, "a notification of the refund done");
  g_assert_cmpint (refund_state (app), ==, NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_cmpuint (sandbox_count (app, "applied"), ==, 1);
  g_assert_cmpuint (sandbox_count (app, "requests"), ==, 1);
  g_assert_cmpuint (np_workspace_get_mutations (np_application_get_workspace (app)), ==, 0);

  g_object_unref (app);
}

static AdwMessageDialog *
waiting_dialog (void)
{
  GtkWindow *dialog = app_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  return dialog != NULL ? ADW_MESSAGE_DIALOG (dialog) : NULL;
}

/* Quit with a refund in flight: the window stays, with a dialog saying what is
 * awaited; when the answer comes the journal says SUCCEEDED and the windows go. */
static void
test_quit_waits_for_refund (void)
{
  NpApplication *app = app_start ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *id = start_slow_refund (app, 1500, &result);
  AdwMessageDialog *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_nonnull (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_true (NP_IS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)))
                 || waiting_dialog () != NULL);
  dialog = ADW_MESSAGE_DIALOG (app_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Waiting for a refund to finish…");
  g_assert_true (adw_message_dialog_has_response (dialog, "quit-now"));
  g_assert_cmpint (refund_state (app), ==, NP_JOURNAL_STATE_PENDING);

  np_test_wait_until (no_windows, app, WAIT_MS, "the quit after the answer");
  g_assert_cmpint (refund_state (app), ==, NP_JOURNAL_STATE_SUCCEEDED);
  g_assert_cmpuint (sandbox_count (app, "applied"), ==, 1);

  g_object_unref (app);
}

/* A second quit does not wait: the windows go at once and the journal says
 * UNKNOWN (the answer will not be heard), not PENDING. */
static void
test_second_quit_leaves (void)
{
  NpApplication *app = app_start ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *id = start_slow_refund (app, 10000, &result);
  g_autoptr(NpJournalEntry) entry = NULL;

  np_test_wait_until (refund_arrived, app, WAIT_MS, "the refund at the sandbox");
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_nonnull (app_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);

  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  entry = refund_entry (app);
  g_assert_cmpint (np_journal_entry_get_state (entry), ==, NP_JOURNAL_STATE_UNKNOWN);
  g_assert_true (np_journal_entry_needs_attention (entry));
  g_assert_nonnull (strstr (np_journal_entry_get_error_text (entry), "quit before the answer"));
  g_assert_cmpuint (np_workspace_get_mutations (np_application_get_workspace (app)), ==, 0);

  g_object_unref (app);
}

static gboolean
was_notified_or_more (gpointer data)
{
  NotifiedWait *wait = data;

  return notified->len > wait->index;
}

static gboolean
window_shows_checkout (gpointer data)
{
  const char *checkout_id = data;
  GtkWindow *window = app_find_toplevel (NP_TYPE_WINDOW);
  GtkWidget *detail;

  if (window == NULL || g_strcmp0 (np_window_get_page (NP_WINDOW (window)), "checkouts") != 0)
    return FALSE;
  detail = app_find_descendant (GTK_WIDGET (window), NP_TYPE_CHECKOUT_DETAIL);
  return detail != NULL && g_strcmp0 (np_checkout_detail_get_checkout_id (NP_CHECKOUT_DETAIL (detail)),
                                      checkout_id) == 0;
}

/* A watched checkout paid while no window has the focus (here: none is open):
 * the sandbox pays it over HTTP, a desktop notification says "Order … paid:
 * 125.50 SEK", and clicking it (the server's ActionInvoked "default") opens a
 * window on that checkout. */
static void
test_watched_paid_notifies (void)
{
  NpApplication *app = app_start ();
  NpWorkspace *workspace = np_application_get_workspace (app);
  g_autofree char *id = app_create_checkout (app, 12550, "SEK");
  g_autofree char *pay = g_strdup_printf ("{\"checkout_id\": \"%s\", \"outcome\": \"success\"}", id);
  guint first = notified->len;
  /* np_money_format () puts a no-break space before the currency. */
  NotifiedWait paid = { first, " paid: 125.50\u00a0SEK" };
  guint limit = 0;

  /* The limit follows the GSettings key Preferences shows (minutes). */
  g_settings_set_uint (np_application_get_settings (app), "watch-limit-minutes", 20);
  g_object_get (np_workspace_get_watcher (workspace), "limit-seconds", &limit, NULL);
  g_assert_cmpuint (limit, ==, 1200);

  np_checkout_watcher_watch (np_workspace_get_watcher (workspace), id);
  g_assert_true (np_checkout_watcher_is_watching (np_workspace_get_watcher (workspace), id));
  gtk_window_close (GTK_WINDOW (app_get_window (app)));
  np_test_wait_until (no_windows, app, WAIT_MS, "the window to close");

  g_assert_cmpuint (sandbox_send (app, "POST", "/sandbox/pay", "application/json", pay, NULL), ==, 200);
  np_test_wait_until (was_notified_or_more, &paid, WAIT_MS, "a notification after the payment");
  g_assert_true (was_notified (&paid));
  g_assert_cmpuint (notified->len, ==, first + 1);

  g_dbus_connection_emit_signal (notifications_bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", first + 1, "default"), NULL);
  np_test_wait_until (window_shows_checkout, id, WAIT_MS, "a window on the paid checkout");

  g_object_unref (app);
}

/* One application per process (its D-Bus object path is fixed): each test runs
 * in a subprocess of its own. */
static void
in_subprocess (gconstpointer data)
{
  if (g_test_subprocess ())
    {
      ((GTestFunc) data) ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  if (g_test_subprocess ())
    start_notification_server ();

  g_test_add_data_func ("/ui/mutations/window-closed-during-refund", test_window_closed_during_refund, in_subprocess);
  g_test_add_data_func ("/ui/mutations/quit-waits-for-refund", test_quit_waits_for_refund, in_subprocess);
  g_test_add_data_func ("/ui/mutations/second-quit-leaves", test_second_quit_leaves, in_subprocess);
  g_test_add_data_func ("/ui/mutations/watched-paid-notifies", test_watched_paid_notifies, in_subprocess);

  return g_test_run ();
}
