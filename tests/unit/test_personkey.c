/* test_personkey.c: name folding (case, accents, order, apostrophes), one-edit distance, dates, NHS numbers. */
#include "check.h"
#include "base/personkey.h"

static const char *
joined(const char *name)
{
	static char out[256];
	struct personkey k;

	personkey_name(name, strlen(name), &k);
	personkey_join(&k, out, sizeof out);
	return out;
}

static void
test_fold(void)
{
	CHECK_STR(joined("Ren\xc3\xa9""e O'Neil"), "oneil renee");
	CHECK_STR(joined("oneil renee"), "oneil renee");
	CHECK_STR(joined("O\xe2\x80\x99NEIL,  Ren\x65\xcc\x81""e"), "oneil renee");	/* ’ and a combining acute */
	CHECK_STR(joined("Zo\xc3\xab Bront\xc3\xab-Smith"), "bronte smith zoe");
	CHECK_STR(joined("\xc3\x86thel \xc5\x81ukasz Stra\xc3\x9f""e"), "aethel lukasz strasse");
	CHECK_STR(joined("\xd0\x9c\xd0\xb0\xd1\x80\xd0\xb8\xd1\x8f"), "\xd0\xbc\xd0\xb0\xd1\x80\xd0\xb8\xd1\x8f");
	CHECK_STR(joined("Jack jack JACK"), "jack");
	CHECK_STR(joined("  \t-- "), "");
	CHECK_STR(joined("Ann\xff" "a"), "a ann");	/* an invalid byte breaks the word */
}

static void
test_distance(void)
{
	CHECK_EQ(personkey_distance1("renee", 5, "renee", 5), 0);
	CHECK_EQ(personkey_distance1("renee", 5, "reene", 5), 2);	/* a swap is two edits */
	CHECK_EQ(personkey_distance1("renee", 5, "renea", 5), 1);
	CHECK_EQ(personkey_distance1("renee", 5, "rene", 4), 1);
	CHECK_EQ(personkey_distance1("rene", 4, "renee", 5), 1);
	CHECK_EQ(personkey_distance1("oneil", 5, "oneill", 6), 1);
	CHECK_EQ(personkey_distance1("oneil", 5, "xoneil", 6), 1);
	CHECK_EQ(personkey_distance1("oneil", 5, "neil", 4), 1);
	CHECK_EQ(personkey_distance1("oneil", 5, "oneilly", 7), 2);
	CHECK_EQ(personkey_distance1("smith", 5, "smyth", 5), 1);
	CHECK_EQ(personkey_distance1("smith", 5, "smote", 5), 2);
}

static void
test_dob_nhs(void)
{
	char d[11], n[PERSONKEY_NHS_LEN + 1];

	CHECK(personkey_dob("2019-05-14", 10, d) == 0 && strcmp(d, "2019-05-14") == 0);
	CHECK(personkey_dob("14/05/2019", 10, d) == 0 && strcmp(d, "2019-05-14") == 0);
	CHECK(personkey_dob("4/5/2019", 8, d) == 0 && strcmp(d, "2019-05-04") == 0);
	CHECK(personkey_dob("2019-13-01", 10, d) < 0);
	CHECK(personkey_dob("14/05/19", 8, d) < 0);
	CHECK(personkey_dob("renee", 5, d) < 0);
	CHECK(personkey_nhs("943 476 5919", 12, n) == 0 && strcmp(n, "9434765919") == 0);
	CHECK(personkey_nhs("943-476-5919", 12, n) == 0 && personkey_nhs_valid(n));
	CHECK(personkey_nhs("9434765918", 10, n) == 0 && !personkey_nhs_valid(n));
	CHECK(personkey_nhs("943476591", 9, n) < 0);
	CHECK(personkey_nhs("94347659190", 11, n) < 0);
	CHECK(personkey_nhs("943476591x", 10, n) < 0);
}

int
main(void)
{
	test_fold();
	test_distance();
	test_dob_nhs();
	return check_done();
}
