#!/bin/sh
# no-source-path.sh: what `meson install` puts in place (binaries stripped, as a package
# ships them) names no directory of the source or build tree, and the installed binary
# never falls back on the build tree's rule file; a build tree's binary still finds it.
# usage: no-source-path.sh MESON BUILD_DIR SOURCE_ROOT INSTALLED_RULES
set -u
meson=$1 build=$2 src=$3 installed_rules=$4
PASSED=0
FAILED=0
check() { # DESCRIPTION COMMAND...
	_d=$1; shift
	if "$@"; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); echo "FAIL: $_d"; fi
}
T=$(mktemp -d "${TMPDIR:-/tmp}/fdinstall.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

"$meson" install -C "$build" --no-rebuild --strip --destdir "$T/root" >"$T/install.log" 2>&1
check "meson install into a scratch DESTDIR" [ $? -eq 0 ] || cat "$T/install.log"
bin=$(find "$T/root" -type f -name frontdoor -perm -u+x)
check "the binary is installed" [ -n "$bin" ]

# a path of either tree in a file, however it is stored (grep -a reads binaries as text)
build_abs=$(cd "$build" && pwd -P)
names_tree() { grep -a -q -F -e "$src" -e "$build_abs" "$1"; }
names_none() { ! names_tree "$1"; }
check "the check sees a source path where there is one" names_tree "$build/test-config.h"
n=0
for f in $(find "$T/root" -type f); do
	n=$((n + 1))
	check "${f#"$T/root"} names no source or build directory" names_none "$f"
done
check "files checked: $n" [ "$n" -ge 4 ]

# with no rule file installed, only the build tree's binary finds one
if [ ! -e "$installed_rules" ] && [ -n "$bin" ]; then
	"$bin" demo --db "$T/staged" >"$T/staged.out" 2>&1
	check "an installed binary without its rule file fails" [ $? -ne 0 ]
	check "and names where the rule file belongs" grep -q -F "$installed_rules" "$T/staged.out"
	"$build/frontdoor" demo --db "$T/tree" >"$T/tree.out" 2>&1
	check "the build tree's binary finds the copy beside it" [ $? -eq 0 ]
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
