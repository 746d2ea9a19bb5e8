/* people.c: keeps the person index (people.h) with the log: built once for old logs, then per append. */
#include "store/people.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/util.h"

#define BUILD_CHUNK 50000	/* records a transaction while building an old log's index */

static const char indexed_key[] = "people-indexed-to";

/* Copies the string at token i (unescaped, at most max - 1 bytes) into out; "" otherwise. */
static size_t
text_at(const struct json_doc *d, int i, char *out, size_t max)
{
	size_t len;
	char *tmp;

	out[0] = '\0';
	if (i < 0 || d->tok[i].type != JSMN_STRING)
		return 0;
	tmp = xmalloc(JSON_TOK_LEN(d, i) + 1);
	len = json_unescape(d, i, tmp);
	if (len >= max)
		len = max - 1;
	memcpy(out, tmp, len);
	out[len] = '\0';
	free(tmp);
	return len;
}

void
people_facts_read(const char *facts, size_t n, struct people_facts *pf)
{
	struct json_doc doc;
	char *cause = NULL, text[512];
	int child;
	size_t len;

	memset(pf, 0, sizeof *pf);
	json_doc_init(&doc);
	if (n == 0 || json_parse(&doc, facts, n, &cause) < 0 || doc.tok[0].type != JSMN_OBJECT ||
	    (child = json_object_get(&doc, 0, "child")) < 0 || doc.tok[child].type != JSMN_OBJECT)
		goto done;
	len = text_at(&doc, json_object_get(&doc, child, "name"), text, sizeof text);
	personkey_name(text, len, &pf->name);
	memcpy(pf->written, text, len < sizeof pf->written ? len + 1 : sizeof pf->written);
	pf->written[sizeof pf->written - 1] = '\0';
	len = text_at(&doc, json_object_get(&doc, child, "dob"), text, sizeof text);
	if (personkey_dob(text, len, pf->dob) < 0)
		pf->dob[0] = '\0';
	len = text_at(&doc, json_object_get(&doc, child, "nhs_number"), text, sizeof text);
	if (personkey_nhs(text, len, pf->nhs) < 0)
		pf->nhs[0] = '\0';
	text_at(&doc, json_object_get(&doc, child, "district"), pf->district, sizeof pf->district);
	text_at(&doc, json_object_get(&doc, 0, "received"), pf->received, sizeof pf->received);
done:
	free(cause);
	json_doc_free(&doc);
}

size_t
people_key(unsigned char out[PEOPLE_KEY_MAX], int tag, const char *text, size_t n, uint64_t seq)
{
	out[0] = (unsigned char)tag;
	memcpy(out + 1, text, n);
	out[1 + n] = '\0';
	store_put_u64(out + 2 + n, seq);
	return n + 10;
}

int
people_key_split(const struct store_val *k, int *tag, const char **text, size_t *n,
    uint64_t *seq)
{
	const unsigned char *p = k->data;

	if (k->len < 10 || k->len > PEOPLE_KEY_MAX || p[k->len - 9] != '\0' ||
	    memchr(p + 1, '\0', k->len - 10) != NULL)
		return -1;
	if (p[0] != PEOPLE_WORD && p[0] != PEOPLE_BACKWARD && p[0] != PEOPLE_DOB &&
	    p[0] != PEOPLE_NHS)
		return -1;
	*tag = p[0];
	*text = (const char *)p + 1;
	*n = k->len - 10;
	*seq = store_get_u64(p + k->len - 8);
	return 0;
}

/* Adds one entry to out. */
static void
add_key(struct people_keys *out, int tag, const char *text, size_t n, uint64_t seq)
{
	if (n == 0 || out->n == PEOPLE_KEYS_MAX)
		return;
	out->len[out->n] = people_key(out->key[out->n], tag, text, n, seq);
	out->n++;
}

void
people_record_keys(const struct record *r, struct people_keys *out)
{
	struct people_facts pf;

	out->n = 0;
	if (!record_kind_is_decision(r->kind) || r->case_id.n == 0 || r->facts.n == 0)
		return;
	people_facts_read(r->facts.p, r->facts.n, &pf);
	for (size_t i = 0; i < pf.name.nwords; i++) {
		const char *w = pf.name.words[i];
		size_t n = strlen(w);
		char back[PERSONKEY_WORD_MAX + 1];

		for (size_t j = 0; j < n; j++)
			back[j] = w[n - 1 - j];
		add_key(out, PEOPLE_WORD, w, n, r->seq);
		add_key(out, PEOPLE_BACKWARD, back, n, r->seq);
	}
	add_key(out, PEOPLE_DOB, pf.dob, strlen(pf.dob), r->seq);
	add_key(out, PEOPLE_NHS, pf.nhs, strlen(pf.nhs), r->seq);
}

/* Writes r's entries. */
static int
put_record(struct store_txn *t, const struct record *r)
{
	struct people_keys keys;

	people_record_keys(r, &keys);
	for (size_t i = 0; i < keys.n; i++)
		if (store_put(t, TABLE_PEOPLE, keys.key[i], keys.len[i], r->case_id.p,
		    r->case_id.n) < 0)
			return -1;
	return 0;
}

int
people_indexed(struct store_txn *t, uint64_t *upto)
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

static int
set_indexed(struct store_txn *t, uint64_t upto)
{
	unsigned char val[8];

	store_put_u64(val, upto);
	return store_put(t, TABLE_META, indexed_key, sizeof indexed_key - 1, val, 8);
}

/*
 * Indexes up to max records after the ones covered, to `last` at most:
 * *more is set when records remain. A record that cannot be read is left
 * out (verify reports it).
 */
static int
catch_up(struct store_txn *t, uint64_t last, uint64_t max, int *more)
{
	struct store_cursor *c;
	struct store_val k, v;
	unsigned char key[8];
	uint64_t from, done = 0, seq, upto;
	int rc;

	*more = 0;
	if (people_indexed(t, &from) < 0)
		return -1;
	if (from >= last)
		return 0;
	if (store_cursor_open(t, TABLE_LOG, &c) < 0)
		return -1;
	upto = from;
	store_put_u64(key, from + 1);
	for (rc = store_cursor_seek(c, key, 8, &k, &v); rc == 0 && done < max;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v), done++) {
		struct record r;
		char *cause = NULL;

		if (k.len != 8 || (seq = store_get_u64(k.data)) > last)
			break;
		if (record_decode(v.data, v.len, &r, &cause) < 0) {
			free(cause);
			upto = seq;
			continue;
		}
		r.seq = seq;	/* the entry names where the record is, whatever it holds */
		if (put_record(t, &r) < 0) {
			rc = -1;
			break;
		}
		upto = seq;
	}
	store_cursor_close(c);
	if (rc < 0)
		return -1;
	*more = rc == 0 && done == max && upto < last;
	return upto > from ? set_indexed(t, upto) : 0;
}

int
people_add(struct store_txn *t, struct dlog_head *head, const struct record *r)
{
	int more;

	if (!head->people_current) {
		if (catch_up(t, head->seq, UINT64_MAX, &more) < 0)
			return -1;
		head->people_current = 1;
	}
	if (put_record(t, r) < 0)
		return -1;
	return set_indexed(t, r->seq);
}

struct build_arg {
	uint64_t last;
	int more;
};

static int
build_txn(struct store_txn *t, void *argp)
{
	struct build_arg *a = argp;

	return catch_up(t, a->last, BUILD_CHUNK, &a->more);
}

/* The log's newest sequence number, and the newest the index covers. */
static int
sizes_txn(struct store_txn *t, void *argp)
{
	uint64_t *sizes = argp;
	struct store_val k, v;
	int rc = store_last(t, TABLE_LOG, &k, &v);

	sizes[0] = rc == 0 && k.len == 8 ? store_get_u64(k.data) : 0;
	return rc < 0 || people_indexed(t, &sizes[1]) < 0 ? -1 : 0;
}

int
people_build(struct store *s, char **cause)
{
	struct build_arg a = { 0, 1 };
	uint64_t sizes[2];

	if (store_read(s, sizes_txn, sizes, cause) < 0)
		return -1;
	if (sizes[1] >= sizes[0])
		return 0;
	a.last = sizes[0];
	while (a.more)
		if (store_write(s, build_txn, &a, cause) < 0)
			return -1;
	return 0;
}
