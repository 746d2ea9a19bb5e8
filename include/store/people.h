/* people.h: the person index: a contact's folded name words, date of birth and NHS number, to its case. */
#ifndef FD_PEOPLE_H
#define FD_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "base/personkey.h"
#include "store/dlog.h"
#include "store/record.h"
#include "store/store.h"

/*
 * Derived from the log like the cases table, and written in the same
 * transaction as each record. Every decision whose facts give the child's
 * name (child.name), date of birth (child.dob) or NHS number
 * (child.nhs_number) has one entry per key it gives:
 *
 *   tag, text, NUL, the record's 8-byte sequence  ->  its case id
 *
 * where the tag says what the text is: a folded name word (personkey.h),
 * the same word written backwards (so that a search can find the words
 * ending as a mistyped one does), a date of birth (YYYY-MM-DD) or an NHS
 * number (10 digits). Entries sort by text, so all the contacts with one
 * word or date are adjacent, newest last. The index holds personal data,
 * like the cases: it lives only in the database.
 */
enum people_tag {
	PEOPLE_WORD = 'w',
	PEOPLE_BACKWARD = 'r',
	PEOPLE_DOB = 'd',
	PEOPLE_NHS = 'h',
};

#define PEOPLE_KEY_MAX (1 + PERSONKEY_WORD_MAX + 1 + 8)
#define PEOPLE_KEYS_MAX (2 * PERSONKEY_WORDS + 2)

/* What a contact's facts say of the child, folded. */
struct people_facts {
	struct personkey name;
	char written[96];	/* the name as written, cut to fit */
	char dob[11];		/* YYYY-MM-DD, or "" */
	char nhs[PERSONKEY_NHS_LEN + 1];	/* or "" */
	char district[64];	/* as written (ASCII case aside), or "" */
	char received[32];	/* the contact's receipt time as written, or "" */
};

/* The index entries of one record. */
struct people_keys {
	size_t n;
	size_t len[PEOPLE_KEYS_MAX];
	unsigned char key[PEOPLE_KEYS_MAX][PEOPLE_KEY_MAX];
};

/* Reads the child's name, date of birth, NHS number and district from a case's facts (JSON). */
void people_facts_read(const char *facts, size_t n, struct people_facts *pf);
/* The entries record r gives (none for a record about no case, or without those facts). */
void people_record_keys(const struct record *r, struct people_keys *out);
/* Writes key tag, text, NUL, seq into out: its length. */
size_t people_key(unsigned char out[PEOPLE_KEY_MAX], int tag, const char *text, size_t n,
    uint64_t seq);
/* Splits a stored key: 0, or -1 if it is not one the index writes. */
int people_key_split(const struct store_val *k, int *tag, const char **text, size_t *n,
    uint64_t *seq);
/*
 * Adds record r (just appended after head) to the index, first bringing the
 * index up to the log inside this transaction if it is behind (a database
 * appended to by a version without it).
 */
int people_add(struct store_txn *t, struct dlog_head *head, const struct record *r);
/*
 * Builds the index of a database from before it, in transactions of a
 * bounded size; a no-op when it is current.
 */
int people_build(struct store *s, char **cause);
/* The newest record the index covers (0: none). */
int people_indexed(struct store_txn *t, uint64_t *upto);

#endif
