/* cmd_stats.c: `frontdoor stats`: contacts, routes, overrides, re-referrals, delays per group. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/time.h"
#include "store/dlog.h"
#include "base/json.h"
#include "base/map.h"
#include "core/queue.h"
#include "store/roles.h"
#include "base/sanitise.h"

#define YEAR (365 * INT64_C(86400))
#define NO_TIME INT64_MIN
#define KEY_MAX 64

static const struct cli_command stats_cmd = {
	"stats", "[--by month|district|agency|officer] [--since DATE] [--until DATE] "
	"[--format table|csv] [--db DIR]", "", cmd_stats
};

enum stats_by { BY_MONTH, BY_DISTRICT, BY_AGENCY, BY_OFFICER };
static const char *const by_names[] = { "month", "district", "agency", "officer" };

struct stats_group {
	char key[KEY_MAX];
	unsigned long contacts, routes[ROUTE_COUNT], overrides, rereferrals, late;
};

struct stats {
	enum stats_by by;
	int64_t since, until;	/* inclusive; 0 = open */
	int csv;
	struct map cases;	/* case id -> previous contact's receipt (or NO_TIME) */
	struct map index;	/* group key -> index in groups */
	struct stats_group *groups, total;
	size_t ngroups, gcap;
	unsigned long damaged;
	struct json_doc doc;
	struct buf tmp;
};

/* The string at a dotted path of two parts (or one) in the facts, unescaped; NULL if none. */
static const char *
stats_fact(struct stats *st, const char *outer, const char *inner, size_t *len)
{
	int i = json_object_get(&st->doc, 0, outer);

	if (i >= 0 && inner != NULL)
		i = json_object_get(&st->doc, i, inner);
	if (i < 0 || st->doc.tok[i].type != JSMN_STRING)
		return NULL;
	buf_reset(&st->tmp);
	buf_reserve(&st->tmp, JSON_TOK_LEN(&st->doc, i));
	st->tmp.len = json_unescape(&st->doc, i, st->tmp.data);
	st->tmp.data[st->tmp.len] = '\0';
	*len = st->tmp.len;
	return st->tmp.data;
}

/* The facts' receipt time, or NO_TIME; the facts are parsed into st->doc (or not, if bad). */
static int64_t
stats_received(struct stats *st, const struct record *r, int *parsed)
{
	const char *s;
	char *cause = NULL;
	size_t len;
	int64_t t;

	*parsed = r->facts.n > 0 && json_parse(&st->doc, r->facts.p, r->facts.n, &cause) == 0 &&
	    st->doc.tok[0].type == JSMN_OBJECT;
	free(cause);
	if (!*parsed || (s = stats_fact(st, "received", NULL, &len)) == NULL ||
	    parse_utc(s, &t) < 0)
		return NO_TIME;
	return t;
}

/* Whether this contact follows the case's previous one within 12 months; remembers it. */
static int
stats_rereferral(struct stats *st, const struct record *r, int64_t received)
{
	int added;
	int64_t *prev = map_put(&st->cases, r->case_id.p, r->case_id.n, NO_TIME, &added);
	int re = !added && received != NO_TIME && *prev != NO_TIME && *prev < received &&
	    received - *prev <= YEAR;

	*prev = received;
	return re;
}

/* The group's key for a contact: its month, district, agency or officer. */
static void
stats_key(struct stats *st, const struct record *r, int parsed, int64_t when,
    char key[KEY_MAX])
{
	const char *s = NULL;
	char utc[32];
	size_t len = 0;

	switch (st->by) {
	case BY_MONTH:
		format_utc(when, utc);
		s = utc;
		len = 7;
		break;
	case BY_DISTRICT:
		s = parsed ? stats_fact(st, "child", "district", &len) : NULL;
		break;
	case BY_AGENCY:
		s = parsed ? stats_fact(st, "referrer", "agency", &len) : NULL;
		break;
	case BY_OFFICER:
		s = r->actor.p;
		len = r->actor.n;
		break;
	}
	if (s == NULL || len == 0)
		snprintf(key, KEY_MAX, "(none)");
	else
		sanitise_text(s, len, key, KEY_MAX);
}

static struct stats_group *
stats_group(struct stats *st, const char *key)
{
	int added;
	int64_t *ix = map_put(&st->index, key, strlen(key), (int64_t)st->ngroups, &added);
	struct stats_group *g;

	if (!added)
		return &st->groups[*ix];
	if (st->ngroups == st->gcap) {
		st->gcap = st->gcap ? st->gcap * 2 : 32;
		st->groups = xreallocarray(st->groups, st->gcap, sizeof *st->groups);
	}
	g = &st->groups[st->ngroups++];
	memset(g, 0, sizeof *g);
	snprintf(g->key, sizeof g->key, "%s", key);
	return g;
}

static void
stats_count(struct stats_group *g, const struct record *r, int re, int late)
{
	g->contacts++;
	if (r->route != RECORD_NONE && r->route < ROUTE_COUNT)
		g->routes[r->route]++;
	g->overrides += r->kind == KIND_OVERRIDE;
	g->rereferrals += (unsigned long)re;
	g->late += (unsigned long)late;
}

static int
stats_one(struct store_txn *t, uint64_t seq, const struct store_val *raw, void *arg)
{
	struct stats *st = arg;
	struct record r;
	char *cause = NULL, key[KEY_MAX];
	int64_t received, when;
	int parsed, re, late;

	(void)t;
	(void)seq;
	if (record_decode(raw->data, raw->len, &r, &cause) < 0) {
		free(cause);
		st->damaged++;
		return 0;
	}
	if (r.kind != KIND_ROUTE && r.kind != KIND_OVERRIDE)
		return 0;
	received = stats_received(st, &r, &parsed);
	re = stats_rereferral(st, &r, received);
	when = received != NO_TIME ? received : r.time;
	if ((st->since != 0 && when < st->since) || (st->until != 0 && when > st->until))
		return 0;
	late = received != NO_TIME && r.time > queue_due(received);
	stats_key(st, &r, parsed, when, key);
	stats_count(stats_group(st, key), &r, re, late);
	stats_count(&st->total, &r, re, late);
	return 0;
}

static int
stats_group_cmp(const void *x, const void *y)
{
	const struct stats_group *a = x, *b = y;

	return strcmp(a->key, b->key);
}

/* A share in tenths of a percent, rounded down, as "12.3" ("-", or empty in CSV, for 0/0). */
static void
stats_rate(unsigned long part, unsigned long whole, int csv, char out[KEY_MAX])
{
	unsigned long permille;

	if (whole == 0) {
		snprintf(out, KEY_MAX, "%s", csv ? "" : "-");
		return;
	}
	permille = (unsigned long)((unsigned long long)part * 1000 / whole);
	snprintf(out, KEY_MAX, "%lu.%lu", permille / 10, permille % 10);
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
	stats_rate(g->overrides, g->contacts, csv, cells[c++]);
	snprintf(cells[c++], KEY_MAX, "%lu", g->rereferrals);
	stats_rate(g->rereferrals, g->contacts, csv, cells[c++]);
	snprintf(cells[c++], KEY_MAX, "%lu", g->late);
}

static void
stats_headers(const struct stats *st, const char *h[NCOLS], int csv)
{
	int c = 0;

	h[c++] = by_names[st->by];
	h[c++] = "contacts";
	for (int r = 0; r < ROUTE_COUNT; r++)
		h[c++] = route_name((enum route_id)r);
	h[c++] = "overrides";
	h[c++] = csv ? "override_pct" : "override%";
	h[c++] = csv ? "rereferrals" : "re-referrals";
	h[c++] = csv ? "rereferral_pct" : "re-referral%";
	h[c++] = "late";
}

/* Characters (not bytes) in UTF-8 text, for padding. */
static size_t
stats_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
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

/* A CSV cell, quoted when needed and defused against spreadsheet formulas. */
static void
stats_csv_cell(const char *s, int last)
{
	int formula = s[0] != '\0' && strchr("=+-@\t", s[0]) != NULL;
	int quote = formula || strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		fputs(formula ? "\"'" : "\"", stdout);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', stdout);
		fputc(*s, stdout);
	}
	if (quote)
		fputc('"', stdout);
	fputc(last ? '\n' : ',', stdout);
}

static void
stats_report(struct stats *st)
{
	char (*cells)[NCOLS][KEY_MAX] = xcalloc(st->ngroups + 1, sizeof *cells);
	const char *row[NCOLS];
	size_t width[NCOLS];

	if (st->ngroups > 0)
		qsort(st->groups, st->ngroups, sizeof *st->groups, stats_group_cmp);
	snprintf(st->total.key, sizeof st->total.key, "(all)");
	for (size_t i = 0; i < st->ngroups; i++)
		stats_cells(&st->groups[i], st->csv, cells[i]);
	stats_cells(&st->total, st->csv, cells[st->ngroups]);
	stats_headers(st, row, st->csv);
	for (int c = 0; c < NCOLS; c++) {
		width[c] = stats_width(row[c]);
		for (size_t i = 0; i <= st->ngroups; i++)
			if (stats_width(cells[i][c]) > width[c])
				width[c] = stats_width(cells[i][c]);
	}
	for (size_t i = 0; i <= st->ngroups + 1; i++) {
		for (int c = 0; c < NCOLS && i > 0; c++)
			row[c] = cells[i - 1][c];
		if (!st->csv)
			stats_print_row(row, width);
		else
			for (int c = 0; c < NCOLS; c++)
				stats_csv_cell(row[c], c == NCOLS - 1);
	}
	if (!st->csv)
		printf("\ncontacts: route and override records; re-referral: the case's previous "
		    "contact was received\nat most 365 days earlier; late: decided after the end of "
		    "the first working day after receipt\n");
	free(cells);
}

static int
stats_role_txn(struct store_txn *t, void *argp)
{
	return roles_require(t, argp, ACT_AUDIT, NULL);
}

static int
stats_options(struct cli_ctx *ctx, int argc, char **argv, struct stats *st)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' }, { "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' }, { "format", required_argument, NULL, 'f' },
		CLI_DB_OPTIONS, { NULL, 0, NULL, 0 },
	};
	int ch, by;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			for (by = 0; by < (int)FD_ARRAY_LEN(by_names); by++)
				if (strcmp(optarg, by_names[by]) == 0)
					break;
			if (by == (int)FD_ARRAY_LEN(by_names))
				return cli_usage_error(&stats_cmd, "--by is month, district, agency "
				    "or officer");
			st->by = (enum stats_by)by;
			break;
		case 's':
		case 'u':
			if (parse_utc_bound(optarg, ch == 'u', ch == 's' ? &st->since : &st->until) < 0)
				return cli_usage_error(&stats_cmd, "--%s: not a date (" UTC_FORMS ")",
				    ch == 's' ? "since" : "until");
			break;
		case 'f':
			if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "table") != 0)
				return cli_usage_error(&stats_cmd, "--format is table or csv");
			st->csv = strcmp(optarg, "csv") == 0;
			break;
		default:
			if (cli_db_option(ctx, ch, optarg) < 0)
				return cli_usage_error(&stats_cmd, "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error(&stats_cmd, "takes no operands");
	return 0;
}

static void
stats_free(struct stats *st)
{
	map_free(&st->cases);
	map_free(&st->index);
	free(st->groups);
	json_doc_free(&st->doc);
	buf_free(&st->tmp);
}

int
cmd_stats(struct cli_ctx *ctx, int argc, char **argv)
{
	struct stats st;
	struct store *s;
	char *user, *cause = NULL;
	int rc;

	memset(&st, 0, sizeof st);
	if (stats_options(ctx, argc, argv, &st) != 0)
		return EXIT_USAGE;
	if (cli_open_db(ctx, &s, &user) < 0)
		return EXIT_PROBLEM;
	json_doc_init(&st.doc);
	buf_init(&st.tmp);
	rc = store_read(s, stats_role_txn, user, &cause);
	if (rc == 0)
		rc = dlog_scan(s, 1, stats_one, &st, &cause);
	store_close(s);
	free(user);
	if (rc < 0) {
		stats_free(&st);
		return cli_fail("stats", cause, EXIT_PROBLEM);
	}
	stats_report(&st);
	if (st.damaged > 0)
		fprintf(stderr, "frontdoor stats: %lu damaged record%s skipped (run frontdoor "
		    "verify)\n", st.damaged, st.damaged == 1 ? "" : "s");
	stats_free(&st);
	return st.damaged > 0 ? EXIT_PROBLEM : EXIT_OK;
}
