#!/bin/sh
# expect.sh: runs a command and checks its exit status and output.
# usage: expect.sh STATUS STDOUT_REGEXES STDERR_REGEX -- COMMAND [ARGS...]
# STATUS: the exit status wanted, or alternatives joined by "|" ("1|5").
# STDOUT_REGEXES: one or more regexes joined by " && ", each to match some line.
# An empty regex matches anything. Prints what it saw when something does not hold.
set -u
want_status=$1 out_re=$2 err_re=$3
shift 4
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
status=$?
fail=0
# STATUS may list alternatives, "1|5": e.g. a verdict or "too busy to judge" (5)
case "|$want_status|" in
*"|$status|"*) ;;
*) echo "exit status $status, wanted $want_status"; fail=1 ;;
esac
rest=$out_re
while [ -n "$rest" ]; do
	re=${rest%% && *}
	case $rest in *" && "*) rest=${rest#* && } ;; *) rest= ;; esac
	grep -Eq -- "$re" "$out" || { echo "stdout lacks /$re/"; fail=1; }
done
[ -z "$err_re" ] || grep -Eq -- "$err_re" "$err" || { echo "stderr lacks /$err_re/"; fail=1; }
if [ $fail = 1 ]; then
	echo "--- command: $*"; echo "--- stdout:"; head -c 4000 "$out"; echo "--- stderr:"; head -c 4000 "$err"
fi
exit $fail
