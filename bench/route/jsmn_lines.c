/* jsmn_lines.c: jsmn alone over a JSON Lines file, configured as frontdoor uses it: route-bench's floor. */
/*
 * Reads FILE in 1 MiB chunks, splits it into lines and tokenises each with
 * jsmn (non-strict, parent links, compiled static), and nothing else: no
 * validation, no routing, no output but a count. Timed as a whole process
 * beside `frontdoor route`, it shows how much of frontdoor's time is the
 * JSON library's own.
 */
#define JSMN_PARENT_LINKS
#define JSMN_STATIC
#include <jsmn.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1024 * 1024)

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "jsmn_lines: %s: %s\n", what, why);
	exit(1);
}

/* Tokenises one line; returns its token count. */
static long
tokenise(const char *line, size_t len, jsmntok_t **tok, unsigned *cap, long lineno)
{
	jsmn_parser p;
	int n;

	for (;;) {
		jsmn_init(&p);
		n = jsmn_parse(&p, line, len, *tok, *cap);
		if (n != JSMN_ERROR_NOMEM)
			break;
		*cap *= 2;
		if ((*tok = realloc(*tok, *cap * sizeof **tok)) == NULL)
			die("realloc", strerror(errno));
	}
	if (n < 0) {
		fprintf(stderr, "jsmn_lines: line %ld: not JSON (jsmn %d)\n", lineno, n);
		exit(1);
	}
	return n;
}

int
main(int argc, char **argv)
{
	size_t cap = CHUNK, start = 0, end = 0;
	unsigned tcap = 256;
	char *buf = malloc(cap);
	jsmntok_t *tok = malloc(tcap * sizeof *tok);
	long lines = 0, tokens = 0;
	int fd, eof = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: jsmn_lines FILE\n");
		return 2;
	}
	if (buf == NULL || tok == NULL)
		die("malloc", strerror(errno));
	if ((fd = open(argv[1], O_RDONLY)) < 0)
		die(argv[1], strerror(errno));
	while (!eof || start < end) {
		char *nl = memchr(buf + start, '\n', end - start);
		ssize_t n;

		if (nl != NULL || (eof && start < end)) {
			size_t len = nl != NULL ? (size_t)(nl - (buf + start)) : end - start;

			tokens += tokenise(buf + start, len, &tok, &tcap, ++lines);
			start += len + (nl != NULL);
			continue;
		}
		memmove(buf, buf + start, end - start);
		end -= start;
		start = 0;
		if (end == cap && (buf = realloc(buf, cap *= 2)) == NULL)
			die("realloc", strerror(errno));
		do
			n = read(fd, buf + end, cap - end);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			die(argv[1], strerror(errno));
		eof = n == 0;
		end += (size_t)n;
	}
	printf("%ld lines, %ld tokens\n", lines, tokens);
	free(buf);
	free(tok);
	close(fd);
	return 0;
}
