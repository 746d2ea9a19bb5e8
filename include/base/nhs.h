/* nhs.h: NHS numbers, ten digits whose last is a modulus 11 check digit. */
#ifndef FD_NHS_H
#define FD_NHS_H

enum nhs_result {
	NHS_OK,
	NHS_NOT_TEN_DIGITS,	/* not ten digits, spaces between groups allowed */
	NHS_BAD_CHECK,		/* ten digits whose last does not check the others */
};

/*
 * Reads an NHS number as written, "943 476 5919" or "9434765919", into out
 * as its ten digits and a NUL. Spaces may only separate digits.
 */
enum nhs_result nhs_number_parse(const char *s, char out[11]);

#endif
