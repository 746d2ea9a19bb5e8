#!/usr/bin/env python3
# layers.py: fails the build when a file includes a header from a layer above its own.
import pathlib
import re
import sys

# What each layer may include, its own headers among them (see "Maintainers" in README.md).
ALLOWED = {
    "base": {"base"},
    "rules": {"base", "rules"},
    "store": {"base", "store"},
    "core": {"base", "rules", "store", "core"},
    "tui/state": {"base", "rules", "store", "core", "tui/state"},
    "cli": {"base", "rules", "store", "core", "cli"},
    "tui": {"base", "rules", "store", "core", "tui/state", "tui"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(rel):
    """The layer a path below src/ or include/ belongs to (tui/state before tui)."""
    for name in sorted(ALLOWED, key=len, reverse=True):
        if rel == name or rel.startswith(name + "/"):
            return name
    return None


def main():
    root = pathlib.Path(sys.argv[1])
    problems = []
    for top in ("src", "include"):
        for path in sorted((root / top).rglob("*.[ch]")):
            rel = path.relative_to(root / top).as_posix()
            mine = layer_of(rel)
            if mine is None:
                continue  # src/main.c and src/layer-check.c sit above every layer
            for m in INCLUDE.finditer(path.read_text(encoding="utf-8")):
                theirs = layer_of(m.group(1))
                if theirs is not None and theirs not in ALLOWED[mine]:
                    line = path.read_text(encoding="utf-8").count("\n", 0, m.start()) + 1
                    problems.append(f"{top}/{rel}:{line}: layer '{mine}' may not include "
                                    f"\"{m.group(1)}\" (layer '{theirs}' is not below it)")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    if len(sys.argv) > 2:
        pathlib.Path(sys.argv[2]).write_text("ok\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
