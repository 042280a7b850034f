#!/bin/sh
# ptracer_declared.sh RACELAB PROGRAM: under Yama ptrace_scope 1, racelab's children name
# racelab their ptracer (prctl PR_SET_PTRACER) before exec, so that gdb, racelab's child, may
# attach. This kernel may have no Yama (the prctl then fails with EINVAL, harmlessly), so
# strace shows the call: RACELAB_PTRACE_SCOPE stands in for /proc/sys/kernel/yama. Under
# scope 0 no child makes the call.
set -u
racelab=$1 program=$2
command -v strace >/dev/null || { echo "skipped: strace is missing (apt-get install strace)"; exit 77; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
fail=0
for scope in 1 0; do
	RACELAB_PTRACE_SCOPE=$scope strace -f -qq -e trace=execve,prctl -e signal=none -o "$log" \
		"$racelab" run --exec --runs 1 --no-tsan -- "$program" >/dev/null 2>&1
	racelab_pid=$(awk 'NR == 1 { print $1 }' "$log")
	declared=$(grep -Ec "^[0-9]+ +prctl\(PR_SET_PTRACER, $racelab_pid[,)]" "$log")
	by_racelab=$(grep -Ec "^$racelab_pid +prctl\(PR_SET_PTRACER" "$log")
	if [ "$scope" = 1 ] && { [ "$declared" -lt 1 ] || [ "$by_racelab" != 0 ]; }; then
		echo "scope 1: no child named racelab ($racelab_pid) its ptracer"; fail=1
	fi
	if [ "$scope" = 0 ] && [ "$declared" != 0 ]; then
		echo "scope 0: a child called PR_SET_PTRACER for nothing"; fail=1
	fi
	[ $fail = 0 ] || { echo "--- strace log:"; head -c 3000 "$log"; exit 1; }
done
echo "scope 1: the child named racelab ($racelab_pid) its ptracer; scope 0: no call"
