/* cmd_admin.c: `frontdoor init`, `users`, the chain head of `checkpoint`, `rules publish|history|get`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "store/dlog.h"
#include "store/ledger.h"
#include "store/roles.h"
#include "store/rulestore.h"
#include "base/json.h"
#include "base/sanitise.h"
#include "core/proof.h"

static int cmd_init(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_users(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_rules_publish(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_rules_history(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_rules_get(struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_option init_option_table[] = {
	{ "rules", 'r', "FILE", CLI_OPT_SHORT }, { "origin", 'o', "NAME", 0 },
	{ NULL, 0, NULL, 0 },
};

const struct cli_command cmd_init_entry = {
	.name = "init",
	.usage = "[--rules FILE] [--origin NAME]",
	.summary = "create a database, publish the rules, make you its admin",
	.options = init_option_table,
	.flags = CLI_DB,
	.role = CLI_NO_ROLE,
	.exec = cmd_init,
};

const struct cli_command cmd_users_add_entry = {
	.name = "users add",
	.usage = "NAME ROLE",
	.summary = "give a user a role",
	.flags = CLI_DB,
	.role = ACT_USERS,
	.exec = cmd_users,
};

const struct cli_command cmd_users_remove_entry = {
	.name = "users remove",
	.usage = "NAME",
	.summary = "take a user's role away",
	.flags = CLI_DB,
	.role = ACT_USERS,
	.exec = cmd_users,
};

const struct cli_command cmd_users_list_entry = {
	.name = "users list",
	.usage = "",
	.summary = "list the users and their roles",
	.flags = CLI_DB,
	.role = ACT_USERS,
	.exec = cmd_users,
};

const struct cli_command cmd_rules_publish_entry = {
	.name = "rules publish",
	.usage = "FILE",
	.summary = "check a rule file and put it in force",
	.flags = CLI_DB,
	.role = ACT_PUBLISH,
	.exec = cmd_rules_publish,
};

const struct cli_command cmd_rules_history_entry = {
	.name = "rules history",
	.usage = "",
	.summary = "list the rule sets published, oldest first",
	.flags = CLI_DB,
	.role = ACT_RULES_HISTORY,
	.exec = cmd_rules_history,
};

const struct cli_command cmd_rules_get_entry = {
	.name = "rules get",
	.usage = "HASH",
	.summary = "write a stored rule set's exact bytes to stdout",
	.flags = CLI_DB,
	.role = ACT_RULES_HISTORY,
	.exec = cmd_rules_get,
};

/* Creates missing parent directories of a new database (like mkdir -p). */
static int
make_parents(const char *dir, char **cause)
{
	char *copy = xstrdup(dir);

	for (char *p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
			*cause = xasprintf("cannot create %s: %s", copy, strerror(errno));
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	return 0;
}

struct init_arg {
	const char *text;
	size_t len;
	const char *admin;
	struct publication pub;
};

static int
init_txn(struct store_txn *t, void *argp)
{
	struct init_arg *a = argp;
	struct ledger_actor who = { a->admin, role_name(ROLE_ADMIN), (int64_t)time(NULL) };
	struct dlog_head head;

	if (dlog_head(t, &head) < 0 ||
	    ledger_publish(t, &head, &who, a->text, a->len, &a->pub) < 0)
		return -1;
	return ledger_grant(t, &head, &who, a->admin, ROLE_ADMIN);
}

/* Says what init made; the names come from the command line or the system, so sanitised. */
static void
init_report(const char *dir, const char *hex, const char *rules, const char *user)
{
	char *d = sanitise_dup(dir), *r = sanitise_dup(rules), *u = sanitise_dup(user);

	printf("created %s\n  rules in force: sha256:%s (%s)\n  admin: %s\n", d, hex, r, u);
	free(d);
	free(r);
	free(u);
}

static int
cmd_init(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_parse p;
	struct store_opts sopts = { 1, 0, 0 };
	const char *rules = NULL, *origin = NULL;
	struct buf vkey;
	struct init_arg a = { 0 };
	struct ruleset *rs;
	struct store *s = NULL;
	char *dir = NULL, *user = NULL, *cause = NULL, *text = NULL;
	char hex[65];
	int ch, rc = EXIT_USAGE;

	cli_parse_init(&p, &cmd_init_entry, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1) {
		if (ch == '?')
			return EXIT_USAGE;
		if (ch == 'r')
			rules = optarg;
		else
			origin = optarg;
	}
	if (optind != argc)
		return cli_usage_error(&cmd_init_entry, "takes no operands");
	if (rules == NULL)
		rules = app_default_rules();
	rs = cli_load_rules(rules, 0);
	if (rs == NULL)
		return EXIT_USAGE;
	rules_free(rs);
	buf_init(&vkey);
	if (app_database(ctx, APP_CREATE, &dir, &cause) < 0 ||
	    identity_current(ctx->as_user, &user, &cause) < 0 ||
	    read_file(rules, RULES_MAX_FILE, &text, &a.len, &cause) < 0 ||
	    make_parents(dir, &cause) < 0 || store_open(&s, dir, &sopts, &cause) < 0)
		goto out;
	a.text = text;
	a.admin = user;
	if (store_write(s, init_txn, &a, &cause) < 0 ||
	    proof_key_create(s, origin, &vkey, &cause) < 0)
		goto out;
	digest_hex(a.pub.hash, hex);
	init_report(dir, hex, rules, user);
	printf("  checkpoint key: %s\n", vkey.data);
	rc = EXIT_OK;
out:
	if (cause != NULL)
		rc = cli_fail("init", cause, EXIT_PROBLEM);
	store_close(s);
	buf_free(&vkey);
	free(text);
	free(user);
	free(dir);
	return rc;
}

/* ---- users ---- */

struct users_arg {
	const char *actor;
	const char *name;
	int role;		/* -1: remove */
};

static int
count_admins(struct store_txn *t, size_t *n)
{
	struct store_cursor *c;
	struct store_val k, v;
	int rc;

	*n = 0;
	if (store_cursor_open(t, TABLE_USERS, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		enum role r;
		uint64_t seq;

		*n += roles_decode(&v, &r, &seq) == 0 && r == ROLE_ADMIN;
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

static int
users_change(struct store_txn *t, void *argp)
{
	struct users_arg *a = argp;
	struct ledger_actor who = { a->actor, NULL, (int64_t)time(NULL) };
	struct dlog_head head;
	enum role old, mine;
	size_t admins;
	int had;

	if (roles_require(t, a->actor, ACT_USERS, &mine) < 0)
		return -1;
	who.role = role_name(mine);
	had = roles_get(t, a->name, &old);
	if (had < 0)
		return -1;
	if (had == 0 && old == ROLE_ADMIN && a->role != ROLE_ADMIN) {
		if (count_admins(t, &admins) < 0)
			return -1;
		if (admins <= 1)
			return store_fail(t, "refused: %s is the last admin", a->name);
	}
	if (dlog_head(t, &head) < 0)
		return -1;
	return ledger_grant(t, &head, &who, a->name, a->role);
}

/* One user a line: name, role, and the grant record that gave it, from the log. */
static int
print_user(struct store_txn *t, const struct store_val *k, const struct store_val *v)
{
	struct record r;
	enum role role;
	uint64_t seq;
	char *cause = NULL, when[32];

	if (roles_decode(v, &role, &seq) < 0)
		return store_fail(t, "damaged user entry");
	fput_sanitised(k->data, k->len, stdout);
	printf("\t%s", role_name(role));
	if (seq == 0) {
		printf("\tnot yet in the log\n");
		return 0;
	}
	if (dlog_get(t, seq, &r, &cause) != 0 || r.kind != KIND_GRANT) {
		free(cause);
		return store_fail(t, "the users table names a grant that is not in the log (run "
		    "frontdoor verify)");
	}
	format_utc(r.time, when);
	printf("\tseq %llu\t%s\tby ", (unsigned long long)seq, when);
	fput_sanitised(r.actor.p, r.actor.n, stdout);
	printf("%s\n", r.detail.n > 0 ? " (carried over at migration)" : "");
	return 0;
}

static int
users_list(struct store_txn *t, void *argp)
{
	struct store_cursor *c;
	struct store_val k, v;
	int rc;

	if (roles_require(t, argp, ACT_USERS, NULL) < 0)
		return -1;
	if (store_cursor_open(t, TABLE_USERS, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v))
		if (print_user(t, &k, &v) < 0) {
			rc = -1;
			break;
		}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* users add, remove and list: argv[0] says which. */
static int
cmd_users(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_command *cmd = strcmp(argv[0], "add") == 0 ? &cmd_users_add_entry :
	    strcmp(argv[0], "remove") == 0 ? &cmd_users_remove_entry : &cmd_users_list_entry;
	int want = cmd == &cmd_users_add_entry ? 2 : cmd == &cmd_users_remove_entry, first, rc;
	struct users_arg a = { NULL, NULL, -1 };
	struct store *s;
	char *user, *cause = NULL;

	first = cli_parse_operands(cmd, ctx, argc, argv, want, want, want == 2 ?
	    "expected a user name and a role" : want == 1 ? "expected a user name" :
	    "takes no operands");
	if (first < 0)
		return EXIT_USAGE;
	if (want >= 1)
		a.name = argv[first];
	if (want == 2 && (a.role = role_parse(argv[first + 1])) < 0)
		return cli_usage_error(cmd, "unknown role; roles are officer, early_help, manager, "
		    "auditor, admin");
	if (a.name != NULL && !roles_valid_user(a.name))
		return cli_usage_error(cmd, "not a valid user name");
	if (cli_open_acting(ctx, "users", a.name == NULL ? CLI_NO_ROLE : ACT_USERS, a.name == NULL,
	    &s, &user) < 0)
		return EXIT_PROBLEM;
	a.actor = user;
	if (a.name == NULL)
		rc = store_read(s, users_list, user, &cause);
	else
		rc = store_write(s, users_change, &a, &cause);
	store_close(s);
	free(user);
	if (rc < 0)
		return cli_fail("users", cause, EXIT_PROBLEM);
	return EXIT_OK;
}

/* ---- checkpoint ---- */

struct checkpoint_arg {
	const char *user;
	struct dlog_head head;
};

static int
checkpoint_txn(struct store_txn *t, void *argp)
{
	struct checkpoint_arg *a = argp;
	unsigned char key[8];

	if (roles_require(t, a->user, ACT_CHECKPOINT, NULL) < 0 || dlog_head(t, &a->head) < 0)
		return -1;
	store_put_u64(key, a->head.seq);
	return store_put(t, TABLE_CHECKPOINTS, key, 8, a->head.hash, DIGEST_LEN) < 0 ? -1 : 0;
}

/* Stores and prints the chain's head, SEQ:HASH (frontdoor checkpoint with no options). */
int
cli_checkpoint_head(struct cli_ctx *ctx)
{
	struct checkpoint_arg a;
	char hex[65];

	if (cli_db_run(ctx, "checkpoint", ACT_CHECKPOINT, 1, &a.user, checkpoint_txn, &a) != EXIT_OK)
		return EXIT_PROBLEM;
	digest_hex(a.head.hash, hex);
	printf("%llu:%s\n", (unsigned long long)a.head.seq, hex);
	return EXIT_OK;
}

/* ---- rules publish | history ---- */

struct publish_arg {
	const char *user;
	const char *text;
	size_t len;
	struct publication pub;
};

static int
publish_txn(struct store_txn *t, void *argp)
{
	struct publish_arg *a = argp;

	struct ledger_actor who = { a->user, NULL, (int64_t)time(NULL) };
	struct dlog_head head;
	enum role mine;

	if (roles_require(t, a->user, ACT_PUBLISH, &mine) < 0 || dlog_head(t, &head) < 0)
		return -1;
	who.role = role_name(mine);
	return ledger_publish(t, &head, &who, a->text, a->len, &a->pub);
}

static int
cmd_rules_publish(struct cli_ctx *ctx, int argc, char **argv)
{
	int first = cli_parse_operands(&cmd_rules_publish_entry, ctx, argc, argv, 1, 1,
	    "expected one rule file"), rc;
	struct publish_arg a = { 0 };
	struct ruleset *rs;
	struct store *s;
	char *user, *cause = NULL, *text = NULL, hex[65];

	if (first < 0)
		return EXIT_USAGE;
	rs = cli_load_rules(argv[first], 0);
	if (rs == NULL)
		return EXIT_PROBLEM;
	if (read_file(argv[first], RULES_MAX_FILE, &text, &a.len, &cause) < 0) {
		rules_free(rs);
		return cli_fail("rules publish", cause, EXIT_PROBLEM);
	}
	if (cli_open_acting(ctx, "rules publish", ACT_PUBLISH, 0, &s, &user) < 0) {
		rules_free(rs);
		free(text);
		return EXIT_PROBLEM;
	}
	a.user = user;
	a.text = text;
	rc = store_write(s, publish_txn, &a, &cause);
	store_close(s);
	free(user);
	free(text);
	if (rc < 0) {
		rules_free(rs);
		return cli_fail("rules publish", cause, EXIT_PROBLEM);
	}
	digest_hex(a.pub.hash, hex);
	printf("published %llu: sha256:%s (", (unsigned long long)a.pub.n, hex);
	fput_sanitised(rs->name, strlen(rs->name), stdout);
	putchar(' ');
	fput_sanitised(rs->version, strlen(rs->version), stdout);
	printf(")\n");
	rules_free(rs);
	return EXIT_OK;
}

/* A carried-over publication's detail: when and by whom the table said it was published. */
static void
print_carried(const struct record *r)
{
	struct json_doc d;
	char *cause = NULL, text[130];
	int at, by;

	json_doc_init(&d);
	printf("\tcarried over at migration (seq %llu", (unsigned long long)r->seq);
	if (json_parse(&d, r->detail.p, r->detail.n, &cause) == 0 &&
	    (at = json_object_get(&d, 0, "published")) > 0 &&
	    (by = json_object_get(&d, 0, "by")) > 0 && JSON_TOK_LEN(&d, at) < 64 &&
	    JSON_TOK_LEN(&d, by) < 64) {
		size_t n = json_unescape(&d, at, text);

		fputs("; the table said: published ", stdout);
		fput_sanitised(text, n, stdout);
		fputs(" by ", stdout);
		n = json_unescape(&d, by, text);
		fput_sanitised(text, n, stdout);
	}
	putchar(')');
	free(cause);
	json_doc_free(&d);
}

struct history {
	struct store_txn *t;
	struct record *v;
	size_t n;
	unsigned long bad;	/* publications whose rule set is missing or altered */
};

static int
collect_publication(const struct record *r, void *arg)
{
	struct history *h = arg;

	if (r->kind != KIND_PUBLISH)
		return 0;
	h->v = xreallocarray(h->v, h->n + 1, sizeof *h->v);
	h->v[h->n++] = *r;	/* its bytes stay in the transaction's pages */
	return 0;
}

/*
 * Starts a history line: number, time, digest and publisher. Returns how the
 * stored bytes stand (rulestore_get), or -1.
 */
static int
publication_start(struct store_txn *t, uint64_t n, int64_t time,
    const unsigned char hash[DIGEST_LEN], const char *actor, size_t alen)
{
	struct store_val v;
	char when[32], hex[65];
	int rc = rulestore_get(t, hash, &v);

	if (rc < 0)
		return -1;
	format_utc(time, when);
	digest_hex(hash, hex);
	printf("%llu\t%s\tsha256:%s\t", (unsigned long long)n, when, hex);
	fput_sanitised(actor, alen, stdout);
	return rc;
}

/* Ends a history line, marking a rule set whose stored bytes are gone or edited. */
static void
publication_end(int rc)
{
	printf("%s\n", rc == 1 ? "\tMISSING" : rc == RULESTORE_ALTERED ? "\tALTERED" : "");
}

/* One publication a line, oldest first, from the log. */
static int
print_publication(struct history *h, const struct record *r, uint64_t n)
{
	int rc = publication_start(h->t, n, r->time, r->ruleset, r->actor.p, r->actor.n);

	if (rc < 0)
		return -1;
	if (r->detail.n > 0)
		print_carried(r);
	publication_end(rc);
	if (rc != 0)
		h->bad++;
	return 0;
}

/* A database not yet migrated: its publications as the table holds them. */
static int
print_table_publication(const struct publication *p, void *arg)
{
	struct history *h = arg;
	int rc = publication_start(h->t, p->n, p->time, p->hash, p->actor,
	    strlen(p->actor));

	if (rc < 0)
		return -1;
	fputs("\tnot yet in the log", stdout);
	publication_end(rc);
	if (rc != 0)
		h->bad++;
	return 0;
}

static int
history_txn(struct store_txn *t, void *argp)
{
	const char **user = argp;
	struct history h = { t, NULL, 0, 0 };
	uint64_t last;
	int rc;

	if (roles_require(t, *user, ACT_RULES_HISTORY, NULL) < 0 ||
	    (rc = ledger_last(t, &last)) < 0)
		return -1;
	if (rc == 1)
		rc = rulestore_history(t, print_table_publication, &h);
	else
		rc = ledger_walk(t, collect_publication, &h);
	for (size_t i = h.n; rc == 0 && i > 0; i--)
		rc = print_publication(&h, &h.v[i - 1], h.n - i + 1);
	free(h.v);
	if (rc < 0)
		return -1;
	if (h.bad > 0)
		return store_fail(t, "%lu published rule set%s missing or altered (run frontdoor "
		    "verify)", h.bad, h.bad == 1 ? " is" : "s are");
	return 0;
}

/* ---- rules get ---- */

struct get_arg {
	const char *user;
	unsigned char hash[DIGEST_LEN];
	int altered;
};

/* Writes the stored bytes exactly as kept, so that they can be hashed outside. */
static int
get_txn(struct store_txn *t, void *argp)
{
	struct get_arg *a = argp;
	struct store_val v;
	int rc;

	if (roles_require(t, a->user, ACT_RULES_HISTORY, NULL) < 0)
		return -1;
	rc = rulestore_get(t, a->hash, &v);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return store_fail(t, "no rule set with that hash is stored in this database");
	a->altered = rc == RULESTORE_ALTERED;
	if (fwrite(v.data, 1, v.len, stdout) != v.len || fflush(stdout) != 0)
		return store_fail(t, "cannot write the rule set: %s", strerror(errno));
	return 0;
}

static int
cmd_rules_get(struct cli_ctx *ctx, int argc, char **argv)
{
	int first = cli_parse_operands(&cmd_rules_get_entry, ctx, argc, argv, 1, 1,
	    "expected one rule set's hash");
	struct get_arg a = { 0 };
	const char *hex;

	if (first < 0)
		return EXIT_USAGE;
	hex = argv[first];
	if (strncmp(hex, "sha256:", 7) == 0)
		hex += 7;
	if (strlen(hex) != 2 * DIGEST_LEN || digest_hex_decode(hex, a.hash) < 0)
		return cli_usage_error(&cmd_rules_get_entry, "HASH must be 64 hex digits, as rules "
		    "history prints them (sha256: in front is optional)");
	if (cli_db_run(ctx, "rules get", CLI_NO_ROLE, 0, &a.user, get_txn, &a) != EXIT_OK)
		return EXIT_PROBLEM;
	if (a.altered) {
		fprintf(stderr, "frontdoor rules get: these stored bytes have been altered: they no "
		    "longer hash to the name asked for\n");
		return EXIT_PROBLEM;
	}
	return EXIT_OK;
}

static int
cmd_rules_history(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *user;

	if (cli_parse_operands(&cmd_rules_history_entry, ctx, argc, argv, 0, 0,
	    "takes no operands") < 0)
		return EXIT_USAGE;
	return cli_db_run(ctx, "rules history", CLI_NO_ROLE, 0, &user, history_txn, &user);
}
