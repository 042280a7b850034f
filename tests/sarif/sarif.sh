#!/bin/sh
# sarif.sh: racelab's SARIF output is valid against the official SARIF 2.1.0 schema for
# every lab (each with results), for a clean solution (no results), for `check`, and for
# --detector all (findings of every detector).
# usage: sarif.sh RACELAB SOURCE_DIR
set -u
racelab=$1 source=$2
schema=$source/tests/sarif/sarif-schema-2.1.0.json validate=$source/tests/sarif/validate.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import jsonschema' 2>/dev/null; then python=$p; break; fi
done
[ -n "$python" ] || { echo "sarif.sh: SKIP: no python3 with jsonschema (apt-get install python3-jsonschema)"; exit 77; }

set --
for manifest in "$source"/labs/*/lab.manifest; do
	lab=$(sed -n 's/^id[ \t]*=[ \t]*//p' "$manifest")
	expect=$(sed -n 's/^tsan_expect[ \t]*=[ \t]*//p' "$manifest")
	small=$(sed -n 's/^tsan_args[ \t]*=[ \t]*//p' "$manifest") # quick plain runs too
	"$racelab" run "$lab" --runs 1 --no-cost --quiet --args "$small" \
		--sarif "$tmp/lab$lab.sarif" >/dev/null 2>&1
	[ -s "$tmp/lab$lab.sarif" ] || { echo "sarif.sh: lab $lab wrote no SARIF"; exit 1; }
	# A lab whose bug TSan cannot see (tsan_expect = none) may have no results, and so may
	# a deadlock lab: a TSan run that really deadlocks reports nothing (FIELD-NOTES).
	set -- "$@" "$tmp/lab$lab.sarif"
	[ "$expect" != data-race ] || set -- "$@" --results
done
"$racelab" run lab3 --solution=mutex --runs 1 --quiet --sarif "$tmp/clean.sarif" >/dev/null 2>&1
"$racelab" check lab11 --runs 1 --quiet --sarif "$tmp/check.sarif" >/dev/null 2>&1
"$racelab" run lab3 --runs 1 --no-cost --quiet --detector all --sarif "$tmp/all.sarif" \
	>/dev/null 2>&1
# The validator must catch a broken log: a level SARIF does not define.
sed 's/"level": "error"/"level": "fatal"/' "$tmp/lab3.sarif" >"$tmp/broken.sarif"
if "$python" "$validate" "$schema" "$tmp/broken.sarif" >"$tmp/broken.log" 2>&1; then
	echo "sarif.sh: the validator accepted a broken log"; cat "$tmp/broken.log"; exit 1
fi
"$python" "$validate" "$schema" "$@" "$tmp/clean.sarif" --empty "$tmp/check.sarif" --results \
	"$tmp/all.sarif" --results
