/* fuzz_http_request.c: bytes a client sent to lab 13's server, into its request parser and
 * JSON body reader (labs/13-api-server/http_request.c, compiled in here). Anything may
 * arrive on a socket: the parser must answer "malformed" (the server's 400), "need more",
 * or a request whose every part lies inside what was received. */
#include "fuzz.h"

#include "../../labs/13-api-server/http_request.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct http_request req;
	memset(&req, 0xa5, sizeof(req));
	long n = http_parse_request(buf, size, &req);

	FUZZ_CHECK(n >= -1 && n <= (long)size);
	if (n > 0) {
		FUZZ_CHECK(FUZZ_FITS(req.method, sizeof(req.method)) && req.method[0] != '\0');
		FUZZ_CHECK(FUZZ_FITS(req.path, sizeof(req.path)) && req.path[0] == '/');
		FUZZ_CHECK(req.body_len <= HTTP_REQUEST_BODY_MAX);
		FUZZ_CHECK(req.body_offset <= HTTP_REQUEST_HEAD_MAX);
		FUZZ_CHECK(req.body_offset + req.body_len == (size_t)n);
		char name[API_NAME_MAX];
		if (api_parse_name(buf + req.body_offset, req.body_len, name) == 0)
			FUZZ_CHECK(FUZZ_FITS(name, sizeof(name)) && name[0] != '\0' &&
			           strpbrk(name, "\"\\") == NULL);
		long id = api_item_id(req.path);
		FUZZ_CHECK(id == -1 || id > 0);
	}
	/* The body reader on its own, on the raw bytes (a body can be anything too). */
	char name[API_NAME_MAX];
	if (api_parse_name(buf, size, name) == 0)
		FUZZ_CHECK(FUZZ_FITS(name, sizeof(name)) && name[0] != '\0');
	/* A request cut anywhere is never complete, and never read past its end. */
	if (n > 0 && size > 1)
		FUZZ_CHECK(http_parse_request(buf, (size_t)n - 1, &req) <= 0);
	return 0;
}
