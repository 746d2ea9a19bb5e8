/* cmd_route.c: `frontdoor route`: case JSON Lines in, decision JSON Lines out. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "engine.h"
#include "lines.h"

#define OUT_FLUSH (1024 * 1024)

static const struct cli_command route_cmd = {
	"route", "[--rules FILE] [--explain] [--strict] [FILE|-]", "", cmd_route
};

struct route_opts {
	const char *rules;
	const char *input;
	int explain;
	int strict;
};

struct route_counts {
	unsigned long routed, rejected;
};

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
flush_out(struct buf *out)
{
	int rc = write_all(STDOUT_FILENO, out->data, out->len);

	buf_reset(out);
	if (rc < 0)
		fprintf(stderr, "frontdoor route: cannot write the decisions: %s\n", strerror(errno));
	return rc;
}

static int
blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Routes every line; returns -1 on an output or input failure, 0 otherwise. */
static int
route_stream(const struct ruleset *rs, const struct route_opts *o, int fd,
    struct route_counts *counts)
{
	struct line_reader lr;
	struct case_facts cf;
	struct trace tr;
	struct buf out;
	const char *line;
	size_t len;
	int rc = 0, got;

	lines_init(&lr, fd);
	case_init(&cf, rs);
	trace_init(&tr);
	buf_init(&out);
	buf_reserve(&out, OUT_FLUSH + 4096);
	while ((got = lines_next(&lr, &line, &len)) == 1) {
		struct decision d;
		char *cause = NULL;

		if (blank(line, len))
			continue;
		if (case_parse(&cf, line, len, &cause) < 0 ||
		    engine_decide(rs, &cf, &d, o->explain ? &tr : NULL) < 0) {
			fprintf(stderr, "%s:%lu: rejected: %s\n", o->input, lr.lineno,
			    cause != NULL ? cause : "no rule matched");
			free(cause);
			counts->rejected++;
			if (o->strict)
				break;
			continue;
		}
		engine_write_json(&out, rs, &cf, &d, o->explain ? &tr : NULL);
		counts->routed++;
		if (out.len >= OUT_FLUSH && (rc = flush_out(&out)) < 0)
			break;
	}
	if (got < 0) {
		fprintf(stderr, "%s:%lu: cannot read: %s\n", o->input, lr.lineno + 1,
		    errno == EFBIG ? "line longer than 16 MiB" : strerror(errno));
		rc = -1;
	}
	if (rc == 0)
		rc = flush_out(&out);
	buf_free(&out);
	trace_free(&tr);
	case_free(&cf);
	lines_free(&lr);
	return rc;
}

static int
parse_route_opts(int argc, char **argv, struct route_opts *o)
{
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "explain", no_argument, NULL, 'e' },
		{ "strict", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof *o);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+r:es", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': o->rules = optarg; break;
		case 'e': o->explain = 1; break;
		case 's': o->strict = 1; break;
		default: return cli_usage_error(&route_cmd, "unknown option");
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(&route_cmd, "at most one input file");
	o->input = argc - optind == 1 ? argv[optind] : "-";
	if (o->rules == NULL)
		o->rules = cli_default_rules();
	return 0;
}

int
cmd_route(int argc, char **argv)
{
	struct route_counts counts = { 0, 0 };
	struct route_opts o;
	struct ruleset *rs;
	int fd, rc;

	if (parse_route_opts(argc, argv, &o) != 0)
		return EXIT_USAGE;
	rs = cli_load_rules(o.rules, 0);
	if (rs == NULL)
		return EXIT_USAGE;
	fd = strcmp(o.input, "-") == 0 ? STDIN_FILENO : open(o.input, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "frontdoor route: %s: %s\n", o.input, strerror(errno));
		rules_free(rs);
		return EXIT_USAGE;
	}
	if (strcmp(o.input, "-") == 0)
		o.input = "stdin";
	rc = route_stream(rs, &o, fd, &counts);
	if (fd != STDIN_FILENO)
		close(fd);
	fprintf(stderr, "frontdoor route: %lu routed, %lu rejected%s\n", counts.routed,
	    counts.rejected, o.strict && counts.rejected ? " (stopped at the first: --strict)" : "");
	rules_free(rs);
	if (rc < 0)
		return EXIT_SOFTWARE;
	return counts.rejected > 0 ? EXIT_PROBLEM : EXIT_OK;
}
