/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-bin-page.h — for a page that is an AdwBin whose child is also a child of its
 * template (the checkouts, customers, overview and activity pages, the checkout
 * detail): the one right order to take it apart. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Disposes @bin's template of @type (as gtk_widget_dispose_template ()), after
 * the bin has dropped its child, so that child is not unparented twice. */
void np_bin_page_dispose_template (AdwBin *bin,
                                   GType   type);

G_END_DECLS
