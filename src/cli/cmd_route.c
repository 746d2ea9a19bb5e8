/* cmd_route.c: `frontdoor route`: case JSON Lines in, decision JSON Lines out, optionally logged. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/dlog.h"
#include "rules/engine.h"
#include "base/lines.h"
#include "store/ledger.h"
#include "store/roles.h"
#include "core/dueindex.h"
#include "core/history.h"
#include "core/rulesets.h"
#include "base/sanitise.h"

#define OUT_FLUSH (1024 * 1024)
#define DEFAULT_BATCH 1000

static int cmd_route(struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_option route_option_table[] = {
	{ "rules", 'r', "FILE", CLI_OPT_SHORT }, { "explain", 'e', NULL, CLI_OPT_SHORT },
	{ "strict", 's', NULL, CLI_OPT_SHORT }, { "record", 'R', NULL, 0 },
	{ "batch", 'b', "N", 0 }, { NULL, 0, NULL, 0 },
};

const struct cli_command cmd_route_entry = {
	.name = "route",
	.usage = "[--rules FILE] [--explain] [--strict] [--record [--batch N]] [FILE|-]",
	.summary = "route case JSON Lines to decisions (and log them)",
	.options = route_option_table,
	.flags = CLI_DB,
	.role = ACT_ROUTE,
	.role_when = "with --record",
	.exec = cmd_route,
};

struct route_opts {
	const char *rules;
	const char *input;
	char *name;		/* the input as messages name it: sanitised, or "stdin" */
	int explain;
	int strict;
	int record;
	long batch;
};

struct route_counts {
	unsigned long routed, rejected;
};

/* Decisions waiting to be logged together, their bytes copied out of the input buffer. */
struct pending {
	size_t facts, facts_len, id, id_len, detail, detail_len, line, line_len;
	size_t hline, hline_len;	/* the decision line made with its history (in harena) */
	int rule, route, level, need_level;
	unsigned long lineno;
};

struct batch {
	struct buf arena;	/* facts, ids, details and decision lines */
	struct pending *v;
	size_t n, cap;
	/* filled by the transaction */
	uint64_t first_seq;
};

/* What a recording run shares with its write transactions. */
struct recorder {
	struct store *s;
	const struct ruleset *rs;
	char *user;
	enum role role;
	int64_t now;
	struct batch b;
	struct buf scratch;
	/* rule sets that read the child's history: each case decided again in the transaction */
	int history;
	struct buf harena, hfacts;
	struct case_facts hcf;
	struct trace htr;
};

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
flush_out(struct buf *out)
{
	int rc = write_all(STDOUT_FILENO, out->data, out->len);

	buf_reset(out);
	if (rc < 0)
		fprintf(stderr, "frontdoor route: cannot write the decisions: %s\n", strerror(errno));
	return rc;
}

static int
blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static size_t
arena_add(struct buf *arena, const void *p, size_t n)
{
	size_t off = arena->len;

	buf_add(arena, p, n);
	return off;
}

/* Keeps one decided case for the next logged batch. */
static void
batch_add(struct recorder *rec, const struct case_facts *cf, const struct decision *d,
    const struct trace *tr, const char *line, size_t len, unsigned long lineno)
{
	struct batch *b = &rec->b;
	struct pending *p;
	size_t start;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = xreallocarray(b->v, b->cap, sizeof *b->v);
	}
	p = &b->v[b->n++];
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	p->facts = arena_add(&b->arena, line, len);
	p->facts_len = len;
	p->id = arena_add(&b->arena, cf->case_id, cf->case_id_len);
	p->id_len = cf->case_id_len;
	start = b->arena.len;
	engine_write_detail_json(&b->arena, rec->rs, cf, d, tr);
	p->detail = start;
	p->detail_len = b->arena.len - start;
	start = b->arena.len;
	engine_write_json(&b->arena, rec->rs, cf, d, NULL);
	p->line = start;
	p->line_len = b->arena.len - start;
	p->rule = d->rule;
	p->route = d->route;
	p->level = d->level;
	p->need_level = d->need_level;
	p->lineno = lineno;
}

static struct rbytes
arena_bytes(const struct batch *b, size_t off, size_t len)
{
	struct rbytes r = { b->arena.data + off, len };
	return r;
}

/*
 * Decides the pending case again with the history the transaction sees (an
 * earlier case of the batch included) and sets the record's decision, facts
 * and detail from it; the decision line is kept in harena for the output.
 */
static int
decide_with_history(struct store_txn *t, struct recorder *rec, struct pending *p,
    struct record *r)
{
	struct batch *b = &rec->b;
	struct decision d;
	char *cause = NULL;
	size_t start;
	int rc;

	rc = history_decide(t, rec->rs, b->arena.data + p->facts, p->facts_len, rec->now,
	    &rec->hfacts, &rec->hcf, &d, &rec->htr, &cause);
	if (rc != 0) {
		if (rc > 0)
			store_fail(t, "line %lu: %s", p->lineno, cause);
		free(cause);
		return -1;
	}
	r->rec_route = r->route = d.route;
	r->rec_level = r->level = d.level;
	r->need_level = d.need_level;
	r->rule = (struct rbytes){ rec->rs->rules[d.rule].id, strlen(rec->rs->rules[d.rule].id) };
	r->facts = (struct rbytes){ rec->hfacts.data, rec->hfacts.len };
	buf_reset(&rec->scratch);
	engine_write_detail_json(&rec->scratch, rec->rs, &rec->hcf, &d, &rec->htr);
	r->detail = (struct rbytes){ rec->scratch.data, rec->scratch.len };
	start = rec->harena.len;
	engine_write_json(&rec->harena, rec->rs, &rec->hcf, &d, NULL);
	p->hline = start;
	p->hline_len = rec->harena.len - start;
	return 0;
}

static int
append_batch(struct store_txn *t, void *argp)
{
	struct recorder *rec = argp;
	struct batch *b = &rec->b;
	struct dlog_head head;
	const char *role = role_name(rec->role);
	unsigned char ruleset[DIGEST_LEN];
	struct buf enc;
	int rc = 0;

	digest_hex_decode(rec->rs->hash, ruleset);	/* once a batch, not once a record */
	if (roles_require(t, rec->user, ACT_ROUTE, &rec->role) < 0 || dlog_head(t, &head) < 0)
		return -1;
	role = role_name(rec->role);
	b->first_seq = head.seq + 1;
	buf_reset(&rec->harena);	/* a retried transaction starts again */
	buf_init(&enc);
	for (size_t i = 0; i < b->n && rc == 0; i++) {
		struct pending *p = &b->v[i];
		const struct rule_def *rule = &rec->rs->rules[p->rule];
		struct record r;

		memset(&r, 0, sizeof r);
		r.time = rec->now;
		r.kind = KIND_ROUTE;
		r.rec_route = r.route = p->route;
		r.rec_level = r.level = p->level;
		r.need_level = p->need_level;
		r.has_ruleset = 1;
		memcpy(r.ruleset, ruleset, DIGEST_LEN);
		r.actor = (struct rbytes){ rec->user, strlen(rec->user) };
		r.role = (struct rbytes){ role, strlen(role) };
		r.case_id = arena_bytes(b, p->id, p->id_len);
		r.engine = (struct rbytes){ RECORD_ENGINE, strlen(RECORD_ENGINE) };
		r.rule = (struct rbytes){ rule->id, strlen(rule->id) };
		r.facts = arena_bytes(b, p->facts, p->facts_len);
		r.detail = arena_bytes(b, p->detail, p->detail_len);
		if (rec->history && decide_with_history(t, rec, p, &r) < 0)
			rc = -1;
		else if (dueindex_append(t, &head, &r, &enc, rules_calendar(rec->rs)) < 0)
			rc = -1;
	}
	buf_free(&enc);
	return rc;
}

/*
 * Logs the batch in one transaction, then (only then) writes its decisions
 * with their seq, at once, so that every seq printed is durable and every
 * durable decision is acknowledged without waiting for the end of the input.
 */
static int
flush_batch(struct recorder *rec, struct buf *out, const char *input)
{
	struct batch *b = &rec->b;
	char *cause = NULL;

	if (b->n == 0)
		return 0;
	rec->now = (int64_t)time(NULL);
	if (store_write(rec->s, append_batch, rec, &cause) < 0) {
		fprintf(stderr, "%s:%lu-%lu: not recorded: ", input, b->v[0].lineno,
		    b->v[b->n - 1].lineno);
		fput_sanitised(cause, strlen(cause), stderr);
		fprintf(stderr, "\n");
		free(cause);
		return -1;
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct pending *p = &b->v[i];

		const char *line = rec->history ? rec->harena.data + p->hline :
		    b->arena.data + p->line;
		size_t len = rec->history ? p->hline_len : p->line_len;

		/* the decision line ends "}\n": add the sequence number before it */
		buf_add(out, line, len - 2);
		buf_add(out, ",\"seq\":", 7);
		buf_add_u64(out, b->first_seq + i);
		buf_add(out, "}\n", 2);
	}
	b->n = 0;
	buf_reset(&b->arena);
	/* acknowledge the batch now: a caller streaming cases waits for each seq */
	return flush_out(out);
}

/* Routes every line; returns -1 on an output, input or logging failure, 0 otherwise. */
static int
route_stream(const struct ruleset *rs, const struct route_opts *o, int fd,
    struct route_counts *counts, struct recorder *rec)
{
	struct line_reader lr;
	struct case_facts cf;
	struct trace tr;
	struct buf out;
	const char *line;
	size_t len;
	int rc = 0, got, want_trace = o->explain || rec != NULL;

	lines_init(&lr, fd);
	case_init(&cf, rs);
	trace_init(&tr);
	buf_init(&out);
	buf_reserve(&out, OUT_FLUSH + 4096);
	while ((got = lines_next(&lr, &line, &len)) == 1) {
		struct decision d;
		char *cause = NULL;

		if (blank(line, len))
			continue;
		if (case_parse(&cf, line, len, &cause) < 0 ||
		    engine_decide(rs, &cf, &d, want_trace ? &tr : NULL) < 0) {
			fprintf(stderr, "%s:%lu: rejected: %s\n", o->name, lr.lineno,
			    cause != NULL ? cause : "no rule matched");
			free(cause);
			counts->rejected++;
			if (o->strict)
				break;
			continue;
		}
		counts->routed++;
		if (rec != NULL) {
			batch_add(rec, &cf, &d, &tr, line, len, lr.lineno);
			if ((long)rec->b.n >= o->batch && (rc = flush_batch(rec, &out, o->name)) < 0)
				break;
			continue;
		}
		engine_write_json(&out, rs, &cf, &d, o->explain ? &tr : NULL);
		if (out.len >= OUT_FLUSH && (rc = flush_out(&out)) < 0)
			break;
	}
	if (got < 0)
		fprintf(stderr, "%s:%lu: cannot read: %s\n", o->name, lr.lineno + 1,
		    errno == EFBIG ? "line longer than 16 MiB" : strerror(errno));
	/* what was decided before a read error is still logged; after a write error, not */
	if (rc == 0 && rec != NULL)
		rc = flush_batch(rec, &out, o->name);
	if (got < 0)
		rc = -1;
	if (rc < 0 && rec != NULL)
		counts->routed -= rec->b.n;	/* decided but not logged: not acknowledged */
	if (flush_out(&out) < 0)
		rc = -1;
	buf_free(&out);
	trace_free(&tr);
	case_free(&cf);
	lines_free(&lr);
	return rc;
}

static int
parse_route_opts(struct cli_ctx *ctx, int argc, char **argv, struct route_opts *o)
{
	const struct cli_command *cmd = &cmd_route_entry;
	struct cli_parse p;
	char *end;
	int ch;

	memset(o, 0, sizeof *o);
	o->batch = DEFAULT_BATCH;
	cli_parse_init(&p, cmd, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1) {
		switch (ch) {
		case 'r': o->rules = optarg; break;
		case 'e': o->explain = 1; break;
		case 's': o->strict = 1; break;
		case 'R': o->record = 1; break;
		case 'b':
			o->batch = strtol(optarg, &end, 10);
			if (*end != '\0' || o->batch < 1 || o->batch > 1000000)
				return cli_usage_error(cmd, "--batch takes 1 to 1000000");
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(cmd, "at most one input file");
	if (o->record && o->explain)
		return cli_usage_error(cmd, "--explain is not for --record (the log keeps "
		    "each decision's reasons)");
	o->input = argc - optind == 1 ? argv[optind] : "-";
	o->name = sanitise_dup(strcmp(o->input, "-") == 0 ? "stdin" : o->input);
	return 0;
}

struct rules_arg {
	struct recorder *rec;
	const char *file;	/* --rules, or NULL for the rule set in force */
	struct ruleset *rs;
};

/* Finds the rule set to log with: the one in force, or --rules if it was published. */
static int
load_recording_rules(struct store_txn *t, void *argp)
{
	struct rules_arg *a = argp;
	struct publication pub;
	struct store_val v;
	unsigned char hash[DIGEST_LEN];
	int rc;

	if (roles_require(t, a->rec->user, ACT_ROUTE, &a->rec->role) < 0)
		return -1;
	if (a->file != NULL) {
		digest_hex_decode(a->rs->hash, hash);
		rc = ledger_published(t, hash);
		if (rc == 0)
			rc = rulestore_get(t, hash, &v);
		if (rc == 1)
			return store_fail(t, "%s has not been published in this database; an admin "
			    "publishes it with: frontdoor rules publish %s", a->file, a->file);
		if (rc == RULESTORE_ALTERED)
			return store_fail(t, "the copy of %s in the database has been altered: its "
			    "bytes no longer hash to its name (run frontdoor verify)", a->file);
		return rc < 0 ? -1 : 0;
	}
	rc = ledger_active(t, &pub);
	if (rc == 1)
		return store_fail(t, "no rule set has been published in this database");
	if (rc < 0)
		return -1;
	return rulesets_load(t, pub.hash, "the rule set in force", &a->rs);
}

static int
open_recorder(struct cli_ctx *ctx, struct route_opts *o, struct recorder *rec,
    struct ruleset **rs)
{
	struct rules_arg a = { rec, o->rules, *rs };
	char *cause = NULL;

	memset(rec, 0, sizeof *rec);
	if (cli_open_db(ctx, &rec->s, &rec->user) < 0)
		return -1;
	if (store_read(rec->s, load_recording_rules, &a, &cause) < 0) {
		cli_fail("route", cause, 0);
		return -1;
	}
	*rs = a.rs;
	rec->rs = *rs;
	buf_init(&rec->b.arena);
	buf_init(&rec->scratch);
	rec->history = history_used(*rs);
	buf_init(&rec->harena);
	buf_init(&rec->hfacts);
	case_init(&rec->hcf, *rs);
	trace_init(&rec->htr);
	return 0;
}

static void
close_recorder(struct recorder *rec)
{
	store_close(rec->s);
	free(rec->user);
	buf_free(&rec->b.arena);
	buf_free(&rec->scratch);
	buf_free(&rec->harena);
	buf_free(&rec->hfacts);
	case_free(&rec->hcf);
	trace_free(&rec->htr);
	free(rec->b.v);
}

static int
cmd_route(struct cli_ctx *ctx, int argc, char **argv)
{
	struct route_counts counts = { 0, 0 };
	struct recorder rec;
	struct route_opts o;
	struct ruleset *rs = NULL;
	int fd = -1, rc = EXIT_USAGE;

	memset(&rec, 0, sizeof rec);
	if (parse_route_opts(ctx, argc, argv, &o) != 0)
		return EXIT_USAGE;
	if (o.rules != NULL || !o.record) {
		rs = cli_load_rules(o.rules != NULL ? o.rules : app_default_rules(), 0);
		if (rs == NULL) {
			free(o.name);
			return EXIT_USAGE;
		}
	}
	if (o.record && open_recorder(ctx, &o, &rec, &rs) < 0) {
		rc = EXIT_PROBLEM;
		goto out;
	}
	fd = strcmp(o.input, "-") == 0 ? STDIN_FILENO : open(o.input, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "frontdoor route: %s: %s\n", o.name, strerror(errno));
		goto out;
	}
	rc = route_stream(rs, &o, fd, &counts, o.record ? &rec : NULL);
	fprintf(stderr, "frontdoor route: %lu %s, %lu rejected%s\n", counts.routed,
	    o.record ? "routed and logged" : "routed", counts.rejected,
	    o.strict && counts.rejected ? " (stopped at the first: --strict)" : "");
	rc = rc < 0 ? EXIT_PROBLEM : counts.rejected > 0 ? EXIT_PROBLEM : EXIT_OK;
out:
	if (fd > STDIN_FILENO)
		close(fd);
	if (o.record)
		close_recorder(&rec);
	rules_free(rs);
	free(o.name);
	return rc;
}
