/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-libpq-loader.c — libpq, loaded when the team ledger first uses it.
 *
 * Linked at start, libpq brings eleven libraries of its own into every process
 * (OpenSSL's libcrypto and libssl, GnuTLS and its four, OpenLDAP and SASL): the
 * dynamic linker relocates them before main (30 M instructions, most of them
 * libcrypto's and GnuTLS's bound-now relocations) and every symbol the GL driver
 * later looks up walks past them, on the way to the console's first frame, for
 * the team ledger that most desks never join. The console links these forwarders
 * instead: each has libpq's own prototype (from libpq-fe.h, so the compiler checks
 * them) and calls the real function, looked up once, on the first call from any
 * thread, in libpq loaded with its libraries kept out of the global scope.
 *
 * A function of libpq that the team ledger starts to use needs its line below:
 * without it the link fails with an undefined reference.
 */
#include "config.h"

#include <gmodule.h>
#include <libpq-fe.h>

#include "np-libpq-loader.h"

/* F (return type, name, parameters, arguments): those returning a value.
 * V (name, parameters, arguments): those returning nothing. */
#define NP_LIBPQ_FUNCTIONS(F, V) \
  F (char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num)) \
  V (PQclear, (PGresult *res), (res)) \
  F (int, PQntuples, (const PGresult *res), (res)) \
  V (PQfinish, (PGconn *conn), (conn)) \
  F (int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num)) \
  F (ConnStatusType, PQstatus, (const PGconn *conn), (conn)) \
  F (int, PQsocket, (const PGconn *conn), (conn)) \
  F (int, PQserverVersion, (const PGconn *conn), (conn)) \
  F (char *, PQerrorMessage, (const PGconn *conn), (conn)) \
  F (int, PQconsumeInput, (PGconn *conn), (conn)) \
  F (char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode)) \
  F (char *, PQhost, (const PGconn *conn), (conn)) \
  F (char *, PQhostaddr, (const PGconn *conn), (conn)) \
  F (int, PQcancel, (PGcancel *cancel, char *errbuf, int errbufsize), (cancel, errbuf, errbufsize)) \
  F (PGcancel *, PQgetCancel, (PGconn *conn), (conn)) \
  V (PQfreeCancel, (PGcancel *cancel), (cancel)) \
  F (int, PQsslInUse, (PGconn *conn), (conn)) \
  F (int, PQsetnonblocking, (PGconn *conn, int arg), (conn, arg)) \
  F (int, PQsendQuery, (PGconn *conn, const char *query), (conn, query)) \
  F (int, PQsendQueryParams, (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, \
                              const char *const *paramValues, const int *paramLengths, \
                              const int *paramFormats, int resultFormat), \
     (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat)) \
  F (ExecStatusType, PQresultStatus, (const PGresult *res), (res)) \
  F (PGnotify *, PQnotifies, (PGconn *conn), (conn)) \
  F (int, PQisBusy, (PGconn *conn), (conn)) \
  F (PGresult *, PQgetResult, (PGconn *conn), (conn)) \
  V (PQfreemem, (void *ptr), (ptr)) \
  F (int, PQflush, (PGconn *conn), (conn)) \
  F (PQconninfoOption *, PQconninfoParse, (const char *conninfo, char **errmsg), (conninfo, errmsg)) \
  V (PQconninfoFree, (PQconninfoOption *connOptions), (connOptions)) \
  F (PGconn *, PQconnectStartParams, (const char *const *keywords, const char *const *values, int expand_dbname), \
     (keywords, values, expand_dbname)) \
  F (PostgresPollingStatusType, PQconnectPoll, (PGconn *conn), (conn))

/* The real functions, once loaded. */
#define NP_LIBPQ_POINTER_F(type, name, params, args) type (*name) params;
#define NP_LIBPQ_POINTER_V(name, params, args) void (*name) params;
static struct {
  NP_LIBPQ_FUNCTIONS (NP_LIBPQ_POINTER_F, NP_LIBPQ_POINTER_V)
} real;

static const char *const names[] = {
#define NP_LIBPQ_NAME_F(type, name, params, args) #name,
#define NP_LIBPQ_NAME_V(name, params, args) #name,
  NP_LIBPQ_FUNCTIONS (NP_LIBPQ_NAME_F, NP_LIBPQ_NAME_V)
};

G_STATIC_ASSERT (sizeof real == G_N_ELEMENTS (names) * sizeof (gpointer));

static GModule *libpq;

static gpointer
load_libpq (gpointer data)
{
  gpointer *slots = (gpointer *) &real;

  /* Local: its libraries stay out of the scope every later symbol lookup walks. */
  libpq = g_module_open (NP_LIBPQ_SONAME, G_MODULE_BIND_LOCAL);
  if (libpq == NULL)
    g_error ("The team ledger needs %s, which could not be loaded: %s", NP_LIBPQ_SONAME, g_module_error ());
  g_module_make_resident (libpq);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (!g_module_symbol (libpq, names[i], &slots[i]) || slots[i] == NULL)
      g_error ("%s has no %s: %s", NP_LIBPQ_SONAME, names[i], g_module_error ());

  return GINT_TO_POINTER (TRUE);
}

static inline void
ensure_libpq (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, load_libpq, NULL);
}

/**
 * np_libpq_is_loaded:
 *
 * Whether libpq has been loaded in this process (the team ledger called it).
 */
gboolean
np_libpq_is_loaded (void)
{
  return g_atomic_pointer_get (&libpq) != NULL;
}

#define NP_LIBPQ_FORWARD_F(type, name, params, args) \
  type name params { ensure_libpq (); return real.name args; }
#define NP_LIBPQ_FORWARD_V(name, params, args) \
  void name params { ensure_libpq (); real.name args; }
NP_LIBPQ_FUNCTIONS (NP_LIBPQ_FORWARD_F, NP_LIBPQ_FORWARD_V)
