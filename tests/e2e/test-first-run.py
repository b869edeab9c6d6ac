#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end: a first run with an empty home offers the sandbox; one click later the
Sandbox account is in the header. --sandbox does the same with no click, and the
account is still there after a restart."""
import sys

import npdriver

CONSOLE = sys.argv[1]


def button_named(c, name):
    """GTK 4.8 adds a button's label to its accessible name a second time, so the
    name is matched by what it starts with."""
    return npdriver.wait_until(
        lambda: next((n for n in c.find_all("push button") if (n.get_name() or "").startswith(name)), None),
        f"push button {name!r}")


def header_names_sandbox(c):
    # The switcher in the header shows the account and its environment.
    c.find("frame", "Neuro-Pay Console")
    npdriver.wait_until(lambda: [n for n in c.find_all("label") if c.text_of(n) == "Sandbox"],
                        "the Sandbox account in the header", timeout=60)
    npdriver.wait_until(lambda: [n for n in c.find_all("label") if c.text_of(n) == "Test"],
                        "the Test environment in the header")
    assert not [n for n in c.find_all("label") if c.text_of(n) == "LIVE"], "a LIVE pill on a test account"


def try_the_sandbox(c):
    c.find("frame", "Neuro-Pay Console")
    button_named(c, "Connect an Account")
    c.click(button_named(c, "Try the Sandbox"))
    header_names_sandbox(c)
    # The header's account button names the account for a screen reader too.
    c.find("push button", "Account: Sandbox, Test")


def sandbox_option(c):
    header_names_sandbox(c)
    c.find("push button", "Account: Sandbox, Test")


def sandbox_survives_restart(c):
    # Without sample data: this is about the account, and a restart with the sample
    # data still being made is not what it tests.
    c.click(sample_data_switch(c))
    npdriver.wait_until(lambda: not sample_data_switch(c).get_state_set().contains(npdriver.Atspi.StateType.CHECKED),
                        "Add Sample Data off")
    c.click(button_named(c, "Try the Sandbox"))
    header_names_sandbox(c)
    c.stop()
    c.start()
    # Restored from the ledger and the keyring: no click this time.
    header_names_sandbox(c)
    c.find("push button", "Account: Sandbox, Test")


def sample_data_switch(c):
    """The option, reachable by its role (GTK 4.8 gives a switch "check box") and name."""
    def switch():
        return next((n for n in c.find_all() if (n.get_role_name() in ("check box", "toggle button", "switch"))
                     and (n.get_name() or "").startswith("Add Sample Data")), None)
    node = npdriver.wait_until(switch, "the Add Sample Data switch")
    states = node.get_state_set()
    assert states.contains(npdriver.Atspi.StateType.FOCUSABLE), "Add Sample Data cannot be reached by keyboard"
    return node


def try_the_sandbox_with_sample_data(c):
    c.find("frame", "Neuro-Pay Console")
    assert sample_data_switch(c).get_state_set().contains(npdriver.Atspi.StateType.CHECKED), \
        "Add Sample Data is not on by default"
    c.click(button_named(c, "Try the Sandbox"))
    header_names_sandbox(c)
    # The Overview then shows the console at work: the sample data's attention rows.
    c.wait_for_text("Created more than a day ago, not paid", timeout=60)
    c.wait_for_text("Reserved, awaiting capture", timeout=60)
    c.wait_for_text("Operations with an unknown outcome", timeout=60)


class Factory:
    """A fresh home for each scenario; --sandbox only for the one that tests it."""

    def __init__(self):
        self.scenarios = iter([(), ("--sandbox",), (), ()])

    def __call__(self):
        return npdriver.Console(CONSOLE, args=next(self.scenarios))


if __name__ == "__main__":
    sys.exit(npdriver.run_scenarios([try_the_sandbox, sandbox_option, sandbox_survives_restart,
                                                  try_the_sandbox_with_sample_data], Factory()))
