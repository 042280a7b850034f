#!/usr/bin/env bash
# lib.sh: the grader's pure parts without a sandbox (a few seconds, no root): identity
# keys and collisions, rubric checks, archive listings, and the scoring and reports
# (grading/set.jq, score.jq, report-text.jq, gradescope.jq, csv.jq) on racelab reports
# captured from real gradings (tests/grading/fixtures).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
fx=$repo/tests/grading/fixtures
work=${1:-$(mktemp -d /tmp/racelab-gradelib.XXXXXX)}
mkdir -p "$work"
command -v jq >/dev/null || { echo "skipped: jq is not installed"; exit 77; }
. "$repo/grading/lib.sh"
# manifest_get asks racelab (the build's, given by CTest; else the default build folder).
GRADE_RACELAB=${GRADE_RACELAB:-$repo/build/bin/racelab}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok:   $*"; }
check() { # check WHAT COMMAND...: passes when COMMAND succeeds
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# ---- identity --------------------------------------------------------------------------
names=("Иван Петров" "Анна Орлова" "José d’Arc" "O'Brien, Pat" 'say "hi"' ".hidden" "-rf"
	"alice" "Anna" "anna" "$(printf 'Jos\xc3\xa9')" "$(printf 'Jose\xcc\x81')")
declare -A seen=()
for n in "${names[@]}"; do
	k=$(student_key "$n")
	[[ $k =~ ^[^./-][^/]*$ ]] && [[ $k != *[\ \'\",\$\`]* ]] || fail "key of '$n' is not a safe file name: '$k'"
	[ -z "${seen[$k]:-}" ] || fail "'$n' and '${seen[$k]}' share the key $k"
	seen[$k]=$n
	[ "$(student_key "$n")" = "$k" ] || fail "the key of '$n' changes between calls"
done
pass "${#names[@]} names (Cyrillic, accents, apostrophes, commas, quotes, equal after folding): distinct safe keys"
[[ $(student_key "Иван Петров") == Иван_Петров-* ]] && pass "the key keeps the readable name: $(student_key "Иван Петров")" ||
	fail "key of Иван Петров: $(student_key "Иван Петров")"
[ "$(student_name "/x/Анна Орлова.zip")" = "Анна Орлова" ] && [ "$(student_name "/x/O'Brien, Pat/")" = "O'Brien, Pat" ] &&
	pass "the identity is the entry's exact name without .zip or a trailing /" || fail "student_name"

clash=$(printf '%s\0' /c/alice /c/alice.zip /c/Anna /c/anna "/c/Иван Петров" "/c/Анна Орлова" \
	"/c/$(printf 'Jos\xc3\xa9')" "/c/$(printf 'Jose\xcc\x81').tgz" /c/bob | student_collisions)
[ "$(printf '%s\n' "$clash" | grep -c .)" = 3 ] && grep -q '"alice" | "alice.zip"' <<<"$clash" &&
	grep -q '"Anna" | "anna"' <<<"$clash" && ! grep -q 'Иван' <<<"$clash" &&
	pass "collisions: folder and zip of one name, case, NFC vs NFD; Иван/Анна are distinct" ||
	fail "student_collisions said: $clash"
[ -z "$(printf '%s\0' "/c/Иван Петров" "/c/Анна Орлова" | student_collisions)" ] &&
	pass "no collision reported for distinct names" || fail "a false collision"

# ---- rubrics ---------------------------------------------------------------------------
printf 'runs = 3\ncorect_points = 40   # typo\nbuild_points = ten\nvisibility = later\n' >"$work/bad.rubric"
out=$(rubric_check "$work/bad.rubric" 2>&1) && fail "a bad rubric passed" || true
grep -q "bad.rubric:2: unknown key 'corect_points'" <<<"$out" && pass "unknown key named with its line" ||
	fail "unknown key message: $out"
grep -q "bad.rubric:3: build_points = 'ten': not a number" <<<"$out" && grep -q 'bad.rubric:4: visibility' <<<"$out" &&
	pass "bad number and bad visibility named with their lines" || fail "value messages: $out"
check "the shipped and the test rubrics pass" rubrics_check "$repo/grading/rubrics"
check "the test rubrics pass" rubrics_check "$repo/tests/grading/rubrics"
mkdir -p "$work/only-lab4" && printf 'runs = 2\n' >"$work/only-lab4/lab04.rubric"
[ "$(rubric_for "$work/only-lab4" 04)" = "$work/only-lab4/lab04.rubric" ] &&
	[ "$(rubric_for "$work/only-lab4" 03)" = "$repo/grading/rubrics/default.rubric" ] &&
	pass "a rubrics folder without default.rubric falls back to the built-in default" || fail "rubric_for fallback"
[ "$(rubric_get "$work/only-lab4/lab04.rubric" tsan_points)" = 40 ] && pass "missing keys take the built-in default" ||
	fail "rubric_get default"
printf 'args = manifest\nargs = compare\nhidden_args = --threads 7\n' >"$work/sets.rubric"
[ "$(rubric_sets "$work/sets.rubric" "$repo/labs/04-check-then-act/lab.manifest" | cut -f1 | tr '\n' ' ')" = "visible visible hidden " ] &&
	pass "hidden_args sets are marked hidden" || fail "rubric_sets"
# "manifest" and "compare" are the lab's args as racelab reads them (lab 3 has compare_args,
# lab 4 has none: compare is its args).
m3=$repo/labs/03-lost-update/lab.manifest m4=$repo/labs/04-check-then-act/lab.manifest
[ "$(rubric_sets "$work/sets.rubric" "$m3" | cut -f2 | head -2 | tr '\n' '|')" = "$("$GRADE_RACELAB" manifest "$m3" args)|$("$GRADE_RACELAB" manifest "$m3" compare_args)|" ] &&
	[ "$(rubric_sets "$work/sets.rubric" "$m4" | cut -f2 | sed -n 2p)" = "$(sed -n 's/^args *= *//p' "$m4")" ] &&
	pass "rubric_sets resolves manifest and compare through racelab" || fail "rubric_sets: $(rubric_sets "$work/sets.rubric" "$m3")"
[ "$(manifest_get "$m3" runs)" = 20 ] && [ "$(manifest_get "$m3" solutions)" = "mutex atomic" ] &&
	pass "manifest_get asks racelab" || fail "manifest_get: $(manifest_get "$m3" runs 2>&1)"

# ---- archives --------------------------------------------------------------------------
if command -v python3 >/dev/null && command -v zipinfo >/dev/null; then
	python3 - "$work" <<'EOF'
import sys, zipfile
w = sys.argv[1]
with zipfile.ZipFile(w + "/writestr.zip", "w") as z:        # no Unix mode bits at all
    z.writestr("labs/03-lost-update/lost_update.c", "int main(void) { return 0; }\n")
with zipfile.ZipFile(w + "/link.zip", "w") as z:            # a symlink entry
    i = zipfile.ZipInfo("labs/03-lost-update/lost_update.c")
    i.create_system = 3
    i.external_attr = 0o120777 << 16
    z.writestr(i, "/etc/passwd")
with zipfile.ZipFile(w + "/climb.zip", "w") as z:           # a path out of the tree
    z.writestr("labs/../../escape.c", "x")
EOF
	check "a zip written by Python's zipfile.writestr is accepted" archive_check "$work/writestr.zip"
	why=$(archive_check "$work/link.zip") && fail "a zip holding a symlink passed" ||
		{ [[ $why == *link* ]] && pass "a zip holding a symlink is refused: $why" || fail "symlink zip: $why"; }
	why=$(archive_check "$work/climb.zip") && fail "a zip with ../ passed" || pass "a zip with ../ is refused: $why"
else
	echo "note: python3 or zipinfo missing: archive checks skipped"
fi

# ---- scoring ---------------------------------------------------------------------------
# set FIXTURE ARGS HIDDEN [JQ]: one set's line (grading/set.jq), JQ applied to the report.
set_line() {
	jq "${4:-.}" "$fx/$1" | jq -c --arg args "$2" --argjson hidden "$3" --argjson status 1 --arg src /grade/src/ \
		--arg limit none -f "$repo/grading/set.jq"
}
# item SETS_FILE: the item JSON (grading/score.jq) with the default rubric's points.
item() {
	jq -n --arg student "Иван Петров" --argjson lab 3 --arg folder 03-lost-update --arg built yes \
		--arg limit none --argjson seconds 1 --arg errors "" --arg files labs/03-lost-update/lost_update.c \
		--arg rubric default.rubric --argjson ref null --argjson tsan_public true \
		--argjson p_build 10 --argjson p_correct 40 --argjson p_tsan 40 --argjson p_hang 10 \
		--argjson p_speed 0 --argjson speed_min 0.8 --arg speed_metric wall_s \
		--slurpfile sets "$1" -f "$repo/grading/score.jq"
}
set_line lab03-racy-read.json "--threads 2 --iterations 1000000" false >"$work/racy.jsonl"
item "$work/racy.jsonl" >"$work/racy.json"
[ "$(jq -c '[.status, .score, .points]' "$work/racy.json")" = '["racy",60,{"build":10,"correct":40,"tsan":0,"no_hang":10}]' ] &&
	pass "racy but right: racy 60 (TSan's points lost)" || fail "racy item: $(jq -c '[.status, .score, .points]' "$work/racy.json")"
jq -e '.explain[] | select(.item == "tsan") | .evidence | join(" ") |
	test("data race on .counter.: write at lost_update.c:28 .* vs read at lost_update.c:29")' "$work/racy.json" >/dev/null &&
	pass "the TSan finding is shown with both accesses' file:line" || fail "TSan evidence: $(jq -c '.explain' "$work/racy.json")"

# The same clean TSan run whose own result was right, wrong, or exited badly: one score.
# (Today's flip: an atomic balance checked apart from the withdrawal scored 20 or 60.)
scores=
for class in OK SYMPTOM ERROR; do
	set_line lab03-racy-read.json "--threads 2" false \
		".experiments[0].tsan.findings = [] | .experiments[0].tsan.class = \"$class\"" >"$work/flip.jsonl"
	scores+="$(item "$work/flip.jsonl" | jq -c '[.status, .score]') "
done
[ "$scores" = '["ok",100] ["ok",100] ["ok",100] ' ] &&
	pass "TSan points come from its findings only: the TSan run's own result does not flip them" ||
	fail "scores by the TSan run's class: $scores"
set_line lab03-racy-read.json "--threads 2" false \
	'.experiments[0].tsan.findings = [] | .experiments[0].tsan.class = "HANG"' >"$work/tsanhang.jsonl"
[ "$(item "$work/tsanhang.jsonl" | jq -c '[.status, .points.tsan, .points.no_hang]')" = '["hung",0,0]' ] &&
	pass "a TSan run that hangs earns no TSan points (no verdict), status hung" || fail "TSan hang"

set_line lab05-deadlock.json "--threads 2" false '.experiments[0].plain.runs |= .[0:1] |
	.experiments[0].plain.counts = {"OK":0,"SYMPTOM":0,"CRASH":0,"HANG":1,"ERROR":0} |
	.experiments[0].tsan = (.experiments[0].tsan | .ran = false | .findings = [] | .args = "" |
	.error = "not run: a plain run hung or was killed by a limit (--fail-fast)")' >"$work/ff.jsonl"
item "$work/ff.jsonl" | jq -e '.status == "hung" and .points.tsan == 0 and
	(.explain[] | select(.item == "tsan") | .evidence[0] | test("not run: a plain run hung"))' >/dev/null &&
	pass "TSan skipped by --fail-fast after a hang: hung, no TSan points, said why (not a grader error)" ||
	fail "fail-fast item: $(item "$work/ff.jsonl" | jq -c '[.status, .explain]')"

# A deadlock, as a hidden set after a visible one: wait-for lines and TSan's lock cycle.
{
	set_line lab03-racy-read.json "--threads 2 --iterations 1000000" false \
		'.experiments[0].tsan.findings = [] | .experiments[0].tsan.class = "OK"'
	set_line lab05-deadlock.json "--threads 2 --accounts 9 --iterations 777" true '.experiments[0].tsan.wanted = false'
} >"$work/dead.jsonl"
item "$work/dead.jsonl" >"$work/dead.json"
[ "$(jq -c '[.status, .points.correct, .points.no_hang]' "$work/dead.json")" = '["hung",20,0]' ] &&
	pass "a set that deadlocks: hung, its share of correct and no_hang lost" || fail "deadlock: $(jq -c '.points' "$work/dead.json")"
jq -s '{ student: .[0].student, key: "k", note: null, score: .[0].score, max_score: .[0].max_score, items: . }' \
	"$work/dead.json" >"$work/report.json"
jq -r -f "$repo/grading/report-text.jq" "$work/report.json" >"$work/report.txt"
grep -q "waits for mutex 'accounts' (held by thread" "$work/report.txt" && pass "the report shows the wait-for cycle" ||
	fail "no wait-for lines in the report"
grep -q "hidden set 2: 0/3 runs right \[HHH\]" "$work/report.txt" && pass "the report says the hidden set failed" ||
	fail "hidden set result missing"
grep -q -- "--accounts 9\|777" "$work/report.txt" && fail "the report shows a hidden set's arguments" ||
	pass "the report does not show the hidden set's arguments"
grep -q "set 1 (--threads 2 --iterations 1000000): 3/3 runs right \[...\]: counter expected 2000000, observed 2000000 x3" \
	"$work/report.txt" && pass "a visible set shows observed vs expected and the run strip" || fail "visible set line"
jq --argjson t 1 --rawfile text "$work/report.txt" \
	--argjson vis '{"3": {"visibility": "visible", "hidden_visibility": "after_due_date"}}' \
	-f "$repo/grading/gradescope.jq" "$work/report.json" >"$work/results.json"
[ "$(jq -c '[.tests[] | [.visibility, .score, .max_score]]' "$work/results.json")" = '[["visible",70,80],["after_due_date",0,20]]' ] &&
	pass "Gradescope: the hidden sets are their own test, visible after the due date" ||
	fail "Gradescope tests: $(jq -c '[.tests[] | [.name, .visibility, .score, .max_score]]' "$work/results.json")"
grep -q -- "--accounts 9\|777" "$work/results.json" && fail "Gradescope output shows a hidden set's arguments" ||
	pass "Gradescope outputs do not show the hidden set's arguments"

# ---- class files: names kept exactly -----------------------------------------------------
for n in "Иван Петров" "O'Brien, Pat" 'say "hi"'; do
	jq --arg s "$n" '.student = $s | .items[].student = $s' "$work/report.json"
done >"$work/reports.json"
jq -rs -f "$repo/grading/csv.jq" "$work/reports.json" >"$work/grades.csv"
grep -qx '"Иван Петров",70,"hung",70,100' "$work/grades.csv" && grep -qx '"O'"'"'Brien, Pat",70,"hung",70,100' "$work/grades.csv" &&
	grep -qx '"say ""hi""",70,"hung",70,100' "$work/grades.csv" && pass "grades.csv keeps names exactly (quoted)" ||
	fail "grades.csv: $(cat "$work/grades.csv")"
jq -rs -f "$repo/grading/junit.jq" "$work/reports.json" | grep -q 'testsuite name="say &quot;hi&quot;"' &&
	pass "junit.xml escapes names" || fail "junit.xml names"

echo "$fails failure(s)"
[ "$fails" = 0 ]
