#!/usr/bin/env python3
"""fullfs.py: a small full file system. As root, a 1 MB tmpfs is mounted in a scratch
directory (4 MB with --long; skipped, exit 77, when that is not possible), a database created in it, most of
the space taken by a filler file, and large decisions recorded one commit at a time until
the disk is full: the failing decision is refused with a message naming the line and the
cause, nothing acknowledged is lost, and the database verifies. With the disk still full,
small decisions and actions fail as cleanly (or succeed in LMDB's free pages, and are then
in the log). Once the filler is removed, the refused decisions are recorded on retry and
the database verifies. CI: one fill; --long: 10 fill-and-free cycles."""

import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel  # noqa: E402


def fill(path, chunk=4096):
    """Writes until ENOSPC; returns the bytes written."""
    n = 0
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                n += f.write(b"\0" * chunk)
        except OSError:
            pass
    return n


def main():
    s = rel.Suite("fullfs", __doc__)
    s.parse()
    s.need_root("it mounts a small tmpfs")
    mnt = os.path.join(s.tmp, "mnt")
    os.mkdir(mnt)
    size = "4m" if s.long else "1m"
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s,mode=0755" % size, "fdrel-full",
                        mnt],
                       capture_output=True, text=True)
    if r.returncode != 0:
        s.skip("cannot mount a tmpfs here: " + r.stderr.strip())
    try:
        run(s, mnt)
    finally:
        subprocess.run(["umount", "-l", mnt], capture_output=True)
    s.finish()


def run(s, mnt):
    fixture = rel.load_cases()
    db = os.path.join(mnt, "db")
    r = s.fd("init", "--db", db, "--rules", rel.POLICY)
    s.check(r.returncode == 0, "init on a 1 MB tmpfs", r.stderr)
    s.fd("users", "add", "mgr", "manager", db=db)
    cycles = 10 if s.long else 1
    acked = {}
    n = [0]

    def big_cases(count, size):
        lines = []
        for _ in range(count):
            n[0] += 1
            line = rel.with_case_id(fixture[n[0] % len(fixture)], "FS-%05d" % n[0])
            lines.append(line[:-1] + ',"notes":"%s"}' % ("n" * size))
        return lines

    def record(lines, what):
        path = os.path.join(s.tmp, "in.jsonl")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        r = s.fd("route", "--record", "--batch", "1", path, db=db, as_user="mgr")
        got = {}
        for line in r.stdout.splitlines():
            d = json.loads(line)
            got[d["case_id"]] = d["seq"]
        s.check(r.returncode in (0, 1), "%s: exit 0 or 1" % what, "exit %d %s" % (
            r.returncode, r.stderr[-300:]))
        acked.update(got)
        return r, got

    def check_log(what):
        recs = s.log_records(db)
        bymap = {x["case_id"]: x["seq"] for x in recs}
        lost = [c for c, q in acked.items() if bymap.get(c) != q]
        s.check(not lost, "%s: every acknowledged decision is in the log" % what, str(lost[:5]))
        ok, out = s.verify(db)
        s.check(ok, "%s: verify" % what, out[-300:])
        return len(recs)

    for cycle in range(cycles):
        filler = os.path.join(mnt, "filler")
        st = os.statvfs(mnt)
        free = st.f_bavail * st.f_frsize
        if cycle > 0 and free < 400 * 1024:
            s.log("the database fills the file system (%d KB free): stopping after %d cycles"
                  % (free // 1024, cycle))
            break
        with open(filler, "wb") as f:
            f.write(b"\0" * max(0, free - 160 * 1024))
        # large decisions until the disk is full
        lines = big_cases(40, 30000)
        r, got = record(lines, "cycle %d: large decisions" % cycle)
        refused = len(lines) - len(got)
        # a write cut short by the full disk is reported by LMDB as EIO
        full = r.returncode == 1 and "not recorded" in r.stderr and (
            "No space left on device" in r.stderr or "Input/output error" in r.stderr)
        s.check(full and refused > 0, "cycle %d: the disk fills and the decision is refused "
                "with a message" % cycle, r.stderr[-300:])
        if cycle == 0:
            s.log("%s tmpfs: %d of %d large decisions recorded, then: %s" % (
                "4 MB" if s.long else "1 MB", len(got), len(lines), r.stderr.strip().splitlines()[0] if r.stderr else ""))
        check_log("cycle %d: disk full" % cycle)
        # the disk stays full: small work fails cleanly or succeeds for real
        fill(os.path.join(mnt, "filler2"))
        r2, got2 = record(big_cases(3, 10), "cycle %d: small decisions, disk full" % cycle)
        if r2.returncode == 1:
            s.check("not recorded" in r2.stderr, "cycle %d: small decision refused with a "
                    "message" % cycle, r2.stderr[-300:])
        r3 = s.fd("checkpoint", db=db, as_user="mgr")
        s.check(r3.returncode in (0, 1) and (r3.returncode == 0 or r3.stderr.strip()),
                "cycle %d: checkpoint on a full disk exits cleanly" % cycle, r3.stderr)
        r4 = s.fd("users", "add", "extra%d" % cycle, "auditor", db=db)
        s.check(r4.returncode in (0, 1) and (r4.returncode == 0 or r4.stderr.strip()),
                "cycle %d: users add on a full disk exits cleanly" % cycle, r4.stderr)
        check_log("cycle %d: disk still full" % cycle)
        # free the space: the refused decisions go in on retry
        os.unlink(filler)
        os.unlink(os.path.join(mnt, "filler2"))
        retry = [l for l in lines if json.loads(l)["case_id"] not in acked][:3]
        r5, got5 = record(retry, "cycle %d: retry after freeing space" % cycle)
        s.check(r5.returncode == 0 and len(got5) == len(retry),
                "cycle %d: work resumes once space is freed (%d retried)" % (cycle, len(retry)),
                r5.stderr[-300:])
        total = check_log("cycle %d: after freeing space" % cycle)
        if s.long or cycle == 0:
            s.log("cycle %d: %d refused when full, %d retried and recorded after freeing; "
                  "%d records, chain intact" % (cycle, refused, len(got5), total))
    for f in os.listdir(db):
        m = os.stat(os.path.join(db, f)).st_mode & 0o7777
        want = 0o640 if f == "checkpoint.key" else 0o660
        s.check(m == want, "%s still %04o after the disk was full" % (f, want), "%04o" % m)


if __name__ == "__main__":
    main()
