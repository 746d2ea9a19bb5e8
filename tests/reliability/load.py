#!/usr/bin/env python3
"""load.py: 8 writer processes append at once to one database with `route --record
--batch 1` (CI: 1,000 decisions each; --long: 10,000): every process succeeds, every
sequence number is present exactly once, every case once, every acknowledgement matches
the log, and the chain verifies. Then 3 rounds of 200 readers (`frontdoor log`, stopped
mid-read by a full pipe while holding a read transaction, and `frontdoor verify`) are
killed with SIGKILL: their reader slots are reclaimed (LMDB keeps 510), and a new reader
and a new writer still work. A live reader keeps the environment open all along, so the
slots are reclaimed by frontdoor's reader check at open, not by LMDB resetting an unused
lock file."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel  # noqa: E402

WRITERS = 8
READERS = 200
ROUNDS = 3


def reader_pids(db):
    """PIDs holding a slot in LMDB's reader table (mdb_stat -r)."""
    r = subprocess.run(["mdb_stat", "-r", db], capture_output=True, text=True)
    pids = []
    for line in r.stdout.splitlines():
        f = line.split()
        if len(f) == 3 and f[0].isdigit():
            pids.append(int(f[0]))
    return pids


def parent_of(pid):
    """The parent's PID, or 0 once the process is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def gone(pid):
    """True once the process has exited (no /proc entry, or a zombie awaiting its reaper)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def wait_gone(pids, seconds):
    """Wait until every process in pids has exited; the reading children die by the parent's
    death signal, a moment after the parent itself."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not all(gone(p) for p in pids):
        time.sleep(0.05)
    return all(gone(p) for p in pids)


def main():
    s = rel.Suite("load", __doc__)
    s.add_argument("--per-writer", type=int, default=None)
    s.parse()
    s.need_root()
    n = s.args.per_writer or (10000 if s.long else 1000)
    fixture = rel.load_cases()
    db = s.new_db()
    procs = []
    t0 = time.monotonic()
    for w in range(WRITERS):
        path = os.path.join(s.tmp, "w%d.jsonl" % w)
        with open(path, "w") as f:
            for i in range(n):
                f.write(rel.with_case_id(fixture[(w * n + i) % len(fixture)],
                                         "L-%d-%06d" % (w, i)) + "\n")
        out = open(os.path.join(s.tmp, "w%d.out" % w), "wb")
        err = open(os.path.join(s.tmp, "w%d.err" % w), "wb")
        procs.append((s.popen("route", "--record", "--batch", "1", path, db=db,
                              as_user="mgr", stdout=out, stderr=err), out, err))
    for w, (p, out, err) in enumerate(procs):
        rc = p.wait(timeout=3600)
        out.close()
        err.close()
        with open(err.name) as f:
            s.check(rc == 0, "writer %d exits 0" % w, f.read()[-400:])
    secs = time.monotonic() - t0
    acks = {}
    for w in range(WRITERS):
        with open(os.path.join(s.tmp, "w%d.out" % w)) as f:
            for line in f:
                d = json.loads(line)
                acks[d["seq"]] = d["case_id"]
    total = WRITERS * n
    s.log("%d writers x %d decisions, one commit each: %d acknowledged in %.1f s (%.0f "
          "commits/s)" % (WRITERS, n, len(acks), secs, len(acks) / secs))
    s.check(len(acks) == total, "%d distinct sequence numbers acknowledged" % total,
            "got %d" % len(acks))
    every = s.log_records(db, decisions=False)
    setup = len(every) - len([r for r in every if r["kind"] not in rel.CHANGES])
    recs = every[setup:]
    seqs = [r["seq"] for r in every]
    s.check(seqs == list(range(1, setup + total + 1)) and len(recs) == total and
            all(r["kind"] not in rel.CHANGES for r in recs),
            "the log holds seq 1..%d, each exactly once: the publication and %d grants, "
            "then the decisions" % (setup + total, setup - 1),
            "%d records, first %s last %s" % (len(seqs), seqs[:1], seqs[-1:]))
    ids = [r["case_id"] for r in recs]
    s.check(len(set(ids)) == total, "every case recorded exactly once")
    bad = [q for q, c in acks.items() if q - setup > len(recs) or q <= setup or
           recs[q - setup - 1]["case_id"] != c]
    s.check(not bad, "every acknowledgement matches the log", str(bad[:5]))
    # interleaving: the writers really ran at once
    switches = sum(1 for a, b in zip(ids, ids[1:]) if a.split("-")[1] != b.split("-")[1])
    s.log("writer switches along the log: %d" % switches)
    s.check(switches > WRITERS, "the writers' commits interleave")
    t0 = time.monotonic()
    ok, out = s.verify(db)
    s.check(ok, "verify after the load (%.1f s)" % (time.monotonic() - t0), out[-400:])

    # ---- readers killed mid-read ----
    have_mdb_stat = shutil.which("mdb_stat") is not None
    killed = 0
    # a live reader keeps the environment open throughout, so that LMDB does not simply
    # reset its lock file at the next open: the dead readers' slots must be reclaimed
    sentinel = s.popen("log", db=db, as_user="mgr", stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    for rnd in range(ROUNDS):
        readers = []
        for i in range(READERS):
            if i % 4 == 3:
                # verify: killed at a random moment of its run
                p = s.popen("verify", "--quiet", db=db, as_user="mgr",
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            else:
                # log: blocks writing to a pipe nobody reads, inside its read transaction
                p = s.popen("log", db=db, as_user="mgr", stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
            readers.append(p)
        deadline = time.monotonic() + 120
        started = set(p.pid for p in readers)
        # a reading command reads in a child process: its slot bears the child's pid
        mine = set(started)
        holding = 0
        while have_mdb_stat and time.monotonic() < deadline:
            slots = set(reader_pids(db))
            mine |= set(pid for pid in slots if parent_of(pid) in started)
            holding = len(mine & slots)
            if holding >= READERS * 3 // 4:
                break
            time.sleep(0.2)
        time.sleep(s.rng.uniform(0, 0.3))
        for p in readers:
            rel.kill(p)
        for p in readers:
            p.wait()
            if p.stdout:
                p.stdout.close()
        killed += len(readers)
        # a slot is stale only once its holder is dead: a killed reader's child may outlive
        # its parent by a moment, and would rightly keep its slot while alive
        s.check(wait_gone(mine, 60), "round %d: the killed readers' children exited" % (rnd + 1))
        stale = len(mine & set(reader_pids(db))) if have_mdb_stat else -1
        r = s.fd("log", "--last", "1", db=db, as_user="mgr", timeout=60)
        s.check(r.returncode == 0 and '"seq":%d' % (setup + total) in r.stdout,
                "round %d: a new reader works after %d readers were killed" % (rnd + 1, killed),
                r.stderr)
        after = len(mine & set(reader_pids(db))) if have_mdb_stat else -1
        s.log("round %d: %d readers started, %d seen holding a reader slot, killed; %d stale "
              "slots left, %d after the next frontdoor opened the database" % (
                  rnd + 1, READERS, holding, stale, after))
        if have_mdb_stat:
            s.check(holding >= READERS // 2, "round %d: the readers were mid-read" % (rnd + 1))
            s.check(stale > 0, "round %d: the killed readers left stale slots" % (rnd + 1))
            s.check(after == 0, "round %d: stale reader slots reclaimed" % (rnd + 1))
    alive = sentinel.poll() is None
    rel.kill(sentinel)
    sentinel.wait()
    sentinel.stdout.close()
    s.check(alive, "the sentinel reader stayed up through the rounds")
    cid = "L-after-readers"
    r = s.fd("route", "--record", "--batch", "1", "-", db=db, as_user="mgr",
             input=rel.with_case_id(fixture[0], cid) + "\n")
    s.check(r.returncode == 0 and '"seq":%d' % (setup + total + 1) in r.stdout,
            "a writer works after %d readers were killed" % killed, r.stderr)
    ok, out = s.verify(db)
    s.check(ok, "final verify", out[-400:])
    s.finish()


if __name__ == "__main__":
    main()
