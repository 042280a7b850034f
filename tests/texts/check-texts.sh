#!/bin/sh
# check-texts.sh: fails when a lab's texts (README.md, README.ru.md) drift from the code.
# usage: check-texts.sh SOURCE_DIR [LAB_DIR...]   (default: every labs/NN-* folder)
#
# What it checks, per lab:
#  1. Every single-word `code` span is real: an identifier (`do_cpu_jobs`, `start_workers()`,
#     `shared->items`) occurs in the lab's sources, its solutions or the lab kit; a
#     `--flag` is one of the lab's knobs or a racelab option; a file name exists.
#  2. Every number of 4 digits or more in the prose (outside code blocks) occurs in the
#     lab's manifest, sources or solutions; "N by default" / "по умолчанию N" next to a
#     `--knob` matches the manifest's value for that knob or the program's default.
#  3. Every quoted "Verdict: NAME: EVIDENCE" line is one harness/verdict.c can print;
#     every quoted "what it means: ..." is an explanation of harness/tsan_kinds.c, and
#     every "what it means here: ..." is the lab's advice.en.txt.
#  4. Every labs/.../file.c:N quoted in the texts names a line the file has, and the
#     place a quoted finding or verdict names ("[1] data race, seen 1 time at F:N",
#     "TSan: data race at F:N") is a line marked RACE or BUG: an excerpt goes stale when
#     the lab's code moves.
#  5. No claim known to be false comes back: false-claims.txt beside this script lists
#     them (regexes, matched on the texts and the lab's and solutions' sources with lines
#     joined, so a claim broken over two lines is still found).
# Exceptions (words that are not identifiers, derived numbers) are in allow.txt beside
# this script, each with its reason. Prints one line per problem; exits 1 if any.
set -eu
src=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
allow=$here/allow.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -eq 0 ]; then
	set -- "$src"/labs/[0-9][0-9]-*
fi

# The verdict names and the evidence formats of verdict.c, as anchored regexes.
awk '
function literals(s,    out, i, c, in_lit, esc) {
	# the first run of adjacent string literals in s, concatenated
	out = ""; in_lit = 0; esc = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (in_lit) {
			if (esc) { out = out c; esc = 0 }
			else if (c == "\\") esc = 1
			else if (c == "\"") in_lit = 0
			else out = out c
		} else if (c == "\"") in_lit = 1
		else if (c != " " && c != "\t" && out != "") return out
	}
	return out
}
function to_regex(f,    r) {
	r = f
	gsub(/[][\\.^$*+?(){}|]/, "\\\\&", r)
	gsub(/%zu|%d|%ld/, "[0-9]+", r)
	gsub(/%s/, ".*", r)
	return "^" r "$"
}
# (a name may be marked for translation: return N_("bug shown");)
/return (N_\()?"[^"?]+"\)?;/ { s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s); print "name\t" s }
/snprintf\(/ { stmt = ""; collecting = 1 }
collecting { stmt = stmt " " $0 }
collecting && /\);/ {
	collecting = 0
	if (stmt ~ /ex->evidence/) {
		s = stmt; sub(/^[^"]*/, "", s)
		f = literals(s)
		if (f != "" && f !~ /^%s$/) print "evidence\t" to_regex(f)
	}
}' "$src/harness/verdict.c" >"$tmp/verdicts"

# All string literals of tsan_kinds.c joined: a quoted explanation must be a part of it.
awk '{ s = $0; while (match(s, /"([^"\\]|\\.)*"/)) {
	printf "%s", substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH) } }' \
	"$src/harness/tsan_kinds.c" | sed 's/\\"/"/g' >"$tmp/explanations"

# Racelab's own options.
grep -o '"--[a-z-]*' "$src/harness/cli.c" | sed 's/^"//' | sort -u >"$tmp/racelab_options"

problems=0
report() {
	echo "$1"
	problems=$((problems + 1))
}

# allowed KIND LAB WORD: allow.txt has "KIND LAB WORD" or "KIND * WORD".
allowed() {
	awk -v k="$1" -v l="$2" -v w="$3" '$1 == k && ($2 == l || $2 == "*") && $3 == w { f = 1 }
		END { exit !f }' "$allow"
}

# Prose of a text: code blocks (fenced, or indented 4 spaces) blanked, line numbers kept.
prose() {
	awk '/^```/ { fence = !fence; print ""; next }
		fence || /^    / || /^\t/ { print ""; next } { print }' "$1"
}

# Inline code spans of a text's prose, one per line: LINE<TAB>SPAN.
spans() {
	prose "$1" | awk '{ s = $0; while (match(s, /`[^`]+`/)) {
		print NR "\t" substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH) } }'
}

check_lab() {
	lab=$1
	name=$(basename "$lab")
	nn=$(echo "$name" | cut -c1-2)
	sol=$src/solutions/$name
	: >"$tmp/sources"
	for f in "$lab"/*.c "$lab"/*.h "$lab"/lab.manifest "$sol"/*.c "$src"/labkit/*.c \
		"$src"/labkit/*.h "$lab"/python/*.py "$sol"/python/*.py "$src"/labkit/python/*.py; do
		[ -f "$f" ] && cat "$f" >>"$tmp/sources"
	done
	: >"$tmp/numbers_ok"
	for f in "$lab"/*.c "$lab"/*.h "$lab"/lab.manifest "$sol"/*.c "$lab"/python/*.py \
		"$sol"/python/*.py; do
		[ -f "$f" ] && cat "$f" >>"$tmp/numbers_ok"
	done
	for readme in "$lab"/README.md "$lab"/README.ru.md; do
		[ -f "$readme" ] || continue
		rel=${readme#"$src"/}
		check_spans "$readme" "$rel"
		check_numbers "$readme" "$rel"
		check_defaults "$readme" "$rel"
		check_report_lines "$readme" "$rel"
		check_line_refs "$readme" "$rel"
	done
	check_false_claims
}

# One awk pass per text: the sets (words of the sources, knobs, racelab options, allow.txt)
# are read first, then the text's spans and numbers are looked up in them.
check_spans() {
	spans "$1" >"$tmp/spans"
	awk -F'\t' -v nn="$nn" -v rel="$2" -v src="$src" -v lab="$lab" -v sol="$sol" '
	FILENAME == ARGV[1] { n = split($0, w, /[^A-Za-z0-9_]+/); for (i = 1; i <= n; i++) word[w[i]] = 1
		while (match($0, /"[a-z][a-z-]*"/)) { knob["--" substr($0, RSTART + 1, RLENGTH - 2)] = 1
			$0 = substr($0, RSTART + RLENGTH) }
		next }
	FILENAME == ARGV[2] { knob[$0] = 1; next }
	FILENAME == ARGV[3] { split($0, a, /[ \t]+/); if (a[1] == "word" && (a[2] == nn || a[2] == "*"))
			allow[a[3]] = 1; next }
	{
		line = $1; span = $2
		if (span == "" || span ~ / / || span ~ /^build\//) next
		if (span in allow) next
		if (span ~ /^--/) {
			flag = span; sub(/=.*/, "", flag)
			if (!(flag in knob) && !(flag in allow))
				printf "%s:%s: `%s`: no knob or racelab option %s\n", rel, line, span, flag
			next
		}
		if (span ~ /\/|\.(c|h|md|manifest|txt)$/) { print "FILE\t" rel "\t" line "\t" span; next }
		t = span; sub(/\(\)$/, "", t)
		n = split(t, w, /[^A-Za-z0-9_]+/)
		for (i = 1; i <= n; i++)
			if (w[i] != "" && w[i] !~ /^[0-9]/ && !(w[i] in word) && !(w[i] in allow))
				printf "%s:%s: `%s`: \047%s\047 is not in the lab\047s sources, solutions or the lab kit\n", rel, line, span, w[i]
	}' "$tmp/sources" "$tmp/racelab_options" "$allow" "$tmp/spans" >"$tmp/span_problems"
	while IFS= read -r msg; do
		case $msg in
		FILE*)
			f=$(echo "$msg" | cut -f4)
			[ -e "$src/$f" ] || [ -e "$lab/$f" ] || [ -e "$sol/$f" ] ||
				report "$(echo "$msg" | cut -f2):$(echo "$msg" | cut -f3): \`$f\`: no such file" ;;
		*) report "$msg" ;;
		esac
	done <"$tmp/span_problems"
}

# Numbers of 4+ digits in the prose ("2 500" and "1 000" are read as one number).
check_numbers() {
	prose "$1" | sed -e ':a' -e 's/\([0-9]\) \([0-9][0-9][0-9]\)\([^0-9]\|$\)/\1\2\3/' -e 'ta' |
		awk -v nn="$nn" -v rel="$2" -v allow_file="$allow" -v ok_file="$tmp/numbers_ok" '
		BEGIN {
			while ((getline l < ok_file) > 0) { n = split(l, w, /[^0-9]+/); for (i = 1; i <= n; i++) ok[w[i]] = 1 }
			while ((getline l < allow_file) > 0) { split(l, a, /[ \t]+/)
				if (a[1] == "number" && (a[2] == nn || a[2] == "*")) ok[a[3]] = 1 }
		}
		{ s = $0; while (match(s, /[0-9][0-9.,]*/)) {
			n = substr(s, RSTART, RLENGTH); sub(/[.,]$/, "", n)
			if (n !~ /[.,]/ && length(n) >= 4 && !(n in ok))
				printf "%s:%d: %s is in no source, solution or manifest of the lab (allow.txt if derived)\n", rel, NR, n
			s = substr(s, RSTART + RLENGTH) } }' >"$tmp/number_problems"
	while IFS= read -r msg; do report "$msg"; done <"$tmp/number_problems"
}

# "(`--knob`, N by default)" / "(`--knob`, по умолчанию N)": N is the manifest's value for
# --knob, or the program's own default (`knob = N` in its source).
check_defaults() {
	prose "$1" | awk '
	function scan(s, first) {
		while (match(s, /`--[a-z-]+`[,:]? \(?[0-9]+ by default|`--[a-z-]+`[,:]? \(?по умолчанию [0-9]+/)) {
			m = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
			knob = m; sub(/^`--/, "", knob); sub(/`.*/, "", knob)
			n = m; sub(/ by default$/, "", n); sub(/.*[^0-9]/, "", n)
			if (n != "") print first "\t" knob "\t" n
		} }
	# a paragraph at a time: "(`--threads`, 2 by" may end a line and "default)" start the next
	$0 == "" { scan(para, first); para = ""; next }
	{ if (para == "") first = NR; para = para " " $0 }
	END { scan(para, first) }' >"$tmp/defaults"
	while IFS='	' read -r line knob n; do
		manifest_value=$(sed -n 's/^args *= *//p' "$lab/lab.manifest" |
			awk -v k="--$knob" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }')
		[ "$manifest_value" = "$n" ] && continue
		var=$(echo "$knob" | tr '-' '_')
		grep -q "\b$var = $n\b" "$lab"/*.c && continue
		report "$2:$line: --$knob: the text says $n by default; the manifest says ${manifest_value:-nothing}, and the program has no '$var = $n'"
	done <"$tmp/defaults"
}

check_report_lines() {
	# Verdict lines, anywhere in the text (code blocks included).
	grep -n 'Verdict: ' "$1" | sed 's/^\([0-9]*\):.*`Verdict: \([^`]*\)`.*/\1\t\2/;
		s/^\([0-9]*\):.*Verdict: /\1\t/' >"$tmp/verdict_lines" || true
	while IFS='	' read -r line v; do
		vname=${v%%: *}
		evidence=${v#*: }
		awk -F'\t' -v n="$vname" '$1 == "name" && $2 == n { f = 1 } END { exit !f }' \
			"$tmp/verdicts" || { report "$2:$line: verdict '$vname' is not one verdict.c prints"; continue; }
		case $evidence in *...) continue ;; esac
		awk -F'\t' -v e="$evidence" '$1 == "evidence" && e ~ $2 { f = 1 } END { exit !f }' \
			"$tmp/verdicts" ||
			report "$2:$line: verdict evidence '$evidence' matches no format of verdict.c"
	done <"$tmp/verdict_lines"
	# Explanations quoted from a report.
	grep -n 'what it means: ' "$1" | sed 's/^\([0-9]*\):.*what it means: /\1\t/' \
		>"$tmp/explain_lines" || true
	while IFS='	' read -r line quoted; do
		quoted=${quoted%...}
		grep -qF -- "$quoted" "$tmp/explanations" ||
			report "$2:$line: 'what it means: $(echo "$quoted" | cut -c1-50)...' is not an explanation of tsan_kinds.c"
	done <"$tmp/explain_lines"
	grep -n 'what it means here: ' "$1" | sed 's/^\([0-9]*\):.*what it means here: /\1\t/' \
		>"$tmp/advice_lines" || true
	while IFS='	' read -r line quoted; do
		quoted=${quoted%...}
		awk '/^#/ { next } /^[ \t]/ { sub(/^[ \t]+/, ""); printf " %s", $0; next }
			{ sub(/^[a-z-]+: */, ""); printf "\n%s", $0 }' "$lab/advice.en.txt" 2>/dev/null |
			grep -qF -- "$quoted" ||
			report "$2:$line: 'what it means here: $(echo "$quoted" | cut -c1-50)...' is not in advice.en.txt"
	done <"$tmp/advice_lines"
}

check_line_refs() {
	grep -no 'labs/[0-9][0-9]-[a-z-]*/[a-z_]*\.[ch]:[0-9]*' "$1" | sort -u >"$tmp/refs" || true
	while IFS=: read -r line path n; do
		f=$src/$path
		if [ ! -f "$f" ]; then
			report "$2:$line: $path: no such file"
		elif [ "$(wc -l <"$f")" -lt "$n" ]; then
			report "$2:$line: $path:$n: the file has fewer lines"
		fi
	done <"$tmp/refs"
	{ grep -n '^ *\[[0-9]*\] .*, seen [0-9]* times* at ' "$1" |
		sed 's/^\([0-9]*\):.* at \([^ ]*\)$/\1 \2/'
	  grep -n 'Verdict: .*TSan: .* at [a-z_]*\.[ch]:[0-9]*' "$1" |
		sed 's/^\([0-9]*\):.* at \([a-z_]*\.[ch]:[0-9]*\).*/\1 \2/'; } >"$tmp/marked" || true
	while read -r line where; do
		path=${where%:*} n=${where##*:}
		case $path in */*) f=$src/$path ;; *) f=$lab/$path ;; esac
		[ -f "$f" ] && sed -n "${n}p" "$f" | grep -Eq 'RACE|BUG' ||
			report "$2:$line: $where: the quoted finding names a line not marked RACE or BUG (the code moved?)"
	done <"$tmp/marked"
}

# Claims known to be false, on every text and source of the lab, lines joined.
check_false_claims() {
	for f in "$lab"/README.md "$lab"/README.ru.md "$lab"/*.c "$sol"/*.c; do
		[ -f "$f" ] || continue
		awk -v name="${f#"$src"/}" -v claims="$here/false-claims.txt" '
		{ text = text " " $0 }
		END {
			gsub(/[ \t*]+/, " ", text); text = tolower(text)
			while ((getline l < claims) > 0) {
				if (l ~ /^#/ || l == "") continue
				split(l, c, "\t")
				if (text ~ tolower(c[1]))
					printf "%s: says /%s/, which is false: %s\n", name, c[1], c[2]
			} }' "$f"
	done >"$tmp/false"
	while IFS= read -r msg; do report "$msg"; done <"$tmp/false"
}

for lab in "$@"; do
	check_lab "${lab%/}"
done
# The front page quotes a report of lab 3: its verdict and explanations must be current too.
lab=$src/labs/03-lost-update
if [ -f "$src/README.md" ]; then
	check_report_lines "$src/README.md" README.md
fi
if [ "$problems" -gt 0 ]; then
	echo "check-texts: $problems problem(s); fix the text, or the code, or allow.txt" >&2
	exit 1
fi
echo "check-texts: $# lab(s), texts agree with the code"
