/* np-checkout-list-proxy.c — the checkouts model as the list view should see it.
 *
 * GTK 4.8's list views treat items-changed (p, removed, added) over the rows on
 * show as new rows: they look for the released row widgets among *all* added
 * items, fetching each one (a new query over 100,000 checkouts read 100,000 rows
 * from the ledger), then destroy the ~200 row widgets they keep and create as many
 * again. A view reuses its row widgets only when they fall out of its visible
 * range, as in scrolling. So a large replacement is told in three steps: the new
 * items go in before the old ones (the view keeps showing the old ones, which
 * moved down), ::replacing asks the view to scroll to the new ones (its rows are
 * rebound to them, nothing is made or destroyed), and then the old items, no
 * longer on show, are removed. Small changes pass through unchanged, so a
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
  guint       stale_position;  /* while replacing: the old items, after the new ones */
  guint       stale_count;
};

enum {
  REPLACING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
np_checkout_list_proxy_get_item_type (GListModel *list)
{
  return NP_TYPE_CHECKOUT_ROW;
}

static guint
np_checkout_list_proxy_get_n_items (GListModel *list)
{
  NpCheckoutListProxy *self = NP_CHECKOUT_LIST_PROXY (list);

  return g_list_model_get_n_items (self->model) + self->stale_count;
}

static gpointer
np_checkout_list_proxy_get_item (GListModel *list,
                                 guint       position)
{
  NpCheckoutListProxy *self = NP_CHECKOUT_LIST_PROXY (list);

  if (self->stale_count > 0 && position >= self->stale_position)
    {
      /* The old items are gone from the model. A view holds those it shows;
       * should it ask for another, it gets an empty row of its own, bound and
       * removed before anything is drawn. */
      if (position < self->stale_position + self->stale_count)
        return g_object_new (NP_TYPE_CHECKOUT_ROW, NULL);

      position -= self->stale_count;
    }

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

  self->stale_position = position + added;
  self->stale_count = removed;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, added);
  g_signal_emit (self, signals[REPLACING], 0, position);
  self->stale_count = 0;
  g_list_model_items_changed (G_LIST_MODEL (self), position + added, removed, 0);
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

  /**
   * NpCheckoutListProxy::replacing:
   * @position: where the new items start
   *
   * Halfway through a large replacement, the new items in place before the old
   * ones: a view scrolls to @position now to rebind its rows to the new items.
   */
  signals[REPLACING] =
    g_signal_new ("replacing", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
np_checkout_list_proxy_init (NpCheckoutListProxy *self)
{
}
