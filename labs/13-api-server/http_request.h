/* http_request.h: lab 13's HTTP/1.1 request parser and its JSON body reader. Pure: no I/O,
 * no allocation; it reads what the server has received so far and says whether a whole
 * request is there, and what it asks. Anything it does not understand is malformed: the
 * server answers 400 Bad Request and never trusts the bytes further. */
#ifndef RACELAB_HTTP_REQUEST_H
#define RACELAB_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_REQUEST_HEAD_MAX 4096 /* longest request line + headers accepted */
#define HTTP_REQUEST_BODY_MAX 1024 /* longest body accepted (Content-Length) */
#define HTTP_METHOD_MAX       8    /* "DELETE" fits; longer methods are malformed */
#define HTTP_PATH_MAX         128  /* longest path accepted, NUL included */
#define API_NAME_MAX          64   /* longest item name, NUL included */

struct http_request {
	char method[HTTP_METHOD_MAX]; /* "GET", "POST", ...: upper-case letters only */
	char path[HTTP_PATH_MAX];     /* "/items/7": starts with '/', printable, no spaces */
	bool keep_alive;              /* HTTP/1.1 unless "Connection: close"; 1.0: never */
	size_t body_offset;           /* the body is buf[body_offset .. body_offset+body_len) */
	size_t body_len;              /* Content-Length, at most HTTP_REQUEST_BODY_MAX */
};

/* Parses the request at the start of buf (len bytes received so far). Returns the whole
 * request's length (head and body; the next request starts there), 0 when more bytes are
 * needed, or -1 when it is malformed: a bad request line, a version other than HTTP/1.0 or
 * 1.1, a header line without a colon, a bad or repeated Content-Length, a
 * Transfer-Encoding (not supported), a head over HTTP_REQUEST_HEAD_MAX or a body over
 * HTTP_REQUEST_BODY_MAX. *req is filled only when it returns > 0. */
long http_parse_request(const char *buf, size_t len, struct http_request *req);

/* Reads a JSON object with exactly one member, "name", a string of 1 to API_NAME_MAX - 1
 * printable ASCII characters without '"' or '\\' (so it needs no escaping when written
 * back): {"name": "apple"}. Whitespace between the tokens is allowed. Copies the name,
 * NUL-terminated, into name. Returns 0, or -1 for anything else. */
int api_parse_name(const char *body, size_t len, char name[API_NAME_MAX]);

/* Reads "/items/ID" (ID: 1 to 18 decimal digits, no sign, no leading zero). Returns ID, or
 * -1 when path is not of that form. */
long api_item_id(const char *path);

#endif
