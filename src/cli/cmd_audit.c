/* cmd_audit.c: `frontdoor verify` (chain and replay) and `frontdoor whatif` (a candidate rule set). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/dlog.h"
#include "core/replay.h"
#include "store/roles.h"
#include "core/verify.h"


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

/* ---- verify ---- */

static void
verify_progress(size_t done, size_t total, void *arg)
{
	struct progress *p = arg;

	if (!p->on || total == 0)
		return;
	fprintf(stderr, "\r%s: %3zu%% (%zu of %zu)", p->what, done * 100 / total, done, total);
}

static int
parse_checkpoint(const char *s, struct verify_opts *o)
{
	char *end;
	unsigned long long seq = strtoull(s, &end, 10);

	if (end == s || *end != ':' || strlen(end + 1) != 64 ||
	    digest_hex_decode(end + 1, o->check_hash) < 0)
		return -1;
	o->check_seq = seq;
	o->have_check = 1;
	return 0;
}

static int
verify_report(const struct verify_result *res)
{
	for (size_t i = 0; i < res->nproblems; i++)
		printf("%s\n", res->problems[i].text);
	printf("%lu records checked, %lu decisions replayed: %s (%zu problem%s)\n", res->records,
	    res->replayed, res->nproblems ? "FAILED" : "chain intact, every decision reproduced",
	    res->nproblems, res->nproblems == 1 ? "" : "s");
	return res->nproblems ? EXIT_PROBLEM : EXIT_OK;
}

int
cmd_verify(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "checkpoint", required_argument, NULL, 'c' },
		{ "threads", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' }, CLI_DB_OPTIONS, { NULL, 0, NULL, 0 },
	};
	static const char usage[] =
	    "usage: frontdoor verify [--checkpoint SEQ:HASH] [--threads N] [--quiet]\n";
	struct progress prog = { 0, 0, 0, "verifying" };
	struct verify_opts o;
	struct verify_result res;
	struct store *s;
	char *user, *cause = NULL, *end;
	int ch, quiet = 0, rc;

	memset(&o, 0, sizeof o);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:t:q", opts, NULL)) != -1) {
		if (ch == 'c' && parse_checkpoint(optarg, &o) == 0)
			continue;
		if (ch == 't') {
			o.threads = (int)strtol(optarg, &end, 10);
			if (*end == '\0' && o.threads >= 1 && o.threads <= 64)
				continue;
		}
		if (ch == 'q')
			quiet = 1;
		else if (cli_db_option(ctx, ch, optarg) < 0 || ch == 'c' || ch == 't') {
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (cli_open_db(ctx, &s, &user) < 0)
		return EXIT_PROBLEM;
	prog.on = !quiet && isatty(STDERR_FILENO);
	o.progress = verify_progress;
	o.progress_arg = &prog;
	memset(&res, 0, sizeof res);
	rc = require_role(s, user, ACT_AUDIT, &cause);
	if (rc == 0)
		rc = verify_run(s, &o, &res, &cause);
	if (prog.on)
		fprintf(stderr, "\r%*s\r", 60, "");
	store_close(s);
	free(user);
	if (rc < 0) {
		verify_result_free(&res);
		return cli_fail("verify", cause, EXIT_PROBLEM);
	}
	rc = verify_report(&res);
	verify_result_free(&res);
	return rc;
}

/* ---- whatif ---- */

struct whatif {
	struct replayer rp;
	const struct ruleset *candidate;
	unsigned long matrix[ROUTE_COUNT][ROUTE_COUNT];
	unsigned long replayed, failed;
	struct buf moves;	/* one line per case that would move */
	struct buf rejected;	/* one line per decision the candidate cannot route */
};

/* "  seq N case ID", the id made safe for a terminal. */
static void
whatif_line_start(struct buf *b, uint64_t seq, const struct record *r)
{
	buf_printf(b, "  seq %llu case ", (unsigned long long)seq);
	buf_add_sanitised(b, r->case_id.p, r->case_id.n);
}

static int
whatif_one(struct store_txn *t, uint64_t seq, const struct store_val *raw, void *arg)
{
	struct whatif *w = arg;
	struct record r;
	struct decision d;
	char *cause = NULL;

	if (record_decode(raw->data, raw->len, &r, &cause) < 0 || !replay_applies(&r)) {
		free(cause);
		return 0;
	}
	if (replay_decide(&w->rp, t, w->candidate, &r, &d, NULL, &cause) < 0) {
		/* the reasons name no case data: an indicator's place in the list, a field */
		w->failed++;
		whatif_line_start(&w->rejected, seq, &r);
		buf_printf(&w->rejected, " (recorded %s): ", route_name((enum route_id)r.rec_route));
		buf_add_sanitised(&w->rejected, cause, strlen(cause));
		buf_addc(&w->rejected, '\n');
		free(cause);
		return 0;
	}
	w->replayed++;
	w->matrix[r.rec_route][d.route]++;
	if ((int)d.route != r.rec_route) {
		whatif_line_start(&w->moves, seq, &r);
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

	printf("%lu decisions replayed under ", w->replayed);
	fput_sanitised(w->candidate->name, strlen(w->candidate->name), stdout);
	printf(" (sha256:%.12s...)", w->candidate->hash);
	if (w->failed)
		printf("; %lu decision%s it cannot route (listed last)", w->failed,
		    w->failed == 1 ? "" : "s");
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
	if (w->failed > 0) {
		printf("\n%lu decision%s the candidate cannot route:\n", w->failed,
		    w->failed == 1 ? "" : "s");
		fputs(w->rejected.data, stdout);
	}
}

#define WHATIF_MAX_PARTS 8

/* Adds one part's findings to the first: matrices summed, moves kept in log order. */
static void
whatif_merge(struct whatif *into, struct whatif *part)
{
	for (int r = 0; r < ROUTE_COUNT; r++)
		for (int c = 0; c < ROUTE_COUNT; c++)
			into->matrix[r][c] += part->matrix[r][c];
	into->replayed += part->replayed;
	into->failed += part->failed;
	buf_add(&into->moves, part->moves.data, part->moves.len);
	buf_add(&into->rejected, part->rejected.data, part->rejected.len);
}

static int
head_seq_txn(struct store_txn *t, void *arg)
{
	return dlog_head(t, arg);
}

/* Replays the log in parallel parts; w[0] ends up holding the whole answer. */
static int
whatif_run(struct store *s, struct whatif *w, int *nparts, char **cause)
{
	struct dlog_part scan[WHATIF_MAX_PARTS];
	struct dlog_head head;
	int n, rc;

	if (store_read(s, head_seq_txn, &head, cause) < 0)
		return -1;
	n = dlog_part_count(head.seq, 0, WHATIF_MAX_PARTS);
	if (n < 1 || n > WHATIF_MAX_PARTS)	/* never, but the bounds are this function's */
		n = 1;
	memset(scan, 0, sizeof scan);
	dlog_split(scan, n, head.seq);
	for (int i = 0; i < n; i++) {
		if (i > 0) {
			memset(&w[i], 0, sizeof w[i]);
			replayer_init(&w[i].rp);
			buf_init(&w[i].moves);
			buf_init(&w[i].rejected);
			w[i].candidate = w[0].candidate;
		}
		scan[i].fn = whatif_one;
		scan[i].arg = &w[i];
	}
	rc = dlog_scan_parts(s, scan, n);
	for (int i = 0; i < n; i++) {
		if (rc < 0 && scan[i].rc < 0 && *cause == NULL)
			*cause = scan[i].cause;
		else
			free(scan[i].cause);
		if (i > 0)
			whatif_merge(&w[0], &w[i]);
	}
	*nparts = n;
	return rc;
}

int
cmd_whatif(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' }, CLI_DB_OPTIONS, { NULL, 0, NULL, 0 },
	};
	struct whatif w[WHATIF_MAX_PARTS];
	const char *rules = NULL;
	struct ruleset *rs;
	struct store *s;
	char *user, *cause = NULL;
	int ch, rc, nparts = 1;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "r:", opts, NULL)) != -1)
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
	memset(&w[0], 0, sizeof w[0]);
	replayer_init(&w[0].rp);
	buf_init(&w[0].moves);
	buf_adds(&w[0].moves, "");
	buf_init(&w[0].rejected);
	buf_adds(&w[0].rejected, "");
	w[0].candidate = rs;
	rc = require_role(s, user, ACT_AUDIT, &cause);
	if (rc == 0)
		rc = whatif_run(s, w, &nparts, &cause);
	if (rc == 0)
		whatif_report(&w[0]);
	for (int i = 0; i < nparts; i++) {
		buf_free(&w[i].moves);
		buf_free(&w[i].rejected);
		replayer_free(&w[i].rp);
	}
	rules_free(rs);
	store_close(s);
	free(user);
	if (rc < 0)
		return cli_fail("whatif", cause, EXIT_PROBLEM);
	return EXIT_OK;
}
