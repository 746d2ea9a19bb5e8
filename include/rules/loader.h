/* loader.h: the rule loader's helpers, shared by the modules of the rules layer that read YAML. */
#ifndef FD_RULES_LOADER_H
#define FD_RULES_LOADER_H

#include "base/yamltree.h"
#include "rules/rules.h"

#define Y_ANY ((enum ynode_type)-1)

/* One key a mapping may hold: its expected node type and whether it must be there. */
struct field {
	const char *key;
	enum ynode_type type;
	int required;
};

struct loader {
	struct diag *d;
	struct ruleset *rs;
	int errors_before;	/* errors reported before this file */
};

void load_error(struct loader *L, const struct ynode *n, const char *code, const char *fmt, ...)
    FD_ATTR_PRINTF(4, 5);
/* Adds "did you mean 'x'?" to the last report when a candidate is close. */
void load_suggest(struct loader *L, const char *got, const char *const *cands, size_t n);
struct srcpos load_pos(const struct ynode *n);
/* Matches a mapping against a table of keys; the number of required keys missing. */
int load_fields(struct loader *L, const struct ynode *map, const char *what,
    const struct field *fields, size_t nfields, const struct ynode **out);
int load_expect(struct loader *L, const struct ynode *n, enum ynode_type t, const char *what);
/* Owned text of a scalar that is not a bare number, boolean or null; NULL if reported. */
char *load_text(struct loader *L, const struct ynode *n, const char *what, int allow_empty);
/* As load_text, warning when a ' #' comment cut the text. */
char *load_prose(struct loader *L, const struct ynode *n, const char *what, int allow_empty);
char *load_id(struct loader *L, const struct ynode *n, const char *what);
int load_bool(struct loader *L, const struct ynode *n, const char *what, int *out);

/* The council profile (council.c): after the facts, before anything typed against them. */
void council_load(struct loader *L, const struct ynode *map);
void council_free(struct ruleset *rs);
/* The council's outcome codes and step reasons (outcomes.c): key is "outcomes",
 * "step_up_reasons" or "step_down_reasons". */
void outcomes_load(struct loader *L, struct council *c, const char *key, const struct ynode *seq);
void outcomes_free(struct council *c);

#endif
