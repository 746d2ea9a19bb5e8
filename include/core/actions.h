/* actions.h: what a person can do to a case, each kept as one record in the decision log. */
#ifndef FD_ACTIONS_H
#define FD_ACTIONS_H

#include <stdint.h>

#include "rules/rules.h"
#include "store/dlog.h"
#include "store/roles.h"
#include "store/store.h"

#define ACTION_MIN_RATIONALE 20	/* characters a rationale needs, so it says something */

/* A decision on one contact, made with the rule set in force. */
struct route_decision {
	const char *facts;	/* the case as one JSON object */
	size_t facts_len;
	int final_route;	/* -1: accept the recommendation */
	const char *rationale;	/* required when overriding */
	int urgency;		/* enum urgency, or -1 for the rule's own */
	int strategy_discussion; /* MASH only: 1 needed, 0 not, -1 not said */
	const char *feedback;	/* what the referrer was told, or NULL */
	int new_case;		/* the case id was chosen for a new child: it must not exist */
	int seen_route;		/* the recommendation the person was shown, or -1: if the
				   decision made when it is logged differs, nothing is */
	/*
	 * The person match before the case id (match.h): "none" (none of the
	 * likely matches shown was this child: a new case) or "linked" (one
	 * was, and the contact joins it), with how many were shown; NULL when
	 * none were shown. Recorded in the detail as person_match.
	 */
	const char *match_choice;
	int matches_shown;
	/*
	 * A closure code of rs to close the contact with at once, in the same
	 * transaction, or NULL: only a contact whose final route is Universal,
	 * and only where an outcome could be recorded just after the decision.
	 */
	const char *close_code;
	const char *close_note;
};

/* What a decision would be, shown to the person before anything is written. */
struct route_preview {
	struct ruleset *rs;	/* the rule set in force (caller frees with rules_free) */
	int rule;
	enum route_id recommended;
	int level;
};

/* Loads the rule set in force. */
int action_rules_in_force(struct store *s, struct ruleset **out, char **cause);
/*
 * Checks the person's role, evaluates the case with the rule set in force
 * and appends a route or override record in one durable transaction. When
 * the rule set reads history facts, the case's history is read in that
 * transaction and logged with the facts (core/history.h); d->facts must not
 * give one. On failure nothing is written and *cause says why; the same call
 * can be retried.
 */
int action_decide(struct store *s, const char *user, const struct ruleset *rs,
    const struct route_decision *d, uint64_t *seq, char **cause);
/*
 * Records outcome `code`, one rs offers (core/outcomes.h), on the case: a
 * closure closes it, progress leaves it open on its route. rs must still be
 * in force when the record is written.
 */
int action_outcome(struct store *s, const char *user, const struct ruleset *rs,
    const char *case_id, const char *code, const char *note, uint64_t *seq, char **cause);
/*
 * A step-up's urgency: red, amber or green, which starts the MASH's clock
 * (core/due.h); a step-down takes none. 0, or -1 with the words both front
 * ends show.
 */
int action_check_step_urgency(int up, int urgency, char **cause);
/*
 * up: to the MASH, with its urgency (kept in the record's detail as
 * {"urgency":"red"}; step-ups recorded before it was asked have none);
 * down: from social care to targeted early help (with consent), urgency
 * URGENCY_NONE.
 */
int action_step(struct store *s, const char *user, const char *case_id, int up, int urgency,
    const char *rationale, uint64_t *seq, char **cause);
/*
 * What both front ends say once the step at seq is logged: "stepped up to the
 * MASH as red: its decision is due by 2026-11-20 21:00 (Europe/London)", in
 * the local time of the calendar in force. An owned string, or NULL with cause.
 */
char *action_step_said(struct store *s, uint64_t seq, char **cause);
int action_sign_off(struct store *s, const char *user, uint64_t decision, int approve,
    const char *comment, uint64_t *seq, char **cause);
/* What a person may do to a case from where it stands. */
enum case_act { CASE_ACT_OUTCOME, CASE_ACT_STEP_UP, CASE_ACT_STEP_DOWN };
/*
 * The one rule both front ends apply: 0 if someone with role may do `what`
 * to a case in state cs, else -1 with the words to show. No outcome while a
 * change to the case awaits sign-off (a manager may, and the record says so);
 * early help does not close a case with the MASH; only a case with the MASH
 * steps down, and only one not with it steps up (a case moved off the MASH by
 * a change not yet approved is still with it).
 */
int action_case_rule(const struct case_state *cs, enum role role, enum case_act what,
    char **cause);
/* Reads the user's role and the case and applies action_case_rule (the screens ask first). */
int action_case_check(struct store *s, const char *user, const char *case_id,
    enum case_act what, char **cause);
/* Points at an earlier record; new_route -1 keeps the route. Nothing is ever edited. */
int action_correct(struct store *s, const char *user, uint64_t target, int new_route,
    const char *rationale, uint64_t *seq, char **cause);

/*
 * Checks free text a person gave (NULL is no text): -1 with a cause naming
 * `what`, never quoting the text, unless it is valid UTF-8 holding no control
 * character but newline and tab.
 */
int action_check_text(const char *text, const char *what, char **cause);
/* Checks a rationale: -1 with a cause when it fails action_check_text or is too short. */
int action_check_rationale(const char *text, char **cause);

#endif
