#!/usr/bin/env python3
"""man-examples: every whole rule file shown in frontdoor-rules(5) is checked and tested.

usage: man-examples.py FRONTDOOR MANPAGE

A literal display (.Bd -literal ... .Ed) whose first line is "frontdoor: 1" is a
whole rule file. Each one must pass `frontdoor rules check` with no error and no
warning, and `frontdoor rules test --require-coverage` (every test passes, every
rule fires). The page must hold at least one such file.
"""
import os
import subprocess
import sys
import tempfile

ESCAPES = [("\\(dq", '"'), ("\\(aq", "'"), ("\\-", "-"), ("\\&", ""), ("\\e", "\\")]


def unroff(line):
    """The text a reader sees for one line of a literal display."""
    out, i = [], 0
    while i < len(line):
        for esc, text in ESCAPES:
            if line.startswith(esc, i):
                out.append(text)
                i += len(esc)
                break
        else:
            if line[i] == "\\":
                raise ValueError("unknown escape in %r" % line)
            out.append(line[i])
            i += 1
    return "".join(out)


def rule_files(page):
    """(line number, text) of each whole rule file among the page's literal displays."""
    files, block, start = [], None, 0
    with open(page, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith(".Bd -literal"):
                block, start = [], n + 1
            elif line == ".Ed" and block is not None:
                if block and block[0] == "frontdoor: 1":
                    files.append((start, "\n".join(block) + "\n"))
                block = None
            elif block is not None:
                if line.startswith("."):
                    raise ValueError("%s:%d: a macro inside a literal display" % (page, n))
                block.append(unroff(line))
    return files


def main():
    frontdoor, page = sys.argv[1], sys.argv[2]
    files = rule_files(page)
    failed = 0
    if not files:
        print("no whole rule file in %s" % page)
        return 1
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "TZ": "UTC"}
    with tempfile.TemporaryDirectory() as tmp:
        for line, text in files:
            path = os.path.join(tmp, "example-%d.yaml" % line)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            for args in (["rules", "check"], ["rules", "test", "--require-coverage"]):
                p = subprocess.run([frontdoor] + args + [path], env=env,
                                   capture_output=True, text=True)
                bad = p.returncode != 0 or (args[1] == "check" and p.stderr.strip())
                print("%s %s: the example at line %d" %
                      ("FAIL" if bad else "ok", " ".join(args), line))
                if bad:
                    failed += 1
                    sys.stdout.write(p.stdout + p.stderr)
    print("%d examples, %d failures" % (len(files), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
