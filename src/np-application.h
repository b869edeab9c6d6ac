/* np-application.h — the console's GApplication: app-wide actions, options, startup. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NP_TYPE_APPLICATION (np_application_get_type ())
G_DECLARE_FINAL_TYPE (NpApplication, np_application, NP, APPLICATION, AdwApplication)

NpApplication *np_application_new          (void);
GSettings     *np_application_get_settings (NpApplication *self);

G_END_DECLS
