#!/bin/sh
# json_solutions.sh RACELAB: `racelab run lab3 --solution --json` writes every solution it
# ran into the report (none is dropped), and exits as racelab did.
set -u
racelab=$1
json=$(mktemp)
trap 'rm -f "$json"' EXIT
status=0
"$racelab" run lab3 --solution --runs 1 --quiet --json "$json" || status=$?
count=$(grep -c '"verdict":' "$json")
[ "$count" = 2 ] || { echo "$count experiments in the JSON, wanted 2 (mutex, atomic)"; exit 1; }
for sol in mutex atomic; do
	grep -q "\"solution\": \"$sol\"" "$json" || { echo "no experiment for $sol"; exit 1; }
done
exit "$status"
