/* rules.h: the rule language's model, loader, checker, compiled form and evaluator. */
#ifndef FD_RULES_H
#define FD_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "base/calendar.h"
#include "base/diag.h"
#include "base/names.h"

#define RULES_LANGUAGE_VERSION 1
#define RULES_MAX_FILE (8 * 1024 * 1024)
#define RULES_MAX_STRING_VALUES 64	/* values of one enumerated string fact */

enum domain_id { DOMAIN_DEVELOPMENT, DOMAIN_PARENTING, DOMAIN_FAMILY, DOMAIN_COUNT };
enum urgency { URGENCY_NONE, URGENCY_GREEN, URGENCY_AMBER, URGENCY_RED };
enum fact_type { FACT_STRING, FACT_INTEGER, FACT_NUMBER, FACT_BOOLEAN };

enum cond_kind {
	COND_ALWAYS,
	COND_ALL,
	COND_ANY,
	COND_NOT,
	COND_INDICATOR,
	COND_REF,
	COND_COUNT,
	COND_DOMAINS,		/* how many domains hold an indicator the selector matches */
	COND_COMPARE,
	COND_PRESENT,
	COND_MISSING
};

enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOT_IN };

struct srcpos {
	int line, col;
};

struct level_def {
	int level;
	char *name;
	enum route_id route;
	char *front_door;
	char *label;		/* the route's name on the screens; the level's name if not given */
	char *short_label;	/* at most 5 columns, for lists; from label if not given */
	struct srcpos pos;
};

struct flag_def {
	char *id;
	char *description;
	struct srcpos pos;
	int used;
};

/*
 * The facts frontdoor works out from the decision log when it records a
 * decision (core/history.c), under `history.`: a rule set declares those it
 * reads, never as required (a case routed without a log has none). Other
 * facts under `history.` are ordinary ones, given by the form or the case.
 */
struct computed_fact {
	const char *path;
	enum fact_type type;
	const char *meaning;
};
extern const struct computed_fact rules_history_facts[];
extern const size_t rules_nhistory_facts;
/* The entry for a declared path under `history.`, or NULL. */
const struct computed_fact *rules_history_fact(const char *path);

struct fact_def {
	char *path;		/* dotted JSON path, e.g. child.age */
	enum fact_type type;
	char **values;		/* allowed values of a string fact, or none */
	size_t nvalues;
	int has_min, has_max;
	double min, max;
	int required;
	char *description;
	struct srcpos pos;
	int used;
	int untyped;		/* its type was refused (reported): comparisons are not checked */
};

/*
 * One segment of the facts' dotted paths ("child" of child.age): the fact it
 * ends, if any, and the segments below it. Children form a list by `next`,
 * newest first.
 */
struct path_node {
	const char *name;	/* into a fact's path; not terminated */
	size_t namelen;
	int fact;		/* index into facts, or -1 */
	int child, next;	/* first segment below, next sibling; -1 if none */
};

struct indicator_def {
	char *id;
	size_t idlen;
	enum domain_id domain;
	int level;
	char *text;
	char *guidance;
	uint64_t flags;		/* bit i: flags[i] */
	int strength;		/* recorded and shown, never read by a rule; level 0 */
	struct srcpos pos;
	int read;		/* some reachable rule can read it */
};

/* A literal in a comparison or list; strings of enumerated facts carry their index. */
struct literal {
	enum fact_type type;
	double num;
	char *str;
	size_t len;
	int boolean;
	int enum_index;
	int plain;		/* written without quotes (list items, until typed) */
	struct srcpos pos;
};

struct list_def {
	char *id;
	struct literal *items;
	size_t n;
	struct srcpos pos;
	int used;
};

/* Which indicators a count looks at: all the given parts must match. */
struct selector {
	uint32_t levels;	/* bit L set: level L; 0 = any level */
	uint32_t domains;	/* bit D set: domain D; 0 = any domain */
	int flag;		/* flag index, or -1 */
	int *ids;		/* indicator indexes, or NULL = any */
	size_t nids;
	int mask;		/* index of the compiled indicator mask */
};

struct cond {
	enum cond_kind kind;
	struct srcpos pos;
	struct cond **kids;	/* all, any, not */
	size_t nkids;
	int index;		/* indicator, named condition or fact index */
	struct selector sel;	/* count, domains */
	int dmasks[DOMAIN_COUNT];	/* domains: the selector's mask within each domain */
	long at_least, at_most;	/* count and domains bounds; -1 = none */
	enum cmp_op op;		/* compare */
	struct literal *lits;	/* compare: one literal, or the list for in/not_in */
	size_t nlits;
	int list;		/* compare: named list index, or -1 */
	int other;		/* compare: the fact compared with, or -1 for literals */
	uint64_t enum_set;	/* compare on an enumerated fact: allowed value bits */
	char *desc_json;	/* cond_describe's text as a JSON string, built once */
	size_t desc_json_len;
};

struct named_cond {
	char *id;
	struct cond *cond;
	struct srcpos pos;
	int used;
	int state;		/* cycle check: 0 new, 1 visiting, 2 done */
};

struct rule_def {
	char *id;
	struct cond *when;
	enum route_id route;
	int level;		/* the route's level */
	int need_level;		/* the level of need found: `need_level`, else level */
	char *reason;
	enum urgency urgency;	/* a fixed urgency, or URGENCY_NONE */
	struct cond *urgency_when[URGENCY_RED + 1];	/* or one set by conditions: the
				   first of red, amber, green whose condition holds */
	int urgency_by_cond;
	int needs_consent;
	struct srcpos pos;
	int reachable;
	char *json_tail;	/* the decision's JSON after case_id, built once; when the
				   urgency is set by conditions, up to where it goes */
	size_t json_tail_len;
	char *json_tail2;	/* the rest, after the urgency (or empty) */
	size_t json_tail2_len;
};

/* A validity rule: a case for which its condition holds is inconsistent, and rejected. */
struct validity_def {
	char *id;
	struct cond *when;
	char *message;		/* the rule set's own words, given with the rejection */
	struct srcpos pos;
};

struct test_def {
	char *name;
	char *case_json;	/* the test's case, as one JSON line */
	int expect_error;
	enum route_id route;
	int rule;		/* expected rule index, or -1 */
	int urgency;		/* expected urgency (URGENCY_NONE for none), or -1 */
	struct srcpos pos;
	char *case_problem;	/* why the case will be rejected, found on loading, or NULL */
};

/* A referrer agency: its id (the value of referrer.agency), label and DfE CIN census code. */
struct agency_def {
	char *id;
	char *label;
	char *cin_code;		/* referral source code of the Children in Need census, e.g. 6 */
	struct srcpos pos;
};

/* One question of the intake form: a declared fact, asked in the order listed. */
struct form_field {
	int fact;		/* index into facts */
	char *label;
	char *help;		/* or NULL */
	char **value_labels;	/* per value of an enumerated fact (NULL: the value itself) */
	unsigned char *ask_why;	/* per value of an enumerated fact: a reason is asked */
	int required;
	int date;		/* a string fact asked as a date, written YYYY-MM-DD */
	int nhs_number;		/* a string fact asked as an NHS number, written as 10 digits */
	struct srcpos pos;
};

/* An outcome a case is given: progress leaves it open, a closure closes it. */
enum outcome_kind { OUTCOME_PROGRESS, OUTCOME_CLOSURE };

/* One outcome code of the council (outcomes.c). */
struct outcome_def {
	char *id;		/* what the log records */
	char *label;
	enum outcome_kind kind;
	char *cin_reason;	/* closure reason of the Children in Need census (RC1..RC9), or NULL */
	int declines_early_help; /* counts as early help declined in the child's history */
	struct srcpos pos;
};

/* One reason the council gives for a step up or down (outcomes.c). */
struct step_reason {
	char *id;
	char *label;
	struct srcpos pos;
};

/* Everything about a council outside the rule language: the `council` mapping. */
struct council {
	int present;		/* the rule file has one */
	char *name;
	char **districts;	/* the values of child.district */
	size_t ndistricts;
	struct agency_def *agencies;	/* the values of referrer.agency */
	size_t nagencies;
	struct form_field *form;
	size_t nform;
	struct calendar calendar;
	struct outcome_def *outcomes;	/* none listed: the codes of earlier versions */
	size_t noutcomes;
	struct step_reason *step_reasons[2];	/* [0] step-down, [1] step-up */
	size_t nstep_reasons[2];
	struct srcpos pos;
};

struct ruleset {
	char *name, *version, *description;
	char hash[65];		/* SHA-256 (hex) of the exact file bytes */
	struct level_def levels[4];
	struct flag_def *flags;
	size_t nflags;
	struct fact_def *facts;
	size_t nfacts;
	struct indicator_def *indicators;
	size_t nindicators;
	struct list_def *lists;
	size_t nlists;
	struct named_cond *conds;
	size_t nconds;
	struct rule_def *rules;
	size_t nrules;
	struct validity_def *validity;
	size_t nvalidity;
	struct test_def *tests;
	size_t ntests;
	struct council council;

	/* compiled form */
	size_t nwords;		/* 64-bit words in an indicator bit set */
	uint64_t *masks;	/* nmasks bit sets, one per distinct count selector */
	size_t nmasks;
	uint32_t *ind_table;	/* open-addressing id -> index + 1 */
	size_t ind_table_size;
	struct path_node *paths;	/* the facts' paths as a tree; paths[0] is the root */
	size_t npaths;
	int *strengths;		/* the indicators that are strengths, in file order */
	size_t nstrengths;
};

/* Route and name tables. */
const char *domain_name(enum domain_id d);
const char *urgency_name(enum urgency u);

/*
 * Loads, checks and compiles a rule file. Every problem goes to d (which
 * names the file and quotes its lines from *text_out, so both out parameters
 * are required and the caller frees the text after printing d); on any error
 * the result is NULL and nothing is kept.
 */
struct ruleset *rules_load_file(const char *path, struct diag *d, char **text_out, size_t *len_out);
struct ruleset *rules_load_buffer(const char *text, size_t len, struct diag *d);
void rules_free(struct ruleset *rs);

/* The fact declared at path, or -1. */
int rules_find_fact(const struct ruleset *rs, const char *path);
/*
 * Whether the fact at path takes its values from the council profile's lists
 * (referrer.agency from the agencies, child.district from the districts).
 */
int rules_council_lists(const char *path);
/* Whether the intake form's own fields write this case path (child.age, referrer.agency...). */
int rules_screen_supplies(const char *path);
/*
 * Whether a form question for path would clash with the intake form's own
 * fields: the path is one of theirs, lies inside one (household.size) or
 * holds one (child).
 */
int rules_screen_clash(const char *path);
/*
 * Whether the intake form has a field for the fact: one of its own, or a
 * question of the profile (every declared fact without a clash when the
 * profile lists no form).
 */
int rules_form_asks(const struct ruleset *rs, int fact);
/* The working-day calendar of the rule set (weekends only when it lists none). */
const struct calendar *rules_calendar(const struct ruleset *rs);
/* The districts of the council (or child.district's listed values); *n 0 if none. */
const char *const *rules_districts(const struct ruleset *rs, size_t *n);
/* The form question asking the fact, or NULL. */
const struct form_field *rules_form_question(const struct ruleset *rs, int fact);
/* How the form shows value k of an enumerated fact: its label in the profile, else itself. */
const char *rules_value_label(const struct ruleset *rs, int fact, size_t k);
/* The council's outcome code with that id, or NULL. */
const struct outcome_def *rules_find_outcome(const struct ruleset *rs, const char *id, size_t len);
/* The council's step-up (up 1) or step-down reason with that id, or NULL. */
const struct step_reason *rules_find_step_reason(const struct ruleset *rs, int up, const char *id);
/* The agency with that id, or NULL. */
const struct agency_def *rules_find_agency(const struct ruleset *rs, const char *id);

/* Checks that every rule can fire and no case falls through (rules_analyse.c). */
void rules_analyse(struct ruleset *rs, struct diag *d);
/* Builds the indicator masks, the id table and the path tree (rules_compile.c). */
void rules_compile(struct ruleset *rs);
int rules_find_indicator(const struct ruleset *rs, const char *id, size_t len);
/* The segment named name[0..len) below path node n, or -1. */
int rules_find_path(const struct ruleset *rs, int n, const char *name, size_t len);
int rules_find_rule(const struct ruleset *rs, const char *id);

/* Writes a condition as readable text, e.g. "count(level 3) >= 2". */
void cond_describe(const struct ruleset *rs, const struct cond *c, struct buf *out);

#endif
