#!/usr/bin/env python3
"""End to end: a person opens the console, walks through its pages, the About and Shortcuts windows."""
import sys

import npdriver
from npdriver import Atspi

CONSOLE = sys.argv[1]


def pages_by_sidebar(c):
    c.find("frame", "Neuro-Pay Console")
    sidebar = c.find("list", "Pages")
    for page in ("Checkouts", "Customers", "Activity", "Overview"):
        c.click(c.find("list item", page, root=sidebar))
        # The content header's title follows the chosen page.
        c.wait_for_text(page)


def pages_by_keyboard(c):
    c.find("frame", "Neuro-Pay Console")
    for number, page in ((2, "Checkouts"), (3, "Customers"), (4, "Activity"), (1, "Overview")):
        c.press_keys(f"alt+{number}")
        sidebar = c.find("list", "Pages")
        npdriver.wait_until(lambda: c.find("list item", page, root=sidebar).get_state_set()
                            .contains(Atspi.StateType.SELECTED), f"{page} to be selected")


def about_window(c):
    c.click_button("Main Menu")
    c.click(c.find("menu item", "About Neuro-Pay Console"))
    about = c.find(None, "About Neuro-Pay Console")
    assert about.get_role_name() in ("dialog", "frame", "window"), about.get_role_name()
    c.find("label", "Neuro-Pay Console", root=about)
    c.find("label", "Neuro-Pay Console developers", root=about)


if __name__ == "__main__":
    sys.exit(npdriver.run_scenarios(
        [pages_by_sidebar, pages_by_keyboard, about_window],
        lambda: npdriver.Console(CONSOLE, args=["--sandbox"])))
