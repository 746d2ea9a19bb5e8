/* diag.h: positioned error and warning reports for files read by frontdoor. */
#ifndef FD_DIAG_H
#define FD_DIAG_H

#include <stdio.h>

#include "base/util.h"

enum diag_severity { DIAG_ERROR, DIAG_WARNING };

struct diag_item {
	enum diag_severity severity;
	const char *code;	/* stable code such as "E010" */
	int line, col;		/* 1-based; 0 when not tied to a place */
	char *msg;
	char *note;		/* optional extra lines, already formatted */
	size_t seq;		/* order of reporting, to keep sorting stable */
};

struct diag {
	const char *file;	/* name to print */
	const char *text;	/* the file's bytes, for quoting the line */
	size_t len;
	struct diag_item *items;
	size_t n, cap;
	int nerrors, nwarnings;
};

void diag_init(struct diag *d, const char *file, const char *text, size_t len);
void diag_free(struct diag *d);
void diag_error(struct diag *d, int line, int col, const char *code,
    const char *fmt, ...) FD_ATTR_PRINTF(5, 6);
void diag_warn(struct diag *d, int line, int col, const char *code,
    const char *fmt, ...) FD_ATTR_PRINTF(5, 6);
/* Appends a note line to the most recent report. */
void diag_note(struct diag *d, const char *fmt, ...) FD_ATTR_PRINTF(2, 3);
/* Prints every report in file order, each with its source line and caret. */
void diag_print(const struct diag *d, FILE *fp);
/* Line `line` (1-based) of a text: its start and length without the line end; NULL past the end. */
const char *text_line(const char *text, size_t textlen, int line, size_t *len);
/* Writes s to fp with control and escape characters made visible. */
void fput_sanitised(const char *s, size_t n, FILE *fp);
/* Appends s made safe for a terminal (as sanitise_text does). */
void buf_add_sanitised(struct buf *b, const char *s, size_t n);

#endif
