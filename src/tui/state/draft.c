/* draft.c: a journey in progress as one JSON draft: written, read back, described. */
#include "tui/state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

static void
draft_form(struct buf *out, const char *key, const struct tui_form *f)
{
	buf_printf(out, "\"%s\":{", key);
	for (size_t i = 0; i < f->n; i++) {
		const char *v = tui_form_value(f, i);

		buf_printf(out, "%s\"%s\":", i ? "," : "", f->f[i].name);
		json_write_string(out, v, strlen(v));
	}
	buf_adds(out, "}");
}

void
tui_draft_write(const struct tui_form *intake, const struct ruleset *rs,
    const unsigned char *selected, const struct tui_form *decision, struct buf *out)
{
	int first = 1;

	buf_reset(out);
	buf_adds(out, "{\"v\":1,");
	draft_form(out, "intake", intake);
	buf_adds(out, ",\"indicators\":[");
	for (size_t i = 0; rs != NULL && selected != NULL && i < rs->nindicators; i++) {
		if (!selected[i])
			continue;
		buf_printf(out, "%s\"%s\"", first ? "" : ",", rs->indicators[i].id);
		first = 0;
	}
	buf_adds(out, "]");
	if (decision != NULL && decision->touched) {
		buf_adds(out, ",");
		draft_form(out, "decision", decision);
	}
	buf_adds(out, "}");
}

/* Copies the string at token i (unescaped) into a malloc'd string; NULL if not a string. */
static char *
json_text(const struct json_doc *d, int i)
{
	char *s;
	size_t n;

	if (i < 0 || d->tok[i].type != JSMN_STRING)
		return NULL;
	s = xmalloc(JSON_TOK_LEN(d, i) + 1);
	n = json_unescape(d, i, s);
	s[n] = '\0';
	return s;
}

static void
read_form(const struct json_doc *d, int obj, struct tui_form *f)
{
	if (obj < 0 || d->tok[obj].type != JSMN_OBJECT)
		return;
	for (size_t i = 0; i < f->n; i++) {
		char *v = json_text(d, json_object_get(d, obj, f->f[i].name));

		if (v == NULL)
			continue;
		if (f->f[i].kind == FK_CHOICE)
			tui_form_set_choice(f, i, v);
		else {
			/* a draft is our own writing, but keep the field's limits anyway */
			tui_edit_set(&f->f[i].edit, "");
			for (const char *p = v; *p;) {
				uint32_t cp;
				size_t len = utf8_decode((const unsigned char *)p, strlen(p), &cp);

				if (len == 0)
					break;
				if (cp >= 0x20)
					tui_edit_key(&f->f[i].edit, (int)cp);
				p += len;
			}
		}
		free(v);
	}
	if (f->relayout != NULL)
		f->relayout(f);
	f->changed = 0;
	f->touched = 1;
}

int
tui_draft_read(const char *text, size_t len, struct tui_form *intake,
    const struct ruleset *rs, unsigned char *selected, struct tui_form *decision)
{
	struct json_doc d;
	char *cause = NULL;
	int arr;

	json_doc_init(&d);
	if (json_parse(&d, text, len, &cause) < 0 || d.tok[0].type != JSMN_OBJECT) {
		free(cause);
		json_doc_free(&d);
		return -1;
	}
	read_form(&d, json_object_get(&d, 0, "intake"), intake);
	arr = json_object_get(&d, 0, "indicators");
	if (arr >= 0 && d.tok[arr].type == JSMN_ARRAY && rs != NULL && selected != NULL) {
		int i = arr + 1;

		for (int k = 0; k < d.tok[arr].size; k++, i = json_skip(&d, i)) {
			char *id = json_text(&d, i);
			int ind = id != NULL ? rules_find_indicator(rs, id, strlen(id)) : -1;

			if (ind >= 0)
				selected[ind] = 1;
			free(id);
		}
	}
	if (decision != NULL) {
		int obj = json_object_get(&d, 0, "decision");

		if (obj >= 0)
			read_form(&d, obj, decision);
	}
	json_doc_free(&d);
	return 0;
}

void
tui_draft_describe(const char *text, size_t len, char *out, size_t outsz)
{
	struct tui_form f;
	const char *name, *when, *ref;

	tui_intake_init(&f, NULL);
	if (tui_draft_read(text, len, &f, NULL, NULL, NULL) < 0) {
		snprintf(out, outsz, "(unreadable draft)");
		tui_form_free(&f);
		return;
	}
	name = f.f[IF_CHILD_NAME].edit.text;
	when = f.f[IF_RECEIVED].edit.text;
	ref = f.f[IF_REF_NAME].edit.text;
	snprintf(out, outsz, "%s%s%s%s%s", *name ? name : "(no child's name yet)",
	    *when ? ", received " : "", when, *ref ? ", from " : "", ref);
	tui_form_free(&f);
}
