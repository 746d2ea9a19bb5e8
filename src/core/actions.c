/* actions.c: decisions, outcomes, steps, sign-offs and corrections, each one durable record. */
#include "core/actions.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/dlog.h"
#include "rules/engine.h"
#include "store/ledger.h"
#include "store/roles.h"
#include "core/due.h"
#include "core/dueindex.h"
#include "core/history.h"
#include "core/outcomes.h"
#include "core/rulesets.h"


static struct rbytes
rb(const char *s)
{
	struct rbytes b = { s, s != NULL ? strlen(s) : 0 };
	return b;
}

int
action_check_text(const char *text, const char *what, char **cause)
{
	const unsigned char *p = (const unsigned char *)(text != NULL ? text : "");
	size_t len = strlen((const char *)p);

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		/* the text itself is never quoted: it may be anything, personal data too */
		if (n == 0) {
			*cause = xasprintf("%s is not valid UTF-8", what);
			return -1;
		}
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp <= 0x9f)) {
			*cause = xasprintf("%s holds a control character (only newline and tab "
			    "may be used)", what);
			return -1;
		}
		i += n;
	}
	return 0;
}

int
action_check_rationale(const char *text, char **cause)
{
	size_t chars = 0;

	if (action_check_text(text, "the rationale", cause) < 0)
		return -1;
	for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++)
		if ((*p & 0xc0) != 0x80 && !isspace(*p))
			chars++;
	if (chars < ACTION_MIN_RATIONALE) {
		*cause = xasprintf("a rationale needs at least %d characters (not counting spaces) "
		    "so that it says why", ACTION_MIN_RATIONALE);
		return -1;
	}
	return 0;
}

/* One record to append, the action it needs, and checks made inside the transaction. */
struct append_job {
	const char *user;
	enum action act;
	struct record r;
	const unsigned char *require_rules;	/* the rule set that must still be in force */
	uint64_t target;			/* a record this one refers to */
	int target_awaiting;			/* the target must await sign-off */
	int case_must_exist, case_must_be_new;
	int what;			/* enum case_act the case must allow, or -1 */
	/* fills the record inside the transaction, after the checks of who and which rules */
	int (*prepare)(struct store_txn *t, struct append_job *j);
	void *prepare_arg;
	const struct calendar *cal;	/* the tray's due times count in it (NULL: the
					   calendar of the rule set in force) */
	struct buf scratch;
	char role[16];
	char detail[96];		/* an outcome's: progress, a change awaiting sign-off */
	int progress;			/* an outcome that leaves the case open */
	unsigned char rules_hash[DIGEST_LEN];
	struct append_job *then;	/* an outcome closing the case in the same transaction */
};

/* Finds the sign-off of one record among its case's records. */
struct signed_arg {
	uint64_t target;
	char by[65], verdict[16];
	int found;
};

static int
find_signoff(const struct record *r, void *argp)
{
	struct signed_arg *a = argp;

	if (r->kind != KIND_SIGN_OFF || r->ref != a->target)
		return 0;
	snprintf(a->by, sizeof a->by, "%.*s", (int)r->actor.n, r->actor.p);
	snprintf(a->verdict, sizeof a->verdict, "%.*s", (int)r->outcome.n, r->outcome.p);
	a->found = 1;
	return 1;
}

/* Says why a record cannot be signed off: already signed off, or replaced by a newer one. */
static int
not_awaiting(struct store_txn *t, const struct record *target, const struct case_state *cs,
    uint64_t seq)
{
	struct signed_arg a;
	char *cause = NULL;

	memset(&a, 0, sizeof a);
	a.target = seq;
	if (target->case_id.n > 0 && dlog_case_records(t, target->case_id.p, target->case_id.n,
	    find_signoff, &a, &cause) < 0) {
		free(cause);
		return store_fail(t, "record %llu is not awaiting sign-off", (unsigned long long)seq);
	}
	if (a.found)
		return store_fail(t, "#%llu has already been signed off (%s by %s): nothing "
		    "was written", (unsigned long long)seq, a.verdict, a.by);
	if (cs->awaiting_signoff != 0)
		return store_fail(t, "#%llu no longer awaits sign-off: the newer #%llu on the "
		    "same case does", (unsigned long long)seq,
		    (unsigned long long)cs->awaiting_signoff);
	return store_fail(t, "record %llu is not awaiting sign-off", (unsigned long long)seq);
}

static int
check_target(struct store_txn *t, struct append_job *j)
{
	struct record target;
	struct case_state cs;
	char *cause = NULL;
	int rc = dlog_get(t, j->target, &target, &cause);

	if (rc != 0) {
		free(cause);
		return store_fail(t, "there is no record %llu", (unsigned long long)j->target);
	}
	j->r.case_id = target.case_id;	/* valid until the transaction ends */
	if (!j->target_awaiting)
		return 0;
	if (dlog_case_state(t, target.case_id.p, target.case_id.n, &cs) != 0 ||
	    cs.awaiting_signoff != j->target)
		return not_awaiting(t, &target, &cs, j->target);
	if (target.actor.n == strlen(j->user) && memcmp(target.actor.p, j->user, target.actor.n) == 0)
		return store_fail(t, "refused: a decision is signed off by someone other than "
		    "the person who made it");
	return 0;
}

/*
 * Whether a case is the MASH's: on that route, or moved off it by a change
 * (step-down, override or route correction) that no manager has approved:
 * one awaiting sign-off or returned at it.
 */
static int
case_with_mash(const struct case_state *cs)
{
	return cs->route == ROUTE_MASH ||
	    ((cs->awaiting_signoff != 0 || cs->returned) && cs->changed_from == ROUTE_MASH);
}

int
action_case_rule(const struct case_state *cs, enum role role, enum case_act what, char **cause)
{
	const char *why = NULL;

	switch (what) {
	case CASE_ACT_OUTCOME:
		if (cs->status != CASE_OPEN)
			why = "the case is closed";
		else if (cs->awaiting_signoff != 0 && role != ROLE_MANAGER) {
			*cause = xasprintf("#%llu on this case awaits a manager's sign-off: no "
			    "outcome until it is signed off (a manager can record one)",
			    (unsigned long long)cs->awaiting_signoff);
			return -1;
		} else if (role == ROLE_EARLY_HELP && case_with_mash(cs))
			/* a child with the MASH is social care's: early help does not close it */
			why = "the case is with the MASH: early help cannot close it "
			    "(a manager can, or step it down first)";
		break;
	case CASE_ACT_STEP_UP:
		if (cs->route == ROUTE_MASH)
			why = "the case is already with the MASH";
		else if (case_with_mash(cs))
			/* a step-up would leave the pending step-down to approve after it */
			why = "the case is still with the MASH: the change moving it off has not "
			    "been approved";
		break;
	case CASE_ACT_STEP_DOWN:
		/* a returned step-down is made again: the case is still the MASH's */
		if (cs->awaiting_signoff != 0 && cs->route != ROUTE_MASH) {
			*cause = xasprintf("#%llu on this case awaits a manager's sign-off: no "
			    "step-down until it is signed off",
			    (unsigned long long)cs->awaiting_signoff);
			return -1;
		}
		if (!case_with_mash(cs))
			why = "only a case with the MASH (social care) can be stepped down";
		break;
	}
	if (why == NULL)
		return 0;
	*cause = xstrdup(why);
	return -1;
}

/*
 * An outcome's route and detail from its case: progress names the route the
 * case stays open on; a manager's outcome over a change awaiting sign-off
 * says so.
 */
static int
outcome_fill(struct store_txn *t, struct append_job *j, const struct case_state *cs)
{
	int n = 0;

	if (j->progress) {
		if (cs->route == RECORD_NONE)
			return store_fail(t, "the case has no route to stay open on: a progress "
			    "outcome needs one");
		j->r.route = cs->route;
		j->r.level = cs->level;
	}
	if (cs->awaiting_signoff != 0)
		n = snprintf(j->detail, sizeof j->detail, "{\"while_awaiting_signoff\":%llu",
		    (unsigned long long)cs->awaiting_signoff);
	if (j->progress)
		n += snprintf(j->detail + n, sizeof j->detail - (size_t)n, "%s\"progress\":true",
		    n > 0 ? "," : "{");
	if (n > 0) {
		snprintf(j->detail + n, sizeof j->detail - (size_t)n, "}");
		j->r.detail = rb(j->detail);
	}
	return 0;
}

static int
check_case(struct store_txn *t, struct append_job *j, enum role role)
{
	struct case_state cs;
	char *cause = NULL;
	int rc = dlog_case_state(t, j->r.case_id.p, j->r.case_id.n, &cs);

	if (rc < 0)
		return -1;
	if (rc == 1)
		return store_fail(t, "there is no such case");
	if (j->what >= 0 && action_case_rule(&cs, role, (enum case_act)j->what, &cause) < 0) {
		store_fail(t, "%s", cause);
		free(cause);
		return -1;
	}
	return j->what == CASE_ACT_OUTCOME ? outcome_fill(t, j, &cs) : 0;
}

/* Reads the role and the case state, and applies the rule. */
struct case_check_arg {
	const char *user, *case_id;
	enum case_act what;
};

static int
case_check_txn(struct store_txn *t, void *argp)
{
	struct case_check_arg *a = argp;
	static const enum action needs[] = { ACT_OUTCOME, ACT_STEP, ACT_STEP };
	struct append_job j;
	enum role role;

	if (roles_require(t, a->user, needs[a->what], &role) < 0)
		return -1;
	memset(&j, 0, sizeof j);
	j.r.case_id = rb(a->case_id);
	j.what = (int)a->what;
	return check_case(t, &j, role);
}

int
action_case_check(struct store *s, const char *user, const char *case_id, enum case_act what,
    char **cause)
{
	struct case_check_arg a = { user, case_id, what };

	return store_read(s, case_check_txn, &a, cause) < 0 ? -1 : 0;
}

/*
 * Appends the outcome that closes a contact just decided, after the decision
 * in the same transaction: refused (and so the decision with it) unless the
 * final route is Universal and the case rule allows an outcome now.
 */
static int
append_closure(struct store_txn *t, struct append_job *first, struct dlog_head *head,
    enum role role)
{
	struct append_job *j = first->then;

	if (first->r.route != ROUTE_UNIVERSAL)
		return store_fail(t, "only a contact whose final route is %s can be closed when "
		    "it is decided: nothing was written", route_name(ROUTE_UNIVERSAL));
	j->r.case_id = first->r.case_id;
	j->r.time = first->r.time;
	j->r.role = first->r.role;
	if (check_case(t, j, role) < 0)
		return -1;
	return dueindex_append(t, head, &j->r, &first->scratch, first->cal);
}

static int
append_job_txn(struct store_txn *t, void *argp)
{
	struct append_job *j = argp;
	struct publication pub;
	struct dlog_head head;
	enum role role;

	if (roles_require(t, j->user, j->act, &role) < 0)
		return -1;
	snprintf(j->role, sizeof j->role, "%s", role_name(role));
	j->r.role = rb(j->role);
	if (j->require_rules != NULL) {
		if (ledger_active(t, &pub) != 0 ||
		    memcmp(pub.hash, j->require_rules, DIGEST_LEN) != 0)
			return store_fail(t, "the rules in force have changed: review the "
			    "recommendation again");
	}
	if (j->prepare != NULL && j->prepare(t, j) < 0)
		return -1;
	if (j->target != 0 && check_target(t, j) < 0)
		return -1;
	if (j->case_must_exist && check_case(t, j, role) < 0)
		return -1;
	if (j->case_must_be_new) {
		struct case_state cs;
		int rc = dlog_case_state(t, j->r.case_id.p, j->r.case_id.n, &cs);

		if (rc <= 0)
			return rc < 0 ? -1 : store_fail(t, "another contact has just taken this "
			    "case id: nothing was saved");
	}
	if (dlog_head(t, &head) < 0 || dueindex_append(t, &head, &j->r, &j->scratch, j->cal) < 0)
		return -1;
	return j->then != NULL ? append_closure(t, j, &head, role) : 0;
}

static int
run_job(struct store *s, struct append_job *j, uint64_t *seq, char **cause)
{
	int rc;

	j->r.time = (int64_t)time(NULL);
	j->r.actor = rb(j->user);
	j->r.engine = rb(RECORD_ENGINE);
	buf_init(&j->scratch);
	rc = store_write(s, append_job_txn, j, cause);
	buf_free(&j->scratch);
	if (rc == 0 && seq != NULL)
		*seq = j->r.seq;
	return rc;
}

static void
job_init(struct append_job *j, const char *user, enum action act, enum record_kind kind)
{
	memset(j, 0, sizeof *j);
	j->what = -1;
	j->user = user;
	j->act = act;
	j->r.kind = kind;
	j->r.rec_route = j->r.rec_level = j->r.need_level = RECORD_NONE;
	j->r.route = j->r.level = RECORD_NONE;
}

static int
load_in_force(struct store_txn *t, void *argp)
{
	struct ruleset **out = argp;
	struct publication pub;

	if (ledger_active(t, &pub) != 0)
		return store_fail(t, "no rule set is in force in this database");
	return rulesets_load(t, pub.hash, "the rule set in force", out);
}

int
action_rules_in_force(struct store *s, struct ruleset **out, char **cause)
{
	*out = NULL;
	return store_read(s, load_in_force, out, cause);
}

/* The record's detail: the engine's reasons plus what the person added. */
static void
decision_detail(struct buf *out, const struct ruleset *rs, const struct case_facts *cf,
    const struct decision *dec, const struct trace *tr, const struct route_decision *d)
{
	engine_write_detail_json(out, rs, cf, dec, tr);
	out->len--;	/* reopen the object */
	if (d->urgency >= 0)
		buf_printf(out, ",\"confirmed_urgency\":\"%s\"", urgency_name((enum urgency)d->urgency));
	if (d->strategy_discussion >= 0)
		buf_printf(out, ",\"strategy_discussion\":%s", d->strategy_discussion ? "true" : "false");
	if (d->feedback != NULL && *d->feedback != '\0') {
		buf_adds(out, ",\"feedback\":");
		json_write_string(out, d->feedback, strlen(d->feedback));
	}
	if (d->match_choice != NULL)
		buf_printf(out, ",\"person_match\":{\"version\":1,\"shown\":%d,\"choice\":\"%s\"}",
		    d->matches_shown, strcmp(d->match_choice, "none") == 0 ? "none" : "linked");
	buf_addc(out, '}');
}

/* A decision being made: the person's choices, and what the engine makes of the case. */
struct decide_job {
	const struct ruleset *rs;
	const struct route_decision *d;
	int with_history;
	struct buf facts;	/* the case as evaluated and logged: with its history, if read */
	struct buf detail;
	struct case_facts cf;
	struct decision dec;
	struct trace tr;
};

/*
 * Decides the case in the write transaction, so that the history it reads
 * is the log it is appended to, and fills the record. Runs again whole if
 * the transaction is retried.
 */
static int
decide_in_txn(struct store_txn *t, struct append_job *j)
{
	struct decide_job *dj = j->prepare_arg;
	const struct route_decision *d = dj->d;
	const struct ruleset *rs = dj->rs;
	char *cause = NULL;
	int override, rc;

	buf_reset(&dj->facts);
	buf_reset(&dj->detail);
	trace_reset(&dj->tr);
	if (dj->with_history) {
		rc = history_decide(t, rs, d->facts, d->facts_len, j->r.time, &dj->facts, &dj->cf,
		    &dj->dec, &dj->tr, &cause);
		if (rc != 0)
			goto refused;
	} else {
		buf_add(&dj->facts, d->facts, d->facts_len);
		if (case_parse(&dj->cf, dj->facts.data, dj->facts.len, &cause) < 0)
			goto refused;
		if (engine_decide(rs, &dj->cf, &dj->dec, &dj->tr) < 0)
			return store_fail(t, "no rule matched");
	}
	if (d->seen_route >= 0 && d->seen_route != (int)dj->dec.route)
		return store_fail(t, "the recommendation has changed since it was shown (the "
		    "child's history has a new record): review it again");
	override = d->final_route >= 0 && d->final_route != (int)dj->dec.route;
	if (override && action_check_rationale(d->rationale, &cause) < 0)
		goto refused;
	j->r.kind = override ? KIND_OVERRIDE : KIND_ROUTE;
	j->r.rec_route = dj->dec.route;
	j->r.rec_level = dj->dec.level;
	j->r.need_level = dj->dec.need_level;
	j->r.route = override ? d->final_route : (int)dj->dec.route;
	j->r.level = override ? rs->levels[0].level : dj->dec.level;
	for (int l = 0; l < 4 && override; l++)
		if ((int)rs->levels[l].route == d->final_route)
			j->r.level = rs->levels[l].level;
	j->r.rule = rb(rs->rules[dj->dec.rule].id);
	j->r.case_id = (struct rbytes){ dj->cf.case_id, dj->cf.case_id_len };
	j->r.facts = (struct rbytes){ dj->facts.data, dj->facts.len };
	decision_detail(&dj->detail, rs, &dj->cf, &dj->dec, &dj->tr, d);
	j->r.detail = (struct rbytes){ dj->detail.data, dj->detail.len };
	return 0;
refused:
	if (cause != NULL)	/* else the transaction failed and says why */
		store_fail(t, "%s", cause);
	free(cause);
	return -1;
}

/* Fills an outcome's job: the code must be one rs offers, and rs still in force when written. */
static int
outcome_job(struct append_job *j, const char *user, const struct ruleset *rs,
    const char *case_id, const char *code, const char *note, char **cause)
{
	struct outcome_code oc;
	int i = code != NULL ? outcome_index(rs, code, strlen(code)) : -1;

	if (i < 0) {
		*cause = xstrdup("unknown outcome: not a code of the rule set in force");
		return -1;
	}
	if (action_check_text(note, "the note", cause) < 0)
		return -1;
	outcome_at(rs, (size_t)i, &oc);
	job_init(j, user, ACT_OUTCOME, KIND_OUTCOME);
	digest_hex_decode(rs->hash, j->rules_hash);
	j->require_rules = j->rules_hash;
	j->r.case_id = rb(case_id);
	j->r.outcome = rb(oc.id);
	j->r.rationale = rb(note);
	j->case_must_exist = 1;
	j->what = CASE_ACT_OUTCOME;
	j->progress = !oc.closes;
	return 0;
}

/* The outcome that closes the contact being decided: a closure of rs, by the decision's maker. */
static int
decide_closure(struct append_job *j, struct append_job *close, const char *user,
    const struct ruleset *rs, const struct route_decision *d, char **cause)
{
	struct outcome_code oc;
	int i = outcome_index(rs, d->close_code, strlen(d->close_code));

	if (i >= 0)
		outcome_at(rs, (size_t)i, &oc);
	if (i < 0 || !oc.closes) {
		*cause = xstrdup(i < 0 ? "unknown outcome: not a code of the rule set in force" :
		    "a contact is closed when it is decided with a closure, not a progress "
		    "outcome");
		return -1;
	}
	/* made as part of the decision: the decision's role and rule set are checked */
	if (outcome_job(close, user, rs, "", d->close_code, d->close_note, cause) < 0)
		return -1;
	close->require_rules = NULL;
	close->r.actor = rb(user);
	close->r.engine = rb(RECORD_ENGINE);
	j->then = close;
	return 0;
}

int
action_decide(struct store *s, const char *user, const struct ruleset *rs,
    const struct route_decision *d, uint64_t *seq, char **cause)
{
	unsigned char hash[DIGEST_LEN];
	struct append_job j, close;
	struct decide_job dj = { .rs = rs, .d = d, .with_history = history_used(rs) };
	int rc = -1;

	case_init(&dj.cf, rs);
	trace_init(&dj.tr);
	buf_init(&dj.facts);
	buf_init(&dj.detail);
	/* the case as given must parse (it names the case the history is read for) */
	if (case_parse(&dj.cf, d->facts, d->facts_len, cause) < 0)
		goto out;
	if (d->final_route >= ROUTE_COUNT) {
		*cause = xstrdup("unknown route");
		goto out;
	}
	if (action_check_text(d->rationale, "the rationale", cause) < 0 ||
	    action_check_text(d->feedback, "the feedback", cause) < 0)
		goto out;
	job_init(&j, user, ACT_ROUTE, KIND_ROUTE);
	digest_hex_decode(rs->hash, hash);
	j.require_rules = hash;
	j.cal = rules_calendar(rs);
	j.r.has_ruleset = 1;
	memcpy(j.r.ruleset, hash, DIGEST_LEN);
	j.r.rationale = rb(d->rationale);
	j.case_must_be_new = d->new_case;
	j.prepare = decide_in_txn;
	j.prepare_arg = &dj;
	if (d->close_code != NULL && decide_closure(&j, &close, user, rs, d, cause) < 0)
		goto out;
	rc = run_job(s, &j, seq, cause);
out:
	buf_free(&dj.detail);
	buf_free(&dj.facts);
	trace_free(&dj.tr);
	case_free(&dj.cf);
	return rc;
}

int
action_outcome(struct store *s, const char *user, const struct ruleset *rs, const char *case_id,
    const char *code, const char *note, uint64_t *seq, char **cause)
{
	struct append_job j;

	if (outcome_job(&j, user, rs, case_id, code, note, cause) < 0)
		return -1;
	return run_job(s, &j, seq, cause);
}

int
action_check_step_urgency(int up, int urgency, char **cause)
{
	if (up && (urgency < URGENCY_GREEN || urgency > URGENCY_RED)) {
		*cause = xstrdup("a step-up needs its urgency (red, amber or green): it starts "
		    "the MASH's clock");
		return -1;
	}
	if (!up && urgency != URGENCY_NONE) {
		*cause = xstrdup("a step-down has no urgency: only a step-up to the MASH is rated");
		return -1;
	}
	return 0;
}

int
action_step(struct store *s, const char *user, const char *case_id, int up, int urgency,
    const char *rationale, uint64_t *seq, char **cause)
{
	struct append_job j;

	if (action_check_step_urgency(up, urgency, cause) < 0 ||
	    action_check_rationale(rationale, cause) < 0)
		return -1;
	job_init(&j, user, ACT_STEP, up ? KIND_STEP_UP : KIND_STEP_DOWN);
	if (up) {
		snprintf(j.detail, sizeof j.detail, "{\"urgency\":\"%s\"}",
		    urgency_name((enum urgency)urgency));
		j.r.detail = rb(j.detail);
	}
	j.r.case_id = rb(case_id);
	j.r.route = up ? ROUTE_MASH : ROUTE_TARGETED_EARLY_HELP;
	j.r.level = up ? 4 : 3;
	j.r.rationale = rb(rationale);
	/* a closed case may be stepped (up after an outcome "stepped_up"): the step reopens it */
	j.case_must_exist = 1;
	j.what = up ? CASE_ACT_STEP_UP : CASE_ACT_STEP_DOWN;
	return run_job(s, &j, seq, cause);
}

/* Reads the step at seq for action_step_said: its kind, time and urgency. */
struct step_said_arg {
	uint64_t seq;
	enum record_kind kind;
	int64_t time;
	int urgency;
};

static int
step_said_txn(struct store_txn *t, void *argp)
{
	struct step_said_arg *a = argp;
	struct record r;
	char *cause = NULL;
	struct json_doc doc;
	int rc = dlog_get(t, a->seq, &r, &cause);

	if (rc != 0) {
		free(cause);
		return store_fail(t, "recorded seq %llu, but cannot read it back",
		    (unsigned long long)a->seq);
	}
	a->kind = r.kind;
	a->time = r.time;
	json_doc_init(&doc);
	a->urgency = due_detail_urgency(&doc, &r.detail);
	json_doc_free(&doc);
	return 0;
}

char *
action_step_said(struct store *s, uint64_t seq, char **cause)
{
	struct step_said_arg a = { seq, KIND_COUNT, 0, URGENCY_NONE };
	struct calendar cal;
	char when[32];
	char *said;

	if (store_read(s, step_said_txn, &a, cause) < 0)
		return NULL;
	if (a.kind != KIND_STEP_UP)
		return xstrdup("stepped down to targeted early help");
	if (rulesets_calendar_in_force(s, &cal, cause) < 0)
		return NULL;
	calendar_format_local(&cal, due_mash_decision(&cal, a.time, a.urgency), when);
	said = xasprintf("stepped up to the MASH as %s: its decision is due by %s (%s)",
	    urgency_name((enum urgency)a.urgency), when,
	    cal.time_zone != NULL ? cal.time_zone : "UTC");
	calendar_free(&cal);
	return said;
}

int
action_sign_off(struct store *s, const char *user, uint64_t decision, int approve,
    const char *comment, uint64_t *seq, char **cause)
{
	struct append_job j;

	if (action_check_text(comment, "the comment", cause) < 0 ||
	    (!approve && action_check_rationale(comment, cause) < 0))
		return -1;
	if (decision == 0) {
		*cause = xstrdup("there is no record 0");
		return -1;
	}
	job_init(&j, user, ACT_SIGN_OFF, KIND_SIGN_OFF);
	j.target = decision;
	j.target_awaiting = 1;
	j.r.ref = decision;
	j.r.outcome = rb(approve ? "approved" : "returned");
	j.r.rationale = rb(comment);
	return run_job(s, &j, seq, cause);
}

int
action_correct(struct store *s, const char *user, uint64_t target, int new_route,
    const char *rationale, uint64_t *seq, char **cause)
{
	static const int levels[ROUTE_COUNT] = { 1, 2, 3, 4 };
	struct append_job j;

	if (action_check_rationale(rationale, cause) < 0)
		return -1;
	if (new_route >= ROUTE_COUNT || target == 0) {
		*cause = xstrdup(target == 0 ? "there is no record 0" : "unknown route");
		return -1;
	}
	job_init(&j, user, ACT_CORRECT, KIND_CORRECTION);
	j.target = target;
	j.r.ref = target;
	if (new_route >= 0) {
		j.r.route = new_route;
		j.r.level = levels[new_route];
	}
	j.r.rationale = rb(rationale);
	return run_job(s, &j, seq, cause);
}
