#!/usr/bin/env bash
# parallel.sh: the per-submission command (scripts/grade-one) run by GNU parallel with a
# job log, retries and an --sshloginfile whose only host is ":" (this machine), then
# `scripts/grade --collect` writes the class's files. What docs/grading.md shows for hosts.
set -euo pipefail
[ "$EUID" = 0 ] && command -v bwrap >/dev/null || { echo "skipped: needs root and bubblewrap"; exit 77; }
command -v parallel >/dev/null || { echo "skipped: GNU parallel is not installed (apt-get install parallel)"; exit 77; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d /tmp/racelab-parallel.XXXXXX)}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok:   $*"; }

rm -rf "$work/class" "$work/out"
"$repo/tests/grading/make-class.sh" "$work/class" >/dev/null
for s in good-atomic untouched compile-error; do mv "$work/class/$s" "$work/keep-$s"; done
rm -rf "$work/class"; mkdir "$work/class"
for s in good-atomic untouched compile-error; do mv "$work/keep-$s" "$work/class/$s"; done
echo ":" >"$work/hosts"
ls -d "$work/class"/* | parallel --sshloginfile "$work/hosts" --joblog "$work/joblog" \
	--retries 2 --jobs 1 --timeout 600 \
	"$repo/scripts/grade-one" {} --labs 3 --out "$work/out" \
	--rubrics "$repo/tests/grading/rubrics" --quiet >"$work/autolab.txt" ||
	fail "parallel exited $?"
[ "$(tail -n +2 "$work/joblog" | awk '$7 == 0' | wc -l)" = 3 ] &&
	pass "the job log shows 3 jobs done" || fail "job log: $(cat "$work/joblog")"
[ "$(grep -c '"scores"' "$work/autolab.txt")" = 3 ] && pass "3 Autolab score lines" ||
	fail "Autolab lines: $(cat "$work/autolab.txt")"
"$repo/scripts/grade" --collect "$work/class" --out "$work/out" 2>/dev/null
[ "$(wc -l <"$work/out/grades.csv")" = 4 ] && pass "grades.csv: header and 3 rows" ||
	fail "grades.csv: $(cat "$work/out/grades.csv")"
grep -q '"good-atomic",100,"ok"' "$work/out/grades.csv" && pass "good-atomic 100 ok" ||
	fail "good-atomic's row: $(grep good-atomic "$work/out/grades.csv")"
grep -q '"compile-error",0,"build-failed"' "$work/out/grades.csv" && pass "compile-error 0" ||
	fail "compile-error's row"
echo "$fails failure(s)"
[ "$fails" = 0 ]
