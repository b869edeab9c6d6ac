# SPDX-License-Identifier: GPL-3.0-or-later
"""desk-shows-checkout.py PID AMOUNT: another desk's console (process PID) shows a checkout.

ui-team's two-desks test runs a second console process, desk SUPPORT-2, whose
widgets it cannot reach in-process. This drives that window through AT-SPI as a
person would (tests/e2e/npdriver.py): the sidebar's Checkouts row, then waits
until the Checkouts list has a row naming AMOUNT (a checkout the other desk made)
and the header's team indicator reads "Team ledger". Every wait polls the
accessibility tree with a deadline; exit status 0 and "ready" on stdout once all
of it is on screen, 1 with the reason otherwise.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["NP_SOURCE_ROOT"], "tests", "e2e"))
import npdriver  # noqa: E402
from gi.repository import Atspi, GLib  # noqa: E402

TIMEOUT = 30.0
CONSOLE = npdriver.Console("np-console")   # running already: found by its process id


def main():
    pid, amount = int(sys.argv[1]), sys.argv[2]
    console = CONSOLE

    def find_app():
        for app in npdriver._children(Atspi.get_desktop(0)):
            try:
                if app.get_process_id() == pid and any(True for _ in npdriver._children(app)):
                    return app
            except GLib.Error:
                continue
        return None

    console.app = npdriver.wait_until(find_app, f"process {pid} on the accessibility bus", TIMEOUT)
    # Alt+2, its shortcut for Checkouts, typed into its window (the sidebar's rows
    # have no accessible action, and with no window manager the pointer cannot
    # be placed by AT-SPI's screen coordinates).
    sidebar = console.find("list", "Pages", timeout=TIMEOUT)
    windows = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
                             capture_output=True, text=True, check=True).stdout.split()

    def checkouts_page():
        for window in windows:
            subprocess.run(["xdotool", "windowfocus", "--sync", window], check=False)
            subprocess.run(["xdotool", "key", "--clearmodifiers", "alt+2"], check=True)
            item = console.find("list item", "Checkouts", root=sidebar, timeout=TIMEOUT)
            if item.get_state_set().contains(Atspi.StateType.SELECTED):
                return npdriver.page_shown(console, "Checkouts", TIMEOUT)
        return None

    page = npdriver.wait_until(checkouts_page, "the Checkouts page", TIMEOUT)
    checkouts = console.find("list", "Checkouts", root=page, timeout=TIMEOUT)
    row = npdriver.wait_until(
        lambda: next((n for n in console.find_all("list item", root=checkouts) if amount in npdriver.name_of(n)), None),
        f"a row of {amount} in the Checkouts list", TIMEOUT)
    # Joined: the header says so (a folded window shows it over the page, not the sidebar).
    npdriver.wait_until(lambda: [n for n in console.find_all("label") if console.text_of(n) == "Team ledger"],
                        "“Team ledger” in the header", TIMEOUT)
    print(f"ready: {npdriver.name_of(row)}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except npdriver.E2EFailure as e:
        print(f"desk-shows-checkout: {e}", file=sys.stderr)
        if CONSOLE.app is not None:
            print("\n".join(CONSOLE.dump()), file=sys.stderr)
        sys.exit(1)
