/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-check.h — is a ledger file sound, without opening it as a ledger?
 *
 * np_ledger_open () migrates and recovers (pending journal rows become UNKNOWN);
 * a check after a crash must look at the file as the crash left it, so this opens
 * its own read-only connection.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs PRAGMA integrity_check on the SQLite file at @path (read-only). TRUE when
 * SQLite answers "ok"; otherwise FALSE with NP_LEDGER_ERROR_CORRUPT and SQLite's
 * first complaint, or NP_LEDGER_ERROR_OPEN when the file cannot be opened. */
gboolean np_ledger_check_integrity (const char  *path,
                                    GError     **error);

G_END_DECLS
