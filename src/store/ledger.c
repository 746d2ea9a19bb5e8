/* ledger.c: publications, grants and removals written as log records, with their tables as an index. */
#include "store/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

static struct rbytes
lb(const char *s)
{
	struct rbytes b = { s, s != NULL ? strlen(s) : 0 };
	return b;
}

int
ledger_last(struct store_txn *t, uint64_t *seq)
{
	struct store_val v;
	int rc = store_get(t, TABLE_META, LEDGER_META_KEY, strlen(LEDGER_META_KEY), &v);

	*seq = 0;
	if (rc != 0)
		return rc;
	if (v.len != 8)
		return store_fail(t, "damaged log index: the newest publication or grant");
	*seq = store_get_u64(v.data);
	return 0;
}

int
ledger_walk(struct store_txn *t, int (*fn)(const struct record *r, void *arg), void *arg)
{
	uint64_t seq;
	int rc = ledger_last(t, &seq);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	while (seq != 0) {
		struct record r;
		char *cause = NULL;
		uint64_t next;

		rc = dlog_get(t, seq, &r, &cause);
		if (rc != 0) {
			store_fail(t, "the log's publications and grants cannot be read at seq %llu: "
			    "%s (run frontdoor verify)", (unsigned long long)seq,
			    rc == 1 ? "no such record" : cause);
			free(cause);
			return -1;
		}
		if (record_kind_is_decision(r.kind) || r.ref >= seq)
			return store_fail(t, "the log's publications and grants are damaged at seq "
			    "%llu (run frontdoor verify)", (unsigned long long)seq);
		next = r.ref;
		if ((rc = fn(&r, arg)) != 0)
			return rc;
		seq = next;
	}
	return 0;
}

static int prepare_for(struct store_txn *t, struct dlog_head *head, const struct ledger_actor *a);

/* Appends one publication, grant or removal: the log links it to the one before it. */
static int
append_change(struct store_txn *t, struct dlog_head *head, struct record *r)
{
	struct buf scratch;
	int rc;

	r->rec_route = r->rec_level = r->need_level = r->route = r->level = RECORD_NONE;
	r->engine = lb(RECORD_ENGINE);
	buf_init(&scratch);
	rc = dlog_append(t, head, r, &scratch);
	buf_free(&scratch);
	return rc;
}

/* A carried-over record's detail: what the table said, and that it was carried over. */
static char *
carried_detail(const struct publication *p)
{
	struct buf b;
	char when[32];

	buf_init(&b);
	buf_adds(&b, "{\"carried_over\":\"at migration\"");
	if (p != NULL) {
		format_utc(p->time, when);
		buf_printf(&b, ",\"published\":\"%s\",\"by\":", when);
		json_write_string(&b, p->actor, strlen(p->actor));
	}
	buf_addc(&b, '}');
	return buf_steal(&b);
}

static int
append_publication(struct store_txn *t, struct dlog_head *head, const struct ledger_actor *a,
    const unsigned char hash[DIGEST_LEN], const char *detail)
{
	struct record r;

	memset(&r, 0, sizeof r);
	r.kind = KIND_PUBLISH;
	r.time = a->time;
	r.actor = lb(a->user);
	r.role = lb(a->role);
	r.has_ruleset = 1;
	memcpy(r.ruleset, hash, DIGEST_LEN);
	r.detail = lb(detail);
	return append_change(t, head, &r);
}

int
ledger_publish(struct store_txn *t, struct dlog_head *head, const struct ledger_actor *a,
    const char *text, size_t len, struct publication *out)
{
	/* the table keeps its numbering; the log's record is what makes it count */
	if (prepare_for(t, head, a) < 0 || rulestore_publish(t, text, len, a->user, a->time, out) < 0)
		return -1;
	if (append_publication(t, head, a, out->hash, NULL) < 0)
		return -1;
	out->seq = head->seq;
	return 0;
}

/* The users table's value: the role's name, NUL, and the grant record's sequence number. */
static int
put_user(struct store_txn *t, const char *user, const char *role, uint64_t seq)
{
	unsigned char v[32 + 9];
	size_t n = strlen(role);

	memcpy(v, role, n);
	v[n] = '\0';
	store_put_u64(v + n + 1, seq);
	return store_put(t, TABLE_USERS, user, strlen(user), v, n + 9);
}

static int
append_grant(struct store_txn *t, struct dlog_head *head, const struct ledger_actor *a,
    const char *user, const char *role, int revoke, const char *detail)
{
	struct record r;

	memset(&r, 0, sizeof r);
	r.kind = revoke ? KIND_REVOKE : KIND_GRANT;
	r.time = a->time;
	r.actor = lb(a->user);
	r.role = lb(a->role);
	r.subject = lb(user);
	r.outcome = lb(role);
	r.detail = lb(detail);
	if (append_change(t, head, &r) < 0)
		return -1;
	if (revoke)
		return store_del(t, TABLE_USERS, user, strlen(user)) < 0 ? -1 : 0;
	return put_user(t, user, role, r.seq) < 0 ? -1 : 0;
}

int
ledger_grant(struct store_txn *t, struct dlog_head *head, const struct ledger_actor *a,
    const char *user, int role)
{
	enum role old = ROLE_OFFICER;
	int had = prepare_for(t, head, a) < 0 ? -1 : roles_get(t, user, &old);

	if (had < 0)
		return -1;
	if (role < 0 && had == 1)
		return store_fail(t, "user %s has no role here", user);
	return append_grant(t, head, a, user, role_name(role < 0 ? old : (enum role)role), role < 0,
	    NULL);
}

struct newest_pub {
	struct publication *out;
	int found;
	uint64_t count;
	const unsigned char *want;
};

static int
newest_publication(const struct record *r, void *arg)
{
	struct newest_pub *np = arg;

	if (r->kind != KIND_PUBLISH)
		return 0;
	if (np->want != NULL) {
		np->found = memcmp(r->ruleset, np->want, DIGEST_LEN) == 0;
		return np->found;
	}
	if (!np->found) {
		ledger_publication(r, 0, np->out);
		np->found = 1;
	}
	np->count++;
	return 0;
}

void
ledger_publication(const struct record *r, uint64_t n, struct publication *out)
{
	size_t an = r->actor.n < sizeof out->actor ? r->actor.n : sizeof out->actor - 1;

	memset(out, 0, sizeof *out);
	out->n = n;
	out->seq = r->seq;
	memcpy(out->hash, r->ruleset, DIGEST_LEN);
	out->time = r->time;
	memcpy(out->actor, r->actor.p, an);
	out->carried = r->detail.n >= 15 && memcmp(r->detail.p, "{\"carried_over\"", 15) == 0;
}

int
ledger_active(struct store_txn *t, struct publication *out)
{
	struct newest_pub np = { out, 0, 0, NULL };
	uint64_t seq;
	int rc = ledger_last(t, &seq);

	if (rc < 0)
		return -1;
	if (rc == 1)
		return rulestore_active(t, out);
	if (ledger_walk(t, newest_publication, &np) < 0)
		return -1;
	if (!np.found)
		return 1;
	out->n = np.count;
	return 0;
}

int
ledger_published(struct store_txn *t, const unsigned char hash[DIGEST_LEN])
{
	struct newest_pub np = { NULL, 0, 0, hash };
	struct store_val v;
	uint64_t seq;
	int rc = ledger_last(t, &seq);

	if (rc < 0)
		return -1;
	if (rc == 1)
		return (rc = rulestore_get(t, hash, &v)) < 0 ? -1 : rc == 0 ? 0 : 1;
	rc = ledger_walk(t, newest_publication, &np);
	return rc < 0 ? -1 : np.found ? 0 : 1;
}

static int
migrate_publications(struct store_txn *t, struct dlog_head *head, const struct ledger_actor *a)
{
	struct store_cursor *c;
	struct store_val k, v;
	unsigned char last[8];
	uint64_t n = 0;
	int rc;

	/* one at a time: appending moves the cursor's pages */
	for (;;) {
		struct publication p;
		char *detail;

		if (store_cursor_open(t, TABLE_PUBLISHED, &c) < 0)
			return -1;
		store_put_u64(last, n + 1);
		rc = store_cursor_seek(c, last, 8, &k, &v);
		if (rc == 0 && rulestore_decode(&k, &v, &p) < 0)
			rc = store_fail(t, "damaged publication record");
		store_cursor_close(c);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
		n = p.n;
		detail = carried_detail(&p);
		rc = append_publication(t, head, a, p.hash, detail);
		free(detail);
		if (rc < 0)
			return -1;
	}
}

/* Reads the user after `after` (or the first) and its role; 1 when there is none. */
static int
next_user(struct store_txn *t, const char *after, char name[33], char role[33])
{
	struct store_cursor *c;
	struct store_val k, v;
	int rc;

	if (store_cursor_open(t, TABLE_USERS, &c) < 0)
		return -1;
	rc = after[0] == '\0' ? store_cursor_move(c, MOVE_FIRST, &k, &v) :
	    store_cursor_seek(c, after, strlen(after), &k, &v);
	if (rc == 0 && after[0] != '\0' && k.len == strlen(after) &&
	    memcmp(k.data, after, k.len) == 0)
		rc = store_cursor_move(c, MOVE_NEXT, &k, &v);
	if (rc == 0) {
		const char *nul = memchr(v.data, '\0', v.len);
		size_t rn = nul != NULL ? (size_t)(nul - (const char *)v.data) : v.len;

		if (k.len == 0 || k.len > 32 || rn == 0 || rn > 32)
			rc = store_fail(t, "damaged user entry");
		else {
			memcpy(name, k.data, k.len);
			name[k.len] = '\0';
			memcpy(role, v.data, rn);
			role[rn] = '\0';
		}
	}
	store_cursor_close(c);
	return rc;
}

static int
migrate_users(struct store_txn *t, struct dlog_head *head, const struct ledger_actor *a)
{
	char name[33] = "", role[33];
	int rc;

	while ((rc = next_user(t, name, name, role)) == 0) {
		if (role_parse(role) < 0)
			return store_fail(t, "damaged user entry");
		if (append_grant(t, head, a, name, role, 0, LEDGER_CARRIED) < 0)
			return -1;
	}
	return rc < 0 ? -1 : 0;
}

/* Carries the tables' users and publications into the log, once. */
static int
ledger_migrate(struct store_txn *t, struct dlog_head *head, const struct record *by)
{
	char user[65], role[33];
	struct ledger_actor a = { user, role, by->time };
	unsigned char zero[8] = { 0 };
	uint64_t seq;
	int rc = ledger_last(t, &seq);

	if (rc <= 0)
		return rc;
	snprintf(user, sizeof user, "%.*s", (int)by->actor.n, by->actor.p);
	snprintf(role, sizeof role, "%.*s", (int)by->role.n, by->role.p);
	/* marked first: the carried records are appended as the database now is */
	if (store_put(t, TABLE_META, LEDGER_META_KEY, strlen(LEDGER_META_KEY), zero, 8) < 0)
		return -1;
	if (migrate_publications(t, head, &a) < 0 || migrate_users(t, head, &a) < 0)
		return -1;
	return 0;
}

int
ledger_prepare(struct store_txn *t, struct dlog_head *head, const struct record *by)
{
	if (head->ledger_checked)
		return 0;
	head->ledger_checked = 1;
	return ledger_migrate(t, head, by) < 0 || ledger_last(t, &head->ledger_last) < 0 ? -1 : 0;
}

/* Migrates before a change touches the tables, so the change is not carried over as well. */
static int
prepare_for(struct store_txn *t, struct dlog_head *head, const struct ledger_actor *a)
{
	struct record by;

	memset(&by, 0, sizeof by);
	by.actor = lb(a->user);
	by.role = lb(a->role);
	by.time = a->time;
	return ledger_prepare(t, head, &by);
}
