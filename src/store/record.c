/* record.c: the canonical binary encoding of log records, their hash and JSON export. */
#include "store/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/names.h"
#include "store/store.h"

/*
 * Layout (all integers big-endian):
 *   "FDR" version(1) | seq(8) | time(8) | kind(1) | rec_route(1) | rec_level(1)
 *   | route(1) | level(1) | flags(1) | ref(8) | ruleset(32)
 *   | strings, each length(4) + bytes: actor role case_id engine rule
 *     rationale outcome facts detail, and from version 2 on subject
 *   | from version 3 on need_level(1)
 *   | prev(32) | hash(32) = SHA-256 of every byte before it
 * Version 1 holds only the decision kinds; version 2 adds the publication,
 * grant and removal kinds and the subject string; version 3 the level of
 * need found, which earlier records hold only as the recommended level.
 */
#define HEADER_LEN 66
#define NSTRINGS_V1 9
#define NSTRINGS 10

static const char *const kind_names[KIND_COUNT] = {
	"route", "override", "outcome", "step_up", "step_down", "sign_off", "correction",
	"publish", "grant", "revoke"
};

const char *
record_kind_name(enum record_kind k)
{
	return (unsigned)k < KIND_COUNT ? kind_names[k] : "?";
}

int
record_kind_is_decision(enum record_kind k)
{
	return k < KIND_PUBLISH;
}

int
record_kind_parse(const char *s)
{
	for (int i = 0; i < KIND_COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

static struct rbytes *
string_field(struct record *r, int i)
{
	struct rbytes *f[NSTRINGS] = { &r->actor, &r->role, &r->case_id, &r->engine, &r->rule,
		&r->rationale, &r->outcome, &r->facts, &r->detail, &r->subject };
	return f[i];
}

void
record_encode(struct record *r, struct buf *out)
{
	unsigned char h[HEADER_LEN];
	size_t start = out->len;
	/* a record decoded from an earlier version encodes to the very same bytes */
	int version = r->version != 0 ? r->version : RECORD_VERSION;

	memcpy(h, "FDR", 3);
	h[3] = (unsigned char)version;
	store_put_u64(h + 4, r->seq);
	store_put_u64(h + 12, (uint64_t)r->time);
	h[20] = (unsigned char)r->kind;
	h[21] = (unsigned char)r->rec_route;
	h[22] = (unsigned char)r->rec_level;
	h[23] = (unsigned char)r->route;
	h[24] = (unsigned char)r->level;
	h[25] = r->has_ruleset ? 1 : 0;
	store_put_u64(h + 26, r->ref);
	if (r->has_ruleset)
		memcpy(h + 34, r->ruleset, DIGEST_LEN);
	else
		memset(h + 34, 0, DIGEST_LEN);
	buf_add(out, h, sizeof h);
	for (int i = 0; i < (version == 1 ? NSTRINGS_V1 : NSTRINGS); i++) {
		const struct rbytes *f = string_field(r, i);
		unsigned char len[4] = { (unsigned char)(f->n >> 24), (unsigned char)(f->n >> 16),
			(unsigned char)(f->n >> 8), (unsigned char)f->n };

		buf_add(out, len, 4);
		if (f->n > 0)
			buf_add(out, f->p, f->n);
	}
	if (version >= 3)
		buf_addc(out, (char)(unsigned char)r->need_level);
	r->version = version;
	buf_add(out, r->prev, DIGEST_LEN);
	digest_sha256(out->data + start, out->len - start, r->hash);
	buf_add(out, r->hash, DIGEST_LEN);
}

static int
bad(char **cause, const char *what)
{
	*cause = xasprintf("damaged record: %s", what);
	return -1;
}

int
record_decode(const void *data, size_t len, struct record *r, char **cause)
{
	const unsigned char *p = data;
	size_t off = HEADER_LEN;
	int nstrings;

	memset(r, 0, sizeof *r);
	if (len < HEADER_LEN + 4 * NSTRINGS_V1 + 2 * DIGEST_LEN)
		return bad(cause, "too short");
	if (memcmp(p, "FDR", 3) != 0)
		return bad(cause, "not a record");
	if (p[3] < 1 || p[3] > RECORD_VERSION)
		return bad(cause, "unknown record version");
	r->version = p[3];
	nstrings = r->version == 1 ? NSTRINGS_V1 : NSTRINGS;
	r->seq = store_get_u64(p + 4);
	r->time = (int64_t)store_get_u64(p + 12);
	if (p[20] >= (r->version == 1 ? KIND_PUBLISH : KIND_COUNT))
		return bad(cause, "unknown kind");
	r->kind = (enum record_kind)p[20];
	r->rec_route = p[21];
	r->rec_level = p[22];
	r->route = p[23];
	r->level = p[24];
	if ((r->rec_route != RECORD_NONE && r->rec_route >= ROUTE_COUNT) ||
	    (r->route != RECORD_NONE && r->route >= ROUTE_COUNT) || p[25] > 1)
		return bad(cause, "impossible route");
	r->has_ruleset = p[25];
	r->ref = store_get_u64(p + 26);
	memcpy(r->ruleset, p + 34, DIGEST_LEN);
	for (int i = 0; i < nstrings; i++) {
		struct rbytes *f = string_field(r, i);
		size_t n;

		if (len - off < 4)
			return bad(cause, "truncated");
		n = (size_t)p[off] << 24 | (size_t)p[off + 1] << 16 | (size_t)p[off + 2] << 8 |
		    p[off + 3];
		off += 4;
		if (n > len - off)
			return bad(cause, "truncated");
		f->p = (const char *)p + off;
		f->n = n;
		off += n;
	}
	r->need_level = r->rec_level;
	if (r->version >= 3) {
		if (len - off < 1)
			return bad(cause, "truncated");
		r->need_level = p[off++];
	}
	if (len - off != 2 * DIGEST_LEN)
		return bad(cause, "wrong length");
	memcpy(r->prev, p + off, DIGEST_LEN);
	memcpy(r->hash, p + off + DIGEST_LEN, DIGEST_LEN);
	return 0;
}

int
record_hash_ok(const void *data, size_t len)
{
	unsigned char h[DIGEST_LEN];

	if (len < DIGEST_LEN)
		return 0;
	digest_sha256(data, len - DIGEST_LEN, h);
	return memcmp(h, (const char *)data + len - DIGEST_LEN, DIGEST_LEN) == 0;
}

static void
json_field(struct buf *out, const char *name, const struct rbytes *b)
{
	buf_printf(out, ",\"%s\":", name);
	if (b->n == 0)
		buf_adds(out, "null");
	else
		json_write_string(out, b->p, b->n);
}

static void
json_route(struct buf *out, const char *name, int route)
{
	if (route == RECORD_NONE)
		buf_printf(out, ",\"%s\":null", name);
	else
		buf_printf(out, ",\"%s\":\"%s\"", name, route_name((enum route_id)route));
}

void
record_to_json(const struct record *r, struct buf *out)
{
	char when[32], hex[65];

	format_utc(r->time, when);
	buf_printf(out, "{\"seq\":%llu,\"time\":\"%s\",\"kind\":\"%s\"",
	    (unsigned long long)r->seq, when, record_kind_name(r->kind));
	json_field(out, "actor", &r->actor);
	json_field(out, "role", &r->role);
	json_field(out, "case_id", &r->case_id);
	buf_adds(out, ",\"facts\":");
	if (r->facts.n > 0)
		json_copy_inert(out, r->facts.p, r->facts.n);
	else
		buf_adds(out, "null");
	if (r->has_ruleset) {
		digest_hex(r->ruleset, hex);
		buf_printf(out, ",\"ruleset\":\"sha256:%s\"", hex);
	} else
		buf_adds(out, ",\"ruleset\":null");
	json_field(out, "engine", &r->engine);
	json_route(out, "recommended_route", r->rec_route);
	if (r->rec_level == RECORD_NONE)
		buf_adds(out, ",\"recommended_level\":null");
	else
		buf_printf(out, ",\"recommended_level\":%d", r->rec_level);
	if (r->need_level == RECORD_NONE)
		buf_adds(out, ",\"need_level\":null");
	else
		buf_printf(out, ",\"need_level\":%d", r->need_level);
	json_field(out, "recommended_rule", &r->rule);
	json_route(out, "route", r->route);
	if (r->level == RECORD_NONE)
		buf_adds(out, ",\"level\":null");
	else
		buf_printf(out, ",\"level\":%d", r->level);
	json_field(out, "rationale", &r->rationale);
	json_field(out, "outcome", &r->outcome);
	if (!record_kind_is_decision(r->kind))
		json_field(out, "user", &r->subject);
	if (r->ref != 0)
		buf_printf(out, ",\"ref\":%llu", (unsigned long long)r->ref);
	else
		buf_adds(out, ",\"ref\":null");
	buf_adds(out, ",\"detail\":");
	if (r->detail.n > 0)
		json_copy_inert(out, r->detail.p, r->detail.n);
	else
		buf_adds(out, "{}");
	digest_hex(r->prev, hex);
	buf_printf(out, ",\"prev\":\"%s\"", hex);
	digest_hex(r->hash, hex);
	buf_printf(out, ",\"hash\":\"%s\"}", hex);
}
