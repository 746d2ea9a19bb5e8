/* map.h: a small map from byte strings to 64-bit values, iterated in insertion order. */
#ifndef FD_MAP_H
#define FD_MAP_H

#include <stddef.h>
#include <stdint.h>

/* One entry: a copy of its key (NUL-terminated for convenience) and its value. */
struct map_entry {
	char *key;
	size_t len;
	int64_t val;
};

/*
 * Entries sit in insertion order; an open-addressing index of entry numbers
 * finds them. Where an entry sits depends only on the key's bytes, and the
 * entries' order only on the order they were added, never on memory layout.
 */
struct map {
	struct map_entry *entries;
	size_t n, ecap;
	uint32_t *index;	/* entry number + 1; 0: empty */
	size_t icap;		/* a power of two, or 0 */
};

void map_init(struct map *m);
void map_free(struct map *m);

/* The value for key, or NULL if absent. */
int64_t *map_get(const struct map *m, const void *key, size_t len);

/* The value for key, added as `init` if absent; *added says which. */
int64_t *map_put(struct map *m, const void *key, size_t len, int64_t init, int *added);

#endif
