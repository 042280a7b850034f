#!/bin/sh
# racelab explore --strategy por (every order of the synchronisation, sleep sets, a data
# race check on every run): lab 6's solutions are proven at sched_args; lab 3's bug is a
# data race, named with both lines, and its schedule replays to the same race; every wrong
# fix of labs 3 and 4 (tests/wrong-fixes) is caught, the racy ones by the race check, the
# atomicity violations by a wrong result; a trylock's retry loop is said to have no end.
# Usage: sched_por.sh RACELAB BINDIR
set -eu
racelab=$1 bin=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
expect() { # STATUS PATTERN COMMAND...: exit status and a line of the output
	want=$1 re=$2
	shift 2
	status=0
	"$racelab" "$@" >"$out" 2>&1 || status=$?
	[ $status -eq "$want" ] || { echo "$*: exit $status, expected $want"; cat "$out"; exit 1; }
	grep -Eq -- "$re" "$out" || { echo "$*: lacks /$re/"; cat "$out"; exit 1; }
	echo "$*: $(grep -E -- "$re" "$out" | head -1)"
}
for sol in two-conds broadcast; do
	expect 0 "no bug and no data race in any schedule \([0-9]+ schedules" \
		explore lab6 --solution=$sol --strategy por
done
expect 1 "outcome: data race" explore lab3 --strategy por
grep -Eq "^  T[0-9]+ .*lost_update\.c:[0-9]+ +(load|store) counter" "$out" ||
	{ echo "lab3: the race's lines"; cat "$out"; exit 1; }
id=$(sed -n 's/^  schedule: //p' "$out")
case $id in sync:x:*) ;; *) echo "lab3: schedule id '$id'"; exit 1 ;; esac
expect 1 "outcome: data race" replay lab3 "$id"
for fix in lock-per-thread lock-read-only volatile; do
	expect 1 "outcome: data race" explore lab3 --strategy por --program "$bin/lab03-wrong-$fix-sched"
done
expect 1 "outcome: wrong result" explore lab3 --strategy por --program "$bin/lab03-wrong-split-lock-sched"
for fix in lock-per-thread split-lock volatile; do
	expect 1 "outcome: (wrong result|data race)" explore lab4 --strategy por \
		--program "$bin/lab04-wrong-$fix-sched"
done
expect 0 "not finished: a thread retries in a loop" explore lab5 --solution=trylock --strategy por
! grep -qi "race-free" "$out"
