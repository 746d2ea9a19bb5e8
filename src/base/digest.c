/* digest.c: SHA-256 through OpenSSL's EVP interface. */
#include "base/digest.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <openssl/hmac.h>

#include "base/util.h"

/* SHA-256 fetched once for all threads: an implicit fetch per call costs more than the hash. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void
fetch_sha256(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void
digest_sha256(const void *data, size_t len, unsigned char out[DIGEST_LEN])
{
	unsigned int outlen = 0;

	pthread_once(&sha256_once, fetch_sha256);
	if (sha256_md == NULL)
		fatal("SHA-256 is not available");
	if (EVP_Digest(data, len, out, &outlen, sha256_md, NULL) != 1 || outlen != DIGEST_LEN)
		fatal("SHA-256 failed");
}

void
digest_sha256_prefixed(unsigned char prefix, const void *data, size_t len,
    unsigned char out[DIGEST_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int outlen = 0;

	pthread_once(&sha256_once, fetch_sha256);
	if (ctx == NULL || sha256_md == NULL)
		fatal("SHA-256 is not available");
	if (EVP_DigestInit_ex(ctx, sha256_md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, &prefix, 1) != 1 || EVP_DigestUpdate(ctx, data, len) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, &outlen) != 1 || outlen != DIGEST_LEN)
		fatal("SHA-256 failed");
	EVP_MD_CTX_free(ctx);
}

void
digest_hex(const unsigned char in[DIGEST_LEN], char out[65])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < DIGEST_LEN; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[64] = '\0';
}

void
digest_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[DIGEST_LEN];

	digest_sha256(data, len, md);
	digest_hex(md, out);
}

int
digest_hex_decode(const char *hex, unsigned char out[DIGEST_LEN])
{
	for (int i = 0; i < 2 * DIGEST_LEN; i++) {
		char c = hex[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (v < 0)
			return -1;
		if (i % 2 == 0)
			out[i / 2] = (unsigned char)(v << 4);
		else
			out[i / 2] |= (unsigned char)v;
	}
	return 0;
}

void
digest_hmac_sha256(const void *key, size_t klen, const void *data, size_t len,
    unsigned char out[DIGEST_LEN])
{
	unsigned int outlen = 0;

	if (HMAC(EVP_sha256(), key, (int)klen, data, len, out, &outlen) == NULL ||
	    outlen != DIGEST_LEN)
		fatal("HMAC-SHA-256 failed");
}
