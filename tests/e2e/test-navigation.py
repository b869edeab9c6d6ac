#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: a person opens the console, walks through its pages, the About and Shortcuts windows."""
import sys

import npdriver
from npdriver import Atspi

CONSOLE = sys.argv[1]


def pages_by_sidebar(c):
    c.find("frame", "Neuro-Pay Console")
    npdriver.page_shown(c, "Overview")
    sidebar = c.find("list", "Pages")
    for page in ("Checkouts", "Customers", "Activity", "Overview"):
        c.click(c.find("list item", page, root=sidebar))
        # The page itself is shown and the content header's title follows it (the
        # sidebar's own labels say the same words whatever a click did).
        npdriver.page_shown(c, page)


def pages_by_keyboard(c):
    c.find("frame", "Neuro-Pay Console")
    for number, page in ((2, "Checkouts"), (3, "Customers"), (4, "Activity"), (1, "Overview")):
        c.press_keys(f"alt+{number}")
        sidebar = c.find("list", "Pages")
        npdriver.wait_until(lambda: c.find("list item", page, root=sidebar).get_state_set()
                            .contains(Atspi.StateType.SELECTED), f"{page} to be selected")
        # A selected row is not yet a shown page.
        npdriver.page_shown(c, page)


def about_window(c):
    c.click_button("Main Menu")
    c.click(c.find("menu item", "About Neuro-Pay Console"))
    about = c.find(None, "About Neuro-Pay Console")
    assert about.get_role_name() in ("dialog", "frame", "window"), about.get_role_name()
    c.find("label", "Neuro-Pay Console", root=about)
    c.find("label", "Neuro-Pay Console developers", root=about)


def shortcuts_toplevel(c):
    """The Shortcuts window: GTK 4.8 gives a GtkShortcutsWindow no accessible name
    (AT-SPI reads its type name), so it is known by what it says."""
    def presented():
        for node in npdriver._children(c.app):
            try:
                if npdriver.name_of(node) == "Neuro-Pay Console" or \
                        not node.get_state_set().contains(Atspi.StateType.VISIBLE):
                    continue
            except npdriver.GLib.Error:
                continue
            if any(c.text_of(n) == "Show Shortcuts" for n in c.find_all("label", root=node)):
                return node
        return None

    return npdriver.wait_until(presented, "the Shortcuts window")


def shortcuts_window(c):
    c.find("frame", "Neuro-Pay Console")
    c.click_button("Main Menu")
    c.click(c.find("menu item", "Keyboard Shortcuts"))
    shortcuts = shortcuts_toplevel(c)
    # Its groups and their shortcuts, read from the window itself (the main window
    # has labels with the same words).
    texts = [c.text_of(n) for n in c.find_all("label", root=shortcuts)]
    for text in ("General", "Pages", "Overview", "Checkouts", "Customers", "Activity", "Preferences"):
        assert text in texts, f"{text!r} is not in the Shortcuts window: {texts}"
    c.press_keys("Escape")
    npdriver.wait_until(lambda: not shortcuts.get_state_set().contains(Atspi.StateType.VISIBLE)
                        if npdriver.name_of(shortcuts) else True, "the Shortcuts window to close")
    # Its own accelerator opens it again.
    c.press_keys("ctrl+question")
    shortcuts_toplevel(c)


if __name__ == "__main__":
    sys.exit(npdriver.run_scenarios(
        [pages_by_sidebar, pages_by_keyboard, about_window, shortcuts_window],
        lambda: npdriver.Console(CONSOLE, args=["--sandbox"])))
