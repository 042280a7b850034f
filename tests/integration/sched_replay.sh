#!/bin/sh
# Replays are exact: the same schedule id gives the same trace hash and outcome 20 times,
# for a lost update (lab 3) and a deadlock (lab 5); explore's deadlock names its cycle.
# Usage: sched_replay.sh RACELAB
set -eu
racelab=$1
ids=""
for lab in lab3 lab5; do
	id=$("$racelab" explore $lab | sed -n 's/^  schedule: //p' || true)
	[ -n "$id" ] || { echo "$lab: explore found nothing"; exit 1; }
	set -- $lab $id
	first=$("$racelab" replay "$1" "$2" --hash || true)
	case "$first" in *"wrong result"|*deadlock) ;; *) echo "$1 $2: $first"; exit 1 ;; esac
	n=1
	while [ $n -lt 20 ]; do
		again=$("$racelab" replay "$1" "$2" --hash || true)
		[ "$again" = "$first" ] || { echo "$1 $2: replay $n: '$again' != '$first'"; exit 1; }
		n=$((n + 1))
	done
	echo "$1 $2: 20 replays, one trace: $first"
	ids="$ids$2
"
done
json=$(mktemp)
trap 'rm -f "$json"' EXIT
"$racelab" replay lab3 "$(echo "$ids" | head -1)" --json "$json" >/dev/null || true
for key in '"schedule": "pct:' '"outcome": "wrong result"' '"trace_hash": "' '"interleaving": \[' \
	'"op": "store"' '"variable": "counter"' '"where": "lost_update.c:26"' '"lost_update": "T'; do
	grep -q "$key" "$json" || { echo "JSON lacks $key"; cat "$json"; exit 1; }
done
out=$("$racelab" explore lab5 || true)
echo "$out" | grep -q "deadlock: T[0-9] waits for mutex 'accounts[+0-9]*', held by T[0-9], T[0-9] waits for mutex 'accounts[+0-9]*', held by T[0-9]: each waits for the next" ||
	{ echo "$out"; exit 1; }
echo "$out" | grep -q "waits for mutex .* in transfer() at transfer.c:49" || { echo "$out"; exit 1; }
