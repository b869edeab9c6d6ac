/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer-list-model.c — a GListModel of one account's customers for a query.
 *
 * Customers are few next to checkouts, so the query runs in SQL (a scan of the
 * folded search_text) and NpRowPager turns the new result, with each row's
 * revision, into the smallest items-changed.
 */
#include "np-customer-list-model.h"
#include "np-ledger-list-model-private.h"
#include "np-ledger-private.h"

struct _NpCustomerListModel
{
  NpLedgerListModel  parent_instance;

  NpCustomerQuery    *query;
};

G_DEFINE_FINAL_TYPE (NpCustomerListModel, np_customer_list_model, NP_TYPE_LEDGER_LIST_MODEL)

enum {
  PROP_0,
  PROP_QUERY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GPtrArray *
np_customer_list_model_fetch (NpLedgerListModel  *model,
                              const gint64       *keys,
                              guint               n_keys,
                              GError            **error)
{
  return np_ledger_fetch_customer_rows (np_ledger_list_model_get_ledger (model), keys, n_keys, error);
}

static void
np_customer_list_model_reload (NpLedgerListModel *model)
{
  g_autoptr(GError) error = NULL;
  GArray *row_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *revisions = g_array_new (FALSE, FALSE, sizeof (guint64));
  gint64 account_id = np_ledger_list_model_get_account_id (model);

  if (account_id != 0 &&
      !np_ledger_query_customer_row_ids (np_ledger_list_model_get_ledger (model), account_id,
                                         NP_CUSTOMER_LIST_MODEL (model)->query, row_ids, revisions, &error))
    {
      /* An empty list is the honest state of a ledger we cannot read. */
      g_warning ("Listing customers: %s", error->message);
      g_array_set_size (row_ids, 0);
      g_array_set_size (revisions, 0);
    }

  np_row_pager_update (np_ledger_list_model_get_pager (model), G_LIST_MODEL (model), row_ids, revisions);
}

/* Rows carry their checkouts' totals: a checkout change re-reads the rows on
 * screen, which are the cached ones. */
static void
np_customer_list_model_ledger_changed (NpLedgerListModel *model,
                                       NpLedgerTable      table,
                                       gint64             row_id)
{
  if (table == NP_LEDGER_TABLE_CUSTOMERS)
    np_customer_list_model_reload (model);
  else if (table == NP_LEDGER_TABLE_CHECKOUTS)
    np_row_pager_reload_cached (np_ledger_list_model_get_pager (model), G_LIST_MODEL (model));
}

static void
np_customer_list_model_finalize (GObject *object)
{
  NpCustomerListModel *self = (NpCustomerListModel *)object;

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
    case PROP_QUERY:
      g_value_set_boxed (value, self->query);
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
  NpLedgerListModelClass *model_class = NP_LEDGER_LIST_MODEL_CLASS (klass);

  object_class->finalize = np_customer_list_model_finalize;
  object_class->get_property = np_customer_list_model_get_property;
  object_class->set_property = np_customer_list_model_set_property;

  model_class->item_type = NP_TYPE_CUSTOMER_ROW;
  model_class->reload = np_customer_list_model_reload;
  model_class->ledger_changed = np_customer_list_model_ledger_changed;
  model_class->fetch = np_customer_list_model_fetch;

  properties[PROP_QUERY] =
    g_param_spec_boxed ("query", NULL, NULL,
                        NP_TYPE_CUSTOMER_QUERY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_customer_list_model_init (NpCustomerListModel *self)
{
  self->query = np_customer_query_new ();
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
  np_ledger_list_model_reload (NP_LEDGER_LIST_MODEL (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}
