/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-checkout-index.c — the in-memory search index of one account's checkouts.
 *
 * See the header for why it exists. Layout, for speed at a million rows:
 *  - the fields every query tests (status, flags, customer) sit together in one
 *    8-byte Entry per slot, the created time (tested by a date range) beside; a query tests them in slot order, front to
 *    back through memory, into a bitmap, and only then walks the sort order;
 *  - the folded texts are segments of one buffer, each ended by '\n' (folding
 *    turns control characters into spaces, so a match never spans two rows); a
 *    search runs memchr () for the needle's rarest byte over the whole buffer,
 *    confirms with memcmp () and jumps to the next segment after a hit; an
 *    updated row gets a new segment and its old one goes stale until the buffer
 *    is compacted;
 *  - a row's text ends at its '\n': its length is not kept;
 *  - the checkout id, the first field of the text, is 32 hex digits for every
 *    checkout the API makes: it is kept apart, packed into 16 bytes per slot
 *    (33 bytes a row of text before). A needle of hex digits only is looked
 *    for there too; any other needle cannot match an id. The fields of the
 *    text are joined with U+001F, which no needle holds (folding turns control
 *    characters into spaces), so no match spans the id and the next field,
 *    and taking the id out of the text changes no search's answer;
 *  - one permutation of the slots per sort order, built with a radix sort when
 *    first needed and patched for single-row changes.
 */
#define _GNU_SOURCE
#include <string.h>

#include "np-checkout-index.h"

#define STALE_SLOT G_MAXUINT32
#define N_SORTS (NP_CHECKOUT_SORT_UPDATED + 1)
/* Past this many single-row permutation updates between two queries, dropping
 * the permutations and sorting again later is cheaper than more memmove ()s. */
#define MAX_PERM_PATCHES 64
/* From this many rows, a list's keys (2 MiB and more) are prepared ahead too. */
#define LARGE_INDEX (256 * 1024)
/* Up to this many rows a search keeps where its needle is (the positions field).
 * Past it, reading every row to its end to learn whether it holds the needle
 * twice costs more than the next keystroke saves: at 1,000,000 rows "order-"
 * took 16-17 -> 21-24 ms and became the model's slowest keystroke (bench-ledger
 * 18.8 -> 24.4 ms), against 11 ms saved in "order-4". */
#define MAX_POSITIONS_ROWS (256 * 1024)

enum {
  FLAG_LIVE           = 1 << 0,
  FLAG_DELETED        = 1 << 1,
  FLAG_REFRESH_FAILED = 1 << 2,
  FLAG_PACKED_ID      = 1 << 3,  /* the text's first field is in ids */
};

#define ID_DIGITS 32
#define ID_BYTES (ID_DIGITS / 2)
#define FIELD_SEPARATOR '\x1f'
/* A search's position in a row that is not kept (search_positions ()). */
#define POSITION_UNKNOWN G_MAXUINT16

/* A needle of hex digits only, as nibbles: what can match a packed id. */
typedef struct {
  guint  length;           /* 0: the needle cannot match an id */
  guint8 nibbles[ID_DIGITS];
} HexNeedle;

typedef struct {
  guint32 customer;  /* index into customer_ids; 0 for none */
  guint8  status;
  guint8  flags;
} Entry;

typedef struct {
  guint32 offset;
  guint32 slot;      /* STALE_SLOT once the row has a newer segment or is gone */
} Segment;

/* A column of gint64 kept in 32 bits while every value is in [0, 2^32): row
 * ids, amounts in minor units and times in seconds all are, in practice. The
 * first value that is not widens the whole column, so every value stays exact. */
typedef struct {
  GArray *narrow;  /* of guint32; NULL once wide */
  GArray *wide;    /* of gint64; NULL while narrow */
} Column;

static void
column_init (Column *column)
{
  column->narrow = g_array_new (FALSE, TRUE, sizeof (guint32));
  column->wide = NULL;
}

static void
column_clear (Column *column)
{
  g_clear_pointer (&column->narrow, g_array_unref);
  g_clear_pointer (&column->wide, g_array_unref);
}

static inline GArray *
column_array (const Column *column)
{
  return column->narrow != NULL ? column->narrow : column->wide;
}

static inline gint64
column_get (const Column *column,
            guint         i)
{
  if (G_LIKELY (column->narrow != NULL))
    return g_array_index (column->narrow, guint32, i);
  return g_array_index (column->wide, gint64, i);
}

static void
column_set (Column *column,
            guint   i,
            gint64  value)
{
  if (G_LIKELY (column->narrow != NULL))
    {
      if (G_LIKELY (value >= 0 && value <= G_MAXUINT32))
        {
          g_array_index (column->narrow, guint32, i) = value;
          return;
        }

      column->wide = g_array_sized_new (FALSE, TRUE, sizeof (gint64), column->narrow->len);
      g_array_set_size (column->wide, column->narrow->len);
      for (guint k = 0; k < column->narrow->len; k++)
        g_array_index (column->wide, gint64, k) = g_array_index (column->narrow, guint32, k);
      g_clear_pointer (&column->narrow, g_array_unref);
    }

  g_array_index (column->wide, gint64, i) = value;
}

static inline void
column_append (Column *column,
               gint64  value)
{
  GArray *array = column_array (column);

  g_array_set_size (array, array->len + 1);
  column_set (column, array->len - 1, value);
}

struct _NpCheckoutIndex
{
  guint       serial;
  GArray     *entries;     /* of Entry */
  Column      created;     /* or when it was imported */
  Column      row_ids;     /* ascending */
  Column      amounts;
  Column      updated;
  GArray     *text_offset; /* of guint32 */
  GArray     *ids;         /* of ID_BYTES bytes: the packed id where FLAG_PACKED_ID, zeros otherwise */
  GByteArray *text;
  GArray     *segments;    /* of Segment, by offset */
  gsize       stale_bytes;

  GHashTable *customer_index;  /* customer id -> GUINT_TO_POINTER (index) */
  GPtrArray  *customer_ids;    /* index -> customer id; [0] is NULL */

  GArray     *perms[N_SORTS];  /* of guint32 slots, ascending; NULL until needed */
  guint       n_perm_patches[N_SORTS];  /* since the last query */

  /* The last text search, reused when the next needle contains it (typing). */
  char       *last_needle;
  guint64    *last_hits;       /* a bit per slot (hit_test ()) */
  guint       last_n_hits;
  /* Where the last needle is in each row it was found in, from the row's start,
   * when it is there once and no further than POSITION_UNKNOWN (otherwise
   * POSITION_UNKNOWN); kept when the needle's rarest byte is rare (about once a
   * row), so that the next, longer needle tests one place a row instead of
   * scanning every row again ("order-" matched all 100,000, "order-4" then). */
  guint16    *positions;       /* a slot each */
  guint       positions_capacity;
  gboolean    positions_valid; /* for the slots of last_hits */

  /* How often each byte appears in samples of the text (pick_anchor ()): counted
   * again when the text has grown or shrunk by an eighth since, not at every
   * search (a sixth of the instructions of a search over 100,000 rows). */
  guint       byte_counts[256];
  gsize       byte_counts_length;  /* the text's length when counted; 0: never */

  /* Memory every query needs, kept from one to the next and touched once by the
   * loading worker (np_checkout_index_prepare_scratch ()): allocated fresh per
   * keystroke, at 1,000,000 checkouts 13 MiB of new pages faulted in on the
   * main thread, which made the first keystroke after start twice as slow as
   * the next ones (and every keystroke, once glibc's mmap threshold is fixed). */
  guint64    *spare_hits;      /* the bitmap the next search writes; the last one's is last_hits */
  guint       hits_capacity;   /* slots both hit buffers have room for */
  guint64    *matches;         /* a bit per slot */
  guint       matches_words;
  GArray     *spare_keys[2];   /* of gint64, for a list's keys: np_checkout_index_take_keys () */
  GHashTable *full_keys;       /* the key arrays we made with room for every slot */
};

static inline Entry *
entry_at (NpCheckoutIndex *index,
          guint            slot)
{
  return &g_array_index (index->entries, Entry, slot);
}

NpCheckoutIndex *
np_checkout_index_new (void)
{
  /* Indexes are built in workers too. */
  static int last_serial;
  NpCheckoutIndex *index = g_new0 (NpCheckoutIndex, 1);

  index->serial = g_atomic_int_add (&last_serial, 1) + 1;

  index->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  column_init (&index->created);
  column_init (&index->row_ids);
  column_init (&index->amounts);
  column_init (&index->updated);
  index->text_offset = g_array_new (FALSE, FALSE, sizeof (guint32));
  index->ids = g_array_new (FALSE, TRUE, ID_BYTES);
  index->text = g_byte_array_new ();
  index->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  index->customer_index = g_hash_table_new (g_str_hash, g_str_equal);
  index->customer_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (index->customer_ids, NULL);
  index->full_keys = g_hash_table_new (NULL, NULL);

  return index;
}

/* A search's hits: a bit per slot (a byte before: 1 MiB more at 1,000,000). */
static inline gsize
hits_bytes (guint capacity)
{
  return ((gsize) capacity / 64 + 1) * sizeof (guint64);
}

static inline gboolean
hit_test (const guint64 *hits,
          guint          slot)
{
  return (hits[slot / 64] >> (slot % 64)) & 1;
}

static inline void
hit_set (guint64 *hits,
         guint    slot)
{
  hits[slot / 64] |= G_GUINT64_CONSTANT (1) << (slot % 64);
}

/* The last search's hits become the spare buffer when they are as large. */
static void
forget_search (NpCheckoutIndex *index)
{
  g_clear_pointer (&index->last_needle, g_free);
  if (index->last_hits != NULL && index->spare_hits == NULL)
    index->spare_hits = g_steal_pointer (&index->last_hits);
  g_clear_pointer (&index->last_hits, g_free);
  index->last_n_hits = 0;
  index->positions_valid = FALSE;
}

/* Writes a byte of every page of @data: calloc () of a fresh mapping leaves its
 * pages untouched (they are zero already), so they would be faulted in at the
 * first query, on the main thread, instead of here. */
static gpointer
resident (gpointer data,
          gsize    size)
{
  volatile guint8 *bytes = data;

  for (gsize i = 0; i < size; i += 4096)
    bytes[i] = 0;
  if (size > 0)
    bytes[size - 1] = 0;
  return data;
}

/* Grows the scratch memory to the index's size, writing every page of what it
 * allocates so that it is resident before the first query. */
void
np_checkout_index_prepare_scratch (NpCheckoutIndex *index)
{
  guint n = MAX (index->entries->len, 1);

  if (index->hits_capacity < n)
    {
      g_free (index->spare_hits);
      g_free (index->last_hits);
      index->last_hits = NULL;
      g_clear_pointer (&index->last_needle, g_free);
      index->last_n_hits = 0;
      index->spare_hits = resident (g_malloc0 (hits_bytes (n)), hits_bytes (n));
      index->hits_capacity = n;
    }
  if (index->positions_capacity < index->hits_capacity)
    {
      g_free (index->positions);
      index->positions_valid = FALSE;
      index->positions_capacity = index->hits_capacity;
      index->positions = resident (g_malloc (index->hits_capacity * sizeof (guint16)),
                                   index->hits_capacity * sizeof (guint16));
    }
  if (index->spare_hits == NULL)
    index->spare_hits = resident (g_malloc0 (hits_bytes (index->hits_capacity)), hits_bytes (index->hits_capacity));
  /* The second buffer (searches alternate between the two), as last_hits of no
   * search yet: the first keystroke takes the spare, the second this one. */
  if (index->last_hits == NULL)
    {
      g_clear_pointer (&index->last_needle, g_free);
      index->last_n_hits = 0;
      index->positions_valid = FALSE;
      index->last_hits = resident (g_malloc0 (hits_bytes (index->hits_capacity)),
                                   hits_bytes (index->hits_capacity));
    }
  if (index->matches_words < n / 64 + 1)
    {
      g_free (index->matches);
      index->matches_words = n / 64 + 1;
      index->matches = resident (g_malloc0 (index->matches_words * sizeof (guint64)),
                                 index->matches_words * sizeof (guint64));
    }
  /* A list's keys (8 bytes a row) are the largest: below LARGE_INDEX they come
   * from the heap, whose pages stay resident from one query to the next anyway,
   * and spare copies would only add to the memory with the list shown. Two: the
   * first list takes one, the first keystroke the other. */
  for (guint i = 0; i < G_N_ELEMENTS (index->spare_keys) && n >= LARGE_INDEX; i++)
    if (index->spare_keys[i] == NULL)
      {
        GArray *keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);

        g_array_set_size (keys, n);
        resident (keys->data, (gsize) n * sizeof (gint64));
        g_hash_table_add (index->full_keys, keys);
        index->spare_keys[i] = keys;
      }
}

GArray *
np_checkout_index_take_keys (NpCheckoutIndex *index)
{
  GArray *keys = NULL;
  guint n = index->entries->len;

  for (guint i = 0; i < G_N_ELEMENTS (index->spare_keys) && keys == NULL; i++)
    keys = g_steal_pointer (&index->spare_keys[i]);
  if (keys == NULL && n >= LARGE_INDEX)
    {
      /* Room for every slot at once: it may come back as the spare. */
      keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
      g_hash_table_add (index->full_keys, keys);
    }
  else if (keys == NULL)
    keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_set_size (keys, 0);
  return keys;
}

void
np_checkout_index_give_keys (NpCheckoutIndex *index,
                             GArray          *keys)
{
  /* Kept only when it has room for every slot (one of ours, made at the
   * index's size), and one spare is enough: a list swaps it with the one on
   * show. (An array of ours freed elsewhere stays in full_keys; another at its
   * address would only be grown when used: slower, never wrong.) */
  if (g_hash_table_contains (index->full_keys, keys))
    for (guint i = 0; i < G_N_ELEMENTS (index->spare_keys); i++)
      if (index->spare_keys[i] == NULL)
        {
          index->spare_keys[i] = keys;
          return;
        }
  g_hash_table_remove (index->full_keys, keys);
  g_array_unref (keys);
}

static void
drop_perms (NpCheckoutIndex *index)
{
  for (guint i = 0; i < N_SORTS; i++)
    g_clear_pointer (&index->perms[i], g_array_unref);
}

void
np_checkout_index_free (NpCheckoutIndex *index)
{
  if (index == NULL)
    return;

  forget_search (index);
  drop_perms (index);
  g_free (index->spare_hits);
  g_free (index->positions);
  g_free (index->matches);
  for (guint i = 0; i < G_N_ELEMENTS (index->spare_keys); i++)
    g_clear_pointer (&index->spare_keys[i], g_array_unref);
  g_hash_table_unref (index->full_keys);
  g_array_unref (index->entries);
  column_clear (&index->created);
  column_clear (&index->row_ids);
  column_clear (&index->amounts);
  column_clear (&index->updated);
  g_array_unref (index->text_offset);
  g_array_unref (index->ids);
  g_byte_array_unref (index->text);
  g_array_unref (index->segments);
  g_hash_table_unref (index->customer_index);
  g_ptr_array_unref (index->customer_ids);
  g_free (index);
}

guint
np_checkout_index_get_serial (NpCheckoutIndex *index)
{
  return index->serial;
}

static void
reserve_array (GArray **array,
               guint    n_rows)
{
  if (*array != NULL && (*array)->len == 0)
    {
      guint size = g_array_get_element_size (*array);

      g_array_unref (*array);
      *array = g_array_sized_new (FALSE, TRUE, size, n_rows);
    }
}

void
np_checkout_index_reserve (NpCheckoutIndex *index,
                           guint            n_rows)
{
  reserve_array (&index->entries, n_rows);
  reserve_array (&index->created.narrow, n_rows);
  reserve_array (&index->row_ids.narrow, n_rows);
  reserve_array (&index->amounts.narrow, n_rows);
  reserve_array (&index->updated.narrow, n_rows);
  reserve_array (&index->text_offset, n_rows);
  reserve_array (&index->ids, n_rows);
  reserve_array (&index->segments, n_rows);
  /* The text too, at a guess of 48 bytes a row (grown by doubling below the
   * mmap threshold, its copies were left at the top of the arena, which
   * malloc_trim () does not hand back in a thread's arena). */
  if (index->text->len == 0)
    {
      g_byte_array_unref (index->text);
      index->text = g_byte_array_sized_new ((gsize) n_rows * 48);
    }
}

gsize
np_checkout_index_get_row_bytes (NpCheckoutIndex *index)
{
  GArray *arrays[] = { index->entries, column_array (&index->created), column_array (&index->row_ids), column_array (&index->amounts),
                       column_array (&index->updated), index->text_offset, index->ids, index->segments };
  gsize bytes = index->text->len;

  for (guint i = 0; i < G_N_ELEMENTS (arrays); i++)
    bytes += (gsize) arrays[i]->len * g_array_get_element_size (arrays[i]);

  return bytes;
}

guint
np_checkout_index_get_n_slots (NpCheckoutIndex *index)
{
  return index->entries->len;
}

void
np_search_fold_append (GString    *out,
                       const char *text,
                       gssize      length)
{
  g_autofree char *valid = NULL;
  g_autofree char *folded = NULL;
  gboolean ascii = TRUE;

  if (text == NULL)
    return;
  if (length < 0)
    length = strlen (text);

  for (gssize i = 0; i < length && ascii; i++)
    ascii = (guchar)text[i] < 0x80;

  if (!ascii)
    {
      valid = g_utf8_make_valid (text, length);
      folded = g_utf8_casefold (valid, -1);
      text = folded;
      length = strlen (folded);
    }

  for (gssize i = 0; i < length; i++)
    {
      guchar c = text[i];

      if (c < 0x20 || c == 0x7f)
        c = ' ';
      else if (c >= 'A' && c <= 'Z')
        c += 'a' - 'A';
      g_string_append_c (out, c);
    }
}

static guint32
intern_customer (NpCheckoutIndex *index,
                 const char      *customer_id)
{
  gpointer value;
  char *copy;

  if (customer_id == NULL || customer_id[0] == '\0')
    return 0;

  if (g_hash_table_lookup_extended (index->customer_index, customer_id, NULL, &value))
    return GPOINTER_TO_UINT (value);

  copy = g_strdup (customer_id);
  g_ptr_array_add (index->customer_ids, copy);
  g_hash_table_insert (index->customer_index, copy, GUINT_TO_POINTER (index->customer_ids->len - 1));

  return index->customer_ids->len - 1;
}

gboolean
np_checkout_index_lookup (NpCheckoutIndex *index,
                          gint64           row_id,
                          guint           *out_slot)
{
  guint lo = 0;
  guint hi = column_array (&index->row_ids)->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (column_get (&index->row_ids, mid) < row_id)
        lo = mid + 1;
      else
        hi = mid;
    }

  if (lo < column_array (&index->row_ids)->len && column_get (&index->row_ids, lo) == row_id)
    {
      *out_slot = lo;
      return TRUE;
    }

  return FALSE;
}

gint64
np_checkout_index_get_row_id (NpCheckoutIndex *index,
                              guint            slot)
{
  g_return_val_if_fail (slot < column_array (&index->row_ids)->len, 0);

  return column_get (&index->row_ids, slot);
}

/* Sort keys ------------------------------------------------------------------ */

static inline gint64
sort_key (NpCheckoutIndex *index,
          NpCheckoutSort   sort,
          guint            slot)
{
  const Entry *entry = entry_at (index, slot);

  switch (sort)
    {
    case NP_CHECKOUT_SORT_AMOUNT:
      return column_get (&index->amounts, slot);
    case NP_CHECKOUT_SORT_UPDATED:
      return column_get (&index->updated, slot);
    case NP_CHECKOUT_SORT_STATUS:
      /* Status above a 40-bit created time: 40 bits of seconds reach the year 36812. */
      return ((gint64)entry->status << 40) |
             (CLAMP (column_get (&index->created, slot), 0, (G_GINT64_CONSTANT (1) << 40) - 1));
    case NP_CHECKOUT_SORT_CREATED:
    default:
      return column_get (&index->created, slot);
    }
}

static inline int
compare_ascending (NpCheckoutIndex *index,
                   NpCheckoutSort   sort,
                   guint            a,
                   guint            b)
{
  gint64 key_a = sort_key (index, sort, a);
  gint64 key_b = sort_key (index, sort, b);

  if (key_a != key_b)
    return key_a < key_b ? -1 : 1;
  return a < b ? -1 : (a > b ? 1 : 0);
}

int
np_checkout_index_compare (NpCheckoutIndex       *index,
                           const NpCheckoutQuery *query,
                           guint                  a,
                           guint                  b)
{
  int result = compare_ascending (index, query->sort, a, b);

  return query->descending ? -result : result;
}

typedef struct {
  guint64 key;
  guint32 slot;
} KeyedSlot;

/* LSD radix sort, 8 bits a pass, skipping bytes every key shares. Stable, so equal
 * keys keep slot (= row id) order. */
static void
radix_sort (KeyedSlot *items,
            guint      n)
{
  g_autofree KeyedSlot *scratch = g_new (KeyedSlot, n);
  KeyedSlot *from = items;
  KeyedSlot *to = scratch;

  for (guint shift = 0; shift < 64; shift += 8)
    {
      guint counts[256] = { 0 };
      guint position = 0;
      KeyedSlot *swap;

      for (guint i = 0; i < n; i++)
        counts[(from[i].key >> shift) & 0xff]++;
      if (n == 0 || counts[(from[0].key >> shift) & 0xff] == n)
        continue;

      for (guint b = 0; b < 256; b++)
        {
          guint count = counts[b];
          counts[b] = position;
          position += count;
        }
      for (guint i = 0; i < n; i++)
        to[counts[(from[i].key >> shift) & 0xff]++] = from[i];

      swap = from;
      from = to;
      to = swap;
    }

  if (from != items)
    memcpy (items, from, n * sizeof *items);
}

static GArray *
ensure_perm (NpCheckoutIndex *index,
             NpCheckoutSort   sort)
{
  guint n = index->entries->len;
  g_autofree KeyedSlot *items = NULL;
  GArray *perm;
  guint n_live = 0;

  if (index->perms[sort] != NULL)
    return index->perms[sort];

  items = g_new (KeyedSlot, MAX (n, 1));
  for (guint slot = 0; slot < n; slot++)
    {
      if (!(entry_at (index, slot)->flags & FLAG_LIVE))
        continue;

      /* Flipping the sign bit makes unsigned order match signed order. */
      items[n_live].key = (guint64)sort_key (index, sort, slot) ^ (G_GUINT64_CONSTANT (1) << 63);
      items[n_live].slot = slot;
      n_live++;
    }
  radix_sort (items, n_live);

  perm = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n_live);
  g_array_set_size (perm, n_live);
  for (guint i = 0; i < n_live; i++)
    g_array_index (perm, guint32, i) = items[i].slot;

  index->perms[sort] = perm;

  return perm;
}

/* Where @slot, with its current key, is or would go in the ascending @perm. */
static guint
perm_lower_bound (NpCheckoutIndex *index,
                  NpCheckoutSort   sort,
                  GArray          *perm,
                  guint            slot)
{
  guint lo = 0;
  guint hi = perm->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare_ascending (index, sort, g_array_index (perm, guint32, mid), slot) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static void
perms_remove (NpCheckoutIndex *index,
              guint            slot)
{
  for (guint sort = 0; sort < N_SORTS; sort++)
    {
      GArray *perm = index->perms[sort];
      guint position;

      if (perm == NULL)
        continue;

      position = perm_lower_bound (index, sort, perm, slot);
      g_assert (position < perm->len && g_array_index (perm, guint32, position) == slot);
      g_array_remove_index (perm, position);
    }
}

/* Whether @sort's order is still worth patching for one more row; it is
 * dropped (sorted again when next asked) after MAX_PERM_PATCHES: each patch
 * moves half the order on average. */
static GArray *
perm_to_patch (NpCheckoutIndex *index,
               NpCheckoutSort   sort)
{
  if (index->perms[sort] != NULL && ++index->n_perm_patches[sort] > MAX_PERM_PATCHES)
    g_clear_pointer (&index->perms[sort], g_array_unref);

  return index->perms[sort];
}

static void
perms_insert (NpCheckoutIndex *index,
              guint            slot)
{
  for (guint sort = 0; sort < N_SORTS; sort++)
    {
      GArray *perm = perm_to_patch (index, sort);
      guint32 value = slot;

      if (perm != NULL)
        g_array_insert_val (perm, perm_lower_bound (index, sort, perm, slot), value);
    }
}

/* Text segments -------------------------------------------------------------- */

/* A segment's text runs to its '\n'. */
static inline guint32
segment_length (const guint8 *text)
{
  return (const guint8 *)rawmemchr (text, '\n') - text;
}

static void
mark_segment_stale (NpCheckoutIndex *index,
                    guint            slot)
{
  guint32 offset = g_array_index (index->text_offset, guint32, slot);
  guint lo = 0;
  guint hi = index->segments->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (index->segments, Segment, mid).offset < offset)
        lo = mid + 1;
      else
        hi = mid;
    }

  g_assert (lo < index->segments->len);
  g_array_index (index->segments, Segment, lo).slot = STALE_SLOT;
  index->stale_bytes += segment_length (index->text->data + offset) + 1;
}

static void
append_segment (NpCheckoutIndex *index,
                guint            slot,
                const char      *text)
{
  Segment segment = { index->text->len, slot };
  guint32 length = text ? strlen (text) : 0;

  g_array_append_val (index->segments, segment);
  if (length > 0)
    {
      guint8 *copy;

      g_byte_array_append (index->text, (const guint8 *)text, length);
      /* The '\n' ends the segment: one in a text (folded text has none) becomes
       * the field separator, which no needle holds either. */
      copy = index->text->data + segment.offset;
      while ((copy = memchr (copy, '\n', index->text->data + index->text->len - copy)) != NULL)
        *copy++ = FIELD_SEPARATOR;
    }
  g_byte_array_append (index->text, (const guint8 *)"\n", 1);

  g_array_index (index->text_offset, guint32, slot) = segment.offset;
}

static inline int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Packs @text's first field into @slot's id when it is 32 hex digits (folded:
 * lower case); returns the text that is left to keep, and whether it packed. */
static const char *
pack_id (NpCheckoutIndex *index,
         guint            slot,
         const char      *text,
         gboolean        *out_packed)
{
  guint8 *id = (guint8 *)index->ids->data + (gsize) slot * ID_BYTES;

  *out_packed = FALSE;
  memset (id, 0, ID_BYTES);
  if (text == NULL)
    return NULL;

  for (guint i = 0; i < ID_DIGITS; i++)
    if (hex_value (text[i]) < 0)
      return text;
  if (text[ID_DIGITS] != '\0' && text[ID_DIGITS] != FIELD_SEPARATOR)
    return text;

  for (guint i = 0; i < ID_BYTES; i++)
    id[i] = (hex_value (text[2 * i]) << 4) | hex_value (text[2 * i + 1]);
  *out_packed = TRUE;

  return text[ID_DIGITS] == '\0' ? "" : text + ID_DIGITS + 1;
}

/* Rewrites the buffer without stale segments. */
static void
compact_text (NpCheckoutIndex *index)
{
  g_autoptr(GByteArray) old_text = NULL;
  g_autoptr(GArray) old_segments = NULL;

  old_text = g_steal_pointer (&index->text);
  old_segments = g_steal_pointer (&index->segments);
  index->text = g_byte_array_sized_new (old_text->len - index->stale_bytes);
  index->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  index->stale_bytes = 0;

  for (guint i = 0; i < old_segments->len; i++)
    {
      const Segment *segment = &g_array_index (old_segments, Segment, i);
      guint32 length;
      Segment copy;

      if (segment->slot == STALE_SLOT)
        continue;

      length = segment_length (old_text->data + segment->offset);
      copy.offset = index->text->len;
      copy.slot = segment->slot;
      g_array_append_val (index->segments, copy);
      g_byte_array_append (index->text, old_text->data + segment->offset, length + 1);
      g_array_index (index->text_offset, guint32, segment->slot) = copy.offset;
    }
}

/* Once stale segments are most of the buffer. */
static void
maybe_compact (NpCheckoutIndex *index)
{
  if (index->stale_bytes < 4096 || index->stale_bytes * 2 < index->text->len)
    return;
  compact_text (index);
}

void
np_checkout_index_compact (NpCheckoutIndex *index)
{
  g_return_if_fail (index != NULL);

  if (index->stale_bytes > 0)
    compact_text (index);
}

gsize
np_checkout_index_get_text_bytes (NpCheckoutIndex *index,
                                  gsize           *out_stale)
{
  g_return_val_if_fail (index != NULL, 0);

  if (out_stale != NULL)
    *out_stale = index->stale_bytes;
  return index->text->len;
}

/* Rows ----------------------------------------------------------------------- */

/* Row ids only grow (AUTOINCREMENT), so a new row always comes last. */
static gboolean
append_slot (NpCheckoutIndex *index,
             gint64           row_id,
             guint           *out_slot)
{
  guint slot = index->entries->len;

  g_return_val_if_fail (slot == 0 || column_get (&index->row_ids, slot - 1) < row_id, FALSE);

  *out_slot = slot;
  g_array_set_size (index->entries, slot + 1);
  column_append (&index->created, 0);
  column_append (&index->amounts, 0);
  column_append (&index->updated, 0);
  g_array_set_size (index->text_offset, slot + 1);
  g_array_set_size (index->ids, slot + 1);
  column_append (&index->row_ids, row_id);

  return TRUE;
}

/* The sorted orders where @slot's key moved from @old_keys: a refreshed row
 * keeps its created time and amount, so the orders by those stay as they are. */
static void
perms_move (NpCheckoutIndex *index,
            guint            slot,
            const gint64     old_keys[N_SORTS],
            const guint      old_positions[N_SORTS])
{
  for (guint sort = 0; sort < N_SORTS; sort++)
    {
      GArray *perm;
      guint32 value = slot;

      if (index->perms[sort] == NULL || sort_key (index, sort, slot) == old_keys[sort])
        continue;

      perm = perm_to_patch (index, sort);
      if (perm == NULL)
        continue;

      g_array_remove_index (perm, old_positions[sort]);
      g_array_insert_val (perm, perm_lower_bound (index, sort, perm, slot), value);
    }
}

void
np_checkout_index_set_row (NpCheckoutIndex          *index,
                           const NpCheckoutIndexRow *row)
{
  gint64 old_keys[N_SORTS];
  guint old_positions[N_SORTS];
  gboolean was_live = FALSE;
  Entry *entry;
  const char *text;
  gboolean packed;
  guint slot;

  forget_search (index);

  if (np_checkout_index_lookup (index, row->row_id, &slot))
    {
      was_live = (entry_at (index, slot)->flags & FLAG_LIVE) != 0;
      if (was_live)
        {
          for (guint sort = 0; sort < N_SORTS; sort++)
            {
              GArray *perm = index->perms[sort];

              old_keys[sort] = sort_key (index, sort, slot);
              old_positions[sort] = perm != NULL ? perm_lower_bound (index, sort, perm, slot) : 0;
            }
          mark_segment_stale (index, slot);
        }
    }
  else if (!append_slot (index, row->row_id, &slot))
    {
      return;
    }

  text = pack_id (index, slot, row->text, &packed);
  entry = entry_at (index, slot);
  column_set (&index->created, slot, row->created);
  entry->customer = intern_customer (index, row->customer_id);
  entry->status = row->status;
  entry->flags = FLAG_LIVE |
                 (row->deleted ? FLAG_DELETED : 0) |
                 (row->refresh_failed ? FLAG_REFRESH_FAILED : 0) |
                 (packed ? FLAG_PACKED_ID : 0);
  column_set (&index->amounts, slot, row->amount);
  column_set (&index->updated, slot, row->updated);
  append_segment (index, slot, text);

  if (was_live)
    perms_move (index, slot, old_keys, old_positions);
  else
    perms_insert (index, slot);

  maybe_compact (index);
}

void
np_checkout_index_remove_row (NpCheckoutIndex *index,
                              gint64           row_id)
{
  guint slot;

  if (!np_checkout_index_lookup (index, row_id, &slot) ||
      !(entry_at (index, slot)->flags & FLAG_LIVE))
    return;

  forget_search (index);
  perms_remove (index, slot);
  mark_segment_stale (index, slot);
  entry_at (index, slot)->flags = 0;
  maybe_compact (index);
}

/* Queries -------------------------------------------------------------------- */

char *
np_search_fold_needle (const char *text)
{
  g_autofree char *trimmed = NULL;
  GString *folded;

  if (text == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    return NULL;

  folded = g_string_new (NULL);
  np_search_fold_append (folded, trimmed, -1);

  return g_string_free (folded, FALSE);
}

static void
hex_needle_init (HexNeedle  *hex,
                 const char *needle,
                 gsize       needle_length)
{
  hex->length = 0;
  if (needle_length == 0 || needle_length > ID_DIGITS)
    return;

  for (gsize i = 0; i < needle_length; i++)
    {
      int value = hex_value (needle[i]);

      if (value < 0)
        return;
      hex->nibbles[i] = value;
    }
  hex->length = needle_length;
}

static inline const guint8 *
id_at (NpCheckoutIndex *index,
       guint            slot)
{
  return (const guint8 *)index->ids->data + (gsize) slot * ID_BYTES;
}

static inline guint8
nibble_at (const guint8 *id,
           guint         i)
{
  return i % 2 == 0 ? id[i / 2] >> 4 : id[i / 2] & 0xf;
}

static gboolean
id_contains (const guint8    *id,
             const HexNeedle *hex)
{
  for (guint start = 0; start + hex->length <= ID_DIGITS; start++)
    {
      guint i = 0;

      while (i < hex->length && nibble_at (id, start + i) == hex->nibbles[i])
        i++;
      if (i == hex->length)
        return TRUE;
    }

  return FALSE;
}

static inline gboolean
slot_text_matches (NpCheckoutIndex *index,
                   guint            slot,
                   const char      *needle,
                   gsize            needle_length,
                   const HexNeedle *hex)
{
  const guint8 *text = index->text->data + g_array_index (index->text_offset, guint32, slot);

  if (memmem (text, segment_length (text), needle, needle_length) != NULL)
    return TRUE;

  return hex->length > 0 && (entry_at (index, slot)->flags & FLAG_PACKED_ID) &&
         id_contains (id_at (index, slot), hex);
}

static inline guint
mark_id_hit (NpCheckoutIndex *index,
             guint            slot,
             guint64         *hits,
             guint16         *positions)
{
  if (hit_test (hits, slot) || !(entry_at (index, slot)->flags & FLAG_PACKED_ID))
    return 0;

  hit_set (hits, slot);
  if (positions != NULL)
    positions[slot] = POSITION_UNKNOWN;
  return 1;
}

/* Marks the slots whose packed id holds @hex's digits; returns how many were
 * not marked before. Those have no position in the text (@positions, if any). */
static guint
scan_ids (NpCheckoutIndex *index,
          const HexNeedle *hex,
          guint64         *hits,
          guint16         *positions)
{
  const guint8 *ids = (const guint8 *)index->ids->data;
  guint n = index->ids->len;
  guint n_hits = 0;

  if (hex->length == 0 || n == 0)
    return 0;

  /* One or two digits: every id, a byte at a time (no whole byte to look for
   * at an odd start). */
  if (hex->length <= 2)
    {
      guint8 first = hex->nibbles[0];
      guint8 second = hex->length == 2 ? hex->nibbles[1] : 0;
      guint8 both = first << 4 | second;

      for (guint slot = 0; slot < n; slot++)
        {
          const guint8 *id = ids + (gsize) slot * ID_BYTES;
          gboolean found = FALSE;

          if (hex->length == 1)
            {
              for (guint j = 0; j < ID_BYTES; j++)
                found |= (id[j] >> 4) == first || (id[j] & 0xf) == first;
            }
          else
            {
              for (guint j = 0; j < ID_BYTES; j++)
                found |= id[j] == both;
              for (guint j = 0; j + 1 < ID_BYTES; j++)
                found |= (id[j] & 0xf) == first && (id[j + 1] >> 4) == second;
            }
          if (found)
            n_hits += mark_id_hit (index, slot, hits, positions);
        }

      return n_hits;
    }

  /* Starts at an even digit, then at an odd one: the needle's whole bytes from
   * there looked for over all the ids at once, the digits left at either end
   * (half a byte) checked after, and the match kept inside one id. */
  for (guint odd = 0; odd < 2; odd++)
    {
      guint8 bytes[ID_BYTES];
      guint n_bytes = (hex->length - odd) / 2;
      guint tail = (hex->length - odd) % 2;
      const guint8 *end = ids + (gsize) n * ID_BYTES;
      const guint8 *p = ids;

      for (guint i = 0; i < n_bytes; i++)
        bytes[i] = hex->nibbles[odd + 2 * i] << 4 | hex->nibbles[odd + 2 * i + 1];

      while (p < end && (p = memmem (p, end - p, bytes, n_bytes)) != NULL)
        {
          gsize position = p - ids;
          guint slot = position / ID_BYTES;
          guint offset = position % ID_BYTES;

          if (offset >= odd && offset + n_bytes + tail <= ID_BYTES &&
              (!odd || (p[-1] & 0xf) == hex->nibbles[0]) &&
              (!tail || (p[n_bytes] >> 4) == hex->nibbles[hex->length - 1]))
            {
              n_hits += mark_id_hit (index, slot, hits, positions);
              p = ids + (gsize) (slot + 1) * ID_BYTES;
            }
          else
            {
              p++;
            }
        }
    }

  return n_hits;
}

/* Which byte of @needle to look for first: the rarest in the text, estimated
 * from evenly spread samples of the buffer. memchr () is far faster than
 * memmem () on these short needles, as long as the byte it looks for is rare:
 * for "order-42" that is the '-', not the 'o' every message has. */
static gsize
pick_anchor (NpCheckoutIndex *index,
             const char      *needle,
             gsize            needle_length)
{
  const gsize sample = 4096;
  gsize length = index->text->len;
  gsize counted = index->byte_counts_length;
  guint *counts = index->byte_counts;
  gsize anchor = 0;

  if (counted == 0 || length > counted + counted / 8 || length < counted - counted / 8)
    {
      gsize step = MAX (length / 64, sample);

      memset (index->byte_counts, 0, sizeof index->byte_counts);
      for (gsize start = 0; start < length; start += step)
        for (gsize i = start; i < MIN (start + sample, length); i++)
          counts[index->text->data[i]]++;
      index->byte_counts_length = MAX (length, 1);
    }

  for (gsize i = 1; i < needle_length; i++)
    if (counts[(guchar)needle[i]] < counts[(guchar)needle[anchor]])
      anchor = i;

  return anchor;
}

/* Whether the anchor byte is rare enough (by the sampled counts, about once a
 * row or less) that the scan can go on after a row's first match to learn
 * whether it has a second one: with a byte every row holds several times
 * ("o"), that would be one more memchr () a row. */
static gboolean
anchor_is_rare (NpCheckoutIndex *index,
                guchar           anchor)
{
  /* In the samples, against the rows (one '\n' each). */
  return index->byte_counts['\n'] > 0 &&
         (guint64) index->byte_counts[anchor] * 4 <= (guint64) index->byte_counts['\n'] * 5;
}

/* One pass over the whole buffer: memchr () for the anchor byte, a memcmp () to
 * confirm, and on a match a jump to the next row. With @positions, where the
 * needle is in each row it is found in (the positions field): the pass then
 * goes on after a row's first match, to its second one if there is one.
 * Inlined, so that the pass without @positions has none of their work. */
G_ALWAYS_INLINE static inline guint
scan_buffer (NpCheckoutIndex *index,
             const char      *needle,
             gsize            needle_length,
             guint64         *hits,
             guint16         *positions)
{
  const guint8 *start = index->text->data;
  const guint8 *end = start + index->text->len;
  const Segment *segments = (const Segment *)(gpointer)index->segments->data;
  guint n_segments = index->segments->len;
  gsize anchor = pick_anchor (index, needle, needle_length);
  const guint8 *p = start + anchor;
  guint n_hits = 0;
  guint k = 0;

  while (p < end)
    {
      const guint8 *hit = memchr (p, needle[anchor], end - p);
      const guint8 *candidate;
      guint32 offset;
      guint slot;

      if (hit == NULL)
        break;

      /* The needle's last byte first: for "order-4" after an anchor on its '-',
       * a compare of one byte instead of a memcmp () call for nine rows in ten. */
      candidate = hit - anchor;
      if (candidate + needle_length > end ||
          candidate[needle_length - 1] != (guint8) needle[needle_length - 1] ||
          memcmp (candidate, needle, needle_length) != 0)
        {
          p = hit + 1;
          continue;
        }

      offset = candidate - start;
      while (k + 1 < n_segments && segments[k + 1].offset <= offset)
        k++;

      slot = segments[k].slot;
      if (slot != STALE_SLOT && !hit_test (hits, slot))
        {
          hit_set (hits, slot);
          n_hits++;
          if (positions != NULL)
            {
              positions[slot] = MIN (offset - segments[k].offset, POSITION_UNKNOWN);
              /* On to a second match in this row, if any. */
              p = hit + 1;
              continue;
            }
        }
      else if (slot != STALE_SLOT && positions != NULL)
        {
          positions[slot] = POSITION_UNKNOWN;  /* twice in the row */
        }

      p = (k + 1 < n_segments ? start + segments[k + 1].offset : end) + anchor;
    }

  return n_hits;
}

/* The rows of the last search that also hold @needle, which holds the last
 * needle (@last_length bytes) @shift bytes from its start, through the
 * positions the last search kept: a row that held the last needle once holds
 * @needle only at that place less @shift (each of its matches holds one of the
 * last needle's), and only the bytes before and after the last needle are left
 * to compare there ("order-4" after "order-": the '4'); a row without a kept
 * position is searched as a whole. Keeps @needle's positions in turn. */
static guint
search_positions (NpCheckoutIndex *index,
                  const char      *needle,
                  gsize            needle_length,
                  gsize            shift,
                  gsize            last_length,
                  const HexNeedle *hex,
                  guint64         *hits)
{
  const guint8 *text = index->text->data;
  const guint32 *text_offset = (const guint32 *)(gpointer)index->text_offset->data;
  guint16 *positions = index->positions;
  guint n = index->entries->len;
  /* From where the last needle starts: what comes after it, and its end. */
  const char *after = needle + shift + last_length;
  gsize after_length = needle_length - shift - last_length;
  guint8 final = needle[needle_length - 1];
  gsize final_at = needle_length - 1 - shift;
  gsize limit = index->text->len;
  gboolean hex_needle = hex->length > 0;
  guint n_hits = 0;

  for (guint word = 0; word <= n / 64; word++)
    {
      guint64 last = index->last_hits[word];

      while (last != 0)
        {
          guint slot = word * 64 + (guint) __builtin_ctzll (last);
          guint position = positions[slot];
          gsize at;
          gboolean found;

          last &= last - 1;
          at = (gsize) text_offset[slot] + position;
          if (position == POSITION_UNKNOWN)
            {
              found = slot_text_matches (index, slot, needle, needle_length, hex);
            }
          else if (position >= shift && at + final_at < limit && text[at + final_at] == final &&
                   (after_length <= 1 || memcmp (text + at + last_length, after, after_length - 1) == 0) &&
                   (shift == 0 || memcmp (text + at - shift, needle, shift) == 0))
            {
              found = TRUE;
              position -= shift;
            }
          else
            {
              found = hex_needle && (entry_at (index, slot)->flags & FLAG_PACKED_ID) &&
                      id_contains (id_at (index, slot), hex);
              position = POSITION_UNKNOWN;  /* in the id only */
            }
          if (found)
            {
              hit_set (hits, slot);
              positions[slot] = position;
              n_hits++;
            }
        }
    }

  return n_hits;
}

/* Returns a bit per slot, set where the folded text contains @needle. Owned by the index. */
static const guint64 *
search_text (NpCheckoutIndex *index,
             const char      *needle)
{
  guint n = index->entries->len;
  gsize needle_length = strlen (needle);
  g_autofree guint64 *hits = NULL;
  const char *last_in_needle = NULL;
  gboolean positions_valid = FALSE;
  HexNeedle hex;
  guint n_hits = 0;

  if (index->last_needle != NULL && strcmp (index->last_needle, needle) == 0)
    return index->last_hits;

  if (index->spare_hits != NULL && index->hits_capacity >= MAX (n, 1))
    {
      hits = g_steal_pointer (&index->spare_hits);
      memset (hits, 0, hits_bytes (MAX (n, 1)));
    }
  else
    {
      /* Grown (rows were added): both buffers at the new size from here on. */
      g_clear_pointer (&index->spare_hits, g_free);
      if (index->last_hits != NULL && index->hits_capacity < MAX (n, 1))
        {
          g_clear_pointer (&index->last_hits, g_free);
          g_clear_pointer (&index->last_needle, g_free);
          index->last_n_hits = 0;
          index->positions_valid = FALSE;
        }
      index->hits_capacity = MAX (index->hits_capacity, MAX (n, 1));
      hits = g_malloc0 (hits_bytes (index->hits_capacity));
    }
  if (index->positions_capacity < index->hits_capacity)
    {
      g_free (index->positions);
      index->positions = g_malloc (index->hits_capacity * sizeof (guint16));
      index->positions_capacity = index->hits_capacity;
      index->positions_valid = FALSE;
    }

  hex_needle_init (&hex, needle, needle_length);

  /* Typing narrows: every row containing "order-42" contains "order-4", so test
   * only the rows the last needle was found in, at the place it was when that
   * is known, or when its matches are few. */
  if (index->last_needle != NULL)
    last_in_needle = strstr (needle, index->last_needle);
  if (last_in_needle != NULL && index->positions_valid)
    {
      n_hits = search_positions (index, needle, needle_length, last_in_needle - needle,
                                 strlen (index->last_needle), &hex, hits);
      positions_valid = TRUE;
    }
  else if (last_in_needle != NULL && index->last_n_hits < n / 4)
    {
      for (guint slot = 0; slot < n; slot++)
        if (hit_test (index->last_hits, slot) && slot_text_matches (index, slot, needle, needle_length, &hex))
          {
            hit_set (hits, slot);
            n_hits++;
          }
    }
  else
    {
      gboolean keep = n <= MAX_POSITIONS_ROWS &&
                      anchor_is_rare (index, needle[pick_anchor (index, needle, needle_length)]);

      if (keep)
        n_hits = scan_buffer (index, needle, needle_length, hits, index->positions);
      else
        n_hits = scan_buffer (index, needle, needle_length, hits, NULL);
      /* A row found by its id only has no position in the text. */
      n_hits += scan_ids (index, &hex, hits, keep ? index->positions : NULL);
      positions_valid = keep;
    }

  forget_search (index);
  index->last_needle = g_strdup (needle);
  index->last_hits = g_steal_pointer (&hits);
  index->last_n_hits = n_hits;
  index->positions_valid = positions_valid;

  return index->last_hits;
}

/* Everything but the text. */
static inline gboolean
entry_matches (const Entry           *entry,
               const Column          *created,
               guint                  slot,
               const NpCheckoutQuery *query,
               guint32                customer)
{
  if (!(entry->flags & FLAG_LIVE))
    return FALSE;
  if ((entry->flags & FLAG_DELETED) && !query->include_deleted)
    return FALSE;
  if (query->refresh_failed && !(entry->flags & FLAG_REFRESH_FAILED))
    return FALSE;
  if (query->status_mask != 0 && !(query->status_mask & (1u << entry->status)))
    return FALSE;
  if (query->created_from != 0 && column_get (created, slot) < query->created_from)
    return FALSE;
  if (query->created_until != 0 && column_get (created, slot) >= query->created_until)
    return FALSE;
  if (customer != 0 && entry->customer != customer)
    return FALSE;

  return TRUE;
}

/* FALSE when the query names a customer no row has: nothing can match. */
static gboolean
query_customer (NpCheckoutIndex       *index,
                const NpCheckoutQuery *query,
                guint32               *out_customer)
{
  gpointer value;

  *out_customer = 0;
  if (query->customer_id == NULL || query->customer_id[0] == '\0')
    return TRUE;
  if (!g_hash_table_lookup_extended (index->customer_index, query->customer_id, NULL, &value))
    return FALSE;

  *out_customer = GPOINTER_TO_UINT (value);
  return TRUE;
}

guint
np_checkout_index_count (NpCheckoutIndex       *index,
                         const NpCheckoutQuery *query)
{
  g_autofree char *needle = np_search_fold_needle (query->text);
  const Entry *entries = (const Entry *)(gpointer)index->entries->data;
  const guint64 *hits = NULL;
  guint32 customer;
  guint n_matches = 0;

  if (!query_customer (index, query, &customer))
    return 0;
  if (needle != NULL)
    hits = search_text (index, needle);

  for (guint slot = 0; slot < index->entries->len; slot++)
    if ((hits == NULL || hit_test (hits, slot)) && entry_matches (&entries[slot], &index->created, slot, query, customer))
      n_matches++;

  return n_matches;
}

guint
np_checkout_index_query (NpCheckoutIndex       *index,
                         const NpCheckoutQuery *query,
                         guint32               *slots)
{
  g_autofree char *needle = np_search_fold_needle (query->text);
  guint64 *matches = NULL;
  const guint64 *hits = NULL;
  const Entry *entries = (const Entry *)(gpointer)index->entries->data;
  const guint32 *perm;
  guint n_slots = index->entries->len;
  guint32 customer;
  guint n_matches = 0;
  guint n;

  g_return_val_if_fail (query->sort < N_SORTS, 0);

  /* Patching the permutations is worth it between queries, not in bulk. */
  memset (index->n_perm_patches, 0, sizeof index->n_perm_patches);

  if (!query_customer (index, query, &customer))
    return 0;
  if (needle != NULL)
    hits = search_text (index, needle);

  /* Test every row in slot order, which reads memory front to back, into a
   * bitmap; then walk the sort order and pick the set bits. Walking the sort
   * order and testing rows there would jump around memory for every row. */
  if (index->matches_words < n_slots / 64 + 1)
    {
      g_free (index->matches);
      index->matches_words = n_slots / 64 + 1;
      index->matches = g_malloc (index->matches_words * sizeof (guint64));
    }
  matches = index->matches;
  memset (matches, 0, (n_slots / 64 + 1) * sizeof (guint64));
  for (guint word = 0; word <= n_slots / 64; word++)
    {
      /* A search leaves most words of hits empty ("order-4": 11,000 of
       * 100,000 rows, in runs): only the rows it found are tested. */
      guint64 found = hits != NULL ? hits[word] : ~G_GUINT64_CONSTANT (0);

      while (found != 0)
        {
          guint slot = word * 64 + (guint) __builtin_ctzll (found);

          found &= found - 1;
          if (slot >= n_slots)
            break;
          if (entry_matches (&entries[slot], &index->created, slot, query, customer))
            matches[word] |= G_GUINT64_CONSTANT (1) << (slot % 64);
        }
    }

  perm = (const guint32 *)(gpointer)ensure_perm (index, query->sort)->data;
  n = index->perms[query->sort]->len;

  if (query->descending)
    {
      for (guint i = n; i > 0; i--)
        if (matches[perm[i - 1] / 64] & (G_GUINT64_CONSTANT (1) << (perm[i - 1] % 64)))
          slots[n_matches++] = perm[i - 1];
    }
  else
    {
      for (guint i = 0; i < n; i++)
        if (matches[perm[i] / 64] & (G_GUINT64_CONSTANT (1) << (perm[i] % 64)))
          slots[n_matches++] = perm[i];
    }

  return n_matches;
}

gboolean
np_checkout_index_matches (NpCheckoutIndex       *index,
                           const NpCheckoutQuery *query,
                           guint                  slot)
{
  g_autofree char *needle = np_search_fold_needle (query->text);
  HexNeedle hex;
  guint32 customer;

  g_return_val_if_fail (slot < index->entries->len, FALSE);

  if (!query_customer (index, query, &customer) ||
      !entry_matches (entry_at (index, slot), &index->created, slot, query, customer))
    return FALSE;
  if (needle == NULL)
    return TRUE;

  hex_needle_init (&hex, needle, strlen (needle));
  return slot_text_matches (index, slot, needle, strlen (needle), &hex);
}
