/* match.h: finding a child among every case, open and closed, by name, date of birth and NHS number. */
#ifndef FD_MATCH_H
#define FD_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "base/names.h"
#include "store/people.h"
#include "store/record.h"
#include "store/store.h"

#define MATCH_MAX 20		/* likely matches returned at most */
#define MATCH_CONTACTS 3	/* each one's latest contacts and outcomes shown */

/* What the officer typed; NULL or "" where nothing was. */
struct match_query {
	const char *name;
	const char *dob;		/* YYYY-MM-DD or DD/MM/YYYY */
	const char *nhs;		/* ten digits, spaced as people write them */
	const char *district;
	const char *case_id;		/* an id typed: that case is listed first */
};

/* Why a case was found (bits). */
enum {
	MATCH_ID = 1,			/* the case id typed */
	MATCH_NHS = 2,			/* the same NHS number */
	MATCH_DOB = 4,			/* the same date of birth */
	MATCH_NAME = 8,			/* every word of the name typed, exactly */
	MATCH_NAME_NEAR = 16,		/* every word, some a letter out or the start of a longer one */
	MATCH_NAME_PART = 32,		/* some of the words */
	MATCH_DISTRICT = 64,		/* the same district */
};

/* One of a case's latest records. */
struct match_contact {
	uint64_t seq;
	int64_t time;
	enum record_kind kind;
	int route;			/* final route, or RECORD_NONE */
	char outcome[40];		/* an outcome's code, sanitised, or "" */
};

/* A likely match: the case, what its contact said of the child, and why it was found. */
struct match_result {
	char case_id[CASE_ID_MAX + 1];	/* sanitised for the screen */
	char name[96];			/* child.name of the contact that matched, sanitised */
	char dob[11];
	char district[64];
	char received[32];		/* when that contact was received (UTC), or "" */
	int open;
	int route, level;		/* the case's latest final route, or RECORD_NONE */
	uint32_t contacts;
	uint64_t last_seq;
	int score;
	unsigned why;
	size_t ncontacts;
	struct match_contact last[MATCH_CONTACTS];	/* newest first */
};

/*
 * The cases most likely to be the child q describes, best first, at most
 * max (<= MATCH_MAX): a case is likely when its NHS number is the one typed,
 * or every word of the name typed is a word of its child's name (each exactly,
 * or one letter inserted, left out or changed for words of four letters or
 * more, or the start of a longer word for words of three or more), or its date of birth is the one typed and (if a name was typed) at
 * least one word of the name matches. Ranked by NHS number, date of birth,
 * name (exact words before near ones), district, then the newest contact.
 * Reads the person index (people.h): a few lookups per word typed.
 */
int match_find(struct store *s, const struct match_query *q, struct match_result *out,
    size_t max, size_t *n, char **cause);
/* The reasons in words ("NHS number, date of birth, name"), into out. */
void match_why_text(unsigned why, char *out, size_t outsz);
/*
 * Splits one line of search text into a query: a date (YYYY-MM-DD or
 * DD/MM/YYYY) is the date of birth, ten digits (spaced or not) the NHS
 * number, a word with a digit a case id, the other words the name. The
 * query's strings point into buf, which must outlive it.
 */
void match_query_parse(const char *text, struct match_query *q, char *buf, size_t bufsz);

#endif
