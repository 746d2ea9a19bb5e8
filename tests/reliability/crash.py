#!/usr/bin/env python3
"""crash.py: kill -9 loop. Writers append decisions with `route --record --batch 1` and are
killed at random moments, some while holding LMDB's write transaction (stopped with SIGSTOP
in the middle of their work, a second writer started and seen to wait, then the first
killed: the second must go on). After every cycle: every acknowledged seq is in the log
with the same case id, no record is partial or duplicated, and `frontdoor verify` passes.
CI: 100 cycles; --long: 1,000."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel  # noqa: E402


class Writer:
    """One `route --record --batch 1` process and the acknowledgements it printed."""

    def __init__(self, s, db, path):
        self.p = s.popen("route", "--record", "--batch", "1", path, db=db, as_user="mgr",
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.acks = []          # (seq, case_id)
        self.partial = b""
        self.err = b""
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()
        self.te = threading.Thread(target=self._read_err, daemon=True)
        self.te.start()

    def _read(self):
        buf = b""
        while True:
            chunk = self.p.stdout.read1(65536)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                d = json.loads(line)
                self.acks.append((d["seq"], d["case_id"]))
        self.partial = buf

    def _read_err(self):
        self.err = self.p.stderr.read()

    def wait(self, timeout=None):
        rc = self.p.wait(timeout=timeout)
        self.t.join()
        self.te.join()
        return rc


def blocked_on_lock(pid):
    """Whether the process sleeps in flock() on frontdoor's writer lock (or in futex(),
    on LMDB's writer mutex)."""
    if any(w in rel.wchan(pid) for w in ("futex", "flock")):
        return True
    try:
        with open("/proc/%d/syscall" % pid) as f:
            return f.read().split()[0] in ("73", "202")
    except (OSError, IndexError):
        return False


def main():
    s = rel.Suite("crash", __doc__)
    s.add_argument("--cycles", type=int, default=None)
    s.add_argument("--lines", type=int, default=30, help="cases per writer")
    s.parse()
    s.need_root()
    cycles = s.args.cycles or (1000 if s.long else 100)
    lines = s.args.lines
    fixture = rel.load_cases()
    db = s.new_db()
    inputs = os.path.join(s.tmp, "in")
    os.mkdir(inputs)

    submitted = set()           # every case id ever given to a writer
    logged = {}                 # seq -> case_id, as read back from the log
    stats = {"lost": 0, "wrong": 0, "dup": 0, "partial": 0, "unknown": 0, "verify": 0,
             "held": 0, "stopped": 0, "second_stuck": 0, "acks": 0, "killed": 0,
             "finished": 0, "crashed": 0}
    counter = [0]

    def make_input(tag):
        path = os.path.join(inputs, tag + ".jsonl")
        with open(path, "w") as f:
            for i in range(lines):
                cid = "K-%s-%03d" % (tag, i)
                submitted.add(cid)
                counter[0] += 1
                f.write(rel.with_case_id(fixture[counter[0] % len(fixture)], cid) + "\n")
        return path

    # how long a writer takes for its whole input: the kills land anywhere in it
    t0 = time.monotonic()
    w = Writer(s, db, make_input("calibrate"))
    w.wait(timeout=300)
    span = time.monotonic() - t0
    s.log("a writer of %d decisions takes %.0f ms" % (lines, span * 1000))
    acked_all = list(w.acks)
    head = len(w.acks)

    for cycle in range(cycles):
        writers = []
        if cycle % 3 == 2:
            # stop a writer in the middle of its work, start another, kill the first
            a = Writer(s, db, make_input("c%04d-a" % cycle))
            deadline = time.monotonic() + 60
            while not a.acks and a.p.poll() is None and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(s.rng.uniform(0, span / 4))
            rel.kill(a.p, signal.SIGSTOP)
            stats["stopped"] += 1
            b = Writer(s, db, make_input("c%04d-b" % cycle))
            held = False
            deadline = time.monotonic() + max(2.0, span)
            while time.monotonic() < deadline and b.p.poll() is None:
                if b.acks:
                    break
                if blocked_on_lock(b.p.pid):
                    # stays blocked: the stopped writer holds the write transaction
                    time.sleep(0.05)
                    if not b.acks and blocked_on_lock(b.p.pid):
                        held = True
                        break
                time.sleep(0.005)
            stats["held"] += held
            rel.kill(a.p, signal.SIGKILL)
            stats["killed"] += 1
            try:
                rc = b.wait(timeout=120)
            except subprocess.TimeoutExpired:
                rel.kill(b.p)
                rc = b.wait()
                stats["second_stuck"] += 1
                s.check(False, "cycle %d: the second writer did not proceed after the "
                        "first was killed%s" % (cycle, " holding the lock" if held else ""))
            if rc != 0:
                stats["crashed"] += 1
                s.check(False, "cycle %d: second writer exit %s" % (cycle, rc),
                        b.err.decode(errors="replace")[-500:])
            elif len(b.acks) != lines:
                s.check(False, "cycle %d: second writer acknowledged %d of %d" % (
                    cycle, len(b.acks), lines))
            a.wait()
            writers = [a, b]
        else:
            n = 1 + cycle % 3
            ws = [Writer(s, db, make_input("c%04d-%d" % (cycle, i))) for i in range(n)]
            kills = sorted((s.rng.uniform(0, span * 1.2), w) for w in ws)
            start = time.monotonic()
            for when, w in [(k[0], k[1]) for k in kills]:
                delay = start + when - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                if w.p.poll() is None:
                    rel.kill(w.p)
                    stats["killed"] += 1
            for w in ws:
                rc = w.wait()
                if rc == 0:
                    stats["finished"] += 1
                elif rc != -signal.SIGKILL:
                    stats["crashed"] += 1
                    s.check(False, "cycle %d: a writer exited %s" % (cycle, rc),
                            w.err.decode(errors="replace")[-500:])
            writers = ws

        # ---- the checks after every cycle ----
        ok, out = s.verify(db)
        if not ok:
            stats["verify"] += 1
            s.check(False, "cycle %d: verify" % cycle, out[-800:])
        cycle_acks = [a for w in writers for a in w.acks]
        stats["acks"] += len(cycle_acks)
        acked_all.extend(cycle_acks)
        recs = s.log_records(db, last=lines * len(writers) + 1)
        for r in recs:
            if r["seq"] in logged and logged[r["seq"]] != r["case_id"]:
                stats["wrong"] += 1
                s.check(False, "cycle %d: seq %d changed case" % (cycle, r["seq"]))
            logged[r["seq"]] = r["case_id"]
        head = max(logged) if logged else 0
        for seq, cid in cycle_acks:
            if seq not in logged:
                stats["lost"] += 1
                s.check(False, "cycle %d: acknowledged seq %d (%s) is not in the log" % (
                    cycle, seq, cid))
            elif logged[seq] != cid:
                stats["wrong"] += 1
                s.check(False, "cycle %d: acknowledged seq %d is %s in the log, not %s" % (
                    cycle, seq, logged[seq], cid))
        if (cycle + 1) % max(1, cycles // 10) == 0:
            s.log("cycle %d: %d records, %d acknowledged, %d writers killed (%d while "
                  "holding the write lock)" % (cycle + 1, head, len(acked_all),
                                               stats["killed"], stats["held"]))

    # ---- the whole log, once more ----
    every = s.log_records(db, decisions=False)
    recs = [r for r in every if r["kind"] not in rel.CHANGES]
    seqs = [r["seq"] for r in every]
    ids = [r["case_id"] for r in recs]
    s.check(seqs == list(range(1, len(every) + 1)), "every sequence number 1..%d present "
            "exactly once" % len(every))
    dups = len(ids) - len(set(ids))
    stats["dup"] += dups
    s.check(dups == 0, "no case recorded twice", "%d duplicates" % dups)
    unknown = [i for i in ids if i not in submitted]
    stats["unknown"] += len(unknown)
    s.check(not unknown, "every record is a case that was submitted", str(unknown[:5]))
    bymap = dict((r["seq"], r["case_id"]) for r in recs)
    lost = [a for a in acked_all if bymap.get(a[0]) != a[1]]
    s.check(not lost, "all %d acknowledged decisions are in the log with their case id" %
            len(acked_all), str(lost[:5]))
    ok, out = s.verify(db)
    s.check(ok, "final verify", out[-500:])
    unacked = len(recs) - len(acked_all)
    s.log("%d cycles: %d writers killed (%d stopped mid-work, %d of them holding the write "
          "lock), %d finished; %d records in the log, %d acknowledged, %d durable but not "
          "acknowledged (killed between commit and print); lost %d, wrong %d, duplicate %d, "
          "partial %d, verify failures %d, second writer stuck %d" % (
              cycles, stats["killed"], stats["stopped"], stats["held"], stats["finished"],
              len(recs), len(acked_all), unacked, stats["lost"], stats["wrong"],
              stats["dup"], stats["partial"], stats["verify"], stats["second_stuck"]))
    s.check(stats["held"] > 0 or cycles < 10,
            "at least one writer was killed while holding the write lock")
    s.tally(cycles, 0)
    s.finish()


if __name__ == "__main__":
    main()
