/* test_json.c: strict JSON validation, unescaping, writing, and locale-free numbers. */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/json.h"
#include "base/util.h"

/* ---- helpers ---- */

/* Parses text (of length n); returns json_parse's result and frees everything. */
static int
parse_n(const char *text, size_t n, char **cause)
{
	struct json_doc d;
	int rc;

	json_doc_init(&d);
	*cause = NULL;
	rc = json_parse(&d, text, n, cause);
	json_doc_free(&d);
	return rc;
}

/* Checks that text parses, reporting at the caller's line. */
static void
accepts_at(int line, const char *text)
{
	char *cause = NULL;
	int rc = parse_n(text, strlen(text), &cause);

	check_report(rc == 0 && cause == NULL, text, __FILE__, line);
	if (rc != 0)
		fprintf(stderr, "    (json_parse said: %s)\n", cause ? cause : "(no cause)");
	free(cause);
}
#define ACCEPTS(text) accepts_at(__LINE__, (text))

/* Checks that text (n bytes) is rejected with a cause naming the column and reason. */
static void
rejects_at(int line, const char *text, size_t n, int column, const char *why)
{
	char *cause = NULL, want[64];
	int rc = parse_n(text, n, &cause);

	snprintf(want, sizeof want, "invalid JSON at column %d: ", column);
	check_report(rc == -1, "json_parse returns -1", __FILE__, line);
	check_report(cause != NULL && strncmp(cause, want, strlen(want)) == 0,
	    "cause names the column", __FILE__, line);
	check_report(cause != NULL && strstr(cause, why) != NULL, why, __FILE__, line);
	if (cause == NULL || strncmp(cause, want, strlen(want)) != 0 || strstr(cause, why) == NULL)
		fprintf(stderr, "    (wanted column %d, \"%s\"; got \"%s\")\n", column, why,
		    cause ? cause : "(null)");
	free(cause);
}
#define REJECTS(text, column, why) rejects_at(__LINE__, (text), strlen(text), (column), (why))
/* For texts holding a NUL byte. */
#define REJECTS_N(text, column, why) rejects_at(__LINE__, (text), sizeof(text) - 1, (column), (why))

/* ---- json_parse: what it accepts ---- */

static void
test_accepts_valid_lines(void)
{
	ACCEPTS("{}");
	ACCEPTS("[]");
	ACCEPTS("{\"a\":1}");
	ACCEPTS("  {  \"a\" : 1 ,\t\"b\" : [ ] }  ");
	ACCEPTS("{\"a\":1}\r\n");
	ACCEPTS("{\"a\":[1,2,{\"b\":null}],\"c\":{\"d\":{\"e\":[true,false]}}}");
	ACCEPTS("[0,-0,1,-1,10,0.5,-0.5,1e10,1E10,1e+10,1e-10,1.25E-3,123456789012345]");
	ACCEPTS("[\"\",\"plain\",\"a longer string that takes the eight-byte fast path\"]");
	ACCEPTS("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]");
	ACCEPTS("[\"\\u0000\\u0041\\u00e9\\u20AC\\uffff\"]");
	ACCEPTS("[\"\\ud83d\\ude00\",\"\\uD83D\\uDE00\",\"\\udbff\\udfff\"]");
	/* raw UTF-8 of every length, including the largest code point */
	ACCEPTS("[\"caf\xc3\xa9\",\"\xe2\x82\xac\",\"\xf0\x9f\x98\x80\",\"\xf4\x8f\xbf\xbf\"]");
	ACCEPTS("[\"\xed\x9f\xbf\",\"\xee\x80\x80\"]");	/* U+D7FF and U+E000 */
	ACCEPTS("[\"DEL \x7f is not a control character in JSON\"]");
	/* the same key in different objects is not a duplicate */
	ACCEPTS("{\"a\":{\"a\":1},\"b\":{\"a\":2}}");
	/* keys that share a prefix are different keys */
	ACCEPTS("{\"a\":1,\"ab\":2,\"abc\":3}");
	/*
	 * A top-level number or literal needs something after it: jsmn's strict
	 * mode refuses a bare `1` or `true` as cut short (a known limitation; a
	 * case line is always an object).
	 */
	ACCEPTS("1 ");
	ACCEPTS("true\n");
	ACCEPTS("\"s\"");
}

static void
test_token_structure(void)
{
	struct json_doc d;
	char *cause = NULL;
	const char *text = "{\"a\":[1,2],\"b\":{\"c\":\"x\"}}";

	json_doc_init(&d);
	CHECK_EQ(json_parse(&d, text, strlen(text), &cause), 0);
	CHECK_EQ(d.ntok, 9);
	CHECK_EQ(d.tok[0].type, JSMN_OBJECT);
	CHECK_EQ(d.tok[0].size, 2);
	CHECK(json_eq(&d, 1, "a", 1));
	CHECK(!json_eq(&d, 1, "ab", 2));
	CHECK_EQ(d.tok[2].type, JSMN_ARRAY);
	CHECK_EQ(json_skip(&d, 2), 5);		/* past [1,2] to "b" */
	CHECK_EQ(json_skip(&d, 0), 9);		/* past everything */
	CHECK(json_eq(&d, 5, "b", 1));
	CHECK_EQ(json_skip(&d, 6), 9);
	json_doc_free(&d);
	free(cause);
}

/* A document reused from line to line, growing past its first token capacity. */
static void
test_doc_reuse_and_growth(void)
{
	struct json_doc d;
	struct buf b;
	char *cause = NULL;

	buf_init(&b);
	buf_addc(&b, '[');
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%s%d", i ? "," : "", i);
	buf_addc(&b, ']');
	json_doc_init(&d);
	CHECK_EQ(json_parse(&d, "{\"a\":1}", 7, &cause), 0);
	CHECK_EQ(d.ntok, 3);
	CHECK_EQ(json_parse(&d, b.data, b.len, &cause), 0);
	CHECK_EQ(d.ntok, 1001);
	CHECK_EQ(d.tok[0].size, 1000);
	CHECK_EQ(json_parse(&d, "[7]", 3, &cause), 0);
	CHECK_EQ(d.ntok, 2);
	CHECK(cause == NULL);
	json_doc_free(&d);
	buf_free(&b);
}

/* ---- json_parse: what it rejects, and where ---- */

static void
test_rejects_separators(void)
{
	REJECTS("{\"a\":1 \"b\":2}", 8, "unexpected character");	/* jsmn's own check */
	REJECTS("[1 2]", 4, "expected ','");
	REJECTS("[\"a\" \"b\"]", 6, "expected ','");
	REJECTS("{\"a\" 1}", 6, "expected ':'");		/* missing ':' */
	REJECTS("{\"a\",1}", 5, "expected ':'");
	/* a last key without ':' or value: the column of the closing brace */
	REJECTS("{\"case_id\":\"C-30\", \"Jane Smith\"}", 32, "expected ':'");
	REJECTS("{\"a\"}", 5, "expected ':'");
	REJECTS("{\"a\" }", 6, "expected ':'");
	REJECTS("{\"o\":{\"a\":1,\"b\"},\"c\":2}", 16, "expected ':'");
	REJECTS("[{\"a\"}]", 6, "expected ':'");
	REJECTS("{\"a\":}", 6, "expected a value");
	REJECTS("{\"a\":1,\"b\": }", 13, "expected a value");
	REJECTS("{\"a\"::1}", 6, "unexpected character");
	REJECTS("{\"a\":1,}", 7, "unexpected character");		/* trailing comma */
	REJECTS("[1,]", 3, "unexpected character");
	REJECTS("[,1]", 2, "unexpected character");
	REJECTS("[1,,2]", 4, "unexpected character");
	REJECTS("{1:2}", 2, "object keys must be strings");	/* key not a string */
	REJECTS("{[1]:2}", 2, "object keys must be strings");
}

/*
 * Compact lines take a fast path; a trailing space sends the same value through
 * the full validator. The two must agree on every text, valid or not, and
 * produce the same tokens. These are the shapes jsmn's non-strict mode lets by.
 */
static void
test_compact_fast_path_agrees(void)
{
	static const char *const texts[] = {
		"{\"a\":1}", "[1,[2,[3]],{\"b\":{}}]", "{\"a\":[1,2],\"b\":{\"c\":null}}",
		"{\"a\":[],\"b\":{},\"c\":\"x\"}", "[[],[[]],{}]",
		"[1]:]", "{\"a\":{}:\"b\"}", "{\"a\":[]:\"b\"}", "{\"a\":1:2}", "{\"a\"}",
		"[\"a\":1]", "{\"a\",\"b\"}", "{\"a\":[1]2}", "[[1]2]", "{\"a\":1,}", "[,1]",
		"[1,,2]", "{\"a\":tru\"e\"}", "{\"a\":\"b\":\"c\"}", "{1:2}", "[1]2", "[1][2]",
		"{\"a\":1}:\"b\"", "{\"a\":{}}:\"b\"", "{\"a\":1,\"a\":2}", "{\"ab\":1,\"ab\":2}",
		"{\"o\":{\"a\":1},\"o\":2}", "{\"a\":1,\"b\"}", "{\"a\"::1}", "[1:2]", "{\"a\":[1,]}",
		"[\"a\"1]", "[{}{}]", "[{},]", "{\"a\":{\"b\":1}}}", "{\"a\":-}", "{\"a\":01}",
		"{\"a\":\"\x7f\"}", "[1.5e3,-0,true,false,null]", "[1,{\"k\":[true]},\"s\"]",
		"{    ,          :  }", "[{ , }]", "[[,]]", "{:}", "[{}, {}]",
	};
	struct buf spaced;

	buf_init(&spaced);
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
		struct json_doc a, b;
		char *ca = NULL, *cb = NULL;
		int ra, rb, same;

		buf_reset(&spaced);
		buf_add(&spaced, texts[k], strlen(texts[k]));
		buf_addc(&spaced, ' ');
		json_doc_init(&a);
		json_doc_init(&b);
		ra = json_parse(&a, texts[k], strlen(texts[k]), &ca);
		rb = json_parse(&b, spaced.data, spaced.len, &cb);
		same = ra == rb && (ra != 0 || a.ntok == b.ntok);
		for (int i = 0; same && ra == 0 && i < a.ntok; i++)
			same = a.tok[i].type == b.tok[i].type && a.tok[i].start == b.tok[i].start &&
			    a.tok[i].end == b.tok[i].end && a.tok[i].size == b.tok[i].size &&
			    (a.tok[i].type != JSMN_STRING || a.escaped[i] == b.escaped[i]);
		/* a rejected compact line is reported by the full validator, word for word */
		if (same && ra != 0)
			same = ca != NULL && cb != NULL && strcmp(ca, cb) == 0;
		check_report(same, texts[k], __FILE__, __LINE__);
		free(ca);
		free(cb);
		json_doc_free(&a);
		json_doc_free(&b);
	}
	buf_free(&spaced);
}

/*
 * The same agreement over every text of up to five characters drawn from
 * JSON's structural characters, a string's and a literal's pieces, and a
 * space: 177,155 texts, among them every small shape of brackets and
 * separators. (By hand, up to eight: 235,794,768 texts, none disagreeing.)
 */
static void
test_compact_fast_path_exhaustive(void)
{
	static const char alphabet[] = "{}[],:\"a1 t";
	const size_t na = sizeof alphabet - 1;
	struct json_doc a, b;
	char text[6], spaced[7];
	long disagreements = 0, valid = 0;

	json_doc_init(&a);
	json_doc_init(&b);
	for (size_t len = 1; len <= 5; len++) {
		size_t idx[5] = { 0 }, k;

		do {
			char *ca = NULL, *cb = NULL;
			int ra, rb;

			for (k = 0; k < len; k++)
				text[k] = spaced[k] = alphabet[idx[k]];
			spaced[len] = ' ';
			ra = json_parse(&a, text, len, &ca);
			rb = json_parse(&b, spaced, len + 1, &cb);
			valid += ra == 0;
			if (ra != rb && disagreements++ < 5)
				fprintf(stderr, "    fast path and full validator disagree on %.*s\n",
				    (int)len, text);
			free(ca);
			free(cb);
			for (k = 0; k < len && ++idx[k] == na; k++)
				idx[k] = 0;
		} while (k < len);
	}
	CHECK_EQ(disagreements, 0);
	CHECK(valid > 0);
	json_doc_free(&a);
	json_doc_free(&b);
}

static void
test_rejects_trailing_text(void)
{
	REJECTS("{\"a\":1}x", 8, "text after the JSON value");
	REJECTS("{\"a\":1} {\"b\":2}", 9, "text after the JSON value");
	REJECTS("{\"a\":1}}", 8, "unexpected character");
	REJECTS("[]]", 3, "unexpected character");
	REJECTS("]", 1, "unexpected character");
}

static void
test_rejects_truncation(void)
{
	REJECTS("", 1, "unexpected end of line");
	REJECTS("   ", 4, "unexpected end of line");
	REJECTS("{\"a\":1", 7, "unexpected end of line");
	REJECTS("[1,2", 5, "unexpected end of line");
	REJECTS("{\"a\":\"unterminated", 19, "unexpected end of line");
}

static void
test_rejects_bad_literals(void)
{
	REJECTS("[tru]", 2, "not a valid literal or number");
	REJECTS("[truee]", 2, "not a valid literal or number");
	REJECTS("[nul]", 2, "not a valid literal or number");
	REJECTS("[fals]", 2, "not a valid literal or number");
	REJECTS("{\"a\":nulll}", 6, "not a valid literal or number");
	REJECTS("[true,tru]", 7, "not a valid literal or number");
}

static void
test_rejects_bad_numbers(void)
{
	REJECTS("[01]", 2, "not a valid literal or number");
	REJECTS("[-01]", 2, "not a valid literal or number");
	REJECTS("[1.]", 2, "not a valid literal or number");
	REJECTS("[-]", 2, "not a valid literal or number");
	REJECTS("[1e]", 2, "not a valid literal or number");
	REJECTS("[1e+]", 2, "not a valid literal or number");
	REJECTS("[1.5e-]", 2, "not a valid literal or number");
	REJECTS("[--1]", 2, "not a valid literal or number");
	REJECTS("[1.2.3]", 2, "not a valid literal or number");
	REJECTS("[0x10]", 2, "not a valid literal or number");
	REJECTS("[+1]", 2, "not a valid literal or number");
	REJECTS("[.5]", 2, "not a valid literal or number");
	REJECTS("{\"age\":12,\"n\":00}", 15, "not a valid literal or number");
}

/*
 * jsmn itself refuses an unknown escape or a \u without four hex digits, and
 * names the column of the string's opening quote.
 */
static void
test_rejects_bad_escapes(void)
{
	REJECTS("[\"\\x\"]", 2, "unexpected character");
	REJECTS("[1,\"ab\\a\"]", 4, "unexpected character");
	REJECTS("[\"\\u12\"]", 2, "unexpected character");
	REJECTS("[\"\\u12G4\"]", 2, "unexpected character");
	REJECTS("[\"\\U0041\"]", 2, "unexpected character");
	REJECTS("{\"k\":\"abcdefghij\\q\"}", 6, "unexpected character");
	REJECTS("[\"\\\"]", 6, "unexpected end of line");	/* \" eats the closing quote */
}

static void
test_rejects_lone_surrogates(void)
{
	REJECTS("[\"\\ud800\"]", 3, "bad escape");		/* high, then nothing */
	REJECTS("[\"\\udc00\"]", 3, "bad escape");		/* low on its own */
	REJECTS("[\"\\ud800\\u0041\"]", 3, "bad escape");	/* high, then not a low */
	REJECTS("[\"\\ud800x\\udc00\"]", 3, "bad escape");
	REJECTS("[\"\\ud800\\ud800\"]", 3, "bad escape");
	REJECTS("[\"ok \\udfff\"]", 6, "bad escape");
}

static void
test_rejects_control_characters(void)
{
	REJECTS("[\"a\tb\"]", 4, "control character");
	REJECTS("[\"a\nb\"]", 4, "control character");
	REJECTS("[\"abcdefghijkl\x01\"]", 15, "control character");	/* after the fast path */
	REJECTS("{\"k\x1f\":1}", 4, "control character");		/* in a key */
	/* jsmn stops at a NUL byte: inside a string the line seems cut short */
	REJECTS_N("[\"a\0b\"]", 8, "unexpected end of line");
	REJECTS_N("{\"a\":1}\0{}", 8, "text after the JSON value");
}

static void
test_rejects_invalid_utf8(void)
{
	REJECTS("[\"\xff\"]", 3, "UTF-8");
	REJECTS("[\"\x80\"]", 3, "UTF-8");			/* continuation on its own */
	REJECTS("[\"ab\xc3\"]", 5, "UTF-8");			/* truncated */
	REJECTS("[\"\xe2\x82\"]", 3, "UTF-8");
	REJECTS("[\"\xc3\x28\"]", 3, "UTF-8");		/* bad continuation */
	REJECTS("[\"\xc0\xaf\"]", 3, "UTF-8");		/* overlong '/' in 2 bytes */
	REJECTS("[\"\xc1\xbf\"]", 3, "UTF-8");
	REJECTS("[\"\xe0\x80\xaf\"]", 3, "UTF-8");		/* overlong in 3 bytes */
	REJECTS("[\"\xe0\x9f\xbf\"]", 3, "UTF-8");
	REJECTS("[\"\xf0\x80\x80\xaf\"]", 3, "UTF-8");	/* overlong in 4 bytes */
	REJECTS("[\"\xf0\x8f\xbf\xbf\"]", 3, "UTF-8");
	REJECTS("[\"\xed\xa0\x80\"]", 3, "UTF-8");		/* an encoded surrogate */
	REJECTS("[\"\xf4\x90\x80\x80\"]", 3, "UTF-8");	/* above U+10FFFF */
	REJECTS("[\"\xf5\x80\x80\x80\"]", 3, "UTF-8");
	REJECTS("[\"12345678\xe9t\xe9\"]", 11, "UTF-8");	/* Latin-1, after the fast path */
}

static void
test_rejects_duplicate_keys(void)
{
	/* the column is the later key's opening quote */
	REJECTS("{\"a\":1,\"a\":2}", 8, "duplicate key");
	REJECTS("{\"a\":1,\"b\":2,\"a\":3}", 14, "duplicate key");
	REJECTS("{\"o\":{\"x\":1,\"x\":1}}", 13, "duplicate key");
	REJECTS("[{\"a\":1},{\"b\":1,\"b\":1}]", 17, "duplicate key");
}

/* More than sixteen keys take the sorting path; the later duplicate is still named. */
static void
test_rejects_duplicate_keys_in_large_objects(void)
{
	struct buf b;
	int col;

	buf_init(&b);
	buf_addc(&b, '{');
	for (int i = 0; i < 20; i++)
		buf_printf(&b, "%s\"k%02d\":%d", i ? "," : "", i, i);
	buf_adds(&b, ",");
	col = (int)b.len + 1;		/* the quote, 1-based */
	buf_adds(&b, "\"k07\":1,\"k99\":2}");
	rejects_at(__LINE__, b.data, b.len, col, "duplicate key");
	/* two duplicates: the earlier of the later occurrences is reported */
	buf_reset(&b);
	buf_addc(&b, '{');
	for (int i = 0; i < 20; i++)
		buf_printf(&b, "%s\"k%02d\":%d", i ? "," : "", i, i);
	buf_adds(&b, ",");
	col = (int)b.len + 1;
	buf_adds(&b, "\"k15\":1,\"k03\":2}");
	rejects_at(__LINE__, b.data, b.len, col, "duplicate key");
	/* and twenty distinct keys are fine */
	buf_reset(&b);
	buf_addc(&b, '{');
	for (int i = 0; i < 20; i++)
		buf_printf(&b, "%s\"k%02d\":%d", i ? "," : "", i, i);
	buf_addc(&b, '}');
	accepts_at(__LINE__, b.data);
	buf_free(&b);
}

static void
test_depth_limit(void)
{
	struct buf b;

	buf_init(&b);
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		buf_addc(&b, ']');
	accepts_at(__LINE__, b.data);
	buf_reset(&b);
	for (int i = 0; i < JSON_MAX_DEPTH + 1; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < JSON_MAX_DEPTH + 1; i++)
		buf_addc(&b, ']');
	rejects_at(__LINE__, b.data, b.len, JSON_MAX_DEPTH + 1, "nested too deeply");
	/* objects count the same as arrays */
	buf_reset(&b);
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		buf_adds(&b, "{\"a\":");
	buf_adds(&b, "[1]");
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		buf_addc(&b, '}');
	rejects_at(__LINE__, b.data, b.len, 5 * JSON_MAX_DEPTH + 1, "nested too deeply");
	/* a long line nested far deeper: refused at the same column, before jsmn walks it */
	buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 100000; i++)
		buf_addc(&b, ']');
	rejects_at(__LINE__, b.data, b.len, JSON_MAX_DEPTH + 1, "nested too deeply");
	/* brackets inside a long line's strings are text, not nesting */
	buf_reset(&b);
	buf_adds(&b, "{\"s\":\"");
	for (int i = 0; i < 5000; i++)
		buf_adds(&b, "[{\\\"");
	buf_adds(&b, "\",\"n\":");
	for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '}');
	accepts_at(__LINE__, b.data);
	buf_free(&b);
}

/* A cause says where, never what: the offending text is not quoted back. */
static void
test_cause_never_quotes_text(void)
{
	char *cause = NULL;
	const char *line = "{\"name\":\"Jane Smith\x01\"}";

	CHECK_EQ(parse_n(line, strlen(line), &cause), -1);
	CHECK(cause != NULL && strstr(cause, "Jane") == NULL);
	free(cause);
	line = "{\"name\":Jane}";
	CHECK_EQ(parse_n(line, strlen(line), &cause), -1);
	CHECK(cause != NULL && strstr(cause, "Jane") == NULL);
	free(cause);
}

/* ---- json_unescape ---- */

/* Parses a one-string array and unescapes the string into out; returns its length. */
static size_t
unescape_first(const char *text, char *out, int *had_escape)
{
	struct json_doc d;
	char *cause = NULL;
	size_t n = 0;

	json_doc_init(&d);
	if (json_parse(&d, text, strlen(text), &cause) == 0 && d.ntok >= 2 &&
	    d.tok[1].type == JSMN_STRING) {
		*had_escape = json_has_escape(&d, 1);
		n = json_unescape(&d, 1, out);
	} else
		*had_escape = -1;
	free(cause);
	json_doc_free(&d);
	return n;
}

#define UNESCAPES(json, want) do { \
	char out_[256]; int esc_; \
	size_t n_ = unescape_first((json), out_, &esc_); \
	CHECK_EQ(n_, sizeof(want) - 1); \
	CHECK(memcmp(out_, (want), sizeof(want) - 1) == 0); \
	CHECK_EQ(esc_, 1); \
} while (0)

static void
test_unescape(void)
{
	char out[64];
	int esc;

	UNESCAPES("[\"\\\"\\\\\\/\"]", "\"\\/");
	UNESCAPES("[\"\\b\\f\\n\\r\\t\"]", "\b\f\n\r\t");
	UNESCAPES("[\"\\u0041\\u0062\"]", "Ab");
	UNESCAPES("[\"\\u0000\"]", "\0");
	UNESCAPES("[\"\\u007f\\u0080\"]", "\x7f\xc2\x80");
	UNESCAPES("[\"\\u00e9\"]", "\xc3\xa9");
	UNESCAPES("[\"\\u07FF\\u0800\"]", "\xdf\xbf\xe0\xa0\x80");
	UNESCAPES("[\"\\u20ac\"]", "\xe2\x82\xac");
	UNESCAPES("[\"\\uffff\"]", "\xef\xbf\xbf");
	/* surrogate pairs become one four-byte character */
	UNESCAPES("[\"\\ud83d\\ude00\"]", "\xf0\x9f\x98\x80");
	UNESCAPES("[\"\\uD800\\uDC00\"]", "\xf0\x90\x80\x80");
	UNESCAPES("[\"\\udbff\\udfff\"]", "\xf4\x8f\xbf\xbf");
	UNESCAPES("[\"C-\\u0031 \\\"x\\\" caf\xc3\xa9\"]", "C-1 \"x\" caf\xc3\xa9");
	/* a plain string has no escape and unescapes to itself */
	CHECK_EQ(unescape_first("[\"plain text\"]", out, &esc), 10);
	CHECK(memcmp(out, "plain text", 10) == 0);
	CHECK_EQ(esc, 0);
}

/* ---- json_write_string ---- */

static void
test_write_string(void)
{
	struct buf b;

	buf_init(&b);
	json_write_string(&b, "", 0);
	CHECK_STR(b.data, "\"\"");
	buf_reset(&b);
	json_write_string(&b, "plain", 5);
	CHECK_STR(b.data, "\"plain\"");
	buf_reset(&b);
	json_write_string(&b, "a\"b\\c", 5);
	CHECK_STR(b.data, "\"a\\\"b\\\\c\"");
	buf_reset(&b);
	json_write_string(&b, "\n\t\x01\x1f\x7f", 5);
	CHECK_STR(b.data, "\"\\u000a\\u0009\\u0001\\u001f\\u007f\"");
	buf_reset(&b);
	json_write_string(&b, "a\0b", 3);		/* a NUL is written, not a terminator */
	CHECK_STR(b.data, "\"a\\u0000b\"");
	CHECK_EQ(b.len, 10);
	buf_reset(&b);
	json_write_string(&b, "caf\xc3\xa9 /", 7);	/* UTF-8 and '/' pass through */
	CHECK_STR(b.data, "\"caf\xc3\xa9 /\"");
	buf_reset(&b);
	json_write_string(&b, "abcdef", 3);		/* only n bytes */
	CHECK_STR(b.data, "\"abc\"");
	/* appends: it does not reset the buffer */
	json_write_string(&b, "d", 1);
	CHECK_STR(b.data, "\"abc\"\"d\"");
	buf_free(&b);
}

/*
 * Bidi controls and the line and paragraph separators are written as escapes,
 * like C0 and C1 controls: the same value, inert on a terminal. Their
 * neighbours are not.
 */
static void
test_write_string_bidi(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "\xd8\x9c", "\\u061c" },
		{ "\xe2\x80\x8e\xe2\x80\x8f", "\\u200e\\u200f" },
		{ "\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029" },
		{ "a\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae" "b",
		  "a\\u202a\\u202b\\u202c\\u202d\\u202eb" },
		{ "\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
		  "\\u2066\\u2067\\u2068\\u2069" },
		{ "\xc2\x85\xc2\x9b", "\\u0085\\u009b" },
		/* U+200D, U+202F, U+2065, U+206A and Arabic letters are text */
		{ "\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa",
		  "\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa" },
		{ "\xd8\xb9\xd9\x84\xd9\x8a", "\xd8\xb9\xd9\x84\xd9\x8a" },
	};
	struct json_doc d;
	struct buf b, want;
	char out[64];
	char *cause = NULL;

	buf_init(&b);
	buf_init(&want);
	json_doc_init(&d);
	for (size_t i = 0; i < FD_ARRAY_LEN(cases); i++) {
		buf_reset(&b);
		buf_reset(&want);
		buf_printf(&want, "\"%s\"", cases[i].out);
		json_write_string(&b, cases[i].in, strlen(cases[i].in));
		CHECK(strcmp(b.data, want.data) == 0);
		if (strcmp(b.data, want.data) != 0)
			fprintf(stderr, "    (case %zu: got %s)\n", i, b.data);
		/* the value is unchanged: it parses back to the same bytes */
		CHECK_EQ(json_parse(&d, b.data, b.len, &cause), 0);
		if (cause == NULL) {
			CHECK_EQ(json_unescape(&d, 0, out), strlen(cases[i].in));
			CHECK(memcmp(out, cases[i].in, strlen(cases[i].in)) == 0);
		}
		free(cause);
		cause = NULL;
	}
	json_doc_free(&d);
	buf_free(&want);
	buf_free(&b);
}

/* Stored JSON is copied on one line, with the same value, its bidi and C1 characters escaped. */
static void
test_copy_inert(void)
{
	static const char in[] = "{\"a\":\"x\xe2\x80\xaey\xc2\x85z\\u001b\",\n\t\"b\": [1,\r\n2],"
	    "\"c\":\"caf\xc3\xa9 \xd8\xb9\"}";
	static const char want[] = "{\"a\":\"x\\u202ey\\u0085z\\u001b\",  \"b\": [1,  2],"
	    "\"c\":\"caf\xc3\xa9 \xd8\xb9\"}";
	struct json_doc d, e;
	struct buf b;
	char x[64], y[64];
	char *cause = NULL;

	buf_init(&b);
	json_copy_inert(&b, in, strlen(in));
	CHECK(strcmp(b.data, want) == 0);
	json_doc_init(&d);
	json_doc_init(&e);
	CHECK_EQ(json_parse(&d, in, strlen(in), &cause), 0);
	CHECK_EQ(json_parse(&e, b.data, b.len, &cause), 0);
	CHECK(cause == NULL);
	if (cause == NULL) {
		/* token 2 is a's value */
		CHECK_EQ(json_unescape(&d, 2, x), json_unescape(&e, 2, y));
		CHECK(memcmp(x, y, json_unescape(&d, 2, x)) == 0);
	}
	free(cause);
	/* a byte that is not UTF-8 (never in valid JSON) is shown as '?' */
	buf_reset(&b);
	json_copy_inert(&b, "\"a\xff" "b\"", 5);
	CHECK_STR(b.data, "\"a?b\"");
	json_doc_free(&e);
	json_doc_free(&d);
	buf_free(&b);
}

/* Every ASCII byte survives writing, strict parsing and unescaping. */
static void
test_write_string_round_trip(void)
{
	struct json_doc d;
	struct buf b;
	char in[128], out[128 * 6];
	char *cause = NULL;
	size_t n;

	for (int i = 0; i < 128; i++)
		in[i] = (char)i;
	buf_init(&b);
	buf_addc(&b, '[');
	json_write_string(&b, in, sizeof in);
	buf_addc(&b, ']');
	json_doc_init(&d);
	CHECK_EQ(json_parse(&d, b.data, b.len, &cause), 0);
	CHECK(cause == NULL);
	if (cause == NULL) {
		n = json_unescape(&d, 1, out);
		CHECK_EQ(n, sizeof in);
		CHECK(memcmp(out, in, sizeof in) == 0);
	}
	free(cause);
	json_doc_free(&d);
	buf_free(&b);
}

/* ---- json_object_get ---- */

static void
test_object_get(void)
{
	struct json_doc d;
	char *cause = NULL;
	const char *text =
	    "{\"a\":1,\"b\":{\"c\":[1,{\"c\":2}],\"d\":true},\"ab\":\"x\",\"e\":\"y\"}";
	int b, v;

	json_doc_init(&d);
	CHECK_EQ(json_parse(&d, text, strlen(text), &cause), 0);
	v = json_object_get(&d, 0, "a");
	CHECK(v > 0 && JSON_TOK_LEN(&d, v) == 1 && *JSON_TOK_PTR(&d, v) == '1');
	v = json_object_get(&d, 0, "ab");
	CHECK(v > 0 && json_eq(&d, v, "x", 1));
	v = json_object_get(&d, 0, "e");		/* after a nested object */
	CHECK(v > 0 && json_eq(&d, v, "y", 1));
	CHECK_EQ(json_object_get(&d, 0, "c"), -1);	/* only direct keys */
	CHECK_EQ(json_object_get(&d, 0, "A"), -1);
	CHECK_EQ(json_object_get(&d, 0, ""), -1);
	b = json_object_get(&d, 0, "b");
	CHECK(b > 0 && d.tok[b].type == JSMN_OBJECT);
	v = json_object_get(&d, b, "d");
	CHECK(v > 0 && JSON_TOK_LEN(&d, v) == 4 && memcmp(JSON_TOK_PTR(&d, v), "true", 4) == 0);
	v = json_object_get(&d, b, "c");
	CHECK(v > 0 && d.tok[v].type == JSMN_ARRAY);
	CHECK_EQ(json_object_get(&d, v, "c"), -1);	/* not an object */
	CHECK_EQ(json_object_get(&d, 1, "a"), -1);	/* a string token */
	json_doc_free(&d);
	free(cause);
}

/* ---- numbers ---- */

static void
test_number_syntax(void)
{
	static const char *const good[] = {
		"0", "-0", "1", "-1", "10", "123456789", "0.5", "-0.5", "10.25",
		"1e5", "1E5", "1e+5", "1e-5", "0e0", "-1.5E-10", "0.000",
	};
	static const char *const bad[] = {
		"", "-", "01", "-01", "00", "1.", ".5", "-.5", "+1", "1e", "1e+", "1E-",
		"1.e5", "0x10", "1,5", " 1", "1 ", "1..2", "1e5.5", "inf", "nan", "--1", "1-",
		"\xd9\xa1",	/* ARABIC-INDIC DIGIT ONE */
	};

	for (size_t i = 0; i < FD_ARRAY_LEN(good); i++)
		check_report(number_syntax_ok(good[i], strlen(good[i])), good[i], __FILE__, __LINE__);
	for (size_t i = 0; i < FD_ARRAY_LEN(bad); i++)
		check_report(!number_syntax_ok(bad[i], strlen(bad[i])), bad[i], __FILE__, __LINE__);
	/* only n bytes are looked at */
	CHECK(number_syntax_ok("12abc", 2));
	CHECK(!number_syntax_ok("1.5", 2));
}

static void
test_parse_number(void)
{
	double v = -1;
	char big[80];

	CHECK_EQ(parse_number("13", 2, &v), 0);
	CHECK(v == 13.0);
	CHECK_EQ(parse_number("-2.5", 4, &v), 0);
	CHECK(v == -2.5);
	CHECK_EQ(parse_number("1.25e2", 6, &v), 0);
	CHECK(v == 125.0);
	CHECK_EQ(parse_number("0.1", 3, &v), 0);
	CHECK(v == 0.1);
	CHECK_EQ(parse_number("-0", 2, &v), 0);
	CHECK(v == 0.0 && signbit(v));
	CHECK_EQ(parse_number("125abc", 3, &v), 0);	/* only n bytes, no NUL needed */
	CHECK(v == 125.0);
	CHECK_EQ(parse_number("1,5", 3, &v), -1);
	CHECK_EQ(parse_number("1.", 2, &v), -1);
	CHECK_EQ(parse_number("0x1p3", 5, &v), -1);	/* strtod would take it */
	CHECK_EQ(parse_number("1e400", 5, &v), -1);	/* not finite */
	CHECK_EQ(parse_number("-1e400", 6, &v), -1);
	CHECK_EQ(parse_number("", 0, &v), -1);
	memset(big, '1', sizeof big);
	CHECK_EQ(parse_number(big, 63, &v), 0);		/* 63 digits fit */
	CHECK_EQ(parse_number(big, 64, &v), -1);	/* the documented limit */
}

static void
test_format_number(void)
{
	char out[64];

	format_number(out, sizeof out, 0);
	CHECK_STR(out, "0");
	format_number(out, sizeof out, 13);
	CHECK_STR(out, "13");
	format_number(out, sizeof out, -2);
	CHECK_STR(out, "-2");
	format_number(out, sizeof out, 1.5);
	CHECK_STR(out, "1.5");
	format_number(out, sizeof out, -0.25);
	CHECK_STR(out, "-0.25");
	format_number(out, sizeof out, 123456789012345.0);
	CHECK_STR(out, "123456789012345");
	/* shortest form that reads back as the same double */
	format_number(out, sizeof out, 0.1);
	CHECK_STR(out, "0.1");
	format_number(out, sizeof out, 12.3);
	CHECK_STR(out, "12.3");
	format_number(out, sizeof out, 1.0 / 3.0);
	CHECK_STR(out, "0.3333333333333333");
	/* whatever the form, it is JSON and reads back exactly */
	static const double samples[] = { 0.1, 1.0 / 3.0, 2.0 / 3.0, 1e-7, 1e15, 1e21,
		-1e300, 5e-324, 1.7976931348623157e308, 123.456, 0.30000000000000004 };
	for (size_t i = 0; i < FD_ARRAY_LEN(samples); i++) {
		double back = 0;

		format_number(out, sizeof out, samples[i]);
		check_report(number_syntax_ok(out, strlen(out)) &&
		    parse_number(out, strlen(out), &back) == 0 && back == samples[i],
		    "format_number round-trips", __FILE__, __LINE__);
	}
}

/*
 * Neither reading nor writing numbers follows LC_NUMERIC (a German locale writes 1,5).
 * A missing locale fails the test: .ci/setup generates it.
 */
static void
test_numbers_ignore_locale(void)
{
	char out[64], probe[16];
	double v = 0;

	if (setlocale(LC_ALL, "de_DE.UTF-8") == NULL) {
		check_report(0, "locale de_DE.UTF-8 exists (.ci/setup generates it)",
		    __FILE__, __LINE__);
		return;
	}
	snprintf(probe, sizeof probe, "%.1f", 1.5);
	CHECK_STR(probe, "1,5");	/* the locale really uses a decimal comma */
	format_number(out, sizeof out, 1.5);
	CHECK_STR(out, "1.5");
	format_number(out, sizeof out, 1234567.25);
	CHECK_STR(out, "1234567.25");
	format_number(out, sizeof out, 0.1);
	CHECK_STR(out, "0.1");
	CHECK_EQ(parse_number("1.5", 3, &v), 0);
	CHECK(v == 1.5);
	CHECK_EQ(parse_number("2.75e1", 6, &v), 0);
	CHECK(v == 27.5);
	CHECK_EQ(parse_number("1,5", 3, &v), -1);
	CHECK(number_syntax_ok("1.5", 3));
	ACCEPTS("{\"score\":0.5}");
	setlocale(LC_ALL, "C");
}

int
main(void)
{
	test_accepts_valid_lines();
	test_token_structure();
	test_doc_reuse_and_growth();
	test_rejects_separators();
	test_rejects_trailing_text();
	test_compact_fast_path_agrees();
	test_compact_fast_path_exhaustive();
	test_rejects_truncation();
	test_rejects_bad_literals();
	test_rejects_bad_numbers();
	test_rejects_bad_escapes();
	test_rejects_lone_surrogates();
	test_rejects_control_characters();
	test_rejects_invalid_utf8();
	test_rejects_duplicate_keys();
	test_rejects_duplicate_keys_in_large_objects();
	test_depth_limit();
	test_cause_never_quotes_text();
	test_unescape();
	test_write_string();
	test_write_string_round_trip();
	test_write_string_bidi();
	test_copy_inert();
	test_object_get();
	test_number_syntax();
	test_parse_number();
	test_format_number();
	test_numbers_ignore_locale();
	return check_done();
}
