#!/bin/sh
# tray.sh: the work tray's index (open cases by due time). Every append keeps it in the same
# transaction; a database from before it gets it built at its next append; verify names
# a case whose place is missing and an entry no case's place names.

. "$(dirname "$0")/lib.sh"
need_root
[ -x "$TAMPER" ] || { echo "no tamper helper at $TAMPER"; echo "0 passed, 1 failed"; exit 1; }
command -v mdb_dump >/dev/null 2>&1 || skip "mdb_dump is not installed (Debian: lmdb-utils)"

# entries in a named table
entries() { mdb_dump -s "$2" "$1" | awk '/^HEADER=END/ { on = 1; next } on && /^ / { i++ } END { print i / 2 }'; }
hex() { printf %s "$1" | od -An -v -tx1 | tr -d ' \n'; }

DB=$T/db
make_db "$DB" || { fail "cannot build the database"; finish; }
head -n 20 "$CASES" | fd "$DB" off1 route --record - >/dev/null 2>"$T/err" || { fail "route --record"; cat "$T/err"; }
FIRST=$(head -n 1 "$CASES" | sed 's/.*"case_id":"\([^"]*\)".*/\1/')
fd "$DB" mgr1 outcome "$FIRST" needs_met >/dev/null 2>"$T/err" || { fail "outcome"; cat "$T/err"; }

# ---- kept on append: one place per open case ----
check_eq "kept on append: a place for each of the 19 open cases" "$(entries "$DB" due)" 19
check_eq "kept on append: as many tray entries" "$(entries "$DB" tray)" 19
fd "$DB" aud1 verify >"$T/out" 2>&1
check_eq "intact: verify passes" $? 0

# ---- an old database: no tray tables; its next append builds them ----
OLD=$T/old
cp -a "$DB" "$OLD"
"$TAMPER" "$OLD" drop tray || fail "tamper drop tray"
"$TAMPER" "$OLD" drop due || fail "tamper drop due"
"$TAMPER" "$OLD" put meta "$(hex tray-indexed-to)" 0000000000000000 || fail "tamper put meta"
fd "$OLD" aud1 verify >"$T/out" 2>&1
check_eq "old database, read only: verify passes (the index is not read)" $? 0
sed -n 21,22p "$CASES" | fd "$OLD" off1 route --record - >/dev/null 2>"$T/err" ||
	{ fail "route --record on the old database"; cat "$T/err"; }
check_eq "old database, one append: every open case placed" "$(entries "$OLD" due)" 21
check_eq "old database, one append: as many tray entries" "$(entries "$OLD" tray)" 21
fd "$OLD" aud1 verify >"$T/out" 2>&1
check_eq "old database, index built: verify passes" $? 0

# ---- the cases' places removed ----
F=$T/lost
cp -a "$DB" "$F"
"$TAMPER" "$F" clear due || fail "tamper clear due"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "a place removed: verify fails" $? 1
check_grep "a place removed: named" "its place in the tray is missing" "$T/out"

# ---- an entry no case's place names ----
F=$T/added
cp -a "$DB" "$F"
"$TAMPER" "$F" put tray 0000000000000001 0100000000000000000050 || fail "tamper put tray"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "an entry added: verify fails" $? 1
check_grep "an entry added: named" "no case's place" "$T/out"

finish
