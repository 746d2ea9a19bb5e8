/* cmd_log.c: `frontdoor log`: export decision records as JSON Lines or CSV, optionally pseudonymised. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "base/csv.h"
#include "base/time.h"
#include "base/diag.h"
#include "store/dlog.h"
#include "core/replay.h"
#include "store/roles.h"
#include "base/sanitise.h"

enum log_format { FORMAT_JSONL, FORMAT_CSV };

struct log_query {
	const char *case_id;
	int64_t since, until;	/* inclusive; 0 = open */
	int kind;		/* -1 = any */
	enum log_format format;
	char *key;		/* pseudonymisation key, or NULL */
	size_t keylen;
	unsigned long last;	/* only the newest N records; 0 = all */
	/* running state */
	struct replayer rp;
	struct buf out;
	unsigned long written;
	unsigned long damaged;	/* records that do not decode or break the chain */
	struct dlog_chain chain;	/* a whole export checks the chain as it goes */
	/* pseudonymised rows, held to be written in keyed order, not the log's */
	struct buf held;
	struct held_row *rows;
	size_t nrows, caprows;
};

/* A pseudonymised row in q->held, and the keyed record id it is sorted by. */
struct held_row {
	unsigned char order[DIGEST_LEN];
	size_t off, len;
};

static int cmd_log(struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_option log_option_table[] = {
	{ "case", 'c', "ID", 0 }, { "since", 's', "DATE", 0 }, { "until", 'u', "DATE", 0 },
	{ "kind", 'k', "KIND", 0 }, { "last", 'l', "N", 0 }, { "format", 'f', "jsonl|csv", 0 },
	{ "pseudonymise", 'p', "KEY|@FILE", 0 }, { "pseudonymize", 'p', "KEY|@FILE", CLI_OPT_ALIAS },
	{ NULL, 0, NULL, 0 },
};

const struct cli_command cmd_log_entry = {
	.name = "log",
	.usage = "[--case ID] [--since DATE] [--until DATE] [--kind KIND] [--last N] "
	    "[--format jsonl|csv] [--pseudonymise KEY|@FILE]",
	.summary = "export decision records",
	.options = log_option_table,
	.flags = CLI_DB,
	.role = ACT_READ_CASES,
	.exec = cmd_log,
};

static int
flush_log(struct log_query *q)
{
	if (q->out.len > 0 && fwrite(q->out.data, 1, q->out.len, stdout) != q->out.len)
		return -1;
	buf_reset(&q->out);
	return 0;
}

static int
matches(const struct log_query *q, const struct record *r)
{
	if (q->kind >= 0 && (int)r->kind != q->kind)
		return 0;
	if (q->since != 0 && r->time < q->since)
		return 0;
	if (q->until != 0 && r->time > q->until)
		return 0;
	return 1;
}

/*
 * Whether a declared fact may go into a pseudonymised export: a string only
 * when the rule set lists its values and it holds one of them, since any other
 * string may be free text (a name, an address, a telephone number).
 */
static int
fact_is_coded(const struct fact_def *f, const struct fact_value *v)
{
	return f->type != FACT_STRING || (f->nvalues > 0 && v->enum_index >= 0);
}

/* Facts reduced to what the rule set reads: indicators and coded facts, nothing else. */
static void
reduced_facts(struct log_query *q, struct store_txn *t, const struct record *r, struct buf *out)
{
	const struct ruleset *rs;
	struct decision d;
	char *cause = NULL, num[64];
	const char *sep = "";

	if (r->facts.n == 0 || !r->has_ruleset ||
	    replay_decide(&q->rp, t, NULL, r, &d, &rs, &cause) < 0) {
		free(cause);
		buf_adds(out, "null");
		return;
	}
	buf_adds(out, "{\"indicators\":[");
	for (size_t i = 0; i < rs->nindicators; i++)
		if ((q->rp.cf.bits[i / 64] >> (i % 64)) & 1) {
			buf_printf(out, "%s\"%s\"", sep, rs->indicators[i].id);
			sep = ",";
		}
	buf_addc(out, ']');
	for (size_t f = 0; f < rs->nfacts; f++) {
		const struct fact_value *v = &q->rp.cf.facts[f];

		if (!v->present || !fact_is_coded(&rs->facts[f], v))
			continue;
		buf_printf(out, ",\"%s\":", rs->facts[f].path);
		if (rs->facts[f].type == FACT_STRING)
			json_write_string(out, v->str, v->len);
		else if (rs->facts[f].type == FACT_BOOLEAN)
			buf_adds(out, v->boolean ? "true" : "false");
		else {
			format_number(num, sizeof num, v->num);
			buf_adds(out, num);
		}
	}
	buf_addc(out, '}');
}

/*
 * HMAC-SHA-256 under the export's key of a domain name, a NUL and the bytes:
 * one key gives each kind of identifier its own pseudonyms, and without the
 * key nothing can be computed from a real identifier that matches them.
 */
static void
keyed(const struct log_query *q, const char *domain, const void *p, size_t n,
    unsigned char mac[DIGEST_LEN])
{
	struct buf b;

	buf_init(&b);
	buf_add(&b, domain, strlen(domain) + 1);
	buf_add(&b, p, n);
	digest_hmac_sha256(q->key, q->keylen, b.data, b.len, mac);
	buf_free(&b);
}

/* PREFIX:HEX of the keyed value, hexlen digits of it. */
static void
keyed_text(const struct log_query *q, const char *domain, const char *prefix, const void *p,
    size_t n, size_t hexlen, char out[72])
{
	unsigned char mac[DIGEST_LEN];
	char hex[65];

	keyed(q, domain, p, n, mac);
	digest_hex(mac, hex);
	snprintf(out, 72, "%s:%.*s", prefix, (int)hexlen, hex);
}

/* A record's keyed id ("r:" and 32 hex digits): its sequence number under the key. */
static void
keyed_record(const struct log_query *q, uint64_t seq, char out[72], unsigned char *order)
{
	unsigned char be[8];

	store_put_u64(be, seq);
	keyed_text(q, "record", "r", be, 8, 32, out);
	if (order != NULL)
		keyed(q, "record", be, 8, order);
}

/* The columns a pseudonymised row has, each either keyed, coded or coarse. */
struct pseudo_row {
	char id[72], ref[72], actor[72], case_id[72];
	char date[32];
};

static void
pseudo_row(struct log_query *q, const struct record *r, struct pseudo_row *p,
    unsigned char order[DIGEST_LEN])
{
	keyed_record(q, r->seq, p->id, order);
	if (r->ref != 0)
		keyed_record(q, r->ref, p->ref, NULL);
	else
		p->ref[0] = '\0';
	keyed_text(q, "actor", "u", r->actor.p, r->actor.n, 32, p->actor);
	keyed_text(q, "case", "p", r->case_id.p, r->case_id.n, 64, p->case_id);
	/* the day, not the second: an exact time would join two exports record by record */
	format_utc(r->time, p->date);
	p->date[10] = '\0';
}

static void
json_text(struct buf *out, const char *name, const char *p, size_t n)
{
	buf_printf(out, ",\"%s\":", name);
	if (n == 0)
		buf_adds(out, "null");
	else
		json_write_string(out, p, n);
}

static void
json_code(struct buf *out, const char *name, int v, const char *text)
{
	if (v == RECORD_NONE)
		buf_printf(out, ",\"%s\":null", name);
	else if (text != NULL)
		buf_printf(out, ",\"%s\":\"%s\"", name, text);
	else
		buf_printf(out, ",\"%s\":%d", name, v);
}

/*
 * Writes one record as pseudonymised JSON: keyed ids, the day, reduced facts,
 * no free text, and nothing computed over the real identifiers (no sequence
 * number, no record hash) that is not keyed.
 */
static void
write_pseudonymised(struct log_query *q, struct store_txn *t, const struct record *r,
    const struct pseudo_row *p)
{
	struct buf *out = &q->held;
	char hex[65];

	buf_printf(out, "{\"id\":\"%s\",\"date\":\"%s\",\"kind\":\"%s\",\"actor\":\"%s\"",
	    p->id, p->date, record_kind_name(r->kind), p->actor);
	json_text(out, "role", r->role.p, r->role.n);
	buf_printf(out, ",\"case_id\":\"%s\",\"facts\":", p->case_id);
	reduced_facts(q, t, r, out);
	if (r->has_ruleset) {
		digest_hex(r->ruleset, hex);
		buf_printf(out, ",\"ruleset\":\"sha256:%s\"", hex);
	} else
		buf_adds(out, ",\"ruleset\":null");
	json_text(out, "engine", r->engine.p, r->engine.n);
	json_code(out, "recommended_route", r->rec_route,
	    route_name((enum route_id)r->rec_route));
	json_code(out, "recommended_level", r->rec_level, NULL);
	json_code(out, "need_level", r->need_level, NULL);
	json_text(out, "recommended_rule", r->rule.p, r->rule.n);
	json_code(out, "route", r->route, route_name((enum route_id)r->route));
	json_code(out, "level", r->level, NULL);
	json_text(out, "outcome", r->outcome.p, r->outcome.n);
	json_text(out, "ref", p->ref, strlen(p->ref));
	buf_adds(out, "}\n");
}

/*
 * One CSV field, sanitised first as for a terminal: no raw control byte
 * (tab, newline and ESC included), C1 control, bidi control or invalid UTF-8.
 */
static void
csv_field(struct buf *out, const char *p, size_t n, int last)
{
	char small[256], *clean = n < sizeof small ? small : xmalloc(n + 1);

	n = sanitise_text(p, n, clean, n + 1);
	csv_cell(out, clean, n, last);
	if (clean != small)
		free(clean);
}

static void
csv_text(struct buf *out, const char *s, int last)
{
	csv_field(out, s, strlen(s), last);
}

/* A level as a CSV cell, empty for none. */
static void
csv_level(struct buf *out, int level, int last)
{
	char num[32];

	snprintf(num, sizeof num, "%d", level);
	csv_text(out, level == RECORD_NONE ? "" : num, last);
}

/* One pseudonymised CSV row: the columns of the pseudonymised JSON, facts aside. */
static void
write_csv_pseudonymised(struct log_query *q, const struct record *r,
    const struct pseudo_row *p)
{
	struct buf *out = &q->held;
	char hex[65] = "";

	csv_text(out, p->id, 0);
	csv_text(out, p->date, 0);
	csv_text(out, record_kind_name(r->kind), 0);
	csv_text(out, p->actor, 0);
	csv_field(out, r->role.p, r->role.n, 0);
	csv_text(out, p->case_id, 0);
	if (r->has_ruleset)
		digest_hex(r->ruleset, hex);
	csv_text(out, hex, 0);
	csv_text(out, r->rec_route == RECORD_NONE ? "" : route_name((enum route_id)r->rec_route), 0);
	csv_level(out, r->rec_level, 0);
	csv_field(out, r->rule.p, r->rule.n, 0);
	csv_text(out, r->route == RECORD_NONE ? "" : route_name((enum route_id)r->route), 0);
	csv_level(out, r->level, 0);
	csv_field(out, r->outcome.p, r->outcome.n, 0);
	csv_text(out, p->ref, 0);
	csv_level(out, r->need_level, 1);
}

/* Keeps one pseudonymised row, to be written in keyed order once all are read. */
static void
hold_pseudonymised(struct log_query *q, struct store_txn *t, const struct record *r)
{
	struct pseudo_row p;
	struct held_row *h;

	if (q->nrows == q->caprows) {
		q->caprows = q->caprows ? q->caprows * 2 : 256;
		q->rows = xreallocarray(q->rows, q->caprows, sizeof *q->rows);
	}
	h = &q->rows[q->nrows++];
	pseudo_row(q, r, &p, h->order);
	h->off = q->held.len;
	if (q->format == FORMAT_CSV)
		write_csv_pseudonymised(q, r, &p);
	else
		write_pseudonymised(q, t, r, &p);
	h->len = q->held.len - h->off;
}

static int
held_order(const void *a, const void *b)
{
	return memcmp(((const struct held_row *)a)->order, ((const struct held_row *)b)->order,
	    DIGEST_LEN);
}

/* Writes the held rows sorted by keyed record id: their order says nothing of the log's. */
static int
flush_held(struct log_query *q)
{
	if (q->nrows > 1)
		qsort(q->rows, q->nrows, sizeof *q->rows, held_order);
	for (size_t i = 0; i < q->nrows; i++) {
		buf_add(&q->out, q->held.data + q->rows[i].off, q->rows[i].len);
		if (q->out.len > (1 << 20) && flush_log(q) < 0)
			return -1;
	}
	return 0;
}

static void
write_csv(struct log_query *q, const struct record *r)
{
	char num[32], when[32], hex[65] = "";

	snprintf(num, sizeof num, "%llu", (unsigned long long)r->seq);
	csv_text(&q->out, num, 0);
	format_utc(r->time, when);
	csv_text(&q->out, when, 0);
	csv_text(&q->out, record_kind_name(r->kind), 0);
	csv_field(&q->out, r->actor.p, r->actor.n, 0);
	csv_field(&q->out, r->role.p, r->role.n, 0);
	csv_field(&q->out, r->case_id.p, r->case_id.n, 0);
	if (r->has_ruleset)
		digest_hex(r->ruleset, hex);
	csv_text(&q->out, hex, 0);
	csv_text(&q->out, r->rec_route == RECORD_NONE ? "" : route_name((enum route_id)r->rec_route), 0);
	csv_level(&q->out, r->rec_level, 0);
	csv_field(&q->out, r->rule.p, r->rule.n, 0);
	csv_text(&q->out, r->route == RECORD_NONE ? "" : route_name((enum route_id)r->route), 0);
	csv_level(&q->out, r->level, 0);
	csv_field(&q->out, r->rationale.p, r->rationale.n, 0);
	csv_field(&q->out, r->outcome.p, r->outcome.n, 0);
	snprintf(num, sizeof num, "%llu", (unsigned long long)r->ref);
	csv_text(&q->out, r->ref ? num : "", 0);
	digest_hex(r->hash, hex);
	csv_text(&q->out, hex, 0);
	csv_field(&q->out, r->subject.p, r->subject.n, 0);
	csv_level(&q->out, r->need_level, 1);
}

static int
emit(struct log_query *q, struct store_txn *t, const struct record *r)
{
	if (!matches(q, r))
		return 0;
	/* decisions only: who was given which role names staff, and is not research data */
	if (q->key != NULL && !record_kind_is_decision(r->kind))
		return 0;
	if (q->key != NULL) {
		hold_pseudonymised(q, t, r);
		q->written++;
		return 0;
	}
	if (q->format == FORMAT_CSV)
		write_csv(q, r);
	else {
		record_to_json(r, &q->out);
		buf_addc(&q->out, '\n');
	}
	q->written++;
	return q->out.len > (1 << 20) ? flush_log(q) : 0;
}

static int
emit_raw(struct store_txn *t, uint64_t seq, const struct store_val *raw, void *arg)
{
	struct log_query *q = arg;
	struct record r;
	char *cause = NULL;

	if (seq == 0) {
		fprintf(stderr, "frontdoor log: a malformed key in the log was skipped (run "
		    "frontdoor verify)\n");
		q->damaged++;
		return 0;
	}
	if (record_decode(raw->data, raw->len, &r, &cause) < 0) {
		fprintf(stderr, "frontdoor log: seq %llu: %s (run frontdoor verify)\n",
		    (unsigned long long)seq, cause);
		free(cause);
		q->damaged++;
		(void)dlog_chain_step(&q->chain, seq, raw, NULL, &cause);
		return 0;
	}
	if (dlog_chain_step(&q->chain, seq, raw, &r, &cause) < 0) {
		fprintf(stderr, "frontdoor log: %s (run frontdoor verify)\n", cause);
		free(cause);
		q->damaged++;
	}
	return emit(q, t, &r);
}

struct case_emit {
	struct log_query *q;
	struct store_txn *t;
};

static int
emit_case_record(const struct record *r, void *arg)
{
	struct case_emit *ce = arg;

	return emit(ce->q, ce->t, r);
}

static int
log_case_txn(struct store_txn *t, void *argp)
{
	struct log_query *q = argp;
	struct case_emit ce = { q, t };
	char *cause = NULL;

	if (dlog_case_records(t, q->case_id, strlen(q->case_id), emit_case_record, &ce, &cause) < 0)
		return store_fail(t, "%s", cause ? cause : "cannot read the case");
	return 0;
}

/* The newest N records, newest last: walks back from the end without reading the rest. */
static int
log_last_txn(struct store_txn *t, void *argp)
{
	struct log_query *q = argp;
	struct dlog_head head;
	uint64_t from;

	if (dlog_head(t, &head) < 0)
		return -1;
	from = head.seq > q->last ? head.seq - q->last + 1 : 1;
	for (uint64_t seq = from; seq <= head.seq && head.seq > 0; seq++) {
		unsigned char key[8];
		struct store_val v;

		store_put_u64(key, seq);
		if (store_get(t, TABLE_LOG, key, 8, &v) == 0 && emit_raw(t, seq, &v, q) < 0)
			return -1;
	}
	return 0;
}

/*
 * Names a usage problem: "frontdoor log: OPT: WHAT: ARG", with the argument
 * sanitised and cut to 40 bytes, as it is whatever was typed. Returns -1.
 */
static int
log_bad(const char *opt, const char *what, const char *arg)
{
	size_t n = arg != NULL ? strlen(arg) : 0;

	fprintf(stderr, "frontdoor log: %s%s", opt, *opt ? ": " : "");
	fput_sanitised(what, strlen(what), stderr);
	if (arg != NULL) {
		fputs(": ", stderr);
		fput_sanitised(arg, n > 40 ? 40 : n, stderr);
		fputs(n > 40 ? "..." : "", stderr);
	}
	fputc('\n', stderr);
	return -1;
}

static int
parse_date_opt(const char *opt, const char *s, int upper, int64_t *out)
{
	if (parse_utc_bound(s, upper, out) < 0)
		return log_bad(opt, "not a date (" UTC_FORMS ")", s);
	return 0;
}

static int
parse_kind_opt(struct log_query *q, const char *s)
{
	if ((q->kind = record_kind_parse(s)) < 0)
		return log_bad("--kind", "not a kind (route, override, outcome, step_up, "
		    "step_down, sign_off, correction, publish, grant or revoke)", s);
	return 0;
}

static int
parse_format_opt(struct log_query *q, const char *s)
{
	if (strcmp(s, "csv") == 0)
		q->format = FORMAT_CSV;
	else if (strcmp(s, "jsonl") == 0)
		q->format = FORMAT_JSONL;
	else
		return log_bad("--format", "not jsonl or csv", s);
	return 0;
}

static int
parse_last_opt(struct log_query *q, const char *s)
{
	char *end;

	q->last = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || q->last == 0)
		return log_bad("--last", "not a whole number above 0", s);
	return 0;
}

static int
read_key(struct log_query *q, const char *arg)
{
	char *cause = NULL;

	if (arg[0] == '@') {
		if (read_file(arg + 1, 4096, &q->key, &q->keylen, &cause) < 0) {
			log_bad("--pseudonymise", cause, NULL);
			free(cause);
			return -1;
		}
		while (q->keylen > 0 && (q->key[q->keylen - 1] == '\n' || q->key[q->keylen - 1] == '\r'))
			q->keylen--;
	} else {
		q->key = xstrdup(arg);
		q->keylen = strlen(arg);
	}
	if (q->keylen < 16)
		return log_bad("--pseudonymise", "a pseudonymisation key needs at least 16 bytes",
		    NULL);
	return 0;
}

static int
parse_log_opt(struct log_query *q, int ch)
{
	switch (ch) {
	case 'c': q->case_id = optarg; return 0;
	case 's': return parse_date_opt("--since", optarg, 0, &q->since);
	case 'u': return parse_date_opt("--until", optarg, 1, &q->until);
	case 'k': return parse_kind_opt(q, optarg);
	case 'f': return parse_format_opt(q, optarg);
	case 'l': return parse_last_opt(q, optarg);
	case 'p': return read_key(q, optarg);
	}
	return -1;	/* '?': reported with the usage line already */
}

static int
parse_log_opts(struct cli_ctx *ctx, int argc, char **argv, struct log_query *q)
{
	struct cli_parse p;
	int ch;

	cli_parse_init(&p, &cmd_log_entry, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1)
		if (ch == '?')
			return -1;
		else if (parse_log_opt(q, ch) < 0)
			break;
	if (ch == -1 && optind == argc)
		return 0;
	if (ch == -1)
		log_bad("", "takes no operands (--case ID for one case's records)", NULL);
	fputs("usage: ", stderr);
	cli_usage_line(&cmd_log_entry, stderr);
	fputc('\n', stderr);
	return -1;
}

static int
cmd_log(struct cli_ctx *ctx, int argc, char **argv)
{
	struct log_query q;
	struct store *s;
	char *user, *cause = NULL;
	size_t count;
	int rc;

	memset(&q, 0, sizeof q);
	q.kind = -1;
	if (parse_log_opts(ctx, argc, argv, &q) < 0) {
		free(q.key);
		return EXIT_USAGE;
	}
	if (cli_open_reader(ctx, &s, &user) < 0) {
		free(q.key);
		return EXIT_PROBLEM;
	}
	replayer_init(&q.rp);
	buf_init(&q.out);
	buf_init(&q.held);
	if (q.format == FORMAT_CSV && q.key != NULL)
		buf_adds(&q.out, "id,date,kind,actor,role,case_id,ruleset,recommended_route,"
		    "recommended_level,recommended_rule,route,level,outcome,ref,need_level\n");
	else if (q.format == FORMAT_CSV)
		buf_adds(&q.out, "seq,time,kind,actor,role,case_id,ruleset,recommended_route,"
		    "recommended_level,recommended_rule,route,level,rationale,outcome,ref,hash,user,"
		    "need_level\n");
	rc = cli_require_role(&cmd_log_entry, s, user, &cause);
	if (rc == 0 && q.case_id != NULL)
		rc = store_read(s, log_case_txn, &q, &cause);
	else if (rc == 0 && q.last > 0) {
		q.chain.from_any = 1;
		rc = store_read(s, log_last_txn, &q, &cause);
	}
	else if (rc == 0 && (rc = dlog_scan_all(s, emit_raw, &q, &count, &cause)) == 0 &&
	    dlog_chain_end(&q.chain, count, &cause) < 0) {
		fprintf(stderr, "frontdoor log: %s (run frontdoor verify)\n", cause);
		free(cause);
		cause = NULL;
		q.damaged++;
	}
	if ((flush_held(&q) < 0 || flush_log(&q) < 0) && rc == 0) {
		rc = -1;
		cause = xstrdup("cannot write the export");
	}
	buf_free(&q.out);
	buf_free(&q.held);
	free(q.rows);
	replayer_free(&q.rp);
	store_close(s);
	free(user);
	if (q.key != NULL) {
		memset(q.key, 0, q.keylen);
		free(q.key);
	}
	if (rc < 0)
		return cli_fail("log", cause, EXIT_PROBLEM);
	return q.damaged > 0 ? EXIT_PROBLEM : EXIT_OK;
}
