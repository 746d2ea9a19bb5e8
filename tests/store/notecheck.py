#!/usr/bin/env python3
# notecheck.py: splits a signed note for an independent check (hashlib and base64 only; the
# Ed25519 verification itself is OpenSSL's command line, run by witness.sh).
#   notecheck.py keyid VKEY               prints ok if the key id is SHA-256(name \n type key)[:4]
#   notecheck.py der VKEY OUT             writes the public key as DER (SubjectPublicKeyInfo)
#   notecheck.py split NOTE NAME DIR      writes DIR/msg (what NAME signed) and DIR/sig
#                                         (the signature): a plain signature, or for a
#                                         cosignature the cosignature/v1 message and its time
#   notecheck.py inclusion PROOF          prints ok if frontdoor's inclusion proof holds: the
#                                         record's leaf up its audit path to the checkpoint's
#                                         root (RFC 9162 2.1.3.2, written here again)
#   notecheck.py form NOTE                prints ok if the note has the c2sp forms: text lines,
#                                         a blank line, then lines of an em dash, a space, a
#                                         name, a space and base64; a checkpoint's three lines
import base64
import hashlib
import re
import sys


def parse_vkey(v):
    name, keyid, b64 = v.strip().split("+", 2)
    raw = base64.b64decode(b64, validate=True)
    return name, keyid, raw[0], raw[1:]


def split_note(data):
    text, _, sigs = data.rpartition(b"\n\n")
    return text + b"\n", sigs.decode("utf-8").splitlines()


def node(a, b):
    return hashlib.sha256(b"\x01" + a + b).digest()


def check_inclusion(data):
    head, _, note = data.partition(b"\n\n")
    lines = head.decode().split("\n")
    if lines[0] != "frontdoor-inclusion/v1":
        return "bad header"
    index = int(lines[1].split(" ")[1])
    record = base64.b64decode(lines[2].split(" ")[1], validate=True)
    path = [base64.b64decode(x, validate=True) for x in lines[3:]]
    text = note.decode().split("\n")
    size, root = int(text[1]), base64.b64decode(text[2], validate=True)
    fn, sn, r = index, size - 1, hashlib.sha256(b"\x00" + record).digest()
    for p in path:
        if sn == 0:
            return "path too long"
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return "ok" if sn == 0 and r == root else "root differs"


def main():
    cmd = sys.argv[1]
    if cmd == "keyid":
        name, keyid, typ, pub = parse_vkey(sys.argv[2])
        want = hashlib.sha256(name.encode() + b"\n" + bytes([typ]) + pub).digest()[:4].hex()
        print("ok" if want == keyid and len(pub) == 32 else "bad %s != %s" % (keyid, want))
    elif cmd == "der":
        _, _, _, pub = parse_vkey(sys.argv[2])
        with open(sys.argv[3], "wb") as f:
            f.write(bytes.fromhex("302a300506032b6570032100") + pub)
    elif cmd == "split":
        text, sigs = split_note(open(sys.argv[2], "rb").read())
        name = sys.argv[3]
        for line in sigs:
            dash, who, b64 = line.split(" ")
            if who != name:
                continue
            raw = base64.b64decode(b64, validate=True)
            if len(raw) == 4 + 64:
                msg, sig = text, raw[4:]
            else:
                ts = int.from_bytes(raw[4:12], "big")
                msg, sig = b"cosignature/v1\ntime %d\n" % ts + text, raw[12:]
            open(sys.argv[4] + "/msg", "wb").write(msg)
            open(sys.argv[4] + "/sig", "wb").write(sig)
            print("ok")
            return
        print("no signature by %s" % name)
    elif cmd == "inclusion":
        print(check_inclusion(open(sys.argv[2], "rb").read()))
    elif cmd == "form":
        data = open(sys.argv[2], "rb").read()
        text, sigs = split_note(data)
        lines = text.decode("utf-8").split("\n")[:-1]
        ok = (len(lines) >= 3 and lines[0] != "" and re.fullmatch(r"0|[1-9][0-9]*", lines[1])
              and len(base64.b64decode(lines[2], validate=True)) == 32 and sigs
              and all(re.fullmatch("\u2014 [^ +]+ [A-Za-z0-9+/]+=*", s) for s in sigs)
              and data.endswith(b"\n"))
        print("ok" if ok else "bad form")


main()
