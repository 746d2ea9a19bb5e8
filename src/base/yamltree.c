/* yamltree.c: builds a positioned node tree from libyaml events, refusing hostile YAML. */
#include "base/yamltree.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct ybuilder {
	yaml_parser_t parser;
	struct diag *d;
	size_t nodes;
	const char *text;
	size_t len;
};

const char *
ynode_type_name(enum ynode_type t)
{
	switch (t) {
	case Y_SCALAR:
		return "a scalar";
	case Y_SEQ:
		return "a list";
	case Y_MAP:
		return "a mapping";
	}
	return "?";
}

void
ytree_free(struct ynode *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < (n->type == Y_MAP ? 2 * n->n : n->n); i++)
		ytree_free(n->items[i]);
	free(n->items);
	free(n->str);
	free(n);
}

static struct ynode *
ynode_new(struct ybuilder *b, enum ynode_type t, const yaml_mark_t *m)
{
	struct ynode *n = xcalloc(1, sizeof *n);

	n->type = t;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	b->nodes++;
	return n;
}

/*
 * libyaml's reader (bad UTF-8, control characters such as NUL) gives only a
 * byte offset: turns it into the line and column (in characters) it names.
 */
static void
offset_mark(const struct ybuilder *b, size_t offset, yaml_mark_t *m)
{
	memset(m, 0, sizeof *m);
	if (offset > b->len)
		offset = b->len;
	for (size_t i = 0; i < offset; i++) {
		unsigned char c = (unsigned char)b->text[i];

		if (c == '\n') {
			m->line++;
			m->column = 0;
		} else if ((c & 0xc0) != 0x80)
			m->column++;
	}
	m->index = offset;
}

/* The byte at a mark, or NUL past the end. */
static char
byte_at(const struct ybuilder *b, const yaml_mark_t *m)
{
	return m->index < b->len ? b->text[m->index] : '\0';
}

/* Whether the line of mark m holds `needle` before the mark (or anywhere, if whole). */
static int
line_has(const struct ybuilder *b, const yaml_mark_t *m, const char *needle, int whole)
{
	size_t len, n = strlen(needle);
	const char *s = text_line(b->text, b->len, (int)m->line + 1, &len);

	if (s == NULL)
		return 0;
	if (!whole && m->index >= (size_t)(s - b->text) && m->index - (size_t)(s - b->text) < len)
		len = m->index - (size_t)(s - b->text);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(s + i, needle, n) == 0)
			return 1;
	return 0;
}

/* The last character before the mark on its line that is not a space, or NUL. */
static char
byte_before(const struct ybuilder *b, const yaml_mark_t *m)
{
	for (size_t i = m->index < b->len ? m->index : b->len, col = m->column; col > 0 && i > 0;
	    i--, col--) {
		char c = b->text[i - 1];
		if (c != ' ' && c != '\t')
			return c;
	}
	return '\0';
}

/* A hint for libyaml's common complaints about block layout and plain text. */
static void
hint_block(struct ybuilder *b, const yaml_parser_t *p, const char *problem)
{
	const yaml_mark_t *m = &p->problem_mark, *ctx = &p->context_mark;

	if (strcmp(problem, "mapping values are not allowed in this context") == 0) {
		if (line_has(b, m, ": ", 0))
			diag_note(b->d, "a ': ' inside text starts a new key: put the whole text "
			    "in double quotes");
		else
			diag_note(b->d, "this key is indented deeper than the keys above it, or "
			    "the line above runs on: line keys up, and quote text that holds ': '");
	} else if (strcmp(problem, "did not find expected key") == 0) {
		char c = byte_before(b, m);
		if (c == '\'' || c == '"')
			diag_note(b->d, "text that starts with a quote ends at the matching quote: "
			    "put the whole text in double quotes (inside single quotes an "
			    "apostrophe is written twice: '')");
		else if (byte_at(b, m) == '-')
			diag_note(b->d, "a list item ('- ') among the keys of the mapping at line "
			    "%d: in one block, every entry starts with '- ' (a list, as rules, "
			    "indicators and tests are) or none does (a mapping)",
			    (int)ctx->line + 1);
		else
			diag_note(b->d, "the keys of one mapping start in one column: line this "
			    "up with the key at line %d, column %d", (int)ctx->line + 1,
			    (int)ctx->column + 1);
	} else if (strcmp(problem, "did not find expected '-' indicator") == 0) {
		if (byte_at(b, m) == '-')
			diag_note(b->d, "each item of the list that starts at line %d begins with "
			    "'- ' (a dash and a space) in column %d", (int)ctx->line + 1,
			    (int)ctx->column + 1);
		else
			diag_note(b->d, "a new item (a rule, an indicator, a test) starts with '- ' "
			    "in column %d, as at line %d; a key of the item above lines up with "
			    "that item's first key", (int)ctx->column + 1, (int)ctx->line + 1);
	} else if (strcmp(problem, "could not find expected ':'") == 0) {
		if (line_has(b, ctx, ":", 1) && !line_has(b, ctx, ": ", 1))
			diag_note(b->d, "put a space after ':' (key: value)");
		else
			diag_note(b->d, "this line is not 'key: value': text that goes on to "
			    "another line must be indented deeper than its key, or quoted");
	} else if (strcmp(problem, "block sequence entries are not allowed in this context") == 0)
		diag_note(b->d, "'- ' starts a list item: if this is text, put it in double "
		    "quotes; a list's items go on the lines below its key");
}

/* A hint for the complaints about characters, quotes, brackets, tabs and aliases. */
static void
hint_token(struct ybuilder *b, const yaml_parser_t *p, const char *problem)
{
	const yaml_mark_t *m = &p->problem_mark, *ctx = &p->context_mark;
	char c = byte_at(b, m);

	if (strstr(problem, "tab") != NULL ||
	    (strcmp(problem, "found character that cannot start any token") == 0 && c == '\t'))
		diag_note(b->d, "indent with spaces: YAML does not allow tabs for indentation");
	else if (strcmp(problem, "found character that cannot start any token") == 0 &&
	    c > ' ' && c < 0x7f)
		diag_note(b->d, "text that starts with '%c' must be quoted: put the whole text "
		    "in double quotes", c);
	else if (strcmp(problem, "found character that cannot start any token") == 0)
		diag_note(b->d, "text that starts with this character must be quoted: put the "
		    "whole text in double quotes");
	else if (strncmp(problem, "did not find expected ',' or ", 29) == 0) {
		if (line_has(b, ctx, " #", 1))
			diag_note(b->d, "' #' starts a comment that runs to the end of the line, "
			    "hiding the closing bracket: put text holding ' #' in double quotes");
		else
			diag_note(b->d, "close the bracket opened at line %d, column %d, and put "
			    "text holding ',', ': ', '[', ']', '{' or '}' in double quotes",
			    (int)ctx->line + 1, (int)ctx->column + 1);
	} else if (strcmp(problem, "found unexpected end of stream") == 0 &&
	    p->context != NULL && strstr(p->context, "quoted scalar") != NULL)
		diag_note(b->d, "the quote opened at line %d, column %d is never closed: end the "
		    "text with the same quote (inside single quotes an apostrophe is written "
		    "twice: '')", (int)ctx->line + 1, (int)ctx->column + 1);
	else if (strcmp(problem, "found unknown escape character") == 0)
		diag_note(b->d, "inside double quotes '\\' starts an escape: write '\\\\' for a "
		    "backslash, or use single quotes");
	else if (p->context != NULL && (strstr(p->context, "an alias") != NULL ||
	    strstr(p->context, "an anchor") != NULL))
		diag_note(b->d, "text that starts with '*' or '&' must be quoted: put the "
		    "whole text in double quotes");
}

/*
 * Where to point for a syntax error: at the problem, except where libyaml
 * finds it only later, after the place that needs the fix (a key without its
 * ':', an unclosed quote or bracket, an alias).
 */
static const yaml_mark_t *
error_mark(const yaml_parser_t *p)
{
	const char *pr = p->problem;

	if (pr == NULL)
		return &p->mark;
	if (p->context != NULL && (strcmp(pr, "could not find expected ':'") == 0 ||
	    (strcmp(pr, "found unexpected end of stream") == 0 &&
	    strstr(p->context, "quoted scalar") != NULL) ||
	    strstr(p->context, "an alias") != NULL || strstr(p->context, "an anchor") != NULL ||
	    (strncmp(pr, "did not find expected ',' or ", 29) == 0 &&
	    p->context_mark.line != p->problem_mark.line)))
		return &p->context_mark;
	return &p->problem_mark;
}

static void
report_parser_error(struct ybuilder *b)
{
	yaml_parser_t *p = &b->parser;
	const yaml_mark_t *m = error_mark(p);
	yaml_mark_t at;

	if (p->error == YAML_MEMORY_ERROR)
		fatal("out of memory");
	if (p->error == YAML_READER_ERROR) {
		offset_mark(b, p->problem_offset, &at);
		m = &at;
	}
	if (p->context != NULL)
		diag_error(b->d, (int)m->line + 1, (int)m->column + 1, "E001",
		    "YAML syntax: %s %s", p->problem ? p->problem : "error", p->context);
	else
		diag_error(b->d, (int)m->line + 1, (int)m->column + 1, "E001",
		    "YAML syntax: %s", p->problem ? p->problem : "error");
	if (p->problem != NULL && p->error != YAML_READER_ERROR) {
		hint_block(b, p, p->problem);
		hint_token(b, p, p->problem);
	}
}

/* Refuses the features of YAML we do not accept; returns -1 after reporting. */
static int
check_event(struct ybuilder *b, const yaml_event_t *ev, int depth)
{
	const yaml_mark_t *m = &ev->start_mark;
	const yaml_char_t *anchor = NULL, *tag = NULL;
	int implicit = 1;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		diag_error(b->d, (int)m->line + 1, (int)m->column + 1, "E002",
		    "aliases are not allowed in rule files");
		diag_note(b->d, "text that starts with '*' must be quoted: put the whole text "
		    "in double quotes");
		return -1;
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		implicit = ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit;
		if (ev->data.scalar.length > YTREE_MAX_SCALAR) {
			diag_error(b->d, (int)m->line + 1, (int)m->column + 1, "E006",
			    "value is longer than %d bytes", YTREE_MAX_SCALAR);
			return -1;
		}
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		implicit = ev->data.sequence_start.implicit;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		implicit = ev->data.mapping_start.implicit;
		break;
	default:
		break;
	}
	if (anchor != NULL) {
		diag_error(b->d, (int)m->line + 1, (int)m->column + 1, "E002",
		    "anchors are not allowed in rule files");
		diag_note(b->d, "text that starts with '&' must be quoted: put the whole text "
		    "in double quotes");
		return -1;
	}
	if (tag != NULL && !implicit) {
		diag_error(b->d, (int)m->line + 1, (int)m->column + 1, "E003",
		    "explicit tags are not allowed in rule files");
		return -1;
	}
	if (depth > YTREE_MAX_DEPTH) {
		diag_error(b->d, (int)m->line + 1, (int)m->column + 1, "E004",
		    "nested more than %d levels deep", YTREE_MAX_DEPTH);
		return -1;
	}
	if (b->nodes >= YTREE_MAX_NODES) {
		diag_error(b->d, (int)m->line + 1, (int)m->column + 1, "E006",
		    "more than %d values in one file", YTREE_MAX_NODES);
		return -1;
	}
	return 0;
}

static int next_event(struct ybuilder *b, yaml_event_t *ev);
static struct ynode *build_node(struct ybuilder *b, yaml_event_t *ev, int depth, int in_seq);

static int
next_event(struct ybuilder *b, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&b->parser, ev)) {
		report_parser_error(b);
		return -1;
	}
	return 0;
}

/*
 * Reports the second and later occurrences of a key in one mapping. A list
 * item whose first key comes back has most likely lost the '- ' of the next item.
 */
static int
check_duplicate_key(struct ybuilder *b, const struct ynode *map, const struct ynode *key,
    int in_seq)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = YMAP_KEY(map, i);

		if (k->len == key->len && memcmp(k->str, key->str, k->len) == 0) {
			diag_error(b->d, key->line, key->col, "E005",
			    "duplicate key '%s' (first at line %d)", key->str, k->line);
			if (in_seq && i == 0)
				diag_note(b->d, "a new list item starts with '- ': write '- %s:' "
				    "here, in the column of the '- ' above", key->str);
			else
				diag_note(b->d, "a key appears once in a mapping: remove one of "
				    "them, or rename it");
			return -1;
		}
	}
	return 0;
}

static struct ynode *
build_collection(struct ybuilder *b, yaml_event_t *start, int depth, int in_seq)
{
	int is_map = start->type == YAML_MAPPING_START_EVENT;
	yaml_event_type_t end = is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
	struct ynode *n = ynode_new(b, is_map ? Y_MAP : Y_SEQ, &start->start_mark);
	size_t cap = 0, slots = 0;
	yaml_event_t ev;

	for (;;) {
		struct ynode *child;

		if (next_event(b, &ev) < 0)
			goto fail;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			break;
		}
		child = build_node(b, &ev, depth + 1, !is_map);
		yaml_event_delete(&ev);
		if (child == NULL)
			goto fail;
		if (is_map && slots % 2 == 0) {
			if (child->type != Y_SCALAR) {
				diag_error(b->d, child->line, child->col, "E011",
				    "mapping keys must be plain names");
				ytree_free(child);
				goto fail;
			}
			if (check_duplicate_key(b, n, child, in_seq) < 0) {
				ytree_free(child);
				goto fail;
			}
		}
		if (slots == cap) {
			cap = cap ? cap * 2 : 8;
			n->items = xreallocarray(n->items, cap, sizeof *n->items);
		}
		n->items[slots++] = child;
		n->n = is_map ? slots / 2 : slots;
	}
	return n;
fail:
	if (is_map && slots % 2 == 1)
		n->n = slots / 2, ytree_free(n->items[slots - 1]);
	ytree_free(n);
	return NULL;
}

/* Whether a plain scalar ending at `end` is followed on its line by a comment. */
static int
comment_follows(const struct ybuilder *b, size_t end)
{
	while (end < b->len && (b->text[end] == ' ' || b->text[end] == '\t'))
		end++;
	return end < b->len && b->text[end] == '#';
}

static struct ynode *
build_node(struct ybuilder *b, yaml_event_t *ev, int depth, int in_seq)
{
	struct ynode *n;

	if (check_event(b, ev, depth) < 0)
		return NULL;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = ynode_new(b, Y_SCALAR, &ev->start_mark);
		n->len = ev->data.scalar.length;
		n->str = xstrndup((const char *)ev->data.scalar.value, n->len);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		n->comment_after = n->plain && n->len > 0 &&
		    comment_follows(b, ev->end_mark.index);
		return n;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return build_collection(b, ev, depth, in_seq);
	default:
		diag_error(b->d, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
		    "E001", "unexpected YAML event");
		return NULL;
	}
}

/* Expects the event that follows a complete document: stream end, nothing more. */
static int
expect_end(struct ybuilder *b)
{
	yaml_event_t ev;
	int rc = 0;

	if (next_event(b, &ev) < 0)
		return -1;
	if (ev.type != YAML_DOCUMENT_END_EVENT)
		rc = -1;
	yaml_event_delete(&ev);
	if (rc == 0 && next_event(b, &ev) < 0)
		return -1;
	if (rc == 0 && ev.type != YAML_STREAM_END_EVENT) {
		diag_error(b->d, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
		    "E001", "a rule file holds exactly one YAML document");
		rc = -1;
	}
	if (rc == 0)
		yaml_event_delete(&ev);
	return rc;
}

struct ynode *
ytree_load(const char *text, size_t len, struct diag *d)
{
	struct ybuilder b;
	struct ynode *root = NULL;
	yaml_event_t ev;
	int stage = 0;

	/*
	 * Refused, not skipped: the rule set's hash is over the file's exact bytes, and
	 * libyaml would report it as a syntax error on a later line.
	 */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		diag_error(d, 1, 1, "E001", "the file starts with a byte-order mark: save it as "
		    "UTF-8 without one");
		return NULL;
	}
	memset(&b, 0, sizeof b);
	b.d = d;
	b.text = text;
	b.len = len;
	if (!yaml_parser_initialize(&b.parser))
		fatal("out of memory");
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&b.parser, YAML_UTF8_ENCODING);
	/* stream start, then document start */
	while (stage < 2) {
		if (next_event(&b, &ev) < 0)
			goto done;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			diag_error(d, 1, 1, "E001", "the file is empty");
			goto done;
		}
		yaml_event_delete(&ev);
		stage++;
	}
	if (next_event(&b, &ev) < 0)
		goto done;
	root = build_node(&b, &ev, 1, 0);
	yaml_event_delete(&ev);
	if (root != NULL && expect_end(&b) < 0) {
		ytree_free(root);
		root = NULL;
	}
done:
	yaml_parser_delete(&b.parser);
	return root;
}
