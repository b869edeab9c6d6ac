/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-row-pager.c — the paging shared by the ledger's list models. */
#include "np-row-pager.h"

#define MAX_PAGES 24

void
np_row_pager_init (NpRowPager        *pager,
                   NpRowPagerFetch    fetch,
                   NpRowPagerChanged  changed,
                   gpointer           user_data)
{
  pager->row_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  pager->revisions = changed ? NULL : g_array_new (FALSE, FALSE, sizeof (guint64));
  pager->changed = changed;
  pager->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
  g_queue_init (&pager->recent);
  pager->fetch = fetch;
  pager->user_data = user_data;
  pager->dropped = NULL;
  pager->dropped_source = NULL;
}

void
np_row_pager_clear (NpRowPager *pager)
{
  if (pager->dropped_source != NULL)
    g_source_destroy (pager->dropped_source);
  g_clear_pointer (&pager->dropped_source, g_source_unref);
  g_clear_pointer (&pager->dropped, g_ptr_array_unref);
  g_clear_pointer (&pager->row_ids, g_array_unref);
  g_clear_pointer (&pager->revisions, g_array_unref);
  g_clear_pointer (&pager->pages, g_hash_table_unref);
  g_queue_clear (&pager->recent);
}

guint
np_row_pager_get_n_items (NpRowPager *pager)
{
  return pager->row_ids->len;
}

gint64
np_row_pager_get_row_id (NpRowPager *pager,
                         guint       position)
{
  g_return_val_if_fail (position < pager->row_ids->len, 0);

  return g_array_index (pager->row_ids, gint64, position);
}

static gboolean
free_dropped (gpointer data)
{
  NpRowPager *pager = data;

  g_ptr_array_set_size (pager->dropped, 0);
  g_clear_pointer (&pager->dropped_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* A page let go of is freed once the main loop is idle, not in the change that
 * drops it: a search that narrows the list drops every cached page (after a
 * scroll, 24 pages of 64 rows), and finalizing those 1,536 rows was a fifth of
 * the first such keystroke, before its frame (issue 24). */
static void
drop_page (NpRowPager *pager,
           guint       page)
{
  gpointer items;

  if (!g_hash_table_steal_extended (pager->pages, GUINT_TO_POINTER (page), NULL, &items))
    return;
  g_queue_remove (&pager->recent, GUINT_TO_POINTER (page));

  if (pager->dropped == NULL)
    pager->dropped = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  g_ptr_array_add (pager->dropped, items);
  if (pager->dropped_source == NULL)
    {
      pager->dropped_source = g_idle_source_new ();
      g_source_set_priority (pager->dropped_source, G_PRIORITY_LOW);
      g_source_set_static_name (pager->dropped_source, "[np] free dropped pages");
      g_source_set_callback (pager->dropped_source, free_dropped, pager, NULL);
      g_source_attach (pager->dropped_source, g_main_context_get_thread_default ());
    }
}

/* Forgets the cached pages holding positions from @first to @last (inclusive). */
static void
drop_pages (NpRowPager *pager,
            guint       first,
            guint       last)
{
  GList *l = pager->recent.head;

  while (l != NULL)
    {
      guint page = GPOINTER_TO_UINT (l->data);
      GList *next = l->next;

      if (page >= first / NP_ROW_PAGER_PAGE_SIZE && page <= last / NP_ROW_PAGER_PAGE_SIZE)
        drop_page (pager, page);
      l = next;
    }
}

static void
drop_pages_from (NpRowPager *pager,
                 guint       first)
{
  drop_pages (pager, first, G_MAXUINT);
}

gpointer
np_row_pager_get_item (NpRowPager *pager,
                       guint       position)
{
  g_autoptr(GError) error = NULL;
  guint page = position / NP_ROW_PAGER_PAGE_SIZE;
  GPtrArray *items;
  gpointer item;

  if (position >= pager->row_ids->len)
    return NULL;

  items = g_hash_table_lookup (pager->pages, GUINT_TO_POINTER (page));
  if (items != NULL)
    {
      /* Most recently used first. */
      g_queue_remove (&pager->recent, GUINT_TO_POINTER (page));
      g_queue_push_head (&pager->recent, GUINT_TO_POINTER (page));
    }
  else
    {
      guint first = page * NP_ROW_PAGER_PAGE_SIZE;
      guint n = MIN (NP_ROW_PAGER_PAGE_SIZE, pager->row_ids->len - first);

      items = pager->fetch (pager->user_data, &g_array_index (pager->row_ids, gint64, first), n, &error);
      if (items == NULL)
        {
          g_warning ("Reading ledger rows: %s", error->message);
          return NULL;
        }

      g_hash_table_insert (pager->pages, GUINT_TO_POINTER (page), items);
      g_queue_push_head (&pager->recent, GUINT_TO_POINTER (page));
      while (pager->recent.length > MAX_PAGES)
        drop_page (pager, GPOINTER_TO_UINT (g_queue_peek_tail (&pager->recent)));
    }

  item = g_ptr_array_index (items, position % NP_ROW_PAGER_PAGE_SIZE);
  return item ? g_object_ref (item) : NULL;
}

int
np_row_pager_find (NpRowPager *pager,
                   gint64      row_id)
{
  const gint64 *ids = (const gint64 *)(gpointer)pager->row_ids->data;

  for (guint i = 0; i < pager->row_ids->len; i++)
    if (ids[i] == row_id)
      return i;

  return -1;
}

/* Whether the row now at @position (with @old_position in the old sequence) changed. */
static inline gboolean
position_changed (NpRowPager    *pager,
                  const guint64 *old_revisions,
                  guint          old_position,
                  guint          position)
{
  if (old_revisions == NULL)
    return pager->changed (pager->user_data, g_array_index (pager->row_ids, gint64, position));

  return old_revisions[old_position] != g_array_index (pager->revisions, guint64, position);
}

/* Emits one-for-one changes for the runs of changed rows in [@from, @to), whose
 * old positions start at @old_from. */
static void
emit_content_runs (NpRowPager    *pager,
                   GListModel    *model,
                   const guint64 *old_revisions,
                   guint          old_from,
                   guint          from,
                   guint          to)
{
  guint i = from;

  while (i < to)
    {
      guint start;

      if (!position_changed (pager, old_revisions, old_from + (i - from), i))
        {
          i++;
          continue;
        }

      start = i;
      while (i < to && position_changed (pager, old_revisions, old_from + (i - from), i))
        i++;

      drop_pages (pager, start, i - 1);
      g_list_model_items_changed (model, start, i - start, i - start);
    }
}

void
np_row_pager_update (NpRowPager *pager,
                     GListModel *model,
                     GArray     *row_ids,
                     GArray     *revisions)
{
  g_autoptr(GArray) old_ids = pager->row_ids;
  g_autoptr(GArray) old_revisions = pager->revisions;
  const guint64 *old_revision_data = old_revisions ? (const guint64 *)(gpointer)old_revisions->data : NULL;
  const gint64 *a = (const gint64 *)(gpointer)old_ids->data;
  const gint64 *b = (const gint64 *)(gpointer)row_ids->data;
  guint n = old_ids->len;
  guint m = row_ids->len;
  guint prefix = 0;
  guint suffix = 0;

  g_return_if_fail ((revisions == NULL) == (pager->changed != NULL));
  g_return_if_fail (revisions == NULL || row_ids->len == revisions->len);

  while (prefix < MIN (n, m) && a[prefix] == b[prefix])
    prefix++;
  while (suffix < MIN (n, m) - prefix && a[n - 1 - suffix] == b[m - 1 - suffix])
    suffix++;

  /* Content changes first, each emission leaving a consistent model behind: the
   * unchanged prefix while the old sequence still stands... */
  pager->row_ids = g_array_ref (old_ids);
  if (revisions != NULL)
    {
      pager->revisions = g_array_sized_new (FALSE, FALSE, sizeof (guint64), n);
      g_array_append_vals (pager->revisions, old_revisions->data, n);
      for (guint i = 0; i < prefix; i++)
        g_array_index (pager->revisions, guint64, i) = g_array_index (revisions, guint64, i);
    }
  emit_content_runs (pager, model, old_revision_data, 0, 0, prefix);
  g_clear_pointer (&pager->row_ids, g_array_unref);
  g_clear_pointer (&pager->revisions, g_array_unref);

  /* ...then the differing middle... */
  pager->row_ids = row_ids;
  pager->revisions = revisions;
  if (n - prefix - suffix > 0 || m - prefix - suffix > 0)
    {
      drop_pages_from (pager, prefix);
      g_list_model_items_changed (model, prefix, n - prefix - suffix, m - prefix - suffix);
    }

  /* ...then the unchanged suffix, in new positions. */
  emit_content_runs (pager, model, old_revision_data, n - suffix, m - suffix, m);
}

void
np_row_pager_reset (NpRowPager *pager,
                    GListModel *model,
                    GArray     *row_ids,
                    GArray     *revisions)
{
  guint n = pager->row_ids->len;

  g_return_if_fail ((revisions == NULL) == (pager->changed != NULL));

  g_array_unref (pager->row_ids);
  g_clear_pointer (&pager->revisions, g_array_unref);
  pager->row_ids = row_ids;
  pager->revisions = revisions;
  drop_pages_from (pager, 0);

  if (n > 0 || row_ids->len > 0)
    g_list_model_items_changed (model, 0, n, row_ids->len);
}

void
np_row_pager_remove (NpRowPager *pager,
                     GListModel *model,
                     guint       position)
{
  g_return_if_fail (position < pager->row_ids->len);

  g_array_remove_index (pager->row_ids, position);
  if (pager->revisions != NULL)
    g_array_remove_index (pager->revisions, position);
  drop_pages_from (pager, position);
  g_list_model_items_changed (model, position, 1, 0);
}

void
np_row_pager_insert (NpRowPager *pager,
                     GListModel *model,
                     guint       position,
                     gint64      row_id,
                     guint64     revision)
{
  g_return_if_fail (position <= pager->row_ids->len);

  g_array_insert_val (pager->row_ids, position, row_id);
  if (pager->revisions != NULL)
    g_array_insert_val (pager->revisions, position, revision);
  drop_pages_from (pager, position);
  g_list_model_items_changed (model, position, 0, 1);
}

void
np_row_pager_replace (NpRowPager *pager,
                      GListModel *model,
                      guint       position,
                      guint64     revision)
{
  g_return_if_fail (position < pager->row_ids->len);

  if (pager->revisions != NULL)
    g_array_index (pager->revisions, guint64, position) = revision;
  drop_pages (pager, position, position);
  g_list_model_items_changed (model, position, 1, 1);
}

void
np_row_pager_reload_cached (NpRowPager *pager,
                            GListModel *model)
{
  g_autoptr(GList) pages = g_hash_table_get_keys (pager->pages);

  for (GList *l = pages; l != NULL; l = l->next)
    {
      guint first = GPOINTER_TO_UINT (l->data) * NP_ROW_PAGER_PAGE_SIZE;
      guint n = MIN (NP_ROW_PAGER_PAGE_SIZE, pager->row_ids->len - first);

      drop_page (pager, GPOINTER_TO_UINT (l->data));
      g_list_model_items_changed (model, first, n, n);
    }
}
