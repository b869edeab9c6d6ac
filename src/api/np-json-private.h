/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-json-private.h — tolerant readers of JSON members, shared by the api models and client.
 *
 * The real response shapes are not documented, so every reader accepts the
 * plausible spellings of a value (a number sent as text, a boolean as 0/1) and
 * treats anything else as absent rather than failing.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper nesting than this is refused before json-glib sees it: its parser
 * recurses, and no API object nests more than a few levels. */
#define NP_JSON_MAX_DEPTH 64

/* The one way bytes from the network become JSON. Parses @data (need not be
 * NUL-terminated when @length >= 0) into a node when it is strict RFC 8259 JSON
 * in UTF-8 (one leading byte order mark skipped) nesting at most NP_JSON_MAX_DEPTH
 * levels, with no NUL or lone surrogate in a string; integers beyond gint64 come
 * back as doubles, never wrapped. Anything else, whatever json-glib would make of
 * it (comments, single quotes, NaN), is NP_CLIENT_ERROR_BAD_RESPONSE; no input
 * can make it recurse without bound. */
JsonNode   *np_json_parse          (const char  *data,
                                    gssize       length,
                                    GError     **error);

/* The first member of @obj among the NULL-terminated @names that is present and
 * not null, or NULL. */
JsonNode   *np_json_find           (JsonObject  *obj,
                                    const char  *name,
                                    ...) G_GNUC_NULL_TERMINATED;

/* The largest amount of money an answer may hold, in minor units (10^15): far
 * beyond any real payment, and a million of them still add up within 10^21. */
#define NP_JSON_MAX_AMOUNT G_GINT64_CONSTANT (1000000000000000)

/* Reads an amount in minor units: a JSON integer, an integral double or a decimal
 * string, in [0, NP_JSON_MAX_AMOUNT]. Absent (@node NULL): TRUE and *out = 0.
 * Anything else (negative, fractional, beyond the maximum, of another type):
 * FALSE with NP_CLIENT_ERROR_BAD_RESPONSE naming @field; never clamped. */
gboolean    np_json_node_get_amount (JsonNode    *node,
                                     const char  *field,
                                     gint64      *out,
                                     GError     **error);

/* A string value (numbers and booleans as their text); NULL for anything else. */
char       *np_json_node_dup_text  (JsonNode    *node);
/* An integer value: JSON integers, integral doubles within range, and decimal
 * strings. FALSE (and *out untouched) for anything else. */
gboolean    np_json_node_get_int   (JsonNode    *node,
                                    gint64      *out);
/* true/false, 0/1, "true"/"false". FALSE (and *out untouched) otherwise. */
gboolean    np_json_node_get_bool  (JsonNode    *node,
                                    gboolean    *out);
/* A string, or a number of seconds (or milliseconds) since the epoch; UTC. */
GDateTime  *np_json_node_get_time  (JsonNode    *node);

/* Longer ids are refused: no API id comes near it, and it bounds what is stored. */
#define NP_JSON_MAX_ID_LENGTH 255

/* Whether @id can name an object: non-empty, at most NP_JSON_MAX_ID_LENGTH bytes,
 * valid UTF-8 and free of control characters. */
gboolean    np_json_id_is_usable   (const char  *id);
/* The text of @node when it is a usable id, or NULL. */
char       *np_json_node_dup_id    (JsonNode    *node);

/* Finds the id of a model's object in @obj; NULL when it has none that is usable. */
typedef char *(*NpJsonIdFinder) (JsonObject *obj);

/* Some APIs wrap the object ({"checkout": {...}} or {"data": {...}}): when @obj has
 * no id, the first of its members @wrapper, "data" and "result" that is an object
 * with one; @obj itself otherwise. */
JsonObject *np_json_unwrap         (JsonObject     *obj,
                                    const char     *wrapper,
                                    NpJsonIdFinder  find_id);

/* Makes *@text (may be NULL) fit to show a person: invalid UTF-8 made valid,
 * control characters (C0, DEL, C1, line and paragraph separators, bidirectional
 * overrides) turned into spaces, surrounding space stripped, at most @max_chars
 * characters (cut on a character boundary, "…" added). Empty becomes NULL. */
void        np_json_clean_text     (char       **text,
                                    guint        max_chars);

/* Serialises @obj compactly or pretty. */
char       *np_json_object_to_string (JsonObject *obj,
                                      gboolean    pretty);

G_END_DECLS
