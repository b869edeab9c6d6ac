/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-bin-page.c — taking apart a page that is an AdwBin around a template child. */
#include "config.h"

#include "np-bin-page.h"

void
np_bin_page_dispose_template (AdwBin *bin,
                              GType   type)
{
  g_return_if_fail (ADW_IS_BIN (bin));

  /* The bin's child is a bound template child: the bin lets go of it first,
   * then the template disposes it once. */
  adw_bin_set_child (bin, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (bin), type);
}
