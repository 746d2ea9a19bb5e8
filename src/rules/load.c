/* load.c: reads a rule file's YAML tree into a ruleset, reporting every mistake. */
#include "rules/rules.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/digest.h"
#include "base/json.h"
#include "base/nearest.h"
#include "base/width.h"
#include "base/yamltree.h"
#include "rules/loader.h"
#include "rules/testcase.h"

/* this file's short name for load_error (loader.h), which it defines */
#define error_at load_error

static const char *const domain_names[DOMAIN_COUNT] = {
	"development", "parenting", "family_environment"
};
static const char *const urgency_names[] = { "none", "green", "amber", "red" };
static const char *const fact_type_names[] = { "string", "integer", "number", "boolean" };

const char *
domain_name(enum domain_id d)
{
	return (unsigned)d < DOMAIN_COUNT ? domain_names[d] : "?";
}

const char *
urgency_name(enum urgency u)
{
	return (unsigned)u < FD_ARRAY_LEN(urgency_names) ? urgency_names[u] : "?";
}

static int
name_index(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

/* Adds "did you mean 'x'?" to the last report when a candidate is close. */
static void
suggest(struct loader *L, const char *got, const char *const *cands, size_t n)
{
	const char *best = nearest_name(got, cands, n);

	if (best != NULL && strcmp(best, got) != 0)
		diag_note(L->d, "did you mean '%s'?", best);
}

/* Like suggest, but with no close match lists every name allowed there. */
static void
suggest_or_list(struct loader *L, const char *got, const char *const *cands, size_t n)
{
	const char *best = nearest_name(got, cands, n);
	struct buf b;

	if (best != NULL) {
		suggest(L, got, cands, n);
		return;
	}
	buf_init(&b);
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", cands[i]);
	diag_note(L->d, "the keys allowed here are: %s", b.data);
	buf_free(&b);
}

/* Says how to write a value that has the wrong shape for its key. */
static void
note_shape(struct loader *L, const char *key, enum ynode_type want, const struct ynode *v)
{
	if (want == Y_SEQ && v->type == Y_SCALAR)
		diag_note(L->d, "a list is written in brackets, even of one item: %s: [%s]", key,
		    v->str);
}

void
load_error(struct loader *L, const struct ynode *n, const char *code, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_error(L->d, n->line, n->col, code, "%s", msg);
	free(msg);
}

static struct srcpos
pos_of(const struct ynode *n)
{
	struct srcpos p = { n->line, n->col };
	return p;
}

/*
 * Matches a mapping's keys against a table: unknown keys, wrong node types
 * and missing required keys are reported. out[i] receives the node for
 * fields[i], or NULL. Returns the number of required keys that are missing
 * or of the wrong type: the caller can go on (to report more) only if 0.
 */
static int
map_fields(struct loader *L, const struct ynode *map, const char *what,
    const struct field *fields, size_t nfields, const struct ynode **out)
{
	const char *names[32];
	int problems = 0;

	for (size_t f = 0; f < nfields; f++) {
		out[f] = NULL;
		names[f] = fields[f].key;
	}
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = YMAP_KEY(map, i), *v = YMAP_VAL(map, i);
		size_t f;

		for (f = 0; f < nfields; f++)
			if (strcmp(k->str, fields[f].key) == 0)
				break;
		if (f == nfields) {
			error_at(L, k, "E010", "unknown key '%s' in %s", k->str, what);
			suggest_or_list(L, k->str, names, nfields);
			continue;
		}
		if (fields[f].type != Y_ANY && v->type != fields[f].type) {
			error_at(L, v, "E011", "'%s' in %s must be %s, not %s", k->str,
			    what, ynode_type_name(fields[f].type), ynode_type_name(v->type));
			note_shape(L, k->str, fields[f].type, v);
			problems += fields[f].required;
			continue;
		}
		out[f] = v;
	}
	for (size_t f = 0; f < nfields; f++) {
		if (!fields[f].required || out[f] != NULL)
			continue;
		/* present with the wrong type was reported above */
		int present = 0;
		for (size_t i = 0; i < map->n; i++)
			present |= strcmp(YMAP_KEY(map, i)->str, fields[f].key) == 0;
		if (!present) {
			error_at(L, map, "E012", "%s is missing required key '%s'", what,
			    fields[f].key);
			problems++;
		}
	}
	return problems;
}

static int
expect_type(struct loader *L, const struct ynode *n, enum ynode_type t, const char *what)
{
	if (n->type == t)
		return 0;
	error_at(L, n, "E011", "%s must be %s, not %s", what, ynode_type_name(t),
	    ynode_type_name(n->type));
	return -1;
}

static int
is_plain_special(const struct ynode *n)
{
	static const char *const special[] = { "true", "false", "null", "~", "yes", "no",
		"True", "False", "Null", "NULL", "TRUE", "FALSE", "Yes", "No", "on", "off" };
	double v;

	if (!n->plain)
		return 0;
	if (n->len == 0 || parse_number(n->str, n->len, &v) == 0)
		return 1;
	return name_index(n->str, special, FD_ARRAY_LEN(special)) >= 0;
}

/* A piece of text: any scalar that is not a bare number, boolean or null. */
static char *
get_text(struct loader *L, const struct ynode *n, const char *what, int allow_empty)
{
	if (expect_type(L, n, Y_SCALAR, what) < 0)
		return NULL;
	if (n->plain && n->len > 0 && is_plain_special(n)) {
		error_at(L, n, "E011", "%s must be text; put '%s' in quotes", what, n->str);
		return NULL;
	}
	if (!allow_empty && n->len == 0) {
		error_at(L, n, "E011", "%s must not be empty", what);
		return NULL;
	}
	if (strlen(n->str) != n->len) {
		error_at(L, n, "E011", "%s holds a NUL character", what);
		return NULL;
	}
	return xstrdup(n->str);
}

/*
 * Text written for people (names, descriptions, indicator text, reasons):
 * as get_text, with a warning when YAML cut it at a ' #' comment.
 */
static char *
get_prose(struct loader *L, const struct ynode *n, const char *what, int allow_empty)
{
	char *s = get_text(L, n, what, allow_empty);

	if (s != NULL && n->comment_after)
		diag_warn(L->d, n->line, n->col, "W104", "%s ends where a ' #' comment starts: "
		    "YAML drops the rest of the line; if it belongs to the text, put the whole "
		    "text in double quotes", what);
	return s;
}

static int
valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		    c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/* Suggests the lower-case spelling of an id written with capitals, when that is valid. */
static void
note_lower_case(struct loader *L, const char *s)
{
	char *low = xstrdup(s);

	for (char *p = low; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (strcmp(low, s) != 0 && valid_id(low))
		diag_note(L->d, "ids are lower case: write '%s'", low);
	free(low);
}

static char *
get_id(struct loader *L, const struct ynode *n, const char *what)
{
	if (expect_type(L, n, Y_SCALAR, what) < 0)
		return NULL;
	if (!valid_id(n->str) || strlen(n->str) != n->len) {
		error_at(L, n, "E014", "%s '%s' is not a valid id (lower-case letters, "
		    "digits, '_', '.', '-'; at most 64)", what, n->str);
		note_lower_case(L, n->str);
		return NULL;
	}
	return xstrdup(n->str);
}

static int
get_int(struct loader *L, const struct ynode *n, long min, long max, const char *what, long *out)
{
	char *end;
	long v;

	if (expect_type(L, n, Y_SCALAR, what) < 0)
		return -1;
	if (!n->plain || n->len == 0 || n->len > 12 ||
	    (v = strtol(n->str, &end, 10), *end != '\0') || (n->str[0] == '-' && n->len == 1)) {
		error_at(L, n, "E011", "%s must be a whole number from %ld to %ld, written in "
		    "figures without quotes, not '%s'", what, min, max, n->str);
		return -1;
	}
	if (v < min || v > max) {
		error_at(L, n, "E015", "%s must be from %ld to %ld, not %ld", what, min, max, v);
		return -1;
	}
	*out = v;
	return 0;
}

static int
get_number(struct loader *L, const struct ynode *n, const char *what, double *out)
{
	if (expect_type(L, n, Y_SCALAR, what) < 0)
		return -1;
	if (!n->plain || parse_number(n->str, n->len, out) < 0) {
		error_at(L, n, "E011", "%s must be a number", what);
		return -1;
	}
	return 0;
}

static int
get_bool(struct loader *L, const struct ynode *n, const char *what, int *out)
{
	if (expect_type(L, n, Y_SCALAR, what) < 0)
		return -1;
	if (n->plain && strcmp(n->str, "true") == 0)
		*out = 1;
	else if (n->plain && strcmp(n->str, "false") == 0)
		*out = 0;
	else {
		error_at(L, n, "E011", "%s must be true or false (without quotes), not '%s'",
		    what, n->str);
		return -1;
	}
	return 0;
}

/* Picks one of a fixed set of names, suggesting the nearest on a miss. */
static int
get_enum(struct loader *L, const struct ynode *n, const char *const *names, size_t nnames,
    const char *what)
{
	int i;

	if (expect_type(L, n, Y_SCALAR, what) < 0)
		return -1;
	i = name_index(n->str, names, nnames);
	if (i < 0) {
		struct buf b;

		buf_init(&b);
		for (size_t k = 0; k < nnames; k++)
			buf_printf(&b, "%s%s", k ? ", " : "", names[k]);
		error_at(L, n, "E015", "%s '%s' is not one of: %s", what, n->str, b.data);
		buf_free(&b);
		suggest(L, n->str, names, nnames);
	}
	return i;
}

static int
find_named(const char *id, const void *base, size_t n, size_t stride, size_t offset)
{
	for (size_t i = 0; i < n; i++) {
		const char *name = *(char *const *)((const char *)base + i * stride + offset);
		if (name != NULL && strcmp(name, id) == 0)
			return (int)i;
	}
	return -1;
}

#define FIND(arr, n, field, id) \
	find_named((id), (arr), (n), sizeof *(arr), offsetof(__typeof__(*(arr)), field))

/* Reports an undefined reference, suggesting the closest defined id. */
static void
undefined_ref(struct loader *L, const struct ynode *n, const char *code, const char *what,
    const void *base, size_t count, size_t stride, size_t offset)
{
	const char **names = xreallocarray(NULL, count + 1, sizeof *names);

	error_at(L, n, code, "undefined %s '%s'", what, n->str);
	for (size_t i = 0; i < count; i++) {
		names[i] = *(char *const *)((const char *)base + i * stride + offset);
		if (names[i] == NULL)
			names[i] = "";
	}
	suggest(L, n->str, names, count);
	free(names);
}

#define UNDEFINED(L, n, code, what, arr, count, field) \
	undefined_ref((L), (n), (code), (what), (arr), (count), sizeof *(arr), \
	    offsetof(__typeof__(*(arr)), field))

/* ---- header, levels, flags ---- */

/*
 * The short name a list shows when a level gives none: the label when it fits
 * in 5 columns, else the initials of its words ("Early Help Unit": EHU), or
 * the first 4 characters of a single word ("Universal": Univ).
 */
static char *
level_short_from(const char *label)
{
	char out[6];
	size_t n = 0, words = 0;

	if (width_text(label, strlen(label)) <= 5)
		return xstrdup(label);
	for (const char *p = label; *p != '\0'; p++)
		words += *p != ' ' && (p == label || p[-1] == ' ');
	if (words < 2) {
		size_t end = 0;

		/* four characters, never a UTF-8 sequence cut in two */
		for (int k = 0; k < 4 && label[end] != '\0'; k++)
			do
				end++;
			while (((unsigned char)label[end] & 0xC0) == 0x80);
		return xstrndup(label, end);
	}
	for (const char *p = label; *p != '\0' && n < 5; p++)
		if (*p != ' ' && (p == label || p[-1] == ' ') &&
		    (unsigned char)*p < 0x80 && isalnum((unsigned char)*p))
			out[n++] = (char)toupper((unsigned char)*p);
	out[n] = '\0';
	return n > 0 ? xstrdup(out) : xstrndup(label, 4);
}

/* A level's route label and short name, given or made from its name. */
static void
load_level_labels(struct loader *L, struct level_def *lv, const struct ynode *label,
    const struct ynode *shrt)
{
	if (label != NULL)
		lv->label = get_prose(L, label, "a route's label", 0);
	if (lv->label == NULL && lv->name != NULL)
		lv->label = xstrdup(lv->name);
	if (shrt != NULL && (lv->short_label = get_prose(L, shrt, "a route's short name", 0)) &&
	    width_text(lv->short_label, strlen(lv->short_label)) > 5) {
		error_at(L, shrt, "E015", "a route's short name takes at most 5 columns, for the "
		    "lists' route column: '%s' takes %zu; shorten it, or leave 'short' out to have "
		    "one made from the label", lv->short_label,
		    width_text(lv->short_label, strlen(lv->short_label)));
		free(lv->short_label);
		lv->short_label = NULL;
	}
	if (lv->short_label == NULL && lv->label != NULL)
		lv->short_label = level_short_from(lv->label);
}

static void
load_levels(struct loader *L, const struct ynode *seq)
{
	static const struct field fields[] = {
		{ "level", Y_SCALAR, 1 }, { "name", Y_SCALAR, 1 },
		{ "route", Y_SCALAR, 1 }, { "front_door", Y_SCALAR, 0 },
		{ "label", Y_SCALAR, 0 }, { "short", Y_SCALAR, 0 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	int seen_route[ROUTE_COUNT] = { 0 };

	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *m = seq->items[i];
		struct level_def *lv;
		long level;
		int route;

		if (expect_type(L, m, Y_MAP, "a level") < 0)
			continue;
		/* a level with a missing key is still counted, so it is not reported twice */
		map_fields(L, m, "a level", fields, FD_ARRAY_LEN(fields), v);
		if (v[0] == NULL || get_int(L, v[0], 1, 4, "level", &level) < 0)
			continue;
		lv = &L->rs->levels[level - 1];
		if (lv->level != 0) {
			error_at(L, v[0], "E013", "level %ld is defined twice (first at line %d)",
			    level, lv->pos.line);
			continue;
		}
		route = v[2] != NULL ? get_enum(L, v[2], route_names, ROUTE_COUNT, "route") : -1;
		if (route >= 0 && seen_route[route]++) {
			error_at(L, v[2], "E013", "route '%s' belongs to two levels", v[2]->str);
			route = -1;
		}
		lv->level = (int)level;
		lv->pos = pos_of(m);
		if (v[1] != NULL)
			lv->name = get_prose(L, v[1], "level name", 0);
		lv->route = route < 0 ? ROUTE_UNIVERSAL : (enum route_id)route;
		if (v[3] != NULL)
			lv->front_door = get_prose(L, v[3], "front_door", 1);
		load_level_labels(L, lv, v[4], v[5]);
	}
	for (int l = 0; l < 4; l++)
		if (L->rs->levels[l].level == 0)
			error_at(L, seq, "E012", "level %d is not defined (levels 1 to 4 are "
			    "all required)", l + 1);
}

static void
load_flags(struct loader *L, const struct ynode *map)
{
	struct ruleset *rs = L->rs;

	if (map->n > 64) {
		error_at(L, map, "E015", "at most 64 flags may be declared");
		return;
	}
	rs->flags = xcalloc(map->n, sizeof *rs->flags);
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = YMAP_KEY(map, i);
		struct flag_def *f = &rs->flags[rs->nflags];

		f->id = get_id(L, k, "flag");
		if (f->id == NULL)
			continue;
		f->pos = pos_of(k);
		f->description = get_prose(L, YMAP_VAL(map, i), "flag description", 1);
		rs->nflags++;
	}
}

/* ---- facts ---- */

static int
valid_path(const char *s)
{
	char *copy = xstrdup(s), *save = NULL;
	int ok = s[0] != '\0' && s[0] != '.' && s[strlen(s) - 1] != '.' &&
	    strstr(s, "..") == NULL;

	for (char *p = strtok_r(copy, ".", &save); ok && p != NULL; p = strtok_r(NULL, ".", &save))
		for (const char *c = p; *c != '\0'; c++)
			ok &= (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
	free(copy);
	return ok && strlen(s) <= 128;
}

static void
load_fact_values(struct loader *L, struct fact_def *f, const struct ynode *seq)
{
	if (f->type != FACT_STRING) {
		error_at(L, seq, "E011", "'values' is only for string facts");
		if (f->type == FACT_INTEGER || f->type == FACT_NUMBER)
			diag_note(L->d, "bound a number with min and max instead, such as "
			    "{type: integer, min: 0, max: 25}");
		return;
	}
	if (seq->n == 0 || seq->n > RULES_MAX_STRING_VALUES) {
		error_at(L, seq, "E015", "'values' must list from 1 to %d values",
		    RULES_MAX_STRING_VALUES);
		return;
	}
	f->values = xcalloc(seq->n, sizeof *f->values);
	for (size_t i = 0; i < seq->n; i++) {
		char *s = get_text(L, seq->items[i], "a fact value", 0);

		if (s == NULL)
			continue;
		for (size_t j = 0; j < f->nvalues; j++)
			if (strcmp(f->values[j], s) == 0) {
				error_at(L, seq->items[i], "E013", "value '%s' is listed twice", s);
				free(s);
				s = NULL;
				break;
			}
		if (s != NULL)
			f->values[f->nvalues++] = s;
	}
}

static void
load_fact(struct loader *L, struct fact_def *f, const struct ynode *key, const struct ynode *m)
{
	static const struct field fields[] = {
		{ "type", Y_SCALAR, 1 }, { "values", Y_SEQ, 0 }, { "min", Y_SCALAR, 0 },
		{ "max", Y_SCALAR, 0 }, { "required", Y_SCALAR, 0 },
		{ "description", Y_SCALAR, 0 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	int type;

	f->required = 1;
	f->untyped = 1;
	if (map_fields(L, m, "a fact", fields, FD_ARRAY_LEN(fields), v) > 0)
		return;
	type = get_enum(L, v[0], fact_type_names, FD_ARRAY_LEN(fact_type_names), "fact type");
	if (type < 0)
		return;
	f->untyped = 0;
	f->type = (enum fact_type)type;
	if (v[1] != NULL)
		load_fact_values(L, f, v[1]);
	for (int b = 0; b < 2; b++) {
		const struct ynode *n = v[2 + b];
		double x;

		if (n == NULL)
			continue;
		if (f->type != FACT_INTEGER && f->type != FACT_NUMBER) {
			error_at(L, n, "E011", "'%s' is only for integer and number facts",
			    b ? "max" : "min");
			continue;
		}
		if (get_number(L, n, b ? "max" : "min", &x) < 0)
			continue;
		if (b)
			f->has_max = 1, f->max = x;
		else
			f->has_min = 1, f->min = x;
	}
	if (f->has_min && f->has_max && f->min > f->max)
		error_at(L, key, "E015", "fact '%s' has min greater than max", f->path);
	if (v[4] != NULL)
		get_bool(L, v[4], "required", &f->required);
	if (v[5] != NULL)
		f->description = get_prose(L, v[5], "description", 1);
}

const struct computed_fact rules_history_facts[] = {
	{ "history.contacts", FACT_INTEGER, "earlier contacts about the child (decisions)" },
	{ "history.contacts_12m", FACT_INTEGER,
	    "earlier contacts received within the 365 days before this one" },
	{ "history.last_route", FACT_STRING, "the route the latest earlier contact took" },
	{ "history.months_since_closure", FACT_INTEGER,
	    "whole months since the case was last closed" },
	{ "history.early_help_declined", FACT_BOOLEAN,
	    "an earlier episode closed because the family withdrew consent" },
	{ "history.stepped_up", FACT_BOOLEAN, "the case was stepped up to the MASH before" },
};
const size_t rules_nhistory_facts = FD_ARRAY_LEN(rules_history_facts);

const struct computed_fact *
rules_history_fact(const char *path)
{
	for (size_t i = 0; i < rules_nhistory_facts; i++)
		if (strcmp(rules_history_facts[i].path, path) == 0)
			return &rules_history_facts[i];
	return NULL;
}

static int
map_has_key(const struct ynode *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(YMAP_KEY(m, i)->str, key) == 0)
			return 1;
	return 0;
}

/* A fact frontdoor works out (rules_history_facts) has its type fixed, and is never required. */
static void
check_history_fact(struct loader *L, struct fact_def *f, const struct ynode *key,
    const struct ynode *m)
{
	const struct computed_fact *c = rules_history_fact(f->path);

	if (c == NULL)
		return;	/* another fact under history., as the form records it */
	if (!f->untyped && f->type != c->type)
		error_at(L, key, "E015", "'%s' is worked out by frontdoor as a%s %s: declare it "
		    "with type: %s", f->path, c->type == FACT_INTEGER ? "n" : "",
		    fact_type_names[c->type], fact_type_names[c->type]);
	if (!map_has_key(m, "required"))
		f->required = 0;
	else if (f->required)
		error_at(L, key, "E015", "'%s' cannot be required: a case routed without the "
		    "log has no history (leave out required)", f->path);
}

static void
load_facts(struct loader *L, const struct ynode *map)
{
	struct ruleset *rs = L->rs;

	rs->facts = xcalloc(map->n, sizeof *rs->facts);
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = YMAP_KEY(map, i), *m = YMAP_VAL(map, i);
		struct fact_def *f = &rs->facts[rs->nfacts];

		if (!valid_path(k->str)) {
			error_at(L, k, "E014", "fact '%s' is not a valid dotted path", k->str);
			continue;
		}
		if (strcmp(k->str, "case_id") == 0 || strcmp(k->str, "indicators") == 0 ||
		    strncmp(k->str, "case_id.", 8) == 0 || strncmp(k->str, "indicators.", 11) == 0) {
			error_at(L, k, "E014", "'%s' is a built-in case field, not a fact", k->str);
			continue;
		}
		if (expect_type(L, m, Y_MAP, "a fact") < 0)
			continue;
		f->path = xstrdup(k->str);
		f->pos = pos_of(k);
		load_fact(L, f, k, m);
		check_history_fact(L, f, k, m);
		rs->nfacts++;
	}
	/* a fact may not also be the parent of another: child and child.age */
	for (size_t i = 0; i < rs->nfacts; i++)
		for (size_t j = 0; j < rs->nfacts; j++) {
			size_t n = strlen(rs->facts[i].path);
			if (i != j && strncmp(rs->facts[i].path, rs->facts[j].path, n) == 0 &&
			    rs->facts[j].path[n] == '.')
				diag_error(L->d, rs->facts[j].pos.line, rs->facts[j].pos.col, "E014",
				    "fact '%s' lies inside fact '%s'", rs->facts[j].path,
				    rs->facts[i].path);
		}
}

/* ---- indicators ---- */

static uint64_t
load_indicator_flags(struct loader *L, const struct ynode *seq)
{
	uint64_t bits = 0;

	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *n = seq->items[i];
		int f;

		if (expect_type(L, n, Y_SCALAR, "a flag") < 0)
			continue;
		f = FIND(L->rs->flags, L->rs->nflags, id, n->str);
		if (f < 0) {
			UNDEFINED(L, n, "E024", "flag", L->rs->flags, L->rs->nflags, id);
			continue;
		}
		L->rs->flags[f].used = 1;
		bits |= UINT64_C(1) << f;
	}
	return bits;
}

/*
 * A need has a level; a strength is recorded and shown but never routes, so
 * it has neither a level nor flags.
 */
static void
check_strength(struct loader *L, const struct ynode *m, const struct ynode *const *v,
    int strength)
{
	int present = 0;

	if (!strength) {
		/* present with the wrong type was reported by map_fields */
		for (size_t i = 0; i < m->n; i++)
			present |= strcmp(YMAP_KEY(m, i)->str, "level") == 0;
		if (!present)
			error_at(L, m, "E012", "an indicator is missing required key 'level'");
		return;
	}
	if (v[2] != NULL)
		error_at(L, v[2], "E015", "a strength has no level: it never routes");
	if (v[5] != NULL)
		error_at(L, v[5], "E015", "a strength has no flags: it never routes");
}

static void
load_indicators(struct loader *L, const struct ynode *seq)
{
	static const struct field fields[] = {
		{ "id", Y_SCALAR, 1 }, { "domain", Y_SCALAR, 1 },
		{ "level", Y_SCALAR, 0 },	/* required of a need: see check_strength */
		{ "text", Y_SCALAR, 1 }, { "guidance", Y_SCALAR, 0 }, { "flags", Y_SEQ, 0 },
		{ "strength", Y_SCALAR, 0 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	struct ruleset *rs = L->rs;

	if (seq->n == 0)
		error_at(L, seq, "E012", "at least one indicator is required");
	rs->indicators = xcalloc(seq->n, sizeof *rs->indicators);
	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *m = seq->items[i];
		struct indicator_def *ind = &rs->indicators[rs->nindicators];
		long level = 1;
		int dom, dup;

		if (expect_type(L, m, Y_MAP, "an indicator") < 0)
			continue;
		/* every key present is checked, even when another is missing */
		map_fields(L, m, "an indicator", fields, FD_ARRAY_LEN(fields), v);
		if (v[6] != NULL)
			get_bool(L, v[6], "strength", &ind->strength);
		check_strength(L, m, v, ind->strength);
		ind->id = v[0] != NULL ? get_id(L, v[0], "indicator id") : NULL;
		dup = ind->id != NULL ? FIND(rs->indicators, rs->nindicators, id, ind->id) : -1;
		if (dup >= 0)
			error_at(L, v[0], "E013", "indicator '%s' is defined twice (first at "
			    "line %d)", ind->id, rs->indicators[dup].pos.line);
		ind->pos = pos_of(m);
		dom = v[1] != NULL ? get_enum(L, v[1], domain_names, DOMAIN_COUNT, "domain") : -1;
		ind->domain = dom < 0 ? DOMAIN_DEVELOPMENT : (enum domain_id)dom;
		if (v[2] != NULL && !ind->strength)
			get_int(L, v[2], 1, 4, "indicator level", &level);
		ind->level = ind->strength ? 0 : (int)level;
		if (v[3] != NULL)
			ind->text = get_prose(L, v[3], "indicator text", 0);
		if (v[4] != NULL)
			ind->guidance = get_prose(L, v[4], "guidance", 1);
		if (v[5] != NULL)
			ind->flags = load_indicator_flags(L, v[5]);
		if (ind->id == NULL || dup >= 0) {
			free(ind->id);
			free(ind->text);
			free(ind->guidance);
			memset(ind, 0, sizeof *ind);
			continue;
		}
		rs->nindicators++;
	}
}

/* ---- literals and lists ---- */

/* Reads a scalar as a literal of the given fact's type. */
static int
load_literal(struct loader *L, const struct ynode *n, const struct fact_def *f,
    struct literal *lit)
{
	memset(lit, 0, sizeof *lit);
	lit->pos = pos_of(n);
	lit->type = f->type;
	lit->enum_index = -1;
	if (expect_type(L, n, Y_SCALAR, "a value") < 0)
		return -1;
	switch (f->type) {
	case FACT_STRING:
		if (is_plain_special(n)) {
			error_at(L, n, "E026", "fact '%s' is text; put '%s' in quotes",
			    f->path, n->str);
			return -1;
		}
		lit->str = xstrndup(n->str, n->len);
		lit->len = n->len;
		if (f->nvalues > 0) {
			lit->enum_index = name_index(n->str, (const char *const *)f->values,
			    f->nvalues);
			if (lit->enum_index < 0) {
				struct buf b;

				buf_init(&b);
				for (size_t k = 0; k < f->nvalues; k++)
					buf_printf(&b, "%s%s", k ? ", " : "", f->values[k]);
				error_at(L, n, "E027", "'%s' is not a value fact '%s' can take; "
				    "it takes: %s", n->str, f->path, b.data);
				buf_free(&b);
				suggest(L, n->str, (const char *const *)f->values, f->nvalues);
				return -1;
			}
		}
		return 0;
	case FACT_INTEGER:
	case FACT_NUMBER:
		if (!n->plain || parse_number(n->str, n->len, &lit->num) < 0 ||
		    (f->type == FACT_INTEGER && strpbrk(n->str, ".eE") != NULL)) {
			error_at(L, n, "E026", "fact '%s' is %s; '%s' is not", f->path,
			    f->type == FACT_INTEGER ? "a whole number" : "a number", n->str);
			if (!n->plain && parse_number(n->str, n->len, &lit->num) == 0)
				diag_note(L->d, "write the number without quotes: %s", n->str);
			return -1;
		}
		return 0;
	case FACT_BOOLEAN:
		return get_bool(L, n, "a boolean fact's value", &lit->boolean);
	}
	return -1;
}

static void
load_lists(struct loader *L, const struct ynode *map)
{
	struct ruleset *rs = L->rs;

	rs->lists = xcalloc(map->n, sizeof *rs->lists);
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = YMAP_KEY(map, i), *seq = YMAP_VAL(map, i);
		struct list_def *l = &rs->lists[rs->nlists];

		l->id = get_id(L, k, "list");
		if (l->id == NULL)
			continue;
		l->pos = pos_of(k);
		rs->nlists++;
		if (expect_type(L, seq, Y_SEQ, "a list") < 0)
			continue;
		/* items are typed when a comparison uses the list; keep the nodes' text */
		l->items = xcalloc(seq->n, sizeof *l->items);
		for (size_t j = 0; j < seq->n; j++) {
			const struct ynode *n = seq->items[j];
			struct literal *lit = &l->items[l->n];

			if (expect_type(L, n, Y_SCALAR, "a list item") < 0)
				continue;
			lit->str = xstrndup(n->str, n->len);
			lit->len = n->len;
			lit->plain = n->plain;
			lit->enum_index = -1;
			lit->pos = pos_of(n);
			l->n++;
		}
	}
}

/* ---- conditions ---- */

static struct cond *load_cond(struct loader *L, const struct ynode *n, int depth);

static struct cond *
cond_new(enum cond_kind kind, const struct ynode *n)
{
	struct cond *c = xcalloc(1, sizeof *c);

	c->kind = kind;
	c->pos = pos_of(n);
	c->index = -1;
	c->list = -1;
	c->other = -1;
	c->sel.flag = -1;
	c->at_least = c->at_most = -1;
	return c;
}

static void
cond_free(struct cond *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nkids; i++)
		cond_free(c->kids[i]);
	free(c->kids);
	free(c->sel.ids);
	free(c->desc_json);
	for (size_t i = 0; i < c->nlits && c->list < 0; i++)
		free(c->lits[i].str);
	if (c->list < 0)
		free(c->lits);
	free(c);
}

static struct cond *
load_junction(struct loader *L, const struct ynode *n, const struct ynode *seq,
    enum cond_kind kind, int depth)
{
	struct cond *c = cond_new(kind, n);

	if (seq->n == 0) {
		error_at(L, seq, "E015", "'%s' needs at least one condition",
		    kind == COND_ALL ? "all" : "any");
		diag_note(L->d, "list the conditions, [{indicator: ID}, ...], or write the one "
		    "condition without '%s'", kind == COND_ALL ? "all" : "any");
	}
	c->kids = xcalloc(seq->n, sizeof *c->kids);
	for (size_t i = 0; i < seq->n; i++) {
		struct cond *k = load_cond(L, seq->items[i], depth + 1);
		if (k != NULL)
			c->kids[c->nkids++] = k;
	}
	return c;
}

static int
load_selector_levels(struct loader *L, const struct ynode *n, uint32_t *out)
{
	long level;

	if (n->type == Y_SCALAR) {
		if (get_int(L, n, 1, 4, "level", &level) < 0)
			return -1;
		*out |= 1u << level;
		return 0;
	}
	if (expect_type(L, n, Y_SEQ, "level") < 0)
		return -1;
	for (size_t i = 0; i < n->n; i++)
		if (load_selector_levels(L, n->items[i], out) < 0)
			return -1;
	return 0;
}

static int
load_selector_domains(struct loader *L, const struct ynode *n, uint32_t *out)
{
	int d;

	if (n->type == Y_SCALAR) {
		d = get_enum(L, n, domain_names, DOMAIN_COUNT, "domain");
		if (d < 0)
			return -1;
		*out |= 1u << d;
		return 0;
	}
	if (expect_type(L, n, Y_SEQ, "domain") < 0)
		return -1;
	for (size_t i = 0; i < n->n; i++)
		if (load_selector_domains(L, n->items[i], out) < 0)
			return -1;
	return 0;
}

static int
load_indicator_ref(struct loader *L, const struct ynode *n)
{
	int i;

	if (expect_type(L, n, Y_SCALAR, "an indicator") < 0)
		return -1;
	if (L->rs->indicators == NULL)
		return -1;	/* no 'indicators' list, reported once as a missing key */
	i = FIND(L->rs->indicators, L->rs->nindicators, id, n->str);
	if (i < 0)
		UNDEFINED(L, n, "E020", "indicator", L->rs->indicators, L->rs->nindicators, id);
	else if (L->rs->indicators[i].strength) {
		error_at(L, n, "E028", "indicator '%s' is a strength: strengths are recorded and "
		    "shown, never read by a condition", n->str);
		return -1;
	}
	return i;
}

static int
load_selector(struct loader *L, const struct ynode *m, struct selector *sel)
{
	static const struct field fields[] = {
		{ "level", Y_ANY, 0 }, { "domain", Y_ANY, 0 }, { "flag", Y_SCALAR, 0 },
		{ "ids", Y_SEQ, 0 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	int bad = 0;

	if (map_fields(L, m, "a count selector", fields, FD_ARRAY_LEN(fields), v) > 0)
		return -1;
	if (v[0] != NULL)
		bad |= load_selector_levels(L, v[0], &sel->levels);
	if (v[1] != NULL)
		bad |= load_selector_domains(L, v[1], &sel->domains);
	if (v[2] != NULL) {
		sel->flag = FIND(L->rs->flags, L->rs->nflags, id, v[2]->str);
		if (sel->flag < 0) {
			UNDEFINED(L, v[2], "E024", "flag", L->rs->flags, L->rs->nflags, id);
			bad = -1;
		} else
			L->rs->flags[sel->flag].used = 1;
	}
	if (v[3] != NULL) {
		sel->ids = xcalloc(v[3]->n, sizeof *sel->ids);
		for (size_t i = 0; i < v[3]->n; i++) {
			int ind = load_indicator_ref(L, v[3]->items[i]);
			if (ind < 0)
				bad = -1;
			else
				sel->ids[sel->nids++] = ind;
		}
		if (v[3]->n == 0) {
			error_at(L, v[3], "E015", "'ids' needs at least one indicator");
			bad = -1;
		}
	}
	return bad;
}

/*
 * A count of indicators ({count: SELECTOR, ...}) or of the domains that hold
 * one ({domains: SELECTOR, ...}), with its bounds.
 */
static struct cond *
load_count(struct loader *L, const struct ynode *n, enum cond_kind kind)
{
	static const struct field count_fields[] = {
		{ "count", Y_MAP, 1 }, { "at_least", Y_SCALAR, 0 }, { "at_most", Y_SCALAR, 0 },
	};
	static const struct field domain_fields[] = {
		{ "domains", Y_MAP, 1 }, { "at_least", Y_SCALAR, 0 }, { "at_most", Y_SCALAR, 0 },
	};
	const struct field *fields = kind == COND_COUNT ? count_fields : domain_fields;
	const char *what = kind == COND_COUNT ? "a count condition" : "a domains condition";
	long most = kind == COND_COUNT ? 100000 : DOMAIN_COUNT;
	const struct ynode *v[FD_ARRAY_LEN(count_fields)];
	struct cond *c;

	if (map_fields(L, n, what, fields, FD_ARRAY_LEN(count_fields), v) > 0)
		return NULL;
	c = cond_new(kind, n);
	if (load_selector(L, v[0], &c->sel) < 0)
		goto fail;
	if (v[1] == NULL && v[2] == NULL) {
		error_at(L, n, "E012", "%s needs 'at_least' or 'at_most'", what);
		goto fail;
	}
	if ((v[1] != NULL && get_int(L, v[1], 0, most, "at_least", &c->at_least) < 0) ||
	    (v[2] != NULL && get_int(L, v[2], 0, most, "at_most", &c->at_most) < 0))
		goto fail;
	if (c->at_least >= 0 && c->at_most >= 0 && c->at_least > c->at_most) {
		error_at(L, n, "E015", "at_least is greater than at_most");
		goto fail;
	}
	return c;
fail:
	cond_free(c);
	return NULL;
}

/* eq to ge take a literal, or {fact: PATH} to compare with another fact */
static const struct field compare_fields[] = {
	{ "fact", Y_SCALAR, 1 }, { "eq", Y_ANY, 0 }, { "ne", Y_ANY, 0 },
	{ "lt", Y_ANY, 0 }, { "le", Y_ANY, 0 }, { "gt", Y_ANY, 0 },
	{ "ge", Y_ANY, 0 }, { "in", Y_SEQ, 0 }, { "not_in", Y_SEQ, 0 },
	{ "in_list", Y_SCALAR, 0 }, { "not_in_list", Y_SCALAR, 0 },
};

/* What a comparison's operand is: one literal, a sequence of them, or a named list. */
enum operand_form { OPERAND_ONE, OPERAND_SEQ, OPERAND_LIST };

/*
 * What each comparison key means, joined to compare_fields by name, so the
 * order of neither table changes what a rule file says.
 */
static const struct compare_op {
	const char *key;
	enum cmp_op op;
	enum operand_form form;
	int orders;		/* compares order: needs a number */
} compare_ops[] = {
	{ "eq", OP_EQ, OPERAND_ONE, 0 }, { "ne", OP_NE, OPERAND_ONE, 0 },
	{ "lt", OP_LT, OPERAND_ONE, 1 }, { "le", OP_LE, OPERAND_ONE, 1 },
	{ "gt", OP_GT, OPERAND_ONE, 1 }, { "ge", OP_GE, OPERAND_ONE, 1 },
	{ "in", OP_IN, OPERAND_SEQ, 0 }, { "not_in", OP_NOT_IN, OPERAND_SEQ, 0 },
	{ "in_list", OP_IN, OPERAND_LIST, 0 }, { "not_in_list", OP_NOT_IN, OPERAND_LIST, 0 },
};

/* The meaning of a comparison key; every key of compare_fields but "fact" has one. */
static const struct compare_op *
compare_op_named(const char *key)
{
	for (size_t i = 0; i < FD_ARRAY_LEN(compare_ops); i++)
		if (strcmp(compare_ops[i].key, key) == 0)
			return &compare_ops[i];
	return NULL;
}

/* Types the items of a named list for the fact that uses it (once per list). */
static int
type_list(struct loader *L, struct list_def *l, const struct fact_def *f, const struct ynode *at)
{
	for (size_t i = 0; i < l->n; i++) {
		struct literal *lit = &l->items[i];
		struct ynode tmp = { .type = Y_SCALAR, .line = lit->pos.line, .col = lit->pos.col,
			.str = lit->str, .len = lit->len, .plain = lit->plain };
		struct literal typed;

		if (load_literal(L, &tmp, f, &typed) < 0) {
			free(typed.str);
			diag_note(L->d, "list '%s' is compared with fact '%s' at line %d",
			    l->id, f->path, at->line);
			return -1;
		}
		free(typed.str);
		lit->type = typed.type;
		lit->num = typed.num;
		lit->boolean = typed.boolean;
	}
	return 0;
}

/* Folds the literals of a comparison on an enumerated fact into a bit set. */
static void
compile_enum_set(struct cond *c, const struct fact_def *f)
{
	c->enum_set = 0;
	if (f->type != FACT_STRING || f->nvalues == 0)
		return;
	for (size_t i = 0; i < c->nlits; i++) {
		int e = name_index(c->lits[i].str, (const char *const *)f->values, f->nvalues);
		if (e >= 0)
			c->enum_set |= UINT64_C(1) << e;
	}
}

/* The literal operands of a comparison: one, or each of a sequence. */
static int
load_operands(struct loader *L, const struct ynode *opnode, const struct fact_def *f,
    enum operand_form form, struct cond *c)
{
	size_t n = form == OPERAND_ONE ? 1 : opnode->n;

	c->lits = xcalloc(n ? n : 1, sizeof *c->lits);
	for (size_t i = 0; i < n; i++) {
		if (load_literal(L, form == OPERAND_ONE ? opnode : opnode->items[i], f,
		    &c->lits[c->nlits]) < 0) {
			free(c->lits[c->nlits].str);
			return -1;
		}
		c->nlits++;
	}
	return 0;
}

/* A comparison's operand as a named list, typed for the fact. */
static int
load_operand_list(struct loader *L, const struct ynode *n, const struct ynode *opnode,
    const struct fact_def *f, struct cond *c)
{
	int li = FIND(L->rs->lists, L->rs->nlists, id, opnode->str);

	if (li < 0) {
		UNDEFINED(L, opnode, "E022", "list", L->rs->lists, L->rs->nlists, id);
		return -1;
	}
	if (type_list(L, &L->rs->lists[li], f, n) < 0)
		return -1;
	L->rs->lists[li].used = 1;
	c->list = li;
	c->lits = L->rs->lists[li].items;
	c->nlits = L->rs->lists[li].n;
	return 0;
}

static int
same_kind(const struct fact_def *a, const struct fact_def *b)
{
	int na = a->type == FACT_INTEGER || a->type == FACT_NUMBER;
	int nb = b->type == FACT_INTEGER || b->type == FACT_NUMBER;

	return na ? nb : a->type == b->type;
}

/* A comparison's operand as another fact: {fact: PATH}, of a type that compares with f. */
static int
load_operand_fact(struct loader *L, const struct ynode *opnode, const struct fact_def *f,
    struct cond *c)
{
	static const struct field fields[] = { { "fact", Y_SCALAR, 1 } };
	const struct ynode *v[1];
	int fi;

	if (map_fields(L, opnode, "a fact operand", fields, 1, v) > 0)
		return -1;
	fi = FIND(L->rs->facts, L->rs->nfacts, path, v[0]->str);
	if (fi < 0) {
		UNDEFINED(L, v[0], "E023", "fact", L->rs->facts, L->rs->nfacts, path);
		return -1;
	}
	L->rs->facts[fi].used = 1;
	if (L->rs->facts[fi].untyped)
		return -1;	/* its declaration was reported */
	if (!same_kind(f, &L->rs->facts[fi])) {
		error_at(L, v[0], "E026", "fact '%s' is %s and fact '%s' is %s: they do not "
		    "compare", f->path, fact_type_names[f->type], v[0]->str,
		    fact_type_names[L->rs->facts[fi].type]);
		return -1;
	}
	if (fi == c->index) {
		error_at(L, v[0], "E015", "fact '%s' is compared with itself", v[0]->str);
		return -1;
	}
	c->other = fi;
	return 0;
}

/* Whether a comparison names an operator, whatever its operand. */
static int
has_op_key(const struct ynode *n)
{
	for (size_t i = 0; i < n->n; i++)
		if (compare_op_named(YMAP_KEY(n, i)->str) != NULL)
			return 1;
	return 0;
}

static struct cond *
load_compare(struct loader *L, const struct ynode *n)
{
	const struct ynode *v[FD_ARRAY_LEN(compare_fields)];
	const struct ynode *opnode = NULL, *factnode = NULL;
	const struct compare_op *op = NULL;
	struct fact_def *f;
	struct cond *c;
	int nops = 0, rc;

	if (map_fields(L, n, "a fact comparison", compare_fields,
	    FD_ARRAY_LEN(compare_fields), v) > 0)
		return NULL;
	for (size_t i = 0; i < FD_ARRAY_LEN(compare_fields); i++)
		if (strcmp(compare_fields[i].key, "fact") == 0)
			factnode = v[i];
		else if (v[i] != NULL)
			nops++, op = compare_op_named(compare_fields[i].key), opnode = v[i];
	if (nops == 0 && has_op_key(n))
		return NULL;	/* its operand's shape was reported */
	if (nops != 1 || op == NULL) {
		error_at(L, n, "E012", "a fact comparison needs exactly one of eq, ne, lt, "
		    "le, gt, ge, in, not_in, in_list, not_in_list");
		if (nops > 1)
			diag_note(L->d, "to test a range, join two comparisons: {all: [{fact: %s, "
			    "ge: 1}, {fact: %s, lt: 5}]}", factnode->str, factnode->str);
		return NULL;
	}
	int fi = FIND(L->rs->facts, L->rs->nfacts, path, factnode->str);
	if (fi < 0) {
		UNDEFINED(L, factnode, "E023", "fact", L->rs->facts, L->rs->nfacts, path);
		diag_note(L->d, "declare it under 'facts:' with its type");
		return NULL;
	}
	f = &L->rs->facts[fi];
	f->used = 1;
	if (f->untyped)
		return NULL;	/* its declaration was reported */
	if (op->orders && f->type != FACT_INTEGER && f->type != FACT_NUMBER) {
		error_at(L, opnode, "E026", "'%s' compares order; fact '%s' is not a number",
		    op->key, f->path);
		diag_note(L->d, "only numbers have an order: use eq, ne, in or not_in");
		return NULL;
	}
	if (f->type == FACT_STRING && f->nvalues == 0 && L->rs->council.present &&
	    !rules_council_lists(f->path) && !(op->form == OPERAND_ONE && opnode->type == Y_MAP)) {
		error_at(L, opnode, "E029", "fact '%s' is free text, so a rule comparing it with "
		    "a value would miss the same value written another way ('Police' for "
		    "'police'): list the values it takes under 'values'", f->path);
		return NULL;
	}
	c = cond_new(COND_COMPARE, n);
	c->index = fi;
	c->op = op->op;
	if (op->form == OPERAND_ONE && opnode->type == Y_MAP)
		rc = load_operand_fact(L, opnode, f, c);
	else if (op->form == OPERAND_ONE && expect_type(L, opnode, Y_SCALAR, "a value") < 0)
		rc = -1;
	else
		rc = op->form == OPERAND_LIST ? load_operand_list(L, n, opnode, f, c) :
		    load_operands(L, opnode, f, op->form, c);
	if (rc < 0) {
		cond_free(c);
		return NULL;
	}
	compile_enum_set(c, f);
	return c;
}

static struct cond *
load_presence(struct loader *L, const struct ynode *n, const struct ynode *pathnode,
    enum cond_kind kind)
{
	struct cond *c;
	int fi;

	if (expect_type(L, pathnode, Y_SCALAR, "a fact path") < 0)
		return NULL;
	fi = FIND(L->rs->facts, L->rs->nfacts, path, pathnode->str);
	if (fi < 0) {
		UNDEFINED(L, pathnode, "E023", "fact", L->rs->facts, L->rs->nfacts, path);
		return NULL;
	}
	if (L->rs->facts[fi].required) {
		error_at(L, pathnode, "E015", "fact '%s' is required, so it is never missing; "
		    "declare it 'required: false' to test for it", pathnode->str);
		return NULL;
	}
	L->rs->facts[fi].used = 1;
	c = cond_new(kind, n);
	c->index = fi;
	return c;
}

/* The forms of a condition mapping, keyed by the word that names the form. */
static const char *const cond_forms[] = {
	"all", "any", "not", "indicator", "condition", "count", "fact", "present", "missing",
	"domains"
};

static struct cond *
load_cond_map(struct loader *L, const struct ynode *n, int depth)
{
	const struct ynode *v[1];
	struct field single[1];
	int form = -1;
	struct cond *c;

	for (size_t i = 0; i < n->n && form < 0; i++)
		form = name_index(YMAP_KEY(n, i)->str, cond_forms, FD_ARRAY_LEN(cond_forms));
	if (form < 0) {
		error_at(L, n, "E012", "a condition needs one of: all, any, not, indicator, "
		    "condition, count, domains, fact, present, missing");
		if (n->n > 0)
			suggest(L, YMAP_KEY(n, 0)->str, cond_forms, FD_ARRAY_LEN(cond_forms));
		return NULL;
	}
	if (form == 5 || form == 9)
		return load_count(L, n, form == 5 ? COND_COUNT : COND_DOMAINS);
	if (form == 6)
		return load_compare(L, n);
	single[0].key = cond_forms[form];
	single[0].type = form <= 1 ? Y_SEQ : form == 2 ? Y_ANY : Y_SCALAR;
	single[0].required = 1;
	if (map_fields(L, n, "this condition", single, 1, v) > 0) {
		if (form == 3 && n->n == 1 && YMAP_VAL(n, 0)->type == Y_SEQ)
			diag_note(L->d, "one indicator each: {any: [{indicator: A}, {indicator: "
			    "B}]} holds when the case names A or B");
		return NULL;
	}
	switch (form) {
	case 0:
	case 1:
		return load_junction(L, n, v[0], form == 0 ? COND_ALL : COND_ANY, depth);
	case 2:
		c = cond_new(COND_NOT, n);
		c->kids = xcalloc(1, sizeof *c->kids);
		c->kids[0] = load_cond(L, v[0], depth + 1);
		c->nkids = c->kids[0] != NULL;
		return c;
	case 3:
		c = cond_new(COND_INDICATOR, n);
		c->index = load_indicator_ref(L, v[0]);
		return c;
	case 4:
		c = cond_new(COND_REF, n);
		c->index = FIND(L->rs->conds, L->rs->nconds, id, v[0]->str);
		if (c->index < 0)
			UNDEFINED(L, v[0], "E021", "condition", L->rs->conds, L->rs->nconds, id);
		else
			L->rs->conds[c->index].used = 1;
		return c;
	default:
		return load_presence(L, n, v[0], form == 7 ? COND_PRESENT : COND_MISSING);
	}
}

static struct cond *
load_cond(struct loader *L, const struct ynode *n, int depth)
{
	if (depth > 24) {
		error_at(L, n, "E004", "conditions nested more than 24 deep");
		return NULL;
	}
	if (n->type == Y_SCALAR) {
		if (n->plain && strcmp(n->str, "always") == 0)
			return cond_new(COND_ALWAYS, n);
		static const char *const always[] = { "always" };

		error_at(L, n, "E011", "a condition is a mapping such as {indicator: ID}, "
		    "or the word 'always'");
		if (FIND(L->rs->indicators, L->rs->nindicators, id, n->str) >= 0)
			diag_note(L->d, "write {indicator: %s}", n->str);
		else if (FIND(L->rs->conds, L->rs->nconds, id, n->str) >= 0)
			diag_note(L->d, "write {condition: %s}", n->str);
		else
			suggest(L, n->str, always, 1);
		return NULL;
	}
	if (n->type == Y_SEQ) {
		error_at(L, n, "E011", "a condition must be a mapping, not a list");
		diag_note(L->d, "to join conditions, write {all: [...]} or {any: [...]}; "
		    "'not' takes one condition");
		return NULL;
	}
	if (expect_type(L, n, Y_MAP, "a condition") < 0)
		return NULL;
	return load_cond_map(L, n, depth);
}

static void
load_conditions(struct loader *L, const struct ynode *map)
{
	struct ruleset *rs = L->rs;

	/* names first, so that conditions may refer to each other in any order */
	rs->conds = xcalloc(map->n, sizeof *rs->conds);
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = YMAP_KEY(map, i);
		char *id = get_id(L, k, "condition");

		rs->conds[i].id = id;
		rs->conds[i].pos = pos_of(k);
	}
	rs->nconds = map->n;
	for (size_t i = 0; i < map->n; i++)
		if (rs->conds[i].id != NULL)
			rs->conds[i].cond = load_cond(L, YMAP_VAL(map, i), 1);
}

/* Reports a named condition that refers back to itself. */
static int
check_cycles(struct loader *L, const struct cond *c)
{
	if (c == NULL)
		return 0;
	if (c->kind == COND_REF && c->index >= 0) {
		struct named_cond *nc = &L->rs->conds[c->index];

		if (nc->state == 1) {
			diag_error(L->d, c->pos.line, c->pos.col, "E025",
			    "condition '%s' refers to itself", nc->id);
			return -1;
		}
		if (nc->state == 0) {
			nc->state = 1;
			if (check_cycles(L, nc->cond) < 0) {
				nc->state = 2;
				return -1;
			}
			nc->state = 2;
		}
	}
	for (size_t i = 0; i < c->nkids; i++)
		if (check_cycles(L, c->kids[i]) < 0)
			return -1;
	return 0;
}

/* ---- rules and tests ---- */

static void
load_validity(struct loader *L, const struct ynode *m)
{
	static const struct field fields[] = {
		{ "id", Y_SCALAR, 1 }, { "when", Y_ANY, 1 }, { "message", Y_SCALAR, 1 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	struct ruleset *rs = L->rs;
	struct validity_def *vd = &rs->validity[rs->nvalidity];
	int dup;

	if (expect_type(L, m, Y_MAP, "a validity rule") < 0 ||
	    map_fields(L, m, "a validity rule", fields, FD_ARRAY_LEN(fields), v) > 0)
		return;
	vd->id = get_id(L, v[0], "validity rule id");
	dup = vd->id != NULL ? FIND(rs->validity, rs->nvalidity, id, vd->id) : -1;
	if (dup >= 0)
		error_at(L, v[0], "E013", "validity rule '%s' is defined twice (first at line %d)",
		    vd->id, rs->validity[dup].pos.line);
	vd->pos = pos_of(m);
	vd->when = load_cond(L, v[1], 1);
	vd->message = get_prose(L, v[2], "message", 0);
	if (vd->id == NULL || dup >= 0) {
		free(vd->id);
		free(vd->message);
		cond_free(vd->when);
		memset(vd, 0, sizeof *vd);
		return;
	}
	rs->nvalidity++;
}

/* An urgency set by conditions: {red: C, amber: C, green: C}, any of them, tried in that order. */
static void
load_urgency_conds(struct loader *L, struct rule_def *r, const struct ynode *m)
{
	static const struct field fields[] = {
		{ "red", Y_ANY, 0 }, { "amber", Y_ANY, 0 }, { "green", Y_ANY, 0 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];

	map_fields(L, m, "an urgency set by conditions", fields, FD_ARRAY_LEN(fields), v);
	if (m->n == 0) {
		error_at(L, m, "E012", "an urgency set by conditions needs red, amber or green");
		return;
	}
	r->urgency_by_cond = 1;
	for (int i = 0; i < 3; i++)
		if (v[i] != NULL)
			r->urgency_when[URGENCY_RED - i] = load_cond(L, v[i], 1);
}

static void
load_rule(struct loader *L, const struct ynode *m)
{
	static const struct field fields[] = {
		{ "id", Y_SCALAR, 1 }, { "when", Y_ANY, 1 }, { "route", Y_SCALAR, 1 },
		{ "reason", Y_SCALAR, 1 }, { "urgency", Y_ANY, 0 },
		{ "needs_consent", Y_SCALAR, 0 }, { "need_level", Y_SCALAR, 0 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	struct ruleset *rs = L->rs;
	struct rule_def *r = &rs->rules[rs->nrules];
	long need;
	int route, dup;

	if (expect_type(L, m, Y_MAP, "a rule") < 0)
		return;
	/* every key present is checked, even when another is missing */
	map_fields(L, m, "a rule", fields, FD_ARRAY_LEN(fields), v);
	r->id = v[0] != NULL ? get_id(L, v[0], "rule id") : NULL;
	dup = r->id != NULL ? FIND(rs->rules, rs->nrules, id, r->id) : -1;
	if (dup >= 0)
		error_at(L, v[0], "E013", "rule '%s' is defined twice (first at line %d)",
		    r->id, rs->rules[dup].pos.line);
	r->pos = pos_of(m);
	if (v[1] != NULL)
		r->when = load_cond(L, v[1], 1);
	route = v[2] != NULL ? get_enum(L, v[2], route_names, ROUTE_COUNT, "route") : -1;
	r->route = route < 0 ? ROUTE_UNIVERSAL : (enum route_id)route;
	if (v[3] != NULL)
		r->reason = get_prose(L, v[3], "reason", 0);
	if (v[4] != NULL && v[4]->type == Y_MAP)
		load_urgency_conds(L, r, v[4]);
	else if (v[4] != NULL) {
		int u = get_enum(L, v[4], urgency_names + 1, 3, "urgency");
		r->urgency = u < 0 ? URGENCY_NONE : (enum urgency)(u + 1);
	}
	if (v[5] != NULL)
		get_bool(L, v[5], "needs_consent", &r->needs_consent);
	if (v[6] != NULL && get_int(L, v[6], 1, 4, "need_level", &need) == 0)
		r->need_level = (int)need;
	if (r->id == NULL || dup >= 0) {
		free(r->id);
		free(r->reason);
		cond_free(r->when);
		for (int u = 0; u <= URGENCY_RED; u++)
			cond_free(r->urgency_when[u]);
		memset(r, 0, sizeof *r);
		return;
	}
	rs->nrules++;
}

/* Writes a YAML node as JSON: plain scalars that look like numbers, booleans or null stay bare. */
static void
node_to_json(const struct ynode *n, struct buf *out)
{
	double num;

	switch (n->type) {
	case Y_SCALAR:
		if (n->plain && (strcmp(n->str, "true") == 0 || strcmp(n->str, "false") == 0 ||
		    strcmp(n->str, "null") == 0 || parse_number(n->str, n->len, &num) == 0)) {
			buf_add(out, n->str, n->len);
			return;
		}
		json_write_string(out, n->str, n->len);
		return;
	case Y_SEQ:
		buf_addc(out, '[');
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				buf_addc(out, ',');
			node_to_json(n->items[i], out);
		}
		buf_addc(out, ']');
		return;
	case Y_MAP:
		buf_addc(out, '{');
		for (size_t i = 0; i < n->n; i++) {
			if (i)
				buf_addc(out, ',');
			json_write_string(out, YMAP_KEY(n, i)->str, YMAP_KEY(n, i)->len);
			buf_addc(out, ':');
			node_to_json(YMAP_VAL(n, i), out);
		}
		buf_addc(out, '}');
		return;
	}
}

/* The test's case as a JSON line, with case_id defaulting to "test" (any name is no id). */
static char *
test_case_json(const struct ynode *casenode)
{
	struct buf b;
	int has_id = 0;

	for (size_t i = 0; i < casenode->n; i++)
		has_id |= strcmp(YMAP_KEY(casenode, i)->str, "case_id") == 0;
	buf_init(&b);
	node_to_json(casenode, &b);
	if (!has_id) {
		struct buf id;

		buf_init(&id);
		buf_adds(&id, "{\"case_id\":\"test\"");
		if (casenode->n > 0)
			buf_addc(&id, ',');
		buf_add(&id, b.data + 1, b.len - 1);
		buf_free(&b);
		return buf_steal(&id);
	}
	return buf_steal(&b);
}

static void
load_test(struct loader *L, const struct ynode *m)
{
	static const struct field fields[] = {
		{ "name", Y_SCALAR, 1 }, { "case", Y_MAP, 1 }, { "route", Y_SCALAR, 0 },
		{ "rule", Y_SCALAR, 0 }, { "error", Y_SCALAR, 0 }, { "urgency", Y_SCALAR, 0 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	struct ruleset *rs = L->rs;
	struct test_def *t = &rs->tests[rs->ntests];
	int route;

	if (expect_type(L, m, Y_MAP, "a test") < 0 ||
	    map_fields(L, m, "a test", fields, FD_ARRAY_LEN(fields), v) > 0)
		return;
	t->name = get_prose(L, v[0], "test name", 0);
	if (t->name == NULL)
		return;
	for (size_t i = 0; i < rs->ntests; i++)
		if (strcmp(rs->tests[i].name, t->name) == 0) {
			error_at(L, v[0], "E013", "test '%s' is defined twice (first at line %d)",
			    t->name, rs->tests[i].pos.line);
			free(t->name);
			t->name = NULL;
			return;
		}
	t->pos = pos_of(m);
	t->rule = -1;
	t->urgency = v[5] != NULL ? get_enum(L, v[5], urgency_names, FD_ARRAY_LEN(urgency_names),
	    "urgency") : -1;
	t->case_json = test_case_json(v[1]);
	rs->ntests++;
	if (v[4] != NULL)
		get_bool(L, v[4], "error", &t->expect_error);
	/* after an error elsewhere, whatever the case names may be what failed to load */
	if (L->d->nerrors == L->errors_before)
		t->case_problem = testcase_check(rs, v[1], t->expect_error, L->d);
	if (t->expect_error) {
		if (v[2] != NULL || v[3] != NULL || v[5] != NULL)
			error_at(L, m, "E015", "a test expecting an error names no route, rule "
			    "or urgency");
		return;
	}
	if (v[2] == NULL) {
		error_at(L, m, "E012", "a test is missing required key 'route' (or 'error: true')");
		return;
	}
	route = get_enum(L, v[2], route_names, ROUTE_COUNT, "route");
	t->route = route < 0 ? ROUTE_UNIVERSAL : (enum route_id)route;
	if (v[3] != NULL) {
		t->rule = FIND(rs->rules, rs->nrules, id, v[3]->str);
		if (t->rule < 0)
			UNDEFINED(L, v[3], "E040", "rule", rs->rules, rs->nrules, id);
		else if (route >= 0 && rs->rules[t->rule].route != t->route)
			error_at(L, v[3], "E040", "rule '%s' routes to %s, not %s", v[3]->str,
			    route_name(rs->rules[t->rule].route), v[2]->str);
	}
}

static void
load_seq(struct loader *L, const struct ynode *seq, size_t elemsize, void **arr,
    void (*one)(struct loader *, const struct ynode *))
{
	*arr = xcalloc(seq->n, elemsize);
	for (size_t i = 0; i < seq->n; i++)
		one(L, seq->items[i]);
}

/* ---- warnings for things declared but never used ---- */

static void
warn_unused(struct loader *L)
{
	struct ruleset *rs = L->rs;

	for (size_t i = 0; i < rs->nflags; i++)
		if (!rs->flags[i].used)
			diag_warn(L->d, rs->flags[i].pos.line, rs->flags[i].pos.col, "W102",
			    "flag '%s' is declared but no indicator or rule uses it",
			    rs->flags[i].id);
	for (size_t i = 0; i < rs->nfacts; i++)
		if (!rs->facts[i].used && rs->facts[i].values == NULL &&
		    rules_form_question(rs, (int)i) == NULL)	/* asked: recorded, if not read */
			diag_warn(L->d, rs->facts[i].pos.line, rs->facts[i].pos.col, "W102",
			    "fact '%s' is declared but no rule reads it", rs->facts[i].path);
	for (size_t i = 0; i < rs->nlists; i++)
		if (!rs->lists[i].used)
			diag_warn(L->d, rs->lists[i].pos.line, rs->lists[i].pos.col, "W102",
			    "list '%s' is declared but no rule uses it", rs->lists[i].id);
	for (size_t i = 0; i < rs->nconds; i++)
		if (rs->conds[i].id != NULL && !rs->conds[i].used)
			diag_warn(L->d, rs->conds[i].pos.line, rs->conds[i].pos.col, "W102",
			    "condition '%s' is declared but no rule uses it", rs->conds[i].id);
}

/* ---- the document ---- */

static void
load_header(struct loader *L, const struct ynode *const *v)
{
	long version;

	if (get_int(L, v[0], 1, 1000, "frontdoor", &version) == 0 &&
	    version != RULES_LANGUAGE_VERSION)
		error_at(L, v[0], "E015", "this frontdoor reads rule language version %d, "
		    "not %ld", RULES_LANGUAGE_VERSION, version);
	L->rs->name = get_prose(L, v[1], "name", 0);
	L->rs->version = get_text(L, v[2], "version", 0);
	if (v[3] != NULL)
		L->rs->description = get_prose(L, v[3], "description", 1);
}

static void
load_document(struct loader *L, const struct ynode *root)
{
	static const struct field fields[] = {
		{ "frontdoor", Y_SCALAR, 1 }, { "name", Y_SCALAR, 1 },
		{ "version", Y_SCALAR, 1 }, { "description", Y_SCALAR, 0 },
		{ "levels", Y_SEQ, 1 }, { "flags", Y_MAP, 0 }, { "facts", Y_MAP, 0 },
		{ "indicators", Y_SEQ, 1 }, { "lists", Y_MAP, 0 },
		{ "conditions", Y_MAP, 0 }, { "rules", Y_SEQ, 1 }, { "tests", Y_SEQ, 0 },
		{ "validity", Y_SEQ, 0 },
		{ "council", Y_MAP, 0 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	struct ruleset *rs = L->rs;

	if (expect_type(L, root, Y_MAP, "a rule file") < 0)
		return;
	map_fields(L, root, "the rule file", fields, FD_ARRAY_LEN(fields), v);
	if (v[0] && v[1] && v[2])
		load_header(L, v);
	if (v[4] != NULL)
		load_levels(L, v[4]);
	if (v[5] != NULL)
		load_flags(L, v[5]);
	if (v[6] != NULL)
		load_facts(L, v[6]);
	if (v[13] != NULL)
		council_load(L, v[13]);
	if (v[7] != NULL)
		load_indicators(L, v[7]);
	if (v[8] != NULL)
		load_lists(L, v[8]);
	if (v[9] != NULL)
		load_conditions(L, v[9]);
	for (size_t i = 0; i < rs->nconds; i++)
		check_cycles(L, rs->conds[i].cond);
	if (v[12] != NULL)
		load_seq(L, v[12], sizeof *rs->validity, (void **)&rs->validity, load_validity);
	for (size_t i = 0; i < rs->nvalidity; i++)
		check_cycles(L, rs->validity[i].when);
	if (v[10] != NULL) {
		load_seq(L, v[10], sizeof *rs->rules, (void **)&rs->rules, load_rule);
		if (v[10]->n == 0)
			error_at(L, v[10], "E012", "at least one rule is required");
	}
	for (size_t i = 0; i < rs->nrules; i++) {
		rs->rules[i].level = 0;
		for (int l = 0; l < 4; l++)
			if (rs->levels[l].level != 0 && rs->levels[l].route == rs->rules[i].route)
				rs->rules[i].level = l + 1;
		if (rs->rules[i].need_level == 0)
			rs->rules[i].need_level = rs->rules[i].level;
		check_cycles(L, rs->rules[i].when);
		for (int u = 0; u <= URGENCY_RED; u++)
			check_cycles(L, rs->rules[i].urgency_when[u]);
	}
	if (v[11] != NULL)
		load_seq(L, v[11], sizeof *rs->tests, (void **)&rs->tests, load_test);
}

struct ruleset *
rules_load_buffer(const char *text, size_t len, struct diag *d)
{
	struct loader L = { .d = d, .errors_before = d->nerrors };
	struct ruleset *rs;
	struct ynode *root;
	int errors_before = d->nerrors;

	if (len > RULES_MAX_FILE) {
		diag_error(d, 0, 0, "E006", "the file is larger than %d bytes", RULES_MAX_FILE);
		return NULL;
	}
	root = ytree_load(text, len, d);
	if (root == NULL)
		return NULL;
	rs = xcalloc(1, sizeof *rs);
	L.rs = rs;
	digest_sha256_hex(text, len, rs->hash);
	load_document(&L, root);
	ytree_free(root);
	if (d->nerrors == errors_before) {
		rules_compile(rs);
		rules_analyse(rs, d);
		warn_unused(&L);
	}
	if (d->nerrors != errors_before) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}

struct ruleset *
rules_load_file(const char *path, struct diag *d, char **text_out, size_t *len_out)
{
	struct ruleset *rs;
	struct stat st;
	char *text, *cause;
	size_t len;

	/* a file over the limit is refused before it is read, at its first line */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > RULES_MAX_FILE) {
		diag_error(d, 1, 1, "E006", "the file is larger than %d bytes", RULES_MAX_FILE);
		return NULL;
	}
	if (read_file(path, RULES_MAX_FILE, &text, &len, &cause) < 0) {
		diag_error(d, 0, 0, "E000", "%s", cause);
		free(cause);
		return NULL;
	}
	d->text = text;
	d->len = len;
	rs = rules_load_buffer(text, len, d);
	*text_out = text;
	*len_out = len;
	return rs;
}

void
rules_free(struct ruleset *rs)
{
	if (rs == NULL)
		return;
	council_free(rs);
	free(rs->name);
	free(rs->version);
	free(rs->description);
	for (int l = 0; l < 4; l++) {
		free(rs->levels[l].name);
		free(rs->levels[l].front_door);
		free(rs->levels[l].label);
		free(rs->levels[l].short_label);
	}
	for (size_t i = 0; i < rs->nflags; i++) {
		free(rs->flags[i].id);
		free(rs->flags[i].description);
	}
	free(rs->flags);
	for (size_t i = 0; i < rs->nfacts; i++) {
		for (size_t j = 0; j < rs->facts[i].nvalues; j++)
			free(rs->facts[i].values[j]);
		free(rs->facts[i].values);
		free(rs->facts[i].path);
		free(rs->facts[i].description);
	}
	free(rs->facts);
	for (size_t i = 0; i < rs->nindicators; i++) {
		free(rs->indicators[i].id);
		free(rs->indicators[i].text);
		free(rs->indicators[i].guidance);
	}
	free(rs->indicators);
	for (size_t i = 0; i < rs->nconds; i++) {
		free(rs->conds[i].id);
		cond_free(rs->conds[i].cond);
	}
	free(rs->conds);
	for (size_t i = 0; i < rs->nlists; i++) {
		for (size_t j = 0; j < rs->lists[i].n; j++)
			free(rs->lists[i].items[j].str);
		free(rs->lists[i].items);
		free(rs->lists[i].id);
	}
	free(rs->lists);
	for (size_t i = 0; i < rs->nrules; i++) {
		free(rs->rules[i].id);
		free(rs->rules[i].reason);
		free(rs->rules[i].json_tail);
		free(rs->rules[i].json_tail2);
		cond_free(rs->rules[i].when);
		for (int u = 0; u <= URGENCY_RED; u++)
			cond_free(rs->rules[i].urgency_when[u]);
	}
	free(rs->rules);
	for (size_t i = 0; i < rs->nvalidity; i++) {
		free(rs->validity[i].id);
		free(rs->validity[i].message);
		cond_free(rs->validity[i].when);
	}
	free(rs->validity);
	for (size_t i = 0; i < rs->ntests; i++) {
		free(rs->tests[i].name);
		free(rs->tests[i].case_json);
		free(rs->tests[i].case_problem);
	}
	free(rs->tests);
	free(rs->masks);
	free(rs->ind_table);
	free(rs->paths);
	free(rs->strengths);
	free(rs);
}

/* ---- the helpers other modules of the layer read YAML with (loader.h) ---- */

void
load_suggest(struct loader *L, const char *got, const char *const *cands, size_t n)
{
	suggest(L, got, cands, n);
}

struct srcpos
load_pos(const struct ynode *n)
{
	return pos_of(n);
}

int
load_fields(struct loader *L, const struct ynode *map, const char *what,
    const struct field *fields, size_t nfields, const struct ynode **out)
{
	return map_fields(L, map, what, fields, nfields, out);
}

int
load_expect(struct loader *L, const struct ynode *n, enum ynode_type t, const char *what)
{
	return expect_type(L, n, t, what);
}

char *
load_text(struct loader *L, const struct ynode *n, const char *what, int allow_empty)
{
	return get_text(L, n, what, allow_empty);
}

char *
load_prose(struct loader *L, const struct ynode *n, const char *what, int allow_empty)
{
	return get_prose(L, n, what, allow_empty);
}

char *
load_id(struct loader *L, const struct ynode *n, const char *what)
{
	return get_id(L, n, what);
}

int
load_bool(struct loader *L, const struct ynode *n, const char *what, int *out)
{
	return get_bool(L, n, what, out);
}
