/* json.c: jsmn tokenising plus the validation jsmn leaves out, and JSON string writing. */
/*
 * The one translation unit that compiles jsmn's functions. Its non-strict mode
 * is enough: every separator, literal and string is validated below anyway.
 * Parent links (also defined in json.h) make it linear in the number of tokens.
 * Static, jsmn's functions inline into json_parse, whose parser state can
 * then live in registers rather than be reloaded after every token written.
 */
#define JSMN_PARENT_LINKS
#define JSMN_STATIC
#include <jsmn.h>

#include "base/json.h"

#include "base/sanitise.h"

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
	free(d->keys);
	json_doc_init(d);
}

int
json_skip(const struct json_doc *d, int i)
{
	int remaining = 1;

	if (d->tok[i].size == 0)
		return i + 1;	/* the common case: a scalar or an empty container */
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
	    bytes_eq(JSON_TOK_PTR(d, i), s, n);
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
		uint32_t cp;
		size_t len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
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
			o += utf8_encode((uint32_t)cp, out + o);
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

/* An open object or array while validating: how many tokens it still holds. */
struct frame {
	int is_obj;
	int remaining;		/* child tokens (keys and values) still to come */
	int seen;
	size_t close;		/* position of its closing bracket */
	size_t first_key;	/* its keys' start in the key list */
};

struct validator {
	struct json_doc *d;
	size_t pos;
	char **cause;
	struct frame stack[JSON_MAX_DEPTH + 1];
	int depth;
	size_t nkeys;		/* key tokens of the open objects, in d->keys */
};

static int
fail_at(struct validator *v, size_t pos, const char *what)
{
	*v->cause = xasprintf("invalid JSON at column %zu: %s", pos + 1, what);
	return -1;
}

/* Checks that the gap before position `to` is white space around an optional separator. */
static int
check_gap(struct validator *v, size_t to, char sep)
{
	const char *t = v->d->text;
	size_t p = v->pos;

	/* the common case, compact JSON: just the separator, or nothing */
	if (sep != '\0' ? p + 1 == to && t[p] == sep : p == to)
		return 0;
	while (p < to && is_ws(t[p]))
		p++;
	if (sep != '\0') {
		if (p >= to || t[p] != sep)
			return fail_at(v, p, sep == ',' ? "expected ','" : "expected ':'");
		p++;
		while (p < to && is_ws(t[p]))
			p++;
	}
	if (p != to)
		return fail_at(v, p, "unexpected character");
	return 0;
}

static int
key_cmp(const struct json_doc *d, int a, int b)
{
	size_t la = JSON_TOK_LEN(d, a), lb = JSON_TOK_LEN(d, b);
	int r = memcmp(JSON_TOK_PTR(d, a), JSON_TOK_PTR(d, b), la < lb ? la : lb);

	return r != 0 ? r : (la > lb) - (la < lb);
}

static const struct json_doc *sort_doc;	/* qsort has no context argument */

static int
key_sort_cmp(const void *a, const void *b)
{
	int r = key_cmp(sort_doc, *(const int *)a, *(const int *)b);
	return r != 0 ? r : (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* Whether a primitive's bytes are true, false, null or a JSON number. */
static int
primitive_ok(const char *p, size_t n)
{
	if (p[0] == '-' || (p[0] >= '0' && p[0] <= '9'))
		return number_syntax_ok(p, n);
	return (n == 4 && bytes_eq(p, "true", 4)) || (n == 5 && bytes_eq(p, "false", 5)) ||
	    (n == 4 && bytes_eq(p, "null", 4));
}

/* A key's bit of 64, from its length and end bytes: equal keys have equal bits. */
static uint64_t
key_mark(const struct json_doc *d, int i)
{
	const unsigned char *p = (const unsigned char *)JSON_TOK_PTR(d, i);
	size_t len = JSON_TOK_LEN(d, i);
	unsigned mark = (unsigned)len * 7u + (len ? p[0] * 3u + p[len - 1] : 0u);

	return UINT64_C(1) << (mark % 64);
}

/*
 * Whether the n keys at k are surely all different, told from their marks:
 * no two equal keys can have different marks.
 */
static int
keys_surely_distinct(const struct json_doc *d, const int *k, int n)
{
	uint64_t seen = 0;

	for (int i = 0; i < n; i++) {
		uint64_t bit = key_mark(d, k[i]);

		if (seen & bit)
			return 0;
		seen |= bit;
	}
	return 1;
}

/* Reports the later of two equal keys in the keys[from..] of one object. */
static int
check_duplicate_keys(struct validator *v, size_t from)
{
	const struct json_doc *d = v->d;
	int *k, n = (int)(v->nkeys - from), dup = -1;

	if (n < 2)
		return 0;	/* and keys may still be NULL: no pointer arithmetic on it */
	k = v->d->keys + from;
	if (n <= 16 && keys_surely_distinct(d, k, n))
		return 0;
	if (n <= 16) {
		for (int i = 1; i < n && dup < 0; i++)
			for (int j = 0; j < i && dup < 0; j++)
				if (JSON_TOK_LEN(d, k[i]) == JSON_TOK_LEN(d, k[j]) &&
				    bytes_eq(JSON_TOK_PTR(d, k[i]), JSON_TOK_PTR(d, k[j]),
				    JSON_TOK_LEN(d, k[i])))
					dup = k[i];
	} else {
		sort_doc = d;
		qsort(k, (size_t)n, sizeof *k, key_sort_cmp);
		for (int i = 1; i < n; i++)
			if (key_cmp(d, k[i], k[i - 1]) == 0 && (dup < 0 || k[i] < dup))
				dup = k[i];
	}
	if (dup >= 0)
		return fail_at(v, (size_t)d->tok[dup].start - 1, "duplicate key");
	return 0;
}

/* Closes every frame whose children are all seen, checking its closing bracket. */
static int
close_frames(struct validator *v)
{
	while (v->depth > 0) {
		struct frame *f = &v->stack[v->depth - 1];

		if (f->seen < f->remaining)
			return 0;
		if (check_gap(v, f->close, '\0') < 0)
			return -1;
		if (f->is_obj && check_duplicate_keys(v, f->first_key) < 0)
			return -1;
		v->nkeys = f->first_key;
		v->pos = f->close + 1;
		v->depth--;
	}
	return 0;
}

static int
check_scalar(struct validator *v, int i)
{
	struct json_doc *d = v->d;
	const jsmntok_t *t = &d->tok[i];
	const char *p = JSON_TOK_PTR(d, i);
	size_t n = JSON_TOK_LEN(d, i);
	long bad;

	if (t->type == JSMN_STRING) {
		bad = validate_string(p, n, &d->escaped[i]);
		if (bad >= 0)
			return fail_at(v, (size_t)t->start + (size_t)bad,
			    "bad escape, control character or UTF-8 in a string");
		v->pos = (size_t)t->end + 1;
		return 0;
	}
	if (!primitive_ok(p, n))
		return fail_at(v, (size_t)t->start, "not a valid literal or number");
	v->pos = (size_t)t->end;
	return 0;
}

static void
push_key(struct validator *v, int i)
{
	struct json_doc *d = v->d;

	if (v->nkeys == d->keycap) {
		d->keycap = d->keycap ? d->keycap * 2 : 64;
		d->keys = xreallocarray(d->keys, d->keycap, sizeof *d->keys);
	}
	d->keys[v->nkeys++] = i;
}

/* Checks one token against where it stands: separator before it, key or value, content. */
static int
check_token(struct validator *v, int i)
{
	struct json_doc *d = v->d;
	const jsmntok_t *t = &d->tok[i];
	size_t begin = t->type == JSMN_STRING ? (size_t)t->start - 1 : (size_t)t->start;
	struct frame *top = v->depth > 0 ? &v->stack[v->depth - 1] : NULL;
	char sep = '\0';

	if (top == NULL && i > 0)
		return fail_at(v, begin, "text after the JSON value");
	if (top != NULL && top->seen > 0)
		sep = top->is_obj && top->seen % 2 == 1 ? ':' : ',';
	if (check_gap(v, begin, sep) < 0)
		return -1;
	if (top != NULL && top->is_obj && top->seen % 2 == 0) {
		if (t->type != JSMN_STRING)
			return fail_at(v, begin, "object keys must be strings");
		push_key(v, i);
	}
	if (top != NULL)
		top->seen++;
	if (t->type != JSMN_OBJECT && t->type != JSMN_ARRAY)
		return check_scalar(v, i);
	if (v->depth >= JSON_MAX_DEPTH)
		return fail_at(v, begin, "nested too deeply");
	top = &v->stack[v->depth++];
	top->is_obj = t->type == JSMN_OBJECT;
	top->remaining = t->size * (top->is_obj ? 2 : 1);
	top->seen = 0;
	top->close = (size_t)t->end - 1;
	top->first_key = v->nkeys;
	v->pos = (size_t)t->start + 1;
	return 0;
}

/* Bytes a string may hold as they are: printable ASCII other than '"' and '\'. */
static const unsigned char plain_byte[256] = {
	[0x20] = 1, [0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7f] = 1,
};

/*
 * The common case of one token, decided without a call: a key or a value of
 * plain ASCII (or a primitive jsmn ended at a separator), preceded by exactly
 * the separator it needs and no white space, in an object or array that is
 * not about to close. Returns 1 when that held and the token is checked,
 * 0 when check_token must look at it.
 */
static int
token_is_simple(struct validator *v, int i)
{
	const struct json_doc *d = v->d;
	const jsmntok_t *t = &d->tok[i];
	struct frame *top;
	const unsigned char *p;
	size_t begin, n;
	char sep;

	if (v->depth == 0 || (t->type != JSMN_STRING && t->type != JSMN_PRIMITIVE))
		return 0;
	top = &v->stack[v->depth - 1];
	begin = t->type == JSMN_STRING ? (size_t)t->start - 1 : (size_t)t->start;
	sep = top->seen == 0 ? '\0' : top->is_obj && (top->seen & 1) ? ':' : ',';
	if (sep != '\0' ? v->pos + 1 != begin || d->text[v->pos] != sep : v->pos != begin)
		return 0;
	p = (const unsigned char *)d->text + t->start;
	n = (size_t)(t->end - t->start);
	if (t->type == JSMN_PRIMITIVE) {
		if (!primitive_ok((const char *)p, n))
			return 0;
		if (top->is_obj && top->seen % 2 == 0)
			return 0;	/* a primitive key: check_token says so */
		v->pos = (size_t)t->end;
	} else {
		size_t k = 0;

		while (k + 8 <= n && plain8((const char *)p + k))
			k += 8;
		for (; k < n; k++)
			if (!plain_byte[p[k]])
				return 0;
		d->escaped[i] = 0;
		if (top->is_obj && top->seen % 2 == 0)
			push_key(v, i);
		v->pos = (size_t)t->end + 1;
	}
	top->seen++;
	return 1;
}

/*
 * The compact fast path: a line of printable ASCII (no backslash, no DEL) with
 * no white space outside its strings, the form every JSON writer of Lines
 * produces. Such a text is valid when every gap between jsmn's tokens holds
 * exactly what the tree from jsmn's parent links says belongs there: nothing
 * after an opening bracket, ':' after a key, closing brackets then ',' before
 * a later sibling, closing brackets only at the end. Anything else, however
 * harmless, goes to the full validator, which also names the fault.
 */
#define FAST_MAX_TOKENS 256

/* Sixteen bytes at a time, as GCC and Clang lower it for the machine (SSE2 on x86-64). */
typedef unsigned char bytes16 __attribute__((vector_size(16)));

/* Whether sixteen bytes hold anything other than printable ASCII besides '\\' and DEL. */
static uint64_t
unplain16(const char *p)
{
	bytes16 w, bad;
	uint64_t lo, hi;

	memcpy(&w, p, 16);
	bad = (bytes16)((w < 0x20) | (w > 0x7e) | (w == '\\'));
	memcpy(&lo, &bad, 8);
	memcpy(&hi, (const char *)&bad + 8, 8);
	return lo | hi;
}

/* Whether all n bytes are printable ASCII other than '\\' and DEL. */
static int
line_is_plain(const char *s, size_t n)
{
	uint64_t bad = 0;
	size_t i = 0;

	if (n >= 16) {
		for (; i + 16 <= n; i += 16)
			bad |= unplain16(s + i);
		if (i < n)
			bad |= unplain16(s + n - 16);	/* the last sixteen, overlapping */
		return bad == 0;
	}
	for (; i < n; i++)
		bad |= s[i] < 0x20 || s[i] == '\\' || s[i] == 0x7f || (unsigned char)s[i] >= 0x80;
	return bad == 0;
}

/* Whether text[from..to) is closing brackets only, then (if sep) one ','. */
static int
closers_then(const char *text, size_t from, size_t to, int comma)
{
	if (comma) {
		if (to <= from || text[to - 1] != ',')
			return 0;
		to--;
	}
	for (; from < to; from++)
		if (text[from] != '}' && text[from] != ']')
			return 0;
	return 1;
}

/* Where the gap after token t begins: past its text, or inside its bracket. */
static size_t
token_after(const jsmntok_t *t)
{
	if (t->type == JSMN_STRING)
		return (size_t)t->end + 1;
	if (t->type == JSMN_PRIMITIVE || t->size == 0)
		return (size_t)t->end;
	return (size_t)t->start + 1;
}

/*
 * Token i's place in the tree: a key (its parent an object; a string holding
 * one value), a value (its parent a key), or an element (its parent an array).
 * Also checks the gap before it. Returns 0 when the fast path cannot vouch.
 */
static int
fast_token_ok(const struct json_doc *d, int i, uint64_t *marks)
{
	const jsmntok_t *t = &d->tok[i], *prev = &d->tok[i - 1];
	size_t begin = t->type == JSMN_STRING ? (size_t)t->start - 1 : (size_t)t->start;
	size_t after = token_after(prev);
	int parent = t->parent;
	const jsmntok_t *pt;

	if (parent < 0 || parent >= i)
		return 0;
	pt = &d->tok[parent];
	if (parent == i - 1) {
		if (pt->type == JSMN_STRING ? begin != after + 1 || d->text[after] != ':'
		    : begin != after)
			return 0;
	} else if (!closers_then(d->text, after, begin, 1))
		return 0;
	if (pt->type == JSMN_STRING)	/* a value: its parent must be a key */
		return pt->parent >= 0 && d->tok[pt->parent].type == JSMN_OBJECT;
	if (pt->type == JSMN_PRIMITIVE)
		return 0;
	if (pt->type == JSMN_OBJECT) {	/* a key: a string with one value, not seen before */
		uint64_t bit = key_mark(d, i);

		if (t->type != JSMN_STRING || t->size != 1 || (marks[parent] & bit))
			return 0;
		marks[parent] |= bit;
	}
	return 1;
}

/* Returns 1 when the compact fast path shows the text valid, 0 when it cannot. */
static int
fast_validate(struct json_doc *d)
{
	uint64_t marks[FAST_MAX_TOKENS];
	int containers = 0;

	if (d->ntok > FAST_MAX_TOKENS || !line_is_plain(d->text, d->len))
		return 0;
	if (d->tok[0].start != 0 || (size_t)d->tok[0].end != d->len ||
	    (d->tok[0].type != JSMN_OBJECT && d->tok[0].type != JSMN_ARRAY))
		return 0;
	for (int i = 0; i < d->ntok; i++) {
		const jsmntok_t *t = &d->tok[i];

		if (t->type == JSMN_OBJECT || t->type == JSMN_ARRAY) {
			/* an empty one is its two brackets: the gap after it starts past both */
			if (t->size == 0 && t->end != t->start + 2)
				return 0;
			marks[i] = 0;
			/* fewer containers than the depth limit cannot nest past it */
			if (++containers > JSON_MAX_DEPTH)
				return 0;
		} else if (t->type == JSMN_PRIMITIVE &&
		    !primitive_ok(JSON_TOK_PTR(d, i), JSON_TOK_LEN(d, i)))
			return 0;
		if (i > 0 && !fast_token_ok(d, i, marks))
			return 0;
	}
	if (!closers_then(d->text, token_after(&d->tok[d->ntok - 1]), d->len, 0))
		return 0;
	memset(d->escaped, 0, (size_t)d->ntok);
	d->plain = 1;
	return 1;
}

/*
 * The tokens ran out inside an object jsmn closed: a key without its value,
 * as in {"a"} or {"a":}. Says so at the closing brace, not at the line's end.
 */
static int
fail_unfinished(struct validator *v)
{
	struct frame *f = &v->stack[v->depth - 1];

	if (f->is_obj && f->seen % 2 == 1 && check_gap(v, f->close, ':') < 0)
		return -1;
	return fail_at(v, f->close, "expected a value");
}

/* Validates the token stream jsmn produced, which checks little beyond brackets. */
static int
validate_tokens(struct validator *v)
{
	int rc = 0;

	for (int i = 0; i < v->d->ntok && rc == 0; i++) {
		if (!token_is_simple(v, i) && check_token(v, i) < 0)
			rc = -1;
		else if (v->depth > 0 && v->stack[v->depth - 1].seen == v->stack[v->depth - 1].remaining)
			rc = close_frames(v);
	}
	if (rc == 0 && v->depth > 0)
		rc = fail_unfinished(v);
	if (rc == 0) {
		while (v->pos < v->d->len && is_ws(v->d->text[v->pos]))
			v->pos++;
		if (v->pos != v->d->len)
			rc = fail_at(v, v->pos, "text after the JSON value");
	}
	return rc;
}

/*
 * jsmn closes a bracket by walking up from the newest token, so a line of
 * many nested brackets costs it time quadratic in their depth (a 40,000-deep
 * line took seconds). Lines long enough to nest that deep are scanned first,
 * outside strings, for the position where they pass the depth limit; shorter
 * ones cannot cost more than a few milliseconds and skip the scan.
 */
#define JSON_DEPTH_SCAN_MIN 4096

/* Where the text first opens more than JSON_MAX_DEPTH containers, or len if it never does. */
static size_t
too_deep_at(const char *text, size_t len)
{
	int depth = 0, in_string = 0;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > JSON_MAX_DEPTH)
				return i;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return len;
}

int
json_parse(struct json_doc *d, const char *text, size_t len, char **cause)
{
	struct validator v;
	jsmn_parser p;
	int n;

	v.d = d;
	v.pos = 0;
	v.cause = cause;
	v.depth = 0;
	v.nkeys = 0;
	d->text = text;
	d->len = len;
	d->plain = 0;
	if (len >= JSON_DEPTH_SCAN_MIN && (v.pos = too_deep_at(text, len)) < len)
		return fail_at(&v, v.pos, "nested too deeply");
	v.pos = 0;
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
	if (n == JSMN_ERROR_PART && len > 0) {
		/* jsmn's strict mode cannot end a bare top-level value: say what it is */
		size_t i = 0;

		while (i < len && is_ws(text[i]))
			i++;
		if (i < len && text[i] != '{' && text[i] != '[')
			return fail_at(&v, i, "expected an object");
	}
	if (n == JSMN_ERROR_PART || n == 0)
		return fail_at(&v, len, "unexpected end of line");
	d->ntok = n;
	if (fast_validate(d))
		return 0;
	return validate_tokens(&v);
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

static const char hex[] = "0123456789abcdef";

/* Appends cp (one sanitise_unsafe() names, so in the BMP) as a \uXXXX escape. */
static void
write_escape(struct buf *b, uint32_t cp)
{
	char esc[6] = { '\\', 'u', hex[cp >> 12], hex[(cp >> 8) & 15], hex[(cp >> 4) & 15],
	    hex[cp & 15] };

	buf_add(b, esc, 6);
}

void
json_write_string(struct buf *b, const char *s, size_t n)
{
	size_t plain = 0;

	/* the common case: printable ASCII, copied at once */
	while (plain < n && (unsigned char)s[plain] >= 0x20 && (unsigned char)s[plain] < 0x7f &&
	    s[plain] != '"' && s[plain] != '\\')
		plain++;
	buf_reserve(b, n + 2);
	b->data[b->len++] = '"';
	memcpy(b->data + b->len, s, plain);
	b->len += plain;
	b->data[b->len] = '\0';
	for (size_t i = plain; i < n;) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t len;

		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
			i++;
			continue;
		}
		len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (len == 0) {
			buf_addc(b, '?');	/* not UTF-8, shown as the sanitiser shows it */
			i++;
		} else if (sanitise_unsafe(cp)) {
			/*
			 * control characters (C1 included), bidi controls and the line and
			 * paragraph separators only ever as escapes: the same value, but
			 * inert on a terminal that shows the output
			 */
			write_escape(b, cp);
			i += len;
		} else {
			buf_add(b, s + i, len);
			i += len;
		}
	}
	buf_addc(b, '"');
}

void
json_copy_inert(struct buf *b, const char *json, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t plain = i, len;
		uint32_t cp;

		while (plain < n && (unsigned char)json[plain] >= 0x20 &&
		    (unsigned char)json[plain] < 0x7f)
			plain++;
		buf_add(b, json + i, plain - i);
		if ((i = plain) == n)
			break;
		len = utf8_decode((const unsigned char *)json + i, n - i, &cp);
		if (len == 0)
			buf_addc(b, '?');	/* never in valid JSON; as json_write_string */
		else if (cp == '\n' || cp == '\r' || cp == '\t')
			buf_addc(b, ' ');	/* between tokens: the text stays one line */
		else if (sanitise_unsafe(cp))
			write_escape(b, cp);	/* raw only inside a string: the same value */
		else
			buf_add(b, json + i, len);
		i += len == 0 ? 1 : len;
	}
}
