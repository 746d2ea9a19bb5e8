/* note.c: signed notes (c2sp.org/signed-note), cosignatures and checkpoints, with Ed25519 from libcrypto. */
#include "base/note.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/digest.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char em_dash[] = "\xe2\x80\x94 ";	/* U+2014 and a space: a signature line */

void
note_b64_encode(const void *in, size_t n, struct buf *out)
{
	const unsigned char *p = in;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_addc(out, b64[v >> 18 & 63]);
		buf_addc(out, b64[v >> 12 & 63]);
		buf_addc(out, i + 1 < n ? b64[v >> 6 & 63] : '=');
		buf_addc(out, i + 2 < n ? b64[v & 63] : '=');
	}
}

static int
b64_value(char c)
{
	const char *p = c != '\0' ? strchr(b64, c) : NULL;

	return p != NULL ? (int)(p - b64) : -1;
}

/* Decodes padded base64, refusing bits left over in the last group (a second spelling). */
int
note_b64_decode(const char *in, size_t n, unsigned char *out, size_t max, size_t *outlen)
{
	size_t k = 0;

	if (n % 4 != 0)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		uint32_t w;

		for (int j = 0; j < 4; j++) {
			v[j] = b64_value(in[i + j]);
			if (in[i + j] == '=' && i + 4 == n && j >= 2 && (j == 3 || in[i + 3] == '='))
				v[j] = 0, pad++;
			else if (v[j] < 0)
				return -1;
		}
		w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		if ((pad == 1 && (w & 0xff) != 0) || (pad == 2 && (w & 0xffff) != 0))
			return -1;
		if (k + 3 - (size_t)pad > max)
			return -1;
		out[k++] = (unsigned char)(w >> 16);
		if (pad < 2)
			out[k++] = (unsigned char)(w >> 8);
		if (pad < 1)
			out[k++] = (unsigned char)w;
	}
	*outlen = k;
	return 0;
}

uint32_t
note_key_id(const char *name, unsigned char type, const unsigned char pub[32])
{
	size_t n = strlen(name);
	unsigned char *in = xmalloc(n + 2 + 32), md[DIGEST_LEN];

	memcpy(in, name, n);
	in[n] = '\n';
	in[n + 1] = type;
	memcpy(in + n + 2, pub, 32);
	digest_sha256(in, n + 2 + 32, md);
	free(in);
	return (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 | (uint32_t)md[2] << 8 | md[3];
}

int
note_name_ok(const char *name)
{
	if (*name == '\0' || strlen(name) > 255)
		return 0;
	for (const char *p = name; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '+')
			return 0;
	return 1;
}

int
note_ed25519_sign(const unsigned char seed[32], const void *msg, size_t n, unsigned char sig[64])
{
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t len = 64;
	int rc = -1;

	if (key == NULL || ctx == NULL)
		goto done;
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1 &&
	    EVP_DigestSign(ctx, sig, &len, msg, n) == 1 && len == 64)
		rc = 0;
done:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return rc;
}

int
note_ed25519_verify(const unsigned char pub[32], const void *msg, size_t n,
    const unsigned char sig[64])
{
	EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = -1;

	if (key == NULL || ctx == NULL)
		goto done;
	if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
	    EVP_DigestVerify(ctx, sig, 64, msg, n) == 1)
		rc = 0;
done:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return rc;
}

/* Fills in the public key and id from the seed. */
static int
key_from_seed(struct note_key *k, char **cause)
{
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, k->seed, 32);
	size_t len = 32;
	int ok = key != NULL && EVP_PKEY_get_raw_public_key(key, k->pub, &len) == 1 && len == 32;

	EVP_PKEY_free(key);
	if (!ok) {
		*cause = xstrdup("not a usable Ed25519 private key");
		return -1;
	}
	k->has_seed = 1;
	k->id = note_key_id(k->name, k->type, k->pub);
	return 0;
}

int
note_key_generate(const char *name, unsigned char type, struct note_key *k, char **cause)
{
	EVP_PKEY *key = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	size_t len = 32;
	int ok;

	memset(k, 0, sizeof *k);
	if (!note_name_ok(name)) {
		EVP_PKEY_CTX_free(ctx);
		*cause = xstrdup("a key name must be printable ASCII without spaces or '+'");
		return -1;
	}
	ok = ctx != NULL && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &key) == 1 &&
	    EVP_PKEY_get_raw_private_key(key, k->seed, &len) == 1 && len == 32;
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
	if (!ok) {
		*cause = xstrdup("cannot make an Ed25519 key");
		return -1;
	}
	k->name = xstrdup(name);
	k->type = type;
	return key_from_seed(k, cause);
}

void
note_key_free(struct note_key *k)
{
	free(k->name);
	OPENSSL_cleanse(k->seed, sizeof k->seed);
	memset(k, 0, sizeof *k);
}

/* name+hex id+base64(type || key bytes) */
static void
key_text(const char *prefix, const struct note_key *k, const unsigned char key[32], struct buf *out)
{
	unsigned char raw[33];

	raw[0] = k->type;
	memcpy(raw + 1, key, 32);
	buf_printf(out, "%s%s+%08x+", prefix, k->name, (unsigned)k->id);
	note_b64_encode(raw, sizeof raw, out);
	OPENSSL_cleanse(raw, sizeof raw);
}

void
note_vkey(const struct note_key *k, struct buf *out)
{
	key_text("", k, k->pub, out);
}

void
note_skey(const struct note_key *k, struct buf *out)
{
	key_text("PRIVATE+KEY+", k, k->seed, out);
}

/* Splits "name+hexid+base64", checks it, and decodes its type and 32 key bytes. */
static int
key_parse(const char *s, size_t n, struct note_key *k, unsigned char key[32], char **cause)
{
	const char *plus1 = memchr(s, '+', n), *plus2;
	unsigned char raw[40];
	char hex[9];
	size_t len;

	memset(k, 0, sizeof *k);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	plus2 = plus1 != NULL ? memchr(plus1 + 1, '+', n - (size_t)(plus1 + 1 - s)) : NULL;
	if (plus1 == NULL || plus2 == NULL || plus2 - plus1 != 9)
		goto bad;
	memcpy(hex, plus1 + 1, 8);
	hex[8] = '\0';
	k->name = xstrndup(s, (size_t)(plus1 - s));
	if (!note_name_ok(k->name) || strspn(hex, "0123456789abcdef") != 8 ||
	    note_b64_decode(plus2 + 1, n - (size_t)(plus2 + 1 - s), raw, sizeof raw, &len) < 0 ||
	    len != 33)
		goto bad;
	k->type = raw[0];
	k->id = (uint32_t)strtoul(hex, NULL, 16);
	memcpy(key, raw + 1, 32);
	OPENSSL_cleanse(raw, sizeof raw);
	if (k->type != NOTE_ED25519 && k->type != NOTE_COSIG_V1) {
		*cause = xasprintf("key type 0x%02x is not Ed25519 (0x01) or a cosignature key (0x04)",
		    k->type);
		goto fail;
	}
	return 0;
bad:
	*cause = xstrdup("not a key in the signed-note form name+id+base64");
fail:
	note_key_free(k);
	return -1;
}

int
note_vkey_parse(const char *s, size_t n, struct note_key *k, char **cause)
{
	if (key_parse(s, n, k, k->pub, cause) < 0)
		return -1;
	if (note_key_id(k->name, k->type, k->pub) != k->id) {
		*cause = xstrdup("the key's id does not match its name and public key");
		note_key_free(k);
		return -1;
	}
	return 0;
}

int
note_skey_parse(const char *s, size_t n, struct note_key *k, char **cause)
{
	uint32_t id;

	if (n < 12 || memcmp(s, "PRIVATE+KEY+", 12) != 0) {
		*cause = xstrdup("not a private key (PRIVATE+KEY+name+id+base64)");
		return -1;
	}
	if (key_parse(s + 12, n - 12, k, k->seed, cause) < 0)
		return -1;
	id = k->id;
	if (key_from_seed(k, cause) < 0 || k->id != id) {
		if (*cause == NULL)
			*cause = xstrdup("the private key's id does not match its name and key");
		note_key_free(k);
		return -1;
	}
	return 0;
}

/* Valid UTF-8 without control characters other than newline, as notes must be. */
static int
text_ok(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
		    (c & 0xf8) == 0xf0 ? 4 : 0;
		uint32_t cp;

		if (len == 0 || i + len > n || (c < 0x20 && c != '\n') || c == 0x7f)
			return 0;
		cp = len == 1 ? c : len == 2 ? c & 0x1fu : len == 3 ? c & 0x0fu : c & 0x07u;
		for (size_t j = 1; j < len; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + j] & 0x3fu);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/* One signature line, without its newline: em dash, space, name, space, base64. */
static int
parse_sig(const char *p, size_t n, struct note_sig *s)
{
	const char *sp;
	unsigned char raw[4 + 4096];
	size_t len;

	if (n < sizeof em_dash - 1 || memcmp(p, em_dash, sizeof em_dash - 1) != 0)
		return -1;
	p += sizeof em_dash - 1;
	n -= sizeof em_dash - 1;
	sp = memchr(p, ' ', n);
	if (sp == NULL || sp == p || memchr(p, '+', (size_t)(sp - p)) != NULL ||
	    note_b64_decode(sp + 1, n - (size_t)(sp + 1 - p), raw, sizeof raw, &len) < 0 || len < 5)
		return -1;
	s->name = xstrndup(p, (size_t)(sp - p));
	s->id = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 | raw[3];
	s->len = len - 4;
	s->sig = xmalloc(s->len);
	memcpy(s->sig, raw + 4, s->len);
	return 0;
}

int
note_parse(const char *data, size_t len, struct note *n, char **cause)
{
	const char *split = NULL, *p, *end = data + len;

	memset(n, 0, sizeof *n);
	if (len > NOTE_MAX_SIZE || !text_ok((const unsigned char *)data, len) || len == 0 ||
	    data[len - 1] != '\n') {
		*cause = xstrdup("not a signed note: too long, not UTF-8 text, or no final newline");
		return -1;
	}
	/* the text ends at the last blank line */
	for (p = data; p + 1 < end; p++)
		if (p[0] == '\n' && p[1] == '\n')
			split = p;
	if (split == NULL || split + 2 >= end) {
		*cause = xstrdup("not a signed note: no blank line before signature lines");
		return -1;
	}
	n->len = (size_t)(split + 1 - data);
	n->text = xstrndup(data, n->len);
	n->sigs = xcalloc(NOTE_MAX_SIGS, sizeof *n->sigs);
	for (p = split + 2; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (n->nsigs == NOTE_MAX_SIGS || parse_sig(p, (size_t)(nl - p), &n->sigs[n->nsigs]) < 0) {
			*cause = xstrdup(n->nsigs == NOTE_MAX_SIGS ? "a signed note with too many "
			    "signatures" : "not a signed note: a malformed signature line");
			note_free(n);
			return -1;
		}
		n->nsigs++;
		p = nl + 1;
	}
	return 0;
}

void
note_free(struct note *n)
{
	for (size_t i = 0; i < n->nsigs; i++) {
		free(n->sigs[i].name);
		free(n->sigs[i].sig);
	}
	free(n->sigs);
	free(n->text);
	memset(n, 0, sizeof *n);
}

/* "— name base64(id || sig)\n" */
static void
sig_line(const char *name, uint32_t id, const unsigned char *sig, size_t len, struct buf *out)
{
	unsigned char *raw = xmalloc(4 + len);

	raw[0] = (unsigned char)(id >> 24);
	raw[1] = (unsigned char)(id >> 16);
	raw[2] = (unsigned char)(id >> 8);
	raw[3] = (unsigned char)id;
	memcpy(raw + 4, sig, len);
	buf_adds(out, em_dash);
	buf_adds(out, name);
	buf_addc(out, ' ');
	note_b64_encode(raw, 4 + len, out);
	buf_addc(out, '\n');
	free(raw);
}

int
note_sign(const struct note_key *k, const char *text, size_t len, struct buf *out, char **cause)
{
	unsigned char sig[64];

	if (!k->has_seed || k->type != NOTE_ED25519 || note_ed25519_sign(k->seed, text, len, sig) < 0) {
		*cause = xstrdup("cannot sign the note with this key");
		return -1;
	}
	sig_line(k->name, k->id, sig, sizeof sig, out);
	return 0;
}

/* cosignature/v1, time, then the checkpoint's text: what a witness signs. */
static void
cosigned_message(const char *text, size_t len, uint64_t timestamp, struct buf *msg)
{
	buf_printf(msg, "cosignature/v1\ntime %llu\n", (unsigned long long)timestamp);
	buf_add(msg, text, len);
}

int
note_cosign(const struct note_key *k, const char *text, size_t len, uint64_t timestamp,
    struct buf *out, char **cause)
{
	unsigned char sig[8 + 64];
	struct buf msg;
	int rc;

	if (!k->has_seed || k->type != NOTE_COSIG_V1 || timestamp > INT64_MAX) {
		*cause = xstrdup("cannot cosign with this key");
		return -1;
	}
	buf_init(&msg);
	cosigned_message(text, len, timestamp, &msg);
	for (int i = 0; i < 8; i++)
		sig[i] = (unsigned char)(timestamp >> (56 - 8 * i));
	rc = note_ed25519_sign(k->seed, msg.data, msg.len, sig + 8);
	buf_free(&msg);
	if (rc < 0) {
		*cause = xstrdup("cannot cosign the checkpoint");
		return -1;
	}
	sig_line(k->name, k->id, sig, sizeof sig, out);
	return 0;
}

/* Whether one signature by k verifies; the cosignature's time goes to *ts. */
static int
verify_one(const struct note *n, const struct note_sig *s, const struct note_key *k, uint64_t *ts)
{
	struct buf msg;
	uint64_t t = 0;
	int rc;

	if (k->type == NOTE_ED25519)
		return s->len == 64 && note_ed25519_verify(k->pub, n->text, n->len, s->sig) == 0 ?
		    0 : -1;
	if (s->len != 72)
		return -1;
	for (int i = 0; i < 8; i++)
		t = t << 8 | s->sig[i];
	if (t > INT64_MAX)
		return -1;
	buf_init(&msg);
	cosigned_message(n->text, n->len, t, &msg);
	rc = note_ed25519_verify(k->pub, msg.data, msg.len, s->sig + 8);
	buf_free(&msg);
	if (rc == 0 && ts != NULL)
		*ts = t;
	return rc;
}

int
note_verify(const struct note *n, const struct note_key *k, uint64_t *timestamp)
{
	int found = 0;

	for (size_t i = 0; i < n->nsigs; i++) {
		const struct note_sig *s = &n->sigs[i];

		if (s->id != k->id || strcmp(s->name, k->name) != 0)
			continue;	/* another key's: ignored */
		if (verify_one(n, s, k, timestamp) < 0)
			return -1;
		found = 1;
	}
	return found ? 0 : 1;
}

void
note_sig_lines(const struct note *n, struct buf *out)
{
	for (size_t i = 0; i < n->nsigs; i++)
		sig_line(n->sigs[i].name, n->sigs[i].id, n->sigs[i].sig, n->sigs[i].len, out);
}

void
note_checkpoint_text(const char *origin, uint64_t size, const unsigned char root[NOTE_ROOT_LEN],
    struct buf *out)
{
	buf_adds(out, origin);
	buf_addc(out, '\n');
	buf_add_u64(out, size);
	buf_addc(out, '\n');
	note_b64_encode(root, NOTE_ROOT_LEN, out);
	buf_addc(out, '\n');
}

/* A tree size: decimal, no leading zeros, at most 2^63 - 1. */
static int
parse_size(const char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 19 || (p[0] == '0' && n > 1))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	if (v > INT64_MAX)
		return -1;
	*out = v;
	return 0;
}

int
note_checkpoint_parse(const char *text, size_t len, struct note_checkpoint *c, char **cause)
{
	const char *line[3], *end = text + len, *p = text;
	size_t n[3], rootlen;

	memset(c, 0, sizeof *c);
	for (int i = 0; i < 3; i++) {
		const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;

		if (nl == NULL || nl == p)
			goto bad;
		line[i] = p;
		n[i] = (size_t)(nl - p);
		p = nl + 1;
	}
	/* extension lines, if any, are opaque but never empty */
	for (const char *q = p; q < end; q++)
		if (*q == '\n' && (q == p || q[-1] == '\n'))
			goto bad;
	if (p < end && end[-1] != '\n')
		goto bad;
	if (parse_size(line[1], n[1], &c->size) < 0 ||
	    note_b64_decode(line[2], n[2], c->root, sizeof c->root, &rootlen) < 0 ||
	    rootlen != NOTE_ROOT_LEN)
		goto bad;
	c->origin = xstrndup(line[0], n[0]);
	return 0;
bad:
	*cause = xstrdup("not a checkpoint: want an origin line, a tree size and a base64 "
	    "SHA-256 root hash");
	return -1;
}

void
note_checkpoint_free(struct note_checkpoint *c)
{
	free(c->origin);
	memset(c, 0, sizeof *c);
}
