#!/usr/bin/env python3
"""Accessibility walk: every focusable control on every page, and in the New Checkout,
Refund, New Customer, Preferences and account editor windows, has a name a screen
reader can speak.

GTK 4.8 has no public getter for a widget's computed accessible name, so the walk
reads it where a screen reader does: over AT-SPI. An unnamed control shows up as
an empty name or as GTK's fallback, the widget's type name ("GtkMenuButton").
"""
import importlib.util
import os
import re
import sys

import npdriver

CONSOLE = sys.argv[1]

TYPE_NAME = re.compile(r"^(Gtk|Adw|Np)[A-Za-z]+$")

# Parts GTK 4.8 builds inside a control, that a screen reader announces through the
# control itself: a drop-down's toggle and its current item (the combo box carries the
# name), a column view's inner list and header row (the table carries the name), and
# scrolled windows, which are focusable only to pass focus on.
INTERNAL = {
    ("push button", "combo box"), ("filler", "combo box"), ("list", "combo box"), ("list item", "combo box"),
    ("list", "tree table"), ("table row", "tree table"),
}


def unnamed(name):
    return not name.strip() or TYPE_NAME.match(name) is not None


def named_ancestor_role(node, roles):
    node = node.get_parent()
    while node is not None:
        try:
            role = node.get_role_name()
            if role in roles:
                return role if not unnamed(node.get_name() or "") else None
            if role in ("frame", "dialog"):
                return None
            node = node.get_parent()
        except npdriver.GLib.Error:
            return None
    return None


def unnamed_controls(c, root):
    bad = []
    for node in npdriver.walk(root):
        try:
            if not node.get_state_set().contains(npdriver.Atspi.StateType.FOCUSABLE):
                continue
            role = node.get_role_name()
            name = node.get_name() or ""
        except npdriver.GLib.Error:
            continue
        if role == "scroll pane" or not unnamed(name) or not npdriver._is_showing(node):
            continue
        owner = named_ancestor_role(node, ("combo box", "tree table"))
        if owner is not None and (role, owner) in INTERNAL:
            continue
        bad.append(f"{role} {name!r} in {path_of(node)}")
    return bad


def path_of(node):
    names = []
    node = node.get_parent()
    while node is not None and len(names) < 4:
        name = npdriver.name_of(node)
        if name and not TYPE_NAME.match(name):
            names.append(name)
        node = node.get_parent()
    return " < ".join(names) or "?"


def check(c, root, where):
    bad = unnamed_controls(c, root)
    assert not bad, f"{len(bad)} unnamed controls on {where}:\n  " + "\n  ".join(bad)


def every_page(c):
    frame = c.find("frame", "Neuro-Pay Console")
    npdriver.wait_until(lambda: [n for n in c.find_all("label") if c.text_of(n) == "Sandbox"],
                        "the Sandbox account in the header", timeout=60)
    failures = []
    for number, page in ((1, "Overview"), (2, "Checkouts"), (3, "Customers"), (4, "Activity")):
        c.press_keys(f"alt+{number}")
        c.wait_for_text(page)
        try:
            check(c, frame, page)
        except AssertionError as e:
            failures.append(str(e))
    assert not failures, "\n".join(failures)


def new_checkout_dialog(c):
    c.find("frame", "Neuro-Pay Console")
    npdriver.wait_until(lambda: [n for n in c.find_all("label") if c.text_of(n) == "Sandbox"],
                        "the Sandbox account in the header", timeout=60)
    c.press_keys("alt+2")
    c.press_keys("ctrl+n")
    dialog = npdriver.wait_until(lambda: next((n for n in npdriver._children(c.app)
                                               if npdriver.name_of(n) == "New Checkout"), None),
                                 "the New Checkout dialog")
    check(c, dialog, "the New Checkout dialog")


def _checkout_life():
    """The steps of test-checkout-life.py (create, pay by HTTP), shared rather than copied."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-checkout-life.py")
    spec = importlib.util.spec_from_file_location("checkout_life", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def toplevel(c, title):
    def presented():
        for node in npdriver._children(c.app):
            try:
                if node.get_name() == title and node.get_role_name() in ("frame", "dialog", "window") \
                        and node.get_state_set().contains(npdriver.Atspi.StateType.VISIBLE):
                    return node
            except npdriver.GLib.Error:
                continue
        return None

    return npdriver.wait_until(presented, f"the {title!r} window (as a frame, dialog or window)")


def refund_dialog(c):
    life = _checkout_life()
    npdriver.wait_sandbox_account(c)
    detail, checkout_id, link = life.create_checkout(c, "20.00", "A11y walk refund")
    life.pay_by_http(link, checkout_id)
    c.click(life.button(c, "Refresh", root=c.find("filler", "NpCheckoutsPage")))
    life.status_shown(c, detail, "Paid", timeout=30)
    c.click(life.button(c, "Refund…", root=detail))
    dialog = toplevel(c, "Refund")
    check(c, dialog, "the Refund dialog (whole amount)")
    # Part of it shows the amount entry: walked too.
    c.click(c.find("check box", "Part of it", root=dialog))
    npdriver.wait_until(lambda: any(npdriver.name_of(n).startswith("Amount") for n in c.find_all("text", root=dialog)),
                        "the refund amount entry")
    check(c, dialog, "the Refund dialog (part of it)")


def new_customer_dialog(c):
    npdriver.wait_sandbox_account(c)
    c.press_keys("alt+3")
    c.wait_for_text("Customers")
    c.press_keys("ctrl+n")
    dialog = toplevel(c, "New Customer")
    c.find("text", "First Name", root=dialog)
    check(c, dialog, "the New Customer dialog")


def preferences_and_account_editor(c):
    npdriver.wait_sandbox_account(c)
    c.press_keys("ctrl+comma")
    prefs = toplevel(c, "Preferences")
    c.find("list", "Accounts", root=prefs)
    check(c, prefs, "the Preferences window")
    c.click(npdriver.wait_until(lambda: next((n for n in c.find_all("push button", root=prefs)
                                              if npdriver.name_of(n).startswith("Add Account")), None),
                                "the Add Account button"))
    editor = toplevel(c, "Add Account")
    c.find("text", "Name", root=editor)
    check(c, editor, "the account editor (adding)")
    c.press_keys("Escape")
    npdriver.wait_until(lambda: not any(npdriver.name_of(n) == "Add Account" and
                                        n.get_state_set().contains(npdriver.Atspi.StateType.VISIBLE)
                                        for n in npdriver._children(c.app)), "the account editor to close")
    # The sandbox account's editor: a stored key, a filled form.
    c.click(c.find("push button", "Edit Account", root=prefs))
    editor = toplevel(c, "Edit Account")
    c.find("text", "Name", root=editor)
    check(c, editor, "the account editor (editing)")


if __name__ == "__main__":
    sys.exit(npdriver.run_scenarios([every_page, new_checkout_dialog, refund_dialog, new_customer_dialog,
                                     preferences_and_account_editor],
                                    lambda: npdriver.Console(CONSOLE, args=["--sandbox"])))
