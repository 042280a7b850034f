#!/usr/bin/env bash
# throughput.sh: the grading time per (submission, lab) item, build included, for a class
# of N synthetic lab 3 submissions (correct fixes, the racy lab copied
# back, compile errors) with the default rubric. Prints the median, min and max.
# A measurement, not a test: nothing is asserted. usage: throughput.sh [COPIES] [JOBS]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
copies=${1:-4}
jobs=${2:-1}
work=$(mktemp -d /tmp/racelab-throughput.XXXXXX)
"$repo/tests/grading/make-class.sh" "$work/all" /tmp/none 9 --copies "$copies" >/dev/null
mkdir "$work/class"
for d in "$work"/all/good-* "$work"/all/racy-copy* "$work"/all/compile-error*; do
	mv "$d" "$work/class/"
done
# The pristine tree is made once per grading run; time it apart from the items.
"$repo/scripts/grade-one" "$work/class/racy-copy" --labs 3 --out "$work/out" --quiet >/dev/null
rm -rf "$work/out/items" "$work/out/reports"
start=$EPOCHREALTIME
"$repo/scripts/grade" "$work/class" --labs 3 --out "$work/out" --jobs "$jobs" 2>/dev/null
wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
n=$(ls "$work/class" | wc -l)
jq -s '[.[].items[].seconds] | sort' "$work"/out/reports/*.json | jq -r --arg n "$n" \
	--arg wall "$wall" --arg jobs "$jobs" '
	"items: \($n)  jobs: \($jobs)  wall: \($wall) s  per item: median \(.[length / 2 | floor]) s" +
	"  min \(.[0]) s  max \(.[-1]) s"'
jq -r '.[]' <(jq -s '[.[] | .items[0].status] | group_by(.) | map("\(.[0]) \(length)")' "$work"/out/reports/*.json) | tr '\n' ' '; echo
uptime
