/* personkey.c: folds names into sorted plain words, and reads NHS numbers, for person search. */
#include "base/personkey.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* U+00C0..U+00FF: a plain letter, '#' for two letters, '_' for a break. */
static const char latin1[] = "aaaaaa#ceeeeiiiidnooooo_ouuuuy##aaaaaa#ceeeeiiiidnooooo_ouuuuy#y";
/* U+0100..U+017F (Latin Extended-A), upper and lower case alike; '#' for two letters. */
static const char latin_a[] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii##jjkkklllllllllln"
    "nnnnnnnnoooooo##rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* The two letters some letters fold to. */
static const char *
two_letters(uint32_t c)
{
	switch (c) {
	case 0xc6: case 0xe6: return "ae";
	case 0xde: case 0xfe: return "th";
	case 0xdf: return "ss";
	case 0x132: case 0x133: return "ij";
	case 0x152: case 0x153: return "oe";
	default: return NULL;
	}
}

/* Appends code point c as UTF-8 to out[*len] (room permitting). */
static void
utf8_put(char *out, size_t *len, uint32_t c)
{
	char b[4];
	size_t n = utf8_encode(c, b);

	if (*len + n > PERSONKEY_WORD_MAX)
		return;
	memcpy(out + *len, b, n);
	*len += n;
}

/* Whether c is left out without breaking the word: apostrophes and combining accents. */
static int
dropped(uint32_t c)
{
	return c == '\'' || c == '`' || c == 0xb4 || c == 0x2bc || c == 0x2018 || c == 0x2019 ||
	    (c >= 0x300 && c < 0x370);
}

/* Whether c breaks words: controls, spaces and punctuation, ASCII, Latin-1 and general. */
static int
breaks(uint32_t c)
{
	if (c < 0x80)
		return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
	return c < 0xc0 || c == 0xd7 || c == 0xf7 || (c >= 0x2000 && c < 0x2070) ||
	    c == 0x3000 || c == 0xfeff;
}

/* Appends c folded to the word being built. */
static void
fold_into(char *w, size_t *len, uint32_t c)
{
	const char *two;

	if (c < 0x80) {
		if (*len < PERSONKEY_WORD_MAX)
			w[(*len)++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		return;
	}
	if ((two = two_letters(c)) != NULL) {
		fold_into(w, len, (unsigned char)two[0]);
		fold_into(w, len, (unsigned char)two[1]);
		return;
	}
	if (c >= 0xc0 && c < 0x100) {
		fold_into(w, len, (unsigned char)latin1[c - 0xc0]);
		return;
	}
	if (c >= 0x100 && c < 0x180) {
		fold_into(w, len, (unsigned char)latin_a[c - 0x100]);
		return;
	}
	if (c >= 0x410 && c < 0x430)		/* Cyrillic capitals */
		c += 0x20;
	else if (c >= 0x400 && c < 0x410)
		c += 0x50;
	utf8_put(w, len, c);
}

static int
word_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Ends the word being built: kept if not empty and there is room. */
static void
end_word(struct personkey *k, char *w, size_t *len)
{
	if (*len > 0 && k->nwords < PERSONKEY_WORDS) {
		memcpy(k->words[k->nwords], w, *len);
		k->words[k->nwords++][*len] = '\0';
	}
	*len = 0;
}

void
personkey_name(const char *s, size_t n, struct personkey *k)
{
	const unsigned char *p = (const unsigned char *)s;
	char w[PERSONKEY_WORD_MAX + 1];
	size_t len = 0, i = 0, j;

	memset(k, 0, sizeof *k);
	while (i < n) {
		uint32_t c;
		size_t step = utf8_decode(p + i, n - i, &c);

		if (step == 0) {
			end_word(k, w, &len);
			i++;
			continue;
		}
		i += step;
		if (dropped(c))
			continue;
		if (breaks(c))
			end_word(k, w, &len);
		else
			fold_into(w, &len, c);
	}
	end_word(k, w, &len);
	qsort(k->words, k->nwords, sizeof k->words[0], word_cmp);
	for (i = j = 0; i < k->nwords; i++)
		if (j == 0 || strcmp(k->words[j - 1], k->words[i]) != 0)
			memmove(k->words[j++], k->words[i], sizeof k->words[0]);
	k->nwords = j;
}

void
personkey_join(const struct personkey *k, char *out, size_t outsz)
{
	size_t len = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < k->nwords; i++) {
		size_t wl = strlen(k->words[i]), sep = i > 0;

		if (len + sep + wl >= outsz)
			break;
		if (sep)
			out[len++] = ' ';
		memcpy(out + len, k->words[i], wl + 1);
		len += wl;
	}
}

int
personkey_same(const struct personkey *a, const struct personkey *b)
{
	if (a->nwords != b->nwords)
		return 0;
	for (size_t i = 0; i < a->nwords; i++)
		if (strcmp(a->words[i], b->words[i]) != 0)
			return 0;
	return 1;
}

int
personkey_distance1(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, ea, eb;

	if (an > bn + 1 || bn > an + 1)
		return 2;
	while (i < an && i < bn && a[i] == b[i])
		i++;
	if (i == an && i == bn)
		return 0;
	/* the one edit is at i: what follows must then be equal */
	ea = an > bn ? i + 1 : i;
	eb = bn > an ? i + 1 : i;
	if (an == bn)
		ea = eb = i + 1;
	if (an - ea != bn - eb)
		return 2;
	return memcmp(a + ea, b + eb, an - ea) == 0 ? 1 : 2;
}

int
personkey_nhs(const char *s, size_t n, char out[PERSONKEY_NHS_LEN + 1])
{
	size_t d = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (d == PERSONKEY_NHS_LEN)
				return -1;
			out[d++] = s[i];
		} else if (s[i] != ' ' && s[i] != '-')
			return -1;
	}
	out[d] = '\0';
	return d == PERSONKEY_NHS_LEN ? 0 : -1;
}

/* Reads 1 to max digits at s[*i]: the number, or -1. */
static int
digits(const char *s, size_t n, size_t *i, int min, int max)
{
	int v = 0, k = 0;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9' && k < max)
		v = v * 10 + (s[(*i)++] - '0'), k++;
	return k >= min ? v : -1;
}

int
personkey_dob(const char *s, size_t n, char out[11])
{
	size_t i = 0;
	int y, m, d;

	while (n > 0 && s[n - 1] == ' ')
		n--;
	while (i < n && s[i] == ' ')
		i++;
	if (n - i >= 5 && s[i + 4] == '-') {
		y = digits(s, n, &i, 4, 4);
		i++;
		m = digits(s, n, &i, 2, 2);
		if (i >= n || s[i++] != '-')
			return -1;
		d = digits(s, n, &i, 2, 2);
	} else {
		d = digits(s, n, &i, 1, 2);
		if (i >= n || s[i++] != '/')
			return -1;
		m = digits(s, n, &i, 1, 2);
		if (i >= n || s[i++] != '/')
			return -1;
		y = digits(s, n, &i, 4, 4);
	}
	if (i != n || y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return 0;
}

int
personkey_nhs_valid(const char digits[PERSONKEY_NHS_LEN])
{
	int sum = 0, check;

	for (int i = 0; i < 9; i++)
		sum += (digits[i] - '0') * (10 - i);
	check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	return check != 10 && check == digits[9] - '0';
}
