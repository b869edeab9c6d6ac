/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-workspace-private.h — what the files of NpWorkspace share.
 *
 * np-workspace.c: the object, the current account and its client, errors.
 * np-workspace-operations.c: journalled checkout and customer calls.
 * np-workspace-refresh.c: refresh, import and export.
 * np-workspace-sandbox.c: the embedded sandbox.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "np-embedded-sandbox.h"
#include "np-workspace.h"

G_BEGIN_DECLS

struct _NpWorkspace
{
  GObject            parent_instance;

  NpLedger          *ledger;
  NpAccounts        *accounts;
  NpAccount         *account;
  NpClient          *client;

  GCancellable      *cancellable;          /* the workspace's lifetime */
  GCancellable      *account_cancellable;  /* the current account's key lookup */
  GCancellable      *index_cancellable;    /* the current account's index load */
  GHashTable        *busy;                 /* object id -> count of operations in flight */
  GPtrArray         *mutations;            /* NpOperation: journalled calls sent and unanswered */
  NpEmbeddedSandbox *sandbox;
  GHashTable        *clock_offsets;        /* account id -> gint64*: its server's clock against ours */
  GCancellable      *sample_cancellable;   /* sample data being added, if any */
  double             sample_fraction;      /* its progress, 0..1 */
  char              *sample_message;       /* why the last run failed, or NULL */
  NpTeamSync        *team_sync;            /* NULL: local ledger only */
  NpCheckoutWatcher *watcher;              /* made on first use */
  guint              refresh_max_in_flight; /* the cap of an adaptive refresh */
};

/* What one operation works on: the account and client it started with, so a
 * switch of account in the middle still stores its answer where it belongs. */
typedef struct {
  NpWorkspace *workspace;
  gint64       account_id;
  NpClient    *client;
  char        *object_id;   /* NULL for a create until it succeeds */
  NpJournalOperation kind;
  gint64       journal_id;  /* 0 when not journalled (look-ups) */
  gint64       team_journal_id;  /* its row in the team ledger, 0 when not in team mode */
  gboolean     busy_held;

  /* A mutation (journalled) belongs to the workspace: the caller's cancellable
   * only detaches the caller (its callback gets G_IO_ERROR_CANCELLED at once),
   * and the call runs on until it ends, with @cancellable cancelled only when the
   * console quits without waiting (np_workspace_abandon_mutations ()). */
  GTask       *caller;               /* NULL once answered or detached */
  GCancellable *caller_cancellable;
  gulong       caller_handler;
  gboolean     detached;
  gboolean     abandoned;            /* the journal already says UNKNOWN */
  GCancellable *cancellable;
  gint64       deadline;             /* monotonic µs by which the client gives up */
} NpOperation;

void         np_operation_free                  (NpOperation *operation);

/* Checks there is an account and a client; @object_id (when not NULL) is marked
 * busy, or NP_WORKSPACE_ERROR_BUSY is returned. */
NpOperation *np_workspace_begin_operation       (NpWorkspace  *self,
                                                 const char   *object_id,
                                                 GError      **error);
void         np_workspace_release_busy          (NpWorkspace  *self,
                                                 NpOperation  *operation);

/* The end of a mutation: @operation leaves the in-flight list, "mutation-finished"
 * is emitted and the caller (when still attached) gets @object or @error; then
 * @operation is freed. */
void         np_workspace_end_mutation          (NpWorkspace  *self,
                                                 NpOperation  *operation,
                                                 GObject      *object,
                                                 GError       *error);
void         np_workspace_add_mutation          (NpWorkspace  *self,
                                                 NpOperation  *operation);

/* Team mode: what the workspace stored, shared (no-ops without team mode). */
void         np_workspace_share_checkouts       (NpWorkspace  *self,
                                                 gint64        account_id,
                                                 GPtrArray    *checkouts);
void         np_workspace_share_customers       (NpWorkspace  *self,
                                                 gint64        account_id,
                                                 GPtrArray    *customers);
void         np_workspace_share_settled         (NpWorkspace  *self,
                                                 gint64        account_id,
                                                 const char   *object_id,
                                                 const char   *status_seen);
/* The 'refresh' journal rows @entry_ids (np_ledger_refresh_checkouts ()): each
 * goes into the team journal as every row does, pending then finished into the
 * team's chain, and is linked to its team row. */
void         np_workspace_share_refreshes       (NpWorkspace  *self,
                                                 gint64        account_id,
                                                 GArray       *entry_ids);

void         np_workspace_set_sandbox_url       (NpWorkspace  *self);
void         np_workspace_notify_sample_data    (NpWorkspace  *self);

G_END_DECLS
