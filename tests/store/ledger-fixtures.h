/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ledger-fixtures.h — building real checkouts, customers and ledgers for the store tests. */
#pragma once

#include <sqlite3.h>

#include "np-ledger.h"

G_BEGIN_DECLS

/* What a fixture checkout says; NULL / 0 fields are left out of its JSON. */
typedef struct {
  const char *id;
  const char *identifier;
  const char *status;          /* default "created" */
  gint64      amount;
  const char *currency;        /* default "SEK" */
  const char *message;
  const char *customer_id;
  gint64      created;         /* Unix seconds, UTC */
  gint64      updated;
  gint64      refunded;
  const char *metadata_key;
  const char *metadata_value;
} FixtureCheckout;

NpCheckout *fixture_checkout          (const FixtureCheckout *spec);
NpCustomer *fixture_customer          (const char            *id,
                                       const char            *first_name,
                                       const char            *last_name,
                                       const char            *email,
                                       const char            *crm_id);
/* A fresh ledger file named @name in the test's private data dir. */
char       *fixture_ledger_path       (const char            *name);
NpLedger   *fixture_open_ledger       (const char            *path);
gint64      fixture_add_account       (NpLedger              *ledger,
                                       const char            *name,
                                       NpEnvironment          environment);
void        fixture_upsert            (NpLedger              *ledger,
                                       gint64                 account_id,
                                       const FixtureCheckout *spec);
/* The checkout ids of @rows (of NpCheckoutRow), as one comma-separated string. */
char       *fixture_row_ids           (GPtrArray             *rows);
/* Runs @sql on a separate connection to @path and returns column 0 of each row,
 * comma-separated: the tests' independent view of the file. */
char       *fixture_sql_column        (const char            *path,
                                       const char            *sql);

/* Records every items-changed of a GListModel. */
typedef struct {
  guint position;
  guint removed;
  guint added;
} FixtureChange;

typedef struct {
  GListModel *model;
  GArray     *changes;
  gulong      handler;
} FixtureRecorder;

void        fixture_recorder_start    (FixtureRecorder       *recorder,
                                       GListModel            *model);
void        fixture_recorder_stop     (FixtureRecorder       *recorder);
/* "pos,removed,added;..." of what was recorded since the last call, then clears. */
char       *fixture_recorder_take     (FixtureRecorder       *recorder);

G_END_DECLS
