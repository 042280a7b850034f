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

# A student's name from a submission's file name: letters, digits, . _ - only (a name is
# data: it never reaches code, and on disk it is this harmless form). A name longer than
# 120 bytes keeps its first 100 and a hash of the whole, so file names stay short enough.
student_name() {
	local base=${1%/} name h
	base=${base##*/}
	base=${base%.tar.gz}
	base=${base%.tgz}
	base=${base%.zip}
	name=$base
	base=$(printf '%s' "$base" | LC_ALL=C tr -c 'A-Za-z0-9._-' '_' | sed 's/^[.]/_/')
	if [ ${#base} -gt 120 ]; then
		h=$(printf '%s' "$name" | sha256sum | cut -c1-12)
		base=${base:0:100}-$h
	fi
	printf '%s' "$base"
}

# ---- rubrics ---------------------------------------------------------------------------
# rubric_get FILE KEY DEFAULT: the first value of KEY ("key = value", # comments).
rubric_get() {
	local v
	v=$(sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" | head -1 |
		sed 's/[[:space:]]*#.*$//; s/[[:space:]]*$//')
	printf '%s' "${v:-$3}"
}

# rubric_all FILE KEY: every value of KEY, one a line (argument sets).
rubric_all() {
	sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" |
		sed 's/[[:space:]]*#.*$//; s/[[:space:]]*$//'
}

# rubric_for RUBRICS_DIR NN: the lab's rubric, else the default one.
rubric_for() {
	if [ -f "$1/lab$2.rubric" ]; then echo "$1/lab$2.rubric"; else echo "$1/default.rubric"; fi
}

# manifest_get MANIFEST KEY: a lab manifest's value.
manifest_get() {
	sed -n "s/^$2[[:space:]]*=[[:space:]]*//p" "$1" | head -1 | sed 's/[[:space:]]*$//'
}

# ---- submissions -----------------------------------------------------------------------
# archive_check ARCHIVE: refuses absolute names, "..", links, devices, too many or too
# big files, reading only the archive's listing. Prints why on failure.
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
	if printf '%s\n' "$names" | grep -qE '^/|(^|/)\.\.(/|$)'; then
		echo "an absolute path or '..' in the archive"; return 1
	fi
	if [ -n "$(printf '%s' "$types" | tr -d -- '-d')" ]; then
		echo "links or special files in the archive (types: $types)"; return 1
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

# ---- the pristine tree -----------------------------------------------------------------
# prepare_pristine WORK: once per grading run (and per machine), under a lock: a copy of
# the repository's sources that builds labs (CMakeLists.txt cmake/ labkit/ harness/ labs/
# only: no solutions/, no grading/, no rubrics, no tests), its manifests' solutions lines
# emptied, configured for /grade/src -> /grade/build inside the box, racelab and every lab
# built. WORK/pristine/labs.txt lists "NN folder" for each lab of the catalogue; each lab
# is built the first time it is graded (pristine_lab).
prepare_pristine() {
	local work=$1 p=$1/pristine cc
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
