/* intake.c: the new-contact form: its fields and checks, and the case JSON the engine sees. */
#include "tui/state/forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/nhs.h"

static const char *const how_values[] = {
	"phone", "email", "online", "letter", "in_person", "police_notification",
};
static const char *const how_labels[] = {
	"Phone", "Email", "Online form", "Letter", "In person", "Police notification (PPN)",
};

static const char *const basis_values[] = { "reported", "witnessed" };
static const char *const basis_labels[] = {
	"Reported (the referrer was told)", "Witnessed by the referrer",
};

static const char *const yes_no_values[] = { "true", "false" };
static const char *const yes_no_labels[] = { "Yes", "No" };

/* The district value that leaves child.district out. */
#define DISTRICT_UNKNOWN "unknown"

/* How a question's field is asked and written into the case. */
enum intake_kind { IK_CHOICE, IK_YES_NO, IK_INTEGER, IK_NUMBER, IK_DATE, IK_NHS_NUMBER, IK_TEXT };

/* A question of the profile: the fact it asks and where its fields are. */
struct intake_question {
	char *path;
	enum intake_kind kind;
	int has_min, has_max;
	double min, max;
	size_t field;			/* its field */
	int reason;			/* the field asking why, or -1 */
	unsigned char *ask_why;		/* per choice: the reason is asked */
};

/* What the form's fields point at, copied from the rule set: freed with the form. */
struct intake_owned {
	struct intake_question *q;
	size_t nq;
	unsigned char *anonymous;	/* per agency choice: no referrer's name needed */
	void **keep;			/* strings and tables */
	size_t nkeep, capkeep;
};

static void *
owned_keep(struct intake_owned *o, void *p)
{
	if (o->nkeep == o->capkeep) {
		o->capkeep = o->capkeep ? 2 * o->capkeep : 32;
		o->keep = xreallocarray(o->keep, o->capkeep, sizeof *o->keep);
	}
	o->keep[o->nkeep++] = p;
	return p;
}

static char *
owned_strdup(struct intake_owned *o, const char *s)
{
	return owned_keep(o, xstrdup(s));
}

/* A table of n strings copied from src (NULL entries from fallback). */
static const char *const *
owned_table(struct intake_owned *o, const char *const *src, const char *const *fallback,
    size_t n, size_t extra)
{
	const char **t = owned_keep(o, xcalloc(n + extra + 1, sizeof *t));

	for (size_t i = 0; i < n; i++)
		t[i] = owned_strdup(o, src != NULL && src[i] != NULL ? src[i] : fallback[i]);
	return t;
}

static void
owned_free(void *p)
{
	struct intake_owned *o = p;

	if (o == NULL)
		return;
	for (size_t i = 0; i < o->nkeep; i++)
		free(o->keep[i]);
	free(o->keep);
	free(o->q);
	free(o);
}

/* The question whose field (or reason field) is i, or NULL. */
static const struct intake_question *
intake_question(const struct tui_form *f, size_t i)
{
	const struct intake_owned *o = f->owned;

	for (size_t k = 0; o != NULL && k < o->nq; k++)
		if (o->q[k].field == i)
			return &o->q[k];
	return NULL;
}

static int
all_of(const char *s, const char *allowed)
{
	for (; *s; s++)
		if (strchr(allowed, *s) == NULL)
			return 0;
	return 1;
}

static const char *
valid_case_id(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	const char *s = f->f[i].edit.text;

	(void)msg;
	(void)msgsz;
	if (*s == '\0')
		return NULL;
	if (strlen(s) > 40 || !all_of(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_."))
		return "letters, digits, '-', '_' or '.' (blank: a new child)";
	return NULL;
}

static const char *
valid_contact(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	const char *s = f->f[i].edit.text, *at;
	int digits = 0;

	(void)msg;
	(void)msgsz;
	if (*s == '\0')
		return NULL;
	at = strchr(s, '@');
	if (at != NULL)
		return at > s && strchr(at, '.') != NULL && strchr(s, ' ') == NULL ? NULL :
		    "an email address like name@example.org";
	for (const char *p = s; *p; p++)
		digits += *p >= '0' && *p <= '9';
	if (!all_of(s, "0123456789 +()-") || digits < 6)
		return "a phone number or an email address";
	return NULL;
}

int
tui_parse_when(const char *s, int64_t *out)
{
	char text[32];
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == ' ')
		n--;
	while (*s == ' ' && n > 0)
		s++, n--;
	if (n >= sizeof text)
		return -1;
	memcpy(text, s, n);
	text[n] = '\0';
	return parse_entered(text, out, NULL);
}

int
tui_parse_local(const struct calendar *c, const char *s, int64_t *out)
{
	size_t n = strlen(s);
	int64_t wall;

	if (tui_parse_when(s, &wall) < 0)
		return -1;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n > 0 && s[n - 1] == 'Z') {
		*out = wall;	/* said to be UTC */
		return 0;
	}
	return calendar_from_local(c, wall, out) < 0 ? -2 : 0;
}

void
tui_intake_set_calendar(struct tui_form *f, const struct calendar *c)
{
	f->cal = c;
	f->f[IF_RECEIVED].label = strcmp(tui_zone_label(c), "UK time") == 0 ?
	    "Received (UK time)" : "Received (UTC)";
}

static const char *
valid_received(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	int64_t t;
	int rc;

	if (strcmp(f->f[i].edit.text, "now") == 0)
		return NULL;
	if ((rc = tui_parse_local(f->cal, f->f[i].edit.text, &t)) < 0) {
		snprintf(msg, msgsz, rc == -2 ? "no such time in %s: the clocks go forward an hour "
		    "that night" : "DD/MM/YYYY HH:MM or YYYY-MM-DD HH:MM in %s, or 'now'",
		    tui_zone_label(f->cal));
		return msg;
	}
	if (t < INT64_C(946684800))
		return "a date after 2000";
	if (f->now > 0 && t > f->now) {
		char when[32];

		calendar_format_local(f->cal, f->now, when);
		snprintf(msg, msgsz, "in the future: it is now %s %s", when, tui_zone_label(f->cal));
		return msg;
	}
	return NULL;
}

int
tui_intake_normalise(struct tui_form *f, int64_t now)
{
	struct tui_edit *e = &f->f[IF_RECEIVED].edit;
	char when[32];

	if (strcmp(e->text, "now") != 0)
		return 0;
	calendar_format_local(f->cal, now, when);
	tui_edit_set(e, when);
	f->changed = f->touched = 1;
	return 1;
}

int
tui_age_from(const char *s, int64_t at, const char **why)
{
	int64_t dob;
	char *end;
	long age;
	int plain;

	*why = NULL;
	while (*s == ' ')
		s++;
	if (*s == '\0')
		return -1;
	if (strchr(s, '-') == NULL && strchr(s, '/') == NULL) {
		age = strtol(s, &end, 10);
		while (*end == ' ')
			end++;
		if (end == s || *end != '\0' || age < 0 || age > 25) {
			*why = "an age in years (0 to 25) or a date of birth DD/MM/YYYY";
			return -1;
		}
		return (int)age;
	}
	if (parse_entered(s, &dob, &plain) < 0 || !plain) {
		*why = "a date of birth DD/MM/YYYY or YYYY-MM-DD, or an age in years";
		return -1;
	}
	if (at <= 0) {
		*why = "give the date received first";
		return -1;
	}
	if (dob > at) {
		*why = "the date of birth is after the contact was received";
		return -1;
	}
	{
		/* whole years: compare the calendar dates, not a year of seconds */
		char a[32], b[32];
		int ya, ma, da, yb, mb, db;

		format_utc(at, a);
		format_utc(dob, b);
		if (sscanf(a, "%4d-%2d-%2d", &ya, &ma, &da) != 3 ||
		    sscanf(b, "%4d-%2d-%2d", &yb, &mb, &db) != 3)
			return -1;
		age = ya - yb - (ma < mb || (ma == mb && da < db));
	}
	if (age > 25) {
		*why = "over 25 at the time of the contact";
		return -1;
	}
	return (int)age;
}

/* The receipt time the form gives, or 0. */
static int64_t
form_received(const struct tui_form *f)
{
	int64_t t;

	if (tui_parse_local(f->cal, f->f[IF_RECEIVED].edit.text, &t) < 0)
		return 0;
	return t;
}

static const char *
valid_dob_age(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	const char *why;

	(void)msg;
	(void)msgsz;
	if (f->f[i].edit.text[0] == '\0')
		return NULL;	/* unknown: the rules handle a missing age */
	tui_age_from(f->f[i].edit.text, form_received(f), &why);
	return why;
}

static const char *
valid_reported(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	return tui_valid_min_chars(f, i, msg, msgsz, 10);
}

static const char *
valid_reason(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	return tui_valid_min_chars(f, i, msg, msgsz, 5);
}

/* The text of field i without the spaces around it, into out; 0 if it does not fit. */
static int
trimmed(const struct tui_form *f, size_t i, char *out, size_t outsz)
{
	const char *s = f->f[i].edit.text;
	size_t n;

	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n >= outsz)
		return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

/* A number as JSON writes it: -?digits(.digits)?; the value in *v. */
static int
intake_number(const char *s, int whole, double *v)
{
	const char *p = s + (*s == '-');
	char *end;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.' && !whole) {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != '\0' || p - s > 20)
		return -1;
	*v = strtod(s, &end);
	return 0;
}

/* A number question: a whole number or a number, within the fact's range. */
static const char *
valid_number(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	const struct intake_question *q = intake_question(f, i);
	int whole = q->kind == IK_INTEGER;
	char text[32];
	double v;

	if (f->f[i].edit.text[0] == '\0')
		return NULL;
	if (!trimmed(f, i, text, sizeof text) || intake_number(text, whole, &v) < 0 ||
	    (q->has_min && v < q->min) || (q->has_max && v > q->max)) {
		if (q->has_min && q->has_max)
			snprintf(msg, msgsz, "a %s from %.15g to %.15g", whole ? "whole number" :
			    "number", q->min, q->max);
		else if (q->has_min || q->has_max)
			snprintf(msg, msgsz, "a %s %s %.15g", whole ? "whole number" : "number",
			    q->has_min ? "of at least" : "of at most", q->has_min ? q->min : q->max);
		else
			snprintf(msg, msgsz, "a %s such as %s", whole ? "whole number" : "number",
			    whole ? "3" : "2.5");
		return msg;
	}
	return NULL;
}

static const char *
valid_date(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	char text[32];
	int64_t t;
	int plain;

	(void)msg;
	(void)msgsz;
	if (f->f[i].edit.text[0] == '\0')
		return NULL;
	if (!trimmed(f, i, text, sizeof text) || parse_entered(text, &t, &plain) < 0 || !plain)
		return "a date DD/MM/YYYY or YYYY-MM-DD";
	return NULL;
}

/* An NHS number question: ten digits, grouped 3 3 4 or not, whose check digit matches. */
static const char *
valid_nhs_number(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	char text[32], digits[11];

	(void)msg;
	(void)msgsz;
	if (f->f[i].edit.text[0] == '\0')
		return NULL;
	if (!trimmed(f, i, text, sizeof text))
		return "an NHS number has 10 digits, as 943 476 5919";
	switch (nhs_number_parse(text, digits)) {
	case NHS_OK:
		return NULL;
	case NHS_BAD_CHECK:
		return "not an NHS number: its last digit does not check the others; "
		    "copy it again from the letter or record";
	default:
		return "an NHS number has 10 digits, as 943 476 5919";
	}
}

static void
intake_relayout(struct tui_form *f)
{
	const struct intake_owned *o = f->owned;
	const struct tui_field *agency = &f->f[IF_REF_AGENCY];

	for (size_t k = 0; o != NULL && k < o->nq; k++) {
		const struct intake_question *q = &o->q[k];
		int c = f->f[q->field].choice;

		if (q->reason >= 0)
			f->f[q->reason].hidden = c < 0 || !q->ask_why[c];
	}
	/* a referrer may stay anonymous; otherwise the name is required, and marked */
	f->f[IF_REF_NAME].required = !(agency->kind == FK_CHOICE && agency->choice >= 0 &&
	    o != NULL && o->anonymous != NULL && o->anonymous[agency->choice]);
}

/* Agency: the council's agencies (an anonymous one coded 9), the fact's values, or text. */
static void
intake_agency(struct tui_field *fl, struct intake_owned *o, const struct ruleset *rs)
{
	const struct council *c = rs != NULL ? &rs->council : NULL;
	int fi = rs != NULL ? rules_find_fact(rs, "referrer.agency") : -1;

	if (c != NULL && c->nagencies > 0) {
		const char **ids = owned_keep(o, xcalloc(c->nagencies, sizeof *ids));
		const char **labels = owned_keep(o, xcalloc(c->nagencies, sizeof *labels));

		o->anonymous = owned_keep(o, xcalloc(c->nagencies, 1));
		for (size_t i = 0; i < c->nagencies; i++) {
			ids[i] = owned_strdup(o, c->agencies[i].id);
			labels[i] = owned_strdup(o, c->agencies[i].label);
			o->anonymous[i] = strcmp(c->agencies[i].cin_code, "9") == 0;
		}
		tui_field_select(fl, "referrer_agency", "Agency", ids, labels, c->nagencies);
	} else if (fi >= 0 && rs->facts[fi].nvalues > 0) {
		const char *const *v = owned_table(o, (const char *const *)rs->facts[fi].values,
		    NULL, rs->facts[fi].nvalues, 0);

		tui_field_select(fl, "referrer_agency", "Agency", v, v, rs->facts[fi].nvalues);
	} else
		tui_field_text(fl, "referrer_agency", "Agency", 0, 80, NULL);
}

/* District: the council's districts and "unknown or out of area", or text. */
static void
intake_district(struct tui_field *fl, struct intake_owned *o, const struct ruleset *rs)
{
	size_t n = 0;
	const char *const *d = rs != NULL ? rules_districts(rs, &n) : NULL;
	const char **values, **labels;

	if (n == 0) {
		tui_field_text(fl, "district", "District", 0, 80, NULL);
		return;
	}
	values = (const char **)owned_table(o, d, NULL, n, 1);
	labels = (const char **)owned_table(o, d, NULL, n, 1);
	values[n] = DISTRICT_UNKNOWN;
	labels[n] = "Unknown or out of area";
	tui_field_select(fl, "district", "District", values, labels, n + 1);
}

/* "Why (consent)": the reason asked with a question's label. */
static char *
reason_label(const char *label)
{
	char *s = xmalloc(strlen(label) + 7);

	sprintf(s, "Why (%s)", label);
	if (s[5] >= 'A' && s[5] <= 'Z' && !(s[6] >= 'A' && s[6] <= 'Z'))
		s[5] = (char)(s[5] - 'A' + 'a');
	return s;
}

/* The field asking fact fi as question q (label, help, required from the profile or the fact). */
static void
intake_ask(struct tui_form *f, struct intake_owned *o, const struct ruleset *rs, int fi,
    const struct form_field *ff)
{
	const struct fact_def *fd = &rs->facts[fi];
	struct intake_question *q = &o->q[o->nq++];
	struct tui_field *fl = &f->f[f->n];
	const char *label = ff != NULL ? ff->label : fd->path;
	int required = ff != NULL ? ff->required : fd->required;
	char *name = owned_strdup(o, fd->path);

	memset(q, 0, sizeof *q);
	q->path = name;
	q->field = f->n++;
	q->reason = -1;
	q->has_min = fd->has_min;
	q->has_max = fd->has_max;
	q->min = fd->min;
	q->max = fd->max;
	label = owned_strdup(o, label);
	if (fd->type == FACT_STRING && fd->nvalues > 0) {
		q->kind = IK_CHOICE;
		tui_field_select(fl, name, label, owned_table(o, (const char *const *)fd->values,
		    NULL, fd->nvalues, 0), owned_table(o, ff != NULL ? (const char *const *)
		    ff->value_labels : NULL, (const char *const *)fd->values, fd->nvalues, 0),
		    fd->nvalues);
		q->ask_why = owned_keep(o, xcalloc(fd->nvalues, 1));
		if (ff != NULL && ff->ask_why != NULL)
			memcpy(q->ask_why, ff->ask_why, fd->nvalues);
	} else if (fd->type == FACT_BOOLEAN) {
		q->kind = IK_YES_NO;
		tui_field_select(fl, name, label, yes_no_values, yes_no_labels, 2);
	} else if (fd->type == FACT_INTEGER || fd->type == FACT_NUMBER) {
		q->kind = fd->type == FACT_INTEGER ? IK_INTEGER : IK_NUMBER;
		tui_field_text(fl, name, label, 0, 20, valid_number);
	} else if (ff != NULL && ff->date) {
		q->kind = IK_DATE;
		tui_field_text(fl, name, label, 0, 10, valid_date);
	} else if (ff != NULL && ff->nhs_number) {
		q->kind = IK_NHS_NUMBER;
		tui_field_text(fl, name, label, 0, 12, valid_nhs_number);
	} else {
		q->kind = IK_TEXT;
		tui_field_text(fl, name, label, 0, 200, NULL);
	}
	/* a choice that is not required can go back to "not known" */
	fl->required = required;
	fl->unknown_ok = fl->kind == FK_CHOICE && !required;
	fl->help = ff != NULL ? ff->help : fd->description;
	if (fl->help != NULL)
		fl->help = owned_strdup(o, fl->help);
	if (q->ask_why != NULL && memchr(q->ask_why, 1, fd->nvalues) != NULL) {
		char *why = owned_keep(o, xmalloc(strlen(name) + 8));

		sprintf(why, "%s_reason", name);
		q->reason = (int)f->n;
		tui_field_text(&f->f[f->n++], why, owned_keep(o, reason_label(label)), 1, 300,
		    valid_reason);
	}
}

/* The profile's questions in order; without a list, every declared fact the form can ask. */
static void
intake_questions(struct tui_form *f, struct intake_owned *o, const struct ruleset *rs)
{
	const struct council *c = &rs->council;

	if (c->form != NULL) {
		for (size_t i = 0; i < c->nform; i++)
			intake_ask(f, o, rs, c->form[i].fact, &c->form[i]);
		return;
	}
	for (size_t i = 0; i < rs->nfacts; i++)
		if (rules_form_asks(rs, (int)i) && !rules_screen_supplies(rs->facts[i].path) &&
		    rules_history_fact(rs->facts[i].path) == NULL)
			intake_ask(f, o, rs, (int)i, NULL);
}

void
tui_intake_init(struct tui_form *f, const struct ruleset *rs)
{
	struct intake_owned *o;
	struct tui_field *v;
	size_t max = IF_QUESTIONS + (rs != NULL ? 2 * rs->nfacts : 0);

	memset(f, 0, sizeof *f);
	f->owned = o = xcalloc(1, sizeof *o);
	f->free_owned = owned_free;
	o->q = xcalloc(rs != NULL && rs->nfacts > 0 ? rs->nfacts : 1, sizeof *o->q);
	f->n = IF_QUESTIONS;
	f->f = v = xcalloc(max, sizeof *f->f);
	tui_field_text(&v[IF_CASE_ID], "case_id", "Case id (blank: new)", 0, 40, valid_case_id);
	tui_field_text(&v[IF_REF_NAME], "referrer_name", "Referrer's name", 1, 80, NULL);
	intake_agency(&v[IF_REF_AGENCY], o, rs);
	tui_field_text(&v[IF_REF_ROLE], "referrer_role", "Referrer's role", 0, 80, NULL);
	tui_field_text(&v[IF_REF_CONTACT], "referrer_contact", "Phone or email", 0, 80,
	    valid_contact);
	tui_field_choice(&v[IF_HOW], "how_received", "How received", how_values, how_labels,
	    FD_ARRAY_LEN(how_values));
	tui_field_text(&v[IF_RECEIVED], "received", "Received (UTC)", 1, 20, valid_received);
	tui_field_text(&v[IF_CHILD_NAME], "child_name", "Child's name", 1, 80, NULL);
	tui_field_text(&v[IF_DOB_AGE], "child_dob_age", "Date of birth or age", 0, 10,
	    valid_dob_age);
	intake_district(&v[IF_DISTRICT], o, rs);
	tui_field_text(&v[IF_SCHOOL], "school", "School or setting", 0, 80, NULL);
	tui_field_text(&v[IF_HOUSEHOLD], "household", "Household members", 0, 200, NULL);
	tui_field_narrative(&v[IF_REPORTED], "reported", "What was reported", 1, 3, valid_reported);
	tui_field_choice(&v[IF_BASIS], "basis", "Reported or seen", basis_values, basis_labels,
	    FD_ARRAY_LEN(basis_values));
	if (rs != NULL)
		intake_questions(f, o, rs);
	f->relayout = intake_relayout;
	intake_relayout(f);
}

/* ---- the case as the engine sees it ---- */

/* One member of the case: a dotted path and its JSON text (NULL: an object, even empty). */
struct case_member {
	const char *path;
	char *json;
};

struct case_members {
	struct case_member *m;
	size_t n, cap;
};

static void
members_add(struct case_members *ms, const char *path, char *json)
{
	if (ms->n == ms->cap) {
		ms->cap = ms->cap ? 2 * ms->cap : 32;
		ms->m = xreallocarray(ms->m, ms->cap, sizeof *ms->m);
	}
	ms->m[ms->n++] = (struct case_member){ path, json };
}

/* Adds path as a JSON string when value is not blank. */
static void
members_string(struct case_members *ms, const char *path, const char *value)
{
	struct buf b;
	const char *p = value;

	while (*p == ' ')
		p++;
	if (*p == '\0')
		return;
	buf_init(&b);
	json_write_string(&b, value, strlen(value));
	members_add(ms, path, b.data);
}

/* Adds path with a JSON number or boolean as its text. */
static void
members_raw(struct case_members *ms, const char *path, const char *json)
{
	members_add(ms, path, xstrdup(json));
}

/*
 * Writes the members below prefix (plen bytes, "" or "child.") as one JSON
 * object's members, each at the place of the first member of its path.
 */
static void
members_write(const struct case_members *ms, const char *prefix, size_t plen, struct buf *out)
{
	int first = 1;

	for (size_t i = 0; i < ms->n; i++) {
		const char *rest = ms->m[i].path + plen, *dot;
		size_t seg, k;

		if (strncmp(ms->m[i].path, prefix, plen) != 0)
			continue;
		dot = strchr(rest, '.');
		seg = dot != NULL ? (size_t)(dot - rest) : strlen(rest);
		for (k = 0; k < i; k++)	/* written with an earlier member of its object */
			if (strncmp(ms->m[k].path, prefix, plen) == 0 &&
			    strncmp(ms->m[k].path + plen, rest, seg) == 0 &&
			    (ms->m[k].path[plen + seg] == '\0' || ms->m[k].path[plen + seg] == '.'))
				break;
		if (k < i)
			continue;
		buf_printf(out, "%s\"%.*s\":", first ? "" : ",", (int)seg, rest);
		first = 0;
		if (dot == NULL && ms->m[i].json != NULL) {
			buf_adds(out, ms->m[i].json);
			continue;
		}
		{
			char *sub = xmalloc(plen + seg + 2);

			memcpy(sub, ms->m[i].path, plen + seg);
			sub[plen + seg] = '.';
			sub[plen + seg + 1] = '\0';
			buf_addc(out, '{');
			members_write(ms, sub, plen + seg + 1, out);
			buf_addc(out, '}');
			free(sub);
		}
	}
}

/* The child's age and date of birth, from what was typed. */
static void
members_age(struct case_members *ms, const struct tui_form *in, int64_t received)
{
	const char *why, *text = in->f[IF_DOB_AGE].edit.text;
	int age = tui_age_from(text, received, &why);
	int64_t dob;
	char when[32];

	if (age < 0)
		return;
	snprintf(when, sizeof when, "%d", age);
	members_raw(ms, "child.age", when);
	if (parse_entered(text, &dob, NULL) == 0) {
		format_utc(dob, when);
		when[10] = '\0';	/* always YYYY-MM-DD, whichever way it was typed */
		members_string(ms, "child.dob", when);
	}
}

/* A question's answer, as its kind writes it; nothing while blank or not chosen. */
static void
members_answer(struct case_members *ms, const struct tui_form *in,
    const struct intake_question *q)
{
	const struct tui_field *fl = &in->f[q->field];
	char text[32], digits[11];
	double v;
	int64_t t;

	switch (q->kind) {
	case IK_CHOICE:
	case IK_TEXT:
		members_string(ms, q->path, tui_form_value(in, q->field));
		break;
	case IK_YES_NO:
		if (fl->choice >= 0)
			members_raw(ms, q->path, fl->choices[fl->choice]);
		break;
	case IK_INTEGER:
	case IK_NUMBER:
		if (trimmed(in, q->field, text, sizeof text) && text[0] != '\0' &&
		    intake_number(text, q->kind == IK_INTEGER, &v) == 0) {
			snprintf(text, sizeof text, "%.15g", v);
			members_raw(ms, q->path, text);
		}
		break;
	case IK_DATE:
		if (trimmed(in, q->field, text, sizeof text) && text[0] != '\0' &&
		    parse_entered(text, &t, NULL) == 0) {
			format_utc(t, text);
			text[10] = '\0';
			members_string(ms, q->path, text);
		}
		break;
	case IK_NHS_NUMBER:
		if (trimmed(in, q->field, text, sizeof text) &&
		    nhs_number_parse(text, digits) == NHS_OK)
			members_string(ms, q->path, digits);	/* always the 10 digits alone */
		break;
	}
	if (q->reason >= 0 && !in->f[q->reason].hidden)
		members_string(ms, in->f[q->reason].name, in->f[q->reason].edit.text);
}

void
tui_case_json(const struct tui_form *in, const char *case_id, const struct ruleset *rs,
    const unsigned char *selected, struct buf *out)
{
	const struct intake_owned *o = in->owned;
	int64_t received = form_received(in);
	const char *district = tui_form_value(in, IF_DISTRICT);
	struct case_members ms = { NULL, 0, 0 };
	int first = 1;
	char when[32];

	if (received > 0) {
		format_utc(received, when);
		members_string(&ms, "received", when);
	}
	members_add(&ms, "child", NULL);
	members_string(&ms, "child.name", in->f[IF_CHILD_NAME].edit.text);
	members_age(&ms, in, received);
	if (strcmp(district, DISTRICT_UNKNOWN) != 0 || in->f[IF_DISTRICT].kind != FK_CHOICE)
		members_string(&ms, "child.district", district);
	members_string(&ms, "child.school", in->f[IF_SCHOOL].edit.text);
	members_add(&ms, "referrer", NULL);
	members_string(&ms, "referrer.agency", tui_form_value(in, IF_REF_AGENCY));
	members_string(&ms, "referrer.name", in->f[IF_REF_NAME].edit.text);
	members_string(&ms, "referrer.role", in->f[IF_REF_ROLE].edit.text);
	members_string(&ms, "referrer.contact", in->f[IF_REF_CONTACT].edit.text);
	members_string(&ms, "how_received", tui_form_value(in, IF_HOW));
	members_string(&ms, "household", in->f[IF_HOUSEHOLD].edit.text);
	members_add(&ms, "reported", NULL);
	members_string(&ms, "reported.what", in->f[IF_REPORTED].edit.text);
	members_string(&ms, "reported.basis", tui_form_value(in, IF_BASIS));
	for (size_t k = 0; o != NULL && k < o->nq; k++)
		members_answer(&ms, in, &o->q[k]);
	buf_reset(out);
	buf_adds(out, "{\"case_id\":");
	json_write_string(out, case_id, strlen(case_id));
	if (ms.n > 0)
		buf_addc(out, ',');
	members_write(&ms, "", 0, out);
	buf_adds(out, ",\"indicators\":[");
	for (size_t i = 0; rs != NULL && selected != NULL && i < rs->nindicators; i++) {
		if (!selected[i])
			continue;
		buf_printf(out, "%s\"%s\"", first ? "" : ",", rs->indicators[i].id);
		first = 0;
	}
	buf_adds(out, "]}");
	for (size_t i = 0; i < ms.n; i++)
		free(ms.m[i].json);
	free(ms.m);
}
