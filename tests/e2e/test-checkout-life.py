#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end, as a person: the life of a checkout on the embedded sandbox.

Creates a checkout through the New Checkout form, pays it on the sandbox's payment
page by HTTP (as the customer's browser would), refreshes it, refunds part of it
through the Refund dialog and sees "Partially refunded" in the detail and the refund
in the Activity journal. Then creates a second checkout and chooses in the Checkouts
list with the real pointer and keyboard: a click shows a checkout, Up moves the
selection, Shift+Down extends it (no checkout in the detail), Down narrows it again.

A customer through the New Customer dialog is test-customer-life.py; a second account
on a separate neuropay-sandbox through Preferences is test-second-account.py.
"""
import sys
import urllib.parse
import urllib.request

import npdriver

button = npdriver.find_button
window = npdriver.find_toplevel
gone = npdriver.wait_toplevel_gone

CONSOLE = sys.argv[1]

MESSAGE = "E2E order 4711"


def labels_under(c, root):
    return [c.text_of(n) or "" for n in c.find_all("label", root=root)]


def detail_value(c, detail, row_title):
    """The value an AdwActionRow of the checkout detail shows (its subtitle)."""
    details = c.find("list", "Details", root=detail)
    row = c.find("list item", row_title, root=details)

    def value():
        texts = [t for t in labels_under(c, row) if t and t != row_title]
        return texts[0] if texts else None

    return npdriver.wait_until(value, f"a value in the {row_title!r} row")


def create_checkout(c, amount, message):
    c.press_keys("alt+2")
    page = c.find("filler", "NpCheckoutsPage")
    c.click(button(c, "New Checkout", root=page))
    form = window(c, "New Checkout")
    c.type_into(c.find("text", "Amount", root=form), amount)
    c.type_into(c.find("text", "Message to the customer", root=form), message)
    c.click(button(c, "Create", root=form))
    gone(c, "New Checkout", timeout=30)
    # The new checkout is selected and shown in the detail.
    detail = c.find("filler", "NpCheckoutDetail", root=page)
    checkout_id = detail_value(c, detail, "Checkout id")
    link = npdriver.wait_until(
        lambda: next((npdriver.name_of(n) for n in c.find_all("list item", root=c.find("list", "Payment Link",
                                                                                     root=detail))
                      if npdriver.name_of(n).startswith("http")), None),
        "the payment link")
    return detail, checkout_id, link


def status_shown(c, detail, text, timeout=npdriver.DEFAULT_TIMEOUT):
    npdriver.wait_until(lambda: any(c.text_of(n) == text for n in c.find_all("label", root=detail)),
                        f"the status {text!r} in the detail", timeout)


def pay_by_http(link, checkout_id):
    """What the customer's browser does on the payment page: POST /pay/<id>."""
    parts = urllib.parse.urlsplit(link)
    assert parts.hostname in ("127.0.0.1", "localhost", "::1"), f"the sandbox link {link} is not on loopback"
    url = f"{parts.scheme}://{parts.netloc}/pay/{checkout_id}"
    data = urllib.parse.urlencode({"outcome": "success"}).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST"), timeout=10) as reply:
        body = reply.read().decode("utf-8", "replace")
        assert reply.status == 200, f"POST {url}: {reply.status}"
        assert "paid" in body, f"the sandbox did not report the checkout paid: {body[:200]}"


def checkout_life(c):
    npdriver.wait_sandbox_account(c)
    detail, checkout_id, link = create_checkout(c, "12.50", MESSAGE)
    assert checkout_id and " " not in checkout_id, f"checkout id {checkout_id!r}"
    assert checkout_id in link, f"the payment link {link} is not for {checkout_id}"
    status_shown(c, detail, "Created")
    assert MESSAGE in labels_under(c, c.find("list item", "Message", root=c.find("list", "Details", root=detail)))

    pay_by_http(link, checkout_id)
    # Refresh from the detail's menu is the F5 of the page; the toolbar button refreshes the selection.
    c.click(button(c, "Refresh", root=c.find("filler", "NpCheckoutsPage")))
    status_shown(c, detail, "Paid", timeout=30)

    c.click(button(c, "Refund…", root=detail))
    dialog = window(c, "Refund")
    c.click(c.find("push button", "Part of it", root=dialog))
    amount = npdriver.wait_until(lambda: next((n for n in c.find_all("text", root=dialog)
                                               if npdriver.name_of(n).startswith("Amount")), None),
                                 "the refund amount entry")
    c.type_into(amount, "5.00")
    c.click(npdriver.wait_until(lambda: next((n for n in c.find_all("push button", root=dialog)
                                              if npdriver.name_of(n).replace("_", "").startswith("Refund ")
                                              and "5" in npdriver.name_of(n)), None),
                                "the Refund button naming the amount"))
    # A confirmation names the amount; its Refund answers it.
    c.click(npdriver.wait_until(lambda: next((n for n in c.find_all("push button")
                                              if npdriver.name_of(n).replace("_", "") in ("Refund", "Refund Refund")),
                                             None), "the confirmation's Refund button"))
    gone(c, "Refund", timeout=30)
    status_shown(c, detail, "Partially refunded", timeout=30)

    # The refund is journalled: on the Activity page with its outcome.
    c.press_keys("alt+4")
    table = c.find("tree table", "Operations, newest first")
    npdriver.wait_until(lambda: "Refund" in labels_under(c, table), "the refund in the Activity journal")
    npdriver.wait_until(lambda: "Create" in labels_under(c, table) or "Create checkout" in labels_under(c, table),
                        "the creation in the Activity journal")

    choose_in_the_list(c)


def choose_in_the_list(c):
    """The Checkouts list with the real pointer and keyboard: a click shows a
    checkout, the arrow keys move the selection, Shift extends it."""
    detail, _, _ = create_checkout(c, "7.00", "A second order")
    # The second order stays created, so it is watched (retrieved every 2 s) all
    # through the walk: an answer that changed nothing must leave the rows, the
    # selection and the keyboard focus alone. One retrieve is in before the walk.
    npdriver.wait_until(
        lambda: any((c.text_of(n) or "").startswith("Waiting for payment · checked")
                    for n in c.find_all("status bar", root=detail)),
        "the detail to say the second order was checked", 15)
    page = c.find("filler", "NpCheckoutsPage")
    checkouts = c.find("list", "Checkouts", root=page)
    first_order = npdriver.wait_until(
        lambda: next((n for n in c.find_all("list item", root=checkouts) if "12.50" in npdriver.name_of(n)), None),
        "the row of the first checkout")

    c.pointer_click(first_order)
    status_shown(c, detail, "12.50\xa0SEK")
    c.press_keys("Up")
    status_shown(c, detail, "7.00\xa0SEK")
    c.press_keys("shift+Down")
    c.wait_for_text("No Checkout Selected")
    c.press_keys("Down")
    status_shown(c, detail, "12.50\xa0SEK")


if __name__ == "__main__":
    sys.exit(npdriver.run_scenarios([checkout_life],
                                    lambda: npdriver.Console(CONSOLE, args=["--sandbox"])))
