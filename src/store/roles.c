/* roles.c: the role x action table and the identity of the person at the keyboard. */
#include "store/roles.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "store/ledger.h"

static const char *const role_names[ROLE_COUNT] = {
	"officer", "early_help", "manager", "auditor", "admin"
};

static const char *const action_names[ACT_COUNT] = {
	"record a routing decision", "record an outcome", "step a case up or down",
	"sign off decisions", "record a correction", "read case histories",
	"audit the log", "record a checkpoint", "manage users", "publish rule sets",
	"list published rule sets",
};

#define R(x) (1u << ROLE_##x)
/* Which roles may take each action. Admins manage, but need no case data. */
static const unsigned allowed[ACT_COUNT] = {
	[ACT_ROUTE] = R(OFFICER) | R(MANAGER),
	[ACT_OUTCOME] = R(EARLY_HELP) | R(MANAGER),
	[ACT_STEP] = R(EARLY_HELP) | R(MANAGER),
	[ACT_SIGN_OFF] = R(MANAGER),
	[ACT_CORRECT] = R(OFFICER) | R(EARLY_HELP) | R(MANAGER),
	[ACT_READ_CASES] = R(OFFICER) | R(EARLY_HELP) | R(MANAGER) | R(AUDITOR),
	[ACT_AUDIT] = R(MANAGER) | R(AUDITOR),
	[ACT_CHECKPOINT] = R(MANAGER) | R(AUDITOR) | R(ADMIN),
	[ACT_USERS] = R(ADMIN),
	[ACT_PUBLISH] = R(ADMIN),
	[ACT_RULES_HISTORY] = R(MANAGER) | R(AUDITOR) | R(ADMIN),
};
#undef R

const char *
role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

int
role_parse(const char *s)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(s, role_names[i]) == 0)
			return i;
	return -1;
}

const char *
action_name(enum action a)
{
	return (unsigned)a < ACT_COUNT ? action_names[a] : "?";
}

int
role_allows(enum role r, enum action a)
{
	return (unsigned)r < ROLE_COUNT && (unsigned)a < ACT_COUNT &&
	    (allowed[a] & (1u << r)) != 0;
}

char *
roles_allowing(enum action a)
{
	struct buf b;
	int n = 0, total = 0;

	for (int r = 0; r < ROLE_COUNT; r++)
		total += role_allows((enum role)r, a);
	buf_init(&b);
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (!role_allows((enum role)r, a))
			continue;
		n++;
		buf_printf(&b, "%s%s", n == 1 ? "" : n == total ? " or " : ", ", role_names[r]);
	}
	return buf_steal(&b);
}

int
roles_decode(const struct store_val *v, enum role *role, uint64_t *seq)
{
	const char *nul = memchr(v->data, '\0', v->len);
	size_t n = nul != NULL ? (size_t)(nul - (const char *)v->data) : v->len;
	char name[32];
	int r;

	*seq = 0;
	if (n == 0 || n >= sizeof name || (nul != NULL && v->len != n + 9))
		return -1;
	memcpy(name, v->data, n);
	name[n] = '\0';
	if ((r = role_parse(name)) < 0)
		return -1;
	if (nul != NULL && (*seq = store_get_u64((const unsigned char *)nul + 1)) == 0)
		return -1;
	*role = (enum role)r;
	return 0;
}

/* The grant record an entry names must give this user this very role. */
static int
roles_granted(struct store_txn *t, const char *user, enum role role, uint64_t seq)
{
	const char *name = role_name(role);
	struct record r;
	char *cause = NULL;
	int rc = dlog_get(t, seq, &r, &cause);

	free(cause);
	if (rc < 0 || rc == 1 || r.kind != KIND_GRANT || r.subject.n != strlen(user) ||
	    memcmp(r.subject.p, user, r.subject.n) != 0 || r.outcome.n != strlen(name) ||
	    memcmp(r.outcome.p, name, r.outcome.n) != 0)
		return store_fail(t, "user %s's role was not granted through the log: refused "
		    "(run frontdoor verify)", user);
	return 0;
}

int
roles_get(struct store_txn *t, const char *user, enum role *out)
{
	struct store_val v;
	uint64_t seq, last;
	enum role r = ROLE_OFFICER;
	int rc = store_get(t, TABLE_USERS, user, strlen(user), &v);

	if (rc != 0)
		return rc;
	if (roles_decode(&v, &r, &seq) < 0)
		return store_fail(t, "damaged user entry");
	if (seq != 0 && roles_granted(t, user, r, seq) < 0)
		return -1;
	/* once the log holds the grants, an entry that names none was not made by frontdoor */
	if (seq == 0 && (rc = ledger_last(t, &last)) <= 0)
		return rc < 0 ? -1 : store_fail(t, "user %s's role was not granted through the "
		    "log: refused (run frontdoor verify)", user);
	*out = r;
	return 0;
}

int
roles_guard(struct store_txn *t, void *session)
{
	const struct roles_session *rs = session;
	enum role now = ROLE_OFFICER;
	int rc = roles_get(t, rs->user, &now);

	if (rc < 0)
		return -1;
	if (rc == 1)
		return store_fail(t, "user %s no longer has a role in this database: nothing more "
		    "is shown or saved", rs->user);
	if (now != rs->role)
		return store_fail(t, "user %s is now %s, no longer %s: start frontdoor again",
		    rs->user, role_name(now), role_name(rs->role));
	return 0;
}

int
roles_require(struct store_txn *t, const char *user, enum action a, enum role *out)
{
	enum role r = ROLE_OFFICER;
	char *need;
	int rc = roles_get(t, user, &r);

	if (rc < 0)
		return -1;
	if (rc == 0 && role_allows(r, a)) {
		if (out != NULL)
			*out = r;
		return 0;
	}
	need = roles_allowing(a);
	if (rc == 1)
		store_fail(t, "refused: to %s you need the %s role, and user %s has no role "
		    "in this database (an admin adds it with: frontdoor users add %s ROLE)",
		    action_name(a), need, user, user);
	else
		store_fail(t, "refused: to %s you need the %s role; user %s is %s",
		    action_name(a), need, user, role_name(r));
	free(need);
	return -1;
}

int
roles_valid_user(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return 0;
	return 1;
}

int
identity_current(const char *as_user, char **name, char **cause)
{
	struct passwd *pw;

	if (as_user != NULL) {
		if (getuid() != 0) {
			*cause = xstrdup("--as is only for root (who can act as any user anyway)");
			return -1;
		}
		if (!roles_valid_user(as_user)) {
			*cause = xstrdup("--as needs a user name of 1 to 32 letters, digits, '_', "
			    "'-' or '.'");
			return -1;
		}
		*name = xstrdup(as_user);
		return 0;
	}
	errno = 0;
	pw = getpwuid(getuid());
	if (pw == NULL) {
		*cause = xasprintf("cannot tell who you are (uid %u has no name)", (unsigned)getuid());
		return -1;
	}
	*name = xstrdup(pw->pw_name);
	return 0;
}
