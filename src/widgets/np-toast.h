/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-toast.h — toasts that show their text as written.
 *
 * libadwaita 1.2 parses every toast title as Pango markup, and a toast's text is
 * often the server's (an error message, an id, a name): "&" or "<" in it would
 * be lost or taken as markup. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast *np_toast_new (const char *text);

G_END_DECLS
