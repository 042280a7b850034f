#!/usr/bin/env bash
# hostile.sh: grades a class of synthetic lab 3 submissions, hostile ones among them, and
# checks that each attack was contained, the run completed, and every other grade holds.
# usage: tests/grading/hostile.sh [WORK_DIR]   (root; bubblewrap; ~1-2 minutes)
set -euo pipefail
[ "$EUID" = 0 ] && command -v bwrap >/dev/null || { echo "skipped: needs root and bubblewrap"; exit 77; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d /tmp/racelab-hostile.XXXXXX)}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok:   $*"; }

rm -rf "$work/class" "$work/probe"
mkdir -p "$work/probe"
echo "secret" >"$work/probe/secret"
chmod 755 "$work/probe"; chmod 644 "$work/probe/secret"
port=$((20000 + $$ % 20000))
cc -o "$work/listener" "$repo/tests/grading/listener.c"
: >"$work/accepted"
"$work/listener" "$port" "$work/accepted" &
listener=$!
trap 'kill $listener 2>/dev/null || true' EXIT
sleep 0.2
# The listener really answers outside the box (else the network test could not fail).
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then sleep 0.2; : >"$work/accepted"; else
	fail "the host listener on port $port does not answer"; fi

"$repo/tests/grading/make-class.sh" "$work/class" "$work/probe" "$port"
n=$(find "$work/class" -mindepth 1 -maxdepth 1 ! -name '.*' | wc -l)
"$repo/scripts/grade" "$work/class" --labs 3 --out "$work/out" \
	--rubrics "$repo/tests/grading/rubrics" --jobs "${GRADE_TEST_JOBS:-2}" 2>"$work/grade.log" ||
	fail "scripts/grade exited $?"

. "$repo/grading/lib.sh"
report() { echo "$work/out/reports/$(student_key "$1")"; } # report STUDENT: its path, no suffix
status() { jq -r '.items[0].status' "$(report "$1").json" 2>/dev/null || echo no-report; }
score() { jq -r '.items[0].score' "$(report "$1").json" 2>/dev/null || echo no-report; }
expect() { # expect STUDENT STATUS-REGEX WHAT
	local s
	s=$(status "$1")
	if [[ $s =~ ^($2)$ ]]; then pass "$1: $s ($3)"; else fail "$1: status $s, wanted $2 ($3)"; fi
}

expect good-atomic ok "a correct fix"
expect good-mutex ok "a correct fix"
[ "$(score good-atomic)" = 100 ] || fail "good-atomic scored $(score good-atomic), not 100"
expect untouched missing "an empty folder: nothing to grade"
expect racy-copy 'wrong|racy' "the lab copied back"
expect compile-error build-failed "a compile error"
expect not-c build-failed "a file that is not C"
expect fork-bomb 'hung|killed|wrong|crashed' "a fork bomb"
expect infinite-loop 'hung|killed' "an infinite loop"
expect memory-hog 'killed|hung' "a memory hog (hung: the OOM kill came after the run's timeout)"
expect output-flood ok "an output flood, then a correct result"
expect ignores-sigterm 'hung|killed' "a process that ignores SIGTERM"
expect setsid-daemon ok "a setsid daemon (the lab itself is correct)"
expect write-outside ok "writing outside the scratch folder (abort() had it worked)"
expect read-other ok "reading another student's submission (abort() had it worked)"
expect network ok "connecting to the host's 127.0.0.1 (abort() had it worked)"
expect traversal build-failed "an archive with ../"
expect symlink-zip build-failed "a zip holding a symlink"
expect packed-tgz ok "a .tar.gz submission"
expect packed-zip ok "a .zip submission"

[ ! -e "$work/probe/escaped" ] && [ ! -e "$work/probe/escaped2" ] &&
	pass "nothing was written outside the box" || fail "a file escaped into $work/probe"
[ ! -e "$work/escape.c" ] && [ ! -e "$work/out/.work/unpack/escape.c" ] &&
	pass "the ../ archive member went nowhere" || fail "the ../ archive member was written"
[ ! -s "$work/accepted" ] && pass "no connection reached the host" ||
	fail "the host listener accepted a connection from a box"
pgrep -x rl-daemon-t >/dev/null && fail "the setsid daemon is still running" ||
	pass "the setsid daemon is gone"
ps -eo user:32= | grep -q "^racelab-grader" && fail "processes of a grader user are left" ||
	pass "no process of the grader user is left"
grep -q 'submission refused' "$(report traversal).txt" &&
	pass "the refused archive's report says why" || fail "traversal report lacks the reason"
grep -q 'error' "$(report compile-error).txt" &&
	pass "the compile error's report shows it" || fail "compile-error report lacks the error"

rows=$(($(wc -l <"$work/out/grades.csv") - 1))
[ "$rows" = "$n" ] && pass "grades.csv has a row for each of $n submissions" ||
	fail "grades.csv has $rows rows for $n submissions"
jq -e . "$work/out/autolab.jsonl" >/dev/null && xmllint_ok=yes || fail "autolab.jsonl is not JSON"
grep -c '<testcase' "$work/out/junit.xml" | grep -qx "$n" && pass "junit.xml has $n test cases" ||
	fail "junit.xml does not have $n test cases"
ls "$work/out/.work/scratch" 2>/dev/null | grep -q . && fail "scratch folders were left" ||
	pass "no scratch folder is left"

echo "$fails failure(s); evidence in $work/out/reports/ and $work/grade.log"
[ "$fails" = 0 ]
