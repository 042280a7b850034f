#!/bin/sh
# Every schedulable lab: `racelab explore` finds its bug within the manifest's budget
# (exit 1, a replayable id); every solution shows no bug in 15 PCT schedules (exit 0);
# lab 3's atomic solution passes the exhaustive search with K = 2, worded as a bound.
# Usage: sched_labs.sh RACELAB
set -eu
racelab=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for lab in 3 4 5 6 10 11; do
	status=0
	"$racelab" explore lab$lab >"$out" 2>&1 || status=$?
	[ $status -eq 1 ] || { echo "lab$lab: explore exit $status, expected 1"; cat "$out"; exit 1; }
	grep -q "schedule: pct:d2:s1:n[0-9]*$" "$out" || { echo "lab$lab: no schedule id"; cat "$out"; exit 1; }
	echo "lab$lab: $(grep 'found after' "$out")"
	for sol in $(sed -n 's/^solutions *= *//p' "$(dirname "$0")/../../labs/$(printf %02d $lab)"-*/lab.manifest); do
		status=0
		"$racelab" explore lab$lab --solution=$sol --budget 15 >"$out" 2>&1 || status=$?
		[ $status -eq 0 ] || { echo "lab$lab $sol: explore exit $status"; cat "$out"; exit 1; }
		grep -q "no bug seen in 15 schedules" "$out" || { cat "$out"; exit 1; }
	done
done
"$racelab" explore lab3 --solution=atomic --strategy exhaustive >"$out"
grep -q "no bug in any schedule with <= 2 preemptions" "$out" || { cat "$out"; exit 1; }
! grep -qi "race-free" "$out"
echo "lab3 atomic: $(grep 'no bug in any' "$out")"
