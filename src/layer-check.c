/* layer-check.c: an empty program each layer is linked into whole, so an upward call fails to link. */
int
main(void)
{
	return 0;
}
