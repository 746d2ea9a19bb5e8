/* journey.c: the intake form, drafts, the pathway walk-through, decision, outcome and sign-off forms. */
#include "tui/state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

const char *const tui_districts[] = {
	"Ashfield", "Bassetlaw", "Broxtowe", "Gedling", "Mansfield", "Newark and Sherwood",
	"Rushcliffe",
};
const size_t tui_ndistricts = FD_ARRAY_LEN(tui_districts);

const char *const tui_agencies[] = {
	"police", "british_transport_police", "health", "school", "early_years", "housing",
	"probation", "youth_justice", "voluntary", "family", "anonymous", "other",
};
const size_t tui_nagencies = FD_ARRAY_LEN(tui_agencies);

static const char *const agency_labels[] = {
	"Police", "British Transport Police", "Health", "School", "Early years", "Housing",
	"Probation", "Youth justice", "Voluntary sector", "Family, friend or public",
	"Anonymous", "Other",
};

static const char *const district_values[] = {
	"Ashfield", "Bassetlaw", "Broxtowe", "Gedling", "Mansfield", "Newark and Sherwood",
	"Rushcliffe", "unknown",
};
static const char *const district_labels[] = {
	"Ashfield", "Bassetlaw", "Broxtowe", "Gedling", "Mansfield", "Newark and Sherwood",
	"Rushcliffe", "Unknown or out of county",
};

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

static const char *const consent_values[] = { "given", "refused", "not_sought", "not_required" };
static const char *const consent_labels[] = {
	"Given", "Refused", "Not sought (say why)", "Not required (say why)",
};

/* ---- validation ---- */

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
valid_ref_name(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	const char *s = f->f[i].edit.text;

	(void)msg;
	(void)msgsz;
	while (*s == ' ')
		s++;
	if (*s == '\0' && strcmp(tui_form_value(f, IF_REF_AGENCY), "anonymous") != 0)
		return "required (unless the referrer is anonymous)";
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
	char iso[32];
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == ' ')
		n--;
	while (*s == ' ' && n > 0)
		s++, n--;
	if (n == 10 || n == 20) {
		if (n >= sizeof iso)
			return -1;
		memcpy(iso, s, n);
		iso[n] = '\0';
		return parse_utc(iso, out);
	}
	/* YYYY-MM-DD HH:MM, YYYY-MM-DDTHH:MM, with or without a Z */
	if ((n == 16 || (n == 17 && s[16] == 'Z')) && (s[10] == ' ' || s[10] == 'T')) {
		snprintf(iso, sizeof iso, "%.10sT%.5s:00Z", s, s + 11);
		if (s[13] != ':')
			return -1;
		return parse_utc(iso, out);
	}
	return -1;
}

static const char *
valid_received(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	int64_t t;

	(void)msg;
	(void)msgsz;
	if (strcmp(f->f[i].edit.text, "now") == 0)
		return NULL;
	if (tui_parse_when(f->f[i].edit.text, &t) < 0)
		return "YYYY-MM-DD HH:MM in UTC, or 'now'";
	if (t < INT64_C(946684800))
		return "a date after 2000";
	return NULL;
}

int
tui_intake_normalise(struct tui_form *f, int64_t now)
{
	struct tui_edit *e = &f->f[IF_RECEIVED].edit;
	char when[32];

	if (strcmp(e->text, "now") != 0)
		return 0;
	format_utc(now, when);
	when[10] = ' ';
	when[16] = '\0';
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

	*why = NULL;
	while (*s == ' ')
		s++;
	if (*s == '\0')
		return -1;
	if (strchr(s, '-') == NULL) {
		age = strtol(s, &end, 10);
		while (*end == ' ')
			end++;
		if (end == s || *end != '\0' || age < 0 || age > 25) {
			*why = "an age in years (0 to 25) or a date of birth YYYY-MM-DD";
			return -1;
		}
		return (int)age;
	}
	if (strlen(s) != 10 || parse_utc(s, &dob) < 0) {
		*why = "a date of birth YYYY-MM-DD, or an age in years";
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

	if (tui_parse_when(f->f[IF_RECEIVED].edit.text, &t) < 0)
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
valid_min_chars(const struct tui_form *f, size_t i, char *msg, size_t msgsz, size_t min)
{
	const char *s = f->f[i].edit.text;
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80 && *s != ' ';
	if (n > 0 && n < min) {
		snprintf(msg, msgsz, "say a little more (at least %zu characters)", min);
		return msg;
	}
	return NULL;
}

static const char *
valid_reported(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	return valid_min_chars(f, i, msg, msgsz, 10);
}

static const char *
valid_reason(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	return valid_min_chars(f, i, msg, msgsz, 5);
}

static void
intake_relayout(struct tui_form *f)
{
	const char *c = tui_form_value(f, IF_CONSENT);

	f->f[IF_CONSENT_REASON].hidden = strcmp(c, "not_sought") != 0 &&
	    strcmp(c, "not_required") != 0;
}

static void
field_text(struct tui_field *fl, const char *name, const char *label, int required, size_t max,
    tui_validate_fn v)
{
	memset(fl, 0, sizeof *fl);
	fl->name = name;
	fl->label = label;
	fl->kind = FK_TEXT;
	fl->required = required;
	fl->validate = v;
	tui_edit_init(&fl->edit, max);
}

static void
field_choice(struct tui_field *fl, const char *name, const char *label,
    const char *const *values, const char *const *labels, size_t n)
{
	memset(fl, 0, sizeof *fl);
	fl->name = name;
	fl->label = label;
	fl->kind = FK_CHOICE;
	fl->choices = values;
	fl->labels = labels;
	fl->nchoices = n;
	tui_edit_init(&fl->edit, 0);
}

void
tui_intake_init(struct tui_form *f)
{
	struct tui_field *v;

	memset(f, 0, sizeof *f);
	f->n = IF_COUNT;
	f->f = v = xcalloc(IF_COUNT, sizeof *f->f);
	field_text(&v[IF_CASE_ID], "case_id", "Case id (blank: new)", 0, 40, valid_case_id);
	field_text(&v[IF_REF_NAME], "referrer_name", "Referrer's name", 0, 80, valid_ref_name);
	field_choice(&v[IF_REF_AGENCY], "referrer_agency", "Agency", tui_agencies, agency_labels,
	    tui_nagencies);
	field_text(&v[IF_REF_ROLE], "referrer_role", "Referrer's role", 0, 80, NULL);
	field_text(&v[IF_REF_CONTACT], "referrer_contact", "Phone or email", 0, 80,
	    valid_contact);
	field_choice(&v[IF_HOW], "how_received", "How received", how_values, how_labels,
	    FD_ARRAY_LEN(how_values));
	field_text(&v[IF_RECEIVED], "received", "Received (UTC)", 1, 20, valid_received);
	field_text(&v[IF_CHILD_NAME], "child_name", "Child's name", 1, 80, NULL);
	field_text(&v[IF_DOB_AGE], "child_dob_age", "Date of birth or age", 0, 10,
	    valid_dob_age);
	field_choice(&v[IF_DISTRICT], "district", "District", district_values, district_labels,
	    FD_ARRAY_LEN(district_values));
	field_text(&v[IF_SCHOOL], "school", "School or setting", 0, 80, NULL);
	field_text(&v[IF_HOUSEHOLD], "household", "Household members", 0, 200, NULL);
	field_text(&v[IF_REPORTED], "reported", "What was reported", 1, 2000, valid_reported);
	v[IF_REPORTED].kind = FK_LONGTEXT;
	v[IF_REPORTED].rows = 3;
	field_choice(&v[IF_BASIS], "basis", "Reported or seen", basis_values, basis_labels,
	    FD_ARRAY_LEN(basis_values));
	field_choice(&v[IF_CONSENT], "consent", "Consent", consent_values, consent_labels,
	    FD_ARRAY_LEN(consent_values));
	field_text(&v[IF_CONSENT_REASON], "consent_reason", "Why (consent)", 1, 300,
	    valid_reason);
	f->relayout = intake_relayout;
	intake_relayout(f);
}

/* ---- the case as the engine sees it ---- */

/* Appends ,"key":"value" (or without the comma first) when value is not blank. */
static void
json_member(struct buf *b, int *first, const char *key, const char *value)
{
	const char *p = value;

	while (*p == ' ')
		p++;
	if (*p == '\0')
		return;
	buf_printf(b, "%s\"%s\":", *first ? "" : ",", key);
	json_write_string(b, value, strlen(value));
	*first = 0;
}

void
tui_case_json(const struct tui_form *in, const char *case_id, const struct ruleset *rs,
    const unsigned char *selected, struct buf *out)
{
	int64_t received = form_received(in);
	const char *why, *district = tui_form_value(in, IF_DISTRICT);
	int first = 1, age;
	char when[32];

	buf_reset(out);
	buf_adds(out, "{\"case_id\":");
	json_write_string(out, case_id, strlen(case_id));
	if (received > 0) {
		format_utc(received, when);
		buf_printf(out, ",\"received\":\"%s\"", when);
	}
	buf_adds(out, ",\"child\":{");
	json_member(out, &first, "name", in->f[IF_CHILD_NAME].edit.text);
	age = tui_age_from(in->f[IF_DOB_AGE].edit.text, received, &why);
	if (age >= 0) {
		buf_printf(out, "%s\"age\":%d", first ? "" : ",", age);
		first = 0;
	}
	if (strchr(in->f[IF_DOB_AGE].edit.text, '-') != NULL && age >= 0)
		json_member(out, &first, "dob", in->f[IF_DOB_AGE].edit.text);
	if (strcmp(district, "unknown") != 0)
		json_member(out, &first, "district", district);
	json_member(out, &first, "school", in->f[IF_SCHOOL].edit.text);
	buf_adds(out, "},\"referrer\":{");
	first = 1;
	json_member(out, &first, "agency", tui_form_value(in, IF_REF_AGENCY));
	json_member(out, &first, "name", in->f[IF_REF_NAME].edit.text);
	json_member(out, &first, "role", in->f[IF_REF_ROLE].edit.text);
	json_member(out, &first, "contact", in->f[IF_REF_CONTACT].edit.text);
	buf_adds(out, "}");
	first = 0;
	json_member(out, &first, "how_received", tui_form_value(in, IF_HOW));
	json_member(out, &first, "household", in->f[IF_HOUSEHOLD].edit.text);
	buf_adds(out, ",\"reported\":{");
	first = 1;
	json_member(out, &first, "what", in->f[IF_REPORTED].edit.text);
	json_member(out, &first, "basis", tui_form_value(in, IF_BASIS));
	buf_adds(out, "}");
	first = 0;
	json_member(out, &first, "consent", tui_form_value(in, IF_CONSENT));
	if (!in->f[IF_CONSENT_REASON].hidden)
		json_member(out, &first, "consent_reason", in->f[IF_CONSENT_REASON].edit.text);
	buf_adds(out, ",\"indicators\":[");
	first = 1;
	for (size_t i = 0; rs != NULL && selected != NULL && i < rs->nindicators; i++) {
		if (!selected[i])
			continue;
		buf_printf(out, "%s\"%s\"", first ? "" : ",", rs->indicators[i].id);
		first = 0;
	}
	buf_adds(out, "]}");
}

/* ---- drafts ---- */

static void
draft_form(struct buf *out, const char *key, const struct tui_form *f)
{
	buf_printf(out, "\"%s\":{", key);
	for (size_t i = 0; i < f->n; i++) {
		const char *v = tui_form_value(f, i);

		buf_printf(out, "%s\"%s\":", i ? "," : "", f->f[i].name);
		json_write_string(out, v, strlen(v));
	}
	buf_adds(out, "}");
}

void
tui_draft_write(const struct tui_form *intake, const struct ruleset *rs,
    const unsigned char *selected, const struct tui_form *decision, struct buf *out)
{
	int first = 1;

	buf_reset(out);
	buf_adds(out, "{\"v\":1,");
	draft_form(out, "intake", intake);
	buf_adds(out, ",\"indicators\":[");
	for (size_t i = 0; rs != NULL && selected != NULL && i < rs->nindicators; i++) {
		if (!selected[i])
			continue;
		buf_printf(out, "%s\"%s\"", first ? "" : ",", rs->indicators[i].id);
		first = 0;
	}
	buf_adds(out, "]");
	if (decision != NULL && decision->touched) {
		buf_adds(out, ",");
		draft_form(out, "decision", decision);
	}
	buf_adds(out, "}");
}

/* Copies the string at token i (unescaped) into a malloc'd string; NULL if not a string. */
static char *
json_text(const struct json_doc *d, int i)
{
	char *s;
	size_t n;

	if (i < 0 || d->tok[i].type != JSMN_STRING)
		return NULL;
	s = xmalloc(JSON_TOK_LEN(d, i) + 1);
	n = json_unescape(d, i, s);
	s[n] = '\0';
	return s;
}

static void
read_form(const struct json_doc *d, int obj, struct tui_form *f)
{
	if (obj < 0 || d->tok[obj].type != JSMN_OBJECT)
		return;
	for (size_t i = 0; i < f->n; i++) {
		char *v = json_text(d, json_object_get(d, obj, f->f[i].name));

		if (v == NULL)
			continue;
		if (f->f[i].kind == FK_CHOICE)
			tui_form_set_choice(f, i, v);
		else {
			/* a draft is our own writing, but keep the field's limits anyway */
			tui_edit_set(&f->f[i].edit, "");
			for (const char *p = v; *p;) {
				uint32_t cp;
				size_t len = utf8_decode((const unsigned char *)p, strlen(p), &cp);

				if (len == 0)
					break;
				if (cp >= 0x20)
					tui_edit_key(&f->f[i].edit, (int)cp);
				p += len;
			}
		}
		free(v);
	}
	if (f->relayout != NULL)
		f->relayout(f);
	f->changed = 0;
	f->touched = 1;
}

int
tui_draft_read(const char *text, size_t len, struct tui_form *intake,
    const struct ruleset *rs, unsigned char *selected, struct tui_form *decision)
{
	struct json_doc d;
	char *cause = NULL;
	int arr;

	json_doc_init(&d);
	if (json_parse(&d, text, len, &cause) < 0 || d.tok[0].type != JSMN_OBJECT) {
		free(cause);
		json_doc_free(&d);
		return -1;
	}
	read_form(&d, json_object_get(&d, 0, "intake"), intake);
	arr = json_object_get(&d, 0, "indicators");
	if (arr >= 0 && d.tok[arr].type == JSMN_ARRAY && rs != NULL && selected != NULL) {
		int i = arr + 1;

		for (int k = 0; k < d.tok[arr].size; k++, i = json_skip(&d, i)) {
			char *id = json_text(&d, i);
			int ind = id != NULL ? rules_find_indicator(rs, id, strlen(id)) : -1;

			if (ind >= 0)
				selected[ind] = 1;
			free(id);
		}
	}
	if (decision != NULL) {
		int obj = json_object_get(&d, 0, "decision");

		if (obj >= 0)
			read_form(&d, obj, decision);
	}
	json_doc_free(&d);
	return 0;
}

void
tui_draft_describe(const char *text, size_t len, char *out, size_t outsz)
{
	struct tui_form f;
	const char *name, *when, *ref;

	tui_intake_init(&f);
	if (tui_draft_read(text, len, &f, NULL, NULL, NULL) < 0) {
		snprintf(out, outsz, "(unreadable draft)");
		tui_form_free(&f);
		return;
	}
	name = f.f[IF_CHILD_NAME].edit.text;
	when = f.f[IF_RECEIVED].edit.text;
	ref = f.f[IF_REF_NAME].edit.text;
	snprintf(out, outsz, "%s%s%s%s%s", *name ? name : "(no child's name yet)",
	    *when ? ", received " : "", when, *ref ? ", from " : "", ref);
	tui_form_free(&f);
}

/* ---- pathway ---- */

/* Sorts indicator indexes by domain, then level, then place in the file. */
static void
order_indicators(const struct ruleset *rs, int *order)
{
	size_t n = 0;

	for (int dom = 0; dom < DOMAIN_COUNT; dom++)
		for (int lvl = 1; lvl <= 4; lvl++)
			for (size_t i = 0; i < rs->nindicators; i++)
				if ((int)rs->indicators[i].domain == dom &&
				    rs->indicators[i].level == lvl)
					order[n++] = (int)i;
	/* anything else (no level 1-4) at the end, in file order */
	for (size_t i = 0; i < rs->nindicators; i++) {
		int lvl = rs->indicators[i].level;

		if (lvl < 1 || lvl > 4 || (int)rs->indicators[i].domain >= DOMAIN_COUNT)
			order[n++] = (int)i;
	}
}

void
tui_pathway_init(struct tui_pathway *p, const struct ruleset *rs)
{
	memset(p, 0, sizeof *p);
	p->rs = rs;
	p->selected = xcalloc(rs->nindicators ? rs->nindicators : 1, 1);
	p->order = xcalloc(rs->nindicators ? rs->nindicators : 1, sizeof *p->order);
	p->visible = xcalloc(rs->nindicators ? rs->nindicators : 1, sizeof *p->visible);
	p->norder = rs->nindicators;
	order_indicators(rs, p->order);
	tui_edit_init(&p->filter, 40);
	case_init(&p->cf, rs);
	trace_init(&p->tr);
	buf_init(&p->facts);
	tui_pathway_filter(p);
}

void
tui_pathway_free(struct tui_pathway *p)
{
	free(p->selected);
	free(p->order);
	free(p->visible);
	tui_edit_free(&p->filter);
	case_free(&p->cf);
	trace_free(&p->tr);
	buf_free(&p->facts);
	free(p->error);
	free(p->changes);
	memset(p, 0, sizeof *p);
}

static int
lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t m = strlen(needle);

	if (m == 0)
		return 1;
	for (; *hay; hay++) {
		size_t k = 0;

		while (k < m && hay[k] && lower_ascii((unsigned char)hay[k]) ==
		    lower_ascii((unsigned char)needle[k]))
			k++;
		if (k == m)
			return 1;
	}
	return 0;
}

void
tui_pathway_filter(struct tui_pathway *p)
{
	int cur = tui_pathway_current(p);

	p->nvisible = 0;
	for (size_t k = 0; k < p->norder; k++) {
		const struct indicator_def *ind = &p->rs->indicators[p->order[k]];

		if (contains_ci(ind->text, p->filter.text) || contains_ci(ind->id, p->filter.text) ||
		    (ind->guidance != NULL && contains_ci(ind->guidance, p->filter.text)))
			p->visible[p->nvisible++] = p->order[k];
	}
	/* keep the cursor on the same indicator if it is still shown */
	p->cursor = 0;
	for (size_t k = 0; k < p->nvisible; k++)
		if (p->visible[k] == cur)
			p->cursor = k;
	if (p->top > p->cursor)
		p->top = p->cursor;
}

int
tui_pathway_current(const struct tui_pathway *p)
{
	return p->cursor < p->nvisible ? p->visible[p->cursor] : -1;
}

void
tui_pathway_recount(struct tui_pathway *p)
{
	p->nselected = 0;
	for (size_t i = 0; i < p->rs->nindicators; i++)
		p->nselected += p->selected[i] != 0;
}

int
tui_pathway_toggle(struct tui_pathway *p)
{
	int i = tui_pathway_current(p);

	if (i < 0)
		return 0;
	p->selected[i] = !p->selected[i];
	tui_pathway_recount(p);
	return 1;
}

void
tui_pathway_move(struct tui_pathway *p, long delta, size_t rows)
{
	struct tui_list l = { p->nvisible, p->cursor, p->top };

	tui_list_move(&l, delta, rows);
	p->cursor = l.cursor;
	p->top = l.top;
}

void
tui_pathway_evaluate(struct tui_pathway *p, const struct tui_form *intake, const char *case_id)
{
	free(p->error);
	p->error = NULL;
	p->have_dec = 0;
	p->nchanges = 0;
	tui_case_json(intake, case_id, p->rs, p->selected, &p->facts);
	trace_reset(&p->tr);
	if (case_parse(&p->cf, p->facts.data, p->facts.len, &p->error) < 0)
		return;
	if (engine_decide(p->rs, &p->cf, &p->dec, &p->tr) < 0) {
		p->error = xstrdup("no rule matched this case");
		return;
	}
	p->have_dec = 1;
	audit_changes(&p->cf, &p->dec, &p->changes, &p->nchanges, &p->changecap);
}

void
tui_pathway_why(const struct tui_pathway *p, struct buf *out)
{
	buf_reset(out);
	if (!p->have_dec)
		return;
	for (size_t r = 0; r < p->tr.nrules; r++) {
		const struct trace_rule *tr = &p->tr.rules[r];

		if (!tr->held || tr->rule != p->dec.rule)
			continue;
		for (size_t k = 0; k < tr->n; k++) {
			const struct trace_atom *a = &p->tr.atoms[tr->first + k];

			if (k > 0)
				buf_adds(out, "; ");
			cond_describe(p->rs, a->cond, out);
			if (a->cond->kind == COND_COUNT)
				buf_printf(out, " (read %ld)", a->count);
			buf_adds(out, a->held ? " holds" : " fails");
		}
		if (tr->n == 0)
			buf_adds(out, "always");
	}
}

const char *
tui_route_label(int route)
{
	static const char *const labels[ROUTE_COUNT] = {
		"Universal", "Early Help Unit", "Targeted Early Help", "MASH",
	};

	return route >= 0 && route < ROUTE_COUNT ? labels[route] : "-";
}

const char *
tui_route_short(int route)
{
	static const char *const labels[ROUTE_COUNT] = { "Univ", "EHU", "TEH", "MASH" };

	return route >= 0 && route < ROUTE_COUNT ? labels[route] : "-";
}

const char *
tui_domain_short(int domain)
{
	static const char *const labels[DOMAIN_COUNT] = { "Dev", "Par", "Fam" };

	return domain >= 0 && domain < DOMAIN_COUNT ? labels[domain] : "?";
}

void
tui_pathway_changes_text(const struct tui_pathway *p, size_t max, struct buf *out)
{
	size_t lines = 0;
	int fi = audit_consent_fact(p->rs);

	buf_reset(out);
	if (!p->have_dec)
		return;
	/* consent first: it is a fact the officer can check with the referrer */
	for (size_t k = 0; k < p->nchanges && lines < max; k++) {
		const struct audit_change *c = &p->changes[k];

		if (c->consent < 0 || fi < 0)
			continue;
		buf_printf(out, "%s if consent were %s (rule %s)\n", tui_route_label(c->route),
		    p->rs->facts[fi].values[c->consent], p->rs->rules[c->rule].id);
		lines++;
	}
	/* removals, one by one: each is a need already recorded */
	for (size_t k = 0; k < p->nchanges && lines < max; k++) {
		const struct audit_change *c = &p->changes[k];

		if (c->indicator < 0 || c->add)
			continue;
		buf_printf(out, "%s without %s (rule %s)\n", tui_route_label(c->route),
		    p->rs->indicators[c->indicator].id, p->rs->rules[c->rule].id);
		lines++;
	}
	/* additions, grouped by the route they lead to */
	for (int route = ROUTE_COUNT - 1; route >= 0 && lines < max; route--) {
		size_t n = 0;
		int example = -1;

		for (size_t k = 0; k < p->nchanges; k++) {
			const struct audit_change *c = &p->changes[k];

			if (c->indicator >= 0 && c->add && (int)c->route == route) {
				if (example < 0)
					example = c->indicator;
				n++;
			}
		}
		if (n == 0)
			continue;
		buf_printf(out, "%s if %s were added", tui_route_label(route),
		    p->rs->indicators[example].id);
		if (n > 1)
			buf_printf(out, " (or any of %zu more)", n - 1);
		buf_addc(out, '\n');
		lines++;
	}
	if (lines == 0)
		buf_adds(out, "No single change of an indicator or of consent changes the route.\n");
}

const char *
tui_consent_note(const struct tui_pathway *p, const char *consent)
{
	const struct rule_def *r;

	if (!p->have_dec)
		return NULL;
	r = &p->rs->rules[p->dec.rule];
	if (r->needs_consent) {
		if (strcmp(consent, "given") == 0)
			return "given, so early help can go ahead.";
		if (strcmp(consent, "refused") == 0)
			return "refused, and early help is voluntary: does the MASH need to see it?";
		return "needed before early help starts (it is voluntary).";
	}
	if (p->dec.route == ROUTE_MASH && (strcmp(consent, "not_sought") == 0 ||
	    strcmp(consent, "not_required") == 0))
		return "not needed for a safeguarding referral; the reason is recorded.";
	if (p->dec.route == ROUTE_MASH)
		return strcmp(consent, "given") == 0 ? "given (a safeguarding referral does not "
		    "need it)." : "refused; the MASH may act without it where asking adds risk.";
	return "not needed for this route.";
}

/* ---- decision ---- */

static const char *const choice_values[] = { "accept", "override" };
static const char *const choice_labels[] = { "Accept the recommendation", "Override it" };
static const char *const route_values[] = {
	"universal", "early_help_unit", "targeted_early_help", "mash",
};
static const char *const route_labels[] = {
	"Universal (level 1)", "Early Help Unit (level 2)", "Targeted Early Help (level 3)",
	"MASH (level 4)",
};
static const char *const urgency_values[] = { "rule", "red", "amber", "green" };
static const char *const urgency_labels[] = {
	"As the rule says", "Red", "Amber", "Green",
};
static const char *const strategy_values[] = { "", "yes", "no" };
static const char *const strategy_labels[] = {
	"Not said yet", "Yes: a strategy discussion is needed", "No",
};

/* Characters as action_check_rationale counts them: those that are not spaces. */
static size_t
rationale_chars(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xc0) != 0x80 && *p != ' ' && *p != '\t' && *p != '\n';
	return n;
}

static const char *
valid_override_route(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	(void)msg;
	(void)msgsz;
	if (f->f[i].choice == f->ctx)
		return "that is the recommended route: choose another, or accept";
	return NULL;
}

static const char *
valid_rationale(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	char *cause = NULL;

	if (f->f[DF_CHOICE].choice != 1 && f->f[i].edit.len == 0)
		return NULL;
	if (action_check_rationale(f->f[i].edit.text, &cause) == 0)
		return NULL;
	free(cause);
	snprintf(msg, msgsz, "%zu of the %d characters a rationale needs (spaces not counted)",
	    rationale_chars(f->f[i].edit.text), ACTION_MIN_RATIONALE);
	return msg;
}

static const char *
valid_strategy(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	(void)msg;
	(void)msgsz;
	return f->f[i].choice == 0 ? "for the MASH, say whether a strategy discussion is needed"
	    : NULL;
}

static const char *
valid_feedback(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	return valid_min_chars(f, i, msg, msgsz, 10);
}

int
tui_decision_final(const struct tui_form *f, int recommended)
{
	return f->f[DF_CHOICE].choice == 1 ? f->f[DF_ROUTE].choice : recommended;
}

static void
decision_relayout(struct tui_form *f)
{
	int override = f->f[DF_CHOICE].choice == 1;

	f->f[DF_ROUTE].hidden = !override;
	f->f[DF_RATIONALE].required = override;
	f->f[DF_STRATEGY].hidden = tui_decision_final(f, f->ctx) != ROUTE_MASH;
}

void
tui_decision_init(struct tui_form *f)
{
	struct tui_field *v;

	memset(f, 0, sizeof *f);
	f->n = DF_COUNT;
	f->f = v = xcalloc(DF_COUNT, sizeof *f->f);
	field_choice(&v[DF_CHOICE], "choice", "Decision", choice_values, choice_labels, 2);
	field_choice(&v[DF_ROUTE], "route", "Override to", route_values, route_labels, 4);
	v[DF_ROUTE].validate = valid_override_route;
	field_text(&v[DF_RATIONALE], "rationale", "Rationale", 0, 2000, valid_rationale);
	v[DF_RATIONALE].kind = FK_LONGTEXT;
	v[DF_RATIONALE].rows = 3;
	field_choice(&v[DF_URGENCY], "urgency", "Urgency", urgency_values, urgency_labels, 4);
	field_choice(&v[DF_STRATEGY], "strategy", "Strategy discussion", strategy_values,
	    strategy_labels, 3);
	v[DF_STRATEGY].validate = valid_strategy;
	field_text(&v[DF_FEEDBACK], "feedback", "Feedback to referrer", 1, 1000, valid_feedback);
	v[DF_FEEDBACK].kind = FK_LONGTEXT;
	v[DF_FEEDBACK].rows = 2;
	f->relayout = decision_relayout;
	f->ctx = 0;
	decision_relayout(f);
}

void
tui_decision_update(struct tui_form *f, int recommended)
{
	f->ctx = recommended;
	/* until the person overrides, an override would go one level down (up from universal) */
	if (f->f[DF_CHOICE].choice == 0)
		f->f[DF_ROUTE].choice = recommended == ROUTE_UNIVERSAL ? ROUTE_EARLY_HELP_UNIT :
		    recommended - 1;
	decision_relayout(f);
}

void
tui_decision_fill(const struct tui_form *f, int recommended, const char *facts,
    size_t facts_len, struct route_decision *d)
{
	int final = tui_decision_final(f, recommended), u = f->f[DF_URGENCY].choice;

	memset(d, 0, sizeof *d);
	d->facts = facts;
	d->facts_len = facts_len;
	d->final_route = f->f[DF_CHOICE].choice == 1 ? f->f[DF_ROUTE].choice : -1;
	d->rationale = f->f[DF_RATIONALE].edit.len > 0 ? f->f[DF_RATIONALE].edit.text : NULL;
	d->urgency = u == 0 ? -1 : u == 1 ? URGENCY_RED : u == 2 ? URGENCY_AMBER : URGENCY_GREEN;
	d->strategy_discussion = final != ROUTE_MASH || f->f[DF_STRATEGY].choice == 0 ? -1 :
	    f->f[DF_STRATEGY].choice == 1;
	d->feedback = f->f[DF_FEEDBACK].edit.len > 0 ? f->f[DF_FEEDBACK].edit.text : NULL;
}

static void
preview_add(char ***lines, size_t *n, size_t *cap, const char *label, const char *fmt, ...)
    FD_ATTR_PRINTF(5, 6);

static void
preview_add(char ***lines, size_t *n, size_t *cap, const char *label, const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = xvasprintf(fmt, ap);
	va_end(ap);
	buf_init(&b);
	buf_printf(&b, "%-16s %s", label, v);
	free(v);
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*lines = xreallocarray(*lines, *cap, sizeof **lines);
	}
	(*lines)[(*n)++] = buf_steal(&b);
}

static int
level_of(const struct ruleset *rs, int route)
{
	for (int l = 0; l < 4; l++)
		if ((int)rs->levels[l].route == route && rs->levels[l].level != 0)
			return rs->levels[l].level;
	return route + 1;
}

void
tui_decision_preview(const struct tui_form *f, const struct tui_pathway *p, const char *user,
    const char *role, char ***lines, size_t *n)
{
	const struct ruleset *rs = p->rs;
	struct route_decision d;
	size_t cap = 0;
	int rec = p->dec.route, final;

	*lines = NULL;
	*n = 0;
	tui_decision_fill(f, rec, p->facts.data, p->facts.len, &d);
	final = d.final_route >= 0 ? d.final_route : rec;
	preview_add(lines, n, &cap, "kind", "%s", d.final_route >= 0 && d.final_route != rec ?
	    "override" : "route");
	preview_add(lines, n, &cap, "case", "%.*s", (int)p->cf.case_id_len, p->cf.case_id);
	preview_add(lines, n, &cap, "actor", "%s (%s)", user, role);
	preview_add(lines, n, &cap, "time", "%s", "when you confirm (UTC)");
	preview_add(lines, n, &cap, "rule set", "%s %s, sha256:%s", rs->name, rs->version,
	    rs->hash);
	preview_add(lines, n, &cap, "engine", "%s", RECORD_ENGINE);
	preview_add(lines, n, &cap, "recommended", "%s (level %d) by rule %s", route_name(rec),
	    p->dec.level, rs->rules[p->dec.rule].id);
	preview_add(lines, n, &cap, "final route", "%s (level %d)",
	    route_name((enum route_id)final), final == rec ? p->dec.level : level_of(rs, final));
	preview_add(lines, n, &cap, "rationale", "%s", d.rationale != NULL ? d.rationale : "(none)");
	preview_add(lines, n, &cap, "urgency", "%s", d.urgency < 0 ?
	    urgency_name(rs->rules[p->dec.rule].urgency) :
	    urgency_name((enum urgency)d.urgency));
	if (d.strategy_discussion >= 0)
		preview_add(lines, n, &cap, "strategy disc.", "%s",
		    d.strategy_discussion ? "needed" : "not needed");
	preview_add(lines, n, &cap, "feedback", "%s", d.feedback != NULL ? d.feedback : "(none)");
	preview_add(lines, n, &cap, "facts", "%s", p->facts.data);
	if (rs->rules[p->dec.rule].needs_consent || final != rec)
		preview_add(lines, n, &cap, "sign-off", "%s", final != rec ?
		    "an override waits for a manager's sign-off" : "not needed");
}

/* ---- outcome and steps ---- */

static const char *const mode_values[] = { "outcome", "step_up", "step_down" };
static const char *const mode_labels[] = {
	"Close early help with a reason", "Step up to the MASH",
	"Step down to targeted early help",
};

static const char *
valid_note(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	char *cause = NULL;

	if (tui_outcome_mode(f) == OM_OUTCOME)
		return NULL;
	if (action_check_rationale(f->f[i].edit.text, &cause) == 0)
		return NULL;
	free(cause);
	snprintf(msg, msgsz, "%zu of the %d characters a rationale needs (spaces not counted)",
	    rationale_chars(f->f[i].edit.text), ACTION_MIN_RATIONALE);
	return msg;
}

static void
outcome_relayout(struct tui_form *f)
{
	int close = f->f[OF_MODE].choice == OM_OUTCOME;

	f->f[OF_CODE].hidden = !close;
	f->f[OF_NOTE].label = close ? "Notes" : "Rationale";
}

void
tui_outcome_init(struct tui_form *f, enum tui_outcome_mode mode)
{
	struct tui_field *v;
	const char **tab;

	memset(f, 0, sizeof *f);
	/* the outcome codes' names and labels, in tables the choice field points at */
	f->owned = tab = xcalloc(2 * OUTCOME_COUNT, sizeof *tab);
	for (int c = 0; c < OUTCOME_COUNT; c++) {
		tab[c] = outcome_name((enum outcome_code)c);
		tab[OUTCOME_COUNT + c] = outcome_label((enum outcome_code)c);
	}
	f->n = OF_COUNT;
	f->f = v = xcalloc(OF_COUNT, sizeof *f->f);
	field_choice(&v[OF_MODE], "mode", "Action", mode_values, mode_labels, 3);
	v[OF_MODE].choice = (int)mode;
	field_choice(&v[OF_CODE], "code", "Reason", tab, tab + OUTCOME_COUNT, OUTCOME_COUNT);
	field_text(&v[OF_NOTE], "note", "Notes", 0, 2000, valid_note);
	v[OF_NOTE].kind = FK_LONGTEXT;
	v[OF_NOTE].rows = 4;
	f->relayout = outcome_relayout;
	outcome_relayout(f);
}

enum tui_outcome_mode
tui_outcome_mode(const struct tui_form *f)
{
	return (enum tui_outcome_mode)f->f[OF_MODE].choice;
}

enum action
tui_outcome_action(const struct tui_form *f)
{
	return tui_outcome_mode(f) == OM_OUTCOME ? ACT_OUTCOME : ACT_STEP;
}

/* ---- sign-off ---- */

static const char *const verdict_values[] = { "approve", "return" };
static const char *const verdict_labels[] = {
	"Approve the decision", "Return it with a comment",
};

static const char *
valid_comment(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	char *cause = NULL;

	if (f->f[SF_VERDICT].choice == 0)
		return NULL;
	if (action_check_rationale(f->f[i].edit.text, &cause) == 0)
		return NULL;
	free(cause);
	snprintf(msg, msgsz, "%zu of the %d characters a comment needs (spaces not counted)",
	    rationale_chars(f->f[i].edit.text), ACTION_MIN_RATIONALE);
	return msg;
}

void
tui_signoff_init(struct tui_form *f)
{
	struct tui_field *v;

	memset(f, 0, sizeof *f);
	f->n = SF_COUNT;
	f->f = v = xcalloc(SF_COUNT, sizeof *f->f);
	field_choice(&v[SF_VERDICT], "verdict", "Verdict", verdict_values, verdict_labels, 2);
	field_text(&v[SF_COMMENT], "comment", "Comment", 0, 2000, valid_comment);
	v[SF_COMMENT].kind = FK_LONGTEXT;
	v[SF_COMMENT].rows = 3;
}

int
tui_signoff_approve(const struct tui_form *f)
{
	return f->f[SF_VERDICT].choice == 0;
}
