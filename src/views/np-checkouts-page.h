/* np-checkouts-page.h — the Checkouts page of the main window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUTS_PAGE (np_checkouts_page_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutsPage, np_checkouts_page, NP, CHECKOUTS_PAGE, AdwBin)

void np_checkouts_page_show_checkout (NpCheckoutsPage *self,
                                      const char      *checkout_id);
void np_checkouts_page_new_checkout (NpCheckoutsPage *self,
                                     const char      *customer_id,
                                     const char      *card_id);

G_END_DECLS
