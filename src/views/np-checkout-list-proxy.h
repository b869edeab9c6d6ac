/* np-checkout-list-proxy.h — the checkouts model as the column view should see it. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_LIST_PROXY (np_checkout_list_proxy_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutListProxy, np_checkout_list_proxy, NP, CHECKOUT_LIST_PROXY, GObject)

/* Forwards @model's items; a large replacement (a new query) is told as a removal
 * and then an insertion. */
NpCheckoutListProxy *np_checkout_list_proxy_new (GListModel *model);

G_END_DECLS
