/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sandbox-connections.c — see np-sandbox-connections.h.
 *
 * Connections are found again from a message by the client's address and port,
 * which is unique among open connections (libsoup gives no socket for a stream it
 * was handed). The watch peeks and never reads: the request is libsoup's.
 */
#include "np-sandbox-connections.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

typedef struct
{
  NpSandboxConnections *owner;
  char                 *key;
  GSocket              *socket;
  GSource              *watch;    /* armed while no request is being read */
  SoupServerMessage    *waiting;  /* the request libsoup waits for, if any */
} Connection;

struct _NpSandboxConnections
{
  GHashTable *by_remote;  /* "address:port" → Connection */
};

static void
connection_disarm (Connection *connection)
{
  if (connection->watch != NULL)
    g_source_destroy (connection->watch);
  g_clear_pointer (&connection->watch, g_source_unref);
}

static void
connection_free (Connection *connection)
{
  connection_disarm (connection);
  g_clear_object (&connection->waiting);
  g_clear_object (&connection->socket);
  g_free (connection->key);
  g_free (connection);
}

static char *
remote_key (GSocketAddress *remote)
{
  g_autofree char *address = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return NULL;
  address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  return g_strdup_printf ("%s:%u", address, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)));
}

static Connection *
lookup (NpSandboxConnections *self,
        SoupServerMessage    *msg)
{
  g_autofree char *key = remote_key (soup_server_message_get_remote_address (msg));

  return key != NULL ? g_hash_table_lookup (self->by_remote, key) : NULL;
}

static gboolean
on_readable (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  Connection *connection = user_data;
  g_autoptr(GIOStream) stream = NULL;
  char byte;
  gssize n;

  /* Closed by libsoup, by a fault, or by us: forget it (its descriptor number may
   * already belong to another connection, so it is not touched). */
  if (g_socket_is_closed (socket))
    {
      g_hash_table_remove (connection->owner->by_remote, connection->key);
      return G_SOURCE_REMOVE;
    }

  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (n > 0)
    {
      /* A request is coming; watch again once it has been answered. */
      g_clear_pointer (&connection->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  /* The client hung up between requests. Taking the connection from the waiting
   * message makes libsoup release it; then it is ours to close. */
  if (connection->waiting != NULL)
    {
      g_object_set_data (G_OBJECT (connection->waiting), "np-logged", GINT_TO_POINTER (1));
      stream = soup_server_message_steal_connection (connection->waiting);
    }
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
  else
    g_socket_close (socket, NULL);
  g_clear_pointer (&connection->watch, g_source_unref);
  g_hash_table_remove (connection->owner->by_remote, connection->key);
  return G_SOURCE_REMOVE;
}

static void
connection_arm (Connection *connection)
{
  if (connection->watch != NULL || g_socket_is_closed (connection->socket))
    return;
  connection->watch = g_socket_create_source (connection->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (connection->watch, (GSourceFunc) (GCallback) on_readable, connection, NULL);
  g_source_attach (connection->watch, g_main_context_get_thread_default ());
}

NpSandboxConnections *
np_sandbox_connections_new (void)
{
  NpSandboxConnections *self = g_new0 (NpSandboxConnections, 1);

  self->by_remote = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) connection_free);
  return self;
}

void
np_sandbox_connections_free (NpSandboxConnections *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->by_remote);
  g_free (self);
}

void
np_sandbox_connections_add (NpSandboxConnections *self,
                            GSocket              *socket,
                            GSocketAddress       *remote)
{
  Connection *connection;
  char *key = remote_key (remote);

  if (key == NULL)
    return;
  connection = g_new0 (Connection, 1);
  connection->owner = self;
  connection->key = key;
  connection->socket = g_object_ref (socket);
  /* The table owns the connection; a stale entry with the same address (closed but
   * not yet noticed) is dropped. */
  g_hash_table_replace (self->by_remote, connection->key, connection);
  connection_arm (connection);
}

void
np_sandbox_connections_request_started (NpSandboxConnections *self,
                                        SoupServerMessage    *msg)
{
  Connection *connection = lookup (self, msg);

  if (connection != NULL)
    g_set_object (&connection->waiting, msg);
}

void
np_sandbox_connections_request_read (NpSandboxConnections *self,
                                     SoupServerMessage    *msg)
{
  Connection *connection = lookup (self, msg);

  /* From here on the message is being answered: libsoup handles a hang-up. */
  if (connection != NULL && connection->waiting == msg)
    {
      g_clear_object (&connection->waiting);
      connection_disarm (connection);
    }
}

void
np_sandbox_connections_request_finished (NpSandboxConnections *self,
                                         SoupServerMessage    *msg)
{
  Connection *connection = lookup (self, msg);

  if (connection == NULL)
    return;
  /* libsoup closed it (the client asked for Connection: close): nothing to watch. */
  if (g_socket_is_closed (connection->socket))
    g_hash_table_remove (self->by_remote, connection->key);
  else
    connection_arm (connection);
}

void
np_sandbox_connections_forget (NpSandboxConnections *self,
                               SoupServerMessage    *msg)
{
  Connection *connection = lookup (self, msg);

  if (connection != NULL)
    g_hash_table_remove (self->by_remote, connection->key);
}

guint
np_sandbox_connections_count_address (NpSandboxConnections *self,
                                      GSocketAddress       *remote)
{
  g_autofree char *key = remote_key (remote);
  const char *colon;
  GHashTableIter iter;
  gpointer value;
  guint count = 0;

  if (key == NULL)
    return 0;
  /* "address:port": the address is what comes before the last colon. */
  colon = strrchr (key, ':');
  g_hash_table_iter_init (&iter, self->by_remote);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Connection *connection = value;

      /* One closed but not yet noticed is not open. */
      if (g_socket_is_closed (connection->socket))
        continue;
      if (strncmp (connection->key, key, colon - key + 1) == 0)
        count++;
    }
  return count;
}
