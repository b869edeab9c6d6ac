/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-qr-code.c — a QR code of a link, drawn crisp at any size.
 *
 * The modules come from libqrencode; the widget draws them as rectangles so the
 * code stays sharp when scaled, and keeps a quiet zone of four modules that
 * phone cameras need to find it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>
#include <qrencode.h>

#include "np-qr-code.h"

#define QUIET_ZONE 4

struct _NpQrCode
{
  GtkWidget  parent_instance;

  char      *text;
  QRcode    *code;
};

G_DEFINE_FINAL_TYPE (NpQrCode, np_qr_code, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static QRcode *
encode (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;

  return QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
}

static inline gboolean
module_is_dark (const QRcode *code,
                int           x,
                int           y)
{
  return code->data[y * code->width + x] & 1;
}

GtkWidget *
np_qr_code_new (void)
{
  return g_object_new (NP_TYPE_QR_CODE, NULL);
}

const char *
np_qr_code_get_text (NpQrCode *self)
{
  g_return_val_if_fail (NP_IS_QR_CODE (self), NULL);

  return self->text;
}

void
np_qr_code_set_text (NpQrCode   *self,
                     const char *text)
{
  g_return_if_fail (NP_IS_QR_CODE (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  g_clear_pointer (&self->code, QRcode_free);
  self->code = encode (text);

  /* A screen reader hears "QR code" and what it encodes. */
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  /* The size follows the number of modules. */
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

GdkTexture *
np_qr_code_create_texture (const char *text,
                           guint       module_size)
{
  g_autoptr(GBytes) bytes = NULL;
  QRcode *code;
  guint8 *pixels;
  int side, stride;

  g_return_val_if_fail (module_size > 0, NULL);

  code = encode (text);
  if (code == NULL)
    return NULL;

  side = (code->width + 2 * QUIET_ZONE) * module_size;
  stride = side * 3;
  pixels = g_malloc (stride * side);
  memset (pixels, 0xff, stride * side);

  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      if (module_is_dark (code, x, y))
        for (guint dy = 0; dy < module_size; dy++)
          memset (pixels + ((y + QUIET_ZONE) * module_size + dy) * stride + (x + QUIET_ZONE) * module_size * 3,
                  0, module_size * 3);

  QRcode_free (code);
  bytes = g_bytes_new_take (pixels, stride * side);

  return gdk_memory_texture_new (side, side, GDK_MEMORY_R8G8B8, bytes, stride);
}

static void
np_qr_code_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  NpQrCode *self = NP_QR_CODE (widget);
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA black = { 0, 0, 0, 1 };
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float module, side, x0, y0;
  int modules;

  if (self->code == NULL)
    return;

  /* Whole pixels per module keep the edges sharp for the camera. */
  modules = self->code->width + 2 * QUIET_ZONE;
  module = floorf ((float) MIN (width, height) / modules);
  if (module < 1)
    module = (float) MIN (width, height) / modules;
  side = module * modules;
  x0 = floorf ((width - side) / 2);
  y0 = floorf ((height - side) / 2);

  /* Always dark on light, even in dark mode: scanners expect it. */
  gtk_snapshot_append_color (snapshot, &white, &GRAPHENE_RECT_INIT (x0, y0, side, side));

  for (int y = 0; y < self->code->width; y++)
    for (int x = 0; x < self->code->width; x++)
      if (module_is_dark (self->code, x, y))
        gtk_snapshot_append_color (snapshot, &black,
                                   &GRAPHENE_RECT_INIT (x0 + (x + QUIET_ZONE) * module,
                                                        y0 + (y + QUIET_ZONE) * module,
                                                        module, module));
}

static void
np_qr_code_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  NpQrCode *self = NP_QR_CODE (widget);
  int modules = self->code != NULL ? self->code->width + 2 * QUIET_ZONE : 0;

  *minimum = modules * 2;
  *natural = modules * 5;
}

static void
np_qr_code_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  NpQrCode *self = NP_QR_CODE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_qr_code_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  NpQrCode *self = NP_QR_CODE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      np_qr_code_set_text (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
np_qr_code_finalize (GObject *object)
{
  NpQrCode *self = NP_QR_CODE (object);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->code, QRcode_free);

  G_OBJECT_CLASS (np_qr_code_parent_class)->finalize (object);
}

static void
np_qr_code_class_init (NpQrCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = np_qr_code_finalize;
  object_class->get_property = np_qr_code_get_property;
  object_class->set_property = np_qr_code_set_property;

  widget_class->snapshot = np_qr_code_snapshot;
  widget_class->measure = np_qr_code_measure;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "qrcode");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
np_qr_code_init (NpQrCode *self)
{
  /* Named, or a screen reader would read the type name, "NpQrCode". */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("QR code"), -1);
}
