/* cmd_actions.c: decide, outcome, step-up, step-down, sign-off, correct: one record each. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/actions.h"
#include "core/outcomes.h"
#include "core/due.h"
#include "cli/cli.h"
#include "store/dlog.h"
#include "store/roles.h"
#include "base/sanitise.h"

#define INPUT_MAX (1024 * 1024)
#define TEXT_FILES_MAX (64 * 1024)	/* the free text of one command read from files */

static int cmd_decide(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_outcome(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_step_up(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_step_down(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_sign_off(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_correct(struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_option decide_option_table[] = {
	{ "override", 'o', "ROUTE", 0 }, { "rationale", 'r', "TEXT", 0 },
	{ "rationale-file", 'X', "FILE", 0 }, { "urgency", 'u', "red|amber|green", 0 },
	{ "strategy", 's', "yes|no", 0 }, { "feedback", 'f', "TEXT", 0 },
	{ "feedback-file", 'F', "FILE", 0 }, { "close", 'k', "CODE", 0 },
	{ "note", 'n', "TEXT", 0 }, { "note-file", 'N', "FILE", 0 }, { NULL, 0, NULL, 0 },
};

const struct cli_command cmd_decide_entry = {
	.name = "decide",
	.usage = "[--override ROUTE (--rationale TEXT | --rationale-file FILE)] "
	    "[--urgency red|amber|green] [--strategy yes|no] "
	    "[--feedback TEXT | --feedback-file FILE] "
	    "[--close CODE [--note TEXT | --note-file FILE]] [FILE|-]",
	.summary = "route one case with the rules in force and record the decision",
	.options = decide_option_table,
	.flags = CLI_DB,
	.role = ACT_ROUTE,
	.exec = cmd_decide,
};

static const struct cli_option outcome_option_table[] = {
	{ "note", 'n', "TEXT", 0 }, { "note-file", 'N', "FILE", 0 }, { NULL, 0, NULL, 0 },
};

const struct cli_command cmd_outcome_entry = {
	.name = "outcome",
	.usage = "CASE_ID CODE [--note TEXT | --note-file FILE]",
	.summary = "record an outcome on a case: progress, or a closure with a coded reason",
	.options = outcome_option_table,
	.flags = CLI_DB,
	.role = ACT_OUTCOME,
	.exec = cmd_outcome,
};

static const struct cli_option rationale_option_table[] = {
	{ "rationale", 'r', "TEXT", 0 }, { "rationale-file", 'X', "FILE", 0 },
	{ NULL, 0, NULL, 0 },
};

static const struct cli_option step_up_option_table[] = {
	{ "urgency", 'u', "red|amber|green", 0 }, { "rationale", 'r', "TEXT", 0 },
	{ "rationale-file", 'X', "FILE", 0 }, { NULL, 0, NULL, 0 },
};

const struct cli_command cmd_step_up_entry = {
	.name = "step-up",
	.usage = "CASE_ID --urgency red|amber|green (--rationale TEXT | --rationale-file FILE)",
	.summary = "step a case up to the MASH with its urgency",
	.options = step_up_option_table,
	.flags = CLI_DB,
	.role = ACT_STEP,
	.exec = cmd_step_up,
};

const struct cli_command cmd_step_down_entry = {
	.name = "step-down",
	.usage = "CASE_ID (--rationale TEXT | --rationale-file FILE)",
	.summary = "step a case down to targeted early help",
	.options = rationale_option_table,
	.flags = CLI_DB,
	.role = ACT_STEP,
	.exec = cmd_step_down,
};

static const struct cli_option sign_off_option_table[] = {
	{ "approve", 'a', NULL, 0 }, { "return", 'R', NULL, 0 }, { "comment", 'c', "TEXT", 0 },
	{ "comment-file", 'C', "FILE", 0 }, { NULL, 0, NULL, 0 },
};

const struct cli_command cmd_sign_off_entry = {
	.name = "sign-off",
	.usage = "SEQ (--approve [--comment TEXT | --comment-file FILE] | "
	    "--return (--comment TEXT | --comment-file FILE))",
	.summary = "approve or return a decision awaiting sign-off",
	.options = sign_off_option_table,
	.flags = CLI_DB,
	.role = ACT_SIGN_OFF,
	.exec = cmd_sign_off,
};

static const struct cli_option correct_option_table[] = {
	{ "rationale", 'r', "TEXT", 0 }, { "rationale-file", 'X', "FILE", 0 },
	{ "route", 't', "ROUTE", 0 }, { NULL, 0, NULL, 0 },
};

const struct cli_command cmd_correct_entry = {
	.name = "correct",
	.usage = "SEQ (--rationale TEXT | --rationale-file FILE) [--route ROUTE]",
	.summary = "record a correction to a record",
	.options = correct_option_table,
	.flags = CLI_DB,
	.role = ACT_CORRECT,
	.exec = cmd_correct,
};

/* Every option these commands take; each command allows some of them. */
struct act_opts {
	const char *override, *rationale, *urgency, *strategy, *feedback, *note, *comment, *route;
	const char *close;
	int approve, ret;
	char **operands;
	int noperands;
	/* --rationale-file, --feedback-file, --note-file, --comment-file, and their text */
	const char *file[4];
	char texts[TEXT_FILES_MAX];
	size_t used;
};

/* The free-text options, in the order of act_opts.file, and the codes of their file forms. */
static const struct {
	const char *name;
	int file_code;
} act_texts[4] = {
	{ "rationale", 'X' }, { "feedback", 'F' }, { "note", 'N' }, { "comment", 'C' },
};

/* Stores one option's value; the caller has checked the command allows it. */
static void
act_set(struct act_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'o': o->override = arg; break;
	case 'r': o->rationale = arg; break;
	case 'u': o->urgency = arg; break;
	case 's': o->strategy = arg; break;
	case 'f': o->feedback = arg; break;
	case 'n': o->note = arg; break;
	case 'a': o->approve = 1; break;
	case 'R': o->ret = 1; break;
	case 'c': o->comment = arg; break;
	case 't': o->route = arg; break;
	case 'k': o->close = arg; break;
	}
	for (size_t i = 0; i < FD_ARRAY_LEN(act_texts); i++)
		if (ch == act_texts[i].file_code)
			o->file[i] = arg;
}

/* Where the text of free-text option i goes, inline or read from its file. */
static const char **
act_text_slot(struct act_opts *o, size_t i)
{
	const char **slot[] = { &o->rationale, &o->feedback, &o->note, &o->comment };

	return slot[i];
}

/*
 * Reads a free-text file (stdin for "-") into o's text space, with the
 * person's own rights (the database's group is not raised: privsep.h), less
 * the newlines at its end; NULL with *cause set.
 */
static const char *
act_read_text(struct act_opts *o, const char *path, char **cause)
{
	char *start = o->texts + o->used;
	size_t room = sizeof o->texts - o->used - 1, len = 0;
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	/* one byte more than there is room for tells a file that is too long */
	while ((n = read(fd, start + len, room + 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (len += (size_t)n) > room)
			break;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (n < 0 || len > room) {
		*cause = n < 0 ? xasprintf("%s: %s", path, strerror(errno)) :
		    xasprintf("%s: more than %d bytes of text", path, TEXT_FILES_MAX - 1);
		return NULL;
	}
	while (len > 0 && (start[len - 1] == '\n' || start[len - 1] == '\r'))
		len--;
	start[len] = '\0';
	if (memchr(start, '\0', len) != NULL) {
		*cause = xasprintf("%s holds a NUL byte", path);
		return NULL;
	}
	o->used += len + 1;
	return start;
}

/*
 * Reads the free text given in files: never both inline and in a file, and
 * at most one input from stdin (input: what else reads it, or NULL).
 */
static int
act_load_texts(const struct cli_command *cmd, struct act_opts *o, const char *input)
{
	int stdin_used = input != NULL && strcmp(input, "-") == 0;
	char *cause = NULL;

	for (size_t i = 0; i < FD_ARRAY_LEN(act_texts); i++) {
		const char **slot = act_text_slot(o, i);

		if (o->file[i] == NULL)
			continue;
		if (*slot != NULL)
			return cli_usage_error(cmd, "give --%s or --%s-file, not both",
			    act_texts[i].name, act_texts[i].name);
		if (strcmp(o->file[i], "-") == 0 && stdin_used++)
			return cli_usage_error(cmd, "only one input can be read from stdin (-)");
		if ((*slot = act_read_text(o, o->file[i], &cause)) == NULL) {
			cli_usage_error(cmd, "%s", cause);
			free(cause);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* Refuses free text that is not UTF-8 or holds control characters, before anything opens. */
static int
act_check_texts(const struct cli_command *cmd, const struct act_opts *o)
{
	const char *text[] = { o->rationale, o->feedback, o->note, o->comment };
	const char *name[] = { "--rationale", "--feedback", "--note", "--comment" };
	char *cause = NULL;

	for (size_t i = 0; i < FD_ARRAY_LEN(text); i++)
		if (action_check_text(text[i], name[i], &cause) < 0) {
			cli_usage_error(cmd, "%s", cause);
			free(cause);
			return EXIT_USAGE;
		}
	return 0;
}

/* Parses cmd's options anywhere on the line and min to max operands; 0, or EXIT_USAGE. */
static int
act_parse(struct cli_ctx *ctx, const struct cli_command *cmd, int min, int max, int argc,
    char **argv, struct act_opts *o)
{
	struct cli_parse p;
	int ch;

	memset(o, 0, sizeof *o);
	cli_parse_init(&p, cmd, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1) {
		if (ch == '?')
			return EXIT_USAGE;
		act_set(o, ch, optarg);
	}
	o->operands = argv + optind;
	o->noperands = argc - optind;
	if (o->noperands < min || o->noperands > max)
		return cli_usage_error(cmd, min == max ? "needs %d operand%s" :
		    "takes at most %d operand%s", max, max == 1 ? "" : "s");
	/* decide reads its case from stdin when given no file, or "-" */
	if (act_load_texts(cmd, o, cmd != &cmd_decide_entry ? NULL : o->noperands ?
	    o->operands[0] : "-") != 0)
		return EXIT_USAGE;
	return act_check_texts(cmd, o);
}

/* Parses a record's sequence number: digits only, not zero. */
static int
act_seq(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || errno != 0 || v == 0)
		return -1;
	*out = v;
	return 0;
}

static int
act_print_txn(struct store_txn *t, void *argp)
{
	const uint64_t *seq = argp;
	struct record r;
	char *cause = NULL, id[512];
	int rc = dlog_get(t, *seq, &r, &cause);

	if (rc != 0) {
		free(cause);
		return store_fail(t, "recorded seq %llu, but cannot read it back",
		    (unsigned long long)*seq);
	}
	sanitise_text(r.case_id.p, r.case_id.n, id, sizeof id);
	printf("recorded seq %llu: %s, case %s", (unsigned long long)r.seq,
	    record_kind_name(r.kind), id);
	if (r.route != RECORD_NONE)
		printf(", route %s (level %d)", route_name((enum route_id)r.route), r.level);
	if (r.rec_route != RECORD_NONE)
		printf(", recommended %s by rule %.*s", route_name((enum route_id)r.rec_route),
		    (int)r.rule.n, r.rule.p);
	if (r.outcome.n > 0)
		printf(", %.*s", (int)r.outcome.n, r.outcome.p);
	if (r.ref != 0)
		printf(", about seq %llu", (unsigned long long)r.ref);
	printf("\n");
	return 0;
}

/*
 * Reports an action's result: the records written (seq, and the `more`
 * written with it in the same transaction), or why nothing was.
 */
static int
act_finish_n(const char *name, struct store *s, char *user, int rc, uint64_t seq, int more,
    char *cause)
{
	for (uint64_t i = seq; rc == 0 && i <= seq + (uint64_t)more; i++)
		if (store_read(s, act_print_txn, &i, &cause) < 0)
			rc = -1;
	store_close(s);
	free(user);
	if (rc < 0)
		return cli_fail(name, cause, EXIT_PROBLEM);
	return EXIT_OK;
}

static int
act_finish(const char *name, struct store *s, char *user, int rc, uint64_t seq, char *cause)
{
	return act_finish_n(name, s, user, rc, seq, 0, cause);
}

/* Opens the database for cmd, refusing a user whose role does not allow it before any write. */
static int
act_open(struct cli_ctx *ctx, const struct cli_command *cmd, struct store **s, char **user)
{
	return cli_open_acting(ctx, cmd->name, cmd->role, 0, s, user);
}

/* JSON's white space; not strchr(" \t\r\n", c), which also matches a NUL byte. */
static int
act_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Reads the whole input (a file, or stdin for "-"), trimmed of surrounding white space. */
static int
act_read_input(const char *path, char **out, size_t *len, char **cause)
{
	struct buf b;
	char chunk[65536];
	size_t start = 0;
	ssize_t n;

	if (strcmp(path, "-") != 0) {
		if (read_file(path, INPUT_MAX, out, len, cause) < 0)
			return -1;
	} else {
		buf_init(&b);
		buf_reserve(&b, 0);
		while ((n = read(STDIN_FILENO, chunk, sizeof chunk)) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 || b.len + (size_t)n > INPUT_MAX) {
				*cause = n < 0 ? xasprintf("stdin: %s", strerror(errno)) :
				    xasprintf("stdin: larger than %d bytes", INPUT_MAX);
				buf_free(&b);
				return -1;
			}
			buf_add(&b, chunk, (size_t)n);
		}
		*len = b.len;
		*out = buf_steal(&b);
	}
	while (*len > 0 && act_space((*out)[*len - 1]))
		(*len)--;
	while (start < *len && act_space((*out)[start]))
		start++;
	memmove(*out, *out + start, *len - start);
	*len -= start;
	(*out)[*len] = '\0';
	return 0;
}

/* Turns decide's options into a route_decision; EXIT_USAGE if one is malformed. */
static int
decide_options(const struct act_opts *o, struct route_decision *d)
{
	const struct cli_command *cmd = &cmd_decide_entry;

	memset(d, 0, sizeof *d);
	d->final_route = d->urgency = d->strategy_discussion = d->seen_route = -1;
	if (o->override != NULL && (d->final_route = route_parse(o->override)) < 0)
		return cli_usage_error(cmd, "unknown route; routes are universal, early_help_unit, "
		    "targeted_early_help, mash");
	if ((o->override == NULL) != (o->rationale == NULL))
		return cli_usage_error(cmd, "--override and --rationale go together");
	if (o->urgency != NULL) {
		for (int u = URGENCY_GREEN; u <= URGENCY_RED; u++)
			if (strcmp(o->urgency, urgency_name((enum urgency)u)) == 0)
				d->urgency = u;
		if (d->urgency < 0)
			return cli_usage_error(cmd, "--urgency is red, amber or green");
	}
	if (o->strategy != NULL) {
		if (strcmp(o->strategy, "yes") != 0 && strcmp(o->strategy, "no") != 0)
			return cli_usage_error(cmd, "--strategy is yes or no");
		d->strategy_discussion = strcmp(o->strategy, "yes") == 0;
	}
	if (o->note != NULL && o->close == NULL)
		return cli_usage_error(cmd, "--note goes with --close");
	d->rationale = o->rationale;
	d->feedback = o->feedback;
	d->close_code = o->close;
	d->close_note = o->note;
	return 0;
}

static int
cmd_decide(struct cli_ctx *ctx, int argc, char **argv)
{
	struct route_decision d;
	struct act_opts o;
	struct ruleset *rs = NULL;
	struct store *s;
	char *user, *cause = NULL, *text = NULL;
	size_t len = 0;
	uint64_t seq = 0;
	int rc;

	if (act_parse(ctx, &cmd_decide_entry, 0, 1, argc, argv, &o) != 0 ||
	    decide_options(&o, &d) != 0)
		return EXIT_USAGE;
	if (act_read_input(o.noperands ? o.operands[0] : "-", &text, &len, &cause) < 0)
		return cli_fail("decide", cause, EXIT_PROBLEM);
	if (act_open(ctx, &cmd_decide_entry, &s, &user) < 0) {
		free(text);
		return EXIT_PROBLEM;
	}
	d.facts = text;
	d.facts_len = len;
	rc = action_rules_in_force(s, &rs, &cause);
	if (rc == 0)
		rc = action_decide(s, user, rs, &d, &seq, &cause);
	rules_free(rs);
	free(text);
	/* a contact closed when decided: its outcome is the record after the decision */
	return act_finish_n("decide", s, user, rc, seq, d.close_code != NULL, cause);
}

/* A code the rule set in force does not have: a usage error listing those it has. */
static void
outcome_unknown(const struct ruleset *rs)
{
	struct buf b;
	struct outcome_code oc;

	buf_init(&b);
	for (size_t i = 0; i < outcome_count(rs); i++) {
		outcome_at(rs, i, &oc);
		buf_printf(&b, "%s%s (%s)", i > 0 ? ", " : "", oc.id,
		    oc.closes ? "closure" : "progress");
	}
	cli_usage_error(&cmd_outcome_entry, "unknown outcome; the rule set in force has %s",
	    b.data);
	buf_free(&b);
}

static int
cmd_outcome(struct cli_ctx *ctx, int argc, char **argv)
{
	struct act_opts o;
	struct ruleset *rs = NULL;
	struct store *s;
	char *user, *cause = NULL;
	uint64_t seq = 0;
	int rc;

	if (act_parse(ctx, &cmd_outcome_entry, 2, 2, argc, argv, &o) != 0)
		return EXIT_USAGE;
	if (act_open(ctx, &cmd_outcome_entry, &s, &user) < 0)
		return EXIT_PROBLEM;
	rc = action_rules_in_force(s, &rs, &cause);
	if (rc == 0 && outcome_index(rs, o.operands[1], strlen(o.operands[1])) < 0) {
		outcome_unknown(rs);
		rules_free(rs);
		store_close(s);
		free(user);
		return EXIT_USAGE;
	}
	if (rc == 0)
		rc = action_outcome(s, user, rs, o.operands[0], o.operands[1], o.note, &seq, &cause);
	rules_free(rs);
	return act_finish("outcome", s, user, rc, seq, cause);
}

/* step-up and step-down: the same but for the direction and a step-up's urgency. */
static int
act_step(struct cli_ctx *ctx, const struct cli_command *cmd, int argc, char **argv)
{
	struct act_opts o;
	struct store *s;
	char *user, *cause = NULL, *said = NULL;
	uint64_t seq = 0;
	int up = cmd == &cmd_step_up_entry, urgency = URGENCY_NONE, rc;

	if (act_parse(ctx, cmd, 1, 1, argc, argv, &o) != 0)
		return EXIT_USAGE;
	if (o.urgency != NULL &&
	    (urgency = due_urgency_parse(o.urgency, strlen(o.urgency))) == URGENCY_NONE)
		return cli_usage_error(cmd, "--urgency is red, amber or green");
	/* no urgency, or one on a step-down: refused by core in the screens' words */
	if (action_check_step_urgency(up, urgency, &cause) < 0) {
		rc = cli_usage_error(cmd, "%s", cause);
		free(cause);
		return rc;
	}
	if (o.rationale == NULL)
		return cli_usage_error(cmd, "--rationale is required");
	if (act_open(ctx, cmd, &s, &user) < 0)
		return EXIT_PROBLEM;
	rc = action_step(s, user, o.operands[0], up, urgency, o.rationale, &seq, &cause);
	if (rc == 0 && (said = action_step_said(s, seq, &cause)) == NULL)
		rc = -1;
	rc = act_finish(cmd->name, s, user, rc, seq, cause);
	if (said != NULL)
		printf("%s\n", said);
	free(said);
	return rc;
}

static int
cmd_step_up(struct cli_ctx *ctx, int argc, char **argv)
{
	return act_step(ctx, &cmd_step_up_entry, argc, argv);
}

static int
cmd_step_down(struct cli_ctx *ctx, int argc, char **argv)
{
	return act_step(ctx, &cmd_step_down_entry, argc, argv);
}

static int
cmd_sign_off(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_command *cmd = &cmd_sign_off_entry;
	struct act_opts o;
	struct store *s;
	char *user, *cause = NULL;
	uint64_t target, seq = 0;
	int rc;

	if (act_parse(ctx, &cmd_sign_off_entry, 1, 1, argc, argv, &o) != 0)
		return EXIT_USAGE;
	if (act_seq(o.operands[0], &target) < 0)
		return cli_usage_error(cmd, "SEQ is a record's sequence number");
	if (o.approve == o.ret)
		return cli_usage_error(cmd, "say --approve or --return");
	if (o.ret && o.comment == NULL)
		return cli_usage_error(cmd, "--return needs a --comment saying why");
	if (act_open(ctx, &cmd_sign_off_entry, &s, &user) < 0)
		return EXIT_PROBLEM;
	rc = action_sign_off(s, user, target, o.approve, o.comment, &seq, &cause);
	return act_finish("sign-off", s, user, rc, seq, cause);
}

static int
cmd_correct(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_command *cmd = &cmd_correct_entry;
	struct act_opts o;
	struct store *s;
	char *user, *cause = NULL;
	uint64_t target, seq = 0;
	int route = -1, rc;

	if (act_parse(ctx, &cmd_correct_entry, 1, 1, argc, argv, &o) != 0)
		return EXIT_USAGE;
	if (act_seq(o.operands[0], &target) < 0)
		return cli_usage_error(cmd, "SEQ is a record's sequence number");
	if (o.rationale == NULL)
		return cli_usage_error(cmd, "--rationale is required");
	if (o.route != NULL && (route = route_parse(o.route)) < 0)
		return cli_usage_error(cmd, "unknown route; routes are universal, early_help_unit, "
		    "targeted_early_help, mash");
	if (act_open(ctx, &cmd_correct_entry, &s, &user) < 0)
		return EXIT_PROBLEM;
	rc = action_correct(s, user, target, route, o.rationale, &seq, &cause);
	return act_finish("correct", s, user, rc, seq, cause);
}
