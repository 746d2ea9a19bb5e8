#!/usr/bin/env python3
# test_merkle.py: checks frontdoor's tree hashes and proofs against an implementation written here
# from RFC 9162 alone (hashlib only): every root of sizes 0..1000, every audit path of sizes up
# to 200, consistency proofs for random pairs up to 1,000,000; and the C checkers on good and
# tampered proofs. Usage: test_merkle.py MERKLE_DRIVER
import hashlib
import random
import subprocess
import sys

DRIVER = sys.argv[1]
FAILED = []


def fail(msg):
    FAILED.append(msg)
    if len(FAILED) <= 10:
        print("FAIL:", msg)


def leaf(i):
    return hashlib.sha256(b"\x00" + b"leaf %d" % i).digest()


def node(a, b):
    return hashlib.sha256(b"\x01" + a + b).digest()


class Tree:
    """The leaves, and every complete aligned subtree's hash, level by level."""

    def __init__(self, n):
        self.levels = [[leaf(i) for i in range(n)]]
        while len(self.levels[-1]) > 1:
            low = self.levels[-1]
            self.levels.append([node(low[2 * i], low[2 * i + 1]) for i in range(len(low) // 2)])

    def mth(self, lo, hi):
        n = hi - lo
        if n == 0:
            return hashlib.sha256(b"").digest()
        if n & (n - 1) == 0 and lo % n == 0:
            return self.levels[n.bit_length() - 1][lo // n]
        k = 1 << ((n - 1).bit_length() - 1)
        return node(self.mth(lo, lo + k), self.mth(lo + k, hi))

    def path(self, m, lo, hi):
        n = hi - lo
        if n <= 1:
            return []
        k = 1 << ((n - 1).bit_length() - 1)
        if m < k:
            return self.path(m, lo, lo + k) + [self.mth(lo + k, hi)]
        return self.path(m - k, lo + k, hi) + [self.mth(lo, lo + k)]

    def subproof(self, m, lo, hi, whole):
        n = hi - lo
        if m == n:
            return [] if whole else [self.mth(lo, hi)]
        k = 1 << ((n - 1).bit_length() - 1)
        if m <= k:
            return self.subproof(m, lo, lo + k, whole) + [self.mth(lo + k, hi)]
        return self.subproof(m - k, lo + k, hi, False) + [self.mth(lo, lo + k)]

    def consistency(self, m, n):
        if m == 0 or m == n:
            return []
        return self.subproof(m, 0, n, True)


def run(args, text=None):
    p = subprocess.run([DRIVER] + args, input=text, capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stderr)
        raise SystemExit("driver %s failed with %d" % (args, p.returncode))
    return p.stdout.splitlines()


def check_roots():
    tree = Tree(1000)
    lines = run(["roots", "1000"])
    if len(lines) != 1001:
        fail("roots: %d lines" % len(lines))
    for line in lines:
        size, root = line.split()
        if bytes.fromhex(root) != tree.mth(0, int(size)):
            fail("root of size %s" % size)
    print("roots 0..1000 checked")


def check_inclusion(tree):
    count = 0
    for line in run(["inclusion", "200"]):
        f = line.split()
        size, idx = int(f[0]), int(f[1])
        got = [bytes.fromhex(h) for h in f[2:]]
        if got != tree.path(idx, 0, size):
            fail("inclusion proof of %d in %d" % (idx, size))
        count += 1
    if count != 200 * 201 // 2:
        fail("inclusion: %d proofs" % count)
    print("%d inclusion proofs checked" % count)


def check_consistency():
    big = 1000000
    rnd = random.Random(16)
    pairs = [(1, 2), (1, big), (big - 1, big), (big, big), (0, big), (2 ** 19, big),
             (2 ** 19 + 1, 2 ** 19 + 2), (7, 8), (8, 9), (3, 7)]
    for _ in range(400):
        a, b = rnd.randint(0, big), rnd.randint(1, big)
        pairs.append((min(a, b), max(a, b)))
    for _ in range(200):
        b = rnd.randint(2, 5000)
        pairs.append((rnd.randint(1, b), b))
    tree = Tree(big)
    text = "".join("%d %d\n" % p for p in pairs)
    lines = run(["consistency", str(big)], text)
    if len(lines) != len(pairs):
        fail("consistency: %d answers for %d pairs" % (len(lines), len(pairs)))
    for line, (m, n) in zip(lines, pairs):
        f = line.split()
        got = [bytes.fromhex(h) for h in f[2:]]
        if (int(f[0]), int(f[1])) != (m, n) or got != tree.consistency(m, n):
            fail("consistency proof %d -> %d" % (m, n))
    print("%d consistency proofs up to %d checked" % (len(pairs), big))
    return tree, pairs


def flip(h):
    return bytes([h[0] ^ 1]) + h[1:]


def check_checkers(small, big, pairs):
    """The C checkers accept the RFC's proofs and refuse each one altered."""
    lines, want = [], []
    for size in (1, 2, 3, 5, 8, 13, 64, 100, 200):
        root = small.mth(0, size)
        for idx in range(size):
            p = small.path(idx, 0, size)
            lf = small.levels[0][idx]
            lines.append(("inc", size, idx, lf, root, p))
            want.append("ok")
            lines.append(("inc", size, idx, flip(lf), root, p))
            want.append("bad")
            if size > 1:
                lines.append(("inc", size, (idx + 1) % size, lf, root, p))
                want.append("bad")
                bad = list(p)
                bad[idx % len(p)] = flip(bad[idx % len(p)])
                lines.append(("inc", size, idx, lf, root, bad))
                want.append("bad")
                lines.append(("inc", size, idx, lf, root, p[:-1]))
                want.append("bad")
    for m, n in pairs:
        a, b = big.mth(0, m), big.mth(0, n)
        p = big.consistency(m, n)
        lines.append(("con", m, n, a, b, p))
        want.append("ok")
        if 0 < m < n:
            lines.append(("con", m, n, flip(a), b, p))
            want.append("bad")
            lines.append(("con", m, n, a, flip(b), p))
            want.append("bad")
            bad = list(p)
            bad[-1] = flip(bad[-1])
            lines.append(("con", m, n, a, b, bad))
            want.append("bad")
            lines.append(("con", m, n, a, b, p + [a]))
            want.append("bad")
    text = "".join("%s %d %d %s\n" % (k, x, y, " ".join(h.hex() for h in [l, r] + p))
                   for k, x, y, l, r, p in lines)
    got = run(["check"], text)
    if len(got) != len(want):
        fail("check: %d answers for %d" % (len(got), len(want)))
    for g, w, ln in zip(got, want, lines):
        if g != w:
            fail("checker said %s, want %s, for %s %d %d" % (g, w, ln[0], ln[1], ln[2]))
    print("%d proofs given to the checkers" % len(lines))


check_roots()
small = Tree(200)
check_inclusion(small)
big, pairs = check_consistency()
check_checkers(small, big, pairs)
if FAILED:
    print("%d failures" % len(FAILED))
    sys.exit(1)
print("all passed")
