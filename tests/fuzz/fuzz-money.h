/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-money.h — how fuzz-money.c picks the currency of an input.
 *
 * The first byte of an input picks its currency; the rest is the text typed. The
 * letters 'S', 'E', 'J', 'K' pick SEK, EUR, JPY and KWD (two, two, zero and three
 * decimals), 'X' the unknown "XYZ", '0' no currency and 's' a lower-case "sek";
 * these stay put when np-money.c's list of currencies grows, so a corpus file
 * keeps its currency. Any other byte picks one of np_money_currencies ().
 *
 * A corpus file (tests/fuzz/corpus/money) is named after its currency, lower
 * case, then a dash: "kwd-decimals" starts with 'K'. The unit test
 * fuzz-money-corpus checks every file's first byte picks the currency its name
 * says.
 */
#pragma once

#include <glib.h>

const char *np_fuzz_money_currency (guint8 selector);
