/* sarif.c: findings as a SARIF 2.1.0 log (see sarif.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "file_util.h"
#include "json_writer.h"
#include "sarif.h"

struct sarif_ctx {
	struct json_writer w;
	const char *root; /* source_dir with no trailing slash; NULL: none */
	size_t root_len;
};

/* artifactLocation + region of a frame; nothing when it names no line. */
static void physical_location(struct sarif_ctx *c, const struct tsan_frame *f)
{
	struct json_writer *w = &c->w;
	json_object(w, "physicalLocation");
	json_object(w, "artifactLocation");
	if (c->root && strncmp(f->file, c->root, c->root_len) == 0 && f->file[c->root_len] == '/') {
		json_string(w, "uri", f->file + c->root_len + 1);
		json_string(w, "uriBaseId", "SRCROOT");
	} else {
		json_string(w, "uri", f->file);
	}
	json_end_object(w);
	json_object(w, "region");
	json_int(w, "startLine", f->line);
	if (f->column > 0)
		json_int(w, "startColumn", f->column);
	json_end_object(w);
	json_end_object(w);
}

static void location(struct sarif_ctx *c, const struct tsan_frame *f, int id, const char *text)
{
	json_object(&c->w, NULL);
	if (id > 0)
		json_int(&c->w, "id", id);
	physical_location(c, f);
	if (text) {
		json_object(&c->w, "message");
		json_string(&c->w, "text", text);
		json_end_object(&c->w);
	}
	json_end_object(&c->w);
}

static void thread_label(int thread, char *out, size_t cap)
{
	if (thread == 0)
		snprintf(out, cap, "main thread");
	else
		snprintf(out, cap, "thread T%d", thread);
}

static void access_text(const struct tsan_access *a, bool previous, char *out, size_t cap)
{
	char who[32];
	thread_label(a->thread, who, sizeof(who));
	snprintf(out, cap, "%s%s%s of size %d by %s%s%s%s", previous ? "previous " : "",
	         a->is_atomic ? "atomic " : "", a->is_write ? "write" : "read", a->size, who,
	         a->mutexes[0] ? " (holding " : "", a->mutexes, a->mutexes[0] ? ")" : "");
}

static void related_locations(struct sarif_ctx *c, const struct tsan_finding *f)
{
	char text[160];
	json_array(&c->w, "relatedLocations");
	for (int i = 0; i < 2; i++) {
		if (!f->access[i].present || !f->access[i].where.line)
			continue;
		access_text(&f->access[i], i == 1, text, sizeof(text));
		location(c, &f->access[i].where, i + 1, text);
	}
	for (int i = 0; i < f->n_stacks; i++)
		if (f->stacks[i].where.line)
			location(c, &f->stacks[i].where, 3 + i, f->stacks[i].title);
	json_end_array(&c->w);
}

/* One threadFlow holding one location. */
static void thread_flow(struct sarif_ctx *c, const struct tsan_frame *where, const char *text)
{
	json_object(&c->w, NULL);
	json_array(&c->w, "locations");
	json_object(&c->w, NULL);
	json_object(&c->w, "location");
	physical_location(c, where);
	json_object(&c->w, "message");
	json_string(&c->w, "text", text);
	json_end_object(&c->w);
	json_end_object(&c->w);
	json_end_object(&c->w);
	json_end_array(&c->w);
	json_end_object(&c->w);
}

static bool has_flow(const struct tsan_finding *f)
{
	for (int i = 0; i < 2; i++)
		if (f->access[i].present && f->access[i].where.line)
			return true;
	for (int i = 0; i < f->n_stacks; i++)
		if (f->stacks[i].where.line)
			return true;
	return false;
}

/* The stacks: each thread's access, or each titled stack, as its own thread flow. */
static void code_flows(struct sarif_ctx *c, const struct tsan_finding *f)
{
	char text[160];
	if (!has_flow(f))
		return;
	json_array(&c->w, "codeFlows");
	json_object(&c->w, NULL);
	json_array(&c->w, "threadFlows");
	for (int i = 0; i < 2; i++) {
		if (!f->access[i].present || !f->access[i].where.line)
			continue;
		access_text(&f->access[i], i == 1, text, sizeof(text));
		thread_flow(c, &f->access[i].where, text);
	}
	for (int i = 0; i < f->n_stacks; i++)
		if (f->stacks[i].where.line)
			thread_flow(c, &f->stacks[i].where, f->stacks[i].title);
	json_end_array(&c->w);
	json_end_object(&c->w);
	json_end_array(&c->w);
}

static void result(struct sarif_ctx *c, const struct sarif_source *s, const struct tsan_finding *f)
{
	struct json_writer *w = &c->w;
	char title[160], message[1024], where[64] = "";
	tsan_finding_title(f, title, sizeof(title));
	if (f->location.kind == TSAN_LOC_GLOBAL && f->location.variable[0])
		snprintf(where, sizeof(where), " on '%s'", f->location.variable);
	snprintf(message, sizeof(message), "%s%s (%s, %s%s). %s", title, where, s->detector,
	         s->subject, f->count > 1 ? ", several reports" : "",
	         tsan_kind_explanation(f->kind));
	json_object(w, NULL);
	json_string(w, "ruleId", tsan_kind_slug(f->kind));
	json_int(w, "ruleIndex", f->kind);
	json_string(w, "level", "error");
	json_object(w, "message");
	json_string(w, "text", message);
	json_end_object(w);
	json_array(w, "locations");
	if (f->where.line)
		location(c, &f->where, 0, NULL);
	json_end_array(w);
	related_locations(c, f);
	code_flows(c, f);
	json_object(w, "partialFingerprints");
	char print[TSAN_PATH_MAX + 64];
	const char *slash = strrchr(f->where.file, '/');
	snprintf(print, sizeof(print), "%s:%s:%d", tsan_kind_slug(f->kind),
	         slash ? slash + 1 : f->where.file, f->where.line);
	json_string(w, "racelabFinding/v1", print);
	json_end_object(w);
	json_object(w, "properties");
	json_string(w, "detector", s->detector);
	json_string(w, "subject", s->subject);
	json_int(w, "reports", f->count);
	json_end_object(w);
	json_end_object(w);
}

/* Every kind is a rule, in enum order, so ruleIndex is the kind's number. */
static void rules(struct json_writer *w)
{
	json_array(w, "rules");
	for (int k = 0; k < TSAN_KIND_COUNT; k++) {
		json_object(w, NULL);
		json_string(w, "id", tsan_kind_slug(k));
		json_object(w, "shortDescription");
		json_string(w, "text", tsan_kind_name(k));
		json_end_object(w);
		json_object(w, "fullDescription");
		json_string(w, "text", tsan_kind_explanation(k));
		json_end_object(w);
		json_object(w, "help");
		json_string(w, "text", tsan_kind_explanation(k));
		json_end_object(w);
		json_object(w, "defaultConfiguration");
		json_string(w, "level", "error");
		json_end_object(w);
		json_end_object(w);
	}
	json_end_array(w);
}

static void base_ids(struct sarif_ctx *c)
{
	char uri[4200];
	if (!c->root)
		return;
	snprintf(uri, sizeof(uri), "file://%.*s/", (int)c->root_len, c->root);
	json_object(&c->w, "originalUriBaseIds");
	json_object(&c->w, "SRCROOT");
	json_string(&c->w, "uri", uri);
	json_end_object(&c->w);
	json_end_object(&c->w);
}

int sarif_write(FILE *out, const char *source_dir, const char *version,
                const struct sarif_source *sources, int n)
{
	struct sarif_ctx c = {.root = source_dir && *source_dir ? source_dir : NULL};
	if (c.root) {
		c.root_len = strlen(c.root);
		while (c.root_len > 1 && c.root[c.root_len - 1] == '/')
			c.root_len--;
	}
	struct json_writer *w = &c.w;
	json_begin(w, out);
	json_object(w, NULL);
	json_string(w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	json_string(w, "version", "2.1.0");
	json_array(w, "runs");
	json_object(w, NULL);
	json_object(w, "tool");
	json_object(w, "driver");
	json_string(w, "name", "racelab");
	json_string(w, "version", version);
	rules(w);
	json_end_object(w);
	json_end_object(w);
	base_ids(&c);
	json_array(w, "results");
	for (int i = 0; i < n; i++)
		for (size_t k = 0; sources[i].report && k < sources[i].report->n_findings; k++)
			result(&c, &sources[i], &sources[i].report->findings[k]);
	json_end_array(w);
	json_end_object(w);
	json_end_array(w);
	json_end_object(w);
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

int sarif_write_file(const char *path, const char *source_dir, const char *version,
                     const struct sarif_source *sources, int n)
{
	if (strcmp(path, "-") == 0)
		return sarif_write(stdout, source_dir, version, sources, n) || fflush(stdout) ? -1
		                                                                              : 0;
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return -1;
	int rc = sarif_write(mem, source_dir, version, sources, n);
	if (fclose(mem) != 0)
		rc = -1;
	if (rc == 0)
		rc = file_write_atomic(path, text, len);
	free(text);
	return rc;
}
