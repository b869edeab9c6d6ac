/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-metadata-editor.h — rows of metadata keys and values to edit. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NP_TYPE_CHECKOUT_METADATA_EDITOR (np_checkout_metadata_editor_get_type ())
G_DECLARE_FINAL_TYPE (NpCheckoutMetadataEditor, np_checkout_metadata_editor, NP, CHECKOUT_METADATA_EDITOR, GtkBox)

/* Properties: "valid" (read-only: every key is valid and appears once). */
GtkWidget  *np_checkout_metadata_editor_new          (void);
/* Replaces the rows with @metadata's (char* -> char*, may be NULL), sorted by key. */
void        np_checkout_metadata_editor_set_metadata (NpCheckoutMetadataEditor *self,
                                                      GHashTable               *metadata);
/* Appends a row and returns its key entry. */
GtkEditable *np_checkout_metadata_editor_add_row     (NpCheckoutMetadataEditor *self,
                                                      const char               *key,
                                                      const char               *value);
/* Removes the row whose key entry is @key_entry. */
void        np_checkout_metadata_editor_remove_row   (NpCheckoutMetadataEditor *self,
                                                      GtkEditable              *key_entry);
gboolean    np_checkout_metadata_editor_get_valid    (NpCheckoutMetadataEditor *self);
/* The rows with a key, as a new char* -> char* table (rows with neither key nor value are skipped). */
GHashTable *np_checkout_metadata_editor_dup_metadata (NpCheckoutMetadataEditor *self);

/* Only the difference between @old and @new: changed and added keys with their
 * value, removed keys with "" (the API's way to delete). Empty when equal. */
GHashTable *np_checkout_metadata_diff                (GHashTable *old_metadata,
                                                      GHashTable *new_metadata);
/* Keys we send: 1..64 characters, no control characters, no space at either end. */
gboolean    np_checkout_metadata_key_is_valid        (const char *key);

G_END_DECLS
