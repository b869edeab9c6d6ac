/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-toast.c — toasts that show their text as written. */
#include "config.h"

#include "np-toast.h"

AdwToast *
np_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  return adw_toast_new (escaped);
}
