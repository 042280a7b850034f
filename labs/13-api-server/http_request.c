/* http_request.c: lab 13's request parser (http_request.h). Every length is checked before
 * a byte is read; nothing here depends on a NUL at the end of the input. */
#include <string.h>

#include "http_request.h"

/* The end of the head ("\r\n\r\n") within buf[0..len): the offset just past it, or 0. */
static size_t head_end(const char *buf, size_t len)
{
	for (size_t i = 0; i + 3 < len; i++)
		if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' &&
		    buf[i + 3] == '\n')
			return i + 4;
	return 0;
}

/* The line starting at buf[at], ending before "\r\n" by `end` (exclusive). Returns the
 * offset of the next line, or 0 if the line has a bare '\r' or '\n' inside. */
static size_t next_line(const char *buf, size_t at, size_t end, size_t *line_end)
{
	for (size_t i = at; i + 1 < end; i++) {
		if (buf[i] == '\r' && buf[i + 1] == '\n') {
			*line_end = i;
			return i + 2;
		}
		if (buf[i] == '\r' || buf[i] == '\n')
			return 0;
	}
	return 0;
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_path_char(char c)
{
	return c > ' ' && c < 127;
}

/* "METHOD SP PATH SP HTTP/1.x" in buf[from..to). Returns 0 or -1. */
static int request_line(const char *buf, size_t from, size_t to, struct http_request *req)
{
	size_t i = from, n = 0;
	while (i < to && is_upper(buf[i]) && n + 1 < HTTP_METHOD_MAX)
		req->method[n++] = buf[i++];
	req->method[n] = '\0';
	if (n == 0 || i >= to || buf[i] != ' ')
		return -1;
	i++;
	n = 0;
	if (i >= to || buf[i] != '/')
		return -1;
	while (i < to && is_path_char(buf[i]) && n + 1 < HTTP_PATH_MAX)
		req->path[n++] = buf[i++];
	req->path[n] = '\0';
	if (i >= to || buf[i] != ' ')
		return -1;
	i++;
	static const char version[] = "HTTP/1.";
	size_t vlen = sizeof(version) - 1;
	if (to - i != vlen + 1 || memcmp(buf + i, version, vlen) != 0)
		return -1;
	if (buf[i + vlen] == '1')
		req->keep_alive = true;
	else if (buf[i + vlen] == '0')
		req->keep_alive = false;
	else
		return -1;
	return 0;
}

/* Does buf[from..to) equal word, ignoring ASCII case? */
static bool equals_nocase(const char *buf, size_t from, size_t to, const char *word)
{
	size_t n = strlen(word);
	if (to - from != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = buf[from + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return false;
	}
	return true;
}

/* One "Name: value" header in buf[from..to); updates req and *content_length. */
static int header_line(const char *buf, size_t from, size_t to, struct http_request *req,
                       long *content_length)
{
	size_t colon = from;
	while (colon < to && buf[colon] != ':')
		colon++;
	if (colon == from || colon == to)
		return -1;
	for (size_t i = from; i < colon; i++)
		if (!is_path_char(buf[i]))
			return -1;
	size_t v = colon + 1, v_end = to;
	while (v < v_end && (buf[v] == ' ' || buf[v] == '\t'))
		v++;
	while (v_end > v && (buf[v_end - 1] == ' ' || buf[v_end - 1] == '\t'))
		v_end--;
	if (equals_nocase(buf, from, colon, "content-length")) {
		if (*content_length >= 0 || v == v_end)
			return -1; /* repeated, or empty */
		long n = 0;
		for (size_t i = v; i < v_end; i++) {
			if (buf[i] < '0' || buf[i] > '9' || n > HTTP_REQUEST_BODY_MAX)
				return -1;
			n = n * 10 + (buf[i] - '0');
		}
		if (n > HTTP_REQUEST_BODY_MAX)
			return -1;
		*content_length = n;
	} else if (equals_nocase(buf, from, colon, "transfer-encoding")) {
		return -1;
	} else if (equals_nocase(buf, from, colon, "connection")) {
		if (equals_nocase(buf, v, v_end, "close"))
			req->keep_alive = false;
		else if (equals_nocase(buf, v, v_end, "keep-alive"))
			req->keep_alive = true;
	}
	return 0;
}

long http_parse_request(const char *buf, size_t len, struct http_request *req)
{
	size_t end = head_end(buf, len < HTTP_REQUEST_HEAD_MAX ? len : HTTP_REQUEST_HEAD_MAX);
	if (end == 0)
		return len >= HTTP_REQUEST_HEAD_MAX ? -1 : 0;
	struct http_request r = {0};
	size_t line_end, at = next_line(buf, 0, end, &line_end);
	if (at == 0 || request_line(buf, 0, line_end, &r) != 0)
		return -1;
	long content_length = -1;
	while (at < end - 2) {
		size_t from = at;
		at = next_line(buf, from, end, &line_end);
		if (at == 0 || header_line(buf, from, line_end, &r, &content_length) != 0)
			return -1;
	}
	r.body_offset = end;
	r.body_len = content_length < 0 ? 0 : (size_t)content_length;
	if (len - end < r.body_len)
		return 0;
	*req = r;
	return (long)(end + r.body_len);
}

static size_t skip_space(const char *s, size_t i, size_t len)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i;
}

int api_parse_name(const char *body, size_t len, char name[API_NAME_MAX])
{
	static const char key[] = "\"name\"";
	size_t i = skip_space(body, 0, len);
	if (i >= len || body[i++] != '{')
		return -1;
	i = skip_space(body, i, len);
	if (len - i < sizeof(key) - 1 || memcmp(body + i, key, sizeof(key) - 1) != 0)
		return -1;
	i = skip_space(body, i + sizeof(key) - 1, len);
	if (i >= len || body[i++] != ':')
		return -1;
	i = skip_space(body, i, len);
	if (i >= len || body[i++] != '"')
		return -1;
	size_t n = 0;
	while (i < len && body[i] != '"') {
		char c = body[i++];
		if (c < ' ' || c > '~' || c == '\\' || n + 1 >= API_NAME_MAX)
			return -1;
		name[n++] = c;
	}
	if (i >= len || n == 0)
		return -1;
	name[n] = '\0';
	i = skip_space(body, i + 1, len);
	if (i >= len || body[i++] != '}')
		return -1;
	return skip_space(body, i, len) == len ? 0 : -1;
}

long api_item_id(const char *path)
{
	static const char prefix[] = "/items/";
	if (strncmp(path, prefix, sizeof(prefix) - 1) != 0)
		return -1;
	const char *d = path + sizeof(prefix) - 1;
	size_t n = strlen(d);
	if (n == 0 || n > 18 || d[0] == '0')
		return -1;
	long id = 0;
	for (size_t i = 0; i < n; i++) {
		if (d[i] < '0' || d[i] > '9')
			return -1;
		id = id * 10 + (d[i] - '0');
	}
	return id;
}
