/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-objects.c — NpLedger's checkouts and customers: what the console last
 * saw of each and the list queries (the totals are in np-ledger-totals.c).
 *
 * Every write runs in one transaction that also takes a new ledger revision and
 * stamps it on the rows it touches; after COMMIT the rows are re-read into the
 * account's search index (if loaded) and NpLedger::changed is emitted, so the
 * index and the models only ever reflect committed data.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "np-ledger-private.h"
#include "np-money.h"

/* Shared pieces ---------------------------------------------------------------- */

static void
bind_time (sqlite3_stmt *stmt,
           int           column,
           GDateTime    *time)
{
  if (time == NULL)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_int64 (stmt, column, g_date_time_to_unix (time));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return g_strcmp0 (*(char * const *)a, *(char * const *)b);
}

/* Metadata as a JSON object with sorted keys, so equal metadata is equal text;
 * NULL when there is none. */
static char *
metadata_to_json (GHashTable *metadata)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree gpointer *keys = NULL;
  guint n_keys;

  if (metadata == NULL || g_hash_table_size (metadata) == 0)
    return NULL;

  keys = g_hash_table_get_keys_as_array (metadata, &n_keys);
  g_qsort_with_data (keys, n_keys, sizeof (gpointer), compare_strings, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint i = 0; i < n_keys; i++)
    {
      json_builder_set_member_name (builder, keys[i]);
      json_builder_add_string_value (builder, g_hash_table_lookup (metadata, keys[i]));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

static void
not_found (GError         **error,
           NpLedgerObject   object,
           const char      *object_id)
{
  if (object == NP_LEDGER_OBJECT_CHECKOUT)
    g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND,
                 _("The checkout “%s” is not in the ledger."), object_id);
  else
    g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_NOT_FOUND,
                 _("The customer “%s” is not in the ledger."), object_id);
}

static GArray *
new_row_id_array (void)
{
  return g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* After a commit of @row_ids: the search index brought up to date, and
 * NpLedger::changed emitted (for the row, or 0 for several). */
static void
announce_write (NpLedger       *self,
                gint64          account_id,
                NpLedgerTable   table,
                GArray         *row_ids)
{
  g_autoptr(GError) index_error = NULL;

  if (table == NP_LEDGER_TABLE_CHECKOUTS &&
      !np_ledger_refresh_index (self, account_id, row_ids, &index_error))
    g_warning ("Reloading the search index: %s", index_error->message);

  if (row_ids->len > 0)
    {
      self->changed_row_ids = row_ids;
      np_ledger_emit_changed (self, table, account_id,
                              row_ids->len == 1 ? g_array_index (row_ids, gint64, 0) : 0);
      self->changed_row_ids = NULL;
    }
}

gboolean
np_ledger_finish_write (NpLedger       *self,
                        gint64          account_id,
                        NpLedgerTable   table,
                        GArray         *row_ids,
                        GError        **error)
{
  if (!np_ledger_commit (self, error))
    return FALSE;

  announce_write (self, account_id, table, row_ids);
  return TRUE;
}

/* Checkouts -------------------------------------------------------------------- */

/* Where a row came from (schema 9). A row this desk's own API call brought
 * (@received_from NULL) is its own from then on, whatever it was before: what a
 * retrieve here says is this desk's knowledge. A row a team ledger sent keeps
 * being this desk's own if it was (the desk knew it before the team said more
 * of it); otherwise it is the sending ledger's. */
#define RECEIVED_FROM_ON_CONFLICT(table) \
  " received_from = iif (" table ".received_from IS NULL, NULL, excluded.received_from)"

/* An answer equal to the stored one: only when it was seen is written, quietly
 * (last_refreshed is in no list row and no sort order), and where it came from
 * as above. */
static gboolean
touch_refreshed (NpLedger       *self,
                 NpLedgerObject  object,
                 gint64          account_id,
                 const char     *id,
                 gint64          now,
                 const char     *received_from,
                 GError        **error)
{
  sqlite3_stmt *stmt = np_ledger_statement (self, object == NP_LEDGER_OBJECT_CHECKOUT
    ? "UPDATE checkouts SET last_refreshed = ?3, received_from = iif (?4 IS NULL, NULL, received_from)"
      " WHERE account_id = ?1 AND checkout_id = ?2"
    : "UPDATE customers SET last_refreshed = ?3, received_from = iif (?4 IS NULL, NULL, received_from)"
      " WHERE account_id = ?1 AND customer_id = ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, id);
  sqlite3_bind_int64 (stmt, 3, now);
  np_ledger_bind_text (stmt, 4, received_from);
  return np_ledger_run (self, stmt, error);
}

static gboolean
upsert_checkout_row (NpLedger    *self,
                     gint64       account_id,
                     NpCheckout  *checkout,
                     guint64      revision,
                     gint64       now,
                     const char  *received_from,
                     GArray      *row_ids,
                     GError     **error)
{
  g_autofree char *metadata = NULL;
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;
  gint64 row_id;
  int rc;

  stmt = np_ledger_statement (self,
    "INSERT INTO checkouts (account_id, checkout_id, identifier, status, status_text, amount,"
    "  refunded_amount, currency, message, customer_id, metadata, created, updated, registered,"
    "  last_refreshed, json, revision, search_text, received_from)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16,"
    "  np_search_text (?2, ?3, ?9, ?11,"
    "    (SELECT email FROM customers WHERE account_id = ?1 AND customer_id = ?10)), ?17)"
    " ON CONFLICT (account_id, checkout_id) DO UPDATE SET"
    "  identifier = excluded.identifier, status = excluded.status,"
    "  status_text = excluded.status_text, amount = excluded.amount,"
    "  refunded_amount = excluded.refunded_amount, currency = excluded.currency,"
    "  message = excluded.message, customer_id = excluded.customer_id,"
    "  metadata = excluded.metadata, created = excluded.created, updated = excluded.updated,"
    "  last_refreshed = excluded.last_refreshed, refresh_error = NULL,"
    "  refresh_failed_at = NULL, json = excluded.json, revision = excluded.revision,"
    "  search_text = excluded.search_text," RECEIVED_FROM_ON_CONFLICT ("checkouts")
    /* The same answer again (a watch retrieves every 2 s) is no change: no
     * revision, no row id, so no NpLedger::changed and no list row replaced. */
    " WHERE checkouts.json IS NOT excluded.json"
    "  OR checkouts.search_text IS NOT excluded.search_text"
    "  OR checkouts.refresh_error IS NOT NULL OR checkouts.refresh_failed_at IS NOT NULL"
    " RETURNING row_id", error);
  if (stmt == NULL)
    return FALSE;

  metadata = metadata_to_json (np_checkout_get_metadata (checkout));
  json = np_checkout_to_json (checkout, FALSE);

  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, np_checkout_get_id (checkout));
  np_ledger_bind_text (stmt, 3, np_checkout_get_identifier (checkout));
  sqlite3_bind_int (stmt, 4, np_checkout_get_status (checkout));
  np_ledger_bind_text (stmt, 5, np_checkout_get_status_text (checkout));
  sqlite3_bind_int64 (stmt, 6, np_checkout_get_amount (checkout));
  sqlite3_bind_int64 (stmt, 7, np_checkout_get_refunded_amount (checkout));
  np_ledger_bind_text (stmt, 8, np_checkout_get_currency (checkout));
  np_ledger_bind_text (stmt, 9, np_checkout_get_message (checkout));
  np_ledger_bind_text (stmt, 10, np_checkout_get_customer_id (checkout));
  np_ledger_bind_text (stmt, 11, metadata);
  bind_time (stmt, 12, np_checkout_get_created (checkout));
  bind_time (stmt, 13, np_checkout_get_updated (checkout));
  sqlite3_bind_int64 (stmt, 14, now);
  np_ledger_bind_text (stmt, 15, json);
  sqlite3_bind_int64 (stmt, 16, revision);
  np_ledger_bind_text (stmt, 17, received_from);

  rc = np_ledger_step (self, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return touch_refreshed (self, NP_LEDGER_OBJECT_CHECKOUT, account_id, np_checkout_get_id (checkout), now,
                              received_from, error);
    }

  row_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  g_array_append_val (row_ids, row_id);

  return TRUE;
}

/* The status text last retrieved for @checkout_id; FALSE in @out_known when the
 * ledger has never seen the checkout itself (a new or only imported id). */
static gboolean
stored_status (NpLedger     *self,
               gint64        account_id,
               const char   *checkout_id,
               gboolean     *out_known,
               char        **out_status,
               GError      **error)
{
  sqlite3_stmt *stmt = np_ledger_statement (self,
    "SELECT status_text FROM checkouts"
    " WHERE account_id = ?1 AND checkout_id = ?2 AND json IS NOT NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, checkout_id);
  switch (np_ledger_step (self, stmt, error))
    {
    case SQLITE_ROW:
      *out_known = TRUE;
      *out_status = np_store_column_dup (stmt, 0);
      sqlite3_reset (stmt);
      return TRUE;
    case SQLITE_DONE:
      *out_known = FALSE;
      *out_status = NULL;
      return TRUE;
    default:
      return FALSE;
    }
}

/* A 'refresh' journal row: nothing was sent, a retrieve saw the status change.
 * Written finished, in the write's transaction, and chained with it. */
static gboolean
journal_status_change (NpLedger    *self,
                       gint64       account_id,
                       NpCheckout  *checkout,
                       const char  *before,
                       guint64      revision,
                       gint64       now,
                       GArray      *entry_ids,
                       GError     **error)
{
  const char *after = np_checkout_get_status_text (checkout);
  const char *currency = np_checkout_get_currency (checkout);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *details = NULL;
  sqlite3_stmt *stmt;
  gint64 entry_id;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status_before");
  json_builder_add_string_value (builder, before);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, after);
  if (currency != NULL && np_money_currency_is_known (currency))
    {
      json_builder_set_member_name (builder, "amount");
      json_builder_add_int_value (builder, np_checkout_get_amount (checkout));
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, currency);
      amount = np_money_format (np_checkout_get_amount (checkout), currency);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  details = json_to_string (root, FALSE);

  if (amount != NULL)
    /* Translators: a retrieve saw a checkout's status change: "Status created → paid, 125.50 SEK" */
    summary = g_strdup_printf (_("Status %s → %s, %s"), before ?: "?", after ?: "?", amount);
  else
    /* Translators: a retrieve saw a checkout's status change: "Status created → paid" */
    summary = g_strdup_printf (_("Status %s → %s"), before ?: "?", after ?: "?");

  stmt = np_ledger_statement (self,
    "INSERT INTO journal (account_id, object_id, operation, state, summary, details,"
    "  started, finished, revision, search_text)"
    " VALUES (?1, ?2, 'refresh', 'succeeded', ?3, ?4, ?5, ?5, ?6, np_search_text (?2, ?3, ?4))"
    " RETURNING id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, np_checkout_get_id (checkout));
  np_ledger_bind_text (stmt, 3, summary);
  np_ledger_bind_text (stmt, 4, details);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, revision);
  if (np_ledger_step (self, stmt, error) != SQLITE_ROW)
    return FALSE;
  entry_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  g_array_append_val (entry_ids, entry_id);
  return TRUE;
}

/* Upserts @checkouts; with @entry_ids, each whose stored status it changes also
 * gets a 'refresh' journal row, whose id is appended there. */
static gboolean
store_checkouts (NpLedger   *self,
                 gint64      account_id,
                 GPtrArray  *checkouts,
                 GArray     *entry_ids,
                 GError    **error)
{
  g_autoptr(GArray) row_ids = new_row_id_array ();
  g_autoptr(GArray) new_entry_ids = new_row_id_array ();
  gint64 now = np_ledger_now ();
  guint64 revision;

  if (checkouts->len == 0)
    return TRUE;

  if (!np_ledger_begin (self, error))
    return FALSE;

  if (!np_ledger_next_revision (self, &revision, error))
    goto failed;

  for (guint i = 0; i < checkouts->len; i++)
    {
      NpCheckout *checkout = g_ptr_array_index (checkouts, i);
      g_autofree char *before = NULL;
      gboolean known = FALSE;

      if (entry_ids != NULL &&
          !stored_status (self, account_id, np_checkout_get_id (checkout), &known, &before, error))
        goto failed;
      if (!upsert_checkout_row (self, account_id, checkout, revision, now, NULL, row_ids, error))
        goto failed;
      if (known && g_strcmp0 (before, np_checkout_get_status_text (checkout)) != 0 &&
          !journal_status_change (self, account_id, checkout, before, revision, now, new_entry_ids, error))
        goto failed;
    }

  if (new_entry_ids->len > 0 && !np_ledger_chain_finished (self, error))
    goto failed;

  if (!np_ledger_finish_write (self, account_id, NP_LEDGER_TABLE_CHECKOUTS, row_ids, error))
    return FALSE;

  if (new_entry_ids->len > 0)
    {
      np_ledger_emit_changed (self, NP_LEDGER_TABLE_JOURNAL, account_id,
                              new_entry_ids->len == 1 ? g_array_index (new_entry_ids, gint64, 0) : 0);
      g_array_append_vals (entry_ids, new_entry_ids->data, new_entry_ids->len);
    }
  return TRUE;

failed:
  np_ledger_rollback (self);
  return FALSE;
}

gboolean
np_ledger_upsert_checkouts (NpLedger   *self,
                            gint64      account_id,
                            GPtrArray  *checkouts,
                            GError    **error)
{
  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (checkouts != NULL, FALSE);

  return store_checkouts (self, account_id, checkouts, NULL, error);
}

gboolean
np_ledger_refresh_checkouts (NpLedger   *self,
                             gint64      account_id,
                             GPtrArray  *checkouts,
                             GArray     *entry_ids,
                             GError    **error)
{
  g_autoptr(GArray) ignored = NULL;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (checkouts != NULL, FALSE);

  if (entry_ids == NULL)
    entry_ids = ignored = new_row_id_array ();
  return store_checkouts (self, account_id, checkouts, entry_ids, error);
}

gboolean
np_ledger_upsert_checkout (NpLedger    *self,
                           gint64       account_id,
                           NpCheckout  *checkout,
                           GError     **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_return_val_if_fail (NP_IS_CHECKOUT (checkout), FALSE);

  g_ptr_array_add (one, checkout);
  return np_ledger_upsert_checkouts (self, account_id, one, error);
}

/* Runs @sql on one object's row inside a write transaction. The SQL gets ?1 the
 * account, ?2 the object id, ?3 now, ?4 the revision, ?5 @text, and returns row_id. */
static gboolean
write_object (NpLedger        *self,
              gint64           account_id,
              NpLedgerObject   object,
              const char      *object_id,
              const char      *sql,
              const char      *text,
              GError         **error)
{
  g_autoptr(GArray) row_ids = new_row_id_array ();
  sqlite3_stmt *stmt;
  guint64 revision;
  int rc;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (object_id != NULL, FALSE);

  if (!np_ledger_begin (self, error))
    return FALSE;

  if (!np_ledger_next_revision (self, &revision, error) ||
      !(stmt = np_ledger_statement (self, sql, error)))
    goto failed;

  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, object_id);
  sqlite3_bind_int64 (stmt, 3, np_ledger_now ());
  sqlite3_bind_int64 (stmt, 4, revision);
  np_ledger_bind_text (stmt, 5, text);

  while ((rc = np_ledger_step (self, stmt, error)) == SQLITE_ROW)
    {
      gint64 row_id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (row_ids, row_id);
    }
  if (rc < 0)
    goto failed;

  if (row_ids->len == 0)
    {
      not_found (error, object, object_id);
      goto failed;
    }

  return np_ledger_finish_write (self, account_id,
                                 object == NP_LEDGER_OBJECT_CHECKOUT ? NP_LEDGER_TABLE_CHECKOUTS
                                                                     : NP_LEDGER_TABLE_CUSTOMERS,
                                 row_ids, error);

failed:
  np_ledger_rollback (self);
  return FALSE;
}

gboolean
np_ledger_record_checkout_failure (NpLedger    *self,
                                   gint64       account_id,
                                   const char  *checkout_id,
                                   const char  *error_text,
                                   GError     **error)
{
  return write_object (self, account_id, NP_LEDGER_OBJECT_CHECKOUT, checkout_id,
                       "UPDATE checkouts SET refresh_error = coalesce(?5, ''), refresh_failed_at = ?3,"
                       "  revision = ?4"
                       " WHERE account_id = ?1 AND checkout_id = ?2 RETURNING row_id",
                       error_text, error);
}

gboolean
np_ledger_mark_checkout_deleted (NpLedger    *self,
                                 gint64       account_id,
                                 const char  *checkout_id,
                                 GError     **error)
{
  return write_object (self, account_id, NP_LEDGER_OBJECT_CHECKOUT, checkout_id,
                       "UPDATE checkouts SET deleted = 1, revision = ?4"
                       " WHERE account_id = ?1 AND checkout_id = ?2 RETURNING row_id",
                       NULL, error);
}

gboolean
np_ledger_forget_checkout (NpLedger    *self,
                           gint64       account_id,
                           const char  *checkout_id,
                           GError     **error)
{
  return write_object (self, account_id, NP_LEDGER_OBJECT_CHECKOUT, checkout_id,
                       "DELETE FROM checkouts WHERE account_id = ?1 AND checkout_id = ?2 RETURNING row_id",
                       NULL, error);
}

/* Runs a statement that returns the stored JSON in column 0, ?1 account, ?2 id. */
static char *
dup_json (NpLedger        *self,
          gint64           account_id,
          NpLedgerObject   object,
          const char      *object_id,
          const char      *sql,
          GError         **error)
{
  sqlite3_stmt *stmt = np_ledger_statement (self, sql, error);
  char *json;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, object_id);

  switch (np_ledger_step (self, stmt, error))
    {
    case SQLITE_ROW:
      json = np_store_column_dup (stmt, 0);
      sqlite3_reset (stmt);
      if (json != NULL)
        return json;
      G_GNUC_FALLTHROUGH;
    case SQLITE_DONE:
      not_found (error, object, object_id);
      return NULL;
    default:
      return NULL;
    }
}

NpCheckout *
np_ledger_get_checkout (NpLedger    *self,
                        gint64       account_id,
                        const char  *checkout_id,
                        GError     **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);
  g_return_val_if_fail (checkout_id != NULL, NULL);

  json = dup_json (self, account_id, NP_LEDGER_OBJECT_CHECKOUT, checkout_id,
                   "SELECT json FROM checkouts WHERE account_id = ?1 AND checkout_id = ?2", error);
  if (json == NULL)
    return NULL;

  return np_checkout_new_from_data (json, -1, error);
}

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

GPtrArray *
np_ledger_new_row_array (guint reserved)
{
  return g_ptr_array_new_full (reserved, unref_if_set);
}

GPtrArray *
np_ledger_fetch_slice (NpLedger           *self,
                       GArray             *row_ids,
                       guint               offset,
                       guint               limit,
                       NpLedgerFetchFunc   fetch,
                       GError            **error)
{
  GPtrArray *rows;
  guint end;

  offset = MIN (offset, row_ids->len);
  end = offset + MIN (limit, row_ids->len - offset);

  rows = fetch (self, &g_array_index (row_ids, gint64, offset), end - offset, error);
  if (rows == NULL)
    return NULL;

  for (guint i = rows->len; i > 0; i--)
    if (g_ptr_array_index (rows, i - 1) == NULL)
      g_ptr_array_remove_index (rows, i - 1);

  return rows;
}

/* Reads rows by row id with @sql (?1 a JSON array of the row ids; its last
 * column the row's position in that array, NP_LEDGER_WANTED_ROWS), built by
 * @new_row, in the order of @row_ids; NULL for a row that no longer exists. One
 * statement for the whole page: a statement per row paid a read transaction
 * (and its WAL locks) per row, most of a scrolled frame. */
GPtrArray *
np_ledger_fetch_rows (NpLedger          *self,
                      const char        *sql,
                      NpLedgerRowReader  new_row,
                      const gint64      *row_ids,
                      guint              n_row_ids,
                      GError           **error)
{
  g_autoptr(GPtrArray) rows = np_ledger_new_row_array (n_row_ids);
  g_autoptr(GString) ids = g_string_sized_new (16 * n_row_ids + 2);
  sqlite3_stmt *stmt = np_ledger_statement (self, sql, error);
  int position_column;
  int rc;

  if (stmt == NULL)
    return NULL;

  g_string_append_c (ids, '[');
  for (guint i = 0; i < n_row_ids; i++)
    g_string_append_printf (ids, i > 0 ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT, row_ids[i]);
  g_string_append_c (ids, ']');

  g_ptr_array_set_size (rows, n_row_ids);
  position_column = sqlite3_column_count (stmt) - 1;
  sqlite3_bind_text (stmt, 1, ids->str, ids->len, SQLITE_STATIC);
  while ((rc = np_ledger_step (self, stmt, error)) == SQLITE_ROW)
    {
      gint64 position = sqlite3_column_int64 (stmt, position_column);
      gpointer row = new_row (self, stmt, error);

      if (row == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      if (position < 0 || position >= n_row_ids || rows->pdata[position] != NULL)
        {
          g_object_unref (row);
          continue;
        }
      rows->pdata[position] = row;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&rows);
}

static gpointer
new_checkout_row (NpLedger      *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  return np_checkout_row_new_from_stmt (stmt);
}

/* Reads the row of one object with @sql (?1 the account, ?2 the object id). */
static gpointer
get_row (NpLedger        *self,
         gint64           account_id,
         NpLedgerObject   object,
         const char      *object_id,
         const char      *sql,
         gpointer       (*new_row) (NpLedger *, sqlite3_stmt *, GError **),
         GError         **error)
{
  sqlite3_stmt *stmt = np_ledger_statement (self, sql, error);
  gpointer row;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, object_id);

  switch (np_ledger_step (self, stmt, error))
    {
    case SQLITE_ROW:
      row = new_row (self, stmt, error);
      sqlite3_reset (stmt);
      return row;
    case SQLITE_DONE:
      not_found (error, object, object_id);
      return NULL;
    default:
      return NULL;
    }
}

NpCheckoutRow *
np_ledger_get_checkout_row (NpLedger    *self,
                            gint64       account_id,
                            const char  *checkout_id,
                            GError     **error)
{
  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);
  g_return_val_if_fail (checkout_id != NULL, NULL);

  return get_row (self, account_id, NP_LEDGER_OBJECT_CHECKOUT, checkout_id,
                  "SELECT " NP_CHECKOUT_ROW_COLUMNS " FROM checkouts"
                  " WHERE account_id = ?1 AND checkout_id = ?2",
                  new_checkout_row, error);
}

GPtrArray *
np_ledger_fetch_checkout_rows (NpLedger      *self,
                               const gint64  *row_ids,
                               guint          n_row_ids,
                               GError       **error)
{
  return np_ledger_fetch_rows (self,
                               NP_LEDGER_WANTED_ROWS "SELECT " NP_CHECKOUT_ROW_COLUMNS ", wanted_position"
                               " FROM wanted JOIN checkouts ON row_id = wanted_id",
                               new_checkout_row, row_ids, n_row_ids, error);
}

gboolean
np_ledger_query_checkout_row_ids (NpLedger               *self,
                                  gint64                  account_id,
                                  const NpCheckoutQuery  *query,
                                  GArray                 *row_ids,
                                  GError                **error)
{
  NpCheckoutIndex *index = np_ledger_ensure_index (self, account_id, error);
  g_autofree guint32 *slots = NULL;
  guint n;

  if (index == NULL)
    return FALSE;

  slots = g_new (guint32, np_checkout_index_get_n_slots (index) + 1);
  n = np_checkout_index_query (index, query, slots);

  g_array_set_size (row_ids, n);
  for (guint i = 0; i < n; i++)
    g_array_index (row_ids, gint64, i) = np_checkout_index_get_row_id (index, slots[i]);

  return TRUE;
}

GPtrArray *
np_ledger_list_checkouts (NpLedger               *self,
                          gint64                  account_id,
                          const NpCheckoutQuery  *query,
                          guint                   offset,
                          guint                   limit,
                          GError                **error)
{
  g_autoptr(NpCheckoutQuery) everything = np_checkout_query_new ();
  g_autoptr(GArray) row_ids = new_row_id_array ();

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  if (!np_ledger_query_checkout_row_ids (self, account_id, query ? query : everything,
                                         row_ids, error))
    return NULL;

  return np_ledger_fetch_slice (self, row_ids, offset, limit, np_ledger_fetch_checkout_rows, error);
}

gboolean
np_ledger_count_checkouts (NpLedger               *self,
                           gint64                  account_id,
                           const NpCheckoutQuery  *query,
                           guint                  *out_count,
                           GError                **error)
{
  g_autoptr(NpCheckoutQuery) everything = np_checkout_query_new ();
  NpCheckoutIndex *index;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);

  /* While a worker loads the index, all rows are counted in SQL rather than
   * loading the index a second time here, on the main thread (at start-up,
   * before the first frame). Scanning the table to skip deleted rows would cost
   * a tenth of a second at 100,000 rows: the retrieved ones are the totals'
   * n_checkouts (live, with JSON and a created time), and the rest are the
   * imported ones never retrieved (no created time, found through
   * checkouts_created). */
  if ((query == NULL || np_checkout_query_equal (query, everything)) &&
      !g_hash_table_contains (self->indexes, &account_id) &&
      g_hash_table_contains (self->loading, &account_id))
    {
      sqlite3_stmt *stmt = np_ledger_statement (self,
        "SELECT (SELECT ifnull (sum (n_checkouts), 0) FROM checkout_totals_daily WHERE account_id = ?1)"
        " + (SELECT count(*) FROM checkouts WHERE account_id = ?1 AND created IS NULL AND deleted = 0)", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, account_id);
      rc = np_ledger_step (self, stmt, error);
      if (rc == SQLITE_ROW)
        *out_count = sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
      return rc == SQLITE_ROW;
    }

  /* Counting needs no order: a pass over the index, without sorting. */
  index = np_ledger_ensure_index (self, account_id, error);
  if (index == NULL)
    return FALSE;

  *out_count = np_checkout_index_count (index, query ? query : everything);
  return TRUE;
}

/* One bit per status that np_checkout_status_is_final () calls final. */
static guint
final_status_mask (void)
{
  guint mask = 0;

  for (NpCheckoutStatus status = NP_CHECKOUT_STATUS_UNKNOWN; status <= NP_CHECKOUT_STATUS_CANCELED; status++)
    if (np_checkout_status_is_final (status))
      mask |= NP_CHECKOUT_STATUS_BIT (status);

  return mask;
}

/* The bound statement's first column, every row of it. */
static GStrv
dup_first_column (NpLedger      *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  int rc;

  while ((rc = np_ledger_step (self, stmt, error)) == SQLITE_ROW)
    g_strv_builder_add (ids, (const char *)sqlite3_column_text (stmt, 0));

  if (rc < 0)
    return NULL;

  return g_strv_builder_end (ids);
}

GStrv
np_ledger_dup_open_checkout_ids (NpLedger  *self,
                                 gint64     account_id,
                                 GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  stmt = np_ledger_statement (self,
                              "SELECT checkout_id FROM checkouts"
                              " WHERE account_id = ?1 AND deleted = 0"
                              "   AND (json IS NULL OR ((?2 >> status) & 1) = 0)"
                              " ORDER BY coalesce(created, registered), row_id", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, final_status_mask ());
  return dup_first_column (self, stmt, error);
}

GStrv
np_ledger_dup_waiting_checkout_ids (NpLedger  *self,
                                    gint64     account_id,
                                    gint64     created_from,
                                    guint      limit,
                                    GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  stmt = np_ledger_statement (self,
                              "SELECT checkout_id FROM checkouts"
                              " WHERE account_id = ?1 AND created >= ?2 AND status = ?3"
                              "   AND deleted = 0 AND json IS NOT NULL"
                              " ORDER BY created DESC, row_id DESC LIMIT ?4", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, created_from);
  sqlite3_bind_int (stmt, 3, NP_CHECKOUT_STATUS_CREATED);
  sqlite3_bind_int64 (stmt, 4, limit);
  return dup_first_column (self, stmt, error);
}

/* Customers -------------------------------------------------------------------- */

/* The customer's email is part of its checkouts' search text: rewrite the text of
 * the checkouts whose text it changes, and return their row ids. */
static gboolean
update_customer_checkouts (NpLedger    *self,
                           gint64       account_id,
                           const char  *customer_id,
                           const char  *email,
                           GArray      *checkout_row_ids,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = np_ledger_statement (self,
    "UPDATE checkouts SET search_text = np_search_text (checkout_id, identifier, message, metadata, ?3)"
    " WHERE account_id = ?1 AND customer_id = ?2"
    "   AND search_text IS NOT np_search_text (checkout_id, identifier, message, metadata, ?3)"
    " RETURNING row_id", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, customer_id);
  np_ledger_bind_text (stmt, 3, email);

  while ((rc = np_ledger_step (self, stmt, error)) == SQLITE_ROW)
    {
      gint64 row_id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (checkout_row_ids, row_id);
    }

  return rc >= 0;
}

static gboolean
upsert_customer_row (NpLedger    *self,
                     gint64       account_id,
                     NpCustomer  *customer,
                     guint64      revision,
                     gint64       now,
                     const char  *received_from,
                     GArray      *row_ids,
                     GArray      *checkout_row_ids,
                     GError     **error)
{
  g_autofree char *metadata = NULL;
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;
  gint64 row_id;
  int rc;

  if (np_customer_get_deleted (customer))
    stmt = np_ledger_statement (self,
      "INSERT INTO customers (account_id, customer_id, registered, deleted, revision, search_text, received_from)"
      " VALUES (?1, ?2, ?8, 1, ?10, np_search_text (?2), ?11)"
      " ON CONFLICT (account_id, customer_id) DO UPDATE SET deleted = 1, revision = ?10"
      " WHERE customers.deleted = 0"
      " RETURNING row_id", error);
  else
    stmt = np_ledger_statement (self,
      "INSERT INTO customers (account_id, customer_id, first_name, last_name, email, metadata,"
      "  created, registered, last_refreshed, json, revision, search_text, received_from)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, np_search_text (?2, ?3, ?4, ?5, ?6), ?11)"
      " ON CONFLICT (account_id, customer_id) DO UPDATE SET"
      "  first_name = excluded.first_name, last_name = excluded.last_name,"
      "  email = excluded.email, metadata = excluded.metadata, created = excluded.created,"
      "  last_refreshed = excluded.last_refreshed, refresh_error = NULL,"
      "  refresh_failed_at = NULL, json = excluded.json, revision = excluded.revision,"
      "  search_text = excluded.search_text," RECEIVED_FROM_ON_CONFLICT ("customers")
      /* As for checkouts: the same answer again is no change, no revision, no
       * NpLedger::changed. */
      " WHERE customers.json IS NOT excluded.json"
      "  OR customers.search_text IS NOT excluded.search_text"
      "  OR customers.refresh_error IS NOT NULL OR customers.refresh_failed_at IS NOT NULL"
      " RETURNING row_id", error);
  if (stmt == NULL)
    return FALSE;

  metadata = metadata_to_json (np_customer_get_metadata (customer));
  json = np_customer_to_json (customer, FALSE);

  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, np_customer_get_id (customer));
  np_ledger_bind_text (stmt, 3, np_customer_get_first_name (customer));
  np_ledger_bind_text (stmt, 4, np_customer_get_last_name (customer));
  np_ledger_bind_text (stmt, 5, np_customer_get_email (customer));
  np_ledger_bind_text (stmt, 6, metadata);
  bind_time (stmt, 7, np_customer_get_created (customer));
  sqlite3_bind_int64 (stmt, 8, now);
  np_ledger_bind_text (stmt, 9, json);
  sqlite3_bind_int64 (stmt, 10, revision);
  np_ledger_bind_text (stmt, 11, received_from);

  rc = np_ledger_step (self, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return np_customer_get_deleted (customer) ||
             touch_refreshed (self, NP_LEDGER_OBJECT_CUSTOMER, account_id, np_customer_get_id (customer), now,
                              received_from, error);
    }

  row_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  g_array_append_val (row_ids, row_id);

  return np_customer_get_deleted (customer) ||
         update_customer_checkouts (self, account_id, np_customer_get_id (customer),
                                    np_customer_get_email (customer), checkout_row_ids, error);
}

/* Only the search text of those checkouts changed: nothing a list shows. */
static void
announce_customer_checkouts (NpLedger *self,
                             gint64    account_id,
                             GArray   *checkout_row_ids)
{
  g_autoptr(GError) index_error = NULL;

  if (checkout_row_ids->len == 0)
    return;
  if (!np_ledger_refresh_index (self, account_id, checkout_row_ids, &index_error))
    g_warning ("Reloading the search index: %s", index_error->message);
  self->changed_row_ids = checkout_row_ids;
  np_ledger_emit_changed (self, NP_LEDGER_TABLE_CHECKOUTS, account_id, 0);
  self->changed_row_ids = NULL;
}

gboolean
np_ledger_upsert_customers (NpLedger   *self,
                            gint64      account_id,
                            GPtrArray  *customers,
                            GError    **error)
{
  g_autoptr(GArray) row_ids = new_row_id_array ();
  g_autoptr(GArray) checkout_row_ids = new_row_id_array ();
  gint64 now = np_ledger_now ();
  guint64 revision;

  g_return_val_if_fail (NP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (customers != NULL, FALSE);

  if (customers->len == 0)
    return TRUE;

  if (!np_ledger_begin (self, error))
    return FALSE;

  if (!np_ledger_next_revision (self, &revision, error))
    goto failed;

  for (guint i = 0; i < customers->len; i++)
    if (!upsert_customer_row (self, account_id, g_ptr_array_index (customers, i),
                              revision, now, NULL, row_ids, checkout_row_ids, error))
      goto failed;

  if (!np_ledger_finish_write (self, account_id, NP_LEDGER_TABLE_CUSTOMERS, row_ids, error))
    return FALSE;

  announce_customer_checkouts (self, account_id, checkout_row_ids);
  return TRUE;

failed:
  np_ledger_rollback (self);
  return FALSE;
}

gboolean
np_ledger_upsert_customer (NpLedger    *self,
                           gint64       account_id,
                           NpCustomer  *customer,
                           GError     **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_return_val_if_fail (NP_IS_CUSTOMER (customer), FALSE);

  g_ptr_array_add (one, customer);
  return np_ledger_upsert_customers (self, account_id, one, error);
}

gboolean
np_ledger_record_customer_failure (NpLedger    *self,
                                   gint64       account_id,
                                   const char  *customer_id,
                                   const char  *error_text,
                                   GError     **error)
{
  return write_object (self, account_id, NP_LEDGER_OBJECT_CUSTOMER, customer_id,
                       "UPDATE customers SET refresh_error = coalesce(?5, ''), refresh_failed_at = ?3,"
                       "  revision = ?4"
                       " WHERE account_id = ?1 AND customer_id = ?2 RETURNING row_id",
                       error_text, error);
}

gboolean
np_ledger_mark_customer_deleted (NpLedger    *self,
                                 gint64       account_id,
                                 const char  *customer_id,
                                 GError     **error)
{
  return write_object (self, account_id, NP_LEDGER_OBJECT_CUSTOMER, customer_id,
                       "UPDATE customers SET deleted = 1, revision = ?4"
                       " WHERE account_id = ?1 AND customer_id = ?2 RETURNING row_id",
                       NULL, error);
}

gboolean
np_ledger_forget_customer (NpLedger    *self,
                           gint64       account_id,
                           const char  *customer_id,
                           GError     **error)
{
  return write_object (self, account_id, NP_LEDGER_OBJECT_CUSTOMER, customer_id,
                       "DELETE FROM customers WHERE account_id = ?1 AND customer_id = ?2 RETURNING row_id",
                       NULL, error);
}

NpCustomer *
np_ledger_get_customer (NpLedger    *self,
                        gint64       account_id,
                        const char  *customer_id,
                        GError     **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);

  json = dup_json (self, account_id, NP_LEDGER_OBJECT_CUSTOMER, customer_id,
                   "SELECT json FROM customers WHERE account_id = ?1 AND customer_id = ?2", error);
  if (json == NULL)
    return NULL;

  return np_customer_new_from_data (json, -1, error);
}

static GPtrArray *
customer_totals (NpLedger      *self,
                 gint64         account_id,
                 const char    *customer_id,
                 GError       **error)
{
  g_autoptr(GPtrArray) totals = g_ptr_array_new_with_free_func ((GDestroyNotify)np_currency_total_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = np_ledger_statement (self,
    "SELECT currency, count(*), np_checked_sum (amount),"
    "  np_checked_sum (CASE WHEN status IN (?3, ?4, ?5) THEN amount ELSE 0 END),"
    "  np_checked_sum (refunded_amount)"
    " FROM checkouts"
    " WHERE account_id = ?1 AND customer_id = ?2 AND deleted = 0 AND json IS NOT NULL"
    " GROUP BY currency ORDER BY count(*) DESC, currency", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, account_id);
  np_ledger_bind_text (stmt, 2, customer_id);
  sqlite3_bind_int (stmt, 3, NP_CHECKOUT_STATUS_PAID);
  sqlite3_bind_int (stmt, 4, NP_CHECKOUT_STATUS_PARTIAL_REFUND);
  sqlite3_bind_int (stmt, 5, NP_CHECKOUT_STATUS_REFUNDED);

  while ((rc = np_ledger_step (self, stmt, error)) == SQLITE_ROW)
    {
      NpCurrencyTotal *total = g_new0 (NpCurrencyTotal, 1);

      total->currency = np_store_column_dup (stmt, 0);
      total->count = sqlite3_column_int (stmt, 1);
      /* NULL from np_checked_sum (): a sum that does not fit, never a wrapped one. */
      total->overflow = sqlite3_column_type (stmt, 2) == SQLITE_NULL || sqlite3_column_type (stmt, 3) == SQLITE_NULL
                        || sqlite3_column_type (stmt, 4) == SQLITE_NULL;
      total->amount = sqlite3_column_int64 (stmt, 2);
      total->paid = sqlite3_column_int64 (stmt, 3);
      total->refunded = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (totals, total);
    }

  if (rc < 0)
    return NULL;

  return g_steal_pointer (&totals);
}

static gpointer
new_customer_row (NpLedger      *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  GPtrArray *totals = customer_totals (self,
                                       sqlite3_column_int64 (stmt, 1),
                                       (const char *)sqlite3_column_text (stmt, 2),
                                       error);

  return totals ? np_customer_row_new_from_stmt (stmt, totals) : NULL;
}

GPtrArray *
np_ledger_fetch_customer_rows (NpLedger      *self,
                               const gint64  *row_ids,
                               guint          n_row_ids,
                               GError       **error)
{
  return np_ledger_fetch_rows (self,
                               NP_LEDGER_WANTED_ROWS "SELECT " NP_CUSTOMER_ROW_COLUMNS ", wanted_position"
                               " FROM wanted JOIN customers ON row_id = wanted_id",
                               new_customer_row, row_ids, n_row_ids, error);
}

NpCustomerRow *
np_ledger_get_customer_row (NpLedger    *self,
                            gint64       account_id,
                            const char  *customer_id,
                            GError     **error)
{
  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);

  return get_row (self, account_id, NP_LEDGER_OBJECT_CUSTOMER, customer_id,
                  "SELECT " NP_CUSTOMER_ROW_COLUMNS " FROM customers"
                  " WHERE account_id = ?1 AND customer_id = ?2",
                  new_customer_row, error);
}

gboolean
np_ledger_query_customer_row_ids (NpLedger               *self,
                                  gint64                  account_id,
                                  const NpCustomerQuery  *query,
                                  GArray                 *row_ids,
                                  GArray                 *revisions,
                                  GError                **error)
{
  /* ORDER BY cannot be bound: pick one of these whole statements. */
  static const char * const orders[][2] = {
    [NP_CUSTOMER_SORT_NAME] = {
      " ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, email COLLATE NOCASE, row_id",
      " ORDER BY last_name COLLATE NOCASE DESC, first_name COLLATE NOCASE DESC,"
      " email COLLATE NOCASE DESC, row_id DESC" },
    [NP_CUSTOMER_SORT_EMAIL] = {
      " ORDER BY email COLLATE NOCASE, row_id",
      " ORDER BY email COLLATE NOCASE DESC, row_id DESC" },
    [NP_CUSTOMER_SORT_CREATED] = {
      " ORDER BY coalesce(created, registered), row_id",
      " ORDER BY coalesce(created, registered) DESC, row_id DESC" },
  };
  g_autofree char *needle = np_search_fold_needle (query->text);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (query->sort <= NP_CUSTOMER_SORT_CREATED, FALSE);

  sql = g_strconcat ("SELECT row_id, revision FROM customers"
                     " WHERE account_id = ?1 AND (?2 OR deleted = 0)"
                     "   AND (?3 IS NULL OR instr(search_text, ?3) > 0)",
                     orders[query->sort][query->descending ? 1 : 0], NULL);
  stmt = np_ledger_statement (self, sql, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int (stmt, 2, query->include_deleted);
  np_ledger_bind_text (stmt, 3, needle);

  while ((rc = np_ledger_step (self, stmt, error)) == SQLITE_ROW)
    {
      gint64 row_id = sqlite3_column_int64 (stmt, 0);
      guint64 revision = sqlite3_column_int64 (stmt, 1);

      g_array_append_val (row_ids, row_id);
      if (revisions != NULL)
        g_array_append_val (revisions, revision);
    }

  return rc >= 0;
}

GPtrArray *
np_ledger_list_customers (NpLedger               *self,
                          gint64                  account_id,
                          const NpCustomerQuery  *query,
                          guint                   offset,
                          guint                   limit,
                          GError                **error)
{
  g_autoptr(NpCustomerQuery) everything = np_customer_query_new ();
  g_autoptr(GArray) row_ids = new_row_id_array ();

  g_return_val_if_fail (NP_IS_LEDGER (self), NULL);

  if (!np_ledger_query_customer_row_ids (self, account_id, query ? query : everything,
                                         row_ids, NULL, error))
    return NULL;

  return np_ledger_fetch_slice (self, row_ids, offset, limit, np_ledger_fetch_customer_rows, error);
}

/* Bulk writes from a worker ------------------------------------------------------ */

typedef struct {
  char           *path;
  NpLedgerObject  object;
  gint64          account_id;
  GPtrArray      *jsons;     /* of char*: the objects' JSON text */
  char           *received_from;  /* the team ledger that sent them */
  guint64         revision;  /* the worker's, for the ledger's own count */
  guint           n_stored;
  GArray         *row_ids;   /* the rows written */
  GArray         *checkout_row_ids;  /* customers: their checkouts whose search text changed */
} StoreJob;

static void
store_job_free (StoreJob *job)
{
  g_free (job->path);
  g_free (job->received_from);
  g_clear_pointer (&job->jsons, g_ptr_array_unref);
  g_clear_pointer (&job->row_ids, g_array_unref);
  g_clear_pointer (&job->checkout_row_ids, g_array_unref);
  g_free (job);
}

/* Parses each object as it writes it: one object's JSON tree alive at a time.
 * Parsing a whole batch first, side by side with another job's writes, was a
 * quarter faster, but json-glib's nodes come from GSlice, and the tens of
 * megabytes a first sync parsed that way stayed resident afterwards. A text
 * that does not parse (it came from the network) is left out. */
static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StoreJob *job = task_data;
  NpLedger *ledger = source_object;
  gboolean checkouts = job->object == NP_LEDGER_OBJECT_CHECKOUT;
  g_autoptr(NpLedger) worker = NULL;
  GError *error = NULL;
  gint64 now = np_ledger_now ();

  if (g_task_return_error_if_cancelled (task))
    return;

  /* One job writes at a time. */
  g_mutex_lock (&ledger->store_lock);
  worker = np_ledger_open_worker (job->path, &error);
  if (worker == NULL || !np_ledger_begin (worker, &error))
    {
      g_mutex_unlock (&ledger->store_lock);
      g_task_return_error (task, error);
      return;
    }
  if (!np_ledger_next_revision (worker, &job->revision, &error))
    goto failed;
  for (guint i = 0; i < job->jsons->len; i++)
    {
      const char *text = g_ptr_array_index (job->jsons, i);
      g_autoptr(GObject) object = checkouts ? G_OBJECT (np_checkout_new_from_data (text, -1, NULL))
                                            : G_OBJECT (np_customer_new_from_data (text, -1, NULL));

      if (object == NULL)
        continue;
      if (!(checkouts ? upsert_checkout_row (worker, job->account_id, NP_CHECKOUT (object),
                                             job->revision, now, job->received_from, job->row_ids, &error)
                      : upsert_customer_row (worker, job->account_id, NP_CUSTOMER (object),
                                             job->revision, now, job->received_from, job->row_ids,
                                             job->checkout_row_ids, &error)))
        goto failed;
      job->n_stored++;
    }
  if (!np_ledger_commit (worker, &error))
    {
      job->n_stored = 0;
      g_mutex_unlock (&ledger->store_lock);
      g_task_return_error (task, error);
      return;
    }
  g_mutex_unlock (&ledger->store_lock);
  g_task_return_boolean (task, TRUE);
  return;

failed:
  job->n_stored = 0;
  np_ledger_rollback (worker);
  g_mutex_unlock (&ledger->store_lock);
  g_task_return_error (task, error);
}

/* Back on the ledger's thread: the rows into a loaded search index, and one
 * NpLedger::changed for the batch, as after any write. */
static void
stored (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  NpLedger *self = NP_LEDGER (source);
  g_autoptr(GTask) task = user_data;
  StoreJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->n_stored > 0)
    {
      self->revision = MAX (self->revision, job->revision);
      announce_write (self, job->account_id, job->object == NP_LEDGER_OBJECT_CHECKOUT ? NP_LEDGER_TABLE_CHECKOUTS
                                                                                     : NP_LEDGER_TABLE_CUSTOMERS,
                      job->row_ids);
      announce_customer_checkouts (self, job->account_id, job->checkout_row_ids);
    }
  g_task_return_int (task, job->n_stored);
}

void
np_ledger_store_objects_async (NpLedger            *self,
                               NpLedgerObject       object,
                               gint64               account_id,
                               GPtrArray           *jsons,
                               const char          *received_from,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) worker = NULL;
  GTask *task;
  StoreJob *job;

  g_return_if_fail (NP_IS_LEDGER (self));
  g_return_if_fail (object == NP_LEDGER_OBJECT_CHECKOUT || object == NP_LEDGER_OBJECT_CUSTOMER);
  g_return_if_fail (jsons != NULL);
  g_return_if_fail (received_from == NULL || *received_from != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_ledger_store_objects_async);

  job = g_new0 (StoreJob, 1);
  job->path = g_strdup (self->path);
  job->object = object;
  job->account_id = account_id;
  job->jsons = g_ptr_array_ref (jsons);
  job->received_from = g_strdup (received_from);
  job->row_ids = new_row_id_array ();
  job->checkout_row_ids = new_row_id_array ();

  worker = g_task_new (self, cancellable, stored, task);
  g_task_set_task_data (worker, job, (GDestroyNotify) store_job_free);
  g_task_run_in_thread (worker, store_thread);
}

gboolean
np_ledger_store_objects_finish (NpLedger      *self,
                                GAsyncResult  *result,
                                guint         *out_stored,
                                GError       **error)
{
  gssize n;
  GError *local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  n = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_stored != NULL)
    *out_stored = (guint) n;
  return TRUE;
}

/* Bulk reads on a worker ---------------------------------------------------------- */

typedef struct {
  char           *path;
  NpLedgerObject  object;
  gint64          account_id;
  gint64          after_row_id;
  guint           limit;
  GPtrArray      *ids;
  GPtrArray      *jsons;
  gint64          last_row_id;
} ReadJob;

static void
read_job_free (ReadJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->ids, g_ptr_array_unref);
  g_clear_pointer (&job->jsons, g_ptr_array_unref);
  g_free (job);
}

/* The stored text as it is: it was written by np_checkout_to_json () (or the
 * customer's), so it needs no parse here; a reader of its own sees what was
 * committed, and the ledger's thread is not held. Only this desk's own rows:
 * what a team ledger sent is that ledger's to share, not this desk's (and the
 * ledger that sent it has it already). */
static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadJob *job = task_data;
  g_autoptr(NpLedger) reader = NULL;
  sqlite3_stmt *stmt;
  GError *error = NULL;
  const char *sql = job->object == NP_LEDGER_OBJECT_CHECKOUT
    ? "SELECT row_id, checkout_id, json FROM checkouts"
      " WHERE account_id = ?1 AND row_id > ?2 AND deleted = 0 AND json IS NOT NULL"
      "  AND received_from IS NULL"
      " ORDER BY row_id LIMIT ?3"
    : "SELECT row_id, customer_id, json FROM customers"
      " WHERE account_id = ?1 AND row_id > ?2 AND deleted = 0 AND json IS NOT NULL"
      "  AND received_from IS NULL"
      " ORDER BY row_id LIMIT ?3";
  int rc;

  if (g_task_return_error_if_cancelled (task))
    return;
  reader = np_ledger_open_read_only (job->path, &error);
  if (reader == NULL || (stmt = np_ledger_statement (reader, sql, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, job->account_id);
  sqlite3_bind_int64 (stmt, 2, job->after_row_id);
  sqlite3_bind_int64 (stmt, 3, job->limit);
  job->last_row_id = job->after_row_id;
  while ((rc = np_ledger_step (reader, stmt, &error)) == SQLITE_ROW)
    {
      job->last_row_id = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (job->ids, np_store_column_dup (stmt, 1));
      g_ptr_array_add (job->jsons, np_store_column_dup (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
np_ledger_read_objects_async (NpLedger            *self,
                              NpLedgerObject       object,
                              gint64               account_id,
                              gint64               after_row_id,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadJob *job;

  g_return_if_fail (NP_IS_LEDGER (self));
  g_return_if_fail (object == NP_LEDGER_OBJECT_CHECKOUT || object == NP_LEDGER_OBJECT_CUSTOMER);
  g_return_if_fail (limit > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, np_ledger_read_objects_async);
  job = g_new0 (ReadJob, 1);
  job->path = g_strdup (self->path);
  job->object = object;
  job->account_id = account_id;
  job->after_row_id = after_row_id;
  job->limit = limit;
  job->ids = g_ptr_array_new_full (MIN (limit, 16384), g_free);
  job->jsons = g_ptr_array_new_full (MIN (limit, 16384), g_free);
  g_task_set_task_data (task, job, (GDestroyNotify) read_job_free);
  g_task_run_in_thread (task, read_thread);
}

gboolean
np_ledger_read_objects_finish (NpLedger      *self,
                               GAsyncResult  *result,
                               GPtrArray    **out_ids,
                               GPtrArray    **out_jsons,
                               gint64        *out_last_row_id,
                               GError       **error)
{
  ReadJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (out_ids != NULL && out_jsons != NULL, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  *out_ids = g_steal_pointer (&job->ids);
  *out_jsons = g_steal_pointer (&job->jsons);
  if (out_last_row_id != NULL)
    *out_last_row_id = job->last_row_id;
  return TRUE;
}
