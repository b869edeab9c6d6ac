/* np-checkout-list-proxy.h — the checkouts model as the list view should see it. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_LIST_PROXY (np_checkout_list_proxy_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutListProxy, np_checkout_list_proxy, NP, CHECKOUT_LIST_PROXY, GObject)

/* Forwards @model's items. A large replacement (a new query) is told in three
 * steps: the new items inserted before the old ones, ::replacing (a view moves to
 * the new items then), the old items removed. */
NpCheckoutListProxy *np_checkout_list_proxy_new (GListModel *model);

G_END_DECLS
