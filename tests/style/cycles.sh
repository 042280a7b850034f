#!/bin/sh
# cycles.sh: no file-level dependency cycle in harness/. A file depends on each harness
# header it #includes, and a .c file on each other .c file whose functions it calls
# (read from the object files with nm: what one leaves undefined, another defines).
# Dependencies must run one way (STYLE.md): a helper several files share lives below
# them, not in one of them. Prints each cycle's files and fails when there is one.
# usage: cycles.sh SOURCE_DIR OBJECT_FILE...
set -eu
src=$1
shift
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT

# Include edges: harness/a.c -> harness/b.h for each #include "b.h" found in harness/.
for f in "$src"/harness/*.c "$src"/harness/*.h; do
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
		while read -r h; do
			[ -f "$src/harness/$h" ] || continue
			echo "harness/${f##*/} harness/$h"
		done
done >>"$edges"

# Call edges: a.c -> b.c when a.c.o uses a global symbol b.c.o defines. nm -A prefixes
# each line with its object's path; one nm for every object keeps this quick.
{
	nm -A -g --defined-only "$@" | sed 's/^/def /'
	nm -A -u "$@" | sed 's/^/use /'
} | awk '
	{ obj = $2; sub(/:.*/, "", obj); sub(/.*\//, "", obj); sub(/\.o$/, "", obj) }
	$1 == "def" && $(NF - 1) ~ /^[TDBR]$/ { owner[$NF] = "harness/" obj; next }
	$1 == "use" { used[++n] = "harness/" obj " " $NF }
	END { for (i = 1; i <= n; i++) { split(used[i], u, " ");
		if ((u[2] in owner) && owner[u[2]] != u[1]) print u[1], owner[u[2]] } }' |
	sort -u >>"$edges"

if [ ! -s "$edges" ]; then
	echo "cycles.sh: no dependencies found: wrong folder or no objects?" >&2
	exit 1
fi
# tsort names the files of each loop on stderr and fails.
if ! out=$(tsort "$edges" 2>&1 >/dev/null) || [ -n "$out" ]; then
	echo "file-level dependency cycle(s) in harness/ (each file below depends on the next):"
	printf '%s\n' "$out" | sed 's/^tsort: .*input contains a loop:/a loop:/; s/^tsort: /  /'
	exit 1
fi
echo "no cycle: $(wc -l <"$edges") dependencies between $(tr ' ' '\n' <"$edges" | sort -u | wc -l) files of harness/"
