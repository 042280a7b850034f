#!/bin/sh
# doc_commands.sh: every command the README and the lab texts quote runs as typed, from the
# repository root: each `./racelab ...`, `make labN ...` and `taskset ... ./racelab ...` in a
# code block or in backquotes, run by the shell exactly as written. The runs are capped at
# one per series (RACELAB_MAX_RUNS=1: the design's small-size override), so the whole set
# takes about a minute; a command passes when racelab judged something (status 0 bug-free,
# 1 bug shown, 4 not proven, 5 too busy; for make, 0 or make's "Error 1/4/5" naming racelab's)
# and fails on a usage error, a missing build, an unknown lab or a failed build (2, 3).
# Not run, and listed: synopses with placeholders (LAB, N, FILE, [...], ...), and the
# commands that take minutes or remove things (make test, check, bench, fuzz, clean, all,
# configure; racelab check of every lab).
# usage: doc_commands.sh SOURCE_DIR BUILD_DIR
set -u
root=$1 build=$2
cd "$root" || exit 2
export BUILD="$build" RACELAB_MAX_RUNS=1 NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Quoted commands of one markdown file, one per line.
extract() {
	awk '
	/^```/ { inblock = !inblock; next }
	{
		line = $0
		if (inblock || line ~ /^[ \t]/) { c = line; sub(/^[ \t]+/, "", c); print c }
		while (match(line, /`[^`]+`/)) {
			print substr(line, RSTART + 1, RLENGTH - 2)
			line = substr(line, RSTART + RLENGTH)
		}
	}' "$1" | sed 's/[ \t][ \t]*#.*$//; s/[ \t]*$//' |
		grep -E '^(taskset -c [0-9]+ )?(\./racelab|make)( |$)' || true
}

: >"$tmp/all"
for f in README.md labs/*/README*.md; do
	extract "$f" | sed "s|^|$f	|" >>"$tmp/all"
done
sort -t '	' -k2 -u "$tmp/all" >"$tmp/unique"
texts=$(ls labs/*/README*.md | wc -l)
found=$(wc -l <"$tmp/unique")
[ "$found" -ge "$texts" ] || { echo "only $found commands found in $texts lab texts: is the extraction broken?"; exit 1; }

ran=0 failed=0 skipped=""
while IFS='	' read -r file cmd; do
	case $cmd in
	*LAB*|*labN*|*...*|*'['*|*PROGRAM*|*FILE*|*COMMAND*|*' N'|*' N '*)
		skipped="$skipped
  (placeholder) $cmd"; continue ;;
	"make test"*|"make check"*|"make bench"*|"make fuzz"*|"make clean"*|"make all"*|"make configure"*|"./racelab check")
		skipped="$skipped
  (minutes, or removes the build) $cmd"; continue ;;
	"./racelab step"*)
		skipped="$skipped
  (needs a terminal: tests/integration/sched_step.py drives it) $cmd"; continue ;;
	*" ID"|*" SCHEDULE"*|"./racelab labs --detector"*|"./racelab doctor")
		skipped="$skipped
  (a placeholder, minutes, or the machine's own gaps: cli.doctor tests it) $cmd"; continue ;;
	"./racelab run"|"./racelab explore"|"./racelab labs --quiet")
		skipped="$skipped
  (names the command, no lab) $cmd"; continue ;;
	esac
	ran=$((ran + 1))
	timeout 300 sh -c "$cmd" >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
	ok=0
	case $cmd in
	"./racelab check --threads 4") # the README's examples of errors, shown as errors
		[ $status = 2 ] && grep -q 'not an option of check' "$tmp/err" && ok=1 ;;
	"make lab99")
		[ $status = 2 ] && grep -q '^racelab: no lab 99: labs are 1-' "$tmp/err" && ok=1 ;;
	make*) [ $status = 0 ] || { [ $status = 2 ] && tail -1 "$tmp/err" | grep -Eq 'Error [145]$'; } && ok=1 ;;
	*) case $status in 0|1|4|5) ok=1 ;; esac ;;
	esac
	if [ $ok = 1 ]; then
		echo "ok ($status)  $cmd   [$file]"
	else
		failed=$((failed + 1))
		echo "FAILED ($status)  $cmd   [$file]"
		sed 's/^/    | /' "$tmp/err" | tail -8
	fi
done <"$tmp/unique"
echo "$ran commands run, $failed failed; not run:$skipped"
[ "$failed" = 0 ] && [ "$ran" -ge "$texts" ]
