/* SPDX-License-Identifier: GPL-3.0-or-later */
/* np-link.h — which links from a server the console may show and open.
 *
 * A payment link or client page arrives in a server's answer: it is checked where
 * it enters (NpCheckout, NpCustomer), and one that fails stays only in the raw JSON.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @text is an https:// link to a named host or address, or an http://
 * link to loopback (127.0.0.0/8, ::1, localhost: the sandbox). FALSE for every
 * other scheme (javascript:, file:, data:...), a missing host, userinfo
 * ("https://bank@evil"), spaces, control characters, backslashes, non-ASCII
 * text and links longer than NP_LINK_MAX_LENGTH. */
gboolean np_link_is_openable (const char *text);

#define NP_LINK_MAX_LENGTH 2048

/* For the objects built from an answer: returns @text when it is openable, and
 * otherwise frees it, returns NULL and sets @refused when there was a link. */
char    *np_link_take_openable (char     *text,
                                gboolean *refused);

G_END_DECLS
