/* np-activity-page.h — the Activity page of the main window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NP_TYPE_ACTIVITY_PAGE (np_activity_page_get_type ())
G_DECLARE_FINAL_TYPE (NpActivityPage, np_activity_page, NP, ACTIVITY_PAGE, AdwBin)

G_END_DECLS
