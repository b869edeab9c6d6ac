/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-libpq-loader.h — libpq loaded on the team ledger's first call: see np-libpq-loader.c. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean np_libpq_is_loaded (void);

G_END_DECLS
