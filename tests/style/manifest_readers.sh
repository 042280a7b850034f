#!/bin/sh
# manifest_readers.sh: the two readers of lab.manifest agree. racelab (harness/manifest.c,
# which scripts ask: `racelab manifest PATH KEY`) and CMake (cmake/manifest.cmake, which
# runs before racelab exists) read every manifest of the tree to the same values, key by
# key; and a manifest outside the grammar (docs/manifest.md) is refused by both, with
# file:line. usage: manifest_readers.sh RACELAB SOURCE_DIR
set -eu
racelab=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$src/tests/fixtures/manifests
fail=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# Blanks collapsed: lists are words separated by blanks; numbers compared as numbers.
same() {
	a=$(printf '%s' "$1" | tr -s ' \t' '  ' | sed 's/^ //; s/ $//')
	b=$(printf '%s' "$2" | tr -s ' \t' '  ' | sed 's/^ //; s/ $//')
	[ "$a" = "$b" ] && return 0
	awk -v a="$a" -v b="$b" 'BEGIN { exit !(a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && a + 0 == b + 0) }'
}

n=0
for m in "$src"/labs/*/lab.manifest "$src"/solutions/*/*.manifest; do
	[ -f "$m" ] || continue
	n=$((n + 1))
	"$racelab" manifest "$m" >/dev/null || { echo "FAIL: racelab refuses $m"; fail=1; continue; }
	cmake -DMANIFEST="$m" -P "$here/manifest_dump.cmake" 2>"$tmp" ||
		{ echo "FAIL: CMake refuses $m:"; cat "$tmp"; fail=1; continue; }
	keys=0
	while IFS="$(printf '\t')" read -r key value; do
		keys=$((keys + 1))
		mine=$("$racelab" manifest "$m" "$key") || { echo "FAIL: $m: racelab has no '$key'"; fail=1; continue; }
		same "$value" "$mine" ||
			{ echo "FAIL: $m: $key: CMake reads '$value', racelab '$mine'"; fail=1; }
	done <"$tmp"
	[ "$keys" -ge 10 ] || { echo "FAIL: $m: CMake read only $keys keys"; fail=1; }
done
[ "$n" -ge 1 ] || { echo "FAIL: no manifest under $src/labs"; exit 1; }

# Outside the grammar: both readers refuse, naming file:line.
for case in indented:4 repeated:6 no-equals:3; do
	m=$fixtures/bad-${case%%:*}.manifest line=${case#*:}
	if "$racelab" manifest "$m" >/dev/null 2>"$tmp"; then
		echo "FAIL: racelab reads $m"; fail=1
	elif ! grep -q "$m:$line: " "$tmp"; then
		echo "FAIL: racelab's error does not name $m:$line:"; cat "$tmp"; fail=1
	fi
	if cmake -DMANIFEST="$m" -P "$here/manifest_dump.cmake" >/dev/null 2>"$tmp"; then
		echo "FAIL: CMake reads $m"; fail=1
	elif ! grep -q "$m:$line: " "$tmp"; then
		echo "FAIL: CMake's error does not name $m:$line:"; cat "$tmp"; fail=1
	fi
done
# Which keys exist is racelab's to say (CMake reads any key and uses a few).
m=$fixtures/bad-unknown-key.manifest
"$racelab" manifest "$m" >/dev/null 2>"$tmp" && { echo "FAIL: racelab reads $m"; fail=1; }
grep -q "$m:7: unknown key 'colour'" "$tmp" || { echo "FAIL: unknown key not named:"; cat "$tmp"; fail=1; }

[ $fail = 0 ] && echo "both readers agree on $n manifests and refuse the 4 broken ones"
exit $fail
