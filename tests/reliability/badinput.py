#!/usr/bin/env python3
"""badinput.py: hostile input. A corpus of hostile rule files generated here (alias bombs,
10,000-deep nesting, a 100 MB string, invalid UTF-8, NUL bytes, duplicate keys, a 9 MB
file and more): `frontdoor rules check` rejects each with a positioned error
(FILE:LINE:COL, inside the file) and exit 1, within 10 s and, outside ASan, 1 GB of address
space (the peak RSS is checked in both builds). Then hostile case lines (deep nesting, huge
strings and ids, invalid UTF-8, NUL, control characters, a line over 16 MiB): `route`
rejects each with its line number and routes the good lines around them, also when
recording. CI and --long run the same corpus; --long repeats it 10 times."""

import os
import re
import resource
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel  # noqa: E402

TIME_LIMIT = 10          # a hang guard, not a speed check; sanitizer builds get six times it
MEM_LIMIT = 1 << 30
HEAD = b"frontdoor: 1\nname: hostile\nversion: \"1\"\n"


def rule_corpus():
    """(name, bytes) of every hostile rule file."""
    c = []
    # billion laughs: ten levels of ten aliases each
    s = HEAD + b'lol0: &a0 "lol"\n'
    for i in range(1, 10):
        s += b"lol%d: &a%d [%s]\n" % (i, i, b",".join([b"*a%d" % (i - 1)] * 10))
    c.append(("billion-laughs", s))
    c.append(("alias-bomb-flow", HEAD + b"levels: &x [" + b"&y [" * 20 + b"]" * 20 +
              b"]\nrules: [" + b"*x," * 5000 + b"*x]\n"))
    c.append(("merge-key", HEAD + b"base: &b {level: 1}\nlevels:\n  - <<: *b\n    name: U\n"))
    c.append(("deep-flow-seq", HEAD + b"description: " + b"[" * 10000 + b"]" * 10000 + b"\n"))
    c.append(("deep-flow-map", HEAD + b"description: " + b"{a: " * 10000 + b"1" +
              b"}" * 10000 + b"\n"))
    c.append(("deep-block-seq", HEAD + b"description:\n  " + b"- " * 10000 + b"x\n"))
    c.append(("deep-block-map", HEAD + b"".join(b"  " * i + b"k%d:\n" % i for i in range(2000))
              + b"  " * 2000 + b"v\n"))
    c.append(("deep-conditions", HEAD + b"rules:\n  - id: r\n    route: mash\n    when: " +
              b"{all: [" * 5000 + b"always" + b"]}" * 5000 + b"\n"))
    c.append(("string-100MB", HEAD + b'description: "' + b"a" * (100 << 20) + b'"\n'))
    c.append(("string-5MB", HEAD + b'description: "' + b"a" * (5 << 20) + b'"\n'))
    c.append(("key-1MB", HEAD + b"k" * (1 << 20) + b": 1\n"))
    c.append(("file-9MB", HEAD + (b"# " + b"x" * 1000 + b"\n") * (9 * 1024)))
    c.append(("utf8-invalid-value", HEAD + b"description: caf\xe9 \xff\xfe\n"))
    c.append(("utf8-invalid-key", HEAD + b"d\xc3\x28: 1\n"))
    c.append(("utf8-overlong", HEAD + b"description: \xc0\xaf\n"))
    c.append(("utf8-surrogate", HEAD + b"description: \xed\xa0\x80\n"))
    c.append(("utf16", "frontdoor: 1\nname: x\n".encode("utf-16")))
    c.append(("nul-in-value", HEAD + b"description: a\x00b\n"))
    c.append(("nul-first", b"\x00" + HEAD))
    c.append(("nul-only", b"\x00" * 4096))
    with open(rel.POLICY, "rb") as f:
        policy = f.read()
    c.append(("escape-nul-in-valid-file", policy.replace(
        b"name: Benchmark routing policy", b'name: "Bench\\0mark"')))
    c.append(("escape-nul-in-indicator", policy.replace(b"id: dev.l2_15", b'id: "dev.l2\\x0015"')))
    c.append(("control-chars", HEAD + b"description: a\x1b[2Jb\x07\n"))
    c.append(("duplicate-top", HEAD + b"name: again\n"))
    c.append(("duplicate-nested", HEAD + b"levels:\n  - {level: 1, level: 2, name: U, "
              b"route: universal}\n"))
    c.append(("duplicate-merge", HEAD + b"facts:\n  consent: {type: string}\n"
              b"  consent: {type: number}\n"))
    c.append(("many-nodes", HEAD + b"description: [" + b"1," * 300000 + b"1]\n"))
    c.append(("many-documents", HEAD + b"---\n" + HEAD + b"---\n" + HEAD))
    c.append(("tag-python", HEAD + b"description: !!python/object/apply:os.system [id]\n"))
    c.append(("tag-custom", HEAD + b"levels: !evil [1]\n"))
    c.append(("unterminated", HEAD + b'description: "never closed\n'))
    c.append(("tab-indent", HEAD + b"levels:\n\t- 1\n"))
    c.append(("long-line-spaces", HEAD + b"description: x" + b" " * (4 << 20) + b"y\n"))
    c.append(("empty", b""))
    c.append(("comments-only", b"# nothing\n# here\n"))
    c.append(("scalar-document", b"just a string\n"))
    c.append(("binary-noise", bytes((i * 7919 + 13) % 256 for i in range(65536))))
    return c


def case_corpus():
    """(name, line bytes) of hostile case lines; None marks a good line."""
    good = b'{"case_id":"GOOD-%d","consent":"given","indicators":["dev.l2_15"]}'
    base = b'{"case_id":"%s","consent":"given","indicators":[]%s}'
    return [
        ("good", None),
        ("deep-array", base % (b"H1", b',"x":' + b"[" * 10000 + b"]" * 10000)),
        ("deep-object", base % (b"H2", b',"x":' + b'{"a":' * 10000 + b"1" + b"}" * 10000)),
        ("case-id-1MB", base % (b"I" * (1 << 20), b"")),
        ("case-id-nul", base % (b"A\\u0000B", b"")),
        ("invalid-utf8-id", base % (b"U\xff\xfe", b"")),
        ("invalid-utf8-value", base % (b"H3", b',"x":"caf\xe9"')),
        ("overlong-utf8", base % (b"H4", b',"x":"\xc0\xaf"')),
        ("lone-surrogate", base % (b"H5", b',"x":"\\ud800"')),
        ("raw-nul", base % (b"H6", b',"x":"a\x00b"')),
        ("raw-escape", base % (b"H7", b',"x":"a\x1b[2Jb"')),
        ("nul-line", b"\x00" * 100),
        ("huge-indicator-list", (base % (b"H8", b"")).replace(
            b'"indicators":[]', b'"indicators":[' + b'"dev.l2_15",' * 300000 + b'"x"]')),
        ("bad-indicator-huge", (base % (b"H9", b"")).replace(
            b'"indicators":[]', b'"indicators":["' + b"z" * (4 << 20) + b'"]')),
        ("consent-huge", b'{"case_id":"H10","consent":"' + b"g" * (4 << 20) +
         b'","indicators":[]}'),
        ("many-keys", b'{"case_id":"H11","consent":"given","indicators":[]' +
         b"".join(b',"k%d":1' % i for i in range(1100000)) + b"}"),
        ("number-huge", b'{"case_id":"H12","consent":1' + b"0" * 100000 +
         b',"indicators":[]}'),
        ("duplicate-case-id", b'{"case_id":"H13","case_id":"H14","consent":"given",'
         b'"indicators":[]}'),
        ("trailing-garbage", base % (b"H15", b"") + b" {}"),
        ("not-an-object", b'["case_id","H16"]'),
        ("good", None),
    ], good


def main():
    global TIME_LIMIT
    s = rel.Suite("badinput", __doc__)
    s.parse()
    if s.sanitized:
        TIME_LIMIT *= 6     # ASan+UBSan runs several times slower, more on a busy machine
    rounds = 10 if s.long else 1
    corpus_dir = os.path.join(s.tmp, "rules")
    os.mkdir(corpus_dir)
    files = []
    for name, data in rule_corpus():
        path = os.path.join(corpus_dir, name + ".yaml")
        with open(path, "wb") as f:
            f.write(data)
        files.append((name, path, data))

    def limits():
        if not s.sanitized:
            resource.setrlimit(resource.RLIMIT_AS, (MEM_LIMIT, MEM_LIMIT))

    worst_t, worst_rss = 0.0, 0
    for rnd in range(rounds):
        for name, path, data in files:
            t0 = time.monotonic()
            p = subprocess.Popen(["timeout", "-s", "KILL", str(TIME_LIMIT), s.bin, "rules",
                                  "check", path], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=s.env(), preexec_fn=limits)
            out, err = p.communicate()
            _, status, ru = os.wait4(p.pid, 0) if p.returncode is None else (0, 0, None)
            secs = time.monotonic() - t0
            rc = p.returncode
            rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
            err = err.decode("utf-8", "replace")
            m = re.match(r"^%s:(\d+):(\d+): error\[E\d+\]: " % re.escape(path), err)
            nlines = data.count(b"\n") + 1
            positioned = m is not None and 1 <= int(m.group(1)) <= nlines and \
                int(m.group(2)) >= 1
            worst_t = max(worst_t, secs)
            if rnd == 0:
                first = err.splitlines()[0][len(corpus_dir) + 1:] if err else "(nothing)"
                s.log("%-20s exit %s in %5.2f s: %s" % (name, rc, secs, first[:110]))
            s.check(rc == 1, "rules check %s: exit 1" % name, "exit %s: %s" % (rc, err[-300:]))
            s.check(positioned, "rules check %s: positioned error FILE:LINE:COL" % name,
                    err[:300])
            s.check(secs < TIME_LIMIT, "rules check %s: under %d s" % (name, TIME_LIMIT))
            s.check(b"ok:" not in out, "rules check %s: not accepted" % name)
        worst_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    s.log("%d hostile rule files x %d: slowest %.2f s, largest peak RSS %.0f MB (limit: %s)"
          % (len(files), rounds, worst_t, worst_rss / 1e6,
             "address space 1 GB" if not s.sanitized else "RSS 1 GB (ASan build)"))
    s.check(worst_rss < MEM_LIMIT, "peak RSS under 1 GB")

    # ---- hostile case lines ----
    lines, good = case_corpus()
    path = os.path.join(s.tmp, "hostile.jsonl")
    expect_bad, expect_good = [], []
    with open(path, "wb") as f:
        for i, (name, line) in enumerate(lines, 1):
            if line is None:
                line = good % i
                expect_good.append(b"GOOD-%d" % i)
            else:
                expect_bad.append((i, name))
            f.write(line + b"\n")
    for record in (False, True):
        if record and not s.is_root():
            s.log("route --record: skipped (not root: --as is for root)")
            continue
        for rnd in range(rounds):
            if record:
                db = s.new_db("db-%d" % rnd)
                argv = ["timeout", "-s", "KILL", str(TIME_LIMIT * 3), s.bin, "--db", db,
                        "--as", "mgr", "route", "--record", path]
            else:
                argv = ["timeout", "-s", "KILL", str(TIME_LIMIT * 3), s.bin, "route",
                        "--rules", rel.POLICY, path]
            t0 = time.monotonic()
            r = subprocess.run(argv, capture_output=True, env=s.env(), preexec_fn=limits)
            secs = time.monotonic() - t0
            err = r.stderr.decode("utf-8", "replace")
            what = "route%s" % (" --record" if record else "")
            s.check(r.returncode == 1, "%s: exit 1" % what, "exit %d %s" % (
                r.returncode, err[-300:]))
            for n, name in expect_bad:
                hit = re.search(r"^%s:%d: rejected: " % (re.escape(path), n), err, re.M)
                s.check(hit is not None, "%s: line %d (%s) rejected with its line number" %
                        (what, n, name), err[-500:])
            for g in expect_good:
                s.check(g in r.stdout, "%s: good line %s routed" % (what, g.decode()))
            s.check(b'"case_id":"H' not in r.stdout, "%s: no hostile line routed" % what)
            s.check(secs < TIME_LIMIT * 3, "%s: done in %.1f s" % (what, secs))
            if rnd == 0:
                s.log("%s: %d hostile lines rejected with line numbers, %d good routed, in "
                      "%.2f s" % (what, err.count("rejected:"), r.stdout.count(b"\n"), secs))
            if record:
                recs = s.log_records(db)
                s.check(sorted(x["case_id"].encode() for x in recs) == sorted(expect_good),
                        "%s: exactly the good lines are in the log" % what)
                ok, out = s.verify(db)
                s.check(ok, "%s: verify" % what, out[-300:])
    # a line over the 16 MiB limit: rejected with its number, memory bounded
    path = os.path.join(s.tmp, "longline.jsonl")
    with open(path, "wb") as f:
        f.write(good % 1 + b"\n")
        f.write(b'{"case_id":"LONG","x":"' + b"a" * (20 << 20) + b'"}\n')
        f.write(good % 3 + b"\n")
    r = subprocess.run(["timeout", "-s", "KILL", str(TIME_LIMIT), s.bin, "route", "--rules",
                        rel.POLICY, path], capture_output=True, env=s.env(), preexec_fn=limits)
    err = r.stderr.decode("utf-8", "replace")
    s.check(r.returncode == 1 and re.search(r"^%s:2: cannot read: line longer than 16 MiB" %
                                            re.escape(path), err, re.M) is not None,
            "a 20 MB line is refused with its line number", err[-300:])
    s.check(b"GOOD-1" in r.stdout, "the line before the 20 MB line is routed")
    s.finish()


if __name__ == "__main__":
    main()
