/* np-checkouts-page.h — the Checkouts page of the main window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUTS_PAGE (np_checkouts_page_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutsPage, np_checkouts_page, NP, CHECKOUTS_PAGE, AdwBin)

G_END_DECLS
