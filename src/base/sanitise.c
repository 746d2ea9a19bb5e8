/* sanitise.c: validates UTF-8 and replaces control, escape and bidi characters with '?'. */
#include "base/sanitise.h"

#include "base/util.h"

#include <stdint.h>
#include <string.h>

/* Characters a terminal would act on or that reorder the text around them. */
int
sanitise_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	    cp == 0x200e || cp == 0x200f || cp == 0x2028 || cp == 0x2029 ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t
sanitise_text(const char *in, size_t len, char *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, o = 0;

	if (outsz == 0)
		return 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (n == 0 || sanitise_unsafe(cp)) {
			if (o + 1 >= outsz)
				break;
			out[o++] = '?';
			i += n == 0 ? 1 : n;
			continue;
		}
		if (o + n >= outsz)
			break;
		memcpy(out + o, p + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	return o;
}

int
sanitise_is_clean(const char *in, size_t len)
{
	const unsigned char *p = (const unsigned char *)in;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (n == 0 || sanitise_unsafe(cp))
			return 0;
		i += n;
	}
	return 1;
}

char *
sanitise_dup(const char *s)
{
	size_t len = strlen(s);
	char *out = xmalloc(len + 1);	/* a '?' is never longer than what it replaces */

	sanitise_text(s, len, out, len + 1);
	return out;
}
