/* rulestore.c: keeps rule sets in the database by the hash of their bytes, and their publications. */
#include "store/rulestore.h"

#include <stdlib.h>
#include <string.h>

#include "base/diag.h"

#define PUB_LEN (DIGEST_LEN + 8)

int
rulestore_put(struct store_txn *t, const char *text, size_t len, unsigned char hash[DIGEST_LEN])
{
	digest_sha256(text, len, hash);
	/* the key is the content's hash: a set already there holds these very bytes */
	return store_put_new(t, TABLE_RULESETS, hash, DIGEST_LEN, text, len) < 0 ? -1 : 0;
}

int
rulestore_decode(const struct store_val *k, const struct store_val *v, struct publication *p)
{
	size_t alen;

	memset(p, 0, sizeof *p);
	if (k->len != 8 || v->len < PUB_LEN || v->len - PUB_LEN >= sizeof p->actor)
		return -1;
	p->n = store_get_u64(k->data);
	memcpy(p->hash, v->data, DIGEST_LEN);
	p->time = (int64_t)store_get_u64((const unsigned char *)v->data + DIGEST_LEN);
	alen = v->len - PUB_LEN;
	memcpy(p->actor, (const char *)v->data + PUB_LEN, alen);
	p->actor[alen] = '\0';
	return 0;
}

int
rulestore_active(struct store_txn *t, struct publication *out)
{
	struct store_val k, v;
	int rc;

	rc = store_last(t, TABLE_PUBLISHED, &k, &v);
	if (rc != 0)
		return rc;
	if (rulestore_decode(&k, &v, out) < 0)
		return store_fail(t, "damaged publication record");
	return 0;
}

int
rulestore_publish(struct store_txn *t, const char *text, size_t len, const char *actor,
    int64_t now, struct publication *out)
{
	unsigned char key[8], val[PUB_LEN + 64];
	size_t alen = strlen(actor);
	struct publication last;
	int rc;

	if (alen > 64)
		return store_fail(t, "user name too long");
	memset(out, 0, sizeof *out);
	if (rulestore_put(t, text, len, out->hash) < 0)
		return -1;
	rc = rulestore_active(t, &last);
	if (rc < 0)
		return -1;
	out->n = rc == 1 ? 1 : last.n + 1;
	out->time = now;
	memcpy(out->actor, actor, alen + 1);
	store_put_u64(key, out->n);
	memcpy(val, out->hash, DIGEST_LEN);
	store_put_u64(val + DIGEST_LEN, (uint64_t)now);
	memcpy(val + PUB_LEN, actor, alen);
	rc = store_append(t, TABLE_PUBLISHED, key, 8, val, PUB_LEN + alen);
	if (rc == 1)
		return store_fail(t, "the publications changed during this transaction: "
		    "nothing was saved");
	return rc < 0 ? -1 : 0;
}

int
rulestore_intact(const void *key, size_t klen, const void *data, size_t len)
{
	unsigned char got[DIGEST_LEN];

	/* content-addressed: bytes edited in place no longer hash to their key */
	digest_sha256(data, len, got);
	return klen == DIGEST_LEN && memcmp(got, key, DIGEST_LEN) == 0;
}

int
rulestore_get(struct store_txn *t, const unsigned char hash[DIGEST_LEN], struct store_val *out)
{
	int rc = store_get(t, TABLE_RULESETS, hash, DIGEST_LEN, out);

	if (rc != 0)
		return rc;
	return rulestore_intact(hash, DIGEST_LEN, out->data, out->len) ? 0 : RULESTORE_ALTERED;
}

int
rulestore_history(struct store_txn *t, int (*fn)(const struct publication *p, void *arg),
    void *arg)
{
	struct store_cursor *c;
	struct store_val k, v;
	int rc;

	if (store_cursor_open(t, TABLE_PUBLISHED, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		struct publication p;

		if (rulestore_decode(&k, &v, &p) < 0) {
			rc = store_fail(t, "damaged publication record");
			break;
		}
		if ((rc = fn(&p, arg)) != 0)
			break;
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}
