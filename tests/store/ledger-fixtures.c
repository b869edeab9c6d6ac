/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ledger-fixtures.c — building real checkouts, customers and ledgers for the store tests.
 *
 * Checkouts are made the way the client makes them: from JSON, through
 * np_checkout_new_from_data (), so the ledger is exercised with real objects.
 */
#include "ledger-fixtures.h"
#include "np-test-utils.h"

static char *
iso_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
builder_to_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

NpCheckout *
fixture_checkout (const FixtureCheckout *spec)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  NpCheckout *checkout;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "checkout_id");
  json_builder_add_string_value (builder, spec->id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, spec->status ? spec->status : "created");
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, spec->amount);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, spec->currency ? spec->currency : "SEK");
  json_builder_set_member_name (builder, "refunded_amount");
  json_builder_add_int_value (builder, spec->refunded);
  if (spec->identifier != NULL)
    {
      json_builder_set_member_name (builder, "identifier");
      json_builder_add_string_value (builder, spec->identifier);
    }
  if (spec->message != NULL)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, spec->message);
    }
  if (spec->customer_id != NULL)
    {
      json_builder_set_member_name (builder, "customer_id");
      json_builder_add_string_value (builder, spec->customer_id);
    }
  if (spec->created != 0)
    {
      g_autofree char *created = iso_time (spec->created);
      g_autofree char *updated = iso_time (spec->updated ? spec->updated : spec->created);

      json_builder_set_member_name (builder, "created");
      json_builder_add_string_value (builder, created);
      json_builder_set_member_name (builder, "updated");
      json_builder_add_string_value (builder, updated);
    }
  if (spec->metadata_key != NULL)
    {
      json_builder_set_member_name (builder, "metaData");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, spec->metadata_key);
      json_builder_add_string_value (builder, spec->metadata_value);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json = builder_to_json (builder);
  checkout = np_checkout_new_from_data (json, -1, &error);
  g_assert_no_error (error);

  return checkout;
}

NpCustomer *
fixture_customer (const char *id,
                  const char *first_name,
                  const char *last_name,
                  const char *email,
                  const char *crm_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  NpCustomer *customer;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "customer_id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "first_name");
  json_builder_add_string_value (builder, first_name);
  json_builder_set_member_name (builder, "last_name");
  json_builder_add_string_value (builder, last_name);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  if (crm_id != NULL)
    {
      json_builder_set_member_name (builder, "metaData");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "crmId");
      json_builder_add_string_value (builder, crm_id);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json = builder_to_json (builder);
  customer = np_customer_new_from_data (json, -1, &error);
  g_assert_no_error (error);

  return customer;
}

char *
fixture_ledger_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".db", NULL);

  return g_build_filename (g_get_user_data_dir (), "fixtures", file, NULL);
}

NpLedger *
fixture_open_ledger (const char *path)
{
  g_autoptr(GError) error = NULL;
  NpLedger *ledger = np_ledger_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ledger);

  return ledger;
}

gint64
fixture_add_account (NpLedger      *ledger,
                     const char    *name,
                     NpEnvironment  environment)
{
  g_autoptr(NpAccount) account = np_account_new (name, "https://api.neuro-admin.com", environment);
  g_autoptr(GError) error = NULL;

  np_ledger_add_account (ledger, account, &error);
  g_assert_no_error (error);
  g_assert_cmpint (np_account_get_id (account), >, 0);

  return np_account_get_id (account);
}

void
fixture_upsert (NpLedger              *ledger,
                gint64                 account_id,
                const FixtureCheckout *spec)
{
  g_autoptr(NpCheckout) checkout = fixture_checkout (spec);
  g_autoptr(GError) error = NULL;

  np_ledger_upsert_checkout (ledger, account_id, checkout, &error);
  g_assert_no_error (error);
}

char *
fixture_row_ids (GPtrArray *rows)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      if (i > 0)
        g_string_append_c (ids, ',');
      g_string_append (ids, np_checkout_row_get_checkout_id (g_ptr_array_index (rows, i)));
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

char *
fixture_sql_column (const char *path,
                    const char *sql)
{
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *value = (const char *)sqlite3_column_text (stmt, 0);

      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, value ? value : "NULL");
    }

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
on_items_changed (GListModel      *model,
                  guint            position,
                  guint            removed,
                  guint            added,
                  FixtureRecorder *recorder)
{
  FixtureChange change = { position, removed, added };

  g_array_append_val (recorder->changes, change);
}

void
fixture_recorder_start (FixtureRecorder *recorder,
                        GListModel      *model)
{
  recorder->model = model;
  recorder->changes = g_array_new (FALSE, FALSE, sizeof (FixtureChange));
  recorder->handler = g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), recorder);
}

void
fixture_recorder_stop (FixtureRecorder *recorder)
{
  g_clear_signal_handler (&recorder->handler, recorder->model);
  g_clear_pointer (&recorder->changes, g_array_unref);
}

char *
fixture_recorder_take (FixtureRecorder *recorder)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < recorder->changes->len; i++)
    {
      FixtureChange *change = &g_array_index (recorder->changes, FixtureChange, i);

      g_string_append_printf (out, "%s%u,%u,%u", i > 0 ? ";" : "",
                              change->position, change->removed, change->added);
    }
  g_array_set_size (recorder->changes, 0);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
