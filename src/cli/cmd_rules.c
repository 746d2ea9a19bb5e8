/* cmd_rules.c: `frontdoor rules check|test|show`: rule files for people who write them. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "rules/ruletest.h"

static int rules_check(struct cli_ctx *ctx, int argc, char **argv);
static int rules_test(struct cli_ctx *ctx, int argc, char **argv);
static int rules_show(struct cli_ctx *ctx, int argc, char **argv);
int rules_publish(struct cli_ctx *ctx, int argc, char **argv);
int rules_history(struct cli_ctx *ctx, int argc, char **argv);
int rules_get(struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_command rules_commands[] = {
	{ "rules check", "FILE", "report every problem in a rule file", rules_check },
	{ "rules test", "[--verbose] [--require-coverage] FILE",
	  "run the rule file's tests and report rule coverage", rules_test },
	{ "rules show", "FILE", "print the rule set: hash, levels, indicators, rules", rules_show },
	{ "rules publish", "[--db DIR] FILE", "check a rule file and put it in force (admin)",
	  rules_publish },
	{ "rules history", "[--db DIR]", "list the rule sets published, oldest first",
	  rules_history },
	{ "rules get", "[--db DIR] HASH", "write a stored rule set's exact bytes to stdout",
	  rules_get },
};

int
cmd_rules(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_dispatch(ctx, rules_commands, FD_ARRAY_LEN(rules_commands), "frontdoor",
	    argc - 1, argv + 1);
}

/* Parses a rule subcommand's options; returns the FILE operand or NULL after a usage error. */
static const char *
one_file(const struct cli_command *cmd, int argc, char **argv, int *verbose, int *coverage)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "require-coverage", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		if (ch == 'v' && verbose != NULL)
			*verbose = 1;
		else if (ch == 'c' && coverage != NULL)
			*coverage = 1;
		else {
			cli_usage_error(cmd, "unknown option or missing argument");
			return NULL;
		}
	}
	if (argc - optind != 1) {
		cli_usage_error(cmd, "expected one rule file");
		return NULL;
	}
	return argv[optind];
}

static int
rules_check(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	const char *path = one_file(&rules_commands[0], argc, argv, NULL, NULL);
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
		printf("  expected %s%s%s", route_name(t->route), t->rule >= 0 ? " by rule " : "",
		    t->rule >= 0 ? rs->rules[t->rule].id : "");
	if (r->got_error) {
		printf(", but it was rejected: ");
		fput_sanitised(r->cause, strlen(r->cause), stdout);
		printf("\n");
	}
	else
		printf(", got %s by rule %s\n", route_name(r->route), rs->rules[r->rule].id);
	if (r->trace != NULL)
		fputs(r->trace, stdout);
}

static int
rules_test(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	int verbose = 0, coverage = 0, permille;
	const char *path = one_file(&rules_commands[1], argc, argv, &verbose, &coverage);
	struct test_report rep;
	struct ruleset *rs;
	int rc;

	if (path == NULL)
		return EXIT_USAGE;
	rs = cli_load_rules(path, 0);
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
		for (int level = 1; level <= 4; level++)
			for (size_t i = 0; i < rs->nindicators; i++) {
				const struct indicator_def *ind = &rs->indicators[i];

				if ((int)ind->domain != dom || ind->level != level)
					continue;
				printf("  L%d %-12s", level, ind->id);
				for (size_t f = 0; f < rs->nflags; f++)
					if (ind->flags & (UINT64_C(1) << f))
						printf(" [%s]", rs->flags[f].id);
				print_wrapped(" ", ind->text);
			}
	}
}

/* The width of the rule id column: the longest id, so that the routes line up. */
static int
rule_id_width(const struct ruleset *rs)
{
	size_t w = 0;

	for (size_t r = 0; r < rs->nrules; r++)
		if (strlen(rs->rules[r].id) > w)
			w = strlen(rs->rules[r].id);
	return (int)w;
}

static int
rules_show(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	const char *path = one_file(&rules_commands[2], argc, argv, NULL, NULL);
	struct ruleset *rs;
	struct buf b;
	int width;

	if (path == NULL)
		return EXIT_USAGE;
	rs = cli_load_rules(path, 0);
	if (rs == NULL)
		return EXIT_USAGE;
	width = rule_id_width(rs);
	printf("rule set  ");
	fput_sanitised(rs->name, strlen(rs->name), stdout);
	printf(" (version ");
	fput_sanitised(rs->version, strlen(rs->version), stdout);
	printf(")\nsha256    %s\n\nlevels\n", rs->hash);
	for (int l = 0; l < 4; l++) {
		printf("  %d %-20s ", l + 1, route_name(rs->levels[l].route));
		print_wrapped("", rs->levels[l].name);
	}
	show_indicators(rs);
	printf("\nrules (first match wins)\n");
	buf_init(&b);
	for (size_t r = 0; r < rs->nrules; r++) {
		const struct rule_def *rule = &rs->rules[r];

		buf_reset(&b);
		cond_describe(rs, rule->when, &b);
		printf("  %2zu %-*s -> %-20s %s%s\n", r + 1, width, rule->id, route_name(rule->route),
		    rule->urgency ? urgency_name(rule->urgency) : "",
		    rule->needs_consent ? " consent" : "");
		print_wrapped("       when ", b.data);
	}
	buf_free(&b);
	rules_free(rs);
	return EXIT_OK;
}
