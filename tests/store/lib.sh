# lib.sh: what the store scripts share: checks and their tally, a scratch directory that
# removes itself, and a database with users and recorded decisions.
# Needs FRONTDOOR, TAMPER and STORE_DATA (set by meson.build; see the defaults below);
# FD_KEEP=1 keeps the scratch directory for a look afterwards.

set -u
: "${FRONTDOOR:=$(dirname "$0")/../../build/frontdoor}"
: "${TAMPER:=$(dirname "$0")/../../build/tests/store/tamper}"
: "${STORE_DATA:=$(dirname "$0")/data}"
CASES=$STORE_DATA/cases.jsonl
POLICY=$STORE_DATA/policy.yaml
PASSED=0
FAILED=0
BG_PIDS=

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL: %s\n' "$*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds
check() {
	_d=$1; shift
	if "$@"; then pass; else fail "$_d"; fi
}
# check_grep DESCRIPTION PATTERN FILE: an extended regular expression matches a line
check_grep() {
	if grep -Eq -- "$2" "$3"; then pass; else fail "$1 (no line matches /$2/ in:)"; sed 's/^/    /' "$3" | head -20; fi
}
check_nogrep() {
	if grep -Eq -- "$2" "$3"; then fail "$1 (unexpected /$2/ in:)"; grep -E -- "$2" "$3" | head -5 | sed 's/^/    /'; else pass; fi
}
# check_eq DESCRIPTION GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then pass; else fail "$1: got '$2', want '$3'"; fi
}
# raw_controls FILE: how many raw control characters FILE holds: C0 but newline, DEL, C1
# (U+0080-U+009F) and the bidi controls U+202A-U+202E and U+2066-U+2069
raw_controls() {
	od -An -v -tu1 "$1" | tr -s ' \n' '\n\n' | awk '
	$0 == "" { next }
	{ c = $0 + 0 }
	(c < 32 && c != 10) || c == 127 { n++ }
	p1 == 194 && c >= 128 && c <= 159 { n++ }
	p2 == 226 && p1 == 128 && c >= 170 && c <= 174 { n++ }
	p2 == 226 && p1 == 129 && c >= 166 && c <= 169 { n++ }
	{ p2 = p1; p1 = c }
	END { print n + 0 }'
}
# check_clean DESCRIPTION FILE: FILE holds no raw control character (raw_controls)
check_clean() {
	_n=$(raw_controls "$2")
	if [ "$_n" -eq 0 ]; then pass; else fail "$1 ($_n raw control characters in:)"; od -c "$2" | head -10 | sed 's/^/    /'; fi
}
finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
	exit $?
}
skip() {
	echo "skipped: $*"
	echo "0 passed, 0 failed"
	exit 77
}
need_root() {
	[ "$(id -u)" -eq 0 ] || skip "several users need --as, which only root may use"
}

cleanup() {
	for _p in $BG_PIDS; do kill -9 "$_p" 2>/dev/null; done
	if [ -n "${FD_KEEP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
T=$(mktemp -d "${TMPDIR:-/tmp}/fdstore.XXXXXX") || exit 1
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

[ -x "$FRONTDOOR" ] || { echo "no frontdoor binary at $FRONTDOOR"; echo "0 passed, 1 failed"; exit 1; }

# fd DB USER ARGS...: frontdoor on DB as USER ("-" for the invoking user)
fd() {
	_db=$1 _u=$2; shift 2
	if [ "$_u" = - ]; then "$FRONTDOOR" --db "$_db" "$@"; else "$FRONTDOOR" --db "$_db" --as "$_u" "$@"; fi
}

# make_db DIR: a new database whose admin is root, with an officer, an auditor, a manager
# and an early help worker
make_db() {
	"$FRONTDOOR" init --db "$1" --rules "$POLICY" >/dev/null || return 1
	for _ur in off1:officer aud1:auditor mgr1:manager eh1:early_help; do
		fd "$1" - users add "${_ur%%:*}" "${_ur#*:}" || return 1
	done
}

# cases_with_prefix PREFIX [FILE]: the fixture cases with PREFIX put before every case id
cases_with_prefix() {
	sed "s/\"case_id\":\"/\"case_id\":\"$1/" "${2:-$CASES}"
}

# log_count DB: how many records the log export holds
log_count() {
	fd "$1" aud1 log --format csv | tail -n +2 | wc -l | tr -d ' '
}
