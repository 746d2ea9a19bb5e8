/* test_demo.c: the demo database is the same every time, reused when present, and well formed. */
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "core/demo.h"
#include "store/dlog.h"
#include "core/queue.h"
#include "store/roles.h"
#include "tmpdir.h"
#include "base/util.h"
#include "core/verify.h"

static int
head_txn(struct store_txn *t, void *arg)
{
	return dlog_head(t, arg);
}

/* The log head of the database in dir. */
static void
head_of(const char *dir, struct dlog_head *h)
{
	struct store_opts opts = { 0, 1, 0 };
	struct store *s;
	char *cause = NULL;

	memset(h, 0, sizeof *h);
	if (store_open(&s, dir, &opts, &cause) < 0 || store_read(s, head_txn, h, &cause) < 0) {
		fprintf(stderr, "%s: %s\n", dir, cause);
		free(cause);
		return;
	}
	store_close(s);
}

static void
test_same_every_time(const char *a, const char *b)
{
	struct dlog_head ha, hb;
	char *cause = NULL;

	char *c = xasprintf("%s-other", b);

	/* the log is the same every time; the user's own grant is in it, so per user */
	CHECK_EQ(demo_create(a, FD_SOURCE_RULES, "tester", 250, &cause), 0);
	CHECK_EQ(demo_create(b, FD_SOURCE_RULES, "tester", 250, &cause), 0);
	CHECK_EQ(demo_create(c, FD_SOURCE_RULES, "someone-else", 250, &cause), 0);
	head_of(a, &ha);
	head_of(b, &hb);
	CHECK(ha.seq >= 250);
	CHECK_EQ(ha.seq, hb.seq);
	CHECK(memcmp(ha.hash, hb.hash, DIGEST_LEN) == 0);
	head_of(c, &hb);
	CHECK_EQ(ha.seq, hb.seq);
	free(c);
	/* a second call finds the demo and leaves it alone */
	CHECK_EQ(demo_create(a, FD_SOURCE_RULES, "tester", 250, &cause), 0);
	head_of(a, &hb);
	CHECK_EQ(ha.seq, hb.seq);
	CHECK(memcmp(ha.hash, hb.hash, DIGEST_LEN) == 0);
}

static int
role_txn(struct store_txn *t, void *arg)
{
	enum role r = ROLE_COUNT;

	if (roles_get(t, arg, &r) != 0)
		return 1;
	return (int)r;
}

static void
test_contents(const char *dir)
{
	struct store_opts opts = { 0, 0, 0 };
	struct verify_opts vo;
	struct verify_result res;
	struct queue_row rows[20];
	unsigned long counts[ROUTE_COUNT + 1];
	struct store *s;
	char *cause = NULL;
	int more = 0, n;

	if (store_open(&s, dir, &opts, &cause) < 0) {
		CHECK(0);
		free(cause);
		return;
	}
	CHECK_EQ(store_read(s, role_txn, "tester", &cause), ROLE_MANAGER);
	CHECK_EQ(store_read(s, role_txn, "s.lee", &cause), ROLE_MANAGER);
	CHECK_EQ(store_read(s, role_txn, "demo-admin", &cause), ROLE_ADMIN);
	CHECK_EQ(store_read(s, role_txn, "m.jones", &cause), ROLE_EARLY_HELP);
	memset(&vo, 0, sizeof vo);
	CHECK_EQ(verify_run(s, &vo, &res, &cause), 0);
	CHECK_EQ(res.nproblems, 0);
	CHECK(res.replayed == 250);
	verify_result_free(&res);
	n = queue_page(s, NULL, 0, rows, 20, &more, &cause);
	CHECK_EQ(n, 20);
	CHECK(more);
	for (int i = 0; i < n; i++) {
		CHECK(strncmp(rows[i].case_id, "D-", 2) == 0);
		CHECK(rows[i].name[0] != '\0');
		CHECK(rows[i].received_at > 0);
		CHECK(i == 0 || rows[i].seq < rows[i - 1].seq);
	}
	CHECK_EQ(queue_counts(s, counts, &cause), 0);
	CHECK(counts[ROUTE_COUNT] > 20);
	CHECK(counts[ROUTE_MASH] > 0 && counts[ROUTE_UNIVERSAL] > 0);
	store_close(s);
}

static void
test_refuses_other_databases(const char *dir, const char *plain)
{
	struct store_opts opts = { 1, 0, 0 };
	struct store *s;
	char *cause = NULL;

	if (store_open(&s, plain, &opts, &cause) < 0)
		fatal("%s", cause);
	store_close(s);
	CHECK_EQ(demo_create(plain, FD_SOURCE_RULES, "tester", 10, &cause), -1);
	CHECK_CONTAINS(cause, "not a finished demo");
	free(cause);
	cause = NULL;

	CHECK_EQ(demo_create(dir, FD_SOURCE_RULES, "tester", 10, &cause), 0);
	CHECK_EQ(demo_create(dir, "/nonexistent/rules.yaml", "tester", 10, &cause), 0);
	CHECK_EQ(demo_create(dir, FD_SOURCE_RULES, "", 10, &cause), -1);
	CHECK(cause != NULL);
	free(cause);
}

int
main(void)
{
	char *dir = tmpdir_make();
	char *a = xasprintf("%s/a", dir), *b = xasprintf("%s/sub/b", dir);
	char *c = xasprintf("%s/c", dir), *d = xasprintf("%s/d", dir);

	test_same_every_time(a, b);
	test_contents(a);
	test_refuses_other_databases(c, d);
	tmpdir_remove(dir);
	free(a);
	free(b);
	free(c);
	free(d);
	free(dir);
	return check_done();
}
