#!/bin/sh
# ptrace_refused.sh RACELAB PROGRAM: gdb's attach is refused, as Yama's ptrace_scope refuses
# it on Ubuntu. This kernel may have no Yama, so gdb runs as another unprivileged user
# (nobody): the kernel then refuses the attach the same way. racelab must still call the
# run deadlocked and name the cycle (from /proc and the program's symbol table), and say
# why gdb could not add file:line; under ptrace_scope 2 and 3 it must say what the setting
# means and what to do.
set -u
racelab=$1 program=$2
[ "$(id -u)" = 0 ] || { echo "skipped: needs root to run gdb as another user"; exit 77; }
command -v setpriv >/dev/null || { echo "skipped: setpriv is missing (util-linux)"; exit 77; }
[ -x /usr/bin/gdb ] || { echo "skipped: gdb is missing"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/gdb "$@"\n' \
	>"$dir/gdb"
chmod 755 "$dir/gdb"
here=$(dirname "$0")
fail=0
RACELAB_GDB=$dir/gdb RACELAB_PTRACE_SCOPE=0 "$here/expect.sh" 1 \
	"HANG 2  && gdb could not attach to process [0-9]+ \(ptrace: Operation not permitted\): no file:line\)$ && deadlock: T[12] waits for mutex 'lock_(a|b)', held by T[12], which waits for mutex 'lock_(a|b)', held by T[12]" \
	"" -- "$racelab" run --exec --no-tsan -- "$program" || fail=1
RACELAB_GDB=$dir/gdb RACELAB_PTRACE_SCOPE=2 "$here/expect.sh" 1 \
	"gdb could not attach to process [0-9]+ \(ptrace: Operation not permitted\): no file:line; kernel.yama.ptrace_scope = 2: only root may attach a debugger \(or read where a thread waits\); run racelab with sudo && deadlock: T[12] waits" \
	"" -- "$racelab" run --exec --no-tsan -- "$program" || fail=1
# Under 3 nobody may attach: gdb is not even started.
RACELAB_PTRACE_SCOPE=3 "$here/expect.sh" 1 \
	"HANG 2  && gdb not started: kernel.yama.ptrace_scope = 3: no process, not even root, may attach && deadlock: T[12] waits" \
	"" -- "$racelab" run --exec --no-tsan -- "$program" || fail=1
exit $fail
