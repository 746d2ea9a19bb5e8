/* history.c: a child's history worked out from the log, as facts the rules read and the record keeps. */
#include "core/history.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/json.h"
#include "base/names.h"
#include "base/time.h"
#include "core/actions.h"
#include "core/audit.h"
#include "core/outcomes.h"
#include "store/dlog.h"

int
history_used(const struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nfacts; i++)
		if (rules_history_fact(rs->facts[i].path) != NULL)
			return 1;
	return 0;
}

int64_t
history_contact_time(const char *facts, size_t len, int64_t fallback)
{
	struct json_doc d;
	int64_t at = fallback;
	char text[64], *cause = NULL;
	int i;

	json_doc_init(&d);
	if (json_parse(&d, facts, len, &cause) == 0 && d.ntok > 0 && d.tok[0].type == JSMN_OBJECT &&
	    (i = json_object_get(&d, 0, "received")) >= 0 && d.tok[i].type == JSMN_STRING &&
	    !json_has_escape(&d, i) && JSON_TOK_LEN(&d, i) < sizeof text) {
		memcpy(text, JSON_TOK_PTR(&d, i), JSON_TOK_LEN(&d, i));
		text[JSON_TOK_LEN(&d, i)] = '\0';
		if (parse_utc(text, &at) < 0)
			at = fallback;
	}
	free(cause);
	json_doc_free(&d);
	return at;
}

/* Whole calendar months from `from` to `to` (UTC), or -1 if to is before from. */
static int
whole_months(int64_t from, int64_t to)
{
	time_t a = (time_t)from, b = (time_t)to;
	struct tm x, y;
	int months;

	if (to < from || gmtime_r(&a, &x) == NULL || gmtime_r(&b, &y) == NULL)
		return -1;
	months = (y.tm_year - x.tm_year) * 12 + (y.tm_mon - x.tm_mon);
	if (y.tm_mday < x.tm_mday || (y.tm_mday == x.tm_mday &&
	    y.tm_hour * 3600 + y.tm_min * 60 + y.tm_sec < x.tm_hour * 3600 + x.tm_min * 60 + x.tm_sec))
		months--;
	return months < 0 ? 0 : months;
}

struct history_walk {
	struct history *h;
	const struct ruleset *rs;	/* what the outcome codes mean */
	int64_t at;
};

/* Folds one earlier record of the case into its history. */
static int
history_add(const struct record *r, void *argp)
{
	struct history_walk *w = argp;
	struct history *h = w->h;
	struct outcome_code oc;
	int64_t received;

	h->last_seq = r->seq;
	switch (r->kind) {
	case KIND_ROUTE:
	case KIND_OVERRIDE:
		h->contacts++;
		received = history_contact_time(r->facts.p, r->facts.n, r->time);
		h->contacts_12m += (unsigned)audit_rereferral(received, w->at);
		h->last_route = r->route;
		break;
	case KIND_CORRECTION:
		if (r->route != RECORD_NONE)
			h->last_route = r->route;
		break;
	case KIND_OUTCOME:
		if (!dlog_outcome_closes(r))
			break;	/* progress: the case stayed open */
		h->last_closed = r->time;
		if (outcome_lookup(w->rs, r->outcome.p, r->outcome.n, &oc) == 0 &&
		    oc.declines_early_help)
			h->early_help_declined = 1;
		break;
	case KIND_STEP_UP:
		h->stepped_up = 1;
		h->last_route = r->route != RECORD_NONE ? r->route : ROUTE_MASH;
		break;
	case KIND_STEP_DOWN:
		if (r->route != RECORD_NONE)
			h->last_route = r->route;
		break;
	default:
		break;
	}
	return 0;
}

int
history_read(struct store_txn *t, const struct ruleset *rs, const char *case_id, size_t len,
    int64_t at, struct history *h)
{
	struct history_walk w = { h, rs, at };
	char *cause = NULL;

	memset(h, 0, sizeof *h);
	h->last_route = -1;
	h->months_since_closure = -1;
	if (dlog_case_records(t, case_id, len, history_add, &w, &cause) < 0) {
		store_fail(t, "%s", cause != NULL ? cause : "cannot read the case's history");
		free(cause);
		return -1;
	}
	if (h->last_closed > 0)
		h->months_since_closure = whole_months(h->last_closed, at);
	return 0;
}

/* Writes one history fact's value as JSON; 0 if the history has none to give. */
static int
write_value(struct buf *out, const struct history *h, const char *name)
{
	if (strcmp(name, "history.contacts") == 0)
		buf_printf(out, "%u", h->contacts);
	else if (strcmp(name, "history.contacts_12m") == 0)
		buf_printf(out, "%u", h->contacts_12m);
	else if (strcmp(name, "history.last_route") == 0 && h->last_route >= 0 &&
	    h->last_route < ROUTE_COUNT)
		buf_printf(out, "\"%s\"", route_name((enum route_id)h->last_route));
	else if (strcmp(name, "history.months_since_closure") == 0 && h->months_since_closure >= 0)
		buf_printf(out, "%d", h->months_since_closure);
	else if (strcmp(name, "history.early_help_declined") == 0)
		buf_adds(out, h->early_help_declined ? "true" : "false");
	else if (strcmp(name, "history.stepped_up") == 0)
		buf_adds(out, h->stepped_up ? "true" : "false");
	else
		return 0;
	return 1;
}

/* The history facts the rule set declares and the history has a value for, as members. */
static void
write_members(struct buf *out, const struct ruleset *rs, const struct history *h, int first)
{
	for (size_t i = 0; i < rs->nfacts; i++) {
		const char *path = rs->facts[i].path;
		size_t mark = out->len;

		if (rules_history_fact(path) == NULL)
			continue;
		buf_printf(out, "%s\"%s\":", first ? "" : ",", path + 8);
		if (!write_value(out, h, path)) {
			out->len = mark;	/* nothing to say: the fact stays missing */
			continue;
		}
		first = 0;
	}
}

/* -1 with a cause if the case's own `history` object gives a fact frontdoor works out. */
static int
refuse_given(const struct json_doc *d, int obj, char **cause)
{
	int k = obj + 1;

	for (int n = 0; n < d->tok[obj].size; n++, k = json_skip(d, k + 1)) {
		char path[64];

		if (JSON_TOK_LEN(d, k) + 9 > sizeof path)
			continue;
		snprintf(path, sizeof path, "history.%.*s", (int)JSON_TOK_LEN(d, k),
		    JSON_TOK_PTR(d, k));
		if (rules_history_fact(path) != NULL) {
			*cause = xasprintf("the case gives '%s', which frontdoor works out from the "
			    "log when it records a decision: leave it out", path);
			return -1;
		}
	}
	return 0;
}

/* The offset just before the closing brace of the object at token i. */
static size_t
object_end(const struct json_doc *d, int i)
{
	return (size_t)d->tok[i].end - 1;
}

int
history_add_to_facts(const struct ruleset *rs, const struct history *h, const char *facts,
    size_t len, struct buf *out, char **cause)
{
	struct json_doc d;
	size_t at;
	int hist, rc = -1;

	json_doc_init(&d);
	if (json_parse(&d, facts, len, cause) < 0)
		goto out;
	if (d.ntok == 0 || d.tok[0].type != JSMN_OBJECT) {
		*cause = xstrdup("a case must be one JSON object");
		goto out;
	}
	buf_reset(out);
	hist = json_object_get(&d, 0, "history");
	if (hist >= 0) {	/* the form's own history facts: add ours among them */
		if (d.tok[hist].type != JSMN_OBJECT) {
			*cause = xstrdup("'history' in the case must be an object");
			goto out;
		}
		if (refuse_given(&d, hist, cause) < 0)
			goto out;
		at = object_end(&d, hist);
		buf_add(out, facts, at);
		write_members(out, rs, h, d.tok[hist].size == 0);
	} else {
		at = object_end(&d, 0);
		buf_add(out, facts, at);
		buf_adds(out, d.tok[0].size > 0 ? ",\"history\":{" : "\"history\":{");
		write_members(out, rs, h, 1);
		buf_addc(out, '}');
	}
	buf_add(out, facts + at, (size_t)d.tok[0].end - at);
	rc = 0;
out:
	json_doc_free(&d);
	return rc;
}

int
history_decide(struct store_txn *t, const struct ruleset *rs, const char *facts, size_t len,
    int64_t now, struct buf *facts_out, struct case_facts *cf, struct decision *dec,
    struct trace *tr, char **cause)
{
	char id[CASE_ID_MAX];
	size_t idlen;
	struct history h;

	if (case_parse(cf, facts, len, cause) < 0)
		return 1;
	idlen = cf->case_id_len < sizeof id ? cf->case_id_len : sizeof id;
	memcpy(id, cf->case_id, idlen);
	if (history_read(t, rs, id, idlen, history_contact_time(facts, len, now), &h) < 0)
		return -1;
	if (history_add_to_facts(rs, &h, facts, len, facts_out, cause) < 0 ||
	    case_parse(cf, facts_out->data, facts_out->len, cause) < 0)
		return 1;
	if (tr != NULL)
		trace_reset(tr);
	if (engine_decide(rs, cf, dec, tr) < 0) {
		*cause = xstrdup("no rule matched");
		return 1;
	}
	return 0;
}

struct preview_arg {
	const struct ruleset *rs;
	const char *case_id;
	size_t len;
	int64_t at;
	struct history h;
};

static int
preview_txn(struct store_txn *t, void *argp)
{
	struct preview_arg *a = argp;

	return history_read(t, a->rs, a->case_id, a->len, a->at, &a->h);
}

int
history_preview(struct store *s, const struct ruleset *rs, const char *facts, size_t len,
    int64_t now, struct buf *out, char **cause)
{
	struct preview_arg a = { rs, NULL, 0, history_contact_time(facts, len, now), { 0 } };
	struct json_doc d;
	int i, rc = -1;

	json_doc_init(&d);
	if (json_parse(&d, facts, len, cause) < 0)
		goto out;
	if (d.ntok == 0 || d.tok[0].type != JSMN_OBJECT ||
	    (i = json_object_get(&d, 0, "case_id")) < 0 || d.tok[i].type != JSMN_STRING ||
	    json_has_escape(&d, i)) {
		*cause = xstrdup("the case has no plain case_id to read its history by");
		goto out;
	}
	a.case_id = JSON_TOK_PTR(&d, i);
	a.len = JSON_TOK_LEN(&d, i);
	if (store_read(s, preview_txn, &a, cause) < 0)
		goto out;
	rc = history_add_to_facts(rs, &a.h, facts, len, out, cause);
out:
	json_doc_free(&d);
	return rc;
}
