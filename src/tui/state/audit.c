/* audit.c: a case's history as lines, the audit charts' counts, bars and progress. */
#include "tui/state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/sanitise.h"
#include "core/outcomes.h"

/* ---- case history ---- */

void
tui_case_entry_clear(struct tui_case_entry *e)
{
	free(e->rationale);
	free(e->summary);
	free(e->detail);
	e->rationale = e->summary = e->detail = NULL;
}

void
tui_case_entries_free(struct tui_case_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tui_case_entry_clear(&e[i]);
	free(e);
}

static void
copy_clean(char *out, size_t outsz, const struct rbytes *b)
{
	sanitise_text(b->p != NULL ? b->p : "", b->n, out, outsz);
}

static char *
dup_clean(const char *p, size_t n)
{
	char *out = xmalloc(n * 3 + 1);	/* '?' for a byte never grows the text */

	sanitise_text(p, n, out, n * 3 + 1);
	return out;
}

/* The string at token i, unescaped and sanitised, appended to out. */
static void
add_json_text(struct buf *out, const struct json_doc *d, int i)
{
	char *raw, clean[512];
	size_t n;

	if (i < 0)
		return;
	if (d->tok[i].type == JSMN_PRIMITIVE) {
		sanitise_text(JSON_TOK_PTR(d, i), JSON_TOK_LEN(d, i), clean, sizeof clean);
		buf_adds(out, clean);
		return;
	}
	if (d->tok[i].type != JSMN_STRING)
		return;
	raw = xmalloc(JSON_TOK_LEN(d, i) + 1);
	n = json_unescape(d, i, raw);
	{
		char *c = xmalloc(n + 1);

		sanitise_text(raw, n, c, n + 1);
		buf_adds(out, c);
		free(c);
	}
	free(raw);
}

static int
get_path(const struct json_doc *d, const char *outer, const char *inner)
{
	int i = json_object_get(d, 0, outer);

	if (i >= 0 && inner != NULL)
		i = json_object_get(d, i, inner);
	return i;
}

/* The facts in brief, for people: when, who, from whom, consent, needs. */
static char *
facts_summary(const struct rbytes *facts, int64_t *received, char *child, size_t csz,
    char *district, size_t dsz)
{
	struct json_doc d;
	struct buf b, tmp;
	char *cause = NULL;
	int i;

	*received = 0;
	if (facts->n == 0)
		return NULL;
	json_doc_init(&d);
	if (json_parse(&d, facts->p, facts->n, &cause) < 0 || d.tok[0].type != JSMN_OBJECT) {
		free(cause);
		json_doc_free(&d);
		return xstrdup("(facts unreadable)");
	}
	buf_init(&b);
	buf_init(&tmp);
	i = get_path(&d, "received", NULL);
	if (i >= 0) {
		add_json_text(&tmp, &d, i);
		if (parse_utc(tmp.data, received) < 0)
			*received = 0;
		buf_adds(&b, "received ");
		buf_add(&b, tmp.data, tmp.len > 16 ? 16 : tmp.len);
		if (tmp.len > 10)
			b.data[b.len - 6] = ' ';
		buf_adds(&b, "; ");
	}
	if ((i = get_path(&d, "child", "name")) >= 0) {
		size_t at = b.len;

		add_json_text(&b, &d, i);
		snprintf(child, csz, "%s", b.data + at);
	}
	if ((i = get_path(&d, "child", "age")) >= 0) {
		buf_adds(&b, " (age ");
		add_json_text(&b, &d, i);
		buf_adds(&b, ")");
	}
	if ((i = get_path(&d, "child", "district")) >= 0) {
		size_t at;

		buf_adds(&b, ", ");
		at = b.len;
		add_json_text(&b, &d, i);
		snprintf(district, dsz, "%s", b.data + at);
	}
	if ((i = get_path(&d, "referrer", "agency")) >= 0) {
		buf_adds(&b, "; from ");
		add_json_text(&b, &d, i);
	}
	if ((i = get_path(&d, "referrer", "name")) >= 0) {
		buf_adds(&b, " (");
		add_json_text(&b, &d, i);
		buf_adds(&b, ")");
	}
	if ((i = get_path(&d, "consent", NULL)) >= 0) {
		buf_adds(&b, "; consent ");
		add_json_text(&b, &d, i);
	}
	if ((i = get_path(&d, "consent_reason", NULL)) >= 0) {
		buf_adds(&b, " (");
		add_json_text(&b, &d, i);
		buf_adds(&b, ")");
	}
	if ((i = get_path(&d, "indicators", NULL)) >= 0 && d.tok[i].type == JSMN_ARRAY) {
		int k = i + 1;

		buf_adds(&b, "; needs:");
		for (int n = 0; n < d.tok[i].size; n++, k = json_skip(&d, k)) {
			buf_addc(&b, ' ');
			add_json_text(&b, &d, k);
		}
		if (d.tok[i].size == 0)
			buf_adds(&b, " none");
	}
	if ((i = get_path(&d, "reported", "what")) >= 0) {
		buf_adds(&b, "; reported: ");
		add_json_text(&b, &d, i);
	}
	buf_free(&tmp);
	json_doc_free(&d);
	return buf_steal(&b);
}

static char *
detail_summary(const struct rbytes *detail)
{
	struct json_doc d;
	struct buf b;
	char *cause = NULL;
	int i;

	if (detail->n == 0)
		return NULL;
	json_doc_init(&d);
	if (json_parse(&d, detail->p, detail->n, &cause) < 0 || d.tok[0].type != JSMN_OBJECT) {
		free(cause);
		json_doc_free(&d);
		return NULL;
	}
	buf_init(&b);
	if ((i = get_path(&d, "confirmed_urgency", NULL)) >= 0 ||
	    (i = get_path(&d, "urgency", NULL)) >= 0) {
		buf_adds(&b, "urgency ");
		add_json_text(&b, &d, i);
	}
	if ((i = get_path(&d, "strategy_discussion", NULL)) >= 0) {
		buf_adds(&b, b.len ? "; strategy discussion " : "strategy discussion ");
		buf_adds(&b, JSON_TOK_PTR(&d, i)[0] == 't' ? "needed" : "not needed");
	}
	if ((i = get_path(&d, "while_awaiting_signoff", NULL)) >= 0) {
		buf_adds(&b, b.len ? "; recorded while #" : "recorded while #");
		buf_add(&b, JSON_TOK_PTR(&d, i), JSON_TOK_LEN(&d, i));
		buf_adds(&b, " awaited sign-off");
	}
	if ((i = get_path(&d, "feedback", NULL)) >= 0) {
		buf_adds(&b, b.len ? "; referrer told: " : "referrer told: ");
		add_json_text(&b, &d, i);
	}
	json_doc_free(&d);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

void
tui_case_entry_from(struct tui_case_entry *e, const struct record *r)
{
	memset(e, 0, sizeof *e);
	e->seq = r->seq;
	e->ref = r->ref;
	e->time = r->time;
	e->kind = r->kind;
	copy_clean(e->case_id, sizeof e->case_id, &r->case_id);
	copy_clean(e->actor, sizeof e->actor, &r->actor);
	copy_clean(e->role, sizeof e->role, &r->role);
	copy_clean(e->rule, sizeof e->rule, &r->rule);
	copy_clean(e->outcome, sizeof e->outcome, &r->outcome);
	e->route = r->route;
	e->level = r->level;
	e->rec_route = r->rec_route;
	e->rec_level = r->rec_level;
	if (r->rationale.n > 0)
		e->rationale = dup_clean(r->rationale.p, r->rationale.n);
	e->summary = facts_summary(&r->facts, &e->received, e->child, sizeof e->child,
	    e->district, sizeof e->district);
	e->detail = detail_summary(&r->detail);
}

static const char *
route_or_dash(const struct ruleset *rs, int route)
{
	return route != RECORD_NONE && route >= 0 && route < ROUTE_COUNT ?
	    tui_route_label(rs, route) : "-";
}

static void
add_line(char ***lines, size_t *n, size_t *cap, const char *s, size_t len)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*lines = xreallocarray(*lines, *cap, sizeof **lines);
	}
	(*lines)[(*n)++] = xstrndup(s, len);
}

/* Adds text wrapped to width, each line after the first indented by `indent` spaces. */
static void
add_wrapped(char ***lines, size_t *n, size_t *cap, const char *prefix, const char *text,
    int width, int indent)
{
	struct buf b;
	size_t starts[256], k, len = strlen(text);
	int pw = tui_text_width(prefix, strlen(prefix));

	buf_init(&b);
	k = tui_wrap(text, len, width - (pw > indent ? pw : indent), starts, 256);
	for (size_t j = 0; j < k; j++) {
		size_t end = j + 1 < k ? starts[j + 1] : len;

		buf_reset(&b);
		if (j == 0)
			buf_adds(&b, prefix);
		else
			buf_printf(&b, "%*s", pw > indent ? pw : indent, "");
		buf_add(&b, text + starts[j], end - starts[j]);
		while (b.len > 0 && b.data[b.len - 1] == ' ')
			b.data[--b.len] = '\0';
		add_line(lines, n, cap, b.data, b.len);
	}
	buf_free(&b);
}

/* An outcome in words: progress or closed, its code and its label as rs reads it. */
static void
entry_outcome(const struct tui_case_entry *e, struct buf *b, const struct ruleset *rs)
{
	struct outcome_code oc;

	buf_printf(b, "%s: %s", e->route != RECORD_NONE ? "progress" : "closed", e->outcome);
	if (outcome_lookup(rs, e->outcome, strlen(e->outcome), &oc) == 0)
		buf_printf(b, " (%s)", oc.label);
}

/* The headline of one record: what happened, in words; its time in local time. */
static void
entry_headline(const struct ruleset *rs, const struct tui_case_entry *e, struct buf *b)
{
	char when[32];

	calendar_format_local(rs != NULL ? rules_calendar(rs) : NULL, e->time, when);
	buf_printf(b, "#%llu  %s  %s (%s)  ", (unsigned long long)e->seq, when, e->actor, e->role);
	switch (e->kind) {
	case KIND_ROUTE:
		buf_printf(b, "routed to %s, as recommended (rule %s)", route_or_dash(rs, e->route),
		    e->rule);
		break;
	case KIND_OVERRIDE:
		buf_printf(b, "OVERRODE %s (rule %s) -> %s", route_or_dash(rs, e->rec_route), e->rule,
		    route_or_dash(rs, e->route));
		break;
	case KIND_OUTCOME:
		entry_outcome(e, b, rs);
		break;
	case KIND_STEP_UP:
		buf_printf(b, "stepped up -> %s", route_or_dash(rs, e->route));
		break;
	case KIND_STEP_DOWN:
		buf_printf(b, "stepped down -> %s", route_or_dash(rs, e->route));
		break;
	case KIND_SIGN_OFF:
		buf_printf(b, "%s #%llu", strcmp(e->outcome, "approved") == 0 ? "approved" :
		    strcmp(e->outcome, "returned") == 0 ? "RETURNED" : e->outcome,
		    (unsigned long long)e->ref);
		break;
	case KIND_CORRECTION:
		buf_printf(b, "corrects #%llu -> %s", (unsigned long long)e->ref,
		    route_or_dash(rs, e->route));
		break;
	default:
		buf_adds(b, record_kind_name(e->kind));
		break;
	}
}

void
tui_case_lines(const struct ruleset *rs, const struct tui_case_entry *e, size_t n, int width,
    char ***lines, size_t *nlines, size_t *starts)
{
	size_t cap = 0;
	struct buf b;

	*lines = NULL;
	*nlines = 0;
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		starts[i] = *nlines;
		buf_reset(&b);
		entry_headline(rs, &e[i], &b);
		add_wrapped(lines, nlines, &cap, "", b.data, width, 6);
		if (e[i].rationale != NULL)
			add_wrapped(lines, nlines, &cap, "      why: ", e[i].rationale, width, 11);
		if (e[i].summary != NULL)
			add_wrapped(lines, nlines, &cap, "      facts: ", e[i].summary, width, 13);
		if (e[i].detail != NULL)
			add_wrapped(lines, nlines, &cap, "      ", e[i].detail, width, 6);
	}
	buf_free(&b);
}

/* ---- charts ---- */

void
tui_charts_init(struct tui_charts *c)
{
	stats_init(&c->st, 0, 0);
	stats_group_by(&c->st, STATS_MONTH, "(none)");
	stats_group_by(&c->st, STATS_DISTRICT, "(no district)");
	stats_group_by(&c->st, STATS_OFFICER, "(unknown)");
}

void
tui_charts_free(struct tui_charts *c)
{
	stats_free(&c->st);
}

void
tui_bar(unsigned long value, unsigned long max, int width, int utf8, char *out, size_t outsz)
{
	static const char *const eighths[8] = {
		"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589",
	};
	unsigned long long units;
	size_t o = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (max == 0 || width <= 0)
		return;
	if (value > max)
		value = max;
	units = (unsigned long long)value * (unsigned long long)width * 8 / max;
	for (unsigned long long i = 0; i < units / 8; i++) {
		const char *s = utf8 ? "\u2588" : "#";
		size_t n = strlen(s);

		if (o + n >= outsz)
			break;
		memcpy(out + o, s, n);
		o += n;
	}
	if (utf8 && units % 8 != 0 && o + 3 < outsz) {
		memcpy(out + o, eighths[units % 8], 3);
		o += 3;
	} else if (!utf8 && units % 8 >= 4 && o + 1 < outsz)
		out[o++] = '+';
	out[o] = '\0';
	if (o == 0 && value > 0 && outsz > 3) {
		/* something, however small, is never drawn as nothing */
		snprintf(out, outsz, "%s", utf8 ? "\u258f" : ".");
	}
}

void
tui_progress(size_t done, size_t total, int width, int utf8, char *out, size_t outsz)
{
	char bar[1024];
	int inner = width - 7, used;
	unsigned pct = total ? (unsigned)((unsigned long long)done * 100 / total) : 0;

	if (inner < 1)
		inner = 1;
	if (done > total)
		done = total;
	tui_bar(done, total ? total : 1, inner, utf8, bar, sizeof bar);
	used = tui_text_width(bar, strlen(bar));
	snprintf(out, outsz, "[%s%*s] %3u%%", bar, inner - used, "", pct > 100 ? 100 : pct);
}

void
tui_rate(unsigned long part, unsigned long whole, char *out, size_t outsz)
{
	unsigned long long permille;

	if (whole == 0) {
		snprintf(out, outsz, "-");
		return;
	}
	permille = (unsigned long long)part * 1000 / whole;
	snprintf(out, outsz, "%llu.%llu%%", permille / 10, permille % 10);
}
