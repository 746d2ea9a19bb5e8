/* test_note.c: signed notes, keys, cosignatures and checkpoints against the published vectors and forms. */
#include <stdlib.h>
#include <string.h>

#include "base/note.h"
#include "../unit/check.h"

/* The example key and note of the Go reference implementation of signed notes. */
#define VKEY "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define SKEY "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define TEXT "If you think cryptography is the answer to your problem,\n" \
	"then you don't know what your problem is.\n"
#define SIG "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2" \
	"pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

/* The checkpoint example of c2sp.org/tlog-checkpoint (its key is not published). */
#define CHECKPOINT "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"

static void
test_vectors(void)
{
	struct note_key v, s;
	struct note n;
	struct buf b;
	char *cause = NULL;

	CHECK(note_vkey_parse(VKEY, strlen(VKEY), &v, &cause) == 0);
	CHECK(note_skey_parse(SKEY, strlen(SKEY), &s, &cause) == 0);
	CHECK(v.id == 0xc74f20a3 && s.id == 0xc74f20a3);
	CHECK(memcmp(v.pub, s.pub, 32) == 0);
	CHECK(note_key_id("PeterNeumann", NOTE_ED25519, v.pub) == 0xc74f20a3);
	buf_init(&b);
	note_vkey(&s, &b);
	CHECK_STR(b.data, VKEY);
	buf_reset(&b);
	note_skey(&s, &b);
	CHECK_STR(b.data, SKEY);
	buf_reset(&b);
	CHECK(note_sign(&s, TEXT, strlen(TEXT), &b, &cause) == 0);
	CHECK_STR(b.data, SIG);
	buf_reset(&b);
	buf_adds(&b, TEXT "\n" SIG);
	CHECK(note_parse(b.data, b.len, &n, &cause) == 0);
	CHECK(n.nsigs == 1 && n.len == strlen(TEXT));
	CHECK(note_verify(&n, &v, NULL) == 0);
	n.sigs[0].sig[10] ^= 1;
	CHECK(note_verify(&n, &v, NULL) == -1);
	n.sigs[0].id ^= 1;	/* another key's now: ignored */
	CHECK(note_verify(&n, &v, NULL) == 1);
	note_free(&n);
	/* manglings of the key are refused */
	note_key_free(&v);
	CHECK(note_vkey_parse(VKEY "A", strlen(VKEY) + 1, &v, &cause) < 0);
	free(cause);
	cause = NULL;
	CHECK(note_vkey_parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", 66,
	    &v, &cause) < 0);
	free(cause);
	cause = NULL;
	buf_free(&b);
	note_key_free(&s);
}

static void
test_malformed(void)
{
	static const char *const bad[] = {
		TEXT SIG,				/* no blank line */
		TEXT "\n",				/* no signatures */
		TEXT "\n" "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2"
		    "pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",	/* a hyphen, not an em dash */
		TEXT "\n" "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1"
		    "FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",	/* no final newline */
		"bad\x01text\n\n" SIG,			/* a control character */
		"bad \xc0\xaftext\n\n" SIG,		/* overlong UTF-8 */
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct note n;
		char *cause = NULL;

		CHECK(note_parse(bad[i], strlen(bad[i]), &n, &cause) < 0);
		CHECK(cause != NULL);
		free(cause);
	}
}

static void
test_base64(void)
{
	unsigned char out[8];
	size_t len;
	struct buf b;

	buf_init(&b);
	note_b64_encode("foob", 4, &b);
	CHECK_STR(b.data, "Zm9vYg==");
	CHECK(note_b64_decode("Zm9vYg==", 8, out, sizeof out, &len) == 0 && len == 4);
	CHECK(memcmp(out, "foob", 4) == 0);
	CHECK(note_b64_decode("Zm9vYh==", 8, out, sizeof out, &len) < 0);	/* stray bits */
	CHECK(note_b64_decode("Zm9vYg=", 7, out, sizeof out, &len) < 0);
	CHECK(note_b64_decode("Zm9v Yg=", 8, out, sizeof out, &len) < 0);
	CHECK(note_b64_decode("Zg==Zg==", 8, out, sizeof out, &len) < 0);	/* padding inside */
	buf_free(&b);
}

static void
test_checkpoint_and_cosignature(void)
{
	struct note_checkpoint c;
	struct note_key w, log;
	struct note n;
	struct buf b, text;
	char *cause = NULL;
	uint64_t ts = 0;

	CHECK(note_checkpoint_parse(CHECKPOINT, strlen(CHECKPOINT), &c, &cause) == 0);
	CHECK_STR(c.origin, "example.com/behind-the-sofa");
	CHECK(c.size == 20852163);
	buf_init(&text);
	note_checkpoint_text(c.origin, c.size, c.root, &text);
	CHECK_STR(text.data, CHECKPOINT);
	note_checkpoint_free(&c);
	CHECK(note_checkpoint_parse("o\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", 50, &c,
	    &cause) < 0);
	free(cause);
	cause = NULL;
	CHECK(note_checkpoint_parse("o\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\nx\n", 53,
	    &c, &cause) < 0);
	free(cause);
	cause = NULL;

	CHECK(note_key_generate("log.example/a", NOTE_ED25519, &log, &cause) == 0);
	CHECK(note_key_generate("witness.example/w1", NOTE_COSIG_V1, &w, &cause) == 0);
	buf_init(&b);
	buf_add(&b, text.data, text.len);
	buf_addc(&b, '\n');
	CHECK(note_sign(&log, text.data, text.len, &b, &cause) == 0);
	CHECK(note_cosign(&w, text.data, text.len, 1679315147, &b, &cause) == 0);
	CHECK(note_cosign(&log, text.data, text.len, 1, &b, &cause) < 0);	/* wrong kind of key */
	free(cause);
	cause = NULL;
	CHECK(note_parse(b.data, b.len, &n, &cause) == 0);
	CHECK(n.nsigs == 2);
	CHECK(note_verify(&n, &log, NULL) == 0);
	CHECK(note_verify(&n, &w, &ts) == 0 && ts == 1679315147);
	/* the time is signed: changing it breaks the cosignature */
	n.sigs[1].sig[7] ^= 1;
	CHECK(note_verify(&n, &w, NULL) == -1);
	note_free(&n);
	buf_free(&b);
	buf_free(&text);
	note_key_free(&w);
	note_key_free(&log);
}

int
main(void)
{
	test_vectors();
	test_malformed();
	test_base64();
	test_checkpoint_and_cosignature();
	return check_done();
}
