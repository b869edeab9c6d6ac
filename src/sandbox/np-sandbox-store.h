/* np-sandbox-store.h — the sandbox's memory: checkouts and customers of two worlds.
 *
 * The test and the live key each see their own world, as a real platform keeps test
 * and live data apart. Records are kept as JSON objects in the shape the API answers
 * with (minus links, which depend on the address the server listens on), so the
 * whole state is saved and reloaded with --state without a second format.
 *
 * Not thread-safe: only the server's own thread touches it.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  NP_SANDBOX_WORLD_TEST,
  NP_SANDBOX_WORLD_LIVE,
  NP_SANDBOX_N_WORLDS,
} NpSandboxWorld;

#define NP_TYPE_SANDBOX_STORE (np_sandbox_store_get_type ())
G_DECLARE_FINAL_TYPE (NpSandboxStore, np_sandbox_store, NP, SANDBOX_STORE, GObject)

/* @state_path may be NULL: then nothing is saved. */
NpSandboxStore *np_sandbox_store_new              (const char      *state_path);
/* Reads the state file when it exists; a missing file is an empty state. */
gboolean        np_sandbox_store_load             (NpSandboxStore  *self,
                                                   GError         **error);
/* Writes the whole state atomically (no-op without a state path). */
gboolean        np_sandbox_store_save             (NpSandboxStore  *self,
                                                   GError         **error);

/* 32 lowercase hex characters, unique in both worlds. */
char           *np_sandbox_store_new_id           (NpSandboxStore  *self);
/* "2026-11-24T10:00:00Z" for now. */
char           *np_sandbox_store_now              (void);

/* Borrowed records, NULL when unknown. The *_any variants search both worlds, for
 * the payment and client pages which are reached without a key. */
JsonObject     *np_sandbox_store_get_checkout     (NpSandboxStore  *self,
                                                   NpSandboxWorld   world,
                                                   const char      *checkout_id);
JsonObject     *np_sandbox_store_find_checkout    (NpSandboxStore  *self,
                                                   const char      *checkout_id,
                                                   NpSandboxWorld  *out_world);
JsonObject     *np_sandbox_store_get_customer     (NpSandboxStore  *self,
                                                   NpSandboxWorld   world,
                                                   const char      *customer_id);
JsonObject     *np_sandbox_store_find_customer    (NpSandboxStore  *self,
                                                   const char      *customer_id,
                                                   NpSandboxWorld  *out_world);

/* Takes a reference on @record; its id is read from "checkout_id" / "customer_id". */
void            np_sandbox_store_put_checkout     (NpSandboxStore  *self,
                                                   NpSandboxWorld   world,
                                                   JsonObject      *record);
void            np_sandbox_store_put_customer     (NpSandboxStore  *self,
                                                   NpSandboxWorld   world,
                                                   JsonObject      *record);
gboolean        np_sandbox_store_remove_checkout  (NpSandboxStore  *self,
                                                   NpSandboxWorld   world,
                                                   const char      *checkout_id);
gboolean        np_sandbox_store_remove_customer  (NpSandboxStore  *self,
                                                   NpSandboxWorld   world,
                                                   const char      *customer_id);

guint           np_sandbox_store_count_checkouts  (NpSandboxStore  *self,
                                                   NpSandboxWorld   world);

/* Call after each change: saves when a state path is set, warns on failure (the
 * request that made the change has already been applied in memory). */
void            np_sandbox_store_changed          (NpSandboxStore  *self);

G_END_DECLS
