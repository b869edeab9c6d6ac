/* np-customers-page.h — the Customers page of the main window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NP_TYPE_CUSTOMERS_PAGE (np_customers_page_get_type ())
G_DECLARE_FINAL_TYPE (NpCustomersPage, np_customers_page, NP, CUSTOMERS_PAGE, AdwBin)

void np_customers_page_show_customer (NpCustomersPage *self,
                                      const char      *customer_id);

G_END_DECLS
