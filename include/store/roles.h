/* roles.h: who may do what: roles, actions, and the check every command makes. */
#ifndef FD_ROLES_H
#define FD_ROLES_H

#include "store/store.h"

enum role { ROLE_OFFICER, ROLE_EARLY_HELP, ROLE_MANAGER, ROLE_AUDITOR, ROLE_ADMIN, ROLE_COUNT };

enum action {
	ACT_ROUTE,		/* record a routing decision (accept or override) */
	ACT_OUTCOME,		/* close an early help episode */
	ACT_STEP,		/* step up or step down */
	ACT_SIGN_OFF,		/* approve or return a decision */
	ACT_CORRECT,		/* add a correction */
	ACT_READ_CASES,		/* see case histories */
	ACT_AUDIT,		/* verify, replay, what-if, statistics, exports */
	ACT_CHECKPOINT,		/* record the head of the log */
	ACT_USERS,		/* add, remove and list users */
	ACT_PUBLISH,		/* publish a rule set */
	ACT_RULES_HISTORY,	/* list published rule sets */
	ACT_COUNT
};

const char *role_name(enum role r);
int role_parse(const char *s);
const char *action_name(enum action a);
/* Whether role r may take action a. */
int role_allows(enum role r, enum action a);
/* "officer or manager": the roles that allow a, for messages. */
char *roles_allowing(enum action a);

/*
 * A users table entry: the role, and the sequence number of the grant record
 * that gave it (0 for an entry written before grants were logged); -1 if malformed.
 */
int roles_decode(const struct store_val *v, enum role *role, uint64_t *seq);
/*
 * The user's role; 1 if the user has none. Refused (-1) if the entry does not
 * name the grant record that gave that role.
 */
int roles_get(struct store_txn *t, const char *user, enum role *out);
/*
 * Checks that user may take action a; on refusal -1 with a cause that names
 * the roles it needs (and changes nothing).
 */
int roles_require(struct store_txn *t, const char *user, enum action a, enum role *out);

/* What roles_guard checks: the user still has the role the session started with. */
struct roles_session {
	const char *user;
	enum role role;
};
/*
 * A store guard (store_set_guard) for a long session such as the screens: a
 * transaction fails once the user has lost that role, removed or given
 * another, so a removed user's open screen reads nothing more.
 */
int roles_guard(struct store_txn *t, void *session);

/* Whether s is a user name the database accepts: 1-32 of [A-Za-z0-9_.-]. */
int roles_valid_user(const char *s);
/* The OS user running this process; with as_user (root only), that user instead. */
int identity_current(const char *as_user, char **name, char **cause);

#endif
