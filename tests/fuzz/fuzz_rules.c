/* fuzz_rules.c: feeds arbitrary bytes to the rule loader and checker. */
#include <stddef.h>
#include <stdint.h>

#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	struct ruleset *rs;

	diag_init(&d, "fuzz.yaml", (const char *)data, size);
	rs = rules_load_buffer((const char *)data, size, &d);
	rules_free(rs);
	diag_free(&d);
	return 0;
}
