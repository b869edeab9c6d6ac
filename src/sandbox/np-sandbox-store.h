/* SPDX-License-Identifier: GPL-3.0-or-later */
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

/* How far the clock may be from the real time, in seconds (100 years). */
#define NP_SANDBOX_MAX_CLOCK_OFFSET (G_GINT64_CONSTANT (100) * 366 * 86400)

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
/* The sandbox's clock: the real time plus an offset the tests and demos move
 * (POST /sandbox/clock), kept in the state file. Every time the sandbox stamps on
 * an object ("created", "updated", a refund's "created") is read from it.
 * "2026-11-24T10:00:00Z" for the sandbox's now. */
char           *np_sandbox_store_now              (NpSandboxStore  *self);
/* The sandbox's now as Unix seconds. */
gint64          np_sandbox_store_get_now_unix     (NpSandboxStore  *self);
/* Seconds the clock is ahead of the real time (negative: behind). */
gint64          np_sandbox_store_get_clock_offset (NpSandboxStore  *self);
/* The latest time stamped on any object of either world, Unix seconds; 0 when
 * the sandbox holds no object. */
gint64          np_sandbox_store_get_latest_stamp (NpSandboxStore  *self);
/* Sets the clock to @now_unix. It never goes back before the latest time stamped
 * on an object (a checkout would then be paid before it was made): that fails with
 * G_IO_ERROR_INVALID_ARGUMENT and changes nothing. On an empty sandbox any time is
 * allowed. */
gboolean        np_sandbox_store_set_clock        (NpSandboxStore  *self,
                                                   gint64           now_unix,
                                                   GError         **error);
/* "2026-11-24T10:00:00Z" for @unix; NULL when out of range. */
char           *np_sandbox_format_time            (gint64           unix_seconds);

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

/* Every record of @world, as an array of (shared) objects. */
JsonArray      *np_sandbox_store_list             (NpSandboxStore  *self,
                                                   NpSandboxWorld   world,
                                                   gboolean         customers);
guint           np_sandbox_store_count_checkouts  (NpSandboxStore  *self,
                                                   NpSandboxWorld   world);

/* Call after each change: saves when a state path is set, warns on failure (the
 * request that made the change has already been applied in memory). */
void            np_sandbox_store_changed          (NpSandboxStore  *self);
/* After a clock move: saved with the next change, or by np_sandbox_store_flush ()
 * (the server calls it when it stops). */
void            np_sandbox_store_clock_changed    (NpSandboxStore  *self);
void            np_sandbox_store_flush            (NpSandboxStore  *self);

G_END_DECLS
