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
trap 'rm -f "$tmp" "$tmp.racelab"' EXIT

n=0
for m in "$src"/labs/*/lab.manifest "$src"/solutions/*/*.manifest; do
	[ -f "$m" ] || continue
	n=$((n + 1))
	# One racelab per manifest: every key, "key = value" a line.
	"$racelab" manifest "$m" >"$tmp.racelab" || { echo "FAIL: racelab refuses $m"; fail=1; continue; }
	cmake -DMANIFEST="$m" -P "$here/manifest_dump.cmake" 2>"$tmp" ||
		{ echo "FAIL: CMake refuses $m:"; cat "$tmp"; fail=1; continue; }
	# Each key CMake read has racelab's value: blanks collapsed (lists are words separated
	# by blanks), numbers compared as numbers. One awk compares them all.
	report=$(awk -v m="$m" '
		function norm(v) { gsub(/[ \t]+/, " ", v); sub(/^ /, "", v); sub(/ $/, "", v); return v }
		FNR == NR { i = index($0, " = "); mine[substr($0, 1, i - 1)] = substr($0, i + 3); next }
		{ i = index($0, "\t"); key = substr($0, 1, i - 1); v = norm(substr($0, i + 1)); keys++
		  if (!(key in mine)) { print "FAIL: " m ": racelab has no key " key; next }
		  r = norm(mine[key])
		  if (v != r && !(v ~ /^[0-9.]+$/ && r ~ /^[0-9.]+$/ && v + 0 == r + 0))
			print "FAIL: " m ": " key ": CMake reads \"" v "\", racelab \"" r "\"" }
		END { if (keys < 10) print "FAIL: " m ": CMake read only " keys + 0 " keys" }' \
		"$tmp.racelab" "$tmp")
	[ -z "$report" ] || { printf '%s\n' "$report"; fail=1; }
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
	elif ! tr -s '\n ' '  ' <"$tmp" | grep -q "$m:$line: "; then
		# (CMake wraps its message: a long path ends a line of its own)
		echo "FAIL: CMake's error does not name $m:$line:"; cat "$tmp"; fail=1
	fi
done
# Which keys exist is racelab's to say (CMake reads any key and uses a few).
m=$fixtures/bad-unknown-key.manifest
"$racelab" manifest "$m" >/dev/null 2>"$tmp" && { echo "FAIL: racelab reads $m"; fail=1; }
grep -q "$m:7: unknown key 'colour'" "$tmp" || { echo "FAIL: unknown key not named:"; cat "$tmp"; fail=1; }

[ $fail = 0 ] && echo "both readers agree on $n manifests and refuse the 4 broken ones"
exit $fail
