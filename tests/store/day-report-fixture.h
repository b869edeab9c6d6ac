/* SPDX-License-Identifier: GPL-3.0-or-later */
/* day-report-fixture.h — a ledger for the end-of-day report tests: Stockholm's
 * DST day 2026-10-25 (25 hours), checkouts and refunds in SEK, JPY and KWD,
 * rows just outside the day and another account's. */
#pragma once

#include "np-ledger.h"

#define START_UTC 1792879200  /* 2026-10-24T22:00:00Z: local midnight, CEST */
#define END_UTC   1792969200  /* 2026-10-25T23:00:00Z: the next local midnight, CET */

NpLedger *day_report_fixture (gint64 *out_account);
