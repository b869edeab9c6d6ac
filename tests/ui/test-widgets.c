/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-widgets.c — the small widgets of our own, under the headless display. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "np-chart.h"
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

static NpChartPoint *
make_points (guint n)
{
  NpChartPoint *points = g_new0 (NpChartPoint, n);

  for (guint i = 0; i < n; i++)
    {
      g_date_set_dmy (&points[i].day, 1 + i, G_DATE_NOVEMBER, 2026);
      points[i].paid = (i + 1) * 10000;     /* 100.00, 200.00 ... SEK */
      points[i].refunded = i == 2 ? 5000 : 0;
    }

  return points;
}

static gboolean
widget_is_allocated (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data)) && gtk_widget_get_width (GTK_WIDGET (user_data)) > 0;
}

/* Renders what the widget draws at its allocated size into an image. */
static cairo_surface_t *
render_widget (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_surface_t *surface;
  cairo_t *cr;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

static guint
count_pixels_near (cairo_surface_t *surface,
                   guint32          rgb)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint count = 0;

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      {
        guint32 pixel = *(const guint32 *) (data + y * stride + x * 4) & 0xffffff;
        int dr = (int) (pixel >> 16) - (int) (rgb >> 16);
        int dg = (int) ((pixel >> 8) & 0xff) - (int) ((rgb >> 8) & 0xff);
        int db = (int) (pixel & 0xff) - (int) (rgb & 0xff);

        if (ABS (dr) + ABS (dg) + ABS (db) < 12)
          count++;
      }

  return count;
}

static void
test_chart_points (void)
{
  GtkWidget *chart = np_chart_new ();
  g_autofree NpChartPoint *points = make_points (7);
  g_autofree char *summary = NULL;
  g_autofree char *empty = NULL;

  g_object_ref_sink (chart);
  empty = np_chart_dup_summary (NP_CHART (chart));
  g_assert_cmpstr (empty, ==, "No payments in this period.");

  np_chart_set_points (NP_CHART (chart), "SEK", points, 7);
  g_assert_cmpuint (np_chart_get_n_points (NP_CHART (chart)), ==, 7);
  g_assert_cmpstr (np_chart_get_currency (NP_CHART (chart)), ==, "SEK");
  g_assert_cmpint (np_chart_get_point (NP_CHART (chart), 3)->paid, ==, 40000);
  g_assert_cmpint (np_chart_get_point (NP_CHART (chart), 2)->refunded, ==, 5000);
  g_assert_cmpint (np_chart_get_hovered (NP_CHART (chart)), ==, -1);

  /* 100+200+...+700 = 2800 SEK paid, 50 SEK refunded, best day the 7th. */
  summary = np_chart_dup_summary (NP_CHART (chart));
  g_assert_nonnull (strstr (summary, "7 days"));
  g_assert_nonnull (strstr (summary, "2,800.00\u00a0SEK paid"));
  g_assert_nonnull (strstr (summary, "50.00\u00a0SEK refunded"));
  g_assert_nonnull (strstr (summary, "700.00\u00a0SEK"));

  g_object_unref (chart);
}

static void
test_chart_draws_bars (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = np_chart_new ();
  g_autofree NpChartPoint *points = make_points (7);
  cairo_surface_t *surface;
  guint paid_pixels, refunded_pixels;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 300);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  np_chart_set_points (NP_CHART (chart), "SEK", points, 7);
  gtk_window_present (GTK_WINDOW (window));
  np_test_wait_until (widget_is_allocated, chart, 10000, "the chart to be laid out");

  surface = render_widget (chart);
  if (g_getenv ("NP_TEST_SAVE_RENDER"))
    cairo_surface_write_to_png (surface, g_getenv ("NP_TEST_SAVE_RENDER"));
  paid_pixels = count_pixels_near (surface, 0x3584e4);
  refunded_pixels = count_pixels_near (surface, 0xe66100);
  cairo_surface_destroy (surface);

  /* The paid bars grow day by day and fill far more than the one refund bar and the legend swatches. */
  g_assert_cmpuint (paid_pixels, >, 2000);
  g_assert_cmpuint (refunded_pixels, >, 100);
  g_assert_cmpuint (paid_pixels, >, refunded_pixels * 5);

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

  g_test_add_func ("/widgets/chart/points", test_chart_points);
  g_test_add_func ("/widgets/chart/draws-bars", test_chart_draws_bars);

  return g_test_run ();
}
