/* stats.c: contacts, routes, overrides, re-referrals and late decisions counted per group. */
#include "core/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sanitise.h"
#include "base/time.h"
#include "core/due.h"
#include "core/queue.h"
#include "store/dlog.h"

const char *const stats_by_names[STATS_BY_COUNT] = {
	"month", "district", "agency", "officer", "need"
};

void
stats_init(struct stats *st, int64_t since, int64_t until)
{
	memset(st, 0, sizeof *st);
	for (int b = 0; b < STATS_BY_COUNT; b++)
		map_init(&st->by[b].index);
	map_init(&st->cases);
	st->since = since;
	st->until = until;
	snprintf(st->total.key, sizeof st->total.key, "(all)");
	json_doc_init(&st->doc);
	buf_init(&st->tmp);
}

void
stats_free(struct stats *st)
{
	for (int b = 0; b < STATS_BY_COUNT; b++) {
		free(st->by[b].g);
		map_free(&st->by[b].index);
	}
	map_free(&st->cases);
	json_doc_free(&st->doc);
	buf_free(&st->tmp);
	memset(st, 0, sizeof *st);
}

void
stats_group_by(struct stats *st, enum stats_by by, const char *none)
{
	st->by[by].on = 1;
	st->by[by].none = none;
}

/* The string at a dotted path of two parts (or one) in the facts, unescaped; NULL if none. */
static const char *
stats_fact(struct stats *st, const char *outer, const char *inner, size_t *len)
{
	int i = json_object_get(&st->doc, 0, outer);

	if (i >= 0 && inner != NULL)
		i = json_object_get(&st->doc, i, inner);
	if (i < 0 || st->doc.tok[i].type != JSMN_STRING)
		return NULL;
	buf_reset(&st->tmp);
	buf_reserve(&st->tmp, JSON_TOK_LEN(&st->doc, i));
	st->tmp.len = json_unescape(&st->doc, i, st->tmp.data);
	st->tmp.data[st->tmp.len] = '\0';
	*len = st->tmp.len;
	return st->tmp.data;
}

/* The facts' receipt time, or 0; the facts are parsed into st->doc (or not, if bad). */
static int64_t
stats_received(struct stats *st, const struct record *r, int *parsed)
{
	const char *s;
	char *cause = NULL;
	size_t len;
	int64_t t;

	*parsed = r->facts.n > 0 && json_parse(&st->doc, r->facts.p, r->facts.n, &cause) == 0 &&
	    st->doc.tok[0].type == JSMN_OBJECT;
	free(cause);
	if (!*parsed || (s = stats_fact(st, "received", NULL, &len)) == NULL ||
	    parse_utc(s, &t) < 0)
		return 0;
	return t;
}

/* The group's key for a contact: its month, district, agency, officer or level of need. */
static void
stats_key(struct stats *st, enum stats_by by, const struct record *r, int parsed,
    int64_t when, char key[STATS_KEY_MAX])
{
	const char *s = NULL;
	char utc[32];
	size_t len = 0;

	if (by == STATS_NEED && r->need_level >= 1 && r->need_level <= 4) {
		snprintf(key, STATS_KEY_MAX, "level %d", r->need_level);
		return;
	}

	switch (by) {
	case STATS_MONTH:
		format_utc(when, utc);
		s = utc;
		len = 7;
		break;
	case STATS_DISTRICT:
		s = parsed ? stats_fact(st, "child", "district", &len) : NULL;
		break;
	case STATS_AGENCY:
		s = parsed ? stats_fact(st, "referrer", "agency", &len) : NULL;
		break;
	case STATS_NEED:
		break;
	default:
		s = r->actor.p;
		len = r->actor.n;
		break;
	}
	if (s == NULL || len == 0)
		snprintf(key, STATS_KEY_MAX, "%s", st->by[by].none);
	else
		sanitise_text(s, len, key, STATS_KEY_MAX);
}

static struct stats_group *
stats_group(struct stats_table *t, const char *key)
{
	int added;
	int64_t *ix = map_put(&t->index, key, strlen(key), (int64_t)t->n, &added);
	struct stats_group *g;

	if (!added)
		return &t->g[*ix];
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->g = xreallocarray(t->g, t->cap, sizeof *t->g);
	}
	g = &t->g[t->n++];
	memset(g, 0, sizeof *g);
	snprintf(g->key, sizeof g->key, "%s", key);
	return g;
}

static void
stats_count(struct stats_group *g, const struct record *r, int re, int late)
{
	g->contacts++;
	if (r->route != RECORD_NONE && r->route >= 0 && r->route < ROUTE_COUNT)
		g->routes[r->route]++;
	g->overrides += r->kind == KIND_OVERRIDE;
	g->rereferrals += (unsigned long)re;
	g->late += (unsigned long)late;
}

void
stats_add(struct stats *st, const struct record *r)
{
	char key[STATS_KEY_MAX];
	int64_t received, when;
	int parsed, re, late;

	if (r->kind != KIND_ROUTE && r->kind != KIND_OVERRIDE)
		return;
	received = stats_received(st, r, &parsed);
	/* a contact before the period still makes the next one a re-referral */
	re = audit_contact(&st->cases, r->case_id.p != NULL ? r->case_id.p : "", r->case_id.n,
	    received);
	when = received > 0 ? received : r->time;
	if ((st->since != 0 && when < st->since) || (st->until != 0 && when > st->until))
		return;
	late = received > 0 && r->time > due_mash_decision(st->cal, received, URGENCY_NONE);
	for (int b = 0; b < STATS_BY_COUNT; b++) {
		if (!st->by[b].on)
			continue;
		stats_key(st, (enum stats_by)b, r, parsed, when, key);
		stats_count(stats_group(&st->by[b], key), r, re, late);
	}
	stats_count(&st->total, r, re, late);
}

static int
stats_one(struct store_txn *t, uint64_t seq, const struct store_val *raw, void *arg)
{
	struct stats *st = arg;
	struct record r;
	char *cause = NULL;

	(void)t;
	if (record_decode(raw->data, raw->len, &r, &cause) < 0) {
		free(cause);
		st->damaged++;
		(void)dlog_chain_step(&st->chain, seq, raw, NULL, &cause);
		return 0;
	}
	if (dlog_chain_step(&st->chain, seq, raw, &r, &cause) < 0) {
		free(cause);
		st->damaged++;
	}
	stats_add(st, &r);
	return 0;
}

int
stats_scan(struct store *s, struct stats *st, char **cause)
{
	size_t count;

	if (dlog_scan_all(s, stats_one, st, &count, cause) < 0)
		return -1;
	return dlog_chain_end(&st->chain, count, cause);
}

static int
group_cmp(const void *x, const void *y)
{
	const struct stats_group *a = x, *b = y;

	return strcmp(a->key, b->key);
}

void
stats_sort(struct stats_table *t)
{
	if (t->n == 0)
		return;
	qsort(t->g, t->n, sizeof *t->g, group_cmp);
	/* the index follows the groups to their new places */
	for (size_t i = 0; i < t->n; i++)
		*map_get(&t->index, t->g[i].key, strlen(t->g[i].key)) = (int64_t)i;
}

int
stats_rate(unsigned long part, unsigned long whole, char *out, size_t outsz)
{
	unsigned long long permille;

	if (whole == 0) {
		snprintf(out, outsz, "%s", "");
		return -1;
	}
	/* tenths of a percent, half up: 4 of 14 is 285.7 tenths, shown 28.6 */
	permille = ((unsigned long long)part * 2000 + whole) / (2ULL * whole);
	snprintf(out, outsz, "%llu.%llu", permille / 10, permille % 10);
	return 0;
}
