/* tray.c: the work tray's index tables: open cases by due time, and each case's place. */
#include "store/tray.h"

#include <string.h>

#include "base/names.h"
#include "store/record.h"

static const char indexed_key[] = "tray-indexed-to";

uint64_t
tray_key(const struct tray_item *it)
{
	uint64_t minute;

	if (it->seq == 0 || it->seq > TRAY_SEQ_MAX)
		return 0;
	if (it->at == 0)
		minute = TRAY_MINUTE_MAX;
	else if (it->at < 0)
		minute = 0;
	else if ((uint64_t)it->at / 60 >= TRAY_MINUTE_MAX)
		minute = TRAY_MINUTE_MAX - 1;
	else
		minute = (uint64_t)it->at / 60;
	return minute << TRAY_SEQ_BITS | (TRAY_SEQ_MAX - it->seq);
}

uint64_t
tray_key_seq(uint64_t key)
{
	return TRAY_SEQ_MAX - (key & TRAY_SEQ_MAX);
}

/* The place a case has now: 0 with its key, 1 none, -1 error. */
static int
tray_place(struct store_txn *t, const char *id, size_t len, unsigned char key[8])
{
	struct store_val v;
	int rc = store_get(t, TABLE_DUE, id, len, &v);

	if (rc != 0)
		return rc;
	if (v.len != 8)
		return store_fail(t, "a case's place in the tray is damaged (run frontdoor verify)");
	memcpy(key, v.data, 8);
	return 0;
}

int
tray_set(struct store_txn *t, const char *id, size_t len, const struct tray_item *it)
{
	unsigned char old[8], key[8], val[TRAY_VALUE_HEAD + CASE_ID_MAX];
	uint64_t k = it != NULL ? tray_key(it) : 0;
	int rc;

	if (it != NULL && k == 0)
		return store_fail(t, "seq %llu is beyond what the tray's index can hold",
		    (unsigned long long)it->seq);
	if (len == 0 || len > CASE_ID_MAX)
		return store_fail(t, "a case id must be 1 to %d bytes", CASE_ID_MAX);
	if ((rc = tray_place(t, id, len, old)) < 0)
		return -1;
	if (rc == 0 && store_del(t, TABLE_TRAY, old, 8) < 0)
		return -1;
	if (it == NULL)
		return rc == 0 && store_del(t, TABLE_DUE, id, len) < 0 ? -1 : 0;
	store_put_u64(key, k);
	val[0] = (unsigned char)it->what;
	val[1] = (unsigned char)it->urgency;
	store_put_u64(val + 2, (uint64_t)it->at);
	val[10] = (unsigned char)it->route;
	val[11] = (unsigned char)((it->awaiting ? 1 : 0) | (it->returned ? 2 : 0));
	memcpy(val + TRAY_VALUE_HEAD, id, len);
	if (store_put(t, TABLE_TRAY, key, 8, val, TRAY_VALUE_HEAD + len) < 0)
		return -1;
	return store_put(t, TABLE_DUE, id, len, key, 8);
}

int
tray_entry(const struct store_val *k, const struct store_val *v, struct tray_item *it,
    const char **id, size_t *len)
{
	const unsigned char *p = v->data;
	uint64_t key;

	if (k->len != 8 || v->len <= TRAY_VALUE_HEAD || v->len > TRAY_VALUE_HEAD + CASE_ID_MAX)
		return -1;
	key = store_get_u64(k->data);
	it->what = p[0];
	it->urgency = p[1];
	it->at = (int64_t)store_get_u64(p + 2);
	it->route = p[10];
	it->awaiting = (p[11] & 1) != 0;
	it->returned = (p[11] & 2) != 0;
	it->seq = tray_key_seq(key);
	*id = (const char *)p + TRAY_VALUE_HEAD;
	*len = v->len - TRAY_VALUE_HEAD;
	return it->seq != 0 && tray_key(it) == key && (p[11] & ~3) == 0 &&
	    (it->route < ROUTE_COUNT || it->route == RECORD_NONE) ? 0 : -1;
}

int
tray_case(struct store_txn *t, const char *id, size_t len, struct tray_item *it)
{
	unsigned char key[8];
	struct store_val k = { key, 8 }, v;
	const char *eid;
	size_t elen;
	int rc = tray_place(t, id, len, key);

	if (rc != 0)
		return rc;
	if ((rc = store_get(t, TABLE_TRAY, key, 8, &v)) < 0)
		return -1;
	if (rc == 1 || tray_entry(&k, &v, it, &eid, &elen) < 0 || elen != len ||
	    memcmp(eid, id, len) != 0)
		return store_fail(t, "a case's place in the tray names no entry of it "
		    "(run frontdoor verify)");
	return 0;
}

int
tray_indexed(struct store_txn *t, uint64_t *upto)
{
	struct store_val v;
	int rc = store_get(t, TABLE_META, indexed_key, sizeof indexed_key - 1, &v);

	*upto = 0;
	if (rc < 0)
		return -1;
	if (rc == 0 && v.len == 8)
		*upto = store_get_u64(v.data);
	return 0;
}

int
tray_set_indexed(struct store_txn *t, uint64_t upto)
{
	unsigned char val[8];

	store_put_u64(val, upto);
	return store_put(t, TABLE_META, indexed_key, sizeof indexed_key - 1, val, 8);
}

int
tray_clear(struct store_txn *t)
{
	return store_clear(t, TABLE_TRAY) < 0 || store_clear(t, TABLE_DUE) < 0 ? -1 : 0;
}
