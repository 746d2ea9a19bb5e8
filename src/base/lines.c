/* lines.c: buffered line reading for JSON Lines input of any size. */
#include "base/lines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

#define LINES_CHUNK (1024 * 1024)

void
lines_init(struct line_reader *lr, int fd)
{
	memset(lr, 0, sizeof *lr);
	lr->fd = fd;
	lr->cap = LINES_CHUNK;
	lr->buf = xmalloc(lr->cap);
}

void
lines_free(struct line_reader *lr)
{
	free(lr->buf);
	lr->buf = NULL;
}

/* Moves unread bytes to the front and reads more; grows the buffer for long lines. */
static int
fill(struct line_reader *lr)
{
	ssize_t n;

	if (lr->start > 0) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	if (lr->end == lr->cap) {
		if (lr->cap >= LINES_MAX) {
			errno = EFBIG;
			return -1;
		}
		lr->cap *= 2;
		lr->buf = xrealloc(lr->buf, lr->cap);
	}
	do
		n = read(lr->fd, lr->buf + lr->end, lr->cap - lr->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		lr->eof = 1;
	lr->end += (size_t)n;
	return 0;
}

int
lines_next(struct line_reader *lr, const char **line, size_t *len)
{
	size_t scanned = 0;

	for (;;) {
		char *nl = memchr(lr->buf + lr->start + scanned, '\n',
		    lr->end - lr->start - scanned);

		if (nl != NULL) {
			*line = lr->buf + lr->start;
			*len = (size_t)(nl - *line);
			lr->start += *len + 1;
			lr->lineno++;
			return 1;
		}
		if (lr->eof) {
			if (lr->end == lr->start)
				return 0;
			*line = lr->buf + lr->start;
			*len = lr->end - lr->start;
			lr->start = lr->end;
			lr->lineno++;
			return 1;
		}
		scanned = lr->end - lr->start;
		if (fill(lr) < 0)
			return -1;
	}
}
