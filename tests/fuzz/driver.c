/*
 * driver.c: runs a fuzz harness without libFuzzer: every file of its seed
 * corpus, then a fixed number of deterministic mutations of them, so a plain
 * build still exercises the parser on hostile input in `meson test`.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct corpus {
	char **data;
	size_t *len;
	size_t n;
};

static void
load_corpus(const char *dir, struct corpus *c)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	if (n < 0) {
		perror(dir);
		exit(2);
	}
	for (int i = 0; i < n; i++) {
		char *path, *text, *cause;
		size_t len;

		if (names[i]->d_name[0] != '.') {
			path = xasprintf("%s/%s", dir, names[i]->d_name);
			if (read_file(path, 1 << 24, &text, &len, &cause) == 0) {
				c->data = xreallocarray(c->data, c->n + 1, sizeof *c->data);
				c->len = xreallocarray(c->len, c->n + 1, sizeof *c->len);
				c->data[c->n] = text;
				c->len[c->n++] = len;
			} else
				free(cause);
			free(path);
		}
		free(names[i]);
	}
	free(names);
}

/* xorshift64: the same mutations on every machine */
static uint64_t
next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t
mutate(char *buf, size_t len, size_t cap, uint64_t *rng)
{
	static const char *const tokens[] = { "{", "}", "[", "]", ":", ",", "\"", "\\u0000",
		"&a", "*a", "!!str", "- ", "\n  ", "null", "1e999", "-0", "\xff", "\xc3(" };
	int edits = 1 + (int)(next_random(rng) % 4);

	for (int e = 0; e < edits && len > 0; e++) {
		size_t at = next_random(rng) % len;
		const char *tok;
		size_t tl;

		switch (next_random(rng) % 4) {
		case 0:	/* flip a byte */
			buf[at] = (char)(next_random(rng) & 0xff);
			break;
		case 1:	/* delete a run */
			tl = 1 + next_random(rng) % 8;
			if (at + tl > len)
				tl = len - at;
			memmove(buf + at, buf + at + tl, len - at - tl);
			len -= tl;
			break;
		default: /* insert a token */
			tok = tokens[next_random(rng) % FD_ARRAY_LEN(tokens)];
			tl = strlen(tok);
			if (len + tl > cap)
				break;
			memmove(buf + at + tl, buf + at, len - at);
			memcpy(buf + at, tok, tl);
			len += tl;
			break;
		}
	}
	return len;
}

int
main(int argc, char **argv)
{
	struct corpus c = { NULL, NULL, 0 };
	uint64_t rng = 0x9e3779b97f4a7c15u;
	long runs;

	if (argc != 3) {
		fprintf(stderr, "usage: %s CORPUS_DIR RUNS\n", argv[0]);
		return 2;
	}
	load_corpus(argv[1], &c);
	runs = strtol(argv[2], NULL, 10);
	if (c.n == 0) {
		fprintf(stderr, "%s: empty corpus\n", argv[1]);
		return 2;
	}
	for (size_t i = 0; i < c.n; i++)
		LLVMFuzzerTestOneInput((const uint8_t *)c.data[i], c.len[i]);
	for (long r = 0; r < runs; r++) {
		size_t k = next_random(&rng) % c.n, cap = c.len[k] + 64, len;
		char *buf = xmalloc(cap);

		memcpy(buf, c.data[k], c.len[k]);
		len = mutate(buf, c.len[k], cap, &rng);
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		free(buf);
	}
	printf("%zu corpus files and %ld mutations: 1 passed, 0 failed\n", c.n, runs);
	for (size_t i = 0; i < c.n; i++)
		free(c.data[i]);
	free(c.data);
	free(c.len);
	return 0;
}
