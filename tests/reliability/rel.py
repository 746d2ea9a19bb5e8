"""rel.py: what the reliability tests share: finding the binaries, scratch databases,
running frontdoor with limits, counting checks and the closing "N passed, N failed" line."""

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.environ.get("FD_SOURCE_ROOT") or os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, "data")
POLICY = os.path.join(DATA, "policy.yaml")
SKIP = 77

# The roles table of src/roles.c, written out again so that the tests check the code
# against the specification rather than against itself.
ROLES = ["officer", "early_help", "manager", "auditor", "admin"]
ALLOWED = {
    "route": {"officer", "manager"},
    "outcome": {"early_help", "manager"},
    "step": {"early_help", "manager"},
    "sign_off": {"manager"},
    "correct": {"officer", "early_help", "manager"},
    "read_cases": {"officer", "early_help", "manager", "auditor"},
    "audit": {"manager", "auditor"},
    "checkpoint": {"manager", "auditor", "admin"},
    "users": {"admin"},
    "publish": {"admin"},
    "rules_history": {"manager", "auditor", "admin"},
}


class Suite:
    """Command line, paths and the pass/fail tally of one test script."""

    def __init__(self, name, description):
        p = argparse.ArgumentParser(prog=name, description=description)
        p.add_argument("--long", action="store_true", help="the full figures, not the CI size")
        p.add_argument("--build", help="build directory (default: $FD_BUILD_ROOT or SOURCE/build)")
        p.add_argument("--seed", type=int, default=None, help="random seed")
        p.add_argument("-v", "--verbose", action="store_true")
        self.add_argument = p.add_argument
        self._parser = p
        self.name = name
        self.passed = 0
        self.failed = 0
        self.tmp = None
        self.args = None

    def parse(self):
        self.args = a = self._parser.parse_args()
        self.long = a.long
        build = a.build or os.environ.get("FD_BUILD_ROOT") or os.path.join(SOURCE_ROOT, "build")
        self.build = os.path.abspath(build)
        if a.build:
            self.bin = os.path.join(self.build, "frontdoor")
            self.shim = os.path.join(self.build, "tests", "reliability", "libfaultshim.so")
        else:
            self.bin = os.environ.get("FD_BIN") or os.path.join(self.build, "frontdoor")
            self.shim = os.environ.get("FD_SHIM") or os.path.join(
                self.build, "tests", "reliability", "libfaultshim.so")
        # what LD_PRELOAD holds for the fault shim: a shared ASan runtime must come first
        asan = os.environ.get("FD_ASAN_RUNTIME")
        self.shim_preload = asan + ":" + self.shim if asan else self.shim
        self.sanitized = self._sanitized()
        self.seed = a.seed if a.seed is not None else int(time.time())
        self.rng = random.Random(self.seed)
        self.tmp = tempfile.mkdtemp(prefix="fd-rel-%s-" % self.name)
        os.chmod(self.tmp, 0o755)
        self.log("%s: %s mode, binary %s%s, seed %d" % (
            self.name, "long" if self.long else "CI", self.bin,
            " (ASan+UBSan)" if self.sanitized else "", self.seed))
        return a

    def _sanitized(self):
        env = os.environ.get("FD_SANITIZE")
        if env is not None and not self.args.build:
            return env not in ("", "none")
        try:
            with open(self.bin, "rb") as f:
                return b"__asan_init" in f.read()
        except OSError:
            return False

    def log(self, msg):
        print(msg, flush=True)

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            if self.args.verbose:
                self.log("ok   " + what)
        else:
            self.failed += 1
            self.log("FAIL " + what + (": " + detail if detail else ""))
        return ok

    def tally(self, ok_count, fail_count):
        """Adds counts from a loop that checked many things itself."""
        self.passed += ok_count
        self.failed += fail_count

    def finish(self):
        if self.tmp and self.failed == 0 and not os.environ.get("FD_KEEP"):
            shutil.rmtree(self.tmp, ignore_errors=True)
        elif self.tmp:
            self.log("scratch files kept in " + self.tmp)
        self.log("%d passed, %d failed" % (self.passed, self.failed))
        sys.exit(1 if self.failed else 0)

    def skip(self, why):
        self.log("%s: skipped: %s" % (self.name, why))
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
        self.log("%d passed, %d failed" % (self.passed, self.failed))
        sys.exit(SKIP)

    # ---- running frontdoor ----

    def env(self, extra=None):
        e = {
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
            "HOME": self.tmp,
            "XDG_DATA_HOME": os.path.join(self.tmp, "xdg"),
            "TMPDIR": self.tmp,
            # ASan: no leak report from a process we kill, and a clear exit code for a finding
            "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=86",
            "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1:exitcode=86",
        }
        if extra:
            e.update(extra)
        return e

    def fd(self, *argv, db=None, as_user=None, stdin=None, input=None, timeout=120,
           env=None, preload=None):
        """Runs frontdoor; returns CompletedProcess with text stdout/stderr (bytes kept raw
        in .out_b/.err_b)."""
        cmd = [self.bin]
        if db:
            cmd += ["--db", db]
        if as_user:
            cmd += ["--as", as_user]
        cmd += list(argv)
        e = self.env(env)
        if preload:
            e["LD_PRELOAD"] = preload
        r = subprocess.run(cmd, input=input.encode() if isinstance(input, str) else input,
                           stdin=stdin if input is None else None,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e,
                           timeout=timeout)
        r.out_b, r.err_b = r.stdout, r.stderr
        r.stdout = r.stdout.decode("utf-8", "replace")
        r.stderr = r.stderr.decode("utf-8", "replace")
        return r

    def popen(self, *argv, db=None, as_user=None, env=None, preload=None, **kw):
        cmd = [self.bin]
        if db:
            cmd += ["--db", db]
        if as_user:
            cmd += ["--as", as_user]
        cmd += list(argv)
        e = self.env(env)
        if preload:
            e["LD_PRELOAD"] = preload
        return subprocess.Popen(cmd, env=e, **kw)

    def count_calls(self, r, count_file, what):
        """The calls on data.mdb that a counting run under the shim (FAULT_AT=0) wrote to
        count_file, once its exit status says it ran; None (a failed check) otherwise."""
        if not self.check(r.returncode == 0, what + ": exit status 0",
                          "exit %d: %s" % (r.returncode, r.stderr[-600:])):
            return None
        try:
            with open(count_file) as f:
                n = int(f.read())
        except (OSError, ValueError) as e:
            self.check(False, what + ": the shim wrote its count", str(e))
            return None
        self.check(n > 0, what + ": %d calls on data.mdb" % n)
        return n if n > 0 else None

    # ---- databases ----

    def is_root(self):
        return os.geteuid() == 0

    def need_root(self, why="it acts as several users with --as, which is for root only"):
        if not self.is_root():
            self.skip("not root: " + why)

    def new_db(self, name="db", users=(("mgr", "manager"), ("off", "officer")), rules=POLICY):
        """A fresh database with the fixture rules in force; root is its admin."""
        path = os.path.join(self.tmp, name)
        r = self.fd("init", "--db", path, "--rules", rules)
        if r.returncode != 0:
            raise SystemExit("cannot create a database: " + r.stderr)
        for user, role in users:
            r = self.fd("users", "add", user, role, db=path)
            if r.returncode != 0:
                raise SystemExit("cannot add %s: %s" % (user, r.stderr))
        return path

    def verify(self, db, as_user="mgr"):
        """(ok, output) of frontdoor verify."""
        r = self.fd("verify", "--quiet", db=db, as_user=as_user, timeout=600)
        return r.returncode == 0 and "chain intact" in r.stdout, r.stdout + r.stderr

    def log_records(self, db, as_user="mgr", last=None, decisions=True):
        """The decision log as a list of dicts (seq, case_id, kind, ...): its decisions, or
        with decisions=False also the rule-set publications and role grants and removals."""
        import json
        argv = ["log"] + (["--last", str(last)] if last else [])
        r = self.fd(*argv, db=db, as_user=as_user, timeout=600)
        if r.returncode != 0:
            raise RuntimeError("log failed: " + r.stderr)
        recs = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
        return [x for x in recs if not decisions or x["kind"] not in CHANGES]


# the kinds of record that change who may act or which rules are in force
CHANGES = ("publish", "grant", "revoke")


def case_line(case_id, consent="given", indicators=("dev.l2_15",), **extra):
    import json
    c = {"case_id": case_id, "received": "2026-02-02T09:01:00Z",
         "child": {"age": 9, "district": "Gedling"}, "referrer": {"agency": "health"},
         "consent": consent, "indicators": list(indicators)}
    c.update(extra)
    return json.dumps(c, separators=(",", ":"))


def load_cases():
    """The committed fixture cases (data/cases.jsonl), as lines without newlines."""
    with open(os.path.join(DATA, "cases.jsonl")) as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def with_case_id(line, new_id):
    """The same case line under another case id (the fixture ids are C-00000001 ...)."""
    return re.sub(r'"case_id":"[^"]*"', '"case_id":"%s"' % new_id, line, count=1)


def wchan(pid):
    try:
        with open("/proc/%d/wchan" % pid) as f:
            return f.read().strip()
    except OSError:
        return ""


def kill(p, sig=signal.SIGKILL):
    try:
        os.kill(p.pid, sig)
    except ProcessLookupError:
        pass
