/* record.h: one decision-log record, its canonical binary form and its JSON export. */
#ifndef FD_RECORD_H
#define FD_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "base/digest.h"
#include "base/names.h"
#include "base/time.h"	/* record times: UTC seconds, format_utc, parse_utc */
#include "base/util.h"

/*
 * 1: decisions only; 2 adds the kinds from KIND_PUBLISH on and the subject
 * string; 3 adds the level of need found, apart from the recommended route's
 */
#define RECORD_VERSION 3
#define RECORD_NONE 0xff	/* no route or level */
#define RECORD_CASE_ID_MAX CASE_ID_MAX
/* The engine named in every record (and so hashed into it). */
#define RECORD_ENGINE "frontdoor " FD_VERSION

enum record_kind {
	KIND_ROUTE,		/* the engine's recommendation accepted */
	KIND_OVERRIDE,		/* a different final route, with a rationale */
	KIND_OUTCOME,		/* a coded outcome: a closure, or progress (with a route) */
	KIND_STEP_UP,		/* early help to the MASH */
	KIND_STEP_DOWN,		/* social care to targeted early help */
	KIND_SIGN_OFF,		/* a manager approves (or returns) a decision */
	KIND_CORRECTION,	/* points at a record it corrects; nothing is edited */
	KIND_PUBLISH,		/* a rule set put in force (version 2 on) */
	KIND_GRANT,		/* a user given a role (version 2 on) */
	KIND_REVOKE,		/* a user's role taken away (version 2 on) */
	KIND_COUNT
};

/* Bytes inside an encoded record or a caller's buffer; not NUL-terminated. */
struct rbytes {
	const char *p;
	size_t n;
};

struct record {
	uint64_t seq;
	int64_t time;		/* seconds since 1970, UTC */
	enum record_kind kind;
	int rec_route, rec_level;	/* the engine's recommendation, or RECORD_NONE */
	int route, level;	/* the final route, or RECORD_NONE */
	int need_level;		/* the level of need the recommendation found, or
				   RECORD_NONE; before version 3, rec_level */
	uint64_t ref;		/* the record this one refers to, or 0 */
	int has_ruleset;
	unsigned char ruleset[DIGEST_LEN];
	struct rbytes actor, role, case_id, engine, rule, rationale, outcome;
	struct rbytes facts;	/* the exact case JSON evaluated */
	struct rbytes detail;	/* a JSON object: urgency, trace, feedback ... */
	struct rbytes subject;	/* the user a grant or removal names (version 2 on) */
	int version;		/* of the bytes decoded; record_encode writes RECORD_VERSION
				   when it is 0 (a decoded record encodes as it was) */
	unsigned char prev[DIGEST_LEN];
	unsigned char hash[DIGEST_LEN];
};

const char *record_kind_name(enum record_kind k);
/* Whether the kind is about a case (a decision), not about who may act or which rules. */
int record_kind_is_decision(enum record_kind k);
int record_kind_parse(const char *s);

/* Appends the canonical bytes and sets r->hash (over everything before it). */
void record_encode(struct record *r, struct buf *out);
/*
 * Decodes bytes (bounds-checked; strings point into them). Does not check the
 * hash: see record_hash_ok. Returns -1 with a cause for damaged bytes.
 */
int record_decode(const void *data, size_t len, struct record *r, char **cause);
/* Whether the stored hash is the SHA-256 of the bytes before it. */
int record_hash_ok(const void *data, size_t len);
/* The record as one JSON object (no newline); facts and detail embedded as JSON. */
void record_to_json(const struct record *r, struct buf *out);

#endif
