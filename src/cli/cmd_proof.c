/* cmd_proof.c: `frontdoor checkpoint` (signed), `prove` and `check-proof`: what an outsider checks the log with. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/sanitise.h"
#include "cli/cli.h"
#include "core/proof.h"
#include "store/record.h"
#include "store/roles.h"

static int cmd_checkpoint(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_prove(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_check_proof(struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_option checkpoint_option_table[] = {
	{ "signed", 's', NULL, 0 }, { "size", 'n', "N", 0 }, { "vkey", 'v', NULL, 0 },
	{ "new-key", 'k', NULL, 0 }, { "origin", 'o', "NAME", 0 }, { NULL, 0, NULL, 0 },
};

const struct cli_command cmd_checkpoint_entry = {
	.name = "checkpoint",
	.usage = "[--signed [--size N] | --vkey | --new-key [--origin NAME]]",
	.summary = "print and store the log's head (SEQ:HASH), or sign a checkpoint of its tree",
	.options = checkpoint_option_table,
	.flags = CLI_DB,
	.role = ACT_CHECKPOINT,
	.exec = cmd_checkpoint,
};

static const struct cli_option prove_option_table[] = {
	{ "case", 'c', "ID", 0 }, { "from", 'f', "OLD_SIZE", 0 },
	{ "checkpoint", 'k', "FILE", 0 }, { NULL, 0, NULL, 0 },
};

const struct cli_command cmd_prove_entry = {
	.name = "prove",
	.usage = "(SEQ | --case ID | --from OLD_SIZE) [--checkpoint FILE]",
	.summary = "prove a record is in the log, or that it only grew since a size",
	.options = prove_option_table,
	.flags = CLI_DB,
	.role = ACT_AUDIT,
	.role_when = "(--from: checkpoint)",
	.exec = cmd_prove,
};

static const struct cli_option check_proof_option_table[] = {
	{ "vkey", 'v', "KEY|FILE", 0 }, { "json", 'j', NULL, 0 }, { NULL, 0, NULL, 0 },
};

/* No database: the outsider checks with the log's public key alone. */
const struct cli_command cmd_check_proof_entry = {
	.name = "check-proof",
	.usage = "--vkey KEY|FILE [--json] [FILE|-]",
	.summary = "check an inclusion proof with the log's public key alone",
	.options = check_proof_option_table,
	.role = CLI_NO_ROLE,
	.exec = cmd_check_proof,
};

/* Opens the database (to read only, if asked: cli_open_reader) and checks the caller may act. */
static int
open_for(struct cli_ctx *ctx, const char *cmd, enum action act, int readonly, struct store **s)
{
	char *user;

	if (cli_open_acting(ctx, cmd, (int)act, readonly, s, &user) < 0)
		return -1;
	free(user);
	return 0;
}

/* A positive decimal number, or 0 and -1. */
static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	*out = strtoull(s, &end, 10);
	return *end == '\0' ? 0 : -1;
}

/* Writes out to stdout and frees it. */
static int
emit(struct buf *out)
{
	int ok = fwrite(out->data, 1, out->len, stdout) == out->len && fflush(stdout) == 0;

	buf_free(out);
	return ok ? EXIT_OK : EXIT_PROBLEM;
}

/* ---- checkpoint ---- */

enum checkpoint_mode { CP_HEAD, CP_SIGNED, CP_VKEY, CP_NEW_KEY };

static int
checkpoint_run(struct cli_ctx *ctx, enum checkpoint_mode mode, uint64_t size, const char *origin)
{
	struct store *s;
	struct buf out;
	char *cause = NULL;
	int rc;

	if (mode == CP_HEAD)
		return cli_checkpoint_head(ctx);
	if (open_for(ctx, "checkpoint", mode == CP_NEW_KEY ? ACT_USERS : ACT_CHECKPOINT,
	    mode == CP_VKEY, &s) < 0)
		return EXIT_PROBLEM;
	buf_init(&out);
	if (mode == CP_SIGNED)
		rc = proof_checkpoint(s, size, &out, &cause);
	else if (mode == CP_NEW_KEY)
		rc = proof_key_create(s, origin, &out, &cause);
	else if ((rc = proof_vkey_text(s, &out, &cause)) == 1) {
		cause = xstrdup("this database has no checkpoint key (an admin makes one with "
		    "frontdoor checkpoint --new-key)");
		rc = -1;
	}
	store_close(s);
	if (rc < 0) {
		buf_free(&out);
		return cli_fail("checkpoint", cause, EXIT_PROBLEM);
	}
	if (mode != CP_SIGNED)
		buf_addc(&out, '\n');
	return emit(&out);
}

static int
cmd_checkpoint(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_command *cmd = &cmd_checkpoint_entry;
	struct cli_parse p;
	enum checkpoint_mode mode = CP_HEAD;
	const char *origin = NULL;
	uint64_t size = 0;
	int ch, modes = 0;

	cli_parse_init(&p, cmd, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1) {
		if (ch == '?')
			return EXIT_USAGE;
		if (ch == 's' || ch == 'v' || ch == 'k') {
			mode = ch == 's' ? CP_SIGNED : ch == 'v' ? CP_VKEY : CP_NEW_KEY;
			modes++;
		} else if (ch == 'n' && (parse_u64(optarg, &size) < 0 || size == 0))
			return cli_usage_error(cmd, "--size takes a positive number");
		else if (ch == 'o')
			origin = optarg;
	}
	if (optind != argc)
		return cli_usage_error(cmd, "takes no operands");
	if (modes > 1 || (size != 0 && mode != CP_SIGNED) || (origin != NULL && mode != CP_NEW_KEY))
		return cli_usage_error(cmd, "--signed, --vkey and --new-key are apart; --size goes "
		    "with --signed, --origin with --new-key");
	return checkpoint_run(ctx, mode, size, origin);
}

/* ---- prove ---- */

struct prove_opts {
	uint64_t seq, from;
	int have_from;
	const char *case_id, *checkpoint;
};

/* The checkpoint to prove against: the file given, or a new one signed now. */
static int
prove_checkpoint(struct store *s, const char *path, char **note, size_t *len, char **cause)
{
	struct buf b;

	if (path != NULL)
		return cli_read_input(path, NOTE_MAX_SIZE, note, len, cause);
	buf_init(&b);
	if (proof_checkpoint(s, 0, &b, cause) < 0) {
		buf_free(&b);
		return -1;
	}
	*len = b.len;
	*note = buf_steal(&b);
	return 0;
}

static int
prove_run(struct cli_ctx *ctx, struct prove_opts *o)
{
	struct store *s;
	struct buf out;
	char *cause = NULL, *note = NULL;
	size_t len;
	int rc = -1;

	/* an inclusion proof shows one record: only those who may audit the log */
	if (open_for(ctx, "prove", o->have_from ? ACT_CHECKPOINT : ACT_AUDIT, 1, &s) < 0)
		return EXIT_PROBLEM;
	buf_init(&out);
	if (o->case_id != NULL && proof_case_seq(s, o->case_id, &o->seq, &cause) == 0 &&
	    o->seq == 0)
		cause = xstrdup("no record of that case in the log");
	if (cause == NULL && prove_checkpoint(s, o->checkpoint, &note, &len, &cause) == 0)
		rc = o->have_from ? proof_consistency(s, o->from, note, len, &out, &cause) :
		    proof_inclusion(s, o->seq, note, len, &out, &cause);
	store_close(s);
	free(note);
	if (rc < 0) {
		buf_free(&out);
		return cli_fail("prove", cause, EXIT_PROBLEM);
	}
	return emit(&out);
}

static int
cmd_prove(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_command *cmd = &cmd_prove_entry;
	struct cli_parse p;
	struct prove_opts o = { 0, 0, 0, NULL, NULL };
	int ch, have_seq;

	cli_parse_init(&p, cmd, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1) {
		if (ch == '?')
			return EXIT_USAGE;
		if (ch == 'c')
			o.case_id = optarg;
		else if (ch == 'f' && parse_u64(optarg, &o.from) < 0)
			return cli_usage_error(cmd, "--from takes a tree size");
		else if (ch == 'f')
			o.have_from = 1;
		else if (ch == 'k')
			o.checkpoint = optarg;
	}
	have_seq = argc - optind == 1 && parse_u64(argv[optind], &o.seq) == 0 && o.seq > 0;
	if (argc - optind > 1 || (argc - optind == 1 && !have_seq) ||
	    have_seq + (o.case_id != NULL) + o.have_from != 1)
		return cli_usage_error(cmd, "takes one of SEQ, --case ID or --from OLD_SIZE");
	return prove_run(ctx, &o);
}

/* ---- check-proof ---- */

/* Says what was proven: the record's sequence, case and kind (sanitised), and the tree. */
static void
report_inclusion(const struct proof_inclusion_result *res, int json)
{
	struct record r;
	struct buf b;
	char *cause = NULL, *origin = sanitise_dup(res->origin);

	buf_init(&b);
	if (record_decode(res->record, res->record_len, &r, &cause) == 0) {
		char *id = xstrndup(r.case_id.p, r.case_id.n), *clean = sanitise_dup(id);

		/* a publication or grant is about no case */
		printf("proven: record %llu (%s%s%s%s) is entry %llu of the log %s of %llu "
		    "records\n", (unsigned long long)r.seq, r.case_id.n > 0 ? "case " : "", clean,
		    r.case_id.n > 0 ? ", " : "", record_kind_name(r.kind),
		    (unsigned long long)res->index + 1, origin, (unsigned long long)res->size);
		if (json) {
			record_to_json(&r, &b);
			printf("%s\n", b.data);
		}
		free(id);
		free(clean);
	} else {
		printf("proven: entry %llu of the log %s of %llu records (its bytes are not a "
		    "record this version reads: %s)\n", (unsigned long long)res->index + 1, origin,
		    (unsigned long long)res->size, cause);
		free(cause);
	}
	buf_free(&b);
	free(origin);
}

static int
cmd_check_proof(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_command *cmd = &cmd_check_proof_entry;
	struct cli_parse p;
	struct proof_inclusion_result res;
	struct note_key k;
	const char *vkey = NULL;
	char *text = NULL, *cause = NULL;
	size_t len;
	int ch, json = 0;

	cli_parse_init(&p, cmd, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1) {
		if (ch == '?')
			return EXIT_USAGE;
		if (ch == 'v')
			vkey = optarg;
		else
			json = 1;
	}
	if (vkey == NULL)
		return cli_usage_error(cmd, "needs the log's key: --vkey");
	if (argc - optind > 1)
		return cli_usage_error(cmd, "takes at most one file");
	if (cli_load_vkey(vkey, &k, &cause) < 0)
		return cli_fail("check-proof", cause, EXIT_USAGE);
	if (cli_read_input(argc > optind ? argv[optind] : NULL, PROOF_MAX_INPUT, &text, &len,
	    &cause) < 0 || proof_check_inclusion(text, len, &k, &res, &cause) < 0) {
		free(text);
		note_key_free(&k);
		return cli_fail("check-proof", cause, EXIT_PROBLEM);
	}
	report_inclusion(&res, json);
	proof_inclusion_result_free(&res);
	free(text);
	note_key_free(&k);
	return EXIT_OK;
}
