/*
 * privsep_noleak.c: linked into the setgid test copy of frontdoor in sanitizer builds only.
 * LeakSanitizer stops the threads with ptrace, which the kernel refuses in a process whose
 * saved gid is not its real gid, and a setgid process ignores ASAN_OPTIONS: leaks are
 * checked on the same code by the other tests, without the setgid bit.
 */
const char *__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "detect_leaks=0";
}
