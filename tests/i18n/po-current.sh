#!/bin/sh
# po-current.sh: fails when a marked message of the code is missing from a catalogue (or
# there untranslated or fuzzy): someone marked or changed a string and did not run
# `make po-update` and translate. Extracts afresh (scripts/po-update --pot) and compares
# with msgcmp, which wants every message of the template translated in the catalogue.
# usage: po-current.sh SOURCE_DIR
set -u
cd "$1" || exit 1
for tool in xgettext msgcmp; do
	command -v $tool >/dev/null 2>&1 || { echo "$tool missing (apt-get install gettext)"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scripts/po-update --pot "$tmp/racelab.pot" 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
n=$(grep -c '^msgid ' "$tmp/racelab.pot")
[ "$n" -gt 100 ] || { echo "only $n messages extracted: is the marking gone?"; exit 1; }
fail=0
for po in po/*.po; do
	if ! msgcmp "$po" "$tmp/racelab.pot" 2>"$tmp/cmp"; then
		echo "$po lacks messages of the code (run make po-update, then translate):"
		head -40 "$tmp/cmp"
		fail=1
	fi
done
[ $fail = 0 ] && echo "$n marked messages, all in po/*.po"
exit $fail
