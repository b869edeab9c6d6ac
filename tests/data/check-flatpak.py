#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Validates the Flatpak manifest: JSON, the app id, the command, minimal finish-args."""
import json
import sys

path, app_id = sys.argv[1], sys.argv[2]
errors = []

try:
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
except (OSError, json.JSONDecodeError) as e:
    sys.exit(f"{path}: not valid JSON: {e}")

if manifest.get("id", manifest.get("app-id")) != app_id:
    errors.append(f"id is {manifest.get('id')!r}, expected {app_id!r}")
if manifest.get("command") != "neuropay-console":
    errors.append(f"command is {manifest.get('command')!r}, expected 'neuropay-console'")
if not str(manifest.get("runtime", "")).startswith("org.gnome."):
    errors.append("runtime is not the GNOME runtime")

required = {"--share=network", "--socket=wayland", "--socket=fallback-x11", "--device=dri",
            "--talk-name=org.freedesktop.secrets"}
allowed = required | {"--share=ipc"}
args = set(manifest.get("finish-args", []))
for missing in sorted(required - args):
    errors.append(f"finish-args lacks {missing}")
for extra in sorted(args - allowed):
    errors.append(f"finish-args has {extra}, which the console does not need")

modules = manifest.get("modules", [])
if not modules or not isinstance(modules[-1], dict) or modules[-1].get("buildsystem") != "meson":
    errors.append("the last module must build this tree with meson")

for e in errors:
    print(f"{path}: {e}", file=sys.stderr)
sys.exit(1 if errors else 0)
