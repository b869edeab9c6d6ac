/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-customer-detail.h — one customer: contact, client page, saved cards, checkouts, journal. */
#pragma once

#include <adwaita.h>

#include "np-workspace.h"

G_BEGIN_DECLS

#define NP_TYPE_CUSTOMER_DETAIL (np_customer_detail_get_type ())
G_DECLARE_FINAL_TYPE (NpCustomerDetail, np_customer_detail, NP, CUSTOMER_DETAIL, AdwBin)

NpWorkspace *np_customer_detail_get_workspace   (NpCustomerDetail *self);
void         np_customer_detail_set_workspace   (NpCustomerDetail *self,
                                                 NpWorkspace      *workspace);
const char  *np_customer_detail_get_customer_id (NpCustomerDetail *self);
/* Shows what the ledger knows of @customer_id (NULL: nothing). */
void         np_customer_detail_set_customer_id (NpCustomerDetail *self,
                                                 const char       *customer_id);

G_END_DECLS
