/* note.h: C2SP signed notes with Ed25519 keys, witness cosignatures and tlog checkpoints. */
#ifndef FD_NOTE_H
#define FD_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

#define NOTE_ED25519 0x01	/* a log's own signature (c2sp.org/signed-note) */
#define NOTE_COSIG_V1 0x04	/* a witness's timestamped cosignature (c2sp.org/tlog-cosignature) */
#define NOTE_MAX_SIGS 64
#define NOTE_MAX_SIZE 65536
#define NOTE_ROOT_LEN 32

/* A key: its name, signature type, public key and, for a signer, the private seed. */
struct note_key {
	char *name;
	unsigned char type;
	uint32_t id;
	unsigned char pub[32];
	unsigned char seed[32];
	int has_seed;
};

/* Standard base64 (RFC 4648 section 4), padded; decoding refuses any other form. */
void note_b64_encode(const void *in, size_t n, struct buf *out);
int note_b64_decode(const char *in, size_t n, unsigned char *out, size_t max, size_t *outlen);

/* SHA-256(name || 0x0A || type || public key)[:4], big-endian. */
uint32_t note_key_id(const char *name, unsigned char type, const unsigned char pub[32]);
/* Whether a key name is non-empty printable ASCII without spaces or plus signs. */
int note_name_ok(const char *name);
/* A new Ed25519 key from the system's random source. */
int note_key_generate(const char *name, unsigned char type, struct note_key *k, char **cause);
void note_key_free(struct note_key *k);
/* The verifier key: name+hex key id+base64(type || public key). */
void note_vkey(const struct note_key *k, struct buf *out);
int note_vkey_parse(const char *s, size_t n, struct note_key *k, char **cause);
/* The signer key: PRIVATE+KEY+name+hex key id+base64(type || seed). */
void note_skey(const struct note_key *k, struct buf *out);
int note_skey_parse(const char *s, size_t n, struct note_key *k, char **cause);

/* One signature line: the key's name and id, and the signature bytes after the id. */
struct note_sig {
	char *name;
	uint32_t id;
	unsigned char *sig;
	size_t len;
};

/* A parsed signed note: its text (ending in a newline) and signature lines. */
struct note {
	char *text;
	size_t len;
	struct note_sig *sigs;
	size_t nsigs;
};

/* Parses a signed note, checking the form the specification requires. */
int note_parse(const char *data, size_t len, struct note *n, char **cause);
void note_free(struct note *n);
/* Appends the signature line of k over text: an Ed25519 signature (type 0x01). */
int note_sign(const struct note_key *k, const char *text, size_t len, struct buf *out, char **cause);
/* Appends a cosignature/v1 line of k over a checkpoint's text at the given time (type 0x04). */
int note_cosign(const struct note_key *k, const char *text, size_t len, uint64_t timestamp,
    struct buf *out, char **cause);
/*
 * Checks the signatures in n made by k (same name and id; others are
 * ignored, as the specification says): 0 if one verifies (with a
 * cosignature's time in *timestamp when asked), 1 if k made none, -1 if one
 * of k's fails to verify.
 */
int note_verify(const struct note *n, const struct note_key *k, uint64_t *timestamp);
/* The signature lines as text, each ending in a newline. */
void note_sig_lines(const struct note *n, struct buf *out);

/* A checkpoint's first three lines (c2sp.org/tlog-checkpoint). */
struct note_checkpoint {
	char *origin;
	uint64_t size;
	unsigned char root[NOTE_ROOT_LEN];
};

/* Writes a checkpoint's text: origin, size and base64 root, each on its line. */
void note_checkpoint_text(const char *origin, uint64_t size, const unsigned char root[NOTE_ROOT_LEN],
    struct buf *out);
int note_checkpoint_parse(const char *text, size_t len, struct note_checkpoint *c, char **cause);
void note_checkpoint_free(struct note_checkpoint *c);

/* Ed25519 (RFC 8032) through libcrypto. */
int note_ed25519_sign(const unsigned char seed[32], const void *msg, size_t n,
    unsigned char sig[64]);
int note_ed25519_verify(const unsigned char pub[32], const void *msg, size_t n,
    const unsigned char sig[64]);

#endif
