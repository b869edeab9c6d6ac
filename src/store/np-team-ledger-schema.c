/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-team-ledger-schema.c — creating, migrating and checking the team ledger's schema.
 *
 * The migrations are the "-- @migration N" sections of data/team-ledger.sql,
 * compiled in as a resource: the file a database administrator runs by hand and
 * what a desk runs are the same text. Each migration runs in a transaction of
 * its own under an advisory lock, so two desks starting at once migrate once.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "np-team-ledger-private.h"
#include "np-team-ledger-resources.h"

#define MIGRATION_MARK "-- @migration "
#define MIGRATION_LOCK "7310513"

GPtrArray *
np_team_schema_dup_migrations (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) migrations = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;
  GString *current = NULL;

  bytes = g_resource_lookup_data (np_team_ledger_get_resource (),
                                  "/tech/paiwise/NeuroPayConsole/team/team-ledger.sql",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (bytes != NULL);
  lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], MIGRATION_MARK))
        {
          guint64 version = g_ascii_strtoull (lines[i] + strlen (MIGRATION_MARK), NULL, 10);

          /* The sections are numbered 1, 2, 3... in order; anything else is a build mistake. */
          if (version != migrations->len + 1 + (current != NULL ? 1 : 0))
            g_error ("team-ledger.sql: migration %" G_GUINT64_FORMAT " out of order", version);
          if (current != NULL)
            g_ptr_array_add (migrations, g_strchomp (g_string_free (current, FALSE)));
          current = g_string_new (NULL);
        }
      else if (current != NULL)
        {
          g_string_append (current, lines[i]);
          g_string_append_c (current, '\n');
        }
    }
  if (current != NULL)
    g_ptr_array_add (migrations, g_strchomp (g_string_free (current, FALSE)));

  return g_steal_pointer (&migrations);
}

/* The version recorded in np_team.schema_version, 0 when there is none; -1 on error. */
static int
read_version (NpTeamConnection  *connection,
              GCancellable      *cancellable,
              GError           **error)
{
  PGresult *result;
  int version = 0;

  result = np_team_connection_exec (connection, cancellable,
      "SELECT to_regclass ('np_team.schema_version') IS NOT NULL", 0, NULL, error);
  if (result == NULL)
    return -1;
  if (PQgetvalue (result, 0, 0)[0] != 't')
    {
      PQclear (result);
      return 0;
    }
  PQclear (result);

  result = np_team_connection_exec (connection, cancellable,
      "SELECT coalesce (max (version), 0) FROM np_team.schema_version", 0, NULL, error);
  if (result == NULL)
    return -1;
  version = atoi (PQgetvalue (result, 0, 0));
  PQclear (result);
  return version;
}

static void
explain_permission (GError **error)
{
  g_autofree char *server = g_strdup ((*error)->message);

  g_clear_error (error);
  g_set_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_PERMISSION,
               _("This role may not read or create the team ledger: ask the database administrator to run team-ledger.sql and grant it np_desk. (%s)"),
               server);
}

/* Runs migration @version in its own transaction, unless another desk did it first. */
static gboolean
migrate_to (NpTeamConnection  *connection,
            int                version,
            const char        *sql,
            GCancellable      *cancellable,
            GError           **error)
{
  int current;

  if (!np_team_connection_run (connection, cancellable, "BEGIN", 0, NULL, error))
    return FALSE;
  if (!np_team_connection_run (connection, cancellable, "SELECT pg_advisory_xact_lock (" MIGRATION_LOCK ")", 0, NULL, error))
    goto failed;
  current = read_version (connection, cancellable, error);
  if (current < 0)
    goto failed;
  if (current < version && !np_team_connection_run (connection, cancellable, sql, -1, NULL, error))
    goto failed;
  if (!np_team_connection_run (connection, cancellable, "COMMIT", 0, NULL, error))
    goto failed;
  return TRUE;

failed:
  if (connection->conn != NULL)
    np_team_connection_run (connection, NULL, "ROLLBACK", 0, NULL, NULL);
  return FALSE;
}

/* The rights a desk uses, as "what: ok" pairs. */
static const char *rights_sql =
  "SELECT array_to_string (ARRAY ("
  "  SELECT what FROM (VALUES"
  "   ('SELECT, INSERT on np_team.journal', has_table_privilege ('np_team.journal', 'SELECT, INSERT')),"
  "   ('UPDATE (state, error_text, object_id) on np_team.journal',"
  "     has_column_privilege ('np_team.journal', 'state', 'UPDATE')"
  "     AND has_column_privilege ('np_team.journal', 'error_text', 'UPDATE')"
  "     AND has_column_privilege ('np_team.journal', 'object_id', 'UPDATE')),"
  "   ('UPDATE (chain_seq, prev_hash, row_hash) on np_team.journal',"
  "     has_column_privilege ('np_team.journal', 'chain_seq', 'UPDATE')"
  "     AND has_column_privilege ('np_team.journal', 'prev_hash', 'UPDATE')"
  "     AND has_column_privilege ('np_team.journal', 'row_hash', 'UPDATE')),"
  "   ('INSERT, UPDATE on np_team.desk_leases', has_table_privilege ('np_team.desk_leases', 'SELECT, INSERT')"
  "     AND has_column_privilege ('np_team.desk_leases', 'expires', 'UPDATE')),"
  "   ('INSERT, UPDATE on np_team.checkouts', has_table_privilege ('np_team.checkouts', 'SELECT, INSERT')"
  "     AND has_column_privilege ('np_team.checkouts', 'json', 'UPDATE')),"
  "   ('INSERT, UPDATE on np_team.customers', has_table_privilege ('np_team.customers', 'SELECT, INSERT')"
  "     AND has_column_privilege ('np_team.customers', 'json', 'UPDATE')),"
  "   ('INSERT, UPDATE on np_team.accounts', has_table_privilege ('np_team.accounts', 'SELECT, INSERT')"
  "     AND has_column_privilege ('np_team.accounts', 'name', 'UPDATE')),"
  "   ('INSERT on np_team.settlements', has_table_privilege ('np_team.settlements', 'SELECT, INSERT')),"
  "   ('SELECT on np_team.ledger_info', has_table_privilege ('np_team.ledger_info', 'SELECT'))"
  "  ) AS rights (what, ok) WHERE NOT ok), ', ')";

static gboolean
check_rights (NpTeamConnection  *connection,
              GCancellable      *cancellable,
              GError           **error)
{
  PGresult *result;
  const char *missing;
  gboolean ok;

  result = np_team_connection_exec (connection, cancellable,
      "SELECT has_schema_privilege ('np_team', 'USAGE')", 0, NULL, error);
  if (result == NULL)
    return FALSE;
  ok = PQgetvalue (result, 0, 0)[0] == 't';
  PQclear (result);
  if (!ok)
    {
      g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_PERMISSION,
                           _("This role may not use the team ledger's schema (np_team): ask the database administrator to grant it np_desk."));
      return FALSE;
    }

  result = np_team_connection_exec (connection, cancellable, rights_sql, 0, NULL, error);
  if (result == NULL)
    return FALSE;
  missing = PQgetvalue (result, 0, 0);
  ok = *missing == '\0';
  if (!ok)
    g_set_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_PERMISSION,
                 _("This role lacks rights a desk needs: %s. Ask the database administrator to grant it np_desk."),
                 missing);
  PQclear (result);
  return ok;
}

int
np_team_schema_ensure (NpTeamConnection  *connection,
                       gboolean           may_create,
                       GCancellable      *cancellable,
                       GError           **error)
{
  g_autoptr(GPtrArray) migrations = np_team_schema_dup_migrations ();
  int known = (int) migrations->len;
  int version;

  g_assert (known == NP_TEAM_LEDGER_SCHEMA_VERSION);

  version = read_version (connection, cancellable, error);
  if (version < 0)
    {
      if (g_error_matches (*error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_PERMISSION))
        explain_permission (error);
      return 0;
    }

  if (version > known)
    {
      g_set_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_SCHEMA_TOO_NEW,
                   _("The team ledger was made by a newer console (schema version %d; this one knows up to %d). Update the console on this desk."),
                   version, known);
      return 0;
    }

  if (version < known && !may_create)
    {
      if (version == 0)
        g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NO_SCHEMA,
                             _("This database holds no team ledger yet."));
      else
        g_set_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NO_SCHEMA,
                     _("The team ledger's schema (version %d) needs updating to version %d."), version, known);
      return 0;
    }

  for (int next = version + 1; next <= known; next++)
    if (!migrate_to (connection, next, migrations->pdata[next - 1], cancellable, error))
      {
        if (g_error_matches (*error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_PERMISSION))
          explain_permission (error);
        else if ((*error)->domain == NP_TEAM_LEDGER_ERROR &&
                 (*error)->code == NP_TEAM_LEDGER_ERROR_QUERY)
          {
            g_autofree char *server = g_strdup ((*error)->message);

            g_clear_error (error);
            g_set_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_MIGRATION,
                         _("Migrating the team ledger to version %d failed; nothing changed. (%s)"), next, server);
          }
        return 0;
      }

  if (!check_rights (connection, cancellable, error))
    return 0;

  return known;
}

char *
np_team_schema_dup_ledger_id (NpTeamConnection  *connection,
                              GCancellable      *cancellable,
                              GError           **error)
{
  PGresult *result;
  char *id = NULL;

  result = np_team_connection_exec (connection, cancellable,
      "SELECT id FROM np_team.ledger_info", 0, NULL, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 1 && g_uuid_string_is_valid (PQgetvalue (result, 0, 0)))
    id = g_strdup (PQgetvalue (result, 0, 0));
  else
    g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NO_SCHEMA,
                         _("The team ledger has lost its id (np_team.ledger_info): ask the database administrator to restore it."));
  PQclear (result);
  return id;
}
