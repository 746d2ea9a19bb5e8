/* ledgercheck.c: checks that publications and grants are all in the log, and the tables replay it. */
#include "core/ledgercheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/dlog.h"
#include "store/ledger.h"
#include "store/roles.h"
#include "store/rulestore.h"

static void
copy_text(char *out, size_t cap, const struct rbytes *b)
{
	size_t n = b->n < cap ? b->n : cap - 1;

	memcpy(out, b->p, n);
	out[n] = '\0';
}

static void
entry_from(struct ledger_entry *e, const struct record *r)
{
	memset(e, 0, sizeof *e);
	e->seq = r->seq;
	e->kind = r->kind;
	memcpy(e->hash, r->hash, DIGEST_LEN);
	memcpy(e->ruleset, r->ruleset, DIGEST_LEN);
	copy_text(e->user, sizeof e->user, &r->subject);
	copy_text(e->role, sizeof e->role, &r->outcome);
	copy_text(e->actor, sizeof e->actor, &r->actor);
	e->time = r->time;
	e->carried = r->detail.n >= 15 && memcmp(r->detail.p, "{\"carried_over\"", 15) == 0;
}

/* Follows the links; a broken one is a finding, not a failure to read. */
static int
load_txn(struct store_txn *t, void *argp)
{
	struct ledgercheck *lc = argp;
	uint64_t seq;
	int rc = ledger_last(t, &seq);

	if (rc < 0)
		return -1;
	lc->migrated = rc == 0;
	while (lc->migrated && seq != 0) {
		struct record r;
		char *cause = NULL;

		rc = dlog_get(t, seq, &r, &cause);
		free(cause);
		if (rc != 0 || record_kind_is_decision(r.kind) || r.ref >= seq || r.seq != seq) {
			lc->bad = xasprintf("publications and grants: the link at seq %llu does not "
			    "lead to one: the index or the log was altered", (unsigned long long)seq);
			return 0;
		}
		lc->v = xreallocarray(lc->v, lc->n + 1, sizeof *lc->v);
		entry_from(&lc->v[lc->n++], &r);
		seq = r.ref;
	}
	for (size_t i = 0; i < lc->n / 2; i++) {
		struct ledger_entry tmp = lc->v[i];

		lc->v[i] = lc->v[lc->n - 1 - i];
		lc->v[lc->n - 1 - i] = tmp;
	}
	return 0;
}

int
ledgercheck_load(struct store *s, struct ledgercheck *lc, char **cause)
{
	memset(lc, 0, sizeof *lc);
	return store_read(s, load_txn, lc, cause);
}

void
ledgercheck_free(struct ledgercheck *lc)
{
	free(lc->v);
	free(lc->bad);
	memset(lc, 0, sizeof *lc);
}

static const struct ledger_entry *
find_seq(const struct ledgercheck *lc, uint64_t seq)
{
	size_t lo = 0, hi = lc->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (lc->v[mid].seq == seq)
			return &lc->v[mid];
		if (lc->v[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A publication of this rule set before seq, or carried over from before the log kept them. */
static int
published_before(const struct ledgercheck *lc, const unsigned char *ruleset, uint64_t seq)
{
	for (size_t i = 0; i < lc->n; i++)
		if (lc->v[i].kind == KIND_PUBLISH && (lc->v[i].seq < seq || lc->v[i].carried) &&
		    memcmp(lc->v[i].ruleset, ruleset, DIGEST_LEN) == 0)
			return 1;
	return 0;
}

static const char *
check_change(const struct ledgercheck *lc, const struct record *r)
{
	const struct ledger_entry *e;
	char user[33];

	if (!lc->migrated)
		return "a publication or grant in a log whose index says none are kept: the "
		    "index was removed";
	if (r->case_id.n != 0)
		return "a publication or grant that names a case";
	if (r->kind == KIND_PUBLISH && !r->has_ruleset)
		return "a publication without a rule set";
	copy_text(user, sizeof user, &r->subject);
	if (r->kind != KIND_PUBLISH && (r->subject.n > 32 || !roles_valid_user(user) ||
	    r->outcome.n == 0 || r->outcome.n > 32))
		return "a grant or removal without a valid user and role";
	if (lc->bad != NULL)
		return NULL;	/* reported once, by the tables' check */
	e = find_seq(lc, r->seq);
	if (e == NULL || memcmp(e->hash, r->hash, DIGEST_LEN) != 0)
		return "a publication or grant that the index does not reach: the index was "
		    "rolled back or altered";
	return NULL;
}

const char *
ledgercheck_record(const struct ledgercheck *lc, const struct record *r)
{
	if (!record_kind_is_decision(r->kind))
		return check_change(lc, r);
	if (r->has_ruleset && lc->migrated && lc->bad == NULL &&
	    !published_before(lc, r->ruleset, r->seq))
		return "decided under a rule set with no publication in the log before it";
	return NULL;
}

/* What the log's grants and removals leave: user -> role and the grant's seq. */
struct user_state {
	const struct ledger_entry *grant;	/* NULL: removed */
	int seen;				/* in the table too */
};

struct tables_arg {
	const struct ledgercheck *lc;
	void (*report)(void *arg, const char *what);
	void *arg;
	struct user_state *users;	/* indexed like lc->v: only grants are used */
};

static void
say(struct tables_arg *a, const char *fmt, ...) FD_ATTR_PRINTF(2, 3);

static void
say(struct tables_arg *a, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	a->report(a->arg, msg);
	free(msg);
}

/* The newest grant or removal of user: the grant in force, or NULL. */
static struct user_state *
user_now(struct tables_arg *a, const char *user)
{
	for (size_t i = a->lc->n; i > 0; i--) {
		const struct ledger_entry *e = &a->lc->v[i - 1];

		if (e->kind != KIND_PUBLISH && strcmp(e->user, user) == 0)
			return e->kind == KIND_GRANT ? &a->users[i - 1] : NULL;
	}
	return NULL;
}

static int
check_user(struct tables_arg *a, const struct store_val *k, const struct store_val *v)
{
	char user[33];
	struct user_state *u;
	enum role role;
	uint64_t seq;

	snprintf(user, sizeof user, "%.*s", (int)(k->len < 32 ? k->len : 32), (const char *)k->data);
	u = user_now(a, user);
	if (roles_decode(v, &role, &seq) < 0) {
		say(a, "users: %s: a malformed entry in the table", user);
		return 0;
	}
	if (u == NULL) {
		say(a, "users: %s is %s in the table, but no grant in the log gives it a role",
		    user, role_name(role));
		return 0;
	}
	u->seen = 1;
	if (strcmp(u->grant->role, role_name(role)) != 0 || seq != u->grant->seq)
		say(a, "users: %s is %s in the table, but the log's grant at seq %llu makes them %s",
		    user, role_name(role), (unsigned long long)u->grant->seq, u->grant->role);
	return 0;
}

static void
check_publication(struct tables_arg *a, const struct publication *p, const struct ledger_entry *e)
{
	char hex[65];

	digest_hex(p->hash, hex);
	if (e == NULL) {
		say(a, "publications: number %llu (sha256:%.12s) is in the table but not in the log",
		    (unsigned long long)p->n, hex);
		return;
	}
	if (memcmp(p->hash, e->ruleset, DIGEST_LEN) != 0 ||
	    (!e->carried && (p->time != e->time || strcmp(p->actor, e->actor) != 0)))
		say(a, "publications: number %llu (sha256:%.12s) in the table differs from the "
		    "log's at seq %llu", (unsigned long long)p->n, hex, (unsigned long long)e->seq);
}

static int
tables_txn(struct store_txn *t, void *argp)
{
	struct tables_arg *a = argp;
	struct store_cursor *c;
	struct store_val k, v;
	size_t next = 0;
	int rc;

	if (store_cursor_open(t, TABLE_USERS, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v))
		check_user(a, &k, &v);
	store_cursor_close(c);
	if (rc < 0 || store_cursor_open(t, TABLE_PUBLISHED, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		struct publication p;

		while (next < a->lc->n && a->lc->v[next].kind != KIND_PUBLISH)
			next++;
		if (rulestore_decode(&k, &v, &p) < 0)
			say(a, "publications: a malformed entry in the table");
		else
			check_publication(a, &p, next < a->lc->n ? &a->lc->v[next] : NULL);
		next++;
	}
	store_cursor_close(c);
	for (; next < a->lc->n; next++)
		if (a->lc->v[next].kind == KIND_PUBLISH)
			say(a, "publications: the log's publication at seq %llu is missing from the "
			    "table", (unsigned long long)a->lc->v[next].seq);
	return rc < 0 ? -1 : 0;
}

int
ledgercheck_tables(struct store *s, const struct ledgercheck *lc,
    void (*report)(void *arg, const char *what), void *arg, char **cause)
{
	struct tables_arg a = { lc, report, arg, NULL };
	int rc;

	if (lc->bad != NULL) {
		report(arg, lc->bad);
		return 0;
	}
	if (!lc->migrated)
		return 0;	/* the tables alone, as before the log kept these */
	a.users = xcalloc(lc->n + 1, sizeof *a.users);
	for (size_t i = 0; i < lc->n; i++)
		a.users[i].grant = &lc->v[i];
	rc = store_read(s, tables_txn, &a, cause);
	for (size_t i = 0; rc == 0 && i < lc->n; i++) {
		const struct ledger_entry *e = &lc->v[i];

		if (e->kind == KIND_GRANT && !a.users[i].seen && user_now(&a, e->user) == &a.users[i])
			say(&a, "users: the log's grant at seq %llu makes %s %s, but the table has "
			    "no entry", (unsigned long long)e->seq, e->user, e->role);
	}
	free(a.users);
	return rc;
}
