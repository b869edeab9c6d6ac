/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-watcher.h — watching checkouts that wait for the payer.
 *
 * The API has no webhooks, so a checkout shown at the counter is retrieved by
 * itself until it is paid: about every 2 s for the first minute, then slower, up
 * to every 30 s, until a final status, the limit ("limit-seconds", 15 minutes by
 * default), a stop, or a change of account. Every watch of the account shares one
 * request budget: one retrieve in flight at a time and at least "budget-ms"
 * (1000) between the end of one and the start of the next, so a 429's Retry-After
 * (waited by the client) slows them all. It only ever retrieves, through the
 * workspace's look-up (stored in the ledger, which updates every view).
 *
 * Owned by the workspace: np_workspace_get_watcher ().
 */
#pragma once

#include <gio/gio.h>

#include "np-checkout.h"

G_BEGIN_DECLS

struct _NpWorkspace;

#define NP_TYPE_CHECKOUT_WATCHER (np_checkout_watcher_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutWatcher, np_checkout_watcher, NP, CHECKOUT_WATCHER, GObject)

/* Signals:
 *  "watch-changed" (const char *checkout_id): started, checked or stopped.
 *  "status-changed" (const char *checkout_id, NpCheckout *checkout): a watched
 *    checkout's status is not what it was; emitted once per change.
 */
NpCheckoutWatcher *np_checkout_watcher_new          (struct _NpWorkspace *workspace);

/* Starts (or restarts the clock of) a watch; nothing when the ledger knows the
 * checkout as final. */
void      np_checkout_watcher_watch                 (NpCheckoutWatcher *self,
                                                     const char        *checkout_id);
/* Watches every checkout of the account still created and made less than a day
 * ago by the server's clock (the Overview's waiting ones), at most 200, newest
 * first; returns how many. */
guint     np_checkout_watcher_watch_recent          (NpCheckoutWatcher *self);
void      np_checkout_watcher_stop                  (NpCheckoutWatcher *self,
                                                     const char        *checkout_id);
void      np_checkout_watcher_stop_all              (NpCheckoutWatcher *self);
gboolean  np_checkout_watcher_is_watching           (NpCheckoutWatcher *self,
                                                     const char        *checkout_id);
guint     np_checkout_watcher_get_n_watching        (NpCheckoutWatcher *self);
/* Monotonic µs of the last answer for @checkout_id, 0 when none yet or not watched. */
gint64    np_checkout_watcher_get_last_checked      (NpCheckoutWatcher *self,
                                                     const char        *checkout_id);
/* Retrieves sent by all watches so far. */
guint     np_checkout_watcher_get_n_requests        (NpCheckoutWatcher *self);

/* The interval a watch this old waits between retrieves, in ms (2 s, 5 s, 10 s, 30 s). */
guint     np_checkout_watcher_interval_for_age      (gint64             age_us);

G_END_DECLS
