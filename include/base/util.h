/* util.h: memory, strings and fatal errors shared by every module. */
#ifndef FD_UTIL_H
#define FD_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FD_ATTR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define FD_NORETURN __attribute__((noreturn))
#define FD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Called by fatal() before exiting, e.g. to restore the terminal. */
void fd_set_fatal_hook(void (*hook)(void));
FD_NORETURN void fatal(const char *fmt, ...) FD_ATTR_PRINTF(1, 2);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) FD_ATTR_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) FD_ATTR_PRINTF(1, 0);

/* A growable byte buffer, always NUL-terminated. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) FD_ATTR_PRINTF(2, 3);
/* Appends a number in decimal, without printf's cost. */
void buf_add_u64(struct buf *b, uint64_t v);
/* Takes ownership of the contents; the buffer is left empty. */
char *buf_steal(struct buf *b);

/* Reads a whole file; returns 0, or -1 with *cause set. */
int read_file(const char *path, size_t limit, char **out, size_t *outlen, char **cause);
/* The same for a file already open (named `name` in messages); closes fd. */
int read_fd(int fd, const char *name, size_t limit, char **out, size_t *outlen, char **cause);

/*
 * Whether n bytes at a and b are equal: memcmp for the short ids and keys of
 * the hot paths (case keys, indicator ids), without a call per comparison.
 */
static inline int
bytes_eq(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	uint64_t x, y;
	uint32_t u, w;

	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8) {
			memcpy(&x, p + i, 8);
			memcpy(&y, q + i, 8);
			if (x != y)
				return 0;
		}
		memcpy(&x, p + n - 8, 8);	/* the last eight, overlapping */
		memcpy(&y, q + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&u, p, 4);
		memcpy(&w, q, 4);
		if (u != w)
			return 0;
		memcpy(&u, p + n - 4, 4);
		memcpy(&w, q + n - 4, 4);
		return u == w;
	}
	for (size_t i = 0; i < n; i++)
		if (p[i] != q[i])
			return 0;
	return 1;
}

/* FNV-1a, 64 bits: a simple, deterministic hash for ids and names in memory. */
uint64_t hash_fnv1a(const char *s, size_t n);

/* Decodes the UTF-8 sequence at p (n bytes left): its length, or 0 if invalid. */
size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);
/* Encodes a code point as UTF-8 into out; returns its length (1-4). */
size_t utf8_encode(uint32_t cp, char out[4]);

/* Formats a double the same way everywhere (shortest round-trip, C locale). */
void format_number(char *out, size_t outsz, double v);
/* Whether s is a number in JSON's grammar. */
int number_syntax_ok(const char *s, size_t n);
/* Parses a JSON-grammar number without regard to the locale; 0 on success. */
int parse_number(const char *s, size_t n, double *out);

#endif
