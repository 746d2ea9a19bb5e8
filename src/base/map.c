/* map.c: byte-string keys to 64-bit values: an insertion-ordered array under a linear-probe index. */
#include "base/map.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void
map_init(struct map *m)
{
	memset(m, 0, sizeof *m);
}

void
map_free(struct map *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->entries[i].key);
	free(m->entries);
	free(m->index);
	memset(m, 0, sizeof *m);
}

/* The index slot holding key, or the empty slot where it would go; icap > 0. */
static size_t
map_slot(const struct map *m, const void *key, size_t len)
{
	size_t i = (size_t)hash_fnv1a(key, len) & (m->icap - 1);
	const struct map_entry *e;

	while (m->index[i] != 0) {
		e = &m->entries[m->index[i] - 1];
		if (e->len == len && memcmp(e->key, key, len) == 0)
			break;
		i = (i + 1) & (m->icap - 1);
	}
	return i;
}

/* Doubles the index (kept at most half full) and places every entry again. */
static void
map_grow(struct map *m)
{
	free(m->index);
	m->icap = m->icap ? m->icap * 2 : 64;
	if (m->icap > UINT32_MAX)
		fatal("map: more than %u entries", (unsigned)(UINT32_MAX / 2));
	m->index = xcalloc(m->icap, sizeof *m->index);
	for (size_t i = 0; i < m->n; i++)
		m->index[map_slot(m, m->entries[i].key, m->entries[i].len)] = (uint32_t)i + 1;
}

int64_t *
map_get(const struct map *m, const void *key, size_t len)
{
	size_t i;

	if (m->icap == 0)
		return NULL;
	i = map_slot(m, key, len);
	return m->index[i] == 0 ? NULL : &m->entries[m->index[i] - 1].val;
}

int64_t *
map_put(struct map *m, const void *key, size_t len, int64_t init, int *added)
{
	struct map_entry *e;
	size_t i;

	if (2 * (m->n + 1) > m->icap)
		map_grow(m);
	i = map_slot(m, key, len);
	*added = m->index[i] == 0;
	if (!*added)
		return &m->entries[m->index[i] - 1].val;
	if (m->n == m->ecap) {
		m->ecap = m->ecap ? m->ecap * 2 : 32;
		m->entries = xreallocarray(m->entries, m->ecap, sizeof *m->entries);
	}
	e = &m->entries[m->n];
	e->key = xstrndup(key, len);
	e->len = len;
	e->val = init;
	m->index[i] = (uint32_t)++m->n;
	return &e->val;
}
