/*
 * corrupt.c: damages a real data.mdb thousands of times, one byte or one page at a
 * time, and runs verify, stats, log and rules history on each: none may crash, and
 * every damage that changes what LMDB reads must make verify fail.
 *
 * usage: corrupt [COUNT [SEED]]   (COUNT default 10000, or $FD_CORRUPT_COUNT)
 * With FD_CORRUPT_ONE=N, only the damaged copy a message named "seed N" is made again.
 * The database, a demo database of a few hundred decisions, is made in a new
 * directory under $TMPDIR and removed at the end.
 * Each command runs in-process in a forked child, exactly as main() would run it;
 * a child killed by a signal is a crash of the command's parent process.
 */
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-config.h"
#include "base/digest.h"
#include "cli/cli.h"
#include "core/app.h"
#include "core/demo.h"
#include "store/roles.h"
#include "store/store.h"

#define CONTACTS 150
#define NCMDS 4

static const char *const cmd_names[NCMDS] = { "verify", "stats", "log", "rules history" };

/* The result of one command on one copy of the file. */
struct outcome {
	int crashed;		/* killed by a signal */
	int code;
	unsigned char out[DIGEST_LEN];	/* SHA-256 of its standard output */
};

struct tally {
	unsigned long runs, changed, crashes, missed, silent, false_alarms;
	unsigned long silent_index;		/* rules history on a damaged publications index */
	unsigned long unverified;		/* only tables verify does not check changed */
	unsigned long unverified_by[TABLE_COUNT];
	unsigned long reported[NCMDS], kinds[6];
};

static unsigned long long
rng_next(unsigned long long *s)
{
	/* xorshift64*: reproducible from the seed on every platform */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static void
die(const char *what)
{
	fprintf(stderr, "corrupt: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Hashes what a memfd holds. */
static void
hash_fd(int fd, unsigned char out[DIGEST_LEN])
{
	struct stat st;
	void *p;

	if (fstat(fd, &st) < 0)
		die("fstat");
	if (st.st_size == 0) {
		digest_sha256("", 0, out);
		return;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	digest_sha256(p, (size_t)st.st_size, out);
	munmap(p, (size_t)st.st_size);
}

/* Runs one command as main() would, in a child, output to a memfd. */
static void
run_command(const char *dir, int which, struct outcome *o)
{
	char *argv[4][4] = {
		{ "verify", "--quiet", NULL, NULL },
		{ "stats", NULL, NULL, NULL },
		{ "log", NULL, NULL, NULL },
		{ "rules", "history", NULL, NULL },
	};
	int argc[4] = { 2, 1, 1, 2 };
	int fd = memfd_create("out", MFD_CLOEXEC), status;
	pid_t pid;

	if (fd < 0)
		die("memfd_create");
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		struct cli_ctx ctx;
		int null = open("/dev/null", O_WRONLY), rc;

		memset(&ctx, 0, sizeof ctx);
		ctx.db = dir;

		dup2(fd, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		rc = cli_run(&ctx, argc[which], argv[which]);
		fflush(stdout);
		_exit(rc);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	o->crashed = WIFSIGNALED(status);
	o->code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	hash_fd(fd, o->out);
	close(fd);
}

/* The tables whose damage verify must report: what it checks record by record. */
#define VERIFIED ((1u << TABLE_LOG) | (1u << TABLE_RULESETS) | (1u << TABLE_CHECKPOINTS) | \
    (1u << TABLE_TREE) | (1u << TABLE_CASES) | (1u << TABLE_QUEUE))
#define STRUCTURE (1u << TABLE_COUNT)	/* LMDB refuses or faults, or a table is gone */

/* Every table's keys and values as LMDB reads them, hashed table by table; 1 if LMDB refuses. */
static int
dump_child(const char *dir, unsigned char out[TABLE_COUNT][DIGEST_LEN])
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_cursor *c;
	MDB_val k, v;

	if (mdb_env_create(&env) || mdb_env_set_maxdbs(env, 64) ||
	    mdb_env_open(env, dir, MDB_RDONLY | MDB_NOLOCK, 0) ||
	    mdb_txn_begin(env, NULL, MDB_RDONLY, &txn))
		return 1;
	for (int i = 0; i < TABLE_COUNT; i++) {
		struct buf b;

		if (mdb_dbi_open(txn, store_table_name((enum store_table)i), 0, &dbi) ||
		    mdb_cursor_open(txn, dbi, &c))
			return 1;
		buf_init(&b);
		while (mdb_cursor_get(c, &k, &v, MDB_NEXT) == 0) {
			buf_add(&b, &k.mv_size, sizeof k.mv_size);
			buf_add(&b, k.mv_data, k.mv_size);
			buf_add(&b, &v.mv_size, sizeof v.mv_size);
			buf_add(&b, v.mv_data, v.mv_size);
		}
		digest_sha256(b.data != NULL ? b.data : "", b.len, out[i]);
		mdb_cursor_close(c);
	}
	return 0;
}

/* dump_child's hashes, in a child: 0 with them, else LMDB refused or faulted. */
static int
dump_hash(const char *dir, unsigned char got[TABLE_COUNT][DIGEST_LEN])
{
	int pipefd[2], status;
	size_t want = (size_t)TABLE_COUNT * DIGEST_LEN;
	pid_t pid;

	if (pipe(pipefd) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY), rc;

		dup2(null, STDERR_FILENO);	/* LMDB's assertion messages */
		rc = dump_child(dir, got);
		if (rc == 0 && write(pipefd[1], got, want) != (ssize_t)want)
			rc = 1;
		_exit(rc);
	}
	close(pipefd[1]);
	if (read(pipefd[0], got, want) != (ssize_t)want)
		memset(got, 0xff, want);
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

/* Which tables read differently after the damage (STRUCTURE if LMDB refuses or faults). */
static unsigned
content_changed(const char *dir, unsigned char base[TABLE_COUNT][DIGEST_LEN])
{
	unsigned char got[TABLE_COUNT][DIGEST_LEN];
	unsigned mask = 0;

	if (dump_hash(dir, got) != 0)
		return STRUCTURE;
	for (int i = 0; i < TABLE_COUNT; i++)
		if (memcmp(got[i], base[i], DIGEST_LEN) != 0)
			mask |= 1u << i;
	return mask;
}

/*
 * rules history reads the publications table, an index that is not in the
 * log's chain: a byte changed inside one of its values reads as another
 * publication, and nothing holds the true one to compare. Counted apart.
 */
static int
unchained_index(int which, unsigned changed)
{
	return which == 3 && changed == (1u << TABLE_PUBLISHED);
}

/* Damages the copy: kinds 0-1 one byte, 2-5 one page (zeros, noise, another page, its header). */
static int
damage(unsigned char *img, size_t len, size_t psize, unsigned long long *seed)
{
	int kind = (int)(rng_next(seed) % 8);
	size_t npages = len / psize, pg = rng_next(seed) % npages;
	unsigned char *p = img + pg * psize;

	if (kind < 4) {
		/* half of them among the page headers and node offsets LMDB trusts most */
		size_t off = kind < 2 ? rng_next(seed) % len : pg * psize + rng_next(seed) % 64;
		unsigned char v = (unsigned char)rng_next(seed);

		img[off] = v != img[off] ? v : (unsigned char)~v;
		return kind < 2 ? 0 : 1;
	}
	switch (kind) {
	case 4:
		memset(p, 0, psize);
		return 2;
	case 5:
		for (size_t i = 0; i < psize; i++)
			p[i] = (unsigned char)rng_next(seed);
		return 3;
	case 6: {
		size_t other = rng_next(seed) % npages;

		if (other == pg)
			other = (pg + 1) % npages;
		memcpy(p, img + other * psize, psize);
		return 4;
	}
	default:
		for (size_t i = 0; i < 16; i++)
			p[i] = (unsigned char)rng_next(seed);
		return 5;
	}
}

static void
write_file(const char *path, const unsigned char *img, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	if (fd < 0 || write(fd, img, len) != (ssize_t)len)
		die(path);
	close(fd);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	unsigned char *img;

	if (fd < 0 || fstat(fd, &st) < 0)
		die(path);
	*len = (size_t)st.st_size;
	img = xmalloc(*len);
	if (read(fd, img, *len) != (ssize_t)*len)
		die(path);
	close(fd);
	return img;
}

/* One damaged copy: every command, then what they should have said. */
static void
one_run(const char *dir, const char *data, const unsigned char *img, size_t len,
    unsigned char *work, unsigned long long seed, const struct outcome *base,
    unsigned char dump[TABLE_COUNT][DIGEST_LEN], struct tally *t, int verbose)
{
	struct outcome o[NCMDS];
	int kind;
	unsigned changed;

	unsigned long long seed0 = seed;

	memcpy(work, img, len);
	kind = damage(work, len, 4096, &seed);
	write_file(data, work, len);
	changed = content_changed(dir, dump);
	t->runs++;
	t->kinds[kind]++;
	t->changed += changed != 0;
	for (int i = 0; i < NCMDS; i++) {
		run_command(dir, i, &o[i]);
		if (o[i].crashed) {
			t->crashes++;
			printf("CRASH: seed %llu: %s killed by signal %d\n", seed0, cmd_names[i],
			    o[i].code - 128);
		}
		if (o[i].code != 0)
			t->reported[i]++;
		else if (memcmp(o[i].out, base[i].out, DIGEST_LEN) != 0 && unchained_index(i, changed))
			t->silent_index++;
		else if (memcmp(o[i].out, base[i].out, DIGEST_LEN) != 0) {
			t->silent++;
			printf("SILENT: seed %llu: %s succeeded with different output\n", seed0,
			    cmd_names[i]);
		}
	}
	if ((changed & (VERIFIED | STRUCTURE)) && o[0].code == 0) {
		t->missed++;
		printf("MISSED: seed %llu: LMDB reads a change (tables %#x), verify passed\n",
		    seed0, changed);
	} else if (changed && o[0].code == 0) {
		t->unverified++;
		for (int i = 0; i < TABLE_COUNT; i++)
			t->unverified_by[i] += (changed >> i) & 1;
	}
	if (!changed && o[0].code != 0)
		t->false_alarms++;
	if (verbose && t->runs % 1000 == 0)
		fprintf(stderr, "%lu runs\n", t->runs);
}

/* A new directory under $TMPDIR, or NULL. */
static char *
make_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/fdcorrupt.XXXXXX", tmp != NULL && *tmp != '\0' ? tmp : "/tmp");

	if (mkdtemp(dir) != NULL)
		return dir;
	free(dir);
	return NULL;
}

static void
remove_dir(char *dir)
{
	for (const char *const *f = (const char *const[]){ "data.mdb", "lock.mdb", "writer.lock",
	    NULL }; *f != NULL; f++) {
		char *p = xasprintf("%s/%s", dir, *f);

		unlink(p);
		free(p);
	}
	rmdir(dir);
	free(dir);
}

/* What every lane shares: the intact file and what the commands and LMDB make of it. */
struct job {
	const unsigned char *img;
	size_t len;
	unsigned long count;
	unsigned long long seed;
	unsigned long long one;		/* $FD_CORRUPT_ONE: only the copy a message named */
	struct outcome base[NCMDS];
	unsigned char dump[TABLE_COUNT][DIGEST_LEN];
};

/* Runs every lanes-th damaged copy, from the lane's own copy of the directory. */
static void
lane(struct job *j, int lanes, int me, struct tally *t)
{
	char *dir = make_dir(), *data;
	unsigned char *work = xmalloc(j->len);
	int fd;

	if (dir == NULL)
		die("mkdtemp");
	data = xasprintf("%s/data.mdb", dir);
	fd = open(data, O_WRONLY | O_CREAT | O_EXCL, 0660);
	if (fd < 0)
		die(data);
	close(fd);
	memset(t, 0, sizeof *t);
	for (unsigned long i = (unsigned long)me; i < j->count; i += (unsigned long)lanes) {
		/* each copy's damage depends on the seed and its number, not on the lanes */
		unsigned long long s = j->one ? j->one : j->seed ^ (0x9E3779B97F4A7C15ULL * (i + 1));

		one_run(dir, data, j->img, j->len, work, s, j->base, j->dump, t, me == 0 &&
		    j->count > 10000);
	}
	free(data);
	free(work);
	remove_dir(dir);
}

/* Runs the lanes in parallel, one a processor, and adds up their tallies. */
static void
run_lanes(struct job *j, struct tally *sum)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int lanes = ncpu > 1 ? (ncpu > 8 ? 8 : (int)ncpu) : 1, pipes[8];
	pid_t pids[8];

	memset(sum, 0, sizeof *sum);
	for (int l = 0; l < lanes; l++) {
		int fds[2];

		if (pipe(fds) < 0 || (pids[l] = fork()) < 0)
			die("fork");
		if (pids[l] == 0) {
			struct tally t;

			close(fds[0]);
			lane(j, lanes, l, &t);
			_exit(write(fds[1], &t, sizeof t) == sizeof t ? 0 : 1);
		}
		close(fds[1]);
		pipes[l] = fds[0];
	}
	for (int l = 0; l < lanes; l++) {
		struct tally t;
		int status;

		if (read(pipes[l], &t, sizeof t) != sizeof t)
			die("a lane ended early");
		close(pipes[l]);
		waitpid(pids[l], &status, 0);
		sum->runs += t.runs;
		sum->changed += t.changed;
		sum->crashes += t.crashes;
		sum->missed += t.missed;
		sum->silent += t.silent;
		sum->false_alarms += t.false_alarms;
		sum->silent_index += t.silent_index;
		sum->unverified += t.unverified;
		for (int i = 0; i < TABLE_COUNT; i++)
			sum->unverified_by[i] += t.unverified_by[i];
		for (int i = 0; i < NCMDS; i++)
			sum->reported[i] += t.reported[i];
		for (int i = 0; i < 6; i++)
			sum->kinds[i] += t.kinds[i];
	}
}

int
main(int argc, char **argv)
{
	const char *env = getenv("FD_CORRUPT_COUNT");
	static struct job j;
	struct tally t;
	unsigned char *img;
	char *data, *cause = NULL, *user = NULL, *dir = make_dir();
	int failed;

	memset(&j, 0, sizeof j);
	j.count = argc > 1 ? strtoul(argv[1], NULL, 10) : env != NULL ? strtoul(env, NULL, 10) :
	    10000;
	j.seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 20261203;
	if (j.count == 0 || j.seed == 0 || dir == NULL) {
		fprintf(stderr, "usage: corrupt [COUNT [SEED]] (both above 0; a writable $TMPDIR)\n");
		return 2;
	}
	if (getenv("FD_CORRUPT_ONE") != NULL) {
		j.one = strtoull(getenv("FD_CORRUPT_ONE"), NULL, 10);
		j.count = 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (identity_current(NULL, &user, &cause) < 0 ||
	    demo_create(dir, FD_SOURCE_RULES, user, CONTACTS, &cause) < 0) {
		fprintf(stderr, "corrupt: cannot make the database: %s\n", cause);
		return 1;
	}
	data = xasprintf("%s/data.mdb", dir);
	j.img = img = slurp(data, &j.len);
	for (int i = 0; i < NCMDS; i++) {
		run_command(dir, i, &j.base[i]);
		if (j.base[i].code != 0) {
			fprintf(stderr, "corrupt: %s fails on the intact database (%d)\n",
			    cmd_names[i], j.base[i].code);
			return 1;
		}
	}
	if (dump_hash(dir, j.dump) != 0) {
		fprintf(stderr, "corrupt: cannot dump the intact database\n");
		return 1;
	}
	run_lanes(&j, &t);
	printf("%lu damaged copies of a %zu-byte data.mdb (%zu pages): %lu one byte, %lu one "
	    "byte in a page's first 64, %lu pages zeroed, %lu filled with noise, %lu overwritten "
	    "by another page, %lu page headers scrambled\n", t.runs, j.len, j.len / 4096,
	    t.kinds[0], t.kinds[1], t.kinds[2], t.kinds[3], t.kinds[4], t.kinds[5]);
	printf("%lu changed what LMDB reads; verify reported %lu, stats %lu, log %lu, rules "
	    "history %lu (non-zero exit)\n", t.changed, t.reported[0], t.reported[1],
	    t.reported[2], t.reported[3]);
	printf("crashes %lu, changes verify missed %lu, successes with different output %lu, "
	    "verify failing on an unchanged reading %lu\n", t.crashes, t.missed, t.silent,
	    t.false_alarms);
	printf("changes only to tables verify does not check, record by record, with verify "
	    "passing: %lu (", t.unverified);
	for (int i = 0, first = 1; i < TABLE_COUNT; i++)
		if (t.unverified_by[i] > 0) {
			printf("%s%s %lu", first ? "" : ", ", store_table_name((enum store_table)i),
			    t.unverified_by[i]);
			first = 0;
		}
	printf(")\n");
	printf("rules history succeeding with different output on a damaged publications index "
	    "(not in the chain): %lu\n", t.silent_index);
	failed = t.crashes > 0 || t.missed > 0 || t.silent > 0 || t.runs != j.count;
	printf("%d passed, %d failed\n", failed ? 0 : 1, failed ? 1 : 0);
	remove_dir(dir);
	free(img);
	free(data);
	free(user);
	return failed ? 1 : 0;
}
