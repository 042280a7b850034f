#!/usr/bin/env bash
# judge.sh: the judge is out of reach of the judged, and a name is only ever data.
# - The machine check: without bubblewrap, scripts/grade says so in one line, exit 3.
# - Two submissions try to choose their own grade (tests/grading/forge_attack.c): a daemon
#   that overwrites every report it can reach with a forged full score, and forged records
#   written into every open fd. Both get what their real (racy) code earns, and no file
#   outside the boxes changes. (The same daemon, given a writable folder, forges it: shown
#   first, so this test can fail.)
# - Submissions named with quotes, $(...), backticks, spaces, a leading dash, a newline,
#   non-ASCII and 255 bytes are graded like any other, and no command in a name runs.
# usage: tests/grading/judge.sh [WORK_DIR]   (root; bubblewrap; ~1-2 minutes)
set -euo pipefail
[ "$EUID" = 0 ] && command -v bwrap >/dev/null || { echo "skipped: needs root and bubblewrap"; exit 77; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d /tmp/racelab-judge-test.XXXXXX)}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok:   $*"; }
. "$repo/grading/lib.sh"
lab=labs/03-lost-update
racy=$repo/$lab/lost_update.c
rm -rf "$work/class" "$work/out" "$work/probe" "$work/cwd" "$work/demo" "$work/nobwrap"
mkdir -p "$work/class" "$work/probe" "$work/cwd" "$work/demo"

# ---- the machine check ----------------------------------------------------------------
# A PATH with everything but bubblewrap (and apt-get, so nothing is installed).
mkdir -p "$work/nobwrap"
for f in /usr/bin/* /usr/sbin/*; do
	case ${f##*/} in bwrap | apt-get | apt) continue ;; esac
	ln -sf "$f" "$work/nobwrap/${f##*/}"
done
mkdir -p "$work/class/someone"
status=0
PATH=$work/nobwrap "$repo/scripts/grade" "$work/class" --out "$work/out-nobwrap" \
	>"$work/nobwrap.out" 2>"$work/nobwrap.err" || status=$?
if [ "$status" = 3 ] && [ "$(wc -l <"$work/nobwrap.err")" = 1 ] &&
	grep -q 'missing.*bwrap (apt-get install bubblewrap)' "$work/nobwrap.err" &&
	! grep -q 'grade-one failed' "$work/nobwrap.err"; then
	pass "without bubblewrap: exit 3, one line: $(cat "$work/nobwrap.err")"
else
	fail "without bubblewrap: exit $status, said: $(cat "$work/nobwrap.err")"
fi
rm -rf "$work/nobwrap" "$work/class/someone" "$work/out-nobwrap"

# ---- the class ----------------------------------------------------------------------------
# put NAME: the racy lab with attack MODE (0: none) in a folder NAME.
put() {
	mkdir -p "$work/class/$1/$lab"
	if [ "$2" = 0 ]; then cp "$racy" "$work/class/$1/$lab/lost_update.c"; return; fi
	{
		printf '#define FORGE_MODE %s\n' "$2"
		cat "$repo/tests/grading/forge_attack.c"
		sed '/^int main/{n;s/^{$/{\n\tattack();/}' "$racy"
	} >"$work/class/$1/$lab/lost_update.c"
}
put racy-control 0
put forger-daemon 1
put forger-fds 2
atomic=$repo/solutions/03-lost-update/atomic.c
names=(
	"it's \$(touch canary1) \"quoted\""
	"\`touch canary2\`; echo x"
	"-rf --help"
	$'new\nline $(touch canary3)'
	"Zoë Ångström ü"
	"$(printf 'x%.0s' $(seq 1 239))\$(touch canary4)"
)
for n in "${names[@]}"; do
	mkdir -p "$work/class/$n/$lab" && cp "$atomic" "$work/class/$n/$lab/lost_update.c"
done
# Archives that are refused (not readable) but named to run code if pasted into a shell.
printf 'not an archive' >"$work/class/'; touch canary5; echo '.tar.gz"
printf 'not an archive' >"$work/class/\$(touch canary6).zip"
[ "$(printf '%s' "${names[5]}" | wc -c)" = 255 ] ||
	fail "the long name is ${#names[5]} bytes, not 255"

# ---- the attack works where it can reach ---------------------------------------------
cc -O1 -DFORGE_DEMO -DFORGE_MODE=1 -o "$work/demo/forger" "$repo/tests/grading/forge_attack.c"
mkdir -p "$work/demo/build" && echo '{"honest": true}' >"$work/demo/build/set1.json"
chmod 777 "$work/demo/build" && chmod 666 "$work/demo/build/set1.json"
"$repo/scripts/sandbox" --rw "$work/demo/build:/grade/build" --ro "$work/demo/forger:/forger" \
	--time 20 -- /forger >/dev/null 2>&1 || true
grep -q FORGED "$work/demo/build/set1.json" &&
	pass "the forging daemon rewrites a report it can reach (the old design's build tree)" ||
	fail "the forging daemon did not work even with a writable folder: this test proves nothing"

# Files outside every box, writable by anyone: none may change.
for f in grades.csv set1.json report.txt junit.xml; do echo "honest $f" >"$work/probe/$f"; done
chmod 777 "$work/probe" && chmod 666 "$work/probe"/*
snapshot() { (cd "$work" && find probe class cwd demo -type f -print0 | sort -z |
	xargs -0 sha256sum); }
snapshot >"$work/before.sha"

# ---- grade -------------------------------------------------------------------------------
n=$(find "$work/class" -mindepth 1 -maxdepth 1 -printf . | wc -c)
(cd "$work/cwd" && "$repo/scripts/grade" "$work/class" --labs 3 --out "$work/out" \
	--rubrics "$repo/tests/grading/rubrics" --jobs "${GRADE_TEST_JOBS:-2}") 2>"$work/grade.log" ||
	fail "scripts/grade exited $?"
sleep 0.5 # a daemon that outlived its box would have time to strike

report() { echo "$work/out/reports/$(student_key "$(student_name "$1")").json"; }
item() { jq -r ".items[0].$2" "$(report "$1")" 2>/dev/null || echo missing; }

for s in forger-daemon forger-fds; do
	st=$(item "$s" status) sc=$(item "$s" score) ts=$(item "$s" points.tsan)
	# Racy code can earn no TSan points, so at most 60; the attack may hang TSan (garbage
	# on its symbolizer's pipe, or CPU stolen by the daemon): hung is its own code's doing.
	if [[ $st =~ ^(wrong|racy|hung)$ ]] && [ "$ts" = 0 ] && awk -v s="$sc" 'BEGIN { exit !(s <= 60) }'; then
		pass "$s: $st $sc (its racy code's grade; control: $(item racy-control status) $(item racy-control score))"
	else
		fail "$s: $st $sc, TSan points $ts: the forgery changed its grade"
	fi
done
jq -e '[.items[0].sets[].details[] | select(test("result records"))] | length > 0' \
	"$(report forger-fds)" >/dev/null && pass "forger-fds: its runs' two records were not trusted" ||
	fail "forger-fds: no run says it had two result records"
if grep -rlq FORGED-BY-STUDENT "$work/out"; then
	fail "forged text reached the grader's files: $(grep -rl FORGED-BY-STUDENT "$work/out" | head -3)"
else pass "no forged text in any of the grader's files"; fi
snapshot >"$work/after.sha"
diff -q "$work/before.sha" "$work/after.sha" >/dev/null && pass "no file outside the boxes changed" ||
	fail "files outside the boxes changed: $(diff "$work/before.sha" "$work/after.sha" | head -5)"
# (other graders may run on this machine: only folders whose sources are ours count)
left=0
for d in /tmp/racelab-judge.*; do
	case $(readlink "$d/src" 2>/dev/null) in "$work/out/"*) left=$((left + 1)) ;; esac
done
[ "$left" = 0 ] && pass "no judge folder left" || fail "$left judge folder(s) left in /tmp"

# Names.
for nm in "${names[@]}"; do
	st=$(item "$nm" status) sc=$(item "$nm" score)
	[ "$st" = ok ] && [ "$sc" = 100 ] && pass "name $(printf '%q' "$nm" | cut -c1-40): ok 100" ||
		fail "name $(printf '%q' "$nm" | cut -c1-60): $st $sc"
done
for a in "'; touch canary5; echo '.tar.gz" "\$(touch canary6).zip"; do
	[ "$(item "$a" status)" = build-failed ] && pass "archive $(printf '%q' "$a"): refused" ||
		fail "archive $(printf '%q' "$a"): $(item "$a" status)"
done
canaries=$(find "$work" "$repo" /tmp -maxdepth 3 -name 'canary*' 2>/dev/null | head -3)
[ -z "$canaries" ] && pass "no command in a name ran (no canary file)" || fail "canaries: $canaries"
# CSV records, not lines: a name keeps its newline inside a quoted cell.
rows=$(jq -Rs '[scan("(?:\"(?:[^\"]|\"\")*\"|[^\",\n])*(?:,(?:\"(?:[^\"]|\"\")*\"|[^\",\n])*)*\n")] | length - 1' \
	"$work/out/grades.csv")
[ "$rows" = "$n" ] && pass "grades.csv: $n records" || fail "grades.csv: $rows records for $n submissions"
[ "$(grep -c '<testcase' "$work/out/junit.xml")" = "$n" ] && pass "junit.xml: $n test cases" ||
	fail "junit.xml: $(grep -c '<testcase' "$work/out/junit.xml") test cases"
if command -v python3 >/dev/null; then
	python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$work/out/junit.xml" &&
		pass "junit.xml parses as XML" || fail "junit.xml is not well-formed"
fi
[ "$(jq -s length "$work/out/autolab.jsonl")" = "$n" ] && pass "autolab.jsonl: $n lines of JSON" ||
	fail "autolab.jsonl is not $n JSON values"
grep -q 'grade-one failed' "$work/grade.log" && fail "grade-one failed: $(grep 'grade-one failed' "$work/grade.log")" ||
	pass "grade-one never failed"
jq -r '.items[0] | "\(.student | .[0:30]): \(.status) \(.seconds) s"' "$work"/out/reports/*.json

echo "$fails failure(s); evidence in $work/out/reports/ and $work/grade.log"
[ "$fails" = 0 ]
