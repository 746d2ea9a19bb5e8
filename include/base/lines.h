/* lines.h: reads a file descriptor line by line through one large buffer. */
#ifndef FD_LINES_H
#define FD_LINES_H

#include <stddef.h>

#define LINES_MAX (16 * 1024 * 1024)

struct line_reader {
	int fd;
	char *buf;
	size_t cap, start, end;
	int eof;
	unsigned long lineno;	/* number of the line last returned, 1-based */
};

void lines_init(struct line_reader *lr, int fd);
void lines_free(struct line_reader *lr);
/*
 * Returns 1 with the next line (without its newline; not NUL-terminated),
 * 0 at end of input, -1 on a read error or a line longer than LINES_MAX
 * (errno set: EFBIG for the latter).
 */
int lines_next(struct line_reader *lr, const char **line, size_t *len);

#endif
