/* np-customer-list-model.c — a GListModel of one account's customers for a query.
 *
 * Customers are few next to checkouts, so the query runs in SQL (a scan of the
 * folded search_text) and NpRowPager turns the new result into the smallest
 * items-changed. Rows carry their checkouts' totals, so a checkout change
 * re-reads the rows on screen.
 */
#include "np-customer-list-model.h"
#include "np-ledger-private.h"
#include "np-row-pager.h"

struct _NpCustomerListModel
{
  GObject          parent_instance;

  NpLedger        *ledger;
  gint64           account_id;
  NpCustomerQuery *query;
  NpRowPager       pager;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NpCustomerListModel, np_customer_list_model, G_TYPE_OBJECT,
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
np_customer_list_model_get_item_type (GListModel *model)
{
  return NP_TYPE_CUSTOMER_ROW;
}

static guint
np_customer_list_model_get_n_items (GListModel *model)
{
  return np_row_pager_get_n_items (&NP_CUSTOMER_LIST_MODEL (model)->pager);
}

static gpointer
np_customer_list_model_get_item (GListModel *model,
                                 guint       position)
{
  return np_row_pager_get_item (&NP_CUSTOMER_LIST_MODEL (model)->pager, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = np_customer_list_model_get_item_type;
  iface->get_n_items = np_customer_list_model_get_n_items;
  iface->get_item = np_customer_list_model_get_item;
}

static GPtrArray *
fetch_rows (gpointer       user_data,
            const gint64  *row_ids,
            guint          n_row_ids,
            GError       **error)
{
  NpCustomerListModel *self = user_data;

  return np_ledger_fetch_customer_rows (self->ledger, row_ids, n_row_ids, error);
}

static void
notify_n_items (NpCustomerListModel *self,
                guint                n_before)
{
  if (np_row_pager_get_n_items (&self->pager) != n_before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
reload (NpCustomerListModel *self)
{
  g_autoptr(GError) error = NULL;
  GArray *row_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *revisions = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint n_before = np_row_pager_get_n_items (&self->pager);

  if (self->ledger != NULL && self->account_id != 0 &&
      !np_ledger_query_customer_row_ids (self->ledger, self->account_id, self->query,
                                         row_ids, revisions, &error))
    {
      /* An empty list is the honest state of a ledger we cannot read. */
      g_warning ("Listing customers: %s", error->message);
      g_array_set_size (row_ids, 0);
      g_array_set_size (revisions, 0);
    }

  np_row_pager_update (&self->pager, G_LIST_MODEL (self), row_ids, revisions);
  notify_n_items (self, n_before);
}

static void
on_ledger_changed (NpCustomerListModel *self,
                   NpLedgerTable        table,
                   gint64               account_id,
                   gint64               row_id,
                   NpLedger            *ledger)
{
  if (account_id != self->account_id)
    return;

  if (table == NP_LEDGER_TABLE_CUSTOMERS)
    reload (self);
  else if (table == NP_LEDGER_TABLE_CHECKOUTS)
    np_row_pager_reload_cached (&self->pager, G_LIST_MODEL (self));
}

static void
np_customer_list_model_constructed (GObject *object)
{
  NpCustomerListModel *self = (NpCustomerListModel *)object;

  G_OBJECT_CLASS (np_customer_list_model_parent_class)->constructed (object);

  g_return_if_fail (NP_IS_LEDGER (self->ledger));

  g_signal_connect_object (self->ledger, "changed",
                           G_CALLBACK (on_ledger_changed), self, G_CONNECT_SWAPPED);
  reload (self);
}

static void
np_customer_list_model_dispose (GObject *object)
{
  NpCustomerListModel *self = (NpCustomerListModel *)object;

  g_clear_object (&self->ledger);

  G_OBJECT_CLASS (np_customer_list_model_parent_class)->dispose (object);
}

static void
np_customer_list_model_finalize (GObject *object)
{
  NpCustomerListModel *self = (NpCustomerListModel *)object;

  np_row_pager_clear (&self->pager);
  g_clear_pointer (&self->query, np_customer_query_free);

  G_OBJECT_CLASS (np_customer_list_model_parent_class)->finalize (object);
}

static void
np_customer_list_model_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  NpCustomerListModel *self = NP_CUSTOMER_LIST_MODEL (object);

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
np_customer_list_model_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  NpCustomerListModel *self = NP_CUSTOMER_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_LEDGER:
      self->ledger = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT_ID:
      np_customer_list_model_set_account_id (self, g_value_get_int64 (value));
      break;
    case PROP_QUERY:
      np_customer_list_model_set_query (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_customer_list_model_class_init (NpCustomerListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = np_customer_list_model_constructed;
  object_class->dispose = np_customer_list_model_dispose;
  object_class->finalize = np_customer_list_model_finalize;
  object_class->get_property = np_customer_list_model_get_property;
  object_class->set_property = np_customer_list_model_set_property;

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
                        NP_TYPE_CUSTOMER_QUERY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_customer_list_model_init (NpCustomerListModel *self)
{
  self->query = np_customer_query_new ();
  np_row_pager_init (&self->pager, fetch_rows, NULL, self);
}

NpCustomerListModel *
np_customer_list_model_new (NpLedger              *ledger,
                            gint64                 account_id,
                            const NpCustomerQuery *query)
{
  g_return_val_if_fail (NP_IS_LEDGER (ledger), NULL);

  return g_object_new (NP_TYPE_CUSTOMER_LIST_MODEL,
                       "ledger", ledger,
                       "account-id", account_id,
                       "query", query,
                       NULL);
}

NpLedger *
np_customer_list_model_get_ledger (NpCustomerListModel *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_LIST_MODEL (self), NULL);

  return self->ledger;
}

gint64
np_customer_list_model_get_account_id (NpCustomerListModel *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_LIST_MODEL (self), 0);

  return self->account_id;
}

void
np_customer_list_model_set_account_id (NpCustomerListModel *self,
                                       gint64               account_id)
{
  g_return_if_fail (NP_IS_CUSTOMER_LIST_MODEL (self));

  if (self->account_id == account_id)
    return;

  self->account_id = account_id;
  /* During construction the ledger is not set yet: constructed () loads. */
  if (self->ledger != NULL)
    reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
}

const NpCustomerQuery *
np_customer_list_model_get_query (NpCustomerListModel *self)
{
  g_return_val_if_fail (NP_IS_CUSTOMER_LIST_MODEL (self), NULL);

  return self->query;
}

void
np_customer_list_model_set_query (NpCustomerListModel   *self,
                                  const NpCustomerQuery *query)
{
  g_autoptr(NpCustomerQuery) everything = NULL;

  g_return_if_fail (NP_IS_CUSTOMER_LIST_MODEL (self));

  if (query == NULL)
    query = everything = np_customer_query_new ();

  if (np_customer_query_equal (self->query, query))
    return;

  np_customer_query_free (self->query);
  self->query = np_customer_query_copy (query);
  if (self->ledger != NULL)
    reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}
