#!/bin/sh
# markers.sh: every lab marks its bug in its source, by one rule (README.md, "Adding a
# lab"): RACE: on a line whose unordered accesses to shared state are the bug (a data race,
# or a race between processes or tasks that TSan cannot see); BUG: on the line of any
# other concurrency fault (lock order, a condition variable used wrongly, a lock held too
# long, a private copy, a shared cache line). So a lab whose manifest expects TSan to find
# a data race marks a RACE: line, and one that expects a lock-order inversion marks BUG:
# and no RACE:. The marker words are written exactly so, in capitals with the colon.
# usage: markers.sh RACELAB SOURCE_DIR
set -eu
racelab=$1
src=$2
fail=0
n=0
for m in "$src"/labs/*/lab.manifest; do
	dir=$(dirname "$m")
	n=$((n + 1))
	files=$dir/$("$racelab" manifest "$m" program)
	for x in $("$racelab" manifest "$m" extra_sources); do files="$files $dir/$x"; done
	expect=" $("$racelab" manifest "$m" tsan_expect) "
	# shellcheck disable=SC2086 # the file list is words
	races=$(cat $files | grep -c 'RACE:' || true)
	bugs=$(cat $files | grep -c 'BUG:' || true)
	odd=$(cat $files | grep -Eio '(/\*|//)[^*]*\b(race|bug)[[:space:]]*:' | grep -Ev '(RACE|BUG):' || true)
	lab=${dir##*/}
	[ $((races + bugs)) -gt 0 ] || { echo "FAIL: $lab marks no line (RACE: or BUG:)"; fail=1; }
	case $expect in *" data-race "*)
		[ "$races" -gt 0 ] || { echo "FAIL: $lab expects a data race but marks no RACE: line"; fail=1; } ;;
	esac
	case $expect in *" lock-order-inversion "*)
		[ "$bugs" -gt 0 ] && [ "$races" = 0 ] ||
			{ echo "FAIL: $lab expects a lock-order inversion: mark it BUG:, not RACE:"; fail=1; } ;;
	esac
	[ -z "$odd" ] || { echo "FAIL: $lab: a marker not written RACE: or BUG:: $odd"; fail=1; }
done
[ "$n" -gt 0 ] || { echo "FAIL: no lab under $src/labs"; exit 1; }
[ $fail = 0 ] && echo "$n labs mark their bug by the rule"
exit $fail
