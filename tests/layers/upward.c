/* upward.c: a deliberate upward call, from the store into the rule language, that must not link. */
void rules_free(void *rs);
void layers_upward(void);

void
layers_upward(void)
{
	rules_free((void *)0);
}
