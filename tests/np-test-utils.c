/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-test-utils.c — a private home per test process, and bounded waits. */
#define _GNU_SOURCE
#include <string.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "np-test-utils.h"

static char *test_home;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }

  g_rmdir (path);
}

static void
remove_test_home (void)
{
  if (test_home != NULL && g_getenv ("NP_TEST_KEEP_HOME") == NULL)
    remove_tree (test_home);
  g_clear_pointer (&test_home, g_free);
}

void
np_test_init (int    *argc,
              char ***argv)
{
  static const char * const dirs[][2] = {
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
  };
  g_autoptr(GError) error = NULL;

  g_test_init (argc, argv, NULL);

  test_home = g_dir_make_tmp ("np-test-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (test_home, dirs[i][1], NULL);

      g_mkdir_with_parents (path, 0700);
      g_setenv (dirs[i][0], path, TRUE);
    }

  atexit (remove_test_home);
}

const char *
np_test_get_home (void)
{
  return test_home;
}

static gboolean
deadline_reached (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

void
np_test_wait_until (NpTestCondition  condition,
                    gpointer         user_data,
                    guint            timeout_ms,
                    const char      *what)
{
  gboolean expired = FALSE;
  guint source_id;

  source_id = g_timeout_add (timeout_ms, deadline_reached, &expired);

  while (!condition (user_data) && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (expired)
    g_error ("Timed out after %u ms waiting for %s", timeout_ms, what);

  g_source_remove (source_id);
}

static gboolean
result_is_set (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

GAsyncResult *
np_test_wait_result (GAsyncResult **result,
                     guint          timeout_ms)
{
  np_test_wait_until (result_is_set, result, timeout_ms, "an async result");
  return *result;
}

void
np_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

gboolean
np_test_file_contains (const char *path,
                       const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  /* memmem, not strstr: a key must be found even after a NUL byte. */
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

char *
np_test_find_in_tree (const char *path,
                      const char *needle)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return np_test_file_contains (path, needle) ? g_strdup (path) : NULL;

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return NULL;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      char *found;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;

      found = np_test_find_in_tree (child, needle);
      if (found != NULL)
        return found;
    }

  return NULL;
}
