/* fuzz_record.c: feeds arbitrary bytes to the log record decoder, the hash check and the JSON export. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record r, again;
	struct buf out, enc;
	char *cause = NULL;
	int ok = record_hash_ok(data, size);

	if (record_decode(data, size, &r, &cause) < 0) {
		if (cause == NULL)
			abort();	/* a rejection always says why */
		free(cause);
		return 0;
	}
	if (cause != NULL)
		abort();
	buf_init(&out);
	record_to_json(&r, &out);
	if (out.len == 0 || out.data[0] != '{' || out.data[out.len - 1] != '}')
		abort();
	buf_free(&out);
	/*
	 * The encoding is canonical: encoding what was decoded gives the same
	 * bytes (a record without a rule set keeps zeros there), and a hash
	 * that checked out is the hash the encoder computes.
	 */
	if (r.has_ruleset || all_zero(data + 34, DIGEST_LEN)) {
		unsigned char stored[DIGEST_LEN];

		memcpy(stored, r.hash, DIGEST_LEN);
		buf_init(&enc);
		record_encode(&r, &enc);
		if (enc.len != size || memcmp(enc.data, data, size - DIGEST_LEN) != 0)
			abort();
		if (ok != (memcmp(stored, r.hash, DIGEST_LEN) == 0))
			abort();
		if (record_decode(enc.data, enc.len, &again, &cause) < 0 || !record_hash_ok(enc.data, enc.len))
			abort();
		buf_free(&enc);
	}
	return 0;
}
