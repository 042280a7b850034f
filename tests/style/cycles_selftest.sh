#!/bin/sh
# cycles_selftest.sh: cycles.sh finds a planted cycle (of calls, of includes) and passes
# the same files once the dependency runs one way. usage: cycles_selftest.sh CC
set -eu
cc=$1
here=$(cd "$(dirname "$0")" && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/harness" "$t/obj"
plant() { # plant A_CALLS_B B_CALLS_A B_INCLUDES_A
	printf '#include "b.h"\nint a(void) { return %s; }\n' "$1" >"$t/harness/a.c"
	printf '%s\nint a(void);\nint b(void) { return %s; }\n' "$3" "$2" >"$t/harness/b.c"
	printf 'int b(void);\n' >"$t/harness/b.h"
	printf 'int a(void);\n' >"$t/harness/a.h"
	"$cc" -c "$t/harness/a.c" -o "$t/obj/a.c.o"
	"$cc" -c "$t/harness/b.c" -o "$t/obj/b.c.o"
}
check() { # check WANT(pass|fail) WHAT
	if "$here/cycles.sh" "$t" "$t"/obj/*.o >"$t/out" 2>&1; then got=pass; else got=fail; fi
	[ "$got" = "$1" ] || { echo "FAIL: $2: cycles.sh said $got"; cat "$t/out"; exit 1; }
	echo "ok: $2 ($got)"
}
plant "b()" "a()" ""
check fail "a.c and b.c call each other"
grep -q "harness/a.c" "$t/out" && grep -q "harness/b.c" "$t/out" ||
	{ echo "FAIL: the cycle's files are not named"; cat "$t/out"; exit 1; }
plant "b()" "1" '#include "a.h"'
printf '#include "b.h"\n' >"$t/harness/a.h"
printf '#include "a.h"\n' >"$t/harness/b.h"
check fail "a.h and b.h include each other"
plant "b()" "1" '#include "a.h"'
check pass "a.c calls b.c, one way"
