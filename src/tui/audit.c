/* audit.c: browse the log, verify it with a progress bar, what-if against a rule file, charts. */
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "base/diag.h"
#include "tui/ui.h"
#include "core/verify.h"

#define AU_TOP 3
#define CHART_LABEL 14

static int
au_rows(const struct tui_app *a)
{
	int h = a->rows - AU_TOP - 3;

	return h > 1 ? h : 1;
}

/* Rows of the log list: half the space when a record is open below it. */
static size_t
log_rows(const struct tui_app *a)
{
	int h = au_rows(a);

	return (size_t)(a->au.detail ? h / 2 : h);
}

/* ---- log ---- */

/* Reads the records on screen, newest first, unless they are the ones read. */
static void
log_page(struct tui_app *a)
{
	struct tui_auditview *au = &a->au;
	size_t rows = log_rows(a);
	uint64_t from;
	char *cause = NULL;

	if (au->head == 0)
		return;
	from = au->head - au->log.top;
	if (au->page != NULL && au->page_from == from && au->npage >= rows)
		return;
	tui_case_entries_free(au->page, au->npage);
	au->page = xcalloc(rows + 1, sizeof *au->page);
	au->npage = 0;
	au->page_from = from;
	if (tui_data_log_page(a->s, from, rows, au->page, &au->npage, &cause) < 0)
		tui_error(a, "cannot read the log", cause);
}

static void
log_reload(struct tui_app *a)
{
	struct tui_auditview *au = &a->au;
	char *cause = NULL;
	uint64_t old = au->head;

	if (tui_data_head(a->s, &au->head, &cause) < 0) {
		tui_error(a, "cannot read the log", cause);
		return;
	}
	tui_case_entries_free(au->page, au->npage);
	au->page = NULL;
	au->npage = 0;
	/* new records arrived: keep the same record selected */
	if (old != 0 && au->head > old) {
		au->log.cursor += (size_t)(au->head - old);
		au->log.top += (size_t)(au->head - old);
	}
	tui_list_set_count(&au->log, (size_t)au->head, log_rows(a));
}

static void
draw_log(struct tui_app *a)
{
	struct tui_auditview *au = &a->au;
	size_t rows = log_rows(a);

	tui_list_move(&au->log, 0, rows);
	log_page(a);
	if (au->head == 0) {
		tui_text(a, AU_TOP, 2, a->cols - 4, "The log is empty.", tui_attr(a, C_DIM), 0);
		return;
	}
	for (size_t r = 0; r < rows && r < au->npage; r++) {
		const struct tui_case_entry *e = &au->page[r];
		int sel = au->log.top + r == au->log.cursor;
		attr_t at = tui_attr(a, sel ? C_SELECTED : C_NORMAL);
		char when[32], line[300];

		format_utc(e->time, when);
		when[10] = ' ';
		when[16] = '\0';
		if (e->kind == KIND_COUNT)
			snprintf(line, sizeof line, "#%-7llu %s", (unsigned long long)e->seq,
			    e->summary);
		else
			snprintf(line, sizeof line, "#%-7llu %s  %-10s %-10.10s %-9.9s %s",
			    (unsigned long long)e->seq, when, record_kind_name(e->kind), e->case_id,
			    e->actor, e->route >= 0 && e->route < ROUTE_COUNT ?
			    tui_route_label(a->rs, e->route) : e->outcome);
		tui_fill(a, AU_TOP + (int)r, 0, a->cols, at);
		tui_text(a, AU_TOP + (int)r, 0, a->cols, line, e->kind == KIND_COUNT && !sel ?
		    tui_attr(a, C_ERROR) : at, 0);
	}
	if (au->detail && au->log.cursor >= au->log.top &&
	    au->log.cursor - au->log.top < au->npage) {
		char **lines;
		size_t n, start;
		int y = AU_TOP + (int)rows;

		tui_heading(a, y, "Record ");
		tui_case_lines(a->rs, &au->page[au->log.cursor - au->log.top], 1, a->cols - 1, &lines, &n,
		    &start);
		tui_draw_lines(a, lines, n, 0, y + 1, au_rows(a) - (int)rows - 1,
		    tui_attr(a, C_NORMAL));
		tui_lines_free(lines, n);
	}
}

/* ---- verify ---- */

static void
run_verify(struct tui_app *a)
{
	struct tui_auditview *au = &a->au;
	struct verify_opts o;
	struct verify_result res;
	char *cause = NULL;

	memset(&o, 0, sizeof o);
	memset(&res, 0, sizeof res);
	o.progress = tui_progress_cb;
	o.progress_arg = a;
	tui_lines_free(au->problems, au->nproblems);
	au->problems = NULL;
	au->nproblems = 0;
	au->verified = 0;
	tui_progress_cb(0, 1, a);
	if (verify_run(a->s, &o, &res, &cause) < 0) {
		verify_result_free(&res);
		tui_error(a, "verify failed", cause);
		return;
	}
	au->records = res.records;
	au->replayed = res.replayed;
	au->problems = xcalloc(res.nproblems + 1, sizeof *au->problems);
	for (size_t i = 0; i < res.nproblems; i++)
		au->problems[i] = xstrdup(res.problems[i].text);
	au->nproblems = res.nproblems;
	au->verified = 1;
	au->plist.n = au->nproblems;
	au->plist.cursor = au->plist.top = 0;
	verify_result_free(&res);
	if (au->nproblems == 0)
		tui_message(a, MSG_OK, "Verified: chain intact, every decision reproduced.");
	else
		tui_message(a, MSG_ERROR, "Verify found %zu problem%s.", au->nproblems,
		    au->nproblems == 1 ? "" : "s");
}

static void
draw_verify(struct tui_app *a)
{
	struct tui_auditview *au = &a->au;
	int rows = au_rows(a) - 2;

	if (!au->verified) {
		tui_wrapped(a, AU_TOP, 2, a->cols - 4, 4, "Press v to verify the whole log: sequence "
		    "numbers, each record's hash, the hash chain, stored checkpoints, and every "
		    "decision replayed with the rule set it recorded.", tui_attr(a, C_NORMAL));
		return;
	}
	tui_textf(a, AU_TOP, 1, a->cols - 2, tui_attr(a, au->nproblems ? C_ERROR : C_OK),
	    "%lu records, %lu decisions replayed: %s (%zu problem%s)", au->records,
	    au->replayed, au->nproblems ? "FAILED" : "chain intact, all reproduced",
	    au->nproblems, au->nproblems == 1 ? "" : "s");
	tui_list_move(&au->plist, 0, (size_t)rows);
	for (int r = 0; r < rows && au->plist.top + (size_t)r < au->nproblems; r++) {
		size_t i = au->plist.top + (size_t)r;

		tui_untrusted(a, AU_TOP + 2 + r, 1, a->cols - 2, au->problems[i],
		    strlen(au->problems[i]), tui_attr(a, i == au->plist.cursor ? C_SELECTED :
		    C_NORMAL), 1);
	}
}

/* ---- what-if ---- */

static void
whatif_done(struct tui_app *a, int key, const char *path)
{
	struct tui_auditview *au = &a->au;
	struct ruleset *rs;
	struct diag d;
	char *cause = NULL, *text = NULL;
	size_t len = 0;

	if (key != TK_ENTER || path == NULL || path[0] == '\0')
		return;
	snprintf(au->whatif_path, sizeof au->whatif_path, "%s", path);
	tui_lines_free(au->diag, au->ndiag);
	au->diag = NULL;
	au->ndiag = 0;
	au->have_whatif = 0;
	audit_whatif_free(&au->whatif);
	diag_init(&d, path, NULL, 0);
	rs = rules_load_file(path, &d, &text, &len);
	free(text);
	if (rs == NULL) {
		au->diag = xcalloc(d.n + 2, sizeof *au->diag);
		for (size_t i = 0; i < d.n; i++)
			au->diag[au->ndiag++] = d.items[i].line > 0 ?
			    xasprintf("%d:%d: %s %s: %s", d.items[i].line, d.items[i].col,
			    d.items[i].severity == DIAG_ERROR ? "error" : "warning",
			    d.items[i].code != NULL ? d.items[i].code : "", d.items[i].msg) :
			    xasprintf("%s", d.items[i].msg);
		if (au->ndiag == 0)
			au->diag[au->ndiag++] = xstrdup("the rule file could not be read");
		diag_free(&d);
		tui_message(a, MSG_ERROR, "The candidate rule file was rejected (%d error%s).",
		    d.nerrors, d.nerrors == 1 ? "" : "s");
		return;
	}
	diag_free(&d);
	snprintf(au->whatif_name, sizeof au->whatif_name, "%s %s (sha256:%.12s...)", rs->name,
	    rs->version, rs->hash);
	tui_progress_cb(0, 1, a);
	if (tui_data_whatif(a->s, rs, &au->whatif, tui_progress_cb, a, &cause) < 0)
		tui_error(a, "what-if failed", cause);
	else {
		au->have_whatif = 1;
		au->mlist.n = au->whatif.moves.n;
		au->mlist.cursor = au->mlist.top = 0;
		tui_message(a, MSG_OK, "%lu decisions replayed; %lu would change route.",
		    au->whatif.replayed, au->whatif.moved);
	}
	rules_free(rs);
}

/* The decisions that would move, from row y down, scrolled with the list keys. */
static void
draw_moves(struct tui_app *a, int y)
{
	struct tui_auditview *au = &a->au;
	const struct audit_whatif *w = &au->whatif;
	int rows = a->rows - 3 - y;

	if (rows < 1 || w->moves.n == 0)
		return;
	tui_list_move(&au->mlist, 0, (size_t)rows);
	for (int r = 0; r < rows && au->mlist.top + (size_t)r < w->moves.n; r++) {
		size_t i = au->mlist.top + (size_t)r;
		const struct audit_move *m = &w->moves.v[i];

		tui_textf(a, y + r, 1, a->cols - 2, tui_attr(a, i == au->mlist.cursor ? C_SELECTED :
		    C_NORMAL), "seq %-9llu %-20s %s -> %s", (unsigned long long)m->seq, m->case_id,
		    tui_route_label(a->rs, m->from), tui_route_label(a->rs, m->to));
	}
	if (w->moved > w->moves.n)
		tui_textf(a, a->rows - 4, 1, a->cols - 2, tui_attr(a, C_DIM), "(the first %zu of %lu "
		    "listed; frontdoor whatif lists them all)", w->moves.n, w->moved);
}

static void
draw_whatif(struct tui_app *a)
{
	struct tui_auditview *au = &a->au;
	const struct audit_whatif *w = &au->whatif;
	int y = AU_TOP, cw = (a->cols - 22) / ROUTE_COUNT;

	if (au->ndiag > 0) {
		tui_text(a, y, 1, a->cols - 2, "Rejected:", tui_attr(a, C_ERROR), 0);
		tui_untrusted(a, y, 11, a->cols - 12, au->whatif_path, strlen(au->whatif_path),
		    tui_attr(a, C_NORMAL), 0);
		for (size_t i = 0; i < au->ndiag && y + 1 + (int)i < a->rows - 3; i++)
			tui_untrusted(a, y + 1 + (int)i, 2, a->cols - 3, au->diag[i],
			    strlen(au->diag[i]), tui_attr(a, C_NORMAL), 0);
		return;
	}
	if (!au->have_whatif) {
		tui_wrapped(a, y, 2, a->cols - 4, 4, "Press w and give the path of a candidate rule "
		    "file: every logged decision is replayed under it and the table shows where "
		    "each recorded recommendation would go instead.", tui_attr(a, C_NORMAL));
		return;
	}
	tui_untrusted(a, y++, 1, a->cols - 2, au->whatif_name, strlen(au->whatif_name),
	    tui_attr(a, C_HEADER), 0);
	tui_textf(a, y++, 1, a->cols - 2, tui_attr(a, C_NORMAL), "%lu replayed, %lu no longer "
	    "valid, %lu would change route", w->replayed, w->failed, w->moved);
	y++;
	tui_text(a, y, 1, 21, "recorded \\ candidate", tui_attr(a, C_HEADER), 0);
	for (int c = 0; c < ROUTE_COUNT; c++)
		tui_textf(a, y, 22 + c * cw, cw, tui_route_attr(a, c) | A_BOLD, "%*s", cw - 1,
		    tui_route_short(a->rs, c));
	y++;
	for (int r = 0; r < ROUTE_COUNT; r++, y++) {
		tui_text(a, y, 1, 21, tui_route_label(a->rs, r), tui_route_attr(a, r) | A_BOLD, 0);
		for (int c = 0; c < ROUTE_COUNT; c++)
			tui_textf(a, y, 22 + c * cw, cw, tui_attr(a, r == c ? C_NORMAL :
			    w->matrix[r][c] ? C_AMBER : C_DIM), "%*lu", cw - 1, w->matrix[r][c]);
	}
	tui_text(a, y++, 1, a->cols - 2, "Rows: the recorded route; columns: the candidate's. "
	    "Moved decisions:", tui_attr(a, C_DIM), 0);
	draw_moves(a, y);
}

/* ---- charts ---- */

static void
run_charts(struct tui_app *a)
{
	struct tui_auditview *au = &a->au;
	char *cause = NULL;

	if (au->have_charts)
		tui_charts_free(&au->charts);
	tui_charts_init(&au->charts);
	au->charts.st.cal = tui_calendar(a);	/* late in the working days in force */
	au->have_charts = 1;
	tui_progress_cb(0, 1, a);
	if (tui_data_charts(a->s, &au->charts, tui_progress_cb, a, &cause) < 0)
		tui_error(a, "cannot read the log", cause);
	for (int b = 0; b < STATS_BY_COUNT; b++)
		stats_sort(&au->charts.st.by[b]);
}

/* A bar stacked by route: a different shade per route, so it reads without colour too. */
static void
stacked_bar(struct tui_app *a, int y, int x, int width, const struct stats_group *m,
    unsigned long max)
{
	static const char *const shade_utf8[ROUTE_COUNT] = {
		"\u2591", "\u2592", "\u2593", "\u2588",
	};
	static const char shade_ascii[ROUTE_COUNT] = { '.', ':', '+', '#' };
	unsigned long cum = 0;
	int drawn = 0;

	for (int r = 0; r < ROUTE_COUNT && max > 0; r++) {
		int upto;

		cum += m->routes[r];
		upto = (int)((unsigned long long)cum * (unsigned long long)width / max);
		for (; drawn < upto; drawn++) {
			char s[8];

			if (a->utf8)
				snprintf(s, sizeof s, "%s", shade_utf8[r]);
			else
				snprintf(s, sizeof s, "%c", shade_ascii[r]);
			tui_text(a, y, x + drawn, 1, s, tui_route_attr(a, r), 0);
		}
	}
}

static void
draw_charts(struct tui_app *a)
{
	struct tui_auditview *au = &a->au;
	const struct stats_table *months = &au->charts.st.by[STATS_MONTH];
	const struct stats_group *c = &au->charts.st.total;
	int y = AU_TOP, avail, bw = a->cols - CHART_LABEL - 24, x;
	unsigned long max = 0;
	char rate[32], bar[512], rr[32];
	size_t first;

	if (!au->have_charts) {
		tui_text(a, y, 2, a->cols - 4, "Press c to draw the charts from the whole log.",
		    tui_attr(a, C_NORMAL), 0);
		return;
	}
	x = tui_text(a, y, 0, a->cols, "Contacts per route per month  ", tui_attr(a, C_HEADER), 0);
	for (int r = 0; r < ROUTE_COUNT; r++) {
		static const char *const u[] = { "\u2591", "\u2592", "\u2593", "\u2588" };
		static const char *const asc[] = { ".", ":", "+", "#" };

		x += tui_text(a, y, x, 2, a->utf8 ? u[r] : asc[r], tui_route_attr(a, r), 0);
		x += tui_textf(a, y, x, a->cols - x, tui_attr(a, C_NORMAL), "%s ",
		    tui_route_short(a->rs, r));
	}
	y++;
	tui_textf(a, y++, 0, a->cols, tui_attr(a, C_DIM), "%-8s %5s %-*s %7s %7s", "month",
	    "n", bw, "", "overr.", "re-ref.");
	avail = a->rows - 3 - y - 3;
	first = months->n > (size_t)avail ? months->n - (size_t)avail : 0;
	for (size_t i = first; i < months->n; i++)
		if (months->g[i].contacts > max)
			max = months->g[i].contacts;
	for (size_t i = first; i < months->n; i++, y++) {
		const struct stats_group *m = &months->g[i];

		tui_textf(a, y, 0, 15, tui_attr(a, C_NORMAL), "%-8s %5lu", m->key, m->contacts);
		stacked_bar(a, y, CHART_LABEL + 1, bw, m, max);
		tui_rate(m->overrides, m->contacts, rate, sizeof rate);
		tui_rate(m->rereferrals, m->contacts, rr, sizeof rr);
		tui_textf(a, y, CHART_LABEL + 2 + bw, a->cols - CHART_LABEL - 2 - bw,
		    tui_attr(a, C_NORMAL), "%7s %7s", rate, rr);
	}
	y++;
	tui_rate(c->overrides, c->contacts, rate, sizeof rate);
	tui_bar(c->overrides, c->contacts, bw, a->utf8, bar, sizeof bar);
	tui_textf(a, y, 0, a->cols, tui_attr(a, C_HEADER), "%-16s %7s", "Override rate", rate);
	tui_text(a, y++, 26, bw, bar, tui_attr(a, C_AMBER), 0);
	tui_rate(c->rereferrals, c->contacts, rate, sizeof rate);
	tui_bar(c->rereferrals, c->contacts, bw, a->utf8, bar, sizeof bar);
	tui_textf(a, y, 0, a->cols, tui_attr(a, C_HEADER), "%-16s %7s", "Re-referral rate", rate);
	tui_text(a, y++, 26, bw, bar, tui_attr(a, C_AMBER), 0);
	tui_textf(a, y, 0, a->cols, tui_attr(a, C_DIM), "%lu contacts; re-referral: a previous "
	    "contact at most %d days before", c->contacts, AUDIT_REREFERRAL_DAYS);
}

/* One table of override rates, from row y; returns the row after it. */
static int
draw_groups(struct tui_app *a, int y, int last, const char *title, const struct stats_table *t)
{
	int bw = a->cols - 46;
	char rate[32], bar[512];

	tui_textf(a, y++, 0, a->cols, tui_attr(a, C_HEADER), "%-24s %8s %8s %7s", title,
	    "contacts", "overr.", "rate");
	for (size_t i = 0; i < t->n && y <= last; i++, y++) {
		const struct stats_group *g = &t->g[i];

		tui_rate(g->overrides, g->contacts, rate, sizeof rate);
		tui_bar(g->overrides, g->contacts, bw, a->utf8, bar, sizeof bar);
		tui_untrusted(a, y, 1, 23, g->key, strlen(g->key), tui_attr(a, C_NORMAL), 0);
		tui_textf(a, y, 25, 26, tui_attr(a, C_NORMAL), "%8lu %8lu %7s", g->contacts,
		    g->overrides, rate);
		tui_text(a, y, 51, bw, bar, tui_attr(a, C_AMBER), 0);
	}
	return y;
}

static void
draw_teams(struct tui_app *a)
{
	struct tui_auditview *au = &a->au;
	const struct stats *c = &au->charts.st;
	int y = AU_TOP, mid;

	if (!au->have_charts) {
		tui_text(a, y, 2, a->cols - 4, "Press t to count the whole log.",
		    tui_attr(a, C_NORMAL), 0);
		return;
	}
	mid = y + (a->rows - 3 - y) / 2;
	y = draw_groups(a, y, mid - 1, "Override rate by team", &c->by[STATS_DISTRICT]);
	draw_groups(a, y + 1 > mid ? y + 1 : mid, a->rows - 4, "Override rate by officer",
	    &c->by[STATS_OFFICER]);
}

/* ---- the screen ---- */

static void
audit_enter(struct tui_app *a)
{
	log_reload(a);
}

static void
audit_draw(struct tui_app *a)
{
	static const char *const tabs[] = { "1 Log", "v Verify", "w What-if", "c Charts",
		"t Teams" };
	int x = 0;

	for (int t = 0; t < (int)FD_ARRAY_LEN(tabs); t++) {
		x += tui_textf(a, 1, x, a->cols - x, tui_attr(a, (int)a->au.tab == t ? C_SELECTED :
		    C_NORMAL), " %s ", tabs[t]);
		x += 1;
	}
	tui_rule(a, 2, 0, a->cols);
	switch (a->au.tab) {
	case AT_LOG: draw_log(a); break;
	case AT_VERIFY: draw_verify(a); break;
	case AT_WHATIF: draw_whatif(a); break;
	case AT_CHARTS: draw_charts(a); break;
	case AT_TEAMS: draw_teams(a); break;
	}
}

/* Rows of the what-if list below the matrix (as draw_whatif lays it out). */
static size_t
moves_rows(const struct tui_app *a)
{
	int rows = a->rows - 3 - (AU_TOP + 5 + ROUTE_COUNT);

	return rows > 1 ? (size_t)rows : 1;
}

static void
audit_list_key(struct tui_app *a, enum tui_act act)
{
	struct tui_auditview *au = &a->au;
	struct tui_list *l = au->tab == AT_LOG ? &au->log : au->tab == AT_WHATIF ? &au->mlist :
	    &au->plist;
	size_t rows = au->tab == AT_LOG ? log_rows(a) : au->tab == AT_WHATIF ? moves_rows(a) :
	    (size_t)au_rows(a) - 2;

	switch (act) {
	case TA_UP: tui_list_move(l, -1, rows); break;
	case TA_DOWN: tui_list_move(l, 1, rows); break;
	case TA_PGUP: tui_list_move(l, -(long)rows, rows); break;
	case TA_PGDN: tui_list_move(l, (long)rows, rows); break;
	case TA_TOP: tui_list_move(l, -(long)l->n, rows); break;
	case TA_BOTTOM: tui_list_move(l, (long)l->n, rows); break;
	default: break;
	}
}

static void
audit_key(struct tui_app *a, int key, enum tui_act act)
{
	struct tui_auditview *au = &a->au;

	if (key == TK_MOUSE && au->tab == AT_LOG) {
		int row = a->mev.y - AU_TOP;

		if (a->mev.bstate & BUTTON4_PRESSED)
			act = TA_UP;
		else if (a->mev.bstate & BUTTON5_PRESSED)
			act = TA_DOWN;
		else if (row >= 0 && (size_t)row < log_rows(a) && au->log.top + (size_t)row < au->log.n)
			au->log.cursor = au->log.top + (size_t)row;
	}
	switch (act) {
	case TA_LOG:
		au->tab = AT_LOG;
		break;
	case TA_VERIFY:
		au->tab = AT_VERIFY;
		run_verify(a);
		break;
	case TA_WHATIF:
		au->tab = AT_WHATIF;
		tui_ask_text(a, au->whatif_path[0] ? au->whatif_path : app_default_rules(),
		    whatif_done, "Candidate rule file:");
		break;
	case TA_CHARTS:
	case TA_TEAMS:
		au->tab = act == TA_CHARTS ? AT_CHARTS : AT_TEAMS;
		run_charts(a);
		break;
	case TA_OPEN:
		if (au->tab == AT_LOG)
			au->detail = !au->detail;
		break;
	case TA_REFRESH:
		log_reload(a);
		if (au->tab == AT_CHARTS || au->tab == AT_TEAMS)
			run_charts(a);
		break;
	case TA_BACK:
		if (au->tab == AT_LOG && au->detail)
			au->detail = 0;
		else
			tui_back(a);
		break;
	default:
		if (au->tab == AT_LOG || au->tab == AT_VERIFY || au->tab == AT_WHATIF)
			audit_list_key(a, act);
		break;
	}
}

static void
audit_free(struct tui_app *a)
{
	tui_case_entries_free(a->au.page, a->au.npage);
	tui_lines_free(a->au.problems, a->au.nproblems);
	tui_lines_free(a->au.diag, a->au.ndiag);
	if (a->au.have_charts)
		tui_charts_free(&a->au.charts);
	audit_whatif_free(&a->au.whatif);
}

const struct tui_screen_ops tui_audit_ops = {
	.enter = audit_enter,
	.draw = audit_draw,
	.key = audit_key,
	.typing = NULL,
	.idle = NULL,
	.free = audit_free,
	.hints = "1 v w c t:tabs  Enter:open  r:refresh  ?:help  q:back",
};
