#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Developer aid, not a test: starts the console and prints its accessibility tree
(role, name, FOCUSABLE/VISIBLE, actions), to see what a screen reader gets.

  dump-tree.py CONSOLE [console args...]  (under the headless recipe of the e2e suite)
"""
import sys

import npdriver
from npdriver import Atspi


def describe(node, depth):
    states = node.get_state_set()
    flags = "".join(flag for flag, state in (("F", Atspi.StateType.FOCUSABLE), ("V", Atspi.StateType.VISIBLE),
                                              ("S", Atspi.StateType.SHOWING))
                    if states.contains(state))
    try:
        action = node.get_action_iface()
        actions = [action.get_action_name(i) for i in range(action.get_n_actions())] if action else []
    except npdriver.GLib.Error:
        actions = ["?"]
    return f"{'  ' * depth}{node.get_role_name()} {node.get_name()!r} [{flags}] {actions or ''}"


def dump(node, depth=0):
    print(describe(node, depth))
    for child in npdriver._children(node):
        dump(child, depth + 1)


if __name__ == "__main__":
    console = npdriver.Console(sys.argv[1], args=sys.argv[2:])
    try:
        console.start()
        console.find("frame")
        dump(console.app)
    finally:
        console.cleanup()
