/* durable.h: what the durable-commit loops share: arguments, record bytes and the clock. */
#ifndef FD_BENCH_DURABLE_H
#define FD_BENCH_DURABLE_H

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* What every loop is told: where to write, how many records and how big each is. */
struct loop_args {
	const char *prog;
	const char *dir;	/* a fresh directory, created if missing */
	unsigned long n;	/* records */
	size_t size;		/* bytes per record */
	unsigned long per_commit;	/* records per durable commit: 1 unless a loop takes more */
};

static inline void
loop_die(const struct loop_args *a, const char *what, const char *why)
{
	fprintf(stderr, "%s: %s: %s\n", a->prog, what, why);
	exit(1);
}

/* Every loop starts from nothing: a store left by an earlier run would skew the timing. */
static inline void
loop_check_empty(const struct loop_args *a)
{
	DIR *d = opendir(a->dir);
	struct dirent *e;

	if (d == NULL)
		loop_die(a, a->dir, strerror(errno));
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			loop_die(a, a->dir, "not empty: give a fresh directory");
	closedir(d);
}

/*
 * Parses DIR N SIZE, and PER_COMMIT after them if the loop takes it (batched);
 * the directory is created (0700) if missing, and must be empty.
 */
static inline void
loop_parse_batched(struct loop_args *a, int argc, char **argv, int batched)
{
	char *end;

	a->prog = argv[0];
	a->per_commit = 1;
	if (argc != 4 && !(batched && argc == 5)) {
		fprintf(stderr, "usage: %s DIR RECORDS RECORD_BYTES%s\n", argv[0],
		    batched ? " [PER_COMMIT]" : "");
		exit(2);
	}
	if (argc == 5) {
		a->per_commit = strtoul(argv[4], &end, 10);
		if (*end != '\0' || argv[4][0] == '-' || a->per_commit == 0)
			loop_die(a, argv[4], "PER_COMMIT must be a positive integer");
	}
	a->dir = argv[1];
	a->n = strtoul(argv[2], &end, 10);
	if (*end != '\0' || argv[2][0] == '-' || a->n == 0)
		loop_die(a, argv[2], "RECORDS must be a positive integer");
	a->size = strtoul(argv[3], &end, 10);
	if (*end != '\0' || argv[3][0] == '-' || a->size < 16 || a->size > 1024 * 1024)
		loop_die(a, argv[3], "RECORD_BYTES must be 16 to 1048576");
	if (mkdir(a->dir, 0700) < 0 && errno != EEXIST)
		loop_die(a, a->dir, strerror(errno));
	loop_check_empty(a);
}

static inline void
loop_parse(struct loop_args *a, int argc, char **argv)
{
	loop_parse_batched(a, argc, argv, 0);
}

static inline void
put_be64(unsigned char out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		out[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

/* Record seq: its sequence number, then bytes from a xorshift stream (not compressible). */
static inline void
fill_record(unsigned char *rec, size_t size, uint64_t seq)
{
	uint64_t x = seq * 0x9e3779b97f4a7c15ULL + 1;

	put_be64(rec, seq);
	for (size_t i = 8; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		rec[i] = (unsigned char)(x >> 24);
	}
}

static inline double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The one line every loop prints: the driver script reads "commits/s" (or "records/s"). */
static inline void
loop_report(const struct loop_args *a, const char *what, double seconds)
{
	double rate = seconds > 0 ? (double)a->n / seconds : 0.0;

	if (a->per_commit == 1)
		printf("%s: %lu records of %zu bytes, one durable commit each, in %.6f s: "
		    "%.0f commits/s\n", what, a->n, a->size, seconds, rate);
	else
		printf("%s: %lu records of %zu bytes, %lu to a durable commit, in %.6f s: "
		    "%.0f records/s\n", what, a->n, a->size, a->per_commit, seconds, rate);
}

#endif
