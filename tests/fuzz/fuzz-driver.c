/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-driver.c — runs a libFuzzer entry point without libFuzzer (gcc builds).
 *
 * Usage: fuzz-X CORPUS_DIR [N]. Feeds every corpus file, then N mutations (bit
 * flips, byte insertions and deletions, splices of two corpus files) from a fixed
 * seed, so a failure reproduces. A crash is the failure; at the end it prints
 * the executions as a TAP plan of one test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static GBytes *
mutate (GRand     *rand,
        GPtrArray *corpus)
{
  GBytes *seed = g_ptr_array_index (corpus, g_rand_int_range (rand, 0, corpus->len));
  gsize len;
  const guint8 *base = g_bytes_get_data (seed, &len);
  GByteArray *out = g_byte_array_new ();
  guint steps = g_rand_int_range (rand, 1, 8);

  g_byte_array_append (out, base, len);
  for (guint i = 0; i < steps; i++)
    {
      guint pos = out->len > 0 ? g_rand_int_range (rand, 0, out->len) : 0;
      guint8 byte = g_rand_int_range (rand, 0, 256);
      static const char *tokens[] = { "{", "}", "[", "]", "\"", ":", ",", "null", "-", ".", "1e999",
                                      "\\u0000", "\\ud800", "99999999999999999999", "\xff", "\xc3",
                                      "\"checkout_id\"", "\"amount\"", "\"metaData\"", "\"error\"" };

      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0:
          if (out->len > 0)
            out->data[pos] ^= 1 << g_rand_int_range (rand, 0, 8);
          break;
        case 1:
          g_array_insert_vals ((GArray *) out, pos, &byte, 1);   /* a GByteArray is a GArray of bytes */
          break;
        case 2:
          if (out->len > 0)
            {
              guint n = g_rand_int_range (rand, 1, 16);

              g_byte_array_remove_range (out, pos, MIN (n, out->len - pos));
            }
          break;
        case 3:
          {
            const char *token = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];

            g_array_insert_vals ((GArray *) out, pos, token, strlen (token));
          }
          break;
        default:
          {
            GBytes *other = g_ptr_array_index (corpus, g_rand_int_range (rand, 0, corpus->len));
            gsize other_len;
            const guint8 *other_data = g_bytes_get_data (other, &other_len);
            guint from = other_len > 0 ? g_rand_int_range (rand, 0, other_len) : 0;

            g_byte_array_set_size (out, pos);
            g_byte_array_append (out, other_data + from, other_len - from);
          }
          break;
        }
    }

  return g_byte_array_free_to_bytes (out);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GPtrArray) corpus = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  guint64 n = argc > 2 ? g_ascii_strtoull (argv[2], NULL, 10) : 10000;
  guint64 executions = 0;
  const char *name;

  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s CORPUS_DIR [MUTATIONS]\n", argv[0]);
      return 2;
    }

  dir = g_dir_open (argv[1], 0, &error);
  if (dir == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (argv[1], name, NULL);
      char *contents;
      gsize len;

      if (g_file_get_contents (path, &contents, &len, NULL))
        g_ptr_array_add (corpus, g_bytes_new_take (contents, len));
    }
  if (corpus->len == 0)
    g_ptr_array_add (corpus, g_bytes_new ("", 0));

  /* A critical from the code under test is as much a failure as a crash. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  if (g_getenv ("NP_FUZZ_VERBOSE") != NULL)
    setvbuf (stdout, NULL, _IONBF, 0);

  printf ("1..1\n");
  for (guint i = 0; i < corpus->len; i++, executions++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (corpus, i), &len);

      LLVMFuzzerTestOneInput (data, len);
    }
  for (guint64 i = 0; i < n; i++, executions++)
    {
      g_autoptr(GBytes) input = mutate (rand, corpus);
      gsize len;
      const guint8 *data = g_bytes_get_data (input, &len);

      /* Written first, so that the input of a crash is on disk. */
      if (g_getenv ("NP_FUZZ_LAST") != NULL)
        g_file_set_contents (g_getenv ("NP_FUZZ_LAST"), (const char *) data, len, NULL);
      LLVMFuzzerTestOneInput (data, len);
    }

  printf ("ok 1 - %" G_GUINT64_FORMAT " executions (%u corpus files, seed 12), 0 crashes\n",
          executions, corpus->len);
  return 0;
}
