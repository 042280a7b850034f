#!/bin/sh
# broken_edit.sh SOURCE_DIR: `make lab3` in a copy of the tree (the real one is never
# touched), as a student meets it:
# 1. an edit that does not compile: exit 2, the compiler's error with file:line, no run,
#    no verdict (never the previous build's);
# 2. a correct fix (the mutex solution in the lab's place): exit 0, "looks fixed";
# 3. the racy lab again: the bug shows, and make fails naming racelab's status 1.
set -u
src=$1
work=$(mktemp -d /tmp/racelab-broken.XXXXXX)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok:   $*"; }
lab=labs/03-lost-update/lost_update.c

# make_lab3 NAME: make lab3 in the copy; output in $work/NAME.out and .err; sets status.
make_lab3() {
	status=0
	t0=$(date +%s%N)
	make -C "$work/tree" --no-print-directory lab3 BUILD="$work/build" >"$work/$1.out" \
		2>"$work/$1.err" </dev/null || status=$?
	echo "      make lab3 ($1): $((($(date +%s%N) - t0) / 1000000)) ms"
}
show() { sed 's/^/    /' "$work/$1.out" "$work/$1.err" | tail -25; }
has() { grep -Eq -- "$3" "$work/$1.$2" && pass "$4" || { fail "$4: $1.$2 lacks /$3/"; show "$1"; }; }
lacks() { grep -Eq -- "$3" "$work/$1.$2" && { fail "$4: $1.$2 has /$3/"; show "$1"; } || pass "$4"; }

mkdir -p "$work/tree"
for item in CMakeLists.txt Makefile cmake labkit harness labs solutions scripts tests; do
	cp -r "$src/$item" "$work/tree/"
done
cp "$work/tree/$lab" "$work/racy.c"
# Fewer, shorter runs (the copy's manifest is ours to change).
sed -i 's/^runs .*/runs = 5/; s/^args .*/args = --threads 2 --iterations 200000/;
	s/^compare_args .*/compare_args = --threads 2 --iterations 100000/' \
	"$work/tree/labs/03-lost-update/lab.manifest"

# 1. A syntax error appended to the lab.
printf 'int broken(void) { return 0 }\n' >>"$work/tree/$lab"
make_lab3 broken
[ "$status" = 2 ] && pass "a broken edit: exit 2" || { fail "a broken edit: exit $status"; show broken; }
has broken err "^$lab:[0-9]+:[0-9]+: error: " "the compiler's error, file:line relative to the tree"
has broken err "racelab: lab3: the build failed: nothing was run" "says nothing was run"
lacks broken out "Verdict|Plain runs|ThreadSanitizer" "no runs, no verdict"
lacks broken err "^\\[[0-9]+/[0-9]+\\]|^FAILED:|-o [^ ]+\\.o -c " "no build-system noise"

# 2. A correct fix.
cp "$src/solutions/03-lost-update/mutex.c" "$work/tree/$lab"
make_lab3 fixed
if [ "$status" = 2 ] && grep -q '^Verdict: inconclusive: the machine is too busy' "$work/fixed.out"; then
	# Honest on a busy machine: a fix is never called "looks fixed" while others take the
	# CPUs (a bug may hide); what must not happen is "bug shown".
	has fixed err "Error 5$" "a fixed lab on a busy machine: make names racelab's status 5"
	lacks fixed out "^Verdict: bug shown" "a fixed lab on a busy machine: no bug claimed"
else
	[ "$status" = 0 ] && pass "a fixed lab: exit 0" || { fail "a fixed lab: exit $status"; show fixed; }
	has fixed out "^Verdict: looks fixed" "a fixed lab: looks fixed"
fi

# 3. The racy lab.
cp "$work/racy.c" "$work/tree/$lab"
make_lab3 racy
[ "$status" = 2 ] && pass "the racy lab: make fails (exit 2)" ||
	{ fail "the racy lab: exit $status, wanted make's 2"; show racy; }
has racy out "^Verdict: bug shown" "the racy lab: bug shown"
has racy err "lab3\\] Error 1$" "make names racelab's status 1"

echo "$fails failure(s)"
[ "$fails" = 0 ]
