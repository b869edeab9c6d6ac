/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-list-model.c — what the ledger's list models share: the GListModel
 * over NpRowPager, the ledger and account, and following NpLedger::changed. */
#include "np-ledger-list-model-private.h"

typedef struct
{
  NpLedger   *ledger;
  gint64      account_id;
  NpRowPager  pager;
  gboolean    constructed;
} NpLedgerListModelPrivate;

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (NpLedgerListModel, np_ledger_list_model, G_TYPE_OBJECT,
                                  G_ADD_PRIVATE (NpLedgerListModel)
                                  G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LEDGER,
  PROP_ACCOUNT_ID,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
np_ledger_list_model_get_item_type (GListModel *model)
{
  return NP_LEDGER_LIST_MODEL_GET_CLASS (model)->item_type;
}

static guint
np_ledger_list_model_get_n_items (GListModel *model)
{
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (NP_LEDGER_LIST_MODEL (model));

  return np_row_pager_get_n_items (&priv->pager);
}

static gpointer
np_ledger_list_model_get_item (GListModel *model,
                               guint       position)
{
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (NP_LEDGER_LIST_MODEL (model));

  return np_row_pager_get_item (&priv->pager, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = np_ledger_list_model_get_item_type;
  iface->get_n_items = np_ledger_list_model_get_n_items;
  iface->get_item = np_ledger_list_model_get_item;
}

static GPtrArray *
fetch_rows (gpointer       user_data,
            const gint64  *keys,
            guint          n_keys,
            GError       **error)
{
  return NP_LEDGER_LIST_MODEL_GET_CLASS (user_data)->fetch (user_data, keys, n_keys, error);
}

static gboolean
key_changed (gpointer user_data,
             gint64   key)
{
  return NP_LEDGER_LIST_MODEL_GET_CLASS (user_data)->key_changed (user_data, key);
}

NpRowPager *
np_ledger_list_model_get_pager (NpLedgerListModel *self)
{
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (self);

  return &priv->pager;
}

void
np_ledger_list_model_reload (NpLedgerListModel *self)
{
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (self);
  guint n_before;

  /* Construct properties arrive one by one: load once, when all are set. */
  if (!priv->constructed)
    return;

  n_before = np_row_pager_get_n_items (&priv->pager);
  NP_LEDGER_LIST_MODEL_GET_CLASS (self)->reload (self);

  if (np_row_pager_get_n_items (&priv->pager) != n_before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
np_ledger_list_model_real_ledger_changed (NpLedgerListModel *self,
                                          NpLedgerTable      table,
                                          gint64             row_id)
{
  NP_LEDGER_LIST_MODEL_GET_CLASS (self)->reload (self);
}

static void
on_ledger_changed (NpLedgerListModel *self,
                   NpLedgerTable      table,
                   gint64             account_id,
                   gint64             row_id,
                   NpLedger          *ledger)
{
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (self);
  guint n_before = np_row_pager_get_n_items (&priv->pager);

  if (account_id != priv->account_id || table == NP_LEDGER_TABLE_ACCOUNTS)
    return;

  NP_LEDGER_LIST_MODEL_GET_CLASS (self)->ledger_changed (self, table, row_id);

  if (np_row_pager_get_n_items (&priv->pager) != n_before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
np_ledger_list_model_constructed (GObject *object)
{
  NpLedgerListModel *self = (NpLedgerListModel *)object;
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (self);
  NpLedgerListModelClass *klass = NP_LEDGER_LIST_MODEL_GET_CLASS (self);

  G_OBJECT_CLASS (np_ledger_list_model_parent_class)->constructed (object);

  g_return_if_fail (NP_IS_LEDGER (priv->ledger));

  np_row_pager_init (&priv->pager, fetch_rows, klass->key_changed ? key_changed : NULL, self);
  g_signal_connect_object (priv->ledger, "changed",
                           G_CALLBACK (on_ledger_changed), self, G_CONNECT_SWAPPED);

  priv->constructed = TRUE;
  np_ledger_list_model_reload (self);
}

static void
np_ledger_list_model_dispose (GObject *object)
{
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (NP_LEDGER_LIST_MODEL (object));

  g_clear_object (&priv->ledger);

  G_OBJECT_CLASS (np_ledger_list_model_parent_class)->dispose (object);
}

static void
np_ledger_list_model_finalize (GObject *object)
{
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (NP_LEDGER_LIST_MODEL (object));

  if (priv->constructed)
    np_row_pager_clear (&priv->pager);

  G_OBJECT_CLASS (np_ledger_list_model_parent_class)->finalize (object);
}

static void
np_ledger_list_model_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  NpLedgerListModel *self = NP_LEDGER_LIST_MODEL (object);
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_LEDGER:
      g_value_set_object (value, priv->ledger);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_int64 (value, priv->account_id);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, priv->constructed ? np_row_pager_get_n_items (&priv->pager) : 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_ledger_list_model_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  NpLedgerListModel *self = NP_LEDGER_LIST_MODEL (object);
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_LEDGER:
      priv->ledger = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT_ID:
      np_ledger_list_model_set_account_id (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_ledger_list_model_class_init (NpLedgerListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = np_ledger_list_model_constructed;
  object_class->dispose = np_ledger_list_model_dispose;
  object_class->finalize = np_ledger_list_model_finalize;
  object_class->get_property = np_ledger_list_model_get_property;
  object_class->set_property = np_ledger_list_model_set_property;

  klass->item_type = G_TYPE_OBJECT;
  klass->ledger_changed = np_ledger_list_model_real_ledger_changed;

  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL,
                         NP_TYPE_LEDGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_int64 ("account-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_ledger_list_model_init (NpLedgerListModel *self)
{
}

NpLedger *
np_ledger_list_model_get_ledger (NpLedgerListModel *self)
{
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (self);

  g_return_val_if_fail (NP_IS_LEDGER_LIST_MODEL (self), NULL);

  return priv->ledger;
}

gint64
np_ledger_list_model_get_account_id (NpLedgerListModel *self)
{
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (self);

  g_return_val_if_fail (NP_IS_LEDGER_LIST_MODEL (self), 0);

  return priv->account_id;
}

void
np_ledger_list_model_set_account_id (NpLedgerListModel *self,
                                     gint64             account_id)
{
  NpLedgerListModelPrivate *priv = np_ledger_list_model_get_instance_private (self);

  g_return_if_fail (NP_IS_LEDGER_LIST_MODEL (self));

  if (priv->account_id == account_id)
    return;

  priv->account_id = account_id;
  np_ledger_list_model_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
}
