/* nhs.c: NHS numbers, ten digits whose last is a modulus 11 check digit. */
#include "base/nhs.h"

/*
 * The check digit of nine digits: each weighted 10 down to 2, the sum's
 * remainder by 11 taken from 11, 11 read as 0; 10 means no number has them.
 */
static int
nhs_check_digit(const char *d)
{
	int sum = 0, check;

	for (int i = 0; i < 9; i++)
		sum += (d[i] - '0') * (10 - i);
	check = 11 - sum % 11;
	return check == 11 ? 0 : check;
}

enum nhs_result
nhs_number_parse(const char *s, char out[11])
{
	int n = 0;

	out[0] = '\0';
	for (const char *p = s; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n == 10)
				return NHS_NOT_TEN_DIGITS;
			out[n++] = *p;
		} else if (*p != ' ' || n == 0 || p[1] == '\0' || p[1] == ' ') {
			return NHS_NOT_TEN_DIGITS;
		}
	}
	out[n] = '\0';
	if (n != 10)
		return NHS_NOT_TEN_DIGITS;
	if (nhs_check_digit(out) != out[9] - '0')
		return NHS_BAD_CHECK;
	return NHS_OK;
}
