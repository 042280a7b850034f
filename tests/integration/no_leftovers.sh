#!/bin/sh
# no_leftovers.sh RACELAB HELPER: a program that hangs with a child of its own is killed
# at the timeout with its whole process group: afterwards nothing of it is still running.
set -eu
racelab=$1 helper=$2
status=0
out=$("$racelab" run --exec --runs 2 --timeout 0.5 --quiet -- "$helper" hang-with-child) || status=$?
echo "$out"
[ "$status" = 1 ] || { echo "exit $status, wanted 1"; exit 1; }
echo "$out" | grep -q '2/2 runs went wrong (2 hung)' || { echo "hangs not reported"; exit 1; }
sleep 0.2
# Anything left would be in state other than Z (zombies of a non-reaping init don't run).
left=$(ps -eo stat=,args= | grep "[r]unner_helper hang-with-child" | grep -v '^Z' || true)
[ -z "$left" ] || { echo "left running: $left"; exit 1; }
echo "nothing left running"
