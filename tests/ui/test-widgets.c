/* test-widgets.c — the small widgets of our own, under the headless display. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "np-qr-code.h"
#include "np-test-utils.h"

/* Decodes a PNG with zbarimg, as a phone camera would read the code. */
static char *
decode_qr (const char *png_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { "zbarimg", "--quiet", "--raw", png_path, NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return g_strdup (g_strchomp (out));
}

static void
test_qr_code_decodes (void)
{
  static const char * const links[] = {
    "http://127.0.0.1:8080/pay/c0ffee00c0ffee00c0ffee00c0ffee00",
    "https://api.neuro-admin.com/client/9a7991cb1e8e9f30911970e913ad4841?lang=sv&name=%C3%A5sa",
  };

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autoptr(GdkTexture) texture = np_qr_code_create_texture (links[i], 4);
      g_autofree char *path = g_build_filename (np_test_get_home (), "qr.png", NULL);
      g_autofree char *decoded = NULL;

      g_assert_nonnull (texture);
      /* Four modules of quiet zone on each side, at four pixels a module. */
      g_assert_cmpint (gdk_texture_get_width (texture) % 4, ==, 0);
      g_assert_true (gdk_texture_save_to_png (texture, path));

      decoded = decode_qr (path);
      g_assert_cmpstr (decoded, ==, links[i]);
      g_unlink (path);
    }
}

static void
test_qr_code_empty (void)
{
  g_assert_null (np_qr_code_create_texture (NULL, 4));
  g_assert_null (np_qr_code_create_texture ("", 4));
}

static void
test_qr_code_widget (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *qr = np_qr_code_new ();
  int minimum, natural;

  gtk_widget_measure (qr, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 0);   /* nothing to show, no space taken */

  np_qr_code_set_text (NP_QR_CODE (qr), "https://example.com/pay/1");
  g_assert_cmpstr (np_qr_code_get_text (NP_QR_CODE (qr)), ==, "https://example.com/pay/1");
  gtk_widget_measure (qr, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, >, 0);
  g_assert_cmpint (natural, >=, minimum);

  gtk_window_set_child (GTK_WINDOW (window), qr);
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  np_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/widgets/qr-code/decodes", test_qr_code_decodes);
  g_test_add_func ("/widgets/qr-code/empty", test_qr_code_empty);
  g_test_add_func ("/widgets/qr-code/widget", test_qr_code_widget);

  return g_test_run ();
}
