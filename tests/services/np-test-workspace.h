/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-test-workspace.h — a ready workspace for tests: the real sandbox, a ledger in
 * the test's private home, and an account whose key is in the real keyring.
 *
 * For the view helpers' ui tests and the services integration tests. Needs the
 * headless harness (a session bus with gnome-keyring): see build-aux/run-tests.
 */
#pragma once

#include "np-test-sandbox.h"
#include "np-test-utils.h"
#include "np-workspace.h"

G_BEGIN_DECLS

typedef struct {
  NpTestSandbox *sandbox;
  NpLedger      *ledger;
  NpKeyring     *keyring;
  NpAccounts    *accounts;
  NpWorkspace   *workspace;
  NpAccount     *account;
} NpTestWorkspace;

/* A sandbox, the ledger at its default path in the private test home, and an
 * account ("Test shop" or "Live shop") with the sandbox's test or live key, made
 * current. Waits until the workspace has its client. */
NpTestWorkspace *np_test_workspace_new             (NpEnvironment     environment);
void             np_test_workspace_free            (NpTestWorkspace  *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpTestWorkspace, np_test_workspace_free)

/* Creates a checkout through the workspace (journalled and stored in the ledger)
 * and waits for it; fails the test on an error. */
NpCheckout      *np_test_workspace_create_checkout (NpTestWorkspace  *t,
                                                    gint64            amount,
                                                    const char       *currency,
                                                    gboolean          capture);
/* Pays @checkout_id as a buyer would on the hosted page (paid, or reserved when
 * created with capture FALSE), then looks it up through the workspace so the
 * ledger has the new status. Returns the checkout in that state. */
NpCheckout      *np_test_workspace_pay             (NpTestWorkspace  *t,
                                                    const char       *checkout_id);

/* Waits for any np_workspace_checkout_finish () call; fails the test on an error. */
NpCheckout      *np_test_workspace_wait_checkout   (NpTestWorkspace  *t,
                                                    GAsyncResult    **result);

G_END_DECLS
