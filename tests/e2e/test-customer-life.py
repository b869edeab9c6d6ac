#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end, as a person: a customer through the New Customer form on the embedded sandbox.

Opens the Customers page (Alt+3), the New Customer form (Ctrl+N), fills in the
three required fields, creates the customer and finds it in the customers table.
A bad address first keeps Create insensitive, and the form says under its fields
"Enter an email address like name@example.com." until the address is good.
"""
import sys

import npdriver

button = npdriver.find_button
window = npdriver.find_toplevel
gone = npdriver.wait_toplevel_gone

CONSOLE = sys.argv[1]

FIRST, LAST, EMAIL = "Ada", "Lovelace-E2E", "ada.e2e@example.com"
BAD_ADDRESS = "Enter an email address like name@example.com."


def sensitive(node):
    try:
        return node.get_state_set().contains(npdriver.Atspi.StateType.SENSITIVE)
    except npdriver.GLib.Error:
        return False


def create_customer(c):
    npdriver.wait_sandbox_account(c)
    c.press_keys("alt+3")
    npdriver.page_shown(c, "Customers")
    c.press_keys("ctrl+n")
    form = window(c, "New Customer")
    create = button(c, "Create", root=form)
    assert not sensitive(create), "Create is sensitive on an empty form"

    c.type_into(c.find("text", "First Name", root=form), FIRST)
    c.type_into(c.find("text", "Last Name", root=form), LAST)
    email = c.find("text", "Email", root=form)
    c.type_into(email, "not an address")
    # The form says what is wrong and how to put it right, under the fields.
    c.find("label", BAD_ADDRESS, root=form)
    assert not sensitive(create), "Create is sensitive with the address 'not an address'"
    print(f"# with 'not an address': {BAD_ADDRESS!r} at the form, Create insensitive", flush=True)

    c.type_into(email, EMAIL)
    npdriver.wait_until(lambda: sensitive(create), "Create to become sensitive with a good address")
    npdriver.wait_until(lambda: not c.find_all("label", BAD_ADDRESS, root=form),
                        f"{BAD_ADDRESS!r} to go with a good address")
    c.click(create)
    gone(c, "New Customer", timeout=30)

    # The new customer opens in the detail: its name, address and journal entry.
    page = c.find("filler", "NpCustomersPage")
    detail = c.find("filler", "NpCustomerDetail", root=page)
    name = f"{FIRST} {LAST}"
    c.find("label", name, root=detail)
    contact = c.find("list", "Contact", root=detail)
    npdriver.wait_until(lambda: EMAIL in [c.text_of(n) for n in c.find_all("label", root=contact)],
                        "the address in the detail")
    c.find("list item", f"Create customer {name} <{EMAIL}>", root=c.find("list", "Journal of this customer",
                                                                        root=detail))

    # Back in the table of customers, it is listed; cells are searched from the table
    # (GTK 4.8 crashes when a client walks into rows being recycled from the top).
    c.click(c.find("push button", "Back to Customers", root=detail))
    table = c.find("tree table", "Customers", root=page)

    def in_table():
        texts = [c.text_of(n) or "" for n in c.find_all("label", root=table)]
        return name in texts and EMAIL in texts

    npdriver.wait_until(in_table, f"{name} <{EMAIL}> in the customers table", timeout=30)


if __name__ == "__main__":
    sys.exit(npdriver.run_scenarios([create_customer],
                                    lambda: npdriver.Console(CONSOLE, args=["--sandbox"])))
