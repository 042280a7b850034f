#!/bin/sh
# stale_build.sh RACELAB BIN_DIR: in a copy of lab 3 (sources, and the programs already
# built in BIN_DIR, behind a catalogue of its own; the real tree is never touched):
# - a student's fixed lab 3 (the mutex solution's programs in the lab's place): `labs` and
#   `check` show what this run's TSan found ("clean", not the manifest's data-race), and
#   `check` fails saying the gate is for the course repository;
# - a source edited after the build: `run`, `check` and `labs` refuse with one line naming
#   the file and `make lab3`, exit status 3, nothing run and no report written; a solution
#   whose sources did not change still runs.
set -u
racelab=$1 bin=$2
src=$(sed -n 's/^source_dir //p' "$bin/catalogue.txt")
work=$(mktemp -d /tmp/racelab-stale.XXXXXX)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok:   $*"; }

# run_racelab NAME ARGS...: runs racelab on the copy; $work/NAME.out, .err; sets status.
run_racelab() {
	name=$1
	shift
	status=0
	RACELAB_CATALOGUE=$work/bin/catalogue.txt "$racelab" "$@" >"$work/$name.out" \
		2>"$work/$name.err" || status=$?
}
# expect NAME STATUS WHAT: the last run_racelab exited STATUS.
expect() {
	if [ "$status" = "$2" ]; then pass "$3 (exit $2)"; else
		fail "$3: exit $status, wanted $2"
		sed 's/^/    /' "$work/$1.out" "$work/$1.err" | head -30
	fi
}
has() { grep -q -- "$3" "$work/$1.$2" && pass "$4" || fail "$4: $1.$2 lacks '$3'"; }
lacks() { grep -q -- "$3" "$work/$1.$2" && fail "$4: $1.$2 has '$3'" || pass "$4"; }

mkdir -p "$work/src/labs" "$work/src/solutions" "$work/bin"
cp -r "$src/labs/03-lost-update" "$work/src/labs/"
cp -r "$src/solutions/03-lost-update" "$work/src/solutions/"
cp -r "$src/labkit" "$work/src/"
# Fewer, shorter runs (the copy's manifest is ours to change; the build does not read it).
sed -i 's/^runs .*/runs = 5/; s/^args .*/args = --threads 2 --iterations 200000/' \
	"$work/src/labs/03-lost-update/lab.manifest"
{
	echo "source_dir $work/src"
	echo "bin_dir $work/bin"
	grep '^tsan_compiler ' "$bin/catalogue.txt"
	echo "lab 03-lost-update"
} >"$work/bin/catalogue.txt"
# The student's fix: the mutex solution's programs where the lab's go.
cp "$bin/lab03-mutex" "$work/bin/lab03"
cp "$bin/lab03-mutex-tsan" "$work/bin/lab03-tsan"
for sol in mutex atomic; do
	cp "$bin/lab03-$sol" "$bin/lab03-$sol-tsan" "$work/bin/"
done
# Sources two minutes old, builds one minute old: everything is up to date.
old=$(($(date +%s) - 120)) built=$(($(date +%s) - 60))
find "$work/src" -type f -exec touch -d "@$old" {} +
touch -d "@$built" "$work/bin"/lab03*

run_racelab labs labs
expect labs 0 "labs: a fixed lab 3"
# A busy machine may leave the fixed lab unjudged: "inconclusive" is then the honest answer.
if grep -q 'inconclusive' "$work/labs.out"; then
	has labs out '^3 .* clean .*inconclusive' "labs: TSan found: clean, verdict: inconclusive (busy)"
else
	has labs out '^3 .* clean .*looks fixed' "labs: TSan found: clean, verdict: looks fixed"
fi
lacks labs out 'data-race' "labs: no data-race claimed"
has labs out '^3   lost-update  *py ' "labs: the py column marks lab 3's Python twin"
has labs out '^  lab3   lock$' "labs: the key under the table names its Python solutions"

run_racelab check check lab3 --runs 3
lacks check out 'data-race' "check: no data-race claimed"
if grep -q '^INCONCLUSIVE: the machine is too busy' "$work/check.out"; then
	expect check 5 "check: a fixed lab 3 on a busy machine is inconclusive"
else
	expect check 1 "check: a fixed lab 3 fails the gate"
	has check out '^3 .*0/3 (need 95%) *clean ' "check: TSan found: clean"
	has check out "lab3 no longer shows its bug: expected for a student's fixed copy; this gate is for the course repository" \
		"check: says what the gate checks"
fi

# An edit after the build.
touch "$work/src/labs/03-lost-update/lost_update.c"
line="racelab: lab3: the build is older than labs/03-lost-update/lost_update.c: run make lab3"
run_racelab run run lab3 --runs 1 --quiet
expect run 3 "run: an edited lab is refused"
has run err "^$line\$" "run: one line naming the file and make lab3"
lacks run out 'Verdict\|looks fixed\|bug shown' "run: nothing run"
run_racelab check-stale check lab3 --runs 1 --junit "$work/junit.xml" --json "$work/check.json"
expect check-stale 3 "check: an edited lab is refused"
has check-stale err "^$line\$" "check: the same line"
lacks check-stale out 'lost-update' "check: no table"
[ ! -e "$work/junit.xml" ] && [ ! -e "$work/check.json" ] && pass "check: no report written" ||
	fail "check: a refused check wrote a report"
run_racelab labs-stale labs
expect labs-stale 3 "labs: an edited lab is refused"
has labs-stale err "^$line\$" "labs: the same line"

# A solution is built from its own file: the lab's edit does not make it stale.
run_racelab sol run lab3 --solution=mutex --runs 1 --no-tsan --quiet
expect sol 4 "run --solution: a solution whose sources did not change still runs"
# The lab kit is built into every program.
touch "$work/src/labkit/gate.h"
run_racelab sol-kit run lab3 --solution=mutex --runs 1 --no-tsan --quiet
expect sol-kit 3 "run --solution: a lab kit edit is refused"
has sol-kit err '^racelab: lab3 mutex: the build is older than labkit/gate.h: run make lab3$' \
	"run --solution: names the lab kit's header"

echo "$fails failure(s)"
[ "$fails" = 0 ]
