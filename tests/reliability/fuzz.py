#!/usr/bin/env python3
"""fuzz.py: the four fuzz harnesses under ASan+UBSan: the rule loader (tests/fuzz/fuzz_rules),
the case parser (tests/fuzz/fuzz_case), the log record decoder (fuzz_record) and the
verifier on a damaged log (fuzz_verify). With libFuzzer (-Dfuzz=true) each runs from its
committed seed corpus, new inputs going to a scratch directory; otherwise the replay driver
(tests/fuzz/driver.c) runs the corpus and fixed mutations. CI: a short run of the two
harnesses of this directory (tests/fuzz runs the other two itself); --long: all four, 10
million executions each (--runs, --max-time and --only change that; --workers N runs N
libFuzzer processes a harness over one corpus, each its share of the executions, seeds
apart, picking up each other's finds). A crash, leak, hang (-timeout=10 s per input) or
memory blow-up (-rss_limit_mb=2048) is a failure."""

import os
import re
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel  # noqa: E402

HARNESSES = {
    "rules": ("tests/fuzz/fuzz_rules", "tests/fuzz/corpus/rules"),
    "case": ("tests/fuzz/fuzz_case", "tests/fuzz/corpus/case"),
    "record": ("tests/reliability/fuzz_record", "tests/reliability/corpus/record"),
    "verify": ("tests/reliability/fuzz_verify", "tests/reliability/corpus/verify"),
}
CI_RUNS = {"record": 20000, "verify": 1000}
# libFuzzer's entropic scheduling spent 44% of fuzz_verify's time on its own bookkeeping
# (UpdateFeatureFrequency, perf): without it the same harness runs 1.7x as many inputs.
# Not for fuzz_rules: 1.8x faster in its first 25 s, it then ran half as fast as with
# entropic scheduling (662 executions a second over an hour against 1,340), spending its
# time on the corpus's largest rule files
EXTRA = {"verify": ["-entropic=0"]}


def main():
    s = rel.Suite("fuzz", __doc__)
    s.add_argument("--runs", type=int, default=None)
    s.add_argument("--max-time", type=int, default=0, help="seconds per harness (0: none)")
    s.add_argument("--only", default=None, help="comma-separated: rules,case,record,verify")
    s.add_argument("--keep-corpus", default=None,
                   help="directory to keep the inputs each run found (one subdirectory each)")
    s.add_argument("--workers", type=int, default=1,
                   help="libFuzzer processes per harness, sharing its corpus (default 1)")
    s.parse()
    libfuzzer = os.environ.get("FD_LIBFUZZER")
    names = s.args.only.split(",") if s.args.only else (
        ["rules", "case", "record", "verify"] if s.long else ["record", "verify"])
    for name in names:
        exe_rel, corpus_rel = HARNESSES[name]
        exe = os.path.join(s.build, exe_rel)
        seeds = os.path.join(rel.SOURCE_ROOT, corpus_rel)
        if not os.path.exists(exe):
            s.check(False, "%s: no harness at %s" % (name, exe))
            continue
        with open(exe, "rb") as f:
            is_libfuzzer = b"LLVMFuzzerRunDriver" in f.read() if libfuzzer is None \
                else libfuzzer == "1"
        runs = s.args.runs or (10000000 if s.long else CI_RUNS.get(name, 20000))
        nseeds = len(os.listdir(seeds))
        work = os.path.join(s.args.keep_corpus or s.tmp, "corpus-" + name)
        os.makedirs(work, exist_ok=True)
        env = s.env({"ASAN_OPTIONS": "detect_leaks=1:abort_on_error=1:symbolize=1",
                     "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1"})
        workers = max(1, s.args.workers) if is_libfuzzer else 1
        cmds = []
        for w in range(workers):
            tag = name if workers == 1 else "%s.%d" % (name, w + 1)
            if is_libfuzzer:
                cmd = [exe, "-runs=%d" % -(-runs // workers),
                       "-seed=%d" % ((s.seed + w) & 0x7fffffff),
                       "-max_len=65536", "-rss_limit_mb=2048", "-timeout=10",
                       "-print_final_stats=1", "-artifact_prefix=%s/%s-" % (s.tmp, tag)]
                cmd += EXTRA.get(name, [])
                if s.args.max_time:
                    cmd.append("-max_total_time=%d" % s.args.max_time)
                cmd += [work, seeds]
            else:
                cmd = [exe, seeds, str(runs)]
            cmds.append((tag, cmd))
        t0 = time.monotonic()
        procs = []
        for tag, cmd in cmds:
            log_path = os.path.join(s.tmp, tag + ".log")
            with open(log_path, "wb") as logf:
                procs.append((tag, log_path, subprocess.Popen(
                    cmd, stdout=logf, stderr=subprocess.STDOUT, env=env, cwd=s.tmp)))
        results = {}
        while len(results) < len(procs):	# each one's own time, not the slowest's
            for tag, log_path, p in procs:
                if tag not in results and p.poll() is not None:
                    results[tag] = (log_path, p.returncode, time.monotonic() - t0)
            time.sleep(0.2)
        secs = time.monotonic() - t0
        total = 0
        for tag, (log_path, rc, own) in results.items():
            execs, ok = report_run(s, tag, log_path, rc, runs // workers, is_libfuzzer,
                                   own, nseeds)
            total += execs
            s.check(ok, "%s: no crash, leak, hang or memory blow-up" % tag)
        if workers > 1:
            s.log("%s: %d executions in all, %d workers, %.0f s" % (name, total, workers, secs))
    s.finish()


def report_run(s, tag, log_path, returncode, runs, is_libfuzzer, secs, nseeds):
    """Reads one process's log: its executions and whether it ended clean."""
    with open(log_path, "rb") as f:
        out = f.read().decode("utf-8", "replace")
    execs = runs
    m = re.findall(r"stat::number_of_executed_units:\s*(\d+)", out)
    if m:
        execs = int(m[-1])
    elif is_libfuzzer:
        m = re.findall(r"^#(\d+)\s", out, re.M)
        execs = int(m[-1]) if m else 0
    cov = re.findall(r"cov: (\d+) ft: (\d+) corp: (\d+)", out)
    finding = re.findall(r"(ERROR: (?:AddressSanitizer|LeakSanitizer|libFuzzer)[^\n]*|"
                         r"runtime error:[^\n]*|==\d+== ?ERROR[^\n]*)", out)
    ok = returncode == 0 and not finding
    s.log("%s: %s, %d executions in %.0f s (%.0f/s) from %d seeds%s%s" % (
        tag, "libFuzzer" if is_libfuzzer else "replay driver", execs, secs,
        execs / secs if secs else 0, nseeds,
        ", coverage %s edges, %s features, corpus %s" % cov[-1] if cov else "",
        "" if ok else "; FINDING: " + "; ".join(finding[:3])))
    if not ok:
        keep = os.path.join(s.build, "fuzz-findings")
        os.makedirs(keep, exist_ok=True)
        for f in os.listdir(s.tmp):
            if f.startswith(tag + "-"):
                shutil.copy(os.path.join(s.tmp, f), keep)
        shutil.copy(log_path, keep)
        s.log(out[-3000:])
    return execs, ok


if __name__ == "__main__":
    main()
