/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-row-pager.h — the paging shared by the ledger's list models.
 *
 * A model's contents are the ordered row ids of its query's matches, with the
 * revision each row had; items are read from SQL a page (NP_ROW_PAGER_PAGE_SIZE rows) at a time
 * when asked for, and a few pages are kept. Updating to a new result emits the
 * smallest items-changed that turns the old sequence into the new one: rows
 * whose revision changed in place become one-for-one changes, the differing
 * middle one removal-and-insertion.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NP_ROW_PAGER_PAGE_SIZE 64

/* Returns the rows for @keys in order, NULL where a row no longer exists. */
typedef GPtrArray *(*NpRowPagerFetch)   (gpointer       user_data,
                                         const gint64  *keys,
                                         guint          n_keys,
                                         GError       **error);
/* Whether the row of @key changed since the last update, for models that do
 * not track revisions. */
typedef gboolean   (*NpRowPagerChanged) (gpointer       user_data,
                                         gint64         key);

/* A key is whatever identifies a row to its model: a row id, or a search-index slot. */
typedef struct {
  GArray            *row_ids;    /* of gint64: the keys */
  GArray            *revisions;  /* of guint64, or NULL: see @changed */
  GHashTable        *pages;      /* page number -> GPtrArray of items */
  GQueue             recent;     /* page numbers, most recent first */
  NpRowPagerFetch    fetch;
  NpRowPagerChanged  changed;
  gpointer           user_data;
  GPtrArray         *dropped;    /* pages let go of, freed when the main loop is idle */
  GSource           *dropped_source;
} NpRowPager;

/* @changed is used when updates come without revisions. */
void      np_row_pager_init        (NpRowPager        *pager,
                                    NpRowPagerFetch    fetch,
                                    NpRowPagerChanged  changed,
                                    gpointer           user_data);
void      np_row_pager_clear       (NpRowPager      *pager);
guint     np_row_pager_get_n_items (NpRowPager      *pager);
gpointer  np_row_pager_get_item    (NpRowPager      *pager,
                                    guint            position);
gint64    np_row_pager_get_row_id  (NpRowPager      *pager,
                                    guint            position);
/* The position of @row_id, or -1. */
int       np_row_pager_find        (NpRowPager      *pager,
                                    gint64           row_id);
/* Takes @row_ids and @revisions (NULL: ask the changed callback) and emits
 * items-changed on @model. */
void      np_row_pager_update      (NpRowPager      *pager,
                                    GListModel      *model,
                                    GArray          *row_ids,
                                    GArray          *revisions);
/* Replaces everything with @row_ids (and @revisions), as one items-changed:
 * for keys that cannot be compared with the old ones. */
void      np_row_pager_reset       (NpRowPager      *pager,
                                    GListModel      *model,
                                    GArray          *row_ids,
                                    GArray          *revisions);
/* Single-row edits, each emitting one items-changed. */
void      np_row_pager_remove      (NpRowPager      *pager,
                                    GListModel      *model,
                                    guint            position);
void      np_row_pager_insert      (NpRowPager      *pager,
                                    GListModel      *model,
                                    guint            position,
                                    gint64           row_id,
                                    guint64          revision);
void      np_row_pager_replace     (NpRowPager      *pager,
                                    GListModel      *model,
                                    guint            position,
                                    guint64          revision);
/* Re-reads the rows at the cached positions, as items-changed runs: for changes
 * that alter what rows show without changing which rows match. */
void      np_row_pager_reload_cached (NpRowPager    *pager,
                                    GListModel      *model);

G_END_DECLS
