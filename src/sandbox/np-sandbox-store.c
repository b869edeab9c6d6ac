/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-sandbox-store.c — see np-sandbox-store.h.
 *
 * The state file: {"version": 1, "worlds": {"test": {"checkouts": {id: obj},
 * "customers": {id: obj}}, "live": {...}}, "clock": {"offset_seconds": N}}. Keys
 * are never written to it. A file without "clock" runs on the real time.
 */
#include "np-sandbox-store.h"

#include <gio/gio.h>

struct _NpSandboxStore
{
  GObject     parent_instance;

  char       *state_path;
  /* per world: id → JsonObject */
  GHashTable *checkouts[NP_SANDBOX_N_WORLDS];
  GHashTable *customers[NP_SANDBOX_N_WORLDS];
  gint64      clock_offset;  /* seconds ahead of the real time */
  gboolean    dirty;         /* a clock move not yet written */
};

G_DEFINE_FINAL_TYPE (NpSandboxStore, np_sandbox_store, G_TYPE_OBJECT)

static const char * const world_names[NP_SANDBOX_N_WORLDS] = { "test", "live" };

static void
np_sandbox_store_finalize (GObject *object)
{
  NpSandboxStore *self = NP_SANDBOX_STORE (object);

  for (guint w = 0; w < NP_SANDBOX_N_WORLDS; w++)
    {
      g_clear_pointer (&self->checkouts[w], g_hash_table_unref);
      g_clear_pointer (&self->customers[w], g_hash_table_unref);
    }
  g_clear_pointer (&self->state_path, g_free);

  G_OBJECT_CLASS (np_sandbox_store_parent_class)->finalize (object);
}

static void
np_sandbox_store_class_init (NpSandboxStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = np_sandbox_store_finalize;
}

static GHashTable *
new_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) json_object_unref);
}

static void
np_sandbox_store_init (NpSandboxStore *self)
{
  for (guint w = 0; w < NP_SANDBOX_N_WORLDS; w++)
    {
      self->checkouts[w] = new_table ();
      self->customers[w] = new_table ();
    }
}

NpSandboxStore *
np_sandbox_store_new (const char *state_path)
{
  NpSandboxStore *self = g_object_new (NP_TYPE_SANDBOX_STORE, NULL);

  self->state_path = g_strdup (state_path);
  return self;
}

static void
load_table (GHashTable *table,
            JsonObject *records)
{
  g_autoptr(GList) members = NULL;

  if (records == NULL)
    return;

  members = json_object_get_members (records);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (records, l->data);

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_hash_table_replace (table, g_strdup (l->data),
                              json_object_ref (json_node_get_object (node)));
    }
}

static JsonObject *
get_object_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

gboolean
np_sandbox_store_load (NpSandboxStore  *self,
                       GError         **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *worlds, *clock;

  g_return_val_if_fail (NP_IS_SANDBOX_STORE (self), FALSE);

  if (self->state_path == NULL || !g_file_test (self->state_path, G_FILE_TEST_EXISTS))
    return TRUE;

  parser = json_parser_new ();
  if (!json_parser_load_from_file (parser, self->state_path, error))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a sandbox state file", self->state_path);
      return FALSE;
    }

  clock = get_object_member (json_node_get_object (root), "clock");
  if (clock != NULL)
    {
      JsonNode *offset = json_object_get_member (clock, "offset_seconds");

      /* A hand-edited file with a wrong type is refused rather than read as 0. */
      if (offset == NULL || json_node_get_value_type (offset) != G_TYPE_INT64 ||
          ABS (json_node_get_int (offset)) > NP_SANDBOX_MAX_CLOCK_OFFSET)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: clock.offset_seconds must be a whole number of seconds within 100 years",
                       self->state_path);
          return FALSE;
        }
      self->clock_offset = json_node_get_int (offset);
    }

  worlds = get_object_member (json_node_get_object (root), "worlds");
  for (guint w = 0; w < NP_SANDBOX_N_WORLDS; w++)
    {
      JsonObject *world = get_object_member (worlds, world_names[w]);

      load_table (self->checkouts[w], get_object_member (world, "checkouts"));
      load_table (self->customers[w], get_object_member (world, "customers"));
    }
  return TRUE;
}

static JsonObject *
table_to_object (GHashTable *table)
{
  JsonObject *object = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_object_member (object, key, json_object_ref (value));
  return object;
}

gboolean
np_sandbox_store_save (NpSandboxStore  *self,
                       GError         **error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonObject *worlds;

  g_return_val_if_fail (NP_IS_SANDBOX_STORE (self), FALSE);

  if (self->state_path == NULL)
    return TRUE;

  root = json_object_new ();
  worlds = json_object_new ();
  json_object_set_int_member (root, "version", 1);
  for (guint w = 0; w < NP_SANDBOX_N_WORLDS; w++)
    {
      JsonObject *world = json_object_new ();

      json_object_set_object_member (world, "checkouts", table_to_object (self->checkouts[w]));
      json_object_set_object_member (world, "customers", table_to_object (self->customers[w]));
      json_object_set_object_member (worlds, world_names[w], world);
    }
  json_object_set_object_member (root, "worlds", worlds);
  if (self->clock_offset != 0)
    {
      JsonObject *clock = json_object_new ();

      json_object_set_int_member (clock, "offset_seconds", self->clock_offset);
      json_object_set_object_member (root, "clock", clock);
    }

  node = json_node_init_object (json_node_alloc (), root);
  text = json_to_string (node, FALSE);
  /* g_file_set_contents writes a temporary file and renames it: a crash mid-save
   * leaves the previous state, never half of one. */
  return g_file_set_contents (self->state_path, text, -1, error);
}

void
np_sandbox_store_clock_changed (NpSandboxStore *self)
{
  /* Written with the next change of an object, or when the server stops: a run
   * that moves the clock before each of a hundred steps would otherwise write
   * (and sync) the whole state twice a step. A crash loses at most a clock move,
   * never an object. */
  self->dirty = TRUE;
}

void
np_sandbox_store_flush (NpSandboxStore *self)
{
  if (self->dirty)
    np_sandbox_store_changed (self);
}

void
np_sandbox_store_changed (NpSandboxStore *self)
{
  g_autoptr(GError) error = NULL;

  self->dirty = FALSE;

  if (!np_sandbox_store_save (self, &error))
    g_warning ("Could not save the sandbox state: %s", error->message);
}

char *
np_sandbox_store_new_id (NpSandboxStore *self)
{
  for (;;)
    {
      GString *id = g_string_sized_new (33);

      for (guint i = 0; i < 4; i++)
        g_string_append_printf (id, "%08x", g_random_int ());

      if (np_sandbox_store_find_checkout (self, id->str, NULL) == NULL &&
          np_sandbox_store_find_customer (self, id->str, NULL) == NULL)
        return g_string_free (id, FALSE);
      g_string_free (id, TRUE);
    }
}

char *
np_sandbox_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

gint64
np_sandbox_store_get_now_unix (NpSandboxStore *self)
{
  g_return_val_if_fail (NP_IS_SANDBOX_STORE (self), 0);
  return g_get_real_time () / G_USEC_PER_SEC + self->clock_offset;
}

char *
np_sandbox_store_now (NpSandboxStore *self)
{
  return np_sandbox_format_time (np_sandbox_store_get_now_unix (self));
}

gint64
np_sandbox_store_get_clock_offset (NpSandboxStore *self)
{
  g_return_val_if_fail (NP_IS_SANDBOX_STORE (self), 0);
  return self->clock_offset;
}

static void
note_stamp (JsonObject *record,
            const char *member,
            gint64     *latest)
{
  const char *text = json_object_get_string_member_with_default (record, member, NULL);
  g_autoptr(GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  if (time != NULL)
    *latest = MAX (*latest, g_date_time_to_unix (time));
}

gint64
np_sandbox_store_get_latest_stamp (NpSandboxStore *self)
{
  gint64 latest = 0;

  g_return_val_if_fail (NP_IS_SANDBOX_STORE (self), 0);

  /* Only asked when the clock is set: a scan is cheaper than keeping a mark right
   * through deletes and reloads. */
  for (guint w = 0; w < NP_SANDBOX_N_WORLDS; w++)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->checkouts[w]);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          JsonArray *refunds = json_object_get_array_member (value, "refunds");

          note_stamp (value, "created", &latest);
          note_stamp (value, "updated", &latest);
          for (guint i = 0; refunds != NULL && i < json_array_get_length (refunds); i++)
            {
              JsonObject *refund = json_array_get_object_element (refunds, i);

              if (refund != NULL)
                note_stamp (refund, "created", &latest);
            }
        }
      g_hash_table_iter_init (&iter, self->customers[w]);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        note_stamp (value, "created", &latest);
    }
  return latest;
}

gboolean
np_sandbox_store_set_clock (NpSandboxStore  *self,
                            gint64           now_unix,
                            GError         **error)
{
  gint64 real = g_get_real_time () / G_USEC_PER_SEC;
  gint64 latest;

  g_return_val_if_fail (NP_IS_SANDBOX_STORE (self), FALSE);

  if (ABS (now_unix - real) > NP_SANDBOX_MAX_CLOCK_OFFSET)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The sandbox clock stays within 100 years of the real time");
      return FALSE;
    }
  latest = np_sandbox_store_get_latest_stamp (self);
  if (now_unix < latest)
    {
      g_autofree char *wanted = np_sandbox_format_time (now_unix);
      g_autofree char *stamped = np_sandbox_format_time (latest);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The sandbox clock does not go back to %s: objects carry times up to %s, "
                   "and a checkout must not be paid before it was made",
                   wanted, stamped);
      return FALSE;
    }
  self->clock_offset = now_unix - real;
  return TRUE;
}

JsonObject *
np_sandbox_store_get_checkout (NpSandboxStore *self,
                               NpSandboxWorld  world,
                               const char     *checkout_id)
{
  g_return_val_if_fail (world < NP_SANDBOX_N_WORLDS, NULL);
  return checkout_id != NULL ? g_hash_table_lookup (self->checkouts[world], checkout_id) : NULL;
}

JsonObject *
np_sandbox_store_get_customer (NpSandboxStore *self,
                               NpSandboxWorld  world,
                               const char     *customer_id)
{
  g_return_val_if_fail (world < NP_SANDBOX_N_WORLDS, NULL);
  return customer_id != NULL ? g_hash_table_lookup (self->customers[world], customer_id) : NULL;
}

static JsonObject *
find_in (GHashTable     **tables,
         const char      *id,
         NpSandboxWorld  *out_world)
{
  for (guint w = 0; w < NP_SANDBOX_N_WORLDS && id != NULL; w++)
    {
      JsonObject *record = g_hash_table_lookup (tables[w], id);

      if (record != NULL)
        {
          if (out_world != NULL)
            *out_world = w;
          return record;
        }
    }
  return NULL;
}

JsonObject *
np_sandbox_store_find_checkout (NpSandboxStore *self,
                                const char     *checkout_id,
                                NpSandboxWorld *out_world)
{
  return find_in (self->checkouts, checkout_id, out_world);
}

JsonObject *
np_sandbox_store_find_customer (NpSandboxStore *self,
                                const char     *customer_id,
                                NpSandboxWorld *out_world)
{
  return find_in (self->customers, customer_id, out_world);
}

void
np_sandbox_store_put_checkout (NpSandboxStore *self,
                               NpSandboxWorld  world,
                               JsonObject     *record)
{
  const char *id = json_object_get_string_member (record, "checkout_id");

  g_return_if_fail (world < NP_SANDBOX_N_WORLDS && id != NULL);
  g_hash_table_replace (self->checkouts[world], g_strdup (id), json_object_ref (record));
}

void
np_sandbox_store_put_customer (NpSandboxStore *self,
                               NpSandboxWorld  world,
                               JsonObject     *record)
{
  const char *id = json_object_get_string_member (record, "customer_id");

  g_return_if_fail (world < NP_SANDBOX_N_WORLDS && id != NULL);
  g_hash_table_replace (self->customers[world], g_strdup (id), json_object_ref (record));
}

gboolean
np_sandbox_store_remove_checkout (NpSandboxStore *self,
                                  NpSandboxWorld  world,
                                  const char     *checkout_id)
{
  g_return_val_if_fail (world < NP_SANDBOX_N_WORLDS, FALSE);
  return g_hash_table_remove (self->checkouts[world], checkout_id);
}

gboolean
np_sandbox_store_remove_customer (NpSandboxStore *self,
                                  NpSandboxWorld  world,
                                  const char     *customer_id)
{
  g_return_val_if_fail (world < NP_SANDBOX_N_WORLDS, FALSE);
  return g_hash_table_remove (self->customers[world], customer_id);
}

guint
np_sandbox_store_count_checkouts (NpSandboxStore *self,
                                  NpSandboxWorld  world)
{
  g_return_val_if_fail (world < NP_SANDBOX_N_WORLDS, 0);
  return g_hash_table_size (self->checkouts[world]);
}

JsonArray *
np_sandbox_store_list (NpSandboxStore *self,
                       NpSandboxWorld  world,
                       gboolean        customers)
{
  JsonArray *array = json_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (world < NP_SANDBOX_N_WORLDS, array);
  g_hash_table_iter_init (&iter, customers ? self->customers[world] : self->checkouts[world]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    json_array_add_object_element (array, json_object_ref (value));
  return array;
}
