#!/usr/bin/env python3
"""valgrind.py: memcheck, 0 errors. Every process runs under `valgrind --error-exitcode=1
--leak-check=full` (definite and possible leaks count as errors) with its report in a log
file, and any report is a failure. CI: the CLI on a small database (init, users, rules
check/show/test, route, route --record, decide, outcome, step-up, sign-off, correct,
verify, log and its exports, whatif, stats, checkpoint, and refusals and bad input).
--long: also every test of the unit, core and cli suites and the test programs of the
store suite (found with `meson introspect --tests`), the golden CLI tests with frontdoor
run under valgrind.
Skipped (77) on an ASan build, which valgrind cannot run, or without valgrind."""

import glob
import json
import os
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel  # noqa: E402

LONG_SUITES = {"unit", "core", "store", "cli"}


def main():
    s = rel.Suite("valgrind", __doc__)
    s.parse()
    if s.sanitized:
        s.skip("an ASan build: valgrind runs on the plain build (meson test -C build)")
    vg = shutil.which("valgrind")
    if vg is None:
        s.skip("valgrind is not installed")
    logs = os.path.join(s.tmp, "vg")
    os.mkdir(logs)
    wrapper = os.path.join(s.tmp, "frontdoor-vg")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\nexec %s -q --error-exitcode=1 --leak-check=full "
                "--errors-for-leak-kinds=definite,possible --log-file=%s/fd.%%p.log %s \"$@\"\n"
                % (vg, logs, s.bin))
    os.chmod(wrapper, 0o755)
    real_bin, s.bin = s.bin, wrapper
    ran = [0]

    def fd(*argv, **kw):
        ran[0] += 1
        return s.fd(*argv, timeout=600, **kw)

    # ---- the CLI under valgrind ----
    t0 = time.monotonic()
    fixture = rel.load_cases()
    fd("rules", "check", rel.POLICY)
    fd("rules", "show", rel.POLICY)
    fd("rules", "test", rel.POLICY)
    fd("route", "--rules", rel.POLICY, "--explain", input="\n".join(fixture[:50]) + "\n")
    fd("rules", "check", os.path.join(s.tmp, "missing.yaml"))
    bad = os.path.join(s.tmp, "bad.yaml")
    with open(bad, "wb") as f:
        f.write(b"frontdoor: 1\nname: &a x\nname: y\n\xff\x00")
    fd("rules", "check", bad)
    fd("route", "--rules", rel.POLICY, input='{"case_id":"x"}\n[[[\n{"a":"\xff"}\n')
    db = os.path.join(s.tmp, "db")
    fd("init", "--db", db, "--rules", rel.POLICY)
    root = s.is_root()
    if root:
        for u, role in (("mgr", "manager"), ("off", "officer"), ("eh", "early_help"),
                        ("aud", "auditor")):
            fd("users", "add", u, role, db=db)
        fd("users", "list", db=db)
        fd("route", "--record", "--batch", "7", db=db, as_user="mgr",
           input="\n".join(fixture[:40]) + "\n")
        r = fd("decide", "--override", "mash", "--rationale",
               "Police report received after the contact was made", db=db, as_user="off",
               input=rel.with_case_id(fixture[41], "V-1"))
        fd("outcome", "C-00000002", "needs_met", db=db, as_user="eh")
        fd("step-up", "C-00000003", "--urgency", "red", "--rationale", "New concerns were raised by the school",
           db=db, as_user="eh")
        fd("sign-off", "41", "--approve", db=db, as_user="mgr")
        fd("correct", "5", "--rationale", "Recorded against the wrong district by mistake",
           db=db, as_user="off")
        fd("route", "--record", db=db, as_user="aud", input=fixture[50] + "\n")
        fd("verify", db=db, as_user="aud")
        fd("log", db=db, as_user="aud")
        fd("log", "--format", "csv", db=db, as_user="aud")
        fd("log", "--pseudonymise", "0123456789abcdef0123", db=db, as_user="aud")
        fd("log", "--case", "C-00000003", db=db, as_user="aud")
        fd("whatif", "--rules", rel.POLICY, db=db, as_user="aud")
        fd("stats", db=db, as_user="aud")
        fd("stats", "--by", "district", "--format", "csv", db=db, as_user="aud")
        fd("checkpoint", db=db, as_user="aud")
        fd("rules", "history", db=db, as_user="aud")
        fd("rules", "publish", rel.POLICY, db=db)
        fd("users", "remove", "eh", db=db)
    else:
        fd("verify", db=db)
        fd("log", db=db)
    s.log("CLI: %d frontdoor runs under valgrind in %.0f s" % (ran[0], time.monotonic() - t0))
    check_logs(s, logs, "CLI")

    if s.long:
        s.bin = real_bin
        long_mode(s, vg, wrapper, logs)
    s.finish()


def check_logs(s, logs, what):
    reports = [p for p in glob.glob(os.path.join(logs, "*.log")) if os.path.getsize(p) > 0]
    for p in reports[:5]:
        with open(p) as f:
            s.log("valgrind report %s:\n%s" % (os.path.basename(p), f.read()[-3000:]))
    s.check(not reports, "%s: 0 valgrind errors (%d process logs)" % (
        what, len(glob.glob(os.path.join(logs, "*.log")))), "%d reports" % len(reports))
    for p in glob.glob(os.path.join(logs, "*.log")):
        os.unlink(p)


def long_mode(s, vg, wrapper, logs):
    r = subprocess.run(["meson", "introspect", "--tests", s.build], capture_output=True,
                       text=True)
    if r.returncode != 0:
        s.check(False, "meson introspect --tests", r.stderr)
        return
    tests = [t for t in json.loads(r.stdout) if LONG_SUITES & {x.split(":")[-1] for x in
                                                               t["suite"]}]
    # a copied build directory (cp -a build SNAP) names the original: run the copy's files
    with open(os.path.join(s.build, "meson-info", "meson-info.json")) as f:
        orig = json.load(f)["directories"]["build"]

    def here(a):
        return s.build + a[len(orig):] if orig != s.build and a.startswith(orig + "/") else a

    for t in tests:
        t["cmd"] = [here(a) for a in t["cmd"]]
        t["env"] = {k: here(v) for k, v in (t.get("env") or {}).items()}
        t["workdir"] = here(t["workdir"]) if t.get("workdir") else None
    for t in tests:
        cmd = t["cmd"]
        exe = cmd[0]
        with open(exe, "rb") as f:
            elf = f.read(4) == b"\x7fELF"
        if not elf and "cli" not in {x.split(":")[-1] for x in t["suite"]}:
            continue    # the store suite's scripts time and kill processes: ELF tests only
        if elf:
            argv = [vg, "-q", "--error-exitcode=1", "--leak-check=full",
                    "--errors-for-leak-kinds=definite,possible",
                    "--log-file=%s/test.%%p.log" % logs] + cmd
        else:
            # a script that runs frontdoor: hand it frontdoor under valgrind
            argv = [wrapper if a == s.bin else a for a in cmd]
        env = dict(os.environ)
        env.update({k: wrapper if v == s.bin else v for k, v in (t.get("env") or {}).items()})
        t0 = time.monotonic()
        p = subprocess.run(argv, capture_output=True, text=True, env=env,
                           cwd=t.get("workdir") or s.build, timeout=3600)
        secs = time.monotonic() - t0
        ok = p.returncode == 0 or p.returncode == 77
        s.log("%-28s exit %d in %6.1f s under valgrind" % (
            "/".join(t["suite"][:1]) + " " + t["name"], p.returncode, secs))
        s.check(ok, "%s passes under valgrind" % t["name"], (p.stdout + p.stderr)[-1500:])
        check_logs(s, logs, t["name"])


if __name__ == "__main__":
    main()
