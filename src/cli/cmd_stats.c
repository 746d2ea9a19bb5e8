/* cmd_stats.c: `frontdoor stats`: contacts, routes, overrides, re-referrals, delays per group. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/csv.h"
#include "base/time.h"
#include "base/width.h"
#include "core/rulesets.h"
#include "core/stats.h"
#include "store/roles.h"

#define KEY_MAX STATS_KEY_MAX

static int cmd_stats(struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_option stats_option_table[] = {
	{ "by", 'b', "month|district|agency|officer|need", 0 }, { "since", 's', "DATE", 0 },
	{ "until", 'u', "DATE", 0 }, { "format", 'f', "table|csv", 0 }, { NULL, 0, NULL, 0 },
};

const struct cli_command cmd_stats_entry = {
	.name = "stats",
	.usage = "[--by month|district|agency|officer|need] [--since DATE] [--until DATE] "
	    "[--format table|csv]",
	.summary = "contacts, routes, overrides, re-referrals and delays",
	.options = stats_option_table,
	.flags = CLI_DB,
	.role = ACT_AUDIT,
	.exec = cmd_stats,
};

struct stats_opts {
	enum stats_by by;
	int64_t since, until;	/* inclusive; 0 = open */
	int csv;
};

/* A share in tenths of a percent as "12.3" ("-", or empty in CSV, for 0/0). */
static void
stats_cell_rate(unsigned long part, unsigned long whole, int csv, char out[KEY_MAX])
{
	if (stats_rate(part, whole, out, KEY_MAX) < 0)
		snprintf(out, KEY_MAX, "%s", csv ? "" : "-");
}

#define NCOLS (ROUTE_COUNT + 7)

/* One row's cells as text: key, counts, rates. */
static void
stats_cells(const struct stats_group *g, int csv, char cells[NCOLS][KEY_MAX])
{
	int c = 0;

	snprintf(cells[c++], KEY_MAX, "%s", g->key);
	snprintf(cells[c++], KEY_MAX, "%lu", g->contacts);
	for (int r = 0; r < ROUTE_COUNT; r++)
		snprintf(cells[c++], KEY_MAX, "%lu", g->routes[r]);
	snprintf(cells[c++], KEY_MAX, "%lu", g->overrides);
	stats_cell_rate(g->overrides, g->contacts, csv, cells[c++]);
	snprintf(cells[c++], KEY_MAX, "%lu", g->rereferrals);
	stats_cell_rate(g->rereferrals, g->contacts, csv, cells[c++]);
	snprintf(cells[c++], KEY_MAX, "%lu", g->late);
}

static void
stats_headers(enum stats_by by, const char *h[NCOLS], int csv)
{
	int c = 0;

	h[c++] = stats_by_names[by];
	h[c++] = "contacts";
	for (int r = 0; r < ROUTE_COUNT; r++)
		h[c++] = route_name((enum route_id)r);
	h[c++] = "overrides";
	h[c++] = csv ? "override_pct" : "override%";
	h[c++] = csv ? "rereferrals" : "re-referrals";
	h[c++] = csv ? "rereferral_pct" : "re-referral%";
	h[c++] = "late";
}

/* Terminal columns of a cell, for padding: wide characters take two. */
static size_t
stats_width(const char *s)
{
	return width_text(s, strlen(s));
}

static void
stats_print_row(const char *cells[NCOLS], const size_t width[NCOLS])
{
	for (int c = 0; c < NCOLS; c++) {
		size_t pad = width[c] - stats_width(cells[c]);

		if (c == 0) {
			fputs(cells[c], stdout);
			printf("%*s", (int)pad, "");
		} else
			printf("  %*s%s", (int)pad, "", cells[c]);
	}
	fputc('\n', stdout);
}

static void
stats_report(struct stats *st, const struct stats_opts *o)
{
	struct stats_table *t = &st->by[o->by];
	char (*cells)[NCOLS][KEY_MAX] = xcalloc(t->n + 1, sizeof *cells);
	const char *row[NCOLS];
	size_t width[NCOLS];
	struct buf line;

	buf_init(&line);
	stats_sort(t);
	for (size_t i = 0; i < t->n; i++)
		stats_cells(&t->g[i], o->csv, cells[i]);
	stats_cells(&st->total, o->csv, cells[t->n]);
	stats_headers(o->by, row, o->csv);
	for (int c = 0; c < NCOLS; c++) {
		width[c] = stats_width(row[c]);
		for (size_t i = 0; i <= t->n; i++)
			if (stats_width(cells[i][c]) > width[c])
				width[c] = stats_width(cells[i][c]);
	}
	for (size_t i = 0; i <= t->n + 1; i++) {
		for (int c = 0; c < NCOLS && i > 0; c++)
			row[c] = cells[i - 1][c];
		if (!o->csv)
			stats_print_row(row, width);
		else {
			buf_reset(&line);
			for (int c = 0; c < NCOLS; c++)
				csv_cell(&line, row[c], strlen(row[c]), c == NCOLS - 1);
			fwrite(line.data, 1, line.len, stdout);
		}
	}
	if (!o->csv)
		printf("\ncontacts: route and override records; re-referral: the case's previous "
		    "contact was received\nat most %d days earlier; late: decided after the end of "
		    "the first working day after receipt\n", AUDIT_REREFERRAL_DAYS);
	buf_free(&line);
	free(cells);
}

static int
stats_options(struct cli_ctx *ctx, int argc, char **argv, struct stats_opts *st)
{
	const struct cli_command *stats_cmd = &cmd_stats_entry;
	struct cli_parse p;
	int ch, by;

	cli_parse_init(&p, stats_cmd, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1) {
		switch (ch) {
		case 'b':
			for (by = 0; by < STATS_BY_COUNT; by++)
				if (strcmp(optarg, stats_by_names[by]) == 0)
					break;
			if (by == STATS_BY_COUNT)
				return cli_usage_error(stats_cmd, "--by is month, district, agency, "
				    "officer or need");
			st->by = (enum stats_by)by;
			break;
		case 's':
		case 'u':
			if (parse_utc_bound(optarg, ch == 'u', ch == 's' ? &st->since : &st->until) < 0)
				return cli_usage_error(stats_cmd, "--%s: not a date (" UTC_FORMS ")",
				    ch == 's' ? "since" : "until");
			break;
		case 'f':
			if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "table") != 0)
				return cli_usage_error(stats_cmd, "--format is table or csv");
			st->csv = strcmp(optarg, "csv") == 0;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage_error(stats_cmd, "takes no operands");
	return 0;
}

static int
cmd_stats(struct cli_ctx *ctx, int argc, char **argv)
{
	struct stats_opts o;
	struct stats st;
	struct calendar cal;
	struct store *s;
	char *user, *cause = NULL;
	int rc;

	memset(&o, 0, sizeof o);
	memset(&cal, 0, sizeof cal);
	if (stats_options(ctx, argc, argv, &o) != 0)
		return EXIT_USAGE;
	if (cli_open_reader(ctx, &s, &user) < 0)
		return EXIT_PROBLEM;
	stats_init(&st, o.since, o.until);
	stats_group_by(&st, o.by, "(none)");
	rc = cli_require_role(&cmd_stats_entry, s, user, &cause);
	if (rc == 0) {
		/* late in the working days of the rule set in force (none: weekends only) */
		if (rulesets_calendar_in_force(s, &cal, &cause) == 0)
			st.cal = &cal;
		free(cause);
		cause = NULL;
		rc = stats_scan(s, &st, &cause);
	}
	store_close(s);
	free(user);
	if (rc < 0) {
		stats_free(&st);
		calendar_free(&cal);
		return cli_fail("stats", cause, EXIT_PROBLEM);
	}
	stats_report(&st, &o);
	calendar_free(&cal);
	if (st.damaged > 0)
		fprintf(stderr, "frontdoor stats: %lu damaged record%s (run frontdoor verify)\n", st.damaged, st.damaged == 1 ? "" : "s");
	rc = st.damaged > 0 ? EXIT_PROBLEM : EXIT_OK;
	stats_free(&st);
	return rc;
}
