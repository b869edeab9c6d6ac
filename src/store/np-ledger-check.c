/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-ledger-check.c — see np-ledger-check.h. */
#include "config.h"

#include <sqlite3.h>

#include "np-ledger.h"
#include "np-ledger-check.h"

gboolean
np_ledger_check_integrity (const char  *path,
                           GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (path != NULL, FALSE);

  /* Read-only, but not immutable: a WAL left by a killed writer must be read,
   * since committed rows may live only there. */
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_OPEN, "Cannot open %s: %s",
                   path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_busy_timeout (db, 5000);

  rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      const char *answer = (const char *) sqlite3_column_text (stmt, 0);

      ok = g_strcmp0 (answer, "ok") == 0;
      if (!ok)
        g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CORRUPT, "%s is damaged: %s",
                     path, answer != NULL ? answer : "no answer");
    }
  else
    g_set_error (error, NP_LEDGER_ERROR, NP_LEDGER_ERROR_CORRUPT, "Cannot check %s: %s",
                 path, sqlite3_errmsg (db));

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok;
}
