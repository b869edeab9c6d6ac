#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every translation in po/LINGUAS is valid (msgfmt --check: format specifiers and
# headers) and complete: no untranslated and no fuzzy message. A string added to the
# sources without a translation fails here once the template is merged.
set -u
top=$1
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The template of the sources as they are now (the glib preset's keywords, as meson's
# i18n.gettext uses), so a string added since sv.po was merged counts as untranslated.
(cd "$top" && xgettext --from-code=UTF-8 --add-comments --package-name=neuropay-console \
   --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 \
   --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
   --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
   --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
   --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
   --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
   --files-from=po/POTFILES.in -o "$tmp/template.pot" 2>/dev/null) || {
  echo "xgettext could not read the sources listed in po/POTFILES.in" >&2
  exit 1
}
for lang in $(grep -v '^#' "$top/po/LINGUAS"); do
  po="$tmp/$lang.po"
  msgmerge --quiet --no-fuzzy-matching "$top/po/$lang.po" "$tmp/template.pot" -o "$po" || exit 1
  if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
    echo "po/$lang.po: msgfmt --check failed:" >&2
    echo "$stats" >&2
    status=1
    continue
  fi
  echo "$lang: $stats"
  if grep -qE 'untranslated|fuzzy' <<<"$stats"; then
    echo "po/$lang.po is incomplete against the sources (merge and translate): $stats" >&2
    status=1
  fi
done
exit $status
