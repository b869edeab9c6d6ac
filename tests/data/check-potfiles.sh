#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every file POTFILES.in lists exists, and every source file with translatable
# strings is listed: a string missing from the template fails here.
set -u
top=$1
status=0
listed=$(grep -v '^#' "$top/po/POTFILES.in" | sed '/^[[:space:]]*$/d')

for f in $listed; do
  if [ ! -f "$top/$f" ]; then
    echo "po/POTFILES.in lists $f, which does not exist" >&2
    status=1
  fi
done

cd "$top" || exit 1
for f in $(grep -rlE '(^|[^a-zA-Z_])(_|N_|C_|g_dngettext|ngettext)\s*\(|translatable="yes"' src --include='*.c' --include='*.ui' | sort); do
  if ! grep -qxF "$f" <<<"$listed"; then
    echo "$f has translatable strings but is not in po/POTFILES.in" >&2
    status=1
  fi
done
exit $status
