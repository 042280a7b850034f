#!/usr/bin/env bash
# handout.sh: scripts/make-handout writes a tree without solutions/ or grading/, in which
# `make lab3` builds and runs lab 3 (the bug shows: make fails with "Error 1"), and
# `racelab run lab3 --quiet` tells a fixed lab from a racy one by its exit status.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d /tmp/racelab-handout.XXXXXX)}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok:   $*"; }

h=$work/handout
"$repo/scripts/make-handout" "$h" --force
[ ! -e "$h/solutions" ] && [ ! -e "$h/grading" ] && [ ! -e "$h/scripts/grade" ] &&
	pass "no solutions/, grading/ or grading scripts" || fail "the handout leaks grading material"
grep -rq 'hidden' "$h/labs" 2>/dev/null && fail "a hidden argument set in labs/" ||
	pass "no rubric text in labs/"
grep -rlE -- 'solutions/|--solution' "$h/labs" >"$work/pointers" 2>/dev/null &&
	fail "lab texts still send students to removed solutions: $(tr '\n' ' ' <"$work/pointers")" ||
	pass "no lab text or source points at solutions/ or --solution"
grep -q 'Your instructor has the reference solutions.' "$h/labs/03-lost-update/README.md" &&
	grep -q 'Эталонные решения есть у преподавателя.' "$h/labs/03-lost-update/README.ru.md" &&
	grep -q 'versions are with your instructor' "$h/labs/03-lost-update/lost_update.c" &&
	pass "they say the instructor has the reference solutions" || fail "no instructor sentence"
# The racy lab: the bug shows, so make fails with racelab's status 1 ("Error 1").
if (cd "$h" && make lab3 >"$work/make-lab3.log" 2>&1); then
	fail "make lab3 exited 0 on the racy lab"
elif grep -q 'lab3\] Error 1$' "$work/make-lab3.log"; then pass "make lab3 runs: bug shown (Error 1)"
else fail "make lab3 failed: $(tail -3 "$work/make-lab3.log")"; fi
grep -q 'Verdict' "$work/make-lab3.log" && pass "make lab3 prints a verdict" ||
	fail "no verdict from make lab3"
status=0
"$h/build/bin/racelab" run lab3 --quiet >"$work/racy.txt" 2>&1 || status=$?
[ "$status" = 1 ] && pass "the racy lab: exit 1, $(cat "$work/racy.txt")" ||
	fail "the racy lab: exit $status, wanted 1"
cp "$repo/solutions/03-lost-update/atomic.c" "$h/labs/03-lost-update/lost_update.c"
(cd "$h" && make lab3 >"$work/make-fixed.log" 2>&1) || true
status=0
"$h/build/bin/racelab" run lab3 --quiet >"$work/fixed.txt" 2>&1 || status=$?
# Exit 5: the machine was too busy to call it fixed (README, "A busy machine is not a hang").
if [ "$status" = 0 ]; then pass "a fixed lab: exit 0, $(cat "$work/fixed.txt")"
elif [ "$status" = 5 ] && grep -q '^inconclusive: the machine is too busy' "$work/fixed.txt"; then
	pass "a fixed lab on a busy machine: exit 5, $(cat "$work/fixed.txt")"
else fail "a fixed lab: exit $status ($(cat "$work/fixed.txt")), wanted 0 (or 5: too busy)"; fi
echo "$fails failure(s)"
[ "$fails" = 0 ]
