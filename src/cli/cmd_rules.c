/* cmd_rules.c: `frontdoor rules check|test|show`: rule files for people who write them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "rules/ruletest.h"

static int cmd_rules_check(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_rules_test(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_rules_show(struct cli_ctx *ctx, int argc, char **argv);

const struct cli_command cmd_rules_check_entry = {
	.name = "rules check",
	.usage = "FILE",
	.summary = "report every problem in a rule file",
	.role = CLI_NO_ROLE,
	.exec = cmd_rules_check,
};

static const struct cli_option rules_test_option_table[] = {
	{ "verbose", 'v', NULL, CLI_OPT_SHORT }, { "require-coverage", 'c', NULL, 0 },
	{ NULL, 0, NULL, 0 },
};

const struct cli_command cmd_rules_test_entry = {
	.name = "rules test",
	.usage = "[--verbose] [--require-coverage] FILE",
	.summary = "run the rule file's tests and report rule coverage",
	.options = rules_test_option_table,
	.role = CLI_NO_ROLE,
	.exec = cmd_rules_test,
};

const struct cli_command cmd_rules_show_entry = {
	.name = "rules show",
	.usage = "FILE",
	.summary = "print the rule set: hash, levels, indicators, rules",
	.role = CLI_NO_ROLE,
	.exec = cmd_rules_show,
};

/* Parses a rule subcommand's options; returns the FILE operand or NULL after a usage error. */
static const char *
one_file(const struct cli_command *cmd, struct cli_ctx *ctx, int argc, char **argv,
    int *verbose, int *coverage)
{
	struct cli_parse p;
	int ch;

	cli_parse_init(&p, cmd, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1) {
		if (ch == '?')
			return NULL;
		*(ch == 'v' ? verbose : coverage) = 1;
	}
	if (argc - optind != 1) {
		cli_usage_error(cmd, "expected one rule file");
		return NULL;
	}
	return argv[optind];
}

static int
cmd_rules_check(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *path = one_file(&cmd_rules_check_entry, ctx, argc, argv, NULL, NULL);
	struct ruleset *rs;

	if (path == NULL)
		return EXIT_USAGE;
	rs = cli_load_rules(path, 1);
	if (rs == NULL)
		return EXIT_PROBLEM;
	fput_sanitised(path, strlen(path), stdout);
	printf(": ok: %zu indicator%s, %zu rule%s, %zu test%s, sha256:%s\n", rs->nindicators,
	    rs->nindicators == 1 ? "" : "s", rs->nrules, rs->nrules == 1 ? "" : "s", rs->ntests,
	    rs->ntests == 1 ? "" : "s", rs->hash);
	rules_free(rs);
	return EXIT_OK;
}

static void
print_failure(const struct ruleset *rs, const struct test_def *t, const struct test_result *r)
{
	printf("FAIL ");
	fput_sanitised(t->name, strlen(t->name), stdout);
	printf(" (line %d)\n", t->pos.line);
	if (t->expect_error)
		printf("  expected the case to be rejected");
	else
		printf("  expected %s%s%s%s%s", route_name(t->route), t->rule >= 0 ? " by rule " : "",
		    t->rule >= 0 ? rs->rules[t->rule].id : "", t->urgency >= 0 ? ", urgency " : "",
		    t->urgency >= 0 ? urgency_name((enum urgency)t->urgency) : "");
	if (r->got_error) {
		printf(", but it was rejected: ");
		fput_sanitised(r->cause, strlen(r->cause), stdout);
		printf("\n");
	}
	else if (t->urgency >= 0)
		printf(", got %s by rule %s, urgency %s\n", route_name(r->route),
		    rs->rules[r->rule].id, urgency_name(r->urgency));
	else
		printf(", got %s by rule %s\n", route_name(r->route), rs->rules[r->rule].id);
	if (r->trace != NULL)
		fputs(r->trace, stdout);
}

static int
cmd_rules_test(struct cli_ctx *ctx, int argc, char **argv)
{
	int verbose = 0, coverage = 0, permille;
	const char *path = one_file(&cmd_rules_test_entry, ctx, argc, argv, &verbose, &coverage);
	struct test_report rep;
	struct ruleset *rs;
	int rc;

	if (path == NULL)
		return EXIT_USAGE;
	rs = cli_load_rules(path, 1);
	if (rs == NULL)
		return EXIT_USAGE;
	ruletest_run(rs, &rep);
	for (size_t i = 0; i < rs->ntests; i++) {
		if (!rep.results[i].passed)
			print_failure(rs, &rs->tests[i], &rep.results[i]);
		else if (verbose) {
			printf("ok   ");
			fput_sanitised(rs->tests[i].name, strlen(rs->tests[i].name), stdout);
			printf("\n");
		}
	}
	permille = ruletest_coverage_permille(&rep, rs->nrules);
	printf("rules covered: %zu of %zu (%d.%d%%)\n", rep.covered, rs->nrules,
	    permille / 10, permille % 10);
	if (rep.covered < rs->nrules) {
		printf("rules no test reaches:");
		for (size_t r = 0; r < rs->nrules; r++)
			if (rep.fired[r] == 0)
				printf(" %s", rs->rules[r].id);
		printf("\n");
	}
	printf("%zu passed, %zu failed\n", rep.passed, rep.failed);
	rc = rep.failed > 0 || (coverage && rep.covered < rs->nrules) ? EXIT_PROBLEM : EXIT_OK;
	ruletest_free(&rep, rs->ntests);
	rules_free(rs);
	return rc;
}

static void
print_wrapped(const char *indent, const char *text)
{
	printf("%s", indent);
	fput_sanitised(text, strlen(text), stdout);
	printf("\n");
}

static void
show_indicators(const struct ruleset *rs)
{
	for (int dom = 0; dom < DOMAIN_COUNT; dom++) {
		printf("\ndomain %s\n", domain_name((enum domain_id)dom));
		/* the needs by level, then the strengths (level 0) */
		for (int level = 1; level <= 5; level++)
			for (size_t i = 0; i < rs->nindicators; i++) {
				const struct indicator_def *ind = &rs->indicators[i];

				if ((int)ind->domain != dom || ind->level != level % 5)
					continue;
				if (ind->strength)
					printf("  strength %-12s", ind->id);
				else
					printf("  L%d %-12s", level, ind->id);
				for (size_t f = 0; f < rs->nflags; f++)
					if (ind->flags & (UINT64_C(1) << f))
						printf(" [%s]", rs->flags[f].id);
				print_wrapped(" ", ind->text);
			}
	}
}

/* The width of the id column: the longest rule (or named condition) id, so that the routes line up. */
static int
id_width(const struct ruleset *rs)
{
	size_t w = 0;

	for (size_t r = 0; r < rs->nrules; r++)
		if (strlen(rs->rules[r].id) > w)
			w = strlen(rs->rules[r].id);
	for (size_t c = 0; c < rs->nconds; c++)
		if (strlen(rs->conds[c].id) > w)
			w = strlen(rs->conds[c].id);
	return (int)w;
}

/* Each level's route and name, and its front door when the rule set describes it. */
static void
show_levels(const struct ruleset *rs)
{
	printf("\nlevels\n");
	for (int l = 0; l < 4; l++) {
		printf("  %d %-20s ", l + 1, route_name(rs->levels[l].route));
		print_wrapped("", rs->levels[l].name);
		if (rs->levels[l].front_door != NULL && rs->levels[l].front_door[0] != '\0')
			print_wrapped("       front door ", rs->levels[l].front_door);
	}
}

/* The named conditions, each with what it tests. */
static void
show_conditions(const struct ruleset *rs, int width, struct buf *b)
{
	if (rs->nconds == 0)
		return;
	printf("\nconditions\n");
	for (size_t c = 0; c < rs->nconds; c++) {
		buf_reset(b);
		cond_describe(rs, rs->conds[c].cond, b);
		printf("  %-*s  ", width, rs->conds[c].id);
		print_wrapped("", b->data);
	}
}

/* The validity rules: the condition that makes a case inconsistent, and the message. */
static void
show_validity(const struct ruleset *rs, struct buf *b)
{
	if (rs->nvalidity == 0)
		return;
	printf("\nvalidity (a case is rejected when)\n");
	for (size_t v = 0; v < rs->nvalidity; v++) {
		buf_reset(b);
		cond_describe(rs, rs->validity[v].when, b);
		printf("  %s\n", rs->validity[v].id);
		print_wrapped("       when ", b->data);
		print_wrapped("       says ", rs->validity[v].message);
	}
}

/* One rule: its route and what it sets, its condition and its reason. */
static void
show_rule(const struct ruleset *rs, size_t r, int width, struct buf *b)
{
	const struct rule_def *rule = &rs->rules[r];

	buf_reset(b);
	if (rule->urgency != URGENCY_NONE)
		buf_printf(b, " %s", urgency_name(rule->urgency));
	if (rule->needs_consent)
		buf_adds(b, " consent");
	if (rule->need_level != rule->level)
		buf_printf(b, " need level %d", rule->need_level);
	if (b->len > 0)
		printf("  %2zu %-*s -> %-20s%s\n", r + 1, width, rule->id, route_name(rule->route),
		    b->data);
	else
		printf("  %2zu %-*s -> %s\n", r + 1, width, rule->id, route_name(rule->route));
	buf_reset(b);
	cond_describe(rs, rule->when, b);
	print_wrapped("       when ", b->data);
	for (int u = URGENCY_RED; u > URGENCY_NONE && rule->urgency_by_cond; u--) {
		if (rule->urgency_when[u] == NULL)
			continue;
		printf("       %-5s if ", urgency_name((enum urgency)u));
		buf_reset(b);
		cond_describe(rs, rule->urgency_when[u], b);
		print_wrapped("", b->data);
	}
	print_wrapped("       why  ", rule->reason);
}

static int
cmd_rules_show(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *path = one_file(&cmd_rules_show_entry, ctx, argc, argv, NULL, NULL);
	struct ruleset *rs;
	struct buf b;
	int width;

	if (path == NULL)
		return EXIT_USAGE;
	rs = cli_load_rules(path, 0);
	if (rs == NULL)
		return EXIT_USAGE;
	width = id_width(rs);
	printf("rule set  ");
	fput_sanitised(rs->name, strlen(rs->name), stdout);
	printf(" (version ");
	fput_sanitised(rs->version, strlen(rs->version), stdout);
	printf(")\nsha256    %s\n", rs->hash);
	show_levels(rs);
	show_indicators(rs);
	buf_init(&b);
	show_conditions(rs, width, &b);
	show_validity(rs, &b);
	printf("\nrules (first match wins)\n");
	for (size_t r = 0; r < rs->nrules; r++)
		show_rule(rs, r, width, &b);
	buf_free(&b);
	rules_free(rs);
	return EXIT_OK;
}
