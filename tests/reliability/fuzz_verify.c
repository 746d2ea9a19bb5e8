/*
 * fuzz_verify.c: the verifier on a damaged log: a tiny database of three
 * decisions, built once, whose middle record is replaced by the fuzz bytes
 * (through the store API) before each run of verify_run. Any bytes other
 * than the original must be reported as at least one problem.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/dlog.h"
#include "store/ledger.h"
#include "rules/engine.h"
#include "core/rulesets.h"
#include "store/store.h"
#include "core/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TARGET_SEQ 3	/* the second decision, after the publication */

static const char rules_text[] =
    "frontdoor: 1\nname: fuzz-verify\nversion: \"1\"\n"
    "levels:\n"
    "  - {level: 1, name: U, route: universal}\n"
    "  - {level: 2, name: E, route: early_help_unit}\n"
    "  - {level: 3, name: T, route: targeted_early_help}\n"
    "  - {level: 4, name: M, route: mash}\n"
    "flags: {safeguarding: s}\n"
    "facts:\n"
    "  consent: {type: string, values: [given, refused, not_sought, not_required]}\n"
    "  child.age: {type: integer, min: 0, max: 25, required: false}\n"
    "indicators:\n"
    "  - {id: a.l2, domain: development, level: 2, text: t}\n"
    "  - {id: a.l3, domain: parenting, level: 3, text: t}\n"
    "  - {id: a.l4, domain: family_environment, level: 4, text: t, flags: [safeguarding]}\n"
    "rules:\n"
    "  - {id: s, when: {count: {flag: safeguarding}, at_least: 1}, route: mash, reason: r}\n"
    "  - {id: y, when: {all: [{fact: child.age, lt: 5}, {indicator: a.l3}]}, route: mash, reason: r}\n"
    "  - {id: t, when: {all: [{indicator: a.l3}, {fact: consent, eq: given}]}, route: targeted_early_help, reason: r}\n"
    "  - {id: e, when: {any: [{indicator: a.l2}, {indicator: a.l3}]}, route: early_help_unit, reason: r}\n"
    "  - {id: x, when: always, route: universal, reason: r}\n";

static const char *const cases[] = {
	"{\"case_id\":\"C-1\",\"consent\":\"given\",\"child\":{\"age\":9},\"indicators\":[\"a.l3\"]}",
	"{\"case_id\":\"C-2\",\"consent\":\"refused\",\"child\":{\"age\":3},\"indicators\":[\"a.l3\"]}",
	"{\"case_id\":\"C-3\",\"consent\":\"not_sought\",\"indicators\":[\"a.l2\",\"a.l4\"]}",
};

static struct store *db;
static struct ruleset_cache *rules_cache;	/* the harness never changes the rule set */
static char dir[256];
static unsigned char *original;
static size_t original_len;

static void
cleanup(void)
{
	char path[300];

	store_close(db);
	db = NULL;
	ruleset_cache_free(rules_cache);
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/lock.mdb", dir);
	unlink(path);
	rmdir(dir);
	free(original);
}

static void
die(const char *what, char *cause)
{
	fprintf(stderr, "fuzz_verify: %s: %s\n", what, cause != NULL ? cause : "?");
	abort();
}

/* Publishes the rule set and logs the three cases, as `route --record` would. */
static int
build_txn(struct store_txn *t, void *arg)
{
	const struct ruleset *rs = arg;
	struct publication pub;
	struct dlog_head head;
	struct case_facts cf;
	struct trace tr;
	struct buf detail, scratch;
	int rc = 0;

	struct ledger_actor admin = { "fuzz", "admin", 0 };

	if (dlog_head(t, &head) < 0 ||
	    ledger_publish(t, &head, &admin, rules_text, sizeof rules_text - 1, &pub) < 0)
		return -1;
	case_init(&cf, rs);
	trace_init(&tr);
	buf_init(&detail);
	buf_init(&scratch);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0] && rc == 0; i++) {
		struct decision d;
		struct record r;
		char *cause = NULL;

		if (case_parse(&cf, cases[i], strlen(cases[i]), &cause) < 0 ||
		    engine_decide(rs, &cf, &d, &tr) < 0)
			die("seed case", cause);
		buf_reset(&detail);
		engine_write_detail_json(&detail, rs, &cf, &d, &tr);
		memset(&r, 0, sizeof r);
		r.time = 1767225600 + (int64_t)i;
		r.kind = KIND_ROUTE;
		r.rec_route = r.route = (int)d.route;
		r.rec_level = r.level = d.level;
		r.need_level = d.need_level;
		r.has_ruleset = 1;
		digest_hex_decode(rs->hash, r.ruleset);
		r.actor = (struct rbytes){ "fuzz", 4 };
		r.role = (struct rbytes){ "officer", 7 };
		r.case_id = (struct rbytes){ cf.case_id, cf.case_id_len };
		r.engine = (struct rbytes){ RECORD_ENGINE, strlen(RECORD_ENGINE) };
		r.rule = (struct rbytes){ rs->rules[d.rule].id, strlen(rs->rules[d.rule].id) };
		r.facts = (struct rbytes){ cases[i], strlen(cases[i]) };
		r.detail = (struct rbytes){ detail.data, detail.len };
		rc = dlog_append(t, &head, &r, &scratch);
	}
	buf_free(&scratch);
	buf_free(&detail);
	trace_free(&tr);
	case_free(&cf);
	return rc;
}

static int
save_txn(struct store_txn *t, void *arg)
{
	unsigned char key[8];
	struct store_val v;

	(void)arg;
	store_put_u64(key, TARGET_SEQ);
	if (store_get(t, TABLE_LOG, key, 8, &v) != 0)
		return store_fail(t, "record %d is missing", TARGET_SEQ);
	original = malloc(v.len);
	memcpy(original, v.data, v.len);
	original_len = v.len;
	return 0;
}

struct bytes {
	const void *p;
	size_t n;
};

static int
put_txn(struct store_txn *t, void *arg)
{
	const struct bytes *b = arg;
	unsigned char key[8];

	store_put_u64(key, TARGET_SEQ);
	return store_put(t, TABLE_LOG, key, 8, b->p, b->n) < 0 ? -1 : 0;
}

static void
setup(void)
{
	struct store_opts opts = { 1, 0, 0 };
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	struct ruleset *rs;
	struct diag d;
	char *cause = NULL;

	snprintf(dir, sizeof dir, "%s/fd-fuzz-verify-XXXXXX", base != NULL ? base : "/tmp");
	if (mkdtemp(dir) == NULL || rmdir(dir) < 0)
		die("mkdtemp", NULL);
	if (store_open(&db, dir, &opts, &cause) < 0)
		die("store_open", cause);
	atexit(cleanup);
	rules_cache = ruleset_cache_new();
	diag_init(&d, "fuzz", rules_text, sizeof rules_text - 1);
	rs = rules_load_buffer(rules_text, sizeof rules_text - 1, &d);
	if (rs == NULL) {
		diag_print(&d, stderr);
		abort();
	}
	diag_free(&d);
	if (store_write(db, build_txn, rs, &cause) < 0)
		die("building the log", cause);
	rules_free(rs);
	if (store_read(db, save_txn, NULL, &cause) < 0)
		die("reading the log", cause);
	/* FUZZ_VERIFY_SEED=FILE writes the undamaged record, the best seed there is */
	if (getenv("FUZZ_VERIFY_SEED") != NULL) {
		FILE *fp = fopen(getenv("FUZZ_VERIFY_SEED"), "wb");

		if (fp == NULL || fwrite(original, 1, original_len, fp) != original_len ||
		    fclose(fp) != 0)
			die("writing the seed", NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct verify_opts o;
	struct verify_result res;
	struct bytes b = { data, size }, orig;
	char *cause = NULL;
	int same, rc;

	if (db == NULL)
		setup();
	if (store_write(db, put_txn, &b, &cause) < 0)
		die("writing the fuzz bytes", cause);
	memset(&o, 0, sizeof o);
	o.threads = 1;
	o.cache = rules_cache;
	rc = verify_run(db, &o, &res, &cause);
	if (rc < 0)
		die("verify_run could not read the log", cause);
	same = size == original_len && memcmp(data, original, size) == 0;
	if (res.records != 4 || (same ? res.nproblems != 0 : res.nproblems == 0)) {
		fprintf(stderr, "fuzz_verify: %zu bytes (%s the original): %lu records, %zu problems\n",
		    size, same ? "same as" : "unlike", res.records, res.nproblems);
		abort();
	}
	for (size_t i = 0; i < res.nproblems; i++)
		if (res.problems[i].text == NULL || (strncmp(res.problems[i].text, "seq ", 4) != 0 &&
		    strncmp(res.problems[i].text, "cases: ", 7) != 0))
			abort();	/* a record's problem, or the cases' counts it moved */
	verify_result_free(&res);
	orig.p = original;
	orig.n = original_len;
	if (store_write(db, put_txn, &orig, &cause) < 0)
		die("restoring the log", cause);
	return 0;
}
