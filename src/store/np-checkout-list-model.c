/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-list-model.c — a GListModel of one account's checkouts for a query.
 *
 * The order and the membership come from the ledger's search index, and the
 * model's keys are index slots (the index's own handle on a row), so a new
 * query costs one pass over the index and no lookups; the rows themselves are
 * read in pages by NpRowPager. A single changed row is placed with the index's
 * comparison instead of re-running the query: a refresh of one checkout costs
 * a binary search, not a pass over a million rows. After a bulk change the
 * rows the ledger names are the ones whose items change.
 *
 * While a worker loads the index (np_ledger_prepare_account_async (), as the
 * workspace does when an account is chosen) the model does not load it a second
 * time on the main thread: the plain newest-first list shows its first rows
 * straight from SQL, keyed by row id, other queries show nothing yet, and all
 * of them run again on the index when it arrives.
 */
#include "np-checkout-list-model.h"
#include "np-ledger-list-model-private.h"
#include "np-ledger-private.h"

struct _NpCheckoutListModel
{
  NpLedgerListModel  parent_instance;

  NpCheckoutQuery   *query;
  guint              index_serial;    /* of the index the keys are slots of */
  guint64           *changed_slots;   /* bitmap, while a bulk change is applied */
  guint              n_changed_slots;
  gboolean           row_id_keys;     /* waiting for the index: keys are row ids */
  gint64             awaited_account; /* whose index the model waits for, or 0 */
};

/* Rows shown from SQL while the index loads: more than a window holds. */
#define FIRST_ROWS 256

G_DEFINE_FINAL_TYPE (NpCheckoutListModel, np_checkout_list_model, NP_TYPE_LEDGER_LIST_MODEL)

enum {
  PROP_0,
  PROP_QUERY,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static NpLedger *
get_ledger (NpCheckoutListModel *self)
{
  return np_ledger_list_model_get_ledger (NP_LEDGER_LIST_MODEL (self));
}

static gint64
get_account_id (NpCheckoutListModel *self)
{
  return np_ledger_list_model_get_account_id (NP_LEDGER_LIST_MODEL (self));
}

static NpRowPager *
get_pager (NpCheckoutListModel *self)
{
  return np_ledger_list_model_get_pager (NP_LEDGER_LIST_MODEL (self));
}

/* The account's index: the loaded one; NULL with *@out_waiting while a worker
 * loads it; else loaded now. */
static NpCheckoutIndex *
get_index (NpCheckoutListModel  *self,
           gboolean             *out_waiting,
           GError              **error)
{
  NpLedger *ledger = get_ledger (self);
  gint64 account_id = get_account_id (self);
  NpCheckoutIndex *index = g_hash_table_lookup (ledger->indexes, &account_id);

  *out_waiting = FALSE;
  if (index != NULL)
    return index;

  if (g_hash_table_contains (ledger->loading, &account_id))
    {
      *out_waiting = TRUE;
      return NULL;
    }

  return np_ledger_ensure_index (ledger, account_id, error);
}

static void
index_arrived (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(NpCheckoutListModel) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A failed load is loaded again (or reported) by the reload, on the main thread. */
  np_ledger_prepare_account_finish (NP_LEDGER (source), result, &error);
  self->awaited_account = 0;
  np_ledger_list_model_reload (NP_LEDGER_LIST_MODEL (self));
  if (self->awaited_account == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
await_index (NpCheckoutListModel *self)
{
  if (self->awaited_account == get_account_id (self))
    return;

  self->awaited_account = get_account_id (self);
  np_ledger_prepare_account_async (get_ledger (self), self->awaited_account, NULL,
                                   index_arrived, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Only everything, by created time, can be read from SQL in order (the
 * checkouts_created index) without the search index. */
static gboolean
query_is_plain (const NpCheckoutQuery *query)
{
  return (query->text == NULL || query->text[0] == '\0') && query->status_mask == 0 &&
         query->created_from == 0 && query->created_until == 0 &&
         (query->customer_id == NULL || query->customer_id[0] == '\0') &&
         !query->refresh_failed && !query->include_deleted && query->sort == NP_CHECKOUT_SORT_CREATED;
}

typedef struct {
  gint64 key;
  gint64 row_id;
} KeyedRow;

/* Up to FIRST_ROWS rows of @sql (?1 the account, ?2 the limit) into @rows. */
static gboolean
read_keyed_rows (NpCheckoutListModel  *self,
                 const char           *sql,
                 GArray               *rows,
                 GError              **error)
{
  NpLedger *ledger = get_ledger (self);
  sqlite3_stmt *stmt = np_ledger_statement (ledger, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, get_account_id (self));
  sqlite3_bind_int (stmt, 2, FIRST_ROWS);
  while ((rc = np_ledger_step (ledger, stmt, error)) == SQLITE_ROW)
    {
      KeyedRow row = { sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 0) };

      g_array_append_val (rows, row);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

/* The first FIRST_ROWS row ids of the plain query, in the index's order
 * (coalesce (created, registered), then row id): rows with a created time come
 * in order from the checkouts_created index, the few imported but never
 * retrieved ones are sorted apart, and the two are merged. */
static gboolean
first_rows_from_sql (NpCheckoutListModel  *self,
                     GArray               *keys,
                     GError              **error)
{
  gboolean descending = self->query->descending;
  g_autoptr(GArray) dated = g_array_new (FALSE, FALSE, sizeof (KeyedRow));
  g_autoptr(GArray) undated = g_array_new (FALSE, FALSE, sizeof (KeyedRow));
  guint i = 0, j = 0;

  if (!read_keyed_rows (self, descending
                          ? "SELECT row_id, created FROM checkouts WHERE account_id = ?1 AND created IS NOT NULL"
                            " AND deleted = 0 ORDER BY created DESC, row_id DESC LIMIT ?2"
                          : "SELECT row_id, created FROM checkouts WHERE account_id = ?1 AND created IS NOT NULL"
                            " AND deleted = 0 ORDER BY created, row_id LIMIT ?2",
                        dated, error) ||
      !read_keyed_rows (self, descending
                          ? "SELECT row_id, registered FROM checkouts WHERE account_id = ?1 AND created IS NULL"
                            " AND deleted = 0 ORDER BY registered DESC, row_id DESC LIMIT ?2"
                          : "SELECT row_id, registered FROM checkouts WHERE account_id = ?1 AND created IS NULL"
                            " AND deleted = 0 ORDER BY registered, row_id LIMIT ?2",
                        undated, error))
    return FALSE;

  while (keys->len < FIRST_ROWS && (i < dated->len || j < undated->len))
    {
      const KeyedRow *a = i < dated->len ? &g_array_index (dated, KeyedRow, i) : NULL;
      const KeyedRow *b = j < undated->len ? &g_array_index (undated, KeyedRow, j) : NULL;
      gboolean a_first;

      if (a == NULL || b == NULL)
        a_first = (b == NULL);
      else if (a->key != b->key)
        a_first = descending ? a->key > b->key : a->key < b->key;
      else
        a_first = descending ? a->row_id > b->row_id : a->row_id < b->row_id;

      g_array_append_val (keys, (a_first ? a : b)->row_id);
      if (a_first)
        i++;
      else
        j++;
    }

  return TRUE;
}

/* Turns the row-id keys into slots of @index; FALSE (nothing changed) when
 * one of the rows is no longer in it. */
static gboolean
keys_to_slots (NpCheckoutListModel *self,
               NpCheckoutIndex     *index)
{
  GArray *keys = get_pager (self)->row_ids;
  g_autofree guint *slots = g_new (guint, MAX (keys->len, 1));

  for (guint i = 0; i < keys->len; i++)
    if (!np_checkout_index_lookup (index, g_array_index (keys, gint64, i), &slots[i]))
      return FALSE;

  for (guint i = 0; i < keys->len; i++)
    g_array_index (keys, gint64, i) = slots[i];
  return TRUE;
}

static GPtrArray *
np_checkout_list_model_fetch (NpLedgerListModel  *model,
                              const gint64       *keys,
                              guint               n_keys,
                              GError            **error)
{
  NpCheckoutListModel *self = NP_CHECKOUT_LIST_MODEL (model);
  NpCheckoutIndex *index;
  g_autofree gint64 *row_ids = NULL;
  gboolean waiting;

  if (self->row_id_keys)
    return np_ledger_fetch_checkout_rows (get_ledger (self), keys, n_keys, error);

  index = get_index (self, &waiting, error);
  if (index == NULL)
    {
      if (waiting)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING, "The search index is loading");
      return NULL;
    }

  row_ids = g_new (gint64, MAX (n_keys, 1));
  for (guint i = 0; i < n_keys; i++)
    row_ids[i] = np_checkout_index_get_row_id (index, keys[i]);

  return np_ledger_fetch_checkout_rows (get_ledger (self), row_ids, n_keys, error);
}

static gboolean
np_checkout_list_model_key_changed (NpLedgerListModel *model,
                                    gint64             key)
{
  /* Asked for every row after a bulk change: no checked cast. */
  NpCheckoutListModel *self = (NpCheckoutListModel *) model;

  return self->changed_slots != NULL &&
         (guint64)key < self->n_changed_slots &&
         (self->changed_slots[key / 64] & (G_GUINT64_CONSTANT (1) << (key % 64))) != 0;
}

static void
np_checkout_list_model_reload (NpLedgerListModel *model)
{
  NpCheckoutListModel *self = NP_CHECKOUT_LIST_MODEL (model);
  g_autoptr(GError) error = NULL;
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *old_keys = NULL;
  NpCheckoutIndex *index = NULL;
  gboolean waiting = FALSE;

  if (get_account_id (self) != 0)
    {
      index = get_index (self, &waiting, &error);
      if (index == NULL && !waiting)
        /* An empty list is the honest state of a ledger we cannot read. */
        g_warning ("Listing checkouts: %s", error->message);
    }

  if (waiting)
    {
      if (query_is_plain (self->query) && !first_rows_from_sql (self, keys, &error))
        {
          g_warning ("Listing checkouts: %s", error->message);
          g_array_set_size (keys, 0);
        }
      self->row_id_keys = TRUE;
      self->index_serial = 0;
      np_row_pager_reset (get_pager (self), G_LIST_MODEL (self), keys, NULL);
      await_index (self);
      return;
    }

  /* The first rows from SQL, now with the index: the same rows in the same
   * order, so the update below only appends the rest instead of replacing
   * the rows on show. */
  if (self->row_id_keys && index != NULL && keys_to_slots (self, index))
    self->index_serial = np_checkout_index_get_serial (index);
  self->row_id_keys = FALSE;

  if (index != NULL)
    {
      guint32 *slots;
      guint n;

      /* The query writes its 32-bit slots into the keys' own memory, widened
       * to keys in place from the last (key i covers slots 2i and 2i + 1,
       * both read by then): no array of slots beside the keys (4 bytes a row
       * kept resident for it before). */
      g_array_unref (keys);
      keys = np_checkout_index_take_keys (index);
      g_array_set_size (keys, np_checkout_index_get_n_slots (index) + 1);
      slots = (guint32 *)(gpointer)keys->data;
      n = np_checkout_index_query (index, self->query, slots);
      for (guint i = n; i > 0; i--)
        g_array_index (keys, gint64, i - 1) = slots[i - 1];
      g_array_set_size (keys, n);
    }

  /* The pager takes the new keys and lets go of the old ones: ours to reuse. */
  old_keys = get_pager (self)->row_ids != NULL ? g_array_ref (get_pager (self)->row_ids) : NULL;

  /* Slots of another index (a reloaded one, another account's) are not
   * comparable with ours: replace everything. */
  if (index == NULL || np_checkout_index_get_serial (index) != self->index_serial)
    {
      self->index_serial = index ? np_checkout_index_get_serial (index) : 0;
      np_row_pager_reset (get_pager (self), G_LIST_MODEL (self), keys, NULL);
    }
  else
    {
      np_row_pager_update (get_pager (self), G_LIST_MODEL (self), keys, NULL);
    }

  if (old_keys != NULL && index != NULL && old_keys != get_pager (self)->row_ids)
    np_checkout_index_give_keys (index, g_steal_pointer (&old_keys));
  g_clear_pointer (&old_keys, g_array_unref);
}

/* A bulk change: re-run the query, and let the rows the ledger names change. */
static void
reload_changed (NpCheckoutListModel *self)
{
  const GArray *row_ids = np_ledger_get_changed_row_ids (get_ledger (self));
  gboolean waiting;
  NpCheckoutIndex *index = get_index (self, &waiting, NULL);

  if (index != NULL && row_ids != NULL)
    {
      self->n_changed_slots = np_checkout_index_get_n_slots (index);
      self->changed_slots = g_new0 (guint64, self->n_changed_slots / 64 + 1);
      for (guint i = 0; i < row_ids->len; i++)
        {
          guint slot;

          if (np_checkout_index_lookup (index, g_array_index (row_ids, gint64, i), &slot))
            self->changed_slots[slot / 64] |= G_GUINT64_CONSTANT (1) << (slot % 64);
        }
    }

  np_checkout_list_model_reload (NP_LEDGER_LIST_MODEL (self));
  g_clear_pointer (&self->changed_slots, g_free);
  self->n_changed_slots = 0;
}

/* Where @slot goes among the model's rows, leaving out position @skip (-1: none). */
static guint
insertion_point (NpCheckoutListModel *self,
                 NpCheckoutIndex     *index,
                 guint                slot,
                 int                  skip)
{
  NpRowPager *pager = get_pager (self);
  guint n = np_row_pager_get_n_items (pager) - (skip >= 0 ? 1 : 0);
  guint lo = 0;
  guint hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint position = (skip >= 0 && mid >= (guint)skip) ? mid + 1 : mid;
      guint other = np_row_pager_get_row_id (pager, position);

      if (np_checkout_index_compare (index, self->query, other, slot) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* The smallest change for one row: stays (one item changed), moves (removed and
 * inserted), leaves or joins the list. */
static void
apply_row_change (NpCheckoutListModel *self,
                  gint64               row_id)
{
  gboolean waiting;
  NpCheckoutIndex *index = get_index (self, &waiting, NULL);
  NpRowPager *pager = get_pager (self);
  GListModel *model = G_LIST_MODEL (self);
  gboolean matches;
  guint slot;
  int old_position;

  if (index == NULL || self->row_id_keys ||
      np_checkout_index_get_serial (index) != self->index_serial ||
      !np_checkout_index_lookup (index, row_id, &slot))
    {
      reload_changed (self);
      return;
    }

  old_position = np_row_pager_find (pager, slot);
  matches = np_checkout_index_matches (index, self->query, slot);

  if (old_position >= 0 && matches)
    {
      guint new_position = insertion_point (self, index, slot, old_position);

      if (new_position == (guint)old_position)
        {
          np_row_pager_replace (pager, model, old_position, 0);
        }
      else
        {
          np_row_pager_remove (pager, model, old_position);
          np_row_pager_insert (pager, model, new_position, slot, 0);
        }
    }
  else if (old_position >= 0)
    {
      np_row_pager_remove (pager, model, old_position);
    }
  else if (matches)
    {
      np_row_pager_insert (pager, model, insertion_point (self, index, slot, -1), slot, 0);
    }
}

static void
np_checkout_list_model_ledger_changed (NpLedgerListModel *model,
                                       NpLedgerTable      table,
                                       gint64             row_id)
{
  NpCheckoutListModel *self = NP_CHECKOUT_LIST_MODEL (model);

  if (table != NP_LEDGER_TABLE_CHECKOUTS)
    return;

  if (row_id != 0)
    apply_row_change (self, row_id);
  else
    reload_changed (self);
}

static void
np_checkout_list_model_finalize (GObject *object)
{
  NpCheckoutListModel *self = (NpCheckoutListModel *)object;

  g_clear_pointer (&self->query, np_checkout_query_free);

  G_OBJECT_CLASS (np_checkout_list_model_parent_class)->finalize (object);
}

static void
np_checkout_list_model_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  NpCheckoutListModel *self = NP_CHECKOUT_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_boxed (value, self->query);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->awaited_account != 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_checkout_list_model_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  NpCheckoutListModel *self = NP_CHECKOUT_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      np_checkout_list_model_set_query (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_checkout_list_model_class_init (NpCheckoutListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  NpLedgerListModelClass *model_class = NP_LEDGER_LIST_MODEL_CLASS (klass);

  object_class->finalize = np_checkout_list_model_finalize;
  object_class->get_property = np_checkout_list_model_get_property;
  object_class->set_property = np_checkout_list_model_set_property;

  model_class->item_type = NP_TYPE_CHECKOUT_ROW;
  model_class->reload = np_checkout_list_model_reload;
  model_class->ledger_changed = np_checkout_list_model_ledger_changed;
  model_class->fetch = np_checkout_list_model_fetch;
  model_class->key_changed = np_checkout_list_model_key_changed;

  properties[PROP_QUERY] =
    g_param_spec_boxed ("query", NULL, NULL,
                        NP_TYPE_CHECKOUT_QUERY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_checkout_list_model_init (NpCheckoutListModel *self)
{
  self->query = np_checkout_query_new ();
}

NpCheckoutListModel *
np_checkout_list_model_new (NpLedger              *ledger,
                            gint64                 account_id,
                            const NpCheckoutQuery *query)
{
  g_return_val_if_fail (NP_IS_LEDGER (ledger), NULL);

  return g_object_new (NP_TYPE_CHECKOUT_LIST_MODEL,
                       "ledger", ledger,
                       "account-id", account_id,
                       "query", query,
                       NULL);
}

const NpCheckoutQuery *
np_checkout_list_model_get_query (NpCheckoutListModel *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_LIST_MODEL (self), NULL);

  return self->query;
}

void
np_checkout_list_model_set_query (NpCheckoutListModel   *self,
                                  const NpCheckoutQuery *query)
{
  g_autoptr(NpCheckoutQuery) everything = NULL;

  g_return_if_fail (NP_IS_CHECKOUT_LIST_MODEL (self));

  if (query == NULL)
    query = everything = np_checkout_query_new ();

  if (np_checkout_query_equal (self->query, query))
    return;

  np_checkout_query_free (self->query);
  self->query = np_checkout_query_copy (query);
  np_ledger_list_model_reload (NP_LEDGER_LIST_MODEL (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

gboolean
np_checkout_list_model_get_loading (NpCheckoutListModel *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_LIST_MODEL (self), FALSE);

  return self->awaited_account != 0;
}

int
np_checkout_list_model_find (NpCheckoutListModel *self,
                             const char          *checkout_id)
{
  g_autoptr(NpCheckoutRow) row = NULL;
  NpCheckoutIndex *index;
  guint slot;

  g_return_val_if_fail (NP_IS_CHECKOUT_LIST_MODEL (self), -1);
  g_return_val_if_fail (checkout_id != NULL, -1);

  row = np_ledger_get_checkout_row (get_ledger (self), get_account_id (self), checkout_id, NULL);
  if (row != NULL && self->row_id_keys)
    return np_row_pager_find (get_pager (self), np_checkout_row_get_row_id (row));
  index = np_ledger_ensure_index (get_ledger (self), get_account_id (self), NULL);
  if (row == NULL || index == NULL ||
      !np_checkout_index_lookup (index, np_checkout_row_get_row_id (row), &slot))
    return -1;

  return np_row_pager_find (get_pager (self), slot);
}
