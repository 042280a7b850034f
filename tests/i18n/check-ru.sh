#!/bin/sh
# check-ru.sh: `racelab check`'s table and its schedules section speak Russian with
# --lang ru (columns still aligned: cells are padded by characters, not bytes).
# usage: check-ru.sh RACELAB BUILD_DIR
set -u
racelab=$1 build=$2
[ -f "$build/locale/ru/LC_MESSAGES/racelab.mo" ] ||
	{ echo "no Russian catalogue in $build/locale (msgfmt missing at build time)"; exit 77; }
[ -x "$build/bin/lab05-sched" ] || { echo "no -sched flavour in this build"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
unset LC_ALL LC_MESSAGES LANGUAGE RACELAB_LANG
LANG=C "$racelab" check lab5 --lang ru >"$tmp/out" 2>&1
status=$?
for re in \
	'^лаб имя                      запуски с симптомом  TSan нашёл               решения$' \
	'^5   deadlock-lock-order      [0-9]+/[0-9]+ \(нужно 95%\) +lock-order-inversion +ordered ок trylock ок  ПРОЙДЕНО$' \
	'^Расписания \(racelab explore; sched_args из манифеста каждой лабораторной\):$' \
	'^5   deadlock-lock-order      ошибка найдена: взаимная блокировка за 1 расписание \([0-9.]+ с\), pct:' \
	'^    ordered      ошибки нет ни в одном расписании, ни с <= 2 вытеснениями, ни с большим числом: перепробован каждый порядок его синхронизации, ни в одном нет гонки данных \(всего расписаний: [0-9]+, ' \
	'^    trylock      ошибки нет ни в одном расписании с <= 2 вытеснениями \(всего расписаний: [0-9]+, ' \
	'^ПРОЙДЕНО: провалилось 0 лабораторных$'; do
	grep -Eq -- "$re" "$tmp/out" || { echo "lacks /$re/"; fail=1; }
done
[ $status = 0 ] || { echo "exit status $status, not 0"; fail=1; }
[ $fail = 0 ] && echo "check: Russian table and schedules as expected" || cat "$tmp/out"
exit $fail
