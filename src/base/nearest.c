/* nearest.c: edit distance between names, to suggest the one that was probably meant. */
#include "base/nearest.h"

#include <string.h>

#define NEAREST_MAX_LEN 64
#define NEAREST_LIMIT 3		/* suggestions are fewer edits than this */

static char
fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/*
 * Edit distance; any answer of limit or more is given as limit, found
 * without filling the whole table.
 */
static size_t
edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), prev[NEAREST_MAX_LEN + 1], cur[NEAREST_MAX_LEN + 1];

	if (la > NEAREST_MAX_LEN || lb > NEAREST_MAX_LEN || (la > lb ? la - lb : lb - la) >= limit)
		return limit;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t row_min;

		cur[0] = row_min = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (fold(a[i - 1]) != fold(b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (cur[j] < row_min)
				row_min = cur[j];
		}
		if (row_min >= limit)
			return limit;	/* no later row can come back under it */
		memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
	}
	return prev[lb] < limit ? prev[lb] : limit;
}

/* Whether cand begins with got, ignoring ASCII case. */
static int
begins_with(const char *cand, const char *got)
{
	size_t n = strlen(got);

	if (n < 3 || strlen(cand) <= n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (fold(cand[i]) != fold(got[i]))
			return 0;
	return 1;
}

const char *
nearest_name(const char *got, const char *const *cands, size_t n)
{
	const char *best = NULL, *prefixed = NULL;
	size_t bestd = NEAREST_LIMIT;

	for (size_t i = 0; i < n; i++) {
		size_t dist;

		if (cands[i] == NULL || cands[i][0] == '\0')
			continue;
		dist = edit_distance(got, cands[i], bestd);
		if (dist < bestd) {
			bestd = dist;
			best = cands[i];
		}
		if (prefixed == NULL && begins_with(cands[i], got))
			prefixed = cands[i];
	}
	return best != NULL ? best : prefixed;
}
