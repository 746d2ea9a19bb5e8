/* cmd_audit.c: `frontdoor verify` (chain and replay) and `frontdoor whatif` (a candidate rule set). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/audit.h"
#include "store/roles.h"
#include "core/verify.h"
#include "core/proof.h"

static int cmd_verify(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_whatif(struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_option verify_option_table[] = {
	{ "checkpoint", 'c', "SEQ:HASH|FILE", CLI_OPT_SHORT }, { "vkey", 'k', "KEY|FILE", 0 },
	{ "threads", 't', "N", CLI_OPT_SHORT }, { "quiet", 'q', NULL, CLI_OPT_SHORT },
	{ NULL, 0, NULL, 0 },
};

const struct cli_command cmd_verify_entry = {
	.name = "verify",
	.usage = "[--checkpoint SEQ:HASH|FILE [--vkey KEY|FILE]] [--threads N] [--quiet]",
	.summary = "check the hash chain and tree and replay every decision",
	.options = verify_option_table,
	.flags = CLI_DB,
	.role = ACT_AUDIT,
	.exec = cmd_verify,
};

static const struct cli_option whatif_option_table[] = {
	{ "rules", 'r', "FILE", CLI_OPT_SHORT }, { NULL, 0, NULL, 0 },
};

const struct cli_command cmd_whatif_entry = {
	.name = "whatif",
	.usage = "--rules FILE",
	.summary = "replay the log under a candidate rule set",
	.options = whatif_option_table,
	.flags = CLI_DB,
	.role = ACT_AUDIT,
	.exec = cmd_whatif,
};

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

/*
 * A signed checkpoint from a file, checked with the key given (text or a
 * file) or else the one the database names; its size and root go to o.
 */
static int
signed_checkpoint(struct store *s, const char *path, const char *vkey, struct verify_opts *o,
    char **cause)
{
	struct note_key k;
	struct note n;
	struct note_checkpoint c;
	char *text = NULL;
	size_t len;
	int rc = vkey != NULL ? cli_load_vkey(vkey, &k, cause) : proof_vkey(s, &k, cause);

	if (rc != 0) {
		if (rc == 1)
			*cause = xstrdup("the database names no checkpoint key: give the log's key "
			    "with --vkey");
		return -1;
	}
	rc = cli_read_input(path, NOTE_MAX_SIZE, &text, &len, cause);
	if (rc == 0 && (rc = proof_open_checkpoint(text, len, &k, &n, &c, cause)) == 0) {
		o->have_tree_check = 1;
		o->tree_size = c.size;
		memcpy(o->tree_root, c.root, DIGEST_LEN);
		note_checkpoint_free(&c);
		note_free(&n);
	}
	free(text);
	note_key_free(&k);
	return rc;
}

/* Whether an argument is meant as SEQ:HASH: digits, then a colon. */
static int
seq_hash_form(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && s[n] == ':';
}

static int
verify_report(const struct verify_result *res, const struct verify_opts *o)
{
	for (size_t i = 0; i < res->nproblems; i++)
		printf("%s\n", res->problems[i].text);
	if (res->tree_root_checked)
		printf("signed checkpoint of %llu records: signature and tree root verified\n",
		    (unsigned long long)o->tree_size);
	printf("tree: %llu of %lu records%s\n", (unsigned long long)res->tree_leaves,
	    res->records, res->tree_leaves < res->records ? " (the rest are added on the next "
	    "write)" : "");
	printf("%lu records checked, %lu decisions replayed: %s (%zu problem%s)\n", res->records,
	    res->replayed, res->nproblems ? "FAILED" : "chain intact, every decision reproduced",
	    res->nproblems, res->nproblems == 1 ? "" : "s");
	return res->nproblems ? EXIT_PROBLEM : EXIT_OK;
}

/*
 * Parses verify's options into o; a --checkpoint that is not SEQ:HASH names a
 * file holding a signed checkpoint, left in *note. 0, or EXIT_USAGE after
 * saying why.
 */
static int
verify_options_parse(struct cli_ctx *ctx, int argc, char **argv, struct verify_opts *o,
    int *quiet, const char **note, const char **vkey)
{
	const struct cli_command *cmd = &cmd_verify_entry;
	struct cli_parse p;
	char *end;
	int ch;

	cli_parse_init(&p, cmd, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1) {
		if (ch == '?')
			return EXIT_USAGE;
		if (ch == 'c' && !seq_hash_form(optarg))
			*note = optarg;
		else if (ch == 'c' && parse_checkpoint(optarg, o) < 0)
			return cli_usage_error(cmd, "--checkpoint is SEQ:HASH, as checkpoint prints it");
		if (ch == 'k')
			*vkey = optarg;
		if (ch == 't') {
			o->threads = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || o->threads < 1 || o->threads > 64)
				return cli_usage_error(cmd, "--threads takes 1 to 64");
		}
		*quiet |= ch == 'q';
	}
	if (optind != argc)
		return cli_usage_error(cmd, "takes no operands");
	/* a key with nothing to check it against would pass unread: say so instead */
	if (*vkey != NULL && *note == NULL)
		return cli_usage_error(cmd, "--vkey checks a signed checkpoint: give its file with "
		    "--checkpoint FILE");
	return 0;
}

static int
cmd_verify(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *note = NULL, *vkey = NULL;
	struct progress prog = { 0, 0, 0, "verifying" };
	struct verify_opts o;
	struct verify_result res;
	struct store *s;
	char *user, *cause = NULL;
	int quiet = 0, rc;

	memset(&o, 0, sizeof o);
	if (verify_options_parse(ctx, argc, argv, &o, &quiet, &note, &vkey) != 0)
		return EXIT_USAGE;
	/* read-only: an archived copy on read-only media verifies too */
	if (cli_open_reader(ctx, &s, &user) < 0)
		return EXIT_PROBLEM;
	prog.on = !quiet && isatty(STDERR_FILENO);
	o.progress = verify_progress;
	o.progress_arg = &prog;
	memset(&res, 0, sizeof res);
	rc = cli_require_role(&cmd_verify_entry, s, user, &cause);
	if (rc == 0 && note != NULL)
		rc = signed_checkpoint(s, note, vkey, &o, &cause);
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
	rc = verify_report(&res, &o);
	verify_result_free(&res);
	return rc;
}

/* ---- whatif ---- */

static void
whatif_list(const struct audit_whatif *w, const struct audit_moves *m)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct audit_move *mv = &m->v[i];

		printf("  seq %llu case %s", (unsigned long long)mv->seq, mv->case_id);
		if (mv->cause != NULL) {
			printf(" (recorded %s): ", route_name((enum route_id)mv->from));
			fput_sanitised(mv->cause, strlen(mv->cause), stdout);
			fputc('\n', stdout);
		} else
			printf(": %s -> %s (rule %s)\n", route_name((enum route_id)mv->from),
			    route_name((enum route_id)mv->to), w->candidate->rules[mv->rule].id);
	}
}

static void
whatif_report(const struct audit_whatif *w)
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
	whatif_list(w, &w->moves);
	if (w->failed > 0) {
		printf("\n%lu decision%s the candidate cannot route:\n", w->failed,
		    w->failed == 1 ? "" : "s");
		whatif_list(w, &w->rejected);
	}
}

static int
cmd_whatif(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_parse p;
	struct audit_whatif w;
	const char *rules = NULL;
	struct ruleset *rs;
	struct store *s;
	char *user, *cause = NULL;
	int ch, rc;

	cli_parse_init(&p, &cmd_whatif_entry, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1) {
		if (ch == '?')
			return EXIT_USAGE;
		rules = optarg;
	}
	if (rules == NULL)
		return cli_usage_error(&cmd_whatif_entry, "--rules is required");
	if (optind != argc)
		return cli_usage_error(&cmd_whatif_entry, "takes no operands");
	rs = cli_load_rules(rules, 0);
	if (rs == NULL)
		return EXIT_USAGE;
	if (cli_open_reader(ctx, &s, &user) < 0) {
		rules_free(rs);
		return EXIT_PROBLEM;
	}
	audit_whatif_init(&w, rs, 0);
	rc = cli_require_role(&cmd_whatif_entry, s, user, &cause);
	if (rc == 0)
		rc = audit_whatif_run(s, &w, &cause);
	if (rc == 0)
		whatif_report(&w);
	audit_whatif_free(&w);
	rules_free(rs);
	store_close(s);
	free(user);
	if (rc < 0)
		return cli_fail("whatif", cause, EXIT_PROBLEM);
	return EXIT_OK;
}
