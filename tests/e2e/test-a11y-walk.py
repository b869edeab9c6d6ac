#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Accessibility walk: every focusable control on every page, and in the New Checkout,
Refund, New Customer, Preferences, account editor, Look Up Checkouts, Look Up Customer,
Edit Metadata and Keyboard Shortcuts windows and the confirmation before a refund, has
a name a screen reader can speak; the customer display reads well and its live region
says the status as it changes.

GTK 4.8 has no public getter for a widget's computed accessible name, so the walk
reads it where a screen reader does: over AT-SPI. An unnamed control shows up as
an empty name or as GTK's fallback, the widget's type name ("GtkMenuButton").

A walk that saw nothing proves nothing: each window or page is walked again until one
walk reads every node and checks at least the number of controls it is known to show
(the counts are printed), and fails at the deadline with that count or the nodes it
could not read; each page is checked to be on screen after its Alt+N before its walk.
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


# A raw mnemonic: "C_reate", "_Cancel" -- an underscore before a letter; an
# identifier a text quotes ("a checkout_id column") is not one.
MNEMONIC = re.compile(r"_[^\W\d_]")
IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
# GTK 4.8 joins a button's label and its text: "C_reate Create", "Refund… Refund…".
DOUBLED = re.compile(r"^(.+?)\s+\1$", re.DOTALL)


def unnamed(name):
    return not name.strip() or TYPE_NAME.match(name) is not None


def misnamed(name):
    """What is wrong with a name a person would hear, or None: a raw mnemonic, the text
    twice, or a GType name."""
    if MNEMONIC.search(IDENTIFIER.sub("", name)):
        return "a raw mnemonic"
    if DOUBLED.match(name.replace("_", "")):
        return "its text twice"
    if TYPE_NAME.match(name):
        return "a type name"
    return None


# Roles operated without an action: text is typed through the editable-text
# interface, a spin button's number set through the value interface, and a list's
# items or a table's rows are chosen by selection.
NO_ACTION_NEEDED = {"text", "password text", "spin button", "list", "tree table", "table", "list box",
                    "scroll pane"}


def has_action(node):
    try:
        action = node.get_action_iface()
        return action is not None and action.get_n_actions() > 0
    except npdriver.GLib.Error:
        return False


def operable(node, role):
    """Whether AT-SPI can work @node: through an action of its own, or -- for a row --
    by selecting it in a list that offers selection, or through a control in it that
    has an action (a row's switch, drop-down or button)."""
    if role in NO_ACTION_NEEDED or has_action(node):
        return True
    if role != "list item":
        return False
    try:
        parent = node.get_parent()
        if parent is not None and parent.get_selection_iface() is not None and \
                node.get_state_set().contains(npdriver.Atspi.StateType.SELECTABLE):
            return True
    except npdriver.GLib.Error:
        return False
    return any(has_action(n) and npdriver._is_showing(n) for n in npdriver.walk(node) if n is not node)


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


# Roles whose name a screen reader speaks as the control's, focusable or not.
NAMED_ROLES = {"push button", "toggle button", "check box", "radio button", "combo box", "menu item",
               "check menu item", "radio menu item", "label", "text", "spin button", "slider", "switch",
               "link", "tree table", "list", "dialog", "frame", "window", "page tab", "header"}


class Walk:
    """One walk of the tree under a root: every focusable control on screen, checked for
    a name. Counts what it checked (all of it, and what lies inside the widget named
    @inside), and keeps the nodes it could not read rather than passing over them."""

    def __init__(self, root, inside=None):
        self.checked = 0
        self.checked_inside = 0
        self.bad = []
        self.unreadable = []
        self.inside = inside
        self.visit(root, 0, False)

    def visit(self, node, depth, inside):
        try:
            role = node.get_role_name()
            name = node.get_name() or ""
            focusable = node.get_state_set().contains(npdriver.Atspi.StateType.FOCUSABLE)
            count = node.get_child_count()
        except npdriver.GLib.Error as e:
            self.unreadable.append(f"a node in {path_of(node)}: {e.message}")
            return
        inside = inside or (role == "filler" and name == self.inside)
        if focusable and role != "scroll pane" and npdriver._is_showing(node):
            self.checked += 1
            self.checked_inside += inside
            internal = False
            if unnamed(name):
                owner = named_ancestor_role(node, ("combo box", "tree table"))
                internal = owner is not None and (role, owner) in INTERNAL
                if not internal:
                    self.bad.append(f"{role} {name!r} in {path_of(node)}: no name")
            if not internal and not operable(node, role):
                self.bad.append(f"{role} {name!r} in {path_of(node)}: no action")
        if name and (focusable or role in NAMED_ROLES) and npdriver._is_showing(node):
            wrong = misnamed(name)
            if wrong is not None and not (focusable and unnamed(name)):
                self.bad.append(f"{role} {name!r} in {path_of(node)}: {wrong}")
        if depth >= 60:
            return
        for i in range(count):
            try:
                child = node.get_child_at_index(i)
            except npdriver.GLib.Error as e:
                self.unreadable.append(f"child {i} of {role} {name!r} in {path_of(node)}: {e.message}")
                continue
            if child is None:
                self.unreadable.append(f"child {i} of {role} {name!r} in {path_of(node)}: none")
                continue
            self.visit(child, depth + 1, inside)


def path_of(node):
    names = []
    try:
        node = node.get_parent()
        while node is not None and len(names) < 4:
            name = npdriver.name_of(node)
            if name and not TYPE_NAME.match(name):
                names.append(name)
            node = node.get_parent()
    except npdriver.GLib.Error:
        names.append("<gone>")
    return " < ".join(names) or "?"


def check(c, root, where, minimum, inside=None):
    """Walks @root until one walk reads every node and checks at least @minimum controls
    (inside the widget named @inside when given) -- a window still being laid out, or a
    widget going away mid-walk, settles -- then fails on an unnamed control. At the
    deadline it fails with the last walk's count or unreadable nodes: a walk that saw
    nothing proves nothing."""
    last = []

    def count(walked):
        return walked.checked_inside if inside else walked.checked

    def complete_walk():
        walked = Walk(root, inside)
        last[:] = [walked]
        return walked if not walked.unreadable and count(walked) >= minimum else None

    try:
        walked = npdriver.wait_until(complete_walk, f"a walk of {where} that reads every node "
                                     f"and checks at least {minimum} controls"
                                     + (f" in {inside}" if inside else ""))
    except npdriver.E2EFailure as e:
        raise npdriver.E2EFailure(f"{e}: the last walk checked {count(last[0])}; unreadable: "
                                  + ("\n  ".join([""] + last[0].unreadable) or "none")) from None
    print(f"# {where}: {walked.checked} controls checked, {walked.checked_inside} of them in {inside}"
          if inside else f"# {where}: {walked.checked} controls checked", flush=True)
    assert not walked.bad, f"{len(walked.bad)} badly named controls on {where}:\n  " + "\n  ".join(walked.bad)


# The focusable controls each page shows on a fresh sandbox account, inside the page's
# own widget (the header and sidebar around it, ten more, are walked too but counted
# apart). A drop-down counts three: itself, its toggle and its current item.
#   Checkouts: search, two drop-downs, New Checkout, Look Up or Import, Refresh, Export
#              to CSV, and the empty list's New Checkout and Look Up or Import
#   Customers: search, Look Up by Id, Import Customer Ids, Refresh All Customers, and the
#              empty list's New Customer
#   Activity:  search, Export, two drop-downs
#   Overview:  the Period menu button (itself and its toggle)
PAGE_CONTROLS = {"Checkouts": 11, "Customers": 5, "Activity": 6, "Overview": 2}


def every_page(c):
    frame = c.find("frame", "Neuro-Pay Console")
    npdriver.wait_sandbox_account(c)
    npdriver.page_shown(c, "Overview")
    failures = []
    # The Overview last, so every Alt+N changes the page.
    for number, page in ((2, "Checkouts"), (3, "Customers"), (4, "Activity"), (1, "Overview")):
        c.press_keys(f"alt+{number}")
        npdriver.page_shown(c, page)
        try:
            check(c, frame, f"the {page} page", PAGE_CONTROLS[page], inside=npdriver.PAGES[page])
        except AssertionError as e:
            failures.append(str(e))
    assert not failures, "\n".join(failures)


def new_checkout_dialog(c):
    c.find("frame", "Neuro-Pay Console")
    npdriver.wait_until(lambda: [n for n in c.find_all("label") if c.text_of(n) == "Sandbox"],
                        "the Sandbox account in the header", timeout=60)
    c.press_keys("alt+2")
    npdriver.page_shown(c, "Checkouts")
    c.press_keys("ctrl+n")
    dialog = npdriver.wait_until(lambda: next((n for n in npdriver._children(c.app)
                                               if npdriver.name_of(n) == "New Checkout"), None),
                                 "the New Checkout dialog")
    check(c, dialog, "the New Checkout dialog", 24)


def _checkout_life():
    """The steps of test-checkout-life.py (create, pay by HTTP), shared rather than copied."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-checkout-life.py")
    spec = importlib.util.spec_from_file_location("checkout_life", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sensitive(node):
    try:
        return node.get_state_set().contains(npdriver.Atspi.StateType.SENSITIVE)
    except npdriver.GLib.Error:
        return False


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
    check(c, dialog, "the Refund dialog (whole amount)", 11)
    # Part of it shows the amount entry: walked too.
    c.click(c.find("push button", "Part of it", root=dialog))
    # The amount entry is there, insensitive, for the whole amount too: wait for the
    # choice to take, or the second walk sees the first's dialog again.
    npdriver.wait_until(lambda: any(npdriver.name_of(n).startswith("Amount") and sensitive(n)
                                    for n in c.find_all("text", root=dialog)),
                        "the refund amount entry to become sensitive")
    check(c, dialog, "the Refund dialog (part of it)", 11)
    # The one confirmation of np-feedback: its Cancel and Refund responses are read
    # by their words, not "_Cancel Cancel". Cancelling it sends nothing.
    c.click(npdriver.wait_until(lambda: next((n for n in c.find_all("push button", root=dialog)
                                              if npdriver.name_of(n).startswith("Refund ")
                                              and sensitive(n)), None),
                                "the Refund dialog's submit button"))
    confirm = confirmation(c)
    check(c, confirm, "the refund confirmation", 2)
    names = {npdriver.name_of(n) for n in c.find_all("push button", root=confirm)}
    assert {"Cancel", "Refund"} <= names, f"the confirmation's responses are read as {sorted(names)}"
    c.click(c.find("push button", "Cancel", root=confirm))


def confirmation(c):
    """The AdwMessageDialog that np_feedback_confirm () presents: a dialog whose
    heading asks a question."""
    def presented():
        for node in npdriver._children(c.app):
            try:
                if node.get_role_name() == "dialog" and \
                        node.get_state_set().contains(npdriver.Atspi.StateType.VISIBLE) and \
                        any(c.text_of(n).endswith("?") for n in c.find_all("label", root=node)):
                    return node
            except npdriver.GLib.Error:
                continue
        return None

    return npdriver.wait_until(presented, "the confirmation dialog")


def lookup_dialogs(c):
    npdriver.wait_sandbox_account(c)
    c.press_keys("alt+2")
    npdriver.page_shown(c, "Checkouts")
    c.press_keys("ctrl+l")
    dialog = toplevel(c, "Look Up Checkouts")
    check(c, dialog, "the Look Up Checkouts dialog", 3)
    c.press_keys("Escape")
    npdriver.wait_until(lambda: not any(npdriver.name_of(n) == "Look Up Checkouts" and
                                        n.get_state_set().contains(npdriver.Atspi.StateType.VISIBLE)
                                        for n in npdriver._children(c.app)), "the lookup dialog to close")
    c.press_keys("alt+3")
    npdriver.page_shown(c, "Customers")
    c.press_keys("ctrl+l")
    dialog = toplevel(c, "Look Up Customer")
    check(c, dialog, "the Look Up Customer dialog", 3)


def metadata_dialog(c):
    life = _checkout_life()
    npdriver.wait_sandbox_account(c)
    detail, _checkout_id, _link = life.create_checkout(c, "12.00", "A11y walk metadata")
    c.click(c.find("push button", "Metadata…", root=detail))
    dialog = toplevel(c, "Edit Metadata")
    check(c, dialog, "the Edit Metadata dialog", 3)


def shortcuts_window(c):
    c.find("frame", "Neuro-Pay Console")
    c.press_keys("ctrl+question")
    window = toplevel(c, "Keyboard Shortcuts")
    check(c, window, "the Keyboard Shortcuts window", 1)


def new_customer_dialog(c):
    npdriver.wait_sandbox_account(c)
    c.press_keys("alt+3")
    npdriver.page_shown(c, "Customers")
    c.press_keys("ctrl+n")
    dialog = toplevel(c, "New Customer")
    c.find("text", "First Name", root=dialog)
    check(c, dialog, "the New Customer dialog", 7)


def preferences_and_account_editor(c):
    npdriver.wait_sandbox_account(c)
    c.press_keys("ctrl+comma")
    prefs = toplevel(c, "Preferences")
    c.find("list", "Accounts", root=prefs)
    check(c, prefs, "the Preferences window", 6)
    c.click(npdriver.wait_until(lambda: next((n for n in c.find_all("push button", root=prefs)
                                              if npdriver.name_of(n).startswith("Add Account")), None),
                                "the Add Account button"))
    editor = toplevel(c, "Add Account")
    c.find("text", "Name", root=editor)
    check(c, editor, "the account editor (adding)", 13)
    c.press_keys("Escape")
    npdriver.wait_until(lambda: not any(npdriver.name_of(n) == "Add Account" and
                                        n.get_state_set().contains(npdriver.Atspi.StateType.VISIBLE)
                                        for n in npdriver._children(c.app)), "the account editor to close")
    # The sandbox account's editor: a stored key, a filled form.
    c.click(c.find("push button", "Edit Account", root=prefs))
    editor = toplevel(c, "Edit Account")
    c.find("text", "Name", root=editor)
    check(c, editor, "the account editor (editing)", 13)


def spoken(c, root, where, minimum):
    """A window with nothing to focus (the customer display): every node on screen
    that has a name, whatever its role, is read by a screen reader as it is, so
    none may be a type name, its text twice or a raw mnemonic; and at least
    @minimum of them are read (the walk saw the window)."""
    def named_nodes():
        nodes = []
        for node in npdriver.walk(root):
            try:
                name = node.get_name() or ""
                role = node.get_role_name()
            except npdriver.GLib.Error:
                return None
            if npdriver._is_showing(node) and name.strip():
                nodes.append((role, name))
        return nodes if len(nodes) >= minimum else None

    nodes = npdriver.wait_until(named_nodes, f"{minimum} named nodes on {where}")
    print(f"# {where}: " + "; ".join(f"{role} {name!r}" for role, name in nodes), flush=True)
    bad = [f"{role} {name!r}: {misnamed(name)}" for role, name in nodes if misnamed(name)]
    assert not bad, f"badly named on {where}:\n  " + "\n  ".join(bad)
    check(c, root, where, 0)


def customer_display(c):
    """Show to Customer: the full-screen display's names (no doubled text, no type
    names), and its live region -- a status a screen reader announces -- saying
    "Waiting for payment", then "Paid" once the sandbox is paid, with no action
    here. Escape returns to the console."""
    life = _checkout_life()
    npdriver.wait_sandbox_account(c)
    detail, checkout_id, link = life.create_checkout(c, "31.50", "A11y walk counter")
    c.click(npdriver.wait_until(lambda: next((n for n in c.find_all("push button", root=detail)
                                              if npdriver.name_of(n) == "Show to Customer" and sensitive(n)),
                                             None),
                                "the detail's Show to Customer button"))
    display = toplevel(c, "Customer Display")

    def live_region_says(text):
        def says():
            regions = c.find_all("status bar", root=display)
            return regions if any((c.text_of(n) or "") == text for n in regions) else None
        return npdriver.wait_until(says, f"the display's live region to say {text!r}", timeout=30)

    live_region_says("Waiting for payment")
    assert any("31.50" in (c.text_of(n) or "") for n in c.find_all("label", root=display)), \
        "the amount is not read on the customer display"
    spoken(c, display, "the customer display (waiting)", 6)
    life.pay_by_http(link, checkout_id)
    live_region_says("Paid")
    spoken(c, display, "the customer display (paid)", 5)
    c.press_keys("Escape")
    npdriver.wait_until(lambda: not any(npdriver.name_of(n) == "Customer Display" and
                                        n.get_state_set().contains(npdriver.Atspi.StateType.VISIBLE)
                                        for n in npdriver._children(c.app)), "the customer display to close")


SCENARIOS = [every_page, new_checkout_dialog, refund_dialog, new_customer_dialog, preferences_and_account_editor,
             lookup_dialogs, metadata_dialog, shortcuts_window, customer_display]

if __name__ == "__main__":
    # NP_A11Y_ONLY=name,name runs only those scenarios, to look at one window while fixing it.
    only = [n for n in os.environ.get("NP_A11Y_ONLY", "").split(",") if n]
    sys.exit(npdriver.run_scenarios([s for s in SCENARIOS if not only or s.__name__ in only],
                                    lambda: npdriver.Console(CONSOLE, args=["--sandbox"])))
