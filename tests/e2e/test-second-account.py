#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end, as a person: a second account on a second sandbox, through Preferences.

Starts the built neuropay-sandbox on a free port (its first lines name the base URL
and the test key), opens Preferences (Ctrl+,), adds an account for it, tests the
connection (the editor says the key was accepted), saves it, and switches to it
from the header's account switcher.
"""
import os
import subprocess
import sys

import npdriver

button = npdriver.find_button
window = npdriver.find_toplevel

CONSOLE = sys.argv[1]
SANDBOX = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(CONSOLE), "sandbox", "neuropay-sandbox")

ACCOUNT = "Second Shop"


def gone(c, node, what, timeout=npdriver.DEFAULT_TIMEOUT):
    def closed():
        try:
            return not node.get_state_set().contains(npdriver.Atspi.StateType.VISIBLE)
        except npdriver.GLib.Error:
            return True

    npdriver.wait_until(closed, f"{what} to close", timeout)


class Sandbox:
    """The built neuropay-sandbox as its own process on a free loopback port."""

    def __init__(self):
        self.process = subprocess.Popen([SANDBOX, "--port", "0"], stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        self.base_url = self.test_key = None
        for _ in range(3):
            line = self.process.stdout.readline()
            if not line:
                break
            if line.startswith("listening on "):
                self.base_url = line[len("listening on "):].strip()
            elif line.startswith("test key: "):
                self.test_key = line[len("test key: "):].strip()
        if not self.base_url or not self.test_key:
            self.stop()
            raise npdriver.E2EFailure("neuropay-sandbox did not print its base URL and test key")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def labels(c, root):
    return [c.text_of(n) or "" for n in c.find_all("label", root=root)]


def add_second_account(c):
    npdriver.wait_sandbox_account(c)
    server = Sandbox()
    try:
        c.press_keys("ctrl+comma")
        prefs = window(c, "Preferences")
        # Named "Add Account" for a screen reader, then its label's text ("Add").
        c.click(npdriver.wait_until(lambda: next((n for n in c.find_all("push button", root=prefs)
                                                  if npdriver.name_of(n).startswith("Add Account")), None),
                                    "the Add Account button"))
        editor = npdriver.wait_until(
            lambda: next((n for n in npdriver._children(c.app)
                          if npdriver.name_of(n) == "Add Account" and n.get_role_name() != "push button"
                          and n.get_state_set().contains(npdriver.Atspi.StateType.VISIBLE)), None),
            "the Add Account editor")
        save = button(c, "Save", root=editor)
        assert not save.get_state_set().contains(npdriver.Atspi.StateType.SENSITIVE), \
            "Save is sensitive on an empty form"

        c.type_into(c.find("text", "Name", root=editor), ACCOUNT)
        url = c.find("text", "Base URL", root=editor)
        c.type_into(url, server.base_url)
        key = npdriver.wait_until(lambda: next((n for n in c.find_all(None, root=editor)
                                                if n.get_role_name() in ("password text", "text")
                                                and npdriver.name_of(n).startswith("API Key")), None),
                                  "the API Key entry")
        c.type_into(key, server.test_key)

        c.click(button(c, "Test", root=editor))
        npdriver.wait_until(lambda: any("the API key was accepted" in t for t in labels(c, editor)),
                            "the connection test to say the key was accepted", timeout=30)
        c.click(button(c, "Save", root=editor))
        gone(c, editor, "the account editor", timeout=30)

        accounts = c.find("list", "Accounts", root=prefs)
        npdriver.wait_until(lambda: ACCOUNT in labels(c, accounts), f"{ACCOUNT} in Preferences")
        c.press_keys("Escape")
        gone(c, prefs, "Preferences")

        # The header's switcher lists both accounts; choosing the new one puts it in use.
        frame = c.find("frame", "Neuro-Pay Console")
        switcher = npdriver.wait_until(lambda: next((n for n in c.find_all(None, root=frame)
                                                     if npdriver.name_of(n).startswith("Account: ")), None),
                                       "the account switcher")
        assert "Sandbox" in npdriver.name_of(switcher), npdriver.name_of(switcher)
        c.click(switcher)
        row = c.find("list item", f"{ACCOUNT}, Test")
        c.click(row)
        npdriver.wait_until(lambda: any(npdriver.name_of(n) == f"Account: {ACCOUNT}, Test"
                                        for n in c.find_all(None, root=frame)),
                            f"{ACCOUNT} in use in the header", timeout=30)
        npdriver.wait_until(lambda: [n for n in c.find_all("label", root=frame) if c.text_of(n) == ACCOUNT],
                            f"{ACCOUNT} shown in the header")
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(npdriver.run_scenarios([add_second_account],
                                    lambda: npdriver.Console(CONSOLE, args=["--sandbox"])))
