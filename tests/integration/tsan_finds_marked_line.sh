#!/bin/sh
# tsan_finds_marked_line.sh RACELAB LAB SOURCE KIND: the lab's first TSan run reports KIND
# at the line of SOURCE marked "RACE:" (found here, so editing the lab moves the test too).
set -eu
racelab=$1 lab=$2 source=$3 kind=$4
line=$(grep -n 'RACE:' "$source" | head -n 1 | cut -d: -f1)
[ -n "$line" ] || { echo "no RACE: marker in $source"; exit 1; }
json=$(mktemp)
trap 'rm -f "$json"' EXIT
status=0
"$racelab" run "$lab" --runs 1 --quiet --json "$json" || status=$?
[ "$status" = 1 ] || { echo "racelab exited $status, wanted 1 (bug shown)"; exit 1; }
grep -q "\"kind\": \"$kind\"" "$json" || { echo "no $kind finding"; cat "$json"; exit 1; }
rel=${source#"$(cd "$(dirname "$source")/../.." && pwd)/"}
grep -A3 "\"kind\": \"$kind\"" "$json" | grep -q "\"file\": \"$rel\"" ||
	{ echo "finding not in $rel"; grep -A6 "\"kind\"" "$json"; exit 1; }
grep -A5 "\"kind\": \"$kind\"" "$json" | grep -q "\"line\": $line," ||
	{ echo "finding not at line $line"; grep -A6 "\"kind\"" "$json"; exit 1; }
echo "TSan: $kind at $rel:$line"
