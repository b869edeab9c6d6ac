#!/usr/bin/env python3
"""Accessibility walk: every focusable control on every page, and in the New Checkout
dialog, has a name a screen reader can speak.

GTK 4.8 has no public getter for a widget's computed accessible name, so the walk
reads it where a screen reader does: over AT-SPI. An unnamed control shows up as
an empty name or as GTK's fallback, the widget's type name ("GtkMenuButton").
"""
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


if __name__ == "__main__":
    sys.exit(npdriver.run_scenarios([every_page, new_checkout_dialog],
                                    lambda: npdriver.Console(CONSOLE, args=["--sandbox"])))
