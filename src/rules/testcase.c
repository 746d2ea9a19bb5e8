/* testcase.c: warns about a rule file's test case that ignores a key or will be rejected. */
#include "rules/testcase.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/nearest.h"

struct tcheck {
	const struct ruleset *rs;
	struct diag *d;
	int expect_error;
	char *problem;		/* the first reason the case will be rejected */
	unsigned char *present;	/* per fact: given a value other than null */
};

/* Every declared fact's path and each object above it ('child.age', 'child'), owned. */
static const char **
fact_prefixes(const struct ruleset *rs, size_t *n)
{
	const char **names = NULL;
	size_t cap = 0;

	*n = 0;
	for (size_t i = 0; i < rs->nfacts; i++)
		for (const char *p = rs->facts[i].path, *e = p; e != NULL; e = strchr(e + 1, '.')) {
			char *name = e == p ? xstrdup(p) : xstrndup(p, (size_t)(e - p));

			for (size_t j = 0; j < *n && name != NULL; j++)
				if (strcmp(names[j], name) == 0) {
					free(name);
					name = NULL;
				}
			if (name == NULL)
				continue;
			if (*n == cap)
				names = xreallocarray(names, cap = cap ? cap * 2 : 8, sizeof *names);
			names[(*n)++] = name;
		}
	return names;
}

static void
note_nearest(struct tcheck *c, const char *got, const char *const *cands, size_t n)
{
	const char *best = nearest_name(got, cands, n);

	if (best != NULL && strcmp(best, got) != 0)
		diag_note(c->d, "did you mean '%s'?", best);
}

/* Reports a reason the case will be rejected, keeping the first for the test's report. */
static void
reject(struct tcheck *c, const struct ynode *at, const char *fmt, ...) FD_ATTR_PRINTF(3, 4);

static void
reject(struct tcheck *c, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_warn(c->d, at->line, at->col, "W106", "test case: %s, so the case will be rejected",
	    msg);
	if (c->problem == NULL)
		c->problem = xasprintf("%s (line %d)", msg, at->line);
	free(msg);
}

static int
is_plain(const struct ynode *n, const char *word)
{
	return n->type == Y_SCALAR && n->plain && strcmp(n->str, word) == 0;
}

/* Whether the test's YAML scalar becomes a JSON number (as the test's case is written). */
static int
json_number(const struct ynode *n, double *v)
{
	return n->type == Y_SCALAR && n->plain && parse_number(n->str, n->len, v) == 0;
}

static void
check_string(struct tcheck *c, const struct fact_def *f, const struct ynode *v)
{
	double num;
	struct buf b;

	if (v->type != Y_SCALAR || is_plain(v, "true") || is_plain(v, "false") ||
	    json_number(v, &num)) {
		reject(c, v, "fact '%s' is text; put the value in quotes", f->path);
		return;
	}
	if (f->nvalues == 0)
		return;
	for (size_t k = 0; k < f->nvalues; k++)
		if (strcmp(f->values[k], v->str) == 0)
			return;
	buf_init(&b);
	for (size_t k = 0; k < f->nvalues; k++)
		buf_printf(&b, "%s%s", k ? ", " : "", f->values[k]);
	reject(c, v, "'%s' is not a value fact '%s' can take (it takes: %s)", v->str, f->path,
	    b.data);
	buf_free(&b);
	note_nearest(c, v->str, (const char *const *)f->values, f->nvalues);
}

static void
check_number(struct tcheck *c, const struct fact_def *f, const struct ynode *v)
{
	double num;

	if (!json_number(v, &num) || (f->type == FACT_INTEGER && num != floor(num))) {
		reject(c, v, "fact '%s' is %s, written in figures without quotes", f->path,
		    f->type == FACT_INTEGER ? "a whole number" : "a number");
		return;
	}
	if ((f->has_min && num < f->min) || (f->has_max && num > f->max))
		reject(c, v, "fact '%s' is outside the range its declaration allows", f->path);
}

/* Checks a fact's value as the case reader will take it. */
static void
check_value(struct tcheck *c, size_t fi, const struct ynode *v)
{
	const struct fact_def *f = &c->rs->facts[fi];

	if (is_plain(v, "null"))
		return;		/* counts as missing */
	c->present[fi] = 1;
	if (c->expect_error)
		return;
	switch (f->type) {
	case FACT_STRING:
		check_string(c, f, v);
		break;
	case FACT_INTEGER:
	case FACT_NUMBER:
		check_number(c, f, v);
		break;
	case FACT_BOOLEAN:
		if (!is_plain(v, "true") && !is_plain(v, "false"))
			reject(c, v, "fact '%s' is true or false, without quotes", f->path);
		break;
	}
}

static void
check_indicators(struct tcheck *c, const struct ynode *v)
{
	const struct ruleset *rs = c->rs;
	const char **ids;

	if (v->type != Y_SEQ) {
		reject(c, v, "'indicators' is a list of indicator ids, such as [%s]",
		    rs->nindicators ? rs->indicators[0].id : "");
		return;
	}
	ids = xreallocarray(NULL, rs->nindicators + 1, sizeof *ids);
	for (size_t i = 0; i < rs->nindicators; i++)
		ids[i] = rs->indicators[i].id;
	for (size_t k = 0; k < v->n; k++) {
		const struct ynode *it = v->items[k];
		size_t i;

		if (it->type != Y_SCALAR) {
			reject(c, it, "an item of 'indicators' is an indicator id");
			continue;
		}
		for (i = 0; i < rs->nindicators; i++)
			if (strcmp(ids[i], it->str) == 0)
				break;
		if (i == rs->nindicators) {
			reject(c, it, "indicator '%s' is not defined", it->str);
			note_nearest(c, it->str, ids, rs->nindicators);
		}
	}
	free(ids);
}

static int
find_fact(const struct ruleset *rs, const char *path)
{
	for (size_t i = 0; i < rs->nfacts; i++)
		if (strcmp(rs->facts[i].path, path) == 0)
			return (int)i;
	return -1;
}

/* The first fact below path (path.x...), or -1. */
static int
find_fact_below(const struct ruleset *rs, const char *path)
{
	size_t n = strlen(path);

	for (size_t i = 0; i < rs->nfacts; i++)
		if (strncmp(rs->facts[i].path, path, n) == 0 && rs->facts[i].path[n] == '.')
			return (int)i;
	return -1;
}

/* A key that names no declared fact: the case ignores it. */
static void
unknown_key(struct tcheck *c, const struct ynode *k, const char *path)
{
	const char **names;
	const char *dot = strchr(k->str, '.');
	size_t n;

	diag_warn(c->d, k->line, k->col, "W105", "test case: '%s' is not a declared fact, so the "
	    "test ignores it", path);
	if (dot != NULL && (find_fact(c->rs, path) >= 0 || find_fact_below(c->rs, path) >= 0)) {
		diag_note(c->d, "a key with a dot is one name, not a path: write it nested, "
		    "%.*s: {%s: ...}", (int)(dot - k->str), k->str, dot + 1);
		return;
	}
	for (size_t i = 0; i < c->rs->nfacts; i++) {
		const char *p = c->rs->facts[i].path, *last = strrchr(p, '.');

		if (last != NULL && strcmp(last + 1, path) == 0) {
			diag_note(c->d, "did you mean '%s'? write it nested, %.*s: {%s: ...}", p,
			    (int)(last - p), p, last + 1);
			return;
		}
	}
	names = fact_prefixes(c->rs, &n);
	note_nearest(c, path, names, n);
	for (size_t i = 0; i < n; i++)
		free((char *)names[i]);
	free(names);
}

static void
check_object(struct tcheck *c, const struct ynode *map, const char *prefix)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = YMAP_KEY(map, i), *v = YMAP_VAL(map, i);
		char *path;
		int fi;

		if (prefix == NULL && strcmp(k->str, "case_id") == 0)
			continue;
		if (prefix == NULL && strcmp(k->str, "indicators") == 0) {
			if (!c->expect_error)
				check_indicators(c, v);
			continue;
		}
		path = prefix ? xasprintf("%s.%s", prefix, k->str) : xstrdup(k->str);
		fi = strchr(k->str, '.') == NULL ? find_fact(c->rs, path) : -1;
		if (fi >= 0)
			check_value(c, (size_t)fi, v);
		else if (strchr(k->str, '.') == NULL && find_fact_below(c->rs, path) >= 0) {
			if (v->type == Y_MAP)
				check_object(c, v, path);
			else if (!is_plain(v, "null"))
				diag_warn(c->d, v->line, v->col, "W105", "test case: '%s' holds facts "
				    "such as '%s': write it as a mapping, so the test ignores this "
				    "value", path, c->rs->facts[find_fact_below(c->rs, path)].path);
		} else
			unknown_key(c, k, path);
		free(path);
	}
}

char *
testcase_check(const struct ruleset *rs, const struct ynode *casenode, int expect_error,
    struct diag *d)
{
	struct tcheck c = { rs, d, expect_error, NULL, NULL };
	int has_indicators = 0;

	c.present = xcalloc(rs->nfacts + 1, 1);
	check_object(&c, casenode, NULL);
	for (size_t i = 0; i < casenode->n; i++)
		has_indicators |= strcmp(YMAP_KEY(casenode, i)->str, "indicators") == 0;
	if (!expect_error && !has_indicators)
		reject(&c, casenode, "there is no 'indicators' (write indicators: [] for none)");
	for (size_t i = 0; i < rs->nfacts && !expect_error; i++)
		if (rs->facts[i].required && !rs->facts[i].untyped && !c.present[i])
			reject(&c, casenode, "required fact '%s' is not given", rs->facts[i].path);
	free(c.present);
	return c.problem;
}
