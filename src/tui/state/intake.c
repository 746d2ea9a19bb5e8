/* intake.c: the new-contact form: its fields and checks, and the case JSON the engine sees. */
#include "tui/state/forms.h"

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

static const char *
valid_received(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	int64_t t;

	(void)msg;
	(void)msgsz;
	if (strcmp(f->f[i].edit.text, "now") == 0)
		return NULL;
	if (tui_parse_when(f->f[i].edit.text, &t) < 0)
		return "DD/MM/YYYY HH:MM or YYYY-MM-DD HH:MM in UTC, or 'now'";
	if (t < INT64_C(946684800))
		return "a date after 2000";
	if (f->now > 0 && t > f->now) {
		char when[32];

		format_utc(f->now, when);
		snprintf(msg, msgsz, "in the future: it is now %.10s %.5s UTC", when, when + 11);
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
valid_reported(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	return tui_valid_min_chars(f, i, msg, msgsz, 10);
}

static const char *
valid_reason(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	return tui_valid_min_chars(f, i, msg, msgsz, 5);
}

static void
intake_relayout(struct tui_form *f)
{
	const char *c = tui_form_value(f, IF_CONSENT);

	f->f[IF_CONSENT_REASON].hidden = strcmp(c, "not_sought") != 0 &&
	    strcmp(c, "not_required") != 0;
	/* a referrer may stay anonymous; otherwise the name is required, and marked */
	f->f[IF_REF_NAME].required = strcmp(tui_form_value(f, IF_REF_AGENCY), "anonymous") != 0;
}

void
tui_intake_init(struct tui_form *f)
{
	struct tui_field *v;

	memset(f, 0, sizeof *f);
	f->n = IF_COUNT;
	f->f = v = xcalloc(IF_COUNT, sizeof *f->f);
	tui_field_text(&v[IF_CASE_ID], "case_id", "Case id (blank: new)", 0, 40, valid_case_id);
	tui_field_text(&v[IF_REF_NAME], "referrer_name", "Referrer's name", 1, 80, NULL);
	tui_field_select(&v[IF_REF_AGENCY], "referrer_agency", "Agency", tui_agencies, agency_labels,
	    tui_nagencies);
	tui_field_text(&v[IF_REF_ROLE], "referrer_role", "Referrer's role", 0, 80, NULL);
	tui_field_text(&v[IF_REF_CONTACT], "referrer_contact", "Phone or email", 0, 80,
	    valid_contact);
	tui_field_choice(&v[IF_HOW], "how_received", "How received", how_values, how_labels,
	    FD_ARRAY_LEN(how_values));
	tui_field_text(&v[IF_RECEIVED], "received", "Received (UTC)", 1, 20, valid_received);
	tui_field_text(&v[IF_CHILD_NAME], "child_name", "Child's name", 1, 80, NULL);
	tui_field_text(&v[IF_DOB_AGE], "child_dob_age", "Date of birth or age", 0, 10,
	    valid_dob_age);
	tui_field_select(&v[IF_DISTRICT], "district", "District", district_values, district_labels,
	    FD_ARRAY_LEN(district_values));
	tui_field_text(&v[IF_SCHOOL], "school", "School or setting", 0, 80, NULL);
	tui_field_text(&v[IF_HOUSEHOLD], "household", "Household members", 0, 200, NULL);
	tui_field_narrative(&v[IF_REPORTED], "reported", "What was reported", 1, 3, valid_reported);
	tui_field_choice(&v[IF_BASIS], "basis", "Reported or seen", basis_values, basis_labels,
	    FD_ARRAY_LEN(basis_values));
	tui_field_select(&v[IF_CONSENT], "consent", "Consent", consent_values, consent_labels,
	    FD_ARRAY_LEN(consent_values));
	tui_field_text(&v[IF_CONSENT_REASON], "consent_reason", "Why (consent)", 1, 300,
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
	int64_t received = form_received(in), dob;
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
	if (age >= 0 && parse_entered(in->f[IF_DOB_AGE].edit.text, &dob, NULL) == 0) {
		format_utc(dob, when);
		when[10] = '\0';	/* always YYYY-MM-DD, whichever way it was typed */
		json_member(out, &first, "dob", when);
	}
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
