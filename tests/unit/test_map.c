/* test_map.c: the small map: lookups, growth, binary keys, insertion order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/map.h"

static void
test_empty(void)
{
	struct map m;

	map_init(&m);
	CHECK(map_get(&m, "a", 1) == NULL);
	CHECK_EQ(m.n, 0);
	map_free(&m);
}

static void
test_put_and_get(void)
{
	struct map m;
	int added;
	int64_t *v;

	map_init(&m);
	v = map_put(&m, "case-1", 6, 7, &added);
	CHECK(added);
	CHECK_EQ(*v, 7);
	*v = 9;
	v = map_put(&m, "case-1", 6, 100, &added);
	CHECK(!added);
	CHECK_EQ(*v, 9);
	CHECK(map_get(&m, "case-1", 6) != NULL && *map_get(&m, "case-1", 6) == 9);
	CHECK(map_get(&m, "case-", 5) == NULL);
	CHECK(map_get(&m, "case-12", 7) == NULL);
	CHECK(map_get(&m, "", 0) == NULL);
	map_put(&m, "", 0, -1, &added);
	CHECK(added);
	CHECK(map_get(&m, "", 0) != NULL && *map_get(&m, "", 0) == -1);
	CHECK_EQ(m.n, 2);
	map_free(&m);
}

/* Keys are bytes, not C strings: an embedded NUL makes a different key. */
static void
test_binary_keys(void)
{
	struct map m;
	int added;

	map_init(&m);
	map_put(&m, "a\0b", 3, 1, &added);
	map_put(&m, "a\0c", 3, 2, &added);
	map_put(&m, "a", 1, 3, &added);
	CHECK_EQ(m.n, 3);
	CHECK_EQ(*map_get(&m, "a\0b", 3), 1);
	CHECK_EQ(*map_get(&m, "a\0c", 3), 2);
	CHECK_EQ(*map_get(&m, "a", 1), 3);
	map_free(&m);
}

/* Many keys force several regrowths; every value survives and order is insertion order. */
static void
test_growth_and_order(void)
{
	enum { N = 20000 };
	struct map m;
	char key[32];
	int added, ok = 1, order = 1;

	map_init(&m);
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof key, "k%d", (i * 7919) % N);
		map_put(&m, key, strlen(key), i, &added);
		ok &= added;
	}
	CHECK(ok);
	CHECK_EQ(m.n, N);
	CHECK(m.icap >= 2 * m.n);
	for (int i = 0; i < N; i++) {
		int64_t *v;

		snprintf(key, sizeof key, "k%d", (i * 7919) % N);
		v = map_get(&m, key, strlen(key));
		ok &= v != NULL && *v == i;
		order &= strcmp(m.entries[i].key, key) == 0 && m.entries[i].val == i;
	}
	CHECK(ok);
	CHECK(order);
	CHECK(map_get(&m, "k20000", 6) == NULL);
	map_free(&m);
	CHECK(m.entries == NULL && m.index == NULL && m.n == 0);
}

/* Two maps filled alike hold their entries alike, whatever the addresses. */
static void
test_deterministic(void)
{
	struct map a, b;
	char key[16], *junk[250];
	int added, same = 1;

	map_init(&a);
	map_init(&b);
	for (int i = 0; i < 500; i++) {
		snprintf(key, sizeof key, "%d", i % 300);
		map_put(&a, key, strlen(key), i, &added);
		if (i % 2 == 0)
			junk[i / 2] = malloc((size_t)i + 1);	/* b's blocks land elsewhere */
		map_put(&b, key, strlen(key), i, &added);
	}
	CHECK_EQ(a.n, 300);
	CHECK(a.n == b.n && a.icap == b.icap);
	for (size_t i = 0; i < a.n; i++)
		same &= strcmp(a.entries[i].key, b.entries[i].key) == 0 &&
		    a.entries[i].val == b.entries[i].val;
	CHECK(same && memcmp(a.index, b.index, a.icap * sizeof *a.index) == 0);
	map_free(&a);
	map_free(&b);
	for (int i = 0; i < 250; i++)
		free(junk[i]);
}

int
main(void)
{
	test_empty();
	test_put_and_get();
	test_binary_keys();
	test_growth_and_order();
	test_deterministic();
	return check_done();
}
