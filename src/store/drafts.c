/* drafts.c: per-user unfinished intake forms in TABLE_DRAFTS, newest first. */
#include "store/drafts.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"

/*
 * Key: user, NUL, draft id. Value: the save time in microseconds since 1970
 * (8 bytes, big-endian), then the draft's bytes.
 */
#define DRAFT_USER_MAX 64
#define DRAFT_MAX_DATA (4 * 1024 * 1024)
#define DRAFT_KEY_MAX (DRAFT_USER_MAX + 1 + DRAFT_ID_MAX)

struct draft_arg {
	unsigned char key[DRAFT_KEY_MAX];
	size_t klen, ulen;	/* the key's length; the user's part, with its NUL */
	const char *data;
	size_t len;
	int64_t saved;
	/* out */
	char *out;
	size_t outlen;
	char ***ids;
	size_t *n;
	int found;
};

/* One listed draft, sorted by save time. */
struct draft_entry {
	int64_t saved;
	char *id;
};

/* Builds the key; -1 with a cause for an empty or overlong user or id. */
static int
draft_key(struct draft_arg *a, const char *user, const char *id, char **cause)
{
	size_t ul = strlen(user), il = id != NULL ? strlen(id) : 0;

	if (ul == 0 || ul > DRAFT_USER_MAX) {
		*cause = xasprintf("a user name must be 1 to %d bytes", DRAFT_USER_MAX);
		return -1;
	}
	if (id != NULL && (il == 0 || il > DRAFT_ID_MAX)) {
		*cause = xasprintf("a draft id must be 1 to %d bytes", DRAFT_ID_MAX);
		return -1;
	}
	memcpy(a->key, user, ul);
	a->key[ul] = '\0';
	a->ulen = ul + 1;
	if (il > 0)
		memcpy(a->key + ul + 1, id, il);
	a->klen = ul + 1 + il;
	return 0;
}

static int64_t
draft_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
draft_save_txn(struct store_txn *t, void *argp)
{
	struct draft_arg *a = argp;
	char *val = xmalloc(8 + a->len);
	int rc;

	store_put_u64((unsigned char *)val, (uint64_t)a->saved);
	if (a->len > 0)
		memcpy(val + 8, a->data, a->len);
	rc = store_put(t, TABLE_DRAFTS, a->key, a->klen, val, 8 + a->len);
	free(val);
	return rc < 0 ? -1 : 0;
}

int
draft_save(struct store *s, const char *user, const char *id, const char *data, size_t len,
    char **cause)
{
	struct draft_arg a;

	memset(&a, 0, sizeof a);
	if (draft_key(&a, user, id, cause) < 0)
		return -1;
	if (len > DRAFT_MAX_DATA) {
		*cause = xasprintf("a draft may hold at most %d bytes", DRAFT_MAX_DATA);
		return -1;
	}
	a.data = data;
	a.len = len;
	a.saved = draft_now();
	return store_write(s, draft_save_txn, &a, cause) < 0 ? -1 : 0;
}

static int
draft_load_txn(struct store_txn *t, void *argp)
{
	struct draft_arg *a = argp;
	struct store_val v;
	int rc = store_get(t, TABLE_DRAFTS, a->key, a->klen, &v);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (v.len < 8)
		return store_fail(t, "damaged draft");
	a->outlen = v.len - 8;
	a->out = xmalloc(a->outlen + 1);
	memcpy(a->out, (const char *)v.data + 8, a->outlen);
	a->out[a->outlen] = '\0';
	a->found = 1;
	return 0;
}

int
draft_load(struct store *s, const char *user, const char *id, char **data, size_t *len,
    char **cause)
{
	struct draft_arg a;

	memset(&a, 0, sizeof a);
	*data = NULL;
	*len = 0;
	if (draft_key(&a, user, id, cause) < 0)
		return -1;
	if (store_read(s, draft_load_txn, &a, cause) < 0) {
		free(a.out);
		return -1;
	}
	if (!a.found)
		return 1;
	*data = a.out;
	*len = a.outlen;
	return 0;
}

static int
draft_delete_txn(struct store_txn *t, void *argp)
{
	struct draft_arg *a = argp;

	return store_del(t, TABLE_DRAFTS, a->key, a->klen) < 0 ? -1 : 0;
}

/* Deleting a draft that is not there is not an error: the form is gone either way. */
int
draft_delete(struct store *s, const char *user, const char *id, char **cause)
{
	struct draft_arg a;

	memset(&a, 0, sizeof a);
	if (draft_key(&a, user, id, cause) < 0)
		return -1;
	return store_write(s, draft_delete_txn, &a, cause) < 0 ? -1 : 0;
}

/* Newest first; equal times by id, so the order never depends on the sort. */
static int
draft_entry_cmp(const void *x, const void *y)
{
	const struct draft_entry *a = x, *b = y;

	if (a->saved != b->saved)
		return a->saved > b->saved ? -1 : 1;
	return strcmp(a->id, b->id);
}

static void
draft_entries_free(struct draft_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].id);
	free(v);
}

/* Collects the user's drafts (keys sharing the prefix user NUL). */
static int
draft_list_txn(struct store_txn *t, void *argp)
{
	struct draft_arg *a = argp;
	struct draft_entry *v = NULL;
	struct store_cursor *c;
	struct store_val k, val;
	size_t n = 0, cap = 0;
	int rc;

	if (store_cursor_open(t, TABLE_DRAFTS, &c) < 0)
		return -1;
	for (rc = store_cursor_seek(c, a->key, a->ulen, &k, &val); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &val)) {
		if (k.len <= a->ulen || memcmp(k.data, a->key, a->ulen) != 0)
			break;
		if (val.len < 8)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[n].saved = (int64_t)store_get_u64(val.data);
		v[n++].id = xstrndup((const char *)k.data + a->ulen, k.len - a->ulen);
	}
	store_cursor_close(c);
	if (rc < 0) {
		draft_entries_free(v, n);
		return -1;
	}
	if (n > 0)
		qsort(v, n, sizeof *v, draft_entry_cmp);
	*a->ids = xreallocarray(NULL, n ? n : 1, sizeof **a->ids);
	for (size_t i = 0; i < n; i++)
		(*a->ids)[i] = v[i].id;
	free(v);
	*a->n = n;
	return 0;
}

int
draft_list(struct store *s, const char *user, char ***ids, size_t *n, char **cause)
{
	struct draft_arg a;

	memset(&a, 0, sizeof a);
	*ids = NULL;
	*n = 0;
	if (draft_key(&a, user, NULL, cause) < 0)
		return -1;
	a.ids = ids;
	a.n = n;
	return store_read(s, draft_list_txn, &a, cause) < 0 ? -1 : 0;
}
