#!/bin/sh
# other_compiler_tsan.sh RACELAB CC SOURCE_DIR: the ABBA deadlock built as a TSan build by
# the compiler the tree was not built with (gcc's runtime differs from clang's: its
# background thread, its interceptor frames), then run through racelab run --exec: the
# cycle is named in the plain runs and in the TSan run alike. (Its lost wake-up is checked
# on a captured fixture in tests/unit/test_hang.c.)
set -u
racelab=$1 cc=$2 src=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
command -v "$cc" >/dev/null &&
	"$cc" -g -O1 -fsanitize=thread "$src/abba_deadlock.c" -o "$dir/abba" 2>/dev/null ||
	{ echo "skipped: $cc cannot build with -fsanitize=thread here"; exit 77; }
here=$(dirname "$0")
"$here/expect.sh" 1 "HANG 2  && waits for mutex 'lock_b' \(held by T[12]\) && waits for mutex 'lock_a' \(held by T[12]\) && the TSan run deadlocked && TSan: the run deadlocked" \
	"" -- "$racelab" run --exec -- "$dir/abba"
status=$?
exit $status
