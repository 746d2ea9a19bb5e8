/* demo.c: a deterministic demo database of synthetic contacts, routed by the real engine. */
#include "core/demo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/actions.h"
#include "core/outcomes.h"
#include "core/dueindex.h"
#include "store/dlog.h"
#include "rules/engine.h"
#include "store/roles.h"
#include "store/ledger.h"
#include "store/rulestore.h"

/*
 * Everything comes from one xorshift generator with a fixed seed and a fixed
 * clock, so two demos built from the same rule file and count are identical
 * record for record (the same log head). Users:
 *   the invoking user  manager (route, outcomes, steps, sign-off, audit)
 *   demo-admin         admin (publishes the rules)
 *   a.khan j.smith r.patel  officers (routing decisions and overrides)
 *   m.jones            early_help (outcomes, step-ups and step-downs)
 *   s.lee              manager (signs off overrides and step-downs)
 */
#define DEMO_SEED UINT64_C(0x9e3779b97f4a7c15)
#define DEMO_NOW INT64_C(1795194000)	/* 2026-11-20T17:00:00Z, a Friday */
#define DEMO_DAYS 426			/* about 14 months */
#define DEMO_MAX_CONTACTS 100000
#define DEMO_CHUNK 2000			/* records per write transaction */
#define HOUR 3600
#define DAY 86400
#define NO_TARGET ((size_t)-1)

struct demo_rng {
	uint64_t s;
};

struct demo_child {
	char id[16];
	char name[64];
	int age0;			/* age at the first contact, -1 unknown */
	int64_t first;			/* first contact's receipt */
	int district;
	int64_t busy_until;		/* its last event so far */
};

/* One record to write, in the order of its time once sorted. */
struct demo_event {
	int64_t time;
	size_t order;			/* generation order: ties and references */
	enum record_kind kind;
	size_t child;
	int route, level, rec_route, rec_level, need_level;
	const char *rule, *actor, *role, *rationale, *outcome;
	char *facts, *detail;		/* owned */
	size_t target;			/* the event a sign-off refers to */
	uint64_t ref;			/* its sequence number, once sorted */
};

/* The consent fact's values as the demo draws them: those given plainly, those with a reason. */
struct demo_consent {
	const char *plain[RULES_MAX_STRING_VALUES], *asked[RULES_MAX_STRING_VALUES];
	size_t nplain, nasked;
};

struct demo {
	const struct ruleset *rs;
	int *agency_weight;		/* per agency of the council */
	int agency_total;
	struct demo_consent consent;
	struct demo_rng rng;
	struct case_facts cf;
	struct trace tr;
	struct buf facts, detail;
	int *by_level[5];		/* indicator indexes per level */
	size_t nby_level[5];
	struct demo_child *children;
	size_t nchildren;
	struct demo_event *ev;
	size_t nev, evcap;
};

/* What the write transactions need. */
struct demo_write {
	const char *text;
	size_t len;
	const char *user;
	unsigned char ruleset[DIGEST_LEN];
	struct demo_event *ev;
	size_t from, to;
	uint64_t base;		/* records before the first event: the publication and grants */
	int last;
	struct buf scratch;
};

static const char *const demo_given[] = {
	"Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Noah", "Mia", "Jack", "Ivy",
	"Leo", "Freya", "Arthur", "Lily", "Muhammad", "Florence", "Oscar", "Willow", "Charlie",
	"Sophia", "Jacob", "Evie", "Tommy", "Poppy", "Alfie", "Grace", "Reggie", "Ruby",
	"Kai", "Amara", "Zain", "Aisha", "Chloé", "Renée", "Joel", "Niamh", "Dylan", "Siobhán",
	"Kacper", "Zofia",
};

static const char *const demo_family[] = {
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
	"Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
	"Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Hussain", "Begum", "Ali",
	"Kowalski", "Nowak", "O'Brien", "Murphy", "Kelly", "Okafor", "Mensah", "Adeyemi",
	"Müller", "Dubois", "García", "Santos", "Popescu", "Horváth", "Novák",
};

/* Full names in other scripts and with accents: the queue must show them right. */
static const char *const demo_special[] = {
	"Zoë Brontë", "Łukasz Nowak", "Ayşe Yılmaz", "Søren Ødegaard", "Nguyễn Văn An",
	"Мария Иванова", "محمد علي",
};

/*
 * How often each referral source of the Children in Need census refers, out
 * of 100, by the number its code starts with: 1 individuals, 2 schools and
 * education, 3 health, 4 housing, 5 local authority services, 6 police, 7
 * other legal agency, 8 other, 9 anonymous, 10 unknown. The council's
 * agencies share their source's weight, so a demo on any council's rules is
 * referred to as a front door is.
 */
static const int demo_source_weight[] = { 0, 7, 30, 18, 5, 4, 22, 3, 8, 3, 1 };

/*
 * How often an early help episode closes with each of the rule set's first
 * four closures, out of 100; later ones are left to real use.
 */
static const int demo_closure_weight[] = { 50, 25, 15, 10 };

static const char *const demo_officers[] = { "a.khan", "j.smith", "r.patel" };

static const char *const demo_up_reasons[] = {
	"Police report a second incident this month; the MASH should see the full history "
	    "before any early help is offered.",
	"School describes escalating neglect that the indicators do not capture; the family "
	    "needs a coordinated targeted plan.",
	"Parent disclosed controlling behaviour by a partner during the call; this needs "
	    "screening with police checks.",
	"Needs are long-standing and recurring despite two early help episodes, so the "
	    "response steps up a level.",
};

static const char *const demo_down_reasons[] = {
	"Family is already open to the Family Service, so the EHU can coordinate without a "
	    "new referral.",
	"The referrer's concerns are met by the school nurse and health visitor already "
	    "involved; no referral is needed.",
	"Police risk assessment is standard and the child was not present; early help with "
	    "consent is proportionate.",
};

static const char *const demo_feedback[] = {
	"Referrer told of the decision by phone the same day.",
	"Referrer emailed the decision and the EHU contact details.",
	"Referrer asked to continue support and to re-refer if concerns grow.",
};

/*
 * A closing note for each of the first four closures: for the codes of
 * earlier versions (a rule set listing none), in their order; else notes
 * that fit any closure.
 */
static const char *const demo_notes[2][FD_ARRAY_LEN(demo_closure_weight)] = {
	{
		"Plan reviewed with the family; every outcome achieved.",
		"School and health visitor will continue support.",
		"Family declined further support at the review meeting.",
		"Family moved to another county; records transferred.",
	}, {
		"Closure agreed with the family at the review meeting.",
		"Referrer told of the closure and how to refer again.",
		"Closing summary sent to the school and the health visitor.",
		"Closure discussed in supervision before it was recorded.",
	},
};

static uint64_t
demo_next(struct demo_rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

/* A number in [0, n). */
static size_t
demo_below(struct demo_rng *r, size_t n)
{
	return n == 0 ? 0 : (size_t)(demo_next(r) % n);
}

/* Whether an event with the given chance in 100 happens. */
static int
demo_chance(struct demo_rng *r, int percent)
{
	return (int)demo_below(r, 100) < percent;
}

/* Draws one of the rule set's first closures by demo_closure_weight; its position among them. */
static size_t
demo_closure(struct demo *d, const char **id)
{
	size_t pos[FD_ARRAY_LEN(demo_closure_weight)], n = 0, k;
	struct outcome_code oc;
	int total = 0, x;

	for (size_t i = 0; i < outcome_count(d->rs) && n < FD_ARRAY_LEN(pos); i++) {
		outcome_at(d->rs, i, &oc);
		if (oc.closes) {
			total += demo_closure_weight[n];
			pos[n++] = i;
		}
	}
	/* every rule set has a closure (the loader sees to it), so n > 0 */
	x = (int)demo_below(&d->rng, (size_t)total);
	for (k = 0; k + 1 < n && x >= demo_closure_weight[k]; k++)
		x -= demo_closure_weight[k];
	outcome_at(d->rs, pos[k], &oc);
	*id = oc.id;
	return k;
}

char *
demo_default_dir(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/frontdoor-demo", xdg);
	return xasprintf("%s/.local/share/frontdoor-demo", home != NULL ? home : ".");
}

/* Sorts the rule set's indicators by level, so a contact can draw a realistic mix. */
static void
demo_index_indicators(struct demo *d)
{
	const struct ruleset *rs = d->rs;

	for (int l = 1; l <= 4; l++) {
		d->by_level[l] = xcalloc(rs->nindicators ? rs->nindicators : 1, sizeof(int));
		for (size_t i = 0; i < rs->nindicators; i++)
			if (rs->indicators[i].level == l)
				d->by_level[l][d->nby_level[l]++] = (int)i;
	}
}

/* Adds one indicator of the level (if it has any) unless it is already chosen. */
static void
demo_pick_indicator(struct demo *d, int level, int *chosen, size_t *n)
{
	int ind;

	if (d->nby_level[level] == 0)
		return;
	ind = d->by_level[level][demo_below(&d->rng, d->nby_level[level])];
	for (size_t i = 0; i < *n; i++)
		if (chosen[i] == ind)
			return;
	chosen[(*n)++] = ind;
}

/*
 * Draws a contact's indicators: most contacts carry level 1 and 2 needs, a
 * quarter a significant (level 3) need, one in ten a level 4 one. Returns the
 * level of the worst need drawn (0 when none).
 */
static int
demo_indicators(struct demo *d, int *chosen, size_t *n)
{
	int roll = (int)demo_below(&d->rng, 100), top;
	size_t k;

	*n = 0;
	if (roll < 2)
		return 0;
	top = roll < 30 ? 1 : roll < 65 ? 2 : roll < 90 ? 3 : 4;
	k = top == 4 ? 1 : 1 + demo_below(&d->rng, top == 1 ? 2 : 3);
	for (size_t i = 0; i < k; i++)
		demo_pick_indicator(d, top, chosen, n);
	for (size_t i = demo_below(&d->rng, top == 1 ? 1 : 3); i > 0; i--)
		demo_pick_indicator(d, top == 1 ? 1 : 1 + (int)demo_below(&d->rng, (size_t)top - 1),
		    chosen, n);
	return top;
}

/*
 * Sorts the consent fact's values: those the form asks no reason for, in
 * order, the first taken as consent given; and those it asks why for (not
 * sought, not required), the last the one a safeguarding referral records
 * most. Either list stands in for the other when it is empty.
 */
static void
demo_index_consent(struct demo *d)
{
	struct demo_consent *c = &d->consent;
	int fi = rules_find_fact(d->rs, "consent");
	const struct form_field *q = fi >= 0 ? rules_form_question(d->rs, fi) : NULL;

	if (fi < 0 || d->rs->facts[fi].nvalues == 0)
		return;
	for (size_t k = 0; k < d->rs->facts[fi].nvalues; k++) {
		const char *v = d->rs->facts[fi].values[k];

		if (q != NULL && q->ask_why != NULL && q->ask_why[k])
			c->asked[c->nasked++] = v;
		else
			c->plain[c->nplain++] = v;
	}
	if (c->nasked == 0) {
		memcpy(c->asked, c->plain, c->nplain * sizeof *c->plain);
		c->nasked = c->nplain;
	} else if (c->nplain == 0) {
		memcpy(c->plain, c->asked, c->nasked * sizeof *c->asked);
		c->nplain = c->nasked;
	}
}

/* The consent recorded with a contact whose worst need is top; NULL when the rules have none. */
static const char *
demo_consent(struct demo *d, int top)
{
	const struct demo_consent *c = &d->consent;
	int x = (int)demo_below(&d->rng, 100);

	if (c->nplain == 0)
		return NULL;
	if (top == 4)
		return x < 40 ? c->asked[c->nasked - 1] : x < 75 ? c->asked[0] :
		    x < 95 ? c->plain[0] : c->plain[1 % c->nplain];
	return x < 70 ? c->plain[0] : x < 82 ? c->plain[1 % c->nplain] : c->asked[0];
}

/* Weighs the council's agencies by their referral source. */
static void
demo_index_agencies(struct demo *d)
{
	const struct council *c = &d->rs->council;
	int per_source[FD_ARRAY_LEN(demo_source_weight)] = { 0 };

	d->agency_weight = xcalloc(c->nagencies + 1, sizeof *d->agency_weight);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->nagencies; i++) {
			size_t src = (size_t)strtoul(c->agencies[i].cin_code, NULL, 10);

			if (src >= FD_ARRAY_LEN(demo_source_weight))
				src = FD_ARRAY_LEN(demo_source_weight) - 1;
			if (pass == 0)
				per_source[src]++;
			else {
				/* at least 1: every agency refers now and then */
				d->agency_weight[i] = demo_source_weight[src] / per_source[src];
				if (d->agency_weight[i] == 0)
					d->agency_weight[i] = 1;
				d->agency_total += d->agency_weight[i];
			}
		}
}

/* A referring agency of the council, drawn by weight; NULL when the rules list none. */
static const char *
demo_agency(struct demo *d)
{
	const struct council *c = &d->rs->council;
	int x;

	if (c->nagencies == 0)
		return NULL;
	x = (int)demo_below(&d->rng, (size_t)d->agency_total);
	for (size_t i = 0; i < c->nagencies; i++) {
		if (x < d->agency_weight[i])
			return c->agencies[i].id;
		x -= d->agency_weight[i];
	}
	return c->agencies[c->nagencies - 1].id;
}

/* A receipt time: mostly weekday office hours, some at night and at weekends. */
static int64_t
demo_received(struct demo *d)
{
	int64_t day, t;

	for (;;) {
		int64_t wday;

		day = DEMO_NOW / DAY - (int64_t)demo_below(&d->rng, DEMO_DAYS);
		wday = ((day + 4) % 7 + 7) % 7;
		if ((wday != 0 && wday != 6) || demo_chance(&d->rng, 30))
			break;
	}
	if (demo_chance(&d->rng, 80))
		t = day * DAY + 8 * HOUR + (int64_t)demo_below(&d->rng, 10 * HOUR);
	else
		t = day * DAY + (int64_t)demo_below(&d->rng, DAY);
	if (t > DEMO_NOW - HOUR)
		t = DEMO_NOW - HOUR - (int64_t)demo_below(&d->rng, 8 * HOUR);
	return t - t % 60;
}

static int
demo_time_cmp(const void *x, const void *y)
{
	const int64_t *a = x, *b = y;

	return (*a > *b) - (*a < *b);
}

/* A new child, or (now and then) one referred before and not still being worked on. */
static size_t
demo_child_for(struct demo *d, int64_t received)
{
	struct demo_child *c;
	size_t k;

	if (d->nchildren > 0 && demo_chance(&d->rng, 18)) {
		for (int tries = 0; tries < 8; tries++) {
			k = demo_below(&d->rng, d->nchildren);
			if (d->children[k].busy_until < received)
				return k;
		}
	}
	k = d->nchildren++;
	c = &d->children[k];
	snprintf(c->id, sizeof c->id, "D-%06zu", k + 1);
	if (k % 9 == 4)
		snprintf(c->name, sizeof c->name, "%s",
		    demo_special[(k / 9) % FD_ARRAY_LEN(demo_special)]);
	else {
		/* one draw per statement: C leaves the order of arguments unspecified */
		size_t family = demo_below(&d->rng, FD_ARRAY_LEN(demo_family));
		size_t given = demo_below(&d->rng, FD_ARRAY_LEN(demo_given));

		snprintf(c->name, sizeof c->name, "%s %s", demo_given[given], demo_family[family]);
	}
	c->age0 = demo_chance(&d->rng, 3) ? -1 : (int)demo_below(&d->rng, 18);
	c->first = received;
	c->district = d->rs->council.ndistricts > 0 ?
	    (int)demo_below(&d->rng, d->rs->council.ndistricts) : -1;
	c->busy_until = received;
	return k;
}

static void
demo_json_string(struct buf *b, const char *s)
{
	json_write_string(b, s, strlen(s));
}

/* Writes the case as the DESIGN.md contract has it, plus the child's name and district. */
static void
demo_write_facts(struct demo *d, const struct demo_child *c, int64_t received,
    const char *consent, const int *chosen, size_t n)
{
	struct buf *b = &d->facts;
	const char *agency;
	char when[32];
	int age = c->age0;

	if (age >= 0)
		age += (int)((received - c->first) / (365 * DAY));
	if (age > 17)
		age = 17;
	format_utc(received, when);
	buf_reset(b);
	buf_printf(b, "{\"case_id\":\"%s\",\"received\":\"%s\",\"child\":{\"name\":", c->id, when);
	json_write_string(b, c->name, strlen(c->name));
	if (age >= 0)
		buf_printf(b, ",\"age\":%d", age);
	if (c->district >= 0) {
		buf_adds(b, ",\"district\":");
		demo_json_string(b, d->rs->council.districts[c->district]);
	}
	buf_adds(b, "},\"referrer\":{");
	if ((agency = demo_agency(d)) != NULL) {
		buf_adds(b, "\"agency\":");
		demo_json_string(b, agency);
	}
	buf_adds(b, "}");
	if (consent != NULL) {
		buf_adds(b, ",\"consent\":");
		demo_json_string(b, consent);
	}
	buf_adds(b, ",\"indicators\":[");
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s\"%s\"", i ? "," : "", d->rs->indicators[chosen[i]].id);
	buf_adds(b, "]}");
}

static struct demo_event *
demo_event(struct demo *d, int64_t time, enum record_kind kind, size_t child)
{
	struct demo_event *e;

	if (d->nev == d->evcap) {
		d->evcap = d->evcap ? d->evcap * 2 : 256;
		d->ev = xreallocarray(d->ev, d->evcap, sizeof *d->ev);
	}
	e = &d->ev[d->nev];
	memset(e, 0, sizeof *e);
	e->time = time;
	e->order = d->nev++;
	e->kind = kind;
	e->child = child;
	e->route = e->level = e->rec_route = e->rec_level = e->need_level = RECORD_NONE;
	e->target = NO_TARGET;
	if (d->children[child].busy_until < time)
		d->children[child].busy_until = time;
	return e;
}

static int
demo_level_of(const struct ruleset *rs, int route)
{
	for (int l = 0; l < 4; l++)
		if (rs->levels[l].level != 0 && (int)rs->levels[l].route == route)
			return rs->levels[l].level;
	return route + 1;
}

/* A different route for an override: usually one level up or down. */
static int
demo_override_route(struct demo *d, int rec, const char **why)
{
	int up = rec == ROUTE_UNIVERSAL || (rec != ROUTE_MASH && demo_chance(&d->rng, 60));

	if (up) {
		*why = demo_up_reasons[demo_below(&d->rng, FD_ARRAY_LEN(demo_up_reasons))];
		return rec + 1;
	}
	*why = demo_down_reasons[demo_below(&d->rng, FD_ARRAY_LEN(demo_down_reasons))];
	return rec - 1;
}

/* The engine's detail plus what the officer added, as action_decide writes it. */
static void
demo_write_detail(struct demo *d, const struct decision *dec, int final)
{
	struct buf *b = &d->detail;

	buf_reset(b);
	engine_write_detail_json(b, d->rs, &d->cf, dec, &d->tr);
	b->len--;	/* reopen the object */
	if (demo_chance(&d->rng, 15))
		buf_printf(b, ",\"confirmed_urgency\":\"%s\"",
		    urgency_name((enum urgency)(URGENCY_GREEN + (int)demo_below(&d->rng, 3))));
	if (final == ROUTE_MASH)
		buf_printf(b, ",\"strategy_discussion\":%s",
		    demo_chance(&d->rng, 30) ? "true" : "false");
	if (demo_chance(&d->rng, 60)) {
		const char *f = demo_feedback[demo_below(&d->rng, FD_ARRAY_LEN(demo_feedback))];

		buf_adds(b, ",\"feedback\":");
		json_write_string(b, f, strlen(f));
	}
	buf_addc(b, '}');
}

/* A manager's sign-off of event `target`, if there is time for it before the demo's now. */
static void
demo_sign_off(struct demo *d, size_t target)
{
	int64_t when = d->ev[target].time + HOUR + (int64_t)demo_below(&d->rng, 30 * HOUR);
	struct demo_event *e;
	int approve = demo_chance(&d->rng, 90);

	if (when > DEMO_NOW || !demo_chance(&d->rng, 85))
		return;
	e = demo_event(d, when, KIND_SIGN_OFF, d->ev[target].child);
	e->actor = "s.lee";
	e->role = role_name(ROLE_MANAGER);
	e->target = target;
	e->outcome = approve ? "approved" : "returned";
	e->rationale = approve ? NULL : "The rationale does not say why the threshold is not "
	    "met; please add the police history.";
}

/* An early help worker's step up to the MASH, or down to targeted early help. */
static void
demo_step(struct demo *d, size_t child, int64_t when, int up)
{
	struct demo_event *e = demo_event(d, when, up ? KIND_STEP_UP : KIND_STEP_DOWN, child);

	e->route = up ? ROUTE_MASH : ROUTE_TARGETED_EARLY_HELP;
	e->level = demo_level_of(d->rs, e->route);
	e->actor = "m.jones";
	e->role = role_name(ROLE_EARLY_HELP);
	e->rationale = up ? "Concerns escalated during the early help plan: a new disclosure "
	    "was shared with the MASH today." : "Strategy discussion found no significant "
	    "harm; the family consented to targeted early help.";
}

/* Closes an early help case with a coded reason. */
static void
demo_outcome(struct demo *d, size_t child, int64_t when)
{
	struct demo_event *e = demo_event(d, when, KIND_OUTCOME, child);
	size_t k;

	e->actor = "m.jones";
	e->role = role_name(ROLE_EARLY_HELP);
	k = demo_closure(d, &e->outcome);
	if (demo_chance(&d->rng, 70))
		e->rationale = demo_notes[d->rs->council.noutcomes > 0][k];
}

/*
 * What happens after a decision, if there is time for it before the demo's
 * now: overrides are signed off; a few MASH cases step down (and are signed
 * off); a few early help cases step up; most others close with an outcome.
 */
static void
demo_follow_up(struct demo *d, size_t decision)
{
	size_t child = d->ev[decision].child;
	int64_t t = d->ev[decision].time, when;
	int route = d->ev[decision].route;

	if (d->ev[decision].kind == KIND_OVERRIDE)
		demo_sign_off(d, decision);
	if (route == ROUTE_MASH && demo_chance(&d->rng, 8)) {
		when = t + 2 * DAY + (int64_t)demo_below(&d->rng, 8 * DAY);
		if (when <= DEMO_NOW) {
			demo_step(d, child, when, 0);
			demo_sign_off(d, d->nev - 1);
		}
		return;
	}
	if (route != ROUTE_EARLY_HELP_UNIT && route != ROUTE_TARGETED_EARLY_HELP)
		return;
	if (demo_chance(&d->rng, 5)) {
		when = t + 3 * DAY + (int64_t)demo_below(&d->rng, 27 * DAY);
		if (when <= DEMO_NOW)
			demo_step(d, child, when, 1);
		return;
	}
	when = t + 14 * DAY + (int64_t)demo_below(&d->rng, 70 * DAY);
	if (when <= DEMO_NOW && demo_chance(&d->rng, 75))
		demo_outcome(d, child, when);
}

/* One contact: drawn, decided by the engine, maybe overridden, then followed up. */
static int
demo_contact(struct demo *d, int64_t received, char **cause)
{
	int chosen[16], top, final;
	size_t n, child = demo_child_for(d, received);
	const char *consent, *why = NULL;
	struct demo_event *e;
	struct decision dec;
	int64_t delay;

	top = demo_indicators(d, chosen, &n);
	consent = demo_consent(d, top);
	demo_write_facts(d, &d->children[child], received, consent, chosen, n);
	if (case_parse(&d->cf, d->facts.data, d->facts.len, cause) < 0)
		return -1;
	if (engine_decide(d->rs, &d->cf, &dec, &d->tr) < 0) {
		*cause = xstrdup("no rule matched a synthetic case");
		return -1;
	}
	final = demo_chance(&d->rng, 10) ? demo_override_route(d, (int)dec.route, &why)
	    : (int)dec.route;
	demo_write_detail(d, &dec, final);
	delay = demo_chance(&d->rng, 75) ? 20 * 60 + (int64_t)demo_below(&d->rng, 6 * HOUR) :
	    demo_chance(&d->rng, 60) ? 6 * HOUR + (int64_t)demo_below(&d->rng, 18 * HOUR) :
	    DAY + (int64_t)demo_below(&d->rng, 2 * DAY);
	if (received + delay > DEMO_NOW)
		delay = DEMO_NOW - received;
	e = demo_event(d, received + delay, why != NULL ? KIND_OVERRIDE : KIND_ROUTE, child);
	e->rec_route = (int)dec.route;
	e->rec_level = dec.level;
	e->need_level = dec.need_level;
	e->route = final;
	e->level = why != NULL ? demo_level_of(d->rs, final) : dec.level;
	e->rule = d->rs->rules[dec.rule].id;
	e->actor = demo_officers[demo_below(&d->rng, FD_ARRAY_LEN(demo_officers))];
	e->role = role_name(ROLE_OFFICER);
	e->rationale = why;
	e->facts = xstrndup(d->facts.data, d->facts.len);
	e->detail = xstrndup(d->detail.data, d->detail.len);
	demo_follow_up(d, d->nev - 1);
	return 0;
}

static int
demo_event_cmp(const void *x, const void *y)
{
	const struct demo_event *a = x, *b = y;

	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

/* Puts the events in time order and turns sign-off targets into sequence numbers. */
static void
demo_order(struct demo *d)
{
	uint64_t *seq_of;

	if (d->nev == 0)
		return;
	seq_of = xcalloc(d->nev, sizeof *seq_of);
	qsort(d->ev, d->nev, sizeof *d->ev, demo_event_cmp);
	for (size_t i = 0; i < d->nev; i++)
		seq_of[d->ev[i].order] = i + 1;
	for (size_t i = 0; i < d->nev; i++)
		if (d->ev[i].target != NO_TARGET)
			d->ev[i].ref = seq_of[d->ev[i].target];
	free(seq_of);
}

/* Generates every event of the demo in memory. */
static int
demo_generate(struct demo *d, int contacts, char **cause)
{
	int64_t *received = xcalloc((size_t)contacts + 1, sizeof *received);
	int rc = 0;

	for (int i = 0; i < contacts; i++)
		received[i] = demo_received(d);
	qsort(received, (size_t)contacts, sizeof *received, demo_time_cmp);
	d->children = xcalloc((size_t)contacts + 1, sizeof *d->children);
	for (int i = 0; i < contacts && rc == 0; i++)
		rc = demo_contact(d, received[i], cause);
	free(received);
	if (rc == 0)
		demo_order(d);
	return rc;
}

static void
demo_free(struct demo *d)
{
	for (size_t i = 0; i < d->nev; i++) {
		free(d->ev[i].facts);
		free(d->ev[i].detail);
	}
	free(d->ev);
	free(d->children);
	free(d->agency_weight);
	for (int l = 1; l <= 4; l++)
		free(d->by_level[l]);
	buf_free(&d->facts);
	buf_free(&d->detail);
	trace_free(&d->tr);
	case_free(&d->cf);
}

static struct rbytes
demo_rb(const char *s)
{
	struct rbytes b = { s, s != NULL ? strlen(s) : 0 };
	return b;
}

/* The users, and the rule set published a week before the first contact. */
static int
demo_setup_txn(struct store_txn *t, void *argp)
{
	static const struct { const char *name; enum role role; } staff[] = {
		{ "a.khan", ROLE_OFFICER }, { "j.smith", ROLE_OFFICER }, { "r.patel", ROLE_OFFICER },
		{ "m.jones", ROLE_EARLY_HELP }, { "s.lee", ROLE_MANAGER }, { "demo-admin", ROLE_ADMIN },
	};
	struct demo_write *w = argp;
	struct publication pub;
	struct ledger_actor admin = { "demo-admin", role_name(ROLE_ADMIN),
		DEMO_NOW - (DEMO_DAYS + 7) * (int64_t)DAY };
	struct dlog_head head;

	if (dlog_head(t, &head) < 0 || ledger_publish(t, &head, &admin, w->text, w->len, &pub) < 0)
		return -1;
	for (size_t i = 0; i < FD_ARRAY_LEN(staff); i++)
		if (ledger_grant(t, &head, &admin, staff[i].name, (int)staff[i].role) < 0)
			return -1;
	if (ledger_grant(t, &head, &admin, w->user, ROLE_MANAGER) < 0)
		return -1;
	w->base = head.seq;
	return 0;
}

static void
demo_record(const struct demo_write *w, const struct demo_event *e, const char *case_id,
    struct record *r)
{
	memset(r, 0, sizeof *r);
	r->time = e->time;
	r->kind = e->kind;
	r->rec_route = e->rec_route;
	r->rec_level = e->rec_level;
	r->need_level = e->need_level;
	r->route = e->route;
	r->level = e->level;
	r->ref = e->ref != 0 ? e->ref + w->base : 0;
	r->has_ruleset = e->facts != NULL;
	if (r->has_ruleset)
		memcpy(r->ruleset, w->ruleset, DIGEST_LEN);
	r->actor = demo_rb(e->actor);
	r->role = demo_rb(e->role);
	r->case_id = demo_rb(case_id);
	r->engine = demo_rb(RECORD_ENGINE);
	r->rule = demo_rb(e->rule);
	r->rationale = demo_rb(e->rationale);
	r->outcome = demo_rb(e->outcome);
	r->facts = demo_rb(e->facts);
	r->detail = demo_rb(e->detail);
}

/* Appends events [from, to); the last chunk also marks the database as a demo. */
static int
demo_append_txn(struct store_txn *t, void *argp)
{
	struct demo_write *w = argp;
	struct dlog_head head;
	char case_id[16];

	if (dlog_head(t, &head) < 0)
		return -1;
	if (head.seq != w->base + w->from)
		return store_fail(t, "the demo database changed while it was being built");
	for (size_t i = w->from; i < w->to; i++) {
		struct record r;

		snprintf(case_id, sizeof case_id, "D-%06zu", w->ev[i].child + 1);
		demo_record(w, &w->ev[i], case_id, &r);
		if (dlog_append(t, &head, &r, &w->scratch) < 0)
			return -1;
	}
	if (w->last && store_put(t, TABLE_META, "demo", 4, "1", 1) < 0)
		return -1;
	return 0;
}

static int
demo_write_all(struct store *s, struct demo *d, struct demo_write *w, char **cause)
{
	int rc = store_write(s, demo_setup_txn, w, cause);

	w->ev = d->ev;
	buf_init(&w->scratch);
	for (w->from = 0; rc == 0; w->from = w->to) {
		w->to = d->nev - w->from > DEMO_CHUNK ? w->from + DEMO_CHUNK : d->nev;
		w->last = w->to == d->nev;
		rc = store_write(s, demo_append_txn, w, cause);
		if (w->last)
			break;
	}
	buf_free(&w->scratch);
	return rc;
}

static int
demo_meta_txn(struct store_txn *t, void *argp)
{
	struct store_val v;
	int rc = store_get(t, TABLE_META, "demo", 4, &v);

	if (rc < 0)
		return -1;
	*(int *)argp = rc == 0 && v.len == 1 && *(const char *)v.data == '1';
	return 0;
}

/* 1 if dir holds a finished demo, 0 if it holds no database, -1 otherwise. */
static int
demo_existing(const char *dir, char **cause)
{
	struct store_opts opts = { 0, 1, 0 };
	struct store *s;
	char *data = xasprintf("%s/data.mdb", dir);
	int exists = access(data, F_OK) == 0, is_demo = 0;

	free(data);
	if (!exists)
		return 0;
	if (store_open(&s, dir, &opts, cause) < 0)
		return -1;
	if (store_read(s, demo_meta_txn, &is_demo, cause) < 0) {
		store_close(s);
		return -1;
	}
	store_close(s);
	if (!is_demo) {
		*cause = xasprintf("%s already holds a database that is not a finished demo: "
		    "choose another directory (or remove this one if it is a broken demo)", dir);
		return -1;
	}
	return 1;
}

/* Creates the parents of a new database directory, private to the user. */
static int
demo_make_parents(const char *dir, char **cause)
{
	char *copy = xstrdup(dir);

	for (char *p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
			*cause = xasprintf("cannot create %s: %s", copy, strerror(errno));
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	return 0;
}

/* Loads and checks the rule file; its bytes stay in *text for publishing. */
static struct ruleset *
demo_load_rules(const char *path, char **text, size_t *len, char **cause)
{
	struct ruleset *rs;
	struct diag d;

	if (read_file(path, RULES_MAX_FILE, text, len, cause) < 0)
		return NULL;
	diag_init(&d, path, *text, *len);
	rs = rules_load_buffer(*text, *len, &d);
	if (rs == NULL)
		*cause = xasprintf("%s: rule file rejected: %d error%s (run frontdoor rules check)",
		    path, d.nerrors, d.nerrors == 1 ? "" : "s");
	diag_free(&d);
	return rs;
}

int
demo_create(const char *dir, const char *rules_path, const char *user, int contacts,
    char **cause)
{
	struct store_opts opts = { 1, 0, 0 };
	struct demo_write w;
	struct store *s = NULL;
	struct ruleset *rs;
	struct demo d;
	char *text = NULL;
	int rc;

	if (contacts < 0 || contacts > DEMO_MAX_CONTACTS || user == NULL || *user == '\0' ||
	    strlen(user) > 64) {
		*cause = xasprintf("a demo needs a user name and 0 to %d contacts", DEMO_MAX_CONTACTS);
		return -1;
	}
	if ((rc = demo_existing(dir, cause)) != 0)
		return rc < 0 ? -1 : 0;
	memset(&w, 0, sizeof w);
	if ((rs = demo_load_rules(rules_path, &text, &w.len, cause)) == NULL) {
		free(text);
		return -1;
	}
	memset(&d, 0, sizeof d);
	d.rs = rs;
	d.rng.s = DEMO_SEED;
	case_init(&d.cf, rs);
	trace_init(&d.tr);
	buf_init(&d.facts);
	buf_init(&d.detail);
	demo_index_indicators(&d);
	demo_index_agencies(&d);
	demo_index_consent(&d);
	w.text = text;
	w.user = user;
	digest_hex_decode(rs->hash, w.ruleset);
	rc = demo_generate(&d, contacts, cause);
	if (rc == 0 && (demo_make_parents(dir, cause) < 0 || store_open(&s, dir, &opts, cause) < 0))
		rc = -1;
	if (rc == 0)
		rc = demo_write_all(s, &d, &w, cause);
	/* the tray's index, built once the log is written rather than at each append */
	if (rc == 0)
		rc = dueindex_build(s, rules_calendar(rs), cause);
	store_close(s);
	demo_free(&d);
	rules_free(rs);
	free(text);
	return rc < 0 ? -1 : 0;
}
