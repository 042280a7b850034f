#!/usr/bin/env bash
# lab_leftovers.sh PROGRAM [ARGS...]: a networked lab (13, 14, 15) leaves nothing behind,
# whether its run ends or is killed midway: no process of its group, no listening socket
# of its own. Its servers and clients are threads of the one process, on 127.0.0.1.
set -u
fail() { echo "FAIL: $*"; exit 1; }

# check PID PGID: nothing of the run is left.
check() {
	sleep 0.1
	local left
	left=$(ps -eo pgid=,stat=,args= | awk -v g="$2" '$1 == g && $2 !~ /^Z/' || true)
	[ -z "$left" ] || fail "left running: $left"
	[ -z "$(ss -Hltnp 2>/dev/null | grep "pid=$1,")" ] || fail "pid $1 still listening"
}

# A whole run.
setsid "$@" >/dev/null 2>&1 &
pid=$!
wait "$pid" || fail "$* exited $?"
check "$pid" "$pid"
echo "a whole run: nothing left"

# Killed midway, three times at different moments.
for delay in 0.02 0.05 0.1; do
	setsid "$@" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	check "$pid" "$pid"
done
echo "killed midway (3 times): nothing left"
