/* json.c: jsmn tokenising plus the validation jsmn leaves out, and JSON string writing. */
/* the one translation unit that compiles jsmn's functions */
#define JSMN_STRICT
#include <jsmn.h>

#include "json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void
json_doc_init(struct json_doc *d)
{
	memset(d, 0, sizeof *d);
}

void
json_doc_free(struct json_doc *d)
{
	free(d->tok);
	free(d->escaped);
	json_doc_init(d);
}

int
json_skip(const struct json_doc *d, int i)
{
	int remaining = 1;

	/* every token's size counts its direct children still to be passed */
	while (remaining > 0) {
		remaining += d->tok[i].size - 1;
		i++;
	}
	return i;
}

int
json_eq(const struct json_doc *d, int i, const char *s, size_t n)
{
	return d->tok[i].type == JSMN_STRING && JSON_TOK_LEN(d, i) == n &&
	    memcmp(JSON_TOK_PTR(d, i), s, n) == 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long
hex4(const char *p)
{
	long v = 0;

	for (int k = 0; k < 4; k++) {
		int h = hexval(p[k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static size_t
put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Whether eight bytes are all printable ASCII other than a backslash (bit tricks). */
static int
plain8(const char *p)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	uint64_t w, x;

	memcpy(&w, p, 8);
	x = w ^ (ones * '\\');
	return ((w & highs) | ((w - ones * 0x20) & ~w & highs) | ((x - ones) & ~x & highs)) == 0;
}

/* Checks a string's bytes: escapes, surrogate pairs, UTF-8, no raw control characters. */
static long
validate_string(const char *s, size_t n, unsigned char *escaped)
{
	size_t i = 0;

	*escaped = 0;
	while (i + 8 <= n && plain8(s + i))
		i += 8;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x80 && c != '\\') {
			i++;	/* the common case: printable ASCII */
			continue;
		}
		if (c < 0x20)
			return (long)i;
		if (c == '\\') {
			if (i + 1 >= n)
				return (long)i;
			*escaped = 1;
			switch (s[i + 1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				i += 2;
				continue;
			case 'u': {
				long cp = i + 6 <= n ? hex4(s + i + 2) : -1;
				if (cp < 0)
					return (long)i;
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return (long)i;
				if (cp >= 0xd800 && cp <= 0xdbff) {
					long lo = (i + 12 <= n && s[i + 6] == '\\' && s[i + 7] == 'u')
					    ? hex4(s + i + 8) : -1;
					if (lo < 0xdc00 || lo > 0xdfff)
						return (long)i;
					i += 12;
				} else
					i += 6;
				continue;
			}
			default:
				return (long)i;
			}
		}
		size_t len = utf8_len((const unsigned char *)s + i, n - i);
		if (len == 0)
			return (long)i;
		i += len;
	}
	return -1;
}

size_t
json_unescape(const struct json_doc *d, int i, char *out)
{
	const char *s = JSON_TOK_PTR(d, i);
	size_t n = JSON_TOK_LEN(d, i), o = 0;

	for (size_t k = 0; k < n;) {
		if (s[k] != '\\') {
			out[o++] = s[k++];
			continue;
		}
		char e = s[k + 1];
		switch (e) {
		case 'b': out[o++] = '\b'; k += 2; break;
		case 'f': out[o++] = '\f'; k += 2; break;
		case 'n': out[o++] = '\n'; k += 2; break;
		case 'r': out[o++] = '\r'; k += 2; break;
		case 't': out[o++] = '\t'; k += 2; break;
		case 'u': {
			unsigned long cp = (unsigned long)hex4(s + k + 2);
			k += 6;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				unsigned long lo = (unsigned long)hex4(s + k + 2);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				k += 6;
			}
			o += put_utf8(out + o, cp);
			break;
		}
		default: out[o++] = e; k += 2; break;
		}
	}
	return o;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

struct validator {
	struct json_doc *d;
	size_t pos;
	char **cause;
};

static int
fail_at(struct validator *v, size_t pos, const char *what)
{
	*v->cause = xasprintf("invalid JSON at column %zu: %s", pos + 1, what);
	return -1;
}

/* Skips white space and expects the character c; returns -1 with a cause otherwise. */
static int
expect_char(struct validator *v, char c, const char *what)
{
	while (v->pos < v->d->len && is_ws(v->d->text[v->pos]))
		v->pos++;
	if (v->pos >= v->d->len || v->d->text[v->pos] != c)
		return fail_at(v, v->pos, what);
	v->pos++;
	return 0;
}

static int validate_value(struct validator *v, int *i, int depth);

static int
keys_unique(const struct json_doc *d, const int *keys, int nkeys, int k)
{
	for (int j = 0; j < nkeys; j++)
		if (JSON_TOK_LEN(d, keys[j]) == JSON_TOK_LEN(d, k) &&
		    memcmp(JSON_TOK_PTR(d, keys[j]), JSON_TOK_PTR(d, k), JSON_TOK_LEN(d, k)) == 0)
			return 0;
	return 1;
}

static int
validate_container(struct validator *v, int *i, int depth)
{
	const struct json_doc *d = v->d;
	const jsmntok_t *t = &d->tok[*i];
	int is_obj = t->type == JSMN_OBJECT, n = t->size, keys_small[32];
	int *keys = n <= 32 ? keys_small : xcalloc((size_t)n, sizeof *keys);
	int rc = -1;

	if (depth > JSON_MAX_DEPTH) {
		fail_at(v, v->pos, "nested too deeply");
		goto out;
	}
	v->pos = (size_t)t->start + 1;
	(*i)++;
	for (int k = 0; k < n; k++) {
		if (k > 0 && expect_char(v, ',', "expected ','") < 0)
			goto out;
		if (is_obj) {
			if (d->tok[*i].type != JSMN_STRING) {
				fail_at(v, (size_t)d->tok[*i].start, "object keys must be strings");
				goto out;
			}
			if (!keys_unique(d, keys, k, *i)) {
				fail_at(v, (size_t)d->tok[*i].start, "duplicate key");
				goto out;
			}
			keys[k] = *i;
			if (validate_value(v, i, depth + 1) < 0 ||
			    expect_char(v, ':', "expected ':'") < 0)
				goto out;
		}
		if (validate_value(v, i, depth + 1) < 0)
			goto out;
	}
	rc = expect_char(v, is_obj ? '}' : ']', is_obj ? "expected '}'" : "expected ']'");
out:
	if (keys != keys_small)
		free(keys);
	return rc;
}

static int
validate_value(struct validator *v, int *i, int depth)
{
	struct json_doc *d = v->d;
	const jsmntok_t *t = &d->tok[*i];
	size_t start = t->type == JSMN_STRING ? (size_t)t->start - 1 : (size_t)t->start;
	long bad;

	while (v->pos < start && is_ws(d->text[v->pos]))
		v->pos++;
	if (v->pos != start)
		return fail_at(v, v->pos, "unexpected character");
	switch (t->type) {
	case JSMN_OBJECT:
	case JSMN_ARRAY:
		return validate_container(v, i, depth);
	case JSMN_STRING:
		bad = validate_string(JSON_TOK_PTR(d, *i), JSON_TOK_LEN(d, *i),
		    &d->escaped[*i]);
		if (bad >= 0)
			return fail_at(v, (size_t)t->start + (size_t)bad,
			    "bad escape, control character or UTF-8 in a string");
		v->pos = (size_t)t->end + 1;
		break;
	case JSMN_PRIMITIVE: {
		const char *p = JSON_TOK_PTR(d, *i);
		size_t n = JSON_TOK_LEN(d, *i);

		if (!((n == 4 && memcmp(p, "true", 4) == 0) ||
		    (n == 5 && memcmp(p, "false", 5) == 0) ||
		    (n == 4 && memcmp(p, "null", 4) == 0) || number_syntax_ok(p, n)))
			return fail_at(v, (size_t)t->start, "not a valid literal or number");
		v->pos = (size_t)t->end;
		break;
	}
	default:
		return fail_at(v, v->pos, "unexpected token");
	}
	(*i)++;
	return 0;
}

int
json_parse(struct json_doc *d, const char *text, size_t len, char **cause)
{
	struct validator v = { d, 0, cause };
	jsmn_parser p;
	int n, i = 0;

	d->text = text;
	d->len = len;
	if (d->cap == 0) {
		d->cap = 256;
		d->tok = xreallocarray(NULL, (size_t)d->cap, sizeof *d->tok);
		d->escaped = xmalloc((size_t)d->cap);
	}
	for (;;) {
		jsmn_init(&p);
		n = jsmn_parse(&p, text, len, d->tok, (unsigned)d->cap);
		if (n != JSMN_ERROR_NOMEM)
			break;
		if (d->cap >= JSON_MAX_TOKENS) {
			*cause = xasprintf("invalid JSON: more than %d values", JSON_MAX_TOKENS);
			return -1;
		}
		d->cap *= 2;
		d->tok = xreallocarray(d->tok, (size_t)d->cap, sizeof *d->tok);
		d->escaped = xrealloc(d->escaped, (size_t)d->cap);
	}
	if (n == JSMN_ERROR_INVAL)
		return fail_at(&v, p.pos, "unexpected character");
	if (n == JSMN_ERROR_PART || n == 0)
		return fail_at(&v, len, "unexpected end of line");
	d->ntok = n;
	if (validate_value(&v, &i, 1) < 0)
		return -1;
	while (v.pos < len && is_ws(text[v.pos]))
		v.pos++;
	if (v.pos != len || i != n)
		return fail_at(&v, v.pos, "text after the JSON value");
	return 0;
}

int
json_object_get(const struct json_doc *d, int obj, const char *key)
{
	size_t klen = strlen(key);
	int i = obj + 1;

	if (d->tok[obj].type != JSMN_OBJECT)
		return -1;
	for (int k = 0; k < d->tok[obj].size; k++) {
		if (json_eq(d, i, key, klen))
			return i + 1;
		i = json_skip(d, i + 1);
	}
	return -1;
}

void
json_write_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	size_t plain = 0;

	while (plain < n && (unsigned char)s[plain] >= 0x20 && s[plain] != '"' &&
	    s[plain] != '\\' && s[plain] != 0x7f)
		plain++;
	buf_reserve(b, n + 2);
	b->data[b->len++] = '"';
	memcpy(b->data + b->len, s, plain);
	b->len += plain;
	b->data[b->len] = '\0';
	for (size_t i = plain; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c < 0x20 || c == 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			buf_add(b, esc, 6);
		} else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}
