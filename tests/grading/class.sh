#!/usr/bin/env bash
# class.sh: a class as it really arrives, graded twice (the second run interrupted like a
# Ctrl-C and finished with --resume) with identical grades.csv: Cyrillic names that the
# old file naming folded to the same string, accents, apostrophes and a comma, a zip
# written by Python's zipfile, an empty folder, files at the wrong paths, partly-right
# code (a lab 3 race TSan sees while every result is right; a lab 4 atomic balance
# still checked apart from the withdrawal) and a deadlock. Then the two partly-right
# submissions are graded 8 times more: 10 gradings, one score each. Also: entries naming
# one student refuse the class up front, a bad rubric key is refused with its line, and
# Gradescope mode hides the hidden sets' arguments and sets `visibility`.
# usage: tests/grading/class.sh [WORK_DIR]   (root; bubblewrap; a few minutes when busy)
set -euo pipefail
[ "$EUID" = 0 ] && command -v bwrap >/dev/null || { echo "skipped: needs root and bubblewrap"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: needs python3 (to write a zip as Python does)"; exit 77; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d /tmp/racelab-class.XXXXXX)}
. "$repo/grading/lib.sh"
rubrics=$repo/tests/grading/rubrics
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok:   $*"; }
l3=labs/03-lost-update l4=labs/04-check-then-act l5=labs/05-deadlock-lock-order

# ---- partly-right and broken code ----------------------------------------------------------
# racy_read: every increment under a lock, then an unlocked read: right results, TSan race.
racy_read() {
	sed -e 's/^static long counter;.*/static long counter;\nstatic pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\nstatic volatile long peek;/' \
		-e 's/\t\tcounter = counter + 1;.*/\t\t{ rl_lock(\&m); counter = counter + 1; rl_unlock(\&m); }\n\tpeek = counter; \/* unlocked read *\//' \
		"$repo/$l3/lost_update.c"
}
# atomic_apart: an atomic balance, but the check is still apart from the withdrawal.
atomic_apart() {
	sed -e 's/^static long balance;.*/static atomic_long balance; \/* atomic, still checked apart *\//' \
		-e 's/#include <stdbool.h>/#include <stdatomic.h>\n#include <stdbool.h>/' \
		-e 's/\tbalance -= amount;.*/\tatomic_fetch_sub(\&balance, amount);/' "$repo/$l4/check_then_act.c"
}
put() { mkdir -p "$(dirname "$1")"; cat >"$1"; }

class=$work/class
rm -rf "$class" "$work"/out*
mkdir -p "$class"
put "$class/Иван Петров/$l3/lost_update.c" <"$repo/solutions/03-lost-update/atomic.c"
python3 - "$class/Анна Орлова.zip" "$repo/solutions/04-check-then-act/cas.c" "$l4/check_then_act.c" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:  # writestr: no Unix mode bits in the zip
    z.writestr("submission/" + sys.argv[3], open(sys.argv[2]).read())
EOF
racy_read | put "$class/José d’Arc/$l3/lost_update.c"
atomic_apart | put "$class/O'Brien, Pat/$l4/check_then_act.c"
mkdir -p "$class/empty"
put "$class/misplaced/lost_update.c" <"$repo/solutions/03-lost-update/mutex.c"
put "$class/misplaced/03-lost-update/lost_update.c" <"$repo/solutions/03-lost-update/mutex.c"
sed 's/^static long iterations;/static long iterations; \/* my attempt *\//' "$repo/$l5/transfer.c" |
	put "$class/Dead Lock/$l5/transfer.c"
n=$(find "$class" -mindepth 1 -maxdepth 1 | wc -l)
[ "$(student_key "Иван Петров")" != "$(student_key "Анна Орлова")" ] || fail "two names share a key"

# ---- refused up front ------------------------------------------------------------------------
mkdir -p "$work/twins/alice" "$work/twins/Anna" "$work/twins/anna"
cp "$class/Анна Орлова.zip" "$work/twins/alice.zip"
status=0
"$repo/scripts/grade" "$work/twins" --labs 3 --out "$work/out-twins" 2>"$work/twins.log" || status=$?
[ "$status" = 2 ] && grep -q '"alice" | "alice.zip"' "$work/twins.log" && grep -q '"Anna" | "anna"' "$work/twins.log" &&
	[ ! -d "$work/out-twins/items" ] && pass "entries naming one student refuse the class up front, named" ||
	fail "twins: exit $status: $(cat "$work/twins.log")"
mkdir -p "$work/bad-rubrics"
printf 'runs = 3\nrun = 5\n' >"$work/bad-rubrics/lab03.rubric"
status=0
"$repo/scripts/grade" "$class" --labs 3 --out "$work/out-bad" --rubrics "$work/bad-rubrics" 2>"$work/bad.log" || status=$?
[ "$status" = 2 ] && grep -q "lab03.rubric:2: unknown key 'run'" "$work/bad.log" &&
	pass "an unknown rubric key refuses the class, named with its line" || fail "bad rubric: exit $status: $(cat "$work/bad.log")"

# ---- graded once, then again (interrupted, then --resume) ----------------------------------
grade() { "$repo/scripts/grade" "$class" --labs 3,4,5 --rubrics "$rubrics" "$@"; }
grade --out "$work/out1" 2>"$work/grade1.log" || fail "the first grading exited $?"
mkdir -p "$work/out2/.work"
cp -a "$work/out1/.work/pristine" "$work/out2/.work/" # same tree: spares a second build
rm -f "$work/out2/.work/pristine.lock"
setsid "$repo/scripts/grade" "$class" --labs 3,4,5 --rubrics "$rubrics" --out "$work/out2" \
	>/dev/null 2>"$work/grade2.log" &
pid=$!
for _ in $(seq 1 600); do
	[ -n "$(ls "$work/out2/.work/scratch" 2>/dev/null)" ] && break
	sleep 0.1
done
kill -TERM -- "-$pid" 2>/dev/null || true # as a kill or a closed terminal would (background jobs ignore SIGINT)
wait "$pid" 2>/dev/null || true
sleep 0.5
[ -n "$(ls "$work/out2/.work/scratch" 2>/dev/null)" ] && pass "the interrupted run left a scratch copy behind" ||
	echo "note: the interrupt came before or after a scratch copy existed"
grade --out "$work/out2" --resume 2>>"$work/grade2.log" || fail "the resumed grading exited $?"
[ -z "$(ls "$work/out2/.work/scratch" 2>/dev/null)" ] && pass "--resume removed the killed run's scratch" ||
	fail "scratch left: $(ls "$work/out2/.work/scratch")"
cmp -s "$work/out1/grades.csv" "$work/out2/grades.csv" && pass "two gradings, identical grades.csv" ||
	fail "grades.csv differs: $(diff "$work/out1/grades.csv" "$work/out2/grades.csv" | tr '\n' ' ')"

csv=$work/out1/grades.csv
rows=$(($(wc -l <"$csv") - 1))
[ "$rows" = "$n" ] && pass "grades.csv: one row for each of $n students" || fail "grades.csv has $rows rows for $n: $(cat "$csv")"
row() { grep -F "\"$1\"," "$csv" || echo "no row for $1"; }
expect() { # expect STUDENT ROW-REGEX WHAT (lab3,status,lab4,status,lab5,status,total,max)
	local r
	r=$(row "$1")
	if [[ $r =~ ^\"[^\"]*\",$2$ ]] || [[ $r =~ ^\"$1\",$2$ ]]; then pass "$1: ${r#*\",} ($3)"; else fail "$1: $r, wanted $2 ($3)"; fi
}
expect "Иван Петров" '100,"ok",0,"missing",0,"missing",100,300' "a correct lab 3 in a Cyrillic-named folder"
expect "Анна Орлова" '0,"missing",100,"ok",0,"missing",100,300' "a zip from Python's zipfile.writestr"
expect "José d’Arc" '60,"racy",0,"missing",0,"missing",60,300' "right results, TSan race"
expect "O'Brien, Pat" '0,"missing",60,"wrong",0,"missing",60,300' "atomic balance, check apart"
expect "empty" '0,"missing",0,"missing",0,"missing",0,300' "an empty folder"
expect "misplaced" '0,"missing",0,"missing",0,"missing",0,300' "sources at the wrong paths"
expect "Dead Lock" '0,"missing",0,"missing",[0-9.]+,"hung",[0-9.]+,300' "a deadlock"

report() { echo "$work/out1/reports/$(student_key "$1")"; }
grep -q "^Student: Иван Петров " "$(report "Иван Петров").txt" && pass "the report carries the exact name" ||
	fail "report name: $(head -1 "$(report "Иван Петров").txt")"
grep -q "expected (any of): $l3/lost_update.c" "$(report misplaced).txt" &&
	grep -q "found: 03-lost-update/lost_update.c, lost_update.c" "$(report misplaced).txt" &&
	pass "a misplaced submission's report names the expected and the found paths" || fail "misplaced report"
# The wait-for lines and the lock cycle are shown whenever racelab's report has them
# (gdb's live view of a stalled run; a TSan run that was not skipped by --fail-fast).
dead=$(report "Dead Lock")
if jq -e '[.items[].sets[].wait_for[]?] | length > 0' "$dead.json" >/dev/null; then
	grep -q "waits for mutex 'accounts" "$dead.txt" && pass "the deadlock's report shows who waits for whom" ||
		fail "wait-for lines in the JSON, not in the report: $(cat "$dead.txt")"
else
	echo "note: racelab's report of the deadlock has no wait-for lines (no live stall view here)"
fi
if jq -e '[.items[].tsan.findings[]? | select(.kind == "lock-order-inversion")] | length > 0' "$dead.json" >/dev/null; then
	grep -q "lock cycle M0 => M1 => M0" "$dead.txt" && pass "and TSan's lock cycle" || fail "no lock cycle in the report"
fi
grep -q "runs hung \[H*\]" "$dead.txt" && pass "the deadlock's report shows the hung runs" || fail "no hung runs shown"
grep -Eq "TSan \(--threads 2 --iterations [0-9]+\) ran to the end and found nothing" "$(report "O'Brien, Pat").txt" &&
	grep -q "hidden set 2: [0-2]/3 runs right .* - lost" "$(report "O'Brien, Pat").txt" &&
	pass "atomic-apart: TSan's clean run earns its points; the hidden set failed, shown by number" ||
	fail "O'Brien report: $(cat "$(report "O'Brien, Pat").txt")"
grep -q -- "--threads 3 --iterations 3000" "$work"/out1/reports/*.txt "$work"/out1/junit.xml &&
	fail "a hidden set's arguments reached a student's report" || pass "no hidden argument set in any report or junit.xml"
unexplained=$(jq -r '.items[] | select(.score < .max_score) | select([.explain[] | select(.points < .max)
	| .evidence | length > 0] | all | not) | "\(.student) lab \(.lab)"' "$work"/out1/reports/*.json)
[ -z "$unexplained" ] && pass "every lost point has its evidence" || fail "lost points without evidence: $unexplained"

# ---- 10 gradings of the partly-right code: one score each ----------------------------------
rep=$work/repeat
mkdir -p "$rep"
for k in 3 4 5 6 7 8 9 10; do
	cp -a "$class/José d’Arc" "$rep/José d’Arc $k"
	cp -a "$class/O'Brien, Pat" "$rep/O'Brien, Pat $k"
done
"$repo/scripts/grade" "$rep" --labs 3,4 --rubrics "$rubrics" --out "$work/out1" 2>"$work/repeat.log" ||
	fail "the repeated grading exited $?"
# Each grading's item of that lab (the class runs' two, out1's and out2's, and the 8 more).
for pair in "José d’Arc:3" "O'Brien, Pat:4"; do
	who=${pair%:*} lab=${pair##*:}
	scores=$(jq -r --arg who "$who" --argjson lab "$lab" '
		select(.student == $who or (.student | startswith($who + " "))) | .items[] |
		select(.lab == $lab) | "\(.score) \(.status)"' "$work"/out1/reports/*.json "$work"/out2/reports/*.json |
		sort | uniq -c)
	[ "$(printf '%s\n' "$scores" | grep -c .)" = 1 ] && [ "$(echo $scores | awk '{ print $1 }')" = 10 ] &&
		pass "$who, lab $lab, graded 10 times: one score ($(echo $scores | cut -d' ' -f2-), 10 times)" ||
		fail "$who, lab $lab: scores over 10 gradings: $(echo $scores)"
done

# ---- Gradescope: visibility from the rubric, hidden sets hidden ------------------------------
ag=$work/autograder
mkdir -p "$ag/submission" "$ag/results/racelab/.work"
cp -a "$class/O'Brien, Pat/." "$ag/submission/"
cp -a "$work/out1/.work/pristine" "$ag/results/racelab/.work/"
AUTOGRADER_ROOT=$ag "$repo/scripts/grade" --gradescope --labs 4 --rubrics "$rubrics" 2>"$work/gradescope.log" ||
	fail "gradescope mode exited $?"
r=$ag/results/results.json
[ "$(jq -c '[.tests[] | .visibility]' "$r" 2>/dev/null)" = '["visible","after_due_date"]' ] &&
	pass "Gradescope: the lab's test visible, its hidden sets' test after the due date" ||
	fail "Gradescope tests: $(jq -c '.tests' "$r" 2>/dev/null || cat "$work/gradescope.log")"
grep -q -- "--threads 3 --iterations 3000" "$r" && fail "Gradescope output shows a hidden set's arguments" ||
	pass "Gradescope output does not show the hidden set's arguments"
[ "$(jq '.score' "$r")" = 60 ] && pass "Gradescope score 60, as in the class run" || fail "Gradescope score $(jq '.score' "$r")"

echo "$fails failure(s); evidence in $work"
[ "$fails" = 0 ]
