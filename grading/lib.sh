# grading/lib.sh: shared helpers of scripts/grade and scripts/grade-one (sourced, bash).
# Atomic writes, rubric reading, safe unpacking of submissions, the pristine tree.
# Everything here runs as the grader (trusted); student code only ever runs through
# scripts/sandbox.

GRADE_REPO=${GRADE_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SANDBOX=$GRADE_REPO/scripts/sandbox
GRADER_USER=${GRADER_USER:-racelab-grader}
# Fixed paths inside the box: the pristine build tree is configured for these, so a copy
# of it builds a submission in under a second (only the student's files recompile).
BOX_SRC=/grade/src
BOX_BUILD=/grade/build

# Limits for what a submission may bring (bytes, files).
MAX_ARCHIVE_BYTES=$((20 * 1024 * 1024))
MAX_ARCHIVE_FILES=2000
MAX_SOURCE_BYTES=$((1024 * 1024))

say() { printf 'grade: %s\n' "$*" >&2; }

# The grader's messages in racelab's catalogue (po/ru.po), as racelab chooses: Russian when
# RACELAB_LANG, or else the locale (LC_ALL, LC_MESSAGES, LANG), says ru. gettext(1) reads
# the compiled catalogue of the build tree and needs no generated ru_RU.UTF-8 (C.UTF-8 and
# LANGUAGE carry it, as in harness/i18n.c); without gettext or the catalogue: English.
GRADE_LOCALEDIR=${RACELAB_LOCALEDIR:-$GRADE_REPO/build/locale}
grade_lang() {
	local l=${RACELAB_LANG:-${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}}
	case $l in ru | ru_* | ru.*) echo ru ;; *) echo en ;; esac
}
GRADE_LANG=$(grade_lang)
# _t FORMAT [ARG...]: printf FORMAT, translated first (a marked message: scripts/po-update
# extracts the FORMAT of every _t call).
_t() {
	local fmt=$1
	shift
	if [ "$GRADE_LANG" = ru ] && have gettext && [ -f "$GRADE_LOCALEDIR/ru/LC_MESSAGES/racelab.mo" ]; then
		fmt=$(LC_ALL=C.UTF-8 LANGUAGE=ru TEXTDOMAINDIR=$GRADE_LOCALEDIR TEXTDOMAIN=racelab \
			gettext -- "$fmt")
	fi
	# shellcheck disable=SC2059 # the format is the message
	printf -- "$fmt" "$@"
}
# say_t FORMAT [ARG...]: say a marked message.
say_t() { say "$(_t "$@")"; }
die() { say "$*"; exit 3; }
have() { command -v "$1" >/dev/null 2>&1; }

# need_tools: what grading needs on this machine, checked once at the start: root (student
# code runs as an unprivileged UID), bubblewrap that can make namespaces here, jq, and the
# usual tools. As root with apt-get, bubblewrap and jq are installed when missing; anything
# still missing is named on one line, and the grader stops with status 3.
need_tools() {
	local missing=() t pkg
	if [ "$EUID" = 0 ] && have apt-get && { ! have jq || ! have bwrap; }; then
		pkg=()
		have jq || pkg+=(jq)
		have bwrap || pkg+=(bubblewrap)
		say "installing ${pkg[*]} (apt-get)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkg[@]}" >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1 &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkg[@]}" >/dev/null 2>&1; } || true
	fi
	[ "$EUID" = 0 ] || missing+=("root (student code runs as the unprivileged racelab-grader)")
	for t in jq:jq bwrap:bubblewrap cmake:cmake setpriv:util-linux prlimit:util-linux \
		timeout:coreutils flock:util-linux unzip:unzip zipinfo:unzip; do
		have "${t%%:*}" || missing+=("${t%%:*} (apt-get install ${t#*:})")
	done
	have cc || have clang || have gcc || missing+=("a C compiler (apt-get install clang)")
	if have bwrap && [ "$("$SANDBOX" --check 2>/dev/null | sed -n 's/^bwrap: //p')" != yes ]; then
		missing+=("bubblewrap that can make namespaces (refused here, e.g. by Docker's seccomp profile: use a VM)")
	fi
	[ ${#missing[@]} = 0 ] || die "cannot grade on this machine: missing $(IFS=';'; echo "${missing[*]}" | sed 's/;/, /g')"
}

# write_atomic FILE: stdin to FILE through a temporary file and a rename, so a reader (or
# a grading run killed at any moment) sees the old file or the new one, never half.
write_atomic() {
	local file=$1 tmp
	mkdir -p "$(dirname "$file")"
	tmp=$(mktemp "$file.tmp.XXXXXX")
	if cat >"$tmp"; then
		chmod 644 "$tmp"
		mv -f "$tmp" "$file"
	else
		rm -f "$tmp"
		return 1
	fi
}

# ---- identity --------------------------------------------------------------------------
# A submission's name is its student's identity, kept exactly as given ("Иван Петров",
# "O'Brien, Pat") in every report, CSV row and test name. Files are stored under a key
# made from it: a readable part (letters and digits of any script, . _ -) and 10 hex
# digits of the SHA-256 of the exact name, so two different names never share a file,
# not even on a case-insensitive or normalising file system.

# student_name PATH: the identity: the entry's name without .tar.gz, .tgz or .zip.
student_name() {
	local base=${1%/}
	base=${base##*/}
	base=${base%.tar.gz}
	base=${base%.tgz}
	printf '%s' "${base%.zip}"
}

# student_key NAME: the storage key of NAME (a safe file name; never starts with . or -).
student_key() {
	local readable hash
	hash=$(printf '%s' "$1" | sha256sum | cut -c1-10)
	readable=$(printf '%s' "$1" | perl -e '
		local $/; my $s = <STDIN>;
		utf8::decode($s) or $s =~ s/[^\x00-\x7f]/_/g;
		$s =~ s/[^\p{L}\p{N}._-]+/_/g; $s =~ s/^[._-]+//; $s = substr($s, 0, 40);
		$s =~ s/_+$//; utf8::encode($s); print $s')
	printf '%s' "${readable:+$readable-}$hash"
}

# student_collisions: reads submission paths (NUL-separated) and prints, one a line, the
# groups of entries that name the same student: the same name once .zip/.tgz/.tar.gz is
# taken off ("alice/" and "alice.zip"), or names equal after Unicode normalisation (NFC)
# and case folding ("Anna" and "anna"; "José" typed two ways), which nobody reading the
# grades could tell apart. Prints nothing when every student is distinct.
student_collisions() {
	perl -0 -e '
		use feature "fc";
		my $nfc = eval { require Unicode::Normalize; 1 };
		my (%groups, @order);
		while (my $path = <STDIN>) {
			chomp $path;
			(my $name = $path) =~ s{/+$}{}; $name =~ s{.*/}{}s;
			$name =~ s/\.(tar\.gz|tgz|zip)$//;
			my $f = $name;
			if (utf8::decode($f)) { $f = Unicode::Normalize::NFC($f) if $nfc; $f = fc($f); }
			push @order, $f unless $groups{$f};
			push @{ $groups{$f} }, $path;
		}
		for my $f (@order) {
			my @g = @{ $groups{$f} };
			print join(" | ", map { (my $b = $_) =~ s{.*/}{}s; "\"$b\"" } @g), "\n" if @g > 1;
		}'
}

# ---- rubrics ---------------------------------------------------------------------------
# Every key a rubric may use, with its default (docs/grading.md explains each). This table
# is the one home of the defaults; "manifest" means the lab's manifest decides.
RUBRIC_DEFAULTS='build_points=10 correct_points=40 tsan_points=40 no_hang_points=10
speedup_points=0 speedup_solution= speedup_metric=wall_s speedup_min=0.8 runs=manifest
timeout=manifest args=compare hidden_args= tsan_args=manifest build_time=120 item_time=120
memory_mb=1024 visibility=visible hidden_visibility=after_due_date'
# Keys whose value must be a number, and keys that may repeat.
RUBRIC_NUMBERS=' build_points correct_points tsan_points no_hang_points speedup_points
speedup_min build_time item_time memory_mb '
RUBRIC_REPEATS=' args hidden_args '

# rubric_default KEY: the built-in default of KEY.
rubric_default() {
	local kv
	for kv in $RUBRIC_DEFAULTS; do
		[ "${kv%%=*}" != "$1" ] || { printf '%s' "${kv#*=}"; return 0; }
	done
}

# rubric_get FILE KEY: the value of KEY ("key = value", # comments), else the built-in
# default (RUBRIC_DEFAULTS, the one home of the defaults: callers pass none of their own).
rubric_get() {
	local v
	v=$(sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" | head -1 |
		sed 's/[[:space:]]*#.*$//; s/[[:space:]]*$//')
	if [ -n "$v" ]; then printf '%s' "$v"
	else rubric_default "$2"; fi
}

# rubric_all FILE KEY: every value of KEY, one a line (argument sets).
rubric_all() {
	sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" |
		sed 's/[[:space:]]*#.*$//; s/[[:space:]]*$//'
}

# rubric_for RUBRICS_DIR NN: the lab's rubric, else the folder's default.rubric, else the
# built-in default (a --rubrics folder may hold only the labs it changes).
rubric_for() {
	if [ -f "$1/lab$2.rubric" ]; then echo "$1/lab$2.rubric"
	elif [ -f "$1/default.rubric" ]; then echo "$1/default.rubric"
	else echo "$GRADE_REPO/grading/rubrics/default.rubric"; fi
}

# rubric_check FILE: prints "FILE:LINE: what is wrong" for each line that is not a
# comment, a blank line or "known_key = value" (a number where one is needed, a key
# given twice unless it may repeat). Fails when it printed anything.
rubric_check() {
	local file=$1 n=0 line key value bad=0 seen=' '
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line%%#*}
		[[ $line =~ ^[[:space:]]*$ ]] && continue
		if ! [[ $line =~ ^[[:space:]]*([A-Za-z0-9_]+)[[:space:]]*=[[:space:]]*(.*[^[:space:]])?[[:space:]]*$ ]]; then
			echo "$file:$n: not \"key = value\": $line"; bad=1; continue
		fi
		key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
		if ! [[ " $RUBRIC_DEFAULTS " =~ [[:space:]]$key= ]]; then
			echo "$file:$n: unknown key '$key'"; bad=1; continue
		fi
		if [[ $RUBRIC_NUMBERS == *" $key "* ]] && ! [[ $value =~ ^[0-9]+([.][0-9]+)?$ ]]; then
			echo "$file:$n: $key = '$value': not a number"; bad=1
		fi
		if [[ $key =~ ^(runs|timeout)$ ]] && ! [[ $value =~ ^([0-9]+([.][0-9]+)?|manifest)$ ]]; then
			echo "$file:$n: $key = '$value': not a number or 'manifest'"; bad=1
		fi
		if [[ $key == *visibility ]] && ! [[ $value =~ ^(visible|hidden|after_due_date|after_published)$ ]]; then
			echo "$file:$n: $key = '$value': not visible, hidden, after_due_date or after_published"; bad=1
		fi
		if [[ $seen == *" $key "* ]] && [[ $RUBRIC_REPEATS != *" $key "* ]]; then
			echo "$file:$n: $key given twice"; bad=1
		fi
		seen+="$key "
	done <"$file"
	return $bad
}

# rubrics_check DIR: rubric_check on every rubric of DIR (none at all is fine: the
# built-in default is used). Prints the problems; fails when there are any.
rubrics_check() {
	local f bad=0
	[ -d "$1" ] || { echo "$1: no such rubrics folder"; return 1; }
	for f in "$1"/*.rubric; do
		[ -f "$f" ] || continue
		rubric_check "$f" || bad=1
	done
	return $bad
}

# rubric_sets RUBRIC MANIFEST: the argument sets, one a line, "visible<TAB>ARGS" or
# "hidden<TAB>ARGS": `args` lines first ("manifest" and "compare" resolved), then
# `hidden_args` lines. Students see a hidden set's result, never its arguments.
rubric_sets() {
	local set
	{ rubric_all "$1" args | grep . || echo "$(rubric_default args)"; } | while IFS= read -r set; do
		case $set in
		manifest) set=$(manifest_get "$2" args) ;;
		compare) set=$(manifest_get "$2" compare_args) ;; # racelab: args when absent
		esac
		printf 'visible\t%s\n' "$set"
	done
	rubric_all "$1" hidden_args | while IFS= read -r set; do printf 'hidden\t%s\n' "$set"; done
}

# tsan_public RUBRIC: "true" when students may see the TSan run's arguments (the lab's
# own tsan_args), "false" when the rubric sets its own (they may give a hidden set away).
tsan_public() {
	if [ "$(rubric_get "$1" tsan_args)" = manifest ]; then echo true; else echo false; fi
}

# manifest_get MANIFEST KEY: a lab manifest's value, defaults included, as racelab reads
# it (`racelab manifest`: one reader, one grammar, docs/manifest.md). The racelab asked is
# $GRADE_RACELAB: the pristine tree's (prepare_pristine sets it).
manifest_get() {
	"${GRADE_RACELAB:?manifest_get: GRADE_RACELAB is not set (prepare_pristine sets it)}" \
		manifest "$1" "$2"
}

# ---- submissions -----------------------------------------------------------------------
# archive_check ARCHIVE: refuses absolute names, "..", links, devices, too many or too
# big files, reading only the archive's listing. Prints why on failure. A zip entry with
# no Unix file type (zipinfo shows "?": Python's zipfile.writestr, many web tools) is a
# regular file; only links (l), devices (b c), pipes (p) and sockets (s) are refused.
archive_check() {
	local a=$1 names types total count
	case $a in
	*.tar.gz | *.tgz)
		names=$(tar -tzf "$a" 2>/dev/null) || { echo "not a readable .tar.gz"; return 1; }
		types=$(tar -tvzf "$a" 2>/dev/null | cut -c1 | sort -u | tr -d '\n')
		total=$(tar -tvzf "$a" 2>/dev/null | awk '{ s += $3 } END { print s + 0 }') ;;
	*.zip)
		names=$(zipinfo -1 "$a" 2>/dev/null) || { echo "not a readable .zip"; return 1; }
		types=$(zipinfo -s "$a" 2>/dev/null | sed -n '/^[-dlbcps?][-rwxsStT?]\{9\}/p' |
			cut -c1 | sort -u | tr -d '\n')
		total=$(zipinfo -t "$a" 2>/dev/null | awk '{ print $3 + 0 }') ;;
	*) echo "not .tar.gz, .tgz or .zip"; return 1 ;;
	esac
	count=$(printf '%s\n' "$names" | grep -c . || true)
	if printf '%s\n' "$names" | grep -qE '^[/\\]|(^|[/\\])\.\.([/\\]|$)'; then
		echo "an absolute path or '..' in the archive"; return 1
	fi
	types=$(printf '%s' "$types" | tr -d -- '-d?')
	if [ -n "$types" ]; then
		echo "links or special files in the archive ($(printf '%s' "$types" |
			sed 's/l/ link/; s/[bc]/ device/; s/p/ pipe/; s/s/ socket/' | xargs | sed 's/ /, /g'))"
		return 1
	fi
	[ "$count" -le "$MAX_ARCHIVE_FILES" ] || { echo "$count files (limit $MAX_ARCHIVE_FILES)"; return 1; }
	[ "${total:-0}" -le "$MAX_ARCHIVE_BYTES" ] ||
		{ echo "$total bytes unpacked (limit $MAX_ARCHIVE_BYTES)"; return 1; }
}

# unpack ARCHIVE DEST: checks the listing, then extracts inside the sandbox (an unpacker
# bug cannot reach beyond DEST), then drops anything that is not a file or a folder.
unpack() {
	local a=$1 dest=$2 why
	why=$(archive_check "$a") || { echo "$why"; return 1; }
	rm -rf "$dest"
	mkdir -p "$dest"
	chown "$GRADER_USER" "$dest" 2>/dev/null || true
	local abs inner
	[[ $a == /* ]] && abs=$a || abs=$PWD/$a
	case $a in
	*.zip) inner=/in/archive.zip; set -- unzip -qq -o "$inner" -d /out ;;
	*) inner=/in/archive.tar.gz; set -- tar -xzf "$inner" -C /out --no-same-owner --no-same-permissions ;;
	esac
	"$SANDBOX" --ro "$abs:$inner" --rw "$dest:/out" --time 30 --fsize 20 --mem 512 \
		--user "$GRADER_USER" -- "$@" >/dev/null 2>&1 || { echo "could not unpack"; return 1; }
	find "$dest" -mindepth 1 ! -type f ! -type d -delete 2>/dev/null || true
}

# submission_root DIR: where labs/ is (a folder packed with one top-level folder is fine).
submission_root() {
	local d=$1 subs f
	if [ -d "$d/labs" ] && [ ! -L "$d/labs" ]; then echo "$d"; return; fi
	subs=()
	while IFS= read -r -d '' f; do subs+=("$f"); done < <(find "$d" -mindepth 1 -maxdepth 1 -type d -print0)
	if [ ${#subs[@]} = 1 ] && [ -d "${subs[0]}/labs" ] && [ ! -L "${subs[0]}/labs" ]; then
		printf '%s\n' "${subs[0]}"; return
	fi
	echo "$d"
}

# student_files ROOT PRISTINE_SRC LABDIR: the student's files that are taken for a lab:
# regular files (no links), .c or .h, that exist in the lab's folder of the pristine tree.
student_files() {
	local root=$1 src=$2 lab=$3 f rel
	[ -d "$root/labs/$lab" ] && [ ! -L "$root/labs" ] && [ ! -L "$root/labs/$lab" ] || return 0
	find -P "$root/labs/$lab" -mindepth 1 -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) \
		-print0 | sort -z | while IFS= read -r -d '' f; do
			rel=labs/$lab/$(basename "$f")
			[ -f "$src/$rel" ] && [ ! -L "$src/$rel" ] || continue
			[ "$(stat -c %s "$f")" -le "$MAX_SOURCE_BYTES" ] || continue
			echo "$rel"
		done
}

# ignored_files ROOT PRISTINE_SRC: up to 20 of the student's files that are not taken.
ignored_files() {
	local root=$1 src=$2 rel
	(cd "$root" && find -P . -mindepth 1 ! -type d -print0) | sort -z |
		while IFS= read -r -d '' rel; do
		rel=${rel#./}
		case $rel in
		labs/*/*.c | labs/*/*.h)
			[ -f "$root/$rel" ] && [ ! -L "$root/$rel" ] && [ -f "$src/$rel" ] && continue ;;
		esac
		echo "$rel"
	done | head -20
}

# lab_sources PRISTINE_SRC LABDIR: the lab's source files a student may hand in (the .c
# and .h files of its folder), as repository paths, one a line.
lab_sources() {
	(cd "$1" && find -P "labs/$2" -mindepth 1 -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \)) |
		sort
}

# found_files ROOT: up to 20 of the submission's files, as paths inside it, one a line.
found_files() {
	(cd "$1" && find -P . -mindepth 1 ! -type d | sed 's|^\./||') | sort | head -20
}

# item_not_run STATUS NN LABDIR RUBRIC NOTE [EXPECTED FOUND]: the item JSON of a lab that
# was not built or run: "build-failed" for a refused submission, "missing" when the
# submission holds none of the lab's sources (EXPECTED and FOUND: newline-separated
# paths, for the report). 0 points; the same fields as grading/score.jq writes.
item_not_run() {
	local status=$1 nn=$2 lab=$3 r=$4 note=$5 k max=0
	for k in build correct tsan no_hang speedup; do
		max=$(awk -v a="$max" -v b="$(rubric_get "$r" ${k}_points)" 'BEGIN { print a + b }')
	done
	jq -n --arg student "$student" --argjson lab "$((10#$nn))" --arg folder "$lab" \
		--arg status "$status" --arg note "$note" --argjson max "$max" \
		--arg expected "${6:-}" --arg found "${7:-}" --arg rubric "$(basename "$r")" '
		($expected | split("\n") | map(select(. != ""))) as $exp
		| ($found | split("\n") | map(select(. != ""))) as $got
		| { student: $student, lab: $lab, folder: $folder, status: $status, score: 0,
		  max_score: $max, points: { build: 0, correct: 0, tsan: 0, no_hang: 0 },
		  explain: [{ item: "submission", points: 0, max: $max, evidence: ([$note]
		    + (if ($exp | length) > 0 then ["expected (any of): " + ($exp | join(", "))] else [] end)
		    + (if $status == "missing" then ["found: " + (if ($got | length) > 0 then $got | join(", ") else "nothing" end)] else [] end)) }],
		  summary: "\($status): \($note)", build_ok: false, build_errors: [$note],
		  expected_files: $exp, found_files: $got, limit: "none", sets: [], tsan: null,
		  speedup: null, files: [], seconds: 0, rubric: $rubric }'
}

# scratch_sweep WORK: removes the scratch copies of grading runs that were killed (their
# folder ends in the PID of a grade-one that no longer runs). Live runs keep theirs.
scratch_sweep() {
	local d pid
	for d in "$1"/scratch/*; do
		[ -d "$d" ] || continue
		pid=${d##*.}
		[[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && continue
		rm -rf "$d"
	done
}

# ---- the pristine tree -----------------------------------------------------------------
# prepare_pristine WORK: once per grading run (and per machine), under a lock: a copy of
# the repository's sources that builds labs (CMakeLists.txt cmake/ labkit/ harness/ labs/
# only: no solutions/, no grading/, no rubrics, no tests), its manifests' solutions lines
# emptied, configured for /grade/src -> /grade/build inside the box, racelab and every lab
# built. WORK/pristine/labs.txt lists "NN folder" for each lab of the catalogue; each lab
# is built the first time it is graded (pristine_lab).
prepare_pristine() {
	local work=$1 p=$1/pristine cc
	GRADE_RACELAB=$p/build/bin/racelab
	mkdir -p "$work"
	exec 9>"$work/pristine.lock"
	flock 9
	if [ -f "$p/READY" ]; then exec 9>&-; return 0; fi
	say "preparing the pristine tree in $p (once per grading run)"
	rm -rf "$p"
	mkdir -p "$p/src" "$p/build"
	local item
	for item in CMakeLists.txt cmake labkit harness labs; do
		cp -a "$GRADE_REPO/$item" "$p/src/" || die "pristine: cannot copy $item"
	done
	sed -i 's/^solutions[[:space:]]*=.*/solutions       =/' "$p"/src/labs/*/lab.manifest
	chmod -R a+rX,go-w "$p/src"
	cc=${RACELAB_GRADE_CC:-$(command -v clang >/dev/null && echo clang || echo gcc)}
	local gen=Ninja
	have ninja || gen="Unix Makefiles"
	box_trusted "$p/src" "$p/build" 300 cmake -S $BOX_SRC -B $BOX_BUILD -G "$gen" \
		-DCMAKE_C_COMPILER="$cc" -DRACELAB_TESTS=OFF >"$p/configure.log" 2>&1 ||
		die "pristine: CMake configure failed (see $p/configure.log)"
	box_trusted "$p/src" "$p/build" 300 cmake --build $BOX_BUILD --target racelab \
		>"$p/build.log" 2>&1 || die "pristine: racelab does not build (see $p/build.log)"
	local dir nn
	for dir in $(sed -n 's/^lab //p' "$p/build/bin/catalogue.txt"); do
		nn=$(printf '%02d' "$((10#$(manifest_get "$p/src/labs/$dir/lab.manifest" id)))")
		echo "$nn $dir"
	done >"$p/labs.txt"
	touch "$p/READY"
	exec 9>&-
}

# box_trusted SRC BUILD SECONDS COMMAND...: the grader's own build steps, in the same box
# layout as a student's (so paths match), as the calling user.
box_trusted() {
	local src=$1 build=$2 t=$3
	shift 3
	"$SANDBOX" --trusted --ro "$src:$BOX_SRC" --rw "$build:$BOX_BUILD" --chdir $BOX_BUILD \
		--time "$t" --pids 4096 --mem 4096 --fsize 512 --nofile 1024 -- "$@"
}

# lab_folder WORK NN: the lab's folder name, if the lab is gradable.
lab_folder() {
	awk -v n="$2" '$1 == n { print $2 }' "$1/pristine/labs.txt"
}

# pristine_lab WORK NN: builds lab NN in the pristine tree once (under the lock); fails,
# and says so once, when the lab does not build as handed out.
pristine_lab() {
	local p=$1/pristine nn=$2 rc=0
	[ -f "$p/lab$nn.built" ] && return 0
	[ -f "$p/lab$nn.broken" ] && return 1
	exec 9>"$1/pristine.lock"
	flock 9
	if [ ! -f "$p/lab$nn.built" ] && [ ! -f "$p/lab$nn.broken" ]; then
		if box_trusted "$p/src" "$p/build" 300 cmake --build $BOX_BUILD \
			--target "lab$nn" "lab$nn-tsan" >>"$p/build.log" 2>&1; then
			touch "$p/lab$nn.built"
		else
			say "pristine: lab $nn does not build as handed out: not graded (see $p/build.log)"
			touch "$p/lab$nn.broken"
		fi
	fi
	exec 9>&-
	[ -f "$p/lab$nn.built" ]
}
