/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-qr-code.h — a QR code of a link, so a customer at a counter can pay on their phone. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define NP_TYPE_QR_CODE (np_qr_code_get_type ())
G_DECLARE_FINAL_TYPE (NpQrCode, np_qr_code, NP, QR_CODE, GtkWidget)

GtkWidget  *np_qr_code_new             (void);
const char *np_qr_code_get_text        (NpQrCode   *self);
void        np_qr_code_set_text        (NpQrCode   *self,
                                        const char *text);
/* The code as an image, @module_size pixels a module, with the quiet zone;
 * NULL when there is no text or it is too long to encode. */
GdkTexture *np_qr_code_create_texture  (const char *text,
                                        guint       module_size);

G_END_DECLS
