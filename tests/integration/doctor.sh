#!/bin/sh
# doctor.sh: `racelab doctor` on this machine, then with PATH stripped to fake a machine
# without the tools: exit 1 and the Debian package of each missing piece, or exit 0 when
# only optional pieces are missing.
# usage: doctor.sh RACELAB
set -u
racelab=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "doctor.sh: $*"; cat "$tmp/out"; exit 1; }

"$racelab" doctor >"$tmp/out" 2>&1
status=$?
if [ $status != 0 ]; then
	echo "doctor.sh: SKIP: this machine lacks something make labN needs:"; cat "$tmp/out"
	exit 77
fi
grep -q "The student's path works" "$tmp/out" || fail "no closing line"

# Nothing on PATH: every tool is missing, and each names its package.
mkdir "$tmp/empty"
env PATH="$tmp/empty" "$racelab" doctor >"$tmp/out" 2>&1
[ $? = 1 ] || fail "stripped PATH: wanted exit 1"
for want in "apt-get install clang libclang-rt-14-dev" "apt-get install gcc libtsan2" \
	"apt-get install cmake" "apt-get install make" "apt-get install gdb" \
	"apt-get install valgrind" "apt-get install bubblewrap" "apt-get install jq" \
	"apt-get install parallel" "(make labN needs it)"; do
	grep -qF "$want" "$tmp/out" || fail "stripped PATH: no '$want'"
done

# Everything but the optional tools: still exit 0, and the gaps are named.
mkdir "$tmp/bin"
for dir in /usr/local/bin /usr/bin /bin; do
	ln -s "$dir"/* "$tmp/bin/" 2>/dev/null # the first of two same names wins
done
(cd "$tmp/bin" && rm -f gdb valgrind jq parallel bwrap)
env PATH="$tmp/bin" "$racelab" doctor >"$tmp/out" 2>&1
[ $? = 0 ] || fail "optional tools missing: wanted exit 0"
for want in "apt-get install gdb" "apt-get install valgrind" "apt-get install jq"; do
	grep -qF "$want" "$tmp/out" || fail "optional tools missing: no '$want'"
done

# --quick: only the rows make labN needs.
"$racelab" doctor --quick >"$tmp/out" 2>&1 || fail "--quick: wanted exit 0"
! grep -q "^valgrind" "$tmp/out" || fail "--quick printed the valgrind row"
echo "doctor.sh: ok"
