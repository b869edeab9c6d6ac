/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-test-postgres.h — a private PostgreSQL 15 cluster for a test binary.
 *
 * np_test_postgres_start () runs initdb in a fresh /tmp/np-pg-XXXXXX (as the
 * `postgres` user when the test runs as root, since initdb refuses root), starts
 * the server listening on a Unix socket in that directory only, and waits until
 * it accepts connections (polling a connect under a deadline). The superuser
 * np_admin connects over the socket without a password; every other role needs
 * its password (scram-sha-256), so password authentication is really exercised.
 *
 * The server runs under tests/team/pg-watchdog, whose stdin is a pipe from the
 * test process: when the test stops it, or dies (a failed g_assert aborts), the
 * watchdog shuts the server down and removes the directory. No server outlives
 * its test.
 */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

typedef struct _NpTestPostgres NpTestPostgres;

/* Starts a cluster; fails the test when it cannot. Stopped at exit at the latest. */
NpTestPostgres *np_test_postgres_start          (void);
/* The same, and the server also takes TLS on 127.0.0.1 (no other address) at a
 * free port: ssl=on with a self-signed certificate for "localhost" (subject and
 * subjectAltName) that `openssl req -x509` makes in the cluster's directory, its
 * key readable by the server's user only. Over TCP only hostssl connections with
 * a password come in; the Unix socket works as for any cluster. For the tests of
 * TLS trouble (a certificate a desk cannot verify, a host name it does not name). */
NpTestPostgres *np_test_postgres_start_tls      (void);
/* One cluster per test binary: started on first use, stopped at exit. */
NpTestPostgres *np_test_postgres_get_shared     (void);
/* Stops the server (fast shutdown), waits for it and removes its directory. */
void            np_test_postgres_stop           (NpTestPostgres *pg);

/* Shuts the server down (fast) and keeps the cluster, returning once nothing
 * answers on its socket; resume starts it again and waits until it is ready. */
void            np_test_postgres_pause          (NpTestPostgres *pg);
void            np_test_postgres_resume         (NpTestPostgres *pg);

const char     *np_test_postgres_get_dir        (NpTestPostgres *pg);   /* also the socket directory */
const char     *np_test_postgres_get_log_path   (NpTestPostgres *pg);
/* The TCP port of a np_test_postgres_start_tls () cluster; 0 for a socket-only one. */
guint           np_test_postgres_get_port       (NpTestPostgres *pg);
/* A TLS cluster's server certificate (as a root certificate, it verifies the
 * server), and another self-signed certificate that does not. NULL without TLS. */
const char     *np_test_postgres_get_certificate_path       (NpTestPostgres *pg);
const char     *np_test_postgres_get_other_certificate_path (NpTestPostgres *pg);
/* The password of every role made by np_test_postgres_create_role (). Random per cluster. */
const char     *np_test_postgres_get_password   (NpTestPostgres *pg);

/* postgresql:///DBNAME?host=DIR&user=USER (no password in it; &port=PORT on a TLS cluster). */
char           *np_test_postgres_dup_uri        (NpTestPostgres *pg,
                                                 const char     *user,
                                                 const char     *dbname);

/* A blocking connection as the superuser, for a test's own SQL. */
PGconn         *np_test_postgres_connect_admin  (NpTestPostgres *pg,
                                                 const char     *dbname);
/* Runs @sql as the superuser in @dbname and fails the test on error. */
void            np_test_postgres_exec           (NpTestPostgres *pg,
                                                 const char     *dbname,
                                                 const char     *sql);
/* The single value of a one-row, one-column query (NULL for SQL NULL). */
char           *np_test_postgres_query_value    (NpTestPostgres *pg,
                                                 const char     *dbname,
                                                 const char     *sql);

/* A login role with the cluster's password and @attributes ("", "CREATEDB", ...).
 * A role of that name already made is reused. */
void            np_test_postgres_create_role    (NpTestPostgres *pg,
                                                 const char     *role,
                                                 const char     *attributes);
/* A role that cannot log in, for others to be members of (the schema's np_desk);
 * one already made is reused. */
void            np_test_postgres_create_group_role (NpTestPostgres *pg,
                                                    const char     *role);
/* A new empty database owned by @owner (NULL: np_admin); returns its name. */
char           *np_test_postgres_create_database (NpTestPostgres *pg,
                                                 const char     *owner);
void            np_test_postgres_drop_database  (NpTestPostgres *pg,
                                                 const char     *dbname);

G_END_DECLS
