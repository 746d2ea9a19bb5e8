/* fuzz_note.c: feeds arbitrary bytes to the signed-note, checkpoint, key, request and proof parsers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/note.h"
#include "core/proof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The published example key of the reference implementation: any valid key will do. */
#define VKEY "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct note_key k, v;
	struct note n;
	struct note_checkpoint c;
	struct proof_request req;
	struct proof_inclusion_result res;
	char *cause = NULL;

	if (note_parse(text, size, &n, &cause) == 0) {
		if (note_checkpoint_parse(n.text, n.len, &c, &cause) == 0)
			note_checkpoint_free(&c);
		note_free(&n);
	}
	free(cause);
	cause = NULL;
	if (note_vkey_parse(text, size, &k, &cause) == 0)
		note_key_free(&k);
	free(cause);
	cause = NULL;
	if (proof_request_parse(text, size, &req, &cause) == 0 && req.note_len > 0 &&
	    note_parse(req.note, req.note_len, &n, &cause) == 0)
		note_free(&n);
	free(cause);
	cause = NULL;
	if (note_vkey_parse(VKEY, strlen(VKEY), &v, &cause) == 0) {
		if (proof_check_inclusion(text, size, &v, &res, &cause) == 0)
			proof_inclusion_result_free(&res);
		note_key_free(&v);
	}
	free(cause);
	return 0;
}
