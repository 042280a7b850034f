/* i18n.c: chooses racelab's language and binds its gettext catalogue; see i18n.h. */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"

#ifndef RACELAB_LOCALEDIR
#define RACELAB_LOCALEDIR "/usr/share/locale"
#endif

static enum i18n_lang current = I18N_EN;
static bool english_forced;

/* i18n.h defines these names as macros for the callers; here they are libintl's. */
#undef ngettext

const char *i18n_gettext(const char *msgid)
{
	return english_forced || current == I18N_EN ? msgid : gettext(msgid);
}

const char *i18n_ngettext(const char *singular, const char *plural, unsigned long n)
{
	if (english_forced || current == I18N_EN)
		return n == 1 ? singular : plural;
	return ngettext(singular, plural, n);
}

bool i18n_force_english(bool on)
{
	bool was = english_forced;
	english_forced = on;
	return was;
}

int i18n_parse_lang(const char *text, enum i18n_lang *out)
{
	if (!text)
		return -1;
	/* "ru", "ru_RU", "ru_RU.UTF-8", "ru@...": the language is the part before '_'/'.'/'@'. */
	size_t n = strcspn(text, "_.@");
	if (n == 2 && strncmp(text, "ru", 2) == 0)
		*out = I18N_RU;
	else if (n == 2 && strncmp(text, "en", 2) == 0)
		*out = I18N_EN;
	else
		return -1;
	return 0;
}

static const char *nonempty(i18n_getenv_fn get, const char *name)
{
	const char *v = get(name);
	return v && *v ? v : NULL;
}

/* The language glibc's gettext would pick from the environment, as far as racelab has a
 * catalogue for it: LANGUAGE (a colon-separated list) counts only when the locale is not
 * C/POSIX; otherwise the locale's own name decides. */
static enum i18n_lang from_locale(i18n_getenv_fn get)
{
	const char *loc = nonempty(get, "LC_ALL");
	if (!loc)
		loc = nonempty(get, "LC_MESSAGES");
	if (!loc)
		loc = nonempty(get, "LANG");
	if (!loc || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0)
		return I18N_EN;
	const char *list = nonempty(get, "LANGUAGE");
	enum i18n_lang lang;
	while (list && *list) {
		char item[64];
		size_t n = strcspn(list, ":");
		if (n < sizeof(item)) {
			memcpy(item, list, n);
			item[n] = '\0';
			if (i18n_parse_lang(item, &lang) == 0)
				return lang;
		}
		list += n + (list[n] == ':');
	}
	return i18n_parse_lang(loc, &lang) == 0 ? lang : I18N_EN;
}

int i18n_pick(const char *option, i18n_getenv_fn get, enum i18n_lang *out, char *err,
              size_t err_cap)
{
	const char *forced = option, *what = "--lang";
	if (!forced && (forced = nonempty(get, "RACELAB_LANG")))
		what = "RACELAB_LANG";
	if (forced) {
		if (i18n_parse_lang(forced, out) == 0)
			return 0;
		snprintf(err, err_cap, "%s: no catalogue for '%s' (racelab speaks en and ru)", what,
		         forced);
		return -1;
	}
	*out = from_locale(get);
	return 0;
}

static const char *catalogue_dir(void)
{
	const char *dir = getenv("RACELAB_LOCALEDIR");
	return dir && *dir ? dir : RACELAB_LOCALEDIR;
}

int i18n_use(enum i18n_lang lang, char *err, size_t err_cap)
{
	current = I18N_EN;
	if (lang == I18N_EN)
		return 0; /* the C locale: the msgids, untouched */
	char mo[PATH_MAX];
	snprintf(mo, sizeof(mo), "%s/%s/LC_MESSAGES/%s.mo", catalogue_dir(), "ru",
	         RACELAB_TEXTDOMAIN);
	if (access(mo, R_OK) != 0) {
		snprintf(err, err_cap,
		         "no Russian catalogue (%s: %s; racelab was built without "
		         "gettext's msgfmt?): English it is",
		         mo, strerror(errno));
		return -1;
	}
	bindtextdomain(RACELAB_TEXTDOMAIN, catalogue_dir());
	bind_textdomain_codeset(RACELAB_TEXTDOMAIN, "UTF-8");
	bind_textdomain_codeset("libc", "UTF-8"); /* strerror() in Russian, whatever LC_CTYPE */
	textdomain(RACELAB_TEXTDOMAIN);
	/* Only LC_MESSAGES: LC_NUMERIC stays C, so "%.1f" keeps its '.' (JSON, tables). */
	const char *got = setlocale(LC_MESSAGES, "");
	if (!got || strcmp(got, "C") == 0 || strcmp(got, "POSIX") == 0)
		got = setlocale(LC_MESSAGES, "C.UTF-8");
	if (!got)
		got = setlocale(LC_MESSAGES, "C.utf8");
	if (!got) {
		snprintf(err, err_cap,
		         "Russian: no locale to carry the translation (neither ru_RU.UTF-8 nor "
		         "C.UTF-8 is installed): English it is");
		return -1;
	}
	/* glibc reads LANGUAGE at every gettext call, in any locale but C. */
	setenv("LANGUAGE", "ru", 1);
	current = lang;
	return 0;
}

const char *i18n_cell(char *out, size_t cap, const char *s, int width, bool cut)
{
	size_t len = 0;
	int chars = 0;
	for (const char *p = s; *p; p++) {
		bool starts_char = ((unsigned char)*p & 0xc0) != 0x80;
		if (starts_char && cut && chars == width)
			break;
		if (len + 1 >= cap)
			break;
		chars += starts_char;
		out[len++] = *p;
	}
	/* A character cut by cap is dropped whole. */
	while (len > 0 && ((unsigned char)out[len - 1] & 0x80)) {
		size_t start = len - 1;
		while (start > 0 && ((unsigned char)out[start] & 0xc0) == 0x80)
			start--;
		unsigned char lead = (unsigned char)out[start];
		size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
		if (len - start == need)
			break;
		chars--;
		len = start;
	}
	while (chars < width && len + 1 < cap) {
		out[len++] = ' ';
		chars++;
	}
	out[len] = '\0';
	return out;
}

const char *i18n_lang_code(void)
{
	return current == I18N_RU ? "ru" : "en";
}

int i18n_strip_option(int argc, char **argv, const char **value)
{
	int out = 0;
	*value = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (i > 0 && strncmp(argv[i], "--lang=", 7) == 0) {
			*value = argv[i] + 7;
			continue;
		}
		if (i > 0 && strcmp(argv[i], "--lang") == 0) {
			if (i + 1 >= argc)
				return -1;
			*value = argv[++i];
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}
