/* cmd_log.c: `frontdoor log`: export decision records as JSON Lines or CSV, optionally pseudonymised. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
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
	unsigned long damaged;	/* records skipped because they do not decode */
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

/* Writes one record as pseudonymised JSON: keyed id, reduced facts, no free text. */
static void
write_pseudonymised(struct log_query *q, struct store_txn *t, const struct record *r)
{
	unsigned char mac[DIGEST_LEN];
	char hex[65], idbuf[70];
	struct record p = *r;
	struct buf facts;

	digest_hmac_sha256(q->key, q->keylen, r->case_id.p, r->case_id.n, mac);
	digest_hex(mac, hex);
	snprintf(idbuf, sizeof idbuf, "p:%s", hex);
	p.case_id = (struct rbytes){ idbuf, strlen(idbuf) };
	buf_init(&facts);
	reduced_facts(q, t, r, &facts);
	p.facts = (struct rbytes){ facts.data, facts.len };
	if (facts.len == 4)	/* "null" */
		p.facts.n = 0;
	p.rationale.n = 0;
	p.detail.n = 0;
	record_to_json(&p, &q->out);
	buf_addc(&q->out, '\n');
	buf_free(&facts);
}

/* One clean CSV field, quoted when needed and defused against spreadsheet formulas. */
static void
csv_quoted(struct buf *out, const char *p, size_t n, int last)
{
	int quote = 0;

	for (size_t i = 0; i < n; i++)
		quote |= p[i] == ',' || p[i] == '"';
	if (n > 0 && strchr("=+-@", p[0]) != NULL)
		quote = 2;
	if (quote)
		buf_addc(out, '"');
	if (quote == 2)
		buf_addc(out, '\'');
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			buf_addc(out, '"');
		buf_addc(out, p[i]);
	}
	if (quote)
		buf_addc(out, '"');
	buf_addc(out, last ? '\n' : ',');
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
	csv_quoted(out, clean, n, last);
	if (clean != small)
		free(clean);
}

static void
csv_text(struct buf *out, const char *s, int last)
{
	csv_field(out, s, strlen(s), last);
}

static void
write_csv(struct log_query *q, const struct record *r)
{
	char num[32], when[32], hex[65] = "", mac[65];
	const struct rbytes *id = &r->case_id;
	unsigned char m[DIGEST_LEN];
	char pid[70];

	snprintf(num, sizeof num, "%llu", (unsigned long long)r->seq);
	csv_text(&q->out, num, 0);
	format_utc(r->time, when);
	csv_text(&q->out, when, 0);
	csv_text(&q->out, record_kind_name(r->kind), 0);
	csv_field(&q->out, r->actor.p, r->actor.n, 0);
	csv_field(&q->out, r->role.p, r->role.n, 0);
	if (q->key != NULL) {
		digest_hmac_sha256(q->key, q->keylen, id->p, id->n, m);
		digest_hex(m, mac);
		snprintf(pid, sizeof pid, "p:%s", mac);
		csv_text(&q->out, pid, 0);
	} else
		csv_field(&q->out, id->p, id->n, 0);
	if (r->has_ruleset)
		digest_hex(r->ruleset, hex);
	csv_text(&q->out, hex, 0);
	csv_text(&q->out, r->rec_route == RECORD_NONE ? "" : route_name((enum route_id)r->rec_route), 0);
	snprintf(num, sizeof num, "%d", r->rec_level);
	csv_text(&q->out, r->rec_level == RECORD_NONE ? "" : num, 0);
	csv_field(&q->out, r->rule.p, r->rule.n, 0);
	csv_text(&q->out, r->route == RECORD_NONE ? "" : route_name((enum route_id)r->route), 0);
	snprintf(num, sizeof num, "%d", r->level);
	csv_text(&q->out, r->level == RECORD_NONE ? "" : num, 0);
	csv_field(&q->out, q->key ? "" : r->rationale.p, q->key ? 0 : r->rationale.n, 0);
	csv_field(&q->out, r->outcome.p, r->outcome.n, 0);
	snprintf(num, sizeof num, "%llu", (unsigned long long)r->ref);
	csv_text(&q->out, r->ref ? num : "", 0);
	digest_hex(r->hash, hex);
	csv_text(&q->out, hex, 1);
}

static int
emit(struct log_query *q, struct store_txn *t, const struct record *r)
{
	if (!matches(q, r))
		return 0;
	if (q->format == FORMAT_CSV)
		write_csv(q, r);
	else if (q->key != NULL)
		write_pseudonymised(q, t, r);
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
		return 0;
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
		    "step_down, sign_off or correction)", s);
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
	int rc;

	memset(&q, 0, sizeof q);
	q.kind = -1;
	if (parse_log_opts(ctx, argc, argv, &q) < 0) {
		free(q.key);
		return EXIT_USAGE;
	}
	if (cli_open_db(ctx, &s, &user) < 0) {
		free(q.key);
		return EXIT_PROBLEM;
	}
	replayer_init(&q.rp);
	buf_init(&q.out);
	if (q.format == FORMAT_CSV)
		buf_adds(&q.out, "seq,time,kind,actor,role,case_id,ruleset,recommended_route,"
		    "recommended_level,recommended_rule,route,level,rationale,outcome,ref,hash\n");
	rc = cli_require_role(&cmd_log_entry, s, user, &cause);
	if (rc == 0 && q.case_id != NULL)
		rc = store_read(s, log_case_txn, &q, &cause);
	else if (rc == 0 && q.last > 0)
		rc = store_read(s, log_last_txn, &q, &cause);
	else if (rc == 0)
		rc = dlog_scan(s, 0, emit_raw, &q, &cause);
	if (flush_log(&q) < 0 && rc == 0) {
		rc = -1;
		cause = xstrdup("cannot write the export");
	}
	buf_free(&q.out);
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
