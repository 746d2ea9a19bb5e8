/* test_drafts.c: drafts saved, replaced, listed newest first, kept per user, and deleted. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/check.h"
#include "store/drafts.h"
#include "tmpdir.h"
#include "base/util.h"

static void
free_ids(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

static void
test_round_trip(struct store *s)
{
	static const char form[] = "{\"child\":{\"name\":\"Zoë\"},\"notes\":\"a\\u0000b\"}";
	char *data = NULL, *cause = NULL;
	size_t len = 0;

	CHECK_EQ(draft_load(s, "alice", "intake-1", &data, &len, &cause), 1);
	CHECK(data == NULL);
	CHECK_EQ(draft_save(s, "alice", "intake-1", form, sizeof form - 1, &cause), 0);
	CHECK_EQ(draft_load(s, "alice", "intake-1", &data, &len, &cause), 0);
	CHECK_EQ(len, sizeof form - 1);
	CHECK(data != NULL && memcmp(data, form, len) == 0 && data[len] == '\0');
	free(data);
	/* bytes, not strings: NULs survive */
	CHECK_EQ(draft_save(s, "alice", "intake-1", "x\0y", 3, &cause), 0);
	CHECK_EQ(draft_load(s, "alice", "intake-1", &data, &len, &cause), 0);
	CHECK(len == 3 && memcmp(data, "x\0y", 3) == 0);
	free(data);
	CHECK_EQ(draft_save(s, "alice", "empty", "", 0, &cause), 0);
	CHECK_EQ(draft_load(s, "alice", "empty", &data, &len, &cause), 0);
	CHECK_EQ(len, 0);
	free(data);
	CHECK_EQ(draft_delete(s, "alice", "empty", &cause), 0);
	CHECK_EQ(draft_load(s, "alice", "empty", &data, &len, &cause), 1);
}

static void
test_list(struct store *s)
{
	char **ids = NULL, *cause = NULL;
	size_t n = 0;

	/* alice already has intake-1; saves are a few milliseconds apart */
	usleep(3000);
	CHECK_EQ(draft_save(s, "alice", "b", "2", 1, &cause), 0);
	usleep(3000);
	CHECK_EQ(draft_save(s, "alice", "a", "3", 1, &cause), 0);
	usleep(3000);
	CHECK_EQ(draft_save(s, "bob", "c", "4", 1, &cause), 0);
	CHECK_EQ(draft_save(s, "alic", "d", "5", 1, &cause), 0);
	CHECK_EQ(draft_list(s, "alice", &ids, &n, &cause), 0);
	CHECK_EQ(n, 3);
	if (n == 3) {
		CHECK_STR(ids[0], "a");
		CHECK_STR(ids[1], "b");
		CHECK_STR(ids[2], "intake-1");
	}
	free_ids(ids, n);
	/* saving again makes it the newest */
	usleep(3000);
	CHECK_EQ(draft_save(s, "alice", "intake-1", "6", 1, &cause), 0);
	CHECK_EQ(draft_list(s, "alice", &ids, &n, &cause), 0);
	CHECK(n == 3 && strcmp(ids[0], "intake-1") == 0);
	free_ids(ids, n);
	CHECK_EQ(draft_list(s, "bob", &ids, &n, &cause), 0);
	CHECK(n == 1 && strcmp(ids[0], "c") == 0);
	free_ids(ids, n);
	CHECK_EQ(draft_list(s, "carol", &ids, &n, &cause), 0);
	CHECK_EQ(n, 0);
	free_ids(ids, n);
}

static void
test_refusals(struct store *s)
{
	char id[DRAFT_ID_MAX + 2], *cause = NULL;

	memset(id, 'x', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	CHECK_EQ(draft_save(s, "alice", id, "1", 1, &cause), -1);
	CHECK(cause != NULL);
	free(cause);
	cause = NULL;
	CHECK_EQ(draft_save(s, "", "a", "1", 1, &cause), -1);
	free(cause);
	cause = NULL;
	CHECK_EQ(draft_save(s, "alice", "", "1", 1, &cause), -1);
	free(cause);
	id[DRAFT_ID_MAX] = '\0';
	cause = NULL;
	CHECK_EQ(draft_save(s, "alice", id, "1", 1, &cause), 0);
}

int
main(void)
{
	struct store_opts opts = { 1, 0, 0 };
	char *dir = tmpdir_make(), *db = xasprintf("%s/db", dir), *cause = NULL;
	struct store *s;

	if (store_open(&s, db, &opts, &cause) < 0)
		fatal("%s", cause);
	test_round_trip(s);
	test_list(s);
	test_refusals(s);
	store_close(s);
	tmpdir_remove(dir);
	free(db);
	free(dir);
	return check_done();
}
