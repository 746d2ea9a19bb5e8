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

static void
report_parser_error(struct ybuilder *b)
{
	yaml_parser_t *p = &b->parser;
	const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->mark;
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
static struct ynode *build_node(struct ybuilder *b, yaml_event_t *ev, int depth);

static int
next_event(struct ybuilder *b, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&b->parser, ev)) {
		report_parser_error(b);
		return -1;
	}
	return 0;
}

/* Reports the second and later occurrences of a key in one mapping. */
static int
check_duplicate_key(struct ybuilder *b, const struct ynode *map, const struct ynode *key)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = YMAP_KEY(map, i);

		if (k->len == key->len && memcmp(k->str, key->str, k->len) == 0) {
			diag_error(b->d, key->line, key->col, "E005",
			    "duplicate key '%s' (first at line %d)", key->str, k->line);
			return -1;
		}
	}
	return 0;
}

static struct ynode *
build_collection(struct ybuilder *b, yaml_event_t *start, int depth)
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
		child = build_node(b, &ev, depth + 1);
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
			if (check_duplicate_key(b, n, child) < 0) {
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

static struct ynode *
build_node(struct ybuilder *b, yaml_event_t *ev, int depth)
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
		return n;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return build_collection(b, ev, depth);
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
	root = build_node(&b, &ev, 1);
	yaml_event_delete(&ev);
	if (root != NULL && expect_end(&b) < 0) {
		ytree_free(root);
		root = NULL;
	}
done:
	yaml_parser_delete(&b.parser);
	return root;
}
