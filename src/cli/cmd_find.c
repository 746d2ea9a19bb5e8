/* cmd_find.c: `frontdoor find`: the cases, open and closed, most likely to be a child, as JSON Lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/json.h"
#include "base/time.h"
#include "core/match.h"
#include "store/roles.h"

static int cmd_find(struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_option find_option_table[] = {
	{ "name", 'n', "NAME", 0 }, { "dob", 'b', "DATE", 0 }, { "nhs", 'N', "NUMBER", 0 },
	{ "district", 'd', "NAME", 0 }, { "case", 'c', "ID", 0 }, { NULL, 0, NULL, 0 },
};

const struct cli_command cmd_find_entry = {
	.name = "find",
	.usage = "[--name NAME] [--dob DATE] [--nhs NUMBER] [--district NAME] [--case ID]",
	.summary = "find a child among every case, open and closed",
	.options = find_option_table,
	.flags = CLI_DB,
	.role = ACT_READ_CASES,
	.exec = cmd_find,
};

/* Appends ,"key":"value". */
static void
find_member(struct buf *b, const char *key, const char *value)
{
	buf_printf(b, ",\"%s\":", key);
	json_write_string(b, value, strlen(value));
}

/* One match as a JSON object (no newline). */
static void
find_json(const struct match_result *m, struct buf *b)
{
	char why[160], when[32];

	buf_adds(b, "{\"case_id\":");
	json_write_string(b, m->case_id, strlen(m->case_id));
	find_member(b, "name", m->name);
	find_member(b, "dob", m->dob);
	find_member(b, "district", m->district);
	find_member(b, "status", m->open ? "open" : "closed");
	find_member(b, "route", m->route != RECORD_NONE ? route_name((enum route_id)m->route) : "");
	buf_printf(b, ",\"contacts\":%u,\"score\":%d", m->contacts, m->score);
	match_why_text(m->why, why, sizeof why);
	find_member(b, "why", why);
	buf_adds(b, ",\"latest\":[");
	for (size_t i = 0; i < m->ncontacts; i++) {
		const struct match_contact *c = &m->last[i];

		format_utc(c->time, when);
		buf_printf(b, "%s{\"seq\":%llu", i ? "," : "", (unsigned long long)c->seq);
		find_member(b, "time", when);
		find_member(b, "kind", record_kind_name(c->kind));
		if (c->route != RECORD_NONE)
			find_member(b, "route", route_name((enum route_id)c->route));
		if (c->outcome[0])
			find_member(b, "outcome", c->outcome);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}");
}

static int
cmd_find(struct cli_ctx *ctx, int argc, char **argv)
{
	struct match_result res[MATCH_MAX];
	struct match_query q;
	struct cli_parse p;
	struct store *s;
	struct buf b;
	char *user, *cause = NULL;
	size_t n = 0;
	int c, rc;

	memset(&q, 0, sizeof q);
	cli_parse_init(&p, &cmd_find_entry, ctx, argc, argv);
	while ((c = cli_parse_next(&p)) != -1) {
		switch (c) {
		case 'n': q.name = optarg; break;
		case 'b': q.dob = optarg; break;
		case 'N': q.nhs = optarg; break;
		case 'd': q.district = optarg; break;
		case 'c': q.case_id = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(&cmd_find_entry, "unexpected operand");
	if (q.name == NULL && q.dob == NULL && q.nhs == NULL && q.case_id == NULL)
		return cli_usage_error(&cmd_find_entry, "give a name, a date of birth, an NHS number "
		    "or a case id");
	/* a writable open brings the person index up to the log first */
	if (cli_open_db(ctx, &s, &user) < 0)
		return EXIT_PROBLEM;
	rc = cli_require_role(&cmd_find_entry, s, user, &cause);
	if (rc == 0)
		rc = match_find(s, &q, res, MATCH_MAX, &n, &cause);
	store_close(s);
	free(user);
	if (rc < 0)
		return cli_fail("find", cause, EXIT_PROBLEM);
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		buf_reset(&b);
		find_json(&res[i], &b);
		printf("%.*s\n", (int)b.len, b.data);
	}
	buf_free(&b);
	return EXIT_OK;
}
