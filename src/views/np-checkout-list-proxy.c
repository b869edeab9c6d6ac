/* np-checkout-list-proxy.c — the checkouts model as the column view should see it.
 *
 * GTK 4.8's list views, on items-changed (p, removed, added), look for the row
 * widgets they just released among *all* added items, fetching each one: a new
 * query over 100,000 checkouts then reads 100,000 rows from the ledger and the
 * keystroke freezes for a second or two (measured by test-checkouts-bench). Told
 * as a removal first and an insertion after, nothing is left to look for and the
 * view reads only the rows it shows. Small changes pass through unchanged, so a
 * refreshed row keeps its widget and selection.
 */
#include "config.h"

#include "np-checkout-list-proxy.h"
#include "np-checkout-row.h"

/* Changes smaller than this pass through as they are. */
#define SPLIT_THRESHOLD 64

struct _NpCheckoutListProxy
{
  GObject     parent_instance;

  GListModel *model;
  guint       hidden_position;  /* while telling a removal: the new items not shown yet */
  guint       hidden_count;
};

static GType
np_checkout_list_proxy_get_item_type (GListModel *list)
{
  return NP_TYPE_CHECKOUT_ROW;
}

static guint
np_checkout_list_proxy_get_n_items (GListModel *list)
{
  NpCheckoutListProxy *self = NP_CHECKOUT_LIST_PROXY (list);

  return g_list_model_get_n_items (self->model) - self->hidden_count;
}

static gpointer
np_checkout_list_proxy_get_item (GListModel *list,
                                 guint       position)
{
  NpCheckoutListProxy *self = NP_CHECKOUT_LIST_PROXY (list);

  if (self->hidden_count > 0 && position >= self->hidden_position)
    position += self->hidden_count;

  return g_list_model_get_item (self->model, position);
}

static void
np_checkout_list_proxy_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = np_checkout_list_proxy_get_item_type;
  iface->get_n_items = np_checkout_list_proxy_get_n_items;
  iface->get_item = np_checkout_list_proxy_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (NpCheckoutListProxy, np_checkout_list_proxy, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, np_checkout_list_proxy_list_model_init))

static void
on_items_changed (NpCheckoutListProxy *self,
                  guint                position,
                  guint                removed,
                  guint                added)
{
  if (removed == 0 || added == 0 || removed + added < SPLIT_THRESHOLD)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }

  self->hidden_position = position;
  self->hidden_count = added;
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, 0);
  self->hidden_count = 0;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, added);
}

NpCheckoutListProxy *
np_checkout_list_proxy_new (GListModel *model)
{
  NpCheckoutListProxy *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (NP_TYPE_CHECKOUT_LIST_PROXY, NULL);
  self->model = g_object_ref (model);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
  return self;
}

static void
np_checkout_list_proxy_dispose (GObject *object)
{
  NpCheckoutListProxy *self = NP_CHECKOUT_LIST_PROXY (object);

  g_clear_object (&self->model);

  G_OBJECT_CLASS (np_checkout_list_proxy_parent_class)->dispose (object);
}

static void
np_checkout_list_proxy_class_init (NpCheckoutListProxyClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = np_checkout_list_proxy_dispose;
}

static void
np_checkout_list_proxy_init (NpCheckoutListProxy *self)
{
}
