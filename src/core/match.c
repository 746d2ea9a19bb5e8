/* match.c: finds a child among every case through the person index, ranks them and reads their latest contacts. */
#include "core/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/map.h"
#include "base/sanitise.h"
#include "base/util.h"
#include "store/dlog.h"

#define MATCH_TYPO_MIN 4	/* letters a word needs before a typo in it is forgiven */
#define MATCH_PREFIX_MIN 3	/* letters a word needs to find the longer words it begins */
#define MATCH_REFINE (3 * MATCH_MAX)	/* contacts read to rank the best cases */

/* One contact the index led to, and which parts of the query it matched. */
struct cand {
	uint64_t seq;
	const char *id;		/* the case id, in the transaction's pages */
	size_t idlen;
	unsigned exact, near;	/* bits: query words matched exactly / one letter out */
	int dob, nhs;
	int score;
};

/* What one search shares with its transaction. */
struct search {
	const struct match_query *q;
	struct personkey name;
	char dob[11], nhs[PERSONKEY_NHS_LEN + 1];
	struct map seen;	/* seq -> candidate number */
	struct cand *c;
	size_t n, cap;
	struct match_result *out;
	size_t max, got;
};

/* The candidate for the contact at seq, added if new. */
static struct cand *
cand_for(struct search *s, uint64_t seq, const struct store_val *id)
{
	unsigned char key[8];
	int64_t *slot;
	int added;

	store_put_u64(key, seq);
	slot = map_put(&s->seen, key, 8, (int64_t)s->n, &added);
	if (!added)
		return &s->c[*slot];
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->c = xreallocarray(s->c, s->cap, sizeof *s->c);
	}
	memset(&s->c[s->n], 0, sizeof s->c[0]);
	s->c[s->n].seq = seq;
	s->c[s->n].id = id->data;
	s->c[s->n].idlen = id->len;
	return &s->c[s->n++];
}

/*
 * Whether an index key is one under tag whose text is text (n bytes), or
 * with prefix set begins with it; its text and sequence number then.
 */
static int
key_under(const struct store_val *k, int tag, const char *text, size_t n, int prefix,
    const char **kt, size_t *kn, uint64_t *seq)
{
	int ktag;

	return people_key_split(k, &ktag, kt, kn, seq) == 0 && ktag == tag &&
	    (prefix ? *kn >= n : *kn == n) && memcmp(*kt, text, n) == 0;
}

/* What a posting list marks on each contact it names. */
enum mark { MARK_EXACT, MARK_NEAR, MARK_DOB, MARK_NHS };

/* Marks every contact under tag/text (all its entries, whatever their sequence). */
static int
postings(struct store_txn *t, struct store_cursor *c, struct search *s, int tag,
    const char *text, size_t n, enum mark m, unsigned bit)
{
	unsigned char key[PEOPLE_KEY_MAX];
	struct store_val k, v;
	const char *kt;
	size_t kn;
	uint64_t seq;
	int rc;

	(void)t;
	people_key(key, tag, text, n, 0);
	for (rc = store_cursor_seek(c, key, n + 2, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		struct cand *cd;

		if (!key_under(&k, tag, text, n, 0, &kt, &kn, &seq))
			break;
		cd = cand_for(s, seq, &v);
		switch (m) {
		case MARK_EXACT: cd->exact |= bit; break;
		case MARK_NEAR: cd->near |= bit; break;
		case MARK_DOB: cd->dob = 1; break;
		case MARK_NHS: cd->nhs = 1; break;
		}
	}
	return rc < 0 ? -1 : 0;
}

/*
 * The words near w (n bytes): one letter away, or (forwards only) longer
 * words w begins. Each distinct indexed word under tag starting with w's
 * first `keep` bytes is compared once (a seek past its entries reaches the
 * next), and the near ones' contacts marked. Under PEOPLE_BACKWARD the
 * words are stored backwards, and w is given backwards too.
 */
static int
near_words(struct store_txn *t, struct store_cursor *c, struct search *s, int tag,
    const char *w, size_t n, size_t keep, unsigned bit)
{
	unsigned char key[PEOPLE_KEY_MAX];
	struct store_val k, v;
	const char *kt;
	size_t kn;
	uint64_t seq;
	int rc;

	key[0] = (unsigned char)tag;
	memcpy(key + 1, w, keep);
	for (rc = store_cursor_seek(c, key, keep + 1, &k, &v); rc == 0;) {
		char word[PERSONKEY_WORD_MAX + 1];

		if (!key_under(&k, tag, w, keep, 1, &kt, &kn, &seq))
			break;
		memcpy(word, kt, kn);
		/* one letter out, or (forwards) a word the one typed begins */
		if ((n >= MATCH_TYPO_MIN && personkey_distance1(word, kn, w, n) == 1) ||
		    (tag == PEOPLE_WORD && kn > n && memcmp(word, w, n) == 0)) {
			char fwd[PERSONKEY_WORD_MAX + 1];

			/* the contacts are listed under the word forwards */
			for (size_t j = 0; j < kn; j++)
				fwd[j] = tag == PEOPLE_BACKWARD ? word[kn - 1 - j] : word[j];
			if (postings(t, c, s, PEOPLE_WORD, fwd, kn, MARK_NEAR, bit) < 0)
				return -1;
		}
		/* on to the next word: past every entry of this one */
		key[0] = (unsigned char)tag;
		memcpy(key + 1, word, kn);
		key[1 + kn] = '\x01';
		rc = store_cursor_seek(c, key, kn + 2, &k, &v);
	}
	return rc < 0 ? -1 : 0;
}

/* Marks the contacts each query word finds, exactly and one letter out. */
static int
find_words(struct store_txn *t, struct store_cursor *c, struct search *s)
{
	for (size_t i = 0; i < s->name.nwords; i++) {
		const char *w = s->name.words[i];
		size_t n = strlen(w), h = (n + 1) / 2;
		char back[PERSONKEY_WORD_MAX + 1];

		if (postings(t, c, s, PEOPLE_WORD, w, n, MARK_EXACT, 1u << i) < 0)
			return -1;
		if (n < MATCH_PREFIX_MIN)
			continue;
		if (n < MATCH_TYPO_MIN) {
			/* too short for a typo to be told from another name: only longer words */
			if (near_words(t, c, s, PEOPLE_WORD, w, n, n, 1u << i) < 0)
				return -1;
			continue;
		}
		/* one edit leaves either the first half or the rest as it was */
		for (size_t j = 0; j < n; j++)
			back[j] = w[n - 1 - j];
		if (near_words(t, c, s, PEOPLE_WORD, w, n, h, 1u << i) < 0 ||
		    near_words(t, c, s, PEOPLE_BACKWARD, back, n, n - h, 1u << i) < 0)
			return -1;
	}
	return 0;
}

/* Counts the bits set. */
static int
bits(unsigned v)
{
	int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* The candidate's score, or 0 if it is not a likely match. */
static int
cand_score(const struct search *s, const struct cand *c)
{
	unsigned all = (1u << s->name.nwords) - 1, any = c->exact | c->near;
	int words = s->name.nwords > 0, likely;

	likely = c->nhs || (words && (any & all) == all) ||
	    (c->dob && (!words || any != 0));
	if (!likely)
		return 0;
	return 64 * c->nhs + 32 * c->dob + 4 * bits(c->exact) + 2 * bits(c->near & ~c->exact) +
	    ((any & all) == all && words ? 8 : 0);
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->seq > y->seq ? -1 : x->seq < y->seq;
}

/* Whether a result already holds the case. */
static struct match_result *
result_for(struct search *s, const char *id, size_t len)
{
	char clean[CASE_ID_MAX + 1];

	sanitise_text(id, len, clean, sizeof clean);
	for (size_t i = 0; i < s->got; i++)
		if (strcmp(s->out[i].case_id, clean) == 0)
			return &s->out[i];
	return NULL;
}

/* Keeps a case's latest records, newest first. */
static int
keep_contact(const struct record *r, void *argp)
{
	struct match_result *m = argp;
	struct match_contact *mc;

	memmove(&m->last[1], &m->last[0], (MATCH_CONTACTS - 1) * sizeof m->last[0]);
	if (m->ncontacts < MATCH_CONTACTS)
		m->ncontacts++;
	mc = &m->last[0];
	memset(mc, 0, sizeof *mc);
	mc->seq = r->seq;
	mc->time = r->time;
	mc->kind = r->kind;
	mc->route = r->route;
	sanitise_text(r->outcome.p, r->outcome.n, mc->outcome, sizeof mc->outcome);
	return 0;
}

/* Fills a result from its case's state and records, and the contact that matched (or none). */
static int
fill_result(struct store_txn *t, struct match_result *m, const char *id, size_t len,
    const struct record *matched)
{
	struct case_state cs;
	char *cause = NULL;
	int rc;

	sanitise_text(id, len, m->case_id, sizeof m->case_id);
	dlog_case_init(&cs);
	if ((rc = dlog_case_state(t, id, len, &cs)) < 0)
		return -1;
	m->open = cs.status == CASE_OPEN;
	m->route = cs.route;
	m->level = cs.level;
	m->contacts = cs.contacts;
	m->last_seq = cs.last_seq;
	if (matched != NULL && matched->facts.n > 0) {
		struct people_facts pf;
		people_facts_read(matched->facts.p, matched->facts.n, &pf);
		memcpy(m->dob, pf.dob, sizeof m->dob);
		memcpy(m->received, pf.received, sizeof m->received);
		sanitise_text(pf.written, strlen(pf.written), m->name, sizeof m->name);
		sanitise_text(pf.district, strlen(pf.district), m->district, sizeof m->district);
	}
	if (dlog_case_records(t, id, len, keep_contact, m, &cause) < 0)
		return store_fail(t, "%s (run frontdoor verify)", cause != NULL ? cause : "damaged");
	return 0;
}

/* The query's own date of birth, NHS number and name, folded. */
static void
search_init(struct search *s, const struct match_query *q, struct match_result *out, size_t max)
{
	memset(s, 0, sizeof *s);
	s->q = q;
	s->out = out;
	s->max = max < MATCH_MAX ? max : MATCH_MAX;
	map_init(&s->seen);
	if (q->name != NULL)
		personkey_name(q->name, strlen(q->name), &s->name);
	if (q->dob == NULL || personkey_dob(q->dob, strlen(q->dob), s->dob) < 0)
		s->dob[0] = '\0';
	if (q->nhs == NULL || personkey_nhs(q->nhs, strlen(q->nhs), s->nhs) < 0)
		s->nhs[0] = '\0';
}

static void
search_free(struct search *s)
{
	map_free(&s->seen);
	free(s->c);
}

/* Whether two district names are the same, ASCII case aside. */
static int
same_district(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if ((*a | 0x20) != (*b | 0x20))
			return 0;
	return *a == *b;
}

/* Reads a candidate's contact: the whole name and the district add to its score. */
static int
refine(struct store_txn *t, struct search *s, struct cand *c, struct record *r)
{
	struct people_facts pf;
	char *cause = NULL;
	int rc = dlog_get(t, c->seq, r, &cause);

	if (rc != 0) {
		free(cause);
		return rc < 0 ? store_fail(t, "seq %llu cannot be read (run frontdoor verify)",
		    (unsigned long long)c->seq) : 0;
	}
	people_facts_read(r->facts.p, r->facts.n, &pf);
	if (s->name.nwords > 0 && pf.name.nwords == s->name.nwords && c->exact ==
	    (1u << s->name.nwords) - 1)
		c->score += 4;		/* the same words, no more */
	if (s->q->district != NULL && *s->q->district && same_district(pf.district, s->q->district))
		c->score += 1;
	return 0;
}

/* The case id typed, if it names a case: first, whatever else matches. */
static int
add_typed_id(struct store_txn *t, struct search *s)
{
	const char *id = s->q->case_id;
	struct case_state cs;
	struct record r;
	char *cause = NULL;
	int rc;

	if (id == NULL || *id == '\0' || strlen(id) > CASE_ID_MAX || s->max == 0)
		return 0;
	if ((rc = dlog_case_state(t, id, strlen(id), &cs)) != 0)
		return rc < 0 ? -1 : 0;
	rc = dlog_case_last_decision(t, id, strlen(id), UINT64_MAX, &r, &cause);
	free(cause);
	if (rc < 0)
		return store_fail(t, "a case's records cannot be read (run frontdoor verify)");
	memset(&s->out[0], 0, sizeof s->out[0]);
	s->out[0].why = MATCH_ID;
	s->out[0].score = 1000;
	s->got = 1;
	return fill_result(t, &s->out[0], id, strlen(id), rc == 0 ? &r : NULL);
}

/* Which reasons a candidate gives. */
static unsigned
cand_why(const struct search *s, const struct cand *c, const struct people_facts *pf)
{
	unsigned all = (1u << s->name.nwords) - 1, why = 0;

	if (c->nhs)
		why |= MATCH_NHS;
	if (c->dob)
		why |= MATCH_DOB;
	if (s->name.nwords > 0 && (c->exact & all) == all)
		why |= MATCH_NAME;
	else if (s->name.nwords > 0 && ((c->exact | c->near) & all) == all)
		why |= MATCH_NAME_NEAR;
	else if (c->exact | c->near)
		why |= MATCH_NAME_PART;
	if (s->q->district != NULL && *s->q->district && same_district(pf->district, s->q->district))
		why |= MATCH_DISTRICT;
	return why;
}

/* Ranks the candidates and fills the results, one per case. */
static int
rank(struct store_txn *t, struct search *s)
{
	size_t keep = 0, refine_n;
	struct record r;

	for (size_t i = 0; i < s->n; i++) {
		s->c[i].score = cand_score(s, &s->c[i]);
		if (s->c[i].score > 0)
			s->c[keep++] = s->c[i];
	}
	if (keep == 0)
		return 0;	/* nothing to rank (and qsort takes no null array) */
	qsort(s->c, keep, sizeof *s->c, cand_cmp);
	refine_n = keep < MATCH_REFINE ? keep : MATCH_REFINE;
	for (size_t i = 0; i < refine_n; i++)
		if (refine(t, s, &s->c[i], &r) < 0)
			return -1;
	qsort(s->c, refine_n, sizeof *s->c, cand_cmp);
	for (size_t i = 0; i < keep && s->got < s->max; i++) {
		struct cand *c = &s->c[i];
		struct match_result *m;
		struct people_facts pf;
		char *cause = NULL;
		int rc;

		if (result_for(s, c->id, c->idlen) != NULL)
			continue;	/* the case's best contact is already listed */
		if ((rc = dlog_get(t, c->seq, &r, &cause)) != 0) {
			free(cause);
			if (rc < 0)
				return store_fail(t, "seq %llu cannot be read (run frontdoor verify)",
				    (unsigned long long)c->seq);
			continue;
		}
		m = &s->out[s->got++];
		memset(m, 0, sizeof *m);
		m->score = c->score;
		people_facts_read(r.facts.p, r.facts.n, &pf);
		m->why = cand_why(s, c, &pf);
		if (fill_result(t, m, c->id, c->idlen, &r) < 0)
			return -1;
	}
	return 0;
}

static int
find_txn(struct store_txn *t, void *argp)
{
	struct search *s = argp;
	struct store_cursor *c;
	int rc = 0;

	s->n = s->got = 0;
	map_free(&s->seen);
	map_init(&s->seen);
	if (add_typed_id(t, s) < 0 || store_cursor_open(t, TABLE_PEOPLE, &c) < 0)
		return -1;
	if (find_words(t, c, s) < 0 ||
	    (s->dob[0] && postings(t, c, s, PEOPLE_DOB, s->dob, 10, MARK_DOB, 0) < 0) ||
	    (s->nhs[0] && postings(t, c, s, PEOPLE_NHS, s->nhs, 10, MARK_NHS, 0) < 0))
		rc = -1;
	store_cursor_close(c);
	return rc < 0 ? -1 : rank(t, s);
}

int
match_find(struct store *s, const struct match_query *q, struct match_result *out,
    size_t max, size_t *n, char **cause)
{
	struct search se;
	int rc;

	*n = 0;
	search_init(&se, q, out, max);
	rc = store_read(s, find_txn, &se, cause);
	if (rc == 0)
		*n = se.got;
	search_free(&se);
	return rc < 0 ? -1 : 0;
}

void
match_why_text(unsigned why, char *out, size_t outsz)
{
	static const struct { unsigned bit; const char *text; } names[] = {
		{ MATCH_ID, "case id" }, { MATCH_NHS, "NHS number" },
		{ MATCH_DOB, "date of birth" }, { MATCH_NAME, "name" },
		{ MATCH_NAME_NEAR, "name (near: a letter out or a word's start)" }, { MATCH_NAME_PART, "part of the name" },
		{ MATCH_DISTRICT, "district" },
	};
	size_t len = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < FD_ARRAY_LEN(names); i++) {
		int w;

		if (!(why & names[i].bit))
			continue;
		w = snprintf(out + len, outsz - len, "%s%s", len ? ", " : "", names[i].text);
		if (w < 0 || (size_t)w >= outsz - len)
			break;
		len += (size_t)w;
	}
}

/* Whether a word has a digit in it. */
static int
has_digit(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (w[i] >= '0' && w[i] <= '9')
			return 1;
	return 0;
}

/* Appends n bytes and a NUL to buf at *used: the copy, or "" when there is no room. */
static const char *
keep_text(char *buf, size_t bufsz, size_t *used, const char *p, size_t n)
{
	char *at = buf + *used;

	if (*used + n + 1 > bufsz)
		return "";
	memcpy(at, p, n);
	at[n] = '\0';
	*used += n + 1;
	return at;
}

void
match_query_parse(const char *text, struct match_query *q, char *buf, size_t bufsz)
{
	char digits[64], name[512], dob[11];
	size_t nd = 0, nn = 0, used = 0;
	const char *p = text;

	memset(q, 0, sizeof *q);
	while (*p) {
		size_t n;

		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n == 0)
			break;
		if (personkey_dob(p, n, dob) == 0)
			q->dob = keep_text(buf, bufsz, &used, dob, 10);
		else if (strspn(p, "0123456789-") == n && nd + n < sizeof digits) {
			memcpy(digits + nd, p, n);
			nd += n;
		} else if (has_digit(p, n))
			q->case_id = keep_text(buf, bufsz, &used, p, n);
		else if (nn + n + 1 < sizeof name) {
			memcpy(name + nn, p, n);
			nn += n;
			name[nn++] = ' ';
		}
		p += n;
	}
	digits[nd] = '\0';
	if (nd > 0) {
		char nhs[PERSONKEY_NHS_LEN + 1];

		if (personkey_nhs(digits, nd, nhs) == 0)
			q->nhs = keep_text(buf, bufsz, &used, nhs, PERSONKEY_NHS_LEN);
		else if (q->case_id == NULL)
			q->case_id = keep_text(buf, bufsz, &used, digits, nd);
	}
	if (nn > 0)
		q->name = keep_text(buf, bufsz, &used, name, nn - 1);
}
