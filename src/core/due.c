/* due.c: the timescales of open cases: MASH decisions, step-ups and sign-offs, in working days. */
#include "core/due.h"

#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

const char *
due_what_name(enum due_what w)
{
	static const char *const names[] = { "-", "decision", "step-up", "sign-off" };

	return (unsigned)w < DUE_WHAT_COUNT ? names[w] : "?";
}

int
due_urgency_parse(const char *s, size_t n)
{
	for (int u = URGENCY_GREEN; u <= URGENCY_RED; u++) {
		const char *name = urgency_name((enum urgency)u);

		if (n == strlen(name) && memcmp(s, name, n) == 0)
			return u;
	}
	return URGENCY_NONE;
}

int
due_detail_urgency(struct json_doc *doc, const struct rbytes *detail)
{
	char *cause = NULL;
	int i;

	if (detail->n == 0 || json_parse(doc, detail->p, detail->n, &cause) < 0 ||
	    doc->tok[0].type != JSMN_OBJECT) {
		free(cause);
		return URGENCY_NONE;
	}
	if ((i = json_object_get(doc, 0, "confirmed_urgency")) < 0)
		i = json_object_get(doc, 0, "urgency");
	if (i < 0 || doc->tok[i].type != JSMN_STRING)
		return URGENCY_NONE;
	for (int u = URGENCY_GREEN; u <= URGENCY_RED; u++) {
		const char *name = urgency_name((enum urgency)u);

		if (json_eq(doc, i, name, strlen(name)))
			return u;
	}
	return URGENCY_NONE;
}

int64_t
due_mash_decision(const struct calendar *c, int64_t start, int urgency)
{
	if (urgency == URGENCY_RED)
		return start + DUE_RED_HOURS * INT64_C(3600);
	return calendar_end_of_working_day(c, start, 1);
}

int64_t
due_sign_off(const struct calendar *c, int64_t made)
{
	return calendar_end_of_working_day(c, made, 1);
}

void
due_walk_init(struct due_walk *w, const struct calendar *c, uint64_t awaiting)
{
	memset(w, 0, sizeof *w);
	w->cal = c;
	w->awaiting = awaiting;
}

/* Keeps the earlier of two due items in *d, and the higher urgency. */
static void
due_keep(struct due *d, enum due_what what, int64_t at, int urgency)
{
	if (d->at == 0 || at < d->at) {
		d->at = at;
		d->what = what;
	}
	if (urgency > d->urgency)
		d->urgency = urgency;
}

void
due_walk_add(struct due_walk *w, const struct record *r, int urgency, int64_t received)
{
	int contact = r->kind == KIND_ROUTE || r->kind == KIND_OVERRIDE;

	if (r->seq == w->awaiting)
		w->signoff_from = r->time;
	if (r->kind == KIND_OUTCOME) {
		memset(&w->mash, 0, sizeof w->mash);
		w->urgency = URGENCY_NONE;
		return;
	}
	if ((contact || r->kind == KIND_STEP_UP) && urgency > w->urgency)
		w->urgency = urgency;
	if (r->route == RECORD_NONE || r->kind == KIND_SIGN_OFF)
		return;
	if (r->route != ROUTE_MASH) {
		memset(&w->mash, 0, sizeof w->mash);	/* off the MASH: nothing due there */
		return;
	}
	if (contact)
		due_keep(&w->mash, DUE_MASH_DECISION, due_mash_decision(w->cal,
		    received > 0 ? received : r->time, urgency), urgency);
	else if (r->kind == KIND_STEP_UP)
		due_keep(&w->mash, DUE_STEP_UP, due_mash_decision(w->cal, r->time, urgency),
		    urgency);
}

void
due_walk_result(const struct due_walk *w, struct due *out)
{
	*out = w->mash;
	out->urgency = w->urgency;
	if (w->awaiting != 0 && w->signoff_from != 0) {
		int64_t at = due_sign_off(w->cal, w->signoff_from);

		if (out->at == 0 || at < out->at) {
			out->at = at;
			out->what = DUE_SIGN_OFF;
		}
	}
}

int
due_overdue(const struct due *d, int64_t now)
{
	return d->at != 0 && now > d->at;
}
