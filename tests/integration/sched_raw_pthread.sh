#!/bin/sh
# A student's fix with raw pthread calls is scheduled: its lock, yield and sleep calls show
# in the trace, no schedule of 20 loses an update, and none sleeps for real; the same
# program without the lock loses an update in some schedule.
# Usage: sched_raw_pthread.sh FIXED BUGGY
set -eu
fixed=$1 buggy=$2
trace=$(mktemp)
trap 'rm -f "$trace"' EXIT
start=$(date +%s)
n=1
while [ $n -le 20 ]; do
	RACELAB_SCHED=random:s1:n$n RACELAB_SCHED_TRACE=$trace "$fixed" >/dev/null || {
		echo "schedule random:s1:n$n of the fixed program lost an update"; exit 1; }
	n=$((n + 1))
done
for op in lock unlock yield create join; do
	grep -q "^e [0-9]* [0-9]* $op " "$trace" || { echo "no '$op' in the trace"; exit 1; }
done
# A sleep is a yield point: 6 usleep and 6 sched_yield calls show as 12 yields.
[ "$(grep -c "^e [0-9]* [0-9]* yield " "$trace")" -ge 12 ] || { echo "sleeps not scheduled"; exit 1; }
lost=0
n=1
while [ $n -le 20 ]; do
	RACELAB_SCHED=random:s1:n$n "$buggy" >/dev/null || lost=$((lost + 1))
	n=$((n + 1))
done
[ $lost -gt 0 ] || { echo "the buggy program lost no update in 20 schedules"; exit 1; }
echo "fixed: 20/20 schedules correct; buggy: $lost/20 lost an update ($(( $(date +%s) - start )) s)"
