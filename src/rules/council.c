/* council.c: the council profile of a rule set: districts, agencies, intake form, calendar, outcomes. */
#include "rules/loader.h"

#include <stdlib.h>
#include <string.h>

/* Referral sources of the DfE Children in Need census. */
static const char *const cin_codes[] = {
	"1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A",
	"5B", "5C", "5D", "6", "7", "8", "9", "10",
};

/* Case paths the intake form's own fields write, whatever the council. */
static const char *const screen_paths[] = {
	"received", "child.name", "child.age", "child.dob", "child.district", "child.school",
	"referrer.agency", "referrer.name", "referrer.role", "referrer.contact",
	"how_received", "household", "reported.what", "reported.basis",
};

int
rules_council_lists(const char *path)
{
	return strcmp(path, "referrer.agency") == 0 || strcmp(path, "child.district") == 0;
}

int
rules_screen_supplies(const char *path)
{
	for (size_t i = 0; i < FD_ARRAY_LEN(screen_paths); i++)
		if (strcmp(screen_paths[i], path) == 0)
			return 1;
	return 0;
}

/* Whether a is b, or one lies inside the other, by whole segments of the path. */
static int
council_path_overlap(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), k = n < m ? n : m;

	return strncmp(a, b, k) == 0 && (n == m || (n < m ? b[k] : a[k]) == '.');
}

int
rules_screen_clash(const char *path)
{
	for (size_t i = 0; i < FD_ARRAY_LEN(screen_paths); i++)
		if (council_path_overlap(screen_paths[i], path))
			return 1;
	return 0;
}

int
rules_form_asks(const struct ruleset *rs, int fact)
{
	const char *path = rs->facts[fact].path;

	if (rules_screen_supplies(path) || rules_history_fact(path) != NULL)
		return 1;	/* the form's own fields, or worked out from the log */
	if (rs->council.form == NULL)
		return !rules_screen_clash(path);
	return rules_form_question(rs, fact) != NULL;
}

int
rules_find_fact(const struct ruleset *rs, const char *path)
{
	for (size_t i = 0; i < rs->nfacts; i++)
		if (strcmp(rs->facts[i].path, path) == 0)
			return (int)i;
	return -1;
}

const struct calendar *
rules_calendar(const struct ruleset *rs)
{
	return &rs->council.calendar;
}

const char *const *
rules_districts(const struct ruleset *rs, size_t *n)
{
	int fi;

	if (rs->council.ndistricts > 0) {
		*n = rs->council.ndistricts;
		return (const char *const *)rs->council.districts;
	}
	fi = rules_find_fact(rs, "child.district");
	*n = fi >= 0 ? rs->facts[fi].nvalues : 0;
	return *n > 0 ? (const char *const *)rs->facts[fi].values : NULL;
}

const struct form_field *
rules_form_question(const struct ruleset *rs, int fact)
{
	for (size_t i = 0; i < rs->council.nform; i++)
		if (rs->council.form[i].fact == fact)
			return &rs->council.form[i];
	return NULL;
}

const char *
rules_value_label(const struct ruleset *rs, int fact, size_t k)
{
	const struct form_field *q = rules_form_question(rs, fact);

	if (q != NULL && q->value_labels != NULL && q->value_labels[k] != NULL)
		return q->value_labels[k];
	return rs->facts[fact].values[k];
}

const struct agency_def *
rules_find_agency(const struct ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->council.nagencies; i++)
		if (strcmp(rs->council.agencies[i].id, id) == 0)
			return &rs->council.agencies[i];
	return NULL;
}

/* The fact at path takes its values from the council's list: it must not list its own. */
static void
council_fact_values(struct loader *L, const char *path, const char *from,
    const char *const *values, size_t n)
{
	struct fact_def *f;
	int i = rules_find_fact(L->rs, path);

	if (i < 0 || n == 0)
		return;
	f = &L->rs->facts[i];
	if (f->untyped)
		return;
	if (f->type != FACT_STRING || f->values != NULL) {
		diag_error(L->d, f->pos.line, f->pos.col, "E016", "fact '%s' takes its values "
		    "from council %s: declare it as type string without 'values'", path, from);
		return;
	}
	f->values = xcalloc(n, sizeof *f->values);
	for (size_t k = 0; k < n; k++)
		f->values[k] = xstrdup(values[k]);
	f->nvalues = n;
}

static void
council_districts(struct loader *L, struct council *c, const struct ynode *seq)
{
	if (seq->n == 0 || seq->n > RULES_MAX_STRING_VALUES) {
		load_error(L, seq, "E015", "'districts' must list from 1 to %d districts",
		    RULES_MAX_STRING_VALUES);
		return;
	}
	c->districts = xcalloc(seq->n, sizeof *c->districts);
	for (size_t i = 0; i < seq->n; i++) {
		char *s = load_prose(L, seq->items[i], "a district", 0);

		for (size_t j = 0; s != NULL && j < c->ndistricts; j++)
			if (strcmp(c->districts[j], s) == 0) {
				load_error(L, seq->items[i], "E013", "district '%s' is listed twice", s);
				free(s);
				s = NULL;
			}
		if (s != NULL)
			c->districts[c->ndistricts++] = s;
	}
	council_fact_values(L, "child.district", "districts", (const char *const *)c->districts,
	    c->ndistricts);
}

/* The agency's CIN census code; no did-you-mean: a near code is another source. */
static char *
council_cin_code(struct loader *L, const struct ynode *n)
{
	for (size_t i = 0; i < FD_ARRAY_LEN(cin_codes); i++)
		if (strcmp(n->str, cin_codes[i]) == 0)
			return xstrdup(n->str);
	load_error(L, n, "E015", "'%s' is not a referral source code of the Children in Need "
	    "census (1A to 1D, 2A, 2B, 3A to 3F, 4, 5A to 5D, 6, 7, 8, 9, 10)", n->str);
	return NULL;
}

static void
council_agency(struct loader *L, struct council *c, const struct ynode *m)
{
	static const struct field fields[] = {
		{ "id", Y_SCALAR, 1 }, { "label", Y_SCALAR, 1 }, { "cin_code", Y_SCALAR, 1 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	struct agency_def *a = &c->agencies[c->nagencies];

	if (load_expect(L, m, Y_MAP, "an agency") < 0 ||
	    load_fields(L, m, "an agency", fields, FD_ARRAY_LEN(fields), v) > 0)
		return;
	a->id = load_id(L, v[0], "agency");
	a->label = load_prose(L, v[1], "an agency's label", 0);
	a->cin_code = council_cin_code(L, v[2]);
	a->pos = load_pos(m);
	if (a->id == NULL || a->label == NULL || a->cin_code == NULL) {
		free(a->id);
		free(a->label);
		free(a->cin_code);
		memset(a, 0, sizeof *a);
		return;
	}
	for (size_t j = 0; j < c->nagencies; j++)
		if (strcmp(c->agencies[j].id, a->id) == 0) {
			load_error(L, v[0], "E013", "agency '%s' is listed twice", a->id);
			free(a->id);
			free(a->label);
			free(a->cin_code);
			memset(a, 0, sizeof *a);
			return;
		}
	c->nagencies++;
}

static void
council_agencies(struct loader *L, struct council *c, const struct ynode *seq)
{
	const char **ids;

	if (seq->n == 0 || seq->n > RULES_MAX_STRING_VALUES) {
		load_error(L, seq, "E015", "'agencies' must list from 1 to %d agencies",
		    RULES_MAX_STRING_VALUES);
		return;
	}
	c->agencies = xcalloc(seq->n, sizeof *c->agencies);
	for (size_t i = 0; i < seq->n; i++)
		council_agency(L, c, seq->items[i]);
	ids = xreallocarray(NULL, c->nagencies + 1, sizeof *ids);
	for (size_t i = 0; i < c->nagencies; i++)
		ids[i] = c->agencies[i].id;
	council_fact_values(L, "referrer.agency", "agencies", ids, c->nagencies);
	free(ids);
}

static void
council_calendar(struct loader *L, struct council *c, const struct ynode *m)
{
	static const struct field fields[] = {
		{ "time_zone", Y_SCALAR, 1 }, { "bank_holidays", Y_SEQ, 1 },
	};
	static const char *const days[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
		"Friday", "Saturday", "Sunday" };
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	struct calendar *cal = &c->calendar;

	if (load_fields(L, m, "the calendar", fields, FD_ARRAY_LEN(fields), v) > 0)
		return;
	cal->time_zone = load_text(L, v[0], "time_zone", 0);
	if (!calendar_zone_known(cal->time_zone)) {
		size_t nzones;
		const char *const *zones = calendar_zone_names(&nzones);

		load_error(L, v[0], "E015", calendar_valid_zone(cal->time_zone) ?
		    "time_zone '%s': the clocks known are those of " CALENDAR_ZONES :
		    "time_zone '%s' is not a time zone name such as Europe/London", cal->time_zone);
		load_suggest(L, cal->time_zone, zones, nzones);
	}
	cal->holidays = xcalloc(v[1]->n + 1, sizeof *cal->holidays);
	for (size_t i = 0; i < v[1]->n; i++) {
		const struct ynode *n = v[1]->items[i];
		int64_t day;

		if (load_expect(L, n, Y_SCALAR, "a bank holiday") < 0)
			continue;
		if (calendar_parse_day(n->str, &day) < 0) {
			load_error(L, n, "E011", "bank holiday '%s' is not a date YYYY-MM-DD", n->str);
			continue;
		}
		if (calendar_weekday(day) >= 5) {
			load_error(L, n, "E015", "bank holiday %s is a %s: list the weekday it is "
			    "moved to", n->str, days[calendar_weekday(day)]);
			continue;
		}
		if (cal->nholidays > 0 && day <= cal->holidays[cal->nholidays - 1]) {
			load_error(L, n, "E015", "bank holiday %s is %s: list the dates in order, "
			    "each once", n->str, day == cal->holidays[cal->nholidays - 1] ?
			    "listed twice" : "out of order");
			continue;
		}
		cal->holidays[cal->nholidays++] = day;
	}
}

/* The labels of an enumerated fact's values: every key one of its values. */
static void
council_value_labels(struct loader *L, struct form_field *ff, const struct fact_def *f,
    const struct ynode *m)
{
	if (f->type != FACT_STRING || f->values == NULL) {
		load_error(L, m, "E011", "'values' labels only a fact with listed values, and "
		    "'%s' has none", f->path);
		return;
	}
	ff->value_labels = xcalloc(f->nvalues, sizeof *ff->value_labels);
	for (size_t i = 0; i < m->n; i++) {
		const struct ynode *k = YMAP_KEY(m, i);
		size_t j;

		for (j = 0; j < f->nvalues; j++)
			if (strcmp(f->values[j], k->str) == 0)
				break;
		if (j == f->nvalues) {
			load_error(L, k, "E015", "'%s' is not a value of fact '%s'", k->str, f->path);
			load_suggest(L, k->str, (const char *const *)f->values, f->nvalues);
			continue;
		}
		ff->value_labels[j] = load_prose(L, YMAP_VAL(m, i), "a value's label", 0);
	}
}

static void
council_ask_why(struct loader *L, struct form_field *ff, const struct fact_def *f,
    const struct ynode *seq)
{
	if (f->type != FACT_STRING || f->values == NULL) {
		load_error(L, seq, "E011", "'ask_why' is only for a fact with listed values");
		return;
	}
	ff->ask_why = xcalloc(f->nvalues, 1);
	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *n = seq->items[i];
		size_t j;

		if (load_expect(L, n, Y_SCALAR, "a value") < 0)
			continue;
		for (j = 0; j < f->nvalues && strcmp(f->values[j], n->str) != 0; j++)
			;
		if (j == f->nvalues) {
			load_error(L, n, "E015", "'%s' is not a value of fact '%s'", n->str, f->path);
			load_suggest(L, n->str, (const char *const *)f->values, f->nvalues);
			continue;
		}
		ff->ask_why[j] = 1;
	}
}

/* A question's `kind`, `date` or `nhs_number`, for a string fact without listed values. */
static void
council_kind(struct loader *L, struct form_field *ff, const struct fact_def *f,
    const struct ynode *n)
{
	static const char *const kinds[] = { "date", "nhs_number" };
	int nhs = strcmp(n->str, "nhs_number") == 0;

	if (strcmp(n->str, "date") != 0 && !nhs) {
		load_error(L, n, "E015", "kind '%s' is not known: the kinds are 'date' and "
		    "'nhs_number'; other fields take their kind from the fact's type", n->str);
		load_suggest(L, n->str, kinds, FD_ARRAY_LEN(kinds));
		return;
	}
	if (f->type != FACT_STRING || f->values != NULL) {
		load_error(L, n, "E011", "kind '%s' is only for a fact of type string without "
		    "'values', and '%s' is not one: declare it {type: string}", n->str, f->path);
		return;
	}
	ff->date = !nhs;
	ff->nhs_number = nhs;
}

/* The fact a form question asks, or -1 reported. */
static int
council_form_fact(struct loader *L, struct council *c, const struct ynode *n)
{
	const char **paths;
	int i;

	if (load_expect(L, n, Y_SCALAR, "fact") < 0)
		return -1;
	i = rules_find_fact(L->rs, n->str);
	if (i < 0) {
		load_error(L, n, "E016", "the form asks fact '%s', which is not declared in "
		    "'facts'", n->str);
		paths = xreallocarray(NULL, L->rs->nfacts + 1, sizeof *paths);
		for (size_t k = 0; k < L->rs->nfacts; k++)
			paths[k] = L->rs->facts[k].path;
		load_suggest(L, n->str, paths, L->rs->nfacts);
		free(paths);
		return -1;
	}
	if (rules_screen_supplies(n->str)) {
		load_error(L, n, "E016", "fact '%s' is filled by the intake form's own fields; "
		    "leave it out of 'form'", n->str);
		return -1;
	}
	if (rules_history_fact(n->str) != NULL) {
		load_error(L, n, "E016", "fact '%s' is worked out by frontdoor from the log when "
		    "a decision is recorded; leave it out of 'form'", n->str);
		return -1;
	}
	if (rules_screen_clash(n->str)) {
		load_error(L, n, "E016", "fact '%s' overlaps a field the intake form writes "
		    "itself (see the case schema): give it a path of its own", n->str);
		return -1;
	}
	for (size_t k = 0; k < c->nform; k++)
		if (c->form[k].fact == i) {
			load_error(L, n, "E013", "the form asks fact '%s' twice", n->str);
			return -1;
		}
	return i;
}

static void
council_question(struct loader *L, struct council *c, const struct ynode *m)
{
	static const struct field fields[] = {
		{ "fact", Y_SCALAR, 1 }, { "label", Y_SCALAR, 1 }, { "help", Y_SCALAR, 0 },
		{ "required", Y_SCALAR, 0 }, { "values", Y_MAP, 0 }, { "ask_why", Y_SEQ, 0 },
		{ "kind", Y_SCALAR, 0 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	struct form_field *ff = &c->form[c->nform];
	const struct fact_def *f;
	int fi;

	if (load_expect(L, m, Y_MAP, "a form question") < 0 ||
	    load_fields(L, m, "a form question", fields, FD_ARRAY_LEN(fields), v) > 0)
		return;
	if ((fi = council_form_fact(L, c, v[0])) < 0)
		return;
	f = &L->rs->facts[fi];
	ff->fact = fi;
	ff->pos = load_pos(m);
	ff->required = f->required;
	ff->label = load_prose(L, v[1], "a question's label", 0);
	if (v[2] != NULL)
		ff->help = load_prose(L, v[2], "a question's help", 1);
	if (v[3] != NULL)
		load_bool(L, v[3], "required", &ff->required);
	if (v[4] != NULL)
		council_value_labels(L, ff, f, v[4]);
	if (v[5] != NULL)
		council_ask_why(L, ff, f, v[5]);
	if (v[6] != NULL)
		council_kind(L, ff, f, v[6]);
	c->nform++;
}

void
council_load(struct loader *L, const struct ynode *map)
{
	static const struct field fields[] = {
		{ "name", Y_SCALAR, 1 }, { "districts", Y_SEQ, 1 }, { "agencies", Y_SEQ, 1 },
		{ "form", Y_SEQ, 0 }, { "calendar", Y_MAP, 1 }, { "outcomes", Y_SEQ, 0 },
		{ "step_up_reasons", Y_SEQ, 0 }, { "step_down_reasons", Y_SEQ, 0 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	struct council *c = &L->rs->council;

	c->present = 1;
	c->pos = load_pos(map);
	load_fields(L, map, "the council", fields, FD_ARRAY_LEN(fields), v);
	if (v[0] != NULL)
		c->name = load_prose(L, v[0], "the council's name", 0);
	if (v[1] != NULL)
		council_districts(L, c, v[1]);
	if (v[2] != NULL)
		council_agencies(L, c, v[2]);
	if (v[3] != NULL) {
		c->form = xcalloc(v[3]->n + 1, sizeof *c->form);
		for (size_t i = 0; i < v[3]->n; i++)
			council_question(L, c, v[3]->items[i]);
	}
	if (v[4] != NULL)
		council_calendar(L, c, v[4]);
	for (size_t i = 5; i < 8; i++)
		if (v[i] != NULL)
			outcomes_load(L, c, fields[i].key, v[i]);
}

void
council_free(struct ruleset *rs)
{
	struct council *c = &rs->council;

	for (size_t i = 0; i < c->ndistricts; i++)
		free(c->districts[i]);
	free(c->districts);
	for (size_t i = 0; i < c->nagencies; i++) {
		free(c->agencies[i].id);
		free(c->agencies[i].label);
		free(c->agencies[i].cin_code);
	}
	free(c->agencies);
	for (size_t i = 0; i < c->nform; i++) {
		free(c->form[i].label);
		free(c->form[i].help);
		free(c->form[i].ask_why);
		for (size_t k = 0; c->form[i].value_labels != NULL &&
		    k < rs->facts[c->form[i].fact].nvalues; k++)
			free(c->form[i].value_labels[k]);
		free(c->form[i].value_labels);
	}
	free(c->form);
	free(c->name);
	calendar_free(&c->calendar);
	outcomes_free(c);
}
