/* np-checkout-list-model.c — a GListModel of one account's checkouts for a query.
 *
 * The order and the membership come from the ledger's search index, and the
 * model's keys are index slots (the index's own handle on a row), so a new
 * query costs one pass over the index and no lookups; the rows themselves are
 * read in pages by NpRowPager. A single changed row is placed with the index's
 * comparison instead of re-running the query: a refresh of one checkout costs
 * a binary search, not a pass over a million rows. After a bulk change the
 * rows the ledger names are the ones whose items change.
 */
#include "np-checkout-list-model.h"
#include "np-ledger-private.h"
#include "np-row-pager.h"

struct _NpCheckoutListModel
{
  GObject          parent_instance;

  NpLedger        *ledger;
  gint64           account_id;
  NpCheckoutQuery *query;
  NpRowPager       pager;
  guint            index_serial;    /* of the index the keys are slots of */
  guint64         *changed_slots;   /* bitmap, while a bulk change is applied */
  guint            n_changed_slots;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NpCheckoutListModel, np_checkout_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LEDGER,
  PROP_ACCOUNT_ID,
  PROP_QUERY,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
np_checkout_list_model_get_item_type (GListModel *model)
{
  return NP_TYPE_CHECKOUT_ROW;
}

static guint
np_checkout_list_model_get_n_items (GListModel *model)
{
  return np_row_pager_get_n_items (&NP_CHECKOUT_LIST_MODEL (model)->pager);
}

static gpointer
np_checkout_list_model_get_item (GListModel *model,
                                 guint       position)
{
  return np_row_pager_get_item (&NP_CHECKOUT_LIST_MODEL (model)->pager, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = np_checkout_list_model_get_item_type;
  iface->get_n_items = np_checkout_list_model_get_n_items;
  iface->get_item = np_checkout_list_model_get_item;
}

static GPtrArray *
fetch_rows (gpointer       user_data,
            const gint64  *keys,
            guint          n_keys,
            GError       **error)
{
  NpCheckoutListModel *self = user_data;
  NpCheckoutIndex *index = np_ledger_ensure_index (self->ledger, self->account_id, error);
  g_autofree gint64 *row_ids = NULL;

  if (index == NULL)
    return NULL;

  row_ids = g_new (gint64, MAX (n_keys, 1));
  for (guint i = 0; i < n_keys; i++)
    row_ids[i] = np_checkout_index_get_row_id (index, keys[i]);

  return np_ledger_fetch_checkout_rows (self->ledger, row_ids, n_keys, error);
}

static gboolean
slot_changed (gpointer user_data,
              gint64   key)
{
  NpCheckoutListModel *self = user_data;

  return self->changed_slots != NULL &&
         (guint64)key < self->n_changed_slots &&
         (self->changed_slots[key / 64] & (G_GUINT64_CONSTANT (1) << (key % 64))) != 0;
}

static void
notify_n_items (NpCheckoutListModel *self,
                guint                n_before)
{
  if (np_row_pager_get_n_items (&self->pager) != n_before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
reload (NpCheckoutListModel *self)
{
  g_autoptr(GError) error = NULL;
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_before = np_row_pager_get_n_items (&self->pager);
  NpCheckoutIndex *index = NULL;

  if (self->ledger != NULL && self->account_id != 0)
    {
      index = np_ledger_ensure_index (self->ledger, self->account_id, &error);
      if (index == NULL)
        /* An empty list is the honest state of a ledger we cannot read. */
        g_warning ("Listing checkouts: %s", error->message);
    }

  if (index != NULL)
    {
      g_autofree guint32 *slots = g_new (guint32, np_checkout_index_get_n_slots (index) + 1);
      guint n = np_checkout_index_query (index, self->query, slots);

      g_array_set_size (keys, n);
      for (guint i = 0; i < n; i++)
        g_array_index (keys, gint64, i) = slots[i];
    }

  /* Slots of another index (a reloaded one, another account's) are not
   * comparable with ours: replace everything. */
  if (index == NULL || np_checkout_index_get_serial (index) != self->index_serial)
    {
      self->index_serial = index ? np_checkout_index_get_serial (index) : 0;
      np_row_pager_reset (&self->pager, G_LIST_MODEL (self), keys, NULL);
    }
  else
    {
      np_row_pager_update (&self->pager, G_LIST_MODEL (self), keys, NULL);
    }
  notify_n_items (self, n_before);
}

/* A bulk change: re-run the query, and let the rows the ledger names change. */
static void
reload_changed (NpCheckoutListModel *self)
{
  const GArray *row_ids = np_ledger_get_changed_row_ids (self->ledger);
  NpCheckoutIndex *index = np_ledger_ensure_index (self->ledger, self->account_id, NULL);

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

  reload (self);
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
  guint n = np_row_pager_get_n_items (&self->pager) - (skip >= 0 ? 1 : 0);
  guint lo = 0;
  guint hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint position = (skip >= 0 && mid >= (guint)skip) ? mid + 1 : mid;
      guint other = np_row_pager_get_row_id (&self->pager, position);

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
  NpCheckoutIndex *index = np_ledger_ensure_index (self->ledger, self->account_id, NULL);
  guint n_before = np_row_pager_get_n_items (&self->pager);
  gboolean matches;
  guint slot;
  int old_position;

  if (index == NULL ||
      np_checkout_index_get_serial (index) != self->index_serial ||
      !np_checkout_index_lookup (index, row_id, &slot))
    {
      reload_changed (self);
      return;
    }

  old_position = np_row_pager_find (&self->pager, slot);
  matches = np_checkout_index_matches (index, self->query, slot);

  if (old_position >= 0 && matches)
    {
      guint new_position = insertion_point (self, index, slot, old_position);

      if (new_position == (guint)old_position)
        {
          np_row_pager_replace (&self->pager, G_LIST_MODEL (self), old_position, 0);
        }
      else
        {
          np_row_pager_remove (&self->pager, G_LIST_MODEL (self), old_position);
          np_row_pager_insert (&self->pager, G_LIST_MODEL (self), new_position, slot, 0);
        }
    }
  else if (old_position >= 0)
    {
      np_row_pager_remove (&self->pager, G_LIST_MODEL (self), old_position);
    }
  else if (matches)
    {
      np_row_pager_insert (&self->pager, G_LIST_MODEL (self),
                           insertion_point (self, index, slot, -1), slot, 0);
    }

  notify_n_items (self, n_before);
}

static void
on_ledger_changed (NpCheckoutListModel *self,
                   NpLedgerTable        table,
                   gint64               account_id,
                   gint64               row_id,
                   NpLedger            *ledger)
{
  if (table != NP_LEDGER_TABLE_CHECKOUTS || account_id != self->account_id)
    return;

  if (row_id != 0)
    apply_row_change (self, row_id);
  else
    reload_changed (self);
}

static void
np_checkout_list_model_constructed (GObject *object)
{
  NpCheckoutListModel *self = (NpCheckoutListModel *)object;

  G_OBJECT_CLASS (np_checkout_list_model_parent_class)->constructed (object);

  g_return_if_fail (NP_IS_LEDGER (self->ledger));

  g_signal_connect_object (self->ledger, "changed",
                           G_CALLBACK (on_ledger_changed), self, G_CONNECT_SWAPPED);
  reload (self);
}

static void
np_checkout_list_model_dispose (GObject *object)
{
  NpCheckoutListModel *self = (NpCheckoutListModel *)object;

  g_clear_object (&self->ledger);

  G_OBJECT_CLASS (np_checkout_list_model_parent_class)->dispose (object);
}

static void
np_checkout_list_model_finalize (GObject *object)
{
  NpCheckoutListModel *self = (NpCheckoutListModel *)object;

  np_row_pager_clear (&self->pager);
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
    case PROP_LEDGER:
      g_value_set_object (value, self->ledger);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_int64 (value, self->account_id);
      break;
    case PROP_QUERY:
      g_value_set_boxed (value, self->query);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, np_row_pager_get_n_items (&self->pager));
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
    case PROP_LEDGER:
      self->ledger = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT_ID:
      np_checkout_list_model_set_account_id (self, g_value_get_int64 (value));
      break;
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

  object_class->constructed = np_checkout_list_model_constructed;
  object_class->dispose = np_checkout_list_model_dispose;
  object_class->finalize = np_checkout_list_model_finalize;
  object_class->get_property = np_checkout_list_model_get_property;
  object_class->set_property = np_checkout_list_model_set_property;

  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL,
                         NP_TYPE_LEDGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_int64 ("account-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_boxed ("query", NULL, NULL,
                        NP_TYPE_CHECKOUT_QUERY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_checkout_list_model_init (NpCheckoutListModel *self)
{
  self->query = np_checkout_query_new ();
  np_row_pager_init (&self->pager, fetch_rows, slot_changed, self);
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

NpLedger *
np_checkout_list_model_get_ledger (NpCheckoutListModel *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_LIST_MODEL (self), NULL);

  return self->ledger;
}

gint64
np_checkout_list_model_get_account_id (NpCheckoutListModel *self)
{
  g_return_val_if_fail (NP_IS_CHECKOUT_LIST_MODEL (self), 0);

  return self->account_id;
}

void
np_checkout_list_model_set_account_id (NpCheckoutListModel *self,
                                       gint64               account_id)
{
  g_return_if_fail (NP_IS_CHECKOUT_LIST_MODEL (self));

  if (self->account_id == account_id)
    return;

  self->account_id = account_id;
  /* During construction the ledger is not set yet: constructed () loads. */
  if (self->ledger != NULL)
    reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
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
  if (self->ledger != NULL)
    reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
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

  row = np_ledger_get_checkout_row (self->ledger, self->account_id, checkout_id, NULL);
  index = np_ledger_ensure_index (self->ledger, self->account_id, NULL);
  if (row == NULL || index == NULL ||
      !np_checkout_index_lookup (index, np_checkout_row_get_row_id (row), &slot))
    return -1;

  return np_row_pager_find (&self->pager, slot);
}
