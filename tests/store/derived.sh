#!/bin/sh
# derived.sh: the cases table (each case's state and its index of records), the queue of
# open cases and its counts are kept beside the log, not in its chain; verify rebuilds
# them from the log and names each difference a damaged byte or a plain-liblmdb edit
# makes, by record, never by case. Needs lmdb-utils (mdb_dump) to read the values it edits.

. "$(dirname "$0")/lib.sh"
need_root
[ -x "$TAMPER" ] || { echo "no tamper helper at $TAMPER"; echo "0 passed, 1 failed"; exit 1; }
command -v mdb_dump >/dev/null 2>&1 || skip "mdb_dump is not installed (Debian: lmdb-utils)"

hex() { od -An -v -tx1 | tr -d ' \n'; }
# value DB TABLE KEYHEX: the stored value, in hex (mdb_dump's plain form)
value() { mdb_dump -s "$2" "$1" | awk -v k=" $3" '$0 == k { getline; sub(/^ /, ""); print; exit }'; }
# with_byte HEX N BYTE: HEX with its byte N (from 0) replaced
with_byte() { printf '%s%s%s' "$(printf %s "$1" | cut -c1-$(($2 * 2)))" "$3" "$(printf %s "$1" | cut -c$(($2 * 2 + 3))-)"; }

DB=$T/db
make_db "$DB" || { fail "cannot build the database"; finish; }
head -n 40 "$CASES" | fd "$DB" off1 route --record - >/dev/null 2>"$T/err" || { fail "route --record"; cat "$T/err"; }
fd "$DB" aud1 verify >"$T/out" 2>&1
check_eq "intact: verify passes" $? 0

# the newest decision's case and the key of its state
LAST=$(fd "$DB" aud1 log --last 1) || fail "log --last"
SEQ=$(printf %s "$LAST" | sed 's/^{"seq":\([0-9]*\),.*/\1/')
CASE=$(printf %s "$LAST" | sed 's/.*"case_id":"\([^"]*\)".*/\1/')
KEY=$(printf %s "$CASE" | hex)
STATE=$(value "$DB" cases "$KEY")
check "the case's state is stored" [ -n "$STATE" ]
QKEY=$(printf '%016x' "$SEQ")
QUEUED=$(value "$DB" queue "$QKEY")
check "the open case is queued at its newest record" [ -n "$QUEUED" ]

# ---- the state's route byte changed ----
F=$T/state
cp -a "$DB" "$F"
"$TAMPER" "$F" put cases "$KEY" "$(with_byte "$STATE" 2 03)" || fail "tamper put cases"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "a case state changed: verify fails" $? 1
check_grep "a case state changed: named by its newest record" \
	"^seq $SEQ: the stored state of this record's case differs from its records" "$T/out"
check_nogrep "a case state changed: the case id is not printed" "$CASE" "$T/out"

# ---- the state closed: the case would leave the screens' lists ----
F=$T/closed
cp -a "$DB" "$F"
"$TAMPER" "$F" put cases "$KEY" "$(with_byte "$STATE" 1 01)" || fail "tamper put cases"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "a case closed in the table alone: verify fails" $? 1
check_grep "a case closed in the table alone: named" "^seq $SEQ: the stored state" "$T/out"

# ---- the queue entry's route changed, and the counts ----
F=$T/queue
cp -a "$DB" "$F"
"$TAMPER" "$F" put queue "$QKEY" "$(with_byte "$QUEUED" 2 03)" || fail "tamper put queue"
"$TAMPER" "$F" put queue ffffffffffffffff63 "01$(printf '%016x' 7)$(printf '%016x' 0)$(printf '%016x' 0)$(printf '%016x' 0)$(printf '%016x' 7)" ||
	fail "tamper put counts"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "the queue changed: verify fails" $? 1
check_grep "the queue changed: the entry named" "^seq $SEQ: the queue entry of this record's case differs" "$T/out"
check_grep "the queue changed: the counts named" "^cases: the stored counts of open cases differ" "$T/out"

# ---- the queue emptied ----
F=$T/noqueue
cp -a "$DB" "$F"
"$TAMPER" "$F" clear queue || fail "tamper clear queue"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "the queue emptied: verify fails" $? 1
check_grep "the queue emptied: each open case named" "^seq $SEQ: this record's case is open but missing from the queue" "$T/out"

# ---- a record put in another case's index; the cases table emptied ----
F=$T/index
cp -a "$DB" "$F"
OTHER=$((SEQ - 1))	# the decision before: another case's
"$TAMPER" "$F" index "$CASE" "$OTHER" || fail "tamper index"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "a record indexed under another case: verify fails" $? 1
check_grep "a record indexed under another case: named" "^seq $OTHER: the case index lists this record under another case" "$T/out"
F=$T/nocases
cp -a "$DB" "$F"
"$TAMPER" "$F" clear cases || fail "tamper clear cases"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "the cases table emptied: verify fails" $? 1
check_grep "the cases table emptied: each decision named" "^seq $SEQ: this decision is missing from its case's index" "$T/out"

finish
