/* sanitise.c: validates UTF-8 and replaces control, escape and bidi characters with '?'. */
#include "sanitise.h"

#include <stdint.h>
#include <string.h>

/* Decodes the UTF-8 sequence at p (n bytes left): its length, or 0 if it is invalid. */
static size_t
sanitise_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char c = p[0];
	size_t len;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, v = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, v = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, v = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[k] & 0x3f);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* Characters a terminal would act on or that reorder the text around them. */
static int
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
		size_t n = sanitise_decode(p + i, len - i, &cp);

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
		size_t n = sanitise_decode(p + i, len - i, &cp);

		if (n == 0 || sanitise_unsafe(cp))
			return 0;
		i += n;
	}
	return 1;
}
