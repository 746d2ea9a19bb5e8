#!/usr/bin/env python3
"""faults.py: I/O faults under a commit. The LD_PRELOAD shim (faultshim.c) makes the k-th
write, writev, pwrite, fsync, fdatasync or msync of data.mdb fail with ENOSPC or EIO. The
calls of one commit are counted first (FAULT_AT=0), then for every k over the whole commit
one `route --record --batch 1` of one case runs with the k-th call failing. Each time:
no false acknowledgement (a decision printed is in the log), no crash (exit 0 or 1, never
a signal), a clear message on stderr, the database still verifies, and retrying the same
case without the fault succeeds. CI: ENOSPC and EIO on `route`; --long adds EDQUOT and
EFBIG, a batch of 5 cases in one commit, and `decide`."""

import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel  # noqa: E402

ERRTEXT = {"ENOSPC": "No space left on device", "EIO": "Input/output error",
           "EDQUOT": "Disk quota exceeded", "EFBIG": "File too large"}


def main():
    s = rel.Suite("faults", __doc__)
    s.parse()
    s.need_root()
    if not os.path.exists(s.shim):
        s.skip("no fault shim at " + s.shim)
    fixture = rel.load_cases()
    db = s.new_db()
    flog = os.path.join(s.tmp, "fault.log")
    count_file = os.path.join(s.tmp, "count")
    inputs = os.path.join(s.tmp, "in")
    os.mkdir(inputs)
    totals = {"runs": 0, "faulted": 0, "false_ack": 0, "crash": 0, "silent": 0,
              "verify": 0, "retry": 0, "absorbed": 0}
    counter = [0]

    def write_cases(tag, n):
        path = os.path.join(inputs, tag + ".jsonl")
        ids = []
        with open(path, "w") as f:
            for i in range(n):
                cid = "F-%s-%d" % (tag, i)
                counter[0] += 1
                f.write(rel.with_case_id(fixture[counter[0] % len(fixture)], cid) + "\n")
                ids.append(cid)
        return path, ids

    def run(cmd, path, fault_env):
        if cmd == "route":
            return s.fd("route", "--record", "--batch", "1", path, db=db, as_user="mgr",
                        env=fault_env, preload=s.shim_preload if fault_env else None)
        return s.fd("decide", path, db=db, as_user="mgr", env=fault_env,
                    preload=s.shim_preload if fault_env else None)

    def acked(cmd, r):
        """Case ids -> seq that the command said it recorded."""
        out = {}
        for line in r.stdout.splitlines():
            if cmd == "route" and line.startswith("{"):
                d = json.loads(line)
                out[d["case_id"]] = d["seq"]
            elif cmd == "decide" and line.startswith("recorded seq "):
                seq = int(line.split()[2].rstrip(":"))
                cid = line.split(", case ")[1].split(",")[0]
                out[cid] = seq
        return out

    def in_log(seq, cid):
        recs = s.log_records(db, last=60)
        return any(r["seq"] == seq and r["case_id"] == cid for r in recs)

    plans = [("route", 1, "ENOSPC"), ("route", 1, "EIO")]
    if s.long:
        plans += [("route", 1, "EDQUOT"), ("route", 1, "EFBIG"), ("route", 5, "ENOSPC"),
                  ("route", 5, "EIO"), ("decide", 1, "ENOSPC"), ("decide", 1, "EIO")]
    for cmd, batch, errname in plans:
        # count the calls of one whole commit
        path, ids = write_cases("count-%s-%d-%s" % (cmd, batch, errname), batch)
        if cmd == "route" and batch > 1:
            r = s.fd("route", "--record", "--batch", str(batch), path, db=db, as_user="mgr",
                     env={"FAULT_AT": "0", "FAULT_COUNT_FILE": count_file},
                     preload=s.shim_preload)
        else:
            r = run(cmd, path, {"FAULT_AT": "0", "FAULT_COUNT_FILE": count_file})
        ncalls = s.count_calls(r, count_file, "%s batch %d counting run" % (cmd, batch))
        if ncalls is None:
            continue
        k = 0
        while True:
            k += 1
            if k > 4 * ncalls + 8:
                s.check(False, "%s %s: the fault kept firing past call %d" % (cmd, errname, k))
                break
            path, ids = write_cases("%s-%d-%s-%d" % (cmd, batch, errname, k), batch)
            if os.path.exists(flog):
                os.unlink(flog)
            env = {"FAULT_AT": str(k), "FAULT_ERRNO": errname, "FAULT_LOG": flog}
            if cmd == "route" and batch > 1:
                r = s.fd("route", "--record", "--batch", str(batch), path, db=db,
                         as_user="mgr", env=env, preload=s.shim_preload)
            else:
                r = run(cmd, path, env)
            fired = os.path.exists(flog)
            what = "%s batch %d %s k=%d" % (cmd, batch, errname, k)
            if fired:
                with open(flog) as f:
                    what += " (" + f.read().strip() + ")"
            totals["runs"] += 1
            totals["faulted"] += fired
            acks = acked(cmd, r)
            # 1. no crash: 0 or 1, never a signal or a sanitizer's exit code
            if not s.check(r.returncode in (0, 1), what + ": exit status 0 or 1",
                           "exit %d: %s" % (r.returncode, r.stderr[-600:])):
                totals["crash"] += 1
            # 2. no false acknowledgement
            for cid, seq in acks.items():
                if not s.check(in_log(seq, cid), what + ": acknowledged %s is in the log" % cid):
                    totals["false_ack"] += 1
            if fired and r.returncode == 0:
                # the failed call did not stop the commit: only fine if it was not needed
                totals["absorbed"] += 1
                s.log("note: %s: a failed call was absorbed and the decision acknowledged"
                      % what)
            # 3. a clear message
            if r.returncode == 1:
                msg = r.stderr
                ok = ("not recorded" in msg or "nothing was saved" in msg) and \
                    ERRTEXT[errname] in msg
                if not s.check(ok, what + ": stderr says what failed", msg[-400:]):
                    totals["silent"] += 1
                s.check(not acks, what + ": nothing acknowledged on failure")
            # 4. the database still verifies
            ok, out = s.verify(db)
            if not s.check(ok, what + ": verify", out[-400:]):
                totals["verify"] += 1
            # 5. retrying without the fault succeeds
            if r.returncode != 0:
                r2 = run(cmd, path, None) if batch == 1 else s.fd(
                    "route", "--record", "--batch", str(batch), path, db=db, as_user="mgr")
                a2 = acked(cmd, r2)
                ok = r2.returncode == 0 and sorted(a2) == sorted(ids) and all(
                    in_log(seq, cid) for cid, seq in a2.items())
                if not s.check(ok, what + ": retry without the fault", r2.stderr[-400:]):
                    totals["retry"] += 1
            if not fired:
                break
        s.log("%s, batch %d, %s: %d calls counted on data.mdb in one commit; faults "
              "injected at k = 1..%d" % (cmd, batch, errname, ncalls, k - 1))
    s.log("%d runs, %d with a fault injected: %d false acknowledgements, %d crashes, %d "
          "without a clear message, %d verify failures, %d failed retries, %d faults "
          "absorbed" % (totals["runs"], totals["faulted"], totals["false_ack"],
                        totals["crash"], totals["silent"], totals["verify"], totals["retry"],
                        totals["absorbed"]))
    s.finish()


if __name__ == "__main__":
    main()
