/* json.h: strict JSON reading over jsmn tokens, and JSON writing. */
#ifndef FD_JSON_H
#define FD_JSON_H

#include <stddef.h>

/* parent links keep jsmn linear: without them each ',' scans back over every token */
#define JSMN_PARENT_LINKS
#define JSMN_HEADER
#include <jsmn.h>

#include "base/util.h"

#define JSON_MAX_DEPTH 64
#define JSON_MAX_TOKENS (1 << 20)

/* One parsed JSON text: its bytes and tokens (reused across lines). */
struct json_doc {
	const char *text;
	size_t len;
	jsmntok_t *tok;
	unsigned char *escaped;	/* per token: a string holding backslash escapes */
	int ntok;
	int plain;		/* printable ASCII, no backslash or DEL: strings are clean */
	int cap;
	int *keys;		/* scratch for the duplicate-key check, reused */
	size_t keycap;
};

void json_doc_init(struct json_doc *d);
void json_doc_free(struct json_doc *d);
/*
 * Parses and fully validates one JSON object or array (separators, literals, numbers,
 * escapes, UTF-8, duplicate keys, depth). On error returns -1 with *cause
 * naming the column; the text is never quoted back.
 */
int json_parse(struct json_doc *d, const char *text, size_t len, char **cause);
/* Index of the token after the whole value at token i. */
int json_skip(const struct json_doc *d, int i);
/* Token i is a string equal to s (no escapes in it). */
int json_eq(const struct json_doc *d, int i, const char *s, size_t n);
/* Token i's raw bytes. */
#define JSON_TOK_PTR(d, i) ((d)->text + (d)->tok[i].start)
#define JSON_TOK_LEN(d, i) ((size_t)((d)->tok[i].end - (d)->tok[i].start))
/* Whether a string token holds a backslash escape (found while validating). */
#define json_has_escape(d, i) ((d)->escaped[i])
/* Decodes a validated string token into out (at most its raw length bytes); returns length. */
size_t json_unescape(const struct json_doc *d, int i, char *out);
/* Looks up key in the object at token obj; returns the value's token or -1. */
int json_object_get(const struct json_doc *d, int obj, const char *key);

/*
 * Appends s as a JSON string, escaping quotes and backslashes, and writing as
 * \uXXXX every character sanitise_unsafe() names (C0, DEL, C1, bidi controls,
 * U+2028/U+2029); a byte of invalid UTF-8 becomes '?'.
 */
void json_write_string(struct buf *b, const char *s, size_t n);
/*
 * Appends JSON text that is already valid (a stored case, a record's detail)
 * with the same value, on one line and inert on a terminal: each character
 * json_write_string would escape as \uXXXX (raw, they are only ever inside
 * strings), and a newline, CR or tab (only ever between tokens) as a space.
 */
void json_copy_inert(struct buf *b, const char *json, size_t n);

#endif
