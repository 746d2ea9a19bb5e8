/* case.c: reads one case's JSON into indicator bits and typed facts for the engine. */
#include "rules/engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/names.h"

void
case_init(struct case_facts *cf, const struct ruleset *rs)
{
	memset(cf, 0, sizeof *cf);
	cf->rs = rs;
	cf->bits = xcalloc(rs->nwords, sizeof *cf->bits);
	cf->facts = xcalloc(rs->nfacts ? rs->nfacts : 1, sizeof *cf->facts);
	cf->counts = xcalloc(rs->nmasks ? rs->nmasks : 1, sizeof *cf->counts);
	json_doc_init(&cf->doc);
}

void
case_free(struct case_facts *cf)
{
	free(cf->bits);
	free(cf->facts);
	free(cf->counts);
	free(cf->scratch);
	json_doc_free(&cf->doc);
	memset(cf, 0, sizeof *cf);
}

/* A string token's text, unescaped into scratch when it has escapes. */
static const char *
token_text(struct case_facts *cf, int i, size_t *len)
{
	char *out;

	if (!json_has_escape(&cf->doc, i)) {
		*len = JSON_TOK_LEN(&cf->doc, i);
		return JSON_TOK_PTR(&cf->doc, i);
	}
	out = cf->scratch + cf->scratch_used;
	*len = json_unescape(&cf->doc, i, out);
	cf->scratch_used += *len;
	return out;
}

static int
read_indicators(struct case_facts *cf, int arr, char **cause)
{
	const struct json_doc *d = &cf->doc;
	int i = arr + 1;

	if (d->tok[arr].type != JSMN_ARRAY) {
		*cause = xstrdup("'indicators' must be a list of indicator ids");
		return -1;
	}
	for (int k = 0; k < d->tok[arr].size; k++, i = json_skip(d, i)) {
		const char *id;
		size_t len;
		int ind;

		if (d->tok[i].type != JSMN_STRING) {
			*cause = xasprintf("indicator %d is not a string", k + 1);
			return -1;
		}
		id = token_text(cf, i, &len);
		ind = rules_find_indicator(cf->rs, id, len);
		if (ind < 0) {
			/* the id is not quoted back: input is case data, whatever it looks like */
			*cause = xasprintf("indicator %d of the list is not one the rule set defines",
			    k + 1);
			return -1;
		}
		cf->bits[ind / 64] |= UINT64_C(1) << (ind % 64);
	}
	return 0;
}

static int
read_string_fact(struct case_facts *cf, const struct fact_def *f, struct fact_value *v,
    int i, char **cause)
{
	if (cf->doc.tok[i].type != JSMN_STRING) {
		*cause = xasprintf("fact '%s' must be a string", f->path);
		return -1;
	}
	v->str = token_text(cf, i, &v->len);
	v->enum_index = -1;
	if (f->nvalues == 0)
		return 0;
	for (size_t k = 0; k < f->nvalues; k++)
		if (strlen(f->values[k]) == v->len && bytes_eq(f->values[k], v->str, v->len)) {
			v->enum_index = (int)k;
			return 0;
		}
	/* the value is case data, never quoted back; the allowed ones are the rule set's */
	struct buf b;

	buf_init(&b);
	for (size_t k = 0; k < f->nvalues; k++)
		buf_printf(&b, "%s%s", k ? ", " : "", f->values[k]);
	*cause = xasprintf("fact '%s' is not one of the values the rule set allows (%s)",
	    f->path, b.data);
	buf_free(&b);
	return -1;
}

static int
read_number_fact(struct case_facts *cf, const struct fact_def *f, struct fact_value *v,
    int i, char **cause)
{
	const struct json_doc *d = &cf->doc;

	if (d->tok[i].type != JSMN_PRIMITIVE ||
	    parse_number(JSON_TOK_PTR(d, i), JSON_TOK_LEN(d, i), &v->num) < 0) {
		*cause = xasprintf("fact '%s' must be a number", f->path);
		return -1;
	}
	if (f->type == FACT_INTEGER && v->num != floor(v->num)) {
		*cause = xasprintf("fact '%s' must be a whole number", f->path);
		return -1;
	}
	if ((f->has_min && v->num < f->min) || (f->has_max && v->num > f->max)) {
		*cause = xasprintf("fact '%s' is outside the range the rule set allows", f->path);
		return -1;
	}
	return 0;
}

/* Reads the value at token i into fact fi; JSON null counts as absent. */
static int
read_fact(struct case_facts *cf, int fi, int i, char **cause)
{
	const struct fact_def *f = &cf->rs->facts[fi];
	const struct json_doc *d = &cf->doc;
	struct fact_value *v = &cf->facts[fi];

	/* validated primitives starting with 'n' are null */
	if (d->tok[i].type == JSMN_PRIMITIVE && JSON_TOK_PTR(d, i)[0] == 'n')
		return 0;
	switch (f->type) {
	case FACT_STRING:
		if (read_string_fact(cf, f, v, i, cause) < 0)
			return -1;
		break;
	case FACT_INTEGER:
	case FACT_NUMBER:
		if (read_number_fact(cf, f, v, i, cause) < 0)
			return -1;
		break;
	case FACT_BOOLEAN:
		if (d->tok[i].type != JSMN_PRIMITIVE ||
		    !(JSON_TOK_PTR(d, i)[0] == 't' || JSON_TOK_PTR(d, i)[0] == 'f')) {
			*cause = xasprintf("fact '%s' must be true or false", f->path);
			return -1;
		}
		v->boolean = JSON_TOK_PTR(d, i)[0] == 't';
		break;
	}
	v->present = 1;
	return 0;
}

/*
 * A case id goes to the log, the screens and every export, and names one
 * child's history: only the safe set of case_id_valid. The id is not quoted
 * back, as it is exactly what is wrong.
 */
static int
check_case_id(struct case_facts *cf, char **cause)
{
	/* the log refuses a longer one: reject the line, not the whole batch with it */
	if (cf->case_id_len > CASE_ID_MAX) {
		*cause = xasprintf("'case_id' must be at most %d bytes", CASE_ID_MAX);
		return -1;
	}
	/*
	 * older versions logged other ids: replaying them must not call the log
	 * damaged; every new one is from the safe set, so that look-alikes
	 * (spaces, format characters, other normal forms) never split a history
	 */
	if (!cf->logged && !case_id_valid(cf->case_id, cf->case_id_len)) {
		*cause = xstrdup("'case_id' must be " CASE_ID_RULE);
		return -1;
	}
	return 0;
}

/* case_id and indicators, the two built-in fields of a case's top level. */
static int
read_builtin(struct case_facts *cf, int key, int val, int *have_indicators, char **cause)
{
	const struct json_doc *d = &cf->doc;

	if (json_eq(d, key, "case_id", 7)) {
		if (d->tok[val].type != JSMN_STRING || JSON_TOK_LEN(d, val) == 0) {
			*cause = xstrdup("'case_id' must be a non-empty string");
			return -1;
		}
		cf->case_id = token_text(cf, val, &cf->case_id_len);
		return check_case_id(cf, cause) < 0 ? -1 : 1;
	}
	if (json_eq(d, key, "indicators", 10)) {
		*have_indicators = 1;
		return read_indicators(cf, val, cause) < 0 ? -1 : 1;
	}
	return 0;
}

/*
 * Reads the facts in the object at token obj, which stands at path node
 * `node` of the rule set's facts; at the top level also case_id and
 * indicators. A key holding a dot never names a segment: {"child.age":3}
 * is not child.age.
 */
static int
walk_object(struct case_facts *cf, int obj, int node, int *have_indicators, char **cause)
{
	const struct json_doc *d = &cf->doc;
	const struct path_node *paths = cf->rs->paths;
	int i = obj + 1;

	for (int k = 0; k < d->tok[obj].size; k++) {
		int val = i + 1, next = json_skip(d, val), seg, rc;
		const char *key;
		size_t klen;

		if (node == 0 && (rc = read_builtin(cf, i, val, have_indicators, cause)) != 0) {
			if (rc < 0)
				return -1;
			i = next;
			continue;
		}
		key = token_text(cf, i, &klen);
		seg = rules_find_path(cf->rs, node, key, klen);
		if (seg >= 0) {
			if (paths[seg].fact >= 0 && read_fact(cf, paths[seg].fact, val, cause) < 0)
				return -1;
			if (paths[seg].child >= 0 && d->tok[val].type == JSMN_OBJECT &&
			    walk_object(cf, val, seg, have_indicators, cause) < 0)
				return -1;
		}
		i = next;
	}
	return 0;
}

/* One pass over the case: case_id, indicators, and the facts below. */
static int
read_top_level(struct case_facts *cf, char **cause)
{
	int have_indicators = 0;

	if (walk_object(cf, 0, 0, &have_indicators, cause) < 0)
		return -1;
	if (cf->case_id == NULL) {
		*cause = xstrdup("missing 'case_id'");
		return -1;
	}
	if (!have_indicators) {
		*cause = xstrdup("missing 'indicators' (use [] for none)");
		return -1;
	}
	return 0;
}

int
case_parse(struct case_facts *cf, const char *text, size_t len, char **cause)
{
	const struct ruleset *rs = cf->rs;

	memset(cf->bits, 0, rs->nwords * sizeof *cf->bits);
	memset(cf->facts, 0, (rs->nfacts ? rs->nfacts : 1) * sizeof *cf->facts);
	cf->case_id = NULL;
	cf->case_id_len = 0;
	if (cf->scratch_cap < len + 1) {
		free(cf->scratch);
		cf->scratch_cap = len + 1 > 4096 ? len + 1 : 4096;
		cf->scratch = xmalloc(cf->scratch_cap);
	}
	cf->scratch_used = 0;
	if (json_parse(&cf->doc, text, len, cause) < 0)
		return -1;
	if (cf->doc.tok[0].type != JSMN_OBJECT) {
		*cause = xstrdup("a case must be a JSON object");
		return -1;
	}
	if (read_top_level(cf, cause) < 0)
		return -1;
	for (size_t k = 0; k < rs->nfacts; k++)
		if (rs->facts[k].required && !cf->facts[k].present) {
			*cause = xasprintf("missing required fact '%s'", rs->facts[k].path);
			return -1;
		}
	for (size_t m = 0; m < rs->nmasks; m++) {
		const uint64_t *mask = rs->masks + m * rs->nwords;
		uint32_t c = 0;

		for (size_t w = 0; w < rs->nwords; w++)
			c += (uint32_t)__builtin_popcountll(cf->bits[w] & mask[w]);
		cf->counts[m] = c;
	}
	for (size_t v = 0; v < rs->nvalidity; v++)
		if (engine_eval_cond(rs, cf, rs->validity[v].when)) {
			*cause = xasprintf("inconsistent case (validity rule '%s'): %s",
			    rs->validity[v].id, rs->validity[v].message);
			return -1;
		}
	return 0;
}

int
case_has_indicator(const struct case_facts *cf, int ind)
{
	return (cf->bits[ind / 64] >> (ind % 64)) & 1;
}

void
case_toggle_indicator(struct case_facts *cf, int ind)
{
	const struct ruleset *rs = cf->rs;
	uint64_t bit = UINT64_C(1) << (ind % 64);
	int add = !case_has_indicator(cf, ind);

	cf->bits[ind / 64] ^= bit;
	/* each mask holding the indicator counts one more, or one fewer */
	for (size_t m = 0; m < rs->nmasks; m++)
		if (rs->masks[m * rs->nwords + (size_t)ind / 64] & bit)
			cf->counts[m] = add ? cf->counts[m] + 1 : cf->counts[m] - 1;
}

int
case_set_choice(struct case_facts *cf, int fact, int value)
{
	const struct fact_def *f = &cf->rs->facts[fact];
	struct fact_value *v = &cf->facts[fact];
	int was = v->enum_index;

	v->enum_index = value;
	v->str = f->values[value];
	v->len = strlen(f->values[value]);
	return was;
}
