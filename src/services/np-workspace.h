/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-workspace.h — what the views ask for: the current account and every operation on it.
 *
 * One NpWorkspace per application. It holds the ledger, the accounts, the current
 * account and an NpClient for it (built from the key in the keyring). Views never
 * talk SQL or HTTP: they read the ledger's list models and call the operations here.
 *
 * Every mutating operation commits a PENDING journal row before the request is
 * sent, then marks it SUCCEEDED, FAILED or UNKNOWN and stores the new state in the
 * ledger. Capture, refund and delete are never retried; a dropped answer finishes
 * with NP_CLIENT_ERROR_OUTCOME_UNKNOWN and the journal says UNKNOWN until a refresh
 * settles it. While an operation on an object is in flight, another mutating
 * operation on the same object fails at once with NP_WORKSPACE_ERROR_BUSY (no
 * double refunds from a double click).
 *
 * Mutations belong to the workspace, not to the view that asked: once the
 * journal row is committed the call is sent and runs until the server answers or
 * the client's deadline passes, whatever happens to the caller. A caller's
 * cancellable cancelled before that commits nothing and sends nothing; cancelled
 * after, it only detaches the caller (its callback gets G_IO_ERROR_CANCELLED at
 * once) and "mutation-finished" says what happened, with detached TRUE, for a
 * toast or a notification. Errors are NP_WORKSPACE_ERROR,
 * NP_CLIENT_ERROR or NP_LEDGER_ERROR; np_workspace_describe_error () phrases any.
 */
#pragma once

#include <gio/gio.h>

#include "np-accounts.h"
#include "np-checkout-watcher.h"
#include "np-client.h"
#include "np-ledger.h"
#include "np-team-sync.h"

G_BEGIN_DECLS

#define NP_WORKSPACE_ERROR (np_workspace_error_quark ())

typedef enum {
  NP_WORKSPACE_ERROR_NO_ACCOUNT,  /* no current account */
  NP_WORKSPACE_ERROR_NO_KEY,      /* the current account has no key in the keyring */
  NP_WORKSPACE_ERROR_BUSY,        /* an operation on this object is already in flight */
  NP_WORKSPACE_ERROR_SANDBOX,     /* the embedded sandbox could not start */
  NP_WORKSPACE_ERROR_TEAM_OFFLINE, /* team mode without the team ledger: mutations refused, reads go on */
} NpWorkspaceError;

GQuark np_workspace_error_quark (void);

/* What a refresh or an import did. */
typedef struct {
  guint      total;            /* ids asked for */
  guint      updated;          /* retrieved and stored */
  guint      changed_status;   /* of those, how many have a new status */
  guint      not_found;        /* 404: no such object in this account */
  guint      failed;           /* other errors (kept as the row's refresh error) */
  guint      settled;          /* UNKNOWN journal entries this refresh settled */
  GPtrArray *failures;         /* of NpRetrieveResult (error set), for "Show" */
  gboolean   cancelled;        /* stopped by the caller: the counts are what was done */
} NpRefreshSummary;

void   np_refresh_summary_free     (NpRefreshSummary *summary);
/* "148 updated, 2 changed status, 1 failed", translated. */
char  *np_refresh_summary_describe (const NpRefreshSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NpRefreshSummary, np_refresh_summary_free)

typedef void (*NpWorkspaceProgressFunc) (guint done, guint total, gpointer user_data);

#define NP_TYPE_WORKSPACE (np_workspace_get_type ())
G_DECLARE_FINAL_TYPE (NpWorkspace, np_workspace, NP, WORKSPACE, GObject)

/* Properties: "ledger", "accounts" (construct-only), "account" (NpAccount, nullable),
 * "live" (gboolean, the current account is live), "client" (NpClient, NULL while
 * there is no account or key), "sandbox-url" (the embedded sandbox, NULL when off),
 * "mutations" (guint, mutations sent and not yet answered), "clock-offset" (gint64,
 * seconds the current account's server clock is ahead of ours, see
 * np_client_get_clock_offset ()).
 * Signal "mutation-finished" (NpJournalEntry *entry, gboolean detached): a
 * mutation ended and its journal row has its outcome; @detached when its caller
 * had gone away (nobody else will tell the user). */
NpWorkspace *np_workspace_new                   (NpLedger      *ledger,
                                                 NpAccounts    *accounts);
NpLedger    *np_workspace_get_ledger            (NpWorkspace   *self);
NpAccounts  *np_workspace_get_accounts          (NpWorkspace   *self);
NpAccount   *np_workspace_get_account           (NpWorkspace   *self);
gint64       np_workspace_get_account_id        (NpWorkspace   *self);  /* 0 without an account */
gboolean     np_workspace_get_live              (NpWorkspace   *self);
NpClient    *np_workspace_get_client            (NpWorkspace   *self);
/* The watches of checkouts waiting for the payer (see np-checkout-watcher.h). */
NpCheckoutWatcher *np_workspace_get_watcher     (NpWorkspace   *self);
/* TRUE while a mutating operation on @object_id is in flight. */
gboolean     np_workspace_is_busy               (NpWorkspace   *self,
                                                 const char    *object_id);
/* Mutations in flight, and the monotonic time (µs) by which each has its answer
 * or has given up (0 when none is in flight). */
guint        np_workspace_get_mutations         (NpWorkspace   *self);
gint64       np_workspace_get_mutations_deadline (NpWorkspace  *self);
/* The current account's server clock against ours (0 without an account), and
 * "now" as that server sees it: what ages such as "unpaid for more than a day" are
 * judged by, since the server stamps the times they are measured from. */
gint64       np_workspace_get_clock_offset      (NpWorkspace   *self);
GDateTime   *np_workspace_get_server_now        (NpWorkspace   *self);
/* "Waiting for a refund to finish…", translated; NULL when none is in flight. */
char        *np_workspace_describe_mutations    (NpWorkspace   *self);
/* For a quit that does not wait: every mutation in flight is journalled UNKNOWN
 * at once (the answer will not be heard) and its call is cancelled. */
void         np_workspace_abandon_mutations     (NpWorkspace   *self);
/* "Refund 12.50 SEK: done.", "…: failed: why", "…: outcome unknown…", for a toast. */
char        *np_workspace_describe_outcome      (NpJournalEntry *entry);
/* Any NP_*_ERROR as a translated sentence a person can act on. */
char        *np_workspace_describe_error        (const GError  *error);

/* The first half of np_workspace_set_account_async (): @account becomes current
 * (its lists show what the ledger holds), with no client until its key is found. */
void         np_workspace_show_account          (NpWorkspace  *self,
                                                 NpAccount    *account);
/* Makes @account current (NULL: none): looks its key up, builds its client and loads
 * its search index. "account" changes at once; "client" when the key is found.
 * Finishes with NP_WORKSPACE_ERROR_NO_KEY or a keyring error when there is no key. */
void         np_workspace_set_account_async     (NpWorkspace   *self,
                                                 NpAccount     *account,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
gboolean     np_workspace_set_account_finish    (NpWorkspace   *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);

/* Starts the embedded sandbox (state kept in $XDG_DATA_HOME/neuropay-console/sandbox,
 * its key in the keyring), adds or updates the "Sandbox" test account and makes it
 * current. The sandbox stops with the workspace. */
void         np_workspace_start_sandbox_async   (NpWorkspace   *self,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
NpAccount   *np_workspace_start_sandbox_finish  (NpWorkspace   *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);

/* Sample data for the embedded sandbox (see np-sample-plan.h): about 60 checkouts
 * and 8 customers over the last 30 days, made with this workspace's own operations
 * (journalled, stored in the ledger, as a person's), the sandbox's payment page
 * and its clock. Only while the current account is the embedded sandbox's and its
 * ledger holds no checkout and no customer (np_workspace_can_add_sample_data ());
 * otherwise, or when the sandbox holds objects, it fails with
 * NP_SAMPLE_ERROR_NOT_EMPTY and adds nothing. The run belongs to the workspace, like
 * a mutation: "sample-data-running", "sample-data-fraction" (0..1) and
 * "sample-data-message" (why the last run failed, translated, or NULL) say how it
 * goes; @cancellable only detaches the caller. Finishes with the operations made. */
gboolean     np_workspace_can_add_sample_data   (NpWorkspace   *self);
void         np_workspace_add_sample_data_async (NpWorkspace   *self,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
gboolean     np_workspace_add_sample_data_finish (NpWorkspace  *self,
                                                 GAsyncResult  *result,
                                                 guint         *out_operations,
                                                 GError       **error);

/* Checkout operations; all finish with np_workspace_checkout_finish (), giving the
 * checkout in its new state (already stored in the ledger). */
void         np_workspace_create_checkout_async (NpWorkspace   *self,
                                                 const NpCheckoutDraft *draft,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
void         np_workspace_capture_checkout_async (NpWorkspace  *self,
                                                 const char    *checkout_id,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
/* @amount < 0: everything that remains. @reason: "duplicate", "fraudulent" or
 * "requested_by_customer" (or NULL); @details may be NULL. */
void         np_workspace_refund_checkout_async (NpWorkspace   *self,
                                                 const char    *checkout_id,
                                                 gint64         amount,
                                                 const char    *reason,
                                                 const char    *details,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
/* Approves another person's refund request (team mode) by sending its refund
 * from this desk, with this desk's key, through the same journalled path as
 * any refund: the team ledger commits the pending row and the decision
 * together (the database refuses the requester's own approval), then the
 * request goes out. @amount, @reason and @details are the request's. */
void         np_workspace_approve_refund_async (NpWorkspace   *self,
                                                gint64         request_id,
                                                const char    *comment,
                                                const char    *checkout_id,
                                                gint64         amount,
                                                const char    *reason,
                                                const char    *details,
                                                GCancellable  *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer       user_data);
/* @changes: char* -> char*, only the difference; "" removes a key. */
void         np_workspace_update_metadata_async (NpWorkspace   *self,
                                                 const char    *checkout_id,
                                                 GHashTable    *changes,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
void         np_workspace_delete_checkout_async (NpWorkspace   *self,
                                                 const char    *checkout_id,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
/* Retrieves one checkout and stores it (a "Look up"); settles UNKNOWN journal rows
 * of it. NP_CLIENT_ERROR_NOT_FOUND: no such checkout in this account. */
void         np_workspace_lookup_checkout_async (NpWorkspace   *self,
                                                 const char    *checkout_id,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
NpCheckout  *np_workspace_checkout_finish       (NpWorkspace   *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);

/* Refreshes @checkout_ids (NULL: every not-final checkout of the account) with at
 * most 8 requests in flight. Only a cancelled or impossible refresh fails; per-id
 * failures are counted in the summary. */
void         np_workspace_refresh_checkouts_async (NpWorkspace *self,
                                                 const char * const *checkout_ids,
                                                 NpWorkspaceProgressFunc progress,
                                                 gpointer       progress_data,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
/* Registers the ids in @text (one per line, or CSV) and refreshes them. */
void         np_workspace_import_checkouts_async (NpWorkspace  *self,
                                                 const char    *text,
                                                 NpWorkspaceProgressFunc progress,
                                                 gpointer       progress_data,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
NpRefreshSummary *np_workspace_refresh_finish   (NpWorkspace   *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);

/* Customers; all finish with np_workspace_customer_finish (). */
void         np_workspace_create_customer_async (NpWorkspace   *self,
                                                 const char    *first_name,
                                                 const char    *last_name,
                                                 const char    *email,
                                                 GHashTable    *metadata,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
void         np_workspace_lookup_customer_async (NpWorkspace   *self,
                                                 const char    *customer_id,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
void         np_workspace_delete_customer_async (NpWorkspace   *self,
                                                 const char    *customer_id,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
NpCustomer  *np_workspace_customer_finish       (NpWorkspace   *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);
/* Refreshes @customer_ids (NULL: every customer of the account; saved cards change on
 * the client page); finishes with np_workspace_refresh_finish (). */
void         np_workspace_refresh_customers_async (NpWorkspace *self,
                                                 const char * const *customer_ids,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
/* Exports the checkouts matching @query to @file as CSV (see np_ledger_export_checkouts ()). */
void         np_workspace_export_checkouts_async (NpWorkspace  *self,
                                                 const NpCheckoutQuery *query,
                                                 GFile         *file,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
gboolean     np_workspace_export_checkouts_finish (NpWorkspace *self,
                                                 GAsyncResult  *result,
                                                 guint64       *out_rows,
                                                 GError       **error);

/* Team mode ("team-sync" property): NULL for the local ledger only. With a
 * NpTeamSync that is ONLINE, a mutation first commits its pending row in the team
 * ledger (NP_TEAM_LEDGER_ERROR_LOCKED when another desk holds the object); OFFLINE
 * or CONNECTING, mutations fail with NP_WORKSPACE_ERROR_TEAM_OFFLINE. */
void         np_workspace_set_team_sync         (NpWorkspace   *self,
                                                 NpTeamSync    *sync);
NpTeamSync  *np_workspace_get_team_sync         (NpWorkspace   *self);

G_END_DECLS
