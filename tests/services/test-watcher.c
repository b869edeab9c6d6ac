/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-watcher.c — NpCheckoutWatcher against the real sandbox over loopback: a
 * watched checkout paid by the sandbox (POST /sandbox/pay, no console action) is
 * stored paid within 3 s; declined and cancelled are seen; 50 watches for 60 s
 * send at most 60 retrieves (counted at the sandbox); a 429 with Retry-After: 5
 * holds the next request back at least 5 s; watching stops at the limit and when
 * the account changes. */
#include "np-test-workspace.h"

typedef struct {
  NpTestWorkspace *t;
  const char      *checkout_id;
  const char      *status;
  GPtrArray       *changes;   /* "id status" of every status-changed */
  gint64           until;
  guint            count;
} Wait;

static void
on_status_changed (NpCheckoutWatcher *watcher,
                   const char        *checkout_id,
                   NpCheckout        *checkout,
                   GPtrArray         *changes)
{
  g_ptr_array_add (changes, g_strdup_printf ("%s %s", checkout_id, np_checkout_get_status_text (checkout)));
}

static gboolean
ledger_says (gpointer user_data)
{
  Wait *w = user_data;
  g_autoptr(NpCheckout) stored = np_ledger_get_checkout (w->t->ledger, np_workspace_get_account_id (w->t->workspace),
                                                         w->checkout_id, NULL);

  return stored != NULL && g_strcmp0 (np_checkout_get_status_text (stored), w->status) == 0;
}

static gboolean
not_watching (gpointer user_data)
{
  Wait *w = user_data;

  return !np_checkout_watcher_is_watching (np_workspace_get_watcher (w->t->workspace), w->checkout_id);
}

static gboolean
time_is_up (gpointer user_data)
{
  Wait *w = user_data;

  return g_get_monotonic_time () >= w->until;
}

static gboolean
retrieves_reach (gpointer user_data)
{
  Wait *w = user_data;

  return np_test_sandbox_count_requests (w->t->sandbox, "/checkout/retrieve") >= w->count;
}

static gboolean
wake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
sandbox_pays (NpTestWorkspace *t,
              const char      *checkout_id,
              const char      *outcome)
{
  g_autofree char *body = g_strdup_printf ("{\"checkout_id\": \"%s\", \"outcome\": \"%s\"}", checkout_id, outcome);

  g_assert_cmpuint (np_test_sandbox_call (t->sandbox, "/sandbox/pay", body, NULL), ==, 200);
}

static void
test_paid_by_the_sandbox (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (t, 12550, "SEK", TRUE);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);
  Wait w = { t, np_checkout_get_id (created), "paid", changes, 0, 0 };
  g_autofree char *expected = g_strdup_printf ("%s paid", np_checkout_get_id (created));
  gint64 paid_at;

  g_signal_connect (watcher, "status-changed", G_CALLBACK (on_status_changed), changes);
  np_checkout_watcher_watch (watcher, w.checkout_id);
  g_assert_true (np_checkout_watcher_is_watching (watcher, w.checkout_id));
  w.count = 1;
  np_test_wait_until (retrieves_reach, &w, 5000, "the first retrieve");

  sandbox_pays (t, w.checkout_id, "success");
  paid_at = g_get_monotonic_time ();
  np_test_wait_until (ledger_says, &w, 3000, "the ledger to say paid");
  g_test_message ("paid seen after %.2f s", (g_get_monotonic_time () - paid_at) / 1e6);
  np_test_wait_until (not_watching, &w, 1000, "the watch to stop at paid");
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (changes, 0), ==, expected);
  /* Only retrieves: nothing else reached the sandbox from the watch. */
  g_assert_cmpuint (np_test_sandbox_count_requests (t->sandbox, "/checkout/capture"), ==, 0);
}

static void
test_declined_and_cancelled (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) declined = np_test_workspace_create_checkout (t, 1000, "SEK", TRUE);
  g_autoptr(NpCheckout) canceled = np_test_workspace_create_checkout (t, 2000, "EUR", TRUE);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);
  Wait a = { t, np_checkout_get_id (declined), "failed", changes, 0, 0 };
  Wait b = { t, np_checkout_get_id (canceled), "canceled", changes, 0, 0 };

  g_signal_connect (watcher, "status-changed", G_CALLBACK (on_status_changed), changes);
  np_checkout_watcher_watch (watcher, a.checkout_id);
  np_checkout_watcher_watch (watcher, b.checkout_id);
  sandbox_pays (t, a.checkout_id, "decline");
  sandbox_pays (t, b.checkout_id, "cancel");
  np_test_wait_until (ledger_says, &a, 5000, "declined in the ledger");
  np_test_wait_until (ledger_says, &b, 5000, "cancelled in the ledger");
  np_test_wait_until (not_watching, &a, 1000, "the declined watch to stop");
  np_test_wait_until (not_watching, &b, 1000, "the cancelled watch to stop");
  g_assert_cmpuint (changes->len, ==, 2);
}

/* The product rule, run for real: 50 waiting checkouts watched for 60 s. */
static void
test_request_budget (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);
  Wait w = { t, NULL, NULL, NULL, 0, 0 };
  guint before, sent, source;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (t, 100 + i, "SEK", TRUE);

      np_checkout_watcher_watch (watcher, np_checkout_get_id (created));
    }
  g_assert_cmpuint (np_checkout_watcher_get_n_watching (watcher), ==, 50);
  before = np_test_sandbox_count_requests (t->sandbox, "/checkout/retrieve");
  w.until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  source = g_timeout_add (250, wake, NULL);
  np_test_wait_until (time_is_up, &w, 65000, "60 s of watching");
  g_source_remove (source);
  sent = np_test_sandbox_count_requests (t->sandbox, "/checkout/retrieve") - before;
  g_test_message ("50 watches, 60 s: %u retrieves", sent);
  g_assert_cmpuint (sent, <=, 60);
  /* And it did watch: about one a second. */
  g_assert_cmpuint (sent, >=, 50);
  g_assert_cmpuint (np_checkout_watcher_get_n_watching (watcher), ==, 50);
}

static void
test_retry_after_slows (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (t, 500, "SEK", TRUE);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);
  Wait w = { t, np_checkout_get_id (created), NULL, NULL, 0, 0 };
  guint before = np_test_sandbox_count_requests (t->sandbox, "/checkout/retrieve");
  gint64 limited_at, waited;

  np_test_sandbox_add_fault_rule (t->sandbox,
                                  "{\"path\": \"/checkout/retrieve\", \"fault\": \"status:429\", "
                                  "\"retry_after\": 5, \"count\": 1}");
  np_checkout_watcher_watch (watcher, w.checkout_id);
  w.count = before + 1;
  np_test_wait_until (retrieves_reach, &w, 5000, "the rate-limited retrieve");
  limited_at = g_get_monotonic_time ();
  w.count = before + 2;
  np_test_wait_until (retrieves_reach, &w, 15000, "the next retrieve");
  waited = g_get_monotonic_time () - limited_at;
  g_test_message ("next retrieve %.2f s after the 429", waited / 1e6);
  g_assert_cmpint (waited, >=, 5 * G_USEC_PER_SEC - 100000);
  g_assert_cmpint (np_checkout_watcher_get_n_watching (watcher), ==, 1);
}

static void
test_stops_at_limit (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (t, 500, "SEK", TRUE);
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);
  Wait w = { t, np_checkout_get_id (created), NULL, NULL, 0, 0 };
  guint after;

  g_object_set (watcher, "limit-seconds", 2, NULL);
  np_checkout_watcher_watch (watcher, w.checkout_id);
  g_assert_true (np_checkout_watcher_is_watching (watcher, w.checkout_id));
  np_test_wait_until (not_watching, &w, 4000, "the watch to stop at its limit");
  /* And nothing more is asked for it. */
  after = np_checkout_watcher_get_n_requests (watcher);
  w.until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  {
    guint source = g_timeout_add (250, wake, NULL);

    np_test_wait_until (time_is_up, &w, 5000, "3 s after the limit");
    g_source_remove (source);
  }
  g_assert_cmpuint (np_checkout_watcher_get_n_requests (watcher), ==, after);
}

static void
test_stops_when_account_changes (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) created = np_test_workspace_create_checkout (t, 500, "SEK", TRUE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);

  np_checkout_watcher_watch (watcher, np_checkout_get_id (created));
  g_assert_cmpuint (np_checkout_watcher_get_n_watching (watcher), ==, 1);
  np_workspace_set_account_async (t->workspace, NULL, NULL, np_test_store_result, &result);
  np_test_wait_result (&result, 5000);
  g_assert_true (np_workspace_set_account_finish (t->workspace, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (np_checkout_watcher_get_n_watching (watcher), ==, 0);
}

/* The Overview's waiting checkouts younger than a day (by the sandbox's clock). */
static void
test_watch_recent (void)
{
  g_autoptr(NpTestWorkspace) t = np_test_workspace_new (NP_ENVIRONMENT_TEST);
  g_autoptr(NpCheckout) old = np_test_workspace_create_checkout (t, 100, "SEK", TRUE);
  g_autoptr(NpCheckout) paid = NULL;
  g_autoptr(NpCheckout) recent = NULL;
  g_autoptr(NpCheckout) recent_paid = NULL;
  NpCheckoutWatcher *watcher = np_workspace_get_watcher (t->workspace);

  g_assert_cmpuint (np_test_sandbox_clock (t->sandbox, "{\"advance\": \"2d\"}", NULL), ==, 200);
  recent = np_test_workspace_create_checkout (t, 200, "SEK", TRUE);
  recent_paid = np_test_workspace_create_checkout (t, 300, "SEK", TRUE);
  paid = np_test_workspace_pay (t, np_checkout_get_id (recent_paid));

  g_assert_cmpuint (np_checkout_watcher_watch_recent (watcher), ==, 1);
  g_assert_true (np_checkout_watcher_is_watching (watcher, np_checkout_get_id (recent)));
  g_assert_false (np_checkout_watcher_is_watching (watcher, np_checkout_get_id (old)));
  g_assert_false (np_checkout_watcher_is_watching (watcher, np_checkout_get_id (recent_paid)));
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);

  g_test_add_func ("/watcher/paid-by-the-sandbox", test_paid_by_the_sandbox);
  g_test_add_func ("/watcher/declined-and-cancelled", test_declined_and_cancelled);
  g_test_add_func ("/watcher/retry-after-slows", test_retry_after_slows);
  g_test_add_func ("/watcher/stops-at-limit", test_stops_at_limit);
  g_test_add_func ("/watcher/stops-when-account-changes", test_stops_when_account_changes);
  g_test_add_func ("/watcher/watch-recent", test_watch_recent);
  g_test_add_func ("/watcher/request-budget", test_request_budget);

  return g_test_run ();
}
