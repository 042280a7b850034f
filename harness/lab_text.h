/* lab_text.h: a lab's title and topic in the reader's language, from its README.LANG.md.
 *
 * The manifest's title and topic are English. The Russian ones already live in the lab's
 * own text, labs/NN-slug/README.ru.md: its first line "# Лабораторная 3: потерянное
 * обновление" and a topic line "*Тема: состояние гонки и блокировки.*" (or "Тема курса:
 * ..."). Reading them there keeps one home for each. */
#ifndef RACELAB_LAB_TEXT_H
#define RACELAB_LAB_TEXT_H

#include <stddef.h>

#define LAB_TEXT_MAX 256

struct lab_text {
	char title[LAB_TEXT_MAX]; /* "" when the README has no "# ...: title" first line */
	char topic[LAB_TEXT_MAX]; /* "" when it has no "Тема: ..." line in its first lines */
};

/* Parses a README's text (NUL-terminated). Pure: no I/O. The title is the first line's
 * heading after its first ": "; the topic is what follows "Тема: " or "Тема курса: " in
 * the first 5 lines, up to the end of its first clause (". ", " — " or the line's end),
 * without '*' or a final '.'. */
void lab_text_parse(const char *readme, struct lab_text *out);

/* Reads lab_dir/README.LANG.md into out; out is empty for English, or when the file is
 * missing or unreadable (the manifest's English is then used). */
void lab_text_load(const char *lab_dir, const char *lang, struct lab_text *out);

#endif
