/* i18n.h: racelab's messages in the reader's language (GNU gettext, glibc's libintl).
 *
 * Every human-facing string is marked: _("...") where it is printed, N_("...") where it
 * is only stored (a table) and translated later with _() at the printing site. Strings
 * that are data (JSON keys and values, kind ids, TSan's own words that racelab parses)
 * are never translated: JSON stays English whatever the language.
 *
 * The language is chosen once, in main, before anything is printed (i18n_pick): --lang,
 * then RACELAB_LANG, then the locale variables (LC_ALL, LC_MESSAGES, LANG; LANGUAGE when
 * the locale is not C). English is the C locale untouched: no setlocale, so the output is
 * byte for byte what it was before translation existed. Russian does not depend on a
 * generated ru_RU.UTF-8 locale: when the user's locale is missing, racelab sets
 * LC_MESSAGES to C.UTF-8 (always present in Debian's libc-bin) and LANGUAGE=ru, which
 * glibc honours in any locale but plain C. The catalogue's text comes out in UTF-8 always
 * (bind_textdomain_codeset). */
#ifndef RACELAB_I18N_H
#define RACELAB_I18N_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>

#define RACELAB_TEXTDOMAIN "racelab"

#define _(msgid)  i18n_gettext(msgid)
#define N_(msgid) msgid
/* ngettext(singular, plural, n) as usual (Russian has three plural forms), through
 * i18n_ngettext so i18n_force_english holds for it too. */
#undef ngettext
#define ngettext(singular, plural, n) i18n_ngettext(singular, plural, n)

/* gettext, or msgid itself while English is forced. */
const char *i18n_gettext(const char *msgid) __attribute__((format_arg(1)));
const char *i18n_ngettext(const char *singular, const char *plural, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));

/* While on, every _() and ngettext() gives the English msgid: for text that is also
 * data (the verdict's evidence in JSON). Returns the previous setting. */
bool i18n_force_english(bool on);

enum i18n_lang { I18N_EN, I18N_RU };

/* A getenv-like lookup, so i18n_pick can be tested without touching the environment. */
typedef const char *(*i18n_getenv_fn)(const char *name);

/* Parses a language name: "en", "ru", or a locale such as "ru_RU.UTF-8" or "en_US".
 * Returns 0 and sets *out, or -1 for anything else. Pure. */
int i18n_parse_lang(const char *text, enum i18n_lang *out);

/* The language to use: option (--lang, may be NULL), else RACELAB_LANG, else the locale
 * variables as glibc reads them. Returns 0, or -1 with "what: why" in err when --lang or
 * RACELAB_LANG names a language racelab has no catalogue for. Pure: reads env only through
 * get. */
int i18n_pick(const char *option, i18n_getenv_fn get, enum i18n_lang *out, char *err,
              size_t err_cap);

/* Switches gettext to lang (process-wide; call once, before printing). English leaves the
 * locale alone. Russian binds the catalogue directory: $RACELAB_LOCALEDIR, else the build
 * tree's (RACELAB_LOCALEDIR at compile time). Returns 0, or -1 with why in err when no
 * locale can carry the translation or the catalogue is missing (racelab then prints
 * English). */
int i18n_use(enum i18n_lang lang, char *err, size_t err_cap);

/* s as a table cell of width characters (UTF-8 code points, not bytes): padded with
 * spaces, and cut to width when cut is true (never inside a character). Returns out, which
 * holds cap bytes. For ASCII the same as printf's "%-Ns" / "%-N.Ns". Pure. */
const char *i18n_cell(char *out, size_t cap, const char *s, int width, bool cut);

/* The language in use: "en" or "ru" (for file names such as advice.ru.txt). */
const char *i18n_lang_code(void);

/* Removes "--lang X" / "--lang=X" from argv (before a "--" that ends the options), so
 * every command takes it. Sets *value to X (NULL when absent) and returns the new argc,
 * or -1 when --lang has no value. argv stays NULL-terminated. */
int i18n_strip_option(int argc, char **argv, const char **value);

#endif
