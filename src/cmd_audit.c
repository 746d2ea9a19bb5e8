/* cmd_audit.c: `frontdoor verify` (chain and replay) and `frontdoor whatif` (a candidate rule set). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dlog.h"
#include "replay.h"
#include "roles.h"

#define PROGRESS_EVERY 65536

/* Checks the caller's role in a short read transaction before a long scan. */
static int
require_txn(struct store_txn *t, void *argp)
{
	const void *const *a = argp;

	return roles_require(t, a[0], *(const enum action *)a[1], NULL);
}

static int
require_role(struct store *s, const char *user, enum action act, char **cause)
{
	const void *a[2] = { user, &act };

	return store_read(s, require_txn, a, cause);
}

struct progress {
	int on;
	size_t total, done;
	const char *what;
};

static void
progress_tick(struct progress *p)
{
	if (!p->on || ++p->done % PROGRESS_EVERY != 0 || p->total == 0)
		return;
	fprintf(stderr, "\r%s: %3zu%% (%zu of %zu)", p->what, p->done * 100 / p->total, p->done,
	    p->total);
}

static void
progress_end(struct progress *p)
{
	if (p->on && p->total >= PROGRESS_EVERY)
		fprintf(stderr, "\r%*s\r", 60, "");
}

static int
count_txn(struct store_txn *t, void *argp)
{
	return store_count(t, TABLE_LOG, argp);
}

/* ---- verify ---- */

struct verifier {
	struct replayer rp;
	struct progress prog;
	uint64_t expect;		/* the sequence the next record must have */
	unsigned char prev[DIGEST_LEN];	/* the hash the next record must chain to */
	unsigned long records, replayed, problems;
	uint64_t check_seq;		/* --checkpoint */
	unsigned char check_hash[DIGEST_LEN];
	int have_check, check_seen;
};

static void
problem(struct verifier *v, uint64_t seq, const struct record *r, const char *fmt, ...)
    FD_ATTR_PRINTF(4, 5);

static void
problem(struct verifier *v, uint64_t seq, const struct record *r, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (v->prog.on)
		fputc('\n', stdout);
	printf("seq %llu", (unsigned long long)seq);
	if (r != NULL && r->case_id.n > 0) {
		printf(" case ");
		fput_sanitised(r->case_id.p, r->case_id.n, stdout);
	}
	printf(": ");
	fput_sanitised(msg, strlen(msg), stdout);
	printf("\n");
	free(msg);
	v->problems++;
}

static void
check_replay(struct verifier *v, struct store_txn *t, uint64_t seq, const struct record *r)
{
	const struct ruleset *rs;
	struct decision d;
	char *cause = NULL;

	if (r->kind == KIND_ROUTE && r->route != r->rec_route)
		problem(v, seq, r, "a 'route' record whose final route differs from the "
		    "recommendation");
	if (r->kind == KIND_OVERRIDE && (r->route == r->rec_route || r->rationale.n == 0))
		problem(v, seq, r, "an override without a different route and a rationale");
	if (!replay_applies(r))
		return;
	if (replay_decide(&v->rp, t, NULL, r, &d, &rs, &cause) < 0) {
		problem(v, seq, r, "cannot replay: %s", cause);
		free(cause);
		return;
	}
	v->replayed++;
	if ((int)d.route != r->rec_route || d.level != r->rec_level ||
	    strlen(rs->rules[d.rule].id) != r->rule.n ||
	    memcmp(rs->rules[d.rule].id, r->rule.p, r->rule.n) != 0)
		problem(v, seq, r, "recorded %.*s -> %s, but the rules now give %s -> %s",
		    (int)r->rule.n, r->rule.p,
		    r->rec_route == RECORD_NONE ? "none" : route_name((enum route_id)r->rec_route),
		    rs->rules[d.rule].id, route_name(d.route));
}

static int
verify_one(struct store_txn *t, uint64_t seq, const struct store_val *raw, void *arg)
{
	struct verifier *v = arg;
	struct record r;
	char *cause = NULL;

	progress_tick(&v->prog);
	v->records++;
	if (seq != v->expect) {
		if (seq > v->expect)
			problem(v, v->expect, NULL, "missing: the log jumps from %llu to %llu",
			    (unsigned long long)(v->expect - 1), (unsigned long long)seq);
		else
			problem(v, seq, NULL, "out of order or malformed key");
	}
	v->expect = seq + 1;
	if (record_decode(raw->data, raw->len, &r, &cause) < 0) {
		problem(v, seq, NULL, "%s", cause);
		free(cause);
		/* keep chaining from the stored hash, so one damaged record is one problem */
		if (raw->len >= DIGEST_LEN)
			memcpy(v->prev, (const char *)raw->data + raw->len - DIGEST_LEN, DIGEST_LEN);
		return 0;
	}
	if (r.seq != seq)
		problem(v, seq, &r, "holds sequence number %llu", (unsigned long long)r.seq);
	if (!record_hash_ok(raw->data, raw->len))
		problem(v, seq, &r, "edited: its hash does not match its contents");
	if (memcmp(r.prev, v->prev, DIGEST_LEN) != 0)
		problem(v, seq, &r, "the chain is broken: it does not follow the record before it");
	if (v->have_check && seq == v->check_seq) {
		v->check_seen = 1;
		if (memcmp(r.hash, v->check_hash, DIGEST_LEN) != 0)
			problem(v, seq, &r, "differs from the checkpoint: history was rewritten");
	}
	memcpy(v->prev, r.hash, DIGEST_LEN);
	check_replay(v, t, seq, &r);
	return 0;
}

/* Every checkpoint stored in the database must still match the log. */
static int
check_stored_checkpoints(struct store_txn *t, void *argp)
{
	struct verifier *v = argp;
	struct store_cursor *c;
	struct store_val k, val;
	int rc;

	if (store_cursor_open(t, TABLE_CHECKPOINTS, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &val); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &val)) {
		uint64_t seq = k.len == 8 ? store_get_u64(k.data) : 0;
		struct record r;
		char *cause = NULL;
		int got;

		if (seq == 0)
			continue;	/* a checkpoint of the empty log */
		got = dlog_get(t, seq, &r, &cause);
		if (got == 1)
			problem(v, seq, NULL, "truncated: a stored checkpoint names this record, "
			    "which is gone");
		else if (got < 0)
			free(cause);
		else if (val.len != DIGEST_LEN || memcmp(val.data, r.hash, DIGEST_LEN) != 0)
			problem(v, seq, &r, "differs from a stored checkpoint");
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

static int
parse_checkpoint(const char *s, struct verifier *v)
{
	char *end;
	unsigned long long seq = strtoull(s, &end, 10);

	if (end == s || *end != ':' || strlen(end + 1) != 64 ||
	    digest_hex_decode(end + 1, v->check_hash) < 0)
		return -1;
	v->check_seq = seq;
	v->have_check = 1;
	return 0;
}

static int
verify_report(struct verifier *v)
{
	if (v->have_check && !v->check_seen && v->check_seq > 0)
		problem(v, v->check_seq, NULL, "truncated: the checkpoint names this record, but "
		    "the log ends at %llu", (unsigned long long)(v->expect - 1));
	printf("%lu records checked, %lu decisions replayed: %s (%lu problem%s)\n", v->records,
	    v->replayed, v->problems ? "FAILED" : "chain intact, every decision reproduced",
	    v->problems, v->problems == 1 ? "" : "s");
	return v->problems ? EXIT_PROBLEM : EXIT_OK;
}

int
cmd_verify(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "checkpoint", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' }, CLI_DB_OPTIONS, { NULL, 0, NULL, 0 },
	};
	struct verifier v;
	struct store *s;
	char *user, *cause = NULL;
	int ch, quiet = 0, rc;

	memset(&v, 0, sizeof v);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+c:q", opts, NULL)) != -1) {
		if (ch == 'c' && parse_checkpoint(optarg, &v) == 0)
			continue;
		if (ch == 'q')
			quiet = 1;
		else if (cli_db_option(ctx, ch, optarg) < 0 || ch == 'c') {
			fprintf(stderr, "usage: frontdoor verify [--checkpoint SEQ:HASH] [--quiet]\n");
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: frontdoor verify [--checkpoint SEQ:HASH] [--quiet]\n");
		return EXIT_USAGE;
	}
	if (cli_open_db(ctx, &s, &user) < 0)
		return EXIT_PROBLEM;
	v.expect = 1;
	v.prog.on = !quiet && isatty(STDERR_FILENO);
	v.prog.what = "verifying";
	replayer_init(&v.rp);
	rc = require_role(s, user, ACT_AUDIT, &cause);
	if (rc == 0)
		rc = store_read(s, count_txn, &v.prog.total, &cause);
	if (rc == 0)
		rc = dlog_scan(s, 1, verify_one, &v, &cause);
	if (rc == 0)
		rc = store_read(s, check_stored_checkpoints, &v, &cause);
	progress_end(&v.prog);
	replayer_free(&v.rp);
	store_close(s);
	free(user);
	if (rc < 0)
		return cli_fail("verify", cause, EXIT_PROBLEM);
	return verify_report(&v);
}

/* ---- whatif ---- */

struct whatif {
	struct replayer rp;
	const struct ruleset *candidate;
	unsigned long matrix[ROUTE_COUNT][ROUTE_COUNT];
	unsigned long replayed, failed;
	struct buf moves;	/* one line per case that would move */
	struct progress prog;
};

static int
whatif_one(struct store_txn *t, uint64_t seq, const struct store_val *raw, void *arg)
{
	struct whatif *w = arg;
	struct record r;
	struct decision d;
	char *cause = NULL;

	progress_tick(&w->prog);
	if (record_decode(raw->data, raw->len, &r, &cause) < 0 || !replay_applies(&r)) {
		free(cause);
		return 0;
	}
	if (replay_decide(&w->rp, t, w->candidate, &r, &d, NULL, &cause) < 0) {
		w->failed++;
		free(cause);
		return 0;
	}
	w->replayed++;
	w->matrix[r.rec_route][d.route]++;
	if ((int)d.route != r.rec_route) {
		buf_printf(&w->moves, "  seq %llu case ", (unsigned long long)seq);
		for (size_t i = 0; i < r.case_id.n; i++) {
			unsigned char c = (unsigned char)r.case_id.p[i];
			buf_addc(&w->moves, c >= 0x20 && c != 0x7f ? (char)c : '?');
		}
		buf_printf(&w->moves, ": %s -> %s (rule %s)\n",
		    route_name((enum route_id)r.rec_route), route_name(d.route),
		    w->candidate->rules[d.rule].id);
	}
	return 0;
}

static void
whatif_report(const struct whatif *w)
{
	unsigned long moved = 0;

	printf("%lu decisions replayed under %s (sha256:%.12s...)", w->replayed,
	    w->candidate->name, w->candidate->hash);
	if (w->failed)
		printf(", %lu no longer valid cases", w->failed);
	printf("\n\n%-22s", "recorded \\ candidate");
	for (int c = 0; c < ROUTE_COUNT; c++)
		printf(" %20s", route_name((enum route_id)c));
	printf("\n");
	for (int r = 0; r < ROUTE_COUNT; r++) {
		printf("%-22s", route_name((enum route_id)r));
		for (int c = 0; c < ROUTE_COUNT; c++) {
			printf(" %20lu", w->matrix[r][c]);
			if (r != c)
				moved += w->matrix[r][c];
		}
		printf("\n");
	}
	printf("\n%lu decision%s would change route\n", moved, moved == 1 ? "" : "s");
	if (moved > 0)
		fputs(w->moves.data, stdout);
}

int
cmd_whatif(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' }, CLI_DB_OPTIONS, { NULL, 0, NULL, 0 },
	};
	const char *rules = NULL;
	struct ruleset *rs;
	struct whatif w;
	struct store *s;
	char *user, *cause = NULL;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+r:", opts, NULL)) != -1)
		if (ch == 'r')
			rules = optarg;
		else if (cli_db_option(ctx, ch, optarg) < 0)
			rules = NULL, optind = argc + 1;
	if (rules == NULL || optind != argc) {
		fprintf(stderr, "usage: frontdoor whatif --rules NEW.yaml [--db DIR]\n");
		return EXIT_USAGE;
	}
	rs = cli_load_rules(rules, 0);
	if (rs == NULL)
		return EXIT_USAGE;
	if (cli_open_db(ctx, &s, &user) < 0) {
		rules_free(rs);
		return EXIT_PROBLEM;
	}
	memset(&w, 0, sizeof w);
	replayer_init(&w.rp);
	buf_init(&w.moves);
	buf_adds(&w.moves, "");
	w.candidate = rs;
	w.prog.on = isatty(STDERR_FILENO);
	w.prog.what = "replaying";
	rc = require_role(s, user, ACT_AUDIT, &cause);
	if (rc == 0)
		rc = store_read(s, count_txn, &w.prog.total, &cause);
	if (rc == 0)
		rc = dlog_scan(s, 1, whatif_one, &w, &cause);
	progress_end(&w.prog);
	if (rc == 0)
		whatif_report(&w);
	buf_free(&w.moves);
	replayer_free(&w.rp);
	rules_free(rs);
	store_close(s);
	free(user);
	if (rc < 0)
		return cli_fail("whatif", cause, EXIT_PROBLEM);
	return EXIT_OK;
}
