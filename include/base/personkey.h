/* personkey.h: names, dates of birth and NHS numbers folded into the keys a person is found by. */
#ifndef FD_PERSONKEY_H
#define FD_PERSONKEY_H

#include <stddef.h>

#define PERSONKEY_WORDS 8		/* words of a name kept; the rest are left out */
#define PERSONKEY_WORD_MAX 40		/* bytes of one folded word kept */
#define PERSONKEY_NHS_LEN 10

/*
 * A name as it is searched: its words folded (ASCII and Cyrillic lower case,
 * Latin accents and ligatures to plain letters, so "Renée" is "renee" and
 * "Æthel" "aethel"), apostrophes dropped inside a word ("O'Neil" is "oneil"),
 * every other space or punctuation a break between words; then sorted and
 * made unique, so that word order does not count.
 */
struct personkey {
	size_t nwords;
	char words[PERSONKEY_WORDS][PERSONKEY_WORD_MAX + 1];
};

/* Folds n bytes of UTF-8 (invalid bytes are breaks) into k. */
void personkey_name(const char *s, size_t n, struct personkey *k);
/* The words joined by single spaces ("oneil renee"), cut to fit outsz. */
void personkey_join(const struct personkey *k, char *out, size_t outsz);
/* Whether two folded names have the same words. */
int personkey_same(const struct personkey *a, const struct personkey *b);
/*
 * Whether a and b are at most one edit apart: one letter (byte) inserted,
 * deleted or replaced. 0 equal, 1 one edit, 2 more.
 */
int personkey_distance1(const char *a, size_t an, const char *b, size_t bn);
/*
 * An NHS number in out (10 digits and a NUL) from text with its digits
 * spaced or hyphenated as people write them ("943 476 5919"): 0, or -1 if
 * it is not ten digits.
 */
int personkey_nhs(const char *s, size_t n, char out[PERSONKEY_NHS_LEN + 1]);
/*
 * A date of birth as YYYY-MM-DD in out, from YYYY-MM-DD or DD/MM/YYYY (one
 * or two digit day and month): 0, or -1 if it is neither.
 */
int personkey_dob(const char *s, size_t n, char out[11]);
/* Whether ten digits pass the NHS number's modulus 11 check. */
int personkey_nhs_valid(const char digits[PERSONKEY_NHS_LEN]);

#endif
