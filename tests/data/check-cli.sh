#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The console's command line: --version, and --base-url, --team and --desk
# refusals that happen before any window opens (exit status 2 and a sentence
# saying why).
set -u
console=$1
version=$2
fail=0

out=$("$console" --version 2>&1); rc=$?
if [ $rc -ne 0 ] || [ "$out" != "neuropay-console $version" ]; then
  echo "not ok: --version gave rc=$rc: $out"; fail=1
fi

for url in http://example.com/ 'javascript:alert(1)' ftp://127.0.0.1/ file:///etc/passwd not-a-url; do
  out=$("$console" --base-url "$url" 2>&1 </dev/null); rc=$?
  if [ $rc -ne 2 ]; then
    echo "not ok: --base-url $url exited $rc (expected 2): $out"; fail=1
  elif [ -z "$out" ]; then
    echo "not ok: --base-url $url refused without a message"; fail=1
  else
    echo "ok: --base-url $url refused: $out"
  fi
done
# --team: what np_team_ledger_check_target () refuses, and --desk without --team
# or without a name. Each case is "expected words|arguments...".
while IFS='|' read -r words args; do
  read -r -a argv <<<"$args"
  out=$("$console" "${argv[@]}" 2>&1 </dev/null); rc=$?
  if [ $rc -ne 2 ]; then
    echo "not ok: $args exited $rc (expected 2): $out"; fail=1
  elif [[ "$out" != *"$words"* ]]; then
    echo "not ok: $args refused without saying \"$words\": $out"; fail=1
  else
    echo "ok: $args refused: $out"
  fi
done <<'CASES'
would not be encrypted|--team postgresql://desk@db.example.com/team
would not be encrypted|--team postgresql://desk@10.0.0.5:5432/team?sslmode=prefer
Remove the password|--team postgresql://desk:secret@localhost/team
service in pg_service.conf|--team not/a/service
give --team too|--desk FINANCE-2
1 to 64 characters|--team postgresql:///team?host=/tmp --desk DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD
CASES
exit $fail
