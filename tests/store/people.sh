#!/bin/sh
# people.sh: the person index. A database from before it gets it built from the log at its
# first writable open; every append keeps it in the same transaction; `find` searches it
# (accents, case, word order, a typo; date of birth; NHS number; closed cases too); and
# verify names by record an entry whose byte was changed, or that was removed or added.

. "$(dirname "$0")/lib.sh"
need_root
[ -x "$TAMPER" ] || { echo "no tamper helper at $TAMPER"; echo "0 passed, 1 failed"; exit 1; }
command -v mdb_dump >/dev/null 2>&1 || skip "mdb_dump is not installed (Debian: lmdb-utils)"

# entry N of the people table: "KEYHEX VALHEX" (mdb_dump's plain form)
entry() { mdb_dump -s people "$1" | awk -v n="$2" '/^HEADER=END/ { on = 1; next } on && /^ / { i++; if (i == 2 * n - 1) k = $1; if (i == 2 * n) { print k, $1; exit } }'; }

DB=$T/db
make_db "$DB" || { fail "cannot build the database"; finish; }
cat >"$T/people.jsonl" <<'CASES'
{"case_id":"P-1","received":"2026-10-01T09:00:00Z","child":{"name":"Renée O'Neil","dob":"2016-03-04","district":"Gedling","nhs_number":"943 476 5919"},"referrer":{"agency":"school"},"consent":"given","indicators":["dev.l2_15"]}
{"case_id":"P-2","received":"2026-10-02T09:00:00Z","child":{"name":"Jack Smith","dob":"2015-01-02","district":"Ashfield"},"referrer":{"agency":"school"},"consent":"given","indicators":["dev.l2_15"]}
{"case_id":"P-3","received":"2026-10-03T09:00:00Z","child":{"name":"Renée Oakes","dob":"2012-07-08","district":"Mansfield"},"referrer":{"agency":"school"},"consent":"given","indicators":["dev.l2_15"]}
CASES
head -n 20 "$CASES" | fd "$DB" off1 route --record - >/dev/null 2>"$T/err" || { fail "route --record"; cat "$T/err"; }
fd "$DB" off1 route --record "$T/people.jsonl" >/dev/null 2>"$T/err" || { fail "route --record people"; cat "$T/err"; }

# ---- found forgivingly, on a database kept on append ----
fd "$DB" off1 find --name "oneil renee" >"$T/out" 2>&1
check_grep "folded name, other order: found" '^\{"case_id":"P-1",.*"why":"name"' "$T/out"
fd "$DB" off1 find --name "RENEE ONEILL" >"$T/out" 2>&1
check_grep "a letter out: found" '^\{"case_id":"P-1",' "$T/out"
check_nogrep "a letter out: not another Renée" '"case_id":"P-3"' "$T/out"
fd "$DB" off1 find --dob 04/03/2016 --name "Renee" >"$T/out" 2>&1
check_grep "date of birth and a first name: P-1 first" '^\{"case_id":"P-1",.*"why":"date of birth, name"' "$T/out"
fd "$DB" off1 find --nhs 9434765919 >"$T/out" 2>&1
check_grep "NHS number: found" '^\{"case_id":"P-1",.*"why":"NHS number"' "$T/out"
fd "$DB" off1 find --name "Nobody Known" >"$T/out" 2>&1
check_eq "an unknown name: nothing" "$(wc -l <"$T/out")" 0
fd "$DB" aud1 verify >"$T/out" 2>&1
check_eq "intact: verify passes" $? 0

# ---- closed cases are found, marked closed ----
fd "$DB" eh1 outcome P-2 needs_met >/dev/null 2>"$T/err" || { fail "outcome"; cat "$T/err"; }
fd "$DB" off1 find --name "smith jack" >"$T/out" 2>&1
check_grep "a closed case found, marked closed" '^\{"case_id":"P-2",.*"status":"closed"' "$T/out"

# ---- an old database: no people table; the first writable open builds it ----
OLD=$T/old
cp -a "$DB" "$OLD"
"$TAMPER" "$OLD" drop people || fail "tamper drop people"
"$TAMPER" "$OLD" put meta "$(printf people-indexed-to | od -An -v -tx1 | tr -d ' \n')" 0000000000000000 ||
	fail "tamper put meta"
fd "$OLD" off1 find --name "o'neil renée" >"$T/out" 2>&1
check_grep "old database: the index is built from the log" '^\{"case_id":"P-1",' "$T/out"
fd "$OLD" aud1 verify >"$T/out" 2>&1
check_eq "old database, index built: verify passes" $? 0

# ---- one byte of an entry's case id changed ----
E=$(entry "$DB" 1)
KEY=${E% *}
VAL=${E#* }
SEQ=$(printf '%d' "0x$(printf %s "$KEY" | rev | cut -c1-16 | rev)")
F=$T/byte
cp -a "$DB" "$F"
"$TAMPER" "$F" put people "$KEY" "${VAL%??}$(printf %s "$VAL" | rev | cut -c1-2 | rev | tr 0-9a-f 1-9a-f0)" ||
	fail "tamper put people"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "an index byte changed: verify fails" $? 1
check_grep "an index byte changed: named by its record" "^seq $SEQ: its entries in the person index differ" "$T/out"
check_nogrep "an index byte changed: no name printed" "Ren|Neil|Smith" "$T/out"

# ---- an entry added for a record that gives no such key ----
F=$T/added
cp -a "$DB" "$F"
"$TAMPER" "$F" put people "$(printf wzzz | od -An -v -tx1 | tr -d ' \n')00$(printf '%016x' 3)" 502d31 ||
	fail "tamper put people"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "an entry added: verify fails" $? 1
check_grep "an entry added: named" "^seq 3: its entries in the person index differ" "$T/out"

# ---- the index emptied ----
F=$T/cleared
cp -a "$DB" "$F"
"$TAMPER" "$F" clear people || fail "tamper clear people"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "the index emptied: verify fails" $? 1
check_grep "the index emptied: each record named" "^seq $SEQ: its entries in the person index differ" "$T/out"

finish
