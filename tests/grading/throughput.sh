#!/usr/bin/env bash
# throughput.sh: the grading time per (submission, lab) item, build included, for classes
# of synthetic lab 3 submissions with the default rubric: an honest class (correct fixes,
# the racy lab copied back, compile errors), then the same class with 30%
# of its items hostile (infinite loop, SIGTERM ignored, memory hog, fork bomb: each costs
# one build and one run's timeout with fail-fast). Prints wall time and per-item median,
# min and max for each, and the hostile items' own times.
# A measurement, not a test: nothing is asserted. usage: throughput.sh [COPIES] [JOBS]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
copies=${1:-2}
jobs=${2:-1}
work=$(mktemp -d /tmp/racelab-throughput.XXXXXX)
"$repo/tests/grading/make-class.sh" "$work/all" /tmp/none 9 --copies "$copies" >/dev/null
mkdir "$work/honest" "$work/mixed"
for d in "$work"/all/good-* "$work"/all/racy-copy* "$work"/all/compile-error*; do
	cp -r "$d" "$work/honest/"
	cp -r "$d" "$work/mixed/"
done
# 30% hostile: 3 hostile items for every 7 honest ones.
n_honest=$(ls "$work/honest" | wc -l)
n_hostile=$(((n_honest * 3 + 6) / 7))
hostile=(infinite-loop ignores-sigterm memory-hog fork-bomb)
for i in $(seq 0 $((n_hostile - 1))); do
	h=${hostile[i % ${#hostile[@]}]}
	cp -r "$work/all/$h" "$work/mixed/$h-$i"
done
# The pristine tree is made once per grading run; time it apart from the items.
"$repo/scripts/grade-one" --labs 3 --out "$work/out" --quiet -- "$work/honest/racy-copy" >/dev/null
measure() { # measure CLASS
	rm -rf "$work/out/items" "$work/out/reports"
	local start=$EPOCHREALTIME wall n
	"$repo/scripts/grade" "$work/$1" --labs 3 --out "$work/out" --jobs "$jobs" 2>/dev/null
	wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	n=$(ls "$work/$1" | wc -l)
	jq -s '[.[].items[].seconds] | sort' "$work"/out/reports/*.json | jq -r --arg n "$n" \
		--arg wall "$wall" --arg jobs "$jobs" --arg class "$1" '
		"\($class): items \($n)  jobs \($jobs)  wall \($wall) s  per item: median \(.[length / 2 | floor]) s" +
		"  min \(.[0]) s  max \(.[-1]) s"'
	jq -rs '[.[] | .items[0].status] | group_by(.) | map("\(.[0]) \(length)") | join("  ")' \
		"$work"/out/reports/*.json
	[ "$1" = honest ] || jq -rs '[.[] | .items[0] | select(.student | test("loop|sigterm|hog|bomb")) |
		"\(.student) \(.status) \(.seconds) s"] | "hostile items: " + join(", ")' "$work"/out/reports/*.json
}
measure honest
measure mixed
uptime
