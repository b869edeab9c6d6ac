/* SPDX-License-Identifier: GPL-3.0-or-later */
/* day-report-fixture.c — see day-report-fixture.h. */
#include "day-report-fixture.h"
#include "ledger-fixtures.h"

static void
add_refund (NpLedger       *ledger,
            gint64          account,
            gint64          team_id,
            const char     *checkout_id,
            gint64          amount,
            const char     *currency,
            NpJournalState  state,
            gint64          started)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details = g_strdup_printf ("{\"checkout_id\":\"%s\",\"currency\":\"%s\","
                                              "\"refund_amount\":%" G_GINT64_FORMAT ",\"reason\":\"=Damaged, %s\"}",
                                              checkout_id, currency, amount, currency);

  /* Another desk's rows carry their own times (and their desk and user). */
  np_ledger_journal_apply_team (ledger, account, team_id, NP_JOURNAL_OPERATION_REFUND, state, checkout_id,
                                "Refund", details, state == NP_JOURNAL_STATE_FAILED ? "declined" : NULL,
                                started, state == NP_JOURNAL_STATE_UNKNOWN ? 0 : started + 2,
                                "desk-b", "anna", &error);
  g_assert_no_error (error);
}

NpLedger *
day_report_fixture (gint64 *out_account)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_ledger_path ("report");
  NpLedger *ledger = fixture_open_ledger (path);
  gint64 shop = fixture_add_account (ledger, "Shop", NP_ENVIRONMENT_TEST);
  gint64 other = fixture_add_account (ledger, "Other", NP_ENVIRONMENT_TEST);

  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "sek_in", .status = "paid", .amount = 100000,
                                                      .currency = "SEK", .created = START_UTC + 1800 });
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "sek_before", .status = "paid", .amount = 5000,
                                                      .currency = "SEK", .created = START_UTC - 1 });
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "sek_open", .status = "created", .amount = 700,
                                                      .currency = "SEK", .created = START_UTC + 7200 });
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "jpy_late", .status = "partialRefund", .amount = 3000,
                                                      .currency = "JPY", .created = END_UTC - 1800 });
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "kwd_noon", .status = "paid", .amount = 12345,
                                                      .currency = "KWD", .created = START_UTC + 50400 });
  fixture_upsert (ledger, shop, &(FixtureCheckout) { .id = "kwd_after", .status = "paid", .amount = 999,
                                                      .currency = "KWD", .created = END_UTC });
  fixture_upsert (ledger, other, &(FixtureCheckout) { .id = "other", .status = "paid", .amount = 1,
                                                       .currency = "SEK", .created = START_UTC + 60 });

  /* Another desk's rows come from the team ledger the desk is in. */
  if (!np_ledger_set_team_ledger (ledger, "0f1e2d3c-day-report-team", FALSE, NULL, &error))
    g_error ("Could not join the fixture's team ledger: %s", error->message);

  /* 01:30Z is 02:30 CET, in the hour that happens twice. */
  add_refund (ledger, shop, 1, "sek_in", 25000, "SEK", NP_JOURNAL_STATE_SUCCEEDED, START_UTC + 12600);
  add_refund (ledger, shop, 2, "jpy_late", 1000, "JPY", NP_JOURNAL_STATE_SUCCEEDED, END_UTC - 900);
  add_refund (ledger, shop, 3, "kwd_noon", 2345, "KWD", NP_JOURNAL_STATE_SUCCEEDED, START_UTC + 43200);
  add_refund (ledger, shop, 4, "kwd_noon", 500, "KWD", NP_JOURNAL_STATE_FAILED, START_UTC + 43300);
  add_refund (ledger, shop, 5, "sek_in", 999, "SEK", NP_JOURNAL_STATE_SUCCEEDED, END_UTC + 600);
  add_refund (ledger, shop, 6, "sek_in", 1500, "SEK", NP_JOURNAL_STATE_UNKNOWN, START_UTC + 20000);
  add_refund (ledger, other, 7, "other", 1, "SEK", NP_JOURNAL_STATE_SUCCEEDED, START_UTC + 100);

  /* This desk's own operation (today, outside the day): the chain has a head. */
  {
    gint64 id = np_ledger_journal_begin (ledger, shop, NP_JOURNAL_OPERATION_CAPTURE, "sek_in", "Capture",
                                         NULL, &error);

    g_assert_no_error (error);
    np_ledger_journal_finish (ledger, id, NP_JOURNAL_STATE_SUCCEEDED, NULL, NULL, &error);
    g_assert_no_error (error);
  }

  *out_account = shop;
  return ledger;
}

