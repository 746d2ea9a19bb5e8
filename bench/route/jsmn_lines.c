/* jsmn_lines.c: jsmn alone over a JSON Lines file, configured as frontdoor uses it: route-bench's floor. */
/*
 * Reads FILE through frontdoor's own line reader (src/lines.c), tokenises each
 * line with jsmn (non-strict, parent links, compiled static), and nothing else:
 * no validation, no routing, no output but a count. Timed as a whole process
 * beside `frontdoor route`, it shows how much of frontdoor's time is the JSON
 * library's own.
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

#include "base/lines.h"

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "jsmn_lines: %s: %s\n", what, why);
	exit(1);
}

/* Tokenises one line; returns its token count. */
static long
tokenise(const char *line, size_t len, jsmntok_t **tok, unsigned *cap, unsigned long lineno)
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
		fprintf(stderr, "jsmn_lines: line %lu: not JSON (jsmn %d)\n", lineno, n);
		exit(1);
	}
	return n;
}

int
main(int argc, char **argv)
{
	struct line_reader lr;
	unsigned tcap = 256;
	jsmntok_t *tok = malloc(tcap * sizeof *tok);
	const char *line;
	size_t len;
	long tokens = 0;
	int fd, got;

	if (argc != 2) {
		fprintf(stderr, "usage: jsmn_lines FILE\n");
		return 2;
	}
	if (tok == NULL)
		die("malloc", strerror(errno));
	if ((fd = open(argv[1], O_RDONLY)) < 0)
		die(argv[1], strerror(errno));
	lines_init(&lr, fd);
	while ((got = lines_next(&lr, &line, &len)) == 1)
		tokens += tokenise(line, len, &tok, &tcap, lr.lineno);
	if (got < 0)
		die(argv[1], strerror(errno));
	printf("%lu lines, %ld tokens\n", lr.lineno, tokens);
	lines_free(&lr);
	free(tok);
	close(fd);
	return 0;
}
