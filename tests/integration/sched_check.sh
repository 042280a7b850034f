#!/bin/sh
# racelab check's schedules section on lab 3: explore finds the bug, each solution passes
# every order of its synchronisation, worded as what was tried. Exit 5 (skipped) when the plain runs
# were too busy to judge, as check.labNN does; the schedules section is checked anyway.
# Usage: sched_check.sh RACELAB
set -u
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$1" check lab3 --runs 5 >"$out" 2>&1
status=$?
for re in "^Schedules .racelab explore" "bug found: wrong result after [0-9]+ schedules" \
	"mutex +no bug in any schedule, with <= 2 preemptions or more: every order of its synchronisation, none with a data race" \
	"atomic +no bug in any schedule, with <= 2 preemptions or more: every order"; do
	grep -Eq -- "$re" "$out" || { echo "lacks /$re/"; cat "$out"; exit 1; }
done
! grep -qi "race-free" "$out" || { echo "says race-free"; exit 1; }
[ $status -eq 0 ] || [ $status -eq 5 ] || { echo "exit status $status"; cat "$out"; exit 1; }
exit $status
