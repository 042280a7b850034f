#!/bin/sh
# po-check.sh: fails when a catalogue is not complete: an untranslated or fuzzy message,
# or one msgfmt --check refuses (a format directive, a plural form, a header field wrong).
# usage: po-check.sh SOURCE_DIR
set -u
cd "$1" || exit 1
command -v msgfmt >/dev/null 2>&1 || { echo "msgfmt missing (apt-get install gettext)"; exit 77; }
fail=0
for po in po/*.po; do
	stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1) || {
		echo "$po: msgfmt --check failed:"; echo "$stats"; fail=1; continue; }
	echo "$po: $stats"
	case $stats in
	*untranslated* | *fuzzy*)
		echo "$po: not complete; translate these, then remove their fuzzy flags:"
		msgattrib --only-fuzzy --no-wrap "$po" | grep "^msgid" | sed 1d | head -20
		msgattrib --untranslated --no-wrap "$po" | grep '^msgid' | sed 1d | head -20
		fail=1 ;;
	esac
done
exit $fail
