#!/usr/bin/env python3
"""upward.py: proves the build refuses an upward call and an upward #include.

The link check: the store linked whole with a scratch object that calls rules_free must fail
to link (built on demand through ninja). The include check: src/layers.py over a copy of the
tree passes as it is and fails once the store includes a core header.
"""
import pathlib
import shutil
import subprocess
import sys
import tempfile

NINJA, BUILD, TARGET, SOURCE = sys.argv[1:5]
failures = 0


def check(ok, what, detail=""):
    global failures
    print("%s %s%s" % ("ok  " if ok else "FAIL", what, (": " + detail) if detail and not ok else ""))
    failures += 0 if ok else 1


r = subprocess.run([NINJA, "-C", BUILD, TARGET], capture_output=True, text=True)
out = r.stdout + r.stderr
check(r.returncode != 0, "the store with an upward call fails to link", out[-400:])
check("rules_free" in out, "the link error names the upward call", out[-400:])

with tempfile.TemporaryDirectory() as tmp:
    root = pathlib.Path(tmp)
    for top in ("src", "include"):
        shutil.copytree(pathlib.Path(SOURCE) / top, root / top)
    layers = [sys.executable, str(root / "src" / "layers.py"), str(root)]
    r = subprocess.run(layers, capture_output=True, text=True)
    check(r.returncode == 0, "the tree as it is passes the include check", r.stderr[-400:])
    with open(root / "src" / "store" / "drafts.c", "a") as f:
        f.write('#include "core/queue.h"\n')
    r = subprocess.run(layers, capture_output=True, text=True)
    check(r.returncode != 0, "a store file including a core header fails the include check")
    check("layer 'store' may not include \"core/queue.h\"" in r.stderr,
          "the include check names the file and the header", r.stderr[-400:])

print("%d passed, %d failed" % (5 - failures, failures))
sys.exit(1 if failures else 0)
