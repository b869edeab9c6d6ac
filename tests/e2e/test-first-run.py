#!/usr/bin/env python3
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
    c.click(button_named(c, "Try the Sandbox"))
    header_names_sandbox(c)
    c.stop()
    c.start()
    # Restored from the ledger and the keyring: no click this time.
    header_names_sandbox(c)
    c.find("push button", "Account: Sandbox, Test")


class Factory:
    """A fresh home for each scenario; --sandbox only for the one that tests it."""

    def __init__(self):
        self.scenarios = iter([(), ("--sandbox",), ()])

    def __call__(self):
        return npdriver.Console(CONSOLE, args=next(self.scenarios))


if __name__ == "__main__":
    sys.exit(npdriver.run_scenarios([try_the_sandbox, sandbox_option, sandbox_survives_restart], Factory()))
