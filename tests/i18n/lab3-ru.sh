#!/bin/sh
# lab3-ru.sh: `racelab run lab3` speaks Russian with --lang ru, RACELAB_LANG=ru and
# LANG=ru_RU.UTF-8, whether or not the ru_RU.UTF-8 locale is generated (without it racelab
# carries the translation on C.UTF-8; with it, on the real locale: a private copy built
# with localedef under LOCPATH, when the locale sources are installed). English stays
# English; JSON stays English, with the Russian beside it; numbers keep their '.'.
# usage: lab3-ru.sh RACELAB BUILD_DIR
set -u
racelab=$1 build=$2
[ -f "$build/locale/ru/LC_MESSAGES/racelab.mo" ] ||
	{ echo "no Russian catalogue in $build/locale (msgfmt missing at build time)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# The environment of a Russian student, without the variables that would override it.
unset LC_ALL LC_MESSAGES LANGUAGE RACELAB_LANG

# has FILE REGEX...: every regex matches a line of FILE.
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

# The whole report once, with the cost table; the other ways of asking, shorter.
LANG=C "$racelab" run lab3 --lang ru --runs 3 --json "$tmp/r.json" >"$tmp/lang" 2>&1
has "$tmp/lang" \
	'^Лабораторная 3 \(lost-update\): потерянное обновление$' \
	'^  тема: состояние гонки и блокировки$' \
	'^Обычные запуски: 3 x lab03 ' \
	'^  ВЕРНО [0-9]+   СИМПТОМ [0-9]+   АВАРИЯ 0   ЗАВИСАНИЕ 0   ОШИБКА 0' \
	'^  по запускам: [.SB]+   \(\. верно  S неверный результат' \
	'^  counter: ожидалось [0-9]+$' \
	'^    получено  мин [0-9]+  макс [0-9]+  среднее [0-9]+\.[0-9]  медиана' \
	'^  время одного запуска: медиана [0-9]+\.[0-9] мс' \
	'^  1 находка \(1 отчёт до объединения повторов\):$' \
	'^  \[1\] data race, встречено 1 раз в labs/03-lost-update/lost_update\.c:26$' \
	'^      в глобальной переменной .counter. \(8 байт\)$' \
	'^      что это значит: Два потока обратились к одной и той же памяти' \
	'^      что это значит здесь: Здесь гонка данных — это counter = counter \+ 1' \
	'^Стоимость \(медианное время одной операции, по 3 запуска каждого с ' \
	'^  mutex +[0-9.]+ нс   верно в запусках: [0-3]/3' \
	'^Вердикт: ошибка проявилась: неверных запусков: [0-3]/3( \([1-3] с неверным результатом\))?; TSan: data race в lost_update\.c:26$'
hasnt "$tmp/lang" 'Plain runs|what it means|Verdict:|sized to|stopped after'
# Runs sized to the code's cost (a slow machine only): the note in Russian, the JSON's English.
if grep -q '"sizing": "sized to' "$tmp/r.json"; then
	has "$tmp/lang" '^  \(размер подобран по стоимости кода: --iterations [0-9]+, а не [0-9]+: запуск с [0-9]+ занял бы около [0-9.]+ с процессорного времени'
fi
[ $fail = 0 ] || { echo "--- the report:"; cat "$tmp/lang"; }
# JSON: English where it was, the Russian beside it, '.' in numbers (LC_NUMERIC untouched).
has "$tmp/r.json" '"verdict_text": "bug shown"' '"evidence": "[0-3]/3 runs went wrong' \
	'"lang": "ru"' '"evidence_text": "неверных запусков' '"explanation": "Two threads' \
	'"explanation_text": "Два потока' '"lab_advice_text": "Здесь гонка данных' \
	'"wall_s": [0-9]+\.[0-9]'

# A wrong fix of lab 3 (one lock per step, the sum split): wrong results, TSan clean, and
# the atomicity note in Russian. The sized runs' note: a locked program always costs more.
if [ -x "$build/bin/lab03-wrong-split-lock" ]; then
	LANG=C "$racelab" run lab3 --lang ru --program "$build/bin/lab03-wrong-split-lock" \
		--no-cost --runs 3 >"$tmp/split" 2>&1
	has "$tmp/split" \
		'^Результаты неверны, но TSan ничего не нашёл: каждое обращение защищено' \
		'^  секции, и между ними выполняется другой поток\. Это нарушение атомарности' \
		'^  \(размер подобран по стоимости кода: --iterations [0-9]+, а не 5000000: ' \
		'^  racelab explore lab3 покажет такое чередование потоков шаг за шагом\.$' \
		'^Вердикт: ошибка проявилась: '
	hasnt "$tmp/split" 'Wrong results|sized to|Verdict:'
	[ $fail = 0 ] || { echo "--- the split lock's report:"; cat "$tmp/split"; }
fi

for how in "RACELAB_LANG=ru LANG=C" "LANG=ru_RU.UTF-8" "LANG=C.UTF-8 LANGUAGE=ru"; do
	env $how "$racelab" run lab3 --runs 2 --no-cost --no-tsan >"$tmp/env" 2>&1
	has "$tmp/env" '^Обычные запуски: 2 x lab03' '^Вердикт: ' '^ThreadSanitizer: не запускался'
	[ $fail = 0 ] || { echo "(with $how)"; cat "$tmp/env"; break; }
done

# A generated ru_RU.UTF-8 locale (private: LOCPATH), when this machine can build one.
if localedef -i ru_RU -f UTF-8 "$tmp/ru_RU.UTF-8" >/dev/null 2>&1; then
	LOCPATH=$tmp LANG=ru_RU.UTF-8 "$racelab" run lab3 --runs 2 --no-cost --no-tsan \
		>"$tmp/loc" 2>&1
	has "$tmp/loc" '^Обычные запуски: 2 x lab03' '^Вердикт: ' \
		'^    получено  мин [0-9]+  макс [0-9]+  среднее [0-9]+\.[0-9] '
else
	echo "note: localedef cannot build ru_RU.UTF-8 here; only the C.UTF-8 way was tested"
fi

# English: the locale says nothing, or says Russian and --lang/RACELAB_LANG say English.
for how in "LANG=C" "LANG=ru_RU.UTF-8 RACELAB_LANG=en" "LANGUAGE=ru LANG=C"; do
	env $how "$racelab" run lab3 --runs 1 --no-cost --no-tsan >"$tmp/en" 2>&1
	has "$tmp/en" '^Lab 3 \(lost-update\): Lost update' '^Plain runs: 1 x lab03' '^Verdict: '
	hasnt "$tmp/en" "$(printf '[\320\321]')" # the lead bytes of Cyrillic in UTF-8
done
LANG=ru_RU.UTF-8 "$racelab" run lab3 --lang en --runs 1 --no-cost --no-tsan >"$tmp/en" 2>&1
has "$tmp/en" '^Verdict: '
"$racelab" list --lang de >"$tmp/bad" 2>&1 && { echo "--lang de accepted"; fail=1; }
has "$tmp/bad" "^racelab: --lang: no catalogue for 'de'"
[ $fail = 0 ] && echo "Russian and English reports as expected"
exit $fail
