/*
 * test_cmdtable.c: the command table against itself, its usage lines and the manual:
 * every option a command takes is in its usage line, in the manual's synopsis of it
 * and in its description there, and every option the manual names is taken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"
#include "store/roles.h"

#define MAX_NAMES 64
#define MAX_BLOCKS 64
#define NAME_MAX_LEN 48

/* A set of option names: "--rules" or "-r". */
struct names {
	char v[MAX_NAMES][NAME_MAX_LEN];
	size_t n;
};

/* One command's place in the manual: its synopsis lines or its description. */
struct block {
	char cmd[NAME_MAX_LEN];
	struct names opts;
};

struct manual {
	struct block synopsis[MAX_BLOCKS], body[MAX_BLOCKS];
	size_t nsynopsis, nbody;
	struct names all;	/* every option named anywhere */
};

static int failures;

static void
fail(const char *fmt, const char *a, const char *b)
{
	printf("FAIL ");
	printf(fmt, a, b);
	printf("\n");
	failures++;
}

static int
names_has(const struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return 1;
	return 0;
}

static void
names_add(struct names *s, const char *name)
{
	if (names_has(s, name))
		return;
	if (s->n == MAX_NAMES)
		fatal("more than %d option names", MAX_NAMES);
	snprintf(s->v[s->n++], NAME_MAX_LEN, "%s", name);
}

/* Adds each option an mdoc line names with Fl: "--name" for "Fl -name", "-x" for "Fl x". */
static void
line_options(const char *line, struct names *into, struct names *all)
{
	for (const char *p = strstr(line, "Fl "); p != NULL; p = strstr(p + 3, "Fl ")) {
		char name[NAME_MAX_LEN];
		size_t n = strcspn(p + 3, " \t\n");

		if ((p != line && p[-1] != ' ' && p[-1] != '.') || n == 0 ||
		    n + 2 >= sizeof name || (n == 1 && p[3] == '-'))
			continue;
		snprintf(name, sizeof name, "-%.*s", (int)n, p + 3);
		if (name[1] != '-' && n != 1)
			continue;	/* not an option: "Fl" followed by a word */
		names_add(into, name);
		names_add(all, name);
	}
}

/* The block for cmd in v, added if new. */
static struct block *
block_for(struct block *v, size_t *n, const char *cmd)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(v[i].cmd, cmd) == 0)
			return &v[i];
	if (*n == MAX_BLOCKS)
		fatal("more than %d commands in the manual", MAX_BLOCKS);
	memset(&v[*n], 0, sizeof v[*n]);
	snprintf(v[*n].cmd, sizeof v[*n].cmd, "%s", cmd);
	return &v[(*n)++];
}

/* The command a ".Cm NAME" or ".Nm Cm NAME ..." line names: its words up to the first macro. */
static void
command_name(const char *p, char *out, size_t size)
{
	size_t n = 0;

	while (*p != '\0' && *p != '\n' && n + 1 < size) {
		size_t w = strcspn(p, " \n");

		if (w > 0 && p[0] >= 'A' && p[0] <= 'Z')
			break;	/* the next macro: Ar, Fl, Op */
		if (n > 0)
			out[n++] = ' ';
		n += (size_t)snprintf(out + n, size - n, "%.*s", (int)w, p);
		p += w;
		p += strspn(p, " ");
	}
	out[n < size ? n : size - 1] = '\0';
}

/*
 * Reads the manual: in SYNOPSIS, each ".Nm" starts a command's line and its
 * ".Cm" names it; elsewhere each ".It Nm Cm NAME" or ".Nm Cm NAME" starts a
 * command's description, which runs to the next one or the next section.
 */
static void
manual_read(const char *path, struct manual *m)
{
	FILE *fp = fopen(path, "r");
	char line[1024], section[64] = "";
	struct block *cur = NULL;
	int named = 1;

	if (fp == NULL)
		fatal("cannot open %s", path);
	memset(m, 0, sizeof *m);
	while (fgets(line, sizeof line, fp) != NULL) {
		char cmd[NAME_MAX_LEN];
		const char *start = strncmp(line, ".It Nm Cm ", 10) == 0 ? line + 10 :
		    strncmp(line, ".Nm Cm ", 7) == 0 ? line + 7 : NULL;

		if (strncmp(line, ".Sh ", 4) == 0 || strncmp(line, ".Ss ", 4) == 0) {
			if (line[2] == 'h')
				snprintf(section, sizeof section, "%s", line + 4);
			cur = NULL;
		}
		if (strcmp(section, "SYNOPSIS\n") == 0) {
			if (strcmp(line, ".Nm\n") == 0) {
				cur = NULL;
				named = 0;
			} else if (!named && strncmp(line, ".Cm ", 4) == 0) {
				command_name(line + 4, cmd, sizeof cmd);
				cur = block_for(m->synopsis, &m->nsynopsis, cmd);
				named = 1;
			}
			line_options(line, cur != NULL ? &cur->opts : &m->all, &m->all);
			continue;
		}
		if (start != NULL && strcmp(section, "DESCRIPTION\n") == 0) {
			command_name(start, cmd, sizeof cmd);
			cur = block_for(m->body, &m->nbody, cmd);
		}
		line_options(line, cur != NULL ? &cur->opts : &m->all, &m->all);
	}
	fclose(fp);
}

/* "--name" or "-x" for an option. */
static void
option_word(const struct cli_option *o, int short_form, char *out, size_t size)
{
	if (short_form)
		snprintf(out, size, "-%c", o->code);
	else
		snprintf(out, size, "--%s", o->name);
}

/* Whether usage holds word as a whole option: "--route" is not in "--routes". */
static const char *
usage_find(const char *usage, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(usage, word); p != NULL; p = strstr(p + 1, word))
		if ((p == usage || p[-1] == ' ' || p[-1] == '[' || p[-1] == '(') &&
		    strchr(" ])|", p[n]) != NULL)
			return p;
	return NULL;
}

/* The entry: codes, usage line and role hold together. */
static void
check_entry(const struct cli_command *c)
{
	char word[NAME_MAX_LEN];
	size_t n = 0;

	if (c->exec == NULL || c->summary == NULL || *c->summary == '\0' || c->usage == NULL)
		fail("%s: an entry needs a function, a summary and a usage%s", c->name, "");
	if (c->role != CLI_NO_ROLE && (c->role < 0 || c->role >= ACT_COUNT))
		fail("%s: role is not an action%s", c->name, "");
	if (c->role_when != NULL && c->role == CLI_NO_ROLE)
		fail("%s: says when it needs a role, but names none%s", c->name, "");
	for (const struct cli_option *o = c->options; o != NULL && o->name != NULL; o++, n++) {
		option_word(o, 0, word, sizeof word);
		if (o->code <= 0 || strchr("DA?:", o->code) != NULL)
			fail("%s: %s has a code the parser keeps for itself", c->name, word);
		for (const struct cli_option *q = c->options; q < o; q++)
			if (q->code == o->code && !((o->flags & CLI_OPT_ALIAS) && q == o - 1))
				fail("%s: %s shares its code with another option", c->name, word);
		if (o->flags & CLI_OPT_ALIAS) {
			if (o == c->options || o[-1].code != o->code)
				fail("%s: %s is an alias of no option before it", c->name, word);
			continue;
		}
		if (usage_find(c->usage, word) == NULL)
			fail("%s: %s is not in the usage line", c->name, word);
		snprintf(word + strlen(word), sizeof word - strlen(word), " %s",
		    o->arg != NULL ? o->arg : "");
		if (o->arg != NULL && strstr(c->usage, word) == NULL)
			fail("%s: the usage line does not show '%s'", c->name, word);
	}
	if (n + 2 > CLI_OPTIONS_MAX)
		fail("%s: more options than CLI_OPTIONS_MAX%s", c->name, "");
	for (const char *p = strstr(c->usage, "--"); p != NULL; p = strstr(p + 2, "--")) {
		const struct cli_option *o = c->options;
		size_t len = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");

		while (o != NULL && o->name != NULL &&
		    (strlen(o->name) != len || strncmp(o->name, p + 2, len) != 0))
			o++;
		snprintf(word, sizeof word, "%.*s", (int)len + 2, p);
		if (o == NULL || o->name == NULL || (o->flags & CLI_OPT_ALIAS))
			fail("%s: the usage line shows %s, which is not an option", c->name, word);
	}
}

/* Whether c takes the option word ("--rules", "-r"), --db and --as included. */
static int
takes(const struct cli_command *c, const char *word)
{
	char w[NAME_MAX_LEN];

	for (const struct cli_option *o = c->options; o != NULL && o->name != NULL; o++) {
		option_word(o, 0, w, sizeof w);
		if (strcmp(w, word) == 0)
			return 1;
		option_word(o, 1, w, sizeof w);
		if ((o->flags & CLI_OPT_SHORT) && strcmp(w, word) == 0)
			return 1;
	}
	return (c->flags & CLI_DB) && (strcmp(word, "--db") == 0 || strcmp(word, "--as") == 0);
}

/* The command and the manual agree on its options. */
static void
check_manual(const struct cli_command *c, struct manual *m)
{
	struct block *syn = block_for(m->synopsis, &m->nsynopsis, c->name);
	struct block *body = block_for(m->body, &m->nbody, c->name);
	char word[NAME_MAX_LEN];

	if (syn->opts.n == 0 && body->opts.n == 0 && c->options != NULL)
		fail("%s: not in the manual's synopsis or description%s", c->name, "");
	for (const struct cli_option *o = c->options; o != NULL && o->name != NULL; o++) {
		option_word(o, 0, word, sizeof word);
		if (!(o->flags & CLI_OPT_ALIAS) && !names_has(&syn->opts, word))
			fail("%s: %s is not in the manual's synopsis of it", c->name, word);
		if (!names_has(&body->opts, word))
			fail("%s: %s is not in the manual's description of it", c->name, word);
		option_word(o, 1, word, sizeof word);
		if ((o->flags & CLI_OPT_SHORT) && !names_has(&body->opts, word))
			fail("%s: %s is not in the manual's description of it", c->name, word);
	}
	for (size_t i = 0; i < syn->opts.n; i++)
		if (!takes(c, syn->opts.v[i]))
			fail("%s: the manual's synopsis shows %s, which it does not take", c->name,
			    syn->opts.v[i]);
}

/* The leaf command named name, or NULL. */
static const struct cli_command *
find_command(const char *name)
{
	for (const struct cli_command *const *t = cli_commands; *t != NULL; t++) {
		const struct cli_command *const *sub = (*t)->sub;

		for (const struct cli_command *const *c = sub != NULL ? sub : t; *c != NULL; c++) {
			if (strcmp((*c)->name, name) == 0)
				return *c;
			if (sub == NULL)
				break;
		}
	}
	return NULL;
}

/* Every option word the manual names is taken by some command or before the command. */
static void
check_manual_names(const struct manual *m)
{
	char word[NAME_MAX_LEN];
	int found;

	for (size_t i = 0; i < m->all.n; i++) {
		found = 0;
		for (const struct cli_option *o = cli_global_options; o->name != NULL; o++) {
			option_word(o, 0, word, sizeof word);
			found |= strcmp(word, m->all.v[i]) == 0;
			option_word(o, 1, word, sizeof word);
			found |= (o->flags & CLI_OPT_SHORT) && strcmp(word, m->all.v[i]) == 0;
		}
		for (size_t b = 0; b < m->nbody && !found; b++) {
			const struct cli_command *c = find_command(m->body[b].cmd);

			found = c != NULL && takes(c, m->all.v[i]);
		}
		for (size_t b = 0; b < m->nsynopsis && !found; b++) {
			const struct cli_command *c = find_command(m->synopsis[b].cmd);

			found = c != NULL && takes(c, m->all.v[i]);
		}
		if (!found)
			fail("the manual names %s, which no command takes%s", m->all.v[i], "");
	}
	for (size_t b = 0; b < m->nsynopsis; b++)
		if (find_command(m->synopsis[b].cmd) == NULL)
			fail("the manual's synopsis shows '%s', which is not a command%s",
			    m->synopsis[b].cmd, "");
	for (size_t b = 0; b < m->nbody; b++)
		if (find_command(m->body[b].cmd) == NULL)
			fail("the manual describes '%s', which is not a command%s", m->body[b].cmd, "");
}

int
main(int argc, char **argv)
{
	static struct manual m;
	size_t ncommands = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: test_cmdtable MANUAL\n");
		return 2;
	}
	manual_read(argv[1], &m);
	for (const struct cli_command *const *t = cli_commands; *t != NULL; t++) {
		const struct cli_command *const *sub = (*t)->sub;

		if (sub != NULL && ((*t)->exec != NULL || (*t)->options != NULL))
			fail("%s: a command with subcommands runs none itself%s", (*t)->name, "");
		for (const struct cli_command *const *c = sub != NULL ? sub : t; *c != NULL; c++) {
			check_entry(*c);
			check_manual(*c, &m);
			ncommands++;
			if (sub == NULL)
				break;
		}
	}
	check_manual_names(&m);
	printf("%zu commands, %zu option names in the manual: %d problem%s\n", ncommands,
	    m.all.n, failures, failures == 1 ? "" : "s");
	return failures > 0;
}
