#!/usr/bin/env python3
"""canaries.py: leak canaries. A child's name and date of birth ("Canary Zebedee-Quux",
"2013-02-29") are seeded in case facts, then every error path we can reach is provoked:
malformed and invalid lines (with the canary next to the fault, or in the wrong field),
refused actions, writes failed by the fault shim, verify on a tampered database, and the
pseudonymised exports (JSON Lines and CSV). The canaries must appear 0 times on stderr, in
any error message, or in the pseudonymised output. Core dumps are off: a running frontdoor
(blocked reading stdin) has a core size limit of 0 and, run as an unprivileged user, is
not dumpable (the files in its /proc entry belong to root). CI and --long run the same paths; --long
also injects every fault position for both route and decide."""

import json
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel  # noqa: E402

NAME = "Canary Zebedee-Quux"
DOB = "2013-02-29"
CANARIES = [b"Zebedee", b"Zebedea", b"Quux", b"2013-02-29", b"Canary Z"]
KEY = "a-pseudonymisation-key-of-some-length"


def canary_case(cid, consent="given", indicators=("dev.l2_15",), extra=""):
    return ('{"case_id":"%s","received":"2026-03-01T10:00:00Z","child":{"name":"%s",'
            '"dob":"%s","age":13,"district":"Mansfield"}%s,"consent":"%s","indicators":%s}'
            % (cid, NAME, DOB, extra, consent, json.dumps(list(indicators))))


def main():
    s = rel.Suite("canaries", __doc__)
    s.parse()
    s.need_root()
    db = s.new_db(users=(("mgr", "manager"), ("off", "officer"), ("aud", "auditor"),
                         ("eh", "early_help")))
    found = {c: 0 for c in CANARIES}
    runs = [0]

    def scan(what, *blobs):
        runs[0] += 1
        for b in blobs:
            if isinstance(b, str):
                b = b.encode()
            for c in CANARIES:
                k = b.count(c)
                if k:
                    found[c] += k
                    s.check(False, "%s: canary %r appears %d times" % (what, c.decode(), k),
                            b[max(0, b.find(c) - 80):b.find(c) + 80].decode(errors="replace"))

    def path_of(name, text):
        p = os.path.join(s.tmp, name)
        with open(p, "w" if isinstance(text, str) else "wb") as f:
            f.write(text)
        return p

    # 1. bad lines: the canary beside every kind of fault
    bad = [
        canary_case("B-1", indicators=["dev.l9_99"]),
        canary_case("B-2", indicators=[NAME]),
        canary_case("B-3", consent=NAME),
        canary_case("B-4", consent=DOB),
        canary_case("B-5").replace('"consent":"given",', ""),
        canary_case("B-6")[:-10],
        canary_case("B-7").replace("Quux", "Quux\\q"),
        canary_case("B-8").replace('"age":13', '"age":13,"age":14'),
        canary_case("B-9") + " trailing " + NAME,
        '{"case_id":"B-10","child":{"name":"%s","dob":"%s"}' % (NAME, DOB) + "[" * 100,
        canary_case("B-11", extra=',"x":' + "[" * 80 + "]" * 80),
        canary_case("B-12").replace('"age":13', '"age":"%s"' % DOB).replace(
            '"consent":"given"', '"consent":["given"]'),
        '["%s","%s"]' % (NAME, DOB),
        canary_case("B-13").replace("Zebedee", "Zebedee\x01"),
    ]
    badfile = path_of("bad.jsonl", "\n".join(bad) + "\n")
    badbytes = path_of("bad-utf8.jsonl", canary_case("B-14").encode().replace(
        b"Quux", b"Quux\xff\xfe") + b"\n" + canary_case("B-15").encode().replace(
        b"Zebedee", b"Zeb\x00edee") + b"\n")
    for f in (badfile, badbytes):
        r = s.fd("route", "--rules", rel.POLICY, f)
        s.check(r.returncode == 1, "route rejects the bad lines of %s" % os.path.basename(f))
        scan("route (no db) stderr", r.err_b)
        r = s.fd("route", "--record", f, db=db, as_user="mgr")
        scan("route --record stderr", r.err_b)
        r = s.fd("route", "--record", "--strict", f, db=db, as_user="mgr")
        scan("route --record --strict stderr", r.err_b)
    for i, line in enumerate(bad):
        r = s.fd("decide", path_of("bad%d.json" % i, line + "\n"), db=db, as_user="mgr")
        s.check(r.returncode != 0, "decide rejects bad case %d" % i)
        scan("decide stderr", r.err_b, r.out_b)
        r = s.fd("decide", "--override", "mash", "--rationale", "short", db=db, as_user="mgr",
                 input=canary_case("B-o%d" % i))
        scan("decide (rationale too short) stderr", r.err_b, r.out_b)

    # 2. refused actions
    good = path_of("good.jsonl", "\n".join(canary_case("G-%d" % i) for i in range(5)) + "\n")
    for user in ("aud", "eh", "nobody"):
        for argv in (["route", "--record", good], ["decide", path_of("g.json",
                                                                     canary_case("G-x"))]):
            r = s.fd(*argv, db=db, as_user=user)
            s.check(r.returncode == 1 and "refused" in r.stderr, "%s refused for %s" % (
                argv[0], user))
            scan("refused %s stderr" % argv[0], r.err_b, r.out_b)

    # the canary cases recorded for real
    r = s.fd("route", "--record", good, db=db, as_user="mgr")
    s.check(r.returncode == 0, "canary cases recorded", r.stderr)
    r = s.fd("decide", "--override", "mash", "--rationale",
             "Phone call from the school about the child, see notes", db=db, as_user="off",
             input=canary_case("G-override"))
    s.check(r.returncode == 0, "canary override recorded", r.stderr)
    scan("successful route stderr", r.err_b)
    for argv in (["outcome", "G-0", "needs_met", "--note", "ok"],
                 ["step-up", "G-1", "--urgency", "amber", "--rationale", "too short"],
                 ["sign-off", "999999", "--approve"], ["correct", "999999", "--rationale",
                                                      "Corrected after a call with the school"],
                 ["step-down", "G-2", "--rationale", "Needs have reduced; family consents"],
                 ["outcome", "G-nope", "needs_met"]):
        r = s.fd(*argv, db=db, as_user="mgr")
        scan("%s stderr" % argv[0], r.err_b)

    # 3. failed writes under the fault shim
    if os.path.exists(s.shim):
        count_file = os.path.join(s.tmp, "count")
        r = s.fd("route", "--record", "--batch", "1", "-", db=db, as_user="mgr",
                 input=canary_case("F-count") + "\n", preload=s.shim_preload,
                 env={"FAULT_AT": "0", "FAULT_COUNT_FILE": count_file})
        ncalls = s.count_calls(r, count_file, "route counting run") or 0
        top = ncalls + 2 if s.long else min(ncalls, 4)
        for k in range(1, top + 1):
            for errname in ("ENOSPC", "EIO"):
                env = {"FAULT_AT": str(k), "FAULT_ERRNO": errname}
                r = s.fd("route", "--record", "--batch", "1", "-", db=db, as_user="mgr",
                         input=canary_case("F-r%d%s" % (k, errname)) + "\n",
                         preload=s.shim_preload, env=env)
                scan("route under fault k=%d %s" % (k, errname), r.err_b)
                r = s.fd("decide", "-", db=db, as_user="mgr", preload=s.shim_preload, env=env,
                         input=canary_case("F-d%d%s" % (k, errname)))
                scan("decide under fault k=%d %s" % (k, errname), r.err_b)
    else:
        s.log("fault shim missing: write-failure paths skipped")

    # 4. exports: pseudonymised output holds no canary; the plain log does (sanity)
    r = s.fd("log", db=db, as_user="mgr")
    s.check(b"Zebedee" in r.out_b, "the plain export does hold the facts (the test can see)")
    for argv in (["log", "--pseudonymise", KEY], ["log", "--pseudonymise", KEY, "--format",
                                                  "csv"],
                 ["log", "--pseudonymise", KEY, "--case", "G-1"],
                 ["log", "--pseudonymise", KEY, "--last", "3"]):
        r = s.fd(*argv, db=db, as_user="aud")
        s.check(r.returncode == 0 and r.stdout.strip(), " ".join(argv[:1] + argv[3:]) +
                " pseudonymised export runs")
        scan("pseudonymised export %s" % " ".join(argv[3:]), r.out_b, r.err_b)
        s.check("G-1" not in r.stdout, "case ids are pseudonymised (%s)" % " ".join(argv[3:]))
    for argv in (["stats"], ["whatif", "--rules", rel.POLICY], ["verify"], ["checkpoint"]):
        r = s.fd(*argv, db=db, as_user="mgr")
        scan("%s output" % argv[0], r.out_b, r.err_b)

    # 5. verify and export on a tampered database
    ok, _ = s.verify(db)
    s.check(ok, "verify passes before tampering")
    data = os.path.join(db, "data.mdb")
    with open(data, "rb") as f:
        raw = f.read()
    n1 = raw.count(b'Zebedee-Quux","dob"')
    raw = raw.replace(b'"consent":"given"', b'"consent":"givex"').replace(
        b"Zebedee-Quux", b"Zebedea-Quux")
    with open(data, "r+b") as f:
        f.write(raw)
    r = s.fd("verify", db=db, as_user="mgr")
    s.check(r.returncode == 1 and "FAILED" in r.stdout,
            "verify reports the tampering (%d copies edited)" % n1, r.stdout[-300:])
    s.log("verify on the tampered database: %s" % (r.stdout.strip().splitlines() or [""])[-1])
    scan("verify on a tampered database", r.out_b, r.err_b)
    for argv in (["log", "--pseudonymise", KEY], ["log", "--pseudonymise", KEY, "--format",
                                                  "csv"],
                 ["whatif", "--rules", rel.POLICY], ["stats"]):
        r = s.fd(*argv, db=db, as_user="mgr")
        scan("%s on a tampered database" % " ".join(argv[:1] + argv[3:]), r.out_b, r.err_b)
    r = s.fd("log", "--last", "2", db=db, as_user="mgr")
    scan("plain log stderr on a tampered database", r.err_b)

    # 6. no core dumps while case data is loaded
    def check_process(argv, user=None, what=""):
        cmd = [s.bin] + argv
        if user:
            cmd = ["runuser", "-u", user, "--"] + cmd
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=s.env({"HOME": "/"}), cwd="/")
        p.stdin.write((canary_case("CORE-1") + "\n").encode())
        p.stdin.flush()
        pid = p.pid
        if user:
            # the frontdoor under runuser: its child
            deadline = time.time() + 10
            while time.time() < deadline:
                try:
                    with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                        kids = f.read().split()
                except OSError:
                    kids = []
                if kids:
                    pid = int(kids[0])
                    break
                time.sleep(0.05)
        time.sleep(1.0 if s.sanitized else 0.3)
        try:
            with open("/proc/%d/limits" % pid) as f:
                limits = f.read()
            with open("/proc/%d/status" % pid) as f:
                status = f.read()
            owner = os.stat("/proc/%d/status" % pid).st_uid
        finally:
            p.stdin.close()
            out, err = p.stdout.read(), p.stderr.read()
            p.wait(timeout=60)
        m = re.search(r"^Max core file size\s+(\S+)\s+(\S+)", limits, re.M)
        s.check(m is not None and m.group(1) == "0" and m.group(2) == "0",
                "%s: core file size limit 0 (soft and hard)" % what,
                m.group(0) if m else limits)
        uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))
        if uid != 0:
            s.check(owner == 0, "%s: not dumpable (/proc/%d/status owned by root, process uid %d)" %
                    (what, pid, uid))
        s.log("%s: %s; process uid %d, /proc entry owned by uid %d" % (
            what, m.group(0) if m else "?", uid, owner))
        scan("%s stderr" % what, err)

    check_process(["route", "--rules", rel.POLICY, "-"], what="route reading stdin")
    check_process(["--db", db, "--as", "mgr", "decide", "-"], what="decide reading stdin")
    try:
        import pwd
        pwd.getpwnam("nobody")
        check_process(["route", "--rules", rel.POLICY, "-"], user="nobody",
                      what="route as nobody")
    except KeyError:
        s.log("no user nobody: dumpable check skipped")

    s.log("%d outputs scanned; canaries found: %s" % (
        runs[0], ", ".join("%s %d" % (c.decode(), k) for c, k in found.items())))
    s.check(sum(found.values()) == 0, "0 canaries in stderr, error messages and "
            "pseudonymised exports")
    s.finish()


if __name__ == "__main__":
    main()
