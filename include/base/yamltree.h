/* yamltree.h: a YAML document as a small positioned tree, with hostile input refused. */
#ifndef FD_YAMLTREE_H
#define FD_YAMLTREE_H

#include <stddef.h>

#include "base/diag.h"

#define YTREE_MAX_DEPTH 32
#define YTREE_MAX_SCALAR (64 * 1024)
#define YTREE_MAX_NODES 200000

enum ynode_type { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ynode_type type;
	int line, col;		/* 1-based position of the node's first character */
	char *str;		/* scalar text (NUL-terminated; may hold no NUL) */
	size_t len;
	int plain;		/* scalar written without quotes or block style */
	int comment_after;	/* plain scalar followed on its line by a '#' comment */
	struct ynode **items;	/* sequence items; for a map, key/value pairs */
	size_t n;		/* items; for a map, the number of pairs */
};

/* Keys and values of a map node. */
#define YMAP_KEY(m, i) ((m)->items[2 * (i)])
#define YMAP_VAL(m, i) ((m)->items[2 * (i) + 1])

/*
 * Parses one YAML document. Anchors, aliases, explicit tags, more than one
 * document, nesting deeper than YTREE_MAX_DEPTH, non-scalar or duplicate map
 * keys are errors. Returns the root, or NULL with errors reported in d.
 */
struct ynode *ytree_load(const char *text, size_t len, struct diag *d);
void ytree_free(struct ynode *n);
const char *ynode_type_name(enum ynode_type t);

#endif
