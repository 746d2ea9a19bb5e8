/* digest.h: SHA-256 and HMAC-SHA-256 through OpenSSL's libcrypto. */
#ifndef FD_DIGEST_H
#define FD_DIGEST_H

#include <stddef.h>

#define DIGEST_LEN 32

void digest_sha256(const void *data, size_t len, unsigned char out[DIGEST_LEN]);
/* SHA-256 of one byte and then data, without copying data. */
void digest_sha256_prefixed(unsigned char prefix, const void *data, size_t len,
    unsigned char out[DIGEST_LEN]);
/* HMAC-SHA-256 of data under key. */
void digest_hmac_sha256(const void *key, size_t klen, const void *data, size_t len,
    unsigned char out[DIGEST_LEN]);
/* Writes 64 lower-case hex digits and a NUL. */
void digest_sha256_hex(const void *data, size_t len, char out[65]);
void digest_hex(const unsigned char in[DIGEST_LEN], char out[65]);
/* Parses 64 hex digits; -1 if they are not. */
int digest_hex_decode(const char *hex, unsigned char out[DIGEST_LEN]);

#endif
