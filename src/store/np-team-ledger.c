/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-team-ledger.c — NpTeamLedger: the worker thread, connecting, and the calls.
 *
 * One worker thread owns the PGconn. Each call is a GTask whose task data is a
 * job; the worker runs jobs one at a time, in the order they were queued, and
 * returns their results to the caller's main context. Inside a job, libpq runs
 * non-blocking and the worker polls the socket together with the job's
 * GCancellable, so a cancel reaches the server (PQcancel) instead of waiting for
 * the statement to end.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "np-money.h"
#include "np-team-ledger-private.h"

#define CONNECT_TIMEOUT_US (15 * G_USEC_PER_SEC)
#define MINIMUM_SERVER_VERSION 130000

G_DEFINE_QUARK (np-team-ledger-error-quark, np_team_ledger_error)

/* The worker: shared by the object and its thread, freed by whichever lets go last. */
typedef struct
{
  GAsyncQueue      *queue;     /* of GTask*; the stop mark ends the thread */
  GThread          *thread;
  NpTeamConnection  connection;
} Worker;

static int stop_mark;
#define STOP_MARK ((gpointer) &stop_mark)

typedef struct _Job Job;
typedef void (*JobFunc) (NpTeamConnection *connection,
                         GTask            *task,
                         Job              *job,
                         GCancellable     *cancellable);

/* Every job's arguments, copied at the call: the worker reads nothing else. */
struct _Job
{
  JobFunc             run;
  char               *text[6];
  gint64              number[3];
  JsonObject         *json;
  GPtrArray          *rows;      /* of char*: id, JSON text, id, JSON text… */
  NpJournalOperation  operation;
  NpJournalState      state;
  NpTeamChainReport   chain;     /* verify_chain's result */
  GArray             *changes;   /* of gint64: the change numbers a bulk upsert wrote */
};

struct _NpTeamLedger
{
  GObject      parent_instance;

  char        *desk_name;
  char        *os_user;
  char        *host;
  char        *lease_id;
  char        *ledger_id;    /* np_team.ledger_info's, once the schema is ensured */
  guint        lease_seconds;
  int          minimum_server_version;

  Worker      *worker;
  guint        renew_id;
  GCancellable *renew_cancellable;
};

G_DEFINE_TYPE (NpTeamLedger, np_team_ledger, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DESK_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
np_team_change_free (NpTeamChange *change)
{
  if (change == NULL)
    return;
  g_free (change->account_id);
  g_free (change->key);
  g_free (change->row);
  g_free (change->json);
  g_free (change);
}

/* Jobs */

static void
job_free (Job *job)
{
  for (guint i = 0; i < G_N_ELEMENTS (job->text); i++)
    {
      /* The password travels in a job: wipe it, not only free it. */
      if (job->text[i] != NULL)
        explicit_bzero (job->text[i], strlen (job->text[i]));
      g_free (job->text[i]);
    }
  g_clear_pointer (&job->json, json_object_unref);
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_clear_pointer (&job->changes, g_array_unref);
  np_team_chain_report_clear (&job->chain);
  g_free (job);
}

static Job *
job_new (JobFunc run)
{
  Job *job = g_new0 (Job, 1);

  job->run = run;
  return job;
}

static void
worker_release (Worker *worker)
{
  g_clear_pointer (&worker->connection.conn, PQfinish);
  g_free (worker->connection.lease_id);
  g_free (worker->connection.desk_name);
  g_free (worker->connection.os_user);
  g_free (worker->connection.host);
  g_async_queue_unref (worker->queue);
}

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;
  GTask *task;

  while ((task = g_async_queue_pop (worker->queue)) != STOP_MARK)
    {
      Job *job = g_task_get_task_data (task);

      job->run (&worker->connection, task, job, g_task_get_cancellable (task));
      g_object_unref (task);
    }

  g_atomic_rc_box_release_full (worker, (GDestroyNotify) worker_release);
  return NULL;
}

static void
queue_job (NpTeamLedger       *self,
           Job                *job,
           gpointer            source_tag,
           GCancellable       *cancellable,
           GAsyncReadyCallback callback,
           gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  /* A job that committed something reports it even when cancelled late. */
  g_task_set_check_cancellable (task, FALSE);
  g_async_queue_push (self->worker->queue, task);
}

/* Every _finish: the job's answer, once the result is known to be this
 * object's. */
static gboolean
job_finish_boolean (NpTeamLedger  *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
job_finish_pointer (NpTeamLedger  *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Queues @job, or, when the call's arguments were refused (@error, taken),
 * drops it and reports @error to the callback: the same answer as a job's. */
static void
queue_checked_job (NpTeamLedger       *self,
                   Job                *job,
                   GError             *error,
                   gpointer            source_tag,
                   GCancellable       *cancellable,
                   GAsyncReadyCallback callback,
                   gpointer            user_data)
{
  if (error != NULL)
    {
      job_free (job);
      g_task_report_error (self, callback, user_data, source_tag, error);
      return;
    }
  queue_job (self, job, source_tag, cancellable, callback, user_data);
}

/* Errors */

static gboolean
connection_lost (NpTeamConnection  *connection,
                 GError           **error)
{
  g_set_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_CONNECTION_LOST,
               _("The connection to the team ledger was lost: %s"),
               g_strchomp (PQerrorMessage (connection->conn)));
  g_clear_pointer (&connection->conn, PQfinish);
  connection->schema_ready = FALSE;
  return FALSE;
}

/* Turns a failed result into a GError by its SQLSTATE. */
static void
set_result_error (NpTeamConnection  *connection,
                  const PGresult    *result,
                  GError           **error)
{
  const char *state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  const char *message = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
  NpTeamLedgerError code = NP_TEAM_LEDGER_ERROR_QUERY;

  if (message == NULL)
    message = PQerrorMessage (connection->conn);

  if (g_strcmp0 (state, "57014") == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled."));
      return;
    }
  if (g_strcmp0 (state, "42501") == 0)
    code = NP_TEAM_LEDGER_ERROR_PERMISSION;
  else if (g_strcmp0 (state, "3F000") == 0 || g_strcmp0 (state, "42P01") == 0)
    code = NP_TEAM_LEDGER_ERROR_NO_SCHEMA;
  else if (state == NULL || g_str_has_prefix (state, "08"))
    code = NP_TEAM_LEDGER_ERROR_CONNECTION_LOST;
  else if (g_strcmp0 (state, "NP002") == 0)
    code = NP_TEAM_LEDGER_ERROR_APPROVAL_REFUSED;
  else if (g_strcmp0 (state, "NP003") == 0)
    code = NP_TEAM_LEDGER_ERROR_APPROVAL_REQUIRED;

  g_set_error (error, NP_TEAM_LEDGER_ERROR, code, _("The team ledger refused a statement: %s"), message);
}

/* Waiting on the socket */

typedef enum {
  WAIT_READY,
  WAIT_CANCELLED,
  WAIT_TIMED_OUT,
  WAIT_FAILED,
} WaitResult;

/* Waits until the socket is readable (or writable), or @cancellable fires, or
 * @deadline (monotonic µs, 0: none) passes. */
static WaitResult
wait_socket (int           fd,
             gboolean      for_write,
             GCancellable *cancellable,
             gint64        deadline)
{
  struct pollfd fds[2] = { { fd, for_write ? POLLOUT : POLLIN, 0 }, { -1, 0, 0 } };
  int n_fds = 1;
  int timeout = -1;
  int ready;

  if (g_cancellable_make_pollfd (cancellable, (GPollFD *) &fds[1]))
    n_fds = 2;
  if (deadline > 0)
    timeout = (int) MAX (0, (deadline - g_get_monotonic_time () + 999) / 1000);

  do
    ready = poll (fds, n_fds, timeout);
  while (ready < 0 && errno == EINTR);

  if (n_fds == 2)
    g_cancellable_release_fd (cancellable);

  if (ready < 0)
    return WAIT_FAILED;
  if (g_cancellable_is_cancelled (cancellable))
    return WAIT_CANCELLED;
  if (ready == 0)
    return WAIT_TIMED_OUT;
  return WAIT_READY;
}

static void
send_cancel (PGconn *conn)
{
  PGcancel *cancel = PQgetCancel (conn);
  char buffer[256];

  if (cancel != NULL)
    {
      PQcancel (cancel, buffer, sizeof buffer);
      PQfreeCancel (cancel);
    }
}

PGresult *
np_team_connection_exec (NpTeamConnection   *connection,
                         GCancellable       *cancellable,
                         const char         *sql,
                         int                 n_params,
                         const char * const *params,
                         GError            **error)
{
  PGconn *conn = connection->conn;
  PGresult *last = NULL;
  PGresult *failed = NULL;
  gboolean cancel_sent = FALSE;
  int flushed;
  int sent;

  if (conn == NULL)
    {
      g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NOT_CONNECTED,
                           _("Not connected to the team ledger."));
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (n_params < 0)
    sent = PQsendQuery (conn, sql);
  else
    sent = PQsendQueryParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  if (!sent)
    {
      connection_lost (connection, error);
      return NULL;
    }

  while ((flushed = PQflush (conn)) == 1)
    if (wait_socket (PQsocket (conn), TRUE, NULL, 0) == WAIT_FAILED)
      break;
  if (flushed < 0)
    {
      connection_lost (connection, error);
      return NULL;
    }

  for (;;)
    {
      PGresult *result;

      while (PQisBusy (conn))
        {
          WaitResult waited = wait_socket (PQsocket (conn), FALSE, cancel_sent ? NULL : cancellable, 0);

          if (waited == WAIT_CANCELLED)
            {
              /* The statement ends with 57014 (or completes first): keep reading. */
              send_cancel (conn);
              cancel_sent = TRUE;
            }
          else if (waited == WAIT_FAILED || !PQconsumeInput (conn))
            {
              g_clear_pointer (&last, PQclear);
              g_clear_pointer (&failed, PQclear);
              connection_lost (connection, error);
              return NULL;
            }
        }

      result = PQgetResult (conn);
      if (result == NULL)
        break;

      switch (PQresultStatus (result))
        {
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
        case PGRES_EMPTY_QUERY:
          g_clear_pointer (&last, PQclear);
          last = result;
          break;
        default:
          if (failed == NULL)
            failed = result;
          else
            PQclear (result);
          break;
        }
    }

  if (PQstatus (conn) == CONNECTION_BAD)
    {
      g_clear_pointer (&last, PQclear);
      g_clear_pointer (&failed, PQclear);
      connection_lost (connection, error);
      return NULL;
    }
  if (failed != NULL)
    {
      set_result_error (connection, failed, error);
      PQclear (failed);
      g_clear_pointer (&last, PQclear);
      return NULL;
    }
  return last;
}

gboolean
np_team_connection_run (NpTeamConnection   *connection,
                        GCancellable       *cancellable,
                        const char         *sql,
                        int                 n_params,
                        const char * const *params,
                        GError            **error)
{
  PGresult *result = np_team_connection_exec (connection, cancellable, sql, n_params, params, error);

  if (result == NULL)
    return FALSE;
  PQclear (result);
  return TRUE;
}

static gboolean
require_schema (NpTeamConnection  *connection,
                GError           **error)
{
  if (connection->conn == NULL || !connection->schema_ready)
    {
      g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NOT_CONNECTED,
                           _("Not connected to the team ledger."));
      return FALSE;
    }
  return TRUE;
}

/* Connecting */

gboolean
np_team_ledger_check_target (const char  *target,
                             GError     **error)
{
  g_autofree char *parse_error = NULL;
  PQconninfoOption *options;
  const char *host = NULL;
  const char *hostaddr = NULL;
  const char *sslmode = NULL;
  gboolean ok = TRUE;

  if (target == NULL || *target == '\0')
    {
      g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                           _("Enter a PostgreSQL connection URI or a service name."));
      return FALSE;
    }

  if (!g_str_has_prefix (target, "postgresql://") && !g_str_has_prefix (target, "postgres://"))
    {
      for (const char *p = target; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
          {
            g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                                 _("Enter a URI starting with postgresql:// or the name of a service in pg_service.conf."));
            return FALSE;
          }
      return TRUE;   /* a service: its host is known only once connected */
    }

  options = PQconninfoParse (target, NULL);
  if (options == NULL)
    {
      g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                           _("This connection URI cannot be read."));
      return FALSE;
    }

  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    {
      if (option->val == NULL)
        continue;
      if (g_str_equal (option->keyword, "password") && *option->val != '\0')
        {
          g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                               _("Remove the password from the URI and enter it in the password field: it is kept in the keyring."));
          ok = FALSE;
        }
      else if (g_str_equal (option->keyword, "host"))
        host = option->val;
      else if (g_str_equal (option->keyword, "hostaddr"))
        hostaddr = option->val;
      else if (g_str_equal (option->keyword, "sslmode"))
        sslmode = option->val;
    }

  if (ok && (host != NULL || hostaddr != NULL))
    {
      g_auto(GStrv) hosts = g_strsplit (hostaddr != NULL ? hostaddr : host, ",", -1);
      gboolean tls = sslmode != NULL && (g_str_equal (sslmode, "require") || g_str_has_prefix (sslmode, "verify-"));

      for (guint i = 0; hosts[i] != NULL && ok; i++)
        {
          const char *h = hosts[i];
          gboolean local = *h == '\0' || *h == '/' || *h == '@' ||
                           g_str_equal (h, "localhost") || g_str_has_prefix (h, "127.") ||
                           g_str_equal (h, "::1") || g_str_equal (h, "[::1]");

          if (!local && !tls)
            {
              g_set_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INSECURE,
                           _("The connection to %s would not be encrypted: add sslmode=verify-full (or require) to the URI. Without TLS only a Unix socket or this computer (localhost) is accepted."),
                           h);
              ok = FALSE;
            }
        }
    }

  PQconninfoFree (options);
  return ok;
}

/* Connection failures carry no SQLSTATE in libpq 15: they are told apart by the
 * server's and libpq's (English) messages. */
static void
set_connect_error (const char  *message,
                   GError     **error)
{
  g_autofree char *text = g_strchomp (g_strdup (message));
  NpTeamLedgerError code = NP_TEAM_LEDGER_ERROR_UNREACHABLE;
  const char *sentence;

  if (strstr (text, "password authentication failed") != NULL ||
      strstr (text, "no password supplied") != NULL ||
      strstr (text, "SCRAM") != NULL ||
      strstr (text, "authentication failed") != NULL)
    {
      code = NP_TEAM_LEDGER_ERROR_AUTHENTICATION;
      sentence = _("The server refused the password (or the user name).");
    }
  else if (strstr (text, "database \"") != NULL && strstr (text, "does not exist") != NULL)
    {
      code = NP_TEAM_LEDGER_ERROR_UNKNOWN_DATABASE;
      sentence = _("The server has no database of that name.");
    }
  else if (strstr (text, "permission denied for database") != NULL ||
           strstr (text, "not permitted to log in") != NULL ||
           strstr (text, "too many connections for role") != NULL)
    {
      code = NP_TEAM_LEDGER_ERROR_PERMISSION;
      sentence = _("This role may not connect to that database.");
    }
  else if (strstr (text, "SSL") != NULL || strstr (text, "certificate") != NULL ||
           strstr (text, "TLS") != NULL)
    {
      code = NP_TEAM_LEDGER_ERROR_TLS;
      sentence = _("The encrypted connection (TLS) could not be set up.");
    }
  else
    sentence = _("The team ledger's server cannot be reached.");

  g_set_error (error, NP_TEAM_LEDGER_ERROR, code, "%s (%s)", sentence, text);
}

static gboolean
host_is_local (PGconn *conn)
{
  const char *host = PQhost (conn);
  const char *address = PQhostaddr (conn);

  /* PQhost gives the socket's directory for a Unix socket. */
  if (host != NULL && (*host == '/' || *host == '@'))
    return TRUE;
  return address != NULL && (g_str_has_prefix (address, "127.") || g_str_equal (address, "::1"));
}

static void
connect_run (NpTeamConnection *connection,
             GTask            *task,
             Job              *job,
             GCancellable     *cancellable)
{
  const char *target = job->text[0];
  gboolean is_uri = g_str_has_prefix (target, "postgresql://") || g_str_has_prefix (target, "postgres://");
  g_autofree char *application = g_strdup_printf ("Neuro-Pay Console (%s)", connection->desk_name);
  const char *keywords[] = { is_uri ? "dbname" : "service", "password", "application_name",
                             "keepalives_idle", "keepalives_interval", "keepalives_count", NULL };
  const char *values[] = { target, job->text[1], application, "15", "5", "3", NULL };
  gint64 deadline = g_get_monotonic_time () + CONNECT_TIMEOUT_US;
  GError *error = NULL;
  PostgresPollingStatusType polling = PGRES_POLLING_WRITING;
  PGconn *conn;

  g_clear_pointer (&connection->conn, PQfinish);
  connection->schema_ready = FALSE;
  connection->listening = FALSE;
  connection->minimum_server_version = (int) job->number[0];
  g_free (connection->lease_id);
  connection->lease_id = g_strdup (job->text[2]);

  conn = PQconnectStartParams (keywords, values, TRUE);
  if (conn == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "%s", _("Out of memory."));
      return;
    }

  while (PQstatus (conn) != CONNECTION_BAD && polling != PGRES_POLLING_OK && polling != PGRES_POLLING_FAILED)
    {
      WaitResult waited = wait_socket (PQsocket (conn), polling == PGRES_POLLING_WRITING, cancellable, deadline);

      if (waited == WAIT_CANCELLED)
        {
          PQfinish (conn);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Cancelled."));
          return;
        }
      if (waited == WAIT_TIMED_OUT)
        {
          PQfinish (conn);
          g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_UNREACHABLE,
                                   _("The team ledger's server did not answer within %d seconds."),
                                   (int) (CONNECT_TIMEOUT_US / G_USEC_PER_SEC));
          return;
        }
      polling = PQconnectPoll (conn);
    }

  if (PQstatus (conn) != CONNECTION_OK)
    {
      set_connect_error (PQerrorMessage (conn), &error);
      PQfinish (conn);
      g_task_return_error (task, error);
      return;
    }

  if (!PQsslInUse (conn) && !host_is_local (conn))
    {
      PQfinish (conn);
      g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INSECURE, "%s",
                               _("The connection is not encrypted: without TLS only a Unix socket or this computer (localhost) is accepted. Add sslmode=verify-full."));
      return;
    }

  if (PQserverVersion (conn) < connection->minimum_server_version)
    {
      g_autofree char *version = g_strdup_printf ("%d.%d", PQserverVersion (conn) / 10000,
                                                  PQserverVersion (conn) % 10000);
      g_autofree char *needed = g_strdup_printf ("%d", connection->minimum_server_version / 10000);

      PQfinish (conn);
      g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_SERVER_TOO_OLD,
                               _("The server runs PostgreSQL %s; the team ledger needs %s or newer."),
                               version, needed);
      return;
    }

  if (PQsetnonblocking (conn, 1) != 0)
    {
      g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_CONNECTION_LOST, "%s",
                               PQerrorMessage (conn));
      PQfinish (conn);
      return;
    }

  connection->conn = conn;
  /* Every time the console reads is UTC; statements name their schema, so a
   * search_path set by someone else changes nothing. */
  if (!np_team_connection_run (connection, cancellable, "SET TIME ZONE 'UTC'", 0, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
np_team_ledger_connect_async (NpTeamLedger       *self,
                              const char         *target,
                              const char         *password,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  if (!np_team_ledger_check_target (target, &error))
    {
      g_task_report_error (self, callback, user_data, np_team_ledger_connect_async, error);
      return;
    }

  g_clear_handle_id (&self->renew_id, g_source_remove);
  g_free (self->lease_id);
  self->lease_id = g_uuid_string_random ();

  job = job_new (connect_run);
  job->text[0] = g_strdup (target);
  job->text[1] = g_strdup (password);
  job->text[2] = g_strdup (self->lease_id);
  job->number[0] = self->minimum_server_version;
  queue_job (self, job, np_team_ledger_connect_async, cancellable, callback, user_data);
}

gboolean
np_team_ledger_connect_finish (NpTeamLedger  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return job_finish_boolean (self, result, error);
}

/* The lease */

static gboolean
renew_lease (NpTeamConnection  *connection,
             guint              seconds,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autofree char *duration = g_strdup_printf ("%u", seconds);
  const char *params[] = { connection->lease_id, connection->desk_name, connection->os_user,
                           connection->host, duration };

  return np_team_connection_run (connection, cancellable,
      "INSERT INTO np_team.desk_leases (id, desk, os_user, host, expires)"
      " VALUES ($1, $2, $3, $4, now () + make_interval (secs => $5::int))"
      " ON CONFLICT (id) DO UPDATE SET renewed = now (), expires = EXCLUDED.expires",
      G_N_ELEMENTS (params), params, error);
}

static void
renew_lease_run (NpTeamConnection *connection,
                 GTask            *task,
                 Job              *job,
                 GCancellable     *cancellable)
{
  GError *error = NULL;

  if (!require_schema (connection, &error) ||
      !renew_lease (connection, (guint) job->number[0], cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
np_team_ledger_renew_lease_async (NpTeamLedger       *self,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  job = job_new (renew_lease_run);
  job->number[0] = self->lease_seconds;
  queue_job (self, job, np_team_ledger_renew_lease_async, cancellable, callback, user_data);
}

gboolean
np_team_ledger_renew_lease_finish (NpTeamLedger  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return job_finish_boolean (self, result, error);
}

static void
renewed (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failed renewal is not fatal here: the next one may succeed, and a lease
   * that lapses only makes this desk's pending rows UNKNOWN. */
  if (!np_team_ledger_renew_lease_finish (NP_TEAM_LEDGER (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Team ledger lease not renewed: %s", error->message);
}

static gboolean
renew_timeout (gpointer user_data)
{
  NpTeamLedger *self = user_data;

  np_team_ledger_renew_lease_async (self, self->renew_cancellable, renewed, NULL);
  return G_SOURCE_CONTINUE;
}

/* The schema */

static void
ensure_schema_run (NpTeamConnection *connection,
                   GTask            *task,
                   Job              *job,
                   GCancellable     *cancellable)
{
  GError *error = NULL;
  int version;

  connection->schema_ready = FALSE;
  version = np_team_schema_ensure (connection, job->number[0] != 0, cancellable, &error);
  if (version == 0 || !renew_lease (connection, (guint) job->number[1], cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  job->text[0] = np_team_schema_dup_ledger_id (connection, cancellable, &error);
  if (job->text[0] == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  connection->schema_ready = TRUE;
  g_task_return_int (task, version);
}

void
np_team_ledger_ensure_schema_async (NpTeamLedger       *self,
                                    gboolean            may_create,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  job = job_new (ensure_schema_run);
  job->number[0] = may_create;
  job->number[1] = self->lease_seconds;
  queue_job (self, job, np_team_ledger_ensure_schema_async, cancellable, callback, user_data);
}

int
np_team_ledger_ensure_schema_finish (NpTeamLedger  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  gssize version;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  version = g_task_propagate_int (G_TASK (result), error);
  if (version <= 0)
    return 0;

  g_free (self->ledger_id);
  self->ledger_id = g_strdup (((Job *) g_task_get_task_data (G_TASK (result)))->text[0]);

  /* The lease is held from now on: renew it at a third of its length. */
  g_clear_handle_id (&self->renew_id, g_source_remove);
  self->renew_id = g_timeout_add_seconds (MAX (1, self->lease_seconds / 3), renew_timeout, self);
  return (int) version;
}

/* Accounts and objects */

static gboolean
check_account_id (const char  *account_id,
                  GError     **error)
{
  if (account_id == NULL || !g_uuid_string_is_valid (account_id))
    {
      g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                           _("A team account is named by a UUID."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
object_id_is_valid (const char *id)
{
  gsize length = id != NULL ? strlen (id) : 0;

  if (length == 0 || length > 45)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_-.:", *p) == NULL)
      return FALSE;
  return TRUE;
}

static void
run_statement_job (NpTeamConnection *connection,
                   GTask            *task,
                   const char       *sql,
                   int               n_params,
                   const char      **params,
                   GCancellable     *cancellable)
{
  GError *error = NULL;

  if (!require_schema (connection, &error) ||
      !np_team_connection_run (connection, cancellable, sql, n_params, params, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
upsert_account_run (NpTeamConnection *connection,
                    GTask            *task,
                    Job              *job,
                    GCancellable     *cancellable)
{
  const char *params[] = { job->text[0], job->text[1], job->text[2], job->text[3], connection->desk_name };

  run_statement_job (connection, task,
      "INSERT INTO np_team.accounts (id, name, base_url, environment, updated_by)"
      " VALUES ($1, $2, $3, $4, $5)"
      " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, base_url = EXCLUDED.base_url,"
      "  environment = EXCLUDED.environment, updated = now (), updated_by = EXCLUDED.updated_by",
      G_N_ELEMENTS (params), params, cancellable);
}

void
np_team_ledger_upsert_account_async (NpTeamLedger       *self,
                                     const char         *account_id,
                                     const char         *name,
                                     const char         *base_url,
                                     const char         *environment,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  if (!check_account_id (account_id, &error))
    g_assert (error != NULL);
  else if (name == NULL || *name == '\0' || g_utf8_strlen (name, -1) > 100 || !g_utf8_validate (name, -1, NULL))
    g_set_error_literal (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                         _("An account name has 1 to 100 characters."));
  else if (base_url == NULL || (!g_str_has_prefix (base_url, "https://") && !g_str_has_prefix (base_url, "http://")))
    g_set_error_literal (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                         _("An account's base URL starts with https://."));
  else if (g_strcmp0 (environment, "test") != 0 && g_strcmp0 (environment, "live") != 0)
    g_set_error_literal (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                         _("An account's environment is test or live."));
  job = job_new (upsert_account_run);
  job->text[0] = g_strdup (account_id);
  job->text[1] = g_strdup (name);
  job->text[2] = g_strdup (base_url);
  job->text[3] = g_strdup (environment);
  queue_checked_job (self, job, error, np_team_ledger_upsert_account_async, cancellable, callback, user_data);
}

gboolean
np_team_ledger_upsert_account_finish (NpTeamLedger  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return job_finish_boolean (self, result, error);
}

static char *
json_object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static void
upsert_object_run (NpTeamConnection *connection,
                   GTask            *task,
                   Job              *job,
                   GCancellable     *cancellable)
{
  const char *params[] = { job->text[0], job->text[1], job->text[2], connection->desk_name };
  const char *sql = job->number[0] == NP_TEAM_OBJECT_CHECKOUT
    ? "INSERT INTO np_team.checkouts (account_id, id, json, seen_by) VALUES ($1, $2, $3, $4)"
      " ON CONFLICT (account_id, id) DO UPDATE SET json = EXCLUDED.json, seen = now (), seen_by = EXCLUDED.seen_by"
    : "INSERT INTO np_team.customers (account_id, id, json, seen_by) VALUES ($1, $2, $3, $4)"
      " ON CONFLICT (account_id, id) DO UPDATE SET json = EXCLUDED.json, seen = now (), seen_by = EXCLUDED.seen_by";

  run_statement_job (connection, task, sql, G_N_ELEMENTS (params), params, cancellable);
}

void
np_team_ledger_upsert_object_async (NpTeamLedger       *self,
                                    NpTeamObject        kind,
                                    const char         *account_id,
                                    JsonObject         *json,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  GError *error = NULL;
  const char *id = NULL;
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));
  g_return_if_fail (kind == NP_TEAM_OBJECT_CHECKOUT || kind == NP_TEAM_OBJECT_CUSTOMER);

  /* The API names a checkout's id "checkout_id" and a customer's "customer_id";
   * "id" is accepted too. */
  for (const char *const *name = (const char *const[]) { "id", kind == NP_TEAM_OBJECT_CHECKOUT ? "checkout_id" : "customer_id", NULL };
       id == NULL && *name != NULL; name++)
    if (json != NULL && json_object_has_member (json, *name) &&
        JSON_NODE_HOLDS_VALUE (json_object_get_member (json, *name)) &&
        json_node_get_value_type (json_object_get_member (json, *name)) == G_TYPE_STRING)
      id = json_object_get_string_member (json, *name);

  if (check_account_id (account_id, &error) && !object_id_is_valid (id))
    g_set_error_literal (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                         _("The object has no valid id."));
  job = job_new (upsert_object_run);
  job->number[0] = kind;
  job->text[0] = g_strdup (account_id);
  job->text[1] = g_strdup (id);
  job->text[2] = json != NULL ? json_object_to_text (json) : NULL;
  queue_checked_job (self, job, error, np_team_ledger_upsert_object_async, cancellable, callback, user_data);
}

/* Rows per INSERT of a bulk upsert: 4 + 2 × 500 parameters, well under
 * PostgreSQL's 65535, and a statement of a few hundred kilobytes. */
#define UPSERT_BATCH 500

static void
upsert_objects_run (NpTeamConnection *connection,
                    GTask            *task,
                    Job              *job,
                    GCancellable     *cancellable)
{
  const char *table = job->number[0] == NP_TEAM_OBJECT_CHECKOUT ? "np_team.checkouts" : "np_team.customers";
  /* id, JSON text, and with number[1] when this desk saw it (ISO 8601) */
  guint width = job->number[1] ? 3 : 2;
  guint n_rows = job->rows->len / width;
  g_autofree const char **params = g_new0 (const char *, 2 + width * UPSERT_BATCH);
  PGresult *result = NULL;
  GError *error = NULL;

  if (!require_schema (connection, &error) ||
      !np_team_connection_run (connection, cancellable, "BEGIN", 0, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  params[0] = job->text[0];
  params[1] = connection->desk_name;
  for (guint start = 0; start < n_rows && error == NULL; start += UPSERT_BATCH)
    {
      guint n = MIN (UPSERT_BATCH, n_rows - start);
      g_autoptr(GString) sql = g_string_sized_new (128 + 24 * n);

      g_string_append_printf (sql, "INSERT INTO %s (account_id, id, json, seen_by%s) VALUES ", table,
                              width == 3 ? ", seen" : "");
      for (guint i = 0; i < n; i++)
        {
          for (guint k = 0; k < width; k++)
            params[2 + width * i + k] = g_ptr_array_index (job->rows, width * (start + i) + k);
          if (width == 3)
            g_string_append_printf (sql, "%s($1, $%u, $%u, $2, $%u::timestamptz)", i > 0 ? ", " : "",
                                    3 + 3 * i, 4 + 3 * i, 5 + 3 * i);
          else
            g_string_append_printf (sql, "%s($1, $%u, $%u, $2)", i > 0 ? ", " : "", 3 + 2 * i, 4 + 2 * i);
        }
      if (width == 3)
        /* Only over what the team saw before this desk did. */
        g_string_append_printf (sql, " ON CONFLICT (account_id, id) DO UPDATE"
                                     " SET json = EXCLUDED.json, seen = EXCLUDED.seen, seen_by = EXCLUDED.seen_by"
                                     " WHERE %s.seen < EXCLUDED.seen", table);
      else
        g_string_append (sql, " ON CONFLICT (account_id, id) DO UPDATE"
                              " SET json = EXCLUDED.json, seen = now (), seen_by = EXCLUDED.seen_by");
      /* The change numbers written: the desk's catch-up need not read its own rows back. */
      g_string_append (sql, " RETURNING change");
      result = np_team_connection_exec (connection, cancellable, sql->str, 2 + width * n, params, &error);
      for (int r = 0; result != NULL && r < PQntuples (result); r++)
        {
          gint64 change = g_ascii_strtoll (PQgetvalue (result, r, 0), NULL, 10);

          g_array_append_val (job->changes, change);
        }
      g_clear_pointer (&result, PQclear);
    }

  if (error == NULL &&
      np_team_connection_run (connection, cancellable, "COMMIT", 0, NULL, &error))
    {
      g_task_return_pointer (task, g_array_ref (job->changes), (GDestroyNotify) g_array_unref);
      return;
    }
  /* Nothing of a failed upload stays; a lost connection has no transaction left. */
  if (connection->conn != NULL && PQstatus (connection->conn) == CONNECTION_OK)
    np_team_connection_run (connection, NULL, "ROLLBACK", 0, NULL, NULL);
  g_task_return_error (task, error);
}

static void
queue_upsert_objects (NpTeamLedger       *self,
                      NpTeamObject        kind,
                      const char         *account_id,
                      GPtrArray          *ids,
                      GPtrArray          *jsons,
                      GArray             *seen,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));
  g_return_if_fail (kind == NP_TEAM_OBJECT_CHECKOUT || kind == NP_TEAM_OBJECT_CUSTOMER);
  g_return_if_fail (ids != NULL && jsons != NULL && ids->len == jsons->len);
  g_return_if_fail (seen == NULL || seen->len == ids->len);

  if (check_account_id (account_id, &error))
    for (guint i = 0; i < ids->len && error == NULL; i++)
      if (!object_id_is_valid (g_ptr_array_index (ids, i)))
        g_set_error_literal (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                             _("The object has no valid id."));
  if (error != NULL)
    {
      g_task_report_error (self, callback, user_data, np_team_ledger_upsert_objects_async, error);
      return;
    }

  job = job_new (upsert_objects_run);
  job->number[0] = kind;
  job->number[1] = seen != NULL;
  job->text[0] = g_strdup (account_id);
  job->rows = g_ptr_array_new_full (3 * ids->len, g_free);
  job->changes = g_array_sized_new (FALSE, FALSE, sizeof (gint64), ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      g_ptr_array_add (job->rows, g_strdup (g_ptr_array_index (ids, i)));
      g_ptr_array_add (job->rows, g_strdup (g_ptr_array_index (jsons, i)));
      if (seen != NULL)
        {
          g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (g_array_index (seen, gint64, i) / G_USEC_PER_SEC);
          g_autoptr(GDateTime) exact = g_date_time_add (time, g_array_index (seen, gint64, i) % G_USEC_PER_SEC);

          g_ptr_array_add (job->rows, g_date_time_format_iso8601 (exact));
        }
    }
  queue_job (self, job, np_team_ledger_upsert_objects_async, cancellable, callback, user_data);
}

void
np_team_ledger_upsert_objects_async (NpTeamLedger       *self,
                                     NpTeamObject        kind,
                                     const char         *account_id,
                                     GPtrArray          *ids,
                                     GPtrArray          *jsons,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  queue_upsert_objects (self, kind, account_id, ids, jsons, NULL, cancellable, callback, user_data);
}

void
np_team_ledger_upsert_seen_objects_async (NpTeamLedger       *self,
                                          NpTeamObject        kind,
                                          const char         *account_id,
                                          GPtrArray          *ids,
                                          GPtrArray          *jsons,
                                          GArray             *seen,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data)
{
  g_return_if_fail (seen != NULL);
  queue_upsert_objects (self, kind, account_id, ids, jsons, seen, cancellable, callback, user_data);
}

gboolean
np_team_ledger_upsert_objects_finish (NpTeamLedger  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return np_team_ledger_upsert_objects_finish_changes (self, result, NULL, error);
}

gboolean
np_team_ledger_upsert_objects_finish_changes (NpTeamLedger  *self,
                                              GAsyncResult  *result,
                                              GArray       **out_changes,
                                              GError       **error)
{
  g_autoptr(GArray) changes = job_finish_pointer (self, result, error);

  if (changes == NULL)
    return FALSE;
  if (out_changes != NULL)
    *out_changes = g_steal_pointer (&changes);
  return TRUE;
}

gboolean
np_team_ledger_upsert_object_finish (NpTeamLedger  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return job_finish_boolean (self, result, error);
}

/* The journal */

/* The pending rows of expired leases; each becomes UNKNOWN with its link in the
 * audit chain, by this desk, in a transaction of its own. */
static const char *expire_sql =
  "SELECT j.id FROM np_team.journal j JOIN np_team.desk_leases l ON l.id = j.lease_id"
  " WHERE j.state = 'pending' AND l.expires < now () ORDER BY j.id";

static gboolean
expire_leases (NpTeamConnection  *connection,
               GCancellable      *cancellable,
               guint             *out_count,
               GError           **error)
{
  const char *why =
    _("The desk that sent this stopped renewing its lease before recording the outcome: refresh the object to see what happened.");
  PGresult *result = np_team_connection_exec (connection, cancellable, expire_sql, 0, NULL, error);
  guint count = 0;

  if (result == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (result); i++)
    {
      int finished = np_team_chain_finish (connection, g_ascii_strtoll (PQgetvalue (result, i, 0), NULL, 10),
                                           "unknown", why, NULL, TRUE, cancellable, error);

      if (finished < 0)
        {
          PQclear (result);
          return FALSE;
        }
      count += finished;
    }
  PQclear (result);
  if (out_count != NULL)
    *out_count = count;
  return TRUE;
}

static char *
format_since (gint64 started_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (started_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* "A refund of 25.50 SEK is in flight from FINANCE-2 (maria) since 14:02." */
static char *
describe_holder (const char *operation_text,
                 const char *amount_text,
                 const char *currency,
                 const char *desk,
                 const char *os_user,
                 const char *started_text)
{
  g_autofree char *since = format_since (g_ascii_strtoll (started_text, NULL, 10));
  g_autofree char *amount = NULL;
  NpJournalOperation operation = NP_JOURNAL_OPERATION_UPDATE;

  np_journal_operation_from_string (operation_text, &operation);
  if (amount_text != NULL && *amount_text != '\0' && currency != NULL)
    amount = np_money_format (g_ascii_strtoll (amount_text, NULL, 10), currency);

  switch (operation)
    {
    case NP_JOURNAL_OPERATION_REFUND:
      if (amount != NULL)
        /* Translators: a refund of 25.50 SEK ... from FINANCE-2 (maria) since 14:02 */
        return g_strdup_printf (_("A refund of %s is in flight from %s (%s) since %s."), amount, desk, os_user, since);
      return g_strdup_printf (_("A refund is in flight from %s (%s) since %s."), desk, os_user, since);
    case NP_JOURNAL_OPERATION_CAPTURE:
      if (amount != NULL)
        return g_strdup_printf (_("A capture of %s is in flight from %s (%s) since %s."), amount, desk, os_user, since);
      return g_strdup_printf (_("A capture is in flight from %s (%s) since %s."), desk, os_user, since);
    case NP_JOURNAL_OPERATION_DELETE:
    case NP_JOURNAL_OPERATION_DELETE_CUSTOMER:
      return g_strdup_printf (_("A deletion is in flight from %s (%s) since %s."), desk, os_user, since);
    case NP_JOURNAL_OPERATION_CREATE:
    case NP_JOURNAL_OPERATION_CREATE_CUSTOMER:
      return g_strdup_printf (_("A creation is in flight from %s (%s) since %s."), desk, os_user, since);
    case NP_JOURNAL_OPERATION_UPDATE:
    default:
      return g_strdup_printf (_("An update is in flight from %s (%s) since %s."), desk, os_user, since);
    }
}

static void
set_locked_error (NpTeamConnection  *connection,
                  const char        *account_id,
                  const char        *object_id,
                  GCancellable      *cancellable,
                  GError           **error)
{
  const char *params[] = { account_id, object_id };
  PGresult *holder;

  holder = np_team_connection_exec (connection, cancellable,
      "SELECT operation, amount, currency, desk, os_user,"
      "  (extract (epoch FROM started) * 1000000)::bigint"
      " FROM np_team.journal WHERE account_id = $1 AND object_id = $2 AND state = 'pending'"
      "  AND operation <> 'refresh'",  /* a refresh takes no lock (migration 5) */
      2, params, error);
  if (holder == NULL)
    return;

  if (PQntuples (holder) == 1)
    {
      g_autofree char *sentence = describe_holder (PQgetvalue (holder, 0, 0),
                                                   PQgetisnull (holder, 0, 1) ? NULL : PQgetvalue (holder, 0, 1),
                                                   PQgetisnull (holder, 0, 2) ? NULL : PQgetvalue (holder, 0, 2),
                                                   PQgetvalue (holder, 0, 3), PQgetvalue (holder, 0, 4),
                                                   PQgetvalue (holder, 0, 5));

      g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_LOCKED, sentence);
    }
  else
    /* It finished between the refusal and this look: the refusal stands. */
    g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_LOCKED,
                         _("Another operation on this object was in flight and has just finished: refresh it before trying again."));
  PQclear (holder);
}

/* A refund above the account's limit: the journal refused it (NP003), so it
 * becomes a refund request instead, and the caller learns that nothing was sent. */
static void
request_refund (NpTeamConnection  *connection,
                Job               *job,
                GCancellable      *cancellable,
                GError           **error)
{
  g_autofree char *amount = job->number[0] >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, job->number[0]) : NULL;
  g_autofree char *details = job->json != NULL ? json_object_to_text (job->json) : NULL;
  const char *reason = job->json != NULL ? json_object_get_string_member_with_default (job->json, "reason", NULL)
                                         : NULL;
  const char *params[] = { job->text[0], job->text[1], amount, job->text[2], reason, details, job->text[3],
                           connection->desk_name, connection->os_user, connection->host };
  g_autofree char *money = NULL;
  PGresult *result;

  if (amount == NULL || job->text[2] == NULL)
    {
      g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REQUIRED,
                           _("This refund needs a second person's approval, and a request needs its amount: "
                             "enter the amount to refund."));
      return;
    }
  result = np_team_connection_exec (connection, cancellable,
      "INSERT INTO np_team.refund_requests (account_id, object_id, amount, currency, reason, details, summary,"
      "  desk, os_user, host) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
      " RETURNING id, (SELECT amount FROM np_team.approval_limits WHERE account_id = $1 AND currency = $4)",
      G_N_ELEMENTS (params), params, error);
  if (result == NULL)
    return;
  money = np_money_format (g_ascii_strtoll (PQgetvalue (result, 0, 1), NULL, 10), job->text[2]);
  g_set_error (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REQUIRED,
               _("Refunds above %s need a second person's approval. Nothing was sent: refund request %s "
                 "is waiting for approval."), money, PQgetvalue (result, 0, 0));
  PQclear (result);
}

static const char *begin_sql =
  "INSERT INTO np_team.journal (account_id, object_id, operation, state, amount, currency,"
  "  summary, details, lease_id, desk, os_user, host)"
  " VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, $10, $11)"
  " RETURNING id";

static void
begin_run (NpTeamConnection *connection,
           GTask            *task,
           Job              *job,
           GCancellable     *cancellable)
{
  g_autofree char *amount = job->number[0] >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, job->number[0]) : NULL;
  g_autofree char *details = job->json != NULL ? json_object_to_text (job->json) : NULL;
  const char *params[] = { job->text[0], job->text[1], np_journal_operation_to_string (job->operation),
                           amount, job->text[2], job->text[3], details, connection->lease_id,
                           connection->desk_name, connection->os_user, connection->host };
  GError *error = NULL;
  PGresult *result;
  gint64 id;

  /* A lock held by a desk that is gone is released here, whoever notices first. */
  if (!require_schema (connection, &error) || !expire_leases (connection, cancellable, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  result = np_team_connection_exec (connection, cancellable, begin_sql, G_N_ELEMENTS (params), params, &error);
  if (result == NULL)
    {
      if (g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_QUERY) &&
          strstr (error->message, "journal_one_pending_per_object") != NULL)
        {
          g_clear_error (&error);
          set_locked_error (connection, job->text[0], job->text[1], NULL, &error);
        }
      else if (g_error_matches (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_APPROVAL_REQUIRED))
        {
          g_clear_error (&error);
          request_refund (connection, job, cancellable, &error);
        }
      g_task_return_error (task, error);
      return;
    }

  id = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);

  /* Cancelled while the row was being committed: no request will follow, so the
   * row says so instead of waiting for a lease to expire. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      np_team_chain_finish (connection, id, "failed", _("Cancelled before the request was sent."), NULL, FALSE,
                            NULL, NULL);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Cancelled."));
      return;
    }

  g_task_return_int (task, id);
}

void
np_team_ledger_begin_operation_async (NpTeamLedger       *self,
                                      const char         *account_id,
                                      NpJournalOperation  operation,
                                      const char         *object_id,
                                      gint64              amount,
                                      const char         *currency,
                                      const char         *summary,
                                      JsonObject         *details,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  gboolean creates = operation == NP_JOURNAL_OPERATION_CREATE || operation == NP_JOURNAL_OPERATION_CREATE_CUSTOMER;
  GError *error = NULL;
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));
  g_return_if_fail (np_journal_operation_to_string (operation) != NULL);

  if (!check_account_id (account_id, &error))
    g_assert (error != NULL);
  else if (object_id == NULL ? !creates : !object_id_is_valid (object_id))
    g_set_error_literal (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                         _("The operation needs the valid id of its object."));
  else if (amount < -1 || (amount >= 0) != (currency != NULL))
    g_set_error_literal (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                         _("An amount is a whole number of minor units with its currency."));
  else if (currency != NULL && !np_money_currency_is_known (currency))
    g_set_error (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                 _("%s is not a currency this console knows."), currency);
  else if (summary == NULL || *summary == '\0')
    g_set_error_literal (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                         _("An operation needs a summary."));
  job = job_new (begin_run);
  job->text[0] = g_strdup (account_id);
  job->text[1] = g_strdup (object_id);
  job->text[2] = g_strdup (currency);
  job->text[3] = g_strdup (summary);
  job->number[0] = amount;
  job->operation = operation;
  job->json = details != NULL ? json_object_ref (details) : NULL;
  queue_checked_job (self, job, error, np_team_ledger_begin_operation_async, cancellable, callback, user_data);
}

gint64
np_team_ledger_begin_operation_finish (NpTeamLedger  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? id : 0;
}

static void
finish_run (NpTeamConnection *connection,
            GTask            *task,
            Job              *job,
            GCancellable     *cancellable)
{
  GError *error = NULL;
  int finished = -1;

  if (require_schema (connection, &error))
    finished = np_team_chain_finish (connection, job->number[0], np_journal_state_to_string (job->state),
                                     job->text[0], job->text[1], FALSE, cancellable, &error);
  if (finished < 0)
    g_task_return_error (task, error);
  else if (finished == 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, job->number[0]);

      g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NOT_PENDING,
                               _("Journal entry %s is not pending: it already has an outcome (another desk may have found this desk's lease expired)."),
                               id);
    }
  else
    g_task_return_boolean (task, TRUE);
}

void
np_team_ledger_finish_operation_async (NpTeamLedger       *self,
                                       gint64              entry_id,
                                       NpJournalState      state,
                                       const char         *error_text,
                                       const char         *object_id,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  if (state == NP_JOURNAL_STATE_PENDING || np_journal_state_to_string (state) == NULL ||
      entry_id <= 0 || (object_id != NULL && !object_id_is_valid (object_id)))
    {
      g_task_report_new_error (self, callback, user_data, np_team_ledger_finish_operation_async,
                               NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID, "%s",
                               _("An operation can only finish as succeeded, failed or unknown."));
      return;
    }

  job = job_new (finish_run);
  job->number[0] = entry_id;
  job->state = state;
  job->text[0] = g_strdup (error_text);
  job->text[1] = g_strdup (object_id);
  queue_job (self, job, np_team_ledger_finish_operation_async, cancellable, callback, user_data);
}

gboolean
np_team_ledger_finish_operation_finish (NpTeamLedger  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return job_finish_boolean (self, result, error);
}

static void
expire_run (NpTeamConnection *connection,
            GTask            *task,
            Job              *job,
            GCancellable     *cancellable)
{
  GError *error = NULL;
  guint count = 0;

  if (!require_schema (connection, &error) || !expire_leases (connection, cancellable, &count, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, count);
}

void
np_team_ledger_expire_leases_async (NpTeamLedger       *self,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  queue_job (self, job_new (expire_run), np_team_ledger_expire_leases_async, cancellable, callback, user_data);
}

gboolean
np_team_ledger_expire_leases_finish (NpTeamLedger  *self,
                                     GAsyncResult  *result,
                                     guint         *out_count,
                                     GError       **error)
{
  GError *local_error = NULL;
  gssize count;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  count = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_count != NULL)
    *out_count = (guint) count;
  return TRUE;
}

/* Changes */

/* Each branch is ordered and limited by itself, so each reads at most @limit
 * rows through its change index and serialises only those: one outer sort of a
 * whole table's rows per batch made a first sync quadratic. */
static const char *changes_sql =
  "SELECT change, kind, account_id, key, row, json FROM ("
  "  (SELECT change, 0 AS kind, id::text AS account_id, id::text AS key, to_jsonb (a)::text AS row,"
  "   NULL::text AS json FROM np_team.accounts a WHERE change > $1 ORDER BY change LIMIT $2)"
  "  UNION ALL (SELECT change, 1, account_id::text, id, (to_jsonb (c) - 'json')::text, json::text"
  "   FROM np_team.checkouts c WHERE change > $1 ORDER BY change LIMIT $2)"
  "  UNION ALL (SELECT change, 2, account_id::text, id, (to_jsonb (c) - 'json')::text, json::text"
  "   FROM np_team.customers c WHERE change > $1 ORDER BY change LIMIT $2)"
  "  UNION ALL (SELECT change, 3, account_id::text, id::text, to_jsonb (j)::text, NULL FROM np_team.journal j"
  "   WHERE change > $1 ORDER BY change LIMIT $2)"
  "  UNION ALL (SELECT s.change, 4, j.account_id::text, s.journal_id::text, to_jsonb (s)::text, NULL"
  "   FROM np_team.settlements s JOIN np_team.journal j ON j.id = s.journal_id"
  "   WHERE s.change > $1 ORDER BY s.change LIMIT $2)"
  " ) AS changed ORDER BY change LIMIT $2";

static void
read_changes_run (NpTeamConnection *connection,
                  GTask            *task,
                  Job              *job,
                  GCancellable     *cancellable)
{
  g_autofree char *since = g_strdup_printf ("%" G_GINT64_FORMAT, job->number[0]);
  g_autofree char *limit = g_strdup_printf ("%" G_GINT64_FORMAT, job->number[1]);
  const char *params[] = { since, limit };
  g_autoptr(GPtrArray) changes = NULL;
  GError *error = NULL;
  PGresult *result = NULL;

  if (require_schema (connection, &error))
    result = np_team_connection_exec (connection, cancellable, changes_sql, 2, params, &error);
  if (result == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  changes = g_ptr_array_new_full (PQntuples (result), (GDestroyNotify) np_team_change_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      NpTeamChange *change = g_new0 (NpTeamChange, 1);

      change->change = g_ascii_strtoll (PQgetvalue (result, i, 0), NULL, 10);
      change->kind = (NpTeamChangeKind) atoi (PQgetvalue (result, i, 1));
      change->account_id = g_strdup (PQgetvalue (result, i, 2));
      change->key = g_strdup (PQgetvalue (result, i, 3));
      change->row = g_strdup (PQgetvalue (result, i, 4));
      if (!PQgetisnull (result, i, 5))
        change->json = g_strdup (PQgetvalue (result, i, 5));
      g_ptr_array_add (changes, change);
    }
  PQclear (result);
  g_task_return_pointer (task, g_steal_pointer (&changes), (GDestroyNotify) g_ptr_array_unref);
}

void
np_team_ledger_read_changes_async (NpTeamLedger       *self,
                                   gint64              since,
                                   guint               limit,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));
  g_return_if_fail (since >= 0 && limit > 0);

  job = job_new (read_changes_run);
  job->number[0] = since;
  job->number[1] = limit;
  queue_job (self, job, np_team_ledger_read_changes_async, cancellable, callback, user_data);
}

GPtrArray *
np_team_ledger_read_changes_finish (NpTeamLedger  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return job_finish_pointer (self, result, error);
}

/* Live updates */

static gboolean
start_listening (NpTeamConnection *connection,
                 GCancellable     *cancellable,
                 GError          **error)
{
  if (connection->conn == NULL)
    {
      g_set_error_literal (error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_NOT_CONNECTED,
                           _("Not connected to the team ledger."));
      return FALSE;
    }
  if (!connection->listening)
    {
      if (!np_team_connection_run (connection, cancellable, "LISTEN np_team_change", 0, NULL, error))
        return FALSE;
      connection->listening = TRUE;
    }
  return TRUE;
}

static void
listen_run (NpTeamConnection *connection,
            GTask            *task,
            Job              *job,
            GCancellable     *cancellable)
{
  GError *error = NULL;

  if (!start_listening (connection, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
np_team_ledger_listen_async (NpTeamLedger       *self,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  queue_job (self, job_new (listen_run), np_team_ledger_listen_async, cancellable, callback, user_data);
}

gboolean
np_team_ledger_listen_finish (NpTeamLedger  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return job_finish_boolean (self, result, error);
}

/* Waits on the socket for a notification on np_team_change (LISTENing first),
 * until @cancellable fires or number[0] ms pass. Returns the highest change
 * number announced (0 when the wait timed out). */
static void
wait_change_run (NpTeamConnection *connection,
                 GTask            *task,
                 Job              *job,
                 GCancellable     *cancellable)
{
  gint64 deadline = g_get_monotonic_time () + job->number[0] * 1000;
  gint64 highest = 0;
  GError *error = NULL;

  if (!start_listening (connection, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  for (;;)
    {
      PGnotify *notify;
      WaitResult waited;

      if (!PQconsumeInput (connection->conn))
        {
          connection_lost (connection, &error);
          g_task_return_error (task, error);
          return;
        }
      while ((notify = PQnotifies (connection->conn)) != NULL)
        {
          highest = MAX (highest, g_ascii_strtoll (notify->extra, NULL, 10));
          PQfreemem (notify);
        }
      if (highest > 0)
        break;

      waited = wait_socket (PQsocket (connection->conn), FALSE, cancellable, deadline);
      if (waited == WAIT_CANCELLED)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Cancelled."));
          return;
        }
      if (waited == WAIT_TIMED_OUT)
        break;
      if (waited == WAIT_FAILED)
        {
          connection_lost (connection, &error);
          g_task_return_error (task, error);
          return;
        }
    }

  /* A connection the server closed reads as readable with nothing in it: the
   * next PQconsumeInput fails; say so now rather than after the next wait. */
  if (PQstatus (connection->conn) == CONNECTION_BAD)
    {
      connection_lost (connection, &error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, highest);
}

void
np_team_ledger_wait_change_async (NpTeamLedger       *self,
                                  guint               timeout_ms,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  job = job_new (wait_change_run);
  job->number[0] = timeout_ms;
  queue_job (self, job, np_team_ledger_wait_change_async, cancellable, callback, user_data);
}

gint64
np_team_ledger_wait_change_finish (NpTeamLedger  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  GError *local_error = NULL;
  gssize highest;

  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  highest = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  return highest;
}

static void
settle_object_run (NpTeamConnection *connection,
                   GTask            *task,
                   Job              *job,
                   GCancellable     *cancellable)
{
  const char *params[] = { job->text[0], job->text[1], job->text[2], connection->desk_name };

  run_statement_job (connection, task,
      "INSERT INTO np_team.settlements (journal_id, status_seen, settled_by)"
      " SELECT j.id, $3, $4 FROM np_team.journal j"
      " WHERE j.account_id = $1 AND j.object_id = $2 AND j.state = 'unknown'"
      "  AND NOT EXISTS (SELECT FROM np_team.settlements s WHERE s.journal_id = j.id)"
      " ON CONFLICT (journal_id) DO NOTHING",
      G_N_ELEMENTS (params), params, cancellable);
}

void
np_team_ledger_settle_object_async (NpTeamLedger       *self,
                                    const char         *account_id,
                                    const char         *object_id,
                                    const char         *status_seen,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  if (check_account_id (account_id, &error) && !object_id_is_valid (object_id))
    g_set_error_literal (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                         _("The operation needs the valid id of its object."));
  job = job_new (settle_object_run);
  job->text[0] = g_strdup (account_id);
  job->text[1] = g_strdup (object_id);
  job->text[2] = g_strdup (status_seen != NULL ? status_seen : "seen");
  queue_checked_job (self, job, error, np_team_ledger_settle_object_async, cancellable, callback, user_data);
}

gboolean
np_team_ledger_settle_object_finish (NpTeamLedger  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return job_finish_boolean (self, result, error);
}

static void
list_accounts_run (NpTeamConnection *connection,
                   GTask            *task,
                   Job              *job,
                   GCancellable     *cancellable)
{
  g_autoptr(GPtrArray) changes = NULL;
  GError *error = NULL;
  PGresult *result = NULL;

  if (require_schema (connection, &error))
    result = np_team_connection_exec (connection, cancellable,
        "SELECT change, id::text, to_jsonb (a)::text FROM np_team.accounts a ORDER BY change",
        0, NULL, &error);
  if (result == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  changes = g_ptr_array_new_full (PQntuples (result), (GDestroyNotify) np_team_change_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      NpTeamChange *change = g_new0 (NpTeamChange, 1);

      change->change = g_ascii_strtoll (PQgetvalue (result, i, 0), NULL, 10);
      change->kind = NP_TEAM_CHANGE_ACCOUNT;
      change->account_id = g_strdup (PQgetvalue (result, i, 1));
      change->key = g_strdup (PQgetvalue (result, i, 1));
      change->row = g_strdup (PQgetvalue (result, i, 2));
      g_ptr_array_add (changes, change);
    }
  PQclear (result);
  g_task_return_pointer (task, g_steal_pointer (&changes), (GDestroyNotify) g_ptr_array_unref);
}

void
np_team_ledger_list_accounts_async (NpTeamLedger       *self,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  queue_job (self, job_new (list_accounts_run), np_team_ledger_list_accounts_async,
             cancellable, callback, user_data);
}

GPtrArray *
np_team_ledger_list_accounts_finish (NpTeamLedger  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return job_finish_pointer (self, result, error);
}

/* Approvals */

static void
set_limit_run (NpTeamConnection *connection,
               GTask            *task,
               Job              *job,
               GCancellable     *cancellable)
{
  g_autofree char *amount = g_strdup_printf ("%" G_GINT64_FORMAT, job->number[0]);
  g_autofree char *lifetime = g_strdup_printf ("%" G_GINT64_FORMAT, job->number[1]);
  const char *params[] = { job->text[0], job->text[1], amount, lifetime };

  run_statement_job (connection, task,
      "INSERT INTO np_team.approval_limits (account_id, currency, amount, request_lifetime)"
      " VALUES ($1, $2, $3, make_interval (secs => $4))"
      " ON CONFLICT (account_id, currency) DO UPDATE SET amount = EXCLUDED.amount,"
      "  request_lifetime = EXCLUDED.request_lifetime, updated = now(), updated_by = session_user",
      G_N_ELEMENTS (params), params, cancellable);
}

void
np_team_ledger_set_approval_limit_async (NpTeamLedger       *self,
                                         const char         *account_id,
                                         const char         *currency,
                                         gint64              amount,
                                         gint64              lifetime_seconds,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  if (!check_account_id (account_id, &error))
    g_assert (error != NULL);
  else if (currency == NULL || !np_money_currency_is_known (currency))
    g_set_error (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                 _("%s is not a currency this console knows."), currency != NULL ? currency : "");
  else if (amount < 0)
    g_set_error_literal (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                         _("An approval limit is a whole number of minor units, zero or more."));
  else if (lifetime_seconds < 0)
    g_set_error_literal (&error, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID,
                         _("A refund request cannot expire before it is made."));
  job = job_new (set_limit_run);
  job->text[0] = g_strdup (account_id);
  job->text[1] = g_strdup (currency);
  job->number[0] = amount;
  job->number[1] = lifetime_seconds;
  queue_checked_job (self, job, error, np_team_ledger_set_approval_limit_async, cancellable, callback, user_data);
}

gboolean
np_team_ledger_set_approval_limit_finish (NpTeamLedger  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return job_finish_boolean (self, result, error);
}

/* Runs a query whose one value is a JSON array, and returns it parsed. */
static void
json_array_run (NpTeamConnection *connection,
                GTask            *task,
                const char       *sql,
                int               n_params,
                const char      **params,
                GCancellable     *cancellable)
{
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  PGresult *result = NULL;

  if (require_schema (connection, &error))
    result = np_team_connection_exec (connection, cancellable, sql, n_params, params, &error);
  if (result == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  node = json_from_string (PQgetvalue (result, 0, 0), &error);
  PQclear (result);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_clear_error (&error);
      g_task_return_new_error (task, NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_QUERY, "%s",
                               _("The team ledger answered with something that is not a list."));
      return;
    }
  g_task_return_pointer (task, json_array_ref (json_node_get_array (node)), (GDestroyNotify) json_array_unref);
}

static void
list_limits_run (NpTeamConnection *connection,
                 GTask            *task,
                 Job              *job,
                 GCancellable     *cancellable)
{
  const char *params[] = { job->text[0] };

  json_array_run (connection, task,
      "SELECT coalesce (json_agg (json_build_object ('currency', currency, 'amount', amount,"
      "  'request_lifetime_seconds', extract (epoch FROM request_lifetime)::bigint) ORDER BY currency), '[]')"
      " FROM np_team.approval_limits WHERE account_id = $1",
      G_N_ELEMENTS (params), params, cancellable);
}

void
np_team_ledger_list_approval_limits_async (NpTeamLedger       *self,
                                           const char         *account_id,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  check_account_id (account_id, &error);
  job = job_new (list_limits_run);
  job->text[0] = g_strdup (account_id);
  queue_checked_job (self, job, error, np_team_ledger_list_approval_limits_async, cancellable, callback, user_data);
}

JsonArray *
np_team_ledger_list_approval_limits_finish (NpTeamLedger  *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return job_finish_pointer (self, result, error);
}

static void
decide_run (NpTeamConnection *connection,
            GTask            *task,
            Job              *job,
            GCancellable     *cancellable)
{
  g_autofree char *request = g_strdup_printf ("%" G_GINT64_FORMAT, job->number[0]);
  const char *params[] = { request, job->text[0], connection->desk_name, connection->os_user, connection->host };
  GError *error = NULL;
  PGresult *result = NULL;
  gint64 id;

  if (require_schema (connection, &error))
    result = np_team_connection_exec (connection, cancellable,
                                      job->number[1] == NP_TEAM_DECISION_WITHDRAW
                                        ? "SELECT np_team.withdraw_refund_request ($1, $2, $3, $4, $5)"
                                        : "SELECT np_team.reject_refund_request ($1, $2, $3, $4, $5)",
                                      G_N_ELEMENTS (params), params, &error);
  if (result == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  id = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  g_task_return_int (task, id);
}

void
np_team_ledger_decide_request_async (NpTeamLedger       *self,
                                     gint64              request_id,
                                     NpTeamDecision      decision,
                                     const char         *comment,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));
  g_return_if_fail (decision == NP_TEAM_DECISION_REJECT || decision == NP_TEAM_DECISION_WITHDRAW);

  if (request_id <= 0)
    {
      g_task_report_new_error (self, callback, user_data, np_team_ledger_decide_request_async,
                               NP_TEAM_LEDGER_ERROR, NP_TEAM_LEDGER_ERROR_INVALID, "%s",
                               _("No such refund request."));
      return;
    }
  job = job_new (decide_run);
  job->number[0] = request_id;
  job->number[1] = decision;
  job->text[0] = g_strdup (comment != NULL && *comment != '\0' ? comment : NULL);
  queue_job (self, job, np_team_ledger_decide_request_async, cancellable, callback, user_data);
}

gint64
np_team_ledger_decide_request_finish (NpTeamLedger  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? id : 0;
}

static void
list_requests_run (NpTeamConnection *connection,
                   GTask            *task,
                   Job              *job,
                   GCancellable     *cancellable)
{
  const char *params[] = { job->text[0], job->number[0] ? "t" : "f" };

  json_array_run (connection, task,
      "SELECT coalesce (json_agg (json_build_object ("
      "  'id', r.id, 'object_id', r.object_id, 'amount', r.amount, 'currency', r.currency,"
      "  'reason', r.reason, 'summary', r.summary, 'requester', r.requester, 'desk', r.desk,"
      "  'os_user', r.os_user, 'requested', r.requested, 'expires', r.expires,"
      "  'state', CASE WHEN r.state = 'open' AND r.expires <= now() THEN 'expired' ELSE r.state END,"
      "  'decision_id', d.id, 'decider', d.decider, 'decided_desk', d.desk, 'decided_os_user', d.os_user,"
      "  'comment', d.comment, 'journal_id', d.journal_id) ORDER BY r.id DESC), '[]')"
      " FROM np_team.refund_requests r LEFT JOIN np_team.refund_decisions d ON d.request_id = r.id"
      " WHERE r.account_id = $1 AND (NOT $2::boolean OR (r.state = 'open' AND r.expires > now()))",
      G_N_ELEMENTS (params), params, cancellable);
}

void
np_team_ledger_list_refund_requests_async (NpTeamLedger       *self,
                                           const char         *account_id,
                                           gboolean            open_only,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  check_account_id (account_id, &error);
  job = job_new (list_requests_run);
  job->text[0] = g_strdup (account_id);
  job->number[0] = open_only;
  queue_checked_job (self, job, error, np_team_ledger_list_refund_requests_async, cancellable, callback, user_data);
}

JsonArray *
np_team_ledger_list_refund_requests_finish (NpTeamLedger  *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return job_finish_pointer (self, result, error);
}

/* The requests decided in a day, for the end-of-day report: each decision made
 * in [$2, $3), and each request left open that expired in it (by now). */
static void
list_day_approvals_run (NpTeamConnection *connection,
                        GTask            *task,
                        Job              *job,
                        GCancellable     *cancellable)
{
  g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, job->number[0]);
  g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT, job->number[1]);
  const char *params[] = { job->text[0], start, end };

  json_array_run (connection, task,
      "SELECT coalesce (json_agg (x ORDER BY x.decided, x.request_id), '[]') FROM ("
      "  SELECT r.id AS request_id, floor (extract (epoch FROM d.decided))::bigint AS decided,"
      "   d.decision, r.object_id, r.amount, r.currency, r.requester, d.decider AS approver, d.comment"
      "  FROM np_team.refund_requests r JOIN np_team.refund_decisions d ON d.request_id = r.id"
      "  WHERE r.account_id = $1 AND d.decided >= to_timestamp ($2::bigint) AND d.decided < to_timestamp ($3::bigint)"
      " UNION ALL"
      "  SELECT r.id, floor (extract (epoch FROM r.expires))::bigint, 'expired', r.object_id, r.amount,"
      "   r.currency, r.requester, NULL, NULL"
      "  FROM np_team.refund_requests r"
      "  WHERE r.account_id = $1 AND r.state = 'open' AND r.expires <= now ()"
      "   AND r.expires >= to_timestamp ($2::bigint) AND r.expires < to_timestamp ($3::bigint)"
      ") AS x",
      G_N_ELEMENTS (params), params, cancellable);
}

void
np_team_ledger_list_day_approvals_async (NpTeamLedger       *self,
                                         const char         *account_id,
                                         gint64              start,
                                         gint64              end,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  if (!check_account_id (account_id, &error))
    {
      g_task_report_error (self, callback, user_data, np_team_ledger_list_day_approvals_async, error);
      return;
    }
  job = job_new (list_day_approvals_run);
  job->text[0] = g_strdup (account_id);
  job->number[0] = start;
  job->number[1] = end;
  queue_job (self, job, np_team_ledger_list_day_approvals_async, cancellable, callback, user_data);
}

JsonArray *
np_team_ledger_list_day_approvals_finish (NpTeamLedger  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return job_finish_pointer (self, result, error);
}

/* The object */

/* The audit chain */

static void
verify_chain_run (NpTeamConnection *connection,
                  GTask            *task,
                  Job              *job,
                  GCancellable     *cancellable)
{
  GError *error = NULL;

  /* Needs connect only: a desk that only verifies (--verify-audit-trail) checks
   * the schema's version and rights but takes no lease. */
  if (connection->conn == NULL)
    require_schema (connection, &error);
  else if (!connection->schema_ready)
    np_team_schema_ensure (connection, FALSE, cancellable, &error);
  if (error != NULL ||
      !np_team_chain_verify (connection, job->text[0], &job->chain, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
np_team_ledger_verify_chain_async (NpTeamLedger       *self,
                                   const char         *account_id,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  if (account_id != NULL)
    check_account_id (account_id, &error);
  job = job_new (verify_chain_run);
  job->text[0] = g_strdup (account_id);
  queue_checked_job (self, job, error, np_team_ledger_verify_chain_async, cancellable, callback, user_data);
}

gboolean
np_team_ledger_verify_chain_finish (NpTeamLedger  *self,
                                    GAsyncResult  *result,
                                    guint         *out_n_rows,
                                    char         **out_head,
                                    gint64        *out_bad_entry,
                                    GError       **error)
{
  Job *job;
  NpTeamChainReport *report;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  /* A call refused before queueing carries no job. */
  job = g_task_get_task_data (G_TASK (result));
  report = job != NULL ? &job->chain : NULL;
  if (out_bad_entry != NULL)
    *out_bad_entry = report != NULL ? report->bad_entry : 0;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_n_rows != NULL)
    *out_n_rows = report->n_rows;
  if (out_head != NULL)
    *out_head = g_strdup (report->head != NULL ? report->head : "");
  return TRUE;
}

static void
chain_head_run (NpTeamConnection *connection,
                GTask            *task,
                Job              *job,
                GCancellable     *cancellable)
{
  GError *error = NULL;

  if (!require_schema (connection, &error) ||
      !np_team_chain_head (connection, job->text[0], &job->chain, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
np_team_ledger_get_chain_head_async (NpTeamLedger       *self,
                                     const char         *account_id,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  GError *error = NULL;
  Job *job;

  g_return_if_fail (NP_IS_TEAM_LEDGER (self));

  check_account_id (account_id, &error);
  job = job_new (chain_head_run);
  job->text[0] = g_strdup (account_id);
  queue_checked_job (self, job, error, np_team_ledger_get_chain_head_async, cancellable, callback, user_data);
}

gboolean
np_team_ledger_get_chain_head_finish (NpTeamLedger  *self,
                                      GAsyncResult  *result,
                                      gint64        *out_seq,
                                      char         **out_hash,
                                      GError       **error)
{
  Job *job;

  if (!job_finish_boolean (self, result, error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (out_seq != NULL)
    *out_seq = job->chain.head_seq;
  if (out_hash != NULL)
    *out_hash = g_strdup (job->chain.head != NULL ? job->chain.head : "");
  return TRUE;
}

static void
np_team_ledger_dispose (GObject *object)
{
  NpTeamLedger *self = NP_TEAM_LEDGER (object);

  g_cancellable_cancel (self->renew_cancellable);
  g_clear_handle_id (&self->renew_id, g_source_remove);

  G_OBJECT_CLASS (np_team_ledger_parent_class)->dispose (object);
}

static void
np_team_ledger_finalize (GObject *object)
{
  NpTeamLedger *self = NP_TEAM_LEDGER (object);
  Worker *worker = self->worker;

  /* No task is queued (each holds a ref on self): the worker ends at once. The
   * last unref may come from the worker itself, which cannot join itself. */
  g_async_queue_push (worker->queue, STOP_MARK);
  if (g_thread_self () == worker->thread)
    g_thread_unref (worker->thread);
  else
    g_thread_join (worker->thread);
  g_atomic_rc_box_release_full (worker, (GDestroyNotify) worker_release);

  g_clear_object (&self->renew_cancellable);
  g_free (self->desk_name);
  g_free (self->os_user);
  g_free (self->host);
  g_free (self->lease_id);
  g_free (self->ledger_id);

  G_OBJECT_CLASS (np_team_ledger_parent_class)->finalize (object);
}

static void
np_team_ledger_constructed (GObject *object)
{
  NpTeamLedger *self = NP_TEAM_LEDGER (object);
  Worker *worker;

  G_OBJECT_CLASS (np_team_ledger_parent_class)->constructed (object);

  if (self->desk_name == NULL || *self->desk_name == '\0')
    {
      g_free (self->desk_name);
      self->desk_name = g_strdup (g_get_host_name ());
    }

  worker = g_atomic_rc_box_new0 (Worker);
  worker->queue = g_async_queue_new ();
  worker->connection.desk_name = g_strdup (self->desk_name);
  worker->connection.os_user = g_strdup (self->os_user);
  worker->connection.host = g_strdup (self->host);
  worker->connection.minimum_server_version = MINIMUM_SERVER_VERSION;
  self->worker = worker;
  /* The thread holds its own reference to the worker. */
  worker->thread = g_thread_new ("np-team-ledger", worker_main, g_atomic_rc_box_acquire (worker));
}

static void
np_team_ledger_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  NpTeamLedger *self = NP_TEAM_LEDGER (object);

  switch (prop_id)
    {
    case PROP_DESK_NAME:
      self->desk_name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_team_ledger_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  NpTeamLedger *self = NP_TEAM_LEDGER (object);

  switch (prop_id)
    {
    case PROP_DESK_NAME:
      g_value_set_string (value, self->desk_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_team_ledger_class_init (NpTeamLedgerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = np_team_ledger_constructed;
  object_class->dispose = np_team_ledger_dispose;
  object_class->finalize = np_team_ledger_finalize;
  object_class->set_property = np_team_ledger_set_property;
  object_class->get_property = np_team_ledger_get_property;

  properties[PROP_DESK_NAME] =
    g_param_spec_string ("desk-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
np_team_ledger_init (NpTeamLedger *self)
{
  self->os_user = g_strdup (g_get_user_name ());
  self->host = g_strdup (g_get_host_name ());
  self->lease_seconds = NP_TEAM_LEDGER_DEFAULT_LEASE_SECONDS;
  self->minimum_server_version = MINIMUM_SERVER_VERSION;
  self->renew_cancellable = g_cancellable_new ();
}

NpTeamLedger *
np_team_ledger_new (const char *desk_name)
{
  return g_object_new (NP_TYPE_TEAM_LEDGER, "desk-name", desk_name, NULL);
}

const char *
np_team_ledger_get_desk_name (NpTeamLedger *self)
{
  g_return_val_if_fail (NP_IS_TEAM_LEDGER (self), NULL);
  return self->desk_name;
}

const char *
np_team_ledger_get_os_user (NpTeamLedger *self)
{
  g_return_val_if_fail (NP_IS_TEAM_LEDGER (self), NULL);
  return self->os_user;
}

const char *
np_team_ledger_get_host (NpTeamLedger *self)
{
  g_return_val_if_fail (NP_IS_TEAM_LEDGER (self), NULL);
  return self->host;
}

const char *
np_team_ledger_get_ledger_id (NpTeamLedger *self)
{
  g_return_val_if_fail (NP_IS_TEAM_LEDGER (self), NULL);
  return self->ledger_id;
}

const char *
np_team_ledger_get_lease_id (NpTeamLedger *self)
{
  g_return_val_if_fail (NP_IS_TEAM_LEDGER (self), NULL);
  return self->lease_id;
}

void
np_team_ledger_set_lease_seconds (NpTeamLedger *self,
                                  guint         seconds)
{
  g_return_if_fail (NP_IS_TEAM_LEDGER (self));
  g_return_if_fail (seconds > 0);
  self->lease_seconds = seconds;
}

guint
np_team_ledger_get_lease_seconds (NpTeamLedger *self)
{
  g_return_val_if_fail (NP_IS_TEAM_LEDGER (self), 0);
  return self->lease_seconds;
}

void
np_team_ledger_set_minimum_server_version (NpTeamLedger *self,
                                           int           version)
{
  g_return_if_fail (NP_IS_TEAM_LEDGER (self));
  self->minimum_server_version = version;
}
