/* data.c: the screens' reads from the store, each in one short read transaction (no curses here). */
#include "tui/state/data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/stats.h"
#include "tui/state/find.h"

#define PROGRESS_EVERY 4096

/* ---- role ---- */

struct role_arg {
	const char *user;
	enum role role;
	int has;
};

static int
role_txn(struct store_txn *t, void *argp)
{
	struct role_arg *a = argp;
	int rc = roles_get(t, a->user, &a->role);

	if (rc < 0)
		return -1;
	a->has = rc == 0;
	return 0;
}

int
tui_data_role(struct store *s, const char *user, enum role *role, int *has, char **cause)
{
	struct role_arg a = { user, ROLE_OFFICER, 0 };

	if (store_read(s, role_txn, &a, cause) < 0)
		return -1;
	*role = a.role;
	*has = a.has;
	return 0;
}

int
tui_data_queue_fetch(void *arg, const struct queue_filter *f, uint64_t key, int newer,
    struct queue_row *rows, size_t n, int *more, char **cause)
{
	/* a search looks through every case, open and closed (find.c) */
	if (f->search != NULL && !f->awaiting_signoff && f->returned_to == NULL)
		return tui_find_page(arg, f, key, newer, rows, n, more, cause);
	return newer ? queue_page_newer(arg, f, key, rows, n, more, cause) :
	    queue_page(arg, f, key, rows, n, more, cause);
}

/* ---- one case ---- */

struct case_arg {
	const char *id;
	struct tui_case_entry *e;
	size_t n, cap;
	struct case_state cs;
	int known;
	int64_t *times;
	size_t ntimes, tcap;
	uint64_t awaiting;
	struct tui_case_entry *one;
	int found;
};

static int
case_add(const struct record *r, void *argp)
{
	struct case_arg *a = argp;

	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->e = xreallocarray(a->e, a->cap, sizeof *a->e);
	}
	tui_case_entry_from(&a->e[a->n++], r);
	return 0;
}

static int
case_txn(struct store_txn *t, void *argp)
{
	struct case_arg *a = argp;
	char *cause = NULL;
	size_t len = strlen(a->id);
	int rc = dlog_case_state(t, a->id, len, &a->cs);

	if (rc < 0)
		return -1;
	a->known = rc == 0;
	if (!a->known)
		return 0;
	if (dlog_case_records(t, a->id, len, case_add, a, &cause) < 0) {
		store_fail(t, "%s", cause != NULL ? cause : "cannot read the case");
		free(cause);
		return -1;
	}
	return 0;
}

int
tui_data_case(struct store *s, const char *case_id, struct tui_case_entry **e, size_t *n,
    struct case_state *cs, int *known, char **cause)
{
	struct case_arg a;

	memset(&a, 0, sizeof a);
	a.id = case_id;
	*e = NULL;
	*n = 0;
	if (store_read(s, case_txn, &a, cause) < 0) {
		tui_case_entries_free(a.e, a.n);
		return -1;
	}
	*e = a.e;
	*n = a.n;
	if (cs != NULL)
		*cs = a.cs;
	*known = a.known;
	return 0;
}

/* Notes the receipt time of each route or override record. */
static int
earlier_add(const struct record *r, void *argp)
{
	struct case_arg *a = argp;
	struct tui_case_entry e;

	if (r->kind != KIND_ROUTE && r->kind != KIND_OVERRIDE)
		return 0;
	tui_case_entry_from(&e, r);
	if (a->ntimes == a->tcap) {
		a->tcap = a->tcap ? a->tcap * 2 : 16;
		a->times = xreallocarray(a->times, a->tcap, sizeof *a->times);
	}
	a->times[a->ntimes++] = e.received > 0 ? e.received : e.time;
	tui_case_entry_clear(&e);
	return 0;
}

static int
earlier_txn(struct store_txn *t, void *argp)
{
	struct case_arg *a = argp;
	char *cause = NULL;

	if (dlog_case_records(t, a->id, strlen(a->id), earlier_add, a, &cause) < 0) {
		store_fail(t, "%s", cause != NULL ? cause : "cannot read the case");
		free(cause);
		return -1;
	}
	return 0;
}

int
tui_data_earlier(struct store *s, const char *case_id, int64_t **times, size_t *n, char **cause)
{
	struct case_arg a;

	memset(&a, 0, sizeof a);
	a.id = case_id;
	*times = NULL;
	*n = 0;
	if (store_read(s, earlier_txn, &a, cause) < 0) {
		free(a.times);
		return -1;
	}
	*times = a.times;
	*n = a.ntimes;
	return 0;
}

static int
exists_txn(struct store_txn *t, void *argp)
{
	struct case_arg *a = argp;
	int rc = dlog_case_state(t, a->id, strlen(a->id), &a->cs);

	if (rc < 0)
		return -1;
	a->known = rc == 0;
	return 0;
}

int
tui_data_case_exists(struct store *s, const char *case_id, int *exists, char **cause)
{
	struct case_arg a;

	memset(&a, 0, sizeof a);
	a.id = case_id;
	if (store_read(s, exists_txn, &a, cause) < 0)
		return -1;
	*exists = a.known;
	return 0;
}

struct newid_arg {
	char *out;
	size_t outsz;
};

static int
newid_txn(struct store_txn *t, void *argp)
{
	struct newid_arg *a = argp;
	struct dlog_head h;
	struct case_state cs;

	if (dlog_head(t, &h) < 0)
		return -1;
	for (uint64_t n = h.seq + 1;; n++) {
		int rc;

		snprintf(a->out, a->outsz, "C-%08llu", (unsigned long long)n);
		rc = dlog_case_state(t, a->out, strlen(a->out), &cs);
		if (rc < 0)
			return -1;
		if (rc == 1)
			return 0;
	}
}

int
tui_data_new_case_id(struct store *s, char *out, size_t outsz, char **cause)
{
	struct newid_arg a = { out, outsz };

	return store_read(s, newid_txn, &a, cause) < 0 ? -1 : 0;
}

static int
awaiting_txn(struct store_txn *t, void *argp)
{
	struct case_arg *a = argp;
	struct record r;
	char *cause = NULL;
	int rc = dlog_case_state(t, a->id, strlen(a->id), &a->cs);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	a->awaiting = a->cs.awaiting_signoff;
	if (a->awaiting == 0)
		return 0;
	rc = dlog_get(t, a->awaiting, &r, &cause);
	if (rc != 0) {
		store_fail(t, "record %llu: %s", (unsigned long long)a->awaiting,
		    cause != NULL ? cause : "missing");
		free(cause);
		return -1;
	}
	tui_case_entry_from(a->one, &r);
	a->found = 1;
	return 0;
}

int
tui_data_awaiting(struct store *s, const char *case_id, uint64_t *seq, struct tui_case_entry *e,
    char **cause)
{
	struct case_arg a;

	memset(&a, 0, sizeof a);
	memset(e, 0, sizeof *e);
	a.id = case_id;
	a.one = e;
	if (store_read(s, awaiting_txn, &a, cause) < 0)
		return -1;
	*seq = a.found ? a.awaiting : 0;
	return 0;
}

/* ---- the log ---- */

static int
head_txn(struct store_txn *t, void *argp)
{
	struct dlog_head h;

	if (dlog_head(t, &h) < 0)
		return -1;
	*(uint64_t *)argp = h.seq;
	return 0;
}

int
tui_data_head(struct store *s, uint64_t *head, char **cause)
{
	return store_read(s, head_txn, head, cause) < 0 ? -1 : 0;
}

struct page_arg {
	uint64_t from;
	size_t n, got;
	struct tui_case_entry *out;
};

static int
page_txn(struct store_txn *t, void *argp)
{
	struct page_arg *a = argp;

	a->got = 0;
	for (uint64_t seq = a->from; seq > 0 && a->got < a->n; seq--) {
		struct record r;
		char *cause = NULL;
		int rc = dlog_get(t, seq, &r, &cause);

		if (rc < 0) {
			/* a damaged record is shown as such: verify says more */
			memset(&a->out[a->got], 0, sizeof a->out[a->got]);
			a->out[a->got].seq = seq;
			a->out[a->got].kind = KIND_COUNT;
			a->out[a->got].summary = xasprintf("damaged record: %s",
			    cause != NULL ? cause : "unreadable");
			a->got++;
			free(cause);
			continue;
		}
		if (rc == 1)
			continue;
		tui_case_entry_from(&a->out[a->got++], &r);
	}
	return 0;
}

int
tui_data_log_page(struct store *s, uint64_t from, size_t n, struct tui_case_entry *out,
    size_t *got, char **cause)
{
	struct page_arg a = { from, n, 0, out };
	int rc = store_read(s, page_txn, &a, cause);

	*got = a.got;
	return rc < 0 ? -1 : 0;
}

static int
count_txn(struct store_txn *t, void *argp)
{
	return store_count(t, TABLE_LOG, argp);
}

struct scan_arg {
	struct tui_charts *charts;
	struct audit_whatif *whatif;
	struct replayer rp;
	size_t done, total;
	tui_progress_fn progress;
	void *parg;
};

static int
scan_one(struct store_txn *t, uint64_t seq, const struct store_val *raw, void *argp)
{
	struct scan_arg *a = argp;
	struct record r;
	char *cause = NULL;

	if (a->progress != NULL && ++a->done % PROGRESS_EVERY == 0)
		a->progress(a->done, a->total, a->parg);
	if (record_decode(raw->data, raw->len, &r, &cause) < 0) {
		free(cause);
		return 0;
	}
	if (a->charts != NULL)
		stats_add(&a->charts->st, &r);
	if (a->whatif != NULL)
		audit_whatif_record(a->whatif, &a->rp, t, seq, &r);
	return 0;
}

static int
scan_all(struct store *s, struct scan_arg *a, char **cause)
{
	int rc;

	if (store_read(s, count_txn, &a->total, cause) < 0)
		return -1;
	rc = dlog_scan(s, 1, scan_one, a, cause);
	if (rc == 0 && a->progress != NULL)
		a->progress(a->total, a->total, a->parg);
	return rc < 0 ? -1 : 0;
}

int
tui_data_charts(struct store *s, struct tui_charts *c, tui_progress_fn progress, void *arg,
    char **cause)
{
	struct scan_arg a;

	memset(&a, 0, sizeof a);
	a.charts = c;
	a.progress = progress;
	a.parg = arg;
	return scan_all(s, &a, cause);
}

int
tui_data_whatif(struct store *s, const struct ruleset *candidate, struct audit_whatif *w,
    tui_progress_fn progress, void *arg, char **cause)
{
	struct scan_arg a;
	int rc;

	memset(&a, 0, sizeof a);
	audit_whatif_init(w, candidate, TUI_WHATIF_MOVES);
	a.whatif = w;
	a.progress = progress;
	a.parg = arg;
	replayer_init(&a.rp);
	rc = scan_all(s, &a, cause);
	replayer_free(&a.rp);
	return rc;
}
