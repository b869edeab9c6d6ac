/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customers-page.h — the Customers page of the main window. */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_CUSTOMERS_PAGE (np_customers_page_get_type ())
G_DECLARE_FINAL_TYPE (NpCustomersPage, np_customers_page, NP, CUSTOMERS_PAGE, AdwBin)

NpWorkspace *np_customers_page_get_workspace (NpCustomersPage *self);
void         np_customers_page_set_workspace (NpCustomersPage *self,
                                              NpWorkspace     *workspace);
/* Opens the customer's detail; an id the ledger does not know yet is looked up first. */
void         np_customers_page_show_customer (NpCustomersPage *self,
                                              const char      *customer_id);

G_END_DECLS
