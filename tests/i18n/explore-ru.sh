#!/bin/sh
# explore-ru.sh: `racelab explore` / `replay` speak Russian with --lang ru (the plural of
# "schedules" included) while their JSON stays English, and English stays English.
# usage: explore-ru.sh RACELAB BUILD_DIR
set -u
racelab=$1 build=$2
[ -f "$build/locale/ru/LC_MESSAGES/racelab.mo" ] ||
	{ echo "no Russian catalogue in $build/locale (msgfmt missing at build time)"; exit 77; }
[ -x "$build/bin/lab03-sched" ] && [ -x "$build/bin/lab05-sched" ] ||
	{ echo "no -sched flavour in this build"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
unset LC_ALL LC_MESSAGES LANGUAGE RACELAB_LANG
has() {
	f=$1
	shift
	for re in "$@"; do
		grep -Eq -- "$re" "$f" || { echo "$f lacks /$re/"; fail=1; }
	done
}
hasnt() {
	LC_ALL=C grep -Eq -- "$2" "$1" && { echo "$1 has /$2/"; fail=1; }
	return 0
}

# Lab 3's lost update (pct, seed 1: found after 5 schedules), its JSON beside it.
LANG=C "$racelab" explore lab3 --lang ru --json "$tmp/3.json" >"$tmp/3" 2>&1
has "$tmp/3" \
	'^Лабораторная 3 \(lost-update\): explore, стратегия pct, глубина 2, зерно 1, бюджет \(расписаний\): [0-9]+$' \
	'^  программа: .*lab03-sched ' \
	'^  ошибка найдена за [0-9]+ расписани(е|я|й), ' \
	'^  исход: неверный результат \(counter: получено [0-9]+, ожидалось 4\)$' \
	'^  повторить его: racelab replay lab3 pct:' \
	'^Чередование потоков \(шагов: [0-9]+, решений планировщика: [0-9]+\):$' \
	'^ +шаг  T0 \(главный\) +T1 +T2' \
	'<-- T[12] записывает [0-9]+ поверх значения T[12], равного [0-9]+' \
	'^  \(:N — строка файла lost_update\.c; показаны только общие переменные' \
	'^  переключение, на котором теряется обновление: T[12] записывает'
hasnt "$tmp/3" 'Interleaving|found after|outcome:|stores [0-9]+ over'
has "$tmp/3.json" '"outcome": "wrong result"' '"text": "store counter = ' \
	'"lost_update": "T[12] stores [0-9]+ over T[12]'
hasnt "$tmp/3.json" "$(printf '[\320\321]')" # the lead bytes of Cyrillic in UTF-8
[ $fail = 0 ] || { echo "--- explore lab3:"; cat "$tmp/3"; }

# Lab 5's deadlock (found at the first schedule: the singular) and who waits for whom.
LANG=C "$racelab" explore lab5 --lang ru >"$tmp/5" 2>&1
has "$tmp/5" \
	'^  ошибка найдена за 1 расписание, ' \
	'^  исход: взаимная блокировка$' \
	'^Ни один поток не может выполняться:$' \
	"^    T[12] в transfer\(\) \(transfer\.c:[0-9]+\) ждёт мьютекс '[a-z+0-9]+', который держит T[12]$" \
	'^  взаимная блокировка: T[12] ждёт мьютекс .*: каждый ждёт следующего, и ни один не может продолжить\.$'
[ $fail = 0 ] || { echo "--- explore lab5:"; cat "$tmp/5"; }

# The solution's bounded search, in Russian; and English, unchanged, without --lang.
LANG=C "$racelab" explore lab3 --lang ru --solution --strategy exhaustive >"$tmp/s" 2>&1
has "$tmp/s" '^  ошибки нет ни в одном расписании с <= 2 вытеснениями \(всего расписаний: [0-9]+, '
LANG=C "$racelab" explore lab5 >"$tmp/en" 2>&1
has "$tmp/en" '^  found after 1 schedule, ' '^  outcome: deadlock$' '^Nobody can run:$' \
	": each waits for the next, so none can go on\.$"
hasnt "$tmp/en" "$(printf '[\320\321]')"
[ $fail = 0 ] && echo "explore and replay: Russian and English as expected"
exit $fail
