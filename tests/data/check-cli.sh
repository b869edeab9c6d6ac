#!/usr/bin/env bash
# The console's command line: --version, and --base-url refusals that happen
# before any window opens (exit status 2 and a sentence saying why).
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
exit $fail
