/* np-overview-page.h — the Overview page of the main window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NP_TYPE_OVERVIEW_PAGE (np_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (NpOverviewPage, np_overview_page, NP, OVERVIEW_PAGE, AdwBin)

G_END_DECLS
