# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives the real Neuro-Pay Console through AT-SPI, as a person with a screen reader would.

Widgets are found by accessible role and name, clicked through their accessible
actions and typed into through the editable-text interface. Every wait polls the
accessibility tree for a condition with a deadline; nothing sleeps for a guessed time.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

DEFAULT_TIMEOUT = 20.0



class E2EFailure(AssertionError):
    pass


def _children(node):
    try:
        count = node.get_child_count()
    except gi.repository.GLib.Error:
        return []
    for i in range(count):
        try:
            child = node.get_child_at_index(i)
        except gi.repository.GLib.Error:
            continue
        if child is not None:
            yield child


def name_of(node):
    """The accessible name, or "" for a widget that went away meanwhile."""
    try:
        return node.get_name() or ""
    except GLib.Error:
        return ""


def _describe(node):
    try:
        return f"{node.get_role_name()} {node.get_name()!r}"
    except gi.repository.GLib.Error:
        return "<gone>"


def _is_mapped(node):
    """A page of a GtkStack that is not shown keeps its VISIBLE state (and its last
    allocation) in GTK 4.8; only the hit test tells it is off screen: an unmapped
    widget contains none of its own points."""
    try:
        component = node.get_component_iface()
        if component is None:
            return True
        extents = component.get_extents(Atspi.CoordType.WINDOW)
        if extents.width <= 0 or extents.height <= 0:
            return False   # a person cannot see or click what has no size
        return component.contains(extents.x + extents.width // 2, extents.y + extents.height // 2,
                                  Atspi.CoordType.WINDOW)
    except GLib.Error:
        return False


def _is_showing(node):
    """GTK 4.8 marks only toplevels SHOWING; a widget is on screen when it and all
    its ancestors up to the window are VISIBLE, and it is mapped."""
    if not _is_mapped(node):
        return False
    try:
        while node is not None:
            states = node.get_state_set()
            if not states.contains(Atspi.StateType.VISIBLE):
                return False
            if node.get_role() in (Atspi.Role.FRAME, Atspi.Role.DIALOG, Atspi.Role.WINDOW):
                # A modal AdwMessageDialog is neither SHOWING nor ACTIVE in 4.8; a
                # toplevel that is VISIBLE is presented.
                return True
            node = node.get_parent()
    except gi.repository.GLib.Error:
        return False
    return False


# GTK 4.8 can crash (a NULL object path in GetChildAtIndex) when a client walks into
# the rows of a GtkColumnView while they are being recycled; searches from the top
# leave tables alone and a test that needs a table's cells searches from the table.
PRUNED_ROLES = ("tree table",)


def walk(node, depth=0, max_depth=60, prune=()):
    yield node
    if depth < max_depth:
        for child in _children(node):
            try:
                if child.get_role_name() in prune:
                    yield child
                    continue
            except GLib.Error:
                continue
            yield from walk(child, depth + 1, max_depth, prune)


def wait_until(condition, what, timeout=DEFAULT_TIMEOUT, interval=0.2):
    """Polls @condition until it returns something truthy; fails with @what at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise E2EFailure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Console:
    """The console running in a private home (data, config, cache) on the harness's display and bus."""

    def __init__(self, executable, args=(), home=None, env=None):
        self.executable = executable
        self.args = list(args)
        self.own_home = home is None
        self.home = home or tempfile.mkdtemp(prefix="np-e2e-")
        self.extra_env = env or {}
        self.process = None
        self.app = None

    def environment(self):
        env = dict(os.environ)
        env.pop("NO_AT_BRIDGE", None)   # the app must talk to the accessibility bus
        env.pop("GTK_A11Y", None)
        for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                         ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
            path = os.path.join(self.home, sub)
            os.makedirs(path, exist_ok=True)
            env[var] = path
        env.update(self.extra_env)
        return env

    def start(self):
        log = open(os.path.join(self.home, "console.log"), "ab")
        self.process = subprocess.Popen([self.executable, *self.args], env=self.environment(),
                                        stdout=log, stderr=subprocess.STDOUT)
        name = os.path.basename(self.executable)

        def find_app():
            if self.process.poll() is not None:
                raise E2EFailure(f"{name} exited with {self.process.returncode} before its window appeared")
            desktop = Atspi.get_desktop(0)
            for app in _children(desktop):
                try:
                    if app.get_name() == name and app.get_process_id() == self.process.pid:
                        if any(True for _ in _children(app)):
                            return app
                except gi.repository.GLib.Error:
                    continue
            return None

        self.app = wait_until(find_app, f"{name} on the accessibility bus")
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def cleanup(self):
        self.stop()
        if self.own_home and not os.environ.get("NP_TEST_KEEP_HOME"):
            shutil.rmtree(self.home, ignore_errors=True)

    def log(self):
        try:
            with open(os.path.join(self.home, "console.log"), encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    # Finding widgets

    def find_all(self, role=None, name=None, root=None, showing=True):
        found = []
        for node in walk(root or self.app, prune=() if root is not None else PRUNED_ROLES):
            try:
                if role is not None and node.get_role_name() != role:
                    continue
                if name is not None and node.get_name() != name:
                    continue
            except gi.repository.GLib.Error:
                continue
            if showing and not _is_showing(node):
                continue
            found.append(node)
        return found

    def find(self, role=None, name=None, root=None, timeout=DEFAULT_TIMEOUT):
        what = f"{role or 'widget'} named {name!r}" if name else (role or "widget")

        def first():
            nodes = self.find_all(role, name, root)
            return nodes[0] if nodes else None

        return wait_until(first, what, timeout)

    def absent(self, role=None, name=None, timeout=DEFAULT_TIMEOUT):
        wait_until(lambda: not self.find_all(role, name), f"{role} {name!r} to go away", timeout)

    def text_of(self, node):
        try:
            text = node.get_text_iface()
            if text is not None:
                return text.get_text(0, text.get_character_count())
        except (gi.repository.GLib.Error, AttributeError):
            pass
        try:
            return node.get_name()
        except gi.repository.GLib.Error:
            return None   # gone while the tree changed: a polled wait looks again

    def wait_for_text(self, text, role="label", timeout=DEFAULT_TIMEOUT):
        def has_text():
            for node in self.find_all(role):
                if text in (self.text_of(node) or ""):
                    return node
            return None

        return wait_until(has_text, f"a {role} showing {text!r}", timeout)

    def dump(self, root=None, showing=True):
        """The tree under @root as text lines (role, name, FOCUSABLE), for a failure's log."""
        lines = []

        def visit(node, depth):
            if showing and depth > 0 and not _is_showing(node):
                return
            try:
                focusable = node.get_state_set().contains(Atspi.StateType.FOCUSABLE)
                lines.append(f"{'  ' * depth}{_describe(node)}{' [focusable]' if focusable else ''}")
            except GLib.Error:
                return
            for child in _children(node):
                visit(child, depth + 1)

        visit(root or self.app, 0)
        return lines

    def dump_windows(self):
        """The trees of the console's visible toplevels other than the main window
        (the dialogs a failure most often stops at), or of the main window alone."""
        windows = [w for w in _children(self.app) if w.get_state_set().contains(Atspi.StateType.VISIBLE)]
        dialogs = [w for w in windows if w.get_name() != "Neuro-Pay Console"]
        return [line for w in (dialogs or windows) for line in self.dump(w)]

    # Acting

    def click(self, node):
        """Activates @node through its accessible action when it has one, else clicks
        its middle with the pointer, as a person would."""
        action = node.get_action_iface()
        if action is not None:
            for i in range(action.get_n_actions()):
                if action.get_action_name(i) in ("click", "press", "activate"):
                    action.do_action(i)
                    return
        self.pointer_click(node)

    def pointer_click(self, node):
        component = node.get_component_iface()
        if component is None:
            raise E2EFailure(f"{_describe(node)} has no position to click at")
        extents = component.get_extents(Atspi.CoordType.SCREEN)
        if extents.width <= 0 or extents.height <= 0:
            raise E2EFailure(f"{_describe(node)} has no size on screen")
        x = extents.x + extents.width // 2
        y = extents.y + extents.height // 2
        self.xdotool("mousemove", str(x), str(y), "click", "1")

    def click_button(self, name, timeout=DEFAULT_TIMEOUT):
        self.click(self.find("push button", name, timeout=timeout))

    def focus(self, node):
        component = node.get_component_iface()
        if component is not None:
            component.grab_focus()

    def type_into(self, node, text):
        editable = node.get_editable_text_iface()
        if editable is None:
            raise E2EFailure(f"{_describe(node)} is not editable through AT-SPI")
        editable.set_text_contents(text)
        wait_until(lambda: self.text_of(node) == text, f"{_describe(node)} to contain {text!r}")

    def press_keys(self, *combos):
        """Presses key combinations ("ctrl+n", "Return", "alt+2") on the display's keyboard."""
        self.xdotool("key", "--clearmodifiers", *combos)

    def type_keys(self, text):
        """Types @text on the display's keyboard, into whatever has the focus."""
        self.xdotool("type", "--delay", "5", text)

    @staticmethod
    def xdotool(*args):
        # XTest input through the X server: real pointer and keyboard events.
        subprocess.run(["xdotool", *args], check=True)

    def screenshot(self, path):
        subprocess.run(["import", "-window", "root", path], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return path


def find_button(console, name, root=None, timeout=DEFAULT_TIMEOUT):
    """A push button by the text a person reads. GTK 4.8 names a labelled button by
    its label (mnemonic and all) and then the label's text ("_Save Save")."""
    def match():
        for node in console.find_all("push button", root=root):
            spoken = name_of(node).replace("_", "")
            if spoken == name or spoken == f"{name} {name}":
                return node
        return None

    return wait_until(match, f"push button {name!r}", timeout)


def _presented(node, title):
    try:
        return node.get_name() == title and node.get_state_set().contains(Atspi.StateType.VISIBLE)
    except GLib.Error:
        return False   # closed meanwhile


def find_toplevel(console, title, timeout=DEFAULT_TIMEOUT):
    """A toplevel (dialog or window) of the console by its title."""
    return wait_until(lambda: next((n for n in _children(console.app) if _presented(n, title)), None),
                      f"the {title!r} window", timeout)


def wait_toplevel_gone(console, title, timeout=DEFAULT_TIMEOUT):
    wait_until(lambda: not any(_presented(n, title) for n in _children(console.app)),
               f"the {title!r} window to close", timeout)


# The main window's pages, by the title of their sidebar row and content header, and
# the name GTK 4.8 gives the page's own widget on AT-SPI (its type name).
PAGES = {
    "Overview": "NpOverviewPage",
    "Checkouts": "NpCheckoutsPage",
    "Customers": "NpCustomersPage",
    "Activity": "NpActivityPage",
}


def page_shown(console, title, timeout=DEFAULT_TIMEOUT):
    """Waits until @title's page is the one on screen and returns its widget: that page's
    own widget showing and no other page's, and the content header's title (an
    AdwWindowTitle) reading @title. The sidebar's rows carry the same words and are
    always there, so a label with the page's name proves nothing."""
    seen = {"pages": [], "titles": []}

    def shown():
        pages, titles = [], []
        for node in walk(console.app, prune=PRUNED_ROLES):
            try:
                if node.get_role_name() != "filler":
                    continue
                name = node.get_name()
            except GLib.Error:
                continue
            if name in PAGES.values() and _is_showing(node):
                pages.append((name, node))
            elif name == "AdwWindowTitle" and _is_showing(node):
                titles += [console.text_of(label) or "" for label in console.find_all("label", root=node)]
        seen["pages"], seen["titles"] = [name for name, _ in pages], titles
        if [name for name, _ in pages] == [PAGES[title]] and title in titles:
            return pages[0][1]
        return None

    try:
        return wait_until(shown, f"the {title} page", timeout)
    except E2EFailure as e:
        raise E2EFailure(f"{e}: pages on screen {seen['pages']}, header titles {seen['titles']}") from None


def wait_sandbox_account(console):
    """The main window, with the embedded sandbox's account current in the header."""
    console.find("frame", "Neuro-Pay Console")
    wait_until(lambda: [n for n in console.find_all("label") if console.text_of(n) == "Sandbox"],
               "the Sandbox account in the header", timeout=60)


def run_scenarios(scenarios, console_factory):
    """Runs each scenario in a fresh console and prints TAP; screenshots of failures go
    to $NP_E2E_ARTIFACTS (default: the build's meson-logs)."""
    artifacts = os.environ.get("NP_E2E_ARTIFACTS", os.path.join(os.getcwd(), "e2e-artifacts"))
    os.makedirs(artifacts, exist_ok=True)
    print(f"1..{len(scenarios)}", flush=True)
    failures = 0
    for number, scenario in enumerate(scenarios, start=1):
        console = console_factory()
        try:
            console.start()
            scenario(console)
            print(f"ok {number} {scenario.__name__}", flush=True)
        except Exception as e:  # noqa: BLE001 - any failure is reported and the suite goes on
            failures += 1
            shot = console.screenshot(os.path.join(artifacts, f"{scenario.__name__}.png"))
            print(f"not ok {number} {scenario.__name__}: {e}", flush=True)
            for line in traceback.format_exc().splitlines():
                print(f"# {line}")
            print(f"# screenshot: {shot}")
            if console.process is not None and console.process.poll() is not None:
                print(f"# the console exited with {console.process.returncode}")
            try:
                for line in console.dump_windows():
                    print(f"# tree: {line}")
            except Exception:  # noqa: BLE001 - the console may be gone
                pass
            for line in console.log().splitlines()[-30:]:
                print(f"# console: {line}")
        finally:
            console.cleanup()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit("npdriver is a library: run a test-*.py scenario file")
