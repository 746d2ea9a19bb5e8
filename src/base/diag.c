/* diag.c: collects positioned errors and warnings and prints them with a caret. */
#include "base/diag.h"

#include "base/sanitise.h"

#include <stdlib.h>
#include <string.h>

void
diag_init(struct diag *d, const char *file, const char *text, size_t len)
{
	memset(d, 0, sizeof *d);
	d->file = file;
	d->text = text;
	d->len = len;
}

void
diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].msg);
		free(d->items[i].note);
	}
	free(d->items);
	d->items = NULL;
	d->n = d->cap = 0;
}

static void
diag_add(struct diag *d, enum diag_severity sev, int line, int col,
    const char *code, const char *fmt, va_list ap)
{
	struct diag_item *it;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xreallocarray(d->items, d->cap, sizeof *d->items);
	}
	it = &d->items[d->n++];
	it->severity = sev;
	it->code = code;
	it->line = line;
	it->col = col;
	it->msg = xvasprintf(fmt, ap);
	it->note = NULL;
	it->seq = d->n - 1;
	if (sev == DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
}

void
diag_error(struct diag *d, int line, int col, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_ERROR, line, col, code, fmt, ap);
	va_end(ap);
}

void
diag_warn(struct diag *d, int line, int col, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_WARNING, line, col, code, fmt, ap);
	va_end(ap);
}

void
diag_note(struct diag *d, const char *fmt, ...)
{
	struct diag_item *it;
	struct buf b;
	va_list ap;
	char *line;

	if (d->n == 0)
		return;
	it = &d->items[d->n - 1];
	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	buf_init(&b);
	if (it->note != NULL) {
		buf_adds(&b, it->note);
		buf_addc(&b, '\n');
		free(it->note);
	}
	buf_adds(&b, line);
	free(line);
	it->note = buf_steal(&b);
}

void
buf_add_sanitised(struct buf *b, const char *s, size_t n)
{
	/* a replaced character never grows: n bytes of room always hold the result */
	buf_reserve(b, n);
	b->len += sanitise_text(s, n, b->data + b->len, n + 1);
}

void
fput_sanitised(const char *s, size_t n, FILE *fp)
{
	char out[1024];

	/* in pieces, so a long text is never cut: sanitise_text works on whole characters */
	while (n > 0) {
		size_t take = n > 256 ? 256 : n;

		while (take < n && take > 0 && ((unsigned char)s[take] & 0xc0) == 0x80)
			take--;
		if (take == 0)
			take = n > 256 ? 256 : n;
		sanitise_text(s, take, out, sizeof out);
		fputs(out, fp);
		s += take;
		n -= take;
	}
}

const char *
text_line(const char *text, size_t textlen, int line, size_t *len)
{
	const char *p = text, *end, *nl;

	if (p == NULL || line < 1)
		return NULL;
	end = text + textlen;
	for (int i = 1; i < line; i++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return NULL;
		p = nl + 1;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	*len = (size_t)((nl != NULL ? nl : end) - p);
	if (*len > 0 && p[*len - 1] == '\r')
		(*len)--;
	return p;
}

/* Prints the quoted source line and a caret under character column col. */
static void
print_excerpt(const struct diag *d, const struct diag_item *it, FILE *fp)
{
	const char *src;
	size_t len, shown;
	int chars = 0;

	src = text_line(d->text, d->len, it->line, &len);
	if (src == NULL)
		return;
	shown = len > 200 ? 200 : len;
	fprintf(fp, " %5d | ", it->line);
	fput_sanitised(src, shown, fp);
	fputs(shown < len ? " ...\n" : "\n", fp);
	fputs("       | ", fp);
	for (size_t i = 0; i < shown && chars < it->col - 1; i++) {
		unsigned char c = (unsigned char)src[i];

		if ((c & 0xc0) == 0x80)
			continue;	/* continuation byte: same character */
		fputc(' ', fp);	/* the quoted line shows a tab as one '?' */
		chars++;
	}
	fputs("^\n", fp);
}

static int
item_cmp(const void *a, const void *b)
{
	const struct diag_item *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
diag_print(const struct diag *d, FILE *fp)
{
	struct diag_item *sorted;
	const char *sev;

	if (d->n == 0)
		return;
	sorted = xreallocarray(NULL, d->n, sizeof *sorted);
	memcpy(sorted, d->items, d->n * sizeof *sorted);
	/* qsort is not stable; item_cmp breaks ties by reporting order. */
	qsort(sorted, d->n, sizeof *sorted, item_cmp);
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_item *it = &sorted[i];

		sev = it->severity == DIAG_ERROR ? "error" : "warning";
		/* a file name is anyone's text */
		fput_sanitised(d->file, strlen(d->file), fp);
		if (it->line > 0)
			fprintf(fp, ":%d:%d", it->line, it->col);
		fprintf(fp, ": %s[%s]: ", sev, it->code);
		fput_sanitised(it->msg, strlen(it->msg), fp);
		fputc('\n', fp);
		print_excerpt(d, it, fp);
		if (it->note != NULL) {
			const char *p = it->note;
			while (*p != '\0') {
				const char *nl = strchr(p, '\n');
				size_t n = nl ? (size_t)(nl - p) : strlen(p);
				fputs("       = ", fp);
				fput_sanitised(p, n, fp);
				fputc('\n', fp);
				p += n + (nl ? 1 : 0);
			}
		}
	}
	free(sorted);
}
